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
* :func:`symmetric_eigenvalues` — for a real symmetric matrix given by balls: a float
  eigendecomposition ``S ≈ V Λ Vᵀ`` (numpy; the float basis ``V`` is an exact dyadic
  matrix, used only as a change of basis) followed by a rigorous bound in ball
  arithmetic: with ``B = Vᵀ S V = D + F`` (``D`` its diagonal midpoints) Weyl's
  theorem puts the k-th eigenvalue of ``B`` within ``‖F‖₂`` of the k-th entry of
  ``D``, and Ostrowski's theorem gives ``λ_k(B) = θ_k λ_k(S)`` with
  ``θ_k ∈ [1 − ε, 1 + ε]``, ``ε ≥ ‖VᵀV − I‖₂``.  Norms are bounded by
  ``‖X‖₂ ≤ √(‖X‖₁‖X‖_∞)``.  Accuracy is that of double precision relative to the
  spectral radius (about ``n·2⁻⁵²·‖S‖``); when more digits are asked for,
  :func:`symmetric_eigenvalue_clusters` takes over.
* :func:`symmetric_eigenvalue_clusters` — the same bound for a symmetric-definite pencil
  ``A v = λ G v`` with an eigenbasis refined in ball arithmetic (Ogita–Aishima
  iteration) at doubling precision; per-index intervals are merged into disjoint
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
>>> [str(e) for e in symmetric_eigenvalues([[2, 1], [1, 2]], digits=6)]
['[0.999999, 1.00001]', '[2.99999, 3.00001]']
>>> [(str(e), m) for e, m in charpoly_eigenvalues([Fraction(1), Fraction(-4), Fraction(3)], digits=5)]
[('[1, 1]', 1), ('[3, 3]', 1)]
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from flint import acb_mat, arb, arb_mat, ctx, fmpq, fmpq_poly, fmpz_poly

from ..errors import DegenerateError, InvalidInputError, UndecidedError
from ..numbers.ball import Enclosure, _round_sig, arb_to_interval, working_precision
from ..numbers.surd import Surd
from ..numbers.surdsum import SurdSum

