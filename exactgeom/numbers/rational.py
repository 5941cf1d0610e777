"""Rational input: parsing exact values and converting floats by an explicit policy.

Exact values (``int``, :class:`fractions.Fraction`, strings such as ``"-3/7"`` or
``"0.25"``, :class:`decimal.Decimal`, and any object with integer ``numerator`` and
``denominator`` such as ``numpy.int64``, ``gmpy2.mpq``, ``flint.fmpq`` or
``sympy.Rational``) are converted to :class:`~fractions.Fraction` without loss.

Binary floats (``float``, ``numpy.float64``, torch/sklearn parameters) are *never*
converted silently: the caller names a :class:`FloatPolicy`:

* ``"exact"`` — the float's exact binary value (``0.1`` becomes
  ``3602879701896397/36028797018963968``);
* ``"limit_denominator(N)"`` (or ``("limit_denominator", N)``) — the closest
  rational with denominator at most ``N`` (``0.1`` becomes ``1/10`` for N ≥ 10).

The chosen policy is recorded by the callers in their results' provenance.

>>> as_rational("-3/7")
Fraction(-3, 7)
>>> as_rational(0.5)
Traceback (most recent call last):
...
exactgeom.errors.InexactInputError: got the float 0.5 where an exact rational is required; ...
>>> as_rational(0.1, policy="limit_denominator(1000)")
Fraction(1, 10)
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

from ..errors import InexactInputError, InvalidInputError

__all__ = [
    "FloatPolicy",
    "PolicyLike",
    "as_rational",
    "as_rational_vector",
    "as_rational_matrix",
    "format_rational",
]


@dataclass(frozen=True)
class FloatPolicy:
    """How binary floats become rationals.

    >>> FloatPolicy.parse("exact")
    FloatPolicy(kind='exact', max_denominator=None)
    >>> str(FloatPolicy.parse(("limit_denominator", 100)))
    'limit_denominator(100)'
    """

    kind: Literal["exact", "limit_denominator"]
    max_denominator: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in ("exact", "limit_denominator"):
            raise InvalidInputError(
                f"unknown float policy kind {self.kind!r}; use 'exact' or 'limit_denominator(N)'"
            )
        if self.kind == "limit_denominator" and (
            not isinstance(self.max_denominator, int) or self.max_denominator < 1
        ):
            raise InvalidInputError(
                "limit_denominator needs a positive integer N, e.g. 'limit_denominator(1000)';"
                f" got {self.max_denominator!r}"
            )

    def __str__(self) -> str:
        if self.kind == "exact":
            return "exact"
        return f"limit_denominator({self.max_denominator})"

    @classmethod
    def parse(cls, policy: PolicyLike) -> FloatPolicy:
        """Accept a :class:`FloatPolicy`, ``"exact"``, ``"limit_denominator(N)"`` or
        ``("limit_denominator", N)``."""
        if isinstance(policy, FloatPolicy):
            return policy
        if isinstance(policy, str):
            s = policy.strip()
            if s == "exact":
                return cls("exact")
            m = re.fullmatch(r"limit_denominator\(\s*(\d+)\s*\)", s)
            if m:
                return cls("limit_denominator", int(m.group(1)))
        if isinstance(policy, tuple) and len(policy) == 2 and policy[0] == "limit_denominator":
            n = policy[1]
            if isinstance(n, numbers.Integral) and not isinstance(n, bool):
                return cls("limit_denominator", int(n))
        raise InvalidInputError(
            f"unknown float policy {policy!r}; use 'exact' or 'limit_denominator(N)' "
            "(or ('limit_denominator', N))"
        )

    def convert(self, x: float) -> Fraction:
        """Convert one finite float by this policy."""
        f = Fraction(x)
        if self.kind == "limit_denominator":
            assert self.max_denominator is not None
            f = f.limit_denominator(self.max_denominator)
        return f


PolicyLike = FloatPolicy | str | tuple[Any, ...]

_RATIONAL_STR = re.compile(r"\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?(\s*/\s*[+-]?\d+)?\s*")


def _is_float_like(x: Any) -> bool:
    if isinstance(x, float):
        return True
    # numpy / torch floating scalars without importing them
    mod = type(x).__module__
    if mod.startswith("numpy") and hasattr(x, "dtype"):
        return getattr(x.dtype, "kind", "") in "fc"
    return mod.startswith("torch")


def as_rational(x: Any, policy: PolicyLike | None = None, *, name: str = "value") -> Fraction:
    """Convert one value to an exact :class:`~fractions.Fraction`.

    Parameters
    ----------
    x
        An exact value (int, Fraction, "p/q" or decimal string, Decimal, or any
        object with integer ``numerator``/``denominator``), or a float when
        ``policy`` is given.
    policy
        How to convert binary floats (see :class:`FloatPolicy`); ``None`` (the
        default) refuses floats.
    name
        What the value is, for error messages.

    Raises
    ------
    InexactInputError
        ``x`` is a float and no policy was given.
    InvalidInputError
        ``x`` is NaN, infinite, or not a number at all.

    Examples
    --------
    >>> as_rational(3), as_rational("2/6"), as_rational("1e-3")
    (Fraction(3, 1), Fraction(1, 3), Fraction(1, 1000))
    >>> as_rational(float("nan"), policy="exact")
    Traceback (most recent call last):
    ...
    exactgeom.errors.InvalidInputError: value is nan; only finite numbers can be converted
    """
    if isinstance(x, Fraction):
        return x
    if isinstance(x, bool):
        return Fraction(int(x))
    if isinstance(x, int):
        return Fraction(x)
    if isinstance(x, str):
        if not _RATIONAL_STR.fullmatch(x):
            raise InvalidInputError(
                f"{name} {x!r} is not a rational number string; write e.g. '-3/7', '0.25' or '1e-3'"
            )
        try:
            return Fraction(x.replace(" ", ""))
        except (ValueError, ZeroDivisionError) as exc:
            raise InvalidInputError(f"{name} {x!r} is not a valid rational: {exc}") from None
    if isinstance(x, Decimal):
        if not x.is_finite():
            raise InvalidInputError(f"{name} is {x}; only finite numbers can be converted")
        return Fraction(x)
    if _is_float_like(x):
        xf = float(x)  # float-policy boundary: converted below only by an explicit policy
        if math.isnan(xf) or math.isinf(xf):
            raise InvalidInputError(f"{name} is {xf}; only finite numbers can be converted")
        if policy is None:
            raise InexactInputError(
                f"got the float {xf!r} where an exact rational is required; pass exact values "
                "(int, Fraction, 'p/q' strings) or choose a float policy, e.g. policy='exact' "
                "(exact binary value) or policy='limit_denominator(1000)'"
            )
        return FloatPolicy.parse(policy).convert(xf)
    num = getattr(x, "numerator", None)
    den = getattr(x, "denominator", None)
    if num is not None and den is not None and not callable(num):
        try:
            n, d = int(num), int(den)
        except (TypeError, ValueError):
            pass
        else:
            if d == 0:
                raise InvalidInputError(f"{name} has denominator 0")
            return Fraction(n, d)
    raise InvalidInputError(
        f"{name} {x!r} of type {type(x).__name__} is not a number exactgeom can read; "
        "use int, Fraction, a 'p/q' string, or a float with an explicit policy"
    )


#: shared Fractions of small ints (Fractions are immutable, so sharing them is safe)
_SMALL_INT = 1024
_SMALL_FRACTIONS = tuple(Fraction(i) for i in range(-_SMALL_INT, _SMALL_INT + 1))


def _exact_row(r: list[Any] | tuple[Any, ...]) -> tuple[Fraction, ...] | None:
    """Fast path of the vector/matrix readers: a list or tuple whose entries are all
    exactly ``int`` or ``Fraction`` (not subclasses, not bool) as a tuple of Fractions,
    the same values :func:`as_rational` gives; ``None`` when any entry is of another type
    (the caller then takes the general path, which also produces the error messages)."""
    out = []
    small, lo, hi = _SMALL_FRACTIONS, -_SMALL_INT, _SMALL_INT
    for x in r:
        t = type(x)
        if t is Fraction:
            out.append(x)
        elif t is int:
            out.append(small[x + hi] if lo <= x <= hi else Fraction(x))
        else:
            return None
    return tuple(out)


def _rows_of(x: Any) -> Any:
    """Turn numpy / torch arrays into nested lists without touching their values' types."""
    tolist = getattr(x, "tolist", None)
    if tolist is not None and hasattr(x, "shape"):
        kind = getattr(getattr(x, "dtype", None), "kind", "O")
        if kind in "fc":
            return [[*r] for r in x] if len(x.shape) == 2 else list(x)  # keep numpy float scalars
        return tolist()
    return x


