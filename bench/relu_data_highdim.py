"""Benchmark: exact data cells and the data graph of trained MLPs in high input dimension.

For scikit-learn's digits (64 inputs, all 1797 images, pixels/16: exact), breast cancer
(30 inputs) and wine (13 inputs) — both min-max scaled to [0, 1], then rounded onto a
1/64 grid — an ``MLPClassifier((32, 32))`` is trained with a fixed seed, its weights are
converted with ``limit_denominator(1000)``, and on the domain ``[0, 1]^n`` we time

* the data cells (H-first, :func:`exactgeom.relu_network` ``mode="data"``) and the data
  graph (:meth:`DataPartition.adjacency`, facet-crossing rule);
* the complex with ``measure="data"`` on the data graph, the certified spectrum of its
  ``Δ_0`` and the exact Ollivier–Ricci curvature of every edge (data weights, hops);
* peak memory: the process's max RSS (and with ``--trace-memory`` tracemalloc's peak of
  Python allocations; tracing slows the exact code several times, so the times of such a
  run are not comparable);
* the LP statistics of the cells and the data graph
  (:func:`exactgeom.polytope.lp.lp_statistics`: exact LPs certified or answered by
  cddlib, and the decisions made by exact checks of float proposals);

and run the same points through relucent 1.0.0 if it is importable (``Complex.add_point``
+ ``shis``, with its bounding box when it has one), reporting its outcome or exception.

Run:  ``python bench/relu_data_highdim.py [--sets digits,breast_cancer,wine] [--points N]
[--train-all] [--json out.json] [--trace-memory] [--no-relucent] [--analyse FOLDER
[--no-spectrum]]`` (``--analyse``: only ``exactgeom analyse MODEL --mode data --data
POINTS --spectrum`` in a subprocess on the model trained on all points and the first N
points, timed: wall, the child's CPU, files and sections written; ``--train-all``: the
model trained on all points of the set, the data cells of the first N; times are wall
clock, ``cpu_*`` the process's CPU time); ``--workers 2`` (default) repeats cells + data
graph on a process pool of 2 workers and reports its wall time, the CPU of the main
process and of the workers, and whether the result equals the serial one
(``--workers 0``: serial only); ``--cells-only`` stops after cells + data graph; ``--polytope-only K`` times only
``Polytope.from_hrep(engine="lp")`` on K data cells of the model trained on all points. The machine is shared; times are noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time
import tracemalloc
import warnings
from fractions import Fraction
from pathlib import Path

import numpy as np

SEED = 0


def load(name: str) -> tuple[np.ndarray, list[list[Fraction]], np.ndarray]:
    """``(float X for training, exact points, labels)``."""
    from sklearn import datasets

    if name == "digits":
        d = datasets.load_digits()
        exact = [[Fraction(int(v), 16) for v in row] for row in d.data]
    else:
        d = datasets.load_breast_cancer() if name == "breast_cancer" else datasets.load_wine()
        X = d.data.astype(float)
        lo, hi = X.min(axis=0), X.max(axis=0)
        Xs = (X - lo) / np.where(hi > lo, hi - lo, 1.0)
        exact = [[Fraction(round(v * 64), 64) for v in row] for row in Xs]
    Xf = np.array([[float(v) for v in row] for row in exact])
    return Xf, exact, d.target


def train(X: np.ndarray, y: np.ndarray):
    from sklearn.neural_network import MLPClassifier

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return MLPClassifier((32, 32), random_state=SEED, max_iter=300).fit(X, y)


def time_parallel(clf, n: int, exact: list, workers: int, serial, serial_graph) -> dict:
    """Cells + data graph with ``executor=ProcessPoolExecutor(workers)`` (pool started and
    warmed before the clock): wall time, CPU of this process and of the workers (their
    rusage once the pool is shut down), and whether cells, facets and edges equal the
    serial run's."""
    from concurrent.futures import ProcessPoolExecutor

    from exactgeom.importers import from_sklearn

    ex = ProcessPoolExecutor(workers)
    list(ex.map(abs, range(2 * workers)))
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    load0 = os.getloadavg()
    c0, t0 = time.process_time(), time.perf_counter()
    P = from_sklearn(clf, [(0, 1)] * n, policy="limit_denominator(1000)", mode="data", data=exact, executor=ex)
    c1, t1 = time.process_time(), time.perf_counter()
    G = P.adjacency()
    c2, t2 = time.process_time(), time.perf_counter()
    ex.shutdown()
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    same = [c.key for c in P.cells] == [c.key for c in serial.cells] and all(
        a.polytope.facets == b.polytope.facets for a, b in zip(P.cells, serial.cells)
    )
    same = same and [(f.i, f.j, f.normal, f.offset) for f in G] == [(f.i, f.j, f.normal, f.offset) for f in serial_graph]
    return {
        "workers": workers,
        "t_cells": t1 - t0,
        "t_graph": t2 - t1,
        "t_cells_graph": t2 - t0,
        "cpu_main_cells": c1 - c0,
        "cpu_main_graph": c2 - c1,
        "cpu_workers": (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime),
        "identical_to_serial": same,
        "loadavg_start": load0,
        "loadavg_end": os.getloadavg(),
    }


