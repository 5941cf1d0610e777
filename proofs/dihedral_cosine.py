"""Symbolic check of the dihedral-angle cosine used by exactgeom.

Backs :meth:`exactgeom.Polytope.dihedral_angle` (and ``dihedral_angles``): the interior
angle θ of a convex polytope at the ridge where the facets with outward normals ``a``
and ``b`` meet satisfies

    cos θ = −⟨a, b⟩ / (‖a‖ ‖b‖).

Argument on a general wedge ``W = {x : a·x <= 0, b·x <= 0}`` in R^3 (a, b independent;
the ridge is the line spanned by ``e = a × b``). In the plane orthogonal to ``e`` each
facet of W is a ray: the facet in ``a·x = 0`` is spanned by ``r_a = a × e`` and the one in
``b·x = 0`` by ``r_b = e × b`` (the other orientations leave W, because
``b·(e × a) = |e|²`` and ``a·(e × b) = −|e|²``). The interior angle is the angle between
``r_a`` and ``r_b``; with ``(p×q)·(r×s) = (p·r)(q·s) − (p·s)(q·r)`` and ``a·e = b·e = 0``:
``r_a·r_b = −(a·b)|e|²``, ``|r_a| = |a||e|``, ``|r_b| = |b||e|``. Every step is checked
below as a polynomial identity in the six symbolic entries of a and b, then on the
planar wedge with an explicit angle φ, and finally against exactgeom.

Run: ``python proofs/dihedral_cosine.py`` (exit status 0 on success).
"""

from __future__ import annotations

import sys
from fractions import Fraction
from pathlib import Path

import sympy as sp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from exactgeom import Polytope, Surd
from exactgeom.examples import cube, regular_simplex, simplex


def check(label: str, ok: bool) -> None:
    assert ok, f"FAILED: {label}"
    print(f"ok  {label}")


def zero(e: sp.Expr) -> bool:
    return sp.expand(e) == 0


def main() -> None:
    a = sp.Matrix(sp.symbols("a1:4", real=True))
    b = sp.Matrix(sp.symbols("b1:4", real=True))
    e = a.cross(b)
    ra = a.cross(e)
    rb = e.cross(b)
    check("r_a = a × e lies in the facet plane a·x = 0 and is orthogonal to the ridge", zero(a.dot(ra)) and zero(e.dot(ra)))
    check("r_b = e × b lies in the facet plane b·x = 0 and is orthogonal to the ridge", zero(b.dot(rb)) and zero(e.dot(rb)))
    check("b·r_a = −|e|² <= 0: r_a points into the wedge (−r_a would leave it)", zero(b.dot(ra) + e.dot(e)))
    check("a·r_b = −|e|² <= 0: r_b points into the wedge", zero(a.dot(rb) + e.dot(e)))
    check("r_a·r_b = −(a·b)|e|²", zero(ra.dot(rb) + a.dot(b) * e.dot(e)))
    check("|r_a|² = |a|²|e|² and |r_b|² = |b|²|e|²", zero(ra.dot(ra) - a.dot(a) * e.dot(e)) and zero(rb.dot(rb) - b.dot(b) * e.dot(e)))
    check(
        "hence (since |e|² > 0) cos²θ = (a·b)²/(|a|²|b|²) and sign(cos θ) = −sign(a·b)",
        zero(ra.dot(rb) ** 2 * a.dot(a) * b.dot(b) - (a.dot(b)) ** 2 * ra.dot(ra) * rb.dot(rb)),
    )

    # planar wedge with opening φ ∈ (0, π): rays u = (1, 0) and w = (cos φ, sin φ)
    phi, s, t = sp.symbols("phi s t", positive=True)
    na = s * sp.Matrix([0, -1])  # outward normal of the ray along u (interior: y >= 0)
    nb = t * sp.Matrix([-sp.sin(phi), sp.cos(phi)])  # outward normal of the ray along w
    inside = sp.Matrix([1 + sp.cos(phi), sp.sin(phi)])  # u + w, an interior point for φ < π
    check(
        "planar wedge: a·(u + w) = −s·sin φ and b·(u + w) = −t·sin φ, both < 0 for φ ∈ (0, π): u + w is inside",
        sp.simplify(na.dot(inside) + s * sp.sin(phi)) == 0 and sp.simplify(nb.dot(inside) + t * sp.sin(phi)) == 0,
    )
    cos_formula = -na.dot(nb) / sp.sqrt(na.dot(na) * nb.dot(nb))
    check("planar wedge of opening φ, normals scaled by s, t > 0: −⟨a,b⟩/(‖a‖‖b‖) = cos φ", sp.simplify(cos_formula - sp.cos(phi)) == 0)

    # exactgeom agrees
    for d in range(2, 7):
        S = simplex(d)
        angs = S.dihedral_angles()
        slanted = {Surd(Fraction(1, d), d)}
        got = {ang.cos for ang in angs.values()}
        check(f"Polytope.dihedral_angle on the standard {d}-simplex: cosines {{0, 1/√{d}}}", got == {Surd(0)} | slanted)
        R = regular_simplex(d)
        check(f"Polytope.dihedral_angle on the regular {d}-simplex: cos θ = 1/{d}", {ang.cos for ang in R.dihedral_angles().values()} == {Surd(Fraction(1, d))})
    C = cube(3)
    check("Polytope.dihedral_angle on the cube: every angle is π/2", all(x.exact_pi_multiple() == Fraction(1, 2) for x in C.dihedral_angles().values()))
    # a wedge cut from a box: the facets y >= 0 and y <= x·tan(φ) with tan φ = 2
    W = Polytope.from_hrep([[0, -1], [-2, 1], [1, 0]], [0, 0, 1])
    for (i, j), ang in W.dihedral_angles().items():
        na_, nb_ = W.facets[i].normal, W.facets[j].normal
        expect = -sp.Matrix(na_).dot(sp.Matrix(nb_)) / sp.sqrt(sp.Matrix(na_).dot(sp.Matrix(na_)) * sp.Matrix(nb_).dot(sp.Matrix(nb_)))
        ok = sp.simplify(sp.Rational(str(ang.cos.squared())) - expect**2) == 0 and sp.sign(expect) == int(ang.cos.sign())
        check(f"wedge facets {na_}, {nb_}: Angle.cos = {ang.cos} = {expect}", ok)
    # the angle at the origin of that wedge is arctan 2: cos = 1/√5
    apex = next((i, j) for (i, j) in W.dihedral_angles() if {W.facets[i].normal, W.facets[j].normal} == {(0, -1), (-2, 1)})
    check("angle at the apex of the wedge y >= 0, y <= 2x is arctan 2 (cos = 1/√5)", W.dihedral_angle(*apex).cos == Surd(Fraction(1, 5), 5))


if __name__ == "__main__":
    main()
