"""The certified exact LP (:mod:`exactgeom.polytope.lp`) against cddlib's exact LP, on
random and degenerate LPs (ties, degenerate vertices, unbounded, infeasible, huge and
tiny coefficients, equalities), with every optimal certificate re-checked here."""

from __future__ import annotations

from fractions import Fraction as F

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactgeom.polytope import lp as lpmod
from exactgeom.polytope import lp_float
from exactgeom.polytope.backends import cdd as cddb
from exactgeom.polytope.lp import lp_statistics, reset_lp_statistics, solve_lp


def _dot(a, x):
    return sum((F(ai) * xi for ai, xi in zip(a, x)), F(0))


def check_certificate(res, c, A, b, E, f, maximize):
    """Primal feasibility, dual feasibility and equal objectives, exactly."""
    assert res.status == "optimal"
    x = res.x
    assert all(_dot(a, x) <= bi for a, bi in zip(A, b))
    assert all(_dot(e, x) == fi for e, fi in zip(E, f))
    sgn = 1 if maximize else -1
    assert res.value == _dot(c, x)
    y, z = res.dual, res.dual_eq
    assert len(y) == len(A) and len(z) == len(E)
    assert all(v >= 0 for v in y)
    n = len(c)
    for j in range(n):
        s = sum((yi * F(a[j]) for yi, a in zip(y, A)), F(0)) + sum((zi * F(e[j]) for zi, e in zip(z, E)), F(0))
        assert s == sgn * F(c[j])
    assert sgn * res.value == _dot(y, b) + _dot(z, f)


@st.composite
def lps(draw):
    n = draw(st.integers(1, 4))
    m = draw(st.integers(0, 8))
    k = draw(st.integers(0, 2))
    ints = st.integers(-3, 3)
    A = [[F(draw(ints)) for _ in range(n)] for _ in range(m)]
    b = [F(draw(st.integers(-2, 4))) for _ in range(m)]
    E = [[F(draw(ints)) for _ in range(n)] for _ in range(k)]
    f = [F(draw(st.integers(-2, 2))) for _ in range(k)]
    c = [F(draw(ints)) for _ in range(n)]
    if m and draw(st.booleans()):  # ties: duplicate and scaled rows
        i = draw(st.integers(0, m - 1))
        s = F(draw(st.integers(1, 3)))
        A.append([s * v for v in A[i]])
        b.append(s * b[i])
    scale = draw(st.sampled_from([None, None, 10**300, F(1, 10**300), 10**22]))
    if scale is not None:  # huge or tiny coefficients: the same LP in other units
        A = [[v * scale for v in r] for r in A]
        b = [v * scale * scale for v in b]
        E = [[v * scale for v in r] for r in E]
        f = [v * scale * scale for v in f]
    return c, A, b, E, f, draw(st.booleans())


@given(lps())
@settings(max_examples=120)
def test_agrees_with_cddlib(lp):
    c, A, b, E, f, maximize = lp
    res = solve_lp(c, A, b, E, f, maximize=maximize)
    ref = cddb.lp_solve(c, A, b, E, f, maximize=maximize)
    assert res.status == ref.status
    assert res.method in ("certified", "cddlib-fallback")
    if res.status == "optimal":
        assert res.value == ref.value
        check_certificate(res, c, A, b, E, f, maximize)


@st.composite
def bounded_lps(draw):
    """Feasible bounded LPs: a box around a random point, random cuts through a shifted
    copy of it (so the optimum is usually a degenerate vertex), random objective."""
    n = draw(st.integers(1, 5))
    p = [F(draw(st.integers(-5, 5)), draw(st.integers(1, 4))) for _ in range(n)]
    A, b = [], []
    for j in range(n):
        e = [F(int(i == j)) for i in range(n)]
        A += [e, [-v for v in e]]
        b += [p[j] + 2, 2 - p[j]]
    for _ in range(draw(st.integers(0, 6))):
        a = [F(draw(st.integers(-3, 3))) for _ in range(n)]
        A.append(a)
        b.append(_dot(a, p) + draw(st.sampled_from([0, 0, 1, F(1, 2)])))
    c = [F(draw(st.integers(-2, 2))) for _ in range(n)]
    offset = draw(st.sampled_from([0, 10**15, 10**40]))
    if offset:  # translate far away
        b = [bi + offset * sum(a) for a, bi in zip(A, b)]
    return c, A, b


