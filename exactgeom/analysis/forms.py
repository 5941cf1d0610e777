r"""Differential forms pulled back through the layers of a ReLU network, cell by cell.

On the cell of an activation pattern ``s`` every layer map is affine.  With hidden
layers ``l = 1..H`` (``z_l = W_l h_{l−1} + b_l``, ``h_l = ReLU(z_l)``, ``h_0 = x``) and
``D_l = diag(s_l)`` (for leaky units with negative slope ``α_l``, ``D_l`` has ``α_l``
instead of 0 on the inactive units):

* **charts** ``Φ_l(x) = J_l x + c_l`` (``x ↦ h_l``): ``J_0 = I``, ``c_0 = 0``,
  ``J_l = D_l W_l J_{l−1}``, ``c_l = D_l (W_l c_{l−1} + b_l)``; ``Φ_{H+1}`` is the
  affine output map (no ReLU).  Chart ``l`` is indexed ``l`` here (0 = input).
* **layer maps** ``ψ_l(h) = D_l (W_l h + b_l)`` with ``Φ_l = ψ_l ∘ Φ_{l−1}``; the
  pullback of a covector ``ω`` on layer ``l``'s space is ``Φ_l^*ω = J_lᵀ ω`` and the
  composition law ``Φ_l^* = Φ_{l−1}^* ∘ ψ_l^*`` holds (``proofs/pullback_composition.py``).
* **pulled-back 1-forms** of the units: ``dz_{l,k}`` pulls back to the covector
  ``(W_l J_{l−1})_k`` and the pre-activation is ``z_{l,k}(x) = (W_l J_{l−1})_k·x +
  (W_l c_{l−1} + b_l)_k`` on the cell.  The cell is ``{x ∈ D : z_{l,k}(x) ≥ 0 if
  s_{l,k} = 1, ≤ 0 otherwise}`` (:meth:`CellForms.hrep`; the same rows, in the same
  order, as :meth:`~exactgeom.partitions.relu.ReLUNetwork.cell_hrep`).
* **pulled-back metric** ``g_l = J_lᵀ J_l`` (rational, positive semidefinite).
* **volume factor** of ``Φ_l`` on a k-dimensional piece with direction basis ``U``
  (``n×k``): ``√(det(Uᵀ g_l U) / det(UᵀU))`` — a surd, zero exactly where ``Φ_l``
  collapses the piece.  The k-volume of the image is the piece's k-volume times it.
* **angles in layer coordinates**: where ``Φ_l`` is injective, the dihedral angle of
  the image cell between the images of facets with covectors ``a``, ``b`` has
  ``cos θ = −aᵀ g_l^{-1} b / √(aᵀ g_l^{-1} a · bᵀ g_l^{-1} b)`` (a surd).

:func:`follow_cell` follows one cell through the layers, computing the image polytopes
``Φ_l(C)`` exactly (the convex hull of the mapped vertices; for a non-injective map a
lower-dimensional polytope, measured by its relative volume) and
:meth:`CellTrajectory.table` reports per layer how the cell volume, the facet volumes
and the dihedral angles change.  :func:`follow_data_cells` does it for every
data-containing cell.

>>> from exactgeom.partitions.relu import ReLUNetwork
>>> net = ReLUNetwork([[[1, 1], [1, -1]], [[1, 1]]], [[0, 0], [0]])
>>> cf = cell_forms(net, ((1, 1),))
>>> cf.forms[0][1].covector, cf.metric(1)
((Fraction(1, 1), Fraction(-1, 1)), ((Fraction(2, 1), Fraction(0, 1)), (Fraction(0, 1), Fraction(2, 1))))
>>> cf.volume_factor(1)                     # the layer map scales areas by 2
Surd('2')
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from typing import Any

from ..errors import InvalidInputError
from ..linalg import rational as la
from ..numbers._compat import now_method
from ..numbers.angle import Angle
from ..numbers.rational import as_rational_matrix, as_rational_vector
from ..numbers.surd import Surd
from ..partitions.partition import Partition, as_domain
from ..partitions.relu import ReLUNetwork
from ..polytope.polytope import Polytope

__all__ = [
    "UnitForm",
    "Chart",
    "CellForms",
    "cell_forms",
    "LayerGeometry",
    "CellTrajectory",
    "follow_cell",
    "follow_data_cells",
    "volume_factor",
]

Vec = tuple[Fraction, ...]
Matrix = tuple[Vec, ...]


def _dot(a: Sequence[Fraction], b: Sequence[Fraction]) -> Fraction:
    return sum((x * y for x, y in zip(a, b) if x and y), Fraction(0))


def _matmul(A: Matrix, B: Matrix) -> Matrix:
    cols = list(zip(*B)) if B else []
    return tuple(tuple(_dot(r, c) for c in cols) for r in A)


def _transpose(A: Matrix, ncols: int) -> Matrix:
    if not A:
        return tuple(() for _ in range(ncols))
    return tuple(zip(*A))


def _gram(J: Matrix, n: int) -> Matrix:
    """``JᵀJ`` for an m×n matrix J."""
    cols = [tuple(r[j] for r in J) for j in range(n)]
    return tuple(tuple(_dot(ci, cj) for cj in cols) for ci in cols)


def volume_factor(J: Sequence[Sequence[Any]], U: Sequence[Sequence[Any]] | None = None) -> Surd:
    """``√(det(UᵀJᵀJU)/det(UᵀU))``: how the linear map ``J`` scales k-volumes of pieces
    with direction basis ``U`` (columns; default: the identity, k = n).

    Parameters
    ----------
    J
        m×n rational matrix (rows).
    U
        Rows of an n×k matrix whose columns are linearly independent.

    Raises
    ------
    InvalidInputError
        Shapes disagree or the columns of ``U`` are dependent.

    Examples
    --------
    >>> volume_factor([[2, 0], [0, 3]]), volume_factor([[1, 1]], [[1], [0]])
    (Surd('6'), Surd('1'))
    >>> volume_factor([[1, 1]])                 # degenerate: R^2 → R collapses areas
    Surd('0')
    """
    Jm = as_rational_matrix(J, name="J")
    n = len(Jm[0]) if Jm else 0
    if U is None:
        Um: Matrix = tuple(tuple(Fraction(int(i == j)) for j in range(n)) for i in range(n))
    else:
        Um = as_rational_matrix(U, name="U")
        if len(Um) != n:
            raise InvalidInputError(f"U has {len(Um)} rows but J has {n} columns")
    k = len(Um[0]) if Um else 0
    if k == 0:
        return Surd(1)
    UtU = _gram(Um, k)
    dU = la.det(UtU)
    if dU == 0:
        raise InvalidInputError("the columns of U are linearly dependent; give a basis")
    JU = _matmul(Jm, Um)
    return Surd.sqrt(la.det(_gram(JU, k)) / dU)


# ---------------------------------------------------------------------- values
@dataclass(frozen=True)
class UnitForm:
    """The pulled-back 1-form of hidden unit ``unit`` of hidden layer ``layer`` (1-based):
    ``z(x) = covector·x + offset`` on the cell; ``active`` is the pattern's bit."""

    layer: int
    unit: int
    covector: Vec
    offset: Fraction
    active: bool

    def halfspace(self) -> tuple[Vec, Fraction]:
        """``(a, b)`` with the cell's constraint ``a·x <= b`` from this unit."""
        if self.active:
            return tuple(-v for v in self.covector), self.offset
        return self.covector, -self.offset


