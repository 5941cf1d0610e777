"""The naming rule of docs/api.md, checked mechanically over every public class.

The classes are those named in ``exactgeom.__all__`` and in the ``__all__`` of every
subpackage (and of modules those lists export), exceptions excluded.  Members inherited
from outside exactgeom (``Mapping.items``, ``int.bit_length``) are not ours and not
checked.  What a machine can decide is checked here; the judgement calls ("is this fact
cheap?") are written down in docs/api.md with the decisions taken.

Checks:

1. counts: every public ``n_*`` is an attribute (property or field) of type ``int``;
   no method is named ``n_*``, ``num_*``, ``count_*``, ``number_of_*`` or ``*_count``
   (declared deprecated methods excepted);
2. properties take no argument besides ``self``;
3. a stored-fact name (``FACT_NAMES``, and every ``is_*`` that one class exposes as a
   property) is never a parameterless method; ``get_*`` methods do not exist;
4. one name, one spelling: a name that is a property on one public class is not a
   method on another (fields of result records are stored data and exempt, because a
   record keeps a computation's result under the computation's name, e.g.
   ``LayerGeometry.volume``);
5. a property does not delegate to a computing method: its getter calls no public
   method of the API (outside ``GENERIC_CALLS``) and is not a ``functools.cached_property``
   (caching is how an expensive computation hides behind attribute syntax);
6. no aliases: two public names of a class are never the same function, unless one is a
   declared deprecated alias (:func:`exactgeom.numbers._compat.deprecated_alias`);
7. conversions ``to_*`` / ``as_*`` / ``tolist`` are methods; predicates ``is_*`` return
   ``bool``; every deprecated spelling named in docs/api.md warns and gives the new answer.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import importlib
import inspect
import re
import textwrap
import warnings
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import exactgeom
from exactgeom.numbers._compat import _DeprecatedAlias, now_method, now_property

SUBPACKAGES = ["numbers", "linalg", "polytope", "partitions", "importers", "complex", "analysis", "io", "strategies"]

#: Names of stored facts: wherever they appear they are attributes, never ``x.name()``.
FACT_NAMES = frozenset({
    "dim", "ambient_dim", "shape", "size", "domain", "family", "model", "provenance", "cells",
    "vertices", "facets", "rays", "lines", "equalities", "terms", "coeff", "radicand", "cos", "sin",
    "mid", "width", "lo", "hi", "key", "index", "kernel_dim", "nnz", "convention", "partition",
    "weights", "biases", "layer_sizes", "hidden_sizes", "policy", "digits", "values", "eigenvalues",
    "normal", "offset", "face", "polytope", "truncated", "top_dim", "ok", "problems", "exact",
})

#: Method names of the API that are container protocol or conversions, not computations.
GENERIC_CALLS = frozenset({"get", "items", "keys", "values", "copy", "index", "count", "append", "format"})

#: Properties that the getter check (5) would flag, each with the reason it stays a property.
#: Every entry must still exist and still be flagged (checked), so the table cannot go stale.
DECLARED_PROPERTY_EXCEPTIONS = {
    "ExactMatrix.T": "the numpy/scipy/sympy spelling of the transpose; the method is transpose()",
    "Angle.sin": "an angle's coordinates are (cos, sin): sin is sqrt(1 - cos^2), O(1) arithmetic on the stored cos",
}

COUNT_LIKE = re.compile(r"^(n_|num_|count_|number_of_)|_count$")


def _exported(mod: ModuleType) -> list[Any]:
    out = []
    for name in getattr(mod, "__all__", ()):
        obj = getattr(mod, name, None)
        if isinstance(obj, ModuleType) and obj.__name__.startswith("exactgeom"):
            out.extend(_exported(obj))
        else:
            out.append(obj)
    return out


def public_classes() -> list[type]:
    mods = [exactgeom] + [importlib.import_module(f"exactgeom.{s}") for s in SUBPACKAGES]
    seen: dict[str, type] = {}
    for mod in mods:
        for obj in _exported(mod):
            if (
                inspect.isclass(obj)
                and obj.__module__.startswith("exactgeom")
                and not issubclass(obj, BaseException)
            ):
                seen[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return [seen[k] for k in sorted(seen)]


CLASSES = public_classes()


def _owner(cls: type, name: str) -> type | None:
    for k in cls.__mro__:
        if name in vars(k):
            return k
    return None


def _fields(cls: type) -> dict[str, dataclasses.Field]:
    return {f.name: f for f in dataclasses.fields(cls)} if dataclasses.is_dataclass(cls) else {}


def members(cls: type) -> dict[str, tuple[str, Any]]:
    """Public members defined in exactgeom code: name -> (kind, raw object); kind is
    ``property``, ``field``, ``method``, ``constructor``, ``alias`` or ``deprecated``."""
    out: dict[str, tuple[str, Any]] = {}
    for name in dir(cls):
        if name.startswith("_"):
            continue
        owner = _owner(cls, name)
        if owner is None or not owner.__module__.startswith("exactgeom"):
            continue
        raw = vars(owner)[name]
        if isinstance(raw, _DeprecatedAlias) or getattr(raw, "__deprecated__", None):
            kind = "deprecated"
        elif isinstance(raw, (property, functools.cached_property, now_property)):
            kind = "property"
        elif isinstance(raw, (staticmethod, classmethod)):
            kind = "constructor"
        elif isinstance(raw, now_method) or inspect.isfunction(raw):
            kind = "method"
        else:
            kind = "field"  # class-level constants, enum members, dataclass defaults
        out[name] = (kind, raw)
    for name in _fields(cls):
        if not name.startswith("_"):
            out.setdefault(name, ("field", None))
    return out


def _func(raw: Any) -> Any:
    if isinstance(raw, now_method):
        return raw.func
    if isinstance(raw, now_property):
        return raw.fget
    if isinstance(raw, property):
        return raw.fget
    if isinstance(raw, functools.cached_property):
        return raw.func
    return raw


def _params(raw: Any) -> list[inspect.Parameter]:
    return list(inspect.signature(_func(raw)).parameters.values())[1:]


def _return_annotation(raw: Any) -> str:
    ann = inspect.signature(_func(raw), eval_str=False).return_annotation
    return ann if isinstance(ann, str) else getattr(ann, "__name__", repr(ann))


def _field_type(cls: type, name: str) -> str:
    t = _fields(cls)[name].type
    return t if isinstance(t, str) else getattr(t, "__name__", repr(t))


def test_the_walk_sees_the_api():
    names = {c.__name__ for c in CLASSES}
    for expected in ("Polytope", "Partition", "Cell", "SharedFace", "RiemannianComplex", "ExactMatrix", "Surd",
                     "SurdSum", "Angle", "Enclosure", "Spectrum", "SplineFit", "FaceLattice", "Face", "Chart"):
        assert expected in names
    assert len(CLASSES) >= 40


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_counts_are_int_attributes(cls):
    bad = []
    for name, (kind, raw) in members(cls).items():
        if kind == "deprecated" or not COUNT_LIKE.search(name):
            continue
        if not name.startswith("n_"):
            bad.append(f"{name}: counts are spelled n_*")
        elif kind == "property":
            ann = _return_annotation(raw)
            if ann not in ("int", "int | None"):
                bad.append(f"{name}: an n_* property must be annotated -> int, got {ann}")
        elif kind == "field":
            if name in _fields(cls) and _field_type(cls, name) not in ("int", "int | None"):
                bad.append(f"{name}: an n_* field must be an int, got {_field_type(cls, name)}")
        else:
            bad.append(f"{name} is a {kind}; a count is an n_* property (a count that takes an argument "
                       "is an entry of a method's result, e.g. K.f_vector()[p])")
    assert not bad, f"{cls.__name__}: " + "; ".join(bad)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_properties_take_no_arguments(cls):
    bad = [name for name, (kind, raw) in members(cls).items() if kind == "property" and _params(raw)]
    assert not bad, f"{cls.__name__}: properties with parameters: {bad}"


def _property_predicates() -> set[str]:
    return {n for c in CLASSES for n, (k, _) in members(c).items() if k == "property" and n.startswith("is_")}


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_stored_facts_are_not_parameterless_methods(cls):
    facts = FACT_NAMES | _property_predicates()
    bad = []
    for name, (kind, raw) in members(cls).items():
        if kind != "method":
            continue
        if name.startswith("get_"):
            bad.append(f"{name}: no get_* methods (a fact is a property; a lookup is named for what it returns)")
        elif name in facts and not _params(raw):
            bad.append(f"{name}() is a stored fact: make it a property")
    assert not bad, f"{cls.__name__}: " + "; ".join(bad)


def test_one_name_one_spelling_across_classes():
    """A name read as ``x.name`` on one class is not called as ``x.name(...)`` on another."""
    where: dict[str, dict[str, list[str]]] = {}
    for cls in CLASSES:
        for name, (kind, _) in members(cls).items():
            if kind in ("property", "method"):
                where.setdefault(name, {}).setdefault(kind, []).append(cls.__name__)
            elif kind == "field" and name not in _fields(cls):
                where.setdefault(name, {}).setdefault("property", []).append(cls.__name__)
    clashes = {n: k for n, k in where.items() if len(k) == 2}
    assert not clashes, "same name, two spellings (property vs method): " + "; ".join(
        f"{n}: property on {k['property']}, method on {k['method']}" for n, k in sorted(clashes.items())
    )


def _calls_in(fn: Any) -> set[str]:
    try:
        src = textwrap.dedent(inspect.getsource(fn))
    except (OSError, TypeError):
        return set()
    out = set()
    for node in ast.walk(ast.parse(src)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            out.add(node.func.attr)
    return out


def test_properties_do_not_compute():
    methods = {n for c in CLASSES for n, (k, _) in members(c).items() if k == "method"} - GENERIC_CALLS
    bad, excepted = [], set()
    for cls in CLASSES:
        for name, (kind, raw) in members(cls).items():
            if kind != "property" or _owner(cls, name) is not cls:
                continue
            if isinstance(raw, functools.cached_property):
                bad.append(f"{cls.__name__}.{name} is a cached_property: a computation worth caching is a method")
                continue
            called = _calls_in(_func(raw)) & methods
            if called and f"{cls.__name__}.{name}" in DECLARED_PROPERTY_EXCEPTIONS:
                excepted.add(f"{cls.__name__}.{name}")
            elif called:
                bad.append(f"{cls.__name__}.{name} calls {sorted(called)}")
    assert not bad, "properties that compute (make them methods):\n" + "\n".join(bad)
    assert excepted == set(DECLARED_PROPERTY_EXCEPTIONS), "stale entries in DECLARED_PROPERTY_EXCEPTIONS"


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_no_undeclared_aliases(cls):
    by_func: dict[int, list[str]] = {}
    for name, (kind, raw) in members(cls).items():
        if kind in ("method", "property", "constructor"):
            f = _func(raw.__func__ if isinstance(raw, (staticmethod, classmethod)) else raw)
            by_func.setdefault(id(f), []).append(name)
    aliases = [names for names in by_func.values() if len(names) > 1]
    assert not aliases, f"{cls.__name__}: names sharing one function (declare one a deprecated alias): {aliases}"


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_conversions_are_methods_and_predicates_return_bool(cls):
    bad = []
    for name, (kind, raw) in members(cls).items():
        if (name.startswith(("to_", "as_")) or name == "tolist") and kind not in ("method", "deprecated"):
            bad.append(f"{name}: a conversion is a method")
        if name.startswith(("is_", "has_")) and kind in ("method", "property"):
            ann = _return_annotation(raw)
            if ann != "bool":
                bad.append(f"{name}: a predicate returns bool, annotated {ann}")
    assert not bad, f"{cls.__name__}: " + "; ".join(bad)


# ---------------------------------------------------------------------- the renamed names
def _cube_partition():
    from exactgeom import arrangement

    return arrangement([[1, 0]], [0], [(-1, 1), (0, 1)])


def _renames():
    """(old spelling, new spelling) as callables on fresh objects, one row per entry of the
    rename table of docs/api.md."""
    from fractions import Fraction

    from exactgeom import Angle, Polytope, RiemannianComplex, Surd, SurdSum
    from exactgeom.analysis import cell_forms
    from exactgeom.partitions import ReLUNetwork

    P = _cube_partition()
    c = P.cells[0]
    f = P.adjacency()[0]
    K = RiemannianComplex.from_partition(P)
    S = K.spectrum(0)
    fit = K.spline([0, 1], lam=1)
    L = Polytope.box([(0, 1), (0, 1)]).face_lattice()
    net = ReLUNetwork([[[1, 0], [0, 1]], [[1, 1]]], [[0, 0], [0]])
    ch = cell_forms(net, net.pattern([Fraction(1, 2), Fraction(1, 3)])).charts[1]
    return [
        ("Cell.volume", lambda: c.volume, lambda: c.volume()),
        ("Cell.centroid", lambda: c.centroid, lambda: c.centroid()),
        ("SharedFace.volume", lambda: f.volume, lambda: f.volume()),
        ("SharedFace.area_vector", lambda: f.area_vector, lambda: f.area_vector()),
        ("FaceLattice.f_vector", lambda: L.f_vector, lambda: L.f_vector()),
        ("Chart.rank", lambda: ch.rank, lambda: ch.rank()),
        ("Surd.is_rational()", lambda: Surd(1, 2).is_rational(), lambda: Surd(1, 2).is_rational),
        ("SurdSum.is_rational()", lambda: SurdSum([1]).is_rational(), lambda: SurdSum([1]).is_rational),
        ("Angle.is_right()", lambda: Angle(0).is_right(), lambda: Angle(0).is_right),
        ("Spectrum.kernel_dimension", lambda: S.kernel_dimension, lambda: S.kernel_dim),
        ("SplineFit.float_values()", lambda: fit.float_values(), lambda: fit.values_float()),
        ("RiemannianComplex.n_simplices(p)", lambda: K.n_simplices(1), lambda: len(K.simplices(1))),
    ]


def test_deprecated_spellings_warn_and_agree():
    rows = _renames()
    for label, old, new in rows:
        with warnings.catch_warnings():
            warnings.simplefilter("error", DeprecationWarning)
            want = new()  # the new spelling is silent
        with pytest.warns(DeprecationWarning):
            got = old()
        assert got == want, label
    doc = (Path(__file__).resolve().parent.parent / "docs" / "api.md").read_text(encoding="utf-8")
    for label, _, _ in rows:
        assert f"`{label}`" in doc, f"docs/api.md lacks the rename row for {label}"


def test_new_method_spelling_of_a_former_property_is_callable_both_ways():
    P = _cube_partition()
    c = P.cells[0]
    with pytest.warns(DeprecationWarning):
        v = c.volume  # old spelling: the value, callable for the transition
    assert v == c.volume() == P.volumes()[0] and v() == c.volume()
    assert sum(P.volumes()) == P.domain.volume()
