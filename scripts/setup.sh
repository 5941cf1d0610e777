#!/usr/bin/env bash
# Idempotent set-up of a development/CI machine (fresh Debian, usually root).
#
#   1. Debian packages libcdd-dev + libgmp-dev (pycddlib compiles against them) and
#      libcdd-tools (cddlib's own scdd_gmp, an oracle in the tests);
#   2. the virtual environment .venv at the repo root;
#   3. torch==2.13.0 (CPU build, optional) and then `pip install -e ".[test,sklearn,dask,docs]"`,
#      redone only when pyproject.toml or this script changed (stamp: .venv/.setup-stamp);
#   4. the python3 Jupyter kernel spec inside the venv (for tests/test_notebooks.py).
#
# A re-run with nothing changed does no network access and takes well under a second.
# Environment: PYTHON (default python3) picks the interpreter that creates the venv;
# EXACTGEOM_FORCE_SETUP=1 ignores the stamp.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$(pwd)"
VENV="$ROOT/.venv"
STAMP="$VENV/.setup-stamp"
TORCH_SPEC="torch==2.13.0"

log() { printf '[setup] %s\n' "$*" >&2; }

# --- 1. system packages -------------------------------------------------------
if ! dpkg -s libcdd-dev libgmp-dev libcdd-tools >/dev/null 2>&1; then
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then
            SUDO="sudo"
        else
            log "ERROR: libcdd-dev/libgmp-dev missing, not root and no sudo"
            exit 1
        fi
    fi
    log "installing Debian packages libcdd-dev libgmp-dev libcdd-tools"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libcdd-dev libgmp-dev libcdd-tools >&2
fi

# --- 2. virtual environment ---------------------------------------------------
PYTHON="${PYTHON:-python3}"
if ! "$VENV/bin/python" -c '' >/dev/null 2>&1; then
    if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        log "ERROR: $PYTHON is missing or older than Python 3.11"
        exit 1
    fi
    log "creating $VENV with $("$PYTHON" --version 2>&1)"
    # Without --clear: repairs a broken venv in place, never deletes one.
    "$PYTHON" -m venv "$VENV"
fi
VPY="$VENV/bin/python"

# --- 3. python packages (only when the inputs changed) ------------------------
want="$(cat pyproject.toml scripts/setup.sh <("$VPY" -c 'import sys; print(sys.version)') \
        | sha256sum | cut -d' ' -f1)"
have="$(cat "$STAMP" 2>/dev/null || true)"
if [ "$want" != "$have" ] || [ "${EXACTGEOM_FORCE_SETUP:-0}" = "1" ]; then
    t0=$SECONDS
    rm -f "$STAMP"
    log "upgrading pip"
    "$VPY" -m pip install -q --upgrade pip >&2

    # torch first, pinned, so that nothing later can resolve an unpinned (CUDA) torch.
    log "installing $TORCH_SPEC (CPU build, optional)"
    if "$VPY" -m pip install -q "$TORCH_SPEC" >&2; then
        :
    else
        log "WARNING: could not install $TORCH_SPEC; continuing without torch (tests needing it skip)"
    fi

    # The pin also applies to anything the extras might pull in transitively.
    CONSTRAINTS="$VENV/.setup-constraints.txt"
    printf '%s\n' "$TORCH_SPEC" "gmpy2>=2.2,<2.4" > "$CONSTRAINTS"
    log "installing exactgeom in editable mode with extras [test,sklearn,dask,docs]"
    "$VPY" -m pip install -q -c "$CONSTRAINTS" -e ".[test,sklearn,dask,docs]" >&2

    if ! "$VPY" -m pip check >&2; then
        log "WARNING: pip check reports inconsistent requirements (see above)"
    fi
    printf '%s\n' "$want" > "$STAMP"
    log "python packages ready ($((SECONDS - t0)) s)"
fi

# --- 4. Jupyter kernel spec in the venv -------------------------------------------
# ipykernel ships a spec whose argv[0] is a bare "python"; ours names the venv's interpreter.
KSPEC="$VENV/share/jupyter/kernels/python3/kernel.json"
if ! grep -qF "\"$VPY\"" "$KSPEC" 2>/dev/null; then
    log "registering the python3 Jupyter kernel in the venv"
    "$VPY" -m ipykernel install --sys-prefix --name python3 >/dev/null
fi
