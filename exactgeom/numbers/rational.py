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
import sys
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

from flint import fmpz

from ..errors import InexactInputError, InvalidInputError

__all__ = [
    "STR_BITS",
    "FloatPolicy",
    "float_below",
    "float_above",
    "PolicyLike",
    "as_rational",
    "as_rational_vector",
    "as_rational_matrix",
    "format_rational",
    "as_dimension",
    "int_to_decimal",
    "decimal_to_int",
    "unlimited_int_str_digits",
    "MAX_DIGITS",
    "ScopedSetting",
    "short_str",
]

#: Largest number of decimal digits a number given as text may expand to: the digits of an
#: integer, of a numerator or a denominator, or of a decimal mantissa plus the size of its
#: exponent (``"1e999999999"`` is refused at once instead of being expanded). Exact values
#: computed by exactgeom have no such limit; only parsing is bounded.
MAX_DIGITS = 1_000_000


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

    def convert(self, x: Any) -> Fraction:
        """Convert one finite binary float (``float``, a numpy floating scalar including
        ``np.longdouble``, or anything with ``as_integer_ratio``) by this policy.

        >>> FloatPolicy("exact").convert(0.25)
        Fraction(1, 4)
        >>> FloatPolicy("exact").convert(float("inf"))
        Traceback (most recent call last):
        ...
        exactgeom.errors.InvalidInputError: value is inf; only finite numbers can be converted
        """
        if isinstance(x, bool) or not hasattr(x, "as_integer_ratio"):
            raise InvalidInputError(f"FloatPolicy.convert needs a binary float, got {type(x).__name__} {x!r}")
        try:
            n, d = x.as_integer_ratio()
        except (OverflowError, ValueError):  # inf / nan
            raise InvalidInputError(f"value is {x}; only finite numbers can be converted") from None
        f = Fraction(int(n), int(d))
        if self.kind == "limit_denominator":
            assert self.max_denominator is not None
            f = f.limit_denominator(self.max_denominator)
        return f


PolicyLike = FloatPolicy | str | tuple[Any, ...]

_RATIONAL_STR = re.compile(
    r"\s*(?P<sign>[+-]?)(?P<int>[0-9]*)(?:\.(?P<frac>[0-9]*))?(?:[eE](?P<exp>[+-]?[0-9]+))?"
    r"(?:\s*/\s*(?P<dsign>[+-]?)(?P<den>[0-9]+))?\s*"
)

class ScopedSetting:
    """A process-wide interpreter setting (``get``/``set`` functions) changed while any
    ``with setting.changed(value)`` block runs, in any thread, and restored to its
    original value when the last such block ends; ``merge(current, value)`` gives the
    setting to use while blocks overlap.

    >>> s = ScopedSetting(sys.getrecursionlimit, sys.setrecursionlimit, max)
    >>> before = sys.getrecursionlimit()
    >>> with s.changed(before + 10):
    ...     sys.getrecursionlimit() - before
    10
    >>> sys.getrecursionlimit() == before
    True
    """

    def __init__(self, get: Any, set_: Any, merge: Any) -> None:
        self._get, self._set, self._merge = get, set_, merge
        self._lock = threading.Lock()
        self._users = 0
        self._saved: Any = None

    @contextmanager
    def changed(self, value: Any) -> Iterator[None]:
        with self._lock:
            if self._users == 0:
                self._saved = self._get()
            self._set(self._merge(self._get(), value))
            self._users += 1
        try:
            yield
        finally:
            with self._lock:
                self._users -= 1
                if self._users == 0:
                    self._set(self._saved)


def _no_limit(current: int, value: int) -> int:
    return 0  # 0 means "no limit" for sys.set_int_max_str_digits


_INT_DIGITS = (
    ScopedSetting(sys.get_int_max_str_digits, sys.set_int_max_str_digits, _no_limit)
    if hasattr(sys, "set_int_max_str_digits")
    else None  # Python < 3.11 has no limit
)


@contextmanager
def unlimited_int_str_digits() -> Iterator[None]:
    """Lift Python's limit on int↔str conversions (``sys.set_int_max_str_digits``) for
    the duration of a ``with`` block, and restore it afterwards.

    For third-party code that converts exact numbers through decimal strings (pycddlib
    does, both ways; :func:`json.dumps` does for integers). Re-entrant and thread-safe:
    the limit is restored when the last block running in any thread ends.

    >>> with unlimited_int_str_digits():
    ...     len(str(10**5000))
    5001
    """
    if _INT_DIGITS is None:  # pragma: no cover
        yield
        return
    with _INT_DIGITS.changed(0):
        yield


#: Integers of at most this many bits (~600 digits) are spelled by CPython's ``str``: faster
#: than flint's there, and far below its 4,300-digit limit.
STR_BITS = 2000


