"""Data cells of a ReLU network built H-first, serially or on an executor (internal).

The cell of an activation pattern is a :class:`~exactgeom.Polytope` built from the
pattern's half-spaces by exact linear programming (:mod:`exactgeom.polytope.hfirst`),
with no vertex enumeration (see :mod:`.relu_data` for the rule and the data graph).

**Rows.** Unit ``u`` of hidden layer ``l`` has the pre-activation ``c·(g·x + β)`` on the
cell (``c > 0``, ``g`` a primitive integer vector); its map depends only on the pattern
of the layers before ``l``. :class:`UnitRows` computes each layer's rows once per pattern
prefix (flint products of rational matrices in lowest terms, as
:meth:`.relu_int.IntNet.unit_rows`) and keeps the last few prefixes: the data cells are
taken in sorted pattern order, so cells sharing their first layers' pattern follow one
another and share those rows (on scikit-learn's digits, 1367 data cells have 444
layer-1 patterns). Each row's range over a box domain is also kept per prefix, so the
rows the box implies are dropped with one comparison per row and cell.

**Executors.** :func:`hfirst_cells` with an ``executor`` sends runs of consecutive
patterns (cut where the prefix changes) as tasks, each one pickled ``bytes`` object
(the network and domain once per task, cached by digest in the worker), and receives
each cell as plain ints (:func:`pack_cell`): its canonical data, the units on each
facet (for the direct crossing rule of the data graph) and its facet witnesses found by
ray shooting (:class:`~exactgeom.polytope.hfirst._RayPoint` as integers sharing the
ray origin), so the main process repeats no geometry. The cells are identical to the
serial ones (same facets, interior point, witnesses, whatever runs them).

>>> from exactgeom.partitions.relu import ReLUNetwork
>>> from exactgeom.polytope import Polytope
>>> net = ReLUNetwork([[[1, 0], [0, 1]], [[1, 1]]], [[0, 0], [0]])
>>> D = Polytope.box([(-1, 1), (-1, 1)])
>>> [(k, P.n_facets) for k, P in hfirst_cells(net, D, [((0, 1),), ((1, 1),)], "lp", False)]
[(((0, 1),), 4), (((1, 1),), 4)]
"""

from __future__ import annotations

import hashlib
import math
import os
import pickle
import sys
from collections import OrderedDict
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from ..polytope.hfirst import hfirst_form
from ..polytope.hrep import Halfspace, Hyperplane
from ..polytope.lp import add_lp_statistics
from ..polytope.polytope import Polytope, _vertex_engine
from .relu_int import Pattern, _primitive_rows

__all__ = [
    "UnitRows",
    "box_bounds",
    "hfirst_cell",
    "hfirst_cells",
    "data_cells_task",
    "make_bar",
    "pack_cell",
    "unpack_cell",
]

_PICKLE = pickle.HIGHEST_PROTOCOL


def make_bar(progress: bool | None, total: int | None, desc: str, unit: str = "cell") -> Any:
    """A tqdm bar on stderr with a ``total`` (see :mod:`._progress`: ``progress=None``
    shows it only on a terminal and after a second)."""
    from ._progress import progress_bar

    return progress_bar(total, desc, progress, unit)


def box_bounds(domain: Polytope) -> tuple[tuple[Fraction, ...], tuple[Fraction, ...]] | None:
    """``(lo, hi)`` when the domain is a box (read off its facets), else ``None``.

    >>> box_bounds(Polytope.box([(0, 1), (-2, 3)]))
    ((Fraction(0, 1), Fraction(-2, 1)), (Fraction(1, 1), Fraction(3, 1)))
    """
    n = domain.ambient_dim
    lo: dict[int, Fraction] = {}
    hi: dict[int, Fraction] = {}
    for h in domain.facets:
        nz = [k for k, v in enumerate(h.normal) if v]
        if len(nz) != 1 or abs(h.normal[nz[0]]) != 1:
            return None
        k = nz[0]
        if h.normal[k] > 0:
            hi[k] = h.offset
        else:
            lo[k] = -h.offset
    if len(lo) != n or len(hi) != n:
        return None
    return tuple(lo[k] for k in range(n)), tuple(hi[k] for k in range(n))


