"""Closed forms: cubes, boxes, simplices, cross-polytopes, regular simplices.

Every expected value below is a formula in the dimension, not a number read off the code.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations, product
from math import comb, factorial

import pytest

from exactgeom import Polytope, Surd
from exactgeom.examples import cross_polytope, cube, regular_simplex, simplex

DIMS = range(1, 7)
METHODS = ("triangulation", "lasserre", "lawrence")


def _dot(a, b):
    return sum(x * y for x, y in zip(a, b))


# ------------------------------------------------------------------ unit cube
@pytest.mark.parametrize("d", DIMS)
def test_unit_cube(d):
    C = cube(d)
    assert C.dim == d and C.is_bounded and C.is_simple()
    for m in METHODS:
        assert C.volume(method=m) == 1
    assert C.volume() == 1
    assert C.n_facets == 2 * d
    assert sorted(C.vertices) == sorted(tuple(Fraction(x) for x in v) for v in product((0, 1), repeat=d))
    assert C.f_vector() == tuple(2 ** (d - k) * comb(d, k) for k in range(d))
    assert C.centroid() == (Fraction(1, 2),) * d
    for i in range(C.n_facets):
        assert C.facet_volume(i) == 1
    angles = C.dihedral_angles()
    # every facet meets all facets except itself and its opposite: 2d(d-1)/... pairs
    assert len(angles) == (2 * d * (2 * d - 2)) // 2
    assert all(a.exact_pi_multiple() == Fraction(1, 2) for a in angles.values())
    assert all(a.is_right for a in angles.values())


@pytest.mark.parametrize("sides", [(Fraction(1, 3),), (2, Fraction(5, 7)), (Fraction(1, 2), 3, Fraction(7, 5)), (1, 2, 3, Fraction(1, 10))])
def test_box_with_rational_sides(sides):
    d = len(sides)
    lo = [Fraction(-k, 3) for k in range(d)]  # off the origin, rational corners
    B = Polytope.box([(l, l + Fraction(s)) for l, s in zip(lo, sides)])
    vol = Fraction(1)
    for s in sides:
        vol *= Fraction(s)
    for m in METHODS:
        assert B.volume(method=m) == vol
    assert B.centroid() == tuple(l + Fraction(s) / 2 for l, s in zip(lo, sides))
    # facet x_i = const has volume Π_{j≠i} s_j and area vector ±(that)·e_i
    for i in range(B.n_facets):
        a = B.facets[i].normal
        axis = next(j for j, x in enumerate(a) if x)
        expect = vol / Fraction(sides[axis])
        assert B.facet_volume(i) == expect
        assert B.facet_area_vector(i) == tuple(expect * x for x in a)
    assert B.f_vector() == tuple(2 ** (d - k) * comb(d, k) for k in range(d))
    # the Chebyshev ball of a box: radius = half the shortest side
    ball = B.chebyshev_ball()
    assert ball.radius == min(Fraction(s) for s in sides) / 2
    assert B.chebyshev_ball(norm="max").radius == ball.radius


# ------------------------------------------------------------------ standard simplex
@pytest.mark.parametrize("d", DIMS)
def test_standard_simplex(d):
    S = simplex(d)
    for m in METHODS:
        assert S.volume(method=m) == Fraction(1, factorial(d))
    assert S.f_vector() == tuple(comb(d + 1, k + 1) for k in range(d))
    assert S.centroid() == (Fraction(1, d + 1),) * d
    slanted = next(i for i, h in enumerate(S.facets) if all(x == 1 for x in h.normal))
    for i in range(S.n_facets):
        if i == slanted:
            assert S.facet_volume(i) == Surd(Fraction(1, factorial(d - 1)), d)
        else:
            assert S.facet_volume(i) == Fraction(1, factorial(d - 1))
    if d >= 2:
        angles = S.dihedral_angles()
        assert len(angles) == comb(d + 1, 2)  # a simplex: every two facets meet in a ridge
        for (i, j), ang in angles.items():
            if slanted in (i, j):
                assert ang.cos == Surd(Fraction(1, d), d)  # arccos(1/√d)
                assert ang.squared_cos() == Fraction(1, d)
                assert (ang.exact_pi_multiple() is None) == (d not in (1, 2, 4))
            else:
                assert ang.exact_pi_multiple() == Fraction(1, 2)


# ------------------------------------------------------------------ cross-polytope
@pytest.mark.parametrize("d", DIMS)
def test_cross_polytope(d):
    X = cross_polytope(d)
    for m in METHODS:
        assert X.volume(method=m) == Fraction(2**d, factorial(d))
    assert X.f_vector() == tuple(2 ** (k + 1) * comb(d, k + 1) for k in range(d))
    assert X.n_facets == 2**d
    assert X.centroid() == (Fraction(0),) * d
    assert X.is_simple() == (d <= 2)
    # each facet is a regular (d-1)-simplex of edge √2: volume √d/(d-1)!
    for i in range(X.n_facets):
        assert X.facet_volume(i) == Surd(Fraction(1, factorial(d - 1)), d)
    if d >= 2:
        # adjacent facets: normals (±1,...) differing in one sign: cos θ = -(d-2)/d
        for (i, j), ang in X.dihedral_angles().items():
            a, b = X.facets[i].normal, X.facets[j].normal
            assert sum(x != y for x, y in zip(a, b)) == 1
            assert ang.cos == Fraction(-(d - 2), d)
    # inradius 1/√d (distance from 0 to Σ x_i = 1), max-norm inradius 1/d
    assert X.chebyshev_ball().radius == Surd(Fraction(1, d), d)
    assert X.chebyshev_ball(norm="max").radius == Fraction(1, d)


# ------------------------------------------------------------------ regular simplex
@pytest.mark.parametrize("d", DIMS)
def test_regular_simplex(d):
    R = regular_simplex(d)  # conv(e_1..e_{d+1}) in R^{d+1}: lower-dimensional
    assert R.dim == d and R.ambient_dim == d + 1 and not R.is_full_dimensional
    assert R.volume() == 0
    rv = R.relative_volume()
    assert rv == Surd(Fraction(1, factorial(d)), d + 1)
    assert rv.squared() == Fraction(d + 1, factorial(d) ** 2)
    assert R.f_vector() == tuple(comb(d + 1, k + 1) for k in range(d))
    assert R.centroid() == (Fraction(1, d + 1),) * (d + 1)
    assert len(R.equalities) == 1 and R.equalities[0].normal == (1,) * (d + 1)
    if d >= 2:
        for ang in R.dihedral_angles().values():
            assert ang.cos == Fraction(1, d)
        assert (R.dihedral_angle(0, 1).exact_pi_multiple() is None) == (d != 2)
        # facets: regular (d-1)-simplices conv of d unit vectors: √d/(d-1)!
        for i in range(R.n_facets):
            assert R.facet_volume(i) == Surd(Fraction(1, factorial(d - 1)), d)


# ------------------------------------------------------------------ simple shapes
def test_facet_volumes_of_a_right_triangle_and_a_tetrahedron():
    T = Polytope.from_vrep([[0, 0], [3, 0], [0, 4]])
    vols = sorted(T.facet_volume(i) for i in range(3))
    assert vols == [3, 4, 5]  # a 3-4-5 triangle: the hypotenuse is rational
    assert T.volume() == 6
    # perimeter·inradius = 2·area: r = 12/12 = 1
    assert T.chebyshev_ball().radius == 1
    Tet = Polytope.from_vrep([[0, 0, 0], [1, 0, 0], [0, 2, 0], [0, 0, 3]])
    by_normal = {h.normal: Tet.facet_volume(i) for i, h in enumerate(Tet.facets)}
    assert by_normal[(0, 0, -1)] == 1  # legs 1, 2
    assert by_normal[(0, -1, 0)] == Fraction(3, 2)
    assert by_normal[(-1, 0, 0)] == 3
    # slanted face: the area vector sums to zero with the others (Minkowski) -> area 7/2
    assert by_normal[(6, 3, 2)] == Fraction(7, 2)
    assert Tet.volume() == 1


def test_triangle_inradius_is_twice_area_over_perimeter():
    T = Polytope.from_vrep([[0, 0], [5, 1], [1, 3]])
    area = T.volume()
    perimeter = sum((T.facet_volume(i) for i in range(3)), Surd(0))
    r = T.chebyshev_ball().radius
    # r · perimeter = 2·area exactly (a sum of surds times a sum of surds)
    assert r * perimeter == 2 * area
    assert area == 7


@pytest.mark.parametrize("d", [2, 3, 4])
def test_face_volumes_of_the_cube_are_one(d):
    C = cube(d)
    L = C.face_lattice()
    for k in range(d + 1):
        for F in L.faces(k):
            assert F.volume() == 1
            assert F.dim == k
            assert len(F.vertex_ids) == 2**k
            assert len(F.facet_ids) == d - k
            P = F.as_polytope()
            assert P.dim == k and P.relative_volume() == 1
            assert set(P.vertices) == set(F.vertices)


def test_lower_dimensional_faces_are_values_with_surd_volumes():
    S = simplex(3)
    L = S.face_lattice()
    edge_lengths = sorted(F.volume() for F in L.faces(1))
    assert edge_lengths == [1, 1, 1, Surd(1, 2), Surd(1, 2), Surd(1, 2)]
    diag = Polytope.from_vrep([[0, 0, 0], [1, 1, 1]])
    assert diag.dim == 1 and diag.relative_volume() == Surd(1, 3)
    assert diag.relative_volume().squared() == 3
    assert diag.centroid() == (Fraction(1, 2),) * 3
    point = Polytope.from_vrep([["1/3", 2]])
    assert point.dim == 0 and point.relative_volume() == 1 and point.volume() == 0
    assert point.centroid() == (Fraction(1, 3), Fraction(2))


def test_dihedral_angle_sums_in_the_square_pyramid():
    # the square pyramid with apex over the centre at height 1/2 (half an octahedron
    # cell of the cube's centre decomposition): base angles are π/4
    P = Polytope.from_vrep([[0, 0, 0], [1, 0, 0], [0, 1, 0], [1, 1, 0], ["1/2", "1/2", "1/2"]])
    base = next(i for i, h in enumerate(P.facets) if h.normal == (0, 0, -1))
    for j in P.facet_adjacency()[base]:
        assert P.dihedral_angle(base, j).exact_pi_multiple() == Fraction(1, 4)
    # adjacent side faces meet at 2π/3
    sides = [i for i in range(P.n_facets) if i != base]
    for i, j in combinations(sides, 2):
        if j in P.facet_adjacency()[i]:
            assert P.dihedral_angle(i, j).exact_pi_multiple() == Fraction(2, 3)


@pytest.mark.parametrize("d", [1, 2, 3, 4])
def test_hasse_diagram_counts_of_cube_simplex_and_cross_polytope(d):
    """Covering relations in closed form: a k-face of the cube covers 2k faces, of a simplex
    k + 1; the cross-polytope's proper faces are simplices and it covers its 2^d facets."""
    cases = [
        (cube(d), sum(comb(d, k) * 2 ** (d - k) * 2 * k for k in range(1, d + 1)), 3**d),
        (simplex(d), sum(comb(d + 1, k + 1) * (k + 1) for k in range(1, d + 1)), 2 ** (d + 1) - 1),
        (
            cross_polytope(d),
            sum(2 ** (k + 1) * comb(d, k + 1) * (k + 1) for k in range(1, d)) + 2**d,
            3**d,
        ),
    ]
    for P, n_edges, n_nodes in cases:
        H = P.face_lattice().to_networkx()
        assert H.number_of_edges() == n_edges
        assert H.number_of_nodes() == n_nodes  # all non-empty faces, the polytope included
        for F, G in H.edges:  # a covering: G ⊂ F, one dimension less
            assert set(G) < set(F) and H.nodes[F]["dim"] == H.nodes[G]["dim"] + 1
