"""Hypothesis strategies for model files (the JSON model format of
:mod:`exactgeom.io.model_files`): random models of every family, JSON-ready (numbers as
``"p/q"`` strings), degenerate on purpose like the strategies of
:mod:`exactgeom.strategies.partitions`.

* :func:`relu_nets` — ``(weights, biases)`` of a small ReLU network;
* :func:`model_documents` — a model mapping of one of the families, with a box domain.

>>> from hypothesis import given
>>> @given(model_documents(families=("arrangement", "voronoi")))
... def test(doc):
...     assert doc["family"] in ("arrangement", "voronoi") and len(doc["domain"]) == 2
>>> test()
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

from .partitions import argmax_models, arrangements, boxes, site_sets, small_rationals, trees

__all__ = ["relu_nets", "model_documents", "FAMILIES"]

FAMILIES = ("relu", "arrangement", "argmax", "voronoi", "tree", "refine")


def _s(x: Any) -> Any:
    if isinstance(x, Fraction):
        return str(x)
    if isinstance(x, bool):
        return x
    if isinstance(x, int):
        return str(x)
    if isinstance(x, dict):
        return {k: (v if k in ("feature", "leaf", "class") else _s(v)) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_s(v) for v in x]
    return x


@st.composite
def relu_nets(draw: Any, n: int = 2, max_width: int = 4, max_hidden: int = 2, degenerate: bool = True) -> tuple[list, list]:
    """``(weights, biases)`` of a ReLU network ``n → … → 1`` with small rational entries
    (zero rows, i.e. dead or constant units, and duplicate rows with positive probability)."""
    depth = draw(st.integers(1, max_hidden))
    sizes = [n] + [draw(st.integers(1, max_width)) for _ in range(depth)] + [1]
    W, b = [], []
    q = small_rationals(-2, 2, 3)
    for l in range(len(sizes) - 1):
        rows = []
        for _ in range(sizes[l + 1]):
            if degenerate and rows and draw(st.integers(0, 7)) == 0:
                rows.append(list(rows[-1]))  # duplicate unit
            elif degenerate and draw(st.integers(0, 9)) == 0:
                rows.append([Fraction(0)] * sizes[l])  # dead / constant unit
            else:
                rows.append([draw(q) for _ in range(sizes[l])])
        W.append(rows)
        b.append([draw(q) for _ in range(sizes[l + 1])])
    return W, b


@st.composite
def model_documents(draw: Any, n: int = 2, families: Sequence[str] = FAMILIES) -> dict[str, Any]:
    """A model mapping in the model-file format (numbers as strings), box domain."""
    fam = draw(st.sampled_from(list(families)))
    dom = draw(boxes(n))
    doc: dict[str, Any] = {"family": fam, "domain": _s([list(p) for p in dom])}
    if fam == "relu":
        W, b = draw(relu_nets(n))
        doc.update(weights=_s(W), biases=_s(b))
    elif fam == "arrangement":
        N, c = draw(arrangements(n=n, max_hyperplanes=4))
        doc.update(normals=_s(N), offsets=_s(c))
    elif fam == "argmax":
        W, c = draw(argmax_models(n=n, max_classes=4))
        doc.update(W=_s(W), c=_s(c))
    elif fam == "voronoi":
        doc.update(sites=_s(draw(site_sets(n=n, max_sites=5))))
    elif fam == "tree":
        doc.update(tree=_s(draw(trees(n=n, max_depth=3))))
    else:
        N, c = draw(arrangements(n=n, max_hyperplanes=2))
        doc.update(members=[
            {"family": "arrangement", "normals": _s(N), "offsets": _s(c)},
            {"family": "voronoi", "sites": _s(draw(site_sets(n=n, max_sites=3)))},
        ])
    return doc
