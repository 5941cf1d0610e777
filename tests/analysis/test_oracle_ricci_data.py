"""Ollivier–Ricci curvature with data weights against an independent transport oracle.

The oracle (``tests/_exact_oracle.py``, no exactgeom import) never builds a transport
plan: ``W_1`` comes from Kantorovich duality, ``max Σ f (μ − ν)`` over 1-Lipschitz
functions on the union of the supports, and since the hop metric is integral and the
Lipschitz polytope's constraint matrix is totally unimodular, the maximum is attained at
an integer function, found by enumerating all integer 1-Lipschitz functions (pinned to
0 at one vertex) by backtracking. The walks are built from spec §5: mass α at i, the
rest over the neighbours in proportion to the data mass of each neighbour (the points
located in the lowest-index brute-force cell containing them), all of it at i when
every neighbour weighs 0; hop distances by breadth-first search on the oracle's facet
adjacency. Compared exactly with ``ricci_curvature`` on complexes with data, with
``data=`` given to a volume complex, on random graphs (``ollivier_ricci_graph`` with
random rational weights, several α) and for ``wasserstein1`` itself; the float route
(``exact=False``), the face-weighted data walks (surd masses, integer costs: the same
integer Lipschitz vertices, objective in floats) and the Ricci-sum / data-weighted
vertex curvatures are checked against the same oracle; Forman's closed form with data
vertex weights against the oracle's face volumes.
"""

from __future__ import annotations

import functools
import itertools
import math
from fractions import Fraction

import pytest
from _exact_oracle import (
    T_JUNCTION_TREE,
    adjacent_faces,
    argmax_cells,
    arrangement_cells,
    box_rows,
    hops,
    locate,
    oracle_complex,
    relu_cells,
    relu_key_perturbed,
    tree_cells,
    voronoi_scores,
    w1_dual_integer,
)
from _oracle_cases import in_order, points
from hypothesis import given, settings
from hypothesis import strategies as st

from exactgeom.analysis.ricci import WalkGraph, ollivier_ricci_graph, ricci_curvature, wasserstein1
from exactgeom.analysis.simplicial_curvature import vertex_curvature
from exactgeom.complex import RiemannianComplex
from exactgeom.partitions import arrangement, decision_tree, relu_network, voronoi

