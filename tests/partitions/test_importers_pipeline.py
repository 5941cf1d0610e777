"""scikit-learn Pipelines of affine scalers and a model: the scalers are folded exactly into
the model, so the partition lives in the raw input space. Checked against the pipeline's
own predict / predict_proba / decision values at interior points of every cell (an
independent float computation through sklearn's transform chain)."""

from __future__ import annotations

import warnings

import pytest
from _partitions_helpers import cell_points, float_row

from exactgeom import InexactInputError, InvalidInputError, UnsupportedModelError
from exactgeom.importers import from_sklearn

np = pytest.importorskip("numpy")
pytest.importorskip("sklearn")

from sklearn.cluster import KMeans  # noqa: E402
from sklearn.ensemble import RandomForestClassifier  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.neural_network import MLPClassifier, MLPRegressor  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import MaxAbsScaler, MinMaxScaler, PolynomialFeatures, StandardScaler  # noqa: E402
from sklearn.tree import DecisionTreeClassifier  # noqa: E402

#: raw features on very different scales and offsets: x0 in [-2, 4], x1 in [-2.5, -1.5]
DOMAIN = [(-2, 4), ("-5/2", "-3/2")]

SCALERS = {
    "standard": lambda: [StandardScaler()],
    "minmax+maxabs": lambda: [MinMaxScaler((-1, 2)), MaxAbsScaler()],
    "std-no-mean+passthrough": lambda: [StandardScaler(with_mean=False), "passthrough"],
    "no-std+standard": lambda: [StandardScaler(with_std=False), StandardScaler()],
}
MODELS = {
    "logistic": lambda: LogisticRegression(),
    "logistic-3": lambda: LogisticRegression(),
    "tree": lambda: DecisionTreeClassifier(max_depth=4, random_state=0),
    "forest": lambda: RandomForestClassifier(3, max_depth=3, random_state=0),
    "kmeans": lambda: KMeans(4, n_init=2, random_state=0),
}


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(1)
    X = rng.uniform(0, 1, (300, 2)) * [6, 1] + [-2, -2.5]
    y = (X[:, 0] - 1 + 4 * (X[:, 1] + 2) > 0).astype(int)
    y3 = np.where(X[:, 0] > 1.5, 2, y)
    return X, y, y3


def _points(P, seed=0, k=3):
    return cell_points(P, seed, k)


_floats = float_row


@pytest.mark.parametrize("scalers", SCALERS, ids=list(SCALERS))
@pytest.mark.parametrize("model", MODELS, ids=list(MODELS))
def test_pipeline_labels_equal_the_pipelines_predictions(data, scalers, model):
    X, y, y3 = data
    pipe = make_pipeline(*SCALERS[scalers](), MODELS[model]())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pipe.fit(X) if model == "kmeans" else pipe.fit(X, y3 if model == "logistic-3" else y)
    P = from_sklearn(pipe, DOMAIN, policy="exact")
    assert P.check().ok
    steps = [type(s).__name__ for s in SCALERS[scalers]() if s != "passthrough"]
    assert P.provenance["preprocessing"] == steps
    assert P.provenance["source"] == "sklearn.Pipeline"
    if model == "kmeans":
        assert P.family == "argmax_linear"  # a Voronoi diagram in scaled space only
    n = 0
    for c, x in _points(P):
        assert P.label(c) == pipe.predict(_floats(x))[0], (c.key, x)
        n += 1
    assert n >= 4 * P.n_cells
    if model == "forest":
        for c, x in _points(P, k=1):
            assert np.allclose([float(v) for v in P.output_affine(c)[1]], pipe.predict_proba(_floats(x))[0])


@pytest.mark.parametrize("scalers", SCALERS, ids=list(SCALERS))
@pytest.mark.parametrize("kind", ["binary", "multiclass", "regressor"])
def test_pipeline_mlp_outputs_equal_the_pipelines(data, scalers, kind):
    """The folded first layer gives the pipeline's own logits (sklearn's float forward
    pass through transform, to 1e-9) at interior points of every cell."""
    X, y, y3 = data
    cls = MLPRegressor if kind == "regressor" else MLPClassifier
    pipe = make_pipeline(*SCALERS[scalers](), cls(hidden_layer_sizes=(6,), random_state=0, max_iter=400))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pipe.fit(X, X[:, 0] * X[:, 1] if kind == "regressor" else y3 if kind == "multiclass" else y)
    P = from_sklearn(pipe, DOMAIN, policy="exact")
    assert P.check().ok and P.family == "relu"
    mlp = pipe[-1]
    for c, x in _points(P, k=2):
        J, off = P.output_affine(c)
        exact = [float(sum((a * b for a, b in zip(row, x)), 0) + o) for row, o in zip(J, off)]
        h = pipe[:-1].transform(_floats(x))
        for W, b in zip(mlp.coefs_[:-1], mlp.intercepts_[:-1]):
            h = np.maximum(h @ W + b, 0)
        logits = (h @ mlp.coefs_[-1] + mlp.intercepts_[-1])[0]
        assert np.allclose(exact, logits, rtol=1e-9, atol=1e-9)
        assert [float(v) for v in P.model.forward(x)] == pytest.approx(exact)


