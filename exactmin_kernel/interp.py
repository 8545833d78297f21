"""The interpreter: exact ring operations on Fraction tuples, and ``holds(judgment)`` in {True, False, None}.

True: discharged.  False: exactly shown false.  None: the witness establishes nothing.  Only + - * exact division
and comparisons; sizes, bit lengths and root counts are capped (CapError).  The matrix judgments (PSD, PosDef,
Rank, Inverse) are decided in :mod:`.matrix` (registered in ``DECIDE``; not read for claims that do not use them).
"""
from fractions import Fraction as F
from itertools import combinations
from math import gcd, isqrt, lcm, prod
from operator import le, mul

from .obligations import Eq, Le, NonNeg, NonZero, Pos, SqrtSumSign

MAX_DIM, MAX_BITS, MAX_TERMS = 512, 1 << 18, 4


class CapError(ValueError):
    """A resource cap (dimension, bit length, number of square roots) is exceeded."""


def cap(x):
    if isinstance(x, tuple):
        if len(x) > MAX_DIM:
            raise CapError(f"dimension {len(x)} > {MAX_DIM}")
        return [cap(y) for y in x]
    if max(x.numerator.bit_length(), x.denominator.bit_length()) > MAX_BITS:
        raise CapError(f"a number has more than {MAX_BITS} bits")


def sub(a, b):
    return tuple(sub(x, y) for x, y in zip(a, b)) if isinstance(a, tuple) else a - b


def scale(c, a):
    return tuple(scale(c, x) for x in a) if isinstance(a, tuple) else c * a


def ints(vs):
    """(integer rows, d > 0) with vs[i] = rows[i] / d: one common denominator for Fraction vectors (no Fraction
    per entry in the hot loops: the points are converted once)."""
    d = lcm(*(q := {x.denominator for v in vs for x in v}))
    q = {e: d // e for e in q}
    return [tuple(x.numerator * q[x.denominator] for x in v) for v in vs], d


def dot(a, b):
    """<a, b> with one integer dot product over a common denominator."""
    (an, bn), d = ints([a, b])
    return F(sum(map(mul, an, bn)), d * d)


def mv(A, x):
    return tuple(r[0] for r in mm(A, tuple((v,) for v in x)))


def tr(A):
    return tuple(zip(*A))


def mm(A, B):
    cap(A), cap(B)
    (An, da), (Bn, db) = ints(A), ints(tr(B))               # one common denominator per matrix: integer dot products
    return tuple(tuple(F(sum(map(mul, r, c)), da * db) for c in Bn) for r in An)


def eye(n):
    return tuple(tuple(F(int(i == j)) for j in range(n)) for i in range(n))


def forward_all(Ws, bs, P):
    """Outputs of the ReLU network (no ReLU on the last layer) at every point of P = (integer rows X, d): (rows, d')
    with one denominator per layer for all points: z = (db Wn x + bn dw d) / (dw d db)."""
    X, d = P
    for i, (W, b) in enumerate(zip(Ws, bs)):
        (Wn, dw), ((bn,), db) = ints(W), ints([b])
        bn = [v * dw * d for v in bn]
        X = [tuple(z if z > 0 or i == len(Ws) - 1 else 0 for z in (db * sum(map(mul, r, x)) + c for r, c in zip(Wn, bn))) for x in X]
        g = gcd(d := dw * d * db, *(v for x in X for v in x))            # one reduction per layer for all points
        X, d = [tuple(v // g for v in x) for x in X], d // g
    return X, d


def forward(Ws, bs, x):
    return next(tuple(F(v, d) for v in y) for (y,), d in [forward_all(Ws, bs, ints([x]))])


def det(A):
    """Bareiss's fraction-free elimination on the rows scaled to integers (exchanges flip the sign)."""
    cap(tuple(map(tuple, A)))
    rows = [ints([r]) for r in A]
    M, s, p = [list(r[0][0]) for r in rows], 1, 1
    for k in range(len(M)):
        i = next((i for i in range(k, len(M)) if M[i][k]), None)
        if i is None:
            return F(0)
        M[k], M[i], s = M[i], M[k], s if i == k else -s
        M[k + 1:], p = [[(M[k][k] * a - r[k] * b) // p for a, b in zip(r, M[k])] for r in M[k + 1:]], M[k][k]
    return F(s * p, prod(d for _, d in rows))


def _flat(e):
    return [z for x in e for z in (_flat(x) if isinstance(x, tuple) else (x,))] if isinstance(e, tuple) else [e]


def _normal(terms):
    """Merge equal radicands, drop zeros, make perfect squares q = (a/b)^2 rational terms."""
    out = {}
    for c, q in terms:
        if q < 0:
            raise CapError("square root of a negative number")
        a, b = isqrt(q.numerator), isqrt(q.denominator)
        c, q = (c * F(a, b), F(1)) if a * a == q.numerator and b * b == q.denominator else (c, q)
        out[q] = out.get(q, F(0)) + c
    return [(c, q) for q, c in out.items() if c and q]


def _square(t):
    """(sum c_i sqrt q_i)^2 = sum c_i^2 q_i + sum_{i<k} 2 c_i c_k sqrt(q_i q_k)."""
    return [(sum((c * c * q for c, q in t), F(0)), F(1))] + [(2 * a[0] * b[0], a[1] * b[1]) for a, b in combinations(t, 2)]


def sqrt_sign(terms) -> int:
    """Exact sign of sum c_i sqrt q_i: split X + Y; when sign X = -sign Y != 0, sign(X+Y) = sign X sign(X^2 - Y^2).
    At most 4 terms, so X^2 - Y^2 has at most 3 and the recursion ends."""
    t = _normal(terms)
    if len(t) > MAX_TERMS:
        raise CapError(f"more than {MAX_TERMS} square roots")
    if len(t) <= 1:
        return (t[0][0] > 0) - (t[0][0] < 0) if t else 0
    X, Y = t[:len(t) // 2], t[len(t) // 2:]
    sx, sy = sqrt_sign(X), sqrt_sign(Y)
    if sx == 0 or sy == 0 or sx == sy:
        return sx or sy
    return sx * sqrt_sign(_square(X) + [(-c, q) for c, q in _square(Y)])


DECIDE = {Eq: lambda ob: ob.a == ob.b, NonZero: lambda ob: ob.e != 0,
          Le: lambda ob: len(a := _flat(ob.a)) == len(b := _flat(ob.b)) and all(map(le, a, b)),
          Pos: lambda ob: all(x > 0 for x in _flat(ob.e)), NonNeg: lambda ob: all(x >= 0 for x in _flat(ob.e)),
          SqrtSumSign: lambda ob: sqrt_sign(ob.terms) in (ob.sign if isinstance(ob.sign, tuple) else (ob.sign,))}


def holds(ob):
    """True / False / None for one judgment (module docstring)."""
    return DECIDE[type(ob)](ob)
