"""Certified float filtering for exact affine maps on large integer data: signs and exact row extremes.

For an exact rational affine map z = A x + c (A: m×k, c: m×1, ``fmpq``) applied to the columns of an
:class:`~exactmin.exact.intmat.IntMat` X = Xn / dX, the float64 product z̃ = fl(Ã x̃ + c̃) is computed with
NumPy/BLAS and a RIGOROUS bound B with |z̃ − z| ≤ B decides every entry with |z̃| > B; the rest (and every
extreme that floats cannot separate) is recomputed with exact integer arithmetic.  No float ever decides a
sign or a value on its own: a float only *excludes* candidates whose exact value provably cannot matter.

Error bound (Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed., §2.2 model and §3.1,
Lemmas 3.1/3.3; γ_n = n·u / (1 − n·u), u = 2^-53):

* ã = fl(a) correctly rounded from the exact rational (Python int/int division): ã = a(1 + δ), |δ| ≤ u;
* x̃ = fl(Xn·2^-f) (see the scaling below): one rounding, x̃ = x (1 + θ_1) (the bound allows three);
* the product ã·x̃ adds one rounding; a sum of n = k + 1 terms (k products and the bias) in ANY order
  (BLAS blocking, FMA, pairwise) adds at most n − 1 factors (1 + δ) to every term.

So fl(s) = Σ_i a_i x_i (1 + θ_{n+4}^{(i)}) + c (1 + θ_{n}) and, without underflow,
    |fl(s) − s| ≤ γ_{n+4} ( Σ_i |a_i| |x_i| + |c| ).
The exact |a_i|, |x_i| are at most |ã_i|/(1 − u) and |x̃_i|/(1 − u)^3, and Σ_i |ã_i||x̃_i| ≤ r · m with the row
norm r = Σ_i |ã_i| and m = max_i |x̃_i| (per column).  Underflow: inputs are checked to be 0 or normal
(|·| ≥ 2^-1000), so only products and sums can be subnormal; each of the ≤ n + 4 operations on a term then
adds an absolute error ≤ 2^-1075, hence η = (n + 4)·2^-1074 in total.  The bound actually used,
    B = K · (r · m + |c̃|) + 2η,   K = 2·γ_{n+4},
absorbs the factors (1 − u)^-4 and the rounding of evaluating B itself in floats (a handful of (1 + δ)
factors, all ≪ 2) as long as (n + 4)·u < 1/100, which is asserted.  The same factor 2 leaves a slack of at
least γ_{n+4}·r·m ≥ 5u·r·m for the few float comparisons made with B (e.g. w̃_p ≥ fl(max w̃ − 2β)), whose own
rounding is at most a few u·(r·m + β); so no comparison can drop the exact extreme.  Overflow (non-finite z̃ or B) makes the
whole block undecided.  ``tests/test_perf_guard.py`` property-tests the bound against exact arithmetic.

Exponent-aware scaling (issue 14).  The data and the weights are unbounded rationals (10^±310 is valid input), so
no rational is converted with ``float``: every float is the correctly rounded value of an exactly *rescaled*
quantity (:func:`~exactmin.exact.fexp.scaled_float`).  Row r of A (with its bias) is scaled by 2^-e_r, the
numerators Xn by 2^-f (one f for the whole matrix, from its largest bit length), and the denominator dX is not
divided out at all.  Since
    sign z_rp = sign( Σ_i (A_ri 2^-e_r)(Xn_ip 2^-f) + c_r dX 2^(-e_r-f) )   (a positive multiple of z_rp),
and the per-row extremes of A x over the columns are attained at the same columns after multiplying row r by
the positive s_r = dX 2^(-e_r-f), the analysis above applies verbatim to the scaled exact values a' = A_r 2^-e_r,
x' = Xn 2^-f, c' = c_r dX 2^(-e_r-f): they are the rationals the floats are correctly rounded from.  Scaled
entries are O(1); an entry that would still be subnormal (a row or a matrix spanning more than 2^1000 in
magnitude) or non-finite makes the filter decline (the whole map, or that row's bias), and exact integer
arithmetic decides.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from flint import fmpq, fmpq_mat

from .fexp import max_exponent, scaled_float
from .intmat import fmpq_mat_to_int
from .limbs import Limbs

U = 2.0 ** -53
TINY = 2.0 ** -1000
CHUNK = 1 << 12          # columns per block: memory O(m · CHUNK) floats whatever N is (and BLAS stays in cache)


def gamma(n: int) -> float:
    """γ_n = n u / (1 − n u) (Higham (3.8)); only used for n u < 1/100."""
    if not (n * U < 0.01):
        raise ValueError("too many terms for the float filter")
    return n * U / (1 - n * U)


def _is_normal(v: np.ndarray, nonzero: np.ndarray) -> bool:
    """The precondition of the module's error bound: every float finite, and normal (|v| >= 2^-1000) wherever
    the EXACT value is nonzero (``nonzero``, a bool array), so that no rational underflowed to 0.0 or a
    subnormal: those errors are absolute, not relative, and the bound would not cover them."""
    a = np.abs(v)
    return bool(np.isfinite(a).all() and (~nonzero | (a >= TINY)).all())


def column_exponent(Xn: np.ndarray) -> int:
    """f with max |Xn|·2^-f < 2^62: 0 for int64 numerators (already in float range), else from the bit length
    (Python ints, or :class:`~exactmin.exact.limbs.Limbs`)."""
    if isinstance(Xn, Limbs):
        return max(0, Xn.max_abs().bit_length() - 62)
    if Xn.dtype != object or Xn.size == 0:
        return 0
    big = max(abs(int(Xn.max())), abs(int(Xn.min())))
    return max(0, big.bit_length() - 62)


@dataclass
class FilterStats:
    """Counters of a filtered evaluation: entries decided by floats, entries recomputed exactly."""

    entries: int = 0
    exact: int = 0
    blocks: int = 0
    max_block_cols: int = 0

    def add(self, other: FilterStats) -> None:
        self.entries += other.entries
        self.exact += other.exact
        self.blocks += other.blocks
        self.max_block_cols = max(self.max_block_cols, other.max_block_cols)


@dataclass
class ExactAffine:
    """z = A x + c with A = An/dA, c = cn/dc exact; row-scaled float copies Ãf ≈ A_r 2^-e_r and the row norms.

    ``usable`` is False when a scaled entry is not normal (a row spanning more than 2^1000 in magnitude) or the
    dimension is too large for the bound: then every entry is computed exactly."""

    A: fmpq_mat
    c: fmpq_mat
    An: np.ndarray = field(init=False)
    dA: int = field(init=False)
    cn: np.ndarray = field(init=False)
    dc: int = field(init=False)
    e: list = field(init=False)
    Af: np.ndarray = field(init=False)
    usable: bool = field(init=False)

    def __post_init__(self):
        self.An, self.dA = fmpq_mat_to_int(self.A)
        self.cn, self.dc = fmpq_mat_to_int(self.c)
        m, k = self.A.nrows(), self.A.ncols()
        self.e = [max_exponent([self.A[i, j] for j in range(k)]) for i in range(m)]
        self.Af = np.array([[scaled_float(self.A[i, j], self.e[i]) for j in range(k)] for i in range(m)],
                           dtype=np.float64).reshape(m, k)
        nz = np.array([[self.A[i, j] != 0 for j in range(k)] for i in range(m)], dtype=bool).reshape(m, k)
        self.usable = _is_normal(self.Af, nz) and (k + 5) * U < 0.01
        self.K = 2 * gamma(k + 5) if (k + 5) * U < 0.01 else math.inf
        self.eta = 2 * (k + 5) * 2.0 ** -1074
        self.r = np.abs(self.Af).sum(axis=1).reshape(m, 1)

    def scaled_bias(self, dX: int, f: int) -> tuple[np.ndarray, np.ndarray]:
        """(c̃, ok): c̃_r = fl(c_r·dX·2^(-e_r-f)), the bias in the units of Ãf·fl(Xn 2^-f) (module docstring);
        ok_r is False when c̃_r is not normal or above 2^1000 (that row is then computed exactly)."""
        m = self.A.nrows()
        cf = np.array([scaled_float(self.c[i, 0] * dX, self.e[i] + f) for i in range(m)],
                      dtype=np.float64).reshape(m, 1)
        a = np.abs(cf)
        nz = np.array([self.c[i, 0] != 0 for i in range(m)], dtype=bool).reshape(m, 1)
        ok = np.isfinite(a) & (a <= 2.0 ** 1000) & (~nz | (a >= TINY))
        return np.where(ok, cf, 0.0), ok

    def exact_numerators(self, Xn: np.ndarray, dX: int, rows, cols) -> tuple[list[int], int]:
        """Exact numerators of z[rows[t], cols[t]] over the common denominator dA·dX·dc (Python ints)."""
        den = self.dA * dX * self.dc
        out = []
        k = self.An.shape[1]
        for r, p in zip(rows, cols):
            s = sum(int(self.An[r, i]) * int(Xn[i, p]) for i in range(k)) * self.dc
            out.append(s + int(self.cn[r, 0]) * self.dA * dX)
        return out, den


def float_columns(Xn: np.ndarray, f: int) -> tuple[np.ndarray, bool]:
    """x̃ = fl(Xn·2^-f) (correctly rounded) and whether every entry is 0 or a normal float (module docstring).

    int64 numerators (f = 0) convert with one rounding; Python-int numerators are divided by 2^f with Python's
    correctly rounded int/int division, so no entry overflows whatever its size; :class:`Limbs` give the same
    floats (:meth:`Limbs.floats`)."""
    if isinstance(Xn, Limbs):
        Xf = Xn.floats(f)
        return Xf, _is_normal(Xf, Xn.nonzero())
    if Xn.dtype != object:
        Xf = Xn.astype(np.float64)
        if f:
            Xf = np.ldexp(Xf, -f)
    elif f <= 900:
        # every |Xn| < 2^(f+62) < 2^1024: float(v) is correctly rounded and finite, and the exact scaling by 2^-f
        # keeps it correctly rounded wherever the result is normal (anything else is declined by _is_normal)
        Xf = np.ldexp(Xn.astype(np.float64), -f)
    else:
        sc = 1 << f
        Xf = np.array([int(v) / sc for v in Xn.ravel()], dtype=np.float64).reshape(Xn.shape)
    return Xf, _is_normal(Xf, Xn != 0)


def row_extremes(f: ExactAffine, Xn: np.ndarray, dX: int, stats: FilterStats | None = None,
                 chunk: int = CHUNK):
    """Exact per-row (min, max) of z = A x + c over the columns of X = Xn/dX, as lists of fmpq."""
    return row_extremes_multi([f], Xn, dX, stats, chunk)[0]


def row_extremes_multi(maps: list[ExactAffine], Xn: np.ndarray, dX: int, stats: FilterStats | None = None,
                       chunk: int = CHUNK):
    """For each map, the exact per-row (min, max) of z = A x + c over the columns of X = Xn/dX (fmpq lists).

    Per block of ``chunk`` columns the float products w̃ = fl(Ã x̃) (bias left out: it is the same for every
    column of a row) satisfy |w̃_p − (A x_p)_r| ≤ β_r := K·r_r·m + η with m = max |x̃| over the block (module
    docstring).  If column p* attains the exact max of row r, then for every column q
    w̃_{p*} + β_{p*} ≥ (Ax_{p*})_r ≥ (Ax_q)_r ≥ w̃_q − β_q, so p* is among the columns with
    w̃_p + β_p ≥ max_q (w̃_q − β_q).  Blocks keep their columns within 2β of the block max (β is constant in a
    block), then the same test across the kept columns of all blocks leaves (typically) one candidate per row,
    evaluated exactly with integers; likewise for the min.  Memory is O(rows · chunk) whatever N is."""
    N = Xn.shape[1]
    st = FilterStats()
    f_x = column_exponent(Xn)              # one scale for every block: candidates are compared across blocks
    kept = [([], []) for _ in maps]        # per map: (max side, min side) lists of (rows, cols, w̃, β) arrays
    exact_all = [False] * len(maps)
    for s0 in range(0, N, chunk):
        blk = Xn[:, s0:s0 + chunk]
        n = blk.shape[1]
        st.blocks += 1
        st.max_block_cols = max(st.max_block_cols, n)
        Xf, ok = float_columns(blk, f_x)
        mxb = max(abs(float(Xf.max())), abs(float(Xf.min()))) if ok and Xf.size else 0.0
        for i, f in enumerate(maps):
            m = f.A.nrows()
            st.entries += m * n
            if exact_all[i]:
                continue
            if ok and f.usable:
                Z = f.Af @ Xf
                beta = (f.K * mxb) * f.r + f.eta
                imax, imin = Z.argmax(axis=1), Z.argmin(axis=1)
                ar = np.arange(m)
                zmax, zmin = Z[ar, imax].reshape(m, 1), Z[ar, imin].reshape(m, 1)
                if np.isfinite(zmax).all() and np.isfinite(zmin).all() and np.isfinite(beta).all():
                    for side, mask, arg in ((0, Z >= zmax - 2 * beta, imax), (1, Z <= zmin + 2 * beta, imin)):
                        rows, cols = _candidates(mask, arg)
                        kept[i][side].append((rows, cols + s0, Z[rows, cols], beta[rows, 0]))
                    continue
            exact_all[i] = True            # floats unusable: every column is a candidate
    res = []
    for i, f in enumerate(maps):
        m = f.A.nrows()
        best_lo, best_hi = [None] * m, [None] * m
        for side, best, better in ((0, best_hi, _gt), (1, best_lo, _lt)):
            if exact_all[i] or not kept[i][side]:
                rr, cc = np.meshgrid(np.arange(m), np.arange(N), indexing="ij")
                rows, cols = rr.ravel(), cc.ravel()
            else:
                rows, cols, w, b = (np.concatenate(t) for t in zip(*kept[i][side]))
                sgn = 1.0 if side == 0 else -1.0
                lower = np.full(m, -np.inf)          # per row: max_q (sgn·w̃_q − β_q)
                np.maximum.at(lower, rows, sgn * w - b)
                keep = sgn * w + b >= lower[rows]
                rows, cols = rows[keep], cols[keep]
            vals, den = f.exact_numerators(Xn, dX, rows.tolist(), cols.tolist())
            st.exact += len(vals)
            for r, v in zip(rows.tolist(), vals):
                q = fmpq(v, den)
                if best[r] is None or better(q, best[r]):
                    best[r] = q
        res.append((best_lo, best_hi))
    if stats is not None:
        stats.add(st)
    return res


def _candidates(mask: np.ndarray, arg: np.ndarray):
    """(rows, cols) of the True entries of ``mask``; when each row has one (its arg-extreme) no search is made."""
    cnt = np.count_nonzero(mask, axis=1)
    if (cnt == 1).all():
        return np.arange(mask.shape[0]), arg
    return np.nonzero(mask)


def _lt(a, b):
    return a < b


def _gt(a, b):
    return a > b


def signs(f: ExactAffine, Xn: np.ndarray, dX: int, stats: FilterStats | None = None) -> np.ndarray:
    """Exact signs (int8, −1/0/1) of every entry of A X + c: floats decide |z̃| > B, the rest is exact.

    Materialises an m×N int8 array (meant for the guard tests and small N); see :func:`row_extremes`."""
    m, N = f.A.nrows(), Xn.shape[1]
    out = np.zeros((m, N), dtype=np.int8)
    st = FilterStats(entries=m * N, blocks=1, max_block_cols=N)
    fx = column_exponent(Xn)
    Xf, ok = float_columns(Xn, fx)
    if ok and f.usable and N:
        Z, B, rows_ok = _scaled_values(f, Xf, dX, fx)
        good = rows_ok & np.isfinite(Z) & np.isfinite(B)
        pos, neg = good & (Z > B), good & (Z < -B)
        out[pos] = 1
        out[neg] = -1
        undecided = np.nonzero(~(pos | neg))
    else:
        undecided = np.nonzero(np.ones((m, N), dtype=bool))
    rows, cols = undecided
    vals, _ = f.exact_numerators(Xn, dX, rows.tolist(), cols.tolist())
    st.exact = len(vals)
    for r, p, v in zip(rows.tolist(), cols.tolist(), vals):
        out[r, p] = (v > 0) - (v < 0)
    if stats is not None:
        stats.add(st)
    return out


def _scaled_values(f: ExactAffine, Xf: np.ndarray, dX: int, fx: int):
    """(z̃, B, rows_ok): z̃ = fl(Ãf x̃ + c̃) ≈ s_r z_rp with s_r = dX·2^(-e_r-fx) > 0 and |z̃ − s_r z_rp| ≤ B
    on the rows with rows_ok (module docstring)."""
    cf, rows_ok = f.scaled_bias(dX, fx)
    Z = f.Af @ Xf + cf
    B = (f.K * f.r) * np.abs(Xf).max(axis=0) + (f.K * np.abs(cf) + f.eta)
    return Z, B, np.broadcast_to(rows_ok, Z.shape)


def float_bound(f: ExactAffine, Xn: np.ndarray, dX: int) -> tuple[np.ndarray, np.ndarray, list]:
    """(z̃, B, s) for the property test: s_r·z_rp lies in [z̃ − B, z̃ + B] entrywise, with s_r > 0 the exact
    rational row scale (fmpq); rows whose bias is out of float range get B = inf."""
    fx = column_exponent(Xn)
    Xf, _ = float_columns(Xn, fx)
    Z, B, ok = _scaled_values(f, Xf, dX, fx)
    B = np.where(ok, B, np.inf)
    s = [fmpq(dX, 1 << (e + fx)) if e + fx >= 0 else fmpq(dX << -(e + fx)) for e in f.e]
    return Z, B, s
