"""The exact :class:`Polytope` value.

A polytope (more generally a polyhedron) ``{x : A x <= b, E x = f}`` with rational data.
It is immutable; the V-representation costs one cddlib conversion at construction and
everything derived from it (face lattice, triangulations, volumes, angles) is computed on
first use and cached.

Canonical form (what the accessors return):

* ``vertices``: sorted lexicographically (tuples of :class:`~fractions.Fraction`);
* ``facets``: the irredundant inequalities, in the order of the input rows that define
  them, each as a :class:`Halfspace` with a primitive integer normal lying in the
  direction space of the affine hull (so that normals, areas and angles are intrinsic
  even for lower-dimensional polytopes);
* ``equalities``: a canonical basis (reduced echelon form, primitive integer rows) of
  the affine hull's equations, including implicit ones.

>>> P = Polytope.from_hrep([[1, 0], [0, 1], [-1, -1]], [1, 1, 0])  # triangle
>>> P.dim, P.n_vertices, P.volume()
(2, 3, Fraction(2, 1))
>>> P.vertices
((Fraction(-1, 1), Fraction(1, 1)), (Fraction(1, 1), Fraction(-1, 1)), (Fraction(1, 1), Fraction(1, 1)))
>>> Polytope.from_hrep([[1, 0], [-1, 0]], [0, -1]).is_empty   # x <= 0 and x >= 1
True
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from math import factorial
from typing import Any, Iterable, Sequence

from ..errors import DegenerateError, InvalidInputError
from ..linalg import rational as la
from ..numbers.angle import Angle
from ..numbers.rational import PolicyLike, as_rational, as_rational_matrix, as_rational_vector
from ..numbers.sign import Sign
from ..numbers.surd import Surd
from .backends import cdd as cddb
from .faces import Face, FaceLattice, bits, maximal_sets
from .volume import fmpq_sum, lasserre_volume, lawrence_centroid, lawrence_volume

__all__ = ["Polytope", "Halfspace", "Hyperplane"]

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


def _dot(a: Sequence[Any], x: Sequence[Any]) -> Any:
    return sum((ai * xi for ai, xi in zip(a, x)), Fraction(0))


def _bit_list(mask: int) -> list[int]:
    """Indices of the set bits of ``mask`` (ascending); faster than bit tricks on long
    masks because the scan runs in C."""
    s = bin(mask)[:1:-1]
    out = []
    i = s.find("1")
    while i >= 0:
        out.append(i)
        i = s.find("1", i + 1)
    return out


class Polytope:
    """An exact convex polyhedron, usually bounded (a polytope).

    Build it with :meth:`from_hrep`, :meth:`from_vrep` or :meth:`box`; the constructor
    itself is internal.

    Examples
    --------
    >>> Q = Polytope.box([(0, 1), (0, 2), (0, "1/2")])
    >>> Q.volume(), Q.f_vector(), Q.dihedral_angle(0, 2).exact_pi_multiple()
    (Fraction(1, 1), (8, 12, 6), Fraction(1, 2))
    >>> Polytope.from_vrep([[0, 0], [1, 1]]).dim      # a segment in the plane: a value, not an error
    1
    """

    # ------------------------------------------------------------------ construction
    def __init__(
        self,
        n: int,
        A: Sequence[Vec],
        b: Sequence[Fraction],
        E: Sequence[Vec] = (),
        f: Sequence[Fraction] = (),
        *,
        _trusted: bool = False,
    ) -> None:
        if not _trusted:
            raise TypeError("use Polytope.from_hrep / from_vrep / box to build a Polytope")
        self._n = n
        rep = cddb.h_to_v(A, b, E, f, n)
        self._canonicalise(A, b, E, f, rep)

    @classmethod
    def _from_h(
        cls, n: int, A: Sequence[Vec], b: Sequence[Fraction], E: Sequence[Vec] = (), f: Sequence[Fraction] = ()
    ) -> "Polytope":
        return cls(n, A, b, E, f, _trusted=True)

    @classmethod
    def _from_trusted_vrep(
        cls,
        n: int,
        A: Sequence[Vec],
        b: Sequence[Fraction],
        points: Sequence[Vec],
        incidence: Sequence[int],
        *,
        presorted: bool = False,
    ) -> "Polytope":
        """Internal: a bounded polytope from its H-rep ``A x <= b`` together with its
        exact, complete vertex list and, per row of ``A``, the bitmask of the vertices
        (in the order given) tight at that row. No cddlib call: the caller guarantees
        the data (builders that cut cells exactly use this; their tests cross-check
        against cddlib). Vertices are re-sorted into the canonical (lexicographic)
        order here unless the caller says they already are (``presorted``)."""
        if presorted:
            obj = cls.__new__(cls)
            obj._n = n
            obj._canonicalise(A, b, (), (), cddb.VRep(tuple(points), (), (), tuple(incidence)))
            return obj
        order = sorted(range(len(points)), key=points.__getitem__)
        pos = {old: new for new, old in enumerate(order)}
        inc = []
        for m in incidence:
            r = 0
            while m:
                low = m & -m
                r |= 1 << pos[low.bit_length() - 1]
                m ^= low
            inc.append(r)
        obj = cls.__new__(cls)
        obj._n = n
        obj._canonicalise(A, b, (), (), cddb.VRep(tuple(points[i] for i in order), (), (), tuple(inc)))
        return obj

    @classmethod
    def from_hrep(
        cls,
        A: Any,
        b: Any,
        eq: tuple[Any, Any] | None = None,
        *,
        ambient_dim: int | None = None,
        policy: PolicyLike | None = None,
    ) -> "Polytope":
        """The polyhedron ``{x : A x <= b, E x = f}`` with ``eq = (E, f)``.

        Parameters
        ----------
        A, b
            m×n matrix and length-m vector of exact rationals (ints, Fractions, "p/q"
            strings, integer numpy arrays). Floats need ``policy``.
        eq
            Optional equalities ``(E, f)``.
        ambient_dim
            n, required only when there are no rows at all.
        policy
            Float-conversion policy (see :class:`exactgeom.FloatPolicy`); ``None`` refuses
            floats.

        Degenerate inputs are values: an infeasible system gives an empty polytope,
        duplicate and redundant rows are removed, implicit equalities are detected.

        >>> Polytope.from_hrep([[1], [-1], [1]], [1, 0, 5]).vertices   # 0 <= x <= 1, x <= 5
        ((Fraction(0, 1),), (Fraction(1, 1),))
        >>> Polytope.from_hrep([[1, 0]], [1, 2])
        Traceback (most recent call last):
        ...
        exactgeom.errors.InvalidInputError: b has length 2 but A has 1 rows; give one right-hand side per row of A
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
            if not isinstance(ambient_dim, int) or ambient_dim < 1:
                raise InvalidInputError(f"ambient_dim must be a positive int, got {ambient_dim!r}")
            widths.add(ambient_dim)
        if len(widths) > 1:
            raise InvalidInputError(
                f"dimension mismatch: rows of A/E and ambient_dim give widths {sorted(widths)}"
            )
        if not widths:
            raise InvalidInputError("no rows given: pass ambient_dim=n for the whole space R^n")
        n = widths.pop()
        if n == 0:
            raise InvalidInputError("the ambient dimension must be at least 1 (rows have no columns)")
        return cls._from_h(n, Am, bv, Em, fv)

    @classmethod
    def from_vrep(cls, points: Any, rays: Any = (), *, policy: PolicyLike | None = None) -> "Polytope":
        """The convex hull of ``points`` plus the cone of ``rays``.

        >>> Polytope.from_vrep([[0, 0], [1, 0], [0, 1], ["1/4", "1/4"]]).n_vertices  # interior point dropped
        3
        """
        P = as_rational_matrix(points, policy, name="points")
        R = as_rational_matrix(rays, policy, name="rays")
        if not P:
            raise InvalidInputError(
                "from_vrep needs at least one point; for the empty set use Polytope.empty(n)"
            )
        n = len(P[0])
        if R and len(R[0]) != n:
            raise InvalidInputError(f"rays have {len(R[0])} coordinates but points have {n}")
        if n == 0:
            raise InvalidInputError("points must have at least one coordinate")
        ineq, eqs = cddb.v_to_h(P, R, n)
        return cls._from_h(n, [a for a, _ in ineq], [b for _, b in ineq], [a for a, _ in eqs], [b for _, b in eqs])

    @classmethod
    def box(cls, bounds: Iterable[tuple[Any, Any]], *, policy: PolicyLike | None = None) -> "Polytope":
        """The box ``∏ [lo_i, hi_i]``.

        >>> Polytope.box([(0, 1), (-1, 1)]).volume()
        Fraction(2, 1)
        """
        bl = [tuple(p) for p in bounds]
        if not bl:
            raise InvalidInputError("a box needs at least one (lo, hi) pair")
        n = len(bl)
        A: list[Vec] = []
        b: list[Fraction] = []
        for i, pair in enumerate(bl):
            if len(pair) != 2:
                raise InvalidInputError(f"box bound {i} must be a pair (lo, hi), got {pair!r}")
            lo = as_rational(pair[0], policy, name=f"lo[{i}]")
            hi = as_rational(pair[1], policy, name=f"hi[{i}]")
            if lo > hi:
                raise InvalidInputError(f"box bound {i}: lo = {lo} > hi = {hi}")
            e = tuple(Fraction(int(j == i)) for j in range(n))
            A.append(tuple(-x for x in e))
            b.append(-lo)
            A.append(e)
            b.append(hi)
        return cls._from_h(n, A, b)

    @classmethod
    def empty(cls, n: int) -> "Polytope":
        """The empty polytope in R^n."""
        e = tuple(Fraction(int(j == 0)) for j in range(n))
        return cls._from_h(n, [e, tuple(-x for x in e)], [Fraction(-1), Fraction(0)])

    def _canonicalise(
        self, A: Sequence[Vec], b: Sequence[Fraction], E: Sequence[Vec], f: Sequence[Fraction], rep: cddb.VRep
    ) -> None:
        n = self._n
        self._points = rep.points
        self._rays = rep.rays
        self._lines = rep.lines
        n_gen = len(rep.points) + len(rep.rays) + len(rep.lines)
        self._n_gen = n_gen
        full = (1 << n_gen) - 1
        if not rep.points:
            self._dim = -1
            self._eqs: tuple[Hyperplane, ...] = ()
            self._facets: tuple[Halfspace, ...] = ()
            self._facet_masks: tuple[int, ...] = ()
            self._facet_rows: tuple[int, ...] = ()
            return
        p0 = rep.points[0]
        # The affine hull is cut out by the implicit equalities: the given equations and
        # the inequality rows tight at every generator (incidence == all generators).
        # Its canonical basis is the reduced echelon form of those rows, which depends
        # only on the hull (no rank computation over all vertices needed).
        m = len(A)
        eq_rows = [A[k] for k in range(m) if rep.incidence[k] == full] + list(E)
        if eq_rows:
            R, piv = la.rref(eq_rows, n)
            eqs = []
            for row in R:
                w, _ = la.primitive_integer_vector(row)
                eqs.append(Hyperplane(w, _dot(w, p0)))
            self._eqs = tuple(eqs)
            self._eq_rref = (R, piv)
        else:
            self._eqs = ()
            self._eq_rref = ((), ())
        self._dim = n - len(self._eqs)
        # facets: inequality rows whose tight set is proper and inclusion-maximal
        cand: dict[int, int] = {}
        for k in range(m):
            s = rep.incidence[k]
            if s != full and s != 0 and s not in cand:
                cand[s] = k
        keep = set(maximal_sets(set(cand)))
        rows = sorted((cand[s], s) for s in keep)
        facets, masks, origin = [], [], []
        for k, s in rows:
            a = A[k]
            bk = b[k]
            if self._eqs:
                a, bk = self._project_normal(a, bk, p0)
            w, scale = la.primitive_integer_vector(a)
            facets.append(Halfspace(w, bk * scale))
            masks.append(s)
            origin.append(k)
        self._facets = tuple(facets)
        self._facet_masks = tuple(masks)
        self._facet_rows = tuple(origin)

    def _project_normal(self, a: Vec, b: Fraction, p0: Vec) -> tuple[Vec, Fraction]:
        """Project ``a`` onto the direction space of the affine hull and adjust ``b`` so the
        inequality is unchanged on the affine hull."""
        # orthogonal projection onto span(E)^⊥: a - Eᵀ (E Eᵀ)^{-1} E a
        E = [tuple(Fraction(x) for x in h.normal) for h in self._eqs]
        G = [[_dot(e1, e2) for e2 in E] for e1 in E]
        coef = la.solve(G, [_dot(e, a) for e in E])
        corr = [sum((c * e[j] for c, e in zip(coef, E)), Fraction(0)) for j in range(self._n)]
        ap = tuple(x - y for x, y in zip(a, corr))
        return ap, b - _dot(corr, p0)

    # ------------------------------------------------------------------ basic data
    @property
    def ambient_dim(self) -> int:
        """n, the dimension of the space the polytope lives in."""
        return self._n

    @property
    def dim(self) -> int:
        """Dimension of the affine hull (−1 for the empty set)."""
        return self._dim

    @property
    def is_empty(self) -> bool:
        return self._dim < 0

    @property
    def is_bounded(self) -> bool:
        return not self._rays and not self._lines

    @property
    def is_full_dimensional(self) -> bool:
        return self._dim == self._n

    @property
    def vertices(self) -> tuple[Vec, ...]:
        """The vertices, sorted lexicographically. For a polyhedron with lines these are
        the points cddlib returns (a minimal generating set), not vertices in the strict sense."""
        return self._points

    @property
    def rays(self) -> tuple[Vec, ...]:
        return self._rays

    @property
    def lines(self) -> tuple[Vec, ...]:
        return self._lines

    @property
    def n_vertices(self) -> int:
        return len(self._points)

    @property
    def facets(self) -> tuple[Halfspace, ...]:
        """The irredundant inequalities (relative facets for lower-dimensional polytopes)."""
        return self._facets

    @property
    def n_facets(self) -> int:
        return len(self._facets)

    @property
    def equalities(self) -> tuple[Hyperplane, ...]:
        """A canonical basis of the affine hull's equations (empty when full-dimensional)."""
        return self._eqs

    @property
    def facet_input_rows(self) -> tuple[int, ...]:
        """For each facet, the index of the input inequality row that defines it."""
        return self._facet_rows

    @property
    def A(self) -> tuple[tuple[int, ...], ...]:
        """Facet normals as rows (primitive integers)."""
        return tuple(h.normal for h in self._facets)

    @property
    def b(self) -> tuple[Fraction, ...]:
        """Facet offsets."""
        return tuple(h.offset for h in self._facets)

    def facet_vertices(self, i: int) -> tuple[int, ...]:
        """Indices of the vertices on facet ``i``."""
        self._check_facet(i)
        return tuple(v for v in bits(self._facet_masks[i]) if v < len(self._points))

    def vertex_facets(self, v: int) -> tuple[int, ...]:
        """Indices of the facets through vertex ``v``."""
        if not isinstance(v, int) or not 0 <= v < len(self._points):
            raise InvalidInputError(f"vertex index {v} out of range 0..{len(self._points) - 1}")
        return tuple(self._vertex_facet_lists[v])

    @cached_property
    def _vertex_facet_lists(self) -> list[list[int]]:
        """For each vertex, the facets through it (ascending)."""
        vf: list[list[int]] = [[] for _ in self._points]
        npts = len(self._points)
        for i, m in enumerate(self._facet_masks):
            for v in _bit_list(m):
                if v < npts:
                    vf[v].append(i)
        return vf

    def _check_facet(self, i: int) -> None:
        if not isinstance(i, int) or isinstance(i, bool):
            raise InvalidInputError(f"facet index must be an int, got {type(i).__name__} {i!r}")
        if not 0 <= i < len(self._facets):
            raise InvalidInputError(
                f"facet index {i!r} out of range: this polytope has {len(self._facets)} facets (0-based)"
            )

    def _require_bounded(self, what: str) -> None:
        if not self.is_bounded:
            raise DegenerateError(
                f"{what} needs a bounded polytope, but this polyhedron has "
                f"{len(self._rays)} rays and {len(self._lines)} lines; intersect it with a box "
                "(P.intersect(Polytope.box(...)))"
            )

    # ------------------------------------------------------------------ predicates
    def side(self, i: int, x: Any) -> Sign:
        """Sign of the slack ``b_i − a_i·x`` of facet ``i`` at ``x``: POSITIVE strictly
        inside the half-space, ZERO on its hyperplane, NEGATIVE outside."""
        self._check_facet(i)
        xv = as_rational_vector(x, name="x", length=self._n)
        s = self._facets[i].slack(xv)
        return Sign((s > 0) - (s < 0))

    def contains(self, x: Any, *, strict: bool = False) -> bool:
        """Whether ``x`` lies in the polytope (``strict``: in its relative interior).

        >>> S = Polytope.box([(0, 1)])
        >>> S.contains([1]), S.contains([1], strict=True)
        (True, False)
        """
        xv = as_rational_vector(x, name="x", length=self._n)
        if self.is_empty:
            return False
        for h in self._eqs:
            if _dot(h.normal, xv) != h.offset:
                return False
        for h in self._facets:
            s = h.slack(xv)
            if s < 0 or (strict and s == 0):
                return False
        return True

    @cached_property
    def relative_interior_point(self) -> Vec:
        """A rational point in the relative interior (the mean of the vertices, plus the
        mean of the rays for unbounded polyhedra)."""
        if self.is_empty:
            raise DegenerateError("the empty polytope has no interior point")
        k = len(self._points)
        p = [sum((v[j] for v in self._points), Fraction(0)) / k for j in range(self._n)]
        if self._rays:
            for j in range(self._n):
                p[j] += sum((r[j] for r in self._rays), Fraction(0)) / len(self._rays)
        return tuple(p)

    # ------------------------------------------------------------------ operations
    def intersect(self, other: "Polytope") -> "Polytope":
        """Intersection with another polyhedron in the same space."""
        if not isinstance(other, Polytope):
            raise InvalidInputError(f"can only intersect with a Polytope, got {type(other).__name__}")
        if other._n != self._n:
            raise InvalidInputError(f"dimension mismatch: R^{self._n} vs R^{other._n}")
        A, b, E, f = self._hrep_rows()
        A2, b2, E2, f2 = other._hrep_rows()
        if self.is_empty or other.is_empty:
            return Polytope.empty(self._n)
        return Polytope._from_h(self._n, A + A2, b + b2, E + E2, f + f2)

    def intersect_halfspace(self, a: Any, b: Any, *, policy: PolicyLike | None = None) -> "Polytope":
        """Intersection with ``{x : a·x <= b}``."""
        av = as_rational_vector(a, policy, name="a", length=self._n)
        bb = as_rational(b, policy, name="b")
        if self.is_empty:
            return self
        A, bs, E, f = self._hrep_rows()
        return Polytope._from_h(self._n, A + [av], bs + [bb], E, f)

    def _hrep_rows(self) -> tuple[list[Vec], list[Fraction], list[Vec], list[Fraction]]:
        A = [tuple(Fraction(x) for x in h.normal) for h in self._facets]
        b = [h.offset for h in self._facets]
        E = [tuple(Fraction(x) for x in h.normal) for h in self._eqs]
        f = [h.offset for h in self._eqs]
        return A, b, E, f

    def restrict_to_box(self, bounds: Iterable[tuple[Any, Any]], *, policy: PolicyLike | None = None) -> "Polytope":
        """Intersection with the box ``∏ [lo_i, hi_i]`` (e.g. to make an unbounded cell
        bounded before measuring it).

        >>> H = Polytope.from_hrep([[-1, 0]], [0])            # the half-plane x >= 0
        >>> H.is_bounded, H.restrict_to_box([(-1, 1), (-1, 1)]).volume()
        (False, Fraction(2, 1))
        """
        B = Polytope.box(bounds, policy=policy)
        if B.ambient_dim != self._n:
            raise InvalidInputError(
                f"the box has {B.ambient_dim} (lo, hi) pairs but the polytope lives in R^{self._n}"
            )
        return self.intersect(B)

    def translate(self, t: Any) -> "Polytope":
        """The translate ``P + t``."""
        tv = as_rational_vector(t, name="t", length=self._n)
        A, b, E, f = self._hrep_rows()
        if self.is_empty:
            return self
        return Polytope._from_h(
            self._n, A, [bi + _dot(a, tv) for a, bi in zip(A, b)], E, [fi + _dot(e, tv) for e, fi in zip(E, f)]
        )

    # ------------------------------------------------------------------ faces
    @cached_property
    def _all_vertices_mask(self) -> int:
        return (1 << len(self._points)) - 1

    def _children(self, mask: int) -> list[int]:
        """Vertex masks of the facets of the face ``mask`` (memoised)."""
        memo = self.__dict__.setdefault("_children_memo", {})
        got = memo.get(mask)
        if got is None:
            if mask == self._all_vertices_mask:
                got = list(dict.fromkeys(self._facet_masks))
            elif mask & (mask - 1) == 0:  # a vertex
                got = []
            else:
                cand = {mask & fm for fm in self._facet_masks} - {mask, 0}
                got = maximal_sets(cand)
            memo[mask] = got
        return got

    def _tight_facets(self, mask: int) -> tuple[int, ...]:
        return tuple(i for i, fm in enumerate(self._facet_masks) if fm & mask == mask)

    def _face_dim(self, mask: int) -> int:
        pts = [self._points[i] for i in bits(mask)]
        p0 = pts[0]
        return la.rank([tuple(x - y for x, y in zip(p, p0)) for p in pts[1:]], self._n) if len(pts) > 1 else 0

    @cached_property
    def _lattice(self) -> FaceLattice:
        self._require_bounded("the face lattice")
        return FaceLattice(self)

    def face_lattice(self) -> FaceLattice:
        """All non-empty faces, by dimension (bounded polytopes only).

        >>> L = Polytope.box([(0, 1)] * 3).face_lattice()
        >>> L.f_vector, len(L.faces(1))
        ((8, 12, 6), 12)
        """
        return self._lattice

    def f_vector(self) -> tuple[int, ...]:
        """``(f_0, …, f_{d−1})`` — numbers of vertices, edges, …, facets."""
        return self._lattice.f_vector

    def face(self, vertex_ids: int | Iterable[int]) -> Face:
        """The face with the given vertex set (a bitmask or an iterable of vertex ids).

        Raises :class:`InvalidInputError` when the set is not the vertex set of a face.
        """
        if isinstance(vertex_ids, int):
            mask = vertex_ids
        else:
            mask = 0
            for v in vertex_ids:
                mask |= 1 << int(v)
        self._require_bounded("faces")
        if mask <= 0 or mask > self._all_vertices_mask:
            raise InvalidInputError("a face needs a non-empty set of valid vertex ids")
        closure = self._all_vertices_mask
        for fm in self._facet_masks:
            if fm & mask == mask:
                closure &= fm
        if closure != mask:
            raise InvalidInputError(f"vertices {sorted(bits(mask))} are not the vertex set of a face")
        return Face(self, mask)

    def facet(self, i: int) -> Face:
        """Facet ``i`` as a :class:`Face`."""
        self._check_facet(i)
        self._require_bounded("faces")
        return Face(self, self._facet_masks[i])

    def facet_adjacency(self) -> tuple[tuple[int, ...], ...]:
        """For each facet, the facets it meets in a ridge (a (d−2)-face), sorted."""
        self._require_bounded("facet adjacency")
        ridges = self._ridges
        adj: list[set[int]] = [set() for _ in self._facets]
        for i, j in ridges:
            adj[i].add(j)
            adj[j].add(i)
        return tuple(tuple(sorted(s)) for s in adj)

    @cached_property
    def _ridges(self) -> dict[tuple[int, int], int]:
        """Pairs (i < j) of facets meeting in a ridge, with the ridge's vertex mask."""
        out: dict[tuple[int, int], int] = {}
        if self._dim < 2:
            return out
        index = {m: i for i, m in enumerate(self._facet_masks)}
        for i, fm in enumerate(self._facet_masks):
            for r in self._children(fm):
                for j, gm in enumerate(self._facet_masks):
                    if j != i and gm & r == r and index.get(gm, j) == j:
                        a, c = (i, j) if i < j else (j, i)
                        out[(a, c)] = r
        return out

    def _face_polytope(self, mask: int) -> "Polytope":
        A, b, E, f = self._hrep_rows()
        tight = self._tight_facets(mask)
        E2 = E + [A[i] for i in tight]
        f2 = f + [b[i] for i in tight]
        rest = [i for i in range(len(A)) if i not in set(tight)]
        return Polytope._from_h(self._n, [A[i] for i in rest], [b[i] for i in rest], E2, f2)

    # ------------------------------------------------------------------ measures
    def _triangulation(self, mask: int) -> list[tuple[int, ...]]:
        """A triangulation of the face ``mask`` into simplices on its vertices (pulling
        the lowest-index vertex, recursively over the facets not containing it)."""
        memo = self.__dict__.setdefault("_tri_memo", {})
        got = memo.get(mask)
        if got is not None:
            return got
        children = self._children(mask)
        if not children:
            got = [tuple(bits(mask))]
        else:
            apex = (mask & -mask).bit_length() - 1
            abit = 1 << apex
            got = []
            for c in children:
                if not c & abit:
                    got.extend((apex,) + t for t in self._triangulation(c))
        memo[mask] = got
        return got

    @cached_property
    def _q_vertices(self) -> list[list[Any]]:
        """Vertices as flint rationals (fast determinants)."""
        from flint import fmpq

        return [[fmpq(x.numerator, x.denominator) for x in v] for v in self._points]

    def _simplex_volume_sum(self, simplices: list[tuple[int, ...]], coords: Sequence[int] | None) -> Fraction:
        """Σ |det| / k! over simplices, in the coordinates ``coords`` (all if None).

        Every simplex of a pulling triangulation starts with the same apex, so the edge
        vectors ``v_i − apex`` are computed once per vertex and scaled to primitive
        integer vectors ``z_i = s_i (v_i − apex)``; each simplex then costs one integer
        determinant ``|det z| / Π s_i``."""
        from flint import fmpq, fmpz_mat

        cols = list(range(self._n)) if coords is None else list(coords)
        k = len(cols)
        if k == 0:
            return Fraction(1)
        if not simplices:
            return Fraction(0)
        apex = simplices[0][0]
        pa = self._points[apex]
        scaled: dict[int, tuple[list[int], Any]] = {}
        terms = []
        for smp in simplices:
            if smp[0] != apex:  # pragma: no cover - pulling triangulations share the apex
                raise AssertionError("simplices of a pulling triangulation share their apex")
            rows: list[int] = []
            den = fmpq(1)
            for i in smp[1:]:
                got = scaled.get(i)
                if got is None:
                    v = self._points[i]
                    w, sc = la.primitive_integer_vector([v[c] - pa[c] for c in cols])
                    got = (list(w), fmpq(sc.numerator, sc.denominator))
                    scaled[i] = got
                rows.extend(got[0])
                den *= got[1]
            terms.append(fmpq(abs(fmpz_mat(k, k, rows).det())) / den)
        return la.fmpq_to_fraction(fmpq_sum(terms)) / factorial(k)

    def is_simple(self) -> bool:
        """Whether every vertex lies on exactly ``dim`` facets (bounded polytopes).

        >>> Polytope.box([(0, 1)] * 3).is_simple(), Polytope.from_vrep([[1, 0], [0, 1], [-1, 0], [0, -1]]).is_simple()
        (True, True)
        """
        self._require_bounded("is_simple")
        d = self._dim
        return all(len(fs) == d for fs in self._vertex_facet_lists)

    def volume(self, method: str = "auto") -> Fraction:
        """Exact n-volume (0 for lower-dimensional or empty polytopes).

        Methods (all exact; the tests check that they agree):

        * ``"triangulation"`` sums simplex determinants of a pulling triangulation;
        * ``"lasserre"`` uses the facet-cone recursion ``vol(P) = Σ_F h_F vol(F) / n``;
        * ``"lawrence"`` uses the Brion–Lawrence signed vertex formula (one integer solve
          per vertex of a simple polytope; see :mod:`exactgeom.polytope.volume`);
        * ``"auto"`` (default): ``"lawrence"`` when at most a tenth of the vertices are
          non-simple (so always for simple polytopes, e.g. cells of arrangements in
          general position), ``"triangulation"`` otherwise (e.g. simplicial polytopes).

        >>> Polytope.from_vrep([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]]).volume()
        Fraction(1, 6)
        >>> Polytope.from_vrep([[0, 0], [1, 1]]).volume()   # lower-dimensional: 0
        Fraction(0, 1)
        """
        if method not in ("auto", "triangulation", "lasserre", "lawrence"):
            raise InvalidInputError(
                f"unknown volume method {method!r}; use 'auto', 'triangulation', 'lasserre' or 'lawrence'"
            )
        self._require_bounded("volume")
        if self._dim < self._n:
            return Fraction(0)
        memo = self.__dict__.setdefault("_volume_memo", {})
        if method in memo:
            return memo[method]
        if method == "auto":
            if "_volume_any" in self.__dict__:
                return self.__dict__["_volume_any"]
            method = "lawrence" if self._mostly_simple() else "triangulation"
            if method in memo:
                return memo[method]
        if method == "triangulation":
            v = self._simplex_volume_sum(self._triangulation(self._all_vertices_mask), None)
        elif method == "lasserre":
            v = lasserre_volume(self)
        else:
            v = lawrence_volume(self)
        memo[method] = v
        self.__dict__["_volume_any"] = v
        return v

    def _face_frame(self, mask: int) -> tuple[tuple[int, ...], Fraction]:
        """For the face ``mask`` of dimension k: coordinates J (k of them) on which the
        projection is injective, and det(UᵀU) for the basis U of the direction space with
        U_J = I. Then vol_k(F) = vol(π_J F) · √det(UᵀU)."""
        pts = [self._points[i] for i in bits(mask)]
        p0 = pts[0]
        dirs = [tuple(x - y for x, y in zip(p, p0)) for p in pts[1:]]
        if not dirs:
            return (), Fraction(1)
        R, piv = la.rref(dirs, self._n)
        gram = [[_dot(r1, r2) for r2 in R] for r1 in R]
        return piv, la.det(gram)

    def _face_volume(self, mask: int) -> Surd:
        memo = self.__dict__.setdefault("_face_volume_memo", {})
        got = memo.get(mask)
        if got is None:
            J, g = self._face_frame(mask)
            pv = self._simplex_volume_sum(self._triangulation(mask), J)
            got = Surd(pv, g)
            memo[mask] = got
        return got

    def relative_volume(self) -> Surd:
        """The ``dim``-dimensional volume of the polytope in its own affine hull (a surd;
        rational when full-dimensional).

        >>> Polytope.from_vrep([[0, 0], [1, 1]]).relative_volume()
        Surd('1*sqrt(2)')
        """
        self._require_bounded("relative volume")
        if self.is_empty:
            return Surd(0)
        if self._dim == self._n:
            return Surd(self.volume())
        return self._face_volume(self._all_vertices_mask)

    def facet_volume(self, i: int) -> Surd:
        """Exact (d−1)-volume of facet ``i`` (a surd ``q·√m``).

        >>> T = Polytope.from_vrep([[0, 0], [1, 0], [0, 1]])
        >>> sorted(str(T.facet_volume(i)) for i in range(3))
        ['1', '1', '1*sqrt(2)']
        """
        self._check_facet(i)
        self._require_bounded("facet volume")
        return self._face_volume(self._facet_masks[i])

    def squared_facet_volume(self, i: int) -> Fraction:
        """The rational square of :meth:`facet_volume`."""
        return self.facet_volume(i).squared()

    def facet_area_vector(self, i: int) -> Vec:
        """The area vector of facet ``i``: its (d−1)-volume times its unit outward normal.
        Rational, because the facet volume is (rational)·‖a_i‖.

        For a full-dimensional bounded polytope the area vectors sum to zero (Minkowski).
        """
        vol = self.facet_volume(i)
        a = self._facets[i].normal
        nn = sum(x * x for x in a)
        # vol = q·√r with r·nn a perfect square; vol/‖a‖ = q·√(r/nn), rational
        ratio = (vol / Surd(1, nn)).to_fraction()
        return tuple(ratio * x for x in a)

    def centroid(self, method: str = "auto") -> Vec:
        """Exact centroid (rational) of a bounded polytope, in its affine hull.

        ``method``: ``"triangulation"`` (volume-weighted simplex centroids of the pulling
        triangulation), ``"lawrence"`` (first moments from Brion's formula, full-dimensional
        polytopes; see :func:`exactgeom.polytope.volume.lawrence_centroid`) or ``"auto"``
        (default: ``"lawrence"`` for full-dimensional polytopes where at most a tenth of
        the vertices are non-simple, else ``"triangulation"``).

        >>> Polytope.from_vrep([[0, 0], [2, 0], [0, 2]]).centroid()
        (Fraction(2, 3), Fraction(2, 3))
        >>> Polytope.from_vrep([[0, 0, 0], [2, 2, 2]]).centroid()   # a segment: its midpoint
        (Fraction(1, 1), Fraction(1, 1), Fraction(1, 1))
        """
        if method not in ("auto", "triangulation", "lawrence"):
            raise InvalidInputError(f"unknown centroid method {method!r}; use 'auto', 'triangulation' or 'lawrence'")
        self._require_bounded("centroid")
        if self.is_empty:
            raise DegenerateError("the empty polytope has no centroid")
        memo = self.__dict__.setdefault("_centroid_memo", {})
        if method == "auto":
            if memo:
                return next(iter(memo.values()))
            full = self._dim == self._n
            method = "lawrence" if full and self._mostly_simple() else "triangulation"
        if method in memo:
            return memo[method]
        if method == "lawrence":
            c = lawrence_centroid(self)
        else:
            c = self._triangulation_centroid()
        memo[method] = c
        return c

    def _mostly_simple(self) -> bool:
        """At most a tenth of the vertices lie on more than ``dim`` facets."""
        got = self.__dict__.get("_mostly_simple_flag")
        if got is None:
            d = self._dim
            non_simple = sum(1 for fs in self._vertex_facet_lists if len(fs) != d)
            got = 10 * non_simple <= len(self._points)
            self.__dict__["_mostly_simple_flag"] = got
        return got

    def _triangulation_centroid(self) -> Vec:
        mask = self._all_vertices_mask
        simplices = self._triangulation(mask)
        J, _ = self._face_frame(mask)
        from flint import fmpq, fmpq_mat

        Q = self._q_vertices
        k = len(J)
        weights = []
        sums: list[list[Any]] = [[] for _ in range(self._n)]
        for s in simplices:
            v0 = Q[s[0]]
            w = abs(fmpq_mat(k, k, [Q[i][c] - v0[c] for i in s[1:] for c in J]).det()) if k else fmpq(1)
            weights.append(w)
            for j in range(self._n):
                sums[j].append(w * sum((Q[i][j] for i in s), fmpq(0)))
        tot_w = fmpq_sum(weights)
        return tuple(la.fmpq_to_fraction(fmpq_sum(acc) / (tot_w * (k + 1))) for acc in sums)

    def dihedral_angle(self, i: int, j: int) -> Angle:
        """Interior dihedral angle between facets ``i`` and ``j`` at their common ridge,
        held by its exact cosine ``cos θ = −⟨a_i,a_j⟩/(‖a_i‖‖a_j‖)``.

        Raises :class:`DegenerateError` when the facets do not meet in a ridge.

        >>> T = Polytope.from_vrep([[0, 0], [1, 0], [0, 1]])
        >>> sorted(str(T.dihedral_angle(*e).exact_pi_multiple()) for e in [(0, 1), (0, 2), (1, 2)])
        ['1/2', '1/4', '1/4']
        """
        self._check_facet(i)
        self._check_facet(j)
        self._require_bounded("dihedral angles")
        key = (i, j) if i < j else (j, i)
        if i == j or key not in self._ridges:
            raise DegenerateError(
                f"facets {i} and {j} do not meet in a ridge (a face of dimension {self._dim - 2}); "
                f"adjacent facets of {i}: {list(self.facet_adjacency()[i])}"
            )
        a, c = self._facets[i].normal, self._facets[j].normal
        ac = sum(x * y for x, y in zip(a, c))
        aa = sum(x * x for x in a)
        cc = sum(x * x for x in c)
        return Angle(Surd(Fraction(-ac, aa * cc), aa * cc))

    def dihedral_angles(self) -> dict[tuple[int, int], Angle]:
        """Every dihedral angle, keyed by the facet pair ``(i, j)``, ``i < j``."""
        return {(i, j): self.dihedral_angle(i, j) for (i, j) in sorted(self._ridges)}

    def chebyshev_ball(self, norm: str = "euclidean") -> Any:
        """Largest inscribed ball (centre and radius), certified exactly; see
        :func:`exactgeom.polytope.chebyshev.chebyshev_ball`."""
        from .chebyshev import chebyshev_ball

        return chebyshev_ball(self, norm=norm)

    # ------------------------------------------------------------------ dunder
    def _key(self) -> tuple:
        if self.is_bounded:
            return (self._n, self._points)
        return (self._n, frozenset(self._facets), self._eqs, self._points, frozenset(self._rays), self._lines)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Polytope):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        if self.is_empty:
            return f"Polytope(empty in R^{self._n})"
        kind = "polytope" if self.is_bounded else "polyhedron"
        return (
            f"Polytope({kind} of dim {self._dim} in R^{self._n}: {len(self._points)} vertices, "
            f"{len(self._facets)} facets)"
        )

    def __getstate__(self) -> dict:
        # drop memo caches: cheap to rebuild, expensive to ship to worker processes
        return {k: v for k, v in self.__dict__.items() if not k.startswith("_") or k in _STATE}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)


_STATE = {
    "_n", "_points", "_rays", "_lines", "_n_gen", "_dim", "_eqs", "_eq_rref",
    "_facets", "_facet_masks", "_facet_rows",
}
