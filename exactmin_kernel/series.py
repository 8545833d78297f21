"""exp(t) enclosed by rationals: argument reduction and a Taylor series with remainder (standard library only).

``exp_bounds(t, bits)`` = (lo, hi), lo <= e^t <= hi, relative width about 2^-bits, |t| <= EXP_CAP (CapError beyond);
``exp_le`` discharges the ExpLe judgment with them.
"""
from collections import namedtuple
from fractions import Fraction as F

from .interp import DECIDE, CapError

EXP_CAP, MAX_PREC = 20_000, 1 << 15
ExpLe = namedtuple("ExpLe", "name a c t b")     # a <= c e^t <= b (a or b None: no bound on that side)


def exp_bounds(t, bits):
    """e^|t| = (e^x)^(2^k), x = |t|/2^k <= 2^-10, in fixed point with 2^-P units: the Taylor terms rounded down
    (lo) resp. up (hi), the tail sum_{m>n} x^m/m! <= 2 x^(n+1)/(n+1)! <= 2 (last term) added to hi, then k
    squarings rounded outward; e^-|t| = (1/hi, 1/lo)."""
    if abs(t) > EXP_CAP or bits > MAX_PREC:
        raise CapError(f"exp argument |t| > {EXP_CAP} or precision > {MAX_PREC} bits")
    a = abs(F(t))
    k = max(0, a.numerator.bit_length() - a.denominator.bit_length() + 10)
    P = bits + 2 * k + 16                          # the k squarings lose about k bits of the 2^-P units
    num, den = a.numerator, a.denominator << k     # x = num / den
    xlo, xhi = (num << P) // den, -(-(num << P) // den)
    slo = shi = tlo = thi = 1 << P
    n = 0
    while thi > 1:                                 # terms x^n/n! in 2^-P units, outward rounded
        n += 1
        tlo, thi = (tlo * xlo >> P) // n, -(-(-(-(thi * xhi) >> P)) // n)
        slo, shi = slo + tlo, shi + thi
    shi += 2 * thi + 1
    for _ in range(k):
        slo, shi = slo * slo >> P, -(-(shi * shi) >> P)
    lo, hi = F(slo, 1 << P), F(shi, 1 << P)
    return (1 / hi, 1 / lo) if t < 0 else (lo, hi)



def exp_le(a, c, t, b):
    """a <= c e^t <= b (None bound: none on that side): True / False from the enclosures at 64, 256, ...,
    16384 bits, None when none separates."""
    for bits in (64, 256, 1024, 4096, 16384):
        lo, hi = sorted(c * x for x in exp_bounds(t, bits))
        if (a is not None and a > hi) or (b is not None and b < lo):
            return False
        if (a is None or a <= lo) and (b is None or hi <= b):
            return True
    return None


DECIDE.update({ExpLe: lambda ob: exp_le(ob.a, ob.c, ob.t, ob.b)})     # the ExpLe judgment (read only where emitted)
