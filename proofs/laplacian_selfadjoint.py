"""Symbolic checks: the Hodge Laplacians are self-adjoint for M_p and positive
semidefinite; the angle metric is positive semidefinite; exactgeom's assembly agrees
with the formulas.

Backs :func:`exactgeom.complex.laplacian.hodge_laplacian`,
:func:`exactgeom.complex.laplacian.symmetric_form` and
:func:`exactgeom.complex.metrics.angle_metric` (spec §3):

    Δ_p = M_p⁻¹ B_{p+1} M_{p+1} B_{p+1}ᵀ + B_pᵀ M_{p−1}⁻¹ B_p M_p          (cochain)
    L_p = B_{p+1} M_{p+1}⁻¹ B_{p+1}ᵀ M_p + M_p⁻¹ B_pᵀ M_{p−1} B_p          (chain)

With diagonal M's of positive symbols on a small complex (a filled triangle with a
pendant edge and a hollow square, so β = (1, 1, 0)), sympy verifies for p = 0, 1, 2:

1. ``M_p Δ_p`` and ``M_p L_p`` are symmetric (identically in the symbols);
2. ``xᵀ M_p Δ_p x = Σ m_{p+1}·((B_{p+1}ᵀx)_σ)² + Σ ((B_p M_p x)_τ)²/m_{p−1}`` and the
   analogous sum of squares for ``L_p`` (so both are PSD when the measures are positive);
3. at random positive rational measures, ``dim ker Δ_p = dim ker L_p = β_p``;
4. exactgeom's exact assembly equals the sympy formulas at those measures;
5. the angle metric: ``xᵀ M_1 x = Σ_i |Σ_{e∋i} x_e A_e|² / (2 vol C_i)`` identically in
   symbolic area vectors, so ``M_1`` is PSD.

Run: ``python proofs/laplacian_selfadjoint.py`` (exit status 0 on success).
"""

from __future__ import annotations

import random
import sys
from fractions import Fraction
from pathlib import Path

import sympy as sp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from exactgeom.complex.homology import betti_numbers, boundary_matrix
from exactgeom.complex.laplacian import hodge_laplacian, symmetric_form
from exactgeom.complex.sparse import ExactMatrix


def check(label: str, ok: bool) -> None:
    assert ok, f"FAILED: {label}"
    print(f"ok  {label}")


# vertices 0..6: triangle 012 filled, pendant edge 23, hollow square 3-4-5-6
S = [
    [(i,) for i in range(7)],
    [(0, 1), (0, 2), (1, 2), (2, 3), (3, 4), (3, 6), (4, 5), (5, 6)],
    [(0, 1, 2)],
]
beta = betti_numbers(S)
check(f"test complex has Betti numbers {beta}", beta == (1, 1, 0))
B = [sp.Matrix(boundary_matrix(S, p).dense()) if boundary_matrix(S, p).shape[0] else sp.zeros(0, len(S[0])) for p in range(3)]
B.append(sp.zeros(len(S[2]), 0))
m = [sp.symbols(f"m{p}_0:{len(S[p])}", positive=True) for p in range(3)]
M = [sp.diag(*ms) for ms in m]
Minv = [sp.diag(*[1 / x for x in ms]) for ms in m]


def delta(p: int, Ms: list, Mi: list) -> sp.Matrix:
    n = len(S[p])
    out = sp.zeros(n, n)
    if p + 1 < 3:
        out += Mi[p] * B[p + 1] * Ms[p + 1] * B[p + 1].T
    if p >= 1:
        out += B[p].T * Mi[p - 1] * B[p] * Ms[p]
    return out


def chain(p: int, Ms: list, Mi: list) -> sp.Matrix:
    n = len(S[p])
    out = sp.zeros(n, n)
    if p + 1 < 3:
        out += B[p + 1] * Mi[p + 1] * B[p + 1].T * Ms[p]
    if p >= 1:
        out += Mi[p] * B[p].T * Ms[p - 1] * B[p]
    return out


