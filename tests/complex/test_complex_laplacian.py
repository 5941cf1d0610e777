"""Hodge and extended Laplacians: self-adjointness, positivity, kernels, hand-assembled
finite-volume operators on box grids, the angle metric and two-point-flux weights."""

from __future__ import annotations

import contextlib
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from exactgeom import arrangement
from exactgeom.complex import RiemannianComplex
from exactgeom.complex.field import FieldTooLargeError
from exactgeom.complex.spectrum import _alternating, _charpoly
from exactgeom.errors import DegenerateError
from exactgeom.numbers import Surd
from exactgeom.strategies.complex import arrangement_partitions, box_grid_partitions

F = Fraction


def _psd_exact(S) -> bool:
    """Exact PSD test of a symmetric rational matrix: det(tI − S) alternates in sign."""
    return _alternating(_charpoly(S), strict=False)


def _check_selfadjoint_exact(K: RiemannianComplex, p: int, form: str) -> None:
    L = K.hodge_laplacian(p, form)
    M = K.inner_product(p)
    S = M @ L
    assert S.is_symmetric()
    assert S == K.symmetric_laplacian(p, form)


# --------------------------------------------------------------------- rational operators
@settings(max_examples=20)
@given(arrangement_partitions(n=2, max_hyperplanes=4), st.sampled_from(["cochain", "chain"]))
def test_angle_metric_laplacians_are_rational_selfadjoint_psd_with_betti_kernels(P, form):
    K = RiemannianComplex.from_partition(P, metric="angle")
    M1 = K.inner_product(1)
    assert M1.is_rational and M1.is_symmetric()
    assert _psd_exact(M1)
    assume(K.is_positive_definite(1))
    for p in range(K.dim + 1):
        L = K.hodge_laplacian(p, form)
        assert L.is_rational  # 2-D: vertices have volume, points have volume 1
        _check_selfadjoint_exact(K, p, form)
        assert _psd_exact(K.symmetric_laplacian(p, form))
        # exact kernel dimension equals the Betti number (Hodge theorem)
        assert L.shape[0] - L.rank() == K.betti()[p]
        spec = K.spectrum(p, form, digits=6)
        assert spec.exact and spec.psd and spec.kernel_dim == K.betti()[p]
        assert sum(1 for e in spec.eigenvalues if e.lo == e.hi == 0) == K.betti()[p]


def test_angle_metric_singular_under_nerve_is_reported_not_inverted():
    P = arrangement([[1, 0], [0, 1]], [0, 0], [(-1, 1), (-1, 1)])
    K = RiemannianComplex.from_partition(P, convention="nerve", metric="angle")
    assert len(K.simplices(1)) == 6
    assert K.inner_product_rank(1) == 4  # the two diagonal edges have no shared face
    assert not K.is_positive_definite(1)
    with pytest.raises(DegenerateError, match="singular"):
        K.hodge_laplacian(1)
    K.hodge_laplacian(0)  # Δ_0 uses M_1 itself: fine


@settings(max_examples=20)
@given(arrangement_partitions(n=2, max_hyperplanes=4, degenerate=True), st.sampled_from(["facet", "nerve"]))
def test_angle_metric_is_rational_psd_on_every_partition(P, conv):
    K = RiemannianComplex.from_partition(P, convention=conv, metric="angle")
    M1 = K.inner_product(1)
    assert M1.is_rational and M1.is_symmetric() and _psd_exact(M1)
    assert K.inner_product_rank(1) == M1.rank() <= len(K.simplices(1))


def test_angle_metric_on_equal_squares_equals_two_point_flux_weights():
    # 3×3 grid of squares of side 1/2
    cuts = [F(1, 2), F(1)]
    P = arrangement([[1, 0]] * 2 + [[0, 1]] * 2, cuts + cuts, [(0, F(3, 2)), (0, F(3, 2))])
    K = RiemannianComplex.from_partition(P, metric="angle")
    M1 = K.inner_product(1)
    assert M1.diagonal_values() == K.two_point_flux_weights()
    assert set(M1.diagonal_values()) == {F(1)}  # h^(n-2) = 1 in the plane
    # perpendicular faces do not couple; parallel faces at a cell do: |A|²/(2 vol)
    E = K.simplices(1)
    A = dict(zip(E, [tuple(f.area_vector()) for f in sorted(P.adjacency(), key=lambda f: (f.i, f.j))]))
    for a in range(len(E)):
        for b in range(len(E)):
            if a == b:
                continue
            shared = set(E[a]) & set(E[b])
            dot = sum(x * y for x, y in zip(A[E[a]], A[E[b]]))
            if not shared or dot == 0:
                assert M1[a, b] == 0
            else:
                assert M1[a, b] == dot / (2 * F(1, 4))


