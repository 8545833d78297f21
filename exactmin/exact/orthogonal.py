"""Rational unit vectors and exactly orthogonal rational matrices.

Everything returned here is verified exactly before it is returned: unit vectors satisfy |x|^2 == 1
in Q, orthogonal matrices satisfy R^T R == I in Q, rotations have det +1 and map a to b exactly.
"""

from __future__ import annotations

import math

from flint import fmpq, fmpq_mat

from exactmin.exact import linalg
from exactmin.exact.enclosure import sqrt_enclosure
from exactmin.exact.linalg import as_fmpq, identity

__all__ = [
    "norm2",
    "dot",
    "rational_sqrt",
    "rational_unit_vector",
    "unit_vector_error_ok",
    "householder",
    "reflection_to",
    "rotation_to",
    "cayley",
    "is_orthogonal",
    "det",
]


def dot(u, v) -> fmpq:
    """Exact inner product of two equal-length rational vectors."""
    u = [as_fmpq(x) for x in u]
    v = [as_fmpq(x) for x in v]
    if len(u) != len(v):
        raise ValueError("length mismatch")
    s = fmpq(0)
    for a, b in zip(u, v):
        s += a * b
    return s


def norm2(v) -> fmpq:
    """Exact squared Euclidean norm."""
    return dot(v, v)


def rational_sqrt(q) -> fmpq | None:
    """The rational square root of q >= 0 if q is a square in Q, else None."""
    q = as_fmpq(q)
    if q < 0:
        return None
    n, d = int(q.p), int(q.q)
    a, b = math.isqrt(n), math.isqrt(d)
    if a * a == n and b * b == d:
        return fmpq(a, b)
    return None


def unit_vector_error_ok(x, v, tol) -> bool:
    """Exact check that |x - v/|v|| <= tol, for a rational unit vector x (|x|^2 == 1 is also checked).

    Since |x - w|^2 = 2 - 2<x, w> for unit x and w = v/|v|, the condition is <x, v> >= c |v| with
    c = 1 - tol^2/2, decided by signs and squares only.
    """
    x = [as_fmpq(t) for t in x]
    v = [as_fmpq(t) for t in v]
    tol = as_fmpq(tol)
    if tol < 0 or norm2(x) != 1:
        return False
    n2 = norm2(v)
    if n2 == 0:
        return False
    p = dot(x, v)
    c = 1 - tol * tol / 2
    if c > 0:
        return p > 0 and p * p >= c * c * n2
    # c <= 0: need p >= c|v|, i.e. p >= 0, or p < 0 and p^2 <= c^2 |v|^2
    return p >= 0 or p * p <= c * c * n2


def _round_dyadic(q: fmpq, bits: int) -> fmpq:
    """Nearest rational with denominator 2**bits (ties rounded down)."""
    num = q * (1 << bits)
    return fmpq(int((num + fmpq(1, 2)).floor()), 1 << bits)


def rational_unit_vector(v, tol, max_bits: int = 1 << 16) -> list[fmpq]:
    """A rational x with |x|^2 == 1 exactly and |x - v/|v|| <= tol, certified exactly before returning.

    v: nonzero rational vector; tol: positive rational (floats are rejected). If |v|^2 is the square of
    a rational, returns v/|v| exactly. Otherwise: inverse stereographic projection from the pole
    -sign(v_k) e_k (k = argmax |v_k|): t_i = v_i / (|v| + |v_k|) (i != k) is approximated by dyadics with
    2**bits denominators and mapped back, x_i = 2 t_i / (1 + |t|^2), x_k = sign(v_k)(1 - |t|^2)/(1 + |t|^2),
    so |x|^2 == 1 identically; bits grow until :func:`unit_vector_error_ok` holds.
    """
    v = [as_fmpq(t) for t in v]
    tol = as_fmpq(tol)
    if tol <= 0:
        raise ValueError("tol must be positive")
    n = len(v)
    n2 = norm2(v)
    if n2 == 0:
        raise ValueError("zero vector has no direction")
    r = rational_sqrt(n2)
    if r is not None:
        x = [t / r for t in v]
        assert norm2(x) == 1
        return x
    k = max(range(n), key=lambda i: abs(v[i]))
    s = 1 if v[k] > 0 else -1
    vk = abs(v[k])
    # bits: enough that the dyadic rounding error (~sqrt(n) 2^-bits) is well below tol
    inv_tol = int((1 / tol).ceil()) if tol < 1 else 1
    bits = inv_tol.bit_length() + n.bit_length() + 8
    while bits <= max_bits:
        # |v| to within 2^-(bits+8) / ... relative; the error only affects accuracy, never validity
        nv = sqrt_enclosure(n2, bits + 8).lo
        denom = nv + vk
        t = [_round_dyadic(v[i] / denom, bits) if i != k else fmpq(0) for i in range(n)]
        tt = norm2(t)
        x = [2 * t[i] / (1 + tt) for i in range(n)]
        x[k] = s * (1 - tt) / (1 + tt)
        if norm2(x) == 1 and unit_vector_error_ok(x, v, tol):
            return x
        bits *= 2
    raise ArithmeticError("rational_unit_vector: precision limit reached")  # not expected


