"""Hypothesis strategies for curvature tests: partitions full of T-junctions, weighted
graphs for Ricci curvatures and abstract simplicial complexes.

* :func:`bsp_partitions` — binary space partitions: a box cut again and again by a
  random rational hyperplane through an interior point of one random cell, so cells
  meet in T-junctions (a cell's vertex inside a neighbour's facet);
* :func:`walk_graphs` — :class:`~exactgeom.analysis.ricci.WalkGraph` values with
  rational vertex weights (zeros included), optional surd edge factors and rational
  positions;
* :func:`abstract_complexes` — finite simplicial complexes (closed under faces) as
  objects with ``simplices(p)``.

>>> from hypothesis import given, settings
>>> @settings(max_examples=3)
... @given(bsp_partitions(n=2, max_cuts=2))
... def test(P):
...     assert P.check().ok
>>> test()
"""

from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

from ..analysis.ricci import WalkGraph
from ..numbers.surd import Surd
from ..partitions.partition import Partition
from ..polytope.polytope import Polytope

__all__ = ["bsp_partitions", "walk_graphs", "abstract_complexes", "AbstractComplex"]


@st.composite
def bsp_partitions(draw: Any, n: int = 2, max_cuts: int = 4, lo: int = -2, hi: int = 2) -> Partition:
    """A binary space partition of the box ``[lo, hi]^n`` (family ``"bsp"``).

    Every cut is a hyperplane with a small integer normal through the midpoint of a
    cell's centroid and one of its vertices (an interior point), so it splits that
    cell into two full-dimensional cells.
    """
    D = Polytope.box([(lo, hi)] * n)
    cells: list[tuple[str, Polytope]] = [("", D)]
    for _ in range(draw(st.integers(1, max_cuts))):
        k = draw(st.integers(0, len(cells) - 1))
        key, C = cells[k]
        w = draw(st.lists(st.integers(-3, 3), min_size=n, max_size=n).filter(any))
        v = C.vertices[draw(st.integers(0, C.n_vertices - 1))]
        c = C.centroid()
        p = tuple((a + b) / 2 for a, b in zip(c, v))
        off = sum((Fraction(wi) * pi for wi, pi in zip(w, p)), Fraction(0))
        A, b, _, _ = C._hrep_rows()
        left = Polytope._from_h(n, A + [tuple(Fraction(x) for x in w)], b + [off])
        right = Polytope._from_h(n, A + [tuple(Fraction(-x) for x in w)], b + [-off])
        cells[k : k + 1] = [(key + "0", left), (key + "1", right)]
    return Partition(D, cells, family="bsp", provenance={"family": "bsp"})


@st.composite
def walk_graphs(
    draw: Any, max_vertices: int = 7, surd_factors: bool = False, positions: bool = True, connected: bool = False
) -> WalkGraph:
    """A random :class:`WalkGraph` (at least one edge)."""
    nv = draw(st.integers(2, max_vertices))
    pairs = list(itertools.combinations(range(nv), 2))
    edges = draw(st.lists(st.sampled_from(pairs), min_size=1, unique=True))
    if connected:
        edges = sorted(set(edges) | {(i, i + 1) for i in range(nv - 1)})
    weights = tuple(Fraction(x) for x in draw(st.lists(st.integers(0, 6), min_size=nv, max_size=nv)))
    factors = None
    if surd_factors:
        factors = {
            e: Surd(draw(st.integers(1, 4)), draw(st.sampled_from([1, 2, 3, 5, 6, 7]))) for e in edges
        }
    pos = None
    if positions:
        pts = draw(
            st.lists(
                st.tuples(st.integers(-6, 6), st.integers(-6, 6)), min_size=nv, max_size=nv, unique=True
            )
        )
        pos = tuple(tuple(Fraction(x) for x in p) for p in pts)
    return WalkGraph(nv, tuple(edges), weights, factors, None, pos)


class AbstractComplex:
    """A finite abstract simplicial complex given by its maximal simplices."""

    def __init__(self, facets: Any) -> None:
        faces: set[tuple[int, ...]] = set()
        for f in facets:
            f = tuple(sorted(set(f)))
            for k in range(1, len(f) + 1):
                faces.update(itertools.combinations(f, k))
        verts = sorted({v for s in faces for v in s})
        relabel = {v: i for i, v in enumerate(verts)}
        self._by_dim: dict[int, list[tuple[int, ...]]] = {}
        for s in faces:
            t = tuple(sorted(relabel[v] for v in s))
            self._by_dim.setdefault(len(t) - 1, []).append(t)
        for v in self._by_dim.values():
            v.sort()

    @property
    def dim(self) -> int:
        return max(self._by_dim, default=-1)

    def simplices(self, p: int) -> list[tuple[int, ...]]:
        return list(self._by_dim.get(p, []))

    def __repr__(self) -> str:
        return f"AbstractComplex(f={[len(self.simplices(p)) for p in range(self.dim + 1)]})"


@st.composite
def abstract_complexes(draw: Any, max_vertices: int = 7, max_dim: int = 3) -> AbstractComplex:
    """A random simplicial complex on at most ``max_vertices`` vertices."""
    nv = draw(st.integers(1, max_vertices))
    facets = draw(
        st.lists(
            st.lists(st.integers(0, nv - 1), min_size=1, max_size=max_dim + 1, unique=True),
            min_size=1,
            max_size=8,
        )
    )
    return AbstractComplex(facets)
