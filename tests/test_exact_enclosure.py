"""Tests for exactmin.exact.enclosure (mpmath at 200 digits is only a test oracle)."""

from fractions import Fraction

import flint
import mpmath
import pytest
from flint import arb, fmpq
from hypothesis import given, settings, strategies as st

from exactmin.exact.enclosure import (
    FUNCTIONS,
    Enclosure,
    enclose,
    enclose_arccos,
    enclose_fn,
    enclose_tan,
    from_arb,
    sqrt_enclosure,
    to_arb,
)

SETTINGS = settings(max_examples=50, deadline=None, derandomize=True)

rat = st.fractions(min_value=-20, max_value=20, max_denominator=50)


def mpf(q):
    q = Fraction(str(q)) if not isinstance(q, Fraction) else q
    return mpmath.mpf(q.numerator) / q.denominator


def contains_mp(e: Enclosure, x) -> bool:
    """lo <= x <= hi with x an mpmath number at 200 digits (test oracle)."""
    with mpmath.workdps(200):
        return mpf(e.lo) <= x <= mpf(e.hi)


def enc(draw_lo, draw_hi):
    lo, hi = sorted((draw_lo, draw_hi))
    return Enclosure(lo, hi)


encl = st.builds(enc, rat, rat)


def test_basic_api():
    e = Enclosure(fmpq(1, 3), 2)
    assert isinstance(e.lo, type(fmpq(1))) and e.hi == 2
    assert e.contains(1) and e.contains(fmpq(1, 3)) and not e.contains(fmpq(1, 4))
    assert e.width() == fmpq(5, 3)
    assert e.is_positive() is True and e.is_negative() is False
    assert Enclosure(-1, 1).is_positive() is None and Enclosure(-1, 0).is_positive() is False
    assert Enclosure(-1, 0).is_negative() is None and Enclosure(-2, -1).is_negative() is True
    assert Enclosure.exact("2/3") == Enclosure(fmpq(2, 3), fmpq(2, 3))
    with pytest.raises(ValueError):
        Enclosure(1, 0)
    with pytest.raises(TypeError):
        Enclosure(0.1, 1)
    d = e.to_json()
    assert d == {"lo": "1/3", "hi": "2"}
    assert Enclosure.from_json(d) == e
    assert hash(e) == hash(Enclosure.from_json(d))


@SETTINGS
@given(encl, encl, rat, rat)
def test_interval_arithmetic_contains_results(a, b, ta, tb):
    # pick points inside a and b (convex combination with exact weights)
    wa = (Fraction(ta) % 1)
    wb = (Fraction(tb) % 1)
    x = a.lo + (a.hi - a.lo) * fmpq(wa.numerator, wa.denominator)
    y = b.lo + (b.hi - b.lo) * fmpq(wb.numerator, wb.denominator)
    assert a.contains(x) and b.contains(y)
    assert (a + b).contains(x + y)
    assert (a - b).contains(x - y)
    assert (a * b).contains(x * y)
    assert (-a).contains(-x)
    # tightness: endpoints of a product are attained
    p = [a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi]
    assert (a * b).lo == min(p) and (a * b).hi == max(p)
    assert (a + 1).contains(x + 1) and (2 * a).contains(2 * x)


@SETTINGS
@given(st.fractions(min_value=0, max_value=10**6, max_denominator=10**6), st.sampled_from([8, 64, 300]))
def test_sqrt_enclosure(q, bits):
    e = sqrt_enclosure(q, bits)
    Q = fmpq(q.numerator, q.denominator)
    assert e.lo >= 0 and e.lo * e.lo <= Q <= e.hi * e.hi  # exact containment proof
    assert e.width() <= fmpq(1, 2**bits)
    with mpmath.workdps(200):
        assert contains_mp(e, mpmath.sqrt(mpf(q)))


def test_sqrt_exact_for_squares():
    assert sqrt_enclosure(fmpq(49, 4)) == Enclosure.exact(fmpq(7, 2))
    assert sqrt_enclosure(0) == Enclosure.exact(0)
    assert not sqrt_enclosure(2).is_exact()
    with pytest.raises(ValueError):
        sqrt_enclosure(-1)


def test_from_arb_exact_endpoints():
    a = arb(2).sqrt()
    e = from_arb(a)
    assert e.lo * e.lo < 2 < e.hi * e.hi
    assert from_arb(arb(3)) == Enclosure.exact(3)
    with pytest.raises(ValueError):
        from_arb(arb("inf"))
    with pytest.raises(ValueError):
        from_arb(arb("nan"))
    b = to_arb(Enclosure(fmpq(1, 3), fmpq(1, 2)))
    assert from_arb(b).contains(Enclosure(fmpq(1, 3), fmpq(1, 2)))


MP = {
    "sqrt": mpmath.sqrt,
    "arccos": mpmath.acos,
    "arcsin": mpmath.asin,
    "atan": mpmath.atan,
    "tan": mpmath.tan,
    "cos": mpmath.cos,
    "sin": mpmath.sin,
    "exp": mpmath.exp,
    "log": mpmath.log,
    "pi": lambda x: mpmath.pi * x,
}


@SETTINGS
@given(st.sampled_from(FUNCTIONS), st.fractions(min_value=-1, max_value=1, max_denominator=1000))
def test_enclose_contains_true_value(name, q):
    if (name == "sqrt" and q < 0) or (name == "log" and q <= 0):
        with pytest.raises(ValueError):
            enclose(name, fmpq(q.numerator, q.denominator))
        return
    prec0 = flint.ctx.prec
    e = enclose(name, fmpq(q.numerator, q.denominator), prec=200)
    assert flint.ctx.prec == prec0  # restored
    with mpmath.workdps(200):
        assert contains_mp(e, MP[name](mpf(q)))
    assert e.width() < fmpq(1, 2**180)


def test_enclose_domain_errors_and_prec_restored():
    prec0 = flint.ctx.prec
    with pytest.raises(ValueError):
        enclose("arccos", 2)
    with pytest.raises(ValueError):
        enclose("log", 0)
    with pytest.raises(ValueError):
        enclose("nosuch", 1)
    assert flint.ctx.prec == prec0
    e = enclose_arccos(fmpq(1, 2))
    with mpmath.workdps(200):
        assert contains_mp(e, mpmath.pi / 3)
    assert enclose_arccos(1).contains(0)


def test_enclose_fn_over_intervals():
    x = Enclosure(fmpq(1, 3), fmpq(1, 2))
    for name in ("tan", "atan", "exp", "sin", "cos", "arccos", "arcsin", "sqrt", "log"):
        e = enclose_fn(name, x, prec=100)
        with mpmath.workdps(200):
            for t in (mpf(Fraction(1, 3)), mpf(Fraction(5, 12)), mpf(Fraction(1, 2))):
                assert contains_mp(e, MP[name](t)), name
    e = enclose_tan(x)
    assert e.lo > fmpq(34, 100) and e.hi < fmpq(55, 100)
    with pytest.raises(ValueError):
        enclose_tan(Enclosure(1, 2))  # contains pi/2
    assert enclose_fn("arccos", Enclosure(-1, 1)).contains(Enclosure(0, 3))
