"""Angle defects (exact flatness of partitions), exact angle sums, vertex curvature."""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

import pytest
from _curvature_helpers import complex_of
from hypothesis import given, settings
from hypothesis import strategies as st

from exactgeom import arrangement
from exactgeom.analysis import rotation
from exactgeom.analysis.curvature import (
    AngleDefect,
    angle_defects,
    defect_table,
    gauss_bonnet_total,
    vertex_curvature,
)
from exactgeom.analysis.rotation import AngleSum, total_is_multiple_of_2pi
from exactgeom.errors import InvalidInputError, UndecidedError
from exactgeom.linalg.rational import det, rank, solve
from exactgeom.numbers import Angle, Surd
from exactgeom.partitions.partition import Partition
from exactgeom.partitions.relu import relu_network
from exactgeom.polytope.polytope import Polytope
from exactgeom.strategies.curvature import AbstractComplex, abstract_complexes, bsp_partitions
from exactgeom.strategies.models import relu_nets
from exactgeom.strategies.partitions import arrangements

F = Fraction


# ---------------------------------------------------------------------- exact angle sums
def test_triangle_angles_sum_to_pi_exactly():
    rng = random.Random(7)
    for _ in range(20):
        pts = [[F(rng.randint(-9, 9), rng.randint(1, 4)) for _ in range(2)] for _ in range(3)]
        T = Polytope.from_vrep(pts)
        if T.dim < 2:
            continue
        angles = list(T.dihedral_angles().values())
        s = AngleSum(angles)
        assert s.pi_multiple() == 1
        assert not s.is_multiple_of_2pi()
        assert abs(float(s.radians(20).mid) - 3.141592653589793) < 1e-14


def test_supplementary_pairs_and_quadrilaterals():
    rng = random.Random(3)
    for _ in range(10):
        q = F(rng.randint(-30, 30), 31)
        d = rng.choice([1, 2, 3])
        a = Angle(Surd(q / 2, d))  # |q/2·√d| < 1
        assert AngleSum([a, a.supplement()]).pi_multiple() == 1
        assert total_is_multiple_of_2pi([a, a.supplement(), a, a.supplement()]) == 1
    # a convex quadrilateral's angles sum to 2π
    Q = Polytope.from_vrep([[0, 0], [5, 1], [4, 3], [F(1, 2), 2]])
    assert total_is_multiple_of_2pi(list(Q.dihedral_angles().values())) == 1


def test_nonmultiple_sums_are_refused():
    a = Angle(F(1, 3))
    assert total_is_multiple_of_2pi([a, a, a]) is None
    s = AngleSum([a, Angle(F(-1, 3))])
    assert s.pi_multiple() == 1  # θ + (π − θ)
    assert AngleSum([Angle(0)] * 8).winding() == 2


def test_rotation_term_cap_raises_undecided(monkeypatch):
    monkeypatch.setattr(rotation, "MAX_TERMS", 2)
    angles = [Angle(Surd(1, d) / 3) for d in (2, 3, 5, 7)]
    with pytest.raises(UndecidedError):
        AngleSum(angles).rotation()


# ---------------------------------------------------------------------- defects
def _all_zero(P: Partition) -> tuple[AngleDefect, ...]:
    """Every defect is 0 by both witnesses: the proved tiling (the default) and the
    exact rotation product of the angles (an independent computation)."""
    assert P.check().ok
    ds = angle_defects(P)
    for d in ds:
        assert d.zero_by_tiling
        assert d.is_zero(), (d, [(a.cell, a.kind, str(a.angle)) for a in d.angles])
        assert d.is_zero(witness="rotation"), (d, [(a.cell, a.kind, str(a.angle)) for a in d.angles])
        assert d.pi_multiple() == 0
        assert AngleDefect(d.piece_vertices, d.angles).pi_multiple() == 0  # from the rotation alone
        assert d.piece.dim == P.ambient_dim - 2
    return ds


