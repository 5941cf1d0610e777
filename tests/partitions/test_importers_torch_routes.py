"""One reading of a torch model, whichever way it arrives: ``from_torch(obj, ...)`` in memory
and ``read_model(path).build()`` of ``torch.save(obj, path)`` give the same network and the
same partition, and refuse the same inputs with the same error type and message (the file
route names the file where the in-memory one says "the model").

Every accepted model is also checked against torch's own float64 forward pass at interior
points of every cell (an independent computation), except the state_dict readings, whose
network (Linear–ReLU–…–Linear) is by definition not the module's when the module differs."""

from __future__ import annotations

import warnings
from fractions import Fraction

import pytest
from _partitions_helpers import cell_points

from exactgeom import InexactInputError, InvalidInputError, UnsupportedModelError
from exactgeom.importers import from_torch
from exactgeom.io.model_files import read_model

torch = pytest.importorskip("torch")
nn = torch.nn
SQ = [(-1, 1), (-1, 1)]


def _seeded(seed, make):
    torch.manual_seed(seed)
    return make()


def _bn_net():
    net = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3), nn.LeakyReLU(0.25), nn.Dropout(0.4), nn.Linear(3, 1))
    with torch.no_grad():
        net[1].running_mean.uniform_(-0.5, 0.5)
        net[1].running_var.uniform_(0.5, 2.0)
    return net.train()  # saved / passed mid-training: both routes read it at inference


class _Custom(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Linear(2, 3)

    def forward(self, x):
        return torch.relu(self.a(x))


def _script():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch.jit.script is deprecated in recent torch
        return torch.jit.script(nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)))


# (id, factory, torch oracle applies)
VALID = [
    ("linear", lambda: _seeded(0, lambda: nn.Linear(2, 3)), True),
    ("sequential", lambda: _seeded(1, lambda: nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1))), True),
    ("nested", lambda: _seeded(2, lambda: nn.Sequential(nn.Sequential(nn.Linear(2, 3), nn.ReLU()),
                                                        nn.Sequential(nn.Linear(3, 2)))), True),
    ("final_relu", lambda: _seeded(3, lambda: nn.Sequential(nn.Linear(2, 3), nn.ReLU())), True),
    ("leaky", lambda: _seeded(4, lambda: nn.Sequential(nn.Linear(2, 3), nn.LeakyReLU(0.125), nn.Linear(3, 1))), True),
    ("batchnorm_train_mode", lambda: _seeded(5, _bn_net), True),
    ("float64", lambda: _seeded(6, lambda: nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)).double()), True),
    ("float16", lambda: _seeded(7, lambda: nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)).half()), True),
    ("bfloat16", lambda: _seeded(8, lambda: nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)).bfloat16()), True),
    ("no_bias", lambda: _seeded(9, lambda: nn.Sequential(nn.Linear(2, 3, bias=False), nn.ReLU(), nn.Linear(3, 1))), True),
    ("state_dict", lambda: _seeded(1, lambda: nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1)).state_dict()),
     False),
    ("state_dict_no_bias",
     lambda: _seeded(9, lambda: nn.Sequential(nn.Linear(2, 3, bias=False), nn.ReLU(), nn.Linear(3, 1)).state_dict()),
     False),
]


def _both(obj, tmp_path, policy="exact", domain=SQ, save=None):
    """``(in-memory result or exception, file result or exception, repr of the file path)``."""
    p = tmp_path / "model.pt"
    (save or torch.save)(obj, p)
    out = []
    for call in (lambda: from_torch(obj, domain, policy=policy),
                 lambda: read_model(p, policy=policy, domain=domain).build()):
        try:
            with warnings.catch_warnings():
                if save is not None:  # TorchScript: torch's deprecation / dispatch warnings
                    warnings.simplefilter("ignore")
                out.append(call())
        except Exception as exc:  # compared below, type and message
            out.append(exc)
    return out[0], out[1], repr(str(p))


@pytest.mark.parametrize("make, oracle", [r[1:] for r in VALID], ids=[r[0] for r in VALID])
def test_same_partition_in_memory_and_from_file(make, oracle, tmp_path):
    obj = make()
    P, Q, _ = _both(obj, tmp_path)
    assert not isinstance(P, Exception), P
    assert not isinstance(Q, Exception), Q
    assert P.check().ok
    assert (P.model.weights, P.model.biases, P.model.negative_slopes) == (
        Q.model.weights, Q.model.biases, Q.model.negative_slopes)
    assert {c.key: c.polytope for c in P.cells} == {c.key: c.polytope for c in Q.cells}
    assert sum(c.polytope.volume() for c in P.cells) == 4  # the cells tile the square
    if oracle:
        net = obj.double().eval()
        for _, x in cell_points(P, seed=1, k=2):
            with torch.no_grad():
                t = net(torch.tensor([[float(v) for v in x]], dtype=torch.float64))[0].tolist()
            exact = [float(v) for v in P.model.forward(x)]
            assert exact == pytest.approx(t, abs=1e-9)


def test_training_mode_module_is_not_modified(tmp_path):
    net = _seeded(5, _bn_net)
    P, Q, _ = _both(net, tmp_path)
    assert net.training and all(m.training for m in net.modules())
    assert P.n_cells == Q.n_cells


def test_bare_layer_reads_as_a_one_layer_sequential():
    lin = _seeded(0, lambda: nn.Linear(2, 3))
    P = from_torch(lin, SQ, policy="exact")
    Q = from_torch(nn.Sequential(lin), SQ, policy="exact")
    assert P.model.weights == Q.model.weights and P.n_cells == Q.n_cells == 1


