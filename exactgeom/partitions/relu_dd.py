"""Incremental exact double description for cutting a known polytope (internal).

A bounded full-dimensional polytope is held as a :class:`VPoly`: vertices in
*homogeneous integer* coordinates ``X = (x̃_1, …, x̃_n, q)`` (the point ``x̃ / q``,
``q > 0``, ``gcd = 1``), integer rows ``(a, b)`` meaning ``a·x <= b`` (its facets), and
for every vertex the bitmask of the rows tight at it.

:func:`cut` intersects it with further half-spaces, one double-description step each:
vertices strictly outside are dropped and every *edge* from a strictly-inside to a
strictly-outside vertex contributes its crossing point. Two vertices span an edge iff
no third vertex is tight on every row tight at both (the combinatorial adjacency test,
exact for any H-representation of a polytope). Everything is integer arithmetic; no
tolerance anywhere. The result is canonicalised to its irredundant facets (rows whose
tight vertex sets are inclusion-maximal), and is ``None`` when it is empty or not
full-dimensional.

>>> sq = VPoly.from_box([(0, 1), (0, 1)])
>>> tri = cut(sq, [((1, 1), 1)])            # x + y <= 1
>>> sorted(tri.points()), len(tri.rows)
([(Fraction(0, 1), Fraction(0, 1)), (Fraction(0, 1), Fraction(1, 1)), (Fraction(1, 1), Fraction(0, 1))], 3)
>>> cut(sq, [((1, 1), 0)]) is None          # only the corner (0, 0) is left
True
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from math import gcd, lcm
from operator import mul

__all__ = ["VPoly", "Row", "cut", "int_row", "homogeneous"]

IntRow = tuple[int, ...]
Row = tuple[IntRow, int]


def int_row(a: Sequence[int | Fraction], b: int | Fraction) -> Row:
    """The primitive integer row ``(a', b')`` with ``a'·x <= b'`` equivalent to ``a·x <= b``."""
    den = 1
    for v in (*a, b):
        if not isinstance(v, int):
            den = lcm(den, v.denominator)
    ai = [int(v * den) for v in a]
    bi = int(b * den)
    g = 0
    for v in ai:
        g = gcd(g, v)
    g = gcd(g, bi)
    if g > 1:
        ai = [v // g for v in ai]
        bi //= g
    return tuple(ai), bi


def _normalise(X: list[int]) -> IntRow:
    g = gcd(*X)
    return tuple(v // g for v in X) if g > 1 else tuple(X)


class VPoly:
    """Vertices (homogeneous integers), facet rows and vertex–row incidence masks."""

    __slots__ = ("inc", "n", "rows", "verts")

    def __init__(self, n: int, verts: list[IntRow], rows: list[Row], inc: list[int]) -> None:
        self.n = n
        self.verts = verts
        self.rows = rows
        self.inc = inc

    @classmethod
    def from_box(cls, bounds: Sequence[tuple[int | Fraction, int | Fraction]]) -> VPoly:
        """The box ``∏ [lo_i, hi_i]`` (``lo_i < hi_i``), for tests and doctests."""
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
        pts = [tuple(Fraction(v) for v in p) for p in product(*[(Fraction(lo), Fraction(hi)) for lo, hi in bounds])]
        return cls.from_points_rows(n, pts, rows)

    @classmethod
    def from_points_rows(cls, n: int, points: Sequence[Sequence[Fraction]], rows: Sequence[Row]) -> VPoly:
        """From exact vertices and integer facet rows (incidences computed exactly)."""
        verts = [homogeneous(p) for p in points]
        inc = []
        for X in verts:
            m = 0
            for r, (a, b) in enumerate(rows):
                if b * X[-1] == sum(ai * xi for ai, xi in zip(a, X)):
                    m |= 1 << r
            inc.append(m)
        return cls(n, verts, list(rows), inc)

    def points(self) -> list[tuple[Fraction, ...]]:
        """Vertices as Fraction tuples (in internal order)."""
        return [tuple(Fraction(v, X[-1]) for v in X[:-1]) for X in self.verts]

    def row_masks(self) -> list[int]:
        """For each row, the bitmask of the vertices tight at it."""
        return _transpose(self.inc, len(self.rows))


def homogeneous(p: Sequence[Fraction | int]) -> IntRow:
    """``p`` as a primitive homogeneous integer vector ``(x̃, q)``, ``q > 0``."""
    q = 1
    for v in p:
        if not isinstance(v, int):
            q = lcm(q, v.denominator)
    return _normalise([int(v * q) for v in p] + [q])


def _transpose(inc: Sequence[int], m: int) -> list[int]:
    """Per-vertex row bitmasks -> per-row vertex bitmasks."""
    cols = [0] * m
    for i, mask in enumerate(inc):
        bi = 1 << i
        while mask:
            low = mask & -mask
            cols[low.bit_length() - 1] |= bi
            mask ^= low
    return cols


def _step(P: VPoly, a: IntRow, b: int) -> VPoly | None:
    """One double-description step: ``P ∩ {a·x <= b}`` (None if not full-dimensional)."""
    verts, inc = P.verts, P.inc
    vals = []
    anyneg = anypos = False
    for X in verts:
        s = b * X[-1] - sum(map(mul, a, X))
        vals.append(s)
        if s < 0:
            anyneg = True
        elif s > 0:
            anypos = True
    if not anyneg:
        return P  # the row is valid on P: nothing changes, and it is not stored
    if not anypos:
        return None  # P lies in {a·x >= b}: empty or a lower-dimensional face
    r = len(P.rows)
    bit = 1 << r
    pos = [i for i, s in enumerate(vals) if s > 0]
    neg = [i for i, s in enumerate(vals) if s < 0]
    need = P.n - 1
    new_verts: list[IntRow] = []
    new_inc: list[int] = []
    for i, s in enumerate(vals):
        if s > 0:
            new_verts.append(verts[i])
            new_inc.append(inc[i])
        elif s == 0:
            new_verts.append(verts[i])
            new_inc.append(inc[i] | bit)
    cols = _transpose(inc, len(P.rows))  # row -> bitmask of its tight vertices
    allv = (1 << len(verts)) - 1
    for i in pos:
        mi = inc[i]
        Xi = verts[i]
        si = vals[i]
        for j in neg:
            c = mi & inc[j]
            if c.bit_count() < need:
                continue
            # adjacent iff i and j are the only vertices tight on every row of c
            target = (1 << i) | (1 << j)
            acc = allv
            m = c
            while m:
                low = m & -m
                acc &= cols[low.bit_length() - 1]
                if acc == target:
                    break
                m ^= low
            if acc != target:
                continue
            sj = vals[j]
            Xj = verts[j]
            new_verts.append(_normalise([si * xj - sj * xi for xi, xj in zip(Xi, Xj)]))
            new_inc.append(c | bit)
    return VPoly(P.n, new_verts, P.rows + [(a, b)], new_inc)


def cut(P: VPoly, rows: Sequence[Row]) -> VPoly | None:
    """``P ∩ {a·x <= b for (a, b) in rows}``, canonicalised to its facets; ``None`` when
    the result is empty or not full-dimensional."""
    Q: VPoly | None = P
    for a, b in rows:
        Q = _step(Q, a, b)
        if Q is None:
            return None
    if Q is P:
        return P
    return _canonical(Q)


def _canonical(Q: VPoly) -> VPoly | None:
    """Keep only facet rows (maximal proper tight sets); None if some row is tight
    at every vertex (then the polytope is not full-dimensional)."""
    masks = Q.row_masks()
    full = (1 << len(Q.verts)) - 1
    if any(m == full for m in masks):
        return None
    keep: list[int] = []
    seen: set[int] = set()
    order = sorted(range(len(masks)), key=lambda r: -masks[r].bit_count())
    maximal: list[int] = []
    for r in order:
        m = masks[r]
        if m == 0 or m in seen:
            continue
        if any(m & k == m for k in maximal):
            continue
        maximal.append(m)
        seen.add(m)
        keep.append(r)
    keep.sort()
    if len(keep) == len(Q.rows):
        return Q
    remap = {r: t for t, r in enumerate(keep)}
    new_inc = []
    for m in Q.inc:
        nm = 0
        for r, t in remap.items():
            if m >> r & 1:
                nm |= 1 << t
        new_inc.append(nm)
    return VPoly(Q.n, Q.verts, [Q.rows[r] for r in keep], new_inc)
