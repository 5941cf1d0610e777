"""L4: the Riemannian simplicial complex of a partition.

Vertices are cells; simplices follow the ``facet`` or ``nerve`` convention; measures,
inner products, boundary matrices, exact Betti numbers, Hodge and extended Laplacians,
certified spectra and simplicial splines. Definitions: ``docs/definitions/complex.md``.

>>> from exactgeom import arrangement
>>> from exactgeom.complex import RiemannianComplex
>>> RiemannianComplex.from_partition(arrangement([[1, 1]], [0], [(-1, 1), (-1, 1)])).betti()
(1, 0)
"""

from .complex import CONVENTIONS, RiemannianComplex
from .field import FieldTooLargeError, MultiquadraticField
from .simplices import SimplexData, facet_simplices, nerve_simplices
from .sparse import ExactMatrix
from .spectrum import Spectrum
from .spline import ConstrainedFit, SplineFit

__all__ = [
    "RiemannianComplex",
    "CONVENTIONS",
    "ExactMatrix",
    "Spectrum",
    "SplineFit",
    "ConstrainedFit",
    "SimplexData",
    "facet_simplices",
    "nerve_simplices",
    "MultiquadraticField",
    "FieldTooLargeError",
]
