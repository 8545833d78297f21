"""exactmin.data.fastparse: the vectorised fast path reads exactly what the scalar parser reads (issue 18).

Token level: every field the fast path takes (ok) has the value parse_rational gives; the common shapes are taken.
File level: CSV and JSON texts of random token mixes load to identical Instances (same rationals, dtype, hash,
class order) or fail with the identical one-line error, with and without the fast path.
"""
import json
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exactmin.data import fastparse, io
from exactmin.data.fastparse import parse_fields
from exactmin.errors import InputError
from exactmin.exact.numbers import parse_rational

DIG = "0123456789"
WS = st.sampled_from(["", "", "", " ", "\t", "  ", "\f", "\v "])


def _digits(lo, hi):
    return st.text(alphabet=DIG, min_size=lo, max_size=hi)


@st.composite
def decimal_tok(draw):
    sign = draw(st.sampled_from(["", "", "+", "-"]))
    ip = draw(st.one_of(_digits(0, 3), _digits(0, 21)))
    fp = draw(st.one_of(st.none(), _digits(0, 3), _digits(0, 21)))
    ex = draw(st.one_of(st.none(), st.tuples(st.sampled_from("eE"), st.sampled_from(["", "+", "-"]),
                                             st.one_of(_digits(1, 2), _digits(1, 10)))))
    t = sign + ip + ("" if fp is None else "." + fp) + ("" if ex is None else "".join(ex))
    return draw(WS) + t + draw(WS)


@st.composite
def fraction_tok(draw):
    sign = draw(st.sampled_from(["", "+", "-"]))
    return draw(WS) + sign + draw(_digits(0, 20)) + "/" + draw(_digits(0, 20)) + draw(WS)


float_tok = st.floats(allow_nan=False, allow_infinity=False).map(repr)
boundary_tok = st.sampled_from(["999999999999999999", "1000000000000000000", "9999999999999999999",
                                "4611686018427387903", "4611686018427387904", "-4611686018427387904",
                                "0.999999999999999999", "99999999999999999.9", "1e18", "1e-18", "1e-19", "5e18",
                                "-0", "+0.0", "-0/7", "0e1001", "1e1000", "1e1001", "1e-1000", ".5", "1.", "007",
                                "1/0", "3/ 4", "1.5/2", ".", "e5", "1e", "nan", "-inf", "Infinity", "0x10", "1_0",
                                "", " ", "1 2", "١", "1.5e+0300", "1e-05", "123456789012345678/999999999999999999"])
garbage_tok = st.text(alphabet=DIG + "+-.eE/ \tx", max_size=14)
TOK = st.one_of(decimal_tok(), fraction_tok(), float_tok, boundary_tok, garbage_tok)


def _ref(t):
    try:
        return parse_rational(t)
    except InputError:
        return None


@settings(max_examples=300, deadline=None)
@given(st.lists(TOK, min_size=1, max_size=40), st.integers(3, 64))
def test_fields_agree_with_scalar_parser(toks, chunk):
    toks = [t for t in toks if "," not in t and t.isascii()]
    if not toks:
        return
    r = parse_fields(",".join(toks).encode(), b",", chunk=chunk)
    assert r.ok.size == len(toks)
    for i, t in enumerate(toks):
        if r.ok[i]:
            assert (int(r.p[i]), int(r.q[i])) == _ref(t), t


def test_common_shapes_take_the_fast_path():
    toks = ["-12", "+2", "007", "-0", "1.", ".5", "-1.25", "3e-2", "1.5E+3", "6/4", "-3/4", " 1 ", "\t-2.5e-3\v",
            "0.050662994384765625", "1.1643238067626953", "1e-05", "-9.5367431640625e-07", "123456789012345678",
            "610441/524288", "0.1", "1e18"]
    r = parse_fields(",".join(toks).encode(), b",")
    assert r.ok.all(), [t for t, o in zip(toks, r.ok) if not o]
    for i, t in enumerate(toks):
        assert Fraction(int(r.p[i]), int(r.q[i])) == Fraction(*parse_rational(t))


def test_swar_digit_runs_exhaustive_lengths():
    rng = np.random.default_rng(20261206)
    toks = []
    for n in range(1, 19):
        for _ in range(50):
            toks.append("".join(str(d) for d in rng.integers(0, 10, n)))
    r = parse_fields(",".join(toks).encode(), b",")
    assert r.ok.all()
    assert [int(v) for v in r.p] == [int(t) for t in toks]


