"""Hyperplane arrangements (linear threshold units): cells keyed by sign vectors.

Cell of sign vector ``s``: ``{x ∈ D : s_i (w_i·x − c_i) >= 0 for all i}``; ``s_i = +1``
where ``w_i·x > c_i`` in the cell's interior, ``−1`` where ``<``. A hyperplane that misses
the interior of a cell does not split it; its sign is still recorded in the key. The
degenerate "hyperplane" ``0·x = 0`` holds every point: its sign is ``0`` in every key.

Cells are split one hyperplane at a time by exact vertex cutting (see
:mod:`exactgeom.partitions._vcell`): a hyperplane is tested against a cell's vertices,
and only cells with vertices strictly on both sides are split, so duplicate, parallel
and concurrent hyperplanes, and hyperplanes touching the domain in a face only, need no
special case.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..errors import InvalidInputError
from ..numbers.rational import FloatPolicy, PolicyLike, as_rational_matrix, as_rational_vector
from ._vcell import VCell, to_polytope
from .crossing import CrossingPartition, lex_sign, model_cells, resolve_engine
from .partition import Partition, as_domain

__all__ = ["arrangement", "ArrangementModel"]

Vec = tuple[Fraction, ...]


def _dot(a: Vec, x: Vec) -> Fraction:
    return sum((ai * xi for ai, xi in zip(a, x)), Fraction(0))


def policy_name(policy: PolicyLike | None) -> str | None:
    """The recorded name of a float policy (``None`` when no policy was given)."""
    return None if policy is None else str(FloatPolicy.parse(policy))


def arrangement(
    normals: Any, offsets: Any, domain: Any, *, policy: PolicyLike | None = None, engine: str = "auto"
) -> Partition:
    """Partition of ``domain`` by the hyperplanes ``normals[i]·x = offsets[i]``.

    Parameters
    ----------
    normals : m×n rational matrix
    offsets : length-m rational vector
    domain : list of (lo, hi) pairs or a full-dimensional Polytope
    policy : float policy for float input (see :class:`exactgeom.FloatPolicy`)
    engine : ``"auto"`` (default), ``"vertices"`` or ``"lp"``
        ``"vertices"`` cuts the domain's vertices; ``"lp"`` builds each cell H-first and
        reaches the cells by facet crossing (a
        :class:`~exactgeom.partitions.crossing.CrossingPartition`, no vertices: for
        high-dimensional domains); ``"auto"`` takes the vertex route up to 6 inputs.
        Both give the same cells.

    Returns
    -------
    Partition
        Keys are sign vectors (tuples of ±1, and 0 for a zero hyperplane ``0·x = 0``),
        cells sorted by key.

    Examples
    --------
    >>> P = arrangement([[1, 1]], [0], [(-1, 1), (-1, 1)])
    >>> [(c.key, c.volume()) for c in P.cells]
    [((-1,), Fraction(2, 1)), ((1,), Fraction(2, 1))]
    >>> arrangement([[0, 0]], [1], [(0, 1), (0, 1)]).n_cells   # a zero normal splits nothing
    1
    >>> arrangement([[1, 1], [1, 1]], [2, 2], [(0, 1), (0, 1)]).cells[0].key   # touches a corner only
    (-1, -1)
    """
    D = as_domain(domain, policy=policy)
    n = D.ambient_dim
    W = as_rational_matrix(normals, policy, name="normals")
    c = as_rational_vector(offsets, policy, name="offsets")
    if W and len(W[0]) != n:
        raise InvalidInputError(f"normals have {len(W[0])} columns but the domain lives in R^{n}")
    if len(c) != len(W):
        raise InvalidInputError(f"{len(W)} normals but {len(c)} offsets; give one offset per hyperplane")
    model = ArrangementModel(W, c)
    prov = {"family": "arrangement", "n_hyperplanes": len(W), "policy": policy_name(policy)}
    if resolve_engine(engine, n) == "lp":
        cells_lp = model_cells(model, D, desc="arrangement cells")
        return CrossingPartition(D, cells_lp, family="arrangement", model=model, provenance=prov)
    cells: list[tuple[tuple[int, ...], VCell]] = [((), VCell.from_polytope(D))]
    for w, ci in zip(W, c):
        nxt: list[tuple[tuple[int, ...], VCell]] = []
        for key, C in cells:
            vals = C.signs(w, ci)
            has_pos = any(t > 0 for t in vals)
            has_neg = any(t < 0 for t in vals)
            if has_pos and has_neg:
                lo, hi = C.split(w, ci, vals)
                assert lo is not None and hi is not None
                nxt.append((key + (-1,), lo))
                nxt.append((key + (1,), hi))
            else:
                nxt.append((key + (1 if has_pos else -1 if has_neg else 0,), C))
        cells = nxt
    cells.sort(key=lambda t: t[0])

    return Partition(D, [(k, to_polytope(C)) for k, C in cells], family="arrangement", model=model, provenance=prov)


@dataclass(frozen=True)
class ArrangementModel:
    """Linear threshold units ``sign(w_i·x − c_i)``; the key is the sign vector
    (``0`` on a hyperplane)."""

    normals: tuple[Vec, ...]
    offsets: tuple[Fraction, ...]

    def key(self, x: Vec) -> tuple[int, ...]:
        out = []
        for w, ci in zip(self.normals, self.offsets):
            v = _dot(w, x) - ci
            out.append((v > 0) - (v < 0))
        return tuple(out)

    def key_across(self, x: Vec, directions: Sequence[Sequence[Any]]) -> tuple[int, ...]:
        """The key at ``x + εd_1 + ε²d_2 + …`` for every small ``ε > 0`` (exact)."""
        return tuple(lex_sign(_dot(w, x) - ci, w, directions) for w, ci in zip(self.normals, self.offsets))

    def rows_of(self, key: tuple[int, ...]) -> tuple[list[Vec], list[Fraction]]:
        """The inequalities ``A x <= b`` of the region of sign vector ``key``."""
        A: list[Vec] = []
        b: list[Fraction] = []
        for w, ci, s in zip(self.normals, self.offsets, key):
            if s and any(w):  # s·(w·x − c) >= 0
                A.append(tuple(-s * a for a in w))
                b.append(-s * ci)
        return A, b

    def label(self, key: Any) -> Any:
        return key

    def output_affine(self, key: Any) -> None:
        return None
