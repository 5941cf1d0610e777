"""Exact partitions of PyTorch ReLU networks (optional extra ``exactgeom[torch]``).

``from_torch(module, domain, policy=...)`` accepts an ``nn.Sequential`` (nested
``nn.Sequential`` containers are flattened) of ``nn.Linear``, ``nn.ReLU`` and
``nn.LeakyReLU`` layers (and the inference layers below); any other layer raises
:class:`~exactgeom.errors.UnsupportedModelError` naming it. One such layer on its own is
read as ``nn.Sequential(layer)``, and a ``state_dict`` of ``Linear`` layers as
``Linear–ReLU–…–ReLU–Linear`` (it holds no layer types). A ``.pt`` file given to
:func:`exactgeom.io.read_model` is read by the same function
(:func:`sequential_to_network`), so a model gives the same partition — and a refused one
the same error — in memory or saved with ``torch.save``. A ``LeakyReLU``'s
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
* the network is read **as at inference** (eval mode), whatever its ``training`` flag and
  without changing it: a module saved or passed mid-training gives the partition of the
  function ``module.eval()`` computes;
* layers that are the identity at inference are skipped: ``nn.Identity``, ``nn.Flatten``
  (the input is a batch of vectors, so it changes nothing) and ``nn.Dropout`` /
  ``nn.AlphaDropout``;
* ``nn.BatchNorm1d`` (at inference) is the per-feature affine map
  ``x ↦ a ⊙ x + (β − a ⊙ μ)`` with ``a = γ / √(σ² + ε)`` from its running statistics; it
  is composed with the neighbouring ``Linear`` layers exactly like a ``Linear``. The
  square root is irrational in general, so ``a`` is computed **in float64** (as torch
  computes it in the module's float type) and that float is converted by the
  ``policy`` — the one float operation on the way in, documented here and recorded in
  ``provenance["float_steps"]``. Without running statistics
  (``track_running_stats=False``: batch statistics) it is refused;
* custom ``nn.Module`` subclasses (their ``forward`` is not read), ``nn.ModuleList`` and
  TorchScript modules (``torch.jit``) are refused with
  :class:`~exactgeom.errors.UnsupportedModelError`; anything that is not a torch model
  with :class:`~exactgeom.errors.InvalidInputError`.

Weights (float tensors) are converted by the explicit ``policy`` (required), recorded
in ``provenance["policy"]``; ``provenance["source"]`` is ``"torch.nn.Sequential"`` (or
``"torch state_dict"``).
"""

from __future__ import annotations

from collections.abc import Mapping
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
    # Dropout is read at inference (the network is read as in eval mode, whatever its
    # ``training`` flag: the same reading as a saved module read from a file)
    return isinstance(layer, (nn.Dropout, nn.AlphaDropout))


_TORCHSCRIPT = (
    "is a TorchScript module (torch.jit.script / torch.jit.trace / torch.jit.save): its layers are compiled "
    "and their types are not read; pass the eager nn.Sequential, or save it with torch.save(model)"
)
_LAYERS = (nn.Linear, nn.ReLU, nn.LeakyReLU, nn.BatchNorm1d, nn.Identity, nn.Flatten, nn.Dropout, nn.AlphaDropout)


def _layers_of(module: Any, where: str) -> list[tuple[str, Any]]:
    """The named layers of an ``nn.Sequential`` (flattened) or of one bare layer."""
    if isinstance(module, torch.jit.ScriptModule):
        raise UnsupportedModelError(f"{where} {_TORCHSCRIPT}")
    if not isinstance(module, nn.Module):
        raise InvalidInputError(
            f"{where} is a {type(module).__name__}, not a torch model; pass an nn.Sequential of Linear and ReLU "
            "layers (or one such layer), or its state_dict"
        )
    if isinstance(module, nn.Sequential):
        layers = _flatten(module)
        if not layers:
            raise InvalidInputError(f"{where}: the nn.Sequential is empty; it needs at least one nn.Linear layer")
        return layers
    if isinstance(module, _LAYERS):
        return [("0", module)]  # a bare layer: read as nn.Sequential(layer)
    kind = "an nn.ModuleList (it has no forward)" if isinstance(module, nn.ModuleList) else (
        f"a {type(module).__name__} (a custom nn.Module: its forward() is not read)")
    raise UnsupportedModelError(
        f"{where} is {kind}; exactgeom reads an nn.Sequential of nn.Linear, nn.ReLU, nn.LeakyReLU, "
        "nn.BatchNorm1d, nn.Identity, nn.Flatten and nn.Dropout layers (or one such layer); rewrite the network "
        "as an nn.Sequential in the order its forward() applies them"
    )


