"""Data cells of a ReLU network in any input dimension, and the data graph (internal).

**Cells.** The cell of an activation pattern ``s`` is ``{x ∈ D : z_{l,k}(x) ≥ 0 if
s_{l,k} = 1, ≤ 0 otherwise}`` (:meth:`ReLUNetwork.cell_hrep`). In low input dimension
the incremental vertex engine (:mod:`.relu_enum`) builds it from the domain's vertices;
a box in R^n has 2^n of them, so above :data:`VERTEX_ENGINE_MAX_DIM` inputs the cell is
built H-first instead: a :class:`~exactgeom.Polytope` from the pattern's half-spaces,
whose irredundant facets, dimension and interior point come from exact linear
programming, with no vertex enumeration (``engine="lp"`` forces this path in any
dimension, ``engine="vertices"`` the vertex engine). Both give the same cells.

**Facet-crossing rule.** Across a facet ``F`` of a cell ``C`` that is not on the domain's
boundary there is exactly one cell, and it shares all of ``F`` (the cells of a ReLU
network meet facet to facet: the units that change sign across ``F`` vanish on ``F``,
so every later unit differs across ``F`` by an affine function vanishing on ``F``). Its
pattern is the pattern at ``w + εν`` for a point ``w`` in the relative interior of ``F``
(the facet's *witness*: on ``F`` and strictly inside every other facet of ``C``), ``ν``
the outward normal and ``ε > 0`` infinitesimal: the pre-activations at ``w`` decide
every unit that is not zero there, the sign of the derivative along ``ν`` (propagated
layer by layer through the new pattern) decides the others, and a unit still tied
(zero with zero derivative along ``ν``: a unit dead beyond ``F``, or several units on
``F``'s hyperplane) is decided by the further directions ``e_1, …, e_n`` of
:meth:`ReLUNetwork.cell_pattern`. Integer arithmetic only; no tolerance.

**Data graph.** The data cells are its vertices; two data cells are joined when one
lies across a facet of the other. Each edge is found from both sides, and the two
findings are checked to agree (the witness of each side lies in the other cell). The
shared face is the exact H-polytope ``C_i ∩ {normal·x = offset}``, built on first use;
its (n−1)-volume needs its vertices and is computed only when asked for.

>>> from exactgeom.partitions.relu import relu_network
>>> net = [[[1, 0], [0, 1]], [[1, 1]]]
>>> P = relu_network(net, [[0, 0], [0]], [(-1, 1), (-1, 1)], mode="data",
...                  data=[["1/2", "1/2"], ["-1/2", "1/2"], ["-1/2", "-1/2"]], engine="lp")
>>> [(f.i, f.j, f.normal) for f in P.adjacency()]
[(0, 1, (0, 1)), (1, 2, (1, 0))]
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from fractions import Fraction
from functools import cached_property
from operator import mul
from typing import Any

from ..errors import InvalidInputError
from ..numbers.rational import PolicyLike, as_rational_matrix, short_str
from ..polytope.polytope import Polytope
from .partition import Partition, SharedFace
from .relu_data_cells import UnitRows, box_bounds, hfirst_cell, hfirst_cells, make_bar
from .relu_int import Pattern

__all__ = [
    "ENGINES",
    "VERTEX_ENGINE_MAX_DIM",
    "DataPartition",
    "DataSharedFace",
    "FacetCrossing",
    "choose_engine",
    "UnitRows",
    "box_bounds",
    "hfirst_cell",
    "hfirst_cells",
    "hfirst_full",
    "cross_facet",
    "make_bar",
    "domain_centre",
]

ENGINES = ("auto", "vertices", "lp")

#: ``engine="auto"`` takes the vertex engine up to this input dimension (a box has
#: 2^n vertices; measured on random 32-32 networks and data in [0, 1]^n, the vertex
#: engine is faster up to here, the H-first path beyond — see
#: ``docs/benchmarks/relu_data_highdim.md``).
VERTEX_ENGINE_MAX_DIM = 6


def choose_engine(engine: str, n: int, leaky: bool) -> str:
    """``"vertices"`` or ``"lp"`` for ``engine`` in :data:`ENGINES`. Networks with leaky
    units always take the H-first path (the vertex engine knows only slope 0)."""
    if engine not in ENGINES:
        raise InvalidInputError(f"unknown engine {engine!r}; use one of {', '.join(map(repr, ENGINES))}")
    if leaky:
        return "lp"
    if engine == "auto":
        return "vertices" if n <= VERTEX_ENGINE_MAX_DIM else "lp"
    return engine


# ---------------------------------------------------------------------- cells


def _witness(P: Polytope, i: int) -> tuple[Fraction, ...]:
    """A rational point in the relative interior of facet ``i``: the mean of its
    vertices when they are known, else the polytope's exact witness LP."""
    if P.engine == "vertices":
        V = [P.vertices[v] for v in P.facet_vertices(i)]
        return tuple(sum((v[j] for v in V), Fraction(0)) / len(V) for j in range(P.ambient_dim))
    return tuple(P.facet_witness(i))


