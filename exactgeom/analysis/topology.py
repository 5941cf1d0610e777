"""Exact topology of decision regions and decision boundaries.

For a classifier partition each class region's closure, and the decision boundary, is
a finite union of convex polytopes ("pieces"). Two exact methods compute its Betti
numbers over Q (a compact subset of R^n has no homology in degree ≥ n, so
``β_0, …, β_{n−1}`` are reported):

* ``"cells"`` — on the cell complex of the pieces, linear in its number of faces. The
  pieces of all labels tile the domain; when every piece facet off the domain's boundary
  is exactly a facet of a piece on the other side (facet-to-facet: checked exactly, by
  vertex sets; true for arrangements, argmax, Voronoi and ReLU networks in general
  position, since the cut ``{f = 0}`` of a continuous output is the same on both sides
  of a shared facet), the pieces and all their faces form a polyhedral complex (around a
  face, the pieces met in turn through shared facets all contain it and fill a
  neighbourhood of its relative interior, so two pieces meet in a common face). A union
  ``U`` of pieces, and the decision boundary (the faces lying in pieces of two labels),
  are subcomplexes. Then exactly, over Z: ``β_0`` = connected components of the
  1-skeleton of ``U``; ``β_{n−1}`` = (components of ``R^n ∖ U``) − 1 by Alexander
  duality ``H̃_{n−1}(U) ≅ H̃^0(S^n ∖ U)``, the complement being the outside of the
  domain together with the relative interiors of the faces not in ``U`` (joined when
  one is a face of the other, and to the outside when the face lies in the domain's
  boundary); the remaining one for ``n = 3``, ``β_1``, from the Euler characteristic
  ``χ(U) = Σ_k (−1)^k (number of k-faces of U)``. This covers ``n ≤ 3``.
* ``"nerve"`` — the nerve of the pieces (nerve theorem for finite families of closed
  convex sets), its simplices decided exactly
  (:func:`exactgeom.complex.simplices.nerve_simplices`). ``H_j`` of a simplicial complex
  depends only on its (j+1)-skeleton, so simplices up to dimension ``max_dim + 1`` are
  built — never the full nerve — with ``max_simplices`` as a cap. Any partition and
  any ``n``; the size grows fast with the number of pieces through one point.

``method="auto"`` (default) uses ``"cells"`` when it applies and ``"nerve"`` otherwise
(T-junctions, as in trees; ``n ≥ 4``; data-mode partitions).

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
from ..complex.simplices import MAX_SIMPLICES, Piece, candidate_pairs, intersects, nerve_simplices
from ..errors import DegenerateError, InvalidInputError, LimitExceededError, UnsupportedModelError
from ..partitions._check import _plane_key
from ..partitions._progress import check_progress, progress_bar
from ..partitions.partition import Partition
from ..polytope.faces import bits
from ..polytope.polytope import Polytope

__all__ = ["decision_topology", "DecisionTopology", "DecisionPiece", "METHODS", "SCOPES"]

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
    method : str
        ``"cells"`` or ``"nerve"`` (module docstring).
    """

    def __init__(
        self,
        betti: dict[Hashable, tuple[int, ...]],
        pieces: dict[Hashable, tuple[DecisionPiece, ...]],
        labels: tuple[Hashable, ...],
        *,
        method: str = "nerve",
        boundary: Any = None,
    ) -> None:
        self.betti = dict(betti)
        self._pieces = dict(pieces)
        self._boundary = boundary
        self.labels = labels
        self.method = method

    @property
    def pieces(self) -> dict[Hashable, tuple[DecisionPiece, ...]]:
        """``{label: pieces}`` with ``"boundary"`` (the intersections of pieces of
        different labels, computed on first access when the cell method was used)."""
        if "boundary" not in self._pieces:
            b = self._boundary() if callable(self._boundary) else self._boundary
            self._pieces["boundary"] = tuple(b or ())
        return dict(self._pieces)

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


def _values_at_vertices(P: Polytope, a: Vec, c: Fraction) -> list[Any]:
    """``a·v + c`` at the vertices of ``P`` (exact, flint rationals)."""
    from flint import fmpq

    aq = [fmpq(x.numerator, x.denominator) for x in a]
    cq = fmpq(c.numerator, c.denominator)
    out = []
    for v in P._q_vertices:
        t = cq
        for x, y in zip(aq, v):
            if x:
                t += x * y
        out.append(t)
    return out


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
        if len(J) == 1:
            for lab in (1, 0):
                if lab not in labels:
                    labels.append(lab)
            vals = _values_at_vertices(c.polytope, J[0], cv[0])
            pos, neg = any(x > 0 for x in vals), any(x < 0 for x in vals)
            if pos:  # piece C ∩ {f ≥ 0}: −J·x ≤ c (C itself when f ≥ 0 on C)
                out.append((1, c.index, _cut(c.polytope, [tuple(-x for x in J[0])], [cv[0]]) if neg else c.polytope))
            if neg:  # piece C ∩ {f ≤ 0}: J·x ≤ −c
                out.append((0, c.index, _cut(c.polytope, [J[0]], [-cv[0]]) if pos else c.polytope))
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
        raise DegenerateError("the model's output is identically zero on every cell: there are no decision regions")
    labels_sorted = labels
    return out, labels_sorted


