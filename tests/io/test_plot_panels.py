"""Plots with several panels share one palette and one colour scale; 3-D slices show data
and a label legend; plot_complex draws the 1-skeleton (Agg backend, artists inspected)."""

from __future__ import annotations

from fractions import Fraction

import matplotlib
import pytest

matplotlib.use("Agg")

from exactgeom import RiemannianComplex, arrangement
from exactgeom.examples import crossing_lines
from exactgeom.partitions.relu import ReLUNetwork, relu_network
from exactgeom.plot import cell_polygons, plot_complex, plot_partition, save_figure

F = Fraction
CUBE = [(-1, 1)] * 3


def _net3d():
    # 3 → 4 → 1: cells cut by four planes; the output's sign crosses some cells
    return ReLUNetwork([[[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, -1]], [[1, -1, 1, "1/2"]]],
                       [[0, "1/4", "-1/4", 0], ["-1/8"]])


def _panel_colours(fig, P):
    """{cell index: set of face colours over the panels} read from the drawn artists."""
    out = {}
    panels = [a for a in fig.axes if a.get_xlabel()]
    for ax in panels:
        fixed = {k: F(0) for k in range(3) if f"x{k}" not in (ax.get_xlabel(), ax.get_ylabel())}
        (_, _), polys = cell_polygons(P, fixed=fixed)
        (coll,) = [c for c in ax.collections if c.get_gid() == "cells"]
        faces = coll.get_facecolors()
        assert len(faces) == len(polys)
        for (i, _), fc in zip(polys, faces):
            out.setdefault(i, set()).add(tuple(round(float(v), 6) for v in fc))
    return out, panels


@pytest.mark.parametrize("color", ["volume", "key", "label"])
def test_same_cell_same_colour_in_every_slice_panel(color):
    P = relu_network(_net3d(), None, CUBE)
    fig = plot_partition(P, color=color)
    colours, panels = _panel_colours(fig, P)
    assert len(panels) == 3
    in_several = [i for i, c in colours.items() if len(c) >= 1]
    assert in_several and all(len(colours[i]) == 1 for i in colours)  # one colour per cell, all panels
    shown_in = {}
    for ax in panels:
        for i in _cells_in(ax, P):
            shown_in.setdefault(i, 0)
            shown_in[i] += 1
    assert any(v >= 2 for v in shown_in.values())  # some cell really appears in several panels
    if color == "volume":  # one colour bar for the whole figure
        assert len([a for a in fig.axes if a.get_label() == "<colorbar>"]) == 1


def _cells_in(ax, P):
    fixed = {k: F(0) for k in range(3) if f"x{k}" not in (ax.get_xlabel(), ax.get_ylabel())}
    return [i for i, _ in cell_polygons(P, fixed=fixed)[1]]


def test_label_colours_follow_labels_and_legend_names_them(tmp_path):
    P = relu_network(_net3d(), None, CUBE)
    labs = {c.index: P.label(c) for c in P.cells}
    assert "mixed" in labs.values() and {0, 1} & set(labs.values())
    fig = plot_partition(P, color="label")
    colours, _ = _panel_colours(fig, P)
    by_label = {}
    for i, cs in colours.items():
        by_label.setdefault(labs[i], set()).update(cs)
    assert all(len(cs) == 1 for cs in by_label.values())  # one colour per label
    assert len({next(iter(cs)) for cs in by_label.values()}) == len(by_label)  # distinct labels, distinct colours
    (leg,) = fig.legends
    names = [t.get_text() for t in leg.get_texts()]
    assert set(names) == {("mixed" if v == "mixed" else f"class {v}") for v in labs.values()}
    save_figure(fig, tmp_path / "labels3d.png")


def test_data_points_in_3d_slices_within_the_slab():
    P = arrangement([[1, 1, 1]], [0], CUBE)
    data = [[0, 0, 0], ["1/2", "1/2", "1/20"], ["1/2", "-1/2", "9/10"], [-0.5, 0.25, 0.0]]
    fig = plot_partition(P, data=data, labels=[0, 1, 1, 0], color="key")
    panels = [a for a in fig.axes if a.get_xlabel()]
    counts = []
    for ax in panels:
        pts = [c for c in ax.collections if c.get_gid() != "cells"]
        counts.append(sum(len(c.get_offsets()) for c in pts))
    # slab 0.1 × extent 2 = 0.2 around 0 on the fixed axis (panels fix x0, x1, x2 in turn):
    # x0 = 0 keeps point 0 only; x1 = 0 keeps point 0 (point 3 has x1 = 1/4); x2 = 0 keeps 0, 1, 3
    assert counts == [1, 1, 3]
    # every point with slab=None
    fig = plot_partition(P, data=data, labels=[0, 1, 1, 0], data_slab=None)
    assert [sum(len(c.get_offsets()) for c in a.collections if c.get_gid() != "cells")
            for a in fig.axes if a.get_xlabel()] == [4, 4, 4]
    assert panels[-1].get_legend() is not None  # the label legend of the points


def test_plot_complex_draws_the_skeleton_facet_and_nerve():
    P = crossing_lines()
    for conv, n_solid, n_dashed in (("facet", 4, 0), ("nerve", 4, 2)):
        K = RiemannianComplex.from_partition(P, convention=conv)
        fig = plot_complex(K)
        ax = fig.axes[0]
        got = {c.get_gid(): c for c in ax.collections if c.get_gid()}
        assert len(got["complex-nodes"].get_offsets()) == 4
        assert len(got["complex-edges"].get_segments()) == n_solid
        assert len(got.get("complex-contacts").get_segments()) if n_dashed else "complex-contacts" not in got
        if n_dashed:
            segs = sorted(tuple(map(tuple, s.tolist())) for s in got["complex-contacts"].get_segments())
            # the diagonal contacts join opposite quadrants' centroids (±1/2, ±1/2)
            assert segs == [((-0.5, -0.5), (0.5, 0.5)), ((-0.5, 0.5), (0.5, -0.5))]
        nodes = sorted(map(tuple, got["complex-nodes"].get_offsets().tolist()))
        assert nodes == sorted((float(c.centroid()[0]), float(c.centroid()[1])) for c in P.cells)


def test_plot_complex_in_3d_slices_only_edges_meeting_the_slice():
    P = arrangement([[1, 0, 0], [0, 0, 1]], ["1/2", "1/2"], CUBE)  # 4 boxes
    K = RiemannianComplex.from_partition(P)
    fig = plot_complex(K, color="key")
    panels = [a for a in fig.axes if a.get_xlabel()]
    edges = []
    for ax in panels:
        got = {c.get_gid(): c for c in ax.collections if c.get_gid()}
        edges.append(len(got["complex-edges"].get_segments()) if "complex-edges" in got else 0)
    # slices through the centre (0, 0, 0): x0 = 0 and x2 = 0 show 2 cells and their shared face
    # (1 edge); x1 = 0 shows all 4 cells and the 4 shared faces
    assert edges == [1, 4, 1]


def test_facet_vs_nerve_picture_script(tmp_path, monkeypatch):
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "docs" / "make_facet_vs_nerve.py"
    spec = importlib.util.spec_from_file_location("make_facet_vs_nerve", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    monkeypatch.setattr(mod, "OUT", tmp_path / "fvn.png")
    out = mod.main()
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (path.parent / "definitions" / "facet_vs_nerve.png").exists()  # the committed picture
