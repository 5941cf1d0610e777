"""Spectra of Laplacians: certified eigenvalue enclosures, exact characteristic
polynomials (rational operators), exact kernel dimensions, and a float view.

Routes:

* rational operator: the exact characteristic polynomial (python-flint), its roots
  isolated by flint with exact multiplicities
  (:func:`~exactgeom.linalg.certified.charpoly_eigenvalues`), the kernel dimension as
  ``n − rank`` (exact), positive semidefiniteness from the signs of the
  characteristic polynomial's coefficients (a real-rooted monic polynomial has all
  roots ``≥ 0`` iff its coefficients alternate in sign).
* otherwise, when ``M_p Δ_p`` and ``M_p`` are symmetric (checked exactly) and ``M_p`` is
  not exactly excluded from being positive definite: the symmetric-definite pencil
  ``(M_p Δ_p, M_p)``,
  :func:`~exactgeom.linalg.certified.symmetric_eigenvalue_clusters` (a float
  eigenbasis, refined when needed, and a rigorous Weyl/Ostrowski bound that also
  certifies ``M_p`` positive definite; a diagonal ``M_p``, positive by exact signs, is
  folded in: the same bound on the symmetric ``M_p^-1/2 (M_p Δ_p) M_p^-1/2``). Repeated eigenvalues are certified as
  *clusters*: disjoint enclosures with the exact number of eigenvalues inside. The
  kernel dimension is the Betti number (Hodge theorem) when every inner product
  involved is positive definite (decided exactly by the caller), else ``n − rank``
  when an exact rank is affordable; that many eigenvalues are then the exact point ``[0, 0]``
  (after checking that exactly that many certified intervals contain 0). When no
  certified enclosure contains 0 the kernel is certified trivial.
* anything else: arb's certified general eigensolver on ``Δ_p`` (it cannot isolate
  repeated eigenvalues of ball matrices; it then raises
  :class:`~exactgeom.errors.UndecidedError` pointing to the float view).
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

from ..errors import UndecidedError
from ..linalg.certified import MAX_BITS, ball, charpoly_eigenvalues, general_eigenvalues
from ..linalg.rational import fmpq_to_fraction
from ..linalg.symmetric import SparseBalls, cluster_enclosures, symmetric_eigenvalue_clusters
from ..numbers._compat import deprecated_alias
from ..numbers.ball import Enclosure
from ..numbers.sign import Sign
from .sparse import ExactMatrix

__all__ = ["Spectrum", "spectrum", "float_spectrum", "symmetric_float_spectrum", "positive_definite", "CHARPOLY_MAX", "GENERAL_MAX"]


@dataclass(frozen=True)
class Spectrum:
    """The spectrum of an operator (with multiplicity, ascending).

    Attributes
    ----------
    size : int
    eigenvalues : tuple of Enclosure
        Certified enclosures, one per eigenvalue (with multiplicity); the eigenvalues
        of a cluster share its enclosure. Exact points where the value is known exactly.
    charpoly : tuple of Fraction or None
        ``det(tI − Δ)``, highest degree first (rational operators only).
    kernel_dim : int or None
        Exact dimension of the kernel (None when it cannot be decided exactly).
    psd : bool or None
        Positive semidefinite (decided exactly, by construction, or certified by the
        enclosures).
    exact : bool
        True for a rational operator.
    method : str
        The route actually taken; the text before the first ``":"`` is one of
        ``"empty"``, ``"charpoly"``, ``"symmetric"`` or ``"general"``.
    clusters : tuple of (Enclosure, int)
        Ascending, pairwise disjoint enclosures, each with the *exact* number of
        eigenvalues (counted with multiplicity) inside it: a repeated eigenvalue is one
        enclosure with its multiplicity. On the charpoly route each enclosure holds one
        distinct root and the count is its exact multiplicity; on the other routes
        eigenvalues that agree to the requested digits share a cluster.
    """

    size: int
    eigenvalues: tuple[Enclosure, ...]
    charpoly: tuple[Fraction, ...] | None
    kernel_dim: int | None
    psd: bool | None
    exact: bool
    method: str
    clusters: tuple[tuple[Enclosure, int], ...] = ()

    kernel_dimension = deprecated_alias("kernel_dim", "kernel_dimension")

    def __repr__(self) -> str:
        return (
            f"Spectrum(size={self.size}, kernel_dim={self.kernel_dim}, psd={self.psd}, "
            f"exact={self.exact}, clusters={len(self.clusters)}, method={self.method!r})"
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
    s: Sign = v.sign()
    return s


def _charpoly(M: ExactMatrix) -> tuple[Fraction, ...]:
    if M.shape[0] == 0:
        return (Fraction(1),)
    p = M.to_fmpq_mat().charpoly()
    return tuple(reversed([fmpq_to_fraction(c) for c in p.coeffs()]))


def _alternating(cp: tuple[Fraction, ...], *, strict: bool) -> bool:
    """For a real-rooted monic polynomial (highest first): all roots ≥ 0 (> 0 if strict)."""
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

#: Largest operator sent to arb's general certified eigensolver (used when the inner
#: product is not positive definite, e.g. a singular ``angle`` metric): its cost grows
#: steeply (a 198×198 case ran for over 6 minutes), so larger ones raise UndecidedError
#: at once with the way out, instead of running for an unbounded time.
GENERAL_MAX = 60


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
        The kernel dimension when known exactly from elsewhere (Betti numbers); without
        it, when an enclosure contains 0: ``n − rank``, exact over Q, or over the
        multiquadratic field of a surd operator with ``n ≤ CHARPOLY_MAX`` and few
        radicands; 0 when no enclosure contains 0 (certified); else None.
    psd_by_construction
        Whether ``sym`` is positive semidefinite by construction.
    digits
        Significant digits of each enclosure (a cluster containing 0: that accuracy
        relative to the spectral radius).
    charpoly
        ``True``: compute the exact characteristic polynomial of a rational operator and
        isolate its roots; ``False``: never; ``"auto"`` (default): when rational and
        ``n ≤ CHARPOLY_MAX``. Otherwise the enclosures come from the symmetric route.

    Raises
    ------
    UndecidedError
        No certified enclosure within the precision cap (the message says which route
        failed; the float view ``RiemannianComplex.spectrum_float`` always works).

    Examples
    --------
    >>> from exactgeom.numbers import Surd
    >>> D = ExactMatrix.from_rows([[Surd(1, 2), -Surd(1, 2), 0, 0], [-Surd(1, 2), Surd(1, 2), 0, 0],
    ...                            [0, 0, Surd(1, 2), -Surd(1, 2)], [0, 0, -Surd(1, 2), Surd(1, 2)]])
    >>> s = spectrum(D, D, ExactMatrix.diagonal([1, 1, 1, 1]), kernel_dim=2, digits=8)
    >>> [(str(e), m) for e, m in s.clusters], s.method.split(":")[0]
    ([('[0, 0]', 2), ('[2.8284271, 2.8284272]', 2)], 'symmetric')
    """
    n = op.shape[0]
    use_cp = op.is_rational and (charpoly is True or (charpoly == "auto" and n <= CHARPOLY_MAX))
    if use_cp:
        cp = _charpoly(op)
        roots = charpoly_eigenvalues(cp, digits) if n else ()
        eig = tuple(e for e, m in roots for _ in range(m))
        kd = n - op.rank() if n else 0  # geometric multiplicity of 0, exactly
        clusters = cluster_enclosures(roots)
        method = "charpoly: exact characteristic polynomial, roots isolated by flint with exact multiplicities"
        return Spectrum(n, eig, cp, kd, _alternating(cp, strict=False), True, method, clusters)
    if n == 0:
        return Spectrum(0, (), None, 0, True, op.is_rational, "empty: no simplices", ())
    known = kernel_dim
    if sym.is_symmetric() and M.is_symmetric() and _maybe_definite(M):

        diagonal = M.is_diagonal()  # then positive definite, decided exactly by _maybe_definite

        def run(k: int | None) -> Any:
            if diagonal:  # the pencil (S, M) as the symmetric matrix M^-1/2 S M^-1/2: 3 products a step, not 4
                return symmetric_eigenvalue_clusters(
                    _scaled_ball_builder(sym, M.diagonal_values()), digits, zero_multiplicity=k,
                    nonnegative=psd_by_construction, max_bits=MAX_BITS, size=n,
                )
            return symmetric_eigenvalue_clusters(
                _ball_builder(sym), digits, gram=_ball_builder(M), zero_multiplicity=k,
                nonnegative=psd_by_construction, max_bits=MAX_BITS, size=n,
            )

        got = run(kernel_dim)
        if kernel_dim is None and any(e.contains(0) for e, _ in got.clusters):
            kernel_dim = _exact_kernel_dim(op)  # then the zero cluster becomes exact
            if kernel_dim is not None:
                got = run(kernel_dim)
        clusters = got.clusters
        basis = "float eigenbasis refined" if got.refined else "float eigenbasis"
        form = "M^-1/2 (M Δ) M^-1/2 (diagonal M)" if diagonal else "the pencil (M Δ, M)"
        method = f"symmetric: {basis}, Weyl/Ostrowski bound on {form} at {got.bits} bits"
        if kernel_dim:
            src = "given" if known is not None else "exact rank"
            method += f"; {kernel_dim} zero eigenvalues from the exact kernel dimension ({src})"
    else:
        if n > GENERAL_MAX:
            raise UndecidedError(
                f"this {n}x{n} operator is not self-adjoint for a positive definite inner product "
                "(is the inner product singular? see RiemannianComplex.inner_product_rank), so only "
                f"arb's general eigensolver applies, and it is limited to n <= {GENERAL_MAX}; use the "
                "float view spectrum_float, or a positive definite metric (metric='diagonal')"
            )
        try:
            encs = general_eigenvalues(lambda prec: op.arb_mat(), digits)
        except UndecidedError as exc:
            raise UndecidedError(
                f"{exc}. The operator is not known to be self-adjoint for a positive definite inner "
                "product, so no certified clusters are available; use the float view spectrum_float"
            ) from exc
        clusters = cluster_enclosures(encs)
        method = "general: arb acb_mat.eig (certified), overlapping enclosures merged into clusters"
        if kernel_dim is None and op.is_rational:
            kernel_dim = n - op.rank()  # geometric multiplicity of 0, exactly
    if kernel_dim is None and not any(e.contains(0) for e, _ in clusters):
        kernel_dim = 0  # certified: no eigenvalue is zero
    eig = tuple(e for e, m in clusters for _ in range(m))
    if psd_by_construction:
        psd: bool | None = True
    elif all(e.lo >= 0 for e, _ in clusters):
        psd = True
    elif any(e.hi < 0 for e, _ in clusters):
        psd = False
    else:
        psd = None
    return Spectrum(n, eig, None, kernel_dim, psd, op.is_rational, method, clusters)


