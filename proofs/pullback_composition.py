"""Symbolic checks of the pullback composition law for ReLU charts.

Backs :mod:`exactgeom.analysis.forms` (``CellForms.charts``, ``Chart.pullback``,
``CellForms.metric``, ``volume_factor``).  On one activation cell the layer maps are
affine, ``ψ_l(h) = D_l (W_l h + b_l)``, and the charts are ``Φ_l = ψ_l ∘ Φ_{l−1}``,
``Φ_0 = id``.  With ``L_l = D_l W_l``:

1. ``Φ_l(x) = J_l x + c_l`` with ``J_l = L_l J_{l−1}`` and ``c_l = L_l c_{l−1} + D_l b_l``
   (composition of affine maps);
2. pullback of a covector: ``Φ_l^* ω = J_lᵀ ω = J_{l−1}ᵀ (L_lᵀ ω) = Φ_{l−1}^*(ψ_l^* ω)``;
3. pulled-back metric: ``g_l = J_lᵀ J_l = J_{l−1}ᵀ (L_lᵀ L_l) J_{l−1}`` (the metric of
   layer ``l`` pulled back by ``ψ_l``, then by ``Φ_{l−1}``);
4. volume factors: for square maps ``det J_l = det L_l · det J_{l−1}`` (factors
   multiply); for a k-piece with direction basis ``U``, the factor
   ``√(det(UᵀJᵀJU)/det(UᵀU))`` is independent of the basis (``U ↦ U M`` multiplies both
   determinants by ``det(M)²``) and equals the ratio of the image's k-volume to the
   piece's (Cauchy–Binet for the 2×3 case is checked below).

Every identity is checked with fully symbolic entries (sympy), then on a random exact
network against exactgeom's implementation.

Run: ``python proofs/pullback_composition.py`` (exit status 0 on success).
"""

from __future__ import annotations

import random
import sys
from fractions import Fraction
from pathlib import Path

import sympy as sp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from exactgeom.analysis.forms import cell_forms, volume_factor
from exactgeom.numbers import Surd
from exactgeom.partitions.relu import ReLUNetwork, relu_network


def check(label: str, ok: bool) -> None:
    assert ok, f"FAILED: {label}"
    print(f"ok  {label}")


def symmat(name: str, r: int, c: int) -> sp.Matrix:
    return sp.Matrix(r, c, lambda i, j: sp.Symbol(f"{name}{i}{j}", real=True))


def symvec(name: str, r: int) -> sp.Matrix:
    return sp.Matrix(r, 1, lambda i, j: sp.Symbol(f"{name}{i}", real=True))


# ---------------------------------------------------------------- symbolic identities
n, w1, w2 = 2, 3, 2
x = symvec("x", n)
W1, W2 = symmat("a", w1, n), symmat("b", w2, w1)
b1, b2 = symvec("p", w1), symvec("q", w2)
s1 = [sp.Symbol(f"s{k}", real=True) for k in range(w1)]  # pattern bits (0/1), kept symbolic
s2 = [sp.Symbol(f"t{k}", real=True) for k in range(w2)]
D1, D2 = sp.diag(*s1), sp.diag(*s2)

psi1 = lambda h: D1 * (W1 * h + b1)  # noqa: E731
psi2 = lambda h: D2 * (W2 * h + b2)  # noqa: E731
J0, c0 = sp.eye(n), sp.zeros(n, 1)
L1, L2 = D1 * W1, D2 * W2
J1, c1 = L1 * J0, L1 * c0 + D1 * b1
J2, c2 = L2 * J1, L2 * c1 + D2 * b2
check("Φ_1 = ψ_1 ∘ Φ_0 is x ↦ J_1 x + c_1", sp.expand(psi1(x) - (J1 * x + c1)) == sp.zeros(w1, 1))
check("Φ_2 = ψ_2 ∘ Φ_1 is x ↦ J_2 x + c_2", sp.expand(psi2(psi1(x)) - (J2 * x + c2)) == sp.zeros(w2, 1))

