"""Class labels of ReLU cells (sign / argmax, or "mixed"), checked against exact evaluation
of the network (``net.forward``, independent of ``output_affine``) at vertices and interior
points, with closed-form examples of every tie rule; plots, summary and fixtures use them."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactgeom.partitions.labels import MIXED, affine_label, point_class
from exactgeom.partitions.relu import ReLUNetwork, relu_network
from exactgeom.strategies.relu import relu_networks

F = Fraction


def _cls(out):
    """The class at a point, written independently: scalar 1 iff > 0; argmax, first max."""
    if len(out) == 1:
        return 1 if out[0] > 0 else 0
    best = out[0]
    k = 0
    for i, v in enumerate(out):
        if v > best:
            best, k = v, i
    return k


def _interior(P, rng):
    V = P.vertices
    w = [rng.randint(1, 20) for _ in V]
    s = sum(w)
    return tuple(sum((F(wi) * v[j] for wi, v in zip(w, V)), F(0)) / s for j in range(P.ambient_dim))


def _toward(v, c, t):
    return tuple((1 - t) * a + t * b for a, b in zip(v, c))


def _check_labels(net, P):
    rng = random.Random(3)
    for c in P.cells:
        lab = P.label(c)
        J, cc = net.output_affine(c.key)  # the LP route (no vertices) gives the same label
        assert affine_label(J, cc, c.polytope, method="lp") == lab
        C = c.polytope
        centre = C.relative_interior_point()
        inner = [_interior(C, rng) for _ in range(12)] + [centre]
        classes = {_cls(net.forward(x)) for x in inner}
        if lab != MIXED:
            assert classes == {lab}, (c.key, lab, classes)
            continue
        # mixed: an interior point of another class exists; the output is affine on C, so one
        # lies on a segment from the centre toward some vertex, close enough to that vertex
        k0 = _cls(net.forward(centre))
        found = False
        for v in C.vertices:
            t = F(1, 2)
            for _ in range(80):
                x = _toward(v, centre, t)
                if _cls(net.forward(x)) != k0:
                    found = True
                    break
                t /= 2
            if found:
                break
        assert found, (c.key, "labelled mixed, but every probed interior point has class", k0)


@settings(max_examples=25, deadline=None)
@given(relu_networks(n_in=st.integers(1, 2), max_width=3, max_depth=2, n_out=1))
def test_scalar_labels_against_exact_evaluation(net):
    _check_labels(net, relu_network(net, None, [(-1, 1)] * net.n_in))


@settings(max_examples=20, deadline=None)
@given(relu_networks(n_in=st.integers(1, 2), max_width=3, max_depth=2, n_out=3))
def test_argmax_labels_against_exact_evaluation(net):
    _check_labels(net, relu_network(net, None, [(-1, 1)] * net.n_in))


def test_boundary_crossing_a_cell_gives_mixed_and_closed_forms():
    # output ReLU(x) − 1/2 on [-1, 1]²: cell x < 0 has output −1/2 (class 0); on x > 0 the
    # boundary x = 1/2 crosses the cell
    net = ReLUNetwork([[[1, 0]], [[1]]], [[0], ["-1/2"]])
    P = relu_network(net, None, [(-1, 1), (-1, 1)])
    assert [(c.key, P.label(c)) for c in P.cells] == [(((0,),), 0), (((1,),), MIXED)]


def test_tie_rules():
    box = [(-1, 1), (-1, 1)]
    # scalar ReLU(x): f ≡ 0 on x < 0 → 0 (an exact zero is class 0); on x > 0, f ≥ 0 and the
    # boundary f = 0 only touches the cell's face x = 0 → 1, not mixed
    P = relu_network(ReLUNetwork([[[1, 0]], [[1]]], [[0], [0]]), None, box)
    assert [P.label(c) for c in P.cells] == [0, 1]
    # vector (ReLU(x), 0): a tie on x < 0 goes to the lowest index 0; on x > 0, f_0 ≥ f_1 → 0
    P = relu_network(ReLUNetwork([[[1, 0]], [[1], [0]]], [[0], [0, 0]]), None, box)
    assert [P.label(c) for c in P.cells] == [0, 0]
    # vector (0, ReLU(x)): tie → 0 on x < 0; f_1 > f_0 inside x > 0 → 1
    P = relu_network(ReLUNetwork([[[1, 0]], [[0], [1]]], [[0], [0, 0]]), None, box)
    assert [P.label(c) for c in P.cells] == [0, 1]
    assert point_class([0]) == 0 and point_class([1, 1, 0]) == 0 and point_class(["-1", "-1/2"]) == 1


def test_affine_label_direct_and_invalid():
    from exactgeom import Polytope
    from exactgeom.errors import InvalidInputError

    C = Polytope.box([(0, 1), (0, 1)])
    assert affine_label([[1, 1]], [-2], C) == 0  # touches the corner (1, 1) only
    assert affine_label([[1, 1]], ["-1"], C) == MIXED
    with pytest.raises(InvalidInputError):
        affine_label([], [], C)
    with pytest.raises(InvalidInputError):
        affine_label([[1, 1]], [0, 0], C)
    with pytest.raises(InvalidInputError):
        point_class([])
    with pytest.raises(InvalidInputError):
        affine_label([[1, 1]], [0], C, method="simplex")
    for m in ("vertices", "lp"):
        assert affine_label([[1, 1]], [-2], C, method=m) == 0
        assert affine_label([[1, 0], [0, 1]], [0, 0], C, method=m) == MIXED
        assert affine_label([[0, 0], [0, 0]], [0, 0], C, method=m) == 0


def test_labels_reach_plot_summary_and_fixture():
    from exactgeom.io.fixtures import fixture_dict
    from exactgeom.io.report import summarise, summary_text
    from exactgeom.plot import plot_partition

    net = ReLUNetwork([[[1, 0]], [[1]]], [[0], ["-1/2"]])
    P = relu_network(net, None, [(-1, 1), (-1, 1)])
    fig = plot_partition(P, color="label")
    assert fig.axes
    txt = summary_text(summarise(P))
    rows = txt.split("All cells")[1].splitlines()[2:4]
    assert rows[0].split()[3] == "0" and rows[1].split()[3] == "mixed"
    d = fixture_dict(P, sections="cells")
    assert [c["label"] for c in d["cells"]] == [0, "mixed"]


def test_data_mode_fixture_keeps_model_and_data(tmp_path):
    from exactgeom.io.fixture_load import load_fixture
    from exactgeom.io.fixtures import fixture_dict, write_fixture

    net = ReLUNetwork([[[1, 0], [0, 1]], [[1, 1]]], [[0, 0], ["-1/2"]])
    X = [["1/2", "1/2"], ["-1/2", 0]]
    P = relu_network(net, None, [(-1, 1), (-1, 1)], mode="data", data=X)
    d = fixture_dict(P, sections="cells")
    assert d["model"] is not None and d["model"]["mode"] == "data"
    assert d["model"]["data"] == [["1/2", "1/2"], ["-1/2", "0"]]
    path = write_fixture(P, tmp_path / "f.json", sections="cells")
    fx = load_fixture(path)
    Q = fx.model_spec.build()
    assert [c.key for c in Q.cells] == [c.key for c in P.cells]
    assert [c.polytope for c in Q.cells] == [c.polytope for c in P.cells]
