"""Exact rational linear algebra with two independent backends.

Rationals are ``flint.fmpq`` and rational matrices ``flint.fmpq_mat``. Every function here is exact: no
float ever enters a computation.

Backends
--------
``"flint"``
    python-flint's ``fmpq_mat`` / ``fmpz_mat`` (FLINT, C).
``"reference"``
    SymPy's pure-Python dense matrices (``DDM``) over a pure-Python rational field whose elements are
    ``PythonMPQ``. This is an implementation independent of FLINT, used to cross-check results
    (``checked_*``).

    Pitfall: with python-flint installed, SymPy >= 1.13 uses flint as its ground types. Then
    ``QQ_python() == QQ`` holds, so ``DomainMatrix(rows, shape, QQ_python())`` is silently converted to a
    flint-backed ``DFM`` (and even fails, because ``PythonMPQ`` cannot be converted to ``fmpq``), and
    ``PythonRationalField.exquo`` divides through flint's ``fmpq``. We therefore use a subclass
    (:class:`_PurePythonQQ`) that is *not* equal to ``QQ`` and divides with ``PythonMPQ``, and call the
    ``DDM`` algorithms directly (``DomainMatrix.rref`` would clear denominators and go through flint's
    ``fmpz_mat``). Every result is checked to consist of ``PythonMPQ`` elements before conversion back.
"""

from __future__ import annotations

import functools
import math
import numbers
import re
import sys
from fractions import Fraction
from types import SimpleNamespace

from flint import fmpq, fmpq_mat, fmpz, fmpz_mat

from exactmin.errors import ExactminError, InputError

__all__ = [
    "RationalParseError",
    "as_fmpq",
    "mat",
    "rows",
    "identity",
    "zeros",
    "col",
    "vec",
    "rank",
    "det",
    "inv",
    "solve",
    "nullspace",
    "rref",
    "checked_rank",
    "full_rank_mod_p",
    "checked_det",
    "checked_inv",
    "checked_solve",
    "common_denominator",
    "reference_matrix",
    "BACKENDS",
]

BACKENDS = ("flint", "reference")


class RationalParseError(InputError, ValueError):
    """A string is not a plain integer or ``p/q`` rational (or has zero denominator)."""


# --------------------------------------------------------------------------- conversion

_RATIONAL_RE = re.compile(r"^\s*([+-]?\d+)\s*(?:/\s*([+-]?\d+))?\s*$")


def as_fmpq(x) -> fmpq:
    """Convert ``x`` to ``fmpq`` exactly.

    Accepts ``int`` (also numpy integers), ``fractions.Fraction``, ``fmpq``, ``fmpz``, any
    ``numbers.Rational``, and strings ``"-3"`` or ``"p/q"`` (no decimals, no exponents).
    Guarantees: the result equals ``x`` exactly. Floats (Python or numpy) and ``bool`` raise
    ``TypeError`` (floats are never silently converted); malformed strings raise
    :class:`RationalParseError` (a ``ValueError`` and an ``InputError``).
    """
    if isinstance(x, fmpq):
        return x
    if isinstance(x, bool):
        raise TypeError("bool is not accepted as a rational")
    if isinstance(x, (int, fmpz)):
        return fmpq(x)
    if isinstance(x, Fraction):
        return fmpq(x.numerator, x.denominator)
    if isinstance(x, float):
        raise TypeError("floats are not converted to rationals implicitly; use Fraction(x) explicitly")
    if isinstance(x, str):
        m = _RATIONAL_RE.match(x)
        if m is None:
            raise RationalParseError(f"not a rational 'p/q' or integer string: {x!r}")
        p = int(m.group(1))
        q = int(m.group(2)) if m.group(2) is not None else 1
        if q == 0:
            raise RationalParseError(f"zero denominator in {x!r}")
        return fmpq(p, q)
    if isinstance(x, numbers.Integral):
        return fmpq(int(x))
    if isinstance(x, numbers.Rational):
        return fmpq(int(x.numerator), int(x.denominator))
    if "sympy.external.pythonmpq" in sys.modules and isinstance(x, _ref().PythonMPQ):
        return fmpq(int(x.numerator), int(x.denominator))
    raise TypeError(f"cannot convert {type(x).__name__} to an exact rational")


