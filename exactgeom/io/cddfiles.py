"""cddlib's ``.ine`` (H-representation) and ``.ext`` (V-representation) files.

So that other tools (cddlib's ``scdd_gmp``, lrs, polymake, Sage) can re-check the cells of
a partition, every cell exports to cddlib's exact text format::

    * cell 3, key [1, -1]
    H-representation
    linearity 1 5            <- 1-based rows that are equalities (only when there are any)
    begin
     5 3 rational
     1 -1 0                  <- a row [b, -a] means b - a.x >= 0, i.e. a.x <= b
     ...
    end

and its vertices to ``.ext`` (rows ``[1, x]`` for points, ``[0, r]`` for rays; lines are
rays listed in the ``linearity`` line).  exactgeom's 0-based facet order is the row order,
so row ``k+1`` of the file is facet ``k``.  The readers accept any cddlib file with
number type ``rational`` or ``integer`` (``real`` entries are read as exact decimals),
skip comments (``*``) and anything after ``end``.

>>> from exactgeom import Polytope
>>> P = Polytope.box([(0, 1), (0, "1/2")])
>>> print(polytope_to_ine(P, name="box"))
* box
H-representation
begin
 4 3 rational
 0 1 0
 1 -1 0
 0 0 1
 1/2 0 -1
end
<BLANKLINE>
>>> ine_to_polytope(polytope_to_ine(P)) == P
True
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..errors import InvalidInputError
from ..numbers.rational import as_rational, format_rational
from ..partitions.partition import Partition
from ..polytope.polytope import Polytope
from .atomic import _UMASK, write_atomic
from .canonical import canonical_json, key_to_json, loads_json

__all__ = [
    "CddMatrix",
    "polytope_to_ine",
    "polytope_to_ext",
    "hrep_to_ine",
    "read_cdd",
    "ine_to_polytope",
    "ext_to_polytope",
    "write_ine",
    "write_ext",
    "export_partition",
]

Vec = tuple[Fraction, ...]


@dataclass(frozen=True)
class CddMatrix:
    """The content of a cddlib file: representation, rows (as in the file) and the
    0-based linearity rows."""

    representation: str  # "H" or "V"
    rows: tuple[Vec, ...]
    linearity: frozenset[int]
    number_type: str = "rational"

    @property
    def dim(self) -> int:
        """Number of variables (columns minus one)."""
        return len(self.rows[0]) - 1 if self.rows else 0


def _row(vals: Sequence[Fraction | int]) -> str:
    return " " + " ".join(format_rational(Fraction(v)) for v in vals)  # any size (str() stops at 4,300 digits)


def _text(rep: str, rows: Sequence[Sequence[Fraction | int]], lin: Sequence[int], ncols: int, name: str | None) -> str:
    out = []
    if name is not None:
        out += [f"* {line}" for line in str(name).splitlines() or [""]]
    out.append("H-representation" if rep == "H" else "V-representation")
    if lin:
        out.append(f"linearity {len(lin)} " + " ".join(str(k + 1) for k in sorted(lin)))
    out.append("begin")
    out.append(f" {len(rows)} {ncols} rational")
    out += [_row(r) for r in rows]
    out.append("end")
    return "\n".join(out) + "\n"


def hrep_to_ine(
    A: Sequence[Sequence[Any]], b: Sequence[Any], E: Sequence[Sequence[Any]] = (), f: Sequence[Any] = (),
    *, name: str | None = None, ambient_dim: int | None = None,
) -> str:
    """The ``.ine`` text of ``{x : A x <= b, E x = f}`` (exact rationals).

    >>> print(hrep_to_ine([[1]], [2], [[0]], [0]), end="")
    H-representation
    linearity 1 2
    begin
     2 2 rational
     2 -1
     0 0
    end
    """
    Aq = [[as_rational(x) for x in r] for r in A]
    Eq = [[as_rational(x) for x in r] for r in E]
    n = len(Aq[0]) if Aq else len(Eq[0]) if Eq else ambient_dim
    if n is None:
        raise InvalidInputError("an H-representation without rows needs ambient_dim")
    rows = [[as_rational(bi), *(-x for x in ai)] for ai, bi in zip(Aq, b)]
    rows += [[as_rational(fi), *(-x for x in ei)] for ei, fi in zip(Eq, f)]
    lin = list(range(len(Aq), len(rows)))
    return _text("H", rows, lin, n + 1, name)


def polytope_to_ine(P: Polytope, *, name: str | None = None) -> str:
    """The ``.ine`` text of a polytope's canonical H-representation (facets in
    exactgeom's order, then the equalities of its affine hull as linearity rows)."""
    A = [h.normal for h in P.facets]
    b = [h.offset for h in P.facets]
    E = [h.normal for h in P.equalities]
    f = [h.offset for h in P.equalities]
    return hrep_to_ine(A, b, E, f, name=name, ambient_dim=P.ambient_dim)


