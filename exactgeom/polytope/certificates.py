"""Exact redundancy certificates for the H-first engine (:mod:`.hfirst`).

A row ``a_k·x <= b_k`` that a float LP finds implied by other rows is removed only with an
exact Farkas proof: non-negative multipliers ``y`` with ``Σ y_i a_i = a_k`` (plus free
multipliers on the equations) and ``Σ y_i b_i <= b_k``. Two routes, both exact:

* :func:`_box_certificate`: the float LP's multipliers rounded to integers, the exact
  residual cancelled column by column by coordinate-bound rows ``±x_j <= c``; no linear
  solve (the usual case on ReLU cells in a box);
* :func:`_redundancy_certificate`: the square system on pivot columns (coordinate-bound
  rows eliminated first, :func:`_farkas_with_unit_rows`), checked exactly on every column.

Anything that fails returns ``False``; the caller then decides the row by a certified LP.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from math import gcd, lcm
from typing import Any

from flint import fmpq_mat, fmpz, fmpz_mat

from .hrep import Halfspace, Hyperplane
from .lp import _frac


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
        if not (v >= 0 and math.isfinite(v)):
            return False
        if v == 0:  # an unused row (or a multiplier below the float range): the residual absorbs it
            continue
        m = v * nk / float(nr[i])
        logs.append((i, m, Ek - E[i]))
    if not logs:
        return False
    s = max(0, 60 - min(math.frexp(m)[1] + d for _, m, d in logs))
    Y = []  # (row, integer multiplier)
    for i, m, d in logs:
        sh = s + d
        Y.append((i, round(math.ldexp(m, sh)) if math.frexp(m)[1] + sh <= 1000 else int(math.ldexp(m, 60)) << (sh - 60)))
    r = [-(v << s) for v in H[k].normal]
    for i, yi in Y:
        if yi:
            for j, v in enumerate(H[i].normal):
                if v:
                    r[j] += yi * v
    terms = [(yi, H[i].offset) for i, yi in Y if yi]
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
