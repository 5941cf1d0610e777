"""Certified eigenvalue clusters: repeated eigenvalues of surd operators come back as
one enclosure with an exact count (exactgeom.linalg.symmetric.symmetric_eigenvalue_clusters,
Spectrum.clusters), checked against Betti numbers, closed forms, exact characteristic
polynomials and numpy."""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import exactgeom
from exactgeom import arrangement
from exactgeom.complex import RiemannianComplex, Spectrum
from exactgeom.complex.sparse import ExactMatrix
from exactgeom.complex.spectrum import spectrum
from exactgeom.errors import DegenerateError, InvalidInputError, UndecidedError
from exactgeom.linalg import certified as CE
from exactgeom.linalg import symmetric as C
from exactgeom.linalg.rational import charpoly
from exactgeom.numbers import Enclosure, Surd
from exactgeom.partitions.relu import load_example

F = Fraction
R2, R3 = Surd(1, 2), Surd(1, 3)


def _block_diag(*blocks):
    n = sum(len(b) for b in blocks)
    out = [[0] * n for _ in range(n)]
    k = 0
    for b in blocks:
        for i, row in enumerate(b):
            for j, v in enumerate(row):
                out[k + i][k + j] = v
        k += len(b)
    return out


def _float(v) -> float:
    if isinstance(v, Surd):
        return float(v.coeff) * float(np.sqrt(v.radicand))
    if hasattr(v, "terms"):
        return sum(_float(t) for t in v.terms)
    return float(v)


def _check_against_numpy(clusters, w, tol=1e-9):
    """Expanded clusters agree with ascending float eigenvalues, and every cluster holds
    exactly as many float eigenvalues (to tol) as its count."""
    flat = [e for e, m in clusters for _ in range(m)]
    assert len(flat) == len(w)
    for e, x in zip(flat, np.sort(w)):
        assert float(e.lo) - tol <= x <= float(e.hi) + tol
    for e, m in clusters:
        assert m == sum(1 for x in w if float(e.lo) - tol <= x <= float(e.hi) + tol)


def _assert_disjoint_ascending(clusters):
    for (a, _), (b, _) in itertools.pairwise(clusters):
        assert a.hi < b.lo


# ------------------------------------------------------------------ the reported bug
@pytest.fixture(scope="module")
def disconnected():
    net, domain, data, _ = load_example()
    P = exactgeom.relu_network(net, None, domain, mode="data", data=data[:40])
    return RiemannianComplex.from_partition(P)


@pytest.mark.parametrize("digits", [10, 15, 20, 30])
def test_disconnected_relu_complex_zero_cluster_is_beta0(disconnected, digits):
    K = disconnected
    b0 = K.betti()[0]
    assert b0 >= 2  # the data cells are not all adjacent
    assert not K.hodge_laplacian(0).is_rational  # surd entries: the certified route
    s = K.spectrum(0, digits=digits)
    assert s.method.startswith("symmetric:")
    assert s.kernel_dim == b0
    (z, m), rest = s.clusters[0], s.clusters[1:]
    assert (z.lo, z.hi, m) == (0, 0, b0)
    assert all(e.lo > 0 for e, _ in rest)
    assert sum(m for _, m in s.clusters) == len(s.eigenvalues) == s.size
    assert s.eigenvalues == tuple(e for e, m in s.clusters for _ in range(m))
    _assert_disjoint_ascending(s.clusters)
    _check_against_numpy(s.clusters, K.spectrum_float(0))
    for e, _ in rest:  # digits significant digits each
        assert e.width <= F(10) ** (1 - digits) * e.hi


