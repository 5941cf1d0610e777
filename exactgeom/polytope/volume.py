"""Exact volume algorithms besides the pulling triangulation of :mod:`.polytope`.

Two independent volume methods live here (:meth:`Polytope.volume` dispatches to them),
plus the centroid from the same vertex sums (:meth:`Polytope.centroid`).

**Facet-cone recursion** (:func:`lasserre_volume`). For a full-dimensional polytope
``S ⊂ R^k`` and a point ``x0`` of it,

    vol_k(S) = (1/k) Σ_F h_F · vol_{k−1}(F),     h_F = (b_F − a_F·x0)/‖a_F‖,

summed over the facets ``F = S ∩ {a_F·x = b_F}``. Projecting ``F`` along a coordinate
``j`` with ``a_{F,j} ≠ 0`` scales (k−1)-volumes by ``|a_{F,j}|/‖a_F‖``, so

    h_F · vol_{k−1}(F) = (b_F − a_F·x0)/|a_{F,j}| · vol_{k−1}(π_j F),

a rational recursion in one dimension less (``proofs/facet_volume_projection.py``). With
``x0`` a vertex, facets through it drop out. It shares nothing with the triangulation
but the face lattice.

**Brion–Lawrence signed vertex formula** (:func:`lawrence_volume`,
:func:`lawrence_centroid`). For a generic
linear form ``c`` (not orthogonal to any edge) Brion's theorem writes the integral of
``exp(c·x)`` over ``P`` as the sum over the vertices ``v`` of the integrals over the
tangent cones ``v + K_v``. For a simplicial cone ``v + cone(r_1, …, r_d)`` that integral
is ``e^{c·v} |det R| / Π_j (−c·r_j)``; the degree-0 term of ``t ↦ ∫ exp(t c·x)`` gives

    vol(P) = (1/d!) Σ_v Σ_{simplicial cones K ⊂ K_v} (c·v)^d |det R_K| / Π_j (−c·r_{K,j}).

At a *simple* vertex (exactly ``d`` tight facets, normals ``A_v``, offsets ``b_v``) the
tangent cone is simplicial with rays ``−A_v^{-1} e_j``; writing ``c = A_vᵀ γ`` the term is
``(γ·b_v)^d / (|det A_v| Π_j γ_j)``: one ``d×d`` integer solve per vertex and no vertex
coordinates at all (Lawrence 1991). At a non-simple vertex the tangent cone is
triangulated (pulling, over the faces of ``P`` through ``v``) into simplicial cones whose
rays are edge directions. ``c`` is drawn from a fixed pseudo-random sequence and drawn
again whenever some ``c·r`` vanishes, so the result is deterministic and exact. The
next coefficient gives first moments ``∫_P c·x dx``, hence the centroid from ``d``
independent objectives. ``proofs/lawrence_volume.py`` checks the cone identities symbolically (simplices, simple vertices).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from fractions import Fraction
from math import factorial
from typing import TYPE_CHECKING, Any

from ..errors import DegenerateError
from ..linalg import rational as la
from .faces import bits

if TYPE_CHECKING:  # pragma: no cover
    from .polytope import Polytope

__all__ = ["lasserre_volume", "lawrence_volume", "lawrence_centroid", "is_simple", "fmpq_sum"]

#: How many generic objectives ``c`` :func:`lawrence_volume` tries before giving up.
LAWRENCE_TRIES = 16


def fmpq_sum(terms: list[Any]) -> Any:
    """Pairwise (balanced) sum of flint rationals: keeps operands of similar size, which
    is much faster than a running sum when denominators grow."""
    from flint import fmpq

    if not terms:
        return fmpq(0)
    while len(terms) > 1:
        nxt = [terms[i] + terms[i + 1] for i in range(0, len(terms) - 1, 2)]
        if len(terms) & 1:
            nxt.append(terms[-1])
        terms = nxt
    return terms[0]


def lasserre_volume(P: Polytope) -> Fraction:
    """Exact volume of a full-dimensional bounded polytope by the facet-cone recursion.

    >>> from exactgeom import Polytope
    >>> lasserre_volume(Polytope.box([(0, 2), (0, 3)]))
    Fraction(6, 1)
    """
    if not P.is_bounded or P.dim != P.ambient_dim:
        raise DegenerateError("lasserre_volume needs a full-dimensional bounded polytope")
    return _rec(P, P._all_vertices_mask, tuple(range(P.ambient_dim)))


def _rec(P: Polytope, mask: int, cols: tuple[int, ...]) -> Fraction:
    k = len(cols)
    V = P.vertices
    ids = list(bits(mask))
    if k == 1:
        xs = [V[i][cols[0]] for i in ids]
        return max(xs) - min(xs)
    apex = ids[0]
    x0 = [V[apex][c] for c in cols]
    total = Fraction(0)
    for child in P._children(mask):
        if child >> apex & 1:
            continue
        cpts = [[V[i][c] for c in cols] for i in bits(child)]
        p0 = cpts[0]
        ns = la.nullspace([[x - y for x, y in zip(p, p0)] for p in cpts[1:]], k)
        if len(ns) != 1:  # pragma: no cover - the lattice guarantees a hyperplane
            raise DegenerateError("face lattice inconsistency in lasserre_volume")
        a = ns[0]
        b = sum((ai * pi for ai, pi in zip(a, p0)), Fraction(0))
        h = b - sum((ai * xi for ai, xi in zip(a, x0)), Fraction(0))
        if h < 0:
            a, b, h = tuple(-x for x in a), -b, -h
        j = next(t for t, x in enumerate(a) if x != 0)
        total += h / abs(a[j]) * _rec(P, child, cols[:j] + cols[j + 1 :])
    return total / k


def _vertex_facets(P: Polytope) -> list[list[int]]:
    return P._vertex_facet_lists


def is_simple(P: Polytope) -> bool:
    """Whether every vertex of the full-dimensional bounded polytope ``P`` lies on
    exactly ``dim`` facets.

    >>> from exactgeom import Polytope
    >>> is_simple(Polytope.box([(0, 1)] * 3))
    True
    >>> is_simple(Polytope.from_vrep([[1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], [0, 0, 1], [0, 0, -1]]))
    False
    """
    d = P.dim
    return all(len(fs) == d for fs in _vertex_facets(P))


def _neighbour_mask(P: Polytope, v: int, vf: Sequence[Sequence[int]]) -> int:
    """Bitmask of the vertices joined to ``v`` by an edge: ``u`` is a neighbour iff the
    intersection of the facets containing both ``u`` and ``v`` is exactly ``{u, v}``."""
    masks = P._facet_masks
    full = P._all_vertices_mask
    fv = set(vf[v])
    out = 0
    for u in range(P.n_vertices):
        if u == v:
            continue
        closure = full
        for i in vf[u]:
            if i in fv:
                closure &= masks[i]
        if closure == (1 << u) | (1 << v):
            out |= 1 << u
    return out


def _cone_triangulation(
    P: Polytope, v: int, nbrs: int, mask: int, memo: dict[int, list[tuple[int, ...]]]
) -> list[tuple[int, ...]]:
    """Pulling triangulation of the tangent cone at vertex ``v`` of the face ``mask``
    (which contains ``v``), as tuples of neighbours ``u`` (rays ``u − v``).

    The rays of that cone are the edges of the face at ``v`` (neighbours of ``v`` inside
    the face), its facets are the tangent cones of the face's facets through ``v``; pull
    the lowest neighbour and recurse into the facets that miss it."""
    got = memo.get(mask)
    if got is not None:
        return got
    vbit = 1 << v
    if (mask & ~vbit).bit_count() == 1:  # an edge {v, u}
        got = [((mask & ~vbit).bit_length() - 1,)]
    else:
        inside = nbrs & mask
        apex = (inside & -inside).bit_length() - 1
        abit = 1 << apex
        got = []
        for c in P._children(mask):
            if c & vbit and not c & abit:
                got.extend((apex,) + t for t in _cone_triangulation(P, v, nbrs, c, memo))
    memo[mask] = got
    return got


def _brion_sums(P: Polytope, n_objectives: int, powers: tuple[int, ...], seed: int) -> tuple[list[list[int]], list[list[Any]]]:
    """For ``n_objectives`` generic integer objectives ``c`` (drawn from a fixed
    pseudo-random sequence, linearly independent when there are ``d`` of them) return
    ``(cs, sums)`` with ``sums[k][p] = Σ_v Σ_K (c_k·v)^{powers[p]} |det R_K| / Π_j(−c_k·r_{K,j})``
    (flint rationals). Brion's theorem reads ``Σ_v e^{t c·v} w_v(c) = t^d ∫_P e^{t c·x} dx``
    with ``w_v = Σ_K |det R_K| / Π_j(−c·r_{K,j})``; comparing coefficients of ``t^m``,
    ``S_m / m! = ∫_P (c·x)^{m−d} dx / (m−d)!`` for ``m >= d`` (and 0 below). So power
    ``d`` gives ``d!·vol(P)`` and power ``d + 1`` gives ``(d+1)!·∫_P c·x dx``."""
    from flint import fmpq, fmpq_mat, fmpz_mat

    d = P.ambient_dim
    nv = P.n_vertices
    vf = _vertex_facets(P)
    normals = [h.normal for h in P.facets]
    offsets = [fmpq(h.offset.numerator, h.offset.denominator) for h in P.facets]
    simple = [len(fs) == d for fs in vf]
    # per simple vertex: the transposed tight-facet matrix and |det| (independent of c)
    mats: list[Any] = [None] * nv
    for v in range(nv):
        if simple[v]:
            M = fmpz_mat([normals[i] for i in vf[v]])
            mats[v] = (M.transpose(), abs(M.det()))
    cones: dict[int, list[tuple[list[list[Any]], Any]]] = {}
    qv = P._q_vertices
    for v in range(nv):
        if not simple[v]:
            nbrs = _neighbour_mask(P, v, vf)
            cones[v] = []
            for t in _cone_triangulation(P, v, nbrs, P._all_vertices_mask, {}):
                R = [[qv[u][j] - qv[v][j] for j in range(d)] for u in t]
                cones[v].append((R, abs(fmpq_mat(d, d, [x for r in R for x in r]).det())))
    rng = random.Random(seed)
    K = n_objectives
    for _ in range(LAWRENCE_TRIES):
        cs = [[rng.randint(-(1 << 24), 1 << 24) for _ in range(d)] for _ in range(K)]
        if K == d and fmpz_mat(cs).det() == 0:  # pragma: no cover - improbable
            continue
        cm = fmpz_mat(d, K, [cs[k][j] for j in range(d) for k in range(K)])  # columns c_k
        cq = [[fmpq(x) for x in c] for c in cs]
        terms: list[list[list[Any]]] = [[[] for _ in powers] for _ in range(K)]
        ok = True
        for v in range(nv):
            if simple[v]:
                Mt, adet = mats[v]
                G = Mt.solve(cm)  # column k: γ for c_k
                fs = vf[v]
                for k in range(K):
                    prod = fmpq(1)
                    cv = fmpq(0)
                    for j, i in enumerate(fs):
                        g = G[j, k]
                        prod *= g
                        cv += g * offsets[i]
                    if prod == 0:
                        ok = False
                        break
                    w = prod * adet
                    for p, m in enumerate(powers):
                        terms[k][p].append(cv**m / w)
                if not ok:
                    break
            else:
                for k in range(K):
                    c = cq[k]
                    cv = sum((a * b for a, b in zip(c, qv[v])), fmpq(0))
                    for R, adet in cones[v]:
                        prod = fmpq(1)
                        for r in R:
                            prod *= -sum((a * b for a, b in zip(c, r)), fmpq(0))
                        if prod == 0:
                            ok = False
                            break
                        w = adet / prod
                        for p, m in enumerate(powers):
                            terms[k][p].append(cv**m * w)
                    if not ok:
                        break
                if not ok:
                    break
        if ok:
            return cs, [[fmpq_sum(t) for t in tk] for tk in terms]
    raise DegenerateError(  # pragma: no cover - needs LAWRENCE_TRIES unlucky draws
        f"the Brion–Lawrence formula found no generic objective in {LAWRENCE_TRIES} tries; "
        "use method='triangulation'"
    )


def _check_full(P: Polytope, what: str) -> None:
    if not P.is_bounded or P.is_empty or P.dim != P.ambient_dim:
        raise DegenerateError(f"{what} needs a full-dimensional bounded polytope")


def lawrence_volume(P: Polytope, *, seed: int = 0) -> Fraction:
    """Exact volume of a full-dimensional bounded polytope by the Brion–Lawrence
    signed vertex formula (module docstring). Fast for simple polytopes (one ``d×d``
    integer solve per vertex); non-simple vertices get a triangulated tangent cone.

    >>> from exactgeom import Polytope
    >>> lawrence_volume(Polytope.box([(0, 2), (0, 3), (1, "3/2")]))
    Fraction(3, 1)
    >>> lawrence_volume(Polytope.from_vrep([[1, 0], [-1, 0], [0, 1], [0, -1]]))
    Fraction(2, 1)
    """
    _check_full(P, "lawrence_volume")
    d = P.ambient_dim
    _, sums = _brion_sums(P, 1, (d,), seed)
    return la.fmpq_to_fraction(sums[0][0] / factorial(d))


def lawrence_centroid(P: Polytope, *, seed: int = 0) -> tuple[Fraction, ...]:
    """Exact centroid of a full-dimensional bounded polytope from Brion's formula: with
    ``d`` independent generic objectives ``c_k``, the first moments are
    ``∫_P c_k·x dx = S_{d+1}(c_k)/(d+1)!`` and the volume is ``S_d(c_0)/d!``; the centroid
    solves ``C · centroid = (∫ c_k·x) / vol``.

    >>> from exactgeom import Polytope
    >>> lawrence_centroid(Polytope.from_vrep([[0, 0], [2, 0], [0, 2]]))
    (Fraction(2, 3), Fraction(2, 3))
    """
    _check_full(P, "lawrence_centroid")
    from flint import fmpq_mat

    d = P.ambient_dim
    cs, sums = _brion_sums(P, d, (d, d + 1), seed)
    vol = sums[0][0] / factorial(d)
    rhs = fmpq_mat(d, 1, [sums[k][1] / (factorial(d + 1) * vol) for k in range(d)])
    x = fmpq_mat(d, d, [v for c in cs for v in c]).solve(rhs)
    return tuple(la.fmpq_to_fraction(x[j, 0]) for j in range(d))
