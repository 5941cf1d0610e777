"""Robustness of the one door for numbers (issue 10, part 1): every row is an input seen
to hang, truncate or crash before, and asserts exactgeom's own error and message, or the
exact value (checked against an independent computation)."""

from __future__ import annotations

import sys
import time
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from exactgeom.errors import InvalidInputError
from exactgeom.numbers.rational import (
    MAX_DIGITS,
    FloatPolicy,
    as_dimension,
    as_rational,
    as_rational_matrix,
    as_rational_vector,
    decimal_to_int,
    format_rational,
    int_to_decimal,
    unlimited_int_str_digits,
)

torch = pytest.importorskip("torch")

# (input, policy, error type, message fragment): refused at once with the package's error
REFUSED = [
    ("1e999999999", None, InvalidInputError, "MAX_DIGITS"),
    ("1e-999999999", None, InvalidInputError, "MAX_DIGITS"),
    ("1e99999999999999999999999", None, InvalidInputError, "MAX_DIGITS"),
    (Decimal("1e-999999999"), None, InvalidInputError, "MAX_DIGITS"),
    (Decimal("1e999999999"), None, InvalidInputError, "MAX_DIGITS"),
    ("1" * (MAX_DIGITS + 1), None, InvalidInputError, "MAX_DIGITS"),
    ("1/" + "3" * (MAX_DIGITS + 1), None, InvalidInputError, "MAX_DIGITS"),
    (1 + 2j, "exact", InvalidInputError, "complex"),
    (complex(1, 0), "exact", InvalidInputError, "complex"),
    (np.complex128(1 + 0j), "exact", InvalidInputError, "complex"),
    (np.complex64(2 - 1j), "exact", InvalidInputError, "imaginary"),
    (torch.tensor(1 + 1j), "exact", InvalidInputError, "complex"),
    (True, None, InvalidInputError, "boolean"),
    (False, "exact", InvalidInputError, "boolean"),
    (np.bool_(True), None, InvalidInputError, "boolean"),
    (torch.tensor(True), None, InvalidInputError, "boolean"),
    (torch.tensor([1, 2]), None, InvalidInputError, "shape"),
    (float("nan"), "exact", InvalidInputError, "nan"),
    (np.longdouble("inf"), "exact", InvalidInputError, "inf"),
    (torch.tensor(float("nan")), "exact", InvalidInputError, "nan"),
    ("1/0", None, InvalidInputError, "denominator is 0"),
    ("", None, InvalidInputError, "not a rational number string"),
    ("e5", None, InvalidInputError, "not a rational number string"),
    ("\u0661", None, InvalidInputError, "not a rational number string"),  # Arabic-Indic one
]


@pytest.mark.parametrize("x, policy, err, msg", REFUSED, ids=lambda v: repr(v)[:30])
def test_refused_at_once(x: object, policy: object, err: type, msg: str) -> None:
    t = time.perf_counter()
    with pytest.raises(err, match=msg):
        as_rational(x, policy)  # type: ignore[arg-type]
    # no hang (a huge string must not be parsed first): a loose bound, since a loaded CI
    # machine can take a second for the first call into torch's or numpy's conversion paths
    assert time.perf_counter() - t < 20.0


@pytest.mark.parametrize(
    "arr",
    [np.array([1 + 1j, 2]), np.array([[1, 2], [3, 4j]]), np.array([True, False])],
    ids=["complex-vector", "complex-matrix", "bool-vector"],
)
def test_arrays_refused_never_truncated(arr: np.ndarray) -> None:
    conv = as_rational_matrix if arr.ndim == 2 else as_rational_vector
    with pytest.raises(InvalidInputError, match=r"complex|boolean"):
        conv(arr, "exact")


def test_integer_tensors_and_arrays_exact_without_policy() -> None:
    big = 2**62 + 1  # not a double: through float it would become 2**62
    assert float(big) == 2**62
    assert as_rational(torch.tensor(big)) == big
    assert as_rational_vector(torch.tensor([big, -big])) == (big, -big)
    assert as_rational_matrix(torch.tensor([[big], [3]], dtype=torch.int64)) == ((big,), (3,))
    assert as_rational(np.int64(-(2**63))) == -(2**63)
    assert as_rational(np.uint64(2**64 - 1)) == 2**64 - 1
    assert as_rational_vector(np.array([2**64 - 1], dtype=np.uint64)) == (2**64 - 1,)
    # float tensors still need a policy, and keep their exact binary value with one
    assert as_rational(torch.tensor(0.1, dtype=torch.float32), "exact") == Fraction(float(np.float32(0.1)))
    assert as_rational_vector(torch.tensor([0.1], dtype=torch.float64), "exact") == (Fraction(0.1),)


