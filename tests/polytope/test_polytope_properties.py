"""Hypothesis properties of exact polytopes on random rational inputs (dimensions 1–6).

Sizes are kept modest (hypothesis profiles in tests/conftest.py set the example counts).
"""

from __future__ import annotations

from fractions import Fraction
from math import factorial

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from exactgeom import DegenerateError, Polytope
from exactgeom.linalg import rational as la
from exactgeom.strategies.polytopes import (
    rational_numbers,
    rational_points,
    rational_polytopes,
    rational_vectors,
)

# random H-rows added to the box / V-points, by dimension (bigger in low dimension)
H_ROWS = {1: 4, 2: 9, 3: 10, 4: 11, 5: 12, 6: 14}
V_PTS = {1: 4, 2: 8, 3: 8, 4: 7, 5: 8, 6: 8}


def polytopes(full_dimensional: bool = True, degenerate: bool = False, max_dim: int = 6):
    return st.integers(1, max_dim).flatmap(
        lambda d: st.one_of(
            rational_polytopes(d, H_ROWS[d], kind="hrep", full_dimensional=full_dimensional, degenerate=degenerate),
            rational_polytopes(d, V_PTS[d], kind="vrep", full_dimensional=full_dimensional),
        )
    )


def _dot(a, b):
    return sum((x * y for x, y in zip(a, b)), Fraction(0))


# ------------------------------------------------------------------ representations
@given(polytopes(full_dimensional=False, degenerate=True))
def test_v_h_round_trip(P):
    assert P.is_bounded and not P.is_empty
    Q = Polytope.from_vrep(P.vertices)
    assert Q == P
    assert set(Q.facets) == set(P.facets) and set(Q.equalities) == set(P.equalities)
    E = [h.normal for h in P.equalities]
    f = [h.offset for h in P.equalities]
    R = Polytope.from_hrep(P.A, P.b, eq=(E, f) if E else None, ambient_dim=P.ambient_dim)
    assert R == P and R.vertices == P.vertices
    assert set(R.facets) == set(P.facets)
    # canonical form: facets primitive, in the direction space of the affine hull
    for h in P.facets:
        g = 0
        for x in h.normal:
            from math import gcd

            g = gcd(g, x)
        assert g == 1
        for e in P.equalities:
            assert _dot(h.normal, e.normal) == 0
    assert P.dim == P.ambient_dim - len(P.equalities)


@given(polytopes(full_dimensional=False))
def test_every_vertex_is_tight_exactly_on_its_facets(P):
    for v, x in enumerate(P.vertices):
        tight = set(P.vertex_facets(v))
        assert len(tight) >= P.dim  # a vertex of a d-polytope lies on at least d facets
        for i, h in enumerate(P.facets):
            s = h.slack(x)
            assert (s == 0) == (i in tight)
            assert s >= 0
            assert int(P.side(i, x)) == (s > 0) - (s < 0)
        for e in P.equalities:
            assert _dot(e.normal, x) == e.offset
        assert P.contains(x) and not (P.dim > 0 and P.contains(x, strict=True))
    # the relative-interior point is strictly inside every facet
    c = P.relative_interior_point()
    assert P.contains(c, strict=True) or P.dim == 0


@given(polytopes())
def test_euler_relation_and_f_vector(P):
    d = P.dim
    f = P.f_vector()
    assert len(f) == d
    assert sum((-1) ** k * fk for k, fk in enumerate(f)) == 1 - (-1) ** d
    assert f[0] == P.n_vertices
    assert f[-1] == P.n_facets
    L = P.face_lattice()
    for k in range(d):
        for F in L.faces(k):
            assert F.dim == k
            # a face is the intersection of its tight facets (and has at least d-k of them)
            assert len(F.facet_ids) >= d - k


@given(polytopes())
def test_facet_adjacency_is_symmetric_and_ridges_have_dimension_d_minus_2(P):
    adj = P.facet_adjacency()
    d = P.dim
    for i, nbrs in enumerate(adj):
        assert i not in nbrs
        for j in nbrs:
            assert i in adj[j]
            common = set(P.facet_vertices(i)) & set(P.facet_vertices(j))
            pts = [P.vertices[v] for v in sorted(common)]
            assert la.rank([[x - y for x, y in zip(p, pts[0])] for p in pts[1:]], P.ambient_dim) == d - 2
        # a facet (a (d-1)-polytope) has at least d ridges, each shared with one other facet
        assert len(nbrs) >= d if d >= 2 else not nbrs
    for i in range(P.n_facets):
        for j in range(P.n_facets):
            if j != i and j not in adj[i]:
                with pytest.raises(DegenerateError, match="do not meet in a ridge"):
                    P.dihedral_angle(i, j)


