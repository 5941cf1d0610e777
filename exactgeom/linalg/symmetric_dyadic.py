"""The exact-product certificate of :func:`~exactgeom.linalg.symmetric.symmetric_eigenvalue_clusters`
(internal): the basis and the matrix as dyadic digit matrices multiplied exactly on float
BLAS (:mod:`exactgeom.linalg.float_dyadic`), the Weyl/Ostrowski bound of
:mod:`exactgeom.linalg.symmetric` on the exact residuals, and the quadratic residual radius
of isolated eigenvalues (:func:`radii`).  The identities and inequalities it relies on are
checked in ``proofs/dyadic_products.py``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from ..errors import UndecidedError
from ..numbers.ball import _round_sig
from .certified import sqrt_up
from .symmetric import (
    _FLOAT_BASIS_BITS,
    _MAX_STEPS,
    EigenvalueClusters,
    _Balls,
    _clusters,
    _correction,
    _ostrowski_intervals,
    _working_bits,
)

__all__ = ["dyadic_clusters", "radii"]


def dyadic_clusters(
    a0: _Balls,
    g0: _Balls | None,
    a_floats: Any,
    Xf: Any,
    digits: int,
    need: int,
    zeros: int | None,
    nonnegative: bool,
    relative: bool,
    max_bits: int,
) -> EigenvalueClusters | None:
    """The certificate of :func:`symmetric_eigenvalue_clusters` with exact products.

    ``A`` (and ``G``) are rounded to dyadic matrices ``Ã`` on a grid with a rigorous
    bound ``‖A − Ã‖₂ ≤ η`` (the balls' radii plus the rounding); the basis ``X`` is
    dyadic too, so ``ÃX`` is computed *exactly* (:mod:`exactgeom.linalg.float_dyadic`),
    rounded to ``T`` with ``|ÃX − T| < 2^t`` entrywise, and ``B = XᵀT`` and ``XᵀX`` (or
    ``XᵀG̃X``) are again exact.  Then ``XᵀAX = diag(B) + F`` with
    ``‖F‖₂ ≤ ‖B − diag(B)‖₂ + ‖X‖₂·n·2^t + ‖X‖₂²·η`` (Weyl; the 2-norm of the
    non-symmetric ``B − diag(B)`` bounded by ``√(‖·‖₁‖·‖∞)``), and
    ``ε ≥ ‖XᵀG̃X − I‖₂ + ‖X‖₂²·η_G`` (Ostrowski), the bounds of the module docstring;
    isolated eigenvalues get the quadratic radius of :func:`radii`, so one refinement of
    the float basis usually suffices.
    Being exact, the residuals also steer the refinement to about twice the basis'
    accuracy in one step, where the ball route first needs a 64-bit step.  Returns None
    when no certificate meeting the accuracy is reached up to :data:`DYADIC_MAX_BITS`
    bits (the ball route then takes over).
    """
    import numpy as np

    from .float_dyadic import DyadicMatrix, digit_bits

    n = len(Xf)
    beta = digit_bits(n)
    with np.errstate(all="ignore"):
        top = float(np.max(np.abs(a_floats))) if a_floats.size else 0.0
    a_exp = math.frexp(top)[1] if top and math.isfinite(top) else 0  # |A| < 2^a_exp
    x_exp = math.frexp(float(np.max(np.abs(Xf))))[1]
    X = DyadicMatrix.from_floats(Xf, x_exp - 52, beta)
    w = _working_bits(need, n, max_bits)
    built = a0.prec
    last: EigenvalueClusters | None = None
    tol = 2.0 ** (1 - need)
    while w <= max_bits:
        Ad, eta = a0.at(w).dyadic(a_exp - w - 8, beta)
        if g0 is not None:
            Gd, eta_g = g0.at(w).dyadic(-w - 8, beta)  # |G| ~ 1 after X's scaling
        t_exp = a_exp + x_exp - w - 16  # the grid of T ≈ ÃX
        prev: Fraction | None = None
        for step in range(_MAX_STEPS):
            Xt = X.transpose()
            T, moved = (Ad @ X).rounded(t_exp)  # |ÃX − T| ≤ moved entrywise
            B = Xt @ T
            Gx = Xt @ (X if g0 is None else (Gd @ X))
            if Gx.e > 0:
                Gx = Gx.scaled(Gx.e)
            R = Gx.minus_identity()
            try:
                E = _correction(B.to_numpy(), R.to_numpy())
                e_max = float(np.max(np.abs(E)))
            except UndecidedError:  # no finite correction: certify what there is, then stop
                E, e_max = None, 0.0
            # the float basis is orthonormal to ~2^-53 only: no certificate before a
            # refinement, unless there is nothing to refine (e.g. a diagonal matrix)
            if not (step == 0 and need > _FLOAT_BASIS_BITS) or e_max == 0:
                eps = R.norm2_bound()
                x2 = 1 + eps if g0 is None else X.norm2_bound() ** 2  # ≥ ‖X‖₂² (= ‖XᵀX‖₂)
                if g0 is not None:
                    eps += x2 * eta_g
                if eps < 1:
                    # ‖P‖₂ for P = XᵀAX − B (the rounding of A and of ÃX), and the Weyl radius
                    pert = _round_up(x2 * eta + (sqrt_up(x2) * n * moved if moved else 0))
                    f, eps = _round_up(B.norm2_bound(offdiagonal=True) + pert), _round_up(eps)
                    unit = Fraction(2) ** B.e
                    d = [v * unit for v in B.diagonal_ints()]
                    rad = radii(d, f, pert, B.abs_row_sums(offdiagonal=True))
                    if _hopeless(np.array([float(x) for x in d]), np.array([float(r) for r in rad]), float(eps), tol, relative):
                        ok = False  # a float look ahead: some interval is surely too wide, skip the exact one
                    else:
                        intervals = _ostrowski_intervals(d, rad, eps)
                        clusters, ok = _clusters(intervals, digits, need, zeros, nonnegative, relative)
                        last = EigenvalueClusters(clusters, w, step > 0 or w > built)
                    if ok and last is not None:
                        return last
                    if prev is not None and 4 * f > prev:  # stagnating: more precision needed
                        break
                    prev = f
            if e_max == 0:
                break
            Ed = DyadicMatrix.from_floats(E, math.frexp(e_max)[1] - 52, beta)
            X = (X + X @ Ed).truncated(x_exp - w - 8)  # X only steers: its low bits are dropped
        w *= 2
    return None


def _round_up(x: Fraction) -> Fraction:
    """``x ≥ 0`` rounded up to 15 significant digits, so that the interval arithmetic
    that follows works on short numbers."""
    return _round_sig(x, 15, up=True)


def _hopeless(d: Any, r: Any, eps: float, tol: float, relative: bool) -> bool:
    """Whether some certified interval ``[d − r, d + r]/(1 ± ε)`` is clearly (by a factor
    of 4) wider than the accuracy target, judged in floats: only used to skip the exact
    interval arithmetic of a step that cannot succeed (never to accept one)."""
    import numpy as np

    ad = np.abs(d)
    width = 2 * (r + ad * eps)
    far = ad > 4 * r  # intervals certainly away from 0 (any rounding in floats is far below that margin)
    scale = ad + r if relative else float(np.max(ad + r))
    return bool(np.any(far & (width > 4 * tol * scale)))


def radii(d: Sequence[Fraction], f: Fraction, p: Fraction, rows: Sequence[Fraction]) -> list[Fraction]:
    """Certified radii around the diagonal ``d`` of ``B̃`` (index-aligned) for the
    eigenvalues of the symmetric ``B = B̃ + P``, ``‖P‖₂ ≤ p``, ``‖B − diag(d)‖₂ ≤ f``.

    Every radius is at most ``f`` (Weyl: the k-th smallest eigenvalue lies within ``f`` of
    the k-th smallest ``d``).  When ``d_k``'s Weyl interval meets no other, a quadratic
    residual bound may be smaller: with ``μ = B_kk`` (``|μ − d_k| ≤ p``), ``c`` the rest of
    column ``k`` (``‖c‖₂ ≤ c̄ = rows_k + p``, ``rows_k`` the off-diagonal absolute row sum
    of ``B̃``) and ``C`` the rest of ``B`` (its spectrum within ``f`` of the other ``d_j``,
    Weyl again), the gap ``η = dist(μ, spec C) ≥ min_j |d_k − d_j| − p − f``; if
    ``2c̄ ≤ η``, the secular function ``λ − μ − cᵀ(λ − C)⁻¹c`` changes sign on
    ``μ ± 2c̄²/η``, so an eigenvalue lies within ``p + 2c̄²/η`` of ``d_k``; that interval
    inside the isolated Weyl interval holds the k-th eigenvalue itself
    (``proofs/dyadic_products.py``).
    """
    n = len(d)
    order = sorted(range(n), key=lambda k: d[k])
    out = [f] * n
    for pos, k in enumerate(order):
        gaps = []
        if pos > 0:
            gaps.append(d[k] - d[order[pos - 1]])
        if pos + 1 < n:
            gaps.append(d[order[pos + 1]] - d[k])
        if gaps and min(gaps) <= 2 * f:
            continue  # the Weyl interval meets a neighbour's
        if not gaps:  # 1×1: B = μ exactly up to P
            out[k] = min(f, p)
            continue
        eta = min(gaps) - p - f
        cbar = rows[k] + p
        if eta > 0 and 2 * cbar <= eta:
            out[k] = min(f, _round_up(p + 2 * cbar * cbar / eta))
    return out
