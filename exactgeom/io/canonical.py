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
import sys
from collections.abc import Hashable, Iterator, Sequence
from contextlib import contextmanager
from fractions import Fraction
from typing import Any

from ..errors import InvalidInputError
from ..numbers.angle import Angle
from ..numbers.ball import Enclosure, _floor_log10
from ..numbers.rational import (
    MAX_DIGITS,
    STR_BITS,
    ScopedSetting,
    as_rational,
    decimal_to_int,
    format_rational,
    int_to_decimal,
    unlimited_int_str_digits,
)
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
    "canonical_document_parts",
    "loads_json",
    "RATIONAL_PATTERN",
    "MAX_JSON_DEPTH",
]

#: Deepest nesting of a JSON document exactgeom reads or writes (a decision tree of depth
#: 1,200 needs about 1,200 levels); deeper documents are refused with a clear message.
MAX_JSON_DEPTH = 5000

#: Regular expression of a canonical rational string (lowest terms checked separately).
RATIONAL_PATTERN = r"-?(0|[1-9][0-9]*)(/[1-9][0-9]*)?"
_RAT = re.compile(RATIONAL_PATTERN)
_DEC = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?")


def rational_str(q: Fraction | int) -> str:
    """Canonical string of a rational: ``"p/q"`` in lowest terms or ``"p"``.

    >>> rational_str(Fraction(4, 2)), rational_str(0), rational_str(Fraction(-1, 3))
    ('2', '0', '-1/3')
    """
    t = type(q)
    if t is Fraction:  # the common cases first, without a copy
        num, den = q.numerator, q.denominator
        if num.bit_length() <= STR_BITS and den.bit_length() <= STR_BITS:  # int_to_decimal's str() range
            return f"{num}" if den == 1 else f"{num}/{den}"
        return int_to_decimal(num) if den == 1 else f"{int_to_decimal(num)}/{int_to_decimal(den)}"
    if t is int:
        return int_to_decimal(q)
    if isinstance(q, bool) or not isinstance(q, (int, Fraction)):
        raise InvalidInputError(f"expected an exact rational, got {type(q).__name__} {q!r}")
    return format_rational(Fraction(q))


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
    num_s, _, den_s = s.partition("/")
    num = decimal_to_int(num_s, name=where)
    den = decimal_to_int(den_s, name=where) if den_s else 1
    if (den == 1 and den_s) or math.gcd(num, den) != 1:
        raise InvalidInputError(
            f"{where} {s[:60]!r} is not a canonical rational string; write 'p/q' in lowest terms "
            f"('{rational_str(Fraction(num, den))[:60]}')"
        )
    return Fraction(num, den)


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
    if isinstance(x, Surd):  # str(Surd), with digit strings of any length
        c = rational_str(x.coeff)
        return c if x.radicand == 1 else f"{c}*sqrt({int_to_decimal(x.radicand)})"
    return rational_str(x)


def parse_surd(s: Any, *, where: str = "surd") -> Surd:
    """Read a canonical surd string; refuses non-canonical spellings (``"sqrt(8)"``).

    >>> parse_surd("3/2*sqrt(5)")
    Surd('3/2*sqrt(5)')
    """
    if not isinstance(s, str):
        raise InvalidInputError(f"{where} {s!r} is not a surd string")
    _bounded(s, where)
    with unlimited_int_str_digits():
        x = Surd.parse(s)
        ok = str(x) == s
    if not ok:
        raise InvalidInputError(f"{where} {s!r} is not a canonical surd string ('{x}')")
    return x


def surdsum_str(x: SurdSum | Surd | Fraction | int) -> str:
    """Canonical string of a sum of surds (``str(SurdSum)``)."""
    with unlimited_int_str_digits():
        return str(x) if isinstance(x, SurdSum) else str(SurdSum(x))


