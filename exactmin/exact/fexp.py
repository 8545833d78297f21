"""Exponent-aware float conversion of exact rationals (issue 14): floats of unbounded rationals never overflow.

``float(q)`` of a rational raises ``OverflowError`` above 2^1024 and silently becomes 0.0 below 2^-1074, so it
must never be applied to an unbounded rational (data scaled by 10^±310, labels of size 10^200, margins of
10^-400).  The helpers here keep the binary exponent apart, exactly, the way ``math.frexp``/``math.ldexp`` do:

* :func:`ilog2` — ⌊log₂|q|⌋ exactly, from the bit lengths of numerator and denominator and one integer compare;
* :func:`max_exponent` — the common scale 2^e of a list of rationals (its largest entry in [½, 1) after scaling);
* :func:`scaled_float` — the correctly rounded float of q·2^-e (Python's int/int true division is correctly
  rounded, also into the subnormal range); ±inf instead of ``OverflowError``;
* :func:`frexp_q` — (m, e) with q ≈ m·2^e, ½ ≤ |m| < 1, m correctly rounded: ``math.frexp`` for rationals;
* :func:`ldexp_q` — the exact rational x·2^e of a finite float x (the way back, no rounding);
* :func:`sci` — scientific-notation text of any rational (display only), computed with integers.

A float obtained this way only ever *proposes* (a candidate, an estimate); callers that filter with it must
account for the rounding in a certified bound or fall back to exact arithmetic.
"""
from __future__ import annotations

import math
from fractions import Fraction

from flint import fmpq

__all__ = ["as_pair", "ilog2", "max_exponent", "scaled_float", "frexp_q", "ldexp_q", "sci"]


def as_pair(q) -> tuple[int, int]:
    """(p, d) Python ints with q = p/d, d > 0, for int, Fraction, fmpq, fmpz and NumPy integers."""
    if isinstance(q, Fraction):
        return q.numerator, q.denominator
    if hasattr(q, "p") and hasattr(q, "q"):             # flint.fmpq
        return int(q.p), int(q.q)
    return int(q), 1


def ilog2(q) -> int:
    """⌊log₂|q|⌋ exactly for a nonzero rational q (``ValueError`` for 0).

    With t = bitlen(p) − bitlen(d): 2^(t−1) < |p|/d < 2^(t+1), and one integer comparison decides between
    t and t − 1."""
    p, d = as_pair(q)
    p = abs(p)
    if p == 0:
        raise ValueError("ilog2 of zero")
    t = p.bit_length() - d.bit_length()
    return t if (p >= d << t if t >= 0 else p << -t >= d) else t - 1


def max_exponent(values) -> int:
    """e with max |v|·2^-e in [½, 1) over the nonzero values (0 when all vanish): a common power-of-two scale."""
    nz = [v for v in values if v != 0]
    return max(ilog2(v) for v in nz) + 1 if nz else 0


def scaled_float(q, e: int = 0) -> float:
    """The float nearest to q·2^-e (round to nearest even, gradual underflow to subnormals and 0.0);
    ±inf when |q·2^-e| is beyond the float range (never raises)."""
    p, d = as_pair(q)
    if p == 0:
        return 0.0
    try:
        return p / (d << e) if e >= 0 else (p << -e) / d
    except OverflowError:
        return math.inf if p > 0 else -math.inf


def frexp_q(q) -> tuple[float, int]:
    """(m, e) with m·2^e the correctly rounded 53-bit approximation of q and ½ ≤ |m| < 1 (m = 0, e = 0 for 0).

    Unlike ``math.frexp(float(q))`` it works for every rational: the exponent is an unbounded Python int."""
    p, _ = as_pair(q)
    if p == 0:
        return 0.0, 0
    e = ilog2(q) + 1
    m = scaled_float(q, e)                 # in [½, 1] (rounding can reach 1)
    if abs(m) == 1.0:
        m, e = m / 2, e + 1
    return m, e


def ldexp_q(x: float, e: int = 0) -> fmpq:
    """The exact rational x·2^e of a finite float x (``ValueError`` for inf/nan)."""
    if not math.isfinite(x):
        raise ValueError("ldexp_q of a non-finite float")
    n, d = x.as_integer_ratio()
    return fmpq(n << e, d) if e >= 0 else fmpq(n, d << -e)


def _pow10_floor(a: int, b: int) -> int:
    """⌊log₁₀(a/b)⌋ for positive integers a, b (exact: an estimate from bit lengths, then integer compares)."""
    t = a.bit_length() - b.bit_length()
    k = math.floor(t * 0.30102999566398120) - 1
    while True:                                    # invariant after the first step: 10^k <= a/b
        lo = a * 10**-k >= b if k < 0 else a >= b * 10**k
        if not lo:
            k -= 1
            continue
        hi = a * 10**-(k + 1) >= b if k + 1 < 0 else a >= b * 10**(k + 1)
        if not hi:
            return k
        k += 1


def sci(q, digits: int = 4) -> str:
    """``q`` in scientific notation with ``digits`` significant digits ("-1.235e+400"), for any rational size.

    Display only: the mantissa is rounded half-even with integer arithmetic, the exponent is exact; the format
    matches Python's ``f"{x:.{digits-1}e}"`` whenever x is a float."""
    p, d = as_pair(q)
    if p == 0:
        return f"{0:.{digits - 1}e}"
    sign, a = ("-" if p < 0 else ""), abs(p)
    k = _pow10_floor(a, d)
    s = k - (digits - 1)                           # mantissa = round(a/d / 10^s) has `digits` digits
    num, den = (a, d * 10**s) if s >= 0 else (a * 10**-s, d)
    mant = round(Fraction(num, den))
    if mant >= 10**digits:                         # 9.9995 → 10.00: one more decade
        mant, k = round(Fraction(mant, 10)), k + 1
    ds = str(mant)
    body = ds[0] + ("." + ds[1:] if digits > 1 else "")
    return f"{sign}{body}e{'+' if k >= 0 else '-'}{abs(k):02d}"
