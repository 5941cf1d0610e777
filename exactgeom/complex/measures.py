"""Measures on the simplices of the complex: ``volume``, ``data`` and ``mixed``.

For a simplex ``σ`` with common intersection ``I_σ``:

* ``volume``: ``μ_p(σ) = vol_k(I_σ)``, the exact k-dimensional volume of ``I_σ`` in its
  own affine hull, ``k = dim I_σ``. Under the ``facet`` convention ``k = n − p``
  (cell volumes for p = 0, shared-face volumes for p = 1); under ``nerve`` ``k`` may be
  smaller (a point has volume 1). Rational for cells, a surd ``q·√d`` otherwise
  (rational on axis-parallel faces).
* ``data``: ``μ_0(i)`` = number (or total weight) of the data points located in cell i
  (a point on the boundary of several cells goes to the lowest-index cell containing
  it). For p ≥ 1 the rule is ``data_rule``:

  - ``"nearest_face"`` (default): for a point x of cell ``C_i`` and a dimension k,
    the *nearest k-faces* of ``C_i`` are the k-faces G of ``C_i`` (domain-boundary
    faces included) whose affine hull has the smallest squared distance to x among
    those whose foot of the perpendicular from x lies in G (exact rational
    comparisons). The point's weight is split equally among its nearest k-faces; the
    share of G goes to the p-simplices ``σ ∋ i`` with ``dim I_σ = k``, ``I_σ`` in the
    affine hull of G and containing the foot (split equally among them; none when G
    lies on the domain boundary). For p = 1 under ``facet`` (k = n − 1) this is "the
    point counts for the edge whose shared face is the nearest facet of its cell".
  - ``"mean"``: ``μ_p(σ)`` = the mean of ``μ_0`` over the vertices of ``σ``.
* ``mixed``: data density times volume,
  ``μ_p(σ) = vol_k(I_σ) · mean_{i∈σ} (μ_0^data(i) / vol C_i)``; for p = 0 this is the
  data mass again.

Lower-dimensional contacts (``lowdim_measure``)
-----------------------------------------------
A p-simplex ``σ`` with ``dim I_σ < n − p`` is a *lower-dimensional contact*: under the
``nerve`` convention, two cells of the plane that meet only in a point (the diagonal
cells at a crossing of two lines) form an edge although they share no side. (The
``facet`` convention has none: there ``dim I_σ = n − p`` by definition.) The option
``lowdim_measure`` of :meth:`RiemannianComplex.from_partition` fixes their measure:

* ``"own_dim"`` (default): the measure's own rule at ``k = dim I_σ`` — for ``volume``
  the k-volume of ``I_σ`` in its own affine hull, so a point has measure 1 (the counting
  measure). Units: ``length^k``, so the p-simplices of one dimension mix units
  (``length^{n−p}`` across real shared faces, ``length^0`` at points); every simplex
  keeps a positive measure, so the diagonal inner products stay positive definite
  and the Hodge facts (``dim ker Δ_p = β_p``) hold on the full nerve.
* ``"zero"``: ``μ_p(σ) = 0``, i.e. the (n−p)-dimensional Hausdorff measure of ``I_σ``
  (consistent units ``length^{n−p}`` for every p-simplex with ``p ≤ n``). The simplex
  stays in the complex (same Betti numbers), but ``M_p`` is singular: operators that
  need ``M_p⁻¹`` (e.g. ``Δ_1`` when an edge weighs 0) raise ``DegenerateError``;
  ``Δ_0`` is fine.
* ``"skip"``: the contact and every simplex having it as a face are left out of the
  complex (a subcomplex of the nerve; on two crossing lines the 4-cycle). Units are
  consistent and inner products positive definite, but the topology is no longer the
  nerve's.

Simplices with ``p > n`` (four cells around a point of the plane form a tetrahedron)
have no ``(n−p)``-volume at all; they always keep their own-dimension measure.
Worked example (unit square cut by ``x = 1/2`` and ``y = 1/2``; ``μ_0 = 1/4``, the four
shared sides ``1/2``, the two diagonal point contacts ``1`` under ``own_dim``):
``Δ_0 = 4·L`` with ``L`` the weighted graph Laplacian, spectrum ``{0, 8, 12, 12}``;
under ``zero`` and ``skip`` ``{0, 4, 4, 8}`` (``docs/definitions/complex.md``).

>>> from exactgeom import arrangement
>>> from exactgeom.complex.simplices import facet_simplices
>>> P = arrangement([[1, 0]], [0], [(-1, 1), (0, 1)])
>>> S = facet_simplices(P)
>>> volume_measure(S, 1)
(Fraction(1, 1),)
>>> locate_points(P, [(Fraction(-1, 2), Fraction(1, 2)), (0, 0)])   # (0, 0) is on the shared face
(0, 0)
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from ..errors import InvalidInputError
from ..linalg import rational as la
from ..numbers.rational import short_str
from ..partitions.partition import Partition
from .simplices import SimplexData
from .sparse import exact_value

__all__ = [
    "MEASURES",
    "DATA_RULES",
    "volume_measure",
    "locate_points",
    "data_masses",
    "data_measure",
    "mixed_measure",
    "LOWDIM_MEASURES",
    "is_lowdim",
    "zero_lowdim",
    "skip_lowdim",
]

MEASURES = ("volume", "data", "mixed")
LOWDIM_MEASURES = ("own_dim", "zero", "skip")
DATA_RULES = ("nearest_face", "mean")

Vec = tuple[Fraction, ...]


def volume_measure(S: SimplexData, p: int, bar: Any = None) -> tuple[Any, ...]:
    """``vol_k(I_σ)`` for every p-simplex (Fractions where rational, else Surds);
    ``bar``: a progress bar advanced once per simplex. A shared face built as a facet of
    a cell takes that cell's memoised facet volume (``Polytope.relative_volume``)."""
    out = []
    for s in S.simplices[p]:
        I = S.intersection[s]
        out.append(I.volume() if p == 0 else exact_value(I.relative_volume()))
        if bar is not None:
            bar.update(1)
    return tuple(out)


