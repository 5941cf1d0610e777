"""Regenerate exactgeom/data/example_relu.json, the built-in example of the main job.

A 2-8-8-1 ReLU network trained by plain full-batch gradient descent (numpy, fixed seed)
on 200 points of two interleaved moons (generated deterministically, rounded to
rationals with denominator at most 100), the logistic loss on the single output
(class 1 iff output > 0). The trained float weights are rounded to rationals with
``Fraction.limit_denominator(64)``; the accuracy reported in the JSON note is that of
the rounded, exact network.

Run:  .venv/bin/python scripts/make_example_model.py   (deterministic; prints a summary)
"""

from __future__ import annotations

import json
import sys
from fractions import Fraction
from itertools import pairwise
from pathlib import Path

import numpy as np

SEED = 7
N_POINTS = 200
SIZES = (2, 8, 8, 1)
STEPS = 6000
LR = 0.2
MAX_DEN_WEIGHTS = 64
MAX_DEN_DATA = 100
DOMAIN = [("-2", "3"), ("-3/2", "2")]
OUT = Path(__file__).resolve().parent.parent / "exactgeom" / "data" / "example_relu.json"


def moons(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved half circles with Gaussian noise (sigma 0.15)."""
    n0 = n // 2
    n1 = n - n0
    t0 = np.linspace(0, np.pi, n0)
    t1 = np.linspace(0, np.pi, n1)
    X0 = np.stack([np.cos(t0), np.sin(t0)], axis=1)
    X1 = np.stack([1 - np.cos(t1), 0.5 - np.sin(t1)], axis=1)
    X = np.concatenate([X0, X1]) + rng.normal(scale=0.15, size=(n, 2))
    y = np.concatenate([np.zeros(n0, dtype=int), np.ones(n1, dtype=int)])
    return X, y


def train(X: np.ndarray, y: np.ndarray, rng: np.random.Generator) -> list[tuple[np.ndarray, np.ndarray]]:
    layers = []
    for a, b in pairwise(SIZES):
        layers.append([rng.normal(scale=np.sqrt(2.0 / a), size=(b, a)), np.zeros(b)])
    Xc = X - X.mean(axis=0)  # gradient descent on centred inputs converges faster
    for _ in range(STEPS):
        hs = [Xc]
        zs = []
        for l, (W, b) in enumerate(layers):
            z = hs[-1] @ W.T + b
            zs.append(z)
            hs.append(np.maximum(z, 0) if l < len(layers) - 1 else z)
        p = 1 / (1 + np.exp(-hs[-1][:, 0]))
        g = ((p - y) / len(y))[:, None]  # d loss / d logit
        for l in range(len(layers) - 1, -1, -1):
            W, b = layers[l]
            gW = g.T @ hs[l]
            gb = g.sum(axis=0)
            g = (g @ W) * (zs[l - 1] > 0) if l > 0 else None
            layers[l][0] = W - LR * gW
            layers[l][1] = b - LR * gb
    # fold the centring into the first layer: W (x - m) + b = W x + (b - W m)
    m = X.mean(axis=0)
    layers[0][1] = layers[0][1] - layers[0][0] @ m
    return [(W, b) for W, b in layers]


def rat(x: float, den: int) -> Fraction:
    return Fraction(float(x)).limit_denominator(den)


def _dump(doc: dict) -> str:
    """JSON with one matrix row / data point per line (readable diffs)."""
    lines = ["{"]
    items = list(doc.items())
    for i, (k, v) in enumerate(items):
        end = "," if i < len(items) - 1 else ""
        if k in ("weights", "data", "domain"):
            inner = v if k != "weights" else None
            if k == "weights":
                layers = [",\n".join("   " + json.dumps(r) for r in Wl) for Wl in v]
                body = ",\n".join("  [\n" + L + "\n  ]" for L in layers)
            else:
                body = ",\n".join("  " + json.dumps(r) for r in inner)
            lines.append(f" {json.dumps(k)}: [\n{body}\n ]{end}")
        else:
            lines.append(f" {json.dumps(k)}: {json.dumps(v)}{end}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main() -> int:
    rng = np.random.default_rng(SEED)
    Xf, y = moons(N_POINTS, rng)
    X = [[rat(v, MAX_DEN_DATA) for v in row] for row in Xf]
    layers = train(np.array([[float(v) for v in r] for r in X]), y, rng)
    W = [[[rat(v, MAX_DEN_WEIGHTS) for v in row] for row in Wl] for Wl, _ in layers]
    b = [[rat(v, MAX_DEN_WEIGHTS) for v in bl] for _, bl in layers]

    sys.path.insert(0, str(OUT.parent.parent.parent))
    from exactgeom.partitions.relu import ReLUNetwork, relu_network

    net = ReLUNetwork(W, b)
    correct = sum((net.forward(x)[0] > 0) == bool(t) for x, t in zip(X, y))
    P = relu_network(net, None, DOMAIN)
    doc = {
        "format": "exactgeom-relu-example/1",
        "note": (
            f"2-8-8-1 ReLU network (hidden ReLU layers, affine output; class 1 iff output > 0) trained by "
            f"full-batch gradient descent on the logistic loss ({STEPS} steps, learning rate {LR}, numpy seed "
            f"{SEED}) on {N_POINTS} points of two interleaved moons (noise 0.15, coordinates rounded with "
            f"limit_denominator({MAX_DEN_DATA})); weights rounded with limit_denominator({MAX_DEN_WEIGHTS}). "
            f"Exact training accuracy of the rounded network: {correct}/{N_POINTS}; it cuts the domain into "
            f"{P.n_cells} cells. Regenerate with scripts/make_example_model.py."
        ),
        "layer_sizes": list(SIZES),
        "weights": [[[str(v) for v in row] for row in Wl] for Wl in W],
        "biases": [[str(v) for v in bl] for bl in b],
        "domain": [list(p) for p in DOMAIN],
        "data": [[str(v) for v in row] for row in X],
        "labels": [int(t) for t in y],
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(_dump(doc), encoding="utf-8")
    print(f"wrote {OUT}: accuracy {correct}/{N_POINTS}, {P.n_cells} cells, check ok = {P.check().ok}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
