"""Certified spectra block by block (exactgeom.complex.blocks): the union of the blocks'
certified spectra against the whole-matrix certified spectrum (overlapping enclosures,
equal exact counts and kernels), against the exact characteristic polynomial, on random
disconnected graph Laplacians (rational and surd weights, permuted) and on the complexes
of ReLU data partitions."""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import exactgeom
from exactgeom.complex import RiemannianComplex
from exactgeom.complex.blocks import BLOCKS_MIN, block_spectrum, diagonal_blocks, submatrix
from exactgeom.complex.sparse import ExactMatrix
from exactgeom.complex.spectrum import spectrum
from exactgeom.errors import InvalidInputError
from exactgeom.linalg import certified as CE
from exactgeom.numbers import Enclosure, Surd
from exactgeom.partitions.relu import load_example

F = Fraction


def _random_graph_operator(rng: random.Random, sizes, surd: bool):
    """A weighted graph Laplacian ``sym = B W Bᵀ`` on components of the given sizes
    (each connected: a random spanning tree plus random extra edges), vertex masses
    ``M``, ``op = M⁻¹ sym``, the vertices shuffled; returns (op, sym, M, components)."""
    n = sum(sizes)
    perm = list(range(n))
    rng.shuffle(perm)
    edges, comps, k = [], [], 0
    for s in sizes:
        vs = [perm[k + t] for t in range(s)]
        comps.append(sorted(vs))
        for t in range(1, s):
            edges.append((vs[t], vs[rng.randrange(t)]))
        for _ in range(rng.randint(0, s)):
            a, b = rng.sample(vs, 2) if s > 1 else (vs[0], vs[0])
            if a != b and (a, b) not in edges and (b, a) not in edges:
                edges.append((a, b))
        k += s
    e: dict = {}
    for a, b in edges:
        w = F(rng.randint(1, 9), rng.randint(1, 4))
        if surd and rng.random() < 0.5:
            w = Surd(w, rng.choice([2, 3]))
        for i, j, sg in ((a, a, 1), (b, b, 1), (a, b, -1), (b, a, -1)):
            e[(i, j)] = e.get((i, j), 0) + sg * w
    sym = ExactMatrix.from_dict((n, n), e)
    masses = [F(rng.randint(1, 6), rng.randint(1, 3)) for _ in range(n)]
    M = ExactMatrix.diagonal(masses)
    op = ExactMatrix.diagonal([1 / m for m in masses]) @ sym
    return op, sym, M, comps


def _assert_same_guarantees(a, w, n):
    """``a`` (by blocks) against ``w`` (whole matrix): sizes, kernels, psd, counts, and
    the k-th eigenvalue's enclosures overlap for every k (both contain it)."""
    assert a.size == w.size == n == len(a.eigenvalues) == sum(m for _, m in a.clusters)
    assert a.kernel_dim == w.kernel_dim and a.psd == w.psd and a.exact == w.exact
    assert a.eigenvalues == tuple(e for e, m in a.clusters for _ in range(m))
    for (x, _), (y, _) in itertools.pairwise(a.clusters):
        assert x.hi < y.lo  # ascending, pairwise disjoint
    for x, y in zip(a.eigenvalues, w.eigenvalues):
        assert x.lo <= y.hi and y.lo <= x.hi
    if a.kernel_dim:
        assert a.clusters[0] == (Enclosure(F(0), F(0)), a.kernel_dim)


def _exact_roots(op: ExactMatrix):
    cp = op.to_fmpq_mat().charpoly()
    return CE.charpoly_eigenvalues([F(int(c.p), int(c.q)) for c in reversed(cp.coeffs())], 12)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 6), min_size=2, max_size=7), st.integers(0, 10**6), st.booleans())
