"""Property tests for exactmin.nets.cost: the weighted squared cost (2.36) and exact last-layer least squares.

The reference side is computed with pure ``fractions.Fraction`` arithmetic (no flint, no IntMat maths).
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np
from flint import fmpq, fmpq_mat
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from _strategies import mats, pack, rationals
from exactmin.exact.intmat import IntMat, affine
from exactmin.nets.cost import cost_squared, last_layer_lsq

FAST = settings(max_examples=120, deadline=None, derandomize=True)

# ----------------------------------------------------------------------------------------------------------
# strategies





@st.composite
def intmats(draw, m: int, n: int, big: bool = True):
    small = st.integers(-30, 30)
    if big and draw(st.integers(0, 3)) == 0:
        elem = st.one_of(small, st.integers(-(2**70), 2**70), st.integers(2**62, 2**64))
    else:
        elem = small
    entries = draw(st.lists(elem, min_size=m * n, max_size=m * n))
    den = draw(st.one_of(st.integers(1, 12), st.integers(1, 10**6)))
    return pack(entries, m, n, den)


@st.composite
def lsq_case(draw, big: bool = True, min_sizes: int = 1):
    """(H q×N, Y out×J, sizes) with J classes of N_j ≥ 1 points."""
    q = draw(st.integers(1, 3))
    J = draw(st.integers(1, 3))
    sizes = draw(st.lists(st.integers(min_sizes, 4), min_size=J, max_size=J))
    out = draw(st.integers(1, 2))
    H = draw(intmats(q, sum(sizes), big=big))
    Y = draw(mats(out, J))
    return H, Y, sizes


# ----------------------------------------------------------------------------------------------------------
# Fraction references


def fr(x) -> Fraction:
    return Fraction(int(x.p), int(x.q))


def fmat(M: fmpq_mat) -> list[list[Fraction]]:
    return [[fr(M[i, j]) for j in range(M.ncols())] for i in range(M.nrows())]


def fcols(X: IntMat) -> list[list[Fraction]]:
    m, n = X.shape
    return [[Fraction(int(X.num[r, i]), X.den) for r in range(m)] for i in range(n)]


def classes(sizes):
    """Yield (j, range of column indices) per class."""
    start = 0
    for j, n in enumerate(sizes):
        yield j, range(start, start + n)
        start += n


def frac_cost(outcols, Yf, sizes) -> Fraction:
    """Σ_j (1/N_j) Σ_i |out_{j,i} − y_j|²."""
    total = Fraction(0)
    for j, idx in classes(sizes):
        s = Fraction(0)
        for i in idx:
            s += sum((outcols[i][r] - Yf[r][j]) ** 2 for r in range(len(Yf)))
        total += s / sizes[j]
    return total


def apply_affine(A, c, hcols):
    return [[sum((A[r][a] * h[a] for a in range(len(h))), Fraction(0)) + c[r] for r in range(len(A))] for h in hcols]


def frac_lsq_cost(A, c, hcols, Yf, sizes) -> Fraction:
    return frac_cost(apply_affine(A, c, hcols), Yf, sizes)


def frac_gradient(A, c, hcols, Yf, sizes):
    """∂/∂A = 2 Σ_j (1/N_j) Σ_i (A h + c − y_j) h^T,  ∂/∂c = 2 Σ_j (1/N_j) Σ_i (A h + c − y_j)."""
    out, q = len(A), len(hcols[0])
    gA = [[Fraction(0)] * q for _ in range(out)]
    gc = [Fraction(0)] * out
    preds = apply_affine(A, c, hcols)
    for j, idx in classes(sizes):
        for i in idx:
            for r in range(out):
                e = 2 * (preds[i][r] - Yf[r][j]) / sizes[j]
                gc[r] += e
                for a in range(q):
                    gA[r][a] += e * hcols[i][a]
    return gA, gc


def frac_rank(rows: list[list[Fraction]]) -> int:
    M = [list(r) for r in rows]
    rank, ncols = 0, len(M[0]) if M else 0
    for col in range(ncols):
        piv = next((r for r in range(rank, len(M)) if M[r][col] != 0), None)
        if piv is None:
            continue
        M[rank], M[piv] = M[piv], M[rank]
        for r in range(len(M)):
            if r != rank and M[r][col] != 0:
                f = M[r][col] / M[rank][col]
                M[r] = [x - f * y for x, y in zip(M[r], M[rank])]
        rank += 1
    return rank


def frac_solve(G: list[list[Fraction]], rhs: list[list[Fraction]]) -> list[list[Fraction]]:
    """Unique solution X of G X = rhs for invertible G (Gauss–Jordan)."""
    n, m = len(G), len(rhs[0])
    M = [G[i][:] + rhs[i][:] for i in range(n)]
    for col in range(n):
        piv = next(r for r in range(col, n) if M[r][col] != 0)
        M[col], M[piv] = M[piv], M[col]
        p = M[col][col]
        M[col] = [x / p for x in M[col]]
        for r in range(n):
            if r != col and M[r][col] != 0:
                f = M[r][col]
                M[r] = [x - f * y for x, y in zip(M[r], M[col])]
    return [row[n:n + m] for row in M]


def z_vectors(hcols, free_bias: bool):
    return [h + [Fraction(1)] if free_bias else list(h) for h in hcols]


def frac_normal_equations(hcols, Yf, sizes, free_bias: bool):
    """G = Σ_j (1/N_j) Σ_i z z^T,  R = Σ_j (1/N_j) Σ_i y_j z^T."""
    zs = z_vectors(hcols, free_bias)
    k, out = len(zs[0]), len(Yf)
    G = [[Fraction(0)] * k for _ in range(k)]
    R = [[Fraction(0)] * k for _ in range(out)]
    for j, idx in classes(sizes):
        for i in idx:
            z = zs[i]
            for a in range(k):
                for b in range(k):
                    G[a][b] += z[a] * z[b] / sizes[j]
                for r in range(out):
                    R[r][a] += Yf[r][j] * z[a] / sizes[j]
    return G, R


def unpack(res):
    A = fmat(res.A)
    c = [row[0] for row in fmat(res.c)]
    return A, c


# ----------------------------------------------------------------------------------------------------------
# 10: cost_squared


@FAST
@given(st.data())
def test_cost_squared_matches_fractions(data):
    J = data.draw(st.integers(1, 3))
    sizes = data.draw(st.lists(st.integers(1, 4), min_size=J, max_size=J))
    out = data.draw(st.integers(1, 3))
    O = data.draw(intmats(out, sum(sizes)))
    Y = data.draw(mats(out, J))
    got = cost_squared(O, Y, sizes)
    assert isinstance(got, fmpq)
    assert fr(got) == frac_cost(fcols(O), fmat(Y), sizes)
    # representation independence: object dtype and non-reduced numerators give the same value
    Oo = IntMat(O.num.astype(object) * 7, O.den * 7)
    assert cost_squared(Oo, Y, sizes) == got


def test_cost_squared_hand_example():
    # class 1: points 1, 3 (y = 2) → (1/2)(1 + 1) = 1;  class 2: point 1/2 (y = 0) → 1/4.  Total 5/4.
    O = IntMat(np.array([[2, 6, 1]], dtype=np.int64), 2)
    Y = fmpq_mat(1, 2, [2, 0])
    assert cost_squared(O, Y, [2, 1]) == fmpq(5, 4)


# ----------------------------------------------------------------------------------------------------------
# 11: last_layer_lsq


@FAST
@given(lsq_case(), st.booleans())
def test_lsq_value_is_cost_of_returned_map(case, free_bias):
    H, Y, sizes = case
    res = last_layer_lsq(H, Y, sizes, free_bias=free_bias)
    assert res.A.nrows() == Y.nrows() and res.A.ncols() == H.shape[0]
    assert res.c.nrows() == Y.nrows() and res.c.ncols() == 1
    out = affine(res.A, res.c, H)
    assert cost_squared(out, Y, sizes) == res.value
    A, c = unpack(res)
    assert fr(res.value) == frac_lsq_cost(A, c, fcols(H), fmat(Y), sizes)
    assert res.value >= 0


@FAST
@given(lsq_case(), st.booleans(), st.data())
def test_lsq_optimal_against_random_maps(case, free_bias, data):
    H, Y, sizes = case
    res = last_layer_lsq(H, Y, sizes, free_bias=free_bias)
    hcols, Yf = fcols(H), fmat(Y)
    A, c = unpack(res)
    out, q = Y.nrows(), H.shape[0]
    for _ in range(3):
        A2 = fmat(data.draw(mats(out, q)))
        c2 = [row[0] for row in fmat(data.draw(mats(out, 1)))] if free_bias else [Fraction(0)] * out
        assert frac_lsq_cost(A2, c2, hcols, Yf, sizes) >= fr(res.value)
    # small perturbations of the minimiser
    t = fr(data.draw(rationals(3, 50)))
    E = fmat(data.draw(mats(out, q, maxp=2, maxq=1)))
    e = [row[0] for row in fmat(data.draw(mats(out, 1, maxp=2, maxq=1)))] if free_bias else [Fraction(0)] * out
    A3 = [[A[r][a] + t * E[r][a] for a in range(q)] for r in range(out)]
    c3 = [c[r] + t * e[r] for r in range(out)]
    assert frac_lsq_cost(A3, c3, hcols, Yf, sizes) >= fr(res.value)


@FAST
@given(lsq_case(), st.booleans())
def test_lsq_gradient_vanishes(case, free_bias):
    H, Y, sizes = case
    res = last_layer_lsq(H, Y, sizes, free_bias=free_bias)
    A, c = unpack(res)
    gA, gc = frac_gradient(A, c, fcols(H), fmat(Y), sizes)
    assert all(g == 0 for row in gA for g in row)
    if free_bias:
        assert all(g == 0 for g in gc)
    else:
        assert all(v == 0 for v in c)


@FAST
@given(lsq_case(), st.booleans())
def test_lsq_gram_rank(case, free_bias):
    """gram_rank = rank of the weighted Gram = rank of the stacked vectors z_i (weights are positive)."""
    H, Y, sizes = case
    res = last_layer_lsq(H, Y, sizes, free_bias=free_bias)
    assert res.gram_rank == frac_rank(z_vectors(fcols(H), free_bias))


@FAST
@given(lsq_case())
def test_lsq_fixed_bias_no_better_than_free(case):
    H, Y, sizes = case
    free = last_layer_lsq(H, Y, sizes, free_bias=True)
    fixed = last_layer_lsq(H, Y, sizes, free_bias=False)
    assert free.value <= fixed.value
    assert all(fixed.c[r, 0] == 0 for r in range(Y.nrows()))


@st.composite
def rank_deficient_case(draw):
    """H with a duplicated row (q ≥ 2) or with all points equal."""
    H, Y, sizes = draw(lsq_case())
    q, n = H.shape
    num = H.num.astype(object).copy()
    kind = draw(st.sampled_from(["dup_row", "equal_points", "zero"]))
    if kind == "dup_row":
        if q == 1:
            num = np.vstack([num, num])
        else:
            num[draw(st.integers(1, q - 1))] = num[0]
    elif kind == "equal_points":
        num[:, :] = num[:, [draw(st.integers(0, n - 1))]]
    else:
        num[:, :] = 0
    return IntMat(num, H.den), Y, sizes, kind


@FAST
@given(rank_deficient_case(), st.booleans())
def test_lsq_rank_deficient(case, free_bias):
    H, Y, sizes, kind = case
    q = H.shape[0]
    k = q + 1 if free_bias else q
    res = last_layer_lsq(H, Y, sizes, free_bias=free_bias)
    hcols, Yf = fcols(H), fmat(Y)
    assert res.gram_rank < k or (kind != "dup_row" and k == 1)
    assert res.gram_rank == frac_rank(z_vectors(hcols, free_bias))
    A, c = unpack(res)
    gA, gc = frac_gradient(A, c, hcols, Yf, sizes)
    assert all(g == 0 for row in gA for g in row)
    assert all(g == 0 for g in gc) if free_bias else all(v == 0 for v in c)
    assert fr(res.value) == frac_lsq_cost(A, c, hcols, Yf, sizes)
    assert cost_squared(affine(res.A, res.c, H), Y, sizes) == res.value


def test_lsq_hand_examples():
    # free bias, classes {h = 0, y = 0}, {h = 2, y = 4}: exact fit A = 2, c = 0, value 0.
    H = IntMat(np.array([[0, 2]], dtype=np.int64), 1)
    res = last_layer_lsq(H, fmpq_mat(1, 2, [0, 4]), [1, 1])
    assert res.A == fmpq_mat(1, 1, [2]) and res.c == fmpq_mat(1, 1, [0])
    assert res.value == 0 and res.gram_rank == 2
    # no bias, one class h ∈ {1, 3}, y = 2: (1/2)[(A−2)² + (3A−2)²] minimal at A = 4/5, value 4/5.
    H = IntMat(np.array([[1, 3]], dtype=np.int64), 1)
    res = last_layer_lsq(H, fmpq_mat(1, 1, [2]), [2], free_bias=False)
    assert res.A == fmpq_mat(1, 1, [fmpq(4, 5)]) and res.c == fmpq_mat(1, 1, [0])
    assert res.value == fmpq(4, 5) and res.gram_rank == 1
    # all points equal (h = 1), classes y = 0 (N = 1) and y = 3 (N = 2), free bias: any A + c = 3/2 is optimal,
    # value = (3/2)² + (3/2)² = 9/2, Gram [[2, 2], [2, 2]] has rank 1.
    H = IntMat(np.array([[1, 1, 1]], dtype=np.int64), 1)
    res = last_layer_lsq(H, fmpq_mat(1, 2, [0, 3]), [1, 2])
    assert res.A[0, 0] + res.c[0, 0] == fmpq(3, 2)
    assert res.value == fmpq(9, 2) and res.gram_rank == 1


# ----------------------------------------------------------------------------------------------------------
# 12: comparison with an independent normal-equation solver


@FAST
@given(lsq_case(min_sizes=2), st.booleans())
def test_lsq_matches_fraction_normal_equations(case, free_bias):
    H, Y, sizes = case
    hcols, Yf = fcols(H), fmat(Y)
    G, R = frac_normal_equations(hcols, Yf, sizes, free_bias)
    k = len(G)
    assume(frac_rank(G) == k)
    # G A_full^T = R^T
    Rt = [[R[r][a] for r in range(len(R))] for a in range(k)]
    At = frac_solve(G, Rt)
    A_full = [[At[a][r] for a in range(k)] for r in range(len(R))]
    res = last_layer_lsq(H, Y, sizes, free_bias=free_bias)
    A, c = unpack(res)
    q = H.shape[0]
    assert A == [row[:q] for row in A_full]
    assert c == ([row[q] for row in A_full] if free_bias else [Fraction(0)] * len(R))
    assert res.gram_rank == k
    assert fr(res.value) == frac_lsq_cost(A, c, hcols, Yf, sizes)
