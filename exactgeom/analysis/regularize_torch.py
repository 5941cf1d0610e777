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

Every piece is computed for all cells at once (batched matmuls, one batched
``torch.linalg.solve`` for the vertices, one for the face vertices, one ``det`` call for
the simplices, a ``scatter_reduce`` for the margins), with the index tensors flattening the
plan cached on the plan, so a call costs a few dozen tensor operations whatever the
number of cells.

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
>>> P = relu_network(exact_network(W, b, policy="exact"), None, [(-1, 1), (-1, 1)])
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

from ..errors import InexactInputError, InvalidInputError, UnsupportedModelError
from ..numbers.rational import FloatPolicy
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


def _require_policy(policy: Any, who: str) -> Any:
    """The float-policy rule shared with :func:`exactgeom.from_torch`: tensors hold floats,
    so a policy must be named; ``None`` is refused."""
    if policy is None:
        raise InexactInputError(
            f"{who} reads float tensors and needs an explicit float policy, as from_torch does: "
            "pass policy='exact' (the floats' exact binary values) or policy='limit_denominator(1000000)'"
        )
    return FloatPolicy.parse(policy)


def exact_network(weights: Sequence[torch.Tensor], biases: Sequence[torch.Tensor], policy: Any = None) -> ReLUNetwork:
    """The :class:`~exactgeom.partitions.relu.ReLUNetwork` with the tensors' values
    converted to rationals by ``policy`` (required, as for :func:`exactgeom.from_torch`:
    ``"exact"`` for the floats' exact binary values, or ``"limit_denominator(N)"``).

    >>> exact_network([torch.tensor([[0.5]]), torch.tensor([[1.0]])], [torch.tensor([0.25]), torch.tensor([0.0])],
    ...               policy="exact").weights[0]
    ((Fraction(1, 2),),)
    """
    policy = _require_policy(policy, "exact_network")
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
    if not plan.cells:
        return {"small_cells": zero, "sliver_angles": zero, "boundary_area": zero, "margins": zero}
    idx = _plan_indices(plan, dev)
    A, b = _all_cell_rows(weights, biases, idx["patterns"], plan.domain_rows)  # (C, R, n), (C, R)
    # vertices of every cell, one batched solve of the n tight rows each
    vc, vr = idx["vertex_cell"], idx["vertex_rows"]
    V = torch.linalg.solve(A[vc[:, None], vr], b[vc[:, None], vr].unsqueeze(-1)).squeeze(-1)
    # small cells: Σ sign·det/n! per cell (exact triangulation and orientation signs)
    S = idx["simplices"]
    M = V[S[:, 1:]] - V[S[:, :1]]
    dets = idx["simplex_signs"].to(dtype) * torch.linalg.det(M)
    vols = torch.zeros(len(plan.cells), dtype=dtype, device=dev).index_add(0, idx["simplex_cell"], dets) / factorial(n)
    vD = float(plan.domain_volume)
    if phi_torch is None:
        small = _phi(opts["phi"], vols / vD, float(opts["t0"]), None).sum()
    else:  # a user function: applied cell by cell, as documented
        small = sum((phi_torch(v) for v in vols / vD), zero)
    # sliver angles: cos² of the selected facet pairs
    sliver = zero
    if idx["sliver"].numel():
        sc, si, sj = idx["sliver"].unbind(1)
        a, c = A[sc, si], A[sc, sj]
        sliver = ((a * c).sum(1) ** 2 / ((a * a).sum(1) * (c * c).sum(1))).sum()
    # boundary area: vertices of the shared faces (tight rows from both cells), Σ √det(GGᵀ)/(n−1)!
    area = zero
    if plan.faces:
        if n == 1:
            area = zero + len(plan.faces)
        else:
            fc, fr = idx["face_cells"], idx["face_rows"]
            FV = torch.linalg.solve(A[fc, fr], b[fc, fr].unsqueeze(-1)).squeeze(-1)
            FS = idx["face_simplices"]
            G = FV[FS[:, 1:]] - FV[FS[:, :1]]
            area = torch.sqrt(torch.linalg.det(G @ G.transpose(1, 2))).sum() / factorial(n - 1)
    # margins: per data point, min over its cell's margin rows of (b − a·x)²/‖a‖²
    margins = zero
    if idx["margin_pairs"].numel():
        m2 = float(opts["margin"]) ** 2
        X = torch.tensor([[float(v) for v in p] for p in plan.points], dtype=dtype, device=dev)
        pc, pr, pp = idx["margin_pairs"].unbind(1)
        a, bb = A[pc, pr], b[pc, pr]
        d2all = (bb - (a * X[pp]).sum(1)) ** 2 / (a * a).sum(1)
        slot = idx["margin_slot"]
        d2 = torch.full((int(idx["n_margin_points"]),), float("inf"), dtype=dtype, device=dev)
        d2 = d2.scatter_reduce(0, slot, d2all, reduce="amin", include_self=True)
        margins = torch.clamp(m2 - d2, min=0).sum()
    return {"small_cells": small, "sliver_angles": sliver, "boundary_area": area, "margins": margins}


