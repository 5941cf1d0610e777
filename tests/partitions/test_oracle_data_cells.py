"""Data cells and point location on cell boundaries against the oracle of ``tests/_exact_oracle.py``.

Data points are put where the rule matters: at every vertex of the oracle's cells and at
midpoints of their vertex pairs (points on facets, edges, the domain's boundary). The oracle
assigns each point to the pattern (sign vector, class) at ``x + ε(c − x) + ε² e_1 + … +
ε^{n+1} e_n`` (c the box's centre), evaluated by propagating polynomials in ε through the
network and taking lexicographic signs; it checks that this key is one of its own
full-dimensional cells containing x. The package's data cells (``mode="data"``), their
geometry, ``data_cell_indices`` and the vertex-free ``CrossingPartition.data_cell_indices``
are compared with it. Leaky networks (``negative_slopes``) are compared with the oracle's
leaky cells in full mode.
"""

from __future__ import annotations

import itertools
import os
from fractions import Fraction

import pytest
from _exact_oracle import (
    argmax_cells,
    argmax_key_perturbed,
    arrangement_cells,
    arrangement_key_perturbed,
    box_rows,
    dot,
    relu_cells,
    relu_key,
    relu_key_perturbed,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from exactgeom.partitions import argmax_linear, arrangement, relu_network
from exactgeom.partitions.relu import ReLUNetwork

F = Fraction
N_EXAMPLES = int(os.environ.get("ORACLE_EXAMPLES", "6"))
small = st.sampled_from([-2, -1, -1, 0, 0, 1, 1, 2])
offset = st.sampled_from([F(-1), F(-1, 2), F(0), F(0), F(1, 2), F(1)])


def boundary_points(cells, limit=60):
    pts = set()
    for c in cells:
        pts.update(c.V)
        for u, v in itertools.combinations(c.V, 2):
            pts.add(tuple((a + b) / 2 for a, b in zip(u, v)))
    return sorted(pts)[:limit] if len(pts) > limit else sorted(pts)


def contains(cell, x):
    return all(dot(a, x) <= b for a, b in zip(cell.A, cell.b))


@st.composite
def relu_case(draw):
    n = draw(st.integers(1, 3))
    layers = draw(st.sampled_from([[2], [3], [2, 2], [2, 1]]))
    lo = draw(st.sampled_from([F(-1), F(0)]))
    dom = [(lo, F(1))] * n
    sizes = [n, *layers, 1]
    Ws = [[draw(st.lists(small, min_size=a, max_size=a)) for _ in range(b)] for a, b in itertools.pairwise(sizes)]
    bs = [[draw(offset) for _ in range(b)] for b in sizes[1:]]
    return dom, Ws, bs


@pytest.mark.parametrize("engine", ["vertices", "lp"])
@settings(max_examples=N_EXAMPLES, deadline=None)
@given(relu_case())
def test_relu_data_cells_on_boundaries_match_oracle(engine, case):
    dom, Ws, bs = case
    dA, db = box_rows(dom)
    cells = relu_cells(Ws, bs, dA, db)
    by_key = {c.key: c for c in cells}
    centre = tuple((lo + hi) / 2 for lo, hi in dom)
    X = boundary_points(cells)
    expected = [relu_key_perturbed(Ws, bs, x, centre) for x in X]
    for x, k in zip(X, expected):  # the rule picks a full-dimensional cell containing x
        assert k in by_key and contains(by_key[k], x), (x, k)
    P = relu_network(Ws, bs, dom, mode="data", data=X, engine=engine)
    assert {c.key for c in P.cells} == set(expected)
    for c in P.cells:
        assert sorted(c.polytope.vertices) == by_key[c.key].V
    idx = P.data_cell_indices(X)
    assert [P.cells[i].key for i in idx] == expected
    net = P.model
    assert [net.cell_pattern(x, toward=centre) for x in X] == expected


@st.composite
def linear_case(draw):
    n = draw(st.integers(1, 3))
    dom = [(F(-1), F(1))] * n
    m = draw(st.integers(1, 4))
    W = [draw(st.lists(small, min_size=n, max_size=n)) for _ in range(m)]
    c = [draw(offset) for _ in range(m)]
    return dom, W, c


@settings(max_examples=N_EXAMPLES, deadline=None)
@given(linear_case())
def test_crossing_partition_locates_boundary_points_like_the_oracle(case):
    dom, W, c = case
    dA, db = box_rows(dom)
    centre = tuple(F(0) for _ in dom)
    for build, ocells, key in (
        (arrangement, arrangement_cells(W, c, dA, db), arrangement_key_perturbed),
        (argmax_linear, argmax_cells(W, c, dA, db), argmax_key_perturbed),
    ):
        by_key = {cell.key: cell for cell in ocells}
        X = boundary_points(ocells)
        expected = [key(W, c, x, centre) for x in X]
        for x, k in zip(X, expected):
            assert k in by_key and contains(by_key[k], x), (x, k)
        P = build(W, c, dom, engine="lp")
        assert [P.cells[i].key for i in P.data_cell_indices(X)] == expected


@st.composite
def leaky_case(draw):
    dom, Ws, bs = draw(relu_case())
    H = len(Ws) - 1
    slopes = [draw(st.sampled_from([F(1, 2), F(-1, 3), F(1), F(2), F(1, 10)])) for _ in range(H)]
    return dom, Ws, bs, slopes


@settings(max_examples=N_EXAMPLES, deadline=None)
@given(leaky_case())
def test_leaky_relu_cells_match_oracle(case):
    dom, Ws, bs, slopes = case
    dA, db = box_rows(dom)
    net = ReLUNetwork(Ws, bs, negative_slopes=slopes)
    P = relu_network(net, None, dom)
    cells = relu_cells(Ws, bs, dA, db, slopes)
    by_key = {c.key: c for c in cells}
    assert {c.key for c in P.cells} == set(by_key)
    for c in P.cells:
        assert sorted(c.polytope.vertices) == by_key[c.key].V
        assert net.key(by_key[c.key].interior_point()) == c.key == relu_key(Ws, bs, by_key[c.key].interior_point(), slopes)
    assert sum(c.volume() for c in P.cells) == F(2) ** len(dom) / (2 if dom[0][0] == 0 else 1) ** len(dom)
    centre = tuple((lo + hi) / 2 for lo, hi in dom)
    X = boundary_points(cells, limit=30)
    assert [net.cell_pattern(x, toward=centre) for x in X] == [relu_key_perturbed(Ws, bs, x, centre, slopes) for x in X]
