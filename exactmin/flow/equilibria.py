"""Exact equilibria of the (adapted or plain) gradient flow with positive cost.

Both constructions make every hidden neuron either active on all data points or inactive on all of them.
Then the network is affine on the data, **x**_p = A(θ) p + c(θ), and with the last layer chosen as the exact
(unweighted) least-squares fit of the targets on the hidden features, the residual r = **x** − **y** satisfies
the normal equations Σ_p r_p (p, 1)^T = 0 (active part) — which makes every component of ∇_θ C = κ D^T r vanish:
the hidden-layer components are W^T-images of Σ_p r_p p^T and Σ_p r_p, the output components Σ_p r_p (a_p, 1)^T.

Rank: D = ∂**x**/∂θ factors through (A, c), so rank D ≤ Q·rank[(p_i, 1)]_i =: Q r everywhere on the region.  If
rank D[θ*] = Q r (exact), the rank is constant near θ* (lower semicontinuity), so by the constant-rank theorem
the fibre **x**^{-1}(**x**[θ*]) is a submanifold of dimension K − rank D through θ*, and every point of it is an
equilibrium (D[θ]^T r = J_{(A,c)}^T (normal equations) = 0).  The ReLU rescaling of a hidden neuron (incoming
weights and bias × λ, outgoing weights / λ, λ > 0) is an explicit rational curve inside that set.
"""
from __future__ import annotations

import random

from flint import fmpq, fmpq_mat

from ..exact.linalg import checked_rank
from ..nets import jacobian as J
from ..nets.network import Network


def _lsq_last_layer(H: list[list[fmpq]], targets) -> tuple[fmpq_mat, fmpq_mat]:
    """Exact least squares A h + c ≈ y (unweighted) on features H (one list per point); any solution of the
    normal equations (free variables 0)."""
    m = len(H[0])
    Q = len(targets[0])
    Z = fmpq_mat(len(H), m + 1, [v for h in H for v in list(h) + [fmpq(1)]])
    Y = fmpq_mat(len(H), Q, [v for t in targets for v in t])
    G = Z.transpose() * Z
    R = Z.transpose() * Y
    aug = fmpq_mat(m + 1, m + 1 + Q)
    for i in range(m + 1):
        for j in range(m + 1):
            aug[i, j] = G[i, j]
        for j in range(Q):
            aug[i, m + 1 + j] = R[i, j]
    E, rank = aug.rref()
    X = fmpq_mat(m + 1, Q)
    for r in range(rank):
        piv = next(c for c in range(m + 1 + Q) if E[r, c] != 0)
        for j in range(Q):
            X[piv, j] = E[r, m + 1 + j]
    if G * X != R:
        raise ArithmeticError("normal equations not solved")
    A = fmpq_mat(Q, m, [X[a, q] for q in range(Q) for a in range(m)])
    c = fmpq_mat(Q, 1, [X[m, q] for q in range(Q)])
    return A, c


def identity_regime(data: J.FlowData, layers: int = 2) -> Network:
    """Deep-Theorem-2.4-type point: L hidden layers W_ℓ = I_M, b_ℓ = β u with β = 1 + max |p_k| (every
    pre-activation ≥ 1 > 0, so the hidden layers act as the identity plus a shift on the data), and the output
    layer the exact least-squares fit (free output bias)."""
    M = data.M
    beta = 1 + max(abs(v) for p in data.points for v in p)
    I = fmpq_mat(M, M, [fmpq(int(i == j)) for i in range(M) for j in range(M)])
    Ws = [I] * layers
    bs = [fmpq_mat(M, 1, [beta] * M)] * layers
    H = [[v + layers * beta for v in p] for p in data.points]
    A, c = _lsq_last_layer(H, data.targets)
    return Network(tuple(Ws) + (A,), tuple(bs) + (c,))


def lsq_features(data: J.FlowData, seed: int = 0, width: int | None = None) -> Network:
    """One hidden layer of random rational weights; the bias of each neuron puts it strictly on one side of
    all data (at least one active and one inactive neuron), then the least-squares output layer."""
    rng = random.Random(seed)
    M = data.M
    w = width or M + 2
    W = J.random_net(rng, [M, w, 1]).weights[0]
    b = fmpq_mat(w, 1)
    for k in range(w):
        vals = [sum((W[k, i] * p[i] for i in range(M)), fmpq(0)) for p in data.points]
        active = k != 0 and (k == 1 or rng.random() < 0.6)
        b[k, 0] = (1 - min(vals)) if active else (-1 - max(vals))
    H = [[max(sum((W[k, i] * p[i] for i in range(M)), fmpq(0)) + b[k, 0], fmpq(0)) for k in range(w)]
         for p in data.points]
    A, c = _lsq_last_layer(H, data.targets)
    return Network((W, A), (b, c))


def rescale(theta, dims, layer: int, neuron: int, lam: fmpq) -> list:
    """ReLU rescaling of hidden neuron ``neuron`` of hidden layer ``layer`` (0-based): incoming row and bias × λ,
    outgoing column / λ.  Leaves every output unchanged for λ > 0."""
    net = J.unflatten(theta, dims)
    Ws, bs = [fmpq_mat(W) for W in net.weights], [fmpq_mat(b) for b in net.biases]
    for j in range(Ws[layer].ncols()):
        Ws[layer][neuron, j] *= lam
    bs[layer][neuron, 0] *= lam
    for i in range(Ws[layer + 1].nrows()):
        Ws[layer + 1][i, neuron] /= lam
    return J.flatten(Network(tuple(Ws), tuple(bs)))


def feature_rank(data: J.FlowData) -> int:
    """rank of the N × (M+1) matrix with rows (p_i, 1)."""
    Z = fmpq_mat(data.N, data.M + 1, [v for p in data.points for v in list(p) + [fmpq(1)]])
    return checked_rank(Z)
