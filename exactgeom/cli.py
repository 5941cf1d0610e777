"""The ``exactgeom`` command line (also ``python -m exactgeom``).

Run with no arguments it does the main job: it analyses the built-in example (a small
ReLU network with rational weights trained on a built-in 2-D data set), enumerates
every cell, checks the partition exactly and writes into the current folder (or
``-o DIR``) ``exactgeom_summary.txt``, ``exactgeom_result.json`` (the exact fixture)
and ``exactgeom_partition.png``.

Subcommands: ``analyse``, ``fixture``, ``check``, ``curvature``, ``laplacian``,
``plot``, ``export-cdd``; ``exactgeom <command> --help`` describes each.  Errors print
one line ``exactgeom: error: …`` on stderr and exit with status 2 (usage) or 1
(failure); ``--debug`` shows the traceback.  See ``docs/cli.md``.

>>> build_parser().prog
'exactgeom'
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .errors import ExactGeomError, InvalidInputError

__all__ = ["main", "build_parser", "UsageError"]

PROG = "exactgeom"
SUMMARY_NAME = "exactgeom_summary.txt"
RESULT_NAME = "exactgeom_result.json"
PICTURE_NAME = "exactgeom_partition.png"
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


class UsageError(InvalidInputError):
    """A bad command-line value (exit status 2)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # one line, status 2
        raise UsageError(f"{message} (see '{self.prog} --help')")


# ---------------------------------------------------------------------------- parser



def _int_at_least(text: str, least: int, expected: str) -> int:
    """An integer option value ``>= least`` (an argparse usage error otherwise)."""
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected {expected}, got {text!r}") from None
    if v < least:
        raise argparse.ArgumentTypeError(f"expected {expected}, got {v}")
    return v


def _positive_int(text: str) -> int:
    """argparse type for counts such as ``--digits``: a positive integer."""
    return _int_at_least(text, 1, "a positive integer")


def _jobs(text: str) -> int:
    """argparse type for ``--jobs``: a non-negative integer (0: one worker per CPU)."""
    return _int_at_least(text, 0, "a number of worker processes (0 for one per CPU)")


def _common(p: argparse.ArgumentParser, *, top: bool) -> None:
    d = None if top else argparse.SUPPRESS
    p.add_argument("-q", "--quiet", action="store_true", default=False if top else d,
                   help="print nothing but errors")
    p.add_argument("--no-progress", action="store_true", default=False if top else d,
                   help="no progress bar during long enumerations")
    p.add_argument("--policy", metavar="POLICY", default=d,
                   help="float-conversion policy for float parameters/data: 'exact' (binary value) or "
                   "'limit_denominator(N)'; default: refuse floats")
    p.add_argument("--debug", action="store_true", default=False if top else d,
                   help="show the Python traceback of an error")


