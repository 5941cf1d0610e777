"""Reading fixtures back as exact objects, validating them, and checking them.

* :func:`load_fixture` validates a fixture against the shipped JSON Schema, parses every
  canonical number string strictly and returns a :class:`Fixture` holding exact
  objects: the model (:class:`~exactgeom.io.model_files.ModelSpec`), the domain and
  cells as :class:`~exactgeom.Polytope`, volumes as Fractions, facet and face volumes as
  :class:`~exactgeom.Surd`, dihedral angles as :class:`~exactgeom.Angle` with their
  :class:`~exactgeom.Enclosure`.
* :func:`check_fixture` recomputes the whole document from the stored model (or, for a
  fixture without a model, from the stored cells) and lists every difference.

>>> import tempfile, os
>>> from exactgeom import arrangement
>>> from exactgeom.io.fixtures import write_fixture
>>> p = os.path.join(tempfile.mkdtemp(), "f.json")
>>> _ = write_fixture(arrangement([[1, 0]], ["1/3"], [(0, 1), (0, 1)]), p)
>>> fx = load_fixture(p)
>>> [c.volume for c in fx.cells], fx.faces[0].volume
([Fraction(1, 3), Fraction(2, 3)], Surd('1'))
>>> check_fixture(p).ok
True
"""

from __future__ import annotations

import json
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import ExactGeomError, InvalidInputError
from ..numbers.angle import Angle
from ..numbers.ball import Enclosure
from ..numbers.rational import unlimited_int_str_digits
from ..numbers.surd import Surd
from ..partitions.partition import Partition
from ..polytope.polytope import Polytope
from .canonical import (
    key_from_json,
    loads_json,
    parse_angle,
    parse_enclosure,
    parse_matrix,
    parse_rational,
    parse_surd,
    parse_vector,
)
from .model_files import ModelSpec, read_model

__all__ = [
    "Fixture",
    "FixtureCell",
    "FixtureFace",
    "Difference",
    "FixtureCheck",
    "load_fixture",
    "read_document",
    "validate_document",
    "check_fixture",
    "schema",
]

SCHEMA_PATH = Path(__file__).with_name("schema.json")
Vec = tuple[Fraction, ...]


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    """The fixture JSON Schema (draft 2020-12) shipped with the package."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def validate_document(doc: Any) -> list[str]:
    """Schema violations of a fixture document, as ``"<json path>: <message>"`` lines
    (empty when valid).

    >>> validate_document({"format": "exactgeom-fixture"})[:1]
    ["$: 'domain' is a required property"]
    """
    fast = _compiled_validator()
    if fast is not None:
        try:
            if fast.is_valid(doc):
                return []
        except Exception:  # a value the compiled validator cannot convert: the reference decides
            pass
    v = _validator()  # the reference validator lists every violation with its path
    out = []
    for e in sorted(v.iter_errors(doc), key=lambda e: (list(map(str, e.absolute_path)), e.message)):
        out.append(f"{_path(e.absolute_path)}: {e.message}")
    return out


@lru_cache(maxsize=1)
def _compiled_validator() -> Any:
    """The schema compiled once by ``jsonschema_rs`` (a Rust validator, ~1000x faster on
    a fixture of a few hundred kB than the pure-Python one), or None when that package
    is not installed.  It only answers "valid or not": a document it rejects is
    validated again by :func:`_validator`, whose messages and paths are reported, so
    the result never depends on which validator ran."""
    try:
        import jsonschema_rs
    except ImportError:  # optional speed-up: the reference validator alone is correct
        return None
    try:
        return jsonschema_rs.validator_for(schema())
    except Exception:  # an unsupported construct: fall back to the reference validator
        return None


@lru_cache(maxsize=1)
def _validator() -> Any:
    """One validator (and its reference registry) for the whole process."""
    import jsonschema

    return jsonschema.Draft202012Validator(schema())


def _path(parts: Any) -> str:
    s = "$"
    for p in parts:
        s += f"[{p}]" if isinstance(p, int) else f".{p}"
    return s


def read_document(path: str | Path) -> dict[str, Any]:
    """Read a fixture's JSON text (no validation)."""
    if not isinstance(path, (str, Path)):
        raise InvalidInputError(f"a fixture is read from a file path (str or Path), not {type(path).__name__}")
    p = Path(path)
    try:
        p.exists()
    except (OSError, ValueError) as exc:  # a name too long, a NUL byte
        raise InvalidInputError(f"{_short(str(path))} is not a usable fixture path ({exc})") from None
    if not p.exists():
        raise InvalidInputError(f"fixture file {str(p)!r} does not exist")
    if p.is_dir():
        raise InvalidInputError(f"fixture file {str(p)!r} is a directory")
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInputError(f"cannot read fixture {str(p)!r}: {exc}") from None
    doc = loads_json(text, f"fixture {str(p)!r}")
    if not isinstance(doc, dict):
        raise InvalidInputError(f"fixture {str(p)!r} is not a JSON object")
    return doc


