"""Exact ReLU partitions: full traversal and data mode against independent oracles."""

from __future__ import annotations

import random
from fractions import Fraction
from itertools import combinations
from math import comb

import pytest
from _relu_oracle import forward_layers, interior_point, naive_cells
from hypothesis import given, settings
from hypothesis import strategies as st

from exactgeom.linalg import rational as la
from exactgeom.partitions.arrangement import arrangement
from exactgeom.partitions.relu import ReLUNetwork, load_example, relu_network
from exactgeom.partitions.relu_enum import Engine
from exactgeom.partitions.relu_int import canonical_plane
from exactgeom.polytope.polytope import Polytope
from exactgeom.strategies.relu import data_points, relu_networks

F = Fraction


def box(n, lo=-1, hi=1):
    return [(lo, hi)] * n


nets = relu_networks(n_in=st.integers(1, 3), max_width=4, max_depth=3)


def _affine_ok(net, P):
    for c in P.cells:
        maps = net.affine_maps(c.key)
        for v in c.polytope.vertices:
            exact = forward_layers(net, v)
            for (J, cc), h in zip(maps, exact):
                assert tuple(sum((a * x for a, x in zip(row, v)), F(0)) + ci for row, ci in zip(J, cc)) == h


@given(nets)
def test_full_enumeration_matches_naive_refinement(net):
    n = net.n_in
    P = relu_network(net, None, box(n))
    rep = P.check(volumes=True)
    assert rep.ok, rep.problems
    assert rep.volume_sum == F(2) ** n
    oracle = naive_cells(net, box(n))
    assert [c.key for c in P.cells] == sorted(oracle)
    for c in P.cells:
        assert c.polytope == oracle[c.key]
    # keys at random interior points equal the network's own pattern, and the net is
    # affine on every cell (exact evaluation at every vertex, every layer)
    rng = random.Random(0)
    for c in P.cells:
        x = interior_point(c.polytope, [rng.randint(0, 50) for _ in c.polytope.vertices])
        assert c.polytope.contains(x, strict=True)
        assert net.pattern(x) == c.key == net.cell_pattern(x)
    _affine_ok(net, P)


@given(nets, st.data())
def test_data_mode_is_the_data_cells_of_full_mode(net, data):
    n = net.n_in
    D = box(n)
    pts = data.draw(data_points(D, max_size=12))
    full = relu_network(net, None, D)
    part = relu_network(net, None, D, mode="data", data=pts)
    assert part.provenance["mode"] == "data" and part.provenance["n_data"] == len(pts)
    keys = {c.key for c in part.cells}
    c0 = Polytope.box(D).relative_interior_point()
    for x in pts:
        k = net.cell_pattern(x, toward=c0)
        assert k in keys
        cell = full.cell(k)
        assert cell.polytope.contains(x)  # assigned to a full-dimensional cell containing it
        assert k in {c.key for c in full.locate(x)}
    assert keys == {net.cell_pattern(x, c0) for x in pts} == set(net.cell_patterns(pts, c0))
    for c in part.cells:
        assert c.polytope == full.cell(c.key).polytope
        assert c.polytope.facets == full.cell(c.key).polytope.facets
    rep = part.check()
    assert not any("overlapping" in p or "leaves" in p or "centroid" in p for p in rep.problems)
    # adjacency among data cells = full-mode adjacency restricted to them (same faces)
    idx_full = {c.key: c.index for c in full.cells}
    full_adj = {(full.cells[f.i].key, full.cells[f.j].key): f.face for f in full.adjacency()}
    got = {}
    for f in part.adjacency():
        ki, kj = part.cells[f.i].key, part.cells[f.j].key
        got[(ki, kj) if idx_full[ki] < idx_full[kj] else (kj, ki)] = f.face
    want = {k: v for k, v in full_adj.items() if k[0] in keys and k[1] in keys}
    assert got == want


@given(nets)
@settings(max_examples=15)
def test_facet_crossing_matches_symbolic_perturbation(net):
    """The neighbour across each facet equals the pattern at p + εν + ε²e_1 + … for a
    relative-interior point p of the facet (general lexicographic evaluation)."""
    n = net.n_in
    D = Polytope.box(box(n))
    eng = Engine(net._int, [h.normal for h in D.facets], [h.offset for h in D.facets], D.vertices)
    P = relu_network(net, None, D)
    keys = {c.key for c in P.cells}
    eye = [tuple(int(i == j) for j in range(n)) for i in range(n)]
    for c in P.cells:
        node = eng.node(c.key)
        nbrs = eng.neighbours(c.key)
        facets = [(a, b) for a, b in node.vp.rows if canonical_plane(a, -b) not in eng.dom_planes]
        assert len(nbrs) == len(facets)
        for (a, b), t in zip(facets, nbrs):
            Vf = [v for v in c.polytope.vertices if sum(x * y for x, y in zip(a, v)) == b]
            p = tuple(sum((v[j] for v in Vf), F(0)) / len(Vf) for j in range(n))
            assert net._int.lex_pattern(p, [tuple(a)] + eye) == t
            assert t in keys and t != c.key


def test_one_layer_net_is_the_arrangement_of_its_units():
    W = [[1, 2], [F(-1, 2), 1], [3, 0], [0, 0], [1, 2], [-2, -4]]
    b = [F(1, 3), 0, -1, 1, F(1, 3), F(-2, 3)]
    net = ReLUNetwork([W, [[1] * 6]], [b, [0]])
    P = relu_network(net, None, box(2, -2, 2))
    A = arrangement(W, [-v for v in b], box(2, -2, 2))
    assert sorted(c.polytope.vertices for c in P.cells) == sorted(c.polytope.vertices for c in A.cells)
    # keys correspond: active <-> +1
    for c in P.cells:
        x = c.centroid()
        assert tuple(1 if k > 0 else 0 for k in A.key_at(x)) == c.key[0]