def run_exactgeom(
    name: str,
    n_points: int | None,
    trace_memory: bool = False,
    train_all: bool = False,
    workers: tuple[int, ...] = (),
    cells_only: bool = False,
) -> dict:
    from exactgeom import RiemannianComplex
    from exactgeom.analysis.ricci import ricci_curvature
    from exactgeom.importers import from_sklearn
    from exactgeom.polytope.lp import lp_statistics, reset_lp_statistics

    Xf, exact, y = load(name)
    if train_all:  # the model of all points, the data cells of the first n_points
        clf = train(Xf, y)
        if n_points is not None:
            Xf, exact, y = Xf[:n_points], exact[:n_points], y[:n_points]
    else:
        if n_points is not None:
            Xf, exact, y = Xf[:n_points], exact[:n_points], y[:n_points]
        clf = train(Xf, y)
    n = len(exact[0])
    out: dict = {
        "set": name,
        "n_in": n,
        "points": len(exact),
        "model_trained_on": "all points" if train_all else "these points",
        "train_accuracy": float(clf.score(Xf, y)),
        "loadavg_start": os.getloadavg(),
    }
    if trace_memory:  # tracemalloc slows allocation-heavy exact code several times: opt-in
        tracemalloc.start()
    reset_lp_statistics()
    c0, t0 = time.process_time(), time.perf_counter()
    P = from_sklearn(clf, [(0, 1)] * n, policy="limit_denominator(1000)", mode="data", data=exact)
    c1, t1 = time.process_time(), time.perf_counter()
    G = P.adjacency()
    c2, t2 = time.process_time(), time.perf_counter()
    facets = [c.polytope.n_facets for c in P.cells]
    out.update(
        cells=P.n_cells,
        facets_min=min(facets),
        facets_median=float(np.median(facets)),
        facets_max=max(facets),
        edges=len(G),
        t_cells=t1 - t0,
        t_graph=t2 - t1,
        t_cells_graph=t2 - t0,
        cpu_cells=c1 - c0,
        cpu_graph=c2 - c1,
        loadavg_after_graph=os.getloadavg(),
        engine=sorted({getattr(c.polytope, "engine", "vertices") for c in P.cells}),
        lp_statistics_cells_graph=lp_statistics(),
    )
    for w in workers:  # the same cells + data graph on a process pool of w workers
        out.setdefault("parallel", []).append(time_parallel(clf, n, exact, w, P, G))
    if cells_only:
        return out
    c3, t3 = time.process_time(), time.perf_counter()
    K = RiemannianComplex.from_partition(P, measure="data", data=exact, data_rule="mean")
    K.hodge_laplacian(0)
    c3b = time.process_time()
    spec = K.spectrum(0, digits=6)  # by diagonal blocks (the data graph's components) above 100 cells
    c4, t4 = time.process_time(), time.perf_counter()
    ric = ricci_curvature(K, data=None)
    c5, t5 = time.process_time(), time.perf_counter()
    peak = None
    if trace_memory:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    vals = sorted(ric.values())
    out.update(
        t_complex_spectrum=t4 - t3,
        cpu_complex_laplacian=c3b - c3,
        cpu_spectrum=c4 - c3b,
        spectrum_method=spec.method,
        t_ricci=t5 - t4,
        cpu_ricci=c5 - c4,
        betti=list(K.betti()),
        spectrum_kernel=spec.kernel_dim,
        spectrum_max=str(spec.eigenvalues[-1]) if spec.eigenvalues else None,
        ricci_min=str(vals[0]) if vals else None,
        ricci_max=str(vals[-1]) if vals else None,
        peak_traced_mib=None if peak is None else peak / 2**20,
        max_rss_mib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    )
    return out


