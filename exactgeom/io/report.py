"""The readable summary of an analysed partition (``exactgeom_summary.txt``).

:func:`summarise` collects the numbers (exact, with certified decimals) and
:func:`summary_text` lays them out: model, domain and data; cells and adjacencies; the
exact volume check and :meth:`~exactgeom.Partition.check`; volume statistics; the
smallest cells; the sharpest dihedral angles; the thinnest cells (certified inradius of
the largest inscribed ball); and a table of every cell.

>>> from exactgeom import arrangement
>>> s = summarise(arrangement([[1, 0], [0, 1]], [0, "1/2"], [(-1, 1), (-1, 1)]))
>>> s.n_cells, s.volume_ok, s.smallest[0].volume
(4, True, Fraction(1, 2))
>>> "volume check" in summary_text(s)
True
"""

from __future__ import annotations

import statistics
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ..errors import ExactGeomError, LimitExceededError
from ..numbers.angle import Angle
from ..numbers.rational import float_above, float_below, int_to_decimal, unlimited_int_str_digits
from ..numbers.surd import Surd
from ..partitions.partition import Partition
from ..polytope.polytope import MAX_VERTEX_ESTIMATE
from .canonical import _floor_log10, decimal_str, key_to_json
from .model_files import ModelSpec

__all__ = ["CellLine", "AngleLine", "Summary", "summarise", "summary_text", "key_label", "approx", "exact_short"]


def approx(x: Fraction, digits: int = 6) -> str:
    """A short decimal of an exact rational (rounded to nearest, for reading only).

    >>> approx(Fraction(1, 3)), approx(Fraction(36))
    ('0.333333', '36')
    >>> approx(Fraction(2 * 10**5000, 3)), approx(Fraction(1, 7 * 10**40))
    ('6.66667e+4999', '1.42857e-41')
    """
    x = Fraction(x)
    if x:  # far from 1: scientific notation (a plain decimal would have thousands of digits)
        e = _floor_log10(abs(x))
        if not -21 < e < 21:
            return f"{approx(x / Fraction(10) ** e, digits)}e{e:+d}"
    lo = decimal_str(x, digits, up=False)
    hi = decimal_str(x, digits, up=True)
    if lo == hi:
        return lo
    return lo if abs(Fraction(lo) - x) <= abs(Fraction(hi) - x) else hi


def key_label(key: Hashable) -> str:
    """Compact text of a key: ReLU patterns as ``"0110|10"`` (one group per layer).

    >>> key_label(((0, 1, 1), (1, 0))), key_label((1, -1)), key_label(3)
    ('011|10', '[1, -1]', '3')
    """
    if (
        isinstance(key, tuple)
        and key
        and all(isinstance(g, tuple) and all(v in (0, 1) and not isinstance(v, float) for v in g) for g in key)
    ):
        return "|".join("".join(str(int(v)) for v in g) for g in key)
    j = key_to_json(key)
    return str(j).replace("'", "")


@dataclass(frozen=True)
class CellLine:
    index: int
    key: Hashable
    volume: Fraction
    share: Fraction
    n_data: int | None
    label: Any = None


@dataclass(frozen=True)
class AngleLine:
    cell: int
    facets: tuple[int, int]
    angle: Angle


@dataclass(frozen=True)
class Summary:
    """The numbers of the summary (all exact or certified)."""

    title: str
    family: str
    model_line: str
    domain_line: str
    mode: str
    n_cells: int
    n_faces: int
    domain_volume: Fraction
    volume_sum: Fraction
    volume_ok: bool
    check_ok: bool
    check_problems: tuple[str, ...]
    cells: tuple[CellLine, ...]
    smallest: tuple[CellLine, ...]
    sharpest: tuple[AngleLine, ...]
    thinnest: tuple[tuple[int, str, str], ...]  # (cell, exact radius or "", enclosure text)
    data_line: str | None = None
    notes: tuple[str, ...] = field(default=())


def _domain_line(P: Partition) -> str:
    D = P.domain
    n = D.ambient_dim
    V = D.vertices
    lo = [min(v[j] for v in V) for j in range(n)]
    hi = [max(v[j] for v in V) for j in range(n)]
    is_box = len(D.facets) == 2 * n and all(sum(1 for a in h.normal if a) == 1 for h in D.facets)
    if is_box:
        return " x ".join(f"[{exact_short(a)}, {exact_short(b)}]" for a, b in zip(lo, hi)) + f"  (volume {exact_short(D.volume())})"
    return f"polytope in R^{n} with {len(D.facets)} facets, {len(V)} vertices (volume {exact_short(D.volume())})"


