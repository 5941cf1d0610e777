"""map_cells / cell_geometry: identical results serially, on a process pool and on Dask."""

from __future__ import annotations

import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from fractions import Fraction

import pytest

from exactgeom import InvalidInputError, arrangement
from exactgeom.partitions.executor import CellGeometry, cell_geometry, geometry_task, map_cells
from exactgeom.partitions.voronoi import voronoi

F = Fraction


def _part():
    return arrangement([[1, 0, 0], [0, 1, 0], [1, 1, 1], [1, -2, 1]], [0, F(1, 3), F(1, 2), 1], [(-2, 2)] * 3)


def _square(x):
    return x * x


def _interrupt_first(x):
    if x == 0:
        raise KeyboardInterrupt
    time.sleep(0.05)
    return x


def test_serial_geometry_matches_polytopes():
    P = _part()
    g = cell_geometry(P, progress=False)
    assert len(g) == P.n_cells
    for c, cg in zip(P.cells, g):
        assert isinstance(cg, CellGeometry)
        assert (cg.index, cg.key, cg.volume, cg.centroid, cg.vertices) == (
            c.index, c.key, c.volume(), c.centroid(), c.polytope.vertices)
    assert sum(cg.volume for cg in g) == P.domain.volume()


def test_process_pool_identical():
    P = voronoi([[0, 0], [1, 2], [F(-3, 2), 1], [2, -1]], [(-3, 3), (-3, 3)])
    serial = cell_geometry(P, progress=False)
    with ProcessPoolExecutor(2) as ex:
        assert cell_geometry(P, executor=ex, progress=False) == serial
        assert map_cells(_square, range(20), executor=ex, progress=False) == [x * x for x in range(20)]


def test_dask_identical():
    distributed = pytest.importorskip("distributed")
    P = _part()
    serial = cell_geometry(P, progress=False)
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    client = distributed.Client(cluster)
    try:
        got = cell_geometry(P, executor=client.get_executor(), progress=False)
    finally:
        client.close()
        cluster.close()
    assert got == serial


def test_order_and_progress_bar(capsys):
    assert map_cells(_square, [3, 1, 2], progress=False) == [9, 1, 4]
    with ThreadPoolExecutor(3) as ex:
        assert map_cells(_square, list(range(30)), executor=ex, progress=False) == [x * x for x in range(30)]
    map_cells(_square, range(5), progress=True, desc="squares")
    assert "squares" in capsys.readouterr().err
    map_cells(_square, range(5), progress=False, desc="quiet")
    assert "quiet" not in capsys.readouterr().err


def test_keyboard_interrupt_cancels_pending():
    with ThreadPoolExecutor(1) as ex:
        t0 = time.perf_counter()
        with pytest.raises(KeyboardInterrupt):
            map_cells(_interrupt_first, range(40), executor=ex, progress=False)
        # the 39 sleeping tasks were cancelled, not run (they would take ~2 s)
    assert time.perf_counter() - t0 < 1.0
    with pytest.raises(KeyboardInterrupt):
        map_cells(_interrupt_first, [0, 1], progress=False)


def test_errors_propagate_and_invalid():
    with pytest.raises(ZeroDivisionError):
        map_cells(lambda x: 1 / x, [1, 0], progress=False)
    with pytest.raises(InvalidInputError):
        map_cells(_square, [1], executor="pool", progress=False)
    with pytest.raises(InvalidInputError):
        map_cells(5, [1], progress=False)
    with pytest.raises(InvalidInputError):
        cell_geometry("not a partition")


def test_geometry_task_plain_data():
    vol, cen, verts = geometry_task((2, [(1, 0), (-1, 0), (0, 1), (0, -1)], [F(1), F(0), F(2), F(0)]))
    assert vol == 2 and cen == (F(1, 2), F(1)) and len(verts) == 4
    assert all(isinstance(x, Fraction) for v in verts for x in v)
