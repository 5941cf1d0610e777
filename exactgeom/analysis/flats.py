"""The (n−2)-flats of a partition's ridges and the pieces they are cut into.

The geometry behind :func:`~exactgeom.analysis.curvature.angle_defects`: every ridge of
every cell spans an ``(n−2)``-flat ``L``; the cells meeting ``L`` in ``n−2`` dimensions
cut it into pieces of constant configuration, and each piece inside the domain has one
angle defect.  Here:

* flats in canonical form (the augmented reduced row echelon form of two facet
  hyperplanes, :func:`_canonical_flat`; the integer key of a hyperplane,
  :func:`_plane_key`) and their parametrisation ``x(t) = x0 + Σ t_i d_i`` over the free
  coordinates (:func:`_point_from_t`, :func:`_on_line`, :func:`_on_line_scaled`, in
  integers over one denominator: :func:`_scaled`);
* the pieces: for ``n = 3`` (a line) the interval of ``t`` inside a cell
  (:func:`_segment`) and a sweep over the interval ends (:func:`_line_groups`); for
  ``n ≥ 4`` the cells of the arrangement inside the flat of the members' facet
  hyperplanes (:func:`_pieces_by_arrangement`);
* the exact test that a piece lies inside the domain (:func:`_strictly_inside`).

All exact (integers and Fractions); the sound filters that find the candidate cells
fast are in :mod:`exactgeom.analysis.defect_filters`.

>>> from fractions import Fraction as F
>>> _segment([(1, 2, 1), (-1, 0, 1)], 1, 1)        # t <= 2 and -t <= 0: the interval [0, 2]
(Fraction(0, 1), Fraction(2, 1))
>>> _line_groups({0: (F(0), F(2)), 1: (F(1), F(3))}, {0})
[(frozenset({0}), Fraction(0, 1), Fraction(1, 1)), (frozenset({0, 1}), Fraction(1, 1), Fraction(2, 1))]
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import pairwise
from typing import Any

from ..linalg import rational as la
from ..numbers.angle import Angle
from ..polytope.polytope import Polytope

Vec = tuple[Fraction, ...]


def _canonical_flat(rows: Sequence[Sequence[Fraction]], n: int) -> tuple[tuple[Vec, ...], tuple[int, ...]]:
    R, piv = la.rref([tuple(r) for r in rows], n + 1)
    return R, piv


def _contains_flat(R: tuple[Vec, ...], piv: tuple[int, ...], a: Sequence[Any], b: Fraction) -> bool:
    """Whether the hyperplane ``a·x = b`` contains the flat with augmented rref ``R``."""
    v = [Fraction(x) for x in a] + [Fraction(b)]
    for row, p in zip(R, piv):
        c = v[p]
        if c:
            v = [x - c * y for x, y in zip(v, row)]
    return not any(v)


@dataclass
class _Flat:
    R: tuple[Vec, ...]
    piv: tuple[int, ...]
    ridges: list[tuple[int, int, int]]  # (cell, facet a, facet b)


def _on_line(X0: Sequence[int], e0: int, d: tuple[Sequence[int], int], t: Fraction) -> Vec:
    """``x0 + t·(D/e1)`` with ``x0 = X0/e0`` and ``d = (D, e1)``: the point of a line
    flat at free coordinate ``t`` (what :func:`_point_from_t` gives, one Fraction per
    coordinate)."""
    D, e1 = d
    p, q = t.numerator, t.denominator
    den = e0 * e1 * q
    return tuple(Fraction(x * e1 * q + p * y * e0, den) for x, y in zip(X0, D))


def _on_line_scaled(X0: Sequence[int], e0: int, d: tuple[Sequence[int], int], t: Fraction) -> tuple[list[int], int]:
    """:func:`_on_line` as integers over one denominator ``(X, e)``, ``e > 0`` (not reduced)."""
    D, e1 = d
    p, q = t.numerator, t.denominator
    return [x * e1 * q + p * y * e0 for x, y in zip(X0, D)], e0 * e1 * q


def _point_from_t(R: tuple[Vec, ...], piv: tuple[int, ...], free: Sequence[int], t: Sequence[Fraction], n: int) -> Vec:
    x = [Fraction(0)] * n
    for j, tj in zip(free, t):
        x[j] = Fraction(tj)
    for row, p in zip(R, piv):
        x[p] = row[n] - sum((row[j] * x[j] for j in free), Fraction(0))
    return tuple(x)


def _plane_key(h: Any) -> tuple[int, ...]:
    """The hyperplane ``normal·x = offset`` (primitive integer normal) as integers, the
    same for both orientations (first non-zero normal entry made positive)."""
    a, on, od = h.normal, h.offset.numerator, h.offset.denominator
    if next(x for x in a if x) < 0:
        return (*(-x for x in a), -on, od)
    return (*a, on, od)


def _strictly_inside(D: Polytope, x: Vec | tuple[list[int], int]) -> bool:
    """``D.contains(x, strict=True)`` for a full-dimensional ``D``, in integers: with
    ``x = X / e``, every facet ``a·x <= on/od`` must hold as ``a·X·od < on·e``. ``x`` is a
    point, or ``(X, e)`` (a list of ints and an int ``e > 0``) already scaled."""
    X, e = x if isinstance(x[0], list) else _scaled(x)  # type: ignore[arg-type]
    if D.equalities:  # pragma: no cover - partition domains are full-dimensional
        return D.contains(tuple(Fraction(v, e) for v in X), strict=True)
    return all(sum(a * y for a, y in zip(h.normal, X)) * h.offset.denominator < h.offset.numerator * e for h in D.facets)


def _scaled(x: Sequence[Fraction]) -> tuple[list[int], int]:
    """``x = X / e`` with integers ``X`` and ``e >= 1`` (:func:`~exactgeom.linalg.rational.integer_scaled`)."""
    (X,), e = la.integer_scaled([list(x)])
    return X, e


def _segment(rows: Sequence[tuple[int, int, int]], e0: int, e1: int) -> tuple[Fraction, Fraction] | None:
    """The interval ``[t_lo, t_hi]`` (``t_lo < t_hi``) of ``t`` with ``x0 + t d`` inside
    the cell, from its rows as ``(a·D, (b − a·x0)·od·e0, od)`` with ``d = D / e1``:
    ``(a·D / e1)·t <= (b − a·x0)``, i.e. ``aD·od·e0·t <= beta·e1``; ``None`` when the
    intersection is empty or a single point (the line meets the cell in no segment)."""
    # t = beta·e1 / (aD·od·e0); e1, e0 > 0 are common to all rows, so the bounds are
    # compared as beta / (aD·od) by integer cross-multiplication (denominators > 0) and
    # only the two winners become Fractions
    lo: tuple[int, int] | None = None
    hi: tuple[int, int] | None = None
    for aD, beta, od in rows:
        if aD == 0:
            if beta < 0:
                return None
            continue
        q = aD * od
        if q > 0:
            if hi is None or beta * hi[1] < hi[0] * q:
                hi = (beta, q)
        elif lo is None or -beta * lo[1] > lo[0] * -q:
            lo = (-beta, -q)
    if lo is None or hi is None or not lo[0] * hi[1] < hi[0] * lo[1]:  # a bounded cell bounds the line on both sides
        return None
    return Fraction(int(lo[0] * e1), int(lo[1] * e0)), Fraction(int(hi[0] * e1), int(hi[1] * e0))


def _line_groups(
    span: Mapping[int, tuple[Fraction, Fraction]], ridge_ids: set[int]
) -> list[tuple[frozenset[int], Fraction, Fraction]]:
    """The pieces of a line: between consecutive distinct interval ends ``t_a < t_b``,
    the configuration is the set of members whose interval ``[s0, s1]`` contains
    ``[t_a, t_b]``; runs of one configuration are merged, and pieces without a ridge
    member are left out. A sweep over the sorted ends (each member enters at the
    index of ``s0`` and leaves at that of ``s1``)."""
    ends = sorted(t for s in span.values() for t in s)
    brk = ends[:1]
    for t in ends[1:]:
        if t != brk[-1]:
            brk.append(t)
    enter: dict[int, list[int]] = {}
    leave: dict[int, list[int]] = {}
    for ci, (s0, s1) in span.items():
        enter.setdefault(bisect_left(brk, s0), []).append(ci)
        leave.setdefault(bisect_left(brk, s1), []).append(ci)
    active: set[int] = set()
    groups: list[tuple[frozenset[int], Fraction, Fraction]] = []
    for a, (ta, tb) in enumerate(pairwise(brk)):
        active.update(enter.get(a, ()))
        active.difference_update(leave.get(a, ()))
        if not active & ridge_ids:
            continue
        if groups and groups[-1][0] == active and groups[-1][2] == ta:
            groups[-1] = (groups[-1][0], groups[-1][1], tb)
        else:
            groups.append((frozenset(active), ta, tb))
    return groups


def _pieces_by_arrangement(
    R: tuple[Vec, ...],
    piv: tuple[int, ...],
    free: Sequence[int],
    allm: Mapping[int, tuple[tuple[int, ...], Angle, tuple[Vec, ...]]],
    ridge_ids: set[int],
    n: int,
) -> list[tuple[frozenset[int], Polytope, Vec]]:
    """Pieces of an (n−2)-flat with n−2 ≥ 2, in the coordinates ``t = x[free]``."""
    from ..partitions.arrangement import arrangement

    Qt = {ci: Polytope.from_vrep([tuple(v[j] for j in free) for v in m[2]]) for ci, m in allm.items()}
    normals: list[tuple[int, ...]] = []
    offsets: list[Fraction] = []
    seen = set()
    for Q in Qt.values():
        for h in Q.facets:
            key = (h.normal, h.offset)
            if key not in seen and (tuple(-x for x in h.normal), -h.offset) not in seen:
                seen.add(key)
                normals.append(h.normal)
                offsets.append(h.offset)
    k = len(free)
    rid = [Qt[ci] for ci in ridge_ids]
    lo = [min(v[j] for Q in rid for v in Q.vertices) for j in range(k)]
    hi = [max(v[j] for Q in rid for v in Q.vertices) for j in range(k)]
    arr = arrangement(normals, offsets, list(zip(lo, hi))) if normals else None
    regions = [c.polytope for c in arr.cells] if arr is not None else []
    by_conf: dict[frozenset[int], None] = {}
    for Rg in regions:
        p = Rg.relative_interior_point()
        conf = frozenset(ci for ci, Q in Qt.items() if Q.contains(p))
        if conf & ridge_ids:
            by_conf.setdefault(conf, None)
    out = []
    for conf in by_conf:
        inter = None
        for ci in conf:
            inter = Qt[ci] if inter is None else inter.intersect(Qt[ci])
        assert inter is not None
        verts = [_point_from_t(R, piv, free, v, n) for v in inter.vertices]
        mid = _point_from_t(R, piv, free, inter.relative_interior_point(), n)
        out.append((conf, Polytope.from_vrep(verts), mid))
    return out
