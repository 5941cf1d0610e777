"""``exactgeom analyse`` (also the command-less main job): summary, picture, JSON result.

:func:`cmd_analyse` writes the summary, then the picture, then the JSON result section
by section (:class:`_ResultWriter`, atomically after each section), so a failing or
interrupted later stage never loses an earlier one.  The route comes from
:func:`exactgeom.io.analyse_route.analyse_route` and is named in the JSON result's
``notes``: partitions with H-first cells (data mode above 6 inputs), or above 6 inputs
with more cell vertices than its budget, take :func:`_analyse_data`: the volume-free
summary, a picture of the data graph and the sections that need no volume; box
partitions take the volume route with closed forms.  The limits above
which outputs are left out by default (:data:`ANALYSE_SPECTRUM_LIMIT`,
:data:`ANALYSE_CELLS_BYTES`) live here.

>>> _bare("(58/64-digit fraction)"), _bare("1/2")
('58/64-digit fraction', '1/2')
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from ..errors import ExactGeomError
from .common import (
    PICTURE_NAME,
    PROG,
    RESULT_NAME,
    SUMMARY_NAME,
    _build,
    _Out,
    _outdir,
    _progress,
    _sections_option,
    _spec,
    _wrote,
)

#: ``analyse`` stores the Laplacian and its spectrum by default only up to this many cells
ANALYSE_SPECTRUM_LIMIT = 250


#: ``analyse`` of H-first cells leaves the cells section out of the JSON result by default
#: above this estimated size (bytes; ``--sections cells,...`` writes it anyway).
ANALYSE_CELLS_BYTES = 200_000_000


def cells_section_bytes(P: Any) -> int:
    """A lower estimate of the cells section's size in bytes: the decimal digits of every
    facet row (an exact output map, where the model has one, adds about half as much again;
    not counted)."""
    bits = 0
    for c in P.cells:
        for h in c.polytope.facets:
            bits += sum(abs(v).bit_length() + 1 for v in h.normal)
            bits += h.offset.numerator.bit_length() + h.offset.denominator.bit_length() + 2
    return int(bits * 0.30103) + 8 * sum(c.polytope.n_facets * (P.ambient_dim + 1) for c in P.cells)


def cmd_analyse(args: argparse.Namespace, out: _Out) -> int:
    """Summary, then picture, then the JSON result section by section: each output is
    written (atomically) as soon as it is finished, so a failing or interrupted later
    stage never loses an earlier one; failures are named and give exit status 1."""
    from ..io.fixtures import fixture_dict
    from ..io.report import approx, exact_short, key_label, summarise, summary_text

    spec = _spec(args, out)
    sections = _sections_option(getattr(args, "sections", None))
    d = _outdir(getattr(args, "output_dir", None))
    P, t_build = _build(spec, args, out)
    from ..io.analyse_route import analyse_route

    t0 = time.perf_counter()
    route = analyse_route(P)  # the JSON result's notes name it (docs/cli.md)
    if route.name == "volume_free":
        if route.forced:
            out.note(route.note)
        return _analyse_data(args, out, spec, P, t_build, d, sections, route)
    if route.name == "boxes" and P.ambient_dim > 6:  # where the route matters (always in the JSON's notes)
        out.note(route.note)
    s = summarise(P, spec)
    summary_path = d / SUMMARY_NAME
    _write_text(summary_path, summary_text(s))
    paths = [summary_path]
    failed: list[tuple[str, Exception]] = []
    if not getattr(args, "no_plot", False):
        from ..plot import plot_partition, save_figure

        try:
            fig = plot_partition(P, color="volume", data=spec.data, labels=spec.labels,
                                 title=f"{s.title}: {P.n_cells} cells (colour: volume)")
            paths.append(save_figure(fig, d / PICTURE_NAME))
        except ExactGeomError as exc:
            failed.append(("picture", exc))
    result_path = d / RESULT_NAME
    copts = None
    if P.n_cells > ANALYSE_SPECTRUM_LIMIT and not getattr(args, "spectrum", False):
        copts = {"laplacians": []}
        out.note(f"{P.n_cells} cells: the JSON result leaves out the Laplacian and its spectrum (certified "
                 "spectra of large operators are slow); add --spectrum to compute it")
    sec_failures: list[tuple[str, Any]] = []
    write_result = _ResultWriter(result_path)
    doc = fixture_dict(spec, name=spec.name or (Path(args.model).stem if args.model else None),
                       digits=getattr(args, "digits", 20), partition=P, sections=sections,
                       complex_options=copts, section_done=write_result,
                       failures=sec_failures, progress=_progress(args), notes=[route.note])
    write_result(doc)
    paths.insert(1, result_path)
    failed += [(f"result section {name!r}", exc) for name, exc in sec_failures]
    t_rest = time.perf_counter() - t0
    out(f"{PROG}: {s.title} - {s.model_line}")
    out(f"  domain {s.domain_line}; {'every cell' if s.mode == 'full' else 'cells containing data'}"
        + (f"; data: {s.data_line}" if s.data_line else ""))
    out(f"  {s.n_cells} cells, {s.n_faces} adjacencies; volumes sum to {exact_short(s.volume_sum)} "
        f"{'=' if s.volume_ok else '!='} domain volume {exact_short(s.domain_volume)} (exact); "
        f"check {'OK' if s.check_ok else 'FAILED'}")
    if s.smallest:
        c = s.smallest[0]
        out(f"  smallest cell {c.index} ({key_label(c.key)}): volume ~{approx(c.volume)} "
            f"(exact: {_bare(exact_short(c.volume))})")
    if s.sharpest:
        a = s.sharpest[0]
        e = a.angle.degrees(8)
        out(f"  sharpest dihedral angle: cell {a.cell}, ~{approx(e.mid, 6)} degrees "
            f"(exact cosine: {_bare(exact_short(a.angle.cos, 40))})")
    out(f"  time: {t_build:.2f} s enumeration, {t_rest:.2f} s geometry and output")
    _wrote(out, *paths)
    for what, exc in failed:
        print(f"{PROG}: error: {what} failed: {exc} (the other outputs were written)", file=sys.stderr)
    return 0 if s.check_ok and not failed else 1


def _analyse_data(args: argparse.Namespace, out: _Out, spec: Any, P: Any, t_build: float, d: Path, sections: Any,
                  route: Any) -> int:
    """``analyse`` of a partition with H-first cells (data mode above 6 inputs): the
    volume-free summary (:mod:`exactgeom.io.report_data`), a picture of the data graph
    (the cells have no affordable vertices to draw), and the JSON result with the sections that need no
    volume (cells by their exact facets, the data-graph edges)."""
    from ..io.fixtures import fixture_dict
    from ..io.report import exact_short
    from ..io.report_data import data_summary_text, largest_component, summarise_data

    t0 = time.perf_counter()
    # Delta_0 is certified component by component of the data graph: the largest one sets the cost
    big = P.n_cells if P.n_cells <= ANALYSE_SPECTRUM_LIMIT else largest_component(P, progress=_progress(args))
    spectrum = big <= ANALYSE_SPECTRUM_LIMIT or getattr(args, "spectrum", False)
    if not spectrum:
        out.note(f"{P.n_cells} data cells, {big} in the largest component of the data graph: the summary leaves out "
                 "the certified spectrum of Delta_0 (slow for large components); add --spectrum to compute it")
    s = summarise_data(P, spec, digits=min(getattr(args, "digits", 20), 20), spectrum=spectrum, progress=_progress(args))
    summary_path = d / SUMMARY_NAME
    _write_text(summary_path, data_summary_text(s))
    t_summary = time.perf_counter() - t0
    paths = [summary_path]
    failed: list[tuple[str, Exception]] = []
    if not getattr(args, "no_plot", False) and not s.n_points:
        out.note("no picture: the cells have no affordable vertices to draw, and no data places the cell graph")
    elif not getattr(args, "no_plot", False):  # the cells have no vertices to draw: a picture of the data graph
        from ..io.report_data import data_graph_figure
        from ..plot import save_figure

        try:
            paths.append(save_figure(data_graph_figure(s, spec.data, title=f"{s.title}: data graph of {P.n_cells} "
                                                       f"data cells in R^{P.ambient_dim}"), d / PICTURE_NAME))
        except (ExactGeomError, ImportError) as exc:
            failed.append(("picture", exc))
    result_path = d / RESULT_NAME
    sec_failures: list[tuple[str, Any]] = []
    if sections is None:  # by default, no multi-gigabyte cells section (it is asked for by name)
        est = cells_section_bytes(P)
        if est > ANALYSE_CELLS_BYTES:
            from ..io.fixtures import VERTEX_FREE_SECTIONS

            sections = [x for x in VERTEX_FREE_SECTIONS if x != "cells"]
            out.note(f"the JSON result leaves out the cells section (exact facets and output maps of {P.n_cells} "
                     f"cells, about {est / 1e9:.1f} GB); add --sections cells,faces to write it")
    write_result = _ResultWriter(result_path)
    doc = fixture_dict(spec, name=spec.name or (Path(args.model).stem if args.model else None),
                       digits=getattr(args, "digits", 20), partition=P, sections=sections,
                       section_done=write_result, failures=sec_failures,
                       vertex_free=True if route.forced else None, notes=[route.note])
    write_result(doc)
    t_rest = time.perf_counter() - t0
    out(f"{PROG}: {s.title} - {s.model_line}")
    what = "cells containing data"
    if s.every_cell:
        what = "every cell (vertex budget exceeded: no volumes)" if route.forced else "every cell (H-first, no vertices)"
    out(f"  domain {s.domain_line}; {what}; " + (f"data: {s.n_points} points" if s.n_points else "no data"))
    out(f"  {s.n_cells} {'' if s.every_cell else 'data '}cells (facets per cell {s.facets[0]}/{s.facets[1]}/{s.facets[2]} "
        f"min/median/max), {s.n_edges} {'cell' if s.every_cell else 'data'}-graph edges; "
        f"check {'OK' if s.check_ok else 'FAILED'}")
    if s.spectrum:
        out(f"  Delta_0 (data measure): kernel dimension {s.kernel_dim}, {len(s.spectrum)} smallest eigenvalues certified")
    if s.ricci:
        vals = sorted(v for _, v in s.ricci)
        out(f"  Ollivier-Ricci on the data graph: min {_bare(exact_short(vals[0]))}, max {_bare(exact_short(vals[-1]))} (exact)")
    out(f"  time: {t_build:.2f} s cells, {t_summary:.2f} s summary (cell graph, spectrum, Ricci), "
        f"{t_rest - t_summary:.2f} s JSON result")
    paths.insert(1, result_path)
    _wrote(out, *paths)
    failed += [(f"result section {name!r}", exc) for name, exc in sec_failures]
    for note in s.notes:
        out.note(note)
    for what, exc in failed:
        print(f"{PROG}: error: {what} failed: {exc} (the other outputs were written)", file=sys.stderr)
    return 0 if s.check_ok and not failed and not s.notes else 1


class _ResultWriter:
    """Writes the growing JSON result of ``analyse`` atomically after each section.

    Each finished section is encoded once (its canonical text is kept and reused by the
    later writes: the sections are never changed once built), so writing the document
    again costs the file write, not a fresh encoding of everything written before; a
    call with nothing new since the last write (the final call after the last section)
    writes nothing. Every file written is the complete canonical document
    (:func:`~exactgeom.io.canonical.canonical_json`) of the sections finished so far."""

    def __init__(self, path: Path) -> None:
        from ..io.fixtures import SECTION_BUILDERS

        self.path = path
        self.keep = frozenset(SECTION_BUILDERS)
        self.memo: dict[str, tuple[Any, bytes]] = {}
        self.last: list[bytes] | None = None

    def __call__(self, doc: dict[str, Any]) -> None:
        from ..io.atomic import write_atomic
        from ..io.canonical import canonical_document_parts

        parts = canonical_document_parts(doc, self.memo, self.keep)
        if parts != self.last:  # the pieces (mostly the same objects) compared one by one
            write_atomic(self.path, parts)
        self.last = parts


def _bare(t: str) -> str:
    """'(58/64-digit fraction)' -> '58/64-digit fraction'; exact values unchanged."""
    return t[1:-1] if t.startswith("(") and t.endswith(")") else t


def _write_text(path: Path, text: str) -> None:
    from ..io.atomic import write_atomic

    write_atomic(path, text)
