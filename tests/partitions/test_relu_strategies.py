"""The public hypothesis strategies for ReLU networks produce what they promise."""

from __future__ import annotations

import pickle
from fractions import Fraction

from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st

from exactgeom.partitions.partition import as_domain
from exactgeom.partitions.relu import ReLUNetwork
from exactgeom.polytope.polytope import Polytope
from exactgeom.strategies.relu import data_points, relu_networks


@given(relu_networks(n_in=st.integers(1, 3), max_width=4, max_depth=3))
def test_networks_are_well_formed(net):
    assert isinstance(net, ReLUNetwork)
    sizes = net.layer_sizes
    assert 1 <= sizes[0] <= 3 and sizes[-1] == 1 and 2 <= len(sizes) - 1 <= 4
    assert all(1 <= w <= 4 for w in net.hidden_sizes)
    assert all(isinstance(v, Fraction) for W in net.weights for r in W for v in r)
    clone = pickle.loads(pickle.dumps(net))
    assert clone == net and hash(clone) == hash(net)


def _has_zero_row(net):
    return any(all(v == 0 for v in r) for W in net.weights[:-1] for r in W)


def _has_duplicate(net):
    for W, b in zip(net.weights[:-1], net.biases[:-1]):
        rows = [tuple(r) + (c,) for r, c in zip(W, b)]
        norm = set()
        for r in rows:
            nz = next((v for v in r if v != 0), None)
            if nz is None:
                continue
            key = tuple(v / abs(nz) for v in r)
            if key in norm:
                return True
            norm.add(key)
    return False


def _has_corner_plane(net):
    W, b = net.weights[0], net.biases[0]
    from itertools import product

    corners = list(product([-1, 1], repeat=net.n_in))
    return any(any(v != 0 for v in r) and any(sum(w * x for w, x in zip(r, c)) + bb == 0 for c in corners)
               for r, bb in zip(W, b))


def test_degenerate_cases_are_generated():
    s = relu_networks(n_in=2, min_width=6, max_width=6, max_depth=1)
    for pred in (_has_zero_row, _has_duplicate, _has_corner_plane):
        assert pred(find(s, pred, settings=settings(max_examples=50, database=None, phases=[Phase.generate])))


@given(st.data())
def test_data_points_lie_in_the_domain(data):
    D = data.draw(st.sampled_from([[(-1, 1), (0, 2)], Polytope.from_vrep([[0, 0], [3, 0], [0, 2]])]))
    P = as_domain(D)
    pts = data.draw(data_points(D, min_size=3, max_size=10))
    assert 3 <= len(pts) <= 10
    assert all(P.contains(x) for x in pts)
