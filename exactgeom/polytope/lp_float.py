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

__all__ = ["FloatProposal", "propose", "independent_rows", "float_matrix", "hit_directions"]


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


def _highs_core():  # pragma: no cover - trivial import shim
    """SciPy's bundled HiGHS bindings (no banner on stdout), or ``None``."""
    try:
        from scipy.optimize._highspy import _core

        _core._Highs  # noqa: B018 - present in SciPy >= 1.15
        return _core
    except (ImportError, AttributeError):
        return None


class WarmLP:
    """``max c·y s.t. F y <= g, G y = h`` (``y`` free; ``h = 0`` unless given) kept in one HiGHS instance, so
    successive solves with another objective or other right-hand sides start from
    the previous basis (primal simplex, no presolve). A proposal only, like
    :func:`propose`; without SciPy's HiGHS bindings every solve is a fresh
    :func:`propose`.

    >>> W = WarmLP([[1.0, 2.0], [3.0, 1.0], [-1.0, 0.0], [0.0, -1.0]], [4.0, 6.0, 0.0, 0.0])
    >>> p = W.solve([1.0, 1.0]); p.status, [round(v, 9) for v in p.x], [round(v, 9) for v in p.dual]
    ('optimal', [1.6, 1.2], [0.4, 0.2, 0.0, 0.0])
    >>> W.set_upper(1, float("inf")); p = W.solve([1.0, 1.0]); p.status, [round(v, 9) + 0.0 for v in p.x]
    ('optimal', [4.0, 0.0])
    """

    def __init__(
        self, F: Sequence[Sequence[float]], g: Sequence[float], G: Sequence[Sequence[float]] = (), h: Sequence[float] | None = None
    ) -> None:
        self.F = np.asarray(F, dtype=float).reshape(len(F), -1)
        self.g = np.asarray(g, dtype=float).copy()
        self.G = np.asarray(G, dtype=float).reshape(len(G), self.F.shape[1])
        self.h = np.zeros(len(self.G)) if h is None else np.asarray(h, dtype=float).reshape(len(self.G))
        self.m, self.n = self.F.shape
        self._h = None
        core = _highs_core()
        if core is not None and self.m:
            self._h = self._build(core)

    def _build(self, core):  # type: ignore[no-untyped-def]
        inf = core.kHighsInf
        M = np.vstack([self.F, self.G]) if len(self.G) else self.F
        rows, n = M.shape
        h = core._Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("presolve", "off")
        h.setOptionValue("simplex_strategy", 4)  # primal: a changed objective keeps the basis feasible
        lp = core.HighsLp()
        lp.num_col_ = n
        lp.num_row_ = rows
        lp.col_cost_ = np.zeros(n)
        lp.col_lower_ = np.full(n, -inf)
        lp.col_upper_ = np.full(n, inf)
        C = M.T.copy()  # column-wise storage of M: column j of M is row j of C
        nz = C != 0
        lp.a_matrix_.format_ = core.MatrixFormat.kColwise
        lp.a_matrix_.start_ = np.concatenate([[0], np.cumsum(nz.sum(axis=1))]).astype(np.int32)
        lp.a_matrix_.index_ = np.nonzero(nz)[1].astype(np.int32)
        lp.a_matrix_.value_ = C[nz]
        lp.row_lower_ = np.concatenate([np.full(self.m, -inf), self.h])
        lp.row_upper_ = np.concatenate([self.g, self.h])
        h.passModel(lp)
        self._core = core
        self._cols = np.arange(n, dtype=np.int32)
        return h

    def set_upper(self, i: int, v: float) -> None:
        """Change the right-hand side of inequality row ``i`` (``inf`` drops the row)."""
        self.g[i] = v
        if self._h is not None:
            self._h.changeRowBounds(i, -self._core.kHighsInf, v if np.isfinite(v) else self._core.kHighsInf)

    def solve(self, c: Sequence[float]) -> FloatProposal:
        """HiGHS' proposal for ``max c·y`` under the current rows."""
        if self._h is None:
            keep = np.isfinite(self.g)
            p = propose(list(c), self.F[keep], self.g[keep], self.G, self.h)
            if p.status != "optimal":
                return p
            dual = np.zeros(self.m)
            dual[keep] = p.dual
            slack = self.g - self.F @ np.asarray(p.x)
            return FloatProposal("optimal", p.x, tuple(dual.tolist()), p.dual_eq, tuple(slack.tolist()))
        h, core = self._h, self._core
        h.changeColsCost(self.n, self._cols, -np.asarray(c, dtype=float))
        h.run()
        st = h.getModelStatus()
        if st == core.HighsModelStatus.kInfeasible:
            return FloatProposal("infeasible", (), (), (), ())
        if st == core.HighsModelStatus.kUnbounded:
            return FloatProposal("unbounded", (), (), (), ())
        if st != core.HighsModelStatus.kOptimal:
            h.clearSolver()  # a fresh start next time
            return FloatProposal("failed", (), (), (), ())
        sol = h.getSolution()
        x = np.asarray(sol.col_value, dtype=float)
        rd = -np.asarray(sol.row_dual, dtype=float)
        slack = self.g - self.F @ x
        return FloatProposal("optimal", tuple(x.tolist()), tuple(rd[: self.m].tolist()), tuple(rd[self.m :].tolist()), tuple(slack.tolist()))


