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

The class holds the value (construction, canonical data, predicates, operations); its
face and measure methods are inherited from the mixins of :mod:`.polytope_methods`, and
the machinery lives in small modules it delegates to: :mod:`.hrep` (input checks and the
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
from ..numbers.rational import PolicyLike, as_dimension, as_rational, as_rational_vector, short_str
from ..numbers.sign import Sign
from . import faces, hfirst, measures, polytope_methods, vertex_data
from .backends import cdd as cddb
from .faces import bits
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
from .polytope_methods import PolytopeFaces, PolytopeMeasures

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


class Polytope(PolytopeFaces, PolytopeMeasures):
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


# The methods Polytope inherits from .polytope_methods keep their doctests, which run in
# that module's namespace; it imports Polytope only for type checking (a cycle otherwise).
vars(polytope_methods)["Polytope"] = Polytope

_STATE = {
    "_n", "_points", "_rays", "_lines", "_dim", "_eqs",
    "_facets", "_facet_masks", "_facet_rows", "_interior", "_bounded",
}