def test_disconnected_complex_p1_and_corpus_network():
    # the corpus network "relu_data": six data points in three components
    W = [[[1, F(1, 2)], [F(-1, 2), 1], [1, -1]], [[1, -1, F(1, 2)], [-1, F(1, 2), 1]], [[1, -1]]]
    b = [[F(1, 4), 0, F(-1, 3)], [0, F(1, 5)], [0]]
    pts = [(F(-3, 4), F(-3, 4)), (F(-1, 2), F(1, 2)), (F(1, 2), F(1, 2)), (F(3, 4), F(-1, 2)), (0, 0), (F(1, 10), F(9, 10))]
    P = exactgeom.relu_network(W, b, [(-1, 1), (-1, 1)], mode="data", data=pts)
    K = RiemannianComplex.from_partition(P)
    s = K.spectrum(0, digits=20)
    assert K.betti()[0] == 3 and s.clusters[0][1] == 3 and s.clusters[0][0] == Enclosure(F(0), F(0))
    _check_against_numpy(s.clusters, K.spectrum_float(0))


# ------------------------------------------------------------------ repeated nonzero eigenvalues
@pytest.mark.parametrize("digits", [8, 12, 25, 40])
def test_two_identical_surd_blocks_give_double_clusters(digits):
    # [[√2, 1], [1, √2]] twice and [[√3]]: eigenvalues √2 − 1, √2 + 1 (each twice), √3
    blk = [[R2, 1], [1, R2]]
    A = _block_diag(blk, [[R3]], blk)
    got = C.symmetric_eigenvalue_clusters(A, digits)
    assert [m for _, m in got.clusters] == [2, 1, 2]
    exact = [R2 - 1, R2 + 1, R3]
    for (e, _), x in zip(sorted(got.clusters, key=lambda c: c[0].lo), sorted(exact, key=_float)):
        assert e.contains(x)  # exact comparison of surd sums
        assert e.width <= F(10) ** (1 - digits) * e.hi
    _assert_disjoint_ascending(got.clusters)
    assert got.eigenvalues == tuple(e for e, m in got.clusters for _ in range(m))


def test_repeated_eigenvalue_through_spectrum_with_a_diagonal_gram_matrix():
    # op = M⁻¹ sym with M = diag(2, 3, 2, 3), sym = two copies of [[2√2, −√2], [−√2, 3√2]]
    blk = [[2 * R2, -R2], [-R2, 3 * R2]]
    sym = ExactMatrix.from_rows(_block_diag(blk, blk))
    M = ExactMatrix.diagonal([2, 3, 2, 3])
    op = ExactMatrix.diagonal([F(1, 2), F(1, 3), F(1, 2), F(1, 3)]) @ sym
    s = spectrum(op, sym, M, digits=20)
    assert s.method.startswith("symmetric:") and not s.exact
    assert [m for _, m in s.clusters] == [2, 2]
    assert s.kernel_dim == 0 and s.psd is True  # certified: no enclosure contains 0, all ≥ 0
    # det(blk − λ diag(2, 3)) = 6(√2 − λ)² − 2: λ = √2 ± √3/3 on each copy
    for e, x in zip([c for c, _ in s.clusters], [R2 - Surd(F(1, 3), 3), R2 + Surd(F(1, 3), 3)]):
        assert e.contains(x)
    w = np.linalg.eigvals(np.array([[_float(v) for v in row] for row in op.dense()]))
    _check_against_numpy(s.clusters, np.sort(w.real))


def test_path_graph_copies_with_surd_weights_deflate_the_kernel():
    # two copies of the weighted path Laplacian (weights √2, √3): kernel 2, given and derived
    L = [[R2, -R2, 0], [-R2, R2 + R3, -R3], [0, -R3, R3]]
    A = ExactMatrix.from_rows(_block_diag(L, L))
    I = ExactMatrix.diagonal([1] * 6)
    for k in (2, None):
        s = spectrum(A, A, I, kernel_dim=k, psd_by_construction=True, digits=15)
        assert s.clusters[0] == (Enclosure(F(0), F(0)), 2)
        assert [m for _, m in s.clusters] == [2, 2, 2]
        assert s.kernel_dim == 2 and s.psd
    # the nonzero eigenvalues of each copy are the roots of λ² − 2(√2 + √3)λ + 3√6:
    # their sum and product lie in the sum and product of the enclosures (exact comparisons)
    (a, _), (b, _) = s.clusters[1], s.clusters[2]
    assert a.lo + b.lo <= 2 * (R2 + R3) <= a.hi + b.hi
    assert a.lo * b.lo <= Surd(3, 6) <= a.hi * b.hi


