"""ReLU networks with exact rational weights, and the partition of a domain into their
activation cells.

A network ``z_l = W_l h_{l−1} + b_l``, ``h_l = ReLU(z_l)`` (``h_0 = x``) for the hidden
layers ``l = 1..H``, followed by an affine output layer ``y = W_{H+1} h_H + b_{H+1}``.
A unit is *active* iff its pre-activation is ``> 0``. The cell of a pattern ``s`` is the
closure of the set of points with that pattern; only full-dimensional cells are cells.
See ``docs/definitions/relu.md`` for every convention.

>>> net = ReLUNetwork([[[1, 0], [0, 1]], [[1, 1]]], [[0, 0], [0]])
>>> P = relu_network(net, None, [(-1, 1), (-1, 1)])
>>> P.n_cells, [c.key for c in P.cells]
(4, [((0, 0),), ((0, 1),), ((1, 0),), ((1, 1),)])
>>> net.output_affine(((1, 0),))
(((Fraction(1, 1), Fraction(0, 1)),), (Fraction(0, 1),))
>>> relu_network(net, None, [(-1, 1), (-1, 1)], mode="data", data=[["1/2", "1/2"], ["-1/2", 0]]).n_cells
2
"""

from __future__ import annotations

import json
import sys
from collections.abc import Hashable, Sequence
from fractions import Fraction
from functools import cached_property
from importlib import resources
from typing import Any

from ..errors import InvalidInputError
from ..numbers.rational import FloatPolicy, PolicyLike, as_rational_matrix, as_rational_vector, short_str
from ..polytope.polytope import Polytope
from ._vcell import int_row
from .partition import Partition, as_domain
from .relu_data import DataPartition, choose_engine, domain_centre, hfirst_cells, hfirst_full, make_bar
from .relu_enum import Engine, enumerate_full, progress_bar, run_cells
from .relu_int import IntNet, Pattern

__all__ = ["ReLUNetwork", "relu_network", "load_example"]

Vec = tuple[Fraction, ...]
Matrix = tuple[Vec, ...]


def _dot(a: Sequence[Fraction], x: Sequence[Fraction]) -> Fraction:
    return sum((ai * xi for ai, xi in zip(a, x) if ai and xi), Fraction(0))


