"""The face lattice of a bounded polytope, computed combinatorially from facet–vertex
incidences (bitmasks over vertex indices), and the :class:`Face` value.

Facts used (for a polytope, the face lattice is atomic and coatomic):

* the facets of a face ``G`` of dimension ``k >= 1`` are exactly the inclusion-maximal
  non-empty proper intersections ``G ∩ F`` with facets ``F`` of the polytope;
* a face is determined by its vertex set, and its tight facets are the facets whose
  vertex set contains it.

No coordinates are touched here: every decision is exact and combinatorial.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:  # pragma: no cover
    from ..numbers.surd import Surd
    from .polytope import Polytope

__all__ = ["Face", "FaceLattice", "bits", "maximal_sets"]


def bits(mask: int) -> Iterator[int]:
    """Indices of the set bits of ``mask``, ascending."""
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


def maximal_sets(masks: set[int]) -> list[int]:
    """The inclusion-maximal members of a set of bitmasks (sorted by size, descending)."""
    out: list[int] = []
    for m in sorted(masks, key=lambda x: (-x.bit_count(), x)):
        if not any(m & k == m for k in out):
            out.append(m)
    return out


class FaceLattice:
    """All non-empty faces of a bounded polytope, by dimension.

    ``faces(k)`` lists the k-faces; ``f_vector`` is ``(f_0, ..., f_{d-1})``; the polytope
    itself (dimension d) is ``faces(d)``. Faces are :class:`Face` values.
    """

    def __init__(self, polytope: "Polytope") -> None:
        self._p = polytope
        d = polytope.dim
        levels: list[list[int]] = [[] for _ in range(max(d, 0) + 1)]
        if d >= 0:
            levels[d] = [polytope._all_vertices_mask]
            for k in range(d, 0, -1):
                seen: dict[int, None] = {}
                for m in levels[k]:
                    for c in polytope._children(m):
                        seen.setdefault(c, None)
                levels[k - 1] = sorted(seen, key=_mask_key)
        self._levels = levels

    @property
    def dim(self) -> int:
        return self._p.dim

    def faces(self, k: int) -> tuple["Face", ...]:
        """The faces of dimension ``k`` (``0 <= k <= dim``), in a canonical order."""
        if not 0 <= k < len(self._levels):
            return ()
        return tuple(self._p.face(m) for m in self._levels[k])

    def masks(self, k: int) -> tuple[int, ...]:
        """Vertex bitmasks of the k-faces."""
        if not 0 <= k < len(self._levels):
            return ()
        return tuple(self._levels[k])

    @property
    def f_vector(self) -> tuple[int, ...]:
        """``(f_0, ..., f_{d-1})``: the number of faces of each proper dimension."""
        return tuple(len(self._levels[k]) for k in range(max(self.dim, 0)))

    def __len__(self) -> int:
        return sum(len(lv) for lv in self._levels)

    def __iter__(self) -> Iterator["Face"]:
        for k in range(len(self._levels)):
            yield from self.faces(k)

    def __repr__(self) -> str:
        return f"FaceLattice(dim={self.dim}, f_vector={self.f_vector})"


def _mask_key(m: int) -> tuple[int, ...]:
    return tuple(bits(m))


@dataclass(frozen=True, eq=False)
class Face:
    """A non-empty face of a bounded :class:`~exactgeom.Polytope`.

    Attributes
    ----------
    polytope : Polytope
        The parent.
    vertex_ids : tuple[int, ...]
        Indices into ``polytope.vertices``.
    facet_ids : tuple[int, ...]
        Indices of the parent's facets that contain the face (its tight facets).
    """

    polytope: "Polytope"
    mask: int

    @property
    def vertex_ids(self) -> tuple[int, ...]:
        return tuple(bits(self.mask))

    @property
    def vertices(self) -> tuple[tuple, ...]:
        vs = self.polytope.vertices
        return tuple(vs[i] for i in bits(self.mask))

    @property
    def facet_ids(self) -> tuple[int, ...]:
        return self.polytope._tight_facets(self.mask)

    @property
    def dim(self) -> int:
        return self.polytope._face_dim(self.mask)

    def volume(self) -> "Surd":
        """Exact ``dim``-dimensional volume (a surd ``q·√d``)."""
        return self.polytope._face_volume(self.mask)

    def squared_volume(self) -> "object":
        """Exact rational square of :meth:`volume`."""
        return self.volume().squared()

    def as_polytope(self) -> "Polytope":
        """The face as a (lower-dimensional) :class:`Polytope` of its own."""
        return self.polytope._face_polytope(self.mask)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Face) and other.polytope is self.polytope and other.mask == self.mask

    def __hash__(self) -> int:
        return hash((id(self.polytope), self.mask))

    def __repr__(self) -> str:
        return f"Face(dim={self.dim}, vertex_ids={self.vertex_ids}, facet_ids={self.facet_ids})"