def write_cli_inputs(clf, exact: list[list[Fraction]], y, folder: Path) -> tuple[Path, Path]:
    """The model file (exact weights: the float weights through ``limit_denominator(1000)``,
    as ``from_sklearn`` converts them; domain ``[0, 1]^n``) and the points file (CSV with
    a ``label`` column) that ``exactgeom analyse`` reads."""
    from exactgeom.numbers.rational import as_rational

    def q(x: float) -> str:
        return str(as_rational(float(x), "limit_denominator(1000)"))

    n = len(exact[0])
    model = {
        "format": "exactgeom-model",
        "version": 1,
        "family": "relu",
        "name": "digits_mlp",
        "weights": [[[q(v) for v in row] for row in W.T] for W in clf.coefs_],
        "biases": [[q(v) for v in b] for b in clf.intercepts_],
        "domain": [["0", "1"]] * n,
    }
    folder.mkdir(parents=True, exist_ok=True)
    mpath, dpath = folder / "model.json", folder / "points.csv"
    mpath.write_text(json.dumps(model))
    lines = [",".join([f"x{j}" for j in range(n)] + ["label"])]
    lines += [",".join([str(v) for v in x] + [str(int(t))]) for x, t in zip(exact, y)]
    dpath.write_text("\n".join(lines) + "\n")
    return mpath, dpath


def run_analyse(name: str, n_points: int | None, folder: Path, spectrum: bool = True) -> dict:
    """``exactgeom analyse model.json --mode data --data points.csv`` in a subprocess on
    the bench's model (trained on all points) and its first ``n_points`` points: wall
    time, CPU time of the child (user + system), the files and JSON sections written."""
    import subprocess

    Xf, exact, y = load(name)
    clf = train(Xf, y)
    if n_points is not None:
        exact, y = exact[:n_points], y[:n_points]
    mpath, dpath = write_cli_inputs(clf, exact, y, folder)
    out_dir = folder / "out"
    cmd = [sys.executable, "-m", "exactgeom", "analyse", str(mpath), "--mode", "data", "--data", str(dpath), "-o", str(out_dir)]
    if spectrum:
        cmd.append("--spectrum")
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    load0 = os.getloadavg()
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = out_dir / "exactgeom_result.json"
    sections = json.loads(result.read_text()).get("sections", []) if result.exists() else []
    summary = out_dir / "exactgeom_summary.txt"
    blocks = [ln for ln in summary.read_text().splitlines() if ln and not ln.startswith(" ")] if summary.exists() else []
    return {
        "set": name,
        "points": len(exact),
        "command": " ".join(cmd[1:]),
        "exit_status": proc.returncode,
        "t_analyse_wall": wall,
        "cpu_analyse": (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime),
        "max_rss_child_mib": r1.ru_maxrss / 1024,
        "loadavg_start": load0,
        "loadavg_end": os.getloadavg(),
        "files": sorted(p.name for p in out_dir.iterdir()) if out_dir.exists() else [],
        "result_sections": sections,
        "summary_headings": [ln[:60] for ln in blocks if not ln[:1].isdigit()][:20],
        "stdout": proc.stdout.strip().splitlines(),
        "stderr": proc.stderr.strip().splitlines()[-5:],
    }


def run_polytope_only(name: str, n_cells: int) -> dict:
    """Only the H-first Polytope: ``Polytope.from_hrep(engine="lp")`` on the rows of
    ``n_cells`` data cells (a fixed random sample) of the model trained on all points —
    the rows :func:`exactgeom.relu_network` passes (``ReLUNetwork.cell_hrep`` and the
    box, rows the box implies dropped) — timed per cell, with the LP statistics."""
    import random

    from exactgeom.partitions.relu import ReLUNetwork
    from exactgeom.partitions.relu_data import box_bounds, domain_centre
    from exactgeom.polytope import Polytope
    from exactgeom.polytope.lp import lp_statistics, reset_lp_statistics

    Xf, exact, y = load(name)
    clf = train(Xf, y)
    net = ReLUNetwork([W.T for W in clf.coefs_], list(clf.intercepts_), policy="limit_denominator(1000)")
    n = len(exact[0])
    D = Polytope.box([(0, 1)] * n)
    pats, _ = net._int.batch_cell_patterns(exact, domain_centre(D))
    keys = sorted(set(pats))
    sample = random.Random(1).sample(keys, min(n_cells, len(keys)))
    lo, hi = box_bounds(D)
    hreps = []
    for k in sample:
        A, b = net.cell_hrep(k, D)
        keep = [
            i
            for i, (a, c) in enumerate(zip(A, b))
            if sum((v * (hi[j] if v > 0 else lo[j]) for j, v in enumerate(a) if v), Fraction(0)) > c or i >= len(A) - 2 * n
        ]
        hreps.append(([A[i] for i in keep], [b[i] for i in keep]))
    reset_lp_statistics()
    times, facets = [], []
    for A, b in hreps:
        t0 = time.perf_counter()
        P = Polytope.from_hrep(A, b, ambient_dim=n, engine="lp")
        times.append(time.perf_counter() - t0)
        facets.append(P.n_facets)
    return {
        "set": name,
        "n_in": n,
        "data_cells": len(keys),
        "cells_timed": len(hreps),
        "rows": [len(A) for A, _ in hreps],
        "facets": facets,
        "s_per_cell_mean": sum(times) / len(times),
        "s_per_cell": [round(t, 3) for t in times],
        "lp_statistics": lp_statistics(),
    }


