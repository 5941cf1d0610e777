"""Benchmark: Ollivier–Ricci curvature on the edges of partition complexes, exact vs float,
side by side with GraphRicciCurvature.

For the complexes of a few partitions (random line and plane arrangements, a random
ReLU network, the built-in trained ReLU example with its data), every edge gets:

* exact Ollivier–Ricci (rational LP solved by cddlib) and the float version (scipy
  HiGHS), with the default walk (data masses, else cell volumes) and with the simple
  walk (``edge_weight="uniform"``); time per edge and the largest |exact − float|;
* the certified surd variants (``edge_weight="face"``, ``distance="centroid"``) on the
  smaller complexes: time per edge, largest |exact − float|;
* Forman–Ricci exact and float;
* GraphRicciCurvature's ``OllivierRicci`` (``method="OTD"``: exact EMD in floats via
  POT; ``alpha`` the same; unit edge weights, so its walk is the simple lazy walk and
  its distance the hop distance) on the same graph — values compared with ours.

GraphRicciCurvature 0.6.1 pins ``scipy<=1.13.1`` (hence numpy < 2.3), which would
downgrade the project's environment, so it is run from a separate interpreter:
``--grc-python /path/to/python`` (a venv with ``pip install GraphRicciCurvature==0.6.1``);
if GraphRicciCurvature imports in the running interpreter, that is used instead.

Run: ``python bench/curvature.py [--grc-python PY] [--out docs/benchmarks/curvature.md]``.

``python bench/curvature.py --regularizer`` times instead one training step of a 2-12-12-1
torch MLP on two moons (200 points, BCE loss, Adam) without and with
:class:`exactgeom.GeometricRegularizer` (all four penalties), and prints a Markdown section
(recorded in ``docs/benchmarks/curvature.md``).
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import subprocess
import sys
import time
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from exactgeom.analysis.ricci import ricci_curvature
from exactgeom.complex import RiemannianComplex
from exactgeom.partitions.arrangement import arrangement
from exactgeom.partitions.relu import load_example, relu_network

F = Fraction

GRC_SCRIPT = r"""
import json, sys, time
import networkx as nx
from GraphRicciCurvature.OllivierRicci import OllivierRicci
job = json.load(sys.stdin)
G = nx.Graph()
G.add_nodes_from(range(job["n"]))
G.add_edges_from((i, j, {"weight": 1.0}) for i, j in job["edges"])
t = time.perf_counter()
orc = OllivierRicci(G, alpha=job["alpha"], method="OTD", verbose="ERROR", proc=1)
orc.compute_ricci_curvature()
dt = time.perf_counter() - t
out = {f"{i},{j}": float(orc.G[i][j]["ricciCurvature"]) for i, j in job["edges"]}
json.dump({"time": dt, "ricci": out}, sys.stdout)
"""


def timed(f: Callable[[], Any]) -> tuple[Any, float]:
    t = time.perf_counter()
    out = f()
    return out, time.perf_counter() - t


def run_grc(n: int, edges: list[tuple[int, int]], alpha: float, python: str | None) -> dict[str, Any] | None:
    job = {"n": n, "edges": [list(e) for e in edges], "alpha": alpha}
    try:
        import GraphRicciCurvature  # noqa: F401

        python = sys.executable
    except ImportError:
        if python is None:
            return None
    proc = subprocess.run([python, "-c", GRC_SCRIPT], input=json.dumps(job), capture_output=True, text=True, timeout=1800)
    if proc.returncode != 0:
        print(proc.stderr, file=sys.stderr)
        return None
    res = json.loads(proc.stdout)
    res["ricci"] = {tuple(int(x) for x in k.split(",")): v for k, v in res["ricci"].items()}
    return res


def cases(quick: bool) -> list[tuple[str, Any, Any]]:
    rng = random.Random(1)
    m = 8 if quick else 14
    W = [[rng.randint(-9, 9), rng.randint(-9, 9)] for _ in range(m)]
    W = [w if any(w) else [1, 0] for w in W]
    c = [F(rng.randint(-20, 20), 4) for _ in range(m)]
    out = [(f"{m} random lines (2-D)", arrangement(W, c, [(-3, 3), (-3, 3)]), None)]
    k = 4 if quick else 6
    W3 = [[rng.randint(-5, 5) for _ in range(3)] for _ in range(k)]
    c3 = [F(rng.randint(-8, 8), 4) for _ in range(k)]
    out.append((f"{k} random planes (3-D)", arrangement(W3, c3, [(-2, 2)] * 3), None))
    sizes = [2, 8, 8, 1]
    q = lambda: F(rng.randint(-6, 6), rng.randint(1, 4))  # noqa: E731
    Wr = [[[q() for _ in range(sizes[l])] for _ in range(sizes[l + 1])] for l in range(3)]
    br = [[q() for _ in range(sizes[l + 1])] for l in range(3)]
    if not quick:
        out.append(("random ReLU 2-8-8-1", relu_network(Wr, br, [(-2, 2), (-2, 2)]), None))
    net, D, X, _ = load_example()
    out.append((f"built-in ReLU example {'-'.join(map(str, net.layer_sizes))} + {len(X)} points", relu_network(net, None, D), X))
    return out


def max_diff(a: dict[Any, Any], b: dict[Any, Any]) -> float:
    return max((abs(float(a[e]) - float(b[e])) for e in a), default=0.0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--grc-python", default=None, help="interpreter with GraphRicciCurvature installed")
    ap.add_argument("--out", default=None, help="write the Markdown report here")
    ap.add_argument("--quick", action="store_true", help="small cases only")
    ap.add_argument("--surd-edges", type=int, default=120, help="edges per complex for the surd variants")
    ap.add_argument("--regularizer", action="store_true", help="time training steps with GeometricRegularizer only")
    args = ap.parse_args()
    if args.regularizer:
        print(regularizer_report())
        return

    rows = []
    surd_rows = []
    from exactgeom.analysis.ricci import WalkGraph
    from exactgeom.analysis.ricci import ollivier_ricci_graph as _warm

    _warm(WalkGraph.uniform(4, [(0, 1), (1, 2), (2, 3), (0, 3)]), exact=False)  # import scipy once, untimed
    for name, P, X in cases(args.quick):
        K = RiemannianComplex.from_partition(P, data=X)
        edges = [tuple(e) for e in K.simplices(1)]
        ne = len(edges)
        r = {"case": name, "cells": P.n_cells, "edges": ne}
        ex, t = timed(lambda: ricci_curvature(K))
        fl, tf = timed(lambda: ricci_curvature(K, exact=False))
        r.update(exact_ms=1e3 * t / ne, float_ms=1e3 * tf / ne, diff=max_diff(ex, fl))
        exu, tu = timed(lambda: ricci_curvature(K, edge_weight="uniform"))
        flu, tfu = timed(lambda: ricci_curvature(K, edge_weight="uniform", exact=False))
        r.update(exactu_ms=1e3 * tu / ne, floatu_ms=1e3 * tfu / ne, diffu=max_diff(exu, flu))
        fo, tfo = timed(lambda: ricci_curvature(K, method="forman"))
        fof, tfof = timed(lambda: ricci_curvature(K, method="forman", exact=False))
        r.update(forman_ms=1e3 * tfo / ne, formanf_ms=1e3 * tfof / ne, diff_forman=max_diff(fo, fof))
        grc = run_grc(P.n_cells, edges, 0.5, args.grc_python)
        if grc is not None:
            r.update(grc_ms=1e3 * grc["time"] / ne, diff_grc=max_diff(exu, grc["ricci"]))
        rows.append(r)
        print(r, flush=True)
        # surd variants on a subset of edges
        sub = edges[: args.surd_edges]
        from exactgeom.analysis.ricci import graph_from_complex, ollivier_ricci_graph

        for label, ew, dist in (("face weights", "face", "hops"), ("centroid distance", None, "centroid")):
            G = graph_from_complex(K, edge_weight=ew)
            failures = 0
            t0 = time.perf_counter()
            exs = {}
            for e in sub:
                try:
                    exs.update(ollivier_ricci_graph(G, distance=dist, edges=[e]))
                except Exception as exc:  # count certification failures
                    failures += 1
                    print("undecided:", e, exc, file=sys.stderr)
            ts = time.perf_counter() - t0
            fls, tfs = timed(lambda: ollivier_ricci_graph(G, distance=dist, edges=sub, exact=False))
            surd_rows.append(
                {"case": name, "variant": label, "edges": len(sub), "exact_ms": 1e3 * ts / len(sub),
                 "float_ms": 1e3 * tfs / len(sub), "diff": max_diff(exs, {e: fls[e] for e in exs}), "undecided": failures}
            )
            print(surd_rows[-1], flush=True)

    md = report(rows, surd_rows, grc_ok=any("grc_ms" in r for r in rows))
    print(md)
    if args.out:
        Path(args.out).write_text(md, encoding="utf-8")


NOTES = """
Notes.

