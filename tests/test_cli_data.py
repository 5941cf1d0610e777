"""``exactgeom analyse MODEL --mode data --data points.csv`` on a 64-input model (digits).

A small MLP (4, 4) trained on scikit-learn's digits (pixels/16) is written as a model file
(its weights converted by ``limit_denominator(1000)``, through ``ModelSpec.to_json`` and the
canonical writer) and analysed on a few images. Every reported number is checked against an
independent computation: activation patterns by plain Fraction arithmetic, data counts, the
stored H-representations against the data points, the data graph's components against the
kernel of Δ_0, and the fixture round trip through ``exactgeom check``.
"""

from __future__ import annotations

import csv
import json
import warnings
from fractions import Fraction

import pytest

from exactgeom.cli import main
from exactgeom.io import read_model
from exactgeom.io.canonical import parse_matrix, parse_vector
from exactgeom.io.fixture_load import validate_document
from exactgeom.io.fixtures import write_document

sklearn = pytest.importorskip("sklearn")

N_POINTS = 4
HIDDEN = (4, 4)


def _patterns(W, B, x):
    """Activation pattern and output of an exact ReLU net at x (plain Fractions)."""
    h = list(x)
    pat = []
    for k, (w, b) in enumerate(zip(W, B)):
        z = [sum((wi * hi for wi, hi in zip(row, h)), Fraction(0)) + bi for row, bi in zip(w, b)]
        if k == len(W) - 1:
            return tuple(pat), z
        assert all(v != 0 for v in z), "a data point on a unit's hyperplane: pick other points"
        pat.append(tuple(int(v > 0) for v in z))
        h = [max(v, Fraction(0)) for v in z]
    raise AssertionError  # pragma: no cover


@pytest.fixture(scope="module")
def digits_run(tmp_path_factory):
    from sklearn import datasets
    from sklearn.neural_network import MLPClassifier

    d = tmp_path_factory.mktemp("digits")
    data = datasets.load_digits()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clf = MLPClassifier(HIDDEN, random_state=0, max_iter=200).fit(data.data[:300] / 16, data.target[:300])
    floats = {
        "family": "relu",
        "weights": [W.T.tolist() for W in clf.coefs_],
        "biases": [b.tolist() for b in clf.intercepts_],
        "domain": [[0, 1]] * 64,
    }
    spec = read_model(floats, policy="limit_denominator(1000)")
    model = d / "digits_mlp.json"
    write_document(spec.to_json(), model)
    X = [[Fraction(int(v), 16) for v in row] for row in data.data[:N_POINTS]]
    y = [int(t) for t in data.target[:N_POINTS]]
    points = d / "points.csv"
    with points.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow([f"p{k}" for k in range(64)] + ["label"])
        for row, t in zip(X, y):
            w.writerow([str(v) for v in row] + [t])
    out = d / "out"
    code = main(["analyse", str(model), "--mode", "data", "--data", str(points), "-o", str(out), "-q"])
    return {"clf": clf, "model": model, "points": points, "out": out, "code": code, "X": X, "y": y, "dir": d}


def test_model_file_holds_the_converted_weights(digits_run):
    doc = json.loads(digits_run["model"].read_text())
    clf = digits_run["clf"]
    assert doc["policy"] == "limit_denominator(1000)" and len(doc["domain"]) == 64
    for W, Wd in zip(clf.coefs_, doc["weights"]):
        assert parse_matrix(Wd) == tuple(tuple(Fraction(float(v)).limit_denominator(1000) for v in col) for col in W.T)


