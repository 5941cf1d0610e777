"""Benchmark: exact ReLU cell enumeration (exactgeom) side by side with relucent.

Networks ``n-w-w-1`` with fixed seeds: weights ``W_ij ~ N(0, 1/fan_in)`` and biases
``b_i ~ N(0, 1/4)`` drawn with Python's ``random.Random(seed).gauss``, each converted to
a rational with ``Fraction(x).limit_denominator(1000)``; domain ``[-1, 1]^n``.
relucent gets the same rationals as float64 arrays and explores the cells meeting the
cube (``bfs(cube_mode="intersect", cube_radius=1)``, float64 LPs through Gurobi with its
own certification) with 2 worker processes.

Every run happens in a fresh subprocess (so peak RSS is per run) with a time cap.
Measured: cells, wall seconds, CPU seconds of the run's process tree, cells/s, peak RSS.
Data mode: 10,000 points uniform on the grid ``(1/1000)Z^n ∩ [-1, 1]^n`` (seed 1); exactgeom
builds every data-containing cell exactly; relucent's ``parallel_add`` computes the
(unbounded) polyhedron of each point.

Usage::

    .venv/bin/python bench/relu.py                      # everything, writes docs/benchmarks/relu.md
    .venv/bin/python bench/relu.py --nets 2-8-8-1 --timeout 120 --no-write
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import time
from fractions import Fraction
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NETS = ["2-8-8-1", "2-16-16-1", "3-8-8-1", "4-16-16-1", "2-32-32-1"]
SEED = 0
N_DATA = 10_000


def make_net(sizes: list[int], seed: int = SEED) -> tuple[list, list]:
    rng = random.Random(seed)
    W, b = [], []
    for a, c in pairwise(sizes):
        W.append([[Fraction(rng.gauss(0, a ** -0.5)).limit_denominator(1000) for _ in range(a)] for _ in range(c)])
        b.append([Fraction(rng.gauss(0, 0.5)).limit_denominator(1000) for _ in range(c)])
    return W, b


def make_data(n: int, count: int = N_DATA, seed: int = 1) -> list[list[Fraction]]:
    rng = random.Random(seed)
    return [[Fraction(rng.randint(-1000, 1000), 1000) for _ in range(n)] for _ in range(count)]


# ---------------------------------------------------------------------- workers (subprocess)


def _run_exact(sizes: list[int], mode: str, workers: int) -> dict:
    sys.path.insert(0, str(ROOT))
    from exactgeom.partitions.relu import ReLUNetwork, relu_network

    W, b = make_net(sizes)
    net = ReLUNetwork(W, b)
    D = [(-1, 1)] * sizes[0]
    data = make_data(sizes[0]) if mode == "data" else None
    ex = None
    if workers > 1:
        from concurrent.futures import ProcessPoolExecutor

        ex = ProcessPoolExecutor(workers)
    t0 = time.perf_counter()
    c0 = time.process_time()
    P = relu_network(net, None, D, mode=mode, data=data, executor=ex, progress=False)
    t = time.perf_counter() - t0
    cpu = time.process_time() - c0
    if ex is not None:
        ex.shutdown()
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu += kids.ru_utime + kids.ru_stime  # the pool's workers (reaped at shutdown)
    out = {"cells": P.n_cells, "seconds": t, "run_cpu": cpu}
    if mode == "full" and sizes[0] <= 3 and P.n_cells <= 3000:
        t1 = time.perf_counter()
        out["check_ok"] = P.check().ok
        out["check_seconds"] = time.perf_counter() - t1
    return out


def _run_relucent(sizes: list[int], mode: str, workers: int) -> dict:
    import warnings

    import numpy as np

    warnings.filterwarnings("ignore")
    from relucent import Complex, convert

    W, b = make_net(sizes)
    pairs = [(np.array([[float(x) for x in r] for r in Wl]), np.array([float(x) for x in bl])) for Wl, bl in zip(W, b)]
    cx = Complex(convert(pairs))
    t0 = time.perf_counter()
    if mode == "full":
        res = cx.bfs(np.zeros(sizes[0]), cube_radius=1.0, cube_mode="intersect", nworkers=workers, verbose=0)
        out = {"cells": len(cx), "complete": bool(res.complete), "verified": bool(res.verified)}
    else:
        pts = [np.array([float(x) for x in p]) for p in make_data(sizes[0])]
        polys = cx.parallel_add(pts, nworkers=workers, geometry_properties=(), verbose=0)
        out = {"cells": len(cx), "failed_points": sum(p is None for p in polys)}
    out["seconds"] = time.perf_counter() - t0
    return out


def worker_main(spec: str) -> None:
    job = json.loads(spec)
    sizes = [int(s) for s in job["net"].split("-")]
    fn = _run_exact if job["tool"] == "exactgeom" else _run_relucent
    try:
        out = fn(sizes, job["mode"], job["workers"])
    except Exception as exc:  # report, don't crash the whole benchmark
        out = {"error": f"{type(exc).__name__}: {exc}"[:300]}
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    out["peak_rss_mb"] = max(own, kids) / 1024  # kB on Linux; largest single process of the run
    print("RESULT " + json.dumps(out), flush=True)


# ---------------------------------------------------------------------- driver


def run_job(tool: str, net: str, mode: str, workers: int, timeout: float) -> dict:
    spec = json.dumps({"tool": tool, "net": net, "mode": mode, "workers": workers})
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", spec]
    t0 = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return {"timeout": timeout, "wall": time.perf_counter() - t0}
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    res: dict = {"wall": time.perf_counter() - t0}
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            res.update(json.loads(line[7:]))
    if "seconds" not in res and "error" not in res:
        res["error"] = (proc.stderr.strip().splitlines() or ["no output"])[-1][:300]
    res["cpu"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return res


def fmt(res: dict, key: str = "seconds") -> str:
    if "timeout" in res:
        return f"> {res['timeout']:.0f} (cap)"
    if "error" in res:
        return "error"
    return f"{res[key]:.2f}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--worker")
    ap.add_argument("--nets", nargs="*", default=NETS)
    ap.add_argument("--timeout", type=float, default=900.0)
    ap.add_argument("--modes", nargs="*", default=["full", "data"])
    ap.add_argument("--no-relucent", action="store_true")
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--out", default=str(ROOT / "docs" / "benchmarks" / "relu.md"))
    args = ap.parse_args()
    if args.worker:
        worker_main(args.worker)
        return 0
    try:
        import relucent  # noqa: F401

        have_relucent = not args.no_relucent
    except ImportError:
        have_relucent = False
    rows = []
    for mode in args.modes:
        for net in args.nets:
            r = {"net": net, "mode": mode}
            r["exact1"] = run_job("exactgeom", net, mode, 1, args.timeout)
            print(net, mode, "exactgeom serial", r["exact1"], flush=True)
            r["exact2"] = run_job("exactgeom", net, mode, 2, args.timeout)
            print(net, mode, "exactgeom 2 procs", r["exact2"], flush=True)
            if have_relucent:
                r["relucent"] = run_job("relucent", net, mode, 2, args.timeout)
                print(net, mode, "relucent 2 procs", r["relucent"], flush=True)
            rows.append(r)
    text = report(rows, args, have_relucent)
    print(text)
    if not args.no_write:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(text, encoding="utf-8")
    return 0


def report(rows: list[dict], args: argparse.Namespace, have_relucent: bool) -> str:
    load = os.getloadavg()
    lines = [
        "# Benchmark: exact ReLU cell enumeration vs relucent",
        "",
        f"Machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}, Python "
        f"{platform.python_version()}, {platform.system()} {platform.release()}; load average at the end of "
        f"the run {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (the machine was shared with other jobs, so wall "
        "times are noisy and the CPU columns are the steadier measure).",
        "",
        "Reproduce: `.venv/bin/python bench/relu.py` (writes this file; each run in a fresh subprocess, "
        f"capped at {args.timeout:.0f} s).",
        "",
        "Networks: `n-w-w-1`, weights `N(0, 1/fan_in)`, biases `N(0, 1/4)` (Python `random.Random(0)`), "
        "converted with `limit_denominator(1000)`; domain `[-1, 1]^n`. exactgeom: exact rational "
        "arithmetic throughout (serial, and with a 2-process `ProcessPoolExecutor`). relucent "
        "(float64 LPs with Gurobi, exact fallback): `Complex.bfs(cube_mode='intersect', cube_radius=1, "
        "nworkers=2)` for full enumeration, `Complex.parallel_add(points, nworkers=2)` for data mode.",
        "",
        "Data mode: 10,000 points on the grid `(1/1000)Z^n ∩ [-1,1]^n` (seed 1).",
        "",
        "| net | mode | exactgeom cells | exactgeom s (1 proc) | cells/s | CPU s | peak RSS MB | "
        "exactgeom s (2 procs) | relucent cells | relucent s (2 procs) | relucent CPU s (whole run) | ratio relucent/exactgeom |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        e1, e2 = r["exact1"], r["exact2"]
        cells = e1.get("cells", e2.get("cells", "—"))
        cps = f"{e1['cells'] / e1['seconds']:.0f}" if "seconds" in e1 else "—"
        rel = r.get("relucent", {})
        rcells = rel.get("cells", "—") if rel else "n/a"
        if rel and "seconds" in rel and "seconds" in e1:
            best = min(e1["seconds"], e2.get("seconds", float("inf")))
            ratio = f"{rel['seconds'] / best:.1f}x"
        elif rel and "timeout" in rel and "seconds" in e1:
            ratio = f"> {rel['timeout'] / e1['seconds']:.1f}x"
        else:
            ratio = "—"
        note = ""
        if rel and "error" in rel:
            note = f" (relucent error: {rel['error']})"
        if rel and rel.get("cells") not in (None, cells):
            note += " (**cell counts differ**)"
        lines.append(
            f"| {r['net']} | {r['mode']} | {cells} | {fmt(e1)} | {cps} | {e1.get('run_cpu', 0):.2f} | "
            f"{e1.get('peak_rss_mb', 0):.0f} | {fmt(e2)} | {rcells} | {fmt(rel) if rel else 'n/a'} | "
            f"{rel.get('cpu', 0):.1f} | {ratio}{note} |"
        )
    checks = [f"{r['net']}: check() {'ok' if r['exact1'].get('check_ok') else 'FAILED'} in "
              f"{r['exact1']['check_seconds']:.1f} s" for r in rows if "check_ok" in r["exact1"]]
    if checks:
        lines += ["", "Partition.check() on the exact results (volumes sum, disjointness, keys): " + "; ".join(checks) + "."]
    lines += [
        "",
        "Notes: cell counts are compared on every row (a difference is flagged in bold). In data mode "
        "exactgeom counts the distinct cells containing the 10,000 points (each cell built exactly, clipped "
        "to the domain); relucent counts the polyhedra of its complex after `parallel_add` (unbounded cells, "
        "H-representations from float LPs). Peak RSS is that of the largest single process of the run (the "
        "main process, or a worker). 'ratio' is relucent's wall time over the faster exactgeom wall time. "
        "exactgeom 'CPU s' is the CPU time of the `relu_network` call itself (serial run); relucent's CPU "
        "column is its whole subprocess tree (imports and Gurobi start-up included, about 1-2 s). "
        "Wall seconds and cells/s are for the enumeration call only. "
        "Full mode with an executor: each task expands whole layer-1 regions (plain data, no shared state) and "
        "also builds the cells' shared faces for adjacency(); the serial/process/Dask comparison of enumeration "
        "+ adjacency is bench/relu_parallel.py (relu_parallel.md). Results are identical whatever runs them.",
        "",
    ]
    if not have_relucent:
        lines.append("relucent was not installed, so only exactgeom was measured.")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