def test_angle_metric_on_equal_cubes_equals_two_point_flux_weights():
    P = arrangement([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [1, 1, 1], [(0, 2)] * 3)
    K = RiemannianComplex.from_partition(P, metric="angle")
    assert K.inner_product(1).diagonal_values() == K.two_point_flux_weights()
    assert set(K.two_point_flux_weights()) == {F(1)}  # h^(n-2) with h = 1


@settings(max_examples=20)
@given(arrangement_partitions(n=2, max_hyperplanes=4))
def test_two_point_flux_weight_equals_face_volume_over_normal_distance(P):
    K = RiemannianComplex.from_partition(P)
    faces = {(f.i, f.j): f for f in P.adjacency()}
    cent = [c.centroid() for c in P.cells]
    for (i, j), w in zip(K.simplices(1), K.two_point_flux_weights()):
        f = faces[(i, j)]
        a = f.normal
        aa = sum(x * x for x in a)
        ad = sum(x * (cj - ci) for x, ci, cj in zip(a, cent[i], cent[j]))
        # w = μ_1 / d with d = |a·Δc|/‖a‖: compare squares exactly (μ_1 is a surd)
        assert w > 0
        assert w * w == f.volume().squared() * aa / (ad * ad)


# --------------------------------------------------------------------- box grids (all rational)
def _grid_index(breaks, x):
    return tuple(next(k for k in range(len(b) - 1) if b[k] <= xj <= b[k + 1]) for b, xj in zip(breaks, x))


@settings(max_examples=15)
@given(box_grid_partitions(n=2, max_cuts=3))
def test_box_grid_laplacians_match_hand_assembled_finite_volumes_2d(grid):
    _check_grid(*grid)


@settings(max_examples=5)
@given(box_grid_partitions(n=3, max_cuts=2))
def test_box_grid_laplacians_match_hand_assembled_finite_volumes_3d(grid):
    _check_grid(*grid)


def _check_grid(P, breaks):
    n = P.ambient_dim
    K = RiemannianComplex.from_partition(P)
    h = [[b[k + 1] - b[k] for k in range(len(b) - 1)] for b in breaks]
    idx = {_grid_index(breaks, c.centroid()): c.index for c in P.cells}
    m = P.n_cells
    vol = {g: _prod(h[a][g[a]] for a in range(n)) for g in idx}
    D0 = [[F(0)] * m for _ in range(m)]
    X0 = [[F(0)] * m for _ in range(m)]
    for g in idx:
        for a in range(n):
            g2 = tuple(g[b] + (b == a) for b in range(n))
            if g2 not in idx:
                continue
            face = _prod(h[b][g[b]] for b in range(n) if b != a)
            dist = (h[a][g[a]] + h[a][g2[a]]) / 2
            i, j = idx[g], idx[g2]
            for u, v in ((i, j), (j, i)):
                gu = g if u == i else g2
                D0[u][u] += face / vol[gu]
                D0[u][v] -= face / vol[gu]
                X0[u][u] += face / dist / vol[gu]
                X0[u][v] -= face / dist / vol[gu]
    L = K.hodge_laplacian(0)
    assert L.is_rational
    assert [list(r) for r in L.dense()] == D0
    E = K.extended_laplacian()
    assert E.is_rational
    assert [list(r) for r in E.dense()] == X0
    # all Hodge Laplacians rational on box partitions, self-adjoint, kernel = Betti
    for p in range(K.dim + 1):
        Lp = K.hodge_laplacian(p)
        assert Lp.is_rational
        _check_selfadjoint_exact(K, p, "cochain")
        assert Lp.shape[0] - Lp.rank() == K.betti()[p]


def _prod(it):
    out = F(1)
    for x in it:
        out *= x
    return out


# --------------------------------------------------------------------- surd operators
@settings(max_examples=15)
@given(arrangement_partitions(n=2, max_hyperplanes=4), st.sampled_from(["facet", "nerve"]), st.sampled_from(["cochain", "chain"]))
def test_volume_laplacians_selfadjoint_exact_and_kernel_certified(P, conv, form):
    K = RiemannianComplex.from_partition(P, convention=conv)
    for p in range(min(K.dim, 2) + 1):
        _check_selfadjoint_exact(K, p, form)  # exact, in sums of surds
        L = K.hodge_laplacian(p, form)
        beta = K.betti()[p]
        with contextlib.suppress(FieldTooLargeError):
            assert L.shape[0] - L.rank() == beta  # exact over a multiquadratic field
        if L.shape[0] <= 40:
            spec = K.spectrum(p, form, digits=6)
            assert spec.kernel_dim == beta
            # certified: no eigenvalue is negative, and n − β of them are certified positive
            # whenever the enclosures separate from 0
            assert all(e.hi >= 0 for e in spec.eigenvalues)
            assert sum(1 for e in spec.eigenvalues if e.lo == e.hi == 0) == beta


def test_surd_laplacian_exact_in_a_small_field():
    # one oblique line: radicands from a single direction
    P = arrangement([[1, 1], [1, 0]], [0, F(1, 2)], [(-1, 1), (-1, 1)])
    K = RiemannianComplex.from_partition(P)
    L = K.hodge_laplacian(0)
    assert not L.is_rational
    assert L.radicands() == {2}
    assert L.rank() == L.shape[0] - 1
    spec = K.spectrum(0, digits=12)
    assert not spec.exact and spec.kernel_dim == 1
    # the enclosures contain the eigenvalues of the float matrix
    import numpy as np

    w = np.sort(K.spectrum_float(0))
    for e, x in zip(spec.eigenvalues, w):
        assert abs(float(e.mid) - x) < 1e-9
    assert e.width < F(1, 10**9)


def test_delta0_formula_on_functions():
    P = arrangement([[1, 1]], [0], [(-1, 1), (-1, 1)])
    K = RiemannianComplex.from_partition(P)
    L = K.hodge_laplacian(0)
    mu0, mu1 = K.measure(0), K.measure(1)
    assert mu1 == (Surd(2, 2),)  # the diagonal of the square
    assert L[0, 0] == mu1[0] / mu0[0] and L[0, 1] == -mu1[0] / mu0[0]


def test_float_view_matches_exact():
    import numpy as np

    P = arrangement([[1, 2], [2, -1], [1, 0]], [0, F(1, 3), F(-1, 2)], [(-1, 1), (-1, 1)])
    K = RiemannianComplex.from_partition(P, convention="nerve")
    for p in range(3):
        for form in ("cochain", "chain"):
            A = K.hodge_laplacian(p, form).to_scipy_float().toarray()
            B = K.hodge_laplacian_float(p, form).toarray()
            assert np.allclose(A, B, atol=1e-12)


@settings(max_examples=10, deadline=None)
@given(arrangement_partitions(n=2, max_hyperplanes=4), st.sampled_from(["diagonal", "angle"]),
       st.sampled_from(["facet", "nerve"]), st.sampled_from(["cochain", "chain"]))
def test_symmetric_float_form_is_symmetric_and_similar_to_the_exact_laplacian(P, metric, convention, form):
    """M^{1/2} Δ M^{-1/2}: exactly symmetric in floats, and its eigenvalues are those of
    the exact operator (certified enclosures where available, else the exact pencil
    (M_p Δ_p, M_p) solved densely)."""
    import numpy as np
    import scipy.linalg as sla

    K = RiemannianComplex.from_partition(P, convention=convention, metric=metric)
    for p in range(min(K.dim, 1) + 1):
        if not K.simplices(p):
            continue
        try:
            S = K.hodge_laplacian_float(p, form, symmetric=True)
        except DegenerateError:  # a singular angle metric has no inverse square root
            # decided exactly: the exact Gram matrix is singular too
            assert K.inner_product(p).to_sympy().rank() < len(K.simplices(p)) or (
                p + 1 <= K.dim and K.inner_product(p + 1).to_sympy().rank() < len(K.simplices(p + 1))
            )
            assume(False)
        assert (S != S.T).nnz == 0
        w = np.linalg.eigvalsh(S.toarray())
        # the exact symmetric form's pencil, an independent float route
        A = K.symmetric_laplacian(p, form).to_scipy_float().toarray()
        M = K.inner_product(p).to_scipy_float().toarray()
        ref = sla.eigh(A, M, eigvals_only=True)
        assert np.allclose(np.sort(w), np.sort(ref), atol=1e-8 * max(1.0, abs(ref).max()))
        if form == "cochain":
            assert np.allclose(K.spectrum_float(p), np.sort(w))


def test_symmetric_float_form_refuses_a_gram_matrix_with_a_point_contact():
    """Nerve convention, angle metric: the two diagonal pairs of four quadrants meet only
    at the crossing point, so their edges have measure 0 and M_1 has zero rows. In floats
    its zero eigenvalues came out as +2e-16 here, and the inverse square root was ~7e7 —
    a garbage operator returned silently; the exact zero rows are now refused (found by
    hypothesis)."""
    import pytest

    P = arrangement([[-3, -3], [1, 3]], [Fraction(1, 3), Fraction(-1, 5)], [(-1, 1), (-1, 1)])
    K = RiemannianComplex.from_partition(P, convention="nerve", metric="angle")
    M = K.inner_product(1)
    assert P.n_cells == 4 and not M.is_diagonal()
    zero_rows = [i for i in range(M.shape[0]) if all(M[i, j] == 0 for j in range(M.shape[1]))]
    assert zero_rows  # the point contacts
    with pytest.raises(DegenerateError, match="measure 0"):
        K.hodge_laplacian_float(1, "cochain", symmetric=True)
    with pytest.raises(DegenerateError, match="measure 0"):  # the plain float form inverts M_1 too
        K.hodge_laplacian_float(1, "cochain")


def test_symmetric_float_form_eigenvalues_inside_the_certified_enclosures():
    import numpy as np

    P = arrangement([[1, 2], [2, -1], [1, 0]], [0, F(1, 3), F(-1, 2)], [(-1, 1), (-1, 1)])
    K = RiemannianComplex.from_partition(P)
    for p in (0, 1):
        spec = K.spectrum(p, digits=12)
        w = np.linalg.eigvalsh(K.hodge_laplacian_float(p, symmetric=True).toarray())
        for e, x in zip(spec.eigenvalues, w):
            assert abs(float(e.mid) - x) < 1e-9 * max(1.0, abs(x))


def test_sparse_k_smallest_equals_dense(monkeypatch):
    import numpy as np

    from exactgeom.complex import spectrum as spec_mod

    lines = [[1, 2], [2, -1], [1, 0], [3, 1], [1, -3], [0, 1], [2, 5]]
    P = arrangement(lines, [0, F(1, 3), F(-1, 2), F(1, 5), F(2, 7), F(-1, 4), F(1, 9)], [(-2, 2), (-2, 2)])
    K = RiemannianComplex.from_partition(P)
    monkeypatch.setattr(spec_mod, "SPARSE_MIN", 0)  # force eigsh on this small complex
    for p in (0, 1):
        dense = np.linalg.eigvalsh(K.hodge_laplacian_float(p, symmetric=True).toarray())
        sparse = K.spectrum_float(p, k=5)
        assert np.allclose(sparse, dense[:5], atol=1e-9 * max(1.0, dense.max()))


def test_float_view_of_surds_with_huge_radicands():
    """Radicands beyond the float range (deep networks' oblique faces) still convert."""
    import math

    from exactgeom.complex.sparse import to_float

    d = 3**2001 + 2  # sqrt(d) ≈ 3^1000.5, far beyond float; times 10^-300 lands in range
    x = to_float(Surd(F(1, 10**300), d))
    assert math.isclose(x, math.exp(math.log(3) * 2001 / 2 - 300 * math.log(10)), rel_tol=1e-12)
