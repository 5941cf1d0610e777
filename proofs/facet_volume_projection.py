"""Symbolic checks behind exactgeom's exact facet volumes and its facet-cone volume.

Backs :meth:`exactgeom.Polytope.facet_volume`, :meth:`exactgeom.Polytope.facet_area_vector`
(through ``Polytope._face_volume``) and :func:`exactgeom.polytope.volume.lasserre_volume`.

1. **Facet volume via projection.** A piece F of the hyperplane ``a·x = b`` with
   ``a_j ≠ 0`` is the graph of ``x_j = (b − Σ_{k≠j} a_k x_k)/a_j`` over its projection
   ``π_j F`` (drop coordinate j). The graph map has Jacobian ``J`` with
   ``det(JᵀJ) = 1 + Σ_{k≠j} (a_k/a_j)² = ‖a‖²/a_j²``, so

       vol_{n−1}(F) = vol_{n−1}(π_j F) · ‖a‖ / |a_j|.

   Checked: the Gram identity symbolically for n = 2..5; the 2-D statement on a general
   segment; the 3-D statement on a general triangle (cross product of the lifted edges).
2. **Area vectors are rational.** ``vol(F)·a/‖a‖ = vol(π_j F)·a/|a_j|``: no square root.
3. **Facet-cone (Lasserre) decomposition** on a symbolic simplex in 2-D and 3-D:
   ``vol(S) = (1/n) Σ_F h_F vol_{n−1}(F)`` with ``h_F = (b_F − a_F·x0)/‖a_F‖`` for any
   point ``x0``, and its rational form ``h_F vol(F) = (b_F − a_F·x0)/|a_{F,j}| ·
   vol(π_j F)`` — the recursion lasserre_volume runs.
4. exactgeom agrees with the formulas on concrete polytopes.

Run: ``python proofs/facet_volume_projection.py`` (exit status 0 on success).
"""

from __future__ import annotations

import sys
from fractions import Fraction
from pathlib import Path

import sympy as sp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from exactgeom import Polytope, Surd
from exactgeom.polytope.volume import lasserre_volume


def check(label: str, ok: bool) -> None:
    assert ok, f"FAILED: {label}"
    print(f"ok  {label}")


def gram_identity(n: int) -> bool:
    a = sp.symbols(f"a0:{n}", nonzero=True)
    j = 0
    # graph map R^{n-1} -> R^n over the coordinates k != j
    J = sp.zeros(n, n - 1)
    for col, k in enumerate(range(1, n)):
        J[k, col] = 1
        J[j, col] = -a[k] / a[j]
    lhs = sp.simplify((J.T * J).det())
    rhs = sum(x**2 for x in a) / a[j] ** 2
    return sp.simplify(lhs - rhs) == 0


def segment_2d() -> bool:
    a1, a2, b, y0, y1 = sp.symbols("a1 a2 b y0 y1", real=True)
    x = lambda y: (b - a2 * y) / a1  # noqa: E731
    length_sq = (x(y1) - x(y0)) ** 2 + (y1 - y0) ** 2
    return sp.simplify(length_sq - (y1 - y0) ** 2 * (a1**2 + a2**2) / a1**2) == 0


def triangle_3d() -> bool:
    a1, a2, a3, b = sp.symbols("a1 a2 a3 b", real=True)
    ys = sp.symbols("y0:3", real=True)
    zs = sp.symbols("z0:3", real=True)
    lift = [sp.Matrix([(b - a2 * y - a3 * z) / a1, y, z]) for y, z in zip(ys, zs)]
    u, v = lift[1] - lift[0], lift[2] - lift[0]
    area2_sq = u.cross(v).dot(u.cross(v))  # (2·area)²
    proj2 = sp.Matrix([[ys[1] - ys[0], zs[1] - zs[0]], [ys[2] - ys[0], zs[2] - zs[0]]]).det()  # ±2·area(π F)
    return sp.simplify(area2_sq - proj2**2 * (a1**2 + a2**2 + a3**2) / a1**2) == 0


def simplex_facet_data(V: list[sp.Matrix]):  # type: ignore[no-untyped-def]
    """Facets of the simplex conv(V) as (outward normal a, offset b, vertices)."""
    n = len(V) - 1
    out = []
    for skip in range(n + 1):
        pts = [V[i] for i in range(n + 1) if i != skip]
        M = sp.Matrix.hstack(*[p - pts[0] for p in pts[1:]]).T  # (n-1)×n
        a = M.nullspace()[0]
        b = a.dot(pts[0])
        if sp.simplify(a.dot(V[skip]) - b).is_positive:
            a, b = -a, -b
        out.append((a, b, pts))
    return out


