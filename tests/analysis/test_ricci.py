"""Ollivier and Forman Ricci curvature: hand-worked values, exact vs float, certified
surd variants, W1 against the closed form on the line."""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

import pytest
from _curvature_helpers import complex_of
from hypothesis import given, settings
from hypothesis import strategies as st

from exactgeom import arrangement
from exactgeom.analysis import transport
from exactgeom.analysis.ricci import (
    WalkGraph,
    forman_ricci_graph,
    graph_from_complex,
    lazy_walk,
    ollivier_ricci_graph,
    ricci_curvature,
    wasserstein1,
)
from exactgeom.analysis.surd_ratio import SurdRatio
from exactgeom.errors import InvalidInputError, UndecidedError
from exactgeom.numbers import Surd, SurdSum
from exactgeom.strategies.curvature import walk_graphs
from exactgeom.strategies.partitions import arrangements

F = Fraction


def K(n):
    return WalkGraph.uniform(n, list(itertools.combinations(range(n), 2)))


def C(n):
    return WalkGraph.uniform(n, [(i, (i + 1) % n) for i in range(n)])


def Path(n):
    return WalkGraph.uniform(n, [(i, i + 1) for i in range(n - 1)])


# ---------------------------------------------------------------------- hand-worked values
@pytest.mark.parametrize("n", [2, 3, 4, 5, 7])
@pytest.mark.parametrize("alpha", [F(1, 2), F(0), F(1, 3), F(1)])
def test_complete_graph(n, alpha):
    # Lazy walk on K_n: m_x = α at x and (1−α)/(n−1) at each other vertex; same for y.
    # Every third vertex z carries (1−α)/(n−1) in both: it stays.  At x: m_x has α,
    # m_y has (1−α)/(n−1); at y the reverse.  So |α − (1−α)/(n−1)| moves between x and
    # y, distance 1:  Ric = 1 − |α − (1−α)/(n−1)|;  for α = 1/2: n / (2(n−1)).
    expected = 1 - abs(alpha - (1 - alpha) / (n - 1))
    got = ollivier_ricci_graph(K(n), alpha=alpha)
    assert set(got.values()) == {expected}
    if alpha == F(1, 2):
        assert expected == F(n, 2 * (n - 1))


@pytest.mark.parametrize("n, expected", [(3, F(3, 4)), (4, F(1, 2)), (5, F(1, 4)), (6, F(0)), (9, F(0))])
def test_cycle(n, expected):
    # Edge (0, 1) of C_n, α = 1/2: m_0 = 1/2·δ0 + 1/4·δ1 + 1/4·δ(n−1),
    # m_1 = 1/2·δ1 + 1/4·δ0 + 1/4·δ2.  After leaving the common 1/4 at 0 and 1:
    # supply 1/4 at 0 and 1/4 at n−1, demand 1/4 at 1 and 1/4 at 2.
    # n = 3: n−1 = 2, nothing else moves but 1/4 from 0 to 1: W1 = 1/4, Ric = 3/4 (= K_3).
    # n = 4: 0→1 and 3→2, each distance 1: W1 = 1/2, Ric = 1/2.
    # n = 5: 0→1 (1) and 4→2 (distance 2, via 3): W1 = 3/4, Ric = 1/4  (the crossing plan
    #        0→2, 4→1 costs 2 + 2); the dual f = (1,0,0,1,2) on (0..4) attains 3/4.
    # n ≥ 6: like the line: cumulative mass 1/4, 1/2, 1/4 over three unit steps: W1 = 1, Ric = 0.
    assert set(ollivier_ricci_graph(C(n)).values()) == {expected}


def test_path():
    # Path 0–1–…–(m−1), α = 1/2.  End edge (0, 1) with m ≥ 3: m_0 = 1/2·δ0 + 1/2·δ1,
    # m_1 = 1/2·δ1 + 1/4·δ0 + 1/4·δ2: move 1/4 from 0 to 2 (distance 2): W1 = 1/2, Ric = 1/2.
    # Interior edge (i, i+1), both of degree 2: like the line, W1 = 1, Ric = 0.
    # m = 2 (a single edge): both walks are 1/2·δ0 + 1/2·δ1: Ric = 1.
    assert ollivier_ricci_graph(Path(2)) == {(0, 1): 1}
    assert ollivier_ricci_graph(Path(3)) == {(0, 1): F(1, 2), (1, 2): F(1, 2)}
    got = ollivier_ricci_graph(Path(6))
    assert got[(0, 1)] == got[(4, 5)] == F(1, 2)
    assert got[(1, 2)] == got[(2, 3)] == got[(3, 4)] == 0