class ReLUNetwork:
    """A ReLU network with exact rational parameters (immutable).

    Parameters
    ----------
    weights : sequence of matrices
        ``weights[l]`` is the ``n_{l+1} × n_l`` matrix of layer ``l`` (0-based); every
        layer but the last is followed by ReLU, the last is the affine output.
    biases : sequence of vectors
        ``biases[l]`` has length ``n_{l+1}``.
    policy : float policy, optional
        How floats become rationals (``"exact"`` or ``"limit_denominator(N)"``);
        ``None`` refuses floats.
    negative_slopes : sequence of rationals, optional
        One slope ``α_l`` per hidden layer for leaky ReLU units
        (``h = z`` if ``z > 0`` else ``α_l z``; a rational, so still piecewise linear
        and exact). Default: all 0 (plain ReLU). Activation patterns keep their meaning
        (active iff ``z > 0``); only the affine maps on a cell change.

    Examples
    --------
    >>> net = ReLUNetwork([[[1], [-1]], [[1, 1]]], [[0, 0], [0]])   # |x| in R^1
    >>> net.forward(["-3/2"]), net.pattern([2]), net.pattern([0])
    ((Fraction(3, 2),), ((1, 0),), ((0, 0),))
    >>> ReLUNetwork([[[1, 2]], [[1], [1]]], [[0], [0, 0]]).layer_sizes   # 2 → 1 → 2
    (2, 1, 2)
    >>> leaky = ReLUNetwork([[[1]], [[1]]], [[0], [0]], negative_slopes=["1/10"])
    >>> leaky.forward([-2]), leaky.negative_slopes
    ((Fraction(-1, 5),), (Fraction(1, 10),))
    >>> ReLUNetwork([[[1, 2]], [[1, 1]]], [[0], [0]])
    Traceback (most recent call last):
    ...
    exactgeom.errors.InvalidInputError: weights[1] has 2 columns, expected 1 (the width of layer 0's output); ...
    """

    def __init__(
        self, weights: Any, biases: Any, policy: PolicyLike | None = None, *, negative_slopes: Any = None
    ) -> None:
        if isinstance(weights, (str, bytes)) or not hasattr(weights, "__len__"):
            raise InvalidInputError("weights must be a list of matrices, one per layer (the last is the output)")
        if len(weights) == 0:
            raise InvalidInputError("weights is empty: a network needs at least its output layer")
        if isinstance(biases, (str, bytes)) or not hasattr(biases, "__len__"):
            raise InvalidInputError("biases must be a list of vectors, one per layer")
        if len(biases) != len(weights):
            raise InvalidInputError(
                f"{len(weights)} weight matrices but {len(biases)} bias vectors; give one bias vector per layer"
            )
        Ws: list[Matrix] = []
        bs: list[Vec] = []
        prev: int | None = None
        for l, (Wl, bl) in enumerate(zip(weights, biases)):
            M = as_rational_matrix(Wl, policy, name=f"weights[{l}]")
            if not M or not M[0]:
                raise InvalidInputError(
                    f"weights[{l}] is empty; every layer needs at least one unit and one input"
                )
            if prev is not None and len(M[0]) != prev:
                raise InvalidInputError(
                    f"weights[{l}] has {len(M[0])} columns, expected {prev} (the width of layer {l - 1}'s "
                    f"output); weights[l] must be n_(l+1) x n_l"
                )
            v = as_rational_vector(bl, policy, name=f"biases[{l}]")
            if len(v) != len(M):
                raise InvalidInputError(
                    f"biases[{l}] has length {len(v)}, expected {len(M)} (the number of rows of weights[{l}])"
                )
            Ws.append(M)
            bs.append(v)
            prev = len(M)
        self._W = tuple(Ws)
        self._b = tuple(bs)
        H = len(Ws) - 1
        if negative_slopes is None:
            self._slopes: Vec = tuple(Fraction(0) for _ in range(H))
        else:
            if isinstance(negative_slopes, (str, bytes)) or not hasattr(negative_slopes, "__len__"):
                raise InvalidInputError("negative_slopes must be a list with one rational per hidden layer")
            if len(negative_slopes) != H:
                raise InvalidInputError(
                    f"negative_slopes has {len(negative_slopes)} entries but the network has {H} hidden layers; "
                    "give one slope per hidden layer (0 for plain ReLU)"
                )
            self._slopes = as_rational_vector(negative_slopes, policy, name="negative_slopes")
        self._policy = None if policy is None else str(FloatPolicy.parse(policy))

    # ------------------------------------------------------------------ data
    @property
    def weights(self) -> tuple[Matrix, ...]:
        return self._W

    @property
    def biases(self) -> tuple[Vec, ...]:
        return self._b

    @property
    def negative_slopes(self) -> Vec:
        """The negative slope of each hidden layer (0: plain ReLU, else leaky ReLU)."""
        return self._slopes

    @property
    def is_leaky(self) -> bool:
        """Whether some hidden layer has a non-zero negative slope."""
        return any(self._slopes)

    @property
    def policy(self) -> str | None:
        """The float policy the parameters were converted with (None: exact input)."""
        return self._policy

    @property
    def layer_sizes(self) -> tuple[int, ...]:
        """``(n_in, n_1, …, n_H, n_out)``."""
        return (len(self._W[0][0]),) + tuple(len(M) for M in self._W)

    @property
    def n_in(self) -> int:
        return len(self._W[0][0])

    @property
    def n_out(self) -> int:
        return len(self._W[-1])

    @property
    def hidden_sizes(self) -> tuple[int, ...]:
        return tuple(len(M) for M in self._W[:-1])

    @cached_property
    def _int(self) -> IntNet:
        return IntNet.from_rational(self._W, self._b, self._slopes)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ReLUNetwork):
            return NotImplemented
        return self._W == other._W and self._b == other._b and self._slopes == other._slopes

    def __hash__(self) -> int:
        return hash((self._W, self._b) + ((self._slopes,) if self.is_leaky else ()))

    def __repr__(self) -> str:
        leaky = f", negative_slopes={[str(a) for a in self._slopes]}" if self.is_leaky else ""
        return f"ReLUNetwork({'-'.join(map(str, self.layer_sizes))}{leaky})"

    def __getstate__(self) -> dict:
        return {"_W": self._W, "_b": self._b, "_policy": self._policy, "_slopes": self._slopes}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        if "_slopes" not in state:  # pickled before leaky units existed
            self._slopes = tuple(Fraction(0) for _ in range(len(self._W) - 1))

    # ------------------------------------------------------------------ evaluation
    def _point(self, x: Any, policy: PolicyLike | None = None) -> Vec:
        return as_rational_vector(x, policy, name="x", length=self.n_in)

    def forward(self, x: Any, *, policy: PolicyLike | None = None) -> Vec:
        """The exact output at ``x`` (float coordinates need a ``policy``,
        :class:`~exactgeom.FloatPolicy`)."""
        h = self._point(x, policy)
        for l, (Wl, bl) in enumerate(zip(self._W, self._b)):
            z = tuple(_dot(r, h) + c for r, c in zip(Wl, bl))
            if l == len(self._W) - 1:
                h = z
            else:
                a = self._slopes[l]
                h = tuple(v if v > 0 else a * v for v in z)
        return h

    def pattern(self, x: Any, *, policy: PolicyLike | None = None) -> Pattern:
        """The activation pattern at ``x``: one tuple of 0/1 per hidden layer, 1 iff the
        unit's pre-activation is ``> 0``. At a point on a cell boundary this may be the
        key of no full-dimensional cell; see :meth:`cell_pattern`. Float coordinates
        need a ``policy`` (:class:`~exactgeom.FloatPolicy`)."""
        return self._int.pattern(self._point(x, policy))

    def cell_pattern(self, x: Any, toward: Any = None, *, policy: PolicyLike | None = None) -> Pattern:
        """The key of the full-dimensional cell containing ``x`` that a point moving
        away from ``x`` enters first: the pattern at ``x + ε(t − x) + ε² e_1 + … +
        ε^{n+1} e_n`` for infinitesimal ``ε > 0``, with ``t = toward`` (the first term is
        dropped when ``toward`` is None). It is ``x``'s own pattern when ``x`` lies on no
        cell boundary, and a deterministic choice among the cells containing ``x``
        otherwise. :func:`relu_network` uses ``toward`` = the domain's centre (the mean
        of its vertices), so that a data point on the domain's boundary goes to a cell
        of the domain. Float coordinates need a ``policy`` (:class:`~exactgeom.FloatPolicy`).

        >>> net = ReLUNetwork([[[1], [-1]], [[1, 1]]], [[0, 0], [0]])
        >>> net.pattern([0]), net.cell_pattern([0]), net.cell_pattern([0], toward=[-1])
        (((0, 0),), ((1, 0),), ((0, 1),))
        """
        t = None if toward is None else as_rational_vector(toward, policy, name="toward", length=self.n_in)
        return self._int.cell_pattern(self._point(x, policy), t)

    def cell_patterns(self, points: Any, toward: Any = None, *, policy: PolicyLike | None = None) -> tuple[Pattern, ...]:
        """:meth:`cell_pattern` of many points (batched exact integer arithmetic)."""
        pts = as_rational_matrix(points, policy, name="points", ncols=self.n_in)
        t = None if toward is None else as_rational_vector(toward, policy, name="toward", length=self.n_in)
        return tuple(self._int.batch_cell_patterns(pts, t)[0])

    # ExactModel protocol -------------------------------------------------
    def key(self, x: Vec) -> Pattern:
        """The model key at ``x``: its activation pattern (see :meth:`pattern`)."""
        return self._int.pattern(x)

    def keys(self, points: Sequence[Vec]) -> tuple[Pattern, ...]:
        """:meth:`key` at many rational points at once (flint integer matrix products).

        >>> net = ReLUNetwork([[[1], [-1]], [[1, 1]]], [[0, 0], [0]])
        >>> net.keys([(Fraction(1),), (Fraction(-1, 2),)]) == (net.key((Fraction(1),)), net.key((Fraction(-1, 2),)))
        True
        """
        return tuple(self._int.batch_patterns(list(points))[0])

    def label(self, key: Hashable) -> None:
        """None: the class is not a function of the pattern alone, because the decision
        boundary ``output = 0`` (or an argmax tie) may cross a cell. The label needs the
        cell's geometry: :meth:`cell_label`, which :meth:`Partition.label` calls."""
        return None

    def cell_label(self, key: Hashable, polytope: Polytope) -> Hashable:
        """The class label of the cell ``polytope`` of pattern ``key``: the output's sign
        class (scalar output: 1 iff output > 0) or argmax (ties to the lowest index) when it
        is the same at every interior point, else ``"mixed"`` — decided exactly at the
        cell's vertices (:func:`exactgeom.partitions.labels.affine_label`).

        >>> net = ReLUNetwork([[[1], [-1]], [[1, 1]]], [[0, 0], ["-1/2"]])   # |x| − 1/2
        >>> P = relu_network(net, None, [(-1, 1)])
        >>> [(c.key, P.label(c)) for c in P.cells]
        [(((0, 1),), 'mixed'), (((1, 0),), 'mixed')]
        """
        from .labels import affine_label

        J, c = self.output_affine(key)
        return affine_label(J, c, polytope)

    def _check_pattern(self, pattern: Any) -> Pattern:
        sizes = self.hidden_sizes
        try:
            p = tuple(tuple(int(v) for v in layer) for layer in pattern)
        except (TypeError, ValueError):
            raise InvalidInputError(f"a pattern is a tuple of 0/1 tuples, one per hidden layer; got {pattern!r}") from None
        if len(p) != len(sizes) or any(len(a) != n for a, n in zip(p, sizes)):
            raise InvalidInputError(
                f"pattern has layer widths {[len(a) for a in p]}, the network's hidden layers have {list(sizes)}"
            )
        if any(v not in (0, 1) for a in p for v in a):
            raise InvalidInputError(f"pattern entries must be 0 or 1, got {pattern!r}")
        return p

    def affine_maps(self, pattern: Any) -> tuple[tuple[Matrix, Vec], ...]:
        """The exact affine maps ``Φ_l(x) = J_l x + c_l`` on the cell of ``pattern``:
        one per hidden layer (``J_l = D_l W_l J_{l−1}``, ``J_0 = I``; with leaky units
        ``D_l`` has the layer's negative slope instead of 0 on inactive units), then the
        output map last (no ReLU).

        >>> net = ReLUNetwork([[[2], [-1]], [[1, 1]]], [[1, 0], [0]])
        >>> [J for J, c in net.affine_maps(((1, 0),))]
        [((Fraction(2, 1),), (Fraction(0, 1),)), ((Fraction(2, 1),),)]
        """
        p = self._check_pattern(pattern)
        n = self.n_in
        J: Matrix = tuple(tuple(Fraction(int(i == j)) for j in range(n)) for i in range(n))
        c: Vec = tuple(Fraction(0) for _ in range(n))
        out = []
        for l, (Wl, bl) in enumerate(zip(self._W, self._b)):
            cols = list(zip(*J))
            G = tuple(tuple(_dot(r, col) for col in cols) for r in Wl)
            beta = tuple(_dot(r, c) + bb for r, bb in zip(Wl, bl))
            if l < len(p):
                a = self._slopes[l]
                if a:
                    J = tuple(g if su else tuple(a * v for v in g) for g, su in zip(G, p[l]))
                    c = tuple(bb if su else a * bb for bb, su in zip(beta, p[l]))
                else:
                    zero = tuple(Fraction(0) for _ in range(n))
                    J = tuple(g if su else zero for g, su in zip(G, p[l]))
                    c = tuple(bb if su else Fraction(0) for bb, su in zip(beta, p[l]))
            else:
                J, c = G, beta
            out.append((J, c))
        return tuple(out)

    def output_affine(self, key: Hashable) -> tuple[Matrix, Vec]:
        """``(J, c)``: the network output is ``J x + c`` on the cell of ``key`` (the last
        of :meth:`affine_maps`, computed from the output backwards — the output rows times
        the masked weight matrices, exact flint products — instead of the full Jacobians;
        the last 64 maps are memoised).

        >>> net = ReLUNetwork([[[2], [-1]], [[1, 1]]], [[1, 0], ["1/2"]])
        >>> net.output_affine(((1, 0),)) == net.affine_maps(((1, 0),))[-1]
        True
        """
        from flint import fmpq, fmpq_mat

        from .relu_enum import _frac  # (p, q) coprime -> Fraction without a second gcd

        p = self._check_pattern(key)
        memo = self.__dict__.setdefault("_affine_memo", {})  # the label and the fixture ask for one cell's map in turn
        got = memo.get(p)
        if got is not None:
            return got  # type: ignore[no-any-return]
        Wq, bq = self._fmpq_layers()
        H = len(Wq) - 1
        M, c = Wq[H], [bq[H][r, 0] for r in range(bq[H].nrows())]
        for l in range(H - 1, -1, -1):
            a = fmpq(self._slopes[l].numerator, self._slopes[l].denominator)
            units = len(p[l])
            rows = M.nrows()
            # M ← M · diag(mult) · W_l and c ← c + M · diag(mult) · b_l (flint products, exact);
            # M · diag(mult) by scaling M's columns (mult: 1 on active units, the slope else)
            Mm = fmpq_mat(rows, units, [M[r, k] if p[l][k] else M[r, k] * a for r in range(rows) for k in range(units)])
            cb = Mm * bq[l]
            c = [x + cb[r, 0] for r, x in enumerate(c)]
            M = Mm * Wq[l]
        J = tuple(tuple(_frac(int(x.p), int(x.q)) for x in (M[r, j] for j in range(M.ncols()))) for r in range(M.nrows()))
        out = J, tuple(_frac(int(q.p), int(q.q)) for q in c)
        if len(memo) >= 64:
            memo.pop(next(iter(memo)))
        memo[p] = out
        return out

    def _fmpq_layers(self) -> tuple[list[Any], list[Any]]:
        """The weights and biases (columns) as flint rational matrices (cached; not pickled)."""
        got = self.__dict__.get("_fmpq")
        if got is None:
            from flint import fmpq, fmpq_mat

            Wq = [fmpq_mat([[fmpq(x.numerator, x.denominator) for x in r] for r in W]) for W in self._W]
            bq = [fmpq_mat([[fmpq(x.numerator, x.denominator)] for x in b]) for b in self._b]
            got = self.__dict__["_fmpq"] = (Wq, bq)
        return got  # type: ignore[no-any-return]

    def preactivation_maps(self, pattern: Any) -> tuple[tuple[Matrix, Vec], ...]:
        """For each hidden layer l the affine pre-activation ``z_l = G_l x + β_l`` on the
        cell (``G_l = W_l J_{l−1}``: row k is the pulled-back covector of ``dz_{l,k}``)."""
        p = self._check_pattern(pattern)
        out = []
        for G, beta, scale in self._int.preactivation_rows(p):  # integers, divided once at the end
            out.append(
                (tuple(tuple(Fraction(v, scale) for v in g) for g in G), tuple(Fraction(v, scale) for v in beta))
            )
        return tuple(out)

    def cell_hrep(self, pattern: Any, domain: Any = None) -> tuple[Matrix, Vec]:
        """``(A, b)`` with the closed cell ``{x : A x <= b}``: one row per hidden unit
        (layer by layer; active ⇒ ``z >= 0``, inactive ⇒ ``z <= 0``), then the domain's
        facets when ``domain`` is given. Rows are not pruned (zero rows included).

        >>> A, b = ReLUNetwork([[[1], [-1]], [[1, 1]]], [[0, 0], [0]]).cell_hrep(((1, 0),), [(-1, 1)])
        >>> [(a[0], c) for a, c in zip(A, b)]
        [(Fraction(-1, 1), Fraction(0, 1)), (Fraction(-1, 1), Fraction(0, 1)), (Fraction(-1, 1), Fraction(1, 1)), (Fraction(1, 1), Fraction(1, 1))]
        """
        p = self._check_pattern(pattern)
        A: list[Vec] = []
        b: list[Fraction] = []
        for (G, beta), s in zip(self.preactivation_maps(p), p):
            for g, bb, su in zip(G, beta, s):
                if su:
                    A.append(tuple(-v for v in g))
                    b.append(bb)
                else:
                    A.append(g)
                    b.append(-bb)
        if domain is not None:
            D = as_domain(domain)
            if D.ambient_dim != self.n_in:
                raise InvalidInputError(f"the domain lives in R^{D.ambient_dim}, the network's input in R^{self.n_in}")
            for h in D.facets:
                A.append(tuple(Fraction(v) for v in h.normal))
                b.append(h.offset)
        return tuple(A), tuple(b)

    def cell(self, pattern: Any, domain: Any) -> Polytope:
        """The closed cell of ``pattern`` in ``domain`` as a :class:`Polytope` (may be
        empty or lower-dimensional when the pattern is not realised there)."""
        A, b = self.cell_hrep(pattern, domain)
        return Polytope._from_h(self.n_in, A, b)


