"""Model files: the JSON format of every family, .npz / .pt weights, data files."""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given

from exactgeom import InexactInputError, InvalidInputError, Polytope, UnsupportedModelError
from exactgeom.errors import DegenerateError
from exactgeom.io.model_files import domain_to_json, read_model
from exactgeom.io.model_objects import spec_from_partition
from exactgeom.io.weights_files import read_data, read_weights
from exactgeom.strategies.models import model_documents

SQ = [["-1", "1"], ["-1", "1"]]

EXAMPLES = {
    "relu": {"family": "relu", "weights": [[["1", "1/2"], ["-1", "1"]], [["1", "-1"]]], "biases": [["0", "1/4"], ["0"]], "domain": SQ},
    "arrangement": {"family": "arrangement", "normals": [[1, 2]], "offsets": ["1/3"], "domain": SQ},
    "argmax": {"family": "argmax", "W": [[1, 0], [0, 1]], "c": [0, "1/2"], "domain": SQ, "class_labels": ["x", "y"]},
    "voronoi": {"family": "voronoi", "sites": [[0, 0], ["1/2", "1/3"]], "domain": SQ},
    "tree": {"family": "tree", "domain": SQ,
             "tree": {"feature": 1, "threshold": "0.25", "left": {"leaf": "a", "class": 1, "value": "2"},
                      "right": {"weights": [1, 1], "threshold": 0, "left": {"leaf": "b"}, "right": {"leaf": "c"}}}},
    "refine": {"family": "refine", "domain": SQ, "rule": "majority",
               "members": [{"family": "arrangement", "normals": [[1, 0]], "offsets": [0]},
                           {"family": "arrangement", "normals": [[0, 1]], "offsets": [0]}]},
}


@pytest.mark.parametrize("family", sorted(EXAMPLES))
def test_every_family_reads_builds_and_round_trips(family):
    spec = read_model(EXAMPLES[family])
    P = spec.build()
    assert P.check().ok
    j = spec.to_json()
    assert read_model(j).to_json() == j  # canonical form is a fixed point
    assert read_model(json.dumps(j)).to_json() == j  # JSON text too
    back = spec_from_partition(P)
    assert back is not None and back.to_json() == j  # the partition remembers its model


@given(model_documents())
def test_random_models_round_trip_through_the_partition(doc):
    spec = read_model(doc)
    P = spec.build()
    j = spec.to_json()
    assert read_model(j).to_json() == j
    back = spec_from_partition(P)
    assert back is not None and back.to_json() == j
    assert back.build().volumes() == P.volumes()


def test_decimal_strings_are_exact_and_floats_need_a_policy():
    doc = {"family": "arrangement", "normals": [[1, 0]], "offsets": ["0.1"], "domain": [[0, 1], [0, 1]]}
    assert read_model(doc).params["offsets"] == (Fraction(1, 10),)
    doc["offsets"] = [0.1]
    with pytest.raises(InexactInputError, match="policy"):
        read_model(doc)
    assert read_model(doc, policy="limit_denominator(100)").params["offsets"] == (Fraction(1, 10),)
    doc["policy"] = "exact"
    spec = read_model(doc)
    assert spec.params["offsets"] == (Fraction(0.1),) and spec.policy == "exact"
    assert spec.to_json()["policy"] == "exact"
    assert read_model(doc, policy="limit_denominator(10)").policy == "limit_denominator(10)"


def test_polytope_domain_and_domain_to_json():
    doc = {"family": "voronoi", "sites": [[0, 0], [1, 1]], "domain": {"A": [[-1, 0], [0, -1], [1, 1]], "b": [0, 0, 2]}}
    spec = read_model(doc)
    assert spec.domain.volume() == 2 and spec.to_json()["domain"] == {"A": [["-1", "0"], ["0", "-1"], ["1", "1"]], "b": ["0", "0", "2"]}
    assert domain_to_json(spec.domain) == {"A": [["-1", "0"], ["0", "-1"], ["1", "1"]], "b": ["0", "0", "2"]}
    assert domain_to_json(Polytope.box([(0, 1), ("-1/2", 3)])) == [["0", "1"], ["-1/2", "3"]]
    assert read_model(EXAMPLES["voronoi"], domain=[[0, 1], [0, 2]]).domain.volume() == 2


