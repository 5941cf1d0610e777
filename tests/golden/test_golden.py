"""Golden files: the shipped fixture corpus (exactgeom/data/fixtures) and a cddlib export.

Regenerate on purpose only: ``python -m exactgeom.io.corpus`` (the message of a failing
test says so).  A package-version bump changes ``provenance.package_version`` in every
fixture and therefore needs a regeneration too.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest

from exactgeom import Surd
from exactgeom.io.cddfiles import polytope_to_ext, polytope_to_ine
from exactgeom.io.corpus import CORPUS, FIXTURE_DIR, corpus_model, corpus_names, corpus_text, fixture_path
from exactgeom.io.fixture_load import check_fixture, load_fixture, validate_document

HERE = Path(__file__).resolve().parent
REGEN = "regenerate on purpose with: python -m exactgeom.io.corpus"


def test_corpus_is_complete():
    shipped = sorted(p.stem for p in FIXTURE_DIR.glob("*.json"))
    assert shipped == sorted(CORPUS), REGEN
    must = {"cube", "split_cube", "simplex", "crossing_lines", "decision_tree", "voronoi", "relu_tiny",
            "degenerate_duplicate", "degenerate_corner", "degenerate_dead_relu"}
    assert must <= set(CORPUS)


@pytest.mark.parametrize("name", corpus_names())
def test_regenerating_gives_the_shipped_bytes(name):
    shipped = fixture_path(name).read_bytes()
    assert corpus_text(name).encode("ascii") == shipped, f"{name}: regenerated fixture differs; {REGEN}"


@pytest.mark.parametrize("name", corpus_names())
def test_shipped_fixture_is_valid_and_checks(name):
    path = fixture_path(name)
    assert validate_document(json.loads(path.read_text())) == []
    r = check_fixture(path)
    assert r.ok, r.report()


def _cells(name):
    return load_fixture(fixture_path(name))


def test_closed_forms_in_the_corpus():
    cube = _cells("cube")
    c = cube.cells[0]
    assert c.volume == 1 and len(c.angles) == 12 and all(a.exact_pi_multiple() == Fraction(1, 2) for a in c.angles.values())
    assert c.facet_volumes == (Surd(1),) * 6
    split = _cells("split_cube")
    assert [c.volume for c in split.cells] == [Fraction(1, 2)] * 2
    assert split.faces[0].volume == Surd(Fraction(3, 4), 3)  # regular hexagon of side sqrt(2)/2
    assert len(split.faces[0].vertices) == 6
    simplex = _cells("simplex")
    assert [c.volume for c in simplex.cells] == [Fraction(1, 12)] * 2
    cross = _cells("crossing_lines")
    assert [c.volume for c in cross.cells] == [1] * 4
    assert cross.complex["f_vector"] == (4, 4) and cross.complex["betti"] == (1, 1)
    dup = _cells("degenerate_duplicate")
    assert [c.volume for c in dup.cells] == [2, Fraction(7, 8), Fraction(9, 8)]
    corner = _cells("degenerate_corner")
    assert [c.key for c in corner.cells] == [(-1, -1), (-1, 1)] and corner.faces[0].volume == Surd(1, 2)
    dead = _cells("degenerate_dead_relu")
    assert all(c.key[0][0] == 0 and c.key[0][1] == 1 for c in dead.cells)  # dead unit off, constant unit on
    for name in ("relu_tiny", "relu_3d", "voronoi", "decision_tree", "refine", "argmax"):
        fx = _cells(name)
        assert sum(c.volume for c in fx.cells) == fx.domain.volume()
        if fx.curvature is not None:
            assert all(d["is_zero"] for d in fx.curvature["angle_defects"])  # flat space
            gb = fx.document["curvature"]["gauss_bonnet"]
            assert Fraction(gb["sum"]) == gb["euler_characteristic"]


def test_cdd_export_golden_files():
    P = corpus_model("split_cube").build()
    c = P.cells[0]
    name = "split_cube cell 0, key [-1]"
    assert polytope_to_ine(c.polytope, name=name) == (HERE / "split_cube_cell0.ine").read_text()
    assert polytope_to_ext(c.polytope, name=name) == (HERE / "split_cube_cell0.ext").read_text()