def test_blocks_equal_the_whole_matrix_on_random_disconnected_graphs(sizes, seed, surd):
    rng = random.Random(seed)
    op, sym, M, comps = _random_graph_operator(rng, sizes, surd)
    n = op.shape[0]
    assert diagonal_blocks(op, sym, M) == sorted(comps, key=lambda c: c[0])
    c = len(comps)
    for charpoly in ("auto", False):
        w = spectrum(op, sym, M, kernel_dim=c, psd_by_construction=True, digits=12, charpoly=charpoly)
        a = block_spectrum(op, sym, M, kernel_dim=c, psd_by_construction=True, digits=12, charpoly=charpoly, blocks=True)
        _assert_same_guarantees(a, w, n)
        assert a.kernel_dim == c
        if op.is_rational and charpoly == "auto":  # the charpoly route: identical result
            assert (a.eigenvalues, a.clusters, a.charpoly, a.kernel_dim, a.psd) == (
                w.eigenvalues, w.clusters, w.charpoly, w.kernel_dim, w.psd)
            assert a.method.startswith("charpoly:")
        # without the kernel dimension: every block decides its own, exactly
        b = block_spectrum(op, sym, M, psd_by_construction=True, digits=12, charpoly=charpoly, blocks=True)
        assert b.kernel_dim == c and b.clusters[0] == (Enclosure(F(0), F(0)), c)
    if op.is_rational:  # every exact root lies in one cluster; the counts are the multiplicities
        a = block_spectrum(op, sym, M, psd_by_construction=True, digits=12, charpoly=False, blocks=True)
        for e, m in a.clusters:
            assert sum(k for r, k in _exact_roots(op) if r.lo <= e.hi and e.lo <= r.hi) == m
    w = np.linalg.eigvals(op.to_numpy()).real
    flat = block_spectrum(op, sym, M, kernel_dim=c, psd_by_construction=True, digits=12, blocks=True).eigenvalues
    for e, x in zip(flat, np.sort(w)):
        assert float(e.lo) - 1e-9 <= x <= float(e.hi) + 1e-9


def test_isolated_cells_and_the_product_charpoly():
    # three isolated cells (1x1 blocks, one of them 0) and a weighted edge
    op = ExactMatrix.from_rows([[0, 0, 0, 0, 0], [0, F(3, 2), 0, 0, 0], [0, 0, 2, -2, 0], [0, 0, -1, 1, 0], [0, 0, 0, 0, 0]])
    M = ExactMatrix.diagonal([1, 1, 1, 2, 1])
    sym = M @ op
    assert diagonal_blocks(op, sym, M) == [[0], [1], [2, 3], [4]]
    w = spectrum(op, sym, M)
    a = block_spectrum(op, sym, M, blocks=True)
    assert a == w.__class__(**{**w.__dict__, "method": a.method})  # identical but for the method text
    assert [(str(e), m) for e, m in a.clusters] == [("[0, 0]", 3), ("[1.5, 1.5]", 1), ("[3, 3]", 1)]
    # forced through the block loop (the route of operators above CHARPOLY_MAX)
    s = block_spectrum(op, sym, M, blocks=True, charpoly=False)
    assert s.kernel_dim == 3 and s.clusters[0] == (Enclosure(F(0), F(0)), 3) and s.charpoly is None
    assert s.clusters[1][0].contains(F(3, 2)) and s.clusters[2][0].contains(3)


def test_remainder_of_the_kernel_goes_to_the_largest_block():
    rng = random.Random(5)
    op, sym, M, _comps = _random_graph_operator(rng, [4, 3, 1, 1], surd=True)
    seen = []

    def kernel_of(idx):
        seen.append(len(idx))
        return None if len(idx) == 4 else 1

    s = block_spectrum(op, sym, M, kernel_dim=4, kernel_of=kernel_of, psd_by_construction=True, digits=10, blocks=True)
    assert sorted(seen) == [1, 1, 3, 4] and s.kernel_dim == 4 and s.clusters[0] == (Enclosure(F(0), F(0)), 4)
    with pytest.raises(InvalidInputError, match="smaller than the blocks"):
        block_spectrum(op, sym, M, kernel_dim=2, kernel_of=lambda idx: 1 if len(idx) < 4 else None,
                       psd_by_construction=True, blocks=True)


@pytest.fixture(scope="module")
def data_complexes():
    net, domain, data, _ = load_example()
    P = exactgeom.relu_network(net, None, domain, mode="data", data=data[:40])
    mk = RiemannianComplex.from_partition
    return [mk(P), mk(P, measure="data", data=data[:40], data_rule="mean"), mk(P, measure="data", data=data[:40])]


