"""The :class:`Partition` value: a bounded rational domain cut into exact convex cells.

Every model family (arrangements, argmax-linear classifiers, Voronoi, decision trees,
ReLU networks, refinements) produces one. A partition knows its cells (each with the
model's ``key`` and an exact :class:`~exactgeom.Polytope`), its domain, how it was
made (``provenance``), and — when the model can be evaluated exactly — a ``key_of``
function giving the model's key at an interior point.

>>> from exactgeom import arrangement
>>> P = arrangement([[1, 0], [0, 1]], [0, 0], [(-1, 1), (-1, 1)])   # two crossing lines
>>> P.n_cells, [c.volume() for c in P.cells]
(4, [Fraction(1, 1), Fraction(1, 1), Fraction(1, 1), Fraction(1, 1)])
>>> len(P.adjacency()), P.check().ok
(4, True)
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from typing import Any, Protocol, runtime_checkable

from ..errors import DegenerateError, InvalidInputError
from ..numbers._compat import now_method
from ..numbers.rational import PolicyLike, as_rational_vector, short_str
from ..numbers.surd import Surd
from ..polytope.measures import rational_sum
from ..polytope.polytope import Polytope
from ._check import _cover_count, _outside, _overlapping_pairs, _small_interior_point, _unbalanced_hyperplanes

__all__ = ["Cell", "SharedFace", "Partition", "CheckReport", "ExactModel", "as_domain", "find_adjacency"]

Vec = tuple[Fraction, ...]
Matrix = tuple[tuple[Fraction, ...], ...]


@runtime_checkable
class ExactModel(Protocol):
    """What a partition knows about the model that made it (exact evaluation).

    * ``key(x)``: the model's cell key at a rational point ``x`` (exact; at a point on a
      boundary the builder's tie convention applies — keys are only compared at
      interior points);
    * ``label(key)``: the class label, when the model's decision is constant on the
      cell (classifiers, trees, Voronoi), else ``None``; a model whose label depends on
      the cell's geometry may offer ``cell_label(key, polytope)`` instead (ReLU
      networks: sign/argmax of the output, or ``"mixed"``);
    * ``output_affine(key)``: ``(J, c)`` with the model output ``J x + c`` on the cell
      (ReLU networks, argmax-linear scores), else ``None``.

    A model may also offer ``keys(points)``, the keys at many rational points at once
    (batched exact arithmetic); :meth:`Partition.check` uses it when present.
    """

    def key(self, x: Vec) -> Hashable: ...

    def label(self, key: Hashable) -> Hashable | None: ...

    def output_affine(self, key: Hashable) -> tuple[Matrix, Vec] | None: ...


def as_domain(domain: Any, *, policy: Any = None) -> Polytope:
    """Accept a box as a list of ``(lo, hi)`` pairs or a full-dimensional bounded
    :class:`Polytope`; return the domain polytope.

    >>> as_domain([(0, 1), (0, 1)]).volume()
    Fraction(1, 1)
    """
    if isinstance(domain, Polytope):
        D = domain
    else:
        try:
            pairs = [tuple(p) for p in domain]
        except TypeError:
            raise InvalidInputError(
                f"domain must be a list of (lo, hi) pairs or a Polytope, got {type(domain).__name__}"
            ) from None
        if not pairs or any(len(p) != 2 for p in pairs):
            raise InvalidInputError("a box domain is a non-empty list of (lo, hi) pairs, one per input coordinate")
        D = Polytope.box(pairs, policy=policy)
    if D.is_empty:
        raise DegenerateError("the domain is empty; give a non-empty box or polytope")
    if not D.is_bounded:
        raise DegenerateError("the domain must be bounded; intersect it with a box")
    if not D.is_full_dimensional:
        raise DegenerateError(
            f"the domain has dimension {D.dim} in R^{D.ambient_dim}; it must be full-dimensional "
            "(e.g. a box with lo < hi in every coordinate)"
        )
    return D


@dataclass(frozen=True, eq=False)
class Cell:
    """One cell: the model's ``key`` and the exact ``polytope``; ``index`` in the partition."""

    index: int
    key: Hashable
    polytope: Polytope

    @now_method
    def volume(self) -> Fraction:
        """Exact n-volume of the cell (a method: it computes; see docs/api.md)."""
        return self.polytope.volume()

    @now_method
    def centroid(self) -> Vec:
        """Exact centroid of the cell (a method: it computes)."""
        return self.polytope.centroid()

    def __repr__(self) -> str:
        return (
            f"Cell({self.index}, key={short_str(self.key, 200)}, {self.polytope.n_vertices} vertices, "
            f"volume={short_str(self.volume())})"
        )


