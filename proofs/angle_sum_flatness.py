"""Flatness of angle sums around a ridge, in 2-D and 3-D, as products of rotations.

Backs :func:`exactgeom.analysis.curvature.angle_defects` and
:class:`exactgeom.analysis.rotation.AngleSum`.

Claim.  Around an interior ridge piece of a partition of flat R^n the cell angles sum
to exactly 2π.  In the plane normal to the ridge, the cells around it are wedges
between consecutive rays r_1, …, r_k (counter-clockwise, r_{k+1} = r_1); the wedge
from r_i to r_{i+1} has angle θ_i ∈ (0, π] and

    e^{iθ_i} = r_{i+1} · conj(r_i) / (|r_i| |r_{i+1}|),

so the product of the rotations telescopes to Π|r_i|² / Π|r_i|² = 1, i.e.
Σθ_i ∈ 2πZ; the rays go round once, so Σθ_i = 2π.  A T-junction is a wedge with
θ = π (r_{i+1} = −r_i).  A cell's interior angle between facets with outward normals
a and b is the wedge angle with cos θ = −⟨a, b⟩/(|a||b|) and sin θ = |det(a, b)|/(|a||b|)
(the formula of :meth:`~exactgeom.Polytope.dihedral_angle`).  In 3-D, at an edge with
direction u the facet normals are orthogonal to u and the dihedral angle is the wedge
angle of the cross-section in the plane u^⊥ — the same computation.

The script checks with sympy, for symbolic slopes/normals:
1. the telescoping product for k = 3, 4, 5 symbolic rays;
2. that −⟨a,b⟩ + i|det(a,b)| is the wedge rotation between the rays along the
   facets (2-D) — for two lines with symbolic slopes, the four angles' rotations
   multiply to 1;
3. 3-D: three planes through a common line (symbolic normals ⟂ u): the six
   dihedral-angle rotations, computed from 3-D normals with |a × b|, multiply to 1;
4. a T-junction: π plus two angles of the split half-plane;
and then that exactgeom decides these sums exactly on rational instances.

Run: ``python proofs/angle_sum_flatness.py`` (exit status 0 on success).
"""

from __future__ import annotations

import sys
from fractions import Fraction
from pathlib import Path

import sympy as sp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from exactgeom import arrangement
from exactgeom.analysis.curvature import angle_defects
from exactgeom.analysis.rotation import AngleSum
from exactgeom.numbers import Angle


def check(label: str, ok: bool) -> None:
    assert ok, f"FAILED: {label}"
    print(f"ok  {label}")


I = sp.I

# 1. telescoping product of wedge rotations
for k in (3, 4, 5):
    xs = sp.symbols(f"x0:{k}", real=True)
    ys = sp.symbols(f"y0:{k}", real=True)
    z = [x + I * y for x, y in zip(xs, ys)]
    prod = sp.Integer(1)
    for i in range(k):
        prod *= z[(i + 1) % k] * sp.conjugate(z[i])
    norms = sp.Integer(1)
    for i in range(k):
        norms *= z[i] * sp.conjugate(z[i])
    check(f"{k} rays: Π r_(i+1)·conj(r_i) = Π |r_i|² (the rotations multiply to 1)", sp.expand(prod - norms) == 0)


def wedge(a: sp.Matrix, b: sp.Matrix) -> tuple[sp.Expr, sp.Expr]:
    """(cos θ, sin θ)·|a||b| of a cell's interior angle between outward normals a, b (2-D)."""
    return -(a.dot(b)), sp.Abs(a[0] * b[1] - a[1] * b[0])


# 2. two lines with symbolic slopes through the origin: y = m1 x, y = m2 x, m1 > m2
m1, m2 = sp.symbols("m1 m2", real=True)
n1 = sp.Matrix([m1, -1])  # normal of y = m1 x
n2 = sp.Matrix([m2, -1])
# the four cells: signs (s1, s2) of (n1·x, n2·x); outward normals are s·n
cells = [(-n1, -n2), (-n1, n2), (n1, n2), (n1, -n2)]
z_total = sp.Integer(1)
norm_total = sp.Integer(1)
for a, b in cells:
    c, s = wedge(a, b)
    z_total *= c + I * s
    norm_total *= sp.sqrt(a.dot(a)) * sp.sqrt(b.dot(b))
