"""Exact partitions of PyTorch ReLU networks (optional extra ``exactgeom[torch]``).

``from_torch(module, domain, policy=...)`` accepts an ``nn.Sequential`` (nested
``nn.Sequential`` containers are flattened) of ``nn.Linear``, ``nn.ReLU`` and
``nn.LeakyReLU`` layers only; any other layer raises
:class:`~exactgeom.errors.UnsupportedModelError` naming it. A ``LeakyReLU``'s
``negative_slope`` (a float) is converted by the same ``policy`` into a rational slope,
so the network stays piecewise linear and exact (``ReLUNetwork(negative_slopes=...)``).
The layers are read as the network ``h_l = ReLU(W_l h_{l−1} + b_l)`` with an affine
output layer, and :func:`exactgeom.partitions.relu.relu_network` builds the partition:

* consecutive ``Linear`` layers with no ``ReLU`` between them are composed exactly
  into one affine layer; repeated ``ReLU`` layers act as one (two activations in a
  row of which one is leaky are refused: compose them into one yourself);
* a ``ReLU`` with no ``Linear`` before it (at the input) acts on the identity map;
* a ``ReLU`` after the last ``Linear`` makes that layer a hidden layer and an identity
  output layer is appended, so the output units' activation pattern becomes part of
  the key and the network is still affine on every cell;
* a ``Linear`` without bias has bias 0;
* layers that are the identity at inference are skipped: ``nn.Identity``, ``nn.Flatten``
  (the input is a batch of vectors, so it changes nothing) and ``nn.Dropout`` /
  ``nn.AlphaDropout`` in eval mode (in training mode they are random: refused, call
  ``module.eval()``);
* ``nn.BatchNorm1d`` in eval mode is the per-feature affine map
  ``x ↦ a ⊙ x + (β − a ⊙ μ)`` with ``a = γ / √(σ² + ε)`` from its running statistics; it
  is composed with the neighbouring ``Linear`` layers exactly like a ``Linear``. The
  square root is irrational in general, so ``a`` is computed **in float64** (as torch
  computes it in the module's float type) and that float is converted by the
  ``policy`` — the one float operation on the way in, documented here and recorded in
  ``provenance["float_steps"]``. In training mode (batch statistics) or without running
  statistics it is refused.

Weights (float tensors) are converted by the explicit ``policy`` (required), recorded
in ``provenance["policy"]``; ``provenance["source"]`` is ``"torch.nn.Sequential"``.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import torch
from torch import nn

from ..errors import InexactInputError, InvalidInputError, UnsupportedModelError
from ..numbers.rational import FloatPolicy, PolicyLike, as_rational_matrix, as_rational_vector
from ..partitions.partition import Partition
from . import _restamp

__all__ = ["from_torch", "sequential_to_layers", "sequential_to_network"]


def tensor_to_numpy(t: Any, name: str = "tensor") -> Any:
    """A tensor's values as a numpy array without loss: integer tensors stay integer
    (``int64`` exactly, never through float), floating ones become float64 (exact for
    every torch float type); complex tensors are refused, never truncated."""
    if getattr(t, "is_meta", False):
        raise InvalidInputError(
            f"{name} is a tensor on the 'meta' device: it has a shape but no values; load or "
            "initialise the weights (e.g. module.to_empty(device='cpu') and load_state_dict) first"
        )
    t = t.detach().cpu()
    if t.dtype.is_complex:
        raise InvalidInputError(f"{name} is a complex tensor ({t.dtype}); exactgeom never drops an imaginary part")
    return (t.double() if t.dtype.is_floating_point else t).numpy()

Vec = tuple[Fraction, ...]
Mat = tuple[Vec, ...]


def _flatten(module: Any, prefix: str = "") -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for name, child in module.named_children():
        full = f"{prefix}{name}"
        if isinstance(child, nn.Sequential):
            out.extend(_flatten(child, full + "."))
        else:
            out.append((full, child))
    return out


def _matmul(A: Mat, B: Mat) -> Mat:
    cols = list(zip(*B))
    return tuple(tuple(sum((a * b for a, b in zip(row, col)), Fraction(0)) for col in cols) for row in A)


def _matvec(A: Mat, x: Vec) -> Vec:
    return tuple(sum((a * b for a, b in zip(row, x)), Fraction(0)) for row in A)


def _is_identity(name: str, layer: Any) -> bool:
    """Whether ``layer`` is the identity on a batch of vectors at inference (skipped)."""
    if isinstance(layer, (nn.Identity, nn.Flatten)):
        return True
    if isinstance(layer, (nn.Dropout, nn.AlphaDropout)):
        if layer.training and layer.p > 0:
            raise UnsupportedModelError(
                f"layer {name!r} is {type(layer).__name__} in training mode (random); call module.eval() first"
            )
        return True
    return False


def _affine_layer(name: str, layer: Any, pol: FloatPolicy) -> tuple[Mat, Vec, int]:
    """Exact ``(W, b, in_features)`` of a ``Linear`` or an eval-mode ``BatchNorm1d``."""
    with torch.no_grad():
        if isinstance(layer, nn.Linear):
            if layer.in_features < 1 or layer.out_features < 1:
                raise InvalidInputError(
                    f"layer {name!r} is Linear({layer.in_features}, {layer.out_features}); every layer needs "
                    "at least one input and one unit"
                )
            W = as_rational_matrix(tensor_to_numpy(layer.weight, f"{name}.weight"), pol, name=f"{name}.weight")
            if layer.bias is not None:
                b = as_rational_vector(tensor_to_numpy(layer.bias, f"{name}.bias"), pol, name=f"{name}.bias")
            else:
                b = tuple(Fraction(0) for _ in W)
            return W, b, int(layer.in_features)
        # BatchNorm1d: a = γ/√(σ²+ε) in float64 (the documented float step), then the policy
        if layer.training or layer.running_mean is None or layer.running_var is None:
            raise UnsupportedModelError(
                f"layer {name!r} is BatchNorm1d in training mode or without running statistics (it normalises by "
                "batch statistics); call module.eval() after training with track_running_stats=True"
            )
        k = int(layer.num_features)
        mean = tensor_to_numpy(layer.running_mean, f"{name}.running_mean")
        var = tensor_to_numpy(layer.running_var, f"{name}.running_var")
        gamma = tensor_to_numpy(layer.weight, f"{name}.weight") if layer.weight is not None else None
        beta = tensor_to_numpy(layer.bias, f"{name}.bias") if layer.bias is not None else None
        import numpy as np

        scale = 1.0 / np.sqrt(var + float(layer.eps))
        if gamma is not None:
            scale = gamma * scale
        a = as_rational_vector(scale, pol, name=f"{name} scale γ/√(σ²+ε)", length=k)
        mu = as_rational_vector(mean, pol, name=f"{name}.running_mean", length=k)
        shift = as_rational_vector(beta, pol, name=f"{name}.bias", length=k) if beta is not None else (Fraction(0),) * k
        W = tuple(tuple(a[i] if i == j else Fraction(0) for j in range(k)) for i in range(k))
        return W, tuple(t - ai * m for t, ai, m in zip(shift, a, mu)), k


def sequential_to_layers(module: Any, policy: PolicyLike) -> tuple[list[Mat], list[Vec]]:
    """Exact ``(weights, biases)`` of an ``nn.Sequential`` of ``Linear``/``ReLU`` layers,
    in the convention of :func:`~exactgeom.partitions.relu.relu_network` (every layer but
    the last is followed by a ReLU; ``weights[l]`` has shape out × in). A network with
    ``LeakyReLU`` layers needs :func:`sequential_to_network` (it has slopes too)."""
    weights, biases, slopes = sequential_to_network(module, policy)
    if any(slopes):
        raise UnsupportedModelError(
            "the network has LeakyReLU layers; use sequential_to_network (weights, biases and negative slopes)"
        )
    return weights, biases


def sequential_to_network(module: Any, policy: PolicyLike) -> tuple[list[Mat], list[Vec], list[Fraction]]:
    """Exact ``(weights, biases, negative_slopes)`` of an ``nn.Sequential`` of
    ``Linear``/``ReLU``/``LeakyReLU`` layers: one slope per hidden layer (0 for ``ReLU``,
    the policy-converted ``negative_slope`` for ``LeakyReLU``).

    >>> import torch
    >>> net = torch.nn.Sequential(torch.nn.Linear(1, 2), torch.nn.LeakyReLU(0.25), torch.nn.Linear(2, 1))
    >>> sequential_to_network(net, "exact")[2]
    [Fraction(1, 4)]
    """
    pol = FloatPolicy.parse(policy)
    if not isinstance(module, nn.Sequential):
        raise UnsupportedModelError(
            f"from_torch needs an nn.Sequential of Linear and ReLU layers, got {type(module).__name__}"
        )
    layers = _flatten(module)
    if not layers:
        raise InvalidInputError("the nn.Sequential is empty")
    weights: list[Mat] = []
    biases: list[Vec] = []
    slopes: list[Fraction] = []
    pending: tuple[Mat, Vec] | None = None  # affine map since the last ReLU
    n_in: int | None = None
    relu_last = False
    for name, layer in layers:
        if _is_identity(name, layer):
            continue
        if isinstance(layer, (nn.Linear, nn.BatchNorm1d)):
            W, b, width_in = _affine_layer(name, layer, pol)
            if pending is None:
                if n_in is not None and width_in != n_in:
                    raise InvalidInputError(f"layer {name} expects {width_in} inputs but gets {n_in}")
                pending = (W, b)
            else:
                P, c = pending
                if width_in != len(P):
                    raise InvalidInputError(f"layer {name} expects {width_in} inputs but gets {len(P)}")
                pending = (_matmul(W, P), tuple(x + y for x, y in zip(_matvec(W, c), b)))
            if n_in is None:
                n_in = width_in
            relu_last = False
        elif isinstance(layer, (nn.ReLU, nn.LeakyReLU)):
            slope = Fraction(0)
            if isinstance(layer, nn.LeakyReLU):
                slope = pol.convert(float(layer.negative_slope))
            if pending is None:
                if relu_last and not slope and not slopes[-1]:  # ReLU after ReLU: idempotent
                    continue
                if relu_last:
                    raise UnsupportedModelError(
                        f"layer {name}: two activations in a row, one of them leaky, are not one (leaky) ReLU; "
                        "put a Linear layer between them or merge them"
                    )
                # otherwise no Linear came yet (every Linear sets `pending`)
                raise UnsupportedModelError(
                    f"layer {name}: a ReLU before the first Linear layer needs the input width; "
                    "put an nn.Linear first (or apply the ReLU to the domain yourself)"
                )
            weights.append(pending[0])
            biases.append(pending[1])
            slopes.append(slope)
            n_in = len(pending[0])
            pending = None
            relu_last = True
        else:
            raise UnsupportedModelError(
                f"layer {name!r} is {type(layer).__name__}; from_torch supports nn.Linear, nn.ReLU, nn.LeakyReLU, "
                "nn.BatchNorm1d (eval mode) and the inference identities nn.Identity, nn.Flatten, nn.Dropout "
                "(a piecewise-linear network); remove or replace that layer"
            )
    if pending is None:
        if not weights:
            raise UnsupportedModelError("the network has no Linear layer")
        # ReLU after the last Linear: identity output layer on the last hidden layer
        m = len(weights[-1])
        weights.append(tuple(tuple(Fraction(int(i == j)) for j in range(m)) for i in range(m)))
        biases.append(tuple(Fraction(0) for _ in range(m)))
    else:
        weights.append(pending[0])
        biases.append(pending[1])
    return weights, biases, slopes


def from_torch(
    module: Any,
    domain: Any,
    *,
    policy: PolicyLike | None = None,
    mode: str = "full",
    data: Any = None,
    progress: Any = None,
    executor: Any = None,
    engine: str = "auto",
) -> Partition:
    """The exact partition of ``domain`` induced by a PyTorch ReLU network.

    Parameters
    ----------
    module : torch.nn.Sequential
        ``Linear``, ``ReLU`` and ``LeakyReLU`` layers only (see the module docstring).
    domain : list of (lo, hi) pairs or a full-dimensional Polytope
    policy : "exact" | "limit_denominator(N)" | FloatPolicy
        Required: how the float weights (and float ``data``) become rationals.
    mode, data, progress, executor, engine
        Passed to :func:`exactgeom.partitions.relu.relu_network`.

    Examples
    --------
    >>> import torch
    >>> net = torch.nn.Sequential(torch.nn.Linear(1, 2), torch.nn.ReLU(), torch.nn.Linear(2, 1))
    >>> with torch.no_grad():
    ...     _ = net[0].weight.copy_(torch.tensor([[1.0], [-1.0]])); _ = net[0].bias.zero_()
    >>> W, b = sequential_to_layers(net, "exact")
    >>> [len(w) for w in W], W[0]
    ([2, 1], ((Fraction(1, 1),), (Fraction(-1, 1),)))
    """
    if policy is None:
        raise InexactInputError(
            "a torch network has float weights; choose how to convert them, e.g. "
            "from_torch(net, domain, policy='exact') or policy='limit_denominator(1000000)'"
        )
    pol = FloatPolicy.parse(policy)
    weights, biases, slopes = sequential_to_network(module, pol)
    from ..partitions.partition import as_domain

    n = as_domain(domain, policy=pol).ambient_dim
    if len(weights[0][0]) != n:
        raise InvalidInputError(f"the network has {len(weights[0][0])} inputs but the domain lives in R^{n}")
    from ..partitions.relu import ReLUNetwork, relu_network

    if data is not None and hasattr(data, "detach"):
        data = tensor_to_numpy(data, "data")
    net = ReLUNetwork(weights, biases, negative_slopes=slopes)
    P = relu_network(
        net, None, domain, mode=mode, data=data, policy=pol, progress=progress, executor=executor, engine=engine
    )
    extra: dict[str, Any] = {}
    if any(isinstance(layer, nn.BatchNorm1d) for _, layer in _flatten(module)):
        extra["float_steps"] = ["BatchNorm1d scale gamma/sqrt(running_var + eps) computed in float64, then the policy"]
    return _restamp(P, source="torch.nn.Sequential", policy=str(pol), **extra)
