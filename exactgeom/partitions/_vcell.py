"""Internal: the exact cutting engine of every partition builder (arrangements, argmax,
Voronoi, trees, refinements, ReLU networks).

A :class:`VCell` is a bounded full-dimensional polytope ``{x : A x <= b}`` held by its
integer rows, its vertices in reduced homogeneous integer coordinates ``(q, p_1, …, p_n)``
(the point ``p/q``, ``q > 0``) and, for every vertex, the bitmask of the rows tight
there. Cutting it by a hyperplane is one exact step of the double-description method:
the vertices on each side are kept, and every *edge* joining a vertex strictly below to
one strictly above contributes its crossing point. Two vertices ``u, v`` span an edge iff
no third vertex is tight on every row tight at both (the smallest face containing ``u``
and ``v`` then has just these two vertices; exact for any H-representation, redundant
rows included). The test runs on per-row vertex bitmasks (one ``AND`` per common row).
A point inside an edge is tight exactly on the rows tight on the whole edge, so
incidences stay complete.

Everything is integer arithmetic (Python ints; no Fraction, no LP, no cddlib call on
the hot path). A finished cell becomes a :class:`~exactgeom.Polytope` through
:func:`to_polytope`, which hands the vertices and incidences to the polytope's
canonicaliser (the same data cddlib would have returned). :func:`cut` intersects a cell
with several half-spaces and keeps only facet rows (used for the prefix regions of ReLU
networks); :meth:`VCell.split_int` also reports how each new vertex was combined, so
callers can carry further per-vertex linear data (the ReLU engine carries the values of
the next units).

>>> from exactgeom import Polytope
>>> C = VCell.from_polytope(Polytope.box([(0, 1), (0, 1)]))
>>> lo, hi = C.split((1, 1), 1)        # the diagonal x + y = 1
>>> len(lo.points), len(hi.points), to_polytope(lo).volume()
(3, 3, Fraction(1, 2))
>>> C.split((1, 1), 2)[1] is None       # x + y >= 2 touches the square in a corner only
True
>>> cut(C, [int_row((1, 1), 0)]) is None  # only the corner (0, 0) is left
True
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from math import gcd, lcm
from operator import mul

from ..polytope.polytope import Polytope

__all__ = ["VCell", "to_polytope", "int_row", "homogeneous", "cut", "Row"]

Vec = tuple[Fraction, ...]
IVec = tuple[int, ...]
Row = tuple[IVec, int]
#: how a new vertex was made: ``(u, v, g_u, g_v, d)`` — ``(g_v·X_u − g_u·X_v) / d``
Combo = tuple[int, int, int, int, int]


def int_row(w: Sequence[Fraction | int], c: Fraction | int) -> Row:
    """``(a, b)``: the primitive integer row with ``a·x <= b`` equivalent to ``w·x <= c``.

    >>> int_row([Fraction(1, 2), 1], Fraction(3, 4))
    ((2, 4), 3)
    """
    den = 1
    for v in (*w, c):
        if type(v) is not int:
            den = lcm(den, Fraction(v).denominator)
    if den == 1:
        ints = [int(v) for v in w] + [int(c)]
    else:
        ints = [int(Fraction(v) * den) for v in w] + [int(Fraction(c) * den)]
    g = gcd(*ints)
    if g > 1:
        ints = [x // g for x in ints]
    return tuple(ints[:-1]), ints[-1]


def homogeneous(p: Sequence[Fraction | int]) -> IVec:
    """``p`` as reduced homogeneous integers ``(q, q·p_1, …, q·p_n)``, ``q > 0``.

    >>> homogeneous([Fraction(1, 2), Fraction(-1, 3)])
    (6, 3, -2)
    """
    q = 1
    for v in p:
        if type(v) is not int:
            q = lcm(q, Fraction(v).denominator)
    return (q, *(int(Fraction(v) * q) if type(v) is not int else v * q for v in p))


def _val(a: IVec, b: int, h: IVec) -> int:
    """``q·(a·x − b)`` for the point ``x = p/q`` held as ``h = (q, p)``: same sign as ``a·x − b``."""
    return sum(map(mul, a, h[1:])) - b * h[0]


def _columns(masks: Sequence[int], m: int) -> list[int]:
    """Per-vertex row bitmasks -> per-row vertex bitmasks."""
    cols = [0] * m
    for i, mask in enumerate(masks):
        bi = 1 << i
        while mask:
            low = mask & -mask
            cols[low.bit_length() - 1] |= bi
            mask ^= low
    return cols


def _crossings(
    H: list[IVec], M: list[int], nrows: int, need: int, neg: list[int], pos: list[int], vals: Sequence[int]
) -> tuple[list[IVec], list[int], list[Combo]]:
    """Points where the edges from ``neg`` to ``pos`` vertices cross ``vals = 0``, their
    tight-row masks, and how each was combined."""
    cols = _columns(M, nrows)
    out_h: list[IVec] = []
    out_m: list[int] = []
    combos: list[Combo] = []
    allv = (1 << len(H)) - 1
    for u in neg:
        mu = M[u]
        bu = 1 << u
        for v in pos:
            T = mu & M[v]
            if T.bit_count() < need:
                continue
            target = bu | (1 << v)
            acc = allv
            m = T
            while m:  # u, v span an edge iff they are the only vertices tight on all of T
                low = m & -m
                acc &= cols[low.bit_length() - 1]
                if acc == target:
                    break
                m ^= low
            if acc != target:
                continue
            gu, gv = vals[u], vals[v]
            h = [gv * x - gu * y for x, y in zip(H[u], H[v])]
            d = gcd(*h)
            if d != 1:
                h = [x // d for x in h]
            out_h.append(tuple(h))
            out_m.append(T)
            combos.append((u, v, gu, gv, d))
    return out_h, out_m, combos


class VCell:
    """A full-dimensional bounded cell: integer rows ``A x <= b``, vertices in
    homogeneous integer coordinates, and for each vertex the bitmask of tight rows.

    Instances are treated as immutable (cuts build new cells; row lists are copied).
    Plain ints and tuples only, so a cell pickles cheaply to worker processes.
    """

    __slots__ = ("A", "H", "b", "masks", "n")

    def __init__(self, n: int, A: list[IVec], b: list[int], H: list[IVec], masks: list[int]) -> None:
        self.n = n
        self.A = A
        self.b = b
        self.H = H
        self.masks = masks

    def __getstate__(self) -> tuple:
        return (self.n, self.A, self.b, self.H, self.masks)

    def __setstate__(self, state: tuple) -> None:
        self.n, self.A, self.b, self.H, self.masks = state

    @classmethod
    def from_polytope(cls, P: Polytope) -> VCell:
        """The cell of a bounded full-dimensional polytope (rows = its facets, in order)."""
        rows = [int_row(h.normal, h.offset) for h in P.facets]
        masks = [0] * P.n_vertices
        for k in range(len(rows)):
            for v in P.facet_vertices(k):
                masks[v] |= 1 << k
        return cls(P.ambient_dim, [a for a, _ in rows], [bb for _, bb in rows], [homogeneous(v) for v in P.vertices], masks)

    @classmethod
    def from_points_rows(cls, n: int, points: Sequence[Sequence[Fraction]], rows: Sequence[Row]) -> VCell:
        """From the exact vertices of a polytope and integer rows containing its facets
        (incidences computed exactly)."""
        H = [homogeneous(p) for p in points]
        masks = []
        for h in H:
            m = 0
            for r, (a, bb) in enumerate(rows):
                if _val(a, bb, h) == 0:
                    m |= 1 << r
            masks.append(m)
        return cls(n, [a for a, _ in rows], [bb for _, bb in rows], H, masks)

    @classmethod
    def from_box(cls, bounds: Sequence[tuple[int | Fraction, int | Fraction]]) -> VCell:
        """The box ``∏ [lo_i, hi_i]`` (``lo_i < hi_i``), for tests and doctests.

        >>> len(VCell.from_box([(0, 1), (0, 2)]).points)
        4
        """
        from itertools import product

        n = len(bounds)
        rows: list[Row] = []
        for i, (lo, hi) in enumerate(bounds):
            e = [0] * n
            e[i] = -1
            rows.append(int_row(e, -Fraction(lo)))
            e = [0] * n
            e[i] = 1
            rows.append(int_row(e, Fraction(hi)))
        pts = list(product(*[(Fraction(lo), Fraction(hi)) for lo, hi in bounds]))
        return cls.from_points_rows(n, pts, rows)

    @property
    def rows(self) -> list[Row]:
        """The rows as ``(a, b)`` pairs."""
        return list(zip(self.A, self.b))

    @property
    def points(self) -> list[Vec]:
        """The vertices as Fractions (unsorted)."""
        return [tuple(Fraction(p, h[0]) for p in h[1:]) for h in self.H]

    def row_masks(self) -> list[int]:
        """For each row, the bitmask of the vertices tight at it."""
        return _columns(self.masks, len(self.A))

    def signs(self, w: Sequence[Fraction | int], c: Fraction | int) -> list[int]:
        """Integers with the signs of ``w·v − c`` at the vertices ``v``."""
        a, b = int_row(w, c)
        return [_val(a, b, h) for h in self.H]

    def bbox(self) -> tuple[Vec, Vec]:
        """Exact bounding box ``(lo, hi)`` of the vertices."""
        pts = self.points
        return (
            tuple(min(p[j] for p in pts) for j in range(self.n)),
            tuple(max(p[j] for p in pts) for j in range(self.n)),
        )

    def split(
        self, w: Sequence[Fraction | int], c: Fraction | int, vals: list[int] | None = None
    ) -> tuple[VCell | None, VCell | None]:
        """``(self ∩ {w·x <= c}, self ∩ {w·x >= c})``; a side that is not
        full-dimensional is ``None``; a side containing the whole cell is ``self``
        (both sides are ``self`` for the degenerate ``0·x <= 0``). ``vals``, if given,
        must have the signs of ``self.signs(w, c)``."""
        a, bb = int_row(w, c)
        return self.split_int(a, bb, vals)

    def split_int(self, a: IVec, bb: int, vals: Sequence[int] | None = None) -> tuple[VCell | None, VCell | None]:
        """:meth:`split` for an integer row ``a·x <= bb``."""
        lo, hi, _ = self.split_combos(a, bb, vals)
        return lo, hi

    def split_combos(
        self, a: IVec, bb: int, vals: Sequence[int] | None = None
    ) -> tuple[VCell | None, VCell | None, tuple[list[int], list[int], list[int], list[Combo]] | None]:
        """:meth:`split_int`, and when both sides are proper, ``(neg, pos, zero, combos)``:
        the old vertex indices kept by each side (the lower side's vertices are
        ``neg + zero + new``, the upper side's ``pos + zero + new``) and how each new
        vertex was combined (``vals`` must then be integer multiples ``t·q·(a·x − b)`` of
        one positive ``t`` for every vertex, so that carried linear data combine alike)."""
        if vals is None:
            vals = [_val(a, bb, h) for h in self.H]
        neg = [i for i, t in enumerate(vals) if t < 0]
        pos = [i for i, t in enumerate(vals) if t > 0]
        if not pos and not neg:  # 0·x <= 0: the hyperplane holds the whole cell (only w = 0, c = 0)
            return self, self, None
        if not pos:
            return self, None, None
        if not neg:
            return None, self, None
        zero = [i for i, t in enumerate(vals) if t == 0]
        H, M = self.H, self.masks
        new_h, new_m, combos = _crossings(H, M, len(self.A), self.n - 1, neg, pos, vals)
        bit = 1 << len(self.A)
        zh = [H[i] for i in zero]
        zm = [M[i] | bit for i in zero]
        nm = [m | bit for m in new_m]
        lo = VCell(self.n, self.A + [a], self.b + [bb], [H[i] for i in neg] + zh + new_h, [M[i] for i in neg] + zm + nm)
        hi = VCell(
            self.n,
            self.A + [tuple(-x for x in a)],
            self.b + [-bb],
            [H[i] for i in pos] + zh + new_h,
            [M[i] for i in pos] + zm + nm,
        )
        return lo, hi, (neg, pos, zero, combos)

    def clip(self, w: Sequence[Fraction | int], c: Fraction | int) -> VCell | None:
        """``self ∩ {w·x <= c}`` if full-dimensional, else ``None``."""
        return self.clip_int(*int_row(w, c))

    def clip_int(self, a: IVec, bb: int) -> VCell | None:
        """:meth:`clip` for an integer row ``a·x <= bb``: ``self`` (the row is not
        stored) when no vertex violates it, ``None`` when no vertex satisfies it strictly."""
        vals = [_val(a, bb, h) for h in self.H]
        has_pos = has_neg = False
        for t in vals:
            if t > 0:
                has_pos = True
            elif t < 0:
                has_neg = True
        if not has_pos:
            return self if (has_neg or (not any(a) and bb == 0)) else None
        if not has_neg:
            return None
        neg = [i for i, t in enumerate(vals) if t < 0]
        pos = [i for i, t in enumerate(vals) if t > 0]
        H, M = self.H, self.masks
        new_h, new_m, _ = _crossings(H, M, len(self.A), self.n - 1, neg, pos, vals)
        bit = 1 << len(self.A)
        keep_h = [H[i] for i, t in enumerate(vals) if t <= 0]
        keep_m = [M[i] | bit if t == 0 else M[i] for i, t in enumerate(vals) if t <= 0]
        return VCell(self.n, self.A + [a], self.b + [bb], keep_h + new_h, keep_m + [m | bit for m in new_m])

    def intersect_rows(self, rows: Sequence[Row]) -> VCell | None:
        """Clip by every integer half-space ``a·x <= b`` of ``rows``; ``None`` when the
        result is not full-dimensional (relative to this cell's dimension)."""
        C: VCell | None = self
        for a, bb in rows:
            C = C.clip_int(a, bb)
            if C is None:
                return None
        return C

    def canonical(self) -> VCell | None:
        """The same cell with only its facet rows (rows whose tight vertex sets are
        proper and inclusion-maximal; the first of equal rows is kept); ``None`` when
        some row is tight at every vertex (the cell is not full-dimensional)."""
        cols = self.row_masks()
        full = (1 << len(self.H)) - 1
        if any(m == full for m in cols):
            return None
        order = sorted(range(len(cols)), key=lambda r: -cols[r].bit_count())
        maximal: list[int] = []
        keep: list[int] = []
        for r in order:
            m = cols[r]
            if m == 0 or any(m & k == m for k in maximal):
                continue
            maximal.append(m)
            keep.append(r)
        if len(keep) == len(cols):
            return self
        keep.sort()
        new_masks = []
        for mv in self.masks:
            nm = 0
            for t, r in enumerate(keep):
                if mv >> r & 1:
                    nm |= 1 << t
            new_masks.append(nm)
        return VCell(self.n, [self.A[r] for r in keep], [self.b[r] for r in keep], self.H, new_masks)


def cut(C: VCell, rows: Sequence[Row]) -> VCell | None:
    """``C ∩ {a·x <= b for (a, b) in rows}`` with only its facet rows; ``None`` when the
    result is empty or not full-dimensional; ``C`` itself when no row cuts it.

    >>> sq = VCell.from_box([(0, 1), (0, 1)])
    >>> tri = cut(sq, [((1, 1), 1)])            # x + y <= 1
    >>> sorted(tri.points), len(tri.A)
    ([(Fraction(0, 1), Fraction(0, 1)), (Fraction(0, 1), Fraction(1, 1)), (Fraction(1, 1), Fraction(0, 1))], 3)
    """
    Q = C.intersect_rows(rows)
    if Q is None or Q is C:
        return Q
    return Q.canonical()


def _lex_order(H: Sequence[IVec]) -> list[int]:
    """Indices of the homogeneous points ``H`` in lexicographic order of ``p/q``, exactly:
    sorted by ``floor(2^64·p_j/q)`` when equal floors mean equal coordinates (integers
    only), else by the exact interleaved key."""
    fl = [tuple((x << 64) // h[0] for x in h[1:]) for h in H]
    for j in range(len(H[0]) - 1 if H else 0):
        seen: dict[int, IVec] = {}
        for h, f in zip(H, fl):
            o = seen.setdefault(f[j], h)
            if o is not h and o[j + 1] * h[0] != h[j + 1] * o[0]:
                key = [tuple(k for x, fx in zip(h[1:], f) for k in (fx, Fraction(x, h[0]))) for h, f in zip(H, fl)]
                return sorted(range(len(H)), key=key.__getitem__)
    return sorted(range(len(H)), key=fl.__getitem__)


def sorted_incidence(C: VCell) -> tuple[list[int], list[int]]:
    """The vertex indices of ``C`` in lexicographic order, and per row the bitmask of
    its tight vertices numbered in that order."""
    order = _lex_order(C.H)
    pos = [0] * len(order)
    for t, idx in enumerate(order):
        pos[idx] = t
    inc = [0] * len(C.A)
    for idx, mv in enumerate(C.masks):
        bit = 1 << pos[idx]
        while mv:
            low = mv & -mv
            inc[low.bit_length() - 1] |= bit
            mv ^= low
    return order, inc


def to_polytope(C: VCell) -> Polytope:
    """The exact :class:`Polytope` of a cell, built from its vertices and incidences
    (no cddlib conversion; the canonical form equals ``Polytope.from_hrep(A, b)``)."""
    H = C.H
    order, inc = sorted_incidence(C)
    pts = []
    for idx in order:
        h = H[idx]
        q = h[0]
        pts.append(tuple([Fraction(x, q) for x in h[1:]]))
    b = [Fraction(x) for x in C.b]
    return Polytope._from_trusted_vrep(C.n, C.A, b, tuple(pts), inc, presorted=True)
