"""The float-proposal paths of the H-first engine (:mod:`exactgeom.polytope.hfirst`):
rounded interior points, facets by exact ray hits, redundant rows by exact Farkas
multipliers (square solve on pivot columns), the warm-started HiGHS model. Every
decision is compared with cddlib (exact) or checked here in Fractions; adversarial
float proposals must never change an answer, only send it to the exact LPs."""

from __future__ import annotations

import random
from fractions import Fraction as F

import cdd
import cdd.gmp as cddg
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from exactgeom import Polytope
from exactgeom.polytope import certificates, hfirst, lp_float
from exactgeom.polytope import rays as rays_mod
from exactgeom.polytope.backends import cdd as cddb
from exactgeom.polytope.hrep import Halfspace
from exactgeom.polytope.lp import lp_statistics, reset_lp_statistics
from exactgeom.strategies.polytopes import rational_hreps


def _dot(a, x):
    return sum((F(ai) * xi for ai, xi in zip(a, x)), F(0))


def _cdd_facet_rows(A, b):
    """Rows cddlib keeps (full-dimensional input: one per facet)."""
    rows = [[F(bi)] + [-F(x) for x in a] for a, bi in zip(A, b)]
    mat = cddg.matrix_from_array(rows, rep_type=cdd.RepType.INEQUALITY)
    red = set(cddg.redundant_rows(mat))
    return [i for i in range(len(A)) if i not in red]


def _distinct(A, b):
    """The distinct primitive half-spaces of full-dimensional rows (as hfirst_form)."""
    W, c = hfirst._int_rows(A, b)
    H, seen = [], set()
    for w, ck in zip(W, c):
        h = Halfspace(w, ck)
        if h not in seen:
            seen.add(h)
            H.append(h)
    return H


def _check_decisions(H, z, status, wit):
    """Each decision against cddlib: facets are facets (with a valid witness), redundant
    rows are redundant."""
    A = [h.normal for h in H]
    b = [h.offset for h in H]
    facets = set(_cdd_facet_rows(A, b))
    for i, s in enumerate(status):
        if s == 1:
            assert i in facets
            w = rays_mod._witness_point(wit[i])
            assert _dot(A[i], w) == b[i]
            assert all(_dot(A[k], w) < b[k] for k in facets if k != i)
        elif s == 2:
            assert i not in facets


@given(st.integers(2, 5).flatmap(lambda d: rational_hreps(d, 14, degenerate=True)))
@settings(max_examples=40, deadline=None)
def test_fast_decisions_agree_with_cddlib(ab):
    A, b = ab
    n = len(A[0])
    W, c = hfirst._int_rows(A, b)
    z = hfirst._fast_interior(n, W, c, [], [])
    if z is None:  # a float miss is allowed; the origin is inside by construction
        z = tuple(F(0) for _ in range(n))
    assert all(_dot(a, z) < bi for a, bi in zip(A, b))
    H = _distinct(A, b)
    status, wit = hfirst._fast_decisions(H, [], z, n)
    _check_decisions(H, z, status, wit)


@given(st.integers(1, 4).flatmap(lambda d: rational_hreps(d, 9, degenerate=True, implicit_equalities=True)))
@settings(max_examples=60, deadline=None)
def test_rounded_interior_point_is_strictly_inside_or_none(ab):
    """A returned point is strictly inside every row (checked here); with an implicit
    equality (cddlib's dimension < n) no such point exists, so none may be returned."""
    A, b = ab
    n = len(A[0])
    W, c = hfirst._int_rows(A, b)
    z = hfirst._fast_interior(n, W, c, [], [])
    dim = Polytope.from_hrep(A, b, engine="vertices").dim
    if z is not None:
        assert all(_dot(a, z) < bi for a, bi in zip(A, b))
        assert dim == n
    elif dim == n:  # the float proposal may miss, but not on these well-scaled inputs
        raise AssertionError("no rounded interior point for a full-dimensional polytope")


