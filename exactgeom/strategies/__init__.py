"""Public hypothesis strategies: random rational polytopes, models and complexes, so
users can test their own float code against exact ground truth.

Submodules (imported lazily so that importing exactgeom never needs hypothesis at
runtime for anything else): ``polytopes``, ``partitions``, ``relu``, ``complex``.

>>> from exactgeom.strategies import polytopes  # doctest: +SKIP
"""
