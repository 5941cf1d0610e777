"""The Riemannian complex of degenerate partitions against the oracle of ``tests/_exact_oracle.py``.

The oracle builds the complex from its own brute-force cells: a set σ of cells is a simplex
under ``nerve`` iff the brute-forced vertex set of ``∩ C_i`` is non-empty, under ``facet``
iff its affine dimension is ``n − p`` (and all faces are simplices); ``μ_p`` is the squared
volume of the intersection (pulling triangulation + Gram determinants). Boundary matrices are
rebuilt from the sign rule, Betti numbers come from sympy ranks over Q, the Hodge Laplacian
``Δ_p = M_p⁻¹ B_{p+1} M_{p+1} B_{p+1}ᵀ + B_pᵀ M_{p−1}⁻¹ B_p M_p`` is assembled in numpy from the
oracle's measures and compared with ``spectrum_float`` and the certified ``spectrum``; the
angle metric ``M_1 = Σ_i G_i / (2 vol C_i)`` and the two-point-flux weights
``r‖a‖² / |a·(c_j − c_i)|`` are assembled exactly in Fractions from the oracle's faces. On
axis-aligned partitions (rational measures) ``Δ_p``, the chain form ``L_p`` and the extended
Laplacian are assembled exactly in Fractions and compared entry by entry.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
import sympy
from _exact_oracle import (
    T_JUNCTION_TREE,
    adjacent_faces,
    angle_gram,
    area_vectors,
    argmax_cells,
    arrangement_cells,
    boundary_matrix,
    box_rows,
    centroid,
    dot,
    mat,
    mat_add,
    mat_diag,
    mat_mul,
    mat_t,
    oracle_complex,
    tree_cells,
    voronoi_scores,
)

from exactgeom.complex import RiemannianComplex
from exactgeom.partitions import argmax_linear, arrangement, decision_tree, voronoi

F = Fraction

TREE_T = T_JUNCTION_TREE
TREE_3D = {
    "feature": 2,
    "threshold": 0,
    "left": {"feature": 0, "threshold": 0, "left": {"leaf": 0}, "right": {"leaf": 1}},
    "right": {"feature": 1, "threshold": F(1, 2), "left": {"leaf": 2}, "right": {"leaf": 3}},
}

SQ = [(-1, 1), (-1, 1)]
CASES = {
    # two crossing lines: 4-cycle (facet) / tetrahedron (nerve)
    "cross": lambda: (arrangement([[1, 0], [0, 1]], [0, 0], SQ), ("arr", [[1, 0], [0, 1]], [0, 0], SQ)),
    # three lines through one point and a line through a corner
    "star": lambda: (
        arrangement([[1, 0], [0, 1], [1, 1], [1, -1]], [0, 0, 0, 2], SQ),
        ("arr", [[1, 0], [0, 1], [1, 1], [1, -1]], [0, 0, 0, 2], SQ),
    ),
    # cospherical Voronoi: a degree-4 vertex in the middle
    "vor4": lambda: (
        voronoi([[1, 0], [0, 1], [-1, 0], [0, -1]], SQ),
        ("arg", *voronoi_scores([[1, 0], [0, 1], [-1, 0], [0, -1]]), SQ),
    ),
    # argmax with a tie on a whole line (class 2 repeats class 1) and an oblique class
    "argtie": lambda: (
        argmax_linear([[0, 1], [0, -1], [0, -1], [1, 1]], [0, 0, 0, F(-1, 2)], SQ),
        ("arg", [[0, 1], [0, -1], [0, -1], [1, 1]], [0, 0, 0, F(-1, 2)], SQ),
    ),
    "tree": lambda: (decision_tree(TREE_T, SQ), ("tree", TREE_T, SQ)),
    "tree3d": lambda: (decision_tree(TREE_3D, [(-1, 1)] * 3), ("tree", TREE_3D, [(-1, 1)] * 3)),
    # 3-D: three coordinate planes through the centre (8 octants) plus a corner plane
    "octants": lambda: (
        arrangement([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]], [0, 0, 0, 2], [(-1, 1)] * 3),
        ("arr", [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]], [0, 0, 0, 2], [(-1, 1)] * 3),
    ),
    # 1-D: points, one repeated
    "line": lambda: (arrangement([[1], [2], [1]], [0, 1, 0], [(-1, 1)]), ("arr", [[1], [2], [1]], [0, 1, 0], [(-1, 1)])),
}


def oracle_cells_in_order(P, spec):
    kind, *args = spec
    dom = args[-1]
    dA, db = box_rows(dom)
    if kind == "arr":
        oc = arrangement_cells(args[0], args[1], dA, db)
    elif kind == "arg":
        oc = argmax_cells(args[0], args[1], dA, db)
    else:
        oc = tree_cells(args[0], dA, db)
    by_key = {c.key: c for c in oc}
    assert set(by_key) == {c.key for c in P.cells}
    return [by_key[c.key] for c in P.cells]


def q_rank(B):
    return sympy.Matrix(B).rank() if B and B[0] else 0


@pytest.mark.parametrize("convention", ["facet", "nerve"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_complex_matches_oracle(name, convention):
    P, spec = CASES[name]()
    cells = oracle_cells_in_order(P, spec)
    K = RiemannianComplex.from_partition(P, convention=convention)
    oc = oracle_complex(cells, convention)
    top = max(oc)
    assert K.f_vector() == tuple(len(oc[p]) for p in range(top + 1))
    for p in range(top + 1):
        simp = K.simplices(p)
        assert set(simp) == set(oc[p]), p
        for s, mu in zip(simp, K.measure(p)):
            d, vol_sq = oc[p][s]
            assert K.intersection_dim(s) == d
            if convention == "facet" or d == P.ambient_dim - p:
                assert (mu**2 if isinstance(mu, Fraction) else mu.squared()) == vol_sq, s
    # boundary maps from the sign rule; ∂∂ = 0; Betti numbers from ranks over Q
    Bs = {}
    for p in range(1, top + 1):
        B = boundary_matrix(K.simplices(p), K.simplices(p - 1))
        got = [[int(v) for v in row] for row in K.boundary(p).dense()]
        assert got == B, p
        Bs[p] = B
    for p in range(2, top + 1):
        prod = np.array(Bs[p - 1], dtype=object).dot(np.array(Bs[p], dtype=object))
        assert not prod.any()
    ranks = {p: q_rank(Bs[p]) for p in Bs}
    betti = tuple(len(oc[p]) - ranks.get(p, 0) - ranks.get(p + 1, 0) for p in range(top + 1))
    assert K.betti() == betti
    if convention == "nerve":  # nerve theorem: the domain is convex, so contractible
        assert betti == (1,) + (0,) * top
    # Hodge Laplacians in floats from the oracle's measures, against both spectra
    mu = {p: np.array([math.sqrt(oc[p][s][1]) for s in K.simplices(p)]) for p in oc}
    for p in range(min(top, 2) + 1):
        if any(m == 0 for m in mu[p]):
            continue  # lower-dimensional contacts of measure 0: not invertible
        Mp_inv = np.diag(1 / mu[p])
        L = np.zeros((len(mu[p]), len(mu[p])))
        if p + 1 in Bs:
            B1 = np.array(Bs[p + 1], dtype=float)
            L += Mp_inv @ B1 @ np.diag(mu[p + 1]) @ B1.T
        if p in Bs:
            if any(m == 0 for m in mu[p - 1]):
                continue
            B0 = np.array(Bs[p], dtype=float)
            L += B0.T @ np.diag(1 / mu[p - 1]) @ B0 @ np.diag(mu[p])
        ev = np.sort(np.linalg.eigvals(L).real)
        assert int(np.sum(np.abs(ev) < 1e-9 * max(1.0, np.abs(ev).max()))) == betti[p]
        assert np.allclose(np.sort(K.spectrum_float(p)), ev, rtol=1e-9, atol=1e-9)
        spec = K.spectrum(p, digits=12)
        assert spec.kernel_dim == betti[p]
        for e, enc in zip(ev, spec.eigenvalues):
            slack = 1e-9 * max(1.0, abs(e))
            assert float(enc.lo) - slack <= e <= float(enc.hi) + slack


@pytest.mark.parametrize("name", ["cross", "star", "vor4", "argtie", "tree", "tree3d", "octants", "line"])
def test_angle_metric_and_two_point_flux_match_oracle(name):
    P, spec = CASES[name]()
    cells = oracle_cells_in_order(P, spec)
    faces = adjacent_faces(cells)
    K = RiemannianComplex.from_partition(P, metric="angle")
    edges = K.simplices(1)
    assert set(edges) == set(faces)
    n = P.ambient_dim
    # area vectors A_e = r_e·a, a pointing from tail i to head j (a is an outward row of cell i)
    area = dict(zip(edges, area_vectors(cells, faces, edges)))
    M = angle_gram(cells, edges, [area[e] for e in edges])
    got = [[F(x) for x in row] for row in K.inner_product(1).dense()]
    assert got == M
    # two-point flux weights μ_1/d = r‖a‖² / |a·(c_j − c_i)|
    cen = [centroid(c.A, c.b, c.V) for c in cells]
    tpf = []
    for i, j in edges:
        a = faces[(i, j)][0]
        r = area[(i, j)][next(k for k in range(n) if a[k] != 0)] / F(a[next(k for k in range(n) if a[k] != 0)])
        diff = tuple(x - y for x, y in zip(cen[j], cen[i]))
        tpf.append(r * dot(a, a) / abs(dot(a, diff)))
    assert tuple(K.two_point_flux_weights()) == tuple(tpf)







@pytest.mark.parametrize("name", ["cross", "tree", "tree3d", "line"])
def test_rational_laplacians_exactly(name):
    """Axis-aligned partitions have rational measures: Δ_p (cochain) and L_p (chain) of the
    spec, assembled in Fractions from the oracle's measures, equal the package's exactly;
    so does the extended Laplacian with the oracle's two-point-flux weights."""
    P, spec = CASES[name]()
    cells = oracle_cells_in_order(P, spec)
    K = RiemannianComplex.from_partition(P)
    oc = oracle_complex(cells, "facet")
    top = max(oc)
    mu = {}
    for p in range(top + 1):
        vals = []
        for s in K.simplices(p):
            sq = oc[p][s][1]
            r = F(math.isqrt(sq.numerator), math.isqrt(sq.denominator))
            assert r * r == sq  # axis-aligned: rational measures
            vals.append(r)
        mu[p] = vals
    B = {p: mat(boundary_matrix(K.simplices(p), K.simplices(p - 1))) for p in range(1, top + 1)}
    for p in range(top + 1):
        size = len(mu[p])
        cochain = [[F(0)] * size for _ in range(size)]
        chain = [[F(0)] * size for _ in range(size)]
        inv = mat_diag([1 / m for m in mu[p]])
        if p + 1 in B:
            up = mat_mul(mat_mul(B[p + 1], mat_diag(mu[p + 1])), mat_t(B[p + 1]))
            cochain = mat_add(cochain, mat_mul(inv, up))
            chain = mat_add(chain, mat_mul(mat_mul(mat_mul(B[p + 1], mat_diag([1 / m for m in mu[p + 1]])), mat_t(B[p + 1])), mat_diag(mu[p])))
        if p in B:
            cochain = mat_add(cochain, mat_mul(mat_mul(mat_mul(mat_t(B[p]), mat_diag([1 / m for m in mu[p - 1]])), B[p]), mat_diag(mu[p])))
            chain = mat_add(chain, mat_mul(inv, mat_mul(mat_mul(mat_t(B[p]), mat_diag(mu[p - 1])), B[p])))
        assert mat(K.hodge_laplacian(p).dense()) == cochain, p
        assert mat(K.hodge_laplacian(p, form="chain").dense()) == chain, p
    # extended Laplacian: Δ_0 with the two-point-flux weights μ_1/d
    faces = adjacent_faces(cells)
    cen = [centroid(c.A, c.b, c.V) for c in cells]
    w = []
    for i, j in K.simplices(1):
        a = faces[(i, j)][0]
        diff = [x - y for x, y in zip(cen[j], cen[i])]
        w.append(mu[1][K.simplices(1).index((i, j))] * F(math.isqrt(int(dot(a, a)))) / abs(dot(a, diff)))
    ext = mat_mul(mat_diag([1 / m for m in mu[0]]), mat_mul(mat_mul(B[1], mat_diag(w)), mat_t(B[1])))
    assert mat(K.extended_laplacian().dense()) == ext
