"""exactmin.nets.localmin: exact gradients of the last-layer cost and the output-bias descent witness.

Reference side: pure Fraction arithmetic per point (no sufficient statistics).
"""
from __future__ import annotations

from fractions import Fraction

from _strategies import mats, pack
from flint import fmpq, fmpq_mat
from hypothesis import given, settings
from hypothesis import strategies as st

from exactmin.exact.intmat import IntMat, affine
from exactmin.nets.cost import last_layer_lsq
from exactmin.nets.localmin import bias_descent, grad_A, grad_c, min_abs_preactivation

FAST = settings(max_examples=60, deadline=None, derandomize=True)


@st.composite
def case(draw):
    q = draw(st.integers(1, 3))
    Q = draw(st.integers(1, 3))
    out = draw(st.integers(1, 3))
    sizes = draw(st.lists(st.integers(1, 4), min_size=Q, max_size=Q))
    N = sum(sizes)
    H = pack(draw(st.lists(st.integers(-9, 9), min_size=q * N, max_size=q * N)), q, N, draw(st.integers(1, 6)))
    Y = draw(mats(out, Q, 5, 4))
    A = draw(mats(out, q, 5, 4))
    c = draw(mats(out, 1, 5, 4))
    return H, Y, sizes, A, c


def _F(H, Y, sizes, A, c):
    """Reference: Σ_j (1/N_j) Σ_i |A h + c − y_j|² point by point in Fractions."""
    q, out = H.shape[0], A.nrows()
    fr = lambda x: Fraction(int(x.p), int(x.q))
    tot, start = Fraction(0), 0
    for j, n in enumerate(sizes):
        s = Fraction(0)
        for i in range(start, start + n):
            h = [Fraction(int(H.num[a, i]), H.den) for a in range(q)]
            for k in range(out):
                r = sum(fr(A[k, a]) * h[a] for a in range(q)) + fr(c[k, 0]) - fr(Y[k, j])
                s += r * r
        tot += s / n
        start += n
    return tot


def _shift(M, k, a, t):
    M2 = fmpq_mat(M)
    M2[k, a] += t
    return M2


@FAST
@given(case())
def test_gradients_are_derivatives_of_the_exact_quadratic(cs):
    """F is quadratic: (F(θ+t e) − F(θ−t e))/(2t) equals the directional derivative exactly, for any t."""
    H, Y, sizes, A, c = cs
    gA, gc = grad_A(H, Y, sizes, A, c), grad_c(H, Y, sizes, A, c)
    t = fmpq(1, 3)
    tf = Fraction(1, 3)
    for k in range(A.nrows()):
        for a in range(A.ncols()):
            d = (_F(H, Y, sizes, _shift(A, k, a, t), c) - _F(H, Y, sizes, _shift(A, k, a, -t), c)) / (2 * tf)
            assert Fraction(int(gA[k, a].p), int(gA[k, a].q)) == d
        d = (_F(H, Y, sizes, A, _shift(c, k, 0, t)) - _F(H, Y, sizes, A, _shift(c, k, 0, -t))) / (2 * tf)
        assert Fraction(int(gc[k, 0].p), int(gc[k, 0].q)) == d


@FAST
@given(case())
def test_least_squares_points_are_stationary_and_descent_is_exact(cs):
    H, Y, sizes, _, _ = cs
    free = last_layer_lsq(H, Y, sizes, free_bias=True)
    assert grad_A(H, Y, sizes, free.A, free.c) == fmpq_mat(free.A.nrows(), free.A.ncols())
    assert bias_descent(H, Y, sizes, free.A, free.c) is None
    zero = last_layer_lsq(H, Y, sizes, free_bias=False)
    assert grad_A(H, Y, sizes, zero.A, zero.c) == fmpq_mat(zero.A.nrows(), zero.A.ncols())
    step = bias_descent(H, Y, sizes, zero.A, zero.c)
    F0 = _F(H, Y, sizes, zero.A, zero.c)
    if step is None:
        assert zero.value == free.value
    else:
        F1 = _F(H, Y, sizes, zero.A, step.c_new)
        dec = Fraction(int(step.decrease.p), int(step.decrease.q))
        assert dec > 0 and F0 - F1 == dec
        assert free.value < zero.value


def test_min_abs_preactivation():
    W = fmpq_mat([[1, -2], [3, 1]])
    X = IntMat(pack([1, 2, 3, 4], 2, 2, 5).num, 5)
    pre = affine(W, fmpq_mat([[fmpq(1, 5)], [0]]), X)
    # columns x = (1/5, 3/5), (2/5, 4/5): W x + b = (-4/5, 6/5), (-1, 2)
    assert min_abs_preactivation(pre) == fmpq(4, 5)
    zero = affine(W, fmpq_mat([[1], [fmpq(-6, 5)]]), X)
    assert min_abs_preactivation(zero) == 0