def _model_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("model", nargs="?", metavar="MODEL",
                   help="model file (.json model format, .npz or .pt weights); default: the built-in example")
    p.add_argument("--domain", metavar="DOMAIN",
                   help="domain: 'lo:hi,lo:hi,...', a JSON list of [lo, hi] pairs, {\"A\": ..., \"b\": ...}, "
                   "or a JSON file holding one (overrides the model file's)")
    p.add_argument("--mode", choices=("full", "data"), help="full enumeration, or only cells containing data (ReLU)")
    p.add_argument("--data", metavar="FILE", help="data points: .json (list, or {\"data\", \"labels\"}) or .csv")
    p.add_argument("-j", "--jobs", metavar="N", type=_jobs, default=1,
                   help="worker processes for building a ReLU partition (default 1: serial; 0: one per CPU); "
                   "results are identical to serial")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``exactgeom`` command."""
    from . import __version__

    top = _Parser(
        prog=PROG,
        description="Exact geometry of the partitions machine-learning models induce on their input space. "
        "With no command: analyse the built-in example and write a summary, an exact JSON result and a picture "
        "into the current folder.",
    )
    top.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    _common(top, top=True)
    top.add_argument("-o", "--output-dir", metavar="DIR", default=None,
                     help="folder for the main job's files (default: current folder)")
    sub = top.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("analyse", aliases=["analyze"], help="analyse a model: summary, exact JSON result, picture",
                       description="Enumerate the cells of a model's partition, check it exactly and write "
                       f"{SUMMARY_NAME}, {RESULT_NAME} and {PICTURE_NAME}.")
    _model_args(p)
    p.add_argument("-o", "--output-dir", metavar="DIR", default=argparse.SUPPRESS, help="output folder (default: .)")
    p.add_argument("--no-plot", action="store_true", help="do not draw the picture")
    p.add_argument("--digits", type=_positive_int, default=20, help="significant digits of certified enclosures (default 20)")
    p.add_argument("--sections", metavar="LIST", default=None,
                   help="sections of the JSON result out of cells,angles,faces,complex,curvature (default: all available)")
    p.add_argument("--spectrum", action="store_true",
                   help=f"store the Laplacian and its spectrum even above {ANALYSE_SPECTRUM_LIMIT} cells")
    _common(p, top=False)

    p = sub.add_parser("fixture", help="write an exact ground-truth fixture (JSON)",
                       description="Write the exact fixture of a model's partition (docs/fixtures.md).")
    _model_args(p)
    p.add_argument("-o", "--output", metavar="FILE", required=True, help="fixture file to write")
    p.add_argument("--sections", metavar="LIST", default=None,
                   help="comma-separated sections out of cells,angles,faces,complex,curvature (default: all available)")
    p.add_argument("--digits", type=_positive_int, default=20, help="significant digits of certified enclosures (default 20)")
    p.add_argument("--name", help="a name stored in the fixture")
    _complex_args(p)
    _common(p, top=False)

    p = sub.add_parser("check", help="recompute fixtures and list every difference",
                       description="Recompute each fixture from its stored model and list every difference; "
                       "exit status 1 when any fixture differs.")
    p.add_argument("fixtures", nargs="+", metavar="FIXTURE", help="fixture file(s)")
    p.add_argument("--limit", type=_positive_int, default=50, help="show at most this many differences per file (default 50)")
    _common(p, top=False)

    p = sub.add_parser("curvature", help="curvature of a partition (angle defects, vertex and Ricci curvature)",
                       description="Exact curvature values of a model's partition and its complex.")
    _model_args(p)
    p.add_argument("-o", "--output", metavar="FILE", help="also write the values as JSON")
    _common(p, top=False)

    p = sub.add_parser("laplacian", help="a Hodge Laplacian of the partition's complex and its spectrum",
                       description="The Hodge Laplacian of degree p of the partition's Riemannian complex.")
    _model_args(p)
    p.add_argument("-p", "--degree", "--p", dest="p", type=int, default=0, help="degree p (default 0)")
    p.add_argument("--no-spectrum", action="store_true",
                   help="skip the spectrum (certified eigenvalues of large operators can take minutes)")
    _complex_args(p)
    p.add_argument("-o", "--output", metavar="FILE", help="also write the result as JSON")
    _common(p, top=False)

    p = sub.add_parser("plot", help="draw the partition", description="Draw a model's partition (2-D; 3-D as slices or a projection).")
    _model_args(p)
    p.add_argument("--color", default="volume", choices=("volume", "key", "label", "curvature", "none"),
                   help="colour cells by volume (default), key, class label or curvature")
    p.add_argument("-o", "--output", metavar="FILE", default=PICTURE_NAME, help=f"picture file (default {PICTURE_NAME})")
    p.add_argument("--slice", metavar="AXIS=VALUE[,...]", help="slice at x_AXIS = VALUE (n >= 3)")
    p.add_argument("--project", metavar="I,J", help="project onto coordinates I and J (n >= 3)")
    _common(p, top=False)

    p = sub.add_parser("export-cdd", help="write every cell as cddlib .ine/.ext files",
                       description="Write domain.ine/.ext, cell_<i>.ine/.ext and index.json into a folder.")
    _model_args(p)
    p.add_argument("-o", "--output-dir", metavar="DIR", required=True,
                   help="folder to write into (replaces an earlier export there as a whole)")
    p.add_argument("--force", action="store_true",
                   help="write into a non-empty folder that is not an earlier export")
    _common(p, top=False)
    return top


def _complex_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--convention", default="facet", help="complex convention: facet (default) or nerve")
    p.add_argument("--measure", default="volume", help="measure: volume (default), data or mixed")
    p.add_argument("--metric", default="diagonal", help="inner product: diagonal (default) or angle")
    p.add_argument("--form", default="cochain", help="Laplacian form: cochain (default) or chain")
    p.add_argument("--laplacians", metavar="LIST", default=None, help="degrees of the Laplacians stored in a fixture, e.g. 0,1")


# ---------------------------------------------------------------------------- helpers


class _Out:
    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet

    def __call__(self, *lines: str) -> None:
        if not self.quiet:
            for line in lines:
                print(line)

    def note(self, msg: str) -> None:
        if not self.quiet:
            print(f"{PROG}: note: {msg}", file=sys.stderr)


def _parse_domain(text: str | None) -> Any:
    if text is None:
        return None
    t = text.strip()
    if t.startswith("[") or t.startswith("{"):
        from .io.canonical import loads_json

        try:
            return loads_json(t, "--domain")
        except InvalidInputError as exc:
            raise UsageError(str(exc)) from None
    p = Path(t)
    if p.suffix.lower() == ".json":
        if not p.exists():
            raise InvalidInputError(f"domain file {t!r} does not exist")
        from .io.canonical import loads_json

        try:
            return loads_json(p.read_text(encoding="utf-8"), f"domain file {t!r}")
        except (OSError, UnicodeDecodeError) as exc:
            raise InvalidInputError(f"cannot read the domain file {t!r}: {exc}") from None
    pairs = []
    for part in t.split(","):
        lo, sep, hi = part.partition(":")
        if not sep or not lo.strip() or not hi.strip():
            raise UsageError(f"--domain {text!r}: write 'lo:hi,lo:hi,...' (one pair per input), e.g. -1:1,-1:1")
        pairs.append([lo.strip(), hi.strip()])
    return pairs


def _policy(args: argparse.Namespace) -> Any:
    pol = getattr(args, "policy", None)
    if pol is None:
        return None
    from .numbers.rational import FloatPolicy

    try:
        return str(FloatPolicy.parse(pol))
    except InvalidInputError as exc:
        raise UsageError(f"--policy: {exc}") from None


def _spec(args: argparse.Namespace, out: _Out) -> Any:
    from .io.model_files import example_spec, read_model

    policy = _policy(args)
    domain = _parse_domain(getattr(args, "domain", None))
    model = getattr(args, "model", None)
    if model is None:
        spec = example_spec()
        if domain is not None:
            spec = spec.with_domain(domain, policy=policy)
            spec = _keep_data_inside(spec, out)
    else:
        spec = read_model(model, policy=policy, domain=domain)
    data_file = getattr(args, "data", None)
    mode = getattr(args, "mode", None)
    if data_file is not None:
        from .io.weights_files import read_data

        X, y = read_data(data_file, policy=policy, n=spec.ambient_dim)
        spec = spec.with_data(X, y, policy=policy, mode=mode)
    elif mode is not None:
        spec = spec.with_data(spec.data, spec.labels, mode=mode)
    return spec


def _keep_data_inside(spec: Any, out: _Out) -> Any:
    """The built-in example on another domain: drop the data points outside it."""
    if spec.data is None:
        return spec
    keep = [k for k, x in enumerate(spec.data) if spec.domain.contains(x)]
    if len(keep) == len(spec.data):
        return spec
    out.note(f"{len(spec.data) - len(keep)} of the example's {len(spec.data)} data points lie outside --domain; left out")
    labels = None if spec.labels is None else [spec.labels[k] for k in keep]
    return spec.with_data([spec.data[k] for k in keep] or None, labels if keep else None)


def _progress(args: argparse.Namespace) -> bool | None:
    return False if (args.no_progress or args.quiet) else None


def _build(spec: Any, args: argparse.Namespace, out: _Out) -> Any:
    t0 = time.perf_counter()
    jobs = getattr(args, "jobs", 1) or (os.cpu_count() or 1)
    if jobs == 1 or spec.family != "relu":  # only the ReLU builders take an executor
        P = spec.build(progress=_progress(args))
    else:
        from concurrent.futures import ProcessPoolExecutor

        pool = ProcessPoolExecutor(max_workers=jobs)
        try:
            P = spec.build(progress=_progress(args), executor=pool)
        finally:  # on Ctrl-C do not wait for queued tasks
            pool.shutdown(wait=False, cancel_futures=True)
    return P, time.perf_counter() - t0


def _wrote(out: _Out, *paths: Path) -> None:
    out(*(f"wrote {p}" for p in paths))


def _outdir(path: str | None) -> Path:
    d = Path(path) if path else Path(".")
    try:
        d.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidInputError(f"cannot create the output folder {str(d)!r}: {exc.strerror or exc}") from None
    if not d.is_dir():
        raise InvalidInputError(f"output folder {str(d)!r} is not a folder")
    return d


# ---------------------------------------------------------------------------- commands


def cmd_analyse(args: argparse.Namespace, out: _Out) -> int:
    """Summary, then picture, then the JSON result section by section: each output is
    written (atomically) as soon as it is finished, so a failing or interrupted later
    stage never loses an earlier one; failures are named and give exit status 1."""
    from .io.fixtures import fixture_dict
    from .io.report import approx, exact_short, key_label, summarise, summary_text

    spec = _spec(args, out)
    sections = _sections_option(getattr(args, "sections", None))
    d = _outdir(getattr(args, "output_dir", None))
    P, t_build = _build(spec, args, out)
    from .io.fixtures import partition_vertex_free

    if partition_vertex_free(P):
        return _analyse_data(args, out, spec, P, t_build, d, sections)
    t0 = time.perf_counter()
    s = summarise(P, spec)
    summary_path = d / SUMMARY_NAME
    _write_text(summary_path, summary_text(s))
    paths = [summary_path]
    failed: list[tuple[str, Exception]] = []
    if not getattr(args, "no_plot", False):
        from .plot import plot_partition, save_figure

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
                       failures=sec_failures, progress=_progress(args))
    write_result(doc)
    paths.insert(1, result_path)
    failed += [(f"result section {name!r}", exc) for name, exc in sec_failures]
    t_rest = time.perf_counter() - t0
    out(f"{PROG}: {s.title} - {s.model_line}")
    out(f"  domain {s.domain_line}; {'every cell' if s.mode == 'full' else 'cells containing data'}"
        + (f"; data: {s.data_line}" if s.data_line else ""))
    out(f"  {s.n_cells} cells, {s.n_faces} adjacencies; volumes sum to {s.volume_sum} "
        f"{'=' if s.volume_ok else '!='} domain volume {s.domain_volume} (exact); "
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


def _analyse_data(args: argparse.Namespace, out: _Out, spec: Any, P: Any, t_build: float, d: Path, sections: Any) -> int:
    """``analyse`` of a partition with H-first cells (data mode above 6 inputs): the
    volume-free summary (:mod:`exactgeom.io.report_data`), a picture of the data graph
    (the cells have no affordable vertices to draw), and the JSON result with the sections that need no
    volume (cells by their exact facets, the data-graph edges)."""
    from .io.fixtures import fixture_dict
    from .io.report import exact_short
    from .io.report_data import data_summary_text, largest_component, summarise_data

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
        from .io.report_data import data_graph_figure
        from .plot import save_figure

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
            from .io.fixtures import VERTEX_FREE_SECTIONS

            sections = [x for x in VERTEX_FREE_SECTIONS if x != "cells"]
            out.note(f"the JSON result leaves out the cells section (exact facets and output maps of {P.n_cells} "
                     f"cells, about {est / 1e9:.1f} GB); add --sections cells,faces to write it")
    write_result = _ResultWriter(result_path)
    doc = fixture_dict(spec, name=spec.name or (Path(args.model).stem if args.model else None),
                       digits=getattr(args, "digits", 20), partition=P, sections=sections,
                       section_done=write_result, failures=sec_failures)
    write_result(doc)
    t_rest = time.perf_counter() - t0
    out(f"{PROG}: {s.title} - {s.model_line}")
    what = "every cell (H-first, no vertices)" if s.every_cell else "cells containing data"
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
        from .io.fixtures import SECTION_BUILDERS

        self.path = path
        self.keep = frozenset(SECTION_BUILDERS)
        self.memo: dict[str, tuple[Any, bytes]] = {}
        self.last: list[bytes] | None = None

    def __call__(self, doc: dict[str, Any]) -> None:
        from .io.atomic import write_atomic
        from .io.canonical import canonical_document_parts

        parts = canonical_document_parts(doc, self.memo, self.keep)
        if parts != self.last:  # the pieces (mostly the same objects) compared one by one
            write_atomic(self.path, parts)
        self.last = parts


def _sections_option(text: str | None) -> Any:
    """``--sections``: None (all available) or a non-empty list of known sections."""
    if text is None:
        return None
    names = [x.strip() for x in text.split(",") if x.strip()]
    if not names:
        raise UsageError(f"--sections {text!r} selects no section; give e.g. cells,faces")
    from .io.fixtures import _normalise_sections

    try:
        _normalise_sections(names)
    except InvalidInputError as exc:
        raise UsageError(f"--sections: {exc}") from None
    return names


def _bare(t: str) -> str:
    """'(58/64-digit fraction)' -> '58/64-digit fraction'; exact values unchanged."""
    return t[1:-1] if t.startswith("(") and t.endswith(")") else t


def _write_text(path: Path, text: str) -> None:
    from .io.atomic import write_atomic

    write_atomic(path, text)


def _complex_options(args: argparse.Namespace) -> dict[str, Any]:
    opts: dict[str, Any] = {"convention": args.convention, "measure": args.measure, "metric": args.metric, "form": args.form}
    lap = getattr(args, "laplacians", None)
    if lap is not None:
        try:
            degrees = [int(x) for x in lap.split(",") if x.strip()]
        except ValueError:
            raise UsageError(f"--laplacians {lap!r}: give degrees like 0,1") from None
        if not degrees or min(degrees) < 0:
            raise UsageError(f"--laplacians {lap!r} selects no degree p >= 0; give degrees like 0,1")
        opts["laplacians"] = degrees
    return opts


def cmd_fixture(args: argparse.Namespace, out: _Out) -> int:
    from .io.fixtures import write_fixture

    spec = _spec(args, out)
    sections = _sections_option(args.sections)
    copts = _complex_options(args)
    P, _ = _build(spec, args, out)
    path = Path(args.output)
    doc = write_fixture(spec, path, sections=sections, digits=args.digits, name=args.name,
                        complex_options=copts, partition=P, progress=_progress(args))
    out(f"{PROG}: fixture of {P.n_cells} cells, sections {', '.join(doc['sections'])}")
    _wrote(out, path)
    return 0


def cmd_check(args: argparse.Namespace, out: _Out) -> int:
    from .io.fixture_load import check_fixture

    bad = 0
    for f in args.fixtures:
        r = check_fixture(f, progress=_progress(args))
        if r.ok:
            out(r.report())
        else:
            bad += 1
            print(r.report(limit=args.limit))  # the listing is the point, even with -q
    return 1 if bad else 0


def cmd_curvature(args: argparse.Namespace, out: _Out) -> int:
    from .io.analysis_views import curvature_report

    spec = _spec(args, out)
    P, _ = _build(spec, args, out)
    from .io.fixtures import partition_vertex_free

    if partition_vertex_free(P):
        from .errors import LimitExceededError

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
        from .io.fixtures import write_document

        write_document(doc, args.output)
        _wrote(out, Path(args.output))
    return 0


def cmd_laplacian(args: argparse.Namespace, out: _Out) -> int:
    from .io.analysis_views import laplacian_report

    spec = _spec(args, out)
    P, _ = _build(spec, args, out)
    text, doc = laplacian_report(P, spec, p=args.p, options=_complex_options(args), spectrum=not args.no_spectrum)
    out(text.rstrip("\n"))
    if args.output:
        from .io.fixtures import write_document

        write_document(doc, args.output)
        _wrote(out, Path(args.output))
    return 0


def _parse_slice(text: str | None) -> dict[int, Any] | None:
    if text is None:
        return None
    from .numbers.rational import as_rational

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
    from .plot import plot_partition, save_figure

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
    from .io.fixtures import partition_vertex_free

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
        from .io.analysis_views import curvature_values

        color, edges = curvature_values(P, spec)
        extra = {"boundary": False, "value_label": "vertex curvature (1/2 sum of Ricci)",
                 "edge_label": "Ollivier-Ricci curvature", "cmap": "coolwarm",
                 "title": f"{P.family} partition: {P.n_cells} cells, curvature"}
    fig = plot_partition(P, color=color, edge_values=edges, data=spec.data, labels=spec.labels,
                         slice=fixed, project=project, **extra)
    _wrote(out, save_figure(fig, args.output))
    return 0


def cmd_export_cdd(args: argparse.Namespace, out: _Out) -> int:
    from .io.cddfiles import export_partition

    spec = _spec(args, out)
    P, _ = _build(spec, args, out)
    paths = export_partition(P, args.output_dir, force=args.force)
    out(f"{PROG}: wrote {len(paths)} files ({P.n_cells} cells as .ine/.ext, domain, index.json) to {args.output_dir}")
    return 0


COMMANDS = {
    None: cmd_analyse,
    "analyse": cmd_analyse,
    "analyze": cmd_analyse,
    "fixture": cmd_fixture,
    "check": cmd_check,
    "curvature": cmd_curvature,
    "laplacian": cmd_laplacian,
    "plot": cmd_plot,
    "export-cdd": cmd_export_cdd,
}


def _join_negative_values(argv: list[str]) -> list[str]:
    """``--domain -1:1,-1:1`` -> ``--domain=-1:1,-1:1`` (argparse would take the value for
    an option because it starts with '-')."""
    out: list[str] = []
    k = 0
    while k < len(argv):
        a = argv[k]
        if a in ("--domain", "--slice") and k + 1 < len(argv) and argv[k + 1].startswith("-") and ":" in argv[k + 1] + "=":
            out.append(f"{a}={argv[k + 1]}")
            k += 2
            continue
        out.append(a)
        k += 1
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 success, 1 failure, 2 usage,
    130 interrupted).

    Run from the shell (``argv`` is None) on a POSIX system, the command runs in a
    forked child process watched by this one, so that Ctrl-C stops it within a second
    even while the child is inside a long cddlib or flint call that does not look at
    signals: the child gets the interrupt first and stops at the next Python step; if it
    has not stopped after :data:`INTERRUPT_GRACE` seconds it is killed. Every file is
    written atomically, so either way only complete files remain.
    """
    if argv is None and _supervise_ok():
        return _supervised(sys.argv[1:])
    return _run(sys.argv[1:] if argv is None else argv)


