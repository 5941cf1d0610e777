"""Pullbacks of forms through ReLU networks against the oracle of ``tests/_exact_oracle.py``.

The oracle never composes the layer matrices: on each brute-force activation cell it runs
the network forward exactly at ``n + 1`` affinely independent interior points and reads
every layer's affine chart ``Φ_l(x) = J_l x + c_l`` and every hidden pre-activation map
(the pulled-back 1-forms ``dz_{l,k}`` with their offsets) off the finite differences, which
are exact because the maps are affine on the cell. Image volumes come from mapping the
cell's (and each facet's) pulling triangulation through the chart and summing the
simplices' Gram-determinant roots, not from ``det(JᵀJ)``; dihedral angles in layer
coordinates from normals computed inside the image's own span (the residual of a chart
column after projecting out the image facet's directions). Compared exactly with
``cell_forms`` (charts, forms, ``hrep``, metrics, pullbacks, ``layer_map``, volume
factors) and ``follow_cell`` (volumes, facet volumes, injectivity, angles), for plain
and leaky networks in dimensions 1 to 3.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

from _exact_oracle import (
    box_rows,
    det,
    dot,
    gram_root_sum_sq,
    mat_mul,
    mat_t,
    normal_in_span,
    rank,
    relu_cells,
    relu_charts,
    triangulate,
    vertices,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from exactgeom.analysis.forms import cell_forms, follow_cell
from exactgeom.numbers import Surd
from exactgeom.partitions.relu import ReLUNetwork

F = Fraction
small = st.sampled_from([-2, -1, -1, 0, 1, 1, 2, F(1, 2), F(-3, 2)])
offset = st.sampled_from([F(-1), F(-1, 2), F(0), F(1, 3), F(1)])


@st.composite
def net_case(draw):
    n = draw(st.integers(1, 3))
    layers = draw(st.sampled_from([[2], [3], [2, 2], [2, 1]] if n < 3 else [[2], [3], [2, 1]]))
    sizes = [n, *layers, draw(st.integers(1, 2))]
    Ws = [[draw(st.lists(small, min_size=a, max_size=a)) for _ in range(b)] for a, b in itertools.pairwise(sizes)]
    bs = [[draw(offset) for _ in range(b)] for b in sizes[1:]]
    slopes = None
    if draw(st.booleans()):
        slopes = [draw(st.sampled_from([F(1, 2), F(-1, 3), F(1, 10)])) for _ in layers]
    return [(F(-1), F(1))] * n, Ws, bs, slopes


def cells_and_charts(case):
    """(domain, n, the package's network, [(oracle cell, relu_charts of it)])."""
    dom, Ws, bs, slopes = case
    net = ReLUNetwork(Ws, bs, negative_slopes=slopes) if slopes else ReLUNetwork(Ws, bs)
    cells = relu_cells(Ws, bs, *box_rows(dom), slopes)
    return dom, len(dom), net, [(C, relu_charts(Ws, bs, C, slopes)) for C in cells]


def sq(v):
    return v.squared() if isinstance(v, Surd) else F(v) ** 2


def frac_rows(M):
    return [[F(x) for x in r] for r in M]


@settings(max_examples=30)
@given(net_case(), st.data())
def test_charts_forms_and_metrics_match_forward_passes(case, data):
    dom, n, net, cells = cells_and_charts(case)
    for C, (pattern, charts, pre) in cells:
        assert pattern == C.key
        cf = cell_forms(net, C.key)
        assert len(cf.charts) == len(charts)
        for l, (J, c) in enumerate(charts):
            ch = cf.charts[l]
            assert frac_rows(ch.J) == J and list(ch.c) == c, (C.key, l)
            assert frac_rows(cf.metric(l)) == mat_mul(mat_t(J), J)
            omega = data.draw(st.lists(st.integers(-3, 3), min_size=len(J), max_size=len(J)))
            assert list(ch.pullback(omega)) == [dot(col, omega) for col in mat_t(J)]
            assert ch.rank() == rank(J)
            G = mat_mul(mat_t(J), J)
            assert sq(cf.volume_factor(l)) == (det(G) if n else 1)
            if l >= 1:  # ψ_l ∘ Φ_{l−1} = Φ_l: the layer map composes with the previous chart
                A, a = cf.layer_map(l)
                Jp, cp = charts[l - 1]
                assert mat_mul(frac_rows(A), Jp) == J
                assert [dot(r, cp) + F(ai) for r, ai in zip(A, a)] == c
        for l, (G, beta) in enumerate(pre):
            for k, f in enumerate(cf.forms[l]):
                assert list(f.covector) == G[k] and f.offset == beta[k] and f.active == bool(pattern[l][k])
        # the cell cut out by the pulled-back half-spaces is the oracle's cell
        A, b = cf.hrep(dom)
        assert vertices([list(r) for r in A], list(b)) == C.V


def image_angle(Jl, cl, C, facet_a, facet_b):
    """``(cos²θ, sign cos θ)`` of the image's dihedral angle between the images of two
    facets (vertex lists), from normals inside the image's span."""
    def fmap(v):
        return [dot(r, v) + ci for r, ci in zip(Jl, cl)]

    span = mat_t(Jl)
    inner = fmap([sum(v[k] for v in C.V) / len(C.V) for k in range(len(C.V[0]))])
    us = []
    for FV in (facet_a, facet_b):
        img = [fmap(v) for v in FV]
        dirs = [[x - y for x, y in zip(p, img[0])] for p in img[1:]]
        us.append(normal_in_span(span, dirs, [x - y for x, y in zip(inner, img[0])]))
    ua, ub = us
    ab = dot(ua, ub)
    return ab * ab / (dot(ua, ua) * dot(ub, ub)), (ab < 0) - (ab > 0)


@settings(max_examples=25)
@given(net_case())
def test_follow_cell_volumes_and_angles_match_mapped_triangulations(case):
    dom, n, net, cells = cells_and_charts(case)
    for C, (_, charts, _) in cells:
        tr = follow_cell(net, C.key, dom)
        assert sorted(tr.cell.vertices) == C.V
        simp = triangulate(C.V, C.A, C.b, n)
        facets = [[v for v in C.V if dot(h.normal, v) == h.offset] for h in tr.cell.facets]
        fsimp = [triangulate(FV, C.A, C.b, n - 1) for FV in facets]
        ridges = sorted(tr.cell.dihedral_angles())
        for (J, c), g in zip(charts, tr.layers):
            def fmap(v, J=J, c=c):
                return [dot(r, v) + ci for r, ci in zip(J, c)]

            vol_sq = gram_root_sum_sq([[fmap(v) for v in S] for S in simp])
            assert sq(g.volume) == vol_sq, (C.key, g.layer)
            for i, S in enumerate(fsimp):
                assert sq(g.facet_volumes[i]) == gram_root_sum_sq([[fmap(v) for v in T] for T in S]), i
            injective = rank(J) == n
            assert g.injective == injective
            if injective:
                assert sq(g.relative_volume) == vol_sq
                assert set(g.dihedral_angles) == set(ridges)
                for i, j in ridges:
                    c2, sign = image_angle(J, c, C, facets[i], facets[j])
                    ang = g.dihedral_angles[(i, j)]
                    assert ang.squared_cos() == c2, (C.key, g.layer, i, j)
                    assert (ang.cos > 0) - (ang.cos < 0) == sign
            else:
                assert g.dihedral_angles is None and g.volume == 0


def test_oracle_charts_by_hand():
    """|x| = ReLU(x) + ReLU(−x) on [−1, 1]: the cell x ≤ 0 has pattern (0, 1), hidden
    chart J_1 = (0, −1)ᵀ and output chart −x (the package's doctest, derived here from
    forward passes); a 2-D net whose first layer doubles x: the image of the cell
    [0, 1]² has area 2 by mapped triangulation."""
    Ws, bs = [[[1], [-1]], [[1, 1]]], [[0, 0], [0]]
    cells = {c.key: c for c in relu_cells(Ws, bs, *box_rows([(-1, 1)]))}
    pattern, charts, _ = relu_charts(Ws, bs, cells[((0, 1),)])
    assert pattern == ((0, 1),)
    assert charts[1] == ([[0], [-1]], [0, 0]) and charts[2] == ([[-1]], [0])
    Ws2, bs2 = [[[2, 0], [0, 1]], [[1, 1]]], [[0, 0], [0]]
    C = {c.key: c for c in relu_cells(Ws2, bs2, *box_rows([(-1, 1)] * 2))}[((1, 1),)]
    _, ch, _ = relu_charts(Ws2, bs2, C)
    J, c = ch[1]
    simp = triangulate(C.V, C.A, C.b, 2)
    assert gram_root_sum_sq([[[dot(r, v) + ci for r, ci in zip(J, c)] for v in S] for S in simp]) == 4
