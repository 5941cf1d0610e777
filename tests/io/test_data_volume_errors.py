"""Volume-based options on a high-dimensional data partition raise LimitExceededError at
once, naming the vertex estimate and the data alternative (invalid-input rows), while
the volume-free ones work (mirror rows).

The partition: a random 24-8-3 ReLU network with rational weights, data mode on
``[0, 1]^24``; its H-first cells have ~55 facets, so McMullen's bound on their vertex
count (~10^10) is far above ``MAX_VERTEX_ESTIMATE``.
"""

from __future__ import annotations

import random
import time
from fractions import Fraction

import pytest

from exactgeom import RiemannianComplex, relu_network
from exactgeom.errors import LimitExceededError
from exactgeom.io.fixtures import fixture_dict, partition_vertex_free
from exactgeom.io.report import summarise
from exactgeom.io.report_data import summarise_data
from exactgeom.polytope.polytope import MAX_VERTEX_ESTIMATE

N = 24


@pytest.fixture(scope="module")
def part():
    rnd = random.Random(1)
    W1 = [[Fraction(rnd.randint(-9, 9), 10) for _ in range(N)] for _ in range(8)]
    W2 = [[Fraction(rnd.randint(-9, 9), 10) for _ in range(8)] for _ in range(3)]
    data = [[Fraction(rnd.randint(0, 16), 16) for _ in range(N)] for _ in range(6)]
    P = relu_network([W1, W2], [[Fraction(1, 10)] * 8, [0, 0, 0]], [(0, 1)] * N, mode="data", data=data)
    assert partition_vertex_free(P)
    assert all(c.polytope.vertex_estimate() > MAX_VERTEX_ESTIMATE for c in P.cells)
    return P, data


C0 = lambda P, X: P.cells[0].polytope  # noqa: E731

VOLUME_ROWS = [
    ("cell volume", lambda P, X: C0(P, X).volume()),
    ("cell centroid", lambda P, X: C0(P, X).centroid()),
    ("cell vertices", lambda P, X: C0(P, X).vertices),
    ("facet volume", lambda P, X: C0(P, X).facet_volume(0)),
    ("domain volume", lambda P, X: P.domain.volume()),
    ("check(volumes=True)", lambda P, X: P.check(volumes=True)),
    ("complex measure='volume'", lambda P, X: RiemannianComplex.from_partition(P).measure(0)),
    ("complex measure='mixed'", lambda P, X: RiemannianComplex.from_partition(P, measure="mixed", data=X).measure(0)),
    ("complex volume Laplacian", lambda P, X: RiemannianComplex.from_partition(P, max_dim=1).hodge_laplacian(0)),
    ("shared-face volume", lambda P, X: P.adjacency()[0].volume()),
    ("volume summary", lambda P, X: summarise(P)),
    ("fixture complex section", lambda P, X: fixture_dict(P, sections="complex")),
]


@pytest.mark.parametrize("what,call", VOLUME_ROWS, ids=[r[0] for r in VOLUME_ROWS])
def test_volume_options_raise_naming_the_estimate_and_the_data_measure(part, what, call):
    P, X = part
    t0 = time.perf_counter()
    with pytest.raises(LimitExceededError) as e:
        call(P, X)
    msg = str(e.value)
    assert "measure='data'" in msg or "measure=\"data\"" in msg, msg
    assert "vertices" in msg and str(MAX_VERTEX_ESTIMATE) in msg, msg
    assert time.perf_counter() - t0 < 60  # refused up front, not after hours


MIRROR_ROWS = [
    ("check()", lambda P, X: P.check().ok),
    ("data graph", lambda P, X: len(P.adjacency()) >= 0),
    ("data-measure spectrum", lambda P, X: RiemannianComplex.from_partition(
        P, measure="data", data=X, data_rule="mean", max_dim=1).spectrum(0, digits=6).kernel_dim >= 1),
    ("data summary", lambda P, X: summarise_data(P, data=X).n_cells == P.n_cells),
    ("data summary without spectrum", lambda P, X: (lambda s: s.spectrum is None and s.ricci is not None)(
        summarise_data(P, data=X, spectrum=False))),
    ("vertex-free fixture", lambda P, X: fixture_dict(P)["sections"] == ["cells", "faces"]),
]


@pytest.mark.parametrize("what,call", MIRROR_ROWS, ids=[r[0] for r in MIRROR_ROWS])
def test_volume_free_options_work(part, what, call):
    P, X = part
    assert call(P, X)