def _exact_kernel_dim(op: ExactMatrix) -> int | None:
    """``n − rank``: exact over Q, or over the multiquadratic field of a surd operator
    with ``n ≤ CHARPOLY_MAX`` and few radicands; None when that is not affordable."""
    if not op.is_rational and op.shape[0] > CHARPOLY_MAX:
        return None
    try:
        return op.shape[0] - op.rank()
    except UndecidedError:  # FieldTooLargeError: too many radicands
        return None


def _maybe_definite(M: ExactMatrix) -> bool:
    """Route filter: False when ``M`` is (very probably) not positive definite.

    Diagonal: exact signs. Non-diagonal rational (a Gram matrix, positive semidefinite
    by construction): nonsingular when its determinant is nonzero modulo one of a few
    large primes, which proves nonsingularity. A wrong "False" only sends the operator
    to the general solver, a wrong "True" only costs time: definiteness is certified by
    the symmetric route itself.
    """
    if M.is_diagonal():
        return positive_definite(M)
    if not M.is_rational:
        return True
    from flint import nmod_mat

    n = M.shape[0]
    items = list(M.items())
    for prime in _PRIMES:
        vals = [0] * (n * n)
        for (i, j), v in items:
            num, den = (v, 1) if isinstance(v, int) else (v.numerator, v.denominator)
            if den % prime == 0:
                break
            vals[i * n + j] = num * pow(den, -1, prime) % prime
        else:
            if nmod_mat(n, n, vals, prime).rank() == n:
                return True
    return False


