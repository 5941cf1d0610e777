"""Model files: one JSON format for every model family, plus ``.npz`` / ``.pt`` weights.

A model file is a JSON object with a ``"family"``, the family's exact parameters and a
``"domain"``::

    {"family": "relu",
     "weights": [[["1", "-1"], ["1/2", "1"]], [["1", "1"]]],
     "biases":  [["0", "1/4"], ["0"]],
     "domain":  [["-1", "1"], ["-1", "1"]]}

========================  ===============================================================
family                    parameters
========================  ===============================================================
``"relu"``                ``"weights"``: list of matrices ``W_l`` (rows = units, layer
                          ``z_l = W_l h_{l-1} + b_l``; the last one is the affine output),
                          ``"biases"``: list of vectors ``b_l``; optional
                          ``"negative_slopes"``: one rational per hidden layer (leaky
                          units, ``max(a z, z)``; absent or all zero = plain ReLU)
``"arrangement"``         ``"normals"`` (m×n), ``"offsets"`` (m): hyperplanes ``w·x = c``
``"argmax"``              ``"W"`` (k×n), ``"c"`` (k): classes ``argmax_j w_j·x + c_j``
``"voronoi"``             ``"sites"`` (k×n)
``"tree"``                ``"tree"``: nested ``{"feature": f, "threshold": t, "left": …,
                          "right": …}`` (left: ``x_f <= t``; ``"weights"`` in place of
                          ``"feature"`` for an oblique split) and leaves ``{"leaf": id}``
``"refine"``              ``"members"``: a list of models (each without a domain)
========================  ===============================================================

``"domain"`` is a box ``[[lo, hi], ...]`` or a polytope ``{"A": [...], "b": [...]}``
(``A x <= b``).  Optional fields: ``"data"`` (points), ``"labels"`` (one per point),
``"mode"`` (``"full"`` or ``"data"``, ReLU only), ``"name"``, ``"policy"``, and
``"format": "exactgeom-model"`` with ``"version": 1``.

Numbers are exact: integers, or strings such as ``"-3/7"``, ``"0.25"`` or ``"1e-3"``
(decimal strings are read exactly).  JSON numbers with a fraction part are binary floats
and are accepted only when the file (or the caller) names a float policy: ``"policy":
"exact"`` (the float's binary value) or ``"limit_denominator(N)"``.

``.npz`` files hold ``W0, b0, W1, b1, …`` (a ReLU network; float arrays need a policy;
an optional ``domain`` array of shape n×2); ``.pt`` files hold a saved
``torch.nn.Sequential`` of ``Linear`` and ``ReLU`` layers (or its ``state_dict``) and
always need a policy.  torch is imported only when a ``.pt`` file is read.

>>> spec = read_model({"family": "arrangement", "normals": [[1, 0]], "offsets": ["1/2"],
...                    "domain": [[0, 1], [0, 1]]})
>>> spec.family, spec.to_json()["offsets"]
('arrangement', ['1/2'])
>>> [c.volume() for c in spec.build().cells]
[Fraction(1, 2), Fraction(1, 2)]
"""

from __future__ import annotations

import importlib
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..errors import ExactGeomError, InexactInputError, InvalidInputError, UnsupportedModelError
from ..numbers.rational import FloatPolicy, as_rational, as_rational_matrix, as_rational_vector, short_str
from ..partitions.partition import Partition, as_domain
from ..partitions.relu import ReLUNetwork
from ..polytope.polytope import Polytope
from .canonical import key_to_json, loads_json, matrix_str, rational_str, vector_str

__all__ = ["FAMILIES", "PARTITION_FAMILIES", "ModelSpec", "read_model", "domain_to_json", "example_spec"]