# ---------------------------------------------------------------------------- exact objects


@dataclass(frozen=True, eq=False)
class FixtureCell:
    """One stored cell, as exact objects."""

    index: int
    key: Hashable
    polytope: Polytope
    vertices: tuple[Vec, ...]
    volume: Fraction | None
    centroid: Vec | None
    facet_volumes: tuple[Surd, ...]
    angles: Mapping[tuple[int, int], Angle]
    angle_radians: Mapping[tuple[int, int], Enclosure]
    angle_degrees: Mapping[tuple[int, int], Enclosure]
    label: Hashable | None = None
    output_affine: tuple[tuple[Vec, ...], Vec] | None = None
    n_data: int | None = None


@dataclass(frozen=True, eq=False)
class FixtureFace:
    """One stored shared face ``normal·x = offset`` between cells ``i < j``."""

    i: int
    j: int
    normal: Vec
    offset: Fraction
    polytope: Polytope
    vertices: tuple[Vec, ...]
    volume: Surd | None
    area_vector: Vec


@dataclass(frozen=True, eq=False)
class Fixture:
    """A loaded fixture: the document and the exact objects it describes.

    Attributes
    ----------
    document : dict
        The JSON document as read.
    model_spec : ModelSpec or None
        The stored model (``None`` for a fixture of cells only).
    domain : Polytope
    cells, faces : tuples of :class:`FixtureCell` / :class:`FixtureFace`
    partition : Partition
        The partition rebuilt from the stored cells' H-representations (keys kept;
        no model evaluator attached — rebuild with ``model_spec.build()``).
    complex, curvature : mapping or None
        The decoded complex and curvature sections (see
        :func:`~exactgeom.io.fixture_complex.decode_complex` and
        :func:`~exactgeom.io.fixture_complex.decode_curvature`).
    """

    document: dict[str, Any]
    model_spec: ModelSpec | None
    domain: Polytope
    cells: tuple[FixtureCell, ...]
    faces: tuple[FixtureFace, ...]
    partition: Partition
    name: str | None = None
    sections: tuple[str, ...] = field(default=())
    complex: Mapping[str, Any] | None = None
    curvature: Mapping[str, Any] | None = None

    @property
    def digits(self) -> int:
        return int(self.document.get("options", {}).get("digits", 20))

    @property
    def complex_options(self) -> dict[str, Any] | None:
        return self.document.get("options", {}).get("complex")

    @property
    def provenance(self) -> dict[str, Any]:
        return dict(self.document.get("provenance", {}))


def _polytope(h: Mapping[str, Any], n: int, where: str, build: bool = True) -> Polytope | None:
    """The polytope of a stored H-representation (``build=False``: only parse it)."""
    A = parse_matrix(h["A"], where=f"{where}.A")
    b = parse_vector(h["b"], where=f"{where}.b")
    eq = None
    if "E" in h:
        eq = (parse_matrix(h["E"], where=f"{where}.E"), parse_vector(h["f"], where=f"{where}.f"))
    if len(A) != len(b):
        raise InvalidInputError(f"{where}: A has {len(A)} rows, b has {len(b)}")
    return Polytope.from_hrep(A, b, eq, ambient_dim=n) if build else None