def parse_surdsum(s: Any, *, where: str = "surd sum") -> SurdSum:
    """Read a canonical sum-of-surds string.

    >>> parse_surdsum("1 - 1*sqrt(2)")
    SurdSum('1 - 1*sqrt(2)')
    """
    if not isinstance(s, str):
        raise InvalidInputError(f"{where} {s!r} is not a surd-sum string")
    _bounded(s, where)
    with unlimited_int_str_digits():
        x = SurdSum.parse(s)
        ok = str(x) == s
    if not ok:
        raise InvalidInputError(f"{where} {s!r} is not a canonical surd-sum string ('{x}')")
    return x


def angle_str(a: Angle) -> str:
    """``"arccos(<surd>)"``.

    >>> angle_str(Angle(0))
    'arccos(0)'
    """
    c = a.cos
    if isinstance(c, Surd):  # str(Angle), with digit strings of any length
        return f"arccos({surd_str(c)})"
    with unlimited_int_str_digits():
        return str(a)


def parse_angle(s: Any, *, where: str = "angle") -> Angle:
    """Read ``"arccos(<canonical surd>)"``."""
    if not isinstance(s, str):
        raise InvalidInputError(f"{where} {s!r} is not an angle string")
    _bounded(s, where)
    with unlimited_int_str_digits():
        a = Angle.parse(s)
        ok = str(a) == s
    if not ok:
        raise InvalidInputError(f"{where} {s!r} is not a canonical angle string ('{a}')")
    return a


def _bounded(s: str, where: str) -> None:
    """Refuse number strings longer than the parsers' digit bound before parsing them."""
    if len(s) > 2 * MAX_DIGITS + 100:
        raise InvalidInputError(
            f"{where} is a string of {len(s)} characters, more than exactgeom reads (MAX_DIGITS = {MAX_DIGITS})"
        )


