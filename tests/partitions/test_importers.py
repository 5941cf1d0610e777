"""Importers: fitted scikit-learn models and torch MLPs against the library's own predictions."""

from __future__ import annotations

from fractions import Fraction
from itertools import pairwise

import pytest
from _partitions_helpers import cell_points, float_row

from exactgeom import InexactInputError, InvalidInputError, UnsupportedModelError
from exactgeom.importers import from_sklearn, from_torch

np = pytest.importorskip("numpy")
F = Fraction
SQ = [(-1, 1), (-1, 1)]


def _points(P, seed=0, k=4):
    return cell_points(P, seed, k)


_floats = float_row


# ---------------------------------------------------------------- scikit-learn


@pytest.fixture(scope="module")
def data():
    pytest.importorskip("sklearn")
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (300, 2))
    y = np.where(X[:, 0] + X[:, 1] ** 2 > 0.3, "a", np.where(X[:, 1] > 0, "b", "c"))
    return X, y


def _check_classifier(model, P):
    assert P.check().ok
    n = 0
    for c, x in _points(P):
        assert P.key_at(x) == c.key
        assert P.label(c) == model.predict(_floats(x))[0], (c.key, x)
        n += 1
    assert n >= 5 * P.n_cells


@pytest.mark.parametrize("policy", ["exact", "limit_denominator(1000000)"])
def test_decision_tree_classifier(data, policy):
    from sklearn.tree import DecisionTreeClassifier

    X, y = data
    m = DecisionTreeClassifier(max_depth=6, random_state=0).fit(X, y)
    P = from_sklearn(m, SQ, policy=policy)
    assert P.family == "decision_tree" and P.provenance["policy"] == policy.replace("1000000", "1000000")
    assert P.provenance["source"] == "sklearn.DecisionTreeClassifier"
    assert P.n_cells == m.get_n_leaves()  # every leaf of a tree fitted inside the box has a cell
    _check_classifier(m, P)
    # leaf ids are sklearn's node ids
    for c, x in _points(P, k=1):
        assert c.key == int(m.apply(_floats(x))[0])


def test_decision_tree_regressor_and_domain_delegation(data):
    from sklearn.tree import DecisionTreeRegressor

    from exactgeom.partitions.tree import decision_tree

    X, _ = data
    m = DecisionTreeRegressor(max_depth=4, random_state=0).fit(X, X[:, 0] * X[:, 1])
    P = decision_tree(m, SQ, policy="exact")  # delegated to the importer
    assert P.check().ok
    for c, x in _points(P):
        J, off = P.output_affine(c)
        assert all(v == 0 for row in J for v in row)
        assert off[0] == Fraction(float(m.predict(_floats(x))[0]))  # policy "exact": the float itself


@pytest.mark.parametrize("kind", ["logreg", "logreg_binary", "linsvc", "linsvc_binary", "ridge"])
def test_linear_classifiers(data, kind):
    from sklearn.linear_model import LogisticRegression, RidgeClassifier
    from sklearn.svm import LinearSVC

    X, y = data
    yb = y == "a"
    m = {
        "logreg": lambda: LogisticRegression().fit(X, y),
        "logreg_binary": lambda: LogisticRegression().fit(X, yb),
        "linsvc": lambda: LinearSVC().fit(X, y),
        "linsvc_binary": lambda: LinearSVC().fit(X, yb),
        "ridge": lambda: RidgeClassifier().fit(X, y),
    }[kind]()
    P = from_sklearn(m, SQ, policy="exact")
    assert P.family == "argmax_linear"
    assert P.n_cells == len(set(m.predict(X)))
    _check_classifier(m, P)
    if kind.endswith("binary"):
        W, c = P.model.W, P.model.c
        assert W[0] == (0, 0) and c[0] == 0  # the single hyperplane as argmax of (0, w·x + b)


