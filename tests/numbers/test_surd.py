"""Tests of exactgeom.numbers.surd: Surd, SurdSum, squarefree_decompose."""

from __future__ import annotations

import math
import pickle
from fractions import Fraction

import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from exactgeom.errors import (
    DegenerateError,
    InexactInputError,
    InvalidInputError,
    UndecidedError,
)
from exactgeom.numbers import Sign, Surd, SurdSum, squarefree_decompose

# ----------------------------------------------------------------- strategies
rationals = st.builds(Fraction, st.integers(-12, 12), st.integers(1, 9))
nonzero_rationals = rationals.filter(bool)
radicands = st.integers(1, 50)
surds = st.builds(Surd, rationals, radicands)
nonzero_surds = st.builds(Surd, nonzero_rationals, radicands)
surd_sums = st.lists(surds, max_size=4).map(SurdSum)
numbers_ = st.one_of(rationals, surds, surd_sums)


def sym(x: object) -> sympy.Expr:
    """The same value as a sympy expression (independent of our canonical form)."""
    if isinstance(x, Fraction):
        return sympy.Rational(x.numerator, x.denominator)
    if isinstance(x, int):
        return sympy.Integer(x)
    if isinstance(x, Surd):
        return sympy.Rational(x.coeff.numerator, x.coeff.denominator) * sympy.sqrt(x.radicand)
    if isinstance(x, SurdSum):
        return sympy.Add(*(sym(t) for t in x.terms))
    raise TypeError(type(x))


def sym_sign(e: sympy.Expr) -> int:
    """Sign by sympy: exact zero by expansion (rational combinations of square roots
    of integers auto-simplify to a canonical sum), otherwise from a 50-digit
    evaluation (sympy's evalf controls the relative error through cancellation)."""
    e = sympy.expand(e)
    if e == 0:
        return 0
    v = sympy.N(e, 50)
    assert v != 0, f"sympy could not evaluate {e}"
    return 1 if v > 0 else -1


# ------------------------------------------------------- squarefree_decompose
def _is_squarefree(d: int) -> bool:
    return all(e == 1 for e in sympy.factorint(d).values())


@given(st.integers(0, 10**9 - 1))
def test_squarefree_decompose_small(n: int) -> None:
    s, d = squarefree_decompose(n)
    assert s * s * d == n
    assert d >= 1
    assert _is_squarefree(d)
    assert (d == 1) == (math.isqrt(n) ** 2 == n)


@given(st.integers(1, 10**6), st.integers(1, 10**6))
def test_squarefree_decompose_square_times(a: int, b: int) -> None:
    s, d = squarefree_decompose(a * a * b)
    s2, d2 = squarefree_decompose(b)
    assert (s, d) == (a * s2, d2)


@pytest.mark.parametrize(
    "n, expected",
    [
        ((10**9 + 7) ** 2 * 3, (10**9 + 7, 3)),
        ((10**9 + 7) ** 2, (10**9 + 7, 1)),
        ((10**9 + 7) * (10**9 + 9), (1, (10**9 + 7) * (10**9 + 9))),
        (2**100 * 3**3, (2**50 * 3, 3)),
        (72, (6, 2)),
        (1, (1, 1)),
        (0, (0, 1)),
    ],
)
def test_squarefree_decompose_table(n: int, expected: tuple[int, int]) -> None:
    assert squarefree_decompose(n) == expected


def test_squarefree_decompose_policy_on_big_cofactors() -> None:
    p, q = sympy.nextprime(10**5), sympy.nextprime(2 * 10**5)
    # cofactor below 10**18: factored completely
    assert squarefree_decompose(p * p * q * 12) == (2 * p, 3 * q)
    # cofactor above 10**18 that is a square: absorbed
    big = sympy.nextprime(10**12)
    assert squarefree_decompose(big**2 * 5) == (big, 5)
    # cofactor above 10**18 hiding a square: left as it is (documented policy)
    big2 = sympy.nextprime(10**13)
    assert squarefree_decompose(big**2 * big2) == (1, big**2 * big2)


@given(st.lists(st.tuples(st.sampled_from([2, 3, 5, 7, 97, 16363, 16369, 16381]), st.integers(1, 5)), max_size=6),
       st.integers(1, 10**12))
