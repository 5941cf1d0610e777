"""Brute-force exact oracles, independent of the package (plain ``Fraction`` arithmetic).

Nothing here imports exactgeom. A polyhedron is given by rows ``A x <= b``:

* ``vertices(A, b)`` solves every n-subset of rows by Gaussian elimination and keeps the
  feasible solutions (the vertices of a bounded polyhedron);
* ``affine_dim(V)`` is the rank of the vertex differences, so a bounded polyhedron is
  full-dimensional iff ``affine_dim(vertices) == n``;
* ``volume`` triangulates by recursive *pulling* (cone from the lexicographically smallest
  vertex over the facets that miss it, facets found as maximal tight vertex sets) and sums
  ``|det| / n!``;
* ``face_volume_sq`` is the squared (n−1)-volume of a vertex set spanning a hyperplane with
  normal ``a``: the volume of its projection along a coordinate ``j`` with ``a_j ≠ 0``
  times ``‖a‖ / |a_j|``, squared;
* the ``*_cells`` functions enumerate every candidate key of a model (all sign vectors,
  classes, leaves, activation patterns) and keep the full-dimensional ones, following the
  tie rules of docs/definitions/partitions.md and relu.md.
"""

from __future__ import annotations

import collections
import itertools
import math
from fractions import Fraction

F = Fraction


# A 2-D tree with T-junctions: a split on x, then different splits on y on each side.
T_JUNCTION_TREE = {
    "feature": 0,
    "threshold": 0,
    "left": {"feature": 1, "threshold": F(1, 2), "left": {"leaf": "a"}, "right": {"leaf": "b"}},
    "right": {
        "feature": 1,
        "threshold": 0,
        "left": {"leaf": "c"},
        "right": {"feature": 0, "threshold": F(1, 2), "left": {"leaf": "d"}, "right": {"leaf": "e"}},
    },
}


def dot(a, x):
    return sum((ai * xi for ai, xi in zip(a, x)), F(0))


def solve(M, r):
    """The unique solution of the square system ``M x = r``, or ``None`` if singular."""
    n = len(M)
    T = [[F(v) for v in row] + [F(ri)] for row, ri in zip(M, r)]
    for col in range(n):
        piv = next((i for i in range(col, n) if T[i][col] != 0), None)
        if piv is None:
            return None
        T[col], T[piv] = T[piv], T[col]
        p = T[col][col]
        for i in range(n):
            if i != col and T[i][col] != 0:
                f = T[i][col] / p
                T[i] = [a - f * b for a, b in zip(T[i], T[col])]
    return tuple(T[i][n] / T[i][i] for i in range(n))


def rank(rows):
    T = [[F(v) for v in row] for row in rows]
    if not T:
        return 0
    r = 0
    for col in range(len(T[0])):
        piv = next((i for i in range(r, len(T)) if T[i][col] != 0), None)
        if piv is None:
            continue
        T[r], T[piv] = T[piv], T[r]
        for i in range(len(T)):
            if i != r and T[i][col] != 0:
                f = T[i][col] / T[r][col]
                T[i] = [a - f * b for a, b in zip(T[i], T[r])]
        r += 1
    return r


def det(M):
    n = len(M)
    T = [[F(v) for v in row] for row in M]
    d = F(1)
    for col in range(n):
        piv = next((i for i in range(col, n) if T[i][col] != 0), None)
        if piv is None:
            return F(0)
        if piv != col:
            T[col], T[piv] = T[piv], T[col]
            d = -d
        d *= T[col][col]
        for i in range(col + 1, n):
            if T[i][col] != 0:
                f = T[i][col] / T[col][col]
                T[i] = [a - f * b for a, b in zip(T[i], T[col])]
    return d


def _int_row(row, rhs):
    """The row ``(a, β)`` scaled by a positive integer to integer entries."""
    m = math.lcm(*(F(v).denominator for v in (*row, rhs)))
    return tuple(int(F(v) * m) for v in row), int(F(rhs) * m)


def _idet(M):
    """Determinant of a small integer matrix (Bareiss, fraction-free)."""
    n = len(M)
    if n == 0:
        return 1
    T = [list(r) for r in M]
    sign, prev = 1, 1
    for k in range(n - 1):
        if T[k][k] == 0:
            piv = next((i for i in range(k + 1, n) if T[i][k] != 0), None)
            if piv is None:
                return 0
            T[k], T[piv] = T[piv], T[k]
            sign = -sign
        for i in range(k + 1, n):
            for j in range(k + 1, n):
                T[i][j] = (T[i][j] * T[k][k] - T[i][k] * T[k][j]) // prev
        prev = T[k][k]
    return sign * T[n - 1][n - 1]


def vertices(A, b, eq=()):
    """Vertices of ``{x : A x <= b, E x = f}`` (``eq`` a list of ``(e, f)``), brute force:
    every square subsystem solved by Cramer's rule in integers."""
    n = len(A[0])
    rows = [_int_row(r, bi) for r, bi in zip(A, b)]
    for row, bi in rows:
        if not any(row) and bi < 0:
            return []
    eqs = [_int_row(e, f) for e, f in eq]
    live = [i for i, (row, _) in enumerate(rows) if any(row)]
    need = n - len(eqs)
    out = set()
    for S in itertools.combinations(live, need):
        sys_ = eqs + [rows[i] for i in S]
        M = [r for r, _ in sys_]
        d = _idet(M)
        if d == 0:
            continue
        rhs = [f for _, f in sys_]
        num = [_idet([[rhs[i] if j == k else M[i][j] for j in range(n)] for i in range(n)]) for k in range(n)]
        if d < 0:
            d, num = -d, [-x for x in num]
        if all(sum(a * x for a, x in zip(row, num)) <= bi * d for row, bi in rows):
            out.add(tuple(F(x, d) for x in num))
    return sorted(out)


def affine_dim(V):
    if not V:
        return -1
    v0 = V[0]
    return rank([[a - c for a, c in zip(v, v0)] for v in V[1:]])


