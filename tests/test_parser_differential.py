"""Differential test of the two instance parsers (docs/instance-format.md): the library's
(exactmin.data.io.load_instance) and the kernel's (exactmin.certify.kernel.instance, standard library only).

Hypothesis writes random valid and malformed JSON, CSV and NPZ files; for every file the two parsers must either
both reject it, or both accept it with the same canonical hash, the same class sizes and the same class order
(the hash lists the classes in order, the first point of each class is compared too).  The class-order case is
also run in subprocesses under several PYTHONHASHSEED values, which must all print the same answers.
"""
from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import zipfile
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exactmin.certify import kernel
from exactmin.certify.kernel import instance as kernel_instance
from exactmin.data.io import load_instance
from exactmin.errors import InputError

SETTINGS = settings(max_examples=int(os.environ.get("EXACTMIN_DIFF_EXAMPLES", "150")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                           HealthCheck.data_too_large])


# ------------------------------------------------------------------------------------------------ the oracle
def outcome_library(path):
    try:
        inst = load_instance(path)
    except InputError as e:
        msg = str(e)
        assert "\n" not in msg, msg
        return ("reject", msg)
    first = [tuple(str(x) for x in inst.point(j, 0)) for j in range(inst.Q)]
    return ("accept", inst.sha256, tuple(inst.sizes), tuple(first))


def outcome_kernel(path):
    try:
        inst = kernel.load_instance(path)
    except kernel.InstanceError as e:
        msg = str(e)
        assert "\n" not in msg, msg
        return ("reject", msg)
    first = [tuple(str(x) for x in c[0]) for c in inst.classes]
    return ("accept", inst.sha256(), tuple(inst.sizes), tuple(first))


def agree(path):
    """Both reject, or both accept with the same hash, sizes and class order; returns the common verdict."""
    a, b = outcome_library(path), outcome_kernel(path)
    assert a[0] == b[0], (Path(path).name, a, b)
    if a[0] == "accept":
        assert a[1:] == b[1:], (Path(path).name, a, b)
    return a[0]


# ------------------------------------------------------------------------------------------------ number tokens
JSON_LITERAL = __import__("re").compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
WS = st.sampled_from(["", "", "", " ", "  ", "\t", " \t ", "\n", "\r", "\f", "\v"])
SIGN = st.sampled_from(["", "", "-", "+"])


@st.composite
def valid_token(draw):
    kind = draw(st.sampled_from(["int", "int", "dec", "frac", "exp", "magnitude", "zero", "big"]))
    sign = draw(SIGN)
    if kind == "int":
        body = draw(st.sampled_from(["", "", "0", "00"])) + str(draw(st.integers(0, 10**25)))
    elif kind == "dec":
        ip = str(draw(st.integers(0, 10**6))) if draw(st.booleans()) else ""
        fp = str(draw(st.integers(0, 10**8))).rjust(draw(st.integers(1, 9)), "0")
        body = draw(st.sampled_from([f"{ip or '0'}.{fp}", f"{ip}.{fp}", f"{ip or '1'}."]))
    elif kind == "frac":
        body = f"{draw(st.integers(0, 10**12))}/{draw(st.integers(1, 10**12))}"
    elif kind == "exp":
        m = draw(st.sampled_from(["1", "25", "3.5", ".5", "7.", "123456789"]))
        e = draw(st.integers(-MAX_E, MAX_E))
        body = f"{m}{draw(st.sampled_from('eE'))}{draw(SIGN) if e >= 0 else '-'}{abs(e):0{draw(st.integers(1, 5))}d}"
    elif kind == "magnitude":                                       # 10^-300 .. 10^300
        body = f"{draw(st.integers(1, 9))}.{draw(st.integers(0, 10**6))}e{draw(st.integers(-300, 300))}"
    elif kind == "zero":
        body = draw(st.sampled_from(["0", "0.0", "0e5", "0/7", ".0", "0.", "000"]))
    else:                                                           # at the bounds, still valid
        body = draw(st.sampled_from(["9" * 3999, "1" * 4000 + "/" + "7" * 4000, "1e1000", "1e-1000",
                                     "0." + "0" * 3998 + "1", "1" * 3000 + "e-1000"]))
    return draw(WS) + sign + body + draw(WS)


