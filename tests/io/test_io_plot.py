"""plot.py: figures for 1-D, 2-D and 3-D partitions (slices, projections), PNG output."""

from __future__ import annotations

import pytest

from exactgeom import InvalidInputError, arrangement
from exactgeom.io.model_files import read_model
from exactgeom.plot import cell_polygons, plot_partition, save_figure

SQ = [(-1, 1), (-1, 1)]


def test_2d_figure_with_data_and_png(tmp_path):
    P = arrangement([[1, 0], [1, 1]], [0, "1/3"], SQ)
    fig = plot_partition(P, data=[["1/2", "1/2"], [-0.5, 0.25]], labels=[0, 1])
    assert type(fig).__name__ == "Figure"
    ax = fig.axes[0]
    assert len(ax.collections) >= 2  # cells + data
    path = save_figure(fig, tmp_path / "p.png")
    head = path.read_bytes()[:8]
    assert head == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 5000


@pytest.mark.parametrize("color", ["volume", "key", "label", "none", [1, 2, 3, 4], {0: -1, 3: 2}])
def test_color_modes(color):
    P = arrangement([[1, 0], [0, 1]], [0, 0], SQ)
    fig = plot_partition(P, color=color)
    assert fig.axes


def test_edge_values_and_polygons_cover_the_domain():
    P = arrangement([[1, 0], [0, 1]], [0, "1/2"], SQ)
    fig = plot_partition(P, color="none", edge_values={(f.i, f.j): k for k, f in enumerate(P.adjacency())})
    assert len(fig.axes) == 2  # the plot and the colorbar of the edge values
    (i, j), polys = cell_polygons(P)
    area = 0.0
    for _, poly in polys:
        area += 0.5 * abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(poly, poly[1:] + poly[:1])))
    assert (i, j) == (0, 1) and abs(area - 4.0) < 1e-12


def test_3d_slices_and_projection(tmp_path):
    P = read_model({"family": "arrangement", "normals": [[1, 1, 1]], "offsets": ["3/2"],
                    "domain": [[0, 1]] * 3}).build()
    fig = plot_partition(P)  # default: three slices through the centre
    assert len([a for a in fig.axes if a.get_xlabel()]) == 3
    fig = plot_partition(P, slice={2: "1/2"}, color="key")
    (i, j), polys = cell_polygons(P, fixed={2: "1/2"})
    assert (i, j) == (0, 1) and len(polys) == 2
    fig = plot_partition(P, project=(0, 2))
    save_figure(fig, tmp_path / "proj.svg")
    assert (tmp_path / "proj.svg").read_text().startswith("<?xml")
    (_, _), off = cell_polygons(P, fixed={2: 5})  # the slice misses every cell
    assert off == []


def test_1d_partition():
    P = arrangement([[1]], ["1/3"], [(0, 1)])
    fig = plot_partition(P, data=[[0], ["1/2"]])
    assert fig.axes


BAD = [
    ({"color": "curvature"}, "unknown color"),
    ({"color": [1, 2, 3]}, "colour values"),
    ({"slice": {0: 0, 1: 0}}, "must fix 1"),
    ({"slice": {7: 0}}, "out of range"),
    ({"project": (0, 0)}, "different axes"),
    ({"project": "ab"}, "two coordinate"),
]


@pytest.mark.parametrize("kwargs, match", BAD)
def test_invalid_plot_arguments(kwargs, match):
    P = read_model({"family": "arrangement", "normals": [[1, 1, 1]], "offsets": [0], "domain": [[-1, 1]] * 3}).build()
    with pytest.raises(InvalidInputError, match=match):
        plot_partition(P, **kwargs)


def test_label_needs_a_model_with_labels():
    from exactgeom import Partition

    base = arrangement([[1, 0]], [0], SQ)
    with pytest.raises(InvalidInputError, match="needs a partition with a model"):
        plot_partition(Partition(base.domain, [(c.key, c.polytope) for c in base.cells], family="x"), color="label")

    class Unlabelled:  # a model with keys but neither labels nor affine outputs
        def key(self, x):
            return (1,) if x[0] > 0 else (-1,)

        def label(self, key):
            return None

        def output_affine(self, key):
            return None

    P = Partition(base.domain, [(c.key, c.polytope) for c in base.cells], family="x", model=Unlabelled())
    with pytest.raises(InvalidInputError, match="no class labels"):
        plot_partition(P, color="label")
    relu = read_model({"family": "relu", "weights": [[[1, 0]], [[1]]], "biases": [[0], [0]], "domain": SQ}).build()
    assert plot_partition(relu, color="label").axes  # ReLU cells have labels (sign of the output)


def test_save_errors(tmp_path):
    fig = plot_partition(arrangement([], [], SQ))
    with pytest.raises(InvalidInputError, match="cannot write"):
        save_figure(fig, tmp_path / "missing_dir" / "x.png")
