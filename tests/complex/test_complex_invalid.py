"""Invalid inputs to every public entry point of the complex package: each row must raise
the named error (and a mirror of valid calls must succeed)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from exactgeom import Partition, arrangement
from exactgeom.analysis import decision_topology
from exactgeom.complex import ExactMatrix, RiemannianComplex
from exactgeom.complex.field import FieldTooLargeError, MultiquadraticField
from exactgeom.errors import (
    DegenerateError,
    InexactInputError,
    InvalidInputError,
    UnsupportedModelError,
)
from exactgeom.linalg import certified, symmetric
from exactgeom.numbers import Surd

F = Fraction
P = arrangement([[1, 0]], [0], [(-1, 1), (0, 1)])
K = RiemannianComplex.from_partition(P)
X = arrangement([[1, 0], [0, 1]], [0, 0], [(-1, 1), (-1, 1)])
STAR = arrangement([[1, 0], [0, 1], [1, 1], [1, -1], [1, 2]], [0] * 5, [(-1, 1), (-1, 1)])  # 10 cells at 0
RELU1 = __import__("exactgeom.partitions.relu", fromlist=["x"]).relu_network([[[1, 0]], [[1]]], [[0], ["-1/2"]], [(-1, 1), (-1, 1)])
RELU_DATA = __import__("exactgeom.partitions.relu", fromlist=["x"]).relu_network(
    [[[1, 0]], [[1]]], [[0], ["-1/2"]], [(-1, 1), (-1, 1)], mode="data", data=[["1/2", 0], ["-1/2", 0]])
TREE = __import__("exactgeom.partitions.tree", fromlist=["x"]).decision_tree(
    {"feature": 0, "threshold": 0, "left": {"leaf": "a", "class": 0},
     "right": {"feature": 1, "threshold": 0, "left": {"leaf": "b", "class": 1}, "right": {"leaf": "c", "class": 0}}}, [(-1, 1), (-1, 1)])
class _OneClass:
    """Every cell of two crossing lines in class 0: four pieces through one point."""

    def key(self, x):
        return None

    def label(self, key):
        return 0

    def output_affine(self, key):
        return None


_X = arrangement([[1, 0], [0, 1]], [0, 0], [(-1, 1), (-1, 1)])
CROSS = Partition(_X.domain, [(c.key, c.polytope) for c in _X.cells], family="one class", model=_OneClass())
NO_MODEL = Partition(P.domain, [(c.key, c.polytope) for c in P.cells], family="bare")
mk = RiemannianComplex.from_partition

INVALID = [
    # factory
    ("not a partition", lambda: mk([[0, 1]]), InvalidInputError),
    ("the internal constructor called as a factory", lambda: RiemannianComplex(P), InvalidInputError),
    ("unknown convention", lambda: mk(P, convention="star"), InvalidInputError),
    ("unknown measure", lambda: mk(P, measure="mass"), InvalidInputError),
    ("unknown metric", lambda: mk(P, metric="euclid"), InvalidInputError),
    ("unknown data rule", lambda: mk(P, measure="data", data=[[0, 0]], data_rule="far"), InvalidInputError),
    ("negative max_dim", lambda: mk(P, max_dim=-1), InvalidInputError),
    ("bool max_dim", lambda: mk(P, max_dim=True), InvalidInputError),
    ("progress not a bool", lambda: mk(P, progress="yes"), InvalidInputError),
    ("unknown lowdim_measure", lambda: mk(X, convention="nerve", lowdim_measure="half"), InvalidInputError),
    ("Δ_1 with zero-measure point contacts", lambda: mk(X, convention="nerve", lowdim_measure="zero").hodge_laplacian(1),
     DegenerateError),
    ("nerve above max_simplices", lambda: mk(STAR, convention="nerve", max_simplices=1000), DegenerateError),
    ("data measure without data", lambda: mk(P, measure="data"), InvalidInputError),
    ("mixed measure without data", lambda: mk(P, measure="mixed"), InvalidInputError),
    ("data outside the domain", lambda: mk(P, data=[[2, 0]]), InvalidInputError),
    ("data of the wrong dimension", lambda: mk(P, data=[[0, 0, 0]]), InvalidInputError),
    ("float data without policy", lambda: mk(P, data=[[0.5, 0.5]]), InexactInputError),
    ("negative data weight", lambda: mk(P, data=[[0, 0]], data_weights=[-1]), InvalidInputError),
    ("data weights of the wrong length", lambda: mk(P, data=[[0, 0]], data_weights=[1, 2]), InvalidInputError),
    ("data weights without data", lambda: mk(P, data_weights=[1]), InvalidInputError),
    # structure
    ("negative p", lambda: K.simplices(-1), InvalidInputError),
    ("non-integer p", lambda: K.boundary("1"), InvalidInputError),
    ("not a simplex", lambda: K.intersection((0, 5)), InvalidInputError),
    # Laplacians
    ("unknown form", lambda: K.hodge_laplacian(0, form="dual"), InvalidInputError),
    ("unknown form (symmetric)", lambda: K.symmetric_laplacian(0, form="dual"), InvalidInputError),
    ("unknown flux", lambda: K.extended_laplacian(flux="mpfa"), InvalidInputError),
    ("zero vertex measure inverted", lambda: mk(P, measure="data", data=[["1/2", "1/2"]]).hodge_laplacian(0), DegenerateError),
    ("zero edge measure inverted (chain form)",
     lambda: mk(P, measure="data", data=[["-9/10", "1/2"], ["9/10", "1/2"]]).hodge_laplacian(0, form="chain"),
     DegenerateError),
    ("singular angle metric inverted", lambda: mk(X, convention="nerve", metric="angle").hodge_laplacian(1), DegenerateError),
    ("float view of a zero measure", lambda: mk(P, measure="data", data=[["1/2", "1/2"]]).hodge_laplacian_float(0), DegenerateError),
    # splines
    ("wrong y length", lambda: K.spline([1, 2, 3], 1), InvalidInputError),
    ("float y without policy", lambda: K.spline([0.5, 1], 1), InexactInputError),
    ("negative lambda", lambda: K.spline([1, 2], -1), InvalidInputError),
    ("zero digits (exact route)", lambda: K.spline([1, 2], 1, digits=0), InvalidInputError),
    ("bool digits", lambda: K.spline([1, 2], 1, digits=True), InvalidInputError),
    ("negative weights", lambda: K.spline([1, 2], 1, [1, -1]), InvalidInputError),
    ("weights of the wrong length", lambda: K.spline([1, 2], 1, [1]), InvalidInputError),
    ("unknown positions", lambda: K.spline([1, 2], 1, positions="median"), InvalidInputError),
    ("data means without data", lambda: K.spline([1, 2], 1, positions="data_mean"), InvalidInputError),
    ("unknown spline method", lambda: K.spline([1, 2], 1, method="fast"), InvalidInputError),
    ("unknown edge weights", lambda: K.spline([1, 2], 1, edge_weights="cotan"), InvalidInputError),
    ("singular spline system", lambda: K.spline([1, 2], 0, [1, 0]), DegenerateError),
    ("predict at a point of the wrong dimension", lambda: K.spline([1, 2], 1).predict([0]), InvalidInputError),
    ("predict at many points of the wrong dimension", lambda: K.spline([1, 2], 1).predict([[0, 0], [0]]), InvalidInputError),
    ("predict at a float point without policy", lambda: K.spline([1, 2], 1).predict([0.5, 0.5]), InexactInputError),
    ("unknown spline method", lambda: K.spline([1, 2], 1, method="fast"), InvalidInputError),
    ("constrained fit of a float-route fit", lambda: __import__("exactgeom.complex.spline", fromlist=["x"]).constrained_spline_float(
        K.spline([1, 2], 1, method="float"), K.boundary(1), K.inner_product(1), K.positions(), K.simplices(1), lower=0),
     InvalidInputError),
    ("float spline of the wrong y length", lambda: K.spline_float([1.0], 1.0), InvalidInputError),
    ("spectrum with an unknown blocks option", lambda: K.spectrum(0, blocks="components"), InvalidInputError),
    ("extended spectrum with an unknown blocks option", lambda: K.extended_spectrum(blocks=1.5), InvalidInputError),
    ("float spectrum with k = 0", lambda: K.spectrum_float(0, k=0), InvalidInputError),
    ("float spectrum with a float k", lambda: K.spectrum_float(0, k=1.5), InvalidInputError),
    ("symmetric flag not a bool", lambda: K.hodge_laplacian_float(0, symmetric="yes"), InvalidInputError),
    # decision topology
    ("topology of a non-partition", lambda: decision_topology("P"), InvalidInputError),
    ("topology without labels or outputs", lambda: decision_topology(NO_MODEL), UnsupportedModelError),
    ("topology max_dim above n - 1", lambda: decision_topology(RELU1, max_dim=2), InvalidInputError),
    ("topology negative max_dim", lambda: decision_topology(RELU1, max_dim=-1), InvalidInputError),
    ("topology bool max_dim", lambda: decision_topology(RELU1, max_dim=True), InvalidInputError),
    ("topology zero max_simplices", lambda: decision_topology(RELU1, max_simplices=0), InvalidInputError),
    ("topology unknown method", lambda: decision_topology(RELU1, method="morse"), InvalidInputError),
    ("topology unknown scope", lambda: decision_topology(RELU1, scope="all"), InvalidInputError),
    ("topology bad progress", lambda: decision_topology(RELU1, progress="yes"), InvalidInputError),
    ("topology of a data-mode partition without scope", lambda: decision_topology(RELU_DATA), InvalidInputError),
    ("topology cells method on T-junctions", lambda: decision_topology(TREE, method="cells"), DegenerateError),
    ("topology nerve over the cap", lambda: decision_topology(CROSS, method="nerve", max_simplices=5), DegenerateError),
    # exact matrices and certified linear algebra
    ("entry outside the matrix", lambda: ExactMatrix.from_dict((1, 1), {(1, 0): 1}), InvalidInputError),
    ("float entry", lambda: ExactMatrix.from_dict((1, 1), {(0, 0): 0.5}), InvalidInputError),
    ("non-square exact solve", lambda: ExactMatrix.from_rows([[1, 2]]).solve([1]), InvalidInputError),
    ("singular exact solve", lambda: ExactMatrix.from_rows([[1, 1], [1, 1]]).solve([1, 2]), DegenerateError),
    ("fmpz view of a rational matrix", lambda: ExactMatrix.from_rows([[F(1, 2)]]).to_fmpz_mat(), DegenerateError),
    ("fmpq view of a surd matrix", lambda: ExactMatrix.from_rows([[Surd(1, 2)]]).to_fmpq_mat(), DegenerateError),
    ("zero digits", lambda: symmetric.symmetric_eigenvalues([[1]], digits=0), InvalidInputError),
    ("zero polynomial", lambda: certified.charpoly_eigenvalues([0, 0]), InvalidInputError),
    ("non-real roots", lambda: certified.charpoly_eigenvalues([1, 0, 1]), DegenerateError),
    ("non-square certified solve", lambda: certified.solve([[1, 2]], [1]), InvalidInputError),
    ("non-square symmetric eigenvalues", lambda: symmetric.symmetric_eigenvalues([[1, 2]]), InvalidInputError),
    ("bad refinement bound", lambda: certified.refine_solve(lambda x: x, lambda r: r, [1], F(0)), InvalidInputError),
    ("unenclosable value", lambda: certified.ball(0.5), InvalidInputError),
    ("max_simplices 0", lambda: RiemannianComplex.from_partition(P, max_simplices=0), InvalidInputError),
    ("max_simplices negative", lambda: RiemannianComplex.from_partition(P, max_simplices=-1), InvalidInputError),
    ("max_simplices float", lambda: RiemannianComplex.from_partition(P, max_simplices=1.5), InvalidInputError),
    ("max_simplices bool", lambda: RiemannianComplex.from_partition(P, convention="nerve", max_simplices=True),
     InvalidInputError),
    ("too many radicands", lambda: MultiquadraticField.of([Surd(1, p) for p in (2, 3, 5, 7, 11)]), FieldTooLargeError),
]


@pytest.mark.parametrize("name,call,err", INVALID, ids=[r[0] for r in INVALID])
def test_invalid_inputs_raise(name, call, err):
    with pytest.raises(err):
        call()


VALID = [
    ("max_dim 0", lambda: mk(P, max_dim=0)),
    ("Δ_0 with zero-measure point contacts", lambda: mk(X, convention="nerve", lowdim_measure="zero").hodge_laplacian(0)),
    ("skipped point contacts, Δ_1", lambda: mk(X, convention="nerve", lowdim_measure="skip").hodge_laplacian(1)),
    ("capped nerve with max_dim", lambda: mk(STAR, convention="nerve", max_dim=2, max_simplices=1000)),
    ("data with weights", lambda: mk(P, data=[[0, 0]], data_weights=["1/2"])),
    ("float data with a policy", lambda: mk(P, data=[[0.5, 0.5]], policy="exact")),
    ("float y with a policy", lambda: K.spline([0.5, 1], 1, policy="exact")),
    ("float route takes floats", lambda: K.spline([0.5, 1], 1.5, method="float")),
    ("predict at float points with a policy", lambda: K.spline([1, 2], 1).predict([[0.5, 0.5]], policy="exact")),
    ("angle Δ_0 with a singular metric", lambda: mk(X, convention="nerve", metric="angle").hodge_laplacian(0)),
    ("positive-weight component", lambda: K.spline([1, 2], 1, [1, 0])),
    ("four radicands", lambda: MultiquadraticField.of([Surd(1, p) for p in (2, 3, 5, 7)])),
]


@pytest.mark.parametrize("name,call", VALID, ids=[r[0] for r in VALID])
def test_valid_mirror_calls_succeed(name, call):
    call()


def test_messages_abbreviate_numbers_beyond_the_digit_limit():
    """str() of a 5001-digit Fraction raises ValueError; these messages abbreviate it."""
    big = 10**5000
    with pytest.raises(InvalidInputError, match=r"lam must be >= 0, got -1000000000\.\.\.0000000000 \(5001 digits\)"):
        K.spline([1, 1], -big)
    with pytest.raises(InvalidInputError, match=r"data point 0 = \(1000000000\.\.\.0000000000 \(5001 digits\), 0\) lies outside"):
        RiemannianComplex.from_partition(P, measure="data", data=[[big, 0]])
