r"""Exact surds ``q·√d`` (:class:`Surd`); exact finite sums of them live in
:mod:`.surdsum` (:class:`~exactgeom.numbers.SurdSum`).

A :class:`Surd` is ``coeff·√radicand`` with ``coeff`` a :class:`~fractions.Fraction`
and ``radicand`` a positive integer; a :class:`SurdSum` is an exact finite sum
``Σ c_i √d_i``.  They are the closed exact form of the irrational metric
quantities of exactgeom (k-volumes of oblique faces, norms, cosines of dihedral
angles): products and quotients of surds are surds, sums are surd sums, and every
sign and comparison is decided exactly (or certified, never guessed).

Radicands are reduced by :func:`squarefree_decompose` (policy in
:mod:`.radicals`), but no algebra assumes they are squarefree: a reduced radicand
``d > 1`` is never a perfect square, so a surd is rational iff its radicand is 1.
Why a canonical sum is exact (linear independence of square roots) is explained in
:mod:`.surdsum`.  A :class:`Surd` meeting a :class:`SurdSum` in an operation returns
``NotImplemented``, so Python hands the operation to the sum's reflected method.

String form
-----------
The canonical strings (used by the fixture files) are: a rational surd prints as
its Fraction (``"3/2"``, ``"-2"``, ``"0"``); an irrational one as
``"<coeff>*sqrt(<radicand>)"`` (``"3/2*sqrt(5)"``, ``"-1*sqrt(2)"``; the
coefficient is always explicit); a sum joins its terms, sorted by radicand, with
``" + "`` and ``" - "`` (``"1 - 1*sqrt(2) + 1/2*sqrt(3)"``); the empty sum is
``"0"``.  :meth:`Surd.parse` and :meth:`SurdSum.parse` read this grammar
(whitespace between tokens is free)::

    sum   := sign? term (("+" | "-") sign? term)*
    term  := rat | (rat "*")? "sqrt(" rat ")" ("/" int)?
    rat   := int ("/" int)?          sign := "+" | "-"       int := [0-9]+

so ``"sqrt(2)"``, ``"-sqrt(2)/3"`` and ``"sqrt(1/2)"`` are accepted too.

>>> a = Surd(1, 8)                      # √8 = 2√2
>>> a, a * a, a + Surd.sqrt(2)
(Surd('2*sqrt(2)'), Surd('8'), Surd('3*sqrt(2)'))
>>> s = Surd.sqrt(2) + Surd.sqrt(3)
>>> s
SurdSum('1*sqrt(2) + 1*sqrt(3)')
>>> s * s
SurdSum('5 + 2*sqrt(6)')
>>> Surd.sqrt(2) + Surd.sqrt(3) > Surd.sqrt(10)
False
"""

from __future__ import annotations

import numbers
import re
from fractions import Fraction
from typing import TYPE_CHECKING, Any, cast

from flint import arb, fmpq

from ..errors import DegenerateError, InexactInputError, InvalidInputError
from ._compat import now_property
from .ball import Enclosure, enclose_ball, working_precision
from .ordering import ExactOrdering
from .radicals import FACTOR_BOUND, TRIAL_BOUND, decompose, direction, mul_radicands, squarefree_decompose
from .rational import _is_float_like, as_rational, decimal_to_int, format_rational, int_to_decimal
from .sign import Sign

if TYPE_CHECKING:  # pragma: no cover
    from .surdsum import SurdSum

__all__ = ["Surd", "squarefree_decompose", "TRIAL_BOUND", "FACTOR_BOUND"]


_ONE = Fraction(1)
_ZERO = Fraction(0)


def coerce_operand(x: Any, *, for_eq: bool = False) -> Any:
    """Coerce an arithmetic operand of a :class:`Surd`: Surds as they are, exact
    rationals to Fraction; floats are refused (InexactInputError), or NotImplemented
    for ``==``; anything else (a :class:`SurdSum` included, whose reflected method then
    answers) is NotImplemented."""
    if isinstance(x, (Surd, Fraction)):
        return x
    if isinstance(x, int):
        return Fraction(int(x))
    if isinstance(x, str):
        return NotImplemented
    if _is_float_like(x):
        if for_eq:
            return NotImplemented
        raise InexactInputError(
            f"cannot mix the float {x!r} with exact surds; convert it on purpose with "
            "as_rational(x, policy='exact') or policy='limit_denominator(N)'"
        )
    if isinstance(x, numbers.Rational) or (
        hasattr(x, "numerator") and hasattr(x, "denominator") and not callable(x.numerator)
    ):
        try:
            return as_rational(x)
        except InvalidInputError:
            return NotImplemented
    return NotImplemented


