"""exactmin.report.plain: the CLI's readable numbers. Every printed digit must be a true digit of the exact value
(truncation toward zero, '…' exactly when digits were dropped), and short values keep their exact form."""

import re
from fractions import Fraction

from hypothesis import given, settings, strategies as st

from exactmin.report.plain import SHORT, decimal, rational, readable

SETTINGS = settings(max_examples=200, deadline=None, derandomize=True)


def _parse_decimal(s: str) -> tuple[Fraction, bool]:
    dots = "…" in s
    s = s.replace("…", "")
    m = re.fullmatch(r"(-?[\d.]+)(?:e([+-]\d+))?", s)
    assert m, s
    v = Fraction(m.group(1)) * Fraction(10) ** int(m.group(2) or 0)
    return v, dots


@SETTINGS
@given(st.integers(-10 ** 80, 10 ** 80), st.integers(1, 10 ** 80))
def test_decimal_digits_are_true(p, q):
    x = Fraction(p, q)
    v, dots = _parse_decimal(decimal(x.numerator, x.denominator))
    assert abs(v) <= abs(x) and (v == 0 or (v > 0) == (x > 0))        # truncated toward zero
    assert (v != x) == dots                                              # '…' iff digits were dropped
    if x != 0:
        assert abs(x - v) < abs(x) * Fraction(1, 10 ** 9)                # ten significant digits


@SETTINGS
@given(st.integers(-10 ** 60, 10 ** 60), st.integers(1, 10 ** 60))
def test_rational_keeps_short_values_exact(p, q):
    x = Fraction(p, q)
    out = rational(x.numerator, x.denominator)
    if len(str(abs(x.numerator))) <= SHORT and len(str(x.denominator)) <= SHORT:
        exact = out.split(" ≈ ")[0]
        assert Fraction(exact) == x
    else:
        assert "digits" in out and "--json" in out


def test_long_tokens_inside_text_are_shortened():
    big = "7" * 300
    s = readable(f"cost^2 = {big}/3 > 0 and [1/2, -{big}]")
    assert big not in s and "1/2" in s and len(s) < 120
