"""Tests of exactgeom.numbers.angle.Angle."""

from __future__ import annotations

import pickle
from fractions import Fraction

import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from exactgeom.errors import InexactInputError, InvalidInputError
from exactgeom.numbers import Angle, Sign, Surd, SurdSum


def _cos_values() -> st.SearchStrategy[Surd]:
    """Cosines in [-1, 1]: ±√(p/q) with 0 ≤ p ≤ q."""

    @st.composite
    def build(draw: st.DrawFn) -> Surd:
        q = draw(st.integers(1, 30))
        p = draw(st.integers(0, q))
        sign = draw(st.sampled_from([1, -1]))
        return sign * Surd.sqrt(Fraction(p, q))

    return build()


cosines = _cos_values()
angles = cosines.map(Angle)


def sym_angle(a: Angle) -> sympy.Expr:
    c = a.cos
    return sympy.acos(sympy.Rational(c.coeff.numerator, c.coeff.denominator) * sympy.sqrt(c.radicand))


NIVEN = [
    (Fraction(1), 0),
    (Surd.sqrt(3) / 2, Fraction(1, 6)),
    (Surd.sqrt(2) / 2, Fraction(1, 4)),
    (Fraction(1, 2), Fraction(1, 3)),
    (Fraction(0), Fraction(1, 2)),
    (Fraction(-1, 2), Fraction(2, 3)),
    (-Surd.sqrt(2) / 2, Fraction(3, 4)),
    (-Surd.sqrt(3) / 2, Fraction(5, 6)),
    (Fraction(-1), Fraction(1)),
]


@pytest.mark.parametrize("cos, r", NIVEN)
def test_exact_pi_multiples(cos: object, r: Fraction) -> None:
    a = Angle(cos)
    assert a.exact_pi_multiple() == r
    # agrees with sympy's exact cosine of rπ
    c = sympy.cos(sympy.pi * sympy.Rational(r.numerator, r.denominator))
    cs = a.cos
    assert sympy.simplify(c - sympy.Rational(cs.coeff.numerator, cs.coeff.denominator) * sympy.sqrt(cs.radicand)) == 0
    e = a.radians(40)
    pi_r = sympy.pi * sympy.Rational(r.numerator, r.denominator)
    assert sympy.Rational(e.lo.numerator, e.lo.denominator) <= pi_r <= sympy.Rational(e.hi.numerator, e.hi.denominator)
    d = a.degrees()
    assert d.lo == d.hi == 180 * r


def test_cos_pi_over_3() -> None:
    a = Angle.from_cos(Fraction(1, 2))
    assert a.exact_pi_multiple() == Fraction(1, 3)
    assert a.sin == Surd.sqrt(3) / 2
    assert str(a) == "arccos(1/2)" and repr(a) == "Angle('arccos(1/2)')"


@pytest.mark.parametrize("n", range(5, 40))
def test_arccos_inverse_sqrt_is_not_a_pi_multiple(n: int) -> None:
    a = Angle(Surd.sqrt(Fraction(1, n)))
    assert a.exact_pi_multiple() is None
    assert a.supplement().exact_pi_multiple() is None


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_arccos_inverse_sqrt_small_n(n: int) -> None:
    # 1/√1, 1/√2, 1/√3, 1/√4: 0, π/4, irrational, π/3
    expected = {1: Fraction(0), 2: Fraction(1, 4), 3: None, 4: Fraction(1, 3)}[n]
    assert Angle(Surd.sqrt(Fraction(1, n))).exact_pi_multiple() == expected


@given(angles)
def test_sin_cos_identity(a: Angle) -> None:
    assert a.sin.squared() + a.squared_cos() == 1
    assert a.sin.sign() >= 0
    assert a.sign_of_cos() == a.cos.sign()
    assert a.is_right == (a.cos == 0)


@given(angles, angles)
def test_ordering_is_reversed_cosine_order(a: Angle, b: Angle) -> None:
    assert (a < b) == (a.cos > b.cos)
    assert (a <= b) == (a.cos >= b.cos)
    assert (a > b) == (a.cos < b.cos)
    assert (a == b) == (a.cos == b.cos)
    if a == b:
        assert hash(a) == hash(b)
    # and agrees with the radians
    ea, eb = a.radians(30), b.radians(30)
    if a < b:
        assert ea.lo <= eb.hi
        assert not (eb.hi < ea.lo)
    # sympy's exact comparison of the arccos values
    if a != b:
        assert bool(sympy.StrictLessThan(sym_angle(a), sym_angle(b))) == (a < b)


@given(angles)
def test_supplement(a: Angle) -> None:
    s = a.supplement()
    assert s.supplement() == a
    assert s.cos == -a.cos and s.sin == a.sin
    r = a.exact_pi_multiple()
    if r is not None:
        assert s.exact_pi_multiple() == 1 - r
    else:
        assert s.exact_pi_multiple() is None
    e, es = a.radians(30), s.radians(30)
    # θ + (π − θ) = π
    pi = sympy.pi
    total_lo = sympy.Rational((e.lo + es.lo).numerator, (e.lo + es.lo).denominator)
    total_hi = sympy.Rational((e.hi + es.hi).numerator, (e.hi + es.hi).denominator)
    assert total_lo <= pi <= total_hi


