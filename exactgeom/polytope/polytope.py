"""The exact :class:`Polytope` value.

A polytope (more generally a polyhedron) ``{x : A x <= b, E x = f}`` with rational data.
It is immutable. Built from an H-representation it takes one of two engines, chosen by
size (see :data:`VERTEX_ENGINE_MAX_DIM` and :data:`VERTEX_ENGINE_MAX_BOUND`):

* **vertex engine** (small dimension or few rows): one cddlib H→V conversion at
  construction gives the canonical facets and the vertices together;
* **LP engine** (H-first; high dimension with many rows): the canonical H-data
  (dimension, equations, irredundant facets, an interior point) come from certified
  exact LPs (:mod:`.hfirst`, :mod:`.lp`), and the vertices are enumerated only when a
  vertex-based quantity is first asked for — after checking McMullen's bound on their
  number against :data:`MAX_VERTEX_ESTIMATE`.

Everything derived from the vertices (face lattice, triangulations, volumes, angles) is
computed on first use and cached. Both engines give the same canonical data.

Canonical form (what the accessors return):

* ``vertices``: sorted lexicographically (tuples of :class:`~fractions.Fraction`);
* ``facets``: the irredundant inequalities, in the order of the input rows that define
  them, each as a :class:`Halfspace` with a primitive integer normal lying in the
  direction space of the affine hull (so that normals, areas and angles are intrinsic
  even for lower-dimensional polytopes);
* ``equalities``: a canonical basis (reduced echelon form, primitive integer rows) of
  the affine hull's equations, including implicit ones.

The class holds the value (construction, canonical data, predicates, operations); the
machinery lives in small modules it delegates to: :mod:`.hrep` (input checks and the
canonical form), :mod:`.faces` (face lattice), :mod:`.measures` (triangulations,
volumes, centroids, angles), :mod:`.volume` (Lasserre and Brion–Lawrence volumes) and
:mod:`.chebyshev` (inscribed balls).

>>> P = Polytope.from_hrep([[1, 0], [0, 1], [-1, -1]], [1, 1, 0])  # triangle
>>> P.dim, P.n_vertices, P.volume()
(2, 3, Fraction(2, 1))
>>> P.vertices
((Fraction(-1, 1), Fraction(1, 1)), (Fraction(1, 1), Fraction(-1, 1)), (Fraction(1, 1), Fraction(1, 1)))
>>> Polytope.from_hrep([[1, 0], [-1, 0]], [0, -1]).is_empty   # x <= 0 and x >= 1
True
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction
from functools import cached_property
from typing import Any

from ..errors import DegenerateError, InvalidInputError
from ..numbers._compat import now_method
from ..numbers.angle import Angle
from ..numbers.rational import PolicyLike, as_dimension, as_rational, as_rational_vector, short_str
from ..numbers.sign import Sign
from ..numbers.surd import Surd
from . import faces, hfirst, measures, vertex_data
from .backends import cdd as cddb
from .faces import Face, FaceLattice, bits
from .hrep import (
    Halfspace,
    Hyperplane,
    box_rows,
    canonical_form,
    contains,
    dot,
    hrep_input,
    hrep_rows,
    sorted_vrep,
    vrep_input,
)

__all__ = [
    "Polytope",
    "Halfspace",
    "Hyperplane",
    "MAX_VERTEX_ESTIMATE",
    "VERTEX_ENGINE_MAX_DIM",
    "VERTEX_ENGINE_MAX_BOUND",
]

Vec = tuple[Fraction, ...]

#: A polytope built by the LP engine refuses to enumerate its vertices (raising
#: :class:`~exactgeom.errors.LimitExceededError`) when McMullen's upper bound on their
#: number exceeds this; raise it here, or per call with
#: :meth:`Polytope.compute_vertices` (``max_vertices=None`` lifts it).
MAX_VERTEX_ESTIMATE = 1_000_000
#: ``from_hrep`` (engine ``"auto"``) uses the vertex engine in dimension at most this …
VERTEX_ENGINE_MAX_DIM = 6
#: … or when McMullen's bound on the vertex count of the input is at most this.
VERTEX_ENGINE_MAX_BOUND = 20_000

ENGINES = ("auto", "vertices", "lp")


def _vertex_engine(n: int, m: int, engine: str) -> bool:
    if engine != "auto":
        return engine == "vertices"
    return n <= VERTEX_ENGINE_MAX_DIM or hfirst.vertex_bound(m, n) <= VERTEX_ENGINE_MAX_BOUND


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

    # The canonical data (set by _canonicalise, see hrep.canonical_form, or by the LP
    # engine, see hfirst.hfirst_form; the only state that is pickled, see _STATE).
    # Everything else in __dict__ is a cache. The V-data (_points, _rays, _lines,
    # _facet_masks) are set at construction by the vertex engine; for the LP engine
    # they are computed on first access (the cached properties below).
    _n: int
    _dim: int
    _eqs: tuple[Hyperplane, ...]
    _facets: tuple[Halfspace, ...]
    _facet_rows: tuple[int, ...]

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
        _engine: str = "auto",
    ) -> None:
        if not _trusted:
            raise TypeError("use Polytope.from_hrep / from_vrep / box to build a Polytope")
        self._n = n
        if _vertex_engine(n, len(A), _engine):
            rep = cddb.h_to_v(A, b, E, f, n)
            self._canonicalise(A, b, E, f, rep)
        else:
            self.__dict__.update(hfirst.hfirst_form(n, A, b, E, f))

    @classmethod
    def _from_h(
        cls,
        n: int,
        A: Sequence[Vec],
        b: Sequence[Fraction],
        E: Sequence[Vec] = (),
        f: Sequence[Fraction] = (),
        *,
        engine: str = "auto",
    ) -> Polytope:
        return cls(n, A, b, E, f, _trusted=True, _engine=engine)

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
    ) -> Polytope:
        """Internal: a bounded polytope from its H-rep ``A x <= b`` together with its
        exact, complete vertex list and, per row of ``A``, the bitmask of the vertices
        (in the order given) tight at that row. No cddlib call: the caller guarantees
        the data (builders that cut cells exactly use this; their tests cross-check
        against cddlib). Vertices are re-sorted into the canonical (lexicographic)
        order here unless the caller says they already are (``presorted``)."""
        rep = cddb.VRep(tuple(points), (), (), tuple(incidence)) if presorted else sorted_vrep(points, incidence)
        obj = cls.__new__(cls)
        obj._n = n
        obj._canonicalise(A, b, (), (), rep)
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
        engine: str = "auto",
    ) -> Polytope:
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
        engine
            ``"auto"`` (default), ``"vertices"`` (one cddlib H→V conversion now: facets
            and vertices together) or ``"lp"`` (H-first: canonical facets, equations
            and an interior point from certified exact LPs; vertices only on first
            use). ``"auto"`` takes the vertex engine in dimension at most
            :data:`VERTEX_ENGINE_MAX_DIM` or when McMullen's bound on the vertex count
            is at most :data:`VERTEX_ENGINE_MAX_BOUND`. Both give the same polytope.

        Degenerate inputs are values: an infeasible system gives an empty polytope,
        duplicate and redundant rows are removed, implicit equalities are detected.

        >>> Polytope.from_hrep([[1], [-1], [1]], [1, 0, 5]).vertices   # 0 <= x <= 1, x <= 5
        ((Fraction(0, 1),), (Fraction(1, 1),))
        >>> Polytope.from_hrep([[1, 0]], [1, 2])
        Traceback (most recent call last):
        ...
        exactgeom.errors.InvalidInputError: b has length 2 but A has 1 rows; give one right-hand side per row of A
        """
        if engine not in ENGINES:
            raise InvalidInputError(f"unknown engine {engine!r}; use one of {', '.join(map(repr, ENGINES))}")
        n, Am, bv, Em, fv = hrep_input(A, b, eq, ambient_dim, policy)
        return cls._from_h(n, Am, bv, Em, fv, engine=engine)

    @classmethod
    def from_vrep(cls, points: Any, rays: Any = (), *, policy: PolicyLike | None = None) -> Polytope:
        """The convex hull of ``points`` plus the cone of ``rays``.

        >>> Polytope.from_vrep([[0, 0], [1, 0], [0, 1], ["1/4", "1/4"]]).n_vertices  # interior point dropped
        3
        """
        n, P, R = vrep_input(points, rays, policy)
        ineq, eqs = cddb.v_to_h(P, R, n)
        return cls._from_h(n, [a for a, _ in ineq], [b for _, b in ineq], [a for a, _ in eqs], [b for _, b in eqs])

    @classmethod
    def box(cls, bounds: Iterable[tuple[Any, Any]], *, policy: PolicyLike | None = None) -> Polytope:
        """The box ``∏ [lo_i, hi_i]``.

        >>> Polytope.box([(0, 1), (-1, 1)]).volume()
        Fraction(2, 1)
        """
        n, A, b = box_rows(bounds, policy)
        return cls._from_h(n, A, b)

    @classmethod
    def empty(cls, n: int) -> Polytope:
        """The empty polytope in R^n."""
        n = as_dimension(n, name="n")
        e = tuple(Fraction(int(j == 0)) for j in range(n))
        return cls._from_h(n, [e, tuple(-x for x in e)], [Fraction(-1), Fraction(0)])

    def _canonicalise(
        self, A: Sequence[Vec], b: Sequence[Fraction], E: Sequence[Vec], f: Sequence[Fraction], rep: cddb.VRep
    ) -> None:
        """Store the canonical data computed by :func:`.hrep.canonical_form`."""
        self.__dict__.update(canonical_form(self._n, A, b, E, f, rep))

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
        return vertex_data.is_bounded(self)

    # ---- V-data: set by the vertex engine, else computed here on first access
    @cached_property
    def _points(self) -> tuple[Vec, ...]:
        got: tuple[Vec, ...] = self._vdata()["_points"]
        return got

    @cached_property
    def _rays(self) -> tuple[Vec, ...]:
        got: tuple[Vec, ...] = self._vdata()["_rays"]
        return got

    @cached_property
    def _lines(self) -> tuple[Vec, ...]:
        got: tuple[Vec, ...] = self._vdata()["_lines"]
        return got

    @cached_property
    def _facet_masks(self) -> tuple[int, ...]:
        got: tuple[int, ...] = self._vdata()["_facet_masks"]
        return got

    def _vdata(self, max_vertices: int | str | None = "default") -> dict[str, Any]:
        """Enumerate the generators from the canonical facets (one cddlib conversion of
        the irredundant rows) and store them; refuse beyond the vertex limit."""
        limit = MAX_VERTEX_ESTIMATE if max_vertices == "default" else max_vertices
        return vertex_data.vdata(self, limit)  # type: ignore[arg-type]

    def vertex_estimate(self) -> int:
        """An upper bound on the number of vertices without enumerating them: the exact
        count when known, else McMullen's upper bound for ``n_facets`` facets in
        dimension ``dim`` (one facet more for unbounded polyhedra).

        >>> Polytope.box([(0, 1)] * 3).vertex_estimate()
        8
        >>> Polytope.box([(0, 1)] * 40).vertex_estimate() > 2**40   # LP engine: a bound
        True
        """
        return vertex_data.vertex_estimate(self)

    def compute_vertices(self, max_vertices: int | None = MAX_VERTEX_ESTIMATE) -> tuple[Vec, ...]:
        """The vertices (as :attr:`vertices`), enumerated now if not yet known, with a
        vertex limit of your choice (``None``: no limit).

        >>> Polytope.box([(0, 1)] * 2).compute_vertices(max_vertices=10)[:2]
        ((Fraction(0, 1), Fraction(0, 1)), (Fraction(0, 1), Fraction(1, 1)))
        """
        if max_vertices is not None and (not isinstance(max_vertices, int) or isinstance(max_vertices, bool) or max_vertices < 0):
            raise InvalidInputError(f"max_vertices must be a non-negative int or None, got {max_vertices!r}")
        got: tuple[Vec, ...] = self._vdata(max_vertices)["_points"]
        return got

    @property
    def engine(self) -> str:
        """Which engine built the canonical data: ``"vertices"`` or ``"lp"``."""
        return "lp" if "_interior" in self.__dict__ else "vertices"

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
        return faces.vertex_facet_lists(self)

    @cached_property
    def _all_vertices_mask(self) -> int:
        return (1 << len(self._points)) - 1

    @cached_property
    def _q_vertices(self) -> list[list[Any]]:
        """Vertices as flint rationals (fast determinants)."""
        return measures.flint_vertices(self)

    def _check_facet(self, i: int) -> None:
        if not isinstance(i, int) or isinstance(i, bool):
            raise InvalidInputError(f"facet index must be an int, got {type(i).__name__} {i!r}")
        if not 0 <= i < len(self._facets):
            raise InvalidInputError(
                f"facet index {short_str(i)} out of range: this polytope has {len(self._facets)} facets (0-based)"
            )

    def _require_bounded(self, what: str) -> None:
        if not self.is_bounded:
            raise DegenerateError(
                f"{what} needs a bounded polytope, but this polyhedron has "
                f"{len(self._rays)} rays and {len(self._lines)} lines; intersect it with a box "
                "(P.intersect(Polytope.box(...)))"
            )

    # ------------------------------------------------------------------ predicates
    def side(self, i: int, x: Any, *, policy: PolicyLike | None = None) -> Sign:
        """Sign of the slack ``b_i − a_i·x`` of facet ``i`` at ``x``: POSITIVE strictly
        inside the half-space, ZERO on its hyperplane, NEGATIVE outside. Float
        coordinates need a ``policy`` (:class:`~exactgeom.FloatPolicy`)."""
        self._check_facet(i)
        xv = as_rational_vector(x, policy, name="x", length=self._n)
        s = self._facets[i].slack(xv)
        return Sign((s > 0) - (s < 0))

    def contains(self, x: Any, *, strict: bool = False, policy: PolicyLike | None = None) -> bool:
        """Whether ``x`` lies in the polytope (``strict``: in its relative interior).
        Float coordinates are read by ``policy`` (:class:`~exactgeom.FloatPolicy`; a
        float without one is refused).

        >>> S = Polytope.box([(0, 1)])
        >>> S.contains([1]), S.contains([1], strict=True)
        (True, False)
        >>> S.contains([0.1], policy="exact"), S.contains([1.0000000000000002], policy="exact")
        (True, False)
        """
        xv = as_rational_vector(x, policy, name="x", length=self._n)
        if self.is_empty:
            return False
        return contains(self._facets, self._eqs, xv, strict)

    @now_method
    def relative_interior_point(self) -> Vec:
        """A rational point in the relative interior: the mean of the vertices (plus the
        mean of the rays for unbounded polyhedra) for the vertex engine, a point
        strictly inside every facet for the LP engine (a rounded float Chebyshev point
        checked exactly, else the exact optimum of the slack LP) (a method: it
        computes, cached)."""
        return self._relative_interior_point

    @cached_property
    def _relative_interior_point(self) -> Vec:
        return vertex_data.relative_interior_point(self)

    # ------------------------------------------------------------------ operations
    def intersect(self, other: Polytope) -> Polytope:
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

    def intersect_halfspace(self, a: Any, b: Any, *, policy: PolicyLike | None = None) -> Polytope:
        """Intersection with ``{x : a·x <= b}``."""
        av = as_rational_vector(a, policy, name="a", length=self._n)
        bb = as_rational(b, policy, name="b")
        if self.is_empty:
            return self
        A, bs, E, f = self._hrep_rows()
        return Polytope._from_h(self._n, A + [av], bs + [bb], E, f)

    def _hrep_rows(self) -> tuple[list[Vec], list[Fraction], list[Vec], list[Fraction]]:
        return hrep_rows(self._facets, self._eqs)

    def restrict_to_box(self, bounds: Iterable[tuple[Any, Any]], *, policy: PolicyLike | None = None) -> Polytope:
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

    def translate(self, t: Any, *, policy: PolicyLike | None = None) -> Polytope:
        """The translate ``P + t`` (float entries of ``t`` need a ``policy``)."""
        tv = as_rational_vector(t, policy, name="t", length=self._n)
        A, b, E, f = self._hrep_rows()
        if self.is_empty:
            return self
        return Polytope._from_h(
            self._n, A, [bi + dot(a, tv) for a, bi in zip(A, b)], E, [fi + dot(e, tv) for e, fi in zip(E, f)]
        )

    # ------------------------------------------------------------------ faces (see faces.py)
    def _children(self, mask: int) -> list[int]:
        """Vertex masks of the facets of the face ``mask`` (memoised)."""
        return faces.children(self, mask)

    @cached_property
    def _ridges(self) -> dict[tuple[int, int], int]:
        """Pairs (i < j) of facets meeting in a ridge, with the ridge's vertex mask."""
        return faces.ridges(self)

    @cached_property
    def _lattice(self) -> FaceLattice:
        self._require_bounded("the face lattice")
        return FaceLattice(self)

    def face_lattice(self) -> FaceLattice:
        """All non-empty faces, by dimension (bounded polytopes only).

        >>> L = Polytope.box([(0, 1)] * 3).face_lattice()
        >>> L.f_vector(), len(L.faces(1))
        ((8, 12, 6), 12)
        """
        return self._lattice

    def f_vector(self) -> tuple[int, ...]:
        """``(f_0, …, f_{d−1})`` — numbers of vertices, edges, …, facets."""
        return tuple(int(f) for f in self._lattice.f_vector())

    def face(self, vertex_ids: int | Iterable[int]) -> Face:
        """The face with the given vertex set (a bitmask or an iterable of vertex ids).

        Raises :class:`InvalidInputError` when the set is not the vertex set of a face.
        """
        return faces.face_of(self, vertex_ids)

    def facet(self, i: int) -> Face:
        """Facet ``i`` as a :class:`Face`."""
        self._check_facet(i)
        self._require_bounded("faces")
        return Face(self, self._facet_masks[i])

    def facets_adjacent(self, i: int, j: int) -> bool:
        """Whether facets ``i`` and ``j`` meet in a ridge (a face of dimension ``dim − 2``).

        Decided from the vertex incidences when the vertices are known, else by one
        exact LP (a point tight at both facets and strictly inside all others).

        >>> C = Polytope.box([(0, 1)] * 3)
        >>> C.facets_adjacent(0, 2), C.facets_adjacent(0, 1)
        (True, False)
        """
        self._check_facet(i)
        self._check_facet(j)
        if i == j:
            return False
        if "_points" in self.__dict__ and self.is_bounded:
            return (min(i, j), max(i, j)) in self._ridges
        return hfirst.is_ridge(self, i, j)

    def facet_witness(self, i: int) -> Vec:
        """A rational point on facet ``i`` strictly inside every other facet (hence in
        the facet's relative interior, and strictly inside every input row that does
        not define the same half-space): an exact certificate that row
        ``facet_input_rows[i]`` defines a facet. One exact LP, cached.

        >>> T = Polytope.from_hrep([[-1, 0], [0, -1], [1, 1]], [0, 0, 1])
        >>> w = T.facet_witness(2); T.side(2, w), T.side(0, w), T.side(1, w)
        (<Sign.ZERO: 0>, <Sign.POSITIVE: 1>, <Sign.POSITIVE: 1>)
        """
        self._check_facet(i)
        return hfirst.facet_witness(self, i)

    def facet_adjacency(self) -> tuple[tuple[int, ...], ...]:
        """For each facet, the facets it meets in a ridge (a (d−2)-face), sorted."""
        return faces.facet_adjacency(self)

    # ------------------------------------------------------------------ measures (see measures.py)
    def _triangulation(self, mask: int) -> list[tuple[int, ...]]:
        """A triangulation of the face ``mask`` into simplices on its vertices (pulling
        the lowest-index vertex, recursively over the facets not containing it)."""
        return measures.triangulation(self, mask)

    def _face_volume(self, mask: int) -> Surd:
        return measures.face_volume(self, mask)

    def is_simple(self) -> bool:
        """Whether every vertex lies on exactly ``dim`` facets (bounded polytopes).

        >>> Polytope.box([(0, 1)] * 3).is_simple(), Polytope.from_vrep([[1, 0], [0, 1], [-1, 0], [0, -1]]).is_simple()
        (True, True)
        """
        return measures.is_simple(self)

    def volume(self, method: str = "auto") -> Fraction:
        """Exact n-volume (0 for lower-dimensional or empty polytopes).

        Methods (all exact; the tests check that they agree):

        * ``"triangulation"`` sums simplex determinants of a pulling triangulation;
        * ``"lasserre"`` uses the facet-cone recursion ``vol(P) = Σ_F h_F vol(F) / n``;
        * ``"lawrence"`` uses the Brion–Lawrence signed vertex formula (one integer solve
          per vertex of a simple polytope; see :mod:`exactgeom.polytope.volume`);
        * ``"auto"`` (default): in dimension ≤ 3 ``"triangulation"`` (integer
          determinants over one common denominator; a pulling triangulation has few
          simplices there); above, ``"lawrence"`` when at most a tenth of the vertices
          are non-simple (so always for simple polytopes, e.g. cells of arrangements in
          general position), ``"triangulation"`` otherwise (e.g. simplicial polytopes).

        >>> Polytope.from_vrep([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]]).volume()
        Fraction(1, 6)
        >>> Polytope.from_vrep([[0, 0], [1, 1]]).volume()   # lower-dimensional: 0
        Fraction(0, 1)
        """
        return measures.volume(self, method)

    def relative_volume(self) -> Surd:
        """The ``dim``-dimensional volume of the polytope in its own affine hull (a surd;
        rational when full-dimensional).

        >>> Polytope.from_vrep([[0, 0], [1, 1]]).relative_volume()
        Surd('1*sqrt(2)')
        """
        return measures.relative_volume(self)

    def facet_volume(self, i: int) -> Surd:
        """Exact (d−1)-volume of facet ``i`` (a surd ``q·√m``).

        >>> T = Polytope.from_vrep([[0, 0], [1, 0], [0, 1]])
        >>> sorted(str(T.facet_volume(i)) for i in range(3))
        ['1', '1', '1*sqrt(2)']
        """
        return measures.facet_volume(self, i)

    def squared_facet_volume(self, i: int) -> Fraction:
        """The rational square of :meth:`facet_volume`."""
        return self.facet_volume(i).squared()

    def facet_area_vector(self, i: int) -> Vec:
        """The area vector of facet ``i``: its (d−1)-volume times its unit outward normal.
        Rational, because the facet volume is (rational)·‖a_i‖.

        For a full-dimensional bounded polytope the area vectors sum to zero (Minkowski).
        """
        return measures.facet_area_vector(self, i)

    def centroid(self, method: str = "auto") -> Vec:
        """Exact centroid (rational) of a bounded polytope, in its affine hull.

        ``method``: ``"triangulation"`` (volume-weighted simplex centroids of the pulling
        triangulation), ``"lawrence"`` (first moments from Brion's formula, full-dimensional
        polytopes; see :func:`exactgeom.polytope.volume.lawrence_centroid`) or ``"auto"``
        (default: ``"lawrence"`` for full-dimensional polytopes in dimension ≥ 4 where at
        most a tenth of the vertices are non-simple, else ``"triangulation"``).

        >>> Polytope.from_vrep([[0, 0], [2, 0], [0, 2]]).centroid()
        (Fraction(2, 3), Fraction(2, 3))
        >>> Polytope.from_vrep([[0, 0, 0], [2, 2, 2]]).centroid()   # a segment: its midpoint
        (Fraction(1, 1), Fraction(1, 1), Fraction(1, 1))
        """
        return measures.centroid(self, method)

    def dihedral_angle(self, i: int, j: int) -> Angle:
        """Interior dihedral angle between facets ``i`` and ``j`` at their common ridge,
        held by its exact cosine ``cos θ = −⟨a_i,a_j⟩/(‖a_i‖‖a_j‖)``.

        Raises :class:`DegenerateError` when the facets do not meet in a ridge.

        >>> T = Polytope.from_vrep([[0, 0], [1, 0], [0, 1]])
        >>> sorted(str(T.dihedral_angle(*e).exact_pi_multiple()) for e in [(0, 1), (0, 2), (1, 2)])
        ['1/2', '1/4', '1/4']
        """
        return measures.dihedral_angle(self, i, j)

    def dihedral_angles(self) -> dict[tuple[int, int], Angle]:
        """Every dihedral angle, keyed by the facet pair ``(i, j)``, ``i < j``."""
        return measures.dihedral_angles(self)

    def chebyshev_ball(self, norm: str = "euclidean") -> Any:
        """Largest inscribed ball (centre and radius), certified exactly; see
        :func:`exactgeom.polytope.chebyshev.chebyshev_ball`."""
        from .chebyshev import chebyshev_ball

        return chebyshev_ball(self, norm=norm)

    # ------------------------------------------------------------------ dunder
    def _key(self) -> tuple[Any, ...]:
        # the canonical H-data determine the set: irredundant facets (primitive normals in
        # the hull's direction space) and the reduced echelon basis of the equations
        got = self.__dict__.get("_key_memo")
        if got is None:
            got = (self._n, self._dim, frozenset(self._facets), self._eqs)
            self.__dict__["_key_memo"] = got
        return got

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Polytope):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        if self.is_empty:
            return f"Polytope(empty in R^{self._n})"
        if "_points" not in self.__dict__:
            return f"Polytope(dim {self._dim} in R^{self._n}: {len(self._facets)} facets, vertices not enumerated)"
        kind = "polytope" if self.is_bounded else "polyhedron"
        return (
            f"Polytope({kind} of dim {self._dim} in R^{self._n}: {len(self._points)} vertices, "
            f"{len(self._facets)} facets)"
        )

    def __getstate__(self) -> dict[str, Any]:
        # drop memo caches: cheap to rebuild, expensive to ship to worker processes
        return {k: v for k, v in self.__dict__.items() if not k.startswith("_") or k in _STATE}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)


_STATE = {
    "_n", "_points", "_rays", "_lines", "_dim", "_eqs",
    "_facets", "_facet_masks", "_facet_rows", "_interior", "_bounded",
}