FAMILIES = ("relu", "arrangement", "argmax", "voronoi", "tree", "refine")
_PARAMS = {
    "relu": ("weights", "biases"),
    "arrangement": ("normals", "offsets"),
    "argmax": ("W", "c"),
    "voronoi": ("sites",),
    "tree": ("tree",),
    "refine": ("members",),
}
_FAMILY_OPTIONAL = {"relu": ("negative_slopes",), "argmax": ("class_labels",), "refine": ("rule",)}
_OPTIONAL = {"domain", "data", "labels", "mode", "name", "policy", "format", "version"}
#: Partition.family of each builder -> model-file family
PARTITION_FAMILIES = {
    "relu": "relu",
    "arrangement": "arrangement",
    "argmax_linear": "argmax",
    "argmax": "argmax",
    "voronoi": "voronoi",
    "decision_tree": "tree",
    "tree": "tree",
    "refinement": "refine",
    "refine": "refine",
}
# (module, function) of each family's builder
_BUILDERS = {
    "relu": ("exactgeom.partitions.relu", "relu_network"),
    "arrangement": ("exactgeom.partitions.arrangement", "arrangement"),
    "argmax": ("exactgeom.partitions.argmax", "argmax_linear"),
    "voronoi": ("exactgeom.partitions.voronoi", "voronoi"),
    "tree": ("exactgeom.partitions.tree", "decision_tree"),
    "refine": ("exactgeom.partitions.refine", "refine"),
}

Vec = tuple[Fraction, ...]
Mat = tuple[Vec, ...]


def _builder(family: str) -> Any:
    mod, fn = _BUILDERS[family]
    try:
        return getattr(importlib.import_module(mod), fn)
    except (ImportError, AttributeError):
        raise UnsupportedModelError(
            f"model family {family!r} needs {mod}.{fn}, which this installation of exactgeom "
            "does not provide"
        ) from None


# ---------------------------------------------------------------------------- spec