def _pulling(face, d, V, tight, memo):
    """Simplices (tuples of vertex indices) triangulating the face (a frozenset, dim d);
    ``tight`` lists, per row, the set of vertices on the row's hyperplane."""
    if d == 0:
        return [tuple(face)]
    if face in memo:
        return memo[face]
    v0 = min(face, key=lambda i: V[i])
    facets = set()
    for T in tight:
        S = face & T
        if S != face and v0 not in S and len(S) >= d and affine_dim([V[i] for i in S]) == d - 1:
            facets.add(S)
    out = []
    for S in facets:
        for simp in _pulling(S, d - 1, V, tight, memo):
            out.append((v0, *simp))
    memo[face] = out
    return out


def triangulate(V, A, b, d=None):
    """Pulling triangulation of the polytope ``conv V`` whose facets are among the rows."""
    V = list(V)
    if d is None:
        d = affine_dim(V)
    tight = {frozenset(i for i, v in enumerate(V) if dot(row, v) == bi) for row, bi in zip(A, b)}
    return [[V[i] for i in s] for s in _pulling(frozenset(range(len(V))), d, V, list(tight), {})]


def simplex_volume(S):
    n = len(S) - 1
    return abs(det([[a - c for a, c in zip(v, S[0])] for v in S[1:]])) / math.factorial(n)


def volume(A, b, V=None):
    """Exact n-volume of the bounded polyhedron ``A x <= b`` (0 if not full-dimensional)."""
    if V is None:
        V = vertices(A, b)
    n = len(A[0])
    if affine_dim(V) < n:
        return F(0)
    return sum((simplex_volume(S) for S in triangulate(V, A, b, n)), F(0))


def face_volume_sq(V, A, b, normal):
    """Squared (n−1)-volume of ``conv V`` (dim n−1, in a hyperplane with ``normal``)."""
    n = len(normal)
    j = next(k for k in range(n) if normal[k] != 0)
    tot = F(0)
    for S in triangulate(V, A, b, n - 1):
        P = [tuple(x for k, x in enumerate(v) if k != j) for v in S]
        tot += simplex_volume(P)
    nn = sum(F(a) * a for a in normal)
    return tot * tot * nn / (F(normal[j]) ** 2)


def centroid(A, b, V=None):
    if V is None:
        V = vertices(A, b)
    n = len(A[0])
    tot = F(0)
    acc = [F(0)] * n
    for S in triangulate(V, A, b, n):
        w = simplex_volume(S)
        tot += w
        for k in range(n):
            acc[k] += w * sum(v[k] for v in S) / (n + 1)
    return tuple(a / tot for a in acc)


def box_rows(bounds):
    n = len(bounds)
    A, b = [], []
    for k, (lo, hi) in enumerate(bounds):
        e = [0] * n
        e[k] = 1
        A.append(tuple(e))
        b.append(F(hi))
        A.append(tuple(-v for v in e))
        b.append(-F(lo))
    return A, b


class OCell:
    """An oracle cell: key, rows ``A x <= b`` (domain rows included) and vertices."""

    def __init__(self, key, A, b, V):
        self.key, self.A, self.b, self.V = key, A, b, V

    def volume(self):
        return volume(self.A, self.b, self.V)

    def interior_point(self):
        n = len(self.V[0])
        return tuple(sum(v[k] for v in self.V) / len(self.V) for k in range(n))


def facet_rows(A, b, V):
    """The facet-defining rows (tight vertex set of affine dimension n−1), one per facet."""
    n = len(V[0])
    seen, outA, outb = set(), [], []
    for row, bi in zip(A, b):
        if not any(row):
            continue
        S = frozenset(k for k, v in enumerate(V) if dot(row, v) == bi)
        if S in seen or len(S) < n or affine_dim([V[k] for k in S]) != n - 1:
            continue
        seen.add(S)
        outA.append(tuple(F(v) for v in row))
        outb.append(F(bi))
    return outA, outb


def _cell(key, dA, db, rows, n):
    A = list(dA) + [r for r, _ in rows]
    b = list(db) + [c for _, c in rows]
    V = vertices(A, b)
    if affine_dim(V) < n:
        return None
    A, b = facet_rows(A, b, V)
    return OCell(key, A, b, V)


def arrangement_cells(W, c, dA, db):
    """Cells of the arrangement ``W_i·x = c_i`` in ``{dA x <= db}`` keyed by sign vectors."""
    n = len(dA[0])
    choices = []
    for w, ci in zip(W, c):
        if all(v == 0 for v in w) and ci == 0:
            choices.append((0,))
        else:
            choices.append((-1, 1))
    out = []
    for s in itertools.product(*choices):
        rows = []
        for si, w, ci in zip(s, W, c):
            if si:  # s (w·x - c) >= 0  <=>  -s w·x <= -s c
                rows.append((tuple(-si * F(v) for v in w), -si * F(ci)))
        cell = _cell(s, dA, db, rows, n)
        if cell is not None:
            out.append(cell)
    return out


def arrangement_key(W, c, x):
    out = []
    for w, ci in zip(W, c):
        v = dot(w, x) - F(ci)
        out.append((v > 0) - (v < 0))
    return tuple(out)


def argmax_cells(W, c, dA, db):
    """Class regions of ``argmax_j W_j·x + c_j``, ties to the lowest index."""
    n = len(dA[0])
    out = []
    for j in range(len(W)):
        if any(tuple(W[k]) == tuple(W[j]) and F(c[k]) == F(c[j]) for k in range(j)):
            continue  # an earlier identical score wins everywhere
        rows = []
        for k in range(len(W)):
            if k != j:  # (w_k - w_j)·x <= c_j - c_k
                rows.append((tuple(F(a) - F(bb) for a, bb in zip(W[k], W[j])), F(c[j]) - F(c[k])))
        cell = _cell(j, dA, db, rows, n)
        if cell is not None:
            out.append(cell)
    return out


