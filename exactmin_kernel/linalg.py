"""Exact elimination helpers for statements that need a solution of a linear system (the shallow paper).

The statements never trust these: every result is fed into an ``Eq`` (A X = B) obligation.  Not part of the
deep.thm2.3 trusted base.
"""
from fractions import Fraction as F

from .interp import cap, det, eye


def solve(A, B):
    """A particular solution X of A X = B (free variables 0) by Gauss-Jordan elimination, or None if none exists."""
    cap(tuple(map(tuple, A))), cap(tuple(map(tuple, B)))
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


def ldl(M):
    """(L, D) with M = L diag(D) L^T (no exchanges), or (None, None) when a zero pivot meets a nonzero column:
    a candidate witness for the PSD judgment, which checks it."""
    n, A = len(M), [list(r) for r in M]
    L, D = [[F(int(i == j)) for j in range(n)] for i in range(n)], []
    for k in range(n):
        D.append(A[k][k])
        if D[k] == 0:
            if any(A[i][k] for i in range(k + 1, n)):
                return None, None
            continue
        for i in range(k + 1, n):
            L[i][k] = A[i][k] / D[k]
        A = [[A[i][j] - L[i][k] * D[k] * L[j][k] if i > k and j > k else A[i][j] for j in range(n)] for i in range(n)]
    return tuple(map(tuple, L)), tuple(D)
