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
from math import comb, gcd, lcm
from typing import TYPE_CHECKING, Any

from flint import fmpq, fmpq_mat, fmpz, fmpz_mat

from ..errors import BackendError
from ..linalg import rational as la
from .hrep import Halfspace, Hyperplane, _project_normal, canonical_equations
from .lp import RowSet, _frac, _q, count, solve_rows

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


def _exact_first_hit(S: Sequence[int], u: Sequence[Any], live: Sequence[bool]) -> list[int]:
    """Rows attaining the smallest ``S_i / u_i`` over live rows with ``u_i > 0`` (exact
    integer cross-multiplication; ``S_i > 0``)."""
    T: list[int] = []
    bs = bu = 0
    for i, ui in enumerate(u):
        if ui > 0 and live[i]:
            if not T:
                T, bs, bu = [i], S[i], ui
                continue
            d = S[i] * bu - bs * ui
            if d < 0:
                T, bs, bu = [i], S[i], ui
            elif d == 0:
                T.append(i)
    return T


#: bits of the fixed-point polar points ``2^s a_i / S_i`` of the second screen
_SCREEN_BITS = 80
#: bits of the integer ray directions proposed by floats (the first screen's products
#: then fit in 64-bit integers, see :meth:`_Rays.first_hits`)
_DIRECTION_BITS = 24


