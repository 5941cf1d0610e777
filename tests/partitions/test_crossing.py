"""Full partitions built H-first (CrossingPartition: ReLU networks, arrangements, argmax,
Voronoi): cells, adjacency by facet crossing and the tiling check by closure under
crossing, against the vertex engine and closed forms."""

from __future__ import annotations

import random
from fractions import Fraction
from math import comb

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactgeom import InvalidInputError, argmax_linear, arrangement, relu_network, voronoi
from exactgeom.partitions.crossing import CrossingPartition, lex_sign
from exactgeom.partitions.partition import find_adjacency
from exactgeom.strategies.models import relu_nets
from exactgeom.strategies.partitions import argmax_models, arrangements, boxes, site_sets

F = Fraction


def _faces(P):
    return sorted((f.i, f.j, f.normal, f.offset) for f in P.adjacency())


def _same_as_vertex_engine(build):
    """``build(engine)`` on both engines: same keys and cells, same adjacency with the same
    faces; the H-first check proves the tiling and its volumes sum to the domain's."""
    V, L = build("vertices"), build("lp")
    assert isinstance(L, CrossingPartition) and not isinstance(V, CrossingPartition)
    assert [c.key for c in V.cells] == [c.key for c in L.cells]
    assert all(a.polytope == c.polytope for a, c in zip(V.cells, L.cells))
    assert _faces(L) == _faces(V)
    by_pair = {(f.i, f.j): f.face for f in V.adjacency()}
    assert all(f.face == by_pair[f.i, f.j] for f in L.adjacency())
    rep = L.check(volumes=True)
    assert rep.ok and rep.tiling and rep.volume_sum == rep.domain_volume, rep.problems
    assert [L.label(c) for c in L.cells] == [V.label(c) for c in V.cells]


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 3).flatmap(lambda n: st.tuples(st.just(n), relu_nets(n, max_width=3, max_hidden=2))))
def test_lp_engine_equals_vertex_engine_with_faces(args):
    """Random (degenerate: duplicate, dead units) nets in 1-3 inputs: the same cells, the
    same adjacency with the same shared faces, and a check that proves the tiling."""
    n, (W, b) = args
    _same_as_vertex_engine(lambda e: relu_network(W, b, [(-2, 2)] * n, engine=e))


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


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 3).flatmap(lambda n: st.tuples(arrangements(n, max_hyperplanes=4), boxes(n))))
def test_arrangement_engines_agree(args):
    """Degenerate arrangements too: repeated, negated, parallel, concurrent, zero rows."""
    (W, c), box = args
    _same_as_vertex_engine(lambda e: arrangement(W, c, box, engine=e))


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 3).flatmap(lambda n: st.tuples(argmax_models(n), boxes(n))))
def test_argmax_engines_agree(args):
    """Repeated classes (never win) and classes sharing weights (parallel boundaries)."""
    (W, c), box = args
    _same_as_vertex_engine(lambda e: argmax_linear(W, c, box, labels=[f"c{j}" for j in range(len(W))], engine=e))


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 3).flatmap(lambda n: st.tuples(site_sets(n), boxes(n))))
def test_voronoi_engines_agree(args):
    """Duplicate and mirrored (cospherical) sites."""
    S, box = args
    _same_as_vertex_engine(lambda e: voronoi(S, box, engine=e))


@pytest.mark.parametrize("n", [16, 64])
def test_linear_classifiers_in_high_dimension(n):
    """k classes with generic weights through the centre of [-1, 1]^n: every class wins
    somewhere, so k cells, and the argmax of k generic affine functions in R^n (n >= k) has
    every pair of classes adjacent; the same for k generic Voronoi sites around the centre.
    The vertex route cannot start here (2^n box vertices)."""
    rng = random.Random(n)
    k = 5
    W = [[rng.randint(-5, 5) for _ in range(n)] for _ in range(k)]
    P = argmax_linear(W, [0] * k, [(-1, 1)] * n)
    assert isinstance(P, CrossingPartition) and P.n_cells == k
    assert len(P.adjacency()) == comb(k, 2)
    assert P.check().ok and P.check().tiling
    S = [[F(rng.randint(-5, 5), 10) for _ in range(n)] for _ in range(k)]
    Q = voronoi(S, [(-1, 1)] * n)
    assert Q.n_cells == k and len(Q.adjacency()) == comb(k, 2) and Q.check().tiling
    for c in Q.cells:  # an interior point is nearest to its own site
        x = c.polytope.relative_interior_point()
        d = [sum((a - b) ** 2 for a, b in zip(x, s)) for s in S]
        assert min(d) == d[c.key] and d.count(min(d)) == 1


