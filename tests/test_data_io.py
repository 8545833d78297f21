"""exactmin.data.io / instance: exact loading of JSON, CSV, NPZ; bad-input corpus; canonical hash."""

import hashlib
import json
import time
from fractions import Fraction
from pathlib import Path

import flint
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exactmin.data.bundled import bundled, bundled_dir, list_bundled
from exactmin.data.instance import Instance
from exactmin.data.io import (instance_to_csv_text, instance_to_json_text, load_instance, load_instance_text,
                              save_npz, write_instance)
from exactmin.errors import InputError


def _json(classes, labels=None, **extra):
    d = {"format": "exactmin-instance/1", "classes": [{"points": c} for c in classes], **extra}
    if labels is not None:
        d["labels"] = labels
    return json.dumps(d)


def _value(inst, j, i, k):
    return Fraction(int(inst.X0_num[k, inst.class_slice(j).start + i]), inst.X0_den)


# ------------------------------------------------------------------------------------------------ exactness
def test_json_numbers_are_exact_decimals():
    text = '{"classes": [{"points": [[0.1, 1e-3, "3e-2"], [2, "3/4", -1.25E+1]]}, ' \
           '{"points": [[123456789012345678901234567890, 0.3333333333333333333333333, 0]]}]}'
    inst = load_instance_text(text, "json")
    assert _value(inst, 0, 0, 0) == Fraction(1, 10)
    assert _value(inst, 0, 0, 1) == Fraction(1, 1000)
    assert _value(inst, 0, 0, 2) == Fraction(3, 100)
    assert _value(inst, 0, 1, 1) == Fraction(3, 4)
    assert _value(inst, 0, 1, 2) == Fraction(-25, 2)
    assert _value(inst, 1, 0, 0) == 123456789012345678901234567890
    assert _value(inst, 1, 0, 1) == Fraction("0.3333333333333333333333333")
    assert inst.X0_num.dtype == object  # entries beyond 2**62 stay exact Python ints
    assert inst.point(0, 0)[0] == flint.fmpq(1, 10)


def test_int64_when_small():
    inst = load_instance_text(_json([[["0.5", 1]], [[2, "-1/3"]]]), "json")
    assert inst.X0_num.dtype == np.int64
    assert inst.X0_den == 6
    assert inst.X0_num.tolist() == [[3, 12], [6, -2]]
    assert not inst.X0_num.flags.writeable


def test_common_denominator_is_reduced():
    # all coordinates even multiples of 1/4 -> X0_den is 2, not 4
    a = load_instance_text(_json([[["1/2", "3/2"]], [["1", "0.5"]]]), "json")
    assert a.X0_den == 2
    b = Instance("b", np.array([[2, 4], [6, 2]]), 4, (1, 1))  # columns are points
    assert b.X0_den == 2 and b.X0_num.tolist() == a.X0_num.tolist()


def test_labels_rows_columns():
    inst = load_instance_text(_json([[[1, 0]], [[0, 1]]], labels=[[1, 0], [1, 2]]), "json")
    # labels are the rows of Y; column j is y_j
    assert inst.Y[0, 0] == 1 and inst.Y[1, 0] == 1 and inst.Y[0, 1] == 0 and inst.Y[1, 1] == 2
    assert inst.Y_ext.ncols() == 2
    nonsquare = load_instance_text(_json([[[1, 0]], [[0, 1]]], labels=[[1, 0], [1, 2], ["0.5", 1]]), "json")
    assert nonsquare.Y.nrows() == 3
    default = load_instance_text(_json([[[1, 0]], [[0, 1]]]), "json")
    assert default.Y == flint.fmpq_mat([[1, 0], [0, 1]])


