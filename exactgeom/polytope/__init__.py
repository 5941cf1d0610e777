"""L2: exact polytopes (H/V conversion by cddlib, face lattice, volumes, angles)."""

from .faces import Face, FaceLattice
from .polytope import Halfspace, Hyperplane, Polytope

__all__ = ["Polytope", "Face", "FaceLattice", "Halfspace", "Hyperplane"]
