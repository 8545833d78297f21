"""Exact maximum squared column norm of a large integer matrix, by a certified float filter.

For integer columns d_i (|entries| < 2^53, so float64 holds them exactly) the float sum of squares
s̃_i = fl(Σ_k d_ki²) satisfies |s̃_i − s_i| ≤ γ_M s_i (all terms nonnegative; Higham, *Accuracy and Stability*,
§3.1 and Lemma 3.1, γ_M = M u/(1 − M u), u = 2^-53, one rounding per square and M − 1 per sum), so every
column attaining the exact max s* satisfies s̃_i ≥ (1 − γ_M) s* ≥ s̃_max (1 − γ_M)/(1 + γ_M).  Only columns
above that threshold (lowered further by a factor 1 − 4u for evaluating it in floats) are summed exactly.
"""
from __future__ import annotations

import numpy as np

U = 2.0 ** -53


def max_sq_column(D: np.ndarray) -> tuple[int, int] | None:
    """(max_i Σ_k D[k, i]², first arg-max i) exactly for an int64 matrix with |entries| < 2^53; None when the
    float filter does not apply (then the caller computes exactly)."""
    M, n = D.shape
    if n == 0 or D.dtype != np.int64 or M * U >= 0.01:
        return None
    if max(abs(int(D.max())), abs(int(D.min()))) >= 2**53:
        return None
    Df = D.astype(np.float64)
    s = np.einsum("ki,ki->i", Df, Df)
    smax = float(s.max())
    g = M * U / (1 - M * U)
    thr = smax * (1 - g) / (1 + g) * (1 - 4 * U)
    cand = np.flatnonzero(s >= thr)
    best, arg = -1, -1
    for i in cand.tolist():
        v = sum(int(x) * int(x) for x in D[:, i].tolist())
        if v > best:
            best, arg = v, i
    return best, arg