def test_tiny_positive_eigenvalue_is_separated_from_the_deflated_zero():
    tiny = Surd(F(1, 10**30), 2)
    got = C.symmetric_eigenvalue_clusters([[0, 0, 0], [0, tiny, 0], [0, 0, 1]], 10, zero_multiplicity=1)
    (z, m0), (e, m1), (one, m2) = got.clusters
    assert (z.lo, z.hi, m0, m1, m2) == (0, 0, 1, 1, 1)
    assert e.lo > 0 and e.contains(tiny) and e.width <= F(10) ** -9 * e.hi
    assert one.contains(1)


def test_precision_cap_returns_wider_but_certified_clusters():
    blk = [[R2, 1], [1, R2]]
    got = C.symmetric_eigenvalue_clusters(_block_diag(blk, blk), 60, max_bits=128)
    assert got.bits == 128 and [m for _, m in got.clusters] == [2, 2]
    assert got.clusters[0][0].contains(R2 - 1) and got.clusters[1][0].contains(R2 + 1)


# ------------------------------------------------------------------ random cross-checks
@settings(max_examples=20)
@given(st.integers(1, 4), st.integers(0, 10**6), st.sampled_from([2, 3, 5, 6]))
def test_duplicated_random_surd_blocks_have_even_cluster_counts(n, seed, d):
    rng = random.Random(seed)
    B = [[F(rng.randint(-5, 5), rng.randint(1, 3)) for _ in range(n)] for _ in range(n)]
    B = [[(B[i][j] + B[j][i]) * Surd(1, d) for j in range(n)] for i in range(n)]
    got = C.symmetric_eigenvalue_clusters(_block_diag(B, B), 12)
    assert all(m % 2 == 0 for _, m in got.clusters)
    _assert_disjoint_ascending(got.clusters)
    w = np.linalg.eigvalsh(np.array([[_float(v) for v in r] for r in _block_diag(B, B)]))
    _check_against_numpy(got.clusters, w)


@settings(max_examples=20)
@given(st.integers(1, 4), st.integers(0, 10**6))
def test_pencil_clusters_match_the_exact_characteristic_polynomial(n, seed):
    # A v = λ G v with G = LLᵀ + I (rational SPD, not diagonal) and A, G duplicated blocks
    rng = random.Random(seed)
    S = [[F(rng.randint(-4, 4)) for _ in range(n)] for _ in range(n)]
    S = [[S[i][j] + S[j][i] for j in range(n)] for i in range(n)]
    L = [[F(rng.randint(-3, 3), rng.randint(1, 2)) if j <= i else F(0) for j in range(n)] for i in range(n)]
    G = [[sum(L[i][k] * L[j][k] for k in range(n)) + (i == j) for j in range(n)] for i in range(n)]
    A2, G2 = _block_diag(S, S), _block_diag(G, G)
    got = C.symmetric_eigenvalue_clusters(A2, 15, gram=G2)
    op = ExactMatrix.from_rows(G2).to_fmpq_mat().inv() * ExactMatrix.from_rows(A2).to_fmpq_mat()
    roots = CE.charpoly_eigenvalues(charpoly([[F(int(op[i, j].p), int(op[i, j].q)) for j in range(2 * n)] for i in range(2 * n)]), 15)
    # every exact root lies in exactly one cluster, and the counts add up to the multiplicities
    for e, m in got.clusters:
        inside = [(r, k) for r, k in roots if r.lo <= e.hi and e.lo <= r.hi]
        assert sum(k for _, k in inside) == m
    assert sum(m for _, m in got.clusters) == 2 * n


