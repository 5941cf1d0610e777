"""``exactgeom curvature``, ``laplacian`` and ``plot``: views of a partition.

``curvature`` and ``laplacian`` print a report (and write it as JSON with ``-o``);
``plot`` draws the partition (2-D; 3-D as slices, :func:`_parse_slice`, or a
projection), coloured by volume, key, label or curvature.

>>> _parse_slice("2=1/2")
{2: Fraction(1, 2)}
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..errors import InvalidInputError
from .common import UsageError, _build, _complex_options, _Out, _spec, _wrote


def cmd_curvature(args: argparse.Namespace, out: _Out) -> int:
    from ..io.analysis_views import curvature_report

    spec = _spec(args, out)
    P, _ = _build(spec, args, out)
    from ..io.fixtures import partition_vertex_free

    if partition_vertex_free(P):
        from ..errors import LimitExceededError

        raise LimitExceededError(
            f"curvature needs the angle defects at the cells' ridges, hence their vertices, but the {P.n_cells} cells "
            f"are H-first polytopes in R^{P.ambient_dim} (built without vertices above 6 inputs) whose vertices are "
            "not enumerated; 'exactgeom analyse --mode data --data FILE' gives the Ollivier-Ricci curvature of a ReLU "
            "network's data graph with the data measure, and 'exactgeom laplacian --measure data --data FILE' the "
            "data-measure Laplacian"
        )
    text, doc = curvature_report(P, spec)
    out(text.rstrip("\n"))
    if args.output:
        from ..io.fixtures import write_document

        write_document(doc, args.output)
        _wrote(out, Path(args.output))
    return 0


def cmd_laplacian(args: argparse.Namespace, out: _Out) -> int:
    from ..io.analysis_views import laplacian_report

    spec = _spec(args, out)
    P, _ = _build(spec, args, out)
    text, doc = laplacian_report(P, spec, p=args.p, options=_complex_options(args), spectrum=not args.no_spectrum)
    out(text.rstrip("\n"))
    if args.output:
        from ..io.fixtures import write_document

        write_document(doc, args.output)
        _wrote(out, Path(args.output))
    return 0


def _parse_slice(text: str | None) -> dict[int, Any] | None:
    if text is None:
        return None
    from ..numbers.rational import as_rational

    out: dict[int, Any] = {}
    for part in text.split(","):
        k, sep, v = part.partition("=")
        try:
            out[int(k.strip().lstrip("x"))] = as_rational(v.strip())
        except (ValueError, InvalidInputError):
            raise UsageError(f"--slice {text!r}: write AXIS=VALUE[,AXIS=VALUE], e.g. 2=0 or 2=1/2") from None
        if not sep:
            raise UsageError(f"--slice {text!r}: write AXIS=VALUE, e.g. 2=0")
    return out


def cmd_plot(args: argparse.Namespace, out: _Out) -> int:
    from ..plot import plot_partition, save_figure

    spec = _spec(args, out)
    fixed = _parse_slice(args.slice)
    project = None
    if args.project is not None:
        try:
            project = tuple(int(x) for x in args.project.split(","))
        except ValueError:
            project = ()
        if len(project) != 2:
            raise UsageError(f"--project {args.project!r}: write two axes, e.g. 0,1")
    P, _ = _build(spec, args, out)
    from ..io.fixtures import partition_vertex_free

    if partition_vertex_free(P):
        raise InvalidInputError(
            f"cannot draw this partition: its {P.n_cells} cells are H-first polytopes in R^{P.ambient_dim} "
            "(built without vertices above 6 inputs) whose vertices are not enumerated; use 'exactgeom analyse "
            "--mode data --data FILE' for the data graph, facets, spectrum and curvature of a ReLU network's data cells"
        )
    color: Any = args.color
    edges = None
    extra: dict[str, Any] = {}
    if color == "curvature":
        from ..io.analysis_views import curvature_values

        color, edges = curvature_values(P, spec)
        extra = {"boundary": False, "value_label": "vertex curvature (1/2 sum of Ricci)",
                 "edge_label": "Ollivier-Ricci curvature", "cmap": "coolwarm",
                 "title": f"{P.family} partition: {P.n_cells} cells, curvature"}
    fig = plot_partition(P, color=color, edge_values=edges, data=spec.data, labels=spec.labels,
                         slice=fixed, project=project, **extra)
    _wrote(out, save_figure(fig, args.output))
    return 0
