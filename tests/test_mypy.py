"""Type information users' tools can read: ``py.typed`` ships, and mypy is clean in strict mode on
the public API modules.

The modules are declared in ``[tool.mypy] files`` of pyproject.toml (with the per-library
``ignore_missing_imports`` for cdd, flint, sympy, ... which publish no types); at least the ones in
``REQUIRED`` below.  The cache lives in the virtual environment (``<venv>/.mypy_cache``), so a
re-run takes seconds; a cold run about 20 s.  Skipped only when mypy is not installed (it is in the
``test`` extra).  To reproduce a failure: ``.venv/bin/python -m mypy``.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REQUIRED = {
    "exactgeom/__init__.py",
    "exactgeom/errors.py",
    "exactgeom/numbers",
    "exactgeom/polytope/polytope.py",
    "exactgeom/partitions/partition.py",
    "exactgeom/complex/complex.py",
}


def _config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]


def test_py_typed_is_shipped() -> None:
    assert (ROOT / "exactgeom" / "py.typed").is_file()
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "py.typed" in data["tool"]["setuptools"]["package-data"]["exactgeom"]


def test_declared_modules_cover_the_public_api() -> None:
    conf = _config()
    assert conf["strict"] is True
    files = set(conf["files"])
    assert REQUIRED <= files, f"missing from [tool.mypy] files: {sorted(REQUIRED - files)}"
    for f in files:
        assert (ROOT / f).exists(), f


@pytest.mark.skipif(importlib.util.find_spec("mypy") is None, reason="mypy is not installed (pip install -e .[test])")
def test_mypy_strict_is_clean_on_the_public_api() -> None:
    cache = Path(sys.prefix) / ".mypy_cache"
    cmd = [sys.executable, "-m", "mypy", "--config-file", "pyproject.toml", "--cache-dir", str(cache)]
    cmd += ["--no-error-summary", "--show-error-codes", "--no-color-output"]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    # exit 0: clean; 1: type errors; 2: mypy itself failed (bad configuration, crash)
    assert proc.returncode in (0, 1), f"mypy failed (exit {proc.returncode}):\n{proc.stderr}{proc.stdout}"
    if proc.returncode == 1:
        pytest.fail(f"mypy --strict found type errors in the public API (run `python -m mypy`):\n{proc.stdout}", pytrace=False)
