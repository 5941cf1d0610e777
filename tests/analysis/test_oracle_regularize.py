"""Geometric regularizers against the oracle of ``tests/_exact_oracle.py``.

The oracle recomputes the four penalties of spec §6 from its own brute-force cells:
data cells by lowest-index location, cell volumes by pulling triangulation, dihedral
pairs as facet rows whose common tight vertices span an (n−2)-flat with
``cos²θ = ⟨a,b⟩²/(‖a‖²‖b‖²)``, domain facets as positive multiples of the domain's rows,
the boundary area as an exact ``{radicand: coefficient}`` sum of the squared face
volumes' roots (squarefree parts by trial division), margins from the point-to-plane
distances ``(b − a·x)²/‖a‖²``. Compared exactly with ``geometric_penalties`` (and the
single penalties) on arrangements, Voronoi, a T-junction tree, 3-D and 1-D partitions
with hypothesis data and options; on small ReLU networks also with ``build_plan``'s
exact values and, with torch installed, with ``penalties_torch`` in float64 (1e-9).
"""

from __future__ import annotations

import functools
import importlib.util
import itertools
from fractions import Fraction

import pytest
from _exact_oracle import (
    T_JUNCTION_TREE,
    argmax_cells,
    arrangement_cells,
    box_rows,
    penalties,
    relu_cells,
    surd_parts,
    tree_cells,
    voronoi_scores,
)
from _oracle_cases import in_order, points
from hypothesis import given, settings
from hypothesis import strategies as st

from exactgeom.analysis.regularize import (
    boundary_area,
    build_plan,
    geometric_penalties,
    margin_penalty,
    sliver_angle_penalty,
    small_cell_penalty,
)
from exactgeom.numbers import Surd, SurdSum
from exactgeom.partitions import arrangement, decision_tree, relu_network, voronoi

F = Fraction
SQ = [(-1, 1), (-1, 1)]
WEDGE = ([[1, 0], [4, 1], [1, 3]], [0, 0, F(1, 2)])  # a 14° wedge and an oblique line
VOR = [[1, 0], [0, 1], [-1, 0], [0, -1], [F(1, 2), F(1, 2)]]
BOX3 = [(0, 1), (0, 2), (-1, 1)]
OBL3 = ([[1, 1, 0], [0, 1, 3], [1, 0, 0]], [1, 1, F(1, 2)])
CASES = {
    "wedge": (SQ, lambda: arrangement(*WEDGE, SQ), lambda: arrangement_cells(*WEDGE, *box_rows(SQ))),
    "vor": (SQ, lambda: voronoi(VOR, SQ), lambda: argmax_cells(*voronoi_scores(VOR), *box_rows(SQ))),
    "tree": (SQ, lambda: decision_tree(T_JUNCTION_TREE, SQ), lambda: tree_cells(T_JUNCTION_TREE, *box_rows(SQ))),
    "oblique3d": (BOX3, lambda: arrangement(*OBL3, BOX3), lambda: arrangement_cells(*OBL3, *box_rows(BOX3))),
    "line": ([(0, 3)], lambda: arrangement([[1], [3]], [1, 5], [(0, 3)]),
             lambda: arrangement_cells([[1], [3]], [1, 5], *box_rows([(0, 3)]))),
}


@functools.cache
def case(name):
    dom, make_p, make_o = CASES[name]
    P = make_p()
    return dom, P, in_order(P, make_o())


def as_parts(v):
    """An exact package value (Fraction, Surd, SurdSum) as ``{radicand: coefficient}``."""
    if isinstance(v, SurdSum):
        terms = v.terms
    elif isinstance(v, Surd):
        terms = (v,)
    else:
        return {1: F(v)} if v else {}
    return {t.radicand: t.coeff for t in terms if t.coeff}


