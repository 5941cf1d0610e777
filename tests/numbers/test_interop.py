"""Exact conversions of numbers to SymPy and mpmath (exactgeom.numbers.interop).

Oracles, independent of the converter: SymPy's own arithmetic (the square of the
expression, expanded by SymPy, equals the square exactgeom computed), SymPy's own
evaluation (50 digits, inside exactgeom's arb enclosure), SymPy's ``cos(acos(x))``
and its table of special angles against :meth:`Angle.exact_pi_multiple`, and exact
binary expansions of mpmath endpoints.  ``nsimplify`` is never used.
"""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from exactgeom.errors import InvalidInputError
from exactgeom.numbers import Angle, Enclosure, Surd, SurdSum
from exactgeom.numbers.interop import enclosure_to_mpmath, to_sympy

big = st.integers(-(10**40), 10**40)
rationals = st.one_of(
    st.builds(Fraction, st.integers(-12, 12), st.integers(1, 9)),
    st.builds(Fraction, big, st.integers(1, 10**30)),
)
radicands = st.one_of(st.integers(1, 60), st.integers(2, 10**12))
surds = st.builds(Surd, rationals, radicands)
surd_sums = st.lists(surds, max_size=4).map(SurdSum)
cosines = st.builds(Fraction, st.integers(-20, 20), st.integers(20, 40)).filter(lambda c: -1 <= c <= 1)


def _exact(expr: sympy.Expr) -> bool:
    """No float anywhere in the expression tree, no free symbol."""
    return not expr.has(sympy.Float) and not expr.free_symbols


def _q(x: Fraction) -> sympy.Rational:
    return sympy.Rational(x.numerator, x.denominator)


@given(rationals)
def test_fraction_sympifies_to_the_same_rational(q):
    e = sympy.sympify(q)
    assert isinstance(e, sympy.Rational) and (e.p, e.q) == (q.numerator, q.denominator)


@given(surds)
def test_surd_is_exact_in_sympy(s):
    e = sympy.sympify(s)
    assert _exact(e)
    # SymPy squares its own expression; exactgeom squares the surd: they agree exactly
    assert sympy.expand(e**2) == _q(s.squared())
    assert sympy.sign(e) == int(s.sign())


def test_the_issue_example_is_no_longer_a_float():
    e = sympy.sympify(Surd("1*sqrt(2)"))
    assert e == sympy.sqrt(2) and not isinstance(e, sympy.Float)
    assert sympy.sympify(Surd(2, 4)) == 4  # 2·√4 is rational: an Integer, not 4.0


@given(surd_sums)
def test_surdsum_is_exact_in_sympy(s):
    e = sympy.sympify(s)
    assert _exact(e)
    assert sympy.expand(e**2 - sympy.sympify(s.squared())) == 0
    assert sympy.expand(e - sympy.Add(*(sympy.sympify(t) for t in s.terms))) == 0
    if s:
        v = sympy.N(e, 50)  # SymPy's evaluation lies in exactgeom's arb enclosure
        enc = s.enclose(30)
        assert _q(enc.lo) - sympy.Rational(1, 10**45) <= v <= _q(enc.hi) + sympy.Rational(1, 10**45)


@given(st.one_of(cosines, st.builds(lambda c, d: Surd(c, d), cosines, st.sampled_from([2, 3, 5]))
                 .filter(lambda s: s.squared() <= 1)))
def test_angle_is_acos_of_the_exact_cosine(c):
    a = Angle(c)
    e = sympy.sympify(a)
    assert _exact(e)
    assert sympy.simplify(sympy.cos(e) - sympy.sympify(a.cos)) == 0
    v = sympy.N(e, 40)
    r = a.radians(30)
    assert _q(r.lo) - sympy.Rational(1, 10**35) <= v <= _q(r.hi) + sympy.Rational(1, 10**35)


@pytest.mark.parametrize("c", [Fraction(1), Fraction(1, 2), Fraction(0), Fraction(-1, 2), Fraction(-1)])
def test_special_angles_are_rational_multiples_of_pi(c):
    a = Angle(c)
    assert sympy.sympify(a) == _q(a.exact_pi_multiple()) * sympy.pi


def test_degrees_and_radians_convert_to_float():
    a = Angle.right()
    assert float(a.degrees(10)) == 90.0
    assert abs(float(a.radians(20)) - 1.5707963267948966) <= 1e-15


@given(rationals, rationals)
def test_enclosure_float_is_the_midpoint_and_mpmath_contains_it(x, y):
    lo, hi = min(x, y), max(x, y)
    e = Enclosure(lo, hi)
    f = float(e)
    mid = (lo + hi) / 2
    # the float nearest to the midpoint: no float lies strictly closer
    assert abs(Fraction(f) - mid) <= abs(Fraction(math.nextafter(f, math.inf)) - mid)
    assert abs(Fraction(f) - mid) <= abs(Fraction(math.nextafter(f, -math.inf)) - mid)
    I = e.to_mpmath()
    a, b = (_raw_fraction(r) for r in I._mpi_)
    assert a <= lo and hi <= b
    scale = max(abs(lo), abs(hi), Fraction(1, 2**200))
    assert (lo - a) <= scale / 2**100 and (b - hi) <= scale / 2**100


def _raw_fraction(raw) -> Fraction:
    """The exact value of an mpmath raw binary float ``(sign, man, exp, bc)``."""
    sign, man, exp, _ = raw
    v = Fraction(int(man)) * (Fraction(2) ** exp)
    return -v if sign else v


def test_degenerate_enclosure_converts_exactly():
    e = Enclosure(Fraction(3, 8), Fraction(3, 8))  # dyadic: exactly representable
    assert float(e) == 0.375
    I = e.to_mpmath()
    assert [_raw_fraction(r) for r in I._mpi_] == [Fraction(3, 8)] * 2


@pytest.mark.parametrize(
    "call",
    [
        lambda: to_sympy(0.5),
        lambda: to_sympy(True),
        lambda: to_sympy("sqrt(2)"),
        lambda: Enclosure(Fraction(0), Fraction(1)).to_mpmath(prec=0),
        lambda: enclosure_to_mpmath(Fraction(0), Fraction(1), prec=1.5),
    ],
    ids=["float", "bool", "str", "prec 0", "prec float"],
)
def test_invalid_inputs(call):
    with pytest.raises(InvalidInputError):
        call()
