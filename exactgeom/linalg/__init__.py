"""L1: exact rational linear algebra (python-flint) and certified enclosures."""

from . import rational

__all__ = ["rational"]
