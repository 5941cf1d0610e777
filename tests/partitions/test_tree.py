"""Decision trees: leaf cells are the root-path boxes, oblique splits, malformed trees."""

from __future__ import annotations

from fractions import Fraction

import pytest
from _partitions_helpers import assert_adjacency_wellformed, assert_keys_match_model
from hypothesis import given, settings
from hypothesis import strategies as st

from exactgeom import DegenerateError, InexactInputError, InvalidInputError, Polytope
from exactgeom.partitions.tree import BoxTreePartition, Leaf, Split, decision_tree, parse_tree
from exactgeom.strategies.partitions import boxes, trees

F = Fraction
SQ = [(-1, 1), (-1, 1)]


def _path_boxes(tree, box):
    """(leaf id, box) for every leaf of an axis-aligned tree: the root path intervals."""
    out = []

    def walk(node, bounds):
        if "leaf" in node:
            out.append((node["leaf"], bounds))
            return
        f, t = node["feature"], F(node["threshold"])
        lo, hi = bounds[f]
        left = list(bounds)
        left[f] = (lo, min(hi, t))
        right = list(bounds)
        right[f] = (max(lo, t), hi)
        walk(node["left"], left)
        walk(node["right"], right)

    walk(tree, [(F(a), F(b)) for a, b in box])
    return out


def _leaf_paths(tree):
    """leaf id → list of (node, went_left) on its root path."""
    out = {}

    def walk(node, path):
        if "leaf" in node:
            out[node["leaf"]] = path
            return
        walk(node["left"], path + [(node, True)])
        walk(node["right"], path + [(node, False)])

    walk(tree, [])
    return out


def _split_value(node, x):
    if "feature" in node:
        return x[node["feature"]] - F(node["threshold"])
    return sum(F(w) * xi for w, xi in zip(node["weights"], x)) - F(node["threshold"])


def test_hand_computed_oblique():
    t = {
        "feature": 0,
        "threshold": 0,
        "left": {"leaf": "a", "class": 1},
        "right": {"weights": [1, 1], "threshold": 1, "left": {"leaf": "b", "value": 5}, "right": {"leaf": "c"}},
    }
    P = decision_tree(t, SQ)
    assert [(c.key, c.volume(), P.label(c)) for c in P.cells] == [("a", 2, 1), ("b", F(3, 2), "b"), ("c", F(1, 2), "c")]
    assert P.output_affine(1) == (((0, 0),), (5,))
    assert P.output_affine(0) is None
    # on the split x_0 = 0 the point goes left
    assert P.key_at([0, 0]) == "a" and P.key_at([F(1, 10), 0]) == "b"
    assert P.check().ok


def test_degenerate_splits():
    # thresholds outside the domain, a repeated split, a split along the domain boundary
    t = {
        "feature": 0,
        "threshold": 5,
        "left": {
            "feature": 1,
            "threshold": 0,
            "left": {"feature": 1, "threshold": 0, "left": {"leaf": 0}, "right": {"leaf": 1}},
            "right": {"feature": 0, "threshold": -1, "left": {"leaf": 2}, "right": {"leaf": 3}},
        },
        "right": {"leaf": 4},
    }
    P = decision_tree(t, SQ)
    assert [c.key for c in P.cells] == [0, 3]
    assert P.check().ok
    # zero weights: 0 <= t sends everything left
    P = decision_tree({"weights": [0, 0], "threshold": 0, "left": {"leaf": 0}, "right": {"leaf": 1}}, SQ)
    assert [c.key for c in P.cells] == [0]
    # a single leaf
    P = decision_tree({"leaf": "only", "class": None}, SQ)
    assert [c.key for c in P.cells] == ["only"] and P.label(0) is None


@given(st.integers(1, 3).flatmap(lambda n: st.tuples(st.just(n), trees(n, max_depth=3, oblique=False), boxes(n))))
def test_axis_aligned_cells_are_path_boxes(args):
    _, tree, box = args
    P = decision_tree(tree, box)
    expected = {}
    for lid, b in _path_boxes(tree, box):
        if all(lo < hi for lo, hi in b):
            expected[lid] = Polytope.box(b)
    assert {c.key: c.polytope for c in P.cells} == expected
    assert P.check().ok


@given(st.integers(1, 3).flatmap(lambda n: st.tuples(trees(n, max_depth=3, oblique=True), boxes(n))))
def test_hypothesis_trees(args):
    tree, box = args
    P = decision_tree(tree, box)
    rep = P.check()
    assert rep.ok, rep.problems
    assert_keys_match_model(P, k=2)
    assert_adjacency_wellformed(P)
    paths = _leaf_paths(tree)
    classes = {}

    def collect(node):
        if "leaf" in node:
            classes[node["leaf"]] = node["class"]
        else:
            collect(node["left"])
            collect(node["right"])

    collect(tree)
    for c in P.cells:
        assert P.label(c) == classes[c.key]
    for f in P.adjacency():
        # the face lies on the split where the two root paths part (lowest common ancestor)
        pa, pb = paths[P.cells[f.i].key], paths[P.cells[f.j].key]
        k = 0
        while pa[k][0] is pb[k][0] and pa[k][1] == pb[k][1]:
            k += 1
        node = pa[k][0]
        assert node is pb[k][0]
        assert all(_split_value(node, v) == 0 for v in f.face.vertices)


def test_parse_tree_types():
    r = parse_tree({"weights": [1, "1/2"], "threshold": "1/3", "left": {"leaf": 0}, "right": {"leaf": 1, "value": [1, 2]}}, 2)
    assert isinstance(r, Split) and r.weights == (1, F(1, 2)) and r.feature is None
    assert isinstance(r.right, Leaf) and r.right.value == (1, 2)


