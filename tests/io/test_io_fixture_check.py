"""check_fixture stays an independent verification after the speed work (issue 12): one
wrong number in any section of a fixture is found, at its path; the compiled schema
validator answers exactly as the reference validator does."""

from __future__ import annotations

import copy
import json
import re

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactgeom.io.canonical import canonical_json
from exactgeom.io.fixture_complex import complex_available, curvature_available
from exactgeom.io.fixture_load import _compiled_validator, check_fixture, diff_documents, schema, validate_document
from exactgeom.io.fixtures import write_fixture

SQ = [["-1", "1"], ["-1", "1"]]
RELU = {"family": "relu", "weights": [[["1", "1/2"], ["-1", "1"], ["1", "-1"]], [["1", "-1", "1/2"]]],
        "biases": [["0", "1/4", "-1/3"], ["0"]], "domain": SQ,
        "data": [["1/2", "1/2"], ["-1/2", "0"], ["0", "-3/4"]], "labels": [1, 0, 0]}
FULL = complex_available() and curvature_available()


@pytest.fixture(scope="module")
def fixture_doc(tmp_path_factory):
    p = tmp_path_factory.mktemp("fx") / "f.json"
    write_fixture(RELU, p, complex_options={"laplacians": [0, 1]})
    return json.loads(p.read_text())


def _get(doc, path):
    for k in path:
        doc = doc[k]
    return doc


def _set(doc, path, value):
    _get(doc, path[:-1])[path[-1]] = value


def _wrong(v):
    """A different value of the same JSON type (a changed last digit, n+1, not b)."""
    if isinstance(v, bool):
        return not v
    if isinstance(v, int):
        return v + 1
    assert isinstance(v, str), v
    m = list(re.finditer(r"\d", v))[-1]
    d = "2" if m.group() != "2" else "3"
    return v[: m.start()] + d + v[m.end() :]


def _json_path(path):
    return "$" + "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in path)


# (JSON path of one stored number): every section of the document
WRONG_NUMBERS = [
    ("domain", "volume"),
    ("domain", "vertices", 1, 0),
    ("partition", "volume_sum"),
    ("partition", "n_faces"),
    ("cells", 1, "hrep", "b", 0),
    ("cells", 1, "hrep", "A", 0, 1),
    ("cells", 1, "vertices", 0, 1),
    ("cells", 1, "volume"),
    ("cells", 1, "centroid", 0),
    ("cells", 1, "facet_volumes", 1),
    ("cells", 1, "angles", 0, "cos"),
    ("cells", 1, "angles", 0, "radians", 0),
    ("cells", 1, "angles", 0, "degrees", 1),
    ("cells", 1, "output_affine", "c", 0),
    ("cells", 2, "n_data"),
    ("faces", 0, "offset"),
    ("faces", 0, "normal", 0),
    ("faces", 0, "vertices", 0, 0),
    ("faces", 0, "volume"),
    ("faces", 0, "squared_volume"),
    ("faces", 0, "area_vector", 1),
]
WRONG_COMPLEX = [
    ("complex", "f_vector", 0),
    ("complex", "betti", 0),
    ("complex", "euler_characteristic"),
    ("complex", "measures", 0, 0),
    ("complex", "measures", 1, 0),
    ("complex", "boundary", 0, "entries", 0, 2),
    ("complex", "laplacians", 0, "entries", 0, 2),
    ("complex", "laplacians", 1, "entries", 0, 2),
    ("complex", "laplacians", 0, "spectrum", "eigenvalues", -1, 1),
    ("complex", "laplacians", 0, "spectrum", "kernel_dim"),
    ("complex", "laplacians", 1, "spectrum", "eigenvalues", 0, 0),
    ("curvature", "vertex_curvature", 0),
    ("curvature", "gauss_bonnet", "sum"),
    ("curvature", "angle_defects", 0, "radians", 1),
    ("curvature", "ricci", "edges", 0, "value"),
]


