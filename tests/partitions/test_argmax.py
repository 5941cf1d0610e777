"""Argmax-linear classifiers: class regions, tie rule, faces on score bisectors."""

from __future__ import annotations

from fractions import Fraction

import pytest
from _partitions_helpers import assert_adjacency_wellformed, assert_keys_match_model
from hypothesis import given
from hypothesis import strategies as st

from exactgeom import DegenerateError, InexactInputError, InvalidInputError, Polytope
from exactgeom.partitions.argmax import ArgmaxModel, argmax_linear
from exactgeom.strategies.partitions import argmax_models, boxes

F = Fraction
SQ = [(-1, 1), (-1, 1)]


def _score(W, c, j, x):
    return sum(a * xi for a, xi in zip(W[j], x)) + c[j]


def test_three_classes_hand_computed():
    P = argmax_linear([[1, 0], [-1, 0], [0, 1]], [0, 0, 0], SQ)
    assert [(c.key, c.volume()) for c in P.cells] == [(0, F(3, 2)), (1, F(3, 2)), (2, F(1))]
    assert [P.label(c) for c in P.cells] == [0, 1, 2]
    assert P.output_affine(0) == (((1, 0), (-1, 0), (0, 1)), (0, 0, 0))
    assert len(P.adjacency()) == 3


def test_ties_and_repeats():
    # class 1 repeats class 0 exactly: lowest index wins, class 1 gets no cell
    P = argmax_linear([[1, 0], [1, 0], [-1, 0]], [0, 0, 0], SQ)
    assert [c.key for c in P.cells] == [0, 2]
    assert P.key_at([F(1, 2), 0]) == 0
    # on the boundary x = 0 all three tie: the lowest index is the key
    assert P.key_at([0, 0]) == 0
    # same weights, larger intercept: class 1 dominates class 0 everywhere
    P = argmax_linear([[1, 0], [1, 0]], [0, 1], SQ)
    assert [c.key for c in P.cells] == [1]
    # a class that wins only on a line gets no cell
    P = argmax_linear([[1, 0], [0, 0], [-1, 0]], [0, 0, 0], SQ)
    assert [c.key for c in P.cells] == [0, 2]
    # a single class
    assert argmax_linear([[3, 4]], [1], SQ).n_cells == 1


def test_labels_and_polytope_domain():
    T = Polytope.from_vrep([[0, 0], [2, 0], [0, 2]])
    P = argmax_linear([[1, 0], [0, 1]], [0, 0], T, labels=["x", "y"])
    assert [(c.key, P.label(c), c.volume()) for c in P.cells] == [(0, "x", 1), (1, "y", 1)]
    assert P.provenance["family"] == "argmax_linear" and P.family == "argmax_linear"


@given(st.integers(1, 3).flatmap(lambda n: st.tuples(argmax_models(n, max_classes=5 if n < 3 else 4), boxes(n))))
def test_hypothesis_argmax(args):
    (W, c), box = args
    P = argmax_linear(W, c, box)
    rep = P.check()
    assert rep.ok, rep.problems
    assert P.n_cells >= 1
    assert_keys_match_model(P, k=2)
    assert_adjacency_wellformed(P)
    model = P.model
    assert isinstance(model, ArgmaxModel)
    for cell in P.cells:
        # the cell's class has the strictly largest score at interior points, beating lower
        # indices strictly (tie rule) and higher indices weakly
        x = cell.centroid()
        j = cell.key
        for k in range(len(W)):
            if k < j:
                assert _score(W, c, j, x) > _score(W, c, k, x)
            else:
                assert _score(W, c, j, x) >= _score(W, c, k, x)
    for f in P.adjacency():
        j, k = P.cells[f.i].key, P.cells[f.j].key
        # the shared face lies on the bisector (w_j − w_k)·x + c_j − c_k = 0
        for v in f.face.vertices:
            assert _score(W, c, j, v) == _score(W, c, k, v)
        # and its normal is parallel to w_k − w_j, pointing from class j to class k
        d = [b - a for a, b in zip(W[j], W[k])]
        ratio = {F(a) / b for a, b in zip(d, f.normal) if b} | {F(0) for a, b in zip(d, f.normal) if not b and a}
        assert len(ratio) == 1 and ratio.pop() > 0


INVALID = [
    (([], [], SQ), InvalidInputError, "no classes"),
    (([[1, 0, 0]], [0], SQ), InvalidInputError, "wrong width"),
    (([[1, 0], [0, 1]], [0], SQ), InvalidInputError, "intercept count"),
    (([[1, 0], [0]], [0, 0], SQ), InvalidInputError, "ragged"),
    (([[1, 0]], [0.5], SQ), InexactInputError, "float without policy"),
    (([[1, 0]], [0], [(0, 0), (0, 1)]), DegenerateError, "flat domain"),
    (([[1, 0]], [0], [(2, 1), (0, 1)]), InvalidInputError, "empty domain"),
]


@pytest.mark.parametrize("args, exc, what", INVALID, ids=[r[-1] for r in INVALID])
def test_invalid(args, exc, what):
    with pytest.raises(exc):
        argmax_linear(*args)


def test_invalid_labels_and_nan():
    with pytest.raises(InvalidInputError):
        argmax_linear([[1, 0], [0, 1]], [0, 0], SQ, labels=["a"])
    with pytest.raises(InvalidInputError):
        argmax_linear([[float("nan"), 0]], [0], SQ, policy="exact")
