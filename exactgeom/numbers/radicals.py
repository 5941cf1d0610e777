r"""Integer radicands: ``n = s²·d`` decompositions, products and directions.

Pure integer helpers behind :class:`~exactgeom.numbers.Surd` and
:class:`~exactgeom.numbers.SurdSum` (no surd objects here).

Radicand reduction policy
-------------------------
:func:`squarefree_decompose` writes ``n = s²·d``.  It trial-divides ``n`` by every
prime below ``2**14``; the cofactor ``m`` left over (all of whose prime factors
are ≥ 2**14) is then

* absorbed into ``s`` if it is a perfect square;
* otherwise, if ``m < 10**18``, factored completely (``flint.fmpz.factor``), so
  ``d`` is squarefree;
* otherwise left in ``d`` as it is.  ``m`` may then hide a square factor ``P²``
  of a prime ``P > 2**14`` (astronomically rare for the inputs exactgeom sees,
  but possible).

Because of that last case **no algebra here assumes that radicands are
squarefree**.  Two radicands ``a`` and ``b`` point in "the same direction" iff
``a·b`` is a perfect square (then ``√b = (√(ab)/a)·√a``, :func:`direction`),
checked with :func:`math.isqrt`; and ``√a·√b = g·√((a/g)(b/g))`` with
``g = gcd(a, b)``, the cofactor being reduced again (:func:`mul_radicands`).  Every
reduced radicand below ``10**18`` is squarefree, and a reduced radicand ``d > 1`` is
never a perfect square, so a surd is rational iff its radicand is 1.

>>> squarefree_decompose(12), mul_radicands(6, 10), direction(2, 8)
((2, 3), (2, 15), Fraction(2, 1))
"""

from __future__ import annotations

import math
import numbers
from fractions import Fraction
from functools import lru_cache

from flint import fmpz

from ..errors import InvalidInputError

__all__ = ["squarefree_decompose", "decompose", "mul_radicands", "direction", "TRIAL_BOUND", "FACTOR_BOUND"]

#: Trial division bound of :func:`squarefree_decompose` (all primes below it).
TRIAL_BOUND = 1 << 14
#: Cofactors below this bound are factored completely.
FACTOR_BOUND = 10**18


def _primes_below(n: int) -> tuple[int, ...]:
    sieve = bytearray([1]) * n
    sieve[0:2] = b"\x00\x00"
    for p in range(2, math.isqrt(n - 1) + 1):
        if sieve[p]:
            sieve[p * p :: p] = bytearray(len(range(p * p, n, p)))
    return tuple(i for i in range(n) if sieve[i])


_SMALL_PRIMES = _primes_below(TRIAL_BOUND)
#: The product of the trial primes: one gcd finds which of them divide a number.
_SMALL_PRIMORIAL = math.prod(_SMALL_PRIMES)


@lru_cache(maxsize=1 << 16)
def decompose(n: int) -> tuple[int, int]:
    """:func:`squarefree_decompose` for a trusted positive int (no checks; cached).

    >>> decompose(72)
    (6, 2)
    """
    s, d, m = 1, 1, n
    g = math.gcd(m, _SMALL_PRIMORIAL)  # the product of the trial primes dividing n
    for p in _SMALL_PRIMES:
        if p > g:
            break
        if g % p == 0:
            e = 0
            while m % p == 0:
                m //= p
                e += 1
            s *= p ** (e // 2)
            if e & 1:
                d *= p
    if m > 1:
        r = math.isqrt(m)
        if r * r == m:
            s *= r
        elif m < FACTOR_BOUND:
            for q, e in fmpz(m).factor():
                q_, e_ = int(q), int(e)
                s *= q_ ** (e_ // 2)
                if e_ & 1:
                    d *= q_
        else:
            d *= m
    return s, d


def squarefree_decompose(n: int) -> tuple[int, int]:
    """Write ``n = s²·d`` with ``d`` squarefree-reduced (see the module's policy).

    Parameters
    ----------
    n
        A non-negative integer.

    Returns
    -------
    (s, d)
        ``s ≥ 0`` and ``d ≥ 1`` with ``n == s*s*d``.  ``d`` is squarefree whenever
        ``d < 10**18``; larger ``d`` may keep the square of a prime above ``2**14``.
        ``d == 1`` iff ``n`` is a perfect square.  ``n = 0`` gives ``(0, 1)``.

    Raises
    ------
    InvalidInputError
        ``n`` is negative or not an integer.

    Examples
    --------
    >>> squarefree_decompose(72)
    (6, 2)
    >>> squarefree_decompose((10**9 + 7) ** 2 * 3)
    (1000000007, 3)
    >>> squarefree_decompose(0), squarefree_decompose(1)
    ((0, 1), (1, 1))
    """
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise InvalidInputError(f"squarefree_decompose needs a non-negative int, got {n!r}")
    n = int(n)
    if n < 0:
        raise InvalidInputError(f"squarefree_decompose needs a non-negative int, got {n}")
    if n == 0:
        return 0, 1
    return decompose(n)


def mul_radicands(a: int, b: int) -> tuple[int, int]:
    """``√a·√b = s·√d`` with d reduced (a, b positive, not assumed squarefree).

    >>> mul_radicands(2, 8), mul_radicands(3, 3), mul_radicands(1, 7)
    ((4, 1), (3, 1), (1, 7))
    """
    if a == 1:
        return 1, b
    if b == 1:
        return 1, a
    if a == b:
        return a, 1
    g = math.gcd(a, b)
    s, d = decompose((a // g) * (b // g))
    return g * s, d


def direction(a: int, b: int) -> Fraction | None:
    """``k`` with ``√b = k·√a`` if ``a·b`` is a perfect square, else None.

    >>> direction(3, 12), direction(2, 3)
    (Fraction(2, 1), None)
    """
    if a == b:
        return Fraction(1)
    ab = a * b
    r = math.isqrt(ab)
    if r * r == ab:
        return Fraction(r, a)
    return None
