"""Exact elimination helpers for statements that need a solution of a linear system (the shallow paper).

The statements never trust these: every result is fed into an ``Eq`` (A X = B) obligation.  Not part of the
deep.thm2.3 trusted base.
"""
from fractions import Fraction as F
from math import gcd

from .interp import cap, det, eye


def solve(A, B):
    """A particular solution X of A X = B (free variables 0) by Gauss-Jordan elimination, or None if none exists;
    a square nonsingular A by fraction-free (Bareiss) elimination on integer rows first."""
    cap(tuple(map(tuple, A))), cap(tuple(map(tuple, B)))
    X = _bareiss(A, B) if len(A) == len(A[0]) else None
    return X if X is not None else _gauss_jordan(A, B)


def _bareiss(A, B):
    """X with A X = B for a square nonsingular A, or None: each row of (A | B) scaled to integers (the solution does
    not change), Bareiss's fraction-free forward elimination (exact integer divisions), back substitution."""
    n, m = len(A), len(B[0])
    M = []
    for a, b in zip(A, B):
        row = list(a) + list(b)
        d = 1
        for x in row:
            d = d * x.denominator // gcd(d, x.denominator)
        M.append([x.numerator * (d // x.denominator) for x in row])
    prev = 1
    for k in range(n):
        p = next((i for i in range(k, n) if M[i][k]), None)
        if p is None:
            return None
        M[k], M[p] = M[p], M[k]
        for i in range(k + 1, n):
            M[i] = [0] * (k + 1) + [(M[i][j] * M[k][k] - M[i][k] * M[k][j]) // prev for j in range(k + 1, n + m)]
        prev = M[k][k]
    X = [[F(0)] * m for _ in range(n)]
    for i in range(n - 1, -1, -1):
        for c in range(m):
            X[i][c] = (M[i][n + c] - sum((M[i][j] * X[j][c] for j in range(i + 1, n)), F(0))) / M[i][i]
    return tuple(map(tuple, X))


def _gauss_jordan(A, B):
    n, m = len(A[0]), len(B[0])
    M, piv, r = [list(a) + list(b) for a, b in zip(A, B)], [], 0
    for c in range(n):
        p = next((i for i in range(r, len(M)) if M[i][c]), None)
        if p is None:
            continue
        M[r], M[p] = M[p], M[r]
        M[r] = [x / M[r][c] for x in M[r]]
        M = [row if i == r or not row[c] else [x - row[c] * y for x, y in zip(row, M[r])] for i, row in enumerate(M)]
        piv, r = piv + [c], r + 1
    if any(any(row[n:]) for row in M[r:]):
        return None
    X = [[F(0)] * m for _ in range(n)]
    for i, c in enumerate(piv):
        X[c] = M[i][n:]
    return tuple(map(tuple, X))


def inv(A):
    """A^{-1}, or None if A is singular."""
    return solve(A, eye(len(A))) if det(A) != 0 else None


def rank_witness(M):
    """(r, (rows, cols), kernel): a candidate for the Rank judgment, which checks it.  Gauss-Jordan with the
    original row indices kept: the pivot rows of M on the pivot columns form a nonsingular minor, and each free
    column f gives the null vector e_f - sum_i R[i][f] e_(pivot i) of the reduced form R.  A square M with
    det M != 0 (fraction-free, the common case of a full-rank Gram matrix) is answered without the elimination."""
    cap(tuple(map(tuple, M)))
    n = len(M[0])
    if len(M) == n and det(M) != 0:
        return n, (tuple(range(n)), tuple(range(n))), ()
    A, piv, rows, r = [(i, list(x)) for i, x in enumerate(M)], [], [], 0
    for c in range(n):
        p = next((i for i in range(r, len(A)) if A[i][1][c]), None)
        if p is None:
            continue
        A[r], A[p] = A[p], A[r]
        A[r] = (A[r][0], [x / A[r][1][c] for x in A[r][1]])
        A = [(k, x if i == r or not x[c] else [a - x[c] * b for a, b in zip(x, A[r][1])]) for i, (k, x) in enumerate(A)]
        piv, rows, r = piv + [c], rows + [A[r][0]], r + 1
    free = [c for c in range(n) if c not in piv]
    kernel = tuple(tuple(F(int(c == f)) - sum((A[i][1][f] for i, p in enumerate(piv) if p == c), F(0)) for c in range(n))
                   for f in free)
    return r, (tuple(rows), tuple(piv)), kernel
