"""H-representations in and out of a :class:`~exactgeom.Polytope`.

* **In**: :func:`hrep_input`, :func:`vrep_input` and :func:`box_rows` check user input
  (exact rationals only, consistent shapes) and return exact rows; they back
  :meth:`Polytope.from_hrep <exactgeom.Polytope.from_hrep>`,
  :meth:`~exactgeom.Polytope.from_vrep` and :meth:`~exactgeom.Polytope.box`.
* **Out**: :func:`canonical_form` turns the rows ``A x <= b, E x = f`` together with
  cddlib's double description of the same set into the canonical data a polytope
  stores: the affine hull's equations as a reduced echelon basis of primitive integer
  :class:`Hyperplane` rows, and the facets as irredundant :class:`Halfspace` rows (in
  input-row order, primitive integer normals lying in the direction space of the affine
  hull, so that normals, areas and angles are intrinsic even for lower-dimensional
  polytopes), each with its vertex bitmask.

>>> n, A, b = box_rows([(0, 1), (0, 2)], None)
>>> n, len(A), b
(2, 4, [Fraction(0, 1), Fraction(1, 1), Fraction(0, 1), Fraction(2, 1)])
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..errors import InvalidInputError
from ..linalg import rational as la
from ..numbers.rational import (
    PolicyLike,
    as_dimension,
    as_rational,
    as_rational_matrix,
    as_rational_vector,
    short_str,
)
from .backends import cdd as cddb
from .faces import bits, maximal_sets

__all__ = ["Halfspace", "Hyperplane", "hrep_input", "vrep_input", "box_rows", "sorted_vrep", "canonical_form"]

Vec = tuple[Fraction, ...]


@dataclass(frozen=True)
class Halfspace:
    """``normal · x <= offset`` with a primitive integer ``normal``."""

    normal: tuple[int, ...]
    offset: Fraction

    def slack(self, x: Sequence[Fraction]) -> Fraction:
        """``offset − normal·x`` (≥ 0 inside)."""
        return self.offset - sum((a * xi for a, xi in zip(self.normal, x)), Fraction(0))

    def squared_norm(self) -> int:
        return sum(a * a for a in self.normal)

    def __str__(self) -> str:
        return f"{list(self.normal)}·x <= {self.offset}"


@dataclass(frozen=True)
class Hyperplane:
    """``normal · x = offset`` with a primitive integer ``normal``."""

    normal: tuple[int, ...]
    offset: Fraction

    def __str__(self) -> str:
        return f"{list(self.normal)}·x = {self.offset}"


def dot(a: Sequence[Any], x: Sequence[Any]) -> Any:
    """``Σ a_i x_i`` as a Fraction (exact)."""
    return sum((ai * xi for ai, xi in zip(a, x)), Fraction(0))


# ---------------------------------------------------------------------- input

def hrep_rows(
    facets: Sequence[Halfspace], eqs: Sequence[Hyperplane]
) -> tuple[list[Vec], list[Fraction], list[Vec], list[Fraction]]:
    """The rows ``A, b, E, f`` (Fractions) of canonical facets and equations."""
    A = [tuple(Fraction(x) for x in h.normal) for h in facets]
    b = [h.offset for h in facets]
    E = [tuple(Fraction(x) for x in h.normal) for h in eqs]
    f = [h.offset for h in eqs]
    return A, b, E, f


def contains(facets: Sequence[Halfspace], eqs: Sequence[Hyperplane], xv: Sequence[Fraction], strict: bool) -> bool:
    """Whether the rational point ``xv`` satisfies the equations ``eqs`` and the facet
    inequalities (``strict``: strictly), in integer arithmetic; backs
    :meth:`Polytope.contains <exactgeom.Polytope.contains>`."""
    # in integers: x = X / D over one common denominator, and the normals are
    # primitive integer vectors, so a·x <= p/q  <=>  q (a·X) <= p D (no Fraction sums)
    D = math.lcm(*(v.denominator for v in xv)) if xv else 1
    X = [v.numerator * (D // v.denominator) for v in xv]
    for h in eqs:
        off = Fraction(h.offset)
        if sum(a * xi for a, xi in zip(h.normal, X) if a) * off.denominator != off.numerator * D:
            return False
    for f in facets:
        off = Fraction(f.offset)
        lhs = sum(a * xi for a, xi in zip(f.normal, X) if a) * off.denominator
        rhs = off.numerator * D
        if lhs > rhs or (strict and lhs == rhs):
            return False
    return True


def hrep_input(
    A: Any, b: Any, eq: tuple[Any, Any] | None, ambient_dim: int | None, policy: PolicyLike | None
) -> tuple[int, tuple[Vec, ...], tuple[Fraction, ...], tuple[Vec, ...], tuple[Fraction, ...]]:
    """Checked exact rows ``(n, A, b, E, f)`` for :meth:`exactgeom.Polytope.from_hrep`.

    Raises :class:`InvalidInputError` for mismatched lengths or widths, a malformed
    ``eq``, no rows without ``ambient_dim``, and (without ``policy``) floats.
    """
    Am = as_rational_matrix(A, policy, name="A")
    bv = as_rational_vector(b, policy, name="b")
    if len(bv) != len(Am):
        raise InvalidInputError(
            f"b has length {len(bv)} but A has {len(Am)} rows; give one right-hand side per row of A"
        )
    Em: tuple[Vec, ...] = ()
    fv: tuple[Fraction, ...] = ()
    if eq is not None:
        if not (isinstance(eq, (tuple, list)) and len(eq) == 2):
            raise InvalidInputError("eq must be a pair (E, f) meaning E x = f")
        Em = as_rational_matrix(eq[0], policy, name="E")
        fv = as_rational_vector(eq[1], policy, name="f")
        if len(fv) != len(Em):
            raise InvalidInputError(f"f has length {len(fv)} but E has {len(Em)} rows")
    widths = {len(r) for r in Am} | {len(r) for r in Em}
    if ambient_dim is not None:
        widths.add(as_dimension(ambient_dim, name="ambient_dim"))
    if len(widths) > 1:
        raise InvalidInputError(f"dimension mismatch: rows of A/E and ambient_dim give widths {sorted(widths)}")
    if not widths:
        raise InvalidInputError("no rows given: pass ambient_dim=n for the whole space R^n")
    n = widths.pop()
    if n == 0:
        raise InvalidInputError("the ambient dimension must be at least 1 (rows have no columns)")
    return n, Am, bv, Em, fv


def vrep_input(points: Any, rays: Any, policy: PolicyLike | None) -> tuple[int, tuple[Vec, ...], tuple[Vec, ...]]:
    """Checked exact generators ``(n, points, rays)`` for :meth:`exactgeom.Polytope.from_vrep`."""
    P = as_rational_matrix(points, policy, name="points")
    R = as_rational_matrix(rays, policy, name="rays")
    if not P:
        raise InvalidInputError("from_vrep needs at least one point; for the empty set use Polytope.empty(n)")
    n = len(P[0])
    if R and len(R[0]) != n:
        raise InvalidInputError(f"rays have {len(R[0])} coordinates but points have {n}")
    if n == 0:
        raise InvalidInputError("points must have at least one coordinate")
    return n, P, R


def box_rows(bounds: Iterable[tuple[Any, Any]], policy: PolicyLike | None) -> tuple[int, list[Vec], list[Fraction]]:
    """Checked rows ``(n, A, b)`` of the box ``∏ [lo_i, hi_i]``: ``−x_i <= −lo_i`` and
    ``x_i <= hi_i`` for each ``i``, in that order."""
    try:
        bl = [tuple(p) for p in bounds]
    except TypeError:  # not iterable, or an entry that is not a pair
        raise InvalidInputError(
            f"a box is a list of (lo, hi) pairs, one per coordinate, e.g. [(0, 1), (-1, 1)]; got {short_str(bounds)}"
        ) from None
    if not bl:
        raise InvalidInputError("a box needs at least one (lo, hi) pair")
    n = len(bl)
    A: list[Vec] = []
    b: list[Fraction] = []
    for i, pair in enumerate(bl):
        if len(pair) != 2:
            raise InvalidInputError(f"box bound {i} must be a pair (lo, hi), got {short_str(pair)}")
        lo = as_rational(pair[0], policy, name=f"lo[{i}]")
        hi = as_rational(pair[1], policy, name=f"hi[{i}]")
        if lo > hi:
            raise InvalidInputError(f"box bound {i}: lo = {short_str(lo)} > hi = {short_str(hi)}")
        e = tuple(Fraction(int(j == i)) for j in range(n))
        A.append(tuple(-x for x in e))
        b.append(-lo)
        A.append(e)
        b.append(hi)
    return n, A, b


def sorted_vrep(points: Sequence[Vec], incidence: Sequence[int]) -> cddb.VRep:
    """A bounded double description with the points in canonical (lexicographic) order
    and each incidence bitmask renumbered to match."""
    order = sorted(range(len(points)), key=points.__getitem__)
    pos = {old: new for new, old in enumerate(order)}
    inc = []
    for m in incidence:
        r = 0
        for old in bits(m):
            r |= 1 << pos[old]
        inc.append(r)
    return cddb.VRep(tuple(points[i] for i in order), (), (), tuple(inc))


# ---------------------------------------------------------------------- canonical form
def canonical_form(
    n: int, A: Sequence[Vec], b: Sequence[Fraction], E: Sequence[Vec], f: Sequence[Fraction], rep: cddb.VRep
) -> dict[str, Any]:
    """The canonical fields of the polyhedron ``{A x <= b, E x = f}`` in ``R^n`` whose
    double description is ``rep`` (row ``k`` of ``A`` tight exactly at the generators
    in ``rep.incidence[k]``), keyed by :class:`~exactgeom.Polytope` attribute name:
    ``_points``, ``_rays``, ``_lines``, ``_dim``, ``_eqs``, ``_facets``,
    ``_facet_masks`` and ``_facet_rows``.

    >>> from exactgeom.polytope.backends.cdd import h_to_v
    >>> A, b = [(Fraction(1),), (Fraction(-1),), (Fraction(1),)], [Fraction(1), Fraction(0), Fraction(5)]
    >>> c = canonical_form(1, A, b, (), (), h_to_v(A, b, (), (), 1))
    >>> c["_dim"], [str(h) for h in c["_facets"]], c["_facet_rows"]
    (1, ['[1]·x <= 1', '[-1]·x <= 0'], (0, 1))
    """
    n_gen = len(rep.points) + len(rep.rays) + len(rep.lines)
    out: dict[str, Any] = {"_points": rep.points, "_rays": rep.rays, "_lines": rep.lines}
    full = (1 << n_gen) - 1
    points_mask = (1 << len(rep.points)) - 1
    if not rep.points:
        out.update(_dim=-1, _eqs=(), _facets=(), _facet_masks=(), _facet_rows=())
        return out
    p0 = rep.points[0]
    # The affine hull is cut out by the implicit equalities: the given equations and
    # the inequality rows tight at every generator (incidence == all generators).
    # Its canonical basis is the reduced echelon form of those rows, which depends
    # only on the hull (no rank computation over all vertices needed).
    m = len(A)
    eqs = canonical_equations([A[k] for k in range(m) if rep.incidence[k] == full] + list(E), n, p0)
    # facets: inequality rows whose tight set is proper and inclusion-maximal. A row tight
    # at no point is no facet: every face contains a point of a minimal face (this drops
    # rows like 0·x <= 1, which are tight at every ray and line but at no point).
    cand: dict[int, int] = {}
    for k in range(m):
        s = rep.incidence[k]
        if s != full and s & points_mask and s not in cand:
            cand[s] = k
    keep = set(maximal_sets(set(cand)))
    rows = sorted((cand[s], s) for s in keep)
    facets, masks, origin = [], [], []
    for k, s in rows:
        a = A[k]
        bk = b[k]
        if eqs:
            a, bk = _project_normal(eqs, n, a, bk, p0)
        w, scale = la.primitive_integer_vector(a)
        facets.append(Halfspace(w, bk if scale == 1 else bk * scale))
        masks.append(s)
        origin.append(k)
    out.update(
        _dim=n - len(eqs), _eqs=tuple(eqs), _facets=tuple(facets), _facet_masks=tuple(masks), _facet_rows=tuple(origin)
    )
    return out


def canonical_equations(eq_rows: Sequence[Sequence[Fraction]], n: int, p0: Sequence[Fraction]) -> list[Hyperplane]:
    """The canonical basis of the affine space ``{eq_rows · x = eq_rows · p0}``: the
    reduced echelon form of the rows, each scaled to a primitive integer row."""
    eqs: list[Hyperplane] = []
    if len(eq_rows) == 1:  # one row (a facet's hull): its echelon form is the row over its pivot
        if any(eq_rows[0]):
            w, _ = la.primitive_integer_vector(eq_rows[0])  # same direction, scale > 0
            if next(x for x in w if x) < 0:  # the pivot (first nonzero entry) made positive
                w = tuple(-x for x in w)
            eqs.append(Hyperplane(w, dot(w, p0)))
    elif eq_rows:
        R, _ = la.rref(eq_rows, n)
        for row in R:
            w, _ = la.primitive_integer_vector(row)
            eqs.append(Hyperplane(w, dot(w, p0)))
    return eqs


def _project_normal(eqs: Sequence[Hyperplane], n: int, a: Vec, b: Fraction, p0: Vec) -> tuple[Vec, Fraction]:
    """Project ``a`` onto the direction space of the affine hull ``{E x = f}`` and adjust
    ``b`` so the inequality is unchanged on the affine hull."""
    # orthogonal projection onto span(E)^⊥: a - Eᵀ (E Eᵀ)^{-1} E a
    if len(eqs) == 1:
        # one equation e·x = f (the common case: facets of full-dimensional cells):
        # a - (e·a / e·e) e, returned times the positive integer e·e (the caller keeps
        # only the primitive direction and the offset scaled alike, so the result is
        # the same) — no Fraction on integer rows
        e, f = eqs[0].normal, eqs[0].offset
        ee = sum(x * x for x in e)
        ea = sum(x * y for x, y in zip(e, a) if x)
        if ea == 0:
            return a, b if type(b) is Fraction else Fraction(b)
        return tuple(ee * x - ea * y for x, y in zip(a, e)), ee * b - ea * f
    E = [tuple(Fraction(x) for x in h.normal) for h in eqs]
    G = [[dot(e1, e2) for e2 in E] for e1 in E]
    coef = la.solve(G, [dot(e, a) for e in E])
    corr = [sum((c * e[j] for c, e in zip(coef, E)), Fraction(0)) for j in range(n)]
    ap = tuple(x - y for x, y in zip(a, corr))
    return ap, b - dot(corr, p0)
