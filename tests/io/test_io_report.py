"""The readable summary of the main job (exactgeom.io.report)."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from exactgeom.io.model_files import read_model
from exactgeom.io.report import approx, exact_short, key_label, summarise, summary_text
from exactgeom.numbers.surd import Surd

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


# ---------------------------------------------------------------------- sharpest angles
_cosines = st.sampled_from([0, 1, -1, Fraction(1, 2), Fraction(-1, 2), Fraction(1, 3)]).flatmap(
    lambda c: st.sampled_from([Surd(c), Surd(c, 2), Surd(c, 3), Surd(Fraction(c) / 2, 2), Surd(Fraction(c) / 2, 3)])
).filter(lambda s: s.signed_square() <= 1 and s.signed_square() >= -1)


@settings(max_examples=60, deadline=None)
@given(st.lists(_cosines, max_size=25), st.integers(0, 8))
def test_sharpest_equals_the_full_exact_sort(cosines, n):
    """The float-pruned top-n equals the first n of a full sort by exact angle
    comparison (ties by cell, facets), including ties and equal angles."""
    from exactgeom.io.report import AngleLine, _sharpest
    from exactgeom.numbers.angle import Angle

    lines = [AngleLine(i // 3, (i % 3, i % 3 + 1), Angle(c)) for i, c in enumerate(cosines)]
    import functools

    def cmp(x, y):
        if x.angle == y.angle:
            return -1 if (x.cell, x.facets) < (y.cell, y.facets) else 1
        return -1 if x.angle < y.angle else 1

    assert _sharpest(lines, n) == sorted(lines, key=functools.cmp_to_key(cmp))[:n]