def _all_cell_rows(
    weights: Sequence[torch.Tensor], biases: Sequence[torch.Tensor], patterns: Sequence[torch.Tensor], domain_rows: Any
) -> tuple[torch.Tensor, torch.Tensor]:
    """:func:`cell_rows` of every cell at once: ``(A, b)`` of shapes ``(C, R, n)``, ``(C, R)``."""
    W0 = weights[0]
    dtype, dev = W0.dtype, W0.device
    C = int(patterns[0].shape[0]) if patterns else 1
    n = W0.shape[1]
    J = torch.eye(n, dtype=dtype, device=dev).expand(C, n, n)
    c = torch.zeros(C, n, dtype=dtype, device=dev)
    A_rows, b_rows = [], []
    for l, st in enumerate(patterns):
        st = st.to(dtype)
        G = torch.matmul(weights[l], J)  # (C, n_{l+1}, n)
        beta = c @ weights[l].T + biases[l]  # (C, n_{l+1})
        sign = 1 - 2 * st  # active: −1, inactive: +1
        A_rows.append(sign[..., None] * G)
        b_rows.append(-sign * beta)
        J = st[..., None] * G
        c = st * beta
    DA = torch.tensor([[float(x) for x in r] for r in domain_rows[0]], dtype=dtype, device=dev)
    Db = torch.tensor([float(x) for x in domain_rows[1]], dtype=dtype, device=dev)
    A_rows.append(DA.expand(C, *DA.shape))
    b_rows.append(Db.expand(C, *Db.shape))
    return torch.cat(A_rows, 1), torch.cat(b_rows, 1)


def _plan_indices(plan: RegularizationPlan, dev: Any) -> dict[str, Any]:
    """Index tensors flattening the plan's per-cell lists (cached on the plan)."""
    key = str(dev)
    cache = plan.__dict__.setdefault("_torch_indices", {})
    if key in cache:
        return cache[key]
    L = torch.long
    cells = plan.cells
    H = len(plan.layer_sizes) - 2
    patterns = [torch.tensor([list(cp.pattern[l]) for cp in cells], dtype=L, device=dev) for l in range(H)]
    vc, vr, offs = [], [], []
    for k, cp in enumerate(cells):
        offs.append(len(vc))
        for rows in cp.vertex_rows:
            vc.append(k)
            vr.append(list(rows))
    simp, sgn, scell = [], [], []
    for k, cp in enumerate(cells):
        for sx, sg in zip(cp.simplices, cp.simplex_signs):
            simp.append([offs[k] + v for v in sx])
            sgn.append(sg)
            scell.append(k)
    sliver = [(k, i, j) for k, cp in enumerate(cells) for i, j in cp.sliver_rows]
    fc, fr, fsimp = [], [], []
    for fp in plan.faces:
        base = len(fc)
        for vrows in fp.vertex_rows:
            fc.append([fp.cells[w] for w, _ in vrows])
            fr.append([r for _, r in vrows])
        fsimp.extend([base + v for v in sx] for sx in fp.simplices)
    pairs, slot = [], []
    n_pts = 0
    for k, cp in enumerate(cells):
        if not cp.margin_rows or not cp.points:
            continue
        for p in cp.points:
            for r in cp.margin_rows:
                pairs.append((k, r, p))
                slot.append(n_pts)
            n_pts += 1
    n = plan.n

    def t(x: Any, shape: tuple[int, ...]) -> torch.Tensor:
        return torch.tensor(x, dtype=L, device=dev) if x else torch.zeros(shape, dtype=L, device=dev)

    out = {
        "patterns": patterns,
        "vertex_cell": t(vc, (0,)),
        "vertex_rows": t(vr, (0, n)),
        "simplices": t(simp, (0, n + 1)),
        "simplex_signs": t(sgn, (0,)),
        "simplex_cell": t(scell, (0,)),
        "sliver": t(sliver, (0, 3)),
        "face_cells": t(fc, (0, n)),
        "face_rows": t(fr, (0, n)),
        "face_simplices": t(fsimp, (0, n)),
        "margin_pairs": t(pairs, (0, 3)),
        "margin_slot": t(slot, (0,)),
        "n_margin_points": n_pts,
    }
    cache[key] = out
    return out