def _plain(n: int, e: int) -> str:
    """The decimal ``n·10^e`` without exponent and without trailing zeros."""
    if n == 0:
        return "0"
    sign = "-" if n < 0 else ""
    digits = int_to_decimal(abs(n))
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
    shift = digits - 1 - _floor_log10(abs(x))
    p, q = x.numerator, x.denominator
    num, den = (p * 10**shift, q) if shift >= 0 else (p, q * 10**-shift)
    # x·10^shift rounded (exact when it is an integer), in integer arithmetic
    return _plain(-(-num // den) if up else num // den, -shift)


def enclosure_json(e: Enclosure, digits: int) -> list[str]:
    """A certified enclosure as ``["lo", "hi"]`` (outward-rounded plain decimals).

    >>> enclosure_json(Enclosure(Fraction(1, 3), Fraction(2, 3)), 4)
    ['0.3333', '0.6667']
    """
    return [decimal_str(e.lo, digits, up=False), decimal_str(e.hi, digits, up=True)]


def _arb_enclosure_json(b: Any, digits: int) -> list[str]:
    """``enclosure_json(Enclosure.from_arb(b, digits), digits)`` of a finite arb ball, in
    integer arithmetic: the bounds ``mid ∓ rad`` are exact dyadics ``N·2^e``, each rounded
    outward to ``digits`` significant digits and spelled as a plain decimal (the same
    rounding as :meth:`Enclosure.from_arb`, the same spelling as :func:`decimal_str`).

    >>> from flint import arb
    >>> from exactgeom.numbers.ball import working_precision
    >>> with working_precision(80):
    ...     b = arb(2).sqrt()
    >>> _arb_enclosure_json(b, 12) == enclosure_json(Enclosure.from_arb(b, 12), 12)
    True
    """
    mm, me = b.mid().man_exp()
    rm, rexp = b.rad().man_exp()
    mm, me, rm, rexp = int(mm), int(me), int(rm), int(rexp)
    e = min(me, rexp) if rm else me
    m = mm << (me - e)
    r = rm << (rexp - e) if rm else 0
    return [_dyadic_decimal(m - r, e, digits, up=False), _dyadic_decimal(m + r, e, digits, up=True)]


def _dyadic_decimal(n: int, e: int, digits: int, up: bool) -> str:
    """The plain decimal of ``n·2^e`` rounded to ``digits`` significant digits towards
    ``+∞`` (``up``) or ``−∞``."""
    if n == 0:
        return "0"
    p, q = (n << e, 1) if e >= 0 else (n, 1 << -e)
    shift = digits - 1 - _floor_log10(Fraction(abs(p), q))
    num, den = (p * 10**shift, q) if shift >= 0 else (p, q * 10**-shift)
    return _plain(-(-num // den) if up else num // den, -shift)


def parse_enclosure(v: Any, *, where: str = "enclosure") -> Enclosure:
    """Read ``["lo", "hi"]`` into an :class:`~exactgeom.numbers.Enclosure`."""
    if not (isinstance(v, list) and len(v) == 2 and all(isinstance(s, str) and _DEC.fullmatch(s) for s in v)):
        raise InvalidInputError(f"{where} {v!r} is not a pair of plain decimal strings ['lo', 'hi']")
    lo, hi = as_rational(v[0], name=where), as_rational(v[1], name=where)
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
    integer count). Integers of any size are written exactly; documents nested deeper than
    :data:`MAX_JSON_DEPTH` are refused."""
    with _json_limits():
        try:
            return _encode(obj, "\n") + "\n"
        except _NotCanonical:
            _refuse_floats(obj)  # names the float, the key or the depth, with its path
            raise InvalidInputError("the document cannot be written as canonical JSON") from None  # pragma: no cover
        except TypeError:
            _refuse_floats(obj)  # a float anywhere is named first, as json.dumps would be reached after
            raise
        except RecursionError:
            raise InvalidInputError(f"the document is nested deeper than {MAX_JSON_DEPTH} levels") from None


def canonical_document_parts(doc: dict[str, Any], memo: dict[str, tuple[Any, bytes]], keep: Any = ()) -> list[bytes]:
    """``canonical_json(doc).encode("ascii")`` in pieces (their concatenation), for a
    document written again and again while it grows (``exactgeom analyse`` writes its
    result after each section; :func:`~exactgeom.io.atomic.write_atomic` takes the list).

    The text of a top-level member whose key is in ``keep`` is stored in ``memo`` with
    the value it was made from, and reused while ``doc[key]`` is that same object: such
    a member must not be changed after it is first written (the sections of a fixture
    are built once). Every other member is encoded afresh.

    >>> memo = {}
    >>> doc = {"b": [1, "1/2"], "a": None}
    >>> b"".join(canonical_document_parts(doc, memo, keep={"b"})) == canonical_json(doc).encode("ascii")
    True
    >>> doc["c"] = {"x": "1"}
    >>> b"".join(canonical_document_parts(doc, memo, keep={"b", "c"})) == canonical_json(doc).encode("ascii")
    True
    """
    if not isinstance(doc, dict) or not doc or not all(isinstance(k, str) for k in doc):
        return [canonical_json(doc).encode("ascii")]  # (refuses a non-string key with the usual message)
    parts: list[bytes] = []
    with _json_limits():
        for k in sorted(doc):
            v = doc[k]
            hit = memo.get(k) if k in keep else None
            if hit is not None and hit[0] is v:
                text = hit[1]
            else:
                try:
                    text = (_ESC(k) + ": " + _encode(v, "\n ")).encode("ascii")
                except (_NotCanonical, TypeError, RecursionError):
                    return [canonical_json(doc).encode("ascii")]  # refuses it with the usual message
                if k in keep:
                    memo[k] = (v, text)
            parts.extend((b",\n " if parts else b"{\n ", text))
    parts.append(b"\n}\n")
    return parts


class _NotCanonical(Exception):
    """A float, a non-string key or too deep a nesting (:func:`_refuse_floats` says where)."""


_ESC = json.encoder.encode_basestring_ascii  # the json module's (C) string encoder


def _encode(x: Any, ind: str) -> str:
    """The text ``json.dumps(x, sort_keys=True, indent=1, ensure_ascii=True)`` gives
    (one walk instead of json's pure-Python indented encoder and a separate float walk);
    ``ind`` is the newline plus the current indentation (one frame per level)."""
    if len(ind) > MAX_JSON_DEPTH + 1:
        raise _NotCanonical
    if isinstance(x, str):
        return _ESC(x)
    if x is None:
        return "null"
    if x is True:
        return "true"
    if x is False:
        return "false"
    if isinstance(x, int):
        return int.__repr__(x)
    if isinstance(x, float):
        raise _NotCanonical
    parts: list[str] = []
    inner = ind + " "
    if isinstance(x, (list, tuple)):
        if not x:
            return "[]"
        if len(inner) <= MAX_JSON_DEPTH + 1 and all(type(v) is str for v in x):  # exact strings: no call each
            return "[" + inner + ("," + inner).join(map(_ESC, x)) + ind + "]"
        for v in x:
            parts.append(_encode(v, inner))
        return "[" + inner + ("," + inner).join(parts) + ind + "]"
    if isinstance(x, dict):
        if not x:
            return "{}"
        for k in x:
            if not isinstance(k, str):
                raise _NotCanonical
        for k in sorted(x):
            parts.append(_ESC(k) + ": " + _encode(x[k], inner))
        return "{" + inner + ("," + inner).join(parts) + ind + "}"
    raise TypeError(f"Object of type {type(x).__name__} is not JSON serializable")


def loads_json(text: str | bytes, where: str = "JSON text") -> Any:
    """Read a JSON document: integers of any size exactly (up to
    :data:`~exactgeom.numbers.rational.MAX_DIGITS` digits; Python's own reader stops at
    4,300), nesting up to :data:`MAX_JSON_DEPTH` levels; every failure is an
    :class:`~exactgeom.errors.InvalidInputError` naming ``where``.

    >>> loads_json('{"n": ' + "9" * 5000 + "}")["n"] == 10**5000 - 1
    True
    >>> loads_json("[1,", "model.json")
    Traceback (most recent call last):
    ...
    exactgeom.errors.InvalidInputError: model.json is not valid JSON: Expecting value (line 1, column 4)
    """
    name = f"an integer in {where}"

    def parse_int(t: str) -> int:  # json hands over -?digits: short ones need no checks
        return int(t) if len(t) <= 18 else decimal_to_int(t, name=name)

    with _json_limits():
        try:
            return json.loads(text, parse_int=parse_int)
        except json.JSONDecodeError as exc:
            raise InvalidInputError(
                f"{where} is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
            ) from None
        except RecursionError:
            raise InvalidInputError(
                f"{where} is nested deeper than {MAX_JSON_DEPTH} levels, more than exactgeom reads"
            ) from None
        except UnicodeDecodeError as exc:
            raise InvalidInputError(f"{where} is not UTF-8 text: {exc}") from None


_RECURSION = ScopedSetting(sys.getrecursionlimit, sys.setrecursionlimit, max)


@contextmanager
def _json_limits() -> Iterator[None]:
    """Allow :data:`MAX_JSON_DEPTH` levels of nesting (the json module recurses once per
    level) and integers of any size while a JSON document is read or written."""
    depth = 0
    f = sys._getframe()
    while f is not None:
        depth += 1
        f = f.f_back  # type: ignore[assignment]
    with _RECURSION.changed(depth + MAX_JSON_DEPTH + 50), unlimited_int_str_digits():
        yield


def _refuse_floats(obj: Any) -> None:
    stack: list[tuple[Any, str, int]] = [(obj, "$", 0)]
    while stack:
        x, path, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise InvalidInputError(f"the document is nested deeper than {MAX_JSON_DEPTH} levels (at {path[:80]}...)")
        if isinstance(x, float):
            raise InvalidInputError(f"float {x!r} at {path} in a canonical document; write it as a string")
        if isinstance(x, dict):
            for k, v in x.items():
                if not isinstance(k, str):
                    raise InvalidInputError(f"non-string key {k!r} at {path}")
                stack.append((v, f"{path}.{k}", depth + 1))
        elif isinstance(x, (list, tuple)):
            stack.extend((v, f"{path}[{i}]", depth + 1) for i, v in enumerate(x))
