"""The batched exact outputs of the data summary (exactgeom.io.report_data._outputs, flint
products layer by layer) and ReLUNetwork.output_affine (flint products of the masked
layers) against the point-by-point Fraction forward pass, plain and leaky."""

from __future__ import annotations

import itertools
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from exactgeom.io.report_data import _outputs, predicted_classes
from exactgeom.partitions.relu import ReLUNetwork

F = Fraction
q = st.fractions(min_value=-2, max_value=2, max_denominator=9)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 4), st.lists(st.integers(1, 4), min_size=0, max_size=2), st.integers(1, 3), st.booleans(), st.data())
def test_batched_outputs_and_output_affine_equal_the_forward_pass(n, hidden, n_out, leaky, data):
    sizes = [n, *hidden, n_out]
    W = [[[data.draw(q) for _ in range(a)] for _ in range(b)] for a, b in itertools.pairwise(sizes)]
    b = [[data.draw(q) for _ in range(k)] for k in sizes[1:]]
    slopes = [data.draw(st.fractions(0, 1, max_denominator=5)) for _ in hidden] if leaky else None
    net = ReLUNetwork(W, b, negative_slopes=slopes)
    X = [[data.draw(q) for _ in range(n)] for _ in range(data.draw(st.integers(1, 5)))]
    assert list(_outputs(net, X)) == [net.forward(x) for x in X]
    assert len(predicted_classes(net, X)) == len(X)
    for x in X:  # the affine map of the cell at x, evaluated at x, is the output there
        J, c = net.output_affine(net.pattern(x))
        assert tuple(sum((a * v for a, v in zip(row, x)), F(0)) + ci for row, ci in zip(J, c)) == net.forward(x)