@dataclass(frozen=True)
class Chart:
    """The affine chart ``Φ_l(x) = J x + c`` of layer ``layer`` on a cell."""

    layer: int
    J: Matrix
    c: Vec

    @property
    def width(self) -> int:
        """Dimension of the layer's space."""
        return len(self.J)

    def __call__(self, x: Sequence[Fraction]) -> Vec:
        return tuple(_dot(r, x) + ci for r, ci in zip(self.J, self.c))

    @cached_property
    def _rank(self) -> int:
        return la.rank(self.J, len(self.J[0]) if self.J else 0) if self.J else 0

    @now_method
    def rank(self) -> int:
        """Rank of ``J`` (``n`` iff the chart is injective; a method: it computes, cached)."""
        return self._rank

    def pullback(self, omega: Sequence[Any]) -> Vec:
        """``Φ^*ω = Jᵀω`` for a covector ``ω`` on the layer's space."""
        om = list(as_rational_vector(omega, name="omega"))
        if len(om) != len(self.J):
            raise InvalidInputError(f"covector has {len(om)} entries, layer {self.layer} has width {len(self.J)}")
        n = len(self.J[0]) if self.J else 0
        return tuple(sum((om[i] * self.J[i][j] for i in range(len(om))), Fraction(0)) for j in range(n))


