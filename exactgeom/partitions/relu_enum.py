"""Exact enumeration of the activation cells of a ReLU network (internal engine).

Geometry. For a pattern ``s = (s_1, …, s_H)`` the cell is ``R_H(s)``, where ``R_0 = D``
and ``R_k(s_1..s_k) = R_{k-1} ∩ {layer-k constraints with signs s_k}``. On
``R_{k-1}`` every layer-k pre-activation is affine, so a layer-k unit whose sign is weak
and constant on the vertices of ``R_{k-1}`` cannot cut it: only the *cutting* units are
intersected with ``R_{k-1}``, by exact incremental double-description steps starting
from its known vertices and facets (:mod:`._vcell`); no H→V conversion from scratch.
The prefix regions ``R_k`` are cached, so each is computed once.

Traversal. The cells of a ReLU network meet facet to facet: across a facet ``F`` of a
cell ``C`` (not on the domain boundary) there is exactly one cell, whose pattern ``s'``
differs from ``s`` only on the units whose affine pre-activation on ``C`` vanishes on
``F`` (their hyperplane *is* ``F``'s, or they are identically zero on ``C``). For those
units the new sign is the sign of the one-sided directional derivative along the
outward normal ``ν``, propagated layer by layer through the *new* pattern (positive
scale factors dropped, integers only); a zero derivative means the unit is identically
zero beyond ``F``, hence inactive. The breadth-first traversal from the cell of the
domain's centre therefore reaches every cell exactly once (the dual graph of a
subdivision of a convex domain is connected).

Everything is exact: integer arithmetic (Python ints, flint ``fmpz_mat``) throughout.
"""

from __future__ import annotations

import hashlib
import pickle
import sys
import time
from collections.abc import Iterable, Sequence
from fractions import Fraction
from math import gcd
from operator import mul
from typing import Any

from ..polytope.measures import coprime_fraction
from ..polytope.polytope import Polytope
from ._vcell import Row, VCell, cut, int_row, to_polytope
from .partition import Cell, SharedFace
from .relu_int import IntNet, IntRow, Pattern, canonical_halfspace_plane, canonical_plane

__all__ = [
    "Engine", "run_cells", "engine_token", "polytope_of", "cell_job", "Subtree", "root_subtrees",
    "expand_subtree", "subtree_job", "enumerate_full", "Piece", "split_pieces", "expand_piece", "N_PIECES",
]

_MISSING = object()


class _Node:
    """A prefix region ``R_k``: exact V/H data, the affine map ``h_k = (J x + c)/sig`` on
    it, and the classified units of layer ``k+1``."""

    __slots__ = ("G", "J", "_poly", "beta", "cut", "excl", "forced", "planes", "rowsG", "tau", "vp", "zero_units")

    def __init__(self, vp: VCell) -> None:
        self.vp = vp
        self.J: Any = None  # fmpz_mat [J | c] (n_k × (n+1)) for k < H
        self.G: list[IntRow] = []  # layer-(k+1) gradients (consistent scale tau)
        self.beta: list[int] = []
        self.tau = 1
        self.rowsG: list[Row] = []  # primitive rows (g, beta) per unit, for cddlib-free cutting
        self.forced: list[int | None] = []
        self.cut: list[int] = []
        self.excl: dict[int, tuple[int, int]] = {}  # cutting unit -> vertices excluded by (inactive, active) side
        self.planes: dict[tuple, list[int]] = {}
        self.zero_units: tuple[int, ...] = ()
        self._poly: Polytope | None = None


