"""Tests for exactmin.exact.sign (mpmath at high precision is used only as a test oracle)."""

from fractions import Fraction

import mpmath
import pytest
from flint import arb, fmpq, fmpz
from hypothesis import assume, given, settings, strategies as st

from exactmin.exact.enclosure import Enclosure
from exactmin.exact.sign import is_negative, is_nonneg, is_positive, less, sign, sign_sqrt_sum

SETTINGS = settings(max_examples=60, deadline=None, derandomize=True)


def test_sign_exact_types():
    assert sign(0) == 0 and sign(-3) == -1 and sign(fmpz(2)) == 1
    assert sign(Fraction(-1, 10**30)) == -1 and sign(fmpq(1, 10**40)) == 1
    assert is_positive(fmpq(1, 10**50)) is True
    assert is_negative(0) is False and is_nonneg(0) is True
    assert less(fmpq(1, 3), Fraction(1, 2)) is True and less(1, 1) is False
    with pytest.raises(TypeError):
        sign(0.5)


def test_arb_three_valued():
    assert is_positive(arb(1)) is True
    assert is_positive(arb(-1)) is False
    assert is_positive(arb(0)) is False  # exact zero ball
    assert is_positive(arb(0, 1)) is None  # contains 0: undecided
    assert is_negative(arb(0, 1)) is None
    assert is_nonneg(arb(0, 1)) is None
    assert is_nonneg(arb(0)) is True
    assert sign(arb(0, 1)) is None and sign(arb(-5)) == -1 and sign(arb(0)) == 0
    # arb("0.1") is an inexact ball around 1/10; comparisons against 1/10 are undecided
    assert less(arb("0.1"), fmpq(1, 10)) is None
    assert less(fmpq(1, 10), arb("0.1")) is None
    assert less(arb(1), 2) is True and less(2, arb(1)) is False
    assert less(arb(1, 2), 2) is None
    assert is_positive(arb("nan")) is None
    # Enclosures are accepted too
    assert is_positive(Enclosure(fmpq(1, 3), 1)) is True
    assert less(Enclosure(0, 1), Enclosure(1, 2)) is None
    assert less(Enclosure(0, 1), Enclosure(fmpq(3, 2), 2)) is True


@pytest.mark.parametrize(
    "terms, expected",
    [
        ([(1, 8), (-2, 2)], 0),  # sqrt 8 - 2 sqrt 2 = 0
        ([(1, 2), (1, 3), (-1, 10)], -1),  # 3.1462... - 3.1623... < 0
        ([(1, 2), (1, 3), (-1, "98/10")], 1),  # sqrt(9.8) = 3.1305 < 3.1462
        ([(1, 2), (1, 8), (-1, 18)], 0),  # sqrt2 + 2sqrt2 - 3sqrt2
        ([(1, "1/2"), (-1, "2/4")], 0),
        ([(3, 2), (-2, 3)], 1),  # sqrt 18 > sqrt 12
        ([(-3, 2), (2, 3)], -1),
        ([(1, 4), (-2, 1)], 0),
        ([], 0),
        ([(0, 5), (7, 0)], 0),
        ([(1, 2), (1, 3), (-1, 5), (-1, 7)], -1),
        ([(1, 5), (1, 6), (-1, 2), (-1, 3), (-1, "1/100")], 1),
    ],
)
def test_sign_sqrt_sum_known(terms, expected):
    s, method = sign_sqrt_sum(terms)
    assert s == expected
    assert method in ("exact-squares", "enclosure")


def test_two_terms_use_exact_squares():
    # a difference of 2**-200 relative is far below the first enclosure precision
    q = fmpq(2**400 + 1, 2**400)
    assert sign_sqrt_sum([(1, q), (-1, 1)]) == (1, "exact-squares")
    assert sign_sqrt_sum([(1, 2), (-1, 2)]) == (0, "exact-squares")


# primes above the trial-division bound, so normalization cannot merge these radicands
P, Q = 1009, 1013


