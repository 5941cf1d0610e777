"""Argmax-linear classifiers: the class regions of ``argmax_j (w_j·x + c_j)``.

Multiclass logistic regression, linear SVMs (one-vs-rest) and any linear scoring rule
induce this partition. The cell of class ``j`` is

    ``{x ∈ D : (w_k − w_j)·x <= c_j − c_k for every k ≠ j}``,

kept only when it is full-dimensional. Ties: the model's key at a point is the *lowest*
index among the maximal scores, so a class whose score function repeats an earlier
class's exactly (same ``w`` and ``c``) never wins and gets no cell; on a boundary
between two different classes the lower index is reported.

The builder is shared with the Voronoi partition (nearest site = largest score
``2μ_j·x − |μ_j|²``).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..errors import InvalidInputError
from ..numbers.rational import PolicyLike, as_rational_matrix, as_rational_vector
from ..polytope.polytope import Polytope
from ._vcell import VCell, to_polytope
from .arrangement import policy_name
from .crossing import CrossingPartition, model_cells, resolve_engine
from .partition import Partition, as_domain

__all__ = ["argmax_linear", "ArgmaxModel"]

Vec = tuple[Fraction, ...]


def _score(w: Vec, c: Fraction, x: Vec) -> Fraction:
    s = c
    for wi, xi in zip(w, x):
        if wi:
            s += wi * xi
    return s


def check_labels(labels: Sequence[Hashable] | None, k: int, what: str = "sites") -> tuple[Hashable, ...] | None:
    """``labels`` as a tuple of ``k`` hashables (``None`` stays ``None``), or a clear error."""
    if labels is None:
        return None
    if isinstance(labels, (str, bytes)):
        raise InvalidInputError(f"labels must be a sequence of {k} labels, not the string {labels!r}")
    labels = tuple(labels)
    if len(labels) != k:
        raise InvalidInputError(f"{len(labels)} labels for {k} {what}")
    for j, lab in enumerate(labels):
        try:
            hash(lab)
        except TypeError:
            raise InvalidInputError(f"label {j} ({lab!r}) is not hashable; use ints, strings or tuples as labels") from None
    return labels


def argmax_cells(
    W: Sequence[Vec], c: Sequence[Fraction], D: Polytope, order: Sequence[Sequence[int]] | None = None
) -> list[tuple[int, Polytope]]:
    """The full-dimensional class regions ``(j, cell)`` of ``argmax_j (W_j·x + c_j)`` in ``D``
    (lowest index wins ties; a class repeating an earlier one gets nothing).

    ``order[j]``, if given, is the order in which the other classes' constraints are
    applied to class j (e.g. nearest sites first); it does not change the result.
    """
    base = VCell.from_polytope(D)
    out: list[tuple[int, Polytope]] = []
    first: dict[tuple[Vec, Fraction], int] = {}
    for j, (wj, cj) in enumerate(zip(W, c)):
        if first.setdefault((wj, cj), j) != j:
            continue  # an exact repeat of an earlier class never wins
        C: VCell | None = base
        others = order[j] if order is not None else range(len(W))
        for k in others:
            if k == j:
                continue
            C = C.clip(tuple(a - b for a, b in zip(W[k], wj)), cj - c[k])
            if C is None:
                break
        if C is not None:
            out.append((j, to_polytope(C)))
    return out


def argmax_linear(
    W: Any,
    c: Any,
    domain: Any,
    *,
    labels: Sequence[Hashable] | None = None,
    policy: PolicyLike | None = None,
    engine: str = "auto",
) -> Partition:
    """Partition of ``domain`` into the class regions of ``argmax_j (W_j·x + c_j)``.

    Parameters
    ----------
    W : k×n rational matrix
        One row of weights per class (k ≥ 1).
    c : length-k rational vector
        The intercepts.
    domain : list of (lo, hi) pairs or a full-dimensional Polytope
    labels : sequence of k hashables, optional
        Class labels; ``label(j)`` returns ``labels[j]`` (default: ``j`` itself).
    policy : float policy for float input (see :class:`exactgeom.FloatPolicy`)
    engine : ``"auto"`` (default), ``"vertices"`` or ``"lp"``
        ``"lp"`` builds each class region H-first and reaches the regions by facet
        crossing (a :class:`~exactgeom.partitions.crossing.CrossingPartition`, no
        vertices: for high-dimensional inputs); ``"auto"`` takes the vertex route up to 6
        inputs. Both give the same cells.

    Returns
    -------
    Partition
        Keys are class indices ``j`` (0-based), in increasing order; only classes whose
        region is full-dimensional in the domain have a cell. ``output_affine`` of every
        cell is the score map ``(W, c)``.

    Examples
    --------
    >>> P = argmax_linear([[1, 0], [-1, 0], [0, 1]], [0, 0, 0], [(-1, 1), (-1, 1)])
    >>> [(cl.key, cl.volume()) for cl in P.cells]
    [(0, Fraction(3, 2)), (1, Fraction(3, 2)), (2, Fraction(1, 1))]
    >>> argmax_linear([[1, 0], [1, 0]], [0, 0], [(0, 1), (0, 1)]).n_cells   # a repeated class never wins
    1
    """
    D = as_domain(domain, policy=policy)
    n = D.ambient_dim
    Wm = as_rational_matrix(W, policy, name="W")
    cv = as_rational_vector(c, policy, name="c")
    if not Wm:
        raise InvalidInputError("W has no rows; give one row of weights per class")
    if len(Wm[0]) != n:
        raise InvalidInputError(f"W has {len(Wm[0])} columns but the domain lives in R^{n}")
    if len(cv) != len(Wm):
        raise InvalidInputError(f"W has {len(Wm)} rows but c has {len(cv)} entries; give one intercept per class")
    labels = check_labels(labels, len(Wm), "classes")
    model = ArgmaxModel(Wm, cv, labels)
    prov = {"family": "argmax_linear", "n_classes": len(Wm), "policy": policy_name(policy)}
    if resolve_engine(engine, n) == "lp":
        cells_lp = model_cells(model, D, desc="argmax cells")
        return CrossingPartition(D, cells_lp, family="argmax_linear", model=model, provenance=prov)
    return Partition(D, argmax_cells(Wm, cv, D), family="argmax_linear", model=model, provenance=prov)


def argmax_across(W: Sequence[Vec], c: Sequence[Fraction], x: Vec, directions: Sequence[Sequence[Any]]) -> int:
    """``argmax_j`` of ``W_j·(x + εd_1 + ε²d_2 + …) + c_j`` for every small ``ε > 0``, the
    lowest index on ties (exact: values at ``x``, then derivatives along ``d_1, d_2, …``)."""
    s = [_score(w, cj, x) for w, cj in zip(W, c)]
    best = max(s)
    cand = [j for j, v in enumerate(s) if v == best]
    for d in directions:
        if len(cand) == 1:
            break
        g = {j: sum((a * t for a, t in zip(W[j], d) if a and t), Fraction(0)) for j in cand}
        top = max(g.values())
        cand = [j for j in cand if g[j] == top]
    return cand[0]


def argmax_rows(W: Sequence[Vec], c: Sequence[Fraction], j: int) -> tuple[list[Vec], list[Fraction]]:
    """The inequalities ``(w_k − w_j)·x <= c_j − c_k`` (k ≠ j) of class ``j``'s region."""
    wj, cj = W[j], c[j]
    A: list[Vec] = []
    b: list[Fraction] = []
    for k, (wk, ck) in enumerate(zip(W, c)):
        if k != j:
            A.append(tuple(a - t for a, t in zip(wk, wj)))
            b.append(cj - ck)
    return A, b


@dataclass(frozen=True)
class ArgmaxModel:
    """``argmax_j (W_j·x + c_j)`` with the lowest index winning ties; the key is ``j``."""

    W: tuple[Vec, ...]
    c: tuple[Fraction, ...]
    labels: tuple[Hashable, ...] | None = None

    def scores(self, x: Vec) -> tuple[Fraction, ...]:
        return tuple(_score(w, cj, x) for w, cj in zip(self.W, self.c))

    def key(self, x: Vec) -> int:
        s = self.scores(x)
        best = max(s)
        return s.index(best)

    def key_across(self, x: Vec, directions: Sequence[Sequence[Any]]) -> int:
        """The key at ``x + εd_1 + ε²d_2 + …`` for every small ``ε > 0`` (exact)."""
        return argmax_across(self.W, self.c, x, directions)

    def rows_of(self, key: int) -> tuple[list[Vec], list[Fraction]]:
        """The inequalities ``A x <= b`` of class ``key``'s region."""
        return argmax_rows(self.W, self.c, key)

    def label(self, key: Any) -> Hashable:
        return key if self.labels is None else self.labels[key]

    def output_affine(self, key: Any) -> tuple[tuple[Vec, ...], Vec]:
        return self.W, self.c
