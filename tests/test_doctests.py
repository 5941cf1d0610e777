"""Run the doctests of every exactgeom module.

Each module under exactgeom/ is imported and its doctests are run with
``ELLIPSIS | NORMALIZE_WHITESPACE`` (the flags pyproject.toml gives pytest).  A module
whose import fails only because an optional extra (torch, scikit-learn, dask, ...) is
not installed is skipped; any other import error is a failure.  ``__main__`` modules
are not imported (that would run the command-line tool).
"""

from __future__ import annotations

import doctest
import importlib
import io
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
PKG_DIR = REPO_ROOT / "exactgeom"

# Top-level import names provided only by optional extras.
OPTIONAL_MODULES = {"torch", "sklearn", "dask", "distributed", "PyNormaliz", "relucent", "psutil"}

FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def module_names() -> list[str]:
    if not PKG_DIR.is_dir():
        return []
    names = []
    for path in sorted(PKG_DIR.rglob("*.py")):
        if "__pycache__" in path.parts or path.name == "__main__.py":
            continue
        parts = list(path.relative_to(REPO_ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names.append(".".join(parts))
    return names


@pytest.mark.parametrize("name", module_names())
def test_doctests(name: str):
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        missing = (exc.name or "").split(".")[0]
        if missing in OPTIONAL_MODULES:
            pytest.skip(f"{name} needs the optional package {missing!r}")
        raise
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    out = io.StringIO()
    failed = attempted = 0
    for test in finder.find(module, name):
        result = runner.run(test, out=out.write)
        failed += result.failed
        attempted += result.attempted
    assert failed == 0, f"{failed} of {attempted} doctest examples failed in {name}:\n{out.getvalue()}"