def test_forman_uniform_closed_form():
    # uniform weights: F(e) = 2 − (deg v1 − 1) − (deg v2 − 1) = 4 − deg v1 − deg v2
    for G in (K(5), C(6), Path(5)):
        deg = [len(G.adj[v]) for v in range(G.n)]
        assert forman_ricci_graph(G) == {(i, j): F(4 - deg[i] - deg[j]) for i, j in G.edges}


def test_forman_weighted_by_hand():
    # star 0–1, 0–2 with w = (2, 1, 3), w_e(01) = 4, w_e(02) = 9:
    # F(01) = w0 + w1 − w0·w_01/√(w_01 w_02) = 3 − 2·4/6 = 5/3; F(02) = 5 − 2·9/6 = 2
    G = WalkGraph(3, ((0, 1), (0, 2)), (F(2), F(1), F(3)), None, {(0, 1): F(4), (0, 2): F(9)})
    assert forman_ricci_graph(G) == {(0, 1): F(5, 3), (0, 2): F(2)}
    G2 = WalkGraph(3, ((0, 1), (0, 2)), (F(1),) * 3, None, {(0, 1): F(1), (0, 2): F(2)})
    val = forman_ricci_graph(G2)[(0, 1)]  # 2 − 1/√2
    assert val == SurdSum([2, Surd(F(-1, 2), 2)])
    assert abs(float(val) - forman_ricci_graph(G2, exact=False)[(0, 1)]) < 1e-12
    G3 = WalkGraph(3, ((0, 1), (0, 2)), (F(1),) * 3, None, {(0, 1): Surd(1, 2), (0, 2): Surd(1, 3)})
    with pytest.raises(UndecidedError):
        forman_ricci_graph(G3)


# ---------------------------------------------------------------------- W1
@given(
    st.lists(st.integers(0, 5), min_size=5, max_size=5).filter(any),
    st.lists(st.integers(0, 5), min_size=5, max_size=5).filter(any),
)
def test_w1_on_the_line_matches_cdf_formula(a, b):
    sa, sb = sum(a), sum(b)
    mu = {i: F(x, sa) for i, x in enumerate(a) if x}
    nu = {i: F(x, sb) for i, x in enumerate(b) if x}
    # W1 on the integers = Σ_k |F_mu(k) − F_nu(k)| (unit spacing)
    cdf = F(0)
    closed = F(0)
    for k in range(4):
        cdf += mu.get(k, 0) - nu.get(k, 0)
        closed += abs(cdf)
    dist = lambda x, y: F(abs(x - y))  # noqa: E731
    assert wasserstein1(mu, nu, dist) == closed
    assert abs(wasserstein1(mu, nu, dist, exact=False) - float(closed)) < 1e-12


def test_w1_certified_surd_costs():
    # points on a line at surd positions: W1 = Σ |CDF difference| × gap, still exact
    xs = [F(0), Surd(1, 2), Surd(1, 2) + 1, Surd(3, 3)]
    dist = lambda i, j: abs(SurdSum(xs[i]) - SurdSum(xs[j])) if i != j else Surd(0)  # noqa: E731
    mu = {0: F(1, 2), 2: F(1, 2)}
    nu = {1: F(1, 4), 3: F(3, 4)}
    # sorted positions: 0, √2 ≈ 1.41, 1+√2 ≈ 2.41, 3√3 ≈ 5.2
    # CDF diff after 0: 1/2, after √2: 1/4, after 1+√2: 3/4 → W1 = ½√2 + ¼·1 + ¾(3√3 − 1 − √2)
    expected = SurdSum([Surd(F(1, 2), 2), F(1, 4), Surd(F(9, 4), 3), F(-3, 4), Surd(F(-3, 4), 2)])
    assert wasserstein1(mu, nu, dist) == expected


def test_invalid_w1():
    with pytest.raises(InvalidInputError):
        wasserstein1({0: F(1)}, {0: F(1, 2)}, lambda a, b: F(0))
    with pytest.raises(InvalidInputError):
        wasserstein1({0: F(-1), 1: F(2)}, {0: F(1)}, lambda a, b: F(0))


