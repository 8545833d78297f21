"""The ball-arithmetic PSD filter (exactmin.exact.norms.psd) and the flow σ_0 search on ill-conditioned Grams.

``psd`` must agree with the exact elimination of ``is_psd`` on every matrix, including ones whose smallest
eigenvalue is 10^-k of the largest (the filter then escalates its precision or falls back to exact), shifts
that land exactly on an eigenvalue (a singular PSD matrix the filter cannot certify), and entries of 10^±300.
"""

import random
import time

from flint import fmpq, fmpq_mat
from hypothesis import given, settings, strategies as st

from exactmin.exact import linalg as L
from exactmin.exact.norms import is_psd, psd
from exactmin.flow import ball as B

SETTINGS = settings(max_examples=40, deadline=None, derandomize=True)


def _gram_with_offset(rng, rows, cols, offset_exp, spread):
    """D D^T for a D whose rows are one huge common vector plus small generic perturbations: cond(G) ~ 10^(2k)."""
    base = [rng.randint(-9, 9) or 1 for _ in range(cols)]
    big = fmpq(10) ** offset_exp
    D = fmpq_mat(rows, cols, [big * b + fmpq(rng.randint(-10 ** spread, 10 ** spread), rng.randint(1, 97))
                              for _ in range(rows) for b in base])
    return D * D.transpose()


@SETTINGS
@given(st.integers(0, 2 ** 32), st.integers(1, 7), st.integers(0, 120), st.integers(-3, 3))
def test_psd_agrees_with_exact_elimination(seed, n, offset_exp, shift_kind):
    rng = random.Random(seed)
    G = _gram_with_offset(rng, n, n + rng.randint(0, 3), offset_exp, 3)
    # shifts around the diagonal's scale and exactly at an eigenvalue 0 of a rank-deficient Gram
    if shift_kind == 0:
        S = G
    else:
        c = fmpq(rng.randint(1, 50), rng.randint(1, 50)) * fmpq(10) ** (shift_kind * rng.randint(0, 40))
        S = G - c * L.identity(n) if shift_kind > 0 else G + c * L.identity(n)
    assert psd(S) == is_psd(S)[0]


@SETTINGS
@given(st.integers(0, 2 ** 32), st.integers(2, 6))
def test_psd_singular_and_scaled(seed, n):
    rng = random.Random(seed)
    A = fmpq_mat(n - 1, n, [fmpq(rng.randint(-20, 20), rng.randint(1, 9)) for _ in range((n - 1) * n)])
    S = A.transpose() * A                    # PSD and singular: no ball filter can prove it, exact must
    for scale in (fmpq(1), fmpq(10) ** 300, fmpq(1, 10 ** 300)):
        assert psd(S * scale) is True
        assert psd(S * scale - fmpq(1, 10 ** 400) * L.identity(n)) is False


def test_sigma_lower_on_an_ill_conditioned_gram():
    """cond(G) ≈ 10^500 (the campaign's collinear 1e300 instance): σ_0 > 0, certified exactly, in seconds."""
    rng = random.Random(97531)
    G = _gram_with_offset(rng, 12, 20, 250, 6)
    t = time.perf_counter()
    s0 = B.sigma_lower(G, B._lam_min_hint(G))
    took = time.perf_counter() - t
    assert s0 > 0
    assert is_psd(G - s0 * s0 * L.identity(12))[0]
    # and it is near the top: a 1 % larger σ_0 is not certified
    big = s0 * fmpq(101, 100)
    assert not is_psd(G - big * big * L.identity(12))[0]
    assert took < 20


@SETTINGS
@given(st.integers(0, 2 ** 32), st.integers(2, 8), st.sampled_from([700, 1000, 1400]), st.integers(-2, 2))
def test_psd_on_entries_of_thousands_of_digits(seed, n, offset_exp, shift_kind):
    """Entries beyond 4096 bits (data at 10^±300 make Grams of 3000-digit rationals): the filter gets one pass at a
    precision above the entries' size, and still agrees with the exact elimination, shifts included."""
    from exactmin.exact import norms
    rng = random.Random(seed)
    G = _gram_with_offset(rng, n, n + rng.randint(0, 3), offset_exp, 3)
    assert len(norms._filter_precs(G)) == len(norms._FILTER_PRECS) + 1
    lam = B._lam_min_hint(G)
    c = B._to_fmpq(lam * (1 + shift_kind * B.mpmath.mpf(2) ** -10)) if lam > 0 else fmpq(0)
    S = G - c * L.identity(n)
    assert psd(S) == is_psd(S)[0]


def test_psd_of_a_well_separated_huge_matrix_needs_no_exact_elimination(monkeypatch):
    """A positive definite matrix of 3000-digit entries, its least eigenvalue far from 0 relative to its entries'
    precision: decided by the ball filter (before, the exact elimination took seconds per matrix)."""
    from exactmin.exact import norms
    rng = random.Random(71216)
    G = _gram_with_offset(rng, 10, 14, 1000, 3)
    monkeypatch.setattr(norms, "_eliminate", lambda *a: (_ for _ in ()).throw(AssertionError("exact elimination")))
    lam = B._lam_min_hint(G)
    c = B._to_fmpq(lam / 2)
    assert psd(G - c * L.identity(10)) is True
    assert psd(G - 2 * c * L.identity(10) - c * L.identity(10)) is False


def test_mpf_hint_is_close_for_any_magnitude():
    for p, q in ((3, 7), (-10 ** 3000 - 1, 3 ** 900), (1, 10 ** 2500 + 7), (2 ** 5000 + 1, 2 ** 4999)):
        with B.mpmath.workdps(40):            # about 133 bits: the hint's 120 bits are kept
            h = B._mpf_hint(fmpq(p, q))
            exact = B.mpmath.mpf(p) / q
            assert abs(h - exact) <= abs(exact) * B.mpmath.mpf(2) ** -110
