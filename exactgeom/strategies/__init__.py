"""Public hypothesis strategies: random rational polytopes, models, partitions and
complexes, so users can test their own float code against exact ground truth.

Submodules (import the one you need; importing :mod:`exactgeom` never imports them):

* :mod:`exactgeom.strategies.polytopes` — ``rational_numbers``, ``rational_points``,
  ``rational_vectors``, ``rational_hreps``, ``rational_polytopes``;
* :mod:`exactgeom.strategies.partitions` — arrangements (degenerate on purpose: parallel,
  duplicate, concurrent hyperplanes), argmax-linear models, Voronoi sites, decision trees;
* :mod:`exactgeom.strategies.relu` — ``relu_networks`` (dead, duplicate and zero units
  included), ``data_points``;
* :mod:`exactgeom.strategies.models` — model specifications for every family (fixtures);
* :mod:`exactgeom.strategies.complex` — partitions and data for complexes;
* :mod:`exactgeom.strategies.curvature` — BSP partitions with T-junctions, walk graphs,
  abstract simplicial complexes.

Example
-------
>>> from hypothesis import given
>>> from exactgeom.strategies.polytopes import rational_polytopes
>>> @given(rational_polytopes(3, 8))
... def test_volume_methods_agree(P):
...     assert P.volume("triangulation") == P.volume("lasserre")
"""
