"""Command-line robustness (issue 10, parts 3-4): options that select nothing, numbers
that must not hang or crash, output that is never lost or mixed, and Ctrl-C / kill -9 at
random moments (fault injection)."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from exactgeom.errors import UndecidedError
from exactgeom.io.atomic import TEMP_PATTERN
from exactgeom.io.canonical import loads_json
from exactgeom.io.fixture_load import validate_document

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_cli import one_error_line, run

REPO = Path(__file__).resolve().parent.parent
PY = sys.executable
SQ = [["-1", "1"], ["-1", "1"]]
TINY = {"family": "relu", "weights": [[[1, 0], [0, 1], [1, 1]], [[1, -1, 1]]], "biases": [[0, 0, "-1/2"], [0]],
        "domain": SQ}
RESULT, SUMMARY, PICTURE = "exactgeom_result.json", "exactgeom_summary.txt", "exactgeom_partition.png"


def _env() -> dict[str, str]:
    return dict(os.environ, MPLBACKEND="Agg", PYTHONPATH=str(REPO))


def error_line(p: subprocess.CompletedProcess) -> str:
    line = one_error_line(p)
    assert "internal error" not in line, line
    return line


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    p = tmp_path / "tiny.json"
    p.write_text(json.dumps(TINY))
    return p


# ------------------------------------------------------------ table of refused command lines
def _model(tmp: Path, **changes: object) -> str:
    doc = dict(TINY, **changes)
    p = tmp / f"m{abs(hash(json.dumps(doc, sort_keys=True))) % 10**8}.json"
    p.write_text(json.dumps(doc))
    return str(p)


def _cases(tmp: Path) -> list[tuple[str, list[str], int, str]]:
    nan_csv = tmp / "nan.csv"
    nan_csv.write_text("nan,1\n0,0\n")
    bad_csv = tmp / "bad.csv"
    bad_csv.write_text("x,y\n0,0\n1,abc\n")
    cplx = tmp / "c.npz"
    np.savez(cplx, W0=np.array([[1 + 1j, 0]]), b0=np.array([0]), W1=np.array([[1]]), b1=np.array([0]))
    m = _model(tmp)
    return [
        ("laplacian degree that does not exist", ["fixture", m, "-o", "f.json", "--laplacians", "7"], 1,
         "degree 7 does not exist"),
        ("laplacians selecting nothing", ["fixture", m, "-o", "f.json", "--laplacians", ","], 2, "selects no degree"),
        ("sections selecting nothing", ["analyse", m, "--sections", ""], 2, "selects no section"),
        ("fixture sections selecting nothing", ["fixture", m, "-o", "f.json", "--sections", " , "], 2,
         "selects no section"),
        ("unknown section", ["analyse", m, "--sections", "volumes"], 2, "unknown fixture section"),
        ("negative limit", ["check", "f.json", "--limit", "-1"], 2, "positive integer"),
        ("huge exponent in a model", ["analyse", _model(tmp, biases=[[0, 0, "1e999999999"], [0]])], 1, "MAX_DIGITS"),
        ("huge exponent in --domain", ["analyse", m, "--domain", "-1:1e999999999,-1:1"], 1, "MAX_DIGITS"),
        ("complex npz weights", ["analyse", str(cplx), "--policy", "exact", "--domain", "-1:1,-1:1"], 1, "complex"),
        ("nan first CSV row is data, not a header", ["analyse", m, "--data", str(nan_csv), "--policy", "exact"], 1,
         "line 1: 'nan' is nan"),
        ("bad CSV value names its line", ["analyse", m, "--data", str(bad_csv)], 1, "line 3: 'abc' is not a number"),
        ("export into a foreign folder", ["export-cdd", m, "-o", str(tmp / "foreign")], 1, "not empty"),
    ]


def test_refused_command_lines(tmp_path: Path) -> None:
    (tmp_path / "foreign").mkdir()
    (tmp_path / "foreign" / "notes.txt").write_text("mine")
    for name, argv, code, msg in _cases(tmp_path):
        t = time.perf_counter()
        p = run(*argv, "--no-progress", cwd=tmp_path, timeout=120)
        assert p.returncode == code, (name, p.returncode, p.stderr)
        assert msg in error_line(p), (name, p.stderr)
        assert time.perf_counter() - t < 60, name
    assert (tmp_path / "foreign" / "notes.txt").read_text() == "mine"
    assert sorted(x.name for x in (tmp_path / "foreign").iterdir()) == ["notes.txt"]


def test_5000_digit_json_integer_is_no_internal_error(tmp_path: Path) -> None:
    big = 10**5000 + 1
    (tmp_path / "big.json").write_text(
        '{"family": "relu", "weights": [[[' + "1" + "0" * 4999 + '1]], [[1]]], "biases": [[0], [0]], '
        '"domain": [["-1", "1"]]}'
    )
    p = run("analyse", "big.json", "--no-plot", "--sections", "cells", "--no-progress", cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    doc = loads_json((tmp_path / RESULT).read_text())
    assert doc["model"]["weights"][0][0][0] == str(10**5000 + 1) if sys.get_int_max_str_digits() == 0 else True
    from exactgeom.io.canonical import parse_rational

    assert parse_rational(doc["model"]["weights"][0][0][0]) == big


def test_first_csv_row_of_numbers_is_data(tmp_path: Path) -> None:
    from exactgeom.io.weights_files import read_data

    (tmp_path / "d.csv").write_text("0,1/2\n1,0\n")
    assert read_data(tmp_path / "d.csv")[0] == ((0, 0.5), (1, 0))
    (tmp_path / "h.csv").write_text("x,y\n0,1/2\n")
    assert read_data(tmp_path / "h.csv")[0] == ((0, 0.5),)


# -------------------------------------------------------------------------- export-cdd
def test_export_replaces_its_own_earlier_export_as_a_whole(tmp_path: Path) -> None:
    big = _model(tmp_path)  # 7 cells
    small = _model(tmp_path, weights=[[[1, 0]], [[1]]], biases=[[0], [0]])  # 2 cells
    out = tmp_path / "cdd"
    assert run("export-cdd", big, "-o", str(out), cwd=tmp_path).returncode == 0
    assert len(list(out.glob("cell_*.ine"))) == 7
    p = run("export-cdd", small, "-o", str(out), cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    idx = json.loads((out / "index.json").read_text())
    assert sorted(x.name for x in out.iterdir()) == sorted([*idx["files"], "index.json"])
    assert idx["n_cells"] == 2 and len(list(out.glob("cell_*"))) == 4
    assert not [x for x in tmp_path.iterdir() if x.name.startswith(".")]  # no temporary folders left
    # --force writes into a foreign folder and leaves its other files alone
    (tmp_path / "f").mkdir()
    (tmp_path / "f" / "keep.txt").write_text("x")
    assert run("export-cdd", small, "-o", str(tmp_path / "f"), "--force", cwd=tmp_path).returncode == 0
    assert (tmp_path / "f" / "keep.txt").read_text() == "x" and (tmp_path / "f" / "index.json").is_file()


# ------------------------------------------------------------------ analyse section by section
def test_analyse_keeps_finished_sections_when_a_later_one_fails(tmp_path: Path, monkeypatch, capsys) -> None:
    from exactgeom import cli
    from exactgeom.io import fixtures

    def fail(partition, ctx):
        raise UndecidedError("refinement cap reached (injected)")

    monkeypatch.setitem(fixtures.SECTION_BUILDERS, "complex", fail)
    m = _model(tmp_path)
    code = cli.main(["analyse", m, "-o", str(tmp_path / "out"), "--no-progress", "--no-plot"])
    err = capsys.readouterr().err
    assert code == 1
    assert "result section 'complex' failed: refinement cap reached (injected)" in err
    doc = loads_json((tmp_path / "out" / RESULT).read_text())
    assert "complex" not in doc["sections"] and "cells" in doc["sections"] and "curvature" in doc["sections"]
    assert validate_document(doc) == []
    assert (tmp_path / "out" / SUMMARY).is_file()


# ------------------------------------------------------------------------- fault injection
def _parses(path: Path, baseline: dict[str, bytes]) -> None:
    """A file present after a killed run is complete: byte-identical to the full run's
    (the runs are deterministic), or for the JSON result a complete document whose
    sections equal the full run's."""
    data = path.read_bytes()
    if data == baseline[path.name]:
        return
    if path.name != RESULT:
        import difflib

        diff = "".join(difflib.unified_diff(baseline[path.name].decode(errors="replace").splitlines(True),
                                            data.decode(errors="replace").splitlines(True), "complete run", "after the kill", n=1))
        raise AssertionError(f"{path.name} differs from a complete run's:\n{diff[:3000]}")
    doc = loads_json(data.decode("ascii"))
    full = loads_json(baseline[RESULT].decode("ascii"))
    assert validate_document(doc) == []
    assert set(doc["sections"]) < set(full["sections"])
    for s in doc["sections"]:
        if s != "angles":
            assert doc[s] == full[s], s