def _with(family, **changes):
    d = json.loads(json.dumps(EXAMPLES[family]))
    for k, v in changes.items():
        if v is None:
            d.pop(k, None)
        else:
            d[k] = v
    return d


INVALID = [
    ("unknown family", {"family": "spline", "domain": SQ}, InvalidInputError, "unknown model family 'spline'"),
    ("no family", {"normals": [], "domain": SQ}, InvalidInputError, 'no "family"'),
    ("not an object", [1, 2], InvalidInputError, "a model is a file path"),
    ("malformed JSON text", '{"family": ', InvalidInputError, "not valid JSON"),
    ("missing parameter", _with("arrangement", offsets=None), InvalidInputError, "needs the field 'offsets'"),
    ("unknown field", _with("voronoi", weights=[[1]]), InvalidInputError, "unknown field"),
    ("no domain", _with("voronoi", domain=None), InvalidInputError, 'no "domain"'),
    ("domain lo >= hi", _with("voronoi", domain=[[1, 1], [0, 1]]), InvalidInputError, "not below"),
    ("domain not pairs", _with("voronoi", domain=[[0, 1, 2], [0, 1]]), InvalidInputError, "pair"),
    ("domain empty", _with("voronoi", domain=[]), InvalidInputError, "no coordinates"),
    ("domain string", _with("voronoi", domain="0:1"), InvalidInputError, "domain must be"),
    ("domain A,b lengths", _with("voronoi", domain={"A": [[1, 0]], "b": [1, 2]}), InvalidInputError, "rows"),
    ("domain unbounded", _with("voronoi", domain={"A": [[1, 0], [0, 1]], "b": [1, 2]}), DegenerateError, "bounded"),
    ("domain wrong keys", _with("voronoi", domain={"A": [[1, 0]]}), InvalidInputError, "polytope domain"),
    ("sites wrong dim", _with("voronoi", sites=[[0, 0, 0]]), InvalidInputError, "columns"),
    ("relu widths", _with("relu", weights=[[["1", "1"]], [["1", "1"]]], biases=[["0"], ["0"]]), InvalidInputError, "columns"),
    ("relu biases", _with("relu", biases=[["0"], ["0"]]), InvalidInputError, "biases"),
    ("relu slopes length", _with("relu", negative_slopes=["1/2", "1/2"]), InvalidInputError, "negative_slopes"),
    ("relu slopes float", _with("relu", negative_slopes=[0.1]), InexactInputError, "policy"),
    ("relu NaN", _with("relu", biases=[[float("nan"), "0"], ["0"]], policy="exact"), InvalidInputError, "nan"),
    ("float without policy", _with("arrangement", offsets=[0.25]), InexactInputError, "policy"),
    ("bad policy", _with("arrangement", policy="round"), InvalidInputError, "policy"),
    ("labels without data", _with("voronoi", labels=[0]), InvalidInputError, "labels"),
    ("labels count", _with("voronoi", data=[[0, 0]], labels=[0, 1]), InvalidInputError, "2 labels for 1"),
    ("data mode without data", _with("relu", mode="data"), InvalidInputError, "needs data"),
    ("data mode for voronoi", _with("voronoi", mode="data", data=[[0, 0]]), InvalidInputError, "ReLU"),
    ("unknown mode", _with("relu", mode="fast"), InvalidInputError, "mode"),
    ("tree bad node", _with("tree", tree={"feature": 0, "left": {"leaf": 0}}), InvalidInputError, "split"),
    ("tree feature range", _with("tree", tree={"feature": 5, "threshold": 0, "left": {"leaf": 0}, "right": {"leaf": 1}}), InvalidInputError, "feature"),
    ("refine member domain", _with("refine", members=[{"family": "voronoi", "sites": [[0, 0]], "domain": SQ}]), InvalidInputError, "own domain"),
    ("refine rule", _with("refine", rule="vote"), InvalidInputError, "rule"),
    ("wrong format", _with("voronoi", format="other"), InvalidInputError, "format"),
    ("wrong version", _with("voronoi", version=2), InvalidInputError, "version"),
]


