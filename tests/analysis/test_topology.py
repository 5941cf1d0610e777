"""Exact topology of decision regions and boundaries (exactgeom.analysis.topology), on
shapes whose topology is known by construction and against an independent Euler
characteristic computation."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from exactgeom import Partition, arrangement
from exactgeom.analysis import DecisionTopology, decision_topology
from exactgeom.partitions.relu import relu_network
from exactgeom.strategies.complex import arrangement_partitions
from exactgeom.strategies.relu import relu_networks

F = Fraction


class Labelled:
    """A stub exact model: the arrangement's key, a label chosen per key."""

    def __init__(self, base, labels):
        self.base, self.labels = base, labels

    def key(self, x):
        return self.base.key(x)

    def label(self, key):
        return self.labels[key]

    def output_affine(self, key):
        return None


def relabel(P, label_of):
    labels = {c.key: label_of(c) for c in P.cells}
    return Partition(P.domain, [(c.key, c.polytope) for c in P.cells], family="labelled", model=Labelled(P.model, labels))


def grid3(k=3):
    cuts = [F(-1), F(1)] if k == 3 else [F(0)]
    W = [[int(i == a) for i in range(3)] for a in range(3) for _ in cuts]
    c = [x for _ in range(3) for x in cuts]
    return arrangement(W, c, [(-3, 3)] * 3)


def _index(c):  # grid index of a cell of grid3(): -1, 0, 1 per axis
    return tuple((x > 1) - (x < -1) for x in c.centroid())


# ---------------------------------------------------------------- shapes known by construction
def test_relu_annulus_scalar_and_argmax():
    # s = |x| + |y|; f = s − 1 − ReLU(2s − 3) > 0 exactly on the annulus 1 < s < 2
    W = [[[1, 0], [-1, 0], [0, 1], [0, -1]], [[1, 1, 1, 1], [2, 2, 2, 2]], [[1, -1]]]
    b = [[0, 0, 0, 0], [0, -3], [-1]]
    T = decision_topology(relu_network(W, b, [(-3, 3), (-3, 3)]))
    assert isinstance(T, DecisionTopology)
    assert dict(T) == {1: (1, 1), 0: (2, 1), "boundary": (2, 2)}
    assert len(T.pieces[1]) == 8 and all(p.polytope.dim == 2 for p in T.pieces[1])
    assert all(p.polytope.dim == 1 for p in T.pieces["boundary"])
    # two outputs (f, 0): the argmax is class 0 on the annulus
    W2 = [W[0], W[1], [[1, -1], [0, 0]]]
    b2 = [b[0], b[1], [-1, 0]]
    T2 = decision_topology(relu_network(W2, b2, [(-3, 3), (-3, 3)]))
    assert dict(T2) == {0: (1, 1), 1: (2, 1), "boundary": (2, 2)}


def test_two_disjoint_regions():
    P = arrangement([[1, 0], [1, 0]], [-1, 1], [(-2, 2), (-1, 1)])
    Q = relabel(P, lambda c: "mid" if c.key == (1, -1) else "out")
    T = decision_topology(Q)
    assert dict(T) == {"out": (2, 0), "mid": (1, 0), "boundary": (2, 0)}
    # the same from a ReLU net: f = |x| − 1
    T2 = decision_topology(relu_network([[[1, 0], [-1, 0]], [[1, 1]]], [[0, 0], [-1]], [(-2, 2), (-1, 1)]))
    assert dict(T2) == {1: (2, 0), 0: (1, 0), "boundary": (2, 0)}


def test_region_with_a_cavity_in_3d():
    T = decision_topology(relabel(grid3(), lambda c: int(_index(c) != (0, 0, 0))))
    assert T[1] == (1, 0, 1)  # a box with a cubical hole: one enclosed void
    assert T[0] == (1, 0, 0)
    assert T["boundary"] == (1, 0, 1)  # the cube's surface, a 2-sphere