@dataclass(frozen=True)
class ModelSpec:
    """An exact model description: family, exact parameters, domain, optional data.

    Build it with :func:`read_model`; :meth:`build` makes the partition and
    :meth:`to_json` gives the canonical JSON form (all numbers as canonical strings).

    Attributes
    ----------
    family : str
        One of :data:`FAMILIES`.
    params : mapping
        Exact parameters (Fractions in tuples; ``tree`` a nested dict; ``members`` a
        tuple of member specs).
    domain : Polytope or None
        The domain (``None`` only for members of a refinement).
    domain_json : list or dict or None
        The domain as written (box list or ``{"A", "b"}``), canonical strings.
    policy : str or None
        The float policy used to read the parameters (``None``: they were exact).
    data, labels : optional
        Data points (rational tuples) and one label per point.
    mode : str
        ``"full"`` (every cell) or ``"data"`` (cells containing data; ReLU only).
    """

    family: str
    params: Mapping[str, Any]
    domain: Polytope | None
    domain_json: Any
    policy: str | None = None
    data: tuple[Vec, ...] | None = None
    labels: tuple[Hashable, ...] | None = None
    mode: str = "full"
    name: str | None = None
    members: tuple[ModelSpec, ...] = field(default=())

    # ------------------------------------------------------------------ building
    def build(self, *, progress: Any = None, executor: Any = None) -> Partition:
        """The partition of the domain induced by the model (exact).

        ``progress`` and ``executor`` are passed to builders that take them (ReLU).
        """
        if self.domain is None:
            raise InvalidInputError("this model has no domain; give one (\"domain\": [[lo, hi], ...])")
        return self._build(self.domain, progress=progress, executor=executor)

    def _build(self, domain: Polytope, *, progress: Any = None, executor: Any = None) -> Partition:
        f = self.family
        p = self.params
        if f == "refine":
            parts = [m._build(domain) for m in self.members]
            return _builder(f)(*parts, label=p.get("rule", "tuple"))
        fn = _builder(f)
        if f == "relu":
            kwargs: dict[str, Any] = {"mode": self.mode}
            if self.mode == "data":
                kwargs["data"] = self.data
            if progress is not None:
                kwargs["progress"] = progress
            if executor is not None:
                kwargs["executor"] = executor
            weights: Any = [list(w) for w in p["weights"]]
            biases: Any = [list(b) for b in p["biases"]]
            if p.get("negative_slopes") is not None:  # a leaky net: the builder takes a ReLUNetwork
                weights = ReLUNetwork(weights, biases, negative_slopes=list(p["negative_slopes"]))
                biases = None
            return fn(weights, biases, domain, **kwargs)
        if f == "arrangement":
            return fn(p["normals"], p["offsets"], domain)
        if f == "argmax":
            return fn(p["W"], p["c"], domain, labels=p.get("class_labels"))
        if f == "voronoi":
            return fn(p["sites"], domain)
        if f == "tree":
            return fn(p["tree"], domain)
        raise UnsupportedModelError(f"unknown model family {f!r}")  # pragma: no cover

    # ------------------------------------------------------------------ JSON
    def to_json(self, *, with_domain: bool = True) -> dict[str, Any]:
        """Canonical JSON form (numbers as canonical strings), readable by :func:`read_model`."""
        out: dict[str, Any] = {"family": self.family}
        p = self.params
        if self.family == "relu":
            out["weights"] = [matrix_str(w) for w in p["weights"]]
            out["biases"] = [vector_str(b) for b in p["biases"]]
            if p.get("negative_slopes") is not None:
                out["negative_slopes"] = vector_str(p["negative_slopes"])
        elif self.family == "arrangement":
            out["normals"] = matrix_str(p["normals"])
            out["offsets"] = vector_str(p["offsets"])
        elif self.family == "argmax":
            out["W"] = matrix_str(p["W"])
            out["c"] = vector_str(p["c"])
            if p.get("class_labels") is not None:
                out["class_labels"] = list(p["class_labels"])
        elif self.family == "voronoi":
            out["sites"] = matrix_str(p["sites"])
        elif self.family == "tree":
            out["tree"] = _walk_tree(p["tree"], lambda nd, w: _tree_json(nd), "tree")
        elif self.family == "refine":
            out["members"] = [m.to_json(with_domain=False) for m in self.members]
            if p.get("rule", "tuple") != "tuple":
                out["rule"] = p["rule"]
        if with_domain and self.domain_json is not None:
            out["domain"] = self.domain_json
        if self.data is not None:
            out["data"] = matrix_str(self.data)
        if self.labels is not None:
            out["labels"] = [key_to_json(lab) for lab in self.labels]
        if self.mode != "full":
            out["mode"] = self.mode
        if self.name is not None:
            out["name"] = self.name
        if self.policy is not None:
            out["policy"] = self.policy
        return out

    @property
    def ambient_dim(self) -> int | None:
        return None if self.domain is None else self.domain.ambient_dim

    def with_data(self, data: Any, labels: Any = None, *, policy: Any = None, mode: str | None = None) -> ModelSpec:
        """A copy with data points (and labels, mode) replaced."""
        pol = policy if policy is not None else self.policy
        d = None if data is None else _points(data, pol, self.ambient_dim, "data")
        lab = None if labels is None else _labels(labels, None if d is None else len(d))
        m = self.mode if mode is None else _mode(mode, self.family, d)
        return _replace(self, data=d, labels=lab, mode=m)

    def with_domain(self, domain: Any, *, policy: Any = None) -> ModelSpec:
        """A copy with another domain (box list, ``{"A", "b"}`` or Polytope)."""
        D, dj = _domain(domain, policy if policy is not None else self.policy)
        if self.domain is not None and D.ambient_dim != self.domain.ambient_dim:
            raise InvalidInputError(
                f"the new domain lives in R^{D.ambient_dim} but the model takes {self.domain.ambient_dim} "
                "inputs; give one (lo, hi) pair per input"
            )
        return _replace(self, domain=D, domain_json=dj)


def _replace(spec: ModelSpec, **kw: Any) -> ModelSpec:
    from dataclasses import replace

    return replace(spec, **kw)


# ---------------------------------------------------------------------------- reading


