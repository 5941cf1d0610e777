"""Table of invalid calls into the polytope layer: each raises the documented error with
a message that names the problem (a key phrase is asserted for every row), and the
degenerate-but-valid counterparts return values."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from exactgeom import (
    DegenerateError,
    ExactGeomError,
    InexactInputError,
    InvalidInputError,
    LimitExceededError,
    Polytope,
)
from exactgeom.examples import cube
from exactgeom.polytope.chebyshev import chebyshev_ball
from exactgeom.polytope.lp import solve_lp
from exactgeom.polytope.volume import lasserre_volume, lawrence_volume

HALF_PLANE = Polytope.from_hrep([[1, 0]], [0])
TRI = Polytope.from_vrep([[0, 0], [1, 0], [0, 1]])
SEGMENT = Polytope.from_vrep([[0, 0], [1, 1]])
EMPTY = Polytope.empty(2)
CUBE = cube(3)

# (id, call, error type, key phrase of the message)
CASES = [
    # ---- shapes and rows
    ("ragged rows", lambda: Polytope.from_hrep([[1, 0], [1]], [1, 1]), InvalidInputError, "ragged"),
    ("A is 1-D", lambda: Polytope.from_hrep([1, 0], [1]), InvalidInputError, "must be 2-D"),
    ("A is 3-D", lambda: Polytope.from_hrep([[[1]]], [1]), InvalidInputError, "must be 1-D"),
    ("b length mismatch", lambda: Polytope.from_hrep([[1, 0]], [1, 2]), InvalidInputError, "one right-hand side per row"),
    ("b is 2-D", lambda: Polytope.from_hrep([[1, 0]], [[1]]), InvalidInputError, "must be 1-D"),
    ("zero rows", lambda: Polytope.from_hrep([], []), InvalidInputError, "pass ambient_dim"),
    ("zero columns", lambda: Polytope.from_hrep([[]], [1]), InvalidInputError, "at least 1"),
    ("eq not a pair", lambda: Polytope.from_hrep([[1, 0]], [1], eq=([[1, 0]],)), InvalidInputError, "pair (E, f)"),
    ("f length mismatch", lambda: Polytope.from_hrep([[1, 0]], [1], eq=([[1, 0]], [1, 2])), InvalidInputError, "f has length 2"),
    ("E width mismatch", lambda: Polytope.from_hrep([[1, 0]], [1], eq=([[1, 0, 0]], [1])), InvalidInputError, "dimension mismatch"),
    ("ambient_dim 0", lambda: Polytope.from_hrep([], [], ambient_dim=0), InvalidInputError, "positive int"),
    ("ambient_dim mismatch", lambda: Polytope.from_hrep([[1, 0]], [1], ambient_dim=3), InvalidInputError, "dimension mismatch"),
    ("no points", lambda: Polytope.from_vrep([]), InvalidInputError, "Polytope.empty"),
    ("ragged points", lambda: Polytope.from_vrep([[1, 2], [3]]), InvalidInputError, "ragged"),
    ("points without coordinates", lambda: Polytope.from_vrep([[]]), InvalidInputError, "at least one coordinate"),
    ("rays of another dimension", lambda: Polytope.from_vrep([[0, 0]], rays=[[1, 0, 0]]), InvalidInputError, "rays have 3"),
    ("empty box", lambda: Polytope.box([]), InvalidInputError, "at least one (lo, hi)"),
    ("box lo > hi", lambda: Polytope.box([(1, 0)]), InvalidInputError, "lo = 1 > hi = 0"),
    ("box bound not a pair", lambda: Polytope.box([(0, 1, 2)]), InvalidInputError, "must be a pair"),
    ("box of scalars", lambda: Polytope.box([1, 2]), InvalidInputError, "list of (lo, hi) pairs"),
    ("box None", lambda: Polytope.box(None), InvalidInputError, "list of (lo, hi) pairs"),
    ("box of a dict", lambda: Polytope.box({0: 1}), InvalidInputError, "list of (lo, hi) pairs"),
    # str() of a 5001-digit Fraction raises ValueError: the message abbreviates it
    ("box lo > hi, 5001 digits", lambda: Polytope.box([(10**5000, 0)]), InvalidInputError,
     "lo = 1000000000...0000000000 (5001 digits) > hi = 0"),
    ("policy typo without floats", lambda: Polytope.from_hrep([[1]], [1], policy="limit_denominator(10"),
     InvalidInputError, "unknown float policy"),
    # ---- numbers
    ("NaN entry", lambda: Polytope.from_hrep([[float("nan"), 0]], [1]), InvalidInputError, "nan"),
    ("NaN even with a policy", lambda: Polytope.from_hrep([[float("nan"), 0]], [1], policy="exact"), InvalidInputError, "only finite"),
    ("inf offset", lambda: Polytope.from_hrep([[1, 0]], [float("inf")]), InvalidInputError, "only finite"),
    ("numpy NaN offset", lambda: Polytope.from_hrep(np.array([[1, 0]]), np.array([np.nan])), InvalidInputError, "nan"),
    ("float without policy", lambda: Polytope.from_hrep([[0.5, 0]], [1]), InexactInputError, "choose a float policy"),
    ("numpy float array", lambda: Polytope.from_hrep(np.array([[0.5, 0]]), [1]), InexactInputError, "exact rational is required"),
    ("float point", lambda: Polytope.from_vrep([[0.1, 2]]), InexactInputError, "policy"),
    ("float32 points", lambda: Polytope.from_vrep(np.array([[1, 0]], dtype=np.float32)), InexactInputError, "policy"),
    ("float box bound", lambda: Polytope.box([(0, 0.5)]), InexactInputError, "policy"),
    ("non-number string", lambda: Polytope.from_hrep([["abc", 0]], [1]), InvalidInputError, "not a rational number string"),
    ("zero denominator string", lambda: Polytope.from_hrep([[1, 0]], ["1/0"]), InvalidInputError, "not a valid rational"),
    ("object entry", lambda: Polytope.from_hrep([[object(), 0]], [1]), InvalidInputError, "not a number"),
    ("float query point", lambda: TRI.contains([0.5, 0.5]), InexactInputError, "policy"),
    # ---- bounded polytope needed
    ("volume of a half-plane", lambda: HALF_PLANE.volume(), DegenerateError, "intersect it with a box"),
    ("centroid of a half-plane", lambda: HALF_PLANE.centroid(), DegenerateError, "bounded"),
    ("facet volume of a half-plane", lambda: HALF_PLANE.facet_volume(0), DegenerateError, "intersect it with a box"),
    ("f-vector of a half-plane", lambda: HALF_PLANE.f_vector(), DegenerateError, "needs a bounded polytope"),
    ("relative volume of a half-plane", lambda: HALF_PLANE.relative_volume(), DegenerateError, "bounded"),
    ("Chebyshev ball of a half-plane", lambda: HALF_PLANE.chebyshev_ball(), DegenerateError, "intersect it with a box"),
    ("is_simple of a half-plane", lambda: HALF_PLANE.is_simple(), DegenerateError, "bounded"),
    ("lasserre of a half-plane", lambda: lasserre_volume(HALF_PLANE), DegenerateError, "bounded"),
    # ---- empty / lower-dimensional where an interior is needed
    ("centroid of the empty set", lambda: EMPTY.centroid(), DegenerateError, "no centroid"),
    ("interior point of the empty set", lambda: EMPTY.relative_interior_point(), DegenerateError, "no interior point"),
    ("Chebyshev ball of the empty set", lambda: EMPTY.chebyshev_ball(norm="max"), DegenerateError, "no inscribed ball"),
    ("Chebyshev ball of a segment", lambda: chebyshev_ball(SEGMENT), DegenerateError, "full-dimensional"),
    ("lawrence of a segment", lambda: lawrence_volume(SEGMENT), DegenerateError, "full-dimensional"),
    # ---- dimension mismatch in operations
    ("intersect R^2 with R^3", lambda: TRI.intersect(CUBE), InvalidInputError, "dimension mismatch"),
    ("intersect with a list", lambda: TRI.intersect([[1]]), InvalidInputError, "only intersect with a Polytope"),
    ("restrict to a box of the wrong dimension", lambda: TRI.restrict_to_box([(0, 1)] * 3), InvalidInputError, "lives in R^2"),
    ("restrict to a box with lo > hi", lambda: TRI.restrict_to_box([(1, 0), (0, 1)]), InvalidInputError, "lo = 1 > hi = 0"),
    ("half-space of another dimension", lambda: TRI.intersect_halfspace([1, 0, 0], 1), InvalidInputError, "expected 2"),
    ("translate by a short vector", lambda: TRI.translate([1]), InvalidInputError, "expected 2"),
    ("contains a 3-D point", lambda: TRI.contains([1, 2, 3]), InvalidInputError, "expected 2"),
    # ---- indices
    ("facet index out of range", lambda: TRI.facet_volume(3), InvalidInputError, "out of range"),
    ("negative facet index", lambda: TRI.facet(-1), InvalidInputError, "out of range"),
    ("facet index not an int", lambda: TRI.facet_volume("0"), InvalidInputError, "must be an int"),
    ("side of a missing facet", lambda: TRI.side(5, [0, 0]), InvalidInputError, "out of range"),
    ("dihedral with a missing facet", lambda: TRI.dihedral_angle(0, 7), InvalidInputError, "out of range"),
    ("vertex index out of range", lambda: TRI.vertex_facets(9), InvalidInputError, "out of range"),
    ("not the vertex set of a face", lambda: cube(2).face([0, 3]), InvalidInputError, "not the vertex set of a face"),
    ("empty face", lambda: cube(2).face([]), InvalidInputError, "non-empty"),
    # ---- undefined operations
    ("dihedral of opposite facets", lambda: CUBE.dihedral_angle(0, 1), DegenerateError, "do not meet in a ridge"),
    ("dihedral of a facet with itself", lambda: CUBE.dihedral_angle(2, 2), DegenerateError, "do not meet in a ridge"),
    ("unknown volume method", lambda: TRI.volume(method="qhull"), InvalidInputError, "unknown volume method"),
    ("unknown centroid method", lambda: TRI.centroid(method="mean"), InvalidInputError, "unknown centroid method"),
    ("lawrence centroid of a segment", lambda: SEGMENT.centroid(method="lawrence"), DegenerateError, "full-dimensional"),
    ("unknown norm", lambda: TRI.chebyshev_ball(norm="l2"), InvalidInputError, "unknown norm"),
    ("direct constructor", lambda: Polytope(2, [], []), TypeError, "from_hrep"),
    # ---- H-first construction and LP-decided queries
    ("unknown engine", lambda: Polytope.from_hrep([[1, 0]], [1], engine="cdd"), InvalidInputError, "unknown engine"),
    ("facet witness of a missing facet", lambda: TRI.facet_witness(3), InvalidInputError, "out of range"),
    ("facet witness index not an int", lambda: TRI.facet_witness(1.0), InvalidInputError, "must be an int"),
    ("facets_adjacent with a missing facet", lambda: TRI.facets_adjacent(0, 5), InvalidInputError, "out of range"),
    ("facets_adjacent index not an int", lambda: TRI.facets_adjacent("0", 1), InvalidInputError, "must be an int"),
    ("compute_vertices negative limit", lambda: TRI.compute_vertices(max_vertices=-1), InvalidInputError, "non-negative int"),
    ("compute_vertices float limit", lambda: TRI.compute_vertices(max_vertices=1e6), InvalidInputError, "non-negative int"),
    ("volume beyond the vertex limit", lambda: Polytope.box([(0, 1)] * 40).volume(), LimitExceededError, "data measure"),
    ("vertices beyond a given limit", lambda: Polytope.box([(0, 1)] * 40).compute_vertices(max_vertices=1000), LimitExceededError, "McMullen"),
    # ---- the certified LP
    ("LP b length mismatch", lambda: solve_lp([1, 2], [[1, 0]], [1, 2]), InvalidInputError, "one right-hand side per row"),
    ("LP f length mismatch", lambda: solve_lp([1], [], [], [[1]], [1, 2]), InvalidInputError, "f has length 2"),
    ("LP row width mismatch", lambda: solve_lp([1, 2], [[1, 0, 0]], [1]), InvalidInputError, "one column per variable"),
    ("LP equality width mismatch", lambda: solve_lp([1, 2], [], [], [[1]], [1]), InvalidInputError, "rows of E have 1"),
    ("LP empty objective", lambda: solve_lp([], [[1]], [1]), InvalidInputError, "at least one entry"),
    ("LP float objective", lambda: solve_lp([0.5], [[1]], [1]), InexactInputError, "policy"),
    ("LP NaN right-hand side", lambda: solve_lp([1], [[1]], [float("nan")]), InvalidInputError, "nan"),
    ("LP maximize not a bool", lambda: solve_lp([1], [[1]], [1], maximize="yes"), InvalidInputError, "True or False"),
    ("LP centre of the wrong length", lambda: solve_lp([1], [[1]], [1], center=[0, 0]), InvalidInputError, "expected 1"),
]


@pytest.mark.parametrize("call, error, phrase", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_invalid_calls_raise_documented_errors(call, error, phrase):
    with pytest.raises(error) as info:
        call()
    assert phrase in str(info.value), str(info.value)
    if error is not TypeError:
        assert isinstance(info.value, ExactGeomError)


def test_error_classes_subclass_builtins():
    assert issubclass(InvalidInputError, ValueError)
    assert issubclass(InexactInputError, TypeError)
    assert issubclass(DegenerateError, ValueError)


def test_degenerate_counterparts_are_values():
    # the valid neighbours of the rows above return values, not errors
    assert EMPTY.volume() == 0 and EMPTY.relative_volume() == 0 and EMPTY.f_vector() == ()
    assert SEGMENT.volume() == 0 and SEGMENT.relative_volume().squared() == 2
    assert Polytope.from_hrep([], [], ambient_dim=2).dim == 2
    assert Polytope.from_hrep([[Fraction(1, 2), 0]], [1], policy="exact").n_facets == 1
    assert Polytope.from_hrep([[0.5, 0]], [1], policy="exact") == Polytope.from_hrep([["1/2", 0]], [1])
    assert Polytope.from_hrep(np.array([[1, 0], [-1, 0]]), np.array([1, 0]), ambient_dim=2).dim == 2
    assert Polytope.box([(0, 0), (0, 1)]).dim == 1  # a flat box is a segment
    assert TRI.intersect(Polytope.box([(5, 6), (5, 6)])).is_empty
    assert TRI.contains(["1/3", "1/3"], strict=True) and not TRI.contains([1, 1])
    assert HALF_PLANE.contains([-1, 5]) and HALF_PLANE.n_facets == 1
