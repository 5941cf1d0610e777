"""Conversions of exact numbers to SymPy and mpmath (the one adapter module for both).

Exact where the target can be exact:

* :func:`to_sympy` — ``Fraction`` → ``sympy.Rational``, :class:`~exactgeom.numbers.Surd`
  ``q·√d`` → ``Rational(q)·sqrt(d)``, :class:`~exactgeom.numbers.SurdSum` → the sum of its
  terms, :class:`~exactgeom.numbers.Angle` → ``acos(<exact cosine>)``.  Integers go
  through ``sympy.Integer`` (no ``str``, no float), so big numbers stay exact.  These back
  the ``_sympy_`` hooks, so ``sympy.sympify(Surd(1, 2))`` is ``sqrt(2)``, never a Float.
* :func:`enclosure_to_mpmath` — an :class:`~exactgeom.numbers.Enclosure` ``[lo, hi]`` →
  an ``mpmath.iv.mpf`` interval whose endpoints are ``lo`` rounded down and ``hi`` rounded
  up, so it still contains the value.

SymPy and mpmath are imported inside the functions (SymPy is a dependency of exactgeom;
mpmath comes with it).

>>> from exactgeom.numbers import Surd, SurdSum, Angle
>>> to_sympy(Surd(3, 8)), to_sympy(SurdSum([1, Surd(1, 2)])), to_sympy(Angle(0))
(6*sqrt(2), 1 + sqrt(2), pi/2)
>>> to_sympy(Surd(0, 5))     # degenerate: zero
0
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from ..errors import InvalidInputError

__all__ = ["to_sympy", "enclosure_to_mpmath", "optional_import"]


def _rational(q: Fraction | int) -> Any:
    import sympy

    if isinstance(q, int):
        return sympy.Integer(q)
    return sympy.Rational(sympy.Integer(q.numerator), sympy.Integer(q.denominator))


def to_sympy(x: Any) -> Any:
    """The exact SymPy expression of an int, Fraction, Surd, SurdSum or Angle.

    Raises
    ------
    InvalidInputError
        For any other type (a float has no exact meaning here: convert it with
        :func:`~exactgeom.numbers.as_rational` first).

    >>> from exactgeom.numbers import Angle
    >>> to_sympy(Angle(Fraction(1, 3)))
    acos(1/3)
    """
    import sympy

    from .angle import Angle
    from .surd import Surd
    from .surdsum import SurdSum

    if isinstance(x, bool):
        raise InvalidInputError("to_sympy got a bool; pass a number")
    if isinstance(x, (int, Fraction)):
        return _rational(x)
    if isinstance(x, Surd):
        if x.radicand == 1 or not x.coeff:
            return _rational(x.coeff)
        return _rational(x.coeff) * sympy.sqrt(sympy.Integer(x.radicand))
    if isinstance(x, SurdSum):
        return sympy.Add(*(to_sympy(t) for t in x.terms))
    if isinstance(x, Angle):
        return sympy.acos(to_sympy(x.cos))
    raise InvalidInputError(
        f"to_sympy cannot convert a {type(x).__name__} exactly; pass an int, Fraction, Surd, SurdSum or Angle"
    )


def enclosure_to_mpmath(lo: Fraction, hi: Fraction, prec: int = 113) -> Any:
    """``mpmath.iv.mpf`` interval containing ``[lo, hi]`` (endpoints rounded outward to
    ``prec`` bits).

    >>> import mpmath
    >>> I = enclosure_to_mpmath(Fraction(1, 3), Fraction(1, 3))
    >>> with mpmath.workprec(200):
    ...     print(I.a < I.b, I.a <= mpmath.mpf(1) / 3 <= I.b)
    True True
    """
    import mpmath
    from mpmath.libmp import from_rational

    if not isinstance(prec, int) or isinstance(prec, bool) or prec < 2:
        raise InvalidInputError(f"prec must be an integer >= 2 (bits), got {prec!r}")
    a = from_rational(lo.numerator, lo.denominator, prec, "f")
    b = from_rational(hi.numerator, hi.denominator, prec, "c")
    return mpmath.iv.make_mpf((a, b))


def optional_import(module: str, feature: str) -> Any:
    """Import an optional dependency (networkx, pandas) for ``feature``, or say how to
    install it.

    Raises
    ------
    InvalidInputError
        When ``module`` is not installed (the message names the ``interop`` extra).

    >>> optional_import("no_such_module_xyz", "Partition.to_pandas()")
    Traceback (most recent call last):
    ...
    exactgeom.errors.InvalidInputError: Partition.to_pandas() needs no_such_module_xyz, which is not installed: ...
    """
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise InvalidInputError(
            f"{feature} needs {module}, which is not installed: pip install {module} "
            "(or pip install 'exactgeom[interop]')"
        ) from None