def int_to_decimal(n: int) -> str:
    """The decimal digits of an integer of any size (``str(n)`` stops at 4,300 digits).

    >>> len(int_to_decimal(-(10**5000)))
    5002
    """
    n = int(n)
    if n.bit_length() <= STR_BITS:
        return str(n)
    return str(fmpz(n))


def decimal_to_int(s: str, *, name: str = "value") -> int:
    """The integer written by the decimal digits ``s`` (optional sign, at most
    :data:`MAX_DIGITS` digits); ``int(s)`` stops at 4,300 digits.

    >>> decimal_to_int("-" + "9" * 5000) == -(10**5000 - 1)
    True
    """
    t = s.strip()
    body = t[1:] if t[:1] in "+-" else t
    if not body.isascii() or not body.isdigit():
        raise InvalidInputError(f"{name} {_short(s)} is not an integer")
    if len(body) > MAX_DIGITS:
        raise InvalidInputError(
            f"{name} has {len(body)} digits, more than exactgeom reads (MAX_DIGITS = {MAX_DIGITS})"
        )
    if len(body) <= 18:
        return int(t)
    v = int(fmpz(body))
    return -v if t[0] == "-" else v


def _short(s: str) -> str:
    return repr(s) if len(s) <= 60 else repr(s[:30] + "..." + s[-10:]) + f" ({len(s)} characters)"


def _too_big(name: str, s: str, size: int) -> InvalidInputError:
    return InvalidInputError(
        f"{name} {_short(s)} expands to about {size} digits, more than exactgeom reads "
        f"(MAX_DIGITS = {MAX_DIGITS}); check the exponent or give the value as 'p/q'"
    )


def _parse_rational_str(x: str, name: str) -> Fraction:
    """A decimal, exponent or ``p/q`` string as an exact Fraction, bounding the size of
    the result before expanding it and never going through ``int(str)``."""
    m = _RATIONAL_STR.fullmatch(x)
    if not m or not (m["int"] or m["frac"]):
        raise InvalidInputError(
            f"{name} {_short(x)} is not a rational number string; write e.g. '-3/7', '0.25' or '1e-3'"
        )
    ip, fp = m["int"], m["frac"] or ""
    exp_s = m["exp"]
    if exp_s is not None and len(exp_s.lstrip("+-").lstrip("0")) > 12:
        raise _too_big(name, x, 10**12)
    e = (int(exp_s) if exp_s is not None else 0) - len(fp)
    mant = (ip + fp).lstrip("0")
    den_s = m["den"]
    size = len(mant) + abs(e) + (len(den_s) if den_s else 0)
    if size > MAX_DIGITS:
        raise _too_big(name, x, size)
    num = decimal_to_int(mant, name=name) if mant else 0
    if m["sign"] == "-":
        num = -num
    den = 1
    if den_s is not None:
        den = decimal_to_int(den_s, name=name)
        if den == 0:
            raise InvalidInputError(f"{name} {_short(x)} is not a valid rational: its denominator is 0")
        if m["dsign"] == "-":
            den = -den
    if e >= 0:
        return Fraction(num * 10**e, den)
    return Fraction(num, den * 10**-e)


def _decimal_to_fraction(x: Decimal, name: str) -> Fraction:
    if not x.is_finite():
        raise InvalidInputError(f"{name} is {x}; only finite numbers can be converted")
    _sign, digits, exp = x.as_tuple()
    assert isinstance(exp, int)
    size = len(digits) + abs(exp)
    if size > MAX_DIGITS:
        raise _too_big(name, f"Decimal('{x}')", size)
    return Fraction(x)


def _is_float_like(x: Any) -> bool:
    if isinstance(x, float):
        return True
    # numpy floating scalars without importing numpy
    mod = type(x).__module__
    if mod.startswith("numpy") and hasattr(x, "dtype"):
        return getattr(x.dtype, "kind", "") == "f"
    return False


def _refuse_kind(x: Any, name: str) -> None:
    """Refuse booleans and complex numbers (Python, numpy, torch) with a clear message."""
    if isinstance(x, bool) or (type(x).__module__.startswith("numpy") and getattr(getattr(x, "dtype", None), "kind", "") == "b"):
        raise InvalidInputError(
            f"{name} is the boolean {x!r}, not a number; pass 0 or 1 if a number is meant"
        )
    if isinstance(x, complex) or getattr(getattr(x, "dtype", None), "kind", "") == "c":
        raise InvalidInputError(
            f"{name} is the complex number {x!r}; exactgeom works over the rationals and never "
            "drops an imaginary part: pass the real part explicitly (x.real) if that is meant"
        )


