"""Canonical number strings and canonical JSON text (exactgeom.io.canonical)."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exactgeom import Angle, Enclosure, InvalidInputError, Surd, SurdSum
from exactgeom.io.canonical import (
    MAX_JSON_DEPTH,
    canonical_json,
    decimal_str,
    enclosure_json,
    key_from_json,
    key_to_json,
    parse_angle,
    parse_enclosure,
    parse_rational,
    parse_surd,
    parse_surdsum,
    rational_str,
    surd_str,
)

fractions = st.fractions(max_denominator=10**6).filter(lambda q: abs(q) < 10**9)


@given(fractions)
def test_rational_round_trip(q):
    s = rational_str(q)
    assert parse_rational(s) == q
    assert rational_str(parse_rational(s)) == s
    # lowest terms, explicit form
    if q.denominator == 1:
        assert "/" not in s
    else:
        p, d = s.split("/")
        assert Fraction(int(p), int(d)) == q and int(d) == q.denominator


@pytest.mark.parametrize(
    "bad",
    ["2/4", "0.5", " 1", "1 ", "+1", "-0", "01", "1/1", "1/-2", "1/0", "", "1e3", "sqrt(2)", 3, None, 1.5],
)
def test_parse_rational_is_strict(bad):
    with pytest.raises(InvalidInputError):
        parse_rational(bad)


def test_rational_str_refuses_floats_and_bools():
    for bad in (0.5, True, "1/2"):
        with pytest.raises(InvalidInputError):
            rational_str(bad)


@given(fractions, st.integers(1, 2000))
def test_surd_round_trip(q, d):
    x = Surd(q, d)
    s = surd_str(x)
    assert parse_surd(s) == x
    assert s == str(x)


_BIG = st.integers(-(10**5000), 10**5000) | st.sampled_from([10**4300 + 7, -(3**9000), 2**14000 - 1])


@given(_BIG, st.integers(1, 10**4400), st.integers(1, 10**4400))
def test_rational_surd_and_angle_strings_of_huge_numbers_are_str_with_unlimited_digits(p, q, d):
    """The writers' direct digit formatting (no Fraction copy, no limit switch per
    number) spells exactly what ``str`` spells with the digit limit lifted, at any size."""
    from exactgeom.io.canonical import angle_str
    from exactgeom.numbers.rational import unlimited_int_str_digits

    x = Fraction(p, q)
    with unlimited_int_str_digits():
        assert rational_str(x) == str(x) and rational_str(p) == str(p)
        y = Surd._make(x, d)  # any radicand: only the spelling is under test
        assert surd_str(y) == str(y)
        for c in (Surd._make(Fraction(1, 2), 3), Surd._make(Fraction(1, q + 1), 1), Surd._make(Fraction(-1, 2 * d + 2), d)):
            assert angle_str(Angle(c)) == str(Angle(c))


@pytest.mark.parametrize("bad", ["sqrt(8)", "2*sqrt(8)", "1*sqrt(1)", "sqrt(2)", "-sqrt(2)/3", "1/2 *sqrt(3)"])
def test_parse_surd_refuses_non_canonical(bad):
    with pytest.raises(InvalidInputError):
        parse_surd(bad)


def test_surdsum_and_angle_strings():
    s = Surd.sqrt(2) + Surd(Fraction(1, 2), 3) - 1
    assert parse_surdsum(str(s)) == s
    with pytest.raises(InvalidInputError):
        parse_surdsum("sqrt(2) + 1")  # not canonical (order, coefficient)
    a = Angle(Surd(Fraction(-1, 2), 2))
    assert parse_angle(str(a)) == a and str(a) == "arccos(-1/2*sqrt(2))"
    with pytest.raises(InvalidInputError):
        parse_angle("arccos(sqrt(2)/2)")
    assert isinstance(parse_surdsum("0"), SurdSum)


def _floor_log10(x: Fraction) -> int:
    e = 0
    while Fraction(10) ** e > x:
        e -= 1
    while Fraction(10) ** (e + 1) <= x:
        e += 1
    return e


@given(fractions.filter(lambda q: q != 0), st.integers(1, 30))
def test_decimal_str_rounds_outward_and_is_exact_when_possible(x, digits):
    lo_s, hi_s = decimal_str(x, digits, up=False), decimal_str(x, digits, up=True)
    lo, hi = Fraction(lo_s), Fraction(hi_s)
    assert lo <= x <= hi
    assert "e" not in lo_s + hi_s and not lo_s.endswith(".")
    unit = Fraction(10) ** (_floor_log10(abs(x)) - digits + 1)
    if (x / unit).denominator == 1:  # x has at most `digits` significant digits
        assert lo == hi == x
    else:
        assert hi - lo == unit


@pytest.mark.parametrize(
    "x, digits, up, expected",
    [
        (Fraction(90), 20, False, "90"),
        (Fraction(1, 3), 4, False, "0.3333"),
        (Fraction(1, 3), 4, True, "0.3334"),
        (Fraction(-1, 3), 4, True, "-0.3333"),
        (Fraction(-1, 3), 4, False, "-0.3334"),
        (Fraction(1, 8), 2, True, "0.13"),
        (Fraction(1, 8), 3, True, "0.125"),
        (Fraction(123456), 2, False, "120000"),
        (Fraction(123456), 2, True, "130000"),
        (Fraction(1, 10**12), 3, False, "0.000000000001"),
        (Fraction(0), 5, True, "0"),
    ],
)
def test_decimal_str_table(x, digits, up, expected):
    assert decimal_str(x, digits, up=up) == expected


def test_enclosure_round_trip():
    e = Angle(Fraction(1, 3)).degrees(15)
    j = enclosure_json(e, 15)
    back = parse_enclosure(j)
    assert back.lo <= e.lo and e.hi <= back.hi
    assert back.contains(Fraction(j[0])) and "e" not in j[0].lower()
    for bad in (["1", "0"], ["1"], [1, 2], ["1.50", "2"], ["1e3", "2e3"], "1"):
        with pytest.raises(InvalidInputError):
            parse_enclosure(bad)
    assert isinstance(back, Enclosure)


keys = st.recursive(
    st.integers(-3, 3) | st.text("ab", max_size=2),
    lambda inner: st.lists(inner, max_size=3).map(tuple),
    max_leaves=8,
)


@given(keys)
def test_key_round_trip(k):
    assert key_from_json(key_to_json(k)) == k


def test_key_errors():
    with pytest.raises(InvalidInputError):
        key_to_json(object())
    with pytest.raises(InvalidInputError):
        key_from_json({"a": 1})


def test_canonical_json_sorted_ascii_and_no_floats():
    text = canonical_json({"b": ["é"], "a": {"d": 1, "c": None}})
    assert text == '{\n "a": {\n  "c": null,\n  "d": 1\n },\n "b": [\n  "\\u00e9"\n ]\n}\n'
    text.encode("ascii")
    with pytest.raises(InvalidInputError, match=r"\$\.x\[1\]"):
        canonical_json({"x": [1, 0.5]})


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(10**60), max_value=10**60) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=30,
)


@given(_JSON)
def test_canonical_json_is_json_dumps_with_sorted_keys_and_indent_1(doc):
    # the fast writer gives exactly the bytes of the json module's indented encoder
    assert canonical_json(doc) == json.dumps(doc, sort_keys=True, indent=1, ensure_ascii=True) + "\n"


def test_canonical_json_refusals_keep_their_messages():
    with pytest.raises(InvalidInputError, match=r"float 0\.5 at \$\.a\.b\[2\]"):
        canonical_json({"a": {"b": [1, "x", 0.5]}})
    with pytest.raises(InvalidInputError, match=r"non-string key 3 at \$\.a"):
        canonical_json({"a": {3: 1}})
    with pytest.raises(InvalidInputError, match=r"float"):  # a float is named before a foreign object
        canonical_json({"a": object(), "b": 1.5})
    with pytest.raises(TypeError, match="not JSON serializable"):
        canonical_json({"a": [object()]})
    deep: list = []
    for _ in range(MAX_JSON_DEPTH + 5):
        deep = [deep]
    with pytest.raises(InvalidInputError, match="nested deeper"):
        canonical_json(deep)


def _ref_round(x: Fraction, digits: int, up: bool) -> tuple[int, int]:
    """(n, shift) with n = x·10^shift rounded, by Fraction comparisons only (reference)."""
    import math

    ax, e = abs(x), 0
    while Fraction(10) ** e > ax:
        e -= 1
    while Fraction(10) ** (e + 1) <= ax:
        e += 1
    shift = digits - 1 - e
    y = x * Fraction(10) ** shift
    return (math.ceil(y) if up else math.floor(y)), shift


_RATIONALS = st.fractions(max_denominator=10**30).filter(lambda x: x != 0) | st.builds(
    lambda m, k: Fraction(m) * Fraction(10) ** k, st.integers(-999, 999).filter(bool), st.integers(-40, 40)
)


@given(_RATIONALS, st.integers(1, 30), st.booleans())
def test_decimal_rounding_in_integers_matches_the_fraction_reference(x, digits, up):
    from exactgeom.numbers.ball import _round_sig

    n, shift = _ref_round(x, digits, up)
    assert _round_sig(x, digits, up) == Fraction(n) / Fraction(10) ** shift
    assert Fraction(decimal_str(x, digits, up=up)) == Fraction(n) / Fraction(10) ** shift


@given(
    st.integers(-(10**40), 10**40),
    st.integers(-200, 60),
    st.integers(0, 10**12),
    st.integers(-200, 60),
    st.integers(1, 40),
)
def test_ball_enclosure_strings_equal_the_fraction_route(mid, mexp, rad, rexp, digits):
    """The integer spelling of a ball's outward-rounded enclosure (used by fixtures for
    angle fields) equals Enclosure.from_arb followed by enclosure_json, on exact dyadic
    balls of any sign, width and exponent (zero radius and zero midpoint included)."""
    from flint import arb, fmpq

    from exactgeom.io.canonical import _arb_enclosure_json

    def dyadic(n: int, e: int) -> fmpq:
        return fmpq(n * 2**e) if e >= 0 else fmpq(n, 2**-e)

    from exactgeom.numbers.ball import working_precision

    with working_precision(400):  # the midpoint exactly; arb may round the radius up (still a ball)
        b = arb(dyadic(mid, mexp), dyadic(rad, rexp))
        assert b.mid() == arb(dyadic(mid, mexp))  # exact midpoint
    assert _arb_enclosure_json(b, digits) == enclosure_json(Enclosure.from_arb(b, digits), digits)


@given(st.fractions(min_value=-1, max_value=1, max_denominator=10**6), st.integers(1, 400), st.integers(1, 45))
def test_fixture_angle_fields_equal_the_angle_methods(c, radicand, digits):
    """fixtures._angle_enclosures gives exactly enclosure_json(a.radians(d), d) and
    enclosure_json(a.degrees(d), d) for angles with surd cosines (exact multiples of π
    included, through the methods themselves)."""
    from exactgeom.io.fixtures import _angle_enclosures

    s = Surd(c, radicand)
    if abs(s) > 1:
        s = Surd(c)
    a = Angle(s)
    assert _angle_enclosures(a, digits) == (enclosure_json(a.radians(digits), digits), enclosure_json(a.degrees(digits), digits))


def test_depth_limit_holds_for_strings_in_the_innermost_list():
    # a string at nesting level MAX_JSON_DEPTH is written, one level deeper it is refused
    # (also when it sits in a list of strings, which the writer spells without a call each)
    def nest(k):
        x: list = ["s", "t"]
        for _ in range(k - 1):
            x = [x]
        return x

    assert canonical_json(nest(MAX_JSON_DEPTH)).count('"s"') == 1
    with pytest.raises(InvalidInputError, match="nested deeper"):
        canonical_json(nest(MAX_JSON_DEPTH + 1))
