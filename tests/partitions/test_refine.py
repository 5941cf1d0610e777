"""Common refinement: keys, volumes per member cell, agreement with one big arrangement."""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction

import pytest
from _partitions_helpers import assert_adjacency_wellformed, assert_keys_match_model
from hypothesis import given
from hypothesis import strategies as st

from exactgeom import InvalidInputError, Partition, Polytope, arrangement
from exactgeom.partitions.argmax import argmax_linear
from exactgeom.partitions.refine import majority_vote, refine
from exactgeom.partitions.tree import decision_tree
from exactgeom.partitions.voronoi import voronoi
from exactgeom.strategies.partitions import argmax_models, arrangements, boxes, site_sets, trees

F = Fraction
SQ = [(-1, 1), (-1, 1)]


def _check_member_volumes(R: Partition, members) -> None:
    for m, P in enumerate(members):
        acc = defaultdict(Fraction)
        for c in R.cells:
            acc[c.key[m]] += c.volume()
        assert dict(acc) == {c.key: c.volume() for c in P.cells}


def test_hand_computed():
    a = arrangement([[1, 0]], [0], SQ)
    b = arrangement([[0, 1]], [0], SQ)
    R = refine(a, b)
    assert [c.key for c in R.cells] == [((-1,), (-1,)), ((-1,), (1,)), ((1,), (-1,)), ((1,), (1,))]
    assert R.volumes() == (1, 1, 1, 1) and R.family == "refinement"
    assert R.label(0) == ((-1,), (-1,))
    # one member: keys are 1-tuples
    assert [c.key for c in refine(a).cells] == [((-1,),), ((1,),)]
    # three members, one of them coarse
    R3 = refine(a, b, voronoi([[0, 0]], SQ))
    assert R3.n_cells == 4 and all(c.key[2] == 0 for c in R3.cells)


@given(
    st.integers(1, 3).flatmap(
        lambda n: st.tuples(arrangements(n, max_hyperplanes=3), arrangements(n, max_hyperplanes=3), boxes(n))
    )
)
def test_refinement_of_arrangements_is_the_joint_arrangement(args):
    (W1, c1), (W2, c2), box = args
    A, B = arrangement(W1, c1, box), arrangement(W2, c2, box)
    R = refine(A, B)
    J = arrangement(list(W1) + list(W2), list(c1) + list(c2), box)
    assert {c.key[0] + c.key[1]: c.polytope for c in R.cells} == {c.key: c.polytope for c in J.cells}
    assert R.n_cells == J.n_cells
    _check_member_volumes(R, [A, B])


@given(
    st.integers(1, 2).flatmap(
        lambda n: st.tuples(
            argmax_models(n, max_classes=4), site_sets(n, max_sites=4), trees(n, max_depth=2), boxes(n)
        )
    )
)
def test_hypothesis_mixed_refinement(args):
    (W, c), S, tree, box = args
    members = [argmax_linear(W, c, box), voronoi(S, box), decision_tree(tree, box)]
    R = refine(*members, label="majority")
    rep = R.check()
    assert rep.ok, rep.problems
    _check_member_volumes(R, members)
    assert_keys_match_model(R, k=2)
    assert_adjacency_wellformed(R)
    for f in R.adjacency():
        ki, kj = R.cells[f.i].key, R.cells[f.j].key
        differ = [m for m in range(3) if ki[m] != kj[m]]
        assert differ
        for m in differ:  # the face lies in both member cells: on that member's boundary
            Pi, Pj = members[m].cell(ki[m]).polytope, members[m].cell(kj[m]).polytope
            assert all(Pi.contains(v) and Pj.contains(v) for v in f.face.vertices)
    for cell in R.cells:
        labels = tuple(P.label(P.cell(k)) for P, k in zip(members, cell.key))
        assert R.label(cell) == majority_vote(labels)


def test_labels_and_outputs():
    a = argmax_linear([[1, 0], [-1, 0]], [0, 0], SQ, labels=["L", "R"])
    b = argmax_linear([[0, 1], [0, -1]], [0, 0], SQ, labels=["L", "R"])
    c = argmax_linear([[1, 1], [-1, -1]], [0, 0], SQ, labels=["L", "R"])
    R = refine(a, b, c, label="majority")
    x = (F(1, 2), F(1, 3))  # scores pick classes 0, 0, 0 → "L"
    assert R.label(R.locate(x)[0]) == "L"
    J, off = R.output_affine(R.locate(x)[0])
    assert len(J) == 6 and len(off) == 6
    R2 = refine(a, b, label=lambda labels: "".join(labels))
    assert sorted(R2.label(cl) for cl in R2.cells) == ["LL", "LR", "RL", "RR"]
    assert refine(a, arrangement([[1, 0]], [0], SQ)).output_affine(0) is None
    assert majority_vote(["a", "b"]) == "a" and majority_vote([1, 2, 2]) == 2


def test_invalid():
    a = arrangement([[1, 0]], [0], SQ)
    with pytest.raises(InvalidInputError):
        refine()
    with pytest.raises(InvalidInputError):
        refine(a, arrangement([[1, 0]], [0], [(-1, 1), (-1, 2)]))
    with pytest.raises(InvalidInputError):
        refine(a, arrangement([[1]], [0], [(-1, 1)]))
    with pytest.raises(InvalidInputError):
        refine(a, "not a partition")
    with pytest.raises(InvalidInputError):
        refine(a, a, label="mode")


def test_polytope_domain():
    T = Polytope.from_vrep([[0, 0], [3, 0], [0, 3]])
    R = refine(arrangement([[1, 0]], [1], T), arrangement([[0, 1]], [1], T))
    assert R.n_cells == 4 and R.check().ok
