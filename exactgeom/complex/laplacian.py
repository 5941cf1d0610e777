"""Hodge Laplacians of a weighted complex, in cochain and chain form, and the extended
(two-point-flux) Laplacian.

With integer boundary matrices ``B_p`` and Gram matrices ``M_p`` on p-chains:

* cochain form ``Δ_p = M_p⁻¹ B_{p+1} M_{p+1} B_{p+1}ᵀ + B_pᵀ M_{p−1}⁻¹ B_p M_p``;
  on functions on cells ``(Δ_0 f)_i = (1/μ_0(i)) Σ_{j~i} μ_1(ij) (f_i − f_j)``;
* chain form ``L_p = B_{p+1} M_{p+1}⁻¹ B_{p+1}ᵀ M_p + M_p⁻¹ B_pᵀ M_{p−1} B_p``.

Both are self-adjoint with respect to ``M_p``: ``M_p Δ_p`` and ``M_p L_p`` are
symmetric positive semidefinite when the ``M``'s are (see
:func:`symmetric_form`). A term whose boundary matrix is empty is dropped, so its
inverse is never needed. An inverse of a diagonal ``M`` with a zero entry, or of a
singular non-diagonal ``M``, raises :class:`~exactgeom.errors.DegenerateError` naming
the simplex — never a silent pseudo-inverse.

>>> from exactgeom.complex.sparse import ExactMatrix
>>> B1 = ExactMatrix.from_rows([[-1], [1]])                    # one edge 0 → 1
>>> M0, M1 = ExactMatrix.diagonal([1, 2]), ExactMatrix.diagonal([3])
>>> B0 = ExactMatrix.from_dict((0, 2), {})                      # no boundary below vertices
>>> hodge_laplacian(B0, B1, None, M0, M1).dense()
((Fraction(3, 1), Fraction(-3, 1)), (Fraction(-3, 2), Fraction(3, 2)))
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from ..errors import DegenerateError, InvalidInputError
from ..linalg.rational import fmpq_to_fraction
from .sparse import ExactMatrix

__all__ = ["FORMS", "inverse", "hodge_laplacian", "symmetric_form", "weighted_graph_laplacian"]

FORMS = ("cochain", "chain")


def require_invertible(M: ExactMatrix, what: str = "M") -> None:
    """Raise :class:`DegenerateError` when the Gram matrix ``M`` is exactly singular: a
    zero diagonal entry or zero row (a simplex of measure 0, e.g. a point contact of the
    nerve), or — for rational ``M`` — a rank deficit (python-flint). Surd non-diagonal
    matrices without a zero row pass (their exact rank is not computed)."""
    n = M.shape[0]
    if M.is_diagonal():
        d = M.diagonal_values()
        zero = next((k for k, v in enumerate(d) if v == 0), None)
    else:
        rows = {i for (i, _j), _v in M.items()}
        zero = min(set(range(n)) - rows) if len(rows) < n else None
    if zero is not None:
        raise DegenerateError(
            f"{what} is singular: simplex {zero} has measure 0 (a zero entry), and its inverse is needed here. Give "
            "every simplex a positive measure (e.g. measure='volume', or data in every cell), use metric='diagonal', "
            "or an operator that does not invert this measure"
        )
    if M.is_rational and not M.is_diagonal():
        r = M.to_fmpq_mat().rank()
        if r < n:
            raise DegenerateError(
                f"{what} is singular (rank {r} < {n}); it cannot be inverted. Use metric='diagonal' or an "
                "operator that does not need its inverse"
            )


def inverse(M: ExactMatrix, what: str = "M") -> ExactMatrix:
    """Exact inverse of a Gram matrix: entrywise for diagonal ones (surds allowed),
    python-flint for rational non-diagonal ones.

    Raises :class:`DegenerateError` if it is singular (:func:`require_invertible`).
    """
    require_invertible(M, what)
    n = M.shape[0]
    if M.is_diagonal():
        return ExactMatrix.diagonal([Fraction(1) / v for v in M.diagonal_values()])
    if not M.is_rational:
        raise DegenerateError(f"{what}: inverting a non-diagonal surd matrix is not supported exactly")
    Inv = M.to_fmpq_mat().inv()
    return ExactMatrix.from_dict(
        (n, n), {(i, j): fmpq_to_fraction(Inv[i, j]) for i in range(n) for j in range(n) if Inv[i, j] != 0}
    )


def _check(B_p: ExactMatrix, B_p1: ExactMatrix, M_p: ExactMatrix) -> int:
    n_p = M_p.shape[0]
    if B_p.shape[1] != n_p or B_p1.shape[0] != n_p:
        raise InvalidInputError(f"shape mismatch: B_p {B_p.shape}, B_(p+1) {B_p1.shape}, M_p {M_p.shape}")
    return n_p


def hodge_laplacian(
    B_p: ExactMatrix,
    B_p1: ExactMatrix,
    M_pm1: ExactMatrix | None,
    M_p: ExactMatrix,
    M_p1: ExactMatrix | None,
    form: str = "cochain",
) -> ExactMatrix:
    """``Δ_p`` (``form="cochain"``) or ``L_p`` (``form="chain"``), exactly.

    ``M_pm1`` / ``M_p1`` may be ``None`` when ``B_p`` / ``B_{p+1}`` have no nonzero
    entries (the term vanishes).
    """
    if form not in FORMS:
        raise InvalidInputError(f"unknown Laplacian form {form!r}; use one of {FORMS}")
    n_p = _check(B_p, B_p1, M_p)
    out = ExactMatrix.from_dict((n_p, n_p), {})
    up = B_p1.nnz > 0
    down = B_p.nnz > 0
    if form == "cochain":
        if up:
            assert M_p1 is not None
            out = out + inverse(M_p, "M_p") @ (B_p1 @ M_p1 @ B_p1.T)
        if down:
            assert M_pm1 is not None
            out = out + B_p.T @ inverse(M_pm1, "M_(p-1)") @ B_p @ M_p
    else:
        if up:
            assert M_p1 is not None
            out = out + B_p1 @ inverse(M_p1, "M_(p+1)") @ B_p1.T @ M_p
        if down:
            assert M_pm1 is not None
            out = out + inverse(M_p, "M_p") @ (B_p.T @ M_pm1 @ B_p)
    return out


def symmetric_form(
    B_p: ExactMatrix,
    B_p1: ExactMatrix,
    M_pm1: ExactMatrix | None,
    M_p: ExactMatrix,
    M_p1: ExactMatrix | None,
    form: str = "cochain",
) -> ExactMatrix:
    """``M_p Δ_p`` (or ``M_p L_p``), computed from the factors without inverting
    ``M_p``; symmetric by construction:

    ``M_p Δ_p = B_{p+1} M_{p+1} B_{p+1}ᵀ + M_p B_pᵀ M_{p−1}⁻¹ B_p M_p``,
    ``M_p L_p = M_p B_{p+1} M_{p+1}⁻¹ B_{p+1}ᵀ M_p + B_pᵀ M_{p−1} B_p``.
    """
    if form not in FORMS:
        raise InvalidInputError(f"unknown Laplacian form {form!r}; use one of {FORMS}")
    n_p = _check(B_p, B_p1, M_p)
    out = ExactMatrix.from_dict((n_p, n_p), {})
    up = B_p1.nnz > 0
    down = B_p.nnz > 0
    if form == "cochain":
        if up:
            assert M_p1 is not None
            out = out + B_p1 @ M_p1 @ B_p1.T
        if down:
            assert M_pm1 is not None
            out = out + M_p @ B_p.T @ inverse(M_pm1, "M_(p-1)") @ B_p @ M_p
    else:
        if up:
            assert M_p1 is not None
            out = out + M_p @ B_p1 @ inverse(M_p1, "M_(p+1)") @ B_p1.T @ M_p
        if down:
            assert M_pm1 is not None
            out = out + B_p.T @ M_pm1 @ B_p
    return out


def weighted_graph_laplacian(B1: ExactMatrix, weights: Sequence[Any]) -> ExactMatrix:
    """``B_1 diag(w) B_1ᵀ`` (the unnormalised graph Laplacian with edge weights w)."""
    if len(weights) != B1.shape[1]:
        raise InvalidInputError(f"{len(weights)} edge weights for {B1.shape[1]} edges")
    return B1.scale_cols(list(weights)) @ B1.T


def weighted_graph_operator(B1: ExactMatrix, T: ExactMatrix) -> ExactMatrix:
    """``B_1 T B_1ᵀ`` for a diagonal or full edge operator ``T``."""
    if T.is_diagonal():
        return weighted_graph_laplacian(B1, list(T.diagonal_values()) if T.shape[0] else [])
    return B1 @ T @ B1.T
