"""Geometric regularizers: exact penalties, and PyTorch losses that agree with them."""

from __future__ import annotations

from fractions import Fraction

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from exactgeom import arrangement, from_torch
from exactgeom.analysis.regularize import (
    assign_data,
    boundary_area,
    build_plan,
    geometric_penalties,
    margin_penalty,
    phi_value,
    sliver_angle_penalty,
    small_cell_penalty,
)
from exactgeom.analysis.regularize_torch import (
    GeometricRegularizer,
    exact_network,
    penalties_torch,
    plan_for_module,
    relu_parameters,
)
from exactgeom.errors import InexactInputError, InvalidInputError, UnsupportedModelError
from exactgeom.numbers import Surd, SurdSum
from exactgeom.partitions.relu import relu_network
from exactgeom.strategies.curvature import bsp_partitions

F = Fraction


# ---------------------------------------------------------------------- exact penalties
@settings(deadline=None)
@given(bsp_partitions(n=2, max_cuts=4), st.lists(st.tuples(st.integers(-7, 7), st.integers(-7, 7)), min_size=1, max_size=6))
def test_exact_penalties_against_direct_formulas(P, raw):
    data = [[F(a, 4), F(b, 4)] for a, b in raw]
    dc = assign_data(P, data)
    vD = P.domain.volume()
    cells = sorted({c.index for x in data for c in [P.cells[dc.cell_of[data.index(x)]]]})
    assert list(dc.cells) == cells
    # small cells with φ(t) = 1/t: Σ vol D / vol C
    assert small_cell_penalty(dc) == sum((vD / P.cells[i].volume() for i in cells), F(0))
    # boundary area: shared faces between data cells, measured from their vertices (2-D: lengths)
    tot = SurdSum([])
    for f in P.adjacency():
        if f.i in cells and f.j in cells:
            (a, b) = f.face.vertices
            tot = tot + Surd.sqrt(sum(((x - y) ** 2 for x, y in zip(a, b)), F(0)))
    assert boundary_area(dc) == tot
    # margins: brute force over the cell's non-domain facets
    m = F(1, 2)
    expected = F(0)
    for x, i in zip(dc.points, dc.cell_of):
        C = P.cells[i].polytope
        def on_domain_side(k, C=C):  # all vertices of facet k on one side of the box [-2, 2]^2
            vs = [C.vertices[v] for v in C.facet_vertices(k)]
            return any(all(v[j] == s for v in vs) for j in range(2) for s in (-2, 2))

        d2s = [h.slack(x) ** 2 / h.squared_norm() for k, h in enumerate(C.facets) if not on_domain_side(k)]
        if d2s and min(d2s) < m * m:
            expected += m * m - min(d2s)
    assert margin_penalty(dc, margin=m) == expected
    # sliver angles: Σ cos² over all cell angles above the threshold (0 threshold: all angles)
    all_c2 = sum((a.squared_cos() for i in cells for a in P.cells[i].polytope.dihedral_angles().values()), F(0))
    assert sliver_angle_penalty(dc, threshold=-1) == all_c2


def test_penalty_options():
    P = arrangement([[1, 0], [0, 1]], [F(1, 2), F(1, 2)], [(0, 1), (0, 1)])
    data = [[F(1, 4), F(1, 4)], [F(3, 4), F(3, 4)]]
    g = geometric_penalties(P, data, phi="hinge", t0=F(1, 2), threshold=F(1, 2), margin=F(1, 8))
    assert g.small_cells == 2 * (F(1, 2) / F(1, 4) - 1)
    assert g.sliver_angles == 0
    assert g.boundary_area == 0  # the two data cells only touch at a point
    assert g.margins == 0  # every point is 1/4 away from the lines
    assert g.n_data_cells == 2
    assert small_cell_penalty(P, data, phi=lambda t: t * t) == 2 * F(1, 16)
    assert phi_value("inverse", F(1, 5), F(0)) == 5
    # include_domain=False ignores angles between model lines and the domain's sides
    Q = arrangement([[1, 0], [4, 1]], [0, 0], [(-1, 1), (-1, 1)])
    assert sliver_angle_penalty(Q, [["1/10", "-9/10"]], include_domain=False) == F(16, 17)
    assert sliver_angle_penalty(Q, [["1/10", "-9/10"]], threshold=0, include_domain=False) == F(16, 17)
    assert sliver_angle_penalty(Q, [["1/10", "-9/10"]], threshold=0) == F(16, 17) + 0 + F(1, 17)