def argmax_key(W, c, x):
    s = [dot(w, x) + F(ci) for w, ci in zip(W, c)]
    m = max(s)
    return s.index(m)


def voronoi_scores(sites):
    W = [tuple(2 * F(v) for v in mu) for mu in sites]
    c = [-sum(F(v) * v for v in mu) for mu in sites]
    return W, c


def voronoi_key(sites, x):
    d = [sum((F(a) - xi) ** 2 for a, xi in zip(mu, x)) for mu in sites]
    return d.index(min(d))


def tree_cells(tree, dA, db):
    """Leaf regions of a nested-dict decision tree (left: ``x_f <= t`` / ``w·x <= t``)."""
    n = len(dA[0])
    out = []

    def walk(node, rows):
        if "leaf" in node:
            cell = _cell(node["leaf"], dA, db, rows, n)
            if cell is not None:
                out.append(cell)
            return
        if "weights" in node:
            w = tuple(F(v) for v in node["weights"])
        else:
            w = tuple(F(int(k == node["feature"])) for k in range(n))
        t = F(node["threshold"])
        walk(node["left"], [*rows, (w, t)])
        if any(w) or t < 0:  # right is w·x > t: empty for 0·x > t with t >= 0
            walk(node["right"], [*rows, (tuple(-v for v in w), -t)])

    walk(tree, [])
    return out


def tree_key(tree, x):
    node = tree
    n = len(x)
    while "leaf" not in node:
        w = node["weights"] if "weights" in node else [int(k == node["feature"]) for k in range(n)]
        node = node["left"] if dot(w, x) <= F(node["threshold"]) else node["right"]
    return node["leaf"]


def relu_cells(weights, biases, dA, db, slopes=None):
    """Activation cells of a ReLU net: every pattern, pulled-back rows, full dimension,
    and no active unit whose pre-activation is identically zero on the cell. ``slopes``:
    one negative slope per hidden layer (leaky units; default 0)."""
    n = len(dA[0])
    H = len(weights) - 1
    sizes = [len(weights[l]) for l in range(H)]
    out = []
    for flat in itertools.product((0, 1), repeat=sum(sizes)):
        pat, k = [], 0
        for s in sizes:
            pat.append(tuple(flat[k : k + s]))
            k += s
        J = [tuple(F(int(i == j)) for j in range(n)) for i in range(n)]
        c0 = [F(0)] * n
        rows, bad = [], False
        for l in range(H):
            Wl, bl = weights[l], biases[l]
            G = [tuple(sum((F(r[m]) * J[m][j] for m in range(len(r))), F(0)) for j in range(n)) for r in Wl]
            beta = [sum((F(r[m]) * c0[m] for m in range(len(r))), F(0)) + F(bb) for r, bb in zip(Wl, bl)]
            for g, bt, s in zip(G, beta, pat[l]):
                if s == 1:
                    if not any(g) and bt == 0:
                        bad = True  # identically zero: inactive by convention
                    rows.append((tuple(-v for v in g), bt))  # g·x + bt >= 0
                else:
                    rows.append((g, -bt))  # g·x + bt <= 0
            al = F(slopes[l]) if slopes else F(0)
            J = [g if s else tuple(al * v for v in g) for g, s in zip(G, pat[l])]
            c0 = [bt if s else al * bt for bt, s in zip(beta, pat[l])]
        if bad:
            continue
        cell = _cell(tuple(pat), dA, db, rows, n)
        if cell is not None:
            out.append(cell)
    return out


def relu_key(weights, biases, x, slopes=None):
    h = [F(v) for v in x]
    pat = []
    for l in range(len(weights) - 1):
        z = [dot(r, h) + F(bb) for r, bb in zip(weights[l], biases[l])]
        pat.append(tuple(int(v > 0) for v in z))
        al = F(slopes[l]) if slopes else F(0)
        h = [v if v > 0 else al * v for v in z]
    return tuple(pat)


def _lex_sign(poly):
    """Sign of ``Σ poly[k] ε^k`` for infinitesimal ``ε > 0``."""
    for v in poly:
        if v:
            return 1 if v > 0 else -1
    return 0


def perturbed_point(x, toward):
    """``x + ε(t − x) + ε² e_1 + … + ε^{n+1} e_n`` as per-coordinate coefficient lists."""
    n = len(x)
    return [[F(x[i]), F(toward[i]) - F(x[i])] + [F(int(i == k)) for k in range(n)] for i in range(n)]


def _affine_poly(row, pt, bias):
    out = [sum((F(a) * p[k] for a, p in zip(row, pt)), F(0)) for k in range(len(pt[0]))]
    out[0] += F(bias)
    return out


def relu_key_perturbed(weights, biases, x, toward, slopes=None):
    """The pattern at ``x + ε(t − x) + ε² e_1 + …`` (docs/definitions/relu.md, data mode)."""
    h = perturbed_point(x, toward)
    pat = []
    for l in range(len(weights) - 1):
        z = [_affine_poly(r, h, bb) for r, bb in zip(weights[l], biases[l])]
        sg = [_lex_sign(v) for v in z]
        pat.append(tuple(int(v > 0) for v in sg))
        al = F(slopes[l]) if slopes else F(0)
        h = [v if s > 0 else [al * t for t in v] for v, s in zip(z, sg)]
    return tuple(pat)


def argmax_key_perturbed(W, c, x, toward):
    pt = perturbed_point(x, toward)
    scores = [_affine_poly(w, pt, ci) for w, ci in zip(W, c)]
    best = 0
    for j in range(1, len(scores)):
        if _lex_sign([a - b for a, b in zip(scores[j], scores[best])]) > 0:
            best = j
    return best


def arrangement_key_perturbed(W, c, x, toward):
    pt = perturbed_point(x, toward)
    return tuple(_lex_sign(_affine_poly(w, pt, -F(ci))) for w, ci in zip(W, c))