# ------------------------------------------------------------------------------------------------ bad input corpus
GOOD = [[[1, 2], [3, 4]], [[5, 6]]]
BAD_JSON = {
    "ragged": (_json([[[1, 2], [3]], [[5, 6]]]), "class 0, point 1"),
    "ragged-other-class": (_json([[[1, 2]], [[5, 6, 7]]]), "class 1, point 0"),
    "non-number": (_json([[[1, "abc"]], [[5, 6]]]), "coordinate 1"),
    "bool": (_json([[[1, True]], [[5, 6]]]), "boolean"),
    "null": (_json([[[1, None]], [[5, 6]]]), "null"),
    "object": ('{"classes": [{"points": [[1, {"a": 1}]]}]}', "object"),
    "nested-list": ('{"classes": [{"points": [[1, [2]]]}]}', "list"),
    "NaN": ('{"classes": [{"points": [[1, NaN]]}]}', "NaN"),
    "Infinity": ('{"classes": [{"points": [[1, 2]]}, {"points": [[-Infinity, 2]]}]}', "Infinity"),
    "inf-string": (_json([[[1, "inf"]], [[5, 6]]]), "inf"),
    "nan-string": (_json([[[1, "nan"]], [[5, 6]]]), "nan"),
    "empty-class": (_json([[[1, 2]], []]), "class 1 is empty"),
    "empty-classes": (_json([]), "empty"),
    "no-classes": ('{"format": "exactmin-instance/1"}', "classes"),
    "classes-not-list": ('{"classes": 3}', "classes"),
    "class-not-object": ('{"classes": [[[1, 2]]]}', "class 0"),
    "point-not-list": ('{"classes": [{"points": [5]}]}', "point 0"),
    "empty-point": ('{"classes": [{"points": [[]]}]}', "no coordinates"),
    "label-row-length": (_json(GOOD, labels=[[1, 0, 0], [0, 1, 0]]), "labels row 0"),
    "label-no-rows": (_json(GOOD, labels=[]), "labels"),
    "label-not-rows": (_json(GOOD, labels=[1, 2]), "labels row 0"),
    "label-nan": ('{"classes": [{"points": [[1]]}], "labels": [[NaN]]}', "NaN"),
    "label-text": (_json(GOOD, labels=[[1, "x"], [0, 1]]), "labels row 0, column 1"),
    "huge-exponent": ('{"classes": [{"points": [[1e999999999, 2]]}]}', "exponent"),
    "huge-exponent-str": (_json([[["1e999999999", 2]]]), "exponent"),
    "zero-denominator": (_json([[["1/0", 2]]]), "denominator"),
    "hex": (_json([[["0x10", 2]]]), "0x10"),
    "underscore": (_json([[["1_000", 2]]]), "1_000"),
    "wrong-format": ('{"format": "other/2", "classes": [{"points": [[1]]}]}', "format"),
    "name-not-string": ('{"name": 5, "classes": [{"points": [[1]]}]}', "name"),
    "top-level-list": ("[1, 2, 3]", "object"),
    "invalid-json": ('{"classes": [{"points": [[1, 2]]}\n', "line"),
    "trailing-comma": ('{"classes": [{"points": [[1, 2],]}]}', "line 1 column"),
    "empty-text": ("", "invalid JSON"),
    "deep-nesting": ("[" * 100_000 + "]" * 100_000, "JSON"),
}


@pytest.mark.parametrize("case", sorted(BAD_JSON))
def test_bad_json(case):
    text, expected = BAD_JSON[case]
    with pytest.raises(InputError) as ei:
        load_instance_text(text, "json", name="bad.json")
    msg = str(ei.value)
    assert "\n" not in msg
    assert msg.startswith("bad.json")
    assert expected.lower() in msg.lower(), msg


def test_huge_integer_fails_fast(tmp_path):
    p = tmp_path / "big.json"
    p.write_text('{"classes": [{"points": [[' + "7" * 10**6 + ", 1]]}]}")
    t = time.perf_counter()
    with pytest.raises(InputError) as ei:
        load_instance(p)
    assert time.perf_counter() - t < 1.0
    assert "class 0, point 0, coordinate 0" in str(ei.value) and "\n" not in str(ei.value)
    p2 = tmp_path / "big.csv"
    p2.write_text("1," + "7" * 10**6 + ",a\n")
    t = time.perf_counter()
    with pytest.raises(InputError):
        load_instance(p2)
    assert time.perf_counter() - t < 1.0


BAD_CSV = {
    "ragged": ("1,2,a\n3,4,b\n5,b\n", "line 3"),
    "ragged-after-blank": ("1,2,a\n\n\n3,4,5,b\n", "line 4"),
    "ragged-after-header": ("x,y,c\n1,2,a\n3,4,b\n5,6,7,b\n", "line 4"),
    "non-number": ("1,2,a\n3,zz,b\n", "line 2, column 2"),
    "nan": ("1,2,a\nnan,1,b\n", "line 2, column 1"),
    "inf": ("1,2,a\n1,inf,b\n", "line 2"),
    "empty-label": ("1,2,a\n1,2, \n", "empty class label"),
    "only-one-field": ("1\n2\n", "line 1"),
    "no-rows": ("\n\n", "no data rows"),
    "header-only": ("x,y,class\n", "no data rows"),
    "huge-exponent": ("1,2,a\n1e999999999,1,b\n", "exponent"),
    "empty-field": ("1,,a\n1,2,b\n", "line 1"),
    "same-integer-two-spellings": ("1,2,2\n3,4,02\n", "same integer"),
}