ok = True
for dm in (sp.Symbol("d", positive=True),):  # m1 = m2 + d, d > 0
    expr = (z_total / norm_total).subs(m1, m2 + dm)
    expr = sp.simplify(sp.expand(expr.rewrite(sp.Piecewise)))
    ok &= sp.simplify(expr - 1) == 0
check("two crossing lines with symbolic slopes: the four wedge rotations multiply to 1", ok)
# the sum is 2π, not 0 or 4π: the four angles are θ, π−θ, θ, π−θ with θ ∈ (0, π)
th = sp.Symbol("theta", positive=True)
check("θ + (π−θ) + θ + (π−θ) = 2π", sp.simplify(th + (sp.pi - th) + th + (sp.pi - th) - 2 * sp.pi) == 0)

# 3. three planes through the z-axis, symbolic normals (p_i, q_i, 0), in 3-D
p = sp.symbols("p0:3", real=True)
q = sp.symbols("q0:3", real=True)
N = [sp.Matrix([p[i], q[i], 0]) for i in range(3)]
u = sp.Matrix([0, 0, 1])
# the six cells around the axis, counter-clockwise, bounded by the rays ±(normal rotated by 90°)
# Use a concrete generic ordering: ray directions r_i = u × N_i and their negatives.
rays = [u.cross(N[0]), u.cross(N[1]), u.cross(N[2]), -u.cross(N[0]), -u.cross(N[1]), -u.cross(N[2])]
zr = [r[0] + I * r[1] for r in rays]
prod = sp.Integer(1)
norms = sp.Integer(1)
for i in range(6):
    prod *= zr[(i + 1) % 6] * sp.conjugate(zr[i])
    norms *= zr[i] * sp.conjugate(zr[i])
check("3-D: six dihedral wedges around an edge multiply to 1 (cross-section in u^⊥)", sp.expand(prod - norms) == 0)
a3, b3 = sp.Matrix(sp.symbols("a0:3", real=True)), sp.Matrix(sp.symbols("b0:3", real=True))
a3 = a3 - (a3.dot(u)) * u
b3 = b3 - (b3.dot(u)) * u
check(
    "3-D: |a × b|² = det(a', b')² for normals orthogonal to the edge (so sin θ is the planar one)",
    sp.expand(a3.cross(b3).dot(a3.cross(b3)) - (a3[0] * b3[1] - a3[1] * b3[0]) ** 2) == 0,
)

# 4. a T-junction: a half-plane (π) + a half-plane split by a ray (θ + (π − θ))
check("T-junction: π + θ + (π − θ) = 2π", sp.simplify(sp.pi + th + (sp.pi - th) - 2 * sp.pi) == 0)

# ---------------------------------------------------------------- exactgeom decides them
P = arrangement([[3, -1], [1, 2], [5, 7]], [0, 0, 0], [(-1, 1), (-1, 1)])  # three concurrent lines
(d,) = angle_defects(P)
check("exactgeom: six cells around three concurrent rational lines have zero defect", d.is_zero() and len(d.angles) == 6)
P3 = arrangement([[3, -1, 0], [1, 2, 0], [5, 7, 0]], [0, 0, 0], [(-1, 1)] * 3)
ds = angle_defects(P3)
check(
    "exactgeom: three rational planes through the z-axis: one interior edge piece, six cells, zero defect",
    all(x.is_zero() for x in ds) and len(ds) == 1 and len(ds[0].angles) == 6,
)
a = Angle(Fraction(1, 3))
check("exactgeom: AngleSum(π, θ, π − θ) = 2π exactly", AngleSum([Angle(-1), a, a.supplement()]).pi_multiple() == 2)
print("angle-sum flatness verified")
