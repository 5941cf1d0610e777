"""Exact ground-truth fixtures: a versioned, canonical JSON document per partition.

A fixture stores a model (family + exact parameters + domain), every cell of the
partition it induces (key, H-representation, vertices, volume, centroid, facet volumes,
dihedral angles with certified enclosures), every shared face, and — when the complex
and analysis layers are installed — the complex, its Laplacians, spectra and curvature,
plus provenance.  The format is documented field by field in ``docs/fixtures.md`` and
by the JSON Schema ``exactgeom/io/schema.json``; numbers are canonical strings
(:mod:`exactgeom.io.canonical`).  The text is canonical (sorted keys, one-space indent,
ASCII, trailing newline), so writing the same model twice gives the same bytes.

Each section is produced by one small function of the partition (``_cells_section``,
``_faces_section``, …); :data:`SECTION_BUILDERS` lists them.

>>> from exactgeom import arrangement
>>> doc = fixture_dict(arrangement([[1, 0]], ["1/2"], [(0, 1), (0, 1)]))
>>> doc["format"], doc["version"], [c["volume"] for c in doc["cells"]]
('exactgeom-fixture', 1, ['1/2', '1/2'])
>>> doc["faces"][0]["volume"], doc["cells"][0]["angles"][0]["degrees"]
('1', ['90', '90'])
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

from flint import arb

from ..errors import ExactGeomError, InvalidInputError
from ..numbers.angle import Angle
from ..numbers.ball import working_precision
from ..numbers.rational import FloatPolicy
from ..numbers.surd import Surd
from ..partitions._progress import check_progress, progress_bar
from ..partitions.partition import Partition
from ..polytope.polytope import Polytope
from .atomic import write_atomic
from .canonical import (
    _arb_enclosure_json,
    angle_str,
    canonical_json,
    enclosure_json,
    key_to_json,
    matrix_str,
    rational_str,
    surd_str,
    vector_str,
)
from .model_files import ModelSpec, read_model
from .model_objects import spec_from_partition

__all__ = [
    "FORMAT",
    "VERSION",
    "DEFAULT_DIGITS",
    "ALL_SECTIONS",
    "SECTION_BUILDERS",
    "facet_order",
    "fixture_dict",
    "write_fixture",
    "available_sections",
    "vertex_free",
    "partition_vertex_free",
    "CONVENTIONS",
]

FORMAT = "exactgeom-fixture"
VERSION = 1
#: Significant digits of the certified decimal enclosures.
DEFAULT_DIGITS = 20
#: Every section a fixture can hold, in the order they are computed.
ALL_SECTIONS = ("cells", "angles", "faces", "complex", "curvature")

#: Default sections of a partition with H-first cells (:func:`partition_vertex_free`):
#: angles, the complex and curvature ask for vertices or volumes there.
VERTEX_FREE_SECTIONS = ("cells", "faces")

#: Conventions recorded in every fixture's provenance.
CONVENTIONS = {
    "indices": "0-based everywhere",
    "hrep": "A x <= b, one row per irredundant facet, primitive integer normals, rows sorted by (normal, offset); facet i is row i",
    "vertices": "sorted lexicographically",
    "numbers": "rationals 'p/q' in lowest terms or 'p'; surds 'q*sqrt(d)'; angles 'arccos(<surd>)'; enclosures ['lo','hi'] certified, rounded outward",
    "dihedral_angle": "interior angle of a cell at the ridge of facets i<j, cos = -<a_i,a_j>/(|a_i| |a_j|)",
    "shared_face": "normal . x = offset, normal primitive, pointing from cells[0] to cells[1]",
    "relu_activation": "a unit is active iff its pre-activation is > 0",
    "key": "the model's cell key; tuples are JSON lists",
}


# ---------------------------------------------------------------------------- sections


def facet_order(P: Polytope) -> list[int]:
    """The fixture's facet order of ``P``: its facets sorted by ``(normal, offset)`` (the
    normals are primitive integer vectors), so that a fixture does not depend on the
    order in which a builder produced the inequalities. ``facet_order(P)[k]`` is the
    polytope's index of the fixture's facet ``k``.

    >>> facet_order(Polytope.box([(0, 1)]))   # -x <= 0 sorts before x <= 1
    [0, 1]
    """
    return sorted(range(P.n_facets), key=lambda i: (P.facets[i].normal, P.facets[i].offset))


def _hrep_json(P: Polytope, order: Sequence[int] | None = None) -> dict[str, Any]:
    order = facet_order(P) if order is None else order
    out: dict[str, Any] = {
        "A": [vector_str(P.facets[i].normal) for i in order],
        "b": [rational_str(P.facets[i].offset) for i in order],
    }
    if P.equalities:
        out["E"] = [vector_str(h.normal) for h in P.equalities]
        out["f"] = [rational_str(h.offset) for h in P.equalities]
    return out


def vertex_free(P: Polytope) -> bool:
    """Whether a fixture stores ``P`` by its H-representation only: an H-first polytope
    (data cells above 6 inputs, their shared faces, a high-dimensional domain), whose
    vertices, volumes and centroid are not computed (they may be unaffordable).

    >>> vertex_free(Polytope.box([(0, 1)] * 2)), vertex_free(Polytope.box([(0, 1)] * 40))
    (False, True)
    """
    return P.engine != "vertices"


def partition_vertex_free(partition: Partition) -> bool:
    """Whether the domain or any cell of ``partition`` is :func:`vertex_free` (a data
    partition in high input dimension): its fixture and summary need no volume."""
    return vertex_free(partition.domain) or any(vertex_free(c.polytope) for c in partition.cells)


def _domain_section(partition: Partition, ctx: _Context) -> dict[str, Any]:
    D = partition.domain
    out: dict[str, Any] = {"ambient_dim": D.ambient_dim, "hrep": _hrep_json(D)}
    if not vertex_free(D):
        out["vertices"] = matrix_str(D.vertices)
        out["volume"] = rational_str(D.volume())
    return out


def _angles_json(
    P: Polytope, order: Sequence[int], digits: int, memo: dict[Any, dict[str, Any]] | None = None
) -> list[dict[str, Any]]:
    """The angle entries of a cell; ``memo`` (per document) holds the fields of every
    cosine seen so far (by its coefficient and radicand): equal cosines are equal angles, so their strings and
    enclosures are computed once (cells meeting at the same pair of hyperplanes repeat
    them)."""
    pos = {i: k for k, i in enumerate(order)}
    memo = {} if memo is None else memo
    out = []
    for (i, j), a in P.dihedral_angles().items():
        c = a.cos
        # keyed by the cosine's integers (equal keys, equal cosines): hashing a Surd hashes
        # a Fraction, a modular inverse each time
        key = (c.coeff.numerator, c.coeff.denominator, c.radicand)
        fields = memo.get(key)
        if fields is None:
            r = a.exact_pi_multiple()
            radians, degrees = _angle_enclosures(a, digits)
            fields = {
                "angle": angle_str(a),
                "cos": surd_str(a.cos),
                "pi_multiple": None if r is None else rational_str(r),
                "radians": radians,
                "degrees": degrees,
            }
            memo[key] = fields
        e = {"facets": sorted((pos[i], pos[j]))}
        e.update(fields)
        e["radians"], e["degrees"] = list(fields["radians"]), list(fields["degrees"])  # no shared lists
        out.append(e)
    out.sort(key=lambda e: e["facets"])
    return out


def _angle_enclosures(a: Angle, digits: int) -> tuple[list[str], list[str]]:
    """``enclosure_json`` of ``a.radians(digits)`` and ``a.degrees(digits)``, the same
    strings: for an angle that is not a rational multiple of π both are balls of the same
    ``acos`` of the cosine's ball (radians, and radians·180/π), so the ``acos`` is
    evaluated once, at the first precision :func:`~exactgeom.numbers.ball.enclose_ball`
    tries, and the strings are spelled from the balls in integers. Whatever that
    precision does not settle goes through the Angle's own methods."""
    c = a.cos
    if a.exact_pi_multiple() is not None or not isinstance(c, Surd):
        return enclosure_json(a.radians(digits), digits), enclosure_json(a.degrees(digits), digits)
    need = math.ceil(digits * math.log2(10)) + 8  # enclose_ball's target and first precision
    prec = max(64, need + 16)
    with working_precision(prec):
        rad = c.ball(prec).acos()
        deg = rad * 180 / arb.pi()

    def settled(b: Any) -> bool:
        return bool(b.is_finite() and (b.is_exact() or b.rel_accuracy_bits() >= need))

    return (
        _arb_enclosure_json(rad, digits) if settled(rad) else enclosure_json(a.radians(digits), digits),
        _arb_enclosure_json(deg, digits) if settled(deg) else enclosure_json(a.degrees(digits), digits),
    )


