"""cddlib .ine/.ext writers and readers."""

from __future__ import annotations

import json
import shutil
import subprocess
from fractions import Fraction

import pytest
from hypothesis import given

from exactgeom import InvalidInputError, Polytope, arrangement
from exactgeom.io.cddfiles import (
    export_partition,
    ext_to_polytope,
    hrep_to_ine,
    ine_to_polytope,
    polytope_to_ext,
    polytope_to_ine,
    read_cdd,
    write_ext,
    write_ine,
)
from exactgeom.strategies.polytopes import rational_polytopes


@given(rational_polytopes(dim=3))
def test_round_trip_through_both_files(P):
    ine, ext = polytope_to_ine(P, name="p"), polytope_to_ext(P)
    Q = ine_to_polytope(ine)
    assert Q == P and Q.facets == P.facets  # the cdd backend re-reads the H-rep identically
    assert ext_to_polytope(ext) == P
    m = read_cdd(ine)
    assert m.representation == "H" and m.dim == 3 and len(m.rows) == len(P.facets) + len(P.equalities)
    # row k+1 of the file is facet k: b - a.x >= 0
    for h, row in zip(P.facets, m.rows):
        assert row == (h.offset, *(-Fraction(a) for a in h.normal))


@given(rational_polytopes(dim=2, full_dimensional=False))
def test_lower_dimensional_polytopes_use_linearity(P):
    ine = polytope_to_ine(P)
    m = read_cdd(ine)
    assert len(m.linearity) == len(P.equalities)
    if P.equalities:
        assert f"linearity {len(P.equalities)} " in ine
    assert ine_to_polytope(ine) == P


def test_write_and_read_files(tmp_path):
    P = Polytope.from_vrep([[0, 0], ["1/2", 0], [0, "1/3"]])
    a, b = write_ine(P, tmp_path / "t.ine"), write_ext(P, tmp_path / "t.ext")
    assert ine_to_polytope(a) == P and ext_to_polytope(b) == P
    assert "rational" in a.read_text() and a.read_text().endswith("end\n")
    assert hrep_to_ine([[1, 0]], ["1/2"], ambient_dim=2).count("\n") == 5


def test_export_partition(tmp_path):
    P = arrangement([[1, 1]], [0], [(-1, 1), (-1, 1)])
    paths = export_partition(P, tmp_path / "out")
    names = sorted(p.name for p in paths)
    assert names == ["cell_0.ext", "cell_0.ine", "cell_1.ext", "cell_1.ine", "domain.ext", "domain.ine", "index.json"]
    idx = json.loads((tmp_path / "out" / "index.json").read_text())
    assert [c["key"] for c in idx["cells"]] == [[-1], [1]]
    for c in P.cells:
        assert ine_to_polytope(tmp_path / "out" / idx["cells"][c.index]["ine"]) == c.polytope
        assert ext_to_polytope(tmp_path / "out" / idx["cells"][c.index]["ext"]) == c.polytope


@pytest.mark.skipif(shutil.which("scdd_gmp") is None, reason="cddlib's scdd_gmp (Debian libcdd-tools) not installed")
def test_cddlib_itself_reads_our_ine_files(tmp_path):
    """An independent oracle: cddlib's own program converts our .ine to the same vertices."""
    P = Polytope.from_hrep([[1, 1, 1], [-1, 0, 0], [0, -1, 0], [0, 0, -1], [1, -2, 0]], ["3/2", 0, 0, 0, "1/3"])
    f = write_ine(P, tmp_path / "p.ine")
    subprocess.run(["scdd_gmp", str(f)], cwd=tmp_path, check=True, capture_output=True)
    got = read_cdd(tmp_path / "p.ext")
    assert sorted(r[1:] for r in got.rows) == sorted(P.vertices)
    assert ext_to_polytope(tmp_path / "p.ext") == P


BAD = [
    ("no begin", "H-representation\n 1 2 rational\n", "no 'begin'"),
    ("size line", "begin\n 1 rational\nend\n", "m n numbertype"),
    ("bad size", "begin\n a 2 rational\nend\n", "bad size"),
    ("number type", "begin\n 1 2 complex\n 1 1\nend\n", "number type"),
    ("entries", "begin\n 1 3 rational\n 1 2\nend\n", "expected 3 entries"),
    ("too few rows", "begin\n 2 2 rational\n 1 1\nend\n", "2 rows announced"),
    ("no end", "begin\n 1 2 rational\n 1 1\nfoo\n", "expected 'end'"),
    ("not a number", "begin\n 1 2 rational\n 1 x\nend\n", "not a rational"),
    ("linearity", "linearity 2 1\nbegin\n 1 2 rational\n 1 1\nend\n", "announces 2"),
    ("linearity range", "linearity 1 3\nbegin\n 1 2 rational\n 1 1\nend\n", "out of range"),
]


@pytest.mark.parametrize("name, text, match", BAD, ids=[b[0] for b in BAD])
def test_reader_errors(name, text, match):
    with pytest.raises(InvalidInputError, match=match):
        read_cdd(text)


def test_reader_misc_errors(tmp_path):
    with pytest.raises(InvalidInputError, match="does not exist"):
        read_cdd(tmp_path / "none.ine")
    with pytest.raises(InvalidInputError, match="H-representation"):
        ine_to_polytope("V-representation\nbegin\n 1 2 rational\n 1 0\nend\n")
    with pytest.raises(InvalidInputError, match="rays"):
        ext_to_polytope("V-representation\nbegin\n 1 2 rational\n 0 1\nend\n")
    with pytest.raises(InvalidInputError, match="ambient_dim"):
        hrep_to_ine([], [])
    # integer and real number types are read exactly
    m = read_cdd("H-representation\nbegin\n 1 2 real\n 0.5 -1\nend\n")
    assert m.rows == ((Fraction(1, 2), Fraction(-1)),) and m.number_type == "real"
