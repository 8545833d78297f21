"""Exact weighted L² cost and last-layer least squares (arXiv:2309.10639, (2.35)/(2.36)).

The paper's cost is C_𝒩 = ( Σ_j (1/N_j) Σ_i |x^{(L+1)}_{j,i} − y_j|² )^{1/2}, weighted and not squared;
exactmin reports its square, which is rational:  cost_squared = Σ_j (1/N_j) Σ_i |x^{(L+1)}_{j,i} − y_j|².

Least squares works on exact sufficient statistics (class sums and Gram matrices in integer
arithmetic), never on per-point rationals.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from flint import fmpq, fmpq_mat

from ..exact.intmat import INT64_LIMIT, IntMat, _max_abs, fmpq_mat_to_int


def _int_gram(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """A @ B.T exactly (int64 when a bound proves no overflow, Python ints otherwise)."""
    k = A.shape[1]
    if A.dtype != object and B.dtype != object and _max_abs(A) * _max_abs(B) * max(k, 1) < INT64_LIMIT:
        return A.astype(np.int64) @ B.astype(np.int64).T
    return A.astype(object) @ B.astype(object).T


def class_slices(sizes) -> list[slice]:
    out, start = [], 0
    for n in sizes:
        out.append(slice(start, start + n))
        start += n
    return out


def cost_squared(out: IntMat, Y: fmpq_mat, sizes) -> fmpq:
    """Squared weighted cost (2.36): Σ_j (1/N_j) Σ_i |out_{j,i} − y_j|², exactly."""
    Yn, dy = fmpq_mat_to_int(Y)
    total = fmpq(0)
    for j, sl in enumerate(class_slices(sizes)):
        block = out.num[:, sl].astype(object)
        res = block * dy - Yn[:, j:j + 1] * out.den
        s = int((res * res).sum()) if res.size else 0
        total += fmpq(s, (out.den * dy) ** 2 * sizes[j])
    return total


@dataclass(frozen=True)
class LeastSquares:
    """Exact minimiser of the weighted cost over the last affine layer.

    ``A`` (out×Q) and ``c`` (out×1, zero when the bias is fixed) minimise
    Σ_j (1/N_j) Σ_i |A h_{j,i} + c − y_j|²; ``value`` is that minimum (the squared cost).
    """

    A: fmpq_mat
    c: fmpq_mat
    value: fmpq
    gram_rank: int


def _solve_consistent(G: fmpq_mat, R: fmpq_mat) -> fmpq_mat:
    """A particular solution X of G X = R (G square, system assumed consistent), free variables 0."""
    n, m = G.nrows(), R.ncols()
    aug = fmpq_mat(n, n + m)
    for i in range(n):
        for j in range(n):
            aug[i, j] = G[i, j]
        for j in range(m):
            aug[i, n + j] = R[i, j]
    E, rank = aug.rref()
    X = fmpq_mat(n, m)
    for r in range(rank):
        piv = next(c for c in range(n + m) if E[r, c] != 0)
        if piv >= n:
            raise ArithmeticError("inconsistent normal equations")
        for j in range(m):
            X[piv, j] = E[r, n + j]
    if (G * X) != R:
        raise ArithmeticError("least-squares solution failed its exact check")
    return X


def last_layer_lsq(H: IntMat, Y: fmpq_mat, sizes, free_bias: bool = True) -> LeastSquares:
    """Exact weighted least squares for the output layer on hidden outputs H (Q×N).

    Normal equations A G = R with the weighted Gram G = Σ_j (1/N_j) Σ_i z z^T, z = (h; 1) when the
    bias is free and z = h otherwise, R = Σ_j (1/N_j) Σ_i y_j z^T.  For any solution,
    min = Σ_j |y_j|² − Tr(A R^T) (since A G A^T = R A^T).  G may be singular (any solution works).
    """
    q = H.shape[0]
    k = q + 1 if free_bias else q
    out_dim = Y.nrows()
    G = fmpq_mat(k, k)
    R = fmpq_mat(out_dim, k)
    d2 = H.den * H.den
    from .pattern import class_stats      # (import here: pattern imports this module)
    st = class_stats(H, sizes)            # Σ_i hn and Σ_i hn hn^T per class, int64 blocks summed exactly
    for j in range(len(sizes)):
        Nj = sizes[j]
        S, m = st.grams[j], st.sums[j]
        for a in range(q):
            for b in range(q):
                G[a, b] += fmpq(int(S[a, b]), d2 * Nj)
            if free_bias:
                G[a, q] += fmpq(int(m[a]), H.den * Nj)
                G[q, a] += fmpq(int(m[a]), H.den * Nj)
        if free_bias:
            G[q, q] += 1
        for r in range(out_dim):
            y = Y[r, j]
            for a in range(q):
                R[r, a] += y * fmpq(int(m[a]), H.den * Nj)
            if free_bias:
                R[r, q] += y
    X = _solve_consistent(G, R.transpose())  # G A^T = R^T
    A_full = X.transpose()
    T = sum((Y[r, j] ** 2 for r in range(out_dim) for j in range(Y.ncols())), fmpq(0))
    value = T - sum((A_full[r, a] * R[r, a] for r in range(out_dim) for a in range(k)), fmpq(0))
    A = fmpq_mat(out_dim, q, [A_full[r, a] for r in range(out_dim) for a in range(q)])
    c = fmpq_mat(out_dim, 1, [A_full[r, q] if free_bias else 0 for r in range(out_dim)])
    return LeastSquares(A, c, value, G.rank())
