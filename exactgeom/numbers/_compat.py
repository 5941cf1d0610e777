"""Deprecated spellings kept for one release (see docs/api.md, "Renamed names").

Three descriptors, used in class bodies:

* :func:`deprecated_alias` — an old *name* for a new one (``Spectrum.kernel_dimension``
  → ``kernel_dim``): reading it (and calling it, if the new name is a method) warns.
* :func:`deprecated_method` — a method that goes away (``RiemannianComplex.n_simplices(p)``):
  calling it warns with the replacement.
* :class:`now_property` — a fact that was a method and is now a property
  (``Surd.is_rational()`` → ``Surd.is_rational``).  ``x.name`` is the value;
  the old call form ``x.name()`` still works and warns.
* :class:`now_method` — a computation that was a property and is now a method
  (``Cell.volume`` → ``Cell.volume()``).  ``x.name()`` calls it; the old
  attribute form ``x.name`` still gives the value (a callable copy of it) and warns.

Which form the caller used is read from the calling instruction: CPython compiles
``x.name(...)`` to a method load (``LOAD_METHOD`` on 3.11, ``LOAD_ATTR`` with the
method bit on 3.12+) and ``x.name`` to a plain attribute load.  Where that cannot be
told (``getattr(x, "name")``, pytest's rewritten asserts, other interpreters), the
attribute form is assumed; the value returned there is callable too wherever its
type allows, so both spellings keep working.
"""

from __future__ import annotations

import dis
import functools
import sys
import warnings
import weakref
from collections.abc import Callable
from typing import Any

__all__ = ["deprecated_alias", "deprecated_method", "now_method", "now_property", "REMOVAL"]

#: The release in which the deprecated spellings go away.
REMOVAL = "0.3"

_LOAD_METHOD = dis.opmap.get("LOAD_METHOD")


def _scan(code: Any) -> dict[int, str]:
    """For each attribute load of ``code``: ``"call"`` (a method load), ``"temp"`` (stored
    into one of pytest's ``@py_assert`` temporaries, whose use is not known) or absent."""
    out: dict[int, str] = {}
    prev = None
    for ins in dis.get_instructions(code):
        if prev is not None and ins.opname == "STORE_FAST" and str(ins.argval).startswith("@py_assert"):
            out[prev] = "temp"
        prev = None
        if ins.opname == "LOAD_METHOD" or (ins.opname == "LOAD_ATTR" and _LOAD_METHOD is None and (ins.arg or 0) & 1):
            out[ins.offset] = "call"
        elif ins.opname == "LOAD_ATTR":
            prev = ins.offset
    return out


_tables: dict[int, tuple[Any, dict[int, str]]] = {}


def _calls(code: Any) -> dict[int, str]:
    """:func:`_scan` of ``code``, cached by identity (hashing a code object is slow); an
    entry dies with its code object."""
    hit = _tables.get(id(code))
    if hit is not None and hit[0]() is code:
        return hit[1]
    key = id(code)
    table = _scan(code)
    _tables[key] = (weakref.ref(code, lambda _r: _tables.pop(key, None)), table)
    return table


def _called(depth: int = 2) -> str | None:
    """How the attribute being read ``depth`` frames up is used: ``"call"``, ``"temp"``
    (unknown: pytest's assertion rewriting) or None (a plain attribute read)."""
    try:
        frame = sys._getframe(depth)
    except (AttributeError, ValueError):  # pragma: no cover - non-CPython
        return None
    return _calls(frame.f_code).get(frame.f_lasti)


def _warn(message: str, stacklevel: int = 3) -> None:
    warnings.warn(message + f" (the old spelling is removed in {REMOVAL}; see docs/api.md)",
                  DeprecationWarning, stacklevel=stacklevel)


_proxy_types: dict[type, type] = {}


