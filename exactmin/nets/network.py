"""ReLU networks with exact rational parameters: layer and cumulative parameters, forward pass.

Notation of arXiv:2309.10639 (deep paper), Section 2:

* layers x^{(ℓ)} = σ(W_ℓ x^{(ℓ−1)} + b_ℓ) for ℓ = 1..L, output x^{(L+1)} = W_{L+1} x^{(L)} + b_{L+1};
* cumulative parameters (2.43): W^{(ℓ)} = W_ℓ W^{(ℓ−1)}, b^{(ℓ)} = W_ℓ b^{(ℓ−1)} + b_ℓ, W^{(0)} = I, b^{(0)} = 0;
* their inverse (2.45): W_ℓ = W^{(ℓ)} (W^{(ℓ−1)})^{-1}, b_ℓ = b^{(ℓ)} − W_ℓ b^{(ℓ−1)}.

Hidden weights are square Q×Q (invertible when cumulative parameters are used); the output layer may be
rectangular (out_dim × Q).  Biases are column vectors (fmpq_mat with one column).
"""
from __future__ import annotations

from dataclasses import dataclass

from flint import fmpq_mat

from ..exact.intmat import IntMat, affine
from ..exact.linalg import identity


@dataclass(frozen=True)
class Network:
    """Layer parameters (W_1, b_1), …, (W_{L+1}, b_{L+1}); the last pair is the affine output layer."""

    weights: tuple[fmpq_mat, ...]
    biases: tuple[fmpq_mat, ...]

    def __post_init__(self):
        if len(self.weights) != len(self.biases) or not self.weights:
            raise ValueError("a network needs matching, non-empty weight and bias lists")
        width = self.weights[0].ncols()
        for W, b in zip(self.weights, self.biases):
            if W.ncols() != width or b.nrows() != W.nrows() or b.ncols() != 1:
                raise ValueError("inconsistent layer shapes")
            width = W.nrows()

    @property
    def L(self) -> int:
        """Number of hidden (ReLU) layers."""
        return len(self.weights) - 1

    def forward_hidden(self, X: IntMat) -> list[IntMat]:
        """Exact hidden activations [X^{(1)}, …, X^{(L)}] with X^{(ℓ)} = σ(W_ℓ X^{(ℓ−1)} + B_ℓ)."""
        out = []
        for W, b in zip(self.weights[:-1], self.biases[:-1]):
            X = affine(W, b, X).relu()
            out.append(X)
        return out

    def forward(self, X: IntMat) -> IntMat:
        """Exact network output X^{(L+1)} (no activation on the last layer)."""
        hidden = self.forward_hidden(X)
        last = hidden[-1] if hidden else X
        return affine(self.weights[-1], self.biases[-1], last)


def to_cumulative(net: Network) -> tuple[list[fmpq_mat], list[fmpq_mat]]:
    """Cumulative parameters (2.43): lists [W^{(1)}, …, W^{(L+1)}], [b^{(1)}, …, b^{(L+1)}]."""
    Wc, bc = [], []
    Wprev, bprev = None, None
    for W, b in zip(net.weights, net.biases):
        if Wprev is None:
            Wcur, bcur = W, b
        else:
            Wcur, bcur = W * Wprev, W * bprev + b
        Wc.append(Wcur)
        bc.append(bcur)
        Wprev, bprev = Wcur, bcur
    return Wc, bc


def from_cumulative(Wc: list[fmpq_mat], bc: list[fmpq_mat]) -> Network:
    """Layer parameters from cumulative ones by (2.45); every W^{(ℓ)} but the last must be invertible."""
    weights, biases = [], []
    n = Wc[0].ncols()
    Wprev, bprev = identity(n), fmpq_mat(n, 1)
    for Wcur, bcur in zip(Wc, bc):
        W = Wcur * Wprev.inv()
        weights.append(W)
        biases.append(bcur - W * bprev)
        Wprev, bprev = Wcur, bcur
    return Network(tuple(weights), tuple(biases))