def read_model(source: Any, *, policy: Any = None, domain: Any = None) -> ModelSpec:
    """Read a model: a path (``.json``, ``.npz``, ``.pt``), a JSON text, or a mapping.

    Parameters
    ----------
    source
        Path or mapping in the model-file format (module docstring).
    policy
        Float policy for float parameters (overrides the file's ``"policy"``).
    domain
        Domain overriding the file's (needed for ``.npz``/``.pt`` without one).

    Raises
    ------
    InvalidInputError
        Unknown family, missing or malformed parameters, bad domain, unreadable file.
    InexactInputError
        A float parameter and no policy.
    UnsupportedModelError
        A ``.pt`` model with a layer other than Linear/ReLU.

    Examples
    --------
    >>> read_model({"family": "voronoi", "sites": [[0, 0], [1, 0]], "domain": [[0, 1], [0, 1]]}).family
    'voronoi'
    >>> read_model({"family": "spline", "domain": [[0, 1]]})
    Traceback (most recent call last):
    ...
    exactgeom.errors.InvalidInputError: unknown model family 'spline'; use one of relu, arrangement, argmax, voronoi, tree, refine
    """
    if isinstance(source, (str, Path)) and not (isinstance(source, str) and source.lstrip()[:1] in ("{", "[")):
        path = Path(source)
        try:
            exists = path.exists()
        except (OSError, ValueError) as exc:  # a name too long, a NUL byte: not a usable path
            raise InvalidInputError(
                f"model {short_str(str(source))} is neither a readable file path nor a JSON object text ({exc})"
            ) from None
        if not exists:
            raise InvalidInputError(f"model file {str(path)!r} does not exist")
        if path.is_dir():
            raise InvalidInputError(f"model file {str(path)!r} is a directory")
        suffix = path.suffix.lower()
        if suffix in (".npz", ".pt", ".pth"):
            from .weights_files import read_weights

            return read_weights(path, policy=policy, domain=domain)
        try:
            text = path.read_text(encoding="utf-8-sig")  # a UTF-8 byte-order mark (Windows editors) is skipped
        except (OSError, UnicodeDecodeError) as exc:
            raise InvalidInputError(f"cannot read model file {str(path)!r}: {exc}") from None
        obj = _loads(text, str(path))
    elif isinstance(source, str):
        obj = _loads(source, "model text")
    elif isinstance(source, Mapping):
        obj = dict(source)
    else:
        raise InvalidInputError(
            f"a model is a file path, a JSON text or a mapping, not {type(source).__name__}"
        )
    try:
        return _from_mapping(obj, policy, top=True, domain_override=domain)
    except InexactInputError as exc:
        raise InexactInputError(
            f"{exc} (in a model file: add \"policy\": \"exact\", or pass --policy on the command line)"
        ) from None


def _loads(text: str, where: str) -> Any:
    return loads_json(text, where)


def _from_mapping(obj: Any, policy: Any, *, top: bool, domain_override: Any = None) -> ModelSpec:
    if not isinstance(obj, Mapping):
        raise InvalidInputError(f"a model must be a JSON object, got {type(obj).__name__}")
    fam = obj.get("family")
    if fam not in FAMILIES:
        if fam is None:
            raise InvalidInputError(f'the model has no "family"; use one of {", ".join(FAMILIES)}')
        raise InvalidInputError(f"unknown model family {fam!r}; use one of {', '.join(FAMILIES)}")
    fmt = obj.get("format")
    if fmt is not None and fmt != "exactgeom-model":
        raise InvalidInputError(f'"format" is {short_str(fmt)}; a model file has "format": "exactgeom-model" (or none)')
    if obj.get("version", 1) != 1:
        raise InvalidInputError(f"model format version {short_str(obj.get('version'))} is not supported (only 1)")
    unknown = set(obj) - set(_PARAMS[fam]) - set(_FAMILY_OPTIONAL.get(fam, ())) - _OPTIONAL - {"family"}
    if unknown:
        raise InvalidInputError(
            f"unknown field(s) {sorted(unknown)} in a {fam!r} model; its parameters are "
            f"{list(_PARAMS[fam])}"
        )
    for name in _PARAMS[fam]:
        if name not in obj:
            raise InvalidInputError(f"a {fam!r} model needs the field {name!r}")
    file_policy = obj.get("policy")
    if file_policy is not None:
        file_policy = str(FloatPolicy.parse(file_policy))
    pol = str(FloatPolicy.parse(policy)) if policy is not None else file_policy
    # domain
    D: Polytope | None = None
    dj: Any = None
    if domain_override is not None:
        D, dj = _domain(domain_override, pol)
    elif "domain" in obj:
        D, dj = _domain(obj["domain"], pol)
    elif top:
        raise InvalidInputError('the model has no "domain"; add "domain": [[lo, hi], ...] (one pair per input)')
    n = None if D is None else D.ambient_dim
    params, members = _params(fam, obj, pol, n)
    data = None
    if obj.get("data") is not None:
        data = _points(obj["data"], pol, n, "data")
    labels = None
    if obj.get("labels") is not None:
        labels = _labels(obj["labels"], None if data is None else len(data))
    mode = _mode(obj.get("mode", "full"), fam, data)
    name = obj.get("name")
    if name is not None and not isinstance(name, str):
        raise InvalidInputError('"name" must be a string')
    return ModelSpec(fam, params, D, dj, pol, data, labels, mode, name, members)