def _callable_copy(value: Any) -> Any:
    """``value`` as an instance of a subclass of its type that can also be called
    (returning the value), so a deprecated attribute read of a new method keeps
    working in both spellings.  Types that cannot be subclassed come back unchanged."""
    t = type(value)
    if value is None or t is bool:
        return value
    sub = _proxy_types.get(t)
    if sub is None:
        try:
            sub = type(t.__name__, (t,), {"__slots__": (), "__call__": lambda self: _plain(self)})
        except TypeError:
            return value
        sub.__module__ = t.__module__
        sub.__qualname__ = t.__qualname__
        _proxy_types[t] = sub
    try:
        return _retype(value, sub)
    except (TypeError, AttributeError):
        return value


def _plain(proxy: Any) -> Any:
    return _retype(proxy, type(proxy).__mro__[1])


def _retype(value: Any, cls: type) -> Any:
    """A copy of ``value`` as an instance of ``cls`` (its type, or a subclass adding nothing)."""
    if isinstance(value, (int, tuple, float, str)) or type(value).__module__ == "fractions":
        return cls(value)
    out: Any = object.__new__(cls)
    for k in (k for c in type(value).__mro__ for k in getattr(c, "__slots__", ())):
        if k != "__dict__" and hasattr(value, k):
            object.__setattr__(out, k, getattr(value, k))
    if hasattr(value, "__dict__"):
        out.__dict__.update(value.__dict__)
    return out


class now_property:
    """A property that used to be a method: ``x.name()`` still works, with a warning."""

    deprecated_call = True

    def __init__(self, fget: Callable[[Any], Any]) -> None:
        self.fget = fget
        self.__doc__ = fget.__doc__
        self.__wrapped__ = fget

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name
        self.owner = owner.__name__

    def __get__(self, obj: Any, objtype: Any = None) -> Any:
        if obj is None:
            return self
        value = self.fget(obj)
        if _called() == "call":
            def old_call() -> Any:
                _warn(f"{self.owner}.{self.name}() is now a property: write .{self.name} without the call")
                return value

            return old_call
        return value

    def __set__(self, obj: Any, value: Any) -> None:
        raise AttributeError(f"{self.owner}.{self.name} is read-only")


class now_method:
    """A method that used to be a property: ``x.name`` still gives the value, with a warning."""

    deprecated_attribute = True

    def __init__(self, func: Callable[..., Any]) -> None:
        self.func = func
        self.__doc__ = func.__doc__
        self.__wrapped__ = func
        self.__signature__ = __import__("inspect").signature(func)

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name
        self.owner = owner.__name__

    def __get__(self, obj: Any, objtype: Any = None) -> Any:
        if obj is None:
            return self.func
        bound = self.func.__get__(obj, objtype)
        how = _called()
        if how == "call":
            return bound
        if how == "temp":
            return _callable_copy(bound())
        _warn(f"{self.owner}.{self.name} is now a method (it computes): write .{self.name}()")
        return _callable_copy(bound())


class _DeprecatedAlias(property):
    """A property marking a deprecated alias; ``alias_of`` names the current spelling."""

    alias_of: str = ""


def deprecated_alias(new: str, old: str) -> property:
    """A read-only attribute ``old`` that warns and returns ``getattr(self, new)``."""

    def get(self: Any) -> Any:
        _warn(f"{type(self).__name__}.{old} is deprecated: use .{new}")
        return getattr(self, new)

    get.__name__ = old
    get.__doc__ = f"Deprecated alias of :attr:`{new}` (removed in {REMOVAL})."
    prop = _DeprecatedAlias(get)
    prop.alias_of = new
    return prop


def deprecated_method(message: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator: calling the method warns ``message``; ``__deprecated__`` marks it (as
    ``warnings.deprecated`` does on Python 3.13) for the naming test and the docs."""

    def wrap(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def method(*args: Any, **kwargs: Any) -> Any:
            _warn(message)
            return fn(*args, **kwargs)

        method.__deprecated__ = message  # type: ignore[attr-defined]
        return method

    return wrap
