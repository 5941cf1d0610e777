"""What :meth:`RiemannianComplex.from_partition
<exactgeom.complex.complex.RiemannianComplex.from_partition>` does before the complex
exists: check its options, read the data points (exact rationals, one weight each) and
locate them in the cells, and build the simplices of the chosen convention
(:func:`~exactgeom.complex.simplices.facet_simplices` or
:func:`~exactgeom.complex.simplices.nerve_simplices`, with the lower-dimensional contacts
dropped under ``lowdim_measure="skip"``).

The class keeps the option documentation (its docstring) and the values; this module
holds the checks and the building, so that ``complex.py`` reads as the complex's
interface. Definitions: ``docs/definitions/complex.md``.

>>> from exactgeom import arrangement
>>> P = arrangement([[1, 0]], [0], [(-1, 1), (0, 1)])
>>> S, points, weights, cells = build_parts(P, "facet", "data", "diagonal", [["1/2", "1/2"]], None,
...                                         "nearest_face", None, None, None, "own_dim", False)
>>> [len(s) for s in S.simplices], cells, weights
([2, 1], (1,), (Fraction(1, 1),))
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from ..errors import InvalidInputError
from ..numbers.rational import PolicyLike, as_rational_matrix, as_rational_vector
from ..partitions._progress import check_progress
from ..partitions.partition import Partition
from . import measures as _m
from .metrics import METRICS
from .simplices import SimplexData, facet_simplices, nerve_simplices

__all__ = ["CONVENTIONS", "build_parts"]

CONVENTIONS = ("facet", "nerve")


def build_parts(
    partition: Partition,
    convention: str,
    measure: str,
    metric: str,
    data: Any,
    data_weights: Any,
    data_rule: str,
    max_dim: int | None,
    max_simplices: int | None,
    policy: PolicyLike | None,
    lowdim_measure: str,
    progress: bool | None,
) -> tuple[SimplexData, Any, Any, Any]:
    """Check ``from_partition``'s options and build its parts: the simplex data, the
    data points, their weights and their cells (the last three ``None`` without data)."""
    if not isinstance(partition, Partition):
        raise InvalidInputError(f"expected a Partition, got {type(partition).__name__}")
    if convention not in CONVENTIONS:
        raise InvalidInputError(f"unknown convention {convention!r}; use one of {CONVENTIONS}")
    if measure not in _m.MEASURES:
        raise InvalidInputError(f"unknown measure {measure!r}; use one of {_m.MEASURES}")
    if metric not in METRICS:
        raise InvalidInputError(f"unknown metric {metric!r}; use one of {METRICS}")
    if data_rule not in _m.DATA_RULES:
        raise InvalidInputError(f"unknown data_rule {data_rule!r}; use one of {_m.DATA_RULES}")
    if lowdim_measure not in _m.LOWDIM_MEASURES:
        raise InvalidInputError(f"unknown lowdim_measure {lowdim_measure!r}; use one of {_m.LOWDIM_MEASURES}")
    if max_dim is not None and (not isinstance(max_dim, int) or isinstance(max_dim, bool) or max_dim < 0):
        raise InvalidInputError(f"max_dim must be a non-negative int or None, got {max_dim!r}")
    if max_simplices is not None and (
        not isinstance(max_simplices, int) or isinstance(max_simplices, bool) or max_simplices < 1
    ):
        raise InvalidInputError(f"max_simplices must be a positive int or None (no cap), got {max_simplices!r}")
    check_progress(progress)
    if measure in ("data", "mixed") and data is None:
        raise InvalidInputError(f"measure={measure!r} needs data points: pass data=[...]")
    n = partition.ambient_dim
    points = weights = cells = None
    if data is not None:
        pts = as_rational_matrix(data, policy, name="data")
        if any(len(x) != n for x in pts):
            raise InvalidInputError(f"data points must have {n} coordinates (the partition lives in R^{n})")
        if data_weights is None:
            w = tuple(Fraction(1) for _ in pts)
        else:
            w = as_rational_vector(data_weights, policy, name="data_weights", length=len(pts))
            if any(x < 0 for x in w):
                raise InvalidInputError("data_weights must be non-negative")
        cells = _m.locate_points(partition, pts)
        points, weights = tuple(pts), w
    elif data_weights is not None:
        raise InvalidInputError("data_weights given without data")
    if convention == "facet":
        S = facet_simplices(partition, max_dim, progress)
    else:
        S = nerve_simplices([c.polytope for c in partition.cells], max_dim, max_simplices=max_simplices)
        if lowdim_measure == "skip":
            S = _m.skip_lowdim(S, n)
    return S, points, weights, cells