def _fmpq(q: Fraction) -> fmpq:
    return fmpq(q.numerator, q.denominator)


def _cmp(a: Any, b: Any) -> int:
    r: int = (a > b) - (a < b)
    return r


# ---------------------------------------------------------------- parsing
_INT = r"\d+"
_RAT = rf"{_INT}(?:\s*/\s*{_INT})?"
_TERM = (
    rf"(?:(?:(?P<coeff>{_RAT})\s*\*\s*)?sqrt\s*\(\s*(?P<rad>{_RAT})\s*\)"
    rf"(?:\s*/\s*(?P<den>{_INT}))?|(?P<rat>{_RAT}))"
)
_SURD_RE = re.compile(rf"\s*(?P<sign>[+-])?\s*{_TERM}\s*")
_FIRST_RE = re.compile(rf"\s*(?P<sign>[+-])?\s*{_TERM}")
_NEXT_RE = re.compile(rf"\s*(?P<op>[+-])\s*(?P<sign>[+-])?\s*{_TERM}")
_END_RE = re.compile(r"\s*")


def _rat(s: str, text: str) -> Fraction:
    """``p`` or ``p/q`` (decimal digits of any length: ``Fraction(s)`` stops at
    Python's 4,300-digit limit)."""
    num, _, den = s.replace(" ", "").partition("/")
    q = decimal_to_int(den, name="denominator") if den else 1
    if q == 0:
        raise InvalidInputError(f"zero denominator in {text!r}")
    return Fraction(decimal_to_int(num, name="numerator"), q)


def _term_from_match(m: re.Match[str], text: str, negate: bool) -> Surd:
    neg = negate ^ (m.group("sign") == "-")
    if m.group("rat") is not None:
        coeff, rad = _rat(m.group("rat"), text), _ONE
    else:
        coeff = _rat(m.group("coeff"), text) if m.group("coeff") else _ONE
        rad = _rat(m.group("rad"), text)
        if m.group("den"):
            den = decimal_to_int(m.group("den"), name="denominator")
            if den == 0:
                raise InvalidInputError(f"zero denominator in {text!r}")
            coeff /= den
    return Surd(-coeff if neg else coeff, rad)



def parse_sum_terms(s: str) -> list[Surd] | None:
    """The terms of ``s`` read as a sum of surds in the module's grammar (not merged),
    or None when ``s`` is not one."""
    m = _FIRST_RE.match(s)
    if m is None:
        return None
    terms = [_term_from_match(m, s, False)]
    pos = m.end()
    while True:
        n = _NEXT_RE.match(s, pos)
        if n is None:
            break
        terms.append(_term_from_match(n, s, n.group("op") == "-"))
        pos = n.end()
    return terms if _END_RE.fullmatch(s, pos) else None


