"""Simplices, boundary matrices, Betti numbers and Euler characteristics of the complex."""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations

from flint import fmpz_mat
from hypothesis import given, settings
from hypothesis import strategies as st

from exactgeom import Polytope, arrangement
from exactgeom.complex import RiemannianComplex
from exactgeom.complex.homology import betti_numbers, boundary_matrix
from exactgeom.complex.simplices import all_faces_present, nerve_simplices
from exactgeom.complex.sparse import ExactMatrix, integer_rank
from exactgeom.polytope.backends.cdd import lp_solve
from exactgeom.strategies.complex import arrangement_partitions

F = Fraction


def crossing_lines():
    return arrangement([[1, 0], [0, 1]], [0, 0], [(-1, 1), (-1, 1)])


def _product_zero(A: ExactMatrix, B: ExactMatrix) -> bool:
    return (A @ B).nnz == 0 and A.shape[1] == B.shape[0]


# --------------------------------------------------------------------- hand-built cases
def test_crossing_lines_facet_is_a_4_cycle():
    K = RiemannianComplex.from_partition(crossing_lines())
    assert K.f_vector() == (4, 4)
    assert K.betti() == (1, 1)
    # every vertex has degree 2 and the edges are the four adjacent pairs
    deg = [0] * 4
    for i, j in K.simplices(1):
        deg[i] += 1
        deg[j] += 1
    assert deg == [2, 2, 2, 2]
    assert all(K.intersection_dim(e) == 1 for e in K.simplices(1))


def test_crossing_lines_nerve_is_a_tetrahedron():
    K = RiemannianComplex.from_partition(crossing_lines(), convention="nerve")
    assert K.f_vector() == (4, 6, 4, 1)
    assert K.simplices(3) == ((0, 1, 2, 3),)
    assert K.betti() == (1, 0, 0, 0)
    # recorded dimensions: diagonal pairs meet in the origin only
    dims = sorted(K.intersection_dim(e) for e in K.simplices(1))
    assert dims == [0, 0, 1, 1, 1, 1]
    assert K.intersection((0, 1, 2, 3)).vertices == ((F(0), F(0)),)
    assert not K.truncated


def test_nerve_max_dim_truncates_and_says_so():
    K = RiemannianComplex.from_partition(crossing_lines(), convention="nerve", max_dim=2)
    assert K.f_vector() == (4, 6, 4)
    assert K.truncated
    assert K.betti() == (1, 0, 1)  # the hollow tetrahedron: honest homology of the truncated complex
    assert K.euler_characteristic() == 2


def test_hollow_triangle_boundary_and_betti():
    S = [[(0,), (1,), (2,)], [(0, 1), (0, 2), (1, 2)]]
    B1 = boundary_matrix(S, 1)
    assert B1.dense() == ((-1, -1, 0), (1, 0, -1), (0, 1, 1))
    assert betti_numbers(S) == (1, 1)
    S2 = S + [[(0, 1, 2)]]
    assert betti_numbers(S2) == (1, 0, 0)
    assert boundary_matrix(S2, 2).dense() == ((1,), (-1,), (1,))


def test_three_cells_meeting_at_a_point_give_a_triangle():
    from exactgeom import Partition

    D = Polytope.box([(-2, 2), (-2, 2)])
    A = Polytope.from_hrep([[-1, 0], [0, -1]], [0, 0]).intersect(D)  # x >= 0, y >= 0
    B = Polytope.from_hrep([[1, 0]], [0]).intersect(D)  # x <= 0
    C = Polytope.from_hrep([[-1, 0], [0, 1]], [0, 0]).intersect(D)  # x >= 0, y <= 0
    P = Partition(D, [("a", A), ("b", B), ("c", C)], family="test")
    assert P.check().ok
    K = RiemannianComplex.from_partition(P)
    assert K.f_vector() == (3, 3, 1)
    assert K.betti() == (1, 0, 0)
    assert K.intersection((0, 1, 2)).vertices == ((F(0), F(0)),)


def test_single_cell_complex():
    P = arrangement([[0, 0]], [1], [(0, 1), (0, 1)])
    for conv in ("facet", "nerve"):
        K = RiemannianComplex.from_partition(P, convention=conv)
        assert K.f_vector() == (1,)
        assert K.betti() == (1,)
        assert K.euler_characteristic() == 1
        assert K.boundary(1).shape == (1, 0)
        assert K.simplices(2) == ()


def test_integer_rank_against_flint():
    import random

    rng = random.Random(5)
    for _ in range(30):
        m, n = rng.randint(1, 7), rng.randint(1, 7)
        rows = [[rng.choice([0, 0, 1, -1, 2]) for _ in range(n)] for _ in range(m)]
        sparse = [{j: v for j, v in enumerate(r) if v} for r in rows]
        assert integer_rank(sparse) == fmpz_mat(rows).rank()


