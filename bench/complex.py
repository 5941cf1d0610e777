"""Benchmark: the Riemannian complex, Laplacians, splines and decision topology.

For partitions of a few hundred to a few thousand cells (arrangements of random lines
in the plane, and ReLU networks), time: building the complex (facet and nerve), exact
Betti numbers, Δ_0 and Δ_1 exact (surd volume measure; rational angle metric) and as
float views, a spline fit (exact rational, certified surd, float), the decision
topology, and TopoNetX's unweighted Hodge Laplacian build on the same simplices
(when ``toponetx`` is installed).

Run: ``python bench/complex.py [--lines 20 40 70] [--relu 8 16] [--out FILE]``; prints a
Markdown table (and writes it to ``--out`` if given).
"""

from __future__ import annotations

import os

# One BLAS thread: on a shared 2-core machine OpenBLAS's spinning threads made a 665×665
# eigh 100× slower (11 s instead of 0.1 s) under load.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import platform
import random
import sys
import time
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from exactgeom import Partition
from exactgeom.analysis import decision_topology
from exactgeom.complex import RiemannianComplex
from exactgeom.partitions.arrangement import arrangement
from exactgeom.partitions.relu import relu_network

F = Fraction
EXACT_SPLINE_MAX = 1000  # the exact rational spline's solution has ~60 kbit denominators at 665 cells


def timed(f: Callable[[], Any]) -> tuple[Any, float]:
    t = time.perf_counter()
    out = f()
    return out, time.perf_counter() - t


def lines_partition(m: int, seed: int = 1) -> Partition:
    rng = random.Random(seed)
    W = [[rng.randint(-9, 9), rng.randint(-9, 9)] for _ in range(m)]
    W = [w if any(w) else [1, 0] for w in W]
    c = [F(rng.randint(-20, 20), 4) for _ in range(m)]
    return arrangement(W, c, [(-3, 3), (-3, 3)])


class _Parity:
    """Classifier stub on an arrangement: label = parity of the number of + signs."""

    def __init__(self, base: Any) -> None:
        self.base = base

    def key(self, x: Any) -> Any:
        return self.base.key(x)

    def label(self, key: Any) -> int:
        return sum(1 for s in key if s > 0) % 2

    def output_affine(self, key: Any) -> None:
        return None


def relu_partition(width: int, seed: int = 2) -> Partition:
    rng = random.Random(seed)
    W1 = [[rng.randint(-4, 4), rng.randint(-4, 4)] for _ in range(width)]
    b1 = [F(rng.randint(-8, 8), 4) for _ in range(width)]
    W2 = [[rng.randint(-3, 3) for _ in range(width)] for _ in range(width)]
    b2 = [F(rng.randint(-8, 8), 4) for _ in range(width)]
    W3 = [[rng.randint(-3, 3) for _ in range(width)]]
    return relu_network([W1, W2, W3], [b1, b2, [F(1, 2)]], [(-2, 2), (-2, 2)])


def toponetx_build(K: RiemannianComplex) -> float | None:
    try:
        from toponetx.classes import SimplicialComplex
    except ImportError:
        return None
    simp = [list(s) for p in range(K.dim + 1) for s in K.simplices(p)]
    t = time.perf_counter()
    sc = SimplicialComplex(simp)
    sc.hodge_laplacian_matrix(rank=0)
    if K.dim >= 1:
        sc.hodge_laplacian_matrix(rank=1)
    return time.perf_counter() - t


