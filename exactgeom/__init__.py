"""exactgeom — exact geometry of the partitions that machine-learning models induce.

Layers (imports go downward only): numbers → linalg → polytope → partitions →
complex → analysis → io/cli/plot. See ``docs/`` for definitions and conventions.

>>> from exactgeom import Polytope
>>> Polytope.box([(0, 1), (0, 1)]).dihedral_angle(0, 2).exact_pi_multiple()
Fraction(1, 2)
"""

from __future__ import annotations

from .analysis import (
    angle_defects,
    cell_forms,
    decision_topology,
    follow_cell,
    geometric_penalties,
    ricci_curvature,
    vertex_curvature,
)
from .complex import RiemannianComplex
from .errors import (
    BackendError,
    DegenerateError,
    ExactGeomError,
    InexactInputError,
    InvalidInputError,
    LimitExceededError,
    UndecidedError,
    UnsupportedModelError,
)
from .importers import from_sklearn, from_torch
from .io import check_fixture, load_fixture, write_fixture
from .numbers import Angle, Enclosure, FloatPolicy, Sign, Surd, SurdSum, as_rational
from .partitions import (
    Cell,
    Partition,
    ReLUNetwork,
    SharedFace,
    argmax_linear,
    arrangement,
    cell_geometry,
    decision_tree,
    map_cells,
    refine,
    relu_network,
    voronoi,
)
from .polytope import Face, FaceLattice, Halfspace, Hyperplane, Polytope

__version__ = "0.1.0"

#: Public names whose modules need an optional extra; imported on first access (PEP 562),
#: so ``import exactgeom`` works without them. Not in ``__all__`` (a star import would
#: otherwise require the extra).
_LAZY = {"GeometricRegularizer": ("exactgeom.analysis.regularize_torch", "torch")}


def __getattr__(name: str) -> object:
    """``exactgeom.GeometricRegularizer`` (needs torch), imported on first access.

    >>> import exactgeom
    >>> exactgeom.GeometricRegularizer.__name__
    'GeometricRegularizer'
    """
    if name in _LAZY:
        import importlib

        module, extra = _LAZY[name]
        try:
            mod = importlib.import_module(module)
        except ImportError as exc:
            raise ImportError(
                f"exactgeom.{name} needs {extra}: pip install 'exactgeom[{extra}]' ({exc})"
            ) from None
        value = getattr(mod, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'exactgeom' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))

__all__ = [
    "__version__",
    # errors
    "ExactGeomError",
    "InvalidInputError",
    "InexactInputError",
    "DegenerateError",
    "UndecidedError",
    "BackendError",
    "LimitExceededError",
    "UnsupportedModelError",
    # numbers
    "Surd",
    "SurdSum",
    "Angle",
    "Enclosure",
    "Sign",
    "FloatPolicy",
    "as_rational",
    # polytope
    "Polytope",
    "Face",
    "FaceLattice",
    "Halfspace",
    "Hyperplane",
    # partitions
    "Partition",
    "Cell",
    "SharedFace",
    "arrangement",
    "argmax_linear",
    "voronoi",
    "decision_tree",
    "refine",
    "relu_network",
    "ReLUNetwork",
    "map_cells",
    "cell_geometry",
    "from_sklearn",
    "from_torch",
    # complex
    "RiemannianComplex",
    # analysis
    "decision_topology",
    "angle_defects",
    "vertex_curvature",
    "ricci_curvature",
    "cell_forms",
    "follow_cell",
    "geometric_penalties",
    # fixtures
    "write_fixture",
    "load_fixture",
    "check_fixture",
]
