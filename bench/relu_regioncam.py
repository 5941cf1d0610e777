"""Benchmark: exact ReLU cell enumeration (exactgeom) side by side with regioncam.

regioncam (PyPI ``regioncam`` 0.5.2, Rust) computes the linear regions of a network on a 2-D
input square by splitting a planar polygon subdivision one unit at a time, entirely in
float32 (weights, vertex coordinates, activations; a unit's zero set is located by linear
interpolation along edges, a face's activation mask is "every vertex ``>= -1e-6``").

Networks (the "generic" set) are those of ``bench/relu.py``: ``2-w-…-w-1``, weights
``N(0, 1/fan_in)``, biases ``N(0, 1/4)`` from ``random.Random(seed).gauss``, each made a
rational with ``limit_denominator(1000)``; domain ``[-1, 1]^2``. regioncam gets
``float32(float(q))`` of the same rationals (it only accepts float32), and
``Regioncam(size=1)`` (the square ``[-1, 1]^2``, exact in float32).

The "dyadic" set draws the same Gaussians and rounds them to the grid ``(1/q)Z``
(q = 4, 8, 16): those weights are exactly representable in float32 (so regioncam gets
exactly the exact net), and the coarse grid makes many zero lines concurrent, coincident
or through domain corners: degenerate inputs, where float geometry is fragile.

For every run: exact cells and regioncam faces, wall times, and a pattern-level comparison.
regioncam's pattern of a face is read from its per-face affine map of every ReLU layer (unit
active iff that map is not identically zero, i.e. the mask it applied). Diagnosis:

* ``only rc``: faces whose pattern is the key of no full-dimensional exact cell; each is
  certified exactly by building the closed cell of that pattern (``net.cell``) and reporting
  its dimension (-1 empty, 0 point, 1 segment).
* ``split``: exact cells that regioncam cut into several faces (the pieces other than the
  largest are slivers; their largest float area is reported).
* ``missed``: exact cells whose pattern no face carries (exact volume and inradius).
* ``displaced``: faces whose pattern is right but whose exact pattern at the (rational)
  centroid of the face's float32 vertices is another one (the face's geometry misses its
  cell): reported with the exact cell's area and certified inradius.
* ``max vertex err``: over the faces matched one-to-one, the largest distance from a vertex
  of the exact cell to the nearest vertex of regioncam's face (float64 of exact data).

Usage::

    .venv/bin/python bench/relu_regioncam.py            # writes docs/benchmarks/relu_regioncam.md
    .venv/bin/python bench/relu_regioncam.py --quick --no-write   # without 2-128-128-1
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import os
import platform
import random
import sys
import time
from collections import Counter
from fractions import Fraction
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_spec = importlib.util.spec_from_file_location("_bench_relu", ROOT / "bench" / "relu.py")
_bench_relu = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_bench_relu)  # type: ignore[union-attr]
make_net = _bench_relu.make_net  # the networks of bench/relu.py (same seeds and distribution)

GENERIC = [
    ("2-8-8-1", range(5)),
    ("2-16-16-1", range(5)),
    ("2-32-32-1", range(5)),
    ("2-64-64-1", range(2)),
    ("2-32-32-32-32-1", range(2)),
    ("2-128-128-1", range(1)),
]
DYADIC = [(q, net, seeds) for q in (16, 8, 4) for net, seeds in (("2-32-32-1", range(3)), ("2-64-64-1", range(1)))]
DOMAIN = [(-1, 1), (-1, 1)]


def make_dyadic(sizes: list[int], seed: int, q: int) -> tuple[list, list]:
    """The Gaussians of :func:`make_net` rounded to the grid (1/q)Z (exact in float32)."""
    rng = random.Random(seed)
    W, b = [], []
    for a, c in pairwise(sizes):
        W.append([[Fraction(round(rng.gauss(0, a ** -0.5) * q), q) for _ in range(a)] for _ in range(c)])
        b.append([Fraction(round(rng.gauss(0, 0.5) * q), q) for _ in range(c)])
    return W, b


def float32_layers(W: list, b: list) -> list:
    import numpy as np

    # regioncam computes x_out = x_in @ weight + bias: weight is (in, out), our W_l is (out, in)
    return [
        (np.array([[float(x) for x in r] for r in Wl], dtype=np.float32).T.copy(),
         np.array([float(x) for x in bl], dtype=np.float32))
        for Wl, bl in zip(W, b)
    ]


def run_regioncam(layers: list) -> tuple:
    import regioncam

    rc = regioncam.Regioncam(size=1.0)  # the square [-1, 1]^2
    relu_layers = []
    for l, (Wt, bt) in enumerate(layers):
        rc.linear(Wt, bt)
        if l < len(layers) - 1:
            relu_layers.append(rc.relu())
    return rc, relu_layers


def compare(P, rc, relu_layers: list) -> dict:
    """Pattern-level comparison of regioncam's faces with the exact cells (see module doc)."""
    import numpy as np

    net = P.model
    F = rc.num_faces
    masks = [np.any(rc.face_activations(L) != 0, axis=1) for L in relu_layers]  # (F, width) each
    rpats = [tuple(tuple(int(v) for v in m[f]) for m in masks) for f in range(F)]
    V = rc.vertex_inputs
    faces_v, cents, areas = [], [], []
    for face in rc.faces:
        ids = list(face.vertex_ids)
        pts = [(Fraction(float(V[i, 0])), Fraction(float(V[i, 1]))) for i in ids]
        faces_v.append([(float(V[i, 0]), float(V[i, 1])) for i in ids])
        cents.append((sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)))
        areas.append(float(face.area))
    E = {c.key: c for c in P.cells}
    R = Counter(rpats)
    out: dict = {"faces": F, "area_sum": sum(areas)}
    # faces with a pattern of no full-dimensional cell: certify exactly via the closed cell
    only_rc = [f for f in range(F) if rpats[f] not in E]
    dims = Counter()
    for f in only_rc:
        C = net.cell(rpats[f], DOMAIN)
        dims[-1 if C.is_empty else C.dim] += 1
    out["only_rc"] = len(only_rc)
    out["only_rc_dims"] = dict(sorted(dims.items()))
    out["only_rc_max_area"] = max((areas[f] for f in only_rc), default=0.0)
    # exact cells cut into several faces
    split = [k for k, n in R.items() if n > 1 and k in E]
    extra = [a for k in split for a in sorted(areas[f] for f in range(F) if rpats[f] == k)[:-1]]
    out["split"] = len(split)
    out["split_extra_faces"] = len(extra)
    out["split_max_extra_area"] = max(extra, default=0.0)
    # exact cells no face carries
    missed = [E[k] for k in E if k not in R]
    out["missed"] = [(float(c.volume()), float(c.polytope.chebyshev_ball(norm="max").radius)) for c in missed]
    # right pattern, geometry off: the exact pattern at the face's centroid differs
    epats, zero_idx = net._int.batch_patterns(cents)
    zero = set(zero_idx)
    displaced = []
    for f in range(F):
        if rpats[f] not in E or R[rpats[f]] != 1 or epats[f] == rpats[f]:
            continue
        if f in zero:  # centroid on some unit's zero set: compare the units that are nonzero there
            zs, _ = net._int.preactivations(cents[f])
            if all((v > 0) == bool(s) for z, p in zip(zs[:-1], rpats[f]) for v, s in zip(z, p) if v != 0):
                continue
        displaced.append(f)
    out["displaced"] = [
        (areas[f], float(E[rpats[f]].volume()), float(E[rpats[f]].polytope.chebyshev_ball(norm="max").radius))
        for f in displaced
    ]
    # vertex error of the one-to-one matched faces
    err = 0.0
    for f in range(F):
        k = rpats[f]
        if k in E and R[k] == 1:
            fv = faces_v[f]
            for v in E[k].polytope.vertices:
                x, y = float(v[0]), float(v[1])
                err = max(err, min(math.hypot(x - a, y - c) for a, c in fv))
    out["max_vertex_err"] = err
    out["patterns_both"] = sum(1 for k in E if k in R)
    # the smallest exact cell (how close the net comes to float32 resolution)
    small = min(P.cells, key=lambda c: c.volume())
    out["min_cell"] = (float(small.volume()), float(small.polytope.chebyshev_ball(norm="max").radius))
    return out