@pytest.mark.parametrize(
    "call",
    [
        lambda: assign_data("P", [[0, 0]]),
        lambda: assign_data(arrangement([[1, 0]], [0], [(-1, 1), (-1, 1)]), []),
        lambda: assign_data(arrangement([[1, 0]], [0], [(-1, 1), (-1, 1)]), [[3, 3]]),
        lambda: assign_data(arrangement([[1, 0]], [0], [(-1, 1), (-1, 1)]), [[0.5, 0.5]]),
        lambda: small_cell_penalty(arrangement([[1, 0]], [0], [(-1, 1), (-1, 1)])),
        lambda: small_cell_penalty(arrangement([[1, 0]], [0], [(-1, 1), (-1, 1)]), [[0, 0]], phi="log"),
        lambda: small_cell_penalty(object(), [[0, 0]]),
        lambda: margin_penalty(arrangement([[1, 0]], [0], [(-1, 1), (-1, 1)]), [[0, 0]], margin=0.1),
        lambda: build_plan(arrangement([[1, 0]], [0], [(-1, 1), (-1, 1)]), [[0, 0]]),
    ],
)
def test_invalid_inputs(call):
    with pytest.raises(InvalidInputError):
        call()


# ---------------------------------------------------------------------- torch agreement
def _random_net(seed, sizes):
    g = torch.Generator().manual_seed(seed)
    W = [torch.randn(sizes[l + 1], sizes[l], generator=g, dtype=torch.float64).requires_grad_() for l in range(len(sizes) - 1)]
    b = [(0.5 * torch.randn(sizes[l + 1], generator=g, dtype=torch.float64)).requires_grad_() for l in range(len(sizes) - 1)]
    X = torch.rand(30, sizes[0], generator=g, dtype=torch.float64) * 2 - 1
    return W, b, X


CASES = [(0, [2, 5, 4, 1]), (1, [2, 6, 1]), (2, [3, 4, 3, 1]), (3, [2, 4, 4, 4, 1]), (4, [2, 7, 5, 2])]


@pytest.mark.parametrize("seed, sizes", CASES)
def test_torch_values_agree_with_exact(seed, sizes):
    W, b, X = _random_net(seed, sizes)
    net = exact_network(W, b, policy="exact")
    n = sizes[0]
    P = relu_network(net, None, [(-1, 1)] * n, mode="data", data=X.tolist(), policy="exact")
    plan = build_plan(P, X.tolist(), policy="exact", threshold=F(1, 2), margin=F(1, 4))
    vals = penalties_torch(W, b, plan)
    exact = plan.exact.as_dict()
    for k, v in vals.items():
        e = float(exact[k])
        assert abs(float(v.detach()) - e) <= 1e-6 * max(abs(e), 1e-12), (k, float(v), e)
    # the same exact values from the general (non-plan) functions on the full partition
    Pf = relu_network(net, None, [(-1, 1)] * n)
    g = geometric_penalties(Pf, X.tolist(), policy="exact", threshold=F(1, 2), margin=F(1, 4))
    assert g.as_dict() == exact
    # gradients exist and are finite for every hidden layer
    sum(vals.values()).backward()
    for t in W[:-1] + b[:-1]:
        assert t.grad is not None and torch.isfinite(t.grad).all()


def test_torch_gradients_match_finite_differences():
    W, b, X = _random_net(7, [2, 3, 1])
    X = X[:8]
    net = exact_network(W, b, policy="exact")
    P = relu_network(net, None, [(-1, 1)] * 2, mode="data", data=X.tolist(), policy="exact")
    plan = build_plan(P, X.tolist(), policy="exact", threshold=0, margin=F(1, 4))
    for name in ("small_cells", "sliver_angles", "boundary_area", "margins"):
        def f(w0, b0, name=name):
            return penalties_torch([w0, W[1]], [b0, b[1]], plan)[name]

        inputs = (W[0].detach().clone().requires_grad_(), b[0].detach().clone().requires_grad_())
        assert torch.autograd.gradcheck(f, inputs, eps=1e-7, atol=1e-5, rtol=1e-4, fast_mode=True)


def test_regularizer_object_and_module_helpers():
    torch.manual_seed(3)
    net = torch.nn.Sequential(torch.nn.Linear(2, 5), torch.nn.ReLU(), torch.nn.Linear(5, 1)).double()
    X = torch.rand(20, 2, dtype=torch.float64) * 2 - 1
    reg = GeometricRegularizer(
        net, [(-1, 1), (-1, 1)], X, {"small_cells": 1e-3, "boundary_area": 1.0}, every=2, exact_values=True,
        policy="exact",
    )
    loss = reg()
    loss.backward()
    assert all(torch.isfinite(p.grad).all() for p in net.parameters())
    expected = 1e-3 * float(reg.plan.exact.small_cells) + float(reg.plan.exact.boundary_area)
    assert abs(float(loss.detach()) - expected) <= 1e-9 * expected
    plan1 = reg.plan
    reg()
    assert reg.plan is plan1  # every=2: not re-planned on the second call
    reg()
    assert reg.plan is not plan1
    plan = plan_for_module(net, [(-1, 1), (-1, 1)], X, policy="exact")
    assert plan.layer_sizes == (2, 5, 1)