def _fixed_point(rows: Sequence[Sequence[int]], S: Sequence[int], bits: int) -> list[list[int]]:
    """Integer fixed-point polar points ``Q_i = ⌊(a_i c_i) / 2^t⌋`` with ``c_i =
    ⌊2^{s+t} / S_i⌋``, ``2^t > max |a_ij|`` and ``s`` chosen so that ``|Q_ij| <= 2^bits``:
    then ``2^s a_ij / S_i = Q_ij + φ_ij`` with ``φ_ij ∈ (−1, 2)``."""
    big = [max(max(a), -min(a)).bit_length() for a in rows]
    t = max(big)
    e = max(bi - Si.bit_length() for bi, Si in zip(big, S))  # |a_ij| / S_i < 2^(e+1)
    st = bits - 1 - e + t  # s + t with s = bits − 1 − e
    c = [(1 << st) // Si for Si in S]
    return [[(v * ci) >> t for v in a] for a, ci in zip(rows, c)]


class _Rays:
    """Exact ray shooting from a rational point ``z`` strictly inside the distinct
    half-spaces ``H``: ``S_i = L·(offset_i − a_i·z)`` (positive integers, ``L`` the common
    denominator of ``z`` and the offsets).

    The ray along an integer direction ``d`` meets row ``i`` at ``t_i = S_i / (L a_i·d)``
    when ``a_i·d > 0``; its first hit is the row maximising ``p_i·d`` with the polar
    point ``p_i = a_i / S_i``. :meth:`first_hits` decides this for many directions at
    once on integer fixed-point polar points (:func:`_fixed_point`: ``2^s p_i = Q_i +
    φ_i``, every ``φ_ij ∈ (−1, 2)``), so ``(Q_j − Q_i)·d >= 3‖d‖₁`` proves ``p_j·d >
    p_i·d`` and ``Q_j·d >= 2‖d‖₁`` proves ``a_j·d > 0``: integer arithmetic only, on
    about 30 bits (64-bit integer products, when the direction has at most
    :data:`_DIRECTION_BITS` bits), then 80 bits, instead of the rows' hundreds. A
    direction neither screen decides (a near tie) is shot exactly: ``A d`` in
    integers, first hits by cross-multiplication."""

    def __init__(self, H: Sequence[Halfspace], z: Sequence[Fraction], n: int) -> None:
        from math import lcm

        L = lcm(*(v.denominator for v in z), *(h.offset.denominator for h in H))
        self.n, self.m, self.L = n, len(H), L
        self.zi = tuple(int(v * L) for v in z)
        self.rows = [h.normal for h in H]
        self._A: fmpz_mat | None = None
        zi = self.zi
        self.S = [h.offset.numerator * (L // h.offset.denominator) - sum(a * v for a, v in zip(h.normal, zi) if a) for h in H]
        if min(self.S) <= 0:  # pragma: no cover - z is strictly inside by construction
            raise BackendError("internal error: the ray origin is not strictly inside every row")
        self._Qt: fmpz_mat | None = None
        self._Q64: Any = None
        # 64-bit screen: |Q| <= 2^qb + 2 <= 2^(qb+1), |d| < 2^_DIRECTION_BITS, n < 2^bits(n) terms:
        # |Q·d| < 2^61, so the sentinel −2^62 and every difference below stay within int64
        self._qb = 60 - _DIRECTION_BITS - n.bit_length()

    @property
    def A(self) -> fmpz_mat:
        """The integer normals as one flint matrix."""
        if self._A is None:
            self._A = fmpz_mat(self.m, self.n, [v for a in self.rows for v in a])
        return self._A

    def _screen(self) -> fmpz_mat:
        """The transposed 80-bit fixed-point polar points ``Qᵀ`` (``n × m``), built once."""
        if self._Qt is None:
            Q = _fixed_point(self.rows, self.S, _SCREEN_BITS)
            self._Qt = fmpz_mat(self.n, self.m, [Q[i][j] for j in range(self.n) for i in range(self.m)])
        return self._Qt

    def _screen64(self) -> Any:
        """The fixed-point polar points on ``qb`` bits as a 64-bit integer array."""
        if self._Q64 is None:
            import numpy as np

            Q = _fixed_point(self.rows, self.S, self._qb)
            if max(max(max(q), -min(q)) for q in Q) > (1 << self._qb) + 2:  # pragma: no cover - by construction
                raise BackendError("internal error: fixed-point polar points out of range")
            self._Q64 = np.array(Q, dtype=np.int64)
        return self._Q64

    def shoot(self, D: Sequence[Sequence[int]]) -> list[list[Any]]:
        """``A d`` for each integer direction ``d`` of ``D`` (exact)."""
        return [(self.A * fmpz_mat(self.n, 1, list(d))).entries() for d in D]

    def first_hits(self, D: Sequence[Sequence[int]], live: Sequence[bool]) -> list[list[int]]:
        """For each integer direction ``d`` of ``D`` the live rows the ray from ``z``
        along ``d`` meets first (exact; one row when the hit is unique, none when the
        ray meets no live row). Two fixed-point screens first, exact shots for the rest."""
        out: list[list[int] | None] = [None] * len(D)
        if sum(live) >= 2:
            small = [k for k, d in enumerate(D) if self._qb >= 8 and max(max(d), -min(d)) < 1 << _DIRECTION_BITS]
            for k, j in zip(small, self._screen_small([D[k] for k in small], live)):
                if j is not None:
                    out[k] = [j]
            rest = [k for k in range(len(D)) if out[k] is None]
            for k, j in zip(rest, self._screen_big([D[k] for k in rest], live)):
                if j is not None:
                    out[k] = [j]
        for k, d in enumerate(D):
            if out[k] is None:
                count("exact_shots")
                out[k] = _exact_first_hit(self.S, self.shoot([d])[0], live)
        return out  # type: ignore[return-value]

    def _screen_small(self, D: Sequence[Sequence[int]], live: Sequence[bool]) -> list[int | None]:
        """The 64-bit screen (every bound checked above: exact integer arithmetic)."""
        if not D:
            return []
        import numpy as np

        Dn = np.array(D, dtype=np.int64)
        Y = Dn @ self._screen64().T  # |entries| < 2^61
        Y[:, ~np.asarray(live, dtype=bool)] = -(1 << 62)
        rows = np.arange(len(D))
        top = np.argmax(Y, axis=1)
        yj = Y[rows, top]
        Y[rows, top] = -(1 << 62)
        one = np.abs(Dn).sum(axis=1)  # < 2^(_DIRECTION_BITS + bits(n))
        ok = (yj >= 2 * one) & (yj - Y.max(axis=1) >= 3 * one)
        return [int(j) if o else None for j, o in zip(top, ok)]

    def _screen_big(self, D: Sequence[Sequence[int]], live: Sequence[bool]) -> list[int | None]:
        """The 80-bit screen (flint integer matrices)."""
        if not D:
            return []
        Y = (fmpz_mat(len(D), self.n, [v for d in D for v in d]) * self._screen()).entries()
        m = self.m
        dead = [i for i in range(m) if not live[i]]
        out: list[int | None] = []
        for k, d in enumerate(D):
            y = Y[k * m : (k + 1) * m]
            if dead:
                low = min(y) - 1
                for i in dead:
                    y[i] = low
            yj = max(y)
            j = y.index(yj)
            y[j] = min(y) - 1
            one = sum(abs(v) for v in d)
            out.append(j if yj >= 2 * one and yj - max(y) >= 3 * one else None)
        return out

    def witness(self, j: int, d: Sequence[int]) -> _RayPoint:
        """The exact point where the ray along ``d`` crosses row ``j``'s hyperplane
        (as integers; its Fractions are built on first use)."""
        return _RayPoint(self.zi, self.L, self.rows[j], self.S[j], tuple(d))


class _RayPoint:
    """``z + (S_j / u_j) d`` with ``u_j = a_j·d`` kept as integers (``z = zi / L``): a
    facet witness whose Fractions (64 gcds of big integers in high dimension) are
    built only when asked."""

    __slots__ = ("L", "Sj", "aj", "d", "zi")

    def __init__(self, zi: tuple[int, ...], L: int, aj: Sequence[int], Sj: int, d: tuple[int, ...]) -> None:
        self.zi, self.L, self.aj, self.Sj, self.d = zi, L, aj, Sj, d

    def integer(self) -> tuple[tuple[int, ...], int]:
        """``(X, q)`` with the point ``X / q`` (``q > 0``; not in lowest terms)."""
        uj = sum(a * v for a, v in zip(self.aj, self.d))  # > 0: the ray meets row j
        Sj = self.Sj
        return tuple(zi * uj + Sj * dj for zi, dj in zip(self.zi, self.d)), self.L * uj

    def value(self) -> Vec:
        uj = sum(a * v for a, v in zip(self.aj, self.d))
        Sj, den = self.Sj, self.L * uj
        return tuple(Fraction(zi * uj + Sj * dj, den) for zi, dj in zip(self.zi, self.d))


def _witness_point(w: Vec | _RayPoint) -> Vec:
    """A facet witness as a tuple of Fractions (witnesses found by ray shooting are kept
    as integers until asked for)."""
    return w.value() if isinstance(w, _RayPoint) else w


def _integer_direction(x: Any, eqs: Sequence[Hyperplane], bits: int = 40) -> list[int] | None:
    """A float direction as an integer vector (``bits`` significant bits), exactly
    projected onto the direction space of ``eqs``; ``None`` for a zero vector."""
    import math

    top = max((abs(v) for v in x), default=0.0)
    if not top > 0 or not math.isfinite(top):
        return None
    e = bits - math.frexp(top)[1]
    d = [round(math.ldexp(v, e)) for v in x]
    if eqs and any(d):
        k, n = len(eqs), len(d)
        Em = fmpz_mat(k, n, [v for h in eqs for v in h.normal])
        try:
            lam = (Em * Em.transpose()).solve(Em * fmpz_mat(n, 1, d))  # fmpq_mat
        except ZeroDivisionError:  # pragma: no cover - canonical equations are independent
            return None
        pd = fmpq_mat(n, 1, d) - fmpq_mat(Em.transpose()) * lam
        L = 1
        for v in pd.entries():
            L = L * int(v.q) // math.gcd(L, int(v.q))
        d = [int(v * L) for v in pd.entries()]
    return d if any(d) else None


def _farkas_with_unit_rows(rows: Sequence[Sequence[int]], ak: Sequence[int], n: int, Ff: Any) -> Any:
    """``Σ y_t rows_t = ak`` solved exactly with the unit rows (one nonzero entry: the
    coordinate bounds of a box) eliminated first: the other rows' multipliers solve the
    square system on pivot columns among the coordinates no unit row covers, those
    equations are all checked, and each unit row's multiplier then satisfies its own
    coordinate exactly. Returns the multipliers as flint integers ``(N, D)`` with ``y_t =
    N_t / D`` and ``D > 0`` (no Fractions: their numerators have tens of thousands of
    bits on a 64-input ReLU cell), ``False`` when the rows do not combine to ``ak``, or
    ``None`` when there are too few unit rows to gain."""
    unit: dict[int, int] = {}
    other: list[int] = []
    for t, w in enumerate(rows):
        nz = [j for j, v in enumerate(w) if v]
        if len(nz) == 1 and nz[0] not in unit:
            unit[nz[0]] = t
        else:
            other.append(t)
    if len(unit) < 2 or Ff is None:
        return None
    R = [j for j in range(n) if j not in unit]
    ro = len(other)
    if ro > len(R):
        return False
    ake = fmpz_mat(n, 1, list(ak)).entries()
    Y: list[Any] = []
    d = fmpz(1)
    S = [fmpz(0)] * n
    if ro:
        from scipy.linalg import qr

        piv = qr(Ff[other][:, R], pivoting=True, mode="r")[1]
        J = sorted(R[int(j)] for j in piv[:ro])
        Mo = fmpz_mat(ro, n, [v for t in other for v in rows[t]])  # each big entry converted once
        me = Mo.entries()
        MJt = fmpz_mat(ro, ro, [me[i * n + j] for j in J for i in range(ro)])
        try:
            Yn, d = MJt.solve(fmpz_mat(ro, 1, [ake[j] for j in J])).numer_denom()
        except ZeroDivisionError:
            return False
        S = (Mo.transpose() * Yn).entries()
        Y = Yn.entries()
        if d < 0:  # pragma: no cover - flint's denominators are positive
            Y, S, d = [-v for v in Y], [-v for v in S], -d
    # every coordinate no unit row covers must come out right, also with no other row
    # (then a_k must vanish there: unit rows alone cannot make it)
    if any(S[j] != ake[j] * d for j in R):
        return False
    Rl = 1
    for c, t in unit.items():
        Rl = Rl * abs(rows[t][c]) // gcd(Rl, rows[t][c])
    N: list[Any] = [fmpz(0)] * len(rows)
    for t, yt in zip(other, Y):
        N[t] = yt * Rl
    for c, t in unit.items():
        N[t] = (ake[c] * d - S[c]) * (Rl // rows[t][c])  # y_t = (a_kc − s_c) / rows_tc
    return N, d * Rl


def _implied_offset(N: Sequence[Any], D: Any, offs: Sequence[Fraction], bk: Fraction) -> bool:
    """``Σ (N_t / D) offs_t <= bk`` (``D > 0``), in integers over the offsets' common denominator."""
    Q = lcm(*(o.denominator for o in offs), bk.denominator)
    T = sum((v * (o.numerator * (Q // o.denominator)) for v, o in zip(N, offs) if v), fmpz(0))
    return T <= D * (bk.numerator * (Q // bk.denominator))


def _row_scales(rows: Sequence[Sequence[int]]) -> tuple[list[int], Any]:
    """Each integer row as ``‖a_i‖₂ = 2^{E_i} · nr_i`` (``nr_i`` a float; no overflow)."""
    import numpy as np

    E, M = [], np.zeros((len(rows), len(rows[0]) if rows else 0))
    for i, w in enumerate(rows):
        e = max(0, max(max(w), -min(w)).bit_length() - 60) if w else 0
        E.append(e)
        M[i] = [v >> e for v in w] if e else w
    nr = np.sqrt((M * M).sum(axis=1))
    nr[nr == 0] = 1.0
    return E, nr


def _unit_rows(H: Sequence[Halfspace]) -> dict[tuple[int, int], int]:
    """``(j, ±1) -> i`` for the rows ``±x_j <= c`` among ``H`` (the first of each)."""
    out: dict[tuple[int, int], int] = {}
    for i, h in enumerate(H):
        nz = [j for j, v in enumerate(h.normal) if v]
        if len(nz) == 1 and abs(h.normal[nz[0]]) == 1:
            out.setdefault((nz[0], h.normal[nz[0]]), i)
    return out


def _box_certificate(
    H: Sequence[Halfspace], k: int, cand: Sequence[int], y: Sequence[float], scales: tuple[list[int], Any],
    units: dict[tuple[int, int], int], live: Sequence[bool],
) -> bool:
    """Exactly: row ``k`` is implied by the live rows, from a float LP's multipliers
    ``y`` on the rows ``cand`` of the normalised rows ``a_i / ‖a_i‖``.

    The multipliers become integers ``Y_i ≈ 2^s y_i ‖a_k‖ / ‖a_i‖ >= 0``; the residual
    ``r = Σ Y_i a_i − 2^s a_k`` (exact integers) is cancelled column by column by live
    coordinate rows ``±x_j <= c`` with the multipliers ``|r_j|``, so ``Σ Y_i a_i + Σ |r_j|
    (±e_j) = 2^s a_k`` holds exactly with non-negative multipliers; row ``k`` is then
    implied when ``Σ Y_i b_i + Σ |r_j| c_j <= 2^s b_k`` (integers over the offsets' common
    denominator). No linear system is solved; ``False`` when a needed coordinate row is
    missing or the offsets do not prove it (the exact solve of
    :func:`_redundancy_certificate` is then tried)."""
    import math

    E, nr = scales
    Ek, nk = E[k], float(nr[k])
    logs = []
    for i, v in zip(cand, y):
        if not (v > 0 and math.isfinite(v)):
            return False
        m = v * nk / float(nr[i])
        logs.append((m, Ek - E[i]))
    if not logs:
        return False
    s = max(0, 60 - min(math.frexp(m)[1] + d for m, d in logs))
    Y = []
    for m, d in logs:
        sh = s + d
        Y.append(round(math.ldexp(m, sh)) if math.frexp(m)[1] + sh <= 1000 else int(math.ldexp(m, 60)) << (sh - 60))
    r = [-(v << s) for v in H[k].normal]
    for i, yi in zip(cand, Y):
        if yi:
            for j, v in enumerate(H[i].normal):
                if v:
                    r[j] += yi * v
    terms = [(yi, H[i].offset) for i, yi in zip(cand, Y) if yi]
    for j, rj in enumerate(r):
        if rj:
            u = units.get((j, 1 if rj < 0 else -1))
            if u is None or u == k or not live[u]:
                return False
            terms.append((abs(rj), H[u].offset))
    bk = H[k].offset
    Q = lcm(*(o.denominator for _, o in terms), bk.denominator)
    T = sum(c * (o.numerator * (Q // o.denominator)) for c, o in terms)
    return T <= (bk.numerator * (Q // bk.denominator)) << s


def _redundancy_certificate(
    H: Sequence[Halfspace], eqs: Sequence[Hyperplane], k: int, B: Sequence[int], n: int, Ff: Any = None
) -> bool:
    """Exactly: multipliers ``y_i >= 0`` on the rows ``B`` and free ``z_e`` on ``eqs`` with
    ``Σ y_i a_i + Σ z_e e = a_k`` and ``Σ y_i b_i + Σ z_e f_e <= b_k`` (a Farkas proof that
    row ``k`` is implied by the rows ``B`` within ``eqs``).

    The ``r`` multipliers solve the square system on ``r`` columns of the basis (chosen
    by a float QR with column pivoting on ``Ff``, the float rows of ``B`` then ``eqs``,
    when given; else the Gram system), and ``Σ y_i a_i + Σ z_e e = a_k`` is then checked
    exactly on every column. Anything that fails returns ``False``."""
    rows = [H[i].normal for i in B] + [e.normal for e in eqs]
    r = len(rows)
    if r == 0 or r > n:
        return False
    ak = list(H[k].normal)
    got = _farkas_with_unit_rows(rows, ak, n, Ff)
    if got is not None:
        if got is False:
            return False
        N, D = got
        if any(v < 0 for v in N[: len(B)]):
            return False
        return _implied_offset(N, D, [H[i].offset for i in B] + [e.offset for e in eqs], H[k].offset)
    M = fmpz_mat(r, n, [v for w in rows for v in w])
    try:
        if Ff is not None and r < n:
            from scipy.linalg import qr

            J = sorted(int(j) for j in qr(Ff, pivoting=True, mode="r")[1][:r])
            MJt = fmpz_mat(r, r, [w[j] for j in J for w in rows])
            y = MJt.solve(fmpz_mat(r, 1, [ak[j] for j in J]))  # fmpq_mat
        elif r == n:
            y = M.transpose().solve(fmpz_mat(n, 1, ak))
        else:
            y = (M * M.transpose()).solve(M * fmpz_mat(n, 1, ak))
    except ZeroDivisionError:
        return False
    if fmpq_mat(M.transpose()) * y != fmpq_mat(n, 1, ak):
        return False
    ys = y.entries()
    if any(v < 0 for v in ys[: len(B)]):
        return False
    offs = [H[i].offset for i in B] + [e.offset for e in eqs]
    return sum((_frac(v) * o for v, o in zip(ys, offs)), Fraction(0)) <= H[k].offset


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