__all__ = [
    "ball",
    "arb_matrix",
    "enclosure_of",
    "charpoly_eigenvalues",
    "symmetric_eigenvalues",
    "general_eigenvalues",
    "symmetric_eigenvalue_clusters",
    "EigenvalueClusters",
    "cluster_enclosures",
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


# ---------------------------------------------------------------- symmetric spectra
def _upper(b: arb) -> Fraction:
    return arb_to_interval(b)[1]


def _norm2_bound(X: arb_mat) -> Fraction:
    """Rigorous upper bound on ‖X‖₂ for every matrix in the ball matrix X."""
    m, n = X.nrows(), X.ncols()
    rows = [arb(0)] * m
    cols = [arb(0)] * n
    for i in range(m):
        for j in range(n):
            a = abs(X[i, j])
            rows[i] += a
            cols[j] += a
    r = max((_upper(x) for x in rows), default=Fraction(0))
    c = max((_upper(x) for x in cols), default=Fraction(0))
    p = r * c
    # √p rounded up, exactly
    s = Fraction(math.isqrt(p.numerator * p.denominator) + 1, p.denominator) if p else Fraction(0)
    return s


def symmetric_eigenvalues(
    matrix: Sequence[Sequence[Any]] | Callable[[int], arb_mat],
    digits: int = 10,
    *,
    relative: bool = False,
    max_float_n: int = 2000,
) -> tuple[Enclosure, ...]:
    """Certified enclosures of the eigenvalues of a real symmetric matrix, ascending
    (with multiplicity).

    Parameters
    ----------
    matrix
        The matrix as rows of exact entries, or a function ``prec -> arb_mat`` giving
        a ball matrix that contains it (the true matrix must be symmetric).
    digits
        Requested digits.  By default every enclosure is at most ``10^(1−digits)·ρ``
        wide, ``ρ`` the spectral radius (accuracy relative to the largest eigenvalue);
        with ``relative=True`` each eigenvalue gets ``digits`` significant digits of
        its own.  The float-basis bound (module docstring) is used when it reaches the
        accuracy; otherwise :func:`symmetric_eigenvalue_clusters` refines the basis
        (a repeated eigenvalue gets one shared enclosure, repeated).

    Examples
    --------
    >>> from exactgeom.numbers import Surd
    >>> E = symmetric_eigenvalues([[Surd(1, 2), 0], [0, 0]], digits=8)
    >>> [e.contains(0) for e in E], E[1].contains(Surd(1, 2))
    ([True, False], True)
    >>> symmetric_eigenvalues([], digits=5)   # 0×0: no eigenvalues
    ()
    """
    need = _need_bits(digits)
    build = matrix if callable(matrix) else (lambda prec: arb_matrix(matrix))  # type: ignore[misc]
    with working_precision(max(64, need + 16)):
        S = build(ctx.prec)
    n = S.nrows()
    if n != S.ncols():
        raise InvalidInputError(f"symmetric_eigenvalues needs a square matrix, got {n}x{S.ncols()}")
    if n == 0:
        return ()
    if digits <= 12 and n <= max_float_n:
        got = _weyl_ostrowski(S, digits, relative)
        if got is not None:
            return got
    return symmetric_eigenvalue_clusters(build, digits, relative=relative).eigenvalues


def _enc_ok(e: Enclosure, digits: int) -> bool:
    """Whether the enclosure pins about ``digits`` significant digits (or is a tiny
    interval around zero)."""
    if e.lo == e.hi:
        return True
    scale = max(abs(e.lo), abs(e.hi))
    tol = Fraction(10) / 10**digits
    return e.width <= scale * tol or (e.lo <= 0 <= e.hi and e.width <= tol)


def _weyl_ostrowski(S: arb_mat, digits: int, relative: bool) -> tuple[Enclosure, ...] | None:
    """The float-basis bound alone (no refinement), or None when it is too wide."""
    Va = _float_eigenbasis(S, None)
    with working_precision(128):
        Vt = Va.transpose()
        cert = _weyl_ostrowski_intervals(Vt * S * Va, Vt * Va)
    if cert is None:
        return None
    bounds, _ = cert
    rho = max(max(abs(lo), abs(hi)) for lo, hi in bounds)
    tol = rho * Fraction(10) / 10**digits
    for lo, hi in bounds:
        if (relative and not _enc_ok(Enclosure(lo, hi), digits)) or (not relative and hi - lo > tol):
            return None
    return tuple(_interval(lo, hi, digits) for lo, hi in bounds)


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


# ---------------------------------------------------------------- clusters
Cluster = tuple[Enclosure, int]


@dataclass(frozen=True)
class EigenvalueClusters:
    """Certified eigenvalue clusters of a symmetric(-definite) problem.

    Attributes
    ----------
    clusters : tuple of (Enclosure, int)
        Ascending, pairwise disjoint enclosures; the integer is the *exact* number of
        eigenvalues (counted with multiplicity) inside the enclosure.  A repeated
        eigenvalue comes back as one enclosure with its multiplicity; eigenvalues that
        agree to the requested digits share one enclosure too (the count is still exact).
        A known zero eigenvalue (``zero_multiplicity``) is the exact point ``[0, 0]``.
    bits : int
        Working precision of the certificate.
    refined : bool
        Whether the float eigenbasis had to be refined in ball arithmetic.
    """

    clusters: tuple[Cluster, ...]
    bits: int
    refined: bool

    @property
    def eigenvalues(self) -> tuple[Enclosure, ...]:
        """One enclosure per eigenvalue (with multiplicity): the cluster's enclosure."""
        return tuple(e for e, m in self.clusters for _ in range(m))


def cluster_enclosures(items: Sequence[Enclosure | Cluster]) -> tuple[Cluster, ...]:
    """Merge certified enclosures (each holding ``m`` eigenvalues, default 1) into
    ascending disjoint clusters: overlapping enclosures become their hull, and the
    counts add up, so each count stays exact.

    >>> from fractions import Fraction as F
    >>> [(str(e), m) for e, m in cluster_enclosures([Enclosure(F(1), F(2)), Enclosure(F(3, 2), F(3)), Enclosure(F(5), F(5))])]
    [('[1, 3]', 2), ('[5, 5]', 1)]
    """
    pairs = sorted(((x, 1) if isinstance(x, Enclosure) else x for x in items), key=lambda t: (t[0].lo, t[0].hi))
    out: list[list[Any]] = []
    for e, m in pairs:
        if out and e.lo <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e.hi)
            out[-1][2] += m
            out[-1][3] = out[-1][3] if out[-1][3] == e.digits else None
        else:
            out.append([e.lo, e.hi, m, e.digits])
    return tuple((Enclosure(lo, hi, d), m) for lo, hi, m, d in out)


