"""Run per-cell work serially or on any :class:`concurrent.futures.Executor`.

``map_cells(fn, items, executor=...)`` returns ``[fn(item) for item in items]`` in input
order, whatever runs it: ``None`` (serial, in this process), a
:class:`~concurrent.futures.ProcessPoolExecutor` on one machine, or a Dask cluster via
``distributed.Client(...).get_executor()``. Tasks and results must be picklable plain
data — rationals, tuples, H-representations — never cddlib objects. A tqdm progress bar
shows the work (``progress=False`` turns it off); ``KeyboardInterrupt`` cancels the
futures not yet started and re-raises.

:func:`cell_geometry` is the standard use: exact volume, centroid and vertices of every
cell, computed in the workers from each cell's H-representation.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Hashable, Iterable, Sequence
from concurrent.futures import Executor, Future, as_completed
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, TypeVar

from ..errors import InvalidInputError
from ..polytope.polytope import Polytope
from .partition import Partition

__all__ = ["map_cells", "cell_geometry", "CellGeometry", "geometry_task"]

T = TypeVar("T")
R = TypeVar("R")
Vec = tuple[Fraction, ...]


def _progress_bar(total: int, progress: bool | None, desc: str) -> Any:
    from tqdm.auto import tqdm

    if progress is None:
        show = total > 1 and sys.stderr.isatty()
    else:
        show = bool(progress)
    return tqdm(total=total, desc=desc, unit="cell", disable=not show, leave=False)


def map_cells(
    fn: Callable[[T], R],
    items: Iterable[T],
    *,
    executor: Executor | None = None,
    progress: bool | None = None,
    desc: str = "cells",
) -> list[R]:
    """``[fn(item) for item in items]``, optionally on an executor, with a progress bar.

    Parameters
    ----------
    fn : callable
        A picklable (module-level) function when an executor is used.
    items : iterable
        Picklable task data (plain rationals, tuples).
    executor : concurrent.futures.Executor, optional
        ``None`` runs serially in this process.
    progress : bool or None
        Show a tqdm bar: ``True`` always, ``False`` never, ``None`` (default) when
        standard error is a terminal.
    desc : str
        Label of the progress bar.

    Returns
    -------
    list
        The results, in the order of ``items``.

    Examples
    --------
    >>> map_cells(abs, [-1, 2, -3], progress=False)
    [1, 2, 3]
    >>> map_cells(abs, [], progress=False)
    []
    """
    if executor is not None and not isinstance(executor, Executor):
        raise InvalidInputError(
            f"executor must be a concurrent.futures.Executor (or None for serial), got {type(executor).__name__}"
        )
    if not callable(fn):
        raise InvalidInputError(f"fn must be callable, got {type(fn).__name__}")
    items = list(items)
    bar = _progress_bar(len(items), progress, desc)
    try:
        if executor is None:
            out = []
            for it in items:
                out.append(fn(it))
                bar.update(1)
            return out
        futures: list[Future[R]] = []
        try:
            for it in items:
                futures.append(executor.submit(fn, it))
            index = {id(f): k for k, f in enumerate(futures)}
            results: list[Any] = [None] * len(items)
            for f in as_completed(futures):
                results[index[id(f)]] = f.result()
                bar.update(1)
            return results
        except BaseException:  # KeyboardInterrupt included: drop the work not yet started
            for f in futures:
                f.cancel()
            raise
    finally:
        bar.close()


@dataclass(frozen=True)
class CellGeometry:
    """Exact geometry of one cell: ``volume``, ``centroid`` and sorted ``vertices``."""

    index: int
    key: Hashable
    volume: Fraction
    centroid: Vec
    vertices: tuple[Vec, ...]


def geometry_task(task: tuple[int, Sequence[Sequence[int]], Sequence[Fraction]]) -> tuple[Fraction, Vec, tuple[Vec, ...]]:
    """Worker side of :func:`cell_geometry`: ``(n, A, b)`` plain rationals in,
    ``(volume, centroid, vertices)`` out.

    >>> geometry_task((1, [(1,), (-1,)], [Fraction(2), Fraction(0)]))
    (Fraction(2, 1), (Fraction(1, 1),), ((Fraction(0, 1),), (Fraction(2, 1),)))
    """
    n, A, b = task
    P = Polytope._from_h(n, [tuple(Fraction(x) for x in a) for a in A], [Fraction(x) for x in b])
    return P.volume(), P.centroid(), P.vertices


def cell_geometry(
    partition: Partition, *, executor: Executor | None = None, progress: bool | None = None
) -> tuple[CellGeometry, ...]:
    """Exact volume, centroid and vertices of every cell, computed per cell on
    ``executor`` (identical results for every executor).

    >>> from exactgeom import arrangement
    >>> g = cell_geometry(arrangement([[1, 0]], [0], [(-1, 1), (0, 1)]), progress=False)
    >>> [(c.key, c.volume, c.centroid) for c in g]
    [((-1,), Fraction(1, 1), (Fraction(-1, 2), Fraction(1, 2))), ((1,), Fraction(1, 1), (Fraction(1, 2), Fraction(1, 2)))]
    """
    if not isinstance(partition, Partition):
        raise InvalidInputError(f"cell_geometry needs a Partition, got {type(partition).__name__}")
    n = partition.ambient_dim
    tasks = [(n, [h.normal for h in c.polytope.facets], [h.offset for h in c.polytope.facets]) for c in partition.cells]
    res = map_cells(geometry_task, tasks, executor=executor, progress=progress, desc="cell geometry")
    return tuple(CellGeometry(c.index, c.key, v, g, vs) for c, (v, g, vs) in zip(partition.cells, res))
