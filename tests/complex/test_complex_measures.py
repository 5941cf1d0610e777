"""Measures on simplices: volume, data (nearest_face and mean rules), mixed."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactgeom import InvalidInputError, Polytope, arrangement
from exactgeom.complex import RiemannianComplex
from exactgeom.numbers import Surd
from exactgeom.strategies.complex import arrangement_partitions, box_grid_partitions

F = Fraction


@settings(max_examples=15)
@given(arrangement_partitions(n=2, max_hyperplanes=4), st.sampled_from(["facet", "nerve"]))
def test_volume_measure_is_the_exact_volume_of_the_intersections(P, conv):
    K = RiemannianComplex.from_partition(P, convention=conv)
    assert sum(K.measure(0)) == P.domain.volume()
    faces = {(f.i, f.j): f for f in P.adjacency()}
    for e, mu in zip(K.simplices(1), K.measure(1)):
        if e in faces:
            assert mu == faces[e].volume()
        else:  # nerve: cells touching in a point
            assert K.intersection_dim(e) == 0 and mu == 1
    for p in range(2, K.dim + 1):
        for s, mu in zip(K.simplices(p), K.measure(p)):
            assert mu == K.intersection(s).relative_volume()


def test_volume_measure_in_3d_has_surd_edges():
    P = arrangement([[1, 1, 0], [0, 0, 1], [1, -1, 0]], [0, 0, 0], [(-1, 1)] * 3)
    K = RiemannianComplex.from_partition(P)
    assert K.f_vector()[:2] == (8, 12)
    # faces on the planes x = ±y have area 2√2·... exact surds; on z = 0 rational
    kinds = {type(v).__name__ for v in K.measure(1)}
    assert kinds == {"Surd", "Fraction"}
    for e, mu in zip(K.simplices(1), K.measure(1)):
        assert (mu.squared() if isinstance(mu, Surd) else mu * mu) == K.intersection(e).relative_volume().squared() > 0


def _box_nearest_face_expected(P, breaks, points):
    """Closed form on a box grid: the nearest facets of a box cell from an interior point
    are the sides at distance min over axes of (x − lo, hi − x)."""
    n = P.ambient_dim
    idx = {}
    for c in P.cells:
        g = tuple(next(k for k in range(len(b) - 1) if b[k] <= cj <= b[k + 1]) for b, cj in zip(breaks, c.centroid()))
        idx[g] = c.index
    mass: dict[tuple[int, int], Fraction] = {}
    for x in points:
        g = tuple(next(k for k in range(len(b) - 1) if b[k] < xj < b[k + 1]) for b, xj in zip(breaks, x))
        sides = []
        for a in range(n):
            lo, hi = breaks[a][g[a]], breaks[a][g[a] + 1]
            sides.append((x[a] - lo, a, -1))
            sides.append((hi - x[a], a, +1))
        d = min(s[0] for s in sides)
        near = [s for s in sides if s[0] == d]
        for _, a, step in near:
            g2 = tuple(g[b] + (step if b == a else 0) for b in range(n))
            if g2 in idx:
                e = tuple(sorted((idx[g], idx[g2])))
                mass[e] = mass.get(e, F(0)) + F(1, len(near))
    return mass


@settings(max_examples=15)
@given(box_grid_partitions(n=2, max_cuts=3), st.integers(0, 10**6))
def test_nearest_face_rule_matches_closed_form_on_box_grids(grid, seed):
    P, breaks = grid
    rng = random.Random(seed)
    pts = []
    for _ in range(12):
        x = tuple(F(rng.randint(1, 79), 40) for _ in range(2))
        if any(xj in b for b, xj in zip(breaks, x)):
            continue  # keep points off the cell boundaries for the closed form
        pts.append(x)
    if not pts:
        return
    K = RiemannianComplex.from_partition(P, measure="data", data=pts)
    assert sum(K.measure(0)) == len(pts)
    want = _box_nearest_face_expected(P, breaks, pts)
    got = {e: mu for e, mu in zip(K.simplices(1), K.measure(1)) if mu}
    assert got == want


def test_data_rules_weights_and_mixed():
    P = arrangement([[1, 0]], [0], [(-1, 1), (0, 1)])
    pts = [["-1/2", "1/2"], ["1/8", "1/2"], ["1/2", "1/2"]]
    K = RiemannianComplex.from_partition(P, measure="data", data=pts, data_weights=[2, 3, 5])
    assert K.measure(0) == (F(2), F(8))
    # (-1/2, 1/2) ties four ways (share 2/4), (1/8, 1/2) is nearest the shared face (3),
    # (1/2, 1/2) ties four ways but only the left side is shared (5/4)
    assert K.measure(1) == (F(2, 4) + 3 + F(5, 4),)
    Km = RiemannianComplex.from_partition(P, measure="data", data=pts, data_weights=[2, 3, 5], data_rule="mean")
    assert Km.measure(1) == (F(5),)
    Kx = RiemannianComplex.from_partition(P, measure="mixed", data=pts, data_weights=[2, 3, 5])
    assert Kx.measure(0) == (F(2), F(8))  # p = 0: the data mass
    assert Kx.measure(1) == ((F(2) + F(8)) / 2,)  # face length 1 × mean density (cells have area 1)


def test_mixed_measure_with_surd_faces():
    P = arrangement([[1, 1]], [0], [(-1, 1), (-1, 1)])
    K = RiemannianComplex.from_partition(P, measure="mixed", data=[["-1/2", "-1/2"], ["1/2", "1/2"], ["1/4", "1/2"]])
    assert K.measure(1) == (Surd(2, 2) * F(3, 4),)  # 2√2 · mean(1/2, 2/2)


def test_boundary_points_go_to_the_lowest_index_cell():
    P = arrangement([[1, 0]], [0], [(-1, 1), (0, 1)])
    K = RiemannianComplex.from_partition(P, measure="data", data=[[0, "1/2"], [0, 0]])
    assert K.data_mass() == (F(2), F(0))


def test_edge_volumes_reused_from_cell_facets_equal_fresh_relative_volumes():
    """An edge whose intersection is a whole facet of its first cell takes that facet's
    memoised volume; on a face-to-face ReLU partition and on a tree with T-junctions (faces
    that are parts of facets, which must not be reused) every edge volume equals the
    intersection's own relative volume computed afresh."""
    from exactgeom import decision_tree, relu_network
    from exactgeom.complex.measures import volume_measure

    net = relu_network([[[1, -1], [1, 1], [2, 1]], [[1, 1, -1]]], [[0, "-1/2", "1/3"], [0]], [(-1, 1), (-1, 1)])
    tree = decision_tree({"feature": 0, "threshold": 0, "left": {"leaf": "a"},
                          "right": {"feature": 1, "threshold": "1/3", "left": {"leaf": "b"}, "right": {"leaf": "c"}}},
                         [(-1, 1), (-1, 1)])
    for P in (net, tree):
        K = RiemannianComplex.from_partition(P)
        S = K._data
        for c in P.cells:  # memoise every facet volume first, as the cells section does
            for f in range(c.polytope.n_facets):
                c.polytope.facet_volume(f)
        got = volume_measure(S, 1)
        fresh = [Polytope.from_vrep(S.intersection[s].vertices).relative_volume() for s in S.simplices[1]]
        assert list(got) == fresh and len(got) == len(S.simplices[1]) > 0


def test_dihedral_angle_memo_is_consistent_and_private():
    T = Polytope.from_vrep([[0, 0], [3, 0], [1, 2]])
    first = T.dihedral_angles()
    first.clear()  # a caller's dict: the memo is not affected
    again = T.dihedral_angles()
    assert len(again) == 3
    U = Polytope.from_vrep([[0, 0], [3, 0], [1, 2]])
    for (i, j), a in again.items():
        assert a == T.dihedral_angle(i, j) == T.dihedral_angle(j, i) == U.dihedral_angle(i, j)
    with pytest.raises(InvalidInputError):
        T.dihedral_angle(0, 9)