def _state_dict_network(sd: Mapping[Any, Any], pol: FloatPolicy, where: str) -> tuple[list[Mat], list[Vec], list[Fraction]]:
    """``(weights, biases, slopes)`` of a state_dict of Linear layers (``<i>.weight``,
    ``<i>.bias``), read as Linear–ReLU–…–Linear in the order of the layer names. Anything
    else in it (a normalisation layer's running statistics, a weight that is not a matrix,
    a value that is not a tensor) is refused: without the module the layer types are
    unknown."""
    bad = sorted(str(k) for k, v in sd.items() if not isinstance(v, torch.Tensor))
    if bad:
        raise InvalidInputError(
            f"{where} is a dict whose entries {', '.join(repr(k) for k in bad[:3])} are not tensors (a training "
            "checkpoint?); pass the module or its state_dict itself (e.g. checkpoint['model'])"
        )
    keys = [str(k) for k in sd]
    others = sorted(k for k in keys if not (k.endswith(".weight") or k.endswith(".bias")))
    flat = sorted(k for k in keys if k.endswith(".weight") and sd[k].ndim != 2)
    if others or flat:
        what = others[:3] or flat[:3]
        raise UnsupportedModelError(
            f"{where}: the state_dict holds more than Linear layers ({', '.join(what)}: a normalisation or other "
            "layer); its layer types are unknown without the module, so pass the module itself or save the whole "
            "module (torch.save(model)) and exactgeom reads it in eval mode"
        )
    idx = sorted({k.rsplit(".", 1)[0] for k in keys if k.endswith(".weight")}, key=_layer_order)
    orphans = sorted(k for k in keys if k.endswith(".bias") and k.rsplit(".", 1)[0] not in idx)
    if orphans:
        raise InvalidInputError(f"{where}: the state_dict has {orphans[0]!r} but no matching '.weight' entry")
    if not idx:
        raise InvalidInputError(f"{where}: the state_dict has no '<i>.weight' entries (no Linear layer)")
    weights: list[Mat] = []
    biases: list[Vec] = []
    for i in idx:
        W = as_rational_matrix(tensor_to_numpy(sd[f"{i}.weight"], f"{i}.weight"), pol, name=f"{i}.weight")
        if not W or not W[0]:
            raise InvalidInputError(f"{where}: layer {i} has a weight of shape {tuple(sd[f'{i}.weight'].shape)}; every "
                                    "layer needs at least one input and one unit")
        if weights and len(W[0]) != len(weights[-1]):
            raise InvalidInputError(
                f"{where}: layer {idx[len(weights) - 1]} has {len(weights[-1])} outputs but the next Linear, "
                f"{i}, takes {len(W[0])} inputs"
            )
        bias = sd.get(f"{i}.bias")
        b = (as_rational_vector(tensor_to_numpy(bias, f"{i}.bias"), pol, name=f"{i}.bias", length=len(W))
             if bias is not None else tuple(Fraction(0) for _ in W))
        weights.append(W)
        biases.append(b)
    return weights, biases, [Fraction(0)] * (len(weights) - 1)