@pytest.mark.parametrize("case", sorted(BAD_CSV))
def test_bad_csv(case):
    text, expected = BAD_CSV[case]
    with pytest.raises(InputError) as ei:
        load_instance_text(text, "csv", name="bad.csv")
    msg = str(ei.value)
    assert "\n" not in msg and msg.startswith("bad.csv")
    assert expected.lower() in msg.lower(), msg


def test_bad_files(tmp_path):
    garbage = tmp_path / "garbage.json"
    garbage.write_bytes(bytes(range(256)) * 8)
    nul = tmp_path / "nul.csv"
    nul.write_bytes(b"1,2,a\n\x00\x00\n")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("1,2,caf\xe9\n".encode("latin-1"))
    unknown = tmp_path / "data.txt"
    unknown.write_text("1,2,a\n")
    noext = tmp_path / "data"
    noext.write_text("1,2,a\n")
    badnpz = tmp_path / "bad.npz"
    badnpz.write_bytes(b"PK\x03\x04 not really a zip")
    cases = {garbage: "UTF-8", nul: "NUL", latin: "UTF-8", unknown: "extension", noext: "extension",
             tmp_path / "missing.json": "cannot read", tmp_path: "extension", badnpz: "npz"}
    for path, expected in cases.items():
        with pytest.raises(InputError) as ei:
            load_instance(path)
        msg = str(ei.value)
        assert "\n" not in msg and expected.lower() in msg.lower(), (path, msg)
    d = tmp_path / "dir.json"
    d.mkdir()
    with pytest.raises(InputError, match="regular file"):
        load_instance(d)


# ------------------------------------------------------------------------------------------------ CSV specifics
def test_csv_header_and_class_order():
    text = "a,b,class\n1,2,10\n3,4,2\n\n5,6,10\n0.5,1/3,2\n"
    inst = load_instance_text(text, "csv")
    assert inst.sizes == (2, 2)  # numeric order: class 2 first, then 10
    assert [_value(inst, 0, i, 0) for i in range(2)] == [3, Fraction(1, 2)]
    assert _value(inst, 0, 1, 1) == Fraction(1, 3)
    # non-integer labels: first appearance
    inst2 = load_instance_text("1,2,zeta\n3,4,alpha\n5,6,zeta\n", "csv")
    assert inst2.sizes == (2, 1) and _value(inst2, 1, 0, 0) == 3
    # quoted fields and CRLF
    inst3 = load_instance_text('"1","2",a\r\n"3/4",4,b\r\n', "csv")
    assert _value(inst3, 1, 0, 0) == Fraction(3, 4)


def test_iris_if_available():
    p = Path("/work/shared/data/iris.csv")
    if not p.exists():
        pytest.skip("iris.csv not available")
    inst = load_instance(p)
    assert inst.sizes == (50, 50, 50) and inst.M == 4 and inst.X0_den == 10
    assert inst.means[0, 0] == flint.fmpq(2503, 500)  # setosa sepal length mean 5.006


# ------------------------------------------------------------------------------------------------ NPZ
def _npz(path, **arrays):
    with open(path, "wb") as fh:
        np.savez(fh, **arrays)
    return path


def test_npz_variants(tmp_path):
    ref = load_instance_text("0.5,1,0\n1/3,2,1\n-1,0.25,0\n", "csv")
    num = np.array([[6, 12], [4, 24], [-12, 3]], dtype=np.int64)
    cls = np.array([0, 1, 0])
    a = load_instance(_npz(tmp_path / "a.npz", num=num, den=np.int64(12), cls=cls))
    b = load_instance(_npz(tmp_path / "b.npz", num=np.array([[1, 2], [1, 6], [-4, 1]]), den=np.array([2, 3, 4]),
                           cls=cls))
    c = load_instance(_npz(tmp_path / "c.npz", num=np.array([[1, 1], [1, 2], [-1, 1]]),
                           den=np.array([[2, 1], [3, 1], [1, 4]]), cls=cls))
    for inst in (a, b, c):
        assert inst.sha256 == ref.sha256
        assert inst.X0_den == ref.X0_den and np.array_equal(inst.X0_num, ref.X0_num)
    lab = load_instance(_npz(tmp_path / "l.npz", num=num, den=12, cls=cls, labels_num=np.array([[1, 0], [1, 2]]),
                             labels_den=np.int64(2)))
    assert lab.Y[1, 1] == 1 and lab.Y[1, 0] == flint.fmpq(1, 2)