class CellForms:
    """Charts, pulled-back forms and metrics of a ReLU network on one activation cell.

    Build it with :func:`cell_forms`.
    """

    def __init__(self, net: ReLUNetwork, pattern: Any) -> None:
        self.net = net
        self.pattern = net._check_pattern(pattern)
        n = net.n_in
        J: Matrix = tuple(tuple(Fraction(int(i == j)) for j in range(n)) for i in range(n))
        c: Vec = tuple(Fraction(0) for _ in range(n))
        charts = [Chart(0, J, c)]
        forms = []
        H = len(self.pattern)
        for l, (Wl, bl) in enumerate(zip(net.weights, net.biases)):
            G = _matmul(Wl, J)
            beta = tuple(_dot(r, c) + bb for r, bb in zip(Wl, bl))
            if l < H:
                s = self.pattern[l]
                forms.append(tuple(UnitForm(l + 1, k, G[k], beta[k], bool(s[k])) for k in range(len(G))))
                a = net.negative_slopes[l]  # leaky units: slope a instead of 0 when inactive
                J = tuple(g if sk else tuple(a * v for v in g) for g, sk in zip(G, s))
                c = tuple(bk if sk else a * bk for bk, sk in zip(beta, s))
            else:
                J, c = G, beta
            charts.append(Chart(l + 1, J, c))
        self.charts: tuple[Chart, ...] = tuple(charts)
        self.forms: tuple[tuple[UnitForm, ...], ...] = tuple(forms)

    @property
    def n_layers(self) -> int:
        """Number of charts after the input: hidden layers + the output."""
        return len(self.charts) - 1

    def _chart(self, l: int) -> Chart:
        if not isinstance(l, int) or not 0 <= l < len(self.charts):
            raise InvalidInputError(f"layer {l!r} out of range 0..{len(self.charts) - 1} (0 = input, last = output)")
        return self.charts[l]

    def metric(self, l: int) -> Matrix:
        """The pulled-back metric ``g_l = J_lᵀ J_l`` (n×n, rational)."""
        ch = self._chart(l)
        return _gram(ch.J, self.net.n_in)

    def layer_map(self, l: int) -> tuple[Matrix, Vec]:
        """``(D_l W_l, D_l b_l)``: the affine map ``ψ_l`` from layer ``l−1`` to layer ``l``
        on this cell (the output map for the last ``l``)."""
        if not isinstance(l, int) or not 1 <= l < len(self.charts):
            raise InvalidInputError(f"layer map index {l!r} out of range 1..{len(self.charts) - 1}")
        Wl, bl = self.net.weights[l - 1], self.net.biases[l - 1]
        if l - 1 < len(self.pattern):
            s = self.pattern[l - 1]
            a = self.net.negative_slopes[l - 1]
            return (
                tuple(r if sk else tuple(a * v for v in r) for r, sk in zip(Wl, s)),
                tuple(b if sk else a * b for b, sk in zip(bl, s)),
            )
        return Wl, bl

    def volume_factor(self, l: int, U: Sequence[Sequence[Any]] | None = None) -> Surd:
        """How ``Φ_l`` scales k-volumes of pieces with direction basis ``U`` (default:
        the whole cell, k = n); zero where it collapses them."""
        return volume_factor(self._chart(l).J, U)

    def hrep(self, domain: Any = None) -> tuple[Matrix, Vec]:
        """``(A, b)``: one half-space per hidden unit from its pulled-back form (layer by
        layer), then the domain's facets."""
        A: list[Vec] = []
        b: list[Fraction] = []
        for layer in self.forms:
            for f in layer:
                a, bb = f.halfspace()
                A.append(a)
                b.append(bb)
        if domain is not None:
            D = as_domain(domain)
            for h in D.facets:
                A.append(tuple(Fraction(v) for v in h.normal))
                b.append(h.offset)
        return tuple(A), tuple(b)

    def cell(self, domain: Any) -> Polytope:
        """The cell ``{x ∈ D : sign conditions}`` built from the pulled-back forms."""
        A, b = self.hrep(domain)
        return Polytope._from_h(self.net.n_in, A, b)

    def angle_in_layer(self, l: int, a: Sequence[Any], b: Sequence[Any]) -> Angle:
        """Dihedral angle, in layer ``l``'s coordinates, between faces with outward
        covectors ``a``, ``b`` (input space), for an injective chart.

        Raises
        ------
        InvalidInputError
            The chart is not injective (the metric is singular).
        """
        g = self.metric(l)
        if la.det(g) == 0:
            raise InvalidInputError(f"chart {l} is not injective on this cell; angles in its coordinates are undefined")
        gi = la.inverse(g)
        av = list(as_rational_vector(a, name="a"))
        bv = [Fraction(x) for x in b]
        gia = [_dot(r, av) for r in gi]
        gib = [_dot(r, bv) for r in gi]
        ab, aa, bb = _dot(bv, gia), _dot(av, gia), _dot(bv, gib)
        return Angle(Surd(-ab, 1) / Surd.sqrt(aa * bb))

    def __repr__(self) -> str:
        return f"CellForms({self.net!r}, pattern={self.pattern})"