def _separated(C, W, a):
    """Some row ``r·x <= ρ`` of C not parallel to ``a`` has every point of W on ``r·x >= ρ``
    (then C ∩ conv W lies in ``{r·x = ρ} ∩ {a·x = β}``, of dimension at most n − 2)."""
    return any(rank([r, a]) == 2 and all(dot(r, w) >= rb for w in W) for r, rb in zip(C.A, C.b))


def adjacent_faces(cells):
    """``{(i, j): (normal, squared (n−1)-volume)}`` for cells sharing an (n−1)-face.

    The face lies on a row ``a·x <= β`` of cell i with cell j on the side ``a·x >= β``;
    its vertices are those of ``C_i ∩ C_j ∩ {a·x = β}``: the common vertex set when both
    cells have the same vertices on the hyperplane, else brute force (T-junctions)."""
    n = len(cells[0].V[0])
    out = {}
    for i, j in itertools.combinations(range(len(cells)), 2):
        Ci, Cj = cells[i], cells[j]
        if any(max(v[k] for v in Ci.V) < min(v[k] for v in Cj.V) for k in range(n)):
            continue
        if any(max(v[k] for v in Cj.V) < min(v[k] for v in Ci.V) for k in range(n)):
            continue
        for a, beta in zip(Ci.A, Ci.b):
            if not any(a):
                continue
            if not all(dot(a, v) >= beta for v in Cj.V):
                continue
            if sum(1 for v in Cj.V if dot(a, v) == beta) < n:
                continue
            A = list(Ci.A) + list(Cj.A)
            b = list(Ci.b) + list(Cj.b)
            Vi = sorted(v for v in Ci.V if dot(a, v) == beta)
            Vj = sorted(v for v in Cj.V if dot(a, v) == beta)
            if affine_dim(Vj) < n - 1:
                continue  # C_j meets the hyperplane in less than a facet
            if _separated(Ci, Vj, a) or _separated(Cj, Vi, a):
                continue  # a row of one cell, not parallel to a, has the other face on its far side
            if Vi == Vj:
                V = Vi  # face to face: two polytopes with the same vertices are equal
            else:  # only rows bounding a facet of either cell's face on the hyperplane
                A, b = [], []
                for C, Vc in ((Ci, Vi), (Cj, Vj)):
                    for r, rb in zip(C.A, C.b):
                        S = [v for v in Vc if dot(r, v) == rb]
                        if len(S) >= n - 1 and len(S) < len(Vc) and affine_dim(S) == n - 2:
                            A.append(r)
                            b.append(rb)
                V = vertices(A, b, eq=[(a, beta)]) if A else []
            if affine_dim(V) == n - 1:
                out[(i, j)] = (a, face_volume_sq(V, A, b, a), V)
                break
    return out


def face_area_coeff(V, A, b, normal):
    """``r`` with ``vol_{n−1}(conv V) = r·‖normal‖`` (rational), V spanning a hyperplane."""
    n = len(normal)
    j = next(k for k in range(n) if normal[k] != 0)
    tot = F(0)
    for S in triangulate(V, A, b, n - 1):
        tot += simplex_volume([tuple(x for k, x in enumerate(v) if k != j) for v in S])
    return tot / abs(F(normal[j]))


def k_volume_sq(V, A, b):
    """Squared k-volume of ``conv V`` in its own affine hull (k = affine dimension), via a
    pulling triangulation and Gram determinants: exact for k = 0, 1, n−1, n, and for every
    k when all simplices of the triangulation have proportional Gram roots (true in a
    k-flat: each simplex volume is a rational multiple of one common surd)."""
    k = affine_dim(V)
    if k == 0:
        return F(1)
    return gram_root_sum_sq(triangulate(V, A, b, k))


def intersection_vertices(cells, sigma):
    """Vertices and rows of ``∩_{i∈σ} C_i`` (oracle cells with facet rows)."""
    rows = {}
    for i in sigma:
        for a, bb in zip(cells[i].A, cells[i].b):
            rows[(tuple(a), bb)] = None
    A = [a for a, _ in rows]
    b = [bb for _, bb in rows]
    return vertices(A, b), A, b


def oracle_complex(cells, convention, max_p=None):
    """``{p: {σ: (dim I_σ, squared vol of I_σ)}}``; σ tuples of indices into ``cells``.

    ``facet``: σ is a simplex iff dim I_σ = n − p and all its faces are simplices;
    ``nerve``: iff I_σ ≠ ∅ (all faces then are too)."""
    n = len(cells[0].V[0])
    out = {0: {(i,): (n, cells[i].volume() ** 2) for i in range(len(cells))}}
    p = 0
    while out[p] and (max_p is None or p < max_p):
        nxt = {}
        for s in out[p]:
            for v in range(s[-1] + 1, len(cells)):
                t = (*s, v)
                if any(t[:k] + t[k + 1 :] not in out[p] for k in range(p + 1)):
                    continue
                V, A, b = intersection_vertices(cells, t)
                d = affine_dim(V)
                if d < 0 or (convention == "facet" and d != n - p - 1):
                    continue
                nxt[t] = (d, k_volume_sq(V, A, b))
        p += 1
        out[p] = nxt
    if not out[p]:
        del out[p]
    return out


def boundary_matrix(simp_p, simp_pm1):
    """``B_p`` with ``∂[v_0…v_p] = Σ_k (−1)^k [v_0…v̂_k…v_p]`` (rows: the (p−1)-simplices)."""
    idx = {s: r for r, s in enumerate(simp_pm1)}
    B = [[0] * len(simp_p) for _ in simp_pm1]
    for c, s in enumerate(simp_p):
        for k in range(len(s)):
            B[idx[s[:k] + s[k + 1 :]]][c] += (-1) ** k
    return B


# ---------------------------------------------------------------------- data measures
def contains(C, x):
    """Is ``x`` in the closed oracle cell ``C``?"""
    return all(dot(a, x) <= bb for a, bb in zip(C.A, C.b))


def locate(cells, x):
    """The lowest index of a cell containing ``x`` (docs/definitions/complex.md)."""
    return next(i for i, c in enumerate(cells) if contains(c, x))


