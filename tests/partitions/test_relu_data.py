"""ReLU data mode in any input dimension: H-first cells vs the vertex engine, the data
graph by the facet-crossing rule vs the reference adjacency oracle, and invalid input."""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactgeom import InexactInputError, InvalidInputError
from exactgeom.partitions.partition import find_adjacency
from exactgeom.partitions.relu import ReLUNetwork, relu_network
from exactgeom.partitions.relu_data import DataPartition, cross_facet
from exactgeom.strategies.relu import data_points, relu_networks

F = Fraction
SQ = [(-1, 1), (-1, 1)]


def _random_net(n, widths, seed, den=8, slopes=None):
    rng = random.Random(seed)
    sizes = [n, *widths, 1]
    W = [[[F(rng.randint(-den, den), den) for _ in range(a)] for _ in range(b)] for a, b in itertools.pairwise(sizes)]
    b = [[F(rng.randint(-den, den), 2 * den) for _ in range(k)] for k in sizes[1:]]
    return ReLUNetwork(W, b, negative_slopes=slopes)


def _random_points(n, k, seed, den=16, lo=0, hi=1):
    rng = random.Random(seed)
    return [tuple(F(rng.randint(lo * den, hi * den), den) for _ in range(n)) for _ in range(k)]


def _same_cells(P, Q):
    assert [c.key for c in P.cells] == [c.key for c in Q.cells]
    for a, b in zip(P.cells, Q.cells):
        assert a.polytope.dim == b.polytope.dim
        assert set(a.polytope.facets) == set(b.polytope.facets), a.key


def _draw_net_and_data(data, max_points):
    """A random small network on ``[-1, 1]^n`` (n <= 3) and data points in the box."""
    n = data.draw(st.integers(1, 3))
    net = data.draw(relu_networks(n_in=n, max_width=4, max_depth=3))
    box = [(-1, 1)] * n
    return n, net, box, data.draw(data_points(box, min_size=1, max_size=max_points))


def _graph(P):
    return [(f.i, f.j, f.normal, f.offset) for f in P.adjacency()]


@settings(max_examples=30)
@given(st.data())
def test_engines_agree_and_data_graph_is_the_adjacency_oracle(data):
    n, net, box, pts = _draw_net_and_data(data, 12)
    V = relu_network(net, None, box, mode="data", data=pts, engine="vertices")
    L = relu_network(net, None, box, mode="data", data=pts, engine="lp")
    assert isinstance(V, DataPartition) and isinstance(L, DataPartition)
    _same_cells(V, L)
    for X in (V, L):  # data cells need not cover the domain: no tiling is claimed
        assert X.check().ok, X.check().problems
    vol = V.check(volumes=True)
    assert vol.ok and vol.volume_sum == sum(c.volume() for c in V.cells) <= vol.domain_volume
    # the data graph (facet crossings, no vertices) equals the reference oracle
    ref = find_adjacency([c.polytope for c in V.cells])
    assert _graph(V) == _graph(L) == [(f.i, f.j, f.normal, f.offset) for f in ref]
    for f, g in zip(L.adjacency(), ref):
        assert f.face == g.face and f.face.dim == n - 1
    # every facet crossing lands in a cell containing the witness, on the other side
    full = relu_network(net, None, box)
    for c in L.cells:
        for fc in L.facet_crossings(c.index):
            if fc.pattern is None:
                continue
            other = full.cell(fc.pattern).polytope
            assert other.contains(fc.witness)
            h = c.polytope.facets[fc.facet]
            assert any(g.normal == tuple(-v for v in h.normal) and g.offset == -h.offset for g in other.facets)
    # data locations follow the construction rule
    idx = L.data_cell_indices(pts)
    assert all(L.cells[i].polytope.contains(x) for i, x in zip(idx, pts))


def test_engines_agree_on_geometry_without_vertices():
    net = _random_net(3, (6, 5), seed=3)
    pts = _random_points(3, 40, seed=4)
    V = relu_network(net, None, [(0, 1)] * 3, mode="data", data=pts, engine="vertices")
    L = relu_network(net, None, [(0, 1)] * 3, mode="data", data=pts, engine="lp")
    _same_cells(V, L)
    assert _graph(V) == _graph(L)
    for a, b in zip(V.cells, L.cells):
        Pa, Pb = a.polytope, b.polytope
        ka, kb = Pa.chebyshev_ball(), Pb.chebyshev_ball()
        assert ka.radius == kb.radius
        fa = {h: i for i, h in enumerate(Pa.facets)}
        for i, h in enumerate(Pb.facets):
            for j in range(i + 1, Pb.n_facets):
                ia, ja = fa[h], fa[Pb.facets[j]]
                adj = (min(ia, ja), max(ia, ja)) in Pa.dihedral_angles()
                if adj:
                    assert Pb.dihedral_angle(i, j).cos == Pa.dihedral_angle(ia, ja).cos


def test_degenerate_crossings():
    # two units on one hyperplane, a unit dead on one side, a later unit switching at x = 0
    net = ReLUNetwork([[[1, 0], [2, 0], [0, 1]], [[1, 1, 0], [-1, 0, 0]], [[1, 1]]], [[0, 0, 0], [0, 0], [0]])
    P = relu_network(net, None, SQ, mode="data", data=[["-1/2", "1/2"], ["1/2", "1/2"], ["1/2", "-1/2"]], engine="lp")
    full = relu_network(net, None, SQ)
    ref = find_adjacency([c.polytope for c in P.cells])
    assert _graph(P) == [(f.i, f.j, f.normal, f.offset) for f in ref]
    for c in P.cells:
        for fc in P.facet_crossings(c.index):
            if fc.pattern is not None:
                assert fc.pattern in {d.key for d in full.cells}
    C = net.cell(((0, 0, 1), (0, 0)), SQ)
    i = next(k for k, h in enumerate(C.facets) if h.normal == (1, 0))
    assert cross_facet(net, C, i) == ((1, 1, 1), (1, 0))


