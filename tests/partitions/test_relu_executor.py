"""relu_network through executors (identical cell for cell), progress bar, Ctrl-C."""

from __future__ import annotations

import random
import re
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from fractions import Fraction
from itertools import pairwise

import pytest

from exactgeom.partitions import relu_enum
from exactgeom.partitions.relu import ReLUNetwork, relu_network

F = Fraction


def _net(sizes=(2, 6, 6, 1), seed=11):
    rng = random.Random(seed)
    W, b = [], []
    for a, c in pairwise(sizes):
        W.append([[F(rng.randint(-30, 30), 17) for _ in range(a)] for _ in range(c)])
        b.append([F(rng.randint(-10, 10), 13) for _ in range(c)])
    return ReLUNetwork(W, b)


def _same(P, Q):
    assert [c.key for c in P.cells] == [c.key for c in Q.cells]
    for a, b in zip(P.cells, Q.cells):
        assert a.polytope.vertices == b.polytope.vertices
        assert a.polytope.facets == b.polytope.facets
        assert a.polytope.facet_input_rows == b.polytope.facet_input_rows
    assert P.provenance == Q.provenance
    fa = [(f.i, f.j, f.normal, f.offset, f.face.vertices, f.face.facets, f.face.equalities) for f in P.adjacency()]
    fb = [(f.i, f.j, f.normal, f.offset, f.face.vertices, f.face.facets, f.face.equalities) for f in Q.adjacency()]
    assert fa == fb  # full mode with an executor: faces built in the workers, same values


def test_process_pool_identical_full_and_data():
    net = _net()
    D = [(-1, 1), (-1, 1)]
    serial = relu_network(net, None, D, progress=False)
    rng = random.Random(3)
    pts = [[F(rng.randint(-8, 8), 8), F(rng.randint(-8, 8), 8)] for _ in range(60)]
    serial_d = relu_network(net, None, D, mode="data", data=pts, progress=False)
    with ProcessPoolExecutor(2) as ex:
        _same(serial, relu_network(net, None, D, executor=ex, progress=False))
        _same(serial_d, relu_network(net, None, D, mode="data", data=pts, executor=ex, progress=False))
    with ThreadPoolExecutor(2) as ex:
        _same(serial, relu_network(net, None, D, executor=ex, progress=False))
    assert serial.check().ok


@pytest.mark.slow
def test_dask_local_cluster_identical():
    distributed = pytest.importorskip("distributed")
    net = _net((3, 4, 4, 1), 5)
    D = [(-1, 1)] * 3
    serial = relu_network(net, None, D, progress=False)
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    client = distributed.Client(cluster)
    try:
        _same(serial, relu_network(net, None, D, executor=client.get_executor(), progress=False))
    finally:
        client.close()
        cluster.close()


def test_progress_bar_goes_to_stderr(capsys):
    relu_network(_net(), None, [(-1, 1), (-1, 1)], progress=True)
    err = capsys.readouterr().err
    assert "relu cells" in err and "cell" in err
    relu_network(_net(), None, [(-1, 1), (-1, 1)], progress=False)
    assert capsys.readouterr().err == ""


def test_keyboard_interrupt_is_clean(monkeypatch, capsys):
    calls = {"n": 0}
    orig = relu_enum.cell_polytope

    def flaky(C):
        calls["n"] += 1
        if calls["n"] == 5:
            raise KeyboardInterrupt
        return orig(C)

    monkeypatch.setattr(relu_enum, "cell_polytope", flaky)
    with pytest.raises(KeyboardInterrupt):
        relu_network(_net(), None, [(-1, 1), (-1, 1)], progress=True)
    err = capsys.readouterr().err
    assert re.search(r"interrupted after \d+ cells", err) and "no partition was returned" in err
    monkeypatch.setattr(relu_enum, "cell_polytope", orig)
    assert relu_network(_net(), None, [(-1, 1), (-1, 1)], progress=False).check().ok  # nothing left behind
