"""exactmin.exact.numbers: exact parsing of rationals and canonical formatting."""

import time
from fractions import Fraction

import flint
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactmin.errors import InputError
from exactmin.exact.numbers import MAX_DIGITS, MAX_EXPONENT, fmt, parse_rational, to_fmpq

VALID = [
    ("-12", (-12, 1)),
    ("3/4", (3, 4)),
    ("-3/4", (-3, 4)),
    ("6/4", (3, 2)),
    ("-1.25", (-5, 4)),
    ("3e-2", (3, 100)),
    ("1.5E+3", (1500, 1)),
    (".5", (1, 2)),
    ("+2", (2, 1)),
    ("  7\t", (7, 1)),
    ("0.1", (1, 10)),
    ("1.", (1, 1)),
    ("-0", (0, 1)),
    ("0.000", (0, 1)),
    ("0e5", (0, 1)),
    ("1e-1000", (1, 10**1000)),
    ("123456789012345678901234567890", (123456789012345678901234567890, 1)),
    (5, (5, 1)),
    (-7, (-7, 1)),
    (np.int64(9), (9, 1)),
    (Fraction(-6, 8), (-3, 4)),
    (flint.fmpq(2, 6), (1, 3)),
    (flint.fmpz(11), (11, 1)),
]


@pytest.mark.parametrize("s,expected", VALID)
def test_valid(s, expected):
    assert parse_rational(s) == expected


INVALID = ["", "   ", "nan", "NaN", "inf", "-Infinity", "1/0", "0x10", "1_000", ".", "e5", "1e", "--1", "- 1",
           "1/-2", "3/ 4", "1.5/2", "abc", "١٢", "²", "1e1001", "1e-1001", "1" * (MAX_DIGITS + 1),
           "0." + "0" * MAX_DIGITS + "1", "1/" + "1" * (MAX_DIGITS + 1), "9" * MAX_DIGITS + "e1000",
           "1e999999999", "1e" + "9" * 100, 0.5, np.float64(0.5), np.float32(1.0), True, None, [1], 1 + 2j]


@pytest.mark.parametrize("s", INVALID, ids=lambda s: repr(s)[:30])
def test_invalid(s):
    with pytest.raises(InputError) as ei:
        parse_rational(s)
    msg = str(ei.value)
    assert "\n" not in msg and msg
    assert len(msg) < 200


def test_message_contains_offending_text():
    with pytest.raises(InputError, match="0x10"):
        parse_rational("0x10")
    with pytest.raises(InputError) as ei:
        parse_rational("z" * 10_000)
    assert len(str(ei.value)) < 200


def test_float_message():
    with pytest.raises(InputError, match="float"):
        parse_rational(0.1)


def test_bounds_are_fast():
    for s in ["1" * 10**6, "1e999999999", "1." + "5" * 10**6, "1/" + "3" * 10**6, " " * 10**6 + "1"]:
        t = time.perf_counter()
        with pytest.raises(InputError):
            parse_rational(s)
        assert time.perf_counter() - t < 1.0
    with pytest.raises(InputError):
        parse_rational(10 ** (MAX_DIGITS + 5))


def test_exponent_bound_edges():
    assert parse_rational(f"1e{MAX_EXPONENT}") == (10**MAX_EXPONENT, 1)
    assert parse_rational(f"1e-{MAX_EXPONENT}") == (1, 10**MAX_EXPONENT)


def test_to_fmpq_and_fmt():
    assert to_fmpq("-1.25") == flint.fmpq(-5, 4)
    assert fmt(flint.fmpq(-6, 4)) == "-3/2"
    assert fmt(Fraction(4, 2)) == "2"
    assert fmt(7) == "7"
    assert fmt(flint.fmpq(0)) == "0"


@given(st.fractions())
def test_fmt_is_str_fraction(q):
    assert fmt(q) == str(q)
    assert fmt(flint.fmpq(q.numerator, q.denominator)) == str(q)
    assert parse_rational(str(q)) == (q.numerator, q.denominator)


@settings(max_examples=200)
@given(st.integers(-10**30, 10**30), st.integers(0, 40), st.integers(-60, 60), st.booleans())
def test_decimal_agrees_with_fraction(mant, scale, exp, use_exp):
    s = str(abs(mant)).rjust(scale + 1, "0")
    text = ("-" if mant < 0 else "") + s[: len(s) - scale] + ("." + s[len(s) - scale:] if scale else "")
    if use_exp:
        text += f"e{exp}"
    q = Fraction(text)  # the standard library reads decimals exactly
    assert parse_rational(text) == (q.numerator, q.denominator)
