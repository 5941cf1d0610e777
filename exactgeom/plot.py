"""Pictures of partitions (floats live here: plotting is an exit from the exact world).

:func:`plot_partition` draws a partition and returns a :class:`matplotlib.figure.Figure`
(built without pyplot, so it works with any backend, ``MPLBACKEND=Agg`` included):

* 1-D and 2-D partitions directly;
* higher dimensions as **slices** (the exact intersection of every cell with the
  hyperplanes ``x_k = v`` that fix all but two coordinates; default: one panel per
  axis of a 3-D domain, through its centre) or as **projections** onto two coordinates
  (``project=(i, j)``: the convex hull of each cell's projected vertices, drawn
  translucent since projections overlap).

Colours (``color=``): ``"volume"`` (log scale), ``"key"`` (one colour per cell),
``"label"`` (the model's class label), ``"none"``, or a per-cell mapping/sequence of
numbers (e.g. a curvature); ``edge_values`` colours the shared faces (2-D) by a value
per pair of cells ``(i, j)`` (e.g. Ricci curvature on the edges of the complex).
``data`` / ``labels`` overlay data points (in 3-D slices: the points within
``data_slab`` of the slice, projected onto it).

One figure, one colour scale: the palette of categorical colours (``"key"``, ``"label"``)
and the normalisation of numeric colours are built once from *all* cells of the
partition, so a cell has the same colour in every panel of a figure (the three slices of
a 3-D partition included) and one colour bar or one legend explains them all. With
``color="label"`` a legend names the colour of each class (``"mixed"``: cells crossed by a
ReLU network's decision boundary, in light grey).

:func:`plot_complex` draws the 1-skeleton of a :class:`~exactgeom.RiemannianComplex`
over its cells: a node per cell (its centroid in 2-D, the centroid of its slice polygon
in a 3-D slice), a segment per edge; nerve edges between cells that meet in less than a
shared face are dashed.

>>> from exactgeom import arrangement
>>> fig = plot_partition(arrangement([[1, 0], [1, 1]], [0, 0], [(-1, 1), (-1, 1)]), color="key")
>>> type(fig).__name__, len(fig.axes)
('Figure', 1)
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

from .errors import DegenerateError, InvalidInputError
from .numbers.rational import short_str
from .partitions.partition import Partition
from .plot_artists import (
    MIXED_COLOUR,  # noqa: F401 (public here: exactgeom.plot.MIXED_COLOUR)
    Poly2D,
    _Colours,
    _draw_1d,
    _draw_2d,
    _draw_boundary,
    _draw_data,
    _draw_edges,
    _fl,
    _label_legend,
    _scalar_output,
)
from .polytope.polytope import Polytope

__all__ = ["plot_partition", "plot_complex", "save_figure", "cell_polygons"]


def _hull(points: Sequence[tuple[float, float]]) -> Poly2D:
    """Convex hull (counter-clockwise) of 2-D points, Andrew's monotone chain (floats)."""
    pts = sorted(set(points))
    if len(pts) <= 2:
        return list(pts)

    def cross(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: Poly2D = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: Poly2D = []
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def _slice(P: Polytope, fixed: Mapping[int, Fraction]) -> Polytope:
    n = P.ambient_dim
    E = [tuple(Fraction(int(j == k)) for j in range(n)) for k in sorted(fixed)]
    f = [Fraction(fixed[k]) for k in sorted(fixed)]
    A = [h.normal for h in P.facets]
    b = [h.offset for h in P.facets]
    return Polytope.from_hrep(A, b, (E, f))


def cell_polygons(
    partition: Partition,
    *,
    fixed: Mapping[int, Any] | None = None,
    project: tuple[int, int] | None = None,
) -> tuple[tuple[int, int], list[tuple[int, Poly2D]]]:
    """The 2-D polygons to draw: ``((i, j), [(cell index, polygon), ...])`` where ``i, j``
    are the plotted coordinates. ``fixed`` slices exactly at ``x_k = v``; ``project``
    projects onto two coordinates. Cells that miss a slice (or meet it in less than a
    polygon) are left out. A slice that runs along cell boundaries (e.g. ``x_2 = 0`` when
    ``x_2 = 0`` is a hyperplane of the partition) shows the cells just above it, as if
    sliced at ``x_k = v + ε``: a cell is drawn only if it has a vertex with ``x_k > v`` for
    every fixed ``k`` (decided exactly), so every point of the slice is drawn once.

    >>> from exactgeom import arrangement
    >>> P = arrangement([[1, 1, 1]], [0], [(-1, 1)] * 3)
    >>> axes, polys = cell_polygons(P, fixed={2: 0})
    >>> axes, len(polys)
    ((0, 1), 2)
    """
    n = partition.ambient_dim
    if n == 1:
        raise InvalidInputError("cell_polygons needs at least 2 dimensions")
    out: list[tuple[int, Poly2D]] = []
    if project is not None:
        i, j = _axes(project, n)
        for c in partition.cells:
            pts = [(float(v[i]), float(v[j])) for v in c.polytope.vertices]
            out.append((c.index, _hull(pts)))
        return (i, j), out
    fx = {int(k): Fraction(v) if not isinstance(v, Fraction) else v for k, v in (fixed or {}).items()}
    for k in fx:
        if not 0 <= k < n:
            raise InvalidInputError(f"slice axis {k} is out of range 0..{n - 1}")
    free = [k for k in range(n) if k not in fx]
    if len(free) != 2:
        raise InvalidInputError(
            f"a slice of a {n}-D partition must fix {n - 2} coordinates (got {len(fx)}); "
            "e.g. slice={2: 0} in 3-D, or use project=(0, 1)"
        )
    i, j = free
    for c in partition.cells:
        Q = _slice(c.polytope, fx) if fx else c.polytope
        if Q.is_empty or Q.dim < 2:
            continue
        if fx and not all(any(v[k] > x for v in c.polytope.vertices) for k, x in fx.items()):
            continue  # the slice lies in this cell's boundary, on its upper side: drawn by the cell above
        pts = [(float(v[i]), float(v[j])) for v in Q.vertices]
        out.append((c.index, _hull(pts)))
    return (i, j), out


def _axes(project: Any, n: int) -> tuple[int, int]:
    try:
        i, j = (int(a) for a in project)
    except (TypeError, ValueError):
        raise InvalidInputError(f"project must be two coordinate indices, got {project!r}") from None
    if not (0 <= i < n and 0 <= j < n and i != j):
        raise InvalidInputError(f"project={project!r}: need two different axes in 0..{n - 1}")
    return i, j


def _cell_values(partition: Partition, color: Any) -> tuple[str, dict[int, Any]]:
    """('continuous'|'log'|'categorical'|'none', {cell index: value})."""
    if isinstance(color, str):
        if color == "none":
            return "none", {}
        if color == "volume":
            return "log", {c.index: float(c.volume()) for c in partition.cells}
        if color == "key":
            return "categorical", {c.index: c.index for c in partition.cells}
        if color == "label":
            if partition.model is None:
                raise InvalidInputError("color='label' needs a partition with a model (it has none)")
            labs = {c.index: partition.label(c) for c in partition.cells}
            if all(v is None for v in labs.values()):
                raise InvalidInputError(
                    f"the {partition.family} model has no class labels; use color='key' or 'volume'"
                )
            return "categorical", labs
        raise InvalidInputError(f"unknown color {color!r}; use volume, key, label, none, or per-cell values")
    if isinstance(color, Mapping):
        return "continuous", {int(k): float(v) for k, v in color.items()}
    vals = list(color)
    if len(vals) != partition.n_cells:
        raise InvalidInputError(f"{len(vals)} colour values for {partition.n_cells} cells")
    return "continuous", {i: float(v) for i, v in enumerate(vals)}


def plot_partition(
    partition: Partition,
    *,
    color: Any = "volume",
    edge_values: Mapping[tuple[int, int], Any] | None = None,
    data: Sequence[Sequence[Any]] | None = None,
    labels: Sequence[Hashable] | None = None,
    slice: Mapping[int, Any] | None = None,  # shadows the builtin: the natural name
    project: tuple[int, int] | None = None,
    title: str | None = None,
    show_index: bool | None = None,
    cmap: str | None = None,
    figsize: tuple[float, float] | None = None,
    boundary: bool | None = None,
    value_label: str = "value",
    edge_label: str = "edge value",
    data_slab: float | None = 0.1,
) -> Any:
    """Draw a partition; returns a matplotlib ``Figure`` (see the module docstring).

    Parameters
    ----------
    partition : Partition
    color : str or per-cell values
        ``"volume"`` (default), ``"key"``, ``"label"``, ``"none"``, or a mapping
        ``cell index -> number`` / a sequence of one number per cell.
    edge_values : mapping, optional
        ``(i, j) -> number`` for shared faces (drawn as coloured segments in 2-D).
    data, labels : optional
        Points to overlay (rational or float coordinates) and their labels.
    slice : mapping, optional
        ``{axis: value}`` fixing all but two coordinates (n ≥ 3).
    project : (i, j), optional
        Project onto coordinates ``i, j`` instead of slicing.
    title : str, optional
    show_index : bool, optional
        Write each cell's index at its centroid (default: when there are ≤ 60 cells).
    cmap : str, optional
        Colormap of continuous values.
    boundary : bool, optional
        Draw the decision boundary ``output = 0`` of a model with one affine output per
        cell (a ReLU network classifier), computed exactly cell by cell (2-D only).
        Default: when the partition's model has such an output.
    value_label, edge_label : str
        Colour-bar labels of per-cell and per-edge values.
    data_slab : float or None
        Slices of n ≥ 3 partitions show the data points whose fixed coordinates lie
        within ``data_slab`` × the domain's extent of the slice (default 0.1), projected
        onto the slice; ``None`` shows every point projected.

    Raises
    ------
    InvalidInputError
        Unknown colour mode, bad slice/projection axes, wrong number of values.
    """
    _check_drawable(partition)
    try:
        fig, _ = _plot(partition, color=color, edge_values=edge_values, data=data, labels=labels, slice=slice,
                       project=project, title=title, show_index=show_index, cmap=cmap, figsize=figsize,
                       boundary=boundary, value_label=value_label, edge_label=edge_label, data_slab=data_slab)
    except OverflowError:  # a coordinate, a volume or a value beyond the double range
        raise DegenerateError(_UNDRAWABLE + "a value is beyond the float range (about 1e308)") from None
    return fig


_UNDRAWABLE = (
    "the picture is drawn in floating point, and this partition does not fit it "
    "(rescale the model, e.g. by a power of 10, to draw it; the exact results are unaffected): "
)


def _check_drawable(partition: Partition) -> None:
    """Refuse a 1-D/2-D partition whose domain is not drawable in doubles: a side whose
    length underflows, or is lost next to its coordinates (a picture of one point)."""
    if partition.ambient_dim > 2 or not partition.cells:
        return
    for j in range(partition.ambient_dim):
        lo = min(v[j] for c in partition.cells for v in c.polytope.vertices)
        hi = max(v[j] for c in partition.cells for v in c.polytope.vertices)
        try:
            w, a, b = float(hi - lo), float(lo), float(hi)
        except OverflowError:
            raise DegenerateError(_UNDRAWABLE + f"coordinate {j} reaches beyond the float range (about 1e308)") from None
        if not w > 1e-300 * 2**52 or not a < b:
            raise DegenerateError(_UNDRAWABLE + f"the domain's side {j} ({short_str(hi - lo)} long) is below the float resolution")


def _plot(
    partition: Partition,
    *,
    color: Any,
    edge_values: Any,
    data: Any,
    labels: Any,
    slice: Any,
    project: Any,
    title: Any,
    show_index: Any,
    cmap: Any,
    figsize: Any,
    boundary: Any,
    value_label: str,
    edge_label: str,
    data_slab: float | None,
) -> tuple[Any, list[tuple[Any, tuple[int, int], dict[int, Fraction], list[tuple[int, Poly2D]]]]]:
    """The figure and its panels ``(axes, (i, j), fixed coordinates, polygons)``."""
    from matplotlib.figure import Figure

    n = partition.ambient_dim
    mode, values = _cell_values(partition, color)
    colours = _Colours(mode, values, cmap)
    if n == 1:
        fig = Figure(figsize=figsize or (7, 2.2))
        ax = fig.add_subplot(1, 1, 1)
        _draw_1d(fig, ax, partition, colours, data, labels)
        ax.set_title(title or _title(partition, color))
        return fig, []
    if n == 2 or slice is not None or project is not None:
        panels = [(slice, project)]
    else:  # default for n >= 3: slices through the domain centre
        centre = _centre(partition.domain)
        if n == 3:
            panels = [({k: centre[k]}, None) for k in range(3)]
        else:
            panels = [({k: centre[k] for k in range(2, n)}, None)]
    if data is not None and labels is not None and len(labels) != len(data):
        raise InvalidInputError(f"{len(labels)} labels for {len(data)} data points; give one label per point")
    fig = Figure(figsize=figsize or ((6.4 if len(panels) == 1 else 4.6 * len(panels)), 5.4))
    out = []
    axes_list = []
    for p, (fx, pr) in enumerate(panels):
        ax = fig.add_subplot(1, len(panels), p + 1)
        axes_list.append(ax)
        (i, j), polys = cell_polygons(partition, fixed=fx, project=pr)
        fxq = {int(k): Fraction(v) if not isinstance(v, Fraction) else v for k, v in (fx or {}).items()}
        out.append((ax, (i, j), fxq, polys))
        _draw_2d(ax, polys, colours, alpha=0.35 if pr is not None else 0.9, show_index=show_index)
        if edge_values is not None and n == 2:
            _draw_edges(fig, ax, partition, edge_values, cmap, edge_label)
        if n == 2 and (boundary or (boundary is None and _scalar_output(partition))):
            _draw_boundary(ax, partition)
        if data is not None:
            keep = _in_slab(partition, data, fxq, data_slab)
            _draw_data(ax, [data[t] for t in keep], None if labels is None else [labels[t] for t in keep], (i, j),
                       legend=(p == len(panels) - 1))
        ax.set_xlabel(f"x{i}")
        ax.set_ylabel(f"x{j}")
        ax.set_aspect("equal", adjustable="datalim")
        if fx:
            ax.set_title(", ".join(f"x{k} = {v}" for k, v in sorted(fx.items())), fontsize=9)
        elif pr is not None:
            ax.set_title(f"projection onto (x{i}, x{j})", fontsize=9)
    if colours.sm is not None:  # one colour bar for every panel
        fig.colorbar(colours.sm, ax=axes_list, shrink=0.8,
                     label="cell volume" if mode == "log" else value_label)
    if mode == "categorical" and color == "label":
        _label_legend(fig, colours)
    fig.suptitle(title or _title(partition, color), fontsize=11)
    return fig, out


def plot_complex(
    K: Any,
    *,
    color: Any = "none",
    data: Sequence[Sequence[Any]] | None = None,
    labels: Sequence[Hashable] | None = None,
    slice: Mapping[int, Any] | None = None,  # shadows the builtin: the natural name
    project: tuple[int, int] | None = None,
    title: str | None = None,
    show_index: bool | None = False,
    cmap: str | None = None,
    figsize: tuple[float, float] | None = None,
    boundary: bool | None = False,
    data_slab: float | None = 0.1,
    node_size: float = 22.0,
) -> Any:
    """Draw a complex's 1-skeleton over the cells of its partition; returns a ``Figure``.

    Each cell present in a panel gets a node: its centroid (2-D, projections), or the
    centroid of its slice polygon (an interior point of the slice; 3-D and higher). Each
    edge of the complex whose two cells are in the panel is a segment between their nodes
    — in a slice only when the cells' common intersection meets the slice (decided
    exactly). Edges across a shared (n−1)-face are solid; edges between cells meeting in
    less (the nerve's lower-dimensional contacts) are dashed. The other options are those
    of :func:`plot_partition`.

    Parameters
    ----------
    K : RiemannianComplex
    color, data, labels, slice, project, title, show_index, cmap, figsize, boundary, data_slab
        As in :func:`plot_partition` (``color`` defaults to ``"none"``).
    node_size : float
        Marker size of the nodes.

    Examples
    --------
    >>> from exactgeom import RiemannianComplex
    >>> from exactgeom.examples import crossing_lines
    >>> fig = plot_complex(RiemannianComplex.from_partition(crossing_lines(), convention="nerve"))
    >>> sorted(c.get_gid() for c in fig.axes[0].collections if c.get_gid())
    ['cells', 'complex-contacts', 'complex-edges', 'complex-nodes']
    """
    from matplotlib.collections import LineCollection

    P = K.partition
    n = P.ambient_dim
    fig, panels = _plot(P, color=color, edge_values=None, data=data, labels=labels, slice=slice, project=project,
                        title=title or f"{K.convention} complex over the {P.family} partition: f-vector {K.f_vector()}",
                        show_index=show_index, cmap=cmap, figsize=figsize, boundary=boundary, value_label="value",
                        edge_label="edge value", data_slab=data_slab)
    edges = K.simplices(1)
    if n == 1:
        ax = fig.axes[0]
        pos1 = {c.index: (float(c.centroid()[0]), 0.5) for c in P.cells}
        panels_1d = [(ax, pos1, set(edges))]
    else:
        panels_1d = []
        for ax, (i, j), fixed, polys in panels:
            if fixed:  # a slice: the centroid of each cell's slice polygon
                pos = {c: (sum(x for x, _ in poly) / len(poly), sum(y for _, y in poly) / len(poly)) for c, poly in polys}
                shown = {e for e in edges if e[0] in pos and e[1] in pos and not _slice(K.intersection(e), fixed).is_empty}
            else:
                cents = {c.index: c.centroid() for c in P.cells}
                pos = {c: (float(cents[c][i]), float(cents[c][j])) for c, _ in polys}
                shown = {e for e in edges if e[0] in pos and e[1] in pos}
            panels_1d.append((ax, pos, shown))
    for ax, pos, shown in panels_1d:
        solid = [[pos[a], pos[b]] for a, b in edges if (a, b) in shown and K.intersection_dim((a, b)) >= n - 1]
        dashed = [[pos[a], pos[b]] for a, b in edges if (a, b) in shown and K.intersection_dim((a, b)) < n - 1]
        if solid:
            lc = LineCollection(solid, colors="0.1", linewidths=1.4, zorder=4, label="edge: shared face")
            lc.set_gid("complex-edges")
            ax.add_collection(lc)
        if dashed:
            lc = LineCollection(dashed, colors="tab:red", linewidths=1.2, linestyles="--", zorder=4,
                                label="edge: lower-dimensional contact")
            lc.set_gid("complex-contacts")
            ax.add_collection(lc)
        if pos:
            sc = ax.scatter([x for x, _ in pos.values()], [y for _, y in pos.values()], s=node_size, c="k",
                            zorder=5, label="node: cell")
            sc.set_gid("complex-nodes")
        if solid or dashed:
            ax.legend(loc="upper left", fontsize=7, framealpha=0.85)
    return fig


def _in_slab(P: Partition, data: Sequence[Sequence[Any]], fixed: Mapping[int, Fraction], slab: float | None) -> list[int]:
    """Indices of the data points within ``slab`` × extent of every fixed coordinate."""
    if not fixed or slab is None:
        return list(range(len(data)))
    V = P.domain.vertices
    width = {k: float(max(v[k] for v in V) - min(v[k] for v in V)) for k in fixed}
    return [t for t, x in enumerate(data) if all(abs(_fl(x[k]) - float(v)) <= slab * width[k] for k, v in fixed.items())]


def _centre(D: Polytope) -> tuple[Fraction, ...]:
    V = D.vertices
    n = D.ambient_dim
    return tuple((min(v[k] for v in V) + max(v[k] for v in V)) / 2 for k in range(n))


def _title(P: Partition, color: Any) -> str:
    what = color if isinstance(color, str) else "value"
    return f"{P.family} partition: {P.n_cells} cells, colour = {what}"


def save_figure(fig: Any, path: str | Path, *, dpi: int = 130) -> Path:
    """Save a figure (PNG, SVG or PDF by the file's suffix) and return the path."""
    import io

    from .io.atomic import write_atomic

    p = Path(path)
    buf = io.BytesIO()
    try:  # rendered in memory, then written atomically: never a partial picture
        fig.savefig(buf, format=p.suffix.lstrip(".").lower() or "png", dpi=dpi, bbox_inches="tight")
    except (OSError, ValueError) as exc:
        raise InvalidInputError(f"cannot write the picture {str(p)!r}: {exc}") from None
    return write_atomic(p, buf.getvalue())

