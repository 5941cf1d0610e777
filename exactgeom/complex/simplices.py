"""Enumerating the simplices of the complex of a partition (or of any finite family of
convex polytopes), with the exact common intersection ``I_σ`` of every simplex.

* :func:`facet_simplices` — convention ``facet``: ``σ`` (``|σ| = p + 1``) is a
  p-simplex iff ``dim I_σ = n − p`` and every face of ``σ`` is a simplex. Edges are the
  pairs of cells sharing an (n−1)-face (:meth:`Partition.adjacency`); higher simplices
  extend cliques of that graph.
* :func:`nerve_simplices` — convention ``nerve``: ``σ`` is a simplex iff ``I_σ ≠ ∅``
  (any family of polytopes, not only partitions); simplices up to ``max_dim``.

Non-emptiness is decided exactly, cheap tests first: bounding boxes (disjoint →
empty), a shared vertex or a vertex of one polytope inside the other (→ non-empty), a
facet hyperplane of one polytope strictly separating the other's vertices (→ empty),
and otherwise an exact LP (``cdd``'s exact simplex through
:func:`exactgeom.polytope.backends.cdd.lp_solve`).

Simplices are sorted tuples of indices; ``result.simplices[p]`` lists the p-simplices
in lexicographic order and ``result.intersection[σ]`` is ``I_σ``.

>>> from exactgeom import arrangement
>>> P = arrangement([[1, 0], [0, 1]], [0, 0], [(-1, 1), (-1, 1)])
>>> [len(s) for s in facet_simplices(P).simplices]      # the 4-cycle
[4, 4]
>>> [len(s) for s in nerve_simplices([c.polytope for c in P.cells]).simplices]   # the tetrahedron
[4, 6, 4, 1]
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ..errors import DegenerateError, InvalidInputError
from ..partitions._progress import progress_bar
from ..partitions.partition import Partition
from ..partitions.relu_data import DataSharedFace
from ..polytope.backends.cdd import lp_solve
from ..polytope.polytope import Polytope

__all__ = ["MAX_SIMPLICES", "Intersections", "SimplexData", "facet_simplices", "nerve_simplices", "intersects", "Piece", "candidate_pairs", "all_faces_present"]

Simplex = tuple[int, ...]


class Piece:
    """A bounded polytope with cached data for fast intersection tests. The vertex data
    (``verts``, bounding box ``lo``/``hi``) and the Fraction rows (``rows``) are computed
    on first use, so the facet convention on H-first cells (high-dimensional data cells)
    never asks for vertices, and converts a cell's rows only when a simplex above an
    edge needs them."""

    __slots__ = ("_box", "_rows", "poly")

    def __init__(self, poly: Polytope) -> None:
        self.poly = poly
        self._rows: tuple[list, list, list, list] | None = None
        self._box: tuple | None = None

    @property
    def rows(self) -> tuple[list, list, list, list]:
        """``(A, b, E, f)``: the polytope's facet and equality rows as Fractions (cached)."""
        if self._rows is None:
            self._rows = self.poly._hrep_rows()
        return self._rows

    def _vertex_data(self) -> tuple:
        if self._box is None:
            V = self.poly.vertices
            n = self.poly.ambient_dim
            if V:
                lo = tuple(min(v[j] for v in V) for j in range(n))
                hi = tuple(max(v[j] for v in V) for j in range(n))
            else:
                lo = hi = ()
            self._box = (lo, hi, frozenset(V))
        return self._box

    @property
    def lo(self) -> tuple:
        return self._vertex_data()[0]

    @property
    def hi(self) -> tuple:
        return self._vertex_data()[1]

    @property
    def verts(self) -> frozenset:
        return self._vertex_data()[2]


def _contains(rows: tuple[list, list, list, list], x: Sequence[Fraction]) -> bool:
    A, b, E, f = rows
    for a, bi in zip(A, b):
        if sum(ai * xi for ai, xi in zip(a, x)) > bi:
            return False
    return all(sum(ei * xi for ei, xi in zip(e, x)) == fi for e, fi in zip(E, f))


def _separated(P: Piece, Q: Piece) -> bool:
    """True when a facet hyperplane (or equality) of P strictly separates Q's vertices."""
    A, b, E, f = P.rows
    for a, bi in zip(A, b):
        if all(sum(ai * xi for ai, xi in zip(a, v)) > bi for v in Q.verts):
            return True
    for e, fi in zip(E, f):
        vals = [sum(ei * xi for ei, xi in zip(e, v)) - fi for v in Q.verts]
        if all(x > 0 for x in vals) or all(x < 0 for x in vals):
            return True
    return False


