"""from_torch with the layers real training code leaves in a model: inference identities
(Identity, Flatten, Dropout/AlphaDropout in eval mode) and eval-mode BatchNorm1d, checked
against torch's own float64 forward pass at interior points of every cell."""

from __future__ import annotations

from fractions import Fraction

import pytest
from _partitions_helpers import cell_points

from exactgeom import UnsupportedModelError
from exactgeom.importers import from_torch

torch = pytest.importorskip("torch")
nn = torch.nn
SQ = [(-1, 1), (-1, 1)]


def _bn(k, seed):
    g = torch.Generator().manual_seed(seed)
    bn = nn.BatchNorm1d(k)
    with torch.no_grad():
        bn.running_mean.copy_(torch.rand(k, generator=g) - 0.5)
        bn.running_var.copy_(torch.rand(k, generator=g) * 2 + 0.1)
        bn.weight.copy_(torch.rand(k, generator=g) * 2 - 1)
        bn.bias.copy_(torch.rand(k, generator=g) - 0.5)
    return bn


NETS = {
    "identities": lambda: [nn.Flatten(), nn.Linear(2, 5), nn.Identity(), nn.ReLU(), nn.Dropout(0.3), nn.Linear(5, 1)],
    "alpha-dropout": lambda: [nn.Linear(2, 4), nn.ReLU(), nn.AlphaDropout(0.2), nn.Linear(4, 4), nn.ReLU(),
                              nn.Linear(4, 2)],
    "bn-before-relu": lambda: [nn.Linear(2, 5), _bn(5, 1), nn.ReLU(), nn.Linear(5, 1)],
    "bn-after-relu": lambda: [nn.Linear(2, 4), nn.ReLU(), _bn(4, 2), nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 1)],
    "bn-at-input-no-affine": lambda: [nn.BatchNorm1d(2, affine=False), nn.Linear(2, 4), nn.LeakyReLU(0.125),
                                      nn.Linear(4, 1)],
}


@pytest.mark.parametrize("kind", NETS, ids=list(NETS))
def test_inference_layers_give_the_modules_outputs(kind):
    torch.manual_seed(0)
    net = nn.Sequential(*NETS[kind]()).double()
    if kind == "bn-at-input-no-affine":
        with torch.no_grad():
            net[0].running_mean.copy_(torch.tensor([0.25, -0.5], dtype=torch.float64))
            net[0].running_var.copy_(torch.tensor([4.0, 0.25], dtype=torch.float64))
    net.eval()
    P = from_torch(net, SQ, policy="exact")
    assert P.check().ok
    has_bn = any(isinstance(m, nn.BatchNorm1d) for m in net)
    assert ("float_steps" in P.provenance) == has_bn
    n = 0
    for c, x in cell_points(P, k=3):
        J, off = P.output_affine(c)
        y = [float(sum((a * xi for a, xi in zip(row, x)), Fraction(0)) + o) for row, o in zip(J, off)]
        with torch.no_grad():
            ref = net(torch.tensor([[float(v) for v in x]], dtype=torch.float64))[0].tolist()
        assert y == pytest.approx(ref, rel=1e-9, abs=1e-9)
        n += 1
    assert n >= 4 * P.n_cells


def test_batchnorm_with_exact_scales_is_exact():
    """running_var + eps a perfect square of a dyadic: the float64 square root is exact, so
    the folded layer is exactly γ(x − μ)/√(σ²+ε) + β."""
    bn = nn.BatchNorm1d(2, eps=0.0).double()
    with torch.no_grad():
        bn.running_mean.copy_(torch.tensor([0.5, -0.25], dtype=torch.float64))
        bn.running_var.copy_(torch.tensor([4.0, 0.0625], dtype=torch.float64))
        bn.weight.copy_(torch.tensor([3.0, -1.0], dtype=torch.float64))
        bn.bias.copy_(torch.tensor([1.0, 0.5], dtype=torch.float64))
    lin = nn.Linear(2, 1).double()
    with torch.no_grad():
        lin.weight.copy_(torch.tensor([[1.0, 1.0]], dtype=torch.float64))
        lin.bias.zero_()
    P = from_torch(nn.Sequential(bn, nn.ReLU(), lin).eval(), SQ, policy="exact")
    # unit 0: 3(x−1/2)/2 + 1 = (3/2)x + 1/4; unit 1: −(y+1/4)/(1/4) + 1/2 = −4y − 1/2
    W, b = P.model.weights[0], P.model.biases[0]
    assert W == ((Fraction(3, 2), 0), (0, -4)) and b == (Fraction(1, 4), Fraction(-1, 2))


def test_training_mode_layers_are_read_at_inference():
    """A module in training mode is read as in eval mode (the inference function, the reading
    of a saved .pt file too), and is not modified."""
    torch.manual_seed(3)
    net = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3), nn.ReLU(), nn.Dropout(0.5), nn.Linear(3, 1))
    with torch.no_grad():
        net[1].running_mean.uniform_(-0.5, 0.5)
        net[1].running_var.uniform_(0.5, 2.0)
    net.train()
    P = from_torch(net, SQ, policy="exact")
    assert net.training and net[1].training and net[3].training  # untouched
    Q = from_torch(net.eval(), SQ, policy="exact")
    assert {c.key: c.polytope for c in P.cells} == {c.key: c.polytope for c in Q.cells}
    assert P.model.weights == Q.model.weights and P.model.biases == Q.model.biases
    no_stats = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3, track_running_stats=False), nn.Linear(3, 1)).eval()
    with pytest.raises(UnsupportedModelError, match="running statistics"):
        from_torch(no_stats, SQ, policy="exact")
    # Dropout(p=0) is the identity even in training mode
    P = from_torch(nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Dropout(0.0), nn.Linear(3, 1)), SQ, policy="exact")
    assert P.n_cells >= 1
    with pytest.raises(UnsupportedModelError, match="Sigmoid"):
        from_torch(nn.Sequential(nn.Linear(2, 3), nn.Sigmoid(), nn.Linear(3, 1)), SQ, policy="exact")