@given(angles, st.integers(5, 40))
def test_radians_and_degrees_enclose_acos(a: Angle, digits: int) -> None:
    v = sympy.N(sym_angle(a), 80)
    e = a.radians(digits)
    assert sympy.Rational(e.lo.numerator, e.lo.denominator) <= v <= sympy.Rational(e.hi.numerator, e.hi.denominator)
    assert e == a.enclose(digits)
    d = a.degrees(digits)
    vd = sympy.N(sym_angle(a) * 180 / sympy.pi, 80)
    assert sympy.Rational(d.lo.numerator, d.lo.denominator) <= vd <= sympy.Rational(d.hi.numerator, d.hi.denominator)
    if a != Angle.zero():
        assert e.width <= e.mid * Fraction(4, 10 ** (digits - 1))
    assert float(a) == pytest.approx(float(v), rel=1e-14)


@given(angles)
def test_str_parse_round_trip(a: Angle) -> None:
    s = str(a)
    assert s == f"arccos({a.cos})"
    assert Angle.parse(s) == a and str(Angle.parse(s)) == s
    assert eval(repr(a), {"Angle": Angle}) == a
    assert pickle.loads(pickle.dumps(a)) == a


def test_constants() -> None:
    assert Angle.right() == Angle(0) and Angle.right().is_right
    assert Angle.zero() == Angle(1) and Angle.zero().exact_pi_multiple() == 0
    assert Angle.straight() == Angle(-1) and Angle.straight().exact_pi_multiple() == 1
    assert Angle.zero() < Angle.right() < Angle.straight()
    assert Angle.right().supplement() == Angle.right()
    assert Angle.zero().radians().lo == 0 == Angle.zero().radians().hi
    assert str(Angle.zero().degrees()) == "[0, 0]"


def test_accepts_cosine_forms() -> None:
    c = Surd.sqrt(2) / 2
    assert Angle(c) == Angle("1/2*sqrt(2)") == Angle(SurdSum([c])) == Angle.parse("arccos(sqrt(2)/2)")
    assert Angle("-1/2") == Angle(Fraction(-1, 2)) == Angle("arccos(-1/2)")
    assert Angle(Surd(1, Fraction(1, 1))) == Angle(1)


def test_immutable_and_hashable() -> None:
    a = Angle(Fraction(1, 3))
    with pytest.raises(AttributeError):
        a._cos = Surd(0)  # type: ignore[misc]
    assert len({a, Angle(Fraction(1, 3)), Angle(Fraction(2, 6))}) == 1
    assert a != Fraction(1, 3)  # an Angle is not its cosine


@pytest.mark.parametrize(
    "call, exc",
    [
        (lambda: Angle(Fraction(3, 2)), InvalidInputError),
        (lambda: Angle(-2), InvalidInputError),
        (lambda: Angle(Surd(1, 2)), InvalidInputError),  # √2 > 1, decided exactly
        (lambda: Angle(Surd(-1, Fraction(101, 100))), InvalidInputError),
        (lambda: Angle(Surd(1, 2) / 2 + Surd(1, 3) / 3), InvalidInputError),  # a sum
        (lambda: Angle(0.5), InexactInputError),
        (lambda: Angle("arccos(3/2)"), InvalidInputError),
        (lambda: Angle("1/2 rad"), InvalidInputError),
        (lambda: Angle.parse("acos(1/2)"), InvalidInputError),
        (lambda: Angle.parse("arccos(2)"), InvalidInputError),
        (lambda: Angle.parse("arccos(1/2"), InvalidInputError),
        (lambda: Angle.parse("arccos()"), InvalidInputError),
        (lambda: Angle.parse(0.5), InvalidInputError),  # type: ignore[arg-type]
        (lambda: Angle(Angle.right()), InvalidInputError),
        (lambda: Angle(1) < Fraction(1), TypeError),
    ],
)
def test_invalid_inputs(call: object, exc: type[BaseException]) -> None:
    with pytest.raises(exc):
        call()  # type: ignore[operator]


def test_sign_of_cos_classifies() -> None:
    assert Angle(Fraction(1, 3)).sign_of_cos() == Sign.POSITIVE
    assert Angle(0).sign_of_cos() == Sign.ZERO
    assert Angle(Fraction(-1, 3)).sign_of_cos() == Sign.NEGATIVE


def test_exact_pi_multiples_are_exactly_niven_s_angles():
    # θ = rπ with rational cos² only for r in {0, 1/6, 1/4, 1/3, 1/2, 2/3, 3/4, 5/6, 1}
    # (Niven): built from sympy's exact cosines, each is found; every other cosine with
    # a small rational square, on either side, is not a rational multiple of π
    niven = [Fraction(k, 12) for k in (0, 2, 3, 4, 6, 8, 9, 10, 12)]
    for r in niven:
        c = sympy.nsimplify(sympy.cos(sympy.pi * sympy.Rational(r.numerator, r.denominator)))
        sq = Fraction(str(c**2))
        cos = Surd(1 if c >= 0 else -1, 1) * Surd.sqrt(sq)
        assert Angle(cos).exact_pi_multiple() == r
    found = set(niven)
    for den in range(1, 13):
        for num in range(0, den + 1):
            for sgn in (1, -1):
                a = Angle(Surd(sgn, 1) * Surd.sqrt(Fraction(num, den)))
                r = a.exact_pi_multiple()
                if r is not None:
                    assert r in found
                    assert abs(float(a.radians(15).lo) - float(r) * 3.141592653589793) < 1e-12
                else:
                    assert Fraction(num, den) not in (0, Fraction(1, 4), Fraction(1, 2), Fraction(3, 4), 1)
