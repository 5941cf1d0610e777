"""The argument parser of the ``exactgeom`` command: :func:`build_parser`.

One sub-parser per subcommand, the options they share (:func:`_common`,
:func:`_model_args`, :func:`_complex_args`) and the option value types; a usage error
is one line, exit status 2 (:class:`_Parser` raises :class:`~exactgeom.cli.UsageError`).

>>> build_parser().parse_args(["plot", "--color", "key"]).color
'key'
"""

from __future__ import annotations

import argparse
from typing import Any

from .analyse import ANALYSE_SPECTRUM_LIMIT
from .common import PICTURE_NAME, PROG, RESULT_NAME, SUMMARY_NAME, UsageError


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
    from .. import __version__

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
