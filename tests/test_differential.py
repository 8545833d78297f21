"""Differential tests: flint vs SymPy DDM ("reference") vs an independent pure-Fraction Gauss–Jordan.

Every matrix has a rank known by construction: A = U · diag(d_1..d_r, 0..0) · V / s with U, V unimodular
integer matrices (products of unit lower/upper triangular factors and a permutation), so rank A = r and, when
square, det A = ±∏d_i / s^n exactly. The oracle below (``_gj``) shares no code with exactmin: it is a plain
Gauss–Jordan elimination over ``fractions.Fraction``. Checked: exactmin.exact.linalg (rank, det, inv, solve,
rref, nullspace, common_denominator, checked_*), exactmin.exact.norms.is_psd, the shallow pseudo-inverse
A^+ = (A^T A)^{-1} A^T (Penrose identities), IntMat.affine, and the certificate kernel's own Fraction linear
algebra (kernel.core.inverse / det / is_psd / matmul / _pinv) against flint.
"""
from __future__ import annotations

from fractions import Fraction as F
from itertools import combinations

import numpy as np
import pytest
from flint import fmpq, fmpq_mat
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exactmin.certify.kernel import core as kcore
from exactmin.certify.kernel import shallow as kshallow
from exactmin.errors import ExactminError
from exactmin.exact import linalg, norms
from exactmin.exact.intmat import IntMat, affine
from exactmin.nets.shallow import pinv_full_column_rank

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ----------------------------------------------------------------------------- independent oracle

def _rows(M: fmpq_mat) -> list[list[F]]:
    return [[F(int(M[i, j].p), int(M[i, j].q)) for j in range(M.ncols())] for i in range(M.nrows())]


def _fm(A: list[list[F]], m: int | None = None, n: int | None = None) -> fmpq_mat:
    m = len(A) if m is None else m
    n = (len(A[0]) if A else 0) if n is None else n
    return fmpq_mat(m, n, [fmpq(x.numerator, x.denominator) for r in A for x in r])


def _gj(A: list[list[F]]):
    """Gauss–Jordan over Fraction: (RREF, pivot columns, determinant if square else None)."""
    R = [list(r) for r in A]
    m = len(R)
    n = len(R[0]) if m else 0
    piv, r, det = [], 0, F(1)
    for c in range(n):
        p = next((i for i in range(r, m) if R[i][c] != 0), None)
        if p is None:
            continue
        if p != r:
            R[r], R[p] = R[p], R[r]
            det = -det
        det *= R[r][c]
        inv = 1 / R[r][c]
        R[r] = [x * inv for x in R[r]]
        for i in range(m):
            if i != r and R[i][c] != 0:
                f = R[i][c]
                R[i] = [x - f * y for x, y in zip(R[i], R[r])]
        piv.append(c)
        r += 1
        if r == m:
            break
    d = (det if r == n else F(0)) if m == n else None
    return R, tuple(piv), d


def _mul(A, B):
    return [[sum((a * b for a, b in zip(row, colm)), F(0)) for colm in zip(*B)] for row in A]


def _eye(n):
    return [[F(int(i == j)) for j in range(n)] for i in range(n)]


def _oracle_inv(A):
    n = len(A)
    R, piv, _ = _gj([a + e for a, e in zip(A, _eye(n))])
    if piv[:n] != tuple(range(n)):
        return None
    return [r[n:] for r in R]


def _oracle_psd(S) -> bool:
    """S symmetric is PSD iff every principal minor is ≥ 0 (independent of elimination order)."""
    n = len(S)
    return all(_gj([[S[i][j] for j in I] for i in I])[2] >= 0
               for k in range(1, n + 1) for I in combinations(range(n), k))


# ----------------------------------------------------------------------------- known-rank matrices

def _unimodular(draw, n: int) -> list[list[int]]:
    L = [[1 if i == j else (draw(st.integers(-3, 3)) if i > j else 0) for j in range(n)] for i in range(n)]
    U = [[1 if i == j else (draw(st.integers(-3, 3)) if i < j else 0) for j in range(n)] for i in range(n)]
    perm = draw(st.permutations(range(n)))
    P = [[int(perm[i] == j) for j in range(n)] for i in range(n)]
    return _mul(_mul([[F(x) for x in r] for r in P], [[F(x) for x in r] for r in L]),
                [[F(x) for x in r] for r in U])


