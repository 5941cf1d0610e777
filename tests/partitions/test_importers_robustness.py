"""Importers convert numbers through the one door (issue 10): NaN thresholds, sparse
coefficients, integer and complex tensors."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from exactgeom.errors import InvalidInputError

sklearn = pytest.importorskip("sklearn")
torch = pytest.importorskip("torch")


def _tree_with_nan_threshold():
    from sklearn.tree import DecisionTreeClassifier

    m = DecisionTreeClassifier(random_state=0).fit([[0.0], [1.0]], [0, 1])
    m.tree_.threshold[0] = np.nan  # the tree_ arrays are writable views
    return m


def test_nan_tree_threshold_is_the_packages_error() -> None:
    from exactgeom.importers.sklearn import from_sklearn

    m = _tree_with_nan_threshold()
    assert np.isnan(m.tree_.threshold[0])
    with pytest.raises(InvalidInputError, match="threshold of node 0 is nan"):
        from_sklearn(m, [(-1, 2)], policy="exact")


def test_sparsified_logistic_regression_is_read_exactly() -> None:
    from sklearn.linear_model import LogisticRegression

    from exactgeom.importers.sklearn import from_sklearn

    X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    dense = LogisticRegression().fit(X, [0, 0, 1, 1])
    sparse = LogisticRegression().fit(X, [0, 0, 1, 1]).sparsify()
    assert hasattr(sparse.coef_, "toarray")
    P = from_sklearn(sparse, [(-1, 2), (-1, 2)], policy="exact")
    Q = from_sklearn(dense, [(-1, 2), (-1, 2)], policy="exact")
    assert [c.polytope for c in P.cells] == [c.polytope for c in Q.cells]


def test_torch_integer_data_stays_exact() -> None:
    from exactgeom.importers.torch import tensor_to_numpy

    big = 2**62 + 1
    a = tensor_to_numpy(torch.tensor([[big, 1]]))
    assert a.dtype == np.int64 and int(a[0, 0]) == big
    assert tensor_to_numpy(torch.tensor([0.1], dtype=torch.float32))[0] == np.float32(0.1)
    with pytest.raises(InvalidInputError, match="complex"):
        tensor_to_numpy(torch.tensor([1 + 1j]))


def test_complex_npz_weights_refused(tmp_path) -> None:
    from exactgeom.io.model_files import read_model

    p = tmp_path / "net.npz"
    np.savez(p, W0=np.array([[1 + 1j]]), b0=np.array([0]), W1=np.array([[1]]), b1=np.array([0]))
    with pytest.raises(InvalidInputError, match="complex"):
        read_model(p, policy="exact", domain=[[-1, 1]])


def test_integer_state_dict_exact(tmp_path) -> None:
    from exactgeom.io.model_files import read_model

    big = 2**62 + 1
    sd = {"0.weight": torch.tensor([[big]]), "0.bias": torch.tensor([0]), "2.weight": torch.tensor([[1]]), "2.bias": torch.tensor([0])}
    p = tmp_path / "net.pt"
    torch.save(sd, p)
    spec = read_model(p, policy="exact", domain=[[-1, 1]])
    assert spec.to_json()["weights"][0] == [[str(big)]]
    assert Fraction(spec.to_json()["weights"][0][0][0]) == big
