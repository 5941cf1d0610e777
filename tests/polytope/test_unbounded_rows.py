"""Rows tight at no point of an unbounded polyhedron are not facets (regression: such
rows, e.g. cddlib's own ``0 <= 1`` in V→H output, used to crash construction)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from exactgeom import DegenerateError, Polytope


@pytest.mark.parametrize(
    ("make", "dim", "facets", "area"),
    [
        (lambda: Polytope.from_vrep([[0, 0]], [[1, 0], [0, 1]]), 2, {((-1, 0), 0), ((0, -1), 0)}, 1),  # quadrant
        (lambda: Polytope.from_vrep([[0, 0]], [[1, 0], [-1, 0], [0, 1]]), 2, {((0, -1), 0)}, 2),  # half-plane
        (lambda: Polytope.from_hrep([[0, 0]], [1]), 2, set(), 4),  # the whole plane
        (lambda: Polytope.from_hrep([[1, 1], [0, 0]], [1, 1]), 2, {((1, 1), 1)}, Fraction(7, 2)),  # a zero row beside a facet
    ],
)
def test_rows_tight_at_no_point_are_not_facets(make, dim, facets, area) -> None:
    P = make()
    assert P.dim == dim and not P.is_bounded
    assert {(h.normal, h.offset) for h in P.facets} == {(a, Fraction(b)) for a, b in facets}
    with pytest.raises(DegenerateError, match="intersect it with a box"):
        P.volume()
    # cut by the box [-1, 1]², each has its hand-computed exact area
    assert P.restrict_to_box([(-1, 1), (-1, 1)]).volume() == area
