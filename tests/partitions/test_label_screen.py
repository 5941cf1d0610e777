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