# ---------------------------------------------------------------------- builder


def _as_network(weights: Any, biases: Any, policy: PolicyLike | None) -> ReLUNetwork:
    if isinstance(weights, ReLUNetwork):
        if biases is not None:
            raise InvalidInputError("pass biases=None when weights is already a ReLUNetwork")
        return weights
    if biases is None:
        raise InvalidInputError("biases are missing: give one bias vector per layer")
    return ReLUNetwork(weights, biases, policy=policy)


def relu_network(
    weights: Any,
    biases: Any,
    domain: Any,
    mode: str = "full",
    data: Any = None,
    *,
    policy: PolicyLike | None = None,
    progress: bool | None = None,
    executor: Any = None,
    engine: str = "auto",
) -> Partition:
    """Partition of ``domain`` into the activation cells of a ReLU network.

    Parameters
    ----------
    weights, biases
        Layer matrices and bias vectors (see :class:`ReLUNetwork`), or a
        :class:`ReLUNetwork` as ``weights`` with ``biases=None``.
    domain
        A box as a list of ``(lo, hi)`` pairs, or a full-dimensional bounded Polytope.
    mode
        ``"full"``: every cell in the domain, by exact recursive splitting of the
        domain by the units of each layer (each affine on the region above it).
        ``"data"``: only the cells that contain a data point.
    data
        Rational points inside the domain (required for ``mode="data"``). A point on a
        cell boundary is assigned to one full-dimensional cell containing it:
        ``net.cell_pattern(x, toward=c)`` with ``c`` the domain's centre (the mean of
        its vertices) for a box, the domain's ``relative_interior_point`` otherwise.
    policy
        Float policy for float weights, biases and data (recorded in the provenance).
    progress
        Show a tqdm bar (full mode: layer-1 regions, or with an executor pieces, done of their total, cells found):
        ``True``, ``False``, or ``None`` (default) for "only when stderr is a terminal and the run takes more than a second".
    executor
        Optional :class:`concurrent.futures.Executor` for the per-cell geometry
        (process pool, ``distributed.Client(...).get_executor()``). In full mode each
        task expands one convex piece of the domain cut by the first layer-1 units
        (plain data in and out, no shared state) and pairs the shared faces of its
        cells; the main
        process pairs the faces between tasks, so :meth:`Partition.adjacency` is known,
        and decodes each cell and face from the shipped bytes on first use. In data mode
        each task builds a run of data cells (H-first cells come back with their facet
        witnesses and the units on each facet, so the data graph repeats no geometry).
        Results are identical cell for cell to the serial run.
    engine
        How cells are built: ``"vertices"`` (incremental exact double description from
        the domain's vertices: fast in low dimension, but a box in R^n has 2^n
        vertices), ``"lp"`` (H-first: each cell is a :class:`Polytope` built from its
        pattern's half-spaces by exact LPs, no vertex enumeration; works in any input
        dimension) or ``"auto"`` (default: ``"vertices"`` up to
        :data:`~exactgeom.partitions.relu_data.VERTEX_ENGINE_MAX_DIM` inputs, else
        ``"lp"``). Both give identical cells. Networks with leaky units always take
        ``"lp"``.

    Returns
    -------
    Partition
        family ``"relu"``, cells sorted by key (the activation pattern: a tuple of 0/1
        tuples, one per hidden layer), ``model`` the :class:`ReLUNetwork`. With
        ``mode="data"`` a :class:`~exactgeom.partitions.relu_data.DataPartition`, whose
        :meth:`~exactgeom.partitions.relu_data.DataPartition.adjacency` is the data
        graph (data cells sharing an (n−1)-face, found without vertices).

    Examples
    --------
    >>> P = relu_network([[[1], [1]], [[1, -1]]], [[0, 0], [0]], [(-1, 1)])  # duplicate units
    >>> [(c.key, c.volume()) for c in P.cells]
    [(((0, 0),), Fraction(1, 1)), (((1, 1),), Fraction(1, 1))]
    >>> relu_network([[[0], [0]], [[1, 1]]], [[0, -1], [0]], [(0, 1)]).n_cells   # dead units
    1
    """
    net = _as_network(weights, biases, policy)
    D = as_domain(domain, policy=policy)
    n = D.ambient_dim
    if n != net.n_in:
        raise InvalidInputError(
            f"the domain lives in R^{n} but the network takes {net.n_in} inputs; give a domain with {net.n_in} (lo, hi) pairs"
        )
    if mode not in ("full", "data"):
        raise InvalidInputError(f"unknown mode {mode!r}; use 'full' or 'data'")
    if progress not in (None, True, False):
        raise InvalidInputError(f"progress must be True, False or None (auto), got {progress!r}")
    if executor is not None and not callable(getattr(executor, "map", None)):
        raise InvalidInputError("executor must be a concurrent.futures.Executor (an object with .map)")
    how = choose_engine(engine, n, net.is_leaky)
    # the vertex engine starts from the domain's vertices: only built when used
    eng = Engine(net._int, [h.normal for h in D.facets], [h.offset for h in D.facets], D.vertices) if how == "vertices" else None
    prov: dict[str, Any] = {
        "family": "relu",
        "mode": mode,
        "layer_sizes": list(net.layer_sizes),
        "policy": net.policy if net.policy is not None else (str(FloatPolicy.parse(policy)) if policy else None),
    }
    if net.is_leaky:
        prov["negative_slopes"] = list(net.negative_slopes)
    if mode == "full":
        if data is not None:
            raise InvalidInputError("data is only used with mode='data'; drop it or set mode='data'")
        if eng is not None:
            cells, adjacency = enumerate_full(eng, progress, executor)
            if adjacency is not None:  # parallel run: cells and shared faces made by the workers
                return Partition._from_cells(D, cells, family="relu", model=net, provenance=prov, adjacency=adjacency)  # type: ignore[arg-type]
        else:  # H-first cells: adjacency and check by facet crossing, no vertices needed
            from .crossing import CrossingPartition

            cells = hfirst_full(net, D, "lp" if engine == "lp" else "auto", progress)
            return CrossingPartition(D, cells, family="relu", model=net, provenance=prov)
    else:
        if data is None:
            raise InvalidInputError("mode='data' needs data: a list of points inside the domain")
        pts = as_rational_matrix(data, policy, name="data")
        if not pts:
            raise InvalidInputError("data is empty; give at least one point")
        if len(pts[0]) != n:
            raise InvalidInputError(f"data points have {len(pts[0])} coordinates, the domain lives in R^{n}")
        bad = net._int.outside(pts, [int_row(h.normal, h.offset) for h in D.facets])
        if bad is not None:
            raise InvalidInputError(
                f"data point {bad} = {short_str(pts[bad])} lies outside the domain; "
                "enlarge the domain or drop the point"
            )
        pats, boundary = net._int.batch_cell_patterns(pts, domain_centre(D))
        keys = sorted(set(pats))
        if eng is not None:
            cells = _data_cells(eng, keys, progress, executor)
        else:
            cells = hfirst_cells(net, D, keys, "lp" if engine == "lp" else "auto", progress, executor)
        prov["n_data"] = len(pts)
        prov["data"] = pts  # so a fixture of this partition stores its model and data (rebuildable)
        prov["n_data_zero_preactivation"] = len(boundary)
        return DataPartition(D, cells, family="relu", model=net, provenance=prov)
    return Partition(D, cells, family="relu", model=net, provenance=prov)  # type: ignore[arg-type]


