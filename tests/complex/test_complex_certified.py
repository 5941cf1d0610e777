"""Certified eigenvalue enclosures and solves (exactgeom.linalg.certified), the
multiquadratic field and exact sparse matrices, checked against exact answers."""

from __future__ import annotations

import random
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactgeom.complex.field import MultiquadraticField
from exactgeom.complex.sparse import ExactMatrix
from exactgeom.linalg import certified as C
from exactgeom.linalg import symmetric as SY
from exactgeom.linalg.rational import charpoly
from exactgeom.numbers import Surd

F = Fraction


def _sym(rng, n, den=3):
    A = [[F(rng.randint(-6, 6), rng.randint(1, den)) for _ in range(n)] for _ in range(n)]
    return [[A[i][j] + A[j][i] for j in range(n)] for i in range(n)]


@settings(max_examples=20)
@given(st.integers(1, 9), st.integers(0, 10**6))
def test_three_eigenvalue_routes_agree_on_rational_symmetric_matrices(n, seed):
    rng = random.Random(seed)
    S = _sym(rng, n)
    exact = C.charpoly_eigenvalues(charpoly(S), 10)
    flat = [e for e, m in exact for _ in range(m)]
    assert sum(m for _, m in exact) == n
    sym = SY.symmetric_eigenvalues(S, 8)
    gen = C.general_eigenvalues(S, 8)
    assert len(sym) == len(gen) == n
    for a, b, c in zip(flat, sym, gen):
        assert a.lo <= b.hi and b.lo <= a.hi  # the enclosures overlap the exact roots' enclosures
        assert a.lo <= c.hi and c.lo <= a.hi
    w = np.linalg.eigvalsh(np.array([[float(x) for x in r] for r in S]))
    for b, x in zip(sym, w):
        assert float(b.lo) - 1e-9 <= x <= float(b.hi) + 1e-9


def test_multiple_eigenvalues_and_exact_rational_roots():
    S = [[2, 0, 0], [0, 2, 0], [0, 0, 5]]
    got = C.charpoly_eigenvalues(charpoly(S), 6)
    assert [(e.lo, e.hi, m) for e, m in got] == [(F(2), F(2), 2), (F(5), F(5), 1)]
    encs = SY.symmetric_eigenvalues([[Surd(1, 2), 0, 0], [0, Surd(1, 2), 0], [0, 0, 0]], 10)
    assert encs[0].contains(0) and encs[1].contains(Surd(1, 2)) and encs[2].contains(Surd(1, 2))


def test_high_precision_falls_back_to_arb_eig():
    S = [[Surd(1, 2), 1], [1, Surd(1, 3)]]
    # eigenvalues (√2+√3)/2 ± √(((√2−√3)/2)² + 1)
    e = SY.symmetric_eigenvalues(S, 30)
    assert all(x.width < F(1, 10**28) * max(abs(x.lo), abs(x.hi)) for x in e)
    tr = Surd(1, 2) + Surd(1, 3)
    lo_sum, hi_sum = e[0].lo + e[1].lo, e[0].hi + e[1].hi
    assert lo_sum <= tr <= hi_sum


@settings(max_examples=15)
@given(st.integers(1, 7), st.integers(0, 10**6))
def test_certified_solve_contains_the_exact_solution(n, seed):
    rng = random.Random(seed)
    A = [[F(rng.randint(-5, 5)) for _ in range(n)] for _ in range(n)]
    for i in range(n):
        A[i][i] += 20
    b = [F(rng.randint(-5, 5)) for _ in range(n)]
    x = ExactMatrix.from_rows(A).solve(b)
    encs = C.solve(A, b, 25)
    assert all(e.contains(v) for e, v in zip(encs, x))
    def mv(v):
        return [sum(C.ball(A[i][j]) * v[j] for j in range(n)) for i in range(n)]

    def fs(r):
        return np.linalg.solve(np.array(A, float), r)

    # ‖A⁻¹‖₂ ≤ 1 / (20 − max row/col sums of the off-diagonal part) by Gershgorin-type bound
    off = max(sum(abs(A[i][j]) for j in range(n) if j != i) for i in range(n))
    off = max(off, max(sum(abs(A[i][j]) for i in range(n) if i != j) for j in range(n)))
    low = min(A[i][i] for i in range(n)) - off
    if low > 0:
        encs2 = C.refine_solve(mv, fs, b, 1 / low, 25)
        assert all(e.contains(v) for e, v in zip(encs2, x))


def test_singular_certified_solve_is_undecided_not_solved():
    from exactgeom.errors import UndecidedError

    with pytest.raises(UndecidedError):
        C.solve([[1, 1], [1, 1]], [1, 2], 5, max_bits=256)


def test_multiquadratic_field_arithmetic_and_solve():
    K = MultiquadraticField.of([Surd(1, 6), Surd(1, 10), Surd(1, 15)])
    assert K.degree == 4  # √15 = √6·√10/2
    a, b = Surd(1, 6) + 1, Surd(2, 10)
    A = [[a, b], [b, Surd(1, 15)]]
    x = K.solve(A, [1, Surd(1, 6)])
    assert a * x[0] + b * x[1] == 1
    assert b * x[0] + Surd(1, 15) * x[1] == Surd(1, 6)
    assert K.rank([[a, a * a], [1, a]]) == 1
    # multiplication matrices represent the product
    u, v = Surd(3, 6) + F(1, 2), Surd(1, 10) - Surd(1, 15)
    Mu = K.mult_matrix(u)
    cv = K.coords(v)
    prod = [sum(Mu[i][j] * cv[j] for j in range(K.degree)) for i in range(K.degree)]
    assert K.from_coords(prod) == u * v


def test_exact_matrix_algebra():
    A = ExactMatrix.from_rows([[1, 2], [3, 4]])
    B = ExactMatrix.from_rows([[F(1, 2), 0], [0, Surd(1, 2)]])
    assert (A @ B).dense() == ((F(1, 2), Surd(2, 2)), (F(3, 2), Surd(4, 2)))
    assert (A + A.T).is_symmetric() and not A.is_symmetric()
    assert A.rank() == 2 and ExactMatrix.from_rows([[1, 2], [2, 4]]).rank() == 1
    assert A.solve([1, 1]) == (F(-1), F(1))
    assert B.domain == "surd" and A.domain == "ZZ"
    assert A.matvec([1, 1]) == (F(3), F(7))
    assert np.allclose(B.to_scipy_float().toarray(), [[0.5, 0], [0, 2**0.5]])
