"""Exact first-order facts about the last affine layer, for local-minimality verdicts.

Setting (deep Thm 2.4/2.5, shallow Thm 3.2): near a parameter point whose hidden pre-activations are all
nonzero on the data, the activation pattern is constant, so the network's output on point x_{j,i} is
A h_{j,i} + c with hidden features h (columns of ``H``) and the last affine layer (A, c).  The squared cost
(2.36) is then the convex quadratic

    F(A, c) = Σ_j (1/N_j) Σ_i |A h_{j,i} + c − y_j|².

* ``grad_A`` / ``grad_c``: its exact gradient (∂F/∂A = 2 Σ_j (1/N_j) Σ_i r h^T, ∂F/∂c = 2 Σ_j r̄_j, r the
  residuals, r̄_j their class mean).  ∂F/∂A = 0 is the normal equation: with h fixed, A is then a global
  minimiser over A (F is convex in A).
* ``bias_descent``: if ∂F/∂c = g ≠ 0, moving the output bias along −g lowers F.  Exactly, because each class
  carries total weight 1:  F(A, c − t g) = F − t|g|² + Q t²|g|², strictly below F for 0 < t < 1/Q, lowest
  at t = 1/(2Q) with value F − |g|²/(4Q).  This is the witness that a point is NOT a local minimum when the
  output bias is a free parameter (the output layer has no activation, so the move keeps every pattern).
* ``min_abs_preactivation``: the smallest |z| over all pre-activations; > 0 certifies (finitely many data
  points, strict inequalities) that the pattern is constant on some neighbourhood of the parameters.

All arithmetic is on integer sufficient statistics (class sums, Gram matrices) over a common denominator.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from flint import fmpq, fmpq_mat

from ..exact.intmat import IntMat
from .pattern import class_stats


def _stats(H: IntMat, sizes):
    """Per class (Σ_i h_n, Σ_i h_n h_n^T) of the integer numerators h_n = den·h."""
    st = class_stats(H, sizes)       # int64 blocks proved overflow-free, summed as Python ints
    return list(zip(st.sums, st.grams))


def _class_means(H: IntMat, sizes) -> list[fmpq_mat]:
    q = H.shape[0]
    return [fmpq_mat(q, 1, [fmpq(int(v), H.den * n) for v in s]) for (s, _), n in zip(_stats(H, sizes), sizes)]


def grad_c(H: IntMat, Y: fmpq_mat, sizes, A: fmpq_mat, c: fmpq_mat) -> fmpq_mat:
    """∂F/∂c = 2 Σ_j (A h̄_j + c − y_j), h̄_j the class mean of the features (exact)."""
    g = fmpq_mat(A.nrows(), 1)
    for j, m in enumerate(_class_means(H, sizes)):
        r = A * m + c
        for k in range(A.nrows()):
            g[k, 0] += 2 * (r[k, 0] - Y[k, j])
    return g


def grad_A(H: IntMat, Y: fmpq_mat, sizes, A: fmpq_mat, c: fmpq_mat) -> fmpq_mat:
    """∂F/∂A = 2 Σ_j (1/N_j) Σ_i (A h + c − y_j) h^T = 2 Σ_j (A S_j/N_j + (c − y_j) h̄_j^T) (exact)."""
    q = H.shape[0]
    out = fmpq_mat(A.nrows(), q)
    d2 = H.den * H.den
    for j, ((s, S), n) in enumerate(zip(_stats(H, sizes), sizes)):
        Sj = fmpq_mat(q, q, [fmpq(int(S[a, b]), d2 * n) for a in range(q) for b in range(q)])
        m = fmpq_mat(q, 1, [fmpq(int(v), H.den * n) for v in s])
        cy = fmpq_mat(A.nrows(), 1, [c[k, 0] - Y[k, j] for k in range(A.nrows())])
        out += A * Sj + cy * m.transpose()
    return out * 2


@dataclass(frozen=True)
class BiasDescent:
    """F(A, c − t g) = F − t|g|² + Q t²|g|² (exact); the recorded step is the minimiser t = 1/(2Q)."""

    g: fmpq_mat
    t: fmpq
    c_new: fmpq_mat
    decrease: fmpq          # F(A, c) − F(A, c_new) = |g|²/(4Q) > 0


def bias_descent(H: IntMat, Y: fmpq_mat, sizes, A: fmpq_mat, c: fmpq_mat) -> BiasDescent | None:
    """The exact descent step along −∂F/∂c, or None when ∂F/∂c = 0."""
    g = grad_c(H, Y, sizes, A, c)
    g2 = sum((g[k, 0] ** 2 for k in range(g.nrows())), fmpq(0))
    if g2 == 0:
        return None
    Q = len(sizes)
    t = fmpq(1, 2 * Q)
    return BiasDescent(g, t, c - g * t, g2 / (4 * Q))


def min_abs_preactivation(pre: IntMat) -> fmpq:
    """min |z| over every entry of a pre-activation matrix (0 if some entry vanishes)."""
    if pre.num.size == 0:
        raise ValueError("empty pre-activation matrix")
    a = np.abs(pre.num.astype(object)) if pre.num.dtype == object else np.abs(pre.num)
    return fmpq(int(a.min()), pre.den)
