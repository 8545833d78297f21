"""Tests for exactmin.exact.norms: exact PSD test and certified spectral-norm bounds."""

from fractions import Fraction

import mpmath
import pytest
from flint import fmpq
from hypothesis import given, settings, strategies as st

from exactmin.exact import linalg as L
from exactmin.exact.norms import certify_opnorm_upper, is_psd, opnorm_enclosure, opnorm_upper

SETTINGS = settings(max_examples=30, deadline=None, derandomize=True)

rat = st.fractions(min_value=-9, max_value=9, max_denominator=9)


@st.composite
def matrices(draw, max_dim=6):
    m = draw(st.integers(1, max_dim))
    n = draw(st.integers(1, max_dim))
    return L.mat([[draw(rat) for _ in range(n)] for _ in range(m)])


def mp_opnorm(W):
    with mpmath.workdps(50):
        A = mpmath.matrix([[mpmath.mpf(int(x.p)) / int(x.q) for x in r] for r in L.rows(W)])
        return max(mpmath.svd_r(A, compute_uv=False))


def quad(S, z):
    zc = L.col(z)
    return (zc.transpose() * S * zc)[0, 0]


@SETTINGS
@given(matrices())
def test_gram_is_psd(A):
    S = A.transpose() * A
    ok, pivots = is_psd(S)
    assert ok and len(pivots) == S.nrows() and all(p >= 0 for p in pivots)
    # zero pivots appear exactly rank-deficiency many times
    assert sum(1 for p in pivots if p == 0) == S.nrows() - L.rank(A)


@SETTINGS
@given(matrices())
def test_shifted_gram_not_psd(A):
    S = A.transpose() * A
    n = S.nrows()
    # S - eps I is not PSD when S is singular; S - (trace + 1) I is never PSD
    trace = sum(S[i, i] for i in range(n))
    T = S - (trace + 1) * L.identity(n)
    ok, cert = is_psd(T)
    assert not ok and quad(T, cert["witness"]) < 0
    if L.rank(S) < n:
        ok, cert = is_psd(S - fmpq(1, 10**20) * L.identity(n))
        assert not ok and quad(S - fmpq(1, 10**20) * L.identity(n), cert["witness"]) < 0


@pytest.mark.parametrize(
    "S, expected",
    [
        ([[1, 2], [2, 1]], False),  # eigenvalues 3, -1
        ([[0, 1], [1, 5]], False),  # zero pivot, nonzero row
        ([[0, 0], [0, 5]], True),
        ([[0, 0, 0], [0, 1, 1], [0, 1, 1]], True),
        ([[2, -1, 0], [-1, 2, -1], [0, -1, 2]], True),
        ([[1, 1, 1], [1, 1, 1], [1, 1, "99/100"]], False),
        ([[-1]], False),
        ([[0]], True),
        ([[1, 1], [1, 1]], True),
        ([[1, 1, 0], [1, 1, 1], [0, 1, 1]], False),  # zero pivot after elimination, nonzero row
    ],
)
def test_is_psd_known(S, expected):
    M = L.mat(S)
    ok, cert = is_psd(M)
    assert ok is expected
    if not ok:
        assert quad(M, cert["witness"]) < 0 and "index" in cert


def test_is_psd_rejects_nonsymmetric():
    with pytest.raises(ValueError):
        is_psd(L.mat([[1, 2], [0, 1]]))


@SETTINGS
@given(matrices())
def test_opnorm_upper(W):
    w = opnorm_upper(W)
    assert certify_opnorm_upper(W, w)  # exact: w^2 I - W^T W is PSD
    S = w * w * L.identity(W.ncols()) - W.transpose() * W
    assert is_psd(S)[0]
    est = mp_opnorm(W)
    with mpmath.workdps(50):
        wf = mpmath.mpf(int(w.p)) / int(w.q)
        assert wf >= est * (1 - mpmath.mpf(10) ** -40)
        assert wf <= est * mpmath.mpf("1.01") + mpmath.mpf(10) ** -40


@SETTINGS
@given(matrices(max_dim=4))
def test_opnorm_enclosure(W):
    e = opnorm_enclosure(W, prec=96)
    assert certify_opnorm_upper(W, e.hi)
    est = mp_opnorm(W)
    with mpmath.workdps(50):
        lo = mpmath.mpf(int(e.lo.p)) / int(e.lo.q)
        hi = mpmath.mpf(int(e.hi.p)) / int(e.hi.q)
        assert lo <= est * (1 + mpmath.mpf(10) ** -40) and est <= hi * (1 + mpmath.mpf(10) ** -40)
        assert hi - lo <= (est + 1) * mpmath.mpf(2) ** -20


def test_opnorm_edge_cases():
    assert opnorm_upper(L.zeros(2, 3)) == 0
    assert opnorm_enclosure(L.mat([[3, 4]])).lo == 5 and opnorm_enclosure(L.mat([[3, 4]])).hi == 5
    assert not certify_opnorm_upper(L.mat([[3, 4]]), fmpq(4999, 1000))
    assert certify_opnorm_upper(L.mat([[3, 4]]), 5)
    assert opnorm_upper(L.identity(3)) <= fmpq(1001, 1000) * (1 + fmpq(1, 10**6))
    w = opnorm_upper(L.mat([[fmpq(1, 10**400)]]))
    assert w >= fmpq(1, 10**400) and w <= fmpq(2, 10**400)


def _all_principal_minors_nonneg(S):
    """Independent PSD criterion (test oracle): every principal minor is >= 0."""
    from itertools import combinations

    n = S.nrows()
    for r in range(1, n + 1):
        for idx in combinations(range(n), r):
            sub = L.mat([[S[i, j] for j in idx] for i in idx])
            if L.det(sub, "reference") < 0:
                return False
    return True


@st.composite
def symmetric_mixed(draw):
    """A^T A - c B^T B with low-rank factors: PSD, singular PSD and indefinite cases all occur."""
    n = draw(st.integers(1, 4))
    ra, rb = draw(st.integers(0, n)), draw(st.integers(0, 2))
    A = L.mat([[draw(rat) for _ in range(n)] for _ in range(ra)]) if ra else L.zeros(0, n)
    B = L.mat([[draw(rat) for _ in range(n)] for _ in range(rb)]) if rb else L.zeros(0, n)
    c = L.as_fmpq(draw(st.sampled_from([0, Fraction(1, 100), 1])))
    return A.transpose() * A - c * (B.transpose() * B)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(symmetric_mixed())
def test_is_psd_matches_principal_minors(S):
    ok, cert = is_psd(S)
    assert ok == _all_principal_minors_nonneg(S)
    if not ok:
        assert quad(S, cert["witness"]) < 0
