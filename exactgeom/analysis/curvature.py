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

from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from itertools import pairwise
from typing import Any

from ..errors import InvalidInputError
from ..linalg import rational as la
from ..numbers._compat import now_method
from ..numbers.angle import Angle
from ..numbers.ball import Enclosure
from ..numbers.rational import as_rational, float_above, float_below
from ..numbers.surdsum import SurdSum
from ..partitions.partition import Partition
from ..polytope.polytope import Polytope
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


# ---------------------------------------------------------------------- geometry
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


def _bbox(P: Polytope) -> tuple[Vec, Vec]:
    V = P.vertices
    n = P.ambient_dim
    return (tuple(min(v[j] for v in V) for j in range(n)), tuple(max(v[j] for v in V) for j in range(n)))


def _boxes_meet(a: tuple[Vec, Vec], b: tuple[Vec, Vec]) -> bool:
    return all(lo1 <= hi2 and lo2 <= hi1 for lo1, hi1, lo2, hi2 in zip(a[0], a[1], b[0], b[1]))


class _BoxIndex:
    """The cells' exact bounding boxes with float copies rounded both ways: a vectorised
    float test discards boxes that certainly miss a query box (the outward-rounded boxes
    enclose the exact ones, so nothing that meets is discarded) and accepts those that
    certainly meet it (the inward-rounded boxes lie inside the exact ones: if they meet,
    the exact boxes do); only the remaining ones are decided by the exact test."""

    def __init__(self, boxes: Sequence[tuple[Vec, Vec]]) -> None:
        import numpy as np

        self.boxes = boxes
        n = len(boxes[0][0]) if boxes else 0
        # one contiguous array per coordinate (shape (n, cells)): the tests below are
        # elementwise on long rows, without a reduction along a short axis
        self.lo = np.array([[float_below(b[0][j]) for b in boxes] for j in range(n)], dtype=float)
        self.hi = np.array([[float_above(b[1][j]) for b in boxes] for j in range(n)], dtype=float)
        self.lo_in = np.array([[float_above(b[0][j]) for b in boxes] for j in range(n)], dtype=float)
        self.hi_in = np.array([[float_below(b[1][j]) for b in boxes] for j in range(n)], dtype=float)

    def masks(self, box: tuple[Vec, Vec]) -> tuple[Any, Any]:
        """Boolean arrays over the cells: ``near`` (the box may meet the query box: a
        superset of those that do) and ``sure`` (it certainly does); a cell in ``near``
        but not in ``sure`` is decided by :func:`_boxes_meet`."""
        near = sure = None
        for j, (a, b) in enumerate(zip(box[0], box[1])):
            nj = (self.lo[j] <= float_above(b)) & (self.hi[j] >= float_below(a))
            sj = (self.lo_in[j] <= float_below(b)) & (self.hi_in[j] >= float_above(a))
            near = nj if near is None else near & nj
            sure = sj if sure is None else sure & sj
        return near, sure


#: The prime of :class:`_FacetResidues` (2^31 − 1: a product of two residues fits in int64).
_PRIME = 2**31 - 1


class _FacetResidues:
    """Every facet row ``a·x <= on/od`` of every cell, reduced modulo the prime
    :data:`_PRIME`, for a sound integer filter: the hyperplane of a row contains the flat
    ``x0 + span(d_i)`` (``x0 = X0/e0``, ``d_i`` integer vectors) iff
    ``β = on·e0 − od·(a·X0) = 0`` and ``a·d_i = 0`` for all ``i``, exactly. A row whose
    residues are not all 0 certainly fails; the few rows whose residues are 0 are then
    decided in exact integers (so nothing rests on the modulus; it only skips work)."""

    def __init__(self, polys: Sequence[Polytope], n: int) -> None:
        import numpy as np

        p = _PRIME
        cells: list[int] = []
        a_rows: list[list[int]] = []
        oda_rows: list[list[int]] = []
        on_rows: list[int] = []
        for ci, P in enumerate(polys):
            for h in P.facets:
                od = h.offset.denominator
                cells.append(ci)
                a_rows.append([x % p for x in h.normal])
                oda_rows.append([(od * x) % p for x in h.normal])
                on_rows.append(h.offset.numerator % p)
        self.polys = polys
        self.exact: dict[int, Any] = {}
        self.cell = np.array(cells, dtype=np.int64)
        shape = (len(cells), n)
        self.a = np.array(a_rows, dtype=np.int64).reshape(shape)
        self.oda = np.array(oda_rows, dtype=np.int64).reshape(shape)
        self.on = np.array(on_rows, dtype=np.int64)

    def candidates(self, near: Any, X0: Sequence[int], e0: int, dirs: Sequence[Sequence[int]]) -> list[int]:
        """The cells among ``near`` (a boolean array over the cells) with a row whose
        residues all vanish (a superset of the cells with a facet hyperplane containing
        the flat), ascending."""
        import numpy as np

        p = _PRIME
        idx = np.flatnonzero(near[self.cell])
        if not len(idx):
            return []
        a, oda = self.a[idx], self.oda[idx]
        acc = (self.on[idx] * (e0 % p)) % p  # β = on·e0 − Σ_j od·a_j·X0_j
        for j, x in enumerate(X0):
            acc = (acc - (oda[:, j] * (x % p)) % p) % p
        ok = acc == 0
        for D in dirs:
            acc = np.zeros(len(idx), dtype=np.int64)
            for j, x in enumerate(D):
                acc = (acc + (a[:, j] * (x % p)) % p) % p
            ok &= acc == 0
        return sorted({int(c) for c in self.cell[idx[ok]]})

    def values(self, ci: int, V: Any) -> list[Any]:
        """Exactly, for every facet row of cell ``ci`` (in order): the row
        ``[on, −od·a]`` times the columns of ``V`` (an ``fmpz_mat`` with ``n + 1``
        rows), flattened row by row: with ``V = [[e0, 0, …], [X0, D_1, …]]`` this is
        ``β = on·e0 − od·(a·X0)`` and ``−od·(a·D_i)`` per facet (flint integers)."""
        M = self.exact.get(ci)
        if M is None:
            from flint import fmpz_mat

            fs = self.polys[ci].facets
            rows: list[int] = []
            for h in fs:
                od = h.offset.denominator
                rows.append(h.offset.numerator)
                rows.extend(-od * x for x in h.normal)
            M = self.exact[ci] = fmpz_mat(len(fs), V.nrows(), rows)
        return (M * V).entries()  # type: ignore[no-any-return]


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


def _flat_columns(X0: Sequence[int], e0: int, dirs: Sequence[Sequence[int]]) -> Any:
    """The ``fmpz_mat`` with columns ``[e0, X0]`` and ``[0, D_i]`` (see
    :meth:`_FacetResidues.values`)."""
    from flint import fmpz_mat

    cols = [[e0, *X0]] + [[0, *D] for D in dirs]
    return fmpz_mat(len(cols[0]), len(cols), [c[r] for r in range(len(cols[0])) for c in cols])


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
