"""Simplicial splines: interpolation at λ = 0, component means as λ → ∞, exact normal
equations, float and certified paths, the predictor, λ-paths and constrained fits."""

from __future__ import annotations

import random
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactgeom import arrangement
from exactgeom.complex import RiemannianComplex
from exactgeom.errors import DegenerateError, InexactInputError
from exactgeom.numbers import Enclosure
from exactgeom.strategies.complex import arrangement_partitions

F = Fraction


def _targets(m, seed=0):
    rng = random.Random(seed)
    return [F(rng.randint(-9, 9), rng.randint(1, 4)) for _ in range(m)]


def _normal_equations_hold(K, fit, edge_weights="metric"):
    B1 = K.boundary(1)
    M1 = K._edge_operator(edge_weights)
    L = B1 @ M1 @ B1.T
    Lf = L.matvec(fit.values)
    for i in range(K.n_cells):
        lhs = fit.weights[i] * fit.values[i] + fit.lam * Lf[i]
        assert lhs == fit.weights[i] * fit.y[i]


@settings(max_examples=15)
@given(arrangement_partitions(n=2, max_hyperplanes=4), st.sampled_from(["diagonal", "angle"]), st.integers(0, 3))
def test_exact_spline_solves_the_normal_equations(P, metric, k):
    K = RiemannianComplex.from_partition(P, metric=metric)
    y = _targets(P.n_cells, k)
    lam = F(k, 3)
    edge = "metric" if metric == "angle" else "two_point"  # both rational
    fit = K.spline(y, lam, edge_weights=edge)
    assert fit.exact
    _normal_equations_hold(K, fit, edge)
    # float path agrees with the exact one
    f = K.spline_float([float(v) for v in y], float(lam), edge_weights=edge)
    assert np.allclose(f, [float(v) for v in fit.values], atol=1e-9)


def test_lambda_zero_interpolates_and_large_lambda_gives_weighted_means():
    P = arrangement([[1, 0], [0, 1], [1, 1]], [0, F(1, 3), F(-1, 4)], [(-1, 1), (-1, 1)])
    K = RiemannianComplex.from_partition(P, metric="angle")
    y = _targets(P.n_cells, 3)
    W = [F(i % 3 + 1) for i in range(P.n_cells)]
    assert K.spline(y, 0, W).values == tuple(y)
    mean = sum(w * v for w, v in zip(W, y)) / sum(W)
    errs = []
    for lam in (10**2, 10**4, 10**6):
        fit = K.spline(y, lam, W)
        errs.append(max(abs(v - mean) for v in fit.values))
        # the weighted mean is preserved exactly for every λ (1ᵀ L = 0)
        assert sum(w * v for w, v in zip(W, fit.values)) / sum(W) == mean
    assert errs[0] > errs[1] > errs[2] and errs[2] < F(1, 10**4)
    assert errs[1] < errs[0] / 50  # O(1/λ)


def test_large_lambda_tends_to_means_per_component():
    # a facet complex with two components: disconnect by giving a zero edge weight? use data
    # measure: edges without data have zero weight, so the graph splits into components
    P = arrangement([[1, 0]], [0], [(-1, 1), (0, 1)])
    K = RiemannianComplex.from_partition(P, measure="data", data=[["-1/2", "1/2"], ["1/2", "1/2"]])
    assert K.measure(1) == (F(1, 2),)  # each point ties 4 ways: 1/4 + 1/4 on the shared face
    y = [F(0), F(4)]
    fit = K.spline(y, 10**9)
    assert abs(fit.values[0] - 2) < F(1, 10**6)
    K2 = RiemannianComplex.from_partition(P, measure="data", data=[["-1/2", "1/2"], ["3/4", "1/2"]])
    assert K2.measure(1) == (F(1, 4),)  # (3/4, 1/2) is nearest to the right boundary
    K3 = RiemannianComplex.from_partition(P, measure="data", data=[["-9/10", "1/2"], ["9/10", "1/2"]])
    assert K3.measure(1) == (F(0),)  # disconnected: no edge mass
    assert K3.spline(y, 10**9).values == (F(0), F(4))  # each component keeps its own mean


