"""Wide integer matrices in two int64 limbs: n = hi·2^31 + lo, 0 ≤ lo < 2^31, |hi| < 2^62 (so |n| < 2^93).

Data written from floats (``repr(float)``: 17 significant digits) need a common denominator near 10^22, so their
numerators pass 2^62 and would be NumPy object arrays of Python ints: ~45 bytes and a Python operation per entry in
every pass.  :class:`Limbs` keeps such a matrix in two int64 arrays (16 bytes per entry) and gives, without one
Python int per entry, what the certified filters need: exact row sums, the exact max |n|, correctly rounded float
images scaled by 2^-f (:meth:`Limbs.floats`, the same floats as ``float(n)·2^-f``), and single entries or columns
as Python ints for the few exact candidates.  ``to_object()`` makes the object array for everything else.
"""
from __future__ import annotations

import numpy as np

SHIFT = 31
_MASK = (1 << SHIFT) - 1
#: |n| below this fits the representation (|hi| < 2^62)
BOUND = 1 << (62 + SHIFT)
_BLOCK = 1 << 20        # columns per block of the row sums: 2^20 · 2^31 < 2^63
_CACHE = 1 << 12        # entries per block of the limb products (its temporaries stay in L1/L2: 2.5x faster than 2^15)


class Limbs:
    """An integer matrix n = hi·2^31 + lo (module docstring); ``hi``, ``lo`` int64 arrays of one shape."""

    __slots__ = ("hi", "lo")

    def __init__(self, hi: np.ndarray, lo: np.ndarray):
        self.hi, self.lo = hi, lo

    # ------------------------------------------------------------------ shape (views of both limbs)
    @property
    def shape(self):
        return self.hi.shape

    @property
    def ndim(self) -> int:
        return self.hi.ndim

    @property
    def size(self) -> int:
        return self.hi.size

    @property
    def T(self) -> Limbs:
        return Limbs(self.hi.T, self.lo.T)

    def reshape(self, *shape) -> Limbs:
        return Limbs(self.hi.reshape(*shape), self.lo.reshape(*shape))

    def map(self, f) -> Limbs:
        """``f`` (a reshape, transpose, gather, ...) applied to both limbs."""
        return Limbs(f(self.hi), f(self.lo))

    def contiguous(self) -> Limbs:
        hi, lo = np.ascontiguousarray(self.hi), np.ascontiguousarray(self.lo)
        hi.flags.writeable = lo.flags.writeable = False
        return Limbs(hi, lo)

    def __getitem__(self, key):
        """Two integers: the entry (Python int); a column ``[:, i]``: an object array of Python ints; otherwise
        (slices, index arrays) the Limbs of the sub-matrix."""
        if isinstance(key, tuple) and len(key) == 2:
            a, b = key
            if _is_int(a) and _is_int(b):
                return (int(self.hi[a, b]) << SHIFT) + int(self.lo[a, b])
            if _is_int(b):
                return np.array([(int(h) << SHIFT) + int(v) for h, v in zip(self.hi[a, b].tolist(),
                                                                             self.lo[a, b].tolist())], dtype=object)
        return Limbs(self.hi[key], self.lo[key])

    # ------------------------------------------------------------------ exact values
    @classmethod
    def from_product(cls, p: np.ndarray, F: list[int], inv: np.ndarray) -> Limbs | None:
        """The limbs of p[i]·F[inv[i]] (1-dimensional int64 p with |p| < 2^63, Python ints F ≥ 0), None when some
        product has |n| ≥ 2^93.  Schoolbook products of 31-bit pieces in uint64 (each < 2^63, each sum < 2^64),
        in blocks that stay in cache (the temporaries are a few blocks, not a few copies of the data)."""
        if any(f >> (3 * SHIFT) for f in F):
            return None
        Fl = np.array([[(f >> (SHIFT * t)) & _MASK for t in range(3)] for f in F], dtype=np.uint64).reshape(-1, 3)
        hi, lo = np.empty(p.size, dtype=np.int64), np.empty(p.size, dtype=np.int64)
        for a in range(0, p.size, _CACHE):
            if not _product_block(p[a:a + _CACHE], Fl, inv[a:a + _CACHE], hi[a:a + _CACHE], lo[a:a + _CACHE]):
                return None
        return cls(hi, lo)

    @classmethod
    def of_int64(cls, X: np.ndarray) -> Limbs:
        return cls(X >> SHIFT, X & _MASK)

    def put(self, values: dict) -> Limbs:
        """Set the flat entries i of ``values`` = {i: v} (Python ints, each |v| < 2^93); returns self."""
        for i, v in values.items():
            self.hi[i], self.lo[i] = v >> SHIFT, v & _MASK
        return self

    def to_object(self) -> np.ndarray:
        """The object array of Python ints (one per entry: the slow representation this class avoids)."""
        out = self.hi.astype(object)
        out <<= SHIFT
        out += self.lo
        return out

    def row_sums(self) -> list[int]:
        """Exact Σ over each row (axis 1) of a 2-dimensional matrix, as Python ints (int64 block sums of the
        31-bit pieces of hi and of lo)."""
        m, n = self.shape
        tot = [0] * m
        for a in range(0, n, _BLOCK):
            h = self.hi[:, a:a + _BLOCK]
            s_top = (h >> SHIFT).sum(axis=1).tolist()           # |.| < 2^31 per entry
            s_mid = (h & _MASK).sum(axis=1).tolist()
            s_lo = self.lo[:, a:a + _BLOCK].sum(axis=1).tolist()
            tot = [t + (x << 2 * SHIFT) + (y << SHIFT) + z for t, x, y, z in zip(tot, s_top, s_mid, s_lo)]
        return tot

    def extreme(self, largest: bool) -> int:
        """The exact max (or min) entry: hi decides, lo (≥ 0) breaks ties."""
        h = self.hi.max() if largest else self.hi.min()
        lo = self.lo[self.hi == h]
        return (int(h) << SHIFT) + int(lo.max() if largest else lo.min())

    def max_abs(self) -> int:
        if self.size == 0:
            return 0
        return max(self.extreme(True), -self.extreme(False))

    def nonzero(self) -> np.ndarray:
        return (self.hi != 0) | (self.lo != 0)

    def floats(self, f: int) -> np.ndarray:
        """fl(n·2^-f), correctly rounded wherever the result is normal: h̃ = fl(hi) (exact integer), the remainder
        r = hi − h̃ (|r| ≤ 2^8, exact in int64), so n = h̃·2^31 + (r·2^31 + lo) with both terms exact floats
        (|r·2^31 + lo| < 2^40) and their one float sum is the correctly rounded n; the scaling by 2^-f is exact
        for normal results (the callers check normality)."""
        hf = self.hi.astype(np.float64)
        r = self.hi - hf.astype(np.int64)               # |hi| < 2^62: fl(hi) ≤ 2^62 converts back exactly
        x = np.ldexp(hf, SHIFT) + ((r << SHIFT) + self.lo).astype(np.float64)
        return np.ldexp(x, -f) if f else x