def _cells_section(partition: Partition, ctx: _Context) -> list[dict[str, Any]]:
    counts = ctx.data_counts(partition)
    out = []
    with progress_bar(partition.n_cells, "fixture: cells", ctx.progress, unit="cell") as bar:
        for c in partition.cells:
            out.append(_cell_entry(partition, c, ctx, counts))
            bar.update(1)
    return out


def _cell_entry(partition: Partition, c: Any, ctx: _Context, counts: dict[Hashable, int] | None) -> dict[str, Any]:
    P = c.polytope
    order = facet_order(P)
    entry: dict[str, Any] = {
        "index": c.index,
        "key": key_to_json(c.key),
        "hrep": _hrep_json(P, order),
    }
    hide = ctx.hide_vertices or vertex_free(P)
    if not hide:
        entry["vertices"] = matrix_str(P.vertices)
    if not hide and P.is_bounded and not P.is_empty:
        entry["volume"] = rational_str(P.volume())
        entry["centroid"] = vector_str(P.centroid())
        entry["facet_volumes"] = [surd_str(P.facet_volume(i)) for i in order]
        if "angles" in ctx.sections:
            entry["angles"] = _angles_json(P, order, ctx.digits, ctx.angle_memo)
    if partition.model is not None:
        lab = partition.label(c)
        if lab is not None:
            entry["label"] = key_to_json(lab)
        aff = partition.output_affine(c)
        if aff is not None:
            J, cc = aff
            entry["output_affine"] = {"J": matrix_str(J), "c": vector_str(cc)}
    if counts is not None:
        entry["n_data"] = counts.get(c.key, 0)
    return entry


