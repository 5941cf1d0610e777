r"""Curvature of partitions: angle defects (and, re-exported, the vertex curvature of complexes).

Angle defects (flatness of a partition)
---------------------------------------
An *interior ridge piece* ``R`` of a partition of ``D ⊂ R^n`` is a maximal
``(n−2)``-dimensional convex set, inside the interior of ``D``, on which the
configuration of the cells around it is constant: every cell ``C`` containing ``R``
holds it either

* in one of its ridges ``F_a ∩ F_b`` (two facets of ``C``): ``C`` contributes its
  dihedral angle ``θ_C(R)`` there (:meth:`~exactgeom.Polytope.dihedral_angle`, the
  angle of the wedge of ``C`` measured in the plane normal to ``R``), or
* inside a single facet (a T-junction, common in ReLU partitions): ``C`` contributes
  ``π``.

The defect is ``κ(R) = 2π − Σ_C θ_C(R)``; for any partition of flat ``R^n`` it is
exactly 0.  It is decided exactly, by one of two witnesses:

* **the proved tiling** (default, ``zero_test="tiling"``): when
  :meth:`Partition.check() <exactgeom.Partition.check>` has proved that the cells tile
  the domain (its report's ``tiling``), every defect found here is exactly 0 by the
  argument below, and no angle is multiplied out;
* **the rotation product** (``zero_test="rotation"``, and whenever no tiling is proved,
  e.g. a partition with a hole, or the data cells of ``mode="data"``, which do not
  cover the domain): the angle sum is carried as an exact rotation
  ``Π (cos θ + i sin θ)`` with surd-sum coordinates plus a certified winding number
  (:mod:`exactgeom.analysis.rotation`) — never as floats.  When the exact product
  outgrows its term cap an :class:`~exactgeom.errors.UndecidedError` is raised.

**Why a proved tiling makes every defect 0.**  Let ``R`` be a piece on the
``(n−2)``-flat ``L`` (direction space ``V``) with its cells ``M`` (the configuration;
at least one holds ``R`` in a ridge), and ``p`` a point of the relative interior of
``R`` inside the interior of ``D``.  Only finitely many faces of cells exist; a face
``F`` whose affine hull does not contain ``L`` meets ``L`` in a lower-dimensional set,
so ``p`` can be moved within the relative interior of ``R`` (keeping the
configuration, which is constant there) off all of them.  Then every cell ``C``
containing ``p`` holds ``p`` in the relative interior of a face whose affine hull
contains ``L``: (a) its interior — impossible, since a ridge cell of ``M`` has
interior points arbitrarily close to ``p`` and interiors are disjoint; (b) a facet
whose hyperplane contains ``L`` — a T-junction cell, found here; (c) an
``(n−2)``-face with affine hull ``L`` — a ridge of ``C`` spanning ``L``, found here.
So the cells containing ``p`` are exactly ``M``, and near ``p`` each is ``p + V ⊕ W_C``
with ``W_C`` a closed sector of the plane ``V^⊥`` of angle ``θ_C(R)`` (π for a
T-junction).  The cells cover a neighbourhood of ``p`` with pairwise disjoint
interiors (the tiling), so the sectors ``W_C`` cover ``V^⊥`` with disjoint interiors
and their angles add up to exactly ``2π``: ``κ(R) = 0``.  The rotation product stays
available as a second, independent witness (``AngleDefect.is_zero(witness=
"rotation")``); the tests compare both on every defect of several nets.

How pieces are found: every ridge of every cell spans an ``(n−2)``-flat ``L``; the
cells meeting ``L`` in ``n−2`` dimensions (ridge- or facet-type, found through the facet
hyperplanes containing ``L``) cut ``L`` into pieces — for ``n = 2`` ``L`` is a point,
for ``n = 3`` the pieces are the segments between consecutive endpoints, for ``n ≥ 4``
the cells of the arrangement (inside ``L``) of the facet hyperplanes of those sets,
grouped by configuration.  A cell meeting ``L`` through its interior is not detected
(it cannot happen in a valid partition).
The flats and their pieces are in :mod:`exactgeom.analysis.flats`; the sound filters
(float boxes, residues modulo a prime) that find the candidate cells fast are in
:mod:`exactgeom.analysis.defect_filters`.

Vertex curvature of the complex: :mod:`exactgeom.analysis.simplicial_curvature`.

>>> from exactgeom import arrangement
>>> P = arrangement([[1, 0], [0, 1]], [0, 0], [(-1, 1), (-1, 1)])   # two crossing lines
>>> [d.is_zero() for d in angle_defects(P)]
[True]
>>> d = angle_defects(P)[0]
>>> d.piece.vertices, [str(a.angle) for a in d.angles]
(((Fraction(0, 1), Fraction(0, 1)),), ['arccos(0)', 'arccos(0)', 'arccos(0)', 'arccos(0)'])
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from typing import Any

from ..errors import InvalidInputError
from ..numbers._compat import now_method
from ..numbers.angle import Angle
from ..numbers.ball import Enclosure
from ..numbers.rational import as_rational
from ..numbers.surdsum import SurdSum
from ..partitions.partition import Partition
from ..polytope.polytope import Polytope
from .defect_filters import _bbox, _boxes_meet, _BoxIndex, _FacetResidues, _flat_columns
from .flats import (
    _canonical_flat,
    _Flat,
    _line_groups,
    _on_line,
    _on_line_scaled,
    _pieces_by_arrangement,
    _plane_key,
    _point_from_t,
    _scaled,
    _segment,
    _strictly_inside,
)
from .rotation import AngleSum
from .simplicial_curvature import gauss_bonnet_total, vertex_curvature

__all__ = [
    "CellAngle",
    "AngleDefect",
    "angle_defects",
    "defect_table",
    "vertex_curvature",
    "gauss_bonnet_total",
]

Vec = tuple[Fraction, ...]


# ---------------------------------------------------------------------- results
@dataclass(frozen=True)
class CellAngle:
    """The angle one cell contributes at a ridge piece.

    ``facets`` are the cell's facet ids holding the piece: two for a ridge (the angle
    is that ridge's dihedral angle), one for a T-junction (the angle is π).
    """

    cell: int
    angle: Angle
    facets: tuple[int, ...]

    @property
    def kind(self) -> str:
        """``"ridge"`` or ``"facet"`` (T-junction)."""
        return "ridge" if len(self.facets) == 2 else "facet"


class AngleDefect:
    """The angle defect ``κ(R) = 2π − Σ θ_C(R)`` at one interior ridge piece ``R``.

    Parameters
    ----------
    piece : Polytope or sequence of points
        The ``(n−2)``-dimensional piece ``R``, or its vertices (the polytope is then
        built on first use of :attr:`piece`).
    angles : sequence of CellAngle
        One entry per cell containing ``R`` (sorted by cell index).
    tiling : bool
        ``True`` when the piece was found by :func:`angle_defects` in a partition whose
        tiling :meth:`~exactgeom.Partition.check` has proved: the defect is then exactly
        0 (see the module docstring) and :meth:`is_zero` needs no rotation product.

    Examples
    --------
    >>> from exactgeom.numbers import Angle
    >>> d = AngleDefect(Polytope.from_vrep([[0, 0]]), (CellAngle(0, Angle(0), (0, 1)),) * 3)
    >>> d.is_zero(), d.pi_multiple()          # three right angles: defect π/2
    (False, Fraction(1, 2))
    >>> AngleDefect([[1, 0, 2], [0, 0, 5]], ()).piece_vertices[0]
    (Fraction(0, 1), Fraction(0, 1), Fraction(5, 1))
    """

    def __init__(
        self, piece: Polytope | Sequence[Sequence[Any]], angles: Sequence[CellAngle], *, tiling: bool = False
    ) -> None:
        if not isinstance(tiling, bool):
            raise InvalidInputError(f"tiling must be True or False, got {tiling!r}")
        self._tiling = tiling
        if isinstance(piece, Polytope):
            self._piece: Polytope | None = piece
            self._vertices: tuple[Vec, ...] = piece.vertices
        else:
            self._piece = None
            self._vertices = tuple(sorted({tuple(as_rational(x) for x in v) for v in piece}))
        self.angles: tuple[CellAngle, ...] = tuple(angles)

    @classmethod
    def _of_points(cls, points: Sequence[Vec], angles: tuple[CellAngle, ...], tiling: bool) -> AngleDefect:
        """Trusted constructor: ``points`` distinct exact points (tuples of Fractions), the
        piece's vertices; they are only sorted (what ``__init__`` does after converting)."""
        d = object.__new__(cls)
        d._tiling, d._piece, d._vertices, d.angles = tiling, None, tuple(sorted(points)), angles
        return d

    @property
    def piece(self) -> Polytope:
        """The ``(n−2)``-dimensional piece ``R`` (built from its vertices on first use)."""
        if self._piece is None:
            self._piece = Polytope.from_vrep(self._vertices)
        return self._piece

    @property
    def piece_vertices(self) -> tuple[Vec, ...]:
        """The vertices of the piece, sorted (as :attr:`Polytope.vertices`; no conversion)."""
        return self._vertices

    @cached_property
    def _angle_sum(self) -> AngleSum:
        return AngleSum([a.angle for a in self.angles])

    @now_method
    def angle_sum(self) -> AngleSum:
        """The exact sum ``Σ θ_C(R)`` (a method: it computes; cached)."""
        return self._angle_sum

    @property
    def cells(self) -> tuple[int, ...]:
        """Indices of the cells containing the piece."""
        return tuple(a.cell for a in self.angles)

    @property
    def zero_by_tiling(self) -> bool:
        """Whether the defect is known to be exactly 0 from the proved tiling of its
        partition (see the module docstring), without any angle arithmetic."""
        return self._tiling

    def is_zero(self, witness: str = "auto") -> bool:
        """Whether the defect is exactly 0 (angle sum exactly ``2π``).

        Parameters
        ----------
        witness : {"auto", "rotation"}
            ``"auto"``: the proved tiling when :attr:`zero_by_tiling`, else the exact
            rotation product; ``"rotation"``: always the rotation product (an
            independent second witness).

        Raises
        ------
        UndecidedError
            The exact rotation product exceeded its cap.
        InvalidInputError
            An unknown ``witness``.
        """
        if witness not in ("auto", "rotation"):
            raise InvalidInputError(f"unknown witness {witness!r}; use 'auto' or 'rotation'")
        if witness == "auto" and self._tiling:
            return True
        s = self._angle_sum
        return s.is_multiple_of_2pi() and s.winding() == 1

    def rotation(self) -> tuple[SurdSum, SurdSum]:
        """``(cos κ, sin κ)`` exactly."""
        c, s = self._angle_sum.rotation()
        return c, -s

    def pi_multiple(self) -> Fraction | None:
        """``κ/π`` when it is a known rational (always for a zero defect), else None."""
        if self._tiling:
            return Fraction(0)
        r = self._angle_sum.pi_multiple()
        return None if r is None else 2 - r

    def radians(self, digits: int = 30) -> Enclosure:
        """Certified enclosure of ``κ`` in radians."""
        from flint import arb

        from ..numbers.ball import enclose_ball, working_precision

        s = self._angle_sum

        def f(prec: int) -> Any:
            with working_precision(prec):
                return 2 * arb.pi() - s.ball(prec)

        if self.is_zero():
            return Enclosure(Fraction(0), Fraction(0), digits)
        return enclose_ball(f, digits)

    def __repr__(self) -> str:
        return f"AngleDefect(piece={list(self._vertices)}, cells={self.cells})"


