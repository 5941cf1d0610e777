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
from collections.abc import Iterable, Sequence
from fractions import Fraction
from math import gcd
from typing import Any

from ..polytope.polytope import Polytope
from ._vcell import Row, VCell, cut, int_row, to_polytope
from .relu_int import IntNet, IntRow, Pattern, canonical_halfspace_plane, canonical_plane

__all__ = ["Engine", "run_cells", "engine_token", "polytope_of", "cell_job"]

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


def cell_job(args: tuple[str, tuple, tuple[Pattern, ...], bool]) -> list[tuple[Polytope | None, tuple[Pattern, ...]]]:
    """Worker entry point: build the cells of ``patterns`` (and their neighbours).

    Arguments and results are plain picklable values (ints, Fractions, tuples,
    cache-free :class:`Polytope` states)."""
    token, spec, patterns, want_neighbours = args
    eng = _engine_for(token, spec)
    out = []
    for s in patterns:
        P = eng.cell(s)
        nb = tuple(eng.neighbours(s)) if (want_neighbours and P is not None) else ()
        out.append((P, nb))
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
        yield from res