def polytope_to_ext(P: Polytope, *, name: str | None = None) -> str:
    """The ``.ext`` text of a polytope's generators: vertices (sorted), rays, lines.

    >>> from exactgeom import Polytope
    >>> print(polytope_to_ext(Polytope.from_vrep([[0], ["1/3"]])), end="")
    V-representation
    begin
     2 2 rational
     1 0
     1 1/3
    end
    """
    rows: list[list[Fraction]] = [[Fraction(1), *v] for v in P.vertices]
    rows += [[Fraction(0), *r] for r in P.rays]
    lin = list(range(len(rows), len(rows) + len(P.lines)))
    rows += [[Fraction(0), *r] for r in P.lines]
    return _text("V", rows, lin, P.ambient_dim + 1, name)


def _number(tok: str, where: str) -> Fraction:
    try:
        return as_rational(tok, name=where)
    except InvalidInputError:
        raise InvalidInputError(f"{where}: {tok!r} is not a rational number") from None


def read_cdd(source: str | Path) -> CddMatrix:
    """Parse a cddlib ``.ine`` / ``.ext`` file (a path, or the text itself when it
    contains a newline).

    Raises
    ------
    InvalidInputError
        Missing ``begin``/``end``, a bad size line, a wrong number of entries, a
        non-rational entry.

    Examples
    --------
    >>> m = read_cdd("V-representation\\nbegin\\n 1 3 rational\\n 1 1/2 0\\nend\\n")
    >>> m.representation, m.rows
    ('V', ((Fraction(1, 1), Fraction(1, 2), Fraction(0, 1)),))
    >>> read_cdd("begin\\n 1 3 rational\\n 1 2\\nend\\n")
    Traceback (most recent call last):
    ...
    exactgeom.errors.InvalidInputError: cdd text line 3: expected 3 entries, got 2
    """
    if isinstance(source, Path) or "\n" not in str(source):
        p = Path(source)
        if not p.exists():
            raise InvalidInputError(f"cdd file {str(p)!r} does not exist")
        text = p.read_text(encoding="utf-8", errors="replace")
        where = str(p)
    else:
        text = str(source)
        where = "cdd text"
    lines = text.splitlines()
    rep = "H"
    lin: set[int] = set()
    k = 0
    while k < len(lines) and lines[k].strip() != "begin":
        s = lines[k].strip()
        if s.startswith("V-representation"):
            rep = "V"
        elif s.startswith("H-representation"):
            rep = "H"
        elif s.startswith("linearity"):
            toks = s.split()[1:]
            try:
                cnt, idx = int(toks[0]), [int(t) - 1 for t in toks[1:]]
            except (IndexError, ValueError):
                raise InvalidInputError(f"{where} line {k + 1}: bad linearity line {s!r}") from None
            if cnt != len(idx):
                raise InvalidInputError(f"{where} line {k + 1}: linearity announces {cnt} rows but lists {len(idx)}")
            lin |= set(idx)
        k += 1
    if k == len(lines):
        raise InvalidInputError(f"{where}: no 'begin' line; not a cddlib .ine/.ext file")
    k += 1
    head = lines[k].split() if k < len(lines) else []
    if len(head) != 3:
        raise InvalidInputError(f"{where} line {k + 1}: expected 'm n numbertype' after begin")
    try:
        m, ncols = int(head[0]), int(head[1])
    except ValueError:
        raise InvalidInputError(f"{where} line {k + 1}: bad size line {lines[k]!r}") from None
    ntype = head[2]
    if ntype not in ("rational", "integer", "real"):
        raise InvalidInputError(f"{where} line {k + 1}: unknown number type {ntype!r}")
    rows = []
    for r in range(m):
        k += 1
        toks = lines[k].split() if k < len(lines) else []
        if toks == ["end"] or k >= len(lines):
            raise InvalidInputError(f"{where}: {m} rows announced, {r} found")
        if len(toks) != ncols:
            raise InvalidInputError(f"{where} line {k + 1}: expected {ncols} entries, got {len(toks)}")
        rows.append(tuple(_number(t, f"{where} line {k + 1}") for t in toks))
    k += 1
    if k >= len(lines) or lines[k].strip() != "end":
        raise InvalidInputError(f"{where} line {k + 1}: expected 'end' after {m} rows")
    bad = [i for i in lin if not 0 <= i < m]
    if bad:
        raise InvalidInputError(f"{where}: linearity row {bad[0] + 1} is out of range 1..{m}")
    return CddMatrix(rep, tuple(rows), frozenset(lin), ntype)