def test_analyse_data_mode_64_inputs(digits_run):
    assert digits_run["code"] == 0
    out = digits_run["out"]
    assert (out / "exactgeom_partition.png").read_bytes()[:4] == b"\x89PNG"  # a picture of the data graph
    doc = json.loads((out / "exactgeom_result.json").read_text())
    assert validate_document(doc) == []
    assert doc["sections"] == ["cells", "faces"] and doc["provenance"]["mode"] == "data"
    spec = read_model(doc["model"])
    W, B = spec.params["weights"], spec.params["biases"]
    X = digits_run["X"]
    pats = [_patterns(W, B, x)[0] for x in X]
    cells = doc["cells"]
    # the data cells are exactly the distinct patterns of the data (independent evaluation)
    assert sorted(tuple(tuple(g) for g in c["key"]) for c in cells) == sorted(set(pats))
    for c in cells:
        key = tuple(tuple(g) for g in c["key"])
        assert "vertices" not in c and "volume" not in c  # H-first cells: facets only
        assert c["n_data"] == sum(p == key for p in pats)
        A, b = parse_matrix(c["hrep"]["A"]), parse_vector(c["hrep"]["b"])
        for x, p in zip(X, pats):
            slack = [bi - sum((ai * xi for ai, xi in zip(a, x)), Fraction(0)) for a, bi in zip(A, b)]
            if p == key:
                assert min(slack) >= 0  # its own points satisfy every facet
            else:
                assert min(slack) < 0  # another cell's point violates a facet (interiors disjoint)
    # every data-graph edge is one hyperplane seen from both cells, oppositely oriented
    for f in doc["faces"]:
        i, j = f["cells"]
        nrm, off = parse_vector(f["normal"]), parse_vector([f["offset"]])[0]
        rows_i = set(zip(parse_matrix(cells[i]["hrep"]["A"]), parse_vector(cells[i]["hrep"]["b"])))
        rows_j = set(zip(parse_matrix(cells[j]["hrep"]["A"]), parse_vector(cells[j]["hrep"]["b"])))
        assert (nrm, off) in rows_i and (tuple(-v for v in nrm), -off) in rows_j
    summary = (out / "exactgeom_summary.txt").read_text()
    assert f"cells        {len(cells)}" in summary and f"data graph   {len(doc['faces'])} edges" in summary
    # Δ_0 kernel = components of the data graph (union-find on the stored edges)
    parent = list(range(len(cells)))

    def find(v):
        while parent[v] != v:
            v = parent[v]
        return v

    for f in doc["faces"]:
        parent[find(f["cells"][0])] = find(f["cells"][1])
    comps = len({find(v) for v in range(len(cells))})
    assert f"kernel dimension {comps} " in summary
    assert "Decision topology on the data graph" in summary and "Ollivier-Ricci" in summary
    assert sum(c["n_data"] for c in cells) == len(X)
    # the summary's table lists each cell's exact predictions: the argmax of the forward pass (independent)
    rows = {line.split()[0]: line for line in summary.splitlines() if line.startswith("  ") and line.split()[0].isdigit()}
    for c in cells:
        key = tuple(tuple(g) for g in c["key"])
        outs = [_patterns(W, B, x)[1] for x, p in zip(X, pats) if p == key]
        preds = sorted({max(range(10), key=z.__getitem__) for z in outs})
        shown = rows[str(c["index"])][45:64].strip()  # the 'predicted' column: 'class' or 'class:count', ...
        assert sorted(int(t.split(":")[0]) for t in shown.split(", ")) == preds


def test_data_fixture_round_trip(digits_run):
    result = digits_run["out"] / "exactgeom_result.json"
    assert main(["check", str(result), "-q"]) == 0  # recomputed from the stored model: identical
    # the fixture command writes the same document (same model, data and sections)
    path = digits_run["dir"] / "fixture.json"
    assert main(["fixture", str(digits_run["model"]), "--mode", "data", "--data", str(digits_run["points"]),
                 "-o", str(path), "-q"]) == 0
    a, b = json.loads(path.read_text()), json.loads(result.read_text())
    assert a["cells"] == b["cells"] and a["faces"] == b["faces"] and a["model"] == b["model"]


