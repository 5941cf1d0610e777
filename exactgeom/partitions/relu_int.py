"""Integer kernels for exact ReLU network evaluation (internal).

A network with rational weights is stored layer by layer as integer matrices over a
common positive denominator: ``W_l = Wt_l / L_l`` and ``b_l = bt_l / L_l``. Every
quantity whose *sign* is all that matters (pre-activations, directional derivatives)
is then computed in Python integers (or flint ``fmpz_mat`` for batches), dropping
positive scale factors: exact, and much faster than :class:`~fractions.Fraction`.

Conventions used throughout (see ``docs/definitions/relu.md``):

* a unit is *active* iff its pre-activation is ``> 0``;
* the *cell pattern* of a point ``p`` is the pattern at ``p + ε v_1 + ε² v_2 + …`` for an
  infinitesimal ``ε > 0`` (lexicographic / symbolic perturbation), with ``v_1, v_2, …``
  ending in the standard basis so that the result is always the pattern of a
  full-dimensional cell containing ``p``.

>>> from fractions import Fraction as F
>>> net = IntNet.from_rational([((F(1),), (F(-1),)), ((F(1), F(1)),)], [(F(0), F(0)), (F(0),)])
>>> net.pattern((F(1, 2),)), net.pattern((F(0),)), net.lex_pattern((F(0),), [(1,)])
(((1, 0),), ((0, 0),), ((1, 0),))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import reduce
from math import gcd, lcm
from typing import Any

__all__ = ["IntNet", "scale_point", "canonical_plane", "Pattern"]

Pattern = tuple[tuple[int, ...], ...]
IntRow = tuple[int, ...]
_CACHES = ("_flint_mats", "_fmpq_layers", "_first_unit_rows")


def scale_point(x: Sequence[Fraction]) -> tuple[IntRow, int]:
    """``x = xt / q`` with integers ``xt`` and ``q > 0``."""
    q = reduce(lcm, (v.denominator for v in x), 1)
    return tuple(v.numerator * (q // v.denominator) for v in x), q


def _homogeneous_columns(points: Sequence[Sequence[Fraction]], n: int) -> tuple[Any, Any]:
    """Points as the columns ``x̃`` of an ``fmpz_mat`` and their denominators ``q`` as
    a row (each point ``x̃ / q``)."""
    from flint import fmpz_mat

    cols = [scale_point(p) for p in points]
    N = len(cols)
    X = fmpz_mat(n, N, [cols[k][0][j] for j in range(n) for k in range(N)])
    return X, fmpz_mat(1, N, [c[1] for c in cols])


def canonical_plane(g: Sequence[int], beta: int) -> tuple[IntRow, Fraction]:
    """Canonical key of the hyperplane ``g·x + beta = 0`` (``g`` ≠ 0): the primitive
    normal with its first nonzero entry positive, and the offset ``c`` in ``w·x = c``."""
    d = reduce(gcd, g, 0)
    first = next(v for v in g if v != 0)
    if first < 0:
        d = -d
    return tuple(v // d for v in g), Fraction(-beta, d)


def canonical_halfspace_plane(normal: Sequence[int], offset: Fraction) -> tuple[IntRow, Fraction]:
    """Canonical key of the boundary hyperplane of ``normal·x <= offset`` (primitive normal)."""
    first = next(v for v in normal if v != 0)
    if first < 0:
        return tuple(-v for v in normal), -offset
    return tuple(normal), offset


def _primitive_rows(M: Any, n: int) -> list[tuple[IntRow, Fraction]]:
    """The rows ``[r | r_n]`` of a rational flint matrix as ``(g, β)`` with ``r·x + r_n =
    c·(g·x + β)``, ``c > 0``, ``g`` primitive integer (all zeros when ``r = 0``)."""
    A, _ = M.numer_denom()  # one positive common denominator
    ints = [int(v) for v in A.entries()]
    out = []
    for u in range(M.nrows()):
        r = ints[u * (n + 1) : (u + 1) * (n + 1)]
        g = gcd(*r[:n])
        if g == 0:
            out.append((tuple(r[:n]), Fraction(r[n])))
        else:
            out.append((tuple(v // g for v in r[:n]) if g != 1 else tuple(r[:n]), Fraction(r[n], g)))
    return out


@dataclass(frozen=True)
class IntNet:
    """A ReLU network as integer layers: ``W[l]`` rows and ``b[l]`` over denominator ``L[l]``.

    Layers ``0 .. H-1`` are hidden (ReLU); layer ``H`` is the affine output. Plain
    tuples of ints only, so it pickles cheaply to worker processes.
    """

    sizes: tuple[int, ...]  # (n_in, n_1, ..., n_H, n_out)
    W: tuple[tuple[IntRow, ...], ...]
    b: tuple[IntRow, ...]
    L: tuple[int, ...]
    #: per hidden layer the negative slope ``p/q`` of its units as ``(p, q)`` (``q > 0``);
    #: empty for plain ReLU (slope 0 everywhere). An inactive unit outputs ``(p/q)·z``.
    slopes: tuple[tuple[int, int], ...] = ()

    @classmethod
    def from_rational(
        cls,
        weights: Sequence[Sequence[Sequence[Fraction]]],
        biases: Sequence[Sequence[Fraction]],
        slopes: Sequence[Fraction] = (),
    ) -> IntNet:
        Ws, bs, Ls = [], [], []
        sizes = [len(weights[0][0])]
        for Wl, bl in zip(weights, biases):
            den = reduce(lcm, (v.denominator for r in Wl for v in r), 1)
            den = reduce(lcm, (v.denominator for v in bl), den)
            Ws.append(tuple(tuple(v.numerator * (den // v.denominator) for v in r) for r in Wl))
            bs.append(tuple(v.numerator * (den // v.denominator) for v in bl))
            Ls.append(den)
            sizes.append(len(Wl))
        sl = tuple((Fraction(a).numerator, Fraction(a).denominator) for a in slopes) if any(slopes) else ()
        return cls(tuple(sizes), tuple(Ws), tuple(bs), tuple(Ls), sl)

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k not in _CACHES}  # caches stay behind

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)

    def _mats(self) -> list[tuple[Any, Any]]:
        """The hidden layers as flint ``(W, b)`` integer matrices (cached on the object)."""
        got = self.__dict__.get("_flint_mats")
        if got is None:
            from flint import fmpz_mat

            got = [
                (fmpz_mat(len(W), len(W[0]), [v for r in W for v in r]), fmpz_mat(len(b), 1, list(b)))
                for W, b in zip(self.W[: self.n_hidden], self.b[: self.n_hidden])
            ]
            object.__setattr__(self, "_flint_mats", got)
        return got

    def _slope(self, l: int) -> tuple[int, int]:
        """``(p, q)`` of hidden layer ``l`` (``(0, 1)`` for plain ReLU)."""
        return self.slopes[l] if self.slopes else (0, 1)

    @property
    def n_in(self) -> int:
        return self.sizes[0]

    @property
    def n_hidden(self) -> int:
        """Number of hidden (ReLU) layers H."""
        return len(self.W) - 1

    def preactivation_rows(self, pattern: Pattern) -> list[tuple[list[IntRow], list[int], int]]:
        """For each hidden layer of the cell of ``pattern``: the integer rows ``g`` and
        offsets ``β`` with the pre-activation ``z = (g·x + β) / scale`` on the cell (flint
        products, no Fractions; ``scale > 0``)."""
        from flint import fmpz_mat

        n = self.n_in
        Jc = fmpz_mat(n, n + 1, [int(i == j) for i in range(n) for j in range(n + 1)])  # [J | c], true = / sig
        sig = 1
        out = []
        for l in range(self.n_hidden):
            Wl = self.W[l]
            GB = fmpz_mat(len(Wl), len(Wl[0]), [v for r in Wl for v in r]) * Jc
            vals = [int(v) for v in GB.entries()]
            nu = len(Wl)
            G = [tuple(vals[u * (n + 1) : u * (n + 1) + n]) for u in range(nu)]
            beta = [vals[u * (n + 1) + n] + bb * sig for u, bb in enumerate(self.b[l])]
            scale = sig * self.L[l]
            out.append((G, beta, scale))
            sp, sq = self._slope(l)
            flat: list[int] = []
            for u, on in enumerate(pattern[l]):
                m = sq if on else sp
                if m:
                    flat.extend(v * m for v in G[u])
                    flat.append(beta[u] * m)
                else:
                    flat.extend([0] * (n + 1))
            Jc = fmpz_mat(nu, n + 1, flat)
            sig = scale * sq
        return out

    def _rational_layers(self) -> list[tuple[Any, Any]]:
        """The hidden layers as flint ``fmpq_mat`` pairs ``(W, [0 | b])`` in lowest terms
        (small numerators and denominators, unlike the integer rows over a layer's
        common denominator; cached on the object)."""
        got = self.__dict__.get("_fmpq_layers")
        if got is None:
            from flint import fmpq, fmpq_mat

            got = []
            for l in range(self.n_hidden):
                W, b, L = self.W[l], self.b[l], self.L[l]
                k = len(W[0])
                Wq = fmpq_mat(len(W), k, [fmpq(v, L) for r in W for v in r])
                Bq = fmpq_mat(len(W), self.n_in + 1, [fmpq(bb, L) if j == self.n_in else 0 for bb in b for j in range(self.n_in + 1)])
                got.append((Wq, Bq))
            object.__setattr__(self, "_fmpq_layers", got)
        return got

    def unit_rows(self, pattern: Pattern) -> list[tuple[IntRow, Fraction]]:
        """For every hidden unit of the cell of ``pattern`` (layer by layer): its
        pre-activation on the cell as ``c·(g·x + β)`` with ``c > 0``, ``g`` a primitive
        integer vector (all zeros for a unit constant on the cell) and ``β`` rational.

        The affine maps ``[J | c]`` of the layers are products of rational flint
        matrices in lowest terms (flint clears denominators per row and column, so the
        products run on small integers); each row is made primitive once at the end.

        >>> from fractions import Fraction as F
        >>> net = IntNet.from_rational([((F(1, 2), F(1, 3)),), ((F(2),),)], [(F(1, 4),), (F(0),)])
        >>> net.unit_rows(((1,),))
        [((3, 2), Fraction(3, 2))]
        """
        from flint import fmpq, fmpq_mat

        n = self.n_in
        layers = self._rational_layers()
        got = self.__dict__.get("_first_unit_rows")
        if got is None:  # the first layer's map and rows do not depend on the pattern
            Wq, Bq = layers[0]
            M = fmpq_mat(Wq.nrows(), n + 1, [v for r in Wq.tolist() for v in [*r, 0]]) + Bq
            got = (M, _primitive_rows(M, n))
            object.__setattr__(self, "_first_unit_rows", got)
        M, first = got
        out = list(first)
        for l in range(1, len(layers)):
            Wq, Bq = layers[l]
            sp, sq = self._slope(l - 1)
            k = Wq.ncols()
            mult = [fmpq(1) if on else fmpq(sp, sq) for on in pattern[l - 1]]
            D = fmpq_mat(k, k, [mult[i] if i == j else 0 for i in range(k) for j in range(k)])
            M = (Wq * D) * M + Bq
            out += _primitive_rows(M, n)
        return out

    # ------------------------------------------------------------------ single points
    def preactivations(self, x: Sequence[Fraction]) -> tuple[tuple[tuple[int, ...], ...], tuple[int, ...]]:
        """Integer pre-activations ``zt_l`` of every hidden layer with positive scales
        ``s_l`` (true value ``zt_l / s_l``), the last entry being the output layer."""
        h, q = scale_point(x)
        zs, scales = [], []
        for l in range(len(self.W)):
            Wl, bl = self.W[l], self.b[l]
            z = tuple(sum(w * v for w, v in zip(row, h)) + q * bb for row, bb in zip(Wl, bl))
            q *= self.L[l]
            zs.append(z)
            scales.append(q)
            if l < len(self.W) - 1:
                sp, sq = self._slope(l)
                if sp:  # leaky: h = z (active) or (p/q) z, kept integral over the scale q·sq
                    q *= sq
                    h = tuple(v * sq if v > 0 else v * sp for v in z)
                    continue
            h = tuple(v if v > 0 else 0 for v in z)
        return tuple(zs), tuple(scales)

    def pattern(self, x: Sequence[Fraction]) -> Pattern:
        """Activation pattern at ``x`` (active iff pre-activation > 0)."""
        zs, _ = self.preactivations(x)
        return tuple(tuple(1 if v > 0 else 0 for v in z) for z in zs[:-1])

    def lex_pattern(self, x: Sequence[Fraction], dirs: Sequence[Sequence[int]], *, ties: bool = False) -> Any:
        """Pattern at ``x + ε d_1 + ε² d_2 + …`` (ε → 0+), ``dirs`` integer vectors.

        Layer by layer: a unit is active iff the vector (pre-activation at x, its
        derivatives along d_1, d_2, … within the piece the perturbed point lies in) is
        lexicographically positive. When ``dirs`` spans R^n the result is the pattern of
        a full-dimensional cell containing ``x``. With ``ties=True`` returns
        ``(pattern, tied)``: ``tied`` says whether some unit had a zero pre-activation
        and zero derivatives along every direction given (then a unit set inactive here
        might be active along further directions).
        """
        from flint import fmpz_mat

        h0, q = scale_point(x)
        n = len(h0)
        m = len(dirs)
        hv = fmpz_mat(n, 1, list(h0))
        # M[j][k]: derivative of coordinate j along direction k (positive scale dropped)
        M = fmpz_mat(n, m, [int(dirs[k][j]) for j in range(n) for k in range(m)])
        out = []
        tied = False
        H = self.n_hidden
        mats = self._mats()
        for l in range(H):
            Wm, bm = mats[l]
            z = [int(v) for v in (Wm * hv + bm * q).entries()]
            Md = [int(v) for v in (Wm * M).entries()]
            nu = len(z)
            s = []
            for u, zu in enumerate(z):
                if zu > 0:
                    s.append(1)
                elif zu < 0:
                    s.append(0)
                else:
                    first = next((v for v in Md[u * m : (u + 1) * m] if v != 0), 0)
                    if first == 0:
                        tied = True
                    s.append(1 if first > 0 else 0)
            q *= self.L[l]
            sp, sq = self._slope(l)
            if sp:  # leaky units: scale active rows by sq, inactive by sp (positive factor sq dropped)
                q *= sq
            mult = [(sq if su else sp) if sp else su for su in s]
            hv = fmpz_mat(nu, 1, [zu * f for zu, f in zip(z, mult)])
            M = fmpz_mat(nu, m, [v * mult[u] for u in range(nu) for v in Md[u * m : (u + 1) * m]])
            out.append(tuple(s))
        return (tuple(out), tied) if ties else tuple(out)

    def cell_pattern(self, x: Sequence[Fraction], toward: Sequence[Fraction] | None = None) -> Pattern:
        """The pattern at ``x + ε (t − x) + ε² e_1 + … + ε^{n+1} e_n`` (``t = toward``;
        without it the first term is dropped): the key of a full-dimensional cell that
        contains ``x`` (``x``'s own pattern when ``x`` is on no cell boundary). With
        ``t`` an interior point of a convex domain containing ``x``, that cell meets the
        domain's interior."""
        zs, _ = self.preactivations(x)
        if all(v != 0 for z in zs[:-1] for v in z):
            return tuple(tuple(1 if v > 0 else 0 for v in z) for z in zs[:-1])
        n = self.n_in
        dirs: list[IntRow] = []
        if toward is not None:
            d = [Fraction(t) - Fraction(v) for t, v in zip(toward, x)]
            if any(d):
                dirs.append(scale_point(d)[0])
        dirs += [tuple(int(i == j) for j in range(n)) for i in range(n)]
        return self.lex_pattern(x, dirs)

    # ------------------------------------------------------------------ batches
    def batch_patterns(
        self, points: Sequence[Sequence[Fraction]], chunk: int = 1024
    ) -> tuple[list[Pattern], list[int]]:
        """Plain patterns of many points (flint ``fmpz_mat`` products, ``chunk`` points at
        a time to bound memory: exact pre-activations of deep layers have thousands of
        bits), and the indices of the points with some pre-activation exactly zero."""
        if len(points) > chunk:
            pats: list[Pattern] = []
            zeros: list[int] = []
            for i in range(0, len(points), chunk):
                p, z = self.batch_patterns(points[i : i + chunk], chunk)
                pats.extend(p)
                zeros.extend(i + k for k in z)
            return pats, zeros
        from flint import fmpz_mat

        N = len(points)
        if N == 0:
            return [], []
        Xh, qrow = _homogeneous_columns(points, self.n_in)
        zero_cols: set[int] = set()
        layer_signs: list[list[tuple[int, ...]]] = []
        Hmat = Xh
        for l in range(self.n_hidden):
            Wl = fmpz_mat(len(self.W[l]), len(self.W[l][0]), [v for r in self.W[l] for v in r])
            bcol = fmpz_mat(len(self.b[l]), 1, list(self.b[l]))
            Z = Wl * Hmat + bcol * qrow
            qrow = qrow * self.L[l]
            sp, sq = self._slope(l)
            if sp:
                qrow = qrow * sq
            vals = Z.entries()
            nu = len(self.W[l])
            signs = []
            flat = []
            for u in range(nu):
                r = vals[u * N : (u + 1) * N]
                su = [v > 0 for v in r]
                signs.append(su)
                if 0 in r:
                    zero_cols.update(k for k, v in enumerate(r) if v == 0)
                if sp:
                    flat.extend([v * sq if p else v * sp for v, p in zip(r, su)])
                else:
                    flat.extend([v if p else 0 for v, p in zip(r, su)])
            layer_signs.append([tuple(map(int, t)) for t in zip(*signs)])
            Hmat = fmpz_mat(nu, N, flat)
        H = self.n_hidden
        pats = [tuple(layer_signs[l][k] for l in range(H)) for k in range(N)]
        return pats, sorted(zero_cols)

    def outside(self, points: Sequence[Sequence[Fraction]], rows: Sequence[tuple[IntRow, int]]) -> int | None:
        """Index of the first point violating some integer row ``a·x <= b``, or None."""
        from flint import fmpz_mat

        if not points or not rows:
            return None
        Xh, qrow = _homogeneous_columns(points, self.n_in)
        n = self.n_in
        R = fmpz_mat(len(rows), n, [-v for a, _ in rows for v in a])
        bcol = fmpz_mat(len(rows), 1, [b for _, b in rows])
        S = (R * Xh + bcol * qrow).entries()  # b q - a·x̃ >= 0 inside
        N = len(points)
        bad = [k for k, v in enumerate(S) if v < 0]
        return min(k % N for k in bad) if bad else None

    def batch_cell_patterns(
        self, points: Sequence[Sequence[Fraction]], toward: Sequence[Fraction] | None = None
    ) -> tuple[list[Pattern], list[int]]:
        """:meth:`cell_pattern` of many points; also returns the indices of the points
        that lie on a cell boundary (some pre-activation exactly zero)."""
        pats, boundary = self.batch_patterns(points)
        for k in boundary:
            pats[k] = self.cell_pattern(points[k], toward)
        return pats, boundary