def cell_faces(C, k):
    """The k-faces of an oracle cell as sorted vertex lists: every k-face is the set of
    vertices tight on some ``n − k`` facet rows whose affine dimension is k (a k-face lies
    in facets whose normals span n − k dimensions; n − k independent ones cut out a face
    of dimension ≤ k containing it, hence the face itself)."""
    n = len(C.V[0])
    if k == n:
        return [sorted(C.V)]
    out = set()
    for S in itertools.combinations(range(len(C.A)), n - k):
        T = frozenset(v for v in C.V if all(dot(C.A[r], v) == C.b[r] for r in S))
        if T and affine_dim(sorted(T)) == k:
            out.add(T)
    return [sorted(T) for T in out]


def project_affine(V, x):
    """``(squared distance, foot)`` of ``x`` onto the affine hull of the points ``V``
    (normal equations of a basis of the difference vectors, in Fractions)."""
    v0 = V[0]
    basis = []
    for v in V[1:]:
        d = tuple(a - c for a, c in zip(v, v0))
        if rank([*basis, d]) > len(basis):
            basis.append(d)
    foot = tuple(F(c) for c in v0)
    if basis:
        G = [[dot(u, w) for w in basis] for u in basis]
        r = [dot(u, [F(xi) - ci for xi, ci in zip(x, v0)]) for u in basis]
        z = solve(G, r)
        foot = tuple(c + sum((zk * u[j] for zk, u in zip(z, basis)), F(0)) for j, c in enumerate(v0))
    return sum(((F(a) - b) ** 2 for a, b in zip(x, foot)), F(0)), foot


def nearest_face_measure(cells, cx, p, points, weights, where=None):
    """``μ_p`` of the ``nearest_face`` data rule, from the definition: the point x (in the
    lowest-index cell c containing it) splits its weight equally over the k-faces G of
    c whose foot of the perpendicular lies in c (so in G) at the least squared distance;
    G's share is split equally over the p-simplices σ ∋ c with dim I_σ = k whose
    intersection lies in aff G and contains the foot. ``cx`` is ``oracle_complex``'s
    output, ``cells`` in the package's order; ``where`` (optional) gives each point's
    cell instead of the lowest-index rule (data partitions locate by their own rule)."""
    mu = {s: F(0) for s in cx[p]}
    inter = {}
    for k, (x, w) in enumerate(zip(points, weights)):
        c = locate(cells, x) if where is None else where[k]
        cand = [s for s in cx[p] if c in s]
        for k in sorted({cx[p][s][0] for s in cand}):
            scored = []
            for G in cell_faces(cells[c], k):
                d2, y = project_affine(G, x)
                if contains(cells[c], y):
                    scored.append((d2, G, y))
            if not scored:
                continue
            best = min(d for d, _, _ in scored)
            win = [(G, y) for d, G, y in scored if d == best]
            for G, y in win:
                got = []
                for s in cand:
                    if cx[p][s][0] != k:
                        continue
                    if s not in inter:
                        inter[s] = intersection_vertices(cells, s)[0]
                    if all(project_affine(G, v)[0] == 0 for v in inter[s]) and all(
                        contains(cells[i], y) for i in s
                    ):
                        got.append(s)
                for s in got:
                    mu[s] += F(w) / len(win) / len(got)
    return mu


# ---------------------------------------------------------------------- transport
def hops(n, edges):
    """``{s: {v: hop distance}}`` on the graph of ``edges`` (breadth-first search)."""
    nb = {i: [] for i in range(n)}
    for i, j in edges:
        nb[i].append(j)
        nb[j].append(i)
    out = {}
    for s in range(n):
        d, q = {s: 0}, collections.deque([s])
        while q:
            u = q.popleft()
            for v in nb[u]:
                if v not in d:
                    d[v] = d[u] + 1
                    q.append(v)
        out[s] = d
    return out


def w1_dual_integer(mu, nu, dist, anchor):
    """``W_1(μ, ν)`` for an integer-valued metric ``dist`` by Kantorovich duality:
    ``max Σ f (μ − ν)`` over 1-Lipschitz f on the union of the supports with
    ``f(anchor) = 0`` (totals equal, so a constant shift changes nothing). The
    Lipschitz polytope's constraint matrix is a network matrix (totally unimodular) and
    ``dist`` is integral, so an optimal vertex is integral: enumerating the integer
    Lipschitz functions by backtracking finds the maximum. No transport plan is built."""
    pts = sorted(set(mu) | set(nu), key=lambda u: (u != anchor, u))
    diff = {u: F(mu.get(u, 0)) - F(nu.get(u, 0)) for u in pts}
    best = None
    f = {}

    def rec(k, acc):
        nonlocal best
        if k == len(pts):
            if best is None or acc > best:
                best = acc
            return
        u = pts[k]
        if k == 0:
            vals = [0]
        else:
            lo = max(f[v] - dist(u, v) for v in pts[:k])
            hi = min(f[v] + dist(u, v) for v in pts[:k])
            vals = range(lo, hi + 1)
        for t in vals:
            f[u] = t
            rec(k + 1, acc + t * diff[u])
        f.pop(u, None)

    rec(0, F(0))
    return best


# ---------------------------------------------------------------------- angle metric
def area_vectors(cells, faces, edges):
    """``A_e = r_e·a`` (a rational vector: the face's (n−1)-volume times its unit normal,
    pointing from tail i to head j, ``a`` an outward row of cell i) for each edge
    ``(i, j)``; the zero vector for an edge without a shared (n−1)-face. ``faces`` is
    :func:`adjacent_faces`' output."""
    n = len(cells[0].V[0])
    out = []
    for i, j in edges:
        if (i, j) not in faces:
            out.append(tuple(F(0) for _ in range(n)))
            continue
        a, _, V = faces[(i, j)]
        rows_A = list(cells[i].A) + list(cells[j].A)
        rows_b = list(cells[i].b) + list(cells[j].b)
        r = face_area_coeff(V, rows_A, rows_b, a) if n > 1 else F(1) / abs(F(a[0]))
        out.append(tuple(r * F(x) for x in a))
    return out