# ---------------------------------------------------------------------- rows


class UnitRows:
    """The unit rows of the cells of ``net`` in ``domain``, per pattern prefix.

    :meth:`layer` gives, for the prefix ``p[:l]``, every unit of layer ``l`` as
    ``(g, −g, β, lo, hi)``: the pre-activation ``c·(g·x + β)`` (``c > 0``, as
    :meth:`.relu_int.IntNet.unit_rows`) and, for a box domain, ``lo <= g·x <= hi`` over
    the box (exact bounds; ``None`` otherwise). The last ``keep`` prefixes are kept."""

    def __init__(self, net: Any, domain: Polytope, keep: int = 8) -> None:
        self.net = net
        self.I = net._int
        self.n = net.n_in
        self.keep = keep
        self._maps: OrderedDict[Pattern, tuple[Any, list[tuple[Any, ...]]]] = OrderedDict()
        box = box_bounds(domain)
        self.box = box
        if box is not None:  # the bounds as integers over one denominator
            den = math.lcm(*(v.denominator for v in box[0] + box[1]))
            self._ibox = ([int(v * den) for v in box[0]], [int(v * den) for v in box[1]], den)

    def layer(self, prefix: Pattern) -> list[tuple[Any, ...]]:
        """The rows of layer ``len(prefix)`` on the cells whose pattern starts with ``prefix``."""
        return self._entry(prefix)[1]

    def _entry(self, prefix: Pattern) -> tuple[Any, list[tuple[Any, ...]]]:
        got = self._maps.get(prefix)
        if got is not None:
            self._maps.move_to_end(prefix)
            return got
        from flint import fmpq, fmpq_mat

        I, n = self.I, self.n
        layers = I._rational_layers()
        l = len(prefix)
        Wq, Bq = layers[l]
        if l == 0:
            M = fmpq_mat(Wq.nrows(), n + 1, [v for r in Wq.tolist() for v in [*r, 0]]) + Bq
        else:
            Mp = self._entry(prefix[:-1])[0]
            sp, sq = I._slope(l - 1)
            k = Wq.ncols()
            mult = [fmpq(1) if on else fmpq(sp, sq) for on in prefix[-1]]
            D = fmpq_mat(k, k, [mult[i] if i == j else 0 for i in range(k) for j in range(k)])
            M = (Wq * D) * Mp + Bq
        rows = [self._row(g, beta) for g, beta in _primitive_rows(M, n)]
        got = (M, rows)
        self._maps[prefix] = got
        while len(self._maps) > self.keep:
            self._maps.popitem(last=False)
        return got

    def _row(self, g: tuple[int, ...], beta: Fraction) -> tuple[Any, ...]:
        neg = tuple(-v for v in g)
        if self.box is None:
            return g, neg, beta, None, None
        lo, hi, den = self._ibox
        glo = sum(v * (lo[j] if v > 0 else hi[j]) for j, v in enumerate(g) if v)
        ghi = sum(v * (hi[j] if v > 0 else lo[j]) for j, v in enumerate(g) if v)
        return g, neg, beta, Fraction(glo, den), Fraction(ghi, den)

    def rows(self, p: Pattern) -> list[tuple[Any, ...]]:
        """Every unit of the cell of ``p``, layer by layer (see :meth:`layer`)."""
        out: list[tuple[Any, ...]] = []
        for l in range(len(p)):
            out += self.layer(p[:l])
        return out