@given(polytopes(full_dimensional=False))
def test_right_dihedral_angles_exactly_when_normals_are_orthogonal(P):
    for (i, j), ang in P.dihedral_angles().items():
        a, b = P.facets[i].normal, P.facets[j].normal
        ab = _dot(a, b)
        assert (ang.exact_pi_multiple() == Fraction(1, 2)) == (ab == 0)
        assert ang.is_right == (ab == 0)
        # cos θ = -<a,b>/(|a||b|): check its exact square and sign
        assert ang.squared_cos() == ab * ab / (_dot(a, a) * _dot(b, b))
        assert int(ang.cos.sign()) == -((ab > 0) - (ab < 0))
        # interior angles of a convex polytope lie strictly between 0 and π
        assert ang.exact_pi_multiple() not in (Fraction(0), Fraction(1))


# ------------------------------------------------------------------ volumes
@given(polytopes(degenerate=True))
def test_volume_algorithms_agree(P):
    v = P.volume(method="triangulation")
    assert v > 0
    assert P.volume(method="lasserre") == v
    assert P.volume(method="lawrence") == v
    assert P.volume() == v


@given(
    polytopes(max_dim=5),
    rational_numbers(Fraction(1, 4), 4, 6),
    st.data(),
)
def test_volume_scales_and_is_invariant_under_translation_and_permutation(P, lam, data):
    d = P.ambient_dim
    v = P.volume()
    scaled = Polytope.from_vrep([[lam * x for x in p] for p in P.vertices])
    assert scaled.volume() == lam**d * v
    t = data.draw(rational_points(d, -5, 5, 7))
    T = P.translate(t)
    assert T.volume() == v
    assert T == Polytope.from_vrep([[x + y for x, y in zip(p, t)] for p in P.vertices])
    assert T.centroid() == tuple(c + y for c, y in zip(P.centroid(), t))
    perm = data.draw(st.permutations(range(d)))
    Pp = Polytope.from_hrep([[a[k] for k in perm] for a in P.A], P.b)
    assert Pp.volume() == v
    assert Pp.f_vector() == P.f_vector()


@given(polytopes(full_dimensional=True), st.data())
def test_a_hyperplane_cut_splits_the_volume(P, data):
    d = P.ambient_dim
    a = data.draw(rational_vectors(d))
    c = _dot(a, P.centroid())
    lo = P.intersect_halfspace(a, c)
    hi = P.intersect_halfspace([-x for x in a], -c)
    assert lo.volume() + hi.volume() == P.volume()
    assert lo.intersect(hi).volume() == 0
    assert P.intersect(P) == P


@given(polytopes())
def test_minkowski_relation_holds_exactly(P):
    d = P.ambient_dim
    total = [Fraction(0)] * d
    for i in range(P.n_facets):
        w = P.facet_area_vector(i)
        assert all(isinstance(x, Fraction) for x in w)
        # the area vector is the facet volume times the unit outward normal
        a = P.facets[i].normal
        assert _dot(w, w) == P.facet_volume(i).squared()
        assert _dot(w, a) > 0
        total = [x + y for x, y in zip(total, w)]
    assert total == [0] * d


@given(polytopes())
def test_divergence_theorem_gives_the_volume(P):
    # ∫_P div(x)/d = vol: Σ_F h_F vol(F)/d with h_F = b_F/‖a_F‖ -> Σ_F b_F·r_F/d,
    # where the area vector w_F = r_F a_F; an independent use of the facet volumes.
    d = P.ambient_dim
    total = Fraction(0)
    for i, h in enumerate(P.facets):
        w = P.facet_area_vector(i)
        a = h.normal
        j = next(k for k, x in enumerate(a) if x)
        total += h.offset * w[j] / a[j]
    assert total / d == P.volume()