def _faces_section(partition: Partition, ctx: _Context) -> list[dict[str, Any]]:
    out = []
    faces = partition.adjacency()
    with progress_bar(len(faces), "fixture: shared faces", ctx.progress, unit="face") as bar:
        for f in faces:
            hyperplane_only = ctx.hide_vertices or vertex_free(partition.cells[f.i].polytope)
            out.append(_face_entry(f, hyperplane_only))
            bar.update(1)
    return out


def _face_entry(f: Any, hyperplane_only: bool = False) -> dict[str, Any]:
    if hyperplane_only:  # a data-graph edge between H-first cells: no vertices, no volume
        return {"cells": [f.i, f.j], "normal": vector_str(f.normal), "offset": rational_str(f.offset)}
    vol: Surd = f.volume()
    return {
        "cells": [f.i, f.j],
        "normal": vector_str(f.normal),
        "offset": rational_str(f.offset),
        "vertices": matrix_str(f.face.vertices),
        "volume": surd_str(vol),
        "squared_volume": rational_str(vol.squared()),
        "area_vector": vector_str(f.area_vector()),
    }


def _summary_section(partition: Partition, ctx: _Context) -> dict[str, Any]:
    rep = partition.check(volumes=not ctx.hide_vertices and all(c.polytope.engine == "vertices" for c in partition.cells))
    return {
        "family": partition.family,
        "n_cells": partition.n_cells,
        "n_faces": len(partition.adjacency()),
        "volume_sum": None if rep.volume_sum is None else rational_str(rep.volume_sum),
        "domain_volume": None if rep.domain_volume is None else rational_str(rep.domain_volume),
        "check_ok": bool(rep.ok),
        "check_problems": list(rep.problems),
    }