def test_solid_torus_in_3d():
    # touching the domain boundary: the ring is an annulus × interval, its complement is
    # contractible and their interface is an annulus
    def ring(c):
        return _index(c)[2] == 0 and _index(c)[:2] != (0, 0)

    T = decision_topology(relabel(grid3(), lambda c: "ring" if ring(c) else "rest"))
    assert dict(T) == {"rest": (1, 0, 0), "ring": (1, 1, 0), "boundary": (1, 1, 0)}
    # inside the domain: an unknotted solid torus, its complement in the box, a torus surface
    cuts = [F(-3), F(-1), F(1), F(3)]
    W = [[int(i == a) for i in range(3)] for a in range(3) for _ in cuts]
    P = arrangement(W, [x for _ in range(3) for x in cuts], [(-5, 5)] * 3)
    def idx(c):  # -2..2 per axis
        return tuple(sum(x > t for t in cuts) - 2 for x in c.centroid())

    def inner(c):
        return idx(c)[2] == 0 and max(abs(idx(c)[0]), abs(idx(c)[1])) == 1

    T = decision_topology(relabel(P, lambda c: "torus" if inner(c) else "rest"))
    # Alexander duality: the complement has a 1-cycle (linking the torus) and a void
    assert dict(T) == {"rest": (1, 1, 1), "torus": (1, 1, 0), "boundary": (1, 2, 1)}


def test_relu_octahedral_cavity_in_3d():
    # f = |x| + |y| + |z| − 1: class 0 is the octahedron, class 1 the box around it
    W = [[[1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], [0, 0, 1], [0, 0, -1]], [[1] * 6]]
    T = decision_topology(relu_network(W, [[0] * 6, [-1]], [(-2, 2)] * 3))
    assert dict(T) == {1: (1, 0, 1), 0: (1, 0, 0), "boundary": (1, 0, 1)}


def test_dead_region_and_missing_class():
    # f = ReLU(x): zero on a full-dimensional half, never negative
    T = decision_topology(relu_network([[[1, 0]], [[1]]], [[0], [0]], [(-1, 1), (-1, 1)]))
    assert dict(T) == {1: (1, 0), 0: (0, 0), "boundary": (0, 0)}
    assert T.pieces[0] == () and T.pieces["boundary"] == ()


def test_checkerboard_corner_boundary():
    P = arrangement([[1, 0], [0, 1]], [0, 0], [(-1, 1), (-1, 1)])
    T = decision_topology(relabel(P, lambda c: c.key[0] * c.key[1]))
    assert T[1] == (1, 0) and T[-1] == (1, 0)  # closed squares touching at the origin
    assert T["boundary"] == (1, 0)  # the cross: the two lines


# ---------------------------------------------------------------- independent check (2-D)
def _euler_union(cells):
    """χ and β_0 of a union of cells of a face-to-face 2-D partition, from its cell
    decomposition (vertices − edges + faces) and vertex-sharing connectivity."""
    V, E = set(), set()
    for c in cells:
        P = c.polytope
        V.update(P.vertices)
        for i in range(P.n_facets):
            ids = P.facet_vertices(i)
            E.add(frozenset(P.vertices[k] for k in ids))
    chi = len(V) - len(E) + len(cells)
    parent = {c.index: c.index for c in cells}

    def find(x):
        while parent[x] != x:
            x = parent[x]
        return x

    for a in cells:
        for b in cells:
            if a.index < b.index and set(a.polytope.vertices) & set(b.polytope.vertices):
                parent[find(a.index)] = find(b.index)
    comps = len({find(c.index) for c in cells})
    return chi, comps