def test_kmeans(data):
    from sklearn.cluster import KMeans

    X, _ = data
    m = KMeans(6, n_init=3, random_state=0).fit(X)
    P = from_sklearn(m, SQ, policy="exact")
    assert P.family == "voronoi" and P.n_cells == 6
    _check_classifier(m, P)


def test_nearest_centroid(data):
    from sklearn.neighbors import NearestCentroid

    X, y = data
    m = NearestCentroid().fit(X, y)
    P = from_sklearn(m, SQ, policy="exact")
    assert P.family == "voronoi" and P.n_cells == 3 and P.provenance["source"] == "sklearn.NearestCentroid"
    _check_classifier(m, P)


@pytest.mark.parametrize("scaled", [False, True], ids=["raw", "after StandardScaler"])
def test_one_nearest_neighbour(data, scaled):
    """1-NN is the Voronoi diagram of the training points labelled by their classes; after
    a scaler it is the argmax form in raw space. Labels agree with sklearn's predict."""
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, y = data
    knn = KNeighborsClassifier(n_neighbors=1)
    m = (make_pipeline(StandardScaler(), knn) if scaled else knn).fit(X[:60], y[:60])
    P = from_sklearn(m, SQ, policy="exact")
    assert P.family == ("argmax_linear" if scaled else "voronoi")
    assert P.n_cells == 60  # every training point in the box has a cell
    assert {P.label(c) for c in P.cells} == set(y[:60])
    _check_classifier(m, P)


@pytest.mark.parametrize(
    "make",
    [
        lambda nb: nb.KNeighborsClassifier(n_neighbors=3),
        lambda nb: nb.KNeighborsClassifier(n_neighbors=1, metric="manhattan"),
        lambda nb: nb.KNeighborsClassifier(n_neighbors=1, p=1),
        lambda nb: nb.NearestCentroid(metric="manhattan"),
    ],
    ids=["k=3", "manhattan kNN", "p=1 kNN", "manhattan centroid"],
)
def test_neighbour_models_that_are_not_voronoi_are_refused(data, make):
    from sklearn import neighbors

    X, y = data
    with pytest.raises(UnsupportedModelError, match="refit with"):
        from_sklearn(make(neighbors).fit(X[:40], y[:40]), SQ, policy="exact")
    with pytest.raises(InvalidInputError, match="not fitted"):
        from_sklearn(neighbors.NearestCentroid(), SQ, policy="exact")


@pytest.mark.filterwarnings("ignore:lbfgs failed to converge")
def test_linear_classifier_and_centroids_on_the_64_pixels_of_digits():
    """Real input dimension: sklearn's digits (64 inputs, pixels/16). The H-first engine
    builds the 10 class regions exactly (no vertices), proves the tiling, and every cell's
    interior point is predicted as the cell's label by sklearn itself."""
    from sklearn.datasets import load_digits
    from sklearn.linear_model import LogisticRegression
    from sklearn.neighbors import NearestCentroid

    d = load_digits()
    X = d.data / 16
    for m in (LogisticRegression(max_iter=300).fit(X, d.target), NearestCentroid().fit(X, d.target)):
        P = from_sklearn(m, [(0, 1)] * 64, policy="limit_denominator(1000)")
        assert type(P).__name__ == "CrossingPartition" and P.n_cells == 10
        rep = P.check()
        assert rep.ok and rep.tiling
        pts = [c.polytope.relative_interior_point() for c in P.cells]
        assert all(c.polytope.contains(x, strict=True) for c, x in zip(P.cells, pts))
        assert list(m.predict(np.array([[float(v) for v in x] for x in pts]))) == [P.label(c) for c in P.cells]


@pytest.mark.parametrize("vote", ["soft", "majority"])
def test_random_forest_classifier(data, vote):
    from sklearn.ensemble import RandomForestClassifier

    X, y = data
    # fully grown trees have one-hot leaves: soft and majority vote coincide with predict
    m = RandomForestClassifier(3, max_depth=None, random_state=0).fit(X[:120], y[:120])
    P = from_sklearn(m, SQ, policy="exact", vote=vote)
    assert P.family == "random_forest" and P.provenance["vote"] == vote
    _check_classifier(m, P)
    for c, x in _points(P, k=1):
        _, off = P.output_affine(c)
        assert np.allclose([float(v) for v in off], m.predict_proba(_floats(x))[0])


