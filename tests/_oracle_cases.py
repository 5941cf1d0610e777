"""Shared helpers of the oracle tests (``tests/*/test_oracle_*.py``): pairing the
package's cells with the oracle's, and hypothesis strategies for data points."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import strategies as st

F = Fraction


def in_order(P, ocells):
    """The oracle cells in the order of the partition ``P``'s cells (same keys)."""
    by_key = {c.key: c for c in ocells}
    assert set(by_key) == {c.key for c in P.cells}
    return [by_key[c.key] for c in P.cells]


def coordinate(lo, hi, steps=8, max_denominator=7):
    """A rational in ``[lo, hi]``: often on the grid of ``steps`` equal parts (so on cell
    boundaries, where the tie rules matter), else random with small denominators."""
    grid = st.sampled_from([F(lo) + (F(hi) - F(lo)) * F(k, steps) for k in range(steps + 1)])
    return st.one_of(grid, st.fractions(min_value=lo, max_value=hi, max_denominator=max_denominator))


def points(dom, min_size=1, max_size=5, **kw):
    """Lists of points in the box ``dom``."""
    return st.lists(st.tuples(*[coordinate(lo, hi, **kw) for lo, hi in dom]), min_size=min_size, max_size=max_size)