- Values: exact and float Ollivier curvature agree to rounding on every edge; our exact values
  on the simple walk agree with GraphRicciCurvature 0.6.1 (`OllivierRicci(method="OTD")`,
  exact EMD in floats through POT) to rounding, and both reproduce the hand-worked values of
  `tests/analysis/test_ricci.py` (K_n: n/(2(n−1)); C_4, C_5, C_n≥6: 1/2, 1/4, 0; path ends: 1/2).
- GraphRicciCurvature pins `scipy<=1.13.1` (so numpy < 2.3), which would downgrade this
  project's environment; it was run from a separate venv
  (`pip install GraphRicciCurvature==0.6.1`: Cython, POT 0.9.7.post1, networkit 11.3,
  numpy 2.2.6, python-louvain 0.16, scipy 1.13.1, tabulate) through `--grc-python`. Its time
  includes its all-pairs shortest paths (networkit). It has no vertex-weighted walk, so only the
  simple walk is compared.
- Exact per-edge times are of the same order as the float LP's (the LPs are tiny: supports of
  at most deg + 1 points, and common mass is cancelled first); scipy's per-call overhead
  dominates the float path. Surd variants cost a float LP plus exact surd arithmetic for the
  certificate.
- Face-volume walks can have masses near 1e-8; with HiGHS's default feasibility tolerance
  (1e-7) the float values were off by up to 1.6e-7 and some float bases failed the exact
  check. The float LPs now run with tolerances 1e-10, and a basis that fails the check is
  replaced by the basis of cddlib's exact LP on 40-digit rational approximations.
