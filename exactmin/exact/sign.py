"""Sign oracle: exact signs of rationals, three-valued signs of balls, exact signs of sums of square roots.

Exact inputs (int, Fraction, fmpq, fmpz, "p/q" strings) always get a definite answer. ``flint.arb``
balls and :class:`~exactmin.exact.enclosure.Enclosure` inputs are converted to exact rational
endpoints and get True/False when every point of the ball agrees, else ``None`` (undecided).
No arb comparison is ever used as a plain boolean.
"""

from __future__ import annotations

import math

from flint import arb, fmpq

from exactmin.exact.enclosure import Enclosure, from_arb, sqrt_enclosure
from exactmin.exact.linalg import as_fmpq

__all__ = [
    "sign",
    "is_positive",
    "is_negative",
    "is_nonneg",
    "less",
    "sign_sqrt_sum",
    "ENCLOSURE_BITS",
]

ENCLOSURE_BITS = (64, 256, 1024, 4096)


def _is_ball(x) -> bool:
    return isinstance(x, (arb, Enclosure))


def _enclosure(x) -> Enclosure | None:
    """Exact-endpoint enclosure of x; None for a non-finite arb ball."""
    if isinstance(x, Enclosure):
        return x
    if isinstance(x, arb):
        if not x.is_finite():
            return None
        return from_arb(x)
    return Enclosure.exact(x)


def sign(x):
    """Exact sign -1/0/1 of a rational; for arb/Enclosure the sign if the ball decides it, else None."""
    if _is_ball(x):
        e = _enclosure(x)
        return None if e is None else e.sign()
    q = as_fmpq(x)
    return (q > 0) - (q < 0)


def is_positive(x):
    """x > 0: exact bool for rationals; for arb/Enclosure True/False, or None if the ball contains 0."""
    if _is_ball(x):
        e = _enclosure(x)
        return None if e is None else e.is_positive()
    return as_fmpq(x) > 0


def is_negative(x):
    """x < 0: exact bool for rationals; for arb/Enclosure True/False, or None if the ball contains 0."""
    if _is_ball(x):
        e = _enclosure(x)
        return None if e is None else e.is_negative()
    return as_fmpq(x) < 0


def is_nonneg(x):
    """x >= 0: exact bool for rationals; for arb/Enclosure True/False, or None if undecided."""
    if _is_ball(x):
        e = _enclosure(x)
        return None if e is None else e.is_nonneg()
    return as_fmpq(x) >= 0


def less(a, b):
    """a < b: exact bool for rationals; if either is an arb/Enclosure, True/False/None (undecided)."""
    if not (_is_ball(a) or _is_ball(b)):
        return as_fmpq(a) < as_fmpq(b)
    ea, eb = _enclosure(a), _enclosure(b)
    if ea is None or eb is None:
        return None
    if ea.hi < eb.lo:
        return True
    if ea.lo >= eb.hi:
        return False
    return None


# --------------------------------------------------------------------------- sums of square roots

_SMALL_PRIMES = [p for p in range(2, 1000) if all(p % d for d in range(2, math.isqrt(p) + 1))]
_PRIMORIAL = math.prod(_SMALL_PRIMES)


def _multiplicity(m: int, p: int) -> tuple[int, int]:
    """(e, m / p^e) with p^e the exact power of the prime p in m > 0: O(log e) divisions by p^(2^i) (decimal or
    binary data give m = 2^a 5^b ... with a, b in the thousands; dividing by p^2 a times was the bottleneck)."""
    if p == 2:
        e = (m & -m).bit_length() - 1
        return e, m >> e
    pw = [p]
    while m % (pw[-1] * pw[-1]) == 0:
        pw.append(pw[-1] * pw[-1])
    e = 0
    for i in reversed(range(len(pw))):
        if m % pw[i] == 0:
            m //= pw[i]
            e += 1 << i
    return e, m