def mat(rows_) -> fmpq_mat:
    """fmpq_mat from nested lists (entries accepted by :func:`as_fmpq`), or a copy of an fmpq/fmpz matrix.

    ``mat([])`` is the 0x0 matrix; ``mat([[], []])`` is 2x0. Ragged rows raise ``ValueError``.
    """
    if isinstance(rows_, fmpq_mat):
        return fmpq_mat(rows_)
    if isinstance(rows_, fmpz_mat):
        return fmpq_mat(rows_)
    rows_ = list(rows_)
    m = len(rows_)
    if m == 0:
        return fmpq_mat(0, 0)
    lists = [list(r) for r in rows_]
    n = len(lists[0])
    if any(len(r) != n for r in lists):
        raise ValueError("ragged rows")
    flat = [as_fmpq(x) for r in lists for x in r]
    return fmpq_mat(m, n, flat)


def rows(M) -> list[list[fmpq]]:
    """List of rows (lists of fmpq) of the matrix ``M``."""
    M = _as_mat(M)
    return [[M[i, j] for j in range(M.ncols())] for i in range(M.nrows())]


def identity(n: int) -> fmpq_mat:
    """The n x n identity matrix."""
    I = fmpq_mat(n, n)
    for i in range(n):
        I[i, i] = 1
    return I


def trace(M) -> fmpq:
    """Sum of the diagonal entries (exact)."""
    M = _as_mat(M)
    return sum((M[i, i] for i in range(min(M.nrows(), M.ncols()))), fmpq(0))


def zeros(m: int, n: int) -> fmpq_mat:
    """The m x n zero matrix."""
    return fmpq_mat(m, n)


def col(v) -> fmpq_mat:
    """Column vector (len(v) x 1 fmpq_mat) from a list of rationals."""
    v = [as_fmpq(x) for x in v]
    return fmpq_mat(len(v), 1, v)


def vec(M) -> list[fmpq]:
    """Entries of a column vector (n x 1 matrix) as a list of fmpq; ``ValueError`` if not one column."""
    M = _as_mat(M)
    if M.ncols() != 1:
        raise ValueError(f"expected a column vector, got shape {M.nrows()}x{M.ncols()}")
    return [M[i, 0] for i in range(M.nrows())]


def _as_mat(M) -> fmpq_mat:
    if isinstance(M, fmpq_mat):
        return M
    return mat(M)


def _check_backend(backend: str) -> None:
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}; expected one of {BACKENDS}")


def _require_square(M: fmpq_mat, what: str) -> None:
    if M.nrows() != M.ncols():
        raise ValueError(f"{what} needs a square matrix, got {M.nrows()}x{M.ncols()}")


# --------------------------------------------------------------------------- reference backend


@functools.lru_cache(maxsize=None)
def _ref() -> SimpleNamespace:
    """SymPy's pure-Python backend, imported on first use: a command that never cross-checks with the reference
    backend does not load SymPy (about 0.5 s of start-up)."""
    from sympy.external.pythonmpq import PythonMPQ
    from sympy.polys.domains.pythonrationalfield import PythonRationalField
    from sympy.polys.matrices import DomainMatrix
    from sympy.polys.matrices.ddm import DDM
    from sympy.polys.matrices.exceptions import DMNonInvertibleMatrixError

    class _PurePythonQQ(PythonRationalField):
        """Rational field with ``PythonMPQ`` elements that never routes through flint.

        Not equal to sympy's ``QQ`` (so DomainMatrix never converts it to flint's DFM), and division uses
        ``PythonMPQ`` (the inherited ``exquo`` uses the ground-type MPQ, i.e. flint's fmpq).
        """

        alias = "QQ_python"

        def __eq__(self, other):
            return type(other) is type(self)

        def __hash__(self):
            return hash("exactmin.QQ_pure_python")

        def exquo(self, a, b):
            return PythonMPQ(a) / PythonMPQ(b)

        def quo(self, a, b):
            return PythonMPQ(a) / PythonMPQ(b)

        def div(self, a, b):
            return PythonMPQ(a) / PythonMPQ(b), self.zero

        def rem(self, a, b):
            return self.zero

    return SimpleNamespace(PythonMPQ=PythonMPQ, DomainMatrix=DomainMatrix, DDM=DDM,
                           NonInvertible=DMNonInvertibleMatrixError, QQP=_PurePythonQQ())


