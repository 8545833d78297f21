"""Numbers a person can read on a terminal: every rational with a decimal whose printed digits are all true.

The CLI's text output goes through :func:`readable`; ``--json`` and certificates keep the exact values.
* ``p/q`` with at most ``SHORT`` digits each prints as itself plus ``≈`` its decimal truncated toward zero
  (``1/3 ≈ 0.3333333333…``; the ``…`` marks dropped digits, an exact decimal has none);
* a longer integer or fraction prints as its truncated decimal in scientific form with the digit counts of the
  exact value (``≈ 3.487107652…e+527 [exact: 530/3 digits, see --json]``).
Integers and fractions inside longer text (lists, reasons) are shortened the same way.
"""
from __future__ import annotations

import re
from fractions import Fraction

from .latex import _ndigits, decimal_str, round_sig

SHORT = 24          # digits of a numerator or denominator printed exactly
SIG = 10            # significant digits of the decimal

_TOKEN = re.compile(r"(?<![\w.])(-?\d+)(?:/(\d+))?(?![\w.])")


def decimal(p: int, q: int, sig: int = SIG) -> str:
    """p/q truncated toward zero to ``sig`` significant digits, ``…`` when digits were dropped."""
    if p == 0:
        return "0"
    m, e = round_sig(p, q, sig, "trunc")
    dots = "…" if Fraction(m) * Fraction(10) ** e != Fraction(p, q) else ""
    mant, ex = decimal_str(m, e)
    return mant + dots + ("" if ex is None else f"e{ex:+d}")


def rational(p: int, q: int) -> str:
    """The readable form of one exact rational (module docstring)."""
    dp, dq = _ndigits(p), _ndigits(q)
    if dp <= SHORT and dq <= SHORT:
        if q == 1:
            return str(p)
        return f"{p}/{q} ≈ {decimal(p, q)}"
    size = f"{dp} digits" if q == 1 else f"{dp}/{dq} digits"
    return f"≈ {decimal(p, q)} [exact: {size}, see --json]"


def readable(text: str) -> str:
    """``text`` with every integer or fraction token made readable: a whole-value rational gets its decimal, a
    long token inside other text becomes its truncated decimal."""
    s = str(text)
    m = _TOKEN.fullmatch(s.strip())
    if m:
        return rational(int(m.group(1)), int(m.group(2) or 1))

    def sub(mt: re.Match) -> str:
        p, q = int(mt.group(1)), int(mt.group(2) or 1)
        if _ndigits(p) <= SHORT and _ndigits(q) <= SHORT:
            return mt.group(0)
        return "≈" + decimal(p, q, 7)
    return _TOKEN.sub(sub, s)