def test_plot_of_h_first_cells_is_a_clear_error(digits_run, capsys):
    code = main(["plot", str(digits_run["model"]), "--mode", "data", "--data", str(digits_run["points"]),
                 "-o", str(digits_run["dir"] / "p.png")])
    err = capsys.readouterr().err
    assert code == 1 and "H-first polytopes in R^64" in err and "analyse --mode data" in err


def test_curvature_of_h_first_cells_names_the_data_alternative(digits_run, capsys):
    code = main(["curvature", str(digits_run["model"]), "--mode", "data", "--data", str(digits_run["points"])])
    err = capsys.readouterr().err
    assert code == 1 and "H-first polytopes in R^64" in err and "analyse --mode data" in err and "--measure data" in err


def test_analyse_of_a_full_partition_in_high_dimension(tmp_path, capsys):
    """An argmax model in R^20 (H-first: every cell, no vertices): without data the summary
    lists every cell, the cell graph and the tiling proof, and says why the data-measure
    stages are absent (exit status 0); with data it adds the certified spectrum and Ricci."""
    import random

    rng = random.Random(4)
    n, k = 20, 4
    W = [[rng.randint(-3, 3) for _ in range(n)] for _ in range(k)]
    model = tmp_path / "m.json"
    model.write_text(json.dumps({"family": "argmax", "W": W, "c": [0] * k, "domain": [[-1, 1]] * n}))
    assert main(["analyse", str(model), "-o", str(tmp_path / "a"), "-q"]) == 0
    text = (tmp_path / "a" / "exactgeom_summary.txt").read_text()
    assert "every cell (H-first cells in R^20" in text and "they tile the domain" in text and "no data:" in text
    assert "cells        4" in text and "cell graph   6 edges" in text  # generic argmax: all pairs adjacent
    doc = json.loads((tmp_path / "a" / "exactgeom_result.json").read_text())
    assert validate_document(doc) == [] and len(doc["cells"]) == k
    pts = tmp_path / "p.csv"
    pts.write_text("\n".join(",".join(f"{rng.randint(-9, 9)}/10" for _ in range(n)) for _ in range(25)) + "\n")
    assert main(["analyse", str(model), "--data", str(pts), "-o", str(tmp_path / "b"), "-q", "--no-plot"]) == 0
    text = (tmp_path / "b" / "exactgeom_summary.txt").read_text()
    assert "data         25 points" in text and "kernel dimension 1" in text and "Ollivier-Ricci" in text


def test_analyse_leaves_out_a_huge_cells_section_unless_asked(tmp_path, monkeypatch, capsys):
    """Above ANALYSE_CELLS_BYTES (estimated from the facets' digits) the default JSON result
    has no cells section and a note says how to get it; --sections cells writes it."""
    import random

    import exactgeom.cli as cli

    rng = random.Random(5)
    n = 12
    model = tmp_path / "m.json"
    model.write_text(json.dumps({"family": "arrangement", "normals": [[rng.randint(-3, 3) for _ in range(n)]
                                 for _ in range(3)], "offsets": [0, 0, 0], "domain": [[-1, 1]] * n}))
    monkeypatch.setattr(cli.analyse, "ANALYSE_CELLS_BYTES", 1)  # where analyse reads it
    assert main(["analyse", str(model), "-o", str(tmp_path / "a")]) == 0
    doc = json.loads((tmp_path / "a" / "exactgeom_result.json").read_text())
    assert "cells" not in doc["sections"] and "faces" in doc["sections"]
    assert "leaves out the cells section" in capsys.readouterr().err
    assert main(["analyse", str(model), "-o", str(tmp_path / "b"), "--sections", "cells,faces", "-q"]) == 0
    doc = json.loads((tmp_path / "b" / "exactgeom_result.json").read_text())
    assert "cells" in doc["sections"] and len(doc["cells"]) == 8
    assert 0 < cli.cells_section_bytes(read_model(str(model)).build()) < 10**6