@st.composite
def known_rank(draw, max_dim: int = 5, square: bool = False, full: bool = False):
    m = draw(st.integers(1, max_dim))
    n = m if square else draw(st.integers(1, max_dim))
    r = min(m, n) if full else draw(st.integers(0, min(m, n)))
    d = [draw(st.integers(1, 9)) * draw(st.sampled_from([1, -1])) for _ in range(r)]
    s = draw(st.integers(1, 7))
    D = [[F(d[i], s) if (i == j and i < r) else F(0) for j in range(n)] for i in range(m)]
    A = _mul(_mul(_unimodular(draw, m), D), _unimodular(draw, n))
    return A, r, d, s


def _det_expected(A, r, d, s):
    n = len(A)
    if r < n:
        return F(0)
    v = F(1)
    for x in d:
        v *= F(x, s)
    return v  # up to sign (unimodular factors have det ±1)


# ----------------------------------------------------------------------------- exactmin.exact.linalg

@SETTINGS
@given(known_rank())
def test_rank_rref_nullspace_three_ways(case):
    A, r, _, _ = case
    M = _fm(A)
    R_or, piv_or, _ = _gj(A)
    assert len(piv_or) == r
    for backend in linalg.BACKENDS:
        assert linalg.rank(M, backend) == r
        R, piv = linalg.rref(M, backend)
        assert piv == piv_or
        assert _rows(R) == R_or
        N = linalg.nullspace(M, backend)
        assert N.nrows() == len(A[0]) and N.ncols() == len(A[0]) - r
        assert M * N == fmpq_mat(len(A), N.ncols())
        assert linalg.rank(N) == N.ncols()
    assert linalg.checked_rank(M) == r


@SETTINGS
@given(known_rank(square=True))
def test_det_inv_solve_three_ways(case):
    A, r, d, s = case
    n = len(A)
    M = _fm(A)
    det_or = _gj(A)[2]
    assert abs(det_or) == abs(_det_expected(A, r, d, s))
    for backend in linalg.BACKENDS:
        assert linalg.det(M, backend) == fmpq(det_or.numerator, det_or.denominator)
    assert linalg.checked_det(M) == fmpq(det_or.numerator, det_or.denominator)
    B = [[F(i - 2 * j, 3) for j in range(2)] for i in range(n)]
    Inv = _oracle_inv(A)
    if r < n:
        assert Inv is None
        for backend in linalg.BACKENDS:
            with pytest.raises(ExactminError, match="singular"):
                linalg.inv(M, backend)
            with pytest.raises(ExactminError, match="singular"):
                linalg.solve(M, _fm(B), backend)
        with pytest.raises(ExactminError, match="singular"):
            linalg.checked_inv(M)
        return
    assert Inv is not None and _mul(A, Inv) == _eye(n)
    for backend in linalg.BACKENDS:
        assert _rows(linalg.inv(M, backend)) == Inv
        assert _rows(linalg.solve(M, _fm(B), backend)) == _mul(Inv, B)
        vec = linalg.solve(M, [fmpq(k + 1) for k in range(n)], backend)
        assert [F(int(x.p), int(x.q)) for x in vec] == [row[0] for row in _mul(Inv, [[F(k + 1)] for k in range(n)])]
    assert _rows(linalg.checked_inv(M)) == Inv
    assert _rows(linalg.checked_solve(M, _fm(B))) == _mul(Inv, B)


@SETTINGS
@given(known_rank())
def test_common_denominator_is_exact_and_minimal(case):
    A, _, _, _ = case
    N, d = linalg.common_denominator(_fm(A))
    import math
    lcm = 1
    for row in A:
        for x in row:
            lcm = math.lcm(lcm, x.denominator)
    assert d == lcm
    assert [[F(int(N[i, j]), d) for j in range(N.ncols())] for i in range(N.nrows())] == A


