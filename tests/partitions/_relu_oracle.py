"""Independent oracles for the ReLU partition tests.

``naive_cells`` refines the domain layer by layer, splitting every region by every unit
whose (affine on the region) pre-activation changes sign on it, with Fraction
arithmetic and cddlib conversions from scratch (``Polytope.intersect_halfspace``): no
traversal, no incremental double description, no facet-crossing rule.
"""

from __future__ import annotations

from fractions import Fraction

from exactgeom.partitions.partition import as_domain
from exactgeom.polytope.polytope import Polytope


def _dot(a, x):
    return sum((ai * xi for ai, xi in zip(a, x)), Fraction(0))


def naive_cells(net, domain) -> dict:
    """``{pattern: Polytope}`` of every full-dimensional activation cell in ``domain``."""
    D = as_domain(domain)
    n = D.ambient_dim
    eye = tuple(tuple(Fraction(int(i == j)) for j in range(n)) for i in range(n))
    zero = tuple(Fraction(0) for _ in range(n))
    # (prefix, polytope, J, c): h = J x + c on the region
    regions = [((), D, eye, zero)]
    H = len(net.weights) - 1
    for l in range(H):
        W, b = net.weights[l], net.biases[l]
        out = []
        for prefix, R, J, c in regions:
            cols = list(zip(*J))
            G = [tuple(_dot(r, col) for col in cols) for r in W]
            beta = [_dot(r, c) + bb for r, bb in zip(W, b)]
            pieces = [((), R)]
            for g, bt in zip(G, beta):
                nxt = []
                for sig, Q in pieces:
                    vals = [_dot(g, v) + bt for v in Q.vertices]
                    if all(v >= 0 for v in vals) and any(v > 0 for v in vals):
                        nxt.append((sig + (1,), Q))
                    elif all(v <= 0 for v in vals):
                        nxt.append((sig + (0,), Q))
                    else:
                        Qp = Q.intersect_halfspace([-v for v in g], bt)  # g·x + bt >= 0
                        Qm = Q.intersect_halfspace(list(g), -bt)
                        for s, Z in ((1, Qp), (0, Qm)):
                            if Z.dim == n:
                                nxt.append((sig + (s,), Z))
                pieces = nxt
            for sig, Q in pieces:
                J2 = tuple(gr if s else zero for gr, s in zip(G, sig))
                c2 = tuple(bb if s else Fraction(0) for bb, s in zip(beta, sig))
                out.append((prefix + (sig,), Q, J2, c2))
        regions = out
    return {p: R for p, R, _, _ in regions}


def forward_layers(net, x):
    """Exact ``h_1, …, h_H`` and the output at ``x`` (plain Fraction arithmetic)."""
    h = tuple(Fraction(v) for v in x)
    outs = []
    L = len(net.weights)
    for l in range(L):
        z = tuple(_dot(r, h) + bb for r, bb in zip(net.weights[l], net.biases[l]))
        h = z if l == L - 1 else tuple(v if v > 0 else Fraction(0) for v in z)
        outs.append(h)
    return outs


def interior_point(P: Polytope, weights) -> tuple:
    V = P.vertices
    w = [Fraction(1 + (k % 7)) for k in weights][: len(V)]
    w += [Fraction(1)] * (len(V) - len(w))
    s = sum(w)
    return tuple(sum((wi * v[j] for wi, v in zip(w, V)), Fraction(0)) / s for j in range(P.ambient_dim))