#: seconds an interrupted command gets to stop by itself before it is killed
INTERRUPT_GRACE = 0.8


def _supervise_ok() -> bool:
    return hasattr(os, "fork") and sys.platform.startswith("linux") and os.environ.get("EXACTGEOM_NO_FORK") != "1"


class _Stop(Exception):
    def __init__(self, signum: int) -> None:
        self.signum = signum


def _supervised(argv: list[str]) -> int:
    import signal

    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child runs the command
        code = 1
        try:
            _die_with_parent(parent)
            _interrupt_once(signal)
            code = _run(argv)
        except SystemExit as exc:  # --help, --version
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except BaseException:  # --debug: show the traceback, as Python would
            import traceback

            traceback.print_exc()
        finally:
            for stream in (sys.stdout, sys.stderr):
                with contextlib.suppress(Exception):
                    stream.flush()
            os._exit(code)

    def stop(signum: int, frame: Any) -> None:
        raise _Stop(signum)

    old = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        try:
            _, status = os.waitpid(pid, 0)
        except _Stop as st:
            for sig in old:
                signal.signal(sig, signal.SIG_IGN)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, st.signum)  # the child may have it already (Ctrl-C reaches the group)
            deadline = time.monotonic() + INTERRUPT_GRACE
            while True:
                done, status = os.waitpid(pid, os.WNOHANG)
                if done:
                    break
                if time.monotonic() > deadline:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
                    print(f"{PROG}: interrupted", file=sys.stderr)
                    break
                time.sleep(0.02)
            return 130 if st.signum == signal.SIGINT else 128 + st.signum
    finally:
        for sig, h in old.items():
            signal.signal(sig, h)
    code = os.waitstatus_to_exitcode(status)
    return 128 - code if code < 0 else code


