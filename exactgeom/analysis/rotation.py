r"""Exact sums of angles: products of exact plane rotations plus a certified winding.

An angle ``θ ∈ [0, π]`` with a surd cosine has a surd sine (``sin θ = √(1 − cos²θ)``),
so the unit complex number ``e^{iθ} = cos θ + i sin θ`` has exact :class:`SurdSum`
coordinates, and so does any product of them.  The sum ``S = θ_1 + … + θ_k`` is then
known exactly as

* its **rotation** ``e^{iS} = Π (cos θ_j + i sin θ_j)`` — exact, and
* its **winding** ``⌊S / 2π⌋`` — an integer, certified with low-precision arb balls,

because ``S = 2π·winding + φ`` with ``φ ∈ [0, 2π)`` determined by ``(cos φ, sin φ)``.
In particular ``S = 2πk`` exactly iff the rotation is exactly ``1`` and a ball of
``S/2π`` of width < 1 contains ``k``.

Cost and limit: multiplying rotations whose surds have many different radicands can
double the number of terms with every factor (the product lives in a multiquadratic
number field of degree up to ``2^r``).  When an intermediate coordinate has more than
:data:`MAX_TERMS` terms, :class:`~exactgeom.errors.UndecidedError` is raised — the
answer is never guessed.  A ball of ``S`` that already excludes every multiple of
``2π`` decides "not a multiple of 2π" without any exact product.

>>> from fractions import Fraction
>>> from exactgeom.numbers import Angle, Surd
>>> right = Angle(0)
>>> total_is_multiple_of_2pi([right] * 4)
1
>>> t = AngleSum([Angle(Surd(1, 2) / 2), Angle(Surd(-1, 2) / 2)])   # π/4 + 3π/4
>>> t.rotation(), t.winding(), t.pi_multiple()
((SurdSum('-1'), SurdSum('0')), 0, Fraction(1, 1))
>>> total_is_multiple_of_2pi([right, right, right]) is None
True
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from functools import cached_property

from flint import arb

from ..errors import InvalidInputError, UndecidedError
from ..numbers.angle import Angle
from ..numbers.ball import Enclosure, enclose_ball, working_precision
from ..numbers.surd import Surd
from ..numbers.surdsum import SurdSum

__all__ = ["AngleSum", "total_is_multiple_of_2pi", "MAX_TERMS"]

#: Largest number of surd terms an intermediate rotation coordinate may have.
MAX_TERMS = 1 << 12
#: Precision cap (bits) for the certified winding.
MAX_BITS = 1 << 12

_ONE = SurdSum([1])
_ZERO = SurdSum([])


def _rotation_of(a: Angle) -> tuple[SurdSum, SurdSum]:
    return SurdSum(a.cos), SurdSum(a.sin)


def _multiply(
    z: tuple[SurdSum, SurdSum], w: tuple[SurdSum, SurdSum]
) -> tuple[SurdSum, SurdSum]:
    a, b = z
    c, d = w
    re = a * c - b * d
    im = a * d + b * c
    if len(re.terms) > MAX_TERMS or len(im.terms) > MAX_TERMS:
        raise UndecidedError(
            f"the exact product of rotations needs more than {MAX_TERMS} surd terms (the "
            "angles generate too large a number field); the angle sum is left undecided"
        )
    return re, im


class AngleSum:
    """The exact sum of finitely many angles in ``[0, π]``.

    Parameters
    ----------
    angles
        A sequence of :class:`~exactgeom.numbers.Angle`.

    Examples
    --------
    >>> from exactgeom.numbers import Angle
    >>> s = AngleSum([Angle(Fraction(1, 3)), Angle(Fraction(-1, 3))])   # θ + (π − θ)
    >>> s.pi_multiple(), s.is_multiple_of_2pi()
    (Fraction(1, 1), False)
    >>> AngleSum([]).pi_multiple()                                     # degenerate: empty sum
    Fraction(0, 1)
    """

    __slots__ = ("__dict__", "_angles")

    def __init__(self, angles: Sequence[Angle]) -> None:
        angles = tuple(angles)
        for a in angles:
            if not isinstance(a, Angle):
                raise InvalidInputError(f"AngleSum needs Angle values, got {type(a).__name__}")
        self._angles = angles

    @property
    def angles(self) -> tuple[Angle, ...]:
        """The summands."""
        return self._angles

    def ball(self, prec_bits: int = 64) -> arb:
        """An arb ball containing the sum in radians.

        >>> AngleSum([Angle(0)]).ball(64).overlaps(arb.pi() / 2)
        True
        """
        with working_precision(prec_bits):
            total = arb(0)
            for a in self._angles:
                r = a.exact_pi_multiple()
                if r is not None:
                    total += arb.pi() * arb(r.numerator) / r.denominator
                else:
                    total += a.cos.ball(prec_bits).acos()
            return total

    def radians(self, digits: int = 30) -> Enclosure:
        """Certified enclosure of the sum in radians.

        >>> print(AngleSum([Angle(0), Angle(0)]).radians(8))
        [3.1415926, 3.1415927]
        """
        return enclose_ball(self.ball, digits)

    def _turns_ball(self, prec: int) -> arb:
        with working_precision(prec):
            return self.ball(prec) / (2 * arb.pi())

    def _integer_in(self, prec: int) -> tuple[bool, int | None]:
        """(ball excludes every integer?, the unique integer in the ball if width < 1)."""
        t = self._turns_ball(prec)
        if not t.is_finite():  # an angle whose cosine's ball reached ±1 at this precision
            return False, None
        lo, hi = t.lower(), t.upper()
        flo = int(lo.floor().unique_fmpz())
        fhi = int(hi.floor().unique_fmpz())
        excludes = flo == fhi and not (lo.floor() == lo)  # noqa: SIM201 - arb balls: `!=` is not `not ==`
        if excludes:
            return True, None
        if fhi - flo <= 1 and (hi - lo) < 1:
            k = fhi if fhi > flo else flo
            return False, k
        return False, None

    @cached_property
    def _rotation(self) -> tuple[SurdSum, SurdSum]:
        z = (_ONE, _ZERO)
        # angles that are exact multiples of π/2 and π are cheap; multiply them last
        plain = [a for a in self._angles if a.exact_pi_multiple() not in (Fraction(1, 2), Fraction(1))]
        special = [a for a in self._angles if a.exact_pi_multiple() in (Fraction(1, 2), Fraction(1))]
        for a in plain:
            z = _multiply(z, _rotation_of(a))
        for a in special:
            re, im = z
            if a.exact_pi_multiple() == 1:
                z = (-re, -im)
            else:  # multiply by i
                z = (-im, re)
        return z

    def rotation(self) -> tuple[SurdSum, SurdSum]:
        """``(cos S, sin S)`` exactly, as surd sums.

        Raises
        ------
        UndecidedError
            The product needs more than :data:`MAX_TERMS` terms.

        >>> AngleSum([Angle(0)] * 3).rotation()
        (SurdSum('0'), SurdSum('-1'))
        """
        return self._rotation

    def is_multiple_of_2pi(self) -> bool:
        """Whether the sum is exactly ``2πk`` for an integer ``k`` (see :meth:`winding`).

        >>> AngleSum([Angle(0)] * 4).is_multiple_of_2pi()
        True
        """
        prec = 64
        excl, _ = self._integer_in(prec)
        if excl:
            return False
        return self._rotation == (_ONE, _ZERO)

    def winding(self) -> int:
        """``⌊S / 2π⌋``, certified.

        Raises
        ------
        UndecidedError
            The precision cap was reached (or the exact product was too large).

        >>> AngleSum([Angle(0)] * 5).winding()
        1
        """
        prec = 64
        while prec <= MAX_BITS:
            t = self._turns_ball(prec)
            if not t.is_finite():  # an angle's cosine ball reached ±1 (a near-flat or near-zero angle): refine
                prec *= 2
                continue
            lo, hi = t.lower(), t.upper()
            flo, fhi = lo.floor(), hi.floor()
            if flo == fhi and not (lo == flo):  # noqa: SIM201 - arb balls: `!=` is not `not ==`
                return int(flo.unique_fmpz())
            # the ball touches an integer k: S = 2πk exactly, or refine
            if (hi - lo) < 1 and self._rotation == (_ONE, _ZERO):
                return int(fhi.unique_fmpz())
            prec *= 2
        raise UndecidedError(
            f"the winding number of an angle sum stayed undecided at {MAX_BITS} bits"
        )

    def pi_multiple(self) -> Fraction | None:
        """``S/π`` when it is rational and decided from the exact rotation (the
        rotation's cosine is one of 0, ±1/2, ±√2/2, ±√3/2, ±1); else ``None``.

        >>> AngleSum([Angle(Fraction(1, 2))] * 2).pi_multiple()     # π/3 + π/3
        Fraction(2, 3)
        """
        re, im = self._rotation
        c = re.simplify()
        if not isinstance(c, Surd) or isinstance(im.simplify(), SurdSum):
            return None
        r = Angle(c).exact_pi_multiple() if c.squared() <= 1 else None
        if r is None:
            return None
        phi = r if im.sign() >= 0 else 2 - r  # φ ∈ [0, 2π)
        if phi == 2:
            phi = Fraction(0)
        return 2 * self.winding() + phi

    def __repr__(self) -> str:
        return f"AngleSum({list(self._angles)!r})"


def total_is_multiple_of_2pi(angles: Sequence[Angle]) -> int | None:
    """``k`` if ``Σ angles = 2πk`` exactly, else ``None`` (exact decision).

    >>> from exactgeom.numbers import Angle
    >>> total_is_multiple_of_2pi([Angle(0), Angle(0), Angle(-1)])
    1
    >>> total_is_multiple_of_2pi([]) , total_is_multiple_of_2pi([Angle(1)])   # 0 = 2π·0
    (0, 0)
    """
    s = AngleSum(angles)
    if not s.is_multiple_of_2pi():
        return None
    return s.winding()
