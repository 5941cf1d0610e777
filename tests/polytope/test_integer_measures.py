"""The integer (common-denominator) measures of :mod:`exactgeom.polytope.measures`
against the rational algorithms they replaced and against independent methods, on
random rational polytopes (hypothesis) in dimensions 1–5.

The references below are plain rational computations: one Fraction determinant per
simplex, the previous flint-rational triangulation centroid, and the facet frames from
a reduced echelon form (``face_frame``); plus the Brion–Lawrence and facet-cone methods."""

from __future__ import annotations

from fractions import Fraction
from math import factorial, lcm

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from exactgeom.linalg import rational as la
from exactgeom.numbers.surd import Surd
from exactgeom.polytope import measures as M
from exactgeom.polytope.polytope import Polytope
from exactgeom.polytope.volume import fmpq_sum, lasserre_volume, lawrence_centroid, lawrence_volume
from exactgeom.strategies.polytopes import rational_polytopes

H_ROWS = {1: 4, 2: 9, 3: 10, 4: 10, 5: 11}
V_PTS = {1: 4, 2: 8, 3: 8, 4: 7, 5: 8}


def polytopes(full_dimensional: bool = True, max_dim: int = 5):
    return st.integers(1, max_dim).flatmap(
        lambda d: st.one_of(
            rational_polytopes(d, H_ROWS[d], kind="hrep", full_dimensional=full_dimensional),
            rational_polytopes(d, V_PTS[d], kind="vrep", full_dimensional=full_dimensional),
        )
    )


def _old_simplex_volume_sum(P, simplices, cols):
    """Σ |det| / k! with one rational (Fraction) determinant per simplex (reference)."""
    if not cols:
        return Fraction(1)
    total = Fraction(0)
    for smp in simplices:
        p0 = P._points[smp[0]]
        total += abs(la.det([[P._points[i][c] - p0[c] for c in cols] for i in smp[1:]]))
    return total / factorial(len(cols))


def _old_triangulation_centroid(P):
    """The previous flint-rational triangulation centroid (reference)."""
    from flint import fmpq, fmpq_mat

    mask = P._all_vertices_mask
    simplices = M.triangulation(P, mask)
    J, _ = M.face_frame(P, mask)
    Q = P._q_vertices
    k = len(J)
    weights, sums = [], [[] for _ in range(P._n)]
    for s in simplices:
        v0 = Q[s[0]]
        w = abs(fmpq_mat(k, k, [Q[i][c] - v0[c] for i in s[1:] for c in J]).det()) if k else fmpq(1)
        weights.append(w)
        for j in range(P._n):
            sums[j].append(w * sum((Q[i][j] for i in s), fmpq(0)))
    tot = fmpq_sum(weights)
    return tuple(la.fmpq_to_fraction(fmpq_sum(acc) / (tot * (k + 1))) for acc in sums)


@given(polytopes(full_dimensional=False))
def test_integer_vertices_are_the_vertices_over_one_denominator(P):
    assume(P.is_bounded)
    Z, q = M.integer_vertices(P)
    assert q >= 1
    assert [tuple(Fraction(z, q) for z in row) for row in Z] == list(P._points)
    assert q == lcm(*(x.denominator for v in P._points for x in v))  # the least common denominator


@given(polytopes(full_dimensional=False))
def test_integer_simplex_sums_equal_the_rational_ones_on_every_face(P):
    assume(P.is_bounded)
    for k in range(P.dim + 1):
        for mask in P.face_lattice().masks(k):
            J, _ = M.face_frame(P, mask)
            tri = M.triangulation(P, mask)
            assert M.simplex_volume_sum(P, tri, J) == _old_simplex_volume_sum(P, tri, J)
    if P.dim == P.ambient_dim:  # all coordinates (coords=None) need a full-dimensional P
        tri = M.triangulation(P, P._all_vertices_mask)
        assert M.simplex_volume_sum(P, tri, None) == _old_simplex_volume_sum(P, tri, list(range(P.ambient_dim)))


@given(polytopes())
def test_volumes_of_all_methods_agree(P):
    assume(P.is_bounded)
    v = P.volume()
    assert v == lawrence_volume(P) == lasserre_volume(P)
    assert v == M.simplex_volume_sum(P, M.triangulation(P, P._all_vertices_mask), None)


@given(polytopes(full_dimensional=False))
def test_integer_triangulation_centroid_equals_the_rational_one_and_lawrence(P):
    assume(P.is_bounded)
    c = M.triangulation_centroid(P)
    assert c == _old_triangulation_centroid(P)
    assert all(isinstance(x, Fraction) for x in c)
    if P.dim == P.ambient_dim:
        assert c == lawrence_centroid(P)
        assert P.centroid() == c


@given(polytopes())
def test_facet_frames_from_normals_equal_the_echelon_frames(P):
    """facet_frame reads face_frame's coordinates and Gram determinant off the normal;
    the facet volume through it is the same surd (same representation) as through the
    echelon form."""
    assume(P.is_bounded)
    for i in range(P.n_facets):
        mask = P._facet_masks[i]
        assert M.facet_frame(P, i) == M.face_frame(P, mask)
        J, g = M.face_frame(P, mask)
        general = Surd(_old_simplex_volume_sum(P, M.triangulation(P, mask), J), g)
        got = P.facet_volume(i)
        assert got == general and repr(got) == repr(general)


@given(st.integers(-10**30, 10**30), st.integers(1, 10**30), st.integers(1, 10**6))
def test_reduced_fraction_is_the_normalised_fraction(p, q, g):
    x = M.reduced_fraction(p * g, q * g)
    assert x == Fraction(p, q)
    assert (x.numerator, x.denominator) == (Fraction(p, q).numerator, Fraction(p, q).denominator)
    assert M.reduced_fraction(p, -q) == Fraction(-p, q)


@given(st.lists(st.fractions(max_denominator=10**40), max_size=40))
def test_rational_sum_is_the_fraction_sum(xs):
    got = M.rational_sum(xs)
    assert got == sum(xs, Fraction(0))
    assert isinstance(got, Fraction) and got.denominator > 0


@settings(max_examples=25, deadline=None)
@given(st.integers(5, 6).flatmap(lambda n: st.tuples(
    st.lists(st.tuples(st.integers(-3, 0), st.integers(1, 3)), min_size=n, max_size=n),
    st.lists(st.integers(-2, 2), min_size=n, max_size=n), st.integers(-2, 2))))
def test_facet_and_face_volumes_of_many_vertex_faces_equal_the_triangulation(args):
    """Facets with more than 2n vertices (a box's, possibly cut by one hyperplane) take the
    projected H-representation and Brion-Lawrence; faces with many vertices the projected
    V-representation. Both equal the pulling triangulation of the same face exactly."""
    m = M
    bounds, w, c = args
    n = len(bounds)
    A = []
    b = []
    for j, (lo, hi) in enumerate(bounds):
        e = [0] * n
        e[j] = 1
        A += [e, [-v for v in e]]
        b += [hi, -lo]
    if any(w):
        A.append(list(w))
        b.append(c)
    P = Polytope.from_hrep(A, b)
    if P.dim != n:
        return
    for i in range(P.n_facets):
        mask = P._facet_masks[i]
        J, g = m.facet_frame(P, i)
        want = Surd(m.simplex_volume_sum(P, m.triangulation(P, mask), J), g)
        assert P.facet_volume(i) == want
        if mask.bit_count() > 2 * (len(J) + 1):
            fresh = Polytope.from_hrep(A, b)  # no memo: the face route on its own
            assert m.face_volume(fresh, mask) == want
