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
from . import pattern
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
        n = inst.sizes[j]
        if inst.wide is not None:               # numerators in limbs: the cached class statistics (int64 pieces)
            CC = pattern.class_stats(data_matrix(inst), inst.sizes).grams[j]
        else:
            C = inst.X0_num[:, sl]
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
    """δ_P² = max_{j,i} |(X_0^red)^+ Δx_{0,j,i}|² and the first (class, point) attaining it.

    By the certified float filter (:func:`_delta_P_filtered`) when it applies, else by
    :func:`delta_P_squared_exact`; both give the same value and arg-max."""
    if pattern.ENABLED:
        r = _delta_P_filtered(inst, pinv)
        if r is not None:
            return r
    return delta_P_squared_exact(inst, pinv)


def _delta_P_filtered(inst: Instance, pinv: fmpq_mat):
    """δ_P² by floats that only exclude points, then exact squares of the few candidates.

    Per class j the map z = P x + c_j, c_j = −P x̄_{0,j} (so z = P Δx), is evaluated by
    :func:`exactmin.exact.certsign._scaled_values`: z̃_rp ≈ s_r z_rp with |z̃ − s_r z| ≤ B rigorously, s_r =
    dX 2^(−e_r−f) > 0.  Hence |z|² = (2^f/dX)² Σ_r (s_r z_r 2^{e_r})², and with lo_r = max(|z̃| − B, 0),
    hi_r = |z̃| + B, the sums L = Σ_r (lo_r 2^{e_r−E})², U = Σ_r (hi_r 2^{e_r−E})² (E = max e_r) bracket
    |z|²·(dX/2^{f+E})².  Evaluating L and U in floats costs a relative (M + 5)u < 2^-41 (M < 1000) and absolute
    underflow errors < (M + 5)·2^-1074, so L' = L̃(1 − 2^-40) − 2^-900 and U' = Ũ(1 + 2^-40) + 2^-900 still
    bracket it.  Every point attaining the maximum has U' ≥ max_q L'_q; those candidates are squared exactly
    (integers over one denominator per class) and the first arg-max in (class, point) order wins, as in the
    exact reference.  Returns None (caller computes exactly) when a float is not finite or a bias row is out of
    float range."""
    from ..exact.certsign import CHUNK, ExactAffine, _scaled_values, column_exponent, float_columns
    M = inst.M
    if M >= 1000 or inst.N == 0:
        return None
    Xn, dX = (inst.X0_num if inst.wide is None else inst.wide), inst.X0_den      # limbs: no Python ints
    means = inst.means
    fx = column_exponent(Xn)
    per_class = []
    T = -math.inf
    for j, sl in enumerate(class_slices(inst.sizes)):
        c = -(pinv * fmpq_mat(M, 1, [means[r, j] for r in range(M)]))
        f = ExactAffine(pinv, c)
        if not f.usable:
            return None
        E = max(f.e)
        if E - min(f.e) > 400:
            return None
        sc = np.array([2.0 ** (e - E) for e in f.e]).reshape(-1, 1)
        Ls, Us = [], []
        blk_all = Xn[:, sl]
        for a in range(0, blk_all.shape[1], CHUNK):
            blk = blk_all[:, a:a + CHUNK]
            Xf, ok = float_columns(blk, fx)
            if not ok:
                return None
            Z, B, rows_ok = _scaled_values(f, Xf, dX, fx)
            if not (rows_ok.all() and np.isfinite(Z).all() and np.isfinite(B).all()):
                return None
            az = np.abs(Z)
            lo = np.maximum(az - B, 0.0) * sc
            hi = (az + B) * sc
            L = np.einsum("rp,rp->p", lo, lo) * (1 - 2.0 ** -40) - 2.0 ** -900
            Uu = np.einsum("rp,rp->p", hi, hi) * (1 + 2.0 ** -40) + 2.0 ** -900
            if not (np.isfinite(L).all() and np.isfinite(Uu).all()):
                return None
            Ls.append(L), Us.append(Uu)
        L, Uu = np.concatenate(Ls), np.concatenate(Us)
        T = max(T, float(L.max()))
        per_class.append((f, sl, Uu))
    best, arg = None, None
    for j, (f, sl, Uu) in enumerate(per_class):
        cand = np.flatnonzero(Uu >= T).tolist()
        if not cand:
            continue
        blk = Xn[:, sl]
        m = f.A.nrows()
        rows = [r for _ in cand for r in range(m)]
        cols = [p for p in cand for _ in range(m)]
        vals, den = f.exact_numerators(blk, dX, rows, cols)
        for t, p in enumerate(cand):
            v = fmpq(sum(x * x for x in vals[t * m:(t + 1) * m]), den * den)
            if best is None or v > best:
                best, arg = v, (j, p)
    return best, arg


def delta_P_squared_exact(inst: Instance, pinv: fmpq_mat) -> tuple[fmpq, tuple[int, int]]:
    """The reference: every |(X_0^red)^+ Δx_{0,j,i}|² exactly (object integers)."""
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


def claimed_value(Y: fmpq_mat, D2: fmpq_mat, inverse=checked_inv) -> fmpq:
    """Theorem 3.2 squared value ‖Y|Δ_2|^{1/2}(1+Δ_2)^{-1/2}‖²_{L²} = Tr(Y Δ_2 (1+Δ_2)^{-1} Y^T); ``inverse``: both
    exact backends by default (deep.thm2.5's 2^Q − 1 values use linalg.verified_inv)."""
    Q = D2.nrows()
    return trace(Y * D2 * inverse(identity(Q) + D2) * Y.transpose())


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
    W = getattr(values, "wide", None)                   # numerators in limbs (stats.WideData)
    if (values.num if W is None else W).size == 0:
        return fmpq(1)
    if W is not None:
        lo = W.extreme(False)
    else:
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
    beta = shift_above_rows(P, X)
    if M > Q:
        beta_noise = shift_above_rows(K, X, negate=True)
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
    """Exact weighted cost (2.36); from class statistics when the pattern is constant on the data (every network
    the shallow claims build), else by the exact forward pass of every point."""
    X = data_matrix(inst)
    c = pattern.network_cost(net, X, inst.Y, inst.sizes)
    return c if c is not None else cost_squared(net.forward(X), inst.Y, inst.sizes)


def shift_above_rows(W: fmpq_mat, X: IntMat, negate: bool = False) -> fmpq:
    """:func:`_shift_above` of W X (or of −W X): 1 + ceil(max(0, −min entry)), from exact row extremes (certified
    float filter, :mod:`exactmin.nets.pattern`) when enabled, else from the exact product."""
    if pattern.ENABLED and X.shape[1] and W.nrows():
        lo, hi = pattern.row_extremes(X, W, fmpq_mat(W.nrows(), 1))
        m = min(-v for v in hi) if negate else min(lo)
        return fmpq(int((-m).ceil()) + 1 if m < 0 else 1)
    Z = affine(W, None, X)
    return _shift_above(IntMat(-Z.num, Z.den) if negate else Z)


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