def _cell(c: Mapping[str, Any], n: int, where: str, build: bool = True) -> FixtureCell:
    P = _polytope(c["hrep"], n, f"{where}.hrep", build)
    angles, rad, deg = {}, {}, {}
    for k, a in enumerate(c.get("angles", [])):
        w = f"{where}.angles[{k}]"
        ij = (int(a["facets"][0]), int(a["facets"][1]))
        ang = parse_angle(a["angle"], where=f"{w}.angle")
        parse_surd(a["cos"], where=f"{w}.cos")  # consistency is checked by check_fixture
        angles[ij] = ang
        rad[ij] = parse_enclosure(a["radians"], where=f"{w}.radians")
        deg[ij] = parse_enclosure(a["degrees"], where=f"{w}.degrees")
    aff = None
    if "output_affine" in c:
        aff = (
            parse_matrix(c["output_affine"]["J"], where=f"{where}.output_affine.J"),
            parse_vector(c["output_affine"]["c"], where=f"{where}.output_affine.c"),
        )
    return FixtureCell(
        index=int(c["index"]),
        key=key_from_json(c["key"]),
        polytope=P,  # type: ignore[arg-type]  # None only in a parse-only load
        vertices=parse_matrix(c["vertices"], where=f"{where}.vertices") if "vertices" in c else (),
        volume=parse_rational(c["volume"], where=f"{where}.volume") if "volume" in c else None,
        centroid=parse_vector(c["centroid"], where=f"{where}.centroid") if "centroid" in c else None,
        facet_volumes=tuple(parse_surd(s, where=f"{where}.facet_volumes") for s in c.get("facet_volumes", [])),
        angles=angles,
        angle_radians=rad,
        angle_degrees=deg,
        label=key_from_json(c["label"]) if "label" in c else None,
        output_affine=aff,
        n_data=c.get("n_data"),
    )


def _face(f: Mapping[str, Any], cells: tuple[FixtureCell, ...], where: str, build: bool = True) -> FixtureFace:
    i, j = int(f["cells"][0]), int(f["cells"][1])
    if not (0 <= i < j < len(cells)):
        raise InvalidInputError(f"{where}.cells {f['cells']!r} are not two cell indices i < j")
    normal = parse_vector(f["normal"], where=f"{where}.normal")
    offset = parse_rational(f["offset"], where=f"{where}.offset")
    verts = parse_matrix(f["vertices"], where=f"{where}.vertices") if "vertices" in f else ()
    vol = parse_surd(f["volume"], where=f"{where}.volume") if "volume" in f else None  # a data-graph edge: none
    if "squared_volume" in f:
        parse_rational(f["squared_volume"], where=f"{where}.squared_volume")
    return FixtureFace(
        i=i,
        j=j,
        normal=normal,
        offset=offset,
        polytope=cells[i].polytope.intersect(cells[j].polytope) if build else None,  # type: ignore[arg-type]
        vertices=verts,
        volume=vol,
        area_vector=parse_vector(f["area_vector"], where=f"{where}.area_vector") if "area_vector" in f else (),
    )


def load_fixture(path: str | Path | Mapping[str, Any]) -> Fixture:
    """Load a fixture file (or document) into exact objects.

    Raises
    ------
    InvalidInputError
        The file is missing or not JSON, violates the schema (the first violations are
        named), or holds a non-canonical number string.
    """
    doc = dict(path) if isinstance(path, Mapping) else read_document(path)
    fx = _load(doc, validate_document(doc))
    assert fx is not None  # a building load returns the fixture
    return fx


def _load(doc: dict[str, Any], errs: list[str], *, build: bool = True) -> Fixture | None:
    """:func:`load_fixture` of a document already validated (``errs``: its schema
    violations).  ``build=False`` only parses every stored number strictly (raising as
    a load would) without building polytopes and faces, and returns None: what
    :func:`check_fixture` needs when the stored model is recomputed anyway."""
    if errs:
        more = f" (and {len(errs) - 3} more)" if len(errs) > 3 else ""
        raise InvalidInputError("not a valid exactgeom fixture: " + "; ".join(errs[:3]) + more)
    n = int(doc["domain"]["ambient_dim"])
    spec = None if doc["model"] is None else read_model(doc["model"])
    D = _polytope(doc["domain"]["hrep"], n, "$.domain.hrep", build)
    cells = tuple(_cell(c, n, f"$.cells[{k}]", build) for k, c in enumerate(doc.get("cells", [])))
    for k, c in enumerate(cells):
        if c.index != k:
            raise InvalidInputError(f"$.cells[{k}].index is {c.index}; cells must be listed by index")
    faces = tuple(_face(f, cells, f"$.faces[{k}]", build) for k, f in enumerate(doc.get("faces", [])))
    if not build:
        if "complex" in doc or "curvature" in doc:
            from .fixture_complex import decode_complex, decode_curvature

            if "complex" in doc:
                decode_complex(doc["complex"])
            if "curvature" in doc:
                decode_curvature(doc["curvature"])
        return None
    assert D is not None
    part = Partition(
        D,
        [(c.key, c.polytope) for c in cells],
        family=doc["partition"]["family"],
        provenance={"family": doc["partition"]["family"], "policy": doc["provenance"].get("float_policy"),
                    "source": "fixture"},
    )
    cx = cv = None
    if "complex" in doc or "curvature" in doc:
        from .fixture_complex import decode_complex, decode_curvature

        cx = decode_complex(doc["complex"]) if "complex" in doc else None
        cv = decode_curvature(doc["curvature"]) if "curvature" in doc else None
    return Fixture(doc, spec, D, cells, faces, part, doc.get("name"), tuple(doc.get("sections", ())), cx, cv)


