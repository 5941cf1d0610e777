"""The "mixed" screen of LP cell labels (exactgeom.partitions.labels._CellLP.negative_point):
a float LP proposes a point, exact arithmetic checks it. It may only answer True when the
cell really has a point with a·x + d < 0 (checked against the minimum over the cell's
vertices), and the LP labels with the screen equal the vertex labels."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from exactgeom import Polytope
from exactgeom.partitions.labels import MIXED, _CellLP, affine_label

F = Fraction
small = st.fractions(min_value=-3, max_value=3, max_denominator=7)


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 4), st.data())
def test_negative_point_is_only_claimed_when_true(n, data):
    # a random polytope: a box cut by random half-spaces through points near its centre
    box = [(F(-1), F(data.draw(st.integers(1, 3)))) for _ in range(n)]
    A = [[data.draw(small) for _ in range(n)] for _ in range(data.draw(st.integers(0, 4)))]
    b = [data.draw(st.fractions(min_value=F(1, 8), max_value=2, max_denominator=9)) for _ in A]
    rows = [[F(int(i == j)) for j in range(n)] for i in range(n)] + [[F(-int(i == j)) for j in range(n)] for i in range(n)]
    rhs = [hi for _, hi in box] + [-lo for lo, _ in box]
    P = Polytope.from_hrep(A + rows, b + rhs, ambient_dim=n)
    if P.is_empty or P.dim < n:
        return
    a = [data.draw(small) for _ in range(n)]
    d = data.draw(small)
    lowest = min(sum((x * y for x, y in zip(a, v)), F(0)) + d for v in P.vertices)
    if _CellLP(P).negative_point(a, d):
        assert lowest < 0
    if lowest < -1 and any(a):  # clearly negative somewhere: the float proposal finds a point
        assert _CellLP(P).negative_point(a, d)


def test_screen_labels_equal_vertex_labels_on_a_cube():
    C = Polytope.box([(0, 1)] * 3)
    cases = [([[1, 1, 1]], ["-1"]), ([[1, 1, 1]], ["-4"]), ([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [0, 0, 0]),
             ([[1, 0, 0], [0, 0, 0]], [2, 0]), ([[0, 0, 1], [1, 0, 0]], ["1/2", 0])]
    for J, c in cases:
        assert affine_label(J, c, C, method="lp") == affine_label(J, c, C, method="vertices")
    assert affine_label([[1, 1, 1]], ["-1"], C, method="lp") == MIXED


def _oracle_label(J, c, P):
    """The label from the definition, in Fractions: the extremes of each affine function
    over the cell are attained at its vertices."""
    vals = [[sum((F(a) * x for a, x in zip(row, v)), F(0)) + F(ci) for row, ci in zip(J, c)] for v in P.vertices]
    if len(J) == 1:
        pos, neg = max(r[0] for r in vals) > 0, min(r[0] for r in vals) < 0
        return MIXED if pos and neg else (1 if pos else 0)
    centre = [sum(col, F(0)) / len(vals) for col in zip(*vals)]  # the outputs at the vertex mean
    j = max(range(len(J)), key=lambda k: (centre[k], -k))
    ok = all(min(r[j] - r[l] for r in vals) >= 0 for l in range(len(J)) if l != j)
    return j if ok else MIXED


huge = st.fractions(min_value=-3, max_value=3, max_denominator=10**30)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 3), st.integers(1, 3), st.data())
def test_vertex_labels_in_integers_equal_the_fraction_definition(n, k, data):
    # the vertex route evaluates in integers over the cell's common denominator; the
    # oracle in Fractions, on cells and outputs with denominators up to 10^30
    lo = [data.draw(huge) for _ in range(n)]
    box = [(x, x + data.draw(st.fractions(min_value=F(1, 10**20), max_value=2, max_denominator=10**25))) for x in lo]
    cut = [data.draw(huge) for _ in range(n)]
    P = Polytope.box(box)
    if any(cut):
        Q = Polytope.from_hrep(
            [cut] + [[F(int(i == j)) for j in range(n)] for i in range(n)] + [[F(-int(i == j)) for j in range(n)] for i in range(n)],
            [sum((a * (l + h) / 2 for a, (l, h) in zip(cut, box)), F(0))] + [h for _, h in box] + [-l for l, _ in box],
            ambient_dim=n,
        )
        if not Q.is_empty and Q.dim == n:
            P = Q
    J = [[data.draw(huge) for _ in range(n)] for _ in range(k)]
    c = [data.draw(huge) for _ in range(k)]
    want = _oracle_label(J, c, P)
    got = affine_label(J, c, P, method="vertices")
    if k == 1 or want != MIXED or got != MIXED:
        assert got == want
    else:  # vector "mixed": both agree (the class at an interior point may differ, the verdict not)
        assert got == MIXED
