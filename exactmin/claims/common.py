"""Helpers shared by claim checks: serialisation of exact objects, deviations, random rational networks."""
from __future__ import annotations

import math
import random

import numpy as np
from flint import fmpq, fmpq_mat

from ..certify.certificate import Certificate
from ..exact.intmat import IntMat
from ..nets.network import Network


def s(q) -> str:
    """Canonical "p/q" string of an exact rational."""
    return str(q)


def mat_json(M: fmpq_mat) -> list[list[str]]:
    return [[str(M[i, j]) for j in range(M.ncols())] for i in range(M.nrows())]


def vec_json(v) -> list[str]:
    return [str(x) for x in v]


def net_json(net: Network) -> dict:
    return {"weights": [mat_json(W) for W in net.weights], "biases": [[str(b[i, 0]) for i in range(b.nrows())]
                                                                        for b in net.biases]}


def new_certificate(claim_id: str, inst) -> Certificate:
    """A blank certificate for ``inst`` (None for an instance-free claim: ``instance_sha256`` is null)."""
    if inst is None:
        return Certificate(claim=claim_id, instance_sha256=None, instance_name="")
    return Certificate(claim=claim_id, instance_sha256=inst.sha256, instance_name=inst.name)


def data_matrix(inst) -> IntMat:
    return IntMat(inst.X0_num, inst.X0_den)


def deviations(inst) -> IntMat:
    """ΔX_0 (columns Δx_{0,j,i} = x_{0,j,i} − x̄_{0,j}) exactly, over the denominator d·lcm(N_j)."""
    d = inst.X0_den
    Lc = 1
    for n in inst.sizes:
        Lc = math.lcm(Lc, n)
    num = np.empty(inst.X0_num.shape, dtype=object)
    for j, n in enumerate(inst.sizes):
        sl = inst.class_slice(j)
        block = inst.X0_num[:, sl].astype(object)
        tot = block.sum(axis=1).reshape(-1, 1)
        num[:, sl] = (block * n - tot) * (Lc // n)
    return IntMat(num, d * Lc).reduced()


def random_rational_matrix(rng: random.Random, m: int, n: int, scale: int = 8, den: int = 4) -> fmpq_mat:
    return fmpq_mat(m, n, [fmpq(rng.randint(-scale, scale), den) for _ in range(m * n)])


def random_invertible(rng: random.Random, n: int) -> fmpq_mat:
    while True:
        W = random_rational_matrix(rng, n, n)
        if W.det() != 0:
            return W


def random_network(rng: random.Random, X: IntMat, L: int, out_dim: int) -> Network:
    """A random rational network with invertible square hidden layers whose biases put the threshold
    through the data (b_ℓ = −W_ℓ x for a data column x of that layer, plus a small offset), so that the
    hidden pre-activations take both signs and the identities under test are not vacuous."""
    Q = X.shape[0]
    weights, biases = [], []
    cur = X
    from ..exact.intmat import affine
    for _ in range(L):
        W = random_invertible(rng, Q)
        col = cur.column(rng.randrange(cur.shape[1]))
        b = -(W * fmpq_mat(Q, 1, col))
        for i in range(Q):
            b[i, 0] += fmpq(rng.randint(-2, 2), 8)
        weights.append(W), biases.append(b)
        cur = affine(W, b, cur).relu()
    weights.append(random_rational_matrix(rng, out_dim, Q))
    biases.append(random_rational_matrix(rng, out_dim, 1))
    return Network(tuple(weights), tuple(biases))