@settings(max_examples=15)
@given(st.integers(1, 6), st.integers(0, 10**6), st.sampled_from([10, 20, 30]))
def test_size_hint_builds_once_and_gives_a_certified_result(n, seed, digits):
    # with size=n the balls are built once, at the working precision (not also at 64
    # bits): the builder is called once, and the clusters still hold numpy's eigenvalues
    # with the right counts; without it, twice when the working precision exceeds 64 bits
    rng = random.Random(seed)
    S = [[F(rng.randint(-6, 6), rng.randint(1, 4)) * (R2 if (i + j) % 2 else 1) for j in range(n)] for i in range(n)]
    S = [[S[i][j] + S[j][i] for j in range(n)] for i in range(n)]
    calls = []

    def build(prec):
        calls.append(prec)
        return CE.arb_matrix(S)

    got = C.symmetric_eigenvalue_clusters(build, digits, size=n)
    assert len(calls) == 1 and (calls[0] > 64) == (digits > 15)
    calls.clear()
    plain = C.symmetric_eigenvalue_clusters(build, digits)
    assert len(calls) == (1 if plain.bits == 64 else 2)
    assert sum(m for _, m in got.clusters) == n
    w = np.linalg.eigvalsh(np.array([[_float(v) for v in r] for r in S]))
    _check_against_numpy(got.clusters, w)
    for e, _ in got.clusters:  # every cluster overlaps the same stretch as the unhinted route's
        assert any(e.lo <= f.hi and f.lo <= e.hi for f, _ in plain.clusters)


# ------------------------------------------------------------------ rational and general routes
def test_rational_operators_still_get_the_exact_characteristic_polynomial():
    K = RiemannianComplex.from_partition(arrangement([[1, 0], [0, 1]], [0, 0], [(-1, 1), (-1, 1)]))
    L = K.hodge_laplacian(0)
    assert L.is_rational
    s = K.spectrum(0)
    assert s.method.startswith("charpoly:") and s.exact
    assert s.charpoly == tuple(charpoly([list(r) for r in L.dense()]))
    roots = CE.charpoly_eigenvalues(s.charpoly, 10)
    assert s.clusters == roots  # exact multiplicities, one enclosure per distinct root
    # the 2×2 grid is a 4-cycle with equal weights: eigenvalues 0, 2, 2, 4 (times 1/μ0)
    assert [m for _, m in s.clusters] == [1, 2, 1] and s.clusters[0][0] == Enclosure(F(0), F(0))
    # the symmetric route (charpoly=False) finds the same clusters
    t = K.spectrum(0, charpoly=False)
    assert t.method.startswith("symmetric:") and t.charpoly is None
    assert [m for _, m in t.clusters] == [1, 2, 1]
    for (a, _), (b, _) in zip(s.clusters, t.clusters):
        assert a.lo <= b.hi and b.lo <= a.hi


def test_general_route_and_its_failure_message(monkeypatch):
    # M = diag(1, −1) is not positive definite: arb's general eigensolver
    op = ExactMatrix.from_rows([[R2, 1], [0, 2 * R2]])
    M = ExactMatrix.diagonal([1, -1])
    s = spectrum(op, M @ op, M, digits=12)
    assert s.method.startswith("general:")
    assert [m for _, m in s.clusters] == [1, 1]
    assert s.clusters[0][0].contains(R2) and s.clusters[1][0].contains(2 * R2)
    assert s.kernel_dim == 0 and s.psd is True  # certified from the enclosures
    # a Jordan block: arb merges the double eigenvalue into one certified cluster
    jordan = ExactMatrix.from_rows([[R2, 1], [0, R2]])
    t = spectrum(jordan, M @ jordan, M, digits=12)
    assert len(t.clusters) == 1 and t.clusters[0][1] == 2 and t.clusters[0][0].contains(R2)
    # when arb gives up, the error says what to do
    import exactgeom.complex.spectrum as S

    def give_up(*args, **kw):
        raise UndecidedError("arb's eigensolver could not enclose the eigenvalues")

    monkeypatch.setattr(S, "general_eigenvalues", give_up)
    with pytest.raises(UndecidedError, match="spectrum_float"):
        spectrum(op, M @ op, M, digits=12)


def test_empty_operator():
    Z = ExactMatrix.from_dict((0, 0), {})
    s = spectrum(Z, Z, Z, charpoly=False)
    assert isinstance(s, Spectrum) and s.size == 0 and s.clusters == () and s.method.startswith("empty")


