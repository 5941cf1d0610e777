"""Static (AST) check of exactgeom's import layering and heavy-dependency rules.

Layers, low to high; a module may import exactgeom modules of its own layer or lower:

    L0  exactgeom.errors, exactgeom.numbers
    L1  exactgeom.linalg
    L2  exactgeom.polytope
    L3  exactgeom.partitions, exactgeom.importers, exactgeom.examples
    L4  exactgeom.complex
    L5  exactgeom.analysis
    L6  exactgeom.io, exactgeom.cli, exactgeom.plot, exactgeom.strategies,
        exactgeom (the package __init__), exactgeom.__main__

Third-party rules:

* L0-L2 import none of numpy, torch, sklearn, scipy, cvxpy at module level, except
  exactgeom/polytope/chebyshev.py (numpy, cvxpy: a float LP is its first step) and
  files named *float*.py (numpy, scipy, cvxpy);
* only exactgeom/importers/ and exactgeom/analysis/regularize_torch.py import torch or
  sklearn at module level;
* only exactgeom/polytope/backends/cdd.py imports ``cdd`` (pycddlib), at any level.

"Module level" means executed on import: everything outside function bodies, class
bodies included, ``if TYPE_CHECKING:`` blocks excluded.  The layer rule and the cdd
rule apply to every import, lazy ones and TYPE_CHECKING ones included.  Literal
``importlib.import_module("...")`` / ``__import__("...")`` calls count as imports.

Every module under exactgeom/ must belong to a layer: add new top-level modules to
LAYERS below.  Only files that exist are checked.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
PKG_DIR = REPO_ROOT / "exactgeom"

LAYERS: dict[str, int] = {
    "exactgeom.errors": 0,
    "exactgeom.numbers": 0,
    "exactgeom.linalg": 1,
    "exactgeom.polytope": 2,
    "exactgeom.partitions": 3,
    "exactgeom.importers": 3,
    "exactgeom.examples": 3,
    "exactgeom.complex": 4,
    "exactgeom.analysis": 5,
    "exactgeom.io": 6,
    "exactgeom.cli": 6,
    "exactgeom.plot": 6,
    "exactgeom.plot_curvature": 6,
    "exactgeom.plot_artists": 6,
    "exactgeom.strategies": 6,
    "exactgeom.__main__": 6,
}
PACKAGE_LAYER = 6  # exactgeom/__init__.py, and `from exactgeom import <attribute>`

HEAVY_LOW_LAYERS = {"numpy", "torch", "sklearn", "scipy", "cvxpy"}
TORCHLIKE = {"torch", "sklearn"}


@dataclass(frozen=True)
class Import:
    target: str  # absolute dotted module name
    line: int
    module_level: bool  # executed when the importing module is imported
    type_checking: bool  # inside `if TYPE_CHECKING:`


def module_name(path: Path, root: Path = REPO_ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(name: str) -> int | None:
    """Layer of an exactgeom dotted module name (longest matching prefix), or None."""
    if name == "exactgeom":
        return PACKAGE_LAYER
    best: tuple[int, int] | None = None
    for prefix, layer in LAYERS.items():
        if (name == prefix or name.startswith(prefix + ".")) and (best is None or len(prefix) > best[0]):
            best = (len(prefix), layer)
    return None if best is None else best[1]


def is_submodule(name: str, root: Path = REPO_ROOT) -> bool:
    rel = Path(*name.split("."))
    return (root / rel).is_dir() or (root / rel).with_suffix(".py").is_file()


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def collect_imports(path: Path, root: Path = REPO_ROOT) -> list[Import]:
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[Import] = []

    def resolve_from(node: ast.ImportFrom) -> list[str]:
        if node.level:
            parts = package.split(".")
            if node.level - 1 > len(parts) - 1:
                raise AssertionError(f"{path}:{node.lineno}: relative import beyond top-level package")
            base_parts = parts[: len(parts) - (node.level - 1)]
            base = ".".join(base_parts + ([node.module] if node.module else []))
        else:
            base = node.module or ""
        targets = []
        for alias in node.names:
            sub = f"{base}.{alias.name}"
            if alias.name != "*" and base.split(".")[0] == "exactgeom" and is_submodule(sub, root):
                targets.append(sub)
            else:
                targets.append(base)
        return targets

    def visit(node: ast.AST, module_level: bool, type_checking: bool) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            module_level = False
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.body:
                visit(child, module_level, True)
            for child in node.orelse:
                visit(child, module_level, type_checking)
            visit(node.test, module_level, type_checking)
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.append(Import(alias.name, node.lineno, module_level, type_checking))
        elif isinstance(node, ast.ImportFrom):
            for target in resolve_from(node):
                found.append(Import(target, node.lineno, module_level, type_checking))
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            fname = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            arg = node.args[0]
            if (
                fname in {"import_module", "__import__"}
                and isinstance(arg, ast.Constant)
                and isinstance(arg.value, str)
                and not arg.value.startswith(".")
            ):
                found.append(Import(arg.value, node.lineno, module_level, type_checking))
        for child in ast.iter_child_nodes(node):
            visit(child, module_level, type_checking)

    visit(tree, True, False)
    return found


def source_files() -> list[Path]:
    if not PKG_DIR.is_dir():
        return []
    return sorted(p for p in PKG_DIR.rglob("*.py") if "__pycache__" not in p.parts)


def rel(path: Path, root: Path = REPO_ROOT) -> str:
    return path.relative_to(root).as_posix()


def check_file(path: Path, root: Path = REPO_ROOT) -> list[str]:
    """All rule violations of one file, as 'file:line: message' strings."""
    errors: list[str] = []
    name = module_name(path, root)
    own = layer_of(name)
    relpath = rel(path, root)
    if own is None:
        return [f"{relpath}:1: module {name} is not assigned to a layer (edit LAYERS in tests/test_layers.py)"]
    is_float_file = "float" in path.name
    chebyshev = relpath == "exactgeom/polytope/chebyshev.py"
    torch_ok = relpath.startswith("exactgeom/importers/") or relpath == "exactgeom/analysis/regularize_torch.py"
    cdd_ok = relpath == "exactgeom/polytope/backends/cdd.py"

    for imp in collect_imports(path, root):
        top = imp.target.split(".")[0]
        where = f"{relpath}:{imp.line}"
        if top == "exactgeom":
            tl = layer_of(imp.target)
            if tl is None:
                errors.append(f"{where}: imports {imp.target}, which is not assigned to a layer")
            elif tl > own:
                errors.append(f"{where}: L{own} module {name} imports higher-layer L{tl} module {imp.target}")
            continue
        if top == "cdd" and not cdd_ok:
            errors.append(f"{where}: imports cdd (pycddlib); only exactgeom/polytope/backends/cdd.py may")
        runtime = imp.module_level and not imp.type_checking
        if not runtime:
            continue
        if top in TORCHLIKE and not torch_ok:
            errors.append(f"{where}: imports {top} at module level; only exactgeom/importers/ and "
                          "exactgeom/analysis/regularize_torch.py may (import it lazily)")
        elif own <= 2 and top in HEAVY_LOW_LAYERS and top not in TORCHLIKE:
            allowed = (chebyshev and top in {"numpy", "cvxpy"}) or is_float_file
            if not allowed:
                errors.append(f"{where}: L{own} module imports {top} at module level (import it lazily)")
    return errors


def test_layer_table_is_consistent():
    assert layer_of("exactgeom") == 6
    assert layer_of("exactgeom.numbers.rational") == 0
    assert layer_of("exactgeom.polytope.backends.cdd") == 2
    assert layer_of("exactgeom.iox") is None  # prefix match is by whole components
    assert layer_of("numpy") is None


def test_relative_import_resolution(tmp_path):
    fake_root = tmp_path
    pkg = fake_root / "exactgeom" / "polytope" / "backends"
    pkg.mkdir(parents=True)
    (fake_root / "exactgeom" / "errors.py").write_text("")
    (fake_root / "exactgeom" / "polytope" / "hrep.py").write_text("")
    src = pkg / "cdd.py"
    src.write_text(
        "from ...errors import BackendError\n"
        "from .. import hrep\n"
        "from ..hrep import HRep\n"
        "from ... import complex\n"
        "def f():\n    import torch\n"
        "import cdd.gmp\n"
    )
    targets = [(i.target, i.module_level) for i in collect_imports(src, fake_root)]
    assert targets == [
        ("exactgeom.errors", True),
        ("exactgeom.polytope.hrep", True),
        ("exactgeom.polytope.hrep", True),
        ("exactgeom", True),  # exactgeom/complex does not exist there: attribute of the package
        ("torch", False),
        ("cdd.gmp", True),
    ]


def test_checker_reports_violations(tmp_path):
    def write(relpath: str, text: str) -> Path:
        p = tmp_path / relpath
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
        return p

    write("exactgeom/analysis/volume.py", "")
    lin = write(
        "exactgeom/linalg/solve.py",
        "from typing import TYPE_CHECKING\n"
        "import numpy as np\n"                       # 2: heavy import in L1
        "from ..analysis import volume\n"            # 3: upward import
        "if TYPE_CHECKING:\n    import scipy\n"     # 5: fine (not executed)
        "def f():\n    import cvxpy, torch\n"       # 7: fine (lazy)
        "import cdd\n"                               # 8: cdd outside the backend
        "class K:\n    import sklearn\n",           # 10: class body runs on import
    )
    errors = check_file(lin, tmp_path)
    lines = sorted(int(e.split(":")[1]) for e in errors)
    assert lines == [2, 3, 8, 10], errors

    fl = write("exactgeom/polytope/chebyshev_float.py", "import numpy, scipy, cvxpy\n")
    assert check_file(fl, tmp_path) == []
    ch = write("exactgeom/polytope/chebyshev.py", "import numpy, cvxpy\nimport scipy\n")
    assert [e.split(":")[1] for e in check_file(ch, tmp_path)] == ["2"]
    imp = write("exactgeom/importers/torch_mlp.py", "import torch\nimport numpy\nfrom ..polytope import hrep\n")
    assert check_file(imp, tmp_path) == []
    stray = write("exactgeom/misc.py", "")
    assert "not assigned to a layer" in check_file(stray, tmp_path)[0]


@pytest.mark.parametrize("path", source_files(), ids=rel)
def test_import_layers(path: Path):
    errors = check_file(path)
    assert not errors, "import-rule violations:\n" + "\n".join(errors)
