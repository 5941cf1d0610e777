"""Named, deterministic examples: polytopes with known closed forms and small partitions.

They feed the tests, the docs, the notebooks and the golden fixtures.

>>> cube(3).volume(), simplex(3).volume(), cross_polytope(3).volume()
(Fraction(1, 1), Fraction(1, 6), Fraction(4, 3))
>>> regular_simplex(3).dihedral_angle(0, 1).cos
Surd('1/3')
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

from .errors import InvalidInputError
from .polytope.polytope import Polytope

if TYPE_CHECKING:  # pragma: no cover
    from .partitions.partition import Partition

__all__ = [
    "cube",
    "box",
    "simplex",
    "regular_simplex",
    "cross_polytope",
    "crossing_lines",
]


def _check_d(d: int) -> None:
    if not isinstance(d, int) or d < 1:
        raise InvalidInputError(f"dimension must be a positive int, got {d!r}")


def cube(d: int, side: int | Fraction = 1) -> Polytope:
    """The cube ``[0, side]^d``: volume side^d, 2d facets, all dihedral angles π/2."""
    _check_d(d)
    return Polytope.box([(0, side)] * d)


def box(*sides: int | Fraction) -> Polytope:
    """The box ``∏ [0, side_i]``."""
    return Polytope.box([(0, s) for s in sides])


def simplex(d: int) -> Polytope:
    """The standard simplex ``conv(0, e_1, …, e_d)``: volume 1/d!, dihedral angles π/2
    (between coordinate facets) and arccos(1/√d) (with the slanted facet)."""
    _check_d(d)
    pts = [[0] * d] + [[int(i == j) for j in range(d)] for i in range(d)]
    return Polytope.from_vrep(pts)


def regular_simplex(d: int) -> Polytope:
    """The regular d-simplex ``conv(e_1, …, e_{d+1})`` in R^{d+1} (a lower-dimensional
    polytope): edge √2, dihedral angle arccos(1/d), d-volume √(d+1)/d!."""
    _check_d(d)
    return Polytope.from_vrep([[int(i == j) for j in range(d + 1)] for i in range(d + 1)])


def cross_polytope(d: int) -> Polytope:
    """The cross-polytope ``conv(±e_i)``: volume 2^d/d!, 2^d facets."""
    _check_d(d)
    pts = []
    for i in range(d):
        for s in (1, -1):
            pts.append([s * int(i == j) for j in range(d)])
    return Polytope.from_vrep(pts)


def crossing_lines() -> Partition:
    """Two lines crossing at the centre of the square ``[-1, 1]²`` (four unit cells)."""
    from .partitions.arrangement import arrangement

    return arrangement([[1, 0], [0, 1]], [0, 0], [(-1, 1), (-1, 1)])

