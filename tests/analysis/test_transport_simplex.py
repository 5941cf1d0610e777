"""The integer transportation simplex against cddlib's exact LP (an independent oracle),
and Ollivier–Ricci through it against the cddlib route."""

from __future__ import annotations

from fractions import Fraction as F

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactgeom.analysis import transport
from exactgeom.analysis.ricci import lazy_walk, ollivier_ricci_graph
from exactgeom.analysis.transport import integer_parts, transport_simplex, w1_of_integer_parts, w1_of_parts
from exactgeom.errors import InvalidInputError
from exactgeom.strategies.curvature import walk_graphs

masses = st.fractions(min_value=0, max_value=5, max_denominator=7)


@st.composite
def problems(draw):
    m, n = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    s = draw(st.lists(masses, min_size=m, max_size=m))
    t = draw(st.lists(masses, min_size=n, max_size=n))
    if sum(s) == 0 or sum(t) == 0:
        s[0] += 1
        t[0] += 1
    t = [x * sum(s) / sum(t) for x in t]
    # small cost sets make ties and degenerate pivots likely
    C = draw(st.lists(st.lists(st.sampled_from([F(0), F(1), F(2), F(1, 3), F(5, 2)]), min_size=n, max_size=n),
                      min_size=m, max_size=m))
    return s, t, C


@settings(max_examples=150, deadline=None)
@given(problems())
def test_transport_simplex_matches_cddlib(p):
    s, t, C = p
    value, plan = transport_simplex(s, t, C)
    assert value == transport._w1_cdd(dict(enumerate(s)), dict(enumerate(t)), lambda a, b: C[a][b])
    # the plan is feasible and attains the value
    assert all(x > 0 for x in plan.values())
    assert [sum(plan.get((i, j), 0) for j in range(len(t))) for i in range(len(s))] == s
    assert [sum(plan.get((i, j), 0) for i in range(len(s))) for j in range(len(t))] == t
    assert sum(C[i][j] * x for (i, j), x in plan.items()) == value


def test_transport_simplex_degenerate_and_closed_forms():
    # every row and column total equal: the north-west corner is maximally degenerate
    k = 6
    u = [F(1, k)] * k
    shift = [[F((j - i) % k) for j in range(k)] for i in range(k)]
    assert transport_simplex(u, u, shift)[0] == 0  # the identity plan costs nothing
    rev = [[F(abs(i - (k - 1 - j))) for j in range(k)] for i in range(k)]
    assert transport_simplex(u, u, rev)[0] == 0  # the anti-diagonal plan
    # on the line, W1 is the integral of |CDF difference|
    s, t = [F(1, 2), F(0), F(1, 2)], [F(0), F(1), F(0)]
    line = [[F(abs(i - j)) for j in range(3)] for i in range(3)]
    assert transport_simplex(s, t, line)[0] == 1
    huge = F(10**400 + 1, 3**300)
    assert transport_simplex([huge, huge], [huge, huge], [[F(0), F(1)], [F(1), F(0)]])[0] == 0


@pytest.mark.parametrize(
    "s, t, C",
    [([], [F(1)], []), ([F(1)], [F(2)], [[F(1)]]), ([F(-1), F(2)], [F(1)], [[F(1)], [F(1)]]), ([F(1)], [F(1)], [[F(1), F(2)]])],
)
def test_transport_simplex_invalid(s, t, C):
    with pytest.raises(InvalidInputError):
        transport_simplex(s, t, C)


def test_w1_of_parts_scaling_and_surd_refusal():
    mu, nu = {0: F(2), 1: F(2)}, {1: F(1, 3), 2: F(1, 3)}  # unnormalised parts
    assert w1_of_parts(mu, nu, lambda a, b: abs(a - b)) == 1
    assert w1_of_parts(mu, mu, lambda a, b: abs(a - b)) == 0
    from exactgeom.numbers import Surd

    assert w1_of_parts(mu, nu, lambda a, b: Surd(1, 2)) is None  # not rational: the caller's surd route


@settings(max_examples=40, deadline=None)
@given(walk_graphs())
def test_ollivier_integer_route_matches_cddlib_route(G):
    got = ollivier_ricci_graph(G)
    for (i, j), kappa in got.items():
        Si, pi = lazy_walk(G, i, F(1, 2))
        Sj, pj = lazy_walk(G, j, F(1, 2))
        if not (isinstance(Si, F) and isinstance(Sj, F)):
            continue
        mu = {k: v / Si for k, v in pi.items()}
        nu = {k: v / Sj for k, v in pj.items()}
        s, d = transport._split(mu, nu, exact_sign=False)
        w = transport._w1_cdd(s, d, lambda a, b: _hops(G, a, b)) if s else F(0)
        assert kappa == 1 - w / _hops(G, i, j), (i, j)


def _hops(G, a, b):
    from exactgeom.analysis.ricci import _hop

    return _hop(G, a, b)