def ine_to_polytope(source: str | Path) -> Polytope:
    """The polytope of an ``.ine`` file (through exactgeom's cddlib backend)."""
    m = read_cdd(source)
    if m.representation != "H":
        raise InvalidInputError("expected an H-representation (.ine), got a V-representation")
    A, b, E, f = [], [], [], []
    for i, r in enumerate(m.rows):
        if i in m.linearity:
            E.append([-x for x in r[1:]])
            f.append(r[0])
        else:
            A.append([-x for x in r[1:]])
            b.append(r[0])
    return Polytope.from_hrep(A, b, (E, f) if E else None, ambient_dim=m.dim)


def ext_to_polytope(source: str | Path) -> Polytope:
    """The polytope of a ``.ext`` file holding points only (a bounded polytope)."""
    m = read_cdd(source)
    if m.representation != "V":
        raise InvalidInputError("expected a V-representation (.ext), got an H-representation")
    if any(r[0] != 1 for r in m.rows) or m.linearity:
        raise InvalidInputError(".ext file has rays or lines; only bounded polytopes (points) are read")
    return Polytope.from_vrep([r[1:] for r in m.rows])


def _write(text: str, path: str | Path) -> Path:
    return write_atomic(path, text, encoding="ascii")


def write_ine(P: Polytope, path: str | Path, *, name: str | None = None) -> Path:
    """Write ``P``'s H-representation as a cddlib ``.ine`` file."""
    return _write(polytope_to_ine(P, name=name), path)


def write_ext(P: Polytope, path: str | Path, *, name: str | None = None) -> Path:
    """Write ``P``'s V-representation as a cddlib ``.ext`` file."""
    return _write(polytope_to_ext(P, name=name), path)


#: ``index.json`` of an export says ``"format": EXPORT_FORMAT`` and lists its files
EXPORT_FORMAT = "exactgeom-cdd-export"
INDEX_NAME = "index.json"


def _earlier_export(d: Path) -> list[str] | None:
    """The files of an earlier export that ``d`` holds and nothing else (``None`` when
    ``d`` holds anything that is not listed in its ``index.json``)."""
    try:
        idx = loads_json((d / INDEX_NAME).read_text(encoding="utf-8"), "index.json")
    except (OSError, InvalidInputError, UnicodeDecodeError):
        return None
    if not isinstance(idx, dict):
        return None
    if idx.get("format") == EXPORT_FORMAT and isinstance(idx.get("files"), list):
        files = [str(f) for f in idx["files"]]
    elif isinstance(idx.get("cells"), list) and isinstance(idx.get("domain"), dict):  # before "files"
        try:
            files = [str(v) for v in idx["domain"].values()]
            files += [str(c[k]) for c in idx["cells"] for k in ("ine", "ext")]
        except (TypeError, KeyError):
            return None
    else:
        return None
    listed = set(files) | {INDEX_NAME}
    present = {q.name for q in d.iterdir()}
    return sorted(present) if present <= listed else None