@pytest.mark.parametrize("name, doc, error, match", INVALID, ids=[r[0] for r in INVALID])
def test_invalid_models(name, doc, error, match):
    with pytest.raises(error, match=match):
        read_model(doc).build()


def test_missing_and_directory_files(tmp_path):
    with pytest.raises(InvalidInputError, match="does not exist"):
        read_model(tmp_path / "nope.json")
    with pytest.raises(InvalidInputError, match="directory"):
        read_model(tmp_path)
    bad = tmp_path / "bad.json"
    bad.write_text("{oops")
    with pytest.raises(InvalidInputError, match="not valid JSON"):
        read_model(bad)


# ------------------------------------------------------------------ .npz


def test_npz_integer_and_float_weights(tmp_path):
    p = tmp_path / "net.npz"
    np.savez(p, W0=np.array([[1, -1], [1, 1]]), b0=np.array([0, 0]), W1=np.array([[1, 1]]), b1=np.array([0]),
             domain=np.array([[-1, 1], [-1, 1]]))
    spec = read_model(p)
    assert spec.family == "relu" and spec.build().n_cells == 4
    q = tmp_path / "float.npz"
    np.savez(q, W0=np.array([[0.5, -1.0]]), b0=np.array([0.25]), W1=np.array([[2.0]]), b1=np.array([0.0]))
    with pytest.raises(InvalidInputError, match="no domain"):
        read_weights(q, policy="exact")
    with pytest.raises(InexactInputError, match="--policy exact"):  # the CLI spelling, not policy=
        read_model(q, domain=[[0, 1], [0, 1]])
    s = read_model(q, policy="exact", domain=[[0, 1], [0, 1]])
    assert s.params["weights"][0] == ((Fraction(1, 2), Fraction(-1)),) and s.policy == "exact"


@pytest.mark.parametrize(
    "arrays, match",
    [
        ({"A": np.zeros(2)}, "no arrays W0"),
        ({"W0": np.eye(2)}, "no b0"),
        ({"W0": np.eye(2), "b0": np.zeros(2), "extra": np.zeros(1)}, "unexpected arrays"),
        ({"W0": np.zeros(2), "b0": np.zeros(2)}, "2-D"),
    ],
)
def test_npz_errors(tmp_path, arrays, match):
    p = tmp_path / "bad.npz"
    np.savez(p, **arrays)
    with pytest.raises(InvalidInputError, match=match):
        read_model(p, domain=[[0, 1], [0, 1]])


def test_not_an_npz(tmp_path):
    p = tmp_path / "x.npz"
    p.write_text("hello")
    with pytest.raises(InvalidInputError, match="npz"):
        read_model(p, domain=[[0, 1]])


# ------------------------------------------------------------------ .pt


def test_torch_sequential_and_state_dict(tmp_path):
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.ReLU(), torch.nn.Linear(4, 1))
    p = tmp_path / "net.pt"
    torch.save(net, p)
    with pytest.raises(InexactInputError, match="policy"):
        read_model(p, domain=[[-1, 1], [-1, 1]])
    spec = read_model(p, policy="exact", domain=[[-1, 1], [-1, 1]])
    P = spec.build()
    assert P.check().ok and spec.policy == "exact"
    # the exact affine map of a cell agrees with torch at an interior point
    for c in P.cells[:3]:
        x = c.centroid()
        J, b = P.output_affine(c)
        exact = sum(J[0][k] * x[k] for k in range(2)) + b[0]
        with torch.no_grad():
            t = net.double()(torch.tensor([[float(v) for v in x]], dtype=torch.float64)).item()
        assert abs(float(exact) - t) < 1e-9
    sd = tmp_path / "sd.pt"
    torch.save(net.state_dict(), sd)
    assert read_model(sd, policy="exact", domain=[[-1, 1], [-1, 1]]).to_json()["weights"] == spec.to_json()["weights"]


