"""Per-cell and per-edge curvature tables of a complex.

:func:`curvature_report` collects, exactly, for every cell (vertex of the complex) its
volume, data mass, combinatorial / weighted / Ricci-sum vertex curvature, and for every
edge its face volume, Ollivier–Ricci and Forman–Ricci curvature.  ``rows()`` gives
plain dicts (exact values plus ``*_float`` views) for printing or a DataFrame;
:func:`exactgeom.plot_curvature.plot_curvature` draws them.

>>> from exactgeom import arrangement
>>> from exactgeom.complex import RiemannianComplex
>>> K = RiemannianComplex.from_partition(arrangement([[1, 0], [0, 1]], [0, 0], [(-1, 1), (-1, 1)]))
>>> rep = curvature_report(K)
>>> [r["kappa"] for r in rep.cell_rows()], sorted(set(rep.ollivier.values()))
([Fraction(0, 1), Fraction(0, 1), Fraction(0, 1), Fraction(0, 1)], [Fraction(1, 2)])
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..errors import InvalidInputError
from .curvature import vertex_curvature
from .ricci import Edge, ricci_curvature

__all__ = ["CurvatureReport", "curvature_report"]


@dataclass(frozen=True, eq=False)
class CurvatureReport:
    """Exact curvatures of a complex (see :func:`curvature_report`)."""

    complex: Any
    kappa: tuple[Fraction, ...]
    kappa_weighted: tuple[Fraction, ...]
    kappa_ricci: tuple[Any, ...]
    ollivier: dict[Edge, Any]
    forman: dict[Edge, Any] | None
    options: dict[str, Any]

    def cell_rows(self) -> list[dict[str, Any]]:
        """One row per cell."""
        P = self.complex.partition
        mass = self.complex.data_mass() if callable(getattr(self.complex, "data_mass", None)) else None
        rows = []
        for i, c in enumerate(P.cells):
            rows.append(
                {
                    "cell": i,
                    "key": c.key,
                    "volume": c.volume(),
                    "data_mass": None if mass is None else mass[i],
                    "kappa": self.kappa[i],
                    "kappa_weighted": self.kappa_weighted[i],
                    "kappa_ricci": self.kappa_ricci[i],
                    "kappa_ricci_float": float(self.kappa_ricci[i]),
                }
            )
        return rows

    def edge_rows(self) -> list[dict[str, Any]]:
        """One row per edge of the complex."""
        faces = {(f.i, f.j): f.volume() for f in self.complex.partition.adjacency()}
        rows = []
        for e, r in sorted(self.ollivier.items()):
            fo = None if self.forman is None else self.forman.get(e)
            rows.append(
                {
                    "edge": e,
                    "face_volume": faces.get(e),
                    "ollivier": r,
                    "ollivier_float": float(r),
                    "forman": fo,
                    "forman_float": None if fo is None else float(fo),
                }
            )
        return rows


def curvature_report(
    K: Any,
    *,
    alpha: Any = Fraction(1, 2),
    edge_weight: str | None = None,
    distance: str = "hops",
    data: Any = None,
    forman: bool = True,
    exact: bool = True,
) -> CurvatureReport:
    """Compute the vertex and edge curvatures of a complex.

    Parameters
    ----------
    K : RiemannianComplex
    alpha, edge_weight, distance, data
        Options of :func:`~exactgeom.analysis.ricci.ricci_curvature` (Ollivier).
    forman : bool
        Also compute Forman curvature (squared face-volume edge weights).
    exact : bool
        Exact values (default) or floats for the Ricci curvatures.

    Raises
    ------
    InvalidInputError
        ``K`` is not a complex built from a partition.
    """
    if not hasattr(K, "partition") or not hasattr(K, "simplices"):
        raise InvalidInputError(f"curvature_report needs a RiemannianComplex, got {type(K).__name__}")
    oll = ricci_curvature(K, alpha=alpha, edge_weight=edge_weight, distance=distance, data=data, exact=exact)
    vw = "volume"
    fo = None
    if forman:
        base = "data" if edge_weight in (None, "face") and (data is not None or _has_data(K)) else (
            edge_weight if edge_weight in ("data", "volume", "uniform") else "volume"
        )
        fo = ricci_curvature(K, method="forman", edge_weight=base, data=data, exact=exact)
    return CurvatureReport(
        K,
        vertex_curvature(K),
        vertex_curvature(K, variant="weighted", weights=vw),
        vertex_curvature(K, variant="ricci", ricci=oll),
        oll,
        fo,
        {"alpha": alpha, "edge_weight": edge_weight, "distance": distance, "exact": exact},
    )


def _has_data(K: Any) -> bool:
    dm = getattr(K, "data_mass", None)
    return callable(dm) and dm() is not None