def _builder(matrix: Sequence[Sequence[Any]] | Callable[[int], arb_mat]) -> Callable[[int], arb_mat]:
    return matrix if callable(matrix) else (lambda prec: arb_matrix(matrix))  # type: ignore[misc]


def symmetric_eigenvalue_clusters(
    matrix: Sequence[Sequence[Any]] | Callable[[int], arb_mat],
    digits: int = 10,
    *,
    gram: Sequence[Sequence[Any]] | Callable[[int], arb_mat] | None = None,
    zero_multiplicity: int | None = None,
    nonnegative: bool = False,
    relative: bool = True,
    max_bits: int = MAX_BITS,
) -> EigenvalueClusters:
    """Certified eigenvalue clusters with exact counts of a real symmetric matrix ``A``,
    or of the symmetric-definite pencil ``A v = λ G v`` (the eigenvalues of ``G⁻¹A``).

    Method: an approximate eigenbasis ``X`` (float ``eigh``, refined when more digits
    are needed by the Ogita–Aishima iteration in ball arithmetic at doubling
    precision) is only a change of basis; the bound is rigorous whatever ``X`` is.
    With ``B = XᵀAX = D + F`` and ``ε ≥ ‖XᵀGX − I‖₂ < 1`` (which also certifies that
    ``G`` is positive definite), Weyl's theorem puts the k-th eigenvalue of ``B``
    within ``‖F‖₂`` of the k-th smallest diagonal entry and Ostrowski's theorem gives
    ``λ_k(B) = θ_k λ_k`` with ``θ_k ∈ [1 − ε, 1 + ε]``.  Each eigenvalue thus has its
    own interval, repeated or not; overlapping intervals (after outward rounding to
    ``digits``) are merged into clusters, so every count is exact.

    Parameters
    ----------
    matrix, gram
        ``A`` (symmetric) and ``G`` (symmetric positive definite; ``None``: identity),
        as rows of exact entries or functions ``prec -> arb_mat`` returning balls that
        contain them.  The caller guarantees exact symmetry; positive definiteness of
        ``G`` is certified here.
    digits
        Each cluster gets ``digits`` significant digits (more precisely a relative
        width ``≤ 2^(1−b)``, ``b = ⌈digits·log₂10⌉ + 8``); a cluster containing 0 gets
        that width relative to the spectral radius ``ρ``.  ``relative=False``: every
        cluster's width relative to ``ρ``.
    zero_multiplicity
        The exact number of zero eigenvalues when known (e.g. a Betti number): those
        become the exact cluster ``([0, 0], k)`` as soon as exactly ``k`` intervals
        contain 0 (checked: fewer raises :class:`DegenerateError`).
    nonnegative
        The eigenvalues are known to be ``≥ 0`` (positive semidefinite ``A``): lower
        bounds are clipped at 0.
    max_bits
        Precision cap.  Clusters certified at the cap but wider than asked are returned
        as they are (still certified).

    Raises
    ------
    UndecidedError
        No certificate at all within ``max_bits`` (e.g. ``G`` is not positive definite,
        or the float eigendecomposition fails).

    Examples
    --------
    >>> from exactgeom.numbers import Surd
    >>> r2 = Surd(1, 2)
    >>> A = [[r2, 1, 0, 0], [1, r2, 0, 0], [0, 0, r2, 1], [0, 0, 1, r2]]   # two equal blocks
    >>> [(str(e), m) for e, m in symmetric_eigenvalue_clusters(A, 20).clusters]
    [('[0.41421356237309504880, 0.41421356237309504881]', 2), ('[2.4142135623730950488, 2.4142135623730950489]', 2)]
    >>> [(str(e), m) for e, m in symmetric_eigenvalue_clusters([[1, -1], [-1, 1]], 5, zero_multiplicity=1).clusters]
    [('[0, 0]', 1), ('[1.9999, 2.0001]', 1)]
    """
    need = _need_bits(digits)
    build_a = _builder(matrix)
    build_g = None if gram is None else _builder(gram)
    with working_precision(64):
        A0 = build_a(64)
        G0 = None if build_g is None else build_g(64)
    n = A0.nrows()
    if n != A0.ncols() or (G0 is not None and (G0.nrows(), G0.ncols()) != (n, n)):
        raise InvalidInputError(f"need a square matrix (and a Gram matrix of the same shape), got {n}x{A0.ncols()}")
    if not isinstance(max_bits, int) or max_bits < 64:
        raise InvalidInputError(f"max_bits must be an integer >= 64, got {max_bits!r}")
    if zero_multiplicity is not None and not 0 <= zero_multiplicity <= n:
        raise InvalidInputError(f"zero_multiplicity must be in [0, {n}], got {zero_multiplicity!r}")
    if n == 0:
        return EigenvalueClusters((), 0, False)
    X = _float_eigenbasis(A0, G0)
    prec = min(max(64, need + 16 + n.bit_length()), max_bits)
    last: EigenvalueClusters | None = None
    refined = False
    while True:
        with working_precision(prec):
            A = build_a(prec)
            G = None if build_g is None else build_g(prec)
            prev: Fraction | None = None
            for _ in range(_MAX_STEPS):
                Xt = X.transpose()
                B = Xt * (A * X)
                Gx = Xt * (X if G is None else G * X)
                cert = _weyl_ostrowski_intervals(B, Gx)
                if cert is not None:
                    intervals, f = cert
                    clusters, ok = _clusters(intervals, digits, need, zero_multiplicity, nonnegative, relative)
                    last = EigenvalueClusters(clusters, prec, refined)
                    if ok:
                        return last
                    if prev is not None and 4 * f > prev:  # stagnating: more precision needed
                        break
                    prev = f
                X = _refine(X, B, Gx)
                refined = True
        if prec >= max_bits:
            break
        prec = min(2 * prec, max_bits)
    if last is None:
        raise UndecidedError(
            f"no certified eigenvalue enclosure within {max_bits} bits: the approximate eigenbasis "
            "is not close to orthonormal (is the Gram matrix positive definite?); use the float view"
        )
    return last