MAX_E = 1000
BAD_TOKENS = ["inf", "-inf", "+Infinity", "nan", "NaN", "-nan", "1/0", "0/0", "1e1001", "1e-1001", "1e99999", "",
              " ", "abc", "1_000", "0x10", "\u00a01", "1\u00a0", "1e", ".", "e5", "1/-2", "3/ 4", "1.5/2",
              "\u0661", "--1", "+-1", "1 2", "1" * 4001, "1/" + "1" * 4001, "0." + "0" * 4000 + "1",
              "9" * 4000 + "e1", "1e00000000001001", " " * 8100 + "1", "1,5", "½", "1.2.3",
              # what int() would take after the kernel's plain-decimal fast path removes a '.' (instance.plain_point)
              ".-5", ".+5", "-.", "+.", "5.-3", "1-2", "5+", "\x1c1", "1\x1f", "1__0", "-1.5.", "1.5e"]


# ------------------------------------------------------------------------------------------------ JSON
def _json_value(tok: str, as_string: bool) -> str:
    if not as_string and JSON_LITERAL.fullmatch(tok):
        return tok
    return json.dumps(tok)


@st.composite
def json_text(draw):
    Q = draw(st.integers(1, 4))
    M = draw(st.integers(1, 3))
    classes = []
    for _ in range(Q):
        n = draw(st.integers(1, 3))
        classes.append([[draw(valid_token()) if draw(st.integers(0, 60)) else draw(st.sampled_from(BAD_TOKENS))
                         for _ in range(M)] for _ in range(n)])
    mutation = draw(st.sampled_from(["none"] * 8 + ["ragged", "empty-class", "no-classes", "dup-top", "dup-class",
                                                    "nan-extra", "name-int", "format", "labels-null", "labels-row",
                                                    "labels-ok", "labels-ok", "bool", "null", "nested", "Infinity",
                                                    "classes-empty", "extra-keys", "name-str"]))
    as_str = draw(st.booleans())

    def pt(p):
        return "[" + ", ".join(_json_value(t, as_str or draw(st.booleans())) for t in p) + "]"
    cls_txt = []
    for j, c in enumerate(classes):
        pts = [pt(p) for p in c]
        if mutation == "ragged" and j == Q - 1:
            pts[-1] = pt(c[-1] + ["1"])
        if mutation == "empty-class" and j == Q - 1:
            pts = []
        if mutation == "bool" and j == 0:
            pts[0] = "[true" + ", 1" * (M - 1) + "]"
        if mutation == "null" and j == 0:
            pts[0] = "[null" + ", 1" * (M - 1) + "]"
        if mutation == "nested" and j == 0:
            pts[0] = "[[1]" + ", 1" * (M - 1) + "]"
        if mutation == "Infinity" and j == 0:
            pts[0] = "[-Infinity" + ", 1" * (M - 1) + "]"
        extra = ', "points": []' if mutation == "dup-class" and j == 0 else ""
        extra += ', "note": "x"' if mutation == "extra-keys" else ""
        cls_txt.append('{"points": [' + ", ".join(pts) + "]" + extra + "}")
    fields = []
    if mutation == "format":
        fields.append('"format": "exactmin-instance/2"')
    elif draw(st.booleans()):
        fields.append('"format": "exactmin-instance/1"')
    if mutation == "name-int":
        fields.append('"name": 5')
    elif mutation == "name-str":
        fields.append('"name": "x y"')
    if mutation != "no-classes":
        fields.append('"classes": [' + ("" if mutation == "classes-empty" else ", ".join(cls_txt)) + "]")
    if mutation == "dup-top":
        fields.append('"classes": []')
    if mutation == "nan-extra":
        fields.append('"comment": NaN')
    if mutation == "extra-keys":
        fields.append('"zzz": {"a": [1, 2]}')
    if mutation == "labels-null":
        fields.append('"labels": null')
    if mutation in ("labels-ok", "labels-row"):
        R = draw(st.integers(1, 3))
        rows = [[draw(valid_token()) for _ in range(Q + (mutation == "labels-row" and r == 0))] for r in range(R)]
        fields.append('"labels": [' + ", ".join(pt(r) for r in rows) + "]")
    order = draw(st.permutations(fields))
    return "{" + ", ".join(order) + "}"