def _complex_section(partition: Partition, ctx: _Context) -> dict[str, Any]:
    from .fixture_complex import complex_section

    return complex_section(partition, ctx.complex_options, ctx.digits, ctx.data, complex_=ctx.complex(partition),
                           progress=ctx.progress)


def _curvature_section(partition: Partition, ctx: _Context) -> dict[str, Any]:
    from .fixture_complex import curvature_section

    return curvature_section(partition, ctx.complex_options, ctx.digits, ctx.data, complex_=ctx.complex(partition),
                             progress=ctx.progress)


#: section name -> builder(partition, context) -> JSON value
SECTION_BUILDERS: dict[str, Callable[[Partition, _Context], Any]] = {
    "cells": _cells_section,
    "faces": _faces_section,
    "complex": _complex_section,
    "curvature": _curvature_section,
}


def available_sections() -> tuple[str, ...]:
    """The sections this installation can compute (``complex`` and ``curvature`` need
    the complex and analysis layers).

    >>> {"cells", "angles", "faces"} <= set(available_sections())
    True
    """
    from .fixture_complex import complex_available, curvature_available

    out = ["cells", "angles", "faces"]
    if complex_available():
        out.append("complex")
    if curvature_available():
        out.append("curvature")
    return tuple(out)


class _Context:
    def __init__(
        self,
        sections: tuple[str, ...],
        digits: int,
        complex_options: Mapping[str, Any],
        data: Sequence[Sequence[Fraction]] | None,
        progress: bool | None = None,
    ) -> None:
        self.sections = sections
        self.progress = progress
        self.digits = digits
        self.complex_options = dict(complex_options)
        self.data = data
        self._counts: dict[Hashable, int] | bool | None = False
        self._complex: Any = None
        #: ``fixture_dict(vertex_free=True)`` on cells whose vertices are known: store them as
        #: H-first cells (no vertices, volumes or face volumes)
        self.hide_vertices = False
        #: angle fields by cosine, shared by the cells of this document
        self.angle_memo: dict[Any, dict[str, Any]] = {}

    def complex(self, partition: Partition) -> Any:
        """The complex shared by the complex and curvature sections (built once)."""
        if self._complex is None:
            from .fixture_complex import _complex

            self._complex = _complex(partition, self.complex_options, self.data, self.progress)
        return self._complex

    def data_counts(self, partition: Partition) -> dict[Hashable, int] | None:
        if self._counts is False:
            self._counts = _count_data(partition, self.data)
        return self._counts  # type: ignore[return-value]


def _count_data(partition: Partition, data: Sequence[Sequence[Fraction]] | None) -> dict[Hashable, int] | None:
    """Data points per cell: by the model's key at the point when the partition has a
    model (for a ReLU network its ``cell_patterns``, which assign a point on a boundary
    to one realised cell), else by closed containment (a boundary point then counts in
    every cell holding it)."""
    if data is None:
        return None
    counts: dict[Hashable, int] = {}
    m = partition.model
    if m is not None:
        keys = {c.key for c in partition.cells}
        batch = getattr(m, "cell_patterns", None)
        found = list(batch(data)) if callable(batch) else [partition.key_at(x) for x in data]
        for k in found:
            if k in keys:
                counts[k] = counts.get(k, 0) + 1
    else:
        for x in data:
            for c in partition.locate(x):
                counts[c.key] = counts.get(c.key, 0) + 1
    return counts


# ---------------------------------------------------------------------------- documents


def _normalise_sections(sections: Any) -> tuple[str, ...]:
    avail = available_sections()
    if sections is None or sections == "auto":
        return avail
    if isinstance(sections, str):
        sections = [s.strip() for s in sections.split(",") if s.strip()]
    out = []
    for s in sections:
        if s not in ALL_SECTIONS:
            raise InvalidInputError(f"unknown fixture section {s!r}; choose from {', '.join(ALL_SECTIONS)}")
        if s not in avail:
            raise InvalidInputError(
                f"fixture section {s!r} needs a part of exactgeom this installation does not have "
                f"(available: {', '.join(avail)})"
            )
        out.append(s)
    if "angles" in out and "cells" not in out:
        out.append("cells")
    return tuple(s for s in ALL_SECTIONS if s in out)


