"""Draw ``docs/definitions/facet_vs_nerve.png``: the facet and nerve complexes of two crossing
lines in the unit square, with their edge weights and exact Δ_0 spectra.

Run from the repository root: ``python docs/make_facet_vs_nerve.py``. Every number in the
picture is computed by exactgeom (measures, spectra); only the drawing is float.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import matplotlib  # noqa: E402

matplotlib.use("Agg")

from matplotlib.collections import LineCollection, PolyCollection  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from exactgeom import RiemannianComplex, arrangement  # noqa: E402
from exactgeom.plot import cell_polygons  # noqa: E402

OUT = ROOT / "docs" / "definitions" / "facet_vs_nerve.png"


def _spec(K) -> str:
    vals = [e.lo for e in K.spectrum(0).eigenvalues]
    return "{" + ", ".join(str(v) for v in vals) + "}"


def main() -> Path:
    P = arrangement([[1, 0], [0, 1]], ["1/2", "1/2"], [(0, 1), (0, 1)])
    panels = [
        (RiemannianComplex.from_partition(P), "facet (default): edges = shared sides"),
        (RiemannianComplex.from_partition(P, convention="nerve"), "nerve: every contact (point contacts dashed)"),
    ]
    fig = Figure(figsize=(10, 5.2))
    _, polys = cell_polygons(P)
    for k, (K, title) in enumerate(panels):
        ax = fig.add_subplot(1, 2, k + 1)
        ax.add_collection(PolyCollection([p for _, p in polys], facecolors="#eef2f7", edgecolors="0.35", linewidths=1.0))
        pos = {i: (float(x), float(y)) for i, (x, y) in enumerate(K.positions())}
        solid, dashed = [], []
        for e, mu in zip(K.simplices(1), K.measure(1)):
            seg = [pos[e[0]], pos[e[1]]]
            low = K.intersection_dim(e) < 1
            (dashed if low else solid).append(seg)
            t = 0.3 if low else 0.5  # the two diagonals cross at the centre: label them apart
            mx, my = (1 - t) * seg[0][0] + t * seg[1][0], (1 - t) * seg[0][1] + t * seg[1][1]
            ax.annotate(f"μ₁ = {mu}", (mx, my), ha="center", va="center", fontsize=9,
                        color="tab:red" if low else "0.1",
                        bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85})
        ax.add_collection(LineCollection(solid, colors="0.1", linewidths=2.0))
        if dashed:
            ax.add_collection(LineCollection(dashed, colors="tab:red", linewidths=1.6, linestyles="--"))
        ax.scatter([x for x, _ in pos.values()], [y for _, y in pos.values()], s=70, c="k", zorder=5)
        for i, (x, y) in pos.items():
            ax.annotate(f"C{i}", (x, y), xytext=(8, -14), textcoords="offset points", fontsize=9)
        f = K.f_vector()
        ax.set_title(f"{title}\nf-vector {f}, β = {K.betti()}\nΔ₀ spectrum {_spec(K)}", fontsize=9.5)
        ax.set_xlim(-0.05, 1.05)
        ax.set_ylim(-0.05, 1.05)
        ax.set_aspect("equal")
        ax.set_xticks([0, 0.5, 1])
        ax.set_yticks([0, 0.5, 1])
    fig.suptitle("Two crossing lines in the unit square: cell volumes μ₀ = 1/4, measure = volume, "
                 "lowdim_measure = own_dim", fontsize=10.5)
    fig.subplots_adjust(top=0.78, bottom=0.07, left=0.05, right=0.97, wspace=0.15)
    fd, tmp = tempfile.mkstemp(suffix=".png", dir=OUT.parent)
    os.close(fd)
    try:
        fig.savefig(tmp, dpi=90)
        os.replace(tmp, OUT)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return OUT


if __name__ == "__main__":
    print(main())
