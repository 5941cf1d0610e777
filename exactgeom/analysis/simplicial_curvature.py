r"""Vertex curvature of simplicial complexes (re-exported by :mod:`exactgeom.analysis.curvature`).

Vertex curvature (the complex)
------------------------------
``κ(v) = Σ_{σ ∋ v} (−1)^{dim σ} / (dim σ + 1)`` over the simplices of the complex
containing vertex ``v``: exact rationals, and ``Σ_v κ(v) = χ(K)`` (each simplex
spreads ``(−1)^{dim σ}`` evenly over its ``dim σ + 1`` vertices).  Variants: weighted
(``(−1)^{dim σ}`` spread over the vertices of ``σ`` in proportion to a vertex measure,
still summing to ``χ``) and Ricci-sum (``½ Σ_{e ∋ v} Ric(e)``).
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from ..errors import InvalidInputError
from ..numbers.rational import as_rational

__all__ = ["vertex_curvature", "gauss_bonnet_total"]


def _all_simplices(K: Any) -> list[tuple[int, ...]]:
    out: list[tuple[int, ...]] = []
    dim = getattr(K, "dim", None)
    top = dim if isinstance(dim, int) else None
    p = 0
    while True:
        if top is not None and p > top:
            break
        try:
            s = list(K.simplices(p))
        except (InvalidInputError, IndexError, ValueError):
            break
        if not s:
            if top is None:
                break
            p += 1
            continue
        out.extend(tuple(x) for x in s)
        p += 1
    return out


def _vertex_measure(K: Any, weights: Any) -> dict[int, Fraction]:
    n0 = len(list(K.simplices(0)))
    if isinstance(weights, Mapping):
        w = {int(i): as_rational(v, name=f"weight of vertex {i}") for i, v in weights.items()}
    elif isinstance(weights, str):
        if weights == "volume":
            cells = K.partition.cells
            w = {i: cells[i].volume() for i in range(n0)}
        elif weights == "data":
            w = _data_mass(K)
        else:
            raise InvalidInputError(f"unknown weights {weights!r}; use 'volume', 'data' or a mapping")
    else:
        w = {i: as_rational(v, name=f"weight of vertex {i}") for i, v in enumerate(weights)}
    for i in range(n0):
        if i not in w:
            raise InvalidInputError(f"weights give no value for vertex {i}")
        if w[i] < 0:
            raise InvalidInputError(f"weights must be >= 0, vertex {i} has {w[i]}")
    return w


def _data_mass(K: Any) -> dict[int, Fraction]:
    mass = getattr(K, "data_mass", None)
    vals = mass() if callable(mass) else None
    if vals is not None:
        return {i: Fraction(v) for i, v in enumerate(vals)}
    raise InvalidInputError(
        "this complex carries no data masses; build it with data=..., or pass weights='volume' "
        "or an explicit mapping"
    )


def vertex_curvature(
    K: Any,
    *,
    variant: str = "combinatorial",
    weights: Any = None,
    ricci: Mapping[tuple[int, int], Any] | None = None,
    **ricci_options: Any,
) -> tuple[Any, ...]:
    """Curvature of every vertex (cell) of a simplicial complex, exact.

    Parameters
    ----------
    K
        A :class:`~exactgeom.complex.RiemannianComplex` (anything with
        ``simplices(p)`` returning sorted vertex tuples).
    variant : {"combinatorial", "weighted", "ricci"}
        * ``"combinatorial"`` (default): ``κ(v) = Σ_{σ∋v} (−1)^{dim σ}/(dim σ + 1)``;
        * ``"weighted"``: ``κ(v) = Σ_{σ∋v} (−1)^{dim σ} w_v / Σ_{u∈σ} w_u`` (the
          uniform share where all ``w_u`` in ``σ`` are 0);
        * ``"ricci"``: ``κ(v) = ½ Σ_{e∋v} Ric(e)``.

        The first two sum to ``χ(K)`` exactly.
    weights
        For ``"weighted"`` only: ``"volume"`` (cell volumes; the default, ``None``),
        ``"data"`` (the complex's data masses) or a mapping / sequence vertex → rational
        weight.
    ricci
        For ``"ricci"`` only: precomputed edge curvatures ``{(i, j): Ric}``; otherwise
        they are computed with :func:`exactgeom.analysis.ricci.ricci_curvature` and
        ``ricci_options``.

    Raises
    ------
    InvalidInputError
        An unknown variant, or ``weights`` / ``ricci`` / Ricci options given to a variant
        that does not use them (they would be ignored).

    Returns
    -------
    tuple
        One value per vertex: Fractions (or exact surd values for surd Ricci variants).

    Examples
    --------
    >>> class Triangle:                       # a filled triangle: χ = 1
    ...     def simplices(self, p):
    ...         return [[(0,), (1,), (2,)], [(0, 1), (0, 2), (1, 2)], [(0, 1, 2)]][p] if p < 3 else []
    >>> vertex_curvature(Triangle())
    (Fraction(1, 3), Fraction(1, 3), Fraction(1, 3))
    >>> vertex_curvature(Triangle(), variant="weighted", weights=[1, 1, 2])
    (Fraction(5, 12), Fraction(5, 12), Fraction(1, 6))
    >>> class Point:                          # degenerate: a single vertex
    ...     def simplices(self, p):
    ...         return [(0,)] if p == 0 else []
    >>> vertex_curvature(Point())
    (Fraction(1, 1),)
    """
    if not hasattr(K, "simplices"):
        hint = (
            "; build the complex of a partition first: vertex_curvature(RiemannianComplex.from_partition(P))"
            if hasattr(K, "cells")
            else ""
        )
        raise InvalidInputError(f"vertex_curvature needs a simplicial complex, got {type(K).__name__}{hint}")
    if variant not in ("combinatorial", "weighted", "ricci"):
        raise InvalidInputError(f"unknown variant {variant!r}; use 'combinatorial', 'weighted' or 'ricci'")
    if weights is not None and variant != "weighted":
        raise InvalidInputError(f"weights apply to variant='weighted' only; variant={variant!r} does not use them")
    if (ricci is not None or ricci_options) and variant != "ricci":
        raise InvalidInputError(
            f"ricci and Ricci options apply to variant='ricci' only; variant={variant!r} does not use them"
        )
    verts = [tuple(v) for v in K.simplices(0)]
    nv = len(verts)
    if variant == "combinatorial":
        acc = [Fraction(0)] * nv
        for s in _all_simplices(K):
            d = len(s) - 1
            share = Fraction((-1) ** d, d + 1)
            for v in s:
                acc[v] += share
        return tuple(acc)
    if variant == "weighted":
        w = _vertex_measure(K, "volume" if weights is None else weights)
        acc = [Fraction(0)] * nv
        for s in _all_simplices(K):
            sign = (-1) ** (len(s) - 1)
            tot = sum((w[v] for v in s), Fraction(0))
            for v in s:
                acc[v] += sign * (w[v] / tot if tot else Fraction(1, len(s)))
        return tuple(acc)
    if variant == "ricci":
        if ricci is None:
            from .ricci import ricci_curvature

            ricci = ricci_curvature(K, **ricci_options)
        accr: list[Any] = [Fraction(0)] * nv
        for (i, j), r in ricci.items():
            accr[i] = accr[i] + r / 2
            accr[j] = accr[j] + r / 2
        return tuple(accr)
    raise InvalidInputError(f"unknown variant {variant!r}; use 'combinatorial', 'weighted' or 'ricci'")


def gauss_bonnet_total(K: Any) -> tuple[Fraction, int]:
    """``(Σ_v κ(v), χ(K))`` with ``χ = Σ_p (−1)^p #p-simplices``; equal by Gauss–Bonnet.

    >>> class Edge:
    ...     def simplices(self, p):
    ...         return [[(0,), (1,)], [(0, 1)]][p] if p < 2 else []
    >>> gauss_bonnet_total(Edge())
    (Fraction(1, 1), 1)
    """
    kappa = vertex_curvature(K)
    chi = sum((-1) ** (len(s) - 1) for s in _all_simplices(K))
    return sum(kappa, Fraction(0)), chi
