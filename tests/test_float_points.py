"""Every public method that takes a point reads float coordinates only through an explicit
policy: without one it refuses with InexactInputError (whose message tells the user to
pass ``policy=``, so the method must accept it), with ``policy="exact"`` it answers as for
the exact binary values given as Fractions, and with ``limit_denominator(q)`` as for the
rounded Fractions."""

from __future__ import annotations

import inspect
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exactgeom import InexactInputError, Polytope, arrangement, relu_network

SQ = Polytope.box([(0, 1), (0, 1)])
ARR = arrangement([[1, 0], [1, -3]], [0, "1/10"], [(-1, 1), (-1, 1)])
NET = relu_network([[[1, -1], [1, 1]], [[1, 1]]], [[0, "-1/2"], [0]], [(-1, 1), (-1, 1)])

#: (name, call(point, **policy)) for every public method taking one point
CALLS = [
    ("Polytope.contains", lambda x, **kw: SQ.contains(x, **kw)),
    ("Polytope.contains strict", lambda x, **kw: SQ.contains(x, strict=True, **kw)),
    ("Polytope.side", lambda x, **kw: SQ.side(0, x, **kw)),
    ("Polytope.translate", lambda x, **kw: SQ.translate(x, **kw)),
    ("Partition.locate", lambda x, **kw: tuple(c.index for c in ARR.locate(x, **kw))),
    ("Partition.key_at", lambda x, **kw: ARR.key_at(x, **kw)),
    ("ReLUNetwork.forward", lambda x, **kw: NET.model.forward(x, **kw)),
    ("ReLUNetwork.pattern", lambda x, **kw: NET.model.pattern(x, **kw)),
    ("ReLUNetwork.cell_pattern", lambda x, **kw: NET.model.cell_pattern(x, **kw)),
]

floats = st.floats(-1.5, 1.5, allow_nan=False, allow_infinity=False)


@pytest.mark.parametrize("name,call", CALLS, ids=[c[0] for c in CALLS])
@given(x=st.tuples(floats, floats))
def test_float_points_need_a_policy_and_follow_it(name, call, x):
    with pytest.raises(InexactInputError, match="policy"):
        call(list(x))
    exact = [Fraction(v) for v in x]
    assert call(list(x), policy="exact") == call(exact)
    rounded = [Fraction(v).limit_denominator(7) for v in x]
    assert call(list(x), policy="limit_denominator(7)") == call(rounded)


@pytest.mark.parametrize("name,call", CALLS, ids=[c[0] for c in CALLS])
def test_a_float_just_off_a_boundary_is_decided_by_its_exact_value(name, call):
    """1 + 2^-52 lies outside the unit square and on the far side of x = 1; its
    nearest small fraction 1 lies on the boundary — the policy decides, visibly."""
    just_out = 1.0000000000000002
    assert call([just_out, 0.5], policy="exact") == call([1 + Fraction(1, 2**52), Fraction(1, 2)])
    assert call([just_out, 0.5], policy="limit_denominator(1000)") == call([1, Fraction(1, 2)])


def test_the_methods_that_suggest_a_policy_accept_one():
    """Guard against a new point-taking method that refuses floats with a message that
    recommends ``policy=`` but has no such parameter."""
    for f in (SQ.contains, SQ.side, SQ.translate, ARR.locate, ARR.key_at, NET.model.forward, NET.model.pattern,
              NET.model.cell_pattern, NET.model.cell_patterns):
        assert "policy" in inspect.signature(f).parameters, f.__qualname__
