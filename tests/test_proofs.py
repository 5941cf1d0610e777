"""Run every proofs/*.py script; each must exit 0 within 300 s.

The scripts run with the interpreter running the tests (the venv's python under
scripts/test.sh), in a fresh temporary directory as cwd, so anything they write lands
there: a proof that reads files must locate them through its own ``__file__``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
PROOFS = sorted((REPO_ROOT / "proofs").glob("*.py"))
TIMEOUT_S = 300


@pytest.mark.parametrize("script", PROOFS, ids=lambda p: p.name)
def test_proof(script: Path, tmp_path: Path):
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONUNBUFFERED="1")
    try:
        proc = subprocess.run(
            [sys.executable, str(script)],
            cwd=tmp_path,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
        )
    except subprocess.TimeoutExpired as exc:
        out = (exc.stdout or b"").decode(errors="replace") if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        err = (exc.stderr or b"").decode(errors="replace") if isinstance(exc.stderr, bytes) else (exc.stderr or "")
        pytest.fail(f"{script.name} timed out after {TIMEOUT_S} s\n--- stdout ---\n{out}\n--- stderr ---\n{err}")
    assert proc.returncode == 0, (
        f"{script.name} exited with {proc.returncode}\n"
        f"--- stdout ---\n{proc.stdout}\n--- stderr ---\n{proc.stderr}"
    )