def _boundary_graph(P, label):
    """The decision boundary of a face-to-face 2-D labelled partition as a graph."""
    V, E = set(), set()
    for f in P.adjacency():
        if label[f.i] != label[f.j]:
            vs = f.face.vertices
            E.add(frozenset(vs))
            V.update(vs)
    # corner points where differently labelled cells touch in a vertex only
    for a in P.cells:
        for b in P.cells:
            if a.index < b.index and label[a.index] != label[b.index]:
                V.update(set(a.polytope.vertices) & set(b.polytope.vertices))
    parent = {v: v for v in V}

    def find(x):
        while parent[x] != x:
            x = parent[x]
        return x

    for e in E:
        u, w = tuple(e)
        parent[find(u)] = find(w)
    comps = len({find(v) for v in V})
    return (comps, len(E) - len(V) + comps) if V else (0, 0)


@settings(max_examples=20)
@given(arrangement_partitions(n=2, max_hyperplanes=4), st.lists(st.integers(0, 2), min_size=16, max_size=16))
def test_betti_numbers_match_euler_characteristic_count(P, colours):
    label = {c.index: colours[c.index % 16] for c in P.cells}
    T = decision_topology(relabel(P, lambda c: label[c.index]))
    for lab in set(label.values()):
        cells = [c for c in P.cells if label[c.index] == lab]
        chi, b0 = _euler_union(cells)
        assert T[lab] == (b0, b0 - chi)
    assert T["boundary"] == _boundary_graph(P, label)


# ---------------------------------------------------------------- the cell method vs the nerve
def test_closed_forms_use_the_cell_method_and_agree_with_the_nerve():
    W = [[[1, 0], [-1, 0], [0, 1], [0, -1]], [[1, 1, 1, 1], [2, 2, 2, 2]], [[1, -1]]]
    b = [[0, 0, 0, 0], [0, -3], [-1]]
    annulus = relu_network(W, b, [(-3, 3), (-3, 3)])
    octahedron = relu_network([[[1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], [0, 0, 1], [0, 0, -1]], [[1] * 6]],
                              [[0] * 6, [-1]], [(-2, 2)] * 3)
    cavity = relabel(grid3(), lambda c: int(_index(c) != (0, 0, 0)))
    for P, expected in ((annulus, {1: (1, 1), 0: (2, 1), "boundary": (2, 2)}),
                        (octahedron, {1: (1, 0, 1), 0: (1, 0, 0), "boundary": (1, 0, 1)}),
                        (cavity, {1: (1, 0, 1), 0: (1, 0, 0), "boundary": (1, 0, 1)})):
        T = decision_topology(P)
        assert T.method == "cells" and dict(T) == expected
        N = decision_topology(P, method="nerve")
        assert N.method == "nerve" and dict(N) == expected
        assert {k: len(v) for k, v in T.pieces.items()} == {k: len(v) for k, v in N.pieces.items()}
        assert dict(decision_topology(P, max_dim=0)) == {k: v[:1] for k, v in expected.items()}


def test_t_junctions_fall_back_to_the_nerve():
    from exactgeom.partitions.tree import decision_tree

    t = {"feature": 0, "threshold": 0, "left": {"leaf": "a", "class": 0},
         "right": {"feature": 1, "threshold": 0, "left": {"leaf": "b", "class": 1}, "right": {"leaf": "c", "class": 0}}}
    T = decision_topology(decision_tree(t, [(-1, 1), (-1, 1)]))
    # class 0: the left half and the upper-right quarter (one L-shaped piece); class 1 a square;
    # boundary: the two segments x = 0 (y <= 0) and y = 0 (x >= 0) meeting at the origin
    assert T.method == "nerve" and dict(T) == {0: (1, 0), 1: (1, 0), "boundary": (1, 0)}


def test_data_mode_needs_an_explicit_scope():
    import pytest

    from exactgeom import InvalidInputError

    net = ([[[1, 0], [-1, 0]], [[1, 1]]], [[0, 0], [-1]])  # f = |x| − 1 on [-2, 2] x [-1, 1]
    data = [["-3/2", 0], ["3/2", 0]]  # only the two outer cells hold data
    P = relu_network(*net, [(-2, 2), (-1, 1)], mode="data", data=data)
    with pytest.raises(InvalidInputError, match="scope='data'"):
        decision_topology(P)
    T = decision_topology(P, scope="data")  # the union of the two data cells: x <= 0 and x >= 0
    assert T.method == "nerve" and T[1] == (2, 0) and T[0] == (1, 0)


