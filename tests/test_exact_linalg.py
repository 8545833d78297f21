"""Tests for exactmin.exact.linalg: two independent backends must agree, results checked exactly."""

from fractions import Fraction

import numpy as np
import pytest
from flint import fmpq, fmpq_mat, fmpz, fmpz_mat
from hypothesis import given, settings, strategies as st
from sympy.external.pythonmpq import PythonMPQ
from sympy.polys.matrices.ddm import DDM

from exactmin.errors import ExactminError, InputError
from exactmin.exact import linalg as L

SETTINGS = settings(max_examples=40, deadline=None, derandomize=True)

small_q = st.fractions(min_value=-5, max_value=5, max_denominator=7)


@st.composite
def matrices(draw, m=None, n=None, max_dim=5):
    m = draw(st.integers(1, max_dim)) if m is None else m
    n = draw(st.integers(1, max_dim)) if n is None else n
    return L.mat([[draw(small_q) for _ in range(n)] for _ in range(m)])


@st.composite
def known_rank(draw):
    """(M, r) with M = A B, A (m x r), B (r x n) both of rank r, so rank(M) == r."""
    m = draw(st.integers(1, 6))
    n = draw(st.integers(1, 6))
    r = draw(st.integers(0, min(m, n)))
    A = draw(matrices(m, r)) if r else L.zeros(m, 0)
    B = draw(matrices(r, n)) if r else L.zeros(0, n)
    # force full rank r by adding a big multiple of a "diagonal" pattern (keeps randomness)
    for i in range(r):
        A[i, i] += 100
        B[i, i] += 100
    return A, B, r


# ------------------------------------------------------------------ conversion


def test_as_fmpq_accepts_exact_types():
    assert L.as_fmpq(3) == fmpq(3)
    assert L.as_fmpq(Fraction(-3, 4)) == fmpq(-3, 4)
    assert L.as_fmpq(fmpz(7)) == fmpq(7)
    assert L.as_fmpq(fmpq(2, 6)) == fmpq(1, 3)
    assert L.as_fmpq("-3") == fmpq(-3)
    assert L.as_fmpq(" 10/-4 ") == fmpq(-5, 2)
    assert L.as_fmpq("12345678901234567890123/7") == fmpq(12345678901234567890123, 7)
    assert L.as_fmpq(np.int64(5)) == 5


@pytest.mark.parametrize("bad", [0.5, 1.0, np.float64(2.0), True])
def test_as_fmpq_rejects_float(bad):
    with pytest.raises(TypeError):
        L.as_fmpq(bad)


@pytest.mark.parametrize("bad", ["0.5", "1e3", "1/0", "", "a/b", "1/2/3"])
def test_as_fmpq_rejects_bad_strings(bad):
    with pytest.raises(ValueError):
        L.as_fmpq(bad)
    with pytest.raises(InputError):
        L.as_fmpq(bad)


def test_shapes_and_round_trips():
    M = L.mat([[1, "1/2"], [Fraction(2, 3), 4]])
    assert L.rows(M) == [[1, fmpq(1, 2)], [fmpq(2, 3), 4]]
    assert L.mat(L.rows(M)) == M
    assert L.identity(2) * M == M
    assert L.zeros(2, 3).nrows() == 2 and L.zeros(2, 3).ncols() == 3
    assert L.vec(L.col([1, "2/3"])) == [1, fmpq(2, 3)]
    assert L.mat([]).nrows() == 0
    with pytest.raises(ValueError):
        L.mat([[1, 2], [3]])
    with pytest.raises(ValueError):
        L.vec(M)


# ------------------------------------------------------------------ reference backend independence


def test_reference_backend_is_pure_python():
    dm = L.reference_matrix(L.mat([[1, "1/3"], [2, 5]]))
    assert type(dm.rep) is DDM
    assert all(type(x) is PythonMPQ for row in dm.rep for x in row)
    # the operations we use stay in DDM / PythonMPQ
    assert type(dm.rep.inv()) is DDM
    R, _ = dm.rep.rref()
    assert type(R) is DDM
    assert type(dm.rep.det()) is PythonMPQ
    assert all(type(x) is PythonMPQ for row in dm.rep.inv() for x in row)