def test_state_dict_reads_relu_between_linears():
    """A state_dict has no layer types: it is read as Linear–ReLU–Linear, the module the
    state_dict of ``Sequential(Linear, ReLU, Linear)`` comes from — also when it came from
    two Linear layers in a row (which the module reading composes into one)."""
    net = _seeded(11, lambda: nn.Sequential(nn.Linear(2, 3), nn.Linear(3, 1)))
    with_relu = nn.Sequential(net[0], nn.ReLU(), net[1])
    P = from_torch(net.state_dict(), SQ, policy="exact")
    Q = from_torch(with_relu, SQ, policy="exact")
    assert {c.key: c.polytope for c in P.cells} == {c.key: c.polytope for c in Q.cells}
    assert from_torch(net, SQ, policy="exact").n_cells == 1
    assert P.provenance["source"] == "torch state_dict"


def _meta():
    return nn.Sequential(nn.Linear(2, 1, device="meta"))


def _nan():
    net = nn.Sequential(nn.Linear(2, 1))
    with torch.no_grad():
        net[0].weight[0, 0] = float("nan")
    return net


def _zero_units():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch warns about zero-element tensors
        return nn.Sequential(nn.Linear(2, 0), nn.ReLU(), nn.Linear(0, 1))


def _quiet(f, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return f(*args)


# (id, factory, error type, message fragment, how the object is saved)
INVALID = [
    ("tanh", lambda: nn.Sequential(nn.Linear(2, 2), nn.Tanh(), nn.Linear(2, 1)), UnsupportedModelError, "Tanh", None),
    ("conv", lambda: nn.Sequential(nn.Conv1d(1, 1, 1)), UnsupportedModelError, "Conv1d", None),
    ("custom_module", _Custom, UnsupportedModelError, "custom nn.Module", None),
    ("module_list", lambda: nn.ModuleList([nn.Linear(2, 1)]), UnsupportedModelError, "ModuleList", None),
    ("torchscript", _script, UnsupportedModelError, "TorchScript", lambda o, p: _quiet(torch.jit.save, o, p)),
    ("relu_alone", lambda: nn.ReLU(), UnsupportedModelError, "ReLU before the first Linear", None),
    ("batchnorm_no_stats",
     lambda: nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3, track_running_stats=False), nn.Linear(3, 1)),
     UnsupportedModelError, "running statistics", None),
    ("leaky_after_relu", lambda: nn.Sequential(nn.Linear(2, 2), nn.ReLU(), nn.LeakyReLU(0.1), nn.Linear(2, 1)),
     UnsupportedModelError, "two activations", None),
    ("state_dict_batchnorm",
     lambda: nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3), nn.ReLU(), nn.Linear(3, 1)).state_dict(),
     UnsupportedModelError, "save the whole module", None),
    ("empty_sequential", lambda: nn.Sequential(), InvalidInputError, "empty", None),
    ("empty_state_dict", lambda: {}, InvalidInputError, "no '<i>.weight'", None),
    ("checkpoint_dict", lambda: {"model": nn.Linear(2, 1).state_dict(), "epoch": 3}, InvalidInputError,
     "checkpoint", None),
    ("tensor", lambda: torch.zeros(2), InvalidInputError, "not a torch model", None),
    ("widths", lambda: nn.Sequential(nn.Linear(2, 3), nn.Linear(4, 1)), InvalidInputError, "expects 4 inputs", None),
    ("state_dict_widths", lambda: {"0.weight": torch.ones(3, 2), "1.weight": torch.ones(1, 4)}, InvalidInputError,
     "takes 4 inputs", None),
    ("state_dict_orphan_bias", lambda: {"0.weight": torch.ones(1, 2), "1.bias": torch.ones(1)}, InvalidInputError,
     "no matching", None),
    ("domain_dimension", lambda: nn.Sequential(nn.Linear(3, 1)), InvalidInputError, "3 inputs but the domain", None),
    ("nan_weight", _nan, InvalidInputError, "nan", None),
    ("complex_weight", lambda: nn.Sequential(nn.Linear(2, 1, dtype=torch.complex64)), InvalidInputError, "complex",
     None),
    ("meta_device", _meta, InvalidInputError, "'meta' device", None),
    ("meta_state_dict", lambda: _meta().state_dict(), InvalidInputError, "'meta' device", None),
    ("zero_units", _zero_units, InvalidInputError, "at least one input and one unit", None),
]


@pytest.mark.parametrize("make, exc, what, save", [r[1:] for r in INVALID], ids=[r[0] for r in INVALID])
def test_same_refusal_in_memory_and_from_file(make, exc, what, save, tmp_path):
    E1, E2, where = _both(make(), tmp_path, save=save)
    assert type(E1) is type(E2) is exc, (E1, E2)
    assert what.lower() in str(E1).lower()
    assert str(E1) == str(E2).replace(where, "the model")


def test_no_policy_is_inexact_both_ways(tmp_path):
    net = _seeded(1, lambda: nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1)))
    E1, E2, _ = _both(net, tmp_path, policy=None)
    assert isinstance(E1, InexactInputError) and isinstance(E2, InexactInputError)
    assert "policy" in str(E1) and "policy" in str(E2)


def test_limit_denominator_policy_same_both_ways(tmp_path):
    net = _seeded(1, lambda: nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1)))
    P, Q, _ = _both(net, tmp_path, policy="limit_denominator(100)")
    assert P.model.weights == Q.model.weights
    assert all(w.denominator <= 100 for W in P.model.weights for r in W for w in map(Fraction, r))
