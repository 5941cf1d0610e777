"""The incremental double-description step of the cutting engine (``cut``, used by the ReLU engine) against cddlib."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from exactgeom.partitions._vcell import VCell, cut, homogeneous, int_row
from exactgeom.partitions._vcell import to_polytope as polytope_of
from exactgeom.polytope.polytope import Polytope

F = Fraction
coef = st.integers(-3, 3)


@st.composite
def cuts(draw, n):
    k = draw(st.integers(1, 5))
    rows = []
    for _ in range(k):
        a = draw(st.lists(coef, min_size=n, max_size=n))
        if not any(a):
            a[0] = 1
        b = F(draw(st.integers(-4, 4)), draw(st.integers(1, 2)))
        rows.append((a, b))
    # sometimes a cut through a box vertex, or a duplicate of an earlier cut
    if draw(st.booleans()):
        a = draw(st.lists(coef, min_size=n, max_size=n))
        if any(a):
            rows.append((a, F(sum(a))))  # through (1, ..., 1)
    if draw(st.booleans()):
        rows.append(rows[0])
    return rows


@given(st.integers(1, 4).flatmap(lambda n: st.tuples(st.just(n), cuts(n))))
def test_cut_matches_cddlib(case):
    n, rows = case
    B = [(-1, 1)] * n
    vp = VCell.from_box(B)
    got = cut(vp, [int_row(a, b) for a, b in rows])
    box = Polytope.box(B)
    A, b, _, _ = box._hrep_rows()
    ref = Polytope._from_h(n, A + [tuple(F(v) for v in a) for a, _ in rows], b + [bb for _, bb in rows])
    if ref.dim < n:
        assert got is None
        return
    assert got is not None
    P = polytope_of(got)
    # the Polytope built without cddlib has the same kind of state as one built by it
    assert set(P.__getstate__()) == set(ref.__getstate__())
    assert P.vertices == ref.vertices
    assert {(h.normal, h.offset) for h in P.facets} == {(h.normal, h.offset) for h in ref.facets}
    assert P.volume() == ref.volume()
    # incidences handed over exactly
    for i, h in enumerate(P.facets):
        assert {v for v in P.vertices if h.slack(v) == 0} == {P.vertices[j] for j in P.facet_vertices(i)}


def test_homogeneous_and_rows():
    assert homogeneous([F(1, 2), F(-1, 3)]) == (6, 3, -2)
    assert int_row([F(1, 2), 1], F(3, 4)) == ((2, 4), 3)
    sq = VCell.from_box([(0, 1), (0, 1)])
    assert cut(sq, [((1, 0), 1)]) is sq  # a valid row changes nothing
    assert cut(sq, [((1, 0), -1)]) is None  # empty
    assert cut(sq, [((1, 0), 0)]) is None  # only the facet x = 0 is left
