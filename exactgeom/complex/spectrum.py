"""Spectra of Laplacians: certified eigenvalue enclosures, exact characteristic
polynomials (rational operators), exact kernel dimensions, and a float view.

Routes:

* rational operator: the exact characteristic polynomial (python-flint), its roots
  isolated by flint with exact multiplicities
  (:func:`~exactgeom.linalg.certified.charpoly_eigenvalues`), the kernel dimension as
  ``n − rank`` (exact), positive semidefiniteness from the signs of the
  characteristic polynomial's coefficients (a real-rooted monic polynomial has all
  roots ``≥ 0`` iff its coefficients alternate in sign).
* surd operator with a diagonal positive ``M_p``: the symmetric matrix
  ``M_p^{−1/2} (M_p Δ_p) M_p^{−1/2}`` (same eigenvalues) in ball arithmetic,
  :func:`~exactgeom.linalg.certified.symmetric_eigenvalues`; otherwise arb's certified
  general eigensolver on ``Δ_p``. The kernel dimension is the Betti number (Hodge
  theorem) when every inner product involved is positive definite (decided exactly),
  and the eigenvalues known to be zero are then reported as the exact point ``[0, 0]``.
* float view (:func:`float_spectrum`): numpy/scipy, clearly float.

>>> from exactgeom.complex.sparse import ExactMatrix
>>> D = ExactMatrix.from_rows([[1, -1], [-1, 1]])
>>> s = spectrum(D, D, ExactMatrix.diagonal([1, 1]))
>>> s.charpoly, [str(e) for e in s.eigenvalues], s.kernel_dim, s.psd
((Fraction(1, 1), Fraction(-2, 1), Fraction(0, 1)), ['[0, 0]', '[2, 2]'], 1, True)
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..errors import DegenerateError
from ..linalg.certified import ball, charpoly_eigenvalues, general_eigenvalues, symmetric_eigenvalues
from ..linalg.rational import fmpq_to_fraction
from ..numbers.ball import Enclosure
from ..numbers.sign import Sign
from .sparse import ExactMatrix

__all__ = ["Spectrum", "spectrum", "float_spectrum", "positive_definite", "CHARPOLY_MAX"]


@dataclass(frozen=True)
class Spectrum:
    """The spectrum of an operator (with multiplicity, ascending).

    Attributes
    ----------
    size : int
    eigenvalues : tuple of Enclosure
        Certified enclosures; exact points where the value is known exactly.
    charpoly : tuple of Fraction or None
        ``det(tI − Δ)``, highest degree first (rational operators only).
    kernel_dim : int or None
        Exact dimension of the kernel (None when it cannot be decided exactly).
    psd : bool or None
        Positive semidefinite (decided exactly, or by construction).
    exact : bool
        True for the rational route (exact characteristic polynomial).
    method : str
        How the enclosures were obtained.
    """

    size: int
    eigenvalues: tuple[Enclosure, ...]
    charpoly: tuple[Fraction, ...] | None
    kernel_dim: int | None
    psd: bool | None
    exact: bool
    method: str

    def __repr__(self) -> str:
        return (
            f"Spectrum(size={self.size}, kernel_dim={self.kernel_dim}, psd={self.psd}, "
            f"exact={self.exact}, method={self.method!r})"
        )


def positive_definite(M: ExactMatrix) -> bool:
    """Exact test that a Gram matrix of the complex is positive definite.

    Diagonal: every entry is > 0 (exact signs of surds). Non-diagonal (the angle
    metric): such matrices are positive semidefinite by construction (sums of Gram
    matrices with positive coefficients), so they are positive definite iff nonsingular,
    decided by an exact rank.
    """
    n = M.shape[0]
    if M.is_diagonal():
        return all(_sign(v) == Sign.POSITIVE for v in M.diagonal_values()) and len(M.diagonal_values()) == n
    return M.rank() == n


def _sign(v: Any) -> Sign:
    if isinstance(v, (int, Fraction)):
        return Sign((v > 0) - (v < 0))
    return v.sign()


def _charpoly(M: ExactMatrix) -> tuple[Fraction, ...]:
    if M.shape[0] == 0:
        return (Fraction(1),)
    p = M.to_fmpq_mat().charpoly()
    return tuple(reversed([fmpq_to_fraction(c) for c in p.coeffs()]))


def _alternating(cp: tuple[Fraction, ...], *, strict: bool) -> bool:
    """For a real-rooted monic polynomial (highest first): all roots ≥ 0 (> 0 if strict)."""
    n = len(cp) - 1
    for k, c in enumerate(cp):  # c is the coefficient of t^(n−k); sign must be (−1)^k or 0
        s = (c > 0) - (c < 0)
        if s == 0:
            if strict:
                return False
            continue
        if s != (-1) ** k:
            return False
    return True


#: Largest rational operator whose eigenvalues are isolated from the exact
#: characteristic polynomial by default (its coefficients grow quickly with n).
CHARPOLY_MAX = 100


def spectrum(
    op: ExactMatrix,
    sym: ExactMatrix,
    M: ExactMatrix,
    *,
    kernel_dim: int | None = None,
    psd_by_construction: bool = False,
    digits: int = 10,
    charpoly: bool | str = "auto",
) -> Spectrum:
    """The spectrum of ``op`` (``= M⁻¹ sym``, self-adjoint with respect to ``M``).

    Parameters
    ----------
    op, sym, M
        The operator, its symmetric form ``M @ op`` and the Gram matrix.
    kernel_dim
        The kernel dimension when known exactly from elsewhere (Betti numbers); for a
        rational operator without it, the kernel dimension is ``n − rank`` (exact).
    psd_by_construction
        Whether ``sym`` is positive semidefinite by construction.
    digits
        Significant digits of the enclosures.
    charpoly
        ``True``: compute the exact characteristic polynomial of a rational operator and
        isolate its roots; ``False``: never; ``"auto"`` (default): when rational and
        ``n ≤ CHARPOLY_MAX``. Otherwise the enclosures come from the symmetric route.
    """
    n = op.shape[0]
    use_cp = op.is_rational and (charpoly is True or (charpoly == "auto" and n <= CHARPOLY_MAX))
    if use_cp:
        cp = _charpoly(op)
        roots = charpoly_eigenvalues(cp, digits) if n else ()
        eig: list[Enclosure] = []
        for e, m in roots:
            eig.extend([e] * m)
        kd = n - op.rank() if n else 0  # geometric multiplicity of 0, exactly
        return Spectrum(n, tuple(eig), cp, kd, _alternating(cp, strict=False), True, "charpoly")
    if kernel_dim is None and op.is_rational:
        kernel_dim = n - op.rank()
    if n == 0:
        return Spectrum(0, (), None, 0, True, op.is_rational, "empty")
    if M.is_diagonal() and all(_sign(v) == Sign.POSITIVE for v in M.diagonal_values()):
        d = M.diagonal_values()
        items = list(sym.items())

        def build(prec: int) -> Any:
            from flint import arb_mat

            r = [ball(v).rsqrt() for v in d]
            T = arb_mat(n, n)
            for (i, j), v in items:
                T[i, j] = ball(v) * r[i] * r[j]
            return T

        eig_t = symmetric_eigenvalues(build, digits)
        method = "symmetric (float basis + Weyl/Ostrowski bound, or arb eig)"
    else:
        eig_t = general_eigenvalues(lambda prec: op.arb_mat(), digits)
        method = "arb eig (clusters)"
    eig_l = list(eig_t)
    if kernel_dim is not None:
        for k in range(kernel_dim):
            if not eig_l[k].contains(0):
                raise DegenerateError("certified eigenvalue enclosures contradict the kernel dimension")
            eig_l[k] = Enclosure(Fraction(0), Fraction(0), digits)
    return Spectrum(n, tuple(eig_l), None, kernel_dim, True if psd_by_construction else None, op.is_rational, method)


def float_spectrum(sym: Any, M: Any, k: int | None = None) -> Any:
    """FLOAT view: eigenvalues of the pencil ``(sym, M)`` (scipy sparse or dense
    float matrices), ascending; the ``k`` smallest with ``scipy.sparse.linalg.eigsh``
    when ``k`` is given and the matrix is large."""
    import numpy as np
    import scipy.linalg as sla
    import scipy.sparse as sp

    n = sym.shape[0]
    if n == 0:
        return np.zeros(0)
    if k is None or n <= 500 or k >= n - 1:
        A = sym.toarray() if sp.issparse(sym) else np.asarray(sym)
        B = M.toarray() if sp.issparse(M) else np.asarray(M)
        w = sla.eigh(A, B, eigvals_only=True)
        return np.sort(w)[: (k if k is not None else n)]
    from scipy.sparse.linalg import eigsh

    w = eigsh(sp.csr_matrix(sym), k=k, M=sp.csr_matrix(M), sigma=-1e-8, which="LM", return_eigenvectors=False)
    return np.sort(w)
