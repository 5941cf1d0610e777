"""Importers for ReLU MLPs: scikit-learn MLPClassifier / MLPRegressor and torch LeakyReLU,
checked against the float models' own predictions on random points, and leaky ReLU
networks checked exactly (affine map on the cell == forward pass; partition invariants)."""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

import pytest
from _partitions_helpers import assert_keys_match_model, interior_points
from hypothesis import given
from hypothesis import strategies as st

from exactgeom import InexactInputError, InvalidInputError, UnsupportedModelError
from exactgeom.importers import from_sklearn, from_torch
from exactgeom.partitions.relu import ReLUNetwork, relu_network

np = pytest.importorskip("numpy")
F = Fraction
SQ = [(-1, 1), (-1, 1)]


def _affine(P, c, x):
    J, b = P.output_affine(c)
    return [sum((a * v for a, v in zip(row, x)), F(0)) + bb for row, bb in zip(J, b)]


def _rng_points(P, seed=0, k=3):
    rng = random.Random(seed)
    for c in P.cells:
        for x in interior_points(c.polytope, rng, k):
            yield c, x


# ---------------------------------------------------------------- scikit-learn MLPs


@pytest.fixture(scope="module")
def xy():
    pytest.importorskip("sklearn")
    rng = np.random.default_rng(1)
    X = rng.uniform(-1, 1, (200, 2))
    y = np.where(X[:, 0] > 0.2, "a", np.where(X[:, 1] > 0, "b", "c"))
    return X, y


def _mlp(kind, X, y, hidden=(4, 3), activation="relu"):
    from sklearn.neural_network import MLPClassifier, MLPRegressor

    cls = MLPClassifier if kind == "clf" else MLPRegressor
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return cls(hidden_layer_sizes=hidden, activation=activation, random_state=0, max_iter=60).fit(X, y)


def _softmax(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max())
    return e / e.sum()


def test_mlp_classifier_multiclass(xy):
    X, y = xy
    m = _mlp("clf", X, y)
    P = from_sklearn(m, SQ, policy="exact")
    assert P.family == "relu" and P.provenance["source"] == "sklearn.MLPClassifier"
    assert P.provenance["classes"] == ["a", "b", "c"]
    assert P.check().ok
    assert_keys_match_model(P)
    for c, x in _rng_points(P):
        z = _affine(P, c, x)
        assert z == list(P.model.forward(x))  # the cell's affine map is the network there
        xf = np.array([[float(v) for v in x]])
        assert np.allclose(_softmax([float(v) for v in z]), m.predict_proba(xf)[0], rtol=0, atol=1e-12)
        top = sorted(z, reverse=True)
        if top[0] - top[1] > F(1, 10**6):  # exact margin well above float rounding
            assert m.classes_[z.index(top[0])] == m.predict(xf)[0]


def test_mlp_classifier_binary_and_regressor(xy):
    X, y = xy
    yb = (y == "a").astype(int)
    m = _mlp("clf", X, yb, hidden=(5,))
    P = from_sklearn(m, SQ, policy="exact")
    for c, x in _rng_points(P, seed=2):
        (z,) = _affine(P, c, x)
        xf = np.array([[float(v) for v in x]])
        assert abs(float(z) - np.log(m.predict_proba(xf)[0, 1] / m.predict_proba(xf)[0, 0])) < 1e-9
        if abs(z) > F(1, 10**6):
            assert m.predict(xf)[0] == (1 if z > 0 else 0)
    r = _mlp("reg", X, X[:, 0] * X[:, 1], hidden=(6, 4))
    R = from_sklearn(r, SQ, policy="limit_denominator(1000)")
    assert R.provenance["policy"] == "limit_denominator(1000)" and "classes" not in R.provenance
    assert R.check().ok
    Re = from_sklearn(r, SQ, policy="exact")
    for c, x in _rng_points(Re, seed=3):
        (z,) = _affine(Re, c, x)
        assert abs(float(z) - r.predict(np.array([[float(v) for v in x]]))[0]) < 1e-12


def test_mlp_data_mode_any_dimension(xy):
    rng = np.random.default_rng(5)
    X = rng.uniform(0, 1, (40, 8))
    m = _mlp("clf", X, (X.sum(axis=1) > 4).astype(int), hidden=(6, 6))
    P = from_sklearn(m, [(0, 1)] * 8, policy="limit_denominator(100)", mode="data", data=X)
    assert P.provenance["mode"] == "data" and P.provenance["n_data"] == 40
    pts = [tuple(F(float(v)).limit_denominator(100) for v in row) for row in X]
    assert {c.key for c in P.cells} == {P.model.pattern(x) for x in pts}
    assert all(c.polytope.contains(x) for x, c in zip(pts, (P.cell(P.model.pattern(x)) for x in pts)))


def test_mlp_invalid(xy):
    X, y = xy
    from sklearn.neural_network import MLPClassifier
    from sklearn.tree import DecisionTreeClassifier

    with pytest.raises(UnsupportedModelError, match="activation='tanh'"):
        from_sklearn(_mlp("clf", X, y, activation="tanh"), SQ, policy="exact")
    with pytest.raises(UnsupportedModelError, match="logistic"):
        from_sklearn(_mlp("reg", X, X[:, 0], activation="logistic"), SQ, policy="exact")
    with pytest.raises(InvalidInputError, match="not fitted"):
        from_sklearn(MLPClassifier(), SQ, policy="exact")
    with pytest.raises(InexactInputError):
        from_sklearn(_mlp("clf", X, y), SQ)
    with pytest.raises(InvalidInputError, match="input features"):
        from_sklearn(_mlp("clf", X, y), [(-1, 1)] * 3, policy="exact")
    with pytest.raises(InvalidInputError, match="unknown option"):
        from_sklearn(_mlp("clf", X, y), SQ, policy="exact", modes="data")
    with pytest.raises(InvalidInputError, match="only apply to MLP"):
        from_sklearn(DecisionTreeClassifier().fit(X, y), SQ, policy="exact", mode="data", data=X)
    with pytest.raises(InvalidInputError, match="outside the domain"):
        from_sklearn(_mlp("clf", X, y), [(0, 1), (0, 1)], policy="exact", mode="data", data=X)
    with pytest.raises(InvalidInputError):
        from_sklearn(_mlp("clf", X, y), SQ, policy="exact", mode="data", data=[[float("nan"), 0.0]])


