"""Sphinx configuration: the exactgeom documentation with its API reference.

Why Sphinx (and not MkDocs + mkdocstrings): the docstrings are numpydoc, and numpydoc is itself a
Sphinx extension, so their sections are parsed by the reference implementation (a malformed
section is a warning, hence an error here); autodoc/autosummary generate one page per public object
from the packages' ``__all__``; ``nitpicky`` makes every unresolved cross-reference to an exactgeom
object an error.  The existing Markdown pages (tutorial, definitions, CLI, fixtures, benchmarks)
are read unchanged by myst-parser.

Build (what tests/test_docs_build.py runs, warnings are errors)::

    .venv/bin/python -m sphinx -W --keep-going -n -b html docs docs/_build/html

The API stubs are generated into ``docs/api/generated/`` (not versioned; rebuilt from scratch on
every build, so a removed name leaves no stale page).
"""

from __future__ import annotations

import importlib
import shutil
import sys
from pathlib import Path
from typing import Any

import exactgeom

DOCS = Path(__file__).resolve().parent

project = "exactgeom"
author = "The exactgeom developers"
copyright = "2026, The exactgeom developers"
release = exactgeom.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
    "myst_parser",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "_templates", "Thumbs.db", ".DS_Store"]
templates_path = ["_templates"]

# --- Markdown pages ---------------------------------------------------------------------------
# `[text](page.md#a-heading)` links of the existing pages resolve to heading anchors.
myst_heading_anchors = 4

# --- API reference ----------------------------------------------------------------------------
autosummary_generate = True
autosummary_ignore_module_all = False  # a package's public API is its __all__
autosummary_imported_members = True
# Types are documented by the numpydoc "Parameters"/"Returns" sections; signatures stay readable.
autodoc_typehints = "none"
autodoc_member_order = "bysource"
autodoc_default_options = {"members": True, "show-inheritance": True}
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = False

# --- warnings ----------------------------------------------------------------------------------
# nitpicky (-n): a cross-reference that names no existing object is an error.  `_resolve_alias`
# below links a reference to the page of its object whichever import path it uses (docstrings say
# `exactgeom.Polytope`, `Polytope` or `exactgeom.polytope.polytope.Polytope` for one class); a
# reference to an existing object that has no page (an internal module or helper) is shown as code
# without a link; a reference to nothing (a renamed or removed name, a typo) stays a warning, hence
# fails the build.  Objects of other projects (Python, NumPy, python-flint, ...) are not linked:
# that would need intersphinx inventories fetched over the network at build time.
nitpicky = True

html_theme = "alabaster"
html_title = f"exactgeom {release}"


def _lookup(path: str) -> tuple[bool, Any]:
    """Import ``a.b.C.d`` (the longest importable module prefix, then attributes)."""
    parts = path.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        except Exception:  # a module that fails on import is reported by autodoc itself
            return False, None
        for attr in parts[cut:]:
            try:
                obj = getattr(obj, attr)
            except AttributeError:
                # a dataclass field or annotated attribute without a class-level value
                annotated = isinstance(obj, type) and any(attr in vars(k).get("__annotations__", {}) for k in obj.__mro__)
                if not annotated:
                    return False, None
                obj = None
        return True, obj
    return False, None


def _documented(env: Any) -> dict[int, tuple[str, Any]]:
    """id(object) -> (documented name, object) for every Python object with a page entry."""
    cache = getattr(env, "_exactgeom_documented", None)
    if cache is None:
        cache = {}
        for name, entry in env.get_domain("py").objects.items():
            if getattr(entry, "aliased", False):
                continue
            found, obj = _lookup(name)
            if found and not isinstance(obj, (int, float, str, bytes, tuple, frozenset, type(None))):
                cache.setdefault(id(obj), (name, obj))
        env._exactgeom_documented = cache
    return cache


def _resolve_alias(app: Any, env: Any, node: Any, contnode: Any) -> Any:
    """``missing-reference``: resolve a Python reference through the object it names (see above)."""
    if node.get("refdomain") != "py":
        return None
    target = node["reftarget"].lstrip("~.")
    module, cls = node.get("py:module"), node.get("py:class")
    candidates = []
    if module and cls:
        candidates.append(f"{module}.{cls}.{target}")
    if module:
        candidates.append(f"{module}.{target}")
    candidates.append(target)
    for path in candidates:
        found, obj = _lookup(path)
        if not found:
            continue
        owner = getattr(obj, "__module__", None) or getattr(obj, "__name__", "")
        if not str(owner).startswith("exactgeom") and not path.startswith("exactgeom."):
            return contnode  # an object of another project: not linked, not an error
        hit = _documented(env).get(id(obj))
        if hit is None:
            return contnode  # exists, but has no page (internal module or helper)
        domain = env.get_domain("py")
        return domain.resolve_xref(env, node["refdoc"], app.builder, "obj", hit[0], node, contnode)
    # A short name written in a docstring whose defining module is not the documented one (the
    # page of `exactgeom.partitions` shows docstrings of `exactgeom.partitions.relu`): link it when
    # exactly one documented object ends with that name; when none has a page, accept it if a
    # loaded exactgeom module or class defines it.
    suffix = "." + target
    hits = {id(obj): name for name, obj in _documented(env).values() if name.endswith(suffix)}
    if len(hits) == 1:
        domain = env.get_domain("py")
        return domain.resolve_xref(env, node["refdoc"], app.builder, "obj", next(iter(hits.values())), node, contnode)
    if not hits and _defined_somewhere(target):
        return contnode
    return None


def _defined_somewhere(target: str) -> bool:
    """Whether a loaded exactgeom module, or a class in one, has the (dotted) attribute ``target``."""
    for name, mod in list(sys.modules.items()):
        if not name.startswith("exactgeom") or mod is None:
            continue
        found, _ = _lookup(f"{name}.{target}")
        if found:
            return True
        for value in list(vars(mod).values()):
            if isinstance(value, type) and value.__module__ == name:
                found, _ = _lookup(f"{name}.{value.__name__}.{target}")
                if found:
                    return True
    return False


def _clean_generated(app: object) -> None:
    """Remove the previous build's API stubs before autosummary writes the current ones."""
    shutil.rmtree(DOCS / "api" / "generated", ignore_errors=True)


def setup(app: Any) -> dict[str, bool]:
    app.connect("builder-inited", _clean_generated, priority=100)
    app.connect("missing-reference", _resolve_alias)
    return {"parallel_read_safe": True}