def lasserre_on_simplex(n: int) -> tuple[bool, bool]:
    """Check vol(S) = (1/n) Σ_F h_F vol(F) and its rational projected form."""
    # a concrete but generic simplex (rational, irregular), plus a symbolic apex point
    if n == 2:
        V = [sp.Matrix([0, 0]), sp.Matrix([5, 1]), sp.Matrix([sp.Rational(3, 2), 4])]
    else:
        V = [sp.Matrix([0, 0, 0]), sp.Matrix([3, 1, 0]), sp.Matrix([1, 4, 1]), sp.Matrix([sp.Rational(1, 2), 1, 3])]
    x0 = sp.Matrix(sp.symbols(f"p0:{n}", real=True))
    vol = abs(sp.Matrix.hstack(*[v - V[0] for v in V[1:]]).det()) / sp.factorial(n)
    total = 0
    total_rational = 0
    for a, b, pts in simplex_facet_data(V):
        # facet volume from its Gram determinant
        E = sp.Matrix.hstack(*[p - pts[0] for p in pts[1:]])
        fvol = sp.sqrt((E.T * E).det()) / sp.factorial(n - 1)
        h = (b - a.dot(x0)) / sp.sqrt(a.dot(a))
        total += h * fvol
        j = next(k for k in range(n) if a[k] != 0)
        keep = [k for k in range(n) if k != j]
        P = sp.Matrix.hstack(*[(p - pts[0]).extract(keep, [0]) for p in pts[1:]])
        pvol = abs(P.det()) / sp.factorial(n - 1)
        total_rational += (b - a.dot(x0)) / abs(a[j]) * pvol
        # facet volume via projection equals the Gram volume
        assert sp.simplify(fvol - pvol * sp.sqrt(a.dot(a)) / abs(a[j])) == 0
    ok1 = sp.simplify(total / n - vol) == 0
    ok2 = sp.simplify(total_rational / n - vol) == 0 and all(
        sp.sympify(c).is_rational for c in sp.Poly(sp.expand(total_rational), *x0).coeffs()
    )
    return ok1, ok2


def main() -> None:
    for n in range(2, 6):
        check(f"det(JᵀJ) = ‖a‖²/a_j² for the graph map of a·x = b in R^{n}", gram_identity(n))
    check("2-D: length(F) = |Δy|·‖a‖/|a_1| for a segment of a1·x + a2·y = b", segment_2d())
    check("3-D: area(F) = area(π_1 F)·‖a‖/|a_1| for a general triangle in a·x = b", triangle_3d())

    for n in (2, 3):
        ok1, ok2 = lasserre_on_simplex(n)
        check(f"{n}-D simplex: vol = (1/{n}) Σ_F h_F vol(F) for a symbolic apex x0", ok1)
        check(f"{n}-D simplex: h_F vol(F) = (b_F − a_F·x0)/|a_Fj| · vol(π_j F), rational in x0", ok2)

    # exactgeom agrees: facet volumes, area vectors and the Lasserre recursion
    T = Polytope.from_vrep([[0, 0, 0], [3, 1, 0], [1, 4, 1], ["1/2", 1, 3]])
    for i, h in enumerate(T.facets):
        a = h.normal
        j = next(k for k, x in enumerate(a) if x)
        keep = [k for k in range(3) if k != j]
        pts = [T.vertices[v] for v in T.facet_vertices(i)]
        e1 = [pts[1][k] - pts[0][k] for k in keep]
        e2 = [pts[2][k] - pts[0][k] for k in keep]
        pvol = abs(e1[0] * e2[1] - e1[1] * e2[0]) / 2
        nn = sum(x * x for x in a)
        formula = Surd(pvol / abs(a[j]), nn)
        check(f"Polytope.facet_volume({i}) = vol(π_{j} F)·‖a‖/|a_{j}| = {formula}", T.facet_volume(i) == formula)
        check(
            f"Polytope.facet_area_vector({i}) = vol(π_{j} F)·a/|a_{j}| (rational)",
            T.facet_area_vector(i) == tuple(pvol / abs(a[j]) * x for x in a),
        )
    check("lasserre_volume = triangulation volume on the tetrahedron", lasserre_volume(T) == T.volume("triangulation"))
    D = sp.Matrix([[3, 1, 0], [1, 4, 1], [sp.Rational(1, 2), 1, 3]]).det()
    check(f"the tetrahedron's volume is |det|/3! = {abs(D) / 6}", T.volume() == Fraction(str(abs(D))) / 6)

if __name__ == "__main__":
    main()
