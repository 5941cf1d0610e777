"""relu_network through executors (identical cell for cell), progress bar, Ctrl-C."""

from __future__ import annotations

import pickle
import random
import re
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from fractions import Fraction
from itertools import pairwise

import pytest

from exactgeom.partitions import relu_enum, relu_parallel
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
    rng = random.Random(5)
    pts = [[F(rng.randint(-8, 8), 8) for _ in range(3)] for _ in range(40)]
    serial_d = relu_network(net, None, D, mode="data", data=pts, progress=False)
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    client = distributed.Client(cluster)
    try:
        ex = client.get_executor()
        _same(serial, relu_network(net, None, D, executor=ex, progress=False))
        _same(serial_d, relu_network(net, None, D, mode="data", data=pts, executor=ex, progress=False))
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


# ---------------------------------------------------------------------- the parallel path's pieces, without processes


def _tasks(net, D, group):
    """The tasks relu_network sends to an executor, with the layer-1 regions grouped by ``group``."""
    from exactgeom.partitions._adjacency import plane_key
    from exactgeom.partitions.partition import as_domain

    Dp = as_domain(D)
    eng = relu_enum.Engine(net._int, [h.normal for h in Dp.facets], [h.offset for h in Dp.facets], Dp.vertices)
    items = relu_enum.expand_subtree(eng.net, relu_enum.root_subtrees(eng), 1)
    dom = frozenset(plane_key(h.normal, h.offset)[0] for h in relu_enum._domain_halfspaces(eng))
    return [(eng.net, tuple(items[i] for i in g), dom) for g in group(len(items))]


def _faces(A):
    return [(f.i, f.j, f.normal, f.offset, f.face.vertices, f.face.facets, f.face.equalities, f.volume()) for f in A]


_GROUPS = [
    lambda m: [[i] for i in range(m)],  # every layer-1 region alone: all layer-1 faces cross tasks
    lambda m: [list(range(m))],  # one task: every pair found inside it
    lambda m: [list(range(m))[k::3] for k in range(3)],  # interleaved, out of pattern order
]
_SQ = [(-1, 1), (-1, 1)]
_NETS = {
    "random 2-5-6": (_net((2, 5, 6, 1), 4), _SQ),
    "random 3-4-5": (_net((3, 4, 5, 1), 7), [(-1, 1)] * 3),
    "random 2-4-4-4": (_net((2, 4, 4, 4, 1), 2), _SQ),
    "one hidden layer 3-7": (_net((3, 7, 1), 3), [(-1, 1)] * 3),
    # degenerate: duplicate and parallel units, a layer-2 unit on a layer-1 hyperplane,
    # a dead layer-2 unit, three lines through one point, a bent line through a corner
    "duplicates": (ReLUNetwork([[[1, 2], [1, 2], [-1, 1]], [[1, -1, 1], [0, 1, -1]], [[1, 1]]], [[0, 0, F(1, 3)], [0, 0], [0]]), _SQ),
    "copied plane": (ReLUNetwork([[[1, 0], [0, 1]], [[1, 0], [1, 1]], [[1, 1]]], [[0, 0], [0, F(-1, 2)], [0]]), _SQ),
    "dead unit": (ReLUNetwork([[[1, 0], [0, 1]], [[-1, -1], [0, -2]], [[1, 1]]], [[0, 0], [0, -1], [0]]), _SQ),
    "concurrent": (ReLUNetwork([[[1, 0], [0, 1], [1, 1], [1, -1]], [[1, -1, 1, 0], [0, 1, 0, -1]], [[1, 1]]], [[0] * 4, [0, F(1, 5)], [0]]), _SQ),
    "corner": (ReLUNetwork([[[1, 0], [-1, 0], [0, 1]], [[1, 1, -1]], [[1]]], [[0, 0, 0], [0], [0]]), _SQ),
}