omega = symvec("w", w2)
check(
    "pullback composes: J_2ᵀω = J_1ᵀ(L_2ᵀω)",
    sp.expand(J2.T * omega - J1.T * (L2.T * omega)) == sp.zeros(n, 1),
)
# the differential of z_{2,k} = (W_2 h_1 + b_2)_k pulled back is row k of W_2 J_1
z2 = W2 * (J1 * x + c1) + b2
check(
    "d z_{2,k} pulls back to (W_2 J_1)_k",
    all(sp.expand(sp.Matrix([sp.diff(z2[k], xi) for xi in x]).T - (W2 * J1)[k, :]) == sp.zeros(1, n) for k in range(w2)),
)
check(
    "metric composes: J_2ᵀJ_2 = J_1ᵀ(L_2ᵀL_2)J_1",
    sp.expand(J2.T * J2 - J1.T * (L2.T * L2) * J1) == sp.zeros(n, n),
)

A, B = symmat("m", 2, 2), symmat("k", 2, 2)
check("square factors multiply: det(AB) = det A · det B", sp.expand((A * B).det() - A.det() * B.det()) == 0)

J = symmat("j", 3, 2)  # R^2 → R^3, a 2-piece
minors = [J.extract([i, j], [0, 1]).det() for i, j in ((0, 1), (0, 2), (1, 2))]
check("Cauchy–Binet: det(JᵀJ) = Σ (2×2 minors)²", sp.expand((J.T * J).det() - sum(m**2 for m in minors)) == 0)

U = symmat("u", 3, 2)
M = symmat("r", 2, 2)
G = symmat("g", 3, 3)
G = (G + G.T) / 2
lhs = ((U * M).T * G * (U * M)).det() * (U.T * U).det()
rhs = (U.T * G * U).det() * ((U * M).T * (U * M)).det()
check("volume factor is independent of the basis U (U ↦ UM)", sp.expand(lhs - rhs) == 0)

# ---------------------------------------------------------------- exactgeom agrees
def mat_t_vec(Mx, v):
    return tuple(sum((Mx[i][j] * v[i] for i in range(len(Mx))), Fraction(0)) for j in range(len(Mx[0])))


def matmul(P, Q):
    return tuple(tuple(sum((a * Q[k][j] for k, a in enumerate(r)), Fraction(0)) for j in range(len(Q[0]))) for r in P)


rng = random.Random(0)
q = lambda: Fraction(rng.randint(-4, 4), rng.randint(1, 3))  # noqa: E731
sizes = [2, 4, 3, 2]
net = ReLUNetwork(
    [[[q() for _ in range(sizes[l])] for _ in range(sizes[l + 1])] for l in range(3)],
    [[q() for _ in range(sizes[l + 1])] for l in range(3)],
)
part = relu_network(net, None, [(-2, 2), (-2, 2)])
ok = True
for cell in part.cells:
    cf = cell_forms(net, cell.key)
    for l in range(1, len(cf.charts)):
        Ll, dl = cf.layer_map(l)
        prev, cur = cf.charts[l - 1], cf.charts[l]
        om = [q() for _ in range(cur.width)]
        ok &= cur.J == matmul(Ll, prev.J)
        ok &= cur.pullback(om) == prev.pullback(mat_t_vec(Ll, om))
        ok &= cf.metric(l) == matmul(matmul(tuple(zip(*prev.J)), matmul(tuple(zip(*Ll)), Ll)), prev.J)
        if cur.width == 2 and prev.width == 2:
            ok &= volume_factor(cur.J) == volume_factor(Ll) * volume_factor(prev.J)
check(f"exactgeom's charts, pullbacks and metrics compose on all {part.n_cells} cells of a 2-4-3-2 network", ok)
check("exactgeom's volume_factor of diag(2, 3) on direction (1, 1) is √13/√2", volume_factor([[2, 0], [0, 3]], [[1], [1]]) == Surd.sqrt(Fraction(13, 2)))
print("all pullback identities verified")
