"""Common refinement of partitions of one domain (ensembles, random forests).

The cells of ``refine(P_1, …, P_k)`` are the full-dimensional intersections
``C_1 ∩ … ∩ C_k`` with ``C_i`` a cell of ``P_i``; the key is the tuple of the members'
keys ``(key_1, …, key_k)``, and the model's key at a point is the tuple of the members'
keys there. Intersections that are empty or lower-dimensional are not cells.

Only pairs of cells whose bounding boxes overlap with positive width are intersected,
by exact vertex cutting (no LP, no cddlib call per pair).

Labels: ``label(key)`` combines the members' labels by the ``label`` option —
``"tuple"`` (default: the tuple of member labels), ``"majority"`` (the most frequent
member label; ties go to the label whose first vote comes from the lowest member index)
or any picklable callable taking the tuple of member labels. ``output_affine`` stacks
the members' affine outputs (rows of member 0, then member 1, …) when all members have
one, else it is ``None``.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..errors import InvalidInputError
from ..polytope.polytope import Polytope
from ._vcell import VCell, to_polytope
from .partition import ExactModel, Partition

__all__ = ["refine", "RefinementModel", "majority_vote"]

Vec = tuple[Fraction, ...]


def majority_vote(labels: Sequence[Hashable]) -> Hashable:
    """The most frequent label; a tie goes to the label voted first (lowest member index).

    >>> majority_vote(["a", "b", "b"]), majority_vote(["a", "b"])
    ('b', 'a')
    """
    counts = Counter(labels)
    best = max(counts.values())
    return next(lb for lb in labels if counts[lb] == best)


def _combiner(label: str | Callable[[tuple[Hashable, ...]], Hashable]) -> str | Callable[..., Hashable]:
    if callable(label):
        return label
    if label in ("tuple", "majority"):
        return label
    raise InvalidInputError(f"unknown label rule {label!r}; use 'tuple', 'majority' or a callable")


def _intersect_pass(
    cur: list[tuple[tuple[Hashable, ...], VCell]], other: Partition
) -> list[tuple[tuple[Hashable, ...], VCell]]:
    """Refine the current cells by one more partition (bounding-box sweep + exact cuts)."""
    items = []
    for c in other.cells:
        B = VCell.from_polytope(c.polytope)
        items.append((c.key, B, list(zip(B.A, B.b))))
    boxes_b = [C.bbox() for _, C, _ in items]
    order_b = sorted(range(len(items)), key=lambda i: boxes_b[i][0][0])
    starts = [boxes_b[i][0][0] for i in order_b]
    out: list[tuple[tuple[Hashable, ...], VCell]] = []

    for key_a, A in cur:
        lo_a, hi_a = A.bbox()
        # candidates: lo_b[0] < hi_a[0]
        stop = bisect.bisect_left(starts, hi_a[0])
        for t in range(stop):
            i = order_b[t]
            lo_b, hi_b = boxes_b[i]
            if any(lo_b[k] >= hi_a[k] or lo_a[k] >= hi_b[k] for k in range(len(lo_a))):
                continue
            key_b, B, rows_b = items[i]
            C = A.intersect_rows(rows_b)
            if C is not None:
                out.append((key_a + (key_b,), C))
    return out


def refine(*partitions: Partition, label: str | Callable[[tuple[Hashable, ...]], Hashable] = "tuple") -> Partition:
    """The common refinement of partitions of the same domain.

    Parameters
    ----------
    *partitions : Partition
        At least one; all with the same domain.
    label : "tuple" | "majority" | callable
        How ``label(key)`` combines the members' labels (see the module docstring).

    Returns
    -------
    Partition
        Keys are tuples of member keys, cells sorted by the members' cell order.

    Examples
    --------
    >>> from exactgeom import arrangement
    >>> D = [(0, 2), (0, 2)]
    >>> R = refine(arrangement([[1, 0]], [1], D), arrangement([[0, 1]], [1], D))
    >>> [c.key for c in R.cells], R.check().ok
    ([((-1,), (-1,)), ((-1,), (1,)), ((1,), (-1,)), ((1,), (1,))], True)
    >>> refine(arrangement([[1, 0]], [1], D), arrangement([[1, 0]], [1], D)).n_cells  # same cut twice
    2
    """
    if not partitions:
        raise InvalidInputError("refine needs at least one partition")
    for k, P in enumerate(partitions):
        if not isinstance(P, Partition):
            raise InvalidInputError(f"refine: argument {k} is a {type(P).__name__}, not a Partition")
    D = partitions[0].domain
    for k, P in enumerate(partitions[1:], 1):
        if P.ambient_dim != D.ambient_dim or P.domain != D:
            raise InvalidInputError(
                f"refine: partition {k} has a different domain than partition 0; build all members on the same domain"
            )
    rule = _combiner(label)
    index = [{c.key: c.index for c in P.cells} for P in partitions]
    cur: list[tuple[tuple[Hashable, ...], VCell]] = [((c.key,), VCell.from_polytope(c.polytope)) for c in partitions[0].cells]
    for P in partitions[1:]:
        cur = _intersect_pass(cur, P)
    cur.sort(key=lambda kc: tuple(ix[k] for ix, k in zip(index, kc[0])))
    cells: list[tuple[Hashable, Polytope]] = [(k, to_polytope(C)) for k, C in cur]
    models = tuple(P.model for P in partitions)
    model = RefinementModel(models, rule) if all(m is not None for m in models) else None  # type: ignore[arg-type]
    return Partition(
        D,
        cells,
        family="refinement",
        model=model,
        provenance={
            "family": "refinement",
            "members": [P.family for P in partitions],
            "label": rule if isinstance(rule, str) else getattr(rule, "__name__", "callable"),
            "policy": _policies(partitions),
        },
    )


def _policies(partitions: Sequence[Partition]) -> Any:
    pols = {P.provenance.get("policy") for P in partitions}
    pols.discard(None)
    return pols.pop() if len(pols) == 1 else (sorted(pols) or None)


@dataclass(frozen=True)
class RefinementModel:
    """The members' models side by side: the key is the tuple of their keys."""

    members: tuple[ExactModel, ...]
    rule: Any = "tuple"

    def key(self, x: Vec) -> tuple[Hashable, ...]:
        return tuple(m.key(x) for m in self.members)

    def label(self, key: Any) -> Hashable:
        labels = tuple(m.label(k) for m, k in zip(self.members, key))
        if self.rule == "tuple":
            return labels
        if self.rule == "majority":
            return majority_vote(labels)
        return self.rule(labels)

    def output_affine(self, key: Any) -> tuple[tuple[Vec, ...], Vec] | None:
        Js: list[Vec] = []
        cs: list[Fraction] = []
        for m, k in zip(self.members, key):
            got = m.output_affine(k)
            if got is None:
                return None
            Js.extend(got[0])
            cs.extend(got[1])
        return tuple(Js), tuple(cs)
