"""Full ReLU partitions built H-first (CrossingPartition): adjacency by facet crossing and
the tiling check by closure under crossing, against the vertex engine and closed forms."""

from __future__ import annotations

import random
from fractions import Fraction
from math import comb

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactgeom import relu_network
from exactgeom.partitions.partition import find_adjacency
from exactgeom.partitions.relu_crossing import CrossingPartition
from exactgeom.strategies.models import relu_nets

F = Fraction


def _faces(P):
    return sorted((f.i, f.j, f.normal, f.offset) for f in P.adjacency())


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 3).flatmap(lambda n: st.tuples(st.just(n), relu_nets(n, max_width=3, max_hidden=2))))
def test_lp_engine_equals_vertex_engine_with_faces(args):
    """Random (degenerate: duplicate, dead units) nets in 1-3 inputs: the same cells, the
    same adjacency with the same shared faces, and a check that proves the tiling."""
    n, (W, b) = args
    box = [(-2, 2)] * n
    V = relu_network(W, b, box, engine="vertices")
    L = relu_network(W, b, box, engine="lp")
    assert isinstance(L, CrossingPartition) and not L.is_data_partition
    assert [c.key for c in V.cells] == [c.key for c in L.cells]
    assert all(a.polytope == c.polytope for a, c in zip(V.cells, L.cells))
    assert _faces(L) == _faces(V)
    by_pair = {(f.i, f.j): f.face for f in V.adjacency()}
    assert all(f.face == by_pair[f.i, f.j] for f in L.adjacency())
    rep = L.check(volumes=True)
    assert rep.ok and rep.tiling and rep.volume_sum == rep.domain_volume, rep.problems


def test_adjacency_is_the_reference_pairwise_adjacency():
    rng = random.Random(7)
    W = [[[rng.randint(-3, 3) for _ in range(2)] for _ in range(5)], [[rng.randint(-2, 2) for _ in range(5)] for _ in range(4)],
         [[1, -1, 1, -1]]]
    b = [[F(rng.randint(-3, 3), 2) for _ in range(5)], [F(rng.randint(-3, 3), 2) for _ in range(4)], [0]]
    L = relu_network(W, b, [(-2, 2), (-2, 2)], engine="lp")
    ref = find_adjacency([c.polytope for c in L.cells])  # exact pairwise intersections
    assert _faces(L) == sorted((f.i, f.j, f.normal, f.offset) for f in ref)


@pytest.mark.parametrize("n", [12, 20, 40])
def test_central_arrangement_in_high_dimension(n):
    """m = 4 generic hyperplanes through the centre of [-1, 1]^n (n >= m): all 2^m sign
    patterns are cells and each cell has m neighbours, so m·2^(m-1) shared faces. The vertex
    route is out of reach here (a 20-cube has 2^20 vertices)."""
    m = 4
    rng = random.Random(n)
    W1 = [[rng.randint(-3, 3) for _ in range(n)] for _ in range(m)]
    while any(not any(r) for r in W1):  # pragma: no cover - a zero row has probability ~0
        W1 = [[rng.randint(-3, 3) for _ in range(n)] for _ in range(m)]
    P = relu_network([W1, [[1] * m]], [[0] * m, [0]], [(-1, 1)] * n)  # engine="auto": H-first here
    assert isinstance(P, CrossingPartition)
    assert P.n_cells == sum(comb(m, k) for k in range(m + 1)) == 2**m
    assert len(P.adjacency()) == m * 2 ** (m - 1)
    rep = P.check()
    assert rep.ok and rep.tiling
    for f in P.adjacency():  # neighbours differ in exactly one unit, and the face lies on it
        ki, kj = P.cells[f.i].key[0], P.cells[f.j].key[0]
        assert sum(a != c for a, c in zip(ki, kj)) == 1


def test_check_finds_a_missing_cell():
    L = relu_network([[[1, 0], [0, 1]], [[1, 1]]], [[0, 0], [0]], [(-1, 1), (-1, 1)], engine="lp")
    cells = [(c.key, c.polytope) for c in L.cells]
    broken = CrossingPartition(L.domain, cells[1:], family="relu", model=L.model)
    rep = broken.check()
    assert not rep.ok and not rep.tiling
    assert any("has no cell" in p for p in rep.problems), rep.problems
    moved = CrossingPartition(L.domain, [(cells[1][0], cells[0][1])] + cells[1:], family="relu", model=L.model)
    assert not moved.check().ok  # a cell under the wrong key: duplicate key, wrong model key
