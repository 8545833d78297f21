"""Networks whose activation pattern is constant on the data: one certified pass, then Q×Q exact algebra.

Many claims (deep Thm 2.4, shallow Thm 3.2 and the upper-bound construction) evaluate networks whose every
hidden unit is either active on EVERY data point or inactive on every data point.  Then the network is affine on
the data, x ↦ A_out x + c_out, and everything the claims need follows from two kinds of exact quantities:

* the per-row exact extremes of the effective affine pre-activation maps over all points (certified float filter
  with exact fallback, :func:`exactmin.exact.certsign.row_extremes_multi`), which decide the pattern and give
  min |pre-activation| exactly;
* per-class integer sufficient statistics of the data (column sums s_j and Gram matrices C_j of the integer
  numerators over the common denominator d, accumulated in int64 blocks proved not to overflow), from which the
  exact weighted cost (2.36) of any affine output is
      Σ_j (1/N_j) Σ_i |A x + c − y_j|² = Σ_j [ Tr(A C_j A^T)/(d² N_j) + 2 (c − y_j)^T A s_j/(d N_j) + |c − y_j|² ].

Pattern, by induction over the layers (exact; nothing is assumed): the first pre-activation is the affine map
(W_1, b_1) of the input.  If every row r of the ℓ-th effective map (E_ℓ, e_ℓ) has exact minimum ≥ 0 over the data
(σ acts as the identity on that row) or exact maximum ≤ 0 (σ returns 0), then σ(E_ℓ x + e_ℓ) = D_ℓ(E_ℓ x + e_ℓ)
with the 0/1 diagonal D_ℓ, for EVERY data point, and the next pre-activation is again affine:
E_{ℓ+1} = W_{ℓ+1} D_ℓ E_ℓ, e_{ℓ+1} = W_{ℓ+1} D_ℓ e_ℓ + b_{ℓ+1}.  When a row takes both signs the pattern is not
constant and :func:`constant_pattern` returns None: callers then take their reference path (every point through
every layer exactly).  Results are exact rationals, identical to the reference path's.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from flint import fmpq, fmpq_mat

from ..exact.certsign import ExactAffine, row_extremes_multi
from ..exact.intmat import INT64_LIMIT, IntMat, _max_abs, fmpq_mat_to_int
from ..exact.limbs import SHIFT, Limbs
from ..data.stats import numerators
from .cost import class_slices

ENABLED = True     # tests switch the fast paths off to compare with the reference path


@dataclass(frozen=True)
class Pattern:
    """A constant activation pattern of a network on the data."""

    maps: list            # [(E_ℓ, e_ℓ)] effective pre-activation maps of the hidden layers (fmpq_mat)
    lo: list              # per hidden layer: exact row minima over the data (fmpq lists)
    hi: list              # per hidden layer: exact row maxima
    active: list          # per hidden layer: list of bools (row active on every point)
    A_out: fmpq_mat       # network output = A_out x + c_out on every data point
    c_out: fmpq_mat

    def all_active(self) -> bool:
        return all(all(a) for a in self.active)

    def strict(self) -> bool:
        """Every hidden pre-activation is nonzero on every data point."""
        return self.min_abs() > 0

    def min_abs(self) -> fmpq:
        """min |pre-activation| over all hidden layers, rows and points (exact)."""
        best = None
        for lo, hi, act in zip(self.lo, self.hi, self.active):
            for a, b, on in zip(lo, hi, act):
                v = a if on else -b
                best = v if best is None or v < best else best
        return best


# Caches for ONE data array at a time (the one the current check works on): a new array empties them, so no
# instance's data is kept alive after the next one is seen.  Keys hold the exact maps as text.
_EXT_CACHE: dict = {}
_STATS_CACHE: dict = {}
_OWNER: list = [None]


def _own(num) -> None:
    if _OWNER[0] is not num:
        _EXT_CACHE.clear()
        _STATS_CACHE.clear()
        _OWNER[0] = num


def _extremes(X: IntMat, E: fmpq_mat, e: fmpq_mat):
    """Exact (row minima, row maxima) of E x + e over the columns of X (cached per data matrix and map)."""
    if X.shape[1] == 0:
        raise ValueError("empty data matrix")
    _own(numerators(X))
    k = (X.den, str(E), str(e))
    hit = _EXT_CACHE.get(k)
    if hit is not None:
        return hit
    res = row_extremes_multi([ExactAffine(E, e)], numerators(X), X.den)[0]
    if len(_EXT_CACHE) > 256:
        _EXT_CACHE.clear()
    _EXT_CACHE[k] = res
    return res


def _prefetch_all_active(net, X: IntMat) -> None:
    """Speculation only (no decision): the hidden maps the network has if every unit is active (its cumulative
    maps (2.43)) get their exact extremes in ONE pass over the data (one float conversion per block for all
    layers).  :func:`constant_pattern` then finds them in the cache when the pattern is indeed all-active, and
    computes any other map it needs itself."""
    _own(numerators(X))
    E = e = None
    todo = []
    for W, b in zip(net.weights[:-1], net.biases[:-1]):
        E, e = (W, b) if E is None else (W * E, W * e + b)
        k = (X.den, str(E), str(e))
        if k not in _EXT_CACHE and k not in (t[0] for t in todo):
            todo.append((k, E, e))
    if len(todo) > 1:
        res = row_extremes_multi([ExactAffine(E_, e_) for _, E_, e_ in todo], numerators(X), X.den)
        for (k, _, _), r in zip(todo, res):
            _EXT_CACHE[k] = r


def row_extremes(X: IntMat, E: fmpq_mat, e: fmpq_mat):
    """Exact (row minima, row maxima) of E x + e over the columns of X (fmpq lists)."""
    return _extremes(X, E, e)


def constant_pattern(net, X: IntMat) -> Pattern | None:
    """The constant activation pattern of ``net`` on the columns of X, or None (module docstring)."""
    if not ENABLED or X.shape[1] == 0:
        return None
    n = net.weights[0].ncols()
    _prefetch_all_active(net, X)
    E, e = None, None
    maps, los, his, acts = [], [], [], []
    for ell, (W, b) in enumerate(zip(net.weights, net.biases)):
        if E is None:
            E, e = W, b
        else:
            E, e = W * E, W * e + b
        if ell == len(net.weights) - 1:
            return Pattern(maps, los, his, acts, E, e)
        lo, hi = _extremes(X, E, e)
        act = []
        for a, c in zip(lo, hi):
            if a >= 0:
                act.append(True)
            elif c <= 0:
                act.append(False)
            else:
                return None
        maps.append((E, e))
        los.append(lo), his.append(hi), acts.append(act)
        m = E.nrows()
        D = fmpq_mat(m, m)
        for r, on in enumerate(act):
            if on:
                D[r, r] = 1
        E, e = D * E, D * e
    raise AssertionError(n)   # unreachable: the loop returns at the output layer


# ------------------------------------------------------------------------------------------------ statistics

@dataclass(frozen=True)
class ClassStats:
    """Per class j: s_j = Σ_i xn (Python ints) and C_j = Σ_i xn xn^T (Python-int object array), X = xn / den."""

    den: int
    sums: list
    grams: list
    sizes: tuple


def _int_sum_gram(B) -> tuple[list, np.ndarray]:
    """(Σ columns, B B^T) exactly: int64 blocks whose size is proved overflow-free, summed as Python ints."""
    m, n = B.shape
    if n == 0:
        return [0] * m, np.zeros((m, m), dtype=object)
    if isinstance(B, Limbs):
        return _pieces_sum_gram(_limb_pieces(B), m, n)
    mx = _max_abs(B)
    if B.dtype == object or mx * mx >= INT64_LIMIT:
        return _limb_sum_gram(B, mx)
    step = n if mx == 0 else max(1, min(n, INT64_LIMIT // (mx * mx)))
    s = [0] * m
    G = np.zeros((m, m), dtype=object)
    for a in range(0, n, step):
        blk = B[:, a:a + step].astype(np.int64, copy=False)
        G = G + (blk @ blk.T).astype(object)            # each entry ≤ mx² · step < 2^62
        s = [u + int(v) for u, v in zip(s, blk.sum(axis=1))]
    return s, G


LIMB = 21          # bits per limb: limb products < 2^42, so int64 blocks of up to 2^20 columns cannot overflow


def _limb_sum_gram(B: np.ndarray, mx: int) -> tuple[list, np.ndarray]:
    """(Σ columns, B B^T) for numerators beyond the int64 product bound (e.g. data written from floats, common
    denominator 10^22): B = S ∘ Σ_t L_t 2^(21 t) with S the signs and L_t the 21-bit limbs of |B| (int64), so
    B B^T = Σ_{a,b} (S∘L_a)(S∘L_b)^T 2^(21(a+b)) (:func:`_pieces_sum_gram`).  Exact."""
    m, n = B.shape
    Bo = B.astype(object)
    t = max(1, -(-mx.bit_length() // LIMB))
    if t > 8:                                   # very long integers: Python-int products are the better deal
        return [int(v) for v in Bo.sum(axis=1)], Bo @ Bo.T
    sg = np.sign(Bo).astype(np.int64)
    A = np.abs(Bo)
    mask = (1 << LIMB) - 1
    pieces = []
    for a in range(t):
        L = ((A >> (LIMB * a)) & mask).astype(np.int64) if a else (A & mask).astype(np.int64)
        pieces.append((L * sg, LIMB * a))
    return _pieces_sum_gram(pieces, m, n)


def _limb_pieces(B: Limbs) -> list:
    """B = hi·2^31 + lo (:class:`Limbs`) as Σ_t P_t 2^(w_t) with |P_t| < 2^21 (int64): lo's two pieces (in
    [0, 2^21) and [0, 2^10)) at weights 0, 21 and hi's three at 31, 52, 73 (the top one signed: |hi| < 2^62)."""
    mask = (1 << LIMB) - 1
    hi, lo = B.hi, B.lo
    return [(lo & mask, 0), (lo >> LIMB, LIMB), (hi & mask, SHIFT), ((hi >> LIMB) & mask, SHIFT + LIMB),
            (hi >> 2 * LIMB, SHIFT + 2 * LIMB)]


