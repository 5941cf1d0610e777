"""The error hierarchy of exactgeom.

Every exception the package raises on purpose derives from :class:`ExactGeomError`
and also from the builtin that best describes it, so callers can catch either::

    ExactGeomError(Exception)
    ├─ InvalidInputError(ExactGeomError, ValueError)        ragged rows, wrong shape, NaN, bad model
    │  └─ InexactInputError(InvalidInputError, TypeError)    a float where an exact value is required
    ├─ DegenerateError(ExactGeomError, ValueError)           undefined on a valid degenerate value
    ├─ UndecidedError(ExactGeomError, ArithmeticError)       certified refinement hit its cap
    ├─ BackendError(ExactGeomError, RuntimeError)            cddlib / flint failure
    ├─ LimitExceededError(ExactGeomError, RuntimeError)      a documented size limit (e.g. vertices)
    └─ UnsupportedModelError(ExactGeomError, NotImplementedError)  not piecewise linear

Messages name the offending value and say how to fix it.
"""

from __future__ import annotations

__all__ = [
    "ExactGeomError",
    "InvalidInputError",
    "InexactInputError",
    "DegenerateError",
    "UndecidedError",
    "BackendError",
    "LimitExceededError",
    "UnsupportedModelError",
]


class ExactGeomError(Exception):
    """Root of every error raised on purpose by exactgeom."""


class InvalidInputError(ExactGeomError, ValueError):
    """The input is malformed: wrong shape, ragged rows, NaN/inf, unknown option, ..."""


class InexactInputError(InvalidInputError, TypeError):
    """A float (or other inexact value) was given where an exact rational is required.

    Convert it on purpose with :func:`exactgeom.as_rational` and a policy
    (``policy="exact"`` or ``policy=("limit_denominator", N)``).
    """


class DegenerateError(ExactGeomError, ValueError):
    """The operation is undefined on this (valid) degenerate value,
    e.g. the volume of an unbounded polyhedron or the dihedral angle of two facets
    that do not meet in a ridge."""


class UndecidedError(ExactGeomError, ArithmeticError):
    """A certified comparison could not be decided within the refinement cap."""


class BackendError(ExactGeomError, RuntimeError):
    """A backend (cddlib, python-flint, cvxpy) failed; carries the backend's message."""


class LimitExceededError(ExactGeomError, RuntimeError):
    """The computation would exceed a documented size limit (e.g. the estimated number
    of vertices of a high-dimensional polytope); the message names the estimate, the
    setting that raises the limit and the alternative that needs no such size."""


class UnsupportedModelError(ExactGeomError, NotImplementedError):
    """The model contains a layer or component that is not piecewise linear."""
