r"""H-first polytopes: everything linear programming decides, without vertices.

A :class:`~exactgeom.Polytope` built from many rows in high dimension does not
enumerate its vertices (a box in R^64 has 2^64 of them). Its canonical data come from
certified exact LPs (:mod:`.lp`) instead:

* **Emptiness, implicit equalities, a relative-interior point**
  (:func:`hfirst_form`): maximise a common slack ``s`` with ``a_k·x + w_k s <= b_k``
  (``w_k`` a power of two near ``‖a_k‖_∞``), ``s <= σ``. ``s* < 0`` (or infeasible
  equations) means empty; ``s* > 0`` gives a point strictly inside every remaining row;
  ``s* = 0`` comes with exact multipliers ``y >= 0``, ``Σ y_k a_k + Eᵀz = 0``,
  ``Σ y_k b_k + fᵀz = 0``, and every row with ``y_k > 0`` is tight on the whole set
  (an implicit equality): those rows become equations and the LP is solved again.
* **Irredundant facets** by Clarkson's method: the rows are taken in input order;
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
from .hrep import Halfspace, Hyperplane, _project_normal, canonical_equations
from .lp import RowSet, _frac, _q, solve_rows

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


# ---------------------------------------------------------------------- canonical form
def hfirst_form(n: int, A: Sequence[Vec], b: Sequence[Fraction], E: Sequence[Vec], f: Sequence[Fraction]) -> dict[str, Any]:
    """The canonical H-data of ``{A x <= b, E x = f}`` in ``R^n`` from certified LPs:
    ``_dim``, ``_eqs``, ``_facets``, ``_facet_rows`` (as :func:`.hrep.canonical_form`)
    and ``_interior`` (a rational relative-interior point, ``None`` when empty)."""
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
    lp = _SlackLP(n, rows, rhs, E2, f2)
    ineq = list(range(len(rows)))
    implicit: list[int] = []
    center = None
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
        a, bk = rows[k], rhs[k]
        if eqs:
            a, bk = _project_normal(eqs, n, a, bk, z)
        if not any(a):
            continue  # constant on the hull and strictly satisfied there: redundant
        w, scale = la.primitive_integer_vector(a)
        h = Halfspace(w, bk if scale == 1 else bk * scale)
        if h not in seen:
            seen.add(h)
            cands.append((live[k], h))
    keep, wit = clarkson([h for _, h in cands], eqs, z, n)
    out["_facets"] = tuple(cands[i][1] for i in keep)
    out["_facet_rows"] = tuple(cands[i][0] for i in keep)
    out["_facet_witness_memo"] = {t: wit[i] for t, i in enumerate(keep) if i in wit}
    return out


def _first_hits(slack: Sequence[fmpq], Ad: Sequence[fmpq], live: Sequence[bool]) -> tuple[fmpq | None, list[int]]:
    """The smallest ``t = slack_j / (a_j·d) > 0`` over live rows with ``a_j·d > 0``, and the
    rows attaining it (exact)."""
    best: fmpq | None = None
    T: list[int] = []
    for j, den in enumerate(Ad):
        if den <= 0 or not live[j]:
            continue
        tj = slack[j] / den
        if best is None or tj < best:
            best, T = tj, [j]
        elif tj == best:
            T.append(j)
    return best, T


def clarkson(
    H: Sequence[Halfspace], eqs: Sequence[Hyperplane], z: Sequence[Fraction], n: int
) -> tuple[list[int], dict[int, Vec]]:
    """Indices (ascending) of the irredundant rows among the distinct half-spaces ``H``
    within the affine space ``eqs``, given a point ``z`` strictly inside all of them,
    and witness points for the facets found by ray shooting.

    Before the LPs, one ray from ``z`` along each row's normal (projected: ``eqs``
    rows are already orthogonal to the normals) is shot; a unique first hit is a facet,
    and the hit point is its witness (strictly inside every other row). Clarkson's
    LPs then run only for the rows still undecided."""
    m = len(H)
    if m == 0:
        return [], {}
    rs = RowSet([h.normal for h in H] + [e.normal for e in eqs], [h.offset for h in H] + [e.offset for e in eqs], n)
    eq_idx = list(range(m, m + len(eqs)))
    zl = [_q(v) for v in z]
    zq = fmpq_mat(n, 1, zl)
    assert rs.Q is not None
    Az = rs.Q * zq
    slack = [rs.qrhs[i] - Az[i, 0] for i in range(m)]
    FACET, REDUNDANT, UNKNOWN = 1, 2, 0
    status = [UNKNOWN] * m
    R: list[int] = []
    wit: dict[int, Vec] = {}
    everyone = [True] * m

    def hit(d: fmpq_mat, Ad_all: Sequence[fmpq], live: Sequence[bool]) -> list[int]:
        best, T = _first_hits(slack, Ad_all[:m], live)
        if len(T) == 1 and best is not None and status[T[0]] != FACET:
            j = T[0]
            status[j] = FACET
            R.append(j)
            p = zq + d * best
            wit[j] = tuple(_frac(p[i, 0]) for i in range(n))
        return T

    # rays along the normals: Gram matrix columns give a_j·a_k for all pairs at once
    Qh = fmpq_mat(m, n, [x for r in rs.qrows[:m] for x in r])
    G = (Qh * Qh.transpose()).entries()
    for k in range(m):
        hit(fmpq_mat(n, 1, rs.qrows[k]), G[k * m : (k + 1) * m], everyone)
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
            d = fmpq_mat(n, 1, [_q(v) for v in res.x]) - zq
            # rows known redundant may be tight where the ray leaves; facets in R are not
            T = hit(d, (rs.Q * d).entries(), [st == UNKNOWN for st in status])
            if len(T) == 1:
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
    if got is None:
        W = _witness_lp(P)
        others = [k for k in range(P.n_facets) if k != i]
        got = W.witness(i, others, P.relative_interior_point())
        if got is None:  # pragma: no cover - every canonical facet has a witness
            raise BackendError(f"facet {i} has no witness point: the canonical facets are inconsistent")
        memo[i] = got
    return got


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

