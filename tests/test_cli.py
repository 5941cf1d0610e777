"""The exactgeom command line, run through subprocesses (`python -m exactgeom ...`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from exactgeom.io.fixture_load import validate_document

REPO = Path(__file__).resolve().parent.parent
PY = sys.executable

SQ = [["-1", "1"], ["-1", "1"]]
NET = {"family": "relu", "weights": [[["1", "1/2"], ["-1", "1"], ["1", "-1"]], [["1", "-1", "1/2"]]],
       "biases": [["0", "1/4", "-1/3"], ["0"]], "domain": SQ,
       "data": [["1/2", "1/2"], ["-1/2", "0"], ["0", "-3/4"]], "labels": [1, 0, 0]}


def run(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONPATH=str(REPO))
    return subprocess.run([PY, "-m", "exactgeom", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)


def one_error_line(p: subprocess.CompletedProcess) -> str:
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1, p.stderr
    assert lines[0].startswith("exactgeom: error: "), p.stderr
    assert "Traceback" not in p.stderr
    return lines[0]


@pytest.fixture
def model(tmp_path: Path) -> Path:
    p = tmp_path / "net.json"
    p.write_text(json.dumps(NET))
    return p


def test_main_job_with_no_arguments(tmp_path):
    p = run(cwd=tmp_path, timeout=300)
    assert p.returncode == 0, p.stderr
    for name in ("exactgeom_summary.txt", "exactgeom_result.json", "exactgeom_partition.png"):
        assert (tmp_path / name).is_file() and f"wrote {name}" in p.stdout
    summary = (tmp_path / "exactgeom_summary.txt").read_text()
    for phrase in ("cells", "adjacencies", "volume check", "smallest cells", "sharpest dihedral angles", "check()      OK"):
        assert phrase in summary
    doc = json.loads((tmp_path / "exactgeom_result.json").read_text())
    assert validate_document(doc) == [] and doc["model"]["family"] == "relu"
    assert doc["partition"]["check_ok"] and doc["partition"]["volume_sum"] == doc["partition"]["domain_volume"]
    assert (tmp_path / "exactgeom_partition.png").read_bytes()[:4] == b"\x89PNG"
    assert "built-in example" in p.stdout and "cells" in p.stdout


def test_version_and_help(tmp_path):
    p = run("--version", cwd=tmp_path)
    assert p.returncode == 0 and p.stdout.startswith("exactgeom ")
    for cmd in ([], ["analyse"], ["fixture"], ["check"], ["curvature"], ["laplacian"], ["plot"], ["export-cdd"]):
        h = run(*cmd, "--help", cwd=tmp_path)
        assert h.returncode == 0 and "usage:" in h.stdout, (cmd, h.stderr)


def test_analyse_a_model_file_into_a_folder(tmp_path, model):
    p = run("analyse", str(model), "-o", "out", "--no-progress", cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    out = tmp_path / "out"
    assert sorted(x.name for x in out.iterdir()) == ["exactgeom_partition.png", "exactgeom_result.json", "exactgeom_summary.txt"]
    q = run("analyse", str(model), "-o", "quiet", "-q", "--no-plot", cwd=tmp_path)
    assert q.returncode == 0 and q.stdout == "" and not (tmp_path / "quiet" / "exactgeom_partition.png").exists()


@pytest.mark.parametrize("mode", ["full", "data"])
def test_jobs_gives_the_serial_result(tmp_path, model, mode):
    """``-j 2`` builds the ReLU partition on a process pool; the JSON result is byte-identical."""
    for jobs in ("1", "2"):
        p = run("analyse", str(model), "--mode", mode, "-j", jobs, "-o", f"j{jobs}", "--no-plot", "-q", cwd=tmp_path)
        assert p.returncode == 0, p.stderr
    serial, pooled = ((tmp_path / f"j{j}" / "exactgeom_result.json").read_bytes() for j in ("1", "2"))
    assert serial == pooled and json.loads(serial)["partition"]["n_cells"] > 1


def test_fixture_then_check_then_tamper(tmp_path, model):
    p = run("fixture", str(model), "-o", "f.json", "--name", "net", cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    c = run("check", "f.json", cwd=tmp_path)
    assert c.returncode == 0 and "OK" in c.stdout
    doc = json.loads((tmp_path / "f.json").read_text())
    assert doc["name"] == "net"
    old = doc["cells"][1]["volume"]
    doc["cells"][1]["volume"] = old.replace("1", "7", 1) if "1" in old else "7" + old
    (tmp_path / "t.json").write_text(json.dumps(doc))
    t = run("check", "f.json", "t.json", cwd=tmp_path)
    assert t.returncode == 1
    assert "$.cells[1].volume" in t.stdout and "f.json: OK" in t.stdout


def test_fixture_sections_and_data_mode(tmp_path, model):
    data = tmp_path / "d.csv"
    data.write_text("x,y,label\n1/2,1/2,1\n-1/2,0,0\n")
    p = run("fixture", str(model), "--data", str(data), "--mode", "data", "--sections", "cells", "-o", "d.json",
            cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    doc = json.loads((tmp_path / "d.json").read_text())
    assert doc["sections"] == ["cells"] and doc["model"]["mode"] == "data" and len(doc["model"]["data"]) == 2
    assert sum(c["n_data"] for c in doc["cells"]) == 2


def test_export_cdd_and_plot(tmp_path, model):
    p = run("export-cdd", str(model), "-o", "cdd", cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    idx = json.loads((tmp_path / "cdd" / "index.json").read_text())
    assert (tmp_path / "cdd" / idx["cells"][0]["ine"]).read_text().startswith("* cell 0")
    for color in ("volume", "key"):
        q = run("plot", str(model), "--color", color, "-o", f"{color}.png", cwd=tmp_path)
        assert q.returncode == 0 and (tmp_path / f"{color}.png").stat().st_size > 1000, q.stderr
    cube = tmp_path / "cube.json"
    cube.write_text(json.dumps({"family": "arrangement", "normals": [[1, 1, 1]], "offsets": ["3/2"], "domain": [[0, 1]] * 3}))
    s = run("plot", str(cube), "--slice", "2=1/2", "-o", "s.png", cwd=tmp_path)
    assert s.returncode == 0, s.stderr


def test_negative_domain_values_and_no_spectrum(tmp_path, model):
    p = run("fixture", str(model), "--domain", "-1:1,-2:1", "--sections", "cells", "-o", "d.json", cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert json.loads((tmp_path / "d.json").read_text())["model"]["domain"] == [["-1", "1"], ["-2", "1"]]
    q = run("laplacian", str(model), "--p", "1", "--metric", "angle", "--no-spectrum", "-o", "l.json", cwd=tmp_path)
    assert q.returncode == 0 and "eigenvalues" not in q.stdout, q.stderr
    assert json.loads((tmp_path / "l.json").read_text())["spectrum"] is None
    # -p and --degree are the same option as the older --p
    for flag in ("-p", "--degree"):
        r = run("laplacian", str(model), flag, "1", "--metric", "angle", "--no-spectrum", "-o", "m.json", cwd=tmp_path)
        assert r.returncode == 0, r.stderr
        assert (tmp_path / "m.json").read_text() == (tmp_path / "l.json").read_text()


def test_curvature_and_laplacian(tmp_path, model):
    c = run("curvature", str(model), "-o", "curv.json", cwd=tmp_path)
    assert c.returncode == 0, c.stderr
    assert "angle defect" in c.stdout.lower() and json.loads((tmp_path / "curv.json").read_text())
    lap = run("laplacian", str(model), "--p", "0", "-o", "lap.json", cwd=tmp_path)
    assert lap.returncode == 0, lap.stderr
    assert "eigenvalues" in lap.stdout.lower()
    assert json.loads((tmp_path / "lap.json").read_text())["p"] == 0


def _write(tmp_path: Path, name: str, text: str) -> str:
    (tmp_path / name).write_text(text)
    return name


BAD_INPUT = [
    # (arguments builder, exit status, message fragment)
    ("missing file", lambda t: ["analyse", "nothere.json"], 1, "does not exist"),
    ("malformed JSON", lambda t: ["analyse", _write(t, "bad.json", "{oops")], 1, "not valid JSON"),
    ("float without policy", lambda t: ["fixture", _write(t, "f.json", json.dumps(
        {"family": "arrangement", "normals": [[1, 0]], "offsets": [0.25], "domain": SQ})), "-o", "x.json"], 1, "policy"),
    ("unknown family", lambda t: ["analyse", _write(t, "u.json", json.dumps({"family": "spline", "domain": SQ}))], 1,
     "unknown model family"),
    ("bad domain", lambda t: ["analyse", _write(t, "d.json", json.dumps(
        {"family": "voronoi", "sites": [[0, 0]], "domain": [[1, 0], [0, 1]]}))], 1, "not below"),
    ("bad --domain text", lambda t: ["analyse", "--domain", "0-1"], 2, "--domain"),
    ("bad --policy", lambda t: ["analyse", "--policy", "round"], 2, "--policy"),
    ("unknown command", lambda t: ["frobnicate"], 2, "invalid choice"),
    ("unknown flag", lambda t: ["analyse", "--frob"], 2, "unrecognized arguments"),
    ("fixture without -o", lambda t: ["fixture"], 2, "required"),
    ("check missing file", lambda t: ["check", "none.json"], 1, "does not exist"),
    ("check not a fixture", lambda t: ["check", _write(t, "nf.json", "[1, 2]")], 1, "not a JSON object"),
    ("bad --slice", lambda t: ["plot", "--slice", "z"], 2, "--slice"),
    ("bad --project", lambda t: ["plot", "--project", "0"], 2, "--project"),
    ("laplacian degree", lambda t: ["laplacian", _write(t, "a.json", json.dumps(
        {"family": "arrangement", "normals": [[1, 0]], "offsets": [0], "domain": SQ})), "--p", "3"], 1, "dimension"),
    ("torch layer", lambda t: ["analyse", _torch_tanh(t), "--policy", "exact", "--domain", "0:1,0:1"], 1, "Tanh"),
    ("short csv row", lambda t: ["analyse", "--data", _write(t, "d.csv", "x,y,label\n0,1/2,1\n1\n")], 1,
     "line 3 has 1 columns"),
    ("domain of the wrong dimension", lambda t: ["analyse", "--domain=-1:1,-1:1,-1:1"], 1, "model takes 2 inputs"),
    ("zero digits", lambda t: ["analyse", "--digits", "0"], 2, "positive integer"),
    ("negative --jobs", lambda t: ["analyse", "-j", "-1"], 2, "worker processes"),
    ("--jobs not a number", lambda t: ["fixture", "-o", "x.json", "--jobs", "two"], 2, "worker processes"),
]


def _torch_tanh(t: Path) -> str:
    torch = pytest.importorskip("torch")
    torch.save(torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Tanh(), torch.nn.Linear(2, 1)), t / "tanh.pt")
    return "tanh.pt"


@pytest.mark.parametrize("name, args, status, fragment", BAD_INPUT, ids=[b[0] for b in BAD_INPUT])
def test_errors_are_one_line_with_the_right_status(tmp_path, name, args, status, fragment):
    p = run(*args(tmp_path), cwd=tmp_path)
    assert p.returncode == status, (p.returncode, p.stderr)
    assert fragment in one_error_line(p)


def test_float_model_with_policy_flag_and_debug(tmp_path):
    f = _write(tmp_path, "f.json", json.dumps({"family": "arrangement", "normals": [[1, 0]], "offsets": [0.25], "domain": SQ}))
    p = run("fixture", f, "-o", "x.json", "--policy", "exact", cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert json.loads((tmp_path / "x.json").read_text())["provenance"]["float_policy"] == "exact"
    d = run("analyse", "nothere.json", "--debug", cwd=tmp_path)
    assert d.returncode != 0 and "Traceback" in d.stderr  # --debug shows it