class Surd(ExactOrdering):
    """An exact surd ``coeff·√radicand``.

    Parameters
    ----------
    coeff
        Anything :func:`~exactgeom.numbers.as_rational` accepts (int, Fraction,
        ``"p/q"``, ...); floats are refused.  A surd string such as
        ``"3/2*sqrt(5)"`` (the ``repr`` form) is read by :meth:`parse`.
    radicand
        A non-negative rational; ``√(p/q)`` is normalised to ``√(pq)/q`` and the
        integer radicand reduced by :func:`squarefree_decompose`.

    Notes
    -----
    Canonical form: ``coeff`` a Fraction, ``radicand`` a positive int, reduced;
    zero is ``Surd(0, 1)``.  Values are immutable and hashable; a rational surd is
    equal to, and hashes like, the corresponding Fraction.  All comparisons are
    exact (signs first, then squares).

    Examples
    --------
    >>> Surd(3, 12)
    Surd('6*sqrt(3)')
    >>> Surd(1, Fraction(1, 2))           # √(1/2) = √2/2
    Surd('1/2*sqrt(2)')
    >>> Surd("3/2") == Fraction(3, 2), hash(Surd(2, 4)) == hash(4)
    (True, True)
    >>> Surd(5, 0)                        # degenerate: zero
    Surd('0')
    >>> Surd(1, -2)
    Traceback (most recent call last):
    ...
    exactgeom.errors.InvalidInputError: radicand must be >= 0, got -2; ...
    """

    __slots__ = ("_coeff", "_radicand")
    _coeff: Fraction
    _radicand: int

    def __init__(self, coeff: Any = 0, radicand: Any = 1) -> None:
        if isinstance(coeff, str) and "sqrt" in coeff:
            # Surd('3/2*sqrt(5)'), the repr form
            if not (isinstance(radicand, int) and radicand == 1):
                raise InvalidInputError(
                    f"Surd({coeff!r}, {radicand!r}): a surd string takes no radicand"
                )
            parsed = Surd.parse(coeff)
            object.__setattr__(self, "_coeff", parsed._coeff)
            object.__setattr__(self, "_radicand", parsed._radicand)
            return
        c = as_rational(coeff, name="Surd coefficient")
        if isinstance(radicand, str):
            r = as_rational(radicand, name="radicand")
        elif isinstance(radicand, int) and not isinstance(radicand, bool):
            r = Fraction(radicand)
        else:
            r = as_rational(radicand, name="radicand")
        if r < 0:
            raise InvalidInputError(
                f"radicand must be >= 0, got {r}; the square root of a negative number is "
                "not real"
            )
        if c == 0 or r == 0:
            c, d = _ZERO, 1
        else:
            p, q = r.numerator, r.denominator
            s, d = decompose(p * q)
            c = c * s / q
        object.__setattr__(self, "_coeff", c)
        object.__setattr__(self, "_radicand", d)

    @classmethod
    def _make(cls, coeff: Fraction, radicand: int) -> Surd:
        """Trusting constructor: ``radicand`` a positive int that is 1 or not a perfect
        square (square factors allowed); zero must be ``(0, 1)``."""
        obj = object.__new__(cls)
        if coeff == 0:
            radicand = 1
        object.__setattr__(obj, "_coeff", coeff)
        object.__setattr__(obj, "_radicand", radicand)
        return obj

    @classmethod
    def sqrt(cls, r: Any) -> Surd:
        """The exact square root of a rational ``r ≥ 0``.

        Raises
        ------
        InvalidInputError
            ``r`` is negative.

        Examples
        --------
        >>> Surd.sqrt(Fraction(9, 8)), Surd.sqrt(0)
        (Surd('3/4*sqrt(2)'), Surd('0'))
        """
        q = as_rational(r, name="sqrt argument")
        if q < 0:
            raise InvalidInputError(
                f"Surd.sqrt needs a rational >= 0, got {q}; square roots of negative "
                "numbers are not real"
            )
        return cls(1, q)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __reduce__(self) -> tuple[Any, ...]:
        return (Surd._make, (self._coeff, self._radicand))

    # ------------------------------------------------------------ accessors
    @property
    def coeff(self) -> Fraction:
        """The rational coefficient ``q`` of ``q·√d``.

        >>> Surd(1, 18).coeff
        Fraction(3, 1)
        """
        return self._coeff

    @property
    def radicand(self) -> int:
        """The reduced integer radicand ``d`` of ``q·√d`` (1 when rational).

        >>> Surd(1, 18).radicand, Surd(0, 18).radicand
        (2, 1)
        """
        return self._radicand

    def squared(self) -> Fraction:
        """``coeff²·radicand``, the exact square (always ≥ 0).

        >>> Surd(-3, 2).squared()
        Fraction(18, 1)
        """
        return self._coeff * self._coeff * self._radicand

    def signed_square(self) -> Fraction:
        """``sign·squared``: monotone in the value, handy for exact comparisons.

        >>> Surd(-3, 2).signed_square(), Surd(0).signed_square()
        (Fraction(-18, 1), Fraction(0, 1))
        """
        sq = self.squared()
        return -sq if self._coeff < 0 else sq

    def sign(self) -> Sign:
        """Exact sign.

        >>> Surd(-1, 2).sign(), Surd(0).sign()
        (<Sign.NEGATIVE: -1>, <Sign.ZERO: 0>)
        """
        c = self._coeff
        return Sign((c > 0) - (c < 0))

    @now_property
    def is_rational(self) -> bool:
        """Whether the value is rational (radicand 1); a property.

        >>> Surd(2, 4).is_rational, Surd(1, 2).is_rational
        (True, False)
        """
        return self._radicand == 1

    def to_fraction(self) -> Fraction:
        """The value as a Fraction.

        Raises
        ------
        DegenerateError
            The value is irrational.

        Examples
        --------
        >>> Surd(3, 4).to_fraction()
        Fraction(6, 1)
        """
        if self._radicand != 1:
            raise DegenerateError(
                f"{self} is irrational and has no exact Fraction value; use .squared(), "
                ".enclose() or float()"
            )
        return self._coeff

    def ball(self, prec_bits: int = 64) -> arb:
        """An arb ball containing the value, computed at ``prec_bits`` bits.

        >>> Surd(1, 2).ball(64).contains(Surd(1, 2).ball(200))
        True
        """
        with working_precision(prec_bits):
            b = arb(_fmpq(self._coeff))
            if self._radicand != 1:
                b = b * arb(self._radicand).sqrt()
            return b

    def enclose(self, digits: int = 30) -> Enclosure:
        """A certified rational interval around the value, ``digits`` significant digits.

        >>> print(Surd(1, 2).enclose(10))
        [1.414213562, 1.414213563]
        >>> print(Surd(0).enclose(10))
        [0, 0]
        """
        return enclose_ball(self.ball, digits)

    def _sympy_(self) -> Any:
        """The exact SymPy expression (``sympy.sympify(x)`` uses it), see
        :func:`exactgeom.numbers.interop.to_sympy`.

        >>> import sympy
        >>> sympy.sympify(Surd(3, 8))
        6*sqrt(2)
        """
        from .interop import to_sympy

        return to_sympy(self)

    def __float__(self) -> float:
        if self._radicand == 1:
            return float(self._coeff)
        return float(self.enclose(20).mid)

    def __bool__(self) -> bool:
        return self._coeff != 0

    # ---------------------------------------------------------- equality/order
    def __eq__(self, other: object) -> bool:
        o = coerce_operand(other, for_eq=True)
        if o is NotImplemented:
            return NotImplemented
        if isinstance(o, Fraction):
            return self._radicand == 1 and self._coeff == o
        if self._radicand == o._radicand:
            return cast(bool, self._coeff == o._coeff)
        return cast(bool, self.signed_square() == o.signed_square())

    def __hash__(self) -> int:
        if self._radicand == 1:
            return hash(self._coeff)
        return hash(("Surd", self.signed_square()))

    def _compare(self, other: Any) -> int:
        o = coerce_operand(other)
        if o is NotImplemented:
            return NotImplemented  # type: ignore[no-any-return]
        if isinstance(o, Fraction):
            o = Surd._make(o, 1)
        return _cmp(self.signed_square(), o.signed_square())


    # ------------------------------------------------------------ arithmetic
    def __neg__(self) -> Surd:
        return Surd._make(-self._coeff, self._radicand)

    def __pos__(self) -> Surd:
        return self

    def __abs__(self) -> Surd:
        return Surd._make(abs(self._coeff), self._radicand)

    def _add(self, o: Surd) -> Surd | SurdSum:
        if not o._coeff:
            return self
        if not self._coeff:
            return o
        a, b = self._radicand, o._radicand
        k = direction(a, b)
        if k is None:  # different directions: a sum of two surds
            from .surdsum import SurdSum

            return SurdSum._canonical([self, o])
        if a <= b:  # √b = k√a
            c, d = self._coeff + o._coeff * k, a
        else:  # √a = √b / k
            c, d = self._coeff / k + o._coeff, b
        return Surd._make(c, d) if c else Surd._make(_ZERO, 1)

    def __add__(self, other: Any) -> Surd | SurdSum:
        o = coerce_operand(other)
        if o is NotImplemented:
            return NotImplemented
        if isinstance(o, Fraction):
            return self._add(Surd._make(o, 1))
        return self._add(o)

    __radd__ = __add__

    def __sub__(self, other: Any) -> Surd | SurdSum:
        o = coerce_operand(other)
        if o is NotImplemented:
            return NotImplemented
        return cast("Surd | SurdSum", self + (-o))

    def __rsub__(self, other: Any) -> Surd | SurdSum:
        o = coerce_operand(other)
        if o is NotImplemented:
            return NotImplemented
        return cast("Surd | SurdSum", (-self) + o)

    def _mul(self, o: Surd) -> Surd:
        c = self._coeff * o._coeff
        if not c:
            return Surd._make(_ZERO, 1)
        s, d = mul_radicands(self._radicand, o._radicand)
        return Surd._make(c * s, d)

    def __mul__(self, other: Any) -> Surd | SurdSum:
        o = coerce_operand(other)
        if o is NotImplemented:
            return NotImplemented
        if isinstance(o, Fraction):
            return Surd._make(self._coeff * o, self._radicand) if o else Surd._make(_ZERO, 1)
        return self._mul(o)

    __rmul__ = __mul__

    def _inverse(self) -> Surd:
        if not self._coeff:
            raise ZeroDivisionError(f"division by the zero surd {self}")
        d = self._radicand
        return Surd._make(1 / (self._coeff * d), d)

    def __truediv__(self, other: Any) -> Surd | SurdSum:
        o = coerce_operand(other)
        if o is NotImplemented:
            return NotImplemented
        if isinstance(o, Fraction):
            if not o:
                raise ZeroDivisionError(f"division of {self} by zero")
            return Surd._make(self._coeff / o, self._radicand)
        return self._mul(o._inverse())

    def __rtruediv__(self, other: Any) -> Surd | SurdSum:
        o = coerce_operand(other)
        if o is NotImplemented:
            return NotImplemented
        inv = self._inverse()
        if isinstance(o, Fraction):
            return Surd._make(inv._coeff * o, inv._radicand) if o else Surd._make(_ZERO, 1)
        return cast("Surd | SurdSum", o * inv)

    def __pow__(self, n: int) -> Surd:
        """Integer powers (negative ones invert).

        >>> Surd(1, 2) ** 3, Surd(1, 2) ** -2
        (Surd('2*sqrt(2)'), Surd('1/2'))
        """
        if isinstance(n, bool) or not isinstance(n, int):
            return NotImplemented
        base = self if n >= 0 else self._inverse()
        result = Surd._make(_ONE, 1)
        for _ in range(abs(n)):
            result = result._mul(base)
        return result

    # ------------------------------------------------------------- strings
    def __str__(self) -> str:
        # digits of any length (str() of an int stops at 4,300 digits)
        if self._radicand == 1:
            return format_rational(self._coeff)
        return f"{format_rational(self._coeff)}*sqrt({int_to_decimal(self._radicand)})"

    def __repr__(self) -> str:
        return f"Surd('{self}')"

    @classmethod
    def parse(cls, s: str) -> Surd:
        """Read a surd in the module's grammar (the inverse of ``str``).

        Raises
        ------
        InvalidInputError
            ``s`` is not a single surd.

        Examples
        --------
        >>> Surd.parse("3/2*sqrt(5)"), Surd.parse("-sqrt(8)/3"), Surd.parse("-7/2")
        (Surd('3/2*sqrt(5)'), Surd('-2/3*sqrt(2)'), Surd('-7/2'))
        >>> Surd.parse("sqrt(-2)")
        Traceback (most recent call last):
        ...
        exactgeom.errors.InvalidInputError: 'sqrt(-2)' is not a surd; ...
        """
        if not isinstance(s, str):
            raise InvalidInputError(f"Surd.parse needs a string, got {type(s).__name__}")
        m = _SURD_RE.fullmatch(s)
        if m is None:
            raise InvalidInputError(
                f"{s!r} is not a surd; write e.g. '3/2*sqrt(5)', '-sqrt(2)/3' or '7/2' "
                "(sums of surds: SurdSum.parse)"
            )
        return _term_from_match(m, s, False)