def intersects(P: Piece, Q: Piece) -> bool:
    """Exact test: do the two polytopes meet? (cheap filters, then an exact LP)"""
    if not P.verts or not Q.verts:
        return False
    if any(Q.lo[j] > P.hi[j] or P.lo[j] > Q.hi[j] for j in range(len(P.lo))):
        return False
    if P.verts & Q.verts:
        return True
    if any(_contains(Q.rows, v) for v in P.verts) or any(_contains(P.rows, v) for v in Q.verts):
        return True
    if _separated(P, Q) or _separated(Q, P):
        return False
    A1, b1, E1, f1 = P.rows
    A2, b2, E2, f2 = Q.rows
    n = len(P.lo)
    res = lp_solve([Fraction(0)] * n, A1 + A2, b1 + b2, E1 + E2, f1 + f2)
    return res.status == "optimal"


class Intersections(dict):  # type: ignore[type-arg]
    """``{σ: I_σ}``, computed on first access from the H-representations of the cells
    of σ (exact, cached)."""

    def __init__(self, pieces: Sequence[Piece], n: int) -> None:
        super().__init__()
        self._pieces = pieces
        self._n = n
        self.later: dict[Simplex, Any] = {}  # σ -> an object whose .face is I_σ, built on first access

    def __missing__(self, key: Simplex) -> Polytope:
        if key in self.later:  # a data-graph edge: its H-first face polytope only when asked for
            I = self.later.pop(key).face
            self[key] = I
            return I
        if not key or any(not isinstance(i, int) or not 0 <= i < len(self._pieces) for i in key):
            raise KeyError(key)
        A: list = []
        b: list = []
        E: list = []
        f: list = []
        for i in key:
            A2, b2, E2, f2 = self._pieces[i].rows
            A += A2
            b += b2
            E += E2
            f += f2
        I = Polytope._from_h(self._n, A, b, E, f)
        self[key] = I
        return I


@dataclass
class SimplexData:
    """Simplices by dimension and the common intersection of each (``I_σ``, a lazily
    filled mapping for the nerve; ``truncated``: simplices above ``max_dim`` exist)."""

    simplices: list[list[Simplex]]
    intersection: dict[Simplex, Polytope] = field(default_factory=dict)
    truncated: bool = False

    @property
    def top_dim(self) -> int:
        return len(self.simplices) - 1


def candidate_pairs(pieces: Sequence[Piece]) -> list[tuple[int, int]]:
    """Pairs whose closed bounding boxes overlap (sweep on the first coordinate)."""
    idx = sorted((i for i, p in enumerate(pieces) if p.verts), key=lambda i: pieces[i].lo[0])
    out = []
    for t, i in enumerate(idx):
        Pi = pieces[i]
        for j in idx[t + 1 :]:
            Pj = pieces[j]
            if Pj.lo[0] > Pi.hi[0]:
                break
            if all(Pj.lo[k] <= Pi.hi[k] and Pi.lo[k] <= Pj.hi[k] for k in range(1, len(Pi.lo))):
                out.append((min(i, j), max(i, j)))
    out.sort()
    return out


def _intersect(n: int, P: Polytope, Q: Piece) -> Polytope:
    A, b, E, f = P._hrep_rows()
    A2, b2, E2, f2 = Q.rows
    return Polytope._from_h(n, A + A2, b + b2, E + E2, f + f2)


def _cofaces(
    level: list[Simplex], adj: list[set[int]]
) -> Iterator[tuple[Simplex, int, Simplex]]:
    """Candidate extensions ``(σ, v, σ ∪ {v})``: v > max σ adjacent to all of σ and
    every facet of σ ∪ {v} in ``level``."""
    present = set(level)
    for s in level:
        common = set.intersection(*(adj[v] for v in s))
        for v in sorted(w for w in common if w > s[-1]):
            t = s + (v,)
            if all(t[:k] + t[k + 1 :] in present for k in range(len(t) - 1)):
                yield s, v, t


def facet_simplices(partition: Partition, max_dim: int | None = None, progress: bool | None = None) -> SimplexData:
    """The simplices of the ``facet`` convention (see the module docstring).

    ``max_dim`` caps the simplex dimension (default: no cap; at most n anyway, since
    ``dim I_σ = n − p ≥ 0``).  ``progress``: a bar per simplex degree ≥ 2 over its
    candidates (see :func:`~exactgeom.partitions._progress.progress_bar`).
    """

    n = partition.ambient_dim
    m = partition.n_cells
    pieces = [Piece(c.polytope) for c in partition.cells]
    data = SimplexData([[(i,) for i in range(m)]], Intersections(pieces, n))
    for i, c in enumerate(partition.cells):
        data.intersection[(i,)] = c.polytope
    adj: list[set[int]] = [set() for _ in range(m)]
    edges = []
    for f in partition.adjacency():
        e = (f.i, f.j)
        edges.append(e)
        if isinstance(f, DataSharedFace):
            data.intersection.later[e] = f  # type: ignore[attr-defined]
        else:
            data.intersection[e] = f.face
        adj[f.i].add(f.j)
        adj[f.j].add(f.i)
    edges.sort()
    if max_dim == 0:
        data.truncated = bool(edges)
        return data
    if edges:
        data.simplices.append(edges)
    p = 1
    while len(data.simplices) > p and data.simplices[p]:
        new: list[Simplex] = []
        cands = list(_cofaces(data.simplices[p], adj))
        with progress_bar(len(cands), f"complex: {p + 1}-simplices", progress, unit="candidate") as bar:
            for s, v, t in cands:
                bar.update(1)
                I = _intersect(n, data.intersection[s], pieces[v])
                if I.dim == n - (p + 1):
                    if max_dim is not None and p + 1 > max_dim:
                        data.truncated = True
                        break
                    new.append(t)
                    data.intersection[t] = I
        if not new:
            break
        new.sort()
        data.simplices.append(new)
        p += 1
    return data


