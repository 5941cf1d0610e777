"""FLOAT views of a complex's operators, for complexes too large for exact assembly.

:class:`~exactgeom.complex.complex.RiemannianComplex` computes its Laplacians, spectra
and splines exactly; its ``*_float`` methods (``hodge_laplacian_float``,
``spectrum_float``, ``spline_float``) are views in floating point, assembled by scipy
from float copies of the exact factors. They live here, apart from the exact class:

* :func:`inner_product` — ``M_p^power`` (or ``M_p^{-power}``) as a sparse matrix,
  non-diagonal metrics through a dense symmetric eigendecomposition; invertibility is
  decided exactly first;
* :func:`boundary` — ``B_p`` as a sparse float matrix;
* :func:`hodge_laplacian` — ``Δ_p`` / ``L_p`` from the float factors, optionally in the
  symmetric similar form ``M_p^{1/2} Δ_p M_p^{−1/2}``;
* :func:`spectrum` — its eigenvalues (dense, or the ``k`` smallest by shift-invert);
* :func:`spline` — the smoothing spline by a sparse float solve.

Each takes the complex and caches on it (``K._cache``); floats decide nothing exact.

>>> from exactgeom import RiemannianComplex, arrangement
>>> K = RiemannianComplex.from_partition(arrangement([[1, 0]], [0], [(-1, 1), (0, 2)]))
>>> [round(float(x), 12) for x in spectrum(K, 0)]
[0.0, 2.0]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import DegenerateError, InvalidInputError
from .laplacian import FORMS, require_invertible
from .sparse import to_float
from .spectrum import symmetric_float_spectrum
from .spline import spline_float

if TYPE_CHECKING:  # pragma: no cover
    from .complex import RiemannianComplex

__all__ = ["inner_product", "boundary", "hodge_laplacian", "spectrum", "spline"]


def inner_product(K: RiemannianComplex, p: int, inverse: bool = False, power: float = 1.0) -> Any:
    """FLOAT ``M_p^power`` (``M_p^{-power}`` with ``inverse``) as a sparse matrix,
    cached; non-diagonal metrics through a dense symmetric eigendecomposition."""
    import numpy as np
    import scipy.sparse as sp

    key = ("Mf", p, inverse, power)
    if key in K._cache:
        return K._cache[key]
    M = K.inner_product(p)
    if inverse:  # decided exactly, before floats round a zero eigenvalue up to +2e-16
        require_invertible(M, f"M_{p}")
    if M.is_diagonal():
        d = np.array([to_float(v) for v in M.diagonal_values()])
        if power != 1.0:
            d = np.sqrt(d) if power == 0.5 else d**power
        out = sp.diags(1 / d if inverse else d).tocsr()
    else:
        A = M.to_scipy_float().toarray()
        if power == 1.0:
            try:
                out = sp.csr_matrix(np.linalg.inv(A) if inverse else A)
            except np.linalg.LinAlgError as exc:  # a surd Gram matrix singular in floats
                raise DegenerateError(f"M_{p} is singular in floats ({exc}); its inverse is needed here") from None
        else:
            w, Q = np.linalg.eigh((A + A.T) / 2)
            if inverse and np.any(w <= 0):
                raise DegenerateError(f"M_{p} is singular (rank {int(np.sum(w > 0))} < {len(w)} in floats); "
                                      "its inverse square root is needed here")
            w = np.clip(w, 0, None) ** power
            out = sp.csr_matrix((Q * (1 / w if inverse else w)) @ Q.T)
    K._cache[key] = out
    return out


def boundary(K: RiemannianComplex, p: int) -> Any:
    """FLOAT ``B_p`` (a scipy sparse matrix), cached."""
    key = ("Bf", p)
    if key not in K._cache:
        K._cache[key] = K.boundary(p).to_scipy_float()
    return K._cache[key]


def hodge_laplacian(K: RiemannianComplex, p: int, form: str = "cochain", *, symmetric: bool = False) -> Any:
    """The body of :meth:`RiemannianComplex.hodge_laplacian_float
    <exactgeom.complex.complex.RiemannianComplex.hodge_laplacian_float>` (see there)."""
    import scipy.sparse as sp

    p = K._check_p(p)
    if form not in FORMS:
        raise InvalidInputError(f"unknown Laplacian form {form!r}; use one of {FORMS}")
    if not isinstance(symmetric, bool):
        raise InvalidInputError(f"symmetric must be True or False, got {symmetric!r}")
    key = ("Lf", p, form, symmetric)
    if key in K._cache:
        return K._cache[key]
    Bp, Bp1 = boundary(K, p), boundary(K, p + 1)
    n_p = len(K.simplices(p))
    out = sp.csr_matrix((n_p, n_p))
    up, down = Bp1.nnz > 0, p >= 1 and Bp.nnz > 0

    def M(q: int, inverse: bool = False, power: float = 1.0) -> Any:
        return inner_product(K, q, inverse, power)

    if symmetric:
        c = 1 if form == "cochain" else -1  # exponent signs: cochain M_{p+1}^{1/2}, M_p^{-1/2}
        if up:
            X = M(p + 1, c < 0, 0.5) @ Bp1.T @ M(p, c > 0, 0.5)
            out = out + X.T @ X
        if down:
            Y = M(p - 1, c > 0, 0.5) @ Bp @ M(p, c < 0, 0.5)
            out = out + Y.T @ Y
        out = (out + out.T) * 0.5
    elif form == "cochain":
        if up:
            out = out + M(p, True) @ Bp1 @ M(p + 1) @ Bp1.T
        if down:
            out = out + Bp.T @ M(p - 1, True) @ Bp @ M(p)
    else:
        if up:
            out = out + Bp1 @ M(p + 1, True) @ Bp1.T @ M(p)
        if down:
            out = out + M(p, True) @ Bp.T @ M(p - 1) @ Bp
    out = out.tocsr()
    K._cache[key] = out
    return out


def spectrum(K: RiemannianComplex, p: int, k: int | None = None, *, progress: bool | None = None) -> Any:
    """The body of :meth:`RiemannianComplex.spectrum_float
    <exactgeom.complex.complex.RiemannianComplex.spectrum_float>` (see there)."""
    if k is not None and (not isinstance(k, int) or isinstance(k, bool) or k < 1):
        raise InvalidInputError(f"k must be a positive int or None, got {k!r}")
    from ..partitions._progress import progress_bar

    with progress_bar(2, f"spectrum Δ_{p} (float)", progress, unit="step") as bar:
        S = hodge_laplacian(K, p, symmetric=True)
        bar.update(1)
        w = symmetric_float_spectrum(S, k)
        bar.update(1)
    return w


def spline(K: RiemannianComplex, y: Any, lam: float, weights: Any = None, *, edge_weights: str = "metric") -> Any:
    """The body of :meth:`RiemannianComplex.spline_float
    <exactgeom.complex.complex.RiemannianComplex.spline_float>` (see there)."""
    import numpy as np

    m = K.n_cells
    yf = np.asarray(y, dtype=float)
    if yf.shape != (m,):
        raise InvalidInputError(f"y must have length {m}")
    if weights is None:
        mass = K.data_mass()
        W = np.array([to_float(v) for v in (mass if mass is not None else [c.volume() for c in K._partition.cells])])
    else:
        W = np.asarray(weights, dtype=float)
    B1 = K.boundary(1).to_scipy_float()
    M1 = K._edge_operator(edge_weights).to_scipy_float()
    return spline_float(B1, M1, W, yf, float(lam))
