"""The repository is lint-clean: ``ruff check`` with the configuration in pyproject.toml.

Runs the ruff of the test interpreter (``sys.executable -m ruff``) on the whole
repository (package, tests, bench, proofs, scripts, notebooks); skipped when ruff is
not installed (it is in the ``test`` extra).  Rule choices and per-file ignores are
explained in ``[tool.ruff]`` of pyproject.toml.  To fix findings locally::

    .venv/bin/python -m ruff check .            # list them
    .venv/bin/python -m ruff check --fix .      # apply the safe automatic fixes
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(importlib.util.find_spec("ruff") is None, reason="ruff is not installed (pip install ruff)")
def test_ruff_check_is_clean() -> None:
    cmd = [sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", "."]
    proc = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    # exit 0: clean; 1: findings; anything else: ruff itself failed (e.g. a bad configuration)
    assert proc.returncode in (0, 1), f"ruff failed (exit {proc.returncode}):\n{proc.stderr}{proc.stdout}"
    if proc.returncode == 1:
        pytest.fail(f"ruff check found lint problems (run `python -m ruff check .`):\n{proc.stdout}", pytrace=False)
