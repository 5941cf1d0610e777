"""Voronoi partitions: tie rule, bisector faces, Delaunay adjacency against scipy."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
from _partitions_helpers import assert_adjacency_wellformed, assert_keys_match_model
from hypothesis import given
from hypothesis import strategies as st

from exactgeom import DegenerateError, InexactInputError, InvalidInputError
from exactgeom.partitions.argmax import argmax_linear
from exactgeom.partitions.voronoi import voronoi
from exactgeom.strategies.partitions import boxes, site_sets

F = Fraction


def _d2(a, b):
    return sum((x - y) ** 2 for x, y in zip(a, b))


def test_hand_computed():
    P = voronoi([[0, 0], [2, 0], [0, 2]], [(-1, 3), (-1, 3)])
    assert [(c.key, c.volume()) for c in P.cells] == [(0, 4), (1, 6), (2, 6)]
    assert [P.label(c) for c in P.cells] == [0, 1, 2]
    assert P.output_affine(0) is None
    # a site outside the domain whose cell misses it, and one whose cell reaches in
    P = voronoi([[0, 0], [10, 0], [3, 0]], [(-1, 1), (-1, 1)])
    assert [c.key for c in P.cells] == [0]
    P = voronoi([[0, 0], [F(3, 2), 0]], [(-1, 1), (-1, 1)])
    assert [(c.key, c.volume()) for c in P.cells] == [(0, F(7, 2)), (1, F(1, 2))]


def test_duplicates_first_wins():
    P = voronoi([[0, 0], [1, 0], [0, 0]], [(-1, 2), (-1, 1)])
    assert [c.key for c in P.cells] == [0, 1]
    assert P.key_at([F(-1, 2), 0]) == 0
    assert P.key_at([F(1, 2), 0]) == 0  # equidistant from 0 and 1: lowest index
    assert voronoi([[1, 1]], [(0, 1), (0, 1)]).n_cells == 1


def test_equals_argmax_form():
    rng = random.Random(3)
    S = [[F(rng.randint(-30, 30), 7) for _ in range(2)] for _ in range(12)]
    P = voronoi(S, [(-4, 4), (-4, 4)])
    Q = argmax_linear([[2 * x for x in s] for s in S], [-sum(x * x for x in s) for s in S], [(-4, 4), (-4, 4)])
    assert [c.key for c in P.cells] == [c.key for c in Q.cells]
    assert all(a.polytope == b.polytope for a, b in zip(P.cells, Q.cells))


def _as_argmax(S, box):
    """The same partition by the argmax builder: every bisector, no early stop, no integer
    scaling of the sites (an independent construction)."""
    return argmax_linear([[2 * x for x in s] for s in S], [-sum(x * x for x in s) for s in S], box)


_coord = st.fractions(min_value=-5, max_value=5, max_denominator=12)


@given(
    st.integers(1, 3).flatmap(
        lambda n: st.tuples(
            st.lists(st.tuples(*[_coord] * n), min_size=1, max_size=9),
            st.lists(st.integers(0, 8), max_size=3),  # indices of sites to repeat
            st.sampled_from([1, 10**20]),  # 10**20: squared distances beyond int64 (Python integers)
        )
    )
)
def test_fast_voronoi_equals_the_argmax_form(args):
    sites, repeats, scale = args
    S = [tuple(x * scale for x in s) for s in sites] + [tuple(x * scale for x in sites[i % len(sites)]) for i in repeats]
    n = len(S[0])
    box = [(-4 * scale, 4 * scale)] * n
    P, Q = voronoi(S, box), _as_argmax(S, box)
    assert [c.key for c in P.cells] == [c.key for c in Q.cells]
    assert all(a.polytope == b.polytope for a, b in zip(P.cells, Q.cells))


def test_sites_far_from_the_origin_but_close_together():
    """Integer sites beyond int64 with a small spread: ordered in int64 after a shift."""
    far = 10**30
    S = [(far + 1, far), (far, far + 2), (far + 3, far + 3), (far - 1, far - 2)]
    box = [(far - 5, far + 5)] * 2
    P, Q = voronoi(S, box), _as_argmax(S, box)
    assert [c.key for c in P.cells] == [c.key for c in Q.cells] == [0, 1, 2, 3]
    assert all(a.polytope == b.polytope for a, b in zip(P.cells, Q.cells))


def test_many_sites_nearest_first_matches_argmax_and_labels():
    rng = random.Random(5)
    S = [(F(rng.randint(-999, 999), 1000), F(rng.randint(-999, 999), 1000)) for _ in range(120)]
    labels = ["odd" if (s[0] * 1000) % 2 else "even" for s in S]
    box = [(-1, 1), (-1, 1)]
    P = voronoi(S, box, labels=labels)
    Q = _as_argmax(S, box)
    assert [c.key for c in P.cells] == [c.key for c in Q.cells]
    assert all(a.polytope == b.polytope for a, b in zip(P.cells, Q.cells))
    assert [P.label(c) for c in P.cells] == [labels[c.key] for c in P.cells]
    assert sum(c.volume() for c in P.cells) == 4


@given(st.integers(1, 3).flatmap(lambda n: st.tuples(site_sets(n, max_sites=6 if n < 3 else 5), boxes(n))))
def test_hypothesis_voronoi(args):
    S, box = args
    P = voronoi(S, box)
    rep = P.check()
    assert rep.ok, rep.problems
    assert_keys_match_model(P, k=2)
    assert_adjacency_wellformed(P)
    for cell in P.cells:
        x = cell.centroid()
        j = cell.key
        assert all(_d2(x, S[j]) < _d2(x, S[k]) if k < j else _d2(x, S[j]) <= _d2(x, S[k]) for k in range(len(S)))
    for f in P.adjacency():
        j, k = P.cells[f.i].key, P.cells[f.j].key
        for v in f.face.vertices:  # on the bisector
            assert _d2(v, S[j]) == _d2(v, S[k])


@pytest.mark.parametrize("n, k, seed", [(2, 12, 0), (2, 20, 1), (3, 10, 2)])
def test_delaunay_graph_matches_scipy(n, k, seed):
    """For sites in general position and a box containing every Voronoi vertex, the
    facet graph of the exact partition is the Delaunay graph (scipy/Qhull as oracle,
    floats only for the combinatorics). scipy's ``Voronoi.ridge_points`` lists every
    Delaunay edge in 2-D but can miss ridges of unbounded cells in 3-D, so there it is
    only a subset."""
    np = pytest.importorskip("numpy")
    spatial = pytest.importorskip("scipy.spatial")
    rng = random.Random(seed)
    S = [tuple(F(rng.randint(-1000, 1000), 100) for _ in range(n)) for _ in range(k)]
    vor = spatial.Voronoi(np.array([[float(x) for x in s] for s in S]))
    ridges = {tuple(sorted(map(int, p))) for p in vor.ridge_points}
    tri = spatial.Delaunay(np.array([[float(x) for x in s] for s in S]))
    expected = {(int(a), int(b)) for simplex in tri.simplices for a in simplex for b in simplex if a < b}
    assert ridges <= expected and (n == 3 or ridges == expected)
    pts = np.vstack([vor.vertices, vor.points])
    lo = np.floor(pts.min(axis=0)) - 1
    hi = np.ceil(pts.max(axis=0)) + 1
    P = voronoi(S, [(int(a), int(b)) for a, b in zip(lo, hi)])
    assert P.n_cells == k
    got = {tuple(sorted((P.cells[f.i].key, P.cells[f.j].key))) for f in P.adjacency()}
    assert got == expected


INVALID = [
    (([], [(0, 1)]), InvalidInputError, "no sites"),
    (([[0, 0]], [(0, 1)]), InvalidInputError, "wrong width"),
    (([[0, 0], [1]], [(0, 1), (0, 1)]), InvalidInputError, "ragged"),
    (([[0.5, 0]], [(0, 1), (0, 1)]), InexactInputError, "float without policy"),
    (([[0, 0]], [(0, 0), (0, 1)]), DegenerateError, "flat domain"),
    (([[0, 0]], None), InvalidInputError, "no domain"),
]


@pytest.mark.parametrize("args, exc, what", INVALID, ids=[r[-1] for r in INVALID])
def test_invalid(args, exc, what):
    with pytest.raises(exc):
        voronoi(*args)


@pytest.mark.parametrize("labels", [["a"], [["a"], ["b"]], "ab"], ids=["too few", "unhashable", "a string"])
def test_invalid_labels(labels):
    with pytest.raises(InvalidInputError, match="label"):
        voronoi([[0, 0], [1, 1]], [(0, 1), (0, 1)], labels=labels)


def test_nan_and_policy():
    with pytest.raises(InvalidInputError):
        voronoi([[float("nan"), 0]], [(0, 1), (0, 1)], policy="exact")
    P = voronoi([[0.25, 0.5], [0.75, 0.5]], [(0, 1), (0, 1)], policy="exact")
    assert P.provenance["policy"] == "exact" and [c.volume() for c in P.cells] == [F(1, 2), F(1, 2)]
