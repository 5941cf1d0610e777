"""A slow pure-Python exact oracle for the polytope layer (tests only).

Nothing here uses cddlib, python-flint or any other module of the polytope layer: every
quantity is recomputed from scratch with :class:`~fractions.Fraction` Gaussian
elimination, by different algorithms than :class:`~exactgeom.Polytope` uses:

* **vertices** by brute force: every choice of ``n`` linearly independent constraint rows
  (equalities always included) is solved exactly; the solutions satisfying every
  constraint are the vertices;
* **facets** by incidence rank: an inequality row defines a facet iff its tight vertices
  span an affine space of dimension ``dim − 1``; normals are projected onto the
  direction space of the affine hull and made primitive, as in the canonical form;
* **faces** as the distinct non-empty intersections of facet vertex sets, dimension by
  affine rank;
* **volume and centroid** by a barycentric fan: the polytope is coned from the average of
  its vertices over a (recursively coned) triangulation of each facet. The cone apexes
  are face barycentres, never vertices, so this triangulation differs from the pulling
  triangulation of the main code;
* **relative volume** of a lower-dimensional polytope from the same fan, in coordinates of
  a basis of differences of vertices (its squared value is rational).

Sizes are meant to be tiny (``n ≤ 4``, ``≤ 12`` rows): the vertex search is
``C(rows, n)`` solves.

>>> R = RefPolytope.from_hrep([[1, 0], [0, 1], [-1, -1]], [1, 1, 0])
>>> R.vertices, R.volume()
(((Fraction(-1, 1), Fraction(1, 1)), (Fraction(1, 1), Fraction(-1, 1)), (Fraction(1, 1), Fraction(1, 1))), Fraction(2, 1))
>>> RefPolytope.from_vrep([[0, 0], [2, 0], [0, 2], [1, 1]]).centroid()
(Fraction(2, 3), Fraction(2, 3))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property, reduce
from itertools import combinations
from math import factorial, gcd, lcm
from typing import Any

from ...errors import DegenerateError, InvalidInputError

__all__ = ["RefPolytope", "rank", "solve", "det", "nullspace"]

Vec = tuple[Fraction, ...]


# ---------------------------------------------------------------- Fraction linear algebra
def _echelon(rows: Sequence[Sequence[Fraction]], ncols: int) -> tuple[list[list[Fraction]], list[int]]:
    """Reduced row echelon form (nonzero rows, pivot columns) by Gauss–Jordan."""
    M = [[Fraction(x) for x in r] for r in rows]
    piv: list[int] = []
    r = 0
    for c in range(ncols):
        p = next((i for i in range(r, len(M)) if M[i][c] != 0), None)
        if p is None:
            continue
        M[r], M[p] = M[p], M[r]
        inv = 1 / M[r][c]
        M[r] = [x * inv for x in M[r]]
        for i in range(len(M)):
            if i != r and M[i][c] != 0:
                f = M[i][c]
                M[i] = [x - f * y for x, y in zip(M[i], M[r])]
        piv.append(c)
        r += 1
        if r == len(M):
            break
    return M[:r], piv


def rank(rows: Sequence[Sequence[Fraction]], ncols: int) -> int:
    """Exact rank.

    >>> rank([[1, 2], [2, 4]], 2)
    1
    """
    return len(_echelon(rows, ncols)[1]) if rows else 0


def nullspace(rows: Sequence[Sequence[Fraction]], ncols: int) -> list[Vec]:
    """A basis of ``{x : rows·x = 0}``.

    >>> nullspace([[1, 1]], 2)
    [(Fraction(-1, 1), Fraction(1, 1))]
    """
    R, piv = _echelon(rows, ncols) if rows else ([], [])
    out = []
    for fcol in (c for c in range(ncols) if c not in piv):
        v = [Fraction(0)] * ncols
        v[fcol] = Fraction(1)
        for row, p in zip(R, piv):
            v[p] = -row[fcol]
        out.append(tuple(v))
    return out


def det(rows: Sequence[Sequence[Fraction]]) -> Fraction:
    """Exact determinant by fraction Gaussian elimination (1 for 0×0).

    >>> det([[1, 2], [3, 4]])
    Fraction(-2, 1)
    """
    M = [[Fraction(x) for x in r] for r in rows]
    n = len(M)
    out = Fraction(1)
    for c in range(n):
        p = next((i for i in range(c, n) if M[i][c] != 0), None)
        if p is None:
            return Fraction(0)
        if p != c:
            M[c], M[p] = M[p], M[c]
            out = -out
        out *= M[c][c]
        for i in range(c + 1, n):
            if M[i][c] != 0:
                f = M[i][c] / M[c][c]
                M[i] = [x - f * y for x, y in zip(M[i], M[c])]
    return out


def solve(A: Sequence[Sequence[Fraction]], b: Sequence[Fraction]) -> Vec | None:
    """The unique solution of the square system ``A x = b``, or None if singular."""
    n = len(A)
    R, piv = _echelon([list(r) + [bi] for r, bi in zip(A, b)], n + 1)
    if piv != list(range(n)):
        return None
    return tuple(row[n] for row in R)


def _dot(a: Sequence[Any], x: Sequence[Any]) -> Fraction:
    return sum((ai * xi for ai, xi in zip(a, x)), Fraction(0))


def _primitive(v: Sequence[Fraction]) -> tuple[tuple[int, ...], Fraction]:
    L = reduce(lcm, (Fraction(x).denominator for x in v), 1)
    ints = [int(Fraction(x) * L) for x in v]
    g = reduce(gcd, ints, 0)
    return tuple(x // g for x in ints), Fraction(L, g)


def _affine_rank(pts: Sequence[Vec], n: int) -> int:
    if not pts:
        return -1
    p0 = pts[0]
    return rank([[x - y for x, y in zip(p, p0)] for p in pts[1:]], n)


# ---------------------------------------------------------------- the oracle
@dataclass(frozen=True)
class RefPolytope:
    """A bounded polytope ``{x : A x <= b, E x = f}`` with its data computed by brute force.

    Attributes
    ----------
    n : int
        Ambient dimension.
    vertices : tuple of vertices, sorted lexicographically.
    facets : tuple of ``(normal, offset)`` (primitive integer normal in the direction space
        of the affine hull), sorted.
    dim : int
        Dimension (−1 when empty).
    """

    n: int
    vertices: tuple[Vec, ...]
    facets: tuple[tuple[tuple[int, ...], Fraction], ...]
    dim: int
    facet_vertex_sets: tuple[frozenset[int], ...] = field(repr=False)

    # -------------------------------------------------------------- construction
    @classmethod
    def from_hrep(
        cls, A: Sequence[Sequence[Any]], b: Sequence[Any], E: Sequence[Sequence[Any]] = (), f: Sequence[Any] = (),
        *, n: int | None = None
    ) -> RefPolytope:
        """Brute-force vertex enumeration (the polyhedron must be bounded).

        Raises
        ------
        DegenerateError
            The polyhedron is unbounded (it has no vertex but is non-empty, or a
            direction of recession exists).
        """
        Aq = [tuple(Fraction(x) for x in r) for r in A]
        bq = [Fraction(x) for x in b]
        Eq = [tuple(Fraction(x) for x in r) for r in E]
        fq = [Fraction(x) for x in f]
        if n is None:
            rows = Aq or Eq
            if not rows:
                raise InvalidInputError("no rows: pass n")
            n = len(rows[0])
        # boundedness: no nonzero d with A d <= 0, E d = 0 — checked on the vertex set
        # below (a bounded non-empty polyhedron is the hull of its vertices)
        verts: set[Vec] = set()
        # an independent subset of the equalities (the others follow or contradict)
        E_ind: list[Vec] = []
        f_ind: list[Fraction] = []
        for e, fi in zip(Eq, fq):
            if rank(E_ind + [e], n) > len(E_ind):
                E_ind.append(e)
                f_ind.append(fi)
        need = n - len(E_ind)
        for S in combinations(range(len(Aq)), need):
            x = solve([Aq[i] for i in S] + E_ind, [bq[i] for i in S] + f_ind)
            if x is None:
                continue
            if all(_dot(a, x) <= bi for a, bi in zip(Aq, bq)) and all(_dot(e, x) == fi for e, fi in zip(Eq, fq)):
                verts.add(x)
        V = tuple(sorted(verts))
        if V:
            cls._check_bounded(Aq, Eq, n)
        return cls._from_vertices(n, V, Aq, bq)

    @staticmethod
    def _check_bounded(A: list[Vec], E: list[Vec], n: int) -> None:
        # the recession cone {d : A d <= 0, E d = 0} is {0} iff, for each coordinate
        # direction sign, no ray exists; brute force over its generators: the cone's
        # extreme rays solve n-1 tight rows. Simple test: rank of A ∪ E is n and the
        # cone has no extreme ray.
        rows = A + E
        if rank(rows, n) < n:
            raise DegenerateError("the reference backend needs a bounded polyhedron (it has a line)")
        k = n - 1 - (rank(E, n) if E else 0)
        for S in combinations(range(len(A)), max(k, 0)):
            M = [A[i] for i in S] + E
            ns = nullspace(M, n)
            if len(ns) != 1:
                continue
            d = ns[0]
            for s in (1, -1):
                dd = tuple(s * x for x in d)
                if all(_dot(a, dd) <= 0 for a in A) and all(_dot(e, dd) == 0 for e in E):
                    raise DegenerateError("the reference backend needs a bounded polyhedron (it has a ray)")

    @classmethod
    def from_vrep(cls, points: Sequence[Sequence[Any]]) -> RefPolytope:
        """The convex hull of ``points``: facets by brute force over subsets of points."""
        P = [tuple(Fraction(x) for x in p) for p in points]
        n = len(P[0])
        P = sorted(set(P))
        k = _affine_rank(P, n)
        p0 = P[0]
        dirs = [tuple(x - y for x, y in zip(p, p0)) for p in P[1:]]
        eq_normals = nullspace(dirs, n) if dirs else [tuple(Fraction(int(i == j)) for j in range(n)) for i in range(n)]
        A: list[Vec] = [tuple(Fraction(x) for x in w) for w in eq_normals]
        b: list[Fraction] = [_dot(w, p0) for w in eq_normals]
        A += [tuple(-x for x in w) for w in A]
        b += [-x for x in b]
        # candidate facet hyperplanes (within the hull): through k affinely independent points
        base = eq_normals
        for S in combinations(range(len(P)), k if k > 0 else len(P) + 1):
            pts = [P[i] for i in S]
            if _affine_rank(pts, n) != k - 1:
                continue
            q0 = pts[0]
            ns = nullspace([[x - y for x, y in zip(q, q0)] for q in pts[1:]] + [list(w) for w in base], n)
            if len(ns) != 1:
                continue
            a = ns[0]
            c = _dot(a, q0)
            vals = [_dot(a, p) - c for p in P]
            if all(v <= 0 for v in vals):
                A.append(a)
                b.append(c)
            elif all(v >= 0 for v in vals):
                A.append(tuple(-x for x in a))
                b.append(-c)
        return cls._from_vertices(n, _hull_vertices(P, n), A, b)

    @classmethod
    def _from_vertices(cls, n: int, V: tuple[Vec, ...], A: Sequence[Vec], b: Sequence[Fraction]) -> RefPolytope:
        if not V:
            return cls(n, (), (), -1, ())
        d = _affine_rank(V, n)
        p0 = V[0]
        dirs = [tuple(x - y for x, y in zip(p, p0)) for p in V[1:]]
        normals = nullspace(dirs, n) if dirs else [tuple(Fraction(int(i == j)) for j in range(n)) for i in range(n)]
        facets: dict[tuple[tuple[int, ...], Fraction], frozenset[int]] = {}
        for a, bi in zip(A, b):
            tight = frozenset(i for i, v in enumerate(V) if _dot(a, v) == bi)
            if len(tight) == len(V) or not tight:
                continue
            if _affine_rank([V[i] for i in sorted(tight)], n) != d - 1:
                continue
            ap = _project(a, normals)
            off = _dot(ap, V[min(tight)])
            w, s = _primitive(ap)
            facets[(w, off * s)] = tight
        keys = tuple(sorted(facets))
        return cls(n, V, keys, d, tuple(facets[k] for k in keys))

    # -------------------------------------------------------------- queries
    @property
    def is_empty(self) -> bool:
        return self.dim < 0

    def faces(self) -> dict[int, set[frozenset[int]]]:
        """All non-empty faces by dimension, as vertex-index sets."""
        return self._faces

    @cached_property
    def _faces(self) -> dict[int, set[frozenset[int]]]:
        out: dict[int, set[frozenset[int]]] = {}
        if self.is_empty:
            return out
        allv = frozenset(range(len(self.vertices)))
        seen = {allv}
        frontier = [allv]
        while frontier:
            nxt = []
            for G in frontier:
                for Fs in self.facet_vertex_sets:
                    H = G & Fs
                    if H and H not in seen:
                        seen.add(H)
                        nxt.append(H)
            frontier = nxt
        for G in seen:
            k = _affine_rank([self.vertices[i] for i in sorted(G)], self.n)
            out.setdefault(k, set()).add(G)
        return out

    def f_vector(self) -> tuple[int, ...]:
        F = self.faces()
        return tuple(len(F.get(k, ())) for k in range(max(self.dim, 0)))

    def facet_adjacency(self) -> set[frozenset[tuple[tuple[int, ...], Fraction]]]:
        """Pairs of facets (by ``(normal, offset)``) whose common vertices span a ridge."""
        out = set()
        for (i, Fi), (j, Fj) in combinations(enumerate(self.facet_vertex_sets), 2):
            common = Fi & Fj
            if common and _affine_rank([self.vertices[v] for v in sorted(common)], self.n) == self.dim - 2:
                out.add(frozenset((self.facets[i], self.facets[j])))
        return out

    @cached_property
    def _fan(self) -> list[list[Vec]]:
        """Barycentric fan triangulation: simplices (lists of dim+1 points)."""
        faces = self.faces()

        def tri(G: frozenset[int], k: int) -> list[list[Vec]]:
            pts = [self.vertices[i] for i in sorted(G)]
            if k == 0:
                return [[pts[0]]]
            bc = tuple(sum((p[j] for p in pts), Fraction(0)) / len(pts) for j in range(self.n))
            out = []
            for H in faces.get(k - 1, ()):
                if H < G:
                    out.extend([bc] + s for s in tri(H, k - 1))
            return out

        return tri(frozenset(range(len(self.vertices))), self.dim)

    def _basis(self) -> list[Vec]:
        """k affinely independent edge directions from vertex 0 (a basis of the hull)."""
        p0 = self.vertices[0]
        basis: list[Vec] = []
        for p in self.vertices[1:]:
            d = tuple(x - y for x, y in zip(p, p0))
            if rank(basis + [d], self.n) > len(basis):
                basis.append(d)
        return basis

    def _fan_volumes(self) -> tuple[list[list[Vec]], list[Fraction]]:
        """The fan and each simplex's volume measured in the basis coordinates."""
        basis = self._basis()
        k = len(basis)
        simplices = self._fan
        # coordinates in the basis: solve Bᵀ y = v - p0 via the normal equations
        G = [[_dot(u, w) for w in basis] for u in basis]
        vols = []
        if k == self.n:  # full-dimensional: the basis coordinates are not needed
            for s in simplices:
                vols.append(abs(det([[x - y for x, y in zip(p, s[0])] for p in s[1:]])) / factorial(k))
            return simplices, vols
        for s in simplices:
            edges = [tuple(x - y for x, y in zip(p, s[0])) for p in s[1:]]
            Y = [solve(G, [_dot(u, e) for u in basis]) for e in edges]
            vols.append(abs(det(Y)) / factorial(k) if k else Fraction(1))
        return simplices, vols

    def volume(self) -> Fraction:
        """n-volume (0 when not full-dimensional): Σ |det(edges)| / n! over the fan."""
        if self.dim < self.n:
            return Fraction(0)
        total = Fraction(0)
        for s in self._fan:
            total += abs(det([[x - y for x, y in zip(p, s[0])] for p in s[1:]]))
        return total / factorial(self.n)

    def relative_volume_squared(self) -> Fraction:
        """The square of the ``dim``-volume in the affine hull (rational)."""
        if self.is_empty:
            return Fraction(0)
        if self.dim == 0:
            return Fraction(1)
        if self.dim == self.n:
            return self.volume() ** 2
        basis = self._basis()
        gram = det([[_dot(u, w) for w in basis] for u in basis])
        _, vols = self._fan_volumes()
        s = sum(vols, Fraction(0))
        return s * s * gram

    def centroid(self) -> Vec:
        """Volume-weighted average of the fan simplices' centroids (in the hull)."""
        if self.is_empty:
            raise DegenerateError("the empty polytope has no centroid")
        if self.dim == 0:
            return self.vertices[0]
        simplices, vols = self._fan_volumes()
        tot = sum(vols, Fraction(0))
        k = self.dim
        return tuple(
            sum((w * sum((p[j] for p in s), Fraction(0)) for s, w in zip(simplices, vols)), Fraction(0)) / (tot * (k + 1))
            for j in range(self.n)
        )


