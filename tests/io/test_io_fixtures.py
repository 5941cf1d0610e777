"""Fixtures: canonical writing, schema validation, exact round trips, check and tampering."""

from __future__ import annotations

import json
import re
from fractions import Fraction

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings

from exactgeom import Angle, InvalidInputError, Partition, Polytope, Surd, arrangement
from exactgeom.io.canonical import canonical_json
from exactgeom.io.fixture_load import check_fixture, load_fixture, schema, validate_document
from exactgeom.io.fixtures import facet_order, fixture_dict, write_fixture
from exactgeom.io.model_files import read_model
from exactgeom.strategies.models import model_documents

SQ = [["-1", "1"], ["-1", "1"]]
RELU = {"family": "relu", "weights": [[["1", "1/2"], ["-1", "1"], ["1", "-1"]], [["1", "-1", "1/2"]]],
        "biases": [["0", "1/4", "-1/3"], ["0"]], "domain": SQ,
        "data": [["1/2", "1/2"], ["-1/2", "0"], ["0", "-3/4"]], "labels": [1, 0, 0]}


def _validate(doc):
    jsonschema.Draft202012Validator(schema()).validate(doc)  # raises on any violation
    assert validate_document(doc) == []


def test_schema_is_a_valid_draft_2020_12_schema():
    jsonschema.Draft202012Validator.check_schema(schema())
    assert schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_write_twice_same_bytes_and_write_load_write(tmp_path):
    a, b, c = tmp_path / "a.json", tmp_path / "b.json", tmp_path / "c.json"
    write_fixture(RELU, a, name="net")
    write_fixture(read_model(RELU), b, name="net")
    assert a.read_bytes() == b.read_bytes()
    fx = load_fixture(a)
    write_fixture(fx, c)  # recomputed from the stored model
    assert c.read_bytes() == a.read_bytes()
    text = a.read_text(encoding="ascii")
    assert text.endswith("}\n") and text == canonical_json(json.loads(text))
    _validate(json.loads(text))


def test_round_trip_gives_identical_exact_objects(tmp_path):
    spec = read_model(RELU)
    P = spec.build()
    p = tmp_path / "f.json"
    write_fixture(spec, p, partition=P)
    fx = load_fixture(p)
    assert fx.domain == P.domain and fx.model_spec.to_json() == spec.to_json()
    assert len(fx.cells) == P.n_cells
    for fc, c in zip(fx.cells, P.cells):
        assert fc.key == c.key and fc.index == c.index
        assert fc.polytope == c.polytope and fc.vertices == c.polytope.vertices
        assert fc.volume == c.volume() and fc.centroid == c.centroid()
        # the stored facet order is canonical (sorted); the loaded polytope has that order
        order = facet_order(c.polytope)
        assert [h for h in fc.polytope.facets] == [c.polytope.facets[i] for i in order]
        assert fc.facet_volumes == tuple(c.polytope.facet_volume(i) for i in order)
        assert fc.facet_volumes == tuple(fc.polytope.facet_volume(i) for i in range(fc.polytope.n_facets))
        assert all(isinstance(v, Surd) for v in fc.facet_volumes)
        assert dict(fc.angles) == fc.polytope.dihedral_angles()
        assert sorted(map(str, fc.angles.values())) == sorted(map(str, c.polytope.dihedral_angles().values()))
        for ij, a in fc.angles.items():
            assert isinstance(a, Angle)
            assert fc.angle_radians[ij].contains(a.radians(25).lo) and fc.angle_degrees[ij].contains(a.degrees(25).hi)
        assert fc.output_affine == P.output_affine(c)
        assert fc.n_data == sum(1 for k in P.model.cell_patterns(spec.data) if k == c.key)
    faces = P.adjacency()
    assert [(f.i, f.j) for f in fx.faces] == [(f.i, f.j) for f in faces]
    for ff, f in zip(fx.faces, faces):
        assert ff.volume == f.volume() and ff.area_vector == f.area_vector() and ff.polytope == f.face
        assert ff.normal == tuple(Fraction(x) for x in f.normal) and ff.offset == f.offset
    assert sum(c.volume for c in fx.cells) == fx.domain.volume()
    assert fx.partition.check().ok and isinstance(fx.partition, Partition)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(model_documents())