def as_rational_vector(
    v: Any, policy: PolicyLike | None = None, *, name: str = "vector", length: int | None = None
) -> tuple[Fraction, ...]:
    """Convert a 1-D sequence to a tuple of Fractions, checking its length if given.

    >>> as_rational_vector([1, "1/2"])
    (Fraction(1, 1), Fraction(1, 2))
    """
    fast = _exact_row(v) if type(v) is list or type(v) is tuple else None
    if fast is not None:
        if length is not None and len(fast) != length:
            raise InvalidInputError(f"{name} has length {len(fast)}, expected {length}")
        return fast
    v = _rows_of(v)
    if isinstance(v, (str, bytes)) or not isinstance(v, Iterable):
        raise InvalidInputError(f"{name} must be a 1-D sequence of numbers, got {type(v).__name__}")
    out = []
    for k, x in enumerate(v):
        if isinstance(x, (list, tuple)) or (hasattr(x, "shape") and getattr(x, "shape", ()) != ()):
            raise InvalidInputError(f"{name} must be 1-D, but entry {k} is a sequence")
        out.append(as_rational(x, policy, name=f"{name}[{k}]"))
    if length is not None and len(out) != length:
        raise InvalidInputError(f"{name} has length {len(out)}, expected {length}")
    return tuple(out)


