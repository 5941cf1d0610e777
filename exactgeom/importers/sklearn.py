"""Exact partitions of fitted scikit-learn models (optional extra ``exactgeom[sklearn]``).

Supported models and what they become:

* ``DecisionTreeClassifier`` / ``DecisionTreeRegressor`` (and the ``ExtraTree*``
  variants) → :func:`~exactgeom.partitions.tree.decision_tree`; leaf ids are the
  sklearn node ids; a classifier's leaf carries ``class`` (``classes_[argmax value]``,
  decided on sklearn's own leaf values, first maximum on ties) and ``value`` (the
  class-probability vector, converted by the policy and renormalised exactly); a
  regressor's leaf carries ``value``.
* ``KMeans`` / ``MiniBatchKMeans`` → :func:`~exactgeom.partitions.voronoi.voronoi` on
  ``cluster_centers_`` (key = label = cluster index).
* ``NearestCentroid`` (Euclidean) → the nearest-centroid partition, an
  :func:`~exactgeom.partitions.argmax.argmax_linear` of ``2 c_j·x − ‖c_j‖²`` over
  ``centroids_`` (key = centroid index, label = ``classes_[j]``).
* ``KNeighborsClassifier(n_neighbors=1)`` (Euclidean) → the Voronoi partition of the
  training points, the same argmax over ``_fit_X`` (key = training-point index, label =
  its class). Between equidistant training points the lowest index wins (sklearn's own
  choice there depends on its search tree: the two can differ only on cell boundaries);
  a repeated training point keeps only its first copy. ``n_neighbors > 1`` (a k-th order
  Voronoi diagram with vote counts) and other metrics are refused.
* linear classifiers (``LogisticRegression``, ``LinearSVC`` and every other
  ``LinearClassifierMixin``: ``RidgeClassifier``, ``SGDClassifier``, ``Perceptron``…) →
  :func:`~exactgeom.partitions.argmax.argmax_linear`. Binary: the single hyperplane,
  as the argmax of the two scores ``(0, w·x + b)`` (class 1 iff ``w·x + b > 0``, as in
  sklearn); multiclass: ``argmax_j (coef_j·x + intercept_j)``. Labels are ``classes_``.
* ``RandomForestClassifier`` / ``ExtraTreesClassifier`` → the common refinement
  (:func:`~exactgeom.partitions.refine.refine`) of the trees' partitions, key = tuple
  of leaf ids. Label rule ``vote="soft"`` (default, the rule of sklearn's ``predict``):
  the exact mean of the trees' leaf class-probability vectors, the first class among
  the maxima; ``vote="majority"``: each tree votes its leaf's class, the most frequent
  class wins, ties go to the lowest class index. ``output_affine`` is the mean
  probability vector (constant on each cell).
* ``RandomForestRegressor`` / ``ExtraTreesRegressor`` → refinement; ``output_affine``
  is the exact mean of the trees' leaf values; no label.
* ``Pipeline`` / ``make_pipeline`` of affine scalers (``StandardScaler``,
  ``MinMaxScaler`` without ``clip``, ``MaxAbsScaler``, ``"passthrough"``) followed by
  any model above: the scalers compose to ``x ↦ d ⊙ x + s`` (exact, from the policy's
  rationals), folded exactly into the model, so the partition lives in the raw input
  space the pipeline is called on: linear scores and an MLP's first layer become
  ``W·diag(d)`` and ``W·s + b``, a split ``x'_f <= t`` becomes ``x_f <= (t − s_f)/d_f``,
  and KMeans' nearest centre in scaled space becomes an argmax of affine scores
  ``2(d ⊙ c_j)·x + 2 c_j·s − ‖c_j‖²`` (an :func:`~exactgeom.partitions.argmax.argmax_linear`
  partition labelled by cluster index, no longer a Voronoi diagram in raw space).
  ``provenance["preprocessing"]`` names the scalers.
* ``MLPClassifier`` / ``MLPRegressor`` with ``activation="relu"`` →
  :func:`~exactgeom.partitions.relu.relu_network` on ``coefs_`` (transposed) and
  ``intercepts_``: key = activation pattern, ``output_affine`` the exact pre-activation
  of the output layer (the logits; ``predict`` is their argmax, or ``logit > 0`` for a
  binary classifier, since softmax and the logistic function are increasing), no
  label per cell (a cell can hold several classes). ``mode="data"`` with ``data=...``
  builds only the cells holding data (any input dimension). Other activations
  (``tanh``, ``logistic``, ``identity``) are refused.

Every float (thresholds, coefficients, centres, leaf values) is converted by the
explicit ``policy`` (required: ``"exact"`` or ``"limit_denominator(N)"``), recorded in
``provenance["policy"]``; ``provenance["source"]`` names the sklearn class.

Exactness caveat: sklearn trees compare ``float32(x_f) <= threshold``; the exact
partition uses ``x_f <= threshold`` (threshold converted by the policy), so the two can
disagree only for points within float32 rounding of a split.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from ..errors import InexactInputError, InvalidInputError, UnsupportedModelError
from ..numbers.rational import FloatPolicy, PolicyLike, as_rational, as_rational_vector
from ..partitions.argmax import argmax_linear
from ..partitions.partition import Partition
from ..partitions.refine import refine
from ..partitions.tree import decision_tree
from ..partitions.voronoi import voronoi
from . import _restamp

__all__ = ["from_sklearn", "tree_to_dict", "ForestModel"]

Vec = tuple[Fraction, ...]


def _plain(x: Any) -> Any:
    """numpy scalar → Python scalar (JSON-friendly keys and labels)."""
    return x.item() if isinstance(x, np.generic) else x


def _require_policy(policy: PolicyLike | None, model: Any) -> FloatPolicy:
    if policy is None:
        raise InexactInputError(
            f"{type(model).__name__} has float parameters; choose how to convert them, e.g. "
            "from_sklearn(model, domain, policy='exact') or policy='limit_denominator(1000000)'"
        )
    return FloatPolicy.parse(policy)


def _require_fitted(model: Any, attrs: tuple[str, ...]) -> None:
    missing = [a for a in attrs if not hasattr(model, a)]
    if missing:
        raise InvalidInputError(f"{type(model).__name__} is not fitted (no {', '.join(missing)}); call fit() first")


def _check_dim(model: Any, n: int) -> None:
    nf = getattr(model, "n_features_in_", None)
    if nf is not None and int(nf) != n:
        raise InvalidInputError(f"{type(model).__name__} has {nf} input features but the domain lives in R^{n}")


def _domain_dim(domain: Any, policy: FloatPolicy) -> int:
    from ..partitions.partition import as_domain

    return as_domain(domain, policy=policy).ambient_dim


def tree_to_dict(model: Any, policy: PolicyLike, classes: Any = None) -> dict[str, Any]:
    """The nested-mapping form of a fitted sklearn decision tree (exact rationals).

    Node ids become leaf ids; thresholds and leaf values are converted by ``policy``.
    ``classes`` overrides the tree's ``classes_`` (the trees of a forest are fitted on
    class indices; their forest's ``classes_`` names them).
    """
    pol = FloatPolicy.parse(policy)
    _require_fitted(model, ("tree_",))
    t = model.tree_
    if int(t.n_outputs) != 1:
        raise UnsupportedModelError(f"{type(model).__name__} has {t.n_outputs} outputs; only single-output trees are supported")
    left, right = t.children_left, t.children_right
    feat, thr, val = t.feature, t.threshold, t.value
    if classes is None:
        classes = getattr(model, "classes_", None)
    is_clf = classes is not None

    def leaf(i: int) -> dict[str, Any]:
        v = val[i][0]
        if is_clf:
            probs = as_rational_vector(v, pol, name=f"value of node {i}")
            s = sum(probs, Fraction(0))
            probs = tuple(p / s for p in probs) if s else probs
            return {"leaf": i, "class": _plain(classes[int(np.argmax(v))]), "value": probs}
        return {"leaf": i, "value": as_rational_vector(v, pol, name=f"value of node {i}")}

    # walked without recursion: scikit-learn trees may be thousands of levels deep
    top: dict[str, Any] = {}
    stack: list[tuple[int, dict[str, Any], str]] = [(0, top, "root")]
    while stack:
        i, parent, side = stack.pop()
        if left[i] == -1:
            parent[side] = leaf(i)
            continue
        out = {
            "feature": int(feat[i]),
            "threshold": as_rational(thr[i], pol, name=f"threshold of node {i}"),
            "left": None,
            "right": None,
        }
        parent[side] = out
        stack.append((int(right[i]), out, "right"))
        stack.append((int(left[i]), out, "left"))
    root: dict[str, Any] = top["root"]
    return root


@dataclass(frozen=True)
class _Scaling:
    """The affine preprocessing ``x ↦ d ⊙ x + s`` of a Pipeline (exact rationals,
    ``d > 0``), and the names of the steps it composes."""

    d: Vec
    s: Vec
    steps: tuple[str, ...]

    def fold_rows(self, W: Any, c: Any) -> tuple[list[Vec], list[Fraction]]:
        """Rows of ``W·(d ⊙ x + s) + c``: ``(W·diag(d), W·s + c)``."""
        W2 = [tuple(w * dj for w, dj in zip(row, self.d)) for row in W]
        c2 = [ci + sum((w * sj for w, sj in zip(row, self.s) if w and sj), Fraction(0)) for row, ci in zip(W, c)]
        return W2, c2

    def fold_tree(self, node: dict[str, Any]) -> dict[str, Any]:
        """A tree mapping with every axis split ``x'_f <= t`` rewritten as ``x_f <= (t − s_f)/d_f``
        (in place; walked without recursion)."""
        stack = [node]
        while stack:
            nd = stack.pop()
            if "feature" in nd:
                f = nd["feature"]
                nd["threshold"] = (nd["threshold"] - self.s[f]) / self.d[f]
                stack.extend((nd["left"], nd["right"]))
        return node


def _scaler_map(step: Any, n: int, pol: FloatPolicy) -> tuple[Vec, Vec]:
    """``(a, t)`` with ``step.transform(x) = a ⊙ x + t`` for an affine scaler (exact)."""
    from sklearn import preprocessing as pp

    name = type(step).__name__
    one, zero = (Fraction(1),) * n, (Fraction(0),) * n

    def vec(attr: str, positive: bool = False) -> Vec:
        v = getattr(step, attr, None)
        if v is None:
            raise InvalidInputError(f"the pipeline's {name} is not fitted (no {attr}); call fit() first")
        out = as_rational_vector(np.asarray(v, dtype=float), pol, name=f"{name}.{attr}", length=n)
        if positive:
            for j, (q, x) in enumerate(zip(out, np.asarray(v, dtype=float))):
                if q <= 0:
                    raise InexactInputError(
                        f"the policy {pol} turns {name}.{attr}[{j}] = {float(x)!r} into {q}, which is not a positive scale; "
                        "use policy='exact' or a larger limit_denominator"
                    )
        return out

    if isinstance(step, pp.StandardScaler):
        scale = vec("scale_", True) if step.with_std else one
        mean = vec("mean_") if step.with_mean else zero
        return tuple(1 / q for q in scale), tuple(-m / q for m, q in zip(mean, scale))
    if isinstance(step, pp.MinMaxScaler):
        if step.clip:
            raise UnsupportedModelError(
                "the pipeline's MinMaxScaler has clip=True, which is not affine; refit it with clip=False"
            )
        return vec("scale_", True), vec("min_")
    if isinstance(step, pp.MaxAbsScaler):
        return tuple(1 / q for q in vec("scale_", True)), zero
    raise UnsupportedModelError(
        f"pipeline step {name} is not supported by from_sklearn; supported preprocessing steps are the "
        "affine scalers StandardScaler, MinMaxScaler (clip=False), MaxAbsScaler and 'passthrough'"
    )


def _unpipe(pipe: Any, domain: Any, pol: FloatPolicy) -> tuple[Any, _Scaling]:
    """The final estimator of a Pipeline and its composed affine preprocessing."""
    n = _domain_dim(domain, pol)
    d: Vec = (Fraction(1),) * n
    s: Vec = (Fraction(0),) * n
    names: list[str] = []
    *pre, (_, final) = pipe.steps
    for _, step in pre:
        if step is None or (isinstance(step, str) and step == "passthrough"):
            continue
        nf = getattr(step, "n_features_in_", None)
        if nf is not None and int(nf) != n:
            raise InvalidInputError(f"the pipeline's {type(step).__name__} has {nf} input features but the domain lives in R^{n}")
        a, t = _scaler_map(step, n, pol)
        d = tuple(x * y for x, y in zip(a, d))
        s = tuple(ai * si + ti for ai, si, ti in zip(a, s, t))
        names.append(type(step).__name__)
    if final is None or (isinstance(final, str) and final == "passthrough"):
        raise UnsupportedModelError("the pipeline ends in 'passthrough'; its last step must be a model")
    return final, _Scaling(d, s, tuple(names))


def _tree(model: Any, domain: Any, pol: FloatPolicy, classes: Any = None, pre: _Scaling | None = None) -> Partition:
    _require_fitted(model, ("tree_",))
    _check_dim(model, _domain_dim(domain, pol))
    spec = tree_to_dict(model, pol, classes)
    if pre is not None:
        spec = pre.fold_tree(spec)
    P = decision_tree(spec, domain, policy=pol)
    return _with(P, model, pol)


def _with(P: Partition, model: Any, pol: FloatPolicy, family: str | None = None, new_model: Any = None) -> Partition:
    source = f"{type(model).__module__.split('.')[0]}.{type(model).__name__}"
    return _restamp(P, family=family, model=new_model, source=source, policy=str(pol))


def _linear(model: Any, domain: Any, pol: FloatPolicy, pre: _Scaling | None = None) -> Partition:
    _require_fitted(model, ("coef_", "intercept_", "classes_"))
    n = _domain_dim(domain, pol)
    _check_dim(model, n)
    coef = model.coef_
    if hasattr(coef, "toarray"):  # sparse coef_ (after .sparsify()): its dense values, exactly
        coef = coef.toarray()
    coef = np.atleast_2d(np.asarray(coef))
    k = coef.shape[0]
    inter = np.broadcast_to(np.asarray(model.intercept_), (k,))
    classes = [_plain(c) for c in model.classes_]
    if coef.shape[1] != n:
        raise InvalidInputError(f"{type(model).__name__}.coef_ has {coef.shape[1]} columns but the domain lives in R^{n}")
    if k == 1:
        if len(classes) != 2:
            raise UnsupportedModelError(f"{type(model).__name__} has one coefficient row but {len(classes)} classes")
        W = [[Fraction(0)] * n, as_rational_vector(coef[0], pol, name="coef_[0]")]
        c = [Fraction(0), as_rational(inter[0], pol, name="intercept_[0]")]
    else:
        W = [as_rational_vector(r, pol, name=f"coef_[{j}]") for j, r in enumerate(coef)]
        c = [as_rational(x, pol, name=f"intercept_[{j}]") for j, x in enumerate(inter)]
    if pre is not None:
        folded, c = pre.fold_rows(W, c)
        W = [row for row in folded]
    P = argmax_linear(W, c, domain, labels=classes, policy=pol)
    return _with(P, model, pol)


def _kmeans(model: Any, domain: Any, pol: FloatPolicy, pre: _Scaling | None = None) -> Partition:
    _require_fitted(model, ("cluster_centers_",))
    n = _domain_dim(domain, pol)
    _check_dim(model, n)
    if pre is None:
        return _with(voronoi(np.asarray(model.cluster_centers_, dtype=float), domain, policy=pol), model, pol)
    P = _nearest_site(model.cluster_centers_, "cluster_centers_", list(range(len(model.cluster_centers_))), n,
                      domain, pol, pre)
    return _with(P, model, pol)


def _nearest_site(
    sites: Any, name: str, labels: list[Hashable], n: int, domain: Any, pol: FloatPolicy, pre: _Scaling | None
) -> Partition:
    """The Euclidean nearest-site partition: a Voronoi diagram, or after affine scalers an
    argmax of affine scores, nearest site of ``d ⊙ x + s`` = ``argmax_j 2 c_j·(d ⊙ x + s) −
    ‖c_j‖²`` (ties: the lowest ``j``; every cell is clipped by all k − 1 rivals, O(k²))."""
    C = [as_rational_vector(np.asarray(r, dtype=float), pol, name=f"{name}[{j}]", length=n)
         for j, r in enumerate(sites)]
    if pre is None:  # a Voronoi diagram in raw space (the builder stops at the nearest sites)
        return voronoi(C, domain, labels=labels, policy=pol)
    W = [tuple(2 * x for x in cj) for cj in C]
    c = [-sum((x * x for x in cj), Fraction(0)) for cj in C]
    W, c = pre.fold_rows(W, c)
    return argmax_linear(W, c, domain, labels=labels, policy=pol)


def _euclidean(model: Any) -> bool:
    metric = getattr(model, "effective_metric_", getattr(model, "metric", "euclidean"))
    params = dict(getattr(model, "effective_metric_params_", None) or getattr(model, "metric_params", None) or {})
    p = params.get("p", getattr(model, "p", 2))
    return metric == "euclidean" or (metric == "minkowski" and p == 2)


def _nearest_centroid(model: Any, domain: Any, pol: FloatPolicy, pre: _Scaling | None) -> Partition:
    _require_fitted(model, ("centroids_", "classes_"))
    if not _euclidean(model):
        raise UnsupportedModelError(
            f"NearestCentroid with metric={model.metric!r}: only the Euclidean metric gives convex "
            "polyhedral cells (refit with metric='euclidean')"
        )
    n = _domain_dim(domain, pol)
    _check_dim(model, n)
    classes = [_plain(c) for c in model.classes_]
    return _with(_nearest_site(model.centroids_, "centroids_", classes, n, domain, pol, pre), model, pol)


def _one_nn(model: Any, domain: Any, pol: FloatPolicy, pre: _Scaling | None) -> Partition:
    _require_fitted(model, ("_fit_X", "_y", "classes_"))
    if model.n_neighbors != 1:
        raise UnsupportedModelError(
            f"KNeighborsClassifier with n_neighbors={model.n_neighbors}: only the 1-nearest-neighbour rule is a "
            "Voronoi partition with convex cells (refit with n_neighbors=1)"
        )
    if not _euclidean(model):
        raise UnsupportedModelError(
            f"KNeighborsClassifier with metric={model.effective_metric_!r}: only the Euclidean metric gives convex "
            "polyhedral cells (refit with metric='euclidean' or metric='minkowski', p=2)"
        )
    y = np.asarray(model._y)
    if y.ndim != 1:
        raise UnsupportedModelError("KNeighborsClassifier with several outputs is not supported; fit one target")
    n = _domain_dim(domain, pol)
    _check_dim(model, n)
    classes = [_plain(model.classes_[int(k)]) for k in y]
    return _with(_nearest_site(model._fit_X, "training point", classes, n, domain, pol, pre), model, pol)


@dataclass(frozen=True)
class ForestModel:
    """A forest on the refinement of its trees: key = tuple of leaf ids.

    ``label``: the soft vote (exact mean of leaf class-probabilities, first maximal
    class) or the majority vote of the trees' classes; ``output_affine``: the mean leaf
    value (probabilities for classifiers, predictions for regressors) as a constant map.
    """

    members: tuple[Any, ...]  # TreeModel per tree
    classes: tuple[Hashable, ...] | None
    vote: str
    n: int

    def key(self, x: Vec) -> tuple[Hashable, ...]:
        return tuple(m.key(x) for m in self.members)

    def _mean(self, key: Any) -> Vec:
        vals = [m.leaves[k].value for m, k in zip(self.members, key)]
        T = len(vals)
        return tuple(sum((v[j] for v in vals), Fraction(0)) / T for j in range(len(vals[0])))

    def label(self, key: Any) -> Hashable | None:
        if self.classes is None:
            return None
        if self.vote == "soft":
            p = self._mean(key)
            return self.classes[p.index(max(p))]
        votes = [self.classes.index(m.label(k)) for m, k in zip(self.members, key)]
        counts = [votes.count(j) for j in range(len(self.classes))]
        return self.classes[counts.index(max(counts))]

    def output_affine(self, key: Any) -> tuple[tuple[Vec, ...], Vec]:
        v = self._mean(key)
        zero = tuple(Fraction(0) for _ in range(self.n))
        return tuple(zero for _ in v), v


def _forest(model: Any, domain: Any, pol: FloatPolicy, vote: str, pre: _Scaling | None = None) -> Partition:
    _require_fitted(model, ("estimators_",))
    if vote not in ("soft", "majority"):
        raise InvalidInputError(f"unknown vote {vote!r}; use 'soft' (sklearn's rule) or 'majority'")
    n = _domain_dim(domain, pol)
    _check_dim(model, n)
    classes = tuple(_plain(c) for c in model.classes_) if hasattr(model, "classes_") else None
    if classes is not None and int(getattr(model, "n_outputs_", 1)) != 1:
        raise UnsupportedModelError(f"{type(model).__name__} has several outputs; only single-output forests are supported")
    trees = [_tree(est, domain, pol, classes, pre) for est in model.estimators_]
    R = refine(*trees)
    fm = ForestModel(tuple(T.model for T in trees), classes, vote, n)
    P = _with(R, model, pol, family="random_forest", new_model=fm)
    P._provenance.pop("label", None)  # the refinement's label rule is replaced by the vote
    P._provenance["vote"] = vote if classes is not None else None
    return P


def _mlp(model: Any, domain: Any, pol: FloatPolicy, relu_options: dict[str, Any], pre: _Scaling | None = None) -> Partition:
    _require_fitted(model, ("coefs_", "intercepts_"))
    act = getattr(model, "activation", None)
    if act != "relu":
        raise UnsupportedModelError(
            f"{type(model).__name__} has activation={act!r}; only activation='relu' networks are piecewise linear "
            "(refit with activation='relu')"
        )
    from ..partitions.relu import ReLUNetwork, relu_network

    n = _domain_dim(domain, pol)
    _check_dim(model, n)
    weights: list[Any] = [np.asarray(W, dtype=float).T for W in model.coefs_]
    biases: list[Any] = [np.asarray(b, dtype=float) for b in model.intercepts_]
    if pre is not None:  # the scalers folded into the first layer, exactly
        W0 = [as_rational_vector(r, pol, name=f"coefs_[0] column {i}") for i, r in enumerate(weights[0])]
        b0 = as_rational_vector(biases[0], pol, name="intercepts_[0]", length=len(W0))
        weights[0], biases[0] = pre.fold_rows(W0, b0)
    net = ReLUNetwork(weights, biases, policy=pol)
    opts = dict(relu_options)
    mode = opts.pop("mode", "full")
    data = opts.pop("data", None)
    P = relu_network(net, None, domain, mode=mode, data=data, policy=pol, **opts)
    P = _with(P, model, pol)
    if hasattr(model, "classes_"):
        P._provenance["classes"] = [_plain(c) for c in model.classes_]
        P._provenance["output"] = "logits: predict = classes[argmax] (binary: classes[logit > 0])"
    return P


_RELU_OPTIONS = ("mode", "data", "progress", "executor", "engine")


def from_sklearn(
    model: Any, domain: Any, *, policy: PolicyLike | None = None, vote: str = "soft", **relu_options: Any
) -> Partition:
    """The exact partition of ``domain`` induced by a fitted scikit-learn model.

    Parameters
    ----------
    model : fitted sklearn estimator
        See the module docstring for the supported classes.
    domain : list of (lo, hi) pairs or a full-dimensional Polytope
    policy : "exact" | "limit_denominator(N)" | FloatPolicy
        Required: how the model's float parameters become rationals.
    vote : "soft" | "majority"
        Label rule of random-forest classifiers (ignored otherwise).
    **relu_options
        For ``MLPClassifier`` / ``MLPRegressor`` only: ``mode``, ``data``,
        ``progress``, ``executor``, ``engine`` of
        :func:`~exactgeom.partitions.relu.relu_network` (e.g. ``mode="data",
        data=X``).

    Raises
    ------
    InexactInputError
        No policy given.
    UnsupportedModelError
        The model class is not supported.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> clf = LogisticRegression().fit([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1])
    >>> P = from_sklearn(clf, [(0, 3)], policy="limit_denominator(100)")
    >>> [P.label(c) for c in P.cells], P.provenance["policy"]
    ([0, 1], 'limit_denominator(100)')
    """
    from sklearn import pipeline

    pol = _require_policy(policy, model)
    if isinstance(model, pipeline.Pipeline):
        final, pre = _unpipe(model, domain, pol)
        P = _dispatch(final, domain, pol, vote, relu_options, pre)
        P = _with(P, model, pol)
        P._provenance["preprocessing"] = list(pre.steps)
        P._provenance["estimator"] = f"{type(final).__module__.split('.')[0]}.{type(final).__name__}"
        return P
    return _dispatch(model, domain, pol, vote, relu_options, None)


def _dispatch(
    model: Any, domain: Any, pol: FloatPolicy, vote: str, relu_options: dict[str, Any], pre: _Scaling | None
) -> Partition:
    from sklearn import cluster, ensemble, neighbors, neural_network, tree
    from sklearn.base import is_classifier, is_regressor

    unknown = sorted(set(relu_options) - set(_RELU_OPTIONS))
    if unknown:
        raise InvalidInputError(f"unknown option(s) {', '.join(unknown)}; from_sklearn takes policy, vote and, "
                                f"for MLPs, {', '.join(_RELU_OPTIONS)}")
    if isinstance(model, (neural_network.MLPClassifier, neural_network.MLPRegressor)):
        return _mlp(model, domain, pol, relu_options, pre)
    if relu_options:
        raise InvalidInputError(
            f"{', '.join(sorted(relu_options))} only apply to MLPClassifier / MLPRegressor (ReLU networks); "
            f"{type(model).__name__} always gives its full partition"
        )
    if isinstance(model, (tree.DecisionTreeClassifier, tree.DecisionTreeRegressor)):
        return _tree(model, domain, pol, pre=pre)
    if isinstance(model, (cluster.KMeans, cluster.MiniBatchKMeans)):
        return _kmeans(model, domain, pol, pre)
    if isinstance(model, neighbors.NearestCentroid):
        return _nearest_centroid(model, domain, pol, pre)
    if isinstance(model, neighbors.KNeighborsClassifier):
        return _one_nn(model, domain, pol, pre)
    if isinstance(
        model,
        (
            ensemble.RandomForestClassifier,
            ensemble.ExtraTreesClassifier,
            ensemble.RandomForestRegressor,
            ensemble.ExtraTreesRegressor,
        ),
    ):
        return _forest(model, domain, pol, vote, pre)
    try:
        from sklearn.linear_model._base import LinearClassifierMixin
    except ImportError:  # pragma: no cover - private path moved
        from sklearn.linear_model import LogisticRegression
        from sklearn.svm import LinearSVC

        linear: tuple[type, ...] = (LogisticRegression, LinearSVC)
    else:
        linear = (LinearClassifierMixin,)
    if isinstance(model, linear):
        return _linear(model, domain, pol, pre)
    try:
        kind = "regressor" if is_regressor(model) else "classifier" if is_classifier(model) else "estimator"
    except (AttributeError, TypeError):  # not an sklearn estimator at all
        kind = "not an estimator"
    raise UnsupportedModelError(
        f"{type(model).__name__} ({kind}) is not supported by from_sklearn; supported: decision trees, "
        "random forests / extra trees, KMeans, NearestCentroid, 1-nearest-neighbour KNeighborsClassifier, "
        "linear classifiers (LogisticRegression, LinearSVC, ...) and "
        "ReLU MLPs (MLPClassifier / MLPRegressor with activation='relu'), alone or after affine scalers in a Pipeline"
    )
