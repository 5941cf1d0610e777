"""Lower-dimensional contacts of the nerve (``lowdim_measure``): the worked example of two
crossing lines under each option, against a closed form derived by hand, and general
properties on random arrangements.

Closed form (derived independently of the code). Square ``[0, s]²`` cut by ``x = s/2`` and
``y = s/2``: four cells of area ``μ_0 = s²/4``; the four shared sides have length
``a = s/2``; the two diagonal pairs meet in one point. ``Δ_0 = μ_0⁻¹ L`` with ``L`` the
weighted graph Laplacian of K4 whose 4-cycle edges weigh ``a`` and whose two diagonals
weigh ``b``. On the cycle 0–1–3–2 (cells (−,−), (−,+), (+,+), (+,−)), the vectors
``1``, ``(1,−1,1,−1)`` (around the cycle) and the two "antipodal" differences are
eigenvectors of both parts: the cycle part gives ``a·{0, 4, 2, 2}``, the diagonal part
``b·{0, 0, 2, 2}``. So ``spec Δ_0 = (4/s²)·{0, 4a, 2a + 2b, 2a + 2b}``; with ``s = 1``:
``b = 1`` (own_dim) → {0, 8, 12, 12}; ``b = 0`` (zero, skip) → {0, 4, 4, 8}.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactgeom import arrangement
from exactgeom.complex import RiemannianComplex
from exactgeom.errors import DegenerateError
from exactgeom.strategies.complex import arrangement_partitions

F = Fraction


def _square(s):
    h = s / 2
    return arrangement([[1, 0], [0, 1]], [h, h], [(0, s), (0, s)])


def _charpoly_of_roots(roots):
    c = [F(1)]
    for r in roots:  # multiply by (t − r)
        c = [a - r * b for a, b in zip(c + [F(0)], [F(0)] + c)]
    return tuple(c)


def _expected_spectrum(s, b):
    a = s / 2
    return [F(0), 4 / s**2 * 4 * a, 4 / s**2 * (2 * a + 2 * b), 4 / s**2 * (2 * a + 2 * b)]


@pytest.mark.parametrize(
    "lowdim,expected", [("own_dim", [0, 8, 12, 12]), ("zero", [0, 4, 4, 8]), ("skip", [0, 4, 4, 8])]
)
def test_crossing_lines_unit_square_worked_example(lowdim, expected):
    K = RiemannianComplex.from_partition(_square(F(1)), convention="nerve", lowdim_measure=lowdim)
    assert K.lowdim_measure == lowdim
    spec = K.spectrum(0)
    assert spec.charpoly == _charpoly_of_roots(sorted(F(v) for v in expected))
    assert [e.lo for e in spec.eigenvalues] == [e.hi for e in spec.eigenvalues] == [F(v) for v in sorted(expected)]


@settings(max_examples=10, deadline=None)
@given(st.fractions(min_value=F(1, 10), max_value=10).filter(lambda s: s > 0), st.sampled_from(["own_dim", "zero", "skip"]))
def test_crossing_lines_any_square_matches_closed_form(s, lowdim):
    K = RiemannianComplex.from_partition(_square(s), convention="nerve", lowdim_measure=lowdim)
    b = F(1) if lowdim == "own_dim" else F(0)
    assert K.spectrum(0).charpoly == _charpoly_of_roots(sorted(_expected_spectrum(s, b)))


def test_options_change_measures_and_simplices_as_documented():
    P = _square(F(1))
    own = RiemannianComplex.from_partition(P, convention="nerve")
    zero = RiemannianComplex.from_partition(P, convention="nerve", lowdim_measure="zero")
    skip = RiemannianComplex.from_partition(P, convention="nerve", lowdim_measure="skip")
    facet = RiemannianComplex.from_partition(P)
    assert own.lowdim_measure == "own_dim"  # the default
    # own_dim and zero: the full nerve (tetrahedron), contractible
    assert own.f_vector() == zero.f_vector() == (4, 6, 4, 1)
    assert own.betti() == zero.betti() == (1, 0, 0, 0)
    diag = [e for e in own.simplices(1) if own.intersection_dim(e) == 0]
    assert diag == [(0, 3), (1, 2)]
    for e, mu_own, mu_zero in zip(own.simplices(1), own.measure(1), zero.measure(1)):
        if e in diag:
            assert (mu_own, mu_zero) == (1, 0)
        else:
            assert mu_own == mu_zero == F(1, 2)
    # triangles and the tetrahedron meet in the crossing point: dim 0 = n − 2 for triangles
    # (not lower-dimensional), and p = 3 > n keeps its own-dimension measure
    assert zero.measure(2) == own.measure(2) == (1, 1, 1, 1) and zero.measure(3) == own.measure(3) == (1,)
    # skip: the diagonals and their cofaces are gone; what is left is the facet complex
    assert skip.f_vector() == facet.f_vector() == (4, 4) and skip.betti() == (1, 1)
    assert skip.simplices(1) == facet.simplices(1) and skip.measure(1) == facet.measure(1)
    # Hodge: own_dim keeps positive-definite inner products, so dim ker Δ_p = β_p
    for p in range(4):
        assert own.spectrum(p).kernel_dim == own.betti()[p]
    with pytest.raises(DegenerateError):
        zero.hodge_laplacian(1)  # M_1 is singular at the point contacts


def test_facet_convention_ignores_the_option():
    P = _square(F(1))
    for lowdim in ("own_dim", "zero", "skip"):
        K = RiemannianComplex.from_partition(P, lowdim_measure=lowdim)
        assert K.f_vector() == (4, 4) and K.measure(1) == (F(1, 2),) * 4


@settings(max_examples=12, deadline=None)
@given(arrangement_partitions(n=2, max_hyperplanes=4))
def test_lowdim_options_on_random_arrangements(P):
    n = 2
    own = RiemannianComplex.from_partition(P, convention="nerve")
    zero = RiemannianComplex.from_partition(P, convention="nerve", lowdim_measure="zero")
    skip = RiemannianComplex.from_partition(P, convention="nerve", lowdim_measure="skip")
    for p in range(1, own.dim + 1):
        for s, a, z in zip(own.simplices(p), own.measure(p), zero.measure(p)):
            low = n - p > 0 and own.intersection_dim(s) < n - p
            assert z == (0 if low else a)
            assert a != 0  # own_dim: every simplex keeps a positive measure
    # skip: a subcomplex of the nerve, closed under faces, without lower-dimensional contacts
    for p in range(1, skip.dim + 1):
        kept = set(skip.simplices(p))
        assert kept <= set(own.simplices(p))
        for s in kept:
            assert not (n - p > 0 and skip.intersection_dim(s) < n - p)
            assert all(s[:k] + s[k + 1 :] in set(skip.simplices(p - 1)) for k in range(len(s)))
    # Δ_0 only sees the edge weights: zero and skip give the same Laplacian
    assert zero.hodge_laplacian(0).dense() == skip.hodge_laplacian(0).dense()
