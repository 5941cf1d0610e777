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

import math
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from typing import Any

from ..errors import InvalidInputError
from ..numbers.rational import PolicyLike, as_rational_matrix
from ..polytope.polytope import Polytope
from ._vcell import VCell, to_polytope
from .argmax import argmax_across, argmax_rows, check_labels
from .arrangement import policy_name
from .crossing import CrossingPartition, model_cells, resolve_engine
from .partition import Partition, as_domain

__all__ = ["voronoi", "VoronoiModel"]

Vec = tuple[Fraction, ...]


def _sqdist(a: Vec, b: Vec) -> Fraction:
    return sum(((x - y) * (x - y) for x, y in zip(a, b)), Fraction(0))


def _integer_sites(S: tuple[Vec, ...]) -> tuple[list[tuple[int, ...]], int]:
    """The sites scaled by the common denominator ``L`` of their coordinates: integer
    points with the same nearest-site order (distances scale by ``L²``)."""
    L = 1
    for s in S:
        for x in s:
            L = math.lcm(L, x.denominator)
    return [tuple(x.numerator * (L // x.denominator) for x in s) for s in S], L


def _neighbour_order(T: list[tuple[int, ...]]) -> Callable[[int], Iterator[tuple[int, int]]]:
    """``order(j)``: ``(d², k)`` for every other site ``k``, nearest first (``d²`` the exact
    squared distance of the integer sites). numpy's int64 when no sum can overflow
    (checked bound), Python integers otherwise."""
    n = len(T[0])
    lo = [min(t[i] for t in T) for i in range(n)]  # distances do not change under a shift
    span = max(max(t[i] for t in T) - lo[i] for i in range(n))
    if n * span * span < 2**62:
        import numpy as np

        A = np.array([[x - m for x, m in zip(t, lo)] for t in T], dtype=np.int64)

        def order_np(j: int) -> Iterator[tuple[int, int]]:
            D = A - A[j]
            d2 = np.einsum("ij,ij->i", D, D)
            for k in np.argsort(d2, kind="stable").tolist():
                if k != j:
                    yield int(d2[k]), k

        return order_np

    def order_py(j: int) -> Iterator[tuple[int, int]]:
        tj = T[j]
        yield from sorted((sum((a - b) * (a - b) for a, b in zip(T[k], tj)), k) for k in range(len(T)) if k != j)

    return order_py


def _far_enough(d2: int, H: list[tuple[int, ...]], Tj: tuple[int, ...], L: int) -> bool:
    """Whether a site at squared distance ``d2/L²`` from ``μ_j = T_j/L`` is at least twice
    as far as every vertex ``p/q`` (homogeneous ``(q, p)``) of the cell: then its bisector
    cannot cut the cell. Integers: ``d2·q² >= 4·|L·p − q·T_j|²`` at every vertex."""
    for h in H:
        q = h[0]
        r = 0
        for p, t in zip(h[1:], Tj):
            e = L * p - q * t
            r += e * e
        if d2 * q * q < 4 * r:
            return False
    return True


def _voronoi_cells(S: tuple[Vec, ...], D: Polytope) -> list[tuple[int, Polytope]]:
    """Clip the domain by the bisectors of the nearest other sites first; stop once
    the next site is at least twice as far from ``μ_j`` as every vertex of the cell
    (its bisector cannot cut the cell then). All in integers: the sites scaled by their
    common denominator ``L`` (``T = L·μ``), ordered by exact squared distances (numpy's
    int64 when no overflow is possible), bisectors as primitive integer rows."""
    base = VCell.from_polytope(D)
    T, L = _integer_sites(S)
    sq = [sum(x * x for x in t) for t in T]
    order = _neighbour_order(T)
    first: dict[Vec, int] = {}
    out = []
    for j, mj in enumerate(S):
        if first.setdefault(mj, j) != j:
            continue  # duplicate of an earlier site
        Tj = T[j]
        C: VCell | None = base
        for d2, k in order(j):
            if d2 == 0:
                continue  # a duplicate of μ_j: not a constraint (the later copy gets no cell)
            if _far_enough(d2, C.H, Tj, L):
                break
            # 2(μ_k − μ_j)·x <= |μ_k|² − |μ_j|², times L²: 2L(T_k − T_j)·x <= |T_k|² − |T_j|²
            a = [2 * L * (u - v) for u, v in zip(T[k], Tj)]
            bb = sq[k] - sq[j]
            g = math.gcd(*a, bb)
            C = C.clip_int(tuple(x // g for x in a), bb // g)
            if C is None:
                break
        if C is not None:
            out.append((j, to_polytope(C)))
    return out


def voronoi(
    sites: Any,
    domain: Any,
    *,
    labels: Sequence[Hashable] | None = None,
    policy: PolicyLike | None = None,
    engine: str = "auto",
) -> Partition:
    """Partition of ``domain`` into the nearest-site (Voronoi) cells of ``sites``.

    Parameters
    ----------
    sites : k×n rational matrix
        One site per row (k ≥ 1), e.g. k-means cluster centres or the training points
        of a 1-nearest-neighbour classifier.
    domain : list of (lo, hi) pairs or a full-dimensional Polytope
    labels : sequence of k hashables, optional
        A label per site (e.g. its class); ``label(j)`` returns ``labels[j]`` (default:
        ``j`` itself). Several sites may share a label.
    policy : float policy for float input (see :class:`exactgeom.FloatPolicy`)
    engine : ``"auto"`` (default), ``"vertices"`` or ``"lp"``
        ``"lp"`` builds each cell H-first and reaches the cells by facet crossing (a
        :class:`~exactgeom.partitions.crossing.CrossingPartition`, no vertices: for
        high-dimensional inputs); ``"auto"`` takes the vertex route up to 6 inputs. Both
        give the same cells.

    Returns
    -------
    Partition
        Keys are site indices (0-based, increasing); ``label(j) = labels[j]`` (or ``j``).

    Examples
    --------
    >>> P = voronoi([[0, 0], [2, 0], [0, 2]], [(-1, 3), (-1, 3)])
    >>> [(c.key, c.volume()) for c in P.cells]
    [(0, Fraction(4, 1)), (1, Fraction(6, 1)), (2, Fraction(6, 1))]
    >>> voronoi([[0, 0], [0, 0]], [(-1, 1), (-1, 1)]).n_cells   # a duplicate site gets no cell
    1
    >>> Q = voronoi([[0], [1], [3]], [(0, 4)], labels=["a", "b", "a"])
    >>> [(c.key, Q.label(c), c.volume()) for c in Q.cells]
    [(0, 'a', Fraction(1, 2)), (1, 'b', Fraction(3, 2)), (2, 'a', Fraction(2, 1))]
    """
    D = as_domain(domain, policy=policy)
    n = D.ambient_dim
    S = as_rational_matrix(sites, policy, name="sites")
    if not S:
        raise InvalidInputError("sites has no rows; give at least one site")
    if len(S[0]) != n:
        raise InvalidInputError(f"sites have {len(S[0])} coordinates but the domain lives in R^{n}")
    labels = check_labels(labels, len(S))
    model = VoronoiModel(S, labels)
    prov = {"family": "voronoi", "n_sites": len(S), "policy": policy_name(policy)}
    if resolve_engine(engine, n) == "lp":
        cells_lp = model_cells(model, D, desc="voronoi cells")
        return CrossingPartition(D, cells_lp, family="voronoi", model=model, provenance=prov)
    return Partition(D, _voronoi_cells(S, D), family="voronoi", model=model, provenance=prov)


@dataclass(frozen=True)
class VoronoiModel:
    """Nearest site (lowest index on ties); the key is the site index, the label
    ``labels[key]`` (the index itself without labels)."""

    sites: tuple[Vec, ...]
    labels: tuple[Hashable, ...] | None = None

    def key(self, x: Vec) -> int:
        d = [_sqdist(s, x) for s in self.sites]
        return d.index(min(d))

    @cached_property
    def _scores(self) -> tuple[tuple[Vec, ...], tuple[Fraction, ...]]:
        """Nearest site = largest score ``2μ_j·x − |μ_j|²``: ``(W, c)``."""
        return tuple(tuple(2 * a for a in s) for s in self.sites), tuple(-sum((a * a for a in s), Fraction(0)) for s in self.sites)

    def key_across(self, x: Vec, directions: Sequence[Sequence[Any]]) -> int:
        """The key at ``x + εd_1 + ε²d_2 + …`` for every small ``ε > 0`` (exact)."""
        return argmax_across(*self._scores, x, directions)

    def rows_of(self, key: int) -> tuple[list[Vec], list[Fraction]]:
        """The bisector inequalities of site ``key``'s cell."""
        return argmax_rows(*self._scores, key)

    def label(self, key: Any) -> Any:
        return key if self.labels is None else self.labels[key]

    def output_affine(self, key: Any) -> None:
        return None
