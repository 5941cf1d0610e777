r"""Exact quotients of surd sums, ``num / den``, for values of multiquadratic fields.

A :class:`SurdRatio` is an element of ``Q(√d_1, …, √d_k)`` written as a quotient of two
:class:`~exactgeom.numbers.SurdSum`\ s (``den ≠ 0``).  Rationalising the denominator
would need the product of up to ``2^k`` conjugates, so the quotient is kept as it is:
equality is decided exactly by cross-multiplication (a surd sum is zero iff it has
no terms), signs exactly from the signs of numerator and denominator, and the value
is enclosed with certified balls.  Ollivier–Ricci curvatures with face-volume
weights are such quotients.

>>> from exactgeom.numbers import Surd, SurdSum
>>> r = SurdRatio(SurdSum([1, Surd(1, 2)]), SurdSum([Surd(1, 2), Surd(1, 3)]))
>>> r.sign(), r == SurdRatio(r.num * 2, r.den * 2)
(<Sign.POSITIVE: 1>, True)
>>> simplest(SurdRatio(SurdSum([Surd(2, 2)]), SurdSum([Surd(1, 2)])))
Fraction(2, 1)
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Union

from flint import arb

from ..errors import DegenerateError, InvalidInputError
from ..numbers.ball import Enclosure, enclose_ball, working_precision
from ..numbers.ordering import ExactOrdering
from ..numbers.sign import Sign
from ..numbers.surd import Surd
from ..numbers.surdsum import SurdSum

__all__ = ["SurdRatio", "simplest", "ExactReal", "as_surd_sum", "exact_ball"]

#: The exact real values the analysis layer returns.
ExactReal = Union[Fraction, Surd, SurdSum, "SurdRatio"]


def as_surd_sum(x: Any) -> SurdSum:
    """Coerce an int, Fraction, Surd or SurdSum to a SurdSum.

    >>> as_surd_sum(Fraction(1, 2))
    SurdSum('1/2')
    """
    if isinstance(x, SurdSum):
        return x
    if isinstance(x, (Surd, int, Fraction)):
        return SurdSum(x)
    raise InvalidInputError(f"expected an exact rational or surd value, got {type(x).__name__}")


def exact_ball(x: Any, prec: int) -> arb:
    """An arb ball containing an exact value (Fraction, Surd, SurdSum, SurdRatio)."""
    if isinstance(x, SurdRatio):
        return x.ball(prec)
    if isinstance(x, (Surd, SurdSum)):
        return x.ball(prec)
    q = Fraction(x)
    with working_precision(prec):
        return arb(q.numerator) / q.denominator


class SurdRatio(ExactOrdering):
    """``num / den`` with surd-sum numerator and denominator (``den ≠ 0``).

    Parameters
    ----------
    num, den
        Ints, Fractions, Surds or SurdSums.

    Raises
    ------
    DegenerateError
        ``den`` is zero.

    Examples
    --------
    >>> from exactgeom.numbers import Surd
    >>> x = SurdRatio(1, Surd(1, 2) + 1)          # 1/(1+√2) = √2 − 1
    >>> x == Surd(1, 2) - 1, float(x) > 0.41
    (True, True)
    >>> SurdRatio(0, 5).sign()                   # degenerate: zero
    <Sign.ZERO: 0>
    """

    __slots__ = ("den", "num")

    def __init__(self, num: Any, den: Any = 1) -> None:
        n = as_surd_sum(num)
        d = as_surd_sum(den)
        if not d.terms:
            raise DegenerateError("SurdRatio: the denominator is zero")
        object.__setattr__(self, "num", n)
        object.__setattr__(self, "den", d)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("SurdRatio is immutable")

    def __reduce__(self) -> tuple[Any, ...]:
        return (SurdRatio, (self.num, self.den))

    def sign(self) -> Sign:
        """Exact sign."""
        return Sign(int(self.num.sign()) * int(self.den.sign()))

    def ball(self, prec: int = 64) -> arb:
        """An arb ball containing the value."""
        with working_precision(prec):
            return self.num.ball(prec) / self.den.ball(prec)

    def enclose(self, digits: int = 30) -> Enclosure:
        """Certified enclosure with ``digits`` significant digits."""
        return enclose_ball(self.ball, digits)

    def __float__(self) -> float:
        if not self.num.terms:
            return 0.0
        return float(self.enclose(20).mid)

    @staticmethod
    def _parts(o: Any) -> tuple[SurdSum, SurdSum]:
        if isinstance(o, SurdRatio):
            return o.num, o.den
        return as_surd_sum(o), SurdSum([1])

    def __eq__(self, other: object) -> bool:
        try:
            n, d = self._parts(other)
        except InvalidInputError:
            return NotImplemented
        return not (self.num * d - n * self.den).terms

    def __hash__(self) -> int:
        s = simplest(self)
        if isinstance(s, SurdRatio):
            return hash("SurdRatio")  # equal ratios must hash alike; no cheap canonical form
        return hash(s)

    def _compare(self, other: Any) -> int:
        n, d = self._parts(other)
        diff = self.num * d - n * self.den  # sign(a/b − c/e) = sign(ae − cb)·sign(b)·sign(e)
        return int(diff.sign()) * int(self.den.sign()) * int(d.sign())


    def __neg__(self) -> SurdRatio:
        return SurdRatio(-self.num, self.den)

    def __add__(self, other: Any) -> SurdRatio:
        n, d = self._parts(other)
        if d == self.den:
            return SurdRatio(self.num + n, d)
        return SurdRatio(self.num * d + n * self.den, self.den * d)

    __radd__ = __add__

    def __sub__(self, other: Any) -> SurdRatio:
        return self + (-SurdRatio(*self._parts(other)))

    def __rsub__(self, other: Any) -> SurdRatio:
        return SurdRatio(*self._parts(other)) - self

    def __mul__(self, other: Any) -> SurdRatio:
        n, d = self._parts(other)
        return SurdRatio(self.num * n, self.den * d)

    __rmul__ = __mul__

    def __truediv__(self, other: Any) -> SurdRatio:
        n, d = self._parts(other)
        return SurdRatio(self.num * d, self.den * n)

    def __rtruediv__(self, other: Any) -> SurdRatio:
        return SurdRatio(*self._parts(other)) / self

    def __str__(self) -> str:
        return f"({self.num})/({self.den})"

    def __repr__(self) -> str:
        return f"SurdRatio('{self.num}', '{self.den}')"


def simplest(x: Any) -> Any:
    """The value in its simplest exact type: Fraction, then SurdSum, then SurdRatio.

    A ratio whose denominator is a single surd becomes a SurdSum.

    >>> from exactgeom.numbers import Surd
    >>> simplest(SurdRatio(Surd(1, 2) + 1, Surd(1, 2)))
    SurdSum('1 + 1/2*sqrt(2)')
    >>> simplest(Surd(3, 1)), simplest(SurdSum([]))
    (Fraction(3, 1), Fraction(0, 1))
    """
    if isinstance(x, SurdRatio):
        d = x.den.simplify()
        if isinstance(d, Surd):
            x = x.num / d
        else:
            return x
    if isinstance(x, Surd):
        x = SurdSum(x)
    if isinstance(x, SurdSum):
        return x.to_fraction() if x.is_rational else x
    if isinstance(x, int):
        return Fraction(x)
    return x
