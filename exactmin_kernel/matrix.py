"""The matrix judgments of the interpreter: PSD (an LDL^T witness), PosDef (Sylvester: the pivots of the
elimination without exchanges), Rank (a nonzero r x r minor and n - r independent kernel vectors), Inverse
(A B = I).  Registered in :data:`.interp.DECIDE`; a claim whose statement emits none of them does not rely on
this file."""
from itertools import combinations

from .interp import DECIDE, det, eye, mm, mv, tr
from .obligations import PSD, Inverse, PosDef, Rank


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


DECIDE.update({PSD: lambda ob: _psd(ob.M, ob.L, ob.D), PosDef: lambda ob: _posdef(ob.M),
               Rank: lambda ob: _rank(ob.M, ob.r, ob.minor, ob.kernel),
               Inverse: lambda ob: True if mm(ob.A, ob.B) == eye(len(ob.A)) else None})