F = Fraction
SQ = [(-1, 1), (-1, 1)]
STAR = ([[1, 0], [0, 1], [1, 1], [1, -1]], [0, 0, 0, 2])
GRID = ([[1, 0], [1, 0], [0, 1], [0, 1]], [F(-1, 3), F(1, 3), F(-1, 3), F(1, 3)])
VOR = [[1, 0], [0, 1], [-1, 0], [0, -1], [F(1, 2), F(1, 2)]]
CUBE = [(-1, 1)] * 3
OCT = ([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [0, 0, 0])
PATH = ([[1], [1], [1]], [F(-1, 2), 0, F(1, 2)])
CASES = {
    "star": (SQ, lambda: arrangement(*STAR, SQ), lambda: arrangement_cells(*STAR, *box_rows(SQ))),
    "grid": (SQ, lambda: arrangement(*GRID, SQ), lambda: arrangement_cells(*GRID, *box_rows(SQ))),
    "vor": (SQ, lambda: voronoi(VOR, SQ), lambda: argmax_cells(*voronoi_scores(VOR), *box_rows(SQ))),
    "tree": (SQ, lambda: decision_tree(T_JUNCTION_TREE, SQ), lambda: tree_cells(T_JUNCTION_TREE, *box_rows(SQ))),
    "octants": (CUBE, lambda: arrangement(*OCT, CUBE), lambda: arrangement_cells(*OCT, *box_rows(CUBE))),
    "path": ([(-1, 1)], lambda: arrangement(*PATH, [(-1, 1)]), lambda: arrangement_cells(*PATH, *box_rows([(-1, 1)]))),
}


@functools.cache
def case(name):
    """(domain, partition, oracle cells in the partition's order, facet edges)."""
    dom, make_p, make_o = CASES[name]
    P = make_p()
    cells = in_order(P, make_o())
    return dom, P, cells, tuple(sorted(adjacent_faces(cells)))


def walk(nb, w, i, alpha, factor=None):
    """The lazy walk of spec §5 (float masses when ``factor`` gives floats)."""
    ws = {j: w[j] * (factor(i, j) if factor else 1) for j in nb[i]}
    tot = sum(ws.values())
    if tot == 0:
        return {i: 1}
    out = {i: alpha}
    for j, v in ws.items():
        if v:
            out[j] = (1 - alpha) * v / tot
    return out


def oracle_ricci(n, edges, w, alpha):
    """``{e: 1 − W_1(m_i, m_j)/d(i, j)}`` exactly, hop distances (d = 1 on edges)."""
    d = hops(n, edges)
    nb = {i: [] for i in range(n)}
    for i, j in edges:
        nb[i].append(j)
        nb[j].append(i)
    return {(i, j): 1 - w1_dual_integer(walk(nb, w, i, alpha), walk(nb, w, j, alpha), lambda u, v: d[u][v], i)
            for i, j in edges}


@st.composite
def weighted_points(draw, dom):
    pts = draw(points(dom, min_size=0, max_size=7, steps=6, max_denominator=9))
    ws = draw(st.lists(st.sampled_from([F(0), F(1), F(2), F(1, 3), F(7, 5)]), min_size=len(pts), max_size=len(pts)))
    return pts, ws


@pytest.mark.parametrize("name", sorted(CASES))
@settings(max_examples=6)
@given(data=st.data())
def test_data_weighted_ollivier_ricci_matches_the_duality_oracle(name, data):
    """Data masses as walk weights (the default with data): on a complex built with
    data, and with ``data=`` on a volume complex; α drawn from {0, 1/3, 1/2, 1}.
    Also the Ricci-sum and data-weighted vertex curvatures from the oracle."""
    dom, P, cells, edges = case(name)
    pts, ws = data.draw(weighted_points(dom))
    alpha = data.draw(st.sampled_from([F(0), F(1, 3), F(1, 2), F(1)]))
    mass = [F(0)] * len(cells)
    for x, w in zip(pts, ws):
        mass[locate(cells, x)] += w
    exp = oracle_ricci(len(cells), edges, mass, alpha)
    K0 = RiemannianComplex.from_partition(P)
    assert set(K0.simplices(1)) == set(edges)
    got = ricci_curvature(K0, alpha=alpha, data=(pts, ws))
    assert got == exp, (pts, ws, alpha)
    if not pts:
        return
    K = RiemannianComplex.from_partition(P, measure="data", data=pts, data_weights=ws)
    assert ricci_curvature(K, alpha=alpha) == exp
    assert ricci_curvature(K, alpha=alpha, edge_weight="data") == exp
    fl = ricci_curvature(K, alpha=alpha, exact=False)
    assert all(math.isclose(fl[e], float(v), rel_tol=1e-9, abs_tol=1e-9) for e, v in exp.items())
    kappa = [F(0)] * len(cells)
    for (i, j), r in exp.items():
        kappa[i] += r / 2
        kappa[j] += r / 2
    assert vertex_curvature(K, variant="ricci", alpha=alpha) == tuple(kappa)
    # data-weighted vertex curvature: (−1)^dim σ spread in proportion to the masses
    cx = oracle_complex(cells, "facet")
    wtd = [F(0)] * len(cells)
    for p, simps in cx.items():
        for s in simps:
            tot = sum((mass[u] for u in s), F(0))
            for v in s:
                wtd[v] += (-1) ** p * (mass[v] / tot if tot else F(1, len(s)))
    assert vertex_curvature(K, variant="weighted", weights="data") == tuple(wtd)


@pytest.mark.parametrize("name", ["star", "vor", "tree"])
@settings(max_examples=4)
@given(data=st.data())
def test_face_weighted_data_walks_match_the_oracle_in_floats(name, data):
    """``edge_weight="face"`` with data: w_j = data mass × shared-face volume (a surd).
    The costs are still hops, so the integer Lipschitz functions are still the dual
    vertices; the oracle maximises over them with float masses. The package certifies
    the value exactly; its float must agree to 1e-9."""
    dom, P, cells, edges = case(name)
    pts, ws = data.draw(weighted_points(dom))
    pts = [c.interior_point() for c in cells] + pts  # every cell has some data
    ws = [F(1)] * len(cells) + ws
    mass = [F(0)] * len(cells)
    for x, w in zip(pts, ws):
        mass[locate(cells, x)] += w
    faces = adjacent_faces(cells)
    area = {e: math.sqrt(faces[e][1]) for e in edges}
    K = RiemannianComplex.from_partition(P, measure="data", data=pts, data_weights=ws)
    got = ricci_curvature(K, edge_weight="face")
    d = hops(len(cells), edges)
    nb = {i: [] for i in range(len(cells))}
    for i, j in edges:
        nb[i].append(j)
        nb[j].append(i)

    def fac(i, j):
        return area[(min(i, j), max(i, j))]

    fmass = [float(m) for m in mass]
    for i, j in edges:
        mi, mj = walk(nb, fmass, i, 0.5, fac), walk(nb, fmass, j, 0.5, fac)
        w1 = w1_dual_integer(mi, mj, lambda u, v: d[u][v], i)
        assert math.isclose(float(got[(i, j)]), 1 - float(w1), rel_tol=1e-9, abs_tol=1e-9), (i, j)


@pytest.mark.parametrize("name", sorted(CASES))
@settings(max_examples=4)
@given(data=st.data())
def test_forman_with_data_vertex_weights_matches_the_closed_form(name, data):
    """Forman's closed form with the data masses as vertex weights:
    ``F(e) = w_i + w_j − Σ_{v∈e} Σ_{e'∋v, e'≠e} w_v √w_e/√w_e'`` with ``w_e = μ_1(e)²``
    (so ``√w_e/√w_e' = μ_1(e)/μ_1(e')``) from the oracle's face volumes: exact on the
    axis-aligned cases (rational faces), to 1e-9 elsewhere; with uniform face weights
    ``F(e) = w_i (2 − deg i) + w_j (2 − deg j)``, exact everywhere."""
    dom, P, cells, edges = case(name)
    pts, ws = data.draw(weighted_points(dom))
    mass = [F(0)] * len(cells)
    for x, w in zip(pts, ws):
        mass[locate(cells, x)] += w
    deg = [sum(1 for e in edges if v in e) for v in range(len(cells))]
    K = RiemannianComplex.from_partition(P)
    uni = ricci_curvature(K, method="forman", data=(pts, ws), face_weight="uniform")
    assert uni == {(i, j): mass[i] * (2 - deg[i]) + mass[j] * (2 - deg[j]) for i, j in edges}
    faces = adjacent_faces(cells)
    sqv = {e: faces[e][1] for e in edges}
    got = ricci_curvature(K, method="forman", data=(pts, ws))
    exact_terms = all(math.isqrt(v.numerator) ** 2 == v.numerator and math.isqrt(v.denominator) ** 2 == v.denominator
                      for v in sqv.values())
    if exact_terms:
        root = {k: F(math.isqrt(v.numerator), math.isqrt(v.denominator)) for k, v in sqv.items()}
    else:
        root = {k: math.sqrt(v) for k, v in sqv.items()}
    for e in edges:
        val = mass[e[0]] + mass[e[1]]
        for v in e:
            for e2 in edges:
                if v in e2 and e2 != e:
                    val -= mass[v] * root[e] / root[e2]
        if exact_terms:
            assert got[e] == val, e
        else:
            assert math.isclose(float(got[e]), float(val), rel_tol=1e-9, abs_tol=1e-9), e


@st.composite
def weighted_graphs(draw):
    """A connected graph on 2..6 vertices (a random tree plus extra edges) with
    rational vertex weights, zeros included, and huge denominators sometimes."""
    n = draw(st.integers(2, 6))
    edges = {(draw(st.integers(0, k - 1)), k) for k in range(1, n)}
    extra = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=5))
    edges |= {(min(a, b), max(a, b)) for a, b in extra if a != b}
    big = st.integers(1, 10**30).map(lambda k: F(k, 10**30 + 7))
    weight = st.one_of(st.sampled_from([F(0), F(1), F(2), F(1, 3)]), st.fractions(0, 5, max_denominator=50), big)
    w = draw(st.lists(weight, min_size=n, max_size=n))
    return n, tuple(sorted(edges)), tuple(w)