# ------------------------------------------------------------------ rank


@SETTINGS
@given(known_rank())
def test_rank_of_product_of_known_rank(data):
    A, B, r = data
    # the factors really have rank r (checked with both backends)
    assert L.checked_rank(A) == r
    assert L.checked_rank(B) == r
    M = A * B
    assert L.rank(M, "flint") == r
    assert L.rank(M, "reference") == r
    assert L.checked_rank(M) == r
    N = L.nullspace(M)
    assert N.ncols() == M.ncols() - r
    assert M * N == L.zeros(M.nrows(), N.ncols())
    if N.ncols():
        assert L.rank(N) == N.ncols()
    Nr = L.nullspace(M, backend="reference")
    assert Nr.ncols() == N.ncols() and M * Nr == L.zeros(M.nrows(), Nr.ncols())


def test_rank_small_known():
    assert L.checked_rank(L.mat([[1, 2], [2, 4]])) == 1
    assert L.checked_rank(L.zeros(3, 4)) == 0
    assert L.checked_rank(L.identity(4)) == 4


@SETTINGS
@given(known_rank(), st.sampled_from([1, 2**61 - 1, 2**62 - 57, (2**61 - 1) * (2**62 - 57)]))
def test_full_rank_modulo_a_prime_proves_full_rank(data, den):
    """The shortcut of checked_rank: True only for matrices of full rank (a minor nonzero modulo P is nonzero),
    also when a denominator is divisible by the first prime (the second is used) or by both (no shortcut)."""
    A, B, r = data
    for M in (A, B, A * B, (A * B).transpose()):
        M = M / den
        full = min(M.nrows(), M.ncols())
        got = L.full_rank_mod_p(M)
        if got:
            assert L.rank(M, "reference") == full
        if den == (2**61 - 1) * (2**62 - 57) and M.nrows() and M.ncols():
            assert got is False
        assert L.checked_rank(M) == L.rank(M, "reference") == L.rank(M, "flint")


def test_checked_rank_skips_the_backends_only_on_a_proof(monkeypatch):
    """Entries of thousands of digits: a full-rank matrix is decided modulo a prime without the fraction
    backends; a rank-deficient one still goes through both (and a disagreement is still caught)."""
    big = fmpq(10) ** 700 / 7 ** 400
    F = L.mat([[big * (i + 1) ** j + fmpq(i, j + 2) for j in range(12)] for i in range(5)])
    calls = []
    real = L.rank
    monkeypatch.setattr(L, "rank", lambda M, backend="flint": calls.append(backend) or real(M, backend))
    assert L.checked_rank(F) == 5 and calls == []
    D = L.mat([[F[0, j] for j in range(12)], [2 * F[0, j] for j in range(12)], [F[1, j] for j in range(12)]])
    assert L.checked_rank(D) == 2 and sorted(calls) == ["flint", "reference"]
    monkeypatch.setattr(L, "rank", lambda M, backend="flint": real(M, backend) + (backend == "reference"))
    with pytest.raises(ExactminError, match="backend disagreement"):
        L.checked_rank(D)


@SETTINGS
@given(matrices())
def test_rref_agrees(M):
    Rf, pf = L.rref(M, "flint")
    Rr, pr = L.rref(M, "reference")
    assert Rf == Rr and pf == pr
    assert len(pf) == L.rank(M)


# ------------------------------------------------------------------ det / inv / solve