def _project(a: Vec, normals: Sequence[Vec]) -> Vec:
    """Orthogonal projection of ``a`` onto the orthogonal complement of span(normals)."""
    if not normals:
        return tuple(Fraction(x) for x in a)
    G = [[_dot(u, w) for w in normals] for u in normals]
    # normals may be dependent: use an independent subset
    ind: list[Vec] = []
    for u in normals:
        if rank(ind + [u], len(a)) > len(ind):
            ind.append(u)
    G = [[_dot(u, w) for w in ind] for u in ind]
    coef = solve(G, [_dot(u, a) for u in ind])
    assert coef is not None
    return tuple(Fraction(x) - sum((c * u[j] for c, u in zip(coef, ind)), Fraction(0)) for j, x in enumerate(a))


def _hull_vertices(P: Sequence[Vec], n: int) -> tuple[Vec, ...]:
    """Points of ``P`` that are not convex combinations of the others (by an exact LP-free
    test: p is a vertex iff some linear functional is uniquely maximised at p; here
    checked as: p is not in the hull of the rest, via the brute-force facet test)."""
    out = []
    for i, p in enumerate(P):
        rest = [q for j, q in enumerate(P) if j != i]
        if not rest or not _in_hull(p, rest, n):
            out.append(p)
    return tuple(sorted(out))


def _in_hull(p: Vec, pts: Sequence[Vec], n: int) -> bool:
    """Whether ``p`` lies in conv(pts), by Carathéodory: ``p`` is in the hull iff it is
    an affine combination with nonnegative weights of some affinely independent subset."""
    k = _affine_rank(list(pts) + [p], n)
    for size in range(1, k + 2):
        for S in combinations(range(len(pts)), size):
            Q = [pts[i] for i in S]
            if _affine_rank(Q, n) != size - 1:
                continue
            # solve Σ λ_i q_i = p, Σ λ_i = 1
            rows = [[q[j] for q in Q] for j in range(n)] + [[Fraction(1)] * size]
            rhs = list(p) + [Fraction(1)]
            R, piv = _echelon([r + [c] for r, c in zip(rows, rhs)], size + 1)
            if size in piv:  # inconsistent
                continue
            lam = [Fraction(0)] * size
            for row, c in zip(R, piv):
                lam[c] = row[size]
            if all(x >= 0 for x in lam):
                return True
    return False