def cell_forms(net: ReLUNetwork, pattern: Any) -> CellForms:
    """The :class:`CellForms` of ``net`` on the cell of ``pattern``.

    Parameters
    ----------
    net : ReLUNetwork
    pattern
        A tuple of 0/1 tuples, one per hidden layer.

    Raises
    ------
    InvalidInputError
        ``net`` is not a ReLUNetwork or the pattern does not fit it.

    Examples
    --------
    >>> from exactgeom.partitions.relu import ReLUNetwork
    >>> net = ReLUNetwork([[[1], [-1]], [[1, 1]]], [[0, 0], [0]])      # |x|
    >>> [ch.J for ch in cell_forms(net, ((0, 1),)).charts]
    [((Fraction(1, 1),),), ((Fraction(0, 1),), (Fraction(-1, 1),)), ((Fraction(-1, 1),),)]
    >>> cell_forms(net, ((0, 0),)).volume_factor(1)     # degenerate: dead layer collapses the cell
    Surd('0')
    """
    if not isinstance(net, ReLUNetwork):
        raise InvalidInputError(f"cell_forms needs a ReLUNetwork, got {type(net).__name__}")
    return CellForms(net, pattern)


# ---------------------------------------------------------------------- following cells
def _direction_basis(points: Sequence[Vec], n: int) -> Matrix:
    """Rows of an n×k matrix whose columns span the directions of the points' hull."""
    p0 = points[0]
    dirs = [tuple(x - y for x, y in zip(p, p0)) for p in points[1:]]
    if not dirs:
        return tuple(() for _ in range(n))
    R, _ = la.rref(dirs, n)
    k = len(R)
    return tuple(tuple(R[c][j] for c in range(k)) for j in range(n))