# --------------------------------------------------------------------- properties
@settings(max_examples=25)
@given(arrangement_partitions(n=2, max_hyperplanes=4), st.sampled_from(["facet", "nerve"]))
def test_boundary_squared_is_zero_and_euler_2d(P, conv):
    K = RiemannianComplex.from_partition(P, convention=conv)
    for p in range(1, K.dim + 1):
        assert _product_zero(K.boundary(p), K.boundary(p + 1))
    b = K.betti()
    assert K.euler_characteristic() == sum((-1) ** p * x for p, x in enumerate(b))
    assert all_faces_present([list(K.simplices(p)) for p in range(K.dim + 1)])
    if conv == "nerve":
        # nerve theorem: a partition of a convex domain has a contractible nerve
        assert b == (1,) + (0,) * K.dim
        for p in range(K.dim + 1):
            for s in K.simplices(p):
                assert not K.intersection(s).is_empty
    else:
        assert b[0] == 1
        # the 1-skeleton is the adjacency graph
        assert set(K.simplices(1)) == {(f.i, f.j) for f in P.adjacency()}
        for p in range(K.dim + 1):
            for s in K.simplices(p):
                assert K.intersection_dim(s) == 2 - p


@settings(max_examples=8)
@given(arrangement_partitions(n=3, max_hyperplanes=3), st.sampled_from(["facet", "nerve"]))
def test_boundary_squared_is_zero_and_euler_3d(P, conv):
    K = RiemannianComplex.from_partition(P, convention=conv)
    for p in range(1, K.dim + 1):
        assert _product_zero(K.boundary(p), K.boundary(p + 1))
    b = K.betti()
    assert K.euler_characteristic() == sum((-1) ** p * x for p, x in enumerate(b))
    if conv == "nerve":
        assert b == (1,) + (0,) * K.dim
    else:
        assert b[0] == 1
        assert set(K.simplices(1)) == {(f.i, f.j) for f in P.adjacency()}


@settings(max_examples=15)
@given(arrangement_partitions(n=2, max_hyperplanes=3))
def test_nerve_against_brute_force_lp(P):
    """Second method: every subset of cells, non-emptiness by one exact LP each."""
    polys = [c.polytope for c in P.cells]
    if len(polys) > 8:
        polys = polys[:8]
    S = nerve_simplices(polys)
    got = {s for level in S.simplices for s in level}
    want = set()
    for k in range(1, len(polys) + 1):
        for sub in combinations(range(len(polys)), k):
            A, b = [], []
            for i in sub:
                A0, b0, _, _ = polys[i]._hrep_rows()
                A += A0
                b += b0
            if lp_solve([F(0), F(0)], A, b).status == "optimal":
                want.add(sub)
    assert got == want


def test_betti_of_facet_complex_counts_interior_crossings():
    # three lines in general position, all crossings inside the square
    P = arrangement([[1, 0], [0, 1], [1, 1]], [0, 0, F(1, 2)], [(-2, 2), (-2, 2)])
    K = RiemannianComplex.from_partition(P)
    assert K.betti() == (1, 3)  # one 4-cycle around each of the 3 crossings


@settings(max_examples=10)
@given(st.lists(st.tuples(st.integers(0, 12), st.integers(0, 12)), min_size=3, max_size=7, unique=True))
def test_facet_complex_of_voronoi_is_the_delaunay_triangulation(sites):
    """Second method: scipy's Delaunay triangulation (floats) of sites in general position."""
    import numpy as np
    from hypothesis import assume
    from scipy.spatial import Delaunay

    from exactgeom.partitions.voronoi import voronoi

    pts = np.array(sites, float)
    # general position: no three collinear, no four cocircular (exact integer tests)
    for a, b, c in combinations(sites, 3):
        assume((b[0] - a[0]) * (c[1] - a[1]) != (b[1] - a[1]) * (c[0] - a[0]))
    for q in combinations(sites, 4):
        rows = [[x, y, x * x + y * y, 1] for x, y in q]
        assume(fmpz_mat(rows).det() != 0)
    tri = Delaunay(pts)
    want = {tuple(sorted(int(v) for v in s)) for s in tri.simplices}
    P = voronoi([list(s) for s in sites], [(-10**4, 10**4)] * 2)
    K = RiemannianComplex.from_partition(P)
    site_of = {c.index: c.key for c in P.cells}  # the key of a Voronoi cell is its site index
    got = {tuple(sorted(site_of[v] for v in s)) for s in K.simplices(2)}
    assert got == want
    assert K.betti() == (1, 0, 0)
