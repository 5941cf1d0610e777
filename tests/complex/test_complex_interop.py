"""ExactMatrix.tolist / to_sympy / to_numpy / __array__ and RiemannianComplex.to_networkx.

Oracles: SymPy's own rank and determinant of the exact matrix (vs exactgeom's sparse
elimination / flint), exact squares of float entries' sources, networkx's connected
components and cycle rank (vs exact Betti numbers), the partition's adjacency.
"""

from __future__ import annotations

import math
from fractions import Fraction

import networkx as nx
import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from exactgeom import RiemannianComplex, arrangement
from exactgeom.complex import ExactMatrix
from exactgeom.numbers import Surd
from exactgeom.strategies.complex import arrangement_partitions

entries = st.one_of(
    st.integers(-5, 5),
    st.builds(Fraction, st.integers(-9, 9), st.integers(1, 7)),
    st.builds(Surd, st.builds(Fraction, st.integers(-9, 9), st.integers(1, 5)), st.sampled_from([2, 3, 6])),
)


@st.composite
def matrices(draw, rational_only=False):
    m, n = draw(st.integers(0, 4)), draw(st.integers(0, 4))
    vals = st.one_of(st.integers(-5, 5), st.builds(Fraction, st.integers(-9, 9), st.integers(1, 7))) if rational_only else entries
    rows = [[draw(vals) for _ in range(n)] for _ in range(m)]
    return ExactMatrix.from_rows(rows, ncols=n), rows


@given(matrices())
def test_tolist_is_the_exact_dense_matrix(Mr):
    M, rows = Mr
    L = M.tolist()
    assert len(L) == M.shape[0] and all(len(r) == M.shape[1] for r in L)
    assert L == [[M[i, j] for j in range(M.shape[1])] for i in range(M.shape[0])]
    assert all(a == b for ra, rb in zip(L, rows) for a, b in zip(ra, rb))


@given(matrices())
def test_to_sympy_is_exact(Mr):
    M, rows = Mr
    S = M.to_sympy()
    assert S.shape == M.shape
    for i in range(M.shape[0]):
        for j in range(M.shape[1]):
            v, e = rows[i][j], S[i, j]
            assert not e.has(sympy.Float)
            sq = v.squared() if isinstance(v, Surd) else Fraction(v) ** 2
            assert sympy.expand(e**2) == sympy.Rational(sq.numerator, sq.denominator)
            assert sympy.sign(e) == (v > 0) - (v < 0)


@settings(max_examples=60)
@given(matrices(rational_only=True))
def test_sympy_rank_and_det_agree(Mr):
    M, _ = Mr
    S = M.to_sympy()
    assert S.rank() == M.rank()  # SymPy's elimination vs exactgeom's (sparse / flint)
    if M.shape[0] == M.shape[1] and M.shape[0] > 0:
        d = M.to_fmpq_mat().det()
        assert S.det() == sympy.Rational(int(d.p), int(d.q))


@given(matrices())
def test_numpy_views_are_2d_floats_or_exact_objects(Mr):
    M, rows = Mr
    A = M.to_numpy()
    assert A.dtype == np.float64 and A.shape == M.shape and A.ndim == 2
    B = np.asarray(M)
    assert B.ndim == 2 and B.dtype == np.float64 and np.array_equal(A, B)
    O = np.asarray(M, dtype=object)
    assert O.ndim == 2 and O.shape == M.shape and O.tolist() == M.tolist()
    for i in range(M.shape[0]):
        for j in range(M.shape[1]):
            v = rows[i][j]
            exact_sq = v.squared() if isinstance(v, Surd) else Fraction(v) ** 2
            # the float is within a few ulps of the exact value: compare squares exactly
            f = Fraction(A[i, j])
            assert abs(f * f - exact_sq) <= Fraction(1, 2**48) * exact_sq
            assert (f > 0) == (v > 0) and (f < 0) == (v < 0)
    assert np.asarray(M, dtype=np.float32).dtype == np.float32


