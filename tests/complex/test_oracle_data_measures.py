"""Data and mixed measures of the complex against the oracle of ``tests/_exact_oracle.py``.

The oracle knows nothing of exactgeom: it locates each data point in the lowest-index
brute-force cell containing it, enumerates the k-faces of that cell (vertex sets tight
on n − k facet rows), projects the point onto each face's affine hull by the normal
equations of a basis of vertex differences, and applies the ``nearest_face`` rule of
``docs/definitions/complex.md`` (equal split among the nearest faces whose foot lies in
the cell, then among the simplices of that dimension whose intersection lies in the
face's hull and contains the foot). ``mean`` averages the masses over a simplex,
``mixed`` multiplies the oracle's squared volumes by the squared mean density. From
these measures it assembles, in Fractions, the Gram matrices ``M_p = diag(μ_p)``, the
Hodge Laplacians ``Δ_0 = M_0⁻¹ B_1 M_1 B_1ᵀ`` and ``Δ_1`` (where ``M_1`` is invertible),
``Δ_0`` with the angle metric (the oracle's own area vectors), the extended Laplacian
with the oracle's two-point-flux weights, the spline system
``(W + λ B_1 M_1 B_1ᵀ) f = W y`` with the data masses as W, and the data-mean positions.
Everything is compared exactly; hypothesis draws the points (many on boundaries, where
the tie rules matter) and their weights.
"""

from __future__ import annotations

import functools
import itertools
from fractions import Fraction

import pytest
from _exact_oracle import (
    T_JUNCTION_TREE,
    adjacent_faces,
    angle_gram,
    area_vectors,
    argmax_cells,
    arrangement_cells,
    boundary_matrix,
    box_rows,
    cell_faces,
    centroid,
    contains,
    dot,
    locate,
    mat_diag,
    mat_mul,
    mat_t,
    nearest_face_measure,
    oracle_complex,
    project_affine,
    relu_cells,
    relu_key_perturbed,
    solve,
    tree_cells,
    voronoi_scores,
)
from _oracle_cases import in_order, points
from hypothesis import given, settings
from hypothesis import strategies as st

from exactgeom.complex import RiemannianComplex
from exactgeom.errors import DegenerateError
from exactgeom.numbers import Surd
from exactgeom.partitions import arrangement, decision_tree, relu_network, voronoi

F = Fraction
SQ = [(-1, 1), (-1, 1)]
CUBE = [(-1, 1)] * 3
STAR = ([[1, 0], [0, 1], [1, 1], [1, -1]], [0, 0, 0, 2])
VOR = [[1, 0], [0, 1], [-1, 0], [0, -1], [F(1, 2), F(1, 2)]]
VOR3 = [[-2, 1, 0], [1, 0, -1], [-2, 0, 2]]
TREE_3D = {
    "feature": 2,
    "threshold": 0,
    "left": {"feature": 0, "threshold": 0, "left": {"leaf": 0}, "right": {"leaf": 1}},
    "right": {"feature": 1, "threshold": F(1, 2), "left": {"leaf": 2}, "right": {"leaf": 3}},
}
CASES = {
    # two crossing lines: diagonal point contacts under nerve
    "cross": (SQ, lambda: arrangement([[1, 0], [0, 1]], [0, 0], SQ),
              lambda: arrangement_cells([[1, 0], [0, 1]], [0, 0], *box_rows(SQ))),
    # oblique lines: surd face volumes (mixed measure), three lines through the centre
    "star": (SQ, lambda: arrangement(*STAR, SQ), lambda: arrangement_cells(*STAR, *box_rows(SQ))),
    # Voronoi with a cospherical centre
    "vor": (SQ, lambda: voronoi(VOR, SQ), lambda: argmax_cells(*voronoi_scores(VOR), *box_rows(SQ))),
    # T-junctions: one cell's facet is shared with two cells
    "tree": (SQ, lambda: decision_tree(T_JUNCTION_TREE, SQ), lambda: tree_cells(T_JUNCTION_TREE, *box_rows(SQ))),
    "tree3d": (CUBE, lambda: decision_tree(TREE_3D, CUBE), lambda: tree_cells(TREE_3D, *box_rows(CUBE))),
    # three Voronoi cells around an oblique segment: a 2-simplex whose intersection is
    # a segment, so k = 1 faces (edges), some of whose lines are nearer than every edge
    # but have their foot outside the cell
    "vor3d": (CUBE, lambda: voronoi(VOR3, CUBE), lambda: argmax_cells(*voronoi_scores(VOR3), *box_rows(CUBE))),
    "line": ([(-1, 1)], lambda: arrangement([[1], [2]], [0, 1], [(-1, 1)]),
             lambda: arrangement_cells([[1], [2]], [0, 1], *box_rows([(-1, 1)]))),
}