def test_invalid_torch_inputs():
    with pytest.raises(UnsupportedModelError):
        relu_parameters(torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Tanh(), torch.nn.Linear(3, 1)))
    with pytest.raises(UnsupportedModelError):
        relu_parameters(torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU()))
    with pytest.raises(UnsupportedModelError):
        relu_parameters(torch.nn.Linear(2, 3))
    net = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1)).double()
    with pytest.raises(InvalidInputError):
        GeometricRegularizer(net, [(-1, 1), (-1, 1)], torch.zeros(1, 2), {"bogus": 1.0}, policy="exact")
    with pytest.raises(InvalidInputError):
        GeometricRegularizer(net, [(-1, 1), (-1, 1)], torch.zeros(1, 2), {}, every=0, policy="exact")
    with pytest.raises(InvalidInputError):
        GeometricRegularizer(net, [(-1, 1), (-1, 1)], torch.zeros(1, 2), {}, num_threads=0, policy="exact")
    # the float-policy rule of from_torch: floats are read only with an explicit policy
    with pytest.raises(InexactInputError, match="policy"):
        GeometricRegularizer(net, [(-1, 1), (-1, 1)], torch.zeros(1, 2), {})
    with pytest.raises(InexactInputError, match="policy"):
        plan_for_module(net, [(-1, 1), (-1, 1)], torch.zeros(1, 2))
    with pytest.raises(InexactInputError, match="policy"):
        exact_network(*relu_parameters(net))
    with pytest.raises(InexactInputError, match="policy"):
        from_torch(net, [(-1, 1), (-1, 1)])
    W, b, X = _random_net(1, [2, 3, 1])
    P = relu_network(exact_network(W, b, policy="exact"), None, [(-1, 1)] * 2, mode="data", data=X.tolist(), policy="exact")
    plan = build_plan(P, X.tolist(), policy="exact")
    with pytest.raises(InvalidInputError):
        penalties_torch(W[:1] + [torch.zeros(2, 3, dtype=torch.float64)], b, plan)
    planc = build_plan(P, X.tolist(), policy="exact", phi=lambda t: 1 / t)
    with pytest.raises(InvalidInputError):
        penalties_torch(W, b, planc)
    small = float(penalties_torch(W, b, planc, phi_torch=lambda t: 1 / t)["small_cells"].detach())
    assert abs(small - float(planc.exact.small_cells)) < 1e-9 * float(planc.exact.small_cells)


def test_regularizer_threads_inside_the_call_and_gradient_equals_direct_autograd(monkeypatch):
    import exactgeom.analysis.regularize_torch as RT

    torch.manual_seed(5)
    net = torch.nn.Sequential(torch.nn.Linear(2, 6), torch.nn.ReLU(), torch.nn.Linear(6, 5), torch.nn.ReLU(),
                              torch.nn.Linear(5, 1)).double()
    X = torch.rand(25, 2, dtype=torch.float64) * 2 - 1
    coef = {"small_cells": 1e-3, "sliver_angles": 0.5, "boundary_area": 0.1, "margins": 2.0}
    reg = GeometricRegularizer(net, [(-1, 1), (-1, 1)], X, coef, policy="exact", threshold=F(1, 2), margin=F(1, 4))
    seen = []
    real = RT.penalties_torch

    def spy(*a, **k):
        seen.append(torch.get_num_threads())
        return real(*a, **k)

    monkeypatch.setattr(RT, "penalties_torch", spy)
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        loss = reg()
        assert seen == [1] and torch.get_num_threads() == 2  # 1 thread inside, restored after
    finally:
        torch.set_num_threads(before)
    loss.backward()
    got = [p.grad.clone() for p in net.parameters()]
    # the same penalty through penalties_torch and plain autograd, on the same plan
    net.zero_grad()
    W, b = relu_parameters(net)
    vals = real(W, b, reg.plan)
    direct = sum(c * vals[k] for k, c in coef.items())
    assert abs(float(loss.detach()) - float(direct.detach())) <= 1e-12 * abs(float(direct.detach()))
    direct.backward()
    for g, p in zip(got, net.parameters()):
        ref = torch.zeros_like(p) if p.grad is None else p.grad  # the output layer: no geometry, zero gradient
        assert torch.allclose(g, ref, rtol=1e-12, atol=1e-300)


def test_top_level_lazy_export_and_import_without_torch():
    import subprocess
    import sys

    import exactgeom
    from exactgeom.analysis.regularize_torch import GeometricRegularizer as G

    assert exactgeom.GeometricRegularizer is G and "GeometricRegularizer" in dir(exactgeom)
    code = (
        "import sys; sys.modules['torch'] = None\n"
        "import exactgeom\n"
        "try:\n    exactgeom.GeometricRegularizer\nexcept ImportError as e:\n    print('refused:', e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "refused:" in out and "pip install 'exactgeom[torch]'" in out