# ----------------------------------------------------------------------------- PSD and pseudo-inverse

@SETTINGS
@given(known_rank(max_dim=4), st.integers(-3, 3), st.integers(0, 3))
def test_is_psd_library_kernel_oracle(case, shift, k):
    """S = B^T B − (shift/4)·e_k e_k^T: PSD or not depending on the data; three implementations agree."""
    B, _, _, _ = case
    S = _mul([list(c) for c in zip(*B)], B)
    n = len(S)
    k = k % n
    S[k][k] -= F(shift, 4)
    want = _oracle_psd(S)
    ok, info = norms.is_psd(_fm(S))
    assert ok == want
    if not ok:  # the library's witness z must prove z^T S z < 0 exactly
        z = [[F(int(x.p), int(x.q))] for x in info["witness"]]
        assert _mul(_mul([[row[0] for row in z]], S), z)[0][0] < 0
    assert kcore.is_psd(S) == want


@SETTINGS
@given(known_rank(full=True))
def test_pseudo_inverse_library_kernel_oracle(case):
    A, _, _, _ = case
    if len(A) < len(A[0]):      # full column rank only
        A = [list(c) for c in zip(*A)]
    At = [list(c) for c in zip(*A)]
    P_or = _mul(_oracle_inv(_mul(At, A)), At)
    P_lib = _rows(pinv_full_column_rank(_fm(A)))
    P_ker = kshallow._pinv(A)
    assert P_lib == P_or and P_ker == P_or
    # Penrose identities: A P A = A, P A P = P, (A P)^T = A P, P A = I
    AP = _mul(A, P_or)
    assert _mul(AP, A) == A and _mul(P_or, AP) == P_or
    assert [list(c) for c in zip(*AP)] == AP and _mul(P_or, A) == _eye(len(A[0]))


# ----------------------------------------------------------------------------- the kernel's Fraction algebra

@SETTINGS
@given(known_rank(square=True))
def test_kernel_inverse_det_against_flint(case):
    A, r, _, _ = case
    n = len(A)
    M = _fm(A)
    assert kcore.det(A) == F(int(M.det().p), int(M.det().q))
    if r < n:
        with pytest.raises(kcore.Reject):
            kcore.inverse(A)
    else:
        assert kcore.inverse(A) == _rows(M.inv())


@SETTINGS
@given(known_rank(), known_rank())
def test_kernel_matmul_transpose_against_flint(a, b):
    A, B = a[0], b[0]
    if len(A[0]) != len(B):
        B = [list(c) for c in zip(*A)]
    assert kcore.matmul(A, B) == _rows(_fm(A) * _fm(B))
    assert kcore.transpose(A) == _rows(_fm(A).transpose())
    x = [row[0] for row in B]
    assert kcore.matvec(A, x) == [row[0] for row in _rows(_fm(A) * _fm([[v] for v in x]))]


# ----------------------------------------------------------------------------- IntMat.affine

@SETTINGS
@given(known_rank(), st.integers(1, 4), st.sampled_from([1, 10**6, 2**62, 3**60]), st.booleans())
def test_intmat_affine_against_fmpq(case, ncols, scale, with_bias):
    """W X + b u^T via packed integer arithmetic (int64 or object path) equals the fmpq_mat product."""
    W, _, _, _ = case
    m, k = len(W), len(W[0])
    X = fmpq_mat(k, ncols, [fmpq((i * 7 - j * 3) * scale + 1, 5) for i in range(k) for j in range(ncols)])
    b = fmpq_mat(m, 1, [fmpq(i - 1, 3) for i in range(m)]) if with_bias else None
    Wm = _fm(W)
    got = affine(Wm, b, IntMat.from_fmpq_mat(X)).to_fmpq_mat()
    want = Wm * X
    if with_bias:
        want = want + b * fmpq_mat(1, ncols, [1] * ncols)
    assert got == want
    assert np.array_equal(IntMat.from_fmpq_mat(want).sign(),
                          np.sign(np.array([[int(want[i, j].p) for j in range(ncols)] for i in range(m)])))
