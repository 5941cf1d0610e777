"""Execute every notebooks/*.ipynb with nbclient; no cell may raise.

The kernel is ``python3`` (registered inside the venv by scripts/setup.sh, so it runs
the venv's interpreter); its working directory is a fresh temporary directory, so
files a notebook writes land there.  Each cell has 600 s.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((REPO_ROOT / "notebooks").glob("*.ipynb"))
CELL_TIMEOUT_S = 600
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


@pytest.mark.notebook
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook(notebook: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    from nbclient.exceptions import CellExecutionError

    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    nb = nbformat.read(notebook, as_version=4)
    client = nbclient.NotebookClient(
        nb,
        timeout=CELL_TIMEOUT_S,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    error = None
    try:
        client.execute()
    except CellExecutionError as exc:
        error = ANSI_ESCAPE.sub("", str(exc))
    if error is not None:
        pytest.fail(f"{notebook.name}: a cell raised\n{error}", pytrace=False)
