"""The shallow paper (Chen & Muñoz Ewald, arXiv:2309.10370): exact objects for one hidden layer of width M.

Notation (../shared/papers/shallow_paper.md §1): points x_{0,j,i} ∈ R^M, Q ≤ M classes, class means x̄_{0,j}, the
reduced matrix X_0^red = [x̄_{0,1} … x̄_{0,Q}] (M×Q, rank Q), its Penrose inverse
(X_0^red)^+ = ((X_0^red)^T X_0^red)^{-1} (X_0^red)^T (Q×M), the deviations ΔX_0 and

* S := ΔX_0 𝒩^{-1} ΔX_0^T = Σ_j (1/N_j) Σ_i Δx_{0,j,i} Δx_{0,j,i}^T   (M×M, the weighted within-class scatter),
* Δ_1 := (X_0^red)^+ ΔX_0 (Q×N),  Δ_2 := Δ_1 𝒩^{-1} Δ_1^T = (X_0^red)^+ S (X_0^red)^{+T}  (Q×Q, PSD),
* δ_P² := max_{j,i} |(X_0^red)^+ Δx_{0,j,i}|²  (the largest squared column of Δ_1).

The cost is the weighted L²_𝒩 norm ‖A‖²_{L²_𝒩} = Tr(A 𝒩^{-1} A^T) = Σ_j (1/N_j) Σ_i |a_{j,i}|², reported squared.

Everything is computed from integer sufficient statistics (class sums and Gram matrices of the integer
numerators), never from per-point rationals.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from flint import fmpq, fmpq_mat

from ..data.instance import Instance
from ..data.stats import data_matrix, deviations
from ..exact.fexp import ilog2, ldexp_q, max_exponent, scaled_float
from ..exact.intmat import IntMat, affine
from ..exact.linalg import checked_inv, identity, nullspace, trace
from ..exact.norms import is_psd
from .cost import _int_gram, class_slices, cost_squared
from .network import Network

# ------------------------------------------------------------------------------------------------ statistics

def weighted_moments(inst: Instance) -> tuple[fmpq_mat, fmpq_mat]:
    """(G, S): G = Σ_j (1/N_j) Σ_i x x^T = X_0 𝒩^{-1} X_0^T and the scatter S = ΔX_0 𝒩^{-1} ΔX_0^T.

    With integer numerators C_j (over d) of class j, Σ_i x x^T = C_j C_j^T / d² and
    Σ_i Δx Δx^T = (C_j C_j^T − s_j s_j^T / N_j) / d² (s_j the numerator column sum)."""
    M, d2 = inst.M, inst.X0_den ** 2
    G = fmpq_mat(M, M)
    S = fmpq_mat(M, M)
    for j, sl in enumerate(class_slices(inst.sizes)):
        C = inst.X0_num[:, sl]
        n = inst.sizes[j]
        CC = _int_gram(C, C)
        s = [int(v) for v in inst.class_sums()[j]]
        for a in range(M):
            for b in range(M):
                g = int(CC[a, b])
                G[a, b] += fmpq(g, d2 * n)
                S[a, b] += fmpq(g * n - s[a] * s[b], d2 * n * n)
    return G, S


def pinv_full_column_rank(A: fmpq_mat) -> fmpq_mat:
    """A^+ = (A^T A)^{-1} A^T for A of full column rank (exact)."""
    return (A.transpose() * A).inv() * A.transpose()


@dataclass(frozen=True)
class ShallowData:
    Q: int
    M: int
    Xred: fmpq_mat              # M×Q
    gram_det: fmpq              # det((X_0^red)^T X_0^red): rank Q iff nonzero
    pinv: fmpq_mat | None       # Q×M, None when rank < Q
    G: fmpq_mat                 # X_0 𝒩^{-1} X_0^T
    S: fmpq_mat                 # ΔX_0 𝒩^{-1} ΔX_0^T
    Delta2: fmpq_mat | None     # Q×Q
    delta_P_sq: fmpq | None
    delta_P_arg: tuple[int, int] | None   # (class, point) attaining δ_P (0-based)


def shallow_data(inst: Instance) -> ShallowData:
    Xred = inst.means
    gd = (Xred.transpose() * Xred).det()
    G, S = weighted_moments(inst)
    if gd == 0:
        return ShallowData(inst.Q, inst.M, Xred, gd, None, G, S, None, None, None)
    P = pinv_full_column_rank(Xred)
    D2 = P * S * P.transpose()
    dsq, arg = delta_P_squared(inst, P)
    return ShallowData(inst.Q, inst.M, Xred, gd, P, G, S, D2, dsq, arg)


def delta_P_squared(inst: Instance, pinv: fmpq_mat) -> tuple[fmpq, tuple[int, int]]:
    """δ_P² = max_{j,i} |(X_0^red)^+ Δx_{0,j,i}|² and the first (class, point) attaining it."""
    D1 = affine(pinv, None, deviations(inst))
    num = D1.num.astype(object)
    col = (num * num).sum(axis=0)
    best, arg = None, (0, 0)
    for j, sl in enumerate(class_slices(inst.sizes)):
        blk = col[sl]
        i = max(range(len(blk)), key=lambda t: (blk[t], -t))
        if best is None or blk[i] > best:
            best, arg = blk[i], (j, i)
    return fmpq(int(best), D1.den ** 2), arg


# ------------------------------------------------------------------------------------------------ values

def construction_formula(Y: fmpq_mat, D2: fmpq_mat) -> fmpq:
    """‖Y Δ_1‖²_{L²_𝒩} = Tr(Y Δ_2 Y^T): the squared cost of the upper-bound construction."""
    return trace(Y * D2 * Y.transpose())


def claimed_value(Y: fmpq_mat, D2: fmpq_mat) -> fmpq:
    """Theorem 3.2 squared value ‖Y|Δ_2|^{1/2}(1+Δ_2)^{-1/2}‖²_{L²} = Tr(Y Δ_2 (1+Δ_2)^{-1} Y^T)."""
    Q = D2.nrows()
    return trace(Y * D2 * checked_inv(identity(Q) + D2) * Y.transpose())   # both exact backends


def gap_formula(Y: fmpq_mat, D2: fmpq_mat) -> fmpq:
    """Tr(Y Δ_2² (1+Δ_2)^{-1} Y^T) = construction − claimed (the squared-cost gap, ≥ 0)."""
    Q = D2.nrows()
    return trace(Y * D2 * D2 * (identity(Q) + D2).inv() * Y.transpose())


def projector_value(Y: fmpq_mat, Xred: fmpq_mat, G: fmpq_mat) -> fmpq:
    """‖Y^ext P_𝒩^⊥‖²_{L²_𝒩} with P_𝒩 = 𝒩^{-1} X_0^T (X_0 𝒩^{-1} X_0^T)^{-1} X_0.

    P_𝒩^⊥ 𝒩^{-1} P_𝒩^{⊥T} = 𝒩^{-1} − 𝒩^{-1} X_0^T G^{-1} X_0 𝒩^{-1}, Y^ext 𝒩^{-1} Y^{ext T} = Y Y^T and
    Y^ext 𝒩^{-1} X_0^T = Y (X_0^red)^T, so the value is Tr(Y Y^T) − Tr(Y X_red^T G^{-1} X_red Y^T)."""
    R = Y * Xred.transpose()
    return trace(Y * Y.transpose()) - trace(R * G.inv() * R.transpose())


def A_star(Y: fmpq_mat, D2: fmpq_mat, Xred: fmpq_mat) -> fmpq_mat:
    """The zero-bias least-squares last layer for M = Q: Y (1+Δ_2)^{-1} (X_0^red)^{-1}."""
    return Y * (identity(D2.nrows()) + D2).inv() * Xred.inv()


# ------------------------------------------------------------------------------------------------ construction

def complement_rows(Xred: fmpq_mat) -> fmpq_mat:
    """(M−Q)×M integer rows spanning ker (X_0^red)^T = span{x̄_{0,j}}^⊥ (primitive integer vectors)."""
    M, Q = Xred.nrows(), Xred.ncols()
    if M == Q:
        return fmpq_mat(0, M)
    B = nullspace(Xred.transpose())      # M × (M−Q), columns
    K = fmpq_mat(B.ncols(), M)
    for r in range(B.ncols()):
        col = [B[i, r] for i in range(M)]
        den = 1
        for x in col:
            den = math.lcm(den, int(x.q))
        ints = [int(x.p) * (den // int(x.q)) for x in col]
        g = 0
        for v in ints:
            g = math.gcd(g, v)
        for i in range(M):
            K[r, i] = ints[i] // g
    return K


def _shift_above(values: IntMat) -> fmpq:
    """The integer 1 + ceil(max(0, −min entry)): adding it makes every entry ≥ 1."""
    if values.num.size == 0:
        return fmpq(1)
    lo = int(values.num.astype(object).min()) if values.num.dtype == object else int(values.num.min())
    need = max(0, -lo)
    return fmpq(-(-need // values.den) + 1)


@dataclass(frozen=True)
class UpperBoundNet:
    net: Network            # W_1 = [(X_0^red)^+; K] (M×M), b_1 = (β u_Q; −β' u_{M−Q}), W_2 = [Y, 0], b_2 = −β Y u_Q
    K: fmpq_mat
    beta: fmpq
    beta_noise: fmpq        # β' (0 when M = Q: there is no noise coordinate)


def upper_bound_network(inst: Instance, sd: ShallowData) -> UpperBoundNet:
    """The rational variant of the paper's construction (shallow digest §3.1): width M, one hidden layer.

    Signal rows (X_0^red)^+ with shift β (every signal pre-activation ≥ 1 on the data), noise rows K ⊥ span{x̄_{0,j}}
    with shift −β' (every noise pre-activation ≤ −1, truncated by the ReLU), output W_2 = [Y, 0], b_2 = −β Y u_Q.
    For every x ∈ R^M:  x^{(2)}(x) = Y (X_0^red)^+ τ_{W_1,b_1}(x); on the data x^{(2)}_{j,i} = y_j + Y Δ_1 e_{j,i}.
    """
    Q, M = sd.Q, sd.M
    P, K = sd.pinv, complement_rows(sd.Xred)
    X = data_matrix(inst)
    beta = _shift_above(affine(P, None, X))
    if M > Q:
        KX = affine(K, None, X)
        beta_noise = _shift_above(IntMat(-KX.num, KX.den))
    else:
        beta_noise = fmpq(0)
    W1 = fmpq_mat(M, M)
    b1 = fmpq_mat(M, 1)
    for r in range(Q):
        for c in range(M):
            W1[r, c] = P[r, c]
        b1[r, 0] = beta
    for r in range(M - Q):
        for c in range(M):
            W1[Q + r, c] = K[r, c]
        b1[Q + r, 0] = -beta_noise
    Y = inst.Y
    W2 = fmpq_mat(Y.nrows(), M)
    b2 = fmpq_mat(Y.nrows(), 1)
    for r in range(Y.nrows()):
        for c in range(Q):
            W2[r, c] = Y[r, c]
            b2[r, 0] -= beta * Y[r, c]
    return UpperBoundNet(Network((W1, W2), (b1, b2)), K, beta, beta_noise)


def network_cost(inst: Instance, net: Network) -> fmpq:
    return cost_squared(net.forward(data_matrix(inst)), inst.Y, inst.sizes)


# ------------------------------------------------------------------------------------------------ eigenvalue bounds

def _float_eigs(S: fmpq_mat) -> tuple[np.ndarray, int]:
    """(λ̃, e): float eigenvalues of S·2^-e (a proposal only), e from the largest entry so that no entry
    overflows whatever the magnitude of S (issue 14); the eigenvalues of S are about λ̃·2^e."""
    n = S.nrows()
    ents = [S[i, j] for i in range(n) for j in range(S.ncols())]
    e = max_exponent(ents)
    A = np.array([scaled_float(q, e) for q in ents], dtype=float).reshape(n, S.ncols())
    return np.linalg.eigvalsh(A), e


def _dyadic(x: fmpq, up: bool, bits: int = 24) -> fmpq:
    """x rounded up (or down) to a dyadic rational with ``bits`` significant bits; 0 for x <= 0."""
    if x <= 0:
        return fmpq(0)
    scale = bits - (ilog2(x) + 1)
    if scale >= 0:
        v = x * (1 << scale)
        return fmpq(int(v.ceil() if up else v.floor()), 1 << scale)
    v = x / (1 << -scale)
    return fmpq(int(v.ceil() if up else v.floor()) << -scale)


def _estimate(S: fmpq_mat, pick) -> tuple[fmpq, int]:
    """(exact rational value of the proposed eigenvalue pick(λ̃)·2^e, e)."""
    ev, e = _float_eigs(S)
    return ldexp_q(float(pick(ev)), e), e


def lambda_max_upper(S: fmpq_mat) -> fmpq:
    """A rational λ̄ ≥ λ_max(S) (S symmetric), certified by λ̄ I − S PSD; float eigenvalues only propose.

    The proposal comes from S·2^-e (exponent-aware, no overflow for any magnitude); the search then grows
    multiplicatively, starting no lower than 2^(e−60), so it is scale-covariant: S·4^k gets λ̄·4^k."""
    n = S.nrows()
    if n == 0:
        return fmpq(0)
    est, e = _estimate(S, max)
    for k in (10, 1000, 10**6):          # a simple rational first: exact when lambda_max is one (e.g. 1, 1/10)
        cand = fmpq(*Fraction(int(est.p), int(est.q)).limit_denominator(k).as_integer_ratio())
        if cand >= 0 and is_psd(cand * identity(n) - S)[0]:
            return cand
    floor = ldexp_q(1.0, e - 60)         # relative to the largest entry: a float-noise level, never 0
    lam = max(_dyadic(est, up=True), floor)
    step = fmpq(1, 2**20)
    for _ in range(200):
        if is_psd(lam * identity(n) - S)[0]:
            return lam
        lam = lam * (1 + step)
        step *= 2
    tr = trace(S)   # λ_max ≤ Tr S for PSD S; as a last resort (never expected)
    if is_psd(tr * identity(n) - S)[0]:
        return tr
    raise ArithmeticError("lambda_max_upper: no certified bound")


def lambda_min_lower(S: fmpq_mat) -> fmpq:
    """A rational ℓ ≥ 0 with S − ℓ I PSD (so ℓ ≤ λ_min(S)); 0 when S is singular or not certified.

    Exponent-aware like :func:`lambda_max_upper`: a λ_min of 10^-400 is proposed (and certified) as such."""
    n = S.nrows()
    if n == 0:
        return fmpq(0)
    est, _ = _estimate(S, min)
    lam = _dyadic(est, up=False)
    step = fmpq(1, 2**20)
    for _ in range(60):
        if lam <= 0:
            break
        if is_psd(S - lam * identity(n))[0]:
            return lam
        lam = lam * (1 - step)
        step *= 2
        if step >= 1:
            break
    return fmpq(0)
