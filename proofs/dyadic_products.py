"""Symbolic checks behind the exact dyadic eigenvalue certificate.

Backs :mod:`exactgeom.linalg.float_dyadic` and ``dyadic_clusters`` in
:mod:`exactgeom.linalg.symmetric_dyadic`:

1. **Exact float products.** Digits are integers with ``|D| ≤ 2^(β−1)``; a product of
   two is at most ``2^(2β−2)``, and a sum of ``k`` such products (every partial sum of a
   dot product, in any order, fused or not) at most ``k·2^(2β−2)``.  Every integer of
   magnitude ``≤ 2^53`` is a double, so with ``k·2^(2β−2) ≤ 2^52`` no operation rounds.
   Checked: ``digit_bits(k)`` satisfies this and is the widest such ``β``, for every
   ``k`` up to 2^20 at the boundaries ``2^j``, ``2^j ± 1``.
2. **Balanced digits.** ``d = ((t + h) mod 2^β) − h`` with ``h = 2^(β−1)`` satisfies
   ``d ≡ t (mod 2^β)`` and ``−h ≤ d < h``, so ``t = d + 2^β·c`` with an integer carry
   ``c``; checked for every ``t`` in a window and every ``β ≤ 8``.
3. **Tail bound.** ``Σ_{m<t} 2^(β−1)·2^(βm) < 2^(βt)`` for all ``β ≥ 1``, ``t ≥ 1``:
   the difference is ``(2^(βt)(2^(β−1) − 1) + 2^(β−1)) / (2^β − 1) > 0`` (sympy).
   Hence dropping the digits below level ``t`` moves a value by less than ``2^(βt)``,
   and ``|value| ≤ (|H| + 1)·2^(βt)`` from its leading digits ``H``.
4. **Perturbation split.** With ``B = XᵀT``:
   ``XᵀAX − diag(B) = (B − diag(B)) + Xᵀ(ÃX − T) + Xᵀ(A − Ã)X`` identically, so
   ``‖XᵀAX − diag(B)‖₂ ≤ ‖B − diag(B)‖₂ + ‖X‖₂‖ÃX − T‖₂ + ‖X‖₂²‖A − Ã‖₂`` (sympy, generic
   3×3 symbols), the Weyl radius used by the certificate.
5. **Quadratic residual radius** (``radii``).  For symmetric ``B = [[μ, cᵀ], [c, C]]``
   and ``η = dist(μ, spec C) > 0``, ``λ`` outside ``spec C`` is an eigenvalue iff the
   secular function ``g(λ) = λ − μ − cᵀ(λI − C)⁻¹c`` vanishes (Schur complement: checked
   symbolically as ``det(λI − B) = det(λI − C)·g(λ)`` for a generic 3×3 ``B``).  On
   ``|λ − μ| ≤ ρ < η``, ``|cᵀ(λI − C)⁻¹c| ≤ ‖c‖²/(η − ρ)``, so ``g(μ + ρ) ≥ 0 ≥ g(μ − ρ)``
   when ``ρ(η − ρ) ≥ ‖c‖²``; with ``ρ = 2‖c‖²/η`` and ``2‖c‖ ≤ η`` this holds and ``ρ ≤ η/2``
   (sympy), so an eigenvalue lies within ``2‖c‖²/η`` of ``μ``.
6. **Norm bound.** ``‖M‖₂² ≤ ‖M‖₁‖M‖∞`` (Hölder), checked on random integer matrices
   against the exact largest eigenvalue of ``MᵀM`` (sympy), and ``‖E‖₂ ≤ n·max|E_ij|``.

Run: ``python proofs/dyadic_products.py`` (exit status 0 on success); one line per
verified identity.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import sympy as sp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from exactgeom.linalg.float_dyadic import digit_bits


def check(label: str, ok: bool) -> None:
    assert ok, f"FAILED: {label}"
    print(f"ok  {label}")


# 1. exact float products
ks = sorted({k for j in range(21) for k in (2**j - 1, 2**j, 2**j + 1) if k >= 1})
check(
    "digit_bits(k) is the widest beta with k*2^(2beta-2) <= 2^52 (k up to 2^20)",
    all(k * 2 ** (2 * digit_bits(k) - 2) <= 2**52 < k * 2 ** (2 * digit_bits(k)) for k in ks),
)
check("every integer of magnitude <= 2^53 is a double", float(2**53) == 2**53 and float(2**53 - 1) == 2**53 - 1)

# 2. balanced digits
ok = True
for beta in range(1, 9):
    h, mask = 1 << (beta - 1), (1 << beta) - 1
    for t in range(-(1 << 12), 1 << 12):
        d = ((t + h) & mask) - h
        ok &= (t - d) % (1 << beta) == 0 and -h <= d < h
check("balanced digit: d = t mod 2^beta, -2^(beta-1) <= d < 2^(beta-1)", ok)

# 3. tail bound
b, t, m = sp.symbols("beta t m", integer=True, positive=True)
tail = sp.summation(2 ** (b - 1) * 2 ** (b * m), (m, 0, t - 1))
diff = sp.simplify(2 ** (b * t) - tail)
closed = (2 ** (b * t) * (2 ** (b - 1) - 1) + 2 ** (b - 1)) / (2**b - 1)
check("2^(bt) - sum_{m<t} 2^(b-1) 2^(bm) = (2^(bt)(2^(b-1)-1) + 2^(b-1))/(2^b-1)", sp.simplify(diff - closed) == 0)
u, v = sp.symbols("u v", positive=True)  # u = 2^beta >= 2, v = 2^(beta t) >= 1
num = sp.expand((v * (u / 2 - 1) + u / 2).subs({u: u + 2, v: v + 1}))
check("the tail difference is positive (numerator polynomial has nonnegative coefficients, constant > 0)",
      all(c >= 0 for c in sp.Poly(num, u, v).coeffs()) and num.subs({u: 0, v: 0}) > 0)

# 4. perturbation split
n = 3
X = sp.Matrix(n, n, lambda i, j: sp.Symbol(f"x{i}{j}"))
A = sp.Matrix(n, n, lambda i, j: sp.Symbol(f"a{min(i, j)}{max(i, j)}"))
At = sp.Matrix(n, n, lambda i, j: sp.Symbol(f"r{min(i, j)}{max(i, j)}"))
T = sp.Matrix(n, n, lambda i, j: sp.Symbol(f"t{i}{j}"))
B = X.T * T
dB = sp.diag(*[B[i, i] for i in range(n)])
lhs = X.T * A * X - dB
rhs = (B - dB) + X.T * (At * X - T) + X.T * (A - At) * X
check("X^T A X - diag(X^T T) = (B - diag B) + X^T (Ã X - T) + X^T (A - Ã) X", sp.expand(lhs - rhs) == sp.zeros(n, n))

# 5. quadratic residual radius
lam = sp.Symbol("lambda")
mu, c1, c2 = sp.symbols("mu c1 c2")
C = sp.Matrix([[sp.Symbol("p"), sp.Symbol("q")], [sp.Symbol("q"), sp.Symbol("s")]])
cvec = sp.Matrix([c1, c2])
Bm = sp.Matrix(sp.BlockMatrix([[sp.Matrix([[mu]]), cvec.T], [cvec, C]]))
g = lam - mu - (cvec.T * (lam * sp.eye(2) - C).inv() * cvec)[0, 0]
check("det(lambda I - B) = det(lambda I - C) * g(lambda) (Schur complement, generic 3x3)",
      sp.simplify((lam * sp.eye(3) - Bm).det() - (lam * sp.eye(2) - C).det() * g) == 0)
cn, et = sp.symbols("c eta", positive=True)
rho = 2 * cn**2 / et
slack = sp.factor(rho * (et - rho) - cn**2)
check("rho = 2c^2/eta: rho(eta - rho) - c^2 = c^2 (eta^2 - 4c^2)/eta^2 >= 0 when 2c <= eta",
      sp.simplify(slack - cn**2 * (et**2 - 4 * cn**2) / et**2) == 0)
check("rho = 2c^2/eta <= eta/2 when 2c <= eta", sp.simplify(et / 2 - rho - (et**2 - 4 * cn**2) / (2 * et)) == 0)

# 6. norm bound
rng = random.Random(5)
ok = True
for _ in range(30):
    r, c = rng.randint(1, 4), rng.randint(1, 4)
    M = sp.Matrix(r, c, lambda i, j: rng.randint(-9, 9))
    top = max([sp.re(sp.N(e, 50)) for e in (M.T * M).eigenvals()] + [0])
    one = max(sum(abs(M[i, j]) for i in range(r)) for j in range(c))
    inf = max(sum(abs(M[i, j]) for j in range(c)) for i in range(r))
    mx = max(abs(x) for x in M)
    ok &= top <= one * inf + sp.Rational(1, 10**40) and top <= (max(r, c) * mx) ** 2 + sp.Rational(1, 10**40)
check("||M||_2^2 <= ||M||_1 ||M||_inf and ||M||_2 <= n max|M_ij| on 30 random matrices", ok)
