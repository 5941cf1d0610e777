"""Internal: one rule for progress bars on long stages (check, complex, spectra, Ricci,
decision topology, fixtures).

``progress=True`` always shows a tqdm bar, ``False`` never, ``None`` (the default of
every public entry point that takes it) shows one only when stderr is a terminal and
the stage has already run for a second (tqdm's ``delay``), so quick calls and logs stay
clean. A bar is closed on every exit path (``with`` block), Ctrl-C included.

>>> with progress_bar(3, "demo", False) as bar:
...     for _ in range(3):
...         bar.update(1)
"""

from __future__ import annotations

import sys
from typing import Any

from ..errors import InvalidInputError

__all__ = ["progress_bar", "check_progress"]


def check_progress(progress: Any) -> bool | None:
    """Validate a ``progress`` argument (``True``, ``False`` or ``None``)."""
    if progress not in (None, True, False) or (progress is not None and not isinstance(progress, bool)):
        raise InvalidInputError(f"progress must be True, False or None (auto), got {progress!r}")
    return progress


def progress_bar(total: int | None, desc: str, progress: bool | None = None, unit: str = "it") -> Any:
    """A tqdm bar with a ``total`` (a context manager; disabled per the rule above)."""
    from tqdm.auto import tqdm

    check_progress(progress)
    if progress is None:
        show = hasattr(sys.stderr, "isatty") and sys.stderr.isatty()
    else:
        show = progress
    return tqdm(total=total, desc=desc, unit=unit, disable=not show, delay=0 if progress else 1.0, leave=False,
                file=sys.stderr)
