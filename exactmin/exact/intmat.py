"""Rational data matrices as integer numerators over one common positive denominator.

A data matrix X ∈ Q^{m×N} (N up to 10^6 points) is stored as ``IntMat(num, den)`` with ``X = num / den``,
``num`` a NumPy array of integers and ``den > 0`` a Python int.  Every operation is exact:

* ``num`` has dtype int64 only when a bit-length bound proves that the next operation cannot overflow
  (``_fits_int64``); otherwise dtype object holding Python ints (arbitrary precision).
* Signs are decided on numerators (the denominator is positive), so ReLU is ``max(num, 0)``.

Small parameter matrices (Q×Q weights, biases) stay ``flint.fmpq_mat``; ``affine`` brings them to a
common denominator once per layer.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from flint import fmpq, fmpq_mat

INT64_LIMIT = 2**62  # headroom below 2**63 for one addition


def _max_abs(a: np.ndarray) -> int:
    if a.size == 0:
        return 0
    return int(max(abs(int(a.max())), abs(int(a.min()))))


def _to_object(a: np.ndarray) -> np.ndarray:
    return a if a.dtype == object else a.astype(object)


def _maybe_int64(a: np.ndarray) -> np.ndarray:
    """Narrow an object array to int64 when every entry provably fits."""
    if a.dtype != object or a.size == 0:
        return a
    if _max_abs(a) < INT64_LIMIT:
        return a.astype(np.int64)
    return a


def fmpq_mat_to_int(M: fmpq_mat) -> tuple[np.ndarray, int]:
    """Return (numerators as object array, common denominator d > 0) with M = num / d exactly."""
    m, n = M.nrows(), M.ncols()
    entries = [M[i, j] for i in range(m) for j in range(n)]
    d = 1
    for q in entries:
        d = math.lcm(d, int(q.q))
    num = np.array([int(q.p) * (d // int(q.q)) for q in entries], dtype=object).reshape(m, n)
    return num, d


@dataclass(frozen=True)
class IntMat:
    """X = num / den exactly; num: (m, N) integer array, den: positive int."""

    num: np.ndarray
    den: int

    def __post_init__(self):
        if self.den <= 0:
            raise ValueError("IntMat denominator must be positive")

    @property
    def shape(self) -> tuple[int, int]:
        return self.num.shape

    @staticmethod
    def from_fmpq_mat(M: fmpq_mat) -> "IntMat":
        num, d = fmpq_mat_to_int(M)
        return IntMat(_maybe_int64(num), d)

    def to_fmpq_mat(self) -> fmpq_mat:
        m, n = self.num.shape
        d = self.den
        return fmpq_mat(m, n, [fmpq(int(v), d) for v in self.num.reshape(-1)])

    def column(self, k: int) -> list[fmpq]:
        return [fmpq(int(v), self.den) for v in self.num[:, k]]

    def reduced(self) -> "IntMat":
        """Divide numerators and denominator by their gcd (keeps numbers small across layers)."""
        g = self.den
        flat = self.num.reshape(-1)
        if flat.size:
            if flat.dtype == object:
                g = _gcd_upto_one(g, flat)
            else:
                g = math.gcd(g, int(np.gcd.reduce(flat)))
        if g <= 1:
            return self
        if self.num.dtype == object or g >= INT64_LIMIT:  # int64 // g would overflow (e.g. all numerators 0)
            return IntMat(_maybe_int64(self.num.astype(object) // g), self.den // g)
        return IntMat(self.num // g, self.den // g)

    def relu(self) -> "IntMat":
        """σ applied entrywise: sign decided exactly on the numerator (den > 0)."""
        return IntMat(np.maximum(self.num, 0), self.den)

    def sign(self) -> np.ndarray:
        """Exact signs (-1/0/1) of every entry, as an int8 array."""
        return np.sign(self.num).astype(np.int8)

    def equals_columns(self, col: list[fmpq], cols: slice) -> bool:
        """True iff every column in the slice equals the rational vector ``col`` exactly."""
        block = _to_object(self.num[:, cols])
        # num / den == p / q  <=>  num * q == p * den  (integers)
        return all(bool(np.all(block[r] * int(q.q) == int(q.p) * self.den)) for r, q in enumerate(col))


def _gcd_upto_one(g: int, flat: np.ndarray) -> int:
    """gcd(g, entries), stopping as soon as it is 1 (big Python ints: most reductions end after a few entries)."""
    for v in flat:
        if g == 1:
            break
        g = math.gcd(g, int(v))
    return g


def _fits_int64(max_w: int, max_x: int, k: int, extra: int) -> bool:
    return max_w * max_x * k + extra < INT64_LIMIT


def affine(W: fmpq_mat, b: fmpq_mat | None, X: IntMat) -> IntMat:
    """Exact W X + b u_N^T (the pre-activation of a layer), as an IntMat.

    With W = Wn/dW, b = bn/db, X = Xn/dX:  W X + B = (db·Wn·Xn + dW·dX·bn u^T) / (dW·dX·db).
    Uses int64 matrix products when the bound max|Wn|·max|Xn|·k·db + |bn|·dW·dX < 2^62 proves no
    overflow, Python-int object arrays otherwise.
    """
    Wn, dW = fmpq_mat_to_int(W)
    if b is None:
        bn, db = np.zeros((W.nrows(), 1), dtype=object), 1
    else:
        bn, db = fmpq_mat_to_int(b)
    Xn, dX = X.num, X.den
    k = Xn.shape[0]
    mw, mx, mb = _max_abs(Wn), _max_abs(Xn), _max_abs(bn)
    extra = mb * dW * dX
    # every factor must itself fit int64 (a zero data block makes the product bound 0 whatever the weights)
    scalars_fit = max(mw, mb, db, dW * dX) < INT64_LIMIT
    if Xn.dtype != object and scalars_fit and _fits_int64(mw * db, mx, max(k, 1), extra):
        prod = Wn.astype(np.int64) @ Xn.astype(np.int64)
        num = prod * db + (bn.astype(np.int64) * (dW * dX))
    else:
        prod = Wn.astype(object) @ _to_object(Xn) if k else np.zeros((W.nrows(), Xn.shape[1]), dtype=object)
        num = prod * db + bn * (dW * dX)
        num = _maybe_int64(num)
    return IntMat(num, dW * dX * db).reduced()
