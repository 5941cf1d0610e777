"""The volume-free summary of a data partition in high input dimension.

A data partition whose cells are H-first polytopes (``relu_network(..., mode="data")``
above 6 inputs; see :func:`~exactgeom.io.fixtures.partition_vertex_free`) has no
affordable vertices, so the volume summary of :mod:`exactgeom.io.report` does not apply.
:func:`summarise_data` collects what needs no volume, all exact or certified:

* cells, facets per cell (min / median / max) and the exact :meth:`Partition.check`;
* the **data graph** (:meth:`Partition.adjacency`: data cells sharing an (n−1)-face) and
  its Betti numbers (components, independent cycles);
* data points per cell, their labels (from the data file) and the network's exact
  predictions at them;
* the certified smallest eigenvalues of ``Δ_0`` of the complex with the data measure
  (``measure="data"``, ``data_rule="mean"``: a cell weighs its points, an edge the mean
  of its two cells; facet convention cut at edges, which is all ``Δ_0`` uses);
* exact Ollivier–Ricci curvature of every data-graph edge (lazy walk α = 1/2, hop
  distance, data weights);
* **decision topology on the data graph**: for each predicted class, the components
  and independent cycles of the subgraph of the data cells holding a point predicted in
  that class — graph homology of the data graph, *not* the topology of the decision
  regions in R^n (that needs the full partition).

:func:`data_summary_text` lays it out. Each later stage that fails is recorded in
``notes`` with its error, and the earlier numbers stay.

>>> from exactgeom.partitions.relu import relu_network
>>> P = relu_network([[[1, 0], [0, 1]], [[1, -1]]], [[0, 0], [0]], [(-1, 1), (-1, 1)], mode="data",
...                  data=[["1/2", "1/2"], ["-1/2", "1/2"], ["-1/2", "-1/2"]], engine="lp")
>>> s = summarise_data(P, data=P.provenance["data"])
>>> s.n_cells, s.n_edges, s.points_per_cell, s.graph_betti
(3, 2, (1, 1, 1), (1, 0))
>>> s.ricci          # path 0-1-2, equal masses, lazy walk 1/2: W1 = 1/2, so kappa = 1/2
(((0, 1), Fraction(1, 2)), ((1, 2), Fraction(1, 2)))
"""

from __future__ import annotations

import statistics
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ..errors import ExactGeomError, InvalidInputError
from ..numbers.rational import as_rational_matrix
from ..partitions.partition import Partition
from .canonical import decimal_str
from .model_files import ModelSpec
from .report import _model_line, approx, check_lines, exact_short, key_label, summary_head

__all__ = [
    "DataCellLine",
    "DataSummary",
    "summarise_data",
    "data_summary_text",
    "predicted_classes",
    "data_graph_figure",
    "largest_component",
]

#: Data rule of the data measure used by the summary (see :mod:`exactgeom.complex.measures`).
DATA_RULE = "mean"


@dataclass(frozen=True)
class DataCellLine:
    index: int
    key: Hashable
    n_facets: int
    n_points: int
    labels: tuple[tuple[Any, int], ...]  # data labels of its points, with counts
    predicted: tuple[tuple[Any, int], ...]  # the network's exact predictions at its points


@dataclass(frozen=True)
class DataSummary:
    """The numbers of the volume-free summary (all exact or certified)."""

    title: str
    model_line: str
    domain_line: str
    n_in: int
    n_points: int
    n_cells: int
    facets: tuple[int, int, int]  # min, median (low), max facets per cell
    n_edges: int
    check_ok: bool
    check_problems: tuple[str, ...]
    cells: tuple[DataCellLine, ...]
    points_per_cell: tuple[int, ...]
    graph_betti: tuple[int, int]
    spectrum: tuple[Any, ...] | None = None  # smallest certified eigenvalues of Δ_0 (Enclosures)
    n_eigenvalues: int = 0
    kernel_dim: int | None = None
    ricci: tuple[tuple[tuple[int, int], Fraction], ...] | None = None
    topology: tuple[tuple[Any, int, int, int], ...] | None = None  # (class, cells, β0, β1)
    notes: tuple[str, ...] = field(default=())
    point_cells: tuple[int, ...] = field(default=())  # the data cell of each point
    every_cell: bool = False  # a full partition built H-first (not only the cells holding data)


