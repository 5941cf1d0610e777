"""``python -m exactgeom``: the exactgeom command line (see :mod:`exactgeom.cli`)."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