#: Refinement steps per precision level (the iteration converges quadratically).
_MAX_STEPS = 6


def _float_eigenbasis(A: arb_mat, G: arb_mat | None) -> arb_mat:
    """A float eigenbasis of the pencil (exact dyadic entries); only a change of basis."""
    import numpy as np
    import scipy.linalg as sla

    n = A.nrows()

    def dense(S: arb_mat) -> Any:
        a = np.array([[float(S[i, j].mid()) for j in range(n)] for i in range(n)])
        return (a + a.T) / 2

    try:
        _, V = np.linalg.eigh(dense(A)) if G is None else sla.eigh(dense(A), dense(G))
    except (np.linalg.LinAlgError, ValueError) as exc:
        raise UndecidedError(
            f"the float eigendecomposition that starts the certified route failed ({exc}); "
            "the Gram matrix may not be positive definite"
        ) from exc
    if not np.all(np.isfinite(V)):
        raise UndecidedError("the float eigendecomposition that starts the certified route is not finite")
    return arb_mat(V.tolist())


def _weyl_ostrowski_intervals(B: arb_mat, Gx: arb_mat) -> tuple[list[tuple[Fraction, Fraction]], Fraction] | None:
    """Per-index certified intervals (ascending) from ``B = XᵀAX`` and ``XᵀGX`` (balls),
    and the Weyl radius ``f``; ``None`` when ``‖XᵀGX − I‖₂`` is not certified ``< 1``."""
    n = B.nrows()
    E = arb_mat(n, n, [Gx[i, j] - (1 if i == j else 0) for i in range(n) for j in range(n)])
    eps = _norm2_bound(E)
    if eps >= 1:
        return None
    d = [B[i, i].mid() for i in range(n)]
    F = arb_mat(n, n, [B[i, j] - (d[i] if i == j else 0) for i in range(n) for j in range(n)])
    f = _norm2_bound(F)
    out = []
    for dk in sorted(arb_to_interval(x)[0] for x in d):  # midpoints are exact dyadics
        lo, hi = dk - f, dk + f
        lo = lo / (1 + eps) if lo >= 0 else lo / (1 - eps)
        hi = hi / (1 - eps) if hi >= 0 else hi / (1 + eps)
        out.append((lo, hi))
    return out, f


