"""Symbolic checks behind the Brion–Lawrence volume formula used by exactgeom.

Backs :func:`exactgeom.polytope.volume.lawrence_volume` (``Polytope.volume(method=
"lawrence")``, the default fast path for simple polytopes) and
:func:`exactgeom.polytope.volume.lawrence_centroid` (``Polytope.centroid``).

For a generic linear form ``c`` Brion's theorem gives ``∫_P e^{c·x} dx = Σ_v ∫_{v+K_v}
e^{c·x} dx``. A simplicial cone ``v + cone(r_1..r_d)`` contributes ``e^{c·v} |det R| /
Π_j (−c·r_j)``; the coefficient of ``t^0`` after ``c → t c`` is the volume:

    vol(P) = (1/d!) Σ_v (c·v)^d |det R_v| / Π_j (−c·r_{v,j}),

and the coefficients of ``t^{k−d}``, ``k < d``, vanish: ``Σ_v (c·v)^k |det R_v| /
Π_j(−c·r_{v,j}) = 0``, which is why a translation of ``P`` (a shift of every ``c·v``)
leaves the sum unchanged. Checks:

1. the simplicial-cone integral in 1-D and 2-D (symbolic, convergent region);
2. for a d-simplex (d = 1..5) with symbolic ``t_v = c·v``: every vertex cone has the same
   ``|det R|`` and ``Π_j(−c·r_{v,j}) = Π_{u≠v} (t_v − t_u)``, so the formula reduces to
   ``Σ_v t_v^k / Π_{u≠v} (t_v − t_u) = [k = d]`` for ``k <= d`` — checked as a rational
   function identity; the next power gives ``Σ_v t_v``, the first moment
   ``∫ c·x = vol · c·(mean of the vertices)`` the centroid formula needs;
3. at a simple vertex with tight rows ``A_v`` (rays ``−A_v^{-1} e_j``) and
   ``c = A_vᵀ γ``: ``−c·r_j = γ_j``, ``|det R_v| = 1/|det A_v|``, ``c·v = γ·b_v`` — the form
   exactgeom evaluates (symbolic 2×2 and 3×3);
4. exactgeom agrees on concrete polytopes (simple and not).

Run: ``python proofs/lawrence_volume.py`` (exit status 0 on success).
"""

from __future__ import annotations

import sys
from fractions import Fraction
from math import factorial
from pathlib import Path

import sympy as sp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from exactgeom import Polytope
from exactgeom.examples import cross_polytope, cube
from exactgeom.polytope.volume import lawrence_centroid, lawrence_volume


def check(label: str, ok: bool) -> None:
    assert ok, f"FAILED: {label}"
    print(f"ok  {label}")


def main() -> None:
    # 1. simplicial cone integrals where they converge (c·r_j < 0)
    x, y, v = sp.symbols("x y v", real=True)
    r = sp.symbols("r", positive=True)
    lam = sp.symbols("lam", positive=True)
    one_d = sp.integrate(r * sp.exp(-lam * (v + r * x)), (x, 0, sp.oo))  # dy = r dx
    check("1-D: ∫_{v+R+ r} e^{c x} = e^{c v}·r/(−c r) for c = −λ < 0", sp.simplify(one_d - sp.exp(-lam * v) * r / (lam * r)) == 0)
    l1, l2 = sp.symbols("l1 l2", positive=True)
    # cone spanned by r1 = (1, 0), r2 = (1, 1) with c = (−l1, −l2): −c·r1 = l1, −c·r2 = l1 + l2
    integrand = sp.exp(-l1 * (x + y) - l2 * y)  # x-coordinate s + t, y-coordinate t
    two_d = sp.integrate(sp.integrate(integrand, (x, 0, sp.oo)), (y, 0, sp.oo))
    check("2-D: ∫_{cone(r1,r2)} e^{c·x} = |det R| / Π(−c·r_j)", sp.simplify(two_d - 1 / (l1 * (l1 + l2))) == 0)

    # 2. the simplex identity Σ_v t_v^k / Π_{u≠v}(t_v − t_u) = [k = d]
    for d in range(1, 6):
        t = sp.symbols(f"t0:{d + 1}")
        ok = True
        for k in range(d + 1):
            s = sum(t[i] ** k / sp.prod([t[i] - t[j] for j in range(d + 1) if j != i]) for i in range(d + 1))
            ok = ok and sp.cancel(sp.together(s)) == (1 if k == d else 0)
        check(f"d = {d}: Σ_v t_v^k / Π_(u≠v)(t_v − t_u) = [k = {d}] for k = 0..{d} (volume term and vanishing lower terms)", ok)
        s1 = sum(t[i] ** (d + 1) / sp.prod([t[i] - t[j] for j in range(d + 1) if j != i]) for i in range(d + 1))
        check(
            f"d = {d}: Σ_v t_v^(d+1) / Π_(u≠v)(t_v − t_u) = Σ_v t_v, i.e. ∫ c·x = vol·c·(mean of the vertices) (first moment)",
            sp.cancel(sp.together(s1)) == sp.expand(sum(t)),
        )

    # 3. the simple-vertex form
    for d in (2, 3):
        A = sp.Matrix(d, d, sp.symbols(f"a0:{d * d}", real=True))
        bsym = sp.Matrix(sp.symbols(f"b0:{d}", real=True))
        g = sp.Matrix(sp.symbols(f"g0:{d}", real=True))
        c = A.T * g
        vtx = A.inv() * bsym
        R = -A.inv()  # columns: rays
        ok = all(sp.simplify(-c.dot(R[:, j]) - g[j]) == 0 for j in range(d))
        ok = ok and sp.simplify(c.dot(vtx) - g.dot(bsym)) == 0
        ok = ok and sp.simplify(R.det() * A.det() - (-1) ** d) == 0
        check(f"{d}×{d}: with c = A_vᵀγ, −c·r_j = γ_j, c·v = γ·b_v and |det R_v| = 1/|det A_v|", ok)

    # 4. exactgeom
    for d in range(1, 6):
        check(f"lawrence_volume(cube({d})) = 1", lawrence_volume(cube(d)) == 1)
    for d in range(2, 6):
        X = cross_polytope(d)
        check(f"lawrence_volume(cross_polytope({d})) = 2^{d}/{d}! (non-simple vertices for d >= 3)", lawrence_volume(X) == Fraction(2**d, factorial(d)))
    P = Polytope.from_hrep([[1, 2], [-3, 1], [1, -4], [-1, -1]], [4, 5, 3, 2])
    check("lawrence_volume = triangulation volume on a random quadrilateral", lawrence_volume(P) == P.volume("triangulation"))
    Q = P.translate(["1/3", "-7/2"])
    check("translation invariance (vanishing lower-degree terms)", lawrence_volume(Q) == lawrence_volume(P))
    check("independent of the generic objective (seed)", lawrence_volume(P, seed=1) == lawrence_volume(P, seed=7))
    for Q in (P, cross_polytope(3), Polytope.from_vrep([[0, 0, 0], [3, 1, 0], [1, 4, 1], ["1/2", 1, 3]])):
        check(
            f"lawrence_centroid = triangulation centroid = {tuple(str(x) for x in Q.centroid('triangulation'))}",
            lawrence_centroid(Q) == Q.centroid("triangulation"),
        )


if __name__ == "__main__":
    main()
