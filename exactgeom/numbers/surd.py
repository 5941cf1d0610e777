r"""Exact surds ``q·√d`` and exact finite sums of surds.

A :class:`Surd` is ``coeff·√radicand`` with ``coeff`` a :class:`~fractions.Fraction`
and ``radicand`` a positive integer; a :class:`SurdSum` is an exact finite sum
``Σ c_i √d_i``.  They are the closed exact form of the irrational metric
quantities of exactgeom (k-volumes of oblique faces, norms, cosines of dihedral
angles): products and quotients of surds are surds, sums are surd sums, and every
sign and comparison is decided exactly (or certified, never guessed).

Radicand reduction policy
-------------------------
:func:`squarefree_decompose` writes ``n = s²·d``.  It trial-divides ``n`` by every
prime below ``2**14``; the cofactor ``m`` left over (all of whose prime factors
are ≥ 2**14) is then

* absorbed into ``s`` if it is a perfect square;
* otherwise, if ``m < 10**18``, factored completely (``flint.fmpz.factor``), so
  ``d`` is squarefree;
* otherwise left in ``d`` as it is.  ``m`` may then hide a square factor ``P²``
  of a prime ``P > 2**14`` (astronomically rare for the inputs exactgeom sees,
  but possible).

Because of that last case **no algebra here assumes that radicands are
squarefree**.  Two radicands ``a`` and ``b`` point in "the same direction" iff
``a·b`` is a perfect square (then ``√b = (√(ab)/a)·√a``), checked with
:func:`math.isqrt`; and ``√a·√b = g·√((a/g)(b/g))`` with ``g = gcd(a, b)``, the
cofactor being reduced again.  Every reduced radicand below ``10**18`` is
squarefree, and a reduced radicand ``d > 1`` is never a perfect square, so a
surd is rational iff its radicand is 1.

Linear independence (why a canonical sum is exact)
--------------------------------------------------
**Theorem** (Besicovitch 1940; see also Boreico 2008).  For positive integers
``d_1, …, d_k`` such that no ratio ``d_i/d_j`` (i ≠ j) is the square of a
rational, the numbers ``√d_1, …, √d_k`` are linearly independent over ``Q``.

A :class:`SurdSum` keeps its terms merged by direction (pairwise, ``d_i·d_j`` is
never a square, equivalently ``d_i/d_j`` is never a rational square), with zero
coefficients dropped.  By the theorem its value is zero iff it has no terms, two
sums are equal iff their difference has no terms, and the sign of a nonzero sum
can always be certified by ball arithmetic at increasing precision (the value is
a nonzero algebraic number).  ``proofs/canonical_surd.py`` checks instances of
the theorem symbolically.

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

import math
import numbers
import re
from fractions import Fraction
from functools import lru_cache
from typing import Any, Iterable, Union

from flint import arb, fmpq, fmpz

from ..errors import DegenerateError, InexactInputError, InvalidInputError
from .ball import Enclosure, certified_sign, enclose_ball, working_precision
from .rational import _is_float_like, as_rational
from .sign import Sign

__all__ = ["Surd", "SurdSum", "squarefree_decompose", "SurdLike"]

#: Trial division bound of :func:`squarefree_decompose` (all primes below it).
TRIAL_BOUND = 1 << 14
#: Cofactors below this bound are factored completely.
FACTOR_BOUND = 10**18


def _primes_below(n: int) -> tuple[int, ...]:
    sieve = bytearray([1]) * n
    sieve[0:2] = b"\x00\x00"
    for p in range(2, math.isqrt(n - 1) + 1):
        if sieve[p]:
            sieve[p * p :: p] = bytearray(len(range(p * p, n, p)))
    return tuple(i for i in range(n) if sieve[i])


_SMALL_PRIMES = _primes_below(TRIAL_BOUND)


@lru_cache(maxsize=1 << 16)
def _decompose(n: int) -> tuple[int, int]:
    s, d, m = 1, 1, n
    for p in _SMALL_PRIMES:
        if p * p > m:
            break
        if m % p == 0:
            e = 0
            while m % p == 0:
                m //= p
                e += 1
            s *= p ** (e // 2)
            if e & 1:
                d *= p
    if m > 1:
        r = math.isqrt(m)
        if r * r == m:
            s *= r
        elif m < FACTOR_BOUND:
            for q, e in fmpz(m).factor():
                q_, e_ = int(q), int(e)
                s *= q_ ** (e_ // 2)
                if e_ & 1:
                    d *= q_
        else:
            d *= m
    return s, d


def squarefree_decompose(n: int) -> tuple[int, int]:
    """Write ``n = s²·d`` with ``d`` squarefree-reduced (see the module's policy).

    Parameters
    ----------
    n
        A non-negative integer.

    Returns
    -------
    (s, d)
        ``s ≥ 0`` and ``d ≥ 1`` with ``n == s*s*d``.  ``d`` is squarefree whenever
        ``d < 10**18``; larger ``d`` may keep the square of a prime above ``2**14``.
        ``d == 1`` iff ``n`` is a perfect square.  ``n = 0`` gives ``(0, 1)``.

    Raises
    ------
    InvalidInputError
        ``n`` is negative or not an integer.

    Examples
    --------
    >>> squarefree_decompose(72)
    (6, 2)
    >>> squarefree_decompose((10**9 + 7) ** 2 * 3)
    (1000000007, 3)
    >>> squarefree_decompose(0), squarefree_decompose(1)
    ((0, 1), (1, 1))
    """
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise InvalidInputError(f"squarefree_decompose needs a non-negative int, got {n!r}")
    n = int(n)
    if n < 0:
        raise InvalidInputError(f"squarefree_decompose needs a non-negative int, got {n}")
    if n == 0:
        return 0, 1
    return _decompose(n)


def _mul_radicands(a: int, b: int) -> tuple[int, int]:
    """``√a·√b = s·√d`` with d reduced (a, b positive, not assumed squarefree)."""
    if a == 1:
        return 1, b
    if b == 1:
        return 1, a
    if a == b:
        return a, 1
    g = math.gcd(a, b)
    s, d = _decompose((a // g) * (b // g))
    return g * s, d


def _direction(a: int, b: int) -> Fraction | None:
    """``k`` with ``√b = k·√a`` if ``a·b`` is a perfect square, else None."""
    if a == b:
        return Fraction(1)
    ab = a * b
    r = math.isqrt(ab)
    if r * r == ab:
        return Fraction(r, a)
    return None


_ONE = Fraction(1)
_ZERO = Fraction(0)


def _operand(x: Any, *, for_eq: bool = False) -> Any:
    """Coerce an arithmetic operand: Surd/SurdSum as they are, exact rationals to
    Fraction; floats are refused (InexactInputError), or NotImplemented for ``==``."""
    if isinstance(x, (Surd, SurdSum, Fraction)):
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
    return (a > b) - (a < b)


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
    try:
        return Fraction(s.replace(" ", ""))
    except ZeroDivisionError:
        raise InvalidInputError(f"zero denominator in {text!r}") from None


def _term_from_match(m: "re.Match[str]", text: str, negate: bool) -> "Surd":
    neg = negate ^ (m.group("sign") == "-")
    if m.group("rat") is not None:
        coeff, rad = _rat(m.group("rat"), text), _ONE
    else:
        coeff = _rat(m.group("coeff"), text) if m.group("coeff") else _ONE
        rad = _rat(m.group("rad"), text)
        if m.group("den"):
            den = int(m.group("den"))
            if den == 0:
                raise InvalidInputError(f"zero denominator in {text!r}")
            coeff /= den
    return Surd(-coeff if neg else coeff, rad)


class Surd:
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
            s, d = _decompose(p * q)
            c = c * s / q
        object.__setattr__(self, "_coeff", c)
        object.__setattr__(self, "_radicand", d)

    @classmethod
    def _make(cls, coeff: Fraction, radicand: int) -> "Surd":
        """Trusting constructor: ``radicand`` a positive int that is 1 or not a perfect
        square (square factors allowed); zero must be ``(0, 1)``."""
        obj = object.__new__(cls)
        if coeff == 0:
            radicand = 1
        object.__setattr__(obj, "_coeff", coeff)
        object.__setattr__(obj, "_radicand", radicand)
        return obj

    @classmethod
    def sqrt(cls, r: Any) -> "Surd":
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

    def is_rational(self) -> bool:
        """Whether the value is rational (radicand 1).

        >>> Surd(2, 4).is_rational(), Surd(1, 2).is_rational()
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

    def __float__(self) -> float:
        if self._radicand == 1:
            return float(self._coeff)
        return float(self.enclose(20).mid)

    def __bool__(self) -> bool:
        return self._coeff != 0

    # ---------------------------------------------------------- equality/order
    def __eq__(self, other: object) -> bool:
        o = _operand(other, for_eq=True)
        if o is NotImplemented:
            return NotImplemented
        if isinstance(o, Fraction):
            return self._radicand == 1 and self._coeff == o
        if isinstance(o, Surd):
            if self._radicand == o._radicand:
                return self._coeff == o._coeff
            return self.signed_square() == o.signed_square()
        return bool(o == self)

    def __hash__(self) -> int:
        if self._radicand == 1:
            return hash(self._coeff)
        return hash(("Surd", self.signed_square()))

    def _compare(self, other: Any) -> int:
        o = _operand(other)
        if o is NotImplemented:
            return NotImplemented  # type: ignore[no-any-return]
        if isinstance(o, SurdSum):
            return -int(o._compare(self))
        if isinstance(o, Fraction):
            o = Surd._make(o, 1)
        return _cmp(self.signed_square(), o.signed_square())

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

    # ------------------------------------------------------------ arithmetic
    def __neg__(self) -> "Surd":
        return Surd._make(-self._coeff, self._radicand)

    def __pos__(self) -> "Surd":
        return self

    def __abs__(self) -> "Surd":
        return Surd._make(abs(self._coeff), self._radicand)

    def _add(self, o: "Surd") -> "Surd | SurdSum":
        if not o._coeff:
            return self
        if not self._coeff:
            return o
        a, b = self._radicand, o._radicand
        k = _direction(a, b)
        if k is None:
            return SurdSum._canonical([self, o])
        if a <= b:  # √b = k√a
            c, d = self._coeff + o._coeff * k, a
        else:  # √a = √b / k
            c, d = self._coeff / k + o._coeff, b
        return Surd._make(c, d) if c else Surd._make(_ZERO, 1)

    def __add__(self, other: Any) -> "Surd | SurdSum":
        o = _operand(other)
        if o is NotImplemented:
            return NotImplemented  # type: ignore[no-any-return]
        if isinstance(o, Fraction):
            return self._add(Surd._make(o, 1))
        if isinstance(o, Surd):
            return self._add(o)
        return SurdSum._make((self,)) + o

    __radd__ = __add__

    def __sub__(self, other: Any) -> "Surd | SurdSum":
        o = _operand(other)
        if o is NotImplemented:
            return NotImplemented  # type: ignore[no-any-return]
        return self + (-o)

    def __rsub__(self, other: Any) -> "Surd | SurdSum":
        o = _operand(other)
        if o is NotImplemented:
            return NotImplemented  # type: ignore[no-any-return]
        return (-self) + o

    def _mul(self, o: "Surd") -> "Surd":
        c = self._coeff * o._coeff
        if not c:
            return Surd._make(_ZERO, 1)
        s, d = _mul_radicands(self._radicand, o._radicand)
        return Surd._make(c * s, d)

    def __mul__(self, other: Any) -> "Surd | SurdSum":
        o = _operand(other)
        if o is NotImplemented:
            return NotImplemented  # type: ignore[no-any-return]
        if isinstance(o, Fraction):
            return Surd._make(self._coeff * o, self._radicand) if o else Surd._make(_ZERO, 1)
        if isinstance(o, Surd):
            return self._mul(o)
        return o * self

    __rmul__ = __mul__

    def _inverse(self) -> "Surd":
        if not self._coeff:
            raise ZeroDivisionError(f"division by the zero surd {self}")
        d = self._radicand
        return Surd._make(1 / (self._coeff * d), d)

    def __truediv__(self, other: Any) -> "Surd | SurdSum":
        o = _operand(other)
        if o is NotImplemented:
            return NotImplemented  # type: ignore[no-any-return]
        if isinstance(o, Fraction):
            if not o:
                raise ZeroDivisionError(f"division of {self} by zero")
            return Surd._make(self._coeff / o, self._radicand)
        if isinstance(o, Surd):
            return self._mul(o._inverse())
        return SurdSum._make((self,)) / o

    def __rtruediv__(self, other: Any) -> "Surd | SurdSum":
        o = _operand(other)
        if o is NotImplemented:
            return NotImplemented  # type: ignore[no-any-return]
        inv = self._inverse()
        if isinstance(o, Fraction):
            return Surd._make(inv._coeff * o, inv._radicand) if o else Surd._make(_ZERO, 1)
        return o * inv

    def __pow__(self, n: int) -> "Surd":
        """Integer powers (negative ones invert).

        >>> Surd(1, 2) ** 3, Surd(1, 2) ** -2
        (Surd('2*sqrt(2)'), Surd('1/2'))
        """
        if isinstance(n, bool) or not isinstance(n, int):
            return NotImplemented  # type: ignore[no-any-return]
        base = self if n >= 0 else self._inverse()
        result = Surd._make(_ONE, 1)
        for _ in range(abs(n)):
            result = result._mul(base)
        return result

    # ------------------------------------------------------------- strings
    def __str__(self) -> str:
        if self._radicand == 1:
            return str(self._coeff)
        return f"{self._coeff}*sqrt({self._radicand})"

    def __repr__(self) -> str:
        return f"Surd('{self}')"

    @classmethod
    def parse(cls, s: str) -> "Surd":
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


class SurdSum:
    """An exact finite sum ``Σ c_i·√d_i`` of surds.

    Parameters
    ----------
    terms
        An iterable of Surds, SurdSums, ints and Fractions (or a single one of
        them); floats are refused.  A string (the ``repr`` form) is read by
        :meth:`parse`.

    Notes
    -----
    Canonical form: terms pairwise in different directions (``d_i·d_j`` never a
    square; same-direction terms are merged), zero terms dropped, sorted by
    radicand.  By the linear independence theorem (module docstring) the sum is
    zero iff it has no terms.  ``+ - *`` are exact (products expand); division is
    by a rational or a single surd.  ``sign()`` is exact for up to two terms and
    certified by ball arithmetic beyond.

    Examples
    --------
    >>> SurdSum([Surd(1, 2), 1, Surd(1, 8)])
    SurdSum('1 + 3*sqrt(2)')
    >>> SurdSum([Surd(1, 2), Surd(-1, 2)])     # degenerate: zero
    SurdSum('0')
    >>> (Surd(1, 2) + 1).sign(), (Surd(1, 2) + Surd(1, 3) - Surd(1, 5)).sign()
    (<Sign.POSITIVE: 1>, <Sign.POSITIVE: 1>)
    """

    __slots__ = ("_terms",)
    _terms: tuple[Surd, ...]

    def __init__(self, terms: Any = ()) -> None:
        if isinstance(terms, (Surd, SurdSum, int, Fraction)):
            terms = (terms,)
        if isinstance(terms, str):  # SurdSum('1 - 1*sqrt(2)'), the repr form
            object.__setattr__(self, "_terms", SurdSum.parse(terms)._terms)
            return
        surds: list[Surd] = []
        for t in terms:
            if isinstance(t, SurdSum):
                surds.extend(t._terms)
            elif isinstance(t, Surd):
                surds.append(t)
            elif isinstance(t, str):
                raise InvalidInputError(
                    f"SurdSum term {t!r} is a string; read strings with SurdSum.parse"
                )
            else:
                surds.append(Surd(as_rational(t, name="SurdSum term")))
        object.__setattr__(self, "_terms", SurdSum._canonical_terms(surds))

    @staticmethod
    def _canonical_terms(surds: Iterable[Surd]) -> tuple[Surd, ...]:
        by_rad: dict[int, Fraction] = {}
        for t in surds:
            if t._coeff:
                by_rad[t._radicand] = by_rad.get(t._radicand, _ZERO) + t._coeff
        merged: list[list[Any]] = []  # [radicand, coeff], ascending radicands
        for r in sorted(by_rad):
            c = by_rad[r]
            for slot in merged:
                k = _direction(slot[0], r)  # √r = k·√slot[0], slot[0] < r
                if k is not None:
                    slot[1] += c * k
                    break
            else:
                merged.append([r, c])
        return tuple(Surd._make(c, r) for r, c in merged if c)

    @classmethod
    def _make(cls, terms: tuple[Surd, ...]) -> "SurdSum":
        """Trusting constructor: ``terms`` already canonical."""
        obj = object.__new__(cls)
        object.__setattr__(obj, "_terms", terms)
        return obj

    @classmethod
    def _canonical(cls, surds: Iterable[Surd]) -> "SurdSum":
        return cls._make(cls._canonical_terms(surds))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __reduce__(self) -> tuple[Any, ...]:
        return (SurdSum._make, (self._terms,))

    @property
    def terms(self) -> tuple[Surd, ...]:
        """The canonical terms, sorted by radicand (empty for zero).

        >>> (Surd(1, 3) + 2).terms
        (Surd('2'), Surd('1*sqrt(3)'))
        """
        return self._terms

    def simplify(self) -> "Surd | SurdSum":
        """The value as a :class:`Surd` when it has at most one term, else ``self``.

        >>> (Surd(1, 2) + Surd(1, 3) - Surd(1, 3)).simplify(), SurdSum([]).simplify()
        (Surd('1*sqrt(2)'), Surd('0'))
        """
        if not self._terms:
            return Surd._make(_ZERO, 1)
        if len(self._terms) == 1:
            return self._terms[0]
        return self

    def is_rational(self) -> bool:
        """Whether the value is rational.

        >>> SurdSum([1, Surd(1, 2)]).is_rational(), SurdSum([3]).is_rational()
        (False, True)
        """
        t = self._terms
        return not t or (len(t) == 1 and t[0]._radicand == 1)

    def to_fraction(self) -> Fraction:
        """The value as a Fraction.

        Raises
        ------
        DegenerateError
            The value is irrational.

        Examples
        --------
        >>> (Surd(1, 2) * Surd(1, 2) + 1).to_fraction()
        Fraction(3, 1)
        """
        if not self.is_rational():
            raise DegenerateError(
                f"{self} is irrational and has no exact Fraction value; use .enclose() "
                "or float()"
            )
        return self._terms[0]._coeff if self._terms else _ZERO

    def squared(self) -> "SurdSum":
        """The exact square (a SurdSum).

        >>> SurdSum([1, Surd(1, 2)]).squared()
        SurdSum('3 + 2*sqrt(2)')
        """
        return self * self

    def sign(self) -> Sign:
        """Exact sign: zero iff there are no terms; certified otherwise.

        Up to two terms the sign is decided from squares; beyond, an arb ball of the
        value is refined (64, 128, ... bits) until it excludes 0 — this terminates for
        every nonzero algebraic number, but stops with :class:`UndecidedError` at
        ``2**16`` bits.

        >>> (Surd(1, 2) + Surd(1, 3) - Surd(1, 5) - Surd(1, 6)).sign()
        <Sign.NEGATIVE: -1>
        """
        t = self._terms
        if not t:
            return Sign.ZERO
        if len(t) == 1:
            return t[0].sign()
        if len(t) == 2:
            a, b = t
            sa, sb = a.sign(), b.sign()
            if sa == sb:
                return sa
            # |a| != |b| by linear independence
            return sa if a.squared() > b.squared() else sb
        return certified_sign(self.ball)

    def ball(self, prec_bits: int = 64) -> arb:
        """An arb ball containing the value, computed at ``prec_bits`` bits.

        >>> SurdSum([]).ball(64).is_zero()
        True
        """
        with working_precision(prec_bits):
            total = arb(0)
            for t in self._terms:
                total += t.ball(prec_bits)
            return total

    def enclose(self, digits: int = 30) -> Enclosure:
        """A certified rational interval around the value, ``digits`` significant digits.

        >>> print((Surd(1, 2) + Surd(1, 3)).enclose(8))
        [3.1462643, 3.1462644]
        """
        return enclose_ball(self.ball, digits)

    def __float__(self) -> float:
        if not self._terms:
            return 0.0
        return float(self.enclose(20).mid)

    def __bool__(self) -> bool:
        return bool(self._terms)

    # ---------------------------------------------------------- equality/order
    def __eq__(self, other: object) -> bool:
        o = _operand(other, for_eq=True)
        if o is NotImplemented:
            return NotImplemented
        return not (self - o)._terms

    def __hash__(self) -> int:
        t = self._terms
        if not t:
            return hash(_ZERO)
        if len(t) == 1:
            return hash(t[0])
        return hash(("SurdSum", frozenset(x.signed_square() for x in t)))

    def _compare(self, other: Any) -> int:
        o = _operand(other)
        if o is NotImplemented:
            return NotImplemented  # type: ignore[no-any-return]
        return int((self - o).sign())

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

    # ------------------------------------------------------------ arithmetic
    @staticmethod
    def _as_terms(o: Any) -> tuple[Surd, ...]:
        if isinstance(o, SurdSum):
            return o._terms
        if isinstance(o, Surd):
            return (o,)
        return (Surd._make(o, 1),)

    def __neg__(self) -> "SurdSum":
        return SurdSum._make(tuple(-t for t in self._terms))

    def __pos__(self) -> "SurdSum":
        return self

    def __abs__(self) -> "SurdSum":
        return -self if self.sign() < 0 else self

    def __add__(self, other: Any) -> "SurdSum":
        o = _operand(other)
        if o is NotImplemented:
            return NotImplemented  # type: ignore[no-any-return]
        return SurdSum._canonical(self._terms + SurdSum._as_terms(o))

    __radd__ = __add__

    def __sub__(self, other: Any) -> "SurdSum":
        o = _operand(other)
        if o is NotImplemented:
            return NotImplemented  # type: ignore[no-any-return]
        return SurdSum._canonical(self._terms + tuple(-t for t in SurdSum._as_terms(o)))

    def __rsub__(self, other: Any) -> "SurdSum":
        o = _operand(other)
        if o is NotImplemented:
            return NotImplemented  # type: ignore[no-any-return]
        return SurdSum._canonical(SurdSum._as_terms(o) + tuple(-t for t in self._terms))

    def __mul__(self, other: Any) -> "SurdSum":
        o = _operand(other)
        if o is NotImplemented:
            return NotImplemented  # type: ignore[no-any-return]
        return SurdSum._canonical(
            a._mul(b) for a in self._terms for b in SurdSum._as_terms(o)
        )

    __rmul__ = __mul__

    def _divisor_inverse(self, o: Any) -> Surd:
        if isinstance(o, SurdSum):
            s = o.simplify()
            if isinstance(s, SurdSum):
                raise TypeError(
                    f"division by the sum {o} of several surds is not supported; divide "
                    "by a rational or a single Surd"
                )
            o = s
        if isinstance(o, Fraction):
            o = Surd._make(o, 1)
        return o._inverse()

    def __truediv__(self, other: Any) -> "SurdSum":
        o = _operand(other)
        if o is NotImplemented:
            return NotImplemented  # type: ignore[no-any-return]
        inv = self._divisor_inverse(o)
        return SurdSum._canonical(t._mul(inv) for t in self._terms)

    def __rtruediv__(self, other: Any) -> "SurdSum":
        o = _operand(other)
        if o is NotImplemented:
            return NotImplemented  # type: ignore[no-any-return]
        inv = self._divisor_inverse(self)
        return SurdSum._canonical(t._mul(inv) for t in SurdSum._as_terms(o))

    def __pow__(self, n: int) -> "SurdSum":
        """Non-negative integer powers.

        >>> (Surd(1, 2) + 1) ** 2
        SurdSum('3 + 2*sqrt(2)')
        """
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            return NotImplemented  # type: ignore[no-any-return]
        result = SurdSum._make((Surd._make(_ONE, 1),))
        for _ in range(n):
            result = result * self
        return result

    # ------------------------------------------------------------- strings
    def __str__(self) -> str:
        t = self._terms
        if not t:
            return "0"
        parts = [str(t[0])]
        for x in t[1:]:
            parts.append(f" - {-x}" if x._coeff < 0 else f" + {x}")
        return "".join(parts)

    def __repr__(self) -> str:
        return f"SurdSum('{self}')"

    @classmethod
    def parse(cls, s: str) -> "SurdSum":
        """Read a sum of surds in the module's grammar (the inverse of ``str``).

        Raises
        ------
        InvalidInputError
            ``s`` is not a sum of surds.

        Examples
        --------
        >>> SurdSum.parse("1 - 1*sqrt(2) + 1/2*sqrt(3)")
        SurdSum('1 - 1*sqrt(2) + 1/2*sqrt(3)')
        >>> SurdSum.parse("sqrt(2) + -sqrt(8)/2"), SurdSum.parse("0")
        (SurdSum('0'), SurdSum('0'))
        >>> SurdSum.parse("1 + ")
        Traceback (most recent call last):
        ...
        exactgeom.errors.InvalidInputError: '1 + ' is not a sum of surds; ...
        """
        if not isinstance(s, str):
            raise InvalidInputError(f"SurdSum.parse needs a string, got {type(s).__name__}")
        m = _FIRST_RE.match(s)
        terms: list[Surd] = []
        if m is not None:
            terms.append(_term_from_match(m, s, False))
            pos = m.end()
            while True:
                n = _NEXT_RE.match(s, pos)
                if n is None:
                    break
                terms.append(_term_from_match(n, s, n.group("op") == "-"))
                pos = n.end()
            if _END_RE.fullmatch(s, pos):
                return cls._canonical(terms)
        raise InvalidInputError(
            f"{s!r} is not a sum of surds; write e.g. '1 - 1*sqrt(2) + 3/2*sqrt(5)'"
        )


#: Anything the exact arithmetic of this module accepts as a number.
SurdLike = Union[Surd, SurdSum, Fraction, int]