#: Primes for the modular nonsingularity test of :func:`_maybe_definite`.
_PRIMES = (2**61 - 1, 2**31 - 1, 1_000_000_007)


def _ball_builder(A: ExactMatrix) -> Any:
    """Balls of ``A``'s nonzero entries (a sparse builder, see
    :class:`~exactgeom.linalg.symmetric.SparseBalls`)."""
    items = list(A.items())
    return SparseBalls(A.shape[0], lambda prec: [(i, j, ball(v)) for (i, j), v in items])


def _scaled_ball_builder(A: ExactMatrix, diag: Any) -> Any:
    """Balls of ``D^-1/2 A D^-1/2`` for a positive diagonal ``D`` (its diagonal values,
    rationals or surds): entry ``(i, j)`` is ``a_ij · d_i^-1/2 · d_j^-1/2``, which contains
    the exact value; the matrix is exactly symmetric when ``A`` is.  A sparse builder
    (:class:`~exactgeom.linalg.symmetric.SparseBalls`): only the nonzero entries."""
    items = list(A.items())

    def build(prec: int) -> list[tuple[int, int, Any]]:
        s = [ball(d).rsqrt() for d in diag]
        return [(i, j, ball(v) * (s[i] * s[j])) for (i, j), v in items]

    return SparseBalls(A.shape[0], build)


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