def householder(w) -> fmpq_mat:
    """I - 2 w w^T / (w^T w) for a nonzero rational vector w (symmetric, orthogonal, det -1)."""
    w = [as_fmpq(t) for t in w]
    n2 = norm2(w)
    if n2 == 0:
        raise ValueError("householder vector must be nonzero")
    n = len(w)
    H = identity(n)
    for i in range(n):
        for j in range(n):
            H[i, j] -= 2 * w[i] * w[j] / n2
    return H


def _mat_vec(M: fmpq_mat, v) -> list[fmpq]:
    return linalg.vec(M * linalg.col(v))


def _check_same_norm(a, b):
    a = [as_fmpq(t) for t in a]
    b = [as_fmpq(t) for t in b]
    if len(a) != len(b):
        raise ValueError("length mismatch")
    if norm2(a) != norm2(b):
        raise ValueError("vectors must have exactly equal norms")
    return a, b


def reflection_to(a, b) -> fmpq_mat:
    """Orthogonal H with H a == b for rational a, b with |a|^2 == |b|^2 (exact).

    H = I if a == b, else the Householder reflection along a - b (det -1). Verified exactly.
    """
    a, b = _check_same_norm(a, b)
    if a == b:
        return identity(len(a))
    H = householder([x - y for x, y in zip(a, b)])
    assert _mat_vec(H, a) == b and is_orthogonal(H)
    return H


def rotation_to(a, b) -> fmpq_mat:
    """R with R^T R == I, det R == +1 and R a == b exactly, for rational a, b with |a|^2 == |b|^2.

    a == b: I. a != -b: H_b H_{a+b} (H_{a+b} a = -b, H_b(-b) = b). a == -b != 0: H_c H_{a-b} with
    c = |b|^2 e_k - b_k b, orthogonal to b and nonzero for k = argmin |b_k| (dimension >= 2).
    In dimension 1 with a == -b != 0 no rotation exists: ``ValueError``. Verified exactly.
    """
    a, b = _check_same_norm(a, b)
    n = len(a)
    if a == b:
        return identity(n)
    if any(x + y != 0 for x, y in zip(a, b)):
        R = householder(b) * householder([x + y for x, y in zip(a, b)])
    else:
        if n < 2:
            raise ValueError("in dimension 1, a == -b != 0 admits no rotation")
        nb = norm2(b)
        k = min(range(n), key=lambda i: abs(b[i]))
        c = [-b[k] * y for y in b]
        c[k] += nb
        R = householder(c) * householder([x - y for x, y in zip(a, b)])
    if not (is_orthogonal(R) and R.det() == 1 and _mat_vec(R, a) == b):
        raise ArithmeticError("rotation_to: verification failed")  # not expected
    return R


def cayley(K) -> fmpq_mat:
    """(I - K)(I + K)^{-1} for rational skew-symmetric K: orthogonal with det +1 (verified exactly).

    I + K is always invertible for real skew-symmetric K. ``ValueError`` if K is not skew-symmetric.
    """
    K = linalg._as_mat(K)
    n = K.nrows()
    if K.ncols() != n or K.transpose() != -K:
        raise ValueError("cayley needs a square skew-symmetric matrix")
    I = identity(n)
    R = (I - K) * linalg.inv(I + K)
    if not (is_orthogonal(R) and (n == 0 or R.det() == 1)):
        raise ArithmeticError("cayley: verification failed")  # not expected
    return R


def is_orthogonal(R) -> bool:
    """Exact test R^T R == I (R square)."""
    R = linalg._as_mat(R)
    if R.nrows() != R.ncols():
        return False
    return R.transpose() * R == identity(R.nrows())


def det(M) -> fmpq:
    """Exact determinant (flint backend)."""
    return linalg.det(M)
