"""Exact angles in ``[0, π]``, held by their exact cosine.

An :class:`Angle` ``θ ∈ [0, π]`` is stored as ``cos θ``, a :class:`~exactgeom.numbers.Surd`
(for a dihedral angle, ``cos θ = −⟨a,b⟩/√(⟨a,a⟩⟨b,b⟩)``).  Because ``cos²θ`` is
rational, ``sin θ = √(1 − cos²θ)`` is again a surd, ordering is exact (``θ₁ < θ₂``
iff ``cos θ₁ > cos θ₂``) and so is equality.

Rational multiples of π (Niven)
-------------------------------
For ``θ ∈ [0, π]`` with ``cos²θ`` rational, ``θ/π`` is rational iff
``cos²θ ∈ {0, 1/4, 1/2, 3/4, 1}``.  Proof: ``cos 2θ = 2cos²θ − 1`` is rational, and
by Niven's theorem a rational multiple of π with rational cosine has cosine in
``{0, ±1/2, ±1}``; so ``cos²θ = (1 + cos 2θ)/2 ∈ {1/2, 1/4, 3/4, 0, 1}``.  The
converse and the exact multiples (0, 1/6, 1/4, 1/3, 1/2, 2/3, 3/4, 5/6, 1, the sign
of ``cos θ`` choosing between ``r`` and ``1 − r``) are checked symbolically in
``proofs/niven.py``.  :meth:`Angle.exact_pi_multiple` returns that ``r``, or ``None``
for every other angle, whose radians are then only given as certified enclosures.

>>> a = Angle(Fraction(1, 2))
>>> a, a.exact_pi_multiple(), a.sin
(Angle('arccos(1/2)'), Fraction(1, 3), Surd('1/2*sqrt(3)'))
>>> Angle(Surd(1, Fraction(1, 5))).exact_pi_multiple() is None
True
>>> print(Angle(Surd(1, Fraction(1, 5))).degrees(12))
[63.4349488229, 63.4349488230]
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, cast

from flint import arb, fmpq

from ..errors import InvalidInputError
from ._compat import now_property
from .ball import Enclosure, enclose_ball
from .ordering import ExactOrdering
from .rational import as_rational
from .sign import Sign
from .surd import Surd
from .surdsum import SurdSum

__all__ = ["Angle"]

# (cos², sign of cos) -> θ/π
_NIVEN: dict[tuple[Fraction, int], Fraction] = {
    (Fraction(1), 1): Fraction(0),
    (Fraction(3, 4), 1): Fraction(1, 6),
    (Fraction(1, 2), 1): Fraction(1, 4),
    (Fraction(1, 4), 1): Fraction(1, 3),
    (Fraction(0), 0): Fraction(1, 2),
    (Fraction(1, 4), -1): Fraction(2, 3),
    (Fraction(1, 2), -1): Fraction(3, 4),
    (Fraction(3, 4), -1): Fraction(5, 6),
    (Fraction(1), -1): Fraction(1),
}


def _as_cos(c: Any) -> Surd:
    if isinstance(c, Angle):
        raise InvalidInputError("Angle() takes a cosine, not an Angle")
    if isinstance(c, SurdSum):
        s = c.simplify()
        if not isinstance(s, Surd):
            raise InvalidInputError(
                f"the cosine {c} is a sum of several surds; an Angle needs a single surd "
                "(so that cos² is rational)"
            )
        c = s
    elif isinstance(c, str):
        t = c.strip()
        if t.startswith("arccos"):  # Angle('arccos(1/2)'), the repr form
            return Angle.parse(t)._cos
        c = Surd.parse(t)
    elif not isinstance(c, Surd):
        c = Surd(as_rational(c, name="cosine"))
    if c.squared() > 1:
        raise InvalidInputError(
            f"the cosine {c} is outside [-1, 1] (its square is {c.squared()}); no real angle "
            "has it"
        )
    return cast(Surd, c)


class Angle(ExactOrdering):
    """An exact angle ``θ ∈ [0, π]`` given by its cosine.

    Parameters
    ----------
    cos
        ``cos θ``: a :class:`Surd`, a rational (int, Fraction, ...), a single-term
        :class:`SurdSum`, or a surd string such as ``"1/2*sqrt(2)"``; checked exactly to
        lie in ``[-1, 1]``.  The ``repr`` form ``"arccos(1/2*sqrt(2))"`` is accepted too.

    Raises
    ------
    InvalidInputError
        The cosine is outside ``[-1, 1]`` or is not a single surd.
    InexactInputError
        The cosine is a float.

    Examples
    --------
    >>> Angle(Surd(1, 2) / 2) < Angle(0)     # 45° < 90°
    True
    >>> Angle(-1).exact_pi_multiple(), Angle(1).exact_pi_multiple()   # degenerate ends
    (Fraction(1, 1), Fraction(0, 1))
    >>> Angle(Fraction(3, 2))
    Traceback (most recent call last):
    ...
    exactgeom.errors.InvalidInputError: the cosine 3/2 is outside [-1, 1] ...
    """

    __slots__ = ("_cos", "_pi")  # _pi: exact_pi_multiple, cached once computed
    _cos: Surd
    _pi: Fraction | None

    def __init__(self, cos: Any) -> None:
        object.__setattr__(self, "_cos", _as_cos(cos))

    @classmethod
    def from_cos(cls, c: Any) -> Angle:
        """The angle in ``[0, π]`` with cosine ``c`` (same as ``Angle(c)``).

        >>> Angle.from_cos(Surd.parse("-1/2*sqrt(3)")).exact_pi_multiple()
        Fraction(5, 6)
        """
        return cls(c)

    @classmethod
    def _make(cls, cos: Surd) -> Angle:
        obj = object.__new__(cls)
        object.__setattr__(obj, "_cos", cos)
        return obj

    @classmethod
    def right(cls) -> Angle:
        """π/2.

        >>> Angle.right().is_right
        True
        """
        return cls._make(Surd._make(Fraction(0), 1))

    @classmethod
    def zero(cls) -> Angle:
        """The zero angle.

        >>> Angle.zero().cos
        Surd('1')
        """
        return cls._make(Surd._make(Fraction(1), 1))

    @classmethod
    def straight(cls) -> Angle:
        """π.

        >>> Angle.straight() == Angle.zero().supplement()
        True
        """
        return cls._make(Surd._make(Fraction(-1), 1))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Angle is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("Angle is immutable")

    def __reduce__(self) -> tuple[Any, ...]:
        return (Angle._make, (self._cos,))

    @property
    def cos(self) -> Surd:
        """``cos θ`` (exact).

        >>> Angle(Fraction(-1, 3)).cos
        Surd('-1/3')
        """
        return self._cos

    @property
    def sin(self) -> Surd:
        """``sin θ = √(1 − cos²θ) ≥ 0`` (exact, since cos² is rational).

        >>> Angle(Fraction(-1, 3)).sin, Angle(1).sin
        (Surd('2/3*sqrt(2)'), Surd('0'))
        """
        return Surd.sqrt(1 - self._cos.squared())

    def squared_cos(self) -> Fraction:
        """``cos²θ`` (rational).

        >>> Angle(Surd(1, 3) / 2).squared_cos()
        Fraction(3, 4)
        """
        return self._cos.squared()

    def sign_of_cos(self) -> Sign:
        """Sign of ``cos θ``: POSITIVE (acute), ZERO (right), NEGATIVE (obtuse).

        >>> Angle(Fraction(-1, 3)).sign_of_cos()
        <Sign.NEGATIVE: -1>
        """
        return self._cos.sign()

    @now_property
    def is_right(self) -> bool:
        """Whether ``θ = π/2``; a property.

        >>> Angle(0).is_right, Angle(Fraction(1, 2)).is_right
        (True, False)
        """
        return not self._cos

    def supplement(self) -> Angle:
        """``π − θ``.

        >>> Angle(Fraction(1, 2)).supplement()
        Angle('arccos(-1/2)')
        """
        return Angle._make(-self._cos)

    def exact_pi_multiple(self) -> Fraction | None:
        """The rational ``r`` with ``θ = rπ``, or ``None`` if θ/π is irrational (Niven).

        >>> Angle(Surd(1, 2) / 2).exact_pi_multiple()
        Fraction(1, 4)
        >>> Angle(Fraction(1, 3)).exact_pi_multiple() is None
        True
        """
        try:
            return self._pi
        except AttributeError:  # first call (radians, degrees and fixtures each ask)
            sq = self._cos.squared()  # Niven's cos² have denominators 1, 2 or 4: others skip the hash
            r = _NIVEN.get((sq, int(self._cos.sign()))) if sq.denominator <= 4 else None
            object.__setattr__(self, "_pi", r)
            return r

    # --------------------------------------------------------------- numbers
    def radians(self, digits: int = 30) -> Enclosure:
        """A certified enclosure of θ in radians (``digits`` significant digits).

        For exact multiples ``rπ`` it encloses ``r·π``; otherwise ``acos`` of the
        cosine's ball, refined to the requested accuracy.

        >>> print(Angle(0).radians(10))
        [1.570796326, 1.570796327]
        >>> print(Angle(1).radians(10))
        [0, 0]
        """
        r = self.exact_pi_multiple()
        if r is not None:
            if r == 0:
                return Enclosure(Fraction(0), Fraction(0), digits)
            q = fmpq(r.numerator, r.denominator)
            return enclose_ball(lambda prec: arb.pi() * q, digits)
        c = self._cos
        return enclose_ball(lambda prec: c.ball(prec).acos(), digits)

    def degrees(self, digits: int = 30) -> Enclosure:
        """A certified enclosure of θ in degrees (exact for rational multiples of π).

        >>> print(Angle(Fraction(-1, 2)).degrees())
        [120, 120]
        """
        r = self.exact_pi_multiple()
        if r is not None:
            d = 180 * r
            return Enclosure(d, d, digits)
        c = self._cos
        return enclose_ball(lambda prec: c.ball(prec).acos() * 180 / arb.pi(), digits)

    def enclose(self, digits: int = 30) -> Enclosure:
        """Same as :meth:`radians`.

        >>> Angle(0).enclose(5).contains(Fraction(15708, 10000))
        True
        """
        return self.radians(digits)

    def _sympy_(self) -> Any:
        """The exact SymPy expression (``sympy.sympify(x)`` uses it), see
        :func:`exactgeom.numbers.interop.to_sympy`.

        >>> import sympy
        >>> sympy.sympify(Angle(Fraction(-1, 3)))
        acos(-1/3)
        """
        from .interop import to_sympy

        return to_sympy(self)

    def __float__(self) -> float:
        """θ in radians as a float (an exit from the exact world)."""
        return float(self.radians(20).mid)

    # ---------------------------------------------------------- equality/order
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Angle):
            return NotImplemented
        return self._cos == other._cos

    def __hash__(self) -> int:
        return hash(("Angle", self._cos))

    def _compare(self, other: Any) -> Any:
        """θ1 < θ2 exactly when cos θ1 > cos θ2 (cos is decreasing on [0, π])."""
        if not isinstance(other, Angle):
            return NotImplemented
        return (self._cos < other._cos) - (self._cos > other._cos)

    # --------------------------------------------------------------- strings
    def __str__(self) -> str:
        return f"arccos({self._cos})"

    def __repr__(self) -> str:
        return f"Angle('{self}')"

    @classmethod
    def parse(cls, s: str) -> Angle:
        """Read ``"arccos(<surd>)"`` (the inverse of ``str``).

        Raises
        ------
        InvalidInputError
            ``s`` is not of that form, or the cosine is outside ``[-1, 1]``.

        Examples
        --------
        >>> Angle.parse("arccos(-1/2*sqrt(2))").exact_pi_multiple()
        Fraction(3, 4)
        >>> Angle.parse("acos(1)")
        Traceback (most recent call last):
        ...
        exactgeom.errors.InvalidInputError: 'acos(1)' is not an angle; ...
        """
        if not isinstance(s, str):
            raise InvalidInputError(f"Angle.parse needs a string, got {type(s).__name__}")
        t = s.strip()
        if not (t.startswith("arccos(") and t.endswith(")")):
            raise InvalidInputError(
                f"{s!r} is not an angle; write 'arccos(<surd>)', e.g. 'arccos(1/2*sqrt(2))'"
            )
        return cls(Surd.parse(t[len("arccos(") : -1]))