def run_one(W: list, b: list) -> dict:
    from exactgeom.partitions.relu import ReLUNetwork, relu_network

    layers = float32_layers(W, b)
    t0 = time.perf_counter()
    rc, rl = run_regioncam(layers)
    t_rc = time.perf_counter() - t0
    net = ReLUNetwork(W, b)
    t0 = time.perf_counter()
    P = relu_network(net, None, DOMAIN, progress=False)
    t_ex = time.perf_counter() - t0
    t0 = time.perf_counter()
    res = compare(P, rc, rl)
    res.update(cells=P.n_cells, t_exact=t_ex, t_rc=t_rc, t_compare=time.perf_counter() - t0)
    # the exact side checked too (volumes sum to the domain's, cells disjoint, keys right)
    res["check"] = P.check().ok if P.n_cells <= 5000 else None
    rel = [abs(float(Fraction(float(w32)) - q) / float(q)) for Wl, (Wt, _) in zip(W, layers)
           for i, r in enumerate(Wl) for j, q in enumerate(r) for w32 in [Wt[j, i]] if q]
    res["w_round"] = max(rel, default=0.0)
    return res


def diagnosis(r: dict) -> str:
    parts = []
    if r["only_rc"]:
        d = ", ".join(f"{n} {['empty', 'point', 'segment', '2-D?!'][k + 1]}" for k, n in r["only_rc_dims"].items())
        parts.append(f"{r['only_rc']} sliver faces with a pattern of no 2-D cell (exact cell: {d}; "
                     f"max area {r['only_rc_max_area']:.1e})")
    if r["split"]:
        parts.append(f"{r['split']} cells cut into {r['split'] + r['split_extra_faces']} faces "
                     f"(extra pieces: max area {r['split_max_extra_area']:.1e})")
    if r["missed"]:
        parts.append(f"{len(r['missed'])} cells missed (area, ℓ∞ inradius: "
                     + "; ".join(f"{v:.1e}, {i:.1e}" for v, i in r["missed"][:5]) + ")")
    if r["displaced"]:
        parts.append(f"{len(r['displaced'])} faces with the right pattern but displaced off their cell "
                     "(exact area, ℓ∞ inradius: " + "; ".join(f"{v:.1e}, {i:.1e}" for _, v, i in r["displaced"][:3]) + ")")
    if not parts:
        return "same patterns, one face per cell"
    return "; ".join(parts)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="skip 2-128-128-1 (about 60 s)")
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--out", default=str(ROOT / "docs" / "benchmarks" / "relu_regioncam.md"))
    args = ap.parse_args()
    try:
        import regioncam
    except ImportError:
        print("regioncam is not installed: .venv/bin/pip install regioncam==0.5.2", file=sys.stderr)
        return 1
    run_regioncam(float32_layers(*make_net([2, 4, 1], 0)))  # warm-up (first call loads the extension)
    rows = []
    t_start = time.perf_counter()
    jobs = [("generic", None, net, s) for net, seeds in GENERIC for s in seeds]
    jobs += [("dyadic", q, net, s) for q, net, seeds in DYADIC for s in seeds]
    for kind, q, net, seed in jobs:
        if args.quick and net == "2-128-128-1":
            continue
        sizes = [int(s) for s in net.split("-")]
        W, b = make_net(sizes, seed) if kind == "generic" else make_dyadic(sizes, seed, q)
        r = run_one(W, b)
        r.update(kind=kind if q is None else f"dyadic 1/{q}", net=net, seed=seed)
        print(f"{r['kind']:11s} {net:16s} seed {seed}: exact {r['cells']} in {r['t_exact']:.2f} s, regioncam "
              f"{r['faces']} in {r['t_rc']:.4f} s; {diagnosis(r)}", flush=True)
        rows.append(r)
    total = time.perf_counter() - t_start
    text = report(rows, total, regioncam.__version__)
    if not args.no_write:
        Path(args.out).write_text(text, encoding="utf-8")
        print("wrote", args.out)
    return 0


