"""Internal: exact facet adjacency of a list of cells without a cddlib call per pair.

Same output as :func:`exactgeom.partitions.partition.find_adjacency` (pairs of
full-dimensional polytopes meeting in an (n−1)-face, with that face) for cells with
pairwise disjoint interiors (the cells of a partition), found faster:

1. facets are grouped by their hyperplane (primitive normal, canonical orientation);
   only cells on opposite sides of one hyperplane can share a face on it;
2. two facets on opposite sides with the same vertex set are the shared face (the
   face-to-face case: arrangements, argmax, Voronoi, ReLU networks in general position);
   for cells with pairwise disjoint interiors no third cell can share a piece of either
   facet, so both leave the pool. Vertices are compared as integer keys (numerators and
   denominators), and the face is handed to :class:`~exactgeom.Polytope` with its
   vertices already sorted and its incidences restricted from the cell's
   (:func:`facet_polytope`, no conversion) when first used; its volume is the cell's
   facet volume (no face polytope needed);
3. among the remaining facets (T-junctions: trees, refinements), a pair is skipped
   when the bounding boxes of the two facets overlap in at most a point along a
   coordinate that varies on the hyperplane (an (n−1)-dimensional common part would
   have an interval there);
4. the survivors are decided exactly by clipping facet ``F_a`` of cell ``a`` with the
   half-spaces of cell ``b`` (vertex cutting, :mod:`._vcell`): a clip leaves the
   relative dimension unchanged or reports that the common part is lower-dimensional.

>>> from exactgeom import Polytope
>>> L, R = Polytope.box([(0, 1), (0, 1)]), Polytope.box([(1, 2), (0, 1)])
>>> [(f.i, f.j, f.normal, f.offset) for f in find_adjacency_fast([L, R])]
[(0, 1, (1, 0), Fraction(1, 1))]
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from fractions import Fraction
from functools import cached_property
from typing import Any

from ..numbers.surd import Surd
from ..polytope.polytope import Polytope
from ._vcell import VCell, to_polytope
from .partition import SharedFace

__all__ = ["find_adjacency_fast", "facet_polytope", "plane_key"]

PlaneKey = tuple[tuple[int, ...], int, int]


def plane_key(normal: Sequence[int], offset: Fraction) -> tuple[PlaneKey, int]:
    """``((w, p, q), s)``: the hyperplane ``normal·x = offset`` with its primitive normal
    oriented so that the first nonzero entry is positive (``w = s·normal``, offset
    ``p/q``), integers only, and the orientation ``s = ±1`` of the given normal."""
    s = 1 if next(x for x in normal if x != 0) > 0 else -1
    off = offset if s == 1 else -offset
    return (tuple(normal) if s == 1 else tuple(-x for x in normal), off.numerator, off.denominator), s


def facet_polytope(P: Polytope, i: int) -> Polytope:
    """Facet ``i`` of a full-dimensional bounded polytope as an (n−1)-dimensional
    :class:`Polytope` (rows: ``P``'s facets; vertices: the facet's, already sorted;
    incidences restricted from ``P``'s). The same value as a cddlib conversion of the
    facet, without one.

    >>> F = facet_polytope(Polytope.box([(0, 1), (0, 1)]), 0)
    >>> F.dim, F.vertices, F.equalities[0].normal
    (1, ((Fraction(0, 1), Fraction(0, 1)), (Fraction(0, 1), Fraction(1, 1))), (1, 0))
    """
    masks = P._facet_masks  # per facet, the bitmask of its vertices (Polytope's own data)
    fm = masks[i]
    fv = [v for v in range(P.n_vertices) if fm >> v & 1]
    inc = []
    for mk in masks:
        mk &= fm
        m = 0
        if mk:
            for t, v in enumerate(fv):
                if mk >> v & 1:
                    m |= 1 << t
        inc.append(m)
    V = P.vertices
    facets = P.facets
    F = Polytope._from_trusted_vrep(
        P.ambient_dim, [h.normal for h in facets], [h.offset for h in facets], tuple(V[v] for v in fv), inc, presorted=True
    )
    # the same convex set as facet i of P: its relative volume is P's memoised facet volume
    # (a memo link, dropped when pickled like every memo)
    F.__dict__["_facet_of"] = (P, i)
    return F


class _FacetFace(SharedFace):
    """A :class:`~.partition.SharedFace` that is the whole facet ``fi`` of the cell
    polytope ``P`` (face to face): its face polytope is built by :func:`facet_polytope`
    on first use and its volume is ``P``'s memoised facet volume, which needs no face
    polytope; pickles as a plain :class:`~.partition.SharedFace`."""

    @cached_property
    def face(self) -> Polytope:  # type: ignore[override]
        return facet_polytope(*self._src)

    @cached_property
    def _volume(self) -> Surd:
        P, fi = self._src
        return P.facet_volume(fi)

    def __reduce__(self) -> tuple:
        return (SharedFace, (self.i, self.j, self.normal, self.offset, self.face))


def _facet_face(i: int, j: int, normal: tuple[int, ...], offset: Fraction, P: Polytope, fi: int) -> _FacetFace:
    f = object.__new__(_FacetFace)
    f.__dict__.update(i=i, j=j, normal=normal, offset=offset, _src=(P, fi))
    return f


def _facet_cell(C: VCell, i: int) -> VCell:
    """Facet ``i`` of cell ``C`` as a (lower-dimensional) cell with the rows of ``C``."""
    keep = [k for k in range(len(C.H)) if C.masks[k] >> i & 1]
    return VCell(C.n, C.A, C.b, [C.H[k] for k in keep], [C.masks[k] for k in keep])


def find_adjacency_fast(
    polys: Sequence[Polytope], faces: Mapping[tuple[int, int], Polytope] | None = None
) -> list[SharedFace]:
    """All pairs ``i < j`` of full-dimensional polytopes with pairwise disjoint
    interiors (the cells of a partition) meeting in an (n−1)-face, sorted, with the
    shared face (normal oriented from ``i`` to ``j``).

    ``faces``, if given, maps ``(cell, facet)`` to :func:`facet_polytope` of it, built
    beforehand (e.g. in worker processes); missing entries are built here.
    """
    if not polys:
        return []
    n = polys[0].ambient_dim
    faces = faces or {}
    vid: dict[tuple[int, ...], int] = {}
    ids: list[list[int]] = []
    by_plane: dict[PlaneKey, list[tuple[int, int, int]]] = {}
    for ci, P in enumerate(polys):
        ids.append([vid.setdefault(tuple(x for f in v for x in (f.numerator, f.denominator)), len(vid)) for v in P.vertices])
        for fi, h in enumerate(P.facets):
            key, s = plane_key(h.normal, h.offset)
            by_plane.setdefault(key, []).append((ci, fi, s))
    out: list[SharedFace] = []
    fbox: dict[tuple[int, int], tuple[tuple[Fraction, ...], tuple[Fraction, ...]]] = {}
    cells: dict[int, VCell] = {}

    def box(ci: int, fi: int) -> tuple[tuple[Fraction, ...], tuple[Fraction, ...]]:
        got = fbox.get((ci, fi))
        if got is None:
            P = polys[ci]
            V = [P.vertices[v] for v in P.facet_vertices(fi)]
            got = (tuple(min(v[k] for v in V) for k in range(n)), tuple(max(v[k] for v in V) for k in range(n)))
            fbox[(ci, fi)] = got
        return got

    def vset(ci: int, fi: int) -> tuple[int, ...]:
        own = ids[ci]
        return tuple(own[v] for v in polys[ci].facet_vertices(fi))

    def cell(ci: int) -> VCell:
        C = cells.get(ci)
        if C is None:
            C = cells[ci] = VCell.from_polytope(polys[ci])  # rows in facet order
        return C

    def add(a: int, b: int, normal: tuple[int, ...], offset: Fraction, face: Polytope | tuple[Polytope, int]) -> None:
        """``face``: the face polytope, or ``(P, fi)`` for facet ``fi`` of cell ``P`` (built on first use)."""
        if a > b:
            a, b, normal, offset = b, a, tuple(-x for x in normal), -offset
        if isinstance(face, Polytope):
            out.append(SharedFace(a, b, normal, offset, face))
        else:
            out.append(_facet_face(a, b, normal, offset, *face))

    bar = _bar(len(by_plane))
    for (normal, p, q), members in by_plane.items():
        if bar is not None:
            bar.update(1)
        pos = [(c, f) for c, f, s in members if s == 1]
        neg = [(c, f) for c, f, s in members if s == -1]
        if not pos or not neg:
            continue
        offset = Fraction(p, q)
        # face-to-face matches: identical vertex sets
        neg_by_vset: dict[tuple, tuple[int, int]] = {}
        for b, fb in neg:
            neg_by_vset.setdefault(vset(b, fb), (b, fb))
        matched_neg: set[tuple[int, int]] = set()
        rest_pos = []
        for a, fa in pos:
            hit = neg_by_vset.get(vset(a, fa))
            if hit is None:
                rest_pos.append((a, fa))
                continue
            matched_neg.add(hit)
            face = faces.get((a, fa))
            add(a, hit[0], normal, offset, face if face is not None else (polys[a], fa))
        pos = rest_pos
        neg = [bf for bf in neg if bf not in matched_neg]
        if not pos or not neg:
            continue
        varying = [k for k in range(n) if any(normal[j] != 0 for j in range(n) if j != k)]
        for a, fa in pos:  # cell a lies on the side normal·x <= offset
            lo_a, hi_a = box(a, fa)
            Fa: VCell | None = None
            for b, fb in neg:
                lo_b, hi_b = box(b, fb)
                if any(hi_a[k] <= lo_b[k] or hi_b[k] <= lo_a[k] for k in varying):
                    continue
                if Fa is None:
                    Fa = _facet_cell(cell(a), fa)
                G: VCell | None = Fa
                Cb = cell(b)
                for k, (row, rhs) in enumerate(zip(Cb.A, Cb.b)):
                    if k == fb:
                        continue
                    G = G.clip_int(row, rhs)
                    if G is None:
                        break
                if G is None:
                    continue
                add(a, b, normal, offset, to_polytope(G))
    if bar is not None:
        bar.close()
    out.sort(key=lambda f: (f.i, f.j))
    return out


def _bar(total: int) -> Any:
    """A tqdm bar over the hyperplanes (on a terminal, after a second), or None."""
    if total < 1000 or not (hasattr(sys.stderr, "isatty") and sys.stderr.isatty()):
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc="adjacency", unit="plane", delay=1.0, file=sys.stderr, leave=False)
