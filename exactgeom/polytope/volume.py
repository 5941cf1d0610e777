"""Second, independent exact volume algorithm: the facet-cone recursion.

For a full-dimensional polytope ``S ⊂ R^k`` and a point ``x0`` of it,

    vol_k(S) = (1/k) Σ_F h_F · vol_{k−1}(F),     h_F = (b_F − a_F·x0)/‖a_F‖,

summed over the facets ``F = S ∩ {a_F·x = b_F}``. Projecting ``F`` along a coordinate
``j`` with ``a_{F,j} ≠ 0`` scales (k−1)-volumes by ``|a_{F,j}|/‖a_F‖``, so

    h_F · vol_{k−1}(F) = (b_F − a_F·x0)/|a_{F,j}| · vol_{k−1}(π_j F),

a rational recursion in one dimension less (``proofs/facet_volume_projection.py``). With
``x0`` a vertex, facets through it drop out. The triangulation in
:mod:`exactgeom.polytope.polytope` shares nothing with this but the face lattice.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

from ..errors import DegenerateError
from ..linalg import rational as la
from .faces import bits

if TYPE_CHECKING:  # pragma: no cover
    from .polytope import Polytope

__all__ = ["lasserre_volume"]


def lasserre_volume(P: "Polytope") -> Fraction:
    """Exact volume of a full-dimensional bounded polytope by the facet-cone recursion.

    >>> from exactgeom import Polytope
    >>> lasserre_volume(Polytope.box([(0, 2), (0, 3)]))
    Fraction(6, 1)
    """
    if not P.is_bounded or P.dim != P.ambient_dim:
        raise DegenerateError("lasserre_volume needs a full-dimensional bounded polytope")
    return _rec(P, P._all_vertices_mask, tuple(range(P.ambient_dim)))


def _rec(P: "Polytope", mask: int, cols: tuple[int, ...]) -> Fraction:
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
