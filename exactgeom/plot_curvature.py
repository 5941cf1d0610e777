"""Pictures of curvature on a partition (floats live here: plotting is an exit from the
exact world).

:func:`plot_curvature` colours the cells of a 2-D partition (or slices of a 3-D one)
by a vertex curvature of its complex, the shared faces by an edge curvature, and marks
the interior ridge pieces (vertices in 2-D) by their angle defect: small grey dots
where the defect is exactly zero, red crosses where it is not.  It draws through
:func:`exactgeom.plot.plot_partition` and returns its ``Figure``.

>>> from exactgeom import arrangement
>>> from exactgeom.complex import RiemannianComplex
>>> K = RiemannianComplex.from_partition(arrangement([[1, 0], [1, 2]], [0, 0], [(-1, 1), (-1, 1)]))
>>> fig = plot_curvature(K)
>>> type(fig).__name__
'Figure'
"""

from __future__ import annotations

from typing import Any

from .analysis.curvature import angle_defects
from .analysis.curvature_report import CurvatureReport, curvature_report
from .errors import InvalidInputError
from .plot import plot_partition

__all__ = ["plot_curvature"]

VERTEX_KINDS = ("kappa", "kappa_weighted", "kappa_ricci", "none")
EDGE_KINDS = ("ollivier", "forman", "none")


def plot_curvature(
    K: Any,
    *,
    vertex: str = "kappa_ricci",
    edge: str = "ollivier",
    defects: bool = True,
    report: CurvatureReport | None = None,
    data: Any = None,
    title: str | None = None,
    cmap: str = "coolwarm",
    **report_options: Any,
) -> Any:
    """Draw a partition coloured by curvature.

    Parameters
    ----------
    K : RiemannianComplex
        The complex of a 2-D (or sliced higher-dimensional) partition.
    vertex : {"kappa", "kappa_weighted", "kappa_ricci", "none"}
        Cell colours: a vertex curvature of :func:`~exactgeom.analysis.curvature_report.curvature_report`.
    edge : {"ollivier", "forman", "none"}
        Shared-face colours (2-D only).
    defects : bool
        Mark interior vertices by their exact angle defect (2-D only).
    report : CurvatureReport, optional
        Precomputed curvatures (else computed with ``report_options``).
    data : optional
        Points to overlay.

    Raises
    ------
    InvalidInputError
        Unknown ``vertex`` / ``edge`` kinds.
    """
    if vertex not in VERTEX_KINDS:
        raise InvalidInputError(f"unknown vertex colouring {vertex!r}; use one of {VERTEX_KINDS}")
    if edge not in EDGE_KINDS:
        raise InvalidInputError(f"unknown edge colouring {edge!r}; use one of {EDGE_KINDS}")
    rep = report if report is not None else curvature_report(K, forman=(edge == "forman"), **report_options)
    P = K.partition
    if vertex == "none":
        color: Any = "none"
    else:
        vals = {"kappa": rep.kappa, "kappa_weighted": rep.kappa_weighted, "kappa_ricci": rep.kappa_ricci}[vertex]
        color = [float(v) for v in vals]
    edges = None
    if edge == "ollivier":
        edges = {e: float(v) for e, v in rep.ollivier.items()}
    elif edge == "forman" and rep.forman is not None:
        edges = {e: float(v) for e, v in rep.forman.items()}
    fig = plot_partition(
        P,
        color=color,
        edge_values=edges,
        data=data,
        cmap=cmap,
        title=title or f"{P.family} partition: cells by {vertex}, faces by {edge}",
    )
    if defects and P.ambient_dim == 2:
        ax = fig.axes[0]
        zero, nonzero = [], []
        for d in angle_defects(P):
            (v,) = d.piece_vertices
            (zero if d.is_zero() else nonzero).append((float(v[0]), float(v[1])))
        if zero:
            ax.scatter(*zip(*zero), s=6, c="0.35", zorder=5, label="ridge, defect 0")
        if nonzero:
            ax.scatter(*zip(*nonzero), s=40, c="red", marker="x", zorder=6, label="ridge, defect ≠ 0")
        if zero or nonzero:
            ax.legend(loc="lower right", fontsize=7)
    return fig
