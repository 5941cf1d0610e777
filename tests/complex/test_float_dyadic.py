"""Exact dyadic matrix products on float BLAS (exactgeom.linalg.float_dyadic) and the
certified symmetric eigenvalue route built on them.

Independent checks: products against flint's exact integer matrices, roundings against
Python integers and Fractions, norm bounds against exact row/column sums, eigenvalue
clusters against sympy's exact eigenvalues and against the ball-arithmetic route."""

from __future__ import annotations

import math
from fractions import Fraction as F

import numpy as np
import pytest
import sympy as sp
from flint import arb_mat, ctx, fmpz_mat
from hypothesis import given, settings
from hypothesis import strategies as st

import exactgeom.linalg.symmetric as SYM
import exactgeom.linalg.symmetric_dyadic as SD
from exactgeom.errors import InvalidInputError
from exactgeom.linalg.certified import arb_matrix, sqrt_up
from exactgeom.linalg.float_dyadic import DyadicMatrix, arb_to_dyadic, digit_bits
from exactgeom.numbers import Surd


def ints(m, e=0):
    """The exact values of a DyadicMatrix as Fractions."""
    u = F(2) ** m.e
    return [[x * u for x in row] for row in m.to_ints()]


def big(bits):
    return st.integers(-(2**bits), 2**bits)


@st.composite
def int_matrix(draw, r, c, bits):
    return [[draw(st.one_of(st.just(0), big(bits))) for _ in range(c)] for _ in range(r)]


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 6), st.integers(1, 200), st.integers(1, 6), st.sampled_from([0, 3, 40, 90, 400]),
    st.integers(-60, 60), st.integers(-60, 60), st.data(),
)
def test_products_are_exact_against_flint(r, k, c, bits, ea, eb, data):
    A = data.draw(int_matrix(r, k, bits))
    B = data.draw(int_matrix(k, c, bits))
    b = digit_bits(k)
    X, Y = DyadicMatrix.from_ints(A, ea, b), DyadicMatrix.from_ints(B, eb, b)
    assert ints(X) == [[v * F(2) ** ea for v in row] for row in A]
    P = X @ Y
    exact = [[F(int(v)) * F(2) ** (ea + eb) for v in row] for row in (fmpz_mat(A) * fmpz_mat(B)).tolist()]
    assert ints(P) == exact
    assert float(np.max(np.abs(P.digits))) <= 2 ** (b - 1)  # balanced digits, so the next product is exact too
    # transpose, sum, finer grid
    assert ints(P.transpose()) == [list(col) for col in zip(*exact)]
    assert ints(P + P) == [[2 * v for v in row] for row in exact]
    assert ints(P.scaled(17)) == exact and P.scaled(17).e == P.e - 17


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 7), st.sampled_from([5, 60, 200]), st.integers(-80, 20), st.integers(1, 150), st.data())
def test_truncation_moves_each_entry_by_less_than_the_grid(n, bits, e, drop, data):
    A = data.draw(int_matrix(n, n, bits))
    X = DyadicMatrix.from_ints(A, e, digit_bits(n))
    T = X.truncated(e + drop)
    assert T.e >= e + drop or T.e == e + drop
    for row_x, row_t in zip(ints(X), ints(T)):
        for x, t in zip(row_x, row_t):
            assert abs(x - t) < F(2) ** (e + drop)
    R, moved = X.rounded(e + drop)  # the same matrix, and 0 exactly when nothing moved
    assert ints(R) == ints(T)
    exact = all(x == t for rx, rt in zip(ints(X), ints(T)) for x, t in zip(rx, rt))
    assert (moved == 0) == exact and (exact or moved == F(2) ** (e + drop))


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 7), st.integers(1, 7), st.sampled_from([1, 30, 120, 500]), st.integers(-40, 40), st.booleans(), st.data())
def test_norm_bounds_hold_and_are_tight(r, c, bits, e, off, data):
    A = data.draw(int_matrix(r, c, bits))
    X = DyadicMatrix.from_ints(A, e, digit_bits(max(r, c)))
    vals = ints(X)
    if off:
        for i in range(min(r, c)):
            vals[i][i] = F(0)
    rows = max(sum(abs(v) for v in row) for row in vals)
    cols = max(sum(abs(vals[i][j]) for i in range(r)) for j in range(c))
    rb, cb = X.abs_sum_bounds(offdiagonal=off)
    assert rows <= rb and cols <= cb
    # slack: a relative 2^-(β-1) from the two leading digits, plus one unit of the level kept per entry
    top = max((abs(v) for row in vals for v in row), default=F(0))
    slack = top * F(c + r, 2 ** (X.beta - 2)) if top else F(0)
    assert rb <= rows + slack and cb <= cols + slack
    two = X.norm2_bound(off)
    assert two * two >= rb * cb