def run_relucent(name: str, n_points: int | None, timeout: float = 600.0) -> dict:
    try:
        import relucent  # noqa: F401
        import torch
    except Exception as exc:
        return {"set": name, "relucent": f"not importable: {type(exc).__name__}: {exc}"}
    Xf, exact, y = load(name)
    if n_points is not None:
        Xf, exact, y = Xf[:n_points], exact[:n_points], y[:n_points]
    clf = train(Xf, y)
    out: dict = {"set": name}
    try:
        from relucent import Complex, convert

        layers = []
        for k, (W, b) in enumerate(zip(clf.coefs_, clf.intercepts_)):
            lin = torch.nn.Linear(W.shape[0], W.shape[1]).double()
            with torch.no_grad():
                lin.weight.copy_(torch.tensor(W.T))
                lin.bias.copy_(torch.tensor(b))
            layers.append(lin)
            if k < len(clf.coefs_) - 1:
                layers.append(torch.nn.ReLU())
        net = convert(torch.nn.Sequential(*layers))
        cplx = Complex(net)
        t0 = time.perf_counter()
        for x in Xf:
            cplx.add_point(torch.tensor(x[None, :], dtype=torch.float64))
        out["relucent_cells"] = len(cplx)
        t1 = time.perf_counter()
        out["relucent_add_point_s"] = t1 - t0
        try:
            for p in list(cplx):
                p.shis  # noqa: B018 - the supporting hyperplanes (float LPs)
            out["relucent_shis"] = "ok"
        except Exception as exc:
            out["relucent_shis"] = f"{type(exc).__name__}: {str(exc)[:160]}"
        out["relucent_shis_s"] = time.perf_counter() - t1
    except Exception as exc:
        out["relucent"] = f"{type(exc).__name__}: {str(exc)[:200]}"
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sets", default="wine,breast_cancer,digits")
    ap.add_argument("--points", type=int, default=None, help="first N points of each set (default: all)")
    ap.add_argument(
        "--train-all", action="store_true", help="train on all points of the set, build the data cells of the first --points"
    )
    ap.add_argument("--no-relucent", action="store_true")
    ap.add_argument(
        "--workers",
        default="2",
        help="after the serial run, cells + data graph again on process pools of these sizes (comma-separated; 0: none)",
    )
    ap.add_argument("--cells-only", action="store_true", help="only cells + data graph (no complex, spectrum, Ricci)")
    ap.add_argument("--json", default=None, help="write the raw results here")
    ap.add_argument(
        "--trace-memory", action="store_true", help="also report tracemalloc's peak (slows the exact code several times)"
    )
    ap.add_argument(
        "--polytope-only",
        type=int,
        default=None,
        metavar="K",
        help="only time Polytope.from_hrep(engine='lp') on K data cells of the model trained on all points",
    )
    ap.add_argument(
        "--analyse",
        metavar="FOLDER",
        default=None,
        help="only time 'exactgeom analyse MODEL --mode data --data POINTS --spectrum' in a subprocess "
        "(model and points written to FOLDER; --points N: the first N points, model trained on all)",
    )
    ap.add_argument("--no-spectrum", action="store_true", help="with --analyse: leave out --spectrum")
    args = ap.parse_args()
    results = []
    if args.analyse is not None:
        for name in args.sets.split(","):
            print(json.dumps(run_analyse(name, args.points, Path(args.analyse) / name, not args.no_spectrum)), flush=True)
        return
    if args.polytope_only is not None:
        for name in args.sets.split(","):
            print(json.dumps(run_polytope_only(name, args.polytope_only)), flush=True)
        return
    for name in args.sets.split(","):
        workers = tuple(int(w) for w in args.workers.split(",") if w.strip() and int(w) > 0)
        r = run_exactgeom(name, args.points, args.trace_memory, args.train_all, workers, args.cells_only)
        print(json.dumps(r), flush=True)
        if not args.no_relucent:
            rr = run_relucent(name, args.points)
            print(json.dumps(rr), flush=True)
            r.update({k: v for k, v in rr.items() if k != "set"})
        results.append(r)
    meta = {
        "python": sys.version.split()[0],
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "loadavg": os.getloadavg(),
    }
    if args.json:
        Path(args.json).write_text(json.dumps({"meta": meta, "results": results}, indent=1, default=str))
    print(json.dumps(meta))


if __name__ == "__main__":
    main()