def test_data_scope_engines_agree_and_high_dimensional_cells_are_refused_not_enumerated():
    """H-first (LP engine) data cells: in the plane their vertices are enumerated on demand
    and the topology equals the vertex engine's; in R^12 a cell's McMullen bound is in the
    hundreds of thousands, so decision_topology refuses at once (it used to start a cddlib
    enumeration that ran for minutes per cell) and names the data-graph alternative."""
    import random
    from itertools import pairwise

    import pytest

    from exactgeom import InvalidInputError, LimitExceededError

    net = ([[[1, 0], [-1, 0], [1, 1]], [[1, 1, -1]]], [[0, 0, "-1/2"], [-1]])
    data = [["-3/2", 0], ["3/2", 0], [0, "1/2"], ["1/4", "-1/2"], ["-1", "3/4"]]
    Ts = [decision_topology(relu_network(*net, [(-2, 2), (-1, 1)], mode="data", data=data, engine=e), scope="data")
          for e in ("vertices", "lp")]
    assert dict(Ts[0]) == dict(Ts[1])
    rng = random.Random(0)
    sizes = [12, 8, 8, 1]
    W = [[[Fraction(rng.randint(-8, 8), 8) for _ in range(a)] for _ in range(b)] for a, b in pairwise(sizes)]
    b = [[Fraction(rng.randint(-8, 8), 16) for _ in range(k)] for k in sizes[1:]]
    X = [[Fraction(rng.randint(0, 16), 16) for _ in range(12)] for _ in range(3)]
    P = relu_network(W, b, [(0, 1)] * 12, mode="data", data=X)
    assert all(c.polytope.vertex_estimate() > 20_000 for c in P.cells)
    with pytest.raises(LimitExceededError, match="summarise_data") as err:
        decision_topology(P, scope="data")
    assert "max_vertices=None" in str(err.value)
    assert not any("_points" in c.polytope.__dict__ for c in P.cells)  # nothing was enumerated
    for bad in (-1, 2.5, True, "many"):
        with pytest.raises(InvalidInputError, match="max_vertices"):
            decision_topology(P, scope="data", max_vertices=bad)


@settings(max_examples=15, deadline=None)
@given(st.integers(2, 3).flatmap(lambda n: st.tuples(st.just(n), relu_networks(n_in=n, max_width=3, max_depth=2))))
def test_cell_method_equals_nerve_on_random_relu_nets(args):
    n, net = args
    P = relu_network(net, None, [(-1, 1)] * n)
    if net.n_out != 1 or all(all(x == 0 for x in P.output_affine(c)[0][0]) and P.output_affine(c)[1][0] == 0 for c in P.cells):
        return  # vector outputs are covered by the closed forms; f ≡ 0 has no regions
    T = decision_topology(P, max_simplices=None)
    N = decision_topology(P, method="nerve", max_simplices=None)
    assert dict(T) == dict(N)


@settings(max_examples=15, deadline=None)
@given(st.integers(2, 3).flatmap(lambda n: arrangement_partitions(n=n, max_hyperplanes=3)),
       st.lists(st.integers(0, 2), min_size=27, max_size=27))
def test_cell_method_equals_nerve_on_coloured_arrangements(P, colours):
    label = {c.index: colours[c.index % 27] for c in P.cells}
    Q = relabel(P, lambda c: label[c.index])
    T = decision_topology(Q, max_simplices=None)
    N = decision_topology(Q, method="nerve", max_simplices=None)
    assert T.method == "cells" and dict(T) == dict(N)
