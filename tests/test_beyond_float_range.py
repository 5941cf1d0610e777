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


# ------------------------------------------------- scaling invariance at the edges
def _volumes(P):
    return sorted(c.volume() for c in P.cells)


W2 = [[[1, -1], [1, 1]], [[1, 1]]]
B2 = [[0, Fraction(-1, 2)], [0]]
SQ = [(-1, 1), (-1, 1)]
DATA = [[Fraction(i, 7), Fraction(j, 5)] for i in range(-6, 7, 3) for j in range(-4, 5, 2)]


@pytest.mark.parametrize("engine", ["vertices", "lp"])
@pytest.mark.parametrize("mode", ["full", "data"])
def test_relu_cells_invariant_under_scaling_by_10_to_the_5000(engine, mode):
    """Scaling every pre-activation by 10^5000 (weights and biases of the first layer)
    leaves the cells unchanged; scaling the input space by 10^-5000 scales every volume
    by 10^-10000. Both compared with the unscaled network."""
    big = 10**5000
    kw = {"engine": engine, "mode": mode, "data": DATA if mode == "data" else None}
    ref = relu_network(W2, B2, SQ, **kw)
    W = [[[big * x for x in r] for r in W2[0]], W2[1]]
    b = [[big * x for x in B2[0]], B2[1]]
    P = relu_network(W, b, SQ, **kw)
    assert _volumes(P) == _volumes(ref) and len(P.adjacency()) == len(ref.adjacency())
    small = [[0, Fraction(-1, 2 * big)], [0]]  # x -> x / 10^5000
    kw["data"] = [[x / big for x in p] for p in DATA] if mode == "data" else None
    Q = relu_network(W2, small, [(-Fraction(1, big), Fraction(1, big))] * 2, **kw)
    assert _volumes(Q) == [v / big**2 for v in _volumes(ref)]


