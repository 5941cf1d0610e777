"""Tests of exactgeom.numbers.rational: exact input and the float policies."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import gmpy2
import numpy as np
import pytest
import sympy
from flint import fmpq, fmpz
from hypothesis import given
from hypothesis import strategies as st

from exactgeom.errors import InexactInputError, InvalidInputError
from exactgeom.numbers import (
    FloatPolicy,
    as_rational,
    as_rational_matrix,
    as_rational_vector,
    format_rational,
)

fractions_ = st.fractions()


@pytest.mark.parametrize(
    "x, expected",
    [
        (3, Fraction(3)),
        (-7, Fraction(-7)),
        (Fraction(-3, 7), Fraction(-3, 7)),
        ("-3/7", Fraction(-3, 7)),
        (" 2 / 6 ", Fraction(1, 3)),
        ("0.25", Fraction(1, 4)),
        ("1e-3", Fraction(1, 1000)),
        ("-.5", Fraction(-1, 2)),
        (Decimal("0.1"), Fraction(1, 10)),
        (Decimal("-12.5e3"), Fraction(-12500)),
        (np.int64(-5), Fraction(-5)),
        (np.int32(7), Fraction(7)),
        (np.uint8(200), Fraction(200)),
        (fmpq(3, 4), Fraction(3, 4)),
        (fmpz(10**30), Fraction(10**30)),
        (sympy.Rational(-5, 6), Fraction(-5, 6)),
        (sympy.Integer(9), Fraction(9)),
        (gmpy2.mpq(7, 9), Fraction(7, 9)),
        (gmpy2.mpz(12), Fraction(12)),
        (10**40 + 1, Fraction(10**40 + 1)),
    ],
)
def test_exact_conversions(x: object, expected: Fraction) -> None:
    q = as_rational(x)
    assert isinstance(q, Fraction)
    assert q == expected


@given(fractions_)
def test_string_round_trip(q: Fraction) -> None:
    assert as_rational(str(q)) == q
    assert as_rational(format_rational(q)) == q
    assert as_rational(fmpq(q.numerator, q.denominator)) == q
    assert as_rational(gmpy2.mpq(q.numerator, q.denominator)) == q
    assert as_rational(sympy.Rational(q.numerator, q.denominator)) == q


@given(st.decimals(allow_nan=False, allow_infinity=False))
def test_decimal_is_exact(d: Decimal) -> None:
    assert as_rational(d) == Fraction(d)
    assert as_rational(str(d)) == Fraction(d)  # scientific strings such as "1E+2" too


def test_format_rational() -> None:
    assert format_rational(Fraction(-6, 4)) == "-3/2"
    assert format_rational(Fraction(3)) == "3"
    assert format_rational(Fraction(0)) == "0"


# --------------------------------------------------------------------- floats
@pytest.mark.parametrize("x", [0.5, 0.1, -3.0, np.float64(0.25), np.float32(1.5), np.float16(2.0)])
def test_floats_refused_without_policy(x: object) -> None:
    with pytest.raises(InexactInputError, match="policy"):
        as_rational(x)
    # InexactInputError is both a TypeError and an InvalidInputError (ValueError)
    with pytest.raises(TypeError):
        as_rational(x)
    with pytest.raises(ValueError):
        as_rational(x)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_exact_policy_is_the_binary_value(x: float) -> None:
    q = as_rational(x, policy="exact")
    assert q == Fraction(x)
    assert float(q) == x
    assert as_rational(x, policy=FloatPolicy("exact")) == q
    assert as_rational(np.float64(x), policy="exact") == q


@given(st.floats(-1e6, 1e6, allow_nan=False), st.integers(1, 10**6))
def test_limit_denominator_policy(x: float, n: int) -> None:
    q = as_rational(x, policy=f"limit_denominator({n})")
    assert q.denominator <= n
    assert q == Fraction(x).limit_denominator(n)
    assert as_rational(x, policy=("limit_denominator", n)) == q
    # the closest such rational: no rational with denominator ≤ n is closer (spot check)
    exact = Fraction(x)
    for d in {1, n, max(1, n // 2)}:
        cand = Fraction(round(exact * d), d)
        assert abs(q - exact) <= abs(cand - exact)


def test_policy_examples() -> None:
    assert as_rational(0.1, policy="exact") == Fraction(3602879701896397, 36028797018963968)
    assert as_rational(0.1, policy="limit_denominator(10)") == Fraction(1, 10)
    assert as_rational(0.1, policy="limit_denominator(1000)") == Fraction(1, 10)
    assert as_rational(1 / 3, policy="limit_denominator(100)") == Fraction(1, 3)
    assert as_rational(3, policy="exact") == 3  # exact values ignore the policy


@pytest.mark.parametrize("x", [math.nan, math.inf, -math.inf, np.float64("nan"), np.float32("inf")])
@pytest.mark.parametrize("policy", [None, "exact", "limit_denominator(10)"])
def test_nan_and_inf_refused(x: object, policy: object) -> None:
    with pytest.raises(InvalidInputError):
        as_rational(x, policy=policy)  # type: ignore[arg-type]


@pytest.mark.parametrize("x", [Decimal("nan"), Decimal("inf"), Decimal("-inf")])
def test_decimal_nan_refused(x: Decimal) -> None:
    with pytest.raises(InvalidInputError):
        as_rational(x)


def test_float_policy_parse_and_str() -> None:
    assert FloatPolicy.parse("exact") == FloatPolicy("exact")
    assert FloatPolicy.parse(" limit_denominator( 7 ) ") == FloatPolicy("limit_denominator", 7)
    assert FloatPolicy.parse(("limit_denominator", 7)) == FloatPolicy("limit_denominator", 7)
    p = FloatPolicy("limit_denominator", 100)
    assert FloatPolicy.parse(p) is p
    assert str(p) == "limit_denominator(100)" and str(FloatPolicy("exact")) == "exact"
    assert FloatPolicy.parse(str(p)) == p


@pytest.mark.parametrize(
    "policy",
    ["float", "limit_denominator(0)", "limit_denominator(-3)", "limit_denominator", ("limit_denominator", 0),
     ("limit_denominator", 2.5), ("exact", 3), 5, None],
)
def test_bad_policies(policy: object) -> None:
    with pytest.raises(InvalidInputError):
        FloatPolicy.parse(policy)  # type: ignore[arg-type]
    if policy is not None:
        with pytest.raises(InvalidInputError):
            as_rational(0.5, policy=policy)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "x",
    ["", "abc", "1/0", "1/2/3", "sqrt(2)", "0x10", "1 2", None, [1], object(), complex(1, 0), b"1"],
)
def test_garbage_refused(x: object) -> None:
    with pytest.raises(InvalidInputError):
        as_rational(x)


def test_error_message_names_the_value() -> None:
    with pytest.raises(InvalidInputError, match="weight"):
        as_rational("oops", name="weight")


# ------------------------------------------------------------ vectors/matrices
def test_vectors() -> None:
    assert as_rational_vector([1, "1/2", Fraction(1, 3)]) == (Fraction(1), Fraction(1, 2), Fraction(1, 3))
    assert as_rational_vector(np.array([1, 2], dtype=np.int64)) == (1, 2)
    assert as_rational_vector([]) == ()
    assert as_rational_vector(np.array([0.5, 0.25]), policy="exact") == (Fraction(1, 2), Fraction(1, 4))
    with pytest.raises(InexactInputError):
        as_rational_vector(np.array([0.5, 0.25]))
    with pytest.raises(InvalidInputError, match="length"):
        as_rational_vector([1, 2], length=3)
    with pytest.raises(InvalidInputError):
        as_rational_vector([[1], [2]])
    with pytest.raises(InvalidInputError):
        as_rational_vector("12")
    with pytest.raises(InvalidInputError):
        as_rational_vector(5)


def test_matrices() -> None:
    m = as_rational_matrix([[1, 2], ["1/3", 0]])
    assert m == ((Fraction(1), Fraction(2)), (Fraction(1, 3), Fraction(0)))
    assert all(isinstance(x, Fraction) for r in m for x in r)
    assert as_rational_matrix(np.array([[1, 2], [3, 4]])) == ((1, 2), (3, 4))
    assert as_rational_matrix(np.array([[0.5, 1.0]]), policy="exact") == ((Fraction(1, 2), Fraction(1)),)
    with pytest.raises(InexactInputError):
        as_rational_matrix(np.array([[0.5, 1.0]]))
    assert as_rational_matrix([]) == ()
    with pytest.raises(InvalidInputError, match="no rows"):
        as_rational_matrix([], allow_empty=False)
    with pytest.raises(InvalidInputError, match="columns"):
        as_rational_matrix([[1, 2]], ncols=3)


@pytest.mark.parametrize(
    "rows",
    [[[1, 2], [3]], [[1], [2, 3]], [[1, 2], []], [[1, 2], 3], [[1, [2]]], "12", 7],
)
def test_ragged_and_malformed_matrices(rows: object) -> None:
    with pytest.raises(InvalidInputError):
        as_rational_matrix(rows)


def test_ragged_message() -> None:
    with pytest.raises(InvalidInputError, match="ragged: row 1 has 1 entries, row 0 has 2"):
        as_rational_matrix([[1, 2], [3]])


def test_inputs_not_mutated() -> None:
    rows = [[1, 2], [3, 4]]
    arr = np.array(rows)
    as_rational_matrix(rows)
    as_rational_matrix(arr)
    assert rows == [[1, 2], [3, 4]] and arr.tolist() == [[1, 2], [3, 4]]