# ---------------------------------------------------------------- leaky ReLU, exact


@st.composite
def leaky_nets(draw, n=2):
    q = st.fractions(min_value=-2, max_value=2, max_denominator=4)
    sizes = [n] + [draw(st.integers(1, 3)) for _ in range(draw(st.integers(1, 2)))] + [1]
    W = [[[draw(q) for _ in range(a)] for _ in range(b)] for a, b in itertools.pairwise(sizes)]
    b = [[draw(q) for _ in range(k)] for k in sizes[1:]]
    slopes = [draw(st.sampled_from([F(0), F(1, 10), F(1, 2), F(-1, 3), F(2)])) for _ in sizes[1:-1]]
    return ReLUNetwork(W, b, negative_slopes=slopes)


@given(leaky_nets(), st.lists(st.tuples(*[st.fractions(-1, 1, max_denominator=8)] * 2), min_size=1, max_size=5))
def test_leaky_affine_map_is_forward(net, pts):
    for x in pts:
        J, c = net.output_affine(net.pattern(x))
        assert [sum((a * v for a, v in zip(r, x)), F(0)) + cc for r, cc in zip(J, c)] == list(net.forward(x))
        # the integer kernel agrees with the Fraction forward pass
        zs, _ = net._int.preactivations(x)
        assert [v > 0 for z in zs[:-1] for v in z] == [bool(s) for p in net.pattern(x) for s in p]


@given(leaky_nets())
def test_leaky_full_partition_exact(net):
    P = relu_network(net, None, SQ)
    assert P.check().ok  # volumes sum to the domain's, interiors disjoint, key at every centroid
    for c, x in _rng_points(P, k=2):
        J, b = P.output_affine(c)
        assert [sum((a * v for a, v in zip(r, x)), F(0)) + bb for r, bb in zip(J, b)] == list(net.forward(x))


def test_leaky_slope_zero_is_relu_and_invalid():
    W, b = [[[1, -1], [1, 1]], [[1, 1]]], [[0, F(1, 2)], [0]]
    assert ReLUNetwork(W, b, negative_slopes=[0]) == ReLUNetwork(W, b)
    assert not ReLUNetwork(W, b, negative_slopes=[0]).is_leaky
    with pytest.raises(InvalidInputError, match="one slope per hidden layer"):
        ReLUNetwork(W, b, negative_slopes=[0, 1])
    with pytest.raises(InexactInputError):
        ReLUNetwork(W, b, negative_slopes=[0.1])
    with pytest.raises(InvalidInputError):
        ReLUNetwork(W, b, negative_slopes="0")
    assert ReLUNetwork(W, b, negative_slopes=[0.5], policy="exact").negative_slopes == (F(1, 2),)


# ---------------------------------------------------------------- torch LeakyReLU


@pytest.fixture(scope="module")
def torch():
    return pytest.importorskip("torch")


def _leaky_net(torch, seed=0):
    torch.manual_seed(seed)
    nn = torch.nn
    return nn.Sequential(nn.Linear(2, 4), nn.LeakyReLU(0.125), nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2)).double()


def test_torch_leaky_relu(torch):
    net = _leaky_net(torch)
    P = from_torch(net, SQ, policy="exact")
    assert P.model.negative_slopes == (F(1, 8), F(0))
    assert P.provenance["negative_slopes"] == [F(1, 8), F(0)]
    assert P.check().ok
    assert_keys_match_model(P)
    for c, x in _rng_points(P, seed=4):
        z = _affine(P, c, x)
        with torch.no_grad():
            ref = net(torch.tensor([[float(v) for v in x]], dtype=torch.float64))[0].tolist()
        assert np.allclose([float(v) for v in z], ref, rtol=0, atol=1e-12)
    # data mode builds the same cells as the full partition holds
    pts = torch.rand(25, 2, dtype=torch.float64) * 2 - 1
    D = from_torch(net, SQ, policy="exact", mode="data", data=pts)
    full = {c.key: c.polytope for c in P.cells}
    assert all(full[c.key] == c.polytope for c in D.cells)


def test_torch_leaky_invalid(torch):
    nn = torch.nn
    from exactgeom.importers.torch import sequential_to_layers

    with pytest.raises(UnsupportedModelError, match="two activations"):
        from_torch(nn.Sequential(nn.Linear(2, 2), nn.ReLU(), nn.LeakyReLU(0.1), nn.Linear(2, 1)), SQ, policy="exact")
    with pytest.raises(UnsupportedModelError, match="sequential_to_network"):
        sequential_to_layers(_leaky_net(torch), "exact")
    with pytest.raises(UnsupportedModelError, match="LeakyReLU"):
        from_torch(nn.Sequential(nn.Linear(2, 2), nn.ELU(), nn.Linear(2, 1)), SQ, policy="exact")