# ---------------------------------------------------------------------------- checking


@dataclass(frozen=True)
class Difference:
    """One difference between a stored value and its recomputation (JSON path)."""

    path: str
    stored: Any
    recomputed: Any

    def __str__(self) -> str:
        return f"{self.path}: stored {_short(self.stored)}, recomputed {_short(self.recomputed)}"


def _short(x: Any, limit: int = 120) -> str:
    with unlimited_int_str_digits():
        s = json.dumps(x, sort_keys=True) if not isinstance(x, _Missing) else "(missing)"
    return s if len(s) <= limit else s[: limit - 3] + "..."


class _Missing:
    def __repr__(self) -> str:
        return "(missing)"


MISSING = _Missing()


@dataclass(frozen=True)
class FixtureCheck:
    """Result of :func:`check_fixture`: ``ok`` iff no problems and no differences."""

    path: str
    problems: tuple[str, ...]
    differences: tuple[Difference, ...]
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems and not self.differences

    def __bool__(self) -> bool:
        return self.ok

    def report(self, limit: int | None = 50) -> str:
        """A readable listing of every problem and difference (``limit`` lines at most)."""
        if self.ok:
            return f"{self.path}: OK" + "".join(f"\n  note: {n}" for n in self.notes)
        lines = [f"{self.path}: {len(self.problems)} problem(s), {len(self.differences)} difference(s)"]
        items = [f"  problem: {p}" for p in self.problems] + [f"  {d}" for d in self.differences]
        if limit is not None and len(items) > limit:
            items = items[:limit] + [f"  ... and {len(items) - limit} more"]
        return "\n".join(lines + items + [f"  note: {n}" for n in self.notes])


#: Paths whose differences are notes, not failures (they change between releases).
IGNORED = ("$.provenance.package_version", "$.provenance.backend", "$.notes")


def _diff(a: Any, b: Any, path: str, out: list[Difference]) -> None:
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            _diff(a.get(k, MISSING), b.get(k, MISSING), f"{path}.{k}", out)
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            _diff(x, y, f"{path}[{i}]", out)
    elif isinstance(a, list) and isinstance(b, list):
        out.append(Difference(f"{path} (length)", len(a), len(b)))
        for i, (x, y) in enumerate(zip(a, b)):
            _diff(x, y, f"{path}[{i}]", out)
    elif type(a) is not type(b) or a != b:
        out.append(Difference(path, a, b))


def _same(a: Any, b: Any) -> bool:
    """Whether :func:`_diff` would find no difference: the same types everywhere (so
    ``True`` is not ``1``) and equal values. A list without nested containers is
    compared in C: its element types position by position (unless it holds only
    strings and nulls, which equal only values of their own type), then its values."""
    t = type(a)
    if t is not type(b):
        return False
    if t is dict:
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if t is list:
        if len(a) != len(b):
            return False
        types = set(map(type, a))
        if types <= _PLAIN:
            return bool(a == b)
        if types.isdisjoint(_CONTAINERS):
            return list(map(type, a)) == list(map(type, b)) and bool(a == b)
        return all(map(_same, a, b))
    return bool(a == b)


_PLAIN = frozenset({str, type(None)})
_CONTAINERS = frozenset({dict, list})


