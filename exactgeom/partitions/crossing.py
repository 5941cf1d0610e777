"""Full partitions built H-first: cells, adjacency and check by facet crossing, no vertices.

A box in R^n has 2^n vertices, so above a few inputs the vertex route (cutting the domain's
vertices) is out of reach. For the families whose cells are the regions of a *key* fixed
by the signs of affine functions — ReLU networks (activation patterns), hyperplane
arrangements (sign vectors), argmax-linear classifiers and Voronoi diagrams (the winning
class or site) — every cell is the exact H-polytope of its key's inequalities
(:meth:`~exactgeom.Polytope.from_hrep` on the LP engine), and the cells are reached from
one another by crossing facets:

* the **facet-crossing rule**: the key across facet ``F`` of a cell is the model's key at
  ``w + εν + ε²e_1 + … + ε^(n+1)e_n`` for every small ``ε > 0``, with ``w`` an exact point
  of ``F``'s relative interior (:meth:`~exactgeom.Polytope.facet_witness`) and ``ν`` its
  outward normal; it is computed exactly by comparing the affine functions lexicographically
  (value at ``w``, then derivatives along ``ν, e_1, …, e_n``). ReLU networks use
  :func:`~exactgeom.partitions.relu_data.cross_facet`, other models their ``key_across``;
* :func:`crossing_cells` builds every cell by traversal across facets from the key at the
  domain's interior point (:func:`model_cells` for models with ``key_across``/``rows_of``,
  :func:`~exactgeom.partitions.relu_data.hfirst_full` for ReLU networks);
* :class:`CrossingPartition` gives :meth:`~exactgeom.partitions.crossing.CrossingPartition.adjacency` by crossing every
  facet and :meth:`~exactgeom.partitions.crossing.CrossingPartition.check` by **closure under crossing**.

Why closure proves the tiling. Each cell is the closure of one key's region (its
H-representation is the key's inequalities; the check confirms that the model's key at an
interior point is the cell's key), so distinct keys have disjoint interiors. Across the
relative interior of a facet ``F`` of a cell ``C`` the key is the same at every point outside
a set of dimension ``n − 2``: for an arrangement only the hyperplanes containing ``F``
change sign; for an argmax only the classes tied with ``C``'s on ``F``'s hyperplane can take
over, and which one does is decided by the derivative along ``ν``, the same along ``F``; for
a ReLU network a unit that is nonzero on the relative interior keeps its sign (continuity),
and the pre-activation of a deeper unit after the crossing agrees with its pre-activation
on ``C``'s side on the crossed hyperplane (the network is continuous), so it vanishes on
``F`` only on a codimension-2 subset or on all of ``F`` (then its sign across is read from
its gradient, the same along ``F``). So one crossing per facet names *the* neighbour across
the whole facet. If every facet that is not on the domain's boundary crosses into a cell of
the partition, the union ``U`` of the cells has no boundary inside the domain's interior
except a set of dimension ``n − 2``; ``U`` is closed and the interior of a convex domain stays
connected without such a set, so ``U`` is the whole domain. (Decision trees do not have this
property — a leaf's facet can face several leaves — and keep the vertex route.)
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Hashable, Iterator, Sequence
from fractions import Fraction
from typing import Any

from ..errors import InvalidInputError
from ..numbers.rational import PolicyLike, as_rational_matrix, short_str
from ..polytope.polytope import Polytope
from .partition import CheckReport
from .relu_data import (
    ENGINES,
    VERTEX_ENGINE_MAX_DIM,
    DataPartition,
    FacetCrossing,
    _domain_planes,
    domain_centre,
    make_bar,
)

__all__ = ["CrossingPartition", "crossing_cells", "model_cells", "lex_sign", "resolve_engine"]

Vec = tuple[Fraction, ...]
#: an affine function's inequality rows of a key: ``(A, b)`` with ``A x <= b``
Rows = tuple[list[Vec], list[Fraction]]


def resolve_engine(engine: str, n: int) -> str:
    """``"vertices"`` or ``"lp"`` for ``engine`` in ``("auto", "vertices", "lp")``:
    ``"auto"`` takes the vertex route up to ``VERTEX_ENGINE_MAX_DIM`` (6) inputs."""
    if engine not in ENGINES:
        raise InvalidInputError(f"unknown engine {engine!r}; use one of {', '.join(map(repr, ENGINES))}")
    if engine == "auto":
        return "vertices" if n <= VERTEX_ENGINE_MAX_DIM else "lp"
    return engine


def lex_sign(value: Fraction, w: Sequence[Fraction], directions: Sequence[Sequence[Any]]) -> int:
    """The sign of ``value + w·(εd_1 + ε²d_2 + …)`` for every small ``ε > 0``: the sign of
    the first nonzero among ``value, w·d_1, w·d_2, …`` (0 when all vanish).

    >>> lex_sign(Fraction(0), (1, -1), [(1, 1), (0, 1)])   # 0, then 0, then -1
    -1
    """
    if value:
        return 1 if value > 0 else -1
    for d in directions:
        s = sum((a * x for a, x in zip(w, d) if a and x), Fraction(0))
        if s:
            return 1 if s > 0 else -1
    return 0


def generic_directions(n: int, first: Sequence[Any] | None = None) -> list[tuple[int, ...]]:
    """``[first, e_1, …, e_n]`` (``first`` omitted when ``None``): a lexicographic
    perturbation that leaves every nonzero affine function nonzero."""
    E = [tuple(int(i == k) for i in range(n)) for k in range(n)]
    return ([tuple(first)] if first is not None else []) + E


def crossing_cells(
    start: Hashable,
    cell_of: Callable[[Hashable], Polytope],
    cross: Callable[[Polytope, int], Hashable],
    domain: Polytope,
    progress: bool | None = None,
    desc: str = "cells",
) -> list[tuple[Hashable, Polytope]]:
    """Every cell of ``domain``, sorted by key, by traversal across facets from the cell
    of key ``start``: ``cell_of(key)`` is the key's H-first cell, ``cross(P, f)`` the key
    across facet ``f`` of cell ``P`` (facets on the domain's boundary are not crossed).
    A key reached by a crossing has a full-dimensional cell (the perturbed point is
    generic), which is asserted."""
    n = domain.ambient_dim
    planes = _domain_planes(domain)
    seen = {start}
    queue = [start]
    found: dict[Hashable, Polytope] = {}
    bar = make_bar(progress, None, desc)
    t0 = time.perf_counter()
    try:
        while queue:
            k = queue.pop()
            P = cell_of(k)
            if P.dim != n:  # pragma: no cover - guarded by the facet-crossing theorem
                raise AssertionError(f"internal error: reached key {k!r} has no full-dimensional cell")
            found[k] = P
            for f, h in enumerate(P.facets):
                if (tuple(h.normal), h.offset) in planes:
                    continue
                t = cross(P, f)
                if t not in seen:
                    seen.add(t)
                    queue.append(t)
            if bar is not None:
                bar.update(1)
                bar.set_postfix(queue=len(queue), refresh=False)
    except KeyboardInterrupt:
        print(f"\n{desc}: interrupted after {len(found)} cells in {time.perf_counter() - t0:.1f} s; "
              "no partition was returned", file=sys.stderr)
        raise
    finally:
        if bar is not None:
            bar.close()
    return sorted(found.items(), key=lambda kv: kv[0])  # type: ignore[arg-type, return-value]


def model_cells(model: Any, domain: Polytope, desc: str) -> list[tuple[Hashable, Polytope]]:
    """:func:`crossing_cells` for a model with ``key_across(x, directions)`` and
    ``rows_of(key)`` (arrangements, argmax, Voronoi): each cell is the domain's rows and
    its key's rows on the LP engine; the start is the key at the domain's interior point
    perturbed along ``e_1, …, e_n``."""
    n = domain.ambient_dim
    A0 = [tuple(Fraction(a) for a in h.normal) for h in domain.facets]
    b0 = [h.offset for h in domain.facets]

    def cell_of(key: Hashable) -> Polytope:
        A, b = model.rows_of(key)
        return Polytope.from_hrep(A0 + A, b0 + b, engine="lp")

    def cross(P: Polytope, f: int) -> Hashable:
        return model.key_across(tuple(P.facet_witness(f)), generic_directions(n, P.facets[f].normal))

    start = model.key_across(tuple(domain.relative_interior_point()), generic_directions(n))
    return crossing_cells(start, cell_of, cross, domain, desc=desc)


class CrossingPartition(DataPartition):
    """Every cell of the domain, built H-first (ReLU networks, arrangements, argmax-linear
    classifiers and Voronoi diagrams on the LP engine): ``adjacency()`` by facet crossing
    and ``check()`` by closure under crossing, both without vertices (see
    :mod:`exactgeom.partitions.crossing`).

    >>> from exactgeom import arrangement, relu_network
    >>> P = relu_network([[[1, 0], [0, 1]], [[1, 1]]], [[0, 0], [0]], [(-1, 1), (-1, 1)], engine="lp")
    >>> type(P).__name__, P.n_cells, len(P.adjacency())
    ('CrossingPartition', 4, 4)
    >>> P.check().ok, P.check().tiling
    (True, True)
    >>> Q = arrangement([[1] * 20, [1, -1] * 10], [0, 0], [(-1, 1)] * 20)   # H-first above 6 inputs
    >>> Q.n_cells, [c.key for c in Q.cells], len(Q.adjacency())
    (4, [(-1, -1), (-1, 1), (1, -1), (1, 1)], 4)
    """

    @property
    def is_data_partition(self) -> bool:
        """False: every cell of the domain is present (they tile it)."""
        return False

    def adjacency(self, *, progress: bool | None = None) -> tuple[Any, ...]:
        """The pairs of cells sharing an (n−1)-face, found by crossing every facet
        (normal oriented from ``i`` to ``j``; the face polytope, an exact H-polytope, and
        its volume on demand). Cached; ``progress`` shows a tqdm bar the first time."""
        return super().adjacency(progress=progress)

    def _crossings_of(self, i: int) -> Iterator[FacetCrossing]:
        across = getattr(self.model, "key_across", None)
        if across is None:  # a ReLU network: its own crossing rule
            yield from super()._crossings_of(i)
            return
        P = self.cells[i].polytope
        planes, index = self._planes, self._key_index
        n = self.ambient_dim
        for f, h in enumerate(P.facets):
            if (tuple(h.normal), h.offset) in planes:
                yield FacetCrossing(i, f, None, None, P)
                continue
            t = across(tuple(P.facet_witness(f)), generic_directions(n, h.normal))
            yield FacetCrossing(i, f, t, index.get(t), P)

    def data_cell_indices(self, points: Any, *, policy: PolicyLike | None = None) -> tuple[int, ...]:
        """The cell of each point: for a ReLU network by :meth:`ReLUNetwork.cell_pattern`,
        for other models by the key at the point moved towards the domain's interior point
        (``x + ε(c − x) + ε²e_1 + …``), so a point on a boundary goes to the cell on the
        centre's side (then the side of ``e_1``, …), as for ReLU networks.

        >>> from exactgeom import argmax_linear
        >>> P = argmax_linear([[1, 0], [-1, 0]], [0, 0], [(-1, 1), (-1, 1)], engine="lp")
        >>> P.data_cell_indices([["1/2", 0], ["-1/2", 1], [0, "1/2"]])   # (0, 1/2) is on x = 0: e_1 decides
        (0, 1, 0)

        Raises
        ------
        InvalidInputError
            A point of the wrong dimension or outside the domain.
        """
        across = getattr(self.model, "key_across", None)
        if across is None:
            return super().data_cell_indices(points, policy=policy)
        n = self.ambient_dim
        pts = as_rational_matrix(points, policy, name="points")
        index = self._key_index
        centre = domain_centre(self.domain)
        out = []
        for k, x in enumerate(pts):
            if len(x) != n:
                raise InvalidInputError(f"points must have {n} coordinates (the partition lives in R^{n})")
            if not self.domain.contains(x):
                raise InvalidInputError(f"point {k} = {short_str(tuple(x))} lies outside the domain; give points inside it")
            towards = tuple(a - b for a, b in zip(centre, x))
            j = index.get(across(tuple(x), generic_directions(n, towards)))
            if j is None:  # pragma: no cover - the cells tile the domain
                raise AssertionError(f"internal error: point {k} is in no cell")
            out.append(j)
        return tuple(out)

    def _run_check(self, bar: Any, *, volumes: bool = False) -> CheckReport:
        """The checks of a data partition (distinct keys; each cell full-dimensional with an
        interior point inside the domain where the model's key is the cell's key) and the
        closure under crossing: every facet off the domain's boundary crosses into a cell
        of the partition. Together they prove the tiling (``tiling=True``; the argument is
        in the module docstring). ``volumes=True`` also sums the cells' exact volumes (this
        needs their vertices) and requires the domain's volume."""
        rep = super()._run_check(bar, volumes=False)
        problems = list(rep.problems)
        for c in self.cells:
            for fc in self.facet_crossings(c.index):
                if fc.pattern is not None and fc.neighbour is None:
                    problems.append(
                        f"cell {c.index} (key {c.key!r}): across facet {fc.facet} lies the key {fc.pattern!r}, "
                        "which has no cell: the cells do not cover the domain"
                    )
        total = dv = None
        if volumes:
            total = sum((c.volume() for c in self.cells), Fraction(0))
            dv = self.domain.volume()
            if total != dv:
                problems.append(f"cell volumes sum to {total}, not the domain's volume {dv}")
        return CheckReport(not problems, tuple(problems), total, dv, tiling=not problems)
