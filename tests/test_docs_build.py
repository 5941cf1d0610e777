"""The documentation builds with warnings as errors: Sphinx, numpydoc, autosummary, myst-parser.

``python -m sphinx -W --keep-going -n`` on docs/ (configuration and the reasons for Sphinx in
docs/conf.py): a malformed docstring (a numpydoc section, broken reStructuredText) or a
cross-reference that names no existing object fails this test, with Sphinx's list of warnings
as the message.  Skipped only when the ``docs`` extra is not installed (scripts/setup.sh installs
it, so CI always builds).  To build by hand::

    .venv/bin/python -m sphinx -W --keep-going -n -b html docs docs/_build/html
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
MISSING = [m for m in ("sphinx", "numpydoc", "myst_parser") if importlib.util.find_spec(m) is None]
needs_docs = pytest.mark.skipif(bool(MISSING), reason=f"docs extra not installed (missing {MISSING}): pip install -e .[docs]")


def _conf():
    spec = importlib.util.spec_from_file_location("exactgeom_docs_conf", DOCS / "conf.py")
    assert spec is not None and spec.loader is not None
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    return conf


@needs_docs
@pytest.mark.slow
def test_docs_build_without_warnings(tmp_path: Path) -> None:
    out = tmp_path / "html"
    cmd = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-n", "-q", "-b", "html"]
    cmd += ["-d", str(tmp_path / "doctrees"), str(DOCS), str(out)]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, f"the documentation build has warnings or errors:\n{proc.stderr}\n{proc.stdout}"
    # the Markdown pages, the changelog and the API reference are all there
    for page in ("index", "tutorial", "definitions", "definitions/polytope", "cli", "fixtures", "benchmarks", "changelog"):
        assert (out / f"{page}.html").is_file(), page
    polytope = (out / "api" / "generated" / "exactgeom.polytope.Polytope.html").read_text(encoding="utf-8")
    assert "dihedral_angle" in polytope and "from_vrep" in polytope
    # the methods Polytope inherits from exactgeom.polytope.polytope_methods are on its page
    for meth in ("volume", "face_lattice", "facet_volume", "dihedral_angle", "centroid", "chebyshev_ball"):
        assert f'id="exactgeom.polytope.Polytope.{meth}"' in polytope, meth
    errors = (out / "api" / "generated" / "exactgeom.errors.html").read_text(encoding="utf-8")
    assert "InvalidInputError" in errors


@needs_docs
def test_cross_reference_checker_tells_existing_from_missing() -> None:
    """The `missing-reference` hook of docs/conf.py links aliases but lets broken names fail."""
    conf = _conf()
    import exactgeom

    assert conf._lookup("exactgeom.Polytope") == (True, exactgeom.Polytope)
    assert conf._lookup("exactgeom.polytope.polytope.Polytope.volume")[0]
    assert not conf._lookup("exactgeom.polytope.NoSuchThing")[0]
    assert not conf._lookup("exactgeom.no_such_module.f")[0]
    assert conf._defined_somewhere("Polytope.dihedral_angle")
    assert conf._defined_somewhere("Spectrum.kernel_dim")  # a dataclass field
    assert not conf._defined_somewhere("Polytope.no_such_method")
    assert not conf._defined_somewhere("surely_not_defined_anywhere_xyz")
