"""L6: exact ground-truth fixtures, model files and cddlib files.

* fixtures (``docs/fixtures.md``): :func:`write_fixture`, :func:`fixture_dict`,
  :func:`load_fixture` (exact objects back), :func:`check_fixture` (recompute and list
  every difference), :func:`validate_document` against the shipped JSON Schema;
* model files: :func:`read_model` (JSON for every family, ``.npz`` / ``.pt`` weights),
  :class:`ModelSpec`, :func:`spec_from_partition`, :func:`read_data`;
* cddlib ``.ine`` / ``.ext``: :func:`polytope_to_ine`, :func:`polytope_to_ext`,
  :func:`write_ine`, :func:`write_ext`, :func:`read_cdd`, :func:`ine_to_polytope`,
  :func:`ext_to_polytope`, :func:`export_partition`;
* the shipped corpus of named fixtures: :mod:`exactgeom.io.corpus`.

>>> from exactgeom import arrangement
>>> doc = fixture_dict(arrangement([[1, 1]], [0], [(-1, 1), (-1, 1)]), sections="cells,faces")
>>> doc["faces"][0]["volume"]
'2*sqrt(2)'
"""

from .canonical import canonical_json
from .cddfiles import (
    export_partition,
    ext_to_polytope,
    ine_to_polytope,
    polytope_to_ext,
    polytope_to_ine,
    read_cdd,
    write_ext,
    write_ine,
)
from .fixture_load import (
    Difference,
    Fixture,
    FixtureCell,
    FixtureCheck,
    FixtureFace,
    check_fixture,
    load_fixture,
    schema,
    validate_document,
)
from .fixtures import FORMAT, VERSION, fixture_dict, write_fixture
from .model_files import FAMILIES, ModelSpec, example_spec, read_model
from .model_objects import spec_from_partition
from .weights_files import read_data, read_weights

__all__ = [
    "FORMAT",
    "VERSION",
    "FAMILIES",
    "write_fixture",
    "fixture_dict",
    "load_fixture",
    "check_fixture",
    "validate_document",
    "schema",
    "canonical_json",
    "Fixture",
    "FixtureCell",
    "FixtureFace",
    "FixtureCheck",
    "Difference",
    "ModelSpec",
    "read_model",
    "example_spec",
    "spec_from_partition",
    "read_data",
    "read_weights",
    "polytope_to_ine",
    "polytope_to_ext",
    "write_ine",
    "write_ext",
    "read_cdd",
    "ine_to_polytope",
    "ext_to_polytope",
    "export_partition",
]