def diff_documents(stored: Any, recomputed: Any) -> tuple[list[Difference], list[str]]:
    """Differences between two fixture documents, and notes for ignored paths."""
    if _same(stored, recomputed):  # the common case, without building a path per node
        return [], []
    diffs: list[Difference] = []
    _diff(stored, recomputed, "$", diffs)
    notes = [str(d) for d in diffs if d.path in IGNORED]
    return [d for d in diffs if d.path not in IGNORED], notes


def check_fixture(path: str | Path, *, progress: Any = None) -> FixtureCheck:
    """Recompute a fixture and list every difference from the stored values.

    The stored model is rebuilt (``exactgeom.io.model_files``) and the whole document
    recomputed with the stored sections and options; a fixture without a model is
    recomputed from its stored cells.  Schema violations and strings that do not parse
    as canonical numbers are reported as problems, and the comparison still runs, so
    every difference is listed.  Differences in the package version are notes, not
    failures.

    Parameters
    ----------
    path
        The fixture file.
    progress : bool, optional
        Progress bars with totals while recomputing (as in
        :func:`~exactgeom.io.fixtures.fixture_dict`); ``None`` (default): only on a
        terminal, after a second.

    Raises
    ------
    InvalidInputError
        The file is missing or is not JSON, or ``progress`` is not True, False or None.
    """
    from ..partitions._progress import check_progress
    from .fixtures import fixture_dict

    check_progress(progress)

    doc = read_document(path)
    where = str(path)
    problems = [f"schema: {e}" for e in validate_document(doc)]
    has_model = isinstance(doc.get("model"), dict)
    fx: Fixture | None = None
    if not problems and not has_model:  # validated just above: once, not twice
        try:
            fx = _load(doc, [])  # the stored cells are what is recomputed
        except ExactGeomError as exc:
            problems.append(f"cannot read the stored values: {exc}")
    options = doc.get("options") if isinstance(doc.get("options"), dict) else {}
    try:
        if has_model:
            source: Any = read_model(doc["model"])
        elif fx is not None:
            source = fx.partition
        else:
            return FixtureCheck(where, tuple(problems) or ("no model and unreadable cells: nothing to recompute",), ())
        sections = doc.get("sections")
        re_doc = fixture_dict(
            source,
            sections=list(sections) if isinstance(sections, list) else None,
            complex_options=options.get("complex"),
            digits=options.get("digits") if isinstance(options.get("digits"), int) else None,
            name=doc.get("name") if isinstance(doc.get("name"), str) else None,
            description=doc.get("description") if isinstance(doc.get("description"), str) else None,
            progress=progress,
            vertex_free=True if options.get("vertex_free") is True else None,
        )
    except ExactGeomError as exc:
        if has_model and not problems:
            problems += _unreadable(doc)
        return FixtureCheck(where, tuple(problems) + (f"cannot recompute the fixture: {exc}",), ())
    if isinstance(doc.get("notes"), list):  # how the document was produced: kept, not recomputed
        re_doc["notes"] = doc["notes"]
    unchecked: list[str] = []
    if doc.get("model") is None and isinstance(doc.get("partition"), dict):
        # without a model, the family, provenance and model outputs cannot be recomputed
        re_doc["partition"]["family"] = doc["partition"].get("family")
        re_doc["provenance"] = doc.get("provenance")
        for mine, theirs in zip(doc.get("cells", []), re_doc.get("cells", [])):
            for k in _MODEL_FIELDS:
                if isinstance(mine, dict) and k in mine:
                    theirs[k] = mine[k]
                    if k not in unchecked:
                        unchecked.append(k)
    diffs, notes = diff_documents(doc, re_doc)
    if has_model and diffs and not problems:
        # a stored string equal to its recomputation is canonical and parses; only a
        # fixture that differs can hold strings that do not, and those are named
        problems += _unreadable(doc)
    if unchecked:
        notes.append(f"no model: the cells' {', '.join(unchecked)} were not checked")
    return FixtureCheck(where, tuple(problems), tuple(diffs), tuple(notes))


def _unreadable(doc: dict[str, Any]) -> list[str]:
    """The problem of a schema-valid document whose stored numbers do not all parse."""
    try:
        _load(doc, [], build=False)
    except ExactGeomError as exc:
        return [f"cannot read the stored values: {exc}"]
    return []


#: Cell fields that only the model can recompute.
_MODEL_FIELDS = ("label", "output_affine", "n_data")