def _resolve(source: Any, policy: Any, progress: Any) -> tuple[Partition, ModelSpec | None]:
    from .fixture_load import Fixture

    if isinstance(source, Partition):
        return source, spec_from_partition(source)
    if isinstance(source, Fixture):
        if source.model_spec is not None:
            return source.model_spec.build(progress=progress), source.model_spec
        return source.partition, None
    spec = source if isinstance(source, ModelSpec) else read_model(source, policy=policy)
    return spec.build(progress=progress), spec


def fixture_dict(
    source: Any,
    *,
    sections: Any = None,
    complex_options: Mapping[str, Any] | None = None,
    digits: int | None = None,
    name: str | None = None,
    description: str | None = None,
    policy: Any = None,
    progress: Any = None,
    partition: Partition | None = None,
    section_done: Callable[[dict[str, Any]], None] | None = None,
    failures: list[tuple[str, ExactGeomError]] | None = None,
    vertex_free: bool | None = None,
    notes: Sequence[str] | None = None,
) -> dict[str, Any]:
    """The fixture document (a JSON-ready dict) of a model or partition.

    Parameters
    ----------
    source
        A :class:`~exactgeom.Partition`, a :class:`ModelSpec`, a model file path or a
        model mapping (see :mod:`exactgeom.io.model_files`), or a loaded fixture.
    sections
        Which sections to compute: ``None``/``"auto"`` (every available one), or a list
        (or comma-separated string) out of ``cells, angles, faces, complex, curvature``.
    complex_options
        Options of the complex section (``convention``, ``measure``, ``metric``,
        ``laplacians``); see ``docs/fixtures.md``.
    digits
        Significant digits of the certified enclosures (default 20).
    name, description
        A name and a one-line description stored in the document.
    policy
        Float policy for reading a model with float parameters.
    progress : bool, optional
        Progress bars with totals (sections, cells, shared faces, the complex, Ricci
        edges); ``None`` (default): only on a terminal, after a second.
    partition
        An already built partition of ``source`` (skips building it again).
    section_done
        Called after each computed section with a complete document holding the
        sections finished so far (``"sections"`` lists exactly those): the CLI writes it,
        so an interrupted or failing later section does not lose the finished ones.
    failures
        When a list is given, a section that raises an exactgeom error is left out of
        the document and ``(section, error)`` appended to it; otherwise the error
        propagates.
    vertex_free
        ``True``: store the cells by their H-representation only, as for H-first cells
        (no vertices, volumes, centroids, angles or face volumes; default sections
        ``cells, faces``), even when their vertices are known; recorded as
        ``options.vertex_free`` (``exactgeom analyse`` uses it when the summed vertex
        count is above its budget). ``None`` (default): only H-first cells are stored so.
    notes
        Lines stored as the document's ``notes`` (``exactgeom analyse`` names its route
        there); ``exactgeom check`` does not compare them.

    Examples
    --------
    >>> from exactgeom import arrangement
    >>> d = fixture_dict(arrangement([], [], [(0, 1)]), sections="cells")
    >>> d["sections"], d["partition"]["n_cells"], d["cells"][0]["key"]
    (['cells'], 1, [])
    """
    from .fixture_load import Fixture

    if isinstance(source, Fixture):  # defaults: the loaded fixture's own settings
        sections = list(source.sections) if sections is None else sections
        complex_options = source.complex_options if complex_options is None else complex_options
        digits = source.digits if digits is None else digits
        name = source.name if name is None else name
        description = source.document.get("description") if description is None else description
    if policy is not None:  # refused at once even when no float needs it (a typo would pass unnoticed)
        FloatPolicy.parse(policy)
    for what, text in (("name", name), ("description", description)):
        if text is not None and not isinstance(text, str):
            raise InvalidInputError(f"{what} must be a string, got {type(text).__name__}")
    digits = DEFAULT_DIGITS if digits is None else digits
    if not isinstance(digits, int) or isinstance(digits, bool) or not 1 <= digits <= 1000:
        raise InvalidInputError(f"digits must be an integer in 1..1000, got {digits!r}")
    secs = _normalise_sections(sections)
    check_progress(progress)
    if partition is None:
        partition, spec = _resolve(source, policy, progress)
    else:
        spec = source if isinstance(source, ModelSpec) else spec_from_partition(partition)
    hide = vertex_free is True and not partition_vertex_free(partition)
    if (sections is None or sections == "auto") and (hide or partition_vertex_free(partition)):
        secs = tuple(s for s in VERTEX_FREE_SECTIONS if s in secs)
    copts = _complex_defaults(complex_options)
    data = spec.data if spec is not None else None
    ctx = _Context(secs, digits, copts, data, progress)
    ctx.hide_vertices = hide
    doc: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "sections": list(secs),
        "options": {"digits": digits},
        "model": None if spec is None else spec.to_json(),
        "domain": _domain_section(partition, ctx),
        "partition": _summary_section(partition, ctx),
    }
    if "complex" in secs or "curvature" in secs:
        doc["options"]["complex"] = copts
    if hide:
        doc["options"]["vertex_free"] = True
    if notes:
        doc["notes"] = [str(x) for x in notes]
    if name is not None:
        doc["name"] = name
    if description is not None:
        doc["description"] = description
    doc["provenance"] = _provenance(partition, spec)
    finished: list[str] = []
    todo = [s for s in secs if s in SECTION_BUILDERS]  # "angles" is part of "cells"
    with progress_bar(len(todo), "fixture sections", progress, unit="section") as bar:
        for s in todo:
            bar.set_postfix_str(s, refresh=False)
            part = [s, "angles"] if s == "cells" and "angles" in secs else [s]
            try:
                doc[s] = SECTION_BUILDERS[s](partition, ctx)
            except ExactGeomError as exc:
                if failures is None:
                    raise
                failures.append((s, exc))
                bar.update(1)
                continue
            bar.update(1)
            finished += part
            doc["sections"] = [x for x in secs if x in finished]
            if section_done is not None:
                section_done(doc)
    doc["sections"] = [x for x in secs if x in finished]
    return doc


