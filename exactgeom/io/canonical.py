"""Canonical strings for exact numbers, and canonical JSON text.

Every number in an exactgeom fixture is a string in one canonical form, so that a
fixture is byte-for-byte reproducible and readable by any language:

==================  ===========================================  =====================
kind                form                                         example
==================  ===========================================  =====================
rational            ``"p/q"`` in lowest terms, ``q > 1``;         ``"-3/2"``, ``"4"``
                    an integer as ``"p"``
surd ``q·√d``       ``str(Surd)``: ``"<q>*sqrt(<d>)"``, or the     ``"3/2*sqrt(5)"``
                    rational alone when ``d = 1``
sum of surds        ``str(SurdSum)`` (terms sorted by radicand)  ``"1 - 1*sqrt(2)"``
angle               ``"arccos(<surd>)"``                         ``"arccos(1/3)"``
enclosure           ``["lo", "hi"]``: plain decimals (no          ``["1.4142", "1.4143"]``
                    exponent), certified ``lo ≤ x ≤ hi``
==================  ===========================================  =====================

Parsing is strict (:func:`parse_rational` refuses ``"2/4"``, ``"0.5"`` and ``" 1"``):
a fixture that is not canonical is reported, not silently repaired.

>>> from fractions import Fraction
>>> rational_str(Fraction(6, -4)), parse_rational("-3/2")
('-3/2', Fraction(-3, 2))
>>> decimal_str(Fraction(1, 3), 5, up=True), decimal_str(Fraction(-1, 8), 5, up=False)
('0.33334', '-0.125')
>>> canonical_json({"b": [1, "1/2"], "a": None})
'{\\n "a": null,\\n "b": [\\n  1,\\n  "1/2"\\n ]\\n}\\n'
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Hashable, Sequence
from fractions import Fraction
from typing import Any

from ..errors import InvalidInputError
from ..numbers.angle import Angle
from ..numbers.ball import Enclosure
from ..numbers.surd import Surd
from ..numbers.surdsum import SurdSum

__all__ = [
    "rational_str",
    "parse_rational",
    "vector_str",
    "parse_vector",
    "matrix_str",
    "parse_matrix",
    "surd_str",
    "parse_surd",
    "surdsum_str",
    "parse_surdsum",
    "angle_str",
    "parse_angle",
    "decimal_str",
    "enclosure_json",
    "parse_enclosure",
    "key_to_json",
    "key_from_json",
    "canonical_json",
    "RATIONAL_PATTERN",
]

#: Regular expression of a canonical rational string (lowest terms checked separately).
RATIONAL_PATTERN = r"-?(0|[1-9][0-9]*)(/[1-9][0-9]*)?"
_RAT = re.compile(RATIONAL_PATTERN)
_DEC = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?")


def rational_str(q: Fraction | int) -> str:
    """Canonical string of a rational: ``"p/q"`` in lowest terms or ``"p"``.

    >>> rational_str(Fraction(4, 2)), rational_str(0), rational_str(Fraction(-1, 3))
    ('2', '0', '-1/3')
    """
    if isinstance(q, bool) or not isinstance(q, (int, Fraction)):
        raise InvalidInputError(f"expected an exact rational, got {type(q).__name__} {q!r}")
    return str(Fraction(q))


def parse_rational(s: Any, *, where: str = "value") -> Fraction:
    """Read a canonical rational string (strict: lowest terms, no spaces, no decimals).

    >>> parse_rational("7"), parse_rational("-2/3")
    (Fraction(7, 1), Fraction(-2, 3))
    >>> parse_rational("2/4")
    Traceback (most recent call last):
    ...
    exactgeom.errors.InvalidInputError: value '2/4' is not a canonical rational ...
    """
    if not isinstance(s, str) or not _RAT.fullmatch(s) or s == "-0":
        raise InvalidInputError(
            f"{where} {s!r} is not a canonical rational string; write 'p/q' in lowest terms or 'p'"
        )
    q = Fraction(s)
    if str(q) != s:
        raise InvalidInputError(
            f"{where} {s!r} is not a canonical rational string; write 'p/q' in lowest terms "
            f"('{q}')"
        )
    return q


def vector_str(v: Sequence[Fraction | int]) -> list[str]:
    """A vector as a list of canonical rational strings."""
    return [rational_str(x) for x in v]


def parse_vector(v: Any, *, where: str = "vector") -> tuple[Fraction, ...]:
    """Read a list of canonical rational strings."""
    if not isinstance(v, list):
        raise InvalidInputError(f"{where} must be a list of rational strings")
    return tuple(parse_rational(x, where=f"{where}[{k}]") for k, x in enumerate(v))


def matrix_str(rows: Sequence[Sequence[Fraction | int]]) -> list[list[str]]:
    """A matrix (rows) as nested lists of canonical rational strings."""
    return [vector_str(r) for r in rows]


def parse_matrix(rows: Any, *, where: str = "matrix") -> tuple[tuple[Fraction, ...], ...]:
    """Read nested lists of canonical rational strings."""
    if not isinstance(rows, list):
        raise InvalidInputError(f"{where} must be a list of rows")
    return tuple(parse_vector(r, where=f"{where}[{i}]") for i, r in enumerate(rows))


def surd_str(x: Surd | Fraction | int) -> str:
    """Canonical string of a surd (``str(Surd)``); rationals print as rationals.

    >>> surd_str(Surd(1, 8)), surd_str(Fraction(1, 2))
    ('2*sqrt(2)', '1/2')
    """
    if isinstance(x, Surd):
        return str(x)
    return rational_str(x)


def parse_surd(s: Any, *, where: str = "surd") -> Surd:
    """Read a canonical surd string; refuses non-canonical spellings (``"sqrt(8)"``).

    >>> parse_surd("3/2*sqrt(5)")
    Surd('3/2*sqrt(5)')
    """
    if not isinstance(s, str):
        raise InvalidInputError(f"{where} {s!r} is not a surd string")
    x = Surd.parse(s)
    if str(x) != s:
        raise InvalidInputError(f"{where} {s!r} is not a canonical surd string ('{x}')")
    return x


def surdsum_str(x: SurdSum | Surd | Fraction | int) -> str:
    """Canonical string of a sum of surds (``str(SurdSum)``)."""
    if isinstance(x, SurdSum):
        return str(x)
    return str(SurdSum(x))


def parse_surdsum(s: Any, *, where: str = "surd sum") -> SurdSum:
    """Read a canonical sum-of-surds string.

    >>> parse_surdsum("1 - 1*sqrt(2)")
    SurdSum('1 - 1*sqrt(2)')
    """
    if not isinstance(s, str):
        raise InvalidInputError(f"{where} {s!r} is not a surd-sum string")
    x = SurdSum.parse(s)
    if str(x) != s:
        raise InvalidInputError(f"{where} {s!r} is not a canonical surd-sum string ('{x}')")
    return x


def angle_str(a: Angle) -> str:
    """``"arccos(<surd>)"``.

    >>> angle_str(Angle(0))
    'arccos(0)'
    """
    return str(a)


def parse_angle(s: Any, *, where: str = "angle") -> Angle:
    """Read ``"arccos(<canonical surd>)"``."""
    if not isinstance(s, str):
        raise InvalidInputError(f"{where} {s!r} is not an angle string")
    a = Angle.parse(s)
    if str(a) != s:
        raise InvalidInputError(f"{where} {s!r} is not a canonical angle string ('{a}')")
    return a


def _is_finite_decimal(x: Fraction) -> bool:
    d = x.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    return d == 1


def _plain(n: int, e: int) -> str:
    """The decimal ``n·10^e`` without exponent and without trailing zeros."""
    if n == 0:
        return "0"
    sign = "-" if n < 0 else ""
    digits = str(abs(n))
    if e >= 0:
        return sign + digits + "0" * e
    k = -e
    if len(digits) <= k:
        digits = "0" * (k - len(digits) + 1) + digits
    whole, frac = digits[:-k], digits[-k:].rstrip("0")
    return sign + whole + ("." + frac if frac else "")


def decimal_str(x: Fraction, digits: int, *, up: bool) -> str:
    """Plain decimal string of ``x``: exact when ``x`` has at most ``digits`` significant
    digits, else rounded to ``digits`` significant digits towards ``+∞`` (``up``) or
    ``−∞``. No exponent, no trailing zeros.

    >>> decimal_str(Fraction(90), 5, up=False), decimal_str(Fraction(2, 3), 3, up=False)
    ('90', '0.666')
    """
    x = Fraction(x)
    if x == 0:
        return "0"
    ax = abs(x)
    e = math.floor(math.log10(ax.numerator) - math.log10(ax.denominator))
    # fix the floor of log10 exactly
    while Fraction(10) ** e > ax:
        e -= 1
    while Fraction(10) ** (e + 1) <= ax:
        e += 1
    shift = digits - 1 - e
    scaled = x * Fraction(10) ** shift
    if _is_finite_decimal(x) and scaled.denominator == 1:
        return _plain(int(scaled), -shift)
    n = math.ceil(scaled) if up else math.floor(scaled)
    return _plain(n, -shift)


def enclosure_json(e: Enclosure, digits: int) -> list[str]:
    """A certified enclosure as ``["lo", "hi"]`` (outward-rounded plain decimals).

    >>> enclosure_json(Enclosure(Fraction(1, 3), Fraction(2, 3)), 4)
    ['0.3333', '0.6667']
    """
    return [decimal_str(e.lo, digits, up=False), decimal_str(e.hi, digits, up=True)]


def parse_enclosure(v: Any, *, where: str = "enclosure") -> Enclosure:
    """Read ``["lo", "hi"]`` into an :class:`~exactgeom.numbers.Enclosure`."""
    if not (isinstance(v, list) and len(v) == 2 and all(isinstance(s, str) and _DEC.fullmatch(s) for s in v)):
        raise InvalidInputError(f"{where} {v!r} is not a pair of plain decimal strings ['lo', 'hi']")
    lo, hi = Fraction(v[0]), Fraction(v[1])
    if lo > hi:
        raise InvalidInputError(f"{where} {v!r} has lo > hi")
    return Enclosure(lo, hi)


def key_to_json(key: Hashable) -> Any:
    """A cell key as JSON: tuples become lists (recursively); ints, strings and bools stay.

    >>> key_to_json((1, -1, (0, 1)))
    [1, -1, [0, 1]]
    """
    if isinstance(key, (bool, str)) or key is None:
        return key
    if isinstance(key, int):
        return int(key)
    if isinstance(key, (tuple, list)):
        return [key_to_json(k) for k in key]
    if isinstance(key, Fraction):
        return rational_str(key)
    if hasattr(key, "__index__"):  # numpy integers
        return int(key.__index__())
    raise InvalidInputError(f"cell key {key!r} of type {type(key).__name__} cannot be written to JSON")


def key_from_json(obj: Any) -> Hashable:
    """Inverse of :func:`key_to_json`: lists become tuples (recursively).

    >>> key_from_json([1, -1, [0, 1]])
    (1, -1, (0, 1))
    """
    if isinstance(obj, list):
        return tuple(key_from_json(x) for x in obj)
    if isinstance(obj, dict):
        raise InvalidInputError("a cell key cannot be a JSON object")
    return obj


def canonical_json(obj: Any) -> str:
    """The canonical text of a JSON document: sorted keys, one-space indent, ASCII only,
    a trailing newline. Floats are refused (every number of a fixture is a string or an
    integer count)."""
    _refuse_floats(obj)
    return json.dumps(obj, sort_keys=True, indent=1, ensure_ascii=True) + "\n"


def _refuse_floats(obj: Any, path: str = "$") -> None:
    if isinstance(obj, float):
        raise InvalidInputError(f"float {obj!r} at {path} in a canonical document; write it as a string")
    if isinstance(obj, dict):
        for k, v in obj.items():
            if not isinstance(k, str):
                raise InvalidInputError(f"non-string key {k!r} at {path}")
            _refuse_floats(v, f"{path}.{k}")
    elif isinstance(obj, (list, tuple)):
        for i, v in enumerate(obj):
            _refuse_floats(v, f"{path}[{i}]")
