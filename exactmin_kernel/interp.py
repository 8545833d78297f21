"""The interpreter: exact ring operations on Fraction tuples and the discharge of judgments (:mod:`.obligations`).

``holds(ob)`` is True (discharged), False (exactly shown false) or None (the witness establishes nothing: an
LDL^T, minor, kernel or inverse that does not check).  Only + - * exact division and comparisons are used; sizes
and bit lengths are capped before arithmetic (:class:`CapError`).
"""
from __future__ import annotations

from fractions import Fraction as F
from math import gcd, isqrt

from .obligations import PSD, Eq, Inverse, NonNeg, NonZero, Pos, Rank, SqrtSumSign

MAX_DIM, MAX_BITS, MAX_TERMS = 512, 1 << 18, 4


class CapError(ValueError):
    """A resource cap (dimension, bit length, number of square roots) is exceeded."""


def _bits(x: F) -> int:
    return max(x.numerator.bit_length(), x.denominator.bit_length())


def cap(*xs):
    """Check the caps on scalars, vectors or matrices before they enter a product."""
    for x in xs:
        if isinstance(x, tuple):
            if len(x) > MAX_DIM:
                raise CapError(f"dimension {len(x)} > {MAX_DIM}")
            cap(*x)
        elif _bits(x) > MAX_BITS:
            raise CapError(f"a number has more than {MAX_BITS} bits")


def vec(xs):
    return tuple(F(x) for x in xs)


def add(a, b):
    return tuple(add(x, y) for x, y in zip(a, b)) if isinstance(a, tuple) else a + b


def sub(a, b):
    return tuple(sub(x, y) for x, y in zip(a, b)) if isinstance(a, tuple) else a - b


def scale(c, a):
    return tuple(scale(c, x) for x in a) if isinstance(a, tuple) else c * a


def dot(a, b):
    return sum((x * y for x, y in zip(a, b)), F(0))


def mv(A, x):
    return tuple(dot(r, x) for r in A)


def tr(A):
    return tuple(zip(*A))


def mm(A, B):
    cap(A, B)
    Bt = tr(B)
    return tuple(tuple(dot(r, c) for c in Bt) for r in A)


def eye(n):
    return tuple(tuple(F(int(i == j)) for j in range(n)) for i in range(n))


def relu(v):
    return tuple(x if x > 0 else F(0) for x in v)


def det(A):
    """Bareiss elimination on integer rows (row i scaled by the lcm d_i of its denominators): exact divisions."""
    cap(A)
    n, scalef, rows = len(A), F(1), []
    for r in A:
        d = 1
        for x in r:
            d = d * x.denominator // gcd(d, x.denominator)
        rows.append([int(x * d) for x in r])
        scalef /= d
    sgn, prev = 1, 1
    for k in range(n):
        p = next((i for i in range(k, n) if rows[i][k]), None)
        if p is None:
            return F(0)
        if p != k:
            rows[k], rows[p], sgn = rows[p], rows[k], -sgn
        for i in range(k + 1, n):
            for j in range(k + 1, n):
                rows[i][j] = (rows[i][j] * rows[k][k] - rows[i][k] * rows[k][j]) // prev
        prev = rows[k][k]
    return sgn * prev * scalef


def _flat(e):
    return [y for x in e for y in _flat(x)] if isinstance(e, tuple) else [e]


# ------------------------------------------------------------------------------------------------ square roots

def _normal(terms):
    """Merge equal radicands, drop zeros, turn perfect squares q = (a/b)^2 into rational terms."""
    out = {}
    for c, q in terms:
        if q < 0:
            raise CapError("square root of a negative number")
        a, b = isqrt(q.numerator), isqrt(q.denominator)
        c, q = (c * F(a, b), F(1)) if a * a == q.numerator and b * b == q.denominator else (c, q)
        out[q] = out.get(q, F(0)) + c
    return [(c, q) for q, c in out.items() if c and q]


def _square(t):
    """(sum c_i sqrt q_i)^2 as terms: sum c_i^2 q_i + sum_{i<k} 2 c_i c_k sqrt(q_i q_k)."""
    sq = [(sum((c * c * q for c, q in t), F(0)), F(1))]
    return sq + [(2 * t[i][0] * t[k][0], t[i][1] * t[k][1]) for i in range(len(t)) for k in range(i + 1, len(t))]


def sqrt_sign(terms) -> int:
    """The exact sign of sum c_i sqrt(q_i): split X + Y; if the signs differ, sign(X + Y) = sign(X) sign(X^2 - Y^2).
    At most 4 terms (then X^2 - Y^2 has at most 3, so the recursion ends)."""
    t = _normal(terms)
    if len(t) > MAX_TERMS:
        raise CapError(f"more than {MAX_TERMS} square roots")
    if len(t) <= 1:
        return 0 if not t else (1 if t[0][0] > 0 else -1)
    X, Y = t[:len(t) // 2], t[len(t) // 2:]
    sx, sy = sqrt_sign(X), sqrt_sign(Y)
    if sx == 0 or sy == 0 or sx == sy:
        return sx or sy
    return sx * sqrt_sign(_square(X) + [(-c, q) for c, q in _square(Y)])


# ------------------------------------------------------------------------------------------------ judgments

def _psd(M, L, D):
    n = len(M)
    if M != tr(M) or any(M[i][i] < 0 for i in range(n)):
        return False
    ok = (len(L) == n == len(D) and all(len(r) == n for r in L) and all(d >= 0 for d in D)
          and all(L[i][i] == 1 and not any(L[i][i + 1:]) for i in range(n)))
    return True if ok and mm(L, tuple(tuple(D[k] * L[j][k] for j in range(n)) for k in range(n))) == M else None


def _rank(M, r, minor, kernel):
    rows, cols = minor
    n = len(M[0])
    if len(rows) != r or len(cols) != r or len(kernel) != n - r or det(tuple(tuple(M[i][j] for j in cols)
                                                                                for i in rows)) == 0:
        return None
    if any(any(mv(M, v)) for v in kernel):
        return None
    if kernel and not any(det(tuple(tuple(v[j] for j in cs) for v in kernel)) for cs in _subsets(n, n - r)):
        return None
    return True


def _subsets(n, k, start=0):
    if k == 0:
        yield ()
        return
    for i in range(start, n - k + 1):
        for rest in _subsets(n, k - 1, i + 1):
            yield (i,) + rest


def holds(ob):
    """True / False / None for one judgment (see the module docstring)."""
    if isinstance(ob, Eq):
        return ob.a == ob.b
    if isinstance(ob, Pos):
        return all(x > 0 for x in _flat(ob.e))
    if isinstance(ob, NonNeg):
        return all(x >= 0 for x in _flat(ob.e))
    if isinstance(ob, NonZero):
        return ob.e != 0
    if isinstance(ob, PSD):
        return _psd(ob.M, ob.L, ob.D)
    if isinstance(ob, Rank):
        return _rank(ob.M, ob.r, ob.minor, ob.kernel)
    if isinstance(ob, Inverse):
        return True if mm(ob.A, ob.B) == eye(len(ob.A)) else None
    if isinstance(ob, SqrtSumSign):
        return sqrt_sign(ob.terms) == ob.sign
    raise TypeError(f"not a judgment: {ob!r}")