@dataclass(frozen=True, eq=False)
class SharedFace:
    """The (n−1)-face where cells ``i < j`` meet.

    ``normal`` is the primitive integer normal of the hyperplane ``normal·x = offset``
    containing it, oriented from cell ``i`` to cell ``j`` (cell i lies on the side
    ``normal·x <= offset``). ``face`` is the exact (n−1)-dimensional polytope.
    """

    i: int
    j: int
    normal: tuple[int, ...]
    offset: Fraction
    face: Polytope

    @cached_property
    def _volume(self) -> Surd:
        return self.face.relative_volume()

    @cached_property
    def _area_vector(self) -> Vec:
        nn = sum(a * a for a in self.normal)
        r = (self._volume / Surd(1, nn)).to_fraction()
        return tuple(r * a for a in self.normal)

    @now_method
    def volume(self) -> Surd:
        """Exact (n−1)-volume, a surd (a method: it computes; cached)."""
        return self._volume

    @now_method
    def area_vector(self) -> Vec:
        """Volume times unit normal, pointing from cell i to cell j (rational; cached)."""
        return self._area_vector

    @property
    def cells(self) -> tuple[int, int]:
        return (self.i, self.j)

    def __repr__(self) -> str:
        return f"SharedFace({self.i}, {self.j}, volume={self._volume})"


@dataclass(frozen=True)
class CheckReport:
    """Result of :meth:`Partition.check`: ``ok`` and the list of ``problems`` found."""

    ok: bool
    problems: tuple[str, ...]
    volume_sum: Fraction | None
    """Exact sum of the cell volumes (``None`` unless ``check(volumes=True)``)."""
    domain_volume: Fraction | None
    """Exact volume of the domain (``None`` when the domain has no affordable vertices)."""
    tiling: bool = False
    """Whether the check proved that the cells tile the domain (bounded full-dimensional
    cells inside it, facet balance and a cover count of 1; see :meth:`Partition.check`).
    ``False`` for partitions that claim no tiling (data cells) and whenever that part
    failed; :func:`~exactgeom.analysis.curvature.angle_defects` relies on it."""

    def __bool__(self) -> bool:
        return self.ok