def _layer_order(name: str) -> tuple[Any, ...]:
    return tuple(int(p) if p.isdigit() else p for p in name.split("."))


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
        if layer.running_mean is None or layer.running_var is None:
            raise UnsupportedModelError(
                f"layer {name!r} is BatchNorm1d without running statistics (it normalises by the batch's "
                "statistics, which are not a function of one input); train it with track_running_stats=True"
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


def sequential_to_network(
    module: Any, policy: PolicyLike, *, where: str = "the model"
) -> tuple[list[Mat], list[Vec], list[Fraction]]:
    """Exact ``(weights, biases, negative_slopes)`` of a torch network: one slope per hidden
    layer (0 for ``ReLU``, the policy-converted ``negative_slope`` for ``LeakyReLU``).

    This is the one reading of a torch model, used by :func:`from_torch` and by the ``.pt``
    model files of :func:`exactgeom.io.read_model` alike, so a model gives the same network
    (and refusals the same error) whichever way it arrives. ``module`` is

    * an ``nn.Sequential`` (nested ones are flattened) of the layers listed in the module
      docstring, read **as at inference** (eval mode, whatever its ``training`` flag:
      ``Dropout`` is the identity, ``BatchNorm1d`` uses its running statistics), never
      modified;
    * one such layer on its own (``nn.Linear(2, 3)``), read as ``nn.Sequential(layer)``;
    * a ``state_dict`` (a mapping ``"<i>.weight"``, ``"<i>.bias"`` of tensors) of ``Linear``
      layers only, read as ``Linear–ReLU–…–ReLU–Linear`` in the order of its layer names
      (it holds no layer types: a ``LeakyReLU``, two ``Linear`` layers in a row or a
      normalisation layer cannot be told apart, so save or pass the module for those).

    ``where`` names the model in error messages (a file path, for instance).

    Raises
    ------
    UnsupportedModelError
        A layer that is not piecewise linear or not supported (named), a custom
        ``nn.Module`` or ``nn.ModuleList`` (its ``forward`` is not read), a TorchScript
        module, a state_dict holding more than ``Linear`` layers.
    InvalidInputError
        Not a torch model at all (a tensor, a checkpoint dict of non-tensors), an empty
        network, mismatched widths, NaN / infinite / complex / meta-device weights.

    Examples
    --------
    >>> import torch
    >>> net = torch.nn.Sequential(torch.nn.Linear(1, 2), torch.nn.LeakyReLU(0.25), torch.nn.Linear(2, 1))
    >>> sequential_to_network(net, "exact")[2]
    [Fraction(1, 4)]
    >>> W, b, s = sequential_to_network(net.state_dict(), "exact")  # no layer types: ReLU between Linears
    >>> [len(w) for w in W], s
    ([2, 1], [Fraction(0, 1)])
    """
    pol = FloatPolicy.parse(policy)
    if isinstance(module, Mapping):
        return _state_dict_network(module, pol, where)
    layers = _layers_of(module, where)
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
        elif isinstance(layer, torch.jit.ScriptModule):
            raise UnsupportedModelError(f"layer {name!r} {_TORCHSCRIPT}")
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

    The model is read by :func:`sequential_to_network`, the same reading as a ``.pt`` file
    given to :func:`exactgeom.io.read_model` (``torch.save(module)`` or
    ``torch.save(module.state_dict())``): the same model gives the same partition, and a
    refused one the same error, whichever way it arrives.

    Parameters
    ----------
    module : torch.nn.Sequential, one layer, or a state_dict
        ``Linear``, ``ReLU``, ``LeakyReLU``, ``BatchNorm1d`` and the inference identities
        (``Identity``, ``Flatten``, ``Dropout``; see the module docstring), read as at
        inference (eval mode) without modifying the module. A bare layer is read as
        ``nn.Sequential(layer)``; a ``state_dict`` of ``Linear`` layers as
        ``Linear–ReLU–…–Linear``. Custom ``nn.Module`` subclasses, ``nn.ModuleList`` and
        TorchScript modules raise :class:`~exactgeom.errors.UnsupportedModelError`.
    domain : list of (lo, hi) pairs or a full-dimensional Polytope
    policy : "exact" | "limit_denominator(N)" | FloatPolicy
        Required: how the float weights (and float ``data``) become rationals.
    mode, data, progress, executor, engine
        Passed to :func:`exactgeom.partitions.relu.relu_network`.

    Raises
    ------
    InexactInputError
        No ``policy``.
    UnsupportedModelError
        A layer or model kind that is not read (named in the message).
    InvalidInputError
        Not a torch model, empty or mismatched layers, bad weights, or a domain whose
        dimension is not the network's input width.

    Examples
    --------
    >>> import torch
    >>> net = torch.nn.Sequential(torch.nn.Linear(1, 2), torch.nn.ReLU(), torch.nn.Linear(2, 1))
    >>> with torch.no_grad():
    ...     _ = net[0].weight.copy_(torch.tensor([[1.0], [-1.0]])); _ = net[0].bias.zero_()
    >>> W, b = sequential_to_layers(net, "exact")
    >>> [len(w) for w in W], W[0]
    ([2, 1], ((Fraction(1, 1),), (Fraction(-1, 1),)))
    >>> from_torch(net, [(-1, 1)], policy="exact").n_cells
    2
    >>> from_torch(net.state_dict(), [(-1, 1)], policy="exact").n_cells   # the same network
    2
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
    check_input_width(len(weights[0][0]), n)
    from ..partitions.relu import ReLUNetwork, relu_network

    if data is not None and hasattr(data, "detach"):
        data = tensor_to_numpy(data, "data")
    net = ReLUNetwork(weights, biases, negative_slopes=slopes)
    P = relu_network(
        net, None, domain, mode=mode, data=data, policy=pol, progress=progress, executor=executor, engine=engine
    )
    extra: dict[str, Any] = {}
    if isinstance(module, Mapping):
        return _restamp(P, source="torch state_dict", policy=str(pol))
    if any(isinstance(layer, nn.BatchNorm1d) for _, layer in _layers_of(module, "the model")):
        extra["float_steps"] = ["BatchNorm1d scale gamma/sqrt(running_var + eps) computed in float64, then the policy"]
    return _restamp(P, source="torch.nn.Sequential", policy=str(pol), **extra)


def check_input_width(n_inputs: int, n: int) -> None:
    """Refuse a domain in ``R^n`` for a network with ``n_inputs`` inputs (both routes' message)."""
    if n_inputs != n:
        raise InvalidInputError(
            f"the network has {n_inputs} inputs but the domain lives in R^{n}; give one (lo, hi) pair per input"
        )
