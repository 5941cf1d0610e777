"""Symbolic checks behind exact multiples of π among angles with rational cos².

Backs :meth:`exactgeom.numbers.angle.Angle.exact_pi_multiple`: for θ ∈ [0, π] with
cos²θ rational,

    θ/π ∈ Q  ⇔  cos²θ ∈ {0, 1/4, 1/2, 3/4, 1},

and then θ = rπ with r read from (cos²θ, sign of cos θ):
(1, +) → 0, (3/4, +) → 1/6, (1/2, +) → 1/4, (1/4, +) → 1/3, (0, 0) → 1/2,
(1/4, −) → 2/3, (1/2, −) → 3/4, (3/4, −) → 5/6, (1, −) → 1.

Argument: cos 2θ = 2cos²θ − 1 is rational and 2θ/π is rational, so by Niven's theorem
cos 2θ ∈ {0, ±1/2, ±1}, i.e. cos²θ = (1 + cos 2θ)/2 ∈ {1/2, 3/4, 1/4, 1, 0}.  The script
checks: the double-angle identity; Niven's theorem on every rational r = p/q in
[0, 1] with q ≤ 30 (cos(2rπ) is rational exactly for the listed values, via sympy's
minimal polynomials); that each table entry is cos(rπ)'s exact square and sign; and
that exactgeom's Angle agrees with all of it.

Run: ``python proofs/niven.py`` (exit status 0 on success); one line per verified
identity.
"""

from __future__ import annotations

import sys
from fractions import Fraction
from pathlib import Path

import sympy as sp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from exactgeom.numbers import Angle, Surd

x, t = sp.symbols("x theta")

TABLE = {
    (Fraction(1), 1): Fraction(0),
    (Fraction(3, 4), 1): Fraction(1, 6),
    (Fraction(1, 2), 1): Fraction(1, 4),
    (Fraction(1, 4), 1): Fraction(1, 3),
    (Fraction(0), 0): Fraction(1, 2),
    (Fraction(1, 4), -1): Fraction(2, 3),
    (Fraction(1, 2), -1): Fraction(3, 4),
    (Fraction(3, 4), -1): Fraction(5, 6),
    (Fraction(1), -1): Fraction(1),
}
Q_MAX = 30


def check(label: str, ok: bool) -> None:
    assert ok, f"FAILED: {label}"
    print(f"ok  {label}")


def rat(q: Fraction) -> sp.Rational:
    return sp.Rational(q.numerator, q.denominator)


def to_surd(e: sp.Expr) -> Surd:
    """An exact sympy number of the form q·√d as a Surd (via its square and sign)."""
    sq = sp.simplify(sp.expand(e**2))
    assert sq.is_Rational, e
    s = Surd.sqrt(Fraction(int(sq.p), int(sq.q)))
    return -s if e.is_negative else s


def main() -> None:
    check("cos 2θ = 2cos²θ − 1", sp.simplify(sp.cos(2 * t) - (2 * sp.cos(t) ** 2 - 1)) == 0)

    niven_values = {sp.Integer(0), sp.Rational(1, 2), sp.Rational(-1, 2), sp.Integer(1), sp.Integer(-1)}
    squares = {(1 + v) / 2 for v in niven_values}
    check(
        "cos²θ = (1 + cos 2θ)/2 maps Niven's {0, ±1/2, ±1} onto {0, 1/4, 1/2, 3/4, 1}",
        squares == {sp.Integer(0), sp.Rational(1, 4), sp.Rational(1, 2), sp.Rational(3, 4), sp.Integer(1)},
    )

    # Niven's theorem on all r = p/q ∈ [0, 1], q ≤ Q_MAX: cos(2rπ) rational iff in the list,
    # i.e. cos²(rπ) rational iff r is in the table
    expected_r = set(TABLE.values())
    rational_r = set()
    n = 0
    for q in range(1, Q_MAX + 1):
        for p in range(0, q + 1):
            if sp.gcd(p, q) != 1:
                continue
            n += 1
            c2 = sp.cos(2 * sp.pi * sp.Rational(p, q))
            mp = sp.minimal_polynomial(c2, x)
            if sp.degree(mp, x) == 1:
                val = sp.solve(mp, x)[0]
                assert val in niven_values, (p, q, val)
                rational_r.add(Fraction(p, q))
    check(
        f"Niven on {n} reduced fractions r = p/q ∈ [0, 1], q ≤ {Q_MAX}: cos²(rπ) ∈ Q iff "
        f"r ∈ {{{', '.join(str(r) for r in sorted(expected_r))}}}",
        rational_r == expected_r,
    )

    # each table entry: cos(rπ) has that square and sign, and Angle finds r
    for (sq, sgn), r in TABLE.items():
        c = sp.cos(sp.pi * rat(r))
        ok = sp.simplify(c**2 - rat(sq)) == 0 and sp.sign(c) == sgn
        a = Angle(to_surd(c))
        ok = ok and a.exact_pi_multiple() == r and a.squared_cos() == sq
        check(f"cos({r}·π) = {a.cos}: cos² = {sq}, sign {sgn:+d}, Angle.exact_pi_multiple() = {r}", ok)

    # the other angles with a surd cosine are irrational multiples of π: Angle says None
    n_none = 0
    for q in range(1, 13):
        for p in range(0, q + 1):
            for c in (sp.sqrt(sp.Rational(p, q)), -sp.sqrt(sp.Rational(p, q))):
                a = Angle(to_surd(c))
                if a.squared_cos() not in {k[0] for k in TABLE}:
                    assert a.exact_pi_multiple() is None
                    n_none += 1
                else:
                    r = a.exact_pi_multiple()
                    assert r is not None and sp.simplify(sp.cos(sp.pi * rat(r)) - c) == 0
    check(f"Angle.exact_pi_multiple() is None for all {n_none} cosines ±√(p/q), q ≤ 12, cos² off the table", True)
    for m in range(5, 13):
        a = Angle(Surd.sqrt(Fraction(1, m)))
        check(f"arccos(1/√{m}): cos² = 1/{m} off the table, exact_pi_multiple() is None", a.exact_pi_multiple() is None)


if __name__ == "__main__":
    main()
