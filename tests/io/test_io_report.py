"""The readable summary of the main job (exactgeom.io.report)."""

from __future__ import annotations

from fractions import Fraction

from exactgeom.io.model_files import read_model
from exactgeom.io.report import approx, exact_short, key_label, summarise, summary_text

NET = {"family": "relu", "weights": [[["1", "1/2"], ["-1", "1"], ["1", "-1"], ["1/3", "1"]], [["1", "-1", "1/2", "1"]]],
       "biases": [["0", "1/4", "-1/3", "1/5"], ["0"]], "domain": [["-1", "1"], ["-1", "1"]],
       "data": [["1/2", "1/2"], ["-1/2", "0"], ["0", "-3/4"]], "labels": [1, 0, 0]}


def test_summary_numbers_against_brute_force():
    spec = read_model(NET)
    P = spec.build()
    s = summarise(P, spec, n_smallest=4, n_angles=5)
    assert s.n_cells == P.n_cells and s.n_faces == len(P.adjacency()) and s.volume_ok and s.check_ok
    vols = sorted((c.volume(), c.index) for c in P.cells)
    assert [c.index for c in s.smallest] == [i for _, i in vols[:4]]
    angles = sorted(a for c in P.cells for a in c.polytope.dihedral_angles().values())
    assert [a.angle for a in s.sharpest] == angles[:5]
    # the pruned inradius search finds the same thinnest cells as solving every cell
    radii = sorted((c.polytope.chebyshev_ball().radius_enclosure.mid, c.index) for c in P.cells)
    assert [t[0] for t in s.thinnest] == [i for _, i in radii[:4]]
    assert sum(c.n_data for c in s.cells) == 3


def test_summary_text_is_readable():
    spec = read_model(NET)
    text = summary_text(summarise(spec.build(), spec))
    for phrase in ("cells", "adjacencies", "volume check", "OK", "smallest cells", "sharpest dihedral angles",
                   "thinnest cells", "All cells", "degrees"):
        assert phrase in text
    assert max(len(line) for line in text.splitlines()) < 160


def test_helpers():
    assert approx(Fraction(2, 3)) == "0.666667" and approx(Fraction(-1, 8), 2) == "-0.13"
    assert exact_short(Fraction(1, 7)) == "1/7" and exact_short(Fraction(10**30, 7)) == "(31/1-digit fraction)"
    assert key_label(((1, 0), (0,))) == "10|0" and key_label("leaf") == "leaf" and key_label((1, -1)) == "[1, -1]"