BAD_NPZ = {
    "float-num": (dict(num=np.array([[0.5, 1.0]]), den=1, cls=np.array([0])), "integer dtype"),
    "object-num": (None, "object"),
    "missing-cls": (dict(num=np.array([[1, 2]]), den=1), "missing array 'cls'"),
    "zero-den": (dict(num=np.array([[1, 2]]), den=0, cls=np.array([0])), "non-positive"),
    "neg-den": (dict(num=np.array([[1, 2], [3, 4]]), den=np.array([1, -1]), cls=np.array([0, 1])), "non-positive"),
    "den-shape": (dict(num=np.array([[1, 2], [3, 4]]), den=np.array([1, 2, 3]), cls=np.array([0, 1])), "'den'"),
    "cls-shape": (dict(num=np.array([[1, 2], [3, 4]]), den=1, cls=np.array([0])), "'cls'"),
    "empty-class": (dict(num=np.array([[1, 2], [3, 4]]), den=1, cls=np.array([0, 2])), "class index"),
    "empty-class-2": (dict(num=np.array([[1, 2], [3, 4], [5, 6]]), den=1, cls=np.array([0, 2, 2])), "class 1"),
    "neg-cls": (dict(num=np.array([[1, 2]]), den=1, cls=np.array([-1])), "negative"),
    "num-1d": (dict(num=np.array([1, 2]), den=1, cls=np.array([0, 0])), "'num'"),
    "label-shape": (dict(num=np.array([[1, 2], [3, 4]]), den=1, cls=np.array([0, 1]),
                         labels_num=np.array([[1, 0, 0]])), "labels_num"),
    "float-labels": (dict(num=np.array([[1, 2], [3, 4]]), den=1, cls=np.array([0, 1]),
                          labels_num=np.eye(2)), "integer dtype"),
}


@pytest.mark.parametrize("case", sorted(BAD_NPZ))
def test_bad_npz(case, tmp_path):
    arrays, expected = BAD_NPZ[case]
    p = tmp_path / "bad.npz"
    if arrays is None:
        obj = np.empty(2, dtype=object)
        obj[:] = [1, 2]
        with open(p, "wb") as fh:
            np.savez(fh, num=obj, den=1, cls=np.array([0]))
    else:
        _npz(p, **arrays)
    with pytest.raises(InputError) as ei:
        load_instance(p)
    msg = str(ei.value)
    assert "\n" not in msg and expected.lower() in msg.lower(), msg


# ------------------------------------------------------------------------------------------------ hash
def _kernel_sha256(path):
    """What an independent standard-library kernel does (module docstring of exactmin.data.instance)."""
    obj = json.loads(Path(path).read_text(), parse_float=str, parse_int=str)
    classes = [[[str(Fraction(x)) for x in p] for p in c["points"]] for c in obj["classes"]]
    Q = len(classes)
    rows = obj.get("labels") or [[("1" if r == c else "0") for c in range(Q)] for r in range(Q)]
    labels = [[str(Fraction(x)) for x in row] for row in rows]
    canon = {"format": "exactmin-instance/1", "classes": classes, "labels": labels}
    return hashlib.sha256(json.dumps(canon, sort_keys=True, separators=(",", ":")).encode("utf-8")).hexdigest()


def test_same_hash_json_csv_npz(tmp_path):
    inst = Instance.from_rationals("x", [[["0.1", "-2"], ["1/3", 4]], [[5, "2.5e1"]], [["-7/6", 0], [0, 0]]])
    for ext in ("json", "csv", "npz"):
        p = tmp_path / f"same.{ext}"
        write_instance(inst, p)
        other = load_instance(p)
        assert other.sha256 == inst.sha256, ext
        assert other.same_data(inst)
        assert _kernel_sha256(tmp_path / "same.json") == inst.sha256
    csv_text = instance_to_csv_text(inst)
    assert load_instance_text("x1,x2,cls\n" + csv_text, "csv").sha256 == inst.sha256


def test_hash_ignores_name_but_not_data():
    a = Instance.from_rationals("a", [[[1, 2]], [[3, 4]]])
    b = Instance.from_rationals("b", [[["1.0", "2/1"]], [["3", "4e0"]]])
    c = Instance.from_rationals("a", [[[1, 2]], [[3, 5]]])
    d = Instance.from_rationals("a", [[[1, 2]], [[3, 4]]], labels=[[1, 0], [0, 2]])
    assert a.sha256 == b.sha256
    assert len({a.sha256, c.sha256, d.sha256}) == 3
    assert b"name" not in a.canonical_bytes() and b'"labels"' in a.canonical_bytes()