@given(polytopes(degenerate=True))
def test_centroid_methods_agree_and_the_centroid_is_interior(P):
    c = P.centroid()
    assert P.contains(c, strict=True)
    assert P.centroid(method="triangulation") == c
    assert P.centroid(method="lawrence") == c


# ------------------------------------------------------------------ lower-dimensional
@given(
    st.integers(1, 3).flatmap(lambda k: st.tuples(st.just(k), rational_polytopes(k, 8, kind="vrep"))),
    st.integers(1, 2),
    st.data(),
)
def test_relative_volume_of_an_embedded_polytope(kQ, codim, data):
    """Embed a k-polytope Q by x -> p0 + U x (U an injective n×k integer matrix): the
    relative volume squared is vol(Q)²·det(UᵀU), rational."""
    k, Q = kQ
    n = k + codim
    U = [data.draw(rational_vectors(n, max_abs=3)) for _ in range(k)]  # columns
    assume(la.rank(U, n) == k)
    p0 = data.draw(rational_points(n, -3, 3, 5))
    pts = [[p0[r] + sum((x[c] * U[c][r] for c in range(k)), Fraction(0)) for r in range(n)] for x in Q.vertices]
    P = Polytope.from_vrep(pts)
    assert P.dim == k and P.volume() == 0
    gram = la.det([[_dot(u, w) for w in U] for u in U])
    rv = P.relative_volume()
    assert rv.squared() == Q.volume() ** 2 * gram
    assert isinstance(rv.squared(), Fraction)
    assert P.f_vector() == Q.f_vector()
    # the centroid maps to the centroid
    cq = Q.centroid()
    assert P.centroid() == tuple(p0[r] + sum((cq[c] * U[c][r] for c in range(k)), Fraction(0)) for r in range(n))


# ------------------------------------------------------------------ degenerate but valid
def test_degenerate_inputs_are_values():
    # empty
    E = Polytope.from_hrep([[1, 0], [-1, 0]], [0, -1])
    assert E.is_empty and E.dim == -1 and E.vertices == () and E.facets == ()
    assert E.volume() == 0 and E.relative_volume() == 0
    assert Polytope.empty(3).is_empty and Polytope.empty(2) == E and E.intersect(E) == E
    assert E.intersect(Polytope.box([(0, 1), (0, 1)])).is_empty
    # a point from pairs of opposite inequalities (implicit equalities)
    pt = Polytope.from_hrep([[1, 0], [-1, 0], [0, 1], [0, -1]], [2, -2, "1/3", "-1/3"])
    assert pt.dim == 0 and pt.vertices == ((Fraction(2), Fraction(1, 3)),)
    assert len(pt.equalities) == 2 and pt.facets == ()
    assert pt.centroid() == (Fraction(2), Fraction(1, 3)) and pt.relative_volume() == 1
    # a segment from a slab of width zero in a box
    seg = Polytope.from_hrep([[1, -1], [-1, 1], [1, 0], [-1, 0]], [0, 0, 1, 0])
    assert seg.dim == 1 and seg.n_vertices == 2 and seg.relative_volume().squared() == 2
    assert [h.normal for h in seg.equalities] == [(1, -1)]
    assert sorted(h.normal for h in seg.facets) == [(-1, -1), (1, 1)]  # projected into the line
    # duplicate, scaled and redundant rows are dropped
    A = [[1, 0], [2, 0], [1, 0], [-1, 0], [0, 1], [0, -1], [1, 1]]
    b = [1, 2, 1, 0, 1, 0, 5]
    sq = Polytope.from_hrep(A, b)
    assert sq == Polytope.box([(0, 1), (0, 1)]) and sq.n_facets == 4
    assert sq.facet_input_rows == (0, 3, 4, 5)
    # weakly redundant (tight at one vertex only)
    sq2 = Polytope.from_hrep(A[:6] + [[1, 1]], b[:6] + [2])
    assert sq2.n_facets == 4 and sq2.volume() == 1 and sq2.is_simple()
    # an equality given explicitly
    tri = Polytope.from_hrep([[-1, 0, 0], [0, -1, 0], [0, 0, -1]], [0, 0, 0], eq=([[1, 1, 1]], [1]))
    assert tri.dim == 2 and tri.relative_volume().squared() == Fraction(3, 4)
    # whole space and unbounded polyhedra are values too
    R2 = Polytope.from_hrep([], [], ambient_dim=2)
    assert R2.dim == 2 and not R2.is_bounded and R2.facets == ()
    H = Polytope.from_hrep([[1, 0]], [0])
    assert not H.is_bounded and H.dim == 2 and H.n_facets == 1
    # the hull of repeated points
    assert Polytope.from_vrep([[1, 1], [1, 1], [1, 1]]).dim == 0


