"""L3: import fitted float models (scikit-learn, PyTorch) as exact partitions.

scikit-learn and torch are optional extras: this package imports them only when an
importer is called. Every importer needs an explicit float ``policy`` (``"exact"`` or
``"limit_denominator(N)"``) — a fitted model's parameters are floats — and records it in
the partition's provenance (``provenance["policy"]``) together with the model class
(``provenance["source"]``).

>>> from exactgeom.importers import from_sklearn, from_torch   # no sklearn/torch import yet
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..numbers.rational import PolicyLike

if TYPE_CHECKING:  # pragma: no cover
    from ..partitions.partition import Partition

__all__ = ["from_sklearn", "from_torch"]


def from_sklearn(model: Any, domain: Any, *, policy: PolicyLike | None = None, **options: Any) -> Partition:
    """Exact partition of a fitted scikit-learn model; see :func:`exactgeom.importers.sklearn.from_sklearn`."""
    from .sklearn import from_sklearn as impl

    return impl(model, domain, policy=policy, **options)


def from_torch(module: Any, domain: Any, *, policy: PolicyLike | None = None, **options: Any) -> Partition:
    """Exact partition of a PyTorch ReLU network; see :func:`exactgeom.importers.torch.from_torch`."""
    from .torch import from_torch as impl

    return impl(module, domain, policy=policy, **options)


def _restamp(P: Partition, *, family: str | None = None, model: Any = None, **provenance: Any) -> Partition:
    """``P.with_provenance`` with the family name recorded in the provenance too."""
    Q = P.with_provenance(family=family, model=model, **provenance)
    if family is not None:
        Q._provenance["family"] = family
    return Q
