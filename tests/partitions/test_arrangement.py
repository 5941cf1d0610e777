"""Hyperplane arrangements: closed-form region counts, degenerate cases, model agreement."""

from __future__ import annotations

import itertools
import random
from fractions import Fraction
from math import comb

import pytest
from _partitions_helpers import assert_adjacency_wellformed, assert_keys_match_model
from hypothesis import assume, given
from hypothesis import strategies as st

from exactgeom import DegenerateError, InexactInputError, InvalidInputError, Polytope, arrangement
from exactgeom.linalg import rational as la
from exactgeom.partitions._vcell import VCell, to_polytope
from exactgeom.strategies.partitions import arrangements, boxes

F = Fraction


# ---------------------------------------------------------------- closed form


def _general_position(W, c, n):
    m = len(W)
    for S in itertools.combinations(range(m), min(n, m)):
        if la.rank([W[i] for i in S], n) != len(S):
            return None
    verts = []
    for S in itertools.combinations(range(m), n):
        x = la.solve([W[i] for i in S], [c[i] for i in S])
        # no (n+1)-th hyperplane through it
        if any(sum(a * xi for a, xi in zip(W[k], x)) == c[k] for k in range(m) if k not in S):
            return None
        verts.append(x)
    return verts


@given(st.data())
def test_general_position_region_count(data):
    n = data.draw(st.integers(1, 3), label="n")
    m = data.draw(st.integers(0, {1: 6, 2: 6, 3: 5}[n]), label="m")
    W = [data.draw(st.tuples(*[st.integers(-4, 4)] * n)) for _ in range(m)]
    c = [F(data.draw(st.integers(-6, 6)), data.draw(st.integers(1, 3))) for _ in range(m)]
    verts = _general_position(W, c, n)
    assume(verts is not None)
    if 0 < m < n:  # no vertex: take a point on every hyperplane (normals are independent)
        # least-norm solution of W x = c: x = Wᵀ (W Wᵀ)^{-1} c
        G = [[sum(a * b for a, b in zip(u, v)) for v in W] for u in W]
        y = la.solve(G, c)
        verts = [tuple(sum(y[i] * W[i][j] for i in range(m)) for j in range(n))]
    pts = verts or [tuple(F(0) for _ in range(n))]
    box = [(min(p[j] for p in pts) - 1, max(p[j] for p in pts) + 1) for j in range(n)]
    P = arrangement(W, c, box)
    assert P.n_cells == sum(comb(m, i) for i in range(n + 1))
    assert P.check().ok


def test_general_position_larger_2d_and_3d():
    rng = random.Random(7)
    for n, m in [(2, 12), (3, 7)]:
        while True:
            W = [tuple(rng.randint(-20, 20) for _ in range(n)) for _ in range(m)]
            c = [F(rng.randint(-50, 50), rng.randint(1, 7)) for _ in range(m)]
            verts = _general_position(W, c, n)
            if verts is not None:
                break
        box = [(min(p[j] for p in verts) - 1, max(p[j] for p in verts) + 1) for j in range(n)]
        P = arrangement(W, c, box)
        assert P.n_cells == sum(comb(m, i) for i in range(n + 1))
        assert sum(P.volumes()) == P.domain.volume()


# ---------------------------------------------------------------- degenerate, hand-computed

SQ = [(-1, 1), (-1, 1)]
CUBE = [(-1, 1)] * 3

DEGENERATE = [
    # (normals, offsets, domain, number of cells, description)
    ([], [], SQ, 1, "no hyperplane"),
    ([[1, 0], [1, 0]], [0, "1/2"], SQ, 3, "parallel"),
    ([[1, 0], [1, 0]], [0, 0], SQ, 2, "duplicate"),
    ([[1, 0], [-2, 0]], [0, 0], SQ, 2, "duplicate, opposite orientation"),
    ([[1, 0], [0, 1], [1, 1]], [0, 0, 0], SQ, 6, "three concurrent lines"),
    ([[1, 0], [0, 1], [1, 1]], [0, 0, 1], [(-2, 2), (-2, 2)], 7, "three lines in general position"),
    ([[1, 0], [0, 1], [1, 1]], [0, 0, 1], SQ, 5, "two regions of three lines miss the square"),
    ([[1, 1]], [2], SQ, 1, "touches only a corner"),
    ([[1, 0]], [1], SQ, 1, "contains a domain edge"),
    ([[1, 0]], [5], SQ, 1, "misses the domain"),
    ([[0, 0]], [1], SQ, 1, "zero normal"),
    ([[0, 0]], [0], SQ, 1, "zero hyperplane 0 = 0"),
    ([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [0, 0, 0], CUBE, 8, "coordinate planes"),
    ([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]], [0, 0, 0, 0], CUBE, 14, "four concurrent planes"),
    ([[1, 1, 0]], [2], CUBE, 1, "touches only a cube edge"),
    ([[1, 1, 1]], [3], CUBE, 1, "touches only a cube corner"),
    ([[1, 0, 0], [1, 0, 0], [0, 1, 0]], [0, 0, "1/3"], CUBE, 4, "duplicate plus one"),
]


