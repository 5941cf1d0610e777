"""From a built partition back to its model: the model-file mapping of a builder's model
object (:func:`model_object`) and the :class:`~exactgeom.io.model_files.ModelSpec` of a
partition (:func:`spec_from_partition`), so that a fixture written from a
:class:`~exactgeom.Partition` stores the model it came from.

>>> from exactgeom.partitions.voronoi import voronoi
>>> model_object(voronoi([[0, 0], [1, 0]], [(0, 1), (0, 1)]).model)["family"]
'voronoi'
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from ..errors import ExactGeomError
from ..numbers.rational import FloatPolicy
from ..partitions.partition import Partition
from ..polytope.polytope import Polytope
from .canonical import rational_str
from .model_files import ModelSpec, _from_mapping, _replace

__all__ = ["spec_from_partition", "model_object"]


def spec_from_partition(partition: Partition) -> ModelSpec | None:
    """The model spec of a partition made by one of the builders, or ``None`` when the
    partition's model is unknown (a fixture then stores only the cells).

    >>> from exactgeom import arrangement
    >>> spec_from_partition(arrangement([[1, 1]], [0], [(0, 1), (0, 1)])).to_json()["normals"]
    [['1', '1']]
    """
    m = partition.model
    if m is None:
        return None
    prov = partition.provenance
    obj = model_object(m)
    if obj is None:
        return None
    if prov.get("mode", "full") != "full":
        if prov.get("data") is None:
            return None  # a data-mode partition without its data cannot be rebuilt
        obj["mode"] = prov["mode"]
        obj["data"] = prov["data"]
    obj["domain"] = partition.domain
    pol = prov.get("policy")
    try:
        spec = _from_mapping(_jsonable(obj), None, top=True)
    except ExactGeomError:
        return None
    try:
        pol_s = None if pol is None else str(FloatPolicy.parse(pol))
    except ExactGeomError:
        pol_s = None
    return _replace(spec, policy=pol_s)


def model_object(m: Any) -> dict[str, Any] | None:
    """The model-file mapping (exact values, no domain) of a builder's model object, or
    ``None`` for an unknown model."""
    if hasattr(m, "normals") and hasattr(m, "offsets"):
        return {"family": "arrangement", "normals": m.normals, "offsets": m.offsets}
    if hasattr(m, "weights") and hasattr(m, "biases"):
        out_relu: dict[str, Any] = {"family": "relu", "weights": [list(w) for w in m.weights],
                                    "biases": [list(b) for b in m.biases]}
        if getattr(m, "is_leaky", False):  # the slopes are part of the model: never drop them
            out_relu["negative_slopes"] = list(m.negative_slopes)
        return out_relu
    if hasattr(m, "W") and hasattr(m, "c"):
        out: dict[str, Any] = {"family": "argmax", "W": m.W, "c": m.c}
        if getattr(m, "labels", None) is not None:
            out["class_labels"] = list(m.labels)
        return out
    if hasattr(m, "sites"):
        return {"family": "voronoi", "sites": m.sites}
    if hasattr(m, "root") and hasattr(m, "leaves"):
        return {"family": "tree", "tree": _tree_from_nodes(m.root)}
    if hasattr(m, "members") and hasattr(m, "rule"):
        members = [model_object(x) for x in m.members]
        if any(x is None for x in members) or not isinstance(m.rule, str):
            return None
        return {"family": "refine", "members": members, "rule": m.rule}
    return None


def _tree_from_nodes(node: Any) -> dict[str, Any]:
    if hasattr(node, "id"):  # a Leaf
        out: dict[str, Any] = {"leaf": node.id}
        if getattr(node, "has_class", False):
            out["class"] = node.cls
        if getattr(node, "value", None) is not None:
            out["value"] = list(node.value)
        return out
    out = {"threshold": node.threshold, "left": _tree_from_nodes(node.left), "right": _tree_from_nodes(node.right)}
    if node.feature is not None:
        out["feature"] = node.feature
    else:
        out["weights"] = list(node.weights)
    return out


def _jsonable(x: Any) -> Any:
    if isinstance(x, Polytope):
        return x
    if isinstance(x, Fraction):
        return rational_str(x)  # any size (str() stops at 4,300 digits)
    if isinstance(x, Mapping):
        return {k: _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    return x
