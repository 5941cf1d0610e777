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
]

MEASURES = ("volume", "data", "mixed")
DATA_RULES = ("nearest_face", "mean")

Vec = tuple[Fraction, ...]


def volume_measure(S: SimplexData, p: int) -> tuple[Any, ...]:
    """``vol_k(I_σ)`` for every p-simplex (Fractions where rational, else Surds)."""
    if p == 0:
        return tuple(S.intersection[s].volume() for s in S.simplices[0])
    return tuple(exact_value(S.intersection[s].relative_volume()) for s in S.simplices[p])


def locate_points(partition: Partition, points: Sequence[Vec]) -> tuple[int, ...]:
    """For each point, the lowest index of a cell containing it (exact).

    Raises :class:`InvalidInputError` for a point outside the domain.
    """
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
                f"data point {k} = {tuple(str(v) for v in x)} lies outside the domain; "
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
            for G in self.P.face_lattice().faces(k):
                ids = G.facet_ids
                aug = [tuple(Fraction(a) for a in facets[t].normal) + (facets[t].offset,) for t in ids]
                R, _ = la.rref(aug) if aug else ((), ())
                E = [tuple(r[:-1]) for r in R]
                f = [r[-1] for r in R]
                got.append((E, f, tuple(ids)))
            self._by_k[k] = got
        return got


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
                    on_hull = all(
                        sum((a * b for a, b in zip(e, v)), Fraction(0)) == fi for e, fi in zip(E, f) for v in I.vertices
                    )
                    if on_hull and I.contains(y):
                        got.append(t)
                for t in got:
                    mu[t] += share / len(got)
    return tuple(mu)


def mixed_measure(S: SimplexData, p: int, masses: Sequence[Fraction], cell_volumes: Sequence[Fraction]) -> tuple[Any, ...]:
    """Data density times volume (see the module docstring)."""
    vols = volume_measure(S, p)
    out = []
    for s, v in zip(S.simplices[p], vols):
        rho = sum((masses[i] / cell_volumes[i] for i in s), Fraction(0)) / len(s)
        out.append(exact_value(v * rho))
    return tuple(out)
