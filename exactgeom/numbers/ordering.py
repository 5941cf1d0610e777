"""Rich comparisons from one exact three-way comparison.

Exact number types (:class:`~exactgeom.numbers.Surd`, :class:`~exactgeom.numbers.SurdSum`,
:class:`~exactgeom.numbers.Angle`, ...) decide an ordering exactly in one method,
``_compare(other) -> -1 | 0 | 1`` (or ``NotImplemented`` for foreign operands); this base
class derives ``< <= > >=`` from it, so the rule lives in one place.

>>> from exactgeom.numbers import Surd
>>> Surd(1, 2) < Surd(3, 1) <= Surd(1, 9)
True
"""

from __future__ import annotations

from typing import Any

__all__ = ["ExactOrdering"]


class ExactOrdering:
    """A stateless base class: subclasses implement ``_compare``; ``__slots__`` stay free."""

    __slots__ = ()

    def _compare(self, other: Any) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def __lt__(self, other: Any) -> bool:
        c = self._compare(other)
        return c if c is NotImplemented else c < 0

    def __le__(self, other: Any) -> bool:
        c = self._compare(other)
        return c if c is NotImplemented else c <= 0

    def __gt__(self, other: Any) -> bool:
        c = self._compare(other)
        return c if c is NotImplemented else c > 0

    def __ge__(self, other: Any) -> bool:
        c = self._compare(other)
        return c if c is NotImplemented else c >= 0