def _mode(mode: Any, family: str, data: Any) -> str:
    if mode not in ("full", "data"):
        raise InvalidInputError(f"mode {mode!r} is unknown; use 'full' or 'data'")
    if mode == "data":
        if family != "relu":
            raise InvalidInputError(f"mode 'data' is for ReLU networks; a {family!r} model has only mode 'full'")
        if data is None:
            raise InvalidInputError("mode 'data' needs data points (\"data\" in the file, or --data FILE)")
    return mode


def _domain(domain: Any, policy: Any) -> tuple[Polytope, Any]:
    if isinstance(domain, Polytope):
        D = as_domain(domain)
        return D, domain_to_json(D)
    if isinstance(domain, Mapping):
        if set(domain) != {"A", "b"}:
            raise InvalidInputError('a polytope domain is {"A": [[...], ...], "b": [...]} meaning A x <= b')
        A = as_rational_matrix(domain["A"], policy, name="domain A")
        b = as_rational_vector(domain["b"], policy, name="domain b")
        if len(A) != len(b):
            raise InvalidInputError(f"domain A has {len(A)} rows but b has {len(b)} entries")
        if not A:
            raise InvalidInputError("domain A has no rows")
        D = as_domain(Polytope.from_hrep(A, b))
        return D, {"A": matrix_str(A), "b": vector_str(b)}
    if type(domain).__name__ == "ndarray" and getattr(domain, "ndim", 0) == 2:
        domain = [list(r) for r in domain]  # an (n, 2) numpy array of bounds
    if isinstance(domain, (str, bytes)) or not isinstance(domain, Sequence):
        raise InvalidInputError(
            f"domain must be a list of [lo, hi] pairs or {{\"A\": ..., \"b\": ...}}, got {short_str(domain)}"
        )
    pairs = []
    for i, pr in enumerate(domain):
        if isinstance(pr, (str, bytes)) or not isinstance(pr, Sequence) or len(pr) != 2:
            raise InvalidInputError(f"domain entry {i} must be a pair [lo, hi], got {short_str(pr)}")
        lo = as_rational(pr[0], policy, name=f"domain[{i}] lo")
        hi = as_rational(pr[1], policy, name=f"domain[{i}] hi")
        if not lo < hi:
            raise InvalidInputError(f"domain entry {i}: lo = {short_str(lo)} is not below hi = {short_str(hi)}")
        pairs.append((lo, hi))
    if not pairs:
        raise InvalidInputError("the domain box has no coordinates; give one [lo, hi] pair per input")
    return as_domain(pairs), [vector_str(p) for p in pairs]


def domain_to_json(D: Polytope) -> Any:
    """A domain polytope as a box list when it is an axis-parallel box, else ``{"A", "b"}``.

    >>> domain_to_json(Polytope.box([(0, 1), (0, "1/2")]))
    [['0', '1'], ['0', '1/2']]
    """
    n = D.ambient_dim
    lo: dict[int, Fraction] = {}
    hi: dict[int, Fraction] = {}
    box = len(D.facets) == 2 * n
    for h in D.facets:
        nz = [k for k, a in enumerate(h.normal) if a != 0]
        if len(nz) != 1 or abs(h.normal[nz[0]]) != 1:
            box = False
            break
        k = nz[0]
        (hi if h.normal[k] == 1 else lo)[k] = h.offset if h.normal[k] == 1 else -h.offset
    if box and len(lo) == n and len(hi) == n:
        return [[rational_str(lo[k]), rational_str(hi[k])] for k in range(n)]
    return {"A": [vector_str(h.normal) for h in D.facets], "b": [rational_str(h.offset) for h in D.facets]}


def _points(data: Any, policy: Any, n: int | None, name: str) -> tuple[Vec, ...]:
    pts = as_rational_matrix(data, policy, name=name)
    if n is not None and pts and len(pts[0]) != n:
        raise InvalidInputError(f"{name} points have {len(pts[0])} coordinates but the domain lives in R^{n}")
    return pts


