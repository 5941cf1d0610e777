"""I/O robustness (issue 10, part 2): numbers beyond Python's 4,300-digit str limit,
deep documents, and malformed structures refused at construction."""

from __future__ import annotations

import json
import sys
from fractions import Fraction

import pytest

from exactgeom import Polytope
from exactgeom.errors import InvalidInputError
from exactgeom.io.canonical import MAX_JSON_DEPTH, canonical_json, loads_json, parse_rational, rational_str
from exactgeom.io.model_files import read_model
from exactgeom.partitions.argmax import argmax_linear
from exactgeom.partitions.partition import Partition
from exactgeom.partitions.tree import decision_tree

BIG = 10**5000 + 1  # 5,001 digits: str(BIG) raises ValueError under the default limit


def test_default_limit_is_in_force() -> None:
    """The rows below would be vacuous if the interpreter had no limit."""
    assert sys.get_int_max_str_digits() == 4300
    with pytest.raises(ValueError, match="4300"):
        str(BIG)


def test_5000_digit_json_integer_round_trips() -> None:
    text = '{"n": ' + "1" + "0" * 4999 + "1, " + '"m": [-' + "9" * 5000 + "]}"
    doc = loads_json(text)
    assert doc["n"] == BIG and doc["m"] == [-(10**5000 - 1)]
    assert loads_json(canonical_json(doc)) == doc


def test_big_rational_strings_round_trip() -> None:
    q = Fraction(BIG, 7**6000)
    s = rational_str(q)
    assert parse_rational(s) == q
    with pytest.raises(InvalidInputError, match="lowest terms"):
        parse_rational(f"{rational_str(Fraction(2 * BIG))}/2")


def test_model_with_5000_digit_weight(tmp_path) -> None:
    doc = {"family": "relu", "weights": [[[BIG]], [[1]]], "biases": [[BIG]], "domain": [["-2", "1"]]}
    doc["biases"].append([0])
    p = tmp_path / "m.json"
    p.write_text(canonical_json(doc))
    spec = read_model(p)
    back = loads_json(canonical_json(spec.to_json()))
    assert parse_rational(back["weights"][0][0][0]) == BIG
    P = spec.build()
    assert sorted(v[0] for c in P.cells for v in c.polytope.vertices) == [-2, -1, -1, 1]


@pytest.mark.parametrize(
    "text, msg",
    [
        ("[" * (MAX_JSON_DEPTH + 200) + "]" * (MAX_JSON_DEPTH + 200), "nested deeper"),
        ('{"a": ' + "1" * 1_000_001 + "}", "MAX_DIGITS"),
        ("[1,", "not valid JSON"),
        (b"\xff\xfe[", "not"),
    ],
    ids=["too-deep", "too-many-digits", "truncated", "not-utf8"],
)
def test_bad_json_is_the_packages_error(text: str, msg: str) -> None:
    with pytest.raises(InvalidInputError, match=msg):
        loads_json(text, "input.json")


def _deep_tree(depth: int) -> dict:
    t: dict = {"leaf": depth}
    for i in range(depth - 1, -1, -1):
        t = {"feature": 0, "threshold": f"{i + 1}/{depth + 1}", "left": {"leaf": i}, "right": t}
    return t


def test_1200_level_tree_without_recursion_error(tmp_path) -> None:
    depth = 1200
    doc = {"family": "tree", "tree": _deep_tree(depth), "domain": [["0", "1"]]}
    p = tmp_path / "tree.json"
    p.write_text(canonical_json(doc))
    spec = read_model(p)
    assert loads_json(canonical_json(spec.to_json()))["tree"]["right"]["right"]["threshold"] == f"3/{depth + 1}"
    P = decision_tree(_deep_tree(depth), [(0, 1)])
    assert P.n_cells == depth + 1  # leaf i is the interval (i/(d+1), (i+1)/(d+1)]
    assert sum(c.volume() for c in P.cells) == 1


def test_unhashable_argmax_labels_refused() -> None:
    with pytest.raises(InvalidInputError, match=r"label 1 .* not hashable"):
        argmax_linear([[1], [-1]], [0, 0], [(-1, 1)], labels=["a", ["b"]])


@pytest.mark.parametrize(
    "cells, msg",
    [
        ([("a", [[0, 1]])], "not a Polytope"),
        ([("a", Polytope.box([(0, 1)]), 3)], "pair"),
        ([(["k"], Polytope.box([(0, 1)]))], "unhashable key"),
    ],
    ids=["list-cell", "triple", "unhashable-key"],
)
def test_partition_refuses_non_polytope_cells(cells: list, msg: str) -> None:
    with pytest.raises(InvalidInputError, match=msg):
        Partition(Polytope.box([(0, 1)]), cells, family="test")


def test_json_module_itself_would_fail() -> None:
    """The independent reference: the standard library fails on these inputs."""
    with pytest.raises(ValueError, match="4300"):
        json.loads("1" * 5000)
    with pytest.raises(RecursionError):
        json.loads("[" * 5000 + "]" * 5000)


def test_model_and_fixture_options_beyond_the_digit_limit_or_mistyped(tmp_path) -> None:
    """A 5001-digit feature index, version or format in a model file: the package's error
    (str() of such an int raised ValueError while the message was formatted); a mistyped
    policy or a non-string name given to write_fixture: refused at once."""
    from exactgeom import voronoi, write_fixture

    big = 10**5000
    sq = [[-1, 1], [-1, 1]]
    tree = {"family": "tree", "tree": {"feature": big, "threshold": 0, "left": {"leaf": 0}, "right": {"leaf": 1}}, "domain": sq}
    with pytest.raises(InvalidInputError, match=r"feature must be an input index 0\.\.1, got 1000000000\.\.\."):
        read_model(tree)
    for field, msg in (("version", "model format version 1000000000"), ("format", '"format" is 1000000000')):
        with pytest.raises(InvalidInputError, match=msg):
            read_model({"family": "voronoi", "sites": [[0, 0]], "domain": sq, field: big})
    P = voronoi([[0, 0], [1, 1]], [(-1, 1), (-1, 1)])
    with pytest.raises(InvalidInputError, match="unknown float policy"):
        write_fixture(P, tmp_path / "f.json", policy="limit_denominator(1000")
    with pytest.raises(InvalidInputError, match="name must be a string"):
        write_fixture(P, tmp_path / "f.json", name=5)
    assert not (tmp_path / "f.json").exists()