@given(st.integers(2, 4).flatmap(lambda d: st.tuples(rational_hreps(d, 8), st.lists(st.integers(-3, 3), min_size=d, max_size=d))))
@settings(max_examples=40, deadline=None)
def test_rounded_interior_point_on_an_equation(data):
    """With an equation the rounded point is projected exactly onto it."""
    (A, b), a = data
    n = len(A[0])
    if not any(a):
        a[0] = 1
    E, f = [tuple(F(v) for v in a)], [F(0)]  # through the origin, which is strictly inside
    W, c = hfirst._int_rows(A, b)
    z = hfirst._fast_interior(n, W, c, E, f)
    assert z is not None
    assert _dot(a, z) == 0 and all(_dot(r, z) < bi for r, bi in zip(A, b))


def _cdd_max(c, A, b):
    return cddb.lp_solve([F(v) for v in c], [list(map(F, r)) for r in A], list(map(F, b)), [], [], maximize=True)


def test_unit_rows_alone_do_not_imply_a_row_outside_their_coordinates():
    """Regression (hypothesis found it): with B = {x_0 <= 1, x_2 <= 1}, all unit rows, the
    square system is empty and the row x_3 <= 0 was declared implied (multipliers 0)."""
    n = 4
    H = [Halfspace((1, 0, 0, 0), F(1)), Halfspace((0, 0, 1, 0), F(1)), Halfspace((0, 0, 0, 1), F(0))]
    Ff, _ = hfirst._float_rows([h.normal for h in H[:2]], [h.offset for h in H[:2]], n)
    assert certificates._farkas_with_unit_rows([h.normal for h in H[:2]], H[2].normal, n, Ff) is False
    assert not hfirst._redundancy_certificate(H, [], 2, [0, 1], n, Ff)
    # a row the unit rows do imply is still proved: x_0 + x_2 <= 2
    H2 = H[:2] + [Halfspace((1, 0, 1, 0), F(2))]
    assert hfirst._redundancy_certificate(H2, [], 2, [0, 1], n, Ff)


@given(st.data())
@settings(max_examples=60, deadline=None)
def test_redundancy_certificate_is_a_proof(data):
    """Whenever the Farkas certificate (square solve on pivot columns when r < n) says
    row k is implied by rows B, cddlib's exact LP agrees: max a_k·x over B <= b_k. The
    rows B are random (often fewer than n: degenerate r < n cases), k is a positive
    combination of some of them plus a non-negative slack or a random row."""
    n = data.draw(st.integers(2, 6))
    r = data.draw(st.integers(1, n))
    ints = st.integers(-4, 4)
    B_rows = [tuple(data.draw(ints) for _ in range(n)) for _ in range(r)]
    B_rows = [w if any(w) else (1,) + (0,) * (n - 1) for w in B_rows]
    for t in range(r):  # coordinate bounds (unit rows): eliminated before the square solve
        if data.draw(st.booleans()):
            j = data.draw(st.integers(0, n - 1))
            B_rows[t] = tuple(data.draw(st.sampled_from([1, -1, 2])) if i == j else 0 for i in range(n))
    B_off = [F(data.draw(st.integers(1, 5))) for _ in range(r)]
    if data.draw(st.booleans()):
        y = [data.draw(st.integers(0, 3)) for _ in range(r)]
        ak = tuple(sum(yi * w[j] for yi, w in zip(y, B_rows)) for j in range(n))
        bk = _dot(y, B_off) + data.draw(st.integers(-1, 2))
    else:
        ak = tuple(data.draw(ints) for _ in range(n))
        bk = F(data.draw(st.integers(0, 5)))
    if not any(ak):
        return
    H = [Halfspace(w, o) for w, o in zip(B_rows, B_off)] + [Halfspace(ak, F(bk))]
    Ff, _ = hfirst._float_rows([h.normal for h in H[:r]], [h.offset for h in H[:r]], n)
    B = lp_float.independent_rows(Ff, list(range(r)), n)
    for Fmat in (Ff[B], None):  # pivot columns, and the Gram system
        ok = hfirst._redundancy_certificate(H, [], r, B, n, Fmat)
        if ok:
            res = _cdd_max(ak, [H[i].normal for i in B], [H[i].offset for i in B])
            assert res.status == "optimal" and res.value <= bk


