"""Data cells built H-first through executors: identical to the serial cells (canonical
data, units on each facet, facet witnesses, data graph), for a process pool, a thread
pool and a Dask cluster; the packing that ships them; the per-prefix rows."""

from __future__ import annotations

import itertools
import pickle
import random
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactgeom.partitions import relu_data_cells as rdc
from exactgeom.partitions.relu import ReLUNetwork, relu_network
from exactgeom.polytope import Polytope
from exactgeom.polytope.hfirst import _facet_witness_ints
from exactgeom.polytope.lp import lp_statistics, reset_lp_statistics
from exactgeom.polytope.rays import _RayPoint

F = Fraction


def _net(n, widths, seed, den=8):
    rng = random.Random(seed)
    sizes = [n, *widths, 1]
    W = [[[F(rng.randint(-den, den), den) for _ in range(a)] for _ in range(b)] for a, b in itertools.pairwise(sizes)]
    b = [[F(rng.randint(-den, den), 2 * den) for _ in range(k)] for k in sizes[1:]]
    return ReLUNetwork(W, b)


def _points(n, k, seed, den=16):
    rng = random.Random(seed)
    return [tuple(F(rng.randint(0, den), den) for _ in range(n)) for _ in range(k)]


def _witness_value(X, q):
    return tuple(F(x, q) for x in X)


def _cell_state(P):
    """Everything a data cell carries that the data graph and downstream read (a cell
    the vertex engine built: its vertices, from which its facet witnesses come)."""
    if P.engine == "vertices":
        return P.__getstate__(), P.__dict__.get("_facet_units")
    return (
        P.__getstate__(),
        P.__dict__.get("_facet_units"),
        [_witness_value(*_facet_witness_ints(P, i)) for i in range(P.n_facets)],
        [P.facet_witness(i) for i in range(P.n_facets)],
        P.engine,
    )


def _same(P, Q):
    assert [c.key for c in P.cells] == [c.key for c in Q.cells]
    for a, b in zip(P.cells, Q.cells):
        assert _cell_state(a.polytope) == _cell_state(b.polytope), a.key
    assert [(f.i, f.j, f.normal, f.offset) for f in P.adjacency()] == [(f.i, f.j, f.normal, f.offset) for f in Q.adjacency()]
    for i in range(P.n_cells):  # witnesses compared in _cell_state
        cross = [[(f.facet, f.pattern, f.neighbour) for f in R.facet_crossings(i)] for R in (P, Q)]
        assert cross[0] == cross[1]
    assert P.provenance == Q.provenance


# engine "lp": every cell by the LP engine (packed as "h"); 8 inputs with engine "auto":
# H-first cells whose few rows the vertex engine converts (packed as "v")
_CASES = {
    "lp 3-6-5": (lambda: _net(3, (6, 5), 1), 3, "lp"),
    "auto 8-8-6": (lambda: _net(8, (8, 6), 2), 8, "auto"),
}


@pytest.mark.parametrize("name", list(_CASES))
def test_process_and_thread_pools_give_the_serial_cells(name):
    make, n, engine = _CASES[name]
    net, D, pts = make(), [(0, 1)] * n, _points(n, 60, 5)

    def build(ex):
        reset_lp_statistics()
        P = relu_network(net, None, D, mode="data", data=pts, engine=engine, executor=ex, progress=False)
        return P, lp_statistics()  # the workers' LP statistics are counted in this process

    serial, stats = build(None)
    assert serial.n_cells > 10 and len(serial.adjacency()) > 0
    kinds = {"h" if c.polytope.engine == "lp" else "v" for c in serial.cells}
    assert kinds == ({"h"} if engine == "lp" else {"v"})
    assert engine != "lp" or (stats["float_lps"] > 0 and stats["ray_facets"] > 0)
    for pool in (ProcessPoolExecutor, ThreadPoolExecutor):
        with pool(2) as ex:
            P, st = build(ex)
        _same(serial, P)
        assert st == stats, pool


@pytest.mark.slow
def test_dask_local_cluster_gives_the_serial_cells():
    distributed = pytest.importorskip("distributed")
    net, D, pts = _net(3, (6, 5), 1), [(0, 1)] * 3, _points(3, 60, 5)
    serial = relu_network(net, None, D, mode="data", data=pts, engine="lp", progress=False)
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    client = distributed.Client(cluster)
    try:
        got = relu_network(net, None, D, mode="data", data=pts, engine="lp", executor=client.get_executor(), progress=False)
        _same(serial, got)
    finally:
        client.close()
        cluster.close()