@given(arrangements(n=2, max_hyperplanes=5))
def test_arrangement_defects_vanish_2d(wc):
    P = arrangement(wc[0], wc[1], [(-2, 2), (-2, 2)])
    _all_zero(P)


@settings(deadline=None)
@given(arrangements(n=3, max_hyperplanes=4))
def test_arrangement_defects_vanish_3d(wc):
    P = arrangement(wc[0], wc[1], [(-2, 2)] * 3)
    _all_zero(P)


@given(bsp_partitions(n=2, max_cuts=5))
def test_bsp_defects_vanish_2d(P):
    _all_zero(P)


@given(bsp_partitions(n=3, max_cuts=3))
def test_bsp_defects_vanish_3d(P):
    _all_zero(P)


@given(relu_nets(n=2, max_width=3, max_hidden=2))
def test_relu_defects_vanish(wb):
    P = relu_network(wb[0], wb[1], [(-2, 2), (-2, 2)])
    _all_zero(P)


@pytest.mark.parametrize("sizes,seed", [([3, 5, 4, 1], 1), ([3, 6, 6, 1], 2), ([2, 8, 8, 1], 3), ([4, 3, 2, 1], 4)])
def test_tiling_and_rotation_witnesses_agree_on_relu_nets(sizes, seed):
    """On ReLU nets (T-junctions in 3-D and 4-D, many pieces) the tiling shortcut and the
    rotation product decide every defect the same way, with the same pieces and angles."""
    rng = random.Random(seed)
    W = [[[F(rng.randint(-9, 9), rng.randint(1, 6)) for _ in range(a)] for _ in range(b)]
         for a, b in itertools.pairwise(sizes)]
    b = [[F(rng.randint(-5, 5), rng.randint(1, 7)) for _ in range(m)] for m in sizes[1:]]
    P = relu_network(W, b, [(-2, 2)] * sizes[0])
    fast = angle_defects(P)
    slow = angle_defects(P, zero_test="rotation")
    assert fast and [d.piece_vertices for d in fast] == [d.piece_vertices for d in slow]
    assert [[(a.cell, a.angle, a.facets) for a in d.angles] for d in fast] == [
        [(a.cell, a.angle, a.facets) for a in d.angles] for d in slow
    ]
    assert all(d.zero_by_tiling for d in fast) and not any(d.zero_by_tiling for d in slow)
    for d, e in zip(fast, slow):
        assert d.is_zero() is e.is_zero() is True
        assert d.pi_multiple() == e.pi_multiple() == 0
        assert d.radians(12) == e.radians(12)


def test_data_cells_claim_no_tiling_and_use_the_rotation_product():
    """The data cells of mode="data" pass their check but do not cover the domain: no
    tiling is claimed, and their defects (non-zero next to the missing cells) come from
    the rotation product."""
    W = [[[1, F(1, 2)], [F(-1, 2), 1], [1, -1]], [[1, -1, F(1, 2)], [-1, F(1, 2), 1]], [[1, -1]]]
    b = [[F(1, 4), 0, F(-1, 3)], [0, F(1, 5)], [0]]
    data = [[F(-3, 4), F(-3, 4)], [F(-1, 2), F(1, 2)], [F(1, 2), F(1, 2)], [F(3, 4), F(-1, 2)], [0, 0]]
    Pd = relu_network(W, b, [(-1, 1), (-1, 1)], mode="data", data=data)
    full = relu_network(W, b, [(-1, 1), (-1, 1)])
    assert Pd.check().ok and not Pd.check().tiling and full.check().tiling
    assert Pd.n_cells < full.n_cells
    ds = angle_defects(Pd)
    assert ds and not any(d.zero_by_tiling for d in ds)
    assert not all(d.is_zero() for d in ds)
    assert [d.is_zero() for d in ds] == [d.is_zero(witness="rotation") for d in ds]