#: columns per float64 block of :func:`_pieces_sum_gram`: 2^11 products of pieces < 2^21 sum to < 2^53
_FBLOCK = 1 << 11
_FLUSH = 1 << 9     # blocks summed in int64 before they go to Python ints: 2^9 · 2^53 < 2^63


def _pieces_sum_gram(pieces: list, m: int, n: int) -> tuple[list, np.ndarray]:
    """(Σ columns, B B^T) of B = Σ_t P_t 2^(w_t) from pieces (P_t, w_t), |P_t| < 2^21: B B^T = Σ_{a,b} P_a P_b^T
    2^(w_a + w_b).  All P_a P_b^T come from ONE float64 product per block of 2^11 columns of the stacked pieces:
    every product of two pieces is an integer below 2^42 and every partial sum below 2^11 · 2^42 = 2^53, so each
    float operation is exact whatever the summation order or FMA use; the blocks are summed in int64 (flushed to
    Python ints every 2^9 blocks, < 2^62) and combined with the weights as Python ints.  Exact."""
    k = len(pieces)
    acc = np.zeros((k * m, k * m), dtype=np.int64)
    tot = np.zeros((k * m, k * m), dtype=object)
    sums = np.zeros(k * m, dtype=object)
    for i, c0 in enumerate(range(0, n, _FBLOCK)):
        S = np.concatenate([P[:, c0:c0 + _FBLOCK] for P, _ in pieces])          # (k m) × block, int64
        sums += S.sum(axis=1).astype(object)
        F = S.astype(np.float64)
        acc += (F @ F.T).astype(np.int64)
        if i % _FLUSH == _FLUSH - 1:
            tot += acc.astype(object)
            acc[:] = 0
    tot += acc.astype(object)
    w = [wt for _, wt in pieces]
    s = [sum(int(sums[a * m + r]) << w[a] for a in range(k)) for r in range(m)]
    G = np.zeros((m, m), dtype=object)
    for a in range(k):
        for b in range(k):
            G = G + tot[a * m:(a + 1) * m, b * m:(b + 1) * m] * (1 << (w[a] + w[b]))
    return s, G


