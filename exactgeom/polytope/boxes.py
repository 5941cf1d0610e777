"""Closed-form measures of axis-parallel boxes, stored in a polytope's measure memos.

A box ``B = ∏_j [lo_j, hi_j]`` (``lo_j < hi_j``) needs no vertices for its measures:

* volume ``∏_j (hi_j − lo_j)``, centroid ``((lo_j + hi_j)/2)_j``;
* the facet ``x_f = lo_f`` or ``x_f = hi_f`` is the box ``∏_{j≠f} [lo_j, hi_j]`` in the
  hyperplane, of (n−1)-volume ``∏_{j≠f} (hi_j − lo_j)`` (rational: an axis-parallel
  face's frame is coordinate, ``det(UᵀU) = 1``);
* any two facets on different axes ``a ≠ b`` meet in the ridge ``x_a = c_a, x_b = c_b``
  (dimension ``n − 2``, the other intervals being non-degenerate), and the interior
  angle there is π/2 (orthogonal normals, cos θ = 0); two facets on the same axis are
  parallel and never meet.

:func:`store_box_measures` writes these values into the memo dicts that
:mod:`exactgeom.polytope.measures` reads first (``_volume_any``, ``_centroid_memo``,
``_facet_volume_memo``, ``_dihedral_memo``), so :meth:`Polytope.volume`,
:meth:`~Polytope.centroid`, :meth:`~Polytope.facet_volume`,
:meth:`~Polytope.dihedral_angles` of a box cell answer without vertices; an explicit
``method=`` (``"triangulation"``, ``"lawrence"``) still runs that algorithm, which is
how the tests compare both routes. :func:`store_face_volume` does the same for the
relative volume of a lower-dimensional box (a shared face). Memos are dropped when a
polytope is pickled (they are caches), so an unpickled box takes the vertex route.

>>> from exactgeom import Polytope
>>> B = Polytope.box([(0, 2), (0, 3), (-1, 1)])
>>> store_box_measures(B, (0, 0, -1), (2, 3, 1))
>>> B.volume(), B.centroid(), [str(B.facet_volume(i)) for i in range(B.n_facets)]
(Fraction(12, 1), (Fraction(1, 1), Fraction(3, 2), Fraction(0, 1)), ['6', '6', '4', '4', '6', '6'])
>>> B.volume(method="triangulation"), B.centroid(method="triangulation") == B.centroid()
(Fraction(12, 1), True)
>>> box_bounds(Polytope.from_vrep([[0, 0], [1, 0], [0, 1]])) is None    # not a box
True
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from ..errors import InvalidInputError
from ..numbers.surd import Surd
from .measures import _normals_angle

if TYPE_CHECKING:  # pragma: no cover
    from .polytope import Polytope

__all__ = ["box_bounds", "facet_axes", "store_box_measures", "store_face_volume", "widths_product"]

Vec = tuple[Fraction, ...]


def widths_product(lo: Sequence[Fraction], hi: Sequence[Fraction], skip: int = -1) -> Fraction:
    """``∏_{j ≠ skip} (hi_j − lo_j)`` (exact; ``skip=-1``: every coordinate).

    >>> widths_product((0, 0), (2, Fraction(1, 3))), widths_product((0, 0), (2, 5), skip=0)
    (Fraction(2, 3), Fraction(5, 1))
    """
    v = Fraction(1)
    for j, (a, b) in enumerate(zip(lo, hi)):
        if j != skip:
            v *= Fraction(b) - Fraction(a)
    return v


def facet_axes(P: Polytope) -> list[tuple[int, int]] | None:
    """Per facet of ``P``, ``(axis, sign)`` of its normal ``sign·e_axis`` (read from the
    H-data, no vertices); None when a facet is not axis-parallel.

    >>> from exactgeom import Polytope
    >>> facet_axes(Polytope.box([(0, 1), (0, 1)]))
    [(0, -1), (0, 1), (1, -1), (1, 1)]
    """
    out = []
    for h in P.facets:
        nz = [(j, a) for j, a in enumerate(h.normal) if a]
        if len(nz) != 1:
            return None
        out.append((nz[0][0], 1 if nz[0][1] > 0 else -1))
    return out


def box_bounds(P: Polytope) -> tuple[Vec, Vec] | None:
    """``(lo, hi)`` when ``P`` is a full-dimensional box (every facet axis-parallel, both
    bounds present on every axis), else None; from the H-data only.

    >>> from exactgeom import Polytope
    >>> box_bounds(Polytope.box([(0, 1), (-2, "1/2")]))
    ((Fraction(0, 1), Fraction(-2, 1)), (Fraction(1, 1), Fraction(1, 2)))
    >>> box_bounds(Polytope.empty(2)) is None
    True
    """
    n = P.ambient_dim
    if P.dim != n or P.equalities:
        return None
    axes = facet_axes(P)
    if axes is None:
        return None
    lo: list[Fraction | None] = [None] * n
    hi: list[Fraction | None] = [None] * n
    for (j, s), h in zip(axes, P.facets):
        v = h.offset / h.normal[j]
        if s > 0:
            hi[j] = v
        else:
            lo[j] = v
    if any(v is None for v in lo) or any(v is None for v in hi):
        return None
    return tuple(lo), tuple(hi)  # type: ignore[arg-type]


def store_box_measures(P: Polytope, lo: Sequence[Any], hi: Sequence[Any]) -> None:
    """Store the closed-form volume, centroid, facet volumes and dihedral angles of the
    full-dimensional box ``P = ∏ [lo_j, hi_j]`` in its measure memos (see the module
    docstring); values already memoised are kept. Raises
    :class:`~exactgeom.errors.InvalidInputError` when ``P`` is not that box (checked on
    the H-data, no vertices).
    """
    lo = tuple(Fraction(x) for x in lo)
    hi = tuple(Fraction(x) for x in hi)
    got = box_bounds(P)
    if got != (lo, hi):
        raise InvalidInputError(f"store_box_measures: the polytope is not the box with bounds {lo}, {hi}")
    axes = facet_axes(P)
    assert axes is not None
    d = P.__dict__
    d.setdefault("_volume_any", widths_product(lo, hi))
    cm = d.setdefault("_centroid_memo", {})
    if not cm:
        cm["box"] = tuple((a + b) / 2 for a, b in zip(lo, hi))
    fv = d.setdefault("_facet_volume_memo", {})
    for i, (j, _) in enumerate(axes):
        fv.setdefault(i, Surd._make(widths_product(lo, hi, skip=j), 1))
    if "_dihedral_memo" not in d:
        normals = [h.normal for h in P.facets]
        d["_dihedral_memo"] = {
            (i, k): _normals_angle(normals[i], normals[k])
            for i in range(len(axes))
            for k in range(i + 1, len(axes))
            if axes[i][0] != axes[k][0]
        }


def store_face_volume(F: Polytope, volume: Fraction) -> None:
    """Store ``volume`` as the relative volume of the lower-dimensional box ``F`` (a
    shared face of two box cells), when its vertices are already known (a polytope of
    the vertex engine); an H-first face is left alone (its relative volume then needs
    vertices, as before)."""
    if "_points" in F.__dict__ and F.dim < F.ambient_dim:
        F.__dict__.setdefault("_face_volume_memo", {}).setdefault(F._all_vertices_mask, Surd._make(Fraction(volume), 1))