def _to_pmpq(q: fmpq):
    return _ref().PythonMPQ(int(q.p), int(q.q))


def _from_pmpq(x) -> fmpq:
    if type(x) is not _ref().PythonMPQ:
        raise ExactminError(f"reference backend produced a non-pure-Python element {type(x).__name__}")
    return fmpq(x.numerator, x.denominator)


def reference_matrix(M):
    """The matrix ``M`` as a SymPy DomainMatrix whose ``rep`` is a pure-Python ``DDM`` over ``PythonMPQ``."""
    M = _as_mat(M)
    m, n = M.nrows(), M.ncols()
    data = [[_to_pmpq(M[i, j]) for j in range(n)] for i in range(m)]
    R = _ref()
    dm = R.DomainMatrix.from_rep(R.DDM(data, (m, n), R.QQP))
    assert type(dm.rep) is R.DDM
    return dm


def _ddm_to_fmpq_mat(d) -> fmpq_mat:
    if type(d) is not _ref().DDM:
        raise ExactminError(f"reference backend produced {type(d).__name__}, not DDM")
    m, n = d.shape
    return fmpq_mat(m, n, [_from_pmpq(x) for r in d for x in r])


def _ref_rref(M: fmpq_mat):
    R, pivots = reference_matrix(M).rep.rref()
    return _ddm_to_fmpq_mat(R), tuple(pivots)


# --------------------------------------------------------------------------- operations


def rank(M, backend: str = "flint") -> int:
    """Exact rank of the rational matrix ``M``."""
    _check_backend(backend)
    M = _as_mat(M)
    if backend == "flint":
        return int(M.rank())
    return len(_ref_rref(M)[1])


def det(M, backend: str = "flint") -> fmpq:
    """Exact determinant of the square rational matrix ``M`` (1 for 0x0)."""
    _check_backend(backend)
    M = _as_mat(M)
    _require_square(M, "det")
    if backend == "flint":
        return fmpq(M.det())
    if M.nrows() == 0:
        return fmpq(1)
    return _from_pmpq(reference_matrix(M).rep.det())


def inv(M, backend: str = "flint") -> fmpq_mat:
    """Exact inverse of a square rational matrix; ``ExactminError("singular matrix")`` if singular."""
    _check_backend(backend)
    M = _as_mat(M)
    _require_square(M, "inv")
    if M.nrows() == 0:
        return fmpq_mat(0, 0)
    if backend == "flint":
        try:
            return M.inv()
        except ZeroDivisionError:
            raise ExactminError("singular matrix") from None
    try:
        return _ddm_to_fmpq_mat(reference_matrix(M).rep.inv())
    except _ref().NonInvertible:
        raise ExactminError("singular matrix") from None


def solve(A, B, backend: str = "flint"):
    """Exact X with A X = B, A square invertible; ``ExactminError("singular matrix")`` if A is singular.

    ``B`` may be a matrix (result: fmpq_mat) or a list of rationals (result: list of fmpq).
    """
    _check_backend(backend)
    A = _as_mat(A)
    _require_square(A, "solve")
    as_list = not isinstance(B, (fmpq_mat, fmpz_mat)) and not (
        isinstance(B, (list, tuple)) and len(B) > 0 and isinstance(B[0], (list, tuple))
    )
    Bm = col(B) if as_list else _as_mat(B)
    if Bm.nrows() != A.nrows():
        raise ValueError(f"shape mismatch: A is {A.nrows()}x{A.ncols()}, B has {Bm.nrows()} rows")
    if A.nrows() == 0:
        X = fmpq_mat(0, Bm.ncols())
    elif backend == "flint":
        try:
            X = A.solve(Bm)
        except ZeroDivisionError:
            raise ExactminError("singular matrix") from None
    else:
        try:
            Xd = reference_matrix(A).rep.lu_solve(reference_matrix(Bm).rep)
        except _ref().NonInvertible:
            raise ExactminError("singular matrix") from None
        X = _ddm_to_fmpq_mat(Xd)
    return vec(X) if as_list else X


