#!/usr/bin/env bash
# Set up the environment, then run the test suite (tests/ by default) on 2 workers.
# Extra arguments go to pytest, e.g.  bash scripts/test.sh -q -m "not slow"  or
#   bash scripts/test.sh tests/test_layers.py -n 0
# Hypothesis profile: $HYPOTHESIS_PROFILE if set, else "ci" when $CI is set, else "dev".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh

if [ -z "${HYPOTHESIS_PROFILE:-}" ]; then
    if [ -n "${CI:-}" ]; then HYPOTHESIS_PROFILE=ci; else HYPOTHESIS_PROFILE=dev; fi
fi
export HYPOTHESIS_PROFILE
export MPLBACKEND="${MPLBACKEND:-Agg}"
# one BLAS thread per pytest worker: two workers on two cores, no oversubscription
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"

printf '[test] pytest, hypothesis profile %s\n' "$HYPOTHESIS_PROFILE" >&2
rc=0
.venv/bin/python -m pytest -n "${EXACTGEOM_TEST_WORKERS:-2}" -p no:cacheprovider "$@" || rc=$?
if [ "$rc" -eq 5 ]; then
    printf '[test] ERROR: pytest collected no tests (exit 5)\n' >&2
fi
exit "$rc"