# ---------------------------------------------------------------------- exact vs float
@given(walk_graphs())
def test_exact_vs_float_rational(G):
    ex = ollivier_ricci_graph(G)
    fl = ollivier_ricci_graph(G, exact=False)
    for e in G.edges:
        assert isinstance(ex[e], Fraction)
        assert abs(float(ex[e]) - fl[e]) < 1e-9


@settings(deadline=None)
@given(walk_graphs(max_vertices=6, surd_factors=True), st.sampled_from(["hops", "centroid"]))
def test_exact_vs_float_surd_variants(G, distance):
    ex = ollivier_ricci_graph(G, distance=distance)
    fl = ollivier_ricci_graph(G, distance=distance, exact=False)
    for e in G.edges:
        assert abs(float(ex[e]) - fl[e]) < 1e-9


@given(walk_graphs(max_vertices=6), st.sampled_from([F(0), F(1, 4), F(1, 2), F(1)]))
def test_walk_is_a_probability_measure(G, alpha):
    for i in range(G.n):
        S, parts = lazy_walk(G, i, alpha)
        m = {k: v / S for k, v in parts.items()}
        assert sum(m.values(), F(0)) == 1
        assert all(v >= 0 for v in m.values())
        assert set(m) <= G.adj[i] | {i}


def test_alpha_one_gives_zero_curvature():
    # α = 1: both walks are Dirac masses; W1 = d(i, j) and Ric = 0 on every edge
    rng = random.Random(2)
    edges = [(i, j) for i, j in itertools.combinations(range(6), 2) if rng.random() < 0.5]
    G = WalkGraph.uniform(6, edges)
    assert set(ollivier_ricci_graph(G, alpha=1).values()) <= {0}


def test_certificate_fallback_and_failure(monkeypatch):
    G = WalkGraph(
        4,
        ((0, 1), (0, 2), (1, 3), (2, 3), (0, 3)),
        (F(1), F(2), F(3), F(1)),
        {e: Surd(1, d) for e, d in zip(((0, 1), (0, 2), (1, 3), (2, 3), (0, 3)), (2, 3, 5, 7, 1))},
    )
    good = ollivier_ricci_graph(G)
    real = transport._float_lp

    def wrong(supply, demand, cost):  # a feasible but non-optimal float plan
        return real(supply, demand, lambda a, b: -cost(a, b))

    monkeypatch.setattr(transport, "_float_lp", wrong)
    # the float basis is rejected; the basis of the rational approximation certifies
    assert ollivier_ricci_graph(G) == good
    monkeypatch.setattr(transport, "_tree_from_rational", transport._tree_from_float)
    with pytest.raises(UndecidedError):
        ollivier_ricci_graph(G)


def test_tiny_masses_are_certified():
    """Face-weight walks with a mass of ~1e-8 (below HiGHS's default tolerance)."""
    G = WalkGraph(
        5,
        ((0, 1), (0, 2), (0, 3), (1, 4), (3, 4), (2, 4)),
        (F(1), F(1), F(1, 10**8), F(1), F(1)),
        {(0, 1): Surd(1, 2), (0, 2): Surd(1, 3), (0, 3): F(1), (1, 4): Surd(1, 5), (3, 4): Surd(1, 7), (2, 4): F(2)},
    )
    ex = ollivier_ricci_graph(G)
    fl = ollivier_ricci_graph(G, exact=False)
    for e in ex:
        assert abs(float(ex[e]) - fl[e]) < 1e-9


def test_surd_ratio_results_are_exact():
    G = WalkGraph(3, ((0, 1), (1, 2), (0, 2)), (F(1), F(1), F(2)), {(0, 1): Surd(1, 2), (1, 2): Surd(1, 3), (0, 2): F(1)})
    r = ollivier_ricci_graph(G)[(0, 1)]
    assert isinstance(r, (SurdRatio, SurdSum, Fraction))
    assert abs(float(r) - ollivier_ricci_graph(G, exact=False)[(0, 1)]) < 1e-12


