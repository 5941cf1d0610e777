r"""Largest inscribed balls (Chebyshev centre and inradius), certified exactly.

For a bounded full-dimensional polytope ``P = {x : a_i·x <= b_i}`` the largest ball of
radius ``r`` and centre ``x`` inside ``P`` solves the linear program

    maximise r   subject to   a_i·x + r·‖a_i‖_* <= b_i   for every facet i,

where ``‖·‖_*`` is the dual norm of the ball's norm: a ball ``{x + u : ‖u‖ <= r}`` lies in
``a·y <= b`` iff ``a·x + r·max_{‖u‖<=1} a·u <= b``.

``norm="euclidean"`` (default)
    ``‖a‖_* = ‖a‖_2 = √(a·a)``: surd data. The LP is solved in floats (HiGHS dual
    simplex through scipy), then **certified**: from the float optimum an active set
    ``S`` of ``n + 1`` facets is chosen and the square system ``[A_S | ‖a_S‖] (x, r) =
    b_S`` is solved exactly by Cramer's rule. Expanding along the norm column, the
    determinant ``D = Σ_k C_k ‖a_k‖`` and every numerator are *linear* combinations of
    the active norms with rational (integer-determinant) coefficients, and the radius
    numerator is rational. The dual multipliers are ``y_k = C_k / D``. Optimality is then
    checked with exact signs of sums of surds: ``D ≠ 0``; dual feasibility
    ``sign(C_k)·sign(D) >= 0``; primal feasibility ``D·(b_i − a_i·x − r‖a_i‖)`` has the
    sign of ``D`` or is zero, for every facet. A float active set that fails the check is
    replaced by another one: the tight rows at a vertex of the optimal face (a second
    float LP that keeps the rows with positive multipliers tight — needed when the
    optimal centres fill a face and the float optimum lies inside it), then subsets of
    the nearly active facets; if none passes, :class:`UndecidedError` is raised — a float
    is never returned as an exact answer.

    Exact closed form: ``radius = R / D`` and ``center_j = N_j / D``. When the active
    norms involve at most :data:`MAX_RADICANDS` distinct irrational square roots, ``D`` is
    rationalised (multiplied by its conjugates, one prime at a time) and ``radius`` and
    ``center`` are :class:`~exactgeom.numbers.Surd` / :class:`~exactgeom.numbers.SurdSum`
    / :class:`~fractions.Fraction` values (Fractions when every active norm is rational,
    e.g. boxes, or normals like (3, 4)). Otherwise ``radius`` and ``center`` are ``None``
    and the exact value is available in quotient form (``radius_numerator``,
    ``denominator``, ``center_numerators``), with certified enclosures in every case.

``norm="max"``
    The largest inscribed ∞-norm ball (an axis-parallel cube of half-side ``r``):
    ``‖a‖_* = ‖a‖_1``, a rational LP solved by the certified exact LP
    (:mod:`exactgeom.polytope.lp`: HiGHS proposes, exact arithmetic certifies, cddlib
    falls back); the optimum is verified again (primal feasibility, dual feasibility,
    equal objectives) with rational arithmetic.

Both float LPs are posed around the polytope's relative-interior point and scaled by a
power of two computed from bit lengths (see :func:`_float_lp`), so large polytopes
(legs of 10^310) and polytopes far from the origin are answered exactly like small ones.

The radius is unique; the centre is *one* optimal centre (a box ``[0,2]×[0,1]`` has a
segment of them).

>>> from exactgeom import Polytope
>>> B = chebyshev_ball(Polytope.box([(0, 1), (0, 1)]))
>>> B.center, B.radius
((Fraction(1, 2), Fraction(1, 2)), Fraction(1, 2))
>>> T = Polytope.from_vrep([[0, 0], [1, 0], [0, 1]])
>>> chebyshev_ball(T).radius                      # 2·Area/perimeter = 1/(2+√2)
SurdSum('1 - 1/2*sqrt(2)')
>>> chebyshev_ball(T, norm="max").radius          # half-side of the largest square
Fraction(1, 4)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import partial
from itertools import combinations, islice
from math import gcd
from typing import TYPE_CHECKING, Any

from ..errors import BackendError, DegenerateError, InvalidInputError, UndecidedError
from ..linalg import rational as la
from ..numbers.ball import Enclosure, enclose_ball
from ..numbers.sign import Sign
from ..numbers.surd import Surd
from ..numbers.surdsum import SurdSum

if TYPE_CHECKING:  # pragma: no cover
    from .polytope import Polytope

__all__ = ["ChebyshevBall", "chebyshev_ball", "MAX_RADICANDS"]

#: Largest number of distinct irrational square roots among the active facet norms for
#: which the Euclidean radius and centre are returned in closed surd form.
MAX_RADICANDS = 3
#: How many candidate active sets the certification tries before giving up.
MAX_ACTIVE_SETS = 200

Exact = Any  # Fraction | Surd | SurdSum


@dataclass(frozen=True)
class ChebyshevBall:
    """A certified largest inscribed ball.

    Attributes
    ----------
    center : tuple or None
        An optimal centre, exact (Fractions, or Surd/SurdSum coordinates); ``None`` when
        the field of the active norms is too large for a closed form (see module notes).
    radius : Fraction, Surd, SurdSum or None
        The inradius for the chosen norm, exact; ``None`` as for ``center``.
    norm : str
        ``"euclidean"`` or ``"max"``.
    certified : bool
        Whether optimality was verified exactly (always True for returned balls).
    active_facets : tuple[int, ...]
        The facets of the optimality certificate (the ball touches them).
    multiplier_numerators : tuple[Fraction, ...]
        The certificate's dual multipliers are ``y_k = multiplier_numerators[k] /
        denominator >= 0`` (one per active facet; rational numerators).
    radius_numerator, denominator, center_numerators
        Exact quotient form ``radius = radius_numerator / denominator``,
        ``center_j = center_numerators[j] / denominator`` (always available;
        ``denominator`` is 1 for the max norm).
    radius_enclosure, center_enclosure
        Certified rational intervals (30 significant digits).
    """

    center: tuple[Exact, ...] | None
    radius: Exact | None
    norm: str
    certified: bool
    active_facets: tuple[int, ...]
    multiplier_numerators: tuple[Fraction, ...]
    radius_numerator: Fraction
    denominator: Exact
    center_numerators: tuple[Exact, ...]
    radius_enclosure: Enclosure
    center_enclosure: tuple[Enclosure, ...]

    @property
    def is_exact(self) -> bool:
        """Whether ``radius`` and ``center`` hold closed-form exact values."""
        return self.radius is not None

    def radius_float(self) -> float:
        """The radius as a float (from the certified enclosure)."""
        return float(self.radius_enclosure.mid)

    def center_float(self) -> tuple[float, ...]:
        """The centre as floats (from the certified enclosures)."""
        return tuple(float(e.mid) for e in self.center_enclosure)


# ---------------------------------------------------------------------- entry point
def chebyshev_ball(P: Polytope, norm: str = "euclidean") -> ChebyshevBall:
    """The largest ball inscribed in ``P`` (bounded, full-dimensional), certified exactly.

    Parameters
    ----------
    P
        A bounded full-dimensional :class:`~exactgeom.Polytope`.
    norm
        ``"euclidean"`` (round ball; surd radius) or ``"max"`` (cube; rational LP).

    Raises
    ------
    InvalidInputError
        Unknown ``norm``.
    DegenerateError
        ``P`` is empty, lower-dimensional (no interior) or unbounded.
    UndecidedError
        The float LP's active sets all fail the exact optimality check.

    Examples
    --------
    >>> from exactgeom import Polytope
    >>> chebyshev_ball(Polytope.box([(0, 4), (0, 2)])).radius   # centre not unique
    Fraction(1, 1)
    >>> chebyshev_ball(Polytope.from_vrep([[0, 0], [1, 1]]))
    Traceback (most recent call last):
    ...
    exactgeom.errors.DegenerateError: the Chebyshev ball needs a full-dimensional polytope, but this one has dimension 1 in R^2 (no interior: ...)
    """
    if norm not in ("euclidean", "max"):
        raise InvalidInputError(f"unknown norm {norm!r}; use 'euclidean' or 'max'")
    if P.is_empty:
        raise DegenerateError("the empty polytope has no inscribed ball")
    if not P.is_bounded:
        raise DegenerateError(
            "the Chebyshev ball needs a bounded polytope; intersect it with a box "
            "(P.intersect(Polytope.box(...)))"
        )
    if P.dim < P.ambient_dim:
        raise DegenerateError(
            f"the Chebyshev ball needs a full-dimensional polytope, but this one has dimension "
            f"{P.dim} in R^{P.ambient_dim} (no interior: every inscribed ball has radius 0)"
        )
    A = [h.normal for h in P.facets]
    b = [h.offset for h in P.facets]
    center = P.relative_interior_point()
    if norm == "max":
        return _max_norm_ball(A, b, center)
    return _euclidean_ball(A, b, center)


# ---------------------------------------------------------------------- max norm
def _max_norm_ball(
    A: Sequence[tuple[int, ...]], b: Sequence[Fraction], center: Sequence[Fraction] | None = None
) -> ChebyshevBall:
    from .lp import RowSet, solve_rows

    n = len(A[0])
    l1 = [Fraction(sum(abs(x) for x in a)) for a in A]
    rows = [tuple(Fraction(x) for x in a) + (w,) for a, w in zip(A, l1)]
    c = [Fraction(0)] * n + [Fraction(1)]
    # the certified exact LP (float proposal translated to an interior point, exact
    # certificate, cddlib fallback)
    res = solve_rows(
        RowSet(rows, list(b), n + 1), c, range(len(rows)), center=None if center is None else list(center) + [0]
    )
    if res.status != "optimal" or res.x is None or res.value is None or res.dual is None:  # pragma: no cover
        raise BackendError(f"the exact LP returned {res.status!r} for the max-norm Chebyshev LP of a bounded polytope")
    x, r = res.x[:n], res.x[n]
    # verify the certificate exactly: primal feasibility, dual feasibility, equal values
    y = list(res.dual)
    slack = [bi - sum((ri * zi for ri, zi in zip(row, res.x)), Fraction(0)) for row, bi in zip(rows, b)]
    dual_eq = [sum((y[i] * rows[i][j] for i in range(len(A))), Fraction(0)) for j in range(n + 1)]
    ok = (
        all(s >= 0 for s in slack)
        and all(v >= 0 for v in y)
        and dual_eq == c
        and sum((yi * bi for yi, bi in zip(y, b)), Fraction(0)) == r
    )
    if not ok:  # pragma: no cover - the exact LP is certified, and checked again here
        raise BackendError("the max-norm Chebyshev optimum failed the exact certificate check")
    active = tuple(i for i, s in enumerate(slack) if s == 0)
    return ChebyshevBall(
        center=tuple(x),
        radius=r,
        norm="max",
        certified=True,
        active_facets=active,
        multiplier_numerators=tuple(y[i] for i in active),
        radius_numerator=r,
        denominator=Fraction(1),
        center_numerators=tuple(x),
        radius_enclosure=Enclosure(r, r),
        center_enclosure=tuple(Enclosure(v, v) for v in x),
    )


# ---------------------------------------------------------------------- Euclidean
def _unit_row(a: Sequence[int]) -> tuple[list[float], tuple[int, float]]:
    """The float unit normal ``a/‖a‖`` of an integer row, computed without overflow for
    huge entries (cells of deep nets under the exact float policy): scale by the largest
    entry first. Returns (unit row, (big, nrm)) with ``a/‖a‖ = (a/big)/nrm``."""
    big = max(abs(x) for x in a) or 1
    scaled = [float(Fraction(x, big)) for x in a]
    nrm = sum(x * x for x in scaled) ** 0.5
    return [x / nrm for x in scaled], (big, nrm)


def _float_lp(
    A: Sequence[tuple[int, ...]],
    b: Sequence[Fraction],
    center: Sequence[Fraction] | None = None,
    *,
    objective: Sequence[float] | None = None,
    tight: Sequence[int] = (),
) -> tuple[list[float], float, list[float], list[float]]:
    """Float optimum of the Euclidean Chebyshev LP: (x, r, slacks, duals), rows scaled to
    unit normals.

    By default the objective is ``max r``. With ``objective`` (a direction in the scaled
    ``(x, r)`` coordinates) and ``tight`` (rows held with equality) the same data give the
    LP that :func:`_optimal_face_vertex` uses to reach a vertex of the optimal face.

    The LP is posed in the coordinates ``x = center + 2^K y``, ``r = 2^K ρ``: the exact
    offsets ``b_i − a_i·center`` are computed first and reach float through
    :func:`~exactgeom.polytope.lp.scaled_float` (no overflow), and ``K`` makes the
    largest scaled offset of order one. So polytopes far from the origin or of any size
    (legs of 10^310, a unit triangle at (10^15, 10^15)) give HiGHS well-conditioned data.
    The returned ``x`` and ``r`` are in the scaled coordinates; slacks (scaled
    uniformly) and multipliers only serve to rank candidate active sets."""
    import numpy as np
    from scipy.optimize import linprog

    from .lp import scaled_float

    n = len(A[0])
    units = [_unit_row(a) for a in A]
    offs = []
    for a, bi in zip(A, b):
        bi = Fraction(bi)
        if center is not None:
            bi -= sum((ai * ci for ai, ci in zip(a, center) if ai), Fraction(0))
        offs.append(bi)
    # log2 of each offset / max|a_i| (bit lengths only), and the common scale K
    logs = [
        o.numerator.bit_length() - o.denominator.bit_length() - big.bit_length()
        for o, (_, (big, _)) in zip(offs, units)
        if o
    ]
    K = max(logs) + 1 if logs else 0
    M = np.array([u + [1.0] for u, _ in units], dtype=float)
    rhs = np.array(
        [scaled_float(o.numerator, o.denominator * big, -K) / nrm for o, (_, (big, nrm)) in zip(offs, units)],
        dtype=float,
    )
    cost = np.zeros(n + 1)
    if objective is None:
        cost[-1] = -1.0
    else:
        cost -= np.asarray(objective, dtype=float)
    eq = list(tight)
    res = linprog(
        cost,
        A_ub=M,
        b_ub=rhs,
        A_eq=M[eq] if eq else None,
        b_eq=rhs[eq] if eq else None,
        bounds=[(None, None)] * (n + 1),
        method="highs-ds",
    )
    if res.status != 0:
        raise BackendError(f"the float Chebyshev LP failed: {res.message}")
    z = res.x
    slack = list(rhs - M @ z)
    duals = [-float(v) for v in res.ineqlin.marginals]
    return [float(v) for v in z[:n]], float(z[n]), slack, duals


def _greedy_basis(seq: Sequence[int], units: Sequence[list[float]], n: int) -> tuple[int, ...] | None:
    """The first ``n + 1`` rows of ``seq`` whose ``(unit normal, 1)`` rows are linearly
    independent in floats (a proposal only: the exact check decides), sorted."""
    import numpy as np

    chosen: list[int] = []
    for i in seq:
        trial = np.array([units[j] + [1.0] for j in chosen + [i]], dtype=float)
        if np.linalg.matrix_rank(trial) > len(chosen):
            chosen.append(i)
            if len(chosen) == n + 1:
                return tuple(sorted(chosen))
    return None


def _optimal_face_vertex(
    A: Sequence[tuple[int, ...]],
    b: Sequence[Fraction],
    center: Sequence[Fraction] | None,
    duals: Sequence[float],
    units: Sequence[list[float]],
) -> tuple[int, ...] | None:
    """An active set at a *vertex* of the optimal face, for LPs whose float optimum lies
    inside a face of optimal centres (a box ``[0,2]×[0,1]^4`` cut by two oblique planes:
    the ball's radius is fixed by the thin slabs, its centre moves in a polygon).

    The rows with a positive float multiplier are tight at every optimum (complementary
    slackness), and every feasible point where they are tight is optimal. So a second
    float LP keeps them tight and maximises a fixed generic direction; the dual simplex
    ends at a vertex of that face, which is a vertex of the whole feasible region. Its
    tight rows, multiplier rows first, propose a basis whose exact multipliers are the
    float ones (the others get zero) — a proposal that :func:`_certify` then accepts or
    refuses exactly. ``None`` when the second LP fails."""
    n = len(A[0])
    top = max(duals, default=0.0)
    if top <= 0:
        return None
    support = [i for i, d in enumerate(duals) if d > 1e-9 * top]
    direction = [1.0 / (j + 1.4142135623730951) for j in range(n)] + [0.0]
    try:
        _, _, slack, _ = _float_lp(A, b, center, objective=direction, tight=support)
    except BackendError:
        return None
    rest = sorted((i for i in range(len(A)) if i not in set(support)), key=lambda i: slack[i])
    return _greedy_basis(support + rest, units, n)


def _candidate_sets(  # type: ignore[no-untyped-def]
    slack: Sequence[float],
    duals: Sequence[float],
    A: Sequence[tuple[int, ...]],
    n: int,
    face_vertex: Callable[[Sequence[list[float]]], tuple[int, ...] | None] | None = None,
):
    """Active sets to try, best first: greedy by dual value then slack; a vertex of the
    optimal face (``face_vertex``, computed only when the first ones fail); then subsets
    of the nearly active facets."""
    m = len(slack)
    scale = max(1.0, max(abs(s) for s in slack))
    order = sorted(range(m), key=lambda i: (-max(duals[i], 0.0), slack[i]))
    units = [_unit_row(a)[0] for a in A]
    seen: set[tuple[int, ...]] = set()

    firsts: list[Callable[[], tuple[int, ...] | None]] = [
        lambda: _greedy_basis(order, units, n),
        lambda: _greedy_basis(sorted(range(m), key=lambda i: slack[i]), units, n),
    ]
    if face_vertex is not None:
        firsts.append(lambda: face_vertex(units))
    for propose in firsts:
        S = propose()
        if S is not None and S not in seen:
            seen.add(S)
            yield S
    near = [i for i in sorted(range(m), key=lambda i: slack[i]) if slack[i] <= 1e-6 * scale]
    if len(near) < n + 1:
        near = sorted(range(m), key=lambda i: slack[i])[: n + 3]
    for S in islice(combinations(sorted(near), n + 1), MAX_ACTIVE_SETS):
        if S not in seen:
            seen.add(S)
            yield S


def _certify(
    S: tuple[int, ...], A: Sequence[tuple[int, ...]], b: Sequence[Fraction], norms: Sequence[Surd]
) -> tuple[SurdSum, Fraction, list[SurdSum], list[Fraction]] | None:
    """Exact Cramer solve on the active set ``S`` and the optimality check.

    Returns ``(D, R, N, C)`` with ``radius = R/D``, ``x_j = N_j/D``, multipliers
    ``C_k/D``, or None when the set is singular or the check fails."""
    n = len(A[0])
    AS = [[Fraction(x) for x in A[i]] for i in S]
    bS = [b[i] for i in S]
    C: list[Fraction] = []
    for k in range(n + 1):
        minor = [AS[t] for t in range(n + 1) if t != k]
        C.append((-1) ** (k + n) * la.det(minor))
    D = SurdSum([c * norms[i] for c, i in zip(C, S)])
    if not D:
        return None
    sD = D.sign()
    for c in C:
        if c != 0 and (c > 0) != (sD > 0):
            return None  # a negative multiplier: not dual feasible
    R = la.det([row + [bi] for row, bi in zip(AS, bS)])
    N: list[SurdSum] = []
    for j in range(n):
        terms = []
        for k in range(n + 1):
            minor = [AS[t][:j] + [bS[t]] + AS[t][j + 1 :] for t in range(n + 1) if t != k]
            dk = la.det(minor)
            if dk:
                terms.append((-1) ** (k + n) * dk * norms[S[k]])
        N.append(SurdSum(terms))
    for i, (a, bi) in enumerate(zip(A, b)):
        if i in S:
            continue
        T = bi * D - SurdSum([x * Nj for x, Nj in zip(a, N) if x]) - R * norms[i]
        sT = T.sign()
        if sT != Sign.ZERO and sT != sD:
            return None  # primal infeasible
    return D, R, N, C


def _split_radicand(rad: int, radicands: Sequence[int]) -> int:
    """A factor ``g > 1`` of ``rad`` that divides or is coprime to every radicand in
    ``radicands`` (a coprime-base element), found with gcds only — no integer
    factorisation, which would hang on the 60-digit radicands of cells built from
    exactly converted float weights."""
    g = rad
    changed = True
    while changed:
        changed = False
        for r in radicands:
            h = gcd(g, r)
            if 1 < h < g:
                g = h
                changed = True
    return g


def _rationaliser(D: SurdSum) -> tuple[SurdSum, Fraction] | None:
    """``(K, q)`` with ``D·K = q`` rational, eliminating one square root at a time
    (``u + v√g`` times ``u − v√g`` is free of √g, for ``g`` an element of a coprime base
    of the radicands). ``None`` if the elimination does not close (a radicand with a
    repeated large factor), in which case the caller keeps the certified enclosure."""
    K = SurdSum([1])
    z = D
    for _ in range(4 * MAX_RADICANDS + 4):
        if z.is_rational:
            return K, z.to_fraction()
        rads = [t.radicand for t in z.terms if t.radicand != 1]
        p = _split_radicand(rads[0], rads)
        u, v = [], []
        for t in z.terms:
            if t.radicand % p == 0:
                v.append(Surd(t.coeff, t.radicand // p))
            else:
                u.append(t)
        zbar = SurdSum(u) - SurdSum(v) * Surd(1, p)
        if zbar.is_rational and zbar.to_fraction() == 0:
            return None
        K = K * zbar
        z = z * zbar
    return None


def _closed(x: SurdSum) -> Exact:
    s = x.simplify()
    if isinstance(s, Surd) and s.is_rational:
        return s.to_fraction()
    return s


def _euclidean_ball(
    A: Sequence[tuple[int, ...]], b: Sequence[Fraction], center: Sequence[Fraction] | None = None
) -> ChebyshevBall:
    n = len(A[0])
    norms = [Surd(1, sum(x * x for x in a)) for a in A]
    _, _, slack, duals = _float_lp(A, b, center)
    found = None
    face_vertex = partial(_optimal_face_vertex, A, b, center, duals)
    for S in _candidate_sets(slack, duals, A, n, face_vertex):
        got = _certify(S, A, b, norms)
        if got is not None:
            found = (S, got)
            break
    if found is None:
        raise UndecidedError(
            "the Euclidean Chebyshev ball could not be certified: no active set suggested by "
            f"the float LP passed the exact optimality check (tried up to {MAX_ACTIVE_SETS}); "
            "use norm='max' for an exact rational answer"
        )
    S, (D, R, N, C) = found
    radicands = {norms[i].radicand for i in S} - {1}
    rat = _rationaliser(D) if len(radicands) <= MAX_RADICANDS else None
    if rat is not None:
        K, q = rat
        radius: Exact | None = _closed(K * R / q)
        center: tuple[Exact, ...] | None = tuple(_closed(Nj * K / q) for Nj in N)
    else:
        radius = center = None
    digits = 30
    r_enc = enclose_ball(lambda prec: _ball(R, prec) / D.ball(prec), digits)
    c_enc = tuple(enclose_ball(lambda prec, Nj=Nj: Nj.ball(prec) / D.ball(prec), digits) for Nj in N)
    return ChebyshevBall(
        center=center,
        radius=radius,
        norm="euclidean",
        certified=True,
        active_facets=tuple(S),
        multiplier_numerators=tuple(C),
        radius_numerator=R,
        denominator=_closed(D),
        center_numerators=tuple(_closed(Nj) for Nj in N),
        radius_enclosure=r_enc,
        center_enclosure=c_enc,
    )


def _ball(q: Fraction, prec: int) -> Any:
    from flint import arb, fmpq

    return arb(fmpq(q.numerator, q.denominator))
