"""Certified spectra of symmetric(izable) operators, with exact cluster counts.

For a real symmetric matrix ``A`` (or a pencil ``(A, G)`` with ``G`` symmetric positive
definite) a float eigenbasis is refined at doubling precision, and every eigenvalue gets
a rigorous interval from Weyl's theorem (``VᵀAV = D + F``: shift at most ``‖F‖₂``; an
eigenvalue whose interval meets no other gets the quadratic residual radius instead when
smaller, see :func:`~exactgeom.linalg.symmetric_dyadic.radii`) and Ostrowski's theorem (a factor ``θ ∈ [1 − ε, 1 + ε]`` from
``VᵀGV``).  Up to :data:`DYADIC_MAX_BITS` bits the products are exact (dyadic digits on
float BLAS, :mod:`exactgeom.linalg.float_dyadic`); above, they are ball products. Intervals
that overlap after outward rounding are merged into clusters whose counts are exact; a known
zero multiplicity turns the zero cluster into the exact point ``[0, 0]``. Floats only choose
the basis; every bound is certified.

>>> [str(e) for e in symmetric_eigenvalues([[2, 1], [1, 2]], digits=6)]
['[0.999999, 1.00001]', '[2.99999, 3.00001]']
>>> [(str(e), m) for e, m in symmetric_eigenvalue_clusters([[1, 0], [0, 1]], 5).clusters]
[('[1, 1]', 2)]
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from flint import arb, arb_mat, ctx

from ..errors import DegenerateError, InvalidInputError, UndecidedError
from ..numbers.ball import Enclosure, arb_to_interval, working_precision
from .certified import MAX_BITS, _interval, _need_bits, _upper, arb_matrix, sqrt_up

__all__ = [
    "SparseBalls",
    "symmetric_eigenvalues",
    "symmetric_eigenvalue_clusters",
    "EigenvalueClusters",
    "cluster_enclosures",
    "Cluster",
]

#: An eigenvalue cluster: a certified enclosure and the exact number of eigenvalues in it.
Cluster = tuple[Enclosure, int]


class SparseBalls:
    """A square matrix given by its nonzero entries as balls: ``items(prec)`` returns
    ``[(i, j, arb), ...]`` computed at the current working precision (``prec`` is that
    precision, as for the builders).  Calling it gives the dense ``arb_mat``, so it is
    also a builder; :func:`symmetric_eigenvalue_clusters` uses the entries directly
    (floats, dyadic rounding) and builds the dense ball matrix only if its ball route
    runs.

    >>> from flint import arb
    >>> S = SparseBalls(2, lambda prec: [(0, 0, arb(2)), (1, 1, arb(3))])
    >>> [(str(e), m) for e, m in symmetric_eigenvalue_clusters(S, 5).clusters]
    [('[2, 2]', 1), ('[3, 3]', 1)]
    """

    def __init__(self, size: int, items: Callable[[int], list[tuple[int, int, arb]]]) -> None:
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise InvalidInputError(f"SparseBalls needs a nonnegative integer size, got {size!r}")
        if not callable(items):
            raise InvalidInputError(f"SparseBalls needs a function prec -> [(i, j, arb), ...], got {items!r}")
        self.size = size
        self._items = items

    def items(self, prec: int) -> list[tuple[int, int, arb]]:
        """The nonzero entries ``(i, j, ball)`` at the current working precision
        (checked: indices in ``range(size)``)."""
        got = list(self._items(prec))
        bad = next(((i, j) for i, j, _ in got if not (0 <= i < self.size and 0 <= j < self.size)), None)
        if bad is not None:
            raise InvalidInputError(f"SparseBalls of size {self.size} got an entry at {bad}, outside the matrix")
        return got

    def __call__(self, prec: int) -> arb_mat:
        T = arb_mat(self.size, self.size)
        for i, j, x in self.items(prec):
            T[i, j] = x
        return T

def _norm2_bound(X: arb_mat) -> Fraction:
    """Rigorous upper bound on ‖X‖₂ for every matrix in the ball matrix X."""
    m, n = X.nrows(), X.ncols()
    if not m or not n:
        return Fraction(0)
    # |X| entrywise (row-major, one C call instead of m·n element look-ups); its row and
    # column sums as ball products with all-ones vectors (arb's dot products, in C)
    absx = arb_mat(m, n, [abs(x) for x in X.entries()])
    rows = (absx * arb_mat(n, 1, [1] * n)).entries()
    cols = (arb_mat(1, m, [1] * m) * absx).entries()
    r = max(_upper(x) for x in rows)
    c = max(_upper(x) for x in cols)
    return sqrt_up(r * c)


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
    build = _builder(matrix)
    with working_precision(max(64, need + 16)):
        S = build(ctx.prec)
    n = S.nrows()
    if n != S.ncols():
        raise InvalidInputError(f"symmetric_eigenvalues needs a square matrix, got {n}x{S.ncols()}")
    if n == 0:
        return ()
    Sf = _floats(S, n)  # S's midpoints: the range test and the float eigenbasis
    e = _pow2_exponent(S, Sf)
    if e:  # entries far outside the float range: the problem scaled by 2^-e, exactly
        got = symmetric_eigenvalues(_scaled(build, -e), digits, relative=relative, max_float_n=max_float_n)
        f = Fraction(2) ** e
        return tuple(_rescaled(x, f) for x in got)
    if digits <= 12 and n <= max_float_n:
        quick = _weyl_ostrowski(S, digits, relative, Sf)
        if quick is not None:
            return quick
    return symmetric_eigenvalue_clusters(build, digits, relative=relative, size=n).eigenvalues


def _enc_ok(e: Enclosure, digits: int) -> bool:
    """Whether the enclosure pins about ``digits`` significant digits (or is a tiny
    interval around zero)."""
    if e.lo == e.hi:
        return True
    scale = max(abs(e.lo), abs(e.hi))
    tol = Fraction(10) / 10**digits
    return e.width <= scale * tol or (e.lo <= 0 <= e.hi and e.width <= tol)


def _weyl_ostrowski(S: arb_mat, digits: int, relative: bool, s_floats: Any = None) -> tuple[Enclosure, ...] | None:
    """The float-basis bound alone (no refinement), or None when it is too wide
    (``s_floats``: ``S``'s midpoints when already converted)."""
    Va, _ = _float_eigenbasis(_floats(S, S.nrows()) if s_floats is None else s_floats)
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
        Whether the float eigenbasis had to be refined.
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
    return matrix if callable(matrix) else (lambda prec: arb_matrix(matrix))


def symmetric_eigenvalue_clusters(
    matrix: Sequence[Sequence[Any]] | Callable[[int], arb_mat],
    digits: int = 10,
    *,
    gram: Sequence[Sequence[Any]] | Callable[[int], arb_mat] | None = None,
    zero_multiplicity: int | None = None,
    nonnegative: bool = False,
    relative: bool = True,
    max_bits: int = MAX_BITS,
    size: int | None = None,
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
    size
        The number of rows, when known beforehand: the balls are then built once, at the
        working precision, and also serve the first (64-bit) steps; without it they are
        built at 64 bits first to learn the size.

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
    if not isinstance(max_bits, int) or max_bits < 64:
        raise InvalidInputError(f"max_bits must be an integer >= 64, got {max_bits!r}")
    if size is not None and (not isinstance(size, int) or size < 0):
        raise InvalidInputError(f"size must be a nonnegative integer or None, got {size!r}")
    # the working precision: the target plus guard bits growing with log2(n)
    p0 = 64 if size is None else _working_bits(need, size, max_bits)
    a0 = _Balls(build_a, p0)  # built once at p0; sparse builders stay sparse until a dense matrix is needed
    g0 = None if build_g is None else _Balls(build_g, p0)
    n, nc = a0.shape
    if size is not None and n != size:
        raise InvalidInputError(f"size={size} was given, but the matrix has {n} rows")
    if n != nc or (g0 is not None and g0.shape != (n, n)):
        raise InvalidInputError(f"need a square matrix (and a Gram matrix of the same shape), got {n}x{nc}")
    if zero_multiplicity is not None and not 0 <= zero_multiplicity <= n:
        raise InvalidInputError(f"zero_multiplicity must be in [0, {n}], got {zero_multiplicity!r}")
    if n == 0:
        return EigenvalueClusters((), 0, False)
    Af = a0.floats()  # A's midpoints: the range test below and the float eigenbasis
    ea = _pow2_exponent(a0.dense, Af)
    eg = 0 if g0 is None else _pow2_exponent(g0.dense, g0.floats())
    if ea or eg:  # entries far outside the float range: solve A' = 2^-ea A, G' = 2^-eg G
        got = symmetric_eigenvalue_clusters(
            _scaled(build_a, -ea), digits, gram=None if build_g is None else _scaled(build_g, -eg),
            zero_multiplicity=zero_multiplicity, nonnegative=nonnegative, relative=relative,
            max_bits=max_bits, size=n,
        )
        f = Fraction(2) ** (ea - eg)  # λ(A, G) = 2^(ea - eg) λ(A', G'), exactly
        return EigenvalueClusters(
            tuple((_rescaled(x, f), m) for x, m in got.clusters), got.bits, got.refined
        )
    X, Xf = _float_eigenbasis(Af, None if g0 is None else g0.floats())  # Xf: X in floats (it only steers)
    prec = _working_bits(need, n, max_bits)
    if n > 1 and prec <= DYADIC_MAX_BITS:
        from .symmetric_dyadic import dyadic_clusters

        quick = dyadic_clusters(
            a0, g0, Af, Xf, digits, need, zero_multiplicity, nonnegative, relative, min(max_bits, DYADIC_MAX_BITS)
        )
        if quick is not None:
            return quick
    A0 = a0.dense()  # the ball route
    G0 = None if g0 is None else g0.dense()
    last: EigenvalueClusters | None = None
    refined = False
    # the float basis cannot certify more than ~53 bits (Ostrowski), so a first
    # refinement step is needed: taken from residuals at 64 bits (one-limb products,
    # several times cheaper than at the working precision), which puts the basis within
    # ~2^-60 of orthonormal; the steps at the working precision then start from there
    low = need > _FLOAT_BASIS_BITS and n > 1
    if low:
        with working_precision(64):
            Xt = X.transpose()
            try:
                X, Xf = _refine(X, Xt * (A0 * X), Xt * (X if G0 is None else G0 * X), Xf)
                refined = True
            except UndecidedError:  # a non-finite 64-bit residual: refine at the working precision
                low = False
    while True:
        with working_precision(prec):
            A = A0 if prec == p0 else build_a(prec)  # built once at each precision
            G = G0 if prec == p0 else (None if build_g is None else build_g(prec))
            prev: Fraction | None = None
            for step in range(_MAX_STEPS):
                Xt = X.transpose()
                B = Xt * (A * X)
                Gx = Xt * (X if G is None else G * X)
                # a float eigenbasis is orthonormal to ~2^-53 only, and one refined from
                # 64-bit residuals to ~2^-60, so by Ostrowski neither can certify a
                # relative accuracy finer than that: refine at the working precision first
                hopeless = step == 0 and need > _FLOAT_BASIS_BITS and n > 1 and (low or not refined)
                cert = None if hopeless else _weyl_ostrowski_intervals(B, Gx)
                if cert is not None:
                    intervals, f = cert
                    clusters, ok = _clusters(intervals, digits, need, zero_multiplicity, nonnegative, relative)
                    last = EigenvalueClusters(clusters, prec, refined)
                    if ok:
                        return last
                    if prev is not None and 4 * f > prev:  # stagnating: more precision needed
                        break
                    prev = f
                X, Xf = _refine(X, B, Gx, Xf)
                refined = True
                low = False
        if prec >= max_bits:
            break
        prec = min(2 * prec, max_bits)
    if last is None:
        raise UndecidedError(
            f"no certified eigenvalue enclosure within {max_bits} bits: the approximate eigenbasis "
            "is not close to orthonormal (is the Gram matrix positive definite?); use the float view"
        )
    return last


class _Balls:
    """A builder's matrix at one precision, built on demand: from a :class:`SparseBalls`
    its nonzero entries only (the dense ball matrix only when asked for), from any other
    builder the dense ball matrix."""

    def __init__(self, build: Callable[[int], arb_mat], prec: int) -> None:
        self.build, self.prec = build, prec
        self._dense: arb_mat | None = None
        self._items: list[tuple[int, int, arb]] | None = None
        with working_precision(prec):
            if isinstance(build, SparseBalls):
                self._items = build.items(prec)
                self.shape = (build.size, build.size)
            else:
                self._dense = build(prec)
                self.shape = (self._dense.nrows(), self._dense.ncols())

    def at(self, prec: int) -> _Balls:
        """The same matrix built at another precision (``self`` at its own)."""
        return self if prec == self.prec else _Balls(self.build, prec)

    def dense(self) -> arb_mat:
        """The dense ball matrix."""
        if self._dense is None:
            with working_precision(self.prec):
                self._dense = self.build(self.prec)
        return self._dense

    def floats(self) -> Any:
        """The midpoints as a float array."""
        import numpy as np

        n, m = self.shape
        if self._items is None:
            return _floats(self.dense(), n)
        out = np.zeros((n, m))
        for i, j, x in self._items:
            out[i, j] = float(x)
        return out

    def dyadic(self, e: int, beta: int) -> tuple[Any, Fraction]:
        """The midpoints rounded to the grid ``2^e`` and the bound on the 2-norm of the
        difference (:func:`~exactgeom.linalg.float_dyadic.arb_to_dyadic`)."""
        from .float_dyadic import arb_to_dyadic

        n, m = self.shape
        if self._items is not None:
            return arb_to_dyadic(self._items, n, m, e, beta)
        return arb_to_dyadic(
            [(k // m, k % m, x) for k, x in enumerate(self.dense().entries()) if not x.is_zero()], n, m, e, beta
        )


#: Working precisions (bits) up to which the exact dyadic route runs before the ball route.
DYADIC_MAX_BITS = 1024


#: Matrices whose largest entry is beyond 2^±this are scaled by a power of two before the
#: float eigendecomposition (their squares would leave the double range).
_SCALE_BITS = 256


def _pow2_exponent(M: arb_mat | Callable[[], arb_mat], floats: Any = None) -> int:
    """``e`` with ``2^-e·M`` of largest entry in ``[1/2, 1)`` when ``M``'s largest entry is
    beyond ``2^±_SCALE_BITS`` (so that floats hold the scaled matrix and its products),
    else 0 (no scaling: the usual path, unchanged).  ``floats``: ``M``'s midpoints as a
    float array when already converted (:func:`_floats`); when their largest magnitude
    lies well inside ``2^±_SCALE_BITS`` (each is its midpoint to a relative 2^-53) the
    answer is 0 without the exact pass over the entries.  ``M`` may be a function
    returning the matrix, called only when the exact pass runs."""
    import numpy as np

    def mat() -> arb_mat:
        return M if isinstance(M, arb_mat) else M()

    if floats is None:
        A = mat()
        floats = _floats(A, A.nrows()) if A.nrows() == A.ncols() else None
    if floats is not None and floats.size:
        with np.errstate(all="ignore"):
            big = float(np.max(np.abs(floats)))
        if math.isfinite(big) and 2.0 ** (6 - _SCALE_BITS) <= big <= 2.0 ** (_SCALE_BITS - 6):
            return 0
    top = None
    for x in mat().entries():
        m = x.mid()
        if m == 0:
            continue
        man, exp = m.man_exp()
        t = int(exp) + abs(int(man)).bit_length()
        top = t if top is None else max(top, t)
    return 0 if top is None or abs(top) <= _SCALE_BITS else top


def _scaled(build: Callable[[int], arb_mat], e: int) -> Callable[[int], arb_mat]:
    """The builder of ``2^e`` times the matrix (exact: a power of two)."""
    return lambda prec: build(prec) * (arb(2) ** e)


def _rescaled(x: Enclosure, f: Fraction) -> Enclosure:
    """``f·x`` (``f > 0``), rounded outward to ``x``'s digits like every enclosure here."""
    if x.lo == x.hi or x.digits is None:
        return Enclosure(x.lo * f, x.hi * f, x.digits)
    return _interval(x.lo * f, x.hi * f, x.digits)


def _working_bits(need: int, n: int, max_bits: int) -> int:
    """The first working precision: ``need`` plus guard bits growing with ``log₂ n``."""
    return min(max(64, need + 16 + n.bit_length()), max_bits)


#: Refinement steps per precision level (the iteration converges quadratically).
_MAX_STEPS = 6
#: Accuracy (bits) above which the unrefined float eigenbasis is not even tried.
_FLOAT_BASIS_BITS = 60


def _float_eigenbasis(a_floats: Any, g_floats: Any = None) -> tuple[arb_mat, Any]:
    """A float eigenbasis of the pencil given by the midpoints of ``A`` (and ``G``) as
    float arrays (exact dyadic entries), and the same as a numpy array; only a change
    of basis."""
    import numpy as np

    def dense(a: Any) -> Any:
        return (a + a.T) / 2

    # entries beyond the float range give inf/NaN here: detected below (UndecidedError,
    # and the caller's exact route takes over), so numpy's warnings are silenced
    try:
        with np.errstate(all="ignore"):
            if g_floats is None:
                _, V = np.linalg.eigh(dense(a_floats))
            else:  # G = L Lᵀ, eigenvectors U of L⁻¹ A L⁻ᵀ, X = L⁻ᵀ U (numpy only: no scipy import)
                L = np.linalg.cholesky(dense(g_floats))
                Li = np.linalg.inv(L)
                C = Li @ dense(a_floats) @ Li.T
                _, U = np.linalg.eigh((C + C.T) / 2)
                V = Li.T @ U
    except (np.linalg.LinAlgError, ValueError) as exc:
        raise UndecidedError(
            f"the float eigendecomposition that starts the certified route failed ({exc}); "
            "the Gram matrix may not be positive definite"
        ) from exc
    if not np.all(np.isfinite(V)):
        raise UndecidedError("the float eigendecomposition that starts the certified route is not finite")
    return arb_mat(V.tolist()), V


def _weyl_ostrowski_intervals(B: arb_mat, Gx: arb_mat) -> tuple[list[tuple[Fraction, Fraction]], Fraction] | None:
    """Per-index certified intervals (ascending) from ``B = XᵀAX`` and ``XᵀGX`` (balls),
    and the Weyl radius ``f``; ``None`` when ``‖XᵀGX − I‖₂`` is not certified ``< 1``."""
    n = B.nrows()
    eye, D = arb_mat(n, n), arb_mat(n, n)
    d = [B[i, i].mid() for i in range(n)]
    for i in range(n):
        eye[i, i] = 1
        D[i, i] = d[i]
    eps = _norm2_bound(Gx - eye)  # matrix differences in C: the same balls as entrywise
    if eps >= 1:
        return None
    f = _norm2_bound(B - D)
    return _ostrowski_intervals([arb_to_interval(x)[0] for x in d], [f] * n, eps), f  # midpoints are exact dyadics


def _ostrowski_intervals(d: Sequence[Fraction], radii: Sequence[Fraction], eps: Fraction) -> list[tuple[Fraction, Fraction]]:
    """Ascending intervals ``[d_k − r_k, d_k + r_k]`` (sorted by ``d``; each holds the
    eigenvalue of ``XᵀAX`` of its rank) divided by the Ostrowski factor range
    ``[1 − ε, 1 + ε]`` (``ε ≥ ‖XᵀGX − I‖₂ < 1``): the eigenvalues of the pencil."""
    out = []
    for dk, r in sorted(zip(d, radii), key=lambda t: t[0]):
        lo, hi = dk - r, dk + r
        lo = lo / (1 + eps) if lo >= 0 else lo / (1 - eps)
        hi = hi / (1 - eps) if hi >= 0 else hi / (1 + eps)
        out.append((lo, hi))
    return out


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


def _refine(X: arb_mat, B: arb_mat, Gx: arb_mat, Xf: Any) -> tuple[arb_mat, Any]:
    """One Ogita–Aishima step ``X ← X(I + E)`` towards ``XᵀAX`` diagonal and
    ``XᵀGX = I``.  Only the correction ``E`` is computed in floats, from the residuals
    ``S = XᵀAX`` and ``R = XᵀGX − I`` evaluated in ball arithmetic (their off-diagonal
    entries are tiny, so double precision holds them to full relative accuracy and
    ``E`` is accurate to about the square of the basis error); the update ``X + XE``
    is taken at the working precision.  It only steers the certified bound.  ``Xf``: ``X``
    in floats (to about one rounding per step), updated alongside and returned with the
    new ``X``, so that ``X``'s entries are not converted to floats one by one again."""
    import numpy as np

    n = X.nrows()
    eye = arb_mat(n, n)
    for i in range(n):
        eye[i, i] = 1
    S = _floats(B.mid(), n)
    R = _floats((Gx - eye).mid(), n)  # XᵀGX − I: its entries are small, kept accurately
    E = _correction(S, R)
    XfE = Xf @ E
    if float(np.max(np.abs(E))) * (n + 2) <= 2.0 ** (53 - ctx.prec):
        # the correction XE is ~|E| relative to X: in doubles (BLAS) its error, ~n·2^-53·|E|
        # (Xf is X to about an ulp), is below the working precision's rounding of X + XE,
        # so no ball product is needed
        XE = arb_mat(XfE.tolist())
    else:
        XE = X * arb_mat(E.tolist())
    return (X + XE).mid(), Xf + XfE


def _correction(S: Any, R: Any) -> Any:
    """The Ogita–Aishima correction ``E`` (floats) from ``S ≈ XᵀAX`` and ``R ≈ XᵀGX − I``
    (floats, accurate relative to their own entries): ``X(I + E)`` is the better basis."""
    import numpy as np

    lam = np.diag(S) / (1 + np.diag(R))
    offd = S - np.diag(np.diag(S))
    off = math.sqrt(float(np.sum(offd * offd)))
    rn = math.sqrt(float(np.sum(R * R)))
    delta = 2 * (off + float(np.max(np.abs(lam))) * rn)
    diff = lam[None, :] - lam[:, None]  # λ_j − λ_i
    far = np.abs(diff) > delta
    np.fill_diagonal(far, False)
    with np.errstate(divide="ignore", invalid="ignore"):
        E = np.where(far, (S - lam[None, :] * R) / np.where(far, diff, 1), -R / 2)
    if not np.all(np.isfinite(E)):
        raise UndecidedError("the refinement of the eigenbasis is not finite; use the float view")
    return E


def _floats(M: arb_mat, n: int) -> Any:
    """The (midpoint) entries of an n×n ball matrix as a float array."""
    import numpy as np

    return np.fromiter(map(float, M.entries()), dtype=float, count=n * n).reshape(n, n)
