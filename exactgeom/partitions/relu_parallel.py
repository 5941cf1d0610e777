"""Parallel full enumeration of a ReLU network: compact task results (internal).

With an executor, each task expands a piece of the domain (:func:`.relu_enum.split_pieces`:
the domain cut by the first layer-1 units; or whole layer-1 regions) into its cells AND pairs
the facets of those cells among themselves (two cells of a task meeting face to face
on a hyperplane: identical vertex lists on opposite sides). Only the facets left
unpaired -- those on a hyperplane where the task's regions meet another task's -- go
back to the main process, each keyed by the patterns of its two cells (the cells of
a ReLU network meet facet to facet, see the module docstring, so a facet is the
shared face of exactly one pair of cells), and are paired there by one dictionary
look-up each. The workers build no :class:`Polytope`: a cell is packed straight from
its integer data (:func:`pack_cell`, the same plain data as packing its polytope) and
its facets are paired on that data. Cells travel as pickled bytes and are decoded in
the main process only when first used (:class:`_PackedCell`); a shared face travels as the index of the
facet of its cell below, and its polytope is built from that facet on first use
(:class:`_PackedFace`, as the serial run's faces), so neither geometry nor decoding
sits on the main process's critical path.
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from fractions import Fraction
from math import gcd
from operator import mul
from typing import Any

from ..polytope.polytope import Polytope
from ._adjacency import _FacetFace
from ._vcell import VCell, sorted_incidence
from .partition import Cell, SharedFace
from .relu_enum import Piece, Subtree, _pack, _unit_rows, _unpack, cell_polytope, expand_piece, expand_subtree
from .relu_int import IntNet, IntRow, Pattern

__all__ = ["region_job", "region_task", "assemble", "neighbour_pattern", "pack_cell", "RegionResult"]

_PICKLE = pickle.HIGHEST_PROTOCOL

#: one task's result: the cells ``(pattern, packed cell)``; the pairs found inside the
#: task ``(cell below, cell above, plane, facet index in the cell below)`` (local indices;
#: "below": the cell lies on the side ``w·x <= p/q`` of the plane ``(w, p, q)``); and the
#: facets left open ``(cell, pattern across, number of vertices, sign, plane or None,
#: facet index or None)`` (plane and facet given on the side below only)
RegionResult = tuple[list[tuple[Pattern, bytes]], list[tuple[int, int, tuple, int]], list[tuple]]


class _UnitPlanes:
    """Per pattern prefix ``p`` (of length ``k``): the hyperplanes of the layer-``k``
    units on the region of ``p`` (canonical plane key -> units), the units identically
    zero there, and their rows ``(beta, g)``; built on demand and cached (a task's cells
    share few prefixes)."""

    def __init__(self, net: IntNet, rows: dict[Pattern, list[IntRow]] | None = None) -> None:
        n = net.n_in
        self.net = net
        self.rows = rows or {}  # prefix -> unit rows already computed (by expand_subtree)
        self.maps: dict[Pattern, tuple[tuple[IntRow, ...], int]] = {
            (): (tuple(tuple(int(j == i + 1) for j in range(n + 1)) for i in range(n)), 1)
        }
        self.planes: dict[Pattern, tuple[dict[tuple, list[int]], tuple[int, ...], list[IntRow]]] = {}

    def layer(self, prefix: Pattern) -> tuple[dict[tuple, list[int]], tuple[int, ...], list[IntRow]]:
        got = self.planes.get(prefix)
        if got is None:
            R = self.rows.get(prefix)
            if R is None:
                Jc, sig = self._map(prefix)
                R = _unit_rows(self.net, len(prefix), Jc, sig)
            pl: dict[tuple, list[int]] = {}
            zero = []
            for u, r in enumerate(R):
                if any(r[1:]):
                    pl.setdefault(_int_plane(r[1:], r[0]), []).append(u)
                elif r[0] == 0:
                    zero.append(u)
            got = self.planes[prefix] = (pl, tuple(zero), R)
        return got

    def _map(self, prefix: Pattern) -> tuple[tuple[IntRow, ...], int]:
        got = self.maps.get(prefix)
        if got is None:
            sig = self._map(prefix[:-1])[1]
            R = self.layer(prefix[:-1])[2]
            J2 = [r if su else (0,) * len(r) for r, su in zip(R, prefix[-1])]
            sig2 = sig * self.net.L[len(prefix) - 1]
            gg = gcd(sig2, *(x for r in J2 for x in r))
            if gg > 1:
                J2 = [tuple(x // gg for x in r) for r in J2]
                sig2 //= gg
            got = self.maps[prefix] = (tuple(J2), sig2)
        return got


def _int_plane(g: Sequence[int], beta: int) -> tuple[IntRow, int, int]:
    """The hyperplane ``g·x + beta = 0`` (``g`` ≠ 0) as :func:`._adjacency.plane_key`
    spells it: primitive normal with its first nonzero entry positive, offset ``p/q``
    reduced with ``q > 0`` (ints only, so hashing it is cheap)."""
    d = gcd(*g)
    if next(v for v in g if v) < 0:
        d = -d
    p, q = -beta, d
    if q < 0:
        p, q = -p, -q
    e = gcd(p, q)
    return tuple(v // d for v in g), p // e, q // e


def neighbour_pattern(
    units: _UnitPlanes, pattern: Pattern, normal: Sequence[int], key: tuple, layers: Sequence[tuple] | None = None
) -> Pattern:
    """The pattern of the cell across the facet with outward normal ``normal`` and
    hyperplane ``key`` (:func:`._adjacency.plane_key`) of the cell of ``pattern``
    (``layers``: ``[units.layer(pattern[:l]) for l in ...]`` if the caller has them).

    The units whose pre-activation on the cell vanishes on the facet (their hyperplane
    is the facet's, or they are zero on the cell) take the sign of their one-sided
    derivative along the normal, propagated layer by layer through the new pattern
    (integer rows, positive scale factors dropped); the other units keep theirs. The
    same rule as :meth:`Engine._cross`, from the cell's own affine maps."""
    if layers is None:
        layers = [units.layer(pattern[:l]) for l in range(len(pattern))]
    Ts = []
    for pl, zero, _ in layers:
        T = pl.get(key, ())
        Ts.append(tuple(T) + zero if zero else T)
    hit = [l for l, T in enumerate(Ts) if T]
    if not hit:  # pragma: no cover - every facet inside the domain is some unit's
        raise AssertionError(f"internal error: no unit of pattern {pattern} carries the facet {key}")
    W = units.net.W
    delta: list[int] = list(normal)
    new = list(pattern)
    last = hit[-1]
    for l in range(last):
        d = [sum(map(mul, r, delta)) for r in W[l]]
        s = pattern[l]
        if Ts[l]:
            s2 = list(s)
            for u in Ts[l]:
                s2[u] = 1 if d[u] > 0 else 0
            s = new[l] = tuple(s2)
        delta = [dv if su else 0 for dv, su in zip(d, s)]
    s2 = list(pattern[last])
    for u in Ts[last]:  # the last layer that changes: only its vanishing units' derivatives
        s2[u] = 1 if sum(map(mul, W[last][u], delta)) > 0 else 0
    new[last] = tuple(s2)
    return tuple(new)


def pack_cell(C: VCell) -> tuple:
    """``_pack(cell_polytope(C))`` for a finished cell of :func:`.relu_enum.expand_subtree`
    (canonical: facet rows only), computed from its integer data without building the
    :class:`Polytope`: vertices in lexicographic order as reduced ``(p, q)`` pairs, facets
    as primitive normals with reduced offsets, per facet its vertex mask. Falls back to
    the polytope when the rows are not exactly the facets (never for a canonical cell).

    >>> from exactgeom.partitions._vcell import VCell
    >>> from exactgeom.partitions.relu_enum import _pack
    >>> C = VCell.from_box([(0, 1), (0, 2)]).split((1, 1), 1)[0]
    >>> pack_cell(C) == _pack(cell_polytope(C))
    True
    """
    H = C.H
    order, inc = sorted_incidence(C)
    m = len(inc)
    full = (1 << len(H)) - 1
    # canonical_form keeps a row iff its vertex set is nonempty, proper, new and maximal:
    # then the facets are the rows in order (else let the polytope decide)
    if len(set(inc)) < m or any(k == 0 or k == full or any(k & o == k for o in inc if o != k) for k in inc):
        return _pack(cell_polytope(C))
    pts: list[int] = []
    ap = pts.append
    for idx in order:
        h = H[idx]
        q = h[0]
        for x in h[1:]:
            g = gcd(x, q)
            if g == 1:
                ap(x)
                ap(q)
            else:
                ap(x // g)
                ap(q // g)
    hs = []
    for a, bb in zip(C.A, C.b):
        g = gcd(*a)
        if g == 1:
            hs.append((a, bb, 1))
        else:
            e = gcd(bb, g)
            hs.append((tuple(x // g for x in a), bb // e, g // e))
    return (C.n, C.n, tuple(pts), tuple(hs), (), tuple(inc), tuple(range(m)))


def region_job(args: tuple[IntNet, Sequence[Subtree | Piece], frozenset]) -> RegionResult:
    """Worker entry point of a parallel full enumeration with adjacency.

    ``args = (net, regions, dom_planes)``: plain data in (no shared state; ``regions``
    are :data:`.relu_enum.Subtree` or :data:`.relu_enum.Piece` items); the cells
    of the regions, the shared faces between them, and the facets left open (not on
    the domain's boundary, whose hyperplane keys are ``dom_planes``) out, as plain ints
    and bytes (see :data:`RegionResult`). A face is built from the cell below its
    hyperplane, as :func:`._adjacency.find_adjacency_fast` builds it. No
    :class:`Polytope` is built here: cells are packed from their integer data
    (:func:`pack_cell`) and paired on it (vertices numbered per task)."""
    net, items, dom_planes = args
    rows: dict[Pattern, list[IntRow]] = {}
    packs = []
    cells = []
    for item in items:
        leaves = expand_piece(net, item, rows) if len(item) == 7 else expand_subtree(net, item, None, rows)
        for pattern, C, _, _, _ in leaves:
            pk = pack_cell(C)
            packs.append(pk)
            cells.append((pattern, pickle.dumps(pk, _PICKLE)))
    waiting: dict[tuple, tuple[int, int, int, int]] = {}
    inner: list[tuple[int, int, tuple, int]] = []
    vid: dict[tuple, int] = {}
    for ci, pk in enumerate(packs):
        n, pts, hs, masks = pk[0], pk[2], pk[3], pk[5]
        step = 2 * n
        ids = [vid.setdefault(pts[i : i + step], len(vid)) for i in range(0, len(pts), step)]
        for fi, (w, p, q) in enumerate(hs):
            if next(x for x in w if x) > 0:
                key, sgn = (w, p, q), 1
            else:
                key, sgn = (tuple(-x for x in w), -p, q), -1
            if key in dom_planes:
                continue
            fm = masks[fi]
            vset = tuple(ids[v] for v in range(len(ids)) if fm >> v & 1)
            other = waiting.pop((key, vset), None)
            if other is None:
                waiting[(key, vset)] = (ci, fi, sgn, len(vset))
                continue
            cj, fj, sj, _ = other
            if sj == sgn:  # pragma: no cover - cells of a partition have disjoint interiors
                raise AssertionError(f"internal error: two cells on one side of the facet {key}")
            a, fa, b = (ci, fi, cj) if sgn == 1 else (cj, fj, ci)
            inner.append((a, b, key, fa))  # the face: facet fa of cell a, built where it is used
    open_ = []
    units = _UnitPlanes(net, rows)
    layers: dict[int, list] = {}
    for (key, _), (ci, fi, sgn, nv) in waiting.items():
        pattern = cells[ci][0]
        lay = layers.get(ci)
        if lay is None:
            lay = layers[ci] = [units.layer(pattern[:l]) for l in range(len(pattern))]
        across = neighbour_pattern(units, pattern, packs[ci][3][fi][0], key, lay)
        if sgn == 1:
            open_.append((ci, across, nv, 1, key, fi))
        else:
            open_.append((ci, across, nv, -1, None, None))
    return cells, inner, open_


def region_task(blob: bytes) -> bytes:
    """:func:`region_job` with its arguments and result pickled: what executors run.
    One bytes object each way is the cheapest thing for any executor to ship (Dask,
    for one, hashes task arguments to name the tasks and walks nested results)."""
    return pickle.dumps(region_job(pickle.loads(blob)), _PICKLE)


class _PackedCell(Cell):
    """A :class:`~.partition.Cell` whose polytope is decoded from the bytes a worker
    shipped on first access (then kept); pickles as a plain :class:`Cell`."""

    def __getattr__(self, name: str) -> Any:
        d = self.__dict__
        if name != "polytope":
            raise AttributeError(name)
        blob = d.get("_blob")
        if blob is None:  # decoded meanwhile by another thread
            return d["polytope"]
        P = d["polytope"] = _unpack(pickle.loads(blob))
        d.pop("_blob", None)
        return P

    def __reduce__(self) -> tuple:
        return (Cell, (self.index, self.key, self.polytope))


class _PackedFace(_FacetFace):
    """A shared face that is the whole facet ``_fi`` of the cell ``_cell`` below it (a
    :class:`_PackedCell`, decoded on first use): as in the serial run, its face polytope is
    built from that facet on first use and its volume is the cell's facet volume; pickles
    as a plain :class:`~.partition.SharedFace`."""

    @property
    def _src(self) -> tuple[Polytope, int]:  # type: ignore[override]
        d = self.__dict__
        return d["_cell"].polytope, d["_fi"]


def _packed_cell(index: int, key: Pattern, blob: bytes) -> _PackedCell:
    c = object.__new__(_PackedCell)
    c.__dict__.update(index=index, key=key, _blob=blob)
    return c


def _packed_face(i: int, j: int, normal: tuple, offset: Fraction, fi: int, cell: Cell) -> _PackedFace:
    f = object.__new__(_PackedFace)
    f.__dict__.update(i=i, j=j, normal=normal, offset=offset, _fi=fi, _cell=cell)
    return f


def assemble(parts: Sequence[RegionResult]) -> tuple[list[Cell], list[SharedFace]]:
    """The main process's share of a parallel run: the cells of all tasks sorted by
    pattern (decoded lazily) and the adjacency, sorted by ``(i, j)`` — the same values
    :func:`._adjacency.find_adjacency_fast` gives for these cells.

    Pairs found inside a task are only renumbered; each open facet of cell ``s`` with
    cell ``t`` across is paired with the open facet of ``t`` with ``s`` across (and the
    same number of vertices). A facet left without its partner would mean cells not
    meeting face to face, which the cells of a ReLU network never do; should it
    happen, the adjacency is computed by :func:`._adjacency.find_adjacency_fast` from
    the decoded cells instead."""
    from ._adjacency import find_adjacency_fast

    refs = sorted((pattern, t, li) for t, part in enumerate(parts) for li, (pattern, _) in enumerate(part[0]))
    gid = [[0] * len(part[0]) for part in parts]
    cells: list[Cell] = []
    for g, (pattern, t, li) in enumerate(refs):
        gid[t][li] = g
        cells.append(_packed_cell(g, pattern, parts[t][0][li][1]))
    raw: list[tuple[int, int, tuple, int, int]] = []  # (i, j, plane, facet, cell below): pairs i < j are unique

    def add(a: int, b: int, key: tuple, fi: int) -> None:  # a below the plane, b above (facet fi of a)
        raw.append((a, b, key, fi, a) if a < b else (b, a, key, fi, a))

    waiting: dict[tuple, tuple[int, int, Any, Any]] = {}
    for t, (part_cells, inner, open_) in enumerate(parts):
        g = gid[t]
        for a, b, key, fa in inner:
            add(g[a], g[b], key, fa)
        for ci, across, nv, sgn, key, blob in open_:
            own = part_cells[ci][0]
            other = waiting.pop((across, own, nv), None)
            if other is None:
                waiting[(own, across, nv)] = (g[ci], sgn, key, blob)
            elif sgn == 1 and other[1] == -1:
                add(g[ci], other[0], key, blob)
            elif sgn == -1 and other[1] == 1:
                add(other[0], g[ci], other[2], other[3])
            else:  # pragma: no cover - two cells on one side of their common facet
                raise AssertionError(f"internal error: cells {own} and {across} on one side of their shared facet")
    if waiting:  # not face to face: the general routine decides
        return cells, find_adjacency_fast([c.polytope for c in cells])
    raw.sort()  # by (i, j): the first two entries already differ
    planes: dict[tuple, tuple[tuple, Fraction, tuple, Fraction]] = {}  # both orientations, made once per plane
    out: list[SharedFace] = []
    for i, j, key, fi, a in raw:
        pl = planes.get(key)
        if pl is None:
            w, p, q = key
            off = Fraction(p, q)
            pl = planes[key] = (w, off, tuple(-x for x in w), -off)
        if a == i:  # normal oriented from i to j: the plane's own when i lies below it
            out.append(_packed_face(i, j, pl[0], pl[1], fi, cells[a]))
        else:
            out.append(_packed_face(i, j, pl[2], pl[3], fi, cells[a]))
    return cells, out
