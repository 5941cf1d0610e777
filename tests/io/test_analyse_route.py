"""The route of ``exactgeom analyse`` (exactgeom.io.analyse_route): closed-form boxes,
volume-free above the vertex budget, the vertex route otherwise; named in the JSON notes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from exactgeom import arrangement, decision_tree
from exactgeom.io.analyse_route import ANALYSE_VERTEX_BUDGET, analyse_route, summed_vertex_count
from exactgeom.io.canonical import canonical_json
from exactgeom.io.fixture_load import check_fixture, validate_document
from exactgeom.io.fixtures import fixture_dict
from exactgeom.partitions.relu import relu_network

REPO = Path(__file__).resolve().parent.parent.parent
T3 = {"feature": 0, "threshold": 0, "left": {"leaf": "a"},
      "right": {"feature": 1, "threshold": "1/2", "left": {"leaf": "b"}, "right": {"leaf": "c"}}}


def _net(n):
    """A ReLU net n-2-1 whose full partition in [-1, 1]^n has vertex-engine cells."""
    W = [[[1, -1] + [1] * (n - 2), [0, 1] + [-1] * (n - 2)], [[1, 1]]]
    return relu_network(W, [[0, Fraction(1, 3)], [0]], [(-1, 1)] * n)


def test_routes():
    r = analyse_route(decision_tree(T3, [(-1, 1)] * 8))
    assert r.name == "boxes" and r.n_vertices == 3 * 2**8 and "route boxes" in r.note and not r.forced
    # an axis-parallel arrangement built by the vertex engine: the closed forms are stored on its cells
    A = arrangement([[1, 0, 0], [0, 0, 1]], [0, Fraction(1, 2)], [(-1, 1)] * 3, engine="vertices")
    assert "_volume_any" not in A.cells[0].polytope.__dict__
    assert analyse_route(A).name == "boxes"
    assert all(c.polytope.__dict__["_volume_any"] == c.polytope.volume(method="triangulation") for c in A.cells)
    assert analyse_route(arrangement([[1, 1]], [0], [(-1, 1)] * 2)).name == "vertices"
    P = _net(7)
    total = summed_vertex_count(P)
    assert total == sum(c.polytope.n_vertices for c in P.cells) and not any(c.polytope.engine == "lp" for c in P.cells)
    assert analyse_route(P, budget=total).name == "vertices"
    r = analyse_route(P, budget=total - 1)
    assert r.name == "volume_free" and r.forced and str(total) in r.note
    assert analyse_route(_net(6), budget=0).name == "vertices"  # 6 inputs: the vertex route stays
    H = arrangement([[1, 1] + [0] * 6], [0], [(-1, 1)] * 8)  # H-first cells above 6 inputs
    r = analyse_route(H)
    assert r.name == "volume_free" and not r.forced and r.n_vertices == -1
    assert ANALYSE_VERTEX_BUDGET > 0


def test_vertex_free_fixture_of_vertex_cells(tmp_path):
    """fixture_dict(vertex_free=True) on cells with known vertices stores them by their
    facets only, records it, and check recomputes the same document."""
    P = _net(7)
    doc = fixture_dict(P, vertex_free=True, notes=["route volume_free: test"])
    assert validate_document(doc) == []
    assert doc["sections"] == ["cells", "faces"] and doc["options"]["vertex_free"] is True
    assert doc["notes"] == ["route volume_free: test"]
    assert all(set(c) >= {"hrep"} and "vertices" not in c and "volume" not in c for c in doc["cells"])
    assert all(set(f) == {"cells", "normal", "offset"} for f in doc["faces"])
    assert doc["partition"]["volume_sum"] is None
    plain = fixture_dict(P, sections=["cells"])
    assert "vertices" in plain["cells"][0] and "notes" not in plain and "vertex_free" not in plain["options"]
    path = tmp_path / "f.json"
    path.write_text(canonical_json(doc))
    rep = check_fixture(path)
    assert rep.ok, rep


@pytest.mark.parametrize("n", [8, 10])
def test_cli_box_route(tmp_path, n):
    """A 3-leaf tree on [-1, 1]^n: route boxes, named in the JSON notes and on stderr; the
    full result (curvature included) and a check that recomputes it."""
    (tmp_path / "t.json").write_text(json.dumps({"family": "tree", "tree": T3, "domain": [[-1, 1]] * n}))
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONPATH=str(REPO))
    p = subprocess.run([sys.executable, "-m", "exactgeom", "analyse", "t.json", "--no-plot"], cwd=tmp_path, env=env,
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    assert "route boxes" in p.stderr
    doc = json.loads((tmp_path / "exactgeom_result.json").read_text())
    assert validate_document(doc) == [] and doc["notes"][0].startswith("route boxes")
    assert doc["sections"] == ["cells", "angles", "faces", "complex", "curvature"]
    assert doc["partition"]["volume_sum"] == doc["partition"]["domain_volume"] == str(2**n)
    (d,) = doc["curvature"]["angle_defects"]
    assert d["kinds"] == ["facet", "ridge", "ridge"] and d["is_zero"] and len(d["piece"]) == 2 ** (n - 2)
    assert check_fixture(tmp_path / "exactgeom_result.json").ok
