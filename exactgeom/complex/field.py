"""Exact linear algebra over a small multiquadratic field ``Q(√g_1, …, √g_k)``.

Operators built from surd measures have entries that are sums of surds ``Σ c_i √d_i``
(:class:`~exactgeom.numbers.SurdSum`). When the radicands span only a few
independent square classes, those entries live in the field
``K = Q(√g_1, …, √g_k)`` of degree ``2^k``, a ``2^k``-dimensional Q-vector space with
basis ``√(g_S)``, ``g_S = ∏_{i∈S} g_i`` over subsets ``S``. Multiplication by a fixed
element of K is a rational ``2^k × 2^k`` matrix (its *regular representation*), so an
``N × N`` system over K becomes an ``N·2^k × N·2^k`` rational system, solved exactly by
python-flint; ranks over K are ranks over Q divided by ``2^k``.

The square classes are found by factoring the (squarefree) radicands and doing
linear algebra over GF(2) on their prime-exponent vectors. The documented limits are
:data:`MAX_GENERATORS` independent generators (degree 16) and :data:`MAX_BLOWN_UP` rows
of the blown-up rational system; beyond them :class:`FieldTooLargeError` is raised and
callers fall back to certified enclosures.

>>> from exactgeom.numbers import Surd
>>> K = MultiquadraticField.of([Surd(1, 2), Surd(3, 6)])
>>> K.generators, K.degree
((2, 6), 4)
>>> K.from_coords(K.coords(Surd(1, 6) + 1))
SurdSum('1 + 1*sqrt(6)')
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Any

from flint import fmpq, fmpq_mat, fmpz

from ..errors import DegenerateError, UndecidedError
from ..linalg.rational import fmpq_to_fraction
from ..numbers.surd import Surd
from ..numbers.surdsum import SurdSum

__all__ = ["MultiquadraticField", "FieldTooLargeError", "MAX_GENERATORS", "MAX_BLOWN_UP", "radicands_of"]

#: Largest number of independent square classes handled exactly (field degree 2^4 = 16).
MAX_GENERATORS = 4

#: Largest size of the rational system after blowing up by the field degree (N·2^k);
#: beyond it exact field solves and ranks raise :class:`FieldTooLargeError`.
MAX_BLOWN_UP = 2000


class FieldTooLargeError(UndecidedError):
    """The entries need more than :data:`MAX_GENERATORS` independent square roots."""


def radicands_of(values: Iterable[Any]) -> set[int]:
    """The radicands ``d > 1`` occurring in a collection of exact values."""
    out: set[int] = set()
    for v in values:
        if isinstance(v, Surd):
            if v.radicand != 1:
                out.add(v.radicand)
        elif isinstance(v, SurdSum):
            out.update(t.radicand for t in v.terms if t.radicand != 1)
    return out


def _primes(d: int) -> list[int]:
    if d >= 10**30:
        raise FieldTooLargeError(f"radicand {d} is too large to factor for exact field arithmetic")
    ps = []
    for p, e in fmpz(d).factor():
        if int(e) % 2:
            ps.append(int(p))
    return ps


class MultiquadraticField:
    """The field ``Q(√g_1, …, √g_k)`` with elements as coordinate vectors over the
    basis ``(√g_S)`` (S a subset of generators, encoded as a bitmask)."""

    def __init__(self, generators: Sequence[int], gen_primes: Sequence[frozenset[int]]) -> None:
        self.generators = tuple(generators)
        self._gp = tuple(gen_primes)
        self.degree = 1 << len(self.generators)
        self._basis_rad = []
        for S in range(self.degree):
            r = 1
            for i in range(len(self.generators)):
                if S >> i & 1:
                    r *= self.generators[i]
            self._basis_rad.append(r)
        self._cache: dict[int, tuple[int, Fraction]] = {}

    @classmethod
    def of(cls, values: Iterable[Any], *, max_generators: int = MAX_GENERATORS) -> MultiquadraticField:
        """The smallest multiquadratic field containing the given exact values."""
        rads = sorted(radicands_of(values))
        # GF(2) elimination on prime-exponent vectors, as sets of primes
        basis: list[tuple[int, frozenset[int]]] = []  # (pivot prime, prime set)
        gens: list[int] = []
        gp: list[frozenset[int]] = []
        for d in rads:
            v = frozenset(_primes(d))
            for piv, b in basis:
                if piv in v:
                    v = v ^ b
            if v:  # independent of the earlier classes (each basis vector lacks earlier pivots)
                basis.append((min(v), v))
                gens.append(d)
                gp.append(frozenset(_primes(d)))
                if len(gens) > max_generators:
                    raise FieldTooLargeError(
                        f"the entries need more than {max_generators} independent square roots "
                        f"(radicands {rads[:8]}{'…' if len(rads) > 8 else ''}); use certified enclosures"
                    )
        return cls(gens, gp)

    # ------------------------------------------------------------ coordinates
    def _locate(self, d: int) -> tuple[int, Fraction]:
        """(S, c) with √d = c·√g_S."""
        got = self._cache.get(d)
        if got is not None:
            return got
        target = frozenset(_primes(d))
        k = len(self.generators)
        for S in range(self.degree):
            acc: frozenset[int] = frozenset()
            for i in range(k):
                if S >> i & 1:
                    acc = acc ^ self._gp[i]
            if acc == target:
                g = self._basis_rad[S]
                s = math.isqrt(d * g)
                if s * s != d * g:  # pragma: no cover - guarded by the prime check
                    break
                got = (S, Fraction(s, g))
                self._cache[d] = got
                return got
        raise DegenerateError(f"√{d} does not lie in Q(√{', √'.join(map(str, self.generators))})")

    def coords(self, x: Any) -> list[Fraction]:
        """Coordinates of an exact value (int, Fraction, Surd, SurdSum) in the basis."""
        out = [Fraction(0)] * self.degree
        terms: Iterable[Surd]
        if isinstance(x, SurdSum):
            terms = x.terms
        elif isinstance(x, Surd):
            terms = (x,)
        else:
            out[0] = Fraction(x)
            return out
        for t in terms:
            if t.radicand == 1:
                out[0] += t.coeff
            else:
                S, c = self._locate(t.radicand)
                out[S] += c * t.coeff
        return out

    def from_coords(self, v: Sequence[Fraction]) -> Fraction | Surd | SurdSum:
        """The exact value with these coordinates (a Fraction when rational)."""
        terms = [Surd(c, self._basis_rad[S]) for S, c in enumerate(v) if c]
        if not terms:
            return Fraction(0)
        s = SurdSum(terms).simplify()
        if isinstance(s, Surd) and s.radicand == 1:
            return s.coeff
        return s

    def _mul_basis(self, S: int, T: int) -> tuple[int, Fraction]:
        """√g_S · √g_T = c · √g_{S xor T}."""
        common = self._basis_rad[S & T]
        return S ^ T, Fraction(common)

    def mult_matrix(self, x: Any) -> list[list[Fraction]]:
        """The rational matrix of multiplication by ``x`` (columns: images of the basis)."""
        cx = self.coords(x)
        D = self.degree
        M = [[Fraction(0)] * D for _ in range(D)]
        for S, c in enumerate(cx):
            if not c:
                continue
            for T in range(D):
                U, f = self._mul_basis(S, T)
                M[U][T] += c * f
        return M

    # ------------------------------------------------------------ linear algebra
    def _blow_up(self, rows: Sequence[Sequence[Any]]) -> fmpq_mat:
        m = len(rows)
        n = len(rows[0]) if m else 0
        D = self.degree
        if max(m, n) * D > MAX_BLOWN_UP:
            raise FieldTooLargeError(
                f"a {m}x{n} system over a field of degree {D} is a {m * D}x{n * D} rational system, "
                f"above the limit {MAX_BLOWN_UP}; use certified enclosures"
            )
        big = [[fmpq(0)] * (n * D) for _ in range(m * D)]
        for i, r in enumerate(rows):
            for j, x in enumerate(r):
                if x == 0:
                    continue
                M = self.mult_matrix(x)
                for a in range(D):
                    for b in range(D):
                        if M[a][b]:
                            q = M[a][b]
                            big[i * D + a][j * D + b] = fmpq(q.numerator, q.denominator)
        return fmpq_mat(m * D, n * D, [x for r in big for x in r])

    def rank(self, rows: Sequence[Sequence[Any]]) -> int:
        """Exact rank over K of a matrix with entries in K."""
        if not rows or not rows[0]:
            return 0
        return int(self._blow_up(rows).rank()) // self.degree

    def solve(self, rows: Sequence[Sequence[Any]], b: Sequence[Any]) -> tuple[Any, ...]:
        """Exact solution over K of the square nonsingular system ``rows · x = b``."""
        n = len(rows)
        D = self.degree
        A = self._blow_up(rows)
        if A.rank() < n * D:
            raise DegenerateError("the system is singular over its field")
        rhs = []
        for x in b:
            rhs.extend(self.coords(x))
        X = A.solve(fmpq_mat(n * D, 1, [fmpq(q.numerator, q.denominator) for q in rhs]))
        out = []
        for i in range(n):
            out.append(self.from_coords([fmpq_to_fraction(X[i * D + a, 0]) for a in range(D)]))
        return tuple(out)
