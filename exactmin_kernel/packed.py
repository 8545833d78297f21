"""Exact row extremes of integer points by packed integers (standard library only): the points' columns become
big integers with one B-bit field per point, so that a row's values over all points come from a few big-integer
operations (sums, products by the row's entries, masks) instead of one Python dot product per point.  Used by the
(2.59) route of deep.thm2.3 (statements/deep_thm2_3_family.py); tests/test_packed.py compares it with per-point
dot products."""
import sys
from array import array
from itertools import chain, repeat
from operator import mul, sub

from .interp import CapError


_FLIP = bytes(b ^ 0x80 for b in range(256))


def _ones(n, w):
    """sum_p 2^(8 w p), p < n: a 1 at the start of each of n fields of w bytes."""
    buf = bytearray(n * w)
    buf[0::w] = b"\x01" * n
    return int.from_bytes(buf, "little")


def _field_max(G, n, B, ones):
    """max_p g_p for G = sum_p g_p 2^(B p), 0 <= g_p < 2^(B-1) (B-bit fields; ``ones`` has n or more fields).
    Halving rounds: a = the low h fields, b = the rest (a zero field added when n is odd: g_p >= 0 keeps the max);
    a_p + 2^(B-1) - b_p lies in (0, 2^B), so no field borrows, and its top bit is 1 iff a_p >= b_p; the mask of
    those fields, s (2^B - 1), selects a_p there and b_p elsewhere."""
    while n > 1:
        h = (n + 1) // 2
        low = (1 << (B * h)) - 1
        a, b, one = G & low, G >> (B * h), ones & low
        s = (((a | one << (B - 1)) - b) >> (B - 1)) & one
        m = (s << B) - s
        G, n = (a & m) | (b & (low ^ m)), h
    return G


