"""What every ``exactgeom`` subcommand shares.

The output file names and the program name, :class:`UsageError` (a bad command-line
value, exit status 2), the printer that honours ``--quiet`` (:class:`_Out`), and the
steps from options to a built partition: the ``--domain`` and ``--policy`` values, the
model spec (:func:`_spec`: a model file or the built-in example, with ``--data`` /
``--mode``), the build (:func:`_build`, with ``--jobs`` workers), the output folder and
the ``--sections`` / complex options.

>>> _parse_domain("-1:1,0:1/2")
[['-1', '1'], ['0', '1/2']]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

from ..errors import InvalidInputError

PROG = "exactgeom"


SUMMARY_NAME = "exactgeom_summary.txt"


RESULT_NAME = "exactgeom_result.json"


PICTURE_NAME = "exactgeom_partition.png"


class UsageError(InvalidInputError):
    """A bad command-line value (exit status 2)."""


class _Out:
    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet

    def __call__(self, *lines: str) -> None:
        if not self.quiet:
            for line in lines:
                print(line)

    def note(self, msg: str) -> None:
        if not self.quiet:
            print(f"{PROG}: note: {msg}", file=sys.stderr)


def _parse_domain(text: str | None) -> Any:
    if text is None:
        return None
    t = text.strip()
    if t.startswith("[") or t.startswith("{"):
        from ..io.canonical import loads_json

        try:
            return loads_json(t, "--domain")
        except InvalidInputError as exc:
            raise UsageError(str(exc)) from None
    p = Path(t)
    if p.suffix.lower() == ".json":
        if not p.exists():
            raise InvalidInputError(f"domain file {t!r} does not exist")
        from ..io.canonical import loads_json

        try:
            return loads_json(p.read_text(encoding="utf-8"), f"domain file {t!r}")
        except (OSError, UnicodeDecodeError) as exc:
            raise InvalidInputError(f"cannot read the domain file {t!r}: {exc}") from None
    pairs = []
    for part in t.split(","):
        lo, sep, hi = part.partition(":")
        if not sep or not lo.strip() or not hi.strip():
            raise UsageError(f"--domain {text!r}: write 'lo:hi,lo:hi,...' (one pair per input), e.g. -1:1,-1:1")
        pairs.append([lo.strip(), hi.strip()])
    return pairs


def _policy(args: argparse.Namespace) -> Any:
    pol = getattr(args, "policy", None)
    if pol is None:
        return None
    from ..numbers.rational import FloatPolicy

    try:
        return str(FloatPolicy.parse(pol))
    except InvalidInputError as exc:
        raise UsageError(f"--policy: {exc}") from None


def _spec(args: argparse.Namespace, out: _Out) -> Any:
    from ..io.model_files import example_spec, read_model

    policy = _policy(args)
    domain = _parse_domain(getattr(args, "domain", None))
    model = getattr(args, "model", None)
    if model is None:
        spec = example_spec()
        if domain is not None:
            spec = spec.with_domain(domain, policy=policy)
            spec = _keep_data_inside(spec, out)
    else:
        spec = read_model(model, policy=policy, domain=domain)
    data_file = getattr(args, "data", None)
    mode = getattr(args, "mode", None)
    if data_file is not None:
        from ..io.weights_files import read_data

        X, y = read_data(data_file, policy=policy, n=spec.ambient_dim)
        spec = spec.with_data(X, y, policy=policy, mode=mode)
    elif mode is not None:
        spec = spec.with_data(spec.data, spec.labels, mode=mode)
    return spec


def _keep_data_inside(spec: Any, out: _Out) -> Any:
    """The built-in example on another domain: drop the data points outside it."""
    if spec.data is None:
        return spec
    keep = [k for k, x in enumerate(spec.data) if spec.domain.contains(x)]
    if len(keep) == len(spec.data):
        return spec
    out.note(f"{len(spec.data) - len(keep)} of the example's {len(spec.data)} data points lie outside --domain; left out")
    labels = None if spec.labels is None else [spec.labels[k] for k in keep]
    return spec.with_data([spec.data[k] for k in keep] or None, labels if keep else None)


def _progress(args: argparse.Namespace) -> bool | None:
    return False if (args.no_progress or args.quiet) else None


def _build(spec: Any, args: argparse.Namespace, out: _Out) -> Any:
    t0 = time.perf_counter()
    jobs = getattr(args, "jobs", 1) or (os.cpu_count() or 1)
    if jobs == 1 or spec.family != "relu":  # only the ReLU builders take an executor
        P = spec.build(progress=_progress(args))
    else:
        from concurrent.futures import ProcessPoolExecutor

        pool = ProcessPoolExecutor(max_workers=jobs)
        try:
            P = spec.build(progress=_progress(args), executor=pool)
        finally:  # on Ctrl-C do not wait for queued tasks
            pool.shutdown(wait=False, cancel_futures=True)
    return P, time.perf_counter() - t0


def _wrote(out: _Out, *paths: Path) -> None:
    out(*(f"wrote {p}" for p in paths))


def _outdir(path: str | None) -> Path:
    d = Path(path) if path else Path(".")
    try:
        d.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidInputError(f"cannot create the output folder {str(d)!r}: {exc.strerror or exc}") from None
    if not d.is_dir():
        raise InvalidInputError(f"output folder {str(d)!r} is not a folder")
    return d


# ---------------------------------------------------------------------------- commands


def _sections_option(text: str | None) -> Any:
    """``--sections``: None (all available) or a non-empty list of known sections."""
    if text is None:
        return None
    names = [x.strip() for x in text.split(",") if x.strip()]
    if not names:
        raise UsageError(f"--sections {text!r} selects no section; give e.g. cells,faces")
    from ..io.fixtures import _normalise_sections

    try:
        _normalise_sections(names)
    except InvalidInputError as exc:
        raise UsageError(f"--sections: {exc}") from None
    return names


def _complex_options(args: argparse.Namespace) -> dict[str, Any]:
    opts: dict[str, Any] = {"convention": args.convention, "measure": args.measure, "metric": args.metric, "form": args.form}
    lap = getattr(args, "laplacians", None)
    if lap is not None:
        try:
            degrees = [int(x) for x in lap.split(",") if x.strip()]
        except ValueError:
            raise UsageError(f"--laplacians {lap!r}: give degrees like 0,1") from None
        if not degrees or min(degrees) < 0:
            raise UsageError(f"--laplacians {lap!r} selects no degree p >= 0; give degrees like 0,1")
        opts["laplacians"] = degrees
    return opts