def domain_centre(domain: Polytope) -> tuple[Fraction, ...]:
    """The point data on the domain's boundary is pushed towards
    (:meth:`ReLUNetwork.cell_pattern`'s ``toward``): the centre of a box (the mean of its
    vertices, found without them), else the domain's relative interior point."""
    box = box_bounds(domain)
    if box is None:
        return tuple(domain.relative_interior_point())
    return tuple((a + c) / 2 for a, c in zip(*box))


def _domain_planes(domain: Polytope) -> set[tuple[tuple[int, ...], Fraction]]:
    return {(tuple(h.normal), h.offset) for h in domain.facets}


def cross_facet(net: Any, P: Polytope, i: int, witness: Sequence[Fraction] | None = None) -> Pattern:
    """The pattern of the cell across facet ``i`` of the cell ``P`` (facet-crossing
    rule, see the module docstring): the pattern at ``w + εν + ε² e_1 + …``.

    For a cell built by :func:`hfirst_cell` the rule is applied directly, with no
    evaluation at the witness: at ``w`` (on facet ``i``, strictly inside every other
    half-space of the cell) a unit whose row is not facet ``i``'s half-space has a
    nonzero pre-activation, of the sign the cell's pattern gives it, and keeps it
    across. If the units on facet ``i`` all lie in one layer, their pre-activations
    along ``ν`` change as in the cell (no earlier unit changes), so each of them
    switches. Otherwise (units on the facet in several layers, or a unit identically
    zero on the cell) the general evaluation below decides.

    >>> from exactgeom.partitions.relu import ReLUNetwork
    >>> net = ReLUNetwork([[[1], [1]], [[1, 1]]], [[0, 0], [0]])      # two units on x = 0
    >>> C = net.cell(((0, 0),), [(-1, 1)])
    >>> [h.normal for h in C.facets], cross_facet(net, C, 0)      # across x = 0 both switch on
    ([(1,), (-1,)], ((1, 1),))
    """
    fast = P.__dict__.get("_facet_units")
    if fast is not None:
        pat, on = fast
        units = on.get(i)  # (layer, unit) of each unit on facet i
        if units and all(l == units[0][0] for l, _ in units):
            l = units[0][0]
            row = list(pat[l])
            for _, k in units:
                row[k] = 1 - row[k]
            return (*pat[:l], tuple(row), *pat[l + 1 :])
    w = tuple(witness) if witness is not None else _witness(P, i)
    nu = tuple(int(v) for v in P.facets[i].normal)
    pat, tied = net._int.lex_pattern(w, [nu], ties=True)
    if tied:
        n = P.ambient_dim
        pat = net._int.lex_pattern(w, [nu] + [tuple(int(a == j) for j in range(n)) for a in range(n)])
    return pat


class FacetCrossing:
    """Facet ``facet`` of cell ``cell``: the neighbour's pattern across it (``None`` on
    the domain's boundary), the index of that neighbour in the data partition (``None``
    when it holds no data) and the exact witness point (a rational point on the facet
    strictly inside every other facet; computed on first access)."""

    __slots__ = ("_witness", "cell", "facet", "neighbour", "pattern")

    def __init__(self, cell: int, facet: int, pattern: Pattern | None, neighbour: int | None, witness: Any) -> None:
        self.cell, self.facet, self.pattern, self.neighbour = cell, facet, pattern, neighbour
        self._witness = witness  # a point, or a polytope whose facet witness is asked for on demand

    @property
    def witness(self) -> tuple[Fraction, ...]:
        w = self._witness
        if isinstance(w, Polytope):
            w = self._witness = _witness(w, self.facet)
        return w

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FacetCrossing):
            return NotImplemented
        return (self.cell, self.facet, self.pattern, self.neighbour, self.witness) == (
            other.cell,
            other.facet,
            other.pattern,
            other.neighbour,
            other.witness,
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"FacetCrossing(cell={self.cell}, facet={self.facet}, pattern={self.pattern}, neighbour={self.neighbour})"
        )


