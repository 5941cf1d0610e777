"""Internal: the exact steps of :meth:`~exactgeom.Partition.check` (facet balance, cover count,
points outside the domain) and the pairwise reference test it falls back on to name
overlapping cells. The argument that facet balance proves a tiling is in the docstring of
:meth:`~exactgeom.Partition.check`.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from ..linalg import rational as la
from ..numbers.surd import Surd
from ..polytope.faces import bits
from ..polytope.measures import integer_vertices
from ..polytope.polytope import Polytope

Vec = tuple[Fraction, ...]


def _outside(points: Sequence[Vec], D: Polytope) -> set[int]:
    """Indices of the points violating an inequality of ``D`` (exact; axis-parallel
    rows compared by integer cross-multiplication)."""
    axis, other = [], []
    for h in D.facets:
        nz = [(j, a) for j, a in enumerate(h.normal) if a]
        if len(nz) == 1:
            axis.append((nz[0][0], nz[0][1], h.offset.numerator, h.offset.denominator))
        else:
            other.append((nz, h.offset))
    out = set()
    for i, v in enumerate(points):
        if any(a * v[j].numerator * od > on * v[j].denominator for j, a, on, od in axis) or any(
            sum(a * v[j] for j, a in nz) > off for nz, off in other
        ):
            out.add(i)
    return out


def _cover_count(polys: Sequence[Polytope], pts: Sequence[Vec]) -> int | None:
    """``m(x₀)``: how many cells contain ``x₀`` in their interior, for the first of the
    points ``pts`` (each interior to its own cell) that lies on no cell's boundary
    (exact integer comparisons); ``None`` if every candidate tried lies on one (then
    cells overlap: the caller's pairwise test names them)."""
    rows = [[(h.normal, h.offset.numerator, h.offset.denominator) for h in P.facets] for P in polys]
    for x in pts[:8]:
        (num,), den = la.integer_scaled([list(x)])
        count = 0
        for R in rows:
            state = 1  # 1 strictly inside, 0 on the boundary, -1 outside
            for nrm, on, od in R:
                lhs, rhs = od * sum(a * v for a, v in zip(nrm, num)), on * den
                if lhs > rhs:
                    state = -1
                    break
                if lhs == rhs:
                    state = 0
            if state == 0:
                break  # x₀ lies on this cell's boundary: try another point
            count += state == 1
        else:
            return count
    return None


def _small_interior_point(P: Polytope) -> Vec:
    """A point in the interior of a bounded full-dimensional polytope with a small
    denominator: the mean of the vertices rounded down to a multiple of ``2^-k`` for the
    first ``k`` in 4, 8, 16, … that stays strictly inside (checked exactly), else the
    mean itself. Small numbers make the model's key cheap to evaluate exactly. Integer
    arithmetic throughout (the vertices over their common denominator, shared with the
    volume and centroid: :func:`~exactgeom.polytope.measures.integer_vertices`)."""
    Z, q = integer_vertices(P)
    N = len(Z)
    mean = [(sum(z[j] for z in Z), N * q) for j in range(P.ambient_dim)]  # (numerator, denominator)
    rows = [(h.normal, h.offset.numerator, h.offset.denominator) for h in P.facets]
    k = 4
    while k <= 256:
        num = [(p << k) // q for p, q in mean]
        if all(on << k > od * sum(a * x for a, x in zip(nrm, num)) for nrm, on, od in rows):
            return tuple(Fraction(x, 1 << k) for x in num)
        k *= 2
    return tuple(Fraction(p, q) for p, q in mean)


def _plane_key(normal: tuple[int, ...], offset: Fraction) -> tuple[int, tuple[tuple[int, ...], int, int]]:
    """``(s, key)``: the hyperplane ``normal·x = offset`` in canonical orientation (first
    nonzero entry positive; the offset as numerator and denominator) and ``s = ±1``,
    the side's sign (+1: the half-space ``normal·x <= offset`` is ``key``'s lower side)."""
    s = 1 if next(x for x in normal if x != 0) > 0 else -1
    return s, (tuple(s * x for x in normal) if s < 0 else normal, s * offset.numerator, offset.denominator)


def _unbalanced_hyperplanes(polys: Sequence[Polytope], cell_vids: Sequence[Sequence[int]], D: Polytope) -> list[str]:
    """The hyperplanes (not facet hyperplanes of ``D``) on which the facets of the two
    sides do not cover the same set with the same multiplicity (see
    :meth:`Partition.check`); ``[]`` when every one balances."""
    dplanes = {_plane_key(h.normal, h.offset)[1] for h in D.facets}
    by_plane: dict[tuple[Any, ...], tuple[dict[Any, Any], dict[Any, Any]]] = {}
    for ci, P in enumerate(polys):
        ids = cell_vids[ci]
        masks = P._facet_masks
        for fi, h in enumerate(P.facets):
            s, key = _plane_key(h.normal, h.offset)
            if key in dplanes:
                continue
            sig = tuple(sorted(ids[v] for v in bits(masks[fi])))
            sides = by_plane.get(key)
            if sides is None:
                sides = by_plane[key] = ({}, {})
            sides[0 if s > 0 else 1].setdefault(sig, []).append((ci, fi))
    bad: list[str] = []
    for key, (pos, neg) in by_plane.items():
        upos = [cf for sig, lst in pos.items() for cf in lst[len(neg.get(sig, ())) :]]
        uneg = [cf for sig, lst in neg.items() for cf in lst[len(pos.get(sig, ())) :]]
        if (upos or uneg) and not _pieces_balance(polys, key[0], upos, uneg):
            normal, num, den = key
            bad.append(f"the hyperplane {list(normal)}·x = {Fraction(num, den)}")
    return bad


def _facet_box(P: Polytope, fi: int) -> tuple[Vec, Vec]:
    V = [P.vertices[v] for v in P.facet_vertices(fi)]
    n = P.ambient_dim
    return tuple(min(v[j] for v in V) for j in range(n)), tuple(max(v[j] for v in V) for j in range(n))


def _pieces_balance(
    polys: Sequence[Polytope], normal: tuple[int, ...], upos: list[tuple[int, int]], uneg: list[tuple[int, int]]
) -> bool:
    """Step 2 of the facet balance in :meth:`Partition.check`: every unpaired facet is
    cut by the unpaired facets of the other side into pieces with disjoint relative
    interiors whose (n−1)-volumes sum to its own."""
    n = len(normal)
    unit = Surd(1, sum(a * a for a in normal))  # every (n−1)-volume on the plane is rational × this
    boxes = {cf: _facet_box(polys[cf[0]], cf[1]) for cf in upos + uneg}
    pieces: dict[tuple[int, int], list[tuple[int, Polytope]]] = {cf: [] for cf in upos + uneg}
    for a, fa in upos:
        lo_a, hi_a = boxes[(a, fa)]
        for b, fb in uneg:
            lo_b, hi_b = boxes[(b, fb)]
            if any(hi_a[k] < lo_b[k] or hi_b[k] < lo_a[k] for k in range(n)):
                continue
            Q = polys[a].intersect(polys[b])  # a and b lie on opposite sides: Q is F_a ∩ F_b
            if Q.dim == n - 1:
                pieces[(a, fa)].append((b, Q))
                pieces[(b, fb)].append((a, Q))
    # coordinates along which the plane is not constant: a slab x_k = t meets it in an (n−2)-flat
    free = [k for k in range(n) if any(normal[i] for i in range(n) if i != k)]
    for (c, f), lst in pieces.items():
        if sum(((Q.relative_volume() / unit).to_fraction() for _, Q in lst), Fraction(0)) != (
            polys[c].facet_volume(f) / unit
        ).to_fraction():
            return False
        pboxes = [_bbox(Q) for _, Q in lst]
        for k, (o1, Q1) in enumerate(lst):
            lo1, hi1 = pboxes[k]
            for t in range(k + 1, len(lst)):
                lo2, hi2 = pboxes[t]
                if any(hi1[j] <= lo2[j] or hi2[j] <= lo1[j] for j in free):
                    continue  # Q1 ∩ Q2 lies in the plane ∩ {x_j = const}: (n−2)-dimensional at most
                o2, Q2 = lst[t]
                # cells o1, o2 lie on the same side of the plane; a facet hyperplane of
                # one separating them is not the plane, so Q1 ∩ Q2 is (n−2)-dimensional
                if not _separated(polys[o1], polys[o2]) and Q1.intersect(Q2).dim == n - 1:
                    return False
    return True


def _bbox(P: Polytope) -> tuple[Vec, Vec]:
    V = P.vertices
    n = P.ambient_dim
    return tuple(min(v[j] for v in V) for j in range(n)), tuple(max(v[j] for v in V) for j in range(n))


def _separated(P: Polytope, Q: Polytope) -> bool:
    """True when a facet hyperplane of P or Q separates them (interiors disjoint)."""
    for X, Y in ((P, Q), (Q, P)):
        for h in X.facets:
            if all(h.slack(v) <= 0 for v in Y.vertices):
                return True
    return False


def _overlapping_pairs(polys: Sequence[Polytope]) -> list[tuple[int, int]]:
    out = []
    boxes = {i: _bbox(P) for i, P in enumerate(polys) if P.is_bounded and not P.is_empty}
    order = sorted(boxes, key=lambda i: boxes[i][0][0])
    for t, i in enumerate(order):
        lo_i, hi_i = boxes[i]
        for j in order[t + 1 :]:
            lo_j, hi_j = boxes[j]
            if lo_j[0] >= hi_i[0]:
                break
            if any(lo_j[k] >= hi_i[k] or lo_i[k] >= hi_j[k] for k in range(len(lo_i))):
                continue
            if _separated(polys[i], polys[j]):
                continue
            if polys[i].intersect(polys[j]).dim == polys[i].ambient_dim:
                out.append((min(i, j), max(i, j)))
    return out