def _data_cells(eng: Engine, keys: list[Pattern], progress: bool | None, executor: Any) -> list[tuple[Pattern, Polytope]]:
    bar = make_bar(progress, len(keys), "relu data cells")
    cells: list[tuple[Pattern, Polytope]] = []
    gen = run_cells(eng, keys, False, executor)
    try:
        for k, (P, _) in zip(keys, gen):
            if P is None:  # pragma: no cover - cell patterns are realised by construction
                raise AssertionError(f"internal error: data pattern {k} has no full-dimensional cell")
            cells.append((k, P))
            if bar is not None:
                bar.update(1)
    except KeyboardInterrupt:
        gen.close()
        if bar is not None:
            bar.close()
            bar = None
        print(f"\nrelu_network interrupted after {len(cells)} of {len(keys)} data cells; no partition was returned",
              file=sys.stderr)
        raise
    finally:
        if bar is not None:
            bar.close()
    return cells


def _make_bar(progress: bool | None) -> Any:
    return progress_bar(progress, None, "cell")


# ---------------------------------------------------------------------- built-in example


def load_example() -> tuple[ReLUNetwork, Polytope, tuple[Vec, ...], tuple[int, ...]]:
    """The built-in example: a small ReLU network with rational weights trained on a
    built-in 2-D data set (see ``exactgeom/data/example_relu.json`` and
    ``scripts/make_example_model.py``).

    Returns ``(network, domain, data, labels)``.

    >>> net, D, X, y = load_example()
    >>> net.n_in, D.dim, len(X) == len(y), set(y) == {0, 1}
    (2, 2, True, True)
    """
    text = resources.files("exactgeom").joinpath("data/example_relu.json").read_text(encoding="utf-8")
    doc = json.loads(text)
    net = ReLUNetwork(doc["weights"], doc["biases"])
    D = as_domain(doc["domain"])
    X = as_rational_matrix(doc["data"], name="data", ncols=net.n_in)
    y = tuple(int(v) for v in doc["labels"])
    return net, D, X, y
