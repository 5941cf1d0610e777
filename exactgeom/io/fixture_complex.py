"""Fixture sections of the complex layer (simplices, boundary matrices, measures, inner
products, Laplacians, spectra) and of the analysis layer (angle defects, vertex and
Ricci curvature), and their decoding into exact values.

They are computed only when ``exactgeom.complex`` / ``exactgeom.analysis`` are
installed; :func:`complex_available` and :func:`curvature_available` say so.

Sparse matrices are written ``{"shape": [r, c], "entries": [[i, j, "value"], ...]}``
(entries sorted by ``(i, j)``, zeros omitted, values canonical rational / surd /
surd-sum strings).

>>> sorted(complex_defaults(None))
['convention', 'form', 'laplacians', 'measure', 'metric']
>>> exact_str(Fraction(3, 6)), parse_exact("2*sqrt(3)")
('1/2', Surd('2*sqrt(3)'))
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from ..errors import InvalidInputError, UndecidedError
from ..numbers.surd import Surd
from ..numbers.surdsum import SurdSum
from ..partitions.partition import Partition
from .canonical import (
    angle_str,
    enclosure_json,
    parse_enclosure,
    parse_rational,
    parse_surd,
    parse_surdsum,
    rational_str,
    vector_str,
)

__all__ = [
    "complex_available",
    "curvature_available",
    "complex_defaults",
    "complex_section",
    "curvature_section",
    "exact_str",
    "parse_exact",
    "matrix_json",
    "decode_complex",
    "decode_curvature",
]

_DEFAULTS: dict[str, Any] = {
    "convention": "facet",
    "measure": "volume",
    "metric": "diagonal",
    "laplacians": [0],
    "form": "cochain",
}


def _module(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def complex_available() -> bool:
    """Whether ``exactgeom.complex`` (RiemannianComplex) is installed."""
    m = _module("exactgeom.complex")
    return m is not None and hasattr(m, "RiemannianComplex")


def curvature_available() -> bool:
    """Whether the curvature functions of ``exactgeom.analysis`` are installed."""
    if not complex_available():
        return False
    c = _module("exactgeom.analysis.curvature")
    r = _module("exactgeom.analysis.ricci")
    return (
        c is not None
        and r is not None
        and all(hasattr(c, f) for f in ("angle_defects", "vertex_curvature"))
        and hasattr(r, "ricci_curvature")
    )


def complex_defaults(opts: Mapping[str, Any] | None) -> dict[str, Any]:
    """The complex options with defaults filled in (validated).

    >>> complex_defaults({"laplacians": [1, 0]})["laplacians"]
    [0, 1]
    """
    out = dict(_DEFAULTS)
    for k, v in (opts or {}).items():
        if k not in _DEFAULTS:
            raise InvalidInputError(f"unknown complex option {k!r}; use {', '.join(sorted(_DEFAULTS))}")
        out[k] = v
    lap = out["laplacians"]
    if not isinstance(lap, (list, tuple)) or not all(isinstance(p, int) and not isinstance(p, bool) and p >= 0 for p in lap):
        raise InvalidInputError(f"laplacians must be a list of degrees p >= 0, got {lap!r}")
    out["laplacians"] = sorted(set(lap))
    for k in ("convention", "measure", "metric", "form"):
        if not isinstance(out[k], str):
            raise InvalidInputError(f"complex option {k} must be a string, got {out[k]!r}")
    return out


# ---------------------------------------------------------------------------- values


def exact_str(v: Any) -> str:
    """Canonical string of an exact value: rational, surd or sum of surds."""
    if isinstance(v, bool):
        raise InvalidInputError(f"not an exact number: {v!r}")
    if isinstance(v, (int, Fraction)):
        return rational_str(v)
    if isinstance(v, SurdSum):
        s = v.simplify()
        return str(s) if isinstance(s, Surd) else str(v)
    if isinstance(v, Surd):
        return str(v)
    raise InvalidInputError(f"not an exact number: {v!r} ({type(v).__name__})")


def parse_exact(s: Any, *, where: str = "value") -> Any:
    """Inverse of :func:`exact_str`: a Fraction, a Surd or a SurdSum."""
    if not isinstance(s, str):
        raise InvalidInputError(f"{where} {s!r} is not an exact-number string")
    if "sqrt" not in s:
        return parse_rational(s, where=where)
    if " " not in s:
        return parse_surd(s, where=where)
    return parse_surdsum(s, where=where)


def matrix_json(M: Any) -> dict[str, Any]:
    """A sparse exact matrix (``ExactMatrix``) as ``{"shape", "entries"}``."""
    entries = sorted((i, j, v) for (i, j), v in M.items())
    # canonical exact values: truth is "nonzero" (a SurdSum comparison would build a difference)
    return {"shape": list(M.shape), "entries": [[i, j, exact_str(v)] for i, j, v in entries if v]}


def _matrix_from_json(m: Mapping[str, Any], where: str) -> Any:
    from ..complex.sparse import ExactMatrix

    shape = (int(m["shape"][0]), int(m["shape"][1]))
    return ExactMatrix.from_dict(shape, {(int(i), int(j)): parse_exact(v, where=where) for i, j, v in m["entries"]})


def _spectrum_json(S: Any, digits: int) -> dict[str, Any]:
    return {
        "eigenvalues": [enclosure_json(e, digits) for e in S.eigenvalues],
        "charpoly": None if S.charpoly is None else [rational_str(c) for c in S.charpoly],
        "kernel_dim": S.kernel_dim,
        "psd": S.psd,
        "exact": bool(S.exact),
    }


# ---------------------------------------------------------------------------- complex


def _complex(partition: Partition, options: Mapping[str, Any], data: Sequence[Any] | None, progress: Any = None) -> Any:
    from ..complex import RiemannianComplex

    return RiemannianComplex.from_partition(
        partition,
        convention=options["convention"],
        measure=options["measure"],
        metric=options["metric"],
        data=None if data is None else list(data),
        progress=progress,
    )


def complex_section(
    partition: Partition, options: Mapping[str, Any], digits: int, data: Sequence[Any] | None, *, complex_: Any = None,
    progress: Any = None,
) -> dict[str, Any]:
    """The ``complex`` section (requires ``exactgeom.complex``); ``complex_``: the
    complex of ``partition`` with these options when already built; ``progress``: its
    bars when built here."""
    if not complex_available():
        raise InvalidInputError("the complex section needs exactgeom.complex, which is not installed")
    K = _complex(partition, options, data, progress) if complex_ is None else complex_
    top = len(K.f_vector())
    out: dict[str, Any] = {
        "f_vector": list(K.f_vector()),
        "betti": list(K.betti()),
        "euler_characteristic": K.euler_characteristic(),
        "simplices": [[list(s) for s in K.simplices(p)] for p in range(top)],
        "intersection_dims": [[K.intersection_dim(s) for s in K.simplices(p)] for p in range(top)],
        "boundary": [dict(matrix_json(K.boundary(p)), p=p) for p in range(1, top)],
        "measures": [[exact_str(v) for v in K.measure(p)] for p in range(top)],
    }
    ips = []
    for p in range(top):
        M = K.inner_product(p)
        if not M.is_diagonal():
            ips.append(dict(matrix_json(M), p=p, rank=K.inner_product_rank(p)))
    out["inner_products"] = ips
    laps = []
    missing = [p for p in options["laplacians"] if p >= top]
    if missing:
        raise InvalidInputError(
            f"laplacians: degree {missing[0]} does not exist; this complex has simplices of degrees "
            f"0..{top - 1}"
        )
    for p in options["laplacians"]:
        L = K.hodge_laplacian(p, options["form"])
        entry = dict(matrix_json(L), p=p, form=options["form"], rational=bool(L.is_rational))
        try:
            entry["spectrum"] = _spectrum_json(K.spectrum(p, options["form"], digits=digits), digits)
        except UndecidedError as exc:  # recorded, not guessed
            entry["spectrum"] = None
            entry["spectrum_undecided"] = str(exc)
        laps.append(entry)
    out["laplacians"] = laps
    return out


def decode_complex(c: Mapping[str, Any]) -> dict[str, Any]:
    """Exact values of a stored complex section: simplices as tuples, boundary matrices,
    inner products and Laplacians as ``ExactMatrix``, measures as Fractions/Surds, spectra
    as enclosures and rational characteristic polynomials."""
    out: dict[str, Any] = {
        "f_vector": tuple(c["f_vector"]),
        "betti": tuple(c["betti"]),
        "euler_characteristic": c["euler_characteristic"],
        "simplices": tuple(tuple(tuple(s) for s in level) for level in c["simplices"]),
        "intersection_dims": tuple(tuple(level) for level in c["intersection_dims"]),
        "boundary": {b["p"]: _matrix_from_json(b, f"$.complex.boundary[{b['p']}]") for b in c["boundary"]},
        "measures": tuple(
            tuple(parse_exact(v, where=f"$.complex.measures[{p}]") for v in level) for p, level in enumerate(c["measures"])
        ),
        "inner_products": {m["p"]: _matrix_from_json(m, "$.complex.inner_products") for m in c["inner_products"]},
        "laplacians": {},
    }
    for lap in c["laplacians"]:
        sp = lap["spectrum"]
        out["laplacians"][lap["p"]] = {
            "matrix": _matrix_from_json(lap, f"$.complex.laplacians[p={lap['p']}]"),
            "eigenvalues": None if sp is None else tuple(parse_enclosure(e) for e in sp["eigenvalues"]),
            "charpoly": None if sp is None or sp["charpoly"] is None else tuple(parse_rational(x) for x in sp["charpoly"]),
            "kernel_dim": None if sp is None else sp["kernel_dim"],
        }
    return out


# ---------------------------------------------------------------------------- curvature


def curvature_section(
    partition: Partition, options: Mapping[str, Any], digits: int, data: Sequence[Any] | None, *, complex_: Any = None,
    progress: Any = None,
) -> dict[str, Any]:
    """The ``curvature`` section (requires ``exactgeom.analysis``): the angle defect at
    every interior ridge piece, the combinatorial vertex curvature with its Gauss–Bonnet
    total, and the Ollivier–Ricci curvature of every edge (lazy walk α = 1/2, hop
    distance, neighbour weights = data mass with data, else cell volume)."""
    if not curvature_available():
        raise InvalidInputError("the curvature section needs exactgeom.analysis, which is not installed")
    from ..analysis.curvature import angle_defects, vertex_curvature
    from ..analysis.ricci import ricci_curvature

    defects = []
    for d in angle_defects(partition):
        r = d.pi_multiple()
        defects.append(
            {
                "piece": [vector_str(v) for v in d.piece_vertices],  # sorted vertices, no V->H conversion
                "cells": list(d.cells),
                "angles": [angle_str(a.angle) for a in d.angles],
                "kinds": [a.kind for a in d.angles],
                "is_zero": bool(d.is_zero()),
                "pi_multiple": None if r is None else rational_str(r),
                "radians": enclosure_json(d.radians(digits), digits),
            }
        )
    K = _complex(partition, options, data, progress) if complex_ is None else complex_
    kappa = vertex_curvature(K)
    weight = "data" if data is not None else "volume"
    # the complex holds the same points (unit weights): its data masses are the walk's,
    # so the points are not located a second time
    ric = ricci_curvature(K, method="ollivier", alpha=Fraction(1, 2), edge_weight=weight, distance="hops",
                          data=None if data is None or K.data_mass() is not None else list(data), progress=progress)
    return {
        "angle_defects": defects,
        "vertex_curvature": [exact_str(k) for k in kappa],
        "gauss_bonnet": {"sum": exact_str(sum(kappa, Fraction(0))), "euler_characteristic": K.euler_characteristic()},
        "ricci": {
            "method": "ollivier",
            "alpha": "1/2",
            "distance": "hops",
            "edge_weight": weight,
            "edges": [{"edge": [i, j], "value": exact_str(v)} for (i, j), v in sorted(ric.items())],
        },
    }


def decode_curvature(c: Mapping[str, Any]) -> dict[str, Any]:
    """Exact values of a stored curvature section."""
    from .canonical import parse_angle, parse_vector

    return {
        "angle_defects": tuple(
            {
                "piece": tuple(parse_vector(v) for v in d["piece"]),
                "cells": tuple(d["cells"]),
                "angles": tuple(parse_angle(a) for a in d["angles"]),
                "is_zero": d["is_zero"],
                "pi_multiple": None if d["pi_multiple"] is None else parse_rational(d["pi_multiple"]),
                "radians": parse_enclosure(d["radians"]),
            }
            for d in c["angle_defects"]
        ),
        "vertex_curvature": tuple(parse_exact(v) for v in c["vertex_curvature"]),
        "ricci": {tuple(e["edge"]): parse_exact(e["value"]) for e in c["ricci"]["edges"]},
    }