@pytest.mark.parametrize("path", WRONG_NUMBERS + (WRONG_COMPLEX if FULL else []), ids=_json_path)
def test_check_finds_one_wrong_number_in_every_section(tmp_path, fixture_doc, path):
    doc = copy.deepcopy(fixture_doc)
    path = tuple(len(_get(doc, path[:k])) + p if isinstance(p, int) and p < 0 else p for k, p in enumerate(path))
    _set(doc, path, _wrong(_get(doc, path)))
    q = tmp_path / "t.json"
    q.write_text(canonical_json(doc), encoding="ascii")
    r = check_fixture(q)
    assert not r.ok
    assert _json_path(path) in {d.path for d in r.differences}, r.report(limit=None)


def test_check_of_the_untouched_document_is_ok(tmp_path, fixture_doc):
    q = tmp_path / "t.json"
    q.write_text(canonical_json(fixture_doc), encoding="ascii")
    r = check_fixture(q)
    assert r.ok and not r.problems, r.report()


def test_a_non_canonical_string_is_still_named_as_a_problem(tmp_path, fixture_doc):
    doc = copy.deepcopy(fixture_doc)
    doc["faces"][0]["offset"] = "0/3" if doc["faces"][0]["offset"] == "0" else "2/2"
    q = tmp_path / "t.json"
    q.write_text(canonical_json(doc), encoding="ascii")
    r = check_fixture(q)
    assert [d.path for d in r.differences] == ["$.faces[0].offset"]
    assert any("cannot read the stored values" in p and "$.faces[0].offset" in p for p in r.problems), r.report()


def _mutations(doc):
    """Documents violating the schema in different ways (and one valid copy)."""
    out = [copy.deepcopy(doc)]
    for path, value in [
        (("cells", 0, "volume"), 0.5),  # type
        (("cells", 0, "volume"), "1/x"),  # pattern
        (("cells", 0, "volume"), "2/4\n"),  # pattern, trailing newline
        (("faces", 0, "normal", 0), "1.0"),  # pattern
        (("format",), "other"),  # const
        (("version",), 2),  # const
        (("partition", "n_cells"), -1),  # minimum
        (("cells", 0, "angles", 0, "radians"), ["0"]),  # enclosure length
        (("cells", 0, "colour"), "red"),  # additional property
        (("options", "digits"), True),  # a bool is not an integer
        (("sections",), ["cells", "cells"]),  # uniqueItems
    ]:
        d = copy.deepcopy(doc)
        _set(d, path, value)
        out.append(d)
    for key in ("domain", "partition", "model"):
        d = copy.deepcopy(doc)
        del d[key]
        out.append(d)
    return out


@pytest.mark.skipif(_compiled_validator() is None, reason="jsonschema_rs not installed")
def test_compiled_validator_agrees_with_the_reference(fixture_doc):
    ref = jsonschema.Draft202012Validator(schema())
    fast = _compiled_validator()
    n_invalid = 0
    for d in _mutations(fixture_doc):
        errs = sorted(f"{_json_path(list(e.absolute_path))}: {e.message}" for e in ref.iter_errors(d))
        # the compiled validator's "valid" is only trusted when the reference agrees; a
        # document it rejects is reported with the reference's messages (or none at all:
        # Python's '$' also matches before a trailing newline, Rust's does not)
        assert not (fast.is_valid(d) and errs), errs[:1]
        assert sorted(validate_document(d)) == errs
        n_invalid += bool(errs)
    assert n_invalid >= 12


# ---------------------------------------------------------------------------- progress bars


def test_fixture_and_check_progress_bars_show_totals(tmp_path, capsys):
    from exactgeom.io.model_files import read_model

    spec = read_model(RELU)
    P = spec.build()
    p = tmp_path / "f.json"
    doc = write_fixture(spec, p, partition=P, progress=True)
    err = capsys.readouterr().err
    n_sections = len([s for s in doc["sections"] if s != "angles"])
    assert "fixture sections" in err and f"0/{n_sections}" in err
    assert "fixture: cells" in err and f"0/{P.n_cells}" in err
    assert "fixture: shared faces" in err and f"0/{len(P.adjacency())}" in err
    if FULL:
        n_edges = len(doc["complex"]["simplices"][1])
        assert "complex: 1-simplex volumes" in err and f"0/{n_edges}" in err
        assert "Ollivier-Ricci" in err
    assert check_fixture(p, progress=True).ok
    err = capsys.readouterr().err
    assert "fixture sections" in err and f"0/{n_sections}" in err and f"0/{P.n_cells}" in err
    write_fixture(spec, tmp_path / "g.json", partition=P, progress=False)
    assert check_fixture(p, progress=False).ok
    assert "fixture" not in capsys.readouterr().err


