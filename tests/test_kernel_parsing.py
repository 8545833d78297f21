"""The kernel's own instance parser agrees with exactmin's loader (same exact values, same hash)."""
import json
from pathlib import Path

import pytest

from exactmin.certify import kernel
from exactmin.data.io import load_instance
from exactmin.errors import InputError

CASES = [
    ("json", '{"classes": [{"points": [[0.1, "1/3"], [2e-3, 4]]}, {"points": [[1, 2], ["-1.25", 7]]}]}'),
    ("json", '{"classes": [{"points": [[1, 0]]}, {"points": [[0, 1]]}], "labels": [[1, 2], [3, "4/5"]]}'),
    ("csv", "x,y,class\n0.1,2,1\n3,4,0\n5,6,1\n"),
    ("csv", "\ufeff1,2,b\n3,4,a\n5,6,b\n"),           # BOM, non-integer labels: order of first appearance
    ("csv", "1,2,10\n3,4,9\n5,6,10\n"),               # integer labels: numeric order (9 before 10)
]


@pytest.mark.parametrize("ext,text", CASES)
def test_kernel_and_loader_agree(tmp_path, ext, text):
    p = tmp_path / f"i.{ext}"
    p.write_text(text, encoding="utf-8")
    a, b = load_instance(p), kernel.load_instance(p)
    assert a.sha256 == b.sha256()
    assert [list(map(str, a.point(j, i))) for j in range(a.Q) for i in range(a.sizes[j])] == \
           [[str(x) for x in pt] for c in b.classes for pt in c]


def test_kernel_reads_json_numbers_exactly(tmp_path):
    p = tmp_path / "i.json"
    p.write_text(json.dumps({"classes": [{"points": [[0.1, 1]]}, {"points": [[3, 0.2]]}]}))
    inst = kernel.load_instance(p)
    assert str(inst.classes[0][0][0]) == "1/10" and str(inst.classes[1][0][1]) == "1/5"


def test_kernel_reads_npz_like_the_loader(tmp_path):
    import numpy as np
    from exactmin.data.generate import generate_deep
    from exactmin.data.io import save_npz
    inst = generate_deep(3, 4, 5)
    p = tmp_path / "i.npz"
    save_npz(inst, p)
    assert kernel.load_instance(p).sha256() == load_instance(p).sha256 == inst.sha256
    # per-point denominators, labels, Fortran order and big-endian arrays read the same
    num = np.array([[1, 2], [3, -4], [5, 6], [7, 8]], dtype=">i8")
    den = np.array([2, 3, 4, 5], dtype="<i4")
    cls = np.array([1, 0, 1, 0], dtype=np.int16)
    q = tmp_path / "j.npz"
    np.savez(q, num=np.asfortranarray(num), den=den, cls=cls, labels_num=np.array([[1, 2], [3, 4]]), labels_den=np.array(7))
    assert kernel.load_instance(q).sha256() == load_instance(q).sha256


BAD = Path(__file__).parent / "bad_inputs"
MALFORMED = sorted(p for p in BAD.iterdir() if p.suffix in (".json", ".csv", ".npz") and not p.name.startswith("cert_")
                   and p.stem not in ("one_point_class", "duplicate_points", "singular_Y", "singular_X0_red"))


@pytest.mark.parametrize("path", MALFORMED, ids=lambda p: p.name)
def test_kernel_rejects_what_the_library_rejects(path):
    """Every file of the bad-input corpus: the library raises InputError and the kernel InstanceError (one line)."""
    with pytest.raises(InputError):
        load_instance(path)
    with pytest.raises(kernel.InstanceError) as ei:
        kernel.load_instance(path)
    assert "\n" not in str(ei.value) and str(ei.value)


def test_kernel_reports_the_issue_14_cases(tmp_path):
    """Negative class id, wrong den shape, encrypted archive, '1' vs '01', a non-number in the first CSV row."""
    for name, needle in [("negative_class.npz", "negative"), ("den_shape.npz", "'den'"),
                         ("encrypted.npz", "encrypted"), ("class_01.csv", "same integer"),
                         ("inf_first_row.csv", "line 1, column 2"), ("duplicate_key.json", "duplicate"),
                         ("class_gap.npz", "class 1 has no point")]:
        with pytest.raises(kernel.InstanceError, match=needle):
            kernel.load_instance(BAD / name)