def _general_position(W, c):
    n = len(W[0])
    for S in combinations(range(len(W)), n):
        if la.rank([W[i] for i in S]) < n:
            return False
    # no n+1 hyperplanes through one point
    return not any(
        la.rank([list(W[i]) + [c[i]] for i in S]) < n + 1 and la.rank([W[i] for i in S]) == n
        for S in combinations(range(len(W)), n + 1)
    )


@pytest.mark.parametrize("n,m,seed", [(2, 5, 1), (2, 7, 2), (3, 5, 3)])
def test_general_position_closed_form(n, m, seed):
    rng = random.Random(seed)
    while True:
        W = [[F(rng.randint(-5, 5)) for _ in range(n)] for _ in range(m)]
        c = [F(rng.randint(-5, 5)) for _ in range(m)]
        if _general_position(W, c):
            break
    # a box containing every vertex of the arrangement
    B = F(1)
    for S in combinations(range(m), n):
        x = la.solve([W[i] for i in S], [c[i] for i in S])
        B = max(B, *(abs(v) + 1 for v in x))
    net = ReLUNetwork([W, [[1] * m]], [[-v for v in c], [0]])
    P = relu_network(net, None, box(n, -B, B))
    assert P.n_cells == sum(comb(m, i) for i in range(n + 1))
    assert P.check().ok


def test_known_two_layer_count():
    # |x| - 1/2 then ReLU: h2 = ReLU(|x| - 1/2) on [-1, 1]: cells split at -1/2, 0, 1/2
    net = ReLUNetwork([[[1], [-1]], [[1, 1]], [[1]]], [[0, 0], [F(-1, 2)], [0]])
    P = relu_network(net, None, [(-1, 1)])
    assert [(c.key, c.polytope.vertices) for c in P.cells] == [
        (((0, 1), (0,)), ((F(-1, 2),), (F(0),))),
        (((0, 1), (1,)), ((F(-1),), (F(-1, 2),))),
        (((1, 0), (0,)), ((F(0),), (F(1, 2),))),
        (((1, 0), (1,)), ((F(1, 2),), (F(1),))),
    ]


def test_example_model():
    net, D, X, y = load_example()
    P = relu_network(net, None, D)
    assert P.check().ok
    assert 20 <= P.n_cells <= 400
    assert P.provenance["layer_sizes"] == [2, 8, 8, 1]
    Pd = relu_network(net, None, D, mode="data", data=X)
    assert {c.key for c in Pd.cells} <= {c.key for c in P.cells}
    for c in Pd.cells:
        assert c.polytope == P.cell(c.key).polytope
    # the shipped labels are what the exact network predicts (it fits the data)
    acc = sum((net.forward(x)[0] > 0) == bool(t) for x, t in zip(X, y))
    assert acc >= 0.9 * len(y)


def test_model_protocol_and_maps():
    net = ReLUNetwork([[[2, 0], [1, -1]], [[1, 1], [0, 3]]], [[-1, 0], [0, 1]])
    P = relu_network(net, None, box(2))
    assert P.family == "relu" and P.model is net
    for c in P.cells:
        assert net.label(c.key) is None  # the pattern alone does not fix the class
        assert P.label(c) == net.cell_label(c.key, c.polytope)
        J, cc = P.output_affine(c)
        x = c.centroid()
        assert tuple(sum((a * v for a, v in zip(r, x)), F(0)) + ci for r, ci in zip(J, cc)) == net.forward(x)
        A, b = net.cell_hrep(c.key, box(2))
        Q = Polytope.from_hrep(A, b)
        assert Q == c.polytope
        assert net.cell(c.key, box(2)) == c.polytope
    assert P.provenance["mode"] == "full" and P.provenance["layer_sizes"] == [2, 2, 2]


@given(relu_networks(n_in=st.integers(1, 3), max_width=5, max_depth=1))
def test_one_layer_nets_are_arrangements(net):
    n = net.n_in
    W, b = net.weights[0], net.biases[0]
    P = relu_network(net, None, box(n))
    A = arrangement(W, [-v for v in b], box(n))
    assert sorted(c.polytope.vertices for c in P.cells) == sorted(c.polytope.vertices for c in A.cells)
    for c in P.cells:
        signs = A.key_at(c.centroid())
        assert c.key[0] == tuple(1 if s > 0 else 0 for s in signs)


@given(st.integers(0, 10**6))
def test_output_affine_equals_the_last_affine_map(seed):
    """The backward integer route of output_affine against the forward Jacobians."""
    from exactgeom.partitions.relu import ReLUNetwork

    rng = random.Random(seed)
    sizes = [rng.randint(1, 3)] + [rng.randint(1, 4) for _ in range(rng.randint(1, 3))] + [rng.randint(1, 2)]
    W = [[[Fraction(rng.randint(-5, 5), rng.randint(1, 7)) for _ in range(a)] for _ in range(c)] for a, c in __import__("itertools").pairwise(sizes)]
    b = [[Fraction(rng.randint(-5, 5), rng.randint(1, 7)) for _ in range(c)] for c in sizes[1:]]
    net = ReLUNetwork(W, b)
    p = tuple(tuple(rng.randint(0, 1) for _ in range(w)) for w in sizes[1:-1])
    assert net.output_affine(p) == net.affine_maps(p)[-1]
    # leaky units: inactive units scale by their layer's slope
    slopes = [Fraction(rng.randint(0, 5), rng.randint(1, 9)) for _ in sizes[1:-1]]
    leaky = ReLUNetwork(W, b, negative_slopes=slopes)
    assert leaky.output_affine(p) == leaky.affine_maps(p)[-1]
