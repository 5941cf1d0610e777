"""The shipped corpus of named fixtures (``exactgeom/data/fixtures/<name>.json``).

Small models whose exact geometry other implementations can be tested against: a cube
(one cell, and split by an oblique plane), a simplex domain, two crossing lines, a
decision tree, a Voronoi partition, an argmax classifier, a refinement, tiny ReLU
networks (2-D and 3-D), and degenerate cases (duplicate hyperplanes, hyperplanes through
a corner of the domain, dead and duplicate ReLU units).

Regenerate the shipped files (only on purpose: they are golden files)::

    python -m exactgeom.io.corpus            # rewrite exactgeom/data/fixtures/
    python -m exactgeom.io.corpus --check    # exit 1 if any regenerated file differs
    python -m exactgeom.io.corpus -o DIR     # write elsewhere

>>> "crossing_lines" in CORPUS, corpus_model("cube").family
(True, 'arrangement')
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import ExactGeomError, InvalidInputError
from .atomic import write_atomic
from .canonical import canonical_json
from .fixtures import fixture_dict
from .model_files import ModelSpec, read_model

__all__ = ["CORPUS", "FIXTURE_DIR", "corpus_names", "corpus_model", "fixture_path", "corpus_text", "write_corpus", "main"]

FIXTURE_DIR = Path(__file__).resolve().parent.parent / "data" / "fixtures"

_SQUARE = [["-1", "1"], ["-1", "1"]]
_UNIT_CUBE = [["0", "1"]] * 3

#: name -> (description, model mapping in the model-file format)
CORPUS: dict[str, tuple[str, dict[str, Any]]] = {
    "cube": (
        "the unit cube [0,1]^3 as a one-cell partition (no hyperplane): volume 1, 6 unit facets, "
        "12 right dihedral angles",
        {"family": "arrangement", "normals": [], "offsets": [], "domain": _UNIT_CUBE},
    ),
    "split_cube": (
        "the unit cube cut by the plane x+y+z = 3/2: two congruent cells of volume 1/2 sharing a "
        "regular hexagon of area 3/4*sqrt(3)",
        {"family": "arrangement", "normals": [["1", "1", "1"]], "offsets": ["3/2"], "domain": _UNIT_CUBE},
    ),
    "simplex": (
        "the standard 3-simplex as a polytope domain, cut by the plane x = y through one of its edges",
        {
            "family": "arrangement",
            "normals": [["1", "-1", "0"]],
            "offsets": ["0"],
            "domain": {"A": [["-1", "0", "0"], ["0", "-1", "0"], ["0", "0", "-1"], ["1", "1", "1"]],
                       "b": ["0", "0", "0", "1"]},
        },
    ),
    "crossing_lines": (
        "two lines crossing at the centre of [-1,1]^2: four unit squares",
        {"family": "arrangement", "normals": [["1", "0"], ["0", "1"]], "offsets": ["0", "0"], "domain": _SQUARE},
    ),
    "decision_tree": (
        "a depth-3 decision tree on [-1,1]^2 with axis-aligned splits and one oblique split; leaf classes",
        {
            "family": "tree",
            "tree": {
                "feature": 0, "threshold": "-1/3",
                "left": {"leaf": 0, "class": 0},
                "right": {
                    "feature": 1, "threshold": "1/4",
                    "left": {"weights": ["1", "2"], "threshold": "1/2",
                             "left": {"leaf": 1, "class": 1}, "right": {"leaf": 2, "class": 0}},
                    "right": {"leaf": 3, "class": 1},
                },
            },
            "domain": _SQUARE,
        },
    ),
    "voronoi": (
        "nearest-centroid (Voronoi) cells of five sites in [-1,1]^2",
        {"family": "voronoi",
         "sites": [["0", "0"], ["2/3", "1/3"], ["-1/2", "1/2"], ["-1/3", "-2/3"], ["1/2", "-3/4"]],
         "domain": _SQUARE},
    ),
    "argmax": (
        "a 3-class linear classifier argmax_j (w_j.x + c_j) on [-1,1]^2",
        {"family": "argmax", "W": [["1", "0"], ["-1", "1"], ["0", "-1"]], "c": ["0", "1/4", "-1/5"],
         "domain": _SQUARE, "class_labels": ["a", "b", "c"]},
    ),
    "refine": (
        "the common refinement of a line and a 2-site Voronoi partition (an ensemble)",
        {"family": "refine",
         "members": [{"family": "arrangement", "normals": [["1", "2"]], "offsets": ["1/3"]},
                     {"family": "voronoi", "sites": [["-1/2", "0"], ["1/2", "1/4"]]}],
         "domain": _SQUARE},
    ),
    "relu_tiny": (
        "a 2-3-2-1 ReLU network with small rational weights on [-1,1]^2",
        {"family": "relu",
         "weights": [[["1", "1/2"], ["-1/2", "1"], ["1", "-1"]],
                     [["1", "-1", "1/2"], ["-1", "1/2", "1"]],
                     [["1", "-1"]]],
         "biases": [["1/4", "0", "-1/3"], ["0", "1/5"], ["0"]],
         "domain": _SQUARE},
    ),
    "relu_3d": (
        "a 3-3-1 ReLU network on the cube [-1,1]^3",
        {"family": "relu",
         "weights": [[["1", "0", "1/2"], ["0", "1", "-1"], ["-1", "1", "1"]], [["1", "1", "-1"]]],
         "biases": [["0", "1/4", "-1/3"], ["0"]],
         "domain": [["-1", "1"]] * 3},
    ),
    "relu_data": (
        "the tiny ReLU network in data mode: only the cells containing the six data points",
        {"family": "relu",
         "weights": [[["1", "1/2"], ["-1/2", "1"], ["1", "-1"]],
                     [["1", "-1", "1/2"], ["-1", "1/2", "1"]],
                     [["1", "-1"]]],
         "biases": [["1/4", "0", "-1/3"], ["0", "1/5"], ["0"]],
         "domain": _SQUARE, "mode": "data",
         "data": [["-3/4", "-3/4"], ["-1/2", "1/2"], ["1/2", "1/2"], ["3/4", "-1/2"], ["0", "0"], ["1/10", "9/10"]],
         "labels": [0, 1, 1, 0, 0, 1]},
    ),
    "degenerate_duplicate": (
        "degenerate arrangement: the line x = y three times (once scaled by 2, once reversed) "
        "and a parallel line x - y = 1/2",
        {"family": "arrangement", "normals": [["1", "-1"], ["2", "-2"], ["-1", "1"], ["1", "-1"]],
         "offsets": ["0", "0", "0", "1/2"], "domain": _SQUARE},
    ),
    "degenerate_corner": (
        "degenerate arrangement on [0,1]^2: x + y = 2 touches only the corner (1,1) (no cut), "
        "x = y runs through two corners",
        {"family": "arrangement", "normals": [["1", "1"], ["1", "-1"]], "offsets": ["2", "0"],
         "domain": [["0", "1"], ["0", "1"]]},
    ),
    "degenerate_dead_relu": (
        "degenerate ReLU network: a dead unit (zero weights, negative bias), a zero-weight unit with "
        "positive bias (always active) and two duplicate units",
        {"family": "relu",
         "weights": [[["0", "0"], ["0", "0"], ["1", "1"], ["1", "1"], ["1", "-1"]], [["1", "1", "1", "-1", "1"]]],
         "biases": [["-1", "1/2", "0", "0", "1/3"], ["0"]],
         "domain": _SQUARE},
    ),
}


def corpus_names() -> tuple[str, ...]:
    """The names of the corpus fixtures, sorted."""
    return tuple(sorted(CORPUS))


def corpus_model(name: str) -> ModelSpec:
    """The model of a corpus entry."""
    if name not in CORPUS:
        raise InvalidInputError(f"no corpus fixture named {name!r}; available: {', '.join(corpus_names())}")
    return read_model(CORPUS[name][1])


def fixture_path(name: str) -> Path:
    """Where the shipped fixture ``name`` lives."""
    if name not in CORPUS:
        raise InvalidInputError(f"no corpus fixture named {name!r}; available: {', '.join(corpus_names())}")
    return FIXTURE_DIR / f"{name}.json"


def corpus_text(name: str) -> str:
    """The canonical text of corpus fixture ``name``, computed now."""
    doc = fixture_dict(corpus_model(name), name=name, description=CORPUS[name][0], progress=False)
    return canonical_json(doc)


def write_corpus(directory: str | Path | None = None, names: Sequence[str] | None = None) -> list[Path]:
    """Regenerate corpus fixtures into ``directory`` (default: the shipped folder)."""
    d = Path(directory) if directory is not None else FIXTURE_DIR
    d.mkdir(parents=True, exist_ok=True)
    out = []
    for name in names or corpus_names():
        p = d / f"{name}.json"
        write_atomic(p, corpus_text(name), encoding="ascii")
        out.append(p)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m exactgeom.io.corpus [--check] [-o DIR] [NAME ...]``."""
    ap = argparse.ArgumentParser(prog="python -m exactgeom.io.corpus", description="Regenerate the fixture corpus.")
    ap.add_argument("names", nargs="*", help="corpus entries (default: all)")
    ap.add_argument("-o", "--output-dir", default=None, help="folder (default: the shipped exactgeom/data/fixtures)")
    ap.add_argument("--check", action="store_true", help="compare with the files instead of writing; exit 1 on a difference")
    args = ap.parse_args(argv)
    try:
        names = args.names or list(corpus_names())
        for n in names:
            fixture_path(n)
        if args.check:
            d = Path(args.output_dir) if args.output_dir else FIXTURE_DIR
            bad = [n for n in names if not (d / f"{n}.json").exists() or (d / f"{n}.json").read_text(encoding="ascii") != corpus_text(n)]
            for n in bad:
                print(f"differs: {d / (n + '.json')}")
            print(f"{len(names) - len(bad)} of {len(names)} fixtures identical")
            return 1 if bad else 0
        for p in write_corpus(args.output_dir, names):
            print(f"wrote {p}")
        return 0
    except ExactGeomError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
