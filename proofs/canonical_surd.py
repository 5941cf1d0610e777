"""Symbolic checks behind the canonical form of exact surds.

Backs :func:`exactgeom.numbers.surd.squarefree_decompose`, the radicand algebra of
:class:`exactgeom.numbers.surd.Surd` (``√a·√b = g·√((a/g)(b/g))``, "same direction iff
a·b is a square") and the canonical form of :class:`exactgeom.numbers.surdsum.SurdSum`,
which relies on the theorem (Besicovitch 1940):

    if no ratio d_i/d_j (i ≠ j) is the square of a rational, then √d_1, …, √d_k are
    linearly independent over Q.

A script cannot prove the theorem for all k; it checks instances with sympy,
independently of exactgeom's own arithmetic: the minimal polynomial of
Σ c_i √d_i (all c_i ≠ 0, radicands pairwise independent) is never ``x`` (the sum is
nonzero) and has degree 2^r, r the GF(2)-rank of the radicands' prime-exponent
vectors (the sum is a primitive element of Q(√d_1, …, √d_k)).  It then checks that
exactgeom's canonical sums agree with sympy on which sums vanish.

Run: ``python proofs/canonical_surd.py`` (exit status 0 on success); one line per
verified identity.
"""

from __future__ import annotations

import itertools
import math
import random
import sys
from fractions import Fraction
from pathlib import Path

import sympy as sp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from exactgeom.numbers import Surd, SurdSum, squarefree_decompose

x = sp.Symbol("x")


def gf2_rank(radicands: list[int]) -> int:
    """Rank over GF(2) of the prime-exponent-parity vectors of the radicands."""
    primes = sorted({p for d in radicands for p in sp.factorint(d)})
    rows = [sum(1 << i for i, p in enumerate(primes) if sp.factorint(d).get(p, 0) % 2) for d in radicands]
    rank = 0
    for bit in range(len(primes)):
        pivot = next((r for r in rows if r >> bit & 1), None)
        if pivot is None:
            continue
        rows = [r ^ pivot if (r >> bit & 1) else r for r in rows if r != pivot]
        rank += 1
    return rank


def check(label: str, ok: bool) -> None:
    assert ok, f"FAILED: {label}"
    print(f"ok  {label}")


def main() -> None:
    # 1. the brief's example and a few classic instances
    e = sp.sqrt(2) + sp.sqrt(3) - sp.sqrt(6)
    mp = sp.minimal_polynomial(e, x)
    check(f"minpoly(√2+√3−√6) = {mp}, degree 4, nonzero", sp.degree(mp, x) == 4 and mp != x)

    sets = [
        [1, 2],
        [2, 3],
        [1, 2, 3],
        [1, 2, 3, 6],
        [2, 3, 5],
        [1, 2, 3, 5, 6, 10, 15, 30],
        [6, 10, 15],  # pairwise independent though 6·10·15 is a square
        [1, 6, 10, 15],
        [7, 11, 77, 13],
        [2, 1000003],
    ]
    rng = random.Random(20250802)
    for ds in sets:
        # pairwise independent: no d_i·d_j is a square
        assert all(math.isqrt(a * b) ** 2 != a * b for a, b in itertools.combinations(ds, 2))
        r = gf2_rank(ds)
        for _ in range(3):
            cs = [sp.Rational(rng.choice([-1, 1]) * rng.randint(1, 9), rng.randint(1, 5)) for _ in ds]
            s = sum(c * sp.sqrt(d) for c, d in zip(cs, ds))
            mp = sp.minimal_polynomial(s, x)
            check(
                f"Σ c_i√d_i over {ds} with c = {[str(c) for c in cs]}: minpoly degree "
                f"{sp.degree(mp, x)} = 2^{r}, not x",
                mp != x and sp.degree(mp, x) == 2**r,
            )

    # 2. dependent radicands do cancel (the theorem's hypothesis is needed)
    e = sp.sqrt(8) - 2 * sp.sqrt(2)
    check("√8 − 2√2 = 0 (8/2 is a rational square)", sp.simplify(e) == 0)

    # 3. product rule √a·√b = g·√((a/g)(b/g)), g = gcd(a, b), on non-squarefree radicands
    for a, b in [(12, 18), (8, 8), (50, 98), (45, 20), (7, 28), (1000, 10), (6, 35)]:
        g = math.gcd(a, b)
        lhs = sp.sqrt(a) * sp.sqrt(b)
        rhs = g * sp.sqrt((a // g) * (b // g))
        ours = Surd(1, a) * Surd(1, b)
        sym_ours = sp.Rational(ours.coeff.numerator, ours.coeff.denominator) * sp.sqrt(ours.radicand)
        check(f"√{a}·√{b} = {g}·√{(a // g) * (b // g)} = {ours}", sp.simplify(lhs - rhs) == 0 and sp.simplify(lhs - sym_ours) == 0)

    # 4. same direction: a·b = r² ⇒ √b = (r/a)·√a
    for a, b in [(3, 12), (12, 27), (2, 50), (5, 5), (20, 45)]:
        r = math.isqrt(a * b)
        assert r * r == a * b
        check(f"√{b} = ({r}/{a})·√{a}", sp.simplify(sp.sqrt(b) - sp.Rational(r, a) * sp.sqrt(a)) == 0)
        check(f"Surd(1,{a}) + Surd(1,{b}) is a single surd", isinstance(Surd(1, a) + Surd(1, b), Surd))

    # 5. squarefree_decompose: n = s²d with d squarefree (n < 10^9 samples and a range)
    ns = list(range(1, 2001)) + [rng.randrange(1, 10**9) for _ in range(300)]
    for n in ns:
        s, d = squarefree_decompose(n)
        assert s * s * d == n and all(v == 1 for v in sp.factorint(d).values()), n
    check(f"squarefree_decompose(n) = (s, d), n = s²d, d squarefree, for {len(ns)} n < 10^9", True)
    p = 10**9 + 7
    check(f"squarefree_decompose({p}²·3) = ({p}, 3)", squarefree_decompose(p * p * 3) == (p, 3))

    # 6. exactgeom's canonical sums vanish exactly when sympy's do
    n_checked = 0
    for _ in range(300):
        terms = [
            Surd(Fraction(rng.randint(-4, 4), rng.randint(1, 3)), rng.choice([1, 2, 3, 6, 8, 12, 18, 24, 27, 50]))
            for _ in range(rng.randint(1, 5))
        ]
        ss = SurdSum(terms)
        sym = sp.Add(*(sp.Rational(t.coeff.numerator, t.coeff.denominator) * sp.sqrt(t.radicand) for t in terms))
        assert (len(ss.terms) == 0) == (sp.expand(sym) == 0), (terms, ss)
        sym_ss = sp.Add(*(sp.Rational(t.coeff.numerator, t.coeff.denominator) * sp.sqrt(t.radicand) for t in ss.terms))
        assert sp.expand(sym - sym_ss) == 0
        n_checked += 1
    check(f"SurdSum canonical form equals sympy's value and is empty iff zero ({n_checked} sums)", True)


if __name__ == "__main__":
    main()
