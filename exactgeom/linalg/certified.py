"""Certified (ball-arithmetic) linear algebra: eigenvalue enclosures and solves.

Operators with irrational entries (sums of surds) get no exact field arithmetic
here; instead every eigenvalue and every solution component comes as an
:class:`~exactgeom.numbers.Enclosure`, a rational interval *guaranteed* to contain
the true value (python-flint ``arb``/``acb`` balls, outward-rounded).

Algorithms
----------
* :func:`charpoly_eigenvalues` — exact route for rational matrices: the exact
  characteristic polynomial is factored over Q and each irreducible factor's roots
  are isolated by flint (``fmpz_poly.complex_roots``); multiplicities are exact.
* :func:`~exactgeom.linalg.symmetric.symmetric_eigenvalues` (module
  :mod:`exactgeom.linalg.symmetric`) — for a real symmetric matrix given by balls: a float
  eigendecomposition ``S ≈ V Λ Vᵀ`` (numpy; the float basis ``V`` is an exact dyadic
  matrix, used only as a change of basis) followed by a rigorous bound in ball
  arithmetic: with ``B = Vᵀ S V = D + F`` (``D`` its diagonal midpoints) Weyl's
  theorem puts the k-th eigenvalue of ``B`` within ``‖F‖₂`` of the k-th entry of
  ``D``, and Ostrowski's theorem gives ``λ_k(B) = θ_k λ_k(S)`` with
  ``θ_k ∈ [1 − ε, 1 + ε]``, ``ε ≥ ‖VᵀV − I‖₂``.  Norms are bounded by
  ``‖X‖₂ ≤ √(‖X‖₁‖X‖_∞)``.  Accuracy is that of double precision relative to the
  spectral radius (about ``n·2⁻⁵²·‖S‖``); when more digits are asked for,
  :func:`symmetric_eigenvalue_clusters` takes over.
* :func:`~exactgeom.linalg.symmetric.symmetric_eigenvalue_clusters` — the same bound for a symmetric-definite pencil
  ``A v = λ G v`` with an eigenbasis refined (Ogita–Aishima iteration) at doubling
  precision, on exact dyadic products up to 1024 bits and ball products above; per-index intervals are merged into disjoint
  clusters with exact counts, so repeated eigenvalues are certified too.
* :func:`general_eigenvalues` — arb's certified ``acb_mat.eig`` for matrices with a
  real spectrum that are not known to be symmetric (it cannot isolate repeated
  eigenvalues of ball matrices).
* :func:`solve` — ``arb_mat.solve`` at doubling precision until every component
  has the requested relative accuracy.
* :func:`refine_solve` — iterative refinement for large sparse systems: float
  solves, residuals in ball arithmetic, and the certified error bound
  ``‖x − x̃‖₂ ≤ ‖A⁻¹‖₂ ‖b − A x̃‖₂`` with a caller-supplied rigorous bound on
  ``‖A⁻¹‖₂``.

Entries may be ints, Fractions, :class:`~exactgeom.numbers.Surd`,
:class:`~exactgeom.numbers.SurdSum`, flint ``fmpq`` or ``arb`` balls.

>>> from fractions import Fraction
>>> [(str(e), m) for e, m in charpoly_eigenvalues([Fraction(1), Fraction(-4), Fraction(3)], digits=5)]
[('[1, 1]', 1), ('[3, 3]', 1)]
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

from flint import acb_mat, arb, arb_mat, fmpq, fmpq_poly, fmpz_poly

from ..errors import DegenerateError, InvalidInputError, UndecidedError
from ..numbers.ball import Enclosure, _round_sig, arb_to_interval, working_precision
from ..numbers.surd import Surd
from ..numbers.surdsum import SurdSum

__all__ = [
    "ball",
    "arb_matrix",
    "enclosure_of",
    "charpoly_eigenvalues",
    "general_eigenvalues",
    "solve",
    "refine_solve",
    "MAX_BITS",
]

#: Largest working precision tried by the refinement loops (bits).
MAX_BITS = 4096


def ball(x: Any) -> arb:
    """An arb ball containing the exact value ``x`` at the current working precision.

    >>> print(ball(Fraction(1, 4)))
    0.250000000000000
    """
    if isinstance(x, arb):
        return x
    if isinstance(x, bool):
        return arb(int(x))
    if isinstance(x, int):
        return arb(x)
    if isinstance(x, Fraction):
        return arb(fmpq(x.numerator, x.denominator))
    if isinstance(x, fmpq):
        return arb(x)
    if isinstance(x, Surd):
        b = arb(fmpq(x.coeff.numerator, x.coeff.denominator))
        return b if x.radicand == 1 else b * arb(x.radicand).sqrt()
    if isinstance(x, SurdSum):
        tot = arb(0)
        for t in x.terms:
            tot += ball(t)
        return tot
    raise InvalidInputError(
        f"cannot enclose a value of type {type(x).__name__}; give ints, Fractions, Surds or SurdSums"
    )


def arb_matrix(rows: Sequence[Sequence[Any]], ncols: int | None = None) -> arb_mat:
    """An ``arb_mat`` of balls around exact entries (current working precision)."""
    m = len(rows)
    n = len(rows[0]) if m else (ncols or 0)
    return arb_mat(m, n, [ball(x) for r in rows for x in r])


def enclosure_of(b: arb, digits: int) -> Enclosure:
    """The :class:`Enclosure` of a ball (bounds rounded outward to ``digits``)."""
    return Enclosure.from_arb(b, digits)


def _need_bits(digits: int) -> int:
    if not isinstance(digits, int) or isinstance(digits, bool) or digits < 1:
        raise InvalidInputError(f"digits must be a positive integer, got {digits!r}")
    return math.ceil(digits * math.log2(10)) + 8


def _accurate(b: arb, need: int) -> bool:
    return bool(b.is_finite()) and (b.is_exact() or b.rel_accuracy_bits() >= need or _tiny(b, need))


def _tiny(b: arb, need: int) -> bool:
    """A ball around zero whose radius is below 2^-need (absolute accuracy suffices)."""
    if not b.contains(0):
        return False
    lo, hi = arb_to_interval(b)
    return max(-lo, hi) <= Fraction(1, 2**need)


# ---------------------------------------------------------------- rational spectra
def charpoly_eigenvalues(
    coeffs: Sequence[Fraction | int], digits: int = 15
) -> tuple[tuple[Enclosure, int], ...]:
    """Certified enclosures of the (real) roots of a rational polynomial, with exact
    multiplicities, ascending.

    Parameters
    ----------
    coeffs
        Coefficients, highest degree first (e.g. an exact characteristic polynomial).
    digits
        Significant digits of each enclosure; exact rational roots are exact points.

    Raises
    ------
    DegenerateError
        A root is not real (the operator is not self-adjoint for any inner product).

    Examples
    --------
    >>> [(str(e), m) for e, m in charpoly_eigenvalues([1, 0, -2, 0, 0], 8)]   # t²(t² − 2)
    [('[-1.4142136, -1.4142135]', 1), ('[0, 0]', 2), ('[1.4142135, 1.4142136]', 1)]
    >>> charpoly_eigenvalues([1], 5)                                          # degree 0
    ()
    """
    need = _need_bits(digits)
    c = [Fraction(x) for x in reversed(list(coeffs))]
    if not c or all(x == 0 for x in c):
        raise InvalidInputError("the zero polynomial has no roots to enclose")
    p = fmpq_poly([fmpq(x.numerator, x.denominator) for x in c])
    if p.degree() < 1:
        return ()
    _, factors = p.factor()
    out: list[tuple[Enclosure, int, Fraction]] = []
    for f, mult in factors:
        fc = [fmpq(x) for x in f.coeffs()]
        if len(fc) == 2:  # linear factor: an exact rational root
            r = -fc[0] / fc[1]
            q = Fraction(int(r.p), int(r.q))
            out.append((Enclosure(q, q, digits), int(mult), q))
            continue
        den = 1
        for x in fc:
            den = den * int(x.q) // math.gcd(den, int(x.q))
        zf = fmpz_poly([int(x * den) for x in fc])
        prec = need + 32
        while True:
            with working_precision(prec):
                roots = zf.complex_roots()
                balls = []
                for r, m in roots:
                    if not r.imag.contains(0):
                        raise DegenerateError(
                            "a root of the characteristic polynomial is not real; the operator "
                            "is not self-adjoint with respect to a positive definite inner product"
                        )
                    if not r.imag.is_zero():
                        raise UndecidedError("could not certify that a root is real")
                    balls.append((r.real, int(m) * int(mult)))
                if all(_accurate(b, need) for b, _ in balls):
                    for b, m in balls:
                        e = Enclosure.from_arb(b, digits)
                        out.append((e, m, e.mid))
                    break
            if prec >= MAX_BITS:
                raise UndecidedError(f"roots not isolated to {digits} digits within {MAX_BITS} bits")
            prec *= 2
    out.sort(key=lambda t: t[2])
    return tuple((e, m) for e, m, _ in out)


def _upper(b: arb) -> Fraction:
    return arb_to_interval(b)[1]


def sqrt_up(x: Fraction) -> Fraction:
    """An upper bound on ``√x`` (``x ≥ 0``), exactly: ``(⌊√(p·q)⌋ + 1)/q``.

    >>> sqrt_up(Fraction(4)), sqrt_up(Fraction(0))
    (Fraction(3, 1), Fraction(0, 1))
    """
    if x <= 0:
        return Fraction(0)
    return Fraction(math.isqrt(x.numerator * x.denominator) + 1, x.denominator)


def _interval(lo: Fraction, hi: Fraction, digits: int) -> Enclosure:
    """The enclosure ``[lo, hi]`` with bounds rounded outward (exactly) to ``digits``
    significant decimal digits (exact bound arithmetic makes long Fractions)."""
    return Enclosure(_round_sig(lo, digits, up=False), _round_sig(hi, digits, up=True), digits)





def general_eigenvalues(
    matrix: Sequence[Sequence[Any]] | Callable[[int], arb_mat],
    digits: int = 10,
    *,
    real: bool = True,
    max_bits: int = MAX_BITS,
) -> tuple[Enclosure, ...]:
    """Certified enclosures of the eigenvalues of a square matrix with real spectrum
    (arb's ``acb_mat.eig`` with cluster handling, doubling the precision).

    Eigenvalues of a cluster (e.g. a multiple eigenvalue) share one enclosure.
    ``real=True`` asserts that the spectrum is real (e.g. a matrix self-adjoint for
    some positive definite inner product) and returns real parts; a ball whose
    imaginary part excludes zero raises :class:`DegenerateError`.

    >>> [str(e) for e in general_eigenvalues([[0, 1], [1, 0]], digits=5)]
    ['[-1, -1]', '[1, 1]']
    """
    need = _need_bits(digits)
    build = matrix if callable(matrix) else (lambda prec: arb_matrix(matrix))  # type: ignore[misc]
    prec = max(64, need + 32)
    while True:
        with working_precision(prec):
            S = build(prec)
            n = S.nrows()
            if n == 0:
                return ()
            try:
                E = acb_mat(S).eig(multiple=True)
            except ValueError:
                E = None
            if E is not None:
                bs = []
                for z in E:
                    if real and not z.imag.contains(0):
                        raise DegenerateError("an eigenvalue is not real")
                    bs.append(z.real)
                if all(_accurate(b, need) for b in bs) or prec >= max_bits:
                    encs = [Enclosure.from_arb(b, digits) for b in bs]
                    encs.sort(key=lambda e: e.mid)
                    return tuple(encs)
        if prec >= max_bits:
            raise UndecidedError(
                f"arb's eigensolver could not enclose the eigenvalues within {max_bits} bits (it fails on "
                "repeated eigenvalues of matrices given by balls); for a matrix that is symmetric for a "
                "positive definite inner product use symmetric_eigenvalue_clusters, else a float view"
            )
        prec = min(2 * prec, max_bits)


# ---------------------------------------------------------------- solves
def solve(
    A: Sequence[Sequence[Any]] | Callable[[int], arb_mat],
    b: Sequence[Any] | Callable[[int], arb_mat],
    digits: int = 15,
    *,
    max_bits: int = MAX_BITS,
) -> tuple[Enclosure, ...]:
    """Certified enclosure of the solution of the square system ``A x = b``.

    Raises :class:`UndecidedError` when the matrix cannot be shown nonsingular within
    ``max_bits`` (a singular matrix is never "solved").

    >>> from exactgeom.numbers import Surd
    >>> [str(e) for e in solve([[Surd(1, 2), 0], [0, 1]], [1, 3], digits=6)]
    ['[0.707106, 0.707107]', '[3, 3]']
    """
    need = _need_bits(digits)
    bA = A if callable(A) else (lambda prec: arb_matrix(A))  # type: ignore[misc]
    bb = b if callable(b) else (lambda prec: arb_mat([[ball(x)] for x in b]) if len(b) else arb_mat(0, 1))  # type: ignore[misc,arg-type]
    prec = max(64, need + 32)
    while True:
        with working_precision(prec):
            M = bA(prec)
            rhs = bb(prec)
            n = M.nrows()
            if n != M.ncols() or rhs.nrows() != n:
                raise InvalidInputError(f"solve needs a square system, got A {n}x{M.ncols()} and b of length {rhs.nrows()}")
            if n == 0:
                return ()
            try:
                X = M.solve(rhs)
            except ZeroDivisionError:
                X = None
            if X is not None:
                bs = [X[i, 0] for i in range(n)]
                if all(_accurate(x, need) for x in bs):
                    return tuple(Enclosure.from_arb(x, digits) for x in bs)
        if prec >= max_bits:
            if X is None:
                raise UndecidedError(
                    f"the matrix could not be certified nonsingular within {max_bits} bits; "
                    "it may be singular"
                )
            return tuple(Enclosure.from_arb(x, digits) for x in bs)
        prec = min(2 * prec, max_bits)


def refine_solve(
    matvec: Callable[[list[arb]], list[arb]],
    float_solve: Callable[[Any], Any],
    b: Sequence[Any],
    inv_norm_bound: Fraction,
    digits: int = 15,
    *,
    max_iter: int = 30,
) -> tuple[Enclosure, ...]:
    """Certified solution of a (large, sparse) nonsingular system by iterative refinement.

    Parameters
    ----------
    matvec
        ``x -> A x`` on lists of arb balls (exact matrix, ball arithmetic).
    float_solve
        ``r -> A⁻¹ r`` approximately, on float numpy vectors (e.g. a sparse LU).
    b
        Right-hand side (exact entries).
    inv_norm_bound
        A rigorous upper bound on ``‖A⁻¹‖₂`` (e.g. ``1/min W_ii`` for ``W + L`` with
        ``L`` positive semidefinite and ``W`` diagonal positive).
    digits
        Requested absolute-and-relative accuracy (significant digits of the largest
        component).

    Returns each component as an Enclosure ``x̃_i ± ‖A⁻¹‖₂‖b − A x̃‖₂``.

    >>> import numpy as np
    >>> A = [[4, 1], [1, 3]]
    >>> mv = lambda x: [4 * x[0] + x[1], x[0] + 3 * x[1]]
    >>> fs = lambda r: np.linalg.solve(np.array(A, float), r)
    >>> [str(e) for e in refine_solve(mv, fs, [1, 2], Fraction(1, 2), digits=8)]
    ['[0.090909090, 0.090909091]', '[0.63636363, 0.63636364]']
    """
    import numpy as np

    need = _need_bits(digits)
    n = len(b)
    if n == 0:
        return ()
    if inv_norm_bound <= 0:
        raise InvalidInputError("inv_norm_bound must be a positive bound on ‖A⁻¹‖₂")
    prec = max(128, 2 * need + 32)
    with working_precision(prec):
        bb = [ball(x) for x in b]
        x = [Fraction(0)] * n
        for _ in range(max_iter):
            xa = [ball(v) for v in x]
            Ax = matvec(xa)
            r = [bi - ai for bi, ai in zip(bb, Ax)]
            rn2 = arb(0)
            for ri in r:
                rn2 += ri * ri
            err = _upper(rn2.sqrt()) * inv_norm_bound
            scale = max((abs(v) for v in x), default=Fraction(0))
            if err == 0 or (scale > 0 and err <= scale / 2**need):
                break
            # float correction of the iterate: it only moves the approximation x̃; the
            # enclosure below is certified by the exact residual bound whatever x̃ is
            dx = float_solve(np.array([float(ri.mid()) for ri in r]))
            x = [v + Fraction(float(d)) for v, d in zip(x, dx)]
        else:
            raise UndecidedError(f"iterative refinement did not reach {digits} digits in {max_iter} steps")
    return tuple(_interval(v - err, v + err, digits) for v in x)