@SETTINGS
@given(text=json_text())
def test_json_differential(tmp_path_factory, text):
    p = tmp_path_factory.mktemp("j") / "i.json"
    p.write_text(text, encoding="utf-8")
    agree(p)


# ------------------------------------------------------------------------------------------------ CSV
CLASS_TOKENS = ["0", "1", "2", "10", "9", "-1", "01", "+1", "002", "a", "b", "setosa", " c ", "1.5", "x y"]
HEADERS = ["x", "y", "z", "col 1", "", "feature", "inf", "nan", "1", "1e99999", "1/0", "-", "e5", "a1", "Infinity"]


@st.composite
def csv_text(draw):
    M = draw(st.integers(1, 3))
    rows = []
    if draw(st.booleans()):
        rows.append([draw(st.sampled_from(HEADERS)) for _ in range(M)] + [draw(st.sampled_from(["class", "", "y"]))])
    pool = draw(st.lists(st.sampled_from(CLASS_TOKENS), min_size=1, max_size=4, unique=True))
    for _ in range(draw(st.sampled_from([0, 1, 2, 3, 4, 5, 6, 3, 4, 5]))):
        r = [draw(valid_token()) if draw(st.integers(0, 40)) else draw(st.sampled_from(BAD_TOKENS)) for _ in range(M)]
        rows.append(r + [draw(st.sampled_from(pool))])
    mutation = draw(st.sampled_from(["none"] * 6 + ["ragged", "empty-label", "blank", "blank-ws", "quote",
                                                    "one-field", "long-label"]))
    if rows and mutation == "ragged":
        rows[-1] = rows[-1] + ["1"]
    if rows and mutation == "empty-label":
        rows[-1][-1] = draw(st.sampled_from(["", "  "]))
    if rows and mutation == "long-label":
        rows[-1][-1] = "L" * 201
    if mutation == "one-field":
        rows.insert(0, ["1"])
    out = io.StringIO()
    nl = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    for r in rows:
        if mutation in ("blank", "blank-ws") and draw(st.booleans()):
            out.write(("" if mutation == "blank" else " , \t") + nl)
        if mutation == "quote" or any(c in f for f in r for c in ',"\r\n'):
            out.write(",".join('"' + f.replace('"', '""') + '"' for f in r) + nl)
        else:
            out.write(",".join(r) + nl)
    text = out.getvalue()
    if draw(st.integers(0, 9)) == 0:
        text = "\ufeff" + text
    return text


@SETTINGS
@given(text=csv_text())
def test_csv_differential(tmp_path_factory, text):
    p = tmp_path_factory.mktemp("c") / "i.csv"
    p.write_bytes(text.encode("utf-8"))
    agree(p)


# ------------------------------------------------------------------------------------------------ NPZ
INT_DTYPES = ["<i1", "<i2", "<i4", "<i8", ">i2", ">i4", ">i8", "<u1", "<u2", "<u4", "<u8", ">u8", "|i1", "|u1"]


def _npy_bytes(arr: np.ndarray, header: str | None = None, version=(1, 0), fortran=None, extra=b"") -> bytes:
    """A .npy member written by hand, so that the header text can be chosen freely."""
    if fortran is None:
        fortran = bool(arr.ndim > 1 and arr.flags.f_contiguous and not arr.flags.c_contiguous)
    if header is None:
        header = "{'descr': %r, 'fortran_order': %s, 'shape': %r, }" % (arr.dtype.str, fortran, tuple(arr.shape))
    pre = 10 if version == (1, 0) else 12
    h = header.encode("latin1")
    pad = (64 - (pre + len(h) + 1) % 64) % 64
    h = h + b" " * pad + b"\n"
    hl = struct.pack("<H", len(h)) if version == (1, 0) else struct.pack("<I", len(h))
    data = arr.tobytes(order="F" if fortran else "C")
    return b"\x93NUMPY" + bytes(version) + hl + h + data + extra