#: Below this size :func:`symmetric_float_spectrum` always uses the dense solver.
SPARSE_MIN = 500


def symmetric_float_spectrum(S: Any, k: int | None = None) -> Any:
    """FLOAT view: eigenvalues, ascending, of a symmetric positive semidefinite matrix
    ``S`` (scipy sparse or dense): all of them (dense ``eigvalsh``), or the ``k``
    smallest — by ``scipy.sparse.linalg.eigsh`` in shift-invert mode around a small
    negative shift (``S − σI`` is then positive definite, so its sparse factorisation
    exists even with a kernel) when ``S`` has more than :data:`SPARSE_MIN` rows; dense
    when ARPACK fails to converge.

    >>> import numpy as np
    >>> symmetric_float_spectrum(np.diag([3.0, 0.0, 1.0]), k=2).tolist()
    [0.0, 1.0]
    """
    import numpy as np
    import scipy.sparse as sp

    n = S.shape[0]
    if n == 0:
        return np.zeros(0)
    if k is None or n <= SPARSE_MIN or k >= n - 1:
        A = S.toarray() if sp.issparse(S) else np.asarray(S, dtype=float)
        w = np.linalg.eigvalsh(A)
        return w if k is None else w[:k]
    from scipy.sparse.linalg import ArpackError, ArpackNoConvergence, eigsh

    A = sp.csc_matrix(S)
    scale = float(abs(A).max()) or 1.0
    try:
        w = eigsh(A, k=k, sigma=-1e-7 * scale, which="LM", return_eigenvectors=False)
    except (ArpackNoConvergence, ArpackError, RuntimeError):  # pragma: no cover - ARPACK rarely fails here
        return np.linalg.eigvalsh(A.toarray())[:k]
    return np.sort(w)