def test_pipeline_mlp_data_mode(data):
    """mode='data' through a pipeline: the data are raw points, each in its data cell."""
    X, y, _ = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pipe = make_pipeline(StandardScaler(), MLPClassifier((5, 5), random_state=0, max_iter=300)).fit(X, y)
    pts = X[:40]
    P = from_sklearn(pipe, DOMAIN, policy="exact", mode="data", data=pts)
    full = from_sklearn(pipe, DOMAIN, policy="exact")
    assert P.provenance["mode"] == "data" and 1 <= P.n_cells <= full.n_cells
    keys = {c.key for c in full.cells}
    for x in pts:
        (cell,) = [c for c in P.cells if c.polytope.contains(x, policy="exact")] or [None]
        assert cell is not None and cell.key in keys


def test_pipeline_limit_denominator_policy_applies_to_the_scalers(data):
    X, y, _ = data
    pipe = make_pipeline(StandardScaler(), LogisticRegression()).fit(X, y)
    P = from_sklearn(pipe, DOMAIN, policy="limit_denominator(1000)")
    assert P.provenance["policy"] == "limit_denominator(1000)"
    (W0, W1), (c0, c1) = P.model.W, P.model.c
    assert W0 == (0, 0) and c0 == 0
    # every entry of the folded row is a product/quotient of 1000-denominator rationals
    sc, lr = pipe[0], pipe[-1]
    from fractions import Fraction

    q = [Fraction(float(v)).limit_denominator(1000) for v in sc.scale_]
    m = [Fraction(float(v)).limit_denominator(1000) for v in sc.mean_]
    w = [Fraction(float(v)).limit_denominator(1000) for v in lr.coef_[0]]
    b = Fraction(float(lr.intercept_[0])).limit_denominator(1000)
    assert W1 == tuple(wj / qj for wj, qj in zip(w, q))
    assert c1 == b - sum((wj * mj / qj for wj, mj, qj in zip(w, m, q)), Fraction(0))


def test_pipeline_invalid(data):
    X, y, _ = data
    with pytest.raises(UnsupportedModelError, match="clip=True"):
        from_sklearn(make_pipeline(MinMaxScaler(clip=True), LogisticRegression()).fit(X, y), DOMAIN, policy="exact")
    with pytest.raises(UnsupportedModelError, match="PolynomialFeatures"):
        from_sklearn(make_pipeline(PolynomialFeatures(2), LogisticRegression()).fit(X, y), DOMAIN, policy="exact")
    with pytest.raises(UnsupportedModelError, match="last step must be a model"):
        from_sklearn(make_pipeline(StandardScaler(), "passthrough").fit(X, y), DOMAIN, policy="exact")
    with pytest.raises(InvalidInputError, match="not fitted"):
        from_sklearn(make_pipeline(StandardScaler(), LogisticRegression()), DOMAIN, policy="exact")
    fitted = make_pipeline(StandardScaler(), LogisticRegression()).fit(X, y)
    with pytest.raises(InvalidInputError, match="R\\^3"):
        from_sklearn(fitted, DOMAIN + [(0, 1)], policy="exact")
    with pytest.raises(InvalidInputError, match="only apply to MLP"):
        from_sklearn(fitted, DOMAIN, policy="exact", mode="data", data=X[:3])
    # a scale that the chosen rounding turns into 0 (it used to divide by zero)
    tiny = X * [1, 1e-6]
    for scaler in (StandardScaler(), MaxAbsScaler()):
        pipe = make_pipeline(scaler, LogisticRegression()).fit(tiny, y)
        with pytest.raises(InexactInputError, match=r"scale_\[1\].*into 0"):
            from_sklearn(pipe, [(-2, 4), ("-3/1000000", "-1/1000000")], policy="limit_denominator(1000)")
        assert from_sklearn(pipe, [(-2, 4), ("-3/1000000", "-1/1000000")], policy="exact").check().ok
