"""Class labels of cells on which a model's output is affine (ReLU networks).

The output ``f(x) = J x + c`` of a ReLU network is affine on each of its cells, so the
class the network predicts at a point, and whether that class is the same on the whole
cell, are decided exactly from the cell's vertices.

**The class at a point** (the tie rule):

* scalar output: class ``1`` if ``f(x) > 0``, class ``0`` if ``f(x) ≤ 0`` (an exact zero
  goes to class 0, as ``logit > 0`` does in float code);
* vector output: the argmax, ties to the **lowest** index (as ``numpy.argmax`` and
  ``torch.argmax`` do).

**The label of a cell** ``C``: the class shared by every *interior* point of ``C``, or
:data:`MIXED` (``"mixed"``) when the decision boundary crosses the interior of ``C``. A
boundary that only touches ``C`` (along a face, or at a vertex) does not make it mixed.
Exact criteria, from the values at the vertices ``v`` of ``C``:

* scalar: ``"mixed"`` when some ``f(v) > 0`` and some ``f(v) < 0``; else ``1`` when some
  ``f(v) > 0`` (then ``f ≥ 0`` on ``C`` and not identically 0, so ``f > 0`` on the
  interior: an affine function ``≥ 0`` on a polytope that vanishes at an interior point
  vanishes on the whole polytope); else ``0`` (``f ≤ 0`` on ``C``; ``f ≡ 0`` gives 0).
* vector: let ``j`` be the class at one interior point ``x_0``; the label is ``j`` iff
  ``g_l = f_j − f_l ≥ 0`` at every vertex for every ``l ≠ j``; otherwise ``"mixed"``.
  (Then ``f_j ≥ f_l`` on ``C``; for ``l < j``, ``g_l(x_0) > 0`` because the tie at
  ``x_0`` would have gone to ``l``, so ``g_l > 0`` on the interior by the same argument:
  the class is ``j`` at every interior point. Conversely a vertex with ``g_l < 0`` has
  interior points nearby of another class.)

>>> from exactgeom import Polytope
>>> C = Polytope.box([(0, 1), (0, 1)])
>>> affine_label(((1, 0),), ("-1/2",), C), affine_label(((1, 0),), (0,), C), affine_label(((1, 0),), (-1,), C)
('mixed', 1, 0)
>>> affine_label(((1, 0), (0, 1)), (0, 0), C)          # f_0 = x, f_1 = y: the diagonal crosses C
'mixed'
>>> affine_label(((0, 0), (0, 0)), (0, 0), C)          # a tie everywhere: lowest index
0
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from fractions import Fraction
from math import gcd as _gcd
from math import lcm
from typing import Any

from ..errors import InvalidInputError
from ..numbers.rational import as_rational_matrix, as_rational_vector
from ..polytope.measures import integer_vertices
from ..polytope.polytope import Polytope

__all__ = ["MIXED", "LABEL_METHODS", "affine_label", "point_class"]

#: The label of a cell crossed by the decision boundary.
MIXED = "mixed"


def _values(J: Sequence[Sequence[Fraction]], c: Sequence[Fraction], x: Sequence[Fraction]) -> list[Fraction]:
    """``J x + c`` exactly, each row over one common denominator (the entries of ``J``
    can have a thousand bits; one normalisation per row instead of one per term)."""
    xs = [Fraction(v) for v in x]
    D = lcm(*(v.denominator for v in xs)) if xs else 1
    X = [v.numerator * (D // v.denominator) for v in xs]
    out = []
    for row, ci in zip(J, c):
        r = [Fraction(a) for a in row]
        Q = lcm(*(a.denominator for a in r)) if r else 1
        num = sum(a.numerator * (Q // a.denominator) * xi for a, xi in zip(r, X) if a)
        out.append(Fraction(num, Q * D) + ci)
    return out


def point_class(f: Sequence[Any]) -> int:
    """The class of an output vector ``f`` at a point (the tie rule of the module docstring).

    >>> point_class([0]), point_class(["1/3"]), point_class([2, 5, 5])
    (0, 1, 1)
    """
    v = as_rational_vector(f, name="output")
    if not v:
        raise InvalidInputError("the output vector is empty")
    if len(v) == 1:
        return 1 if v[0] > 0 else 0
    best = max(v)
    return next(k for k, x in enumerate(v) if x == best)


LABEL_METHODS = ("auto", "vertices", "lp")


def affine_label(J: Any, c: Any, polytope: Polytope, *, method: str = "auto") -> Hashable:
    """The label of a cell on which the output is ``J x + c`` (module docstring):
    a class (``0``/``1`` for a scalar output, the argmax index otherwise) or ``"mixed"``.

    Parameters
    ----------
    J, c
        The exact affine output on the cell (``n_out × n`` and ``n_out``).
    polytope : Polytope
        The cell: bounded and full-dimensional.
    method : {"auto", "vertices", "lp"}
        How the extreme values of the affine functions over the cell are found:
        ``"vertices"`` evaluates them at every vertex; ``"lp"`` solves exact LPs on the
        cell's H-representation (certified LP, :func:`~exactgeom.polytope.lp.solve_lp`), two per scalar output and one per
        other class for a vector output — no vertex enumeration, for high-dimensional
        cells known by their facets. ``"auto"`` (default) uses the LP when the polytope
        says its vertices are computed only on demand (``engine == "lp"``), else the
        vertices. Both give the same label (the extremes of an affine function over a
        polytope are attained at vertices).

    >>> from exactgeom import Polytope
    >>> C = Polytope.box([(0, 1), (0, 1)])
    >>> [affine_label([[1, 1]], ["-1"], C, method=m) for m in ("vertices", "lp")]
    ['mixed', 'mixed']
    """
    if method not in LABEL_METHODS:
        raise InvalidInputError(f"unknown label method {method!r}; use one of {LABEL_METHODS}")
    Jm = as_rational_matrix(J, name="J")
    cv = as_rational_vector(c, name="c", length=len(Jm))
    if not Jm:
        raise InvalidInputError("the affine output has no rows")
    if polytope.is_empty or not polytope.is_bounded:
        raise InvalidInputError("a cell label needs a non-empty bounded cell")
    if method == "auto":
        method = "lp" if polytope.engine == "lp" else "vertices"
    if method == "lp":
        lp = _CellLP(polytope)

        def extreme(a: Sequence[Fraction], d: Fraction, maximize: bool) -> Fraction:
            return lp.extreme(a, d, maximize)

        # "mixed" needs only one point of the cell on the other side: a float LP proposes
        # it, exact arithmetic checks it (no certified optimum needed); when no proposal
        # checks out, the exact LPs below decide as before
        if len(Jm) == 1:
            if lp.negative_point([-x for x in Jm[0]], -cv[0]) and lp.negative_point(Jm[0], cv[0]):
                return MIXED
        else:
            j = point_class(_values(Jm, cv, polytope.relative_interior_point()))
            for l in range(len(Jm)):
                if l != j and lp.negative_point([x - y for x, y in zip(Jm[j], Jm[l])], cv[j] - cv[l]):
                    return MIXED
            return _vector_label(Jm, cv, j, extreme)

    else:
        # in integers: with vertices Z_i / q (integer_vertices, memoised on the cell) and
        # a = A / s, d = D / s, the value at vertex i is (A·Z_i + D q) / (s q), s q > 0
        Z, q = integer_vertices(polytope)
        memo: dict[tuple[Any, ...], tuple[list[int], int]] = {}

        def extreme(a: Sequence[Fraction], d: Fraction, maximize: bool) -> Fraction:
            key = tuple((x.numerator, x.denominator) for x in (*a, d))  # ints: cheaper to hash than Fractions
            got = memo.get(key)
            if got is None:  # one pass over the vertices serves both extremes
                s = lcm(d.denominator, *(x.denominator for x in a))
                A = [x.numerator * (s // x.denominator) for x in a]
                D = d.numerator * (s // d.denominator) * q
                got = memo[key] = ([sum(ai * zi for ai, zi in zip(A, z) if ai) + D for z in Z], s * q)
            ints, scale = got
            return Fraction(max(ints) if maximize else min(ints), scale)

    if len(Jm) == 1:  # scalar: mixed iff the output takes both strict signs on the cell
        pos = extreme(Jm[0], cv[0], True) > 0
        neg = extreme(Jm[0], cv[0], False) < 0
        if pos and neg:
            return MIXED
        return 1 if pos else 0
    return _vector_label(Jm, cv, point_class(_values(Jm, cv, polytope.relative_interior_point())), extreme)


def _vector_label(Jm: Sequence[Sequence[Fraction]], cv: Sequence[Fraction], j: int, extreme: Any) -> Hashable:
    """Vector output, class ``j`` at an interior point: ``j`` is the label iff
    ``f_j − f_l ≥ 0`` on the cell for every ``l``, else ``"mixed"``."""
    for l in range(len(Jm)):
        if l != j and extreme([x - y for x, y in zip(Jm[j], Jm[l])], cv[j] - cv[l], False) < 0:
            return MIXED
    return j


def _extreme_lp(a: Sequence[Fraction], d: Fraction, P: Polytope, maximize: bool) -> Fraction:
    """``max``/``min`` of ``a·x + d`` over the bounded non-empty polytope ``P`` (exact LP)."""
    return _CellLP(P).extreme(a, d, maximize)


class _CellLP:
    """The LPs of one cell label: the cell's rows prepared once (exact and float) for
    every objective, and the float-proposal / exact-check screen
    :meth:`negative_point`."""

    def __init__(self, P: Polytope) -> None:
        self.P = P
        self._rs: Any = None
        self._float: Any = None

    def extreme(self, a: Sequence[Fraction], d: Fraction, maximize: bool) -> Fraction:
        """``max``/``min`` of ``a·x + d`` over the cell (certified exact LP)."""
        from ..polytope.lp import RowSet, solve_rows

        P = self.P
        if self._rs is None:
            A, b, E, f = P._hrep_rows()
            self._rs = (RowSet(A + E, b + f, P.ambient_dim), len(A), len(E))
        rs, m, k = self._rs
        res = solve_rows(rs, list(a), range(m), range(m, m + k), center=P.relative_interior_point(), maximize=maximize)
        if res.status != "optimal" or res.value is None:  # pragma: no cover - P is bounded and non-empty
            raise InvalidInputError(f"the LP over the cell ended '{res.status}'; a cell label needs a bounded non-empty cell")
        return res.value + d

    def negative_point(self, a: Sequence[Fraction], d: Fraction) -> bool:
        """True when a point ``x`` of the cell with ``a·x + d < 0`` was found and checked
        exactly; False means "not shown" (never "no such point").

        A float LP (HiGHS) minimises ``a·x`` over the cell's facet rows scaled to floats;
        its minimiser, rounded to a dyadic point and moved towards the interior point by
        ``2^-20`` of the way, is checked exactly against every facet and the sign.
        Floats only propose: the decision is the exact check.
        """
        import numpy as np
        from scipy.optimize import linprog

        P = self.P
        if P.equalities or not any(a):
            return False
        if self._float is None:
            H = P.facets
            F, g = [], []
            for h in H:
                row = [int(x) for x in h.normal]
                S = 1 << max(1, max(map(abs, row)).bit_length())  # the row / 2^bits: entries below 1
                F.append([x / S for x in row])
                off = Fraction(h.offset)
                g.append(off.numerator / (off.denominator * S))
            self._float = (np.array(F), np.array(g))
        F, g = self._float
        top = max(abs(x) for x in a)
        c = np.array([float(x / top) for x in a])
        try:
            res = linprog(c, A_ub=F, b_ub=g, bounds=(None, None), method="highs")
        except ValueError:  # pragma: no cover - scipy refuses the float problem
            return False
        if res.status != 0 or res.x is None or not np.all(np.isfinite(res.x)):
            return False
        z = P.relative_interior_point()
        if not float(res.fun) * float(top) + float(d) < 0:
            return False  # the float minimum is not negative: nothing to check
        bits = 60
        tau = Fraction(1, 1 << 20)
        x = [(1 - tau) * Fraction(round(float(v) * (1 << bits)), 1 << bits) + tau * zj for v, zj in zip(res.x, z)]
        D = 1
        for v in x:
            D = D * v.denominator // _gcd(D, v.denominator)
        X = [v.numerator * (D // v.denominator) for v in x]
        for h in P.facets:  # a·X <= b D, exactly, in integers
            off = Fraction(h.offset)
            if sum(int(ai) * xi for ai, xi in zip(h.normal, X) if ai) * off.denominator > off.numerator * D:
                return False
        return sum((ai * xi for ai, xi in zip(a, x) if ai), Fraction(0)) + d < 0