def test_the_issue_example_np_asarray_of_a_laplacian():
    P = arrangement([[1, 0], [0, 1]], [0, 0], [(-1, 1), (-1, 1)])
    L0 = RiemannianComplex.from_partition(P).hodge_laplacian(0)
    A = np.asarray(L0)
    assert A.shape == (4, 4) and A.ndim == 2
    assert np.array_equal(A, np.array([[float(x) for x in r] for r in L0.dense()]))
    assert np.asarray(ExactMatrix.from_dict((0, 0), {})).shape == (0, 0)  # 0×0 stays 2-d


@settings(max_examples=40, deadline=None)
@given(arrangement_partitions(n=2, max_hyperplanes=4), st.sampled_from(["facet", "nerve"]))
def test_complex_graph_is_the_one_skeleton(P, conv):
    K = RiemannianComplex.from_partition(P, convention=conv)
    G = K.to_networkx()
    assert sorted(G.nodes) == [s[0] for s in K.simplices(0)]
    assert {tuple(sorted(e)) for e in G.edges} == set(K.simplices(1))
    assert [G.nodes[i]["measure"] for i in sorted(G.nodes)] == list(K.measure(0))
    assert sum(G.nodes[i]["measure"] for i in G.nodes) == P.domain.volume()
    for e, mu in zip(K.simplices(1), K.measure(1)):
        assert G.edges[e]["measure"] == mu and G.edges[e]["intersection_dim"] == K.intersection_dim(e)
    b = K.betti()
    assert nx.number_connected_components(G) == b[0]
    if conv == "facet":  # in the plane the facet complex is a graph: β_1 is its cycle rank
        assert G.number_of_edges() - G.number_of_nodes() + b[0] == (b[1] if len(b) > 1 else 0)
        faces = {(f.i, f.j): f for f in P.adjacency()}
        assert set(faces) == {tuple(sorted(e)) for e in G.edges}
        assert all(G.edges[e]["measure"] == faces[e].volume() for e in faces)
    assert G.graph["convention"] == conv


def test_crossing_lines_nerve_graph():
    P = arrangement([[1, 0], [0, 1]], [0, 0], [(-1, 1), (-1, 1)])
    G = RiemannianComplex.from_partition(P, convention="nerve").to_networkx()
    diag = [e for e in G.edges if G.edges[e]["intersection_dim"] == 0]
    assert len(diag) == 2 and G.number_of_edges() == 6  # K4: 4 shared edges + 2 point contacts
    assert all(G.edges[e]["measure"] == 1 for e in G.edges if e not in diag)  # unit shared edges
    assert all(G.degree(v) == 3 for v in G.nodes)
    assert math.isclose(sum(float(G.nodes[v]["measure"]) for v in G.nodes), 4.0)


def test_to_networkx_without_networkx(monkeypatch):
    import sys

    from exactgeom.errors import InvalidInputError

    K = RiemannianComplex.from_partition(arrangement([[1, 0]], [0], [(-1, 1), (0, 1)]))
    monkeypatch.setitem(sys.modules, "networkx", None)
    with pytest.raises(InvalidInputError, match="pip install networkx"):
        K.to_networkx()


_entries = st.one_of(
    st.sampled_from([0, 0, 1, -1, 1, -1]),
    st.integers(-3, 3),
    st.fractions(min_value=-2, max_value=2, max_denominator=5),
    st.builds(lambda c, r: Surd(c, r), st.fractions(min_value=-2, max_value=2, max_denominator=4), st.sampled_from([2, 3, 5])),
)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 4), st.integers(1, 4), st.integers(1, 4), st.data())
def test_sparse_products_equal_sympy_products(m, k, n, data):
    # the sparse product (with its shortcut for ±1 factors) against sympy's dense product
    A = [[data.draw(_entries) for _ in range(k)] for _ in range(m)]
    B = [[data.draw(_entries) for _ in range(n)] for _ in range(k)]
    got = (ExactMatrix.from_rows(A) @ ExactMatrix.from_rows(B)).tolist()
    want = sympy.Matrix(A).applyfunc(sympy.sympify) * sympy.Matrix(B).applyfunc(sympy.sympify)
    for i in range(m):
        for j in range(n):
            assert sympy.simplify(sympy.sympify(got[i][j]) - want[i, j]) == 0
