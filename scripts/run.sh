#!/usr/bin/env bash
# Main entry point: set up the environment (fast no-op when nothing changed), then run
# the exactgeom command-line tool with the given arguments.  Works from any directory.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/setup.sh"
exec "$ROOT/.venv/bin/exactgeom" "$@"
