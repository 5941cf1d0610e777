"""Exact topology of decision regions and decision boundaries.

For a classifier partition each class region's closure, and the decision boundary, is
a finite union of convex polytopes ("pieces"); by the nerve theorem (finite families
of closed convex sets in R^n) its homology is that of the nerve of the pieces, whose
simplices are decided exactly (:func:`exactgeom.complex.simplices.nerve_simplices`).
Simplices up to dimension n are built, so ``β_0, …, β_{n−1}`` are exact (a compact
subset of R^n has no homology in degree ≥ n).

Pieces
------
* A cell whose model gives a class label from its key (``model.label(key)`` not None:
  trees, argmax classifiers, Voronoi) is one piece of that class.
* Otherwise the model output is affine on the cell, ``(J, c) = partition.output_affine(cell)``:

  - scalar output ``f``: labels ``1`` (``f > 0``) and ``0`` (``f < 0``); the closure of
    ``C ∩ {f > 0}`` is the piece ``C ∩ {f ≥ 0}`` when ``f > 0`` somewhere on C
    (a vertex; f is affine), likewise for 0; a cell where ``f ≡ 0`` gives no piece;
  - vector output ``(f_0, …, f_{k−1})``: label ``j`` (the argmax); its piece is
    ``C ∩ {f_j ≥ f_l for all l}`` when that polytope is full-dimensional and no other
    output coincides with ``f_j`` on C (then the strict argmax set is its interior).

The closure of class ``a``'s region is the union of its pieces. The decision boundary
is the union over pairs of labels ``a ≠ b`` of ``cl R_a ∩ cl R_b``; its pieces are the
non-empty intersections ``P ∩ Q`` of pieces of different labels (duplicates and pieces
contained in another piece are dropped: the union is unchanged).

>>> from exactgeom import arrangement
>>> P = arrangement([[1, 0], [1, 0]], [-1, 1], [(-2, 2), (-1, 1)])    # three vertical strips
>>> class Stripes:                                   # label 1 outside, 0 in the middle strip
...     def key(self, x): return P.model.key(x)
...     def label(self, key): return 0 if key == (1, -1) else 1
...     def output_affine(self, key): return None
>>> from exactgeom import Partition
>>> Q = Partition(P.domain, [(c.key, c.polytope) for c in P.cells], family="stripes", model=Stripes())
>>> T = decision_topology(Q)
>>> T[0], T[1], T["boundary"]
((1, 0), (2, 0), (2, 0))
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..complex.homology import betti_numbers
from ..complex.simplices import Piece, candidate_pairs, intersects, nerve_simplices
from ..errors import InvalidInputError, UnsupportedModelError
from ..partitions.partition import Partition
from ..polytope.polytope import Polytope

__all__ = ["decision_topology", "DecisionTopology", "DecisionPiece"]

Vec = tuple[Fraction, ...]


@dataclass(frozen=True)
class DecisionPiece:
    """A convex piece: its label (or ``"boundary"``), the cells it comes from, the polytope."""

    label: Hashable
    cells: tuple[int, ...]
    polytope: Polytope


class DecisionTopology(Mapping):  # type: ignore[type-arg]
    """``{label: (β_0, …, β_{n−1}), …, "boundary": (…)}`` with the pieces kept.

    Attributes
    ----------
    betti : dict
        The mapping itself as a dict.
    pieces : dict
        ``{label: tuple of DecisionPiece}`` (``"boundary"`` included).
    labels : tuple
        The class labels, in order of first appearance (``"boundary"`` excluded).
    """

    def __init__(self, betti: dict[Hashable, tuple[int, ...]], pieces: dict[Hashable, tuple[DecisionPiece, ...]], labels: tuple[Hashable, ...]) -> None:
        self.betti = dict(betti)
        self.pieces = dict(pieces)
        self.labels = labels

    def __getitem__(self, key: Hashable) -> tuple[int, ...]:
        try:
            return self.betti[key]
        except KeyError:
            raise KeyError(f"no class {key!r}; classes are {list(self.labels)} and 'boundary'") from None

    def __iter__(self) -> Iterator[Hashable]:
        return iter(self.betti)

    def __len__(self) -> int:
        return len(self.betti)

    def __repr__(self) -> str:
        return f"DecisionTopology({self.betti!r})"


def _dot(a: Any, x: Any) -> Fraction:
    return sum((ai * xi for ai, xi in zip(a, x)), Fraction(0))


def _cut(P: Polytope, A: list[Vec], b: list[Fraction]) -> Polytope:
    A0, b0, E0, f0 = P._hrep_rows()
    return Polytope._from_h(P.ambient_dim, A0 + A, b0 + b, E0, f0)


def _cell_pieces(partition: Partition) -> tuple[list[tuple[Hashable, int, Polytope]], list[Hashable]]:
    n = partition.ambient_dim
    out: list[tuple[Hashable, int, Polytope]] = []
    labels: list[Hashable] = []
    for c in partition.cells:
        # key labels only: a ReLU cell's label may be "mixed"; it is split exactly below
        lab = None if partition.model is None else partition.model.label(c.key)
        if lab is not None:
            out.append((lab, c.index, c.polytope))
            if lab not in labels:
                labels.append(lab)
            continue
        aff = partition.output_affine(c)
        if aff is None:
            raise UnsupportedModelError(
                f"cell {c.index} (key {c.key!r}) has neither a class label nor an affine output; "
                "decision_topology needs a classifier partition or a model with affine outputs"
            )
        J, cv = aff
        J = [tuple(Fraction(x) for x in row) for row in J]
        cv = [Fraction(x) for x in cv]
        V = c.polytope.vertices
        if len(J) == 1:
            for lab in (1, 0):
                if lab not in labels:
                    labels.append(lab)
            vals = [_dot(J[0], v) + cv[0] for v in V]
            if any(x > 0 for x in vals):  # piece C ∩ {f ≥ 0}: −J·x ≤ c
                out.append((1, c.index, _cut(c.polytope, [tuple(-x for x in J[0])], [cv[0]])))
            if any(x < 0 for x in vals):  # piece C ∩ {f ≤ 0}: J·x ≤ −c
                out.append((0, c.index, _cut(c.polytope, [J[0]], [-cv[0]])))
            continue
        k = len(J)
        for j in range(k):
            if j not in labels:
                labels.append(j)
        for j in range(k):
            if any(J[l] == J[j] and cv[l] == cv[j] for l in range(k) if l != j):
                continue
            A = [tuple(a - b for a, b in zip(J[l], J[j])) for l in range(k) if l != j]
            b = [cv[j] - cv[l] for l in range(k) if l != j]
            Q = _cut(c.polytope, A, b)
            if Q.dim == n:
                out.append((j, c.index, Q))
    if not out:
        raise InvalidInputError("the partition has no cells")
    labels_sorted = labels
    return out, labels_sorted


def _betti_of_union(polys: list[Polytope], n: int) -> tuple[int, ...]:
    if not polys:
        return (0,) * n
    S = nerve_simplices(polys, max_dim=n)
    b = betti_numbers(S.simplices)
    b = tuple(b[:n]) + (0,) * max(0, n - len(b))
    return b


def _prune(pieces: list[DecisionPiece]) -> list[DecisionPiece]:
    """Drop duplicates and pieces contained in another piece (the union is unchanged)."""
    uniq: dict[Polytope, DecisionPiece] = {}
    for p in pieces:
        if p.polytope not in uniq:
            uniq[p.polytope] = p
    items = list(uniq.values())
    wrapped = [Piece(p.polytope) for p in items]
    drop: set[int] = set()
    for i, j in candidate_pairs(wrapped):
        if i in drop or j in drop:
            continue
        Pi, Pj = wrapped[i], wrapped[j]
        if Pi.verts <= Pj.verts or all(items[j].polytope.contains(v) for v in Pi.verts):
            drop.add(i)
        elif Pj.verts <= Pi.verts or all(items[i].polytope.contains(v) for v in Pj.verts):
            drop.add(j)
    return [p for k, p in enumerate(items) if k not in drop]


def decision_topology(partition: Partition) -> DecisionTopology:
    """Exact Betti numbers over Q of each decision region's closure and of the decision
    boundary (module docstring).

    Parameters
    ----------
    partition : Partition
        A classifier partition (labels per cell) or a partition whose model has affine
        outputs per cell (ReLU networks): scalar output → labels 1 (f > 0) and 0 (f < 0),
        vector output → the argmax index.

    Returns
    -------
    DecisionTopology
        A mapping ``{label: (β_0, …, β_{n−1}), "boundary": (…)}``; ``.pieces`` holds the
        convex pieces used.

    Examples
    --------
    >>> from exactgeom.partitions.relu import relu_network
    >>> T = decision_topology(relu_network([[[1, 0]], [[1]]], [[0], ["-1/2"]], [(-1, 1), (-1, 1)]))
    >>> T[1], T[0], T["boundary"]        # f = ReLU(x) − 1/2: a half-plane split
    ((1, 0), (1, 0), (1, 0))
    """
    if not isinstance(partition, Partition):
        raise InvalidInputError(f"decision_topology needs a Partition, got {type(partition).__name__}")
    n = partition.ambient_dim
    raw, labels = _cell_pieces(partition)
    by_label: dict[Hashable, list[DecisionPiece]] = {lab: [] for lab in labels}
    for lab, ci, P in raw:
        by_label[lab].append(DecisionPiece(lab, (ci,), P))
    betti: dict[Hashable, tuple[int, ...]] = {}
    for lab in labels:
        betti[lab] = _betti_of_union([p.polytope for p in by_label[lab]], n)
    flat = [p for lab in labels for p in by_label[lab]]
    wrapped = [Piece(p.polytope) for p in flat]
    bnd: list[DecisionPiece] = []
    for i, j in candidate_pairs(wrapped):
        a, b = flat[i], flat[j]
        if a.label == b.label or not intersects(wrapped[i], wrapped[j]):
            continue
        I = a.polytope.intersect(b.polytope)
        bnd.append(DecisionPiece("boundary", tuple(sorted(set(a.cells + b.cells))), I))
    bnd = _prune(bnd)
    betti["boundary"] = _betti_of_union([p.polytope for p in bnd], n)
    pieces: dict[Hashable, tuple[DecisionPiece, ...]] = {lab: tuple(by_label[lab]) for lab in labels}
    pieces["boundary"] = tuple(bnd)
    return DecisionTopology(betti, pieces, tuple(labels))