class Partition:
    """An immutable partition of a bounded full-dimensional domain into exact cells.

    Parameters
    ----------
    domain : Polytope
    cells : sequence of (key, Polytope)
    family : str
        Which builder made it ("arrangement", "relu", ...).
    model : ExactModel, optional
        The exact model (key at a point, label and affine output per cell).
    provenance : mapping
        How it was made (parameters, float policy, mode, ...), recorded in fixtures;
        JSON-friendly values (rationals as Fractions are fine).
    facet_faces : mapping, optional
        ``(cell index, facet index) -> face polytope`` built beforehand by the builder
        (the facet as an (n−1)-polytope, see ``_adjacency.facet_polytope``); used by
        :meth:`adjacency` instead of building those faces again.
    """

    def __init__(
        self,
        domain: Polytope,
        cells: Sequence[tuple[Hashable, Polytope]],
        *,
        family: str,
        model: ExactModel | None = None,
        provenance: Mapping[str, Any] | None = None,
        facet_faces: Mapping[tuple[int, int], Polytope] | None = None,
    ) -> None:
        if not isinstance(domain, Polytope):
            raise InvalidInputError(f"the domain of a Partition must be a Polytope, got {type(domain).__name__}")
        checked = []
        for i, item in enumerate(cells):
            try:
                k, p = item
            except (TypeError, ValueError):
                raise InvalidInputError(f"cell {i} must be a pair (key, Polytope), got {item!r:.80}") from None
            if not isinstance(p, Polytope):
                raise InvalidInputError(
                    f"cell {i} (key {k!r}) is a {type(p).__name__}, not a Polytope; build it with "
                    "Polytope.from_hrep / from_vrep"
                )
            try:
                hash(k)
            except TypeError:
                raise InvalidInputError(f"cell {i} has the unhashable key {k!r}; keys must be hashable") from None
            checked.append((k, p))
        self._set(domain, tuple(Cell(i, k, p) for i, (k, p) in enumerate(checked)), family, model, provenance)
        # optional: shared-face polytopes a builder already made (e.g. in worker
        # processes), (cell index, facet index) -> face; used once by adjacency()
        self._facet_faces = facet_faces

    def _set(
        self,
        domain: Polytope,
        cells: tuple[Cell, ...],
        family: str,
        model: ExactModel | None,
        provenance: Mapping[str, Any] | None,
    ) -> None:
        self._domain = domain
        self._facet_faces = None
        self._cells = cells
        self._family = family
        self._provenance = dict(provenance or {})
        self._model = model
        self._by_key = {c.key: c for c in self._cells}

    @classmethod
    def _from_cells(
        cls,
        domain: Polytope,
        cells: Sequence[Cell],
        *,
        family: str,
        model: ExactModel | None = None,
        provenance: Mapping[str, Any] | None = None,
        adjacency: Sequence[SharedFace] | None = None,
    ) -> Partition:
        """Internal, trusted (no checks): a partition from ready :class:`Cell` objects
        (``cells[i].index == i``; a builder's cells may decode their polytopes on first
        access) and, optionally, its adjacency already computed (sorted by ``(i, j)``, as
        :meth:`adjacency` returns it)."""
        obj = cls.__new__(cls)
        obj._set(domain, tuple(cells), family, model, provenance)
        if adjacency is not None:
            obj.__dict__["_adjacency"] = tuple(adjacency)
        return obj

    # ------------------------------------------------------------------ data
    @property
    def domain(self) -> Polytope:
        return self._domain

    @property
    def cells(self) -> tuple[Cell, ...]:
        return self._cells

    @property
    def n_cells(self) -> int:
        return len(self._cells)

    @property
    def ambient_dim(self) -> int:
        return self._domain.ambient_dim

    @property
    def family(self) -> str:
        return self._family

    @property
    def provenance(self) -> dict[str, Any]:
        return dict(self._provenance)

    @property
    def model(self) -> ExactModel | None:
        """The exact model the partition was built from, if any."""
        return self._model

    def label(self, cell: Cell | int) -> Hashable | None:
        """The model's class label on a cell: the model's ``label(key)`` (classifiers,
        trees, Voronoi), or — for a model whose decision depends on the cell's geometry
        (a ReLU network: ``cell_label(key, polytope)``) — its class where constant on the
        cell and ``"mixed"`` where the decision boundary crosses it (cached per cell).
        None without a model or labels."""
        c = self._cell_arg(cell)
        if self._model is None:
            return None
        lab = self._model.label(c.key)
        cell_label = getattr(self._model, "cell_label", None)  # optional, outside the ExactModel protocol
        if lab is None and callable(cell_label):
            cache = self.__dict__.setdefault("_cell_labels", {})
            if c.index not in cache:
                cache[c.index] = cell_label(c.key, c.polytope)
            lab = cache[c.index]
        return lab

    def output_affine(self, cell: Cell | int) -> tuple[Matrix, Vec] | None:
        """``(J, c)``: the model output is ``J x + c`` on the cell (None if not affine)."""
        c = self._cell_arg(cell)
        return None if self._model is None else self._model.output_affine(c.key)

    def _cell_arg(self, cell: Any) -> Cell:
        """A cell given as a :class:`Cell` or its 0-based index in this partition."""
        if isinstance(cell, Cell):
            return cell
        if isinstance(cell, int) and not isinstance(cell, bool) and 0 <= cell < len(self._cells):
            return self._cells[cell]
        raise InvalidInputError(
            f"cell must be a Cell or an index 0..{len(self._cells) - 1} of this partition, got {short_str(cell)}"
            " (look a cell up by its key with partition.cell(key))"
        )

    def cell(self, key: Hashable) -> Cell:
        """The cell with the given key."""
        try:
            return self._by_key[key]
        except KeyError:
            raise InvalidInputError(f"no cell has key {short_str(key)}") from None

    def __iter__(self) -> Iterator[Cell]:
        return iter(self._cells)

    def __len__(self) -> int:
        return len(self._cells)

    def __repr__(self) -> str:
        return f"Partition({self._family}, {self.n_cells} cells in R^{self.ambient_dim})"

    def key_at(self, x: Any, *, policy: PolicyLike | None = None) -> Hashable:
        """The model's own key at ``x`` (exact evaluation), if the partition has one.
        Float coordinates need a ``policy`` (:class:`~exactgeom.FloatPolicy`)."""
        if self._model is None:
            raise DegenerateError(f"this {self._family} partition carries no model evaluator")
        return self._model.key(as_rational_vector(x, policy, name="x", length=self.ambient_dim))

    def volumes(self) -> tuple[Fraction, ...]:
        """Exact n-volumes of the cells, in cell order (a method: it computes)."""
        return tuple(c.polytope.volume() for c in self._cells)

    # ------------------------------------------------------------------ interop
    def table(self) -> list[dict[str, Any]]:
        """One row (a dict) of per-cell numbers per cell: exact ``volume``, ``share``,
        ``centroid`` and their ``*_float`` views, ``key``, ``label``, counts; see
        :func:`exactgeom.partitions.tables.partition_table`.  No pandas needed.

        >>> from exactgeom import arrangement
        >>> P = arrangement([[1, 1]], [1], [(0, 1), (0, 1)])
        >>> [(r["volume"], r["volume_float"]) for r in P.table()]
        [(Fraction(1, 2), 0.5), (Fraction(1, 2), 0.5)]
        """
        from .tables import partition_table

        return partition_table(self)

    def to_pandas(self) -> Any:
        """:meth:`table` as a ``pandas.DataFrame`` indexed by cell index (exact columns
        keep exact values; pandas is optional: a clear error says how to install it)."""
        from .tables import partition_to_pandas

        return partition_to_pandas(self)

    def to_networkx(self) -> Any:
        """The cell adjacency graph as a ``networkx.Graph`` with exact attributes: nodes are
        cell indices (``key``, ``label``, ``volume``, ``polytope``), edges the shared
        (n−1)-faces (``volume`` a Surd, ``normal``, ``offset``, ``face``); see
        :func:`exactgeom.partitions.tables.partition_to_networkx`.

        >>> from exactgeom import arrangement
        >>> G = arrangement([[1, 0], [0, 1]], [0, 0], [(-1, 1), (-1, 1)]).to_networkx()
        >>> G.number_of_nodes(), sorted(G.edges), G.edges[0, 1]["volume"]
        (4, [(0, 1), (0, 2), (1, 3), (2, 3)], Surd('1'))
        """
        from .tables import partition_to_networkx

        return partition_to_networkx(self)

    # ------------------------------------------------------------------ queries
    def locate(self, x: Any, *, policy: PolicyLike | None = None) -> tuple[Cell, ...]:
        """Every cell containing ``x`` (exact; a boundary point is in several cells,
        a point outside the domain in none). Float coordinates are read by ``policy``
        (:class:`~exactgeom.FloatPolicy`; a float without one is refused).

        >>> from exactgeom import arrangement
        >>> P = arrangement([[1, 0]], [0], [(-1, 1), (-1, 1)])
        >>> [c.key for c in P.locate([0, "1/2"])]
        [(-1,), (1,)]
        >>> [c.key for c in P.locate([0.25, 0.5], policy="exact")]
        [(1,)]
        """
        xv = as_rational_vector(x, policy, name="x", length=self.ambient_dim)
        return tuple(c for c in self._cells if c.polytope.contains(xv))

    def adjacency(self) -> tuple[SharedFace, ...]:
        """The pairs of cells sharing an (n−1)-face, with that face (cached)."""
        return self._adjacency

    @cached_property
    def _adjacency(self) -> tuple[SharedFace, ...]:
        from ._adjacency import find_adjacency_fast  # imports SharedFace from here

        faces = self.__dict__.pop("_facet_faces", None)
        return tuple(find_adjacency_fast([c.polytope for c in self._cells], faces))

    def with_provenance(self, *, family: str | None = None, model: ExactModel | None = None, **extra: Any) -> Partition:
        """A copy with more provenance entries (and optionally another family name or
        model), sharing the cells and their cached geometry.

        >>> from exactgeom import arrangement
        >>> P = arrangement([[1]], [0], [(-1, 1)]).with_provenance(source="demo")
        >>> P.provenance["source"]
        'demo'
        """
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        new._provenance = {**self._provenance, **extra}
        if family is not None:
            new._family = family
        if model is not None:
            new._model = model
            new.__dict__.pop("_check_reports", None)  # keys are checked against the model
            new.__dict__.pop("_cell_labels", None)  # labels come from the model
        return new

    def neighbours(self, i: Cell | int) -> tuple[int, ...]:
        """The indices of the cells sharing an (n−1)-face with cell ``i`` (a
        :class:`Cell` or its 0-based index), ascending.

        >>> from exactgeom import arrangement
        >>> P = arrangement([[1, 0], [0, 1]], [0, 0], [(-1, 1), (-1, 1)])
        >>> P.neighbours(0), P.neighbours(P.cells[3])
        ((1, 2), (1, 2))
        """
        i = self._cell_arg(i).index
        out = []
        for f in self._adjacency:
            if f.i == i:
                out.append(f.j)
            elif f.j == i:
                out.append(f.i)
        return tuple(sorted(out))

    # ------------------------------------------------------------------ invariants
    def check(self, *, volumes: bool = False, raise_on_failure: bool = False, progress: bool | None = None) -> CheckReport:
        """Verify the partition's invariants exactly.

        * every cell is bounded, full-dimensional and inside the domain (every vertex
          satisfies the domain's inequalities);
        * keys are distinct;
        * the cells tile the domain: interiors are pairwise disjoint and the union is the
          domain — by the facet-balance argument below, completed by counting the cells
          around one point (or, with ``volumes=True``, also by the cell volumes summing
          to the domain's volume);
        * every key is realised: the model's key at an interior point of the cell (the
          mean of its vertices) equals the cell's key (when the partition carries an exact
          evaluator; a model with a batched ``keys(points)`` method is asked once).

        **Why facet balance proves the tiling** (no pairwise cell intersections). Let
        ``m(x)`` count the cells containing ``x`` in their interior. Crossing a facet
        hyperplane ``H`` (with unit normal ``ν``) at a point lying on no other facet
        hyperplane, ``m`` changes by ``p(x) − q(x)``: the number of cells with a facet on
        ``H`` through ``x`` lying on the ``−ν`` side, minus those on the ``+ν`` side. If
        ``p = q`` almost everywhere on every hyperplane ``H`` that is not a facet
        hyperplane of the domain, ``m`` is constant, ``k`` say, on the interior of the
        domain minus a set of codimension 2 (which does not disconnect it). So ``k``
        is read off at any single point ``x₀`` of the domain's interior that lies on no
        cell's boundary: ``k = m(x₀)``, one exact pass over the cells' facets. (With
        ``volumes=True`` the cells' exact volumes give a second, independent reading:
        the cells lie in the domain, so ``Σ vol(C_i) = ∫ m = k·vol(D)``.) ``k = 1``
        means interiors are pairwise disjoint (two overlapping interiors would give
        ``m ≥ 2`` on an open set) and the cells cover the domain. Conversely every
        partition passes (near almost every point of a facet exactly one cell lies on the
        other side, and it has a facet there).

        ``p = q`` is verified facet by facet, exactly:

        1. on each hyperplane, a facet on one side whose vertex set equals that of a
           facet on the other side is paired with it (equal vertex sets: equal convex
           sets, so paired facets contribute equally to ``p`` and ``q``). For
           face-to-face partitions (arrangements, argmax, Voronoi, ReLU networks in
           general position) this pairs every facet, and the whole check costs one
           pass over the facets and the vertices;
        2. each facet ``F`` left unpaired (T-junctions: trees, refinements) is cut by the
           unpaired facets ``G`` of the other side: the pieces ``F ∩ G`` of dimension
           n−1 (exact intersections) must have pairwise disjoint relative interiors and
           volumes summing to ``vol(F)``, and likewise for each ``G``. Then the other
           side's count is 1 almost everywhere on every unpaired facet, which gives
           ``p = q`` almost everywhere.

        When the facet balance or the count fails, the problem is located by the
        reference pairwise test (a separating facet hyperplane, or an exact intersection
        of dimension < n) so the report names the overlapping cells.

        Parameters
        ----------
        volumes
            Also compute every cell's exact volume (cached on the cells, reused by the
            complex and the fixtures) and require their sum to equal the domain's
            volume; ``report.volume_sum`` is ``None`` otherwise. The tiling proof does
            not need it; it is an independent second witness and costs more than the
            rest of the check.
        raise_on_failure
            Raise :class:`~exactgeom.errors.DegenerateError` naming the first problems.
        progress
            tqdm bar over the cells (``None``: only on a terminal, after a second).

        The report is computed once per ``volumes`` value and cached (the partition is
        immutable; a report with volumes also answers ``volumes=False``).

        >>> from exactgeom import arrangement
        >>> P = arrangement([[1, 1]], [0], [(-1, 1), (-1, 1)])
        >>> P.check().ok, P.check().volume_sum
        (True, None)
        >>> rep = P.check(volumes=True)
        >>> rep.ok, rep.volume_sum, rep.domain_volume
        (True, Fraction(4, 1), Fraction(4, 1))
        """
        if not isinstance(volumes, bool):
            raise InvalidInputError(f"volumes must be True or False, got {volumes!r}")
        cache = self.__dict__.setdefault("_check_reports", {})
        rep: CheckReport | None = cache.get(volumes)  # (a report is falsy when the check failed)
        if rep is None and not volumes:
            rep = cache.get(True)
        if rep is None:
            from ._progress import progress_bar

            with progress_bar(3 * self.n_cells, "check", progress, unit="cell") as bar:
                rep = cache[volumes] = self._run_check(bar, volumes=volumes)
        if raise_on_failure and rep.problems:
            raise DegenerateError("partition check failed: " + "; ".join(rep.problems[:5]))
        return rep

    @property
    def _check_report(self) -> CheckReport:  # kept for callers of the old cached property
        return self.check()

    def _run_check(self, bar: Any, *, volumes: bool = False) -> CheckReport:
        problems: list[str] = []
        D = self._domain
        n = D.ambient_dim
        keys = [c.key for c in self._cells]
        if len(set(keys)) != len(keys):
            problems.append("duplicate cell keys")
        good: list[Cell] = []
        for c in self._cells:
            P = c.polytope
            if not P.is_bounded or P.dim != n:
                problems.append(f"cell {c.index} (key {c.key!r}) is not a bounded full-dimensional polytope")
            else:
                good.append(c)
        # distinct vertices, each tested once against the domain's inequalities
        vid: dict[tuple[int, ...], int] = {}  # keyed by integers: hashing Fractions is slow
        first: list[Vec] = []
        cell_vids: list[list[int]] = []
        for c in good:
            ids = []
            for v in c.polytope.vertices:
                k = tuple([x.numerator for x in v] + [x.denominator for x in v])
                i = vid.get(k)
                if i is None:
                    i = vid[k] = len(first)
                    first.append(v)
                ids.append(i)
            cell_vids.append(ids)
        bar.update(len(self._cells))
        outside = _outside(first, D)
        left = False
        for c, ids in zip(good, cell_vids):
            if outside and any(i in outside for i in ids):
                left = True
                problems.append(f"cell {c.index} (key {c.key!r}) leaves the domain")
        dv = D.volume()
        total: Fraction | None = None
        if volumes:
            total = rational_sum([c.volume() for c in good])
            if total != dv:
                problems.append(f"cell volumes sum to {total}, domain volume is {dv}")
        bar.update(len(self._cells))
        polys = [c.polytope for c in good]
        pts = [_small_interior_point(c.polytope) for c in good]
        complete = len(good) == len(self._cells) and not left
        if complete:
            unbalanced = _unbalanced_hyperplanes(polys, cell_vids, D)
        else:
            unbalanced = ["(some cells are not bounded full-dimensional polytopes inside the domain)"]
        cover = None if unbalanced else _cover_count(polys, pts)
        if unbalanced or cover != 1:
            pairs = _overlapping_pairs(polys)  # the slow reference test names the culprits
            for a, b in pairs:
                problems.append(f"cells {good[a].index} and {good[b].index} have overlapping interiors")
            if not pairs and complete:
                if unbalanced:
                    # no overlaps: m <= 1 almost everywhere, and m jumps across this
                    # hyperplane, so m = 0 on an open set next to it
                    problems.append(f"part of the domain is covered by no cell (a gap next to {unbalanced[0]})")
                else:  # pragma: no cover - impossible by the argument in check()'s docstring
                    problems.append(f"the facets balance and no two cells overlap, yet the cells cover a point {cover} times")
        if self._model is not None and good:
            batch = getattr(self._model, "keys", None)
            got = list(batch(pts)) if callable(batch) else [self._model.key(x) for x in pts]
            for c, key in zip(good, got):
                if key != c.key:
                    problems.append(f"cell {c.index}: model key at an interior point is {key!r}, cell key is {c.key!r}")
        bar.update(len(self._cells))
        tiling = complete and not unbalanced and cover == 1 and (total is None or total == dv)
        return CheckReport(not problems, tuple(problems), total, dv, tiling)