def test_canonical_bytes_exact_form():
    inst = Instance.from_rationals("n", [[["0.5", "-3/6"]], [[2, 0]]], labels=[["1/2", 0]])
    assert inst.canonical_bytes() == (b'{"classes":[[["1/2","-1/2"]],[["2","0"]]],'
                                      b'"format":"exactmin-instance/1","labels":[["1/2","0"]]}')


rational = st.fractions(max_denominator=10**6).filter(lambda q: abs(q) < 10**12) | \
    st.integers(-2**70, 2**70).map(Fraction)


@st.composite
def instances(draw):
    M = draw(st.integers(1, 4))
    Q = draw(st.integers(1, 4))
    classes = [[[draw(rational) for _ in range(M)] for _ in range(draw(st.integers(1, 4)))] for _ in range(Q)]
    labels = None
    if draw(st.booleans()):
        labels = [[draw(rational) for _ in range(Q)] for _ in range(draw(st.integers(1, 3)))]
    return Instance.from_rationals("h", classes, labels), classes, labels


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_roundtrip(data):
    inst, classes, labels = data
    for j, c in enumerate(classes):
        for i, p in enumerate(c):
            assert [_value(inst, j, i, k) for k in range(inst.M)] == p
    text = json.dumps(inst.to_json_dict())
    back = load_instance_text(text, "json", name="h")
    assert back.sha256 == inst.sha256 and back.same_data(inst)
    assert back.X0_num.dtype == inst.X0_num.dtype
    pretty = load_instance_text(instance_to_json_text(inst, indent=2), "json")
    assert pretty.sha256 == inst.sha256


decimal_literal = st.builds(lambda m, e: f"{m}e{e}", st.integers(-10**20, 10**20), st.integers(-30, 30)) | \
    st.decimals(allow_nan=False, allow_infinity=False, places=8).map(str)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(decimal_literal, min_size=2, max_size=2), min_size=1, max_size=5))
def test_json_number_literals_exact(points):
    text = '{"classes": [{"points": [' + ",".join("[" + ",".join(p) + "]" for p in points) + "]}]}"
    inst = load_instance_text(text, "json")
    for i, p in enumerate(points):
        assert [_value(inst, 0, i, k) for k in range(2)] == [Fraction(x) for x in p]


# ------------------------------------------------------------------------------------------------ bundled
def test_bundled_files_load_and_hash_like_kernel():
    names = list_bundled()
    for n in ["deep_q2.json", "deep_q3.json", "deep_q4.json", "deep_q2_violates_2_14.json",
              "deep_q3_one_point_class.json"]:
        assert n in names
    for n in names:
        p = bundled(n)
        assert p.parent == bundled_dir()
        inst = load_instance(p)
        assert inst.name == Path(n).stem
        if p.suffix == ".json":
            assert _kernel_sha256(p) == inst.sha256
        else:  # CSV/NPZ: the kernel's own parser
            from exactmin.certify import kernel
            assert kernel.load_instance(p).sha256() == inst.sha256
    assert bundled("deep_q2") == bundled("deep_q2.json")
    with pytest.raises(InputError, match="unknown bundled"):
        bundled("nope")
    q2 = load_instance(bundled("deep_q2"))
    assert q2.Y == flint.fmpq_mat([[1, 0], [1, 2]])


def test_save_npz_roundtrip(tmp_path):
    inst = load_instance(bundled("deep_q2"))
    save_npz(inst, tmp_path / "q2.npz")
    back = load_instance(tmp_path / "q2.npz")
    assert back.sha256 == inst.sha256
    with pytest.raises(ValueError):
        instance_to_csv_text(inst)  # non-identity labels cannot go to CSV


def test_load_rate_smoke():
    """~10^5 numbers must load well above 10^5 numbers/second (generous bound for slow CI)."""
    rng = np.random.default_rng(0)
    vals = rng.integers(-99999, 99999, size=(25000, 4))
    text = "\n".join(",".join(f"{v / 1000:.3f}" for v in row) + f",{k % 3}" for k, row in enumerate(vals))
    t = time.perf_counter()
    inst = load_instance_text(text, "csv")
    dt = time.perf_counter() - t
    assert inst.N == 25000 and inst.X0_den == 1000
    assert 10**5 / dt > 10**5 / 2