@given(st.data())
@settings(max_examples=80, deadline=None)
def test_box_certificate_is_a_proof(data):
    """Whenever the box-completed certificate (float multipliers made integers, the
    residual cancelled by coordinate rows) says row k is implied by the live rows,
    cddlib's exact LP agrees; with HiGHS' multipliers for a row that is a positive
    combination plus a clear slack it succeeds. Rows may be big (up to 1400 bits)."""
    n = data.draw(st.integers(1, 6))
    bits = data.draw(st.sampled_from([3, 60, 1400]))
    big = st.integers(-(2**bits), 2**bits)
    H = []
    for j in range(n):  # a box, some of its rows dead (not live)
        e = tuple(int(i == j) for i in range(n))
        H.append(Halfspace(e, F(data.draw(st.integers(1, 4)), data.draw(st.integers(1, 3)))))
        H.append(Halfspace(tuple(-v for v in e), F(data.draw(st.integers(0, 4)))))
    r = data.draw(st.integers(1, 4))
    for _ in range(r):
        w = tuple(data.draw(big) for _ in range(n))
        if any(w):
            H.append(Halfspace(w, F(data.draw(big), data.draw(st.integers(1, 9))) + sum(abs(v) for v in w) * 5))
    y = [data.draw(st.integers(0, 3)) for _ in H]
    ak = tuple(sum(yi * h.normal[j] for yi, h in zip(y, H)) for j in range(n))
    if not any(ak):
        return
    extra = F(data.draw(st.integers(-2, 3)), data.draw(st.integers(1, 5)))  # slack relative to the row's size
    bk = sum((yi * h.offset for yi, h in zip(y, H)), F(0)) + extra * (1 + sum(abs(v) for v in ak))
    H.append(Halfspace(ak, bk))
    k = len(H) - 1
    live = [data.draw(st.booleans()) or i >= 2 * n for i in range(len(H))]
    live[k] = True
    rows = [h.normal for h in H]
    scales = hfirst._row_scales(rows)
    units = hfirst._unit_rows(H)
    # multipliers on the normalised rows: the true ones, perturbed like float noise, or random
    E, nr = scales
    cand = [i for i in range(k) if live[i] and y[i]]
    noisy = data.draw(st.booleans())
    ys = []
    for i in cand:
        t = float(y[i]) * (2.0 ** (E[i] - E[k])) * float(nr[i]) / float(nr[k])
        ys.append(t * (1 + data.draw(st.floats(-1e-12, 1e-12))) if noisy else data.draw(st.floats(1e-3, 10.0)))
    ok = hfirst._box_certificate(H, k, cand, ys, scales, units, live)
    use = [i for i in range(k) if live[i]]
    res = _cdd_max(ak, [H[i].normal for i in use], [H[i].offset for i in use])
    if ok:  # implied: the maximum of a_k·x over the live rows is at most b_k (vacuous if they are infeasible)
        assert res.status == "infeasible" or (res.status == "optimal" and res.value <= bk), res.status
    # good multipliers with a clear slack: proved. "Clear" relative to the offsets the noisy
    # multipliers weigh (a relative error ~1e-12 on y_i moves the combined offset by about
    # 1e-12 * sum y_i |b_i|, which 1400-bit offsets make larger than a slack of the row's size)
    noise = sum((yi * abs(h.offset) for yi, h in zip(y, H)), F(0))
    if noisy and all(live) and cand and extra > 0 and extra * (1 + sum(abs(v) for v in ak)) > noise / 2**30:
        assert ok


