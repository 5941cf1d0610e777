"""Exact rational linear algebra on python-flint (``fmpq_mat`` / ``fmpz_mat``).

Matrices cross this module's boundary as tuples of rows of :class:`~fractions.Fraction`
(or ints); inside, python-flint does the work (100–1000× faster than sympy).

>>> det([[1, 2], [3, 4]])
Fraction(-2, 1)
>>> rank([[1, 2], [2, 4]]), nullspace([[1, 2], [2, 4]])
(1, [(Fraction(-2, 1), Fraction(1, 1))])
>>> nullspace([])  # 0x0: no constraints on an empty vector
[]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction
from math import gcd, lcm

from flint import fmpq, fmpq_mat, fmpz_mat

from ..errors import DegenerateError, InvalidInputError

__all__ = [
    "to_fmpq_mat",
    "to_fmpz_mat",
    "from_fmpq_mat",
    "fmpq_to_fraction",
    "det",
    "rank",
    "rref",
    "nullspace",
    "solve",
    "inverse",
    "charpoly",
    "primitive_integer_vector",
    "integer_scaled",
]

Rows = Sequence[Sequence[Fraction | int]]


def fmpq_to_fraction(x: fmpq) -> Fraction:
    """Exact conversion of a flint rational to a Fraction."""
    return Fraction(int(x.p), int(x.q))


def _shape(rows: Rows, ncols: int | None = None) -> tuple[int, int]:
    m = len(rows)
    n = len(rows[0]) if m else (ncols or 0)
    return m, n


def to_fmpq_mat(rows: Rows, ncols: int | None = None) -> fmpq_mat:
    """Build an ``fmpq_mat`` from rows of Fractions/ints (``ncols`` for 0-row input)."""
    m, n = _shape(rows, ncols)
    flat = []
    for r in rows:
        for x in r:
            if isinstance(x, int):
                flat.append(fmpq(x))
            else:
                flat.append(fmpq(x.numerator, x.denominator))
    return fmpq_mat(m, n, flat)


def integer_scaled(rows: Rows) -> tuple[list[list[int]], int]:
    """Scale rows by the lcm L of all denominators: returns (integer rows, L).
    Integer arithmetic only (``x·L = numerator·(L // denominator)``).

    >>> integer_scaled([[Fraction(1, 2), 3], [Fraction(-2, 3), 0]])
    ([[3, 18], [-4, 0]], 6)
    """
    L = 1
    for r in rows:
        for x in r:
            if not isinstance(x, int):
                d = x.denominator
                if L % d:
                    L = lcm(L, d)
    return [[x * L if isinstance(x, int) else x.numerator * (L // x.denominator) for x in r] for r in rows], L


def to_fmpz_mat(rows: Sequence[Sequence[int]], ncols: int | None = None) -> fmpz_mat:
    m, n = _shape(rows, ncols)
    return fmpz_mat(m, n, [int(x) for r in rows for x in r])


def from_fmpq_mat(M: fmpq_mat) -> tuple[tuple[Fraction, ...], ...]:
    return tuple(
        tuple(fmpq_to_fraction(M[i, j]) for j in range(M.ncols())) for i in range(M.nrows())
    )


def det(rows: Rows) -> Fraction:
    """Exact determinant of a square rational matrix (1 for the 0×0 matrix)."""
    m, n = _shape(rows)
    if m != n:
        raise InvalidInputError(f"det needs a square matrix, got {m}x{n}")
    if m == 0:
        return Fraction(1)
    irows, L = integer_scaled(rows)
    d = to_fmpz_mat(irows).det()
    return Fraction(int(d), L**m)


def rank(rows: Rows, ncols: int | None = None) -> int:
    """Exact rank."""
    m, n = _shape(rows, ncols)
    if m == 0 or n == 0:
        return 0
    irows, _ = integer_scaled(rows)
    return int(to_fmpz_mat(irows).rank())


def rref(rows: Rows, ncols: int | None = None) -> tuple[tuple[tuple[Fraction, ...], ...], tuple[int, ...]]:
    """Reduced row echelon form: (nonzero rows, pivot columns)."""
    m, n = _shape(rows, ncols)
    if m == 0 or n == 0:
        return (), ()
    R, r = to_fmpq_mat(rows, n).rref()
    out = from_fmpq_mat(R)[:r]
    pivots = []
    for row in out:
        for j, x in enumerate(row):
            if x != 0:
                pivots.append(j)
                break
    return out, tuple(pivots)


def nullspace(rows: Rows, ncols: int | None = None) -> list[tuple[Fraction, ...]]:
    """A basis of {x : rows · x = 0}, one vector per free column (that entry 1, other
    free entries 0). ``ncols`` is needed when ``rows`` is empty.
    """
    _, n = _shape(rows, ncols)
    if n == 0:
        return []
    R, pivots = rref(rows, n)
    free = [j for j in range(n) if j not in set(pivots)]
    basis = []
    for f in free:
        v = [Fraction(0)] * n
        v[f] = Fraction(1)
        for row, p in zip(R, pivots):
            v[p] = -row[f]
        basis.append(tuple(v))
    return basis


def solve(A: Rows, b: Sequence[Fraction | int]) -> tuple[Fraction, ...]:
    """Solve the square nonsingular system A x = b exactly."""
    m, n = _shape(A)
    if m != n or len(b) != m:
        raise InvalidInputError(f"solve needs a square system, got A {m}x{n} and b of length {len(b)}")
    M = to_fmpq_mat(A)
    if M.det() == 0:
        raise DegenerateError("solve: the matrix is singular")
    x = M.solve(to_fmpq_mat([[v] for v in b], 1))
    return tuple(fmpq_to_fraction(x[i, 0]) for i in range(n))


def inverse(A: Rows) -> tuple[tuple[Fraction, ...], ...]:
    """Exact inverse of a square nonsingular matrix."""
    m, n = _shape(A)
    if m != n:
        raise InvalidInputError(f"inverse needs a square matrix, got {m}x{n}")
    M = to_fmpq_mat(A)
    if M.det() == 0:
        raise DegenerateError("inverse: the matrix is singular")
    return from_fmpq_mat(M.inv())


def charpoly(A: Rows) -> tuple[Fraction, ...]:
    """Coefficients of det(tI − A), highest degree first (monic)."""
    m, n = _shape(A)
    if m != n:
        raise InvalidInputError(f"charpoly needs a square matrix, got {m}x{n}")
    if m == 0:
        return (Fraction(1),)
    p = to_fmpq_mat(A).charpoly()
    coeffs = [fmpq_to_fraction(c) for c in p.coeffs()]  # lowest degree first
    return tuple(reversed(coeffs))


def primitive_integer_vector(v: Iterable[Fraction | int]) -> tuple[tuple[int, ...], Fraction]:
    """Scale a nonzero rational vector to the primitive integer vector with the same
    direction: returns (w, s) with w = s·v, s > 0 rational, gcd(w) = 1.

    >>> primitive_integer_vector([Fraction(1, 2), Fraction(-3, 4)])
    ((2, -3), Fraction(4, 1))
    """
    fr = [x if type(x) is Fraction or type(x) is int else Fraction(x) for x in v]
    nums = [x.numerator for x in fr]
    dens = [x.denominator for x in fr]
    L = lcm(*dens)  # 1 for an all-integer vector
    if L != 1:
        nums = [p * (L // q) for p, q in zip(nums, dens)]
    g = gcd(*nums)
    if g == 0:
        raise DegenerateError("primitive_integer_vector: the zero vector has no direction")
    return (tuple(nums) if g == 1 else tuple(p // g for p in nums)), Fraction(L, g)