def _cell_rows(
    net: Any, p: Pattern, domain: Polytope, rows: UnitRows
) -> tuple[list[tuple[int, ...]], list[Any], list[tuple[tuple[int, ...], Fraction]] | None]:
    """The rows of the cell of ``p`` (each unit's half-space with a primitive integer
    normal, then the domain's facets; a unit row the box implies dropped) and each unit
    row's half-space key ``(normal, offset)`` (``None`` when some unit is identically
    zero on the cell: :func:`.relu_data.cross_facet` then needs the general rule)."""
    A: list[tuple[int, ...]] = []
    b: list[Any] = []
    keys: list[tuple[tuple[int, ...], Fraction]] | None = []
    box = rows.box is not None
    for (g, neg, beta, glo, ghi), su in zip(rows.rows(p), (v for s in p for v in s)):
        if su:  # z = c·(g·x + β) >= 0:  −g·x <= β
            a, c = neg, beta
            implied = box and -glo <= c
        else:
            a, c = g, -beta
            implied = box and ghi <= c
        if keys is not None:
            if not any(g) and c == 0:
                keys = None
            else:
                keys.append((a, c))
        if not implied:
            A.append(a)
            b.append(c)
    for h in domain.facets:
        A.append(h.normal)
        b.append(h.offset)
    return A, b, keys


def hfirst_cell(
    net: Any, pattern: Pattern, domain: Polytope, polytope_engine: str = "auto", rows: UnitRows | None = None
) -> Polytope:
    """The closed cell of ``pattern`` in ``domain`` built from its H-representation
    (``polytope_engine`` is :meth:`Polytope.from_hrep`'s ``engine``). The rows are
    :meth:`ReLUNetwork.cell_hrep`'s, each unit's row scaled to a primitive integer normal
    (``rows``: a :class:`UnitRows` shared by many cells of the network; the rows a box
    domain implies are dropped, the polytope is unchanged). The cell also remembers
    which units lie on each of its facets (for :func:`.relu_data.cross_facet`'s direct
    rule)."""
    p = net._check_pattern(pattern)
    if rows is None:
        rows = UnitRows(net, domain)
    A, b, units = _cell_rows(net, p, domain, rows)
    # integer rows, Fraction offsets: already exact, so no input conversion (Polytope._from_h);
    # on the LP engine the rows are known primitive (UnitRows' and the domain's normals)
    n = net.n_in
    if _vertex_engine(n, len(A), polytope_engine):
        P = Polytope._from_h(n, A, [Fraction(v) for v in b], engine=polytope_engine)
    else:
        P = object.__new__(Polytope)
        P._n = n
        P.__dict__.update(hfirst_form(n, A, b, (), (), primitive=True))
    P.__dict__.setdefault("_bounded", True)  # inside the bounded domain (its rows are kept): no LP needed
    if units is not None:
        where = [(l, k) for l, s in enumerate(p) for k in range(len(s))]  # flat unit index -> (layer, unit)
        at = {(h.normal, h.offset): f for f, h in enumerate(P.facets)}
        on: dict[int, list[tuple[int, int]]] = {}
        for u, key in enumerate(units):
            f = at.get(key)
            if f is not None:
                on.setdefault(f, []).append(where[u])
        P.__dict__["_facet_units"] = (p, {f: tuple(us) for f, us in on.items()})
    return P


def _check_full(P: Polytope, n: int, k: Pattern) -> None:
    if P.dim != n:  # pragma: no cover - cell patterns are realised by construction
        raise AssertionError(f"internal error: data pattern {k} has no full-dimensional cell")


