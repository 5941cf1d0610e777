"""Shared helpers for the partition tests (exact interior points, face checks)."""

from __future__ import annotations

import random
from fractions import Fraction

from exactgeom import Partition


def interior_points(P, rng: random.Random, k: int = 3):
    """The centroid and ``k`` random strictly positive convex combinations of the
    vertices of a full-dimensional polytope: points of its interior."""
    V = P.vertices
    out = [P.centroid()]
    for _ in range(k):
        w = [Fraction(rng.randint(1, 9)) for _ in V]
        s = sum(w)
        out.append(tuple(sum((wi * v[j] for wi, v in zip(w, V)), Fraction(0)) / s for j in range(P.ambient_dim)))
    return out


def cell_points(P: Partition, seed: int = 0, k: int = 4):
    """``(cell, point)`` for :func:`interior_points` of every cell of ``P``."""
    rng = random.Random(seed)
    for c in P.cells:
        for x in interior_points(c.polytope, rng, k):
            yield c, x


def float_row(x):
    """An exact point as a one-row float array (what a float model's predict takes)."""
    import numpy as np

    return np.array([[float(v) for v in x]])


def assert_keys_match_model(part: Partition, seed: int = 0, k: int = 3) -> None:
    rng = random.Random(seed)
    for c in part.cells:
        for x in interior_points(c.polytope, rng, k):
            assert c.polytope.contains(x, strict=True)
            assert part.key_at(x) == c.key, (x, c.key)
            assert [d.index for d in part.locate(x)] == [c.index]


def assert_adjacency_wellformed(part: Partition) -> None:
    n = part.ambient_dim
    seen = set()
    for f in part.adjacency():
        assert f.i < f.j and (f.i, f.j) not in seen
        seen.add((f.i, f.j))
        assert f.face.dim == n - 1
        # the face lies on both cells' boundaries, on the normal's hyperplane
        for v in f.face.vertices:
            assert part.cells[f.i].polytope.contains(v) and part.cells[f.j].polytope.contains(v)
            assert sum(a * x for a, x in zip(f.normal, v)) == f.offset
        # cell i on the side normal·x <= offset
        ci = part.cells[f.i].polytope.centroid()
        assert sum(a * x for a, x in zip(f.normal, ci)) < f.offset
        assert f.j in part.neighbours(f.i) and f.i in part.neighbours(f.j)