def _product_block(p, Fl, inv, hi, lo) -> bool:
    """hi, lo (out) of p·F[inv] for one block (see :meth:`Limbs.from_product`); False when a product ≥ 2^93."""
    m = np.abs(p).astype(np.uint64)
    mask, s = np.uint64(_MASK), np.uint64(SHIFT)
    p0, p1 = m & mask, m >> s                           # p1 < 2^32
    f = Fl[inv]
    f0, f1, f2 = f[:, 0], f[:, 1], f[:, 2]
    c = p0 * f0
    r0 = c & mask
    c >>= s
    c += p0 * f1
    c += p1 * f0                                        # < 2^31 + 2^62 + 2^63
    r1 = c & mask
    c >>= s
    c += p0 * f2
    c += p1 * f1                                        # < 2^33 + 2^62 + 2^63
    r2 = c & mask
    c >>= s
    c += p1 * f2                                        # the limb of 2^93 and above
    if c.any():
        return False
    np.bitwise_or(r2.astype(np.int64) << SHIFT, r1.astype(np.int64), out=hi)
    lo[:] = r0
    sg = (p >> 63) | 1                                  # the sign of p: −1 or 1
    hi *= sg
    lo *= sg                                            # −(hi·2^31 + lo) = −hi·2^31 − lo, then borrow:
    hi += lo >> SHIFT                                   # −2^31 < lo < 0 gives −1
    lo &= _MASK
    return True


def _is_int(v) -> bool:
    return isinstance(v, (int, np.integer))