def _header_variants(arr: np.ndarray, draw):
    """Valid spellings of the header of a C-order array, and malformed ones."""
    d, shp = arr.dtype.str, tuple(arr.shape)
    if len(shp) == 0:
        shape_txt = draw(st.sampled_from(["()", "( )"]))
    elif len(shp) == 1:
        shape_txt = draw(st.sampled_from([f"({shp[0]},)", f"( {shp[0]} , )", f"({shp[0]})", f"[{shp[0]}]",
                                          f"(0{shp[0]},)"]))
    elif len(shp) > 2:
        shape_txt = "(" + ", ".join(map(str, shp)) + ")"
    else:
        a, b = shp
        shape_txt = draw(st.sampled_from([f"({a}, {b})", f"({a},{b})", f"( {a} , {b} )", f"({a}, {b},)",
                                          f"({a}, {b}, )", f"({a}; {b})", f"({a}, {b}, 1)", f"({a} {b})"]))
    descr = draw(st.sampled_from([repr(d)] * 4 + ["'=i8'", "'i8'", "'<f8'", "'|b1'", "'|O'", '"%s"' % d,
                                                  "'%s'" % d.replace("<", "|") if d[1:] != "i1" else repr(d)]))
    fo = draw(st.sampled_from(["False"] * 4 + ["false", "0"]))
    entries = [f"'descr': {descr}", f"'fortran_order': {fo}", f"'shape': {shape_txt}"]
    if draw(st.integers(0, 9)) == 0:
        entries.append(entries[0])                                  # a repeated key
    if draw(st.integers(0, 9)) == 0:
        entries.pop(draw(st.integers(0, 2)))                        # a missing key
    order = draw(st.permutations(entries))
    sep = draw(st.sampled_from([", ", ",", " , "]))
    tail = draw(st.sampled_from(["", ", ", ",", ",,", " "]))
    return draw(st.sampled_from(["{", "{ "])) + sep.join(order) + tail + draw(st.sampled_from(["}", " }"]))


def _write_zip(path: Path, members: list[tuple[str, bytes]], compress: bool, encrypt: bool = False):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED) as z:
        for name, data in members:
            z.writestr(name, data)
    if encrypt:
        raw = bytearray(path.read_bytes())
        for sig, off in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
            i = raw.find(sig)
            while i >= 0:
                raw[i + off] |= 1
                i = raw.find(sig, i + 4)
        path.write_bytes(bytes(raw))


def _values(draw, dtype: str, shape, lo=None, hi=None):
    info = np.iinfo(np.dtype(dtype))
    lo = info.min if lo is None else max(lo, info.min)
    hi = info.max if hi is None else min(hi, info.max)
    n = int(np.prod(shape)) if shape else 1
    small = draw(st.booleans())
    vals = [draw(st.integers(max(lo, -50), min(hi, 50)) if small else st.integers(lo, hi)) for _ in range(n)]
    return np.array(vals, dtype=object).astype(np.dtype(dtype)).reshape(shape)


