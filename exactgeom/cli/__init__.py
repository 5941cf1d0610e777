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

The package has one module per subcommand group — :mod:`~exactgeom.cli.analyse`
(``analyse``, the main job), :mod:`~exactgeom.cli.fixtures` (``fixture``, ``check``,
``export-cdd``), :mod:`~exactgeom.cli.reports` (``curvature``, ``laplacian``,
``plot``) — and the shared parts: :mod:`~exactgeom.cli.parser` (the argument parser),
:mod:`~exactgeom.cli.common` (options to a built partition), :mod:`~exactgeom.cli.run`
(dispatch and exit statuses) and :mod:`~exactgeom.cli.supervise` (the forked child that
makes Ctrl-C reliable).

>>> build_parser().prog
'exactgeom'
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

# the names this module held before it became a package stay importable from here
from .analyse import ANALYSE_CELLS_BYTES, ANALYSE_SPECTRUM_LIMIT, cells_section_bytes  # noqa: F401
from .common import PICTURE_NAME, PROG, RESULT_NAME, SUMMARY_NAME, UsageError  # noqa: F401
from .parser import build_parser
from .run import COMMANDS, _run  # noqa: F401
from .supervise import INTERRUPT_GRACE, _supervise_ok, _supervised  # noqa: F401

__all__ = ["main", "build_parser", "UsageError"]


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