def test_ollivier_on_a_relu_complex_matches_cddlib_route():
    """Volume-weighted walks on a real partition (big rational masses), every edge."""
    from exactgeom.analysis.ricci import graph_from_complex
    from exactgeom.complex import RiemannianComplex
    from exactgeom.partitions.relu import relu_network

    W = [[[1, 2], [2, -1], [1, 1], [-1, 3]], [[1, -1, 1, 2], [2, 1, -1, 1]]]
    b = [[0, F(1, 3), F(-1, 2), F(1, 5)], [F(1, 7), 0]]
    K = RiemannianComplex.from_partition(relu_network(W, b, [(-2, 2), (-2, 2)]))
    G = graph_from_complex(K, edge_weight="volume", method="ollivier", distance="hops")
    got = ollivier_ricci_graph(G)
    assert len(got) >= 10
    for (i, j), kappa in got.items():
        Si, pi = lazy_walk(G, i, F(1, 2))
        Sj, pj = lazy_walk(G, j, F(1, 2))
        s, d = transport._split({k: v / Si for k, v in pi.items()}, {k: v / Sj for k, v in pj.items()}, exact_sign=False)
        w = transport._w1_cdd(s, d, lambda a, c: _hops(G, a, c)) if s else F(0)
        assert kappa == 1 - w / _hops(G, i, j)


@pytest.mark.parametrize(
    "mu, nu",
    [({0: F(-1), 1: F(2)}, {1: F(1)}), ({0: F(0)}, {1: F(1)}), ({0: F(1)}, {1: F(0)})],
    ids=["negative mass", "zero total (mu)", "zero total (nu)"],
)
def test_w1_of_parts_invalid(mu, nu):
    with pytest.raises(InvalidInputError, match="masses must be >= 0 with positive totals"):
        w1_of_parts(mu, nu, lambda a, b: abs(a - b))
    with pytest.raises(InvalidInputError, match="masses must be >= 0 with positive totals"):
        integer_parts(mu if sum(mu.values()) <= 0 or min(mu.values()) < 0 else nu)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.fractions(min_value=0, max_value=50, max_denominator=10**30), min_size=1, max_size=6),
       st.lists(st.fractions(min_value=0, max_value=50, max_denominator=10**30), min_size=1, max_size=6),
       st.fractions(min_value=F(1, 10**20), max_value=10**20))
def test_integer_parts_are_the_normalised_measure(a, b, c):
    """``P/T`` is the normalised measure whatever the scaling of the parts, and the integer
    route gives the value of the rational simplex on the normalised masses."""
    mu = {k: x for k, x in enumerate(a)}
    nu = {k + 1: x for k, x in enumerate(b)}
    if sum(a) == 0 or sum(b) == 0:
        return
    P, T = integer_parts(mu)
    assert {k: F(int(v), int(T)) for k, v in P.items()} == {k: x / sum(a) for k, x in mu.items()}
    P2, T2 = integer_parts({k: c * x for k, x in mu.items()})
    assert (P2, T2) == (P, T)  # the gcd-reduced scaling does not depend on the scale of the parts
    dist = lambda x, y: abs(x - y)  # noqa: E731
    s, d = transport._split({k: x / sum(a) for k, x in mu.items()}, {k: x / sum(b) for k, x in nu.items()}, exact_sign=False)
    expect = transport._w1_exact_rational(s, d, dist) if s else F(0)
    assert w1_of_integer_parts(P, T, *integer_parts(nu), dist) == expect


@settings(max_examples=30, deadline=None)
@given(st.lists(st.fractions(min_value=0, max_value=50, max_denominator=10**40), min_size=1, max_size=6),
       st.lists(st.fractions(min_value=0, max_value=50, max_denominator=10**40), min_size=1, max_size=6))
def test_python_ints_and_gmp_give_the_same_exact_values(a, b):
    """Masses, sums and W1 through Python ints (below GMP_BITS) and through gmpy2 (above)
    are the same exact numbers: both kinds are forced on the same data."""
    from exactgeom.analysis.ricci import _fraction_sum

    mu = {k: x for k, x in enumerate(a)}
    nu = {k + 1: x for k, x in enumerate(b)}
    if sum(a) == 0 or sum(b) == 0:
        return
    dist = lambda x, y: abs(x - y)  # noqa: E731
    got = {}
    for bits in (10**9, -1):  # never GMP, always GMP
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(transport, "GMP_BITS", bits)
            P, T = integer_parts(mu)
            kinds = {type(v) for v in P.values()} | {type(T)}
            assert (kinds == {int}) == (bits > 0)
            got[bits] = (P, T, w1_of_parts(mu, nu, dist), _fraction_sum(a + b))
    assert got[10**9] == got[-1]
    assert got[-1][3] == sum(a + b, F(0)) and type(got[-1][3].numerator) is int
    assert type(got[-1][2]) is F and type(got[-1][2].numerator) is int


def test_ricci_of_a_complex_is_the_same_with_and_without_gmp():
    from exactgeom.analysis.ricci import ricci_curvature
    from exactgeom.complex import RiemannianComplex
    from exactgeom.partitions.relu import relu_network

    W = [[[1, 2], [2, -1], [1, 1]], [[1, -1, 1], [2, 1, -1]]]
    b = [[0, F(1, 3), F(-1, 2)], [F(1, 7), 0]]
    K = RiemannianComplex.from_partition(relu_network(W, b, [(-2, 2), (-2, 2)]))
    got = []
    for bits in (10**9, -1):
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(transport, "GMP_BITS", bits)
            got.append(ricci_curvature(K, method="ollivier", alpha=F(1, 2), edge_weight="volume", distance="hops"))
    assert got[0] == got[1] and len(got[0]) >= 5