def test_zero_weights_on_a_component_are_an_error():
    P = arrangement([[1, 0]], [0], [(-1, 1), (0, 1)])
    K = RiemannianComplex.from_partition(P)
    with pytest.raises(DegenerateError, match="singular"):
        K.spline([1, 2], 0, [1, 0])
    with pytest.raises(DegenerateError, match="singular"):
        K.spline([1, 2], 1, [0, 0])
    assert K.spline([1, 2], 1, [1, 0]).values == (F(1), F(1))


def test_surd_spline_exact_in_small_field_and_certified_enclosures_agree():
    P = arrangement([[1, 1], [1, 0]], [0, F(1, 2)], [(-1, 1), (-1, 1)])
    K = RiemannianComplex.from_partition(P)  # volume measure: face lengths with √2
    y = _targets(P.n_cells, 1)
    fit = K.spline(y, F(1, 2))
    assert fit.exact and fit.method.startswith("exact (multiquadratic")
    _normal_equations_hold(K, fit)
    cert = K.spline(y, F(1, 2), method="certified", digits=20)
    assert not cert.exact and cert.route == "certified" and fit.route == "exact"
    for v, e, mid, (lo, hi) in zip(fit.values, cert.enclosures, cert.values, cert.bounds):
        assert e.contains(v)
        assert e.width < F(1, 10**18)
        assert mid == (e.lo + e.hi) / 2 and (lo, hi) == (e.lo, e.hi)  # values: midpoints, bounds: the enclosure


def test_certified_spline_with_many_radicands_and_float_agreement():
    rng = random.Random(7)
    W = [[rng.randint(-5, 5), rng.randint(-5, 5)] for _ in range(10)]
    c = [F(rng.randint(-8, 8), 4) for _ in range(10)]
    P = arrangement(W, c, [(-2, 2), (-2, 2)])
    K = RiemannianComplex.from_partition(P)
    assert len(K.hodge_laplacian(0).radicands()) > 4
    y = _targets(P.n_cells, 2)
    fit = K.spline(y, 1, digits=12)
    assert not fit.exact and fit.method == "certified (arb)"
    f = K.spline_float([float(v) for v in y], 1.0)
    for e, x in zip(fit.enclosures, f):
        assert float(e.lo) - 1e-9 <= x <= float(e.hi) + 1e-9
    # iterative refinement path (forced by a tiny dense limit) gives the same enclosures
    import exactgeom.complex.spline as S

    old = S.DENSE_CERTIFIED_MAX
    S.DENSE_CERTIFIED_MAX = 0
    try:
        fit2 = K.spline(y, 1, digits=12)
    finally:
        S.DENSE_CERTIFIED_MAX = old
    assert fit2.method.startswith("certified (iterative")
    for a, b in zip(fit.enclosures, fit2.enclosures):
        assert a.lo <= b.hi and b.lo <= a.hi


def test_predictor_interpolates_over_realised_simplices():
    # three cells meeting at a point: the complex is a triangle, realised by centroids
    from exactgeom import Partition, Polytope

    D = Polytope.box([(-2, 2), (-2, 2)])
    A = Polytope.from_hrep([[-1, 0], [0, -1]], [0, 0]).intersect(D)
    B = Polytope.from_hrep([[1, 0]], [0]).intersect(D)
    C = Polytope.from_hrep([[-1, 0], [0, 1]], [0, 0]).intersect(D)
    P = Partition(D, [("a", A), ("b", B), ("c", C)], family="test")
    K = RiemannianComplex.from_partition(P)
    fit = K.spline([3, 6, 9], 0, [1, 1, 1])
    cents = K.positions()
    for i in range(3):
        assert fit.predict(cents[i]) == fit.values[i]
    g = tuple(sum(c[j] for c in cents) / 3 for j in range(2))
    assert fit.predict(g) == F(6)  # barycentre of the realised triangle
    mid = tuple((a + b) / 2 for a, b in zip(cents[0], cents[1]))
    assert fit.predict(mid) == F(9, 2)
    far = (F(2), F(2))  # outside the triangle: nearest position
    near = min(range(3), key=lambda i: sum((a - b) ** 2 for a, b in zip(far, cents[i])))
    assert fit.predict(far) == fit.values[near]