def test_three_and_four_term_exact_zeros_decided_exactly():
    # sqrt(2 P^2) + sqrt(2 Q^2) - (P + Q) sqrt 2 == 0: three distinct normalized radicands
    assert sign_sqrt_sum([(1, 2 * P * P), (1, 2 * Q * Q), (-(P + Q), 2)]) == (0, "exact-squares")
    four = [(1, 2 * P * P), (-P, 2), (1, 3 * Q * Q), (-Q, 3)]
    assert sign_sqrt_sum(four) == (0, "exact-squares")
    # a tiny perturbation is decided by enclosures
    assert sign_sqrt_sum(four + [(fmpq(1, 10**30), 1)]) == (1, "enclosure")


def test_many_term_exact_zero_is_undecided():
    zero6 = [(1, 2 * P * P), (-P, 2), (1, 3 * Q * Q), (-Q, 3), (1, 5 * P * P), (-P, 5)]
    assert sign_sqrt_sum(zero6) == (None, "enclosure")
    assert sign_sqrt_sum(zero6 + [(1, 7), (1, 11)]) == (1, "enclosure")


def test_sign_sqrt_sum_rejects_negative_radicand():
    with pytest.raises(ValueError):
        sign_sqrt_sum([(1, -2)])


def _mp_value(terms):
    with mpmath.workdps(200):
        return sum(
            mpmath.mpf(Fraction(c).numerator) / Fraction(c).denominator
            * mpmath.sqrt(mpmath.mpf(Fraction(q).numerator) / Fraction(q).denominator)
            for c, q in terms
        )


term = st.tuples(
    st.fractions(min_value=-20, max_value=20, max_denominator=20),
    st.fractions(min_value=0, max_value=50, max_denominator=20),
)


@SETTINGS
@given(st.lists(term, min_size=0, max_size=6))
def test_sign_sqrt_sum_random_vs_mpmath(terms):
    s, method = sign_sqrt_sum(terms)
    v = _mp_value(terms)
    with mpmath.workdps(200):
        if abs(v) > mpmath.mpf(10) ** -150:
            assert s == (1 if v > 0 else -1)
        elif s is not None:
            assert s == 0


@SETTINGS
@given(
    st.fractions(min_value=-10, max_value=10, max_denominator=30),
    st.fractions(min_value=0, max_value=30, max_denominator=30),
    st.fractions(min_value=-10, max_value=10, max_denominator=30),
    st.fractions(min_value=0, max_value=30, max_denominator=30),
)
def test_two_terms_near_cancellation(a, p, b, q):
    assume(p > 0)
    # b' chosen so that a sqrt p + b' sqrt q is exactly zero when q == p * k^2
    s, method = sign_sqrt_sum([(a, p), (b, q)])
    assert method == "exact-squares"
    v = _mp_value([(a, p), (b, q)])
    with mpmath.workdps(200):
        if abs(v) > mpmath.mpf(10) ** -150:
            assert s == (1 if v > 0 else -1)
        else:
            assert s == 0
    k = Fraction(3, 7)
    assert sign_sqrt_sum([(a, p), (-a / k, p * k * k)]) == (0, "exact-squares")


def _split_square_reference(m):
    """The straightforward extraction: divide by p^2 while possible, primes < 1000 in order."""
    import math
    from exactmin.exact.sign import _SMALL_PRIMES
    s, t = 1, math.isqrt(m)
    if t * t == m:
        return t, 1
    for p in _SMALL_PRIMES:
        if p * p > m:
            break
        while m % (p * p) == 0:
            m //= p * p
            s *= p
    t = math.isqrt(m)
    return (s * t, 1) if t * t == m else (s, m)


@settings(max_examples=400, deadline=None)
@given(st.integers(1, 2**300), st.integers(0, 3000), st.integers(0, 900), st.sampled_from([3, 7, 997, 1009]),
       st.integers(0, 40))
def test_split_square_equals_the_plain_loop(core, a, b, p, e):
    """Decimal and dyadic data make radicands 2^a 5^b ... with exponents in the thousands (a campaign instance took
    17 s in the plain loop); the gcd/multiplicity version must give the same (s, r)."""
    from exactmin.exact.sign import _split_square
    m = core * 2**a * 5**b * p**e
    assert _split_square(m) == _split_square_reference(m)