def _shared():
    sub = {"leaf": 0}
    return {"feature": 0, "threshold": 0, "left": sub, "right": sub}


INVALID = [
    ([1, 2], InvalidInputError, "not a mapping"),
    ({"feature": 0, "threshold": 0, "left": {"leaf": 0}}, InvalidInputError, "missing right"),
    ({"feature": 0, "weights": [1, 0], "threshold": 0, "left": {"leaf": 0}, "right": {"leaf": 1}}, InvalidInputError, "feature and weights"),
    ({"threshold": 0, "left": {"leaf": 0}, "right": {"leaf": 1}}, InvalidInputError, "neither feature nor weights"),
    ({"feature": 2, "threshold": 0, "left": {"leaf": 0}, "right": {"leaf": 1}}, InvalidInputError, "feature out of range"),
    ({"feature": "x", "threshold": 0, "left": {"leaf": 0}, "right": {"leaf": 1}}, InvalidInputError, "feature not int"),
    ({"weights": [1], "threshold": 0, "left": {"leaf": 0}, "right": {"leaf": 1}}, InvalidInputError, "weights length"),
    ({"feature": 0, "threshold": 0, "left": {"leaf": 0}, "right": {"leaf": 0}}, InvalidInputError, "duplicate leaf id"),
    ({"leaf": [1]}, InvalidInputError, "unhashable leaf id"),
    ({"leaf": 0, "left": {"leaf": 1}}, InvalidInputError, "leaf with children"),
    ({"feature": 0, "threshold": 0, "left": {"leaf": 0}, "right": {"leaf": 1}, "color": 1}, InvalidInputError, "unknown key"),
    ({"feature": 0, "threshold": 0.5, "left": {"leaf": 0}, "right": {"leaf": 1}}, InexactInputError, "float threshold"),
    ({"feature": 0, "threshold": float("nan"), "left": {"leaf": 0}, "right": {"leaf": 1}}, InvalidInputError, "NaN threshold"),
    ({"feature": 0, "threshold": "abc", "left": {"leaf": 0}, "right": {"leaf": 1}}, InvalidInputError, "bad threshold"),
    (_shared(), InvalidInputError, "shared subtree"),
]


@pytest.mark.parametrize("tree, exc, what", INVALID, ids=[r[-1] for r in INVALID])
def test_invalid(tree, exc, what):
    with pytest.raises(exc):
        decision_tree(tree, SQ)


def test_invalid_domain_and_policy():
    t = {"feature": 0, "threshold": 0.5, "left": {"leaf": 0}, "right": {"leaf": 1}}
    with pytest.raises(DegenerateError):
        decision_tree(t, [(0, 0), (0, 1)], policy="exact")
    P = decision_tree(t, [(0, 1), (0, 1)], policy="exact")
    assert P.provenance["policy"] == "exact" and [c.volume() for c in P.cells] == [F(1, 2), F(1, 2)]


# ---------------------------------------------------------------- H-first trees (no vertices)
@settings(max_examples=40, deadline=None)
@given(st.integers(1, 3).flatmap(lambda n: st.tuples(trees(n, max_depth=3), boxes(n))))
def test_lp_engine_equals_vertex_engine(args):
    """Axis-aligned trees on a box: box cells equal to the vertex route's, the same shared
    faces (T-junctions too), a check that proves the tiling; oblique trees: the same leaf
    cells by exact LPs."""
    tree, box = args
    V = decision_tree(tree, box, engine="vertices")
    L = decision_tree(tree, box, engine="lp")
    assert [c.key for c in V.cells] == [c.key for c in L.cells]
    assert all(a.polytope == b.polytope for a, b in zip(V.cells, L.cells))
    if isinstance(L, BoxTreePartition):
        assert sorted((f.i, f.j, f.normal, f.offset) for f in L.adjacency()) == sorted(
            (f.i, f.j, f.normal, f.offset) for f in V.adjacency())
        faces = {(f.i, f.j): f.face for f in V.adjacency()}
        assert all(f.face == faces[f.i, f.j] for f in L.adjacency())
        rep = L.check(volumes=True)
        assert rep.ok and rep.tiling and rep.volume_sum == V.domain.volume(), rep.problems


def test_box_tree_check_finds_a_missing_leaf():
    t = {"feature": 0, "threshold": 0, "left": {"leaf": "a"}, "right": {"leaf": "b"}}
    P = decision_tree(t, [(-1, 1)] * 8, engine="lp")
    broken = BoxTreePartition(P.domain, [(c.key, c.polytope) for c in P.cells][:1], family="decision_tree", model=P.model)
    rep = broken.check()
    assert not rep.ok and not rep.tiling and any("volumes sum" in p for p in rep.problems)


def test_sklearn_tree_on_the_64_pixels_of_digits():
    """A depth-6 tree on digits (64 inputs): box cells without vertices, labels equal to
    sklearn's predictions at the cells' centres, shared faces and the tiling proof."""
    pytest.importorskip("sklearn")
    import numpy as np
    from sklearn.datasets import load_digits
    from sklearn.tree import DecisionTreeClassifier

    d = load_digits()
    m = DecisionTreeClassifier(max_depth=6, random_state=0).fit(d.data / 16, d.target)
    P = decision_tree(m, [(0, 1)] * 64, policy="limit_denominator(1000000)")
    assert isinstance(P, BoxTreePartition) and P.n_cells == m.get_n_leaves()
    rep = P.check()
    assert rep.ok and rep.tiling
    assert len(P.adjacency()) >= P.n_cells - 1  # the cell graph of a tiling of a box is connected
    centres = [[(a + b) / 2 for a, b in zip(*P._bounds[c.index])] for c in P.cells]
    pred = m.predict(np.array([[float(v) for v in x] for x in centres]))
    assert [P.label(c) for c in P.cells] == list(pred)