def test_random_forest_soft_vote_shallow(data):
    from sklearn.ensemble import RandomForestClassifier

    X, y = data
    m = RandomForestClassifier(5, max_depth=3, random_state=1).fit(X, y)
    P = from_sklearn(m, SQ, policy="exact")
    _check_classifier(m, P)


def test_random_forest_regressor(data):
    from sklearn.ensemble import RandomForestRegressor

    X, _ = data
    m = RandomForestRegressor(3, max_depth=3, random_state=0).fit(X, X[:, 0] - X[:, 1])
    P = from_sklearn(m, SQ, policy="exact")
    assert P.check().ok
    for c, x in _points(P):
        assert P.label(c) is None
        assert float(P.output_affine(c)[1][0]) == pytest.approx(m.predict(_floats(x))[0], abs=1e-12)


def test_sklearn_invalid(data):
    from sklearn.cluster import KMeans
    from sklearn.linear_model import LinearRegression, LogisticRegression
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.svm import SVC
    from sklearn.tree import DecisionTreeClassifier

    X, y = data
    fitted = LogisticRegression().fit(X, y)
    with pytest.raises(InexactInputError):
        from_sklearn(fitted, SQ)  # floats need a policy
    with pytest.raises(InvalidInputError):
        from_sklearn(fitted, SQ, policy="round")
    with pytest.raises(InvalidInputError):
        from_sklearn(fitted, [(-1, 1)] * 3, policy="exact")  # wrong dimension
    with pytest.raises(InvalidInputError):
        from_sklearn(LogisticRegression(), SQ, policy="exact")  # not fitted
    with pytest.raises(InvalidInputError):
        from_sklearn(DecisionTreeClassifier(), SQ, policy="exact")
    with pytest.raises(InvalidInputError):
        from_sklearn(KMeans(2), SQ, policy="exact")
    for unsupported in (KNeighborsClassifier().fit(X, y), SVC().fit(X, y), LinearRegression().fit(X, X[:, 0]), "model"):
        with pytest.raises(UnsupportedModelError):
            from_sklearn(unsupported, SQ, policy="exact")
    with pytest.raises(UnsupportedModelError):
        from_sklearn(DecisionTreeClassifier().fit(X, np.c_[y, y]), SQ, policy="exact")  # multi-output
    from sklearn.ensemble import RandomForestClassifier

    with pytest.raises(InvalidInputError):
        from_sklearn(RandomForestClassifier(2).fit(X, y), SQ, policy="exact", vote="hard")


# ---------------------------------------------------------------- torch


@pytest.fixture(scope="module")
def torch():
    return pytest.importorskip("torch")


def _relu():
    return pytest.importorskip("exactgeom.partitions.relu")


def _mlp(torch, sizes, seed=0, last_relu=False):
    torch.manual_seed(seed)
    layers = []
    for a, b in pairwise(sizes):
        layers += [torch.nn.Linear(a, b), torch.nn.ReLU()]
    if not last_relu:
        layers.pop()
    return torch.nn.Sequential(*layers).double()


def _patterns(torch, net, x):
    """Activation pattern of the hidden ReLUs at x (float forward pass)."""
    acts = []
    h = torch.tensor([[float(v) for v in x]], dtype=torch.float64)
    for layer in net:
        h = layer(h)
        if isinstance(layer, torch.nn.ReLU):
            acts.append(tuple(int(v > 0) for v in h[0]))
    return tuple(acts)


