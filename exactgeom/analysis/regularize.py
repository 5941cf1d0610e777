r"""Geometric regularizers: exact penalties on the data-containing cells of a partition.

Let ``C_1, …, C_m`` be the cells holding at least one data point (a point goes to
the cell :func:`~exactgeom.complex.measures.locate_points` names: the model's own cell
at interior points, else the lowest-index cell containing it).  The penalties:

* **small cells** ``Σ_i φ(vol C_i / vol D)``.  ``phi="inverse"`` (default)
  ``φ(t) = 1/t``; ``phi="hinge"`` ``φ(t) = max(0, t0/t − 1)`` (zero for cells of at
  least ``t0`` of the domain, default ``t0 = 1/100``); or any callable mapping a
  Fraction to a Fraction.  Rational.
* **sliver angles** ``Σ cos²θ`` over the dihedral angles ``θ`` of the data cells whose
  ``cos²θ`` exceeds ``threshold`` (default ``3/4``: angles below 30° or above 150°);
  ``include_domain=False`` skips angles involving a facet on the domain's boundary.
  Rational (``cos²θ = ⟨a,b⟩²/(‖a‖²‖b‖²)``).
* **boundary area** ``Σ vol_{n−1}(C_i ∩ C_j)`` over the pairs of data cells sharing an
  ``(n−1)``-face: the decision boundary's area inside the data region.  An exact surd
  sum.
* **small margins** ``Σ_x max(0, m² − d(x)²)`` with ``d(x)`` the distance from data
  point ``x`` to the nearest facet of its cell that is not on the domain's boundary,
  ``d² = (b − a·x)²/‖a‖²`` rational; ``m`` defaults to 1/20 of the smallest side of the
  domain's bounding box.  Rational.

:func:`build_plan` records, for a ReLU partition, the exact combinatorics these
penalties need (which constraint rows are facets, the tight rows of every vertex, a
triangulation of every data cell and shared face, the selected angles, the margin
rows).  :mod:`exactgeom.analysis.regularize_torch` evaluates the same penalties as
differentiable PyTorch functions of the network's weights from that plan, and they
agree with the exact values (tested).

>>> from exactgeom import arrangement
>>> P = arrangement([[1, 0]], ["1/4"], [(0, 1), (0, 1)])      # cells of area 1/4 and 3/4
>>> dc = assign_data(P, [["1/8", "1/2"], ["1/2", "1/2"]])
>>> small_cell_penalty(dc), boundary_area(dc)
(Fraction(16, 3), Fraction(1, 1))
>>> margin_penalty(dc, margin=Fraction(1, 2))                # (1/4 − 1/64) + (1/4 − 1/16)
Fraction(27, 64)
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ..complex.measures import locate_points
from ..errors import InvalidInputError
from ..linalg import rational as la
from ..numbers.rational import as_rational, as_rational_matrix
from ..numbers.surdsum import SurdSum
from ..partitions.partition import Partition
from ..partitions.relu import ReLUNetwork
from ..polytope.polytope import Polytope
from .forms import cell_forms
from .surd_ratio import simplest

__all__ = [
    "DataCells",
    "assign_data",
    "small_cell_penalty",
    "sliver_angle_penalty",
    "boundary_area",
    "margin_penalty",
    "Penalties",
    "geometric_penalties",
    "CellPlan",
    "FacePlan",
    "RegularizationPlan",
    "build_plan",
    "phi_value",
]

Vec = tuple[Fraction, ...]


# ---------------------------------------------------------------------- data
@dataclass(frozen=True, eq=False)
class DataCells:
    """Data points assigned to cells.

    Attributes
    ----------
    partition : Partition
    points : tuple of rational points
    cell_of : tuple[int, ...]
        The cell index of each point.
    cells : tuple[int, ...]
        The data-containing cells, sorted.
    """

    partition: Partition
    points: tuple[Vec, ...]
    cell_of: tuple[int, ...]
    cells: tuple[int, ...]

    def points_in(self, i: int) -> tuple[int, ...]:
        """Indices of the points in cell ``i``."""
        return tuple(k for k, c in enumerate(self.cell_of) if c == i)


def assign_data(partition: Partition, data: Any, *, policy: Any = None) -> DataCells:
    """Assign data points to the cells of a partition.

    Parameters
    ----------
    partition : Partition
    data
        Points (rows), rational; floats need ``policy``.

    Raises
    ------
    InvalidInputError
        No points, wrong dimension, or a point outside the domain.

    Examples
    --------
    >>> from exactgeom import arrangement
    >>> P = arrangement([[1, 0]], [0], [(-1, 1), (-1, 1)])
    >>> assign_data(P, [[-1, 0], ["1/2", 0]]).cells
    (0, 1)
    >>> assign_data(P, [[0, 0]]).cell_of      # on the shared face: the lowest index
    (0,)
    """
    if not isinstance(partition, Partition):
        raise InvalidInputError(f"assign_data needs a Partition, got {type(partition).__name__}")
    pts = as_rational_matrix(data, policy, name="data", ncols=partition.ambient_dim)
    if not pts:
        raise InvalidInputError("data is empty; give at least one point")
    cell_of = locate_points(partition, pts)
    return DataCells(partition, tuple(pts), tuple(cell_of), tuple(sorted(set(cell_of))))


def _as_data_cells(x: Any, data: Any = None, policy: Any = None) -> DataCells:
    if isinstance(x, DataCells):
        return x
    if isinstance(x, Partition):
        if data is None:
            raise InvalidInputError("give data points (or a DataCells from assign_data)")
        return assign_data(x, data, policy=policy)
    raise InvalidInputError(f"expected a DataCells or a Partition, got {type(x).__name__}")


def _domain_planes(D: Polytope) -> set[tuple[tuple[int, ...], Fraction]]:
    return {(h.normal, h.offset) for h in D.facets}


def _model_facets(P: Polytope, D: Polytope) -> list[int]:
    planes = _domain_planes(D)
    return [i for i, h in enumerate(P.facets) if (h.normal, h.offset) not in planes]


# ---------------------------------------------------------------------- penalties
def phi_value(phi: Any, t: Fraction, t0: Fraction) -> Fraction:
    """``φ(t)`` for the small-cell penalty (see the module docstring).

    >>> phi_value("inverse", Fraction(1, 4), Fraction(1, 100)), phi_value("hinge", Fraction(1, 4), Fraction(1, 2))
    (Fraction(4, 1), Fraction(1, 1))
    """
    if phi == "inverse":
        return 1 / t
    if phi == "hinge":
        return max(Fraction(0), t0 / t - 1)
    if callable(phi):
        v = phi(t)
        return as_rational(v, name="phi(t)")
    raise InvalidInputError(f"unknown phi {phi!r}; use 'inverse', 'hinge' or a callable Fraction -> Fraction")


def small_cell_penalty(
    cells: Any, data: Any = None, *, phi: Any = "inverse", t0: Any = Fraction(1, 100), policy: Any = None
) -> Fraction:
    """``Σ φ(vol C_i / vol D)`` over the data cells (exact).

    Parameters
    ----------
    cells
        A :class:`DataCells`, or a Partition together with ``data``.
    phi : {"inverse", "hinge"} or callable
    t0
        Threshold of ``"hinge"``.

    Examples
    --------
    >>> from exactgeom import arrangement
    >>> P = arrangement([[1, 0]], [0], [(-1, 1), (-1, 1)])
    >>> small_cell_penalty(P, [[-1, 0], ["1/2", 0]]), small_cell_penalty(P, [[-1, 0]], phi="hinge", t0="1/2")
    (Fraction(4, 1), Fraction(0, 1))
    """
    dc = _as_data_cells(cells, data, policy)
    P = dc.partition
    vD = P.domain.volume()
    t0q = as_rational(t0, name="t0")
    return sum((phi_value(phi, P.cells[i].volume() / vD, t0q) for i in dc.cells), Fraction(0))


def _sliver_pairs(P: Polytope, D: Polytope, threshold: Fraction, include_domain: bool) -> list[tuple[int, int, Fraction]]:
    model = set(_model_facets(P, D))
    out = []
    for i, j in sorted(P.dihedral_angles()):
        if not include_domain and (i not in model or j not in model):
            continue
        c2 = P.dihedral_angle(i, j).squared_cos()
        if c2 > threshold:
            out.append((i, j, c2))
    return out


def sliver_angle_penalty(
    cells: Any,
    data: Any = None,
    *,
    threshold: Any = Fraction(3, 4),
    include_domain: bool = True,
    policy: Any = None,
) -> Fraction:
    """``Σ cos²θ`` over the dihedral angles of the data cells with ``cos²θ > threshold``.

    Examples
    --------
    >>> from exactgeom import arrangement
    >>> P = arrangement([[1, 0], [4, 1]], [0, 0], [(-1, 1), (-1, 1)])   # a 14° wedge
    >>> sliver_angle_penalty(P, [["1/10", "-9/10"]])
    Fraction(16, 17)
    >>> sliver_angle_penalty(P, [["1/10", "-9/10"]], threshold=1)      # degenerate: nothing exceeds 1
    Fraction(0, 1)
    """
    dc = _as_data_cells(cells, data, policy)
    thr = as_rational(threshold, name="threshold")
    P = dc.partition
    tot = Fraction(0)
    for i in dc.cells:
        for _, _, c2 in _sliver_pairs(P.cells[i].polytope, P.domain, thr, include_domain):
            tot += c2
    return tot


def _data_faces(dc: DataCells) -> list[Any]:
    s = set(dc.cells)
    return [f for f in dc.partition.adjacency() if f.i in s and f.j in s]


def boundary_area(cells: Any, data: Any = None, *, policy: Any = None) -> Any:
    """``Σ vol_{n−1}(C_i ∩ C_j)`` over pairs of data cells sharing a face (exact; a
    Fraction when rational, else a SurdSum).

    Examples
    --------
    >>> from exactgeom import arrangement
    >>> P = arrangement([[1, 1]], [0], [(-1, 1), (-1, 1)])
    >>> boundary_area(P, [[-1, -1], [1, 1]]), boundary_area(P, [[1, 1]])
    (SurdSum('2*sqrt(2)'), Fraction(0, 1))
    """
    dc = _as_data_cells(cells, data, policy)
    tot = SurdSum([])
    for f in _data_faces(dc):
        tot = tot + f.volume()
    return simplest(tot)


def default_margin(D: Polytope) -> Fraction:
    """1/20 of the smallest side of the domain's bounding box.

    >>> default_margin(Polytope.box([(0, 2), (0, 1)]))
    Fraction(1, 20)
    """
    V = D.vertices
    n = D.ambient_dim
    return min(max(v[j] for v in V) - min(v[j] for v in V) for j in range(n)) / 20


def _point_d2(P: Polytope, rows: Sequence[int], x: Vec) -> Fraction | None:
    best = None
    for i in rows:
        h = P.facets[i]
        s = h.slack(x)
        d2 = s * s / h.squared_norm()
        if best is None or d2 < best:
            best = d2
    return best


def margin_penalty(cells: Any, data: Any = None, *, margin: Any = None, policy: Any = None) -> Fraction:
    """``Σ_x max(0, m² − d(x)²)`` (see the module docstring).

    Examples
    --------
    >>> from exactgeom import arrangement
    >>> P = arrangement([[1, 0]], [0], [(-1, 1), (-1, 1)])
    >>> margin_penalty(P, [["1/10", 0], [1, 1]], margin="1/5")    # 1/25 − 1/100
    Fraction(3, 100)
    """
    dc = _as_data_cells(cells, data, policy)
    P = dc.partition
    m = default_margin(P.domain) if margin is None else as_rational(margin, name="margin")
    m2 = m * m
    tot = Fraction(0)
    rows_of = {i: _model_facets(P.cells[i].polytope, P.domain) for i in dc.cells}
    for x, i in zip(dc.points, dc.cell_of):
        d2 = _point_d2(P.cells[i].polytope, rows_of[i], x)
        if d2 is not None and d2 < m2:
            tot += m2 - d2
    return tot


@dataclass(frozen=True)
class Penalties:
    """The four exact penalties (see the module docstring) and the options used."""

    small_cells: Fraction
    sliver_angles: Fraction
    boundary_area: Any
    margins: Fraction
    n_data_cells: int
    options: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "small_cells": self.small_cells,
            "sliver_angles": self.sliver_angles,
            "boundary_area": self.boundary_area,
            "margins": self.margins,
        }


def geometric_penalties(
    partition: Any,
    data: Any = None,
    *,
    phi: Any = "inverse",
    t0: Any = Fraction(1, 100),
    threshold: Any = Fraction(3, 4),
    include_domain: bool = True,
    margin: Any = None,
    policy: Any = None,
) -> Penalties:
    """All four penalties on the data cells of a partition, exactly.

    Examples
    --------
    >>> from exactgeom import arrangement
    >>> P = arrangement([[1, 0]], [0], [(-1, 1), (-1, 1)])
    >>> g = geometric_penalties(P, [[-1, 0], ["1/2", 0]])
    >>> g.small_cells, g.sliver_angles, g.boundary_area, g.margins
    (Fraction(4, 1), Fraction(0, 1), Fraction(2, 1), Fraction(0, 1))
    """
    dc = _as_data_cells(partition, data, policy)
    m = default_margin(dc.partition.domain) if margin is None else as_rational(margin, name="margin")
    return Penalties(
        small_cell_penalty(dc, phi=phi, t0=t0),
        sliver_angle_penalty(dc, threshold=threshold, include_domain=include_domain),
        boundary_area(dc),
        margin_penalty(dc, margin=m),
        len(dc.cells),
        {"phi": phi if isinstance(phi, str) else "callable", "t0": as_rational(t0, name="t0"),
         "threshold": as_rational(threshold, name="threshold"), "include_domain": include_domain, "margin": m},
    )


# ---------------------------------------------------------------------- plan
@dataclass(frozen=True)
class CellPlan:
    """Exact combinatorics of one data cell for the differentiable penalties.

    Row ids index the rows of :meth:`~exactgeom.analysis.forms.CellForms.hrep` (one per
    hidden unit, layer by layer, then the domain's facets).
    """

    index: int
    pattern: Hashable
    facet_rows: tuple[int, ...]
    vertex_rows: tuple[tuple[int, ...], ...]
    simplices: tuple[tuple[int, ...], ...]
    simplex_signs: tuple[int, ...]
    sliver_rows: tuple[tuple[int, int], ...]
    margin_rows: tuple[int, ...]
    points: tuple[int, ...]


@dataclass(frozen=True)
class FacePlan:
    """A shared face between data cells ``cells = (a, b)`` (positions in the plan's cell
    list): each vertex as ``n`` tight rows ``(which, row)`` with ``which`` 0 for cell a,
    1 for cell b; and a triangulation into ``(n−1)``-simplices."""

    cells: tuple[int, int]
    vertex_rows: tuple[tuple[tuple[int, int], ...], ...]
    simplices: tuple[tuple[int, ...], ...]


@dataclass(frozen=True, eq=False)
class RegularizationPlan:
    """Everything :mod:`~exactgeom.analysis.regularize_torch` needs, plus the exact
    penalty values it must reproduce (:attr:`exact`; None when built with
    ``exact_values=False``)."""

    n: int
    layer_sizes: tuple[int, ...]
    domain_rows: tuple[tuple[Vec, ...], tuple[Fraction, ...]]
    domain_volume: Fraction
    cells: tuple[CellPlan, ...]
    faces: tuple[FacePlan, ...]
    points: tuple[Vec, ...]
    options: dict[str, Any]
    exact: Penalties | None


def _independent_tight(v: Vec, rows: Sequence[tuple[Any, Vec, Fraction]], n: int) -> tuple[Any, ...]:
    """``n`` linearly independent rows tight at ``v`` (in the given preference order)."""
    chosen: list[Any] = []
    basis: list[Vec] = []
    for rid, a, b in rows:
        if not any(a) or sum((x * y for x, y in zip(a, v)), Fraction(0)) != b:
            continue
        if la.rank(basis + [a], n) > len(basis):
            basis.append(a)
            chosen.append(rid)
            if len(chosen) == n:
                return tuple(chosen)
    raise InvalidInputError(f"vertex {v} has fewer than {n} independent tight rows (internal inconsistency)")


def _triangulate(P: Polytope) -> list[tuple[int, ...]]:
    return list(P._triangulation(P._all_vertices_mask))


def build_plan(
    partition: Partition,
    data: Any,
    *,
    phi: Any = "inverse",
    t0: Any = Fraction(1, 100),
    threshold: Any = Fraction(3, 4),
    include_domain: bool = True,
    margin: Any = None,
    policy: Any = None,
    exact_values: bool = True,
) -> RegularizationPlan:
    """The exact combinatorics of the penalties on a ReLU partition's data cells.

    Parameters
    ----------
    partition : Partition
        From :func:`~exactgeom.partitions.relu.relu_network` (any mode).
    data
        The data points (rational; floats need ``policy``).
    phi, t0, threshold, include_domain, margin
        As in :func:`geometric_penalties`.
    exact_values : bool
        Also compute the exact penalty values (:attr:`RegularizationPlan.exact`);
        ``False`` skips them (faster, e.g. when re-planning during training).

    Raises
    ------
    InvalidInputError
        The partition does not come from a ReLU network.

    Examples
    --------
    >>> from exactgeom.partitions.relu import relu_network
    >>> P = relu_network([[[1, 0], [0, 1]], [[1, 1]]], [[0, 0], [0]], [(-1, 1), (-1, 1)])
    >>> plan = build_plan(P, [["1/2", "1/2"], ["-1/2", "1/2"]])
    >>> len(plan.cells), len(plan.faces), plan.exact.boundary_area
    (2, 1, Fraction(1, 1))
    """
    net = partition.model if isinstance(partition, Partition) else None
    if not isinstance(net, ReLUNetwork):
        raise InvalidInputError("build_plan needs a partition built by relu_network (its model is a ReLUNetwork)")
    dc = assign_data(partition, data, policy=policy)
    D = partition.domain
    n = partition.ambient_dim
    thr = as_rational(threshold, name="threshold")
    m = default_margin(D) if margin is None else as_rational(margin, name="margin")
    options = {"phi": phi if isinstance(phi, str) else "callable", "t0": as_rational(t0, name="t0"),
               "threshold": thr, "include_domain": include_domain, "margin": m}
    exact = (
        geometric_penalties(dc, phi=phi, t0=t0, threshold=thr, include_domain=include_domain, margin=m)
        if exact_values
        else None
    )
    planes = _domain_planes(D)
    cplans: list[CellPlan] = []
    rows_of: list[list[tuple[int, Vec, Fraction]]] = []
    polys: list[Polytope] = []
    pos: dict[int, int] = {}
    for i in dc.cells:
        cell = partition.cells[i]
        cf = cell_forms(net, cell.key)
        A, b = cf.hrep(D)
        P = Polytope._from_h(n, A, b)
        frows = P.facet_input_rows
        order = list(frows) + [r for r in range(len(A)) if r not in set(frows)]
        rows = [(r, A[r], b[r]) for r in order]
        vrows = tuple(_independent_tight(v, rows, n) for v in P.vertices)
        simp = _triangulate(P)
        signs = []
        for s in simp:
            v0 = P.vertices[s[0]]
            d = la.det([[x - y for x, y in zip(P.vertices[t], v0)] for t in s[1:]])
            signs.append(1 if d > 0 else -1)
        sl = tuple((frows[a], frows[c]) for a, c, _ in _sliver_pairs(P, D, thr, include_domain))
        mrows = tuple(frows[k] for k, h in enumerate(P.facets) if (h.normal, h.offset) not in planes)
        pos[i] = len(cplans)
        cplans.append(CellPlan(i, cell.key, tuple(frows), vrows, tuple(simp), tuple(signs), sl, mrows, dc.points_in(i)))
        rows_of.append(rows)
        polys.append(P)
    fplans = []
    for f in _data_faces(dc):
        a, c = pos[f.i], pos[f.j]
        F = f.face
        union = [((0, r), A_, b_) for r, A_, b_ in rows_of[a]] + [((1, r), A_, b_) for r, A_, b_ in rows_of[c]]
        vr = tuple(_independent_tight(v, union, n) for v in F.vertices)
        simp = _triangulate(F) if n > 1 else [(0,)]
        fplans.append(FacePlan((a, c), vr, tuple(simp)))
    return RegularizationPlan(
        n,
        net.layer_sizes,
        (tuple(tuple(Fraction(x) for x in h.normal) for h in D.facets), tuple(h.offset for h in D.facets)),
        D.volume(),
        tuple(cplans),
        tuple(fplans),
        dc.points,
        options,
        exact,
    )