def test_minus_identity_and_from_floats_are_exact():
    V = np.array([[0.5, -0.25], [1e-20, 0.75]])
    X = DyadicMatrix.from_floats(V, -52, 23)
    assert ints(X) == [[F(0.5), F(-0.25)], [F(0), F(0.75)]]  # 1e-20 is below the grid 2^-52
    G = X.transpose() @ X
    R = G.minus_identity()
    want = [[g - (1 if i == j else 0) for j, g in enumerate(row)] for i, row in enumerate(ints(G))]
    assert ints(R) == want
    with pytest.raises(InvalidInputError):
        DyadicMatrix.from_floats(np.array([[2.0**60]]), 0, 23)  # beyond 2^52 on that grid
    with pytest.raises(InvalidInputError):
        DyadicMatrix.from_ints([[1, 2]]) @ DyadicMatrix.from_ints([[1, 2]])  # shapes


def test_digit_bits_is_the_widest_exact_width():
    for k in [1, 2, 3, 4, 5, 100, 107, 128, 129, 1000, 4096, 10**6]:
        b = digit_bits(k)
        assert k * 2 ** (2 * b - 2) <= 2**52 < k * 2 ** (2 * b)


def test_sqrt_up_is_an_upper_bound():
    for x in [F(0), F(1, 3), F(2), F(10**40 + 1, 7), F(1, 10**30)]:
        s = sqrt_up(x)
        assert s * s >= x and (x == 0 or s * s <= x * (1 + F(1, 10**6)) + F(1, s.denominator) * 3 * s)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 6), st.integers(-30, 30), st.data())
