"""Hypothesis strategies for ReLU networks with exact rational weights and for rational
data points in a domain, degenerate on purpose (zero rows, duplicate and dead units,
hyperplanes through domain corners) so that exact ground truth covers the hard cases.

>>> from hypothesis import given, settings
>>> from exactgeom.partitions.relu import relu_network
>>> @settings(max_examples=3, database=None)
... @given(relu_networks(n_in=2, max_width=3, max_depth=2))
... def test(net):
...     assert relu_network(net, None, [(-1, 1), (-1, 1)]).check().ok
>>> test()
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

from ..partitions.partition import as_domain
from ..partitions.relu import ReLUNetwork

__all__ = ["relu_networks", "data_points", "small_rationals"]


def small_rationals(max_num: int = 4, max_den: int = 3) -> st.SearchStrategy[Fraction]:
    """Rationals ``p/q`` with ``|p| <= max_num`` and ``1 <= q <= max_den``."""
    return st.builds(Fraction, st.integers(-max_num, max_num), st.integers(1, max_den))


@st.composite
def _layer(
    draw: Any, n_prev: int, width: int, degenerate: bool, corners: list[tuple[Fraction, ...]] | None
) -> tuple[list[list[Fraction]], list[Fraction]]:
    W: list[list[Fraction]] = []
    b: list[Fraction] = []
    q = small_rationals(4, 3)
    qb = small_rationals(2, 3)
    for _ in range(width):
        kind = draw(st.sampled_from(["plain"] * 4 + (["zero", "dup", "dead", "corner"] if degenerate else [])))
        if kind == "dup" and W:
            j = draw(st.integers(0, len(W) - 1))
            scale = draw(st.sampled_from([Fraction(1), Fraction(2), Fraction(1, 2), Fraction(-1)]))
            W.append([scale * v for v in W[j]])
            b.append(scale * b[j])
            continue
        if kind == "zero":
            W.append([Fraction(0)] * n_prev)
            b.append(draw(qb))
            continue
        row = draw(st.lists(q, min_size=n_prev, max_size=n_prev))
        if kind == "dead":
            # pre-activation <= 0 on the whole domain: non-positive weights on the
            # non-negative hidden inputs, or a bias below -sum|w|·max|x| on the first layer
            row = [-abs(v) for v in row]
            bound = max((abs(v) for c in corners for v in c), default=Fraction(0)) if corners else Fraction(0)
            b.append(-draw(st.integers(0, 3)) - sum(abs(v) for v in row) * bound)
        elif kind == "corner" and corners is not None:
            c = draw(st.sampled_from(corners))
            b.append(-sum((w * x for w, x in zip(row, c)), Fraction(0)))
        else:
            b.append(draw(qb))
        W.append(row)
    return W, b


@st.composite
def relu_networks(
    draw: Any,
    n_in: int | st.SearchStrategy[int] = st.integers(1, 3),
    max_width: int = 4,
    max_depth: int = 3,
    degenerate: bool = True,
    min_width: int = 1,
    n_out: int = 1,
    corner_box: Any = ((-1, 1),),
) -> ReLUNetwork:
    """Small ReLU networks with exact rational weights.

    Parameters
    ----------
    n_in : int or strategy
        Input dimension (default 1–3).
    max_width, max_depth, min_width : int
        Hidden widths min_width..max_width, 1..max_depth hidden layers.
    degenerate : bool
        Mix in zero weight rows, duplicate units (positive or negative multiples of an
        earlier unit: the same hyperplane), dead units (non-positive weights and bias,
        so never active on non-negative inputs) and first-layer hyperplanes through a
        corner of ``corner_box``.
    n_out : int
        Output width (the affine last layer).
    corner_box : sequence of (lo, hi)
        The box whose corners the "corner" units pass through (one pair is repeated to
        the input dimension); the default is ``[-1, 1]^n``.
    """
    n = draw(n_in) if isinstance(n_in, st.SearchStrategy) else int(n_in)
    depth = draw(st.integers(1, max_depth))
    pairs = list(corner_box)
    if len(pairs) < n:
        pairs = pairs + [pairs[-1]] * (n - len(pairs))
    from itertools import product

    corners = [tuple(Fraction(v) for v in c) for c in product(*[(Fraction(lo), Fraction(hi)) for lo, hi in pairs[:n]])]
    corners.append(tuple(Fraction(lo + hi) / 2 for lo, hi in pairs[:n]))
    weights = []
    biases = []
    prev = n
    for l in range(depth):
        width = draw(st.integers(min_width, max_width))
        W, b = draw(_layer(prev, width, degenerate, corners if l == 0 else None))
        weights.append(W)
        biases.append(b)
        prev = width
    q = small_rationals()
    weights.append(draw(st.lists(st.lists(q, min_size=prev, max_size=prev), min_size=n_out, max_size=n_out)))
    biases.append(draw(st.lists(q, min_size=n_out, max_size=n_out)))
    return ReLUNetwork(weights, biases)


@st.composite
def data_points(
    draw: Any, domain: Any, min_size: int = 1, max_size: int = 20, max_den: int = 4, vertices: bool = True
) -> list[tuple[Fraction, ...]]:
    """Rational points inside ``domain`` (a box list or a Polytope): convex combinations
    of its vertices with small-denominator weights, so points land on cell boundaries,
    on domain facets and (with ``vertices=True``) on domain vertices often."""
    D = as_domain(domain)
    V = D.vertices
    k = len(V)
    n = D.ambient_dim

    @st.composite
    def one(draw2: Any) -> tuple[Fraction, ...]:
        if vertices and draw2(st.integers(0, 9)) == 0:
            return draw2(st.sampled_from(V))
        w = draw2(st.lists(st.integers(0, max_den), min_size=k, max_size=k))
        if sum(w) == 0:
            w[0] = 1
        s = sum(w)
        return tuple(sum((Fraction(wi, s) * v[j] for wi, v in zip(w, V)), Fraction(0)) for j in range(n))

    return draw(st.lists(one(), min_size=min_size, max_size=max_size))