@pytest.mark.parametrize("sizes, last_relu", [((2, 6, 1), False), ((2, 4, 4, 2), False), ((2, 5, 3), True)])
def test_torch_mlp(torch, sizes, last_relu):
    _relu()
    net = _mlp(torch, sizes, last_relu=last_relu)
    P = from_torch(net, SQ, policy="exact")
    assert P.provenance["policy"] == "exact" and P.provenance["source"] == "torch.nn.Sequential"
    assert P.check().ok
    for c, x in _points(P, k=3):
        assert P.key_at(x) == c.key
        assert c.key == _patterns(torch, net, x)
        J, off = P.output_affine(c)
        y = [float(sum((a * xi for a, xi in zip(row, x)), Fraction(0)) + o) for row, o in zip(J, off)]
        with torch.no_grad():
            ref = net(torch.tensor([[float(v) for v in x]], dtype=torch.float64))[0].tolist()
        assert y == pytest.approx(ref, abs=1e-9)


def test_torch_data_mode(torch):
    _relu()
    net = _mlp(torch, (2, 5, 1), seed=3)
    data = torch.rand(30, 2, dtype=torch.float64) * 2 - 1
    full = from_torch(net, SQ, policy="exact")
    part = from_torch(net, SQ, policy="exact", mode="data", data=data)
    assert part.provenance["mode"] == "data" and part.provenance["policy"] == "exact"
    keys = {c.key for c in full.cells}
    assert {c.key for c in part.cells} <= keys
    assert all(part.cell(c.key).polytope == full.cell(c.key).polytope for c in part.cells)


def test_sequential_to_layers(torch):
    from exactgeom.importers.torch import sequential_to_layers

    nn = torch.nn
    a, b = nn.Linear(2, 3), nn.Linear(3, 2, bias=False)
    with torch.no_grad():
        a.weight.copy_(torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]))
        a.bias.copy_(torch.tensor([0.5, 0.0, -1.0]))
        b.weight.copy_(torch.tensor([[1.0, 1.0, 0.0], [0.0, 0.0, 2.0]]))
    # two Linear layers in a row compose; double ReLU acts once; final ReLU → identity output
    W, B = sequential_to_layers(nn.Sequential(a, b, nn.ReLU(), nn.ReLU()), "exact")
    assert W == [((1, 1), (2, 2)), ((1, 0), (0, 1))]
    assert B == [(F(1, 2), -2), (0, 0)]
    # nested Sequential is flattened; a leading ReLU acts on the identity
    W, B = sequential_to_layers(nn.Sequential(nn.Sequential(a), nn.ReLU(), b), "exact")
    assert len(W) == 2 and W[0] == ((1, 0), (0, 1), (1, 1))
    with pytest.raises(UnsupportedModelError):
        sequential_to_layers(nn.Sequential(nn.ReLU(), a), "exact")


def test_torch_invalid(torch):
    nn = torch.nn
    net = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    with pytest.raises(InexactInputError):
        from_torch(net, SQ)
    with pytest.raises(UnsupportedModelError, match="Tanh"):
        from_torch(nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1)), SQ, policy="exact")
    with pytest.raises(UnsupportedModelError, match="Conv1d"):
        from_torch(nn.Sequential(nn.Conv1d(1, 1, 1)), SQ, policy="exact")
    with pytest.raises(UnsupportedModelError, match="ModuleList"):
        from_torch(nn.ModuleList([nn.Linear(2, 1)]), SQ, policy="exact")  # not a Sequential nor a layer
    with pytest.raises(InvalidInputError):
        from_torch(nn.Sequential(), SQ, policy="exact")
    with pytest.raises(InvalidInputError):
        from_torch(nn.Sequential(nn.Linear(2, 3), nn.Linear(4, 1)), SQ, policy="exact")  # widths
    with pytest.raises(InvalidInputError):
        from_torch(net, [(-1, 1)] * 3, policy="exact")  # domain dimension
    bad = nn.Sequential(nn.Linear(2, 1))
    with torch.no_grad():
        bad[0].weight[0, 0] = float("nan")
    with pytest.raises(InvalidInputError):
        from_torch(bad, SQ, policy="exact")