def _complex_defaults(opts: Mapping[str, Any] | None) -> dict[str, Any]:
    from .fixture_complex import complex_defaults

    return complex_defaults(opts)


def _provenance(partition: Partition, spec: ModelSpec | None) -> dict[str, Any]:
    from .. import __version__

    prov = partition.provenance
    pol = spec.policy if spec is not None else prov.get("policy")
    return {
        "package": "exactgeom",
        "package_version": __version__,
        "family": partition.family,
        "mode": spec.mode if spec is not None else str(prov.get("mode", "full")),
        "float_policy": None if pol is None else str(pol),
        "conventions": dict(CONVENTIONS),
        "backend": "cddlib (GMP rationals) via pycddlib; python-flint for linear algebra and arb enclosures",
    }


def write_fixture(
    source: Any,
    path: str | Path,
    *,
    sections: Any = None,
    complex_options: Mapping[str, Any] | None = None,
    digits: int | None = None,
    name: str | None = None,
    description: str | None = None,
    policy: Any = None,
    progress: Any = None,
    partition: Partition | None = None,
) -> dict[str, Any]:
    """Write the fixture of ``source`` (see :func:`fixture_dict`) to ``path`` in canonical
    form and return the document. Writing the same model twice gives the same bytes.

    >>> import tempfile, os
    >>> from exactgeom import arrangement
    >>> p = os.path.join(tempfile.mkdtemp(), "f.json")
    >>> _ = write_fixture(arrangement([[1, 1]], [0], [(-1, 1), (-1, 1)]), p, sections="cells")
    >>> open(p).read().startswith('{\\n "cells"')
    True
    """
    doc = fixture_dict(
        source,
        sections=sections,
        complex_options=complex_options,
        digits=digits,
        name=name,
        description=description,
        policy=policy,
        progress=progress,
        partition=partition,
    )
    write_document(doc, path)
    return doc


def write_document(doc: Mapping[str, Any], path: str | Path) -> None:
    """Write a JSON document in canonical form (sorted keys, indent 1, ASCII, newline)."""
    write_atomic(path, canonical_json(doc), encoding="ascii")