def locate_points(partition: Partition, points: Sequence[Vec]) -> tuple[int, ...]:
    """For each point, the lowest index of a cell containing it (exact).

    Raises :class:`InvalidInputError` for a point outside the domain. A ReLU data
    partition (:class:`~exactgeom.partitions.relu_data.DataPartition`) locates points by
    the rule its cells were built with (``data_cell_indices``: no vertices needed).
    """
    if hasattr(partition, "data_cell_indices"):
        return partition.data_cell_indices(points)
    cells = partition.cells
    out = []
    model = partition.model
    for k, x in enumerate(points):
        found = None
        if model is not None:
            try:
                c = partition.cell(model.key(x))
            except Exception:  # the model's key may not name a cell at boundary points
                c = None
            if c is not None and c.polytope.contains(x, strict=True):
                found = c.index
        if found is None:
            for c in cells:
                if c.polytope.contains(x):
                    found = c.index
                    break
        if found is None:
            raise InvalidInputError(
                f"data point {k} = {short_str(tuple(x))} lies outside the domain; "
                "give points inside the partition's domain"
            )
        out.append(found)
    return tuple(out)


def data_masses(n_cells: int, cells_of_points: Sequence[int], weights: Sequence[Fraction]) -> tuple[Fraction, ...]:
    """``μ_0``: total weight of the points in each cell."""
    m = [Fraction(0)] * n_cells
    for c, w in zip(cells_of_points, weights):
        m[c] += w
    return tuple(m)


def _projection(E: Sequence[Sequence[Fraction]], f: Sequence[Fraction], x: Vec) -> tuple[Fraction, Vec]:
    """(squared distance from x to {y : E y = f}, the foot of the perpendicular);
    the rows of E must be independent."""
    if not E:
        return Fraction(0), x
    r = [sum((a * b for a, b in zip(e, x)), Fraction(0)) - fi for e, fi in zip(E, f)]
    G = [[sum((a * b for a, b in zip(e1, e2)), Fraction(0)) for e2 in E] for e1 in E]
    z = la.solve(G, r)
    d2 = sum((ri * zi for ri, zi in zip(r, z)), Fraction(0))
    y = tuple(xj - sum((zi * e[j] for zi, e in zip(z, E)), Fraction(0)) for j, xj in enumerate(x))
    return d2, y


class _CellFaces:
    """The k-faces of a cell as (independent equations, tight facet ids), cached."""

    def __init__(self, P: Any) -> None:
        self.P = P
        self._by_k: dict[int, list[tuple[list[Vec], list[Fraction], tuple[int, ...]]]] = {}

    def faces(self, k: int) -> list[tuple[list[Vec], list[Fraction], tuple[int, ...]]]:
        got = self._by_k.get(k)
        if got is None:
            got = []
            facets = self.P.facets
            if k == self.P.dim - 1:  # the facets: no face lattice (no vertices) needed
                for t, h in enumerate(facets):
                    got.append(([tuple(Fraction(a) for a in h.normal)], [h.offset], (t,)))
                self._by_k[k] = got
                return got
            for G in self.P.face_lattice().faces(k):
                ids = G.facet_ids
                aug = [tuple(Fraction(a) for a in facets[t].normal) + (facets[t].offset,) for t in ids]
                R, _ = la.rref(aug) if aug else ((), ())
                E = [tuple(r[:-1]) for r in R]
                f = [r[-1] for r in R]
                got.append((E, f, tuple(ids)))
            self._by_k[k] = got
        return got


def _in_hull(I: Any, E: Sequence[Vec], f: Sequence[Fraction]) -> bool:
    """Exact: ``I ⊆ {x : E x = f}`` (each equation a combination of ``I``'s affine hull
    equations, read from its H-data: no vertices needed)."""
    eqs = [tuple(Fraction(a) for a in h.normal) + (h.offset,) for h in I.equalities]
    base = la.rank(eqs, I.ambient_dim + 1) if eqs else 0
    return all(la.rank(eqs + [tuple(e) + (fi,)], I.ambient_dim + 1) == base for e, fi in zip(E, f))