def predicted_classes(net: Any, points: Sequence[Sequence[Fraction]]) -> list[Any]:
    """The exact prediction of a ReLU network at each point: the index of the largest
    output (vector output) or ``1``/``0`` for a positive/negative scalar output; a tie
    (a point on the decision boundary) is ``"tie"``.

    >>> from exactgeom.partitions.relu import ReLUNetwork
    >>> predicted_classes(ReLUNetwork([[[1, 0], [0, 1]]], [[0, 0]]), [[1, 0], [0, 2], [1, 1]])
    [0, 1, 'tie']
    """
    out: list[Any] = []
    for y in _outputs(net, points):
        if len(y) == 1:
            out.append(1 if y[0] > 0 else 0 if y[0] < 0 else "tie")
            continue
        top = max(y)
        best = [k for k, v in enumerate(y) if v == top]
        out.append(best[0] if len(best) == 1 else "tie")
    return out


def _outputs(net: Any, points: Sequence[Sequence[Fraction]]) -> Any:
    """The exact outputs at the points: one flint matrix product per layer for a
    :class:`~exactgeom.partitions.relu.ReLUNetwork` (equal to ``net.forward`` point by
    point), else ``net.forward`` at each point."""
    layers = getattr(net, "_fmpq_layers", None)
    if layers is None or not points:
        yield from (net.forward(x) for x in points)
        return
    from flint import fmpq, fmpq_mat

    Wq, bq = layers()
    slopes = [fmpq(a.numerator, a.denominator) for a in net.negative_slopes]
    X = fmpq_mat([[fmpq(v.numerator, v.denominator) for v in x] for x in as_rational_matrix(points, None, name="data")])
    H = len(Wq) - 1
    for l, (W, b) in enumerate(zip(Wq, bq)):
        Z = X * W.transpose()
        m, k = Z.nrows(), Z.ncols()
        vals = [Z[i, j] + b[j, 0] for i in range(m) for j in range(k)]
        if l < H:
            a = slopes[l]
            vals = [v if v > 0 else a * v for v in vals]
        X = fmpq_mat(m, k, vals)
    for i in range(X.nrows()):
        yield tuple(Fraction(int(X[i, j].p), int(X[i, j].q)) for j in range(X.ncols()))


def _tally(values: Sequence[Any]) -> tuple[tuple[Any, int], ...]:
    t: dict[Any, int] = {}
    for v in values:
        t[v] = t.get(v, 0) + 1
    return tuple(sorted(t.items(), key=lambda kv: (-kv[1], str(kv[0]))))


def _components(nodes: Sequence[int], edges: Sequence[tuple[int, int]]) -> int:
    from ..complex.blocks import components

    pos = {v: k for k, v in enumerate(nodes)}
    return len(components(len(pos), ((pos[a], pos[b]) for a, b in edges)))


def largest_component(partition: Partition, *, progress: bool | None = None) -> int:
    """The number of cells in the largest connected component of ``partition``'s
    adjacency graph (the data graph of a data partition): the size of the largest
    diagonal block of ``Δ_0``, which sets the cost of its certified spectrum
    (:mod:`exactgeom.complex.blocks`).

    >>> from exactgeom.partitions.relu import relu_network
    >>> P = relu_network([[[1, 0], [0, 1]], [[1, -1]]], [[0, 0], [0]], [(-1, 1), (-1, 1)], mode="data",
    ...                  data=[["1/2", "1/2"], ["-1/2", "1/2"], ["-1/2", "-1/2"]], engine="lp")
    >>> largest_component(P)
    3
    >>> largest_component("P")
    Traceback (most recent call last):
    ...
    exactgeom.errors.InvalidInputError: largest_component needs a Partition, got str
    """
    if not isinstance(partition, Partition):
        raise InvalidInputError(f"largest_component needs a Partition, got {type(partition).__name__}")
    from ..complex.blocks import components

    G = partition.adjacency(progress=progress) if hasattr(partition, "data_cell_indices") else partition.adjacency()
    return max((len(g) for g in components(partition.n_cells, ((f.i, f.j) for f in G))), default=0)


def _graph_betti(nodes: Sequence[int], edges: Sequence[tuple[int, int]]) -> tuple[int, int]:
    """(β0, β1) of a graph: components and independent cycles (E − V + β0)."""
    b0 = _components(nodes, edges)
    return b0, len(edges) - len(nodes) + b0


