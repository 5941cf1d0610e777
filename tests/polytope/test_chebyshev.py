"""Chebyshev balls: closed forms, exact certificates on random polytopes, float
cross-checks (cvxpy, independent of the scipy LP used inside), and the refusal to return
an uncertified answer."""

from __future__ import annotations

from fractions import Fraction

import cvxpy as cp
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from exactgeom import Polytope, Surd, SurdSum, UndecidedError
from exactgeom.examples import cube, simplex
from exactgeom.numbers import Sign
from exactgeom.polytope import chebyshev as cheb
from exactgeom.strategies.polytopes import rational_polytopes

SIZES = {1: 4, 2: 9, 3: 10, 4: 11, 5: 12, 6: 13}


def _float_radius(P: Polytope, norm: str) -> float:
    A = np.array([[float(x) for x in h.normal] for h in P.facets])
    b = np.array([float(h.offset) for h in P.facets])
    w = np.linalg.norm(A, axis=1) if norm == "euclidean" else np.abs(A).sum(axis=1)
    x = cp.Variable(P.ambient_dim)
    r = cp.Variable()
    prob = cp.Problem(cp.Maximize(r), [A @ x + r * w <= b])
    prob.solve(solver="CLARABEL")
    return float(r.value)


def _check_fits_exactly(P: Polytope, ball) -> None:
    """Every facet: b − a·c − r‖a‖_* >= 0 exactly, with equality on the active facets."""
    for i, h in enumerate(P.facets):
        if ball.norm == "euclidean":
            dual = Surd(1, sum(x * x for x in h.normal))
        else:
            dual = Fraction(sum(abs(x) for x in h.normal))
        if ball.is_exact:
            slack = h.offset - sum((a * c for a, c in zip(h.normal, ball.center)), Fraction(0)) - ball.radius * dual
            s = SurdSum([slack]).sign()
        else:  # quotient form: multiply by the denominator D
            D = SurdSum([ball.denominator])
            T = h.offset * D - SurdSum([a * N for a, N in zip(h.normal, ball.center_numerators) if a]) - ball.radius_numerator * dual
            s = Sign(T.sign() * D.sign())
        assert s >= 0
        assert (s == 0) or i not in ball.active_facets
    assert ball.certified


@pytest.mark.parametrize("d", range(1, 7))
def test_unit_cube(d):
    for norm in ("euclidean", "max"):
        ball = cube(d).chebyshev_ball(norm=norm)
        assert ball.center == (Fraction(1, 2),) * d
        assert ball.radius == Fraction(1, 2)
        assert ball.is_exact and ball.certified


@pytest.mark.parametrize("d", range(2, 7))
def test_standard_simplex(d):
    # inradius of conv(0, e_i): r = 1/(d + √d), centre (r, ..., r)
    ball = simplex(d).chebyshev_ball()
    r = ball.radius
    assert r * (d + Surd(1, d)) == 1
    assert ball.center == (r,) * d
    assert simplex(d).chebyshev_ball(norm="max").radius == Fraction(1, 2 * d)


@pytest.mark.parametrize(
    "pts", [[[0, 0], [1, 0], [0, 1]], [[0, 0], [5, 1], [1, 3]], [[0, 0], [7, 0], [2, 5]], [["-1/2", 0], [3, "1/3"], [1, 4]]]
)
def test_triangle_inradius_closed_form(pts):
    T = Polytope.from_vrep(pts)
    perimeter = sum((T.facet_volume(i) for i in range(3)), Surd(0))
    ball = T.chebyshev_ball()
    assert ball.radius * perimeter == 2 * T.volume()  # r = 2·Area/perimeter
    assert ball.is_exact and len(ball.active_facets) == 3
    _check_fits_exactly(T, ball)
    # the incentre is (Σ |opposite side|·vertex)/perimeter, exactly
    V = T.vertices
    opp = []
    for v in range(3):
        (i,) = [i for i in range(3) if v not in T.facet_vertices(i)]
        opp.append(T.facet_volume(i))
    for j in range(2):
        num = sum((opp[v] * V[v][j] for v in range(3)), Surd(0))
        assert ball.center[j] * perimeter == num