def hfirst_cells(
    net: Any,
    domain: Polytope,
    keys: Sequence[Pattern],
    polytope_engine: str,
    progress: bool | None,
    executor: Any = None,
) -> list[tuple[Pattern, Polytope]]:
    """The data cells of ``keys`` (in that order) built H-first, with a progress bar
    (total = number of keys), serially or on ``executor`` (identical cells). Ctrl-C
    stops after the cell being built (cancelling the executor's pending tasks)."""
    bar = make_bar(progress, len(keys), "relu data cells")
    cells: list[tuple[Pattern, Polytope]] = []
    gen = None
    try:
        if executor is None:
            rows = UnitRows(net, domain)
            for k in keys:
                P = hfirst_cell(net, k, domain, polytope_engine, rows)
                _check_full(P, net.n_in, k)
                cells.append((k, P))
                if bar is not None:
                    bar.update(1)
        else:
            spec = pickle.dumps((net, domain, polytope_engine), _PICKLE)
            token = hashlib.sha256(spec).hexdigest()
            chunks = _chunks(keys)
            tasks = [pickle.dumps((token, spec, tuple(c), os.getpid()), _PICKLE) for c in chunks]
            dom = _domain_index(domain)
            gen = executor.map(data_cells_task, tasks)
            for chunk, res in zip(chunks, gen):
                packed, stats = pickle.loads(res)
                if stats:
                    add_lp_statistics(stats)
                for k, data in zip(chunk, packed):
                    P = unpack_cell(data, k, domain, dom)
                    _check_full(P, net.n_in, k)
                    cells.append((k, P))
                if bar is not None:
                    bar.update(len(chunk))
            gen = None
    except KeyboardInterrupt:
        if gen is not None:
            gen.close()  # cancels the executor's pending tasks
        print(
            f"\nrelu_network interrupted after {len(cells)} of {len(keys)} data cells; no partition was returned",
            file=sys.stderr,
        )
        raise
    finally:
        if bar is not None:
            bar.close()
    return cells