def _betti_of_union(polys: list[Polytope], n: int, kmax: int, max_simplices: int | None) -> tuple[int, ...]:
    """``(β_0, …, β_kmax)`` of a union of polytopes from its nerve, built up to dimension
    ``kmax + 1`` (which determines ``H_0 … H_kmax``)."""
    if not polys:
        return (0,) * (kmax + 1)
    S = nerve_simplices(polys, max_dim=kmax + 1, max_simplices=max_simplices)
    b = betti_numbers(S.simplices)
    return tuple(b[: kmax + 1]) + (0,) * max(0, kmax + 1 - len(b))


class _Faces:
    """The polyhedral complex of a facet-to-facet family of pieces tiling the domain:
    every face once (keyed by its sorted global vertex ids), its dimension, its facets,
    the labels of the pieces containing it, and whether it lies in the domain's boundary."""

    def __init__(self, raw: list[tuple[Hashable, int, Polytope]], D: Polytope, bar: Any) -> None:
        vid: dict[tuple[int, ...], int] = {}
        self.dim: list[int] = []
        self.children: list[list[int]] = []
        self.labels: list[set[Hashable]] = []
        index: dict[tuple[int, ...], int] = {}
        on_dfacet: list[set[int]] = [set() for _ in D.facets]
        drows = [(h.normal, h.offset) for h in D.facets]
        self.piece_vids: list[list[int]] = []
        for lab, _, P in raw:
            ids = []
            for v in P.vertices:
                k = tuple([x.numerator for x in v] + [x.denominator for x in v])
                i = vid.get(k)
                if i is None:
                    i = vid[k] = len(vid)
                    for t, (a, off) in enumerate(drows):
                        if sum(ai * xi for ai, xi in zip(a, v)) == off:
                            on_dfacet[t].add(i)
                ids.append(i)
            self.piece_vids.append(ids)
            lat = P._lattice
            local: dict[int, int] = {}
            for k in range(P.dim + 1):
                for m in lat.masks(k):
                    key = tuple(sorted(ids[v] for v in bits(m)))
                    f = index.get(key)
                    if f is None:
                        f = index[key] = len(self.dim)
                        self.dim.append(k)
                        self.children.append([local[c] for c in P._children(m)] if k else [])
                        self.labels.append(set())
                    self.labels[f].add(lab)
                    local[m] = f
            bar.update(1)
        self.n_vertices = len(vid)
        self.keys = list(index)
        self.in_boundary = [any(set(key) <= S for S in on_dfacet) for key in self.keys]

    def betti(self, member: list[bool], n: int) -> tuple[int, ...]:
        """``(β_0, …, β_{n−1})`` of the subcomplex of the faces with ``member[f]``
        (module docstring: components, Alexander duality, Euler characteristic)."""
        if not any(member):
            return (0,) * n
        parent = list(range(len(self.dim) + 1))

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        def union(a: int, b: int) -> None:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[ra] = rb

        outside = len(self.dim)
        chi = 0
        for f, k in enumerate(self.dim):
            if member[f]:
                chi += -1 if k & 1 else 1
                if k == 1:
                    union(self.children[f][0], self.children[f][1])
            else:
                for g in self.children[f]:
                    if not member[g]:
                        union(f, g)
                if self.in_boundary[f]:
                    union(f, outside)
        b0 = len({find(f) for f in range(len(self.dim)) if member[f] and self.dim[f] == 0})
        if n == 1:
            return (b0,)
        comps = len({find(f) for f in range(len(self.dim)) if not member[f]} | {find(outside)})
        top = comps - 1  # β_{n−1}, Alexander duality
        if n == 2:
            if top != b0 - chi:  # pragma: no cover - two independent counts of β_1
                raise AssertionError(f"internal error: β_1 = {top} by Alexander duality but {b0 - chi} by χ")
            return (b0, top)
        return (b0, b0 + top - chi, top)  # n = 3: χ = β_0 − β_1 + β_2


