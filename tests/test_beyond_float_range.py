"""Numbers far beyond the float range and beyond Python's 4,300-digit int/str limit, end to
end: exact values print and parse at any size, a fixture of a 10^5000-sized domain is
written and checked, and angle sums whose cosines lie within 2^-300 of ±1 are decided (the
64-bit ball of such a cosine reaches ±1, where arccos has no finite enclosure)."""

from __future__ import annotations

import warnings
from fractions import Fraction

import numpy as np
import pytest

from exactgeom import Surd, SurdSum, check_fixture, load_fixture, relu_network, write_fixture
from exactgeom.analysis.rotation import AngleSum
from exactgeom.numbers import Angle
from exactgeom.numbers.ball import Enclosure
from exactgeom.numbers.rational import decimal_to_int

BIG = 10**5000 + 1  # 5001 digits: str(BIG) raises ValueError in Python >= 3.11


def test_surd_text_round_trips_beyond_the_digit_limit():
    s = Surd(Fraction(BIG, 3), 2 * BIG + 1)
    text = str(s)
    assert len(text) > 2 * 5000 and text.endswith(")")
    assert Surd.parse(text) == s and Surd(text) == s
    t = SurdSum([s, Surd(Fraction(1, BIG), 3), Fraction(BIG, 7)])
    assert SurdSum.parse(str(t)) == t
    assert eval(repr(t), {"SurdSum": SurdSum}) == t  # the repr is the constructor call


def _read(text: str) -> Fraction:
    """A decimal 'a.b' or a fraction 'p/q' of any length (Fraction(str) stops at 4,300
    digits)."""
    sign = -1 if text.startswith("-") else 1
    body = text.lstrip("-")
    if "/" in body:
        p, q = body.split("/")
        return sign * Fraction(decimal_to_int(p), decimal_to_int(q))
    whole, _, frac = body.partition(".")
    return sign * Fraction(decimal_to_int(whole + frac), 10 ** len(frac))


def test_exact_enclosure_prints_every_digit():
    """An exact point prints in its shortest exact form — all 5001 digits, not the 28
    significant digits of decimal's default context."""
    text = str(Enclosure(Fraction(BIG), Fraction(BIG)))
    digits = text[1 : text.index(",")]
    assert len(digits) == 5001 and digits[0] == "1" and digits[-1] == "1" and set(digits[1:-1]) == {"0"}
    for q in (Fraction(-BIG, 10**3), Fraction(1, 3 * BIG), Fraction(BIG, 2**40)):
        text = str(Enclosure(q, q))
        lo, hi = text[1:-1].split(", ")
        assert lo == hi and _read(lo) == q


def test_fixture_of_a_domain_of_size_10_to_the_5000(tmp_path):
    big = 10**5000
    P = relu_network([[[1, 1], [1, -1]], [[1, 1]]], [[0, 1], [0]], [(-big, big), (-big, big)])
    assert P.n_cells == 4 and sum(P.volumes()) == (2 * big) ** 2
    path = tmp_path / "big.json"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no numpy overflow warning may leak out
        write_fixture(P, path)
        assert check_fixture(path).ok
    F = load_fixture(path)
    assert F is not None


def test_fixture_of_a_net_with_extreme_float_weights(tmp_path):
    """Weights 1e308 and 5e-324 (the largest and the smallest positive double), read
    exactly: normals almost parallel to the axes, dihedral cosines within 2^-2000 of 0."""
    W = [np.array([[1e308, 5e-324], [-1.0, 3e-300]]), np.array([[1.0, -1.0]])]
    b = [np.array([0.0, 1e-310]), np.array([0.0])]
    P = relu_network(W, b, [(-1, 1), (-1, 1)], policy="exact")
    assert sum(P.volumes()) == 4 and P.check().ok
    path = tmp_path / "extreme.json"
    write_fixture(P, path)
    assert check_fixture(path).ok


@pytest.mark.parametrize("k", [300, 1000])
def test_angle_sums_with_cosines_next_to_one_are_decided(k):
    c = 1 - Fraction(1, 2**k)  # arccos c ≈ 2^(-(k-1)/2), invisible to a 64-bit ball
    full = AngleSum([Angle(c), Angle(-c), Angle(c), Angle(-c)])  # (θ) + (π − θ), twice: 2π
    assert full.is_multiple_of_2pi() and full.winding() == 1 and full.pi_multiple() == 2
    short = AngleSum([Angle(c), Angle(-c), Angle(c)])  # π + θ, θ > 0: not a multiple of π
    assert not short.is_multiple_of_2pi() and short.winding() == 0 and short.pi_multiple() is None