@st.composite
def npz_case(draw):
    N, M = draw(st.integers(1, 5)), draw(st.integers(1, 3))
    num = _values(draw, draw(st.sampled_from(INT_DTYPES)), (N, M))
    den_shape = draw(st.sampled_from([(), (1,), (N,), (N, M), (N, M), (N,), (N + 1,), (M, N), (N, 1), (1, M),
                                      (N, M, 1)]))
    den = _values(draw, draw(st.sampled_from(INT_DTYPES)), den_shape, lo=draw(st.sampled_from([1, 1, 1, 0, -2])),
                  hi=10**6 if draw(st.booleans()) else None)
    Q = draw(st.integers(1, N))
    cls = list(range(Q)) + [draw(st.integers(0, Q - 1)) for _ in range(N - Q)]
    cls = draw(st.permutations(cls))
    cmut = draw(st.sampled_from(["none"] * 6 + ["negative", "gap", "shape", "huge"]))
    if cmut == "negative":
        cls[draw(st.integers(0, N - 1))] = -1
    elif cmut == "gap":
        cls = [c + (c >= 1) for c in cls] if N > 1 else [1]
    elif cmut == "huge":
        cls[0] = 1000
    dtypes = {"negative": ["<i8", "<i1", ">i4"], "huge": ["<i8", ">i2", "<u8"]}.get(cmut, ["<i8", "<i4", "<u1", ">i2",
                                                                                        "<u8"])
    cls_arr = np.array(cls, dtype=draw(st.sampled_from(dtypes)))
    if cmut == "shape":
        cls_arr = cls_arr.reshape(N, 1) if draw(st.booleans()) else cls_arr[:-1]
    arrays = {"num": num, "den": den, "cls": cls_arr}
    lmut = draw(st.sampled_from(["none", "none", "ok", "ok", "den-only", "bad-shape", "zero-den"]))
    Qr = max(int(c) for c in cls) + 1 if cmut != "shape" else Q
    if lmut in ("ok", "bad-shape", "zero-den"):
        R = draw(st.integers(1, 3))
        arrays["labels_num"] = _values(draw, "<i8", (R, Qr + (lmut == "bad-shape")), lo=-9, hi=9)
        if draw(st.booleans()) or lmut == "zero-den":
            arrays["labels_den"] = _values(draw, "<i4", draw(st.sampled_from([(), (1,), (R, Qr)])),
                                           lo=0 if lmut == "zero-den" else 1, hi=7)
    elif lmut == "den-only":
        arrays["labels_den"] = np.array(2)
    for k in list(arrays):
        if draw(st.integers(0, 6)) == 0 and arrays[k].ndim == 2:
            arrays[k] = np.asfortranarray(arrays[k])
    amut = draw(st.sampled_from(["none"] * 8 + ["float-num", "bool-cls", "missing", "extra-member", "duplicate",
                                               "header", "header", "header", "trailing", "truncated", "encrypt",
                                               "version2", "version9", "other-name"]))
    if amut == "float-num":
        arrays["num"] = num.astype(np.float64)
    if amut == "bool-cls":
        arrays["cls"] = np.zeros(N, dtype=bool)
    members = []
    for k, a in arrays.items():
        members.append((f"{k}.npy", _npy_bytes(a, version=(2, 0) if amut == "version2" else (1, 0))))
    if amut == "header":
        k = draw(st.sampled_from(sorted(arrays)))
        a = np.ascontiguousarray(arrays[k])
        members = [(n, _npy_bytes(a, header=_header_variants(a, draw)) if n == f"{k}.npy" else b)
                   for n, b in members]
    if amut == "missing":
        members.pop(draw(st.integers(0, len(members) - 1)))
    if amut == "extra-member":
        members.append(("notes.txt", b"ignored"))
    if amut == "other-name":
        members = [("num" if n == "num.npy" else n, b) for n, b in members]
    if amut == "duplicate":
        members.append(members[0])
    if amut == "trailing":
        i = draw(st.integers(0, len(members) - 1))
        members[i] = (members[i][0], members[i][1] + b"\x00" * draw(st.integers(1, 9)))
    if amut == "version9":
        members[0] = (members[0][0], members[0][1][:6] + b"\x09\x00" + members[0][1][8:])
    compress = draw(st.booleans())
    cut = draw(st.integers(1, 200)) if amut == "truncated" else 0
    return members, compress, amut == "encrypt", cut


@SETTINGS
@given(case=npz_case())
def test_npz_differential(tmp_path_factory, case):
    import warnings
    members, compress, encrypt, cut = case
    p = tmp_path_factory.mktemp("n") / "i.npz"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")                             # "Duplicate name" from zipfile
        _write_zip(p, members, compress, encrypt)
    if cut:
        raw = p.read_bytes()
        p.write_bytes(raw[:max(0, len(raw) - cut)])
    agree(p)


# ------------------------------------------------------------------------------------------------ fixed cases
def _savez(path, **arrays):
    with open(path, "wb") as fh:
        np.savez(fh, **arrays)
    return path


