"""H-first polytopes (the LP engine, :mod:`exactgeom.polytope.hfirst`): the same
canonical data as the vertex engine on random low-dimensional inputs, redundancy removal
against cddlib, exact facet witnesses in dimension 64, lazy vertices and the vertex
limit."""

from __future__ import annotations

import pickle
import random
from fractions import Fraction as F

import cdd
import cdd.gmp as cddg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactgeom import LimitExceededError, Polytope
from exactgeom.numbers import Sign
from exactgeom.polytope import polytope as polymod
from exactgeom.polytope.hfirst import vertex_bound
from exactgeom.polytope.lp import lp_statistics, reset_lp_statistics, solve_lp
from exactgeom.strategies.polytopes import rational_hreps, rational_vectors


def _dot(a, x):
    return sum((F(ai) * xi for ai, xi in zip(a, x)), F(0))


def both(A, b, eq=None, **kw):
    return (
        Polytope.from_hrep(A, b, eq, engine="vertices", **kw),
        Polytope.from_hrep(A, b, eq, engine="lp", **kw),
    )


def assert_same(V, L):
    assert V.engine == "vertices" and L.engine == "lp"
    assert L.dim == V.dim and L.is_empty == V.is_empty
    assert L.equalities == V.equalities
    assert L.facets == V.facets
    assert L.facet_input_rows == V.facet_input_rows
    assert L == V and hash(L) == hash(V)
    if V.is_empty:
        return
    assert L.is_bounded == V.is_bounded
    for P in (V, L):
        z = P.relative_interior_point()
        assert P.contains(z, strict=True)
    for i in range(V.n_facets):
        w = L.facet_witness(i)
        assert V.side(i, w) == Sign.ZERO
        assert all(V.side(k, w) == Sign.POSITIVE for k in range(V.n_facets) if k != i)
        assert V.contains(w)
    if V.is_bounded and V.dim >= 2:
        for i in range(V.n_facets):
            for j in range(i + 1, V.n_facets):
                adj = V.facets_adjacent(i, j)
                assert L.facets_adjacent(i, j) == adj
                if adj:
                    assert L.dihedral_angle(i, j) == V.dihedral_angle(i, j)
    # the lazy vertices are today's vertices (for bounded polytopes: the V-rep of an
    # unbounded polyhedron, points of a line in particular, depends on the input rows)
    assert "_points" not in L.__dict__
    if V.is_bounded:
        assert L.vertices == V.vertices
        assert L.facet_adjacency() == V.facet_adjacency()
        assert L.volume() == V.volume()


@given(st.integers(1, 4).flatmap(lambda d: rational_hreps(d, 9, degenerate=True, implicit_equalities=True)))
@settings(max_examples=40)
def test_engines_agree_on_random_polytopes(ab):
    A, b = ab
    V, L = both(A, b)
    assert_same(V, L)
    if V.dim == V.ambient_dim and V.is_bounded:
        # the radius is unique; the centre need not be (a degenerate optimum: each engine's
        # interior point steers the float proposal to its own optimal vertex), so each
        # engine's centre is checked to carry the common radius inside the common facets
        for norm in ("euclidean", "max"):
            bv, bl = V.chebyshev_ball(norm=norm), L.chebyshev_ball(norm=norm)
            assert bv.radius == bl.radius
            for ball in (bv, bl):
                for h in V.facets:
                    s = h.offset - sum((a * x for a, x in zip(h.normal, ball.center)), F(0))
                    if norm == "max":
                        assert s >= ball.radius * sum(abs(a) for a in h.normal)
                    else:
                        assert s >= 0 and s * s >= ball.radius**2 * sum(a * a for a in h.normal)


@given(st.integers(2, 4).flatmap(lambda d: st.tuples(rational_hreps(d, 8, bounded=False), rational_vectors(d))))
@settings(max_examples=25)
def test_engines_agree_on_unbounded_and_sliced(data):
    (A, b), a = data
    V, L = both(A, b)
    assert_same(V, L)
    z = V.relative_interior_point()
    V2, L2 = both(A, b, eq=([a], [_dot(a, z)]))
    assert_same(V2, L2)


