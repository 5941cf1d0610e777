"""Shared pytest configuration: import path fallback and Hypothesis profiles.

Profiles (select with the environment variable ``HYPOTHESIS_PROFILE``; the default is
``ci`` when ``CI`` is set, else ``dev``):

* ``dev``  -- 25 examples per test, for quick local runs;
* ``ci``   -- 60 examples, derandomized (reproducible), failing examples printed as blobs;
* ``long`` -- 1000 examples, for occasional soak runs.

None has a deadline (exact arithmetic has heavy-tailed timings) and none reports
``HealthCheck.too_slow``.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

# The editable install (scripts/setup.sh) makes exactgeom importable; fall back to the
# source tree for runs outside the venv.
if importlib.util.find_spec("exactgeom") is None:
    sys.path.insert(0, str(REPO_ROOT))

os.environ.setdefault("MPLBACKEND", "Agg")

from hypothesis import HealthCheck, settings  # noqa: E402

_SUPPRESSED = [HealthCheck.too_slow]

settings.register_profile("dev", max_examples=25, deadline=None, suppress_health_check=_SUPPRESSED)
settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    derandomize=True,
    print_blob=True,
    suppress_health_check=_SUPPRESSED,
)
settings.register_profile("long", max_examples=1000, deadline=None, suppress_health_check=_SUPPRESSED)

_profile = os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
settings.load_profile(_profile)
