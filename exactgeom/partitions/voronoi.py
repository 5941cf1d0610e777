"""Voronoi partitions: nearest-site cells (k-means, nearest centroid).

The cell of site ``μ_j`` is

    ``{x ∈ D : 2(μ_k − μ_j)·x <= |μ_k|² − |μ_j|² for every k ≠ j}``,

the points at least as close to ``μ_j`` as to any other site, kept only when it is
full-dimensional in the domain. Nearest site = largest score ``2μ_j·x − |μ_j|²``, so
this is an argmax-linear partition with the same tie rule: the model's key at a point is
the *lowest* index among the nearest sites, and a duplicate site (equal to an earlier
one) gets no cell. Sites may lie outside the domain; a site whose cell misses the
domain's interior gets no cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..errors import InvalidInputError
from ..numbers.rational import PolicyLike, as_rational_matrix
from ..polytope.polytope import Polytope
from ._vcell import VCell, to_polytope
from .arrangement import policy_name
from .partition import Partition, as_domain

__all__ = ["voronoi", "VoronoiModel"]

Vec = tuple[Fraction, ...]


def _sqdist(a: Vec, b: Vec) -> Fraction:
    return sum(((x - y) * (x - y) for x, y in zip(a, b)), Fraction(0))


def _voronoi_cells(S: tuple[Vec, ...], D: Polytope) -> list[tuple[int, Polytope]]:
    """Clip the domain by the bisectors of the nearest other sites first; stop once
    the next site is at least twice as far from ``μ_j`` as every vertex of the cell
    (its bisector cannot cut the cell then)."""
    base = VCell.from_polytope(D)
    sq = [sum((x * x for x in s), Fraction(0)) for s in S]
    first: dict[Vec, int] = {}
    out = []
    for j, mj in enumerate(S):
        if first.setdefault(mj, j) != j:
            continue  # duplicate of an earlier site
        others = sorted((_sqdist(S[k], mj), k) for k in range(len(S)) if S[k] != mj)
        C: VCell | None = base
        radius2 = max(_sqdist(v, mj) for v in C.points)
        for d2, k in others:
            if d2 >= 4 * radius2:
                break
            # 2(μ_k − μ_j)·x <= |μ_k|² − |μ_j|²
            C2 = C.clip(tuple(2 * (a - b) for a, b in zip(S[k], mj)), sq[k] - sq[j])
            if C2 is None:
                C = None
                break
            if C2 is not C:
                C = C2
                radius2 = max(_sqdist(v, mj) for v in C.points)
        if C is not None:
            out.append((j, to_polytope(C)))
    return out


def voronoi(sites: Any, domain: Any, *, policy: PolicyLike | None = None) -> Partition:
    """Partition of ``domain`` into the nearest-site (Voronoi) cells of ``sites``.

    Parameters
    ----------
    sites : k×n rational matrix
        One site per row (k ≥ 1), e.g. k-means cluster centres.
    domain : list of (lo, hi) pairs or a full-dimensional Polytope
    policy : float policy for float input (see :class:`exactgeom.FloatPolicy`)

    Returns
    -------
    Partition
        Keys are site indices (0-based, increasing); ``label(j) = j``.

    Examples
    --------
    >>> P = voronoi([[0, 0], [2, 0], [0, 2]], [(-1, 3), (-1, 3)])
    >>> [(c.key, c.volume()) for c in P.cells]
    [(0, Fraction(4, 1)), (1, Fraction(6, 1)), (2, Fraction(6, 1))]
    >>> voronoi([[0, 0], [0, 0]], [(-1, 1), (-1, 1)]).n_cells   # a duplicate site gets no cell
    1
    """
    D = as_domain(domain, policy=policy)
    n = D.ambient_dim
    S = as_rational_matrix(sites, policy, name="sites")
    if not S:
        raise InvalidInputError("sites has no rows; give at least one site")
    if len(S[0]) != n:
        raise InvalidInputError(f"sites have {len(S[0])} coordinates but the domain lives in R^{n}")
    cells = _voronoi_cells(S, D)
    return Partition(
        D,
        cells,
        family="voronoi",
        model=VoronoiModel(S),
        provenance={"family": "voronoi", "n_sites": len(S), "policy": policy_name(policy)},
    )


@dataclass(frozen=True)
class VoronoiModel:
    """Nearest site (lowest index on ties); the key and the label are the site index."""

    sites: tuple[Vec, ...]

    def key(self, x: Vec) -> int:
        d = [_sqdist(s, x) for s in self.sites]
        return d.index(min(d))

    def label(self, key: Any) -> Any:
        return key

    def output_affine(self, key: Any) -> None:
        return None
