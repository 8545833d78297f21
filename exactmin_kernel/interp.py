"""The interpreter: exact ring operations on Fraction tuples, and ``holds(judgment)`` in {True, False, None}.

True: discharged.  False: exactly shown false.  None: the witness (LDL^T, minor, kernel, inverse) establishes
nothing.  Only + - * exact division and comparisons; sizes, bit lengths and root counts are capped (CapError).
"""
from fractions import Fraction as F
from itertools import combinations
from math import gcd, isqrt, lcm
from operator import le, mul

from .obligations import PSD, Eq, ExpLe, Inverse, Le, NonNeg, NonZero, Pos, PosDef, Rank, SqrtSumSign

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
    return tuple(dot(r, x) for r in A)


def tr(A):
    return tuple(zip(*A))


def mm(A, B):
    cap(A), cap(B)
    return tuple(tuple(dot(r, c) for c in tr(B)) for r in A)


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
    """Gaussian elimination over the rationals (row exchanges flip the sign)."""
    cap(tuple(map(tuple, A)))
    M, s = [list(r) for r in A], F(1)
    for k in range(len(M)):
        p = next((i for i in range(k, len(M)) if M[i][k]), None)
        if p is None:
            return F(0)
        M[k], M[p], s = M[p], M[k], s * M[p][k] * (1 if p == k else -1)
        M[k + 1:] = [[a - r[k] / M[k][k] * b for a, b in zip(r, M[k])] for r in M[k + 1:]]
    return s


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


def _psd(M, L, D):
    n = len(M)
    if M != tr(M) or any(M[i][i] < 0 for i in range(n)):
        return False
    ok = L is not None and len(L) == len(D) == n and all(d >= 0 for d in D) and all(
        len(L[i]) == n and L[i][i] == 1 and not any(L[i][i + 1:]) for i in range(n))
    return True if ok and mm(L, tuple(tuple(D[k] * L[j][k] for j in range(n)) for k in range(n))) == M else None


def _posdef(M):
    """Symmetric, and every pivot of the elimination without exchanges is > 0 (leading minors > 0)."""
    A = [list(r) for r in M]
    for k in range(len(A)):
        if A[k][k] <= 0 or M != tr(M):
            return False
        A = A[:k + 1] + [[a - r[k] / A[k][k] * b for a, b in zip(r, A[k])] for r in A[k + 1:]]
    return True


def _rank(M, r, minor, kernel):
    (rows, cols), n = minor, len(M[0])
    ok = len(rows) == len(cols) == r and len(kernel) == n - r and det([[M[i][j] for j in cols] for i in rows]) != 0
    ok = ok and not any(any(mv(M, v)) for v in kernel)
    return True if ok and (not kernel or any(det([[v[j] for j in cs] for v in kernel])
                                             for cs in combinations(range(n), n - r))) else None


def holds(ob):
    """True / False / None for one judgment (module docstring)."""
    kind = type(ob)
    if kind is ExpLe:                       # e^t enclosures: only statements that emit ExpLe need series.py
        from .series import exp_le
        return exp_le(ob.a, ob.c, ob.t, ob.b)
    if kind in (Pos, NonNeg):
        return all(x > 0 if kind is Pos else x >= 0 for x in _flat(ob.e))
    if kind is Le:
        return len(a := _flat(ob.a)) == len(b := _flat(ob.b)) and all(map(le, a, b))
    return {Eq: lambda: ob.a == ob.b, NonZero: lambda: ob.e != 0, PSD: lambda: _psd(ob.M, ob.L, ob.D),
            Rank: lambda: _rank(ob.M, ob.r, ob.minor, ob.kernel),
            Inverse: lambda: True if mm(ob.A, ob.B) == eye(len(ob.A)) else None,
            SqrtSumSign: lambda: sqrt_sign(ob.terms) in (ob.sign if isinstance(ob.sign, tuple) else (ob.sign,)), PosDef: lambda: _posdef(ob.M)}[kind]()