def angle_defects(partition: Partition, *, zero_test: str = "tiling") -> tuple[AngleDefect, ...]:
    """The angle defect at every interior ridge piece of a partition.

    Parameters
    ----------
    partition : Partition
        Any partition (cells bounded, full-dimensional).
    zero_test : {"tiling", "rotation"}
        How :meth:`AngleDefect.is_zero` decides: ``"tiling"`` (default) runs (or
        reuses the cached report of) :meth:`Partition.check() <exactgeom.Partition.check>`
        and, when it proves the tiling (``report.tiling``; not for data cells, which
        do not cover the domain), marks every defect as exactly 0 by the argument
        of the module docstring (:attr:`AngleDefect.zero_by_tiling`); when the check
        fails the rotation product decides. ``"rotation"``: always the exact rotation
        product of the angles.

    Returns
    -------
    tuple[AngleDefect, ...]
        One entry per ``(n−2)``-dimensional piece where cells meet inside the domain,
        sorted by the piece's vertices.  Empty for ``n < 2``.

    Raises
    ------
    InvalidInputError
        ``partition`` is not a :class:`~exactgeom.partitions.partition.Partition`, or an
        unknown ``zero_test``.

    Examples
    --------
    A T-junction: the left cell holds the vertex ``(0, 0)`` inside its right edge.

    >>> from exactgeom import Polytope
    >>> from exactgeom.partitions.partition import Partition
    >>> D = Polytope.box([(-1, 1), (-1, 1)])
    >>> cells = [("L", Polytope.box([(-1, 0), (-1, 1)])), ("RB", Polytope.box([(0, 1), (-1, 0)])),
    ...          ("RT", Polytope.box([(0, 1), (0, 1)]))]
    >>> (d,) = angle_defects(Partition(D, cells, family="demo"))
    >>> [(a.cell, a.kind, a.angle.exact_pi_multiple()) for a in d.angles], d.is_zero()
    ([(0, 'facet', Fraction(1, 1)), (1, 'ridge', Fraction(1, 2)), (2, 'ridge', Fraction(1, 2))], True)
    >>> d.zero_by_tiling, d.is_zero(witness="rotation")   # the check proved the tiling; the product agrees
    (True, True)
    >>> angle_defects(Partition(D, [("all", D)], family="demo"))   # degenerate: one cell
    ()
    """
    if not isinstance(partition, Partition):
        raise InvalidInputError(f"angle_defects needs a Partition, got {type(partition).__name__}")
    if zero_test not in ("tiling", "rotation"):
        raise InvalidInputError(f"unknown zero_test {zero_test!r}; use 'tiling' or 'rotation'")
    n = partition.ambient_dim
    if n < 2:
        return ()
    from .box_curvature import box_angle_defects  # boxes: closed form (its docstring has the proof)

    got = box_angle_defects(partition, zero_test)
    if got is not None:
        return got
    D = partition.domain
    cells = partition.cells
    polys = [c.polytope for c in cells]
    boxes = _BoxIndex([_bbox(P) for P in polys])
    residues = _FacetResidues(polys, n)
    flats: dict[tuple[Vec, ...], _Flat] = {}
    by_pair: dict[tuple[tuple[int, ...], ...], _Flat] = {}  # the flat of a pair of hyperplanes (integer keys)
    for ci, P in enumerate(polys):
        adj = P.facet_adjacency()
        keys = [_plane_key(h) for h in P.facets]
        for fa, nbrs in enumerate(adj):
            for fb in nbrs:
                if fb <= fa:
                    continue
                pair = (keys[fa], keys[fb]) if keys[fa] <= keys[fb] else (keys[fb], keys[fa])
                fl = by_pair.get(pair)
                if fl is None:
                    ha, hb = P.facets[fa], P.facets[fb]
                    R, piv = _canonical_flat(
                        [tuple(Fraction(x) for x in ha.normal) + (ha.offset,), tuple(Fraction(x) for x in hb.normal) + (hb.offset,)],
                        n,
                    )
                    fl = flats.get(R)
                    if fl is None:
                        fl = flats[R] = _Flat(R, piv, [])
                    by_pair[pair] = fl
                fl.ridges.append((ci, fa, fb))
    tiled = zero_test == "tiling" and partition.check().tiling  # cached report; see the module docstring
    out: list[AngleDefect] = []
    for fl in flats.values():
        out.extend(_defects_on_flat(fl, polys, boxes, residues, D, n, tiled))
    out.sort(key=lambda d: d.piece_vertices)
    return tuple(out)


