r"""Angle defects of a partition into axis-parallel boxes, in closed form.

:func:`~exactgeom.analysis.curvature.angle_defects` takes this route when every cell is
a box (all facets axis-parallel, read from the H-data) and
:meth:`Partition.check() <exactgeom.Partition.check>` has proved the tiling (for a
:class:`~exactgeom.partitions.tree.BoxTreePartition` the check reads the boxes' bounds);
otherwise it takes its generic route (flats from the cells' face lattices, pieces from
an arrangement inside each flat). Both give the same defects: the tests compare them on
random trees and grid arrangements in R^2..R^4.

**The ridge flats.** Two facets of a box meet in a ridge iff they lie on different axes
``a < b``; the ridge spans the (n−2)-flat ``L = {x_a = u, x_b = v}`` (``u``, ``v`` the
box's bounds) and the box's interior angle there is π/2 (orthogonal normals). So every
flat is axis-parallel, named by ``(a, u, b, v)``; a flat inside the boundary of the
domain box (``u`` or ``v`` a domain bound) has no interior piece and is skipped.

**The members of a flat.** A box ``C = ∏ [lo_j, hi_j]`` meets ``L`` in an (n−2)-set iff
``lo_a ≤ u ≤ hi_a`` and ``lo_b ≤ v ≤ hi_b``; it holds that set in a face whose affine
hull contains ``L`` iff ``u ∈ {lo_a, hi_a}`` or ``v ∈ {lo_b, hi_b}`` (its facet
hyperplanes are the only hyperplanes it has). Both bounds equal: a *ridge member*, angle
π/2, lying in one quadrant of the normal plane ``(x_a − u, x_b − v)``; one bound equal and
the other strictly inside: a *T-junction* (facet member), angle π, covering the two
quadrants on its side. In either case the member's set is ``L ×`` the box
``T_C = ∏_{j≠a,b} [lo_j, hi_j]`` in the remaining coordinates ``t``.

**The pieces (proof that the overlay gives the generic route's pieces).** The generic
route cuts ``L`` by the members' facet hyperplanes and groups the regions by their
configuration (the set of members containing them), keeping those with a ridge member.
Take a region ``c`` of ``L`` (open in ``L``) inside the domain's interior with a ridge
member. By the tiling argument of :mod:`exactgeom.analysis.curvature`, at a point ``p``
of ``c`` off the finitely many lower-dimensional faces meeting ``L``, the cells containing
``p`` are exactly the members containing ``c``, and their sectors tile the normal plane:
each of the four open quadrants is covered by exactly one member (two members covering
one quadrant would share interior points; an uncovered quadrant would leave a gap). So
the configuration of ``c`` is a choice of one member per quadrant (a T-junction taking
two adjacent quadrants), and the set of members determines the choice (a member's
quadrants are fixed by which of its bounds equal ``u``, ``v``). Conversely a choice
``(m_1, …, m_4)`` whose boxes ``T_{m_i}`` meet in a set with interior is the
configuration of the regions in that interior, and the generic piece of that
configuration, the intersection of its members' sets, is ``L × ∩ T_{m_i}``: a box. The
overlay below forms exactly these choices, quadrant by quadrant, keeping intersections
with interior (``max lo < min hi`` on every t-coordinate); distinct choices are distinct
configurations, so each piece appears once, as in the generic route. For ``n = 2`` the
t-space is a point and the piece is the point ``(u, v)``; for ``n = 3`` the pieces are the
maximal intervals of one configuration, which is what the generic sweep merges (two runs
of one configuration cannot be separated by another configuration: the members of the
first cover every quadrant of the run between them).

Each defect is exactly 0 by the proved tiling (:attr:`AngleDefect.zero_by_tiling` when
``zero_test="tiling"``; with ``zero_test="rotation"`` the exact rotation product of the
angles decides, as in the generic route).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from itertools import product
from typing import Any

from ..numbers.angle import Angle
from ..partitions.partition import Partition
from ..polytope.boxes import box_bounds, facet_axes
from ..polytope.measures import _normals_angle

__all__ = ["box_angle_defects", "is_box_partition"]

Vec = tuple[Fraction, ...]


def is_box_partition(partition: Partition) -> bool:
    """Whether every cell of ``partition`` and its domain are full-dimensional
    axis-parallel boxes (read from the H-data: no vertices).

    >>> from exactgeom import arrangement
    >>> is_box_partition(arrangement([[1, 0]], [0], [(-1, 1), (-1, 1)]))
    True
    >>> is_box_partition(arrangement([[1, 1]], [0], [(-1, 1), (-1, 1)]))
    False
    """
    return box_bounds(partition.domain) is not None and all(box_bounds(c.polytope) is not None for c in partition.cells)


def box_angle_defects(partition: Partition, zero_test: str = "tiling") -> tuple[Any, ...] | None:
    """The angle defects of a box partition whose tiling is proved, in closed form (see
    the module docstring); ``None`` when the partition is not made of boxes or its check
    does not prove the tiling (the generic route then applies).

    >>> from exactgeom import arrangement
    >>> P = arrangement([[1, 0], [0, 1]], [0, 0], [(-1, 1), (-1, 1)])
    >>> [(d.piece_vertices, d.cells, d.is_zero()) for d in box_angle_defects(P)]
    [(((Fraction(0, 1), Fraction(0, 1)),), (0, 1, 2, 3), True)]
    >>> box_angle_defects(arrangement([[1, 1]], [0], [(-1, 1), (-1, 1)])) is None   # not boxes
    True
    """
    from .curvature import AngleDefect, CellAngle

    n = partition.ambient_dim
    dom = box_bounds(partition.domain)
    if n < 2 or dom is None:
        return None
    polys = [c.polytope for c in partition.cells]
    bounds: list[tuple[Vec, Vec]] = []
    fidx: list[dict[tuple[int, int], int]] = []
    for P in polys:
        bb = box_bounds(P)
        axes = facet_axes(P)
        if bb is None or axes is None:
            return None
        bounds.append(bb)
        fidx.append({ax: i for i, ax in enumerate(axes)})
    if not partition.check().tiling:
        return None
    tiled = zero_test == "tiling"
    dlo, dhi = dom
    # cells by (axis, bound value, side): side +1 when the value is the cell's upper bound
    at: dict[tuple[int, Fraction], list[tuple[int, int]]] = {}
    flats: set[tuple[int, Fraction, int, Fraction]] = set()
    for ci, (lo, hi) in enumerate(bounds):
        inner: list[tuple[int, Fraction]] = []
        for j in range(n):
            for v, s in ((lo[j], -1), (hi[j], 1)):
                at.setdefault((j, v), []).append((ci, s))
                if dlo[j] < v < dhi[j]:
                    inner.append((j, v))
        for x in range(len(inner)):
            for y in range(x + 1, len(inner)):
                (a, u), (b, v) = inner[x], inner[y]
                if a != b:
                    flats.add((a, u, b, v) if a < b else (b, v, a, u))
    straight = Angle.straight()
    out: list[Any] = []
    for a, u, b, v in flats:
        # per quadrant (qa, qb) (0: below the value, 1: above), the members covering it
        cover: dict[tuple[int, int], list[tuple[int, tuple[int, ...], Angle]]] = {q: [] for q in product((0, 1), repeat=2)}
        on_b = dict(at.get((b, v), ()))
        for ci, sa in at.get((a, u), ()):
            qa = 0 if sa > 0 else 1
            lo, hi = bounds[ci]
            fa = fidx[ci][(a, sa)]
            sb = on_b.get(ci)
            if sb is not None:
                fb = fidx[ci][(b, sb)]
                P = polys[ci]
                ang = _normals_angle(P.facets[fa].normal, P.facets[fb].normal)
                cover[(qa, 0 if sb > 0 else 1)].append((ci, (min(fa, fb), max(fa, fb)), ang))
            elif lo[b] < v < hi[b]:
                cover[(qa, 0)].append((ci, (fa,), straight))
                cover[(qa, 1)].append((ci, (fa,), straight))
        for ci, sb in at.get((b, v), ()):
            lo, hi = bounds[ci]
            if lo[a] < u < hi[a]:
                qb = 0 if sb > 0 else 1
                fb = fidx[ci][(b, sb)]
                cover[(0, qb)].append((ci, (fb,), straight))
                cover[(1, qb)].append((ci, (fb,), straight))
        free = [j for j in range(n) if j != a and j != b]
        # the overlay, quadrant by quadrant: (members by cell, t-box lo, t-box hi)
        combos: list[tuple[dict[int, tuple[tuple[int, ...], Angle]], list[Fraction], list[Fraction]]] = [
            ({}, [dlo[j] for j in free], [dhi[j] for j in free])
        ]
        for q in sorted(cover):
            nxt = []
            for owners, tlo, thi in combos:
                if any(ci in owners for ci, _, _ in cover[q]):  # a T-junction met again in its second quadrant
                    nxt.append((owners, tlo, thi))
                    continue
                for ci, fs, ang in cover[q]:
                    clo, chi = bounds[ci]
                    nlo = [max(x, clo[j]) for x, j in zip(tlo, free)]
                    nhi = [min(x, chi[j]) for x, j in zip(thi, free)]
                    if all(p < r for p, r in zip(nlo, nhi)):
                        nxt.append(({**owners, ci: (fs, ang)}, nlo, nhi))
            combos = nxt
        for owners, tlo, thi in combos:
            if not any(len(fs) == 2 for fs, _ in owners.values()):
                continue  # a facet-to-facet face through L: no ridge, no piece
            angs = tuple(CellAngle(ci, owners[ci][1], owners[ci][0]) for ci in sorted(owners))
            out.append(AngleDefect._of_points(_corners(n, a, u, b, v, free, tlo, thi), angs, tiled))
    out.sort(key=lambda d: d.piece_vertices)
    return tuple(out)


def _corners(
    n: int, a: int, u: Fraction, b: int, v: Fraction, free: Sequence[int], lo: Sequence[Fraction], hi: Sequence[Fraction]
) -> list[Vec]:
    """The 2^(n−2) vertices of the piece ``{x_a = u, x_b = v} × ∏ [lo, hi]`` (``free``:
    the other coordinates, in order)."""
    out = []
    for pick in product((0, 1), repeat=len(free)):
        x = [Fraction(0)] * n
        x[a], x[b] = u, v
        for j, s, p, r in zip(free, pick, lo, hi):
            x[j] = r if s else p
        out.append(tuple(x))
    return out