def _from_torch_scalar(x: Any, policy: PolicyLike | None, name: str) -> Fraction:
    """A one-element torch tensor: integers exactly, floats by the policy."""
    dt = x.dtype
    if x.numel() != 1:
        raise InvalidInputError(f"{name} is a tensor of shape {tuple(x.shape)}, not a single number")
    if dt.is_complex:
        raise InvalidInputError(
            f"{name} is a complex tensor ({dt}); exactgeom never drops an imaginary part: pass x.real"
        )
    if str(dt) == "torch.bool":
        raise InvalidInputError(f"{name} is a boolean tensor, not a number")
    if not dt.is_floating_point:
        return Fraction(int(x.item()))  # integer tensors are exact
    return as_rational(float(x.item()), policy, name=name)  # every torch float is a double exactly


def _from_mpf(x: Any, mpf: Any, policy: PolicyLike | None, name: str) -> Fraction:
    """A binary floating-point number of arbitrary precision (``mpmath.mpf``,
    ``sympy.Float``: mpmath's ``_mpf_`` protocol, a tuple ``(sign, man, exp, bc)`` worth
    ``(-1)^sign · man · 2^exp``) by the float policy, exactly like a float."""
    try:
        sign, man, exp, bc = mpf
        man, exp, bc = int(man), int(exp), int(bc)
    except (TypeError, ValueError):
        raise InvalidInputError(f"{name} {short_str(x)} of type {type(x).__name__} is not a number exactgeom can read") from None
    if man == 0 and bc < 0:  # mpmath's special values: inf, -inf, nan
        raise InvalidInputError(f"{name} is {x}; only finite numbers can be converted")
    if policy is None:
        raise InexactInputError(
            f"got the binary float {short_str(x)} ({type(x).__name__}) where an exact rational is required; "
            "pass exact values (int, Fraction, 'p/q' strings, sympy.Rational) or choose a float policy, "
            "e.g. policy='exact' (exact binary value) or policy='limit_denominator(1000)'"
        )
    if abs(exp) > 4 * MAX_DIGITS:
        raise InvalidInputError(
            f"{name} {short_str(x)} has the binary exponent {exp}, more than exactgeom reads "
            f"(about {MAX_DIGITS} digits)"
        )
    v = Fraction(man << exp) if exp >= 0 else Fraction(man, 1 << -exp)
    f = -v if sign else v
    pol = FloatPolicy.parse(policy)
    if pol.kind == "limit_denominator":
        assert pol.max_denominator is not None
        f = f.limit_denominator(pol.max_denominator)
    return f


_POLICIES_SEEN: set[Any] = set()


def _check_policy(policy: Any) -> None:
    """Refuse an unknown float policy at once, even where no float needs it (a typo
    such as ``"limit_denominator(1000"`` would otherwise pass unnoticed until a float
    arrives). Valid policies are remembered, so the check costs a set look-up."""
    if isinstance(policy, FloatPolicy):
        return
    try:
        if policy in _POLICIES_SEEN:
            return
    except TypeError:  # unhashable: parse refuses it below
        pass
    FloatPolicy.parse(policy)
    if len(_POLICIES_SEEN) < 256:
        _POLICIES_SEEN.add(policy)


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
    if policy is not None:
        _check_policy(policy)
    if type(x).__name__ == "ndarray" and getattr(x, "shape", None) == ():
        x = x[()]  # a 0-d numpy array: its scalar (np.longdouble keeps its exact value)
    _refuse_kind(x, name)
    if isinstance(x, int):
        return Fraction(x)
    if isinstance(x, str):
        return _parse_rational_str(x, name)
    if isinstance(x, Decimal):
        return _decimal_to_fraction(x, name)
    if type(x).__module__.startswith("torch") and hasattr(x, "dtype") and hasattr(x, "numel"):
        return _from_torch_scalar(x, policy, name)
    if _is_float_like(x):
        # float-policy boundary: converted only by an explicit policy; np.longdouble keeps
        # its exact value (as_integer_ratio), never rounded to a double first
        # NaN/inf tested on the value itself: float(x) would overflow a finite np.longdouble
        # beyond the double range (1e4000) to inf and refuse it wrongly
        if x != x or x == math.inf or x == -math.inf:
            raise InvalidInputError(f"{name} is {x}; only finite numbers can be converted")
        if policy is None:
            raise InexactInputError(
                f"got the float {x!r} where an exact rational is required; pass exact values "
                "(int, Fraction, 'p/q' strings) or choose a float policy, e.g. policy='exact' "
                "(exact binary value) or policy='limit_denominator(1000)'"
            )
        return FloatPolicy.parse(policy).convert(x)
    mpf = getattr(x, "_mpf_", None)
    if mpf is not None and not callable(mpf):
        return _from_mpf(x, mpf, policy, name)
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
        dt = getattr(x, "dtype", None)
        kind = getattr(dt, "kind", None)
        if kind is None and dt is not None and type(x).__module__.startswith("torch"):
            # torch tensors: integers are exact as Python ints; floats are doubles exactly
            if dt.is_complex:
                raise InvalidInputError(f"a complex tensor ({dt}) cannot be converted; pass its real part")
            kind = "f" if dt.is_floating_point else ("b" if str(dt) == "torch.bool" else "i")
            if kind == "f":
                return x.detach().cpu().double().tolist()
            if kind == "b":
                return [[*r] for r in x] if len(x.shape) == 2 else list(x)
            return x.detach().cpu().tolist()
        kind = kind or "O"
        if kind in "fcb":
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
    if policy is not None:
        _check_policy(policy)
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
    if policy is not None:
        _check_policy(policy)
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
    """Canonical string of a rational: ``"p/q"`` in lowest terms, or ``"p"`` when q = 1
    (any size: never limited by Python's 4,300-digit int-to-str limit).

    >>> format_rational(Fraction(-6, 4)), format_rational(Fraction(3))
    ('-3/2', '3')
    """
    q = Fraction(q)
    if q.denominator == 1:
        return int_to_decimal(q.numerator)
    return f"{int_to_decimal(q.numerator)}/{int_to_decimal(q.denominator)}"