def test_failed_check_falls_back_to_the_rotation_product():
    P = arrangement([[1, 0], [0, 1], [1, 1]], [0, 0, F(1, 2)], [(-2, 2), (-2, 2)])
    holey = Partition(P.domain, [(c.key, c.polytope) for c in P.cells][1:], family="holey")
    assert not holey.check().ok and not holey.check().tiling and not holey.check(volumes=True).tiling
    ds = angle_defects(holey)
    assert not any(d.zero_by_tiling for d in ds)
    assert [d.is_zero() for d in ds] == [d.is_zero(witness="rotation") for d in ds]
    assert not all(d.is_zero() for d in ds)


def test_interior_vertices_match_line_intersections():
    """General-position lines: the pieces are exactly the crossing points inside D."""
    rng = random.Random(11)
    for _ in range(3):
        W = [[rng.randint(-5, 5) for _ in range(2)] for _ in range(6)]
        c = [F(rng.randint(-5, 5), rng.randint(1, 5)) for _ in range(6)]
        pts = set()
        for i, j in itertools.combinations(range(6), 2):
            if det([W[i], W[j]]) != 0:
                p = solve([W[i], W[j]], [c[i], c[j]])
                if all(-3 < x < 3 for x in p):
                    pts.add(p)
        ds = angle_defects(arrangement(W, c, [(-3, 3), (-3, 3)]))
        assert sorted(d.piece.vertices[0] for d in ds) == sorted(pts)
        # a crossing of two lines in general position has four cells around it
        assert all(len(d.angles) == 4 for d in ds)


def test_interior_edges_match_plane_pairs_3d():
    """Planes in general position: each line P_i ∩ P_j meets the open box in a segment,
    cut by the other planes into (#crossings + 1) pieces."""
    rng = random.Random(5)
    W = [[rng.randint(-4, 4) for _ in range(3)] for _ in range(4)]
    c = [F(rng.randint(-3, 3), rng.randint(1, 3)) for _ in range(4)]
    lo, hi = F(-2), F(2)
    expected = 0
    for i, j in itertools.combinations(range(4), 2):
        if rank([W[i], W[j]]) < 2:
            continue
        # parametrise the line and clip it to the open box
        E = [tuple(F(x) for x in W[i]), tuple(F(x) for x in W[j])]
        d = tuple(F(x) for x in (
            W[i][1] * W[j][2] - W[i][2] * W[j][1],
            W[i][2] * W[j][0] - W[i][0] * W[j][2],
            W[i][0] * W[j][1] - W[i][1] * W[j][0],
        ))
        k = next(t for t in range(3) if d[t] != 0)
        cols = [t for t in range(3) if t != k]
        p0 = [F(0)] * 3
        sol = solve([[e[t] for t in cols] for e in E], [c[i], c[j]])
        for t, v in zip(cols, sol):
            p0[t] = v
        tmin, tmax = None, None
        for t in range(3):
            if d[t] == 0:
                if not lo < p0[t] < hi:
                    tmin = tmax = F(0)
                    break
                continue
            a, b = sorted(((lo - p0[t]) / d[t], (hi - p0[t]) / d[t]))
            tmin = a if tmin is None else max(tmin, a)
            tmax = b if tmax is None else min(tmax, b)
        if tmin is None or tmin >= tmax:
            continue
        cuts = set()
        for m in range(4):
            if m in (i, j):
                continue
            den = sum(F(W[m][t]) * d[t] for t in range(3))
            if den == 0:
                continue
            t = (c[m] - sum(F(W[m][s]) * p0[s] for s in range(3))) / den
            if tmin < t < tmax:
                cuts.add(t)
        expected += len(cuts) + 1
    ds = _all_zero(arrangement(W, c, [(lo, hi)] * 3))
    assert len(ds) == expected


