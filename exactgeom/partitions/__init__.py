"""L3: partitions of a bounded domain induced by models."""

from .arrangement import arrangement
from .partition import Cell, CheckReport, Partition, SharedFace, as_domain

__all__ = ["Partition", "Cell", "SharedFace", "CheckReport", "as_domain", "arrangement"]