def angle_gram(cells, edges, area):
    """``M_1 = Σ_i G_i / (2 vol C_i)`` (spec §3), ``G_i`` the Gram matrix of the area
    vectors of the edges at cell i."""
    M = [[F(0)] * len(edges) for _ in edges]
    for v, C in enumerate(cells):
        vol = C.volume()
        at = [k for k, e in enumerate(edges) if v in e]
        for k in at:
            for m in at:
                M[k][m] += dot(area[k], area[m]) / (2 * vol)
    return M


# ---------------------------------------------------------------------- dense matrices
def mat(rows):
    return [[F(x) for x in r] for r in rows]


def mat_mul(A, B):
    return [[sum((a * b for a, b in zip(row, col)), F(0)) for col in zip(*B)] for row in A]


def mat_t(A):
    return [list(c) for c in zip(*A)]


def mat_diag(v):
    return [[v[i] if i == j else F(0) for j in range(len(v))] for i in range(len(v))]


def mat_add(A, B):
    return [[a + b for a, b in zip(r, s)] for r, s in zip(A, B)]


# ---------------------------------------------------------------------- regularizers
def surd_parts(sq):
    """``√sq`` (``sq ≥ 0`` rational) as ``(q, d)`` with ``√sq = q·√d``, d squarefree:
    ``√(p/r) = √(p·r)/r`` and the square part of ``p·r`` stripped by trial division."""
    sq = F(sq)
    m, s = sq.numerator * sq.denominator, 1
    k = 2
    while k * k <= m:
        while m % (k * k) == 0:
            m //= k * k
            s *= k
        k += 1
    return F(s, sq.denominator), m


def surd_total(squares):
    """``Σ √sq`` over ``squares`` as ``{radicand: coefficient}`` (zero terms dropped)."""
    out = {}
    for sq in squares:
        if sq:
            q, d = surd_parts(sq)
            out[d] = out.get(d, F(0)) + q
    return {d: q for d, q in out.items() if q}


def on_domain(row, beta, dA, db):
    """Is the hyperplane ``row·x = beta`` (outward ``row``) a facet plane of the domain
    ``dA x <= db``: a positive multiple of one of its rows?"""
    for d, delta in zip(dA, db):
        k = next(i for i, v in enumerate(d) if v != 0)
        lam = F(row[k]) / F(d[k])
        if lam > 0 and all(F(a) == lam * F(b) for a, b in zip(row, d)) and F(beta) == lam * F(delta):
            return True
    return False


def ridge_pairs(C):
    """Pairs of facet rows (indices into ``C.A``) meeting in an (n−2)-face of C: their
    common tight vertices have affine dimension n − 2."""
    n = len(C.V[0])
    out = []
    for s, t in itertools.combinations(range(len(C.A)), 2):
        T = [v for v in C.V if dot(C.A[s], v) == C.b[s] and dot(C.A[t], v) == C.b[t]]
        if T and affine_dim(T) == n - 2:
            out.append((s, t))
    return out


def penalties(cells, dA, db, points, *, phi="inverse", t0="1/100", threshold="3/4", include_domain=True,
              margin=None):
    """The four penalties of spec §6 in the conventions documented by exactgeom
    (docs/definitions, analysis.regularize): small cells ``Σ φ(vol C/vol D)``; slivers
    ``Σ cos²θ > threshold`` over facet pairs meeting in a ridge; boundary area as
    ``{radicand: coeff}``; margins ``Σ max(0, m² − d²)`` with d the distance to the
    nearest facet not on the domain's boundary (m = 1/20 of the box's smallest side)."""
    n = len(dA[0])
    volD = volume(dA, db)
    where = [locate(cells, x) for x in points]
    data_cells = sorted(set(where))
    small = F(0)
    for i in data_cells:
        t = cells[i].volume() / volD
        small += 1 / t if phi == "inverse" else max(F(0), F(t0) / t - 1)
    threshold = F(threshold)
    sliver = F(0)
    for i in data_cells:
        C = cells[i]
        for s, t in ridge_pairs(C):
            if not include_domain and (on_domain(C.A[s], C.b[s], dA, db) or on_domain(C.A[t], C.b[t], dA, db)):
                continue
            a, b = C.A[s], C.A[t]
            c2 = dot(a, b) ** 2 / (dot(a, a) * dot(b, b))
            if c2 > threshold:
                sliver += c2
    faces = adjacent_faces([cells[i] for i in data_cells]) if len(data_cells) > 1 else {}
    area = surd_total(f[1] for f in faces.values())
    if margin is None:
        V = vertices(dA, db)
        margin = min(max(v[j] for v in V) - min(v[j] for v in V) for j in range(n)) / 20
    m2 = F(margin) ** 2
    marg = F(0)
    for x, i in zip(points, where):
        C = cells[i]
        d2 = [(C.b[k] - dot(C.A[k], x)) ** 2 / dot(C.A[k], C.A[k])
              for k in range(len(C.A)) if not on_domain(C.A[k], C.b[k], dA, db)]
        if d2 and min(d2) < m2:
            marg += m2 - min(d2)
    return small, sliver, area, marg


# ---------------------------------------------------------------------- ReLU charts
def relu_forward(weights, biases, x, slopes=None):
    """``[(z_l, h_l)]`` for every layer at ``x`` (exact; the last layer has no ReLU)."""
    h = [F(v) for v in x]
    out = []
    for l, (Wl, bl) in enumerate(zip(weights, biases)):
        z = [dot(r, h) + F(bb) for r, bb in zip(Wl, bl)]
        if l < len(weights) - 1:
            al = F(slopes[l]) if slopes else F(0)
            h = [v if v > 0 else al * v for v in z]
        else:
            h = z
        out.append((z, h))
    return out