# ---------------------------------------------------------------------- on complexes
@settings(deadline=None)
@given(arrangements(n=2, max_hyperplanes=4), st.sampled_from([None, "uniform", "face"]))
def test_complex_ollivier_exact_vs_float(wc, edge_weight):
    P = arrangement(wc[0], wc[1], [(-2, 2), (-2, 2)])
    Kx = complex_of(P)
    ex = ricci_curvature(Kx, edge_weight=edge_weight)
    fl = ricci_curvature(Kx, edge_weight=edge_weight, exact=False)
    assert set(ex) == set(fl) == {tuple(e) for e in Kx.simplices(1)}
    for e in ex:
        assert abs(float(ex[e]) - fl[e]) < 1e-9


def test_complex_strips_and_data():
    # three vertical strips of widths 1, 1/2, 1/2: a path; volume weights
    S = arrangement([[1, 0], [1, 0]], [0, F(1, 2)], [(-1, 1), (0, 1)])
    Kx = complex_of(S)
    vols = [c.volume() for c in S.cells]
    assert vols == [1, F(1, 2), F(1, 2)]
    # m_0 = 1/2 δ0 + 1/2 δ1; m_1 = 1/2 δ1 + (1/2)(1/(1+1/2)) δ0 + (1/2)(1/2/(3/2)) δ2
    #     = 1/2 δ1 + 1/3 δ0 + 1/6 δ2.  Supply 1/6 at 0 → demand 1/6 at 2 (distance 2): W1 = 1/3.
    got = ricci_curvature(Kx)
    assert got[(0, 1)] == F(2, 3)
    # with data: masses (1, 0, 3).  Cell 0's only neighbour has no data, so its walk
    # stays: m_0 = δ0.  m_1 = 1/2 δ1 + 1/2·(1/4) δ0 + 1/2·(3/4) δ2 = 1/2 δ1 + 1/8 δ0 + 3/8 δ2.
    # Supply 7/8 at 0; demand 1/2 at 1 (distance 1) and 3/8 at 2 (distance 2):
    # W1 = 1/2 + 3/4 = 5/4, Ric = −1/4.
    data = [["-1/2", "1/2"], ["3/4", "1/2"], ["3/4", "1/4"], ["7/8", "1/2"]]
    got = ricci_curvature(Kx, data=data)
    assert got[(0, 1)] == F(-1, 4)
    G = graph_from_complex(Kx, data=data)
    assert G.weights == (1, 0, 3)


def test_forman_on_complex_is_exact():
    P = arrangement([[1, 1], [1, -2]], [0, F(1, 2)], [(-1, 1), (-1, 1)])
    Kx = complex_of(P)
    ex = ricci_curvature(Kx, method="forman")
    fl = ricci_curvature(Kx, method="forman", exact=False)
    for e in ex:
        assert abs(float(ex[e]) - fl[e]) < 1e-9


@pytest.mark.parametrize(
    "call",
    [
        lambda: WalkGraph(2, ((0, 0),), (F(1), F(1))),
        lambda: WalkGraph(2, ((0, 5),), (F(1), F(1))),
        lambda: WalkGraph(2, ((0, 1),), (F(1),)),
        lambda: ollivier_ricci_graph(K(3), alpha=2),
        lambda: ollivier_ricci_graph(K(3), alpha=0.5),
        lambda: ollivier_ricci_graph(K(3), distance="manhattan"),
        lambda: ollivier_ricci_graph(K(3), distance="centroid"),
        lambda: ollivier_ricci_graph(Path(3), edges=[(0, 2)]),
        lambda: ricci_curvature(object()),
        lambda: ricci_curvature(complex_of(arrangement([[1, 0]], [0], [(-1, 1), (-1, 1)])), method="bogus"),
        lambda: ricci_curvature(complex_of(arrangement([[1, 0]], [0], [(-1, 1), (-1, 1)])), edge_weight="data"),
        lambda: ricci_curvature(complex_of(arrangement([[1, 0]], [0], [(-1, 1), (-1, 1)])), edge_weight="bogus"),
        lambda: ricci_curvature(complex_of(arrangement([[1, 0]], [0], [(-1, 1), (-1, 1)])), face_weight="bogus"),
        lambda: ricci_curvature(complex_of(arrangement([[1, 0]], [0], [(-1, 1), (-1, 1)])), data=[[5, 5]]),
    ],
)
def test_invalid_inputs(call):
    with pytest.raises(InvalidInputError):
        call()