def hfirst_full(net: Any, domain: Polytope, polytope_engine: str, progress: bool | None) -> list[tuple[Pattern, Polytope]]:
    """Every cell of ``domain``, by traversal across facets with the facet-crossing rule
    on H-first cells (leaky networks, or ``engine="lp"``;
    :func:`~exactgeom.partitions.crossing.crossing_cells`)."""
    from .crossing import crossing_cells

    rows = UnitRows(net, domain)
    start = net.cell_pattern(domain.relative_interior_point())
    return crossing_cells(  # type: ignore[return-value]
        start,
        lambda s: hfirst_cell(net, s, domain, polytope_engine, rows),
        lambda P, i: cross_facet(net, P, i),
        domain,
        progress,
        "relu cells",
    )


# ---------------------------------------------------------------------- the data graph


def _witness_ints(P: Polytope, i: int) -> tuple[tuple[int, ...], int]:
    """:func:`_witness` as integers ``(X, q)``, the point ``X / q``."""
    if P.engine == "vertices":
        from .relu_int import scale_point

        return scale_point(_witness(P, i))
    from ..polytope.hfirst import _facet_witness_ints

    return _facet_witness_ints(P, i)


class _Screen:
    """The rows ``h_k = (a_k, o_k)`` (integer normals, rational offsets) prepared for
    :meth:`inside`: each normal shifted to ``b`` significant bits, ``a_kj = 2^{e_k} â_kj +
    ρ`` with ``0 <= ρ < 2^{e_k}`` (floor shifts), as one int64 array."""

    def __init__(self, H: Sequence[Any], n: int) -> None:
        import numpy as np

        self.H = list(H)
        self.n = n
        self.bits = min(26, (62 - n.bit_length()) // 2)  # n · 2^(2 bits) < 2^62: no int64 overflow
        es, rows = [], []
        for h in self.H:
            e = max(0, max(max(h.normal), -min(h.normal)).bit_length() - self.bits)
            es.append(e)
            rows.append([v >> e for v in h.normal] if e else h.normal)
        self.e = es
        self.A = np.array(rows, dtype=np.int64).reshape(len(self.H), n)
        self.err = np.abs(self.A).sum(axis=1) + n  # Σ_j (|â_kj| + 1)

    def inside(self, X: Sequence[int], q: int) -> bool:
        """Whether ``X / q`` (``q > 0``) satisfies every row, exactly.

        With ``X_j = 2^f X̂_j + σ`` alike, ``|a_k·X − 2^{e_k+f} â_k·X̂| <= 2^{e_k+f}
        Σ_j (|â_kj| + |X̂_j| + 1)``: the int64 products (exact, bounded above) prove most
        rows; the others are evaluated in full."""
        import numpy as np

        if not self.H:
            return True
        f = max(0, max(max(X), -min(X)).bit_length() - self.bits)
        Xh = [v >> f for v in X] if f else list(X)
        dot = self.A @ np.array(Xh, dtype=np.int64)
        bound = dot + self.err + sum(map(abs, Xh))  # >= a_k·X / 2^(e_k+f)
        for k, h in enumerate(self.H):
            o = h.offset
            if (int(bound[k]) << (self.e[k] + f)) * o.denominator <= o.numerator * q:
                continue  # proved by the bound
            if sum(map(mul, h.normal, X)) * o.denominator > o.numerator * q:
                return False
        return True


class DataSharedFace(SharedFace):
    """A :class:`SharedFace` of the data graph whose face polytope is built on first use
    (``C_i ∩ {normal·x = offset}``, an exact H-polytope); its :attr:`volume` needs the
    face's vertices (in high dimension it may exceed the vertex limit and say so)."""

    def __init__(self, i: int, j: int, normal: tuple[int, ...], offset: Fraction, cell: Polytope) -> None:
        for k, v in (("i", i), ("j", j), ("normal", normal), ("offset", offset), ("_cell", cell)):
            object.__setattr__(self, k, v)

    @cached_property
    def face(self) -> Polytope:  # type: ignore[override]
        P = self._cell
        A = [tuple(Fraction(v) for v in h.normal) for h in P.facets]
        b = [h.offset for h in P.facets]
        eq = ([tuple(Fraction(v) for v in self.normal)], [self.offset])
        return Polytope.from_hrep(A, b, eq, ambient_dim=P.ambient_dim, engine=P.engine)

    def __repr__(self) -> str:
        return f"DataSharedFace({self.i}, {self.j}, normal={self.normal}, offset={self.offset})"


class DataPartition(Partition):
    """The data-containing cells of a ReLU network (``relu_network(..., mode="data")``).

    The cells do not cover the domain; :meth:`adjacency` is the **data graph** (data
    cells sharing an (n−1)-face, found by the facet-crossing rule without vertices),
    :meth:`facet_crossings` the neighbour pattern across every facet, and
    :meth:`data_cell_indices` locates points by the rule the cells were built with.
    """

    @property
    def is_data_partition(self) -> bool:
        """True: only the cells holding data are present (they do not cover the domain)."""
        return True

    def adjacency(self, *, progress: bool | None = None) -> tuple[SharedFace, ...]:
        """The data graph: pairs of data cells sharing an (n−1)-face, with that face
        (normal oriented from ``i`` to ``j``; face polytope and volume on demand).
        Cached; ``progress`` shows a tqdm bar over the cells the first time."""
        if "_adjacency" not in self.__dict__:
            self.__dict__["_adjacency"] = self._data_graph(progress)
        return self.__dict__["_adjacency"]

    @cached_property
    def _adjacency(self) -> tuple[SharedFace, ...]:  # type: ignore[override]
        return self._data_graph(None)

    def facet_crossings(self, i: int) -> tuple[FacetCrossing, ...]:
        """For each facet of cell ``i``: the pattern across it and its data-cell index."""
        if not isinstance(i, int) or isinstance(i, bool) or not 0 <= i < self.n_cells:
            raise InvalidInputError(f"cell index {i!r} out of range 0..{self.n_cells - 1}")
        cache = self.__dict__.setdefault("_crossings", {})
        got = cache.get(i)
        if got is None:
            got = tuple(self._crossings_of(i))
            cache[i] = got
        return got

    @cached_property
    def _planes(self) -> set[tuple[tuple[int, ...], Fraction]]:
        """The domain's facet planes (facets on them are not crossed)."""
        return _domain_planes(self.domain)

    @cached_property
    def _key_index(self) -> dict[Any, int]:
        """Cell index by key (from :class:`Partition`'s key table)."""
        return {k: c.index for k, c in self._by_key.items()}

    def _crossings_of(self, i: int) -> Iterator[FacetCrossing]:
        net = self.model
        P = self.cells[i].polytope
        planes, index = self._planes, self._key_index
        fu = P.__dict__.get("_facet_units")
        on = fu[1] if fu is not None else None
        for f, h in enumerate(P.facets):
            # a facet of an H-first cell with no unit on it comes from a domain row
            if (on is not None and f not in on) or (h.normal, h.offset) in planes:
                yield FacetCrossing(i, f, None, None, P)
                continue
            t = cross_facet(net, P, f)
            yield FacetCrossing(i, f, t, index.get(t), P)

    def _inner_facets(self, i: int) -> list[int]:
        """The facets of cell ``i`` not on the domain's boundary."""
        return [fc.facet for fc in self.facet_crossings(i) if fc.pattern is not None]

    def _data_graph(self, progress: bool | None) -> tuple[SharedFace, ...]:
        bar = make_bar(progress, self.n_cells, "data graph")
        found: dict[tuple[int, int], list[tuple[int, int]]] = {}
        try:
            for c in self.cells:
                for fc in self.facet_crossings(c.index):
                    if fc.neighbour is not None:
                        a, b = sorted((c.index, fc.neighbour))
                        found.setdefault((a, b), []).append((c.index, fc.facet))
                if bar is not None:
                    bar.update(1)
        finally:
            if bar is not None:
                bar.close()
        out: list[SharedFace] = []
        screens: dict[int, _Screen] = {}

        def screen(c: int) -> _Screen:
            # each witness lies in its own cell, inside the domain: only the other
            # cell's facets off the domain's boundary need checking
            got = screens.get(c)
            if got is None:
                P = self.cells[c].polytope
                got = screens[c] = _Screen([P.facets[f] for f in self._inner_facets(c)], P.ambient_dim)
            return got

        for (a, b), sides in sorted(found.items()):
            if a == b or len(sides) != 2 or {s for s, _ in sides} != {a, b}:  # pragma: no cover - theorem
                raise AssertionError(f"internal error: facet crossing between data cells {a} and {b} is one-sided: {sides}")
            (ca, fa), (cb, fb) = sorted(sides)
            Pa, Pb = self.cells[ca].polytope, self.cells[cb].polytope
            ha, hb = Pa.facets[fa], Pb.facets[fb]
            if ha.normal != tuple(-v for v in hb.normal) or ha.offset != -hb.offset or not (
                screen(cb).inside(*_witness_ints(Pa, fa)) and screen(ca).inside(*_witness_ints(Pb, fb))
            ):  # pragma: no cover - theorem
                raise AssertionError(f"internal error: data cells {a} and {b} do not meet facet to facet")
            out.append(DataSharedFace(a, b, tuple(ha.normal), ha.offset, Pa))
        return tuple(out)

    def data_cell_indices(self, points: Any, *, policy: PolicyLike | None = None) -> tuple[int, ...]:
        """The data cell of each point, by the rule the cells were built with
        (:meth:`ReLUNetwork.cell_pattern` towards the domain's interior point).

        Raises
        ------
        InvalidInputError
            A point of the wrong dimension, outside the domain, or in no data cell.
        """
        from ._vcell import int_row

        net = self.model
        n = self.ambient_dim
        pts = as_rational_matrix(points, policy, name="points")
        if any(len(x) != n for x in pts):
            raise InvalidInputError(f"points must have {n} coordinates (the partition lives in R^{n})")
        bad = net._int.outside(pts, [int_row(h.normal, h.offset) for h in self.domain.facets])
        if bad is not None:
            raise InvalidInputError(
                f"point {bad} = {short_str(pts[bad])} lies outside the domain; give points inside it"
            )
        pats, _ = net._int.batch_cell_patterns(pts, domain_centre(self.domain))
        index = self._key_index
        out = []
        for k, s in enumerate(pats):
            j = index.get(s)
            if j is None:
                raise InvalidInputError(
                    f"point {k} lies in the cell of pattern {s}, which is not a data cell of this partition; "
                    "rebuild the partition with this point in its data"
                )
            out.append(j)
        return tuple(out)

    def _run_check(self, bar: Any, *, volumes: bool = False) -> Any:
        """:meth:`Partition.check` for data cells, which do not cover the domain (so
        no tiling is claimed): keys distinct; every cell full-dimensional with an
        interior point strictly inside the domain, where the model's key is the cell's
        key (two cells with distinct keys at interior points therefore have disjoint
        interiors only if each is its pattern's region: that is how they are built, and
        the data graph re-derives every facet from the patterns across it). With
        ``volumes=True`` (cells whose vertices are affordable) ``volume_sum`` is the
        data cells' total, at most the domain's volume; otherwise ``None``."""
        from .partition import CheckReport

        problems: list[str] = []
        n = self.ambient_dim
        keys = [c.key for c in self.cells]
        if len(set(keys)) != len(keys):
            problems.append("duplicate cell keys")
        for c in self.cells:
            P = c.polytope
            if P.dim != n:
                problems.append(f"cell {c.index} (key {c.key!r}) is not full-dimensional")
                continue
            x = P.relative_interior_point()
            if not self.domain.contains(x, strict=True):
                problems.append(f"cell {c.index} (key {c.key!r}) leaves the domain")
            if self.model is not None and self.model.key(x) != c.key:
                problems.append(f"cell {c.index}: model key at its interior point differs from its key {c.key!r}")
            if bar is not None:
                bar.update(3)
        total = dv = None
        if volumes:
            total = sum((c.volume() for c in self.cells), Fraction(0))
            dv = self.domain.volume()
            if total > dv:
                problems.append(f"data cell volumes sum to {total}, more than the domain's volume {dv}")
        return CheckReport(not problems, tuple(problems), total, dv)