def _facet_to_facet(raw: list[tuple[Hashable, int, Polytope]], piece_vids: list[list[int]], D: Polytope) -> bool:
    """Whether every facet of every piece not in the domain's boundary is exactly a
    facet of one piece on the other side (pairs matched by their global vertex ids)."""
    dplanes = {_plane_key(h.normal, h.offset)[1] for h in D.facets}
    count: dict[tuple, int] = {}
    for (_, _, P), ids in zip(raw, piece_vids):
        masks = P._facet_masks
        for fi, h in enumerate(P.facets):
            s, key = _plane_key(h.normal, h.offset)
            if key in dplanes:
                continue
            sig = (key, tuple(sorted(ids[v] for v in bits(masks[fi]))))
            count[sig] = count.get(sig, 0) + s
    return not any(count.values())


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


#: Default vertex limit of :func:`decision_topology` for cells whose vertices are not yet
#: known (H-first cells of data partitions): McMullen's bound on a cell's vertex count
#: above this is refused instead of starting an enumeration that can run for hours.
MAX_CELL_VERTICES = 20_000


def _require_vertices(partition: Partition, max_vertices: int | None) -> None:
    """Refuse (LimitExceededError) before any enumeration when a cell without known
    vertices may have more than ``max_vertices`` of them; enumerate the others."""
    if max_vertices is None:
        return
    for c in partition.cells:
        P = c.polytope
        if "_points" in P.__dict__:
            continue
        est = P.vertex_estimate()
        if est > max_vertices:
            raise LimitExceededError(
                f"decision_topology needs the vertices of every cell, and cell {c.index} (dimension {P.dim} in "
                f"R^{P.ambient_dim}, {P.n_facets} facets, vertices not yet enumerated) may have up to {est:.3g} of "
                f"them (McMullen's bound), above max_vertices={max_vertices}; enumerating them could take hours. "
                "For data partitions in high dimension use the graph-level topology of the data graph "
                "(exactgeom.io.report_data.summarise_data(P).topology, or 'exactgeom analyse --mode data'), "
                "or pass max_vertices=None to enumerate anyway"
            )


METHODS = ("auto", "cells", "nerve")
SCOPES = ("domain", "data")


