"""Fixtures of degenerate partitions: stored numbers against the oracle of
``tests/_exact_oracle.py``, the write/check round trip, and a random tampered number is
always caught.

The partitions are a star of lines through one point plus a line through a corner (2-D), a
tree with T-junctions (2-D) and a 3-D Voronoi diagram with a duplicate site. Tampering picks
any stored leaf of the document (rationals, surds, integers, booleans, keys, angles,
spectra, curvature) except the package version and backend notes, and the model's own
parameters where a changed number may describe the same partition (a scaled normal).
"""

from __future__ import annotations

import copy
import json
import re
from fractions import Fraction

import pytest
from _exact_oracle import adjacent_faces, argmax_cells, arrangement_cells, box_rows, tree_cells, voronoi_scores
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exactgeom.errors import InvalidInputError
from exactgeom.io.canonical import canonical_json
from exactgeom.io.fixture_load import check_fixture
from exactgeom.io.fixtures import write_fixture
from exactgeom.partitions import arrangement, decision_tree, voronoi

F = Fraction
SQ = [(-1, 1), (-1, 1)]
STAR = ([[1, 0], [0, 1], [1, 1], [1, -1]], [0, 0, 0, 2])
TREE = {
    "feature": 0,
    "threshold": 0,
    "left": {"feature": 1, "threshold": F(1, 2), "left": {"leaf": 0}, "right": {"leaf": 1}},
    "right": {"feature": 1, "threshold": 0, "left": {"leaf": 2}, "right": {"leaf": 3}},
}
SITES = [[0, 0, 0], [1, 1, 1], [1, 0, 0], [0, 0, 0]]
CUBE = [(-1, 1)] * 3
MODELS = {
    "star": lambda: (arrangement(*STAR, SQ), arrangement_cells(*STAR, *box_rows(SQ))),
    "tree": lambda: (decision_tree(TREE, SQ), tree_cells(TREE, *box_rows(SQ))),
    "voronoi3d": lambda: (voronoi(SITES, CUBE), argmax_cells(*voronoi_scores(SITES), *box_rows(CUBE))),
}


@pytest.fixture(scope="module")
def docs(tmp_path_factory):
    out = {}
    for name, make in MODELS.items():
        P, oc = make()
        p = tmp_path_factory.mktemp(name) / "f.json"
        write_fixture(P, p)
        out[name] = (P, oc, json.loads(p.read_text()))
    return out


def leaves(d, path=()):
    if isinstance(d, dict):
        for k, v in d.items():
            yield from leaves(v, (*path, k))
    elif isinstance(d, list):
        for k, v in enumerate(d):
            yield from leaves(v, (*path, k))
    else:
        yield path, d


@pytest.mark.parametrize("name", sorted(MODELS))
def test_stored_numbers_match_the_oracle(tmp_path, docs, name):
    P, oc, doc = docs[name]
    by_key = {c.key: c for c in oc}
    cells = [by_key[c.key] for c in P.cells]
    assert len(doc["cells"]) == len(cells)
    for stored, c in zip(doc["cells"], cells):
        assert F(stored["volume"]) == c.volume()
        assert sorted(tuple(F(x) for x in v) for v in stored["vertices"]) == c.V
    faces = adjacent_faces(cells)
    assert {tuple(f["cells"]) for f in doc["faces"]} == set(faces)
    for f in doc["faces"]:
        assert F(f["squared_volume"]) == faces[tuple(f["cells"])][1]
    assert F(doc["partition"]["volume_sum"]) == F(doc["domain"]["volume"]) == sum(c.volume() for c in cells)
    q = tmp_path / "again.json"
    q.write_text(canonical_json(doc), encoding="ascii")
    r = check_fixture(q)
    assert r.ok and not r.problems, r.report()


SKIP = re.compile(r"^\('(provenance', '(package_version|backend)|model'|options')")


def _wrong(v):
    if isinstance(v, bool):
        return not v
    if isinstance(v, int):
        return v + 1
    if v is None:
        return "1"
    digits = list(re.finditer(r"\d", v))
    if not digits:
        return v + "x"
    m = digits[-1]
    return v[: m.start()] + ("2" if m.group() != "2" else "3") + v[m.end() :]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_any_tampered_leaf_is_caught(tmp_path, docs, data):
    name = data.draw(st.sampled_from(sorted(MODELS)))
    doc = copy.deepcopy(docs[name][2])
    cands = [(p, v) for p, v in leaves(doc) if not SKIP.match(repr(p))]
    path, v = data.draw(st.sampled_from(cands))
    node = doc
    for k in path[:-1]:
        node = node[k]
    node[path[-1]] = _wrong(v)
    q = tmp_path / f"t_{name}.json"
    q.write_text(canonical_json(doc), encoding="ascii")
    try:
        r = check_fixture(q)
    except InvalidInputError:
        return  # refused as malformed: also caught
    assert not r.ok, (path, v)