@settings(max_examples=80)
@given(weighted_graphs(), st.sampled_from([F(0), F(1, 4), F(1, 2), F(2, 3), F(1)]))
def test_ollivier_on_random_weighted_graphs_matches_the_duality_oracle(g, alpha):
    n, edges, w = g
    G = WalkGraph(n, edges, w)
    assert ollivier_ricci_graph(G, alpha=alpha) == oracle_ricci(n, edges, list(w), alpha)


@settings(max_examples=40)
@given(weighted_graphs(), st.data())
def test_wasserstein1_matches_the_duality_oracle(g, data):
    """Random measures (equal totals) on a random graph with its hop metric."""
    n, edges, _ = g
    d = hops(n, edges)
    mass = st.one_of(st.sampled_from([F(0), F(1)]), st.fractions(0, 3, max_denominator=30))
    a = data.draw(st.lists(mass, min_size=n, max_size=n))
    b = data.draw(st.lists(mass, min_size=n, max_size=n))
    if sum(a) == 0 or sum(b) == 0:
        return
    mu = {u: v / sum(a) for u, v in enumerate(a) if v}
    nu = {u: v / sum(b) for u, v in enumerate(b) if v}
    exp = w1_dual_integer(mu, nu, lambda u, v: d[u][v], 0)
    assert wasserstein1(mu, nu, lambda u, v: F(d[u][v]), exact=True) == exp
    assert math.isclose(wasserstein1(mu, nu, lambda u, v: d[u][v], exact=False), float(exp), abs_tol=1e-9)


