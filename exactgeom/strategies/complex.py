"""Hypothesis strategies for complexes: partitions from small rational hyperplane
arrangements (degenerate on purpose: parallel, repeated, concurrent and axis-parallel
hyperplanes, hyperplanes missing the domain) and their Riemannian complexes.

>>> from hypothesis import given, settings
>>> @settings(max_examples=3, database=None)
... @given(arrangement_partitions(n=2, max_hyperplanes=3))
... def check(P):
...     assert P.check().ok
>>> check()
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

from ..complex import RiemannianComplex
from ..partitions.arrangement import arrangement
from ..partitions.partition import Partition

__all__ = ["hyperplanes", "arrangement_partitions", "box_grid_partitions", "complexes"]


@st.composite
def hyperplanes(draw: Any, n: int = 2, max_hyperplanes: int = 4, degenerate: bool = True) -> tuple[list[list[int]], list[Fraction]]:
    """``(normals, offsets)`` of up to ``max_hyperplanes`` hyperplanes in R^n with small
    integer normals and offsets in ``[-1, 1]`` (quarter steps). With ``degenerate``
    some hyperplanes repeat, are parallel, axis-parallel, pass through the origin
    together (concurrent) or miss the domain ``[-1, 1]^n``."""
    k = draw(st.integers(0, max_hyperplanes))
    normals: list[list[int]] = []
    offsets: list[Fraction] = []
    for _ in range(k):
        kind = draw(st.sampled_from(["random", "axis", "repeat", "parallel", "concurrent", "outside"]) if degenerate else st.just("random"))
        if kind == "axis" or (kind in ("repeat", "parallel") and not normals):
            i = draw(st.integers(0, n - 1))
            w = [int(j == i) for j in range(n)]
            c = Fraction(draw(st.integers(-3, 3)), 4)
        elif kind == "repeat":
            t = draw(st.integers(0, len(normals) - 1))
            w, c = list(normals[t]), offsets[t]
        elif kind == "parallel":
            t = draw(st.integers(0, len(normals) - 1))
            w, c = list(normals[t]), Fraction(draw(st.integers(-3, 3)), 4)
        else:
            w = [draw(st.integers(-2, 2)) for _ in range(n)]
            if all(x == 0 for x in w):
                w[draw(st.integers(0, n - 1))] = 1
            c = Fraction(0) if kind == "concurrent" else Fraction(draw(st.integers(-3, 3)), 4)
            if kind == "outside":
                c = Fraction(sum(abs(x) for x in w) + 1)
        normals.append(w)
        offsets.append(c)
    return normals, offsets


@st.composite
def arrangement_partitions(draw: Any, n: int = 2, max_hyperplanes: int = 4, degenerate: bool = True) -> Partition:
    """Partitions of ``[-1, 1]^n`` by a drawn arrangement (:func:`hyperplanes`)."""
    W, c = draw(hyperplanes(n, max_hyperplanes, degenerate))
    return arrangement(W, c, [(-1, 1)] * n) if W else arrangement([[0] * n], [1], [(-1, 1)] * n)


@st.composite
def box_grid_partitions(draw: Any, n: int = 2, max_cuts: int = 3) -> tuple[Partition, list[list[Fraction]]]:
    """A grid partition of a box by axis-parallel hyperplanes; returns the partition
    and the sorted breakpoints (domain ends included) along each axis."""
    breaks = []
    normals: list[list[int]] = []
    offsets: list[Fraction] = []
    for i in range(n):
        cuts = sorted(set(draw(st.lists(st.integers(1, 7), max_size=max_cuts))))
        pts = [Fraction(0)] + [Fraction(x, 4) for x in cuts] + [Fraction(2)]
        breaks.append(pts)
        for x in pts[1:-1]:
            normals.append([int(j == i) for j in range(n)])
            offsets.append(x)
    box = [(Fraction(0), Fraction(2))] * n
    P = arrangement(normals, offsets, box) if normals else arrangement([[0] * n], [1], box)
    return P, breaks


@st.composite
def complexes(draw: Any, n: int = 2, max_hyperplanes: int = 4, **kwargs: Any) -> RiemannianComplex:
    """Riemannian complexes of drawn arrangement partitions; ``convention`` is drawn
    unless given in ``kwargs``."""
    P = draw(arrangement_partitions(n, max_hyperplanes))
    conv = kwargs.pop("convention", None) or draw(st.sampled_from(["facet", "nerve"]))
    return RiemannianComplex.from_partition(P, convention=conv, **kwargs)