def _lp_nonempty(pieces: Sequence[Piece], t: Simplex) -> bool:
    A: list = []
    b: list = []
    E: list = []
    f: list = []
    for i in t:
        A2, b2, E2, f2 = pieces[i].rows
        A += A2
        b += b2
        E += E2
        f += f2
    n = len(pieces[t[0]].lo)
    return lp_solve([Fraction(0)] * n, A, b, E, f).status == "optimal"


#: Default cap on the number of nerve simplices: k hyperplanes through one point make
#: 2k cells meeting there, and the full nerve then has 2^(2k) simplices.
MAX_SIMPLICES = 200_000


def nerve_simplices(
    polys: Sequence[Polytope], max_dim: int | None = None, *, max_simplices: int | None = MAX_SIMPLICES
) -> SimplexData:
    """The nerve of a finite family of bounded polytopes: every set of indices whose
    polytopes have a common point, up to dimension ``max_dim`` (default: all).

    Raises :class:`~exactgeom.errors.DegenerateError` when more than ``max_simplices``
    simplices would be built (many cells meeting at one point); pass ``max_dim`` (the
    homology below ``max_dim`` stays exact) or a larger ``max_simplices``.

    Non-emptiness of ``I_σ`` for ``|σ| ≥ 3`` is decided by a common vertex of all members
    (then non-empty), else by an exact LP; the intersections ``I_σ`` themselves are
    computed only when asked for (``result.intersection[σ]``).
    ``result.truncated`` tells whether simplices above ``max_dim`` exist.
    """
    if max_dim is not None and (not isinstance(max_dim, int) or max_dim < 0):
        raise InvalidInputError(f"max_dim must be a non-negative int or None, got {max_dim!r}")
    if not polys:
        return SimplexData([[]])
    n = polys[0].ambient_dim
    pieces = [Piece(P) for P in polys]
    keep = [i for i, P in enumerate(polys) if not P.is_empty]
    data = SimplexData([[(i,) for i in keep]], Intersections(pieces, n))
    for i in keep:
        data.intersection[(i,)] = polys[i]
    adj: list[set[int]] = [set() for _ in polys]
    edges = []
    for i, j in candidate_pairs(pieces):
        if intersects(pieces[i], pieces[j]):
            adj[i].add(j)
            adj[j].add(i)
            edges.append((i, j))
    if max_dim == 0:
        data.truncated = bool(edges)
        return data
    if not edges:
        return data
    data.simplices.append(edges)
    common: dict[Simplex, frozenset] = {e: pieces[e[0]].verts & pieces[e[1]].verts for e in edges}
    total = len(keep) + len(edges)
    p = 1
    while data.simplices[p]:
        new: list[Simplex] = []
        nxt: dict[Simplex, frozenset] = {}
        for s, v, t in _cofaces(data.simplices[p], adj):
            cv = common[s] & pieces[v].verts
            if cv or _lp_nonempty(pieces, t):
                if max_dim is not None and p + 1 > max_dim:
                    data.truncated = True
                    break
                new.append(t)
                nxt[t] = cv
                total += 1
                if max_simplices is not None and total > max_simplices:
                    raise DegenerateError(
                        f"the nerve has more than {max_simplices} simplices (up to dimension {p + 1} so far: "
                        "many cells meet at one point); pass max_dim (e.g. the ambient dimension n: the "
                        "homology below max_dim stays exact) or a larger max_simplices"
                    )
        if not new:
            break
        new.sort()
        data.simplices.append(new)
        common = nxt
        p += 1
    return data


def all_faces_present(simplices: list[list[Simplex]]) -> bool:
    """Closure check: every face of every simplex is listed (used by tests)."""
    present = [set(s) for s in simplices]
    for p in range(1, len(simplices)):
        for s in simplices[p]:
            for k in range(len(s)):
                if s[:k] + s[k + 1 :] not in present[p - 1]:
                    return False
    return True
