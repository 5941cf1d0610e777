"""A partition as a table of cells and as a graph: :meth:`Partition.table`,
:meth:`Partition.to_pandas`, :meth:`Partition.to_networkx`.

Exact columns and attributes hold exact values (Fractions, Surds, rational tuples);
float columns are marked ``*_float``.  networkx and pandas are optional (the
``interop`` extra) and imported only inside the functions that need them.

>>> from exactgeom import arrangement
>>> P = arrangement([[1, 0]], [0], [(-1, 1), (0, 1)])
>>> [(r["key"], r["volume"], r["share"], r["n_neighbours"]) for r in partition_table(P)]
[((-1,), Fraction(1, 1), Fraction(1, 2), 1), ((1,), Fraction(1, 1), Fraction(1, 2), 1)]
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from ..numbers.interop import optional_import

if TYPE_CHECKING:
    from .partition import Partition

__all__ = ["TABLE_COLUMNS", "partition_table", "partition_to_pandas", "partition_to_networkx"]

#: The columns of :func:`partition_table`, in order (exact ones, then their float views).
TABLE_COLUMNS = (
    "index", "key", "label", "volume", "share", "centroid", "n_vertices", "n_facets", "n_neighbours",
    "volume_float", "share_float", "centroid_float",
)


def partition_table(P: Partition) -> list[dict[str, Any]]:
    """One row per cell, in cell order: a dict with the :data:`TABLE_COLUMNS`.

    ``volume`` (a Fraction), ``share`` (volume / domain volume, a Fraction) and ``centroid``
    (a tuple of Fractions) are exact; ``volume_float``, ``share_float`` and
    ``centroid_float`` are their float views.  ``label`` is :meth:`Partition.label` (None
    without labels); ``n_neighbours`` counts the cells sharing an (n−1)-face.

    >>> from exactgeom import arrangement
    >>> P = arrangement([], [], [(0, 1)])          # degenerate: no hyperplane, one cell
    >>> row = partition_table(P)[0]
    >>> row["volume"], row["share"], row["n_neighbours"], row["centroid_float"]
    (Fraction(1, 1), Fraction(1, 1), 0, (0.5,))
    """
    dvol = P.domain.volume()
    degree = [0] * P.n_cells
    for f in P.adjacency():
        degree[f.i] += 1
        degree[f.j] += 1
    rows = []
    for c in P.cells:
        vol = c.polytope.volume()
        share = vol / dvol if dvol else Fraction(0)
        cen = c.polytope.centroid()
        rows.append({
            "index": c.index,
            "key": c.key,
            "label": P.label(c),
            "volume": vol,
            "share": share,
            "centroid": cen,
            "n_vertices": c.polytope.n_vertices,
            "n_facets": c.polytope.n_facets,
            "n_neighbours": degree[c.index],
            "volume_float": _approx(vol),
            "share_float": _approx(share),
            "centroid_float": tuple(_approx(x) for x in cen),
        })
    return rows


def _approx(x: Fraction) -> float:
    """The nearest double, ``±inf`` beyond the double range (10^5000-sized cells)."""
    try:
        return float(x)
    except OverflowError:
        return math.inf if x > 0 else -math.inf


def partition_to_pandas(P: Partition) -> Any:
    """:func:`partition_table` as a ``pandas.DataFrame`` indexed by cell index (exact
    columns have dtype object and hold the exact values; ``*_float`` columns are float64
    except ``centroid_float``, a column of tuples).  Needs pandas (``pip install
    'exactgeom[interop]'``)."""
    pd = optional_import("pandas", "Partition.to_pandas()")
    rows = partition_table(P)
    df = pd.DataFrame.from_records(rows, columns=list(TABLE_COLUMNS), index="index")
    for col in ("volume", "share", "key", "label", "centroid"):
        df[col] = df[col].astype(object)
    return df


def partition_to_networkx(P: Partition) -> Any:
    """The adjacency graph of the cells as a ``networkx.Graph``.

    Nodes are cell indices with attributes ``key``, ``label``, ``volume`` (exact Fraction)
    and ``polytope``; an edge ``(i, j)`` joins two cells sharing an (n−1)-face, with
    attributes ``volume`` (the face's exact (n−1)-volume, a Surd), ``normal`` and ``offset``
    (the face's hyperplane ``normal·x = offset``, oriented from ``i`` to ``j`` for ``i < j``)
    and ``face`` (the exact face polytope).  Graph attributes: ``family``, ``ambient_dim``,
    ``domain_volume``.  Needs networkx (``pip install 'exactgeom[interop]'``)."""
    nx = optional_import("networkx", "Partition.to_networkx()")
    G = nx.Graph(family=P.family, ambient_dim=P.ambient_dim, domain_volume=P.domain.volume())
    for c in P.cells:
        G.add_node(c.index, key=c.key, label=P.label(c), volume=c.polytope.volume(), polytope=c.polytope)
    for f in P.adjacency():
        G.add_edge(f.i, f.j, volume=f.volume(), normal=f.normal, offset=f.offset, face=f.face)
    return G