def _interrupt_once(signal: Any) -> None:
    """In the child: the first SIGINT raises KeyboardInterrupt, later ones are ignored
    (the terminal and the watching parent may both deliver one)."""

    def handler(signum: int, frame: Any) -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _die_with_parent(parent: int) -> None:
    """Linux: the child is killed when its parent dies (e.g. by SIGKILL), so no orphan
    keeps writing."""
    import ctypes
    import signal

    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    if os.getppid() != parent:
        os._exit(137)


def _run(argv: Sequence[str]) -> int:
    argv = _join_negative_values(list(argv))
    debug = "--debug" in argv
    try:
        args = build_parser().parse_args(argv)
        if args.command is None:
            for name in ("model", "domain", "mode", "data"):
                setattr(args, name, None)
        out = _Out(args.quiet)
        return COMMANDS[args.command](args, out)
    except UsageError as exc:
        if debug:
            raise
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    except ExactGeomError as exc:
        if debug:
            raise
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into e.g. `head`: stop quietly
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - no flush errors at exit
        return 141
    except Exception as exc:  # never a traceback without --debug
        if debug:
            raise
        msg = str(exc).splitlines()[0] if str(exc) else ""
        print(f"{PROG}: error: internal error ({type(exc).__name__}: {msg}); run with --debug for the traceback",
              file=sys.stderr)
        return 1