def test_four_dimensional_arrangement_is_flat():
    P = arrangement([[1, 0, 0, 1], [0, 1, 1, 0], [1, -1, 0, 2]], [0, F(1, 2), 0], [(-1, 1)] * 4)
    ds = _all_zero(P)
    assert len(ds) >= 3


def test_t_junction_contributes_pi_2d_and_3d():
    D2 = Polytope.box([(-1, 1), (-1, 1)])
    cells = [
        ("L", Polytope.box([(-1, 0), (-1, 1)])),
        ("RB", Polytope.box([(0, 1), (-1, 0)])),
        ("RT", Polytope.box([(0, 1), (0, 1)])),
    ]
    (d,) = _all_zero(Partition(D2, cells, family="t"))
    assert [a.kind for a in d.angles] == ["facet", "ridge", "ridge"]
    D3 = Polytope.box([(-1, 1)] * 3)
    cells3 = [
        ("L", Polytope.box([(-1, 0), (-1, 1), (-1, 1)])),
        ("RB", Polytope.box([(0, 1), (-1, 0), (-1, 1)])),
        ("RT", Polytope.box([(0, 1), (0, 1), (-1, 1)])),
    ]
    (e,) = _all_zero(Partition(D3, cells3, family="t"))
    assert e.piece.vertices == ((0, 0, -1), (0, 0, 1))
    assert [a.kind for a in e.angles] == ["facet", "ridge", "ridge"]


def test_staggered_3d_t_junctions_split_the_line():
    """Along x = y = 0 the cells change halfway: two pieces, each with 3 cells."""
    D = Polytope.box([(-1, 1)] * 3)
    cells = [
        ("A", Polytope.box([(-1, 0), (-1, 1), (-1, 1)])),
        ("B", Polytope.box([(0, 1), (-1, 0), (-1, 0)])),
        ("C", Polytope.box([(0, 1), (0, 1), (-1, 0)])),
        ("D", Polytope.box([(0, 1), (-1, 1), (0, 1)])),
    ]
    P = Partition(D, cells, family="t")
    assert P.check().ok
    ds = _all_zero(P)
    line = [d for d in ds if all(v[0] == 0 and v[1] == 0 for v in d.piece.vertices)]
    assert sorted(d.piece.vertices for d in line) == [((0, 0, -1), (0, 0, 0))]
    # (0, 0, z > 0) lies in facets of A and D only: no piece there.  The other pieces:
    # y = z = 0 (B, C ridges, D facet); x = z = 0 split at y = 0 (A facet, D ridge, B or C)
    got = {(d.piece.vertices, d.cells) for d in ds}
    assert got == {
        (((0, 0, -1), (0, 0, 0)), (0, 1, 2)),
        (((0, 0, 0), (1, 0, 0)), (1, 2, 3)),
        (((0, -1, 0), (0, 0, 0)), (0, 1, 3)),
        (((0, 0, 0), (0, 1, 0)), (0, 2, 3)),
    }


def test_missing_cell_gives_nonzero_defects():
    P = arrangement([[1, 0], [0, 1], [1, 1]], [0, 0, F(1, 2)], [(-2, 2), (-2, 2)])
    cells = [(c.key, c.polytope) for c in P.cells]
    holey = Partition(P.domain, cells[1:], family="holey")
    ds = angle_defects(holey)
    bad = [d for d in ds if not d.is_zero()]
    assert bad
    removed = cells[0][1]
    for d in bad:
        assert all(removed.contains(v) for v in d.piece.vertices)
        assert d.pi_multiple() is None or d.pi_multiple() > 0
        assert d.radians(10).lo > 0


def test_three_right_angles_have_defect_half_pi():
    D2 = Polytope.box([(-1, 1), (-1, 1)])
    cells = [
        ("a", Polytope.box([(-1, 0), (-1, 0)])),
        ("b", Polytope.box([(0, 1), (-1, 0)])),
        ("c", Polytope.box([(0, 1), (0, 1)])),
    ]
    (d,) = angle_defects(Partition(D2, cells, family="l"))
    assert not d.is_zero()
    assert d.pi_multiple() == F(1, 2)
    c, s = d.rotation()
    assert c == 0 and s == 1
    row = defect_table([d])[0]
    assert row["is_zero"] is False and abs(row["radians_float"] - 1.5707963267948966) < 1e-12


