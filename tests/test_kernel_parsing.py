"""The kernel's own instance parser agrees with exactmin's loader (same exact values, same hash)."""
import json

import pytest

from exactmin.certify import kernel
from exactmin.data.io import load_instance

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
