"""Backends of the polytope layer: ``cdd`` (the only module that imports pycddlib) and
``reference`` (a slow pure-Python oracle used by tests)."""
