"""The V-data of a :class:`~exactgeom.Polytope`, computed on demand for the LP engine.

The vertex engine stores the generators (``_points``, ``_rays``, ``_lines``) and the
facet-vertex incidences (``_facet_masks``) at construction. The LP engine (H-first, see
:mod:`.hfirst`) knows only the canonical H-data; the functions here are what the
polytope's cached properties call to get the rest when it is first asked for:

* :func:`vdata`: the generators and incidences from one cddlib conversion of the
  irredundant rows, refused (:class:`~exactgeom.errors.LimitExceededError`) when
  McMullen's bound on the vertex count is above the caller's limit;
* :func:`vertex_estimate`: that bound (the exact count when the vertices are known);
* :func:`is_bounded`: from the rays when known, else by exact LPs;
* :func:`relative_interior_point`: the LP engine's certified interior point, else the
  mean of the generators.

They live apart from :mod:`.polytope` so that the class reads as the value's interface;
the vertex limit itself (:data:`~exactgeom.polytope.polytope.MAX_VERTEX_ESTIMATE`) stays
there, where users raise it.

>>> from exactgeom import Polytope
>>> P = Polytope.from_hrep([[1, 0, 0], [0, 1, 0], [0, 0, 1], [-1, -1, -1]], [1, 1, 1, 0], engine="lp")
>>> P.engine, "_points" in P.__dict__, vertex_estimate(P), is_bounded(P)
('lp', False, 4, True)
>>> vdata(P, 4)["_points"][0], relative_interior_point(P) == P.relative_interior_point()
((Fraction(-2, 1), Fraction(1, 1), Fraction(1, 1)), True)
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any

from ..errors import DegenerateError, LimitExceededError
from . import hfirst
from .backends import cdd as cddb
from .hrep import hrep_rows

if TYPE_CHECKING:  # pragma: no cover
    from .polytope import Polytope

__all__ = ["vdata", "vertex_estimate", "is_bounded", "relative_interior_point"]

Vec = tuple[Fraction, ...]


def is_bounded(P: Polytope) -> bool:
    """Whether ``P`` is bounded (no rays, no lines), cached on ``P``."""
    d = P.__dict__
    got = d.get("_bounded")
    if got is None:
        if "_points" in d or P._dim < 0:
            got = not P._rays and not P._lines
        else:
            got = hfirst.is_bounded(P)
        d["_bounded"] = got
    return got


def vdata(P: Polytope, limit: int | None) -> dict[str, Any]:
    """Enumerate the generators from the canonical facets (one cddlib conversion of
    the irredundant rows) and store them; refuse beyond the vertex limit ``limit``
    (``None``: no limit). Returns ``P.__dict__``."""
    d = P.__dict__
    if "_points" in d and "_facet_masks" in d:
        return d
    if P._dim < 0:
        d.update(_points=(), _rays=(), _lines=(), _facet_masks=())
        return d
    est = P.vertex_estimate()
    if limit is not None and est > limit:
        raise LimitExceededError(
            f"this polytope (dimension {P._dim} in R^{P._n}, {len(P._facets)} facets) may have up to "
            f"{est:.3g} vertices (McMullen's upper bound), above the limit {limit}; enumerating them could take "
            "hours. Use the quantities that need no vertices (facets, equalities, contains, "
            "relative_interior_point(), facet_witness, facets_adjacent, dihedral_angle, chebyshev_ball) and the "
            "data measure (measure='data') instead of volumes, or raise the limit with "
            "P.compute_vertices(max_vertices=...) / exactgeom.polytope.polytope.MAX_VERTEX_ESTIMATE"
        )
    A, b, E, f = hrep_rows(P._facets, P._eqs)
    rep = cddb.h_to_v(A, b, E, f, P._n)
    d.update(
        _points=rep.points, _rays=rep.rays, _lines=rep.lines, _facet_masks=tuple(rep.incidence[: len(P._facets)])
    )
    return d


def vertex_estimate(P: Polytope) -> int:
    """The exact vertex count when known, else McMullen's upper bound for
    ``n_facets`` facets in dimension ``dim`` (one facet more for unbounded polyhedra)."""
    if "_points" in P.__dict__:
        return len(P._points)
    if P._dim < 0:
        return 0
    extra = 0 if P.is_bounded else 1
    return hfirst.vertex_bound(len(P._facets) + extra, P._dim)


def relative_interior_point(P: Polytope) -> Vec:
    """The LP engine's interior point when there is one, else the mean of the vertices
    (plus the mean of the rays for unbounded polyhedra)."""
    if P.is_empty:
        raise DegenerateError("the empty polytope has no interior point")
    z: Vec | None = P.__dict__.get("_interior")
    if z is not None:
        return z
    k = len(P._points)
    p = [sum((v[j] for v in P._points), Fraction(0)) / k for j in range(P._n)]
    if P._rays:
        for j in range(P._n):
            p[j] += sum((r[j] for r in P._rays), Fraction(0)) / len(P._rays)
    return tuple(p)
