"""L3: partitions of a bounded domain induced by models.

Every builder returns a :class:`Partition` of a bounded, full-dimensional rational domain
into exact cells keyed by the model (sign vector, class, site, leaf, activation pattern).
"""

from .argmax import argmax_linear
from .arrangement import arrangement
from .crossing import CrossingPartition
from .executor import cell_geometry, map_cells
from .partition import Cell, CheckReport, ExactModel, Partition, SharedFace, as_domain
from .refine import refine
from .relu import ReLUNetwork, load_example, relu_network
from .relu_data import DataPartition
from .tree import decision_tree
from .voronoi import voronoi

__all__ = [
    "Partition",
    "Cell",
    "SharedFace",
    "CheckReport",
    "ExactModel",
    "as_domain",
    "arrangement",
    "argmax_linear",
    "voronoi",
    "decision_tree",
    "refine",
    "relu_network",
    "ReLUNetwork",
    "DataPartition",
    "CrossingPartition",
    "load_example",
    "map_cells",
    "cell_geometry",
]
