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

__all__ = [
    "__version__",
    # errors
    "ExactGeomError",
    "InvalidInputError",
    "InexactInputError",
    "DegenerateError",
    "UndecidedError",
    "BackendError",
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