def test_rectangle_centre_is_not_unique_but_certified():
    R = Polytope.box([(0, 4), (0, 1)])
    ball = R.chebyshev_ball()
    assert ball.radius == Fraction(1, 2) and ball.center[1] == Fraction(1, 2)
    assert Fraction(1, 2) <= ball.center[0] <= Fraction(7, 2)
    _check_fits_exactly(R, ball)


@pytest.mark.parametrize("k", [2, 3])
def test_optimal_face_of_centres_with_oblique_facets_is_certified(k):
    """The radius is fixed by k thin slabs |x_j| <= 1/2 (so r = 1/2), and the optimal
    centres fill a polygon in the two remaining coordinates, bounded by two oblique
    planes. The float optimum lies inside that polygon, where every nearly tight set of
    rows is the slabs' and cannot pin a centre; the certificate must come from a vertex
    of the optimal face (found by hypothesis, seed 60418180392428704861720372742379653548)."""
    n = k + 2
    e = lambda j, s=1: tuple(s if i == j else 0 for i in range(n))  # noqa: E731
    A = [e(0, -1)] + [e(j, s) for j in range(1, k + 1) for s in (1, -1)] + [e(n - 1), e(n - 1, -1)]
    b = [Fraction(3, 2)] + [Fraction(1, 2)] * (2 * k) + [Fraction(3, 2), Fraction(1, 2)]
    A += [(1,) + (0,) * k + (-1,), (2,) + (0,) * k + (1,)]
    b += [Fraction(1, 4), Fraction(1, 4)]
    P = Polytope.from_hrep(A, b)
    assert P.dim == n and P.n_facets == len(A)
    ball = P.chebyshev_ball()
    assert ball.radius == Fraction(1, 2)
    assert all(ball.center[j] == 0 for j in range(1, k + 1))
    _check_fits_exactly(P, ball)
    assert P.contains([e.mid for e in ball.center_enclosure], strict=True)
    assert abs(float(ball.radius_enclosure.mid) - _float_radius(P, "euclidean")) < 1e-7


def test_many_radicands_give_an_exact_quotient_and_enclosure():
    A = [[-3, -3, 1], [3, -3, 0], [-1, 4, 3], [1, 0, -2]]  # four distinct irrational norms
    P = Polytope.from_hrep(A, [1, 1, 1, 1])
    ball = P.chebyshev_ball()
    assert not ball.is_exact and ball.radius is None and ball.center is None
    assert len({Surd(1, sum(x * x for x in a)).radicand for a in A}) == 4
    _check_fits_exactly(P, ball)
    rf = _float_radius(P, "euclidean")
    e = ball.radius_enclosure
    assert e.width < Fraction(1, 10**25) and abs(float(e.mid) - rf) < 1e-7
    assert P.contains([e.mid for e in ball.center_enclosure], strict=True)


@given(st.integers(1, 6).flatmap(lambda d: rational_polytopes(d, SIZES[d], kind="hrep")), st.sampled_from(["euclidean", "max"]))
def test_random_polytopes_ball_fits_exactly_and_matches_the_float_optimum(P, norm):
    ball = P.chebyshev_ball(norm=norm)
    _check_fits_exactly(P, ball)
    centre = [e.mid for e in ball.center_enclosure]
    assert P.contains(centre, strict=True)
    if norm == "max":
        assert P.contains(ball.center, strict=True)
    rf = _float_radius(P, norm)
    r = float(ball.radius_enclosure.mid)
    scale = max(1.0, abs(rf))
    assert r >= rf - 1e-7 * scale  # the certified optimum is at least the float one ...
    assert abs(r - rf) <= 1e-7 * scale  # ... and equal up to the float solver's accuracy
    assert ball.radius_enclosure.width <= Fraction(1, 10**20) * Fraction(scale)


@given(st.integers(2, 4).flatmap(lambda d: rational_polytopes(d, 7, kind="vrep")))
def test_random_vrep_polytopes(P):
    ball = P.chebyshev_ball()
    _check_fits_exactly(P, ball)
    assert ball.radius_enclosure.lo > 0