@pytest.mark.skipif(not complex_available(), reason="complex layer not installed")
def test_complex_build_and_measure_progress_bars_show_totals(capsys):
    from exactgeom import voronoi
    from exactgeom.complex import RiemannianComplex

    # a Voronoi diagram: three cells meet at each vertex, so there are 2-simplices
    P = voronoi([[0, 0], [1, 0], [0, 1], [1, 1], ["1/2", "1/3"]], [(-1, 2), (-1, 2)])
    K = RiemannianComplex.from_partition(P, progress=True)
    err = capsys.readouterr().err
    assert K.f_vector() == (5, 8, 4)
    assert "complex: 2-simplices" in err and "0/4 " in err  # 4 candidate triangles, all kept
    K.measure(0), K.measure(1)
    err = capsys.readouterr().err
    assert "complex: cell volumes" in err and f"0/{P.n_cells}" in err
    assert "complex: 1-simplex volumes" in err and f"0/{len(K.simplices(1))}" in err
    Q = RiemannianComplex.from_partition(P, progress=False)
    Q.measure(1)
    assert "complex" not in capsys.readouterr().err
    assert Q.measure(1) == K.measure(1)


def test_progress_argument_is_checked(tmp_path):
    from exactgeom import InvalidInputError
    from exactgeom.io.fixtures import fixture_dict

    p = tmp_path / "f.json"
    write_fixture(RELU, p, sections="cells")
    with pytest.raises(InvalidInputError, match="progress must be"):
        fixture_dict(RELU, sections="cells", progress="yes")
    with pytest.raises(InvalidInputError, match="progress must be"):
        check_fixture(p, progress=1)
    if complex_available():
        from exactgeom.complex import RiemannianComplex

        with pytest.raises(InvalidInputError, match="progress must be"):
            RiemannianComplex.from_partition(read_model_relu(), progress="auto")


def read_model_relu():
    from exactgeom.io.model_files import read_model

    return read_model(RELU).build()


_json_leaves = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.floats(-2, 2, allow_nan=False), st.sampled_from(["1", "1/2", "", "x"]))
_json_trees = st.recursive(
    _json_leaves,
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.sampled_from(["a", "b", "c"]), kids, max_size=3),
    max_leaves=25,
)


def _twin(x, flips):
    """``x`` with some leaves replaced by equal values of another type (True -> 1,
    1 -> 1.0, 0.0 -> False, ...), which == does not tell apart."""
    if isinstance(x, dict):
        return {k: _twin(v, flips) for k, v in x.items()}
    if isinstance(x, list):
        return [_twin(v, flips) for v in x]
    if isinstance(x, (bool, int, float)) and x in (0, 1) and next(flips):
        return {bool: int, int: float, float: bool}[type(x)](x)
    return x


@given(_json_trees, _json_trees, st.lists(st.booleans(), min_size=1))
@settings(max_examples=400, deadline=None)
def test_diff_documents_fast_path_misses_nothing(a, b, flips):
    """diff_documents answers "no difference" without walking paths only when the walk
    would find none: True vs 1 vs 1.0 (equal under ==), lists vs dicts, lengths and keys
    all count."""
    import itertools

    from exactgeom.io.fixture_load import Difference, _diff

    for other in (b, _twin(a, itertools.cycle(flips)), copy.deepcopy(a)):
        walked: list[Difference] = []
        _diff(a, other, "$", walked)
        assert [str(d) for d in diff_documents(a, other)[0]] == [str(d) for d in walked]
