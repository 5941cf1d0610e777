"""The integer helpers of :func:`exactgeom.analysis.curvature.angle_defects` against
plain exact computations (hypothesis): the modular facet filter never drops a cell
with a facet hyperplane containing the flat, its exact values are the integer
formulas, and the sweep that cuts a line into pieces gives the configurations of the
direct per-gap test it replaced."""

from __future__ import annotations

from fractions import Fraction
from itertools import pairwise

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from exactgeom.analysis.defect_filters import _FacetResidues, _flat_columns
from exactgeom.analysis.flats import _line_groups, _scaled
from exactgeom.strategies.polytopes import rational_polytopes


def _contains(h, X0, e0, dirs):
    a, on, od = h.normal, h.offset.numerator, h.offset.denominator
    beta = on * e0 - od * sum(x * y for x, y in zip(a, X0))
    return beta == 0 and all(sum(x * y for x, y in zip(a, D)) == 0 for D in dirs)


@given(st.lists(rational_polytopes(3, 8, kind="vrep"), min_size=1, max_size=4), st.data())
def test_facet_filter_keeps_every_cell_whose_facet_plane_holds_the_flat(polys, data):
    """A line through two vertices of a facet lies in that facet's hyperplane: the
    cell must be a candidate; every cell with such a facet (exactly) is one."""
    ci = data.draw(st.integers(0, len(polys) - 1))
    P = polys[ci]
    fi = data.draw(st.integers(0, P.n_facets - 1))
    vs = P.facet_vertices(fi)
    u, v = (P.vertices[i] for i in vs[:2])
    X0, e0 = _scaled(u)
    D, _ = _scaled([b - a for a, b in zip(u, v)])
    res = _FacetResidues(polys, 3)
    near = np.ones(len(polys), dtype=bool)
    cand = res.candidates(near, X0, e0, [D])
    exact = [c for c, Q in enumerate(polys) if any(_contains(h, X0, e0, [D]) for h in Q.facets)]
    assert ci in exact
    assert set(exact) <= set(cand)
    # the exact values of the rows: β and −od·(a·D) per facet
    V = _flat_columns(X0, e0, [D])
    for c in cand:
        vals = [int(x) for x in res.values(c, V)]
        want = []
        for h in polys[c].facets:
            a, on, od = h.normal, h.offset.numerator, h.offset.denominator
            want += [on * e0 - od * sum(x * y for x, y in zip(a, X0)), -od * sum(x * y for x, y in zip(a, D))]
        assert vals == want
    # a cell left out of `near` is never a candidate
    near[ci] = False
    assert ci not in res.candidates(near, X0, e0, [D])


def _old_line_groups(span, ridge_ids):
    brk = sorted({t for s in span.values() for t in s})
    groups = []
    for ta, tb in pairwise(brk):
        mid = (ta + tb) / 2
        conf = frozenset(ci for ci, (s0, s1) in span.items() if s0 <= mid <= s1)
        if not conf & ridge_ids:
            continue
        if groups and groups[-1][0] == conf and groups[-1][2] == ta:
            groups[-1] = (conf, groups[-1][1], tb)
        else:
            groups.append((conf, ta, tb))
    return groups


ends = st.fractions(min_value=-5, max_value=5, max_denominator=6)


@given(st.lists(st.tuples(ends, ends), min_size=1, max_size=9), st.data())
def test_line_sweep_equals_the_per_gap_test(intervals, data):
    span = {3 * i + 1: (min(a, b), max(a, b)) for i, (a, b) in enumerate(intervals)}
    ridge_ids = set(data.draw(st.sets(st.sampled_from(sorted(span)))))
    got = _line_groups(span, ridge_ids)
    assert got == _old_line_groups(span, ridge_ids)
    assert all(isinstance(t, Fraction) for _, ta, tb in got for t in (ta, tb))