def test_degenerate_partitions():
    D = Polytope.box([(0, 1)])
    assert angle_defects(Partition(D, [("x", D)], family="one")) == ()
    P = arrangement([[1, 0]], [0], [(-1, 1), (-1, 1)])
    assert angle_defects(P) == ()  # a single line: no interior vertex


@pytest.mark.parametrize(
    "call",
    [
        lambda: angle_defects("not a partition"),
        lambda: angle_defects(Polytope.box([(0, 1)])),
        lambda: angle_defects(arrangement([[1, 1]], [0], [(-1, 1), (-1, 1)]), zero_test="bogus"),
        lambda: AngleDefect([[0, 0]], (), tiling="yes"),
        lambda: AngleDefect([[0, 0]], ()).is_zero(witness="bogus"),
        lambda: AngleSum([1, 2]),
        lambda: vertex_curvature(object()),
        lambda: vertex_curvature(AbstractComplex([(0, 1)]), variant="bogus"),
        lambda: vertex_curvature(AbstractComplex([(0, 1)]), variant="weighted", weights="bogus"),
        lambda: vertex_curvature(AbstractComplex([(0, 1)]), variant="weighted", weights=[1]),
        lambda: vertex_curvature(AbstractComplex([(0, 1)]), variant="weighted", weights=[1, -1]),
        lambda: vertex_curvature(AbstractComplex([(0, 1)]), weights=[1, 2]),  # combinatorial: weights unused
        lambda: vertex_curvature(AbstractComplex([(0, 1)]), variant="weighted", ricci={(0, 1): 1}),
        lambda: vertex_curvature(AbstractComplex([(0, 1)]), variant="combinatorial", alpha=F(1, 2)),
    ],
)
def test_invalid_inputs(call):
    with pytest.raises(InvalidInputError):
        call()


def test_vertex_curvature_of_a_partition_names_the_complex_to_build():
    P = arrangement([[1, 0]], [0], [(-1, 1), (-1, 1)])
    with pytest.raises(InvalidInputError, match=r"RiemannianComplex\.from_partition"):
        vertex_curvature(P)
    with pytest.raises(InvalidInputError) as info:  # no partition hint for a non-partition
        vertex_curvature(object())
    assert "from_partition" not in str(info.value)


# ---------------------------------------------------------------------- vertex curvature
def _chi_by_ranks(K: AbstractComplex) -> int:
    """χ = Σ (−1)^p β_p with β_p from boundary-matrix ranks (independent of the counts
    the curvature sums)."""
    chi = 0
    top = K.dim
    ranks = {}
    for p in range(1, top + 1):
        rows = K.simplices(p - 1)
        idx = {s: i for i, s in enumerate(rows)}
        M = []
        for s in K.simplices(p):
            col = [F(0)] * len(rows)
            for k in range(len(s)):
                col[idx[s[:k] + s[k + 1 :]]] = F((-1) ** k)
            M.append(col)
        ranks[p] = rank(M, len(rows)) if M else 0
    for p in range(top + 1):
        beta = len(K.simplices(p)) - ranks.get(p, 0) - ranks.get(p + 1, 0)
        chi += (-1) ** p * beta
    return chi


@given(abstract_complexes())
def test_gauss_bonnet_on_abstract_complexes(K):
    chi = _chi_by_ranks(K)
    assert sum(vertex_curvature(K), F(0)) == chi
    total, chi2 = gauss_bonnet_total(K)
    assert total == chi == chi2
    w = [F(v % 3) for v in range(len(K.simplices(0)))]
    assert sum(vertex_curvature(K, variant="weighted", weights=w), F(0)) == chi