def interior_frame(C):
    """``n + 1`` affinely independent points strictly inside the oracle cell C: the
    vertex average c and ``c + ε e_k`` with ε below every row's slack over its 1-norm."""
    n = len(C.V[0])
    c = tuple(sum(v[k] for v in C.V) / len(C.V) for k in range(n))
    eps = min((bb - dot(a, c)) / (2 * (sum(abs(F(t)) for t in a) + 1)) for a, bb in zip(C.A, C.b))
    assert eps > 0
    return [c] + [tuple(ck + (eps if k == j else 0) for k, ck in enumerate(c)) for j in range(n)]


def affine_from_samples(frame, values):
    """``(J, c)`` of the affine map taking ``frame[k]`` to ``values[k]``: the columns of
    J solve ``J (x_k − x_0) = y_k − y_0`` (the frame's differences are ``ε e_k``)."""
    x0, y0 = frame[0], values[0]
    n = len(x0)
    cols = []
    for k in range(1, n + 1):
        eps = frame[k][k - 1] - x0[k - 1]
        cols.append([(a - b) / eps for a, b in zip(values[k], y0)])
    J = [[cols[j][i] for j in range(n)] for i in range(len(y0))]
    c = [y - dot(row, x0) for y, row in zip(y0, J)]
    return J, c


def relu_charts(weights, biases, C, slopes=None):
    """For the cell C: ``(pattern, [(J_l, c_l)] for l = 0..L, [(G_l, β_l)] pre-activation
    maps of the hidden layers)``, from exact forward passes at interior points only."""
    frame = interior_frame(C)
    runs = [relu_forward(weights, biases, x, slopes) for x in frame]
    n = len(frame[0])
    charts = [([[F(int(i == j)) for j in range(n)] for i in range(n)], [F(0)] * n)]
    pre = []
    for l in range(len(weights)):
        charts.append(affine_from_samples(frame, [r[l][1] for r in runs]))
        if l < len(weights) - 1:
            pre.append(affine_from_samples(frame, [r[l][0] for r in runs]))
    pattern = tuple(tuple(int(v > 0) for v in runs[0][l][0]) for l in range(len(weights) - 1))
    return pattern, charts, pre


def gram_root_sum_sq(simplices):
    """Squared sum of the k-volumes ``√det(EᵀE)/k!`` of simplices lying in one k-flat
    (so each root is a rational multiple of one common surd; 0 if all are flat)."""
    grams = []
    for S in simplices:
        k = len(S) - 1
        E = [[a - c for a, c in zip(v, S[0])] for v in S[1:]]
        grams.append(det([[dot(e1, e2) for e2 in E] for e1 in E]) / math.factorial(k) ** 2)
    base = next((g for g in grams if g != 0), None)
    if base is None:
        return F(0)
    tot = F(0)
    for g in grams:
        r = g / base
        num, den = math.isqrt(r.numerator), math.isqrt(r.denominator)
        assert num * num == r.numerator and den * den == r.denominator
        tot += F(num, den)
    return tot * tot * base


def normal_in_span(span, face_dirs, away):
    """The vector of ``span`` (a list of vectors) orthogonal to ``face_dirs``, pointing
    away from ``away`` (a direction into the body): the residual of the first spanning
    vector not in ``span(face_dirs)`` after projection onto it."""
    basis = []
    for d in face_dirs:
        if rank([*basis, d]) > len(basis):
            basis.append(d)
    for t in span:
        u = list(t)
        if basis:
            G = [[dot(a, b) for b in basis] for a in basis]
            z = solve(G, [dot(a, t) for a in basis])
            u = [ti - sum((zk * a[i] for zk, a in zip(z, basis)), F(0)) for i, ti in enumerate(t)]
        if any(u):
            return [-v for v in u] if dot(u, away) > 0 else u
    return None


# ---------------------------------------------------------------------- angle defects in R^3
def _line_of(r1, b1, r2, b2):
    """``(p0, u)``: a point and a primitive direction of the line ``r1·x = b1, r2·x = b2``
    in R^3 (cross product; ``p0`` solves the two equations with one coordinate 0)."""
    u = [r1[1] * r2[2] - r1[2] * r2[1], r1[2] * r2[0] - r1[0] * r2[2], r1[0] * r2[1] - r1[1] * r2[0]]
    u = [F(v) for v in u]
    k = max(range(3), key=lambda i: abs(u[i]))
    rest = [i for i in range(3) if i != k]
    M = [[F(r[i]) for i in rest] for r in (r1, r2)]
    s = solve(M, [F(b1), F(b2)])
    p0 = [F(0)] * 3
    for i, v in zip(rest, s):
        p0[i] = v
    # canonical: direction scaled to first nonzero entry 1, point with t = 0 at coordinate k = 0
    lead = next(v for v in u if v)
    u = [v / lead for v in u]
    return tuple(p0), tuple(u)


