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
    """A tqdm bar with a ``total`` (a context manager; disabled per the rule above).
    A bar that would be disabled is a :class:`_NullBar` instead: tqdm (with the asyncio
    and notebook modules ``tqdm.auto`` loads, ~40 ms of imports) is only imported when
    a bar can be shown."""
    check_progress(progress)
    if progress is None:
        show = hasattr(sys.stderr, "isatty") and sys.stderr.isatty()
    else:
        show = progress
    if not show:
        return _NullBar()
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit=unit, disable=False, delay=0 if progress else 1.0, leave=False,
                file=sys.stderr)


class _NullBar:
    """The interface of a disabled tqdm bar that the stages use: it does nothing."""

    def __enter__(self) -> _NullBar:
        return self

    def __exit__(self, *exc: Any) -> bool:
        return False

    def update(self, n: float = 1) -> None:
        pass

    def set_postfix(self, *args: Any, **kwargs: Any) -> None:
        pass

    def set_postfix_str(self, *args: Any, **kwargs: Any) -> None:
        pass

    def close(self) -> None:
        pass