def row(name: str, P: Partition, topology_partition: Partition, exact_spectrum: bool) -> list[str]:
    n_cells = P.n_cells
    _, t_adj = timed(P.adjacency)
    K, t_facet = timed(lambda: RiemannianComplex.from_partition(P))
    N, t_nerve = timed(lambda: RiemannianComplex.from_partition(P, convention="nerve"))
    (bk, bn), t_betti = timed(lambda: (K.betti(), N.betti()))
    _, t_l0 = timed(lambda: K.hodge_laplacian(0))
    _, t_l1 = timed(lambda: K.hodge_laplacian(1))
    A = RiemannianComplex.from_partition(P, metric="angle")
    _, t_a = timed(lambda: (A.hodge_laplacian(0), A.inner_product_rank(1)))
    _, t_f = timed(lambda: (K.hodge_laplacian_float(0), K.hodge_laplacian_float(1)))
    _, t_fs = timed(lambda: K.spectrum_float(0, k=6))
    rng = random.Random(3)
    y = [F(rng.randint(-9, 9)) for _ in range(n_cells)]
    t_sq = None
    if n_cells <= EXACT_SPLINE_MAX:
        _, t_sq = timed(lambda: K.spline(y, 1, edge_weights="two_point"))
    fit_s, t_ss = timed(lambda: K.spline(y, 1, digits=12))
    _, t_sf = timed(lambda: K.spline_float([float(v) for v in y], 1.0))
    T, t_topo = timed(lambda: decision_topology(topology_partition))
    t_tnx = toponetx_build(K)
    spec = "—"
    if exact_spectrum:
        _, t_spec = timed(lambda: A.spectrum(0, digits=10))
        _, t_spec2 = timed(lambda: K.spectrum(0, digits=10))
        spec = f"{t_spec:.2f} / {t_spec2:.2f}"
    labels = {k: v for k, v in T.items()}
    return [
        name,
        str(n_cells),
        f"{K.f_vector()} / {N.f_vector()}",
        f"{bk} / {bn}",
        f"{t_adj:.2f}",
        f"{t_facet:.2f} / {t_nerve:.2f}",
        f"{t_betti:.2f}",
        f"{t_l0:.2f} / {t_l1:.2f}",
        f"{t_a:.2f}",
        f"{t_f:.3f} / {t_fs:.2f}",
        f"{'—' if t_sq is None else f'{t_sq:.2f}'} / {t_ss:.2f} ({fit_s.method.split(' ', 1)[1].strip('()')}) / {t_sf:.3f}",
        spec,
        f"{t_topo:.2f} {labels}",
        "n/a" if t_tnx is None else f"{t_tnx:.2f}",
    ]


HEADER = [
    "partition",
    "cells",
    "f-vector facet / nerve",
    "β facet / nerve",
    "adjacency s",
    "complex facet / nerve s",
    "Betti s",
    "Δ_0 / Δ_1 exact (surd) s",
    "angle Δ_0 + rank s",
    "float Δ_0+Δ_1 / 6 smallest eig s",
    "spline exact-Q / surd / float s",
    "spectrum Δ_0 rational / surd s",
    "decision topology s, Betti",
    "TopoNetX L_0+L_1 s",
]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--lines", type=int, nargs="*", default=[20, 40, 70])
    ap.add_argument("--relu", type=int, nargs="*", default=[8, 16])
    ap.add_argument("--out", type=str, default=None)
    a = ap.parse_args(argv)
    # warm-up: keep import time out of the float timings
    import cvxpy  # noqa: F401
    import scipy.sparse.linalg  # noqa: F401

    rows = []
    for m in a.lines:
        P, t = timed(lambda: lines_partition(m))
        print(f"lines {m}: {P.n_cells} cells built in {t:.2f} s", file=sys.stderr)
        Q = Partition(P.domain, [(c.key, c.polytope) for c in P.cells], family="parity", model=_Parity(P.model))
        rows.append(row(f"{m} random lines", P, Q, exact_spectrum=P.n_cells <= 700))
        print(" | ".join(rows[-1]), file=sys.stderr)
    for w in a.relu:
        P, t = timed(lambda: relu_partition(w))
        print(f"relu {w}: {P.n_cells} cells built in {t:.2f} s", file=sys.stderr)
        rows.append(row(f"ReLU 2-{w}-{w}-1", P, P, exact_spectrum=P.n_cells <= 700))
        print(" | ".join(rows[-1]), file=sys.stderr)
    lines = [
        f"Machine: {platform.machine()}, Python {platform.python_version()}, single process.",
        "",
        "| " + " | ".join(HEADER) + " |",
        "|" + "---|" * len(HEADER),
    ]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    text = "\n".join(lines)
    print(text)
    if a.out:
        Path(a.out).write_text(text + "\n")


if __name__ == "__main__":
    main()
