r"""Differentiable PyTorch versions of the geometric penalties, for ReLU networks.

The exact module :mod:`exactgeom.analysis.regularize` fixes the *combinatorics* of the
data cells once (a :class:`~exactgeom.analysis.regularize.RegularizationPlan`): which
constraint rows are facets, which ``n`` rows are tight at each vertex, a triangulation
of each cell and shared face, which angles count as slivers, which facets count for
margins.  Here the *geometry* is recomputed from the network's weight tensors, so that
autograd sees it:

* the constraint rows of a cell of pattern ``s``: ``G_l = W_l J_{l−1}``,
  ``β_l = W_l c_{l−1} + b_l`` (the pulled-back forms), row ``(−G_{l,k}, β_{l,k})`` for an
  active unit and ``(G_{l,k}, −β_{l,k})`` for an inactive one, then the domain's facets;
  ``J_l = D_l G_l``, ``c_l = D_l β_l``;
* each vertex: the solution of its ``n`` tight rows (``torch.linalg.solve``);
* cell volume: ``Σ_simplices sign·det(v_1 − v_0, …, v_n − v_0)/n!`` with the exact
  triangulation and the exact orientation signs (no ``abs``);
* face volume: ``Σ √det(G Gᵀ)/(n−1)!`` over the face's ``(n−1)``-simplices;
* ``cos²θ = ⟨a,b⟩²/(‖a‖²‖b‖²)`` for the selected facet pairs;
* margins: ``min_rows (b − a·x)²/‖a‖²`` per data point.

At the parameters the plan was built from, the values equal the exact ones up to
floating-point rounding (tested to 1e-6 relative in float64); nearby, they are smooth
functions of the weights as long as the combinatorics do not change, so rebuild the
plan every few steps (:class:`GeometricRegularizer` does).

This is the only analysis module that imports torch.

>>> import torch
>>> from exactgeom.partitions.relu import relu_network
>>> from exactgeom.analysis.regularize import build_plan
>>> W = [torch.tensor([[1., 0.], [0., 1.]], dtype=torch.float64), torch.tensor([[1., 1.]], dtype=torch.float64)]
>>> b = [torch.zeros(2, dtype=torch.float64), torch.zeros(1, dtype=torch.float64)]
>>> P = relu_network(exact_network(W, b), None, [(-1, 1), (-1, 1)])
>>> plan = build_plan(P, [["1/2", "1/2"], ["-1/2", "1/2"]])
>>> vals = penalties_torch(W, b, plan)
>>> float(vals["small_cells"]), float(vals["boundary_area"])
(8.0, 1.0)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from math import factorial
from typing import Any

import torch

from ..errors import InvalidInputError, UnsupportedModelError
from ..partitions.relu import ReLUNetwork, relu_network
from .regularize import RegularizationPlan, build_plan

__all__ = [
    "relu_parameters",
    "exact_network",
    "cell_rows",
    "penalties_torch",
    "plan_for_module",
    "GeometricRegularizer",
]

PENALTIES = ("small_cells", "sliver_angles", "boundary_area", "margins")


def relu_parameters(module: Any) -> tuple[list[torch.Tensor], list[torch.Tensor]]:
    """The weight and bias tensors of an ``nn.Sequential`` of ``Linear`` and ``ReLU``
    layers (alternating, ending with a ``Linear``).

    Raises
    ------
    UnsupportedModelError
        Another layer type, or a layer order that is not Linear (ReLU Linear)*.

    Examples
    --------
    >>> net = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1))
    >>> [tuple(w.shape) for w in relu_parameters(net)[0]]
    [(3, 2), (1, 3)]
    """
    layers = list(module) if isinstance(module, torch.nn.Sequential) else None
    if layers is None:
        raise UnsupportedModelError(f"expected a torch.nn.Sequential of Linear/ReLU layers, got {type(module).__name__}")
    Ws: list[torch.Tensor] = []
    bs: list[torch.Tensor] = []
    expect_linear = True
    for k, layer in enumerate(layers):
        if isinstance(layer, torch.nn.Linear) and expect_linear:
            Ws.append(layer.weight)
            bs.append(layer.bias if layer.bias is not None else torch.zeros(layer.out_features, dtype=layer.weight.dtype))
            expect_linear = False
        elif isinstance(layer, torch.nn.ReLU) and not expect_linear:
            expect_linear = True
        else:
            raise UnsupportedModelError(
                f"layer {k} ({type(layer).__name__}) breaks the pattern Linear (ReLU Linear)*; only "
                "piecewise-linear ReLU MLPs are supported"
            )
    if expect_linear:
        raise UnsupportedModelError("the network must end with a Linear layer (the affine output)")
    return Ws, bs


def exact_network(weights: Sequence[torch.Tensor], biases: Sequence[torch.Tensor], policy: Any = "exact") -> ReLUNetwork:
    """The :class:`~exactgeom.partitions.relu.ReLUNetwork` with the tensors' values
    converted to rationals by ``policy`` (default ``"exact"``: the floats' exact binary
    values).

    >>> exact_network([torch.tensor([[0.5]]), torch.tensor([[1.0]])], [torch.tensor([0.25]), torch.tensor([0.0])]).weights[0]
    ((Fraction(1, 2),),)
    """
    Ws = [w.detach().cpu().double().tolist() for w in weights]
    bs = [b.detach().cpu().double().tolist() for b in biases]
    return ReLUNetwork(Ws, bs, policy=policy)


def cell_rows(
    weights: Sequence[torch.Tensor],
    biases: Sequence[torch.Tensor],
    pattern: Sequence[Sequence[int]],
    domain_rows: tuple[Any, Any],
) -> tuple[torch.Tensor, torch.Tensor]:
    """``(A, b)`` tensors of the cell ``{A x <= b}`` of ``pattern`` (rows as in
    :meth:`~exactgeom.analysis.forms.CellForms.hrep`), differentiable in the weights."""
    W0 = weights[0]
    dtype, dev = W0.dtype, W0.device
    n = W0.shape[1]
    J = torch.eye(n, dtype=dtype, device=dev)
    c = torch.zeros(n, dtype=dtype, device=dev)
    A_rows, b_rows = [], []
    for l, s in enumerate(pattern):
        G = weights[l] @ J
        beta = weights[l] @ c + biases[l]
        st = torch.tensor(s, dtype=dtype, device=dev)
        sign = 1 - 2 * st  # active: −1, inactive: +1
        A_rows.append(sign[:, None] * G)
        b_rows.append(-sign * beta)
        J = st[:, None] * G
        c = st * beta
    DA = torch.tensor([[float(x) for x in r] for r in domain_rows[0]], dtype=dtype, device=dev)
    Db = torch.tensor([float(x) for x in domain_rows[1]], dtype=dtype, device=dev)
    return torch.cat(A_rows + [DA]), torch.cat(b_rows + [Db])


def _phi(kind: Any, t: torch.Tensor, t0: float, phi_torch: Callable[[torch.Tensor], torch.Tensor] | None) -> torch.Tensor:
    if phi_torch is not None:
        return phi_torch(t)
    if kind == "inverse":
        return 1 / t
    if kind == "hinge":
        return torch.clamp(t0 / t - 1, min=0)
    raise InvalidInputError("the plan was built with a callable phi; pass its torch version as phi_torch")


def penalties_torch(
    weights: Sequence[torch.Tensor],
    biases: Sequence[torch.Tensor],
    plan: RegularizationPlan,
    *,
    phi_torch: Callable[[torch.Tensor], torch.Tensor] | None = None,
) -> dict[str, torch.Tensor]:
    """The four penalties of ``plan`` as differentiable functions of the tensors.

    Parameters
    ----------
    weights, biases
        The network's parameters (``weights[l]`` of shape ``n_{l+1} × n_l``), e.g. from
        :func:`relu_parameters`; same shapes as the network of the plan.
    plan : RegularizationPlan
        From :func:`~exactgeom.analysis.regularize.build_plan` (or :func:`plan_for_module`).
    phi_torch
        The torch version of a callable ``phi`` the plan was built with.

    Returns
    -------
    dict
        ``{"small_cells", "sliver_angles", "boundary_area", "margins"}`` → 0-dim tensors.

    Raises
    ------
    InvalidInputError
        The tensors do not fit the plan's network.
    """
    sizes = tuple([int(weights[0].shape[1])] + [int(w.shape[0]) for w in weights])
    if sizes != tuple(plan.layer_sizes):
        raise InvalidInputError(f"the tensors have layer sizes {sizes}, the plan was built for {plan.layer_sizes}")
    n = plan.n
    dtype, dev = weights[0].dtype, weights[0].device
    zero = torch.zeros((), dtype=dtype, device=dev)
    opts = plan.options
    rows = [cell_rows(weights, biases, cp.pattern, plan.domain_rows) for cp in plan.cells]
    verts = []
    for cp, (A, b) in zip(plan.cells, rows):
        idx = torch.tensor(cp.vertex_rows, dtype=torch.long, device=dev)
        verts.append(torch.linalg.solve(A[idx], b[idx].unsqueeze(-1)).squeeze(-1))
    # small cells
    small = zero
    vD = float(plan.domain_volume)
    for cp, V in zip(plan.cells, verts):
        S = torch.tensor(cp.simplices, dtype=torch.long, device=dev)
        M = V[S[:, 1:]] - V[S[:, :1]]
        sg = torch.tensor(cp.simplex_signs, dtype=dtype, device=dev)
        vol = (sg * torch.linalg.det(M)).sum() / factorial(n)
        small = small + _phi(opts["phi"], vol / vD, float(opts["t0"]), phi_torch)
    # sliver angles
    sliver = zero
    for cp, (A, _) in zip(plan.cells, rows):
        if cp.sliver_rows:
            ij = torch.tensor(cp.sliver_rows, dtype=torch.long, device=dev)
            a, c = A[ij[:, 0]], A[ij[:, 1]]
            sliver = sliver + ((a * c).sum(1) ** 2 / ((a * a).sum(1) * (c * c).sum(1))).sum()
    # boundary area
    area = zero
    for fp in plan.faces:
        pts = []
        for vr in fp.vertex_rows:
            As = torch.stack([rows[fp.cells[w]][0][r] for w, r in vr])
            bs = torch.stack([rows[fp.cells[w]][1][r] for w, r in vr])
            pts.append(torch.linalg.solve(As, bs))
        V = torch.stack(pts)
        if n == 1:
            area = area + 1
            continue
        S = torch.tensor(fp.simplices, dtype=torch.long, device=dev)
        G = V[S[:, 1:]] - V[S[:, :1]]
        gram = G @ G.transpose(1, 2)
        area = area + torch.sqrt(torch.linalg.det(gram)).sum() / factorial(n - 1)
    # margins
    margins = zero
    m2 = float(opts["margin"]) ** 2
    X = torch.tensor([[float(v) for v in p] for p in plan.points], dtype=dtype, device=dev) if plan.points else None
    for cp, (A, b) in zip(plan.cells, rows):
        if not cp.margin_rows or not cp.points or X is None:
            continue
        r = torch.tensor(cp.margin_rows, dtype=torch.long, device=dev)
        a, bb = A[r], b[r]
        x = X[torch.tensor(cp.points, dtype=torch.long, device=dev)]
        d2 = ((bb[None, :] - x @ a.T) ** 2 / (a * a).sum(1)[None, :]).min(1).values
        margins = margins + torch.clamp(m2 - d2, min=0).sum()
    return {"small_cells": small, "sliver_angles": sliver, "boundary_area": area, "margins": margins}


def plan_for_module(
    module: Any,
    domain: Any,
    data: Any,
    *,
    policy: Any = "exact",
    exact_values: bool = True,
    **options: Any,
) -> RegularizationPlan:
    """Build the exact plan for the current parameters of an ``nn.Sequential`` ReLU MLP.

    The parameters and the data are converted to rationals with ``policy`` (default:
    the floats' exact values), the data cells are built exactly
    (``relu_network(..., mode="data")``) and :func:`~exactgeom.analysis.regularize.build_plan`
    records their combinatorics.  ``options`` go to ``build_plan``.
    """
    W, b = relu_parameters(module)
    net = exact_network(W, b, policy=policy)
    pts = data.detach().cpu().double().tolist() if isinstance(data, torch.Tensor) else data
    P = relu_network(net, None, domain, mode="data", data=pts, policy=policy)
    return build_plan(P, pts, policy=policy, exact_values=exact_values, **options)


class GeometricRegularizer:
    """A weighted sum of the penalties for an ``nn.Sequential`` ReLU MLP, re-planned
    every ``every`` calls.

    Parameters
    ----------
    module
        The network (Linear/ReLU layers).
    domain
        Box pairs or a Polytope.
    data
        The training inputs (tensor or list), inside the domain.
    coefficients
        ``{penalty name: weight}`` (names as in :func:`penalties_torch`); missing = 0.
    every
        Rebuild the exact plan after this many calls (1: every call).
    policy
        Float → rational policy for the plan (``"exact"`` or ``"limit_denominator(N)"``).
    exact_values
        Also compute the exact penalty values at every re-plan (``plan.exact``; default
        False, for speed).
    options
        Passed to :func:`~exactgeom.analysis.regularize.build_plan` (``phi``, ``t0``,
        ``threshold``, ``include_domain``, ``margin``).

    Examples
    --------
    >>> torch.manual_seed(0) is not None
    True
    >>> net = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1)).double()
    >>> X = torch.rand(10, 2, dtype=torch.float64) * 2 - 1
    >>> reg = GeometricRegularizer(net, [(-1, 1), (-1, 1)], X, {"small_cells": 1e-3, "sliver_angles": 1.0})
    >>> loss = reg()
    >>> loss.backward(); all(torch.isfinite(p.grad).all() for p in net.parameters())
    True
    """

    def __init__(
        self,
        module: Any,
        domain: Any,
        data: Any,
        coefficients: Mapping[str, float],
        *,
        every: int = 1,
        policy: Any = "exact",
        exact_values: bool = False,
        **options: Any,
    ) -> None:
        bad = set(coefficients) - set(PENALTIES)
        if bad:
            raise InvalidInputError(f"unknown penalties {sorted(bad)}; use {list(PENALTIES)}")
        if not isinstance(every, int) or every < 1:
            raise InvalidInputError(f"every must be a positive int, got {every!r}")
        self.module = module
        self.domain = domain
        self.data = data
        self.coefficients = dict(coefficients)
        self.every = every
        self.policy = policy
        self.options = options
        self.exact_values = exact_values
        self._calls = 0
        self.plan: RegularizationPlan | None = None
        self.last: dict[str, float] = {}

    def replan(self) -> RegularizationPlan:
        """Rebuild the exact plan from the module's current parameters."""
        self.plan = plan_for_module(
            self.module, self.domain, self.data, policy=self.policy, exact_values=self.exact_values, **self.options
        )
        return self.plan

    def __call__(self) -> torch.Tensor:
        if self.plan is None or self._calls % self.every == 0:
            self.replan()
        self._calls += 1
        assert self.plan is not None
        W, b = relu_parameters(self.module)
        vals = penalties_torch(W, b, self.plan)
        self.last = {k: float(v.detach()) for k, v in vals.items()}
        # keep the graph connected to every parameter (zero gradient when no term applies)
        total = sum((0 * p.sum() for p in list(W) + list(b)), torch.zeros((), dtype=W[0].dtype))
        for k, c in self.coefficients.items():
            total = total + c * vals[k]
        return total
