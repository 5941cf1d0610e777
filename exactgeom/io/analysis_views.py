"""Text and JSON views of the complex and analysis layers for the command line
(``exactgeom curvature``, ``exactgeom laplacian``, ``exactgeom plot --color curvature``).

They need ``exactgeom.complex`` / ``exactgeom.analysis``; without them they raise an
:class:`~exactgeom.errors.InvalidInputError` saying what is missing.

>>> from exactgeom import arrangement
>>> text, doc = laplacian_report(arrangement([[1, 0]], [0], [(-1, 1), (0, 2)]), None, p=0, options={})
>>> doc["spectrum"]["eigenvalues"], doc["spectrum"]["charpoly"]
([['0', '0'], ['2', '2']], ['1', '-2', '0'])
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from ..errors import InvalidInputError
from ..partitions.partition import Partition
from .fixture_complex import (
    _complex,
    _spectrum_json,
    complex_available,
    complex_defaults,
    curvature_available,
    curvature_section,
    exact_str,
    matrix_json,
    parse_exact,
)
from .model_files import ModelSpec
from .report import approx, exact_short

__all__ = ["curvature_report", "laplacian_report", "curvature_values"]


def _need(what: str, ok: bool, module: str) -> None:
    if not ok:
        raise InvalidInputError(f"{what} needs {module}, which this installation of exactgeom does not have")


def _data(spec: ModelSpec | None) -> Any:
    return None if spec is None else spec.data


def curvature_values(partition: Partition, spec: ModelSpec | None) -> tuple[dict[int, float], dict[tuple[int, int], float]]:
    """Float views for plotting: Ricci-sum vertex curvature ``½ Σ_{e∋v} Ric(e)`` per cell
    and Ollivier–Ricci curvature per edge (exact values converted at the end)."""
    _need("curvature", curvature_available(), "exactgeom.analysis")
    sec = curvature_section(partition, complex_defaults(None), 12, _data(spec))
    edges = {tuple(e["edge"]): parse_exact(e["value"]) for e in sec["ricci"]["edges"]}
    cell: dict[int, Any] = {c.index: Fraction(0) for c in partition.cells}
    for (i, j), r in edges.items():
        cell[i] += r / 2
        cell[j] += r / 2
    return {i: float(v) for i, v in cell.items()}, {e: float(v) for e, v in edges.items()}  # type: ignore[misc]


def curvature_report(partition: Partition, spec: ModelSpec | None) -> tuple[str, dict[str, Any]]:
    """Readable text and a JSON document (the fixture's ``curvature`` section format) of
    the curvature of a partition: angle defects, vertex curvature, Ollivier–Ricci."""
    _need("curvature", curvature_available(), "exactgeom.analysis")
    sec = curvature_section(partition, complex_defaults(None), 12, _data(spec))
    defects = sec["angle_defects"]
    nonzero = [d for d in defects if not d["is_zero"]]
    kappa = [parse_exact(v) for v in sec["vertex_curvature"]]
    ric = sorted(((parse_exact(e["value"]), tuple(e["edge"])) for e in sec["ricci"]["edges"]), key=lambda t: (t[0], t[1]))  # exact order
    w = [f"Curvature of the {partition.family} partition ({partition.n_cells} cells)", ""]
    w.append(f"angle defects   {len(defects)} interior ridge pieces; {len(defects) - len(nonzero)} with defect exactly 0"
             + ("" if not nonzero else f"; {len(nonzero)} NONZERO"))
    for d in nonzero[:10]:
        w.append(f"  cells {d['cells']}: defect in [{d['radians'][0]}, {d['radians'][1]}] rad")
    gb = sec["gauss_bonnet"]
    w.append(f"vertex curvature sum over cells = {gb['sum']} = Euler characteristic {gb['euler_characteristic']} (Gauss-Bonnet, exact)")
    if kappa:
        w.append(f"  per cell: min {exact_short(min(kappa))}, max {exact_short(max(kappa))}")
    r = sec["ricci"]
    w.append(f"Ollivier-Ricci  {len(ric)} edges (lazy walk alpha = {r['alpha']}, {r['distance']} distance, "
             f"neighbour weights: {r['edge_weight']})")
    if ric:
        w.append("  most negative edges:")
        w += [f"    {e}: {exact_short(v)} (~{approx(Fraction(v))})" for v, e in ric[:5]]
        w.append("  most positive edges:")
        w += [f"    {e}: {exact_short(v)} (~{approx(Fraction(v))})" for v, e in ric[-5:][::-1]]
    doc = {"format": "exactgeom-curvature", "version": 1, "family": partition.family, "curvature": sec}
    return "\n".join(w) + "\n", doc


def laplacian_report(
    partition: Partition, spec: ModelSpec | None, *, p: int, options: Mapping[str, Any], spectrum: bool = True
) -> tuple[str, dict[str, Any]]:
    """Readable text and a JSON document of the Hodge Laplacian of degree ``p`` of the
    partition's complex (options: ``convention``, ``measure``, ``metric``, ``form``);
    ``spectrum=False`` skips the eigenvalues."""
    _need("the Laplacian", complex_available(), "exactgeom.complex")
    opts = complex_defaults({k: v for k, v in options.items() if k != "laplacians"})
    K = _complex(partition, opts, _data(spec))
    top = len(K.f_vector())
    if not isinstance(p, int) or p < 0 or p >= top:
        raise InvalidInputError(f"--p {p}: the complex has simplices of dimension 0..{top - 1}")
    L = K.hodge_laplacian(p, opts["form"])
    w = [
        f"Hodge Laplacian of degree {p} ({opts['form']} form) of the {opts['convention']} complex "
        f"(measure {opts['measure']}, metric {opts['metric']})",
        f"  complex: f-vector {list(K.f_vector())}, Betti numbers {list(K.betti())}",
        f"  operator: {L.shape[0]} x {L.shape[1]}, {L.nnz} nonzero entries, "
        + ("rational (exact linear algebra)" if L.is_rational else "with surd entries (certified enclosures)"),
    ]
    doc: dict[str, Any] = {
        "format": "exactgeom-laplacian",
        "version": 1,
        "options": {k: opts[k] for k in ("convention", "measure", "metric", "form")},
        "p": p,
        "matrix": matrix_json(L),
        "spectrum": None,
    }
    if not spectrum:
        return "\n".join(w) + "\n", doc
    S = K.spectrum(p, opts["form"], digits=12)
    sp = _spectrum_json(S, 12)
    doc["spectrum"] = sp
    w.append(f"  kernel dimension: {S.kernel_dim if S.kernel_dim is not None else 'undecided'}; "
             f"positive semidefinite: {S.psd}")
    if S.charpoly is not None:
        cp = " ".join(exact_str(c) for c in S.charpoly)
        w.append(f"  characteristic polynomial (coefficients, highest degree first): {cp if len(cp) <= 200 else '(long; see the JSON)'}")
    ev = sp["eigenvalues"]
    shown = ev if len(ev) <= 12 else ev[:6] + [["...", "..."]] + ev[-6:]
    w.append("  eigenvalues (certified enclosures, ascending):")
    w += [f"    [{lo}, {hi}]" for lo, hi in shown]
    return "\n".join(w) + "\n", doc