@settings(deadline=None)
@given(arrangements(n=2, max_hyperplanes=4), st.sampled_from(["facet", "nerve"]))
def test_gauss_bonnet_on_partition_complexes(wc, convention):
    P = arrangement(wc[0], wc[1], [(-2, 2), (-2, 2)])
    K = complex_of(P, convention)
    kappa = vertex_curvature(K)
    assert len(kappa) == P.n_cells
    chi = K.euler_characteristic() if hasattr(K, "euler_characteristic") else gauss_bonnet_total(K)[1]
    assert sum(kappa, F(0)) == chi
    assert sum(vertex_curvature(K, variant="weighted", weights="volume"), F(0)) == chi


def test_vertex_curvature_closed_forms():
    # the 4-cycle of two crossing lines: each vertex in 2 edges: 1 − 2/2 = 0
    P = arrangement([[1, 0], [0, 1]], [0, 0], [(-1, 1), (-1, 1)])
    assert vertex_curvature(complex_of(P)) == (0, 0, 0, 0)
    # a path of three strips: ends 1/2, middle 0; χ = 1
    S = arrangement([[1, 0], [1, 0]], [F(-1, 3), F(1, 3)], [(-1, 1), (0, 1)])
    assert vertex_curvature(complex_of(S)) == (F(1, 2), 0, F(1, 2))
    # the boundary of a tetrahedron (a 2-sphere): 1 − 3/2 + 3/3 = 1/2 per vertex, χ = 2
    sphere = AbstractComplex(list(itertools.combinations(range(4), 3)))
    assert vertex_curvature(sphere) == (F(1, 2),) * 4


def test_ricci_sum_variant():
    S = arrangement([[1, 0], [1, 0]], [F(-1, 3), F(1, 3)], [(-1, 1), (0, 1)])
    K = complex_of(S)
    ric = {(0, 1): F(1, 2), (1, 2): F(1, 4)}
    assert vertex_curvature(K, variant="ricci", ricci=ric) == (F(1, 4), F(3, 8), F(1, 8))
    out = vertex_curvature(K, variant="ricci", edge_weight="uniform")
    assert out == (F(1, 4), F(1, 2), F(1, 4))  # path of 3: both edges have Ric 1/2


# ---------------------------------------------------------------------- report and picture
def test_curvature_report_and_plot():
    from exactgeom.analysis.curvature_report import curvature_report
    from exactgeom.complex import RiemannianComplex
    from exactgeom.plot_curvature import plot_curvature

    P = arrangement([[1, 0], [1, 2], [0, 1]], [0, F(1, 2), F(-1, 3)], [(-1, 1), (-1, 1)])
    data = [["1/2", "1/2"], ["-1/2", "-1/2"], ["1/2", "-1/2"], ["-3/4", "3/4"]]
    K = RiemannianComplex.from_partition(P, data=data)
    rep = curvature_report(K)
    cells, edges = rep.cell_rows(), rep.edge_rows()
    assert len(cells) == P.n_cells and len(edges) == len(K.simplices(1))
    assert sum(r["kappa"] for r in cells) == K.euler_characteristic()
    assert sum(r["kappa_weighted"] for r in cells) == K.euler_characteristic()
    # Ricci-sum: half the sum of edge curvatures, counted at both ends
    assert sum(r["kappa_ricci"] for r in cells) == sum(r["ollivier"] for r in edges)
    assert [r["data_mass"] for r in cells] == list(K.data_mass())
    fig = plot_curvature(K, report=rep, edge="ollivier", data=data)
    assert type(fig).__name__ == "Figure"
    with pytest.raises(InvalidInputError):
        plot_curvature(K, vertex="bogus")
    with pytest.raises(InvalidInputError):
        plot_curvature(K, edge="bogus")
    with pytest.raises(InvalidInputError):
        curvature_report(object())
