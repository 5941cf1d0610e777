"""The three-valued result of every exact predicate."""

from __future__ import annotations

from enum import IntEnum

__all__ = ["Sign", "sign_of"]


class Sign(IntEnum):
    """NEGATIVE (-1), ZERO (0) or POSITIVE (+1); compares and multiplies like an int.

    >>> Sign(-1), Sign.POSITIVE * Sign.NEGATIVE
    (<Sign.NEGATIVE: -1>, -1)
    """

    NEGATIVE = -1
    ZERO = 0
    POSITIVE = 1


def sign_of(x: object) -> Sign:
    """Sign of an exact number (int, Fraction, or any type with ``sign()``).

    >>> sign_of(0), sign_of(-3)
    (<Sign.ZERO: 0>, <Sign.NEGATIVE: -1>)
    """
    s = getattr(x, "sign", None)
    if callable(s):
        return Sign(int(s()))
    return Sign((x > 0) - (x < 0))  # type: ignore[operator]