def test_a_wrong_float_active_set_is_rejected_not_returned(monkeypatch):
    R = Polytope.box([(0, 4), (0, 1)])
    rows = [h.normal for h in R.facets]
    wrong = [i for i, a in enumerate(rows) if a != (0, 1)]  # claims y <= 1 is inactive

    def fake_lp(A, b, center=None, **_):
        slack = [0.0 if i in wrong else 5.0 for i in range(len(A))]
        return [2.0, 2.0], 2.0, slack, [1.0] * len(A)

    monkeypatch.setattr(cheb, "_float_lp", fake_lp)
    with pytest.raises(UndecidedError, match="could not be certified"):
        R.chebyshev_ball()
    # the max-norm ball is an exact rational LP and unaffected
    assert R.chebyshev_ball(norm="max").radius == Fraction(1, 2)


def test_euclidean_ball_with_huge_integer_normals() -> None:
    """Rows whose squared norm does not fit a float (cells of deep nets under the exact
    float policy): the float first step must scale rows, not overflow, and the exact
    answer must not depend on factoring the 800-digit radicand."""
    from exactgeom import Polytope

    big = 10**400
    P = Polytope.from_hrep([[big + 1, big], [-1, 0], [0, -1]], [big, 0, 0])  # a thin right triangle
    ball = P.chebyshev_ball()
    # inradius of a right triangle with legs u, v: r = u·v / (u + v + sqrt(u² + v²))
    u, v = Fraction(big, big + 1), Fraction(1)
    assert ball.radius is not None  # closed form in surds
    expected = float(u * v) / (float(u) + 1 + (float(u) ** 2 + 1) ** 0.5)
    assert ball.radius_enclosure.lo <= Fraction(expected) * (1 + Fraction(1, 10**12))
    assert ball.radius_enclosure.hi >= Fraction(expected) * (1 - Fraction(1, 10**12))
    assert abs(float(ball.radius) - expected) < 1e-12


# ---------------------------------------------------------------------- large and offset polytopes (issue 10)
@pytest.mark.parametrize("e", [22, 50, 100, 200, 310])
def test_huge_triangles_are_answered_exactly(e):
    """Triangle legs 10^22 … 10^310 (BackendError "unbounded" / OverflowError before the
    float LP was scaled): the ball is the unit triangle's, scaled exactly."""
    L = 10**e
    unit = cheb.chebyshev_ball(Polytope.from_vrep([[0, 0], [1, 0], [0, 1]]))
    T = Polytope.from_vrep([[0, 0], [L, 0], [0, L]])
    B = T.chebyshev_ball()
    assert B.radius == unit.radius * L
    assert B.center == tuple(c * L for c in unit.center)
    _check_fits_exactly(T, B)
    M = T.chebyshev_ball(norm="max")
    assert M.radius == Fraction(L, 4) and M.center == (Fraction(L, 4), Fraction(L, 4))


@pytest.mark.parametrize("o", [10**15, 10**40, -(10**300)])
def test_offset_triangle_is_answered_exactly(o):
    """A unit triangle translated to (o, o): the same radius, the centre translated."""
    unit = cheb.chebyshev_ball(Polytope.from_vrep([[0, 0], [1, 0], [0, 1]]))
    T = Polytope.from_vrep([[o, o], [o + 1, o], [o, o + 1]])
    B = T.chebyshev_ball()
    assert B.radius == unit.radius
    assert B.center == tuple(c + o for c in unit.center)
    _check_fits_exactly(T, B)
    M = T.chebyshev_ball(norm="max")
    assert M.radius == Fraction(1, 4) and M.center == (o + Fraction(1, 4), o + Fraction(1, 4))


def test_tiny_polytope_is_answered_exactly():
    s = Fraction(1, 10**200)
    unit = cheb.chebyshev_ball(Polytope.from_vrep([[0, 0], [1, 0], [0, 1]]))
    T = Polytope.from_vrep([[0, 0], [s, 0], [0, s]])
    assert T.chebyshev_ball().radius == unit.radius * s