def _clusters(
    intervals: list[tuple[Fraction, Fraction]],
    digits: int,
    need: int,
    zeros: int | None,
    nonnegative: bool,
    relative: bool,
) -> tuple[tuple[Cluster, ...], bool]:
    """Clusters from per-index intervals, and whether each meets the accuracy target."""
    if nonnegative:
        if any(hi < 0 for _, hi in intervals):
            raise DegenerateError("a certified eigenvalue is negative, but the operator was declared nonnegative")
        intervals = [(max(lo, Fraction(0)), hi) for lo, hi in intervals]
    Z = [k for k, (lo, hi) in enumerate(intervals) if lo <= 0 <= hi]
    if zeros is not None and len(Z) < zeros:
        raise DegenerateError(
            f"certified eigenvalue enclosures leave room for only {len(Z)} zero eigenvalues, "
            f"but the kernel dimension is {zeros}"
        )
    exact_zero = zeros is not None and zeros > 0 and len(Z) == zeros
    ok = zeros is None or len(Z) == zeros
    rho = max(max(abs(lo), abs(hi)) for lo, hi in intervals)
    tol = Fraction(2, 2**need)
    groups: list[list[Any]] = []  # [rounded Enclosure, count, lo, hi, exact zero]
    for k, (lo, hi) in enumerate(intervals):
        if exact_zero and k in Z:
            if groups and groups[-1][4]:
                groups[-1][1] += 1
            else:
                groups.append([Enclosure(Fraction(0), Fraction(0), digits), 1, Fraction(0), Fraction(0), True])
            continue
        e = _interval(lo, hi, digits)
        if groups and not groups[-1][4] and e.lo <= groups[-1][0].hi:
            g = groups[-1]
            g[0] = Enclosure(g[0].lo, max(g[0].hi, e.hi), digits)
            g[1] += 1
            g[3] = max(g[3], hi)
        else:
            groups.append([e, 1, lo, hi, False])
    for _e, _, lo, hi, z in groups:
        if z:
            continue
        scale = rho if (not relative or lo <= 0 <= hi) else min(abs(lo), abs(hi))
        ok = ok and hi - lo <= tol * scale
    return tuple((g[0], g[1]) for g in groups), ok


def _refine(X: arb_mat, B: arb_mat, Gx: arb_mat) -> arb_mat:
    """One Ogita–Aishima step ``X ← X(I + E)`` towards ``XᵀAX`` diagonal and
    ``XᵀGX = I`` (midpoint arithmetic; it only steers the certified bound)."""
    n = X.nrows()
    S, R = B.mid(), Gx.mid()
    lam = [S[i, i] / R[i, i] for i in range(n)]
    lf = [float(x) for x in lam]
    off = math.sqrt(sum(float(S[i, j]) ** 2 for i in range(n) for j in range(n) if i != j))
    rn = math.sqrt(sum((float(R[i, j]) - (i == j)) ** 2 for i in range(n) for j in range(n)))
    delta = 2 * (off + max(abs(x) for x in lf) * rn)
    E = arb_mat(n, n)
    for i in range(n):
        for j in range(n):
            r = (1 if i == j else 0) - R[i, j]
            if i != j and abs(lf[i] - lf[j]) > delta:
                E[i, j] = (S[i, j] + lam[j] * r) / (lam[j] - lam[i])
            else:
                E[i, j] = r / 2
    return (X + X * E).mid()


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
