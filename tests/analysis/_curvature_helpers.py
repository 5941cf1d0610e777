"""Shared helper for the curvature tests: the complex of a partition."""

from __future__ import annotations

from typing import Any

from exactgeom.complex import RiemannianComplex


def complex_of(partition: Any, convention: str = "facet", **kwargs: Any) -> RiemannianComplex:
    return RiemannianComplex.from_partition(partition, convention=convention, **kwargs)
