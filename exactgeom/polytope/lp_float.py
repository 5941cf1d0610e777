"""The float half of the certified LP (:mod:`exactgeom.polytope.lp`): HiGHS proposes.

Nothing here decides anything. :func:`propose` runs HiGHS' dual simplex (through
:func:`scipy.optimize.linprog`) on already scaled float data and returns its verdict,
point and multipliers; :func:`independent_rows` picks, in a given order of preference,
rows that look linearly independent in floating point. The exact module turns these
suggestions into a basis and checks it with rational arithmetic; a wrong suggestion
only costs a fallback to cddlib's exact LP.

>>> p = propose([1.0, 1.0], [[1.0, 2.0], [3.0, 1.0], [-1.0, 0.0], [0.0, -1.0]], [4.0, 6.0, 0.0, 0.0], [], [])
>>> p.status, [round(v, 9) for v in p.x], [round(v, 9) for v in p.dual]
('optimal', [1.6, 1.2], [0.4, 0.2, 0.0, 0.0])
>>> independent_rows([[1.0, 0.0], [2.0, 0.0], [0.0, 1.0]], [0, 1, 2], 2)
[0, 2]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["FloatProposal", "propose", "independent_rows", "float_matrix"]


@dataclass(frozen=True)
class FloatProposal:
    """HiGHS' answer to ``max c·y s.t. F y <= g, G y = h`` (``y`` free), in floats.

    ``status`` is ``"optimal"``, ``"infeasible"``, ``"unbounded"`` or ``"failed"``;
    ``x`` the point, ``dual`` the multipliers of the inequality rows (>= 0 up to
    rounding) and ``dual_eq`` those of the equality rows; ``slack`` is ``g − F y``.
    """

    status: str
    x: tuple[float, ...]
    dual: tuple[float, ...]
    dual_eq: tuple[float, ...]
    slack: tuple[float, ...]


def propose(
    c: Sequence[float],
    F: Sequence[Sequence[float]],
    g: Sequence[float],
    G: Sequence[Sequence[float]],
    h: Sequence[float],
) -> FloatProposal:
    """Float optimum of ``max c·y`` subject to ``F y <= g`` and ``G y = h`` (free ``y``)."""
    from scipy.optimize import linprog

    n = len(c)
    kw: dict = {}
    if len(F):
        kw["A_ub"] = np.asarray(F, dtype=float).reshape(len(F), n)
        kw["b_ub"] = np.asarray(g, dtype=float)
    if len(G):
        kw["A_eq"] = np.asarray(G, dtype=float).reshape(len(G), n)
        kw["b_eq"] = np.asarray(h, dtype=float)
    cost = -np.asarray(c, dtype=float)
    try:
        res = linprog(cost, bounds=[(None, None)] * n, method="highs-ds", **kw)
    except (ValueError, RuntimeError, FloatingPointError):  # pragma: no cover - bad float data
        return FloatProposal("failed", (), (), (), ())
    if res.status == 2:
        return FloatProposal("infeasible", (), (), (), ())
    if res.status == 3:
        return FloatProposal("unbounded", (), (), (), ())
    if res.status != 0 or res.x is None:
        return FloatProposal("failed", (), (), (), ())
    x = np.asarray(res.x, dtype=float)
    dual: tuple[float, ...] = ()
    slack: tuple[float, ...] = ()
    if len(F):
        dual = tuple(-float(v) for v in res.ineqlin.marginals)
        slack = tuple(float(v) for v in kw["b_ub"] - kw["A_ub"] @ x)
    dual_eq: tuple[float, ...] = ()
    if len(G):
        dual_eq = tuple(-float(v) for v in res.eqlin.marginals)
    return FloatProposal("optimal", tuple(float(v) for v in x), dual, dual_eq, slack)


def independent_rows(F: Sequence[Sequence[float]], order: Sequence[int], limit: int) -> list[int]:
    """Rows of ``F``, taken in ``order``, that are numerically independent of the rows
    taken before them (at most ``limit``); a suggestion, checked exactly by the caller."""
    M = np.asarray(F, dtype=float)
    if M.ndim != 2 or M.shape[0] == 0 or limit <= 0:
        return []
    n = M.shape[1]
    limit = min(limit, n)
    Q = np.zeros((limit, n))
    k = 0
    out: list[int] = []
    for i in order:
        v = M[i]
        nv = float(np.sqrt(v @ v))
        if nv == 0.0 or not np.isfinite(nv):
            continue
        v = v / nv
        if k:
            Qk = Q[:k]
            v = v - Qk.T @ (Qk @ v)
            v = v - Qk.T @ (Qk @ v)  # classical Gram-Schmidt, twice
        r = float(np.sqrt(v @ v))
        if r > 1e-9:
            Q[k] = v / r
            k += 1
            out.append(i)
            if k >= limit:
                break
    return out


def float_matrix(rows: Sequence[Sequence[float]], n: int) -> np.ndarray:
    """The rows as an ``m × n`` float array (``0 × n`` when there are none)."""
    return np.asarray(rows, dtype=float).reshape(len(rows), n)
