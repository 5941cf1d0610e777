"""Certified spectra block by block.

An operator ``op = M⁻¹ sym`` of a complex whose graph (or complex) falls apart into
pieces is block diagonal: after a permutation of the simplices, ``op``, ``sym`` and
``M`` all have the same diagonal blocks. Its spectrum is the multiset union of the
spectra of the blocks, and so are the kernel (a direct sum) and positive
semidefiniteness. :func:`diagonal_blocks` finds the finest common block structure of
given matrices (the connected components of the graph of their nonzero entries), and
:func:`block_spectrum` computes each block's certified spectrum with the per-matrix
routine :func:`~exactgeom.complex.spectrum.spectrum` and returns the union as one
:class:`~exactgeom.complex.spectrum.Spectrum`, with the same guarantees:

* eigenvalues ascending with multiplicity; ``clusters`` ascending and pairwise
  disjoint, each with the exact number of eigenvalues inside (overlapping enclosures
  of different blocks are merged into their hull, the counts added);
* when the whole operator would take the exact characteristic polynomial route
  (rational, ``n ≤ CHARPOLY_MAX`` or ``charpoly=True``), the characteristic polynomial
  is the product of the blocks' (computed from the small blocks) and its roots are
  isolated exactly as for the whole matrix: the result is identical;
* the kernel dimension is the sum of the blocks' (exact); a known total kernel
  dimension (a Betti number) is split over the blocks through ``kernel_of`` (the exact
  kernel dimension of a block, when known from elsewhere) and the remainder given to
  the largest block, so its zero cluster is the exact point ``[0, 0]`` as before.

A graph Laplacian with ``c`` components of sizes ``s_1, …, s_c`` thus costs ``Σ s_k³``
instead of ``(Σ s_k)³``; isolated vertices (1×1 blocks) are read off exactly.

>>> from exactgeom.complex.sparse import ExactMatrix
>>> L = ExactMatrix.from_rows([[1, -1, 0], [-1, 1, 0], [0, 0, 3]])      # an edge and a lone vertex
>>> diagonal_blocks(L)
[[0, 1], [2]]
>>> s = block_spectrum(L, L, ExactMatrix.diagonal([1, 1, 1]), blocks=True)
>>> [(str(e), m) for e, m in s.clusters], s.kernel_dim, s.charpoly
([('[0, 0]', 1), ('[2, 2]', 1), ('[3, 3]', 1)], 1, (Fraction(1, 1), Fraction(-5, 1), Fraction(6, 1), Fraction(0, 1)))
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from fractions import Fraction
from typing import Any

from ..errors import InvalidInputError
from ..linalg.certified import charpoly_eigenvalues
from ..linalg.symmetric import cluster_enclosures
from ..numbers.ball import Enclosure
from . import spectrum as _sp
from .sparse import ExactMatrix

__all__ = ["diagonal_blocks", "block_spectrum", "submatrix", "components", "graph_kernel_of", "BLOCKS_MIN"]

#: ``blocks="auto"`` splits an operator into its diagonal blocks only above this many
#: rows (smaller operators keep the whole-matrix route, whose results are stored in the
#: fixtures digit for digit; the split gives the same guarantees, not the same digits).
BLOCKS_MIN = _sp.CHARPOLY_MAX


def diagonal_blocks(*mats: ExactMatrix) -> list[list[int]]:
    """The finest common block-diagonal structure of square matrices of one size.

    Returns the connected components of the graph on the indices ``0 … n−1`` with an
    edge ``i – j`` whenever one of the matrices has a nonzero ``(i, j)`` entry: every
    matrix is zero outside the diagonal blocks these index sets span. Each block is
    ascending; blocks are ordered by their smallest index.

    >>> A = ExactMatrix.from_rows([[2, 0, 1], [0, 5, 0], [1, 0, 2]])
    >>> diagonal_blocks(A, ExactMatrix.diagonal([1, 1, 1]))
    [[0, 2], [1]]
    >>> diagonal_blocks(A, ExactMatrix.diagonal([1, 1]))
    Traceback (most recent call last):
    ...
    exactgeom.errors.InvalidInputError: diagonal_blocks needs square matrices of one size, got shapes [(3, 3), (2, 2)]
    """
    if not mats or any(not isinstance(A, ExactMatrix) for A in mats):
        raise InvalidInputError("diagonal_blocks needs one or more ExactMatrix arguments")
    shapes = [A.shape for A in mats]
    n = shapes[0][0]
    if any(s != (n, n) for s in shapes):
        raise InvalidInputError(f"diagonal_blocks needs square matrices of one size, got shapes {shapes}")
    return components(n, ((i, j) for A in mats for i, j in A._e if i != j))


def components(n: int, pairs: Iterable[tuple[int, int]]) -> list[list[int]]:
    """The connected components of the graph on ``0 … n−1`` with the given edges, each
    ascending, ordered by their smallest vertex (union–find).

    >>> components(5, [(0, 3), (4, 1)])
    [[0, 3], [1, 4], [2]]
    """
    parent = list(range(n))

    def find(v: int) -> int:
        while parent[v] != v:
            parent[v] = parent[parent[v]]
            v = parent[v]
        return v

    for i, j in pairs:
        a, b = find(i), find(j)
        if a != b:
            parent[max(a, b)] = min(a, b)
    groups: dict[int, list[int]] = {}
    for v in range(n):
        groups.setdefault(find(v), []).append(v)
    return sorted(groups.values(), key=lambda g: g[0])


def graph_kernel_of(
    n_cells: int, edges: Sequence[Sequence[int]], cell_of_row: Sequence[int]
) -> Callable[[Sequence[int]], int | None]:
    """``kernel_of`` for :func:`block_spectrum` on a graph Laplacian ``Δ_0`` (or
    ``L_0 = M_0 Δ_0 M_0⁻¹``, the same blocks) with positive definite ``M_0``, ``M_1``:
    ``ker Δ_0 = ker B_1ᵀ`` (the functions constant on each component of the graph of
    ``edges`` on ``n_cells`` vertices), so a block that no edge leaves has as many kernel
    dimensions as graph components; ``None`` for a block an edge leaves. ``cell_of_row``
    maps the operator's rows to vertices.

    >>> kernel_of = graph_kernel_of(3, [(0, 1)], [0, 1, 2])
    >>> kernel_of([0, 1]), kernel_of([2]), kernel_of([0, 1, 2]), kernel_of([0])
    (1, 1, 2, None)
    """
    comp = [0] * n_cells
    size: dict[int, int] = {}
    for k, group in enumerate(components(n_cells, ((e[0], e[1]) for e in edges))):
        size[k] = len(group)
        for v in group:
            comp[v] = k

    def kernel_of(idx: Sequence[int]) -> int | None:
        held = {comp[cell_of_row[r]] for r in idx}
        return len(held) if sum(size[c] for c in held) == len(idx) else None  # else an edge leaves the block

    return kernel_of


def submatrix(A: ExactMatrix, idx: Sequence[int]) -> ExactMatrix:
    """The principal submatrix of ``A`` on the (distinct) indices ``idx``, in that order.

    >>> submatrix(ExactMatrix.from_rows([[1, 2, 3], [4, 5, 6], [7, 8, 9]]), [2, 0]).dense()
    ((9, 7), (3, 1))
    """
    pos = {v: k for k, v in enumerate(idx)}
    if len(pos) != len(idx) or any(not isinstance(v, int) or not 0 <= v < A.shape[0] for v in idx):
        raise InvalidInputError(f"submatrix needs distinct row indices of a {A.shape[0]}x{A.shape[1]} matrix")
    rows = A.rows_dict()
    e: dict[tuple[int, int], Any] = {}
    for v in idx:
        i = pos[v]
        for j, x in rows[v].items():
            k = pos.get(j)
            if k is not None:
                e[(i, k)] = x
    return ExactMatrix._trusted((len(idx), len(idx)), e)


def _poly_mul(p: Sequence[Fraction], q: Sequence[Fraction]) -> tuple[Fraction, ...]:
    """Product of two polynomials (coefficients highest degree first), through flint."""
    from flint import fmpq, fmpq_poly

    def fp(c: Sequence[Fraction]) -> Any:
        return fmpq_poly([fmpq(x.numerator, x.denominator) for x in reversed(c)])

    r = fp(p) * fp(q)
    return tuple(Fraction(int(x.p), int(x.q)) for x in reversed(r.coeffs()))


def _product(polys: Sequence[Sequence[Fraction]]) -> tuple[Fraction, ...]:
    """Balanced product tree (keeps the intermediate coefficients small)."""
    items = [tuple(p) for p in polys] or [(Fraction(1),)]
    while len(items) > 1:
        items = [_poly_mul(items[k], items[k + 1]) if k + 1 < len(items) else items[k] for k in range(0, len(items), 2)]
    return items[0]


def _route(method: str) -> str:
    return method.split(":", 1)[0]


def block_spectrum(
    op: ExactMatrix,
    sym: ExactMatrix,
    M: ExactMatrix,
    *,
    kernel_dim: int | None = None,
    kernel_of: Callable[[Sequence[int]], int | None] | None = None,
    psd_by_construction: bool = False,
    digits: int = 10,
    charpoly: bool | str = "auto",
    blocks: bool | str = "auto",
) -> _sp.Spectrum:
    """The spectrum of ``op`` (``= M⁻¹ sym``) as the union of its diagonal blocks'.

    Same parameters, result and guarantees as :func:`~exactgeom.complex.spectrum.spectrum`
    (module docstring), plus:

    Parameters
    ----------
    kernel_of : callable, optional
        ``kernel_of(indices)``: the exact kernel dimension of the diagonal block on
        these (ascending) indices when known from elsewhere (e.g. the number of graph
        components it holds), else None.
    blocks : {"auto", True, False}
        ``True``: split whenever there are two blocks or more; ``False``: never (the
        whole-matrix routine); ``"auto"`` (default): split when the operator has more
        than :data:`BLOCKS_MIN` rows.

    Returns
    -------
    Spectrum
        When split outside the charpoly route, ``charpoly`` is None (as for the whole
        matrix there), and the text of ``method`` before the first ``":"`` is the least
        exact route a block took (``"general"``, else ``"symmetric"``, else
        ``"charpoly"``: every block's roots isolated from its exact characteristic
        polynomial); the rest names the blocks.

    Examples
    --------
    >>> from exactgeom.numbers import Surd
    >>> r = Surd(1, 2)
    >>> L = ExactMatrix.from_rows([[r, -r, 0, 0], [-r, r, 0, 0], [0, 0, 0, 0], [0, 0, 0, 2 * r]])
    >>> s = block_spectrum(L, L, ExactMatrix.diagonal([1, 1, 1, 1]), kernel_dim=2, psd_by_construction=True,
    ...                    digits=8, blocks=True)
    >>> [(str(e), m) for e, m in s.clusters], s.kernel_dim, s.method.split(":")[0]
    ([('[0, 0]', 2), ('[2.8284271, 2.8284272]', 2)], 2, 'symmetric')
    >>> block_spectrum(L, L, ExactMatrix.diagonal([1, 1, 1, 1]), blocks="yes")
    Traceback (most recent call last):
    ...
    exactgeom.errors.InvalidInputError: blocks must be True, False or 'auto', got 'yes'
    """
    if blocks not in (True, False, "auto"):
        raise InvalidInputError(f"blocks must be True, False or 'auto', got {blocks!r}")
    if charpoly not in (True, False, "auto"):
        raise InvalidInputError(f"charpoly must be True, False or 'auto', got {charpoly!r}")
    if kernel_of is not None and not callable(kernel_of):
        raise InvalidInputError("kernel_of must be a function of a block's indices (or None)")
    n = op.shape[0]
    whole = _sp.spectrum
    kw: dict[str, Any] = {"psd_by_construction": psd_by_construction, "digits": digits}
    if blocks is False or (blocks == "auto" and n <= BLOCKS_MIN) or n <= 1:
        return whole(op, sym, M, kernel_dim=kernel_dim, charpoly=charpoly, **kw)
    parts = diagonal_blocks(op, sym, M)
    if len(parts) == 1:
        return whole(op, sym, M, kernel_dim=kernel_dim, charpoly=charpoly, **kw)
    if op.is_rational and (charpoly is True or (charpoly == "auto" and n <= _sp.CHARPOLY_MAX)):
        return _charpoly_by_blocks(op, parts, digits)
    order = sorted(range(len(parts)), key=lambda k: (len(parts[k]), k))
    results: list[_sp.Spectrum | None] = [None] * len(parts)
    known: int | None = 0  # exact kernel dimensions of the blocks done so far (None: one is unknown)
    for t, k in enumerate(order):
        idx = parts[k]
        kb = kernel_of(idx) if kernel_of is not None else None
        if kb is None and t == len(order) - 1 and kernel_dim is not None and known is not None:
            kb = kernel_dim - known  # the largest block: what the others leave of the total
            if kb < 0:
                raise InvalidInputError(f"kernel_dim={kernel_dim} is smaller than the blocks' exact kernels ({known})")
        if len(idx) == 1 and op.is_rational:
            s = _one_by_one(op.rows_dict()[idx[0]].get(idx[0], Fraction(0)), digits)
        else:
            s = whole(submatrix(op, idx), submatrix(sym, idx), submatrix(M, idx), kernel_dim=kb, charpoly=charpoly, **kw)
        results[k] = s
        known = None if known is None or s.kernel_dim is None else known + s.kernel_dim
    done = [s for s in results if s is not None]
    clusters = list(cluster_enclosures([c for s in done for c in s.clusters]))
    kd = known if known is not None else kernel_dim
    if kd is None and not any(e.contains(0) for e, _ in clusters):
        kd = 0  # certified: no eigenvalue is zero
    if kd:  # exact (the blocks' sum, or given)
        for t, (e, m) in enumerate(clusters):  # a zero cluster holding exactly the kernel is the point 0
            if e.contains(0) and m == kd:
                clusters[t] = (Enclosure(Fraction(0), Fraction(0), e.digits), m)
    eig = tuple(e for e, m in clusters for _ in range(m))
    if psd_by_construction or all(s.psd for s in done):
        psd: bool | None = True
    elif any(s.psd is False for s in done):
        psd = False
    else:
        psd = None
    routes: dict[str, int] = {}
    for s in done:
        r = _route(s.method)
        routes[r] = routes.get(r, 0) + 1
    head = "general" if "general" in routes else "symmetric" if "symmetric" in routes else "charpoly"
    sizes = sorted((len(p) for p in parts), reverse=True)
    method = (f"{head}: by {len(parts)} diagonal blocks (sizes {sizes[0]}" + (f", {sizes[1]}, ..." if len(sizes) > 1 else "")
              + "), routes " + ", ".join(f"{r} {c}" for r, c in sorted(routes.items()))
              + "; enclosures of the blocks merged into disjoint clusters")
    return _sp.Spectrum(n, eig, None, kd, psd, op.is_rational, method, tuple(clusters))


def _one_by_one(a: Any, digits: int) -> _sp.Spectrum:
    """A 1×1 rational block ``[a]``: its eigenvalue is ``a``, exactly."""
    q = Fraction(a)
    e = Enclosure(q, q, digits)
    return _sp.Spectrum(1, (e,), (Fraction(1), -q), int(q == 0), q >= 0, True,
                        "charpoly: a 1x1 block, its entry", ((e, 1),))


def _charpoly_by_blocks(op: ExactMatrix, parts: Sequence[Sequence[int]], digits: int) -> _sp.Spectrum:
    """The charpoly route of the whole operator, its polynomial assembled from the blocks'."""
    n = op.shape[0]
    cps = [_sp._charpoly(submatrix(op, idx)) for idx in parts]
    cp = _product(cps)
    roots = charpoly_eigenvalues(cp, digits)
    eig = tuple(e for e, m in roots for _ in range(m))
    kd = n - sum(submatrix(op, idx).rank() for idx in parts)
    method = (f"charpoly: exact characteristic polynomial (the product of those of {len(parts)} diagonal blocks), "
              "roots isolated by flint with exact multiplicities")
    return _sp.Spectrum(n, eig, cp, kd, _sp._alternating(cp, strict=False), True, method, cluster_enclosures(roots))