@dataclass(frozen=True, eq=False)
class LayerGeometry:
    """The cell seen in the coordinates of one layer.

    Attributes
    ----------
    layer : int
        Chart index (0 = input, last = output).
    chart : Chart
    image : Polytope
        ``Φ_l(C)`` (convex hull of the mapped vertices) in the layer's space.
    injective : bool
        Whether ``Φ_l`` is injective (rank n).
    volume : Surd
        n-volume of the image (the cell's volume times :attr:`volume_factor`; zero when
        collapsed).
    volume_factor : Surd
    relative_volume : Surd
        Volume of the image in its own dimension ``image.dim``.
    facet_volumes : tuple[Surd, ...]
        (n−1)-volume of the image of each facet of the cell (zero when collapsed).
    facet_factors : tuple[Surd, ...]
    dihedral_angles : dict[(i, j), Angle] | None
        Angles of the image between the images of facets i and j of the cell (None
        when the chart is not injective).
    """

    layer: int
    chart: Chart
    image: Polytope
    injective: bool
    volume: Surd
    volume_factor: Surd
    relative_volume: Surd
    facet_volumes: tuple[Surd, ...]
    facet_factors: tuple[Surd, ...]
    dihedral_angles: dict[tuple[int, int], Angle] | None


@dataclass(frozen=True, eq=False)
class CellTrajectory:
    """A cell followed through every layer (see :func:`follow_cell`)."""

    pattern: Any
    cell: Polytope
    forms: CellForms
    layers: tuple[LayerGeometry, ...]

    def table(self) -> list[dict[str, Any]]:
        """One row per layer: width, rank, image dimension, cell volume and its ratio
        to the input volume, facet volumes and their ratios, the smallest and largest
        dihedral angle (degrees, float view of certified values) and the largest change
        of an angle relative to the input (degrees).

        Exact values are kept in :attr:`layers`; the table's ``*_float`` columns are
        float views for display.
        """
        rows = []
        base = self.layers[0]
        for g in self.layers:
            row: dict[str, Any] = {
                "layer": g.layer,
                "width": g.chart.width,
                "rank": g.chart.rank(),
                "image_dim": g.image.dim,
                "volume": g.volume,
                "volume_ratio": g.volume_factor,
                "relative_volume": g.relative_volume,
                "facet_volumes": g.facet_volumes,
                "facet_ratios": g.facet_factors,
                "volume_float": float(g.volume),
                "min_facet_ratio_float": min((float(x) for x in g.facet_factors), default=float("nan")),
                "max_facet_ratio_float": max((float(x) for x in g.facet_factors), default=float("nan")),
            }
            if g.dihedral_angles:
                degs = {k: float(a.degrees(12).mid) for k, a in g.dihedral_angles.items()}
                base_degs = {k: float(a.degrees(12).mid) for k, a in (base.dihedral_angles or {}).items()}
                row["min_angle_deg_float"] = min(degs.values())
                row["max_angle_deg_float"] = max(degs.values())
                row["max_angle_change_deg_float"] = max(abs(degs[k] - base_degs.get(k, degs[k])) for k in degs)
            else:
                row["min_angle_deg_float"] = row["max_angle_deg_float"] = row["max_angle_change_deg_float"] = None
            rows.append(row)
        return rows


