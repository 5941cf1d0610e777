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


def test_torch_layers_without_units_or_values_refused() -> None:
    from exactgeom.importers.torch import from_torch

    nn = torch.nn
    with pytest.warns(UserWarning, match="zero-element"):  # torch's own warning when building it
        empty = nn.Sequential(nn.Linear(2, 0), nn.ReLU(), nn.Linear(0, 1))
    with pytest.raises(InvalidInputError, match=r"Linear\(2, 0\); every layer needs at least one input and one unit"):
        from_torch(empty, [(-1, 1)] * 2, policy="exact")
    with pytest.raises(InvalidInputError, match="'meta' device"):
        from_torch(nn.Sequential(nn.Linear(2, 1, device="meta")), [(-1, 1)] * 2, policy="exact")


def test_npz_object_arrays_and_bad_domain_refused(tmp_path) -> None:
    from exactgeom.io.model_files import read_model

    p = tmp_path / "obj.npz"
    np.savez(p, W0=np.array([[Fraction(1), -1]], dtype=object), b0=np.array([0]), W1=np.array([[1]]), b1=np.array([0]))
    with pytest.raises(InvalidInputError, match="does not unpickle"):
        read_model(p, domain=[[-1, 1], [-1, 1]])
    q = tmp_path / "dom.npz"
    np.savez(q, W0=np.array([[1, -1]]), b0=np.array([0]), W1=np.array([[1]]), b1=np.array([0]), domain=np.array([-1, 1]))
    with pytest.raises(InvalidInputError, match=r"shape \(2,\); it must be n x 2"):
        read_model(q)


def test_model_sources_that_are_not_paths(tmp_path) -> None:
    """A JSON text that is not an object, a name no file system accepts, a byte-order
    mark, a numpy domain: the package's error or the model, never OSError."""
    import json

    from exactgeom.io.model_files import read_model

    with pytest.raises(InvalidInputError, match="must be a JSON object"):
        read_model("[" * 5000 + "]" * 5000)
    with pytest.raises(InvalidInputError, match="neither a readable file path"):
        read_model("x" * 5000)
    with pytest.raises(InvalidInputError, match="does not exist"):
        read_model("a\x00b.json")
    model = {"family": "arrangement", "normals": [[1, 0]], "offsets": ["1/3"], "domain": [[0, 1], [0, 1]]}
    p = tmp_path / "bom.json"
    p.write_bytes(b"\xef\xbb\xbf" + json.dumps(model).encode())
    assert sorted(c.volume() for c in read_model(p).build().cells) == [Fraction(1, 3), Fraction(2, 3)]
    spec = read_model({k: v for k, v in model.items() if k != "domain"}, domain=np.array([[0, 1], [0, 1]]))
    assert sorted(c.volume() for c in spec.build().cells) == [Fraction(1, 3), Fraction(2, 3)]
