"""Atomic file output: every file exactgeom writes goes through :func:`write_atomic`.

The bytes are written to a temporary file in the target's own folder, flushed to disk,
and moved over the target with :func:`os.replace` (atomic on POSIX and Windows). A
reader, an interrupted run (Ctrl-C, a crash, ``kill -9``) or a failure half-way never
leaves a partial file under the target's name: the target holds either its previous
complete content or the new complete content.

A run killed between writing and renaming can leave its temporary file behind, named
``.<target name>.<pid>.<random>.tmp``; the next write of the same target removes such
leftovers of processes that no longer run.

>>> import os, tempfile
>>> p = os.path.join(tempfile.mkdtemp(), "a.txt")
>>> write_atomic(p, "one\\n")
PosixPath('...a.txt')
>>> open(p).read()
'one\\n'
>>> _ = write_atomic(p, [b"two", b"\\n"])   # pieces written one after the other
>>> open(p).read()
'two\\n'
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from pathlib import Path

from ..errors import InvalidInputError

__all__ = ["write_atomic", "TEMP_PATTERN"]  # _UMASK is shared with cddfiles

#: how leftover temporary files are named (``.<name>.<pid>.<random>.tmp``)
TEMP_PATTERN = re.compile(r"\.(?P<name>.+)\.(?P<pid>\d+)\.[A-Za-z0-9_]+\.tmp")


def _umask() -> int:
    try:  # Linux: read it without changing it
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    old = os.umask(0o022)
    os.umask(old)
    return old


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def _remove_stale(folder: Path, name: str) -> None:
    """Remove leftover temporary files of ``name`` from processes that no longer run."""
    with contextlib.suppress(OSError):
        for q in folder.iterdir():
            m = TEMP_PATTERN.fullmatch(q.name)
            if m and m["name"] == name and not _alive(int(m["pid"])):
                with contextlib.suppress(OSError):
                    q.unlink()


def write_atomic(path: str | Path, data: str | bytes | list[bytes], *, encoding: str = "utf-8") -> Path:
    """Write ``data`` (text, bytes, or a list of bytes written one after the other) to
    ``path`` atomically and return the path.

    Raises
    ------
    InvalidInputError
        The folder does not exist or cannot be written (the message names the path).
    """
    p = Path(path)
    raw = data.encode(encoding) if isinstance(data, str) else data if isinstance(data, list) else bytes(data)
    folder = p.parent if str(p.parent) else Path(".")
    if p.is_dir():
        raise InvalidInputError(f"cannot write {str(p)!r}: it is a folder")
    _remove_stale(folder, p.name)
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.{os.getpid()}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as fh:
            if isinstance(raw, list):
                fh.writelines(raw)
            else:
                fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_UMASK)  # the permissions a plain open() would give
        os.replace(tmp, p)
        tmp = None
    except OSError as exc:
        raise InvalidInputError(f"cannot write {str(p)!r}: {exc.strerror or exc}") from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    return p


_UMASK = _umask()
