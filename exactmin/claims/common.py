"""Helpers shared by claim checks: serialisation of exact objects, random rational networks.

``data_matrix`` and ``deviations`` live in :mod:`exactmin.data.stats` and are re-exported here.
"""
from __future__ import annotations

import random

from flint import fmpq, fmpq_mat

from ..certify.certificate import Certificate
from ..data.stats import data_matrix, deviations  # noqa: F401  (re-exported for the claim modules)
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