def test_kernel_npy_header_spellings(tmp_path):
    """Section 5: key order, spaces and a trailing comma are free; '(3)' is not a tuple; '|i8' is rejected."""
    from exactmin.certify.kernel.instance import _scan_header
    ok = ["{'descr': '<i8', 'fortran_order': False, 'shape': (3, 2), }",
          "{'shape': (3,2),'fortran_order': True,'descr': '>i4'}", "{ 'descr' : '|u1' , 'fortran_order':False,"
          " 'shape':( ) }", "{'descr': '<i2', 'fortran_order': False, 'shape': (5,), }   \n"]
    assert [_scan_header(h)[4] for h in ok] == [(3, 2), (3, 2), (), (5,)]
    for bad in ["{'descr': '<i8', 'fortran_order': False, 'shape': (3), }",
                "{'descr': '|i8', 'fortran_order': False, 'shape': (3,), }",
                "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }",
                "{'descr': '<i8', 'fortran_order': False, 'shape': (03,), }",
                "{'descr': '<i8', 'fortran_order': False}", "{'descr': '<i8', 'descr': '<i8', 'shape': (3,)}",
                "{'descr': '<i8', 'fortran_order': false, 'shape': (3,), }",
                "{'descr': '<i8', 'fortran_order': False, 'shape': (3,),, }"]:
        with pytest.raises(kernel.InstanceError):
            _scan_header(bad)


# ------------------------------------------------------------------------------------------------ plain decimals
import re  # noqa: E402
from fractions import Fraction  # noqa: E402

from hypothesis import given, settings, strategies as st  # noqa: E402

_PLAINISH = st.one_of(
    st.builds(lambda s, i, p, f: s + i + p + f, st.sampled_from(["", "-", "+"]), st.text("0123456789", max_size=22),
              st.sampled_from(["", ".", "."]), st.text("0123456789", max_size=22)),
    st.builds(lambda s, n, d: s + n + d, st.sampled_from(["", "-", "+"]), st.text("0123456789", min_size=1,
              max_size=22), st.sampled_from(["", "/0", "/1", "/7", "/12", "/000", "/", "/1/2", "/-3",
                                             "/20000000000000000001"])),
    st.text("0123456789+-./,_ \x1c\u0661e", max_size=6),
    st.sampled_from([".-5", ".+5", "-.", "+.", ".", "", "1" * 4001, "1" * 3999 + ".5", "-" + "2" * 4000]))


@settings(max_examples=400, deadline=None)
@given(fields=st.lists(_PLAINISH, min_size=1, max_size=5), as_bytes=st.booleans())
def test_plain_point_is_pair(fields, as_bytes):
    """The kernel's fast path for rows of plain decimals or fractions (instance.plain_point, str fields from CSV or
    bytes literals from JSON) and the per-token reader (pair) give the values of the grammar's Fraction
    reader (number) and reject what it rejects; plain_point takes every row of plain decimals or of fractions."""
    from exactmin_kernel.instance import InstanceError, MAX_DIGITS, number, pair, plain_point
    got = plain_point([f.encode() for f in fields] if as_bytes else fields)
    try:
        want = [number(f) for f in fields]                  # the grammar's Fraction reader, independent
    except InstanceError:
        want = None
    if want is not None:
        assert [Fraction(*pair(f)) for f in fields] == want
    else:
        with pytest.raises(InstanceError):
            [pair(f) for f in fields]
    if got is not None:
        assert want == [Fraction(n, got[1]) for n in got[0]]
    short = all(len(f) <= MAX_DIGITS and "," not in f for f in fields)
    plain = all(re.fullmatch(r"[+-]?[0-9]*(\.[0-9]*)?", f) and any(c.isdigit() for c in f) for f in fields)
    frac = all(re.fullmatch(r"[+-]?[0-9]+(/0*[1-9][0-9]*)?", f) for f in fields)
    assert (got is not None) == (short and (plain or frac))


def test_plain_point_linear_on_adversarial_rows():
    """Long digit runs that fail at the last character: an ambiguous pattern would backtrack through every split of
    every field (the first version of plain_point took minutes here); the unambiguous one answers at once."""
    import time
    from exactmin_kernel.instance import plain_point
    t = time.perf_counter()
    assert plain_point(["1" * 4000] * 7 + ["1" * 3000 + "x"]) is None
    assert plain_point(["9" * 500 + "." + "9" * 500] * 20 + ["1-"]) is None
    assert time.perf_counter() - t < 2.0