def _split_square(m: int) -> tuple[int, int]:
    """(s, r) with m == s*s*r; r == 1 when m is a perfect square (square factors of primes < 1000 and
    perfect squares are extracted; r need not be squarefree)."""
    s = 1
    t = math.isqrt(m)
    if t * t == m:
        return t, 1
    g = math.gcd(m, _PRIMORIAL)            # one gcd instead of 168 divisions of a possibly huge m
    for p in _SMALL_PRIMES:
        if p > g:
            break
        if g % p:
            continue
        e, m = _multiplicity(m, p)
        s, m = s * p ** (e // 2), m * p ** (e % 2)
    t = math.isqrt(m)
    if t * t == m:
        return s * t, 1
    return s, m


def _normalize(terms) -> dict[int, fmpq]:
    """{m: c} with S == sum c*sqrt(m), m positive integers, distinct, c != 0 (m == 1: rational part)."""
    out: dict[int, fmpq] = {}
    for c, q in terms:
        c, q = as_fmpq(c), as_fmpq(q)
        if q < 0:
            raise ValueError(f"negative radicand {q}")
        if c == 0 or q == 0:
            continue
        n, d = int(q.p), int(q.q)
        # sqrt(n/d) = sqrt(n*d)/d
        s, r = _split_square(n * d)
        out[r] = out.get(r, fmpq(0)) + c * fmpq(s, d)
    return {m: c for m, c in out.items() if c != 0}


def _square(T: dict[int, fmpq]) -> dict[int, fmpq]:
    items = list(T.items())
    terms = [(c * c * m, 1) for m, c in items]
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            (mi, ci), (mj, cj) = items[i], items[j]
            terms.append((2 * ci * cj, mi * mj))
    return _normalize(terms)


def _exact_sign(T: dict[int, fmpq]) -> int:
    """Exact sign of sum c*sqrt(m) for at most 4 terms, by splitting S = A + B and squaring.

    If sign A and sign B differ (both nonzero), sign(A + B) = sign(A) * sign(A^2 - B^2); A^2 - B^2 has
    fewer terms than S when S has at most 4 terms (1+1 -> 1, 2+1 -> 2, 2+2 -> 3), so this terminates.
    """
    n = len(T)
    if n > 4:
        raise ValueError("exact squaring is only used for at most 4 terms")
    if n == 0:
        return 0
    if n == 1:
        (c,) = T.values()
        return (c > 0) - (c < 0)
    items = sorted(T.items())
    h = (n + 1) // 2
    A, B = dict(items[:h]), dict(items[h:])
    sa, sb = _exact_sign(A), _exact_sign(B)
    if sa == 0:
        return sb
    if sb == 0 or sa == sb:
        return sa
    A2, B2 = _square(A), _square(B)
    D = dict(A2)
    for m, c in B2.items():
        D[m] = D.get(m, fmpq(0)) - c
    D = {m: c for m, c in D.items() if c != 0}
    return sa * _exact_sign(D)


def _enclosure_sign(T: dict[int, fmpq], bits: int):
    total = Enclosure.exact(0)
    for m, c in T.items():
        total = total + Enclosure.exact(c) * sqrt_enclosure(m, bits)
    return total.sign()


def sign_sqrt_sum(terms, bits=ENCLOSURE_BITS):
    """Sign of S = sum c_i * sqrt(q_i), c_i rational, q_i rational >= 0. Returns (s, method).

    The terms are first normalized exactly (sqrt(n/d) = sqrt(n d)/d, square factors pulled out, equal
    radicands merged). With at most 2 remaining terms the sign is decided exactly by comparing squares:
    method ``"exact-squares"``. With more terms, certified rational enclosures of each root (integer
    isqrt at ``bits`` = 64, 256, 1024, 4096) are summed until the interval excludes 0: method
    ``"enclosure"``. If that never happens (e.g. S == 0) and at most 4 terms remain, the sign is decided
    exactly by repeated squaring (``"exact-squares"``); otherwise the result is ``(None, "enclosure")``
    (undecided). Every returned sign in {-1, 0, 1} is proved. ``ValueError`` on a negative radicand.
    """
    T = _normalize(terms)
    if len(T) <= 2:
        return _exact_sign(T), "exact-squares"
    for b in bits:
        s = _enclosure_sign(T, b)
        if s is not None:
            return s, "enclosure"
    if len(T) <= 4:
        return _exact_sign(T), "exact-squares"
    return None, "enclosure"