@pytest.mark.parametrize("W, c, dom, count, what", DEGENERATE, ids=[d[-1] for d in DEGENERATE])
def test_degenerate_counts(W, c, dom, count, what):
    P = arrangement(W, c, dom)
    assert P.n_cells == count
    assert P.check().ok
    assert_keys_match_model(P)
    assert_adjacency_wellformed(P)


def test_degenerate_keys():
    assert [c.key for c in arrangement([[1, 0], [-2, 0]], [0, 0], SQ).cells] == [(-1, 1), (1, -1)]
    assert [c.key for c in arrangement([[1, 1]], [2], SQ).cells] == [(-1,)]
    assert [c.key for c in arrangement([[0, 0]], [1], SQ).cells] == [(-1,)]
    assert [c.key for c in arrangement([[0, 0]], [0], SQ).cells] == [(0,)]
    assert [c.key for c in arrangement([[0, 0]], [-1], SQ).cells] == [(1,)]
    assert [c.key for c in arrangement([], [], SQ).cells] == [()]
    P = arrangement([[1, 0], [1, 0]], [0, 0], SQ)
    assert [c.volume() for c in P.cells] == [2, 2]


# ---------------------------------------------------------------- properties


def _on_model_hyperplane(P, f):
    """The shared face lies on a hyperplane of the arrangement, and the two keys differ
    exactly on the hyperplanes that contain the face."""
    W, c = P.model.normals, P.model.offsets
    on = [i for i, (w, ci) in enumerate(zip(W, c)) if any(w) and all(sum(a * x for a, x in zip(w, v)) == ci for v in f.face.vertices)]
    assert on, "shared face on no hyperplane of the arrangement"
    ki, kj = P.cells[f.i].key, P.cells[f.j].key
    assert [t for t in range(len(W)) if ki[t] != kj[t]] == on


@given(st.integers(1, 3).flatmap(lambda n: st.tuples(arrangements(n, max_hyperplanes=5 if n < 3 else 4), boxes(n))))
def test_hypothesis_arrangements(args):
    (W, c), box = args
    P = arrangement(W, c, box)
    rep = P.check()
    assert rep.ok, rep.problems
    assert_keys_match_model(P, k=2)
    assert_adjacency_wellformed(P)
    for f in P.adjacency():
        _on_model_hyperplane(P, f)
    # every sign vector is realised once, and cells are sorted by key
    assert [c.key for c in P.cells] == sorted(c.key for c in P.cells)


@given(arrangements(2, max_hyperplanes=4), boxes(2))
def test_vertex_cutting_equals_cddlib(wc, box):
    """Cells built by vertex cutting equal the cddlib conversion of their H-rep."""
    W, c = wc
    P = arrangement(W, c, box)
    for cell in P.cells:
        Q = cell.polytope
        R = Polytope.from_hrep([h.normal for h in Q.facets], [h.offset for h in Q.facets])
        assert R.vertices == Q.vertices and R.facets == Q.facets


def test_vcell_to_polytope_matches_cdd_3d():
    C = VCell.from_polytope(Polytope.box(CUBE))
    lo, hi = C.split((1, 2, 3), F(1, 2))
    for part, sign in ((lo, 1), (hi, -1)):
        Q = to_polytope(part)
        R = Polytope.box(CUBE).intersect_halfspace([sign * 1, sign * 2, sign * 3], sign * F(1, 2))
        assert Q == R and set(Q.facets) == set(R.facets) and Q.f_vector() == R.f_vector()


def test_polytope_domain_and_policy():
    T = Polytope.from_vrep([[0, 0], [4, 0], [0, 4]])
    P = arrangement([[1, 0], [0, 1]], [1, 1], T)
    assert P.n_cells == 4 and P.check().ok
    Q = arrangement([[0.5, 0.0]], [0.25], SQ, policy="exact")
    assert Q.provenance["policy"] == "exact" and [c.key for c in Q.cells] == [(-1,), (1,)]


# ---------------------------------------------------------------- invalid input

INVALID = [
    (([[1, 0]], [0], [(0, 1)]), InvalidInputError, "wrong width"),
    (([[1, 0], [0, 1]], [0], SQ), InvalidInputError, "offset count"),
    (([[1, 0], [1]], [0, 0], SQ), InvalidInputError, "ragged"),
    (([[1, 0]], [0], [(1, 0), (0, 1)]), InvalidInputError, "lo > hi"),
    (([[1, 0]], [0], [(0, 0), (0, 1)]), DegenerateError, "flat domain"),
    (([[1, 0]], [0], []), InvalidInputError, "empty box"),
    (([[1, 0]], [0], "box"), InvalidInputError, "domain not a box"),
    (([[0.5, 0]], [0], SQ), InexactInputError, "float without policy"),
    (([[float("nan"), 0]], [0], SQ, "exact"), InvalidInputError, "NaN"),
]


@pytest.mark.parametrize("args, exc, what", INVALID, ids=[r[-1] for r in INVALID])
def test_invalid(args, exc, what):
    with pytest.raises(exc):
        if len(args) == 4:
            arrangement(*args[:3], policy=args[3])
        else:
            arrangement(*args)