DEGENERATE = {
    "square with duplicate, scaled and weakly redundant rows": (
        [[1, 0], [-1, 0], [0, 1], [0, -1], [1, 0], [2, 0], [1, 1], [1, 1]],
        [1, 0, 1, 0, 1, 2, 2, 5],
    ),
    "segment (implicit equality)": ([[1, 0], [-1, 0], [0, 1], [0, -1]], [1, 0, 0, 0]),
    "point": ([[1, 0], [-1, 0], [0, 1], [0, -1]], [0, 0, 0, 0]),
    "empty": ([[1, 0], [-1, 0]], [0, -1]),
    "half-plane": ([[1, 0]], [0]),
    "strip": ([[1, 0], [-1, 0]], [1, 1]),
    "zero rows": ([[0, 0], [1, 0], [-1, 0], [0, 1], [0, -1]], [1, 1, 1, 1, 1]),
    "infeasible zero row": ([[0, 0], [1, 0]], [-1, 1]),
    "cube corner cut weakly": ([[1, 0, 0], [0, 1, 0], [0, 0, 1], [-1, 0, 0], [0, -1, 0], [0, 0, -1], [1, 1, 1]], [1, 1, 1, 0, 0, 0, 3]),
    "triangle slice in 3-D": ([[-1, 0, 0], [0, -1, 0], [1, 1, 0], [0, 0, 1], [0, 0, -1]], [0, 0, 1, 2, -2]),
}


@pytest.mark.parametrize("name", sorted(DEGENERATE))
def test_engines_agree_on_degenerate_inputs(name):
    A, b = DEGENERATE[name]
    assert_same(*both(A, b))


def test_whole_space_and_equations_only():
    V, L = both([], [], ambient_dim=3)
    assert_same(V, L)
    assert L.dim == 3 and not L.is_bounded
    V, L = both([], [], eq=([[1, 1, 0]], [2]))
    assert_same(V, L)


def _cdd_redundant(A, b):
    rows = [[F(bi)] + [-F(x) for x in a] for a, bi in zip(A, b)]
    mat = cddg.matrix_from_array(rows, rep_type=cdd.RepType.INEQUALITY)
    return cddg.redundant_rows(mat)


@given(st.integers(2, 5).flatmap(lambda d: rational_hreps(d, 14, degenerate=True)))
@settings(max_examples=30)
def test_redundancy_removal_matches_cddlib(ab):
    """Full-dimensional inputs: the facets are exactly the rows cddlib keeps (one row per
    group of duplicates), as counts and as sets modulo duplicates."""
    A, b = ab
    L = Polytope.from_hrep(A, b, engine="lp")
    assert L.dim == len(A[0])
    red = _cdd_redundant(A, b)
    assert L.n_facets == len(A) - len(red)
    # every row cddlib keeps defines one of our facets, and conversely
    ours = set(L.facet_input_rows)
    kept = set(range(len(A))) - set(red)
    key = {i: Polytope.from_hrep([A[i]], [b[i]]).facets for i in range(len(A))}
    assert {key[i] for i in ours} == {key[i] for i in kept}


def test_clarkson_uses_few_lps():
    """Output-sensitive: about one LP per row plus one per facet."""
    rng = random.Random(3)
    n = 8
    A, b = [], []
    for j in range(n):
        e = [int(i == j) for i in range(n)]
        A += [e, [-v for v in e]]
        b += [1, 1]
    for _ in range(40):  # rows far outside: redundant
        a = [rng.randint(-3, 3) for _ in range(n)] or [1]
        A.append(a)
        b.append(sum(abs(v) for v in a) + rng.randint(1, 3))
    reset_lp_statistics()
    P = Polytope.from_hrep(A, b, engine="lp")
    assert P.n_facets == 2 * n
    s = lp_statistics()
    assert s["certified"] + s["fallback"] <= len(A) + P.n_facets + 2