@st.composite
def relu_data_case(draw):
    small = st.sampled_from([-2, -1, -1, 0, 1, 1, 2])
    layers = draw(st.sampled_from([[2], [3], [4], [2, 2]]))
    sizes = [2, *layers, 1]
    Ws = [[draw(st.lists(small, min_size=a, max_size=a)) for _ in range(b)] for a, b in itertools.pairwise(sizes)]
    bs = [[draw(st.sampled_from([F(-1), F(-1, 2), F(0), F(1, 2), F(1)])) for _ in range(b)] for b in sizes[1:]]
    pts, ws = draw(weighted_points(SQ))
    ws = [w + 1 for w in ws]  # positive: a data cell is a cell with a point
    return Ws, bs, pts, ws


@settings(max_examples=8)
@given(relu_data_case(), st.sampled_from([F(0), F(1, 2), F(3, 4)]))
def test_relu_data_graph_ricci_matches_the_duality_oracle(case, alpha):
    """A ReLU net's data partition (only the cells holding data; points on boundaries
    go to the pattern at ``x + ε(c − x) + …``, the oracle's perturbed key): the data
    graph's Ollivier curvature with data-mass walks and hops within the data graph."""
    Ws, bs, pts, ws = case
    if not pts:
        return
    centre = (F(0), F(0))
    keys = [relu_key_perturbed(Ws, bs, x, centre) for x in pts]
    by_key = {c.key: c for c in relu_cells(Ws, bs, *box_rows(SQ))}
    P = relu_network(Ws, bs, SQ, mode="data", data=pts)
    assert {c.key for c in P.cells} == set(keys)
    cells = [by_key[c.key] for c in P.cells]
    index = {c.key: k for k, c in enumerate(P.cells)}
    mass = [F(0)] * len(cells)
    for k, w in zip(keys, ws):
        mass[index[k]] += w
    edges = tuple(sorted(adjacent_faces(cells))) if len(cells) > 1 else ()
    exp = oracle_ricci(len(cells), edges, mass, alpha)
    K = RiemannianComplex.from_partition(P, measure="data", data=pts, data_weights=ws)
    assert K.data_mass() == tuple(mass)
    assert set(K.simplices(1)) == set(edges)
    assert ricci_curvature(K, alpha=alpha) == exp


def test_duality_oracle_by_hand():
    """W_1 on the path 0–1–2–3: δ_0 → δ_3 costs 3; (1/2, 0, 0, 1/2) → (0, 1/2, 1/2, 0)
    costs 1/2·1 + 1/2·1 = 1; a star K_{1,3} with the centre's mass moved to the leaves
    evenly costs 1. Ricci on that path with unit weights, α = 1/2: middle edge
    m_1 = (1/4, 1/2, 1/4, 0), m_2 = (0, 1/4, 1/2, 1/4), μ − ν = (1/4, 1/4, −1/4, −1/4)
    moves 1/2 over two hops: W_1 = 1, Ric = 0; end edge m_0 = (1/2, 1/2, 0, 0):
    μ − ν = (1/4, 0, −1/4, 0), W_1 = 1/2, Ric = 1/2."""

    def path(u, v):
        return abs(u - v)

    assert w1_dual_integer({0: F(1)}, {3: F(1)}, path, 0) == 3
    assert w1_dual_integer({0: F(1, 2), 3: F(1, 2)}, {1: F(1, 2), 2: F(1, 2)}, path, 0) == 1

    def star(u, v):
        return 0 if u == v else (1 if 0 in (u, v) else 2)

    assert w1_dual_integer({0: F(1)}, {1: F(1, 3), 2: F(1, 3), 3: F(1, 3)}, star, 0) == 1
    ric = oracle_ricci(4, [(0, 1), (1, 2), (2, 3)], [1, 1, 1, 1], F(1, 2))
    assert ric == {(0, 1): F(1, 2), (1, 2): 0, (2, 3): F(1, 2)}
    # a neighbourhood without data keeps all the mass at home: m_0 = δ_0, m_1 = (1/2, 1/2, 0)
    assert oracle_ricci(3, [(0, 1), (1, 2)], [1, 0, 0], F(1, 2))[(0, 1)] == 1 - F(1, 2)