def test_torch_unsupported_layers(tmp_path):
    torch = pytest.importorskip("torch")
    p = tmp_path / "tanh.pt"
    torch.save(torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Tanh(), torch.nn.Linear(2, 1)), p)
    with pytest.raises(UnsupportedModelError, match="Tanh"):
        read_model(p, policy="exact", domain=[[0, 1], [0, 1]])
    s = tmp_path / "bn_state.pt"
    bn_net = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.BatchNorm1d(3), torch.nn.ReLU(), torch.nn.Linear(3, 1))
    torch.save(bn_net.state_dict(), s)  # used to crash: a BatchNorm weight read as a Linear one
    with pytest.raises(UnsupportedModelError, match=r"running_mean.*save the whole module"):
        read_model(s, policy="exact", domain=[[0, 1], [0, 1]])
    r = tmp_path / "garbage.pt"
    r.write_bytes(b"not a pickle")
    with pytest.raises(InvalidInputError, match=r"torch\.load"):
        read_model(r, policy="exact", domain=[[0, 1], [0, 1]])


def test_torch_module_file_reads_like_from_torch(tmp_path):
    """A saved module goes through the torch importer (one reading of a network): read in
    eval mode (the file may be saved mid-training), with BatchNorm, Dropout, LeakyReLU,
    nested Sequentials and a final ReLU (identity output layer), exactly as from_torch."""
    torch = pytest.importorskip("torch")
    from exactgeom.importers import from_torch

    nn = torch.nn
    torch.manual_seed(1)
    net = nn.Sequential(nn.Sequential(nn.Linear(2, 4), nn.BatchNorm1d(4)), nn.LeakyReLU(0.125), nn.Dropout(0.3),
                        nn.Linear(4, 3), nn.ReLU())
    with torch.no_grad():
        net[0][1].running_mean.uniform_(-0.5, 0.5)
        net[0][1].running_var.uniform_(0.5, 2.0)
    p = tmp_path / "train_mode.pt"
    torch.save(net.train(), p)
    D = [[-1, 1], [-1, 1]]
    P = read_model(p, policy="exact", domain=D).build()
    Q = from_torch(net.eval(), D, policy="exact")
    assert P.n_cells == Q.n_cells and {c.key: c.polytope for c in P.cells} == {c.key: c.polytope for c in Q.cells}
    assert P.model.negative_slopes == Q.model.negative_slopes == (Fraction(1, 8), 0)
    for c in P.cells:
        x = c.centroid()
        with torch.no_grad():
            t = net.double()(torch.tensor([[float(v) for v in x]], dtype=torch.float64))[0].tolist()
        assert [float(v) for v in P.model.forward(x)] == pytest.approx(t, abs=1e-9)


# ------------------------------------------------------------------ data files


def test_read_data_json_and_csv(tmp_path):
    j = tmp_path / "d.json"
    j.write_text(json.dumps({"data": [["1/2", 0], [1, "0.25"]], "labels": [0, 1]}))
    X, y = read_data(j, n=2)
    assert X == ((Fraction(1, 2), Fraction(0)), (Fraction(1), Fraction(1, 4))) and y == (0, 1)
    c = tmp_path / "d.csv"
    c.write_text("0.5,1\n-1,1/3\n")
    X, y = read_data(c)
    assert X[1] == (Fraction(-1), Fraction(1, 3)) and y is None
    f = tmp_path / "f.csv"
    f.write_text("x,label\n0.1,a\n")
    assert read_data(f)[0] == ((Fraction(1, 10),),)  # decimal text is exact
    with pytest.raises(InvalidInputError, match="coordinates"):
        read_data(j, n=3)
    with pytest.raises(InvalidInputError, match="does not exist"):
        read_data(tmp_path / "none.csv")
    b = tmp_path / "b.csv"
    b.write_text("1,abc\n")
    with pytest.raises(InvalidInputError, match="not a number"):
        read_data(b)
    # other delimiters: named, instead of "data is empty" or a bare "not a number"
    for name, text, phrase in (("semi.csv", "0.5;0.25\n1;2\n", "line 2: '1;2' is not a number"),
                               ("semi1.csv", "0.5;0.25\n", "no data rows"),
                               ("tab.csv", "x\ty\n0.5\t0.1\n", "line 2")):
        q = tmp_path / name
        q.write_text(text)
        with pytest.raises(InvalidInputError, match="separated by commas") as err:
            read_data(q)
        assert phrase in str(err.value)
    e = tmp_path / "e.json"
    e.write_text(json.dumps([[0.5, 1.0]]))
    with pytest.raises(InexactInputError):
        read_data(e)
    assert read_data(e, policy="exact")[0] == ((Fraction(1, 2), Fraction(1)),)


