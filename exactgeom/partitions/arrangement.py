"""Hyperplane arrangements (linear threshold units): cells keyed by sign vectors.

Cell of sign vector ``s``: ``{x ∈ D : s_i (w_i·x − c_i) >= 0 for all i}``; ``s_i = +1``
where ``w_i·x > c_i`` in the cell's interior, ``−1`` where ``<``. A hyperplane that misses
the interior of a cell does not split it; its sign is still recorded in the key.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from ..errors import InvalidInputError
from ..numbers.rational import PolicyLike, as_rational_matrix, as_rational_vector
from ..polytope.polytope import Polytope
from .partition import Partition, as_domain

__all__ = ["arrangement"]

Vec = tuple[Fraction, ...]


def _dot(a: Vec, x: Vec) -> Fraction:
    return sum((ai * xi for ai, xi in zip(a, x)), Fraction(0))


def arrangement(normals: Any, offsets: Any, domain: Any, *, policy: PolicyLike | None = None) -> Partition:
    """Partition of ``domain`` by the hyperplanes ``normals[i]·x = offsets[i]``.

    Parameters
    ----------
    normals : m×n rational matrix
    offsets : length-m rational vector
    domain : list of (lo, hi) pairs or a full-dimensional Polytope
    policy : float policy for float input (see :class:`exactgeom.FloatPolicy`)

    Returns
    -------
    Partition
        Keys are sign vectors (tuples of ±1), cells sorted by key.

    Examples
    --------
    >>> P = arrangement([[1, 1]], [0], [(-1, 1), (-1, 1)])
    >>> [(c.key, c.volume) for c in P.cells]
    [((-1,), Fraction(2, 1)), ((1,), Fraction(2, 1))]
    >>> arrangement([[0, 0]], [1], [(0, 1), (0, 1)]).n_cells   # a zero normal splits nothing
    1
    """
    D = as_domain(domain, policy=policy)
    n = D.ambient_dim
    W = as_rational_matrix(normals, policy, name="normals")
    c = as_rational_vector(offsets, policy, name="offsets")
    if W and len(W[0]) != n:
        raise InvalidInputError(f"normals have {len(W[0])} columns but the domain lives in R^{n}")
    if len(c) != len(W):
        raise InvalidInputError(f"{len(W)} normals but {len(c)} offsets; give one offset per hyperplane")
    A0, b0, _, _ = D._hrep_rows()
    cells: list[tuple[tuple[int, ...], list[Vec], list[Fraction], Polytope]] = [((), list(A0), list(b0), D)]
    for w, ci in zip(W, c):
        nxt = []
        neg_w = tuple(-x for x in w)
        for key, A, b, P in cells:
            vals = [_dot(w, v) - ci for v in P.vertices]
            if all(x >= 0 for x in vals) and any(x > 0 for x in vals):
                nxt.append((key + (1,), A, b, P))
            elif all(x <= 0 for x in vals) and any(x < 0 for x in vals):
                nxt.append((key + (-1,), A, b, P))
            elif all(x == 0 for x in vals):  # only the degenerate "hyperplane" 0·x = 0
                nxt.append((key + (0,), A, b, P))
            else:
                Pm = Polytope._from_h(n, A + [w], b + [ci])
                Pp = Polytope._from_h(n, A + [neg_w], b + [-ci])
                nxt.append((key + (-1,), A + [w], b + [ci], Pm))
                nxt.append((key + (1,), A + [neg_w], b + [-ci], Pp))
        cells = nxt
    cells.sort(key=lambda t: t[0])

    def key_of(x: Vec) -> tuple[int, ...]:
        return tuple((1 if _dot(w, x) > ci else -1 if _dot(w, x) < ci else 0) for w, ci in zip(W, c))

    return Partition(
        D,
        [(k, P) for k, _, _, P in cells],
        family="arrangement",
        key_of=key_of,
        provenance={"family": "arrangement", "normals": W, "offsets": c, "policy": str(policy) if policy else None},
        model={"normals": W, "offsets": c},
    )