# ---------------------------------------------------------------------- helpers


def find_adjacency(polys: Sequence[Polytope]) -> list[SharedFace]:
    """All pairs of full-dimensional polytopes meeting in an (n−1)-dimensional face —
    the slow, independent reference routine (one cddlib intersection per candidate pair).

    :meth:`Partition.adjacency` uses the faster
    :func:`exactgeom.partitions._adjacency.find_adjacency_fast`; the tests compare the two
    face by face, and this one needs no assumption about disjoint interiors.

    Candidates are pairs with facets on the same hyperplane and opposite orientation;
    the shared face is their exact intersection (kept when it has dimension n−1).
    """
    if not polys:
        return []
    n = polys[0].ambient_dim
    by_plane: dict[tuple[Any, ...], list[tuple[int, int]]] = {}
    for ci, P in enumerate(polys):
        for h in P.facets:
            # canonical orientation: first nonzero entry positive
            s = 1 if next(x for x in h.normal if x != 0) > 0 else -1
            key = (tuple(s * x for x in h.normal), s * h.offset)
            by_plane.setdefault(key, []).append((ci, s))
    seen: set[tuple[int, int]] = set()
    out: list[SharedFace] = []
    for (normal, offset), members in by_plane.items():
        pos = [c for c, s in members if s == 1]
        neg = [c for c, s in members if s == -1]
        for a in pos:  # cell a lies on the side normal·x <= offset
            for b in neg:
                pair = (min(a, b), max(a, b))
                if pair in seen:
                    continue
                F = polys[a].intersect(polys[b])
                if F.dim == n - 1:
                    seen.add(pair)
                    if a < b:
                        out.append(SharedFace(a, b, normal, offset, F))
                    else:
                        out.append(SharedFace(b, a, tuple(-x for x in normal), -offset, F))
    out.sort(key=lambda f: (f.i, f.j))
    return out