@SETTINGS
@given(st.integers(1, 5).flatmap(lambda n: matrices(n, n)))
def test_det_inv_solve_agree(M):
    n = M.nrows()
    d = L.checked_det(M)
    assert d == L.det(M, "reference")
    if d == 0:
        with pytest.raises(ExactminError, match="singular"):
            L.checked_inv(M)
        with pytest.raises(ExactminError, match="singular"):
            L.solve(M, L.identity(n), backend="reference")
        return
    Mi = L.checked_inv(M)
    assert M * Mi == L.identity(n) and Mi * M == L.identity(n)
    assert L.det(Mi) == 1 / d
    b = [fmpq(i + 1, 3) for i in range(n)]
    x = L.checked_solve(M, b)
    assert L.vec(M * L.col(x)) == b
    B = L.mat([[i - j for j in range(2)] for i in range(n)])
    X = L.checked_solve(M, B)
    assert M * X == B


def test_singular_raises():
    S = L.mat([[1, 2], [2, 4]])
    for backend in L.BACKENDS:
        with pytest.raises(ExactminError, match="singular matrix"):
            L.inv(S, backend)
        with pytest.raises(ExactminError, match="singular matrix"):
            L.solve(S, [1, 1], backend)
    assert L.checked_det(S) == 0


def test_checked_detects_disagreement(monkeypatch):
    real = L.bareiss_det
    monkeypatch.setattr(L, "bareiss_det", lambda M: real(M) + 1)
    with pytest.raises(ExactminError, match="backend disagreement"):
        L.checked_det(L.identity(2))


@SETTINGS
@given(st.integers(0, 6).flatmap(lambda n: matrices(n, n)), st.integers(0, 3), st.booleans())
def test_bareiss_det_equals_flint(M, dup, big):
    """The second determinant backend (Python ints, no flint, no SymPy) on random, singular (a repeated row) and
    long-entry matrices; and the SymPy reference agrees with both."""
    n = M.nrows()
    if big:
        M = M * fmpq(10**40 + 7, 3**30)
    if n > 1 and dup:
        M = fmpq_mat([[M[min(i, n - 2) if i == n - 1 and dup % 2 else i, j] for j in range(n)] for i in range(n)])
    d = L.bareiss_det(M)
    assert d == (M.det() if n else 1) == L.det(M, "reference")


def test_checked_inv_proves_flints_answer(monkeypatch):
    """checked_inv rests on M M^-1 = I (and on Bareiss det = 0 for a singular answer): a wrong inverse and a
    false 'singular' from flint are both caught."""
    M = fmpq_mat([[2, 1, 0], [1, 3, fmpq(1, 2)], [0, 5, 7]])
    good = L.checked_inv(M)
    assert M * good == L.identity(3)
    real = L.inv
    monkeypatch.setattr(L, "inv", lambda A, backend="flint": real(A, backend) * 2)
    with pytest.raises(ExactminError, match="backend disagreement"):
        L.checked_inv(M)

    def singular(A, backend="flint"):
        raise ExactminError("singular matrix")

    monkeypatch.setattr(L, "inv", singular)
    with pytest.raises(ExactminError, match="backend disagreement"):
        L.checked_inv(M)
    with pytest.raises(ExactminError, match="^singular matrix"):
        L.checked_inv(fmpq_mat([[1, 2], [2, 4]]))


# ------------------------------------------------------------------ denominators


@SETTINGS
@given(matrices())
def test_common_denominator(M):
    N, d = L.common_denominator(M)
    assert isinstance(N, fmpz_mat) and isinstance(d, int) and d > 0
    assert fmpq_mat(N) / d == M
    # minimal: d is the lcm of the denominators
    for x in M.entries():
        assert d % int(x.q) == 0
    assert all(any((x * dd).q != 1 for x in M.entries()) for dd in range(1, d) if d % dd == 0)


def test_nullspace_edge_cases():
    assert L.nullspace(L.identity(3)).ncols() == 0
    N = L.nullspace(L.zeros(2, 3))
    assert N.ncols() == 3 and L.rank(N) == 3
    N = L.nullspace(L.mat([["1/2", "1/3", 1]]))
    assert N.ncols() == 2 and L.mat([["1/2", "1/3", 1]]) * N == L.zeros(1, 2)
