"""Immutable sparse matrices with exact entries, and their exact linear algebra.

An :class:`ExactMatrix` stores its nonzero entries by ``(row, column)``; an entry is an
``int`` (boundary matrices), a :class:`~fractions.Fraction`, or an irrational
:class:`~exactgeom.numbers.Surd` / :class:`~exactgeom.numbers.SurdSum` (a surd that
happens to be rational is stored as its Fraction). The matrix knows its number
``domain``: ``"ZZ"``, ``"QQ"`` or ``"surd"``.

Exact operations: rank (sparse fraction-free elimination for integer and rational
matrices; over a small multiquadratic field for surd matrices), solve (python-flint
``fmpq_mat`` for rational systems; multiquadratic for few radicands), symmetry.
Certified operations (surd entries): :meth:`ExactMatrix.arb_mat`. The float view is
:meth:`ExactMatrix.to_scipy_float` — floats, clearly marked.

>>> B = ExactMatrix.from_dict((2, 3), {(0, 0): 1, (1, 0): -1, (1, 1): 1, (0, 2): 2})
>>> B.domain, B.nnz, B.rank()
('ZZ', 4, 2)
>>> B.dense()
((1, 0, 2), (-1, 1, 0))
>>> ExactMatrix.from_dict((0, 0), {}).rank()        # 0×0
0
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from fractions import Fraction
from math import gcd, lcm
from typing import Any

from flint import fmpq, fmpq_mat, fmpz_mat

from ..errors import DegenerateError, InvalidInputError
from ..linalg.rational import fmpq_to_fraction
from ..numbers.rational import short_str
from ..numbers.surd import Surd
from ..numbers.surdsum import SurdSum
from .field import MultiquadraticField

__all__ = ["ExactMatrix", "exact_value", "integer_rank", "to_float"]

Value = Any  # int | Fraction | Surd | SurdSum

#: Above this many entries (m·n) ranks use the sparse elimination instead of dense flint.
DENSE_RANK_MAX = 16_000_000


def exact_value(v: Any) -> Value:
    """Normalise an exact value: rational surds and surd sums become Fractions, ints stay
    ints, irrational values stay Surd / SurdSum (a one-term sum becomes a Surd)."""
    if isinstance(v, (int, Fraction)) and not isinstance(v, bool):
        return v
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, SurdSum):
        v = v.simplify()
    if isinstance(v, Surd):
        return v.coeff if v.radicand == 1 else v
    if isinstance(v, SurdSum):
        return v
    raise InvalidInputError(f"not an exact value: {v!r} ({type(v).__name__})")


def _exact_sum(terms: list[Value]) -> Value:
    """The exact sum of a list of products: rationals added as they are, a sum with
    irrational terms canonicalised once (not once per partial sum)."""
    if len(terms) == 1:
        return terms[0]
    if all(isinstance(t, (int, Fraction)) for t in terms):
        return sum(terms)
    return SurdSum(terms)


def _domain_of(vals: Iterable[Value]) -> str:
    dom = "ZZ"
    for v in vals:
        if isinstance(v, int):
            continue
        if isinstance(v, Fraction):
            dom = "QQ"
            continue
        return "surd"
    return dom


class ExactMatrix:
    """An immutable sparse matrix of exact values (see the module docstring).

    Build it with :meth:`from_dict`, :meth:`from_rows`, :meth:`diagonal` or the
    arithmetic below; entries are read with ``M[i, j]``.
    """

    __slots__ = ("_domain", "_e", "_rows_cache", "_shape")

    def __init__(self, shape: tuple[int, int], entries: dict[tuple[int, int], Value], domain: str) -> None:
        self._shape = shape
        self._e = entries
        self._domain = domain
        self._rows_cache: list[dict[int, Value]] | None = None

    # ------------------------------------------------------------ construction
    @classmethod
    def from_dict(cls, shape: tuple[int, int], entries: Mapping[tuple[int, int], Any]) -> ExactMatrix:
        """Matrix of the given shape from ``{(i, j): value}`` (zeros dropped)."""
        m, n = shape
        e: dict[tuple[int, int], Value] = {}
        for (i, j), v in entries.items():
            if not (0 <= i < m and 0 <= j < n):
                raise InvalidInputError(f"entry ({i}, {j}) outside a {m}x{n} matrix")
            x = exact_value(v)
            if x:  # canonical: truth is "nonzero"
                e[(i, j)] = x
        return cls((m, n), e, _domain_of(e.values()))

    @classmethod
    def from_rows(cls, rows: Sequence[Sequence[Any]], ncols: int | None = None) -> ExactMatrix:
        """Matrix from dense rows."""
        m = len(rows)
        n = len(rows[0]) if m else (ncols or 0)
        return cls.from_dict((m, n), {(i, j): v for i, r in enumerate(rows) for j, v in enumerate(r) if v != 0})

    @classmethod
    def diagonal(cls, values: Sequence[Any]) -> ExactMatrix:
        """The diagonal matrix with the given exact values."""
        k = len(values)
        return cls.from_dict((k, k), {(i, i): v for i, v in enumerate(values)})

    @classmethod
    def _trusted(cls, shape: tuple[int, int], e: dict[tuple[int, int], Value]) -> ExactMatrix:
        # exact_value's results are canonical, so truth is "nonzero" (SurdSum != 0 would
        # canonicalise a difference per entry)
        e = {k: v for k, v in ((k, exact_value(v)) for k, v in e.items()) if v}
        return cls(shape, e, _domain_of(e.values()))

    # ------------------------------------------------------------ data
    @property
    def shape(self) -> tuple[int, int]:
        return self._shape

    @property
    def domain(self) -> str:
        """``"ZZ"``, ``"QQ"`` or ``"surd"`` (irrational entries present)."""
        return self._domain

    @property
    def is_rational(self) -> bool:
        return self._domain != "surd"

    @property
    def nnz(self) -> int:
        return len(self._e)

    def __getitem__(self, ij: tuple[int, int]) -> Value:
        i, j = ij
        m, n = self._shape
        if not (0 <= i < m and 0 <= j < n):
            raise InvalidInputError(f"index ({i}, {j}) outside a {m}x{n} matrix")
        return self._e.get((i, j), 0 if self._domain == "ZZ" else Fraction(0))

    def items(self) -> Iterator[tuple[tuple[int, int], Value]]:
        """Nonzero entries ``((i, j), value)`` in row-major order."""
        return iter(sorted(self._e.items()))

    def rows_dict(self) -> list[dict[int, Value]]:
        """One ``{column: value}`` dict per row (cached; do not mutate)."""
        if self._rows_cache is None:
            rows: list[dict[int, Value]] = [{} for _ in range(self._shape[0])]
            for (i, j), v in self._e.items():
                rows[i][j] = v
            self._rows_cache = rows
        return self._rows_cache

    def dense(self) -> tuple[tuple[Value, ...], ...]:
        """Dense rows (zeros as ``0`` for ZZ, ``Fraction(0)`` otherwise)."""
        z: Value = 0 if self._domain == "ZZ" else Fraction(0)
        m, n = self._shape
        out = [[z] * n for _ in range(m)]
        for (i, j), v in self._e.items():
            out[i][j] = v
        return tuple(tuple(r) for r in out)

    def diagonal_values(self) -> tuple[Value, ...]:
        """The main diagonal."""
        return tuple(self[i, i] for i in range(min(self._shape)))

    def is_diagonal(self) -> bool:
        return all(i == j for i, j in self._e)

    def radicands(self) -> set[int]:
        """Radicands ``d > 1`` of the irrational entries."""
        from .field import radicands_of

        return radicands_of(self._e.values())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ExactMatrix):
            return NotImplemented
        return self._shape == other._shape and self._e == other._e

    def __hash__(self) -> int:
        return hash((self._shape, frozenset(self._e.items())))

    def __repr__(self) -> str:
        return f"ExactMatrix({self._shape[0]}x{self._shape[1]}, {self._domain}, nnz={len(self._e)})"

    # ------------------------------------------------------------ arithmetic
    def transpose(self) -> ExactMatrix:
        m, n = self._shape
        return ExactMatrix((n, m), {(j, i): v for (i, j), v in self._e.items()}, self._domain)

    @property
    def T(self) -> ExactMatrix:
        return self.transpose()

    def __add__(self, other: ExactMatrix) -> ExactMatrix:
        if not isinstance(other, ExactMatrix):
            return NotImplemented
        if other._shape != self._shape:
            raise InvalidInputError(f"shape mismatch {self._shape} + {other._shape}")
        e = dict(self._e)
        for k, v in other._e.items():
            e[k] = e[k] + v if k in e else v
        return ExactMatrix._trusted(self._shape, e)

    def __sub__(self, other: ExactMatrix) -> ExactMatrix:
        return self + other.scale(-1)

    def scale(self, c: Any) -> ExactMatrix:
        """The matrix times an exact scalar."""
        return ExactMatrix._trusted(self._shape, {k: c * v for k, v in self._e.items()})

    def __matmul__(self, other: ExactMatrix) -> ExactMatrix:
        if not isinstance(other, ExactMatrix):
            return NotImplemented
        m, k = self._shape
        k2, n = other._shape
        if k != k2:
            raise InvalidInputError(f"shape mismatch {self._shape} @ {other._shape}")
        orows = other.rows_dict()
        acc: dict[tuple[int, int], list[Value]] = {}
        for (i, t), a in self._e.items():
            # ±1 (boundary matrices): the product is the other factor or its negative,
            # without a multiplication of surds or Fractions
            unit = a if type(a) is int and (a == 1 or a == -1) else 0
            for j, b in orows[t].items():
                key = (i, j)
                p = (b if unit == 1 else -b) if unit else (a if type(b) is int and b == 1 else a * b)
                terms = acc.get(key)
                if terms is None:
                    acc[key] = [p]
                else:
                    terms.append(p)
        return ExactMatrix._trusted((m, n), {k: _exact_sum(v) for k, v in acc.items()})

    def scale_rows(self, d: Sequence[Any]) -> ExactMatrix:
        """``diag(d) @ self``."""
        return ExactMatrix._trusted(self._shape, {(i, j): d[i] * v for (i, j), v in self._e.items()})

    def scale_cols(self, d: Sequence[Any]) -> ExactMatrix:
        """``self @ diag(d)``."""
        return ExactMatrix._trusted(self._shape, {(i, j): v * d[j] for (i, j), v in self._e.items()})

    def matvec(self, x: Sequence[Any]) -> tuple[Value, ...]:
        """``self @ x`` exactly."""
        out: list[Value] = [Fraction(0)] * self._shape[0]
        for (i, j), v in self._e.items():
            out[i] = out[i] + v * x[j]
        return tuple(exact_value(v) for v in out)

    def is_symmetric(self) -> bool:
        """Exact symmetry test."""
        m, n = self._shape
        if m != n:
            return False
        e = self._e
        return all(i == j or e.get((j, i), 0) == v for (i, j), v in e.items())

    # ------------------------------------------------------------ conversions
    def tolist(self) -> list[list[Value]]:
        """Dense nested list of the EXACT entries (ints, Fractions, Surds, SurdSums; absent
        entries are the zero of the matrix's domain), like ``numpy.ndarray.tolist``.

        >>> ExactMatrix.from_rows([[1, -1], [0, 2]]).tolist()
        [[1, -1], [0, 2]]
        >>> ExactMatrix.from_rows([[1, Fraction(1, 2)], [0, Surd(1, 2)]]).tolist()
        [[1, Fraction(1, 2)], [Fraction(0, 1), Surd('1*sqrt(2)')]]
        >>> ExactMatrix.from_dict((0, 3), {}).tolist()      # 0×3
        []
        """
        return [list(r) for r in self.dense()]

    def to_sympy(self) -> Any:
        """The matrix as an EXACT ``sympy.Matrix`` (surd entries become ``q*sqrt(d)``).

        >>> ExactMatrix.from_rows([[2, Surd(1, 8)], [Fraction(1, 3), 0]]).to_sympy()
        Matrix([
        [  2, 2*sqrt(2)],
        [1/3,         0]])
        """
        import sympy

        from ..numbers.interop import to_sympy

        m, n = self._shape
        return sympy.Matrix(m, n, lambda i, j: to_sympy(self._e.get((i, j), 0)))

    def to_numpy(self) -> Any:
        """FLOAT view: a dense ``numpy.ndarray`` of float64 approximations of the entries
        (each within a few ulps).  ``numpy.asarray(M)`` gives the same array;
        ``numpy.asarray(M, dtype=object)`` gives the exact entries instead.

        >>> ExactMatrix.from_rows([[1, Fraction(1, 4)], [0, Surd(1, 4)]]).to_numpy()
        array([[1.  , 0.25],
               [0.  , 2.  ]])
        """
        import numpy as np

        m, n = self._shape
        out = np.zeros((m, n), dtype=float)
        for (i, j), v in self._e.items():
            out[i, j] = to_float(v)
        return out

    def __array__(self, dtype: Any = None, copy: Any = None) -> Any:
        """numpy protocol: float64 (the :meth:`to_numpy` float view) by default; with
        ``dtype=object`` a 2-d object array of the exact entries.  Never a 0-d array."""
        import numpy as np

        if dtype is not None and np.dtype(dtype) == np.dtype(object):
            m, n = self._shape
            out = np.empty((m, n), dtype=object)
            out[...] = 0
            for (i, j), v in self._e.items():
                out[i, j] = v
            return out
        a = self.to_numpy()
        return a if dtype is None else a.astype(dtype)

    def to_fmpq_mat(self) -> fmpq_mat:
        """Dense python-flint rational matrix (rational domains only)."""
        self._require_rational("to_fmpq_mat")
        m, n = self._shape
        M = fmpq_mat(m, n)
        for (i, j), v in self._e.items():
            M[i, j] = fmpq(int(v)) if isinstance(v, int) else fmpq(v.numerator, v.denominator)
        return M

    def to_fmpz_mat(self) -> fmpz_mat:
        """Dense python-flint integer matrix (ZZ only)."""
        if self._domain != "ZZ":
            raise DegenerateError(f"to_fmpz_mat needs an integer matrix, this one is over {self._domain}")
        m, n = self._shape
        M = fmpz_mat(m, n)
        for (i, j), v in self._e.items():
            M[i, j] = int(v)
        return M

    def arb_mat(self) -> Any:
        """Dense ``arb_mat`` of balls around the entries (current working precision)."""
        from flint import arb_mat

        from ..linalg.certified import ball

        m, n = self._shape
        M = arb_mat(m, n)
        for (i, j), v in self._e.items():
            M[i, j] = ball(v)
        return M

    def to_scipy_float(self) -> Any:
        """FLOAT view: a ``scipy.sparse.csr_matrix`` of float64 approximations.

        Warning: a Hodge Laplacian in cochain form, ``Δ_p = M_p⁻¹ B_{p+1} M_{p+1} B_{p+1}ᵀ + …``,
        is **not symmetric** when the measures are not uniform, so ``numpy.linalg.eigvalsh`` (or
        ``eigsh``) on this view returns wrong eigenvalues. For its spectrum use
        ``RiemannianComplex.hodge_laplacian_float(p, symmetric=True)`` (the similar matrix
        ``M_p^{1/2} Δ_p M_p^{−1/2}``, exactly symmetric) or ``spectrum_float(p, k)``; the exact
        ``symmetric_laplacian`` (``M_p Δ_p``) is symmetric too, but its eigenvalues are those of
        the pencil ``(M_p Δ_p, M_p)``.
        """
        import numpy as np
        import scipy.sparse as sp

        m, n = self._shape
        if not self._e:
            return sp.csr_matrix((m, n))
        ij = np.array(list(self._e.keys()), dtype=np.int64)
        vals = np.array([to_float(v) for v in self._e.values()], dtype=float)
        return sp.csr_matrix((vals, (ij[:, 0], ij[:, 1])), shape=(m, n))

    def _require_rational(self, what: str) -> None:
        if self._domain == "surd":
            raise DegenerateError(
                f"{what} needs a rational matrix, but this one has irrational (surd) entries with "
                f"radicands {sorted(self.radicands())[:6]}; use certified enclosures instead"
            )

    # ------------------------------------------------------------ exact linear algebra
    def rank(self) -> int:
        """Exact rank: over Q for rational matrices, over the multiquadratic field of the
        entries for surd matrices (raises :class:`~exactgeom.complex.field.FieldTooLargeError`
        beyond the documented number of radicands)."""
        m, n = self._shape
        if m == 0 or n == 0 or not self._e:
            return 0
        if self._domain == "surd":
            K = MultiquadraticField.of(self._e.values())
            return K.rank(self.dense())
        if 20 * len(self._e) <= m * n or m * n > DENSE_RANK_MAX:
            return integer_rank(_integer_rows(self))  # sparse: fraction-free elimination
        return int(self.to_fmpq_mat().rank())  # dense: flint (exact)

    def solve(self, b: Sequence[Any]) -> tuple[Value, ...]:
        """Exact solution of the square nonsingular system ``self @ x = b``.

        Rational systems: python-flint (dense). Surd systems: the multiquadratic field
        (few radicands only). Raises :class:`DegenerateError` when singular.
        """
        m, n = self._shape
        if m != n or len(b) != m:
            raise InvalidInputError(f"solve needs a square system, got {m}x{n} and b of length {len(b)}")
        if m == 0:
            return ()
        vals = [exact_value(x) for x in b]
        if self._domain == "surd" or _domain_of(vals) == "surd":
            K = MultiquadraticField.of(list(self._e.values()) + vals)
            return K.solve(self.dense(), vals)
        A = self.to_fmpq_mat()
        rhs = fmpq_mat(m, 1, [fmpq(int(v)) if isinstance(v, int) else fmpq(v.numerator, v.denominator) for v in vals])
        try:
            X = A.solve(rhs)
        except ZeroDivisionError:
            raise DegenerateError(f"the {m}x{m} system is singular (rank {A.rank()})") from None
        return tuple(fmpq_to_fraction(X[i, 0]) for i in range(m))


def to_float(v: Value) -> float:
    """FLOAT approximation of an exact value (a surd ``q·√d`` as ``float(q)·sqrt(d)``,
    within a few ulps; for float views only).

    Raises :class:`DegenerateError` for a value outside the range of normal doubles
    (a partition of a 10^±200-sized domain): a float view cannot hold it, where it would
    become inf, 0 or NaN further on.

    >>> to_float(Fraction(1, 3)) == 1 / 3
    True
    >>> to_float(Fraction(1, 10**400))
    Traceback (most recent call last):
    ...
    exactgeom.errors.DegenerateError: a float view (float64) cannot hold the value 1/1000000000...0000000000 (401 digits), ...
    """
    try:
        if isinstance(v, (int, Fraction)):
            f = float(v)
        elif isinstance(v, Surd):
            f = _surd_float(v.coeff, v.radicand)
        elif isinstance(v, SurdSum):
            f = math.fsum(_surd_float(t.coeff, t.radicand) for t in v.terms)
        else:
            f = float(v)
    except OverflowError:
        f = math.inf
    if math.isinf(f) or (abs(f) < sys.float_info.min and isinstance(v, (int, Fraction, Surd)) and v != 0):
        if isinstance(v, (int, Fraction)):
            shown = short_str(v)
        else:
            t = str(v)  # Surd / SurdSum text, any size
            shown = t if len(t) <= 60 else t[:40] + "..."
        raise DegenerateError(
            f"a float view (float64) cannot hold the value {shown}, "
            "outside the range of normal doubles (about 1e-308 to 1e308); use the exact or certified "
            "methods (hodge_laplacian(p), spectrum(p, digits=...), spline(...)), or rescale the model "
            "(e.g. by a power of 10)"
        )
    return f


def _surd_float(q: Fraction, d: int) -> float:
    """``float(q·√d)`` also when ``d`` is beyond the float range (radicands of oblique faces
    of deep networks): ``√d = √(d / 4^k)·2^k`` with ``d / 4^k`` scaled into range exactly."""
    if d.bit_length() < 1000:
        return float(q) * math.sqrt(d)
    k = (d.bit_length() - 900) // 2
    return math.ldexp(float(q) * math.sqrt(d >> (2 * k)), k)


def _integer_rows(M: ExactMatrix) -> list[dict[int, int]]:
    rows: list[dict[int, int]] = []
    for r in M.rows_dict():
        if not r:
            continue
        den = 1
        for v in r.values():
            if isinstance(v, Fraction):
                den = lcm(den, v.denominator)
        rows.append({j: int(v * den) for j, v in r.items()})
    return rows


def integer_rank(rows: list[dict[int, int]]) -> int:
    """Exact rank over Q of a sparse integer matrix given as ``{column: int}`` rows.

    Fraction-free sparse elimination: each row is reduced against the pivot rows by
    its lowest column (``row ← b·row − a·pivot`` with the gcd removed), the classic
    column-reduction of boundary matrices. Exact; fill-in stays small on boundary
    matrices.

    >>> integer_rank([{0: 1, 1: -1}, {1: 1, 2: -1}, {0: 1, 2: -1}])
    2
    """
    pivots: dict[int, dict[int, int]] = {}
    for row0 in rows:
        row = {j: v for j, v in row0.items() if v}
        while row:
            c = min(row)
            p = pivots.get(c)
            if p is None:
                g = 0
                for v in row.values():
                    g = gcd(g, v)
                if g > 1:
                    row = {j: v // g for j, v in row.items()}
                pivots[c] = row
                break
            a, b = row[c], p[c]
            g = gcd(a, b)
            ma, mb = b // g, a // g
            new = {j: ma * v for j, v in row.items()}
            for j, v in p.items():
                nv = new.get(j, 0) - mb * v
                if nv:
                    new[j] = nv
                else:
                    new.pop(j, None)
            g = 0
            for v in new.values():
                g = gcd(g, v)
            row = {j: v // g for j, v in new.items()} if g > 1 else new
    return len(pivots)
