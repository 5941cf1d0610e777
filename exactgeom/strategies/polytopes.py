"""Hypothesis strategies for exact rational points, vectors and polytopes.

Use them to test float geometry code against exact ground truth::

    from hypothesis import given
    from exactgeom.strategies.polytopes import rational_polytopes

    @given(rational_polytopes(3, max_facets=10))
    def test_my_volume(P):
        assert abs(my_float_volume(P.vertices) - float(P.volume())) < 1e-9

Generators (all coordinates exact :class:`~fractions.Fraction`):

* H-representations: ``k`` random half-spaces ``a·x <= c`` with small integer normals
  (entries in ``[-5, 5]``) and strictly positive rational offsets, so the origin is an
  interior point and the polytope is full-dimensional; for bounded polytopes they are
  intersected with a box ``[-lo_i, hi_i]`` (rational, around the origin).
* V-representations: ``dim + 1`` to ``max_facets`` random rational points (small
  numerators and denominators); when a full-dimensional result is asked for and the
  points are affinely dependent, the unit simplex at the first point is added.
* Lower-dimensional polytopes (``full_dimensional=False``): a full-dimensional one sliced
  by a random rational equality through an interior point, or the hull of points drawn
  in a random affine subspace.
* ``degenerate=True`` adds duplicate rows, positive multiples of rows, redundant rows and
  pairs of opposite inequalities (implicit equalities) to H-representations.

>>> from hypothesis import find
>>> P = find(rational_polytopes(2, max_facets=6), lambda P: P.n_vertices >= 4)
>>> P.dim, P.is_bounded
(2, True)
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

from ..polytope.polytope import Polytope

__all__ = [
    "rational_numbers",
    "rational_points",
    "rational_vectors",
    "rational_hreps",
    "rational_polytopes",
]


def rational_numbers(
    min_value: int | Fraction = -10, max_value: int | Fraction = 10, max_denominator: int = 12
) -> st.SearchStrategy[Fraction]:
    """Fractions in ``[min_value, max_value]`` with denominators ``<= max_denominator``.

    >>> from hypothesis import find
    >>> find(rational_numbers(0, 1), lambda q: q.denominator == 3)
    Fraction(1, 3)
    """
    return st.fractions(min_value=Fraction(min_value), max_value=Fraction(max_value), max_denominator=max_denominator)


def rational_points(
    dim: int, min_value: int | Fraction = -10, max_value: int | Fraction = 10, max_denominator: int = 12
) -> st.SearchStrategy[tuple[Fraction, ...]]:
    """Points of ``Q^dim`` with coordinates from :func:`rational_numbers`.

    >>> from hypothesis import find
    >>> len(find(rational_points(3), lambda p: True))
    3
    """
    _check_dim(dim)
    return st.tuples(*[rational_numbers(min_value, max_value, max_denominator)] * dim)


def rational_vectors(
    dim: int, *, max_abs: int = 5, nonzero: bool = True, integer: bool = True, max_denominator: int = 6
) -> st.SearchStrategy[tuple[Fraction, ...]]:
    """Vectors of ``Q^dim`` (integer entries in ``[-max_abs, max_abs]`` by default;
    ``integer=False`` allows denominators up to ``max_denominator``); ``nonzero`` drops
    the zero vector.

    >>> from hypothesis import find
    >>> find(rational_vectors(2), lambda v: v[0] > 0)
    (Fraction(1, 1), Fraction(0, 1))
    """
    _check_dim(dim)
    entry: st.SearchStrategy[Fraction]
    if integer:
        entry = st.integers(-max_abs, max_abs).map(Fraction)
    else:
        entry = rational_numbers(-max_abs, max_abs, max_denominator)
    vec = st.tuples(*[entry] * dim)
    if nonzero:
        vec = vec.filter(lambda v: any(v))
    return vec


def _check_dim(dim: Any) -> None:
    from ..errors import InvalidInputError

    if not isinstance(dim, int) or isinstance(dim, bool) or dim < 1:
        raise InvalidInputError(f"dim must be a positive int, got {dim!r}")


@st.composite
def rational_hreps(
    draw: Any,
    dim: int,
    max_rows: int = 12,
    *,
    bounded: bool = True,
    degenerate: bool = False,
    implicit_equalities: bool = False,
) -> tuple[list[tuple[Fraction, ...]], list[Fraction]]:
    """Raw ``(A, b)`` with the origin strictly inside ``{A x <= b}``; a bounding box
    (``2·dim`` of the rows) when ``bounded``. ``max_rows`` caps the random rows added to
    the box (at least one). ``degenerate`` adds duplicate, scaled and redundant rows;
    ``implicit_equalities`` may add a pair ``a·x <= 0, −a·x <= 0`` (a lower-dimensional
    result).

    >>> from hypothesis import find
    >>> A, b = find(rational_hreps(2, 4), lambda ab: True)
    >>> len(A) == len(b) >= 4
    True
    """
    _check_dim(dim)
    A: list[tuple[Fraction, ...]] = []
    b: list[Fraction] = []
    if bounded:
        for i in range(dim):
            lo = draw(rational_numbers(Fraction(1, 2), 3, 4))
            hi = draw(rational_numbers(Fraction(1, 2), 3, 4))
            e = tuple(Fraction(int(j == i)) for j in range(dim))
            A += [e, tuple(-x for x in e)]
            b += [hi, lo]
    k = draw(st.integers(1, max(1, max_rows - (2 * dim if bounded else 0))))
    for _ in range(k):
        A.append(draw(rational_vectors(dim)))
        b.append(draw(rational_numbers(Fraction(1, 4), 4, 6)))
    if degenerate:
        kinds = ["dup", "scale", "redundant"] + (["opposite"] if implicit_equalities else [])
        extra = draw(st.lists(st.sampled_from(kinds), min_size=1, max_size=3))
        for kind in extra:
            i = draw(st.integers(0, len(A) - 1))
            if kind == "dup":
                A.append(A[i])
                b.append(b[i])
            elif kind == "scale":
                s = draw(rational_numbers(Fraction(1, 3), 3, 3))
                A.append(tuple(s * x for x in A[i]))
                b.append(s * b[i])
            elif kind == "redundant":
                A.append(A[i])
                b.append(b[i] + draw(rational_numbers(Fraction(1, 8), 2, 8)))
            else:  # implicit equality through the origin's neighbourhood: a·x = 0 slab
                a = draw(rational_vectors(dim))
                A += [a, tuple(-x for x in a)]
                b += [Fraction(0), Fraction(0)]
    return A, b


@st.composite
def rational_polytopes(
    draw: Any,
    dim: int,
    max_facets: int = 12,
    bounded: bool = True,
    full_dimensional: bool = True,
    *,
    kind: str = "any",
    degenerate: bool = False,
) -> Polytope:
    """Random rational polytopes (``Polytope`` values) of ambient dimension ``dim``.

    Parameters
    ----------
    dim
        Ambient dimension.
    max_facets
        Cap on the input size: the number of H-rows (box included) or of V-points.
    bounded
        Intersect H-representations with a box (V-representations are always bounded).
    full_dimensional
        If False, some results are lower-dimensional (slices, or hulls of points in an
        affine subspace); if True every result has dimension ``dim``.
    kind
        ``"hrep"``, ``"vrep"`` or ``"any"``.
    degenerate
        Add duplicate, scaled, redundant and opposite rows (see module notes).

    >>> from hypothesis import find
    >>> find(rational_polytopes(3, 8, kind="vrep"), lambda P: True).dim
    3
    """
    _check_dim(dim)
    if kind not in ("any", "hrep", "vrep"):
        from ..errors import InvalidInputError

        raise InvalidInputError(f"kind must be 'any', 'hrep' or 'vrep', got {kind!r}")
    if not bounded:
        kind = "hrep"
    use = kind if kind != "any" else draw(st.sampled_from(["hrep", "vrep"]))
    lower = (not full_dimensional) and draw(st.booleans())
    if use == "vrep":
        npts = draw(st.integers(dim + 1, max(dim + 1, max_facets)))
        if lower and dim > 1:
            k = draw(st.integers(0, dim - 1))
            p0 = draw(rational_points(dim, -3, 3, 4))
            U = [draw(rational_vectors(dim, max_abs=3)) for _ in range(k)]
            pts = []
            for _ in range(npts):
                t = [draw(rational_numbers(-2, 2, 4)) for _ in range(k)]
                pts.append(tuple(p0[j] + sum((ti * u[j] for ti, u in zip(t, U)), Fraction(0)) for j in range(dim)))
            return Polytope.from_vrep(pts)
        pts = draw(st.lists(rational_points(dim, -4, 4, 6), min_size=npts, max_size=npts))
        P = Polytope.from_vrep(pts)
        if (full_dimensional or not lower) and P.dim != dim:
            # make it full-dimensional: add a small simplex around the first point
            extra = [pts[0]] + [tuple(x + Fraction(int(i == j)) for j, x in enumerate(pts[0])) for i in range(dim)]
            P = Polytope.from_vrep(list(pts) + extra)
        return P
    A, b = draw(
        rational_hreps(
            dim, max_facets, bounded=bounded, degenerate=degenerate, implicit_equalities=lower and degenerate
        )
    )
    P = Polytope.from_hrep(A, b)
    if lower and P.dim == dim:
        a = draw(rational_vectors(dim))
        c = sum((x * y for x, y in zip(a, P.relative_interior_point())), Fraction(0))
        return Polytope.from_hrep(A, b, eq=([a], [c]))
    return P