def test_random_models_fixture_valid_reproducible_and_checked(tmp_path_factory, doc):
    d = tmp_path_factory.mktemp("fx")
    doc1 = write_fixture(doc, d / "a.json")
    _validate(doc1)
    assert canonical_json(fixture_dict(doc)) == (d / "a.json").read_text(encoding="ascii")
    r = check_fixture(d / "a.json")
    assert r.ok, r.report()


def test_check_ok_and_listing(tmp_path):
    p = tmp_path / "f.json"
    write_fixture(RELU, p)
    r = check_fixture(p)
    assert r.ok and bool(r) and "OK" in r.report()


def _tamper(text: str, path_regex: str, occurrence: int = 0) -> tuple[str, str]:
    """Change one digit of the `occurrence`-th string value matching path_regex's line."""
    lines = text.split("\n")
    hits = [k for k, line in enumerate(lines) if re.search(path_regex, line)]
    k = hits[occurrence]
    m = re.search(r'(\d)(?=[^"]*"\s*,?\s*$)', lines[k])
    assert m, lines[k]
    d = m.group(1)
    nd = "2" if d != "2" else "3"
    lines[k] = lines[k][: m.start(1)] + nd + lines[k][m.end(1) :]
    return "\n".join(lines), lines[k]


@pytest.mark.parametrize(
    "line_pattern, occurrence, expected_path",
    [
        (r'"volume": "', 1, r"\$\.(cells|faces)\[\d+\]\.volume"),
        (r'"offset": "', 2, r"\$\.faces\[\d+\]\.offset"),
        (r'"cos": "', 3, r"\$\.cells\[\d+\]\.angles\[\d+\]\.cos"),
        (r'"squared_volume": "', 0, r"\$\.faces\[\d+\]\.squared_volume"),
        (r'"domain_volume": "', 0, r"\$\.partition\.domain_volume"),
        (r'"volume_sum": "', 0, r"\$\.partition\.volume_sum"),
        (r'"sum": "', 0, r"\$\.curvature\.gauss_bonnet\.sum"),
    ],
)
def test_check_reports_a_tampered_number(tmp_path, line_pattern, occurrence, expected_path):
    p = tmp_path / "f.json"
    write_fixture(RELU, p)
    text, changed = _tamper(p.read_text(encoding="ascii"), line_pattern, occurrence)
    q = tmp_path / "t.json"
    q.write_text(text, encoding="ascii")
    r = check_fixture(q)
    assert not r.ok
    listing = r.report(limit=None)
    # exactly one difference, at that path, naming the stored (tampered) value
    assert len(r.differences) == 1 and re.fullmatch(expected_path, r.differences[0].path), listing
    assert json.dumps(r.differences[0].stored) in changed and json.dumps(r.differences[0].stored) in listing
    # a digit that made the string non-canonical ('2/2') is also a problem naming the path
    assert all(re.search(expected_path, x) for x in r.problems), listing


def test_check_reports_tampered_vertex_and_enclosure_digits(tmp_path):
    p = tmp_path / "f.json"
    write_fixture(RELU, p)
    doc = json.loads(p.read_text())
    deg = doc["cells"][0]["angles"][1]["degrees"]
    deg[1] = deg[1][:-1] + ("1" if deg[1][-1] != "1" else "2")  # one digit of an enclosure bound
    doc["cells"][2]["vertices"][0][0] = "7/3"
    q = tmp_path / "t.json"
    q.write_text(canonical_json(doc))
    r = check_fixture(q)
    paths = {d.path for d in r.differences}
    assert paths == {"$.cells[0].angles[1].degrees[1]", "$.cells[2].vertices[0][0]"}, r.report()