def test_predictor_data_mean_positions_and_enclosure_output():
    P = arrangement([[1, 0]], [0], [(-1, 1), (0, 1)])
    K = RiemannianComplex.from_partition(P, data=[["-1/2", "1/4"], ["-1/4", "1/4"], ["1/2", "3/4"]])
    pos = K.positions("data_mean")
    assert pos == ((F(-3, 8), F(1, 4)), (F(1, 2), F(3, 4)))
    fit = K.spline([0, 1], 0, positions="data_mean")
    assert fit.predict(["1/16", "1/2"]) == F(1, 2)  # midpoint of the realised edge
    cert = K.spline([0, 1], 0, positions="data_mean", method="certified")
    e = cert.predict(["1/16", "1/2"])
    assert isinstance(e, Enclosure) and e.contains(F(1, 2))


def test_spline_path_and_constrained_fits():
    P = arrangement([[1, 0], [1, 0], [1, 0]], [F(-1, 2), 0, F(1, 2)], [(-1, 1), (0, 1)])
    K = RiemannianComplex.from_partition(P)  # a chain of 4 strips, rational
    y = [F(0), F(3), F(1), F(4)]
    path = K.spline_path(y, [0, 1, 10])
    assert [f.lam for f in path] == [0, 1, 10]
    assert path[0].values == tuple(y)
    # inactive bounds: the float constrained fit equals the exact unconstrained one
    c = K.spline_constrained(y, 1, lower=-10, upper=10)
    assert c.constraints_active is False and c.max_abs_diff < 1e-6
    # monotone along +x: the exact fit is not monotone, so the constraint is active
    m = K.spline_constrained(y, F(1, 10), monotone=[1, 0])
    assert m.constraints_active is True
    v = m.values
    assert all(v[i + 1] >= v[i] - 1e-6 for i in range(3))
    b = K.spline_constrained(y, F(1, 10), upper=2)
    assert b.constraints_active is True and max(b.values) <= 2 + 1e-6


def test_predict_batched_matches_pointwise_on_every_route():
    P = arrangement([[1, 1], [1, 0]], [0, F(1, 2)], [(-1, 1), (-1, 1)])
    K = RiemannianComplex.from_partition(P)
    y = _targets(P.n_cells, 3)
    rng = random.Random(11)
    pts = [(F(rng.randint(-16, 16), 16), F(rng.randint(-16, 16), 16)) for _ in range(25)] + list(K.positions())
    exact = K.spline(y, F(1, 2))
    cert = K.spline(y, F(1, 2), method="certified", digits=20)
    flt = K.spline([float(v) for v in y], 0.5, method="float")
    assert (exact.route, cert.route, flt.route) == ("exact", "certified", "float")
    assert flt.enclosures is None and flt.bounds is None and all(isinstance(v, float) for v in flt.values)
    many = {name: fit.predict(pts) for name, fit in (("exact", exact), ("cert", cert), ("float", flt))}
    for k, x in enumerate(pts):
        assert many["exact"][k] == exact.predict(x)
        assert many["cert"][k] == cert.predict(x)
        assert many["float"][k] == flt.predict(x)
        assert many["cert"][k].contains(many["exact"][k])  # certified enclosure holds the exact value
        assert abs(many["float"][k] - float(many["exact"][k].enclose(20).mid)) < 1e-9
    # values at the cells' own positions reproduce the fitted values (interpolation)
    for i, c in enumerate(K.positions()):
        assert exact.predict(c) == exact.values[i]
    # a 2-D float array needs a policy; with one it agrees with the exact points
    arr = np.array([[float(a), float(b)] for a, b in pts])
    with pytest.raises(InexactInputError):
        exact.predict(arr)
    assert exact.predict(arr, policy="exact") == many["exact"]
    assert exact.predict(arr[0], policy="exact") == many["exact"][0]  # a 1-D array is one point
    assert exact.predict([]) == ()


def test_float_route_agrees_with_spline_float_and_exact_values():
    P = arrangement([[1, 0], [1, 0], [1, 0]], [F(-1, 2), 0, F(1, 2)], [(-1, 1), (0, 1)])
    K = RiemannianComplex.from_partition(P)
    y = [F(0), F(3), F(1), F(4)]
    ex = K.spline(y, 2)
    fl = K.spline([0.0, 3.0, 1.0, 4.0], 2.0, method="float")
    assert list(fl.values) == list(K.spline_float([0.0, 3.0, 1.0, 4.0], 2.0))
    assert all(abs(a - float(b)) < 1e-12 for a, b in zip(fl.values, ex.values))
    assert fl.values_float() == list(fl.values) and ex.values_float() == [float(v) for v in ex.values]
