r"""H-first polytopes: everything linear programming decides, without vertices.

A :class:`~exactgeom.Polytope` built from many rows in high dimension does not
enumerate its vertices (a box in R^64 has 2^64 of them). Its canonical data come from
certified exact LPs (:mod:`.lp`) instead:

* **Fast path: a float proposal, an exact check.** First HiGHS' Chebyshev-type point
  (float) is rounded onto a coarse dyadic grid (then finer ones), projected exactly
  onto the equations, and checked exactly to lie strictly inside every row: if it
  does, the set has dimension ``n − rank E`` and this is its interior point, with no
  exact LP. Then every row is decided without an exact LP where floats can propose a
  proof (:func:`_fast_decisions`): a ray from the interior point whose exact first hit
  is a unique row proves that row a facet (the hit point is its witness); the
  directions are separating directions of the polar points
  (:func:`~.lp_float.hit_directions`: the normals, then Gilbert's algorithm), for the
  rows they miss the optima of warm-started HiGHS LPs (one model for all rows: ``max
  a_k·x`` with row ``k`` relaxed); first hits are decided in integers on fixed-point
  polar points, with full-precision shots only for near ties (:class:`_Rays`); a row
  the float LP finds implied gets an exact Farkas certificate (multipliers from the
  square system on pivot columns, checked exactly on all columns, ``y >= 0``, offsets
  compared exactly). Whatever fails these exact checks goes to the certified LPs below;
  a wrong float proposal costs time only, never an answer (:func:`~.lp.lp_statistics`
  counts ``rounded_interior``, ``ray_facets``, ``farkas_redundant``, ``float_lps``,
  ``exact_shots``).
* **Emptiness, implicit equalities, a relative-interior point**
  (:func:`hfirst_form`, when the fast path finds no point): maximise a common slack ``s`` with ``a_k·x + w_k s <= b_k``
  (``w_k`` a power of two near ``‖a_k‖_∞``), ``s <= σ``. ``s* < 0`` (or infeasible
  equations) means empty; ``s* > 0`` gives a point strictly inside every remaining row;
  ``s* = 0`` comes with exact multipliers ``y >= 0``, ``Σ y_k a_k + Eᵀz = 0``,
  ``Σ y_k b_k + fᵀz = 0``, and every row with ``y_k > 0`` is tight on the whole set
  (an implicit equality): those rows become equations and the LP is solved again.
* **Irredundant facets** by Clarkson's method (for the rows the fast path left
  undecided): the rows are taken in input order;
  row ``k`` is tested with one small LP, ``max a_k·x`` over the facets found so far
  and ``a_k·x <= b_k + slack_k(z)``. An optimum ``<= b_k`` proves ``k`` redundant;
  otherwise the segment from the interior point ``z`` to the optimum leaves the
  polytope through a facet, found exactly by ray shooting (the first row hit). Ties
  (the segment leaves through a lower-dimensional face) are resolved by the exact
  facet test below. Cost: about one small LP per row plus one per facet.
* **Facet witnesses** (:func:`facet_witness`): a rational point on facet ``i``
  strictly inside every other facet (``max s`` with row ``i`` as an equation); it
  exists exactly when row ``i`` defines a facet, and then lies in the facet's relative
  interior, hence strictly inside every input row that does not define the same
  half-space.
* **Ridges** (:func:`is_ridge`): facets ``i`` and ``j`` meet in a face of dimension
  ``dim − 2`` iff some point is tight at both and strictly inside all other facets (a
  ridge lies in exactly two facets; a face in only two facets has dimension ``dim − 2``).
* **Boundedness** (:func:`is_bounded`): the recession cone ``{d : A d <= 0, E d = 0}``
  is ``{0}`` iff ``[A; E]`` has rank ``n`` and some ``y >= 1`` has
  ``Aᵀy ∈ span(Eᵀ)`` (Stiemke's theorem): one feasibility LP.
* **Vertex estimate** (:func:`vertex_bound`): McMullen's upper bound theorem bounds
  the number of vertices of a ``d``-polytope with ``m`` facets.

>>> from fractions import Fraction as F
>>> rows = [(F(1), F(0)), (F(-1), F(0)), (F(0), F(1)), (F(0), F(-1)), (F(1), F(1))]
>>> c = hfirst_form(2, rows, [F(1), F(0), F(1), F(0), F(5)], (), ())
>>> c["_dim"], [str(h) for h in c["_facets"]], c["_facet_rows"]
(2, ['[1, 0]·x <= 1', '[-1, 0]·x <= 0', '[0, 1]·x <= 1', '[0, -1]·x <= 0'], (0, 1, 2, 3))
>>> vertex_bound(4, 2), vertex_bound(6, 3), vertex_bound(128, 64) > 10**18
(4, 8, True)
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from math import comb
from typing import TYPE_CHECKING, Any

from flint import fmpq, fmpq_mat

from ..errors import BackendError
from ..linalg import rational as la
from .certificates import _box_certificate, _redundancy_certificate, _row_scales, _unit_rows
from .hrep import Halfspace, Hyperplane, _project_normal, canonical_equations
from .lp import RowSet, _frac, _q, count, solve_rows
from .rays import _DIRECTION_BITS, _integer_direction, _RayPoint, _Rays

if TYPE_CHECKING:  # pragma: no cover
    from .polytope import Polytope

__all__ = ["hfirst_form", "vertex_bound", "facet_witness", "is_ridge", "is_bounded"]

Vec = tuple[Fraction, ...]


def vertex_bound(m: int, d: int) -> int:
    """McMullen's upper bound on the number of vertices of a ``d``-polytope with ``m``
    facets (attained by duals of cyclic polytopes): ``C(m − ⌈d/2⌉, ⌊d/2⌋) +
    C(m − ⌊d/2⌋ − 1, ⌈d/2⌉ − 1)``; 1 for ``d <= 0``."""
    if d <= 0:
        return 1
    if d == 1:
        return 2
    if m <= d:
        return max(m, 1)
    h, c = d // 2, (d + 1) // 2
    return comb(m - c, h) + comb(m - h - 1, c - 1)


def _pow2_at_least(a: Sequence[Any]) -> fmpq:
    """A power of two ``>= max |a_j|`` (``1`` for a zero row)."""
    e = 0
    for x in a:
        if x:
            p, q = (x, 1) if isinstance(x, int) else (x.numerator, x.denominator)
            e = max(e, abs(p).bit_length() - q.bit_length() + 1)
    return fmpq(2) ** e


def _slack_bound(rows: Sequence[Sequence[Any]], rhs: Sequence[Any]) -> fmpq:
    """A power of two of the order of the largest ``|b_k| / ‖a_k‖_∞`` (the slack LP's cap)."""
    e = 0
    for a, bk in zip(rows, rhs):
        if bk:
            p, q = bk.numerator, bk.denominator
            w = _pow2_at_least(a)
            e = max(e, abs(p).bit_length() - q.bit_length() - int(w.p).bit_length() + 2)
    return fmpq(2) ** e


class _SlackLP:
    """The rows ``[a_k | w_k] x' <= b_k`` (slack form), ``[a_k | 0]`` (plain), the
    equations ``[e | 0]`` and the cap ``[0 | 1] <= σ`` over ``n + 1`` variables."""

    def __init__(self, n: int, rows: Sequence[Sequence[Any]], rhs: Sequence[Any], E: Sequence[Sequence[Any]], f: Sequence[Any]) -> None:
        m = len(rows)
        zero = fmpq(0)
        big = []
        brhs: list[Any] = []
        for a, bk in zip(rows, rhs):
            big.append(list(a) + [_pow2_at_least(a)])
            brhs.append(bk)
        for a, bk in zip(rows, rhs):
            big.append(list(a) + [zero])
            brhs.append(bk)
        for e, fk in zip(E, f):
            big.append(list(e) + [zero])
            brhs.append(fk)
        big.append([zero] * n + [fmpq(1)])
        brhs.append(_slack_bound(rows, rhs))
        self.n, self.m, self.k = n, m, len(E)
        self.rs = RowSet(big, brhs, n + 1)
        self.obj = [0] * n + [1]

    def solve(self, slack_rows: Sequence[int], plain_rows: Sequence[int], center: Sequence[Any] | None, want_dual: bool = True):  # type: ignore[no-untyped-def]
        m = self.m
        ineq = list(slack_rows) + [2 * m + self.k]
        eq = [m + i for i in plain_rows] + list(range(2 * m, 2 * m + self.k))
        c = None if center is None else list(center) + [0]
        return solve_rows(self.rs, self.obj, ineq, eq, center=c, want_dual=want_dual)


# ---------------------------------------------------------------------- float proposals, exact checks
def _float_rows(W: Sequence[Sequence[int]], rhs: Sequence[Any], n: int) -> tuple[Any, Any]:
    """Integer rows ``w·x <= b`` as floats divided by ``‖w‖₂`` (``(F, g)``; big integers
    are shifted before conversion and the right-hand sides go through
    :func:`.lp.scaled_float`, so nothing overflows): a proposal's data only."""
    import numpy as np

    from .lp import _pq, scaled_float

    F = np.zeros((len(W), n))
    g = np.zeros(len(W))
    for i, (w, bk) in enumerate(zip(W, rhs)):
        e = max(max(w), -min(w)).bit_length() - 60 if w else 0
        if e > 0:
            F[i] = [v >> e for v in w]
        else:
            F[i] = w
            e = 0
        p, q = _pq(bk)
        g[i] = scaled_float(p, q, -e)
    nr = np.sqrt((F * F).sum(axis=1))
    nr[nr == 0] = 1.0
    return F / nr[:, None], g / nr


def _int_rows(rows: Sequence[Sequence[Any]], rhs: Sequence[Any]) -> tuple[list[tuple[int, ...]], list[Fraction]]:
    """The rows scaled to primitive integer normals (offsets scaled alike); same half-spaces."""
    from math import gcd

    W, c = [], []
    for a, bk in zip(rows, rhs):
        if all(type(v) is int for v in a):  # integer rows (e.g. a ReLU cell's): one gcd
            g = gcd(*a)
            W.append(tuple(a) if g == 1 else tuple(v // g for v in a))
            c.append(Fraction(bk) if g == 1 else Fraction(bk) / g)
            continue
        w, sc = la.primitive_integer_vector(a)
        W.append(w)
        c.append(Fraction(bk) if sc == 1 else Fraction(bk) * sc)
    return W, c


def _strictly_inside(W: Sequence[Sequence[int]], c: Sequence[Fraction], X: Sequence[int], den: int) -> bool:
    """Exactly: ``w_i · (X/den) < c_i`` for every row (``W`` integer, ``den > 0``)."""
    for w, ck in zip(W, c):
        ck = Fraction(ck)
        if sum(a * x for a, x in zip(w, X) if a) * ck.denominator >= ck.numerator * den:
            return False
    return True


def _fast_interior(
    n: int, W: Sequence[tuple[int, ...]], c: Sequence[Fraction], E: Sequence[Vec], f: Sequence[Fraction]
) -> Vec | None:
    """A rational point strictly inside every row and exactly on ``E x = f``, from a float
    Chebyshev proposal rounded onto a coarse grid (then finer ones) and projected exactly
    onto the equations; every candidate is checked exactly. ``None`` when no candidate
    passes (e.g. the set has implicit equalities or is empty): the caller then runs the
    certified slack LP."""
    import math

    import numpy as np

    from .lp_float import WarmLP

    if not W:
        return None
    F, g = _float_rows(W, c, n)
    Ef, ef = _float_rows(*_int_rows(E, f), n) if E else (np.zeros((0, n)), np.zeros(0))
    if not (np.isfinite(g).all() and np.isfinite(ef).all()) or np.abs(g).max() > 1e150:
        return None
    cap = float(np.abs(g).max()) + 1.0
    Fs = np.hstack([F, np.ones((len(W), 1))])
    Fs = np.vstack([Fs, np.r_[np.zeros(n), 1.0][None, :]])
    gs = np.r_[g, cap]
    Es = np.hstack([Ef, np.zeros((len(Ef), 1))])
    prop = WarmLP(Fs, gs, Es, ef).solve([0.0] * n + [1.0])
    count("float_lps")
    if prop.status != "optimal":
        return None
    x, r = np.asarray(prop.x[:n]), prop.x[n]
    if not (r > 0 and np.isfinite(x).all()):
        return None
    k0 = math.ceil(math.log2(4.0 * math.sqrt(n) / r))
    for k in (k0, k0 + 12, k0 + 30):
        if k >= 0:
            den = 1 << k
            X = [round(math.ldexp(v, k)) for v in x]
        else:
            den = 1
            X = [round(math.ldexp(v, k)) << -k for v in x]
        if E:
            z = _project_onto(E, f, [Fraction(v, den) for v in X])
            if z is None:
                return None
            L = 1
            for v in z:
                L = L * v.denominator // math.gcd(L, v.denominator)
            X, den = [int(v * L) for v in z], L
        if _strictly_inside(W, c, X, den):
            count("rounded_interior")
            return tuple(Fraction(v, den) for v in X)
    return None


def _project_onto(E: Sequence[Vec], f: Sequence[Fraction], x: Sequence[Fraction]) -> list[Fraction] | None:
    """The exact orthogonal projection of ``x`` onto ``{E x = f}`` (``None`` if ``E`` is
    rank-deficient or the equations are inconsistent)."""
    n = len(x)
    k = len(E)
    Em = fmpq_mat(k, n, [_q(v) for e in E for v in e])
    xq = fmpq_mat(n, 1, [_q(v) for v in x])
    r = fmpq_mat(k, 1, [_q(v) for v in f]) - Em * xq
    try:
        lam = (Em * Em.transpose()).solve(r)
    except ZeroDivisionError:
        return None
    return [_frac(v) for v in (xq + Em.transpose() * lam).entries()]


# ---------------------------------------------------------------------- canonical form
def hfirst_form(
    n: int, A: Sequence[Vec], b: Sequence[Fraction], E: Sequence[Vec], f: Sequence[Fraction], *, primitive: bool = False
) -> dict[str, Any]:
    """The canonical H-data of ``{A x <= b, E x = f}`` in ``R^n`` from certified LPs:
    ``_dim``, ``_eqs``, ``_facets``, ``_facet_rows`` (as :func:`.hrep.canonical_form`)
    and ``_interior`` (a rational relative-interior point, ``None`` when empty).
    ``primitive=True``: the caller guarantees that every row of ``A`` is a tuple of
    coprime ints (e.g. a ReLU cell's unit rows), so no gcd is taken."""
    empty = {"_dim": -1, "_eqs": (), "_facets": (), "_facet_rows": (), "_interior": None}
    live = []
    for k, (a, bk) in enumerate(zip(A, b)):
        if any(a):
            live.append(k)
        elif bk < 0:
            return empty
    E2, f2 = [], []
    for e, fk in zip(E, f):
        if any(e):
            E2.append(e)
            f2.append(fk)
        elif fk != 0:
            return empty
    rows = [A[k] for k in live]
    rhs = [b[k] for k in live]
    ineq = list(range(len(rows)))
    implicit: list[int] = []
    W, c = (rows, [Fraction(v) for v in rhs]) if primitive else _int_rows(rows, rhs)
    center = _fast_interior(n, W, c, E2, f2)
    if center is None:
        lp = _SlackLP(n, rows, rhs, E2, f2)
        while True:
            res = lp.solve(ineq, implicit, center)
            if res.status == "infeasible":
                return empty
            if res.status != "optimal":  # pragma: no cover - the slack is capped
                raise BackendError(f"the slack LP of an H-representation returned {res.status!r}")
            assert res.value is not None and res.x is not None and res.dual is not None
            if res.value < 0:
                return empty
            center = res.x[:n]
            if res.value > 0:
                break
            tight = [ineq[t] for t, y in enumerate(res.dual[: len(ineq)]) if y > 0]
            if not tight:  # pragma: no cover - the multipliers of s sum to 1
                raise BackendError("the slack LP certificate names no implicit equality")
            implicit += tight
            ts = set(tight)
            ineq = [k for k in ineq if k not in ts]
    z = center
    # the affine hull: given and implicit equations, canonical reduced echelon basis
    eqs = canonical_equations([rows[k] for k in implicit] + list(E2), n, z)
    out: dict[str, Any] = {"_dim": n - len(eqs), "_eqs": tuple(eqs), "_interior": tuple(z)}
    # candidate facets: remaining rows, projected into the hull's direction space, primitive, deduplicated
    cands: list[tuple[int, Halfspace]] = []
    seen: set[Halfspace] = set()
    for k in sorted(ineq):
        if eqs:
            a, bk = _project_normal(eqs, n, rows[k], rhs[k], z)
            if not any(a):
                continue  # constant on the hull and strictly satisfied there: redundant
            w, scale = la.primitive_integer_vector(a)
            h = Halfspace(w, bk if scale == 1 else bk * scale)
        else:
            h = Halfspace(W[k], c[k])
        if h not in seen:
            seen.add(h)
            cands.append((live[k], h))
    keep, wit = clarkson([h for _, h in cands], eqs, z, n)
    out["_facets"] = tuple(cands[i][1] for i in keep)
    out["_facet_rows"] = tuple(cands[i][0] for i in keep)
    out["_facet_witness_memo"] = {t: wit[i] for t, i in enumerate(keep) if i in wit}
    return out


def _chain(rows: list[int], F: Any) -> list[int]:
    """The rows in a greedy nearest-neighbour order of their unit normals, so successive
    warm-started LPs (``max a_k·x``) have nearby optima (fewer simplex iterations)."""
    import numpy as np

    if len(rows) <= 2:
        return rows
    U = F[rows]
    C = U @ U.T
    left = np.ones(len(rows), dtype=bool)
    cur = 0
    out = [rows[0]]
    left[0] = False
    for _ in range(len(rows) - 1):
        c = np.where(left, C[cur], -np.inf)
        cur = int(np.argmax(c))
        left[cur] = False
        out.append(rows[cur])
    return out


def _fast_decisions(
    H: Sequence[Halfspace], eqs: Sequence[Hyperplane], z: Sequence[Fraction], n: int, rays: _Rays | None = None
) -> tuple[list[int], dict[int, Any]]:
    """Float proposals, exact decisions: the status of as many rows as possible
    (``1`` facet, ``2`` redundant, ``0`` undecided) and the facets' witnesses.

    * Rays from ``z`` in directions proposed by floats
      (:func:`~.lp_float.hit_directions`: the normals, then Gilbert's separating
      directions of the polar points), their first hits decided exactly for all
      directions at once (:meth:`_Rays.first_hits`): a unique first hit is a facet, the
      hit point its witness.
    * For each undecided row ``k``, HiGHS (warm-started, one model for all rows)
      maximises ``a_k·x`` over all rows still present with row ``k`` relaxed to twice
      its slack at ``z``. An optimum beyond row ``k`` gives a direction: the exact ray
      from ``z`` towards it, with a unique first hit, proves a facet. An optimum within
      row ``k`` names the multipliers of a Farkas proof that row ``k`` is redundant,
      solved and checked exactly; the row then leaves the model (each row is removed
      only when implied by the rows still present, so the facets are unchanged).
    Rows where a proposal fails stay undecided (``0``) for the exact LPs."""
    import numpy as np

    from .lp_float import WarmLP, hit_directions, independent_rows

    m = len(H)
    if rays is None:
        rays = _Rays(H, z, n)
    status = [0] * m
    wit: dict[int, Any] = {}
    live = [True] * m
    # translated to z: rows a_i·y <= slack_i(z), each divided by ‖a_i‖
    F, g = _float_rows(rays.rows, [Fraction(S, rays.L) for S in rays.S], n)
    if not np.isfinite(g).all() or not (g > 0).all():
        return status, wit
    G, _ = _float_rows([e.normal for e in eqs], [e.offset for e in eqs], n) if eqs else (np.zeros((0, n)), None)

    def found(D: list[list[int]]) -> None:
        for d, T in zip(D, rays.first_hits(D, live)):
            if len(T) == 1 and status[T[0]] == 0:
                status[T[0]] = 1
                wit[T[0]] = rays.witness(T[0], d)

    props = hit_directions(F / g[:, None], range(m))
    if props and not eqs:  # 40-bit integer directions, rounded in one go (any integer direction is a valid ray)
        X = np.array([props[k] for k in sorted(props)])
        top = np.abs(X).max(axis=1)
        ok = np.isfinite(top) & (top > 0)
        X = X[ok] * np.ldexp(1.0, _DIRECTION_BITS - 1 - np.frexp(top[ok])[1])[:, None]
        D = [d for d in np.rint(X).astype(np.int64).tolist() if any(d)]
    else:
        D = [d for d in (_integer_direction(props[k], eqs, _DIRECTION_BITS - 1) for k in sorted(props)) if d is not None]
    found(D)
    if 0 in status:
        lp = WarmLP(F, g, G)
        scales: tuple[list[int], Any] | None = None
        units: dict[tuple[int, int], int] = {}
        for k in _chain([k for k in range(m) if status[k] == 0], F):
            tries = 0
            while status[k] == 0 and tries < 3:
                tries += 1
                lp.set_upper(k, 2 * g[k])
                p = lp.solve(F[k])
                count("float_lps")
                lp.set_upper(k, g[k])
                if p.status != "optimal":
                    break
                val = float(F[k] @ np.asarray(p.x))
                if val > g[k] * (1 + 1e-7):
                    d = _integer_direction(p.x, eqs, _DIRECTION_BITS - 1)
                    if d is None:
                        break
                    before = status.count(1)
                    found([d])
                    if status.count(1) > before:
                        continue
                    break
                top = max(p.dual, default=0.0)
                cand = [i for i, v in enumerate(p.dual) if v > 1e-9 * top and i != k and live[i]]
                cand.sort(key=lambda i: -p.dual[i])
                if not eqs:
                    if scales is None:
                        scales, units = _row_scales(rays.rows), _unit_rows(H)
                    if _box_certificate(H, k, cand, [p.dual[i] for i in cand], scales, units, live):
                        count("box_certificates")
                        status[k] = 2
                        live[k] = False
                        lp.set_upper(k, float("inf"))
                        break
                B = independent_rows(np.vstack([G, F]), list(range(len(G))) + [len(G) + i for i in cand], n)
                B = [i - len(G) for i in B if i >= len(G)]
                if _redundancy_certificate(H, eqs, k, B, n, np.vstack([F[B], G])):
                    status[k] = 2
                    live[k] = False
                    lp.set_upper(k, float("inf"))
                break
    count("ray_facets", status.count(1))
    count("farkas_redundant", status.count(2))
    return status, wit


def _ray_direction(x: Sequence[Fraction], z: Sequence[Fraction]) -> list[int]:
    """The rational direction ``x − z`` scaled to integers (same ray)."""
    from math import lcm

    d = [Fraction(a) - Fraction(b) for a, b in zip(x, z)]
    L = lcm(*(v.denominator for v in d))
    return [v.numerator * (L // v.denominator) for v in d]


def clarkson(
    H: Sequence[Halfspace], eqs: Sequence[Hyperplane], z: Sequence[Fraction], n: int
) -> tuple[list[int], dict[int, Any]]:
    """Indices (ascending) of the irredundant rows among the distinct half-spaces ``H``
    within the affine space ``eqs``, given a point ``z`` strictly inside all of them,
    and witness points for the facets found by ray shooting.

    First :func:`_fast_decisions` decides what float proposals plus exact checks can
    (facets by exact ray shooting, redundant rows by exact Farkas certificates);
    Clarkson's certified LPs then run only for the rows still undecided."""
    m = len(H)
    if m == 0:
        return [], {}
    FACET, REDUNDANT, UNKNOWN = 1, 2, 0
    rays = _Rays(H, z, n)
    status, wit = _fast_decisions(H, eqs, z, n, rays)
    R: list[int] = [i for i in range(m) if status[i] == FACET]
    if UNKNOWN not in status:
        return R, wit
    rs = RowSet([h.normal for h in H] + [e.normal for e in eqs], [h.offset for h in H] + [e.offset for e in eqs], n)
    eq_idx = list(range(m, m + len(eqs)))
    zl = [_q(v) for v in z]
    assert rs.Q is not None
    Az = rs.Q * fmpq_mat(n, 1, zl)
    slack = [rs.qrhs[i] - Az[i, 0] for i in range(m)]
    witness: _WitnessLP | None = None
    for k in range(m):
        while status[k] == UNKNOWN:
            res = solve_rows(rs, rs.qrows[k], R + [k], eq_idx, rhs={k: rs.qrhs[k] + slack[k]}, center=zl, want_dual=False)
            if res.status != "optimal":  # pragma: no cover - bounded by the relaxed row k
                raise BackendError(f"a redundancy LP returned {res.status!r}")
            assert res.value is not None and res.x is not None
            if res.value <= H[k].offset:
                status[k] = REDUNDANT
                break
            d = _ray_direction(res.x, z)
            # rows known redundant may be tight where the ray leaves; facets in R are not
            # (the segment to the optimum stays inside them and meets row k before its end)
            T = rays.first_hits([d], [st == UNKNOWN for st in status])[0]
            if len(T) == 1:
                status[T[0]] = FACET
                R.append(T[0])
                wit[T[0]] = rays.witness(T[0], d)
                continue
            if witness is None:
                witness = _WitnessLP(n, H, eqs)
            for j in T:
                others = [i for i in range(m) if i != j and status[i] != REDUNDANT]
                w = witness.witness(j, others, z)
                status[j] = REDUNDANT if w is None else FACET
                if w is not None:
                    R.append(j)
                    wit[j] = w
    return [i for i in range(m) if status[i] == FACET], wit


class _WitnessLP:
    """``max s`` with some rows as equations and the others in slack form, over the
    distinct half-spaces ``H`` and the equations ``eqs``."""

    def __init__(self, n: int, H: Sequence[Halfspace], eqs: Sequence[Hyperplane]) -> None:
        self.lp = _SlackLP(n, [h.normal for h in H], [h.offset for h in H], [e.normal for e in eqs], [e.offset for e in eqs])
        self.n = n

    def solve(self, on: Sequence[int], others: Sequence[int], center: Sequence[Any] | None) -> tuple[Fraction, Vec] | None:
        res = self.lp.solve(others, on, center, want_dual=False)
        if res.status != "optimal":
            return None
        assert res.value is not None and res.x is not None
        return res.value, res.x[: self.n]

    def witness(self, j: int, others: Sequence[int], center: Sequence[Any] | None) -> Vec | None:
        got = self.solve([j], others, center)
        if got is None or got[0] <= 0:
            return None
        return got[1]


# ---------------------------------------------------------------------- queries on a Polytope
def _witness_lp(P: Polytope) -> _WitnessLP:
    got = P.__dict__.get("_witness_lp_memo")
    if got is None:
        got = _WitnessLP(P.ambient_dim, P.facets, P.equalities)
        P.__dict__["_witness_lp_memo"] = got
    return got


def facet_witness(P: Polytope, i: int) -> Vec:
    """A rational point on facet ``i`` of ``P`` strictly inside every other facet; see
    :meth:`exactgeom.Polytope.facet_witness`."""
    memo = P.__dict__.setdefault("_facet_witness_memo", {})
    got = memo.get(i)
    if isinstance(got, _RayPoint):
        got = memo[i] = got.value()
    elif got is None:
        W = _witness_lp(P)
        others = [k for k in range(P.n_facets) if k != i]
        got = W.witness(i, others, P.relative_interior_point())
        if got is None:  # pragma: no cover - every canonical facet has a witness
            raise BackendError(f"facet {i} has no witness point: the canonical facets are inconsistent")
        memo[i] = got
    return got


def _facet_witness_ints(P: Polytope, i: int) -> tuple[tuple[int, ...], int]:
    """:func:`facet_witness` as integers ``(X, q)``, the point ``X / q`` (a witness
    found by a ray needs no Fractions)."""
    got = P.__dict__.get("_facet_witness_memo", {}).get(i)
    if isinstance(got, _RayPoint):
        return got.integer()
    from math import lcm

    w = facet_witness(P, i)
    q = lcm(*(v.denominator for v in w))
    return tuple(v.numerator * (q // v.denominator) for v in w), q


def is_ridge(P: Polytope, i: int, j: int) -> bool:
    """Whether facets ``i != j`` of ``P`` meet in a face of dimension ``dim − 2``."""
    memo = P.__dict__.setdefault("_ridge_memo", {})
    key = (min(i, j), max(i, j))
    got = memo.get(key)
    if got is None:
        if P.dim < 2:
            got = False
        else:
            W = _witness_lp(P)
            others = [k for k in range(P.n_facets) if k not in key]
            res = W.solve(list(key), others, P.relative_interior_point())
            got = res is not None and res[0] > 0
        memo[key] = got
    return got


def is_bounded(P: Polytope) -> bool:
    """Whether ``P`` (non-empty) is bounded, by Stiemke's theorem (one feasibility LP)."""
    n = P.ambient_dim
    A = [h.normal for h in P.facets]
    E = [e.normal for e in P.equalities]
    if la.rank([list(r) for r in A + E], n) < n:
        return False
    if not A:
        return True
    m, k = len(A), len(E)
    # variables (y_1..y_m, z_1..z_k): -y <= -1, Σ y_i a_i + Σ z_e e = 0
    rows: list[list[Any]] = []
    for i in range(m):
        r = [0] * (m + k)
        r[i] = -1
        rows.append(r)
    for j in range(n):
        rows.append([a[j] for a in A] + [e[j] for e in E])
    rs = RowSet(rows, [-1] * m + [0] * n, m + k)
    res = solve_rows(rs, [0] * (m + k), range(m), range(m, m + n))
    return res.status == "optimal"