def _labels(labels: Any, count: int | None) -> tuple[Hashable, ...]:
    if isinstance(labels, (str, bytes)) or not isinstance(labels, Sequence):
        raise InvalidInputError('"labels" must be a list with one label per data point')
    out = []
    for k, lab in enumerate(labels):
        if isinstance(lab, float):
            if lab != int(lab):
                raise InvalidInputError(f"label {k} is the float {lab}; labels are integers or strings")
            lab = int(lab)
        if isinstance(lab, list):
            raise InvalidInputError(f"label {k} is a list; labels are integers or strings")
        out.append(lab)
    if count is not None and len(out) != count:
        raise InvalidInputError(f"{len(out)} labels for {count} data points")
    if count is None:
        raise InvalidInputError('"labels" given without "data"')
    return tuple(out)


def _params(fam: str, obj: Mapping[str, Any], pol: Any, n: int | None) -> tuple[dict[str, Any], tuple[ModelSpec, ...]]:
    if fam == "relu":
        W, b = obj["weights"], obj["biases"]
        if not isinstance(W, list) or not isinstance(b, list) or not W:
            raise InvalidInputError('"weights" and "biases" must be non-empty lists (one per layer)')
        if len(W) != len(b):
            raise InvalidInputError(f"{len(W)} weight matrices but {len(b)} bias vectors")
        Ws = tuple(as_rational_matrix(w, pol, name=f"weights[{l}]", allow_empty=False) for l, w in enumerate(W))
        bs = tuple(as_rational_vector(v, pol, name=f"biases[{l}]") for l, v in enumerate(b))
        width = n
        for l, (w, v) in enumerate(zip(Ws, bs)):
            if width is not None and len(w[0]) != width:
                raise InvalidInputError(f"weights[{l}] has {len(w[0])} columns, expected {width}")
            if len(v) != len(w):
                raise InvalidInputError(f"biases[{l}] has {len(v)} entries but weights[{l}] has {len(w)} rows")
            width = len(w)
        params: dict[str, Any] = {"weights": Ws, "biases": bs}
        if obj.get("negative_slopes") is not None:
            slopes = as_rational_vector(obj["negative_slopes"], pol, name="negative_slopes", length=len(Ws) - 1)
            if any(a != 0 for a in slopes):  # all-zero slopes are a plain ReLU net: one spelling
                params["negative_slopes"] = slopes
        return params, ()
    if fam == "arrangement":
        N = as_rational_matrix(obj["normals"], pol, name="normals", ncols=n)
        c = as_rational_vector(obj["offsets"], pol, name="offsets", length=len(N))
        return {"normals": N, "offsets": c}, ()
    if fam == "argmax":
        W2 = as_rational_matrix(obj["W"], pol, name="W", ncols=n, allow_empty=False)
        c = as_rational_vector(obj["c"], pol, name="c", length=len(W2))
        out: dict[str, Any] = {"W": W2, "c": c}
        if obj.get("class_labels") is not None:
            cl = obj["class_labels"]
            if not isinstance(cl, list) or len(cl) != len(W2) or not all(
                isinstance(x, (int, str)) and not isinstance(x, bool) for x in cl
            ):
                raise InvalidInputError(f'"class_labels" must list one integer or string per class ({len(W2)})')
            out["class_labels"] = tuple(cl)
        return out, ()
    if fam == "voronoi":
        S = as_rational_matrix(obj["sites"], pol, name="sites", ncols=n, allow_empty=False)
        return {"sites": S}, ()
    if fam == "tree":
        return {"tree": _walk_tree(obj["tree"], lambda nd, w: _tree(nd, pol, n, w), "tree")}, ()
    members = obj["members"]
    if not isinstance(members, list) or not members:
        raise InvalidInputError('"members" must be a non-empty list of models')
    specs = []
    for k, m in enumerate(members):
        if isinstance(m, Mapping) and "domain" in m:
            raise InvalidInputError(f"member {k} of a refinement has its own domain; give the domain once, at the top")
        try:
            specs.append(_from_mapping(m, pol, top=False))
        except ExactGeomError as exc:
            raise type(exc)(f"member {k}: {exc}") from None
    rule = obj.get("rule", "tuple")
    if rule not in ("tuple", "majority"):
        raise InvalidInputError(f'"rule" of a refinement is "tuple" or "majority", not {rule!r}')
    return {"members": tuple(s.to_json(with_domain=False) for s in specs), "rule": rule}, tuple(specs)