def test_other_exact_number_types_give_the_same_cells():
    """int64 near overflow (products 2^124 must not wrap), numpy uint8/int8, Decimal,
    sympy and python-flint numbers: the cells of the rational network, exactly."""
    sympy = pytest.importorskip("sympy")
    from decimal import Decimal

    import flint

    ref = relu_network(W2, B2, SQ)
    s = 2**62
    P = relu_network([np.array(W2[0], dtype=np.int64) * s, np.array(W2[1], dtype=np.int64) * s],
                     [[0, -s * s // 2], np.array([0])], [(-s, s)] * 2)
    assert _volumes(P) == [v * s * s for v in _volumes(ref)] and P.check().ok
    variants = [
        ([[[Decimal(x) for x in r] for r in W2[0]], W2[1]], [[Decimal(0), Decimal("-0.5")], [0]]),
        ([[[sympy.Integer(x) for x in r] for r in W2[0]], [[flint.fmpz(1), flint.fmpq(1, 1)]]],
         [[0, sympy.Rational(-1, 2)], [flint.fmpz(0)]]),
        ([np.array(W2[0], dtype=np.int8), np.array(W2[1], dtype=np.int8)], None),
    ]
    for W, b in variants:
        assert _volumes(relu_network(W, b or B2, SQ)) == _volumes(ref)
    # uint8 weights (no negative entries): x1 + x2 >= 1/2 cut by x1 = 200/200
    U = relu_network([np.array([[200, 0], [1, 1]], dtype=np.uint8), np.array([[1, 1]], dtype=np.uint8)],
                     [np.array([0, 0], dtype=np.uint8), [Fraction(-1, 2)]], SQ)
    assert _volumes(U) == _volumes(relu_network([[[1, 0], [1, 1]], [[1, 1]]], [[0, 0], [Fraction(-1, 2)]], SQ))


def test_tiny_and_huge_boxes_have_exact_volumes():
    from exactgeom import Polytope, arrangement

    t = Fraction(1, 10**300)
    assert Polytope.box([(0, t)] * 3).volume() == t**3
    big = 10**5000
    assert Polytope.box([(-big, big), (0, t)]).volume() == 2 * big * t
    for engine in ("vertices", "lp"):
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # the float proposals of the lp engine overflow silently
            P = arrangement([[1, 0]], [t / 2], [(0, t), (0, t)], engine=engine)
        assert _volumes(P) == [t * t / 2] * 2


def test_fixture_and_outputs_of_a_net_with_a_5001_digit_bias(tmp_path):
    """A fixture stores the model it came from: a 5001-digit bias used to crash there
    (str() of the Fraction); the summary, the cdd export and the picture say what they
    can do with such numbers."""
    from exactgeom import DegenerateError
    from exactgeom.io.cddfiles import ine_to_polytope, polytope_to_ine
    from exactgeom.io.report import approx, summarise, summary_text
    from exactgeom.plot import plot_partition

    big = 10**5000
    P = relu_network(W2, [[0, -Fraction(big, 2)], [0]], [(-big, big)] * 2)
    path = tmp_path / "big_bias.json"
    write_fixture(P, path)
    assert check_fixture(path).ok
    text = summary_text(summarise(P))
    assert "smallest ~5.625e+9999" in text and "(5001-digit integer)" in text
    assert approx(Fraction(2 * big, 3)) == "6.66667e+4999"
    for c in P.cells:  # cddlib's text format at any size, read back to the same cell
        (tmp_path / "cell.ine").write_text(polytope_to_ine(c.polytope))
        assert ine_to_polytope(tmp_path / "cell.ine") == c.polytope
    with pytest.raises(DegenerateError, match="float range"):
        plot_partition(P)
    tiny = relu_network(W2, [[0, -Fraction(1, 2 * big)], [0]], [(-Fraction(1, big), Fraction(1, big))] * 2)
    with pytest.raises(DegenerateError, match="below the float resolution"):
        plot_partition(tiny)


def test_tables_and_reprs_of_10_to_the_5000_cells():
    """Float columns of the cell table are approximations: inf beyond the double range
    (float() raised OverflowError); the repr of a cell abbreviates its exact volume."""
    big = 10**5000
    P = relu_network(W2, B2, [(-big, big)] * 2)
    rows = P.table()
    assert [r["volume"] for r in rows] == [c.volume() for c in P.cells]
    assert all(r["volume_float"] == float("inf") and 0 < r["share_float"] < 1 for r in rows)
    for r in rows:
        for x, fx in zip(r["centroid"], r["centroid_float"]):
            assert fx == (float(x) if abs(x) < 10**300 else (float("inf") if x > 0 else float("-inf")))
    text = repr(P.cells[0])
    assert "digits)" in text and len(text) < 200


@pytest.mark.parametrize("k", [160, 400])
def test_certified_eigenvalues_of_matrices_beyond_the_float_range(k):
    """Entries of size 10^±k: the float eigenbasis that starts the certified route
    overflowed (UndecidedError 'Eigenvalues did not converge'); the problem is now scaled
    by a power of two first. Checked against the closed form: [[2, 1], [1, 2]] has
    eigenvalues 1 and 3, the pencil (A, c·I) has them divided by c."""
    from exactgeom.linalg.symmetric import symmetric_eigenvalue_clusters, symmetric_eigenvalues

    for s in (Fraction(1, 10**k), Fraction(10**k)):
        A = [[2 * s, s], [s, 2 * s]]
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            E = symmetric_eigenvalues(A, digits=8)
            assert E[0].contains(s) and E[1].contains(3 * s) and not E[0].contains(3 * s)
            E = symmetric_eigenvalues(A, digits=30)
            assert E[0].contains(s) and E[1].contains(3 * s)
            c = Fraction(7, 10**k)
            C = symmetric_eigenvalue_clusters(A, 12, gram=[[c, 0], [0, c]]).clusters
        assert [m for _, m in C] == [1, 1]
        assert C[0][0].contains(s / c) and C[1][0].contains(3 * s / c)


def test_spectrum_of_a_partition_scaled_by_10_to_the_minus_400():
    """Delta_0 of the facet complex (volume measure, diagonal metric) scales like t^-1 when
    the input space is scaled by t: the certified spectrum of the scaled network, scaled
    back, meets the unscaled one eigenvalue by eigenvalue."""
    from exactgeom import RiemannianComplex

    t = Fraction(1, 10**400)
    ref = RiemannianComplex.from_partition(relu_network(W2, B2, SQ)).spectrum(0, digits=6).eigenvalues
    P = relu_network(W2, [[0, -t / 2], [0]], [(-t, t)] * 2)
    got = RiemannianComplex.from_partition(P).spectrum(0, digits=6).eigenvalues
    assert len(got) == len(ref)
    for e, r in zip(got, ref):
        assert max(e.lo * t, r.lo) <= min(e.hi * t, r.hi)


def test_float_views_refuse_values_outside_the_double_range():
    """The float views of a complex on a 10^5000 or 10^-200 domain: OverflowError, a
    divide-by-zero warning or a spline of NaNs before; now the package's error naming the
    exact methods, which still work (the certified spectrum contains the float one of the
    unscaled complex, scaled by t^-1)."""
    from exactgeom import DegenerateError, RiemannianComplex

    big = 10**5000
    t = Fraction(1, 10**200)
    for P in (relu_network(W2, [[0, -Fraction(big, 2)], [0]], [(-big, big)] * 2),
              relu_network(W2, [[0, -t / 2], [0]], [(-t, t)] * 2)):
        K = RiemannianComplex.from_partition(P)
        calls = [(K.spectrum_float, (0,)), (K.hodge_laplacian_float, (0,)), (K.spline_float, ([1, 2, 3, 4], 1))]
        if P.domain.volume() > 1:  # the Laplacian's entries ~10^5000 (~10^200 for the small domain: a float)
            calls.append((np.asarray, (K.hodge_laplacian(0),)))
        for fn, args in calls:
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                with pytest.raises(DegenerateError, match=r"float view .* cannot hold the value"):
                    fn(*args)
    ref = np.sort(RiemannianComplex.from_partition(relu_network(W2, B2, SQ)).spectrum_float(0))
    got = RiemannianComplex.from_partition(relu_network(W2, [[0, -t / 2], [0]], [(-t, t)] * 2)).spectrum(0, digits=8)
    for e, f in zip(got.eigenvalues, ref):
        slack = 1e-12 * (1 + abs(f))  # the float spectrum's own rounding
        assert float(e.lo * t) - slack <= f <= float(e.hi * t) + slack