@functools.cache
def case(name, convention):
    """(domain, partition, oracle cells in the partition's order, oracle complex)."""
    dom, make_p, make_o = CASES[name]
    P = make_p()
    cells = in_order(P, make_o())
    return dom, P, cells, oracle_complex(cells, convention)


@st.composite
def weighted_points(draw, dom, max_size=5):
    pts = draw(points(dom, max_size=max_size))
    ws = draw(st.lists(st.sampled_from([F(0), F(1), F(2), F(1, 3)]), min_size=len(pts), max_size=len(pts)))
    return pts, ws


def squared(v):
    return v.squared() if isinstance(v, Surd) else F(v) ** 2


def masses(cells, pts, ws):
    m = [F(0)] * len(cells)
    for x, w in zip(pts, ws):
        m[locate(cells, x)] += w
    return m


def oracle_measure(cells, cx, p, pts, ws, measure, rule, lowdim="own_dim"):
    """``{σ: μ_p(σ)}`` for ``data`` (exact) or ``{σ: μ_p(σ)²}`` for ``mixed``."""
    n = len(cells[0].V[0])
    m = masses(cells, pts, ws)
    if measure == "mixed":
        vols = [c.volume() for c in cells]
        out = {}
        for s, (_, vol_sq) in cx[p].items():
            rho = sum((m[i] / vols[i] for i in s), F(0)) / len(s)
            out[s] = (m[s[0]] ** 2) if p == 0 else vol_sq * rho * rho
    elif p == 0:
        out = {(i,): m[i] for i in range(len(cells))}
    elif rule == "mean":
        out = {s: sum((m[i] for i in s), F(0)) / len(s) for s in cx[p]}
    else:
        out = nearest_face_measure(cells, cx, p, pts, ws)
    if lowdim == "zero" and p >= 1:
        zero = F(0)
        out = {s: (zero if 0 < n - p and cx[p][s][0] < n - p else v) for s, v in out.items()}
    return out


@pytest.mark.parametrize("convention", ["facet", "nerve"])
@pytest.mark.parametrize("name", sorted(CASES))
@settings(max_examples=8)
@given(data=st.data())
def test_data_and_mixed_measures_match_oracle(name, convention, data):
    """μ_p of the data (both rules) and mixed measures, and M_p = diag(μ_p), equal the
    oracle's for every p; under nerve also with lowdim_measure='zero'."""
    dom, P, cells, cx = case(name, convention)
    pts, ws = data.draw(weighted_points(dom))
    rule = data.draw(st.sampled_from(["nearest_face", "mean"]))
    lowdim = data.draw(st.sampled_from(["own_dim", "zero"])) if convention == "nerve" else "own_dim"
    opts = dict(convention=convention, data=pts, data_weights=ws, data_rule=rule, lowdim_measure=lowdim)
    K = RiemannianComplex.from_partition(P, measure="data", **opts)
    assert K.data_mass() == tuple(masses(cells, pts, ws))
    for p in range(max(cx) + 1):
        assert set(K.simplices(p)) == set(cx[p])
        exp = oracle_measure(cells, cx, p, pts, ws, "data", rule, lowdim)
        got = dict(zip(K.simplices(p), K.measure(p)))
        assert got == exp, (p, pts, ws)
        M = K.inner_product(p)
        assert [list(r) for r in M.dense()] == [
            [exp[s] if s == t else F(0) for t in K.simplices(p)] for s in K.simplices(p)
        ]
    Km = RiemannianComplex.from_partition(P, measure="mixed", **opts)
    for p in range(max(cx) + 1):
        exp = oracle_measure(cells, cx, p, pts, ws, "mixed", rule, lowdim)
        got = {s: squared(v) for s, v in zip(Km.simplices(p), Km.measure(p))}
        assert got == exp, p





def _dense(M):
    return [[F(x) for x in r] for r in M.dense()]