def _model_line(P: Partition, spec: ModelSpec | None) -> str:
    m = P.model
    sizes = getattr(m, "layer_sizes", None)
    if P.family == "relu" and sizes is not None:
        pol = P.provenance.get("policy")
        return (
            f"ReLU network {'-'.join(map(str, sizes))} (exact rational weights"
            + (f", converted from floats by policy {pol}" if pol else "")
            + ")"
        )
    if spec is not None:
        return f"{spec.family} model"
    return f"{P.family} partition"


def _counts(P: Partition, data: Sequence[Sequence[Fraction]] | None) -> dict[Hashable, int] | None:
    from .fixtures import _count_data

    return _count_data(P, data)


def summarise(
    partition: Partition,
    spec: ModelSpec | None = None,
    *,
    title: str | None = None,
    n_smallest: int = 10,
    n_angles: int = 10,
    inradius_limit: int = 400,
) -> Summary:
    """Collect the summary numbers of a partition (see the module docstring).

    ``inradius_limit``: certified inradii are computed for every cell when there are at
    most this many cells, else only for the ``n_smallest`` smallest cells.
    """
    from .fixtures import partition_vertex_free

    if partition_vertex_free(partition):
        raise LimitExceededError(
            f"summarise needs the volumes of the cells, but this partition's cells (or domain) are H-first polytopes "
            f"in R^{partition.ambient_dim} whose vertices are not enumerated (above {MAX_VERTEX_ESTIMATE} estimated "
            "vertices they cannot be); use exactgeom.io.report_data.summarise_data (data graph, facets, data-measure "
            "spectrum, Ricci; what 'exactgeom analyse --mode data' writes) or measure='data' in the complex"
        )
    rep = partition.check(volumes=all(c.polytope.engine == "vertices" for c in partition.cells))
    dv = partition.domain.volume()
    data = spec.data if spec is not None else None
    counts = _counts(partition, data)
    lines = []
    for c in partition.cells:
        lab = partition.label(c) if partition.model is not None else None
        lines.append(CellLine(c.index, c.key, c.volume(), c.volume() / dv, None if counts is None else counts.get(c.key, 0), lab))
    smallest = tuple(sorted(lines, key=lambda l: (l.volume, l.index))[:n_smallest])
    angles: list[AngleLine] = []
    for c in partition.cells:
        for ij, a in c.polytope.dihedral_angles().items():
            angles.append(AngleLine(c.index, ij, a))
    sharpest = _sharpest(angles, n_angles)
    thinnest = _thinnest(partition, smallest, inradius_limit, n_smallest)
    data_line = None
    if data is not None:
        data_line = f"{len(data)} points"
        if spec is not None and spec.labels is not None:
            tally: dict[Any, int] = {}
            for y in spec.labels:
                tally[y] = tally.get(y, 0) + 1
            data_line += ", labels " + ", ".join(f"{k}: {v}" for k, v in sorted(tally.items(), key=lambda kv: str(kv[0])))
        if counts is not None:
            data_line += f"; {sum(1 for v in counts.values() if v)} cells contain data"
    mode = spec.mode if spec is not None else str(partition.provenance.get("mode", "full"))
    return Summary(
        title=title or (spec.name if spec is not None and spec.name else f"{partition.family} partition"),
        family=partition.family,
        model_line=_model_line(partition, spec),
        domain_line=_domain_line(partition),
        mode=mode,
        n_cells=partition.n_cells,
        n_faces=len(partition.adjacency()),
        domain_volume=dv,
        volume_sum=rep.volume_sum,
        volume_ok=rep.volume_sum == dv,
        check_ok=bool(rep.ok),
        check_problems=tuple(rep.problems),
        cells=tuple(lines),
        smallest=smallest,
        sharpest=tuple(sharpest),
        thinnest=thinnest,
        data_line=data_line,
    )