def _domain_line(P: Partition) -> str:
    from ..partitions.relu_data import box_bounds

    D = P.domain
    n = D.ambient_dim
    box = box_bounds(D)
    if box is not None:
        lo, hi = box
        if len(set(lo)) == 1 and len(set(hi)) == 1:
            return f"[{lo[0]}, {hi[0]}]^{n}"
        return " x ".join(f"[{a}, {b}]" for a, b in zip(lo, hi))
    return f"polytope in R^{n} with {D.n_facets} facets"


class _NoData(Exception):
    """No data points: skip the data-measure complex, spectrum and curvature."""


def summarise_data(
    partition: Partition,
    spec: ModelSpec | None = None,
    *,
    data: Any = None,
    labels: Sequence[Any] | None = None,
    title: str | None = None,
    n_eigenvalues: int = 6,
    digits: int = 12,
    spectrum: bool = True,
    progress: bool | None = None,
) -> DataSummary:
    """Collect the volume-free summary of a data partition (module docstring).

    ``data`` / ``labels`` default to the spec's; ``n_eigenvalues`` smallest certified
    eigenvalues of ``Δ_0`` are kept (``digits`` significant digits). Stages after the
    data graph (spectrum, Ricci curvature) that raise an exactgeom error are recorded in
    ``notes``. ``spectrum=False`` leaves the certified spectrum out (it is the slow part
    for hundreds of cells).

    Raises
    ------
    InvalidInputError
        No data points, or points of the wrong dimension.
    """
    if not isinstance(partition, Partition):
        raise InvalidInputError(f"summarise_data needs a Partition, got {type(partition).__name__}")
    if data is None and spec is not None:
        data = spec.data
    if labels is None and spec is not None:
        labels = spec.labels
    if data is None:
        data = partition.provenance.get("data")
    every = not getattr(partition, "is_data_partition", False)  # e.g. a CrossingPartition: every cell
    if data is None and not every:
        raise InvalidInputError("the data summary needs the data points: pass data=[...] (or a spec with data)")
    n = partition.ambient_dim
    X = as_rational_matrix(data, None, name="data") if data is not None else []
    if any(len(x) != n for x in X):
        raise InvalidInputError(f"data points must have {n} coordinates (the partition lives in R^{n})")
    if labels is not None and len(labels) != len(X):
        raise InvalidInputError(f"{len(labels)} labels for {len(X)} data points; give one label per point")
    notes: list[str] = []
    rep = partition.check(progress=progress)
    locate = getattr(partition, "data_cell_indices", None)
    if not X:
        where = []
    elif callable(locate):
        where = list(locate(X))
    else:
        from ..complex.measures import locate_points

        where = list(locate_points(partition, X))
    pred = predicted_classes(partition.model, X) if X and getattr(partition.model, "forward", None) else None
    members: list[list[int]] = [[] for _ in partition.cells]
    for k, c in enumerate(where):
        if c is not None and c >= 0:
            members[c].append(k)
    cells = []
    for c in partition.cells:
        ks = members[c.index]
        cells.append(DataCellLine(
            c.index, c.key, c.polytope.n_facets, len(ks),
            _tally([labels[k] for k in ks]) if labels is not None else (),
            _tally([pred[k] for k in ks]) if pred is not None else (),
        ))
    G = partition.adjacency(progress=progress) if callable(locate) else partition.adjacency()
    edges = [(f.i, f.j) for f in G]
    nodes = list(range(partition.n_cells))
    facets = sorted(c.n_facets for c in cells)
    kw: dict[str, Any] = {"every_cell": every}
    try:
        if not X:  # nothing to weigh the cells with: the data-measure stages are left out (not a failure)
            raise _NoData
        from ..complex import RiemannianComplex

        K = RiemannianComplex.from_partition(partition, measure="data", data=X, data_rule=DATA_RULE, max_dim=1)
        if spectrum:
            S = K.spectrum(0, digits=digits)
            kw.update(spectrum=tuple(S.eigenvalues[:n_eigenvalues]), n_eigenvalues=len(S.eigenvalues),
                      kernel_dim=S.kernel_dim)
        from ..analysis.ricci import ricci_curvature

        ric = ricci_curvature(K, alpha=Fraction(1, 2), distance="hops", progress=progress)
        kw["ricci"] = tuple(sorted(ric.items()))
    except _NoData:
        pass
    except ExactGeomError as exc:
        notes.append(f"complex / curvature stage failed: {exc}")
    if pred is not None:
        topo = []
        for cls in sorted({p for p in pred}, key=str):
            sub = [c.index for c in cells if any(v == cls for v, _ in c.predicted)]
            keep = set(sub)
            b0, b1 = _graph_betti(sub, [e for e in edges if e[0] in keep and e[1] in keep])
            topo.append((cls, len(sub), b0, b1))
        kw["topology"] = tuple(topo)
    return DataSummary(
        title=title or (spec.name if spec is not None and spec.name
                        else f"{partition.family} {'partition' if every else 'data partition'}"),
        model_line=_model_line(partition, spec),
        domain_line=_domain_line(partition),
        n_in=n,
        n_points=len(X),
        n_cells=partition.n_cells,
        facets=(facets[0], statistics.median_low(facets), facets[-1]) if facets else (0, 0, 0),
        n_edges=len(edges),
        check_ok=bool(rep.ok),
        check_problems=tuple(rep.problems),
        cells=tuple(cells),
        points_per_cell=tuple(c.n_points for c in cells),
        graph_betti=_graph_betti(nodes, edges),
        notes=tuple(notes),
        point_cells=tuple(where),
        **kw,
    )