def follow_cell(net: ReLUNetwork, pattern: Any, domain: Any, *, cell: Polytope | None = None) -> CellTrajectory:
    """Follow the cell of ``pattern`` through every layer of ``net``.

    Parameters
    ----------
    net : ReLUNetwork
    pattern
        The cell's activation pattern.
    domain
        The domain (box pairs or Polytope).
    cell
        The cell polytope, if already known (else built from the pulled-back forms).

    Raises
    ------
    InvalidInputError
        The pattern has no full-dimensional cell in the domain.

    Examples
    --------
    >>> from exactgeom.partitions.relu import ReLUNetwork
    >>> net = ReLUNetwork([[[2, 0], [0, 1]], [[1, 1]]], [[0, 0], [0]])
    >>> tr = follow_cell(net, ((1, 1),), [(-1, 1), (-1, 1)])
    >>> [(g.layer, g.volume, g.image.dim) for g in tr.layers]
    [(0, Surd('1'), 2), (1, Surd('2'), 2), (2, Surd('0'), 1)]
    >>> tr.layers[2].relative_volume                 # the output line segment
    Surd('3')
    """
    cf = cell_forms(net, pattern)
    D = as_domain(domain)
    C = cf.cell(D) if cell is None else cell
    n = net.n_in
    if C.dim != n:
        raise InvalidInputError(f"pattern {cf.pattern} has no full-dimensional cell in the domain (dimension {C.dim})")
    vol = C.volume()
    facets = C.facets
    facet_vertices = [C.facet_vertices(i) for i in range(len(facets))]
    facet_bases = [
        _direction_basis([C.vertices[v] for v in vs], n) for vs in facet_vertices
    ]
    facet_vols = [C.facet_volume(i) for i in range(len(facets))]
    ridges = sorted(C.dihedral_angles())
    layers = []
    for ch in cf.charts:
        imgs = [ch(v) for v in C.vertices]
        image = Polytope.from_vrep(imgs)
        fac = volume_factor(ch.J)
        ffac = tuple(volume_factor(ch.J, U) for U in facet_bases)
        fvols = tuple(f * fv for f, fv in zip(ffac, facet_vols))
        injective = ch.rank() == n
        angles = None
        if injective:
            angles = {
                (i, j): cf.angle_in_layer(ch.layer, _outward(facets[i]), _outward(facets[j])) for i, j in ridges
            }
        layers.append(
            LayerGeometry(
                ch.layer,
                ch,
                image,
                injective,
                fac * vol,
                fac,
                image.relative_volume(),
                fvols,
                ffac,
                angles,
            )
        )
    return CellTrajectory(cf.pattern, C, cf, tuple(layers))


def _outward(h: Any) -> Vec:
    return tuple(Fraction(x) for x in h.normal)


def follow_data_cells(
    partition: Partition, data: Any = None, *, policy: Any = None
) -> dict[Hashable, CellTrajectory]:
    """:func:`follow_cell` for every data-containing cell of a ReLU partition.

    Parameters
    ----------
    partition : Partition
        Built by :func:`~exactgeom.partitions.relu.relu_network` (its ``model`` is the
        network).
    data
        Points; the cells containing them (by
        :meth:`~exactgeom.partitions.relu.ReLUNetwork.cell_pattern`) are followed.
        ``None``: every cell of the partition (all of them are data cells when it was
        built with ``mode="data"``).

    Raises
    ------
    InvalidInputError
        The partition does not come from a ReLU network.

    Examples
    --------
    >>> from exactgeom.partitions.relu import relu_network
    >>> P = relu_network([[[1, 0], [0, 1]], [[1, 1]]], [[0, 0], [0]], [(-1, 1), (-1, 1)])
    >>> sorted(follow_data_cells(P, [["1/2", "1/2"]]))
    [((1, 1),)]
    """
    net = partition.model if isinstance(partition, Partition) else None
    if not isinstance(net, ReLUNetwork):
        raise InvalidInputError("follow_data_cells needs a partition built by relu_network (model = ReLUNetwork)")
    if data is None:
        keys = [c.key for c in partition.cells]
    else:
        keys = sorted(set(net.cell_patterns(data, policy=policy)))
    out = {}
    present = {c.key for c in partition.cells}
    for k in keys:
        cellp = partition.cell(k).polytope if k in present else None
        out[k] = follow_cell(net, k, partition.domain, cell=cellp)
    return out
