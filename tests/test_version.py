"""The version lives in one place and every consumer agrees with it.

``exactgeom/__init__.py`` holds ``__version__``; pyproject.toml declares the version dynamic and
setuptools reads it from that assignment (statically, without importing the package).  The
checks: setuptools' own reading of pyproject.toml gives the same string as the imported module,
the changelog has a released section for it, and the license declared in the metadata is the one
in LICENSE.  (That the *built wheel* carries the same version is checked outside the repository
by scripts/smoke_wheel.sh, which CI runs.)
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

import exactgeom

REPO_ROOT = Path(__file__).resolve().parent.parent
# PEP 440 public version (release segment, optional pre/post/dev parts)
PEP440 = re.compile(r"^\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?$")


def _pyproject() -> dict:
    return tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_version_is_pep440() -> None:
    assert PEP440.match(exactgeom.__version__), exactgeom.__version__


def test_pyproject_reads_the_version_from_the_package() -> None:
    project = _pyproject()["project"]
    assert "version" not in project, "the version must not be repeated in pyproject.toml"
    assert "version" in project["dynamic"]
    dyn = _pyproject()["tool"]["setuptools"]["dynamic"]["version"]
    assert dyn == {"attr": "exactgeom.__version__"}


def test_setuptools_resolves_the_same_version() -> None:
    pyprojecttoml = pytest.importorskip("setuptools.config.pyprojecttoml")
    conf = pyprojecttoml.read_configuration(REPO_ROOT / "pyproject.toml", expand=True)
    assert conf["project"]["version"] == exactgeom.__version__


def test_changelog_has_a_section_for_the_version() -> None:
    text = (REPO_ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    released = re.findall(r"^## \[(\d[^\]]*)\]", text, flags=re.MULTILINE)
    assert released, "CHANGELOG.md has no released section"
    # the newest released section (the first after [Unreleased]) is the current version
    assert released[0] == exactgeom.__version__, (released[0], exactgeom.__version__)
    assert "## [Unreleased]" in text


def test_license_declared_and_shipped() -> None:
    project = _pyproject()["project"]
    assert project["license"] == "BSD-3-Clause"
    assert project["license-files"] == ["LICENSE"]
    text = (REPO_ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("BSD 3-Clause License")
    assert "Copyright (c) 2026, The exactgeom developers" in text