def export_partition(partition: Partition, directory: str | Path, *, force: bool = False) -> list[Path]:
    """Write ``domain.ine/.ext`` and ``cell_<i>.ine/.ext`` for every cell (i zero-padded,
    0-based) plus ``index.json`` mapping each cell index to its key and files.

    The export replaces the folder as a whole: it is written into a temporary folder
    beside ``directory`` and moved into place, so an earlier export in ``directory`` is
    replaced entirely (no old cell files stay beside new ones) and an interrupted export
    leaves the earlier one intact. A non-empty folder that is not an earlier export
    (its ``index.json`` lists every file in it) is refused unless ``force=True``; then
    the new files are written into it and files of other origin are left alone.

    >>> import tempfile
    >>> from exactgeom import arrangement
    >>> paths = export_partition(arrangement([[1, 0]], [0], [(-1, 1), (-1, 1)]), tempfile.mkdtemp())
    >>> sorted(p.name for p in paths)
    ['cell_0.ext', 'cell_0.ine', 'cell_1.ext', 'cell_1.ine', 'domain.ext', 'domain.ine', 'index.json']
    """
    d = Path(directory)
    if d.exists() and not d.is_dir():
        raise InvalidInputError(f"cannot create directory {str(d)!r}: a file of that name exists")
    state = "missing"
    if d.is_dir():
        try:
            empty = not any(d.iterdir())
        except OSError as exc:
            raise InvalidInputError(f"cannot read directory {str(d)!r}: {exc.strerror or exc}") from None
        state = "empty" if empty else ("ours" if _earlier_export(d) is not None else "foreign")
    if state == "foreign" and not force:
        raise InvalidInputError(
            f"folder {str(d)!r} is not empty and holds no earlier export of exactgeom (an index.json "
            "listing every file in it); choose a new or empty folder, or pass force=True (--force) "
            "to write into it anyway"
        )
    parent = d.absolute().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{d.name}.{os.getpid()}.", suffix=".tmp", dir=parent))
    except OSError as exc:
        raise InvalidInputError(f"cannot create directory {str(d)!r}: {exc.strerror or exc}") from None
    try:
        names = _export_into(partition, tmp)
        os.chmod(tmp, 0o777 & ~_UMASK)
        if state == "foreign":  # --force: our files only, the index last
            for name in sorted(names, key=lambda x: x == INDEX_NAME):
                os.replace(tmp / name, d / name)
        else:
            old = None
            if state == "ours":
                old = parent / f".{d.name}.{os.getpid()}.old"
                os.rename(d, old)
            elif state == "empty":
                os.rmdir(d)
            os.rename(tmp, d)
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        raise InvalidInputError(f"cannot write the export into {str(d)!r}: {exc.strerror or exc}") from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return [d / n for n in names]


def _export_into(partition: Partition, d: Path) -> list[str]:
    width = len(str(max(partition.n_cells - 1, 0)))
    paths = [
        write_ine(partition.domain, d / "domain.ine", name="domain"),
        write_ext(partition.domain, d / "domain.ext", name="domain"),
    ]
    index = []
    for c in partition.cells:
        stem = f"cell_{c.index:0{width}d}"
        label = f"cell {c.index}, key {key_to_json(c.key)}"
        paths.append(write_ine(c.polytope, d / f"{stem}.ine", name=label))
        paths.append(write_ext(c.polytope, d / f"{stem}.ext", name=label))
        index.append({"index": c.index, "key": key_to_json(c.key), "ine": f"{stem}.ine", "ext": f"{stem}.ext"})
    doc = {"format": EXPORT_FORMAT, "family": partition.family, "n_cells": partition.n_cells, "cells": index,
           "domain": {"ine": "domain.ine", "ext": "domain.ext"}, "files": [p.name for p in paths]}
    paths.append(_write(canonical_json(doc), d / INDEX_NAME))
    return [p.name for p in paths]
