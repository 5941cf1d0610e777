"""exactgeom — exact geometry of the partitions that machine-learning models induce.

Layers (imports go downward only): numbers → linalg → polytope → partitions →
complex → analysis → io/cli/plot. See ``docs/`` for definitions and conventions.

>>> from exactgeom import Polytope
>>> Polytope.box([(0, 1), (0, 1)]).dihedral_angle(0, 2).exact_pi_multiple()
Fraction(1, 2)
"""

from __future__ import annotations

from .errors import (
    BackendError,
    DegenerateError,
    ExactGeomError,
    InexactInputError,
    InvalidInputError,
    UndecidedError,
    UnsupportedModelError,
)
from .numbers import Angle, Enclosure, FloatPolicy, Sign, Surd, SurdSum, as_rational
from .partitions import Cell, Partition, SharedFace, arrangement
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
]