@pytest.mark.parametrize("group", _GROUPS)
@pytest.mark.parametrize("name", list(_NETS))
def test_region_tasks_and_assembly_match_the_serial_adjacency(name, group):
    from exactgeom.partitions._adjacency import find_adjacency_fast

    net, D = _NETS[name]
    serial = relu_network(net, None, D, progress=False)
    parts = [relu_parallel.region_job(t) for t in _tasks(net, D, group)]
    n_inner = sum(len(p[1]) for p in parts)
    n_open = sum(len(p[2]) for p in parts)
    cells, A = relu_parallel.assemble(parts)
    assert [c.key for c in cells] == [c.key for c in serial.cells]
    assert [c.index for c in cells] == list(range(len(cells)))
    for a, b in zip(cells, serial.cells):
        assert a.polytope.vertices == b.polytope.vertices and a.polytope.facets == b.polytope.facets
    ref = find_adjacency_fast([c.polytope for c in serial.cells])
    assert _faces(A) == _faces(ref) == _faces(serial.adjacency())
    assert n_inner + n_open // 2 == len(ref)  # each shared face found once: inside a task or by its two open halves
    assert all(isinstance(f, relu_parallel._PackedFace) for f in A)  # paired face to face, no fallback
    # a packed face pickles as a plain SharedFace with the same face, before or after first use
    _, A2 = relu_parallel.assemble(parts)
    assert _faces([pickle.loads(pickle.dumps(f)) for f in A2]) == _faces(ref)
    if len(parts) == 1:
        assert n_open == 0
    elif name.startswith("random"):
        assert n_open > 0
    # the pattern across every open facet is the serial engine's neighbour across it
    eng = relu_enum.Engine(net._int, [h.normal for h in serial.domain.facets], [h.offset for h in serial.domain.facets], serial.domain.vertices)
    for part in parts:
        for ci, across, _, _, _, _ in part[2]:
            assert across in eng.neighbours(part[0][ci][0])


def test_assembly_falls_back_when_a_facet_has_no_partner():
    """A facet left without its partner (cells not meeting face to face, which ReLU
    cells never do) sends the assembly to the general routine: same adjacency."""
    from exactgeom.partitions._adjacency import find_adjacency_fast

    net, D = _net((2, 5, 6, 1), 4), [(-1, 1), (-1, 1)]
    parts = [relu_parallel.region_job(t) for t in _tasks(net, D, lambda m: [[i] for i in range(m)])]
    t = next(k for k, p in enumerate(parts) if p[2])
    ci, across, nv, sgn, key, blob = parts[t][2][0]
    parts[t][2][0] = (ci, across, nv + 1, sgn, key, blob)  # its partner no longer matches
    cells, A = relu_parallel.assemble(parts)
    assert _faces(A) == _faces(find_adjacency_fast([c.polytope for c in cells]))
    assert not any(isinstance(f, relu_parallel._PackedFace) for f in A)


def test_lazy_cells_and_faces_behave_as_plain_ones():
    import copy
    import pickle

    from exactgeom.partitions.partition import Cell, SharedFace

    net, D = _net(), [(-1, 1), (-1, 1)]
    serial = relu_network(net, None, D, progress=False)
    with ThreadPoolExecutor(2) as ex:
        P = relu_network(net, None, D, executor=ex, progress=False)
    c, f = P.cells[3], P.adjacency()[2]
    assert isinstance(c, Cell) and isinstance(f, SharedFace)
    assert "polytope" not in c.__dict__ and "face" not in f.__dict__  # not decoded yet
    assert not hasattr(c, "no_such_attribute")
    for obj in (pickle.loads(pickle.dumps(c)), copy.copy(c)):
        assert type(obj) is Cell and obj.key == c.key and obj.polytope == serial.cells[3].polytope
    g = pickle.loads(pickle.dumps(f))
    assert type(g) is SharedFace and (g.i, g.j, g.normal, g.offset) == (f.i, f.j, f.normal, f.offset)
    assert g.face.vertices == serial.adjacency()[2].face.vertices
    assert repr(c) == repr(serial.cells[3]) and repr(f) == repr(serial.adjacency()[2])
    Q = pickle.loads(pickle.dumps(P))  # the whole partition, adjacency included
    _same(serial, Q)
    R = P.with_provenance(note="x")
    assert R.adjacency() is P.adjacency() and R.check().ok
    assert P.neighbours(0) == serial.neighbours(0) and P.cell(P.cells[5].key) is P.cells[5]