def _enc(e: Any) -> str:
    if e.lo == e.hi:
        return f"{exact_short(e.lo)} (exact)"
    return f"[{decimal_str(e.lo, 10, up=False)}, {decimal_str(e.hi, 10, up=True)}]"


def _tally_text(t: Sequence[tuple[Any, int]]) -> str:
    return ", ".join(f"{k}:{v}" if v > 1 else f"{k}" for k, v in t) or "-"


def data_summary_text(s: DataSummary, *, max_rows: int = 500) -> str:
    """The text of ``exactgeom_summary.txt`` for a data partition in high dimension."""
    graph = "cell graph  " if s.every_cell else "data graph  "
    w = summary_head(s.title, s.model_line, s.domain_line,
                     ("every cell" if s.every_cell else "cells containing data only")
                     + f" (H-first cells in R^{s.n_in}: no vertices, no volumes)",
                     f"{s.n_points} points" if s.n_points or not s.every_cell else "none")
    w.append("")
    w.append(f"cells        {s.n_cells}")
    w.append(f"facets       per cell: min {s.facets[0]}, median {s.facets[1]}, max {s.facets[2]} (irredundant, exact LP)")
    pts = sorted(s.points_per_cell)
    if pts and s.n_points:
        w.append(f"points       per cell: min {pts[0]}, median {statistics.median_low(pts)}, max {pts[-1]}")
    w.append(f"{graph} {s.n_edges} edges ({'' if s.every_cell else 'data '}cells sharing an (n-1)-face, "
             f"facet-crossing rule); Betti numbers {s.graph_betti[0]}, {s.graph_betti[1]} (components, independent cycles)")
    w += check_lines(s.check_ok, s.check_problems,
                     "cells full-dimensional inside the domain, keys distinct and realised"
                     + (", closed under facet crossing: they tile the domain" if s.every_cell else "") + " (no volumes)")
    if s.every_cell and not s.n_points:
        w.append("no data: the data-measure spectrum and Ollivier-Ricci curvature need data points (give --data FILE)")
    if s.spectrum is not None:
        w += ["", f"Delta_0 of the data-measure complex (measure='data', data_rule='{DATA_RULE}'): "
              f"{len(s.spectrum)} smallest of {s.n_eigenvalues} eigenvalues, certified",
              f"  kernel dimension {s.kernel_dim if s.kernel_dim is not None else 'undecided'} (= components of the data graph)"]
        w += [f"  {_enc(e)}" for e in s.spectrum]
    if s.ricci is not None:
        w += ["", f"Ollivier-Ricci curvature of the {len(s.ricci)} data-graph edges (exact; alpha 1/2, hops, data weights)"]
        if s.ricci:
            vals = sorted(v for _, v in s.ricci)
            w.append(f"  min {exact_short(vals[0])} (~{approx(vals[0])}), median ~{approx(statistics.median_low(vals))}, "
                     f"max {exact_short(vals[-1])} (~{approx(vals[-1])})")
            for e, v in sorted(s.ricci, key=lambda t: (t[1], t[0]))[:5]:
                w.append(f"  edge {e[0]}-{e[1]}: {exact_short(v)}")
    if s.topology is not None:
        w += ["", "Decision topology on the data graph (graph homology of the data cells holding a point predicted",
              "in each class; not the topology of the decision regions in R^n, which needs every cell)",
              "  class  cells  components  cycles"]
        w += [f"  {c!s:>5}  {k:>5}  {b0:>10}  {b1:>6}" for c, k, b0, b1 in s.topology]
    w += ["", "All cells" + (f" (first {max_rows})" if len(s.cells) > max_rows else ""),
          "  cell  facets  points  data labels          predicted            key"]
    for c in s.cells[:max_rows]:
        w.append(f"  {c.index:>4}  {c.n_facets:>6}  {c.n_points:>6}  {_tally_text(c.labels):<19}  "
                 f"{_tally_text(c.predicted):<19}  {key_label(c.key)}")
    w += ["", ("Every cell of the domain is listed" if s.every_cell else "Every cell holds data")
          + "; volumes, vertices, dihedral angles and the picture are left out in high",
          "dimension (vertex enumeration is exponential). Exact facets: the JSON result (docs/fixtures.md).",
          "Label counts 'a:k' mean k points with label a; [lo, hi] is a certified enclosure, '~' a rounded decimal."]
    w += [f"note: {n}" for n in s.notes]
    return "\n".join(w) + "\n"