- Timings were taken on a shared 2-core machine with other jobs running (load average ≈ 8), so
  they are upper bounds; ratios between columns are more meaningful than absolute values.
"""


def report(rows: list[dict[str, Any]], surd_rows: list[dict[str, Any]], grc_ok: bool) -> str:
    lines = [
        "# Benchmark: Ricci curvature on partition complexes",
        "",
        f"Machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}; "
        "single process. Produced by `python bench/curvature.py --grc-python <venv with GraphRicciCurvature> "
        "--out docs/benchmarks/curvature.md`.",
        "",
        "Ollivier–Ricci with α = 1/2 and hop distances on every edge of the complex (facet convention).",
        "*Default walk*: neighbour weights = data masses (the ReLU example, which has data) or cell volumes",
        "(the others). *Simple walk*: `edge_weight=\"uniform\"`, the walk GraphRicciCurvature uses with unit",
        "edge weights. Exact = rational LP solved by cddlib; float = scipy HiGHS. Times are per edge",
        "(milliseconds); `max |Δ|` compares values edge by edge.",
        "",
        "| complex | cells | edges | exact ms/edge | float ms/edge | max \\|exact − float\\| "
        "| simple walk: exact ms/edge | float ms/edge | max \\|Δ\\| | Forman exact / float ms/edge | max \\|Δ\\| Forman |"
        + (" GraphRicciCurvature ms/edge | max \\|ours − GRC\\| |" if grc_ok else ""),
        "|---|---|---|---|---|---|---|---|---|---|---|" + ("---|---|" if grc_ok else ""),
    ]
    for r in rows:
        line = (
            f"| {r['case']} | {r['cells']} | {r['edges']} | {r['exact_ms']:.2f} | {r['float_ms']:.2f} | {r['diff']:.1e} | "
            f"{r['exactu_ms']:.2f} | {r['floatu_ms']:.2f} | {r['diffu']:.1e} | {r['forman_ms']:.2f} / {r['formanf_ms']:.2f} | "
            f"{r['diff_forman']:.1e} |"
        )
        if grc_ok:
            line += f" {r.get('grc_ms', float('nan')):.2f} | {r.get('diff_grc', float('nan')):.1e} |"
        lines.append(line)
    lines += [
        "",
        "Certified surd variants (exact by certifying an optimal basis in surd arithmetic, see",
        "`docs/definitions/curvature.md`), on the first edges of each complex:",
        "",
        "| complex | variant | edges | exact ms/edge | float ms/edge | max \\|exact − float\\| | undecided |",
        "|---|---|---|---|---|---|---|",
    ]
    for s in surd_rows:
        lines.append(
            f"| {s['case']} | {s['variant']} | {s['edges']} | {s['exact_ms']:.1f} | {s['float_ms']:.2f} | {s['diff']:.1e} | {s['undecided']} |"
        )
    lines.append(NOTES)
    return "\n".join(lines)


def regularizer_report(steps: int = 12) -> str:
    """One training step of a 2-12-12-1 MLP on two moons, without and with the regularizer."""
    import statistics

    import numpy as np
    import torch

    from exactgeom import GeometricRegularizer

    rng = np.random.default_rng(0)
    t = rng.uniform(0, np.pi, 200)
    X = np.r_[np.c_[np.cos(t[:100]), np.sin(t[:100])], np.c_[1 - np.cos(t[100:]), 0.5 - np.sin(t[100:])]]
    X = X + rng.normal(0, 0.1, X.shape)
    X = (X - X.mean(0)) / np.abs(X - X.mean(0)).max() * 0.9
    Xt = torch.tensor(X)
    yt = torch.tensor(np.r_[np.zeros(100), np.ones(100)])
    coef = {"small_cells": 1e-3, "sliver_angles": 1e-2, "boundary_area": 1e-2, "margins": 1.0}
    rows = []

    def run(label: str, every: int | None, threads: Any, global_threads: int | None = None) -> None:
        prev = torch.get_num_threads()
        if global_threads is not None:
            torch.set_num_threads(global_threads)
        torch.manual_seed(0)
        net = torch.nn.Sequential(torch.nn.Linear(2, 12), torch.nn.ReLU(), torch.nn.Linear(12, 12), torch.nn.ReLU(),
                                  torch.nn.Linear(12, 1)).double()
        opt = torch.optim.Adam(net.parameters(), 1e-2)
        reg = None
        if every is not None:
            reg = GeometricRegularizer(net, [(-1, 1), (-1, 1)], Xt, coef, policy="exact", every=every,
                                       num_threads=threads)
        lossf = torch.nn.BCEWithLogitsLoss()
        times = []
        for k in range(steps + 2):
            t0 = time.perf_counter()
            opt.zero_grad()
            loss = lossf(net(Xt).squeeze(1), yt)
            if reg is not None:
                loss = loss + reg()
            loss.backward()
            opt.step()
            if k >= 2:
                times.append(time.perf_counter() - t0)
        torch.set_num_threads(prev)
        rows.append((label, 1e3 * statistics.median(times), 1e3 * statistics.mean(times),
                     len(reg.plan.cells) if reg is not None else "-"))

    run("no regularizer", None, None)
    run("no regularizer, torch.set_num_threads(1) for the whole step", None, None, 1)
    run("every=1, num_threads=None (torch's threads: the old behaviour)", 1, None)
    run("every=1, num_threads=1", 1, 1)
    run("every=10, num_threads=1 (the defaults)", 10, 1)
    run("every=50, num_threads=1", 50, 1)
    run("every=10, torch.set_num_threads(1) for the whole step", 10, 1, 1)
    run("every=1, torch.set_num_threads(1) for the whole step", 1, 1, 1)
    base = rows[0][1]
    out = [
        "## Geometric regularizer: one training step",
        "",
        "`python bench/curvature.py --regularizer`: a 2-12-12-1 torch MLP (float64) on two moons (200 points),",
        "BCE loss + Adam; with `GeometricRegularizer` (all four penalties, `policy=\"exact\"`). Median and",
        f"mean of {steps} steps (after 2 warm-up steps); torch {torch.__version__}, "
        f"default intra-op threads {torch.get_num_threads()}. `every` = exact re-plan interval.",
        "",
        "| setting | data cells | median ms/step | mean ms/step | × unregularized (median) |",
        "|---|---|---|---|---|",
    ]
    for label, med, mean, cells in rows:
        out.append(f"| {label} | {cells} | {med:.1f} | {mean:.1f} | {med / base:.1f} |")
    return "\n".join(out)


if __name__ == "__main__":
    main()
