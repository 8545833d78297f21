"""The truncation map of arXiv:2309.10639, Definition 2.1, and its exact identities.

τ_{W,b}(X) = W^{-1}(σ(W X + B) − B), for W ∈ GL(Q), B = b u_N^T.

Identities used by the claims (all exact on rational inputs):
* (T1) σ(W X + B) = W τ_{W,b}(X) + B;
* (T4) closed form τ_{W,b}(X) = X − W^{-1} min(W X + B, 0);
* (2.66) scaling invariance τ_{λW, λb} = τ_{W,b} for λ > 0;
* τ_{W,b} ∘ τ_{W,b} = τ_{W,b} (idempotence).
"""
from __future__ import annotations

import numpy as np
from flint import fmpq_mat

from ..exact.intmat import IntMat, affine


def tau(W: fmpq_mat, b: fmpq_mat, X: IntMat) -> IntMat:
    """τ_{W,b}(X) = W^{-1}(σ(W X + B) − B) (Definition 2.1), exactly."""
    Z = affine(W, b, X).relu()
    return affine(W.inv(), -(W.inv() * b), Z)


def tau_closed_form(W: fmpq_mat, b: fmpq_mat, X: IntMat) -> IntMat:
    """(T4): τ_{W,b}(X) = X − W^{-1} min(W X + B, 0), computed independently of :func:`tau`."""
    Z = affine(W, b, X)
    neg = IntMat(np.minimum(Z.num, 0), Z.den)
    corr = affine(W.inv(), None, neg)
    # X − corr with a common denominator
    d = X.den * corr.den
    num = X.num.astype(object) * corr.den - corr.num.astype(object) * X.den
    return IntMat(num, d).reduced()


def tau_cumulative(Wc: list[fmpq_mat], bc: list[fmpq_mat], X: IntMat) -> list[IntMat]:
    """[x^{(τ,1)}, …, x^{(τ,L)}] with x^{(τ,ℓ)} = τ_{W^{(ℓ)}, b^{(ℓ)}}(x^{(τ,ℓ−1)}) (Proposition 2.2)."""
    out = []
    for W, b in zip(Wc, bc):
        X = tau(W, b, X)
        out.append(X)
    return out
