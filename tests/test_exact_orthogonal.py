"""Tests for exactmin.exact.orthogonal: exact unit vectors, reflections, rotations, Cayley transforms."""

from fractions import Fraction

import mpmath
import pytest
from flint import fmpq
from hypothesis import assume, given, settings, strategies as st

from exactmin.exact import linalg as L
from exactmin.exact.orthogonal import (
    cayley,
    det,
    dot,
    householder,
    is_orthogonal,
    norm2,
    rational_unit_vector,
    reflection_to,
    rotation_to,
    unit_vector_error_ok,
)

SETTINGS = settings(max_examples=40, deadline=None, derandomize=True)

rat = st.fractions(min_value=-9, max_value=9, max_denominator=9)


def Q(x):
    x = Fraction(x)
    return fmpq(x.numerator, x.denominator)


@st.composite
def nonzero_vectors(draw, n=None):
    n = draw(st.integers(2, 8)) if n is None else n
    v = [Q(draw(rat)) for _ in range(n)]
    assume(any(x != 0 for x in v))
    return v


TOLS = [fmpq(1, 2), fmpq(1, 10**3), fmpq(1, 10**12), fmpq(1, 10**30)]


def mp_distance(x, v):
    """|x - v/|v|| at 100 digits (test oracle only)."""
    with mpmath.workdps(100):
        xs = [mpmath.mpf(int(t.p)) / int(t.q) for t in x]
        vs = [mpmath.mpf(int(t.p)) / int(t.q) for t in v]
        nv = mpmath.sqrt(sum(t * t for t in vs))
        return mpmath.sqrt(sum((a - b / nv) ** 2 for a, b in zip(xs, vs)))


@SETTINGS
@given(nonzero_vectors(), st.sampled_from(TOLS))
def test_rational_unit_vector(v, tol):
    x = rational_unit_vector(v, tol)
    assert all(isinstance(t, type(fmpq(0))) for t in x)
    assert norm2(x) == 1  # exact
    assert unit_vector_error_ok(x, v, tol)
    with mpmath.workdps(100):
        assert mp_distance(x, v) <= mpmath.mpf(int(tol.p)) / int(tol.q)


def test_rational_unit_vector_exact_cases():
    assert rational_unit_vector([3, -4], fmpq(1, 10)) == [fmpq(3, 5), fmpq(-4, 5)]
    assert rational_unit_vector([0, 0, "1/7"], fmpq(1, 10)) == [0, 0, 1]
    assert rational_unit_vector([1, 2, 2], fmpq(1, 10**6)) == [fmpq(1, 3), fmpq(2, 3), fmpq(2, 3)]
    with pytest.raises(ValueError):
        rational_unit_vector([0, 0], fmpq(1, 10))
    with pytest.raises(ValueError):
        rational_unit_vector([1, 1], 0)
    with pytest.raises(TypeError):
        rational_unit_vector([1, 1], 1e-3)


def test_unit_vector_error_ok_rejects_bad():
    v = [1, 1]
    # the unit vector e_1 is at distance sqrt(2 - sqrt 2) ~ 0.765 from v/|v|
    assert not unit_vector_error_ok([1, 0], v, fmpq(76, 100))
    assert unit_vector_error_ok([1, 0], v, fmpq(77, 100))
    assert not unit_vector_error_ok([fmpq(1, 2), fmpq(1, 2)], v, 1)  # not a unit vector
    assert not unit_vector_error_ok([-1, 0], v, fmpq(18, 10))  # distance ~ 1.848
    assert unit_vector_error_ok([-1, 0], v, fmpq(185, 100))


@SETTINGS
@given(nonzero_vectors())
def test_householder(w):
    H = householder(w)
    assert is_orthogonal(H) and H == H.transpose() and det(H) == -1
    assert H * L.col(w) == -L.col(w)


def _check_rotation(R, a, b):
    assert is_orthogonal(R)
    assert R.transpose() * R == L.identity(len(a))
    assert det(R) == 1
    assert L.vec(R * L.col(a)) == b


@SETTINGS
@given(st.integers(2, 7).flatmap(lambda n: st.tuples(nonzero_vectors(n), nonzero_vectors(n))))
def test_rotation_to_random_unit_vectors(ab):
    u, w = ab
    a = rational_unit_vector(u, fmpq(1, 100))
    b = rational_unit_vector(w, fmpq(1, 100))
    _check_rotation(rotation_to(a, b), a, b)
    _check_rotation(rotation_to(a, a), a, a)
    _check_rotation(rotation_to(a, [-t for t in a]), a, [-t for t in a])
    H = reflection_to(a, b)
    assert is_orthogonal(H) and L.vec(H * L.col(a)) == b
    assert det(H) == (1 if a == b else -1)


@pytest.mark.parametrize(
    "a",
    [[1, 0], [0, 1], [0, 0, 1], [1, 0, 0, 0], [fmpq(3, 5), fmpq(4, 5)], [0, fmpq(3, 5), 0, fmpq(-4, 5)]],
)
def test_rotation_to_antipodal_axis_vectors(a):
    a = [L.as_fmpq(t) for t in a]
    b = [-t for t in a]
    _check_rotation(rotation_to(a, b), a, b)


def test_rotation_to_non_unit_equal_norms_and_errors():
    a, b = [3, 4, 0], [0, 0, 5]
    _check_rotation(rotation_to(a, b), [L.as_fmpq(t) for t in a], [L.as_fmpq(t) for t in b])
    with pytest.raises(ValueError):
        rotation_to([1, 0], [1, 1])
    with pytest.raises(ValueError):
        rotation_to([1], [-1])
    assert rotation_to([2], [2]) == L.identity(1)
    assert rotation_to([0, 0], [0, 0]) == L.identity(2)


@st.composite
def skew(draw):
    n = draw(st.integers(1, 6))
    K = L.zeros(n, n)
    for i in range(n):
        for j in range(i + 1, n):
            x = Q(draw(rat))
            K[i, j] = x
            K[j, i] = -x
    return K


@SETTINGS
@given(skew())
def test_cayley(K):
    R = cayley(K)
    assert is_orthogonal(R) and det(R) == 1
    # the Cayley transform is an involution on its image: K = (I - R)(I + R)^{-1}
    I = L.identity(K.nrows())
    assert (I - R) * L.inv(I + R) == K


def test_cayley_rejects_non_skew():
    with pytest.raises(ValueError):
        cayley(L.mat([[0, 1], [1, 0]]))


def test_dot_norm2():
    assert dot([1, "1/2"], [2, 4]) == 4 and norm2(["1/3", "2/3", "2/3"]) == 1
    with pytest.raises(ValueError):
        dot([1], [1, 2])
