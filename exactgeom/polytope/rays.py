"""Exact ray shooting for the H-first engine (:mod:`.hfirst`).

From a rational point ``z`` strictly inside distinct half-spaces, the first row a ray
meets along an integer direction proves that row a facet (the hit point is its witness).
:class:`_Rays` decides first hits for many directions at once on integer fixed-point polar
points (64-bit, then 80-bit screens with proved error bounds) and shoots exactly only near
ties; :class:`_RayPoint` is a hit point kept as integers.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from flint import fmpq_mat, fmpz_mat

from ..errors import BackendError
from .hrep import Halfspace, Hyperplane
from .lp import count

Vec = tuple[Fraction, ...]


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