def data_graph_figure(s: DataSummary, data: Any, *, title: str | None = None) -> Any:
    """A matplotlib figure of the data graph of a summary (floats, for reading only).

    Each data cell is drawn at its mean data point projected onto the first two principal
    directions of the cell means (a picture of the graph, not of the cells, which live in
    R^n); its size grows with its number of points, its colour is the class predicted at
    most of its points; edges are coloured by their Ollivier–Ricci curvature.
    """
    import numpy as np
    from matplotlib import colormaps
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize
    from matplotlib.figure import Figure

    X = np.array([[float(v) for v in x] for x in as_rational_matrix(data, None, name="data")])
    m = s.n_cells
    means = np.zeros((m, X.shape[1]))
    for c in range(m):
        rows = [k for k, j in enumerate(s.point_cells) if j == c]
        if rows:
            means[c] = X[rows].mean(axis=0)
    centred = means - means.mean(axis=0)
    if m >= 2 and np.linalg.matrix_rank(centred) >= 1:
        _, _, vt = np.linalg.svd(centred, full_matrices=False)
        xy = centred @ vt[: min(2, len(vt))].T
        if xy.shape[1] == 1:
            xy = np.c_[xy, np.zeros(m)]
    else:
        xy = np.zeros((m, 2))
    fig = Figure(figsize=(7.2, 5.6))
    ax = fig.add_subplot(1, 1, 1)
    if s.ricci:
        r = [float(v) for _, v in s.ricci]
        lim = max(1e-9, max(abs(v) for v in r))
        norm = Normalize(-lim, lim)
        cmap = colormaps["coolwarm"]
        for ((i, j), _), v in zip(s.ricci, r):
            ax.plot([xy[i, 0], xy[j, 0]], [xy[i, 1], xy[j, 1]], color=cmap(norm(v)), lw=2.2, zorder=1)
        fig.colorbar(ScalarMappable(norm=norm, cmap=cmap), ax=ax, label="Ollivier-Ricci curvature of the edge")
    classes = sorted({c.predicted[0][0] for c in s.cells if c.predicted}, key=str)
    tab = colormaps["tab10"]
    for k, cls in enumerate(classes):
        idx = [c.index for c in s.cells if c.predicted and c.predicted[0][0] == cls]
        ax.scatter(xy[idx, 0], xy[idx, 1], s=[30 + 25 * s.cells[i].n_points for i in idx], color=tab(k % 10),
                   edgecolor="black", linewidth=0.5, zorder=2, label=str(cls))
    if classes:
        leg = ax.legend(title="predicted", fontsize=8, loc="best")
        for h in leg.legend_handles:  # one marker size in the legend (the plot's sizes count points)
            h.set_sizes([40])  # type: ignore[union-attr]
    ax.set_xlabel("principal direction 1 of the cells' mean data points")
    ax.set_ylabel("principal direction 2")
    ax.set_title(title or f"data graph: {m} data cells in R^{s.n_in}, {s.n_edges} edges")
    return fig
