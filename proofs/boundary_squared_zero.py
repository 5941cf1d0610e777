"""Symbolic check of ∂∘∂ = 0 for the oriented boundary of exactgeom's complexes.

Backs :func:`exactgeom.complex.homology.boundary_matrix` (and through it
``RiemannianComplex.boundary`` and every Betti number). With simplices as sorted tuples
and ``∂[v_0…v_p] = Σ_k (−1)^k [v_0…v̂_k…v_p]``:

1. the general identity: in ``∂∂[v_0…v_p]`` the face missing ``v_j`` and ``v_k``
   (``j < k``) appears twice, with coefficients ``(−1)^k (−1)^j`` (remove k, then j) and
   ``(−1)^j (−1)^(k−1)`` (remove j, then k, whose position has dropped by one); sympy
   shows the sum is 0 for symbolic integers j, k;
2. instances: for the full simplex on up to 7 vertices, sympy builds every boundary
   matrix from the formula and checks ``B_p B_{p+1} = 0`` and that exactgeom's matrices
   are the same;
3. exactgeom's boundary matrices of the facet and nerve complexes of a few partitions
   satisfy ``B_p B_{p+1} = 0`` in sympy's exact integer arithmetic.

Run: ``python proofs/boundary_squared_zero.py`` (exit status 0 on success).
"""

from __future__ import annotations

import sys
from itertools import combinations
from pathlib import Path

import sympy as sp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from exactgeom.complex import RiemannianComplex
from exactgeom.complex.homology import boundary_matrix
from exactgeom.partitions.arrangement import arrangement


def check(label: str, ok: bool) -> None:
    assert ok, f"FAILED: {label}"
    print(f"ok  {label}")


j, k = sp.symbols("j k", integer=True)
check("(−1)^(j+k) + (−1)^(j+k−1) = 0 for integers j, k", sp.simplify((-1) ** (j + k) + (-1) ** (j + k - 1)) == 0)


def sympy_boundary(rows: list[tuple[int, ...]], cols: list[tuple[int, ...]]) -> sp.Matrix:
    index = {s: i for i, s in enumerate(rows)}
    B = sp.zeros(len(rows), len(cols))
    for c, s in enumerate(cols):
        for t in range(len(s)):
            B[index[s[:t] + s[t + 1 :]], c] += (-1) ** t
    return B


for nv in range(2, 8):
    S = [list(combinations(range(nv), p + 1)) for p in range(nv)]
    for p in range(1, nv - 1):
        B1 = sympy_boundary(S[p - 1], S[p])
        B2 = sympy_boundary(S[p], S[p + 1])
        assert B1 * B2 == sp.zeros(B1.rows, B2.cols)
        assert sp.Matrix(boundary_matrix(S, p).dense()) == B1
    check(f"full simplex on {nv} vertices: B_p B_(p+1) = 0 and exactgeom's B_p match", True)

PARTS = {
    "two crossing lines": arrangement([[1, 0], [0, 1]], [0, 0], [(-1, 1), (-1, 1)]),
    "three concurrent lines": arrangement([[1, 0], [0, 1], [1, 1]], [0, 0, 0], [(-1, 1), (-1, 1)]),
    "three planes": arrangement([[1, 0, 0], [0, 1, 0], [1, 1, 1]], [0, 0, 0], [(-1, 1)] * 3),
}
for name, P in PARTS.items():
    for conv in ("facet", "nerve"):
        K = RiemannianComplex.from_partition(P, convention=conv)
        for p in range(1, K.dim + 1):
            B1 = sp.Matrix(K.boundary(p).dense()) if K.boundary(p).shape[0] else None
            B2 = K.boundary(p + 1)
            if B1 is None or B2.shape[1] == 0:
                continue
            assert B1 * sp.Matrix(B2.dense()) == sp.zeros(B1.rows, B2.shape[1])
        check(f"{name}, {conv}: f-vector {K.f_vector()}, B_p B_(p+1) = 0", True)
