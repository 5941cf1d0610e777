"""Certified real arithmetic: arb balls, certified signs and rational enclosures.

Real quantities that have no closed exact form (radians of an angle, eigenvalues,
a sum of surds whose sign is not obvious) are handled with python-flint's ``arb``
balls: a ball ``[m ± r]`` is *guaranteed* to contain the true value.  Two ball
comparisons that overlap are both ``False``; :func:`certified_sign` therefore
refines the working precision until the ball excludes zero, or raises
:class:`~exactgeom.errors.UndecidedError` — never guesses.

:class:`Enclosure` turns a ball into a pair of exact rationals ``lo ≤ value ≤ hi``
(the ball's midpoint and radius are dyadic rationals, converted exactly through
``man_exp``, never through a float), rounded *outward* to a requested number of
significant decimal digits.

Notes
-----
python-flint keeps its working precision in a process-global context
(``flint.ctx.prec``).  Every function here sets it inside ``try/finally`` and
restores it; the context is not thread-safe, so do not run certified refinements
from several threads at once.

>>> from flint import arb
>>> certified_sign(lambda prec: arb(2).sqrt() - arb(141421356237) / 10**11)
<Sign.POSITIVE: 1>
>>> print(Enclosure.from_arb(arb(2).sqrt(), 5))
[1.4142, 1.4143]
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from flint import arb, ctx

from ..errors import BackendError, InvalidInputError, UndecidedError
from .rational import format_rational, int_to_decimal
from .sign import Sign

__all__ = ["Enclosure", "certified_sign", "enclose_ball", "working_precision", "arb_to_interval"]

#: Default cap on the working precision of certified refinements (bits).
MAX_BITS = 1 << 16


@contextmanager
def working_precision(bits: int) -> Iterator[None]:
    """Temporarily set flint's working precision to ``bits``, restoring it afterwards.

    Parameters
    ----------
    bits
        The precision in bits (at least 2).

    Examples
    --------
    >>> from flint import ctx
    >>> before = ctx.prec
    >>> with working_precision(200):
    ...     ctx.prec
    200
    >>> ctx.prec == before
    True
    """
    if not isinstance(bits, int) or isinstance(bits, bool) or bits < 2:
        raise InvalidInputError(f"precision must be an integer number of bits >= 2, got {bits!r}")
    old = ctx.prec
    ctx.prec = bits
    try:
        yield
    finally:
        ctx.prec = old


def certified_sign(
    f: Callable[[int], arb], *, start_bits: int = 64, max_bits: int = MAX_BITS
) -> Sign:
    """Certified sign of a real number given as a ball-valued function of the precision.

    ``f(prec_bits)`` must return an ``arb`` ball containing the number, computed at
    (roughly) that working precision; it is called with flint's ``ctx.prec`` set to
    ``prec_bits``.  The precision doubles from ``start_bits`` until the ball is
    strictly positive or strictly negative.

    Parameters
    ----------
    f
        Ball evaluator ``prec_bits -> arb``.
    start_bits
        First working precision.
    max_bits
        Largest working precision tried.

    Returns
    -------
    Sign
        ``POSITIVE`` or ``NEGATIVE`` when the ball excludes zero; ``ZERO`` only when
        ``f`` returns the exact ball ``[0 ± 0]`` (a certified zero).

    Raises
    ------
    UndecidedError
        The ball still contains zero at ``max_bits``.  A ball can never *prove* that a
        number is zero: a caller that knows zero is possible must test it exactly first.

    Examples
    --------
    >>> from flint import arb
    >>> certified_sign(lambda prec: arb(3).sqrt() - arb(2).sqrt() - arb(1) / 3)
    <Sign.NEGATIVE: -1>
    >>> certified_sign(lambda prec: arb(0))
    <Sign.ZERO: 0>
    >>> certified_sign(lambda prec: arb(2).sqrt() ** 2 - 2, max_bits=256)
    Traceback (most recent call last):
    ...
    exactgeom.errors.UndecidedError: certified sign undecided: ...
    """
    if not isinstance(start_bits, int) or start_bits < 2:
        raise InvalidInputError(f"start_bits must be an integer >= 2, got {start_bits!r}")
    if not isinstance(max_bits, int) or max_bits < start_bits:
        raise InvalidInputError(
            f"max_bits must be an integer >= start_bits ({start_bits}), got {max_bits!r}"
        )
    prec = start_bits
    last: arb | None = None
    while True:
        with working_precision(prec):
            b = f(prec)
        if not isinstance(b, arb):
            raise InvalidInputError(f"the ball evaluator returned {type(b).__name__}, not arb")
        last = b
        if b.is_finite():
            if b > 0:
                return Sign.POSITIVE
            if b < 0:
                return Sign.NEGATIVE
            if b.is_zero():
                return Sign.ZERO
        if prec >= max_bits:
            break
        prec = min(2 * prec, max_bits)
    raise UndecidedError(
        f"certified sign undecided: the ball {last} still contains 0 at {max_bits} bits. "
        "The value may be exactly zero; decide that case with an exact test, "
        "or raise max_bits."
    )


def _dyadic(x: arb) -> Fraction:
    """Exact rational value of an exact (zero-radius) arb, via its mantissa and exponent."""
    man, exp = x.man_exp()
    m, e = int(man), int(exp)
    if e >= 0:
        return Fraction(m << e)
    return Fraction(m, 1 << -e)


def arb_to_interval(a: arb) -> tuple[Fraction, Fraction]:
    """The exact rational interval ``[mid - rad, mid + rad]`` of a finite ball.

    >>> from flint import arb
    >>> arb_to_interval(arb(3) / 4)
    (Fraction(3, 4), Fraction(3, 4))
    """
    if not isinstance(a, arb):
        raise InvalidInputError(f"expected a flint arb ball, got {type(a).__name__}")
    if not a.is_finite():
        raise BackendError(f"the ball {a} is not finite; no rational enclosure exists")
    mid = _dyadic(a.mid())
    rad = _dyadic(a.rad())
    return mid - rad, mid + rad


def _floor_log10(x: Fraction) -> int:
    """``floor(log10(x))`` for a positive rational, computed exactly (integer
    arithmetic: a bit-length estimate, then corrected)."""
    p, q = x.numerator, x.denominator
    e = (p.bit_length() - q.bit_length()) * 30103 // 100000  # log10(2) ≈ 0.30103: off by at most 1
    while (q * 10**e > p) if e >= 0 else (q > p * 10**-e):
        e -= 1
    while (q * 10 ** (e + 1) <= p) if e + 1 >= 0 else (q <= p * 10 ** (-e - 1)):
        e += 1
    return e


def _pow10(e: int) -> Fraction:
    return Fraction(10**e) if e >= 0 else Fraction(1, 10**-e)


def _round_sig(x: Fraction, digits: int, up: bool) -> Fraction:
    """Round ``x`` to ``digits`` significant decimal digits, toward +inf if ``up`` else -inf."""
    if x == 0:
        return x
    shift = digits - 1 - _floor_log10(abs(x))
    p, q = x.numerator, x.denominator
    num, den = (p * 10**shift, q) if shift >= 0 else (p, q * 10**-shift)
    n = -(-num // den) if up else num // den  # ceil / floor of x·10^shift, in integers
    return Fraction(n, 10**shift) if shift >= 0 else Fraction(n * 10**-shift)


def _decimal_str(x: Fraction, digits: int | None) -> str:
    """Decimal string of ``x``; exactly ``digits`` significant digits when ``x`` has them."""
    if x == 0:
        return "0"
    den = x.denominator
    for p in (2, 5):
        while den % p == 0:
            den //= p
    if den != 1:  # not a finite decimal: print the fraction itself
        return format_rational(x)
    sign = 0 if x > 0 else 1
    ax = abs(x)
    e = _floor_log10(ax)
    if digits is None:
        # shortest exact representation
        k = 0
        while (ax * _pow10(k)).denominator != 1:
            k += 1
        n = int(ax * _pow10(k))
        # built from its digits: Decimal.scaleb would round to the context's 28 digits
        return str(Decimal((sign, tuple(int(c) for c in int_to_decimal(n)), -k)))
    n_frac = ax * _pow10(digits - 1 - e)
    if n_frac.denominator != 1:  # more digits than requested: show them all
        return _decimal_str(x, None)
    n = int(n_frac)
    return str(Decimal((sign, tuple(int(c) for c in int_to_decimal(n)), e - (digits - 1))))


@dataclass(frozen=True)
class Enclosure:
    """A certified rational interval ``lo ≤ value ≤ hi``.

    Parameters
    ----------
    lo, hi
        Exact rational bounds, ``lo ≤ hi``.
    digits
        Number of significant decimal digits the bounds were rounded to (used only by
        ``str``; not part of equality).

    Examples
    --------
    >>> from flint import arb
    >>> with working_precision(128):
    ...     e = Enclosure.from_arb(arb(2).sqrt(), 21)
    >>> print(e)
    [1.41421356237309504880, 1.41421356237309504881]
    >>> e.contains(Fraction(141421356237309504880, 10**20))
    True
    >>> print(Enclosure(Fraction(0), Fraction(0)))  # a degenerate (exact) enclosure
    [0, 0]
    """

    lo: Fraction
    hi: Fraction
    digits: int | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.lo, Fraction) or not isinstance(self.hi, Fraction):
            raise InvalidInputError(
                f"Enclosure bounds must be Fractions, got {type(self.lo).__name__} and "
                f"{type(self.hi).__name__}"
            )
        if self.lo > self.hi:
            raise InvalidInputError(f"empty enclosure: lo = {self.lo} > hi = {self.hi}")

    @classmethod
    def from_arb(cls, a: arb, digits: int = 30) -> Enclosure:
        """Enclosure of a ball, rounded outward to ``digits`` significant digits.

        The ball's midpoint and radius are converted to rationals exactly; the bounds
        ``mid - rad`` and ``mid + rad`` are then rounded down and up respectively, so the
        enclosure contains the ball.  If the ball is wider than ``digits`` digits the
        enclosure is simply wider.

        Examples
        --------
        >>> from flint import arb
        >>> print(Enclosure.from_arb(arb(1) / 3, 4))
        [0.3333, 0.3334]
        >>> print(Enclosure.from_arb(arb(0), 4))
        [0, 0]
        """
        if not isinstance(digits, int) or isinstance(digits, bool) or digits < 1:
            raise InvalidInputError(f"digits must be a positive integer, got {digits!r}")
        lo, hi = arb_to_interval(a)
        return cls(_round_sig(lo, digits, up=False), _round_sig(hi, digits, up=True), digits)

    def contains(self, x: Any) -> bool:
        """Whether ``lo ≤ x ≤ hi``, decided exactly (x: int, Fraction, Surd, SurdSum).

        >>> Enclosure(Fraction(1), Fraction(2)).contains(Fraction(3, 2))
        True
        """
        return bool(self.lo <= x) and bool(x <= self.hi)

    def __contains__(self, x: Any) -> bool:
        return self.contains(x)

    def __float__(self) -> float:
        """The midpoint as a float (a FLOAT view: the enclosure itself is the certified answer).

        >>> float(Enclosure(Fraction(1), Fraction(2)))
        1.5
        """
        return float((self.lo + self.hi) / 2)

    def to_mpmath(self, prec: int = 113) -> Any:
        """The enclosure as an ``mpmath.iv.mpf`` interval, endpoints rounded outward to
        ``prec`` bits (so it still contains the value).

        >>> I = Enclosure(Fraction(1, 3), Fraction(1, 2)).to_mpmath()
        >>> print(float(I.a) <= 1 / 3, float(I.b) >= 1 / 2)
        True True
        """
        from .interop import enclosure_to_mpmath

        return enclosure_to_mpmath(self.lo, self.hi, prec)

    @property
    def width(self) -> Fraction:
        """``hi - lo`` (exact).

        >>> Enclosure(Fraction(1), Fraction(2)).width
        Fraction(1, 1)
        """
        return self.hi - self.lo

    @property
    def mid(self) -> Fraction:
        """``(lo + hi) / 2`` (exact).

        >>> Enclosure(Fraction(1), Fraction(2)).mid
        Fraction(3, 2)
        """
        return (self.lo + self.hi) / 2

    def ball(self) -> arb:
        """An arb ball containing this interval (at the current working precision)."""
        from flint import fmpq

        m = self.mid
        r = self.width / 2
        return arb(fmpq(m.numerator, m.denominator), fmpq(r.numerator, r.denominator))

    def __str__(self) -> str:
        # an exact point prints in its shortest exact form; otherwise each bound
        # prints with ``digits`` significant digits (trailing zeros kept)
        digits = None if self.lo == self.hi else self.digits
        return f"[{_decimal_str(self.lo, digits)}, {_decimal_str(self.hi, digits)}]"


def enclose_ball(
    f: Callable[[int], arb], digits: int, *, start_bits: int = 64, max_bits: int = MAX_BITS
) -> Enclosure:
    """Enclosure of a real number given by a ball evaluator, refined to ``digits`` digits.

    The precision doubles until the ball's relative accuracy covers ``digits``
    significant digits (or the ball is exact), or ``max_bits`` is reached (then the
    enclosure is returned as it is: still certified, only wider).

    >>> from flint import arb
    >>> print(enclose_ball(lambda prec: arb.pi(), 10))
    [3.141592653, 3.141592654]
    """
    if not isinstance(digits, int) or isinstance(digits, bool) or digits < 1:
        raise InvalidInputError(f"digits must be a positive integer, got {digits!r}")
    need = math.ceil(digits * math.log2(10)) + 8
    prec = max(start_bits, need + 16)
    while True:
        with working_precision(prec):
            b = f(prec)
        if b.is_finite() and (b.is_exact() or b.rel_accuracy_bits() >= need):
            return Enclosure.from_arb(b, digits)
        if prec >= max_bits:
            if not b.is_finite():
                raise UndecidedError(f"no finite ball at {max_bits} bits")
            return Enclosure.from_arb(b, digits)
        prec = min(2 * prec, max_bits)