def test_longdouble_exact_value() -> None:
    x = np.longdouble(1) / np.longdouble(3)
    n, d = x.as_integer_ratio()
    assert as_rational(x, "exact") == Fraction(n, d)
    assert as_rational_vector(np.array([x], dtype=np.longdouble), "exact") == (Fraction(n, d),)
    if np.finfo(np.longdouble).nmant > 52:  # x86 extended precision: more than a double
        assert as_rational(x, "exact") != Fraction(float(x))


def test_float_policy_convert_checks_itself() -> None:
    for bad in (float("nan"), float("inf"), np.float64("-inf"), np.longdouble("nan")):
        with pytest.raises(InvalidInputError, match="only finite numbers"):
            FloatPolicy("exact").convert(bad)
    with pytest.raises(InvalidInputError, match="binary float"):
        FloatPolicy("exact").convert(True)
    assert FloatPolicy("limit_denominator", 10).convert(np.float32(0.1)) == Fraction(1, 10)


@pytest.mark.parametrize("n", [True, False, 2.0, "3", None, 0, -1], ids=repr)
def test_dimensions_refuse_booleans_and_non_integers(n: object) -> None:
    with pytest.raises(InvalidInputError, match="positive int"):
        as_dimension(n)


def test_polytope_dimensions_refuse_booleans() -> None:
    from exactgeom import Polytope

    with pytest.raises(InvalidInputError, match="boolean"):
        Polytope.empty(True)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="boolean"):
        Polytope.from_hrep([], [], ambient_dim=True)  # type: ignore[arg-type]
    assert Polytope.empty(np.int64(2)).ambient_dim == 2
    assert Polytope.from_hrep([], [], ambient_dim=np.int64(3)).ambient_dim == 3


# ----------------------------------------------------------- beyond 4,300 digits
@given(st.integers(min_value=-(10**6000), max_value=10**6000))
def test_big_integer_strings_round_trip(n: int) -> None:
    s = int_to_decimal(n)
    with unlimited_int_str_digits():
        assert s == str(n)  # the independent conversion
    assert decimal_to_int(s) == n
    assert as_rational(s) == n


def test_5000_digit_rationals_round_trip() -> None:
    q = Fraction(10**5000 + 1, 3**6000)
    s = format_rational(q)
    assert len(s) > 7800
    assert as_rational(s) == q
    assert as_rational("1e4999") == 10**4999
    assert as_rational(Decimal("1e-5000")) == Fraction(1, 10**5000)


def test_limit_lift_is_scoped_and_restored() -> None:
    before = sys.get_int_max_str_digits()
    with unlimited_int_str_digits():
        with unlimited_int_str_digits():
            assert sys.get_int_max_str_digits() == 0
        assert sys.get_int_max_str_digits() == 0
    assert sys.get_int_max_str_digits() == before


def test_cddlib_values_beyond_4300_digits() -> None:
    """pycddlib converts through decimal strings; the Ollivier-Ricci crash came from it."""
    from exactgeom import Polytope
    from exactgeom.polytope.backends.cdd import lp_solve

    B = Fraction(10**5000 + 7, 3)
    P = Polytope.from_hrep([[1, 0], [-1, 0], [0, 1], [0, -1]], [B, 0, 1, 0])
    assert max(v[0] for v in P.vertices) == B
    r = lp_solve([1, 1], [[1, 0], [-1, 0], [0, 1], [0, -1]], [B, 0, 1, 0])
    assert r.status == "optimal" and r.value == B + 1
    assert Polytope.from_vrep([[0], [B]]).facets  # v_to_h too