@pytest.mark.parametrize("name", sorted(CASES))
@settings(max_examples=10)
@given(data=st.data())
def test_penalties_match_oracle(name, data):
    dom, P, cells = case(name)
    pts = data.draw(points(dom, max_size=6, max_denominator=11))
    phi = data.draw(st.sampled_from(["inverse", "hinge"]))
    t0 = data.draw(st.sampled_from([F(1, 100), F(1, 4), F(1, 2)]))
    threshold = data.draw(st.sampled_from([F(0), F(1, 4), F(3, 4), F(16, 17), F(9, 10)]))
    include_domain = data.draw(st.booleans())
    margin = data.draw(st.sampled_from([None, F(1, 10), F(1, 2), F(1)]))
    opts = dict(phi=phi, t0=t0, threshold=threshold, include_domain=include_domain, margin=margin)
    small, sliver, area, marg = penalties(cells, *box_rows(dom), pts, **opts)
    g = geometric_penalties(P, pts, **opts)
    assert g.small_cells == small
    assert g.sliver_angles == sliver
    assert as_parts(g.boundary_area) == area
    assert g.margins == marg
    assert small_cell_penalty(P, pts, phi=phi, t0=t0) == small
    assert sliver_angle_penalty(P, pts, threshold=threshold, include_domain=include_domain) == sliver
    assert as_parts(boundary_area(P, pts)) == area
    assert margin_penalty(P, pts, margin=margin) == marg


def test_oracle_penalties_by_hand():
    """The 14° wedge between x = 0 and 4x + y = 0 in [−1, 1]²: cos²θ = 16/17 there
    (the package's doctest value, derived by hand here: ⟨(1,0),(4,1)⟩² / (1·17));
    the point (1/10, −9/10) lies in the wedge cell; √(8) = 2√2 and √(27/4) = (3/2)√3."""
    A = ([[1, 0], [4, 1]], [0, 0])
    cells = arrangement_cells(*A, *box_rows(SQ))
    _, sliver, _, _ = penalties(cells, *box_rows(SQ), [(F(1, 10), F(-9, 10))])
    assert sliver == F(16, 17)
    assert surd_parts(8) == (2, 2) and surd_parts(F(27, 4)) == (F(3, 2), 3) and surd_parts(F(1, 2)) == (F(1, 2), 2)


small = st.sampled_from([-2, -1, -1, 0, 1, 1, 2, 3])
offset = st.sampled_from([F(-1), F(-1, 2), F(0), F(1, 2), F(1)])


@st.composite
def relu_case(draw):
    n = draw(st.integers(1, 2))
    layers = draw(st.sampled_from([[2], [3], [2, 2]]))
    sizes = [n, *layers, 1]
    Ws = [[draw(st.lists(small, min_size=a, max_size=a)) for _ in range(b)] for a, b in itertools.pairwise(sizes)]
    bs = [[draw(offset) for _ in range(b)] for b in sizes[1:]]
    dom = [(F(-1), F(1))] * n
    pts = draw(points(dom, max_denominator=11))
    return dom, Ws, bs, pts


@settings(max_examples=8)
@given(relu_case(), st.sampled_from([F(0), F(1, 2), F(3, 4)]), st.sampled_from([None, F(1, 3)]))
def test_relu_plan_and_torch_penalties_match_oracle(case, threshold, margin):
    """``build_plan``'s exact values, and ``penalties_torch`` at the plan's parameters
    (float64), against the oracle on the brute-force activation cells."""
    dom, Ws, bs, pts = case
    cells_o = relu_cells(Ws, bs, *box_rows(dom))
    P = relu_network(Ws, bs, dom)
    cells = in_order(P, cells_o)
    small_, sliver, area, marg = penalties(cells, *box_rows(dom), pts, threshold=threshold, margin=margin)
    plan = build_plan(P, pts, threshold=threshold, margin=margin)
    g = plan.exact
    assert (g.small_cells, g.sliver_angles, as_parts(g.boundary_area), g.margins) == (small_, sliver, area, marg)
    if importlib.util.find_spec("torch") is None:
        return
    import torch

    from exactgeom.analysis.regularize_torch import penalties_torch

    W = [torch.tensor([[float(v) for v in r] for r in Wl], dtype=torch.float64) for Wl in Ws]
    b = [torch.tensor([float(v) for v in bl], dtype=torch.float64) for bl in bs]
    vals = penalties_torch(W, b, plan)
    area_f = sum(float(q) * float(d) ** 0.5 for d, q in area.items())
    for key, exp in (("small_cells", small_), ("sliver_angles", sliver), ("boundary_area", area_f), ("margins", marg)):
        got = float(vals[key])
        assert abs(got - float(exp)) <= 1e-9 * max(1.0, abs(float(exp))), (key, got, exp)