def test_arb_rounding_error_bound_contains_the_true_matrix(n, shift, data):
    vals = [[data.draw(st.fractions(min_value=-1000, max_value=1000, max_denominator=10**9)) for _ in range(n)] for _ in range(n)]
    A = [[vals[min(i, j)][max(i, j)] * F(2) ** shift for j in range(n)] for i in range(n)]  # symmetric
    with ctx.workprec(80):
        M = arb_matrix(A)
    grid = -40 + shift
    items = [(k // n, k % n, x) for k, x in enumerate(M.entries()) if not x.is_zero()]
    D, err = arb_to_dyadic(items, n, n, grid, digit_bits(n))
    diff = [[A[i][j] - v for j, v in enumerate(row)] for i, row in enumerate(ints(D))]
    assert max(sum(abs(x) for x in row) for row in diff) <= err  # ‖·‖₂ ≤ ‖·‖∞ for symmetric


# ------------------------------------------------------------------ the eigenvalue route
def _routes(A, digits, **kw):
    """(dyadic route result, ball route result) of symmetric_eigenvalue_clusters."""
    dy = SYM.symmetric_eigenvalue_clusters(A, digits, **kw)
    old = SYM.DYADIC_MAX_BITS
    SYM.DYADIC_MAX_BITS = 0
    try:
        ball = SYM.symmetric_eigenvalue_clusters(A, digits, **kw)
    finally:
        SYM.DYADIC_MAX_BITS = old
    return dy, ball


@settings(max_examples=25, deadline=None)
@given(st.integers(2, 6), st.sampled_from([8, 20, 40]), st.data())
def test_dyadic_route_encloses_sympys_exact_eigenvalues(n, digits, data):
    q = st.fractions(min_value=-5, max_value=5, max_denominator=20)
    vals = [[data.draw(q) for _ in range(n)] for _ in range(n)]
    A = [[vals[min(i, j)][max(i, j)] for j in range(n)] for i in range(n)]
    calls = []
    real = SD.dyadic_clusters

    def spy(*a, **k):
        out = real(*a, **k)
        calls.append(out)
        return out

    SD.dyadic_clusters = spy
    try:
        got = SYM.symmetric_eigenvalue_clusters(A, digits)
    finally:
        SD.dyadic_clusters = real
    assert calls and calls[0] is not None  # the dyadic route gave the answer
    exact = sp.Matrix([[sp.Rational(v.numerator, v.denominator) for v in row] for row in A]).eigenvals()
    for lam in exact:
        val = sp.re(sp.N(lam, 80))
        inside = [m for e, m in got.clusters if e.lo - F(1, 10**60) <= F(str(val)) <= e.hi + F(1, 10**60)]
        assert inside, (lam, got.clusters)
    assert sum(m for _, m in got.clusters) == n
    dy, ball = _routes(A, digits)
    assert [m for _, m in dy.clusters] == [m for _, m in ball.clusters] or len(dy.clusters) != len(ball.clusters)
    for e, _ in dy.clusters:
        assert any(e.lo <= b.hi and b.lo <= e.hi for b, _ in ball.clusters)


@pytest.mark.parametrize("n,seed", [(5, 1), (12, 2), (30, 3)])
def test_dyadic_and_ball_routes_agree_on_surd_pencils(n, seed):
    rng = np.random.default_rng(seed)
    W = rng.integers(-4, 5, size=(n, n))
    S = [[Surd(int(W[i, j] + W[j, i]), 2) if (i + j) % 3 == 0 else int(W[i, j] + W[j, i]) for j in range(n)] for i in range(n)]
    G = [[(n + 2 if i == j else 1) for j in range(n)] for i in range(n)]  # positive definite (diagonally dominant)
    dy, ball = _routes(S, 25, gram=G)
    assert sum(m for _, m in dy.clusters) == n == sum(m for _, m in ball.clusters)
    for e, _ in dy.clusters:
        assert any(e.lo <= b.hi and b.lo <= e.hi for b, _ in ball.clusters)
        assert e.lo == e.hi or e.width <= max(abs(e.lo), abs(e.hi)) * F(10) ** -23


def test_repeated_eigenvalues_and_exact_zero_cluster():
    r2 = Surd(1, 2)
    A = [[r2, 1, 0, 0], [1, r2, 0, 0], [0, 0, r2, 1], [0, 0, 1, r2]]
    dy, ball = _routes(A, 30)
    assert [m for _, m in dy.clusters] == [2, 2] == [m for _, m in ball.clusters]
    L = [[1, -1, 0], [-1, 2, -1], [0, -1, 1]]  # path graph Laplacian: 0, 1, 3
    got = SYM.symmetric_eigenvalue_clusters(L, 30, zero_multiplicity=1, nonnegative=True)
    (z, zm), *_ = got.clusters
    assert (z.lo, z.hi, zm) == (0, 0, 1)
    assert got.clusters[1][0].contains(1) and got.clusters[2][0].contains(3)


def test_falls_back_to_the_ball_route_beyond_its_precision(monkeypatch):
    monkeypatch.setattr(SYM, "DYADIC_MAX_BITS", 100)  # 60 digits need more: the ball route answers
    A = [[2, 1, 0], [1, 2, 1], [0, 1, 2]]
    got = SYM.symmetric_eigenvalue_clusters(A, 60)
    exact = [2 - math.sqrt(2), 2.0, 2 + math.sqrt(2)]
    assert [m for _, m in got.clusters] == [1, 1, 1] and got.bits > 100
    assert all(e.contains(F(v)) or abs(float(e.lo) - v) < 1e-15 for (e, _), v in zip(got.clusters, exact))
    assert got.clusters[0][0].width <= F(10) ** -58


def test_huge_and_tiny_scales_go_through_the_power_of_two_scaling():
    for s in (F(2) ** 400, F(2) ** -400):
        A = [[2 * s, s], [s, 2 * s]]
        got = SYM.symmetric_eigenvalue_clusters(A, 15)
        assert got.clusters[0][0].contains(s) and got.clusters[1][0].contains(3 * s)


def test_ball_matrix_input_uses_the_same_route():
    with ctx.workprec(200):
        M = arb_mat([[3, 1], [1, 3]])
    got = SYM.symmetric_eigenvalue_clusters(lambda prec: M, 20)
    assert got.clusters[0][0].contains(2) and got.clusters[1][0].contains(4)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 6), st.sampled_from([F(1, 10**3), F(1, 10**8), F(1, 2)]), st.data())
