"""Inputs of the analysis layer go through the exact-number policy: floats are refused,
negative data weights too (regressions found in review)."""

from __future__ import annotations

import pytest

import exactgeom
from exactgeom import InexactInputError, InvalidInputError
from exactgeom.analysis import ricci_curvature, vertex_curvature, volume_factor
from exactgeom.complex import RiemannianComplex


def _complex():
    return RiemannianComplex.from_partition(exactgeom.arrangement([[1, 0], [0, 1]], [0, 0], [(-1, 1), (-1, 1)]))


@pytest.mark.parametrize(
    ("name", "call", "error", "phrase"),
    [
        ("float Jacobian", lambda: volume_factor([[0.5, 0], [0, 1]]), InexactInputError, "exact rational"),
        ("float basis", lambda: volume_factor([[1, 0], [0, 1]], [[0.5], [1]]), InexactInputError, "exact rational"),
        ("float vertex weight", lambda: vertex_curvature(_complex(), variant="weighted", weights=[0.5, 1, 1, 1]),
         InexactInputError, "exact rational"),
        ("negative data weight", lambda: ricci_curvature(
            _complex(), data=([["1/2", "1/2"], ["-1/2", "1/2"]], [1, -1])), InvalidInputError, "non-negative"),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_exact_inputs(name, call, error, phrase):
    with pytest.raises(error, match=phrase):
        call()
