"""Invalid input to the ReLU partition entry points: one table of calls that must raise."""

from __future__ import annotations

from fractions import Fraction

import pytest

from exactgeom.errors import DegenerateError, InexactInputError, InvalidInputError
from exactgeom.partitions.relu import ReLUNetwork, relu_network
from exactgeom.polytope.polytope import Polytope

F = Fraction
W_OK = [[[1, 0], [0, 1]], [[1, 1]]]
B_OK = [[0, 0], [0]]
NET = ReLUNetwork(W_OK, B_OK)
SQ = [(-1, 1), (-1, 1)]

CASES = [
    # (name, callable, error type, fragment of the message)
    ("weights not a list", lambda: ReLUNetwork(3, B_OK), InvalidInputError, "list of matrices"),
    ("no layers", lambda: ReLUNetwork([], []), InvalidInputError, "at least its output layer"),
    ("bias count", lambda: ReLUNetwork(W_OK, [[0, 0]]), InvalidInputError, "2 weight matrices but 1 bias"),
    ("ragged matrix", lambda: ReLUNetwork([[[1, 0], [1]], [[1, 1]]], B_OK), InvalidInputError, "ragged"),
    ("mismatched layer sizes", lambda: ReLUNetwork([[[1, 0], [0, 1]], [[1, 1, 1]]], B_OK), InvalidInputError,
     "weights[1] has 3 columns, expected 2"),
    ("wrong bias length", lambda: ReLUNetwork(W_OK, [[0], [0]]), InvalidInputError, "biases[0] has length 1, expected 2"),
    ("empty layer", lambda: ReLUNetwork([[], [[1]]], [[], [0]]), InvalidInputError, "weights[0] is empty"),
    ("NaN weight", lambda: ReLUNetwork([[[float("nan"), 0], [0, 1]], [[1, 1]]], B_OK, policy="exact"),
     InvalidInputError, "nan"),
    ("inf bias", lambda: ReLUNetwork(W_OK, [[float("inf"), 0], [0]], policy="exact"), InvalidInputError, "inf"),
    ("float without policy", lambda: ReLUNetwork([[[0.5, 0], [0, 1]], [[1, 1]]], B_OK), InexactInputError,
     "float policy"),
    ("not a number", lambda: ReLUNetwork([[["x", 0], [0, 1]], [[1, 1]]], B_OK), InvalidInputError, "'x'"),
    ("domain dimension", lambda: relu_network(W_OK, B_OK, [(-1, 1)]), InvalidInputError, "R^1 but the network takes 2"),
    ("empty domain", lambda: relu_network(W_OK, B_OK, [(1, 0), (0, 1)]), InvalidInputError, "lo = 1 > hi = 0"),
    ("flat domain", lambda: relu_network(W_OK, B_OK, [(0, 0), (0, 1)]), DegenerateError, "full-dimensional"),
    ("empty polytope domain", lambda: relu_network(W_OK, B_OK, Polytope.empty(2)), DegenerateError, "empty"),
    ("domain not a box", lambda: relu_network(W_OK, B_OK, 5), InvalidInputError, "domain must be"),
    ("missing biases", lambda: relu_network(W_OK, None, SQ), InvalidInputError, "biases are missing"),
    ("net plus biases", lambda: relu_network(NET, B_OK, SQ), InvalidInputError, "biases=None"),
    ("unknown mode", lambda: relu_network(NET, None, SQ, mode="all"), InvalidInputError, "unknown mode"),
    ("data mode without data", lambda: relu_network(NET, None, SQ, mode="data"), InvalidInputError, "needs data"),
    ("data in full mode", lambda: relu_network(NET, None, SQ, data=[[0, 0]]), InvalidInputError, "only used"),
    ("empty data", lambda: relu_network(NET, None, SQ, mode="data", data=[]), InvalidInputError, "data is empty"),
    ("data outside domain", lambda: relu_network(NET, None, SQ, mode="data", data=[[0, 0], [2, F(1, 2)]]),
     InvalidInputError, "data point 1 = (2, 1/2) lies outside the domain"),
    ("data outside domain, 5001 digits", lambda: relu_network(NET, None, SQ, mode="data", data=[[10**5000, 0]]),
     InvalidInputError, "data point 0 = (1000000000...0000000000 (5001 digits), 0) lies outside the domain"),
    ("data wrong width", lambda: relu_network(NET, None, SQ, mode="data", data=[[0, 0, 0]]), InvalidInputError,
     "3 coordinates"),
    ("float data", lambda: relu_network(NET, None, SQ, mode="data", data=[[0.5, 0]]), InexactInputError, "float"),
    ("bad progress", lambda: relu_network(NET, None, SQ, progress="yes"), InvalidInputError, "progress"),
    ("bad executor", lambda: relu_network(NET, None, SQ, executor=3), InvalidInputError, "Executor"),
    ("pattern shape", lambda: NET.affine_maps(((1, 0, 1),)), InvalidInputError, "layer widths [3]"),
    ("pattern entries", lambda: NET.output_affine(((2, 0),)), InvalidInputError, "0 or 1"),
    ("pattern type", lambda: NET.cell_hrep(5), InvalidInputError, "tuple of 0/1 tuples"),
    ("point length", lambda: NET.forward([1, 2, 3]), InvalidInputError, "length 3, expected 2"),
    ("float point", lambda: NET.pattern([0.5, 0]), InexactInputError, "float"),
    ("cell_hrep domain dim", lambda: NET.cell_hrep(((1, 1),), [(0, 1)]), InvalidInputError, "R^1"),
    ("label of a missing cell index", lambda: relu_network(NET, None, SQ).label(99), InvalidInputError,
     "cell must be a Cell or an index 0..3"),
    ("output_affine of a key", lambda: relu_network(NET, None, SQ).output_affine(((1, 1),)), InvalidInputError,
     "partition.cell(key)"),
    ("cell of a 5001-digit key", lambda: relu_network(NET, None, SQ).cell(10**5000), InvalidInputError,
     "no cell has key 1000000000...0000000000 (5001 digits)"),
    ("facet index of 5001 digits", lambda: Polytope.box(SQ).facet_volume(10**5000), InvalidInputError,
     "facet index 1000000000...0000000000 (5001 digits) out of range"),
    ("toward length", lambda: NET.cell_pattern([0, 0], toward=[1]), InvalidInputError, "toward"),
    ("neighbours of a missing cell index", lambda: relu_network(NET, None, SQ).neighbours(99), InvalidInputError,
     "cell must be a Cell or an index 0..3"),
    ("neighbours of a float index", lambda: relu_network(NET, None, SQ).neighbours(0.0), InvalidInputError,
     "cell must be a Cell or an index"),
]


@pytest.mark.parametrize("name,call,err,fragment", CASES, ids=[c[0] for c in CASES])
def test_invalid_input(name, call, err, fragment):
    with pytest.raises(err) as info:
        call()
    assert fragment in str(info.value), str(info.value)


def test_float_policy_accepted_and_recorded():
    P = relu_network([[[0.5, 0], [0, 1]], [[1, 1]]], B_OK, SQ, policy="limit_denominator(10)")
    assert P.provenance["policy"] == "limit_denominator(10)"
    assert P.model.weights[0][0][0] == F(1, 2)
    net = ReLUNetwork([[[0.1, 0], [0, 1]], [[1, 1]]], B_OK, policy="exact")
    assert net.policy == "exact" and relu_network(net, None, SQ).provenance["policy"] == "exact"