def test_longdouble_beyond_the_double_range_is_finite_and_exact() -> None:
    """A finite np.longdouble above the double range is converted exactly, not refused as inf."""
    if np.finfo(np.longdouble).max <= np.finfo(np.float64).max:
        pytest.skip("np.longdouble is a double on this platform")
    x = np.longdouble(2) ** 2000  # finite as a long double, inf as a double
    assert as_rational(x, "exact") == Fraction(2**2000)
    for bad in (np.longdouble("nan"), -np.longdouble("inf")):
        with pytest.raises(InvalidInputError, match="only finite"):
            as_rational(bad, "exact")


# ----------------------------------------------------- other number types at the door
def test_zero_dimensional_arrays_are_their_scalar() -> None:
    """``np.array(5)`` (e.g. ``arr.sum(keepdims=...)[()]`` forgotten) is the number 5, by the
    same rules as its scalar: integers exact, floats only by a policy."""
    assert as_rational(np.array(5)) == 5
    assert as_rational(np.array(Fraction(1, 3), dtype=object)) == Fraction(1, 3)
    assert as_rational(np.array(2**62 + 1, dtype=np.int64)) == 2**62 + 1
    assert as_rational(np.array(0.1), "exact") == Fraction(0.1)
    x = np.longdouble(1) / np.longdouble(3)
    assert as_rational(np.array(x), "exact") == as_rational(x, "exact")
    with pytest.raises(InvalidInputError, match="float"):
        as_rational(np.array(0.5))
    with pytest.raises(InvalidInputError, match="boolean"):
        as_rational(np.array(True))


def test_arbitrary_precision_binary_floats_by_the_policy() -> None:
    """sympy.Float and mpmath.mpf are binary floats (mpmath's ``_mpf_``): refused without a
    policy, and converted to their exact value (checked against sympy.Rational) with one."""
    sympy = pytest.importorskip("sympy")
    mpmath = pytest.importorskip("mpmath")
    x = sympy.Float("0.1", 60)  # 60 decimal digits: more precise than any double
    with pytest.raises(InvalidInputError, match="policy"):
        as_rational(x)
    q = sympy.Rational(x)
    assert as_rational(x, "exact") == Fraction(int(q.p), int(q.q))
    assert as_rational(x, "exact") != Fraction(0.1)
    assert as_rational(x, "limit_denominator(1000)") == Fraction(1, 10)
    assert as_rational(mpmath.mpf(-0.75), "exact") == Fraction(-3, 4)
    assert as_rational(sympy.Float(-0.0), "exact") == 0
    assert as_rational(mpmath.mpf(2) ** 3000, "exact") == 2**3000  # beyond the double range
    for bad in (mpmath.mpf("inf"), -mpmath.mpf("inf"), mpmath.mpf("nan")):
        with pytest.raises(InvalidInputError, match="only finite"):
            as_rational(bad, "exact")
    # exact sympy numbers stay exact; irrational ones are refused
    assert as_rational(sympy.Integer(10**5000)) == 10**5000
    assert as_rational(sympy.Rational(-2, 6)) == Fraction(-1, 3)
    for irrational in (sympy.sqrt(2), sympy.pi):
        with pytest.raises(InvalidInputError, match="not a number exactgeom can read"):
            as_rational(irrational, "exact")


def test_unknown_policy_refused_even_without_floats() -> None:
    """A typo in the policy is reported at once, not when the first float arrives."""
    for call in (
        lambda: as_rational(1, "limit_denominator(1000"),
        lambda: as_rational_vector([1, 2], "round"),
        lambda: as_rational_matrix([[1]], ("limit_denominator", 0)),
        lambda: as_rational_matrix([[1]], ["exact"]),
    ):
        with pytest.raises(InvalidInputError, match=r"policy|limit_denominator"):
            call()
    assert as_rational_vector([1, "1/2"], "exact") == (1, Fraction(1, 2))


def test_short_str_never_fails_and_stays_short() -> None:
    from exactgeom.numbers.rational import short_str

    big = 10**5000 + 7
    t = short_str(Fraction(-big, 3))
    assert t == "-1000000000...0000000007 (5001 digits)/3"
    assert short_str((Fraction(1, 2), -3)) == "(1/2, -3)"
    assert short_str([big] * 20).endswith(", ...]") and len(short_str([big] * 20)) < 400
    assert short_str(Fraction(12345, 7)) == str(Fraction(12345, 7))  # short values exactly as str()
    assert short_str("x" * 500).endswith("...") and len(short_str("x" * 500)) < 100
