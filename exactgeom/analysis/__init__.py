"""L5: analysis on partitions and complexes.

Pullback of forms through ReLU layers (:mod:`.forms`), angle defects and vertex
curvature (:mod:`.curvature`), Ollivier and Forman Ricci curvature (:mod:`.ricci`,
exact transport in :mod:`.transport`), geometric regularizers (:mod:`.regularize`; the
differentiable torch versions live in :mod:`.regularize_torch`, imported on demand), and
the topology of decision regions (:mod:`.topology`).

Importing this package also provides the analysis methods of the lower layers' types
(the lower layers may not import upward):

* ``Partition.angle_defects()`` → :func:`angle_defects`
* ``RiemannianComplex.vertex_curvature(...)`` → :func:`vertex_curvature`
* ``RiemannianComplex.ricci_curvature(...)`` → :func:`ricci_curvature`
* ``RiemannianComplex.curvature_report(...)`` → :func:`curvature_report`
* ``Partition.decision_topology()`` → :func:`decision_topology`

>>> import exactgeom
>>> P = exactgeom.arrangement([[1, 0], [0, 1]], [0, 0], [(-1, 1), (-1, 1)])
>>> [d.is_zero() for d in P.angle_defects()]
[True]
"""

from __future__ import annotations

from typing import Any

from ..complex.complex import RiemannianComplex
from ..partitions.partition import Partition
from .curvature import AngleDefect, CellAngle, angle_defects, defect_table, gauss_bonnet_total, vertex_curvature
from .curvature_report import CurvatureReport, curvature_report
from .forms import (
    CellForms,
    CellTrajectory,
    Chart,
    LayerGeometry,
    UnitForm,
    cell_forms,
    follow_cell,
    follow_data_cells,
    volume_factor,
)
from .regularize import (
    Penalties,
    RegularizationPlan,
    assign_data,
    boundary_area,
    build_plan,
    geometric_penalties,
    margin_penalty,
    sliver_angle_penalty,
    small_cell_penalty,
)
from .ricci import WalkGraph, forman_ricci_graph, lazy_walk, ollivier_ricci_graph, ricci_curvature
from .rotation import AngleSum
from .surd_ratio import SurdRatio
from .topology import DecisionPiece, DecisionTopology, decision_topology
from .transport import wasserstein1

__all__ = [
    # topology
    "decision_topology",
    "DecisionTopology",
    "DecisionPiece",
    # curvature
    "AngleDefect",
    "CellAngle",
    "angle_defects",
    "defect_table",
    "vertex_curvature",
    "gauss_bonnet_total",
    "AngleSum",
    "curvature_report",
    "CurvatureReport",
    # ricci
    "ricci_curvature",
    "WalkGraph",
    "lazy_walk",
    "ollivier_ricci_graph",
    "forman_ricci_graph",
    "wasserstein1",
    "SurdRatio",
    # forms
    "cell_forms",
    "CellForms",
    "Chart",
    "UnitForm",
    "volume_factor",
    "follow_cell",
    "follow_data_cells",
    "CellTrajectory",
    "LayerGeometry",
    # regularization
    "assign_data",
    "small_cell_penalty",
    "sliver_angle_penalty",
    "boundary_area",
    "margin_penalty",
    "geometric_penalties",
    "Penalties",
    "build_plan",
    "RegularizationPlan",
]


def _bind(cls: type, name: str, fn: Any) -> None:
    def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        return fn(self, *args, **kwargs)

    method.__name__ = name
    method.__qualname__ = f"{cls.__name__}.{name}"
    method.__doc__ = f"Same as :func:`exactgeom.analysis.{fn.__name__}` with this object first.\n\n" + (
        fn.__doc__ or ""
    )
    setattr(cls, name, method)


_bind(Partition, "angle_defects", angle_defects)
_bind(Partition, "decision_topology", decision_topology)
_bind(RiemannianComplex, "vertex_curvature", vertex_curvature)
_bind(RiemannianComplex, "ricci_curvature", ricci_curvature)
_bind(RiemannianComplex, "curvature_report", curvature_report)