def test_cluster_enclosures_merges_and_keeps_counts():
    e = lambda a, b: Enclosure(F(a), F(b))  # noqa: E731
    got = C.cluster_enclosures([(e(5, 6), 2), e(0, 1), e(1, 2), e(3, 4)])
    assert got == ((e(0, 2), 2), (e(3, 4), 1), (e(5, 6), 2))


# ------------------------------------------------------------------ invalid input
INVALID = [
    ("non-square matrix", lambda: C.symmetric_eigenvalue_clusters([[1, 2]]), InvalidInputError),
    ("gram of another shape", lambda: C.symmetric_eigenvalue_clusters([[1]], gram=[[1, 0], [0, 1]]), InvalidInputError),
    ("zero digits", lambda: C.symmetric_eigenvalue_clusters([[1]], 0), InvalidInputError),
    ("zero multiplicity too large", lambda: C.symmetric_eigenvalue_clusters([[1]], zero_multiplicity=2), InvalidInputError),
    ("precision cap below 64 bits", lambda: C.symmetric_eigenvalue_clusters([[1]], max_bits=32), InvalidInputError),
    ("size of another matrix", lambda: C.symmetric_eigenvalue_clusters(lambda p: CE.arb_matrix([[1]]), size=2), InvalidInputError),
    ("negative size", lambda: C.symmetric_eigenvalue_clusters([[1]], size=-1), InvalidInputError),
    ("non-integer size", lambda: C.symmetric_eigenvalue_clusters([[1]], size=1.0), InvalidInputError),
    ("negative zero multiplicity", lambda: C.symmetric_eigenvalue_clusters([[1]], zero_multiplicity=-1), InvalidInputError),
    ("sparse balls of negative size", lambda: C.SparseBalls(-1, lambda prec: []), InvalidInputError),
    ("sparse balls without an entry function", lambda: C.SparseBalls(2, [(0, 0, 1)]), InvalidInputError),
    ("sparse balls with an entry outside", lambda: C.symmetric_eigenvalue_clusters(
        C.SparseBalls(2, lambda prec: [(0, 2, CE.arb_matrix([[1]])[0, 0])])), InvalidInputError),
    ("kernel claim contradicted", lambda: C.symmetric_eigenvalue_clusters([[1, 0], [0, 2]], zero_multiplicity=1), DegenerateError),
    ("nonnegative claim contradicted", lambda: C.symmetric_eigenvalue_clusters([[-1]], nonnegative=True), DegenerateError),
    ("indefinite gram", lambda: C.symmetric_eigenvalue_clusters([[1, 0], [0, 1]], gram=[[1, 0], [0, -1]]), UndecidedError),
    ("kernel dimension contradicted in spectrum", lambda: spectrum(
        ExactMatrix.from_rows([[R2]]), ExactMatrix.from_rows([[R2]]), ExactMatrix.diagonal([1]), kernel_dim=1), DegenerateError),
]


@pytest.mark.parametrize("name,call,err", INVALID, ids=[r[0] for r in INVALID])
def test_invalid_inputs_raise(name, call, err):
    with pytest.raises(err):
        call()


@pytest.mark.parametrize("k", [-300, -262, -257, -256, -250, -100, 0, 100, 250, 256, 257, 262, 300])
def test_scale_exponent_from_floats_equals_the_exact_pass(k):
    # the float range test may only skip the exact pass when it would give 0 too
    A = CE.arb_matrix([[F(3, 7) * F(2) ** k, F(1, 5) * F(2) ** k], [F(1, 5) * F(2) ** k, F(-5, 9) * F(2) ** k]])
    exact = C._pow2_exponent(A, floats=np.array([]))  # an empty array: no shortcut, the exact pass
    assert C._pow2_exponent(A) == exact == C._pow2_exponent(A, C._floats(A, 2))
    assert (exact == 0) == (abs(k) <= 256)  # the largest entry, -5/9·2^k, has exponent k
