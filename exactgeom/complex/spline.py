"""Simplicial smoothing splines on the complex.

Given per-cell targets ``y``, weights ``W`` (diagonal, ``≥ 0``) and ``λ ≥ 0``, the spline
values ``f`` minimise ``(f − y)ᵀ W (f − y) + λ fᵀ B_1 M_1 B_1ᵀ f``, i.e. solve the normal
equations ``(W + λ B_1 M_1 B_1ᵀ) f = W y``. ``M_1`` is the complex's edge Gram matrix
(or the two-point-flux weights). The solve is exact when the system is rational
(python-flint), exact over a small multiquadratic field when the surd entries have
few radicands, and certified (arb balls) otherwise. ``λ = 0`` reproduces ``y`` where
``W > 0``; as ``λ → ∞`` the values tend to the W-weighted mean of ``y`` on each
connected component (of the graph of edges with nonzero weight).

The predictor
-------------
Each cell gets a position: its centroid (``positions="centroid"``, default) or the
mean of its data points (``"data_mean"``; cells without data keep the centroid). A
simplex of the complex whose vertex positions are affinely independent is realised
geometrically as the convex hull of those positions. The prediction at ``x``:

1. among the realised simplices of dimension ≥ 1 that contain ``x`` take those of the
   highest dimension, and among them the lexicographically smallest index tuple;
   the value is ``Σ β_k f_{v_k}`` with the exact barycentric coordinates ``β`` of ``x``;
2. if no realised simplex contains ``x``: the value of the nearest position (exact
   squared distances; ties → lowest cell index).

The predictor is continuous where the realised simplices form an embedded complex
(e.g. the facet convention of a Voronoi partition in general position, whose complex
is the Delaunay triangulation); it is exact (or certified) at every point.

>>> from fractions import Fraction as F
>>> from exactgeom.complex.sparse import ExactMatrix
>>> B1 = ExactMatrix.from_rows([[-1], [1]]); M1 = ExactMatrix.diagonal([1])
>>> solve_spline(B1, M1, [F(1), F(1)], [F(0), F(2)], F(1)).values
(Fraction(2, 3), Fraction(4, 3))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from ..errors import DegenerateError, InvalidInputError, UndecidedError
from ..linalg import rational as la
from ..linalg.certified import ball, refine_solve
from ..linalg.certified import solve as certified_solve
from ..numbers._compat import deprecated_alias
from ..numbers.ball import Enclosure
from ..numbers.rational import PolicyLike, as_rational, as_rational_vector, short_str
from .field import FieldTooLargeError
from .sparse import ExactMatrix, exact_value

if TYPE_CHECKING:  # pragma: no cover
    from .complex import RiemannianComplex

__all__ = [
    "SplineFit",
    "Interpolator",
    "solve_spline",
    "spline_float",
    "constrained_spline_float",
    "ConstrainedFit",
    "ROUTES",
    "SPLINE_METHODS",
]

Vec = tuple[Fraction, ...]
DENSE_CERTIFIED_MAX = 300
SPLINE_METHODS = ("auto", "certified", "float")
POSITIONS = ("centroid", "data_mean")


def _dot(a: Sequence[Any], b: Sequence[Any]) -> Any:
    return sum((x * y for x, y in zip(a, b)), Fraction(0))


@dataclass(frozen=True)
class _Realised:
    simplex: tuple[int, ...]
    base: Vec
    U: tuple[Vec, ...]  # rows: position_k − base, k = 1..p
    Ginv: tuple[tuple[Fraction, ...], ...]
    lo: Vec
    hi: Vec


class Interpolator:
    """Piecewise-linear interpolation over the realised simplices (module docstring)."""

    def __init__(self, positions: Sequence[Vec], simplices: Sequence[Sequence[tuple[int, ...]]]) -> None:
        self.positions = tuple(tuple(p) for p in positions)
        n = len(self.positions[0]) if self.positions else 0
        self.n = n
        realised: list[_Realised] = []
        for p in range(len(simplices) - 1, 0, -1):
            if p > n:
                continue
            for s in simplices[p]:
                base = self.positions[s[0]]
                U = tuple(tuple(a - b for a, b in zip(self.positions[v], base)) for v in s[1:])
                G = [[_dot(u, w) for w in U] for u in U]
                if la.det(G) == 0:
                    continue
                pts = [self.positions[v] for v in s]
                lo = tuple(min(q[j] for q in pts) for j in range(n))
                hi = tuple(max(q[j] for q in pts) for j in range(n))
                realised.append(_Realised(tuple(s), base, U, la.inverse(G), lo, hi))
        realised.sort(key=lambda r: (-len(r.simplex), r.simplex))
        self.realised = tuple(realised)

    def locate(self, x: Vec) -> tuple[tuple[int, ...], tuple[Fraction, ...]]:
        """``(vertices, barycentric coordinates)`` used for the prediction at x."""
        for r in self.realised:
            if any(xj < l or xj > h for xj, l, h in zip(x, r.lo, r.hi)):
                continue
            d = tuple(a - b for a, b in zip(x, r.base))
            rhs = [_dot(u, d) for u in r.U]
            lam = [_dot(row, rhs) for row in r.Ginv]
            recon = tuple(sum((l * u[j] for l, u in zip(lam, r.U)), Fraction(0)) for j in range(self.n))
            if recon != d:
                continue  # x is off the simplex's affine hull
            b0 = 1 - sum(lam, Fraction(0))
            bary = (b0, *lam)
            if all(b >= 0 for b in bary):
                return r.simplex, tuple(bary)
        best = min(
            range(len(self.positions)),
            key=lambda i: (sum(((a - b) ** 2 for a, b in zip(x, self.positions[i])), Fraction(0)), i),
        )
        return (best,), (Fraction(1),)


ROUTES = ("exact", "certified", "float")


@dataclass(frozen=True)
class SplineFit:
    """A fitted simplicial spline.

    Which numbers you get depends on the route the solve took (``route``):

    ========== ===================================== ==============================
    route      ``values`` (always available)         ``enclosures``
    ========== ===================================== ==============================
    exact      the exact values (Fractions, or surd  exact points ``[v, v]``
               sums over a small multiquadratic
               field)
    certified  midpoints of the certified            certified intervals: each true
               enclosures (Fractions, NOT exact;     value lies in ``[lo, hi]``
               ``bounds`` / ``enclosures`` bound
               the error)
    float      floats (scipy sparse solve,           None (nothing is certified)
               ``method="float"``)
    ========== ===================================== ==============================

    Attributes
    ----------
    lam, y, weights
        The data of the fit (exact; floats on the float route).
    values : tuple
        One value per cell, as in the table above.
    enclosures : tuple of Enclosure, or None
        Certified values per cell (None on the float route).
    exact : bool
        ``route == "exact"``.
    method : str
        The solver used, in words (e.g. ``"exact (flint)"``, ``"certified (arb)"``).
    route : {"exact", "certified", "float"}

    Examples
    --------
    >>> from exactgeom import arrangement
    >>> from exactgeom.complex import RiemannianComplex
    >>> K = RiemannianComplex.from_partition(arrangement([[1, 0]], [0], [(-1, 1), (0, 1)]))
    >>> fit = K.spline([0, 2], 1, method="certified", digits=6)
    >>> fit.route, fit.values[0] in fit.enclosures[0], str(fit.enclosures[0])
    ('certified', True, '[0.666666, 0.666667]')
    >>> [str(e) for e in fit.predict([["-1/2", "1/2"], ["1/2", "1/2"]])]   # certified route: Enclosures
    ['[0.666666, 0.666667]', '[1.33333, 1.33334]']
    """

    lam: Any
    y: tuple[Any, ...]
    weights: tuple[Any, ...]
    values: tuple[Any, ...]
    enclosures: tuple[Enclosure, ...] | None
    exact: bool
    method: str
    interpolator: Interpolator | None = field(default=None, repr=False, compare=False)
    route: str = "exact"

    @property
    def bounds(self) -> tuple[tuple[Fraction, Fraction], ...] | None:
        """``(lo, hi)`` per cell: certified bounds of the true values (``lo == hi`` on the
        exact route for rational values; None on the float route)."""
        if self.enclosures is None:
            return None
        return tuple((e.lo, e.hi) for e in self.enclosures)

    def predict(self, X: Any, *, policy: PolicyLike | None = None) -> Any:
        """The predictor (module docstring) at one point or at many points.

        Parameters
        ----------
        X : a point, or a sequence of points / 2-D array
            A single point (a sequence of ``n`` numbers, or a 1-D array) gives one value;
            a sequence of points (or a 2-D array, one point per row) gives a tuple of
            values, one per point. Coordinates are exact (int, Fraction, ``"p/q"``);
            floats are accepted only with a ``policy``.
        policy : float policy, optional
            How float coordinates become rationals (``"exact"`` or
            ``"limit_denominator(N)"``, see :class:`exactgeom.FloatPolicy`); ``None``
            refuses floats. Point location is always exact.

        Returns
        -------
        An exact value on the exact route, an :class:`Enclosure` on the certified
        route, a float on the float route (a tuple of them for many points).

        Examples
        --------
        >>> from exactgeom import arrangement
        >>> from exactgeom.complex import RiemannianComplex
        >>> fit = RiemannianComplex.from_partition(arrangement([[1, 0]], [0], [(-1, 1), (0, 1)])).spline([0, 2], 1)
        >>> fit.predict(["1/4", "1/2"]), fit.predict([[0, "1/2"], ["-1/2", "1/2"]])
        (Fraction(7, 6), (Fraction(1, 1), Fraction(2, 3)))
        >>> fit.predict([0.25, 0.5], policy="exact")
        Fraction(7, 6)
        """
        from ..numbers.rational import as_rational_matrix

        if self.interpolator is None:
            raise DegenerateError("this fit carries no interpolator")
        n = self.interpolator.n
        batch = _is_batch(X)
        rows = X if batch else [X]
        pts = as_rational_matrix(rows, policy, name="X" if batch else "x", ncols=n)
        out = tuple(self._at(self.interpolator.locate(x)) for x in pts)
        return out if batch else out[0]

    def _at(self, loc: tuple[tuple[int, ...], tuple[Fraction, ...]]) -> Any:
        verts, bary = loc
        if self.route == "exact":
            return exact_value(sum((b * self.values[v] for v, b in zip(verts, bary)), Fraction(0)))
        if self.route == "float":
            return float(sum(float(b) * float(self.values[v]) for v, b in zip(verts, bary)))
        assert self.enclosures is not None
        lo = sum((b * self.enclosures[v].lo for v, b in zip(verts, bary)), Fraction(0))
        hi = sum((b * self.enclosures[v].hi for v, b in zip(verts, bary)), Fraction(0))
        return Enclosure(lo, hi, self.enclosures[0].digits if self.enclosures else None)

    def values_float(self) -> list[float]:
        """FLOAT view of the values (midpoints of the certified enclosures on the
        certified route); the float counterpart of :attr:`values`, spelled
        ``<name>_float`` like ``spectrum_float``."""
        return [float(v) for v in self.values]

    float_values = deprecated_alias("values_float", "float_values")


def _is_batch(X: Any) -> bool:
    """A 2-D array, or a sequence whose first entry is itself a sequence, is many points."""
    ndim = getattr(X, "ndim", None)
    if ndim is not None:
        return int(ndim) >= 2
    if isinstance(X, (str, bytes)) or not hasattr(X, "__len__"):
        return False
    if len(X) == 0:
        return True
    first = X[0]
    return not isinstance(first, (str, bytes)) and (hasattr(first, "__len__") or getattr(first, "ndim", 0) >= 1)


def _certified_fit(lam: Fraction, y: Sequence[Fraction], W: Sequence[Fraction], encs: tuple[Enclosure, ...], method: str,
                   interpolator: Interpolator | None) -> SplineFit:
    mids = tuple(e.mid for e in encs)
    return SplineFit(lam, tuple(y), tuple(W), mids, encs, False, method, interpolator, "certified")


def _system(B1: ExactMatrix, M1: ExactMatrix, W: Sequence[Fraction], lam: Fraction) -> ExactMatrix:
    L = B1 @ M1 @ B1.T
    return ExactMatrix.diagonal(list(W)) + L.scale(lam)


def vertex_positions(K: RiemannianComplex, kind: str = "centroid") -> tuple[tuple[Fraction, ...], ...]:
    """The body of :meth:`RiemannianComplex.positions
    <exactgeom.complex.complex.RiemannianComplex.positions>`: cell centroids, or data
    means (cells without data keep their centroid)."""
    if kind not in POSITIONS:
        raise InvalidInputError(f"unknown positions {kind!r}; use one of {POSITIONS}")
    if kind == "centroid":
        return tuple(c.centroid() for c in K._partition.cells)
    if K._points is None:
        raise InvalidInputError("positions='data_mean' needs data points")
    acc: dict[int, list[Any]] = {}
    assert K._cells_of_points is not None and K._weights is not None
    for x, c, w in zip(K._points, K._cells_of_points, K._weights):
        if w == 0:
            continue
        a = acc.setdefault(c, [Fraction(0), [Fraction(0)] * K.ambient_dim])
        a[0] += w
        a[1] = [s + w * xj for s, xj in zip(a[1], x)]
    cells = K._partition.cells  # centroids (vertex-based) only for cells without data
    return tuple(tuple(v / acc[i][0] for v in acc[i][1]) if i in acc else cells[i].centroid() for i in range(K.n_cells))


def spline_inputs(K: RiemannianComplex, y: Any, weights: Any, lam: Any, policy: PolicyLike | None) -> tuple[Any, Any, Fraction]:
    """Check and read the targets ``y``, the weights (default: the complex's data mass,
    else its cell volumes) and ``λ`` of a spline on the cells of ``K``."""
    m = K.n_cells
    yv = as_rational_vector(y, policy, name="y")
    if len(yv) != m:
        raise InvalidInputError(f"y has length {len(yv)} but the complex has {m} cells; give one target per cell")
    if weights is None:
        mass = K.data_mass()
        W = mass if mass is not None else tuple(c.volume() for c in K._partition.cells)
    else:
        W = as_rational_vector(weights, policy, name="weights")
        if len(W) != m:
            raise InvalidInputError(f"weights has length {len(W)} but the complex has {m} cells")
        if any(w < 0 for w in W):
            raise InvalidInputError("spline weights must be non-negative")
    lv = as_rational(lam, policy, name="lam")
    if lv < 0:
        raise InvalidInputError(f"lam must be >= 0, got {short_str(lv)}")
    return yv, W, lv


def solve_spline(
    B1: ExactMatrix,
    M1: ExactMatrix,
    W: Sequence[Fraction],
    y: Sequence[Fraction],
    lam: Fraction,
    *,
    digits: int = 15,
    method: str = "auto",
    interpolator: Interpolator | None = None,
) -> SplineFit:
    """Solve ``(W + λ B_1 M_1 B_1ᵀ) f = W y`` (module docstring). ``method``: ``"auto"``
    (exact when possible, else certified), ``"certified"``, or ``"float"`` (scipy sparse
    floats; the fit's route is then ``"float"``)."""
    if method not in SPLINE_METHODS:
        raise InvalidInputError(f"unknown spline method {method!r}; use one of {SPLINE_METHODS}")
    if not isinstance(digits, int) or isinstance(digits, bool) or digits < 1:  # also on the exact route
        raise InvalidInputError(f"digits must be a positive integer, got {short_str(digits)}")
    if method == "float":
        vals = spline_float(B1.to_scipy_float(), M1.to_scipy_float(), [float(w) for w in W], [float(v) for v in y], float(lam))
        return SplineFit(lam, tuple(y), tuple(W), tuple(float(v) for v in vals), None, False, "float (scipy spsolve)",
                         interpolator, "float")
    m = len(W)
    A = _system(B1, M1, W, lam)
    rhs = [w * v for w, v in zip(W, y)]
    _singular_msg = (
        "the spline system is singular: some connected component of the complex (through edges "
        "of nonzero weight) has zero total weight W, or λ = 0 with a zero weight; give positive "
        "weights there"
    )
    if method == "auto" and A.is_rational:
        try:
            vals = A.solve(rhs)
        except DegenerateError:
            raise DegenerateError(_singular_msg) from None
        return SplineFit(lam, tuple(y), tuple(W), vals, tuple(Enclosure(v, v, digits) for v in vals), True, "exact (flint)", interpolator)
    if method == "auto":
        try:
            vals = A.solve(rhs)
            encs = tuple(_enc(v, digits) for v in vals)
            return SplineFit(lam, tuple(y), tuple(W), vals, encs, True, "exact (multiquadratic field)", interpolator)
        except FieldTooLargeError:
            pass
        except DegenerateError:
            raise DegenerateError(_singular_msg) from None
    minw = min(W) if W else Fraction(0)
    if m > DENSE_CERTIFIED_MAX and minw > 0:
        import scipy.sparse.linalg as spla

        Af = A.to_scipy_float().tocsc()
        lu = spla.splu(Af)
        rows = A.rows_dict()

        def mv(x: list[Any]) -> list[Any]:
            return [sum((ball(v) * x[j] for j, v in r.items()), ball(0)) for r in rows]

        encs = refine_solve(mv, lu.solve, rhs, 1 / minw, digits)
        return _certified_fit(lam, y, W, encs, "certified (iterative refinement)", interpolator)
    try:
        encs = certified_solve(lambda prec: A.arb_mat(), rhs, digits)
    except (UndecidedError, DegenerateError) as exc:
        raise DegenerateError(_singular_msg + f" ({exc})") from None
    return _certified_fit(lam, y, W, encs, "certified (arb)", interpolator)


def _enc(v: Any, digits: int) -> Enclosure:
    if isinstance(v, Fraction):
        return Enclosure(v, v, digits)
    enc: Enclosure = v.enclose(digits)
    return enc


def spline_float(B1: Any, M1: Any, W: Any, y: Any, lam: float) -> Any:
    """FLOAT path: the same normal equations with scipy sparse floats."""
    import numpy as np
    import scipy.sparse as sp
    import scipy.sparse.linalg as spla

    B = B1 if sp.issparse(B1) else sp.csr_matrix(B1)
    M = M1 if sp.issparse(M1) else sp.csr_matrix(M1)
    A = sp.diags(np.asarray(W, float)) + lam * (B @ M @ B.T)
    return spla.spsolve(sp.csc_matrix(A), np.asarray(W, float) * np.asarray(y, float))


@dataclass(frozen=True)
class ConstrainedFit:
    """A constrained spline fit (FLOAT, cvxpy).

    ``values`` are floats; ``constraints_active`` is decided on the exact unconstrained
    fit (None when undecided); when inactive, ``max_abs_diff`` compares the float
    result with the exact unconstrained fit.
    """

    values: Any
    status: str
    constraints_active: bool | None
    max_abs_diff: float | None
    exact_fit: SplineFit


def constrained_spline_float(
    exact_fit: SplineFit,
    B1: ExactMatrix,
    M1: ExactMatrix,
    positions: Sequence[Vec],
    edges: Sequence[tuple[int, int]],
    lower: Any = None,
    upper: Any = None,
    monotone: Any = None,
    solver: str | None = None,
) -> ConstrainedFit:
    """Spline with bounds ``lower ≤ f ≤ upper`` and/or monotonicity along a direction
    ``v`` (``f_j ≥ f_i`` on every edge with ``v·(pos_j − pos_i) > 0``), solved in floats
    by cvxpy (``solver``: a cvxpy solver name, default CLARABEL), cross-checked against
    the exact unconstrained ``exact_fit``."""
    import cvxpy
    import numpy as np

    cp: Any = cvxpy  # its atoms (cp.sum, cp.square, ...) are re-exported by star imports mypy cannot see

    from ..numbers.rational import as_rational_vector

    m = len(exact_fit.y)
    lo = _bound(lower, m, "lower")
    hi = _bound(upper, m, "upper")
    mono_pairs: list[tuple[int, int]] = []
    if monotone is not None:
        v = as_rational_vector(monotone, name="monotone", length=len(positions[0]) if positions else None)
        for i, j in edges:
            s = _dot(v, tuple(b - a for a, b in zip(positions[i], positions[j])))
            if s > 0:
                mono_pairs.append((i, j))
            elif s < 0:
                mono_pairs.append((j, i))
    # exact (or certified) activity check on the unconstrained fit
    if exact_fit.enclosures is None:
        raise InvalidInputError("constrained_spline_float needs an exact or certified fit, not a float-route fit")
    vals_x: Sequence[Any] = exact_fit.values if exact_fit.route == "exact" else exact_fit.enclosures
    checks: list[bool | None] = []
    for i in range(m):
        if lo is not None:
            checks.append(_ge(vals_x[i], lo[i]))
        if hi is not None:
            checks.append(_ge(hi[i], vals_x[i]))
    for i, j in mono_pairs:
        checks.append(_ge(vals_x[j], vals_x[i]))
    active: bool | None = True if False in checks else (None if None in checks else False)
    W = np.array([float(w) for w in exact_fit.weights])
    y = np.array([float(v) for v in exact_fit.y])
    Bf = B1.to_scipy_float()
    Mf = M1.to_scipy_float().toarray()
    wv, V = np.linalg.eigh((Mf + Mf.T) / 2) if Mf.size else (np.zeros(0), np.zeros((0, 0)))
    R = (V * np.sqrt(np.clip(wv, 0, None))).T
    f = cp.Variable(m)
    obj = cp.sum(cp.multiply(W, cp.square(f - y)))
    if Mf.size:
        obj = obj + float(exact_fit.lam) * cp.sum_squares(R @ (Bf.T @ f))
    cons = []
    if lo is not None:
        cons.append(f >= np.array([float(v) for v in lo]))
    if hi is not None:
        cons.append(f <= np.array([float(v) for v in hi]))
    for i, j in mono_pairs:
        cons.append(f[j] >= f[i])
    prob = cp.Problem(cp.Minimize(obj), cons)
    if solver is None:
        solver = "CLARABEL" if "CLARABEL" in cp.installed_solvers() else None
    prob.solve(solver=solver)
    vals = np.asarray(f.value, float)
    diff = None
    if active is False:
        ref = np.array([float(e.mid) for e in exact_fit.enclosures])
        diff = float(np.max(np.abs(vals - ref))) if m else 0.0
    return ConstrainedFit(vals, str(prob.status), active, diff, exact_fit)


def _ge(a: Any, b: Any) -> bool | None:
    """Certified ``a ≥ b`` for exact values or Enclosures (None when undecided)."""

    if isinstance(a, Enclosure) or isinstance(b, Enclosure):
        ea = a if isinstance(a, Enclosure) else Enclosure(a, a) if isinstance(a, Fraction) else a.enclose(30)
        eb = b if isinstance(b, Enclosure) else Enclosure(b, b) if isinstance(b, Fraction) else b.enclose(30)
        if ea.lo >= eb.hi:
            return True
        if ea.hi < eb.lo:
            return False
        return None
    try:
        return bool(a >= b)
    except UndecidedError:
        return None


def _bound(b: Any, m: int, name: str) -> tuple[Fraction, ...] | None:
    from ..numbers.rational import as_rational, as_rational_vector

    if b is None:
        return None
    if isinstance(b, (list, tuple)) or (hasattr(b, "__len__") and not isinstance(b, str)):
        return as_rational_vector(b, name=name, length=m)
    return tuple([as_rational(b, name=name)] * m)
