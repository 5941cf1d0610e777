"""Partition.table / to_pandas / to_networkx against independent computations.

Oracles: grid partitions of a box, whose cells are boxes with closed-form volume (product
of the sides) and centroid (the box's centre); the partition's adjacency and neighbours;
segment lengths from the shared faces' vertices (2-D: the face is a segment, its length
squared is rational and computed here from coordinates); the domain volume.
"""

from __future__ import annotations

import sys
from fractions import Fraction
from math import prod

import networkx as nx
import pandas as pd
import pytest
from hypothesis import given, settings

from exactgeom import argmax_linear, arrangement
from exactgeom.errors import InvalidInputError
from exactgeom.numbers import Surd
from exactgeom.partitions.tables import TABLE_COLUMNS
from exactgeom.strategies.complex import arrangement_partitions, box_grid_partitions


def _box(c):
    V = c.polytope.vertices
    return [(min(v[k] for v in V), max(v[k] for v in V)) for k in range(len(V[0]))]


@settings(max_examples=30, deadline=None)
@given(box_grid_partitions(n=2, max_cuts=3))
def test_table_rows_match_closed_forms_on_grids(Pb):
    P, _ = Pb
    rows = P.table()
    assert [r["index"] for r in rows] == list(range(P.n_cells))
    assert all(list(r) == list(TABLE_COLUMNS) for r in rows)
    dvol = prod(hi - lo for lo, hi in _box_of_domain(P))
    G = P.to_networkx()
    for r, c in zip(rows, P.cells):
        box = _box(c)
        assert r["key"] == c.key and r["volume"] == prod(hi - lo for lo, hi in box)
        assert r["centroid"] == tuple((lo + hi) / 2 for lo, hi in box)
        assert r["share"] == r["volume"] / dvol
        assert r["volume_float"] == float(r["volume"]) and r["centroid_float"] == tuple(float(x) for x in r["centroid"])
        assert r["n_vertices"] == 4 and r["n_facets"] == 4
        assert r["n_neighbours"] == G.degree(c.index) == len(P.neighbours(c.index))
    assert sum(r["share"] for r in rows) == 1


def _box_of_domain(P):
    V = P.domain.vertices
    return [(min(v[k] for v in V), max(v[k] for v in V)) for k in range(P.ambient_dim)]


@settings(max_examples=30, deadline=None)
@given(arrangement_partitions(n=2, max_hyperplanes=4))
def test_networkx_graph_is_the_adjacency(P):
    G = P.to_networkx()
    faces = P.adjacency()
    assert sorted(G.nodes) == list(range(P.n_cells))
    assert {tuple(sorted(e)) for e in G.edges} == {(f.i, f.j) for f in faces}
    assert all(G.degree(i) == len(P.neighbours(i)) for i in G.nodes)
    assert [G.nodes[i]["volume"] for i in range(P.n_cells)] == list(P.volumes())
    assert sum(G.nodes[i]["volume"] for i in G.nodes) == P.domain.volume() == G.graph["domain_volume"]
    assert all(G.nodes[c.index]["key"] == c.key and G.nodes[c.index]["polytope"] == c.polytope for c in P.cells)
    for f in faces:
        a = G.edges[f.i, f.j]
        assert a["normal"] == f.normal and a["offset"] == f.offset and a["face"] == f.face
        (p, q) = f.face.vertices  # 2-D: the shared face is a segment
        length_sq = sum((x - y) ** 2 for x, y in zip(p, q))
        assert isinstance(a["volume"], Surd) and a["volume"].squared() == length_sq
    # arrangements of lines cut a convex domain into a connected adjacency graph
    assert P.n_cells == 0 or nx.is_connected(G)


def test_labels_reach_nodes_and_table():
    P = argmax_linear([[1, 0], [-1, 0], [0, 1]], [0, 0, 0], [(-1, 1), (-1, 1)])
    G = P.to_networkx()
    # the class of a cell is the argmax of the scores at its centroid (computed here)
    want = [max(range(3), key=lambda k: [x, -x, y][k]) for x, y in (c.centroid() for c in P.cells)]
    assert [G.nodes[c.index]["label"] for c in P.cells] == want == [P.label(c) for c in P.cells]
    assert [r["label"] for r in P.table()] == want


def test_to_pandas_keeps_exact_columns():
    P = arrangement([[1, 0], [0, 1]], [Fraction(1, 3), 0], [(-1, 1), (-1, 1)])
    df = P.to_pandas()
    assert isinstance(df, pd.DataFrame) and list(df.index) == list(range(P.n_cells))
    assert list(df.columns) == list(TABLE_COLUMNS[1:])
    assert list(df["volume"]) == list(P.volumes()) and all(isinstance(v, Fraction) for v in df["volume"])
    assert df["volume"].sum() == P.domain.volume() == 4
    assert df["volume_float"].dtype == "float64" and df["share_float"].sum() == pytest.approx(1.0)
    assert df.loc[0, "centroid"] == P.cells[0].centroid()


def test_degenerate_one_cell_partition():
    P = arrangement([[0, 0]], [1], [(0, 1), (0, 1)])  # 0·x <= 1: no cut, one cell
    (row,) = P.table()
    assert row["volume"] == 1 and row["share"] == 1 and row["n_neighbours"] == 0
    G = P.to_networkx()
    assert G.number_of_nodes() == 1 and G.number_of_edges() == 0
    assert len(P.to_pandas()) == 1


@pytest.mark.parametrize("module, call", [("pandas", "to_pandas"), ("networkx", "to_networkx")])
def test_missing_optional_dependency_is_a_clear_error(monkeypatch, module, call):
    P = arrangement([[1, 0]], [0], [(-1, 1), (0, 1)])
    monkeypatch.setitem(sys.modules, module, None)  # import now raises ImportError
    with pytest.raises(InvalidInputError, match=f"pip install {module}.*exactgeom\\[interop\\]"):
        getattr(P, call)()
    assert P.table()[0]["volume"] == 1  # table() needs neither