_BLAS: list = []


def _one_blas_thread():  # type: ignore[no-untyped-def]
    """A context with BLAS limited to one thread (when threadpoolctl is importable): the
    small products below are slower threaded, and on a shared machine the spinning
    threads cost several times their work in CPU time."""
    from contextlib import nullcontext

    if not _BLAS:
        try:
            from threadpoolctl import ThreadpoolController

            _BLAS.append(ThreadpoolController())
        except Exception:  # pragma: no cover - threadpoolctl missing or failing
            _BLAS.append(None)
    c = _BLAS[0]
    return nullcontext() if c is None else c.limit(limits=1, user_api="blas")


def hit_directions(P: np.ndarray, rows: Sequence[int], iters: int = 150, margin: float = 1e-9) -> dict[int, np.ndarray]:
    """Float directions ``d`` in which point ``P[k]`` is the unique maximiser of
    ``P[i]·d`` over all rows ``i`` (for ``k`` in ``rows``, as many as found): with
    ``P[i] = a_i / (b_i − a_i·z)`` the polar points of rows ``a_i·x <= b_i`` around an
    interior point ``z``, the ray from ``z`` along ``d`` leaves through row ``k``
    first. A proposal only: the caller certifies each hit exactly.

    The directions tried: the points themselves (the normal rays; a clear maximiser
    other than ``k`` is kept for that row), then Gilbert's algorithm for the distance
    from ``P[k]`` to the hull of the other points, run for all remaining rows at once in
    whitened coordinates (``r = P[k] − x`` for ``x`` approaching that hull; any ``r``
    separating ``P[k]`` from the others is a direction), at most ``iters`` steps.

    >>> P = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0], [0.1, 0.1]])
    >>> sorted(hit_directions(P, range(5)))       # the point inside the hull is never a maximiser
    [0, 1, 2, 3]
    """
    # proposals only: an overflow (polar points of a 1e-300-wide cell reach 1e300) makes
    # some directions inf/nan, which the exact check discards; no warning reaches the user
    with _one_blas_thread(), np.errstate(all="ignore"):
        return _hit_directions(np.asarray(P, dtype=float), rows, iters, margin)


def _hit_directions(P: np.ndarray, rows: Sequence[int], iters: int, margin: float) -> dict[int, np.ndarray]:
    m, n = P.shape
    out: dict[int, np.ndarray] = {}
    if m == 0 or not np.isfinite(P).all():
        return out
    want = set(rows)

    def clear(V: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        j = np.argmax(V, axis=0)
        cols = np.arange(V.shape[1])
        top = V[j, cols]
        W = V.copy()
        W[j, cols] = -np.inf
        return j, (top > 0) & (W.max(axis=0) < top - margin * np.abs(top))

    j, ok = clear(P @ P.T)
    for k in np.nonzero(ok)[0]:
        r = int(j[k])
        if r in want and r not in out:
            out[r] = P[k].copy()
    todo = np.array([k for k in sorted(want) if k not in out], dtype=int)
    if not len(todo):
        return out
    try:  # whitened coordinates: the points' second moment becomes the identity
        Lw = np.linalg.cholesky(np.linalg.inv(P.T @ P / m))
        if not np.isfinite(Lw).all():
            raise np.linalg.LinAlgError
    except np.linalg.LinAlgError:
        Lw = np.eye(n)
    Pw = P @ Lw
    X = np.repeat(Pw.mean(axis=0)[:, None], len(todo), axis=1)
    for _ in range(iters):
        K = len(todo)
        if not K:
            break
        cols = np.arange(K)
        Pk = Pw[todo].T
        R = Pk - X
        V = Pw @ R
        vk = V[todo, cols].copy()
        V[todo, cols] = -np.inf
        j = np.argmax(V, axis=0)
        vj = V[j, cols]
        sep = (vk > 0) & (vj < vk - margin * np.abs(vk))
        for c in np.nonzero(sep)[0]:
            out[int(todo[c])] = Lw @ R[:, c]
        keep = ~sep
        todo, X, R, j = todo[keep], X[:, keep], R[:, keep], j[keep]
        Dv = Pw[j].T - X  # Gilbert's step towards the other points' maximiser
        den = (Dv * Dv).sum(axis=0)
        gam = np.clip((R * Dv).sum(axis=0) / np.where(den > 0, den, 1.0), 0.0, 1.0)
        X = X + gam * Dv
    return out