def rref(M, backend: str = "flint"):
    """Reduced row echelon form: returns ``(R, pivots)``, pivots = tuple of pivot column indices.

    R is unique, so both backends must agree exactly.
    """
    _check_backend(backend)
    M = _as_mat(M)
    if backend == "reference":
        return _ref_rref(M)
    if M.nrows() == 0 or M.ncols() == 0:
        return fmpq_mat(M), ()
    R, r = M.rref()
    pivots = []
    for i in range(int(r)):
        j = next(j for j in range(R.ncols()) if R[i, j] != 0)
        pivots.append(j)
    return R, tuple(pivots)


def nullspace(M, backend: str = "flint") -> fmpq_mat:
    """Basis of the right kernel {x : M x = 0} as the columns of an n x k fmpq_mat (k = n - rank).

    flint: clear denominators (the kernel is unchanged) and use ``fmpz_mat.nullspace``, whose basis is
    the first ``nullity`` columns. reference: pure-Python RREF. The columns are linearly independent
    and span the kernel (different backends may return different bases).
    """
    _check_backend(backend)
    M = _as_mat(M)
    m, n = M.nrows(), M.ncols()
    if backend == "flint":
        if m == 0:
            return identity(n)
        N, _d = common_denominator(M)
        B, k = N.nullspace()
        k = int(k)
        out = fmpq_mat(n, k)
        for i in range(n):
            for j in range(k):
                out[i, j] = B[i, j]
        return out
    if m == 0:
        return identity(n)
    basis, _nonpivots = reference_matrix(M).rep.nullspace()
    # DDM.nullspace returns the basis vectors as rows
    Bt = _ddm_to_fmpq_mat(basis)
    k = Bt.nrows()
    if k == 0:
        return fmpq_mat(n, 0)
    return Bt.transpose()


# --------------------------------------------------------------------------- cross-checked versions


def _disagree(what, a, b):
    raise ExactminError(f"backend disagreement: {what}: flint={a!s} reference={b!s}")


def _both(fn, *args):
    """Run ``fn`` with both backends; return (result-or-exception) pairs, singular errors captured."""
    out = []
    for backend in BACKENDS:
        try:
            out.append((fn(*args, backend=backend), None))
        except ExactminError as e:
            if str(e) != "singular matrix":
                raise
            out.append((None, "singular matrix"))
    return out


#: primes for the full-rank shortcut of :func:`checked_rank` (2**61 - 1 and 2**62 - 57)
_RANK_PRIMES = (2**61 - 1, 2**62 - 57)


def full_rank_mod_p(M) -> bool:
    """Whether a prime P of :data:`_RANK_PRIMES` divides no denominator of ``M`` and the reduction of M modulo P
    has rank min(m, n).  Then M has rank min(m, n) over Q: a minor of M is a rational whose reduction modulo P is
    the same minor of the reduction, so a minor nonzero modulo P is nonzero.  (False proves nothing.)"""
    from flint import nmod_mat
    M = _as_mat(M)
    m, n = M.nrows(), M.ncols()
    if min(m, n) == 0:
        return True
    ents = M.entries()
    for P in _RANK_PRIMES:
        try:
            red = [int(x.p) % P * pow(int(x.q), -1, P) % P for x in ents]
        except ValueError:                      # P divides a denominator: no reduction modulo P
            continue
        return nmod_mat(m, n, red, P).rank() == min(m, n)
    return False