@pytest.mark.slow
def test_fault_injection_sigint_and_sigkill(tmp_path: Path, tiny: Path) -> None:
    out = tmp_path / "out"
    t0 = time.perf_counter()
    p = run("analyse", str(tiny), "-o", str(out), "--no-progress", "-q", cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    full_time = time.perf_counter() - t0
    baseline = {x.name: x.read_bytes() for x in out.iterdir()}
    assert set(baseline) == {RESULT, SUMMARY, PICTURE}
    t0 = time.perf_counter()
    assert run("--version", cwd=tmp_path).returncode == 0
    startup = time.perf_counter() - t0  # before the command runs, Ctrl-C is Python's own business
    rng = random.Random(20261204)
    fresh = tmp_path / "fresh"
    for k in range(20):
        target = out if k % 2 == 0 else fresh  # an earlier run's files, or none
        if target is fresh and fresh.exists():
            for x in fresh.iterdir():
                x.unlink()
        sig = signal.SIGINT if k % 4 < 2 else signal.SIGKILL
        proc = subprocess.Popen([PY, "-m", "exactgeom", "analyse", str(tiny), "-o", str(target), "--no-progress", "-q"],
                                cwd=tmp_path, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        lo = 1.5 * startup if sig == signal.SIGINT else 0.05
        time.sleep(rng.uniform(lo, max(lo + 0.1, 0.7 * full_time)))
        t_sig = time.monotonic()
        proc.send_signal(sig)
        proc.wait(timeout=60)
        stopped = time.monotonic() - t_sig
        err = proc.stderr.read().decode() if proc.stderr else ""
        if proc.stderr:
            proc.stderr.close()
        if sig == signal.SIGINT and "KeyboardInterrupt" in err and not any(
            f"in {fn}\n" in err for fn in ("main", "_run", "_supervised")
        ):
            pass  # still importing (a loaded machine can stretch start-up past 1.5x): Python's own business
        elif sig == signal.SIGINT and proc.returncode == -signal.SIGINT and not err:
            pass  # before the interpreter installed its SIGINT handler (SIG_DFL kills silently): start-up again
        elif sig == signal.SIGINT:
            assert proc.returncode in (130, 0), (k, proc.returncode, err)
            assert stopped < 2.5, (k, stopped)  # the grace period is 0.8 s; the machine may be loaded
            assert "Traceback" not in err, err
        else:
            assert proc.returncode in (-9, 0), (k, proc.returncode)
        time.sleep(0.05)  # a SIGKILLed parent's child dies with it (PR_SET_PDEATHSIG)
        for x in target.iterdir():
            if TEMP_PATTERN.fullmatch(x.name):
                continue  # a kill -9 between writing and renaming; removed by the next write
            _parses(x, baseline)
    # nothing of an earlier run was replaced by a partial file; a complete run still works
    p = run("analyse", str(tiny), "-o", str(out), "--no-progress", "-q", cwd=tmp_path)
    assert p.returncode == 0
    assert {x.name: x.read_bytes() for x in out.iterdir()} == baseline  # stale temporaries removed


def test_analyse_writes_each_section_once_in_canonical_form(tmp_path: Path, monkeypatch) -> None:
    """The result is written after each section (a complete canonical document of the
    sections so far, each section encoded once and its text reused), and not again at
    the end when nothing changed."""
    from exactgeom import cli
    from exactgeom.io import atomic
    from exactgeom.io.canonical import canonical_json

    written: list[bytes] = []
    real = atomic.write_atomic

    def spy(path, data, **kw):
        if Path(path).name == RESULT:
            written.append(b"".join(data) if isinstance(data, list) else bytes(data))
        return real(path, data, **kw)

    monkeypatch.setattr(atomic, "write_atomic", spy)
    m = _model(tmp_path)
    assert cli.main(["analyse", m, "-o", str(tmp_path / "out"), "--no-progress", "--no-plot", "-q"]) == 0
    docs = [loads_json(b.decode("ascii")) for b in written]
    assert [d["sections"] for d in docs] == [["cells", "angles"], ["cells", "angles", "faces"],
                                             ["cells", "angles", "faces", "complex"],
                                             ["cells", "angles", "faces", "complex", "curvature"]]
    for b, d in zip(written, docs):
        assert b == canonical_json(d).encode("ascii")  # an independent encoding of what was read back
        assert validate_document(d) == []
    assert (tmp_path / "out" / RESULT).read_bytes() == written[-1]


def test_domains_beyond_the_digit_limit_and_the_float_range(tiny: Path, tmp_path: Path) -> None:
    """10^5000-wide and 10^-5000-wide domains: the summary abbreviates the exact numbers
    (str() of such a Fraction raises ValueError), cddlib files are written in full, and the
    picture - drawn in floats - is refused with a message, the other outputs kept."""
    p = run("analyse", str(tiny), "--domain", "-1e5000:1e5000,-1e5000:1e5000", "-o", str(tmp_path / "big"), cwd=tmp_path)
    assert "picture failed" in error_line(p) and "float range" in p.stderr
    summary = (tmp_path / "big" / SUMMARY).read_text()
    assert "(5001-digit integer)" in summary and "e+10000" in summary
    p = run("analyse", str(tiny), "--domain", "0:1e-5000,0:1e-5000", "--no-plot", "-o", str(tmp_path / "small"),
            cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    p = run("export-cdd", str(tiny), "--domain", "0:1e5000,0:1e5000", "-o", str(tmp_path / "cdd"), cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert any("1" + "0" * 5000 in f.read_text() for f in (tmp_path / "cdd").glob("*.ine"))
    p = run("plot", str(tiny), "--domain", "0:1e-300,0:1e-300", "-o", str(tmp_path / "p.png"), cwd=tmp_path)
    assert "below the float resolution" in error_line(p)
