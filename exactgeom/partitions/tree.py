"""Decision trees with axis-aligned or oblique splits: one cell per leaf.

A tree is a nested mapping. A split node is ``{"feature": f, "threshold": t, "left": …,
"right": …}`` (left branch: ``x_f <= t``, right branch: ``x_f > t``) or, for an oblique
split, ``{"weights": [w_0, …, w_{n−1}], "threshold": t, …}`` (left: ``w·x <= t``). A
leaf is ``{"leaf": id}`` with a hashable, unique ``id`` and optionally ``"class"`` (the
predicted label) and ``"value"`` (a number or a vector: the leaf's output).

The cell of a leaf is the domain intersected with the split half-spaces on its root
path (closed); leaves whose region in the domain is empty or lower-dimensional get no
cell. The key is the leaf id; ``label(key)`` is the leaf's class if it has one, else the
leaf id; ``output_affine(key)`` is the constant map ``x ↦ value`` when the leaf has a
value. Points exactly on a split go left, as in scikit-learn.

A fitted scikit-learn ``DecisionTreeClassifier`` / ``DecisionTreeRegressor`` is accepted
too (converted by :mod:`exactgeom.importers.sklearn`, with a float ``policy``).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from typing import Any

from ..errors import InvalidInputError
from ..numbers.rational import PolicyLike, as_rational, as_rational_vector, short_str
from ..numbers.surd import Surd
from ..polytope.boxes import store_box_measures, store_face_volume, widths_product
from ..polytope.polytope import Polytope
from ._vcell import VCell, to_polytope
from .arrangement import policy_name
from .crossing import resolve_engine
from .partition import CheckReport, Partition, SharedFace, as_domain

__all__ = ["decision_tree", "TreeModel", "Split", "Leaf", "parse_tree", "BoxTreePartition"]

Vec = tuple[Fraction, ...]


@dataclass(frozen=True)
class Leaf:
    """A leaf: ``id``, optional ``cls`` (class label) and ``value`` (output vector)."""

    id: Hashable
    cls: Hashable | None = None
    value: Vec | None = None
    has_class: bool = False


@dataclass(frozen=True)
class Split:
    """``weights·x <= threshold`` goes ``left``, else ``right``; ``feature`` is set for
    an axis-aligned split (then ``weights`` is the unit vector)."""

    weights: Vec
    threshold: Fraction
    left: Split | Leaf
    right: Split | Leaf
    feature: int | None = None


_SPLIT_KEYS = {"feature", "weights", "threshold", "left", "right"}
_LEAF_KEYS = {"leaf", "class", "value"}


def parse_tree(tree: Any, n: int, policy: PolicyLike | None = None) -> Split | Leaf:
    """Validate a nested tree mapping and convert it to exact :class:`Split` /
    :class:`Leaf` nodes (thresholds, weights and values become Fractions).

    >>> parse_tree({"feature": 0, "threshold": "1/2", "left": {"leaf": 0}, "right": {"leaf": 1}}, 2).threshold
    Fraction(1, 2)
    """
    seen_nodes: set[int] = set()
    seen_ids: set[Any] = set()

    def conv(node: Any, path: str) -> Split | Leaf | tuple[Vec, Fraction, int | None, Any, Any]:
        """Check one node: a :class:`Leaf`, or a split's ``(w, t, feature, left, right)``
        with its children still unconverted (the tree is walked without recursion, so
        trees thousands of levels deep are fine)."""
        if not isinstance(node, Mapping):
            raise InvalidInputError(f"tree node at {path} must be a mapping, got {type(node).__name__}")
        if id(node) in seen_nodes:
            raise InvalidInputError(f"tree node at {path} appears twice in the tree; a tree cannot share subtrees")
        seen_nodes.add(id(node))
        keys = set(node)
        if "leaf" in keys:
            extra = keys - _LEAF_KEYS
            if extra:
                raise InvalidInputError(
                    f"leaf at {path} has unexpected keys {sorted(map(str, extra))}; a leaf has 'leaf' and "
                    "optionally 'class' and 'value'"
                )
            lid = node["leaf"]
            try:
                hash(lid)
            except TypeError:
                raise InvalidInputError(f"leaf id at {path} must be hashable, got {short_str(lid)}") from None
            if lid in seen_ids:
                raise InvalidInputError(f"leaf id {short_str(lid)} at {path} is used twice; leaf ids must be unique")
            seen_ids.add(lid)
            value = None
            if "value" in node:
                v = node["value"]
                if isinstance(v, (list, tuple)) or hasattr(v, "shape"):
                    value = as_rational_vector(v, policy, name=f"value at {path}")
                else:
                    value = (as_rational(v, policy, name=f"value at {path}"),)
            cls = node.get("class")
            if cls is not None:
                try:
                    hash(cls)
                except TypeError:
                    raise InvalidInputError(f"class at {path} must be hashable, got {cls!r}") from None
            return Leaf(lid, cls, value, "class" in node)
        missing = {"threshold", "left", "right"} - keys
        if missing:
            raise InvalidInputError(
                f"tree node at {path} is neither a leaf ({{'leaf': id}}) nor a split: missing "
                f"{sorted(missing)}"
            )
        extra = keys - _SPLIT_KEYS
        if extra:
            raise InvalidInputError(f"split at {path} has unexpected keys {sorted(map(str, extra))}")
        if ("feature" in keys) == ("weights" in keys):
            raise InvalidInputError(
                f"split at {path} needs exactly one of 'feature' (axis-aligned) or 'weights' (oblique)"
            )
        t = as_rational(node["threshold"], policy, name=f"threshold at {path}")
        feature = None
        if "feature" in keys:
            f = node["feature"]
            if isinstance(f, bool) or (not isinstance(f, int) and not hasattr(f, "__index__")):
                raise InvalidInputError(f"feature at {path} must be an int, got {f!r}")
            f = int(f)
            if not 0 <= f < n:
                raise InvalidInputError(f"feature {short_str(f)} at {path} is out of range 0..{n - 1} (0-based)")
            feature = f
            w = tuple(Fraction(int(j == f)) for j in range(n))
        else:
            w = as_rational_vector(node["weights"], policy, name=f"weights at {path}", length=n)
        return (w, t, feature, node["left"], node["right"])

    # pre-order walk (errors come in the order a recursive walk gives), then build the
    # Split nodes bottom-up: children always come after their parent in `done`
    done: list[Any] = []
    kids: list[tuple[int, int] | None] = []
    stack: list[tuple[Any, str, int, int]] = [(tree, "root", -1, 0)]
    while stack:
        node, path, parent, side = stack.pop()
        r = conv(node, path)
        k = len(done)
        done.append(r)
        kids.append(None if isinstance(r, Leaf) else (-1, -1))
        if parent >= 0:
            lr = kids[parent]
            assert lr is not None
            kids[parent] = (k, lr[1]) if side == 0 else (lr[0], k)
        if not isinstance(r, Leaf):
            stack.append((r[4], path + ".right", k, 1))
            stack.append((r[3], path + ".left", k, 0))
    for k in range(len(done) - 1, -1, -1):
        lr = kids[k]
        if lr is not None:
            w, t, feature, _, _ = done[k]
            done[k] = Split(w, t, done[lr[0]], done[lr[1]], feature)
    return done[0]


def _leaves(node: Split | Leaf) -> list[Leaf]:
    out, stack = [], [node]
    while stack:
        nd = stack.pop()
        if isinstance(nd, Leaf):
            out.append(nd)
        else:
            stack.append(nd.right)
            stack.append(nd.left)
    return out


def decision_tree(tree: Any, domain: Any, *, policy: PolicyLike | None = None, engine: str = "auto") -> Partition:
    """Partition of ``domain`` into the leaf cells of a decision tree.

    Parameters
    ----------
    tree : mapping or fitted scikit-learn tree
        Nested mapping (see the module docstring), or a fitted
        ``DecisionTreeClassifier`` / ``DecisionTreeRegressor`` (needs ``policy``: its
        thresholds are floats).
    domain : list of (lo, hi) pairs or a full-dimensional Polytope
    policy : float policy for float input (see :class:`exactgeom.FloatPolicy`)
    engine : ``"auto"`` (default), ``"vertices"`` or ``"lp"``
        ``"vertices"`` cuts the domain's vertices (every measure available); ``"lp"``
        builds each leaf's region H-first, without vertices (for high-dimensional
        inputs): an axis-aligned tree on a box domain gives a
        :class:`BoxTreePartition` (box cells, adjacency and check from the boxes' bounds),
        any other tree leaf regions tested full-dimensional by exact LPs (their adjacency
        needs vertices). ``"auto"`` takes the vertex route up to 6 inputs. Both give the
        same cells.

    Returns
    -------
    Partition
        One cell per leaf with a full-dimensional region, keyed by leaf id, in the
        tree's left-to-right leaf order.

    Examples
    --------
    >>> t = {"feature": 0, "threshold": 0,
    ...      "left": {"leaf": "a", "class": 1},
    ...      "right": {"weights": [1, 1], "threshold": 1, "left": {"leaf": "b"}, "right": {"leaf": "c"}}}
    >>> P = decision_tree(t, [(-1, 1), (-1, 1)])
    >>> [(cl.key, cl.volume(), P.label(cl)) for cl in P.cells]
    [('a', Fraction(2, 1), 1), ('b', Fraction(3, 2), 'b'), ('c', Fraction(1, 2), 'c')]
    >>> decision_tree({"feature": 0, "threshold": 5, "left": {"leaf": 0}, "right": {"leaf": 1}},
    ...               [(0, 1)]).n_cells   # the right leaf misses the domain
    1
    """
    if not isinstance(tree, Mapping) and hasattr(tree, "tree_"):
        from ..importers.sklearn import from_sklearn  # lazy: scikit-learn is optional

        return from_sklearn(tree, domain, policy=policy)
    D = as_domain(domain, policy=policy)
    n = D.ambient_dim
    root = parse_tree(tree, n, policy)
    leaves = _leaves(root)
    model = TreeModel(root, {lf.id: lf for lf in leaves}, n)
    prov = {"family": "decision_tree", "n_leaves": len(leaves), "policy": policy_name(policy)}
    if resolve_engine(engine, n) == "lp":
        bounds = _box_bounds(D)
        if bounds is not None and _axis_aligned(root):
            store_box_measures(D, *zip(*bounds))
            return BoxTreePartition(D, _box_cells(root, bounds), family="decision_tree", model=model, provenance=prov)
        return Partition(D, _lp_cells(root, D), family="decision_tree", model=model, provenance=prov)
    cells: list[tuple[Hashable, Polytope]] = []
    stack: list[tuple[Split | Leaf, VCell]] = [(root, VCell.from_polytope(D))]
    while stack:
        node, C = stack.pop()
        if isinstance(node, Leaf):
            cells.append((node.id, to_polytope(C)))
            continue
        lo, hi = C.split(node.weights, node.threshold)
        if lo is C and hi is C:  # 0·x <= 0 holds everywhere: the right branch (0 > 0) is empty
            hi = None
        if hi is not None:
            stack.append((node.right, hi))
        if lo is not None:
            stack.append((node.left, lo))
    return Partition(D, cells, family="decision_tree", model=model, provenance=prov)


def _axis_aligned(node: Split | Leaf) -> bool:
    stack = [node]
    while stack:
        x = stack.pop()
        if isinstance(x, Split):
            if x.feature is None or x.weights[x.feature] <= 0:
                return False
            stack += [x.left, x.right]
    return True


def _box_bounds(D: Polytope) -> list[list[Fraction]] | None:
    """``[[lo_i, hi_i], …]`` when the domain is a box (every facet ``±x_i <= c``), else None."""
    n = D.ambient_dim
    lo: list[Fraction | None] = [None] * n
    hi: list[Fraction | None] = [None] * n
    for h in D.facets:
        nz = [j for j, v in enumerate(h.normal) if v]
        if len(nz) != 1:
            return None
        j = nz[0]
        a = h.normal[j]
        if a > 0:
            hi[j] = h.offset / a
        else:
            lo[j] = h.offset / a
    if any(v is None for v in lo + hi):
        return None
    return [[lo[j], hi[j]] for j in range(n)]  # type: ignore[list-item]


def _box_cells(root: Split | Leaf, bounds: list[list[Fraction]]) -> list[tuple[Hashable, Polytope]]:
    """Leaf regions of an axis-aligned tree in a box: boxes (left ``x_f <= t``, right
    ``x_f >= t`` as closed cells), kept when ``lo < hi`` in every coordinate."""
    cells: list[tuple[Hashable, Polytope]] = []
    stack: list[tuple[Split | Leaf, list[list[Fraction]]]] = [(root, bounds)]
    while stack:
        node, B = stack.pop()
        if isinstance(node, Leaf):
            P = Polytope.box([tuple(p) for p in B])
            store_box_measures(P, [p[0] for p in B], [p[1] for p in B])  # closed forms: no vertices needed
            cells.append((node.id, P))
            continue
        f, t = node.feature, node.threshold
        assert f is not None
        w = node.weights[f]  # the unit vector times w > 0 (a scaled axis-aligned split: x_f <= t / w)
        t = t / w
        if t > B[f][0]:
            right_first = [list(p) for p in B]
            if t < B[f][1]:
                right_first[f][0] = t
                stack.append((node.right, right_first))
            left = [list(p) for p in B]
            left[f][1] = min(t, B[f][1])
            stack.append((node.left, left))
        else:  # x_f <= t meets the box in at most a face: only the right branch has a cell
            stack.append((node.right, B))
    return cells


def _lp_cells(root: Split | Leaf, D: Polytope) -> list[tuple[Hashable, Polytope]]:
    """Leaf regions of any tree, H-first: a branch is followed when its region is
    full-dimensional (exact LP engine)."""
    n = D.ambient_dim
    A0 = [tuple(Fraction(a) for a in h.normal) for h in D.facets]
    b0 = [h.offset for h in D.facets]
    cells: list[tuple[Hashable, Polytope]] = []
    stack: list[tuple[Split | Leaf, list[Vec], list[Fraction]]] = [(root, [], [])]
    while stack:
        node, A, b = stack.pop()
        if isinstance(node, Leaf):
            cells.append((node.id, Polytope.from_hrep(A0 + A, b0 + b, engine="lp")))
            continue
        w, t = node.weights, node.threshold
        if not any(w):  # 0·x <= t: one branch everywhere
            stack.append((node.left if t >= 0 else node.right, A, b))
            continue
        for child, row, c in ((node.right, tuple(-v for v in w), -t), (node.left, w, t)):
            if Polytope.from_hrep(A0 + A + [row], b0 + b + [c], engine="lp").dim == n:
                stack.append((child, A + [row], b + [c]))
    return cells


@dataclass(frozen=True, eq=False)
class TreeModel:
    """Exact tree evaluation: ``key(x)`` is the leaf reached (``w·x <= t`` goes left)."""

    root: Split | Leaf
    leaves: Mapping[Hashable, Leaf]
    n: int

    def key(self, x: Vec) -> Hashable:
        node = self.root
        while isinstance(node, Split):
            s = Fraction(0)
            for wi, xi in zip(node.weights, x):
                if wi:
                    s += wi * xi
            node = node.left if s <= node.threshold else node.right
        return node.id

    def label(self, key: Any) -> Hashable:
        lf = self.leaves[key]
        return lf.cls if lf.has_class else lf.id

    def output_affine(self, key: Any) -> tuple[tuple[Vec, ...], Vec] | None:
        lf = self.leaves[key]
        if lf.value is None:
            return None
        zero = tuple(Fraction(0) for _ in range(self.n))
        return tuple(zero for _ in lf.value), lf.value


def _bounds_of(P: Polytope) -> tuple[Vec, Vec]:
    """``(lo, hi)`` of a box cell, read from its facets ``±x_j <= c``."""
    n = P.ambient_dim
    lo: list[Fraction] = [Fraction(0)] * n
    hi: list[Fraction] = [Fraction(0)] * n
    for h in P.facets:
        j = next(k for k, v in enumerate(h.normal) if v)
        if h.normal[j] > 0:
            hi[j] = h.offset / h.normal[j]
        else:
            lo[j] = h.offset / h.normal[j]
    return tuple(lo), tuple(hi)


class _BoxFace(SharedFace):
    """The shared face of two box cells (``x_f = v`` and the overlap of the other
    coordinates), built as a polytope on first use. Its (n−1)-volume is the product of
    the overlap's widths (T-junctions included: the overlap is the face), a rational, and
    is also stored as the face polytope's relative volume."""

    def __init__(self, i: int, j: int, normal: tuple[int, ...], offset: Fraction, lo: Vec, hi: Vec, f: int) -> None:
        for k, v in (("i", i), ("j", j), ("normal", normal), ("offset", offset), ("_box", (lo, hi, f))):
            object.__setattr__(self, k, v)

    @cached_property
    def face(self) -> Polytope:  # type: ignore[override]
        lo, hi, f = self._box
        n = len(lo)
        A: list[Vec] = []
        b: list[Fraction] = []
        for g in range(n):
            if g != f:
                e = tuple(Fraction(int(k == g)) for k in range(n))
                A += [tuple(-x for x in e), e]
                b += [-lo[g], hi[g]]
        ef = tuple(Fraction(int(k == f)) for k in range(n))
        F = Polytope.from_hrep(A, b, ([ef], [lo[f]]), ambient_dim=n)
        store_face_volume(F, widths_product(lo, hi, skip=f))
        return F

    @cached_property
    def _volume(self) -> Surd:
        lo, hi, f = self._box
        return Surd._make(widths_product(lo, hi, skip=f), 1)

    def __repr__(self) -> str:
        return f"SharedFace({self.i}, {self.j}, normal={self.normal}, offset={self.offset})"


class BoxTreePartition(Partition):
    """The leaf cells of an axis-aligned decision tree on a box domain, built without
    vertices (``decision_tree(..., engine="lp")``, the default above 6 inputs): every cell
    is a box, so the shared faces and the check come from the boxes' bounds.

    * :meth:`adjacency`: two boxes share an (n−1)-face when, in one coordinate, one box's
      upper bound is the other's lower bound and the open intervals overlap in every other
      coordinate (T-junctions included: the face is the overlap);
    * :meth:`check`: keys distinct, every cell inside the domain with the model's leaf at its
      centre equal to its key, and the exact box volumes summing to the domain's. Distinct
      leaves of a tree have disjoint interiors (the split at their lowest common ancestor
      separates them) and the cells lie in the domain, so the volume sum proves the tiling.

    >>> t = {"feature": 0, "threshold": 0, "left": {"leaf": "a"},
    ...      "right": {"feature": 1, "threshold": "1/2", "left": {"leaf": "b"}, "right": {"leaf": "c"}}}
    >>> P = decision_tree(t, [(-1, 1)] * 10, engine="lp")
    >>> type(P).__name__, [c.key for c in P.cells], [(f.i, f.j) for f in P.adjacency()]
    ('BoxTreePartition', ['a', 'b', 'c'], [(0, 1), (0, 2), (1, 2)])
    >>> P.check().ok, P.check().tiling, P.check(volumes=True).volume_sum
    (True, True, Fraction(1024, 1))
    """

    @cached_property
    def _bounds(self) -> list[tuple[Vec, Vec]]:
        return [_bounds_of(c.polytope) for c in self.cells]

    @cached_property
    def _adjacency(self) -> tuple[SharedFace, ...]:
        n = self.ambient_dim
        B = self._bounds
        below: dict[tuple[int, Fraction], list[int]] = {}
        above: dict[tuple[int, Fraction], list[int]] = {}
        for i, (lo, hi) in enumerate(B):
            for f in range(n):
                below.setdefault((f, hi[f]), []).append(i)
                above.setdefault((f, lo[f]), []).append(i)
        out: list[SharedFace] = []
        for (f, v), lows in below.items():
            for a in lows:
                for c in above.get((f, v), ()):
                    la, ha = B[a]
                    lc, hc = B[c]
                    if all(g == f or max(la[g], lc[g]) < min(ha[g], hc[g]) for g in range(n)):
                        lo = tuple(v if g == f else max(la[g], lc[g]) for g in range(n))
                        hi = tuple(v if g == f else min(ha[g], hc[g]) for g in range(n))
                        s = 1 if a < c else -1  # the normal points from the lower index to the higher
                        normal = tuple(s * int(g == f) for g in range(n))
                        out.append(_BoxFace(min(a, c), max(a, c), normal, s * v, lo, hi, f))
        out.sort(key=lambda F: (F.i, F.j))
        return tuple(out)

    def _run_check(self, bar: Any, *, volumes: bool = False) -> CheckReport:
        problems: list[str] = []
        keys = [c.key for c in self.cells]
        if len(set(keys)) != len(keys):
            problems.append("duplicate cell keys")
        dom = _box_bounds(self.domain)
        total = Fraction(0)
        for c, (lo, hi) in zip(self.cells, self._bounds):
            if any(a >= b for a, b in zip(lo, hi)):
                problems.append(f"cell {c.index} (key {c.key!r}) is not full-dimensional")
                continue
            if dom is None or any(a < d[0] or b > d[1] for a, b, d in zip(lo, hi, dom)):
                problems.append(f"cell {c.index} (key {c.key!r}) leaves the domain")
            centre = tuple((a + b) / 2 for a, b in zip(lo, hi))
            if self.model is not None and self.model.key(centre) != c.key:
                problems.append(f"cell {c.index}: the model's leaf at its centre differs from its key {c.key!r}")
            vol = Fraction(1)
            for a, b in zip(lo, hi):
                vol *= b - a
            total += vol
            if bar is not None:
                bar.update(3)
        dv = Fraction(1)
        for a, b in dom or ():
            dv *= b - a
        if total != dv:
            problems.append(f"cell volumes sum to {total}, not the domain's volume {dv}")
        return CheckReport(not problems, tuple(problems), total if volumes else None, dv, tiling=not problems)
