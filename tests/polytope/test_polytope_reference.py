"""Cross-checks against the slow pure-Python reference backend (no cddlib, no flint).

The oracle recomputes vertices by brute force, facets by incidence rank, faces by
intersecting facet vertex sets, and volume/centroid with a barycentric fan; see
exactgeom/polytope/backends/reference.py. Sizes are tiny: dimension <= 4, <= 12 rows.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exactgeom import DegenerateError, Polytope
from exactgeom.examples import cross_polytope, cube, regular_simplex, simplex
from exactgeom.polytope.backends.reference import RefPolytope, det, nullspace, rank, solve
from exactgeom.strategies.polytopes import rational_hreps, rational_points, rational_polytopes

ROWS = {1: 5, 2: 9, 3: 10, 4: 10}


def _compare(P: Polytope, R: RefPolytope) -> None:
    assert R.dim == P.dim
    assert R.vertices == P.vertices
    if P.is_empty:
        return
    assert set(R.facets) == set(zip(P.A, P.b))
    assert R.f_vector() == P.f_vector()
    assert R.volume() == P.volume()
    assert R.relative_volume_squared() == P.relative_volume().squared()
    assert R.centroid() == P.centroid()
    key = list(zip(P.A, P.b))
    ours = {frozenset((key[i], key[j])) for i, nb in enumerate(P.facet_adjacency()) for j in nb}
    assert ours == R.facet_adjacency()


@st.composite
def small_hreps(draw):
    d = draw(st.integers(1, 4))
    A, b = draw(rational_hreps(d, ROWS[d], degenerate=draw(st.booleans()), implicit_equalities=True))
    E, f = [], []
    if d >= 2 and draw(st.booleans()):
        from exactgeom.strategies.polytopes import rational_vectors

        E = [draw(rational_vectors(d, max_abs=3))]
        f = [Fraction(0)]  # through the origin, an interior point of the box part
    return d, A, b, E, f


@given(small_hreps())
def test_hrep_matches_reference(data):
    _, A, b, E, f = data
    P = Polytope.from_hrep(A, b, eq=(E, f) if E else None)
    R = RefPolytope.from_hrep(A, b, E, f)
    _compare(P, R)


@given(st.integers(1, 4).flatmap(lambda d: st.lists(rational_points(d, -3, 3, 4), min_size=1, max_size=d + 3)))
def test_vrep_matches_reference(points):
    P = Polytope.from_vrep(points)
    R = RefPolytope.from_vrep(points)
    _compare(P, R)


@given(st.integers(1, 4).flatmap(lambda d: rational_polytopes(d, ROWS[d], full_dimensional=False, kind="hrep")))
def test_lower_dimensional_slices_match_reference(P):
    E = [h.normal for h in P.equalities]
    R = RefPolytope.from_hrep(P.A, P.b, E, [h.offset for h in P.equalities], n=P.ambient_dim)
    _compare(P, R)
    if P.dim < P.ambient_dim:
        assert P.volume() == 0
        assert isinstance(P.relative_volume().squared(), Fraction)


@pytest.mark.parametrize(
    "P",
    [cube(3), simplex(4), cross_polytope(3), regular_simplex(3), Polytope.box([(0, "1/2"), (-1, 2)])],
    ids=["cube3", "simplex4", "cross3", "regular3", "box"],
)
def test_reference_on_closed_forms(P):
    R = RefPolytope.from_vrep(P.vertices)
    _compare(P, R)
    E = [h.normal for h in P.equalities]
    _compare(P, RefPolytope.from_hrep(P.A, P.b, E, [h.offset for h in P.equalities], n=P.ambient_dim))


def test_reference_closed_forms_by_itself():
    # the oracle has to be right on its own, not just agree with the main code
    assert RefPolytope.from_vrep([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]]).volume() == Fraction(1, 6)
    X = RefPolytope.from_vrep([[1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], [0, 0, 1], [0, 0, -1]])
    assert X.volume() == Fraction(8, 6) and X.f_vector() == (6, 12, 8)
    assert X.centroid() == (0, 0, 0)
    Rs = RefPolytope.from_vrep([[1, 0, 0], [0, 1, 0], [0, 0, 1]])
    assert Rs.dim == 2 and Rs.relative_volume_squared() == Fraction(3, 4)  # (√3/2)²
    assert RefPolytope.from_hrep([[1], [-1]], [0, -1]).is_empty
    assert det([[2, 1], [1, 1]]) == 1 and rank([[1, 1], [2, 2]], 2) == 1
    assert solve([[1, 1], [1, 1]], [1, 2]) is None
    assert nullspace([[1, 0, 0]], 3) == [(0, 1, 0), (0, 0, 1)]
    with pytest.raises(DegenerateError, match="bounded"):
        RefPolytope.from_hrep([[1, 0], [-1, 0], [0, -1]], [1, 0, 0])
    # interior points of a V-rep are dropped
    assert len(RefPolytope.from_vrep([[0, 0], [2, 0], [0, 2], [1, 1], ["1/2", "1/2"]]).vertices) == 3
    assert RefPolytope.from_vrep([[0, 0], [4, 0], [0, 4]]).volume() == 8