def _defects_on_flat(
    fl: _Flat,
    polys: Sequence[Polytope],
    boxes: _BoxIndex,
    residues: _FacetResidues,
    D: Polytope,
    n: int,
    tiled: bool = False,
) -> list[AngleDefect]:
    R, piv = fl.R, fl.piv
    E = [row[:n] for row in R]
    f = [row[n] for row in R]
    k = n - 2
    free = [j for j in range(n) if j not in set(piv)]
    # ridge-type members
    members: dict[int, tuple[tuple[int, ...], Angle, tuple[Vec, ...]]] = {}
    for ci, fa, fb in fl.ridges:
        P = polys[ci]
        vids = sorted(set(P.facet_vertices(fa)) & set(P.facet_vertices(fb)))
        members[ci] = ((fa, fb), P.dihedral_angle(fa, fb), tuple(P.vertices[v] for v in vids))
    lo = tuple(min(m[2][i][j] for m in members.values() for i in range(len(m[2]))) for j in range(n))
    hi = tuple(max(m[2][i][j] for m in members.values() for i in range(len(m[2]))) for j in range(n))
    box = (lo, hi)
    straight = Angle.straight()
    facet_members: dict[int, tuple[tuple[int, ...], Angle, tuple[Vec, ...]]] = {}
    # the flat as x(t) = x0 + Σ t_i d_i, in integers: x0 = X0 / e0, d_i = Di / ei
    x0 = _point_from_t(R, piv, free, (Fraction(0),) * k, n)
    X0, e0 = _scaled(x0)
    dirs = [_scaled([a - b for a, b in zip(_point_from_t(R, piv, free, tuple(Fraction(int(i == j)) for j in range(k)), n), x0)])
            for i in range(k)]
    # the cells holding a piece of the flat in one facet: their boxes meet the ridge
    # members' box and one of their facet hyperplanes contains the flat; the residue
    # filter leaves the few cells that can have such a facet, decided exactly below
    V = _flat_columns(X0, e0, [Di for Di, _ in dirs])
    seg_of: dict[int, tuple[Fraction, Fraction]] = {}  # k == 1: a facet member's interval of t
    near, sure = boxes.masks(box)
    for ci in residues.candidates(near, X0, e0, [Di for Di, _ in dirs]):
        if ci in members or not (sure[ci] or _boxes_meet(box, boxes.boxes[ci])):
            continue
        vals = residues.values(ci, V)  # per facet: β, −od·(a·D_1), …, −od·(a·D_k)
        hits = []
        rows = []  # k == 1: (od·a·D, β, 1) per facet, for the interval of t (see _segment)
        for i in range(0, len(vals), k + 1):
            beta = vals[i]
            if beta == 0 and not any(vals[i + 1 : i + k + 1]):
                hits.append(i // (k + 1))
            elif k == 1:
                rows.append((-vals[i + 1], beta, 1))
        if len(hits) != 1:
            continue  # 0: L crosses or misses the cell; 2 would be a ridge (already found)
        if k == 1:
            seg = _segment(rows, e0, dirs[0][1])
            if seg is not None:
                seg_of[ci] = seg
                facet_members[ci] = ((hits[0],), straight, ())  # its vertices: the ends of seg
            continue
        P = polys[ci]
        A, b, _, _ = P._hrep_rows()
        Q = Polytope._from_h(n, A, b, E, f)
        if Q.dim == k:
            facet_members[ci] = ((hits[0],), straight, Q.vertices)
    allm = {**members, **facet_members}
    ridge_ids = set(members)
    # (configuration, the piece or its distinct vertices, a relative-interior point or it scaled)
    pieces: list[tuple[frozenset[int], Polytope | tuple[Vec, ...], Any]] = []
    if k == 0:
        pt = _point_from_t(R, piv, free, (), n)
        pieces.append((frozenset(allm), (pt,), pt))
    elif k == 1:
        # x(t) has x[j] = t (j the free coordinate): a ridge member spans the t of its
        # ridge's vertices, a facet member its segment
        j = free[0]
        span = {ci: (min(v[j] for v in m[2]), max(v[j] for v in m[2])) for ci, m in members.items()}
        span.update(seg_of)
        groups = _line_groups(span, ridge_ids)
        for conf, ta, tb in groups:
            pa = _on_line(X0, e0, dirs[0], ta)
            pb = _on_line(X0, e0, dirs[0], tb)
            pieces.append((conf, (pa, pb), _on_line_scaled(X0, e0, dirs[0], (ta + tb) / 2)))
    else:
        pieces.extend(_pieces_by_arrangement(R, piv, free, allm, ridge_ids, n))
    out = []
    for conf, piece, mid in pieces:
        if not _strictly_inside(D, mid):
            continue
        angs = tuple(CellAngle(ci, allm[ci][1], allm[ci][0]) for ci in sorted(conf))
        if isinstance(piece, Polytope):
            out.append(AngleDefect(piece, angs, tiling=tiled))
        else:
            out.append(AngleDefect._of_points(piece, angs, tiled))
    return out


def defect_table(defects: Iterable[AngleDefect], digits: int = 12) -> list[dict[str, Any]]:
    """One row per defect: piece vertices, cells, kinds, exact zero test, ``κ/π`` when
    known and a float view of ``κ`` (radians, from a certified enclosure).

    >>> from exactgeom import arrangement
    >>> rows = defect_table(angle_defects(arrangement([[1, 1]], [0], [(-1, 1), (-1, 1)])))
    >>> rows                                    # a single line has no interior ridge
    []
    """
    rows = []
    for d in defects:
        zero = d.is_zero()
        rows.append(
            {
                "piece": [tuple(str(x) for x in v) for v in d.piece.vertices],
                "cells": list(d.cells),
                "kinds": [a.kind for a in d.angles],
                "is_zero": zero,
                "pi_multiple": d.pi_multiple(),
                "radians_float": 0.0 if zero else float(d.radians(digits).mid),
            }
        )
    return rows
