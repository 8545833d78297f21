"""Exact rational numbers from untrusted text.

``parse_rational`` is the single entry point through which every number of an instance file passes. It reads

* Python ``int`` (not ``bool``), ``fractions.Fraction``, ``flint.fmpq`` / ``flint.fmpz`` and NumPy integers;
* strings (surrounding ASCII whitespace allowed -- space, tab, CR, LF, FF, VT only): integers ``"-12"``, ``"+2"``; fractions ``"3/4"``, ``"-3/4"`` (integer
  over positive integer, no spaces inside); decimals with optional exponent ``"-1.25"``, ``".5"``, ``"1."``,
  ``"3e-2"``, ``"1.5E+3"``.

Decimals are read exactly: ``"0.1"`` is 1/10, never the binary float nearest to it. Only ASCII digits are accepted
(no ``"1_000"``, no ``"0x10"``, no non-ASCII digits). Rejected with :class:`~exactmin.errors.InputError`: Python or
NumPy floats (not exact input: pass the decimal string or a Fraction), NaN, infinities, zero denominators, digit
strings longer than :data:`MAX_DIGITS`, exponents with ``|e| > MAX_EXPONENT``, and values whose reduced numerator or
denominator has ``MAX_DIGITS`` digits or more. The bounds make every accepted number cheap: no input can make the
parser hang or allocate a huge integer.

``fmt`` gives the canonical text of a rational, identical to ``str(fractions.Fraction(p, q))``: ``"p/q"`` in lowest
terms with the sign on the numerator, or ``"p"`` when the denominator is 1.

The grammar and bounds are those of docs/instance-format.md, section 2 (the kernel's parser implements the same
text independently). ``looks_numeric`` is the "numeric field" test of the CSV header rule (section 4).
"""

from __future__ import annotations

import math
import re
from fractions import Fraction
from numbers import Integral

import flint
import numpy as np

from exactmin.errors import InputError

__all__ = ["MAX_DIGITS", "MAX_EXPONENT", "MAX_TOKEN_CHARS", "parse_rational", "looks_numeric", "to_fmpq", "fmt",
           "as_pair", "parse_fmt", "is_fmt"]

#: Largest accepted number of digits of a digit string (integer part + fraction part of a decimal, or each side of
#: ``p/q``); reduced numerators and denominators must also stay below ``10**MAX_DIGITS``.
MAX_DIGITS = 4000
#: Largest accepted absolute value of a decimal exponent.
MAX_EXPONENT = 1000

_LIMIT = 10**MAX_DIGITS
#: Longest accepted number text, surrounding whitespace included (p/q with two maximal digit strings, exponent).
MAX_TOKEN_CHARS = 2 * MAX_DIGITS + 64
_MAX_LEN = MAX_TOKEN_CHARS
#: The only characters stripped around a number (ASCII whitespace; U+00A0 and friends are not whitespace here).
WHITESPACE = " \t\n\r\f\v"

_DECIMAL = re.compile(r"([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?)([0-9]+))?", re.ASCII)
_FRACTION = re.compile(r"([+-]?[0-9]+)/([0-9]+)", re.ASCII)
_SHAPE = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]?[0-9]+/[0-9]+"
                    r"|[+-]?(?:nan|inf|infinity)", re.ASCII | re.IGNORECASE)


def looks_numeric(s: str) -> bool:
    """Whether ``s`` (whitespace removed) has the shape of a number -- the decimal or fraction grammar, bounds
    ignored -- or spells nan / inf / infinity (any case, optional sign): docs/instance-format.md, CSV header rule."""
    return _SHAPE.fullmatch(s.strip(WHITESPACE)) is not None


def _show(s: str) -> str:
    """The offending text, shortened to about 40 characters, as a repr (so it stays on one line)."""
    if len(s) > 40:
        s = s[:37] + "..."
    return repr(s)


def _bad(s: str, why: str) -> InputError:
    return InputError(f"{why}: {_show(s)}")


def _check_size(num: int, den: int, s: str) -> None:
    if not (-_LIMIT < num < _LIMIT) or den >= _LIMIT:
        raise _bad(s, f"number too large (numerator or denominator has more than {MAX_DIGITS} digits)")


def _parse_str(s: str) -> tuple[int, int]:
    if len(s) > _MAX_LEN:
        raise _bad(s, f"number text too long ({len(s)} characters; at most {MAX_DIGITS} digits allowed)")
    t = s.strip(WHITESPACE)
    if not t:
        raise InputError("empty string is not a number")
    # Fast path: plain ASCII integer.
    if t.isascii() and t.isdigit():
        if len(t) > MAX_DIGITS:
            raise _bad(s, f"integer has {len(t)} digits (at most {MAX_DIGITS} allowed)")
        return int(t), 1
    m = _DECIMAL.fullmatch(t)
    if m is not None:
        sign, ipart, fpart, esign, edigits = m.groups()
        fpart = fpart or ""
        if not ipart and not fpart:
            raise _bad(s, "not an exact rational number")
        ndig = len(ipart) + len(fpart)
        if ndig > MAX_DIGITS:
            raise _bad(s, f"number has {ndig} digits (at most {MAX_DIGITS} allowed)")
        exp = 0
        if edigits is not None:
            e = edigits.lstrip("0")
            if len(e) > 6 or (e and int(e) > MAX_EXPONENT):
                raise _bad(s, f"exponent out of range (|exponent| at most {MAX_EXPONENT})")
            exp = int(e) if e else 0
            if esign == "-":
                exp = -exp
        num = int(ipart + fpart) if ndig else 0
        if sign == "-":
            num = -num
        exp -= len(fpart)
        if num == 0:
            return 0, 1
        if exp >= 0:
            num *= 10**exp
            den = 1
        else:
            den = 10 ** (-exp)
            g = math.gcd(num, den)
            if g != 1:
                num //= g
                den //= g
        _check_size(num, den, s)
        return num, den
    m = _FRACTION.fullmatch(t)
    if m is not None:
        p, q = m.groups()
        if len(p.lstrip("+-")) > MAX_DIGITS or len(q) > MAX_DIGITS:
            raise _bad(s, f"fraction has more than {MAX_DIGITS} digits in numerator or denominator")
        num, den = int(p), int(q)
        if den == 0:
            raise _bad(s, "zero denominator")
        g = math.gcd(num, den)
        if g != 1:
            num //= g
            den //= g
        _check_size(num, den, s)
        return num, den
    low = t.lower().lstrip("+-")
    if low in ("nan", "inf", "infinity", "snan"):
        raise _bad(s, "not a finite rational number")
    raise _bad(s, "not an exact rational number")


