"""Cross-checks against scipy's Qhull in floats, and a degenerate suite where floats fail.

On non-degenerate random inputs Qhull's volume (ConvexHull) and vertices
(HalfspaceIntersection) agree with the exact answer to 1e-9 relative. On inputs with
near-coincident planes (offsets differing by 1e-15) or slivers of width 1e-15, Qhull
refuses, merges distinct vertices or returns a wrong volume, while the exact answer is
known in closed form and reproduced exactly.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.spatial import ConvexHull, HalfspaceIntersection, QhullError

from exactgeom import Polytope
from exactgeom.strategies.polytopes import rational_polytopes

EPS = Fraction(1, 10**15)
SIZES = {2: 9, 3: 10, 4: 11, 5: 12, 6: 14}


def _halfspaces(P: Polytope) -> np.ndarray:
    # scipy's format: [A, -b] meaning A x - b <= 0
    return np.array([[float(x) for x in h.normal] + [-float(h.offset)] for h in P.facets])


def _unit_box(d: int) -> tuple[list[list[int]], list[Fraction]]:
    A, b = [], []
    for i in range(d):
        e = [int(j == i) for j in range(d)]
        A += [e, [-x for x in e]]
        b += [Fraction(1), Fraction(0)]
    return A, b


@given(st.integers(2, 6).flatmap(lambda d: rational_polytopes(d, SIZES[d], kind="hrep")))
def test_volume_and_vertices_agree_with_qhull(P):
    exact = P.volume()
    V = np.array([[float(x) for x in v] for v in P.vertices])
    hull = ConvexHull(V)
    assert abs(hull.volume - float(exact)) <= 1e-9 * float(exact)
    hs = HalfspaceIntersection(_halfspaces(P), np.array([float(x) for x in P.centroid()]))
    pts = hs.intersections
    # every float vertex is close to an exact vertex and vice versa (Qhull may repeat a
    # vertex once per simplicial facet of the dual hull at a non-simple vertex)
    scale = 1 + max(abs(x) for x in V.flat)
    dist = np.linalg.norm(pts[:, None, :] - V[None, :, :], axis=2)
    assert dist.min(axis=1).max() <= 1e-9 * scale
    assert dist.min(axis=0).max() <= 1e-9 * scale


@given(st.integers(2, 5).flatmap(lambda d: rational_polytopes(d, d + 4, kind="vrep")))
def test_vrep_volume_agrees_with_qhull(P):
    V = np.array([[float(x) for x in v] for v in P.vertices])
    assert abs(ConvexHull(V).volume - float(P.volume())) <= 1e-9 * float(P.volume())


# ------------------------------------------------------------------ degenerate suite
@pytest.mark.parametrize("d", [2, 3, 4])
def test_sliver_of_width_1e15_is_exact_and_qhull_fails(d):
    """The slab 1 − 10^-15 <= x_0 <= 1 of the unit cube: volume exactly 10^-15."""
    A, b = _unit_box(d)
    A.append([-1] + [0] * (d - 1))
    b.append(-(1 - EPS))
    P = Polytope.from_hrep(A, b)
    assert P.volume() == EPS
    assert P.volume(method="lasserre") == EPS and P.volume(method="lawrence") == EPS
    assert P.n_vertices == 2**d and P.n_facets == 2 * d
    assert P.centroid()[0] == 1 - EPS / 2
    assert P.chebyshev_ball().radius == EPS / 2
    V = np.array([[float(x) for x in v] for v in P.vertices])
    # Qhull refuses the flat input, and with joggling or rescaling it returns a volume
    # that is wrong by orders of magnitude
    with pytest.raises(QhullError, match="flat"):
        ConvexHull(V)
    for opt in ("QJ", "QbB"):
        try:
            vol = ConvexHull(V, qhull_options=opt).volume
        except QhullError:
            continue
        assert abs(vol - float(EPS)) > 1e-9 * float(EPS)
    with pytest.raises(QhullError):
        HalfspaceIntersection(_halfspaces(P), np.array([1 - 0.5e-15] + [0.5] * (d - 1)))


@pytest.mark.parametrize("d", [2, 3])
def test_corner_cut_by_1e15_keeps_its_vertices_exactly_while_qhull_merges_them(d):
    """The unit cube cut by Σx <= d − 10^-15: the cut-off corner is a tiny simplex, so
    there are 2^d − 1 + d vertices and 2d + 1 facets; volume 1 − ε^d/d!."""
    A, b = _unit_box(d)
    A.append([1] * d)
    b.append(d - EPS)
    P = Polytope.from_hrep(A, b)
    from math import factorial

    assert P.n_vertices == 2**d - 1 + d and P.n_facets == 2 * d + 1
    assert P.volume() == 1 - EPS**d / factorial(d)
    assert P.volume(method="lasserre") == P.volume(method="lawrence") == P.volume()
    assert sum((-1) ** k * f for k, f in enumerate(P.f_vector())) == 1 - (-1) ** d
    hs = HalfspaceIntersection(
        np.array([list(map(float, a)) + [-float(c)] for a, c in zip(A, b)]), np.array([0.5] * d)
    )
    # Qhull merges the tiny corner: it reports the cube's 2^d vertices and 2d facets
    distinct = {tuple(np.round(p, 12)) for p in hs.intersections}
    assert len(distinct) < P.n_vertices
    assert len(hs.dual_vertices) < P.n_facets


@pytest.mark.parametrize("k", [15, 17, 30])
@pytest.mark.parametrize("d", [2, 3, 4])
def test_near_coincident_planes_exact_redundancy(d, k):
    """x_0 <= 1 and x_0 <= 1 + 10^-k: the second is redundant, exactly; x_0 <= 1 − 10^-k
    instead makes the first redundant and shrinks the volume by exactly 10^-k.

    At k = 15 Qhull still resolves the planes (both offsets are distinct doubles). From
    k = 17 on, the offsets round to the same double, so *no* float method can tell which
    row is the facet or see the volume change; the exact answer is unaffected."""
    eps = Fraction(1, 10**k)
    A, b = _unit_box(d)
    row = [1] + [0] * (d - 1)
    P = Polytope.from_hrep(A + [row], b + [1 + eps])
    assert P.n_facets == 2 * d and P.volume() == 1 and P == Polytope.from_hrep(A, b)
    assert 2 * d not in P.facet_input_rows and 0 in P.facet_input_rows
    Q = Polytope.from_hrep(A + [row], b + [1 - eps])
    assert Q.n_facets == 2 * d and Q.volume() == 1 - eps
    assert 0 not in Q.facet_input_rows and 2 * d in Q.facet_input_rows
    assert Q.volume(method="lasserre") == Q.volume(method="lawrence") == 1 - eps
    # duplicate-looking rows with both offsets: the tighter one wins, exactly
    both = Polytope.from_hrep(A + [row, row], b + [1 + eps, 1 - eps])
    assert both == Q
    if k >= 17:
        assert float(1 - eps) == float(1 + eps) == 1.0  # the float inputs coincide
        VQ = np.array([[float(x) for x in v] for v in Q.vertices])
        VP = np.array([[float(x) for x in v] for v in P.vertices])
        # identical float inputs for two polytopes of different exact volume
        assert np.array_equal(VQ, VP) and P.volume() != Q.volume()
        assert ConvexHull(VQ).volume == ConvexHull(VP).volume
    else:
        hs = HalfspaceIntersection(
            np.array([list(map(float, a)) + [-float(c)] for a, c in zip(A + [row], b + [1 - eps])]),
            np.array([0.5] * d),
        )
        assert sorted(hs.dual_vertices.tolist()) == sorted(Q.facet_input_rows)


def test_planes_through_vertices():
    """Planes through vertices of the cube: a vertex on more than d facets (non-simple)
    and a weakly redundant plane touching a single vertex."""
    A, b = _unit_box(3)
    # x + y + z <= 2 passes through three vertices; x + y + z <= 3 only touches (1,1,1)
    P = Polytope.from_hrep(A + [[1, 1, 1], [1, 1, 1]], b + [Fraction(2), Fraction(3)])
    assert P.n_facets == 7 and P.n_vertices == 7 and not P.is_simple()
    assert P.volume() == Fraction(5, 6)
    assert P.volume(method="lawrence") == P.volume(method="lasserre") == Fraction(5, 6)
    assert P.f_vector() == (7, 12, 7)
    W = Polytope.from_hrep(A + [[1, 1, 1]], b + [Fraction(3)])
    assert W.n_facets == 6 and W == Polytope.from_hrep(A, b)
    # 10 planes through one vertex of a 3-cube: only its 3 facets survive
    many = [[1, 1, 1], [1, 1, 0], [1, 0, 1], [0, 1, 1], [2, 1, 1], [1, 2, 1], [1, 1, 2]]
    M = Polytope.from_hrep(A + many, b + [Fraction(sum(r)) for r in many])
    assert M == W and M.n_facets == 6
