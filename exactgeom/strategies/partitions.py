"""Hypothesis strategies for the model families of :mod:`exactgeom.partitions`.

All values are exact (ints and Fractions) and degenerate on purpose with positive
probability: repeated, parallel and concurrent hyperplanes, zero normals, tied classes,
duplicate sites, splits outside the domain and tied thresholds.

* :func:`boxes` — box domains ``[(lo, hi), ...]``;
* :func:`arrangements` — ``(normals, offsets)``;
* :func:`argmax_models` — ``(W, c)``;
* :func:`site_sets` — Voronoi sites;
* :func:`trees` — nested tree mappings (axis-aligned and oblique splits).

>>> from hypothesis import given
>>> @given(arrangements(n=2, max_hyperplanes=3))
... def test(wc):
...     assert len(wc[0]) == len(wc[1])
>>> test()
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

__all__ = ["small_rationals", "boxes", "arrangements", "argmax_models", "site_sets", "trees"]


def small_rationals(lo: int = -3, hi: int = 3, max_denominator: int = 4) -> st.SearchStrategy[Fraction]:
    """Rationals ``p/q`` in ``[lo, hi]`` with ``1 <= q <= max_denominator``."""
    return st.integers(1, max_denominator).flatmap(
        lambda q: st.integers(lo * q, hi * q).map(lambda p: Fraction(p, q))
    )


def boxes(n: int, lo: int = -3, hi: int = 3) -> st.SearchStrategy[list[tuple[Fraction, Fraction]]]:
    """Box domains ``[(lo_i, hi_i)]`` in ``R^n`` with ``lo <= lo_i < hi_i <= hi``."""
    pair = st.tuples(small_rationals(lo, hi - 1), small_rationals(0, 1)).map(
        lambda p: (p[0], min(Fraction(hi), p[0] + 1 + p[1] * (hi - lo - 1)))
    )
    return st.lists(pair, min_size=n, max_size=n)


def _vectors(n: int, lo: int = -3, hi: int = 3) -> st.SearchStrategy[tuple[int, ...]]:
    return st.tuples(*[st.integers(lo, hi)] * n)


@st.composite
def arrangements(
    draw: Any, n: int = 2, max_hyperplanes: int = 5, degenerate: bool = True
) -> tuple[list[tuple[int, ...]], list[Fraction]]:
    """``(normals, offsets)`` of up to ``max_hyperplanes`` hyperplanes in ``R^n``.

    With ``degenerate=True`` a hyperplane may repeat an earlier one (also with the
    normal negated), be parallel to one, pass through the intersection point of
    earlier ones (concurrent, built by choosing a common point), or have a zero normal.
    """
    m = draw(st.integers(0, max_hyperplanes))
    W: list[tuple[int, ...]] = []
    c: list[Fraction] = []
    common = draw(st.tuples(*[small_rationals(-1, 1, 2)] * n))
    for _ in range(m):
        kind = draw(st.sampled_from(["random", "random", "duplicate", "parallel", "concurrent", "zero"])) if degenerate and W else "random"
        if kind == "random":
            w = draw(_vectors(n).filter(any))
            W.append(w)
            c.append(draw(small_rationals(-2, 2)))
        elif kind == "duplicate":
            k = draw(st.integers(0, len(W) - 1))
            s = draw(st.sampled_from([1, -1, 2]))
            W.append(tuple(s * x for x in W[k]))
            c.append(s * c[k])
        elif kind == "parallel":
            k = draw(st.integers(0, len(W) - 1))
            W.append(W[k])
            c.append(draw(small_rationals(-2, 2)))
        elif kind == "concurrent":
            w = draw(_vectors(n).filter(any))
            W.append(w)
            c.append(sum((a * x for a, x in zip(w, common)), Fraction(0)))
        else:
            W.append(tuple(0 for _ in range(n)))
            c.append(draw(st.sampled_from([Fraction(0), Fraction(1), Fraction(-1)])))
    return W, c


@st.composite
def argmax_models(
    draw: Any, n: int = 2, max_classes: int = 5, degenerate: bool = True
) -> tuple[list[tuple[int, ...]], list[Fraction]]:
    """``(W, c)`` of an argmax-linear classifier with 1..max_classes classes; with
    ``degenerate=True`` some classes repeat an earlier class exactly or share its
    weights (parallel boundaries)."""
    k = draw(st.integers(1, max_classes))
    W: list[tuple[int, ...]] = []
    c: list[Fraction] = []
    for _ in range(k):
        kind = draw(st.sampled_from(["random", "random", "random", "copy", "same_w"])) if degenerate and W else "random"
        if kind == "random":
            W.append(draw(_vectors(n)))
            c.append(draw(small_rationals(-2, 2)))
        else:
            j = draw(st.integers(0, len(W) - 1))
            W.append(W[j])
            c.append(c[j] if kind == "copy" else draw(small_rationals(-2, 2)))
    return W, c


@st.composite
def site_sets(draw: Any, n: int = 2, max_sites: int = 6, degenerate: bool = True) -> list[tuple[Fraction, ...]]:
    """1..max_sites Voronoi sites in ``[-3, 3]^n``; with ``degenerate=True`` some sites
    repeat (duplicates) or are symmetric to others (cospherical configurations)."""
    k = draw(st.integers(1, max_sites))
    S: list[tuple[Fraction, ...]] = []
    for _ in range(k):
        kind = draw(st.sampled_from(["random", "random", "random", "duplicate", "mirror"])) if degenerate and S else "random"
        if kind == "random":
            S.append(draw(st.tuples(*[small_rationals(-3, 3, 3)] * n)))
        elif kind == "duplicate":
            S.append(S[draw(st.integers(0, len(S) - 1))])
        else:
            s = S[draw(st.integers(0, len(S) - 1))]
            axis = draw(st.integers(0, n - 1))
            S.append(tuple(-x if j == axis else x for j, x in enumerate(s)))
    return S


@st.composite
def trees(draw: Any, n: int = 2, max_depth: int = 3, oblique: bool = True, classes: int = 3) -> dict[str, Any]:
    """A nested tree mapping (see :func:`exactgeom.partitions.tree.decision_tree`) with
    unique integer leaf ids and a ``class`` in ``range(classes)`` per leaf. Thresholds
    may lie outside the domain and repeat (tied splits); with ``oblique=True`` some
    splits are oblique."""
    counter = [0]

    def build(depth: int) -> dict[str, Any]:
        if depth == 0 or draw(st.integers(0, 3)) == 0:
            lid = counter[0]
            counter[0] += 1
            return {"leaf": lid, "class": draw(st.integers(0, classes - 1))}
        t = draw(small_rationals(-4, 4, 2))
        if oblique and draw(st.booleans()) and n > 1:
            node: dict[str, Any] = {"weights": list(draw(_vectors(n, -2, 2))), "threshold": t}
        else:
            node = {"feature": draw(st.integers(0, n - 1)), "threshold": t}
        node["left"] = build(depth - 1)
        node["right"] = build(depth - 1)
        return node

    return build(max_depth)