def test_squarefree_decompose_many_trial_primes(powers: list[tuple[int, int]], cofactor: int) -> None:
    # trial primes (up to TRIAL_BOUND = 2^14) found by one gcd; the result is the exact
    # factorisation's (the cofactor is below 10**18, so it is factored completely)
    n = cofactor * math.prod(p**e for p, e in powers)
    s, d = squarefree_decompose(n)
    f = sympy.factorint(n)
    assert (s, d) == (math.prod(p ** (e // 2) for p, e in f.items()), math.prod(p for p, e in f.items() if e % 2))


@pytest.mark.parametrize("bad", [-1, 2.0, "4", True, None])
def test_squarefree_decompose_invalid(bad: object) -> None:
    with pytest.raises(InvalidInputError):
        squarefree_decompose(bad)  # type: ignore[arg-type]


# ------------------------------------------------------------ canonical form
@given(rationals, st.integers(0, 2000))
def test_surd_canonical(c: Fraction, n: int) -> None:
    x = Surd(c, n)
    assert isinstance(x.coeff, Fraction) and isinstance(x.radicand, int)
    assert x.radicand >= 1
    if c == 0 or n == 0:
        assert (x.coeff, x.radicand) == (0, 1)
    else:
        assert _is_squarefree(x.radicand)
        assert x.squared() == c * c * n
        assert x.sign() == Sign((c > 0) - (c < 0))
    assert sympy.simplify(sym(x) - sym(c) * sympy.sqrt(n)) == 0


@given(rationals, st.builds(Fraction, st.integers(0, 40), st.integers(1, 40)))
def test_surd_rational_radicand(c: Fraction, r: Fraction) -> None:
    x = Surd(c, r)
    assert x.squared() == c * c * r
    assert x.sign() == Sign((c > 0) - (c < 0)) or r == 0


def test_rational_surd_equals_and_hashes_like_fraction() -> None:
    assert Surd("3/2") == Fraction(3, 2)
    assert hash(Surd("3/2")) == hash(Fraction(3, 2))
    assert Surd(2, 9) == 6 and hash(Surd(2, 9)) == hash(6)
    assert Surd(1, 2) != Fraction(1) and Surd(1, 2) != Surd(1, 3)
    assert {Surd(1, 8): "a"}[Surd(2, 2)] == "a"
    assert hash(SurdSum([Surd(3, 4)])) == hash(6) and SurdSum([Surd(3, 4)]) == 6
    assert hash(SurdSum([Surd(1, 2)])) == hash(Surd(1, 2))
    assert SurdSum([]) == 0 and hash(SurdSum([])) == hash(0)
    assert Surd(1, 2) != 1.4142135623730951  # floats never compare equal


def test_immutable_and_picklable() -> None:
    x = Surd(3, 5)
    with pytest.raises(AttributeError):
        x._coeff = Fraction(1)  # type: ignore[misc]
    with pytest.raises(AttributeError):
        x.foo = 1  # type: ignore[attr-defined]
    s = x + 1
    with pytest.raises(AttributeError):
        s._terms = ()  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(x)) == x
    assert pickle.loads(pickle.dumps(s)) == s


# -------------------------------------------------------------- field axioms
@given(numbers_, numbers_, numbers_)
def test_ring_axioms(a: object, b: object, c: object) -> None:
    assert a + b == b + a
    assert a * b == b * a
    assert (a + b) + c == a + (b + c)
    assert (a * b) * c == a * (b * c)
    assert a * (b + c) == a * b + a * c
    assert a - a == 0
    assert a + 0 == a and a * 1 == a and a * 0 == 0
    assert -(-a) == a  # noqa: B002 - double negation, on purpose
    assert a - b == -(b - a)


@given(st.one_of(rationals, surds, surd_sums), nonzero_surds)
def test_division_inverts_multiplication(a: object, b: Surd) -> None:
    assert a * b / b == a
    assert (a / b) * b == a
    assert b * (1 / b) == 1
    assert isinstance(1 / b, Surd)


@given(surds, nonzero_surds)
def test_surd_products_are_surds(a: Surd, b: Surd) -> None:
    assert isinstance(a * b, Surd) and isinstance(a / b, Surd)
    assert (a * b).squared() == a.squared() * b.squared()
    assert (a * b).sign() == a.sign() * b.sign()
    assert abs(a).sign() >= 0 and abs(a).squared() == a.squared()
    assert a**2 == a.squared() and b**-1 == 1 / b


@given(surds, surds)
def test_surd_sum_agrees_with_sympy(a: Surd, b: Surd) -> None:
    s = a + b
    assert sympy.expand(sym(s) - sym(a) - sym(b)) == 0
    if a.radicand == b.radicand or a == 0 or b == 0:
        assert isinstance(s, Surd)


@given(surd_sums, surd_sums)
def test_surdsum_product_agrees_with_sympy(a: SurdSum, b: SurdSum) -> None:
    assert sympy.expand(sym(a * b) - sym(a) * sym(b)) == 0
    assert sympy.expand(sym(a.squared()) - sym(a) ** 2) == 0


@given(surd_sums)
def test_surdsum_canonical(s: SurdSum) -> None:
    rads = [t.radicand for t in s.terms]
    assert rads == sorted(rads) and len(set(rads)) == len(rads)
    assert all(t.coeff != 0 for t in s.terms)
    for i, a in enumerate(rads):
        for b in rads[i + 1 :]:
            assert math.isqrt(a * b) ** 2 != a * b
    assert (len(s.terms) == 0) == (sympy.expand(sym(s)) == 0)
    assert s.is_rational == (len(s.terms) == 0 or rads == [1])
    simp = s.simplify()
    assert simp == s
    assert isinstance(simp, Surd) == (len(s.terms) <= 1)


# ----------------------------------------------------------- signs and order
@given(surd_sums)
def test_sign_agrees_with_high_precision(s: SurdSum) -> None:
    assert int(s.sign()) == sym_sign(sym(s))


@given(st.lists(st.builds(Surd, st.integers(-30, 30), st.integers(1, 50)), min_size=3, max_size=6))
def test_sign_of_nearly_cancelling_sums(ts: list[Surd]) -> None:
    s = SurdSum(ts)
    assert int(s.sign()) == sym_sign(sym(s))


def test_sign_needs_high_precision() -> None:
    # x - q with q a 60-digit rational approximation of x: |x - q| ~ 1e-57·x, far below
    # what a 64-bit ball resolves, so the sign is found only after refinement
    x = (Surd(1, 2) + Surd(1, 3) + Surd(1, 5)) ** 4
    assert len(x.terms) >= 3
    q = x.enclose(60).mid
    y = x - q
    assert y.ball(64).contains(0)
    assert int(y.sign()) == sym_sign(sym(y))
    for delta in (Fraction(1, 10**70), Fraction(-1, 10**70)):
        z = y + delta
        assert int(z.sign()) == sym_sign(sym(z))


@given(numbers_, numbers_)
def test_comparisons_agree_with_sympy(a: object, b: object) -> None:
    ea, eb = sym(a), sym(b)
    d = sym_sign(ea - eb)
    assert (a < b) == (d < 0)
    assert (a <= b) == (d <= 0)
    assert (a > b) == (d > 0)
    assert (a >= b) == (d >= 0)
    assert (a == b) == (d == 0)
    if d == 0:
        assert hash(a) == hash(b)
    if d != 0:
        assert bool(sympy.StrictLessThan(ea, eb)) == (d < 0)


@given(surds, surds)
def test_surd_order_is_by_signed_square(a: Surd, b: Surd) -> None:
    assert (a < b) == (a.signed_square() < b.signed_square())
    assert (a == b) == (a.signed_square() == b.signed_square())


def test_order_examples() -> None:
    assert Surd(1, 2) + Surd(1, 3) < Surd(1, 10)
    assert Surd(1, 2) + Surd(1, 3) > Surd(1, 9)
    assert Surd(-1, 2) < -1 < Surd(1, 2) < Fraction(3, 2)
    assert sorted([Surd(1, 3), 1, Surd(-2, 2), Fraction(1, 2)]) == [Surd(-2, 2), Fraction(1, 2), 1, Surd(1, 3)]
    assert Fraction(3, 2) > Surd(1, 2)  # reflected from Fraction
    assert 2 > Surd(1, 3)


# ---------------------------------------- radicands that are not squarefree
def test_merging_non_squarefree_radicands() -> None:
    twelve = Surd._make(Fraction(1), 12)  # √12 kept unreduced (trusting constructor)
    three = Surd(1, 3)
    assert twelve == Surd(2, 3) and hash(twelve) == hash(Surd(2, 3))
    s = twelve + three
    assert isinstance(s, Surd) and s == Surd(3, 3) and s.radicand == 3
    assert twelve - Surd(2, 3) == 0
    assert twelve * three == 6 and (twelve * three).is_rational
    assert twelve * Surd._make(Fraction(1), 27) == 18
    assert SurdSum([twelve, three, 1]).terms == (Surd(1), Surd(3, 3))
    assert twelve / three == 2
    assert twelve > Surd(3, 1) and twelve < Surd(4, 1)


def test_big_cofactor_with_hidden_square() -> None:
    p, q = sympy.nextprime(10**12), sympy.nextprime(10**13)
    hidden = Surd(1, p * p * q)  # radicand kept as p²q by policy
    assert hidden.radicand == p * p * q
    plain = Surd(p, q)
    assert hidden == plain and hash(hidden) == hash(plain)
    assert hidden - plain == 0
    assert hidden * Surd(1, q) == p * q
    s = SurdSum([hidden, Surd(1, q), Surd(1, 2)])
    assert len(s.terms) == 2 and s == Surd(1, 2) + Surd(p + 1, q)
    assert hash(s) == hash(Surd(1, 2) + Surd(p + 1, q))
    assert (hidden + 1) * (hidden - 1) == p * p * q - 1


# -------------------------------------------------------- strings and parse
@given(surds)
def test_surd_str_round_trip(x: Surd) -> None:
    s = str(x)
    assert Surd.parse(s) == x
    assert str(Surd.parse(s)) == s
    assert eval(repr(x), {"Surd": Surd}) == x
    if x.is_rational:
        assert s == str(x.coeff)
    else:
        assert s == f"{x.coeff}*sqrt({x.radicand})"


@given(surd_sums)
def test_surdsum_str_round_trip(x: SurdSum) -> None:
    s = str(x)
    assert SurdSum.parse(s) == x and str(SurdSum.parse(s)) == s
    assert eval(repr(x), {"SurdSum": SurdSum}) == x


@pytest.mark.parametrize(
    "text, value",
    [
        ("3/2*sqrt(5)", Surd(Fraction(3, 2), 5)),
        ("-1*sqrt(2)", Surd(-1, 2)),
        ("sqrt(2)", Surd(1, 2)),
        ("-sqrt(2)/3", Surd(Fraction(-1, 3), 2)),
        (" + 2 * sqrt( 8 ) / 4 ", Surd(1, 2)),
        ("sqrt(1/2)", Surd(Fraction(1, 2), 2)),
        ("-7/2", Fraction(-7, 2)),
        ("0", 0),
        ("sqrt(0)", 0),
    ],
)
def test_surd_parse_grammar(text: str, value: object) -> None:
    assert Surd.parse(text) == value


def test_surd_str_examples() -> None:
    assert str(Surd(Fraction(3, 2), 5)) == "3/2*sqrt(5)"
    assert str(Surd(-1, 2)) == "-1*sqrt(2)"
    assert str(Surd(6, 4)) == "12"
    assert repr(Surd(Fraction(3, 2), 5)) == "Surd('3/2*sqrt(5)')"
    assert str(SurdSum([Surd(-1, 2), 1, Surd(Fraction(1, 2), 3)])) == "1 - 1*sqrt(2) + 1/2*sqrt(3)"
    assert str(SurdSum([])) == "0"
    assert str(SurdSum([Surd(-1, 2)])) == "-1*sqrt(2)"
    assert SurdSum.parse("1 + -1*sqrt(2)") == 1 - Surd(1, 2)


@pytest.mark.parametrize(
    "text",
    ["", "sqrt", "sqrt()", "sqrt(-2)", "2*", "1.5*sqrt(2)", "sqrt(2)*3", "1/0", "sqrt(2)/0",
     "1 + sqrt(2)", "abc", "--1", "sqrt(2", "2 sqrt(2)", "sqrt(1/0)"],
)
def test_surd_parse_rejects_garbage(text: str) -> None:
    with pytest.raises(InvalidInputError):
        Surd.parse(text)


@pytest.mark.parametrize("text", ["", "1 +", "+ + 1", "1 2", "sqrt(2) sqrt(3)", "1 * 2", "x"])
def test_surdsum_parse_rejects_garbage(text: str) -> None:
    with pytest.raises(InvalidInputError):
        SurdSum.parse(text)


# ---------------------------------------------------------------- enclosures
@given(surd_sums, st.integers(5, 40))
def test_enclosure_contains_value(s: SurdSum, digits: int) -> None:
    e = s.enclose(digits)
    v = sympy.N(sym(s), 80)
    lo = sympy.Rational(e.lo.numerator, e.lo.denominator)
    hi = sympy.Rational(e.hi.numerator, e.hi.denominator)
    assert lo <= v <= hi
    assert e.contains(s)
    if s:
        # `digits` significant digits: relative width at most ~ 2·10^(1-digits)
        assert e.width <= abs(e.mid) * Fraction(4, 10 ** (digits - 1))
    else:
        assert e.width == 0


@given(surds)
def test_surd_enclosure_and_float(x: Surd) -> None:
    e = x.enclose(25)
    assert e.contains(x)
    assert float(x) == pytest.approx(float(sympy.N(sym(x), 30)), rel=1e-15, abs=0)
    b = x.ball(100)
    assert b.contains(x.ball(300))


# --------------------------------------------------------------- invalid input
@pytest.mark.parametrize(
    "call, exc",
    [
        (lambda: Surd.sqrt(-1), InvalidInputError),
        (lambda: Surd(1, -3), InvalidInputError),
        (lambda: Surd(0.5, 2), InexactInputError),
        (lambda: Surd(1, 2.0), InexactInputError),
        (lambda: Surd(float("nan")), InvalidInputError),
        (lambda: Surd("sqrt(2)", 3), InvalidInputError),
        (lambda: Surd("sqrt(x)"), InvalidInputError),
        (lambda: Surd("1/2 apples"), InvalidInputError),
        (lambda: Surd(1, 2) + 0.5, InexactInputError),
        (lambda: 0.5 * Surd(1, 2), InexactInputError),
        (lambda: Surd(1, 2) < 1.5, InexactInputError),
        (lambda: SurdSum([Surd(1, 2), 0.25]), InexactInputError),
        (lambda: SurdSum("1 + sqrt(2) +"), InvalidInputError),
        (lambda: SurdSum(["1/2"]), InvalidInputError),
        (lambda: Surd(1, 2) / 0, ZeroDivisionError),
        (lambda: Surd(1, 2) / Surd(0), ZeroDivisionError),
        (lambda: 1 / Surd(0), ZeroDivisionError),
        (lambda: SurdSum([1, Surd(1, 2)]) / SurdSum([]), ZeroDivisionError),
        (lambda: 1 / SurdSum([1, Surd(1, 2)]), TypeError),
        (lambda: Surd(1, 2).to_fraction(), DegenerateError),
        (lambda: SurdSum([1, Surd(1, 2)]).to_fraction(), DegenerateError),
        (lambda: Surd(1, 2) + "1", TypeError),
    ],
)
def test_invalid_inputs(call: object, exc: type[BaseException]) -> None:
    with pytest.raises(exc):
        call()  # type: ignore[operator]


def test_inexact_is_a_type_error_and_value_error() -> None:
    with pytest.raises(TypeError):
        Surd(0.1)
    with pytest.raises(ValueError):
        Surd(0.1)


def test_interop_with_other_rational_types() -> None:
    import gmpy2
    from flint import fmpq

    assert Surd(fmpq(1, 2), 8) == Surd(1, 2)
    assert Surd(1, 2) * gmpy2.mpq(1, 2) == Surd(Fraction(1, 2), 2)
    assert Surd(sympy.Rational(3, 4), sympy.Integer(12)) == Surd(Fraction(3, 2), 3)
    assert Surd(1, 2) + fmpq(1, 3) == SurdSum([Fraction(1, 3), Surd(1, 2)])


def test_surdsum_division_and_simplify() -> None:
    s = SurdSum([1, Surd(1, 2)])
    assert s / 2 == SurdSum([Fraction(1, 2), Surd(Fraction(1, 2), 2)])
    assert s / Surd(1, 2) == SurdSum([1, Surd(Fraction(1, 2), 2)])
    assert s / SurdSum([Surd(1, 2)]) == s / Surd(1, 2)
    assert isinstance((s - s).simplify(), Surd) and (s - s).simplify() == 0
    assert (s - 1).simplify() == Surd(1, 2)
    assert s.squared() == SurdSum([3, Surd(2, 2)])
    assert SurdSum([Surd(1, 3)]).squared().is_rational
    assert abs(-s) == s and abs(s - 3) == 3 - s


def test_certified_sign_cap_is_reported() -> None:
    # the sign of a nonzero SurdSum always terminates: the cap is only a safeguard
    s = SurdSum([Surd(1, 2), Surd(1, 3), Surd(-1, 5)])
    assert s.sign() == Sign.POSITIVE
    assert issubclass(UndecidedError, ArithmeticError)
