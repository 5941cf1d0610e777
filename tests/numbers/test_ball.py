"""Tests of exactgeom.numbers.ball: certified_sign and Enclosure."""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy
from flint import arb, ctx, fmpq
from hypothesis import given
from hypothesis import strategies as st

from exactgeom.errors import BackendError, InvalidInputError, UndecidedError
from exactgeom.numbers import Enclosure, Sign, certified_sign
from exactgeom.numbers.ball import arb_to_interval, working_precision

rationals = st.fractions(max_denominator=10**6).filter(lambda q: abs(q) < 10**12)


def _q(x: Fraction) -> sympy.Rational:
    return sympy.Rational(x.numerator, x.denominator)


# -------------------------------------------------------------- certified_sign
@given(rationals, st.integers(1, 60))
def test_certified_sign_of_sqrt_differences(q: Fraction, n: int) -> None:
    # sign of √n − q, compared with the exact answer from squares
    def f(prec: int) -> arb:
        return arb(n).sqrt() - arb(fmpq(q.numerator, q.denominator))

    if q * q == n and q >= 0:
        # √n is then an integer: arb computes it exactly and the ball is exactly 0
        assert certified_sign(f, max_bits=512) == Sign.ZERO
        return
    expected = 1 if (q < 0 or q * q < n) else -1
    assert int(certified_sign(f)) == expected


def test_certified_sign_refines_precision() -> None:
    import math

    below = Fraction(math.isqrt(2 * 10**120), 10**60)  # √2 − below ≈ 1e-61
    seen: list[int] = []

    def f(prec: int) -> arb:
        seen.append(prec)
        assert ctx.prec == prec
        return arb(2).sqrt() - arb(fmpq(below.numerator, below.denominator))

    assert certified_sign(f) == Sign.POSITIVE
    assert seen[0] == 64 and seen == sorted(seen) and seen[-1] >= 256


def test_certified_sign_restores_precision() -> None:
    before = ctx.prec

    def boom(prec: int) -> arb:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        certified_sign(boom)
    assert ctx.prec == before
    with pytest.raises(UndecidedError, match="contains 0"):
        certified_sign(lambda prec: arb(3).sqrt() ** 2 - 3, max_bits=1024)
    assert ctx.prec == before
    assert certified_sign(lambda prec: arb(-1) / 3) == Sign.NEGATIVE
    assert ctx.prec == before


def test_certified_sign_exact_zero_ball() -> None:
    assert certified_sign(lambda prec: arb(5) - 5) == Sign.ZERO


def test_certified_sign_nan_is_undecided() -> None:
    with pytest.raises(UndecidedError):
        certified_sign(lambda prec: arb("nan"), max_bits=256)


@pytest.mark.parametrize(
    "kwargs",
    [{"start_bits": 1}, {"start_bits": 64, "max_bits": 32}, {"max_bits": "many"}],
)
def test_certified_sign_invalid_arguments(kwargs: dict) -> None:
    with pytest.raises(InvalidInputError):
        certified_sign(lambda prec: arb(1), **kwargs)


def test_certified_sign_rejects_non_ball() -> None:
    with pytest.raises(InvalidInputError):
        certified_sign(lambda prec: 1.0)  # type: ignore[arg-type,return-value]


# ------------------------------------------------------------------ Enclosure
@given(rationals, st.integers(1, 40), st.integers(30, 300))
def test_from_arb_contains_the_ball(q: Fraction, digits: int, prec: int) -> None:
    with working_precision(prec):
        b = arb(fmpq(q.numerator, q.denominator))
    e = Enclosure.from_arb(b, digits)
    assert e.contains(q)
    lo, hi = arb_to_interval(b)
    assert e.lo <= lo <= q <= hi <= e.hi
    # bounds have at most `digits` significant digits
    for x in (e.lo, e.hi):
        if x:
            k = 0  # floor(log10 |x|)
            while Fraction(10) ** k > abs(x):
                k -= 1
            while Fraction(10) ** (k + 1) <= abs(x):
                k += 1
            assert (x * Fraction(10) ** (digits - 1 - k)).denominator == 1
    # and they are the tightest such outward rounding: one unit in the last digit
    # more would exclude the ball (checked on the lower bound)
    if lo > 0 and e.lo > 0:
        k = 0
        while Fraction(10) ** k > e.lo:
            k -= 1
        while Fraction(10) ** (k + 1) <= e.lo:
            k += 1
        assert e.lo + Fraction(10) ** (k - digits + 1) > lo