def test_check_reports_tampered_model_and_bad_strings(tmp_path):
    p = tmp_path / "f.json"
    write_fixture(RELU, p)
    doc = json.loads(p.read_text())
    doc["model"]["biases"][0][1] = "1/5"  # the model changes: the recomputed cells differ
    q = tmp_path / "m.json"
    q.write_text(canonical_json(doc))
    r = check_fixture(q)
    assert not r.ok and any(d.path.startswith("$.cells") for d in r.differences)
    doc = json.loads(p.read_text())
    doc["cells"][0]["volume"] = "2/4"  # not canonical: a problem, not a silent repair
    q.write_text(canonical_json(doc))
    r = check_fixture(q)
    assert not r.ok and "canonical" in r.report()
    doc["cells"][0]["volume"] = 0.5  # schema violation
    q.write_text(json.dumps(doc))
    r = check_fixture(q)
    assert not r.ok and any("schema" in x for x in r.problems)


def test_model_less_fixture_is_checked_against_its_cells(tmp_path):
    base = arrangement([[1, 1]], [0], [(-1, 1), (-1, 1)])
    P = Partition(base.domain, [(c.key, c.polytope) for c in base.cells], family="custom")
    p = tmp_path / "f.json"
    d = write_fixture(P, p)
    assert d["model"] is None and d["provenance"]["family"] == "custom"
    assert check_fixture(p).ok
    fx = load_fixture(p)
    assert fx.model_spec is None and [c.polytope for c in fx.cells] == [c.polytope for c in P.cells]
    doc = json.loads(p.read_text())
    doc["faces"][0]["area_vector"][0] = "5"
    p.write_text(canonical_json(doc))
    assert [x.path for x in check_fixture(p).differences] == ["$.faces[0].area_vector[0]"]


def test_sections_and_options():
    d = fixture_dict(RELU, sections="cells", digits=8)
    assert d["sections"] == ["cells"] and "faces" not in d and "angles" not in d["cells"][0]
    d = fixture_dict(RELU, sections=["angles"], digits=8)
    assert d["sections"] == ["cells", "angles"] and len(d["cells"][0]["angles"][0]["radians"][0]) <= 10
    with pytest.raises(InvalidInputError, match="unknown fixture section"):
        fixture_dict(RELU, sections="cells,vertices")
    with pytest.raises(InvalidInputError, match="digits"):
        fixture_dict(RELU, digits=0)


LOAD_ERRORS = [
    ("missing", None, "does not exist"),
    ("not json", "{", "not valid JSON"),
    ("not an object", "[1]", "not a JSON object"),
    ("schema", '{"format": "exactgeom-fixture"}', "not a valid exactgeom fixture"),
]


@pytest.mark.parametrize("name, text, match", LOAD_ERRORS, ids=[e[0] for e in LOAD_ERRORS])
def test_load_and_check_errors(tmp_path, name, text, match):
    p = tmp_path / "x.json"
    if text is not None:
        p.write_text(text)
    with pytest.raises(InvalidInputError, match=match):
        load_fixture(p)
    if name in ("missing", "not json", "not an object"):
        with pytest.raises(InvalidInputError, match=match):
            check_fixture(p)
    else:
        assert not check_fixture(p).ok


def test_fixture_of_a_lower_dimensional_cell_partition_is_still_valid():
    # a hand-made "partition" whose second cell is flat: written (check fails), not crashed
    D = Polytope.box([(0, 1), (0, 1)])
    flat = Polytope.from_vrep([[0, 0], [1, 0]])
    d = fixture_dict(Partition(D, [((0,), D), ((1,), flat)], family="custom"))
    _validate(d)
    assert d["partition"]["check_ok"] is False and "E" in d["cells"][1]["hrep"]


