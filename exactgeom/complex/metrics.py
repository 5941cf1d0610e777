"""Inner products (Gram matrices ``M_p`` on p-chains) and edge weights.

* ``diagonal`` (default): ``M_p = diag(μ_p)``.
* ``angle`` (p = 1 only; other degrees stay diagonal): with ``A_e`` the area vector of
  the face shared by the cells of edge ``e = (i, j)``, ``i < j`` — its (n−1)-volume
  times its unit normal, pointing from cell i (tail) to cell j (head), a rational
  vector — ``M_1 = Σ_i G_i / (2 vol C_i)``, where ``G_i`` is the Gram matrix of the
  ``A_e`` over the edges ``e`` at cell i. Rational and positive semidefinite; the cell
  volumes are the geometric ones whatever the measure. An edge whose cells meet in
  less than an (n−1)-face (possible under ``nerve``) has ``A_e = 0``.
* Two-point-flux weights (the extended Laplacian):
  ``w_e = μ_1(e)/d_e`` with ``d_e = |ν·(c_j − c_i)|`` (``c`` cell centroids, ``ν`` the
  unit normal), computed as the rational ``|A_e|² / |A_e·(c_j − c_i)|``; 0 for edges
  without an (n−1)-face.

>>> from exactgeom import arrangement
>>> from exactgeom.complex.simplices import facet_simplices
>>> P = arrangement([[1, 0], [0, 1]], [0, 0], [(-1, 1), (-1, 1)])
>>> S = facet_simplices(P)
>>> M = angle_metric(P, S)
>>> M.diagonal_values(), M.rank()
((Fraction(1, 1), Fraction(1, 1), Fraction(1, 1), Fraction(1, 1)), 4)
>>> two_point_flux_weights(P, S)
(Fraction(1, 1), Fraction(1, 1), Fraction(1, 1), Fraction(1, 1))
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from ..partitions.partition import Partition
from .simplices import SimplexData
from .sparse import ExactMatrix

__all__ = ["METRICS", "area_vectors", "angle_metric", "angle_metric_factor", "two_point_flux_weights"]

METRICS = ("diagonal", "angle")

Vec = tuple[Fraction, ...]


def _dot(a: Any, b: Any) -> Fraction:
    return sum((x * y for x, y in zip(a, b)), Fraction(0))


def area_vectors(partition: Partition, S: SimplexData) -> tuple[Vec, ...]:
    """``A_e`` for every edge (tail → head), zero vectors for edges without a shared
    (n−1)-face."""
    n = partition.ambient_dim
    faces = {(f.i, f.j): f for f in partition.adjacency()}
    zero = tuple(Fraction(0) for _ in range(n))
    out = []
    edges = S.simplices[1] if len(S.simplices) > 1 else []
    for e in edges:
        f = faces.get(e)
        out.append(tuple(f.area_vector()) if f is not None else zero)
    return tuple(out)


def angle_metric(partition: Partition, S: SimplexData) -> ExactMatrix:
    """The ``angle`` Gram matrix ``M_1`` (see the module docstring)."""
    A = area_vectors(partition, S)
    edges = S.simplices[1] if len(S.simplices) > 1 else []
    at: dict[int, list[int]] = {}
    for k, (i, j) in enumerate(edges):
        at.setdefault(i, []).append(k)
        at.setdefault(j, []).append(k)
    e: dict[tuple[int, int], Fraction] = {}
    for i, ks in at.items():
        v2 = 2 * partition.cells[i].volume()
        for a in ks:
            for b in ks:
                g = _dot(A[a], A[b])
                if g:
                    e[(a, b)] = e.get((a, b), Fraction(0)) + g / v2
    return ExactMatrix.from_dict((len(edges), len(edges)), e)


def angle_metric_factor(partition: Partition, S: SimplexData) -> ExactMatrix:
    """A sparse rational matrix ``A`` (n rows per cell, one column per edge; column e
    holds ``A_e`` in the row blocks of its two cells) with
    ``M_1 = Aᵀ diag(1/(2 vol C_i) ⊗ I_n) A``; hence ``rank M_1 = rank A``."""
    n = partition.ambient_dim
    A = area_vectors(partition, S)
    edges = S.simplices[1] if len(S.simplices) > 1 else []
    e: dict[tuple[int, int], Fraction] = {}
    for k, (i, j) in enumerate(edges):
        for c in (i, j):
            for t in range(n):
                if A[k][t]:
                    e[(c * n + t, k)] = A[k][t]
    return ExactMatrix.from_dict((partition.n_cells * n, len(edges)), e)


def two_point_flux_weights(partition: Partition, S: SimplexData) -> tuple[Fraction, ...]:
    """The rational two-point-flux weights ``μ_1/d`` of the edges."""
    A = area_vectors(partition, S)
    cent = [c.centroid() for c in partition.cells]
    out = []
    edges = S.simplices[1] if len(S.simplices) > 1 else []
    for (i, j), a in zip(edges, A):
        aa = _dot(a, a)
        if not aa:
            out.append(Fraction(0))
            continue
        d = _dot(a, tuple(y - x for x, y in zip(cent[i], cent[j])))
        out.append(aa / abs(d))
    return tuple(out)
