#!/usr/bin/env bash
# Build the sdist and the wheel, install the wheel into a fresh virtual environment OUTSIDE the
# repository, and smoke-test it there (CI runs this after the test suite, from .ci/run).
#
# What it catches: package data that does not travel (fixture schema, built-in example model,
# fixture corpus, py.typed, LICENSE), imports that only work from a source tree, a console script
# that is not installed, a version that differs between the wheel's metadata and the source tree,
# and a core that needs torch.  The wheel is built from the sdist (`python -m build` does that),
# so a file missing from the sdist fails here too.
#
# Steps: scripts/setup.sh (Debian's libcdd-dev/libgmp-dev, against which pycddlib compiles, and
# the build tool in .venv); `python -m build` into a temporary folder; a new venv there
# (no --system-site-packages); `pip install WHEEL` (dependencies from PyPI; no torch); then, in an
# empty folder with PYTHONPATH unset: the main job `exactgeom`, `exactgeom check` on the shipped
# fixture corpus and on the main job's own result, and a Python snippet using the public API.
#
# Environment: PYTHON (default python3) creates the fresh venv; SMOKE_KEEP=1 keeps the temporary
# folder (its path is printed).  Exit status non-zero on any failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$(pwd)"
log() { printf '[smoke] %s\n' "$*" >&2; }
t_start=$SECONDS

bash scripts/setup.sh

