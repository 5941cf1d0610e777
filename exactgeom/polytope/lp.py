r"""Certified exact linear programming: a float LP proposes, exact arithmetic decides.

:func:`solve_lp` solves ``max`` (or ``min``) ``c·x`` subject to ``A x <= b`` and
``E x = f`` over the rationals, exactly:

1. **Proposal.** The data are scaled for floating point without ever converting a big
   rational to float directly: the problem is translated by a rational centre ``t``
   (``x = t + 2^K y``; ``b − A t`` is computed exactly), each row is divided by a power
   of two near its largest entry, and ``K`` is chosen so the right-hand sides are of
   order one; every entry reaches float through :func:`scaled_float` (bit lengths
   first, so nothing overflows). HiGHS' dual simplex (:mod:`.lp_float`) solves the
   scaled problem.
2. **Certificate.** From HiGHS' multipliers a basis is chosen: the equality rows and
   the inequality rows with positive multiplier, kept when numerically independent.
   python-flint then computes, exactly, the dual multipliers ``y`` of the basis rows
   (``A_Bᵀ y = c``) and a primal point ``x`` on which every basis row is tight (the
   exact solution of ``A_B x = b_B`` when the basis is square, else the exact
   projection of HiGHS' point onto that affine subspace). The certificate holds when,
   exactly, ``Aᵀ_B y`` equals ``c``, ``y >= 0`` on inequality rows (dual feasibility),
   ``A x <= b`` and ``E x = f`` (primal feasibility) and ``c·x = b_B·y`` (complementary
   slackness: only tight rows carry multipliers). Then ``x`` is optimal and ``c·x`` is
   the exact optimum, by weak duality.
3. **Fallback.** If the float LP fails, reports infeasible or unbounded, or the basis
   is singular or any check fails (after one retry translated to HiGHS' own point),
   cddlib's exact GMP LP answers (:func:`exactgeom.polytope.backends.cdd.lp_solve`);
   its optimal solutions are checked the same way. Infeasible and unbounded verdicts
   therefore always come from the exact solver. :func:`lp_statistics` counts the
   certified answers and the fallbacks (with their reasons).

No float ever decides: a float only chooses which exact certificate to check.

Dual convention: for ``maximize=True`` the multipliers satisfy ``c = Aᵀ y + Eᵀ z`` with
``y >= 0``; for ``maximize=False`` they certify ``max −c·x``, i.e. ``−c = Aᵀ y + Eᵀ z``.

>>> r = solve_lp([1, 1], [[1, 2], [3, 1], [-1, 0], [0, -1]], [4, 6, 0, 0])
>>> r.status, r.value, r.x, r.dual
('optimal', Fraction(14, 5), (Fraction(8, 5), Fraction(6, 5)), (Fraction(2, 5), Fraction(1, 5), Fraction(0, 1), Fraction(0, 1)))
>>> solve_lp([1], [[-1]], [0]).status          # max x s.t. x >= 0
'unbounded'
>>> solve_lp([1], [[1], [-1]], [0, -1]).status  # x <= 0 and x >= 1
'infeasible'
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from flint import fmpq, fmpq_mat

from ..errors import BackendError, InvalidInputError
from ..numbers.rational import as_rational_matrix, as_rational_vector
from .backends import cdd as cddb

__all__ = ["LPResult", "solve_lp", "lp_statistics", "reset_lp_statistics", "scaled_float", "RowSet", "solve_rows"]

Vec = tuple[Fraction, ...]

#: Bits kept when HiGHS' float point is rounded to a dyadic rational (a proposal only).
POINT_BITS = 48
#: Coarser roundings tried first when the basis has fewer rows than variables (the point
#: is then not unique; small denominators keep the exact solves cheap).
COARSE_BITS = (16, 30, POINT_BITS)

_STATS: Counter[str] = Counter()
_LOCAL = threading.local()


@dataclass(frozen=True)
class LPResult:
    """Outcome of an exact LP.

    Attributes
    ----------
    status : str
        ``"optimal"``, ``"infeasible"`` or ``"unbounded"``.
    value : Fraction or None
        The exact optimum (``None`` unless optimal).
    x : tuple of Fraction or None
        An exact optimal point.
    dual, dual_eq : tuple of Fraction or None
        Exact optimal multipliers of the inequality and equality rows (see the module
        notes for the sign convention); ``None`` unless optimal.
    method : str
        ``"certified"`` (float proposal, exact certificate) or ``"cddlib-fallback"``.
    """

    status: str
    value: Fraction | None
    x: Vec | None
    dual: Vec | None
    dual_eq: Vec | None
    method: str


def lp_statistics() -> dict[str, Any]:
    """Counts since the last reset: exact LP answers (``certified``, ``fallback`` and, per
    reason, ``fallback:<reason>``) and the H-first engine's decisions made without an
    exact LP (:mod:`.hfirst`): ``float_lps`` (float proposals asked for), ``ray_facets``
    (facets proved by an exact ray hit), ``farkas_redundant`` (rows proved redundant by
    exact multipliers; ``box_certificates`` of them by float multipliers completed
    exactly with coordinate rows, no linear solve), ``rounded_interior`` (interior points proved by an exact check
    of a rounded float point) and ``exact_shots`` (rays whose first hit the integer
    fixed-point screen left open, shot in full precision).

    >>> reset_lp_statistics(); _ = solve_lp([1], [[1]], [2]); lp_statistics()["certified"]
    1
    """
    out: dict[str, Any] = {"certified": _STATS["certified"], "fallback": _STATS["fallback"]}
    out.update({k: v for k, v in _STATS.items() if k.startswith("fallback:")})
    for k in ("float_lps", "ray_facets", "farkas_redundant", "box_certificates", "rounded_interior", "exact_shots"):
        out[k] = _STATS[k]
    return out


def count(key: str, k: int = 1) -> None:
    """Add ``k`` to the counter ``key`` of :func:`lp_statistics` (internal), and to the
    counters this thread collects (:func:`collecting_lp_statistics`)."""
    _STATS[key] += k
    c = getattr(_LOCAL, "collect", None)
    if c is not None:
        c[key] += k


@contextmanager
def collecting_lp_statistics() -> Iterator[Counter[str]]:
    """Within the block, also count this thread's LP statistics into the yielded
    counter (internal: a worker returns them with its results, and the main process
    adds them with :func:`add_lp_statistics`).

    >>> with collecting_lp_statistics() as c:
    ...     count("float_lps", 2)
    >>> c["float_lps"]
    2
    """
    prev = getattr(_LOCAL, "collect", None)
    c: Counter[str] = Counter()
    _LOCAL.collect = c
    try:
        yield c
    finally:
        _LOCAL.collect = prev
        if prev is not None:
            prev.update(c)


def add_lp_statistics(counts: Mapping[str, int]) -> None:
    """Add counts collected in another process to :func:`lp_statistics` (internal)."""
    _STATS.update(counts)


def reset_lp_statistics() -> None:
    """Set the counters of :func:`lp_statistics` to zero."""
    _STATS.clear()


# ---------------------------------------------------------------------- floats, safely
def _log2(p: int, q: int) -> int:
    """``⌊log2 |p/q|⌋`` up to one (from bit lengths only); ``p != 0``."""
    return abs(p).bit_length() - q.bit_length()


def scaled_float(p: int, q: int, e: int = 0) -> float:
    """``p/q · 2^e`` as a float, computed without overflow for any size of ``p`` and
    ``q`` (a huge result is clamped near ``2^1000``; a tiny one underflows to 0). Only
    for float proposals: never used to decide anything.

    >>> scaled_float(10**400, 3, -1330) > 0, scaled_float(1, 3), scaled_float(-(10**500), 1) < -1e300
    (True, 0.3333333333333333, True)
    """
    if p == 0:
        return 0.0
    k = abs(p).bit_length() - q.bit_length()
    m = p / (q << k) if k >= 0 else (p << -k) / q  # correctly rounded, |m| in (1/2, 2)
    return math.ldexp(m, max(-1100, min(1000, k + e)))


def _pq(x: Any) -> tuple[int, int]:
    if isinstance(x, int):
        return x, 1
    if isinstance(x, fmpq):
        return int(x.p), int(x.q)
    return x.numerator, x.denominator


def _q(x: Any) -> fmpq:
    if isinstance(x, int):
        return fmpq(x)
    if isinstance(x, fmpq):
        return x
    return fmpq(x.numerator, x.denominator)


def _frac(x: fmpq) -> Fraction:
    return Fraction(int(x.p), int(x.q))


# ---------------------------------------------------------------------- prepared rows
class RowSet:
    """Rows ``a_i`` (with right-hand sides ``b_i``) prepared once for many LPs: exact
    (flint) and float (each row divided by a power of two near its largest entry).

    An LP then names which rows are inequalities (``a_i·x <= b_i``) and which are
    equalities; see :func:`solve_rows`.
    """

    __slots__ = ("F", "Q", "exps", "n", "qrhs", "qrows", "rhs", "rows")

    def __init__(self, rows: Sequence[Sequence[Any]], rhs: Sequence[Any], n: int) -> None:
        from .lp_float import float_matrix

        self.n = n
        self.rows = [tuple(_frac(x) if isinstance(x, fmpq) else x for x in r) for r in rows]
        self.rhs = [_frac(x) if isinstance(x, fmpq) else x for x in rhs]
        self.qrows = [[_q(x) for x in r] for r in self.rows]
        self.qrhs = [_q(x) for x in self.rhs]
        self.Q = fmpq_mat(len(self.rows), n, [x for r in self.qrows for x in r]) if self.rows else None
        exps = []
        frows = []
        for r in self.rows:
            pqs = [_pq(x) for x in r]
            e = max((_log2(p, q) for p, q in pqs if p), default=0) + 1
            exps.append(e)
            frows.append([scaled_float(p, q, -e) for p, q in pqs])
        self.exps = exps
        self.F = float_matrix(frows, n)

    def __len__(self) -> int:
        return len(self.rows)


def _dyadic(v: float, bits: int = POINT_BITS) -> fmpq:
    """A float rounded to the dyadic rational ``round(v·2^bits)/2^bits`` (exact ints)."""
    if not math.isfinite(v):
        return fmpq(0)
    return fmpq(round(v * (1 << bits)), 1 << bits)


# ---------------------------------------------------------------------- the solver
def solve_rows(
    rs: RowSet,
    c: Sequence[Any],
    ineq: Sequence[int],
    eq: Sequence[int] = (),
    *,
    rhs: dict[int, Any] | None = None,
    center: Sequence[Any] | None = None,
    maximize: bool = True,
    want_dual: bool = True,
) -> LPResult:
    """Exact ``max``/``min c·x`` subject to ``a_i·x <= b_i`` (``i`` in ``ineq``) and
    ``a_i·x = b_i`` (``i`` in ``eq``) for the rows of ``rs``; ``rhs`` overrides some
    right-hand sides; ``center`` is a rational point to translate the float problem to
    (e.g. an interior point; it need not be feasible). Multipliers are returned in the
    order of ``ineq`` and ``eq`` (``None`` unless ``want_dual``; they are checked
    either way). Internal, unchecked: see :func:`solve_lp`."""
    n = rs.n
    sgn = 1 if maximize else -1
    cc = [_q(x) * sgn for x in c]
    if rhs:
        rhs_q = list(rs.qrhs)
        for i, v in rhs.items():
            rhs_q[i] = _q(v)
    else:
        rhs_q = rs.qrhs
    if not any(not x.is_zero() for x in cc) and not ineq and not eq:
        x0 = tuple(Fraction(0) for _ in range(n))
        count("certified")
        return LPResult("optimal", Fraction(0), x0, (), (), "certified")
    reason = "float"
    t = None if center is None else [_q(v) for v in center]
    for attempt in range(2):
        got, xhat, reason = _attempt(rs, cc, ineq, eq, rhs_q, t, want_dual)
        if got is not None:
            count("certified")
            return _signed(got, sgn)
        if xhat is None or attempt == 1:
            break
        t = xhat  # retry translated to HiGHS' own point
    count("fallback")
    count(f"fallback:{reason}")
    return _signed(_cdd_fallback(rs, cc, ineq, eq, rhs_q), sgn)


def _signed(r: LPResult, sgn: int) -> LPResult:
    if sgn == 1 or r.value is None:
        return r
    return LPResult(r.status, -r.value, r.x, r.dual, r.dual_eq, r.method)


def _attempt(
    rs: RowSet,
    cc: list[fmpq],
    ineq: Sequence[int],
    eq: Sequence[int],
    rhs_q: list[fmpq],
    t: list[fmpq] | None,
    want_dual: bool = True,
) -> tuple[LPResult | None, list[fmpq] | None, str]:
    from .lp_float import independent_rows, propose

    n = rs.n
    used = list(ineq) + list(eq)
    # exact translated right-hand sides b − A t
    if t is not None and rs.Q is not None:
        At = rs.Q * fmpq_mat(n, 1, t)
        bt = {i: rhs_q[i] - At[i, 0] for i in used}
    else:
        bt = {i: rhs_q[i] for i in used}
    # one global scale 2^K of the variables: the largest scaled right-hand side ~ 1
    logs = []
    for i in used:
        p, q = _pq(bt[i])
        if p:
            logs.append(_log2(p, q) - rs.exps[i])
    K = max(logs) + 1 if logs else 0
    g = {}
    for i in used:
        p, q = _pq(bt[i])
        g[i] = scaled_float(p, q, -rs.exps[i] - K)
    cpq = [_pq(x) for x in cc]
    ce = max((_log2(p, q) for p, q in cpq if p), default=0) + 1
    cf = [scaled_float(p, q, -ce) for p, q in cpq]
    F = rs.F[list(ineq)] if ineq else []
    G = rs.F[list(eq)] if eq else []
    prop = propose(cf, F, [g[i] for i in ineq], G, [g[i] for i in eq])
    if prop.status != "optimal":
        return None, None, f"float-{prop.status}"
    # HiGHS' point in the original coordinates, as a dyadic rational (coarse first:
    # small denominators keep the exact solves cheap; finer ones if the coarse fails)
    scale = fmpq(2) ** K if K >= 0 else fmpq(1, 2 ** (-K))

    def xhat_at(bits: int) -> list[fmpq]:
        return [_dyadic(v, bits) * scale + (t[j] if t is not None else 0) for j, v in enumerate(prop.x)]

    xhat = xhat_at(POINT_BITS)
    # basis: equalities first, then inequality rows with a clearly positive multiplier,
    # then the other rows tight at HiGHS' point (they keep the exact point feasible on a
    # degenerate optimal face; their exact multipliers come out zero)
    top = max([abs(v) for v in prop.dual] + [0.0])
    pos = [k for k, v in enumerate(prop.dual) if v > 1e-9 * top]
    pos.sort(key=lambda k: -prop.dual[k])
    posset = set(pos)
    tight = [k for k, v in enumerate(prop.slack) if k not in posset and v <= 1e-9]
    tight.sort(key=lambda k: prop.slack[k])
    cand = list(eq) + [ineq[k] for k in pos] + [ineq[k] for k in tight]
    B = independent_rows(rs.F, cand, n)
    eqset = set(eq)
    Beq, Bin = [i for i in B if i in eqset], [i for i in B if i not in eqset]
    J = _pivot_columns(rs, Beq + Bin, n)
    for bits in COARSE_BITS if len(B) < n else (POINT_BITS,):
        got = _certify(rs, cc, ineq, eq, rhs_q, Beq, Bin, xhat_at(bits), want_dual, J)
        if got is not None:
            return got, xhat, ""
    return None, xhat, "certificate"


def _pivot_columns(rs: RowSet, B: list[int], n: int) -> list[int] | None:
    """``len(B)`` columns on which the basis rows look independent (a float QR with
    column pivoting: a proposal, the exact solve checks it); ``None`` if ``B`` is empty
    or square."""
    r = len(B)
    if r == 0 or r >= n:
        return None
    from scipy.linalg import qr

    piv = qr(rs.F[B], pivoting=True, mode="r")[1]
    return sorted(int(j) for j in piv[:r])


def _certify(
    rs: RowSet,
    cc: list[fmpq],
    ineq: Sequence[int],
    eq: Sequence[int],
    rhs_q: list[fmpq],
    Beq: list[int],
    Bin: list[int],
    xhat: list[fmpq],
    want_dual: bool = True,
    J: list[int] | None = None,
) -> LPResult | None:
    """Exact check of the basis ``Beq + Bin``; the LPResult when it certifies.

    With fewer basis rows ``r`` than variables and pivot columns ``J``, the point keeps
    ``xhat`` outside ``J`` and solves the ``r × r`` system on ``J`` for the rest, and the
    multipliers solve the transposed ``r × r`` system on ``J`` (then ``Mᵀy = c`` is
    checked on every column); without ``J``, the Gram system ``M Mᵀ`` projects ``xhat``."""
    n = rs.n
    B = Beq + Bin
    r = len(B)
    cq = fmpq_mat(n, 1, cc)
    try:
        if r == 0:
            if any(not x.is_zero() for x in cc):
                return None
            x = fmpq_mat(n, 1, xhat)
            y = None
        else:
            M = fmpq_mat(r, n, [v for i in B for v in rs.qrows[i]])
            bB = fmpq_mat(r, 1, [rhs_q[i] for i in B])
            Mt = M.transpose()
            if r == n:
                x = M.solve(bB)
                y = Mt.solve(cq)
            elif J is not None:
                Jset = set(J)
                rest = [j for j in range(n) if j not in Jset]
                MJ = fmpq_mat(r, r, [rs.qrows[i][j] for i in B for j in J])
                if rest:
                    Mr = fmpq_mat(r, len(rest), [rs.qrows[i][j] for i in B for j in rest])
                    xJ = MJ.solve(bB - Mr * fmpq_mat(len(rest), 1, [xhat[j] for j in rest]))
                else:  # pragma: no cover - r < n
                    xJ = MJ.solve(bB)
                xs = list(xhat)
                for k, j in enumerate(J):
                    xs[j] = xJ[k, 0]
                x = fmpq_mat(n, 1, xs)
                y = MJ.transpose().solve(fmpq_mat(r, 1, [cc[j] for j in J]))
                if Mt * y != cq:
                    return None  # c is not a combination of the basis rows
            else:
                Gm = M * Mt
                y = Gm.solve(M * cq)
                if Mt * y != cq:
                    return None  # c is not a combination of the basis rows
                x0 = fmpq_mat(n, 1, xhat)
                x = x0 + Mt * Gm.solve(bB - M * x0)
    except ZeroDivisionError:
        return None  # singular basis
    yB: dict[int, fmpq] = {}
    if y is not None:
        for k, i in enumerate(B):
            yB[i] = y[k, 0]
        for i in Bin:
            if yB[i] < 0:
                return None  # dual infeasible
    # primal feasibility on every row of the LP
    assert rs.Q is not None or (not ineq and not eq)
    Ax = (rs.Q * x).entries() if rs.Q is not None else ()
    for i in ineq:
        if Ax[i] > rhs_q[i]:
            return None
    for i in eq:
        if Ax[i] != rhs_q[i]:
            return None
    value = sum((cc[j] * x[j, 0] for j in range(n)), fmpq(0))
    if value != sum((yB[i] * rhs_q[i] for i in B), fmpq(0)):  # pragma: no cover - implied by the solves
        return None
    xs = tuple(_frac(v) for v in x.entries())
    if not want_dual:
        return LPResult("optimal", _frac(value), xs, None, None, "certified")
    zero = Fraction(0)
    dual = tuple(_frac(yB[i]) if i in yB else zero for i in ineq)
    dual_eq = tuple(_frac(yB[i]) if i in yB else zero for i in eq)
    return LPResult("optimal", _frac(value), xs, dual, dual_eq, "certified")


def _cdd_fallback(rs: RowSet, cc: list[fmpq], ineq: Sequence[int], eq: Sequence[int], rhs_q: list[fmpq]) -> LPResult:
    """cddlib's exact LP; its optimum is checked exactly before it is returned."""
    c = [_frac(x) for x in cc]
    A = [rs.rows[i] for i in ineq]
    b = [_frac(rhs_q[i]) for i in ineq]
    E = [rs.rows[i] for i in eq]
    f = [_frac(rhs_q[i]) for i in eq]
    res = cddb.lp_solve(c, A, b, E, f, maximize=True)
    if res.status != "optimal":
        return LPResult(res.status, None, None, None, None, "cddlib-fallback")
    assert res.x is not None and res.value is not None
    m = len(ineq)
    y = [Fraction(0)] * m
    z = [Fraction(0)] * len(eq)
    if ineq or eq:
        for k, v in res.dual.items():
            if k < m:
                y[k] = v
            elif k - m < 2 * len(eq):
                z[(k - m) // 2] += v if (k - m) % 2 == 0 else -v
    x = res.x
    ok = all(v >= 0 for v in y)
    ok = ok and all(sum((a * xi for a, xi in zip(r, x)), Fraction(0)) <= bi for r, bi in zip(A, b))
    ok = ok and all(sum((a * xi for a, xi in zip(r, x)), Fraction(0)) == fi for r, fi in zip(E, f))
    for j in range(rs.n):
        s = sum((y[k] * A[k][j] for k in range(m)), Fraction(0)) + sum((z[k] * E[k][j] for k in range(len(eq))), Fraction(0))
        ok = ok and s == c[j]
    ok = ok and res.value == sum((yk * bk for yk, bk in zip(y, b)), Fraction(0)) + sum((zk * fk for zk, fk in zip(z, f)), Fraction(0))
    if not ok:
        raise BackendError("cddlib's exact LP optimum failed the exact optimality check")
    return LPResult("optimal", res.value, tuple(x), tuple(y), tuple(z), "cddlib-fallback")


# ---------------------------------------------------------------------- public entry point
def solve_lp(
    c: Any,
    A: Any,
    b: Any,
    E: Any = (),
    f: Any = (),
    *,
    maximize: bool = True,
    center: Any = None,
) -> LPResult:
    """Exact optimum of ``max`` (or ``min``) ``c·x`` s.t. ``A x <= b``, ``E x = f``.

    Parameters
    ----------
    c
        Objective, length n (exact rationals: ints, Fractions, "p/q" strings).
    A, b
        Inequality rows (m×n) and right-hand sides (length m); may be empty.
    E, f
        Equality rows and right-hand sides; may be empty.
    maximize
        Maximise (default) or minimise.
    center
        Optional rational point (length n) the float proposal is translated to, e.g. a
        point near the optimum or inside the feasible set; it changes only the float
        conditioning, never the answer.

    Returns
    -------
    LPResult
        Status, exact optimum, point and multipliers, and which method answered.

    Examples
    --------
    >>> solve_lp([1, 0], [[1, 1]], [1], E=[[1, -1]], f=[0], maximize=False).status  # x = y, x + y <= 1
    'unbounded'
    >>> solve_lp([0, 1], [[1, 0], [-1, 0], [0, 1]], ["1/3", 0, 10**300]).value == 10**300
    True
    >>> solve_lp([1, 2], [[1, 0]], [1, 2])
    Traceback (most recent call last):
    ...
    exactgeom.errors.InvalidInputError: b has length 2 but A has 1 rows; give one right-hand side per row
    """
    cv = as_rational_vector(c, name="c")
    n = len(cv)
    if n == 0:
        raise InvalidInputError("c must have at least one entry (the number of variables)")
    Am = as_rational_matrix(A, name="A") if _nonempty(A) else ()
    bv = as_rational_vector(b, name="b") if _nonempty(b) else ()
    Em = as_rational_matrix(E, name="E") if _nonempty(E) else ()
    fv = as_rational_vector(f, name="f") if _nonempty(f) else ()
    if len(bv) != len(Am):
        raise InvalidInputError(f"b has length {len(bv)} but A has {len(Am)} rows; give one right-hand side per row")
    if len(fv) != len(Em):
        raise InvalidInputError(f"f has length {len(fv)} but E has {len(Em)} rows; give one right-hand side per row")
    for name, M in (("A", Am), ("E", Em)):
        for r in M:
            if len(r) != n:
                raise InvalidInputError(f"rows of {name} have {len(r)} entries but c has {n}; give one column per variable")
    if not isinstance(maximize, bool):
        raise InvalidInputError(f"maximize must be True or False, got {maximize!r}")
    t = None if center is None else as_rational_vector(center, name="center", length=n)
    if not Am and not Em:
        if any(cv):
            return LPResult("unbounded", None, None, None, None, "certified")
        count("certified")
        return LPResult("optimal", Fraction(0), tuple(Fraction(0) for _ in range(n)), (), (), "certified")
    rs = RowSet(list(Am) + list(Em), list(bv) + list(fv), n)
    m = len(Am)
    return solve_rows(rs, cv, range(m), range(m, m + len(Em)), center=t, maximize=maximize)


def _nonempty(x: Any) -> bool:
    try:
        return len(x) > 0
    except TypeError:
        return True  # let the converters raise their own error
