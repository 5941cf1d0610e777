"""The matplotlib artists of :mod:`exactgeom.plot` (internal; floats only).

:mod:`exactgeom.plot` decides what a figure shows (cells, slices, projections, panels);
this module draws it: the one colour scale per figure (:class:`_Colours`: categorical
palette or numeric normalisation, shared by all panels), the cell polygons and 1-D cells,
coloured shared faces, the decision boundary of a scalar ReLU output (exact pieces drawn
as floats), data points and the label legend. The names are private; the public ones
(``plot_partition``, ``plot_complex``, ``cell_polygons``, ``save_figure``, and
``MIXED_COLOUR``) are those of :mod:`exactgeom.plot`.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from fractions import Fraction
from typing import Any

from .partitions.partition import Partition
from .polytope.polytope import Polytope

__all__: list[str] = []

#: Colour of the label ``"mixed"`` (cells crossed by a decision boundary).
MIXED_COLOUR = (0.82, 0.82, 0.82, 1.0)


Poly2D = list[tuple[float, float]]


def _palette(values: Sequence[Hashable]) -> dict[Hashable, Any]:
    """One colour per distinct value (the label ``"mixed"`` is light grey)."""
    from matplotlib import colormaps

    distinct = sorted(set(values) - {"mixed"}, key=lambda v: (str(type(v)), str(v)))
    cmap = colormaps["tab10" if len(distinct) <= 10 else "tab20"]
    pal = {v: cmap(k % cmap.N) for k, v in enumerate(distinct)}
    if "mixed" in set(values):
        pal["mixed"] = MIXED_COLOUR
    return pal


class _Colours:
    """The colour of every cell, decided once per figure (all panels share it)."""

    def __init__(self, mode: str, values: dict[int, Any], cmap: str | None) -> None:
        self.mode = mode
        self.values = values
        self.sm: Any = None
        self.palette: dict[Hashable, Any] = {}
        if mode in ("log", "continuous"):
            _, self.sm = _mappable(mode, list(values.values()), cmap)
        elif mode == "categorical":
            self.palette = _palette(list(values.values()))

    def face(self, i: int) -> Any:
        if self.mode in ("log", "continuous"):
            return self.sm.to_rgba(self.values[i]) if i in self.values else (0.85, 0.85, 0.85, 1)
        if self.mode == "categorical":
            return self.palette[self.values[i]]
        return (0.93, 0.93, 0.93, 1)


def _label_legend(fig: Any, colours: _Colours) -> None:
    from matplotlib.patches import Patch

    order = sorted(colours.palette, key=lambda v: (v == "mixed", str(type(v)), str(v)))
    handles = [Patch(facecolor=colours.palette[v], edgecolor="k", label=("mixed" if v == "mixed" else f"class {v}"))
               for v in order]
    fig.subplots_adjust(bottom=0.2)
    fig.legend(handles=handles, loc="lower center", ncol=min(len(handles), 6), fontsize=8, frameon=False,
               title="cell label", bbox_to_anchor=(0.5, 0.0))


def _mappable(mode: str, vals: Sequence[float], cmap: str | None) -> tuple[Any, Any]:
    from matplotlib import colormaps
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import LogNorm, Normalize, TwoSlopeNorm

    lo, hi = (min(vals), max(vals)) if vals else (0.0, 1.0)
    if mode == "log" and lo > 0 and hi > lo:
        norm: Any = LogNorm(lo, hi)
        cm = colormaps[cmap or "viridis"]
    elif lo < 0 < hi:
        norm = TwoSlopeNorm(0.0, lo, hi)
        cm = colormaps[cmap or "coolwarm"]
    else:
        norm = Normalize(lo, hi if hi > lo else lo + 1.0)
        cm = colormaps[cmap or "viridis"]
    return norm, ScalarMappable(norm=norm, cmap=cm)


def _draw_2d(ax: Any, polys: list[tuple[int, Poly2D]], colours: _Colours, *, alpha: float,
             show_index: bool | None) -> None:
    from matplotlib.collections import PolyCollection

    if not polys:
        ax.text(0.5, 0.5, "no cell meets this slice", ha="center", va="center", transform=ax.transAxes)
        return
    faces = [colours.face(i) for i, _ in polys]
    coll = PolyCollection([p for _, p in polys], facecolors=faces, edgecolors="k", linewidths=0.6, alpha=alpha)
    coll.set_gid("cells")  # polygons in the order of cell_polygons(...) for this panel
    ax.add_collection(coll)
    ax.autoscale_view()
    if show_index is None:
        show_index = len(polys) <= 60
    if show_index:
        for i, p in polys:
            cx = sum(x for x, _ in p) / len(p)
            cy = sum(y for _, y in p) / len(p)
            ax.annotate(str(i), (cx, cy), ha="center", va="center", fontsize=7, color="0.15")


def _draw_edges(fig: Any, ax: Any, P: Partition, edge_values: Mapping[tuple[int, int], Any], cmap: str | None,
                label: str = "edge value") -> None:
    from matplotlib.collections import LineCollection

    segs, vals = [], []
    for f in P.adjacency():
        v = edge_values.get((f.i, f.j), edge_values.get((f.j, f.i)))
        if v is None:
            continue
        pts = [(float(p[0]), float(p[1])) for p in f.face.vertices]
        if len(pts) >= 2:
            segs.append([pts[0], pts[-1]])
            vals.append(float(v))
    if not segs:
        return
    _, sm = _mappable("continuous", vals, cmap)
    ax.add_collection(LineCollection(segs, colors=[sm.to_rgba(v) for v in vals], linewidths=3.0))
    fig.colorbar(sm, ax=ax, shrink=0.8, label=label, orientation="horizontal", pad=0.12)


def _fl(x: Any) -> float:
    """A coordinate as a float (rational strings such as "1/2" accepted)."""
    return float(Fraction(x)) if isinstance(x, str) else float(x)


def _scalar_output(P: Partition) -> bool:
    if P.model is None or not P.cells:
        return False
    aff = P.output_affine(P.cells[0])
    return aff is not None and len(aff[1]) == 1 and P.family == "relu"


def _boundary_segments(P: Partition) -> list[list[tuple[float, float]]]:
    """The pieces of ``{output = 0}`` inside each cell (exact intersections, drawn as floats)."""
    segs = []
    for c in P.cells:
        aff = P.output_affine(c)
        if aff is None or len(aff[1]) != 1 or not any(aff[0][0]):
            continue
        J, b = aff
        A = [h.normal for h in c.polytope.facets]
        rhs = [h.offset for h in c.polytope.facets]
        piece = Polytope.from_hrep(A, rhs, ([J[0]], [-b[0]]))
        if piece.dim == 1:
            (x0, y0), (x1, y1) = piece.vertices[0], piece.vertices[-1]
            segs.append([(float(x0), float(y0)), (float(x1), float(y1))])
    return segs


def _draw_boundary(ax: Any, P: Partition) -> None:
    from matplotlib.collections import LineCollection

    segs = _boundary_segments(P)
    if segs:
        ax.add_collection(LineCollection(segs, colors="crimson", linewidths=2.0, zorder=2.5,
                                         label="decision boundary (output = 0)"))


def _draw_data(ax: Any, data: Sequence[Sequence[Any]], labels: Sequence[Hashable] | None, axes: tuple[int, int],
               *, legend: bool = True) -> None:
    i, j = axes
    xs = [_fl(p[i]) for p in data]
    ys = [_fl(p[j]) for p in data]
    if labels is None:
        ax.scatter(xs, ys, s=10, c="k", zorder=3, label="data")
        return
    distinct = sorted(set(labels), key=lambda v: (str(type(v)), str(v)))
    markers = "o^sDv<>pP*"
    fills = ["white", "black", "tab:red", "tab:blue", "tab:orange", "tab:purple", "tab:brown", "tab:pink"]
    for k, lab in enumerate(distinct):
        idx = [t for t, y in enumerate(labels) if y == lab]
        ax.scatter([xs[t] for t in idx], [ys[t] for t in idx], s=16, marker=markers[k % len(markers)],
                   facecolors=fills[k % len(fills)], edgecolors="k", linewidths=0.8, zorder=3, label=f"label {lab}")
    if legend:
        ax.legend(loc="upper right", fontsize=8, framealpha=0.85)


def _draw_1d(fig: Any, ax: Any, P: Partition, colours: _Colours, data: Any, labels: Any) -> None:
    from matplotlib.patches import Rectangle

    if colours.sm is not None:
        fig.colorbar(colours.sm, ax=ax, label="cell volume" if colours.mode == "log" else "value")
    for c in P.cells:
        lo, hi = float(c.polytope.vertices[0][0]), float(c.polytope.vertices[-1][0])
        ax.add_patch(Rectangle((lo, 0), hi - lo, 1, facecolor=colours.face(c.index), edgecolor="k"))
    if data is not None:
        ax.scatter([_fl(p[0]) for p in data], [0.5] * len(data), s=10, c="k", zorder=3)
    ax.autoscale_view()
    ax.set_yticks([])
    ax.set_xlabel("x0")
