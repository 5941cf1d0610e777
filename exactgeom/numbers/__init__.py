"""Layer 0 of exactgeom: exact numbers.

* rationals (:func:`as_rational` and friends; floats only through a
  :class:`FloatPolicy`),
* signs (:class:`Sign`, the result of every exact predicate),
* surds ``q·√d`` (:class:`Surd`) and exact sums of surds (:class:`SurdSum`),
* angles in ``[0, π]`` held by their exact cosine (:class:`Angle`),
* certified enclosures of real numbers (:class:`Enclosure`,
  :func:`certified_sign`).

Nothing here imports numpy.

>>> from exactgeom.numbers import Surd, Angle
>>> Angle(Surd.sqrt(2) / 2).exact_pi_multiple()
Fraction(1, 4)
"""

from __future__ import annotations

from .angle import Angle
from .ball import Enclosure, certified_sign
from .radicals import squarefree_decompose
from .rational import (
    FloatPolicy,
    as_rational,
    as_rational_matrix,
    as_rational_vector,
    format_rational,
)
from .sign import Sign, sign_of
from .surd import Surd
from .surdsum import SurdSum

__all__ = [
    "FloatPolicy",
    "as_rational",
    "as_rational_vector",
    "as_rational_matrix",
    "format_rational",
    "Sign",
    "sign_of",
    "Surd",
    "SurdSum",
    "Angle",
    "Enclosure",
    "squarefree_decompose",
    "certified_sign",
]
