"""Benchmark: the stages after enumeration, before and after the issue-12 speed work,
side by side in one run.

"Before" is an older revision of this repository (default ``0b50428``, the main branch
before the work), exported with ``git archive`` into a temporary directory; "after" is
this working tree. Every (stage, revision) runs in a fresh subprocess with that tree
first on ``sys.path``, interleaved (before, after, before, after, ...) so that both see
the same machine load, with a time cap per run (a capped run is reported as "> cap").

Stages (nets ``n-w-w-1`` as in ``bench/relu.py``: weights ``N(0, 1/fan_in)``, biases
``N(0, 1/4)``, ``Fraction(x).limit_denominator(1000)``, seed 0, domain ``[-3, 3]^n``):

* ``enumerate``: ``relu_network`` (the reference: every other stage is compared to it);
* ``check``: ``Partition.check()``;
* ``complex``: ``RiemannianComplex.from_partition`` (facet convention, volume measure);
* ``spectrum_float``: ``spectrum_float(0)`` (all eigenvalues) and ``spectrum_float(0, k=6)``;
* ``topology``: ``decision_topology``;
* ``analyse``: ``exactgeom analyse MODEL.json`` end to end (CLI, no picture): wall and CPU time
  (user + system, the CLI and its worker process) and a hash of the JSON result;
* ``fixture``: ``write_fixture`` of the built-in example, then ``check_fixture`` of it
  (wall and CPU time of each, and the start of the written file's SHA-256, to compare
  the bytes written by two runs or trees).

Each subprocess builds the partition first (its time is recorded too), then times the
stage once. Run: ``python bench/after_enumeration.py [--before REV] [--cap SECONDS]
[--repeat N] [--jobs STAGE:NET ...] [--out FILE]`` (for the fixture stage alone:
``--jobs fixture:- --repeat 3``); prints a Markdown table and writes it to ``--out`` if given.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


sys.path.insert(0, str(ROOT / "bench"))
from relu import make_net  # noqa: E402 - the same nets as bench/relu.py (seed 0)


# ---------------------------------------------------------------------- worker (subprocess)
def worker(stage: str, net: str, workdir: str) -> dict:
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from exactgeom.partitions.relu import relu_network

    out: dict = {}
    sizes = [int(s) for s in net.split("-")] if net != "-" else None
    P = None
    if sizes is not None and stage not in ("analyse",):
        W, b = make_net(sizes)
        t = time.perf_counter()
        P = relu_network(W, b, [(-3, 3)] * sizes[0])
        out["enumerate"] = time.perf_counter() - t
        out["cells"] = P.n_cells
    t = time.perf_counter()
    if stage == "check":
        out["ok"] = P.check().ok
    elif stage == "complex":
        from exactgeom.complex import RiemannianComplex

        K = RiemannianComplex.from_partition(P)
        out["f_vector"] = list(K.f_vector())
    elif stage == "spectrum_float":
        from exactgeom.complex import RiemannianComplex

        K = RiemannianComplex.from_partition(P)
        K.measure(0), K.measure(1)  # the measures are the complex's work, not the solver's
        t = time.perf_counter()
        w = K.spectrum_float(0)
        out["all"] = time.perf_counter() - t
        t1 = time.perf_counter()
        w6 = K.spectrum_float(0, k=6)
        out["k6"] = time.perf_counter() - t1
        out["smallest"] = [float(x) for x in sorted(w)[:3]]
        out["smallest_k6"] = [float(x) for x in list(w6)[:3]]
    elif stage == "topology":
        from exactgeom.analysis import decision_topology

        try:
            T = decision_topology(P)
            out["betti"] = {str(k): list(v) for k, v in T.items()}
        except Exception as exc:  # the old nerve refuses large cases
            out["error"] = f"{type(exc).__name__}: {str(exc)[:80]}"
    elif stage == "analyse":
        W, b = make_net(sizes)
        model = {"family": "relu", "weights": [[[str(x) for x in r] for r in Wl] for Wl in W],
                 "biases": [[str(x) for x in bl] for bl in b], "domain": [[-3, 3]] * sizes[0]}
        mp = Path(workdir) / f"net-{net}.json"
        mp.write_text(json.dumps(model))
        import resource

        u0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        r = subprocess.run([sys.executable, "-m", "exactgeom", "-o", str(Path(workdir) / f"out-{net}"), "analyse", str(mp),
                            "--no-plot", "--no-progress", "-q"], capture_output=True, text=True, env=dict(os.environ))
        u1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        out["cpu"] = (u1.ru_utime - u0.ru_utime) + (u1.ru_stime - u0.ru_stime)  # the CLI and its worker child
        out["rc"] = r.returncode
        if r.returncode:
            out["error"] = (r.stderr or r.stdout)[-300:]
        else:
            res = Path(workdir) / f"out-{net}" / "exactgeom_result.json"
            out["result_sha256"] = hashlib.sha256(res.read_bytes()).hexdigest()[:16]  # same result before/after
    elif stage == "fixture":
        from exactgeom.io.fixture_load import check_fixture
        from exactgeom.io.fixtures import write_fixture
        from exactgeom.io.model_files import example_spec

        path = Path(workdir) / "example.json"
        spec = example_spec()
        t, c = time.perf_counter(), time.process_time()
        doc = write_fixture(spec, path)
        out["write"] = time.perf_counter() - t
        out["write_cpu"] = time.process_time() - c
        out["cells"] = doc["partition"]["n_cells"]
        t1, c1 = time.perf_counter(), time.process_time()
        out["check_ok"] = check_fixture(path).ok
        out["check"] = time.perf_counter() - t1
        out["check_cpu"] = time.process_time() - c1
        out["cpu"] = time.process_time() - c
        out["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    out["seconds"] = time.perf_counter() - t
    return out


def run(tree: str, stage: str, net: str, cap: float, workdir: str) -> dict:
    env = dict(os.environ, PYTHONPATH=tree, OPENBLAS_NUM_THREADS="1", MPLBACKEND="Agg")
    code = (f"import sys; sys.path.insert(0, {str(ROOT / 'bench')!r}); import after_enumeration as b, json; "
            f"print('@@' + json.dumps(b.worker({stage!r}, {net!r}, {workdir!r})))")
    t = time.perf_counter()
    try:
        r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=cap, cwd=workdir)
    except subprocess.TimeoutExpired:
        return {"timeout": cap, "wall": time.perf_counter() - t}
    line = [s for s in r.stdout.splitlines() if s.startswith("@@")]
    if not line:
        return {"error": (r.stderr or "no output")[-300:], "wall": time.perf_counter() - t}
    return json.loads(line[0][2:])


JOBS = [
    ("check", "3-16-16-1"),
    ("complex", "3-16-16-1"),
    ("spectrum_float", "3-16-16-1"),
    ("topology", "3-16-16-1"),
    ("topology", "2-32-32-1"),
    ("analyse", "3-16-16-1"),
    ("analyse", "2-20-20-1"),
    ("fixture", "-"),
]


def fmt(res: dict, key: str = "seconds") -> str:
    if "timeout" in res:
        return f"> {res['timeout']:.0f} s"
    if "error" in res and key == "seconds":
        return "fails: " + res["error"].strip().splitlines()[-1][:60]
    v = res.get(key)
    return "-" if v is None else f"{v:.2f} s"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--before", default="0b50428")
    ap.add_argument("--cap", type=float, default=600.0)
    ap.add_argument("--jobs", nargs="*", default=None, help="stage:net pairs (default: all)")
    ap.add_argument("--repeat", type=int, default=1, help="before/after pairs per job, interleaved (default 1)")
    ap.add_argument("--out")
    args = ap.parse_args()
    jobs = JOBS if not args.jobs else [tuple(j.split(":")) for j in args.jobs]
    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp) / "before"
        old.mkdir()
        arch = subprocess.run(["git", "-C", str(ROOT), "archive", args.before], capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(old)], input=arch, check=True)
        rows = []
        load0 = os.getloadavg()
        for stage, net in jobs:
            for _ in range(args.repeat):
                res = {}
                for name, tree in (("before", str(old)), ("after", str(ROOT))):
                    wd = Path(tmp) / f"{name}-{stage}-{net}"
                    wd.mkdir(exist_ok=True)
                    res[name] = run(tree, stage, net, args.cap, str(wd))
                    print(stage, net, name, json.dumps(res[name])[:300], f"load {os.getloadavg()[0]:.1f}", flush=True)
                rows.append((stage, net, res))
        load1 = os.getloadavg()
    text = report(rows, args, load0, load1)
    print(text)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    return 0


def report(rows: list, args: argparse.Namespace, load0: tuple, load1: tuple) -> str:
    lines = [
        "| stage | net | cells | enumeration (after run) | before | after | before / after | after / enumeration |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for stage, net, res in rows:
        b, a = res["before"], res["after"]
        subs = [("seconds", stage)]
        if stage == "spectrum_float":
            subs = [("all", "spectrum_float(0)"), ("k6", "spectrum_float(0, k=6)")]
        if stage == "analyse":
            subs = [("seconds", "analyse (wall)"), ("cpu", "analyse CPU (user + sys)")]
        if stage == "fixture":
            subs = [("write", "write_fixture (example)"), ("check", "check_fixture (example)"), ("seconds", "write + check"),
                    ("write_cpu", "write_fixture CPU"), ("check_cpu", "check_fixture CPU"), ("cpu", "write + check CPU")]
        for key, label in subs:
            tb, ta = b.get(key), a.get(key)
            ratio = f"{tb / ta:.1f}x" if isinstance(tb, float) and isinstance(ta, float) and ta > 0 else (
                f"> {b['timeout'] / ta:.1f}x" if "timeout" in b and isinstance(ta, float) else "-")
            en = a.get("enumerate")
            rel = f"{ta / en:.2f}" if isinstance(ta, float) and isinstance(en, float) else "-"
            lines.append(f"| {label} | {net} | {a.get('cells', b.get('cells', '-'))} | "
                         f"{'-' if en is None else f'{en:.2f} s'} | {fmt(b, key)} | {fmt(a, key)} | {ratio} | {rel} |")
    lines.append("")
    lines.append(f"Before = `{args.before}`, after = this tree; cap {args.cap:.0f} s per run; "
                 f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
                 f"load average {load0[0]:.1f} at the start, {load1[0]:.1f} at the end (shared machine).")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