def short_str(x: Any, limit: int = 40) -> str:
    """Text of a value for an error message: never fails and never runs long.

    Integers and rationals of any size print exactly (``"p/q"``) while short, else as
    their leading and trailing digits and their length (``str()`` of a Fraction stops
    at 4,300 digits with a ``ValueError``); tuples and lists element by element; any
    other value by its ``repr``, shortened.

    >>> short_str(Fraction(-3, 7)), short_str((1, Fraction(1, 2))), short_str(((0, 1),))
    ('-3/7', '(1, 1/2)', '((0, 1),)')
    >>> short_str(10**5000 + 1)
    '1000000000...0000000001 (5001 digits)'
    >>> short_str(Fraction(1, 10**300))
    '1/1000000000...0000000000 (301 digits)'
    """
    if isinstance(x, (tuple, list)):
        body = ", ".join(short_str(v, limit) for v in x[:8]) + (", ..." if len(x) > 8 else "")
        if isinstance(x, list):
            return f"[{body}]"
        return f"({body},)" if len(x) == 1 else f"({body})"
    if isinstance(x, (int, Fraction)) and not isinstance(x, bool):
        q = Fraction(x)
        parts = [_short_digits(q.numerator, limit)]
        if q.denominator != 1:
            parts.append(_short_digits(q.denominator, limit))
        return "/".join(parts)
    try:
        t = repr(x)
    except ValueError:  # a container of huge ints
        return f"<{type(x).__name__}>"
    return t if len(t) <= limit + 20 else t[:limit] + "..."


def _short_digits(n: int, limit: int) -> str:
    if n.bit_length() <= 3 * limit:  # < limit digits
        return str(n)
    t = int_to_decimal(n)
    if len(t) <= limit:
        return t
    sign = "-" if t[0] == "-" else ""
    d = t.lstrip("-")
    return f"{sign}{d[:10]}...{d[-10:]} ({len(d)} digits)"


def as_dimension(n: Any, *, name: str = "dimension", minimum: int = 1) -> int:
    """Check a dimension or count: an integer (not a bool, not a float) ``>= minimum``.

    >>> as_dimension(3)
    3
    >>> as_dimension(True)
    Traceback (most recent call last):
    ...
    exactgeom.errors.InvalidInputError: dimension must be a positive int, got the boolean True
    """
    want = "a positive int" if minimum == 1 else f"an int >= {minimum}"
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        what = f"the boolean {n!r}" if isinstance(n, bool) else f"{type(n).__name__} {n!r}"
        raise InvalidInputError(f"{name} must be {want}, got {what}")
    if n < minimum:
        raise InvalidInputError(f"{name} must be {want}, got {int(n)}")
    return int(n)


def float_below(x: Fraction | int) -> float:
    """A float ``<= x`` (one step below the correctly rounded value; ``-inf`` or the
    largest float when ``x`` is beyond the float range). Used only to *discard*
    candidates before an exact comparison, never to decide one.

    >>> float_below(Fraction(1, 3)) < 1 / 3 < float_above(Fraction(1, 3))
    True
    >>> float_below(-(10**400)), float_above(10**400)
    (-inf, inf)
    """
    try:
        return math.nextafter(float(x), -math.inf)
    except OverflowError:
        return -math.inf if x < 0 else sys.float_info.max


def float_above(x: Fraction | int) -> float:
    """A float ``>= x`` (see :func:`float_below`)."""
    try:
        return math.nextafter(float(x), math.inf)
    except OverflowError:
        return math.inf if x > 0 else -sys.float_info.max