@pytest.mark.parametrize("name", list(_NETS))
def test_cells_are_packed_as_their_polytopes(name):
    """The workers pack each cell from its integer data (no Polytope): the same plain
    data as packing the cell's polytope, for random and degenerate nets."""
    from exactgeom.partitions.partition import as_domain

    net, D = _NETS[name]
    Dp = as_domain(D)
    eng = relu_enum.Engine(net._int, [h.normal for h in Dp.facets], [h.offset for h in Dp.facets], Dp.vertices)
    leaves = relu_enum.expand_subtree(eng.net, relu_enum.root_subtrees(eng))
    assert leaves
    for _, C, _, _, _ in leaves:
        assert relu_parallel.pack_cell(C) == relu_enum._pack(relu_enum.cell_polytope(C))


def test_packing_a_cell_with_redundant_rows_goes_through_the_polytope():
    """Rows that are not exactly the facets (a repeated row, a row tight at one vertex
    only) are left to the polytope's canonicaliser: same result as packing the polytope."""
    from exactgeom.partitions._vcell import VCell, int_row

    sq = VCell.from_box([(0, 1), (0, 2)])
    rows = [*sq.rows, int_row((1, 0), 1), int_row((1, 1), 3)]  # x <= 1 again; x + y <= 3 touches (1, 2)
    pts = [(F(x), F(y)) for x in (0, 1) for y in (0, 2)]
    C = VCell.from_points_rows(2, pts, rows)
    packed = relu_parallel.pack_cell(C)
    assert packed == relu_enum._pack(relu_enum.cell_polytope(C))
    assert len(packed[3]) == 4  # the four sides only


def _engine(net, D):
    from exactgeom.partitions.partition import as_domain

    Dp = as_domain(D)
    return relu_enum.Engine(net._int, [h.normal for h in Dp.facets], [h.offset for h in Dp.facets], Dp.vertices)


def _state(C):
    return (C.n, C.A, C.b, C.H, C.masks)


@pytest.mark.parametrize("target", [1, 2, 5, 10**6])
@pytest.mark.parametrize("name", list(_NETS))
def test_pieces_expand_to_the_same_cells(name, target):
    """Cutting the domain into pieces by the first layer-1 units (main process) and
    expanding each piece (workers) gives the cells of the one-shot expansion, identical
    (rows, vertices and incidences in the same order); the pieces tile the domain; the
    workers' results on pieces assemble to the serial cells and adjacency."""
    from exactgeom.partitions._adjacency import find_adjacency_fast, plane_key

    net, D = _NETS[name]
    eng = _engine(net, D)
    root = relu_enum.root_subtrees(eng)
    whole = relu_enum.expand_subtree(eng.net, root)
    pieces = relu_enum.split_pieces(eng.net, root, target)
    n1 = len(eng.net.W[0])  # layer-1 units
    assert len(pieces) >= target or all(len(p[1]) == n1 for p in pieces)  # stopped early only when all units are used
    assert len({len(p[1]) for p in pieces}) == 1
    got = [c for p in pieces for c in relu_enum.expand_piece(eng.net, p)]
    assert [c[0] for c in got] == [c[0] for c in whole]
    assert [_state(c[1]) for c in got] == [_state(c[1]) for c in whole]
    assert sum(relu_enum.cell_polytope(p[2]).volume() for p in pieces) == relu_enum.cell_polytope(root[1]).volume()
    serial = relu_network(net, None, D, progress=False)
    dp = frozenset(plane_key(h.normal, h.offset)[0] for h in relu_enum._domain_halfspaces(eng))
    parts = [relu_parallel.region_job((eng.net, (p,), dp)) for p in pieces]
    cells, A = relu_parallel.assemble(parts)
    assert [c.key for c in cells] == [c.key for c in serial.cells]
    for a, b in zip(cells, serial.cells):
        assert a.polytope.vertices == b.polytope.vertices and a.polytope.facets == b.polytope.facets
    assert _faces(A) == _faces(find_adjacency_fast([c.polytope for c in serial.cells]))
