"""Closed-form measures of the box cells of axis-aligned trees (BoxTreePartition): equal
to the vertex route on small trees, and to hand closed forms in R^10."""

from __future__ import annotations

import pickle
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactgeom import InvalidInputError, Polytope
from exactgeom.complex import RiemannianComplex
from exactgeom.partitions.tree import BoxTreePartition, decision_tree
from exactgeom.polytope.boxes import box_bounds, store_box_measures, store_face_volume
from exactgeom.strategies.partitions import boxes, trees

F = Fraction


def _facet_key(P, i):
    h = P.facets[i]
    return (h.normal, h.offset)


@settings(max_examples=30, deadline=None)
@given(st.integers(2, 5).flatmap(lambda n: st.tuples(trees(n, max_depth=3, oblique=False), boxes(n))))
def test_box_measures_equal_the_vertex_route(args):
    """Volumes, centroids, facet volumes, dihedral angles, shared-face volumes and area
    vectors, and the complex's measures: the stored closed forms equal the vertex route
    of the same cells (built by engine="vertices", and the algorithms run explicitly)."""
    tree, box = args
    L = decision_tree(tree, box, engine="lp")
    V = decision_tree(tree, box, engine="vertices")
    assert isinstance(L, BoxTreePartition) and not isinstance(V, BoxTreePartition)
    for a, b in zip(L.cells, V.cells):
        P, Q = a.polytope, b.polytope
        assert "_volume_any" in P.__dict__ and "_volume_any" not in Q.__dict__  # stored, not computed
        assert P.volume() == Q.volume() == P.volume(method="triangulation")
        assert P.centroid() == Q.centroid() == P.centroid(method="triangulation")
        fq = {_facet_key(Q, i): Q.facet_volume(i) for i in range(Q.n_facets)}
        assert {_facet_key(P, i): P.facet_volume(i) for i in range(P.n_facets)} == fq
        q_of = [Q.facets.index(h) for h in P.facets]  # the two builders order the facets differently
        assert all(P.facet_area_vector(i) == Q.facet_area_vector(q_of[i]) for i in range(P.n_facets))
        ridges = {tuple(sorted((q_of[i], q_of[j]))) for i, j in P.dihedral_angles()}
        assert ridges == set(Q._ridges)  # the face lattice's ridges
        assert all(a == Q.dihedral_angle(q_of[i], q_of[j]) for (i, j), a in P.dihedral_angles().items())
    vf = {(f.i, f.j): f for f in V.adjacency()}
    for f in L.adjacency():
        g = vf[f.i, f.j]
        assert f.volume() == g.volume() == g.face.relative_volume()
        assert f.area_vector() == g.area_vector()
        assert f.face.relative_volume() == g.volume()
    KL = RiemannianComplex.from_partition(L)
    KV = RiemannianComplex.from_partition(V)
    assert KL.f_vector() == KV.f_vector()
    assert all(KL.measure(p) == KV.measure(p) for p in range(len(KL.f_vector())))


def test_closed_forms_in_r10():
    """A split of [-1, 1]^10 at x_0 = 0 and then x_1 = 1/2 on the right: cell volumes sum
    to 2^10, the facets are boxes of known area, the shared faces (one a T-junction of
    the left cell's facet) have the overlap's area; no cell enumerates a triangulation."""
    t = {"feature": 0, "threshold": 0, "left": {"leaf": "a"},
         "right": {"feature": 1, "threshold": "1/2", "left": {"leaf": "b"}, "right": {"leaf": "c"}}}
    P = decision_tree(t, [(-1, 1)] * 10)
    assert isinstance(P, BoxTreePartition)
    vols = [c.volume() for c in P.cells]
    assert vols == [512, 384, 128] and sum(vols) == P.domain.volume() == 1024
    assert P.cells[1].centroid() == (F(1, 2), F(-1, 4)) + (0,) * 8
    a = P.cells[0].polytope
    # facets of a = [-1, 0] x [-1, 1]^9: normal to x_0 the area is 2^9, else 1 * 2^8
    assert sorted(a.facet_volume(i) for i in range(a.n_facets)) == [256] * 18 + [512] * 2
    faces = {(f.i, f.j): f.volume() for f in P.adjacency()}
    assert faces == {(0, 1): F(3, 2) * 2**8, (0, 2): F(1, 2) * 2**8, (1, 2): 2**8}
    assert all(c.polytope.dihedral_angle(i, j).exact_pi_multiple() == F(1, 2)
               for c in P.cells for i, j in c.polytope.dihedral_angles())
    assert all("_tri_memo" not in c.polytope.__dict__ for c in P.cells)
    K = RiemannianComplex.from_partition(P)
    assert K.measure(0) == (512, 384, 128) and K.measure(1) == (384, 128, 256)


def test_stored_measures_are_caches():
    """Pickling drops the stored closed forms (the vertex route then gives the same values);
    a polytope that is not the named box is refused."""
    B = Polytope.box([(0, 1), (0, 2), (0, 3)])
    store_box_measures(B, (0, 0, 0), (1, 2, 3))
    C = pickle.loads(pickle.dumps(B))
    assert "_volume_any" not in C.__dict__ and C.volume() == B.volume() == 6
    assert [C.facet_volume(i) for i in range(6)] == [B.facet_volume(i) for i in range(6)]
    with pytest.raises(InvalidInputError, match="not the box"):
        store_box_measures(B, (0, 0, 0), (1, 2, 4))
    with pytest.raises(InvalidInputError, match="not the box"):
        store_box_measures(Polytope.from_vrep([[0, 0], [1, 0], [0, 1]]), (0, 0), (1, 1))
    assert box_bounds(Polytope.from_hrep([[1, 0], [-1, 0]], [1, 0], ambient_dim=2)) is None  # unbounded slab
    seg = Polytope.from_vrep([[0, 0], [0, 3]])
    store_face_volume(seg, F(3))
    assert seg.relative_volume() == 3 == Polytope.from_vrep([[0, 0], [0, 3]]).relative_volume()