def test_quadratic_radii_hold_the_eigenvalue_of_their_rank(n, size, data):
    """``radii`` against sympy: B = diag(d) + E (E symmetric, zero diagonal, entries up to
    ``size``); every eigenvalue of rank k lies within radius_k of the k-th smallest d."""
    q = st.fractions(min_value=-10, max_value=10, max_denominator=7)
    d = [data.draw(q) for _ in range(n)]
    E = [[F(0)] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            E[i][j] = E[j][i] = data.draw(st.fractions(min_value=-1, max_value=1, max_denominator=9)) * size
    f = sqrt_up(sum(x * x for row in E for x in row))  # ‖E‖₂ ≤ ‖E‖_F
    rows = [sum(abs(x) for x in row) for row in E]
    radii = SD.radii(d, f, F(0), rows)
    assert all(r <= f for r in radii)
    M = sp.Matrix(n, n, lambda i, j: sp.Rational(str(d[i] if i == j else E[i][j])))
    lams = sorted(sp.re(sp.N(v, 60)) for v, m in M.eigenvals().items() for _ in range(m))
    for lam, (dk, r) in zip(lams, sorted(zip(d, radii), key=lambda t: t[0])):
        assert abs(F(str(lam)) - dk) <= r + F(1, 10**50)


def test_quadratic_radius_is_second_order_when_isolated():
    d = [F(0), F(1), F(3)]
    eps = F(1, 10**12)
    E = [[0, eps, 0], [eps, 0, eps], [0, eps, 0]]
    f = sqrt_up(sum(F(x) * x for row in E for x in row))
    radii = SD.radii(d, f, F(0), [sum(abs(F(x)) for x in row) for row in E])
    assert all(r <= 10 * eps * eps for r in radii)  # ~2c²/gap, against f ~ 1.4e-12


def test_sparse_ball_builder_gives_the_dense_answer_without_the_dense_matrix():
    from flint import arb

    n = 40
    rng = np.random.default_rng(7)
    entries = {}
    for i in range(n):
        for j in rng.choice(n, 3, replace=False):
            v = F(int(rng.integers(1, 9)), int(rng.integers(1, 9)))
            for a, b in ((i, i), (int(j), int(j))):
                entries[(a, b)] = entries.get((a, b), 0) + v
            if i != j:
                entries[(i, int(j))] = entries.get((i, int(j)), 0) - v
                entries[(int(j), i)] = entries.get((int(j), i), 0) - v
    dense_calls = []

    class Spy(SYM.SparseBalls):
        def __call__(self, prec):
            dense_calls.append(prec)
            return super().__call__(prec)

    S = Spy(n, lambda prec: [(i, j, arb(v.numerator) / v.denominator) for (i, j), v in entries.items()])
    got = SYM.symmetric_eigenvalue_clusters(S, 25, nonnegative=True, size=n)
    assert not dense_calls  # the dyadic route read the nonzero entries only
    rows = [[entries.get((i, j), 0) for j in range(n)] for i in range(n)]
    want = SYM.symmetric_eigenvalue_clusters(rows, 25, nonnegative=True)
    assert [m for _, m in got.clusters] == [m for _, m in want.clusters]
    for (e, _), (w, _) in zip(got.clusters, want.clusters):
        assert e.lo <= w.hi and w.lo <= e.hi


def test_float_view_is_close_to_the_exact_value():
    X = DyadicMatrix.from_ints([[3, -(2**200) + 1], [2**-0 * 7, -5]], e=-210, beta=23)
    got = X.to_numpy()
    for row_x, row_f in zip(ints(X), got.tolist()):
        for x, f in zip(row_x, row_f):
            assert abs(F(f) - x) <= abs(x) * F(1, 2**50)


def test_an_exact_basis_is_certified_at_once():
    """A diagonal matrix: the float basis is exact and there is nothing to refine, so the
    first step certifies (it used to skip its certificate and double the precision up to
    the cap, then leave it to the ball route; found by hypothesis with n=2, seed=165)."""
    calls = []

    def build(prec):
        calls.append(prec)
        return arb_matrix([[-12, Surd(0, 2)], [Surd(0, 2), -3]])

    got = SYM.symmetric_eigenvalue_clusters(build, 20, size=2)
    assert len(calls) == 1
    assert [(e.lo, e.hi, m) for e, m in got.clusters] == [(-12, -12, 1), (-3, -3, 1)]