def _tree(node: Any, pol: Any, n: int | None, where: str) -> dict[str, Any]:
    if not isinstance(node, Mapping):
        raise InvalidInputError(f"{where} must be an object ({{\"leaf\": id}} or a split)")
    if "leaf" in node:
        extra = set(node) - {"leaf", "class", "value"}
        if extra:
            raise InvalidInputError(f"{where}: a leaf is {{\"leaf\": id}} with optional \"class\" and \"value\"; got {sorted(extra)}")
        out: dict[str, Any] = {}
        for k in ("leaf", "class"):
            if k in node:
                v = node[k]
                if isinstance(v, bool) or not isinstance(v, (int, str)):
                    raise InvalidInputError(f"{where}.{k} must be an integer or a string, got {v!r}")
                out[k] = v
        if "value" in node:
            v = node["value"]
            out["value"] = (
                as_rational_vector(v, pol, name=f"{where}.value")
                if isinstance(v, (list, tuple))
                else (as_rational(v, pol, name=f"{where}.value"),)
            )
        return out
    keys = set(node)
    if keys not in ({"feature", "threshold", "left", "right"}, {"weights", "threshold", "left", "right"}):
        raise InvalidInputError(
            f"{where}: a split is {{\"feature\": f, \"threshold\": t, \"left\": ..., \"right\": ...}} "
            f"(or \"weights\" for an oblique split); got the fields {sorted(keys)}"
        )
    out = {"threshold": as_rational(node["threshold"], pol, name=f"{where}.threshold")}
    if "feature" in node:
        f = node["feature"]
        if isinstance(f, bool) or not isinstance(f, int) or f < 0 or (n is not None and f >= n):
            raise InvalidInputError(
                f"{where}.feature must be an input index 0..{'n-1' if n is None else n - 1}, got {short_str(f)}"
            )
        out["feature"] = f
    else:
        out["weights"] = as_rational_vector(node["weights"], pol, name=f"{where}.weights", length=n)
    return out  # "left" and "right" are filled by _walk_tree


def _tree_json(node: Mapping[str, Any]) -> dict[str, Any]:
    if "leaf" in node:
        out: dict[str, Any] = {k: node[k] for k in ("leaf", "class") if k in node}
        if "value" in node:
            out["value"] = vector_str(node["value"])
        return out
    out = {"threshold": rational_str(node["threshold"])}
    if "feature" in node:
        out["feature"] = node["feature"]
    else:
        out["weights"] = vector_str(node["weights"])
    return out  # "left" and "right" are filled by _walk_tree


def _walk_tree(root: Any, convert: Any, where: str) -> dict[str, Any]:
    """Apply ``convert(node, where)`` to every node of a nested tree without recursion
    (trees thousands of levels deep are fine); a split's result (it has a
    ``"threshold"``) gets ``"left"`` and ``"right"`` from its children's results."""
    top: dict[str, Any] = {}
    stack: list[tuple[Any, str, dict[str, Any], str]] = [(root, where, top, "root")]
    while stack:
        node, w, parent, side = stack.pop()
        out = convert(node, w)
        parent[side] = out
        if "threshold" in out:
            out["left"] = out["right"] = None
            stack.append((node["right"], w + ".right", out, "right"))
            stack.append((node["left"], w + ".left", out, "left"))
    return top["root"]


# ---------------------------------------------------------------------------- built-in example


def example_spec() -> ModelSpec:
    """The built-in example as a model spec: the small ReLU network with rational weights
    trained on the built-in 2-D data set (``exactgeom.partitions.relu.load_example``),
    with its domain, data and labels; full enumeration.

    >>> spec = example_spec()
    >>> spec.family, spec.ambient_dim, len(spec.data) == len(spec.labels)
    ('relu', 2, True)
    """
    from ..partitions.relu import load_example

    net, D, X, y = load_example()
    return ModelSpec(
        "relu",
        {"weights": tuple(net.weights), "biases": tuple(net.biases)},
        D,
        domain_to_json(D),
        policy=None,
        data=tuple(X),
        labels=tuple(y),
        mode="full",
        name="built-in example",
    )