def class_stats(X: IntMat, sizes) -> ClassStats:
    """Per-class integer statistics of X (one pass in int64 blocks; cached for the current data array)."""
    _own(numerators(X))
    k = (X.den, tuple(sizes))
    hit = _STATS_CACHE.get(k)
    if hit is not None:
        return hit
    sums, grams = [], []
    for sl in class_slices(sizes):
        s, G = _int_sum_gram(numerators(X)[:, sl])
        sums.append(s), grams.append(G)
    st = ClassStats(X.den, sums, grams, tuple(sizes))
    _STATS_CACHE[k] = st
    return st


def affine_cost(st: ClassStats, A: fmpq_mat, c: fmpq_mat, Y: fmpq_mat) -> fmpq:
    """Exact Σ_j (1/N_j) Σ_i |A x_{j,i} + c − y_j|² from the class statistics (module docstring)."""
    An, dA = fmpq_mat_to_int(A)
    q = An.shape[1]
    d = st.den
    total = fmpq(0)
    for j, (s, C, n) in enumerate(zip(st.sums, st.grams, st.sizes)):
        if n == 0:
            continue
        AC = An @ C                                           # Python ints
        quad = sum(int(AC[r, a]) * int(An[r, a]) for r in range(An.shape[0]) for a in range(q))
        As = [sum(int(An[r, a]) * s[a] for a in range(q)) for r in range(An.shape[0])]
        u = [c[r, 0] - Y[r, j] for r in range(An.shape[0])]
        lin = sum((u[r] * As[r] for r in range(len(u))), fmpq(0))
        total += fmpq(quad, dA * dA * d * d * n) + 2 * lin / (dA * d * n) + sum((v * v for v in u), fmpq(0))
    return total


def network_cost(net, X: IntMat, Y: fmpq_mat, sizes) -> fmpq | None:
    """Exact weighted cost (2.36) of ``net`` on X when its pattern is constant on the data, else None."""
    p = constant_pattern(net, X)
    if p is None:
        return None
    return affine_cost(class_stats(X, sizes), p.A_out, p.c_out, Y)