def test_arrangement_in_high_dimension_against_zaslavsky():
    """m generic hyperplanes in R^n (n >= m) whose common point is the centre of the box:
    2^m regions (Zaslavsky: all subsets independent), each with m neighbours."""
    rng = random.Random(3)
    n, m = 30, 5
    W = [[rng.randint(-4, 4) for _ in range(n)] for _ in range(m)]
    P = arrangement(W, [0] * m, [(-1, 1)] * n)
    assert P.n_cells == 2**m and len(P.adjacency()) == m * 2 ** (m - 1)
    assert all(f.face.dim == n - 1 for f in P.adjacency()[:5])


@pytest.mark.parametrize("build", [
    lambda: arrangement([[1, 0]], [0], [(-1, 1), (-1, 1)], engine="simplex"),
    lambda: argmax_linear([[1, 0]], [0], [(-1, 1), (-1, 1)], engine=None),
    lambda: voronoi([[1, 0]], [(-1, 1), (-1, 1)], engine="LP"),
])
def test_unknown_engine_is_refused(build):
    with pytest.raises(InvalidInputError, match="engine"):
        build()


def test_lex_sign():
    assert lex_sign(F(-1, 3), (1,), [(5,)]) == -1
    assert lex_sign(F(0), (0, 0), [(1, 1)]) == 0
    assert lex_sign(F(0), (2, -1), [(1, 2), (1, 0)]) == 1


def test_points_are_located_in_high_dimension_and_feed_the_data_complex():
    """data_cell_indices of a non-ReLU CrossingPartition: an interior point in its cell, a
    point on a boundary in one of the cells containing it; the data-measure complex (which
    locates points this way) builds without vertices."""
    from exactgeom import RiemannianComplex

    rng = random.Random(11)
    n, k = 12, 4
    W = [[rng.randint(-4, 4) for _ in range(n)] for _ in range(k)]
    P = argmax_linear(W, [0] * k, [(-1, 1)] * n)
    X = [[F(rng.randint(-9, 9), 10) for _ in range(n)] for _ in range(40)] + [[0] * n]  # the centre: all tie
    got = P.data_cell_indices(X)
    for x, j in zip(X, got):
        assert P.cells[j].polytope.contains(x)
        inside = [c.index for c in P.cells if c.polytope.contains(x, strict=True)]
        assert inside in ([], [j])
    K = RiemannianComplex.from_partition(P, measure="data", data=X)
    assert K.f_vector()[0] == k and sum(K.data_mass()) == len(X)
    with pytest.raises(InvalidInputError, match="outside the domain"):
        P.data_cell_indices([[2] + [0] * (n - 1)])


def test_keyboard_interrupt_in_the_traversal_is_clean(monkeypatch, capsys):
    """Ctrl-C during an H-first traversal: the message names the stage and the cells done,
    the interrupt propagates, and nothing is left behind."""
    import re

    from exactgeom.partitions import crossing

    calls = {"n": 0}
    orig = crossing.Polytope.from_hrep

    def flaky(*a, **k):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return orig(*a, **k)

    monkeypatch.setattr(crossing.Polytope, "from_hrep", staticmethod(flaky))
    with pytest.raises(KeyboardInterrupt):
        arrangement([[1, 0], [0, 1], [1, 1]], [0, 0, 0], [(-1, 1), (-1, 1)], engine="lp")
    err = capsys.readouterr().err
    assert re.search(r"arrangement cells: interrupted after \d+ cells", err) and "no partition was returned" in err
    monkeypatch.undo()
    assert arrangement([[1, 0], [0, 1], [1, 1]], [0, 0, 0], [(-1, 1), (-1, 1)], engine="lp").n_cells == 6