@pytest.mark.parametrize("name", sorted(CASES))
@settings(max_examples=6)
@given(data=st.data())
def test_data_laplacians_and_splines_match_oracle(name, data):
    """Facet convention with data in every cell (one interior point each, plus random
    points): Δ_0, Δ_1, the angle-metric Δ_0, the extended Laplacian (M_0 = data masses)
    and the spline with data weights, each assembled from the oracle's measures."""
    dom, P, cells, cx = case(name, "facet")
    pts, ws = data.draw(weighted_points(dom, max_size=4))
    pts = [c.interior_point() for c in cells] + pts
    ws = [F(1)] * len(cells) + ws
    rule = data.draw(st.sampled_from(["nearest_face", "mean"]))
    K = RiemannianComplex.from_partition(P, measure="data", data=pts, data_weights=ws, data_rule=rule)
    simp = {p: K.simplices(p) for p in cx}
    mu = {p: [oracle_measure(cells, cx, p, pts, ws, "data", rule)[s] for s in simp[p]] for p in cx}
    B = {p: [[F(v) for v in r] for r in boundary_matrix(simp[p], simp[p - 1])] for p in cx if p >= 1}
    inv0 = mat_diag([1 / v for v in mu[0]])
    if 1 in B:
        lap0 = mat_mul(inv0, mat_mul(mat_mul(B[1], mat_diag(mu[1])), mat_t(B[1])))
    else:
        lap0 = [[F(0)] * len(mu[0]) for _ in mu[0]]
    assert _dense(K.hodge_laplacian(0)) == lap0
    if 1 not in B:
        return
    # Δ_1 = M_1⁻¹ B_2 M_2 B_2ᵀ + B_1ᵀ M_0⁻¹ B_1 M_1, only where M_1 (and M_2) are invertible
    if all(mu[1]) and all(mu.get(2, [1])):
        lap1 = mat_mul(mat_mul(mat_mul(mat_t(B[1]), inv0), B[1]), mat_diag(mu[1]))
        if 2 in B:
            up = mat_mul(mat_diag([1 / v for v in mu[1]]), mat_mul(mat_mul(B[2], mat_diag(mu[2])), mat_t(B[2])))
            lap1 = [[a + b for a, b in zip(r, s)] for r, s in zip(lap1, up)]
        assert _dense(K.hodge_laplacian(1)) == lap1
    else:
        with pytest.raises(DegenerateError):
            K.hodge_laplacian(1)
    # the angle metric is geometric whatever the measure; M_0 stays the data masses
    faces = adjacent_faces(cells)
    area = area_vectors(cells, faces, simp[1])
    Ma = angle_gram(cells, simp[1], area)
    Ka = RiemannianComplex.from_partition(P, measure="data", metric="angle", data=pts, data_weights=ws, data_rule=rule)
    assert _dense(Ka.inner_product(1)) == Ma
    assert _dense(Ka.hodge_laplacian(0)) == mat_mul(inv0, mat_mul(mat_mul(B[1], Ma), mat_t(B[1])))
    # extended Laplacian: M_0⁻¹ B_1 diag(|A_e|²/|A_e·(c_j − c_i)|) B_1ᵀ
    cen = [centroid(c.A, c.b, c.V) for c in cells]
    tpf = [
        dot(a, a) / abs(dot(a, [y - x for x, y in zip(cen[i], cen[j])]))
        for (i, j), a in zip(simp[1], area)
    ]
    assert _dense(K.extended_laplacian()) == mat_mul(inv0, mat_mul(mat_mul(B[1], mat_diag(tpf)), mat_t(B[1])))
    # spline with the data masses as W and M_1 = diag(μ_1^data)
    y = data.draw(st.lists(st.integers(-3, 3).map(F), min_size=len(cells), max_size=len(cells)))
    lam = data.draw(st.sampled_from([F(0), F(1, 2), F(3)]))
    A = [[a + lam * b for a, b in zip(r, s)] for r, s in zip(mat_diag(mu[0]), mat_mul(mat_mul(B[1], mat_diag(mu[1])), mat_t(B[1])))]
    f = solve(A, [w * v for w, v in zip(mu[0], y)])
    fit = K.spline(y, lam)
    assert fit.exact and tuple(fit.values) == f
    # data-mean positions: the weighted mean of the points of each cell (centroid if none)
    pos = []
    for k in range(len(cells)):
        mine = [(x, w) for x, w in zip(pts, ws) if locate(cells, x) == k]
        tot = sum((w for _, w in mine), F(0))
        if tot:
            pos.append(tuple(sum((F(x[d]) * w for x, w in mine), F(0)) / tot for d in range(len(dom))))
        else:
            pos.append(cen[k])
    assert K.positions("data_mean") == tuple(pos)


