"""Exact products of dyadic matrices on float BLAS (error-free splitting).

A :class:`DyadicMatrix` is an exact matrix ``Z·2^e`` with an integer matrix ``Z``
stored as balanced base-``2^β`` digits, ``Z = Σ_m D_m 2^(βm)`` with every
``|D_m| ≤ 2^(β−1)``, each digit matrix held in a float64 array.  The product of two such
matrices is computed *exactly* from the products of digit matrices ``D_a D'_b`` done by
BLAS (``dgemm``): when ``k·2^(2β−2) ≤ 2^52`` (``k`` the inner dimension), every term and
every partial sum of every entry is an integer of magnitude at most ``2^52``, so IEEE
double arithmetic performs them without rounding, whatever the order of the sums or the
use of fused multiply-adds (the splitting idea of Ozaki, Ogita, Oishi and Rump, used
here without any truncation).  The digit products are then added in int64 and the carries
propagated, still exactly.  This is several times faster than ball-arithmetic products at
100–200 bits, and the results are exact integers, so the certified bounds built on them
(:mod:`exactgeom.linalg.symmetric`) need no rounding analysis of the products at all.

>>> import numpy as np
>>> X = DyadicMatrix.from_ints([[3, -1], [2**80, 5]], e=-2)
>>> P = X @ X.transpose()
>>> P.to_ints() == [[10, 3 * 2**80 - 5], [3 * 2**80 - 5, 2**160 + 25]], P.e
(True, -4)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from ..errors import InvalidInputError
from .certified import sqrt_up

__all__ = ["DyadicMatrix", "arb_to_dyadic", "digit_bits"]

#: Largest integer magnitude a float64 holds exactly (and every partial sum stays within).
_EXACT = 2**52


def digit_bits(k: int) -> int:
    """Digit width ``β`` for products with inner dimension ``k``: the largest ``β`` with
    ``k·2^(2β−2) ≤ 2^52`` (balanced digits ``|D| ≤ 2^(β−1)``).

    >>> digit_bits(107), digit_bits(1), digit_bits(4096)
    (23, 27, 21)
    """
    lk = max(k, 1).bit_length() if k & (k - 1) else max(k, 1).bit_length() - 1  # ⌈log₂ k⌉
    return (54 - lk) // 2


class DyadicMatrix:
    """An exact matrix ``Z·2^e``, ``Z`` integer, as balanced float64 digits (see module).

    Parameters
    ----------
    digits
        Array of shape ``(s, rows, cols)``: integer-valued floats with ``|D_m| ≤ 2^(β−1)``.
    e
        The binary exponent of the unit.
    beta
        The digit width ``β``.
    """

    __slots__ = ("beta", "digits", "e")

    def __init__(self, digits: np.ndarray, e: int, beta: int) -> None:
        self.digits = digits
        self.e = e
        self.beta = beta

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_ints(cls, rows: Sequence[Sequence[int]], e: int = 0, beta: int | None = None) -> DyadicMatrix:
        """The exact matrix ``rows·2^e`` (Python integers of any size)."""
        r = len(rows)
        c = len(rows[0]) if r else 0
        return cls.from_entries({(i, j): int(v) for i, row in enumerate(rows) for j, v in enumerate(row) if v}, (r, c), e, beta)

    @classmethod
    def from_entries(
        cls, entries: dict[tuple[int, int], int], shape: tuple[int, int], e: int = 0, beta: int | None = None
    ) -> DyadicMatrix:
        """The exact matrix with the given nonzero integer entries, times ``2^e``."""
        r, c = shape
        b = digit_bits(max(r, c)) if beta is None else beta
        top = max((abs(v).bit_length() for v in entries.values()), default=0)
        s = top // b + 2
        D = np.zeros((s, r, c))
        half, mask = 1 << (b - 1), (1 << b) - 1
        for (i, j), v in entries.items():
            m = 0
            while v:
                d = ((v + half) & mask) - half  # balanced digit in [-2^(β-1), 2^(β-1))
                D[m, i, j] = d
                v = (v - d) >> b
                m += 1
        return cls(D, e, b)._trim()

    @classmethod
    def from_floats(cls, V: np.ndarray, e: int, beta: int) -> DyadicMatrix:
        """``V`` rounded to the grid ``2^e`` (to nearest; ``|V|·2^-e`` must stay below
        ``2^52``): an exact dyadic matrix near ``V``."""
        Z = np.rint(np.ldexp(np.asarray(V, dtype=float), -e))
        if not np.all(np.isfinite(Z)) or (Z.size and float(np.max(np.abs(Z))) > _EXACT):
            raise InvalidInputError("from_floats: the scaled entries must be finite and below 2^52")
        out = []
        base = float(2**beta)
        while True:
            q = np.rint(Z / base)  # exact: Z is an integer below 2^52, the division by 2^β too
            d = Z - q * base  # in [-2^(β-1), 2^(β-1)]
            out.append(d)
            Z = q
            if not np.any(Z):
                break
        return cls(np.stack(out), e, beta)._trim()

    # ------------------------------------------------------------------ shape and values
    @property
    def shape(self) -> tuple[int, int]:
        """(rows, columns)."""
        return self.digits.shape[1], self.digits.shape[2]

    def transpose(self) -> DyadicMatrix:
        """The transpose (a view of the digits)."""
        return DyadicMatrix(self.digits.transpose(0, 2, 1), self.e, self.beta)

    def to_ints(self) -> list[list[int]]:
        """The integer matrix ``Z`` (the value is ``Z·2^e``), in Python integers."""
        s, r, c = self.digits.shape
        D = self.digits.astype(np.int64)
        return [[sum(int(D[m, i, j]) << (self.beta * m) for m in range(s)) for j in range(c)] for i in range(r)]

    def diagonal_ints(self) -> list[int]:
        """The diagonal of ``Z``, exactly."""
        D = self.digits
        k = min(D.shape[1], D.shape[2])
        d = np.diagonal(D, axis1=1, axis2=2).astype(np.int64)  # (s, k)
        return [sum(int(d[m, i]) << (self.beta * m) for m in range(d.shape[0])) for i in range(k)]

    def to_numpy(self) -> np.ndarray:
        """A float view of the value (each entry to a few ulps: balanced digits cannot
        cancel the leading one); only ever used to steer, never to decide."""
        out = np.zeros(self.shape)
        for m in range(self.digits.shape[0]):
            out += np.ldexp(self.digits[m], self.beta * m + self.e)
        return out

    # ------------------------------------------------------------------ arithmetic
    def __matmul__(self, other: DyadicMatrix) -> DyadicMatrix:
        """The exact product (see the module docstring for why BLAS is exact here)."""
        (s1, r, k), (s2, k2, c) = self.digits.shape, other.digits.shape
        if k != k2:
            raise InvalidInputError(f"shapes {self.shape} and {other.shape} do not multiply")
        b = self.beta
        if other.beta != b or k * 2 ** (2 * b - 2) > _EXACT:
            raise InvalidInputError("digit widths differ, or are too wide for an exact float product")
        # all digit products in one dgemm: rows (a, i) times columns (j, b')
        left = self.digits.reshape(s1 * r, k)
        right = other.digits.transpose(1, 0, 2).reshape(k, s2 * c)
        if s1 * r * s2 * c <= 2**22:
            prods = (left @ right).reshape(s1, r, s2, c).transpose(0, 2, 1, 3)
        else:  # large: one digit of the left factor at a time (memory)
            prods = np.stack([(self.digits[a] @ right).reshape(r, s2, c).transpose(1, 0, 2) for a in range(s1)])
        P = np.zeros((s1 + s2 - 1, r, c), dtype=np.int64)
        for a in range(s1):
            P[a : a + s2] += prods[a].astype(np.int64)  # each term an exact integer below 2^52
        return DyadicMatrix(_normalise(P, b), self.e + other.e, b)._trim()

    def scaled(self, shift: int) -> DyadicMatrix:
        """The same value on the finer grid ``2^(e − shift)`` (``shift ≥ 0``, exact; the
        result's exponent is exactly ``e − shift``)."""
        if shift < 0:
            raise InvalidInputError("shift must be nonnegative")
        q, rem = divmod(shift, self.beta)
        P = self.digits.astype(np.int64) << rem
        P = np.concatenate([np.zeros((q,) + self.shape, dtype=np.int64), P])
        return DyadicMatrix(_normalise(P, self.beta), self.e - shift, self.beta)  # not trimmed: e is kept

    def __add__(self, other: DyadicMatrix) -> DyadicMatrix:
        """The exact sum (on the finer of the two grids)."""
        a, b = self, other
        if a.e > b.e:
            a = a.scaled(a.e - b.e)
        elif b.e > a.e:
            b = b.scaled(b.e - a.e)
        s = max(a.digits.shape[0], b.digits.shape[0])
        P = np.zeros((s,) + a.shape, dtype=np.int64)
        P[: a.digits.shape[0]] += a.digits.astype(np.int64)
        P[: b.digits.shape[0]] += b.digits.astype(np.int64)
        return DyadicMatrix(_normalise(P, self.beta), a.e, self.beta)._trim()

    def minus_identity(self) -> DyadicMatrix:
        """``self − I`` exactly (square; the unit ``2^e`` must divide 1, i.e. ``e ≤ 0``)."""
        r, c = self.shape
        if r != c or self.e > 0:
            raise InvalidInputError("minus_identity needs a square matrix on a grid 2^e with e <= 0")
        m, rem = divmod(-self.e, self.beta)
        s = max(self.digits.shape[0], m + 1)
        P = np.zeros((s, r, c), dtype=np.int64)
        P[: self.digits.shape[0]] = self.digits.astype(np.int64)
        P[m][np.diag_indices(r)] -= 1 << rem
        return DyadicMatrix(_normalise(P, self.beta), self.e, self.beta)._trim()

    def rounded(self, e: int) -> tuple[DyadicMatrix, Fraction]:
        """:meth:`truncated` to the grid ``2^e``, with a bound on how far each entry moved:
        ``2^e``, or 0 when no nonzero bit was dropped."""
        T = self.truncated(e)
        if T is self:
            return T, Fraction(0)
        moved = T.e > self.e and bool(np.any(self._low_part(T.e)))
        return T, (Fraction(2) ** e if moved else Fraction(0))

    def _low_part(self, e: int) -> np.ndarray:
        """Whether each entry has a nonzero bit below ``2^e`` (a boolean array)."""
        r = e - self.e
        q, rem = divmod(r, self.beta)
        D = self.digits
        low = np.any(D[: min(q, D.shape[0])] != 0, axis=0) if q else np.zeros(self.shape, dtype=bool)
        if rem and q < D.shape[0]:
            low |= (D[q].astype(np.int64) & ((1 << rem) - 1)) != 0
        return low

    def truncated(self, e: int) -> DyadicMatrix:
        """A nearby matrix on the coarser grid ``2^e``: every entry changes by less than
        ``2^e`` (low bits dropped; the balanced tail below a digit level ``t`` is less than
        ``2^(βt)`` in magnitude).  Returns ``self`` when its grid is not finer than ``2^e``."""
        r = e - self.e
        if r <= 0:
            return self
        q, rem = divmod(r, self.beta)
        M = self if rem == 0 else self.scaled(self.beta - rem)  # now the cut falls on a digit boundary
        drop = q if rem == 0 else q + 1
        if drop >= M.digits.shape[0]:
            return DyadicMatrix(np.zeros((1,) + self.shape), e, self.beta)
        return DyadicMatrix(M.digits[drop:], M.e + drop * self.beta, self.beta)._trim()

    # ------------------------------------------------------------------ certified bounds
    def abs_sum_bounds(self, offdiagonal: bool = False) -> tuple[Fraction, Fraction]:
        """Rigorous upper bounds on the largest row sum and the largest column sum of
        ``|entries|`` (of the off-diagonal part when ``offdiagonal``), as exact rationals.

        Each entry is bounded from its leading digits: with ``H`` the integer formed by
        the digits at levels ``≥ t``, the lower digits add less than ``2^(βt)`` in
        magnitude (``Σ_{m<t} 2^(β−1)·2^(βm) < 2^(βt)``), so ``|value| ≤ (|H| + 1)·2^(βt)``,
        the ``+1`` only where a lower digit is nonzero.
        """
        bound, unit = self._abs_bound(offdiagonal)
        if bound is None:
            return Fraction(0), Fraction(0)
        return int(bound.sum(axis=1).max()) * unit, int(bound.sum(axis=0).max()) * unit

    def abs_row_sums(self, offdiagonal: bool = False) -> list[Fraction]:
        """Rigorous upper bounds on each row's sum of ``|entries|`` (of the off-diagonal
        part when ``offdiagonal``), as in :meth:`abs_sum_bounds`."""
        bound, unit = self._abs_bound(offdiagonal)
        if bound is None:
            return [Fraction(0)] * self.shape[0]
        return [int(v) * unit for v in bound.sum(axis=1)]

    def _abs_bound(self, offdiagonal: bool) -> tuple[np.ndarray | None, Fraction]:
        """Entrywise integer bounds ``(|H| + 1)`` and their unit ``2^(βt+e)``."""
        D = self.digits
        if offdiagonal:
            D = D.copy()
            k = min(D.shape[1], D.shape[2])
            D[:, np.arange(k), np.arange(k)] = 0
        nz = np.flatnonzero(np.any(D != 0, axis=(1, 2)))
        if not nz.size:
            return None, Fraction(0)
        t = max(int(nz[-1]) - 1, 0)  # the top two levels: |H| ≤ 2^(2β) + ..., well inside int64
        H = np.zeros(D.shape[1:], dtype=np.int64)
        for m in range(D.shape[0] - 1, t - 1, -1):
            H = (H << self.beta) + D[m].astype(np.int64)
        bound = np.abs(H)
        if t:
            bound = bound + np.any(D[:t] != 0, axis=0)
        return bound, Fraction(2) ** (self.beta * t + self.e)

    def norm2_bound(self, offdiagonal: bool = False) -> Fraction:
        """A rigorous upper bound on the spectral norm, ``√(‖·‖₁‖·‖∞)`` rounded up."""
        r, c = self.abs_sum_bounds(offdiagonal)
        return sqrt_up(r * c)

    # ------------------------------------------------------------------ internals
    def _trim(self) -> DyadicMatrix:
        D = self.digits
        nz = np.flatnonzero(np.any(D != 0, axis=(1, 2)))
        if not nz.size:
            return DyadicMatrix(np.zeros((1,) + D.shape[1:]), self.e, self.beta)
        lo, hi = int(nz[0]), int(nz[-1])
        if lo == 0 and hi == D.shape[0] - 1:
            return self
        return DyadicMatrix(D[lo : hi + 1], self.e + lo * self.beta, self.beta)

    def __repr__(self) -> str:
        return f"DyadicMatrix(shape={self.shape}, digits={self.digits.shape[0]}, beta={self.beta}, e={self.e})"


def _normalise(P: np.ndarray, beta: int) -> np.ndarray:
    """Balanced base-``2^β`` digits (float64) of ``Σ_m P_m 2^(βm)`` (int64 arrays whose
    magnitudes stay below ``2^62``), exactly, level by level from the lowest with the
    carry passed up."""
    half, mask = 1 << (beta - 1), (1 << beta) - 1
    out = []
    carry = np.zeros(P.shape[1:], dtype=np.int64)
    m = 0
    while m < P.shape[0] or np.any(carry):
        t = carry + P[m] if m < P.shape[0] else carry
        d = ((t + half) & mask) - half
        carry = (t - d) >> beta
        out.append(d)
        m += 1
    return np.stack(out).astype(float)


def arb_to_dyadic(items: Iterable[tuple[int, int, Any]], n: int, m: int, e: int, beta: int) -> tuple[DyadicMatrix, Fraction]:
    """The ``n × m`` ball matrix with the given nonzero entries ``(i, j, arb)`` (every other
    entry exactly zero; symmetric when square: its upper triangle is used for both halves)
    as its midpoints rounded to the grid ``2^e``, with a rigorous bound on
    ``‖true − rounded‖₂`` for every matrix in the balls (``√(‖δ‖₁‖δ‖∞)``, ``δ`` the
    entrywise radius plus rounding, each rounded up to the grid ``2^(e−32)``)."""
    vals: dict[tuple[int, int], int] = {}
    fine = e - 32  # the error unit
    err_rows = [0] * n
    err_cols = [0] * m
    sym = n == m
    half_unit = 1 << 31  # 2^(e-1) in units of 2^fine
    for i, j, x in items:
        if sym and j < i:
            continue  # taken from (j, i)
        man, ex = x.mid().man_exp()
        man, sh = int(man), int(ex) - e
        if sh >= 0:
            z, d = man << sh, 0
        else:
            z = (man + (1 << (-sh - 1))) >> -sh  # to nearest
            d = half_unit if (z << -sh) != man else 0
        rad = x.rad()
        if not rad.is_zero():
            rman, rex = rad.man_exp()
            rman, rsh = int(rman), int(rex) - fine
            d += rman << rsh if rsh >= 0 else -((-rman) >> -rsh)  # rounded up
        if z:
            vals[(i, j)] = z
            if sym and i != j:
                vals[(j, i)] = z
        if d:
            err_rows[i] += d
            err_cols[j] += d
            if sym and i != j:
                err_rows[j] += d
                err_cols[i] += d
    err = sqrt_up(Fraction(max(err_rows, default=0) * max(err_cols, default=0)) * Fraction(2) ** (2 * fine))
    return DyadicMatrix.from_entries(vals, (n, m), e, beta), err
