"""The face lattice of a bounded polytope, computed combinatorially from facet–vertex
incidences (bitmasks over vertex indices), and the :class:`Face` value.

Facts used (for a polytope, the face lattice is atomic and coatomic):

* the facets of a face ``G`` of dimension ``k >= 1`` are exactly the inclusion-maximal
  non-empty proper intersections ``G ∩ F`` with facets ``F`` of the polytope;
* a face is determined by its vertex set, and its tight facets are the facets whose
  vertex set contains it.

A face is named by the bitmask of its vertices (bit ``v`` set iff vertex ``v`` of the
parent lies on it). The functions here take the parent :class:`~exactgeom.Polytope` and
memoise on it; :class:`~exactgeom.Polytope` exposes them as methods (``face``,
``facet``, ``face_lattice``, ``facet_adjacency``). Apart from :func:`face_dim` and
:func:`face_polytope` no coordinates are touched: every decision is exact and
combinatorial.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import InvalidInputError
from ..linalg import rational as la
from ..numbers._compat import now_method

if TYPE_CHECKING:  # pragma: no cover
    from fractions import Fraction

    from ..numbers.surd import Surd
    from .polytope import Polytope

__all__ = [
    "Face",
    "FaceLattice",
    "bits",
    "maximal_sets",
    "children",
    "vertex_facet_lists",
    "tight_facets",
    "face_dim",
    "face_of",
    "face_polytope",
    "ridges",
    "facet_adjacency",
]


def bits(mask: int) -> list[int]:
    """Indices of the set bits of ``mask``, ascending.

    Short or sparse masks are split by peeling off the lowest set bit; long ones by
    scanning their binary string in C (each big-int step costs the mask's length).

    >>> bits(0b101100), bits(0), bits(1 << 600 | 1), bits((1 << 40) - 1) == list(range(40))
    ([2, 3, 5], [], [0, 600], True)
    """
    n = mask.bit_length()
    dense = 3 * mask.bit_count() > n
    out: list[int] = []
    if n <= 32 or (n <= 512 and not dense):
        while mask:
            low = mask & -mask
            out.append(low.bit_length() - 1)
            mask ^= low
        return out
    s = bin(mask)[:1:-1]  # binary digits, least significant first
    if dense:
        return [i for i, c in enumerate(s) if c == "1"]
    i = s.find("1")
    while i >= 0:
        out.append(i)
        i = s.find("1", i + 1)
    return out


def maximal_sets(masks: set[int]) -> list[int]:
    """The inclusion-maximal members of a set of bitmasks (sorted by size, descending).

    >>> maximal_sets({0b011, 0b001, 0b110})
    [3, 6]
    """
    out: list[int] = []
    for m in sorted(masks, key=lambda x: (-x.bit_count(), x)):
        if not any(m & k == m for k in out):
            out.append(m)
    return out


# ---------------------------------------------------------------------- faces of a polytope
def children(P: Polytope, mask: int) -> list[int]:
    """Vertex masks of the facets of the face ``mask`` of ``P`` (memoised on ``P``).

    >>> from exactgeom import Polytope
    >>> sorted(children(Polytope.box([(0, 1)] * 2), 0b0011))   # an edge has two vertices
    [1, 2]
    """
    memo: dict[int, list[int]] = P.__dict__.setdefault("_children_memo", {})
    got = memo.get(mask)
    if got is None:
        if mask == P._all_vertices_mask:
            got = list(dict.fromkeys(P._facet_masks))
        elif mask & (mask - 1) == 0:  # a vertex
            got = []
        else:
            cand = {mask & fm for fm in P._facet_masks} - {mask, 0}
            got = maximal_sets(cand)
        memo[mask] = got
    return got


def vertex_facet_lists(P: Polytope) -> list[list[int]]:
    """For each vertex of ``P``, the facets through it (ascending)."""
    vf: list[list[int]] = [[] for _ in P._points]
    npts = len(P._points)
    for i, m in enumerate(P._facet_masks):
        for v in bits(m):
            if v < npts:
                vf[v].append(i)
    return vf


def tight_facets(P: Polytope, mask: int) -> tuple[int, ...]:
    """Indices of the facets of ``P`` that contain the face ``mask``."""
    return tuple(i for i, fm in enumerate(P._facet_masks) if fm & mask == mask)


def face_dim(P: Polytope, mask: int) -> int:
    """Dimension of the face ``mask`` (rank of its edge vectors from the first vertex)."""
    pts = [P._points[i] for i in bits(mask)]
    p0 = pts[0]
    return la.rank([tuple(x - y for x, y in zip(p, p0)) for p in pts[1:]], P._n) if len(pts) > 1 else 0


def face_of(P: Polytope, vertex_ids: int | Iterable[int]) -> Face:
    """The face of ``P`` with the given vertex set (bitmask or vertex ids); see
    :meth:`exactgeom.Polytope.face`."""
    if isinstance(vertex_ids, int):
        mask = vertex_ids
    else:
        mask = 0
        for v in vertex_ids:
            mask |= 1 << int(v)
    P._require_bounded("faces")
    if mask <= 0 or mask > P._all_vertices_mask:
        raise InvalidInputError("a face needs a non-empty set of valid vertex ids")
    closure = P._all_vertices_mask
    for fm in P._facet_masks:
        if fm & mask == mask:
            closure &= fm
    if closure != mask:
        raise InvalidInputError(f"vertices {sorted(bits(mask))} are not the vertex set of a face")
    return Face(P, mask)


def face_polytope(P: Polytope, mask: int) -> Polytope:
    """The face ``mask`` of ``P`` as a polytope of its own: ``P``'s rows with the tight
    facets turned into equations."""
    A, b, E, f = P._hrep_rows()
    tight = tight_facets(P, mask)
    E2 = E + [A[i] for i in tight]
    f2 = f + [b[i] for i in tight]
    rest = [i for i in range(len(A)) if i not in set(tight)]
    return P._from_h(P._n, [A[i] for i in rest], [b[i] for i in rest], E2, f2)


def ridges(P: Polytope) -> dict[tuple[int, int], int]:
    """Pairs ``(i, j)``, ``i < j``, of facets of ``P`` meeting in a ridge (a face of
    dimension ``dim − 2``), with the ridge's vertex mask.

    >>> from exactgeom import Polytope
    >>> sorted(ridges(Polytope.from_vrep([[0, 0], [1, 0], [0, 1]])))
    [(0, 1), (0, 2), (1, 2)]
    """
    out: dict[tuple[int, int], int] = {}
    if P._dim < 2:
        return out
    index = {m: i for i, m in enumerate(P._facet_masks)}
    for i, fm in enumerate(P._facet_masks):
        for r in children(P, fm):
            for j, gm in enumerate(P._facet_masks):
                if j != i and gm & r == r and index.get(gm, j) == j:
                    a, c = (i, j) if i < j else (j, i)
                    out[(a, c)] = r
    return out


def facet_adjacency(P: Polytope) -> tuple[tuple[int, ...], ...]:
    """For each facet of ``P``, the facets it meets in a ridge, sorted; see
    :meth:`exactgeom.Polytope.facet_adjacency`."""
    P._require_bounded("facet adjacency")
    adj: list[set[int]] = [set() for _ in P._facets]
    for i, j in P._ridges:
        adj[i].add(j)
        adj[j].add(i)
    return tuple(tuple(sorted(s)) for s in adj)


# ---------------------------------------------------------------------- the lattice and its faces
class FaceLattice:
    """All non-empty faces of a bounded polytope, by dimension.

    ``faces(k)`` lists the k-faces; ``f_vector()`` is ``(f_0, ..., f_{d-1})``; the polytope
    itself (dimension d) is ``faces(d)``. Faces are :class:`Face` values.
    """

    def __init__(self, polytope: Polytope) -> None:
        self._p = polytope
        d = polytope.dim
        levels: list[list[int]] = [[] for _ in range(max(d, 0) + 1)]
        if d >= 0:
            levels[d] = [polytope._all_vertices_mask]
            for k in range(d, 0, -1):
                seen: dict[int, None] = {}
                for m in levels[k]:
                    for c in children(polytope, m):
                        seen.setdefault(c, None)
                levels[k - 1] = sorted(seen, key=bits)
        self._levels = levels

    @property
    def dim(self) -> int:
        return self._p.dim

    def faces(self, k: int) -> tuple[Face, ...]:
        """The faces of dimension ``k`` (``0 <= k <= dim``), in a canonical order."""
        if not 0 <= k < len(self._levels):
            return ()
        return tuple(self._p.face(m) for m in self._levels[k])

    def masks(self, k: int) -> tuple[int, ...]:
        """Vertex bitmasks of the k-faces."""
        if not 0 <= k < len(self._levels):
            return ()
        return tuple(self._levels[k])

    @now_method
    def f_vector(self) -> tuple[int, ...]:
        """``(f_0, ..., f_{d-1})``: the number of faces of each proper dimension (a method,
        like :meth:`Polytope.f_vector`: one name, one spelling)."""
        return tuple(len(self._levels[k]) for k in range(max(self.dim, 0)))

    def to_networkx(self) -> Any:
        """The Hasse diagram as a ``networkx.DiGraph``: one node per face (the polytope
        itself included), keyed by its sorted vertex ids, with attributes ``dim`` and
        ``facet_ids``; an edge ``F -> G`` when ``G`` is a facet of ``F`` (a covering
        relation of the lattice). The empty face is not a node.

        >>> from exactgeom import Polytope
        >>> H = Polytope.box([(0, 1), (0, 1)]).face_lattice().to_networkx()
        >>> H.number_of_nodes(), H.number_of_edges()   # 4 + 4 + 1 faces; 8 + 4 coverings
        (9, 12)
        >>> H.nodes[(0, 1, 2, 3)]["dim"]
        2
        """
        import networkx as nx

        P = self._p
        G = nx.DiGraph()
        for k, level in enumerate(self._levels):
            for m in level:
                G.add_node(tuple(bits(m)), dim=k, facet_ids=tight_facets(P, m))
        for k in range(len(self._levels) - 1, 0, -1):
            for m in self._levels[k]:
                for c in children(P, m):
                    G.add_edge(tuple(bits(m)), tuple(bits(c)))
        return G

    def __len__(self) -> int:
        return sum(len(lv) for lv in self._levels)

    def __iter__(self) -> Iterator[Face]:
        for k in range(len(self._levels)):
            yield from self.faces(k)

    def __repr__(self) -> str:
        return f"FaceLattice(dim={self.dim}, f_vector={self.f_vector()})"


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

    polytope: Polytope
    mask: int

    @property
    def vertex_ids(self) -> tuple[int, ...]:
        return tuple(bits(self.mask))

    @property
    def vertices(self) -> tuple[tuple[Fraction, ...], ...]:
        vs = self.polytope.vertices
        return tuple(vs[i] for i in bits(self.mask))

    @property
    def facet_ids(self) -> tuple[int, ...]:
        return tight_facets(self.polytope, self.mask)

    @property
    def dim(self) -> int:
        return face_dim(self.polytope, self.mask)

    def volume(self) -> Surd:
        """Exact ``dim``-dimensional volume (a surd ``q·√d``)."""
        return self.polytope._face_volume(self.mask)

    def squared_volume(self) -> object:
        """Exact rational square of :meth:`volume`."""
        return self.volume().squared()

    def as_polytope(self) -> Polytope:
        """The face as a (lower-dimensional) :class:`Polytope` of its own."""
        return face_polytope(self.polytope, self.mask)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Face) and other.polytope is self.polytope and other.mask == self.mask

    def __hash__(self) -> int:
        return hash((id(self.polytope), self.mask))

    def __repr__(self) -> str:
        return f"Face(dim={self.dim}, vertex_ids={self.vertex_ids}, facet_ids={self.facet_ids})"
