"""``exactgeom fixture``, ``check`` and ``export-cdd``: exact files of a partition.

``fixture`` writes the exact ground-truth JSON of a model's partition
(``docs/fixtures.md``), ``check`` recomputes fixtures from their stored models and
lists every difference, ``export-cdd`` writes every cell as cddlib ``.ine``/``.ext``
files.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .common import PROG, _build, _complex_options, _Out, _progress, _sections_option, _spec, _wrote


def cmd_fixture(args: argparse.Namespace, out: _Out) -> int:
    from ..io.fixtures import write_fixture

    spec = _spec(args, out)
    sections = _sections_option(args.sections)
    copts = _complex_options(args)
    P, _ = _build(spec, args, out)
    path = Path(args.output)
    doc = write_fixture(spec, path, sections=sections, digits=args.digits, name=args.name,
                        complex_options=copts, partition=P, progress=_progress(args))
    out(f"{PROG}: fixture of {P.n_cells} cells, sections {', '.join(doc['sections'])}")
    _wrote(out, path)
    return 0


def cmd_check(args: argparse.Namespace, out: _Out) -> int:
    from ..io.fixture_load import check_fixture

    bad = 0
    for f in args.fixtures:
        r = check_fixture(f, progress=_progress(args))
        if r.ok:
            out(r.report())
        else:
            bad += 1
            print(r.report(limit=args.limit))  # the listing is the point, even with -q
    return 1 if bad else 0


def cmd_export_cdd(args: argparse.Namespace, out: _Out) -> int:
    from ..io.cddfiles import export_partition

    spec = _spec(args, out)
    P, _ = _build(spec, args, out)
    paths = export_partition(P, args.output_dir, force=args.force)
    out(f"{PROG}: wrote {len(paths)} files ({P.n_cells} cells as .ine/.ext, domain, index.json) to {args.output_dir}")
    return 0
