"""Oriented simplices, integer boundary matrices and exact Betti numbers over Q.

Orientation: a p-simplex is a sorted index tuple ``(v_0, …, v_p)`` and
``∂[v_0…v_p] = Σ_k (−1)^k [v_0…v̂_k…v_p]``. The boundary matrix ``B_p`` has one row
per (p−1)-simplex and one column per p-simplex (``B_0`` has no rows), so
``B_p B_{p+1} = 0``.

Ranks are exact over Q: ``rank B_1 = #vertices − #components`` of the 1-skeleton
(union–find), higher ``B_p`` by sparse fraction-free elimination
(:func:`~exactgeom.complex.sparse.integer_rank`). Then
``β_p = n_p − rank B_p − rank B_{p+1}``.

>>> S = [[(0,), (1,), (2,)], [(0, 1), (0, 2), (1, 2)]]      # a hollow triangle
>>> boundary_matrix(S, 1).dense()
((-1, -1, 0), (1, 0, -1), (0, 1, 1))
>>> betti_numbers(S)
(1, 1)
>>> betti_numbers([[]])                                      # the empty complex
(0,)
"""

from __future__ import annotations

from collections.abc import Sequence

from .sparse import ExactMatrix, integer_rank

__all__ = ["boundary_matrix", "boundary_rank", "betti_numbers"]

Simplex = tuple[int, ...]


def boundary_matrix(simplices: Sequence[Sequence[Simplex]], p: int) -> ExactMatrix:
    """The integer boundary matrix ``B_p`` (rows: (p−1)-simplices, columns: p-simplices)."""
    top = len(simplices) - 1
    cols = list(simplices[p]) if 0 <= p <= top else []
    if p <= 0:
        return ExactMatrix((0, len(cols)), {}, "ZZ")
    rows = list(simplices[p - 1]) if p - 1 <= top else []
    index = {s: i for i, s in enumerate(rows)}
    e: dict[tuple[int, int], int] = {}
    for j, s in enumerate(cols):
        for k in range(len(s)):
            e[(index[s[:k] + s[k + 1 :]], j)] = -1 if k % 2 else 1
    return ExactMatrix((len(rows), len(cols)), e, "ZZ")


def _components(n_vertices: int, vertices: Sequence[Simplex], edges: Sequence[Simplex]) -> int:
    parent = {v[0]: v[0] for v in vertices}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    comps = len(parent)
    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb
            comps -= 1
    return comps


def boundary_rank(simplices: Sequence[Sequence[Simplex]], p: int) -> int:
    """Exact rank over Q of ``B_p``."""
    top = len(simplices) - 1
    if p <= 0 or p > top or not simplices[p]:
        return 0
    if p == 1:
        return len(simplices[0]) - _components(len(simplices[0]), simplices[0], simplices[1])
    B = boundary_matrix(simplices, p)
    # column-wise reduction: rows of Bᵀ are the boundaries of the p-simplices
    cols: list[dict[int, int]] = [{} for _ in range(B.shape[1])]
    for (i, j), v in B.items():
        cols[j][i] = v
    return integer_rank(cols)


def betti_numbers(simplices: Sequence[Sequence[Simplex]]) -> tuple[int, ...]:
    """``(β_0, …, β_top)`` over Q of the complex with the given simplices."""
    top = len(simplices) - 1
    ranks = [boundary_rank(simplices, p) for p in range(top + 2)]
    return tuple(len(simplices[p]) - ranks[p] - ranks[p + 1] for p in range(top + 1))