def test_pack_roundtrip_keeps_every_kind_of_witness():
    net, D = _net(3, (6, 5), 1), Polytope.box([(0, 1)] * 3)
    pats = sorted(set(net.cell_patterns(_points(3, 30, 7), [F(1, 2)] * 3)))
    dom = {(h.normal, h.offset): j for j, h in enumerate(D.facets)}
    P = rdc.hfirst_cell(net, pats[0], D, "lp")
    memo = P.__dict__["_facet_witness_memo"]
    assert memo and all(isinstance(w, _RayPoint) for w in memo.values())
    del memo[0]
    w0 = P.facet_witness(0)  # now a tuple of Fractions from the witness LP
    assert isinstance(memo[0], tuple)
    blob = pickle.dumps(rdc.pack_cell(P, dom))
    Q = rdc.unpack_cell(pickle.loads(blob), pats[0], D, dom)
    assert _cell_state(Q) == _cell_state(P) and Q.facet_witness(0) == w0
    assert Q == P and Q.relative_interior_point() == P.relative_interior_point()
    # a facet that is a domain facet travels as its index and comes back as the domain's half-space
    shared = [h for h in Q.facets if h in D.facets]
    assert shared and all(any(h is g for g in D.facets) for h in shared)


def test_unit_rows_per_prefix_match_the_network():
    """The cached per-prefix rows are IntNet.unit_rows's, and the box bounds are the
    exact extremes of g·x over the box's vertices."""
    net = _net(3, (4, 3, 2), 3)
    D = Polytope.box([(0, 1), (-1, 2), (0, F(1, 2))])
    R = rdc.UnitRows(net, D, keep=2)
    rng = random.Random(0)
    for _ in range(20):
        p = tuple(tuple(rng.randint(0, 1) for _ in range(k)) for k in net.hidden_sizes)
        got = R.rows(p)
        assert [(g, beta) for g, _, beta, _, _ in got] == net._int.unit_rows(p)
        for g, neg, _, lo, hi in got:
            vals = [sum(a * v for a, v in zip(g, x)) for x in D.vertices]
            assert (lo, hi) == (min(vals), max(vals)) and neg == tuple(-a for a in g)
    assert len(R._maps) <= 2


def test_chunks_cover_the_keys_in_order():
    keys = [((a, b), (c,)) for a in (0, 1) for b in (0, 1) for c in (0, 1)] * 40
    for ks in (keys, keys[:5], keys[:1], []):
        ch = rdc._chunks(ks)
        assert [k for c in ch for k in c] == ks and all(c for c in ch)


# ---------------------------------------------------------------------- the data graph's exact screen


@settings(max_examples=300)
@given(st.data())
def test_screen_decides_exactly_like_full_evaluation(data):
    """The int64 screen of the data graph's witness check (truncated normals and point,
    with a proved error bound) agrees with the exact evaluation of every row, for big
    and small numbers, points on a row's hyperplane and a hair off it."""
    from exactgeom.partitions.relu_data import _Screen
    from exactgeom.polytope.hrep import Halfspace

    n = data.draw(st.integers(1, 70))
    nbits = data.draw(st.sampled_from([3, 20, 40, 300, 1400]))
    xbits = data.draw(st.sampled_from([2, 30, 60, 400]))
    big = st.integers(-(2**nbits), 2**nbits)
    X = data.draw(st.lists(st.integers(-(2**xbits), 2**xbits), min_size=n, max_size=n))
    q = data.draw(st.integers(1, 2**xbits))
    H = []
    for _ in range(data.draw(st.integers(0, 6))):
        a = tuple(data.draw(st.lists(big, min_size=n, max_size=n)))
        ax = F(sum(u * v for u, v in zip(a, X)), q)
        kind = data.draw(st.sampled_from(["on", "above", "below", "far", "random"]))
        eps = F(1, data.draw(st.sampled_from([1, 2**10, 2**80, 2**500])))
        off = {"on": ax, "above": ax + eps, "below": ax - eps, "far": ax + abs(ax) + 1}.get(kind)
        if off is None:
            off = F(data.draw(big), data.draw(st.integers(1, 2**nbits)))
        H.append(Halfspace(a, off))
    exact = all(sum(u * v for u, v in zip(h.normal, X)) * h.offset.denominator <= h.offset.numerator * q for h in H)
    assert _Screen(H, n).inside(X, q) == exact
