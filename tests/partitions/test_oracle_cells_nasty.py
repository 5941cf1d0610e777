"""Hand-picked degenerate cases of every family against the brute-force oracle of
``tests/_exact_oracle.py`` (the random cases are in ``test_oracle_cells.py``, whose
``compare`` is reused): three lines through a point, hyperplanes along box facets and
through corners, coincident and zero hyperplanes, cospherical and duplicate Voronoi sites,
argmax ties on whole lines, dead and duplicated ReLU units, second-layer units that copy or
cancel first-layer units, 1-D and 4-D; and refinements whose members share facets.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import pytest
from _exact_oracle import (
    argmax_cells,
    argmax_key,
    arrangement_cells,
    arrangement_key,
    box_rows,
    relu_cells,
    relu_key,
    tree_cells,
    voronoi_key,
    voronoi_scores,
)
from _exact_oracle import volume as o_volume
from test_oracle_cells import ENGINES, compare

from exactgeom.partitions import argmax_linear, arrangement, decision_tree, refine, relu_network, voronoi
from exactgeom.polytope.polytope import Polytope

F = Fraction


NASTY_ARRANGEMENTS = [
    # three lines through one point, plus one through a corner
    ([[1, 0], [0, 1], [1, 1], [1, -1]], [0, 0, 0, 2], [(-1, 1), (-1, 1)]),
    # hyperplanes along the domain's facets (thresholds at the box boundary)
    ([[1, 0], [1, 0], [0, 1]], [-1, 1, 1], [(-1, 1), (-1, 1)]),
    # coincident with opposite orientation, and a zero row 0·x = 0 and 0·x = 1
    ([[1, 2], [-1, -2], [0, 0], [0, 0]], [1, -1, 0, 1], [(0, 1), (0, 1)]),
    # 1-D: points at the ends, repeated, and inside
    ([[1], [2], [-1], [1]], [0, 1, F(-1, 2), 1], [(0, 1)]),
    # 3-D: four planes through the origin, one corner plane
    ([[1, 1, 1], [1, -1, 0], [0, 1, -1], [1, 0, -1], [1, 1, 1]], [0, 0, 0, 0, 3], [(-1, 1)] * 3),
    # 4-D: coordinate hyperplanes through a vertex of the box and a diagonal one through it
    ([[1, 0, 0, 0], [0, 1, 0, 0], [1, 1, 1, 1]], [0, 0, 0], [(0, 1)] * 4),
    ([[1, 1, 0, 0], [0, 0, 1, 1], [1, -1, 1, -1]], [1, 1, 0], [(0, 1)] * 4),
]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("W, c, dom", NASTY_ARRANGEMENTS)
def test_nasty_arrangements(engine, W, c, dom):
    dA, db = box_rows(dom)
    P = arrangement(W, c, dom, engine=engine)
    compare(P, arrangement_cells(W, c, dA, db), dA, db, key_fn=lambda x: arrangement_key(W, c, x))
    assert P.check(volumes=True).ok


def test_arrangement_on_a_simplex_domain():
    # domain: the triangle x, y >= 0, x + y <= 2; lines through its vertices and along an edge
    dA = [(-1, 0), (0, -1), (1, 1)]
    db = [F(0), F(0), F(2)]
    D = Polytope.from_hrep(dA, db)
    W, c = [[1, -1], [1, 1], [1, 0], [0, 1]], [0, 2, 1, 0]
    for engine in ENGINES:
        P = arrangement(W, c, D, engine=engine)
        compare(P, arrangement_cells(W, c, dA, db), dA, db, key_fn=lambda x: arrangement_key(W, c, x))


NASTY_VORONOI = [
    # cospherical: four sites on a circle around the centre of the square (a degree-4 vertex)
    ([[1, 0], [0, 1], [-1, 0], [0, -1]], [(-1, 1), (-1, 1)]),
    # collinear sites, one duplicate, one outside the domain
    ([[0, 0], [1, 1], [2, 2], [1, 1], [-3, -3]], [(0, 2), (0, 2)]),
    # 3-D: the 8 corners of a cube around the domain centre (cospherical, degree-8 vertex)
    ([[a, b, c] for a in (0, 2) for b in (0, 2) for c in (0, 2)], [(0, 2)] * 3),
    # 1-D
    ([[0], [1], [1], [F(5, 2)]], [(0, 2)]),
    # 4-D: the 2·4 points ±e_i (cospherical)
    ([[int(i == j) * s for j in range(4)] for i in range(4) for s in (1, -1)], [(-1, 1)] * 4),
]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("sites, dom", NASTY_VORONOI)
def test_nasty_voronoi(engine, sites, dom):
    dA, db = box_rows(dom)
    P = voronoi(sites, dom, engine=engine)
    W, c = voronoi_scores(sites)
    compare(P, argmax_cells(W, c, dA, db), dA, db, key_fn=lambda x: voronoi_key(sites, x))
    assert P.check(volumes=True).ok


NASTY_ARGMAX = [
    # three scores tied on the whole line y = 0 (classes 1 and 2 equal up to the index)
    ([[0, 1], [0, -1], [0, -1], [1, 0]], [0, 0, 0, -5], [(-1, 1), (-1, 1)]),
    # all classes equal: class 0 everywhere
    ([[1, 1], [1, 1], [1, 1]], [1, 1, 1], [(0, 1), (0, 1)]),
    # same direction, smaller intercept: dominated; a class winning only at a corner
    ([[1, 0], [1, 0], [0, 0], [-1, -1]], [0, -1, 1, F(-1, 1)], [(0, 1), (0, 1)]),
    # 1-D and 4-D
    ([[1], [-1], [0], [0]], [0, 0, 0, 0], [(-1, 1)]),
    ([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1], [0, 0, 0, 0]], [0, 0, 0, 0, 0], [(-1, 1)] * 4),
]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("W, c, dom", NASTY_ARGMAX)
def test_nasty_argmax(engine, W, c, dom):
    dA, db = box_rows(dom)
    P = argmax_linear(W, c, dom, engine=engine)
    compare(P, argmax_cells(W, c, dA, db), dA, db, key_fn=lambda x: argmax_key(W, c, x))
    assert P.check(volumes=True).ok


NASTY_RELU = [
    # two first-layer units with the same hyperplane, one negated; second layer = their sum
    ([[[1, 1], [-1, -1], [1, 1]], [[1, 1, -1], [1, 0, 0]], [[1, 1]]], [[0, 0, 0], [0, 0], [0]], [(-1, 1), (-1, 1)]),
    # a dead unit, a zero row with zero bias (inactive), a unit through a corner
    ([[[0, 0], [1, 1], [1, -1]], [[1, 1, 1]]], [[0, -2, 0], [0]], [(-1, 1), (-1, 1)]),
    # second layer unit identical to first-layer unit 0 after ReLU, and one cancelling (h0 - h0)
    ([[[1, 0], [1, 0]], [[1, 0], [1, -1]], [[1, 1]]], [[0, 0], [0, 0], [0]], [(-1, 1), (-1, 1)]),
    # thresholds at the box boundary
    ([[[1, 0], [0, 1]], [[1, 1]], [[1]]], [[1, 0], [-1], [0]], [(-1, 1), (0, 1)]),
    # 1-D: kinks at an end, in the middle, and a second layer turning on at 1/2
    ([[[1], [-1], [1]], [[1, 1, 0], [2, 0, 0]], [[1, 1]]], [[0, 0, -1], [F(-1, 2), -1], [0]], [(-1, 1)]),
    # 3-D: three planes through the origin and a second layer through the same point
    ([[[1, 0, 0], [0, 1, 0], [0, 0, 1]], [[1, -1, 0], [1, 1, 1]], [[1, 1]]], [[0, 0, 0], [0, 0], [0]], [(-1, 1)] * 3),
    # 4-D: units through a vertex of the box
    ([[[1, 1, 0, 0], [0, 0, 1, 1]], [[1, -1]], [[1]]], [[0, -1], [0], [0]], [(0, 1)] * 4),
]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("Ws, bs, dom", NASTY_RELU)
def test_nasty_relu(engine, Ws, bs, dom):
    dA, db = box_rows(dom)
    P = relu_network(Ws, bs, dom, engine=engine)
    compare(P, relu_cells(Ws, bs, dA, db), dA, db, key_fn=lambda x: relu_key(Ws, bs, x))
    assert P.check(volumes=True).ok


def test_oracle_self_check():
    """The oracle's own volume and face volume on closed forms (so it can fail)."""
    from _exact_oracle import face_volume_sq, vertices

    # the simplex x, y, z >= 0, x + y + z <= 1: volume 1/6, slanted face area sqrt(3)/2
    A = [(-1, 0, 0), (0, -1, 0), (0, 0, -1), (1, 1, 1)]
    b = [0, 0, 0, 1]
    assert o_volume(A, b) == F(1, 6)
    V = vertices(A, b, eq=[((1, 1, 1), 1)])
    assert face_volume_sq(V, A, b, (1, 1, 1)) == F(3, 4)
    # a regular octagon-ish polygon: the square [-2, 2]^2 cut by |x| + |y| <= 3
    A2 = [(1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (1, -1), (-1, 1), (-1, -1)]
    assert o_volume(A2, [2, 2, 2, 2, 3, 3, 3, 3]) == 16 - 4 * F(1, 2)
    assert math.isclose(float(o_volume(box_rows([(0, 1)] * 4)[0], box_rows([(0, 1)] * 4)[1])), 1.0)


# ---------------------------------------------------------------------------- refinements
def refine_cells(*members):
    """Oracle refinement: every tuple of member cells whose intersection is full-dimensional."""
    from _exact_oracle import OCell, affine_dim, facet_rows, vertices

    n = len(members[0][0].V[0])
    out = []
    for combo in itertools.product(*members):
        A = [a for c in combo for a in c.A]
        b = [bb for c in combo for bb in c.b]
        V = vertices(A, b)
        if affine_dim(V) == n:
            out.append(OCell(tuple(c.key for c in combo), *facet_rows(A, b, V), V))
    return out


REFINE_TREE = {"feature": 0, "threshold": 0, "left": {"leaf": "l"},
               "right": {"feature": 1, "threshold": F(1, 2), "left": {"leaf": "rl"}, "right": {"leaf": "rr"}}}


@pytest.mark.parametrize("dom", [[(-1, 1), (-1, 1)], [(0, 1), (-1, 1)]])
def test_refinement_with_coincident_boundaries_matches_oracle(dom):
    """A tree, an arrangement sharing its split x = 0 (and x = 1/2 on the other axis), and a
    Voronoi diagram whose bisector is x = 0 too: coincident facets of different members."""
    dA, db = box_rows(dom)
    W, c = [[1, 0], [0, 2], [1, 1]], [0, 1, 0]
    sites = [[-1, 0], [1, 0], [1, 0]]
    members = [
        (decision_tree(REFINE_TREE, dom), tree_cells(REFINE_TREE, dA, db)),
        (arrangement(W, c, dom), arrangement_cells(W, c, dA, db)),
        (voronoi(sites, dom), argmax_cells(*voronoi_scores(sites), dA, db)),
    ]
    P = refine(*(m for m, _ in members))
    oc = refine_cells(*(o for _, o in members))
    compare(P, oc, dA, db)
    assert P.check(volumes=True).ok