@given(bounded_lps())
@settings(max_examples=80)
def test_bounded_lps_are_certified(lp):
    c, A, b = lp
    reset_lp_statistics()
    res = solve_lp(c, A, b)
    ref = cddb.lp_solve(c, A, b)
    assert ref.status == res.status == "optimal"
    assert res.value == ref.value
    check_certificate(res, c, A, b, [], [], True)


def test_degenerate_vertex_and_ties():
    # the apex of a square pyramid: 4 facets through one point, objective along the axis
    A = [[1, 0, 1], [-1, 0, 1], [0, 1, 1], [0, -1, 1], [0, 0, -1]]
    b = [1, 1, 1, 1, 0]
    res = solve_lp([0, 0, 1], A, b)
    assert res.value == 1 and res.x == (0, 0, 1)
    check_certificate(res, [0, 0, 1], A, b, [], [], True)
    # a whole optimal edge (ties between vertices): any optimal point, exact value
    res = solve_lp([1, 0], [[1, 0], [-1, 0], [0, 1], [0, -1]], [1, 0, 1, 0])
    assert res.value == 1 and res.x[0] == 1
    # a duplicate row and a row through the optimum with zero multiplier
    A = [[1, 1], [1, 1], [2, 2], [1, 0], [-1, 0], [0, -1]]
    b = [2, 2, 4, 1, 0, 0]
    res = solve_lp([1, 1], A, b)
    assert res.value == 2
    check_certificate(res, [1, 1], A, b, [], [], True)


def test_infeasible_unbounded_and_free():
    assert solve_lp([1, 0], [[1, 0], [-1, 0]], [0, -1]).status == "infeasible"
    assert solve_lp([1, 0], [[0, 1]], [1]).status == "unbounded"
    assert solve_lp([0, 0], [[0, 1]], [1]).status == "optimal"
    assert solve_lp([1], [], [], [[1]], [F(7, 3)]).value == F(7, 3)
    assert solve_lp([1], [], [], [[1], [2]], [1, 3]).status == "infeasible"  # inconsistent equations
    assert solve_lp([1, 1], [], []).status == "unbounded"
    # both infeasible and with an unbounded objective: infeasible wins
    assert solve_lp([1, 0], [[0, 1], [0, -1]], [-1, 0]).status == "infeasible"


@pytest.mark.parametrize("e", [22, 100, 310, 1000])
def test_huge_and_tiny_coefficients(e):
    big = 10**e
    # max x + y on the triangle with legs 10^e, and its 10^-e-scaled copy
    res = solve_lp([1, 2], [[-1, 0], [0, -1], [1, 1]], [0, 0, big])
    assert res.value == 2 * big and res.x == (0, big)
    res = solve_lp([1, 2], [[-1, 0], [0, -1], [1, 1]], [0, 0, F(1, big)])
    assert res.value == F(2, big)
    # rows with wildly different scales
    res = solve_lp([1, 1], [[big, 0], [0, F(1, big)], [-1, 0], [0, -1]], [big, 1, 0, 0])
    assert res.value == 1 + big
    assert res.method == "certified"


def test_offset_problem_is_certified():
    reset_lp_statistics()
    o = 10**15
    res = solve_lp([1, 1], [[-1, 0], [0, -1], [1, 1]], [-o, -o, 2 * o + 1])
    assert res.value == 2 * o + 1 and res.method == "certified"
    assert lp_statistics()["certified"] == 1 and lp_statistics()["fallback"] == 0


