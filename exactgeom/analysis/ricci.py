r"""Ricci curvature on the edges of a complex: Ollivier (statistical) and Forman types.

Ollivier–Ricci
--------------
For an edge ``(i, j)``: ``Ric(i, j) = 1 − W_1(m_i, m_j) / d(i, j)``.

* ``m_i`` is the lazy random walk at ``i``: mass ``α`` at ``i`` (default ``α = 1/2``)
  and ``1 − α`` spread over the neighbours ``j`` of ``i`` in proportion to ``w_j·f_ij``;
  if every neighbour weighs zero, the whole mass stays at ``i``.
* ``edge_weight`` chooses ``w`` and ``f``: ``"data"`` — ``w_j`` = data mass of cell
  ``j`` (number of data points in it, or their total weight), ``f = 1``; ``"volume"`` —
  ``w_j`` = volume of cell ``j``, ``f = 1``; ``"uniform"`` — ``w = f = 1`` (the simple
  random walk); ``"face"`` — ``w_j`` as for ``"data"`` (with data) or ``"volume"``
  (without), times ``f_ij = μ_1(ij)``, the ``(n−1)``-volume of the shared face.
  Default (``None``): ``"data"`` when data is given, else ``"volume"``.
* ``distance``: ``"hops"`` (default; the shortest-path distance in the 1-skeleton,
  so ``d(i, j) = 1`` on edges and ``d ≤ 3`` between the supports) or ``"centroid"``
  (the Euclidean distance between cell centroids, a surd).

``W_1`` is the optimal-transport LP over the transport plans between the supports.
Mass common to both measures is left in place first (valid for any metric cost, by the
triangle inequality).  With rational masses and hop distances the LP is rational and
solved **exactly** in integer arithmetic by a transportation simplex
(:func:`~exactgeom.analysis.transport.transport_simplex`, Bland's rule; the final
spanning tree is the optimality certificate; cddlib's exact LP is the tests' oracle);
``exact=False`` solves it in floats (scipy's HiGHS).
With surds (``"face"``, ``"centroid"``) the float optimum's basis (a spanning tree of
the transport graph, chosen from the float plan and duals) is re-solved exactly in
surd arithmetic — tree flows and tree potentials need only additions — and primal
feasibility (flows ≥ 0) and dual feasibility (reduced costs ≥ 0) are checked with
exact signs.  If that basis fails the check (badly scaled masses, degenerate ties),
a second basis comes from cddlib's exact LP on 40-digit rational approximations of
the data (an optimal basic plan and a dual vertex) and is certified the same way.  Face-volume masses are quotients by ``S_i = Σ_j w_j f_ij``; the whole LP
is scaled by ``S_i S_j > 0`` so no division by a surd sum is needed, and the result is
returned as an exact :class:`~exactgeom.analysis.surd_ratio.SurdRatio` (or a simpler
type).  If the certificate fails, :class:`~exactgeom.errors.UndecidedError` is raised.

Forman–Ricci
------------
The weighted Forman curvature of an edge ``e = (v1, v2)`` of a graph with vertex
weights ``w_v`` and edge weights ``w_e`` (Forman 2003, in the graph form of
Sreejith et al. 2016)::

    F(e) = w_e ( w_v1/w_e + w_v2/w_e
                 − Σ_{e' ∋ v1, e' ≠ e} w_v1/√(w_e w_e') − Σ_{e' ∋ v2, e' ≠ e} w_v2/√(w_e w_e') )

Vertex weights: data mass, or cell volume without data (``edge_weight`` ``"data"`` /
``"volume"`` / ``"uniform"``).  Edge weights (``face_weight``): ``"squared"``
(default) ``w_e = μ_1(e)²`` — rational, so ``√(w_e w_e') = μ_1(e) μ_1(e')`` is a surd and
``F(e)`` an exact surd sum; ``"uniform"`` ``w_e = 1`` (then ``F = 4 − deg v1 − deg v2``
with uniform vertex weights); ``"volume"`` ``w_e = μ_1(e)``, exact only when every
``w_e w_e'`` is rational (otherwise the formula needs fourth roots and
:class:`~exactgeom.errors.UndecidedError` is raised; use ``exact=False``).  Only the
1-skeleton enters (no 2-cell terms).

>>> K3 = WalkGraph.uniform(3, [(0, 1), (0, 2), (1, 2)])
>>> ollivier_ricci_graph(K3)[(0, 1)]          # n/(2(n−1)) on K_n with α = 1/2
Fraction(3, 4)
>>> forman_ricci_graph(K3)[(0, 1)]             # 4 − deg − deg
Fraction(0, 1)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ..errors import InvalidInputError, UndecidedError
from ..numbers.rational import as_rational, short_str
from ..numbers.surd import Surd
from ..numbers.surdsum import SurdSum
from ..partitions._progress import progress_bar
from .surd_ratio import SurdRatio, as_surd_sum, simplest
from .transport import (
    _is_rational,
    _rat,
    _split,
    _w1_certified,
    int_kit,
    integer_parts,
    lcm_bits,
    w1_of_integer_parts,
    wasserstein1,
)

__all__ = [
    "WalkGraph",
    "lazy_walk",
    "wasserstein1",
    "ollivier_ricci_graph",
    "forman_ricci_graph",
    "ricci_curvature",
    "graph_from_complex",
]

Edge = tuple[int, int]


# ---------------------------------------------------------------------- graph
@dataclass(frozen=True)
class WalkGraph:
    """A graph with what the curvatures need.

    Attributes
    ----------
    n : int
        Number of vertices ``0..n−1``.
    edges : tuple of (i, j), i < j
    weights : tuple
        Vertex weights ``w_v ≥ 0`` (Fractions, or surds).
    edge_factors : mapping (i, j) → value, optional
        ``f_ij ≥ 0`` multiplying ``w_j`` in the walk from ``i`` (symmetric); missing = 1.
    edge_weights : mapping (i, j) → value, optional
        ``w_e`` for Forman; missing = 1.
    positions : tuple of points, optional
        For ``distance="centroid"`` (rational coordinates).
    """

    n: int
    edges: tuple[Edge, ...]
    weights: tuple[Any, ...]
    edge_factors: Mapping[Edge, Any] | None = None
    edge_weights: Mapping[Edge, Any] | None = None
    positions: tuple[tuple[Fraction, ...], ...] | None = None
    adj: tuple[frozenset[int], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.n, int) or self.n < 0:
            raise InvalidInputError(f"WalkGraph: n must be a non-negative int, got {self.n!r}")
        nb: list[set[int]] = [set() for _ in range(self.n)]
        es = []
        for e in self.edges:
            i, j = (int(e[0]), int(e[1]))
            if not (0 <= i < self.n and 0 <= j < self.n) or i == j:
                raise InvalidInputError(f"WalkGraph: bad edge {e!r} for {self.n} vertices")
            i, j = min(i, j), max(i, j)
            es.append((i, j))
            nb[i].add(j)
            nb[j].add(i)
        if len(self.weights) != self.n:
            raise InvalidInputError(f"WalkGraph: {len(self.weights)} weights for {self.n} vertices")
        object.__setattr__(self, "edges", tuple(sorted(set(es))))
        object.__setattr__(self, "adj", tuple(frozenset(s) for s in nb))

    @classmethod
    def uniform(cls, n: int, edges: Sequence[Edge]) -> WalkGraph:
        """All vertex weights 1 (the simple lazy random walk).

        >>> WalkGraph.uniform(2, [(1, 0)]).edges
        ((0, 1),)
        """
        return cls(n, tuple(tuple(e) for e in edges), tuple(Fraction(1) for _ in range(n)))

    def factor(self, i: int, j: int) -> Any:
        if self.edge_factors is None:
            return Fraction(1)
        return self.edge_factors.get((min(i, j), max(i, j)), Fraction(1))

    def edge_weight(self, i: int, j: int) -> Any:
        if self.edge_weights is None:
            return Fraction(1)
        return self.edge_weights.get((min(i, j), max(i, j)), Fraction(1))


def lazy_walk(G: WalkGraph, i: int, alpha: Fraction = Fraction(1, 2)) -> tuple[Any, dict[int, Any]]:
    """The lazy random walk at ``i`` as ``(S_i, parts)``: ``m_i(a) = parts[a] / S_i``.

    ``S_i = Σ_j w_j f_ij`` over the neighbours (``1`` when that is 0: all mass at ``i``).

    >>> G = WalkGraph(3, ((0, 1), (0, 2)), (Fraction(1), Fraction(1), Fraction(3)))
    >>> lazy_walk(G, 0)
    (Fraction(4, 1), {0: Fraction(2, 1), 1: Fraction(1, 2), 2: Fraction(3, 2)})
    >>> lazy_walk(WalkGraph(2, ((0, 1),), (Fraction(1), Fraction(0))), 0)   # degenerate
    (Fraction(1, 1), {0: Fraction(1, 1)})
    """
    ws = {j: G.weights[j] * G.factor(i, j) for j in sorted(G.adj[i])}
    rational = all(_is_rational(v) for v in ws.values())
    if rational:
        ws = {j: _rat(v) for j, v in ws.items()}
        S: Any = _fraction_sum(ws.values())
        if S == 0:
            return Fraction(1), {i: Fraction(1)}
    else:
        S = sum((as_surd_sum(v) for v in ws.values()), SurdSum([]))
        if not S.terms:
            return Fraction(1), {i: Fraction(1)}
    parts: dict[int, Any] = {i: alpha * S}
    for j, v in ws.items():
        if (v != 0) if rational else bool(as_surd_sum(v).terms):
            parts[j] = (1 - alpha) * v
    return S, parts


def _fraction_sum(xs: Any) -> Fraction:
    """``Σ xs`` for Fractions over one common denominator (their lcm; GMP when huge) and a single
    normalisation, instead of a gcd per partial sum (the cell volumes of a partition
    have huge denominators).

    >>> _fraction_sum([Fraction(1, 6), Fraction(1, 10), Fraction(-4, 15)])
    Fraction(0, 1)
    """
    xs = list(xs)
    mpz, _, lcm = int_kit(lcm_bits(x.denominator for x in xs))
    L = mpz(1)
    for x in xs:
        d = x.denominator
        if d != 1 and L % d:
            L = lcm(L, d)
    total = sum((mpz(x.numerator) * (L // x.denominator) for x in xs), mpz(0))
    if mpz is int:
        return Fraction(total, L)
    from gmpy2 import mpq

    q = mpq(total, L)
    return Fraction(int(q.numerator), int(q.denominator))


# ---------------------------------------------------------------------- distances
def _hop(G: WalkGraph, a: int, b: int) -> int:
    """Graph distance between vertices within distance 3 of each other (a ∈ N[i],
    b ∈ N[j], (i, j) an edge)."""
    if a == b:
        return 0
    if b in G.adj[a]:
        return 1
    if G.adj[a] & G.adj[b]:
        return 2
    return 3


def _centroid_dist(G: WalkGraph, a: int, b: int) -> Surd:
    if G.positions is None:
        raise InvalidInputError("distance='centroid' needs vertex positions (cell centroids)")
    pa, pb = G.positions[a], G.positions[b]
    return Surd.sqrt(sum(((x - y) ** 2 for x, y in zip(pa, pb)), Fraction(0)))


def _dist_fn(G: WalkGraph, distance: str) -> Callable[[int, int], Any]:
    if distance == "hops":
        return lambda a, b: Fraction(_hop(G, a, b))
    if distance == "centroid":
        return lambda a, b: _centroid_dist(G, a, b)
    raise InvalidInputError(f"unknown distance {distance!r}; use 'hops' or 'centroid'")


# ---------------------------------------------------------------------- Ollivier
def _check_alpha(alpha: Any) -> Fraction:
    a = as_rational(alpha, name="alpha")
    if not 0 <= a <= 1:
        raise InvalidInputError(f"alpha must lie in [0, 1], got {short_str(a)}")
    return a


def ollivier_ricci_graph(
    G: WalkGraph,
    *,
    alpha: Any = Fraction(1, 2),
    distance: str = "hops",
    exact: bool = True,
    edges: Sequence[Edge] | None = None,
    progress: bool | None = None,
) -> dict[Edge, Any]:
    """Ollivier–Ricci curvature of the edges of a :class:`WalkGraph`.

    Parameters
    ----------
    G : WalkGraph
    alpha
        Laziness in ``[0, 1]`` (rational).
    distance : {"hops", "centroid"}
    exact : bool
        Exact values (Fraction / SurdSum / SurdRatio) or floats.
    edges
        Only these edges (default: all).
    progress : bool, optional
        tqdm bar over the edges (``None``: only on a terminal, after a second; Ctrl-C
        closes it).

    Returns
    -------
    dict
        ``{(i, j): Ric(i, j)}``.

    Examples
    --------
    Path 0–1–2 (uniform weights): the end edge has ``Ric = 1/2``.

    >>> P3 = WalkGraph.uniform(3, [(0, 1), (1, 2)])
    >>> ollivier_ricci_graph(P3)
    {(0, 1): Fraction(1, 2), (1, 2): Fraction(1, 2)}
    >>> ollivier_ricci_graph(WalkGraph.uniform(1, []))      # degenerate: no edges
    {}
    """
    a = _check_alpha(alpha)
    dist = _dist_fn(G, distance)
    todo = G.edges if edges is None else tuple((min(i, j), max(i, j)) for i, j in edges)
    out: dict[Edge, Any] = {}
    walks: dict[int, tuple[Any, dict[int, Any]]] = {}
    scaled: dict[int, tuple[Any, Any]] = {}
    with progress_bar(len(todo), "Ollivier-Ricci", progress, unit="edge") as bar:
        for i, j in todo:
            _ollivier_edge(G, i, j, a, dist, exact, walks, out, scaled)
            bar.update(1)
    return out


def _ollivier_edge(G: WalkGraph, i: int, j: int, a: Any, dist: Any, exact: bool,
                   walks: dict[int, tuple[Any, dict[int, Any]]], out: dict[Edge, Any],
                   scaled: dict[int, tuple[Any, Any]] | None = None) -> None:
    """One edge of :func:`ollivier_ricci_graph` (``walks``: lazy walks computed so far;
    ``scaled``: their :func:`~exactgeom.analysis.transport.integer_parts` so far)."""
    if j not in G.adj[i]:
        raise InvalidInputError(f"({i}, {j}) is not an edge of the graph")
    for v in (i, j):
        if v not in walks:
            walks[v] = lazy_walk(G, v, a)
    Si, pi = walks[i]
    Sj, pj = walks[j]
    dij = dist(i, j)
    if not exact:
        fSi, fSj = float(Si), float(Sj)
        mu = {k: float(v) / fSi for k, v in pi.items()}
        nu = {k: float(v) / fSj for k, v in pj.items()}
        w = wasserstein1(mu, nu, dist, exact=False)
        out[(i, j)] = 1.0 - w / float(dij)
        return
    if isinstance(Si, Fraction) and isinstance(Sj, Fraction):
        if isinstance(dij, (int, Fraction)) and all(isinstance(v, Fraction) for v in (*pi.values(), *pj.values())):
            # rational distances (hops): all-integer transport; each walk is scaled to
            # integers once (its own denominators cancel in the normalisation)
            scaled = {} if scaled is None else scaled
            for v, parts in ((i, pi), (j, pj)):
                if v not in scaled:
                    scaled[v] = integer_parts(parts)
            w = w1_of_integer_parts(*scaled[i], *scaled[j], dist)
            if w is not None:
                out[(i, j)] = 1 - w / dij
                return
        mu = {k: v / Si for k, v in pi.items()}
        nu = {k: v / Sj for k, v in pj.items()}
        w = wasserstein1(mu, nu, dist, exact=True)
        out[(i, j)] = simplest(1 - SurdRatio(w, 1) / dij)
        return
    # surd masses: scale the LP by S_i·S_j > 0
    Si_s, Sj_s = as_surd_sum(Si), as_surd_sum(Sj)
    mu = {k: as_surd_sum(v) * Sj_s for k, v in pi.items()}
    nu = {k: as_surd_sum(v) * Si_s for k, v in pj.items()}
    s, d = _split(mu, nu, exact_sign=True)
    wscaled = _w1_certified(s, d, dist)
    den = Si_s * Sj_s * as_surd_sum(dij)
    out[(i, j)] = simplest(SurdRatio(den - wscaled, den))


# ---------------------------------------------------------------------- Forman
def forman_ricci_graph(G: WalkGraph, *, exact: bool = True) -> dict[Edge, Any]:
    """Weighted Forman curvature (see the module docstring) of every edge.

    Uses ``G.weights`` as vertex weights and ``G.edge_weights`` as edge weights.

    Raises
    ------
    UndecidedError
        ``exact`` and some ``w_e·w_e'`` is irrational (the formula needs a fourth root).

    Examples
    --------
    >>> forman_ricci_graph(WalkGraph.uniform(4, [(0, 1), (1, 2), (2, 3)]))
    {(0, 1): Fraction(1, 1), (1, 2): Fraction(0, 1), (2, 3): Fraction(1, 1)}
    >>> forman_ricci_graph(WalkGraph.uniform(2, []))       # degenerate: no edges
    {}
    """
    out: dict[Edge, Any] = {}
    for v1, v2 in G.edges:
        we = G.edge_weight(v1, v2)
        if not exact:
            fwe = float(we)
            val = float(G.weights[v1]) + float(G.weights[v2])
            for v in (v1, v2):
                for u in G.adj[v]:
                    if u in (v1, v2):
                        continue
                    val -= float(G.weights[v]) * fwe / (fwe * float(G.edge_weight(v, u))) ** 0.5
            out[(v1, v2)] = val
            continue
        total = as_surd_sum(G.weights[v1]) + as_surd_sum(G.weights[v2])
        for v in (v1, v2):
            for u in G.adj[v]:
                if u in (v1, v2):
                    continue
                prod = simplest(as_surd_sum(we) * as_surd_sum(G.edge_weight(v, u)))
                if not isinstance(prod, Fraction):
                    raise UndecidedError(
                        f"Forman curvature of edge ({v1}, {v2}): w_e·w_e' = {prod} is irrational, so "
                        "√(w_e w_e') is a fourth root; use face_weight='squared' or exact=False"
                    )
                if prod <= 0:
                    raise InvalidInputError(f"Forman curvature needs positive edge weights, got product {prod}")
                total = total - as_surd_sum(G.weights[v]) * as_surd_sum(we) / Surd.sqrt(prod)
        out[(v1, v2)] = simplest(total)
    return out


# ---------------------------------------------------------------------- complexes
def _partition_of(K: Any) -> Any:
    P = getattr(K, "partition", None)
    if P is None:
        raise InvalidInputError(
            f"{type(K).__name__} has no .partition; Ricci curvature on a complex needs the "
            "partition it was built from (cell volumes, faces, centroids)"
        )
    return P


def _data_masses(K: Any, data: Any, policy: Any = None) -> tuple[Fraction, ...] | None:
    """Data mass per cell: from ``data`` (points, or ``(points, weights)``), else from
    the complex's own data measure, else None.  Points are located as the complex does
    (:func:`~exactgeom.complex.measures.locate_points`)."""
    P = _partition_of(K)
    if data is None:
        dm = getattr(K, "data_mass", None)
        if callable(dm):
            vals = dm()
            return None if vals is None else tuple(Fraction(v) for v in vals)
        return None
    from ..complex.measures import data_masses, locate_points
    from ..numbers.rational import as_rational_matrix

    points, weights = data, None
    if isinstance(data, tuple) and len(data) == 2 and not _looks_like_point(data):
        points, weights = data
    pts = as_rational_matrix(points, policy, name="data", ncols=P.ambient_dim)
    if weights is None:
        w = [Fraction(1)] * len(pts)
    else:
        w = [as_rational(x, policy, name="data weight") for x in weights]
        if len(w) != len(pts):
            raise InvalidInputError(f"{len(pts)} data points but {len(w)} weights")
        if any(x < 0 for x in w):
            raise InvalidInputError("data weights must be non-negative (they are masses of the random walk)")
    return data_masses(P.n_cells, locate_points(P, pts), w)


def _looks_like_point(d: Any) -> bool:
    try:
        return all(not hasattr(x, "__len__") for x in d)
    except TypeError:
        return False


def graph_from_complex(
    K: Any,
    *,
    edge_weight: str | None = None,
    data: Any = None,
    policy: Any = None,
    face_weight: str = "squared",
    method: str | None = None,
    distance: str | None = None,
) -> WalkGraph:
    """The :class:`WalkGraph` of a complex's 1-skeleton with the chosen weights.

    See :func:`ricci_curvature` for the options. Given ``method`` (and ``distance``)
    only what that curvature needs is computed: Ollivier with data weights and hop
    distances needs no face volume and no centroid (so no vertices: high-dimensional
    data partitions); ``None`` computes everything.
    """
    P = _partition_of(K)
    n = len(list(K.simplices(0)))
    edges = tuple(tuple(e) for e in K.simplices(1))
    masses = _data_masses(K, data, policy)
    base = edge_weight
    if base in (None, "face"):
        base = "data" if masses is not None else "volume"
    if base == "data":
        if masses is None:
            raise InvalidInputError("edge_weight='data' needs data: pass data=points or build the complex with data")
        w = masses
    elif base == "volume":
        w = tuple(c.volume() for c in P.cells)
    elif base == "uniform":
        w = tuple(Fraction(1) for _ in range(n))
    else:
        raise InvalidInputError(f"unknown edge_weight {edge_weight!r}; use 'data', 'volume', 'face' or 'uniform'")
    need_faces = method != "ollivier" or edge_weight == "face"
    if method == "forman" and face_weight == "uniform" and edge_weight != "face":
        need_faces = False
    faces = {}
    if need_faces:
        for sf in P.adjacency():
            faces[(sf.i, sf.j)] = sf.volume()
    factors = None
    if edge_weight == "face":
        factors = {e: faces.get(e, Surd(0)) for e in edges}
    if face_weight == "squared":
        ew = {e: faces.get(e, Surd(0)).squared() for e in edges}
    elif face_weight == "volume":
        ew = {e: faces.get(e, Surd(0)) for e in edges}
    elif face_weight == "uniform":
        ew = {e: Fraction(1) for e in edges}
    else:
        raise InvalidInputError(f"unknown face_weight {face_weight!r}; use 'squared', 'volume' or 'uniform'")
    positions = tuple(c.centroid() for c in P.cells) if distance in (None, "centroid") and method != "forman" else None
    return WalkGraph(n, edges, tuple(w), factors, ew if need_faces or face_weight == "uniform" else None, positions)


def ricci_curvature(
    K: Any,
    method: str = "ollivier",
    *,
    exact: bool = True,
    alpha: Any = Fraction(1, 2),
    edge_weight: str | None = None,
    distance: str = "hops",
    data: Any = None,
    policy: Any = None,
    face_weight: str = "squared",
    progress: bool | None = None,
) -> dict[Edge, Any]:
    """Ricci curvature of every edge of a :class:`~exactgeom.complex.RiemannianComplex`.

    Parameters
    ----------
    K
        The complex (its 1-skeleton: cells and the edges between them).
    method : {"ollivier", "forman"}
    exact : bool
        Exact values, or floats (``exact=False``).
    alpha
        Laziness of the walk (Ollivier), rational in ``[0, 1]``; default 1/2.
    edge_weight : {None, "data", "volume", "face", "uniform"}
        Neighbour weights of the walk (Ollivier) or vertex weights (Forman); default
        ``"data"`` with data, else ``"volume"``.
    distance : {"hops", "centroid"}
        Ollivier's ground metric.
    data
        Data points (rational, or floats with ``policy``), or ``(points, weights)``;
        defaults to the complex's own data masses if it has any.
    face_weight : {"squared", "volume", "uniform"}
        Forman edge weights (``μ_1(e)²``, ``μ_1(e)``, 1).

    Returns
    -------
    dict
        ``{(i, j): value}`` over the edges.

    Raises
    ------
    InvalidInputError
        Unknown options, data needed but missing.
    UndecidedError
        A surd variant could not be certified (see the module docstring).
    """
    G = graph_from_complex(
        K, edge_weight=edge_weight, data=data, policy=policy, face_weight=face_weight, method=method, distance=distance
    )
    if method == "ollivier":
        return ollivier_ricci_graph(G, alpha=alpha, distance=distance, exact=exact, progress=progress)
    if method == "forman":
        return forman_ricci_graph(G, exact=exact)
    raise InvalidInputError(f"unknown method {method!r}; use 'ollivier' or 'forman'")
