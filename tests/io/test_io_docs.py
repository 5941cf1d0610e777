"""docs/fixtures.md and docs/cli.md stay true: their examples run, their tables are complete."""

from __future__ import annotations

import re
from pathlib import Path

from exactgeom.io.corpus import corpus_names

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _blocks(text: str, lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", text, flags=re.S)


def test_float_volume_example_runs():
    text = (DOCS / "fixtures.md").read_text()
    section = text.split("## Testing a float implementation", 1)[1]
    code = _blocks(section, "python")[0]
    assert len(code.strip().splitlines()) <= 12  # "a 10-line example"
    exec(compile(code, "docs/fixtures.md", "exec"), {})


def test_corpus_table_lists_every_fixture():
    text = (DOCS / "fixtures.md").read_text()
    for name in corpus_names():
        assert f"`{name}`" in text, name


def test_cli_doc_mentions_every_subcommand():
    text = (DOCS / "cli.md").read_text()
    for cmd in ("analyse", "fixture", "check", "curvature", "laplacian", "plot", "export-cdd", "--policy", "--debug"):
        assert cmd in text, cmd
