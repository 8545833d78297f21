"""exactmin_kernel/packed.py (exact row extremes by packed integers), the bounds of the deep.thm2.3 (2.59) route,
and the kernel Instance built from integer rows (NPZ with one denominator) against the Fraction reference.

Every property compares with an independent per-point computation in plain Python integers / Fractions."""
import hashlib
import json
from fractions import Fraction as F
from operator import mul

from hypothesis import given, settings
from hypothesis import strategies as st

from exactmin_kernel.instance import INSTANCE_FORMAT, Instance
from exactmin_kernel.packed import pack, packed_extremes, row_extremes, values
from exactmin_kernel.packed import bounds, pack_top

I64 = st.integers(-2**63, 2**63 - 1)


def _per_point(Wn, X):
    v = [[sum(map(mul, r, x)) for x in X] for r in Wn]
    return tuple(map(min, v)), tuple(map(max, v))


@st.composite
def points_and_rows(draw, coord=I64):
    M = draw(st.integers(1, 5))
    X = draw(st.lists(st.tuples(*[coord] * M), min_size=1, max_size=40))
    big = st.integers(-2**draw(st.integers(0, 300)), 2**draw(st.integers(0, 300)))
    Wn = draw(st.lists(st.tuples(*[st.one_of(st.just(0), big)] * M), min_size=1, max_size=4))
    return Wn, X


@settings(max_examples=300, deadline=None)
@given(points_and_rows())
def test_packed_extremes_equal_per_point(case):
    Wn, X = case
    assert row_extremes(Wn, X) == _per_point(Wn, X)


@settings(max_examples=300, deadline=None)
@given(points_and_rows())
def test_packed_values_equal_per_point(case):
    """packed.values (ondata.max_sq reads the points' values through it): every value of every row, in point order."""
    Wn, X = case
    assert values(Wn, pack(X, max(sum(map(abs, r)) for r in Wn))) == [[sum(map(mul, r, x)) for x in X] for r in Wn]


@settings(max_examples=200, deadline=None)
@given(points_and_rows(coord=st.integers(-2**70, 2**70)))
def test_outside_int64_is_declined_not_guessed(case):
    Wn, X = case
    fits = all(-2**63 <= v < 2**63 for x in X for v in x)
    got = row_extremes(Wn, X)
    assert (got is None) == (not fits) and (got is None or got == _per_point(Wn, X))


@settings(max_examples=300, deadline=None)
@given(points_and_rows(), st.booleans())
def test_route_bounds_enclose_the_extremes(case, packed):
    """bounds() (40-bit rows, exact remainder bound) encloses the exact extremes, packed or per point, and is exact
    when every entry already has at most 40 bits."""
    Wn, X = case
    pk = pack(X, len(X[0]) << 40) if packed else None
    lo, hi = bounds(Wn, X, (0, pk))
    elo, ehi = _per_point(Wn, X)
    assert all(a <= b for a, b in zip(lo, elo)) and all(a >= b for a, b in zip(hi, ehi))
    if all(abs(v).bit_length() <= 40 for r in Wn for v in r):
        assert (lo, hi) == (elo, ehi)


@settings(max_examples=300, deadline=None)
@given(points_and_rows(coord=st.one_of(st.integers(-2**70, 2**70), st.integers(-2**200, 2**200))))
def test_top_bit_bounds_enclose_the_extremes_of_long_coordinates(case):
    """Coordinates beyond int64 (data written from floats over 10^20): pack_top packs x >> t, and bounds() still
    encloses the exact extremes (the remainders 0 <= e < 2^t and the 40-bit rows both accounted for)."""
    Wn, X = case
    t, pk = pack_top(X, len(X[0]) << 40)
    assert pk is not None and (t == 0) == all(-2**63 <= v < 2**63 for x in X for v in x)
    lo, hi = bounds(Wn, X, (t, pk))
    elo, ehi = _per_point(Wn, X)
    assert all(a <= b for a, b in zip(lo, elo)) and all(a >= b for a, b in zip(hi, ehi))
    # tight: the slack is at most the truncations' worst case (rows' 40 bits, coordinates' 62 bits)
    mx = max(max(abs(v) for v in x) for x in X)
    for r, a, b in zip(Wn, lo, elo):
        assert b - a <= 2 * len(r) * sum(map(abs, r)) * (mx // 2**38 + 2**(t + 1) + 1)


def test_packed_rejects_a_row_beyond_its_bound():
    import pytest
    from exactmin_kernel.interp import CapError
    X = [(1, -2), (3, 4)]
    with pytest.raises(CapError):
        packed_extremes([(2**80, 1)], pack(X, 2))


def _reference_sha(classes, Y):
    doc = {"format": INSTANCE_FORMAT, "classes": [[[str(x) for x in p] for p in c] for c in classes],
           "labels": [[str(x) for x in r] for r in Y]}
    return hashlib.sha256(json.dumps(doc, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 4), st.integers(1, 4), st.sampled_from([1, 2, 6, 7, 2**20, 10**22, 2**63 - 1]), st.data())
def test_instance_from_integer_rows_equals_the_fraction_instance(Q, M, d, data):
    """Instance((rows, d) per class) has the same canonical hash, classes, means and barycentre as the Instance of
    the same points as Fractions (hash against json.dumps of str(Fraction))."""
    num = st.one_of(st.integers(-60, 60), st.integers(-60, 60).map(lambda v: v * d), I64)
    P = [(data.draw(st.lists(st.tuples(*[num] * M), min_size=1, max_size=4)), d) for _ in range(Q)]
    Y = data.draw(st.lists(st.lists(st.fractions(max_denominator=9), min_size=Q, max_size=Q), min_size=1, max_size=3))
    fr = [[[F(v, d) for v in x] for x in X] for X, _ in P]
    a, b = Instance(P, Y), Instance(fr, Y)
    assert a.sha256() == b.sha256() == _reference_sha(fr, Y)
    assert a.classes == b.classes and a.means == b.means and a.bary == b.bary and (a.N, a.M, a.Q) == (b.N, b.M, b.Q)
