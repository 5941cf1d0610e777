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
from typing import Any

from ..errors import InvalidInputError
from ..numbers.rational import PolicyLike, as_rational, as_rational_vector
from ..polytope.polytope import Polytope
from ._vcell import VCell, to_polytope
from .arrangement import policy_name
from .partition import Partition, as_domain

__all__ = ["decision_tree", "TreeModel", "Split", "Leaf", "parse_tree"]

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
                raise InvalidInputError(f"leaf id at {path} must be hashable, got {lid!r}") from None
            if lid in seen_ids:
                raise InvalidInputError(f"leaf id {lid!r} at {path} is used twice; leaf ids must be unique")
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
                raise InvalidInputError(f"feature {f} at {path} is out of range 0..{n - 1} (0-based)")
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


def decision_tree(tree: Any, domain: Any, *, policy: PolicyLike | None = None) -> Partition:
    """Partition of ``domain`` into the leaf cells of a decision tree.

    Parameters
    ----------
    tree : mapping or fitted scikit-learn tree
        Nested mapping (see the module docstring), or a fitted
        ``DecisionTreeClassifier`` / ``DecisionTreeRegressor`` (needs ``policy``: its
        thresholds are floats).
    domain : list of (lo, hi) pairs or a full-dimensional Polytope
    policy : float policy for float input (see :class:`exactgeom.FloatPolicy`)

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
    leaves = _leaves(root)
    return Partition(
        D,
        cells,
        family="decision_tree",
        model=TreeModel(root, {lf.id: lf for lf in leaves}, n),
        provenance={"family": "decision_tree", "n_leaves": len(leaves), "policy": policy_name(policy)},
    )


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
