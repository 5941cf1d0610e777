"""Which route ``exactgeom analyse`` takes for a partition, and the note that says so.

* ``"boxes"``: every cell (and the domain) is an axis-parallel box with known vertices
  (an axis-aligned decision tree, a refinement of such trees, an axis-parallel
  arrangement): volumes, facet and shared-face volumes, centroids and dihedral angles are
  closed forms stored on the cells (:func:`exactgeom.polytope.boxes.store_box_measures`)
  and the angle defects are read from the boxes' bounds
  (:mod:`exactgeom.analysis.box_curvature`): the full volume summary and every section,
  without triangulations or face lattices;
* ``"volume_free"``: the cells are H-first (no vertices:
  :func:`~exactgeom.io.fixtures.partition_vertex_free`), or, above
  :data:`~exactgeom.polytope.polytope.VERTEX_ENGINE_MAX_DIM` inputs, the cells' summed
  vertex count is above :data:`ANALYSE_VERTEX_BUDGET` (volumes, face volumes and angle
  defects would be slow): the volume-free summary (cell graph, facets, check, data
  measure) and a JSON result storing the cells by their facets;
* ``"vertices"``: the volume summary from the cells' vertices (everything else).

>>> from exactgeom import arrangement, decision_tree
>>> analyse_route(decision_tree({"feature": 0, "threshold": 0, "left": {"leaf": 0}, "right": {"leaf": 1}},
...                             [(-1, 1)] * 8)).name
'boxes'
>>> analyse_route(arrangement([[1, 1]], [0], [(-1, 1), (-1, 1)])).name
'vertices'
"""

from __future__ import annotations

from dataclasses import dataclass

from ..analysis.box_curvature import is_box_partition
from ..partitions.partition import Partition
from ..polytope.boxes import box_bounds, store_box_measures
from ..polytope.polytope import VERTEX_ENGINE_MAX_DIM
from .fixtures import partition_vertex_free

__all__ = ["ANALYSE_VERTEX_BUDGET", "AnalyseRoute", "analyse_route", "summed_vertex_count"]

#: Above :data:`~exactgeom.polytope.polytope.VERTEX_ENGINE_MAX_DIM` inputs, ``analyse`` of a
#: partition that is not made of boxes takes the volume-free route when its cells have more
#: vertices than this in all (their triangulations, face lattices and angle-defect
#: arrangements grow much faster than the vertex count there: before the box route, a
#: 3-leaf tree on [-1, 1]^8, 768 vertices, took ~15 s, and a 8-4-1 ReLU net, 16 cells with
#: 9,010 vertices, did not finish in 600 s).
ANALYSE_VERTEX_BUDGET = 2_000


@dataclass(frozen=True)
class AnalyseRoute:
    """``name`` (``"boxes"``, ``"volume_free"`` or ``"vertices"``), the ``note`` stored in
    the JSON result's ``notes``, the summed vertex count (-1: not counted, H-first cells)
    and whether the cells' known vertices are hidden (``forced``: the volume-free route of
    a partition whose vertices are known)."""

    name: str
    note: str
    n_vertices: int
    forced: bool = False


def summed_vertex_count(partition: Partition) -> int:
    """The cells' vertex counts added up: exact where the vertices are known, McMullen's
    upper bound for H-first cells (nothing is enumerated).

    >>> from exactgeom import arrangement
    >>> summed_vertex_count(arrangement([[1, 0]], [0], [(-1, 1), (-1, 1)]))
    8
    """
    return sum(c.polytope.vertex_estimate() for c in partition.cells)


def analyse_route(partition: Partition, budget: int | None = None) -> AnalyseRoute:
    """The route of ``exactgeom analyse`` for ``partition`` (module docstring); on the
    ``"boxes"`` route the closed forms are stored on cells that lack them. ``budget``:
    the summed vertex count above which a high-dimensional partition takes the volume-free
    route (default :data:`ANALYSE_VERTEX_BUDGET`)."""
    budget = ANALYSE_VERTEX_BUDGET if budget is None else budget
    n = partition.ambient_dim
    if partition_vertex_free(partition):  # no count: McMullen's bounds may need LPs per cell
        return AnalyseRoute("volume_free", f"route volume_free: the cells (or the domain) are H-first polytopes in "
                            f"R^{n} whose vertices are not enumerated; the summary and result need no volume", -1)
    total = summed_vertex_count(partition)
    if is_box_partition(partition):
        for c in partition.cells:
            if "_volume_any" not in c.polytope.__dict__:
                store_box_measures(c.polytope, *box_bounds(c.polytope))  # type: ignore[misc]
        return AnalyseRoute("boxes", f"route boxes: every cell is an axis-parallel box in R^{n} ({total} vertices in "
                            "all): volumes, facet and face volumes, centroids, dihedral angles and angle defects in "
                            "closed form", total)
    if n > VERTEX_ENGINE_MAX_DIM and total > budget:
        return AnalyseRoute("volume_free", f"route volume_free: the cells in R^{n} have {total} vertices in all, above "
                            f"the budget {budget} (exactgeom.io.analyse_route.ANALYSE_VERTEX_BUDGET): volumes, face "
                            "volumes and angle defects are left out; the cells are stored by their facets", total,
                            forced=True)
    return AnalyseRoute("vertices", f"route vertices: volumes and angles from the cells' vertices ({total} in all, "
                        f"R^{n})", total)