def test_with_data_and_mode():
    spec = read_model(EXAMPLES["relu"]).with_data([["1/2", "1/2"], ["-1/2", "0"]], [1, 0], mode="data")
    P = spec.build()
    assert spec.mode == "data" and 1 <= P.n_cells <= 2
    assert spec.to_json()["mode"] == "data" and spec.to_json()["labels"] == [1, 0]
    with pytest.raises(InvalidInputError, match="coordinates"):
        spec.with_data([[0, 0, 0]])


def test_data_mode_partition_keeps_its_data_and_without_it_has_no_spec(tmp_path):
    from exactgeom import Partition
    from exactgeom.io.fixture_load import check_fixture
    from exactgeom.io.fixtures import write_fixture

    spec = read_model(EXAMPLES["relu"]).with_data([["1/2", "1/2"]], mode="data")
    P = spec.build()
    got = spec_from_partition(P)  # relu_network records its data in the provenance
    assert got is not None and got.mode == "data" and got.data == ((Fraction(1, 2), Fraction(1, 2)),)
    doc = write_fixture(P, tmp_path / "e.json")  # model and data kept, checkable
    assert doc["model"]["mode"] == "data" and doc["model"]["data"] == [["1/2", "1/2"]]
    assert check_fixture(tmp_path / "e.json").ok
    bare = Partition(P.domain, [(c.key, c.polytope) for c in P.cells], family="relu", model=P.model,
                     provenance={"mode": "data"})
    assert spec_from_partition(bare) is None  # a data-mode partition without its data
    doc = write_fixture(bare, tmp_path / "f.json")  # cells only, still checkable
    assert doc["model"] is None and check_fixture(tmp_path / "f.json").ok
    doc = write_fixture(spec, tmp_path / "g.json", partition=P)  # with the spec: the model is kept
    assert doc["model"]["mode"] == "data" and check_fixture(tmp_path / "g.json").ok


def test_leaky_network_keeps_its_slopes_through_model_files_and_fixtures(tmp_path):
    """A leaky net's slopes are part of the model: the model file, the partition's spec and
    a fixture keep them, and the rebuilt partition is the leaky one (not the plain ReLU one,
    whose cells differ), checked against the network's own exact forward pass."""
    from exactgeom import ReLUNetwork, relu_network
    from exactgeom.io.fixture_load import check_fixture, load_fixture
    from exactgeom.io.fixtures import write_fixture

    doc = dict(EXAMPLES["relu"], negative_slopes=["1/4"])
    spec = read_model(doc)
    assert spec.to_json()["negative_slopes"] == ["1/4"]
    assert read_model(json.dumps(spec.to_json())).to_json() == spec.to_json()
    P = spec.build()
    net = ReLUNetwork(doc["weights"], doc["biases"], negative_slopes=["1/4"])
    plain = relu_network(doc["weights"], doc["biases"], doc["domain"])
    assert P.model == net and P.model != plain.model
    for c in P.cells:  # the cell's affine map is the leaky network's, at an interior point
        x = c.polytope.relative_interior_point()
        J, b = net.output_affine(c.key)
        assert tuple(sum(a * t for a, t in zip(row, x)) + bb for row, bb in zip(J, b)) == net.forward(x)
    back = spec_from_partition(P)
    assert back is not None and back.to_json() == spec.to_json()
    written = write_fixture(P, tmp_path / "leaky.json")
    assert written["model"]["negative_slopes"] == ["1/4"]
    assert check_fixture(tmp_path / "leaky.json").ok
    assert load_fixture(tmp_path / "leaky.json").model_spec.build().model == net
    # all-zero slopes are the plain network: one spelling, no field
    assert "negative_slopes" not in read_model(dict(EXAMPLES["relu"], negative_slopes=["0"])).to_json()
