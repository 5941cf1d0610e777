"""``Partition.check()`` as a proof: it accepts exact tilings built by the oracle of
``tests/_exact_oracle.py`` (random axis-aligned and oblique trees, so T-junctions everywhere,
and the same tilings with one cell split by a random hyperplane) and rejects every
corruption of them: a dropped cell (a gap), a repeated cell (an overlap), and one inner
facet of one cell moved by a small rational (a thin gap or overlap next to a T-junction).
"""

from __future__ import annotations

import os
from fractions import Fraction

from _exact_oracle import OCell, affine_dim, box_rows, dot, facet_rows, tree_cells, vertices
from hypothesis import given, settings
from hypothesis import strategies as st

from exactgeom.partitions import Partition
from exactgeom.polytope.polytope import Polytope

F = Fraction
N_EXAMPLES = int(os.environ.get("ORACLE_EXAMPLES", "6"))
coef = st.sampled_from([-1, 0, 1, 2])
threshold = st.sampled_from([F(-1), F(-1, 2), F(0), F(1, 2), F(1)])


@st.composite
def trees(draw, n, depth):
    if depth == 0 or draw(st.integers(0, 3)) == 0:
        return {"leaf": draw(st.integers())}
    if draw(st.integers(0, 2)) == 0:
        split = {"weights": draw(st.lists(coef, min_size=n, max_size=n)), "threshold": draw(threshold)}
    else:
        split = {"feature": draw(st.integers(0, n - 1)), "threshold": draw(threshold)}
    return {**split, "left": draw(trees(n, depth - 1)), "right": draw(trees(n, depth - 1))}


def cut(A, b, n):
    V = vertices(A, b)
    if affine_dim(V) < n:
        return None
    return OCell(None, *facet_rows(A, b, V), V)


def build(D, cells):
    return Partition(D, [(i, Polytope.from_hrep(c.A, c.b)) for i, c in enumerate(cells)], family="test")


@settings(max_examples=max(2 * N_EXAMPLES, 10), deadline=None)
@given(st.integers(1, 3).flatmap(lambda n: st.tuples(st.just(n), trees(n, 4))), st.data())
def test_check_accepts_tilings_and_rejects_corruptions(nt, data):
    n, tree = nt
    dA, db = box_rows([(-1, 1)] * n)
    D = Polytope.from_hrep(dA, db)
    oc = tree_cells(tree, dA, db)
    assert build(D, oc).check(volumes=True).ok
    # a valid refinement: one cell split through its vertex mean by a random hyperplane
    k = data.draw(st.integers(0, len(oc) - 1))
    w = data.draw(st.lists(coef, min_size=n, max_size=n).filter(any))
    t = dot(w, oc[k].interior_point())
    halves = [cut([*oc[k].A, tuple(s * F(x) for x in w)], [*oc[k].b, s * t], n) for s in (1, -1)]
    if all(halves):
        assert build(D, [*oc[:k], *halves, *oc[k + 1 :]]).check().ok
    # corruptions
    if len(oc) > 1:
        j = data.draw(st.integers(0, len(oc) - 1))
        assert not build(D, oc[:j] + oc[j + 1 :]).check().ok
    j = data.draw(st.integers(0, len(oc) - 1))
    assert not build(D, [*oc, oc[j]]).check().ok
    C = oc[j]
    domain_rows = set(zip(dA, db))
    inner = [r for r in range(len(C.A)) if (tuple(C.A[r]), C.b[r]) not in domain_rows]
    if inner:
        r = data.draw(st.sampled_from(inner))
        delta = data.draw(st.sampled_from([F(1, 4), F(-1, 16), F(1, 10**9), F(-1, 10**12)]))
        b2 = list(C.b)
        b2[r] += delta
        moved = cut([*C.A, *dA], [*b2, *db], n)
        if moved is not None and moved.V != C.V:
            corrupted = build(D, [*oc[:j], moved, *oc[j + 1 :]])
            assert not corrupted.check().ok
            assert not corrupted.check(volumes=True).ok
