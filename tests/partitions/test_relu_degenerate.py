"""Degenerate ReLU networks (hand-computed answers) and larger seeded random networks
against the naive layer-by-layer refinement."""

from __future__ import annotations

import random
from fractions import Fraction
from itertools import pairwise

import pytest
from _relu_oracle import naive_cells

from exactgeom.partitions.relu import ReLUNetwork, relu_network
from exactgeom.polytope.polytope import Polytope

F = Fraction
SQ = [(-1, 1), (-1, 1)]


def cells_of(net, domain=SQ, **kw):
    P = relu_network(net, None, domain, **kw)
    rep = P.check()
    assert rep.ok, rep.problems
    return P


def geometry(P):
    return sorted(c.polytope.vertices for c in P.cells)


def test_duplicate_units_same_partition_as_without():
    base = ReLUNetwork([[[1, 2], [F(-1, 2), 1]], [[1, 1]]], [[0, F(1, 3)], [0]])
    # unit 0 duplicated as itself, a positive multiple, and a negative multiple (same hyperplane)
    dup = ReLUNetwork(
        [[[1, 2], [F(-1, 2), 1], [1, 2], [2, 4], [-1, -2]], [[1, 1, 0, 0, 0]]], [[0, F(1, 3), 0, 0, 0], [0]]
    )
    P, Q = cells_of(base), cells_of(dup)
    assert geometry(P) == geometry(Q)
    for c in Q.cells:  # duplicates agree, the negated copy is opposite
        s = c.key[0]
        assert s[0] == s[2] == s[3] and s[4] == 1 - s[0]


def test_zero_weight_row_and_all_dead_layer():
    zero_row = ReLUNetwork([[[0, 0], [1, 0]], [[1, 1]]], [[F(1, 2), 0], [0]])
    P = cells_of(zero_row)
    assert P.n_cells == 2 and all(c.key[0][0] == 1 for c in P.cells)  # constant 1/2 > 0: active
    dead = ReLUNetwork([[[1, 0], [0, 1]], [[-1, -1], [0, -2]], [[1, 1]]], [[0, 0], [0, -1], [0]])
    P = cells_of(dead)  # layer 2 is dead everywhere; layer 1 still cuts 4 cells
    assert P.n_cells == 4 and all(c.key[1] == (0, 0) for c in P.cells)
    all_dead = ReLUNetwork([[[1, 1], [-1, 0]], [[1, 1]]], [[-3, -2], [0]])
    P = cells_of(all_dead)
    assert P.n_cells == 1 and P.cells[0].key == ((0, 0),)


def test_no_hidden_layer_is_one_cell():
    P = cells_of(ReLUNetwork([[[1, 2]]], [[3]]))
    assert P.n_cells == 1 and P.cells[0].key == ()
    assert P.output_affine(0) == (((F(1), F(2)),), (F(3),))


def test_hyperplanes_through_corners_and_parallel():
    # x + y = 2 touches the square only at (1, 1); x + y = 0 and x + y = 1 are parallel
    net = ReLUNetwork([[[1, 1], [1, 1], [1, 1]], [[1, 1, 1]]], [[-2, 0, -1], [0]])
    P = cells_of(net)
    assert P.n_cells == 3
    assert sorted(c.key[0] for c in P.cells) == [(0, 0, 0), (0, 1, 0), (0, 1, 1)]
    assert sorted(c.volume() for c in P.cells) == [F(1, 2), F(3, 2), F(2)]


def test_second_layer_copies_first_layer_hyperplane():
    # h2 = ReLU(h1) with h1 = ReLU(x): dead for x < 0, active for x > 0 — both flip together
    net = ReLUNetwork([[[1, 0]], [[1]], [[1]]], [[0], [0], [0]])
    P = cells_of(net)
    assert [c.key for c in P.cells] == [((0,), (0,)), ((1,), (1,))]
    # h2 = ReLU(h1 - h1') where h1 = ReLU(x), h1' = ReLU(x): identically zero everywhere
    net = ReLUNetwork([[[1, 0], [1, 0]], [[1, -1]], [[1]]], [[0, 0], [0], [0]])
    P = cells_of(net)
    assert [c.key for c in P.cells] == [((0, 0), (0,)), ((1, 1), (0,))]


def test_bent_hyperplane_through_domain_vertex_and_boundary_data():
    # second layer hyperplane bends on x = 0 and passes through the corner (1, 1)
    net = ReLUNetwork([[[1, 0], [-1, 0], [0, 1]], [[1, 1, -1]], [[1]]], [[0, 0, 0], [0], [0]])
    P = cells_of(net)
    assert P.n_cells == len(naive_cells(net, SQ))
    assert sorted(geometry(P)) == sorted(R.vertices for R in naive_cells(net, SQ).values())
    # data exactly on boundaries (cell boundaries, the domain boundary, domain corners)
    pts = [[0, 0], [1, 1], [0, 1], [-1, -1], [F(1, 2), F(1, 2)], [1, 0], [0, F(-1, 3)]]
    Pd = relu_network(net, None, SQ, mode="data", data=pts)
    c0 = Polytope.box(SQ).relative_interior_point()
    for x in pts:
        k = net.cell_pattern(x, c0)
        assert Pd.cell(k).polytope.contains(x)
        assert Pd.cell(k).polytope == P.cell(k).polytope
    assert Pd.provenance["n_data_zero_preactivation"] == 6


def test_non_general_position_concurrent_lines():
    # five lines through the origin plus a duplicate layer-2 bend through it
    W1 = [[1, 0], [0, 1], [1, 1], [1, -1], [2, 1]]
    net = ReLUNetwork([W1, [[1, -1, 1, 0, 0], [0, 0, 0, 1, -1]], [[1, 1]]], [[0] * 5, [0, 0], [0]])
    P = cells_of(net)
    assert {c.key for c in P.cells} == set(naive_cells(net, SQ))
    assert P.n_cells >= 10


def test_triangle_domain():
    T = Polytope.from_vrep([[0, 0], [2, 0], [0, 2]])
    net = ReLUNetwork([[[1, -1], [1, 1]], [[1, -2]], [[1]]], [[0, -1], [F(1, 4)], [0]])
    P = cells_of(net, domain=T)
    oracle = naive_cells(net, T)
    assert {c.key: c.polytope for c in P.cells} == oracle


def _random_net(sizes, seed, den=12):
    rng = random.Random(seed)
    W, b = [], []
    for a, c in pairwise(sizes):
        W.append([[F(rng.randint(-2 * den, 2 * den), den) for _ in range(a)] for _ in range(c)])
        b.append([F(rng.randint(-den, den), den) for _ in range(c)])
    return ReLUNetwork(W, b)


@pytest.mark.parametrize(
    "sizes,seed",
    [((2, 6, 6, 1), 1), ((3, 5, 5, 1), 2), ((2, 4, 4, 4, 1), 3), ((1, 8, 8, 1), 4), ((2, 8, 5, 2), 5)],
)
def test_seeded_random_nets_match_oracle(sizes, seed):
    net = _random_net(sizes, seed)
    n = sizes[0]
    P = cells_of(net, [(-1, 1)] * n)
    oracle = naive_cells(net, [(-1, 1)] * n)
    assert {c.key: c.polytope for c in P.cells} == oracle