def test_high_dimensional_cell_facets_by_witnesses():
    """A cell in R^64 with 180 rows (the unit cube cut by 52 random rational hyperplanes
    near a chosen interior point): built without vertices, every facet certified by an exact
    witness point, a sample of the other rows certified redundant by exact multipliers."""
    rng = random.Random(11)
    n = 64
    z = [F(rng.randint(20, 80), 100) for _ in range(n)]
    A, b = [], []
    for j in range(n):
        e = [int(i == j) for i in range(n)]
        A += [e, [-v for v in e]]
        b += [1, 0]
    for _ in range(52):
        a = [F(rng.randint(-20, 20), rng.randint(1, 10)) for _ in range(n)]
        A.append(a)
        b.append(_dot(a, z) + F(rng.randint(1, 40), 7))
    P = Polytope.from_hrep(A, b)
    assert P.engine == "lp" and "_points" not in P.__dict__
    assert P.dim == n and P.is_bounded
    assert P.contains(z, strict=True) and P.contains(P.relative_interior_point(), strict=True)
    rows = P.facet_input_rows
    for i, k in enumerate(rows):
        w = P.facet_witness(i)
        assert _dot(A[k], w) == b[k]
        assert all(_dot(A[r], w) < b[r] for r in range(len(A)) if r != k)
    facet_rows = [A[k] for k in rows]
    facet_b = [b[k] for k in rows]
    others = [k for k in range(len(A)) if k not in set(rows)]
    for k in others[:8]:  # exact multipliers: a_k = Σ y_i a_i, y >= 0, Σ y_i b_i <= b_k
        res = solve_lp(A[k], facet_rows, facet_b, center=z)
        assert res.status == "optimal" and res.value <= b[k]
        y = res.dual
        assert all(v >= 0 for v in y)
        assert all(sum((yi * F(r[j]) for yi, r in zip(y, facet_rows)), F(0)) == A[k][j] for j in range(n))
        assert _dot(y, facet_b) <= b[k]
    assert "_points" not in P.__dict__
    with pytest.raises(LimitExceededError, match="McMullen"):
        P.volume()
    assert P.vertex_estimate() > 10**15
    # pickling keeps the H-data and stays H-first
    Q = pickle.loads(pickle.dumps(P))
    assert Q == P and Q.engine == "lp" and Q.facets == P.facets and "_points" not in Q.__dict__


def test_vertex_limit_and_compute_vertices(monkeypatch):
    C = Polytope.box([(0, 1)] * 7)  # 14 rows in R^7: vertex engine by dimension? no: 7 > 6
    L = Polytope.from_hrep([h.normal for h in C.facets], [h.offset for h in C.facets], engine="lp")
    assert L.vertex_estimate() == vertex_bound(14, 7) >= 128
    monkeypatch.setattr(polymod, "MAX_VERTEX_ESTIMATE", 100)
    with pytest.raises(LimitExceededError, match="compute_vertices"):
        L.f_vector()
    assert len(L.compute_vertices(max_vertices=None)) == 128
    assert L.f_vector()[0] == 128 and L.vertex_estimate() == 128


def test_mcmullen_bound_closed_forms():
    # simplices, cubes' duals (cross-polytope has 2d facets... its dual has 2^d), polygons
    assert [vertex_bound(d + 1, d) for d in range(1, 7)] == [d + 1 for d in range(1, 7)]
    assert [vertex_bound(m, 2) for m in range(3, 9)] == list(range(3, 9))
    assert vertex_bound(6, 3) == 8 and vertex_bound(8, 4) == 20  # 3-cube; dual cyclic C4(8)
    assert vertex_bound(2 * 5, 5) >= 2**5


def test_operations_stay_h_first():
    rng = random.Random(4)
    n = 12
    A = []
    b = []
    for j in range(n):
        e = [int(i == j) for i in range(n)]
        A += [e, [-v for v in e]]
        b += [2, 2]
    for _ in range(20):
        A.append([rng.randint(-3, 3) for _ in range(n)])
        b.append(rng.randint(1, 4))
    P = Polytope.from_hrep(A, b)
    assert P.engine == "lp"
    Q = P.restrict_to_box([(0, 1)] * n)
    R = P.intersect_halfspace([1] * n, 0)
    T = P.translate([1] * n)
    for X in (Q, R, T):
        assert X.engine == "lp" and "_points" not in X.__dict__
        assert X.contains(X.relative_interior_point(), strict=True)
    assert T.contains([1] * n) and T.facets[0].offset == P.facets[0].offset + sum(P.facets[0].normal)
    assert P.intersect(P) == P
    ball = Q.chebyshev_ball(norm="max")
    assert Q.contains(ball.center)
    assert "_points" not in Q.__dict__
