"""Curvature of degenerate partitions against the oracle of ``tests/_exact_oracle.py``.

* vertex curvature (combinatorial and volume-weighted) from the oracle's own complex,
  exactly, and Gauss–Bonnet against the oracle's Euler characteristic;
* Ollivier–Ricci (α = 1/2 and 0, volume and uniform walks, hop distances) with the
  transport LP solved exactly by sympy's rational simplex on the oracle's adjacency graph;
* Ollivier–Ricci with surd data (face-weighted walks, centroid distances: certified exact
  values) and Forman's closed form (volume vertex weights, squared face weights; uniform
  weights give ``4 − deg − deg``) against the same formulas in floats;
* angle defects in 2-D: the pieces are exactly the oracle's cell vertices inside the
  domain's interior, the cells at a piece are the oracle cells containing it, a cell
  contributes the closed-form cosine ``−⟨a,b⟩/(‖a‖‖b‖)`` of its two facet rows tight there
  (π at a T-junction), and every defect is zero by the exact rotation product.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import pytest
from _exact_oracle import (
    T_JUNCTION_TREE,
    adjacent_faces,
    affine_dim,
    argmax_cells,
    arrangement_cells,
    box_rows,
    centroid,
    dot,
    hops,
    oracle_complex,
    tree_cells,
    voronoi_scores,
)

from exactgeom.analysis.curvature import angle_defects
from exactgeom.analysis.ricci import ricci_curvature
from exactgeom.analysis.simplicial_curvature import gauss_bonnet_total, vertex_curvature
from exactgeom.complex import RiemannianComplex
from exactgeom.partitions import argmax_linear, arrangement, decision_tree, voronoi

F = Fraction
SQ = [(-1, 1), (-1, 1)]
TREE_T = T_JUNCTION_TREE
VOR = [[1, 0], [0, 1], [-1, 0], [0, -1], [F(1, 2), F(1, 2)]]
STAR = ([[1, 0], [0, 1], [1, 1], [1, -1], [1, 0]], [0, 0, 0, 2, F(1, 2)])
ARG = ([[0, 1], [0, -1], [0, -1], [1, 1], [-1, 2]], [0, 0, 0, F(-1, 2), 0])
CUBE = [(-1, 1)] * 3
CASES = {
    "star": lambda: (arrangement(*STAR, SQ), arrangement_cells(*STAR, *box_rows(SQ))),
    "vor": lambda: (voronoi(VOR, SQ), argmax_cells(*voronoi_scores(VOR), *box_rows(SQ))),
    "argtie": lambda: (argmax_linear(*ARG, SQ), argmax_cells(*ARG, *box_rows(SQ))),
    "tree": lambda: (decision_tree(TREE_T, SQ), tree_cells(TREE_T, *box_rows(SQ))),
    "octants": lambda: (
        arrangement([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [0, 0, 0], CUBE),
        arrangement_cells([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [0, 0, 0], *box_rows(CUBE)),
    ),
    "line": lambda: (arrangement([[1], [2]], [0, 1], [(-1, 1)]), arrangement_cells([[1], [2]], [0, 1], *box_rows([(-1, 1)]))),
}


def in_order(P, oc):
    by_key = {c.key: c for c in oc}
    assert set(by_key) == {c.key for c in P.cells}
    return [by_key[c.key] for c in P.cells]


@pytest.mark.parametrize("convention", ["facet", "nerve"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_vertex_curvature_matches_oracle(name, convention):
    P, oc = CASES[name]()
    cells = in_order(P, oc)
    K = RiemannianComplex.from_partition(P, convention=convention)
    cx = oracle_complex(cells, convention)
    vols = [c.volume() for c in cells]
    comb = [F(0)] * len(cells)
    wtd = [F(0)] * len(cells)
    for p, simps in cx.items():
        for s in simps:
            tot = sum(vols[u] for u in s)
            for v in s:
                comb[v] += F((-1) ** p, p + 1)
                wtd[v] += (-1) ** p * vols[v] / tot
    assert tuple(vertex_curvature(K)) == tuple(comb)
    assert tuple(vertex_curvature(K, variant="weighted")) == tuple(wtd)
    chi = sum((-1) ** p * len(s) for p, s in cx.items())
    assert gauss_bonnet_total(K) == (chi, chi)


def transport_cost(a, b, cost, eps=0):
    """W_1 between the finite measures ``a`` and ``b`` (dicts, equal totals) by successive
    shortest paths (Bellman–Ford on the residual bipartite graph): exact in Fractions
    (``eps = 0``), or in floats with masses below ``eps`` treated as exhausted."""
    supply, demand = dict(a), dict(b)
    flow = {}
    total = F(0)
    while any(v > eps for v in supply.values()):
        # nodes: ("s", u) and ("t", v); arcs s→t (cost c, unbounded), t→s (cost −c, cap = flow)
        dist = {("s", u): 0 for u in supply if supply[u] > eps}
        pred = {}
        for _ in range(len(a) + len(b) + 1):
            changed = False
            for (kind, x), dx in list(dist.items()):
                if kind == "s":
                    arcs = [(("t", v), cost(x, v)) for v in b]
                else:
                    arcs = [(("s", u), -cost(u, x)) for u in a if flow.get((u, x), 0) > 0]
                for y, c in arcs:
                    if y not in dist or dx + c < dist[y] - eps:
                        dist[y], pred[y] = dx + c, (kind, x)
                        changed = True
            if not changed:
                break
        sink = min((("t", v) for v in b if demand[v] > eps and ("t", v) in dist), key=lambda y: dist[y])
        path, y = [], sink
        while y in pred:
            path.append((pred[y], y))
            y = pred[y]
            assert len(path) <= len(a) + len(b), "a cycle in the shortest-path tree"
        src = y[1]
        amt = min(supply[src], demand[sink[1]])
        for x, y in path:
            if x[0] == "t":
                amt = min(amt, flow[(y[1], x[1])])
        for x, y in path:
            if x[0] == "s":
                flow[(x[1], y[1])] = flow.get((x[1], y[1]), F(0)) + amt
            else:
                flow[(y[1], x[1])] -= amt
        supply[src] -= amt
        demand[sink[1]] -= amt
    for (u, v), f in flow.items():
        total += f * cost(u, v)
    return total


def oracle_ricci(cells, alpha, weights):
    """``{(i, j): 1 − W_1(m_i, m_j)}`` on the facet adjacency graph, hop distances."""
    edges = sorted(adjacent_faces(cells))
    m = len(cells)
    nb = {i: [] for i in range(m)}
    for i, j in edges:
        nb[i].append(j)
        nb[j].append(i)
    dist = _hops(edges, m)

    def walk(i):
        tot = sum(weights[j] for j in nb[i])
        if tot == 0:
            return {i: F(1)}
        out = {i: F(alpha)}
        for j in nb[i]:
            out[j] = out.get(j, F(0)) + (1 - F(alpha)) * F(weights[j]) / tot
        return {k: v for k, v in out.items() if v}

    ric = {}
    for i, j in edges:
        mi, mj = walk(i), walk(j)
        w1 = transport_cost(mi, mj, lambda u, v: dist[u][v])
        ric[(i, j)] = 1 - w1 / dist[i][j]
    return ric


@pytest.mark.parametrize("name", ["star", "vor", "argtie", "tree", "line"])
def test_ollivier_ricci_matches_oracle(name):
    P, oc = CASES[name]()
    cells = in_order(P, oc)
    K = RiemannianComplex.from_partition(P)
    vols = [c.volume() for c in cells]
    assert ricci_curvature(K) == oracle_ricci(cells, F(1, 2), vols)
    assert ricci_curvature(K, alpha=0, edge_weight="uniform") == oracle_ricci(cells, 0, [1] * len(cells))
    assert ricci_curvature(K, alpha=F(1, 3), edge_weight="volume") == oracle_ricci(cells, F(1, 3), vols)


@pytest.mark.parametrize("name", ["star", "vor", "argtie", "tree"])
def test_angle_defects_2d_match_oracle(name):
    P, oc = CASES[name]()
    cells = in_order(P, oc)
    dA, db = box_rows(SQ)
    interior = {
        v for c in cells for v in c.V if all(dot(a, v) < bb for a, bb in zip(dA, db))
    }
    defects = angle_defects(P, zero_test="rotation")
    pieces = {}
    for d in defects:
        assert len(d.piece_vertices) == 1
        pieces[d.piece_vertices[0]] = d
    assert set(pieces) == interior
    for p, d in pieces.items():
        assert d.is_zero(witness="rotation")
        holders = [k for k, c in enumerate(cells) if all(dot(a, p) <= bb for a, bb in zip(c.A, c.b))]
        assert [ca.cell for ca in d.angles] == holders
        for ca in d.angles:
            c = cells[ca.cell]
            tight = [a for a, bb in zip(c.A, c.b) if dot(a, p) == bb]
            if len(tight) == 1:  # inside a facet: a T-junction, angle π
                assert ca.kind == "facet" and ca.angle.cos == -1
            else:
                assert len(tight) == 2 and ca.kind == "ridge"
                a, b = tight
                ab = dot(a, b)
                assert ca.angle.squared_cos() == ab * ab / (dot(a, a) * dot(b, b))
                assert (ca.angle.cos > 0) == (ab < 0) and (ca.angle.cos < 0) == (ab > 0)


def test_oracle_ricci_on_a_path_by_hand():
    """The oracle's W_1 on three unit cells in a row: m_0 = (1/2, 1/2, 0),
    m_1 = (1/4, 1/2, 1/4), m_2 = (0, 1/2, 1/2). From m_0 to m_1, 1/4 goes 0 → 1 and 1/4
    goes 1 → 2: W_1 = 1/2, Ric = 1/2."""
    oc = arrangement_cells([[1], [1]], [1, 2], *box_rows([(0, 3)]))
    ric = oracle_ricci(oc, F(1, 2), [1, 1, 1])
    assert ric == {(0, 1): F(1, 2), (1, 2): F(1, 2)}
    # and a plan that must move mass two hops: W_1(δ_0, δ_2) = 2
    assert transport_cost({0: F(1)}, {2: F(1)}, lambda u, v: abs(u - v)) == 2
    assert affine_dim([c.V[0] for c in oc]) == 1
    assert min(itertools.chain.from_iterable(c.V for c in oc)) == (F(0),)


def float_ricci(cells, faces, weights, ground, alpha=0.5):
    """Ollivier–Ricci in floats: walks ``∝ weights[j]·f_ij``, ground metric ``ground(u, v)``."""
    nb = {i: {} for i in range(len(cells))}
    for (i, j), f in faces.items():
        nb[i][j] = nb[j][i] = f
    out = {}
    for i, j in faces:
        walks = []
        for v in (i, j):
            tot = sum(weights[u] * f for u, f in nb[v].items())
            m = {v: alpha}
            for u, f in nb[v].items():
                m[u] = m.get(u, 0.0) + (1 - alpha) * weights[u] * f / tot
            walks.append(m)
        out[(i, j)] = 1 - transport_cost(*walks, ground, eps=1e-13) / ground(i, j)
    return out


@pytest.mark.parametrize("name", ["star", "vor", "argtie", "tree"])
def test_surd_ricci_and_forman_match_a_float_oracle(name):
    """Face-weighted walks and centroid distances (surd data, certified exact values) and
    Forman's closed form, against the same formulas in floats on the oracle's geometry."""
    P, oc = CASES[name]()
    cells = in_order(P, oc)
    K = RiemannianComplex.from_partition(P)
    faces = adjacent_faces(cells)
    area = {e: math.sqrt(v[1]) for e, v in faces.items()}
    vols = [float(c.volume()) for c in cells]
    cen = [[float(x) for x in centroid(c.A, c.b, c.V)] for c in cells]

    def euclid(u, v):
        return math.dist(cen[u], cen[v])

    got = ricci_curvature(K, edge_weight="face", distance="centroid")
    exp = float_ricci(cells, area, vols, euclid)
    assert set(got) == set(exp)
    for e, v in exp.items():
        assert math.isclose(float(got[e]), v, rel_tol=1e-9, abs_tol=1e-9), (e, float(got[e]), v)
    hop = ricci_curvature(K, edge_weight="face")
    hops = _hops(faces, len(cells))
    exp_hop = float_ricci(cells, area, vols, lambda u, v: hops[u][v])
    for e, v in exp_hop.items():
        assert math.isclose(float(hop[e]), v, rel_tol=1e-9, abs_tol=1e-9), e
    # Forman: w_v = volume, w_e = μ_1², so √(w_e w_e') = μ_1(e) μ_1(e')
    forman = ricci_curvature(K, method="forman")
    for (i, j), a in area.items():
        we = a * a
        val = vols[i] + vols[j]
        for v in (i, j):
            for e2, a2 in area.items():
                if v in e2 and e2 != (i, j):
                    val -= vols[v] * we / (a * a2)
        assert math.isclose(float(forman[(i, j)]), val, rel_tol=1e-9, abs_tol=1e-9), (i, j)
    uni = ricci_curvature(K, method="forman", edge_weight="uniform", face_weight="uniform")
    deg = [sum(1 for e in faces if v in e) for v in range(len(cells))]
    assert uni == {(i, j): 4 - deg[i] - deg[j] for i, j in faces}


def _hops(faces, m):
    return hops(m, faces)