WORK="$(mktemp -d "${TMPDIR:-/tmp}/exactgeom-smoke.XXXXXX")"
case "$WORK/" in
    "$ROOT"/*) log "ERROR: temporary folder $WORK is inside the repository"; exit 1 ;;
esac
cleanup() {
    if [ "${SMOKE_KEEP:-0}" = "1" ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# --- 1. sdist and wheel ---------------------------------------------------------------------
t0=$SECONDS
log "building sdist and wheel (python -m build) into $WORK/dist"
.venv/bin/python -m build --outdir "$WORK/dist" . >"$WORK/build.log" 2>&1 || {
    cat "$WORK/build.log" >&2; log "ERROR: python -m build failed"; exit 1; }
shopt -s nullglob
wheels=("$WORK"/dist/exactgeom-*.whl)
sdists=("$WORK"/dist/exactgeom-*.tar.gz)
shopt -u nullglob
if [ "${#wheels[@]}" -ne 1 ] || [ "${#sdists[@]}" -ne 1 ]; then
    ls -l "$WORK/dist" >&2; log "ERROR: expected one wheel and one sdist"; exit 1
fi
WHEEL="${wheels[0]}"
log "built $(basename "${sdists[0]}") and $(basename "$WHEEL") ($((SECONDS - t0)) s)"

# The wheel must carry the package data and the license (checked on the archive itself).
.venv/bin/python - "$WHEEL" <<'EOF'
import sys, zipfile
names = set(zipfile.ZipFile(sys.argv[1]).namelist())
need = ["exactgeom/py.typed", "exactgeom/io/schema.json", "exactgeom/data/example_relu.json",
        "exactgeom/data/fixtures/cube.json"]
missing = [n for n in need if n not in names]
if not any(n.endswith(".dist-info/licenses/LICENSE") for n in names):
    missing.append("*.dist-info/licenses/LICENSE")
if any(n.startswith(("tests/", "bench/", "notebooks/")) for n in names):
    missing.append("(tests/bench/notebooks must not be packaged)")
if missing:
    sys.exit(f"[smoke] ERROR: the wheel lacks {missing}")
print(f"[smoke] wheel contents OK ({len(names)} files)", file=sys.stderr)
EOF

# --- 2. a fresh virtual environment outside the repository -------------------------------------
t0=$SECONDS
PYTHON="${PYTHON:-python3}"
log "creating a fresh venv with $("$PYTHON" --version 2>&1) in $WORK/venv"
"$PYTHON" -m venv "$WORK/venv"
SPY="$WORK/venv/bin/python"
"$SPY" -m pip install -q --upgrade pip >&2
log "pip install $(basename "$WHEEL") (dependencies from PyPI; pycddlib compiles against libcdd-dev)"
"$SPY" -m pip install -q "$WHEEL" >&2
"$SPY" -m pip check >&2
log "installed ($((SECONDS - t0)) s)"

# --- 3. smoke test, from an empty folder, nothing of the repository on the path ---------------
t0=$SECONDS
RUN="$WORK/empty"
mkdir "$RUN"
cd "$RUN"
unset PYTHONPATH
export MPLBACKEND=Agg
EXACTGEOM_CMD="$WORK/venv/bin/exactgeom"

log "main job: exactgeom (no arguments) in an empty folder"
"$EXACTGEOM_CMD" >"$WORK/main_job.log" 2>&1 || { cat "$WORK/main_job.log" >&2; log "ERROR: main job failed"; exit 1; }
tail -n 4 "$WORK/main_job.log" >&2
for f in exactgeom_summary.txt exactgeom_result.json exactgeom_partition.png; do
    [ -s "$f" ] || { log "ERROR: the main job did not write $f"; exit 1; }
done

CORPUS="$("$SPY" -c 'from importlib import resources; print(resources.files("exactgeom") / "data" / "fixtures")')"
case "$CORPUS/" in
    "$WORK/venv/"*) ;;
    *) log "ERROR: the fixture corpus resolves to $CORPUS, not inside the fresh venv"; exit 1 ;;
esac
log "exactgeom check: the shipped fixture corpus ($CORPUS) and the main job's result"
"$EXACTGEOM_CMD" -q check "$CORPUS"/*.json exactgeom_result.json

log "public API from Python"
"$SPY" - "$ROOT" "$WORK/venv" <<'EOF'
import importlib.metadata
import importlib.util
import re
import sys
from fractions import Fraction
from pathlib import Path

root, venv = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()

import exactgeom
from exactgeom import Polytope, load_fixture, relu_network
from exactgeom.partitions.relu import load_example

pkg = Path(exactgeom.__file__).resolve().parent
assert pkg.is_relative_to(venv), f"exactgeom imported from {pkg}, not from the fresh venv"
assert not any(Path(p or ".").resolve().is_relative_to(root) for p in sys.path), "the repository is on sys.path"

# one version everywhere: the wheel's metadata, the installed module, the source tree
src = re.search(r'^__version__ = "([^"]+)"', (root / "exactgeom" / "__init__.py").read_text(), re.M).group(1)
meta = importlib.metadata.version("exactgeom")
assert meta == exactgeom.__version__ == src, (meta, exactgeom.__version__, src)
assert importlib.metadata.metadata("exactgeom")["License-Expression"] == "BSD-3-Clause"
assert (pkg / "py.typed").is_file()
assert importlib.util.find_spec("torch") is None, "torch got installed: the core must not need it"

# exact geometry: the unit square and the standard triangle
box = Polytope.box([(0, 1), (0, 1)])
assert box.volume() == 1 and box.n_vertices == 4
assert box.dihedral_angle(0, 2).exact_pi_multiple() == Fraction(1, 2)
tri = Polytope.from_vrep([[0, 0], [1, 0], [0, 1]])
assert tri.volume() == Fraction(1, 2)

# a ReLU partition (README's example), the built-in trained example (package data), a fixture (schema)
net = relu_network([[[1, -1], [1, 1]], [[1, 1]]], [[0, "-1/2"], [0]], [(-1, 1), (-1, 1)])
assert net.n_cells == 4 and net.check().ok
example, domain, data, labels = load_example()
assert example.n_in == domain.dim == 2 and len(data) == len(labels) > 0
fx = load_fixture(pkg / "data" / "fixtures" / "cube.json")
assert fx is not None
print(f"[smoke] exactgeom {meta} from {pkg}: API OK", file=sys.stderr)
EOF
log "smoke test passed ($((SECONDS - t0)) s; total $((SECONDS - t_start)) s)"
