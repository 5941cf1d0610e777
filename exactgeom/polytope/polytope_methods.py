"""The face and measure methods of :class:`~exactgeom.polytope.Polytope` (moved out of
:mod:`.polytope` unchanged, to keep that module a readable size).

``Polytope`` inherits them from the two mixins here, so they are its methods
(``P.volume()``, ``P.face_lattice()``, ...) and are documented on its page; each method
delegates to the machinery module named in its section: :mod:`.faces` (face lattice,
ridges), :mod:`.hfirst` (LP certificates), :mod:`.measures` (triangulations, volumes,
centroids, angles) and :mod:`.chebyshev` (inscribed balls). ``self`` is annotated as a
:class:`Polytope` (the mixins hold no state of their own).
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ..numbers.angle import Angle
from ..numbers.surd import Surd
from . import faces, hfirst, measures
from .faces import Face, FaceLattice

if TYPE_CHECKING:  # pragma: no cover
    from .polytope import Polytope, Vec

__all__: list[str] = []


class PolytopeFaces:
    """Faces of a :class:`~exactgeom.polytope.Polytope` (mixin: see the class)."""

    # ------------------------------------------------------------------ faces (see faces.py)
    def _children(self: Polytope, mask: int) -> list[int]:
        """Vertex masks of the facets of the face ``mask`` (memoised)."""
        return faces.children(self, mask)

    @cached_property
    def _ridges(self: Polytope) -> dict[tuple[int, int], int]:
        """Pairs (i < j) of facets meeting in a ridge, with the ridge's vertex mask."""
        return faces.ridges(self)

    @cached_property
    def _lattice(self: Polytope) -> FaceLattice:
        self._require_bounded("the face lattice")
        return FaceLattice(self)

    def face_lattice(self: Polytope) -> FaceLattice:
        """All non-empty faces, by dimension (bounded polytopes only).

        >>> L = Polytope.box([(0, 1)] * 3).face_lattice()
        >>> L.f_vector(), len(L.faces(1))
        ((8, 12, 6), 12)
        """
        return self._lattice

    def f_vector(self: Polytope) -> tuple[int, ...]:
        """``(f_0, …, f_{d−1})`` — numbers of vertices, edges, …, facets."""
        return tuple(int(f) for f in self._lattice.f_vector())

    def face(self: Polytope, vertex_ids: int | Iterable[int]) -> Face:
        """The face with the given vertex set (a bitmask or an iterable of vertex ids).

        Raises :class:`InvalidInputError` when the set is not the vertex set of a face.
        """
        return faces.face_of(self, vertex_ids)

    def facet(self: Polytope, i: int) -> Face:
        """Facet ``i`` as a :class:`Face`."""
        self._check_facet(i)
        self._require_bounded("faces")
        return Face(self, self._facet_masks[i])

    def facets_adjacent(self: Polytope, i: int, j: int) -> bool:
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

    def facet_witness(self: Polytope, i: int) -> Vec:
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

    def facet_adjacency(self: Polytope) -> tuple[tuple[int, ...], ...]:
        """For each facet, the facets it meets in a ridge (a (d−2)-face), sorted."""
        return faces.facet_adjacency(self)


class PolytopeMeasures:
    """Measures of a :class:`~exactgeom.polytope.Polytope` (mixin: see the class)."""

    # ------------------------------------------------------------------ measures (see measures.py)
    def _triangulation(self: Polytope, mask: int) -> list[tuple[int, ...]]:
        """A triangulation of the face ``mask`` into simplices on its vertices (pulling
        the lowest-index vertex, recursively over the facets not containing it)."""
        return measures.triangulation(self, mask)

    def _face_volume(self: Polytope, mask: int) -> Surd:
        return measures.face_volume(self, mask)

    def is_simple(self: Polytope) -> bool:
        """Whether every vertex lies on exactly ``dim`` facets (bounded polytopes).

        >>> Polytope.box([(0, 1)] * 3).is_simple(), Polytope.from_vrep([[1, 0], [0, 1], [-1, 0], [0, -1]]).is_simple()
        (True, True)
        """
        return measures.is_simple(self)

    def volume(self: Polytope, method: str = "auto") -> Fraction:
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

    def relative_volume(self: Polytope) -> Surd:
        """The ``dim``-dimensional volume of the polytope in its own affine hull (a surd;
        rational when full-dimensional).

        >>> Polytope.from_vrep([[0, 0], [1, 1]]).relative_volume()
        Surd('1*sqrt(2)')
        """
        return measures.relative_volume(self)

    def facet_volume(self: Polytope, i: int) -> Surd:
        """Exact (d−1)-volume of facet ``i`` (a surd ``q·√m``).

        >>> T = Polytope.from_vrep([[0, 0], [1, 0], [0, 1]])
        >>> sorted(str(T.facet_volume(i)) for i in range(3))
        ['1', '1', '1*sqrt(2)']
        """
        return measures.facet_volume(self, i)

    def squared_facet_volume(self: Polytope, i: int) -> Fraction:
        """The rational square of :meth:`facet_volume`."""
        return self.facet_volume(i).squared()

    def facet_area_vector(self: Polytope, i: int) -> Vec:
        """The area vector of facet ``i``: its (d−1)-volume times its unit outward normal.
        Rational, because the facet volume is (rational)·‖a_i‖.

        For a full-dimensional bounded polytope the area vectors sum to zero (Minkowski).
        """
        return measures.facet_area_vector(self, i)

    def centroid(self: Polytope, method: str = "auto") -> Vec:
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

    def dihedral_angle(self: Polytope, i: int, j: int) -> Angle:
        """Interior dihedral angle between facets ``i`` and ``j`` at their common ridge,
        held by its exact cosine ``cos θ = −⟨a_i,a_j⟩/(‖a_i‖‖a_j‖)``.

        Raises :class:`DegenerateError` when the facets do not meet in a ridge.

        >>> T = Polytope.from_vrep([[0, 0], [1, 0], [0, 1]])
        >>> sorted(str(T.dihedral_angle(*e).exact_pi_multiple()) for e in [(0, 1), (0, 2), (1, 2)])
        ['1/2', '1/4', '1/4']
        """
        return measures.dihedral_angle(self, i, j)

    def dihedral_angles(self: Polytope) -> dict[tuple[int, int], Angle]:
        """Every dihedral angle, keyed by the facet pair ``(i, j)``, ``i < j``."""
        return measures.dihedral_angles(self)

    def chebyshev_ball(self: Polytope, norm: str = "euclidean") -> Any:
        """Largest inscribed ball (centre and radius), certified exactly; see
        :func:`exactgeom.polytope.chebyshev.chebyshev_ball`."""
        from .chebyshev import chebyshev_ball

        return chebyshev_ball(self, norm=norm)
