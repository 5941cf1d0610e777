r"""Exact finite sums of surds ``Σ c_i·√d_i`` (:class:`SurdSum`).

A sum of :class:`~exactgeom.numbers.Surd` terms in different directions; the string
form and its grammar are described in :mod:`.surd` (:meth:`SurdSum.parse` reads it).

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

>>> s = Surd.sqrt(2) + Surd.sqrt(3)
>>> s, s * s, (s - Surd.sqrt(2)).simplify()
(SurdSum('1*sqrt(2) + 1*sqrt(3)'), SurdSum('5 + 2*sqrt(6)'), Surd('1*sqrt(3)'))
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from typing import Any, TypeAlias, cast

from flint import arb

from ..errors import DegenerateError, InvalidInputError
from ._compat import now_property
from .ball import Enclosure, certified_sign, enclose_ball, working_precision
from .ordering import ExactOrdering
from .radicals import direction
from .rational import as_rational
from .sign import Sign
from .surd import Surd, coerce_operand, parse_sum_terms

__all__ = ["SurdSum", "SurdLike"]

_ONE = Fraction(1)
_ZERO = Fraction(0)


def _operand(x: Any, *, for_eq: bool = False) -> Any:
    """Coerce an arithmetic operand of a :class:`SurdSum`: SurdSums and Surds as they
    are, exact rationals to Fraction (see :func:`.surd.coerce_operand`)."""
    if isinstance(x, SurdSum):
        return x
    return coerce_operand(x, for_eq=for_eq)


class SurdSum(ExactOrdering):
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
                k = direction(slot[0], r)  # √r = k·√slot[0], slot[0] < r
                if k is not None:
                    slot[1] += c * k
                    break
            else:
                merged.append([r, c])
        return tuple(Surd._make(c, r) for r, c in merged if c)

    @classmethod
    def _make(cls, terms: tuple[Surd, ...]) -> SurdSum:
        """Trusting constructor: ``terms`` already canonical."""
        obj = object.__new__(cls)
        object.__setattr__(obj, "_terms", terms)
        return obj

    @classmethod
    def _canonical(cls, surds: Iterable[Surd]) -> SurdSum:
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

    def simplify(self) -> Surd | SurdSum:
        """The value as a :class:`Surd` when it has at most one term, else ``self``.

        >>> (Surd(1, 2) + Surd(1, 3) - Surd(1, 3)).simplify(), SurdSum([]).simplify()
        (Surd('1*sqrt(2)'), Surd('0'))
        """
        if not self._terms:
            return Surd._make(_ZERO, 1)
        if len(self._terms) == 1:
            return self._terms[0]
        return self

    @now_property
    def is_rational(self) -> bool:
        """Whether the value is rational; a property.

        >>> SurdSum([1, Surd(1, 2)]).is_rational, SurdSum([3]).is_rational
        (False, True)
        """
        return self._rational()

    def _rational(self) -> bool:
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
        if not self._rational():
            raise DegenerateError(
                f"{self} is irrational and has no exact Fraction value; use .enclose() "
                "or float()"
            )
        return self._terms[0]._coeff if self._terms else _ZERO

    def squared(self) -> SurdSum:
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

    def _sympy_(self) -> Any:
        """The exact SymPy expression (``sympy.sympify(x)`` uses it), see
        :func:`exactgeom.numbers.interop.to_sympy`.

        >>> import sympy
        >>> sympy.sympify(SurdSum([1, Surd(-1, 2)]))
        1 - sqrt(2)
        """
        from .interop import to_sympy

        return to_sympy(self)

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


    # ------------------------------------------------------------ arithmetic
    @staticmethod
    def _as_terms(o: Any) -> tuple[Surd, ...]:
        if isinstance(o, SurdSum):
            return o._terms
        if isinstance(o, Surd):
            return (o,)
        return (Surd._make(o, 1),)

    def __neg__(self) -> SurdSum:
        return SurdSum._make(tuple(-t for t in self._terms))

    def __pos__(self) -> SurdSum:
        return self

    def __abs__(self) -> SurdSum:
        return -self if self.sign() < 0 else self

    def __add__(self, other: Any) -> SurdSum:
        o = _operand(other)
        if o is NotImplemented:
            return NotImplemented
        return SurdSum._canonical(self._terms + SurdSum._as_terms(o))

    __radd__ = __add__

    def __sub__(self, other: Any) -> SurdSum:
        o = _operand(other)
        if o is NotImplemented:
            return NotImplemented
        return SurdSum._canonical(self._terms + tuple(-t for t in SurdSum._as_terms(o)))

    def __rsub__(self, other: Any) -> SurdSum:
        o = _operand(other)
        if o is NotImplemented:
            return NotImplemented
        return SurdSum._canonical(SurdSum._as_terms(o) + tuple(-t for t in self._terms))

    def __mul__(self, other: Any) -> SurdSum:
        o = _operand(other)
        if o is NotImplemented:
            return NotImplemented
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
        return cast(Surd, o._inverse())

    def __truediv__(self, other: Any) -> SurdSum:
        o = _operand(other)
        if o is NotImplemented:
            return NotImplemented
        inv = self._divisor_inverse(o)
        return SurdSum._canonical(t._mul(inv) for t in self._terms)

    def __rtruediv__(self, other: Any) -> SurdSum:
        o = _operand(other)
        if o is NotImplemented:
            return NotImplemented
        inv = self._divisor_inverse(self)
        return SurdSum._canonical(t._mul(inv) for t in SurdSum._as_terms(o))

    def __pow__(self, n: int) -> SurdSum:
        """Non-negative integer powers.

        >>> (Surd(1, 2) + 1) ** 2
        SurdSum('3 + 2*sqrt(2)')
        """
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            return NotImplemented
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
    def parse(cls, s: str) -> SurdSum:
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
        terms = parse_sum_terms(s)
        if terms is not None:
            return cls._canonical(terms)
        raise InvalidInputError(
            f"{s!r} is not a sum of surds; write e.g. '1 - 1*sqrt(2) + 3/2*sqrt(5)'"
        )


#: Anything the exact arithmetic of surds accepts as a number.
SurdLike: TypeAlias = Surd | SurdSum | Fraction | int