class Engine:
    """Builds cells and their facet neighbours for one network and one domain.

    ``dom_A``/``dom_b`` are the domain's irredundant facets ``A x <= b`` (integer normal
    rows, Fraction offsets) and ``dom_V`` its vertices.
    """

    def __init__(
        self, net: IntNet, dom_A: Sequence[IntRow], dom_b: Sequence[Fraction], dom_V: Sequence[Sequence[Fraction]]
    ) -> None:
        from flint import fmpz_mat

        self.net = net
        self.n = net.n_in
        self.H = net.n_hidden
        self.dom_A = tuple(tuple(r) for r in dom_A)
        self.dom_b = tuple(dom_b)
        self.dom_V = tuple(tuple(v) for v in dom_V)
        self.dom_planes = {canonical_halfspace_plane(a, c) for a, c in zip(self.dom_A, self.dom_b)}
        self._nodes: dict[Pattern, _Node | None] = {}
        self._Wm = [fmpz_mat(len(W), len(W[0]), [v for r in W for v in r]) for W in net.W]
        self._bm = [fmpz_mat(len(b), 1, list(b)) for b in net.b]

    # ------------------------------------------------------------------ prefix regions
    def _classify(self, node: _Node, k: int, Jc: Any, sig: int) -> None:
        """Fill the layer-(k+1) data of ``node`` from ``h_k = Jc·(x, 1) / sig``."""
        from flint import fmpz_mat

        n = self.n
        Wm = self._Wm[k]
        GB = Wm * Jc  # n_{k+1} × (n+1): gradient rows and W·c
        nu = GB.nrows()
        vals = GB.entries()
        bsig = [int(v) * sig for v in self.net.b[k]]
        G = [tuple(int(v) for v in vals[u * (n + 1) : u * (n + 1) + n]) for u in range(nu)]
        beta = [int(vals[u * (n + 1) + n]) + bsig[u] for u in range(nu)]
        node.G, node.beta, node.tau = G, beta, sig * self.net.L[k]
        verts = node.vp.H
        nv = len(verts)
        # values of every unit at every vertex: [beta | G] · [q ; x̃]
        M = fmpz_mat(nu, n + 1, [v for g, bt in zip(G, beta) for v in (bt, *g)])
        Vm = fmpz_mat(n + 1, nv, [X[j] for j in range(n + 1) for X in verts])
        Z = (M * Vm).entries()
        forced: list[int | None] = []
        cut: list[int] = []
        planes: dict[tuple, list[int]] = {}
        zero_units = []
        rowsG: list[Row] = []
        excl: dict[int, tuple[int, int]] = {}
        for u in range(nu):
            g, bt = G[u], beta[u]
            row = Z[u * nv : (u + 1) * nv]
            pos = any(v > 0 for v in row)
            neg = any(v < 0 for v in row)
            if any(g):
                if (pos and neg) or not all(row):  # its hyperplane meets R_k: it may carry a facet
                    planes.setdefault(canonical_plane(g, bt), []).append(u)
                d = gcd(*g, bt)
                rowsG.append((tuple(v // d for v in g), bt // d))
            else:
                if bt == 0:
                    zero_units.append(u)
                rowsG.append((g, bt))
            if pos and neg:
                forced.append(None)
                cut.append(u)
                # vertices of R_k each side excludes (active side excludes the negatives)
                excl[u] = (sum(1 for v in row if v > 0), sum(1 for v in row if v < 0))
            else:
                forced.append(1 if pos else 0)
        node.rowsG, node.forced, node.cut, node.excl = rowsG, forced, cut, excl
        node.planes, node.zero_units = planes, tuple(zero_units)

    def _root(self) -> _Node:
        node = self._nodes.get(())
        if node is None:
            from flint import fmpz_mat

            n = self.n
            rows = [int_row(a, c) for a, c in zip(self.dom_A, self.dom_b)]
            node = _Node(VCell.from_points_rows(n, self.dom_V, rows))
            if self.H:
                node.J = fmpz_mat(n, n + 1, [int(i == j) for i in range(n) for j in range(n + 1)])
                self._classify(node, 0, node.J, 1)
            self._nodes[()] = node
        return node

    def node(self, prefix: Pattern) -> _Node | None:
        """The region of a pattern prefix (None when it is not full-dimensional)."""
        got = self._nodes.get(prefix, _MISSING)
        if got is not _MISSING:
            return got  # type: ignore[return-value]
        k = len(prefix)
        if k == 0:
            return self._root()
        j = k - 1
        while j > 0 and prefix[:j] not in self._nodes:
            j -= 1
        for i in range(j + 1, k + 1):
            self._nodes[prefix[:i]] = self._build(prefix[:i])
        return self._nodes[prefix]

    def _build(self, prefix: Pattern) -> _Node | None:
        from flint import fmpz_mat

        k = len(prefix)
        parent = self._nodes[prefix[:-1]] if k > 1 else self._root()
        if parent is None:
            return None
        s = prefix[-1]
        for u, f in enumerate(parent.forced):
            if f is not None and s[u] != f:
                return None
        rows = []
        # most restrictive half-spaces first: later ones are then often valid (no-op steps)
        order = sorted(parent.cut, key=lambda u: -parent.excl[u][s[u]])
        for u in order:
            g, bt = parent.rowsG[u]
            if s[u]:  # active: g·x + beta >= 0
                rows.append((tuple(-v for v in g), bt))
            else:
                rows.append((g, -bt))
        vp = cut(parent.vp, rows) if rows else parent.vp
        if vp is None:
            return None
        node = _Node(vp)
        if k < self.H:
            n = self.n
            flat = []
            for u, su in enumerate(s):
                if su:
                    flat.extend(parent.G[u])
                    flat.append(parent.beta[u])
                else:
                    flat.extend([0] * (n + 1))
            tau = parent.tau
            g = gcd(tau, *flat)
            if g > 1:
                flat = [v // g for v in flat]
                tau //= g
            node.J = fmpz_mat(len(s), n + 1, flat)
            self._classify(node, k, node.J, tau)
        return node

    # ------------------------------------------------------------------ cells
    def cell(self, pattern: Pattern) -> Polytope | None:
        """The closed cell of a full pattern (None when not full-dimensional)."""
        node = self.node(pattern)
        if node is None:
            return None
        if node._poly is None:
            node._poly = to_polytope(node.vp)
        return node._poly

    def neighbours(self, pattern: Pattern) -> list[Pattern]:
        """Patterns of the cells across the facets of ``pattern``'s cell that are not on
        the domain boundary (one per facet, in facet-row order)."""
        node = self.node(pattern)
        if node is None:
            raise AssertionError(f"internal error: pattern {pattern} has no full-dimensional cell")
        ancestors = [self.node(pattern[:l]) for l in range(self.H)]
        out = []
        for a, b in zip(node.vp.A, node.vp.b):
            key = canonical_plane(a, -b)
            if key in self.dom_planes:
                continue
            out.append(self._cross(pattern, ancestors, key, a))
        return out

    def _cross(self, pattern: Pattern, ancestors: list, key: tuple, nu: Sequence[int]) -> Pattern:
        """Pattern just beyond the facet with hyperplane ``key`` and outward normal ``nu``.

        Only units whose affine pre-activation on the cell vanishes on the facet (set T)
        can change; their new sign is the sign of the one-sided derivative along ``nu``
        through the new pattern of the earlier layers."""
        Ts = []
        for anc in ancestors:
            T: Any = anc.planes.get(key, ())
            if anc.zero_units:
                T = sorted(set(T) | set(anc.zero_units))
            Ts.append(T)
        hit = [l for l, T in enumerate(Ts) if T]
        if not hit:
            raise AssertionError(f"internal error: no unit of pattern {pattern} carries the facet {key}")
        l0, l1 = hit[0], hit[-1]
        new = list(pattern)
        if l0 == l1:
            anc = ancestors[l0]
            s2 = list(pattern[l0])
            for u in Ts[l0]:
                s2[u] = 1 if sum(gj * vj for gj, vj in zip(anc.G[u], nu)) > 0 else 0
            new[l0] = tuple(s2)
            return tuple(new)
        # several layers change: propagate the derivative along nu through the new pattern
        Jc = ancestors[l0].J
        n = self.n
        delta = [sum(int(Jc[i, j]) * nu[j] for j in range(n)) for i in range(Jc.nrows())]
        W = self.net.W
        for l in range(l0, l1 + 1):
            d = [sum(w * v for w, v in zip(row, delta) if w and v) for row in W[l]]
            s = pattern[l]
            if Ts[l]:
                s2 = list(s)
                for u in Ts[l]:
                    s2[u] = 1 if d[u] > 0 else 0
                s = tuple(s2)
                new[l] = s
            delta = [dv if su else 0 for dv, su in zip(d, s)]
        return tuple(new)

    def start_pattern(self) -> Pattern:
        """Cell pattern of the domain's centre (the mean of its vertices)."""
        V = self.dom_V
        c = tuple(sum((v[j] for v in V), Fraction(0)) / len(V) for j in range(self.n))
        return self.net.cell_pattern(c)


polytope_of = to_polytope  # the engine's one conversion (kept name)


# ---------------------------------------------------------------------- executor jobs

_WORKER_ENGINES: dict[str, Engine] = {}


def engine_spec(engine: Engine) -> tuple:
    """The plain picklable data an engine is built from."""
    return (engine.net, engine.dom_A, engine.dom_b, engine.dom_V)


def engine_token(spec: tuple) -> str:
    """A digest identifying (network, domain), so workers can reuse their caches."""
    return hashlib.sha256(repr(spec).encode()).hexdigest()


def _engine_for(token: str, spec: tuple) -> Engine:
    eng = _WORKER_ENGINES.get(token)
    if eng is None or engine_spec(eng) != spec:
        _WORKER_ENGINES.clear()
        eng = Engine(*spec)
        _WORKER_ENGINES[token] = eng
    return eng


def cell_job(args: tuple[str, tuple, tuple[Pattern, ...], bool]) -> list[tuple[tuple | None, tuple[Pattern, ...]]]:
    """Worker entry point: build the cells of ``patterns`` (and their neighbours).

    Arguments and results are plain picklable values (ints, Fractions, tuples); each
    cell is returned packed as plain ints (:func:`_pack`, restored by :func:`_unpack`:
    smaller and about three times cheaper to receive than a pickled polytope)."""
    token, spec, patterns, want_neighbours = args
    eng = _engine_for(token, spec)
    out: list[tuple[tuple | None, tuple[Pattern, ...]]] = []
    for s in patterns:
        P = eng.cell(s)
        nb = tuple(eng.neighbours(s)) if (want_neighbours and P is not None) else ()
        out.append((None if P is None else _pack(P), nb))
    return out


def run_cells(
    engine: Engine,
    patterns: Sequence[Pattern],
    want_neighbours: bool,
    executor: Any = None,
    chunk: int = 64,
) -> Iterable[tuple[Polytope | None, tuple[Pattern, ...]]]:
    """Build cells for ``patterns`` in order, serially or through ``executor``."""
    if executor is None:
        for s in patterns:
            P = engine.cell(s)
            nb = tuple(engine.neighbours(s)) if (want_neighbours and P is not None) else ()
            yield P, nb
        return
    spec = engine_spec(engine)
    token = engine_token(spec)
    chunks = [tuple(patterns[i : i + chunk]) for i in range(0, len(patterns), chunk)]
    for res in executor.map(cell_job, [(token, spec, c, want_neighbours) for c in chunks]):
        for data, nb in res:
            yield (None if data is None else _unpack(data)), nb


# ---------------------------------------------------------------------- full enumeration by splitting
#
# All cells below a prefix region R_k are the cells of the arrangement of the layer-(k+1)
# units restricted to R_k (each is affine there), refined recursively: every split of a
# cell by one unit adds exactly one cell, so a region whose subtree has c cells costs
# c − 1 double-description steps on ever smaller cells. The values of every pending unit
# at every vertex are carried through the splits (new vertices combine them the same
# way as their coordinates: integer arithmetic, no evaluation per test). A subtree is
# plain data (ints and tuples), so workers expand subtrees independently.

#: ``(prefix, cell, Jc, sig, tags)``: a prefix region, the map ``h_k = Jc·(1, x) / sig`` on
#: it (rows ``(c, g_1..g_n)``), and the sort tags of the cell's rows beyond the domain's
Subtree = tuple[Pattern, VCell, tuple[IntRow, ...], int, tuple[tuple[int, int, int], ...]]


def _unit_rows(net: IntNet, k: int, Jc: Sequence[IntRow], sig: int) -> list[IntRow]:
    """Rows ``(beta, g)`` of the layer-(k+1) pre-activations ``z = (beta + g·x) · (positive)``."""
    cols = [c for c in zip(*Jc)]
    out = []
    for wr, bb in zip(net.W[k], net.b[k]):
        row = [sum(map(mul, wr, c)) for c in cols]
        row[0] += bb * sig
        out.append(tuple(row))
    return out


def root_subtrees(engine: Engine) -> Subtree:
    """The subtree of the whole domain (prefix ``()``)."""
    n = engine.n
    rows = [int_row(a, c) for a, c in zip(engine.dom_A, engine.dom_b)]
    C = VCell.from_points_rows(n, engine.dom_V, rows)
    Jc = tuple(tuple(int(j == i + 1) for j in range(n + 1)) for i in range(n))
    return ((), C, Jc, 1, ())


def expand_subtree(
    net: IntNet, item: Subtree, depth: int | None = None, rows: dict[Pattern, list[IntRow]] | None = None
) -> list[Subtree]:
    """Split the region of ``item`` by the units of the following layers, down to
    prefixes of length ``depth`` (default: full patterns). Returns the sub-regions in a
    deterministic order; full-pattern results are canonical cells whose rows are
    ordered as the incremental engine orders them (domain rows, then per layer the
    cutting units by decreasing number of parent vertices they exclude, then unit index),
    so that the polytopes are identical to :meth:`Engine.cell`'s. ``rows``, if given,
    receives the rows ``(beta, g)`` of the next layer's units (:func:`_unit_rows`) on the
    region of every prefix split here."""
    H = net.n_hidden
    depth = H if depth is None else depth
    prefix, C0, Jc, sig, tags0 = item
    k = len(prefix)
    if k >= depth:
        return [item]
    R = _unit_rows(net, k, Jc, sig)
    if rows is not None:
        rows[prefix] = R
    counts, vals0 = _unit_counts(R, C0)
    leaves = _split_units(k, R, counts, [((), C0, tags0)], 0, len(R), C0, vals0)
    return _descend(net, prefix, R, Jc, sig, leaves, depth, rows)


#: how many pieces a parallel run cuts the domain into (at least; fewer when the net's
#: first layer has fewer regions): enough for load balance on a few workers, few enough
#: that the facets where pieces meet stay a small share
N_PIECES = 64

#: ``(prefix, bits, cell, tags, Jc, sig, counts)``: the region of ``prefix`` cut by its first
#: ``len(bits)`` next-layer units with signs ``bits`` (``cell``, rows tagged ``tags`` as in
#: :data:`Subtree`), the map ``Jc, sig`` on the prefix region and, per next-layer unit, the
#: numbers of the prefix region's vertices where it is positive and negative (the row tags)
Piece = tuple[Pattern, tuple[int, ...], VCell, tuple, tuple[IntRow, ...], int, tuple[tuple[int, int], ...]]


def split_pieces(net: IntNet, item: Subtree, target: int) -> list[Piece]:
    """Cut the region of ``item`` by its next layer's units in order, stopping after the
    first unit that leaves at least ``target`` pieces (or after the last unit): the
    pieces, in pattern order. :func:`expand_piece` of every piece gives, together, the
    cells of :func:`expand_subtree` of ``item``, identical (the same cuts, in the same
    order, on the same cells)."""
    prefix, C0, Jc, sig, tags0 = item
    k = len(prefix)
    R = _unit_rows(net, k, Jc, sig)
    counts, vals0 = _unit_counts(R, C0)
    leaves: list[tuple[tuple[int, ...], VCell, tuple]] = [((), C0, tags0)]
    u = 0
    while u < len(R) and len(leaves) < target:
        leaves = _split_units(k, R, counts, leaves, u, u + 1, C0, vals0)
        u += 1
    cnt = tuple(counts)
    return [(prefix, s, C, tg, Jc, sig, cnt) for s, C, tg in leaves]


def expand_piece(net: IntNet, piece: Piece, rows: dict[Pattern, list[IntRow]] | None = None) -> list[Subtree]:
    """The cells of a piece of :func:`split_pieces` (see :func:`expand_subtree`)."""
    prefix, bits, C, tags, Jc, sig, counts = piece
    R = _unit_rows(net, len(prefix), Jc, sig)
    if rows is not None:
        rows[prefix] = R
    leaves = _split_units(len(prefix), R, counts, [(bits, C, tags)], len(bits), len(R), None, None)
    return _descend(net, prefix, R, Jc, sig, leaves, None, rows)


def _unit_counts(R: Sequence[IntRow], C0: VCell) -> tuple[list[tuple[int, int]], list[list[int]]]:
    """Per unit of rows ``R``: its values at the vertices of ``C0`` and the numbers of
    them that are positive and negative."""
    H0 = C0.H
    counts = []
    vals = []
    for r in R:
        v = [sum(map(mul, r, h)) for h in H0] if any(r[1:]) else [r[0]] * len(H0)
        vals.append(v)
        counts.append((sum(1 for z in v if z > 0), sum(1 for z in v if z < 0)))
    return counts, vals


def _split_units(
    k: int,
    R: Sequence[IntRow],
    counts: Sequence[tuple[int, int]],
    leaves: list[tuple[tuple[int, ...], VCell, tuple]],
    start: int,
    stop: int,
    C0: VCell | None,
    vals0: Sequence[Sequence[int]] | None,
) -> list[tuple[tuple[int, ...], VCell, tuple]]:
    """Cut every leaf ``(bits, cell, tags)`` of a layer-``k`` prefix region ``C0`` by the
    units ``start..stop-1`` (rows ``R``, vertex counts on ``C0`` ``counts``; ``vals0``:
    their values at ``C0``'s vertices, reused when a leaf is ``C0`` itself). A unit of
    constant sign on ``C0`` cuts nothing: every leaf takes its sign."""
    for u in range(start, stop):
        r = R[u]
        npos, nneg = counts[u]
        if not (npos and nneg):
            bit = 1 if npos else 0
            leaves = [(s + (bit,), C, tg) for s, C, tg in leaves]
            continue
        g = r[1:]
        d = gcd(*r)
        a = tuple(x // d for x in g)
        bb = -(r[0] // d)  # inactive side: g·x <= -beta
        t_lo = (k, -npos, u)
        t_hi = (k, -nneg, u)
        nxt = []
        for s, C, tg in leaves:
            vals = vals0[u] if (C is C0 and vals0 is not None) else [sum(map(mul, r, h)) for h in C.H]
            mx = max(vals)
            if min(vals) < 0 < mx:
                lo, hi = C.split_int(a, bb, vals)
                nxt.append((s + (0,), lo, tg + (t_lo,)))
                nxt.append((s + (1,), hi, tg + (t_hi,)))
            else:
                nxt.append((s + (1 if mx > 0 else 0,), C, tg))
        leaves = nxt
    return leaves


def _descend(
    net: IntNet,
    prefix: Pattern,
    R: Sequence[IntRow],
    Jc: Sequence[IntRow],
    sig: int,
    leaves: list[tuple[tuple[int, ...], VCell, tuple]],
    depth: int | None,
    rows: dict[Pattern, list[IntRow]] | None,
) -> list[Subtree]:
    """The sub-regions of the leaves (full layer patterns) of a split prefix region,
    expanded further down to prefixes of length ``depth`` (default: full patterns)."""
    H = net.n_hidden
    depth = H if depth is None else depth
    k = len(prefix)
    out: list[Subtree] = []
    L = net.L[k]
    for s, C, tg in leaves:
        p2 = prefix + (s,)
        if k + 1 == H:
            out.append((p2, _ordered_cell(C, tg), (), 0, ()))
            continue
        J2 = [r if su else (0,) * len(r) for r, su in zip(R, s)]
        sig2 = sig * L
        gg = gcd(sig2, *(x for r in J2 for x in r))
        if gg > 1:
            J2 = [tuple(x // gg for x in r) for r in J2]
            sig2 //= gg
        sub = (p2, C, tuple(J2), sig2, tg)
        out.extend(expand_subtree(net, sub, depth, rows) if k + 1 < depth else [sub])
    return out


def _ordered_cell(C: VCell, tags: Sequence[tuple[int, int, int]]) -> VCell:
    """The cell with its rows in the incremental engine's order, facets only."""
    m0 = len(C.A) - len(tags)
    order = list(range(m0)) + sorted(range(m0, len(C.A)), key=lambda r: tags[r - m0])
    if order != list(range(len(C.A))):
        where = [0] * len(order)
        for t, r in enumerate(order):
            where[r] = t
        masks = []
        for mv in C.masks:
            nm = 0
            while mv:
                low = mv & -mv
                nm |= 1 << where[low.bit_length() - 1]
                mv ^= low
            masks.append(nm)
        C = VCell(C.n, [C.A[r] for r in order], [C.b[r] for r in order], C.H, masks)
    out = C.canonical()
    if out is None:  # pragma: no cover - a split side is full-dimensional by construction
        raise AssertionError("internal error: a split produced a lower-dimensional cell")
    return out


def cell_polytope(C: VCell) -> Polytope:
    """The :class:`Polytope` of a finished cell (one per cell; the hook progress and
    interruption tests count)."""
    return to_polytope(C)


_frac = coprime_fraction


def _pack(P: Polytope, fv: Sequence[int] | None = None) -> tuple:
    """A bounded :class:`Polytope` as plain ints for shipping between processes (about
    three times cheaper to pickle and unpickle than the object); with ``fv`` the points
    are indices into another polytope's vertices (a face of that cell)."""
    st = P.__getstate__()
    if fv is None:
        pts: tuple = tuple(x for v in st["_points"] for f in v for x in (f.numerator, f.denominator))
    else:
        pts = tuple(fv)
    hs = tuple((h.normal, h.offset.numerator, h.offset.denominator) for h in st["_facets"])
    eqs = tuple((h.normal, h.offset.numerator, h.offset.denominator) for h in st["_eqs"])
    return (st["_n"], st["_dim"], pts, hs, eqs, st["_facet_masks"], st["_facet_rows"])


def _unpack(data: tuple, base: tuple | None = None) -> Polytope:
    """Inverse of :func:`_pack` (``base``: the cell's vertices, for a face)."""
    from ..polytope.hrep import Halfspace, Hyperplane

    n, dim, pts, hs, eqs, masks, rows = data
    if base is None:
        it = iter(pts)
        fr = [_frac(p, q) for p, q in zip(it, it)]
        points = tuple(tuple(fr[i : i + n]) for i in range(0, len(fr), n))
    else:
        points = tuple(base[i] for i in pts)
    P = object.__new__(Polytope)
    P.__setstate__(
        {
            "_n": n,
            "_points": points,
            "_rays": (),
            "_lines": (),
            "_dim": dim,
            "_eqs": tuple(Hyperplane(w, _frac(p, q)) for w, p, q in eqs),
            "_facets": tuple(Halfspace(w, _frac(p, q)) for w, p, q in hs),
            "_facet_masks": masks,
            "_facet_rows": rows,
        }
    )
    return P


def subtree_job(args: tuple[IntNet, Sequence[Subtree], Any]) -> list[tuple[Pattern, Polytope, dict]]:
    """Expand subtrees into their cells: ``(pattern, Polytope, {})`` per cell (the
    serial path; the third argument is ignored; parallel runs use :func:`region_job`)."""
    net, items, _ = args
    return [(pattern, cell_polytope(C), {}) for item in items for pattern, C, _, _, _ in expand_subtree(net, item)]


def enumerate_full(
    engine: Engine, progress: bool | None = None, executor: Any = None
) -> tuple[list[tuple[Pattern, Polytope]] | list[Cell], list[SharedFace] | None]:
    """Every cell of the network in the domain, sorted by pattern, by recursive exact
    splitting (:func:`expand_subtree`): serially ``(pattern, Polytope)`` pairs and
    ``None``; with an ``executor``, :class:`~.partition.Cell` objects and the adjacency,
    both computed in the workers (:func:`~.relu_parallel.region_job`, :func:`~.relu_parallel.assemble`).

    Serially, the domain is first split into its layer-1 regions (for nets with two or
    more hidden layers) and each region's subtree is expanded in turn. With an executor,
    the domain is cut here by only its first few layer-1 units, into about
    :data:`N_PIECES` convex pieces (:func:`split_pieces`; the rest of the split runs in
    the workers), sent largest first (most vertices) so that no big task runs alone at
    the end; each piece is expanded independently as a plain-data task (no state is
    shared or rebuilt between tasks), by the same cuts on the same cells, so the result
    is identical whatever runs it. A tqdm bar counts the regions (pieces) against their
    total; ``KeyboardInterrupt`` cancels the pending tasks and re-raises."""
    from ._adjacency import plane_key
    from .relu_parallel import _PICKLE, RegionResult, assemble, region_task  # relu_parallel imports this module

    net = engine.net
    root = root_subtrees(engine)
    dom_planes = None
    items: list[Any]
    if executor is None:
        items = expand_subtree(net, root, 1) if net.n_hidden >= 2 else [root]
    else:
        dom_planes = frozenset(plane_key(h.normal, h.offset)[0] for h in _domain_halfspaces(engine))
        items = sorted(split_pieces(net, root, N_PIECES), key=lambda p: -len(p[2].H)) if net.n_hidden else [root]
    bar = progress_bar(progress, len(items))
    t0 = time.perf_counter()
    found: list[tuple[Pattern, Polytope, dict[int, Polytope]]] = []
    parts: list[RegionResult] = []
    n_found = 0
    gen = None
    try:
        if executor is None:
            for it in items:
                found.extend(subtree_job((net, (it,), None)))
                n_found = len(found)
                if bar is not None:
                    bar.update(1)
                    bar.set_postfix(cells=n_found, refresh=False)
        else:
            tasks = [pickle.dumps((net, (it,), dom_planes), _PICKLE) for it in items]
            gen = executor.map(region_task, tasks)
            for res in gen:
                part = pickle.loads(res)
                parts.append(part)
                n_found += len(part[0])
                if bar is not None:
                    bar.update(1)
                    bar.set_postfix(cells=n_found, refresh=False)
            gen = None
    except KeyboardInterrupt:
        if gen is not None:
            gen.close()  # cancels the executor's pending tasks
        if bar is not None:
            bar.close()
            bar = None
        print(
            f"\nrelu_network interrupted after {n_found} cells in {time.perf_counter() - t0:.1f} s; "
            "no partition was returned",
            file=sys.stderr,
        )
        raise
    finally:
        if bar is not None:
            bar.close()
    if executor is not None:
        return assemble(parts)
    found.sort(key=lambda t: t[0])
    return [(p, P) for p, P, _ in found], None


def _domain_halfspaces(engine: Engine) -> list[Any]:
    from ..polytope.hrep import Halfspace

    out = []
    for a, c in zip(engine.dom_A, engine.dom_b):
        g = gcd(*a)
        out.append(Halfspace(tuple(x // g for x in a), Fraction(c) / g))
    return out


def progress_bar(progress: bool | None, total: int | None, unit: str = "region") -> Any:
    """The tqdm bar of ``relu_network`` on standard error (None when off): ``progress``
    True/False, or None for "only on a terminal and after a second"."""
    if progress is False:
        return None
    tty = hasattr(sys.stderr, "isatty") and sys.stderr.isatty()
    if progress is None and not tty:
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:  # pragma: no cover - tqdm is a dependency
        return None
    return tqdm(
        total=total, desc="relu cells", unit=unit, delay=0 if progress else 1.0, file=sys.stderr, leave=progress is True
    )