def test_nearest_face_oracle_by_hand():
    """The oracle's rule on the unit-square halves of ``x = 0`` in ``[-1, 1] × [0, 1]``:
    (1/4, 1/2) is nearest to the shared face (distance 1/4 against 1/2, 1/2, 3/4);
    (1/2, 1/2) ties four ways (the shared face gets 1/4); the point (0, 1/2) on the
    shared face lies in cell 0 (lowest index), at distance 0 from it."""
    cells = arrangement_cells([[1, 0]], [0], *box_rows([(-1, 1), (0, 1)]))
    cells.sort(key=lambda c: c.key)
    cx = oracle_complex(cells, "facet")
    pts = [(F(1, 4), F(1, 2)), (F(1, 2), F(1, 2)), (F(0), F(1, 2))]
    mu = nearest_face_measure(cells, cx, 1, pts, [1, 1, 1])
    assert mu == {(0, 1): F(1) + F(1, 4) + F(1)}
    assert [locate(cells, x) for x in pts] == [1, 1, 0]


def test_faces_whose_foot_leaves_the_cell_do_not_count():
    """Points of the 3-D Voronoi case whose nearest edge *line* has its foot outside the
    cell (found by a search with the oracle): the rule counts only faces containing the
    foot, and the package agrees with the oracle on them."""
    _, P, cells, cx = case("vor3d", "facet")
    pts = [(F(-1, 8), F(0), F(7, 8)), (F(0), F(5, 8), F(5, 8)), (F(1, 4), F(1, 2), F(1)), (F(3, 8), F(5, 8), F(1))]
    for x in pts:  # the premise: the nearest line's foot is outside, so the rule matters
        C = cells[locate(cells, x)]
        scored = [(project_affine(G, x)) for G in cell_faces(C, 1)]
        best_all = min(d for d, _ in scored)
        assert all(not contains(C, y) for d, y in scored if d == best_all)
    K = RiemannianComplex.from_partition(P, measure="data", data=pts)
    for p in (1, 2):
        assert dict(zip(K.simplices(p), K.measure(p))) == nearest_face_measure(cells, cx, p, pts, [1] * len(pts))


@st.composite
def relu_data_case(draw):
    small = st.sampled_from([-2, -1, -1, 0, 1, 1, 2])
    layers = draw(st.sampled_from([[3], [4], [3, 2]]))
    sizes = [2, *layers, 1]
    Ws = [[draw(st.lists(small, min_size=a, max_size=a)) for _ in range(b)] for a, b in itertools.pairwise(sizes)]
    bs = [[draw(st.sampled_from([F(-1), F(-1, 2), F(0), F(1, 2)])) for _ in range(b)] for b in sizes[1:]]
    pts, ws = draw(weighted_points(SQ, max_size=9))
    return Ws, bs, pts, [w + 1 for w in ws]


@settings(max_examples=20)
@given(relu_data_case(), st.sampled_from(["nearest_face", "mean"]))
def test_relu_data_partition_measures_match_oracle(case, rule):
    """A ReLU net's data partition (only the cells holding data, points on boundaries
    assigned by the perturbed key ``x + ε(c − x) + …``, the oracle's
    ``relu_key_perturbed``): the facet complex of the data cells with the data measure
    of both rules, and Δ_0 over the data masses."""
    Ws, bs, pts, ws = case
    keys = [relu_key_perturbed(Ws, bs, x, (F(0), F(0))) for x in pts]
    by_key = {c.key: c for c in relu_cells(Ws, bs, *box_rows(SQ))}
    P = relu_network(Ws, bs, SQ, mode="data", data=pts)
    cells = [by_key[c.key] for c in P.cells]
    index = {c.key: k for k, c in enumerate(P.cells)}
    where = [index[k] for k in keys]
    cx = oracle_complex(cells, "facet")
    K = RiemannianComplex.from_partition(P, measure="data", data=pts, data_weights=ws, data_rule=rule)
    mass = [F(0)] * len(cells)
    for c, w in zip(where, ws):
        mass[c] += w
    assert K.data_mass() == tuple(mass)
    for p in range(max(cx) + 1):
        assert set(K.simplices(p)) == set(cx[p])
        if p == 0:
            exp = {(i,): mass[i] for i in range(len(cells))}
        elif rule == "mean":
            exp = {s: sum((mass[i] for i in s), F(0)) / len(s) for s in cx[p]}
        else:
            exp = nearest_face_measure(cells, cx, p, pts, ws, where)
        assert dict(zip(K.simplices(p), K.measure(p))) == exp, p
    if 1 in cx:
        e1 = K.simplices(1)
        B1 = [[F(v) for v in r] for r in boundary_matrix(e1, K.simplices(0))]
        mu1 = dict(zip(e1, K.measure(1)))
        lap = mat_mul(mat_diag([1 / m for m in mass]), mat_mul(mat_mul(B1, mat_diag([mu1[e] for e in e1])), mat_t(B1)))
        assert _dense(K.hodge_laplacian(0)) == lap