def test_redundancy_certificate_square_solve_on_a_degenerate_face():
    """r < n: a_k = a_0 + a_1 in R^5 (rank-2 basis), proved with the pivot columns."""
    H = [Halfspace((1, 0, 0, 0, 0), F(1)), Halfspace((0, 1, 1, 0, 0), F(1)), Halfspace((1, 1, 1, 0, 0), F(2))]
    Ff, _ = hfirst._float_rows([h.normal for h in H[:2]], [1, 1], 5)
    assert hfirst._redundancy_certificate(H, [], 2, [0, 1], 5, Ff)
    H[2] = Halfspace((1, 1, 1, 0, 0), F(3, 2))  # tighter than implied: not redundant
    assert not hfirst._redundancy_certificate(H, [], 2, [0, 1], 5, Ff)
    H[2] = Halfspace((1, 1, 1, 1, 0), F(5))  # not in the span
    assert not hfirst._redundancy_certificate(H, [], 2, [0, 1], 5, Ff)
    # with coordinate bounds among the rows (eliminated first): a_k = 2 e_3 - e_4 + (0, 1, 1, 0, 0)
    H = [
        Halfspace((0, 0, 0, 1, 0), F(1)),
        Halfspace((0, 0, 0, 0, -1), F(0)),
        Halfspace((0, 1, 1, 0, 0), F(1)),
        Halfspace((0, 1, 1, 2, -1), F(3)),
    ]
    Ff, _ = hfirst._float_rows([h.normal for h in H[:3]], [h.offset for h in H[:3]], 5)
    N, D = certificates._farkas_with_unit_rows([h.normal for h in H[:3]], H[3].normal, 5, Ff)
    assert [F(int(v), int(D)) for v in N] == [2, 1, 1]
    assert hfirst._redundancy_certificate(H, [], 3, [0, 1, 2], 5, Ff)  # 2·1 + 0 + 1 = 3 <= 3
    H[3] = Halfspace((0, 1, 1, 2, -1), F(5, 2))
    assert not hfirst._redundancy_certificate(H, [], 3, [0, 1, 2], 5, Ff)
    H[3] = Halfspace((0, 1, 1, -2, -1), F(9))  # needs a negative multiplier on x_4 <= 1
    assert not hfirst._redundancy_certificate(H, [], 3, [0, 1, 2], 5, Ff)
    H[3] = Halfspace((1, 1, 1, 2, -1), F(9))  # x_1 not reachable
    assert certificates._farkas_with_unit_rows([h.normal for h in H[:3]], H[3].normal, 5, Ff) is False


def _random_cell(rng, n, extra):
    z = [F(rng.randint(20, 80), 100) for _ in range(n)]
    box = Polytope.box([(0, 1)] * n).facets
    A, b = [list(h.normal) for h in box], [h.offset for h in box]
    for _ in range(extra):
        a = [F(rng.randint(-20, 20), rng.randint(1, 10)) for _ in range(n)]
        A.append(a)
        b.append(_dot(a, z) + F(rng.randint(1, 40), 7))
    return A, b


def test_adversarial_float_proposals_never_change_the_answer(monkeypatch):
    """Garbage from HiGHS (wrong points, wrong multipliers, failures) only sends rows to
    the exact LPs: the canonical data stay cddlib's."""
    rng = random.Random(5)
    A, b = _random_cell(rng, 5, 14)
    V = Polytope.from_hrep(A, b, engine="vertices")
    real_solve = lp_float.WarmLP.solve
    real_propose = lp_float.propose
    junk = random.Random(9)

    def bad_solve(self, c):
        p = real_solve(self, c)
        if p.status != "optimal":
            return p
        x = tuple(junk.uniform(-3, 3) for _ in p.x)
        dual = tuple(junk.choice([0.0, 1.0]) for _ in p.dual)
        return type(p)("optimal", x, dual, p.dual_eq, p.slack)

    def bad_propose(*args):
        p = real_propose(*args)
        if p.status != "optimal":
            return p
        return type(p)("optimal", tuple(7.0 for _ in p.x), p.dual, p.dual_eq, p.slack)

    def bad_directions(P, rows, *args, **kw):
        rows = list(rows)
        return {junk.choice(rows): np.array([junk.uniform(-1, 1) for _ in range(P.shape[1])]) for _ in range(len(rows))}

    for patch in ("solve", "propose", "directions", "fail"):
        monkeypatch.undo()
        if patch == "solve":
            monkeypatch.setattr(lp_float.WarmLP, "solve", bad_solve)
        elif patch == "directions":
            monkeypatch.setattr(lp_float, "hit_directions", bad_directions)
        elif patch == "propose":
            monkeypatch.setattr(lp_float, "propose", bad_propose)
        else:
            monkeypatch.setattr(lp_float.WarmLP, "solve", lambda self, c: lp_float.FloatProposal("failed", (), (), (), ()))
            monkeypatch.setattr(lp_float, "propose", lambda *a: lp_float.FloatProposal("failed", (), (), (), ()))
        reset_lp_statistics()
        L = Polytope.from_hrep(A, b, engine="lp")
        s = lp_statistics()
        if patch in ("solve", "fail"):  # (junk directions and proposals for the exact LPs need not reach them)
            assert s["certified"] + s["fallback"] > 0  # the exact LPs did run
        if patch == "fail":
            assert s["rounded_interior"] == s["farkas_redundant"] == 0
        assert L.facets == V.facets and L.facet_input_rows == V.facet_input_rows and L.dim == V.dim
        for i in range(L.n_facets):
            w = L.facet_witness(i)
            assert V.side(i, w).name == "ZERO"
            assert all(_dot(h.normal, w) < h.offset for k, h in enumerate(V.facets) if k != i)