for p in range(3):
    n = len(S[p])
    x = sp.Matrix(sp.symbols(f"x0:{n}"))
    D = delta(p, M, Minv)
    Sym = sp.simplify(M[p] * D)
    check(f"p={p}: M_p Δ_p is symmetric", sp.simplify(Sym - Sym.T) == sp.zeros(n, n))
    q = (x.T * M[p] * D * x)[0]
    sos = 0
    if p + 1 < 3:
        y = B[p + 1].T * x
        sos += sum(m[p + 1][k] * y[k] ** 2 for k in range(len(S[p + 1])))
    if p >= 1:
        z = B[p] * M[p] * x
        sos += sum(z[k] ** 2 / m[p - 1][k] for k in range(len(S[p - 1])))
    check(f"p={p}: xᵀ M_p Δ_p x is a sum of squares with positive weights", sp.simplify(q - sos) == 0)
    Lc = chain(p, M, Minv)
    SymL = sp.simplify(M[p] * Lc)
    check(f"p={p}: M_p L_p is symmetric", sp.simplify(SymL - SymL.T) == sp.zeros(n, n))
    qL = (x.T * M[p] * Lc * x)[0]
    sosL = 0
    if p + 1 < 3:
        y = B[p + 1].T * M[p] * x
        sosL += sum(y[k] ** 2 / m[p + 1][k] for k in range(len(S[p + 1])))
    if p >= 1:
        z = B[p] * x
        sosL += sum(m[p - 1][k] * z[k] ** 2 for k in range(len(S[p - 1])))
    check(f"p={p}: xᵀ M_p L_p x is a sum of squares with positive weights", sp.simplify(qL - sosL) == 0)

rng = random.Random(2024)
for trial in range(3):
    vals = [[Fraction(rng.randint(1, 9), rng.randint(1, 5)) for _ in S[p]] for p in range(3)]
    sub = {m[p][k]: sp.Rational(v.numerator, v.denominator) for p in range(3) for k, v in enumerate(vals[p])}
    Ex = [ExactMatrix.diagonal(v) for v in vals]
    Bx = [boundary_matrix(S, p) for p in range(4)]
    for p in range(3):
        D = delta(p, M, Minv).subs(sub)
        Lc = chain(p, M, Minv).subs(sub)
        args = (Bx[p], Bx[p + 1], Ex[p - 1] if p else None, Ex[p], Ex[p + 1] if p < 2 else None)
        mine = hodge_laplacian(*args, form="cochain")
        mine_c = hodge_laplacian(*args, form="chain")
        assert sp.Matrix(mine.dense()) == D and sp.Matrix(mine_c.dense()) == Lc
        assert sp.Matrix(symmetric_form(*args, form="cochain").dense()) == M[p].subs(sub) * D
        assert len(S[p]) - D.rank() == beta[p] and len(S[p]) - Lc.rank() == beta[p]
    check(f"trial {trial}: exactgeom's Δ_p, L_p equal the formulas; dim ker = β_p for p = 0, 1, 2", True)

# angle metric: M_1 = Σ_i G_i / (2 vol C_i) is a sum of Gram matrices
edges = S[1]
A = [sp.Matrix(sp.symbols(f"a{e}_0:2")) for e in range(len(edges))]
vol = sp.symbols("v0:7", positive=True)
M1 = sp.zeros(len(edges), len(edges))
for i in range(7):
    at = [e for e, ed in enumerate(edges) if i in ed]
    for a in at:
        for b in at:
            M1[a, b] += (A[a].T * A[b])[0] / (2 * vol[i])
x = sp.Matrix(sp.symbols(f"x0:{len(edges)}"))
sos = 0
for i in range(7):
    at = [e for e, ed in enumerate(edges) if i in ed]
    if at:
        w = sum((x[e] * A[e] for e in at), sp.zeros(2, 1))
        sos += (w.T * w)[0] / (2 * vol[i])
check("angle metric: xᵀ M_1 x = Σ_i |Σ_e x_e A_e|² / (2 vol C_i) (PSD)", sp.expand((x.T * M1 * x)[0] - sos) == 0)
