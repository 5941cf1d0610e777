"""Full partitions of ReLU networks built H-first: adjacency and check without vertices.

``relu_network(..., mode="full")`` on the H-first engine (``engine="lp"``, leaky networks,
or ``engine="auto"`` above :data:`~exactgeom.partitions.relu_data.VERTEX_ENGINE_MAX_DIM`
inputs) reaches every cell by crossing facets (:func:`~exactgeom.partitions.relu_data.hfirst_full`).
The cells are exact H-polytopes whose vertices may be unaffordable (a box in R^20 has about
a million), so the vertex-based adjacency and tiling check of :class:`Partition` do not
apply. :class:`CrossingPartition` answers both from the facets alone:

* :meth:`~CrossingPartition.adjacency` pairs cells by the **facet-crossing rule** (the
  pattern across each facet, the same rule as the data graph of
  :class:`~exactgeom.partitions.relu_data.DataPartition`, here over every cell);
* :meth:`~CrossingPartition.check` proves the tiling by **closure under crossing**.

Why closure proves the tiling. Each cell is the closure of one activation pattern's region
(its H-representation is the pattern's sign conditions; the check confirms that the model's
pattern at an interior point is the cell's key), so distinct keys have disjoint interiors.
Across the relative interior of a facet ``F`` of a cell ``C`` lying on the zero set of a
unit ``u``, the pattern is the same at every point outside a set of dimension ``n − 2``:
a unit that is nonzero on the relative interior keeps its sign (continuity), and the
pre-activation of a deeper unit after the crossing agrees with its pre-activation on
``C``'s side on the hyperplane of ``u`` (the network is continuous), so it vanishes on
``F`` only on a codimension-2 subset or on all of ``F`` (then its sign across is read from
its gradient, the same along ``F``). So one crossing per facet names *the* neighbour across
the whole facet. If every facet that is not on the domain's boundary crosses into a cell
of the partition, the union ``U`` of the cells has no boundary inside the domain's interior
except a set of dimension ``n − 2``; ``U`` is closed and the interior of a convex domain
stays connected without such a set, so ``U`` is the whole domain.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from .partition import CheckReport
from .relu_data import DataPartition

__all__ = ["CrossingPartition"]


class CrossingPartition(DataPartition):
    """Every cell of a ReLU network, built H-first (``relu_network(..., mode="full")`` on
    the LP engine): :meth:`adjacency` by facet crossing and :meth:`check` by closure under
    crossing, both without vertices (see :mod:`exactgeom.partitions.relu_crossing`).

    >>> from exactgeom import relu_network
    >>> P = relu_network([[[1, 0], [0, 1]], [[1, 1]]], [[0, 0], [0]], [(-1, 1), (-1, 1)], engine="lp")
    >>> type(P).__name__, P.n_cells, len(P.adjacency())
    ('CrossingPartition', 4, 4)
    >>> P.check().ok, P.check().tiling
    (True, True)
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
                        f"cell {c.index} (key {c.key!r}): across facet {fc.facet} lies the pattern {fc.pattern!r}, "
                        "which has no cell: the cells do not cover the domain"
                    )
        total = dv = None
        if volumes:
            total = sum((c.volume() for c in self.cells), Fraction(0))
            dv = self.domain.volume()
            if total != dv:
                problems.append(f"cell volumes sum to {total}, not the domain's volume {dv}")
        return CheckReport(not problems, tuple(problems), total, dv, tiling=not problems)