def test_warm_lp_matches_a_fresh_proposal(monkeypatch):
    """The warm-started model and a fresh scipy proposal (the fallback when SciPy's
    HiGHS bindings are missing) agree on optimal values, with changed right-hand sides."""
    rng = np.random.default_rng(2)
    m, n = 30, 6
    F_ = rng.standard_normal((m, n))
    g = rng.uniform(0.5, 2.0, m)
    G = rng.standard_normal((1, n))
    W = lp_float.WarmLP(F_, g, G)
    monkeypatch.setattr(lp_float, "_highs_core", lambda: None)
    W0 = lp_float.WarmLP(F_, g, G)
    assert W0._h is None and W._h is not None
    for k in range(10):
        c = rng.standard_normal(n)
        for X in (W, W0):
            X.set_upper(k, 2 * g[k])
        p, p0 = W.solve(c), W0.solve(c)
        assert p.status == p0.status == "optimal"
        assert abs(float(c @ np.asarray(p.x)) - float(c @ np.asarray(p0.x))) < 1e-7
        assert np.allclose(np.asarray(p.dual) @ F_ + np.asarray(p.dual_eq) @ G, c, atol=1e-7)
        for X in (W, W0):
            X.set_upper(k, g[k] if k % 2 else float("inf"))


def test_high_dimensional_cell_needs_no_exact_lp():
    """A 64-D cell with 180 rows: every facet proved by an exact ray hit and every
    redundant row by exact multipliers; no certified or cddlib LP is needed, and the
    facets agree with the exact LP path (the fast path switched off)."""
    rng = random.Random(11)
    A, b = _random_cell(rng, 24, 40)
    reset_lp_statistics()
    P = Polytope.from_hrep(A, b, engine="lp")
    s = lp_statistics()
    assert s["certified"] == s["fallback"] == 0
    assert s["ray_facets"] == P.n_facets and s["farkas_redundant"] == len(A) - P.n_facets
    assert s["rounded_interior"] == 1
    for i, k in enumerate(P.facet_input_rows):
        w = P.facet_witness(i)
        assert _dot(A[k], w) == b[k] and all(_dot(A[r], w) < b[r] for r in range(len(A)) if r != k)
    kept = _cdd_facet_rows(A, b)
    assert list(P.facet_input_rows) == kept


@given(st.integers(2, 5).flatmap(lambda d: rational_hreps(d, 14)), st.randoms(use_true_random=False))
@settings(max_examples=40, deadline=None)
def test_screened_first_hits_equal_exact_first_hits(ab, rnd):
    """The fixed-point screen of :meth:`_Rays.first_hits` decides only what the exact
    shot (``A d`` in integers, cross-multiplied first hits) decides, with some rows
    switched off; directions include the normals (often exact ties at a vertex)."""
    A, b = ab
    n = len(A[0])
    H = _distinct(A, b)
    z = tuple(F(0) for _ in range(n))  # inside by construction
    rays = hfirst._Rays(H, z, n)
    D = [list(h.normal) for h in H] + [[rnd.randint(-(2**40), 2**40) for _ in range(n)] for _ in range(10)]
    D = [d for d in D if any(d)]
    D += [[sum(x) for x in zip(D[0], D[-1])]]
    for live in ([True] * len(H), [rnd.random() < 0.7 for _ in H]):
        got = rays.first_hits(D, live)
        want = [rays_mod._exact_first_hit(rays.S, u, live) for u in rays.shoot(D)]
        assert got == want