@given(st.integers(1, 1000), st.integers(2, 50))
def test_enclosure_of_sqrt_against_sympy(n: int, digits: int) -> None:
    with working_precision(4 * digits + 20):
        b = arb(n).sqrt()
    e = Enclosure.from_arb(b, digits)
    v = sympy.sqrt(n)
    assert _q(e.lo) <= v <= _q(e.hi)
    if v.is_rational:
        return
    assert e.width <= e.mid * Fraction(4, 10 ** (digits - 1))


def test_enclosure_string_format() -> None:
    with working_precision(128):
        e = Enclosure.from_arb(arb(2).sqrt(), 21)
    assert str(e) == "[1.41421356237309504880, 1.41421356237309504881]"
    with working_precision(128):
        e = Enclosure.from_arb(-arb(2).sqrt() * 10**30, 5)
    assert str(e) == "[-1.4143E+30, -1.4142E+30]"
    assert str(Enclosure(Fraction(1, 2), Fraction(1, 2), 10)) == "[0.5, 0.5]"
    assert str(Enclosure(Fraction(1, 3), Fraction(1, 2))) == "[1/3, 0.5]"
    assert str(Enclosure(Fraction(0), Fraction(0), 7)) == "[0, 0]"


def test_enclosure_rounding_carries() -> None:
    # rounding 9.9996 up to 4 digits carries into a new decade
    e = Enclosure.from_arb(arb(fmpq(99996, 10000), fmpq(1, 10**6)), 4)
    assert e.hi == 10 and e.lo == Fraction(9999, 1000)
    assert str(e) == "[9.999, 10.00]"


def test_enclosure_accessors() -> None:
    e = Enclosure(Fraction(1), Fraction(2))
    assert e.width == 1 and e.mid == Fraction(3, 2)
    assert e.contains(1) and e.contains(2) and not e.contains(Fraction(5, 2))
    assert Fraction(3, 2) in e
    assert e == Enclosure(Fraction(1), Fraction(2), 5)  # digits not part of equality
    b = e.ball()
    assert b.contains(1) and b.contains(2)
    with pytest.raises(AttributeError):
        e.lo = Fraction(0)  # type: ignore[misc]


@pytest.mark.parametrize(
    "call, exc",
    [
        (lambda: Enclosure(Fraction(2), Fraction(1)), InvalidInputError),
        (lambda: Enclosure(1.0, 2.0), InvalidInputError),  # type: ignore[arg-type]
        (lambda: Enclosure.from_arb(arb(1), 0), InvalidInputError),
        (lambda: Enclosure.from_arb(arb("nan"), 5), BackendError),
        (lambda: Enclosure.from_arb(arb(1) / 0, 5), BackendError),
        (lambda: Enclosure.from_arb(1.5, 5), InvalidInputError),  # type: ignore[arg-type]
        (lambda: working_precision(1).__enter__(), InvalidInputError),
    ],
)
def test_invalid_inputs(call: object, exc: type[BaseException]) -> None:
    with pytest.raises(exc):
        call()  # type: ignore[operator]


def test_no_numpy_in_numbers_layer() -> None:
    import subprocess
    import sys

    code = (
        "import sys; import exactgeom.numbers; "
        "bad = [m for m in ('numpy', 'sympy') if m in sys.modules]; "
        "sys.exit(1 if bad else 0)"
    )
    import exactgeom

    root = str(__import__("pathlib").Path(exactgeom.__path__[0]).parent)  # type: ignore[attr-defined]
    r = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
