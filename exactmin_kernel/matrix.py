"""The matrix judgments of the interpreter: PSD and PosDef (decided both ways by the signs of the pivots of a
fraction-free symmetric elimination), Rank (a nonzero r x r minor and n - r independent kernel vectors), Inverse
(A B = I).  Registered in :data:`.interp.DECIDE`; a claim whose statement emits none of them does not rely on
this file."""
from functools import lru_cache
from itertools import combinations

from .interp import DECIDE, cap, det, eye, ints, mm, mv, tr
from .obligations import PSD, Inverse, PosDef, Rank


def _signs(M):
    """Signs of the pivots of the symmetric elimination of M without exchanges, fraction-free (Bareiss) on M
    scaled to integers; a zero pivot whose row is nonzero ends with None.  The working matrix after the pivots P is
    det M[P, P] times the Schur complement of M[P, P] (a congruence by a positive factor while the pivots are > 0),
    and a zero pivot with a zero row leaves it unchanged."""
    cap(M)
    A, p = [list(r) for r in ints(M)[0]], 1
    for k, row in enumerate(A):
        a = row[k]
        if a == 0 and any(row[k + 1:]):
            yield None
            return
        yield (a > 0) - (a < 0)
        if a:
            for r in A[k + 1:]:
                r[k + 1:] = [(a * x - r[k] * y) // p for x, y in zip(r[k + 1:], row[k + 1:])]
            p = a


@lru_cache(maxsize=16)                       # every reading of a claim emits the same matrices: decide once
def _psd(M):
    """M symmetric PSD, decided both ways: pivot < 0, or a zero pivot with a nonzero row (a 2 x 2 principal minor
    -a^2 < 0), refutes; otherwise M is congruent to diag(pivots) >= 0 plus zero blocks."""
    return M == tr(M) and all(s is not None and s >= 0 for s in _signs(M))


@lru_cache(maxsize=16)
def _posdef(M):
    """Symmetric, and every pivot of the elimination without exchanges is > 0 (leading minors > 0, Sylvester)."""
    return M == tr(M) and all(s == 1 for s in _signs(M))


@lru_cache(maxsize=16)
def _rank(M, r, minor, kernel):
    (rows, cols), n = minor, len(M[0])
    ok = len(rows) == len(cols) == r and len(kernel) == n - r and det([[M[i][j] for j in cols] for i in rows]) != 0
    ok = ok and not any(any(mv(M, v)) for v in kernel)
    return True if ok and (not kernel or any(det([[v[j] for j in cs] for v in kernel])
                                             for cs in combinations(range(n), n - r))) else None


def _t(M):
    return tuple(map(tuple, M))


DECIDE.update({PSD: lambda ob: _psd(_t(ob.M)), PosDef: lambda ob: _posdef(_t(ob.M)),
               Rank: lambda ob: _rank(_t(ob.M), ob.r, _t(ob.minor), _t(ob.kernel)),
               Inverse: lambda ob: True if mm(ob.A, ob.B) == eye(len(ob.A)) else None})
