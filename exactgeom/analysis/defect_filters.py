"""Sound filters that find the cells meeting a flat, for the angle defects.

:func:`~exactgeom.analysis.curvature.angle_defects` must find, for every ridge flat,
the cells holding a piece of it inside one facet (T-junctions). Testing every facet of
every cell exactly is quadratic; two filters cut the work and never decide wrongly:

* :class:`_BoxIndex`: the cells' exact bounding boxes (:func:`_bbox`) with float copies
  rounded outward and inward — a vectorised float test discards the boxes that
  certainly miss a query box and accepts those that certainly meet it; the rest are
  decided exactly (:func:`_boxes_meet`);
* :class:`_FacetResidues`: every facet row reduced modulo a prime (:data:`_PRIME`) — a
  row whose residues do not all vanish certainly does not contain the flat; the few
  that vanish are decided in exact integers (:meth:`_FacetResidues.values`, on the
  columns of :func:`_flat_columns`).

Floats and residues only skip work here; every decision is exact.

>>> from exactgeom import Polytope
>>> boxes = [_bbox(Polytope.box([(0, 1), (0, 1)])), _bbox(Polytope.box([(2, 3), (0, 1)]))]
>>> near, sure = _BoxIndex(boxes).masks(((Fraction(0), Fraction(0)), (Fraction(1), Fraction(1))))
>>> [bool(x) for x in near], [bool(x) for x in sure]
([True, False], [True, False])
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from ..numbers.rational import float_above, float_below
from ..polytope.polytope import Polytope

Vec = tuple[Fraction, ...]


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


def _flat_columns(X0: Sequence[int], e0: int, dirs: Sequence[Sequence[int]]) -> Any:
    """The ``fmpz_mat`` with columns ``[e0, X0]`` and ``[0, D_i]`` (see
    :meth:`_FacetResidues.values`)."""
    from flint import fmpz_mat

    cols = [[e0, *X0]] + [[0, *D] for D in dirs]
    return fmpz_mat(len(cols[0]), len(cols), [c[r] for r in range(len(cols[0])) for c in cols])
