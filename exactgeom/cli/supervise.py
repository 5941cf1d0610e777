"""Ctrl-C that always works: the command runs in a forked child watched by the parent.

Run from the shell on Linux, :func:`~exactgeom.cli.main` forks (:func:`_supervised`):
the child runs the command (:func:`~exactgeom.cli.run._run`) and stops at the next
Python step on the first interrupt (:func:`_interrupt_once`); the parent forwards the
signal and kills the child if it has not stopped after :data:`INTERRUPT_GRACE`
seconds (e.g. inside a long cddlib or flint call), and the child dies with its parent
(:func:`_die_with_parent`).  ``EXACTGEOM_NO_FORK=1`` turns this off.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from typing import Any

from .common import PROG
from .run import _run

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