def test_lawrence_handles_non_simple_vertices_and_all_methods_agree_on_a_degenerate_cut():
    # a plane through three cube vertices, each of which then lies on 4 facets
    P = Polytope.from_hrep(
        [[1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], [0, 0, 1], [0, 0, -1], [1, 1, 1]], [1, 0, 1, 0, 1, 0, 2]
    )
    assert not P.is_simple() and P.n_facets == 7
    vols = {m: P.volume(method=m) for m in ("triangulation", "lasserre", "lawrence")}
    # the cube minus the corner tetrahedron cut off by x + y + z <= 2 (legs 1, 1, 1)
    assert set(vols.values()) == {Fraction(5, 6)}
    for d in range(3, 6):
        from exactgeom.examples import cross_polytope

        X = cross_polytope(d)
        assert X.volume(method="lawrence") == Fraction(2**d, factorial(d))


@given(st.integers(1, 4).flatmap(lambda d: rational_polytopes(d, 6, bounded=False)))
def test_unbounded_polyhedra_are_values_and_refuse_bounded_only_operations(P):
    E = [h.normal for h in P.equalities]
    Q = Polytope.from_hrep(P.A, P.b, eq=(E, [h.offset for h in P.equalities]) if E else None, ambient_dim=P.ambient_dim)
    assert Q == P
    assert P.contains(P.relative_interior_point())
    B = P.intersect(Polytope.box([(-20, 20)] * P.ambient_dim))
    assert B.is_bounded and B.volume() >= 0
    if not P.is_bounded:
        with pytest.raises(DegenerateError, match="intersect it with a box"):
            P.volume()
        with pytest.raises(DegenerateError, match="bounded"):
            P.face_lattice()
        # a ray direction stays inside: x + t·r in P for the relative-interior point
        for r in P.rays:
            x = [c + 7 * ri for c, ri in zip(P.relative_interior_point(), r)]
            assert P.contains(x)


@given(polytopes(full_dimensional=False))
def test_edge_volumes_in_closed_form_equal_the_general_face_volume(P):
    """face_volume's closed form for an edge [p, q] (|d_J|·√(‖d‖²/d_J²), d = q − p)
    gives the same surd as the general frame + triangulation route, and the length
    ‖q − p‖ (checked by squaring)."""
    from exactgeom.numbers.surd import Surd
    from exactgeom.polytope.faces import bits
    from exactgeom.polytope.measures import face_frame, face_volume, simplex_volume_sum, triangulation

    assume(P.is_bounded and P.dim >= 1)
    masks = P.face_lattice().masks(1)
    assert masks and all(m.bit_count() == 2 for m in masks)
    for mask in masks:
        J, g = face_frame(P, mask)
        general = Surd(simplex_volume_sum(P, triangulation(P, mask), J), g)
        got = face_volume(P, mask)
        assert got == general and repr(got) == repr(general)
        p, q = (P._points[i] for i in bits(mask))
        assert got.squared() == sum((b - a) ** 2 for a, b in zip(p, q))


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 5), st.data())
def test_canonical_equation_of_one_row_equals_the_echelon_route(n, data):
    # the one-row shortcut of canonical_equations against the reduced echelon form
    from exactgeom.polytope.hrep import canonical_equations, dot

    row = [data.draw(st.fractions(min_value=-5, max_value=5, max_denominator=7)) for _ in range(n)]
    p0 = [data.draw(st.fractions(min_value=-3, max_value=3, max_denominator=5)) for _ in range(n)]
    got = canonical_equations([row], n, p0)
    R, _ = la.rref([row], n)
    want = [la.primitive_integer_vector(r)[0] for r in R]
    assert [h.normal for h in got] == want
    assert all(h.offset == dot(h.normal, p0) for h in got)