def _in_cell(P: Any, y: Vec) -> bool:
    return all(h.slack(y) >= 0 for h in P.facets)


def data_measure(
    S: SimplexData,
    p: int,
    masses: Sequence[Fraction],
    points: Sequence[Vec],
    cells_of_points: Sequence[int],
    weights: Sequence[Fraction],
    rule: str,
) -> tuple[Fraction, ...]:
    """Data measure of the p-simplices (see the module docstring for ``rule``)."""
    simp = S.simplices[p]
    if p == 0:
        return tuple(masses[s[0]] for s in simp)
    if rule == "mean":
        return tuple(sum((masses[v] for v in s), Fraction(0)) / len(s) for s in simp)
    by_vertex: dict[int, list[int]] = {}
    for k, s in enumerate(simp):
        for v in s:
            by_vertex.setdefault(v, []).append(k)
    cell_faces: dict[int, _CellFaces] = {}
    mu = [Fraction(0)] * len(simp)
    for x, c, w in zip(points, cells_of_points, weights):
        if w == 0:
            continue
        C = S.intersection[(c,)]
        cf = cell_faces.setdefault(c, _CellFaces(C))
        by_k: dict[int, list[int]] = {}
        for t in by_vertex.get(c, ()):
            by_k.setdefault(S.intersection[simp[t]].dim, []).append(t)
        for k, cand in by_k.items():
            best: Fraction | None = None
            winners: list[tuple[list[Vec], list[Fraction]]] = []
            for E, f, _ in cf.faces(k):
                d2, y = _projection(E, f, x)
                if not _in_cell(C, y):
                    continue
                if best is None or d2 < best:
                    best, winners = d2, [(E, f)]
                elif d2 == best:
                    winners.append((E, f))
            if not winners:
                continue
            share = w / len(winners)
            for E, f in winners:
                _, y = _projection(E, f, x)
                got = []
                for t in cand:
                    I = S.intersection[simp[t]]
                    if I.contains(y) and _in_hull(I, E, f):
                        got.append(t)
                for t in got:
                    mu[t] += share / len(got)
    return tuple(mu)


def mixed_measure(
    S: SimplexData, p: int, masses: Sequence[Fraction], cell_volumes: Sequence[Fraction], bar: Any = None
) -> tuple[Any, ...]:
    """Data density times volume (see the module docstring)."""
    vols = volume_measure(S, p, bar)
    out = []
    for s, v in zip(S.simplices[p], vols):
        rho = sum((masses[i] / cell_volumes[i] for i in s), Fraction(0)) / len(s)
        out.append(exact_value(v * rho))
    return tuple(out)


def is_lowdim(S: SimplexData, simplex: tuple[int, ...], n: int) -> bool:
    """Is ``simplex`` (a p-simplex) a lower-dimensional contact, ``dim I_σ < n − p``?

    >>> from exactgeom.examples import crossing_lines
    >>> from exactgeom.complex.simplices import nerve_simplices
    >>> S = nerve_simplices([c.polytope for c in crossing_lines().cells])
    >>> [e for e in S.simplices[1] if is_lowdim(S, e, 2)]      # the diagonal contacts
    [(0, 3), (1, 2)]
    """
    p = len(simplex) - 1
    if p == 0 or n - p <= 0:
        return False
    return S.intersection[simplex].dim < n - p


def zero_lowdim(S: SimplexData, p: int, n: int, mu: Sequence[Any]) -> tuple[Any, ...]:
    """``mu`` with the entries of lower-dimensional contacts set to 0 (``lowdim_measure="zero"``)."""
    return tuple(Fraction(0) if is_lowdim(S, s, n) else v for s, v in zip(S.simplices[p], mu))


def skip_lowdim(S: SimplexData, n: int) -> SimplexData:
    """The subcomplex without the lower-dimensional contacts and their cofaces
    (``lowdim_measure="skip"``); the intersections are shared with ``S``.

    >>> from exactgeom.examples import crossing_lines
    >>> from exactgeom.complex.simplices import nerve_simplices
    >>> S = nerve_simplices([c.polytope for c in crossing_lines().cells])
    >>> [len(s) for s in skip_lowdim(S, 2).simplices]           # the 4-cycle
    [4, 4]
    """
    kept: list[list[tuple[int, ...]]] = [list(S.simplices[0])] if S.simplices else [[]]
    present = set(kept[0])
    for p in range(1, len(S.simplices)):
        layer = []
        for s in S.simplices[p]:
            if any(s[:k] + s[k + 1 :] not in present for k in range(len(s))):
                continue
            if is_lowdim(S, s, n):
                continue
            layer.append(s)
        if not layer:
            break
        present.update(layer)
        kept.append(layer)
    return SimplexData(kept, S.intersection, S.truncated)
