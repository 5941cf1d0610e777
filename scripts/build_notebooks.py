"""Write the worked notebooks in ``notebooks/`` from the Python source in this file, and
execute them with nbclient.

The notebooks are generated so that a review reads plain Python and Markdown here, not
JSON.  Each notebook is a list of ``md(...)`` / ``code(...)`` cells in the ``NB01`` …
``NB06`` sections below.

Usage (from the repository root)::

    .venv/bin/python scripts/build_notebooks.py              # write all, executed, with outputs
    .venv/bin/python scripts/build_notebooks.py 02 03        # only those whose name starts so
    .venv/bin/python scripts/build_notebooks.py --no-execute # write without outputs
    .venv/bin/python scripts/build_notebooks.py --check      # execute only; write nothing
    .venv/bin/python scripts/build_notebooks.py --tutorial   # run the code blocks of docs/tutorial.md

Execution happens in a fresh temporary directory (as in ``tests/test_notebooks.py``) with
the inline matplotlib backend; cell timing metadata is not recorded, so a rebuild changes
only what the code prints.  Pictures are saved at 72 dpi to keep the files small.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
TUTORIAL = ROOT / "docs" / "tutorial.md"
CELL_TIMEOUT_S = 600


def md(text: str) -> tuple[str, str]:
    return ("markdown", textwrap.dedent(text).strip("\n"))


def code(text: str) -> tuple[str, str]:
    return ("code", textwrap.dedent(text).strip("\n"))


SETUP = code(
    """
    %matplotlib inline
    import time

    import matplotlib

    matplotlib.rcParams["figure.dpi"] = 72  # small pictures: the notebook is stored with its outputs
    T0 = time.perf_counter()
    """
)

FOOTER = code(
    """
    print(f"notebook ran in {time.perf_counter() - T0:.1f} s")
    """
)

# =====================================================================================
# NB01 — polytopes and exact angles
# =====================================================================================

NB01 = [
    md(
        """
        # Polytopes and exact angles

        Every cell of a partition that a piecewise-linear model induces is a convex
        polytope with rational data. This notebook answers a basic question: **what can be
        known exactly about such a polytope — its vertices, faces, volumes, face volumes,
        angles, largest inscribed ball — and where do floating-point tools go wrong?**

        exactgeom keeps every number exact: rationals are `Fraction`s, volumes of faces are
        surds `q·√d`, angles are held by their exact cosine, and every irrational number can
        be enclosed in a certified interval. Definitions:
        [docs/definitions/polytope.md](../docs/definitions/polytope.md) and
        [docs/definitions/numbers.md](../docs/definitions/numbers.md).
        """
    ),
    SETUP,
    code(
        """
        from fractions import Fraction

        import numpy as np

        from exactgeom import InexactInputError, Polytope
        from exactgeom.examples import cross_polytope, cube, regular_simplex, simplex
        """
    ),
    md(
        """
        ## 1. Two representations of one polytope

        A polytope is given by inequalities `A x ≤ b` (H-representation) or as the convex
        hull of points (V-representation). Here is the unit square with one corner cut off,
        given both ways. Entries may be integers, `Fraction`s or strings `"p/q"`.
        cddlib (with GMP rationals) converts between the two exactly; the result is put in a
        canonical form, so the two constructions compare equal.
        """
    ),
    code(
        """
        A = [[-1, 0], [0, -1], [1, 0], [0, 1], [1, 1]]
        b = [0, 0, 1, 1, "3/2"]
        H = Polytope.from_hrep(A, b)
        V = Polytope.from_vrep([[0, 0], [1, 0], [1, "1/2"], ["1/2", 1], [0, 1], ["1/3", "1/3"]])  # last point is inside

        print("vertices:", [tuple(map(str, v)) for v in H.vertices])
        print("facets:  ", [f"{h.normal}·x <= {h.offset}" for h in H.facets])
        print("same polytope:", H == V, "| dim", H.dim, "| f-vector", H.f_vector(), "| area", H.volume())
        """
    ),
    md(
        """
        Facet normals are primitive integer vectors and vertices are sorted, so equal
        polytopes have equal data. A redundant inequality or an interior point simply
        disappears.

        Floats are refused unless you choose how to read them. The three points below are
        collinear: `0.2`, `0.4` and `0.6` are *exactly* twice the doubles `0.1`, `0.2`, `0.3`.
        Both float policies (`"exact"`: the double's exact binary value;
        `"limit_denominator(N)"`: the nearest rational with denominator at most N) see a
        segment (dimension 1). A float determinant says they are not collinear.
        """
    ),
    code(
        """
        pts = [(0.1, 0.2), (0.2, 0.4), (0.3, 0.6)]
        try:
            Polytope.from_vrep(pts)
        except InexactInputError as exc:
            print("refused:", str(exc)[:80], "...")

        for policy in ["exact", "limit_denominator(100)"]:
            T = Polytope.from_vrep(pts, policy=policy)
            print(f"{policy:24s} dim {T.dim}, area {T.volume()}, endpoints {[tuple(map(str, v)) for v in T.vertices]}")

        P = np.array(pts)
        print("float orientation determinant:", np.linalg.det(P[1:] - P[0]))
        """
    ),
    md(
        """
        ## 2. The face lattice and Euler's relation

        `face_lattice()` lists every face; `f_vector()` counts the faces of each proper
        dimension `(f_0, …, f_{d−1})`. For every bounded d-polytope Euler's relation
        `Σ_k (−1)^k f_k = 1 − (−1)^d` holds — an integer identity, so it is checked exactly.
        """
    ),
    code(
        """
        rng = np.random.default_rng(1)
        random_points = [[Fraction(int(c), 7) for c in rng.integers(-14, 15, size=3)] for _ in range(20)]
        polytopes = {
            "3-cube": cube(3),
            "4-cube": cube(4),
            "4-simplex": simplex(4),
            "4-cross-polytope": cross_polytope(4),
            "hull of 20 rational points in R^3": Polytope.from_vrep(random_points),
        }
        for name, P in polytopes.items():
            f = P.f_vector()
            euler = sum((-1) ** k * fk for k, fk in enumerate(f))
            print(f"{name:34s} f = {f!s:22s} Σ(-1)^k f_k = {euler:2d} = 1-(-1)^d: {euler == 1 - (-1) ** P.dim}")
        """
    ),
    md(
        """
        ## 3. Exact volume, three independent ways

        `volume(method=...)` offers three exact algorithms that share no code beyond the
        vertices and facets: a pulling **triangulation** (sum of simplex determinants),
        **Lasserre**'s recursion over facets, and **Lawrence**'s formula (Brion's theorem
        summed over the vertices). They must agree exactly — as rationals, not to 15 digits.
        scipy's Qhull gives a float for comparison.
        """
    ),
    code(
        """
        from scipy.spatial import ConvexHull

        Q = polytopes["hull of 20 rational points in R^3"]
        vols = {m: Q.volume(method=m) for m in ["triangulation", "lasserre", "lawrence"]}
        for m, v in vols.items():
            print(f"{m:14s} {v}")
        print("all equal:", len(set(vols.values())) == 1)

        qhull = ConvexHull(np.array(Q.vertices, dtype=float)).volume
        exact = vols["triangulation"]
        print(f"Qhull (float):  {qhull!r}   relative error {abs(qhull - float(exact)) / float(exact):.1e}")
        """
    ),
    md(
        """
        ## 4. Volumes of faces are surds

        The (n−1)-volume of a facet is generally irrational: the slanted facet of the
        standard simplex `conv(0, e1, e2, e3)` is an equilateral triangle of side √2 with area
        `√3/2`. exactgeom returns it as a `Surd` `q·√d` (with `d` squarefree); its square is
        rational and a certified decimal enclosure is available on demand.

        A lower-dimensional polytope has a *relative* volume in its own affine hull: the
        regular simplex `conv(e1, …, e4)` lives in R^4 and has 3-volume `√4/3! = 1/3`.

        The area vectors `vol(F_i)·a_i/‖a_i‖` are rational and sum to zero exactly
        (Minkowski's relation for a closed surface).
        """
    ),
    code(
        """
        S = simplex(3)
        for i, h in enumerate(S.facets):
            v = S.facet_volume(i)
            print(f"facet {i}: {h.normal!s:14s} volume {v!s:12s} squared {v.squared()!s:5s} ≈ {v.enclose(20)}")

        R = regular_simplex(3)
        print("\\nregular 3-simplex in R^4: dim", R.dim, "| 4-volume", R.volume(), "| 3-volume", R.relative_volume())
        print("its facets:", [str(R.facet_volume(i)) for i in range(4)])

        area_vectors = [S.facet_area_vector(i) for i in range(4)]
        print("\\nSum of area vectors of the simplex:", [str(sum(c)) for c in zip(*area_vectors)])
        """
    ),
    md(
        """
        ## 5. Dihedral angles as exact cosines

        The interior angle between two adjacent facets with outward normals `a`, `b` has
        cosine `−⟨a,b⟩/(‖a‖‖b‖)`, a surd. exactgeom keeps the angle as this exact cosine
        (`Angle`), compares angles exactly, and gives `θ/π` via `exact_pi_multiple()` when
        it is rational.

        When is `θ/π` rational? If `θ = rπ` and `cos²θ` is rational, Niven's theorem forces
        `cos²θ ∈ {0, 1/4, 1/2, 3/4, 1}`. So an angle whose exact cosine squares to anything
        else is **provably not** a rational multiple of π. The regular tetrahedron's
        dihedral angle `arccos(1/3)` is the classic example (so no number of regular
        tetrahedra fits exactly around an edge); so is the octahedron's `arccos(−1/3)`.
        """
    ),
    code(
        """
        def show_angles(name, P):
            seen = {}
            for (i, j), a in P.dihedral_angles().items():
                seen.setdefault(a, []).append((i, j))
            print(name)
            for a, pairs in sorted(seen.items()):  # Angles sort exactly (by their cosines)
                r = a.exact_pi_multiple()
                print(f"   {a!s:24s} cos² = {a.squared_cos()!s:4s} θ/π = {r!s:5s} θ ∈ {a.degrees(12)}°   ({len(pairs)} ridges)")

        show_angles("unit cube", cube(3))
        show_angles("standard simplex conv(0, e1, e2, e3)", simplex(3))
        show_angles("regular simplex conv(e1, ..., e4)", regular_simplex(3))
        show_angles("octahedron (cross-polytope)", cross_polytope(3))
        show_angles("square with a corner cut", H)
        """
    ),
    md(
        """
        The two angles of the right triangle below are not rational multiples of π, yet
        the three angles of the triangle sum to π *exactly*. `AngleSum` multiplies the unit
        complex numbers `cos θ + i sin θ` in exact surd arithmetic (their product is exactly
        −1) and pins the winding with a certified ball. The same machinery decides that the
        angles around every interior vertex of a partition sum to exactly 2π (notebook 03).
        """
    ),
    code(
        """
        from exactgeom.analysis.rotation import AngleSum

        T = Polytope.from_vrep([[0, 0], [2, 0], [0, 1]])
        angles = list(T.dihedral_angles().values())
        print([(str(a), a.exact_pi_multiple()) for a in angles])
        s = AngleSum(angles)
        print("product of rotations:", s.rotation(), "→ sum = π ·", s.pi_multiple())
        """
    ),
    md(
        """
        ## 6. A degenerate case where floats fail

        Thin cells are common in trained networks (notebook 02 finds cells with area
        around 10⁻⁷). Take an extreme *sliver*: the quadrilateral with vertices `(0,0)`,
        `(1, ε)`, `(2, 0)`, `(1, −ε)` for `ε = 10⁻¹⁵`, plus a point on its long diagonal.
        Exactly, it has 4 vertices, 4 facets and area `2ε`. Qhull, the float library
        behind scipy's `ConvexHull`, refuses the input as flat; with joggled input (`QJ`)
        it returns an area wrong by four orders of magnitude.
        """
    ),
    code(
        """
        eps = Fraction(1, 10**15)
        pts = [(0, 0), (1, eps), (2, 0), (1, -eps), (Fraction(1, 2), 0)]
        sliver = Polytope.from_vrep(pts)
        print("exact: vertices", len(sliver.vertices), "| facets", len(sliver.facets), "| area", sliver.volume(), "=", float(sliver.volume()))

        F = np.array(pts, dtype=float)
        try:
            ConvexHull(F)
        except Exception as exc:
            print("Qhull:", type(exc).__name__, str(exc).splitlines()[0])
        joggled = ConvexHull(F, qhull_options="QJ")
        print(f"Qhull with QJ: area {joggled.volume:.3e}, {len(joggled.vertices)} vertices")
        """
    ),
    md(
        """
        The exact angles of the sliver are fine too: two angles of `π − 2·arctan(10¹⁵)`
        (nearly flat) and two of `2·arctan(10⁻¹⁵)` (nearly zero). Computed in floats from the
        normals, the sharp angle comes out as exactly 0 — not a tiny positive number.
        """
    ),
    code(
        """
        (i, j), sharp = min(sliver.dihedral_angles().items(), key=lambda item: item[1])
        print("sharpest angle, exact cosine:", sharp.cos, "\\ncertified radians:", sharp.radians(8))
        a, b = (np.array(sliver.facets[k].normal, dtype=float) for k in (i, j))
        cos_float = -a @ b / (np.linalg.norm(a) * np.linalg.norm(b))
        print("float cosine", cos_float, "→ float angle", np.arccos(np.clip(cos_float, -1, 1)))
        """
    ),
    md(
        """
        ## 7. The largest inscribed ball (Chebyshev ball)

        The radius of the largest ball inside a cell is a robust measure of how *thin* the
        cell is (area alone cannot tell a thin sliver from a small square). The Euclidean
        ball solves a linear program whose constraints involve the norms `‖a_i‖`, so the
        radius is generally a sum of surds: for the standard simplex it is `(3 − √3)/6`.
        exactgeom solves the LP in floats, then **certifies** the optimal active set exactly
        (Cramer's rule with surds, exact signs); a float is never returned as the answer.
        With `norm="max"` (the largest inscribed cube) everything is rational.
        """
    ),
    code(
        """
        ball = simplex(3).chebyshev_ball()
        print("simplex: radius", ball.radius, "≈", ball.radius_enclosure, "| centre", [str(c) for c in ball.center])
        cube_ball = simplex(3).chebyshev_ball(norm="max")
        print("simplex, largest inscribed cube: half-side", cube_ball.radius, "centre", [str(c) for c in cube_ball.center])
        thin = sliver.chebyshev_ball()
        print("sliver: radius", thin.radius, "\\n        ≈", thin.radius_enclosure)
        """
    ),
    md(
        """
        **What to take away.** Vertices, faces and incidences are decided exactly; volumes
        are rationals computed three independent ways; face volumes and angles are exact
        surds with certified decimals; whether an angle is a rational multiple of π is a
        theorem (Niven), not a float comparison; and thin cells that break float geometry are
        ordinary values here. Next: [02 — a ReLU network's partition before and after
        training](02_relu_partition_before_after_training.ipynb).
        """
    ),
    FOOTER,
]

# =====================================================================================
# NB02 — a ReLU network's partition before and after training
# =====================================================================================

NB02 = [
    md(
        """
        # A ReLU network's partition, before and after training

        A ReLU network is affine on each cell of a partition of its input space into convex
        polytopes (one cell per realised activation pattern). This notebook follows one small
        network, 2-8-8-1, from its random initialisation to a trained classifier and asks,
        **exactly**: how many cells are there, how many contain data, how are their
        volumes distributed, how small and how sharp do cells get — and what does a float
        sampling of the activation patterns miss?

        The partitions are computed exactly from rational weights; floats enter only when
        the trained float64 weights are converted, by a policy we choose and which is
        recorded. The effect of *regularizing* the geometry during training is the subject of
        [06_regularization.ipynb](06_regularization.ipynb); here the training is plain.
        """
    ),
    SETUP,
    code(
        """
        from collections import Counter
        from fractions import Fraction

        import matplotlib.pyplot as plt
        import numpy as np
        import torch

        from exactgeom.importers import from_torch
        from exactgeom.numbers import Angle, Surd
        from exactgeom.partitions.relu import load_example
        from exactgeom.plot import cell_polygons, plot_partition

        torch.set_num_threads(1)  # tiny tensors: threads only add overhead

        # The built-in data set: 200 points of two interleaved moons, rational coordinates,
        # and the domain [-2, 3] x [-3/2, 2] (the example network itself is not used here).
        _, D, X, y = load_example()
        Xf = np.array(X, dtype=float)
        yf = np.array(y, dtype=float)
        print(len(X), "points,", Counter(y), "| domain vertices", [tuple(map(str, v)) for v in D.vertices])
        """
    ),
    md(
        """
        ## 1. The network at initialisation

        PyTorch's default initialisation with a fixed seed, in float64.
        `exactgeom.importers.from_torch` reads the `nn.Sequential` and converts every weight
        with the float policy we pass. For the initial network we round to rationals with
        denominator at most 1000 (`limit_denominator(1000)`): the rounded network is *a*
        random initialisation as good as the float one, with short numbers.
        The partition is built exactly by a breadth-first walk across cell facets, and
        `check()` verifies it: cells are full-dimensional and inside the domain, their
        interiors are disjoint, their volumes sum **exactly** to the domain's, and the
        network's activation pattern at each cell's centroid is the cell's key.
        """
    ),
    code(
        """
        torch.manual_seed(1)
        net = torch.nn.Sequential(
            torch.nn.Linear(2, 8), torch.nn.ReLU(), torch.nn.Linear(8, 8), torch.nn.ReLU(), torch.nn.Linear(8, 1)
        ).double()

        t = time.perf_counter()
        P0 = from_torch(net, D, policy="limit_denominator(1000)")
        print(f"{P0.n_cells} cells in {time.perf_counter() - t:.2f} s; provenance {P0.provenance}")
        report = P0.check()
        print("check:", report.ok, "| Σ cell volumes =", report.volume_sum, "= vol(D) =", report.domain_volume)
        print("first layer, first unit:", [str(w) for w in P0.model.weights[0][0]], "bias", P0.model.biases[0][0])
        """
    ),
    md(
        """
        ## 2. Plain training

        Full-batch Adam on the logistic loss, 500 steps, float64, CPU — well under a second.
        """
    ),
    code(
        """
        Xt, yt = torch.tensor(Xf), torch.tensor(yf)
        opt = torch.optim.Adam(net.parameters(), lr=0.02)
        t = time.perf_counter()
        for step in range(500):
            opt.zero_grad()
            loss = torch.nn.functional.binary_cross_entropy_with_logits(net(Xt).squeeze(1), yt)
            loss.backward()
            opt.step()
            if step % 100 == 0 or step == 499:
                print(f"step {step:3d}  loss {loss.item():.4f}")
        float_acc = ((net(Xt).squeeze(1) > 0).double() == yt).double().mean().item()
        print(f"float accuracy {float_acc:.3f}  ({time.perf_counter() - t:.1f} s)")
        """
    ),
    md(
        """
        ## 3. The trained network, exactly

        Now the float policy matters. `policy="exact"` takes each float64 weight's exact
        binary value, so the exact partition is the partition of *the very network PyTorch
        evaluates* (up to PyTorch's own rounding in evaluating it). The rationals have
        power-of-two denominators such as 2^51; exactgeom does not mind.
        The accuracy is recomputed exactly: the sign of the exact output at each rational
        data point.
        """
    ),
    code(
        """
        t = time.perf_counter()
        P1 = from_torch(net, D, policy="exact")
        print(f"{P1.n_cells} cells in {time.perf_counter() - t:.2f} s; check: {P1.check().ok}")
        print("a trained weight, exactly:", P1.model.weights[0][0][0])
        exact_acc = Fraction(sum((P1.model.forward(x)[0] > 0) == bool(c) for x, c in zip(X, y)), len(y))
        print("exact accuracy:", exact_acc, "=", float(exact_acc))
        """
    ),
    md(
        """
        ## 4. Comparison

        Numbers of cells; cells that contain data (found by each data point's exact
        activation pattern — a point on a boundary is assigned to one cell it touches);
        volumes relative to the domain (exact rationals, shown as floats); and dihedral
        angles. Angles are compared exactly: "below 30°" means `cos θ > √3/2`, decided on
        the exact surd cosine; the sharpest angle is the exact minimum, shown with a
        certified enclosure in degrees.
        """
    ),
    code(
        """
        THIRTY_DEG = Angle(Surd(1, 3) / 2)  # cos 30° = √3/2, exact
        vol_D = D.volume()


        def summary(P):
            data_keys = set(P.model.cell_patterns(X))
            rel = sorted(c.volume() / vol_D for c in P.cells)
            angles = [(a, c.index) for c in P.cells for a in c.polytope.dihedral_angles().values()]
            sharpest, where = min(angles)
            return {
                "cells": P.n_cells,
                "cells containing data": len(data_keys),
                "smallest cell / vol(D)": f"{float(rel[0]):.2e}",
                "median cell / vol(D)": f"{float(rel[len(rel) // 2]):.2e}",
                "largest cell / vol(D)": f"{float(rel[-1]):.2e}",
                "cells below 1e-4 of vol(D)": sum(r < Fraction(1, 10**4) for r in rel),
                "dihedral angles": len(angles),
                "angles below 30° (exact)": sum(a < THIRTY_DEG for a, _ in angles),
                "sharpest angle (deg, certified)": f"{float(sharpest.degrees(6).mid):.4f} (cell {where})",
            }


        s0, s1 = summary(P0), summary(P1)
        print(f"{'':34s} {'initial':>22s} {'trained':>22s}")
        for k in s0:
            print(f"{k:34s} {s0[k]!s:>22s} {s1[k]!s:>22s}")
        """
    ),
    md(
        """
        The histogram of `log10(volume / vol(D))` shows the spread of cell sizes: training
        moves the hyperplanes of the first layer and bends those of the second, and cells
        many orders of magnitude smaller than the typical cell appear and disappear.
        """
    ),
    code(
        """
        fig, ax = plt.subplots(figsize=(6.5, 3))
        logs = [[np.log10(float(c.volume() / vol_D)) for c in P.cells] for P in (P0, P1)]
        bins = np.linspace(min(map(min, logs)) - 0.5, 0.5, 30)
        ax.hist(logs[0], bins=bins, alpha=0.6, label=f"initial ({P0.n_cells} cells)")
        ax.hist(logs[1], bins=bins, alpha=0.6, label=f"trained ({P1.n_cells} cells)")
        ax.set_xlabel("log10(cell volume / domain volume)")
        ax.set_ylabel("cells")
        ax.legend()
        plt.show()
        """
    ),
    md(
        """
        ### The smallest cells of the trained network

        Small is not the same as thin. For the five smallest cells we list the exact area
        (as a float), the number of vertices, the half-side `h` of the largest inscribed
        axis-parallel square — `chebyshev_ball(norm="max")`, an exact rational from an exact
        LP; the inradius `r` of the largest inscribed disc satisfies `h ≤ r ≤ √2·h` — and
        the sharpest angle of the cell.
        """
    ),
    code(
        """
        smallest = sorted(P1.cells, key=lambda c: c.volume())[:5]
        print(f"{'cell':>4s} {'area':>10s} {'vertices':>8s} {'h':>10s} {'sharpest angle (deg)':>21s}  key")
        for c in smallest:
            ball = c.polytope.chebyshev_ball(norm="max")
            sharp = min(c.polytope.dihedral_angles().values())
            key = "|".join("".join(map(str, layer)) for layer in c.key)
            print(f"{c.index:4d} {float(c.volume()):10.3e} {len(c.polytope.vertices):8d} "
                  f"{float(ball.radius):10.3e} {float(sharp.degrees(6).mid):21.4f}  {key}")
        """
    ),
    md(
        """
        ## 5. Pictures

        Both partitions, cells coloured by `log10` of their area on a common scale, with the
        data; red rings mark the cells smaller than 10⁻⁴ of the domain, which are too small
        to see. The polygons come from the exact vertices (`exactgeom.plot.cell_polygons`);
        only the drawing is in floats.
        """
    ),
    code(
        """
        from matplotlib.collections import PolyCollection
        from matplotlib.colors import Normalize

        norm = Normalize(vmin=min(map(min, logs)), vmax=max(map(max, logs)))
        fig, axes = plt.subplots(1, 2, figsize=(10, 3.9), sharey=True)
        for ax, P, name in zip(axes, (P0, P1), ("initial", "trained")):
            _, polys = cell_polygons(P)
            vals = [np.log10(float(P.cells[i].volume() / vol_D)) for i, _ in polys]
            pc = PolyCollection([p for _, p in polys], array=np.array(vals), cmap="viridis", norm=norm,
                                edgecolors="k", linewidths=0.4)
            ax.add_collection(pc)
            ax.scatter(Xf[:, 0], Xf[:, 1], c=yf, cmap="coolwarm", s=6, edgecolors="none")
            tiny = np.array([c.centroid() for c in P.cells if c.volume() < vol_D / 10**4], dtype=float).reshape(-1, 2)
            ax.scatter(tiny[:, 0], tiny[:, 1], s=90, facecolors="none", edgecolors="red", linewidths=1.2)
            ax.set_title(f"{name}: {P.n_cells} cells, {len(tiny)} ringed", fontsize=10)
            ax.set_aspect("equal")
            ax.autoscale_view()
        fig.colorbar(pc, ax=axes, label="log10(area / vol D)", shrink=0.85)
        plt.show()
        """
    ),
    md(
        """
        `plot_partition` draws the same picture in one call, and adds the exact decision
        boundary `output = 0`, computed cell by cell from the affine output on each cell.
        """
    ),
    code(
        """
        plot_partition(P1, color="volume", data=X, labels=y, figsize=(6, 4.4),
                       title=f"trained network: {P1.n_cells} cells and the decision boundary")
        """
    ),
    md(
        """
        ## 6. What a float sampling sees

        A common float approach counts the distinct activation patterns on a grid of points.
        It can only find a cell if a grid point falls inside it, so small cells are missed
        until the grid is fine enough — and one never knows when it is. Here is the count of
        distinct patterns of the float64 PyTorch network on `k × k` grids, against the exact
        count. Every pattern the grid finds is one of the exact keys, as it should be: the
        exact partition is that of this very network.
        """
    ),
    code(
        """
        lo = np.array(D.vertices[0], dtype=float)
        hi = np.array(D.vertices[-1], dtype=float)


        def grid_patterns(k):
            gx, gy = np.meshgrid(np.linspace(lo[0], hi[0], k), np.linspace(lo[1], hi[1], k))
            h, bits = torch.tensor(np.c_[gx.ravel(), gy.ravel()]), []
            with torch.no_grad():
                for layer in net:
                    h = layer(h)
                    if isinstance(layer, torch.nn.ReLU):
                        bits.append((h > 0).numpy())
            widths = [b.shape[1] for b in bits]
            rows = np.unique(np.concatenate(bits, axis=1).astype(np.int8), axis=0)
            return {tuple(tuple(int(v) for v in r[sum(widths[:l]):sum(widths[:l + 1])]) for l in range(len(widths)))
                    for r in rows}


        exact_keys = {c.key for c in P1.cells}
        for k in (50, 100, 200, 400, 800):
            found = grid_patterns(k)
            missed = sorted(P1.cell(key).volume() for key in exact_keys - found)
            print(f"{k:4d} x {k:<4d} grid: {len(found):3d} patterns (exact: {len(exact_keys)}), "
                  f"not exact keys: {len(found - exact_keys)}, missed cells: {len(missed)}"
                  + (f", the largest missed has area {float(missed[-1]):.1e}" if missed else ""))
        """
    ),
    md(
        """
        ## 7. The float policy is part of the answer

        Rounding the trained weights to denominators ≤ 64 gives a *different* network. Its
        partition is close, but not the same: some cells change area, and tiny cells may
        appear or vanish. This is why every partition records its policy in
        `provenance["policy"]` (and every fixture in `provenance.float_policy`).
        """
    ),
    code(
        """
        P64 = from_torch(net, D, policy="limit_denominator(64)")
        keys64 = {c.key for c in P64.cells}
        common = exact_keys & keys64
        dv = max(abs(P64.cell(k).volume() - P1.cell(k).volume()) for k in common)
        print(f"exact policy: {P1.n_cells} cells | limit_denominator(64): {P64.n_cells} cells, provenance policy {P64.provenance['policy']!r}")
        print(f"keys only in one of them: {len(exact_keys ^ keys64)}; largest area change of a common cell: {float(dv):.2e}")
        """
    ),
    md(
        """
        **Reading the results.** Training changes the partition substantially even for this
        tiny network: the cell count changes, the cells that hold the data are reshaped,
        and the smallest cell shrinks by about three orders of magnitude, with several
        cells below 10⁻⁴ of the domain. Size and sharpness are different questions: here
        the number of angles below 30° drops while the smallest cells shrink. The tiny cells
        are invisible in a picture and missed by a coarse grid, and a fine grid still cannot
        prove it found everything; the exact partition can (`check()` balances the volumes
        exactly). To *control* these cells during training, see the geometric penalties in
        [06_regularization.ipynb](06_regularization.ipynb); for curvature on such a partition, see
        [03 — data-induced curvature](03_data_induced_curvature.ipynb).
        """
    ),
    FOOTER,
]

# =====================================================================================
# NB03 — data-induced curvature
# =====================================================================================

NB03 = [
    md(
        """
        # Data-induced curvature

        A partition of a flat domain is itself flat: around every interior vertex the
        angles of the cells sum to exactly 2π. Curvature appears when we look at the
        partition as a *space of cells* — the simplicial complex whose vertices are the cells
        and whose edges are shared faces — and weight the cells by **where the data are**.
        This notebook asks: **how does Ollivier–Ricci curvature on a ReLU network's
        partition change when random walks follow the data instead of the cell volumes, and
        do the exact identities (flatness, Gauss–Bonnet) hold exactly?**

        Definitions and options: [docs/definitions/curvature.md](../docs/definitions/curvature.md)
        and [docs/definitions/complex.md](../docs/definitions/complex.md).
        """
    ),
    SETUP,
    code(
        """
        from collections import Counter

        from exactgeom.analysis.curvature import angle_defects, gauss_bonnet_total, vertex_curvature
        from exactgeom.analysis.ricci import ricci_curvature
        from exactgeom.complex import RiemannianComplex
        from exactgeom.partitions.relu import load_example, relu_network
        from exactgeom.plot_curvature import plot_curvature
        """
    ),
    md(
        """
        ## 1. The partition and its complex

        The built-in example: a 2-8-8-1 network with rational weights (trained on 200
        points of two moons, weights rounded with `limit_denominator(64)`), on the domain
        `[-2, 3] × [-3/2, 2]`. `RiemannianComplex.from_partition(P, data=X)` builds the
        complex with the default *facet* convention (an edge for every pair of cells sharing
        a 1-dimensional face, a triangle for three cells meeting at a point pairwise
        adjacent) and locates each data point in a cell, giving the **data mass** of every
        cell.
        """
    ),
    code(
        """
        net, D, X, y = load_example()
        P = relu_network(net, None, D)
        print(P.n_cells, "cells; check:", P.check().ok)

        K = RiemannianComplex.from_partition(P, data=X)
        mass = K.data_mass()
        print("f-vector", K.f_vector(), "| Betti", K.betti(), "| Euler characteristic", K.euler_characteristic())
        print(f"data mass: {sum(mass)} points in {sum(m > 0 for m in mass)} of {P.n_cells} cells; "
              f"largest masses {sorted(mass, reverse=True)[:6]}")
        """
    ),
    md(
        """
        ## 2. Flatness: every angle defect is exactly zero

        At an interior vertex `v` of the partition, the angle defect is
        `κ(v) = 2π − Σ θ_C(v)` over the cells `C` around `v`. Each angle is an exact surd
        cosine; exactgeom multiplies the rotations `cos θ + i sin θ` exactly and certifies the
        winding, so "zero" below is a proof, not a rounding.
        """
    ),
    code(
        """
        defects = angle_defects(P)
        print(len(defects), "interior vertices; cells around them:", Counter(len(d.cells) for d in defects))
        print("all defects exactly zero:", all(d.is_zero() for d in defects))

        d = defects[0]
        print("\\nvertex", [tuple(map(str, v)) for v in d.piece.vertices], "cells", d.cells)
        for a in d.angle_sum().angles:
            print(f"   cos θ = {str(a.cos)[:60]}...  θ ≈ {float(a.degrees(8).mid):8.4f}°")
        print("product of rotations:", d.rotation(), "| winding", d.angle_sum().winding(), "→ Σθ = 2π exactly")
        """
    ),
    md(
        """
        Four cells meet at every interior vertex here (one hyperplane crossing another), and
        no three of them are pairwise adjacent, so the facet convention puts no triangle
        there: each vertex leaves a 4-cycle in the complex. That is why the first Betti
        number equals the number of interior vertices.
        """
    ),
    code(
        """
        print("β1 =", K.betti()[1], "| interior vertices =", len(defects))
        """
    ),
    md(
        """
        ## 3. Vertex curvature and Gauss–Bonnet, exactly

        The combinatorial curvature of a vertex (cell) `v` of the complex is
        `κ(v) = Σ_{σ∋v} (−1)^{dim σ}/(dim σ + 1)`; the *weighted* variant shares each
        simplex among its vertices in proportion to weights `w` (here: the data masses, with
        the uniform share on simplices without data). Both sum to the Euler characteristic
        `χ(K)` — a combinatorial Gauss–Bonnet theorem, checked here in exact rationals.
        """
    ),
    code(
        """
        kappa = vertex_curvature(K)
        kappa_data = vertex_curvature(K, variant="weighted", weights="data")
        print("Σ κ =", sum(kappa), "| Σ κ_data =", sum(kappa_data), "| χ =", K.euler_characteristic())
        print("gauss_bonnet_total:", gauss_bonnet_total(K))
        print("most common κ:", [(str(k), n) for k, n in Counter(kappa).most_common(4)])
        print("the five cells with the most data:")
        for i in sorted(range(P.n_cells), key=lambda i: -mass[i])[:5]:
            print(f"   cell {i:3d}: mass {mass[i]!s:3s} κ = {kappa[i]!s:5s} κ_data = {kappa_data[i]}")
        """
    ),
    md(
        """
        ## 4. Ollivier–Ricci curvature: data weights vs volume weights

        For an edge `(i, j)`, `Ric(i, j) = 1 − W₁(m_i, m_j)/d(i, j)`, where `m_i` is a lazy
        random walk from cell `i` (mass 1/2 stays, 1/2 moves to the neighbours) and `W₁` is
        the optimal-transport distance on the graph (hop distance). What changes is **where
        the walk goes**:

        * `edge_weight="data"`: neighbours in proportion to their data mass. A walk from a
          cell whose neighbours hold no data stays put.
        * `edge_weight="volume"`: neighbours in proportion to their volume.

        The transport problems have rational data and are solved **exactly** with cddlib's
        rational LP, so every curvature is a `Fraction`.
        """
    ),
    code(
        """
        t = time.perf_counter()
        ric_data = ricci_curvature(K, edge_weight="data")
        ric_vol = ricci_curvature(K, edge_weight="volume")
        print(f"{len(ric_data)} edges, both weightings in {time.perf_counter() - t:.1f} s")


        def signs(ric):
            c = Counter((r > 0) - (r < 0) for r in ric.values())
            return f"{c[1]:3d} positive, {c[0]:3d} zero, {c[-1]:3d} negative"


        print("data weights:  ", signs(ric_data))
        print("volume weights:", signs(ric_vol))
        digits = max(len(str(r.denominator)) for r in ric_vol.values())
        print(f"largest denominator: data weights {max(r.denominator for r in ric_data.values())}, "
              f"volume weights {digits} digits")
        """
    ),
    md(
        """
        With data weights the curvature lives where the data are, and the values are simple
        fractions. Far from the data an edge is exactly flat: when neither of its cells has
        a neighbour with data, both walks stay put and `W₁ = d = 1`, so `Ric = 0`. Volume
        weights spread curvature over the whole partition, with rationals of hundreds of
        digits that a float pipeline could only approximate.
        """
    ),
    code(
        """
        quiet = [e for e in ric_data if all(mass[k] == 0 for v in e for k in P.neighbours(v))]
        print(f"{len(quiet)} edges with no data next to either cell; all exactly 0: {all(ric_data[e] == 0 for e in quiet)}")
        flips = [e for e in ric_data if ric_data[e] != 0 and (ric_data[e] > 0) != (ric_vol[e] > 0)]
        print(f"{len(flips)} edges with non-zero data curvature have the other sign under volume weights")
        data_edges = [e for e in ric_data if mass[e[0]] and mass[e[1]]]
        print(f"{len(data_edges)} edges join two data cells; the most negative:")
        for e in sorted(data_edges, key=lambda e: ric_data[e])[:5]:
            print(f"   edge {e}: masses {mass[e[0]]}, {mass[e[1]]}   Ric_data = {ric_data[e]!s:6s}  Ric_volume ≈ {float(ric_vol[e]):+.4f}")
        """
    ),
    md(
        """
        ## 5. Exact vs float

        The same transport problems solved in floats (scipy's HiGHS, `exact=False`) agree
        with the exact values to rounding — the exact values are the ground truth a float
        implementation can be tested against (notebook 04).
        """
    ),
    code(
        """
        for name, exact in (("data", ric_data), ("volume", ric_vol)):
            approx = ricci_curvature(K, edge_weight=name, exact=False)
            err = max(abs(float(exact[e]) - approx[e]) for e in exact)
            print(f"{name:6s} weights: max |exact − float| = {err:.1e}")
        """
    ),
    md(
        """
        ## 6. A picture

        `plot_curvature` colours each cell by its Ricci vertex curvature
        `κ(v) = ½ Σ_{e∋v} Ric(e)` (data weights), each shared face by the Ollivier–Ricci
        curvature of its edge, and marks every interior vertex by its exact angle defect
        (grey dots: exactly zero). The cells holding the data — above all the large cells
        at the heart of each moon — are positively curved (red): the walks from their
        neighbours flow into them, so neighbouring walks overlap. The most negative cells
        (blue) are empty cells next to a single data cell: their walk sends all its moving
        mass to that one neighbour, while the walks of their other neighbours stay put.
        """
    ),
    code(
        """
        plot_curvature(K, vertex="kappa_ricci", edge="ollivier", data=X,
                       title="Ollivier–Ricci curvature with data weights")
        """
    ),
    md(
        """
        **What to take away.** The partition is exactly flat (every angle defect is zero,
        proved), Gauss–Bonnet holds exactly for the complex, and Ricci curvature depends on
        the measure we put on cells: data weights make it a statement about the data's
        neighbourhood structure, volume weights about the geometry of the cells. All of it is
        exact rational ground truth. Next: [04 — fixtures for float code](04_fixtures_for_float_code.ipynb).
        """
    ),
    FOOTER,
]

# =====================================================================================
# NB04 — fixtures for float code
# =====================================================================================

NB04 = [
    md(
        """
        # Exact fixtures for testing float code

        Float and GPU implementations of partition geometry (cell areas, angles, face
        lengths, Laplacian spectra, curvature) are hard to test: what should the answer be?
        This notebook answers: **how do I test my float code against exact ground truth?**
        exactgeom writes *fixtures* — canonical JSON files with every exact number (and
        certified decimal enclosures of the irrational ones) — which any code can read.
        We write a fixture for a small model, read it back, test deliberately simple numpy
        routines against it (and catch a bug), let `check_fixture` catch a tampered number,
        and do the same from the command line.

        The format is documented in [docs/fixtures.md](../docs/fixtures.md), the command
        line in [docs/cli.md](../docs/cli.md).
        """
    ),
    SETUP,
    code(
        """
        import json
        import os
        import subprocess
        import sys
        import tempfile
        from fractions import Fraction
        from pathlib import Path

        import numpy as np

        from exactgeom.io import check_fixture, load_fixture, read_model, validate_document, write_fixture

        work = Path(tempfile.mkdtemp(prefix="exactgeom-fixtures-"))  # every file of this notebook goes here
        os.chdir(work)
        """
    ),
    md(
        """
        ## 1. A model file and its fixture

        A model file is JSON: the family, its exact parameters (integers or `"p/q"`
        strings), a domain and, optionally, data. Here: a 2-4-2-1 ReLU network on the
        square `[-1, 1]²`, with five data points.
        """
    ),
    code(
        """
        model = {
            "family": "relu",
            "weights": [
                [["1", "1/2"], ["-1/3", "1"], ["1", "1"], ["1/2", "-1"]],
                [["1", "-1", "1/2", "1"], ["-1", "1", "1", "-1/2"]],
                [["1", "-1"]],
            ],
            "biases": [["0", "1/4", "-1/2", "1/3"], ["0", "-1/4"], ["0"]],
            "domain": [["-1", "1"], ["-1", "1"]],
            "data": [["1/2", "1/2"], ["-1/2", "1/4"], ["0", "-3/4"], ["3/4", "-1/2"], ["-3/4", "-3/4"]],
        }
        Path("model.json").write_text(json.dumps(model, indent=1))

        t = time.perf_counter()
        doc = write_fixture("model.json", "tiny.json", name="tiny")
        print(f"wrote tiny.json: {Path('tiny.json').stat().st_size / 1024:.0f} KiB in {time.perf_counter() - t:.2f} s")
        print("sections:", doc["sections"], "| cells:", doc["partition"]["n_cells"], "| faces:", doc["partition"]["n_faces"])
        print("schema errors:", validate_document(doc))
        print("provenance:", {k: doc["provenance"][k] for k in ("package", "family", "mode", "float_policy")})
        """
    ),
    md(
        """
        Every number is a **string** in one canonical form — rationals `"p/q"`, surds
        `"q*sqrt(d)"`, angles `"arccos(<cos>)"`, enclosures `["lo", "hi"]` — so no JSON
        reader turns them into binary floats by accident. One cell and one shared face:
        """
    ),
    code(
        """
        cell = doc["cells"][0]
        print(json.dumps({k: cell[k] for k in ("index", "key", "hrep", "vertices", "volume", "facet_volumes")}))
        print(json.dumps(cell["angles"][0]))
        print(json.dumps(doc["faces"][0]))
        """
    ),
    md(
        """
        ## 2. Loading gives back exact objects

        `load_fixture` parses every string strictly and rebuilds the exact objects:
        polytopes, `Fraction`s, `Surd`s, `Angle`s. They equal what exactgeom computes from
        the model afresh.
        """
    ),
    code(
        """
        fx = load_fixture("tiny.json")
        c0 = fx.cells[0]
        print(type(c0.polytope).__name__, repr(c0.volume), c0.facet_volumes[:2], list(c0.angles.items())[:1])

        P = read_model("model.json").build()  # the partition, computed again from the model
        same = all(a.polytope == c.polytope and a.volume == c.volume() for a, c in zip(fx.cells, P.cells))
        print("loaded cells equal the recomputed ones:", same, "| cells with data:", [c.index for c in fx.cells if c.n_data])
        """
    ),
    md(
        """
        ## 3. Testing a float implementation

        Below is the kind of code one writes in a float pipeline, using **only the JSON**
        (no exactgeom): cell areas by the shoelace formula from the vertices, interior
        angles from the facet normals, face lengths from the face vertices. Converting the
        canonical strings to floats takes four lines.
        """
    ),
    code(
        """
        def num(s):  # "p/q", "q*sqrt(d)" -> float
            q, _, d = s.partition("*sqrt(")
            return float(Fraction(q)) * (np.sqrt(float(d[:-1])) if d else 1.0)


        def shoelace_area(vertices):
            V = np.array(vertices, dtype=float)
            c = V.mean(axis=0)
            V = V[np.argsort(np.arctan2(V[:, 1] - c[1], V[:, 0] - c[0]))]  # counter-clockwise
            x, y = V[:, 0], V[:, 1]
            return 0.5 * abs(x @ np.roll(y, -1) - y @ np.roll(x, -1))


        def interior_angle(a, b):  # facets a·x <= ..., b·x <= ...: the angle inside the cell
            a, b = np.asarray(a, float), np.asarray(b, float)
            return np.arccos(np.clip(-a @ b / (np.linalg.norm(a) * np.linalg.norm(b)), -1, 1))


        def interior_angle_buggy(a, b):  # a classic slip: the angle between the outward normals
            a, b = np.asarray(a, float), np.asarray(b, float)
            return np.arccos(np.clip(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)), -1, 1))


        def segment_length(vertices):
            p, q = np.array(vertices, dtype=float)
            return float(np.linalg.norm(q - p))
        """
    ),
    md(
        """
        The test compares each float result with the exact value: areas and lengths with a
        relative tolerance, angles against the certified enclosure `[lo, hi]` widened by the
        tolerance. It returns every failure, so a bug shows where it bites.
        """
    ),
    code(
        """
        def test_against_fixture(doc, angle_fn=interior_angle, rtol=1e-12):
            failures = []
            for c in doc["cells"]:
                A = [[float(Fraction(x)) for x in row] for row in c["hrep"]["A"]]
                area, exact = shoelace_area([[Fraction(x) for x in v] for v in c["vertices"]]), num(c["volume"])
                if abs(area - exact) > rtol * max(1.0, exact):
                    failures.append(f"cell {c['index']}: area {area!r} vs {c['volume']}")
                for ang in c["angles"]:
                    i, j = ang["facets"]
                    lo, hi = (float(Fraction(x)) for x in ang["radians"])
                    theta = angle_fn(A[i], A[j])
                    if not lo - rtol <= theta <= hi + rtol:
                        failures.append(f"cell {c['index']} facets {i},{j}: angle {theta:.6f} not in [{lo:.6f}, {hi:.6f}]")
            for f in doc["faces"]:
                length, exact = segment_length([[Fraction(x) for x in v] for v in f["vertices"]]), num(f["volume"])
                if abs(length - exact) > rtol * max(1.0, exact):
                    failures.append(f"face {f['cells']}: length {length!r} vs {f['volume']}")
            return failures


        n_angles = sum(len(c["angles"]) for c in doc["cells"])
        n_right = sum(a["pi_multiple"] == "1/2" for c in doc["cells"] for a in c["angles"])
        print(f"correct routines: {len(test_against_fixture(doc))} failures "
              f"({len(doc['cells'])} areas, {n_angles} angles of which {n_right} right angles, {len(doc['faces'])} face lengths)")
        bad = test_against_fixture(doc, angle_fn=interior_angle_buggy)
        print(f"buggy angle routine: {len(bad)} failures, e.g.")
        print("\\n".join("   " + b for b in bad[:3]))
        """
    ),
    md(
        """
        The buggy routine passes on every right angle (where `θ = π − θ`), so a test on boxes
        alone would never catch it; the fixture's oblique cells do.

        The same harness runs over the 2-D fixtures of the **shipped corpus** — including degenerate
        cases (duplicate hyperplanes, a hyperplane through a corner only, dead ReLU units),
        which is where float code tends to break:
        """
    ),
    code(
        """
        from exactgeom.io.corpus import corpus_names, fixture_path

        for name in corpus_names():
            d = json.loads(fixture_path(name).read_text())
            if d["domain"]["ambient_dim"] == 2:
                print(f"{name:22s} {d['partition']['n_cells']:3d} cells: {len(test_against_fixture(d))} failures")
        """
    ),
    md(
        """
        ### A spectral quantity

        The fixture also holds the complex of the partition (cells as vertices, shared faces
        as edges) and its Laplacian `Δ₀ = M₀⁻¹ B₁ M₁ B₁ᵀ` with `M₀` the cell areas and `M₁`
        the face lengths, together with certified enclosures of its eigenvalues. A float
        implementation assembles `Δ₀` from the faces and calls numpy; we test its spectrum
        against the enclosures, with a tolerance relative to the largest eigenvalue.
        """
    ),
    code(
        """
        def float_laplacian(doc):
            n = doc["partition"]["n_cells"]
            vol = np.array([num(c["volume"]) for c in doc["cells"]])
            L = np.zeros((n, n))
            for f in doc["faces"]:
                (i, j), w = f["cells"], num(f["volume"])
                L[i, i] += w
                L[j, j] += w
                L[i, j] -= w
                L[j, i] -= w
            return L / vol[:, None]


        lap = doc["complex"]["laplacians"][0]
        mine = np.sort(np.linalg.eigvals(float_laplacian(doc)).real)
        enclosures = [(float(Fraction(lo)), float(Fraction(hi))) for lo, hi in lap["spectrum"]["eigenvalues"]]
        tol = 1e-10 * mine[-1]
        print("Δ0:", lap["shape"], "| rational:", lap["rational"], "| kernel dimension", lap["spectrum"]["kernel_dim"])
        print("all eigenvalues inside their enclosures:", all(lo - tol <= x <= hi + tol for x, (lo, hi) in zip(mine, enclosures)))
        print("largest error:", max(max(lo - x, x - hi, 0) for x, (lo, hi) in zip(mine, enclosures)))
        """
    ),
    md(
        """
        ## 4. `check_fixture` catches a tampered number

        `check_fixture` re-derives the whole document from the stored model and compares
        value by value, listing every difference with its JSON path. We change one cell
        volume, write a non-canonical string (`"2/4"` instead of `"1/2"`), and change one
        weight of the stored model.
        """
    ),
    code(
        """
        print(check_fixture("tiny.json").report())

        t1 = json.loads(Path("tiny.json").read_text())
        t1["cells"][3]["volume"] = str(Fraction(t1["cells"][3]["volume"]) + Fraction(1, 10**30))
        Path("tampered_volume.json").write_text(json.dumps(t1))
        print(check_fixture("tampered_volume.json").report())

        t2 = json.loads(Path("tiny.json").read_text())
        t2["cells"][0]["vertices"][0][0] = "-2/2"
        Path("tampered_string.json").write_text(json.dumps(t2))
        print(check_fixture("tampered_string.json").report(limit=3))

        t3 = json.loads(Path("tiny.json").read_text())
        t3["model"]["weights"][0][0][1] = "51/100"
        Path("tampered_model.json").write_text(json.dumps(t3))
        r = check_fixture("tampered_model.json")
        print(f"tampered model: ok={r.ok}, {len(r.differences)} differences, e.g.\\n" + r.report(limit=4).split("\\n", 1)[1])
        """
    ),
    md(
        """
        ## 5. The same from the command line

        `exactgeom fixture MODEL -o FILE` writes a fixture (without `MODEL`: the built-in
        example network), `exactgeom check FILE ...` recomputes and lists the differences;
        the exit status is 0 when everything matches and 1 otherwise, so it drops into CI.
        Errors are one line, never a traceback. (We call the CLI through the current
        interpreter, `python -m exactgeom`, which is what the `exactgeom` script runs.)
        """
    ),
    code(
        """
        def exactgeom_cli(*args):
            r = subprocess.run([sys.executable, "-m", "exactgeom", *args], capture_output=True, text=True)
            print(f"$ exactgeom {' '.join(args)}    [exit status {r.returncode}]")
            print((r.stdout + r.stderr).rstrip())


        exactgeom_cli("fixture", "model.json", "--name", "tiny", "-o", "cli.json")
        print("byte for byte the file write_fixture wrote:", Path("cli.json").read_bytes() == Path("tiny.json").read_bytes())
        exactgeom_cli("check", "cli.json", "tampered_volume.json")
        exactgeom_cli("fixture", "--sections", "cells,faces", "-o", "example.json")
        exactgeom_cli("check", "example.json")
        exactgeom_cli("fixture", "no_such_model.json", "-o", "x.json")
        """
    ),
    md(
        """
        **In practice.** Generate fixtures once for the models you care about (or use the
        shipped corpus), commit them, and have your float code's tests read them with the
        tolerance of your choice; `exactgeom check` in CI guarantees the fixtures themselves
        stay right as exactgeom evolves. For random tests, the hypothesis strategy
        `exactgeom.strategies.models.model_documents()` generates model files from which a
        test can write a fresh fixture per example.
        """
    ),
    FOOTER,
]

# =====================================================================================
# NB05 — data cells in high input dimension (digits, 64 inputs)
# =====================================================================================

NB05 = [
    md(
        """
        # Data cells of a 64-input network, exactly

        A ReLU network cuts its input space into convex cells. In two dimensions we can list
        every cell and its vertices; a box in R^64 alone has 2^64 vertices, and a cell of a
        trained digits classifier has far more than anyone can enumerate. exactgeom's **data
        mode** builds only the cells that hold data, each as an **H-first** polytope: its
        irredundant facets, interior point and facet witnesses come from exact linear
        programming (a float LP proposes, exact rational arithmetic certifies), never from
        vertices. Everything that needs no volume then works exactly: the **data graph** (data
        cells sharing an (n−1)-face), a Riemannian complex with the **data measure**, its
        certified spectrum, and Ollivier–Ricci curvature.

        We use scikit-learn's digits (8×8 images, pixels/16, so the data are exact rationals),
        a small MLP trained with a fixed seed, its weights converted with
        `limit_denominator(1000)`, and a subset of the images so that the notebook runs in well
        under a minute.
        """
    ),
    SETUP,
    code(
        """
        import warnings
        from fractions import Fraction

        from sklearn import datasets
        from sklearn.neural_network import MLPClassifier

        from exactgeom import RiemannianComplex
        from exactgeom.analysis.ricci import ricci_curvature
        from exactgeom.importers import from_sklearn

        digits = datasets.load_digits()
        X_train, y_train = digits.data[:400] / 16, digits.target[:400]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a short training run: convergence warnings are expected
            clf = MLPClassifier((6, 6), random_state=0, max_iter=300).fit(X_train, y_train)
        print(f"training accuracy {clf.score(X_train, y_train):.2f} on {len(X_train)} images")
        warnings.filterwarnings("ignore", message="IProgress not found")  # tqdm in a kernel without widgets

        N = 12  # a subset of images: the data cells
        points = [[Fraction(int(v), 16) for v in row] for row in digits.data[:N]]  # exact pixels/16
        labels = [int(t) for t in digits.target[:N]]
        """
    ),
    md(
        """
        ## The data cells

        `from_sklearn(..., mode="data", data=points)` converts the weights exactly by the given
        policy and builds one cell per distinct activation pattern of the data. Above 6 inputs
        the cells are H-first (`engine == "lp"`): nothing below asks for a vertex.
        """
    ),
    code(
        """
        t = time.perf_counter()
        P = from_sklearn(clf, [(0, 1)] * 64, policy="limit_denominator(1000)", mode="data", data=points)
        print(f"{P.n_cells} data cells for {N} images in {time.perf_counter() - t:.1f} s; "
              f"engines {sorted({c.polytope.engine for c in P.cells})}")
        facets = sorted(c.polytope.n_facets for c in P.cells)
        print("facets per cell: min", facets[0], " median", facets[len(facets) // 2], " max", facets[-1])
        print("vertex estimate of cell 0 (McMullen's bound):", f"{P.cells[0].polytope.vertex_estimate():.2e}")
        print("check():", P.check().ok)
        """
    ),
    md(
        """
        ## Certified facets

        Each facet `i` of a cell comes with a **witness**: a rational point on the facet's
        hyperplane and strictly inside every other facet. It certifies that the row really is a
        facet (not redundant). We verify the witnesses of two cells here with plain exact
        arithmetic, independently of the LP that found them.
        """
    ),
    code(
        """
        def certify(cell):
            Q = P.cells[cell].polytope
            rows = [(h.normal, h.offset) for h in Q.facets]
            for fc in P.facet_crossings(cell):
                w = fc.witness
                vals = [sum(a * x for a, x in zip(n, w)) - b for n, b in rows]  # exact rationals
                assert vals[fc.facet] == 0 and all(v < 0 for k, v in enumerate(vals) if k != fc.facet)
            return len(rows)


        for cell in (0, 1):
            print(f"cell {cell}: all {certify(cell)} facet witnesses verified exactly")
        """
    ),
    md(
        """
        ## The data graph

        Two data cells are joined when they share an (n−1)-face. Across each facet of a cell
        lies exactly one cell of the network's partition; its pattern is found from the facet's
        witness by the **facet-crossing rule** (integer arithmetic), so the graph needs no
        vertices either. Each edge carries its shared hyperplane exactly.
        """
    ),
    code(
        """
        t = time.perf_counter()
        G = P.adjacency()
        print(f"data graph: {P.n_cells} vertices, {len(G)} edges ({time.perf_counter() - t:.1f} s)")
        for f in G[:5]:
            print(f"  cells {f.i}-{f.j}: hyperplane with {sum(1 for a in f.normal if a)} nonzero coefficients")
        cell_of = P.data_cell_indices(points)
        for c in P.cells[:6]:
            mine = [labels[k] for k, j in enumerate(cell_of) if j == c.index]
            print(f"  cell {c.index}: {len(mine)} images, digits {mine}")
        """
    ),
    md(
        """
        ## Complex with the data measure, certified spectrum, Ricci curvature

        `measure="data"` weighs a cell by its data points (`data_rule="mean"`: an edge by the
        mean of its two cells) — no volume is needed. `Δ_0` is the graph Laplacian of the data
        graph in that measure; its eigenvalues are certified enclosures and its kernel
        dimension is the number of components. Ollivier–Ricci curvature of each edge is an exact
        rational (an exact optimal-transport LP).
        """
    ),
    code(
        """
        t = time.perf_counter()
        K = RiemannianComplex.from_partition(P, measure="data", data=points, data_rule="mean", max_dim=1)
        S = K.spectrum(0, digits=10)
        print(f"Betti numbers of the data graph {K.betti()}; kernel of Delta_0: {S.kernel_dim}")
        nonzero = S.eigenvalues[S.kernel_dim:]
        print("smallest nonzero eigenvalues (certified enclosures):",
              [f"[{float(e.lo):.8f}, {float(e.hi):.8f}]" for e in nonzero[:4]])
        ric = ricci_curvature(K)
        for e, v in sorted(ric.items())[:6]:
            print(f"  Ricci{e} = {v}")
        print(f"complex, spectrum and curvature in {time.perf_counter() - t:.1f} s")
        """
    ),
    md(
        """
        ## Volumes are refused, clearly

        A cell's volume needs its vertices. Instead of running for hours, exactgeom raises
        `LimitExceededError` naming the estimate and the alternative:
        """
    ),
    code(
        """
        from exactgeom.errors import LimitExceededError

        try:
            P.cells[0].polytope.volume()
        except LimitExceededError as exc:
            print(str(exc)[:260], "...")
        """
    ),
    md(
        """
        ## An honest remark on scale

        Everything above is exact, and this notebook runs a small network on a dozen images so
        that it stays fast. The cost grows with the number of data cells and their facets: each
        cell needs about one certified LP per facet row, and in R^64 a cell of a digits net has
        100–200 facets (most of them faces of the pixel box). The benchmark page
        `docs/benchmarks/relu_data_highdim.md` reports the measured times for larger nets and
        all 1797 images; the command line does the same analysis for a model file:
        `exactgeom analyse model.json --mode data --data points.csv`.
        """
    ),
    FOOTER,
]


# =====================================================================================
# NB06 — geometric regularization (was notebooks/regularization.ipynb)
# =====================================================================================

NB06 = [
    md(
        """
        # Geometric regularization of a small ReLU network

        We train the same 2-8-8-1 ReLU network twice on the same data — once with the plain
        cross-entropy loss, once with two geometric penalties added (small cells and sliver
        angles, `exactgeom.analysis.regularize_torch`) — and compare the partitions of the input
        square the two networks induce, exactly: number of cells, smallest cells, sharpest
        angles, exact penalty values, pictures.

        The penalties are differentiable PyTorch functions of the weights whose combinatorics
        (which rows are facets, vertices, triangulations) come from the exact partition of the
        data-containing cells; `exactgeom.GeometricRegularizer` rebuilds that exact plan every few
        steps (`every=10`, the default). Its float policy is required, as for `from_torch`: the
        weights are floats, and `policy="exact"` reads their exact binary values.
        """
    ),
    SETUP,
    code(
        """
        from fractions import Fraction

        import numpy as np
        import torch

        torch.set_num_threads(1)  # tiny tensors: threads only add overhead (the regularizer sets this itself)

        from exactgeom import GeometricRegularizer  # lazily imported: exactgeom itself needs no torch
        from exactgeom.analysis.regularize import assign_data, geometric_penalties
        from exactgeom.analysis.regularize_torch import exact_network, relu_parameters
        from exactgeom.numbers import Surd
        from exactgeom.partitions.relu import relu_network
        from exactgeom.plot import plot_partition

        rng = np.random.default_rng(0)
        n = 120
        t = rng.uniform(0, np.pi, n)
        X0 = np.c_[np.cos(t), np.sin(t)] + rng.normal(0, 0.12, (n, 2))
        X1 = np.c_[1 - np.cos(t), 0.5 - np.sin(t)] + rng.normal(0, 0.12, (n, 2))
        X = np.clip(np.r_[X0, X1] * 0.8 - [0.4, 0.1], -1.95, 1.95)
        y = np.r_[np.zeros(n), np.ones(n)]
        DOMAIN = [(-2, 2), (-2, 2)]
        Xt = torch.tensor(X, dtype=torch.float64)
        yt = torch.tensor(y, dtype=torch.float64)
        print(X.shape, X.min(0), X.max(0))
        """
    ),
    code(
        """
        def make_net(seed=3):
            torch.manual_seed(seed)
            return torch.nn.Sequential(
                torch.nn.Linear(2, 8), torch.nn.ReLU(), torch.nn.Linear(8, 8), torch.nn.ReLU(), torch.nn.Linear(8, 1)
            ).double()


        def train(net, steps=400, reg=None, log_every=100):
            opt = torch.optim.Adam(net.parameters(), lr=0.03)
            for step in range(steps):
                opt.zero_grad()
                task = torch.nn.functional.binary_cross_entropy_with_logits(net(Xt).squeeze(1), yt)
                loss = task + (reg() if reg is not None else 0)
                loss.backward()
                opt.step()
                if step % log_every == 0 or step == steps - 1:
                    extra = "" if reg is None else "  " + ", ".join(f"{k}={v:.3g}" for k, v in reg.last.items())
                    print(f"step {step:3d}  task loss {task.item():.4f}{extra}")
            acc = ((net(Xt).squeeze(1) > 0).double() == yt).double().mean().item()
            return acc
        """
    ),
    md(
        """
        ## Unregularized
        """
    ),
    code(
        """
        t = time.perf_counter()
        plain = make_net()
        acc_plain = train(plain)
        print(f"accuracy {acc_plain:.3f}   ({time.perf_counter() - t:.1f} s)")
        """
    ),
    md(
        """
        ## Regularized

        Small-cell penalty with the hinge `φ(t) = max(0, t0/t − 1)` (`t0 = 1/100` of the
        domain's area) and the sliver-angle penalty `Σ cos²θ` over dihedral angles with
        `cos²θ > 3/4` (below 30° or above 150°), both on the data-containing cells.
        """
    ),
    code(
        """
        t = time.perf_counter()
        regnet = make_net()
        reg = GeometricRegularizer(
            regnet, DOMAIN, Xt, {"small_cells": 0.02, "sliver_angles": 0.01},
            every=10, policy="exact", phi="hinge", t0=Fraction(1, 100), threshold=Fraction(3, 4),
        )
        acc_reg = train(regnet, reg=reg)
        print(f"accuracy {acc_reg:.3f}   ({time.perf_counter() - t:.1f} s)")
        """
    ),
    md(
        """
        ## Exact comparison of the two partitions

        The trained float64 weights are converted to rationals exactly (`policy="exact"`),
        and the full partition of the domain is built exactly.
        """
    ),
    code(
        """
        def summary(net, name, acc):
            W, b = relu_parameters(net)
            P = relu_network(exact_network(W, b, policy="exact"), None, DOMAIN)  # float64 weights, converted exactly
            dc = assign_data(P, X.tolist(), policy="exact")
            pen = geometric_penalties(dc, phi="hinge", t0=Fraction(1, 100), threshold=Fraction(3, 4))
            vD = P.domain.volume()
            data_vols = sorted(P.cells[i].volume() for i in dc.cells)
            angles = [a for i in dc.cells for a in P.cells[i].polytope.dihedral_angles().values()]
            sharpest = min(angles)  # exact comparison of Angles (by their cosines)
            cos15 = Surd(1, 6) / 4 + Surd(1, 2) / 4  # cos 15° = (√6 + √2)/4, exact
            below_15 = sum(1 for a in angles if a.cos > cos15)  # exact comparison of surd sums
            return P, {
                "model": name,
                "accuracy": round(acc, 3),
                "cells in the domain": P.n_cells,
                "data-containing cells": len(dc.cells),
                "smallest data cell / domain": f"{float(data_vols[0] / vD):.2e}",
                "smallest cell / domain": f"{float(min(P.volumes()) / vD):.2e}",
                "sharpest angle in data cells (deg)": round(float(sharpest.degrees(8).mid), 2),
                "angles < 15° in data cells": f"{below_15} of {len(angles)}",
                "mean cos² over data-cell angles": round(float(sum((a.squared_cos() for a in angles), Fraction(0)) / len(angles)), 3),
                "small-cell penalty (exact)": float(pen.small_cells),
                "sliver penalty (exact)": float(pen.sliver_angles),
                "boundary length in data region": round(float(pen.boundary_area), 3),
            }


        P_plain, s_plain = summary(plain, "unregularized", acc_plain)
        P_reg, s_reg = summary(regnet, "regularized", acc_reg)
        for k in s_plain:
            print(f"{k:36s} {s_plain[k]!s:>16s} {s_reg[k]!s:>16s}")
        """
    ),
    md(
        """
        ## Pictures
        """
    ),
    code(
        """
        labels = [int(v) for v in y]
        plot_partition(P_plain, color="volume", data=X, labels=labels, title=f"unregularized: {P_plain.n_cells} cells")
        """
    ),
    code(
        """
        plot_partition(P_reg, color="volume", data=X, labels=labels, title=f"regularized: {P_reg.n_cells} cells")
        """
    ),
    md(
        """
        Cells coloured by their exact class label: the sign of the network's output on the cell
        (class 1 iff output > 0), or "mixed" where the decision boundary crosses the cell.
        """
    ),
    code(
        """
        plot_partition(P_reg, color="label", data=X, labels=labels, title="regularized: cell labels")
        """
    ),
    md(
        """
        Reading the table: the penalties act only on the cells that contain data, so the
        regularized network avoids tiny data cells and sharp angles there (compare "sharpest
        angle" and "angles < 15°"), while cells away from the data may still be thin ("smallest
        cell / domain").  The geometric constraints also cost accuracy at these coefficients:
        the penalties are a trade-off, to be tuned like any regularizer.  Every number in the
        table is computed from the exact partitions (exact volumes, angles held by their
        cosines, exact penalty values), not from a float approximation.
        """
    ),
    FOOTER,
]

# =====================================================================================
# building and executing
# =====================================================================================

NOTEBOOKS = {
    "01_polytopes_and_exact_angles": NB01,
    "02_relu_partition_before_after_training": NB02,
    "03_data_induced_curvature": NB03,
    "04_fixtures_for_float_code": NB04,
    "05_high_dimensional_data_cells": NB05,
    "06_regularization": NB06,
}


def make_notebook(cells: list[tuple[str, str]]):  # -> nbformat.NotebookNode
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    for k, (kind, src) in enumerate(cells):
        cell = nbformat.v4.new_markdown_cell(src) if kind == "markdown" else nbformat.v4.new_code_cell(src)
        cell.id = f"cell-{k:02d}"  # deterministic ids: a rebuild gives the same file
        nb.cells.append(cell)
    return nb


def execute(nb, workdir: str) -> float:
    """Run every cell in ``workdir`` (as the test suite does); returns the wall time."""
    import nbclient

    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    client = nbclient.NotebookClient(
        nb, timeout=CELL_TIMEOUT_S, kernel_name="python3", record_timing=False,
        resources={"metadata": {"path": workdir}},
    )
    t = time.perf_counter()
    client.execute()
    return time.perf_counter() - t


def write(nb, path: Path) -> None:
    import nbformat

    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    text = nbformat.writes(nb, version=4)
    path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")


def tutorial_blocks(path: Path = TUTORIAL) -> list[str]:
    """The ```python blocks of the tutorial, in order."""
    return re.findall(r"^```python\n(.*?)^```", path.read_text(encoding="utf-8"), flags=re.S | re.M)


def run_tutorial() -> int:
    """Execute the tutorial's python blocks in one namespace, in a temporary directory."""
    blocks = tutorial_blocks()
    os.environ.setdefault("MPLBACKEND", "Agg")
    ns: dict = {"__name__": "__tutorial__"}
    cwd = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        try:
            for k, block in enumerate(blocks):
                t = time.perf_counter()
                try:
                    exec(compile(block, f"<tutorial block {k}>", "exec"), ns)
                except Exception:
                    print(f"--- tutorial block {k} failed:\n{block}", file=sys.stderr)
                    raise
                print(f"block {k:2d}: {time.perf_counter() - t:6.2f} s")
        finally:
            os.chdir(cwd)
    print(f"{len(blocks)} tutorial blocks ran")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("only", nargs="*", help="build only the notebooks whose name starts with one of these")
    ap.add_argument("--no-execute", action="store_true", help="write the notebooks without outputs")
    ap.add_argument("--check", action="store_true", help="execute, report timings, write nothing")
    ap.add_argument("--tutorial", action="store_true", help="run the python blocks of docs/tutorial.md")
    args = ap.parse_args(argv)
    if args.tutorial:
        return run_tutorial()
    names = [n for n in NOTEBOOKS if not args.only or any(n.startswith(o) for o in args.only)]
    if not names:
        ap.error(f"no notebook matches {args.only}; known: {', '.join(NOTEBOOKS)}")
    for name in names:
        nb = make_notebook(NOTEBOOKS[name])
        if not args.no_execute:
            with tempfile.TemporaryDirectory() as tmp:
                seconds = execute(nb, tmp)
            print(f"{name}: executed in {seconds:.1f} s")
        if not args.check:
            path = NOTEBOOK_DIR / f"{name}.ipynb"
            write(nb, path)
            print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size / 1024:.0f} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
