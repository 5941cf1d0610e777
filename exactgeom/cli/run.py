"""Running one ``exactgeom`` command: parse, dispatch, turn errors into exit statuses.

:data:`COMMANDS` maps each subcommand to its function; :func:`_run` parses the
arguments and runs it, printing an error as one line ``exactgeom: error: …`` with exit
status 2 (usage), 1 (failure), 130 (interrupted) or 141 (broken pipe); ``--debug``
shows the traceback instead.

>>> _join_negative_values(["--domain", "-1:1,-1:1"])
['--domain=-1:1,-1:1']
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Sequence

from ..errors import ExactGeomError
from .analyse import cmd_analyse
from .common import PROG, UsageError, _Out
from .fixtures import cmd_check, cmd_export_cdd, cmd_fixture
from .parser import build_parser
from .reports import cmd_curvature, cmd_laplacian, cmd_plot

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