def parse_rational(s) -> tuple[int, int]:
    """Parse ``s`` exactly; return ``(num, den)`` with ``den > 0`` and ``gcd(num, den) == 1``.

    Raises :class:`InputError` (one line, with the offending text shortened to about 40 characters) on anything
    that is not an exact, bounded rational. See the module docstring for the accepted forms.
    """
    t = type(s)
    if t is str:
        return _parse_str(s)
    if t is int:
        if not -_LIMIT < s < _LIMIT:
            raise InputError(f"integer too large (more than {MAX_DIGITS} digits)")
        return s, 1
    if isinstance(s, bool):
        raise InputError(f"boolean {s!r} is not a number")
    if isinstance(s, (float, complex, np.floating, np.complexfloating)):
        raise InputError(f"float {s!r} is not exact input; give the number as a decimal string or a fraction")
    if isinstance(s, str):
        return _parse_str(str(s))
    if isinstance(s, Fraction):
        num, den = s.numerator, s.denominator
    elif isinstance(s, flint.fmpq):
        num, den = int(s.p), int(s.q)
    elif isinstance(s, (flint.fmpz, Integral)):
        num, den = int(s), 1
    else:
        raise InputError(f"{t.__name__} value is not a number: {_show(repr(s))}")
    if not (-_LIMIT < num < _LIMIT) or den >= _LIMIT:
        raise InputError(f"number too large (numerator or denominator has more than {MAX_DIGITS} digits)")
    return num, den


def to_fmpq(s) -> flint.fmpq:
    """``flint.fmpq`` of ``s``, read by :func:`parse_rational`."""
    num, den = parse_rational(s)
    return flint.fmpq(num, den)


def as_pair(q) -> tuple[int, int]:
    """``(num, den)`` of an already exact value (int, Fraction, fmpq, fmpz), without size bounds."""
    if isinstance(q, flint.fmpq):
        return int(q.p), int(q.q)
    if isinstance(q, Fraction):
        return q.numerator, q.denominator
    if isinstance(q, bool):
        raise TypeError("bool is not a rational")
    if isinstance(q, (int, flint.fmpz, Integral)):
        return int(q), 1
    raise TypeError(f"not an exact rational: {type(q).__name__}")


def _int_str(n: int) -> str:
    # str(int) refuses more than sys.get_int_max_str_digits() digits; flint has no such limit.
    if n.bit_length() > 10000:
        return str(flint.fmpz(n))
    return str(n)


def fmt(q) -> str:
    """Canonical text of an exact rational (fmpq, Fraction, int, fmpz): ``"p/q"`` or ``"p"``, as ``str(Fraction)``."""
    num, den = as_pair(q)
    if den != 1:
        g = math.gcd(num, den)
        if g != 1:
            num //= g
            den //= g
        if den < 0:
            num, den = -num, -den
    if den == 1:
        return _int_str(num)
    return f"{_int_str(num)}/{_int_str(den)}"


_FMT = re.compile(r"\s*(-?)(\d+)(?:/(\d+))?\s*")


def _parse_int(digits: str) -> int:
    # int(str) refuses more than sys.get_int_max_str_digits() digits; flint has no such limit (as in _int_str).
    if len(digits) < 4000:
        return int(digits)
    return int(flint.fmpz(digits))


def is_fmt(v) -> bool:
    """Whether ``v`` is text of the form :func:`fmt` writes (``"p/q"`` or ``"p"``, any size)."""
    return isinstance(v, str) and _FMT.fullmatch(v) is not None


def parse_fmt(v) -> tuple[int, int]:
    """The inverse of :func:`fmt`, WITHOUT size bounds (for exactmin's own output, e.g. certificate values):
    ``"p/q"``, ``"p"``, int or Fraction -> ``(p, q)`` in lowest terms, q > 0.  ``ValueError`` otherwise.
    Untrusted input goes through :func:`parse_rational` instead."""
    if isinstance(v, Fraction):
        return v.numerator, v.denominator
    if isinstance(v, int) and not isinstance(v, bool):
        return v, 1
    m = _FMT.fullmatch(str(v))
    if not m:
        raise ValueError(f"not a rational: {str(v)[:40]!r}")
    p, q = _parse_int(m.group(2)), _parse_int(m.group(3) or "1")
    if q == 0:
        raise ValueError("zero denominator")
    if m.group(1):
        p = -p
    g = math.gcd(p, q)
    return p // g, q // g