def test_complex_and_curvature_sections_round_trip(tmp_path):
    from exactgeom.complex import RiemannianComplex
    from exactgeom.io.fixture_complex import complex_available, curvature_available

    if not (complex_available() and curvature_available()):
        pytest.skip("complex/analysis layers not installed")
    spec = read_model(RELU)
    P = spec.build()
    p = tmp_path / "f.json"
    write_fixture(spec, p, complex_options={"laplacians": [0, 1], "metric": "angle"}, partition=P)
    fx = load_fixture(p)
    assert fx.complex_options["metric"] == "angle" and check_fixture(p).ok
    K = RiemannianComplex.from_partition(P, metric="angle", data=list(spec.data))
    c = fx.complex
    assert c["f_vector"] == K.f_vector() and c["betti"] == K.betti()
    assert c["simplices"][1] == K.simplices(1)
    assert c["boundary"][1] == K.boundary(1)
    assert c["measures"][1] == tuple(K.measure(1))
    assert c["inner_products"][1] == K.inner_product(1)  # the angle metric is not diagonal
    for q in (0, 1):
        lap = c["laplacians"][q]
        assert lap["matrix"] == K.hodge_laplacian(q)
        S = K.spectrum(q, digits=25)
        assert lap["kernel_dim"] == S.kernel_dim
        assert all(e.lo <= s.lo and s.hi <= e.hi for e, s in zip(lap["eigenvalues"], S.eigenvalues))
        if lap["charpoly"] is not None:
            assert lap["charpoly"] == S.charpoly
    cv = fx.curvature
    assert all(d["is_zero"] for d in cv["angle_defects"])
    assert sum(cv["vertex_curvature"]) == K.euler_characteristic()
    assert set(cv["ricci"]) == set(K.simplices(1))


def _api_table(tmp):
    from exactgeom.io.cddfiles import export_partition

    (tmp / "afile").write_text("x")
    P = arrangement([[1, 0]], [0], [(-1, 1), (-1, 1)])
    return [
        ("unknown section", lambda: fixture_dict(RELU, sections=["volumes"]), "unknown fixture section"),
        ("digits not int", lambda: fixture_dict(RELU, digits="20"), "digits"),
        ("complex option", lambda: fixture_dict(RELU, complex_options={"colour": 1}), "unknown complex option"),
        ("laplacian degrees", lambda: fixture_dict(RELU, complex_options={"laplacians": [-1]}), "laplacians"),
        ("bad source", lambda: fixture_dict(42), "a model is a file path"),
        ("unwritable fixture", lambda: write_fixture(P, tmp / "no" / "dir" / "f.json"), "cannot write"),
        ("export into a file", lambda: export_partition(P, tmp / "afile"), "cannot create directory"),
        ("export into a foreign folder", lambda: export_partition(P, tmp), "not empty"),
    ]


def test_invalid_calls_of_the_fixture_api(tmp_path):
    for _name, call, match in _api_table(tmp_path):
        with pytest.raises(InvalidInputError, match=match):
            call()


def test_shared_face_volumes_reused_from_facets_equal_fresh_volumes(monkeypatch):
    """A shared face built as a facet of a cell takes that cell's memoised facet volume
    (face-to-face ReLU cells: no face polytope is measured); a T-junction face (part of a
    facet) is measured itself. Every stored face volume equals the volume of a
    polytope rebuilt from the stored vertices."""
    from fractions import Fraction as F

    from exactgeom.io.canonical import parse_surd
    from exactgeom.partitions.relu import relu_network

    P = relu_network([[[1, 2, -1], [2, -1, 1], [1, 1, 1]], [[1, -1, 2]]], [[0, F(1, 3), F(-1, 2)], [F(1, 5)]],
                     [(-1, 1)] * 3)
    D = Polytope.box([(-1, 1)] * 3)
    T = Partition(D, [("L", Polytope.box([(-1, 0), (-1, 1), (-1, 1)])), ("RB", Polytope.box([(0, 1), (-1, 0), (-1, 1)])),
                      ("RT", Polytope.box([(0, 1), (0, 1), (-1, 1)]))], family="t")
    from exactgeom.polytope import measures

    real = measures.face_volume
    for part, face_to_face in ((P, True), (T, False)):
        calls: list[int] = []

        def counted(Q, *a, calls=calls, **k):
            if Q.dim < Q.ambient_dim:  # a face measured in its own right, not a cell's facet
                calls.append(1)
            return real(Q, *a, **k)

        monkeypatch.setattr(measures, "face_volume", counted)
        doc = fixture_dict(part, sections="cells,faces")
        monkeypatch.setattr(measures, "face_volume", real)
        assert doc["faces"]
        for f in doc["faces"]:
            verts = [[F(x) for x in v] for v in f["vertices"]]
            assert parse_surd(f["volume"]) == Polytope.from_vrep(verts).relative_volume()
        assert (len(calls) == 0) is face_to_face, (part.family, len(calls))
