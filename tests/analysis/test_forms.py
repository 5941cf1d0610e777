"""Pulled-back forms, charts, metrics and volume factors of ReLU networks."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
from hypothesis import given, settings

from exactgeom.analysis.forms import (
    CellForms,
    cell_forms,
    follow_cell,
    follow_data_cells,
    volume_factor,
)
from exactgeom.errors import InvalidInputError
from exactgeom.linalg.rational import det, rank
from exactgeom.numbers import Surd
from exactgeom.partitions.relu import ReLUNetwork, relu_network
from exactgeom.polytope.polytope import Polytope
from exactgeom.strategies.models import relu_nets

F = Fraction


def _mat_t_vec(M, v):
    return tuple(sum((M[i][j] * v[i] for i in range(len(M))), F(0)) for j in range(len(M[0])))


def _matmul(A, B):
    return tuple(tuple(sum((a * B[k][j] for k, a in enumerate(r)), F(0)) for j in range(len(B[0]))) for r in A)


def _relu_net(seed, sizes):
    rng = random.Random(seed)
    q = lambda: F(rng.randint(-4, 4), rng.randint(1, 3))  # noqa: E731
    W = [[[q() for _ in range(sizes[l])] for _ in range(sizes[l + 1])] for l in range(len(sizes) - 1)]
    b = [[q() for _ in range(sizes[l + 1])] for l in range(len(sizes) - 1)]
    return ReLUNetwork(W, b)


# ---------------------------------------------------------------------- H-rep and charts
@settings(deadline=None)
@given(relu_nets(n=2, max_width=4, max_hidden=2))
def test_pulled_back_hrep_equals_builders_cell(wb):
    net = ReLUNetwork(*wb)
    P = relu_network(net, None, [(-2, 2), (-2, 2)])
    for c in P.cells:
        cf = cell_forms(net, c.key)
        assert cf.hrep(P.domain) == net.cell_hrep(c.key, P.domain)
        assert cf.cell(P.domain) == c.polytope
        maps = net.affine_maps(c.key)
        assert [(ch.J, ch.c) for ch in cf.charts[1:]] == list(maps)
        assert (cf.charts[-1].J, cf.charts[-1].c) == net.output_affine(c.key)


def test_pulled_back_hrep_3d():
    net = _relu_net(4, [3, 4, 3, 1])
    P = relu_network(net, None, [(-2, 2)] * 3)
    assert P.n_cells > 4
    for c in P.cells:
        assert cell_forms(net, c.key).cell(P.domain) == c.polytope


@given(relu_nets(n=2, max_width=4, max_hidden=3))
def test_charts_reproduce_the_forward_pass(wb):
    net = ReLUNetwork(*wb)
    P = relu_network(net, None, [(-2, 2), (-2, 2)])
    for c in P.cells:
        x = c.polytope.centroid()
        cf = cell_forms(net, c.key)
        # independent forward pass, layer by layer
        h = x
        for l, (W, b) in enumerate(zip(net.weights, net.biases)):
            z = tuple(sum((a * v for a, v in zip(r, h)), F(0)) + bb for r, bb in zip(W, b))
            if l < len(net.weights) - 1:
                for k, f in enumerate(cf.forms[l]):
                    assert sum((a * v for a, v in zip(f.covector, x)), F(0)) + f.offset == z[k]
                    assert (z[k] > 0) == f.active or z[k] == 0
                h = tuple(max(v, F(0)) for v in z)
            else:
                h = z
            assert cf.charts[l + 1](x) == h
        assert cf.charts[-1](x) == net.forward(x)


@given(relu_nets(n=2, max_width=4, max_hidden=3))
def test_composition_law(wb):
    """Φ_l = ψ_l ∘ Φ_{l−1}: charts compose, pullbacks compose, metrics compose."""
    net = ReLUNetwork(*wb)
    P = relu_network(net, None, [(-2, 2), (-2, 2)])
    rng = random.Random(0)
    for c in P.cells[:4]:
        cf = cell_forms(net, c.key)
        for l in range(1, len(cf.charts)):
            L, d = cf.layer_map(l)
            prev, cur = cf.charts[l - 1], cf.charts[l]
            assert cur.J == _matmul(L, prev.J)
            assert cur.c == tuple(sum((a * v for a, v in zip(r, prev.c)), F(0)) + dd for r, dd in zip(L, d))
            omega = [F(rng.randint(-3, 3)) for _ in range(cur.width)]
            assert cur.pullback(omega) == prev.pullback(_mat_t_vec(L, omega))
            LtL = _matmul(tuple(zip(*L)), L)
            assert cf.metric(l) == _matmul(_matmul(tuple(zip(*prev.J)), LtL), prev.J)


# ---------------------------------------------------------------------- volume factors
def test_volume_factor_closed_forms():
    rng = random.Random(1)
    for _ in range(10):
        J = [[F(rng.randint(-3, 3)) for _ in range(3)] for _ in range(3)]
        assert volume_factor(J) == Surd(abs(det(J)))
    # Cauchy–Binet: for a 3×2 J, det(JᵀJ) = Σ over 2×2 minors²
    J = [[1, 2], [0, 1], [3, -1]]
    minors = [det([J[i], J[j]]) for i, j in ((0, 1), (0, 2), (1, 2))]
    assert volume_factor(J) == Surd.sqrt(sum(m * m for m in minors))
    # a segment of direction (1, 1) under J = diag(2, 3): length scales by √13/√2
    assert volume_factor([[2, 0], [0, 3]], [[1], [1]]) == Surd.sqrt(F(13, 2))
    assert volume_factor([[1, 1], [1, 1]]) == 0


@pytest.mark.parametrize("seed, sizes", [(1, [2, 3, 4, 1]), (2, [2, 2, 3, 2]), (3, [3, 4, 3, 1])])
def test_volume_factors_match_image_polytopes(seed, sizes):
    net = _relu_net(seed, sizes)
    n = sizes[0]
    P = relu_network(net, None, [(-2, 2)] * n)
    checked = 0
    for c in P.cells:
        tr = follow_cell(net, c.key, P.domain, cell=c.polytope)
        C = c.polytope
        for g in tr.layers:
            assert (g.volume_factor == 0) == (g.chart.rank() < n)
            if not g.injective:
                assert g.volume == 0 and g.image.dim < n
                continue
            checked += 1
            img = g.image
            assert img.dim == n
            assert img.relative_volume() == g.volume == g.volume_factor * C.volume()
            idx = {g.chart(v): i for i, v in enumerate(C.vertices)}
            fmap = {frozenset(idx[img.vertices[v]] for v in img.facet_vertices(k)): k for k in range(img.n_facets)}
            for i in range(C.n_facets):
                k = fmap[frozenset(C.facet_vertices(i))]
                assert img.facet_volume(k) == g.facet_volumes[i]
            for (i, j), a in g.dihedral_angles.items():
                ki, kj = fmap[frozenset(C.facet_vertices(i))], fmap[frozenset(C.facet_vertices(j))]
                assert img.dihedral_angle(ki, kj) == a
        assert tr.layers[0].dihedral_angles == C.dihedral_angles()
        rows = tr.table()
        assert [r["layer"] for r in rows] == list(range(len(sizes)))
    assert checked > 0


def test_collapsed_layers_report_relative_volumes():
    net = ReLUNetwork([[[1, 0], [0, 1]], [[1, 0], [0, 0]], [[1, 1]]], [[0, 0], [0, 0], [0]])
    tr = follow_cell(net, ((1, 1), (1, 0)), [(-1, 1), (-1, 1)])
    g2 = tr.layers[2]  # (x, y) ↦ (x, 0): a segment
    assert g2.volume == 0 and g2.image.dim == 1 and g2.relative_volume == 1
    assert g2.dihedral_angles is None
    # facets x = 0 and x = 1 collapse to points, y = 0 and y = 1 map onto the segment
    assert sorted(g2.facet_volumes) == [0, 0, 1, 1]


def test_follow_data_cells():
    net = _relu_net(5, [2, 3, 3, 1])
    P = relu_network(net, None, [(-2, 2), (-2, 2)])
    data = [[F(1, 3), F(-1, 2)], [F(-3, 2), F(1, 7)], [F(1, 3), F(-1, 2)]]
    got = follow_data_cells(P, data)
    assert set(got) == {net.cell_pattern(x) for x in data}
    Pd = relu_network(net, None, [(-2, 2), (-2, 2)], mode="data", data=data)
    assert set(follow_data_cells(Pd)) == set(got)


@pytest.mark.parametrize(
    "call",
    [
        lambda: cell_forms("net", ((1,),)),
        lambda: cell_forms(ReLUNetwork([[[1]], [[1]]], [[0], [0]]), ((1, 1),)),
        lambda: cell_forms(ReLUNetwork([[[1]], [[1]]], [[0], [0]]), ((2,),)),
        lambda: cell_forms(ReLUNetwork([[[1]], [[1]]], [[0], [0]]), ((1,),)).metric(5),
        lambda: cell_forms(ReLUNetwork([[[1]], [[1]]], [[0], [0]]), ((1,),)).layer_map(0),
        lambda: cell_forms(ReLUNetwork([[[1]], [[1]]], [[0], [0]]), ((1,),)).charts[1].pullback([1, 2]),
        lambda: cell_forms(ReLUNetwork([[[1]], [[1]]], [[0], [0]]), ((0,),)).angle_in_layer(1, [1], [-1]),
        lambda: volume_factor([[1, 0], [0, 1]], [[1, 2], [2, 4]]),
        lambda: volume_factor([[1, 0], [0, 1]], [[1]]),
        lambda: follow_cell(ReLUNetwork([[[1]], [[1]]], [[0], [0]]), ((1,),), [(-2, -1)]),
        lambda: follow_data_cells(Polytope.box([(0, 1)])),
    ],
)
def test_invalid_inputs(call):
    with pytest.raises(InvalidInputError):
        call()


def test_degenerate_dead_network():
    net = ReLUNetwork([[[0, 0]], [[1]]], [[-1], [2]])  # a dead unit: one cell, constant output
    P = relu_network(net, None, [(0, 1), (0, 1)])
    (c,) = P.cells
    cf = cell_forms(net, c.key)
    assert isinstance(cf, CellForms)
    assert cf.volume_factor(1) == 0 and cf.charts[-1].J == ((0, 0),)
    assert rank(cf.metric(1), 2) == 0