def _chunks(keys: Sequence[Pattern]) -> list[list[Pattern]]:
    """Runs of consecutive keys, about ``len(keys) / 64`` each (between 1 and 32), cut
    where the pattern of the layers before the last changes when possible (so a task
    computes each prefix's rows once)."""
    per = max(1, min(32, len(keys) // 64))
    out: list[list[Pattern]] = []
    cur: list[Pattern] = []
    for k in keys:
        if cur and (len(cur) >= 4 * per or (len(cur) >= per and k[:-1] != cur[-1][:-1])):
            out.append(cur)
            cur = []
        cur.append(k)
    if cur:
        out.append(cur)
    return out


_WORKER_SPECS: dict[str, tuple[Any, Polytope, str, dict]] = {}


def data_cells_task(blob: bytes) -> bytes:
    """Worker entry point of :func:`hfirst_cells` with an executor: ``(token, spec,
    keys, pid)`` pickled in, the packed cells (:func:`pack_cell`) and the task's LP
    statistics (``None`` in the process ``pid`` that sent it: counted there already)
    pickled out. ``spec`` is the pickled ``(network, domain, polytope engine)``; a
    worker keeps the last one it unpickled, by its digest ``token``, with its caches."""
    from ..polytope.lp import collecting_lp_statistics

    token, spec, keys, pid = pickle.loads(blob)
    got = _WORKER_SPECS.get(token)
    if got is None:
        net, domain, engine = pickle.loads(spec)
        got = (net, domain, engine, _domain_index(domain))
        _WORKER_SPECS.clear()
        _WORKER_SPECS[token] = got
    net, domain, engine, dom = got
    rows = UnitRows(net, domain)
    out = []
    with collecting_lp_statistics() as stats:
        for k in keys:
            out.append(pack_cell(hfirst_cell(net, k, domain, engine, rows), dom))
    # another process's LP statistics go back with the cells (a thread's are counted already)
    return pickle.dumps((out, dict(stats) if os.getpid() != pid else None), _PICKLE)


# ---------------------------------------------------------------------- shipping cells as plain ints


def _domain_index(domain: Polytope) -> dict[tuple[tuple[int, ...], Fraction], int]:
    return {(h.normal, h.offset): j for j, h in enumerate(domain.facets)}


def pack_cell(P: Polytope, dom: dict[tuple[tuple[int, ...], Fraction], int]) -> tuple:
    """A data cell as plain ints for shipping between processes: its canonical data
    (a facet that is a domain facet as its index in ``dom``), the units on each facet
    and the facet witnesses found by ray shooting (origin once, then per facet the
    integers of the hit). :func:`unpack_cell` restores an equal cell."""
    d = P.__dict__
    if "_interior" not in d:  # the vertex engine (few rows): its own packing
        from .relu_enum import _pack

        return ("v", _pack(P), _units_of(P), d.get("_bounded"))
    facets = []
    for h in P.facets:
        j = dom.get((h.normal, h.offset))
        facets.append(j if j is not None else (h.normal, h.offset.numerator, h.offset.denominator))
    eqs = tuple((h.normal, h.offset.numerator, h.offset.denominator) for h in d["_eqs"])
    z = d["_interior"]
    interior = None if z is None else tuple(x for v in z for x in (v.numerator, v.denominator))
    return ("h", d["_n"], d["_dim"], tuple(facets), eqs, d["_facet_rows"], interior, d.get("_bounded"), _units_of(P), _pack_witnesses(P))


def _units_of(P: Polytope) -> Any:
    fu = P.__dict__.get("_facet_units")
    return None if fu is None else fu[1]


def _pack_witnesses(P: Polytope) -> tuple:
    from ..polytope.rays import _RayPoint

    memo = P.__dict__.get("_facet_witness_memo") or {}
    origin: tuple | None = None
    rays: list[tuple] = []
    other: list[tuple] = []
    for i, w in memo.items():
        if isinstance(w, _RayPoint) and (w.aj is P.facets[i].normal or w.aj == P.facets[i].normal) and (origin is None or (w.zi, w.L) == origin):
            origin = (w.zi, w.L)
            rays.append((i, w.Sj, w.d))
        elif isinstance(w, _RayPoint):
            other.append((i, "r", w.zi, w.L, w.aj, w.Sj, w.d))
        else:
            other.append((i, "q", tuple(x for v in w for x in (v.numerator, v.denominator))))
    return origin, tuple(rays), tuple(other)


def unpack_cell(data: tuple, key: Pattern, domain: Polytope, dom: Any = None) -> Polytope:
    """Inverse of :func:`pack_cell` for the cell of pattern ``key`` in ``domain``."""
    from ..polytope.rays import _RayPoint
    from .relu_enum import _frac, _unpack

    if data[0] == "v":
        P = _unpack(data[1])
        units = data[2]
        if data[3] is not None:
            P.__dict__["_bounded"] = data[3]
    else:
        _, n, dim, facets, eqs, frows, interior, bounded, units, wits = data
        dfacets = domain.facets
        state: dict[str, Any] = {
            "_n": n,
            "_dim": dim,
            "_eqs": tuple(Hyperplane(w, _frac(p, q)) for w, p, q in eqs),
            "_facets": tuple(dfacets[f] if type(f) is int else Halfspace(f[0], _frac(f[1], f[2])) for f in facets),
            "_facet_rows": frows,
            "_interior": None if interior is None else tuple(_frac(p, q) for p, q in zip(interior[::2], interior[1::2])),
        }
        if bounded is not None:
            state["_bounded"] = bounded
        P = object.__new__(Polytope)
        P.__setstate__(state)
        origin, rays, other = wits
        memo: dict[int, Any] = {}
        if origin is not None:
            zi, L = origin
            fs = state["_facets"]
            for i, Sj, dd in rays:
                memo[i] = _RayPoint(zi, L, fs[i].normal, Sj, dd)
        for item in other:
            if item[1] == "r":
                i, _, zi, L, aj, Sj, dd = item
                memo[i] = _RayPoint(zi, L, aj, Sj, dd)
            else:
                i, _, q = item
                memo[i] = tuple(_frac(a, c) for a, c in zip(q[::2], q[1::2]))
        P.__dict__["_facet_witness_memo"] = memo
    if units is not None:
        P.__dict__["_facet_units"] = (key, units)
    return P
