"""Degenerate local minima of arXiv:2309.10639: Theorem 2.4 ((2.70), (2.71)) and Theorem 2.5 ((2.84), (2.85)).

A configuration s ∈ {0,1}^Q picks, per cluster ℓ, the sign of µ_ℓ in the construction (4.24)–(4.34), in the
paper's convention (2.83): s_ℓ = 0 collapses cluster ℓ at layer ℓ (µ_ℓ ∈ I_0, as in Thm 2.3), s_ℓ = 1 makes
layer ℓ the identity on the data (µ_ℓ ∈ I_1 = (2δ√Q, ∞), Lemma 5.1).  s = 1…1 is Theorem 2.4; s = 0…0 is the
global minimum of Theorem 2.3 (p.11).

After the Q hidden layers the data are the τ-image X^{(τ)}: cluster ℓ is its apex c_ℓ = x̄_{0,ℓ} − µ_ℓ f̃_ℓ
(N_ℓ copies) when s_ℓ = 0 and unchanged (ΔX_{0,ℓ}[s] = ΔX_{0,ℓ}, (2.84)) otherwise.  The output layer is the exact weighted least-squares
fit on X^{(τ)} (cumulative output bias 0, or free).  Three expressions of the zero-bias value:

* :func:`formula_value` — (2.71): Tr(Y Δ_2 (1+Δ_2)^{-1} Y^T), Δ_1 = (X^{red})^{-1} ΔX, Δ_2 = Δ_1 𝒩^{-1} Δ_1^T,
  with X^{red} the reduced means and ΔX the deviations of the data the output layer sees;
* :func:`exactmin.nets.cost.last_layer_lsq` — normal equations on integer sufficient statistics (rref);
* :func:`projection_value` — ‖Y^{ext} P^⊥‖²_{L²_𝒩} = Σ_j |y_j|² − Tr(R G^{-1} R^T), G^{-1} from both exact
  backends (flint and the pure-Python reference).
"""
from __future__ import annotations

from flint import fmpq, fmpq_mat

from ..exact.intmat import IntMat, affine
from ..exact.linalg import checked_inv, trace
from .pattern import class_stats
from .shallow import claimed_value


def class_means(X: IntMat, sizes) -> fmpq_mat:
    """X^{red}: columns = class means of the columns of X (exact)."""
    q = X.shape[0]
    out = fmpq_mat(q, len(sizes))
    st = class_stats(X, sizes)
    for j in range(len(sizes)):
        s = st.sums[j]
        for r in range(q):
            out[r, j] = fmpq(int(s[r]), X.den * sizes[j])
    return out


def weighted_scatter(X: IntMat, sizes) -> fmpq_mat:
    """Σ_j (1/N_j) Σ_i Δx_{j,i} Δx_{j,i}^T = ΔX 𝒩^{-1} ΔX^T, from integer sums (Σ x x^T − N_j x̄ x̄^T)."""
    q = X.shape[0]
    S = fmpq_mat(q, q)
    d2 = X.den * X.den
    st = class_stats(X, sizes)
    for j, n in enumerate(sizes):
        G, m = st.grams[j], st.sums[j]
        for a in range(q):
            for b in range(q):
                S[a, b] += fmpq(int(G[a, b]) * n - int(m[a]) * int(m[b]), d2 * n * n)
    return S


def formula_value(Y: fmpq_mat, Xred: fmpq_mat, scatter: fmpq_mat) -> fmpq:
    """(2.71) squared: Tr(Y Δ_2 (1+Δ_2)^{-1} Y^T) with Δ_2 = Xred^{-1} scatter Xred^{-T}."""
    Xi = checked_inv(Xred)
    return claimed_value(Y, Xi * scatter * Xi.transpose())   # the same closed form as shallow Thm 3.2


def projection_value(H: IntMat, Y: fmpq_mat, sizes, free_bias: bool) -> fmpq:
    """‖Y^{ext} P^⊥‖²_{L²_𝒩}: weighted residual of projecting Y^{ext} on the row space of H (and of 1)."""
    q = H.shape[0]
    k = q + 1 if free_bias else q
    G, R = fmpq_mat(k, k), fmpq_mat(Y.nrows(), k)
    d2 = H.den * H.den
    st = class_stats(H, sizes)
    for j, n in enumerate(sizes):
        S, m = st.grams[j], st.sums[j]
        z = [fmpq(int(m[a]), H.den * n) for a in range(q)] + ([fmpq(1)] if free_bias else [])
        for a in range(q):
            for b in range(q):
                G[a, b] += fmpq(int(S[a, b]), d2 * n)
        if free_bias:
            for a in range(q):
                G[a, q] += z[a]
                G[q, a] += z[a]
            G[q, q] += 1
        for r in range(Y.nrows()):
            for a in range(k):
                R[r, a] += Y[r, j] * z[a]
    total = sum((Y[r, j] ** 2 for r in range(Y.nrows()) for j in range(Y.ncols())), fmpq(0))
    return total - trace(R * checked_inv(G) * R.transpose())


def preactivations(net, X: IntMat) -> list[IntMat]:
    """Pre-activations W_ℓ X^{(ℓ−1)} + B_ℓ of every hidden layer, exactly."""
    out = []
    for W, b in zip(net.weights[:-1], net.biases[:-1]):
        Z = affine(W, b, X)
        out.append(Z)
        X = Z.relu()
    return out