def _sharpest(angles: Sequence[AngleLine], n: int) -> list[AngleLine]:
    """The ``n`` smallest angles, smallest first (largest cosine; ties by cell, facets),
    decided exactly. The key is the exact signed square of the cosine (monotone in the
    cosine); outward-rounded float bounds of it only discard angles that certainly are
    not among the ``n`` (upper bound below the ``n``-th largest lower bound), and the
    rest are sorted by the exact key."""
    if n <= 0 or not angles:
        return []
    keys = [a.angle.cos.signed_square() for a in angles]
    lo = [float_below(k) for k in keys]
    cut = sorted(lo, reverse=True)[min(n, len(lo)) - 1]
    cand = [i for i, k in enumerate(keys) if float_above(k) >= cut]
    cand.sort(key=lambda i: (-keys[i], angles[i].cell, angles[i].facets))
    return [angles[i] for i in cand[:n]]


def _isoperimetric(P: Any) -> tuple[Fraction, Fraction]:
    """Certified rational bounds ``(vol/S_hi, n·vol/S_lo)`` with ``vol/S ≤ r ≤ n·vol/S`` for
    the inradius ``r`` of a convex body of volume ``vol`` and surface area ``S``."""
    from ..numbers.surdsum import SurdSum

    S = SurdSum([P.facet_volume(i) for i in range(P.n_facets)]).enclose(15)
    v = P.volume()
    return v / S.hi, P.ambient_dim * v / S.lo


def _thinnest(P: Partition, smallest: Sequence[CellLine], limit: int, n: int) -> tuple[tuple[int, str, str], ...]:
    """The ``n`` cells of smallest inradius, certified. Only candidates are solved: a cell
    whose lower bound ``vol/S`` exceeds the n-th smallest upper bound ``n·vol/S`` cannot
    be among them."""
    cells = list(P.cells) if P.n_cells <= limit else [P.cells[c.index] for c in smallest]
    if not cells:
        return ()
    bounds = {c.index: _isoperimetric(c.polytope) for c in cells}
    cut = sorted(u for _, u in bounds.values())[min(n, len(bounds)) - 1]
    got = []
    for c in cells:
        if bounds[c.index][0] > cut:
            continue
        try:
            B = c.polytope.chebyshev_ball()
        except ExactGeomError:  # an undecided cell is left out; anything else (scipy is a dependency) is not hidden
            continue
        exact = "" if B.radius is None else exact_short(B.radius, 10**9)
        got.append((B.radius_enclosure.mid, c.index, exact, B.radius_enclosure))
    got.sort(key=lambda t: (t[0], t[1]))
    out = []
    for _, i, exact, enc in got[:n]:
        out.append((i, exact, f"[{decimal_str(enc.lo, 8, up=False)}, {decimal_str(enc.hi, 8, up=True)}]"))
    return tuple(out)


def _degrees(a: Angle) -> str:
    e = a.degrees(12)
    if e.lo == e.hi:
        return f"{decimal_str(e.lo, 12, up=False)} (exact)"
    return f"[{decimal_str(e.lo, 10, up=False)}, {decimal_str(e.hi, 10, up=True)}]"


def exact_short(x: Any, width: int = 26) -> str:
    """The exact value when its string is short, else a description of its size (the
    JSON result holds every exact value in full).

    >>> exact_short(Fraction(1, 3)), exact_short(Fraction(10**40 + 1, 3 * 10**41)), exact_short(Fraction(-(10**40)))
    ('1/3', '(41/42-digit fraction)', '(41-digit integer)')
    """
    with unlimited_int_str_digits():  # exact values of any size (str stops at 4,300 digits)
        t = str(x)
    if len(t) <= width:
        return t
    if isinstance(x, Fraction) and x.denominator == 1:
        return f"({len(int_to_decimal(abs(x.numerator)))}-digit integer)"
    if isinstance(x, Fraction):
        return f"({len(int_to_decimal(abs(x.numerator)))}/{len(int_to_decimal(x.denominator))}-digit fraction)"
    if isinstance(x, Surd):
        return f"(q*sqrt(d), d with {len(int_to_decimal(x.radicand))} digits)"
    terms = getattr(x, "terms", None)
    if terms is not None:
        return f"(sum of {len(terms)} surds)"
    return t[: width - 3] + "..."


