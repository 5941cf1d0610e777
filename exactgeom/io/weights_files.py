"""Reading ReLU weights from ``.npz`` / ``.pt`` files, and data points from ``.json`` /
``.csv`` files (see :mod:`exactgeom.io.model_files` for the JSON model format).

* ``.npz``: arrays ``W0, b0, W1, b1, …`` (layer ``z_l = W_l h_{l-1} + b_l``, the last
  layer the affine output) and optionally ``domain`` (n×2); float arrays need a policy.
* ``.pt``: a saved ``torch.nn.Sequential`` (or one layer), or its ``state_dict``, read by
  :func:`exactgeom.importers.torch.sequential_to_network` exactly as :func:`from_torch
  <exactgeom.importers.torch.from_torch>` reads the same object in memory (same network,
  same errors); always needs a policy. torch is imported only here, only when such a file
  is read. A saved module is a pickle: read only files you trust.

>>> import numpy as np, tempfile, os
>>> p = os.path.join(tempfile.mkdtemp(), "net.npz")
>>> np.savez(p, W0=np.array([[1, -1], [1, 1]]), b0=np.array([0, 0]), W1=np.array([[1, 1]]), b1=np.array([0]))
>>> spec = read_weights(p, domain=[[-1, 1], [-1, 1]])
>>> spec.family, spec.to_json()["weights"][1]
('relu', [['1', '1']])
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from pathlib import Path
from typing import Any

from ..errors import InexactInputError, InvalidInputError
from ..numbers.rational import as_rational
from .model_files import ModelSpec, Vec, _domain, _from_mapping, _labels, _loads, _points

__all__ = ["read_weights", "read_data"]


def read_weights(path: str | Path, *, policy: Any = None, domain: Any = None) -> ModelSpec:
    """Read a ReLU network from a ``.npz`` or ``.pt`` file (``domain``: a box list or
    ``{"A", "b"}``; required unless the ``.npz`` holds one)."""
    p = Path(path)
    if not p.exists():
        raise InvalidInputError(f"model file {str(p)!r} does not exist")
    if p.suffix.lower() == ".npz":
        return _from_npz(p, policy, domain)
    return _from_torch_file(p, policy, domain)


def _relu_from_arrays(
    Ws: list[Any], bs: list[Any], policy: Any, domain: Any, source: str, slopes: list[Any] | None = None
) -> ModelSpec:
    obj: dict[str, Any] = {"family": "relu", "weights": Ws, "biases": bs}
    if slopes is not None and any(slopes):
        obj["negative_slopes"] = slopes
    if domain is None:
        raise InvalidInputError(f"{source} has no domain; give one (--domain lo:hi,lo:hi or a JSON list of pairs)")
    return _from_mapping(obj, policy, top=True, domain_override=domain)


def _from_npz(path: Path, policy: Any, domain: Any) -> ModelSpec:
    import numpy as np

    try:
        z = np.load(path, allow_pickle=False)
    except Exception as exc:  # zipfile / ValueError: not an npz
        raise InvalidInputError(f"cannot read {str(path)!r} as a numpy .npz archive: {exc}") from None
    with z:
        names = set(z.files)
        L = 0
        while f"W{L}" in names:
            L += 1
        if L == 0:
            raise InvalidInputError(f"{str(path)!r} has no arrays W0, b0, W1, b1, ... (found {sorted(names)})")
        extra = names - {f"W{l}" for l in range(L)} - {f"b{l}" for l in range(L)} - {"domain"}
        if extra:
            raise InvalidInputError(f"{str(path)!r} has unexpected arrays {sorted(extra)}; expected W0, b0, W1, b1, ... and optionally domain")
        for l in range(L):
            if f"b{l}" not in names:
                raise InvalidInputError(f"{str(path)!r} has W{l} but no b{l}")
        try:
            Ws = [z[f"W{l}"] for l in range(L)]
            bs = [z[f"b{l}"] for l in range(L)]
            if domain is None and "domain" in names:
                domain = z["domain"]
        except ValueError as exc:  # object (pickled) arrays: never unpickled
            raise InvalidInputError(
                f"cannot read the arrays of {str(path)!r}: {exc}; exactgeom does not unpickle. Save numeric "
                "arrays (integers, or floats with a policy), or exact values as a JSON model file"
            ) from None
    for l, (w, b) in enumerate(zip(Ws, bs)):
        if w.ndim != 2 or b.ndim != 1:
            raise InvalidInputError(f"W{l} must be 2-D and b{l} 1-D (got shapes {w.shape} and {b.shape})")
    if domain is not None and hasattr(domain, "shape"):
        if domain.ndim != 2 or domain.shape[1:] != (2,):
            raise InvalidInputError(
                f"the domain array of {str(path)!r} has shape {domain.shape}; it must be n x 2 (one [lo, hi] row per input)"
            )
        domain = [list(r) for r in domain]
    if policy is None and any(a.dtype.kind in "fc" for a in (*Ws, *bs)):
        raise _inexact(f"{str(path)!r} holds float weights")
    return _relu_from_arrays(Ws, bs, policy, domain, repr(str(path)))


def _from_torch_file(path: Path, policy: Any, domain: Any) -> ModelSpec:
    try:
        import torch
    except ImportError:
        raise InvalidInputError(
            "reading a .pt model needs PyTorch, which is not installed (pip install torch==2.13.0)"
        ) from None
    try:
        # a saved nn.Module is a pickle: only load files you trust
        obj = torch.load(path, map_location="cpu", weights_only=False)
    except Exception as exc:
        raise InvalidInputError(f"cannot read {str(path)!r} with torch.load: {exc}") from None
    if policy is None:
        raise _inexact(f"{str(path)!r} holds float weights")
    from ..importers.torch import check_input_width, sequential_to_network

    # the one reading of a torch model, shared with from_torch: a module (read as at
    # inference, eval mode, never modified), a bare layer or a state_dict of Linear layers
    Ws, bs, slopes = sequential_to_network(obj, policy, where=repr(str(path)))
    if domain is not None:
        check_input_width(len(Ws[0][0]), _domain(domain, policy)[0].ambient_dim)
    return _relu_from_arrays(
        [[list(r) for r in W] for W in Ws], [list(b) for b in bs], policy, domain, repr(str(path)), list(slopes)
    )


def _inexact(what: str) -> Exception:
    return InexactInputError(
        f"{what}; choose a float policy: --policy exact (binary value) or --policy 'limit_denominator(1000)'"
    )


# ---------------------------------------------------------------------------- data files


def read_data(path: Any, *, policy: Any = None, n: int | None = None) -> tuple[tuple[Vec, ...], tuple[Hashable, ...] | None]:
    """Read data points (and labels) from a ``.json`` file (a list of points, or
    ``{"data": [...], "labels": [...]}``) or a ``.csv`` file (one point per row; a header
    naming a ``label`` column gives labels).

    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "d.csv")
    >>> _ = open(p, "w").write("x,y,label\\n0,1/2,1\\n1,0,0\\n")
    >>> read_data(p)
    (((Fraction(0, 1), Fraction(1, 2)), (Fraction(1, 1), Fraction(0, 1))), ('1', '0'))
    """
    p = Path(path)
    if not p.exists():
        raise InvalidInputError(f"data file {str(p)!r} does not exist")
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInputError(f"cannot read data file {str(p)!r}: {exc}") from None
    labels: Any = None
    if p.suffix.lower() == ".csv":
        import csv

        numbered = [(ln, r) for ln, r in enumerate(csv.reader(text.splitlines()), 1) if r and any(c.strip() for c in r)]
        if not numbered:
            raise InvalidInputError(f"data file {str(p)!r} is empty")
        header = None
        # a header only when no entry of the first row reads as a number (nan and inf count
        # as numbers here: a data row of floats is never taken for a header)
        if not any(_looks_numeric(c) for c in numbered[0][1]):
            header = [c.strip().lower() for c in numbered[0][1]]
            numbered = numbered[1:]
            if not numbered:
                first = ",".join(header)
                hint = (" (values must be separated by commas, not ';', tabs or spaces)"
                        if any(d in first for d in ";\t ") else "")
                raise InvalidInputError(
                    f"data file {str(p)!r} has no data rows: its only line {first[:60]!r} was read as a "
                    f"header{hint}"
                )
        lab_col = header.index("label") if header and "label" in header else None
        pts, labs = [], []
        width = len(header) if header else (len(numbered[0][1]) if numbered else 0)
        for ln, r in numbered:
            vals = [c.strip() for c in r]
            if len(vals) != width:
                raise InvalidInputError(
                    f"data file {str(p)!r}: line {ln} has {len(vals)} columns, "
                    f"expected {width}; every row needs the same columns"
                )
            if lab_col is not None:
                labs.append(vals.pop(lab_col))
            try:
                pts.append([_csv_number(v, policy) for v in vals])
            except InvalidInputError as exc:
                hint = ("; values must be separated by commas, not ';', tabs or spaces"
                        if any(d in v for v in vals for d in ";\t ") else "")
                raise type(exc)(f"data file {str(p)!r}, line {ln}: {exc}{hint}") from None
        labels = labs if lab_col is not None else None
        data: Any = pts
    else:
        obj = _loads(text, f"data file {str(p)!r}")
        if isinstance(obj, Mapping):
            data, labels = obj.get("data"), obj.get("labels")
            if data is None:
                raise InvalidInputError(f'data file {str(p)!r} has no "data" field')
        else:
            data = obj
    pts2 = _points(data, policy, n, "data")
    return pts2, (None if labels is None else _labels(labels, len(pts2)))


def _looks_numeric(v: str) -> bool:
    t = v.strip()
    try:
        as_rational(t)
        return True
    except InvalidInputError:
        pass
    try:
        float(t)
        return True
    except ValueError:
        return False


def _csv_number(v: str, policy: Any) -> Any:
    try:
        return as_rational(v)
    except InvalidInputError:
        pass
    try:
        x = float(v)  # a float only with a policy (as_rational decides)
    except ValueError:
        raise InvalidInputError(f"{v!r} is not a number") from None
    return as_rational(x, policy, name=repr(v))
