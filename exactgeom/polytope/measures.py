"""Exact measures of a bounded polytope: volumes, face k-volumes, centroids, angles.

:class:`~exactgeom.Polytope` exposes these as methods (``volume``, ``relative_volume``,
``facet_volume``, ``facet_area_vector``, ``centroid``, ``dihedral_angle``, ...); the
functions here take the polytope and cache their results on it (memo dicts in its
``__dict__``, dropped when it is pickled).

* **Pulling triangulation** (:func:`triangulation`): the face ``mask`` is split into
  simplices on its own vertices by pulling its lowest-index vertex, recursively over
  the facets of the face not containing it.
* **Volume** of a full-dimensional polytope: the sum of the simplex determinants
  (:func:`simplex_volume_sum`), or one of the methods of :mod:`.volume`
  (facet-cone recursion, Brion–Lawrence).
* **k-volume of a k-face** ``F`` (a surd): for coordinates ``J`` on which the projection
  ``π_J`` of the face's affine hull is injective (:func:`face_frame`),
  ``vol_k(F) = vol_k(π_J F) · √det(UᵀU)`` with ``U`` the basis of the direction space
  that has ``U_J = I``.
* **Centroid**: volume-weighted simplex centroids, or Brion–Lawrence first moments.
* **Dihedral angle** between facets ``i`` and ``j`` meeting in a ridge: held by its exact
  cosine ``cos θ = −⟨a_i, a_j⟩ / (‖a_i‖‖a_j‖)``.

>>> from exactgeom import Polytope
>>> T = Polytope.from_vrep([[0, 0], [1, 0], [0, 1]])
>>> volume(T), sorted(str(facet_volume(T, i)) for i in range(3))
(Fraction(1, 2), ['1', '1', '1*sqrt(2)'])
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from functools import lru_cache
from math import factorial, gcd, isqrt
from typing import TYPE_CHECKING, Any

from ..errors import DegenerateError, InvalidInputError
from ..linalg import rational as la
from ..numbers.angle import Angle
from ..numbers.radicals import decompose
from ..numbers.surd import Surd
from .faces import bits, children
from .hrep import dot
from .volume import fmpq_sum, lasserre_volume, lawrence_centroid, lawrence_volume

if TYPE_CHECKING:  # pragma: no cover
    from .polytope import Polytope

__all__ = [
    "triangulation",
    "flint_vertices",
    "integer_vertices",
    "rational_sum",
    "reduced_fraction",
    "simplex_volume_sum",
    "volume",
    "face_frame",
    "facet_frame",
    "face_volume",
    "relative_volume",
    "facet_volume",
    "facet_area_vector",
    "centroid",
    "triangulation_centroid",
    "is_simple",
    "mostly_simple",
    "dihedral_angle",
    "dihedral_angles",
]

Vec = tuple[Fraction, ...]

VOLUME_METHODS = ("auto", "triangulation", "lasserre", "lawrence")
CENTROID_METHODS = ("auto", "triangulation", "lawrence")


# ---------------------------------------------------------------------- triangulation
def triangulation(P: Polytope, mask: int) -> list[tuple[int, ...]]:
    """A triangulation of the face ``mask`` of ``P`` into simplices on its vertices
    (pulling the lowest-index vertex, recursively over the facets not containing it);
    memoised on ``P``.

    >>> from exactgeom import Polytope
    >>> triangulation(Polytope.box([(0, 1), (0, 1)]), 0b1111)
    [(0, 2, 3), (0, 1, 3)]
    """
    memo = P.__dict__.setdefault("_tri_memo", {})
    got = memo.get(mask)
    if got is not None:
        return got
    kids = children(P, mask)
    if not kids:
        got = [tuple(bits(mask))]
    else:
        apex = (mask & -mask).bit_length() - 1
        abit = 1 << apex
        got = []
        for c in kids:
            if not c & abit:
                got.extend((apex,) + t for t in triangulation(P, c))
    memo[mask] = got
    return got


def flint_vertices(P: Polytope) -> list[list[Any]]:
    """The vertices of ``P`` as lists of flint ``fmpq`` (fast determinants)."""
    from flint import fmpq

    return [[fmpq(x.numerator, x.denominator) for x in v] for v in P._points]


def _fraction_maker() -> Any:
    """``(p, q) -> Fraction`` for coprime ``p``, ``q > 0`` without a second gcd
    (CPython's private fast paths where present, else the normalising constructor)."""
    fast = getattr(Fraction, "_from_coprime_ints", None)
    if fast is not None:  # Python >= 3.12
        return fast
    try:
        Fraction(1, 2, _normalize=False)  # type: ignore[call-arg]
    except TypeError:  # pragma: no cover - other implementations
        return Fraction
    return lambda p, q: Fraction(p, q, _normalize=False)  # type: ignore[call-arg]


#: ``coprime_fraction(p, q)``: the Fraction ``p/q`` for coprime ints ``p``, ``q > 0`` (no gcd).
coprime_fraction = _fraction_maker()


def reduced_fraction(p: Any, q: Any) -> Fraction:
    """The Fraction ``p/q`` (ints or flint integers, ``q != 0``), reduced by flint's gcd
    (much faster than Python's on numbers of thousands of bits).

    >>> reduced_fraction(6, -4)
    Fraction(-3, 2)
    """
    from flint import fmpq

    x = fmpq(p, q)
    return coprime_fraction(int(x.p), int(x.q))


def rational_sum(xs: Sequence[Fraction]) -> Fraction:
    """The exact sum of Fractions, added pairwise in flint (operands of similar size, and
    flint's gcd: much faster than a running Fraction sum when denominators are large).

    >>> rational_sum([Fraction(1, 2), Fraction(1, 3), 1])
    Fraction(11, 6)
    """
    from flint import fmpq

    s = fmpq_sum([fmpq(int(x.numerator), int(x.denominator)) for x in xs] if xs else [])
    return coprime_fraction(int(s.p), int(s.q))


def integer_vertices(P: Polytope) -> tuple[list[list[int]], int]:
    """The vertices of ``P`` as integer rows over one common denominator: ``(Z, q)``
    with ``vertex_i = Z[i] / q`` and ``q >= 1`` the lcm of the coordinates'
    denominators; memoised on ``P`` (dropped on pickling).

    >>> from exactgeom import Polytope
    >>> integer_vertices(Polytope.from_vrep([[0, "1/2"], ["1/3", 0]]))
    ([[0, 3], [2, 0]], 6)
    """
    got = P.__dict__.get("_int_vertices")
    if got is None:
        from flint import fmpz

        pts = P._points
        dens = {x.denominator for v in pts for x in v}
        qz = fmpz(1)
        for dq in dens:
            qz = qz.lcm(dq)  # flint's gcd: the lcm of big denominators is the cost here
        q = int(qz)
        Z = [[x.numerator * (q // x.denominator) for x in v] for v in pts]
        got = (Z, q)
        P.__dict__["_int_vertices"] = got
    return got


def _simplex_dets(P: Polytope, simplices: list[tuple[int, ...]], cols: Sequence[int]) -> list[Any]:
    """``|det(Z_i − Z_apex)_cols|`` (flint integers) per simplex of a pulling
    triangulation, with ``Z`` the common-denominator integer vertices of
    :func:`integer_vertices`: the simplex's ``k``-volume in the coordinates ``cols`` is
    this over ``k!·q^k``. The edge vectors from the shared apex are formed once per vertex."""
    from flint import fmpz_mat

    Z, _ = integer_vertices(P)
    k = len(cols)
    apex = simplices[0][0]
    za = Z[apex]
    edge: dict[int, list[int]] = {}
    out = []
    for smp in simplices:
        if smp[0] != apex:  # pragma: no cover - pulling triangulations share the apex
            raise AssertionError("simplices of a pulling triangulation share their apex")
        rows: list[int] = []
        for i in smp[1:]:
            e = edge.get(i)
            if e is None:
                zi = Z[i]
                e = edge[i] = [zi[c] - za[c] for c in cols]
            rows.extend(e)
        out.append(abs(fmpz_mat(k, k, rows).det()))
    return out


def simplex_volume_sum(P: Polytope, simplices: list[tuple[int, ...]], coords: Sequence[int] | None) -> Fraction:
    """Σ |det| / k! over simplices (tuples of vertex ids of ``P``), in the coordinates
    ``coords`` (all if None).

    Integer arithmetic only: with the vertices over one common denominator
    (``v_i = Z_i / q``, :func:`integer_vertices`) every simplex of a pulling
    triangulation (all share their apex) is one integer determinant of the edge
    vectors ``Z_i − Z_apex``, and the sum is ``Σ |det| / (k!·q^k)``."""
    cols = list(range(P._n)) if coords is None else list(coords)
    k = len(cols)
    if k == 0:
        return Fraction(1)
    if not simplices:
        return Fraction(0)
    total = sum(_simplex_dets(P, simplices, cols))
    _, q = integer_vertices(P)
    return reduced_fraction(total, factorial(k) * q**k)


# ---------------------------------------------------------------------- volumes
def volume(P: Polytope, method: str = "auto") -> Fraction:
    """Exact n-volume of ``P``; see :meth:`exactgeom.Polytope.volume` for the methods.
    Memoised per method; ``"auto"`` reuses any volume already computed."""
    if method not in VOLUME_METHODS:
        raise InvalidInputError(
            f"unknown volume method {method!r}; use 'auto', 'triangulation', 'lasserre' or 'lawrence'"
        )
    P._require_bounded("volume")
    if P._dim < P._n:
        return Fraction(0)
    memo = P.__dict__.setdefault("_volume_memo", {})
    if method in memo:
        return memo[method]
    if method == "auto":
        if "_volume_any" in P.__dict__:
            return P.__dict__["_volume_any"]
        method = "lawrence" if P._n > 3 and mostly_simple(P) else "triangulation"
        if method in memo:
            return memo[method]
    if method == "triangulation":
        v = simplex_volume_sum(P, triangulation(P, P._all_vertices_mask), None)
    elif method == "lasserre":
        v = lasserre_volume(P)
    else:
        v = lawrence_volume(P)
    memo[method] = v
    P.__dict__["_volume_any"] = v
    return v


def face_frame(P: Polytope, mask: int) -> tuple[tuple[int, ...], Fraction]:
    """For the face ``mask`` of dimension k: coordinates J (k of them) on which the
    projection is injective, and det(UᵀU) for the basis U of the direction space with
    U_J = I. Then vol_k(F) = vol(π_J F) · √det(UᵀU).

    >>> from exactgeom import Polytope
    >>> face_frame(Polytope.from_vrep([[0, 0], [1, 1]]), 0b11)    # the diagonal segment
    ((0,), Fraction(2, 1))
    """
    pts = [P._points[i] for i in bits(mask)]
    p0 = pts[0]
    dirs = [tuple(x - y for x, y in zip(p, p0)) for p in pts[1:]]
    if not dirs:
        return (), Fraction(1)
    R, piv = la.rref(dirs, P._n)
    gram = [[dot(r1, r2) for r2 in R] for r1 in R]
    return piv, la.det(gram)


def facet_frame(P: Polytope, i: int) -> tuple[tuple[int, ...], Fraction]:
    """:func:`face_frame` of facet ``i`` of a full-dimensional ``P``, read off its
    normal ``a`` without any elimination: the facet's direction space is ``a·x = 0``,
    whose reduced echelon form has every column but the last ``j`` with ``a_j ≠ 0`` as
    a pivot, and ``det(UᵀU) = 1 + Σ_{l≠j} (a_l/a_j)² = ‖a‖²/a_j²``.

    >>> from exactgeom import Polytope
    >>> T = Polytope.from_vrep([[0, 0], [1, 0], [0, 1]])
    >>> [facet_frame(T, i) == face_frame(T, T._facet_masks[i]) for i in range(3)]
    [True, True, True]
    """
    a = P._facets[i].normal
    j = max(t for t, x in enumerate(a) if x)
    return tuple(t for t in range(P._n) if t != j), Fraction(sum(x * x for x in a), a[j] * a[j])


def face_volume(P: Polytope, mask: int, frame: tuple[tuple[int, ...], Fraction] | None = None) -> Surd:
    """Exact k-volume (a surd) of the k-face ``mask`` of ``P``; memoised on ``P``.
    ``frame``: its :func:`face_frame` when already known (facets: :func:`facet_frame`)."""
    memo = P.__dict__.setdefault("_face_volume_memo", {})
    got = memo.get(mask)
    if got is None:
        if mask.bit_count() == 2:  # an edge [p, q]: the same frame and volume, in closed form
            p, q = (P._points[i] for i in bits(mask))
            d = [y - x for x, y in zip(p, q)]
            dj = next(x for x in d if x)  # the pivot coordinate J of face_frame
            got = Surd(abs(dj), Fraction(sum(x * x for x in d)) / (dj * dj))  # |d_J| · √det(UᵀU), U = d/d_J
        else:
            J, g = face_frame(P, mask) if frame is None else frame
            k = len(J)
            if k > 3 and mask.bit_count() > 2 * (k + 1):  # many vertices: a pulling triangulation may
                # need up to k! simplices (a k-cube); the projection onto J is a full-dimensional
                # k-polytope whose volume() takes the Brion-Lawrence route when it is simple
                from .polytope import Polytope as _P

                pv = _P.from_vrep([tuple(P._points[i][j] for j in J) for i in bits(mask)]).volume()
            else:
                pv = simplex_volume_sum(P, triangulation(P, mask), J)
            got = Surd(pv, g)
        memo[mask] = got
    return got


def relative_volume(P: Polytope) -> Surd:
    """The ``dim``-volume of ``P`` in its own affine hull; see
    :meth:`exactgeom.Polytope.relative_volume`."""
    P._require_bounded("relative volume")
    if P.is_empty:
        return Surd(0)
    if P._dim == P._n:
        return Surd(P.volume())
    parent = P.__dict__.get("_facet_of")  # built as facet i of another polytope (facet_polytope)
    if parent is not None:
        return facet_volume(*parent)
    return face_volume(P, P._all_vertices_mask)


def facet_volume(P: Polytope, i: int) -> Surd:
    """Exact (d−1)-volume of facet ``i`` of ``P`` (a surd ``q·√m``)."""
    P._check_facet(i)
    P._require_bounded("facet volume")
    got = P.__dict__.get("_facet_volume_memo", {}).get(i)  # a closed form stored by a builder (boxes)
    if got is not None:
        return got
    mask = P._facet_masks[i]
    got = P.__dict__.get("_face_volume_memo", {}).get(mask)
    if got is not None:
        return got
    if P._dim == P._n and P._n > 4 and mask.bit_count() > 2 * P._n:  # many vertices (a box's facet)
        _, g = facet_frame(P, i)
        got = Surd(_projected_facet_volume(P, i), g)
        P.__dict__.setdefault("_face_volume_memo", {})[mask] = got
        return got
    return face_volume(P, mask, facet_frame(P, i) if P._dim == P._n and mask.bit_count() > 2 else None)


def _projected_facet_volume(P: Polytope, i: int) -> Fraction:
    """The volume of facet ``i`` projected onto the coordinates of :func:`facet_frame`
    (all but the pivot ``j``), from the H-representation: on the facet ``x_j = (b − Σ_t a_t
    x_t) / a_j``, substituted into the other facets' rows; the projected polytope's exact
    volume then takes the Brion-Lawrence route when it is simple (a pulling triangulation
    of a k-cube has k! simplices)."""
    from .polytope import Polytope as _P

    a, b = P._facets[i].normal, P._facets[i].offset
    j = max(t for t, x in enumerate(a) if x)
    rows: list[Vec] = []
    rhs: list[Fraction] = []
    for k, h in enumerate(P._facets):
        if k == i:
            continue
        c, d = h.normal, h.offset
        f = Fraction(c[j], a[j])
        row = tuple(c[t] - f * a[t] for t in range(P._n) if t != j)
        if any(row):
            rows.append(row)
            rhs.append(d - f * b)
    return _P.from_hrep(rows, rhs).volume()


def facet_area_vector(P: Polytope, i: int) -> Vec:
    """Facet ``i``'s (d−1)-volume times its unit outward normal (rational); see
    :meth:`exactgeom.Polytope.facet_area_vector`."""
    vol = facet_volume(P, i)
    a = P._facets[i].normal
    nn = sum(x * x for x in a)
    # vol = q·√r with r·nn a perfect square; vol/‖a‖ = q·√(r/nn), rational
    ratio = (vol / Surd(1, nn)).to_fraction()
    return tuple(ratio * x for x in a)


# ---------------------------------------------------------------------- centroids
def centroid(P: Polytope, method: str = "auto") -> Vec:
    """Exact centroid of ``P``; see :meth:`exactgeom.Polytope.centroid` for the methods.
    Memoised per method; ``"auto"`` reuses any centroid already computed."""
    if method not in CENTROID_METHODS:
        raise InvalidInputError(f"unknown centroid method {method!r}; use 'auto', 'triangulation' or 'lawrence'")
    P._require_bounded("centroid")
    if P.is_empty:
        raise DegenerateError("the empty polytope has no centroid")
    memo = P.__dict__.setdefault("_centroid_memo", {})
    if method == "auto":
        if memo:
            return next(iter(memo.values()))
        full = P._dim == P._n
        method = "lawrence" if full and P._n > 3 and mostly_simple(P) else "triangulation"
    if method in memo:
        return memo[method]
    c = lawrence_centroid(P) if method == "lawrence" else triangulation_centroid(P)
    memo[method] = c
    return c


def triangulation_centroid(P: Polytope) -> Vec:
    """The centroid of ``P`` as the volume-weighted mean of the centroids of the
    simplices of its pulling triangulation (in its affine hull).

    In integers: with ``v_i = Z_i / q`` (:func:`integer_vertices`) and ``w_s`` the
    integer determinant of simplex ``s`` (proportional to its volume), the centroid is
    ``Σ_i W_i Z_i / ((k+1)·q·Σ_s w_s)`` with ``W_i = Σ_{s ∋ i} w_s``.

    >>> from exactgeom import Polytope
    >>> triangulation_centroid(Polytope.from_vrep([[0, 0], [2, 0], [0, 2], [2, 2]]))
    (Fraction(1, 1), Fraction(1, 1))
    """
    mask = P._all_vertices_mask
    simplices = triangulation(P, mask)
    J = tuple(range(P._n)) if P._dim == P._n else face_frame(P, mask)[0]
    k = len(J)
    if k == 0:  # a point
        return P._points[0]
    Z, q = integer_vertices(P)
    dets = _simplex_dets(P, simplices, J)
    W: dict[int, Any] = {}
    for smp, w in zip(simplices, dets):
        for i in smp:
            W[i] = W.get(i, 0) + w
    den = (k + 1) * q * sum(dets)
    return tuple(reduced_fraction(sum(w * Z[i][j] for i, w in W.items()), den) for j in range(P._n))


def is_simple(P: Polytope) -> bool:
    """Whether every vertex of ``P`` lies on exactly ``dim`` facets."""
    P._require_bounded("is_simple")
    d = P._dim
    return all(len(fs) == d for fs in P._vertex_facet_lists)


def mostly_simple(P: Polytope) -> bool:
    """At most a tenth of the vertices of ``P`` lie on more than ``dim`` facets (the
    ``"auto"`` methods then use Brion–Lawrence); memoised on ``P``."""
    got = P.__dict__.get("_mostly_simple_flag")
    if got is None:
        d = P._dim
        non_simple = sum(1 for fs in P._vertex_facet_lists if len(fs) != d)
        got = 10 * non_simple <= len(P._points)
        P.__dict__["_mostly_simple_flag"] = got
    return got


# ---------------------------------------------------------------------- angles
def dihedral_angle(P: Polytope, i: int, j: int) -> Angle:
    """Interior dihedral angle between facets ``i`` and ``j`` of ``P``; see
    :meth:`exactgeom.Polytope.dihedral_angle`."""
    P._check_facet(i)
    P._check_facet(j)
    memo = P.__dict__.get("_dihedral_memo")
    if memo is not None:  # every angle, filled by dihedral_angles (the angle is symmetric in i, j)
        got = memo.get((i, j) if i < j else (j, i))
        if got is not None:
            return got
    P._require_bounded("dihedral angles")
    if i == j or not P.facets_adjacent(i, j):
        known = "_points" in P.__dict__  # list the neighbours only when they are cheap to read
        raise DegenerateError(
            f"facets {i} and {j} do not meet in a ridge (a face of dimension {P._dim - 2})"
            + (f"; adjacent facets of {i}: {list(P.facet_adjacency()[i])}" if known else "; see P.facets_adjacent(i, j)")
        )
    return _normals_angle(P._facets[i].normal, P._facets[j].normal)


@lru_cache(maxsize=1 << 15)
def _normals_angle(a: tuple[int, ...], c: tuple[int, ...]) -> Angle:
    """The interior angle between facets with outward normals ``a`` and ``c``
    (memoised: neighbouring cells of a partition share most pairs of facet planes)."""
    ac = sum(x * y for x, y in zip(a, c))
    aa = sum(x * x for x in a)
    cc = sum(x * x for x in c)
    # cos = −a·c / √(aa·cc): the squarefree parts of aa and cc are cached per normal
    # (facet normals recur across the cells of a partition), then merged by one gcd
    s1, d1 = decompose(aa)
    s2, d2 = decompose(cc)
    g = gcd(d1, d2)
    d = (d1 // g) * (d2 // g)
    r = isqrt(d)
    if r > 1 and r * r == d:  # only possible for unreduced huge cofactors (see radicals)
        g, d = g * r, 1
    return Angle(Surd._make(Fraction(-ac * s1 * s2 * g, aa * cc), d))


def dihedral_angles(P: Polytope) -> dict[tuple[int, int], Angle]:
    """Every dihedral angle of ``P``, keyed by the facet pair ``(i, j)``, ``i < j``
    (memoised on ``P``: the cells section, the summary and the angle defects all ask;
    a fresh dict is returned each time)."""
    memo = P.__dict__.get("_dihedral_memo")
    if memo is None:
        memo = {(i, j): dihedral_angle(P, i, j) for (i, j) in sorted(P._ridges)}
        P.__dict__["_dihedral_memo"] = memo
    return dict(memo)