def test_near_tie_goes_to_the_exact_shot():
    """Two rows met at ``t = 1`` and ``t = 1 + 2^-200`` along ``d = e_1``: neither the
    64-bit nor the 80-bit screen separates them, the exact shot does; at ``t = 1 +
    2^-40`` the 80-bit screen does; an exact tie gives both rows."""
    big = 2**200
    z = (F(0), F(0))
    d = [[1, 0]]
    near = [Halfspace((1, 0), F(1)), Halfspace((big, 1), F(big + 1)), Halfspace((0, 1), F(1))]
    tie = [Halfspace((1, 0), F(1)), Halfspace((big, 1), F(big)), Halfspace((0, 1), F(1))]
    far = [Halfspace((1, 0), F(1)), Halfspace((1, 1), F(2)), Halfspace((0, 1), F(1))]
    mid = [Halfspace((1, 0), F(1)), Halfspace((2**40, 1), F(2**40 + 1)), Halfspace((0, 1), F(1))]
    for H, want, shots in ((near, [0], 1), (tie, [0, 1], 1), (far, [0], 0), (mid, [0], 0)):
        reset_lp_statistics()
        rays = hfirst._Rays(H, z, 2)
        assert rays.first_hits(d, [True] * 3) == [want]
        assert lp_statistics()["exact_shots"] == shots
        if want == [0]:
            w = rays_mod._witness_point(rays.witness(0, d[0]))
            assert w == (F(1), F(0)) and all(_dot(h.normal, w) < h.offset for h in H[1:])
    reset_lp_statistics()
    assert hfirst._Rays(near, z, 2).first_hits(d, [False, True, True]) == [[1]]  # row 0 switched off


def test_integer_witnesses_equal_the_fraction_witnesses():
    """A facet witness asked for as integers ``(X, q)`` is the point of facet_witness,
    whether it came from a ray (kept as integers) or from the witness LP."""
    rng = random.Random(3)
    A, b = _random_cell(rng, 6, 20)
    P = Polytope.from_hrep(A, b, engine="lp")
    kinds = {type(w).__name__ for w in P.__dict__["_facet_witness_memo"].values()}
    assert "_RayPoint" in kinds
    ints = [hfirst._facet_witness_ints(P, i) for i in range(P.n_facets)]
    for i, (X, q) in enumerate(ints):
        assert q > 0 and tuple(F(x, q) for x in X) == P.facet_witness(i)
    P.__dict__["_facet_witness_memo"].clear()  # now through the witness LP (Fractions)
    for i in range(P.n_facets):
        X, q = hfirst._facet_witness_ints(P, i)
        w = P.facet_witness(i)
        assert tuple(F(x, q) for x in X) == w and _dot(P.facets[i].normal, w) == P.facets[i].offset


def test_box_certificate_skips_multipliers_below_the_float_range():
    # a_k = N x (N ~ 2^1400) implied by N x <= 5N and -x <= 0: the float multiplier of the
    # unit row -x <= 0 relative to a_k is ~2^-1400, i.e. 0.0 in floats; the row is then
    # left out and the residual cancelled by that same coordinate row (found by hypothesis)
    N = 3 * 2**1400 + 1
    H = [Halfspace((1,), F(1)), Halfspace((-1,), F(0)), Halfspace((N,), F(5 * N)), Halfspace((N - 1,), F(6 * N))]
    k = 3
    scales = hfirst._row_scales([h.normal for h in H])
    E, nr = scales
    ys = [float(y) * 2.0 ** (E[i] - E[k]) * float(nr[i]) / float(nr[k]) for i, y in ((1, 1), (2, 1))]
    assert ys[0] == 0.0 and ys[1] > 0
    assert hfirst._box_certificate(H, k, [1, 2], ys, scales, hfirst._unit_rows(H), [True] * 4)
    res = _cdd_max(H[k].normal, [h.normal for h in H[:k]], [h.offset for h in H[:k]])
    assert res.status == "optimal" and res.value <= H[k].offset  # the exact LP agrees
    # a negative or non-finite multiplier still refuses
    assert not hfirst._box_certificate(H, k, [1, 2], [-1e-300, ys[1]], scales, hfirst._unit_rows(H), [True] * 4)
    assert not hfirst._box_certificate(H, k, [1, 2], [float("nan"), ys[1]], scales, hfirst._unit_rows(H), [True] * 4)