def test_reported_disagreements_are_gone(tmp_path):
    """The five cases of issue 14: each is now rejected by both parsers."""
    cases = {
        "neg.npz": dict(num=np.array([[1, 2], [3, 4], [5, 6]]), den=np.int64(1), cls=np.array([0, 1, -1])),
        "den.npz": dict(num=np.array([[1, 2], [3, 4]]), den=np.array([1, 2, 3, 4, 5]), cls=np.array([0, 1])),
    }
    for name, arrays in cases.items():
        assert agree(_savez(tmp_path / name, **arrays)) == "reject", name
    plain = _savez(tmp_path / "plain.npz", num=np.array([[1, 2], [3, 4]]), den=np.int64(3), cls=np.array([1, 0]))
    assert agree(plain) == "accept"
    enc = tmp_path / "enc.npz"
    with zipfile.ZipFile(plain) as z:
        members = [(n, z.read(n)) for n in z.namelist()]
    _write_zip(enc, members, compress=False, encrypt=True)
    assert agree(enc) == "reject"
    for name, text in {"o.csv": "1,2,1\n3,4,01\n", "hdr.csv": "1,inf,0\n1,2,0\n3,4,1\n",
                       "nan_hdr.csv": "nan,inf,0\n1,2,0\n", "big_hdr.csv": "1e99999,2,0\n1,2,0\n"}.items():
        p = tmp_path / name
        p.write_text(text)
        assert agree(p) == "reject", name
    ok = tmp_path / "hdr_ok.csv"
    ok.write_text("x,y,class\n1,2,0\n3,4,1\n")
    assert agree(ok) == "accept"


def test_npz_header_caps_before_data(tmp_path, monkeypatch):
    """A small archive whose header announces more than MAX_NUMBERS elements is rejected from the header alone:
    neither parser reads the member's data."""
    from exactmin.data import io as lib_io
    monkeypatch.setattr(lib_io, "MAX_NUMBERS", 10**5)
    monkeypatch.setattr(kernel_instance, "MAX_NUMBERS", 10**5)
    num = np.zeros((200_000, 1), dtype=np.int64)                    # 1.6 MB, compresses to a few kB
    p = tmp_path / "bomb.npz"
    with open(p, "wb") as fh:
        np.savez_compressed(fh, num=num, den=np.int64(1), cls=np.zeros(200_000, dtype=np.int64))
    assert p.stat().st_size < 40_000
    reads = []
    real_read = zipfile.ZipExtFile.read

    def counting_read(self, n=-1):
        data = real_read(self, n)
        reads.append(len(data))
        return data
    monkeypatch.setattr(zipfile.ZipExtFile, "read", counting_read)
    assert agree(p) == "reject"
    assert max(reads) < 100_000, reads                              # only headers were decompressed


def test_common_denominator_bound(tmp_path):
    """Section 6: 20000 coordinates with random odd ~61-bit denominators need a common denominator of about a
    million bits, more than 2^33 / 20000 = 429496; both reject (before allocating the numerators)."""
    rng = np.random.default_rng(7)
    N, M = 10000, 2
    den = (rng.integers(2**60, 2**62, size=(N, M), dtype=np.int64) | 1)
    p = _savez(tmp_path / "lcm.npz", num=np.ones((N, M), dtype=np.int64), den=den, cls=np.zeros(N, dtype=np.int64))
    assert agree(p) == "reject"


def test_valid_files_of_every_number_format_are_accepted(tmp_path):
    """Not vacuous: a file of valid tokens of every kind is accepted by both, with the exact values."""
    toks = ["+7", " -0 ", "007", "1.", ".5", "-1.25", "3e-2", "1.5E+0003", "6/4", "-3/4", "1e-300", "9.99e300",
            "\t2\t", "0e5", "1" * 4000 + "/" + "7" * 4000]
    rows = [f'"{toks[i]}","{toks[(i + 1) % len(toks)]}",{i % 3}' for i in range(len(toks))]
    p = tmp_path / "all.csv"
    p.write_text("a,b,cls\n" + "\n".join(rows) + "\n")
    assert agree(p) == "accept"
    inst = kernel.load_instance(p)
    assert inst.classes[0][0] == [Fraction(7), Fraction(0)]
    j = tmp_path / "all.json"
    j.write_text(json.dumps({"classes": [{"points": [[t, "1"] for t in toks]}], "labels": [["1/2"]]}))
    assert agree(j) == "accept"


# ------------------------------------------------------------------------------------------------ hash seeds
_SEED_SCRIPT = r"""
import sys
from exactmin.certify import kernel
from exactmin.certify.kernel import instance as kernel_instance
from exactmin.data.io import load_instance
from exactmin.errors import InputError
for path in sys.argv[1:]:
    try:
        a = load_instance(path).sha256
    except InputError:
        a = "reject"
    try:
        b = kernel.load_instance(path).sha256()
    except kernel.InstanceError:
        b = "reject"
    print(path, a, b)
"""