def test_fallback_when_the_float_proposal_is_wrong(monkeypatch):
    """A float proposal that is garbage (or a float failure) never changes the answer:
    the certificate fails and cddlib answers, and the statistics say so."""
    A = [[1, 2], [3, 1], [-1, 0], [0, -1]]
    b = [4, 6, 0, 0]
    reset_lp_statistics()
    real = lp_float.propose

    def garbage(*args):
        p = real(*args)
        # the vertex (0, 0) "proposed" as optimal: a wrong basis, a wrong point
        dual = tuple(float(k >= 2) for k in range(len(p.dual)))
        return type(p)("optimal", tuple(7.0 for _ in p.x), dual, p.dual_eq, p.slack)

    monkeypatch.setattr(lp_float, "propose", garbage)
    res = solve_lp([1, 1], A, b)
    assert res.method == "cddlib-fallback" and res.value == F(14, 5)
    check_certificate(res, [1, 1], A, b, [], [], True)
    st_ = lp_statistics()
    assert st_["fallback"] == 1 and st_["fallback:certificate"] == 1
    monkeypatch.setattr(lp_float, "propose", lambda *args: lp_float.FloatProposal("failed", (), (), (), ()))
    res = solve_lp([1, 1], A, b)
    assert res.method == "cddlib-fallback" and res.value == F(14, 5)
    assert lp_statistics()["fallback:float-failed"] == 1


def test_scaled_float_never_overflows():
    for p, q in [(10**5000, 1), (1, 10**5000), (-(10**400), 3), (7, 10**300)]:
        v = lpmod.scaled_float(p, q, 0)
        assert v == v and abs(v) < float("inf")
    assert lpmod.scaled_float(3, 4, 2) == 3.0


@st.composite
def face_lps(draw):
    """Unbounded feasible sets with a bounded objective: c is a positive combination of
    at most n - 1 rows (so the optimum is finite by weak duality) and no box, so the
    optimal face has free directions and the basis has r < n rows."""
    n = draw(st.integers(2, 5))
    ints = st.integers(-3, 3)
    A, b = [], []
    for _ in range(draw(st.integers(1, n + 2))):
        A.append([F(draw(ints)) for _ in range(n)])
        b.append(F(draw(st.integers(1, 6))))  # the origin is feasible
    k = draw(st.integers(1, min(n - 1, len(A))))
    rows = draw(st.lists(st.integers(0, len(A) - 1), min_size=k, max_size=k, unique=True))
    c = [sum((A[i][j] * (1 + t) for t, i in enumerate(rows)), F(0)) for j in range(n)]
    return c, A, b


@given(face_lps())
@settings(max_examples=60, deadline=None)
def test_degenerate_faces_square_solve_on_pivot_columns(lp):
    """Optimal faces (basis rank r < n): the r x r solve on pivot columns gives a
    certified optimum equal to cddlib's, with a certificate re-checked here."""
    c, A, b = lp
    if not any(c):
        return
    res = solve_lp(c, A, b)
    ref = cddb.lp_solve(c, A, b, [], [], maximize=True)
    assert res.status == ref.status == "optimal"
    assert res.value == ref.value
    check_certificate(res, c, A, b, [], [], True)


def test_pivot_columns_and_rounding_retry(monkeypatch):
    """A face optimum in R^4 (r < n): the pivot-column solve certifies it; when the
    attempt with the coarse rounding of HiGHS' point fails, the finer retry certifies it
    (no fallback), and the statistics say certified."""
    A = [[1, 1, 0, 0], [0, 0, 1, -1], [0, 0, -1, 1]]
    b = [1, 10, 10]  # optimal face: x1 + x2 = 1, |x3 - x4| <= 10; fewer tight rows than variables
    c = [2, 2, 0, 0]
    seen = []
    real_certify = lpmod._certify

    def spy(*args, **kw):
        got = real_certify(*args, **kw)
        seen.append((args[-1] if len(args) > 9 else kw.get("J"), got is not None))
        return got

    monkeypatch.setattr(lpmod, "_certify", spy)
    reset_lp_statistics()
    res = solve_lp(c, A, b)
    assert res.value == 2 and res.method == "certified"
    check_certificate(res, c, A, b, [], [], True)
    assert seen and seen[-1][0] is not None and seen[-1][1]  # pivot columns used, certified
    calls = []

    def first_fails(*args, **kw):  # the coarse attempt is refused: the finer one must run
        calls.append(args[7])  # xhat
        return None if len(calls) == 1 else real_certify(*args, **kw)

    monkeypatch.setattr(lpmod, "_certify", first_fails)
    res = solve_lp(c, A, b)
    assert res.value == 2 and res.method == "certified"
    check_certificate(res, c, A, b, [], [], True)
    assert len(calls) == 2  # the coarse point was refused, the finer one certified
    assert max(v.denominator for v in calls[1]) >= max(v.denominator for v in calls[0])
    assert lp_statistics()["fallback"] == 0
