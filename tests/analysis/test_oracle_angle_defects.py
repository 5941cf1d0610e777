"""Angle defects in R^3 and R^4 against independent computations.

* R^3, any partition (``ridge_pieces_3d`` in ``tests/_exact_oracle.py``): the lines through
  the brute-force cells' ridges (cross products of facet normals), each cell's segment
  on a line by clipping the parameter with every row, cuts at the segment ends, maximal
  runs of one configuration as pieces, and per member the closed-form cosine of its two
  facet rows holding the line (or π at a T-junction). Compared exactly with
  ``angle_defects`` (piece vertices, cells, kinds, cos² and the sign of cos), and every
  defect is zero by both witnesses (tiling and the exact rotation product): oblique
  arrangements, 3-D Voronoi, trees with T-junctions (the box closed form), random ReLU
  nets.
* R^4 box grids (closed form): the pieces are the squares ``{x_a = u, x_b = v} ×`` grid
  rectangle for interior breakpoints u, v of two axes a < b; each has the four grid
  cells around it, every angle π/2. Two oblique hyperplanes in R^4 meet in one 2-flat
  whose piece is the flat's intersection with the domain (vertices by brute force), with
  the angle between the normals and its supplement twice each.
* R^4 ReLU nets (the generic route) against a brute-force any-n oracle
  (``ridge_pieces``): flats of the cells' ridges, members by vertex enumeration inside
  the flat, regions of the members' other rows by depth-first sign vectors, pieces as
  the intersection of a configuration's members (checked against the 3-D sweep too).
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import pytest
from _exact_oracle import (
    T_JUNCTION_TREE,
    argmax_cells,
    arrangement_cells,
    box_rows,
    dot,
    relu_cells,
    ridge_pieces,
    ridge_pieces_3d,
    tree_cells,
    vertices,
    voronoi_scores,
)
from _oracle_cases import in_order
from hypothesis import given, settings
from hypothesis import strategies as st

from exactgeom.analysis.curvature import angle_defects
from exactgeom.partitions import arrangement, decision_tree, relu_network, voronoi

F = Fraction
CUBE = [(-1, 1)] * 3
OBL = ([[1, 0, 0], [0, 1, 0], [1, 1, 1], [2, -1, 1]], [0, 0, F(1, 2), 0])
VOR3 = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [-1, -1, F(1, 2)], [F(1, 3), F(1, 2), -1]]
STAGGER = {  # T-junctions on the line x = y = 0 at different heights on the two sides
    "feature": 0, "threshold": 0,
    "left": {"feature": 1, "threshold": 0, "left": {"leaf": "a"},
             "right": {"feature": 2, "threshold": F(1, 3), "left": {"leaf": "b"}, "right": {"leaf": "c"}}},
    "right": {"feature": 1, "threshold": 0,
              "left": {"feature": 2, "threshold": F(-1, 2), "left": {"leaf": "d"}, "right": {"leaf": "e"}},
              "right": {"leaf": "f"}},
}
TREE3 = {**T_JUNCTION_TREE, "left": {"feature": 2, "threshold": F(1, 4), "left": T_JUNCTION_TREE["left"],
                                      "right": {"leaf": "z"}}}
CASES = {
    "oblique": (lambda: arrangement(*OBL, CUBE), lambda: arrangement_cells(*OBL, *box_rows(CUBE))),
    "voronoi": (lambda: voronoi(VOR3, CUBE), lambda: argmax_cells(*voronoi_scores(VOR3), *box_rows(CUBE))),
    "stagger": (lambda: decision_tree(STAGGER, CUBE), lambda: tree_cells(STAGGER, *box_rows(CUBE))),
    "tree": (lambda: decision_tree(TREE3, CUBE), lambda: tree_cells(TREE3, *box_rows(CUBE))),
}


def sign(x):
    return (x > 0) - (x < 0)


def view(defects):
    return {
        d.piece_vertices: [(a.cell, a.kind, a.angle.squared_cos(), sign(a.angle.cos)) for a in d.angles]
        for d in defects
    }


def check_against_oracle(P, cells, dom):
    defects = angle_defects(P)
    assert len({d.piece_vertices for d in defects}) == len(defects)
    assert view(defects) == ridge_pieces_3d(cells, *box_rows(dom))
    for d in defects:
        assert d.is_zero() and d.is_zero(witness="rotation")
        assert d.pi_multiple() == 0


@pytest.mark.parametrize("name", sorted(CASES))
def test_3d_defects_match_oracle(name):
    make_p, make_o = CASES[name]
    P = make_p()
    assert angle_defects(P)  # each case has interior ridges
    check_against_oracle(P, in_order(P, make_o()), CUBE)


small = st.sampled_from([-2, -1, -1, 0, 1, 1, 2])


@settings(max_examples=12)
@given(st.sampled_from([[2], [3], [2, 2]]), st.data())
def test_3d_relu_defects_match_oracle(layers, data):
    sizes = [3, *layers, 1]
    Ws = [[data.draw(st.lists(small, min_size=a, max_size=a)) for _ in range(b)] for a, b in itertools.pairwise(sizes)]
    bs = [[data.draw(st.sampled_from([F(-1, 2), F(0), F(1, 3)])) for _ in range(b)] for b in sizes[1:]]
    P = relu_network(Ws, bs, CUBE)
    check_against_oracle(P, in_order(P, relu_cells(Ws, bs, *box_rows(CUBE))), CUBE)


def test_oracle_by_hand():
    """Two crossing planes x = 0, y = 0 in the cube: one piece, the z axis's segment,
    four right angles. A tree splitting x = 0, then y = 0 on the right only: the same
    segment, with the left cell holding it inside its facet x = 0 (a T-junction, π) and
    two right angles."""
    cells = arrangement_cells([[1, 0, 0], [0, 1, 0]], [0, 0], *box_rows(CUBE))
    got = ridge_pieces_3d(cells, *box_rows(CUBE))
    assert list(got) == [((0, 0, -1), (0, 0, 1))]
    assert sorted(k for _, k, c2, _ in got[((0, 0, -1), (0, 0, 1))] if c2 == 0) == ["ridge"] * 4
    tree = {"feature": 0, "threshold": 0, "left": {"leaf": 0},
            "right": {"feature": 1, "threshold": 0, "left": {"leaf": 1}, "right": {"leaf": 2}}}
    cells = tree_cells(tree, *box_rows(CUBE))
    ((piece, angles),) = ridge_pieces_3d(cells, *box_rows(CUBE)).items()
    assert piece == ((0, 0, -1), (0, 0, 1))
    assert sorted((k, c2, s) for _, k, c2, s in angles) == [("facet", 1, -1), ("ridge", 0, 0), ("ridge", 0, 0)]


# ---------------------------------------------------------------------- R^4
@st.composite
def grid4(draw):
    breaks = []
    for _ in range(4):
        inner = draw(st.lists(st.sampled_from([F(-1, 2), F(0), F(1, 3), F(3, 4)]), max_size=2, unique=True))
        breaks.append([F(-1), *sorted(inner), F(1)])
    return breaks


def grid_pieces(breaks):
    """Closed form: squares ``{x_a = u, x_b = v} × [s, s'] × [t, t']`` for interior breaks
    u, v and consecutive breaks of the two other axes."""
    out = set()
    for a, b in itertools.combinations(range(4), 2):
        c, d = [k for k in range(4) if k not in (a, b)]
        for u in breaks[a][1:-1]:
            for v in breaks[b][1:-1]:
                for s0, s1 in itertools.pairwise(breaks[c]):
                    for t0, t1 in itertools.pairwise(breaks[d]):
                        pts = []
                        for s, t in itertools.product((s0, s1), (t0, t1)):
                            x = [F(0)] * 4
                            x[a], x[b], x[c], x[d] = u, v, s, t
                            pts.append(tuple(x))
                        out.add(tuple(sorted(pts)))
    return out


@settings(max_examples=8)
@given(grid4())
def test_4d_box_grid_pieces_have_the_closed_form(breaks):
    W, c = [], []
    for k in range(4):
        for u in breaks[k][1:-1]:
            W.append([int(j == k) for j in range(4)])
            c.append(u)
    if not W:
        return
    P = arrangement(W, c, [(-1, 1)] * 4)
    defects = angle_defects(P)
    assert {d.piece_vertices for d in defects} == grid_pieces(breaks)
    for d in defects:
        assert len(d.angles) == 4 and all(a.kind == "ridge" and a.angle.cos == 0 for a in d.angles)
        centre = [sum(v[k] for v in d.piece_vertices) / 4 for k in range(4)]
        holders = [k for k, cell in enumerate(P.cells) if cell.polytope.contains(centre)]
        assert [a.cell for a in d.angles] == holders
        assert d.is_zero(witness="rotation")


@pytest.mark.parametrize("normals", [([1, 1, 0, 0], [0, 0, 1, -1]), ([1, 1, 0, 0], [1, 0, 1, 0]),
                                     ([2, -1, 1, 0], [0, 1, 1, 3])])
def test_4d_two_oblique_hyperplanes(normals):
    a, b = normals
    dom = [(-1, 1)] * 4
    P = arrangement([a, b], [0, F(1, 5)], dom)
    (d,) = angle_defects(P)
    dA, db = box_rows(dom)
    assert d.piece_vertices == tuple(vertices(dA, db, eq=[(a, 0), (b, F(1, 5))]))
    ab = dot(a, b)
    c2 = F(ab * ab, dot(a, a) * dot(b, b))
    got = sorted((x.angle.squared_cos(), sign(x.angle.cos)) for x in d.angles)
    s = sign(ab)
    assert got == sorted([(c2, -s), (c2, -s), (c2, s), (c2, s)])
    assert len(d.angles) == 4 and d.is_zero(witness="rotation")


def test_generic_oracle_agrees_with_the_3d_sweep():
    """The brute-force any-n oracle (sign vectors in each flat) and the 3-D sweep agree."""
    for make_p, make_o in CASES.values():
        P = make_p()
        cells = in_order(P, make_o())
        assert ridge_pieces(cells, *box_rows(CUBE)) == ridge_pieces_3d(cells, *box_rows(CUBE))


@settings(max_examples=8)
@given(st.sampled_from([[2], [3], [2, 1]]), st.data())
def test_4d_relu_defects_match_the_brute_force_oracle(layers, data):
    """Random small ReLU nets in R^4 (the generic route: bent hyperplanes, oblique 2-flats)."""
    dom = [(-1, 1)] * 4
    sizes = [4, *layers, 1]
    Ws = [[data.draw(st.lists(small, min_size=a, max_size=a)) for _ in range(b)] for a, b in itertools.pairwise(sizes)]
    bs = [[data.draw(st.sampled_from([F(-1, 2), F(0), F(1, 3)])) for _ in range(b)] for b in sizes[1:]]
    P = relu_network(Ws, bs, dom)
    cells = in_order(P, relu_cells(Ws, bs, *box_rows(dom)))
    defects = angle_defects(P)
    assert view(defects) == ridge_pieces(cells, *box_rows(dom))
    assert all(d.is_zero(witness="rotation") for d in defects)