def checked_rank(M) -> int:
    """Rank computed by both backends; ``ExactminError("backend disagreement: ...")`` if they differ.  A matrix of
    full rank modulo a prime (:func:`full_rank_mod_p`, a proof) skips them: the backends' fraction arithmetic on
    entries of thousands of digits (data at 10^±300) took seconds per matrix."""
    if full_rank_mod_p(M):
        M = _as_mat(M)
        return min(M.nrows(), M.ncols())
    a, b = rank(M, "flint"), rank(M, "reference")
    if a != b:
        _disagree("rank", a, b)
    return a


def checked_det(M) -> fmpq:
    """Determinant by flint and by :func:`bareiss_det` (Python integers: independent of flint, and no SymPy import,
    about 0.9 s of every process that checks a determinant); raises on disagreement."""
    a, b = det(M, "flint"), bareiss_det(M)
    if a != b:
        _disagree("det", a, b)
    return a


def bareiss_det(M) -> fmpq:
    """Exact determinant by fraction-free Bareiss elimination in Python ints (Bareiss 1968): each row is cleared of
    its denominators (det A = det B / Π d_i for B_i = d_i A_i), then every division of the elimination is exact."""
    M = _as_mat(M)
    _require_square(M, "det")
    n = M.nrows()
    B, scale = [], 1
    for i in range(n):
        row = [M[i, j] for j in range(n)]
        d = math.lcm(1, *(int(x.q) for x in row))
        B.append([int(x.p) * (d // int(x.q)) for x in row])
        scale *= d
    sign, prev = 1, 1
    for k in range(n - 1):
        if B[k][k] == 0:
            p = next((i for i in range(k + 1, n) if B[i][k] != 0), None)
            if p is None:
                return fmpq(0)
            B[k], B[p] = B[p], B[k]
            sign = -sign
        for i in range(k + 1, n):
            for j in range(k + 1, n):
                B[i][j] = (B[i][j] * B[k][k] - B[i][k] * B[k][j]) // prev
        prev = B[k][k]
    return fmpq(sign * B[n - 1][n - 1], scale) if n else fmpq(1)


def checked_inv(M) -> fmpq_mat:
    """Inverse by flint, proved by the exact product M M^-1 = I (a square matrix with a right inverse is invertible
    and the inverse is unique); a matrix flint calls singular is confirmed by :func:`bareiss_det` = 0.  Raises
    ``ExactminError("singular matrix")``, or a backend disagreement when the proof fails.  (Before, SymPy's
    pure-Python backend recomputed every inverse: about 0.9 s of import in every process, and no stronger.)"""
    try:
        a = inv(M)
    except ExactminError:
        if bareiss_det(M) != 0:
            _disagree("inv", "singular (flint)", "invertible (Bareiss det != 0)")
        raise
    if _as_mat(M) * a != identity(a.nrows()):
        _disagree("inv", "flint's inverse", "M M^-1 != I")
    return a


#: loops of many small inverses: the same proof (it was the cheaper variant when checked_inv ran two backends)
verified_inv = checked_inv


def checked_solve(A, B):
    """Solution of A X = B by both backends; raises on disagreement (including singular by one only)."""
    (a, ea), (b, eb) = _both(solve, A, B)
    if ea != eb or (ea is None and a != b):
        _disagree("solve", a if ea is None else ea, b if eb is None else eb)
    if ea is not None:
        raise ExactminError("singular matrix")
    return a


def common_denominator(M) -> tuple[fmpz_mat, int]:
    """``(N, d)`` with ``M == N / d`` exactly, N an fmpz_mat and ``d > 0`` the lcm of the entry denominators."""
    M = _as_mat(M)
    m, n = M.nrows(), M.ncols()
    d = 1
    for i in range(m):
        for j in range(n):
            d = math.lcm(d, int(M[i, j].q))
    N = fmpz_mat(m, n)
    for i in range(m):
        for j in range(n):
            q = M[i, j]
            N[i, j] = q.p * (d // int(q.q))
    return N, d