SEED_CSVS = {
    "spellings.csv": "1,2,1\n3,4,01\n5,6,1\n",
    "plus.csv": "1,2,+1\n3,4,1\n",
    "zeros.csv": "1,2,0\n3,4,-0\n",
    "ints.csv": "1,2,10\n3,4,9\n5,6,-1\n7,8,10\n9,9,002\n",
    "mixed.csv": "1,2,1\n3,4,01\n5,6,a\n7,8,1\n",
    "strings.csv": "1,2,b\n3,4,a\n5,6,c\n7,8,a\n",
    "many.csv": "".join(f"{i},{i},{t}\n" for i, t in enumerate(["3", "1", "2", "7", "5", "4", "6", "0", "9", "8"])),
}


def test_class_order_independent_of_hash_seed(tmp_path):
    paths = []
    for name, text in SEED_CSVS.items():
        (tmp_path / name).write_text(text)
        paths.append(str(tmp_path / name))
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[1])
    env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
    outs = []
    for seed in ("0", "1", "2", "3", "12345", "4294967295"):
        env["PYTHONHASHSEED"] = seed
        r = subprocess.run([sys.executable, "-c", _SEED_SCRIPT, *paths], env=env, capture_output=True, text=True,
                           timeout=120)
        assert r.returncode == 0, r.stderr
        outs.append(r.stdout)
    assert len(set(outs)) == 1, outs
    lines = [ln.split() for ln in outs[0].splitlines()]
    for path, a, b in lines:
        assert a == b, (path, a, b)
    verdict = {Path(p).name: a for p, a, _ in lines}
    assert verdict["spellings.csv"] == verdict["plus.csv"] == verdict["zeros.csv"] == "reject"
    assert verdict["ints.csv"] != "reject" and verdict["mixed.csv"] != "reject"


def test_big_endian_uint64_beyond_int64_is_read_exactly(tmp_path):
    """Found by test_npz_differential (seed-independent regression): a '>u8' numerator 2^63 was wrapped to -2^63 by
    the library (its dtype is not == np.uint64, which is little-endian), while the kernel read 2^63."""
    import numpy as np
    p = tmp_path / "i.npz"
    np.savez(p, num=np.array([[2**63, 5]], dtype=">u8"), den=np.int8(3), cls=np.array([0]))
    assert agree(str(p)) == "accept"
    assert Fraction(str(load_instance(str(p)).point(0, 0)[0])) == Fraction(2**63, 3)


def test_csv_common_denominator_bound_reads_reduced_denominators(tmp_path, monkeypatch):
    """Section 6 on CSV files, with the bound made small (2^33 -> 640 bits over 4 coordinates: 160 bits): decimals
    whose UNREDUCED denominators 10^k exceed it but whose reduced ones do not are accepted by both readers (the
    kernel reads decimals as n / 10^k and checks the lcm of the classes' denominators first, then the reduced
    ones); fractions with large coprime denominators are rejected by both."""
    from exactmin.data import instance as lib_instance
    monkeypatch.setattr(lib_instance, "MAX_TOTAL_BITS", 640)
    monkeypatch.setattr(kernel_instance, "MAX_TOTAL_BITS", 640)
    ok = tmp_path / "ok.csv"
    ok.write_text("0.5" + "0" * 60 + ",1.25,a\n-0.75" + "0" * 70 + ",2,b\n")
    assert agree(ok) == "accept"
    bad = tmp_path / "bad.csv"
    bad.write_text(f"1/{2**61 - 1},1/{2**89 - 1},a\n1/{2**107 - 1},3,b\n")          # coprime: 257 bits > 160
    assert agree(bad) == "reject"
    assert "common denominator" in outcome_kernel(bad)[1]
    for name, rows in (("ok.json", [["0.5" + "0" * 60, "1.25"], ["-0.75" + "0" * 70, "2"]]),
                       ("bad.json", [[f"1/{2**61 - 1}", f"1/{2**89 - 1}"], [f"1/{2**107 - 1}", "3"]])):
        (tmp_path / name).write_text(json.dumps({"classes": [{"points": [r]} for r in rows]}))
        assert agree(tmp_path / name) == ("accept" if name == "ok.json" else "reject")
