"""Polytope measures of degenerate cells against the brute-force oracle of ``tests/_exact_oracle.py``.

The polytopes are the oracle's own cells of degenerate arrangements in dimension 1–4
(hyperplanes through box corners, along box facets, concurrent and repeated), given to
``Polytope.from_hrep`` with their redundant rows. Every volume and centroid method, the
squared facet volumes, the ridges (facet adjacency) and the dihedral angles are compared
with the oracle: pulling triangulation with its own facet detection, projected facet
volumes, ridges as tight vertex sets of affine dimension n − 2, and the closed-form cosine
``−⟨a,b⟩/(‖a‖‖b‖)`` (its square and sign exactly; the certified radians against ``math.acos``).
"""

from __future__ import annotations

import itertools
import math
import os
from fractions import Fraction

import pytest
from _exact_oracle import (
    affine_dim,
    arrangement_cells,
    box_rows,
    centroid,
    dot,
    face_volume_sq,
    vertices,
)
from _exact_oracle import volume as o_volume
from hypothesis import given, settings
from hypothesis import strategies as st

from exactgeom.polytope.polytope import Polytope

F = Fraction
N_EXAMPLES = int(os.environ.get("ORACLE_EXAMPLES", "6"))
small = st.sampled_from([-2, -1, -1, 0, 1, 1, 2, 3])
offset = st.sampled_from([F(-1), F(-1, 2), F(0), F(0), F(1, 2), F(1), F(3, 2)])


def check_polytope(A, b):
    """All measures of ``{A x <= b}`` (bounded, full-dimensional) against the oracle."""
    V = vertices(A, b)
    n = len(A[0])
    assert affine_dim(V) == n
    P = Polytope.from_hrep(A, b)
    assert sorted(P.vertices) == V
    vol = o_volume(A, b, V)
    methods = ["triangulation", "lasserre", "lawrence"]
    for m in methods:
        assert P.volume(method=m) == vol, m
    c = centroid(A, b, V)
    for m in ["triangulation", "lawrence"]:
        assert P.centroid(method=m) == c, m
    # facets: the oracle's facet rows (tight vertex sets of affine dimension n − 1)
    tight = []
    for i, (a, beta) in enumerate(zip(P.A, P.b)):
        S = [v for v in V if dot(a, v) == beta]
        assert affine_dim(S) == n - 1
        assert sorted(P.vertices[k] for k in P.facet_vertices(i)) == S
        tight.append(frozenset(S))
        if n >= 2:
            assert P.facet_volume(i).squared() == face_volume_sq(S, P.A, P.b, a)
        else:
            assert P.facet_volume(i).squared() == 1  # a point has 0-volume 1
    oracle_facets = {frozenset(v for v in V if dot(a, v) == beta) for a, beta in zip(A, b) if any(a)}
    oracle_facets = {S for S in oracle_facets if affine_dim(sorted(S)) == n - 1}
    assert set(tight) == oracle_facets
    # ridges and dihedral angles
    adj = P.facet_adjacency()
    for i, j in itertools.combinations(range(P.n_facets), 2):
        ridge = affine_dim(sorted(tight[i] & tight[j])) == n - 2 if n >= 2 else False
        assert (j in adj[i]) == ridge, (i, j)
        if not ridge:
            continue
        a, bb = P.A[i], P.A[j]
        ab, aa, b2 = dot(a, bb), dot(a, a), dot(bb, bb)
        ang = P.dihedral_angle(i, j)
        assert ang.squared_cos() == ab * ab / (aa * b2)
        assert (ang.cos > 0) == (ab < 0) and (ang.cos < 0) == (ab > 0)
        enc = ang.radians(digits=20)
        fl = math.acos(-float(ab) / math.sqrt(float(aa) * float(b2)))
        assert float(enc.lo) - 1e-12 <= fl <= float(enc.hi) + 1e-12
        assert enc.hi - enc.lo <= F(1, 10**18)
    return P


@st.composite
def degenerate_cells(draw):
    n = draw(st.integers(1, 4))
    m = draw(st.integers(1, 4 if n <= 3 else 3))
    dom = [(F(0), F(1))] * n if draw(st.booleans()) else [(F(-1), F(1))] * n
    W = [draw(st.lists(small, min_size=n, max_size=n)) for _ in range(m)]
    c = [draw(offset) for _ in range(m)]
    if draw(st.booleans()):  # through a corner of the box
        corner = [draw(st.sampled_from(iv)) for iv in dom]
        c[0] = sum(F(w) * x for w, x in zip(W[0], corner))
    dA, db = box_rows(dom)
    cells = arrangement_cells(W, c, dA, db)
    k = draw(st.integers(0, len(cells) - 1))
    cell = cells[k]
    # the cell's full row list, redundant rows included
    rows = list(zip(dA, db))
    for si, w, ci in zip(cell.key, W, c):
        if si:
            rows.append((tuple(-si * F(v) for v in w), -si * F(ci)))
    return [r for r, _ in rows], [bb for _, bb in rows]


@settings(max_examples=max(3 * N_EXAMPLES, 10), deadline=None)
@given(degenerate_cells())
def test_degenerate_cells_match_oracle(Ab):
    check_polytope(*Ab)


NASTY = [
    # a square pyramid (apex on 4 facets: non-simple), cut through the apex
    ([(0, 0, -1), (2, 0, 1), (-2, 0, 1), (0, 2, 1), (0, -2, 1), (1, -1, 0)], [0, 2, 2, 2, 2, 0]),
    # the 4-D cross-polytope |x|_1 <= 1 (every vertex non-simple) clipped by x_0 <= 1/2
    ([tuple(s) for s in itertools.product((1, -1), repeat=4)] + [(1, 0, 0, 0)], [1] * 16 + [F(1, 2)]),
    # 4-D: the unit cube cut by x0 + x1 + x2 + x3 <= 2 through 6 vertices
    ([*box_rows([(0, 1)] * 4)[0], (1, 1, 1, 1)], [*box_rows([(0, 1)] * 4)[1], 2]),
    # 4-D simplex with a repeated and a scaled facet row
    ([(-1, 0, 0, 0), (0, -1, 0, 0), (0, 0, -1, 0), (0, 0, 0, -1), (1, 1, 1, 1), (2, 2, 2, 2)], [0, 0, 0, 0, 1, 2]),
    # 3-D: octahedron (degree-4 vertices) with a facet-parallel cut
    ([tuple(s) for s in itertools.product((1, -1), repeat=3)] + [(1, 1, 1)], [2] * 8 + [1]),
    # 1-D segment with redundant rows
    ([(1,), (-1,), (2,), (-3,)], [F(1, 2), 1, 5, 3]),
]


@pytest.mark.parametrize("A, b", NASTY)
def test_nasty_polytopes_match_oracle(A, b):
    check_polytope(A, b)