# ------------------------------------------------------------------------------------------------ file level
def _scalar(text, fmt):
    """The loader with the fast path switched off (the scalar path of before issue 18)."""
    with pytest.MonkeyPatch.context() as m:
        m.setattr(fastparse, "load_csv", lambda *a: None)
        m.setattr(fastparse, "json_points", lambda *a: None)
        return _load(text, fmt)


def _load(text, fmt):
    try:
        return io.load_instance_text(text, fmt, "f")
    except InputError as e:
        return str(e)


def _same(a, b):
    if isinstance(a, str) or isinstance(b, str):
        assert a == b
        return
    assert a.same_data(b) and a.X0_num.dtype == b.X0_num.dtype and a.sizes == b.sizes
    assert a.sha256 == b.sha256 and a.name == b.name


VALID = st.one_of(decimal_tok(), fraction_tok(), float_tok).filter(lambda t: _ref(t) is not None)
CLASS = st.one_of(st.sampled_from(["0", "1", "2", "10", "-1", "+1", "01", "a", "b", " 3 "]),
                  st.integers(-5, 20).map(str))


@st.composite
def csv_text(draw):
    M = draw(st.integers(1, 4))
    n = draw(st.integers(1, 12))
    bad = draw(st.booleans())
    rows = []
    if draw(st.booleans()):
        rows.append(",".join(f"x{k}" for k in range(M)) + ",class")
    classes = draw(st.lists(CLASS, min_size=1, max_size=4))
    for _ in range(n):
        nums = draw(st.lists(TOK if bad else VALID, min_size=M, max_size=M))
        nums = [t.replace(",", "").replace("\n", "") for t in nums]
        rows.append(",".join(nums) + "," + draw(st.sampled_from(classes)))
        if draw(st.integers(0, 9)) == 0:
            rows.append(draw(st.sampled_from(["", " ", ",", " , "])))
    end = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return end.join(rows) + draw(st.sampled_from(["", end]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(csv_text())
def test_csv_fast_equals_scalar(text):
    _same(_load(text, "csv"), _scalar(text, "csv"))


@st.composite
def json_text(draw):
    M = draw(st.integers(1, 4))
    Q = draw(st.integers(1, 3))
    bad = draw(st.booleans())

    def num():
        if draw(st.booleans()):
            v = draw(st.one_of(st.integers(-10**25, 10**25), st.floats(allow_nan=False, allow_infinity=False)))
            return json.dumps(v)
        return json.dumps(draw(TOK if bad else VALID))

    classes = []
    for _ in range(Q):
        pts = ["[" + ", ".join(num() for _ in range(M)) + "]" for _ in range(draw(st.integers(1, 5)))]
        classes.append('{"points": [' + ",".join(pts) + "]}")
    return '{"format": "exactmin-instance/1", "classes": [' + ", ".join(classes) + "]}"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(json_text())
def test_json_fast_equals_scalar(text):
    _same(_load(text, "json"), _scalar(text, "json"))


@pytest.mark.parametrize("text,fmt", [
    ("1,2,0\n3,4,1\n", "csv"), ("x,y,c\n1.5,-2,a\n3/4,1e-3,b\n", "csv"), ("1,2,1\n3,4,01\n", "csv"),
    ("1,2,0\n3,\"4\",1\n", "csv"), ("1,2,0\n3,4\n", "csv"), ("1,2,0\n3,1/0,1\n", "csv"),
    ("1,2,0\n" + "1" * 30 + ",4,1\n", "csv"), ("1," + " " * 100 + ",0\n", "csv"),
    ('{"classes": [{"points": [[1, "2,5"]]}]}', "json"), ('{"classes": [{"points": [[1, "a"]]}]}', "json"),
    ('{"classes": [{"points": [[1, 2]]}], "labels": [[1, 2]]}', "json"),
    ('{"classes": [{"points": [[1, 2]]}, {"points": [[1e-400, 2]]}]}', "json"),
])
def test_pinned_cases(text, fmt):
    _same(_load(text, fmt), _scalar(text, fmt))
    if text.startswith(("1,2,0\n3,4,1", "x,y,c")):
        assert fastparse.load_csv(text, "f", "f") is not None


def test_random_float_export_file():
    """Data written from floats (repr, up to 17 significant digits, exponents like 1e-05), as users export."""
    seed = 1765051234
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((300, 3)) * 10.0 ** rng.integers(-6, 3, (300, 3))
    cls = rng.integers(0, 4, 300)
    text = "a,b,c,class\n" + "".join(",".join(repr(float(v)) for v in row) + f",{c}\n" for row, c in zip(X, cls))
    a = _load(text, "csv")
    _same(a, _scalar(text, "csv"))
    assert fastparse.load_csv(text, "f", "f") is not None          # the fast path took the file
    assert a.X0_num.dtype == object and "sha256" in a._cache        # hashed from the per-token pairs
    pts = [[[repr(float(v)) for v in row] for row, c in zip(X, cls) if c == j] for j in range(4)]
    jt = json.dumps({"classes": [{"points": [[float(v) for v in p] for p in c]} for c in pts]})
    flat = [str(float(v)) for c in pts for p in c for v in p]
    assert fastparse.json_points(flat, len(flat), "f") is not None
    b = _load(jt, "json")
    _same(b, _scalar(jt, "json"))
    assert a.sha256 == b.sha256


# ---------------------------------------------------------------- wide denominators (data written from floats)
WIDE_TOK = st.one_of(
    st.floats(min_value=-1e-2, max_value=1e-2, allow_nan=False).map(repr),          # 17 digits below 0.01
    st.builds(lambda s, z, d: s + "0." + "0" * z + d, st.sampled_from(["", "-"]), st.integers(0, 12),
              _digits(1, 18).filter(lambda t: t.strip("0"))),                        # denominators up to 10**30
    st.builds(lambda d, e: f"{d}e-{e}", st.integers(1, 10**17), st.integers(17, 34)),
    st.floats(allow_nan=False, allow_infinity=False).map(repr), fraction_tok())


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(st.lists(WIDE_TOK.filter(lambda t: _ref(t) is not None), min_size=2, max_size=40), st.integers(1, 3))
def test_wide_denominators_hash_from_pairs_like_the_reference(toks, M):
    """Tokens whose reduced denominators exceed int64 (floats' 17-digit decimals below 0.01, long decimals) keep the
    per-token hash: the bytes equal the json.dumps reference of the scalar loader."""
    toks = [t.replace(",", "").strip() for t in toks]
    n = len(toks) // M
    if n == 0:
        return
    rows = [",".join(toks[i * M:(i + 1) * M]) + f",{i % 3}" for i in range(n)]
    text = "\n".join(rows) + "\n"
    a, b = _load(text, "csv"), _scalar(text, "csv")
    if not isinstance(a, str) and a.X0_num.dtype == object:        # before _same computes the hash
        small = all(abs(parse_rational(t)[0]) < 2**62 and parse_rational(t)[1] < 10**36 for t in toks[:n * M])
        assert ("sha256" in a._cache) == small
    _same(a, b)


def test_float_export_with_wide_denominators_is_hashed_from_pairs(monkeypatch):
    """A float export with values below 0.01 (reduced denominators 10**19 .. 10**22): the hash is streamed from the
    per-token pairs with a high denominator part, and equals the hash of the json.dumps reference bytes."""
    import hashlib

    from exactmin.exact import canon
    seen = []
    real = canon.canonical_sha256
    monkeypatch.setattr(canon, "canonical_sha256", lambda inst, P=None, D=None, Dhi=None:
                        seen.append(Dhi is not None) or real(inst, P, D, Dhi))
    rng = np.random.default_rng(20261207)
    X = rng.standard_normal((500, 4)) * 10.0 ** rng.integers(-5, 2, (500, 4))
    text = "".join(",".join(repr(float(v)) for v in row) + f",{c}\n" for row, c in zip(X, rng.integers(0, 3, 500)))
    a = _load(text, "csv")
    assert seen == [True] and a.X0_num.dtype == object and a.X0_den > 10**20 and "sha256" in a._cache
    from exactmin.data.instance import Instance
    ref = Instance("r", a.X0_num, a.X0_den, a.sizes, a.Y)       # nothing cached: the json.dumps reference
    assert a.sha256 == hashlib.sha256(ref.canonical_bytes()).hexdigest()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.integers(1, 2**62), st.builds(lambda a, b: 2**a * 5**b, st.integers(0, 40),
                                                              st.integers(0, 18)).filter(lambda v: v < 2**62),
                          st.sampled_from([1, 2, 3, 2**61, 3 * 2**60])), min_size=1, max_size=60))
def test_denominator_index_equals_sorting(qs):
    """assemble's index of the distinct denominators (one key per odd part and power of two) equals sorting."""
    q = np.array(qs, dtype=np.int64)
    tz = fastparse._tz(q)
    oq = q >> tz
    uq, inv = fastparse._index(q, tz, oq, fastparse._distinct(oq))
    assert uq.tolist() == sorted(set(qs)) and (uq[inv] == q).all()