def summary_head(title: str, model_line: str, domain_line: str, mode_line: str, data_line: str | None) -> list[str]:
    """The first lines of a summary (title, model, domain, mode, data)."""
    head = f"exactgeom analysis: {title}"
    w = [head, "=" * len(head), "", f"model        {model_line}", f"domain       {domain_line}", f"mode         {mode_line}"]
    if data_line:
        w.append(f"data         {data_line}")
    return w


def check_lines(ok: bool, problems: Sequence[str], what: str) -> list[str]:
    """The ``check()`` lines of a summary: OK and what was checked, or the problems."""
    if ok:
        return [f"check()      OK: {what}"]
    return [f"check()      FAILED ({len(problems)} problems)"] + [f"             - {p}" for p in problems[:20]]


def summary_text(s: Summary, *, max_rows: int = 500) -> str:
    """The text of ``exactgeom_summary.txt``."""
    w = summary_head(s.title, s.model_line, s.domain_line,
                     "full enumeration of every cell" if s.mode == "full" else "cells containing data only", s.data_line)
    w.append("")
    w.append(f"cells        {s.n_cells}")
    w.append(f"adjacencies  {s.n_faces} pairs of cells sharing an (n-1)-dimensional face")
    ok = "OK" if s.volume_ok else "MISMATCH"
    rel = "=" if s.volume_ok else "!="
    w.append(f"volume check sum of the {s.n_cells} exact cell volumes = {exact_short(s.volume_sum)} {rel} "
             f"{exact_short(s.domain_volume)} = domain volume: {ok} (exact rational arithmetic)")
    w += check_lines(s.check_ok, s.check_problems,
                     "cells inside the domain, interiors disjoint, volumes sum to the domain's, every key realised")
    vols = [c.volume for c in s.cells]
    if vols:
        med = statistics.median_low(vols)
        w += ["", "Cell volumes (decimals rounded; exact values in the JSON result)"]
        w.append(f"  smallest ~{approx(min(vols))}   median ~{approx(med)}   largest ~{approx(max(vols))}   "
                 f"domain {exact_short(s.domain_volume)} (~{approx(s.domain_volume)})")
    w += ["", f"{len(s.smallest)} smallest cells",
          "  cell  ~volume        share of domain  data  exact volume              key"]
    for c in s.smallest:
        nd = "-" if c.n_data is None else str(c.n_data)
        w.append(f"  {c.index:>4}  {approx(c.volume):<13}  {approx(c.share, 4):<15}  {nd:>4}  "
                 f"{exact_short(c.volume):<26}  {key_label(c.key)}")
    w += ["", f"{len(s.sharpest)} sharpest dihedral angles (smallest interior angles of a cell at a ridge)",
          "  cell  facets  theta in degrees (certified)      cos(theta) exact"]
    for a in s.sharpest:
        w.append(f"  {a.cell:>4}  {a.facets[0]:>2},{a.facets[1]:<3}  {_degrees(a.angle):<32}  {exact_short(a.angle.cos, 40)}")
    if s.thinnest:
        w += ["", f"{len(s.thinnest)} thinnest cells (inradius = radius of the largest inscribed ball, certified)",
              "  cell  inradius enclosure              exact"]
        for i, exact, enc in s.thinnest:
            w.append(f"  {i:>4}  {enc:<30}  {exact if len(exact) <= 40 else '(closed form in surds; long)'}")
    w += ["", "All cells" + (f" (first {max_rows})" if len(s.cells) > max_rows else ""),
          "  cell  ~volume        data  label  exact volume              key"]
    for c in s.cells[:max_rows]:
        nd = "-" if c.n_data is None else str(c.n_data)
        lab = "-" if c.label is None or c.label == c.key else key_label(c.label)
        w.append(f"  {c.index:>4}  {approx(c.volume):<13}  {nd:>4}  {lab:>5}  {exact_short(c.volume):<26}  {key_label(c.key)}")
    w += ["", "Exact values are rationals p/q, surds q*sqrt(d) and angles arccos(<surd>); every [lo, hi] is a",
          "certified enclosure; '~' marks a rounded decimal. Every exact value, in full: the JSON result",
          "(format: docs/fixtures.md). Keys of ReLU cells: activation patterns, one group of 0/1 per layer."]
    for n in s.notes:
        w.append(f"note: {n}")
    return "\n".join(w) + "\n"
