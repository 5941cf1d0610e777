"""Angle defects of box partitions in closed form (exactgeom.analysis.box_curvature):
the same defects as the generic route (flats from face lattices, pieces from an
arrangement in each flat) on random axis-aligned trees and grid arrangements."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import exactgeom.analysis.box_curvature as bc
from exactgeom import Polytope, arrangement
from exactgeom.analysis.curvature import angle_defects
from exactgeom.partitions.partition import Partition
from exactgeom.partitions.tree import BoxTreePartition, decision_tree
from exactgeom.strategies.partitions import boxes, trees

F = Fraction


def _generic(P, zero_test="tiling"):
    """The generic route (the box shortcut switched off)."""
    saved = bc.box_angle_defects
    bc.box_angle_defects = lambda *a, **k: None
    try:
        return angle_defects(P, zero_test=zero_test)
    finally:
        bc.box_angle_defects = saved


def _view(defects):
    return [(d.piece_vertices, [(a.cell, a.angle, a.facets, a.kind) for a in d.angles], d.zero_by_tiling)
            for d in defects]


@st.composite
def grid_trees(draw, n, depth=3):
    """Axis-aligned trees whose thresholds lie on a coarse grid inside [-1, 1]: splits
    repeat across branches, so cells cross, meet in T-junctions and in
    four-at-a-ridge configurations (the strategy of exactgeom.strategies rarely cuts twice
    inside the domain)."""
    counter = [0]

    def build(d):
        if d == 0 or draw(st.integers(0, 4)) == 0:
            counter[0] += 1
            return {"leaf": counter[0]}
        return {"feature": draw(st.integers(0, n - 1)), "threshold": F(draw(st.integers(-1, 1)), 2),
                "left": build(d - 1), "right": build(d - 1)}

    return build(depth)


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 4).flatmap(lambda n: st.one_of(
    st.tuples(grid_trees(n), st.just([(-1, 1)] * n)),
    st.tuples(trees(n, max_depth=3, oblique=False), boxes(n)))))
def test_box_route_equals_generic_route_on_trees(args):
    tree, box = args
    for engine in ("vertices", "lp"):
        P = decision_tree(tree, box, engine=engine)
        assert bc.is_box_partition(P)
        got = bc.box_angle_defects(P)
        assert got is not None
        assert _view(got) == _view(_generic(P))
        assert all(d.is_zero() and d.pi_multiple() == 0 for d in got)


@settings(max_examples=25, deadline=None)
@given(
    st.integers(2, 4).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.lists(st.tuples(st.integers(0, n - 1), st.integers(-2, 2)), max_size=4),
        )
    )
)
def test_box_route_equals_generic_route_on_grids(args):
    """Axis-parallel arrangements (repeated and domain-boundary hyperplanes included):
    crossings where four cells meet at right angles, no T-junctions."""
    n, planes = args
    normals = [tuple(int(j == f) for j in range(n)) for f, _ in planes]
    P = arrangement(normals, [F(t, 2) for _, t in planes], [(-1, 1)] * n)
    got = bc.box_angle_defects(P)
    assert got is not None
    assert _view(got) == _view(_generic(P))
    rot = angle_defects(P, zero_test="rotation")
    assert _view(rot) == _view(_generic(P, "rotation"))
    assert all(not d.zero_by_tiling and d.is_zero() for d in rot)  # the rotation product decides


def test_t_junction_in_r3_and_r4():
    """x_0 <= 0 | (x_0 >= 0 split at x_1 = 0): one piece on the flat x_0 = 0, x_1 = 0 with
    the left cell holding it inside its facet (angle pi) and two right angles."""
    t = {"feature": 0, "threshold": 0, "left": {"leaf": "L"},
         "right": {"feature": 1, "threshold": 0, "left": {"leaf": "B"}, "right": {"leaf": "T"}}}
    for n in (3, 4):
        P = decision_tree(t, [(-1, 1)] * n, engine="lp")
        assert isinstance(P, BoxTreePartition)
        (d,) = angle_defects(P)
        assert [a.kind for a in d.angles] == ["facet", "ridge", "ridge"]
        assert [a.angle.exact_pi_multiple() for a in d.angles] == [1, F(1, 2), F(1, 2)]
        assert len(d.piece_vertices) == 2 ** (n - 2) and all(v[0] == 0 and v[1] == 0 for v in d.piece_vertices)
        assert d.is_zero() and d.is_zero(witness="rotation")
        assert _view([d]) == _view(_generic(P))


def test_r10_three_leaf_tree():
    """The 3-leaf tree on [-1, 1]^10: one interior flat x_0 = 0, x_1 = 1/2 carrying one
    8-dimensional piece [0,0,1/2] x [-1,1]^8 (256 vertices), a T-junction of the left cell."""
    t = {"feature": 0, "threshold": 0, "left": {"leaf": "a"},
         "right": {"feature": 1, "threshold": "1/2", "left": {"leaf": "b"}, "right": {"leaf": "c"}}}
    P = decision_tree(t, [(-1, 1)] * 10)
    (d,) = angle_defects(P)
    assert d.cells == (0, 1, 2) and [a.kind for a in d.angles] == ["facet", "ridge", "ridge"]
    assert len(d.piece_vertices) == 256 and d.piece_vertices[0] == (0, F(1, 2)) + (-1,) * 8
    assert d.is_zero(witness="rotation")


def test_fallbacks():
    """Not boxes, or a tiling that the check does not prove: the generic route."""
    assert bc.box_angle_defects(arrangement([[1, 1]], [0], [(-1, 1), (-1, 1)])) is None
    D = Polytope.box([(-1, 1), (-1, 1)])
    holes = Partition(D, [("a", Polytope.box([(-1, 0), (-1, 0)])), ("b", Polytope.box([(0, 1), (-1, 0)])),
                          ("c", Polytope.box([(0, 1), (0, 1)]))], family="demo")
    assert bc.is_box_partition(holes) and not holes.check().tiling
    assert bc.box_angle_defects(holes) is None
    (d,) = angle_defects(holes)  # three right angles around the origin: defect pi/2
    assert d.pi_multiple() == F(1, 2)
    assert bc.box_angle_defects(decision_tree({"leaf": 0}, [(0, 1)])) is None  # R^1: no ridges


@pytest.mark.parametrize("n", [2, 3])
def test_single_cell_has_no_defect(n):
    assert bc.box_angle_defects(decision_tree({"leaf": 0}, [(0, 1)] * n)) == ()