def report(rows: list[dict], total: float, version: str) -> str:
    load = os.getloadavg()
    L = [
        "# Benchmark: exact ReLU cells (exactgeom) vs regioncam (float32)",
        "",
        f"Machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}, Python "
        f"{platform.python_version()}; load average at the end {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} "
        f"(shared machine: wall times are noisy). regioncam {version}. Whole run {total:.0f} s.",
        "",
        "Reproduce: `.venv/bin/pip install regioncam==0.5.2` (needs only numpy; no torch), then "
        "`.venv/bin/python bench/relu_regioncam.py` (writes this file; `--quick` skips 2-128-128-1).",
        "",
        "**regioncam** (Rust, PyPI `regioncam`) builds the linear regions of a network on a 2-D input "
        "polygon as a half-edge planar subdivision, layer by layer and unit by unit: it evaluates the "
        "unit at every vertex, splits each edge whose end values change sign at the linearly "
        "interpolated zero, joins the zero vertices of each face, and marks a unit active on a face "
        "when all the face's vertex values are `>= -1e-6`. Everything is float32 (weights must be "
        "float32 arrays; vertices, activations and per-face affine maps are float32); there is no "
        "merge of faces, so each face is one activation region (an activation cell, as in exactgeom). "
        "**exactgeom**: `relu_network(net, None, [(-1, 1), (-1, 1)])`, exact rationals throughout.",
        "",
        "Generic nets: exactly those of `bench/relu.py` (weights `N(0, 1/fan_in)`, biases `N(0, 1/4)`, "
        "`random.Random(seed)`, `limit_denominator(1000)`), domain `[-1, 1]^2`; regioncam gets "
        "`float32(float(q))` of each rational and `Regioncam(size=1)` (= `[-1, 1]^2`, exact). "
        "'w round' is the largest relative change float32 makes to a weight (the float32 net is a "
        "perturbation of the exact one by at most that). Dyadic nets: the same Gaussians rounded to "
        "`(1/q)Z`: exact in float32 (regioncam gets the very same net), and degenerate on purpose "
        "(many zero lines of units pass through common points or overlap along segments).",
        "",
        "Times: wall seconds of the enumeration call only (regioncam: `linear`/`relu` calls; "
        "exactgeom: `relu_network`); one run each. Columns 'only rc', 'split', 'missed', "
        "'displaced' count faces/cells as described below the table.",
        "",
        "| nets | net | seed | exact cells | exactgeom s | regioncam faces | regioncam s | exact/rc time | "
        "same patterns | only rc | split (extra faces) | missed | displaced | max vertex err | "
        "smallest exact cell (area, ℓ∞ inradius) | w round | exact check() | diagnosis |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        diff = "" if r["faces"] == r["cells"] else " **≠**"
        L.append(
            f"| {r['kind']} | {r['net']} | {r['seed']} | {r['cells']} | {r['t_exact']:.3f} | {r['faces']}{diff} | "
            f"{r['t_rc']:.4f} | {r['t_exact'] / max(r['t_rc'], 1e-9):.0f}x | {r['patterns_both']} | {r['only_rc']} | "
            f"{r['split']} ({r['split_extra_faces']}) | {len(r['missed'])} | {len(r['displaced'])} | "
            f"{r['max_vertex_err']:.1e} | {r['min_cell'][0]:.1e}, {r['min_cell'][1]:.1e} | {r['w_round']:.0e} | "
            f"{ {True: 'ok', False: '**FAILED**', None: '—'}[r['check']]} | {diagnosis(r)} |"
        )
    gen = [r for r in rows if r["kind"] == "generic"]
    dy = [r for r in rows if r["kind"] != "generic"]
    ratios = [r["t_exact"] / max(r["t_rc"], 1e-9) for r in rows]
    agree = sum(1 for r in gen if r["faces"] == r["cells"] and not r["only_rc"] and not r["missed"] and not r["split"])
    L += [
        "",
        "How each column is decided (exactly, unless it is a float area or distance):",
        "",
        "* regioncam's pattern of a face is read from its per-face affine map of each ReLU layer "
        "(unit active iff that map is not identically zero: the mask regioncam applied).",
        "* 'same patterns': exact cells whose key is the pattern of some regioncam face.",
        "* 'only rc': faces whose pattern is the key of no exact cell; for each, the closed cell of "
        "that pattern (`net.cell(pattern, domain)`) is built exactly and its dimension reported "
        "(empty / point / segment), which certifies that it is not a 2-D cell.",
        "* 'split': exact cells carried by several faces; the pieces but the largest are slivers "
        "(their largest regioncam area is given).",
        "* 'missed': exact cells whose key no face carries (exact area and ℓ∞ inradius).",
        "* 'ℓ∞ inradius': half the side of the largest axis-parallel square inside the cell, an exact "
        "rational (`chebyshev_ball(norm='max')`; the Euclidean inradius lies between it and √2 times it).",
        "* 'exact check()': `Partition.check()` on exactgeom's result (cell volumes sum to the domain's, "
        "cells pairwise interior-disjoint, each key equals the pattern at its cell's centroid); '—' above 5000 cells.",
        "* 'displaced': faces with a unique, correct pattern whose float32 geometry misses its cell "
        "(checked on faces matched one-to-one): "
        "the exact pattern at the rational centroid of the face's float32 vertices is another cell's.",
        "* 'max vertex err': over faces matched one-to-one, the largest distance from an exact cell "
        "vertex to the nearest vertex of the matching face (float64 of exact vertices).",
        "",
        f"Summary: on the {len(gen)} generic nets regioncam and exactgeom agree on {agree}: same count, "
        "same set of patterns, one face per cell; regioncam's vertices are within "
        f"{max(r['max_vertex_err'] for r in gen):.1e} of the exact ones (float32 weights and arithmetic). "
        f"regioncam is {min(ratios):.0f}x to {max(ratios):.0f}x faster in wall time (float32 Rust, no LPs, "
        "no certification). "
        + (f"{sum(len(r['displaced']) for r in gen)} generic face(s) carry the right pattern with float32 "
           "geometry off their exact cell: a genuine tiny cell (see its inradius) found at the right place "
           "up to a few float32 ulps. " if any(r["displaced"] for r in gen) else "")
        + "Differences appear on degenerate nets: with dyadic weights, where several zero lines pass "
        "exactly through one point or coincide, float32 rounding makes regioncam cut tiny sliver faces "
        "there: faces whose pattern is realised only on a segment, at a point or nowhere, and exact "
        "cells cut in two. Its counts then exceed the exact number of cells "
        f"({sum(r['faces'] - r['cells'] for r in dy)} extra faces over the {len(dy)} dyadic runs, "
        f"{sum(len(r['missed']) for r in rows)} exact cells missed over all runs).",
        "",
    ]
    return "\n".join(L) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
