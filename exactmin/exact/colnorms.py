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
    return _exact_max(np.flatnonzero(s >= thr), lambda i: sum(int(x) * int(x) for x in D[:, i].tolist()))


def _exact_max(cand: np.ndarray, value) -> tuple[int, int]:
    """(max value(i), first arg-max i) over the candidate columns (ascending), exactly: every column attaining the
    max is a candidate, so the first among them is the first overall."""
    best, arg = -1, -1
    for i in cand.tolist():
        v = value(i)
        if v > best:
            best, arg = v, i
    return best, arg


#: more candidate columns than this: the filter gives up (equal-norm data) and the caller computes exactly
MAX_CANDIDATES = 4096
_TINY = 2.0 ** -1000


def max_sq_deviation(C: np.ndarray, S: list[int], n: int) -> tuple[int, int] | None:
    """(max_i |n·c_i − S|², first arg-max i) exactly, for integer columns c_i of C (int64 or Python ints of any
    size, e.g. data written from floats over a common denominator 10^20) and the integer vector S; None when the
    filter does not decide (the caller then squares every column exactly).

    Floats (u = 2^-53; every value scaled by σ = 2^-f, exactly, so that they are O(2^62)): x̃ = fl(cσ) and
    s̃ = fl(Sσ) are correctly rounded, t = fl(n x̃), d̃ = fl(t − s̃).  Then
    |d̃ − (nc − S)σ| ≤ u|t − s̃| + |t − ncσ| + |s̃ − Sσ| ≤ u(|t| + |s̃|) + 2.01u|t| + 1.01u|s̃| ≤ e := 4u(|t| + |s̃|)
    (the slack covers evaluating e in floats; a subnormal difference is exact, and every nonzero input is checked to
    be normal).  Per column, ℓ̃ = fl Σ_k max(|d̃_k| − e_k, 0)² and ũ = fl Σ_k (|d̃_k| + e_k)² bound the exact
    square from below and above up to the factor 1 ± g, g = γ_{M+4} (M nonnegative terms: one rounding for the
    ±, one per square, M − 1 per sum; Higham, §3.1).  A column attaining the exact max s* has
    ũ (1 + g) ≥ s* ≥ max ℓ̃ (1 − g), so only columns with ũ ≥ max ℓ̃ (1 − g)/(1 + g)(1 − 4u) are squared exactly."""
    from .certsign import column_exponent, float_columns
    M, N = C.shape
    if N == 0 or (M + 4) * U >= 0.01:
        return None
    f = column_exponent(C)
    if f > 900:
        return None
    Xf, ok = float_columns(C, f)
    sf = np.array([int(v) / (1 << f) for v in S])              # correctly rounded (Python int / int)
    if not ok or not np.isfinite(sf).all() or any(v != 0 and abs(w) < _TINY for v, w in zip(S, sf)):
        return None
    t = Xf * float(n)
    d = t - sf[:, None]
    e = 4 * U * (np.abs(t) + np.abs(sf)[:, None])
    ad = np.abs(d)
    lo = np.einsum("ki,ki->i", *(2 * [np.maximum(ad - e, 0.0)]))
    up = np.einsum("ki,ki->i", *(2 * [ad + e]))
    if not (np.isfinite(up).all()):
        return None
    g = (M + 4) * U / (1 - (M + 4) * U)
    thr = float(lo.max()) * (1 - g) / (1 + g) * (1 - 4 * U)
    cand = np.flatnonzero(up >= thr)
    if cand.size > MAX_CANDIDATES:
        return None
    Sc = [int(v) for v in S]
    return _exact_max(cand, lambda i: sum((n * int(x) - s) ** 2 for x, s in zip(C[:, i].tolist(), Sc)))