def test_leaky_data_mode_and_full_lp_traversal():
    net = _random_net(2, (4, 3), seed=7, slopes=[F(1, 10), F(-1, 2)])
    full = relu_network(net, None, SQ)
    assert full.check().ok
    pts = _random_points(2, 30, seed=8, lo=-1)
    D = relu_network(net, None, SQ, mode="data", data=pts)
    cells = {c.key: c.polytope for c in full.cells}
    assert all(cells[c.key] == c.polytope for c in D.cells)
    ref = find_adjacency([c.polytope for c in D.cells])
    assert _graph(D) == [(f.i, f.j, f.normal, f.offset) for f in ref]


def test_full_mode_engines_agree():
    net = _random_net(2, (5, 4), seed=11)
    V = relu_network(net, None, SQ, engine="vertices")
    L = relu_network(net, None, SQ, engine="lp")
    _same_cells(V, L)


def test_progress_bar_totals(capsys):
    net = _random_net(3, (5,), seed=2)
    pts = _random_points(3, 20, seed=3)
    P = relu_network(net, None, [(0, 1)] * 3, mode="data", data=pts, engine="lp", progress=True)
    err = capsys.readouterr().err
    assert f"0/{P.n_cells}" in err and "relu data cells" in err  # the bar has a total
    P.adjacency(progress=True)
    err = capsys.readouterr().err
    assert "data graph" in err and f"0/{P.n_cells}" in err


def test_data_mode_invalid_input():
    net = _random_net(3, (4,), seed=1)
    box = [(0, 1)] * 3
    good = [[F(1, 2)] * 3]
    with pytest.raises(InvalidInputError, match="outside the domain"):
        relu_network(net, None, box, mode="data", data=[[2, 0, 0]])
    with pytest.raises(InvalidInputError, match="coordinates"):
        relu_network(net, None, box, mode="data", data=[[0, 0]])
    with pytest.raises(InvalidInputError):
        relu_network(net, None, box, mode="data", data=[[float("nan"), 0.0, 0.0]], policy="exact")
    with pytest.raises(InexactInputError):
        relu_network(net, None, box, mode="data", data=[[0.5, 0.5, 0.5]])
    with pytest.raises(InvalidInputError, match="unknown engine"):
        relu_network(net, None, box, mode="data", data=good, engine="fast")
    P = relu_network(net, None, box, mode="data", data=good)
    with pytest.raises(InvalidInputError, match="outside the domain"):
        P.data_cell_indices([[2, 0, 0]])
    with pytest.raises(InvalidInputError, match="coordinates"):
        P.data_cell_indices([[0, 0]])
    with pytest.raises(InvalidInputError, match="cell index"):
        P.facet_crossings(5)
    far = next(x for x in _random_points(3, 200, seed=9) if net.pattern(x) != P.cells[0].key)
    with pytest.raises(InvalidInputError, match="not a data cell"):
        P.data_cell_indices([far])


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_direct_crossing_rule_equals_the_general_evaluation(data):
    # hfirst_cell remembers which units lie on each facet; cross_facet then flips them
    # without evaluating the network at the witness. The general rule (lexicographic
    # evaluation at the witness) must give the same neighbour on every facet.
    _, net, box, pts = _draw_net_and_data(data, 8)
    P = relu_network(net, None, box, mode="data", data=pts, engine="lp")
    net = P.model
    for c in P.cells:
        Q = c.polytope
        if "_facet_units" not in Q.__dict__:  # a unit identically zero on the cell: general rule only
            continue
        assert Q.__dict__["_facet_units"][0] == c.key
        direct = [cross_facet(net, Q, f) for f in range(Q.n_facets)]
        saved = Q.__dict__.pop("_facet_units")
        try:
            general = [cross_facet(net, Q, f) for f in range(Q.n_facets)]
        finally:
            Q.__dict__["_facet_units"] = saved
        assert direct == general


def test_direct_crossing_rule_with_units_on_one_facet_in_two_layers():
    # unit 0 of layer 2 equals x (layer 1 unit 0 active): both lie on x = 0 for the cell x > 0,
    # so the direct rule defers to the general evaluation; both rules agree
    net = ReLUNetwork([[[1, 0], [0, 1]], [[1, 0], [0, 1]], [[1, 1]]], [[0, F(1, 4)], [0, 0], [0]])
    P = relu_network(net, None, SQ, mode="data", data=[["1/2", "1/2"], ["-1/2", "1/2"]], engine="lp")
    Q = P.cells[[c.key for c in P.cells].index(((1, 1), (1, 1)))].polytope
    f = next(k for k, h in enumerate(Q.facets) if h.normal == (-1, 0))
    assert len({u for u in Q.__dict__["_facet_units"][1][f]}) == 2
    assert cross_facet(P.model, Q, f) == ((0, 1), (0, 1))
    fc = P.facet_crossings(P.cells[[c.key for c in P.cells].index(((1, 1), (1, 1)))].index)[f]
    assert fc.witness[0] == 0 and Q.facets[f].slack(fc.witness) == 0
