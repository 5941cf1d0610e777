"""Internal: exact convex cells held by vertices and row incidences, cut without cddlib.

A :class:`VCell` is a bounded convex polytope ``{x : A x <= b}`` stored with its
vertex list and, for every vertex, the bitmask of the rows of ``A x <= b`` that are
tight there. Cutting it by a hyperplane is one exact step of the double-description
method: the vertices on each side are kept, and every *edge* joining a vertex strictly
below to one strictly above contributes its crossing point. Two vertices ``u, v`` span
an edge iff no third vertex is tight on every row tight at both (the smallest face
containing ``u`` and ``v`` then has just these two vertices). A point inside an edge is
tight exactly on the rows tight on the whole edge, so incidences stay complete.

Everything is exact: vertices are held in reduced homogeneous integer coordinates
``(q, p_1, …, p_n)`` (the point ``p/q``, ``q > 0``) and rows as integer multiples of
the given half-spaces, so a cut costs integer dot products only; no LP and no cddlib
call. A finished cell becomes a
:class:`~exactgeom.Polytope` through :func:`to_polytope`, which hands the vertices and
incidences to the polytope's canonicaliser (the same data cddlib would have returned).
Every builder of this package (arrangements, argmax, Voronoi, trees, refinement)
splits cells with this module; a cell whose intersection with a half-space is not
full-dimensional is reported as ``None``.

>>> from exactgeom import Polytope
>>> C = VCell.from_polytope(Polytope.box([(0, 1), (0, 1)]))
>>> lo, hi = C.split((1, 1), 1)        # the diagonal x + y = 1
>>> len(lo.points), len(hi.points), to_polytope(lo).volume()
(3, 3, Fraction(1, 2))
>>> C.split((1, 1), 2)[1] is None       # x + y >= 2 touches the square in a corner only
True
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from math import gcd, lcm

from ..polytope.polytope import Polytope

__all__ = ["VCell", "to_polytope", "int_row"]

Vec = tuple[Fraction, ...]
IVec = tuple[int, ...]


def int_row(w: Sequence[Fraction | int], c: Fraction | int) -> tuple[IVec, int]:
    """``(a, b)`` integers with ``a·x <= b`` equivalent to ``w·x <= c`` (positive scaling)."""
    fr = [Fraction(x) for x in w] + [Fraction(c)]
    L = lcm(*(x.denominator for x in fr))
    ints = [int(x * L) for x in fr]
    g = gcd(*ints)
    if g > 1:
        ints = [x // g for x in ints]
    return tuple(ints[:-1]), ints[-1]


def _homog(v: Sequence[Fraction]) -> IVec:
    q = lcm(*(Fraction(x).denominator for x in v))
    return (q, *(int(Fraction(x) * q) for x in v))


def _reduce(h: list[int]) -> IVec:
    g = gcd(*h)
    if h[0] < 0:
        g = -g
    return tuple(x // g for x in h) if g != 1 else tuple(h)


def _val(a: IVec, b: int, h: IVec) -> int:
    """``q·(a·x − b)`` for the point ``x = p/q`` held as ``h = (q, p)``: same sign as ``a·x − b``."""
    s = -b * h[0]
    for ai, pi in zip(a, h[1:]):
        if ai:
            s += ai * pi
    return s


class VCell:
    """A full-dimensional bounded cell: integer rows ``A x <= b``, vertices in
    homogeneous integer coordinates, and for each vertex the bitmask of tight rows.

    Instances are treated as immutable (cuts build new cells; row lists are copied).
    """

    __slots__ = ("A", "H", "b", "masks", "n")

    def __init__(self, n: int, A: list[IVec], b: list[int], H: list[IVec], masks: list[int]) -> None:
        self.n = n
        self.A = A
        self.b = b
        self.H = H
        self.masks = masks

    @classmethod
    def from_polytope(cls, P: Polytope) -> VCell:
        """The cell of a bounded full-dimensional polytope (rows = its facets)."""
        rows = [int_row(h.normal, h.offset) for h in P.facets]
        A = [a for a, _ in rows]
        b = [bb for _, bb in rows]
        H = [_homog(v) for v in P.vertices]
        masks = []
        for h in H:
            m = 0
            for k, (a, bk) in enumerate(rows):
                if _val(a, bk, h) == 0:
                    m |= 1 << k
            masks.append(m)
        return cls(P.ambient_dim, A, b, H, masks)

    @property
    def points(self) -> list[Vec]:
        """The vertices as Fractions (unsorted)."""
        return [tuple(Fraction(p, h[0]) for p in h[1:]) for h in self.H]

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
        must be ``self.signs(w, c)``."""
        a, bb = int_row(w, c)
        return self.split_int(a, bb, vals)

    def split_int(self, a: IVec, bb: int, vals: list[int] | None = None) -> tuple[VCell | None, VCell | None]:
        """:meth:`split` for an integer row ``a·x <= bb``."""
        if vals is None:
            vals = [_val(a, bb, h) for h in self.H]
        neg = [i for i, t in enumerate(vals) if t < 0]
        pos = [i for i, t in enumerate(vals) if t > 0]
        if not pos and not neg:  # 0·x <= 0: the hyperplane holds the whole cell (only w = 0, c = 0)
            return self, self
        if not pos:
            return self, None
        if not neg:
            return None, self
        zero = [i for i, t in enumerate(vals) if t == 0]
        new_h, new_m = self._crossings(neg, pos, vals)
        bit = 1 << len(self.A)
        H, M = self.H, self.masks
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
        return lo, hi

    def clip(self, w: Sequence[Fraction | int], c: Fraction | int) -> VCell | None:
        """``self ∩ {w·x <= c}`` if full-dimensional, else ``None``."""
        return self.clip_int(*int_row(w, c))

    def clip_int(self, a: IVec, bb: int) -> VCell | None:
        """:meth:`clip` for an integer row ``a·x <= bb`` (no early work when the row
        does not cut: returns ``self`` or ``None`` after one pass over the vertices)."""
        H = self.H
        has_neg = has_pos = False
        for h in H:
            t = _val(a, bb, h)
            if t > 0:
                has_pos = True
                if has_neg:
                    break
            elif t < 0:
                has_neg = True
                if has_pos:
                    break
        if not has_pos:
            return self if (has_neg or (not any(a) and bb == 0)) else None
        if not has_neg:
            return None
        return self.split_int(a, bb)[0]

    def _crossings(self, neg: list[int], pos: list[int], vals: list[int]) -> tuple[list[IVec], list[int]]:
        """Points where the edges from ``neg`` to ``pos`` vertices cross the hyperplane."""
        H, M = self.H, self.masks
        need = self.n - 1
        out_h: list[IVec] = []
        out_m: list[int] = []
        for u in neg:
            mu = M[u]
            gu = vals[u]
            hu = H[u]
            for v in pos:
                T = mu & M[v]
                if T.bit_count() < need:
                    continue
                edge = True
                for k, mk in enumerate(M):
                    if mk & T == T and k != u and k != v:
                        edge = False
                        break
                if not edge:
                    continue
                gv = vals[v]
                hv = H[v]
                # x = (g_u v − g_v u) / (g_u − g_v) in homogeneous coordinates
                out_h.append(_reduce([gv * x - gu * y for x, y in zip(hu, hv)]))
                out_m.append(T)
        return out_h, out_m

    def intersect_rows(self, rows: Sequence[tuple[IVec, int]]) -> VCell | None:
        """Clip by every integer half-space ``a·x <= b`` of ``rows``; ``None`` when the
        result is not full-dimensional (relative to this cell's dimension)."""
        C: VCell | None = self
        for a, bb in rows:
            C = C.clip_int(a, bb)
            if C is None:
                return None
        return C


def to_polytope(C: VCell) -> Polytope:
    """The exact :class:`Polytope` of a cell, built from its vertices and incidences
    (no cddlib conversion; the canonical form equals ``Polytope.from_hrep(A, b)``)."""
    A = [tuple(Fraction(x) for x in a) for a in C.A]
    b = [Fraction(x) for x in C.b]
    inc = []
    for k in range(len(C.A)):
        m = 0
        for j, mj in enumerate(C.masks):
            if mj >> k & 1:
                m |= 1 << j
        inc.append(m)
    return Polytope._from_trusted_vrep(C.n, A, b, C.points, inc)  # trusted: complete V-rep + incidences
