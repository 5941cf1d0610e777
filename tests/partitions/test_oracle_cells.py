"""Cells of every model family against the brute-force oracle of ``tests/_exact_oracle.py``.

The oracle knows nothing of the package: it enumerates every candidate key (sign vectors,
classes, leaves, activation patterns), brute-forces the vertices of the key's H-polytope
(every n-subset of rows solved in Fractions), keeps the full-dimensional ones, triangulates
them by recursive pulling for volumes and finds shared faces by brute force. Inputs are
small integers and halves, so parallel, coincident and concurrent hyperplanes, hyperplanes
through domain corners and along domain facets, ties in argmax and cospherical sites are
frequent. Both engines (``"vertices"`` and ``"lp"``) are compared in dimensions 1–4.
"""

from __future__ import annotations

import itertools
import os
from fractions import Fraction

import pytest
from _exact_oracle import (
    adjacent_faces,
    argmax_cells,
    argmax_key,
    arrangement_cells,
    arrangement_key,
    box_rows,
    relu_cells,
    relu_key,
    tree_cells,
    tree_key,
    voronoi_key,
    voronoi_scores,
)
from _exact_oracle import (
    volume as o_volume,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from exactgeom.partitions import argmax_linear, arrangement, decision_tree, relu_network, voronoi
from exactgeom.polytope.polytope import Polytope

F = Fraction
ENGINES = ["vertices", "lp"]
# hypothesis examples per random test (ORACLE_EXAMPLES=500 for a soak run)
N_EXAMPLES = int(os.environ.get("ORACLE_EXAMPLES", "6"))

small = st.sampled_from([-2, -1, -1, 0, 0, 1, 1, 2])
offset = st.sampled_from([F(-2), F(-1), F(-1, 2), F(0), F(0), F(1, 2), F(1), F(2)])


def compare(P, ocells, dA, db, *, faces=True, key_fn=None):
    """Keys, vertices, volumes, volume sum and shared faces of P against the oracle."""
    got = {c.key: c for c in P.cells}
    exp = {c.key: c for c in ocells}
    assert set(got) == set(exp), (sorted(got), sorted(exp))
    for k, oc in exp.items():
        assert sorted(got[k].polytope.vertices) == oc.V, k
        assert got[k].volume() == oc.volume(), k
    assert sum(c.volume() for c in P.cells) == o_volume(dA, db)
    if key_fn is not None:  # the model's key at each oracle cell's vertex mean
        for oc in ocells:
            x = oc.interior_point()
            assert P.model.key(x) == oc.key == key_fn(x)
    if not faces:
        return
    order = [exp[c.key] for c in P.cells]
    of = adjacent_faces(order)
    pf = {(f.i, f.j): f for f in P.adjacency()}
    assert set(pf) == set(of), (sorted(pf), sorted(of))
    for ij, (a, vol_sq, V) in of.items():
        f = pf[ij]
        assert f.volume().squared() == vol_sq, ij
        assert sorted(f.face.vertices) == V, ij
        # the normal is a positive multiple of ±a, oriented from cell i to cell j
        nrm = f.normal
        assert all((x == 0) == (y == 0) for x, y in zip(nrm, a)), ij
        ratio = [F(x) / F(y) for x, y in zip(nrm, a) if y != 0]
        assert len(set(ratio)) == 1 and ratio[0] > 0  # a is an outward row of cell i


def domain_strategy(n):
    lo = st.sampled_from([F(-1), F(0), F(-1, 2)])
    width = st.sampled_from([F(1), F(2), F(3, 2)])
    return st.lists(st.tuples(lo, width), min_size=n, max_size=n).map(lambda t: [(a, a + w) for a, w in t])


def dims_and_sizes(max_m):
    return st.sampled_from([(1, max_m + 1), (2, max_m), (3, max_m - 1), (4, max(1, max_m - 2))])


# ---------------------------------------------------------------------------- arrangements
@st.composite
def arrangement_input(draw):
    n, mmax = draw(dims_and_sizes(4))
    m = draw(st.integers(1, mmax))
    dom = draw(domain_strategy(n))
    W = [draw(st.lists(small, min_size=n, max_size=n)) for _ in range(m)]
    c = [draw(offset) for _ in range(m)]
    if m >= 2 and draw(st.booleans()):  # a duplicate or scaled / negated copy
        k = draw(st.sampled_from([1, 2, -1]))
        W[-1] = [k * v for v in W[0]]
        c[-1] = k * c[0]
    if draw(st.booleans()):  # through a domain corner
        corner = [draw(st.sampled_from(iv)) for iv in dom]
        c[0] = sum(F(w) * x for w, x in zip(W[0], corner))
    return dom, W, c


@pytest.mark.parametrize("engine", ENGINES)
@settings(max_examples=N_EXAMPLES, deadline=None)
@given(arrangement_input())
def test_arrangement_cells_match_oracle(engine, inp):
    dom, W, c = inp
    dA, db = box_rows(dom)
    P = arrangement(W, c, dom, engine=engine)
    compare(P, arrangement_cells(W, c, dA, db), dA, db, key_fn=lambda x: arrangement_key(W, c, x))
    assert P.check().ok


# ---------------------------------------------------------------------------- argmax / Voronoi
@st.composite
def argmax_input(draw):
    n, _ = draw(dims_and_sizes(3))
    k = draw(st.integers(1, 5 if n <= 2 else 4))
    dom = draw(domain_strategy(n))
    W = [draw(st.lists(small, min_size=n, max_size=n)) for _ in range(k)]
    c = [draw(offset) for _ in range(k)]
    if k >= 2 and draw(st.booleans()):  # an exact tie with an earlier class, or the same w
        W[-1] = list(W[0])
        c[-1] = c[0] if draw(st.booleans()) else c[0] + draw(st.sampled_from([F(-1), F(1)]))
    return dom, W, c


@pytest.mark.parametrize("engine", ENGINES)
@settings(max_examples=N_EXAMPLES, deadline=None)
@given(argmax_input())
def test_argmax_cells_match_oracle(engine, inp):
    dom, W, c = inp
    dA, db = box_rows(dom)
    P = argmax_linear(W, c, dom, engine=engine)
    compare(P, argmax_cells(W, c, dA, db), dA, db, key_fn=lambda x: argmax_key(W, c, x))
    # ties at boundary points go to the lowest index
    for f in P.adjacency():
        w = f.face.relative_interior_point()
        assert P.model.key(w) == argmax_key(W, c, w)


@st.composite
def voronoi_input(draw):
    n, _ = draw(dims_and_sizes(3))
    k = draw(st.integers(1, 6 if n <= 2 else 4))
    dom = draw(domain_strategy(n))
    coord = st.sampled_from([F(-1), F(0), F(1), F(1, 2), F(2), F(-1, 2)])
    sites = [draw(st.lists(coord, min_size=n, max_size=n)) for _ in range(k)]
    if k >= 2 and draw(st.booleans()):
        sites[-1] = list(sites[0])  # duplicate site
    return dom, sites


@pytest.mark.parametrize("engine", ENGINES)
@settings(max_examples=N_EXAMPLES, deadline=None)
@given(voronoi_input())
def test_voronoi_cells_match_oracle(engine, inp):
    dom, sites = inp
    dA, db = box_rows(dom)
    P = voronoi(sites, dom, engine=engine)
    W, c = voronoi_scores(sites)
    compare(P, argmax_cells(W, c, dA, db), dA, db, key_fn=lambda x: voronoi_key(sites, x))


# ---------------------------------------------------------------------------- decision trees
@st.composite
def tree_input(draw, n, depth, oblique):
    counter = iter(range(1000))

    def node(d):
        if d == 0 or draw(st.integers(0, 3)) == 0:
            return {"leaf": f"L{next(counter)}"}
        t = draw(st.sampled_from([F(-1), F(-1, 2), F(0), F(1, 2), F(1), F(2)]))
        if oblique and draw(st.booleans()):
            w = draw(st.lists(small, min_size=n, max_size=n))
            split = {"weights": w, "threshold": t}
        else:
            split = {"feature": draw(st.integers(0, n - 1)), "threshold": t}
        return {**split, "left": node(d - 1), "right": node(d - 1)}

    return node(depth)


@st.composite
def tree_case(draw):
    n = draw(st.integers(1, 4))
    oblique = draw(st.booleans())
    return n, oblique, draw(domain_strategy(n)), draw(tree_input(n, 4 if n <= 2 else 3, oblique))


@pytest.mark.parametrize("engine", ENGINES)
@settings(max_examples=N_EXAMPLES, deadline=None)
@given(tree_case())
def test_tree_cells_match_oracle(engine, case):
    _n, _oblique, dom, tree = case
    dA, db = box_rows(dom)
    P = decision_tree(tree, dom, engine=engine)
    oc = tree_cells(tree, dA, db)
    compare(P, oc, dA, db, key_fn=lambda x: tree_key(tree, x))
    # a point exactly on a split goes left: check at every oracle vertex
    for cell in oc:
        for v in cell.V:
            assert P.model.key(v) == tree_key(tree, v)


# ---------------------------------------------------------------------------- ReLU networks
@st.composite
def relu_input(draw):
    n = draw(st.integers(1, 4))
    layers = draw(st.sampled_from([[2], [3], [2, 2], [3, 2], [2, 1]] if n <= 2 else [[2], [3], [2, 2], [2, 1]]))
    dom = draw(domain_strategy(n))
    sizes = [n, *layers, 1]
    Ws, bs = [], []
    for a, b in itertools.pairwise(sizes):
        Ws.append([draw(st.lists(small, min_size=a, max_size=a)) for _ in range(b)])
        bs.append([draw(offset) for _ in range(b)])
    if len(layers) == 2 and draw(st.booleans()):
        # second layer copies a first-layer unit (its hyperplane coincides after layer 1)
        Ws[1][0] = [1] + [0] * (layers[0] - 1)
        bs[1][0] = F(0)
    return dom, Ws, bs


@pytest.mark.parametrize("engine", ENGINES)
@settings(max_examples=N_EXAMPLES, deadline=None)
@given(relu_input())
def test_relu_cells_match_oracle(engine, inp):
    dom, Ws, bs = inp
    dA, db = box_rows(dom)
    P = relu_network(Ws, bs, dom, engine=engine)
    compare(P, relu_cells(Ws, bs, dA, db), dA, db, key_fn=lambda x: relu_key(Ws, bs, x))


# ---------------------------------------------------------------------------- non-box domains
@st.composite
def polytope_domain(draw):
    """A box cut by one or two extra half-spaces (full-dimensional), as rows and a Polytope."""
    n = draw(st.integers(1, 3))
    dA, db = box_rows([(-1, 1)] * n)
    for _ in range(draw(st.integers(1, 2))):
        a = draw(st.lists(small, min_size=n, max_size=n).filter(any))
        dA.append(tuple(a))
        db.append(draw(st.sampled_from([F(0), F(1, 2), F(1), F(-1, 2)])))
    from _exact_oracle import affine_dim, vertices

    if affine_dim(vertices(dA, db)) < n:
        dA, db = dA[: 2 * n], db[: 2 * n]
    return n, dA, db, Polytope.from_hrep(dA, db)


@pytest.mark.parametrize("engine", ENGINES)
@settings(max_examples=N_EXAMPLES, deadline=None)
@given(polytope_domain(), st.data())
def test_every_family_on_a_polytope_domain(engine, dom, data):
    n, dA, db, D = dom
    W = [data.draw(st.lists(small, min_size=n, max_size=n)) for _ in range(3)]
    c = [data.draw(offset) for _ in range(3)]
    P = arrangement(W, c, D, engine=engine)
    compare(P, arrangement_cells(W, c, dA, db), dA, db, key_fn=lambda x: arrangement_key(W, c, x))
    P = argmax_linear(W, c, D, engine=engine)
    compare(P, argmax_cells(W, c, dA, db), dA, db, key_fn=lambda x: argmax_key(W, c, x))
    sites = [[F(v, 2) for v in w] for w in W]
    P = voronoi(sites, D, engine=engine)
    compare(P, argmax_cells(*voronoi_scores(sites), dA, db), dA, db, key_fn=lambda x: voronoi_key(sites, x))
    Ws = [W, [data.draw(st.lists(small, min_size=3, max_size=3))]]
    bs = [c, [F(0)]]
    P = relu_network(Ws, bs, D, engine=engine)
    compare(P, relu_cells(Ws, bs, dA, db), dA, db, key_fn=lambda x: relu_key(Ws, bs, x))
    tree = {"weights": W[0], "threshold": c[0], "left": {"leaf": 0},
            "right": {"feature": 0, "threshold": c[1], "left": {"leaf": 1}, "right": {"leaf": 2}}}
    P = decision_tree(tree, D, engine=engine)
    compare(P, tree_cells(tree, dA, db), dA, db, key_fn=lambda x: tree_key(tree, x))


