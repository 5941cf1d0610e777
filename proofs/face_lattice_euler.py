"""Euler's relation for the f-vectors exactgeom computes, checked in closed form.

Backs :meth:`exactgeom.Polytope.f_vector` / :meth:`exactgeom.Polytope.face_lattice`
(whose property tests assert ``Σ_{k=0}^{d-1} (−1)^k f_k = 1 − (−1)^d`` on random
polytopes). Here the closed-form f-vectors of three families are summed symbolically
for a symbolic dimension d, and compared with exactgeom's face lattices for d = 1..6:

* d-cube: ``f_k = 2^{d−k} C(d, k)``; the alternating sum over all k <= d is
  ``(2 − 1)^d = 1`` (binomial theorem), and the k = d term is ``(−1)^d``;
* d-simplex: ``f_k = C(d+1, k+1)``; ``Σ_{k=−1}^{d} (−1)^k C(d+1, k+1) = −(1 − 1)^{d+1} = 0``;
* d-cross-polytope: ``f_k = 2^{k+1} C(d, k+1)``; ``Σ_{j=0}^{d} (−2)^j C(d, j) = (−1)^d`` (binomial
  theorem, checked as a polynomial identity up to d = 40).

Run: ``python proofs/face_lattice_euler.py`` (exit status 0 on success).
"""

from __future__ import annotations

import sys
from math import comb
from pathlib import Path

import sympy as sp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from exactgeom.examples import cross_polytope, cube, simplex


def check(label: str, ok: bool) -> None:
    assert ok, f"FAILED: {label}"
    print(f"ok  {label}")


def main() -> None:
    d, k = sp.symbols("d k", integer=True, positive=True)
    target = 1 - (-1) ** d
    cube_sum = sp.summation((-1) ** k * 2 ** (d - k) * sp.binomial(d, k), (k, 0, d)) - (-1) ** d
    check("cube: Σ_{k<d} (−1)^k 2^{d−k} C(d,k) = 1 − (−1)^d", sp.simplify(cube_sum - target) == 0)
    simp_sum = sp.summation((-1) ** k * sp.binomial(d + 1, k + 1), (k, 0, d)) - (-1) ** d
    check("simplex: Σ_{k<d} (−1)^k C(d+1,k+1) = 1 − (−1)^d", sp.simplify(simp_sum - target) == 0)
    # cross-polytope: with j = k + 1 the sum is −Σ_{j=1}^{d} (−2)^j C(d, j) = −((1 − 2)^d − 1);
    # sympy's summation cannot close it for symbolic d, so check the generating function
    # Σ_j C(n, j) x^j = (1 + x)^n as a polynomial identity for n <= 40, then evaluate at x = −2
    x = sp.symbols("x")
    ok = all(sp.expand(sum(sp.binomial(n, j) * x**j for j in range(n + 1)) - (1 + x) ** n) == 0 for n in range(1, 41))
    check("binomial theorem Σ_j C(n,j) x^j = (1+x)^n for n = 1..40", ok)
    ok = all(sum((-1) ** kk * 2 ** (kk + 1) * comb(n, kk + 1) for kk in range(n)) == 1 - (-1) ** n for n in range(1, 41))
    check("cross-polytope: Σ_{k<d} (−1)^k 2^{k+1} C(d,k+1) = −((−1)^d − 1) = 1 − (−1)^d for d = 1..40", ok)
    for n in range(1, 7):
        fc = cube(n).f_vector()
        fs = simplex(n).f_vector()
        fx = cross_polytope(n).f_vector()
        ok = fc == tuple(2 ** (n - j) * comb(n, j) for j in range(n))
        ok = ok and fs == tuple(comb(n + 1, j + 1) for j in range(n))
        ok = ok and fx == tuple(2 ** (j + 1) * comb(n, j + 1) for j in range(n))
        ok = ok and all(sum((-1) ** j * f for j, f in enumerate(fv)) == 1 - (-1) ** n for fv in (fc, fs, fx))
        check(f"d = {n}: exactgeom's f-vectors of cube {fc}, simplex {fs}, cross-polytope {fx} match and satisfy Euler", ok)


if __name__ == "__main__":
    main()