def decision_topology(
    partition: Partition,
    max_dim: int | None = None,
    *,
    max_simplices: int | None = MAX_SIMPLICES,
    scope: str | None = None,
    method: str = "auto",
    progress: bool | None = None,
    max_vertices: int | None = MAX_CELL_VERTICES,
) -> DecisionTopology:
    """Exact Betti numbers over Q of each decision region's closure and of the decision
    boundary (module docstring).

    Parameters
    ----------
    partition : Partition
        A classifier partition (labels per cell) or a partition whose model has affine
        outputs per cell (ReLU networks): scalar output → labels 1 (f > 0) and 0 (f < 0),
        vector output → the argmax index.
    max_dim : int, optional
        Report ``β_0 … β_max_dim`` (default ``n − 1``, all that can be non-zero).
    max_simplices : int, optional
        Nerve method only: refuse (DegenerateError) rather than build more simplices
        (default 200 000); ``None``: no cap.
    scope : {"domain", "data"}, optional
        ``"domain"`` (default): the regions of the model in the whole domain; a
        data-mode partition (only the cells holding data) is refused, since its cells
        do not cover the domain. ``"data"``: the topology of the union of the
        partition's cells as they are — for a data-mode partition, of the data cells.
    method : {"auto", "cells", "nerve"}
        See the module docstring; ``"cells"`` raises when it does not apply.
    progress : bool, optional
        tqdm bar (``None``: only on a terminal, after a second).
    max_vertices : int or None
        Vertex limit for cells whose vertices are not yet known (H-first cells of data
        partitions): a cell whose McMullen bound exceeds it raises
        :class:`~exactgeom.errors.LimitExceededError` before any enumeration (default
        :data:`MAX_CELL_VERTICES`; ``None``: enumerate whatever it costs).

    Returns
    -------
    DecisionTopology
        A mapping ``{label: (β_0, …), "boundary": (…)}``; ``.pieces`` holds the convex
        pieces (those of the boundary computed on first access) and ``.method`` the
        method used.

    Examples
    --------
    >>> from exactgeom.partitions.relu import relu_network
    >>> T = decision_topology(relu_network([[[1, 0]], [[1]]], [[0], ["-1/2"]], [(-1, 1), (-1, 1)]))
    >>> T[1], T[0], T["boundary"], T.method        # f = ReLU(x) − 1/2: a half-plane split
    ((1, 0), (1, 0), (1, 0), 'cells')
    >>> decision_topology(relu_network([[[1, 0]], [[1]]], [[0], ["-1/2"]], [(-1, 1), (-1, 1)]), max_dim=0)[1]
    (1,)
    """
    if not isinstance(partition, Partition):
        raise InvalidInputError(f"decision_topology needs a Partition, got {type(partition).__name__}")
    n = partition.ambient_dim
    if max_dim is None:
        kmax = n - 1
    elif isinstance(max_dim, int) and not isinstance(max_dim, bool) and 0 <= max_dim <= n - 1:
        kmax = max_dim
    else:
        raise InvalidInputError(
            f"max_dim must be an int in 0..{n - 1} (Betti numbers above n − 1 vanish in R^{n}) or None, got {max_dim!r}"
        )
    if max_simplices is not None and (not isinstance(max_simplices, int) or isinstance(max_simplices, bool) or max_simplices < 1):
        raise InvalidInputError(f"max_simplices must be a positive int or None, got {max_simplices!r}")
    if method not in METHODS:
        raise InvalidInputError(f"unknown method {method!r}; use one of {METHODS}")
    if scope is not None and scope not in SCOPES:
        raise InvalidInputError(f"unknown scope {scope!r}; use one of {SCOPES}")
    data_mode = partition.provenance.get("mode") == "data"
    if data_mode and scope != "data":
        raise InvalidInputError(
            "this is a data-mode partition: its cells are only those holding data and do not cover the "
            "domain, so the model's decision regions are unknown; pass scope='data' for the topology of "
            "the union of the data cells, or build the partition with mode='full'"
        )
    check_progress(progress)
    if max_vertices is not None and (not isinstance(max_vertices, int) or isinstance(max_vertices, bool) or max_vertices < 0):
        raise InvalidInputError(f"max_vertices must be a non-negative int or None, got {max_vertices!r}")
    _require_vertices(partition, max_vertices)
    raw, labels = _cell_pieces(partition)
    D = partition.domain
    use_cells = method == "cells" or (method == "auto" and n <= 3 and not data_mode)
    K = None
    if use_cells:
        why = None
        if n > 3:
            why = f"the cell method covers n <= 3 (here n = {n})"
        elif data_mode:
            why = "the pieces of a data-mode partition do not tile the domain"
        if why is None:
            with progress_bar(len(raw), "decision topology: faces", progress, unit="piece") as bar:
                K = _Faces(raw, D, bar)
            if not _facet_to_facet(raw, K.piece_vids, D):
                why = "the pieces are not facet-to-facet (T-junctions)"
        if why is not None:
            if method == "cells":
                raise DegenerateError(f"method='cells' does not apply: {why}; use method='nerve' or 'auto'")
            use_cells = False
    by_label: dict[Hashable, list[DecisionPiece]] = {lab: [] for lab in labels}
    for lab, ci, P in raw:
        by_label[lab].append(DecisionPiece(lab, (ci,), P))
    betti: dict[Hashable, tuple[int, ...]] = {}
    flat = [p for lab in labels for p in by_label[lab]]
    if use_cells:
        assert K is not None
        with progress_bar(len(labels) + 1, "decision topology: homology", progress, unit="set") as bar:
            for lab in labels:
                betti[lab] = K.betti([lab in ls for ls in K.labels], n)[: kmax + 1]
                bar.update(1)
            betti["boundary"] = K.betti([len(ls) > 1 for ls in K.labels], n)[: kmax + 1]
            bar.update(1)
        bnd: list[DecisionPiece] | None = None
    else:
        with progress_bar(len(labels) + 2, "decision topology (nerve)", progress, unit="set") as bar:
            for lab in labels:
                betti[lab] = _betti_of_union([p.polytope for p in by_label[lab]], n, kmax, max_simplices)
                bar.update(1)
            bnd = _boundary_pieces(flat)
            bar.update(1)
            betti["boundary"] = _betti_of_union([p.polytope for p in bnd], n, kmax, max_simplices)
            bar.update(1)
    pieces: dict[Hashable, tuple[DecisionPiece, ...]] = {lab: tuple(by_label[lab]) for lab in labels}
    return DecisionTopology(betti, pieces, tuple(labels), method="cells" if use_cells else "nerve",
                            boundary=(lambda: _boundary_pieces(flat)) if bnd is None else tuple(bnd))


def _boundary_pieces(flat: list[DecisionPiece]) -> list[DecisionPiece]:
    """The non-empty intersections of pieces of different labels, pruned."""
    wrapped = [Piece(p.polytope) for p in flat]
    bnd: list[DecisionPiece] = []
    for i, j in candidate_pairs(wrapped):
        a, b = flat[i], flat[j]
        if a.label == b.label or not intersects(wrapped[i], wrapped[j]):
            continue
        I = a.polytope.intersect(b.polytope)
        bnd.append(DecisionPiece("boundary", tuple(sorted(set(a.cells + b.cells))), I))
    return _prune(bnd)
