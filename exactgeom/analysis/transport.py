r"""Exact optimal transport (Wasserstein-1) between finitely supported measures.

The LP behind Ollivier–Ricci curvature (:mod:`exactgeom.analysis.ricci`):
``W_1(μ, ν) = min Σ d(a, b) π(a, b)`` over plans ``π ≥ 0`` with marginals ``μ``, ``ν``.
Mass common to both measures stays in place first (valid for metric costs, by the
triangle inequality).

* Rational masses and costs: an exact transportation (network) simplex in integer
  arithmetic (:func:`transport_simplex`: masses and costs scaled to integers, a
  north-west-corner spanning tree, Bland's rule for the entering and leaving edges, so
  it terminates on degenerate problems too); the final tree is an optimality
  certificate (flows ≥ 0, reduced costs ≥ 0, primal = dual value). cddlib's exact LP
  (:func:`~exactgeom.polytope.backends.cdd.lp_solve`) is the tests' independent
  oracle. A single supply or demand point is solved in closed form.
* ``exact=False``: scipy's HiGHS, with tolerances :data:`HIGHS_OPTIONS`.
* Surd masses or costs: an optimal basis — a spanning tree of the bipartite transport
  graph — is certified in exact surd arithmetic: tree flows (leaf peeling) and tree
  potentials need only additions; primal feasibility (flows ≥ 0) and dual feasibility
  (reduced costs ≥ 0) are decided with exact signs.  The basis comes from the float
  optimum, or, if that one fails the check, from cddlib's exact LPs on 40-digit rational
  approximations of the data (a basic optimal plan and a dual vertex).  If neither
  certifies, :class:`~exactgeom.errors.UndecidedError` is raised.

>>> from fractions import Fraction as F
>>> wasserstein1({0: F(1, 2), 2: F(1, 2)}, {1: F(1)}, lambda a, b: F(abs(a - b)))
Fraction(1, 1)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from itertools import pairwise
from typing import Any

from ..errors import InvalidInputError, UndecidedError
from ..linalg.rational import integer_scaled
from ..numbers.surd import Surd
from ..numbers.surdsum import SurdSum
from ..polytope.backends.cdd import lp_solve
from .surd_ratio import as_surd_sum, simplest

__all__ = ["wasserstein1", "transport_simplex", "w1_of_parts", "integer_parts", "w1_of_integer_parts", "HIGHS_OPTIONS"]


def _is_rational(x: Any) -> bool:
    if isinstance(x, (int, Fraction)):
        return True
    if isinstance(x, (Surd, SurdSum)):
        return simplest(x).__class__ is Fraction
    return False


def _rat(x: Any) -> Fraction:
    s = simplest(x)
    return s if isinstance(s, Fraction) else Fraction(s)


def _split(mu: Mapping[int, Any], nu: Mapping[int, Any], exact_sign: bool) -> tuple[dict[int, Any], dict[int, Any]]:
    supply, demand = {}, {}
    for a in sorted(set(mu) | set(nu)):
        d = mu.get(a, 0) - nu.get(a, 0)
        if exact_sign:
            d = as_surd_sum(d)
            s = int(d.sign())
        else:
            s = (d > 0) - (d < 0)
        if s > 0:
            supply[a] = d
        elif s < 0:
            demand[a] = -d
    return supply, demand


def _w1_exact_rational(supply: dict[int, Fraction], demand: dict[int, Fraction], dist: Callable[[int, int], Any]) -> Fraction:
    A, B = list(supply), list(demand)
    if not A:
        return Fraction(0)
    if len(A) == 1 or len(B) == 1:
        if len(A) == 1:
            return sum((demand[b] * dist(A[0], b) for b in B), Fraction(0))
        return sum((supply[a] * dist(a, B[0]) for a in A), Fraction(0))
    value, _ = transport_simplex([supply[a] for a in A], [demand[b] for b in B], [[dist(a, b) for b in B] for a in A], plan=False)
    return value


#: Integers of more bits than this go to GMP (gmpy2: subquadratic products, divisions
#: and gcds); smaller ones stay Python ints, which are faster there, and gmpy2 (whose
#: import, with ``importlib.metadata``, costs tens of milliseconds) is not imported.
GMP_BITS = 1024


def int_kit(bits: int) -> tuple[Callable[[Any], Any], Callable[[Any, Any], Any], Callable[[Any, Any], Any]]:
    """``(mpz, gcd, lcm)`` for integers of up to about ``bits`` bits: Python's
    (``int``, ``math.gcd``, ``math.lcm``) up to :data:`GMP_BITS`, gmpy2's above. Both
    kinds mix freely in arithmetic; the exact values are the same either way.

    >>> int_kit(64)[0] is int
    True
    """
    if bits <= GMP_BITS:
        return int, math.gcd, math.lcm
    from gmpy2 import gcd, lcm, mpz

    return mpz, gcd, lcm


def lcm_bits(dens: Any) -> int:
    """An upper bound on the bit length of the lcm of the integers ``dens`` (the sum
    of the distinct ones' bit lengths), O(1) per integer."""
    return sum(d.bit_length() for d in set(dens))


def _coprime_fraction(p: int, q: int) -> Fraction:
    """``Fraction(p, q)`` for coprime ``p``, ``q > 0`` without a second gcd."""
    fast = getattr(Fraction, "_from_coprime_ints", None)
    if fast is not None:  # Python >= 3.12
        return fast(p, q)  # type: ignore[no-any-return]
    try:
        return Fraction(p, q, _normalize=False)  # type: ignore[call-arg]
    except TypeError:  # pragma: no cover - other implementations
        return Fraction(p, q)


def transport_simplex(
    supply: Sequence[Fraction], demand: Sequence[Fraction], cost: Sequence[Sequence[Fraction]], *, plan: bool = True
) -> tuple[Fraction, dict[tuple[int, int], Fraction] | None]:
    """Exact optimum of the balanced transportation problem ``min Σ c_ij x_ij``,
    ``Σ_j x_ij = s_i``, ``Σ_i x_ij = t_j``, ``x >= 0`` (rational data), and an optimal
    plan ``{(i, j): x_ij}`` (nonzero entries; ``None`` with ``plan=False``).

    Integer arithmetic throughout (masses and costs scaled by their denominators' least
    common multiples). The basis is a spanning tree of the complete bipartite graph,
    started by the north-west-corner rule; each pivot enters the first edge (row-major
    order) with a negative reduced cost and leaves, among the tree edges whose flow
    falls to zero first, the first one: Bland's rule, so degenerate problems terminate.
    The final tree certifies optimality (flows ≥ 0, reduced costs ≥ 0) and the value
    is checked against the dual objective.

    >>> F = Fraction
    >>> transport_simplex([F(1, 2), F(1, 2)], [F(1, 2), F(1, 2)], [[F(0), F(1)], [F(1), F(0)]])
    (Fraction(0, 1), {(0, 0): Fraction(1, 2), (1, 1): Fraction(1, 2)})
    >>> transport_simplex([F(1)], [F(1, 3), F(2, 3)], [[F(2), F(3)]])[0]
    Fraction(8, 3)
    """
    m, n = len(supply), len(demand)
    if m == 0 or n == 0 or any(len(r) != n for r in cost):
        raise InvalidInputError("transport_simplex: give nonempty supply and demand and an m×n cost matrix")
    supply = [Fraction(x) for x in supply]
    demand = [Fraction(x) for x in demand]
    (st,), L = integer_scaled([supply + demand])
    s, t = st[:m], st[m:]
    if any(x < 0 for x in s) or any(x < 0 for x in t) or sum(s) != sum(t):
        raise InvalidInputError("transport_simplex: masses must be >= 0 with equal totals")
    costs = [[Fraction(x) for x in r] for r in cost]
    c, Lc = integer_scaled(costs)
    value, flow = _transport_int(s, t, c)
    out = {e: Fraction(f, L) for e, f in sorted(flow.items()) if f} if plan else None
    return Fraction(value, L * Lc), out


def _transport_int(s: Sequence[Any], t: Sequence[Any], c: Sequence[Sequence[Any]]) -> tuple[Any, dict[tuple[int, int], Any]]:
    """The simplex of :func:`transport_simplex` on integer data (Python ints or gmpy2
    ``mpz``; nonnegative, equal totals): the optimal value and the final tree's flows."""
    m, n = len(s), len(t)
    # north-west corner: a staircase spanning tree with m + n − 1 edges
    flow: dict[tuple[int, int], int] = {}
    rs, rt = list(s), list(t)
    i = j = 0
    while True:
        f = min(rs[i], rt[j])
        flow[(i, j)] = f
        rs[i] -= f
        rt[j] -= f
        if i == m - 1 and j == n - 1:
            break
        if (rs[i] == 0 and i < m - 1) or j == n - 1:
            i += 1
        else:
            j += 1
    while True:
        adj: list[list[int]] = [[] for _ in range(m + n)]  # nodes: rows 0..m-1, columns m..m+n-1
        for a, b in flow:
            adj[a].append(m + b)
            adj[m + b].append(a)
        pot: list[int | None] = [None] * (m + n)
        parent = [-1] * (m + n)
        pot[0] = 0
        stack = [0]
        while stack:  # potentials u_i + v_j = c_ij on the tree
            z = stack.pop()
            for w in adj[z]:
                if pot[w] is None:
                    parent[w] = z
                    cz = c[z][w - m] if z < m else c[w][z - m]
                    pot[w] = cz - pot[z]  # type: ignore[operator]
                    stack.append(w)
        u = pot[:m]
        v = pot[m:]
        enter = None
        for a in range(m):
            ua = u[a]
            for b in range(n):
                if c[a][b] - ua - v[b] < 0:  # type: ignore[operator]
                    enter = (a, b)
                    break
            if enter is not None:
                break
        if enter is None:
            break
        # the cycle: entering edge a→b, then the tree path from column b back to row a
        a, b = enter
        anc_a = []
        z = a
        while z != -1:
            anc_a.append(z)
            z = parent[z]
        pos = {z: k for k, z in enumerate(anc_a)}
        path_b = []
        z = m + b
        while z not in pos:
            path_b.append(z)
            z = parent[z]
        nodes = path_b + [z] + anc_a[: pos[z]][::-1]  # column b ... lca ... row a
        edges = [(x, y - m) if x < m else (y, x - m) for x, y in pairwise(nodes)]
        minus = edges[0::2]  # alternate −θ, +θ starting at the edge leaving column b
        theta = min(flow[e] for e in minus)
        leave = min((e for e in minus if flow[e] == theta), key=lambda e: e[0] * n + e[1])
        for k, e in enumerate(edges):
            flow[e] += -theta if k % 2 == 0 else theta
        del flow[leave]
        flow[enter] = theta
    value = sum(c[a][b] * f for (a, b), f in flow.items())
    dual = sum(si * ui for si, ui in zip(s, u)) + sum(tj * vj for tj, vj in zip(t, v))  # type: ignore[operator]
    if value != dual or any(f < 0 for f in flow.values()):  # pragma: no cover - the simplex invariants
        raise UndecidedError("internal error: the transport simplex's final tree is not an optimality certificate")
    return value, flow


def w1_of_parts(
    mu_parts: Mapping[int, Fraction], nu_parts: Mapping[int, Fraction], dist: Callable[[int, int], Any]
) -> Fraction | None:
    """``W_1(μ, ν)`` for ``μ = mu_parts / Σ mu_parts`` and ``ν = nu_parts / Σ nu_parts``
    (positive rational totals, rational ``dist``), in integer arithmetic: each measure is
    scaled to integers on its own (``μ = P / T_P`` with integers ``P`` and ``T_P = Σ P``;
    its denominators cancel in the normalisation), both are brought to the common total
    ``T_P·T_Q`` so that no mass is ever divided, mass common to both stays in place, and
    the rest goes to :func:`transport_simplex`. ``None`` when some distance is not
    rational (the caller then takes the surd route).

    >>> F = Fraction
    >>> w1_of_parts({0: F(1), 1: F(1)}, {1: F(3), 2: F(3)}, lambda a, b: abs(a - b))
    Fraction(1, 1)
    """
    P, TP = integer_parts(mu_parts)
    Q, TQ = integer_parts(nu_parts)
    return w1_of_integer_parts(P, TP, Q, TQ, dist)


def integer_parts(parts: Mapping[int, Fraction]) -> tuple[dict[int, Any], Any]:
    """``(P, T)``: the masses ``parts`` scaled by the lcm of their denominators and
    divided by the gcd of the results (integers ``P[k]``, ``T = Σ P[k]``: GMP's above
    :data:`GMP_BITS`, else Python's, see :func:`int_kit`), so that
    ``parts[k] / Σ parts = P[k] / T``. Computed once per measure and reused by
    :func:`w1_of_integer_parts` for every pair it appears in.

    >>> P, T = integer_parts({0: Fraction(1, 2), 3: Fraction(3, 4)})
    >>> {k: int(v) for k, v in P.items()}, int(T)
    ({0: 2, 3: 3}, 5)

    Raises
    ------
    InvalidInputError
        A negative mass or a total that is not positive.
    """
    # GMP for huge scaled masses (subquadratic products and divisions), else Python ints
    mpz, gcd, lcm = int_kit(lcm_bits(v.denominator for v in parts.values()))
    L = mpz(1)
    for v in parts.values():
        d = v.denominator
        if d != 1 and L % d:
            L = lcm(L, d)
    P = {k: mpz(v.numerator) * (L // v.denominator) for k, v in parts.items()}
    if any(v < 0 for v in P.values()):
        raise InvalidInputError("w1_of_parts: masses must be >= 0 with positive totals")
    g = mpz(0)
    for v in P.values():
        g = gcd(g, v)
        if g == 1:
            break
    if g > 1:
        P = {k: v // g for k, v in P.items()}
    T = sum(P.values(), mpz(0))
    if T <= 0:
        raise InvalidInputError("w1_of_parts: masses must be >= 0 with positive totals")
    return P, T


def w1_of_integer_parts(
    P: Mapping[int, Any], TP: Any, Q: Mapping[int, Any], TQ: Any, dist: Callable[[int, int], Any]
) -> Fraction | None:
    """:func:`w1_of_parts` of two measures given as :func:`integer_parts` (``μ = P/T_P``,
    ``ν = Q/T_Q``): the exact value in lowest terms, or ``None`` when some distance is
    not rational.

    >>> F = Fraction
    >>> w1_of_integer_parts(*integer_parts({0: F(1), 1: F(1)}), *integer_parts({1: F(3), 2: F(3)}),
    ...                     lambda a, b: abs(a - b))
    Fraction(1, 1)
    """
    supply, demand = {}, {}
    for k in sorted(set(P) | set(Q)):
        d = P.get(k, 0) * TQ - Q.get(k, 0) * TP
        if d > 0:
            supply[k] = d
        elif d < 0:
            demand[k] = -d
    A, B = list(supply), list(demand)
    if not A:
        return Fraction(0)
    C = [[dist(a, b) for b in B] for a in A]
    if not all(isinstance(x, (int, Fraction)) and not isinstance(x, bool) for r in C for x in r):
        return None
    if all(isinstance(x, int) for r in C for x in r):  # hop distances
        Lc, Cs = 1, C
    else:
        Cs, Lc = integer_scaled(C)
    # the masses' kind (integer_parts chose GMP or Python ints by their size), or GMP for
    # a huge distance scale
    gmp = not (type(TP) is int and type(TQ) is int) or Lc.bit_length() > GMP_BITS
    mpz = int_kit(GMP_BITS + 1 if gmp else 0)[0]
    Ci = [[mpz(x) for x in r] for r in Cs]
    if len(A) == 1:
        total = sum((demand[b] * x for b, x in zip(B, Ci[0])), mpz(0))
    elif len(B) == 1:
        total = sum((supply[a] * r[0] for a, r in zip(A, Ci)), mpz(0))
    else:
        total, _ = _transport_int([supply[a] for a in A], [demand[b] for b in B], Ci)
    if not gmp:
        return Fraction(total, TP * TQ * Lc)
    from gmpy2 import mpq

    q = mpq(total, TP * TQ * Lc)  # normalised by GMP's gcd
    return _coprime_fraction(int(q.numerator), int(q.denominator))


def _w1_cdd(supply: dict[int, Fraction], demand: dict[int, Fraction], dist: Callable[[int, int], Any]) -> Fraction:
    """The same optimum by cddlib's exact LP (the tests' independent oracle)."""
    A, B = list(supply), list(demand)
    if not A:
        return Fraction(0)
    nv = len(A) * len(B)
    c = [Fraction(dist(a, b)) for a in A for b in B]
    E, f = [], []
    for ia, a in enumerate(A):
        row = [Fraction(0)] * nv
        for ib in range(len(B)):
            row[ia * len(B) + ib] = Fraction(1)
        E.append(tuple(row))
        f.append(supply[a])
    for ib, b in enumerate(B[:-1]):  # the last demand row is implied by the others
        row = [Fraction(0)] * nv
        for ia in range(len(A)):
            row[ia * len(B) + ib] = Fraction(1)
        E.append(tuple(row))
        f.append(demand[b])
    Aineq = [tuple(Fraction(-1) if k == t else Fraction(0) for k in range(nv)) for t in range(nv)]
    res = lp_solve(c, Aineq, [Fraction(0)] * nv, E, f, maximize=False)
    if res.status != "optimal" or res.value is None:  # pragma: no cover - balanced LP is feasible
        raise UndecidedError(f"the exact transport LP ended with status {res.status}")
    return res.value


#: HiGHS tolerances for the float transport LPs (its defaults, 1e-7, are too loose for the
#: tiny masses of face-volume walks).
HIGHS_OPTIONS = {"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10}


def _float_lp(supply: Mapping[int, float], demand: Mapping[int, float], cost: Callable[[int, int], float]) -> tuple[float, Any, Any, list[int], list[int]]:
    import numpy as np
    from scipy.optimize import linprog

    A, B = list(supply), list(demand)
    nA, nB = len(A), len(B)
    c = np.array([cost(a, b) for a in A for b in B], dtype=float)
    Aeq = np.zeros((nA + nB, nA * nB))
    for ia in range(nA):
        Aeq[ia, ia * nB : (ia + 1) * nB] = 1.0
    for ib in range(nB):
        Aeq[nA + ib, ib::nB] = 1.0
    beq = np.array([supply[a] for a in A] + [demand[b] for b in B], dtype=float)
    res = linprog(c, A_eq=Aeq, b_eq=beq, bounds=(0, None), method="highs", options=HIGHS_OPTIONS)
    if res.status != 0:
        raise UndecidedError(f"the float transport LP failed: {res.message}")
    duals = getattr(getattr(res, "eqlin", None), "marginals", None)
    return float(res.fun), res.x, duals, A, B


def _w1_float(supply: Mapping[int, Any], demand: Mapping[int, Any], dist: Callable[[int, int], Any]) -> float:
    A = list(supply)
    if not A:
        return 0.0
    fs = {a: float(v) for a, v in supply.items()}
    fd = {b: float(v) for b, v in demand.items()}
    val, *_ = _float_lp(fs, fd, lambda a, b: float(dist(a, b)))
    return val


def _kruskal(A: Sequence[int], B: Sequence[int], order: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """A spanning tree of the complete bipartite graph A ∪ B, edges taken in ``order``."""
    parent: dict[Any, Any] = {("a", a): ("a", a) for a in A} | {("b", b): ("b", b) for b in B}

    def find(z: Any) -> Any:
        while parent[z] != z:
            parent[z] = parent[parent[z]]
            z = parent[z]
        return z

    tree: list[tuple[int, int]] = []
    for a, b in order:
        ra, rb = find(("a", a)), find(("b", b))
        if ra != rb:
            parent[ra] = rb
            tree.append((a, b))
    return tree


def _tree_from_float(supply: Mapping[int, SurdSum], demand: Mapping[int, SurdSum], cost: Mapping[tuple[int, int], Any]) -> list[tuple[int, int]]:
    """Basis guess from the float LP (masses normalised to total 1)."""
    A, B = list(supply), list(demand)
    tot_s = sum(float(v) for v in supply.values())
    tot_d = sum(float(v) for v in demand.values())
    fs = {a: float(v) / tot_s for a, v in supply.items()}
    fd = {b: float(v) / tot_d for b, v in demand.items()}
    fcost = {k: float(v) for k, v in cost.items()}
    _, x, duals, _, _ = _float_lp(fs, fd, lambda a, b: fcost[(a, b)])
    nB = len(B)
    flow_f = {(a, b): float(x[ia * nB + ib]) for ia, a in enumerate(A) for ib, b in enumerate(B)}
    if duals is not None:
        u = {a: float(duals[ia]) for ia, a in enumerate(A)}
        v = {b: float(duals[len(A) + ib]) for ib, b in enumerate(B)}
        red = {k: abs(fcost[k] - u[k[0]] - v[k[1]]) for k in cost}
    else:  # pragma: no cover
        red = {k: 0.0 for k in cost}
    order = sorted(cost, key=lambda k: (flow_f[k] <= 1e-9, red[k], -flow_f[k]))
    return _kruskal(A, B, order)


def _approx(x: Any, digits: int = 40) -> Fraction:
    if isinstance(x, (int, Fraction)):
        return Fraction(x)
    return as_surd_sum(x).enclose(digits).mid


def _tree_from_rational(supply: Mapping[int, SurdSum], demand: Mapping[int, SurdSum], cost: Mapping[tuple[int, int], Any]) -> list[tuple[int, int]]:
    """Basis from exact LPs (cddlib) on 40-digit rational approximations of the data: an
    optimal basic plan, and a vertex of the dual (``u_{A_0} = 0``), whose tight edges
    contain a spanning tree; the tree prefers the plan's support."""
    A, B = list(supply), list(demand)
    s = {a: _approx(v) for a, v in supply.items()}
    t = {b: _approx(v) for b, v in demand.items()}
    t[B[-1]] += sum(s.values(), Fraction(0)) - sum(t.values(), Fraction(0))  # balance
    c = {k: _approx(v) for k, v in cost.items()}
    nA, nB = len(A), len(B)
    nv = nA * nB
    keys = [(a, b) for a in A for b in B]
    E, f = [], []
    for ia, a in enumerate(A):
        E.append(tuple(Fraction(int(ia * nB <= k < (ia + 1) * nB)) for k in range(nv)))
        f.append(s[a])
    for ib, b in enumerate(B[:-1]):
        E.append(tuple(Fraction(int(k % nB == ib)) for k in range(nv)))
        f.append(t[b])
    I = [tuple(Fraction(-1) if k == r else Fraction(0) for k in range(nv)) for r in range(nv)]
    prim = lp_solve([c[k] for k in keys], I, [Fraction(0)] * nv, E, f, maximize=False)
    # dual: max Σ s_a u_a + Σ t_b v_b  s.t.  u_a + v_b <= c_ab,  u_{A_0} = 0
    nd = nA + nB
    Ad = [tuple(Fraction(int(j == ia or j == nA + ib)) for j in range(nd)) for ia in range(nA) for ib in range(nB)]
    dual = lp_solve(
        [s[a] for a in A] + [t[b] for b in B],
        Ad,
        [c[k] for k in keys],
        [tuple(Fraction(int(j == 0)) for j in range(nd))],
        [Fraction(0)],
        maximize=True,
    )
    if prim.status != "optimal" or dual.status != "optimal" or prim.x is None or dual.x is None:  # pragma: no cover
        raise UndecidedError("the rational approximation of a surd transport LP has no optimal basis")
    uv = dual.x
    support = [k for k, xv in zip(keys, prim.x) if xv > 0]
    tight = [k for ia, a in enumerate(A) for ib, b in enumerate(B) if c[(a, b)] == uv[ia] + uv[nA + ib] for k in [(a, b)]]
    rest = [k for k in keys if k not in set(tight)]
    return _kruskal(A, B, support + tight + rest)


def _certify_tree(
    tree: list[tuple[int, int]],
    supply: Mapping[int, SurdSum],
    demand: Mapping[int, SurdSum],
    cost: Mapping[tuple[int, int], SurdSum],
) -> SurdSum | None:
    """The exact optimal value if ``tree`` is an optimal basis (flows ≥ 0 and reduced
    costs ≥ 0, decided exactly), else None."""
    A, B = list(supply), list(demand)
    rem: dict[Any, SurdSum] = {("a", a): supply[a] for a in A} | {("b", b): demand[b] for b in B}
    inc: dict[Any, set[tuple[int, int]]] = {z: set() for z in rem}
    for a, b in tree:
        inc[("a", a)].add((a, b))
        inc[("b", b)].add((a, b))
    flows: dict[tuple[int, int], SurdSum] = {}
    leaves = [z for z, st in inc.items() if len(st) == 1]
    while leaves:
        z = leaves.pop()
        if len(inc[z]) != 1:
            continue
        (e,) = inc[z]
        flows[e] = rem[z]
        other = ("b", e[1]) if z[0] == "a" else ("a", e[0])
        rem[other] = rem[other] - rem[z]
        rem[z] = SurdSum([])
        inc[z].discard(e)
        inc[other].discard(e)
        if len(inc[other]) == 1:
            leaves.append(other)
    if len(flows) != len(tree) or any(int(fl.sign()) < 0 for fl in flows.values()):
        return None
    pot: dict[Any, SurdSum] = {("a", A[0]): SurdSum([])}
    tadj: dict[Any, list[tuple[int, int]]] = {}
    for a, b in tree:
        tadj.setdefault(("a", a), []).append((a, b))
        tadj.setdefault(("b", b), []).append((a, b))
    stack = [("a", A[0])]
    while stack:
        z = stack.pop()
        for a, b in tadj.get(z, []):
            other = ("b", b) if z[0] == "a" else ("a", a)
            if other not in pot:
                pot[other] = cost[(a, b)] - pot[z]
                stack.append(other)
    tset = set(tree)
    for (a, b), d in cost.items():
        if (a, b) not in tset and int((d - pot[("a", a)] - pot[("b", b)]).sign()) < 0:
            return None
    total = SurdSum([])
    for e, fl in flows.items():
        total = total + cost[e] * fl
    return total


def _w1_certified(supply: dict[int, SurdSum], demand: dict[int, SurdSum], dist: Callable[[int, int], Any]) -> SurdSum:
    """Exact W1 over the surd field: certify an optimal basis found by the float LP, or
    else by exact LPs on rational approximations (see the module docstring)."""
    A, B = list(supply), list(demand)
    if not A:
        return SurdSum([])
    cost = {(a, b): as_surd_sum(dist(a, b)) for a in A for b in B}
    if len(A) == 1 or len(B) == 1:  # the plan is forced
        tot = SurdSum([])
        for (a, b), d in cost.items():
            tot = tot + d * (demand[b] if len(A) == 1 else supply[a])
        return tot
    for guess in (_tree_from_float, _tree_from_rational):
        try:
            tree = guess(supply, demand, cost)
        except UndecidedError:
            continue
        val = _certify_tree(tree, supply, demand, cost)
        if val is not None:
            return val
    raise UndecidedError(
        "no optimal basis of a surd transport LP could be certified in exact arithmetic (neither the "
        "float optimum's nor that of a 40-digit rational approximation); the curvature is left "
        "undecided — use exact=False for a float value"
    )


def wasserstein1(
    mu: Mapping[int, Any],
    nu: Mapping[int, Any],
    dist: Callable[[int, int], Any],
    *,
    exact: bool = True,
) -> Any:
    """``W_1(μ, ν)`` for finitely supported measures of equal total mass.

    Parameters
    ----------
    mu, nu
        Mappings point → mass (Fractions; surds or surd sums allowed with ``exact``).
    dist
        ``dist(a, b)``: a metric (Fraction, Surd or SurdSum values).
    exact
        Exact (integer transportation simplex for rational data, certified basis for surd
        data) or float.

    Raises
    ------
    InvalidInputError
        The total masses differ or a mass is negative.
    UndecidedError
        A surd LP whose float basis could not be certified.

    Examples
    --------
    >>> F = Fraction
    >>> mu = {0: F(1, 5), 1: F(1, 5), 2: F(1, 5), 3: F(1, 5), 4: F(1, 5)}
    >>> nu = {0: F(1, 2), 4: F(1, 2)}
    >>> wasserstein1(mu, nu, lambda a, b: F(abs(a - b)))
    Fraction(4, 5)
    >>> wasserstein1({0: F(1)}, {0: F(1)}, lambda a, b: F(abs(a - b)))   # degenerate
    Fraction(0, 1)
    """
    rational = all(_is_rational(v) for v in list(mu.values()) + list(nu.values()))
    if exact:
        if rational:
            m1 = {k: _rat(v) for k, v in mu.items()}
            m2 = {k: _rat(v) for k, v in nu.items()}
            if any(v < 0 for v in list(m1.values()) + list(m2.values())):
                raise InvalidInputError("wasserstein1: masses must be >= 0")
            if sum(m1.values(), Fraction(0)) != sum(m2.values(), Fraction(0)):
                raise InvalidInputError("wasserstein1: the two measures have different total mass")
            s, d = _split(m1, m2, exact_sign=False)
            probe = [dist(a, b) for a in list(s)[:1] for b in list(d)[:1]]
            if all(_is_rational(p) for p in probe) and all(_is_rational(dist(a, b)) for a in s for b in d):
                return _w1_exact_rational(s, d, lambda a, b: _rat(dist(a, b)))
            s2 = {k: as_surd_sum(v) for k, v in s.items()}
            d2 = {k: as_surd_sum(v) for k, v in d.items()}
            return simplest(_w1_certified(s2, d2, dist))
        m1s = {k: as_surd_sum(v) for k, v in mu.items()}
        m2s = {k: as_surd_sum(v) for k, v in nu.items()}
        if (sum(m1s.values(), SurdSum([])) - sum(m2s.values(), SurdSum([]))).terms:
            raise InvalidInputError("wasserstein1: the two measures have different total mass")
        s, d = _split(m1s, m2s, exact_sign=True)
        return simplest(_w1_certified(s, d, dist))
    fm1 = {k: float(v) for k, v in mu.items()}
    fm2 = {k: float(v) for k, v in nu.items()}
    s, d = _split(fm1, fm2, exact_sign=False)
    return _w1_float(s, d, dist)