def as_rational_matrix(
    rows: Any,
    policy: PolicyLike | None = None,
    *,
    name: str = "matrix",
    ncols: int | None = None,
    allow_empty: bool = True,
) -> tuple[tuple[Fraction, ...], ...]:
    """Convert a 2-D sequence (list of rows, numpy array) to a tuple of Fraction rows.

    Raises :class:`InvalidInputError` on ragged rows or a wrong number of columns.

    >>> as_rational_matrix([[1, 2], ["1/3", 0]])
    ((Fraction(1, 1), Fraction(2, 1)), (Fraction(1, 3), Fraction(0, 1)))
    >>> as_rational_matrix([[1, 2], [3]])
    Traceback (most recent call last):
    ...
    exactgeom.errors.InvalidInputError: matrix is ragged: row 1 has 1 entries, row 0 has 2
    """
    rows = _rows_of(rows)
    if isinstance(rows, (str, bytes)) or not isinstance(rows, Iterable):
        raise InvalidInputError(f"{name} must be a 2-D sequence of rows, got {type(rows).__name__}")
    out: list[tuple[Fraction, ...]] = []
    for i, r in enumerate(rows):
        row = _exact_row(r) if type(r) is list or type(r) is tuple else None
        if row is None:
            r = _rows_of(r)
            if isinstance(r, (str, bytes)) or not isinstance(r, (Sequence, Iterable)):
                raise InvalidInputError(f"{name} must be 2-D, but row {i} is {r!r}")
            row = as_rational_vector(r, policy, name=f"{name}[{i}]")
        if out and len(row) != len(out[0]):
            raise InvalidInputError(
                f"{name} is ragged: row {i} has {len(row)} entries, row 0 has {len(out[0])}"
            )
        out.append(row)
    if ncols is not None and out and len(out[0]) != ncols:
        raise InvalidInputError(f"{name} has {len(out[0])} columns, expected {ncols}")
    if not out and not allow_empty:
        raise InvalidInputError(f"{name} has no rows")
    return tuple(out)


def format_rational(q: Fraction) -> str:
    """Canonical string of a rational: ``"p/q"`` in lowest terms, or ``"p"`` when q = 1.

    >>> format_rational(Fraction(-6, 4)), format_rational(Fraction(3))
    ('-3/2', '3')
    """
    return str(q)
