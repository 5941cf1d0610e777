"""The generic Partition type on hand-made partitions: locate, adjacency, check()."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactgeom import DegenerateError, InvalidInputError, Partition, Polytope, arrangement
from exactgeom.partitions._adjacency import find_adjacency_fast
from exactgeom.partitions.partition import as_domain, find_adjacency
from exactgeom.partitions.refine import refine
from exactgeom.partitions.tree import decision_tree
from exactgeom.partitions.voronoi import voronoi
from exactgeom.strategies.partitions import arrangements, boxes, site_sets, trees

F = Fraction
D = Polytope.box([(0, 2), (0, 2)])


def box(*b):
    return Polytope.box(list(b))


class ConstModel:
    """Key = which quadrant of [0, 2]² (ties to the lower side)."""

    def key(self, x):
        return (int(x[0] > 1), int(x[1] > 1))

    def label(self, key):
        return sum(key)

    def output_affine(self, key):
        return None


QUADS = [((0, 0), box((0, 1), (0, 1))), ((0, 1), box((0, 1), (1, 2))), ((1, 0), box((1, 2), (0, 1))), ((1, 1), box((1, 2), (1, 2)))]


def test_grid_partition():
    P = Partition(D, QUADS, family="hand", model=ConstModel())
    rep = P.check(volumes=True)
    assert rep.ok and rep.volume_sum == 4 == rep.domain_volume
    assert P.check() is rep  # a report with volumes answers the cheaper question too
    assert [c.index for c in P.locate([F(1, 2), F(1, 2)])] == [0]
    assert [c.index for c in P.locate([1, F(1, 2)])] == [0, 2]  # on a shared edge: both cells
    assert [c.index for c in P.locate([1, 1])] == [0, 1, 2, 3]  # the common corner
    assert P.locate([3, 3]) == ()
    assert P.key_at([F(3, 2), F(1, 2)]) == (1, 0)
    assert P.label(3) == 2 and P.output_affine(3) is None
    adj = P.adjacency()
    assert [(f.i, f.j) for f in adj] == [(0, 1), (0, 2), (1, 3), (2, 3)]
    for f in adj:
        assert f.volume().to_fraction() == 1 and f.face.dim == 1
        assert sum(abs(x) for x in f.area_vector()) == 1
    assert P.neighbours(0) == (1, 2) and P.neighbours(3) == (1, 2)
    assert P.cell((1, 1)).index == 3
    with pytest.raises(InvalidInputError):
        P.cell((2, 2))


def test_t_junction_and_no_model():
    # a T-junction: the left half meets both right quarters
    cells = [("L", box((0, 1), (0, 2))), ("RB", box((1, 2), (0, 1))), ("RT", box((1, 2), (1, 2)))]
    P = Partition(D, cells, family="hand")
    assert P.check().ok
    assert [(f.i, f.j, f.volume().to_fraction()) for f in P.adjacency()] == [(0, 1, 1), (0, 2, 1), (1, 2, 1)]
    with pytest.raises(DegenerateError):
        P.key_at([F(1, 2), F(1, 2)])
    assert P.label(0) is None


BROKEN = [
    ("overlap", [("a", box((0, F(3, 2)), (0, 2))), ("b", box((1, 2), (0, 2)))], "overlapping"),
    ("gap", [("a", box((0, 1), (0, 2))), ("b", box((F(3, 2), 2), (0, 2)))], "covered by no cell"),
    ("t-junction gap", [("L", box((0, 1), (0, 2))), ("RB", box((1, 2), (0, 1)))], "covered by no cell"),
    ("leaves domain", [("a", box((0, 1), (0, 2))), ("b", box((1, 3), (0, 2)))], "leaves the domain"),
    ("duplicate keys", [("a", box((0, 1), (0, 2))), ("a", box((1, 2), (0, 2)))], "duplicate"),
    ("flat cell", [("a", box((0, 2), (0, 2))), ("b", box((1, 1), (0, 2)))], "full-dimensional"),
    ("overlap compensating gap", [("a", box((0, 1), (0, 1))), ("b", box((0, 1), (0, 1)).translate([F(1, 2), 0])),
                                   ("c", box((0, 2), (1, 2)))], "overlapping"),
]


@pytest.mark.parametrize("volumes", [False, True])
@pytest.mark.parametrize("what, cells, needle", BROKEN, ids=[b[0] for b in BROKEN])
def test_check_flags_broken_partitions(what, cells, needle, volumes):
    P = Partition(D, cells, family="broken")
    rep = P.check(volumes=volumes)
    assert not rep.ok
    if volumes and what == "overlap compensating gap":
        assert rep.volume_sum == rep.domain_volume  # only the overlap test can catch it
    if volumes and "gap" in what and what != "overlap compensating gap":
        assert any("sum to" in p for p in rep.problems), rep.problems  # the second witness agrees
    if not volumes:
        assert rep.volume_sum is None
    assert any(needle in p for p in rep.problems), rep.problems
    assert P.check(volumes=volumes) is rep  # a failed report is cached too (it is falsy)
    with pytest.raises(DegenerateError):
        P.check(raise_on_failure=True)


def test_check_flags_wrong_model_key():
    bad = [((1, 1), b) if k == (0, 0) else (k if k != (1, 1) else (0, 0), b) for k, b in QUADS]
    P = Partition(D, bad, family="broken", model=ConstModel())
    rep = P.check()
    assert not rep.ok and any("model key" in p for p in rep.problems)


@given(st.integers(1, 3).flatmap(lambda n: st.tuples(arrangements(n, max_hyperplanes=4 if n < 3 else 3), boxes(n))))
def test_fast_adjacency_equals_reference(args):
    (W, c), b = args
    P = arrangement(W, c, b)
    polys = [cl.polytope for cl in P.cells]
    slow, fast = find_adjacency(polys), find_adjacency_fast(polys)
    assert [(f.i, f.j, f.normal, f.offset, f.face) for f in slow] == [(f.i, f.j, f.normal, f.offset, f.face) for f in fast]
    assert [f.volume() for f in slow] == [f.volume() for f in fast]
    assert [set(f.face.facets) for f in slow] == [set(f.face.facets) for f in fast]
    assert [f.face.equalities for f in slow] == [f.face.equalities for f in fast]


@given(st.integers(1, 3).flatmap(lambda n: st.tuples(arrangements(n, max_hyperplanes=4 if n < 3 else 3), boxes(n))))
def test_fast_adjacency_builds_whole_facet_faces_on_first_use(args):
    """Face-to-face pairs keep their face polytope unbuilt: the volume and area vector
    come from the cell's facet volume before any face exists, and equal the reference's;
    the face built later is the reference face; a pickled face is a plain SharedFace."""
    import pickle

    from exactgeom.partitions.partition import SharedFace

    (W, c), b = args
    P = arrangement(W, c, b)
    polys = [cl.polytope for cl in P.cells]
    fast = find_adjacency_fast(polys)
    assert all("face" not in f.__dict__ for f in fast)  # nothing built yet
    slow = find_adjacency(polys)
    assert [(f.volume(), f.area_vector()) for f in fast] == [(f.volume(), f.area_vector()) for f in slow]
    assert all("face" not in f.__dict__ for f in fast)  # the volumes needed no face
    assert [f.face for f in fast] == [f.face for f in slow]
    assert [f.face.relative_volume() for f in fast] == [f.volume() for f in slow]
    for f in fast:
        g = pickle.loads(pickle.dumps(f))
        assert type(g) is SharedFace and (g.i, g.j, g.normal, g.offset, g.face) == (f.i, f.j, f.normal, f.offset, f.face)


@given(st.integers(1, 3).flatmap(lambda n: st.tuples(trees(n, max_depth=3), site_sets(n, max_sites=3), boxes(n))))
def test_fast_adjacency_with_t_junctions(args):
    """Trees and their refinements have T-junctions: faces that are not whole facets."""
    tree, S, b = args
    P = refine(decision_tree(tree, b), voronoi(S, b))
    for part in (P, decision_tree(tree, b)):
        polys = [cl.polytope for cl in part.cells]
        slow, fast = find_adjacency(polys), find_adjacency_fast(polys)
        assert [(f.i, f.j, f.normal, f.offset, f.face) for f in slow] == [(f.i, f.j, f.normal, f.offset, f.face) for f in fast]
        assert [set(f.face.facets) for f in slow] == [set(f.face.facets) for f in fast]


def test_fast_adjacency_voronoi_3d():
    rng = random.Random(5)
    S = [[F(rng.randint(-20, 20), 3) for _ in range(3)] for _ in range(12)]
    polys = [c.polytope for c in voronoi(S, [(-7, 7)] * 3).cells]
    slow, fast = find_adjacency(polys), find_adjacency_fast(polys)
    assert [(f.i, f.j, f.face) for f in slow] == [(f.i, f.j, f.face) for f in fast]
    assert find_adjacency_fast([]) == []


def test_as_domain():
    assert as_domain([(0, 1)]).volume() == 1
    T = Polytope.from_vrep([[0, 0], [1, 0], [0, 1]])
    assert as_domain(T) is T
    for bad, exc in [([], InvalidInputError), ([(0, 1, 2)], InvalidInputError), (5, InvalidInputError),
                     ([(0, 0)], DegenerateError), (Polytope.from_vrep([[0, 0], [1, 1]]), DegenerateError),
                     (Polytope.from_hrep([[1, 0]], [0]), DegenerateError), (Polytope.empty(2), DegenerateError)]:
        with pytest.raises(exc):
            as_domain(bad)


def test_facet_balance_needs_disjoint_pieces():
    """On the line y = 1 the facet lengths balance (below: [0,2], [1,3]; above: [-1,2],
    [2,3]; each facet's pieces across the line sum to its own length: 2 = 2, 2 = 1 + 1,
    3 = 2 + 1, 1 = 1) and the areas sum to the domain's (2 + 2 + 3 + 1 = 8), yet the two
    lower cells overlap: only the disjointness of the pieces inside [-1,2] catches it."""
    from exactgeom.partitions._check import _pieces_balance

    Dx = box((-1, 3), (0, 2))
    cells = [("A1", box((0, 2), (0, 1))), ("A2", box((1, 3), (0, 1))), ("B1", box((-1, 2), (1, 2))), ("B2", box((2, 3), (1, 2)))]
    P = Partition(Dx, cells, family="broken")
    polys = [c.polytope for c in P.cells]

    def facet(ci, normal):
        return ci, next(i for i, h in enumerate(polys[ci].facets) if h.normal == normal)

    assert sum(c.volume() for c in P.cells) == Dx.volume()
    assert not _pieces_balance(polys, (0, 1), [facet(0, (0, 1)), facet(1, (0, 1))], [facet(2, (0, -1)), facet(3, (0, -1))])
    # the honest split of the same line balances
    good = [box((-1, 1), (0, 1)), box((1, 3), (0, 1)), box((-1, 2), (1, 2)), box((2, 3), (1, 2))]
    assert _pieces_balance(good, (0, 1), [(0, facet(0, (0, 1))[1]), (1, facet(1, (0, 1))[1])],
                           [(2, facet(2, (0, -1))[1]), (3, facet(3, (0, -1))[1])])
    rep = P.check(volumes=True)
    assert not rep.ok and rep.volume_sum == rep.domain_volume
    assert any("cells 0 and 1 have overlapping" in p for p in rep.problems), rep.problems


def _reference_ok(P):
    """The old check: pairwise separation / exact intersection, and the volume sum."""
    from exactgeom.partitions._check import _overlapping_pairs

    polys = [c.polytope for c in P.cells]
    return not _overlapping_pairs(polys) and sum(c.volume() for c in P.cells) == P.domain.volume()


@given(st.integers(1, 3).flatmap(lambda n: st.tuples(trees(n, max_depth=3), site_sets(n, max_sites=3), boxes(n))),
       st.integers(0, 10**6))
def test_check_agrees_with_pairwise_reference(args, seed):
    """Facet balance (check) vs the pairwise reference on valid partitions with and
    without T-junctions, and on broken copies: one cell dropped, one cell translated,
    one cell duplicated."""
    tree, S, b = args
    rng = random.Random(seed)
    for part in (decision_tree(tree, b), refine(decision_tree(tree, b), voronoi(S, b))):
        assert part.check().ok and part.check(volumes=True).ok and _reference_ok(part)
        cells = [(c.key, c.polytope) for c in part.cells]
        if len(cells) < 2:
            continue
        k = rng.randrange(len(cells))
        shift = [F(rng.choice([-1, 1]), rng.choice([3, 7])) * (b[j][1] - b[j][0]) for j in range(len(b))]
        variants = [
            cells[:k] + cells[k + 1 :],
            cells[:k] + [(cells[k][0], cells[k][1].translate(shift))] + cells[k + 1 :],
            cells + [(("dup",), cells[k][1])],
        ]
        for cs in variants:
            Q = Partition(part.domain, cs, family="broken")
            assert not Q.check().ok and not Q.check(volumes=True).ok
            assert not _reference_ok(Q) or any("leaves" in p for p in Q.check().problems)


@settings(max_examples=15, deadline=None)
@given(st.integers(4, 5).flatmap(lambda n: st.tuples(trees(n, max_depth=4), boxes(n))), st.integers(0, 10**6))
def test_check_of_trees_in_four_and_five_dimensions(args, seed):
    """Many T-junction pieces per split plane (skipped pairwise by their boxes when they
    lie on opposite sides of a coordinate slab): valid trees pass, a translated or
    duplicated cell fails, in agreement with the pairwise reference."""
    tree, b = args
    part = decision_tree(tree, b)
    assert part.check().ok and _reference_ok(part)
    cells = [(c.key, c.polytope) for c in part.cells]
    if len(cells) < 2:
        return
    rng = random.Random(seed)
    k = rng.randrange(len(cells))
    shift = [F(rng.choice([-1, 1]), rng.choice([3, 7])) * (b[j][1] - b[j][0]) for j in range(len(b))]
    for cs in (cells[:k] + [(cells[k][0], cells[k][1].translate(shift))] + cells[k + 1 :],
               cells + [(("dup",), cells[k][1])]):
        Q = Partition(part.domain, cs, family="broken")
        assert not Q.check().ok
        assert not _reference_ok(Q) or any("leaves" in p for p in Q.check().problems)


@pytest.mark.parametrize("bad", ["yes", 1, None])
def test_check_volumes_option_must_be_a_bool(bad):
    P = Partition(D, QUADS, family="hand")
    with pytest.raises(InvalidInputError, match="volumes must be True or False"):
        P.check(volumes=bad)