def plan_for_module(
    module: Any,
    domain: Any,
    data: Any,
    *,
    policy: Any = None,
    exact_values: bool = True,
    **options: Any,
) -> RegularizationPlan:
    """Build the exact plan for the current parameters of an ``nn.Sequential`` ReLU MLP.

    The parameters and the data are converted to rationals with ``policy`` (required, as
    for :func:`exactgeom.from_torch`: ``"exact"`` or ``"limit_denominator(N)"``), the data
    cells are built exactly
    (``relu_network(..., mode="data")``) and :func:`~exactgeom.analysis.regularize.build_plan`
    records their combinatorics.  ``options`` go to ``build_plan``.
    """
    policy = _require_policy(policy, "plan_for_module")
    W, b = relu_parameters(module)
    net = exact_network(W, b, policy=policy)
    pts = data.detach().cpu().double().tolist() if isinstance(data, torch.Tensor) else data
    P = relu_network(net, None, domain, mode="data", data=pts, policy=policy)
    return build_plan(P, pts, policy=policy, exact_values=exact_values, **options)


class GeometricRegularizer:
    """A weighted sum of the penalties for an ``nn.Sequential`` ReLU MLP, re-planned
    every ``every`` calls (also ``exactgeom.GeometricRegularizer``, imported lazily so that
    ``import exactgeom`` needs no torch).

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
        Rebuild the exact plan after this many calls (default 10; 1: every call). Between
        re-plans the penalties are the same smooth functions of the weights on the plan's
        combinatorics (cells, facets, triangulations), which training changes only slowly;
        the exact re-plan (cddlib) is most of the cost of a call, so re-planning every call
        makes a step several times slower (``docs/benchmarks/curvature.md``).
    policy
        Float → rational policy for the plan: ``"exact"`` or ``"limit_denominator(N)"``.
        Required (``None`` raises :class:`~exactgeom.errors.InexactInputError`), the same
        rule as :func:`exactgeom.from_torch`: the module's weights are floats.
    num_threads
        Torch threads used *inside* the call — the penalties and their gradient
        (default 1; ``None`` keeps torch's setting). The previous setting is restored
        before returning. The penalties are hundreds of tiny tensor operations, which
        torch's intra-op thread pool only slows down (measured in
        ``docs/benchmarks/curvature.md``).
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
    >>> reg = GeometricRegularizer(net, [(-1, 1), (-1, 1)], X, {"small_cells": 1e-3, "sliver_angles": 1.0},
    ...                            policy="exact")
    >>> loss = reg()
    >>> loss.backward(); all(torch.isfinite(p.grad).all() for p in net.parameters())
    True

    Notes
    -----
    When autograd is on, the call computes the gradient of the penalty with respect to the
    module's parameters itself (under ``num_threads``) and returns the value attached to a
    first-order surrogate ``value + Σ ⟨g, p − p.detach()⟩``: ``loss.backward()`` then gives
    exactly these gradients while the rest of the model's backward runs with torch's own
    settings. Higher derivatives of the penalty (``create_graph=True``) are therefore not
    available through the call; use :func:`penalties_torch` directly for them.
    """

    def __init__(
        self,
        module: Any,
        domain: Any,
        data: Any,
        coefficients: Mapping[str, float],
        *,
        every: int = 10,
        policy: Any = None,
        exact_values: bool = False,
        num_threads: int | None = 1,
        **options: Any,
    ) -> None:
        policy = _require_policy(policy, "GeometricRegularizer")
        if num_threads is not None and (not isinstance(num_threads, int) or isinstance(num_threads, bool) or num_threads < 1):
            raise InvalidInputError(f"num_threads must be a positive int or None, got {num_threads!r}")
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
        self.num_threads = num_threads
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
        prev = torch.get_num_threads()
        switch = self.num_threads is not None and self.num_threads != prev
        if switch:
            torch.set_num_threads(self.num_threads)
        try:
            return self._penalty()
        finally:
            if switch:
                torch.set_num_threads(prev)

    def _penalty(self) -> torch.Tensor:
        if self.plan is None or self._calls % self.every == 0:
            self.replan()
        self._calls += 1
        assert self.plan is not None
        W, b = relu_parameters(self.module)
        vals = penalties_torch(W, b, self.plan)
        self.last = {k: float(v.detach()) for k, v in vals.items()}
        params = [p for p in list(W) + list(b) if p.requires_grad]
        total = torch.zeros((), dtype=W[0].dtype, device=W[0].device)
        for k, c in self.coefficients.items():
            total = total + c * vals[k]
        if not params or not torch.is_grad_enabled():
            return total.detach() if not total.requires_grad else total
        if not total.requires_grad:  # no term applies: keep the graph connected (zero gradient)
            return total + sum(0 * p.sum() for p in params)
        grads = torch.autograd.grad(total, params, allow_unused=True)
        # first-order surrogate: value = total, gradient w.r.t. each parameter = its g
        out = total.detach()
        for p, g in zip(params, grads):
            if g is None:
                g = torch.zeros_like(p)
            out = out + (g * p).sum() - (g * p.detach()).sum()
        return out
