"""The one adapter between exactgeom and pycddlib's exact (GMP) module ``cdd.gmp``.

Everything crossing this boundary is plain Fractions and 0-based indices; cddlib's
conventions (row format ``[b, -A]`` for ``A x <= b``, the hidden extra incidence entry,
arbitrary generator order, homogeneous cones without an origin, LP status names) are
translated here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import wraps
from itertools import chain
from operator import attrgetter, truediv

import cdd
import cdd.gmp as _g

from ...errors import BackendError
from ...numbers.rational import unlimited_int_str_digits

__all__ = ["VRep", "h_to_v", "v_to_h", "LPResult", "lp_solve"]

Vec = tuple[Fraction, ...]

_NUM = attrgetter("_numerator")
_DEN = attrgetter("_denominator")


@dataclass(frozen=True)
class VRep:
    """Generators of a polyhedron and their incidences with the input rows.

    ``points`` are sorted lexicographically; ``incidence[k]`` is a bitmask over the
    generators in the order points, rays, lines, of those tight at input row k
    (inequalities first, then equalities).
    """

    points: tuple[Vec, ...]
    rays: tuple[Vec, ...]
    lines: tuple[Vec, ...]
    incidence: tuple[int, ...]


def _big_numbers(fn: Callable) -> Callable:
    """pycddlib converts numbers between Python and GMP through decimal strings, both
    ways, so numbers beyond Python's 4,300-digit int/str limit raise ``ValueError`` (seen
    on exact Ollivier-Ricci LPs): lift the limit while the wrapped call runs."""

    @wraps(fn)
    def call(*args, **kwargs):  # type: ignore[no-untyped-def]
        with unlimited_int_str_digits():
            return fn(*args, **kwargs)

    return call


def _matrix(rows: list[list[Fraction]], lin: set[int], rep: cdd.RepType) -> _g.Matrix:
    try:
        return _g.matrix_from_array(rows, lin_set=lin, rep_type=rep)
    except (AttributeError, TypeError, ValueError) as exc:  # pragma: no cover - guarded by callers
        raise BackendError(f"cddlib rejected the matrix: {exc}") from exc


def _neg(x: Fraction) -> Fraction | int:
    """``-x`` for cddlib's input rows: a plain int when ``x`` is integral (cheaper to
    build and to read for cddlib), else the negated Fraction."""
    if type(x) is Fraction and x._denominator == 1:
        return -x._numerator
    return -x


def _sort_points(pts: list[tuple[int, Vec]]) -> None:
    """Sort ``(index, point)`` pairs lexicographically by the exact point, in place.

    The key interleaves each coordinate's correctly rounded float with the Fraction
    itself: rounding is monotone, so unequal floats order their rationals correctly and
    equal floats fall through to the exact comparison. Most comparisons are then float
    comparisons in C."""
    try:
        # ``_numerator``/``_denominator`` are the slots of ``fractions.Fraction`` (read in C,
        # unlike the properties); any other rational type falls back to exact keys
        pts.sort(key=lambda kv: tuple(chain.from_iterable(zip(map(truediv, map(_NUM, kv[1]), map(_DEN, kv[1])), kv[1]))))
    except (OverflowError, AttributeError):  # beyond the float range, or not a Fraction: exact keys only
        pts.sort(key=lambda kv: kv[1])


@_big_numbers
def h_to_v(
    A: Sequence[Vec], b: Sequence[Fraction], E: Sequence[Vec], f: Sequence[Fraction], n: int
) -> VRep:
    """Convert ``{x : A x <= b, E x = f}`` (rational, ``n`` variables) to generators."""
    rows = [[bi, *map(_neg, ai)] for ai, bi in zip(A, b)]
    rows += [[fi, *map(_neg, ei)] for ei, fi in zip(E, f)]
    m = len(rows)
    if m == 0:
        # the whole space: a point and n lines
        z = tuple(Fraction(0) for _ in range(n))
        lines = tuple(tuple(Fraction(int(i == j)) for j in range(n)) for i in range(n))
        return VRep((z,), (), lines, ())
    lin = set(range(len(A), m))
    try:
        poly = _g.polyhedron_from_matrix(_matrix(rows, lin, cdd.RepType.INEQUALITY))
        gens = _g.copy_generators(poly)
        inc = _g.copy_input_incidence(poly)[:m]
    except BackendError:
        raise
    except Exception as exc:  # pragma: no cover
        raise BackendError(f"cddlib failed on an H-representation with {m} rows in R^{n}: {exc}") from exc
    arr = gens.array
    glin = gens.lin_set
    pts: list[tuple[int, Vec]] = []
    rays: list[tuple[int, Vec]] = []
    lines: list[tuple[int, Vec]] = []
    for k, r in enumerate(arr):
        t = r[0]  # cdd.gmp returns Fractions already
        v = tuple(r[1:])
        if glin and k in glin:
            lines.append((k, v))
        elif t == 1:
            pts.append((k, v))
        elif t != 0:
            t = Fraction(t)
            pts.append((k, tuple(x / t for x in v)))
        else:
            rays.append((k, v))
    extra_origin = False
    if arr and not pts:
        extra_origin = True  # homogeneous cone: cddlib omits the apex
    _sort_points(pts)
    order = [k for k, _ in pts] + [k for k, _ in rays] + [k for k, _ in lines]
    if extra_origin:
        order = [-1] + order
    bit = {k: 1 << i for i, k in enumerate(order)}
    get = bit.get
    incidence = []
    for row_idx, s in enumerate(inc):
        mask = sum(get(k, 0) for k in s)  # distinct powers of two: the sum is the union
        if extra_origin and rows[row_idx][0] == 0:
            mask |= 1
        incidence.append(mask)
    points = tuple(v for _, v in pts)
    if extra_origin:
        points = (tuple(Fraction(0) for _ in range(n)),) + points
    return VRep(points, tuple(v for _, v in rays), tuple(v for _, v in lines), tuple(incidence))


@_big_numbers
def v_to_h(
    points: Sequence[Vec], rays: Sequence[Vec], n: int
) -> tuple[list[tuple[Vec, Fraction]], list[tuple[Vec, Fraction]]]:
    """Convert generators to ``(inequalities, equalities)``, each a list of ``(a, b)``
    meaning ``a·x <= b`` resp. ``a·x = b``."""
    rows = [[Fraction(1), *p] for p in points] + [[Fraction(0), *r] for r in rays]
    try:
        poly = _g.polyhedron_from_matrix(_matrix(rows, set(), cdd.RepType.GENERATOR))
        H = _g.copy_inequalities(poly)
    except BackendError:
        raise
    except Exception as exc:  # pragma: no cover
        raise BackendError(f"cddlib failed on a V-representation with {len(rows)} generators: {exc}") from exc
    ineq, eq = [], []
    for k, r in enumerate(H.array):
        a = tuple(-Fraction(x) for x in r[1:])
        bb = Fraction(r[0])
        (eq if k in H.lin_set else ineq).append((a, bb))
    return ineq, eq


@dataclass(frozen=True)
class LPResult:
    """Outcome of an exact LP: ``status`` is ``"optimal"``, ``"infeasible"`` or
    ``"unbounded"``; ``x`` and ``value`` are set when optimal; ``dual`` maps constraint
    index (0-based, inequality rows first) to its multiplier."""

    status: str
    value: Fraction | None
    x: Vec | None
    dual: dict[int, Fraction]


@_big_numbers
def lp_solve(
    c: Sequence[Fraction],
    A: Sequence[Vec],
    b: Sequence[Fraction],
    E: Sequence[Vec] = (),
    f: Sequence[Fraction] = (),
    *,
    maximize: bool = True,
) -> LPResult:
    """Solve ``max/min c·x s.t. A x <= b, E x = f`` exactly with cddlib's LP solver."""
    n = len(c)
    rows = [[bi, *(-a for a in ai)] for ai, bi in zip(A, b)]
    for ei, fi in zip(E, f):
        rows.append([fi, *(-e for e in ei)])
        rows.append([-fi, *ei])
    if not rows:
        rows = [[Fraction(0)] + [Fraction(0)] * n]
    rows.append([Fraction(0), *c])
    try:
        lp = _g.linprog_from_array(
            rows, obj_type=cdd.LPObjType.MAX if maximize else cdd.LPObjType.MIN
        )
        _g.linprog_solve(lp)
    except Exception as exc:  # pragma: no cover
        raise BackendError(f"cddlib LP failed: {exc}") from exc
    st = cdd.LPStatusType(lp.status)
    if st == cdd.LPStatusType.OPTIMAL:
        dual = {int(i): Fraction(v) for i, v in lp.dual_solution}
        return LPResult(
            "optimal", Fraction(lp.obj_value), tuple(Fraction(x) for x in lp.primal_solution), dual
        )
    if st == cdd.LPStatusType.INCONSISTENT:
        return LPResult("infeasible", None, None, {})
    if st in (cdd.LPStatusType.DUAL_INCONSISTENT, cdd.LPStatusType.STRUC_DUAL_INCONSISTENT):
        # cdd reports an unbounded primal as dual-inconsistent; it may also be infeasible:
        # decide feasibility with a zero objective.
        if any(ci != 0 for ci in c):
            feas = lp_solve([Fraction(0)] * n, A, b, E, f, maximize=True)
            if feas.status == "infeasible":
                return feas
        return LPResult("unbounded", None, None, {})
    raise BackendError(f"cddlib LP ended with status {st.name}")  # pragma: no cover
