"""The Riemannian simplicial complex of a partition.

Vertices are the cells of a :class:`~exactgeom.Partition`; simplices follow the
``facet`` or ``nerve`` convention (:mod:`exactgeom.complex.simplices`), carry measures
(:mod:`~exactgeom.complex.measures`) and inner products (:mod:`~exactgeom.complex.metrics`),
and give boundary matrices, exact Betti numbers, Hodge and extended Laplacians
(:mod:`~exactgeom.complex.laplacian`), their spectra (:mod:`~exactgeom.complex.spectrum`)
and simplicial splines (:mod:`~exactgeom.complex.spline`). Definitions with option
names and defaults: ``docs/definitions/complex.md``.

>>> from exactgeom import arrangement
>>> P = arrangement([[1, 0], [0, 1]], [0, 0], [(-1, 1), (-1, 1)])     # two crossing lines
>>> K = RiemannianComplex.from_partition(P)
>>> K.f_vector(), K.betti(), K.euler_characteristic()
((4, 4), (1, 1), 0)
>>> N = RiemannianComplex.from_partition(P, convention="nerve")
>>> N.f_vector(), N.betti()
((4, 6, 4, 1), (1, 0, 0, 0))
>>> K.hodge_laplacian(0).dense()[0]
(Fraction(2, 1), Fraction(-1, 1), Fraction(-1, 1), Fraction(0, 1))
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any, cast

from ..errors import DegenerateError, InvalidInputError
from ..numbers._compat import deprecated_method
from ..numbers.rational import PolicyLike
from ..partitions._progress import progress_bar
from ..partitions.partition import Partition
from ..polytope.polytope import Polytope
from . import float_views
from . import measures as _m
from .blocks import block_spectrum, graph_kernel_of
from .construction import CONVENTIONS, build_parts
from .homology import betti_numbers, boundary_matrix
from .laplacian import FORMS, hodge_laplacian, symmetric_form, weighted_graph_operator
from .metrics import angle_metric, angle_metric_factor, two_point_flux_weights
from .simplices import MAX_SIMPLICES, SimplexData
from .sparse import ExactMatrix
from .spectrum import Spectrum, positive_definite
from .spline import (
    ConstrainedFit,
    Interpolator,
    SplineFit,
    constrained_spline_float,
    solve_spline,
    spline_inputs,
    vertex_positions,
)

__all__ = ["RiemannianComplex", "CONVENTIONS"]

FLUXES = ("two_point", "angle")
Simplex = tuple[int, ...]


class RiemannianComplex:
    """The weighted simplicial complex of a partition (build it with :meth:`from_partition`)."""

    def __init__(
        self,
        partition: Partition,
        data: SimplexData | None = None,
        convention: str = "facet",
        measure: str = "volume",
        metric: str = "diagonal",
        points: tuple[tuple[Fraction, ...], ...] | None = None,
        weights: tuple[Fraction, ...] | None = None,
        cells_of_points: tuple[int, ...] | None = None,
        data_rule: str = "nearest_face",
        max_dim: int | None = None,
        lowdim_measure: str = "own_dim",
    ) -> None:
        if data is None:  # a user's ``RiemannianComplex(P)``: the constructor takes built simplex data
            raise InvalidInputError(
                "build a complex with RiemannianComplex.from_partition(partition, ...) "
                "(options: convention, measure, metric, data, ...); the constructor is internal"
            )
        self._partition = partition
        self._data = data
        self._convention = convention
        self._measure = measure
        self._metric = metric
        self._points = points
        self._weights = weights
        self._cells_of_points = cells_of_points
        self._data_rule = data_rule
        self._max_dim = max_dim
        self._lowdim = lowdim_measure
        self._cache: dict[Any, Any] = {}
        self._progress: bool | None = None  # bars of the lazily computed measures (from_partition's option)

    # ------------------------------------------------------------------ factory
    @classmethod
    def from_partition(
        cls,
        partition: Partition,
        convention: str = "facet",
        measure: str = "volume",
        metric: str = "diagonal",
        data: Any = None,
        *,
        data_weights: Any = None,
        data_rule: str = "nearest_face",
        max_dim: int | None = None,
        max_simplices: int | None = MAX_SIMPLICES,
        policy: PolicyLike | None = None,
        lowdim_measure: str = "own_dim",
        progress: bool | None = None,
    ) -> RiemannianComplex:
        """Build the complex of ``partition``.

        Which convention? ``facet`` records *adjacency across faces*: an edge is a real
        shared (n−1)-face, every p-simplex has ``dim I_σ = n − p``, and all measures of
        one degree have the same units (``length^{n−p}``). Its topology is that of the
        adjacency structure, not of the domain: two crossing lines give a 4-cycle
        (β = (1, 1)), and a ReLU partition typically gives a graph with many loops.
        ``nerve`` records *every contact*: cells meeting in a point are joined too, so
        the complex has the homotopy type of the (convex) domain by the nerve theorem
        (two crossing lines give a tetrahedron, β = (1, 0, 0, 0)); its lower-dimensional
        contacts (``dim I_σ < n − p``) need a measure, chosen by ``lowdim_measure``::

            facet (4-cycle)          nerve (tetrahedron)
            1 ─── 3                  1 ─── 3
            │     │                  │ ╲ ╱ │      diagonals 0–3, 1–2: cells that
            │     │                  │ ╱ ╲ │      meet only at the crossing point
            0 ─── 2                  0 ─── 2

        Picture with the edge weights and Δ_0 spectra: ``docs/definitions/facet_vs_nerve.png``
        (made by ``docs/make_facet_vs_nerve.py``).

        Parameters
        ----------
        partition : Partition
        convention : {"facet", "nerve"}
            ``facet`` (default): p-simplices are p+1 cells whose common intersection has
            dimension n−p (all faces present). ``nerve``: every set of cells with a
            non-empty common intersection.
        measure : {"volume", "data", "mixed"}
            Measures on simplices (see :mod:`exactgeom.complex.measures`).
        metric : {"diagonal", "angle"}
            Inner products: ``diag(μ_p)``, or the angle Gram matrix on edges.
        data : sequence of points, optional
            Data points in the domain (required by ``data`` and ``mixed``; also used by
            spline weights and ``positions="data_mean"``).
        data_weights : sequence, optional
            Non-negative weight per point (default 1).
        data_rule : {"nearest_face", "mean"}
            How data measures of p ≥ 1 simplices are defined.
        max_dim : int, optional
            Largest simplex dimension kept (default: all; the facet convention has
            none above n).
        max_simplices : int, optional
            Nerve only: raise :class:`DegenerateError` rather than build more simplices
            than this (default 200 000; many cells through one point make the full nerve
            exponential). ``None``: no cap.
        policy
            Float policy for float data (see :class:`exactgeom.FloatPolicy`).
        lowdim_measure : {"own_dim", "zero", "skip"}
            Measure of the lower-dimensional contacts of the nerve (p-simplices with
            ``dim I_σ < n − p``; the ``facet`` convention has none, so it ignores this):
            ``"own_dim"`` (default) their own-dimension measure (a point weighs 1,
            units ``length^{dim I_σ}``); ``"zero"`` 0 (the (n−p)-dimensional measure,
            consistent units, singular ``M_p``); ``"skip"`` leave them and their
            cofaces out. The default keeps the nerve's simplices *and* positive
            definite inner products, so the Hodge facts (``dim ker Δ_p = β_p``) hold;
            pick ``"zero"`` for scale-consistent units. Two crossing lines in the unit
            square: Δ_0 spectrum {0, 8, 12, 12} under ``own_dim``, {0, 4, 4, 8} under
            ``zero`` or ``skip`` (see :mod:`exactgeom.complex.measures`).
        progress : bool, optional
            Progress bars with totals: over the candidate simplices of each degree ≥ 2
            (facet convention) while building, and over the simplices of a degree when
            its volume measure (cell volumes, shared-face volumes, …) is first computed.
            ``None`` (default): only on a terminal, after a second.

        Examples
        --------
        >>> from exactgeom import arrangement
        >>> P = arrangement([[1, 0]], [0], [(-1, 1), (0, 1)])
        >>> K = RiemannianComplex.from_partition(P, measure="data", data=[["-1/2", "1/2"], ["1/2", "1/2"], ["1/4", "1/2"]])
        >>> K.measure(0), K.measure(1)   # (1/4, 1/2) is nearest to the shared face; the others tie 4 ways
        ((Fraction(1, 1), Fraction(2, 1)), (Fraction(3, 2),))
        >>> RiemannianComplex.from_partition(P, convention="star")
        Traceback (most recent call last):
        ...
        exactgeom.errors.InvalidInputError: unknown convention 'star'; use one of ('facet', 'nerve')
        """
        S, points, weights, cells = build_parts(
            partition, convention, measure, metric, data, data_weights, data_rule, max_dim, max_simplices, policy,
            lowdim_measure, progress,
        )
        K = cls(partition, S, convention, measure, metric, points, weights, cells, data_rule, max_dim, lowdim_measure)
        K._progress = progress
        return K

    # ------------------------------------------------------------------ structure
    @property
    def partition(self) -> Partition:
        return self._partition

    @property
    def ambient_dim(self) -> int:
        return self._partition.ambient_dim

    @property
    def convention(self) -> str:
        return self._convention

    @property
    def lowdim_measure(self) -> str:
        """How lower-dimensional contacts are measured (``from_partition``'s option)."""
        return self._lowdim

    @property
    def measure_name(self) -> str:
        return self._measure

    @property
    def metric_name(self) -> str:
        return self._metric

    @property
    def dim(self) -> int:
        """Dimension of the top simplices (−1 for an empty complex)."""
        return len(self._data.simplices) - 1 if self._data.simplices[0] else -1

    @property
    def truncated(self) -> bool:
        """Whether simplices above ``max_dim`` exist but were not kept."""
        return self._data.truncated

    @property
    def n_cells(self) -> int:
        return self._partition.n_cells

    def _check_p(self, p: Any) -> int:
        if not isinstance(p, int) or isinstance(p, bool) or p < 0:
            raise InvalidInputError(f"simplex dimension p must be a non-negative int, got {p!r}")
        return p

    def simplices(self, p: int) -> tuple[Simplex, ...]:
        """The p-simplices as sorted index tuples, in lexicographic order (empty above the
        top dimension)."""
        p = self._check_p(p)
        return tuple(self._data.simplices[p]) if p < len(self._data.simplices) else ()

    @deprecated_method("RiemannianComplex.n_simplices(p) is deprecated: use len(K.simplices(p)) or K.f_vector()[p]")
    def n_simplices(self, p: int) -> int:
        """Deprecated: write ``len(K.simplices(p))`` (or ``K.f_vector()[p]`` up to the top
        dimension).  Counts are ``n_*`` properties; a count that takes an argument is not one."""
        return len(self.simplices(p))

    def f_vector(self) -> tuple[int, ...]:
        """``(f_0, f_1, …)``: numbers of simplices by dimension (a method, like
        :meth:`Polytope.f_vector`: one name, one spelling)."""
        return tuple(len(s) for s in self._data.simplices)

    def intersection(self, simplex: Sequence[int]) -> Polytope:
        """The exact common intersection ``I_σ`` of the cells of a simplex."""
        s = tuple(simplex)
        try:
            return self._data.intersection[s]
        except KeyError:
            raise InvalidInputError(f"{s} is not a simplex of this complex (simplices are sorted tuples)") from None

    def intersection_dim(self, simplex: Sequence[int]) -> int:
        """``dim I_σ`` (recorded for every simplex; ``n − p`` under ``facet``)."""
        return self.intersection(simplex).dim

    def boundary(self, p: int) -> ExactMatrix:
        """The integer boundary matrix ``B_p`` (rows: (p−1)-simplices, columns: p-simplices)."""
        p = self._check_p(p)
        key = ("B", p)
        if key not in self._cache:
            S = self._data.simplices
            if p > len(S) - 1:
                rows = len(S[p - 1]) if p - 1 < len(S) else 0
                self._cache[key] = ExactMatrix((rows, 0), {}, "ZZ")
            else:
                self._cache[key] = boundary_matrix(S, p)
        return cast("ExactMatrix", self._cache[key])

    def betti(self) -> tuple[int, ...]:
        """Exact Betti numbers over Q, ``(β_0, …, β_dim)``."""
        if "betti" not in self._cache:
            self._cache["betti"] = betti_numbers(self._data.simplices) if self.dim >= 0 else ()
        return cast("tuple[int, ...]", self._cache["betti"])

    def euler_characteristic(self) -> int:
        """``Σ (−1)^p f_p`` (equals ``Σ (−1)^p β_p``)."""
        return sum((-1) ** p * f for p, f in enumerate(self.f_vector()))

    # ------------------------------------------------------------------ measures and metrics
    def data_mass(self) -> tuple[Fraction, ...] | None:
        """Total data weight per cell (None without data)."""
        if self._points is None:
            return None
        if "mass" not in self._cache:
            assert self._cells_of_points is not None and self._weights is not None
            self._cache["mass"] = _m.data_masses(self.n_cells, self._cells_of_points, self._weights)
        return cast("tuple[Fraction, ...] | None", self._cache["mass"])

    def measure(self, p: int) -> tuple[Any, ...]:
        """``μ_p`` on the p-simplices (Fractions, or Surds for irrational volumes)."""
        p = self._check_p(p)
        key = ("mu", p)
        if key not in self._cache:
            if p >= len(self._data.simplices):
                self._cache[key] = ()
            elif self._measure == "volume":
                with self._measure_bar(p) as bar:
                    self._cache[key] = _m.volume_measure(self._data, p, bar)
            elif self._measure == "data":
                assert self._points is not None and self._cells_of_points is not None and self._weights is not None
                self._cache[key] = _m.data_measure(
                    self._data, p, cast("tuple[Fraction, ...]", self.data_mass()), self._points, self._cells_of_points, self._weights, self._data_rule
                )
            else:
                vols = [c.volume() for c in self._partition.cells]
                with self._measure_bar(p) as bar:
                    self._cache[key] = _m.mixed_measure(self._data, p, cast("tuple[Fraction, ...]", self.data_mass()), vols, bar)
            if self._lowdim == "zero" and self._convention == "nerve" and p >= 1:
                self._cache[key] = _m.zero_lowdim(self._data, p, self.ambient_dim, self._cache[key])
        return cast("tuple[Any, ...]", self._cache[key])

    def _measure_bar(self, p: int) -> Any:
        """A bar over the p-simplices while their volumes are computed (``progress``
        of :meth:`from_partition`)."""
        what = "cell volumes" if p == 0 else f"{p}-simplex volumes"
        return progress_bar(len(self._data.simplices[p]), f"complex: {what}", self._progress, unit="simplex")

    def inner_product(self, p: int) -> ExactMatrix:
        """The Gram matrix ``M_p`` on p-chains (``diag(μ_p)``, or the angle metric for p = 1)."""
        p = self._check_p(p)
        key = ("M", p)
        if key not in self._cache:
            if self._metric == "angle" and p == 1:
                self._cache[key] = angle_metric(self._partition, self._data)
            else:
                self._cache[key] = ExactMatrix.diagonal(list(self.measure(p)))
        return cast("ExactMatrix", self._cache[key])

    def inner_product_rank(self, p: int) -> int:
        """Exact rank of ``M_p`` (report it for the angle metric: singular means some
        chains have zero length)."""
        M = self.inner_product(p)
        if M.is_diagonal():
            return sum(1 for v in M.diagonal_values() if v != 0)
        key = ("Mrank", p)
        if key not in self._cache:
            # M_1 = Aᵀ D A with D positive diagonal: rank M_1 = rank A (A is much sparser)
            self._cache[key] = angle_metric_factor(self._partition, self._data).rank()
        return cast("int", self._cache[key])

    def is_positive_definite(self, p: int) -> bool:
        """Exact: is ``M_p`` positive definite?"""
        M = self.inner_product(p)
        if M.is_diagonal():
            return positive_definite(M)
        return self.inner_product_rank(p) == M.shape[0]  # PSD by construction

    def two_point_flux_weights(self) -> tuple[Fraction, ...]:
        """The rational edge weights ``μ_1/d`` of the extended Laplacian."""
        if "tpf" not in self._cache:
            self._cache["tpf"] = two_point_flux_weights(self._partition, self._data)
        return cast("tuple[Fraction, ...]", self._cache["tpf"])

    # ------------------------------------------------------------------ Laplacians
    def _factors(self, p: int) -> tuple[ExactMatrix, ExactMatrix, ExactMatrix | None, ExactMatrix, ExactMatrix | None]:
        Bp, Bp1 = self.boundary(p), self.boundary(p + 1)
        Mpm1 = self.inner_product(p - 1) if p >= 1 and Bp.nnz else None
        Mp1 = self.inner_product(p + 1) if Bp1.nnz else None
        return Bp, Bp1, Mpm1, self.inner_product(p), Mp1

    def hodge_laplacian(self, p: int, form: str = "cochain") -> ExactMatrix:
        """``Δ_p`` (``form="cochain"``) or ``L_p`` (``form="chain"``), exactly.

        >>> from exactgeom import arrangement
        >>> K = RiemannianComplex.from_partition(arrangement([[1, 0]], [0], [(-1, 1), (0, 2)]))
        >>> K.hodge_laplacian(0).dense()        # cells of area 2 sharing a face of length 2
        ((Fraction(1, 1), Fraction(-1, 1)), (Fraction(-1, 1), Fraction(1, 1)))
        """
        p = self._check_p(p)
        if form not in FORMS:
            raise InvalidInputError(f"unknown Laplacian form {form!r}; use one of {FORMS}")
        key = ("L", p, form)
        if key not in self._cache:
            M = self.inner_product(p)
            if M.is_diagonal() and all(v != 0 for v in M.diagonal_values()):
                from .laplacian import inverse

                # Δ_p = M_p⁻¹ (M_p Δ_p): one row scaling of the cached symmetric form
                self._cache[key] = inverse(M, "M_p") @ self.symmetric_laplacian(p, form)
            else:
                self._cache[key] = hodge_laplacian(*self._factors(p), form=form)
        return cast("ExactMatrix", self._cache[key])

    def symmetric_laplacian(self, p: int, form: str = "cochain") -> ExactMatrix:
        """``M_p Δ_p`` (or ``M_p L_p``): symmetric positive semidefinite by construction."""
        p = self._check_p(p)
        if form not in FORMS:
            raise InvalidInputError(f"unknown Laplacian form {form!r}; use one of {FORMS}")
        key = ("S", p, form)
        if key not in self._cache:
            self._cache[key] = symmetric_form(*self._factors(p), form=form)
        return cast("ExactMatrix", self._cache[key])

    def _edge_operator(self, flux: str) -> ExactMatrix:
        if flux == "two_point":
            if "T2" not in self._cache:
                self._cache["T2"] = ExactMatrix.diagonal(list(self.two_point_flux_weights()))
            return cast("ExactMatrix", self._cache["T2"])
        if flux == "angle":
            if self._metric == "angle":
                return self.inner_product(1)
            if "Tangle" not in self._cache:
                self._cache["Tangle"] = angle_metric(self._partition, self._data)
            return cast("ExactMatrix", self._cache["Tangle"])
        if flux == "metric":
            return self.inner_product(1)
        raise InvalidInputError(f"unknown flux {flux!r}; use one of {FLUXES + ('metric',)}")

    def extended_laplacian(self, flux: str = "two_point") -> ExactMatrix:
        """The extended Laplacian on cells, ``M_0⁻¹ B_1 T B_1ᵀ`` with ``T`` the
        two-point-flux weights (``flux="two_point"``, a diagonal) or the angle metric
        (``flux="angle"``, its multi-point generalisation); rational whenever ``M_0`` is."""
        key = ("ext", flux)
        if key not in self._cache:
            from .laplacian import inverse

            T = self._edge_operator(flux)
            self._cache[key] = inverse(self.inner_product(0), "M_0") @ weighted_graph_operator(self.boundary(1), T)
        return cast("ExactMatrix", self._cache[key])

    # ------------------------------------------------------------------ spectra
    def _kernel_hint(self, p: int) -> int | None:
        try:
            ok = self.is_positive_definite(p)
            if ok and self.boundary(p + 1).nnz:
                ok = self.is_positive_definite(p + 1)
            if ok and p >= 1 and self.boundary(p).nnz:
                ok = self.is_positive_definite(p - 1)
        except DegenerateError:
            return None
        b = self.betti()
        return b[p] if ok and p < len(b) else (0 if ok else None)

    def _graph_kernel_of(self, p: int) -> Any:
        """``kernel_of`` for :func:`~exactgeom.complex.blocks.block_spectrum` on ``Δ_0``
        (or ``L_0 = M_0 Δ_0 M_0⁻¹``, the same blocks) with positive definite ``M_0``,
        ``M_1``: ``ker Δ_0 = ker B_1ᵀ`` (the functions constant on each component of the
        graph), so a block that no edge leaves has as many kernel dimensions as graph
        components. None for p ≥ 1 or without positive definite inner products."""
        if p != 0 or self._kernel_hint(0) is None:
            return None
        return graph_kernel_of(self.n_cells, self.simplices(1), [s[0] for s in self.simplices(0)])

    def spectrum(
        self, p: int, form: str = "cochain", *, digits: int = 10, charpoly: bool | str = "auto", blocks: bool | str = "auto"
    ) -> Spectrum:
        """Spectrum of ``Δ_p`` (or ``L_p``): certified enclosures, the exact characteristic
        polynomial when rational (``charpoly``: see :func:`~exactgeom.complex.spectrum.spectrum`),
        the exact kernel dimension (Betti number when the inner products are positive
        definite, else an exact rank for rational operators).

        ``blocks`` (``"auto"``, ``True`` or ``False``): compute the spectrum block by block
        over the diagonal blocks of the operator (the pieces of a disconnected complex,
        e.g. the components of a data graph; see :mod:`exactgeom.complex.blocks`), with
        the same guarantees; ``"auto"`` (default) above
        :data:`~exactgeom.complex.blocks.BLOCKS_MIN` rows.

        >>> from exactgeom import arrangement
        >>> K = RiemannianComplex.from_partition(arrangement([[1, 0]], [0], [(-1, 1), (0, 1)]))
        >>> s = K.spectrum(0)
        >>> s.charpoly, [str(e) for e in s.eigenvalues], s.kernel_dim
        ((Fraction(1, 1), Fraction(-2, 1), Fraction(0, 1)), ['[0, 0]', '[2, 2]'], 1)
        >>> K.spectrum(0, blocks=True) == s      # one block: the whole-matrix route
        True
        """
        op = self.hodge_laplacian(p, form)
        sym = self.symmetric_laplacian(p, form)
        M = self.inner_product(p)
        hint = self._kernel_hint(p)
        return block_spectrum(op, sym, M, kernel_dim=hint, kernel_of=self._graph_kernel_of(p),
                              psd_by_construction=True, digits=digits, charpoly=charpoly, blocks=blocks)

    def extended_spectrum(
        self, flux: str = "two_point", *, digits: int = 10, charpoly: bool | str = "auto", blocks: bool | str = "auto"
    ) -> Spectrum:
        """Spectrum of the extended Laplacian (kernel: the components of the graph of
        edges with nonzero flux weight, when ``M_0`` is positive definite); ``blocks``
        as in :meth:`spectrum`."""
        op = self.extended_laplacian(flux)
        sym = weighted_graph_operator(self.boundary(1), self._edge_operator(flux))
        return block_spectrum(op, sym, self.inner_product(0), psd_by_construction=True, digits=digits, charpoly=charpoly,
                              blocks=blocks)

    # ------------------------------------------------------------------ float views
    def hodge_laplacian_float(self, p: int, form: str = "cochain", *, symmetric: bool = False) -> Any:
        """FLOAT view of ``Δ_p`` / ``L_p``: a ``scipy.sparse.csr_matrix`` assembled from
        float factors (no exact assembly; for large complexes).

        ``symmetric=True`` returns the similar matrix ``M_p^{1/2} Δ_p M_p^{−1/2}`` (or
        ``M_p^{1/2} L_p M_p^{−1/2}``) — same eigenvalues, symmetric positive
        semidefinite — assembled as ``XᵀX + YᵀY`` from the factors
        ``X = M_{p+1}^{1/2} B_{p+1}ᵀ M_p^{−1/2}``, ``Y = M_{p−1}^{−1/2} B_p M_p^{1/2}``
        (chain form: the exponents of ``M_{p±1}`` and ``M_p`` swapped) and then
        averaged with its transpose, so it is exactly symmetric in floats: feed it to
        ``numpy.linalg.eigvalsh`` or ``scipy.sparse.linalg.eigsh``. The default
        (cochain form) is **not** symmetric for non-uniform measures.

        >>> from exactgeom import arrangement
        >>> K = RiemannianComplex.from_partition(arrangement([[1, 0]], [0], [(-1, 1), (0, 2)]))
        >>> S = K.hodge_laplacian_float(0, symmetric=True)
        >>> bool((S != S.T).nnz == 0), [round(float(x), 12) for x in __import__("numpy").linalg.eigvalsh(S.toarray())]
        (True, [0.0, 2.0])
        """
        return float_views.hodge_laplacian(self, p, form, symmetric=symmetric)

    def spectrum_float(self, p: int, k: int | None = None, *, progress: bool | None = None) -> Any:
        """FLOAT view: eigenvalues of ``Δ_p`` (the ``k`` smallest if given), ascending.

        Computed on the symmetric form (``hodge_laplacian_float(p, symmetric=True)``):
        all eigenvalues by a dense symmetric solver, or — with ``k`` on a large complex
        — the ``k`` smallest by scipy's sparse ``eigsh`` in shift-invert mode just below
        zero (dense fallback when ARPACK does not converge).
        """
        return float_views.spectrum(self, p, k, progress=progress)

    # ------------------------------------------------------------------ splines
    def positions(self, kind: str = "centroid") -> tuple[tuple[Fraction, ...], ...]:
        """Vertex positions: cell centroids, or data means (cells without data keep their
        centroid)."""
        return vertex_positions(self, kind)

    def _interpolator(self, kind: str) -> Interpolator:
        key = ("interp", kind)
        if key not in self._cache:
            self._cache[key] = Interpolator(self.positions(kind), self._data.simplices)
        return cast("Interpolator", self._cache[key])

    def _spline_inputs(self, y: Any, weights: Any, lam: Any, policy: PolicyLike | None) -> tuple[Any, Any, Fraction]:
        return spline_inputs(self, y, weights, lam, policy)

    def spline(
        self,
        y: Any,
        lam: Any,
        weights: Any = None,
        *,
        positions: str = "centroid",
        edge_weights: str = "metric",
        digits: int = 15,
        method: str = "auto",
        policy: PolicyLike | None = None,
    ) -> SplineFit:
        """The simplicial smoothing spline ``(W + λ B_1 M_1 B_1ᵀ) f = W y``.

        Parameters
        ----------
        y : per-cell targets (exact)
        lam : λ ≥ 0 (exact)
        weights : per-cell weights W ≥ 0; default the data mass when the complex has
            data, else the cell volumes
        positions : {"centroid", "data_mean"} vertex positions of the predictor
        edge_weights : {"metric", "two_point", "angle"} the edge operator ``M_1``:
            the complex's inner product (default), the two-point-flux weights, or the
            angle metric
        digits : digits of the certified enclosures (when not exact)
        method : {"auto", "certified", "float"}
            The route: ``"auto"`` exact when possible, else certified; ``"certified"``
            certified enclosures; ``"float"`` a scipy sparse float solve (then floats in
            ``y``, ``lam``, ``weights`` need no policy: they are read exactly and the
            result is float anyway). ``fit.route`` names the route taken and
            ``fit.values`` is always filled (see :class:`SplineFit`).
        policy : float policy for float ``y``, ``lam`` or ``weights`` (exact routes)

        Examples
        --------
        >>> from exactgeom import arrangement
        >>> K = RiemannianComplex.from_partition(arrangement([[1, 0]], [0], [(-1, 1), (0, 1)]))
        >>> fit = K.spline([0, 2], 1)
        >>> fit.values, fit.predict(["1/4", "1/2"])
        ((Fraction(2, 3), Fraction(4, 3)), Fraction(7, 6))
        """
        if method == "float" and policy is None:
            policy = "exact"
        yv, W, lv = self._spline_inputs(y, weights, lam, policy)
        B1 = self.boundary(1) if self.dim >= 1 else ExactMatrix((self.n_cells, 0), {}, "ZZ")
        M1 = self._edge_operator(edge_weights) if self.dim >= 1 else ExactMatrix((0, 0), {}, "ZZ")
        return solve_spline(B1, M1, W, yv, lv, digits=digits, method=method, interpolator=self._interpolator(positions))

    def spline_path(self, y: Any, lams: Sequence[Any], weights: Any = None, **kwargs: Any) -> tuple[SplineFit, ...]:
        """Splines for several λ (same targets and weights)."""
        return tuple(self.spline(y, lam, weights, **kwargs) for lam in lams)

    def spline_float(self, y: Any, lam: float, weights: Any = None, *, edge_weights: str = "metric") -> Any:
        """FLOAT path of :meth:`spline` (scipy sparse solve); returns a numpy array."""
        return float_views.spline(self, y, lam, weights, edge_weights=edge_weights)

    def spline_constrained(
        self,
        y: Any,
        lam: Any,
        weights: Any = None,
        *,
        lower: Any = None,
        upper: Any = None,
        monotone: Any = None,
        positions: str = "centroid",
        edge_weights: str = "metric",
        solver: str | None = None,
        policy: PolicyLike | None = None,
    ) -> ConstrainedFit:
        """Constrained spline (bounds, monotone along a direction), FLOAT via cvxpy,
        cross-checked against the exact unconstrained fit (see
        :func:`~exactgeom.complex.spline.constrained_spline_float`)."""
        fit = self.spline(y, lam, weights, positions=positions, edge_weights=edge_weights, policy=policy)
        B1 = self.boundary(1)
        M1 = self._edge_operator(edge_weights)
        return constrained_spline_float(
            fit, B1, M1, self.positions(positions), cast("Sequence[tuple[int, int]]", self.simplices(1)),
            lower=lower, upper=upper,
            monotone=monotone, solver=solver,
        )

    def to_networkx(self) -> Any:
        """The 1-skeleton as a ``networkx.Graph`` with exact attributes.

        Nodes are the cells (vertex ``i`` is cell ``i``) with ``key``, ``label`` (the
        partition's :meth:`~exactgeom.Partition.label`) and ``measure`` (``μ_0``, exact);
        edges are the 1-simplices with ``measure`` (``μ_1``: a Fraction or a Surd) and
        ``intersection_dim`` (``dim I_σ``: ``n − 1`` across a shared face, less where the
        nerve joins cells meeting in a lower-dimensional contact).  Graph attributes:
        ``convention``, ``measure_name``, ``metric_name``, ``lowdim_measure``.  Needs
        networkx (``pip install 'exactgeom[interop]'``).

        >>> from exactgeom import arrangement
        >>> P = arrangement([[1, 0], [0, 1]], [0, 0], [(-1, 1), (-1, 1)])
        >>> G = RiemannianComplex.from_partition(P, convention="nerve").to_networkx()
        >>> G.number_of_edges(), G.edges[0, 3]["intersection_dim"], G.edges[0, 1]["measure"]
        (6, 0, Fraction(1, 1))
        """
        from ..numbers.interop import optional_import

        nx = optional_import("networkx", "RiemannianComplex.to_networkx()")
        G = nx.Graph(convention=self._convention, measure_name=self._measure, metric_name=self._metric,
                     lowdim_measure=self._lowdim)
        P = self._partition
        for (i,), mu in zip(self.simplices(0), self.measure(0)):
            G.add_node(i, key=P.cells[i].key, label=P.label(i), measure=mu)
        for e, mu in zip(self.simplices(1), self.measure(1)):
            G.add_edge(e[0], e[1], measure=mu, intersection_dim=self.intersection_dim(e))
        return G

    def __repr__(self) -> str:
        return (
            f"RiemannianComplex({self._convention}, measure={self._measure}, metric={self._metric}, "
            f"f_vector={self.f_vector()})"
        )