def pack(X, abs_row_sum):
    """The integer points X (int64 coordinates; else None) packed for :func:`packed_extremes` of rows whose absolute
    sums are at most ``abs_row_sum``: column i as C_i = sum_p (x_pi + 2^63) 2^(B p) (its int64 bytes placed in
    B-bit fields, the sign bit flipped), B >= 64 and 2^(B-2) > 2 abs_row_sum max |x|.  (B, columns, ones, max |x|)."""
    try:
        raw = array("q", chain.from_iterable(X))
    except OverflowError:
        return None
    if sys.byteorder == "big":
        raw.byteswap()
    n, M, mx = len(X), len(X[0]), max(max(raw), -min(raw), 1)
    B = 8 * max(8, -(-(2 * abs_row_sum * mx).bit_length() // 8)) + 16
    w, data = B // 8, raw.tobytes()
    cols = []
    for i in range(M):
        buf = bytearray(n * w)
        for j in range(8):
            buf[j::w] = data[8 * i + j::8 * M] if j < 7 else data[8 * i + 7::8 * M].translate(_FLIP)
        cols.append(int.from_bytes(buf, "little"))
    return B, cols, _ones(n, w), mx, n


def _digits(r, pk, c=0):
    """(G, beta): G = sum_i r_i C_i + (beta + c - 2^63 sum_i r_i) ones = sum_p (r x_p + c + beta) 2^(B p) over the
    points packed by :func:`pack`, beta = sum_i |r_i| max |x| + |c| >= |r x_p + c|, so every field lies in
    [0, 2 beta] < 2^(B-2) (else CapError): G's base-2^B digits are the values shifted by beta."""
    B, cols, ones, mx, _ = pk
    beta = sum(map(abs, r)) * mx + abs(c)
    if (2 * beta).bit_length() > B - 2:
        raise CapError("a row exceeds the packing's bound")
    return sum(a * C for a, C in zip(r, cols) if a) + (beta + c - (sum(r) << 63)) * ones, beta


def packed_extremes(Wn, pk):
    """((min_p Wn_r x_p)_r, (max_p Wn_r x_p)_r), exactly, over the points packed by :func:`pack` (every row's
    absolute sum within its bound): G_r = sum_i Wn_ri C_i + (beta_r - 2^63 sum_i Wn_ri) ones = sum_p (Wn_r x_p +
    beta_r) 2^(B p), where beta_r = sum_i |Wn_ri| max |x| bounds |Wn_r x_p|, so every field lies in [0, 2 beta_r] <
    2^(B-2): these are G_r's base-2^B digits (:func:`_field_max`)."""
    B, cols, ones, mx, n = pk
    K, lo, hi = (1 << (B - 1)) - 1, [], []
    for r in Wn:
        G, beta = _digits(r, pk)
        hi.append(_field_max(G, n, B, ones) - beta)
        lo.append(K - _field_max(K * ones - G, n, B, ones) - beta)
    return tuple(lo), tuple(hi)


def values(Wn, pk, c=None):
    """Per row r of Wn, the exact values [Wn_r x_p + c_r for every point p packed by :func:`pack`] (c: integer
    offsets, default 0): the base-2^B digits of :func:`_digits` read back one field per point, minus beta_r."""
    B, n = pk[0], pk[4]
    w, out = B // 8, []
    for r, cr in zip(Wn, c or [0] * len(Wn)):
        G, beta = _digits(r, pk, cr)
        buf = G.to_bytes(n * w, "little")
        if (2 * beta).bit_length() < 64:         # every field < 2^63: its low 8 bytes, gathered into int64s
            raw = bytearray(8 * n)
            for j in range(8):
                raw[j::8] = buf[j::w]
            a = array("q", raw)
            if sys.byteorder == "big":
                a.byteswap()
            out.append(list(map(sub, a, repeat(beta, n))))
        else:
            view = memoryview(buf)
            out.append([int.from_bytes(view[i:i + w], "little") - beta for i in range(0, n * w, w)])
    return out


def row_extremes(Wn, X):
    """Exact (row minima, row maxima) of Wn x over the integer points X, packed (None outside int64)."""
    pk = pack(X, max(sum(map(abs, r)) for r in Wn))
    return pk and packed_extremes(Wn, pk)


def per_point(Wn, X):
    """The same extremes by one integer dot product per point and row (any integer size)."""
    z = list(zip(*([sum(map(mul, r, x)) for r in Wn] for x in X)))
    return tuple(map(min, z)), tuple(map(max, z))


def extremes(Wn, X):
    """Exact (row minima, row maxima) of Wn x over X: packed where the coordinates fit int64, else per point."""
    return row_extremes(Wn, X) or per_point(Wn, X)


def _max_abs(X):
    return max(max(map(max, X)), -min(map(min, X)))


def pack_top(X, abs_row_sum):
    """(t, pk): pk = pack(X) with t = 0 when the coordinates fit int64, else the packed top bits x >> t (floor), t
    such that they fit 62 bits: x = 2^t (x >> t) + e, 0 <= e < 2^t (e.g. data written from floats, whose common
    denominator 10^20 makes 70-bit numerators)."""
    pk = pack(X, abs_row_sum)
    if pk is not None:
        return 0, pk
    t = max(0, _max_abs(X).bit_length() - 62)
    return t, pack([[v >> t for v in x] for x in X], abs_row_sum)


def bounds(Wn, X, pkt):
    """(lo, hi) with lo_r <= min_p Wn_r x_p and max_p Wn_r x_p <= hi_r: Wn_r = 2^s a + rho (a: the top 40 bits,
    0 <= rho_i < 2^s), so |Wn_r x - 2^s a x| <= E = sum_i rho_i max |x|, and a x is exact (and cheap) over the
    points packed once (pkt = pack_top(X, M 2^40), for rows with |a_i| < 2^40; pk None: per point).  Points packed
    by their top bits (t > 0): a x = 2^t a (x >> t) + a e with 0 <= e_i < 2^t, so a x lies within
    [2^t sum_{a_i < 0} a_i, 2^t sum_{a_i > 0} a_i] of 2^t a (x >> t), and max |x| <= 2^t (max |x >> t| + 1)."""
    t, pk = pkt
    out = []
    for r in Wn:
        sh = max(0, max(abs(v) for v in r).bit_length() - 40)
        a = tuple(v >> sh for v in r)
        out.append((a, sh, sum(v - (u << sh) for v, u in zip(r, a))))
    rows = [a for a, _, _ in out]
    lo, hi = packed_extremes(rows, pk) if pk else per_point(rows, X)
    if pk and t:
        lo = tuple((v + sum(x for x in a if x < 0)) << t for v, a in zip(lo, rows))
        hi = tuple((v + sum(x for x in a if x > 0)) << t for v, a in zip(hi, rows))
    mx = (pk[3] + (t > 0)) << t if pk else _max_abs(X)
    return (tuple((v << sh) - E * mx for v, (_, sh, E) in zip(lo, out)),
            tuple((v << sh) + E * mx for v, (_, sh, E) in zip(hi, out)))


def class_extremes(I, Wn, exact, start=0):
    """Per class k >= start of the instance (None for k < start): (lo, hi) of the integer rows Wn x over the class's
    integer points x (I.P[k] = (X, d)): the exact extremes if ``exact``, else the 40-bit :func:`bounds`.  The
    classes are packed once; results cached on I per (Wn, exact, start)."""
    memo, pk = I.__dict__.setdefault("rowext", {}), I.__dict__.setdefault("packed", {})
    key = (tuple(map(tuple, Wn)), exact, start)
    if key not in memo:
        out = []
        for k, (X, _) in enumerate(I.P):
            if k >= start and not exact and k not in pk:
                pk[k] = pack_top(X, len(X[0]) << 40)
            out.append(None if k < start else extremes(Wn, X) if exact else bounds(Wn, X, pk[k]))
        memo[key] = out
    return memo[key]