def ridge_pieces_3d(cells, dA, db):
    """Interior ridge pieces of a 3-D partition, from the definition (curvature.md): every
    line through a ridge of a cell (two facet rows meeting in an edge) not inside the
    domain's boundary; its members are the cells meeting it in a segment inside a face
    (a cell may meet other stretches of the line through its interior), each holding
    it in two facets (a ridge: cos θ = −⟨a,b⟩/(‖a‖‖b‖)) or one (a T-junction: π); the
    line is cut at the members' segment ends and the maximal runs with one configuration
    are the pieces. Returns ``{sorted piece vertices: [(cell, kind, cos², sign cos)]}``."""
    lines = {}
    for C in cells:
        for s, t in ridge_pairs(C):
            p0, u = _line_of(C.A[s], C.b[s], C.A[t], C.b[t])
            lines[(p0, u)] = None
    out = {}
    for p0, u in lines:
        if any(dot(d, u) == 0 and dot(d, p0) == delta for d, delta in zip(dA, db)):
            continue  # the line lies in the domain's boundary
        members = []
        for ci, C in enumerate(cells):
            lo, hi, on = None, None, []
            for k, (a, beta) in enumerate(zip(C.A, C.b)):
                au, slack = dot(a, u), F(beta) - dot(a, p0)
                if au == 0:
                    if slack < 0:
                        lo = hi = None
                        break
                    if slack == 0:
                        on.append(k)
                    continue
                tb = slack / au  # a·(p0 + t u) <= β
                if au > 0:
                    hi = tb if hi is None else min(hi, tb)
                else:
                    lo = tb if lo is None else max(lo, tb)
            else:
                if lo is not None and hi is not None and lo < hi and on:  # not through its interior
                    members.append((ci, lo, hi, on))
        cuts = sorted({t for _, lo, hi, _ in members for t in (lo, hi)})
        runs = []
        for t0, t1 in itertools.pairwise(cuts):
            conf = tuple(m for m in members if m[1] <= t0 and t1 <= m[2])
            if runs and runs[-1][2] == conf:
                runs[-1][1] = t1
            else:
                runs.append([t0, t1, conf])
        for t0, t1, conf in runs:
            if not conf or all(len(on) == 1 for *_, on in conf):
                continue
            ends = tuple(sorted(tuple(p + t * v for p, v in zip(p0, u)) for t in (t0, t1)))
            angles = []
            for ci, _, _, on in conf:
                if len(on) == 1:
                    angles.append((ci, "facet", F(1), -1))
                else:
                    assert len(on) == 2
                    a, b = cells[ci].A[on[0]], cells[ci].A[on[1]]
                    ab = dot(a, b)
                    angles.append((ci, "ridge", ab * ab / (dot(a, a) * dot(b, b)), (ab < 0) - (ab > 0)))
            out[ends] = angles
    return out


# ---------------------------------------------------------------------- angle defects in any R^n
def ridge_pieces(cells, dA, db):
    """Interior ridge pieces of a partition of R^n (n ≥ 3), from the definition in
    docs/definitions/curvature.md, by brute force: the (n−2)-flats L of the cells' ridges;
    a flat inside a domain facet's hyperplane has no interior piece; the members of L
    are the cells meeting it in an (n−2)-set inside one or two of their facets; the
    members' other rows cut L into regions (sign vectors, depth first, pruning the
    empty ones); regions are grouped
    by the set of members containing them, and the piece of a configuration with a ridge
    member is the intersection of its members with L. Same output as
    :func:`ridge_pieces_3d`."""
    n = len(dA[0])
    flats = {}
    for C in cells:
        for s, t in ridge_pairs(C):
            aug = [tuple(F(v) for v in C.A[s]) + (F(C.b[s]),), tuple(F(v) for v in C.A[t]) + (F(C.b[t]),)]
            flats[_rref_key(aug)] = [(aug[0][:n], aug[0][n]), (aug[1][:n], aug[1][n])]
    out = {}
    for eqs in flats.values():
        E = [list(e) + [f] for e, f in eqs]
        if any(rank([*E, [*d, delta]]) == 2 for d, delta in zip(dA, db)):
            continue  # L lies in the domain's boundary
        members = []
        for ci, C in enumerate(cells):
            on = [k for k, (a, beta) in enumerate(zip(C.A, C.b)) if rank([*E, [*a, beta]]) == 2]
            if not on:
                continue
            V = vertices(C.A, C.b, eq=eqs)
            if affine_dim(V) == n - 2:
                members.append((ci, on))
        cuts = {}
        for ci, on in members:
            C = cells[ci]
            for k, (a, beta) in enumerate(zip(C.A, C.b)):
                if k not in on:
                    cuts[_rref_key([tuple(F(v) for v in a) + (F(beta),)])] = (a, beta)
        cuts = list(cuts.values())
        confs = set()
        _flat_regions(cells, members, cuts, eqs, dA, db, confs, 0, [], [])
        for conf in confs:
            if not any(len(on) >= 2 for _, on in conf):
                continue
            A = [a for ci, _ in conf for a in cells[ci].A]
            b = [beta for ci, _ in conf for beta in cells[ci].b]
            angles = []
            for ci, on in conf:
                if len(on) == 1:
                    angles.append((ci, "facet", F(1), -1))
                else:
                    a, c = cells[ci].A[on[0]], cells[ci].A[on[1]]
                    ac = dot(a, c)
                    angles.append((ci, "ridge", ac * ac / (dot(a, a) * dot(c, c)), (ac < 0) - (ac > 0)))
            out[tuple(vertices(A, b, eq=eqs))] = angles
    return out


def _flat_regions(cells, members, cuts, eqs, dA, db, confs, k, A, b):
    """Depth first over the sign vectors of ``cuts`` inside the flat ``eqs`` ∩ domain,
    pruning empty (n−2)-sets; adds each region's configuration (the members containing
    its vertex average) to ``confs``."""
    n = len(dA[0])
    V = vertices(list(dA) + A, list(db) + b, eq=eqs)
    if affine_dim(V) != n - 2:
        return
    if k == len(cuts):
        p = tuple(sum(v[j] for v in V) / len(V) for j in range(n))
        confs.add(tuple((ci, tuple(on)) for ci, on in members if contains(cells[ci], p)))
        return
    a, beta = cuts[k]
    for sg in (1, -1):
        _flat_regions(cells, members, cuts, eqs, dA, db, confs, k + 1,
                      [*A, tuple(sg * F(v) for v in a)], [*b, sg * F(beta)])


def _rref_key(rows):
    """A canonical key of the row space of ``rows`` (reduced row echelon form)."""
    T = [list(r) for r in rows]
    piv_row = 0
    for col in range(len(T[0])):
        piv = next((i for i in range(piv_row, len(T)) if T[i][col] != 0), None)
        if piv is None:
            continue
        T[piv_row], T[piv] = T[piv], T[piv_row]
        p = T[piv_row][col]
        T[piv_row] = [v / p for v in T[piv_row]]
        for i in range(len(T)):
            if i != piv_row and T[i][col] != 0:
                f = T[i][col]
                T[i] = [a - f * c for a, c in zip(T[i], T[piv_row])]
        piv_row += 1
    return tuple(tuple(r) for r in T[:piv_row])
