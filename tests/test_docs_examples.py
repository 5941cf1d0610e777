"""The code in README.md and docs/tutorial.md runs: every ```python block of a file is
executed, in order, in one fresh interpreter (cwd = a temporary folder)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = [p for p in (ROOT / "README.md", ROOT / "docs" / "tutorial.md") if p.exists()]
BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


@pytest.mark.parametrize("doc", DOCS, ids=[p.name for p in DOCS])
def test_python_blocks_run(doc: Path, tmp_path: Path) -> None:
    blocks = BLOCK.findall(doc.read_text())
    assert blocks, f"{doc.name} has no python code block"
    script = tmp_path / "blocks.py"
    script.write_text("\n\n".join(blocks))
    res = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=600
    )
    assert res.returncode == 0, f"{doc.name}: code blocks failed\n{res.stdout}\n{res.stderr}"