def test_data_partition_complex_by_blocks_equals_the_whole_spectrum(data_complexes):
    for K in data_complexes:
        b0 = K.betti()[0]
        assert b0 >= 2  # disconnected
        for p in range(len(K.f_vector())):
            w = K.spectrum(p, digits=15, blocks=False)
            a = K.spectrum(p, digits=15, blocks=True)
            _assert_same_guarantees(a, w, w.size)
            if p == 0 and K.is_positive_definite(1):  # else edges of measure 0 leave more kernel
                assert a.kernel_dim == b0 and a.clusters[0] == (Enclosure(F(0), F(0)), b0)
        w = K.spectrum(0, digits=15, blocks=False, charpoly=False)
        _assert_same_guarantees(K.spectrum(0, digits=15, blocks=True, charpoly=False), w, w.size)


def test_auto_splits_only_above_blocks_min(data_complexes):
    K = data_complexes[0]
    assert K.f_vector()[0] <= BLOCKS_MIN  # small: "auto" keeps the stored whole-matrix digits
    assert K.spectrum(0, digits=12) == K.spectrum(0, digits=12, blocks=False)


def test_large_disconnected_graph_splits_by_default():
    rng = random.Random(11)
    sizes = [1] * 60 + [2] * 20 + [5] * 6 + [12]  # 142 vertices > BLOCKS_MIN, 87 components
    op, sym, M, _comps = _random_graph_operator(rng, sizes, surd=False)
    a = block_spectrum(op, sym, M, kernel_dim=len(sizes), psd_by_construction=True, digits=10)
    assert a.method.startswith("charpoly:") and "87 diagonal blocks" in a.method
    w = spectrum(op, sym, M, kernel_dim=len(sizes), psd_by_construction=True, digits=10)
    assert w.method.startswith("symmetric:")
    _assert_same_guarantees(a, w, 142)


def test_submatrix_and_blocks_of_every_matrix():
    A = ExactMatrix.from_rows([[1, 0, 0, 2], [0, 3, 0, 0], [0, 0, 4, 0], [0, 0, 0, 5]])
    B = ExactMatrix.from_rows([[1, 0, 0, 0], [0, 1, 1, 0], [0, 0, 1, 0], [0, 0, 0, 1]])
    assert diagonal_blocks(A) == [[0, 3], [1], [2]]
    assert diagonal_blocks(A, B) == [[0, 3], [1, 2]]  # a nonzero of either joins two indices
    assert submatrix(A, [3, 0]).dense() == ((5, 0), (2, 1))
    assert submatrix(A, []).shape == (0, 0)


INVALID = [
    ("blocks not a flag", lambda: block_spectrum(ExactMatrix.diagonal([1]), ExactMatrix.diagonal([1]),
                                                 ExactMatrix.diagonal([1]), blocks="yes")),
    ("charpoly not a flag", lambda: block_spectrum(ExactMatrix.diagonal([1]), ExactMatrix.diagonal([1]),
                                                   ExactMatrix.diagonal([1]), charpoly="maybe")),
    ("kernel_of not callable", lambda: block_spectrum(ExactMatrix.diagonal([1]), ExactMatrix.diagonal([1]),
                                                      ExactMatrix.diagonal([1]), kernel_of=3)),
    ("no matrices", lambda: diagonal_blocks()),
    ("not a matrix", lambda: diagonal_blocks([[1]])),
    ("shapes differ", lambda: diagonal_blocks(ExactMatrix.diagonal([1]), ExactMatrix.diagonal([1, 1]))),
    ("not square", lambda: diagonal_blocks(ExactMatrix.from_rows([[1, 2]]))),
    ("repeated index", lambda: submatrix(ExactMatrix.diagonal([1, 2]), [0, 0])),
    ("index outside", lambda: submatrix(ExactMatrix.diagonal([1, 2]), [2])),
    ("complex spectrum blocks flag", lambda: RiemannianComplex.from_partition(
        exactgeom.arrangement([[1, 0]], [0], [(-1, 1), (0, 1)])).spectrum(0, blocks="x")),
]


@pytest.mark.parametrize("name,call", INVALID, ids=[r[0] for r in INVALID])
def test_invalid_inputs(name, call):
    with pytest.raises(InvalidInputError):
        call()
