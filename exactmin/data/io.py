"""Loading (and writing) instances: JSON, CSV, NPZ. Every bad input raises a one-line :class:`InputError`.

The formats, their number grammar, caps and every rejection are specified in docs/instance-format.md (the kernel,
exactmin/certify/kernel/instance.py, implements the same text independently; tests/test_parser_differential.py
compares the two). In short:

* JSON (``.json``): ``{"format": "exactmin-instance/1", "name": str, "classes": [{"points": [[num, ...], ...]},
  ...], "labels": [[num, ...], ...]}``; duplicate keys are rejected, unknown keys ignored.
* CSV (``.csv``): coordinates then a class column per row; the first non-blank row is a header iff none of its
  coordinate fields is numeric (:func:`~exactmin.exact.numbers.looks_numeric`); integer class tokens are ordered
  by value (two spellings of one integer are an error), other tokens by first appearance.
* NPZ (``.npz``): read with :mod:`zipfile` and a strict ``.npy`` header parser (never NumPy's loader, never
  pickle): ``num`` (N, M), ``den`` ((), (1,), (N,) or (N, M), positive), ``cls`` (N,) with contiguous class ids
  0..Q-1, optional ``labels_num`` / ``labels_den``. Shapes and caps are checked from the headers before any data
  is decompressed; encrypted members are rejected.

Speed: CSV and JSON numbers first go through the vectorised fast path :mod:`exactmin.data.fastparse` (NumPy byte
events and 8-digit SWAR runs, no per-number Python object; for JSON, Python's ``json`` decides the document and the
coordinate texts are joined into one buffer).  A field it does not take is read by the scalar parser below; a file
with any error (or anything the fast path does not handle: quotes, non-ASCII, odd rows) is read entirely by the
scalar loaders, so accepted files, values, hashes and error messages are those of the scalar path
(tests/test_fastparse.py).  The scalar path parses numbers to (numerator, denominator) integer pairs (memoised per
distinct literal), brings them to the lcm of the denominators once and stores them in a NumPy array; no Fraction
objects are built.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import zipfile
from pathlib import Path

import flint
import numpy as np

from exactmin.errors import InputError
from exactmin.exact.numbers import WHITESPACE, looks_numeric, parse_rational
from exactmin.data import fastparse
from exactmin.data.instance import FORMAT, Instance, assemble_common_denominator, labels_matrix

__all__ = ["load_instance", "load_instance_text", "write_instance", "instance_to_json_text",
           "instance_to_csv_text", "save_npz", "MAX_FILE_BYTES", "MAX_NUMBERS", "MAX_CLASSES", "MAX_LABEL_ROWS"]

MAX_FILE_BYTES = 2 * 1024**3
MAX_NUMBERS = 10**7
#: Largest accepted number of classes (the default labels are the Q x Q identity, written out in the hash).
MAX_CLASSES = 1000
#: Largest accepted number of label rows (out_dim).
MAX_LABEL_ROWS = 1000
_MAX_CLASS_TOKEN = 200


#: a JSON number literal is read as its text in bytes (JSON strings stay str): json calls this C method once per
#: number, several times faster than a str subclass, and fastparse joins the bytes into its buffer directly
_literal = str.encode


def _as_text(v):
    """A JSON value's text: a number literal (bytes, :data:`_literal`) decoded; anything else as it is."""
    return v.decode("ascii") if type(v) is bytes else v


class _NonFinite(str):
    """A JSON constant NaN / Infinity / -Infinity."""
    __slots__ = ()


def _one_line(s: str) -> str:
    return " ".join(str(s).split())


# ---------------------------------------------------------------------------------------------------- entry points
def load_instance(path) -> Instance:
    """Load an instance from ``path``; the format is chosen by the extension (.json, .csv, .npz)."""
    p = Path(path)
    where = str(p)
    ext = p.suffix.lower()
    if ext not in (".json", ".csv", ".npz"):
        raise InputError(f"{where}: unknown instance file extension {p.suffix!r} (expected .json, .csv or .npz)")
    try:
        st = os.stat(p)
    except OSError as e:
        raise InputError(f"{where}: cannot read file: {_one_line(e.strerror or e)}") from None
    if not os.path.isfile(p):
        raise InputError(f"{where}: not a regular file")
    if st.st_size > MAX_FILE_BYTES:
        raise InputError(f"{where}: file is {st.st_size} bytes, larger than the limit {MAX_FILE_BYTES}")
    if ext == ".npz":
        return _load_npz(p, where)
    try:
        data = p.read_bytes()
    except OSError as e:
        raise InputError(f"{where}: cannot read file: {_one_line(e.strerror or e)}") from None
    inst = None
    if ext == ".csv" and data.isascii() and b"\x00" not in data:
        inst = fastparse.load_csv(data, p.stem, where)      # ASCII bytes: no decoding and re-encoding
    if inst is None:
        box = [_decode(data, where)]
        del data                                            # the text replaces the bytes, and a JSON text is
        inst = _load_text(box, ext[1:], p.stem, where)      # dropped once parsed (_load_json empties the box)
    if ext == ".csv":
        _warn_continuous(inst, where)
    return inst


class DataWarning(UserWarning):
    """The file was read as specified but looks misread (e.g. a continuous column taken as the classes)."""


def _warn_continuous(inst: Instance, where: str) -> None:
    """One-line warning when more than half of Q > 2 classes hold one point: the last column (the class column of
    a CSV) is probably a coordinate; ``exactmin import --class-column`` reads other layouts."""
    one = sum(1 for s in inst.sizes if s == 1)
    if inst.Q > 2 and one > inst.Q / 2:
        import warnings
        warnings.warn(f"{where}: {one} of {inst.Q} classes hold one point: the last column looks continuous, not "
                      f"like classes (exactmin import FILE --class-column NAME -o inst.json reads other layouts)",
                      DataWarning, stacklevel=3)


def load_instance_text(text: str, fmt: str, name: str = "instance") -> Instance:
    """Load an instance from text; ``fmt`` is ``"json"`` or ``"csv"``. Error messages use ``name`` as the source."""
    fmt = fmt.lower().lstrip(".")
    if fmt not in ("json", "csv"):
        raise InputError(f"{name}: unknown text format {fmt!r} (expected json or csv)")
    if isinstance(text, bytes):
        text = _decode(text, name)
    if len(text) > MAX_FILE_BYTES:
        raise InputError(f"{name}: text longer than the limit {MAX_FILE_BYTES}")
    return _load_text(text, fmt, name, name)


def _decode(data: bytes, where: str) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(f"{where}: not a UTF-8 text file (invalid byte at offset {e.start})") from None
    if "\x00" in text:
        raise InputError(f"{where}: not a text file (contains NUL bytes)")
    return text


def _load_text(text, fmt: str, default_name: str, where: str) -> Instance:
    """``text``: a str, or a one-element list holding it (then nothing else may refer to the text, which a JSON
    load drops as soon as the document is parsed: its peak memory)."""
    if fmt == "json":
        return _load_json(text, default_name, where)
    if type(text) is list:
        text = text[0]
    inst = fastparse.load_csv(text, default_name, where)
    if inst is not None:
        return inst
    return _load_csv(text, default_name, where)


# ---------------------------------------------------------------------------------------------------- JSON
def _load_json(text, default_name: str, where: str) -> Instance:
    if type(text) is list:
        text = text.pop()                                   # the box held the only other reference
    try:
        obj = json.loads(text, parse_float=_literal, parse_int=_literal, parse_constant=_reject_constant,
                         object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as e:
        raise InputError(f"{where}: invalid JSON at line {e.lineno} column {e.colno}: {_one_line(e.msg)}") from None
    except RecursionError:
        raise InputError(f"{where}: invalid JSON: nested too deeply") from None
    except _DuplicateKey as e:
        raise InputError(f"{where}: duplicate JSON key {_short(str(e.args[0]))}") from None
    except _ConstantSeen as e:
        raise InputError(f"{where}: {e.args[0]} is not a finite rational number (and not JSON); NaN, Infinity "
                         f"and -Infinity are rejected anywhere in the file") from None
    del text                                                # parsed: the text is not needed any more
    if not isinstance(obj, dict):
        raise InputError(f"{where}: the top-level JSON value must be an object, got {_json_type(obj)}")
    if "format" in obj:
        f = obj["format"]
        if type(f) is not str or f != FORMAT:
            raise InputError(f"{where}: unsupported format {_short(f)} (expected {FORMAT!r})")
    name = obj.get("name", default_name)
    if type(name) is not str:
        raise InputError(f"{where}: \"name\" must be a JSON string, got {_json_type(name)}")
    if "classes" not in obj:
        raise InputError(f"{where}: missing \"classes\"")
    classes = obj["classes"]
    if type(classes) is not list:
        raise InputError(f"{where}: \"classes\" must be a list, got {_json_type(classes)}")
    if not classes:
        raise InputError(f"{where}: \"classes\" is empty (need at least one class)")
    if len(classes) > MAX_CLASSES:
        raise InputError(f"{where}: {len(classes)} classes, more than the limit {MAX_CLASSES}")

    fast = _json_points_fast(classes)
    if fast is not None:
        sizes, M = fast[1], fast[2]
        got = fastparse.json_points(fast[0], sum(sizes) * M, where)
        if got is not None:
            arr, L, pairs = got
            N = sum(sizes)
            inst = Instance(name, arr.reshape(N, M).T, L, sizes, _json_labels(obj, len(sizes), where), _lowest=True)
            if pairs is not None:
                fastparse.attach_canonical(inst, *(None if a is None else a.reshape(N, M).T for a in pairs))
            return inst
    nums: list[int] = []
    dens: list[int] = []
    sizes: list[int] = []
    memo: dict[str, tuple[int, int]] = {}
    M = None
    count = 0
    for j, c in enumerate(classes):
        if type(c) is not dict:
            raise InputError(f"{where}: class {j} must be an object {{\"points\": [...]}}, got {_json_type(c)}")
        if "points" not in c:
            raise InputError(f"{where}: class {j} has no \"points\"")
        pts = c["points"]
        if type(pts) is not list:
            raise InputError(f"{where}: class {j}: \"points\" must be a list, got {_json_type(pts)}")
        if not pts:
            raise InputError(f"{where}: class {j} is empty (no points)")
        if M is None:
            p0 = pts[0]
            if type(p0) is not list:
                raise InputError(f"{where}: class {j}, point 0 must be a list of numbers, got {_json_type(p0)}")
            M = len(p0)
            if M == 0:
                raise InputError(f"{where}: class {j}, point 0 has no coordinates")
        count += len(pts) * M
        if count > MAX_NUMBERS:
            raise InputError(f"{where}: more than {MAX_NUMBERS} numbers")
        sizes.append(len(pts))
        append_n = nums.append
        append_d = dens.append
        memo_get = memo.get
        for i, p in enumerate(pts):
            if type(p) is not list:
                raise InputError(f"{where}: class {j}, point {i} must be a list of numbers, got {_json_type(p)}")
            if len(p) != M:
                raise InputError(f"{where}: class {j}, point {i} has {len(p)} coordinates, expected {M} "
                                 f"(all points must have the same dimension)")
            for v in p:
                tv = type(v)
                if tv is bytes or tv is str:
                    r = memo_get(v)
                    if r is None:
                        if len(memo) > 1_000_000:
                            memo.clear()
                        try:
                            r = parse_rational(_as_text(v))
                        except InputError as e:
                            k = _index_of(p, v)
                            raise InputError(f"{where}: class {j}, point {i}, coordinate {k}: {e}") from None
                        memo[v] = r
                else:
                    k = _index_of(p, v)
                    raise InputError(f"{where}: class {j}, point {i}, coordinate {k}: {_not_number(v)}")
                append_n(r[0])
                append_d(r[1])
    Y = _json_labels(obj, len(sizes), where)
    arr, L = assemble_common_denominator(nums, dens, (sum(sizes), M), where=where)
    return Instance(name, arr.T, L, sizes, Y)


def _json_labels(obj: dict, Q: int, where: str):
    """Y from the "labels" key (None when absent: the identity)."""
    if "labels" not in obj:
        return None
    labels = obj["labels"]
    if type(labels) is list and len(labels) > MAX_LABEL_ROWS:
        raise InputError(f"{where}: {len(labels)} label rows, more than the limit {MAX_LABEL_ROWS}")
    _check_json_numbers_tree(labels, where)
    if type(labels) is list:
        labels = [list(map(_as_text, row)) if type(row) is list else row for row in labels]
    return labels_matrix(labels, Q, where=where)


def _json_points_fast(classes: list):
    """(flat list of the coordinate values in file order, sizes, M) when every class is {"points": [...]} with
    non-empty points lists of one common length M and at most MAX_NUMBERS coordinates; None otherwise (the scalar
    loop below then reports the first problem).  The values are not checked here: fastparse.json_points reads
    them (all must be strings -- number literals or JSON strings)."""
    flat: list = []
    extend = flat.extend
    sizes = []
    M = None
    for c in classes:
        if type(c) is not dict:
            return None
        pts = c.get("points")
        if type(pts) is not list or not pts:
            return None
        if M is None:
            if type(pts[0]) is not list or not pts[0]:
                return None
            M = len(pts[0])
        for p in pts:
            if type(p) is not list or len(p) != M:
                return None
            extend(p)
        sizes.append(len(pts))
        if len(flat) > MAX_NUMBERS:
            return None
    return flat, sizes, M


class _DuplicateKey(Exception):
    pass


class _ConstantSeen(Exception):
    pass


def _reject_constant(name: str):
    """parse_constant: NaN / Infinity / -Infinity anywhere in the document (docs/instance-format.md, section 2)."""
    raise _ConstantSeen(name)


def _no_duplicates(pairs) -> dict:
    """object_pairs_hook: a JSON object with a repeated key is an error (docs/instance-format.md, section 3)."""
    d = dict(pairs)
    if len(d) != len(pairs):
        seen = set()
        for k, _ in pairs:
            if k in seen:
                raise _DuplicateKey(k)
            seen.add(k)
    return d


def _index_of(p: list, v) -> int:
    for k, w in enumerate(p):
        if w is v:
            return k
    return -1


def _check_json_numbers_tree(labels, where: str) -> None:
    """Reject non-finite constants / booleans / null / objects in the label matrix with a positioned message."""
    if type(labels) is not list:
        return  # labels_matrix reports the shape error
    for r, row in enumerate(labels):
        if type(row) is not list:
            continue
        for j, v in enumerate(row):
            if not (type(v) is bytes or type(v) is str):
                raise InputError(f"{where}: labels row {r}, column {j}: {_not_number(v)}")


def _json_type(v) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "a boolean"
    if isinstance(v, _NonFinite):
        return str(v)
    if isinstance(v, bytes):
        return "a number"
    if isinstance(v, str):
        return "a string"
    if isinstance(v, list):
        return "a list"
    if isinstance(v, dict):
        return "an object"
    return type(v).__name__


def _not_number(v) -> str:
    if isinstance(v, _NonFinite):
        return f"{v} is not a finite rational number"
    return f"expected a number, got {_json_type(v)}"


def _short(v) -> str:
    s = repr(_as_text(v)) if isinstance(v, (str, bytes)) else _json_type(v)
    return s if len(s) <= 40 else s[:37] + "..."


# ---------------------------------------------------------------------------------------------------- CSV
_INT_TOKEN = re.compile(r"[+-]?[0-9]+", re.ASCII)


def _load_csv(text: str, default_name: str, where: str) -> Instance:
    reader = csv.reader(io.StringIO(text, newline=""))
    nums: list[int] = []
    dens: list[int] = []
    tokens: list[str] = []
    memo: dict[str, tuple[int, int]] = {}
    nfields = None
    header_checked = False
    M = 0
    count = 0
    append_n = nums.append
    append_d = dens.append
    memo_get = memo.get
    try:
        for row in reader:
            if all(not f.strip(WHITESPACE) for f in row):
                continue  # blank row (also: no fields at all)
            line = reader.line_num
            if nfields is None:
                nfields = len(row)
                if nfields < 2:
                    raise InputError(f"{where}: line {line}: need at least one coordinate and a class column, "
                                     f"got {nfields} field")
                M = nfields - 1
            elif len(row) != nfields:
                raise InputError(f"{where}: line {line}: {len(row)} fields, expected {nfields}")
            if not header_checked:
                header_checked = True
                if not any(looks_numeric(f) for f in row[:-1]):
                    continue  # header: no coordinate field is numeric (docs/instance-format.md, section 4)
            count += M
            if count > MAX_NUMBERS:
                raise InputError(f"{where}: more than {MAX_NUMBERS} numbers")
            for k in range(M):
                f = row[k]
                r = memo_get(f)
                if r is None:
                    if len(memo) > 1_000_000:
                        memo.clear()
                    try:
                        r = parse_rational(f)
                    except InputError as e:
                        raise InputError(f"{where}: line {line}, column {k + 1}: {e}") from None
                    memo[f] = r
                append_n(r[0])
                append_d(r[1])
            tok = row[-1].strip(WHITESPACE)
            if not tok:
                raise InputError(f"{where}: line {line}: empty class label")
            if len(tok) > _MAX_CLASS_TOKEN:
                raise InputError(f"{where}: line {line}: class label longer than {_MAX_CLASS_TOKEN} characters")
            tokens.append(tok)
    except csv.Error as e:
        raise InputError(f"{where}: line {reader.line_num}: CSV error: {_one_line(e)}") from None
    if not tokens:
        raise InputError(f"{where}: no data rows")
    # Class order: numeric if every token is an integer, else first appearance.
    if all(_INT_TOKEN.fullmatch(t) for t in tokens):
        spelled: dict[int, str] = {}
        for t in dict.fromkeys(tokens):
            other = spelled.setdefault(int(t), t)
            if other != t:
                raise InputError(f"{where}: class labels {other!r} and {t!r} denote the same integer; "
                                 f"write each class label the same way")
        keys = [int(t) for t in tokens]
        order = sorted(set(keys))
    else:
        keys = tokens
        order = list(dict.fromkeys(tokens))
    if len(order) > MAX_CLASSES:
        raise InputError(f"{where}: {len(order)} distinct class labels, more than the limit {MAX_CLASSES} "
                         f"(the last column must be the class)")
    index = {k: j for j, k in enumerate(order)}
    cls = np.fromiter((index[k] for k in keys), dtype=np.int64, count=len(keys))
    N = len(tokens)
    arr, L = assemble_common_denominator(nums, dens, (N, M), where=where)
    perm = np.argsort(cls, kind="stable")
    sizes = np.bincount(cls, minlength=len(order)).tolist()
    return Instance(default_name, arr[perm].T, L, sizes)


# ---------------------------------------------------------------------------------------------------- NPZ
_NPY_MAGIC = b"\x93NUMPY"
_NPY_MAX_HEADER = 65535
_NPY_KEYS = ("num", "den", "cls", "labels_num", "labels_den")
# One header entry; the three keys, their values and the separators follow docs/instance-format.md, section 5.
_NPY_ENTRY = re.compile(r" *'(descr|fortran_order|shape)' *: *(?:'([<>|])([iu])([1248])'|(True|False)"
                        r"|\(( *(?:(?:0|[1-9][0-9]{0,17}) *, *)*(?:(?:0|[1-9][0-9]{0,17}) *)?)\)) *", re.ASCII)
_NPY_DIM = re.compile(r"0|[1-9][0-9]{0,17}", re.ASCII)


class _NpyHeader:
    """The parsed header of one ``.npy`` member: dtype, Fortran order, shape, element count, header size."""
    __slots__ = ("dtype", "fortran", "shape", "count", "offset")

    def __init__(self, dtype, fortran, shape, offset):
        self.dtype, self.fortran, self.shape, self.offset = dtype, fortran, shape, offset
        self.count = math.prod(shape)


def _parse_npy_shape(text: str):
    """The tuple ``()``, ``(n,)``, ``(n, m)`` or ``(n, m,)`` (the inside of the parentheses); None if malformed."""
    parts = [t.strip(" ") for t in text.split(",")]
    if parts == [""]:
        return ()
    if parts[-1] == "":
        parts = parts[:-1]
        if not parts:
            return None
    elif len(parts) == 1:
        return None  # "(n)" is not a tuple
    if any(_NPY_DIM.fullmatch(t) is None for t in parts):
        return None
    return tuple(int(t) for t in parts)


def _parse_npy_header_text(text: str):
    """(dtype string, fortran, shape) from the header dict literal, or None when it breaks the grammar."""
    body = text.rstrip(" \n")
    if not (body.startswith("{") and body.endswith("}")):
        return None
    inner = body[1:-1]
    found: dict[str, object] = {}
    pos = 0
    while pos < len(inner):
        m = _NPY_ENTRY.match(inner, pos)
        if m is None:
            return None
        key = m.group(1)
        if key in found:
            return None
        if key == "descr":
            if m.group(2) is None:
                return None
            order, kind, size = m.group(2), m.group(3), int(m.group(4))
            if order == "|" and size != 1:
                return None
            found[key] = (order, kind, size)
        elif key == "fortran_order":
            if m.group(5) is None:
                return None
            found[key] = m.group(5) == "True"
        else:
            if m.group(6) is None:
                return None
            shape = _parse_npy_shape(m.group(6))
            if shape is None:
                return None
            found[key] = shape
        pos = m.end()
        if pos < len(inner):
            if inner[pos] != ",":
                return None
            pos += 1
            if inner[pos:].strip(" ") == "":
                break  # trailing comma
    if len(found) != 3:
        return None
    return found["descr"], found["fortran_order"], found["shape"]


def _npy_header(z: zipfile.ZipFile, info: zipfile.ZipInfo, key: str, where: str) -> _NpyHeader:
    """Read and check the header of member ``info`` (only its first bytes are decompressed)."""
    with z.open(info) as fh:
        head = fh.read(12)
        if len(head) < 10 or head[:6] != _NPY_MAGIC:
            raise InputError(f"{where}: array {key!r} is not a .npy array")
        version = (head[6], head[7])
        if version == (1, 0):
            hlen, start = int.from_bytes(head[8:10], "little"), 10
        elif version in ((2, 0), (3, 0)) and len(head) == 12:
            hlen, start = int.from_bytes(head[8:12], "little"), 12
        else:
            raise InputError(f"{where}: array {key!r}: unsupported .npy version {version}")
        if hlen > _NPY_MAX_HEADER:
            raise InputError(f"{where}: array {key!r}: .npy header of {hlen} bytes, more than {_NPY_MAX_HEADER}")
        raw = head[start:start + hlen]
        if len(raw) < hlen:
            raw += fh.read(hlen - len(raw))
    if len(raw) != hlen:
        raise InputError(f"{where}: array {key!r}: truncated .npy header")
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError:
        raise InputError(f"{where}: array {key!r}: .npy header is not ASCII") from None
    parsed = _parse_npy_header_text(text)
    if parsed is None:
        m = re.search(r"'descr' *: *'([^']{0,20})'", text)
        if m and not re.fullmatch(r"[<>|][iu][1248]", m.group(1)):
            extra = " (object arrays are not accepted)" if "O" in m.group(1) else ""
            raise InputError(f"{where}: array {key!r} must have an integer dtype (exact input), got "
                             f"{m.group(1)!r}{extra}")
        raise InputError(f"{where}: array {key!r}: unsupported .npy header (integer arrays of shape (), (n,) or "
                         f"(n, m) only)")
    (order, kind, size), fortran, shape = parsed
    return _NpyHeader(np.dtype(f"{'|' if size == 1 else order}{kind}{size}"), fortran, shape, start + hlen)


def _npy_data(z: zipfile.ZipFile, info: zipfile.ZipInfo, h: _NpyHeader, key: str, where: str) -> np.ndarray:
    """The array of a member whose header ``h`` was checked; exactly count * itemsize bytes of data."""
    need = h.count * h.dtype.itemsize
    with z.open(info) as fh:
        fh.read(h.offset)
        data = fh.read(need)
        extra = fh.read(1)
    if len(data) != need or extra:
        raise InputError(f"{where}: array {key!r}: data length does not match its header")
    return np.frombuffer(data, dtype=h.dtype).reshape(h.shape, order="F" if h.fortran else "C")


def _npz_members(z: zipfile.ZipFile, where: str) -> dict:
    """Archive checks (encryption, duplicate names, compression) and the members named ``<key>.npy``."""
    infos = z.infolist()
    for i in infos:
        if i.flag_bits & 0x1:
            raise InputError(f"{where}: the archive member {_short(i.filename)} is encrypted")
    names = [i.filename for i in infos]
    if len(set(names)) != len(names):
        raise InputError(f"{where}: the archive has two members with the same name")
    members = {}
    for i in infos:
        key = i.filename[:-4] if i.filename.endswith(".npy") else None
        if key in _NPY_KEYS:
            if i.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise InputError(f"{where}: array {key!r}: unsupported zip compression method {i.compress_type}")
            members[key] = i
    return members


def _checked_header(z, members, key, where, shapes) -> _NpyHeader:
    h = _npy_header(z, members[key], key, where)
    if members[key].file_size != h.offset + h.count * h.dtype.itemsize:
        raise InputError(f"{where}: array {key!r}: the archive states {members[key].file_size} bytes, the header "
                         f"{h.offset + h.count * h.dtype.itemsize}")
    if shapes is not None and h.shape not in shapes:
        want = " or ".join(str(t) for t in shapes)
        raise InputError(f"{where}: array {key!r} must have shape {want}, got {h.shape}")
    return h


def _load_npz(p: Path, where: str) -> Instance:
    try:
        with zipfile.ZipFile(p) as z:
            return _load_npz_archive(z, p.stem, where)
    except InputError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError) as e:
        raise InputError(f"{where}: not a valid .npz file: {_one_line(e)}") from None
    except Exception as e:  # zlib.error and other decompression failures
        raise InputError(f"{where}: not a valid .npz file: {type(e).__name__}: {_one_line(e)}") from None


def _load_npz_archive(z: zipfile.ZipFile, stem: str, where: str) -> Instance:
    members = _npz_members(z, where)
    for key in ("num", "den", "cls"):
        if key not in members:
            raise InputError(f"{where}: missing array {key!r} (need num, den, cls)")
    if "labels_den" in members and "labels_num" not in members:
        raise InputError(f"{where}: array 'labels_den' given without 'labels_num'")
    # Headers first: every shape and cap is checked before any data is decompressed.
    hn = _checked_header(z, members, "num", where, None)
    if len(hn.shape) != 2 or hn.shape[0] == 0 or hn.shape[1] == 0:
        raise InputError(f"{where}: array 'num' must have shape (N, M) with N, M >= 1, got {hn.shape}")
    N, M = hn.shape
    if hn.count > MAX_NUMBERS:
        raise InputError(f"{where}: {N} x {M} = {hn.count} numbers, more than the limit {MAX_NUMBERS}")
    hd = _checked_header(z, members, "den", where, ((), (1,), (N,), (N, M)))
    hc = _checked_header(z, members, "cls", where, ((N,),))
    hl = hld = None
    if "labels_num" in members:
        hl = _checked_header(z, members, "labels_num", where, None)
        if len(hl.shape) != 2 or not 1 <= hl.shape[0] <= MAX_LABEL_ROWS or hl.shape[1] > MAX_CLASSES:
            raise InputError(f"{where}: array 'labels_num' must have shape (out_dim, Q) with 1 <= out_dim <= "
                             f"{MAX_LABEL_ROWS}, got {hl.shape}")
        if "labels_den" in members:
            hld = _checked_header(z, members, "labels_den", where, ((), (1,), hl.shape))
    num = _npy_data(z, members["num"], hn, "num", where)
    den = _npy_data(z, members["den"], hd, "den", where)
    cls = _npy_data(z, members["cls"], hc, "cls", where)
    lab_num = _npy_data(z, members["labels_num"], hl, "labels_num", where) if hl is not None else None
    lab_den = _npy_data(z, members["labels_den"], hld, "labels_den", where) if hld is not None else None
    if (den <= 0).any():
        bad = np.argwhere(den <= 0)[0] if den.ndim else ()
        raise InputError(f"{where}: array 'den' has a non-positive entry at index {tuple(int(b) for b in bad)}")
    if cls.dtype.kind == "i" and (cls < 0).any():
        raise InputError(f"{where}: array 'cls' has a negative class index (class ids are 0..Q-1)")
    top = int(cls.max())
    if top >= MAX_CLASSES:
        raise InputError(f"{where}: class index {top}: more than the limit of {MAX_CLASSES} classes")
    cls64 = cls.astype(np.int64)
    Q = top + 1
    if Q > N:
        raise InputError(f"{where}: array 'cls' has class index {Q - 1} but only {N} points")
    sizes = np.bincount(cls64, minlength=Q)
    if (sizes == 0).any():
        j = int(np.argmax(sizes == 0))
        raise InputError(f"{where}: class {j} is empty (no point has cls == {j}; classes must be 0..Q-1)")
    # Bring num/den to a common denominator.
    den_flat = den.reshape(-1)
    if den.shape in ((), (1,)) or (den_flat == den_flat[0]).all():
        d = int(den_flat[0])
        arr = num
        L = d
    else:
        if den.shape == (N,):
            den_full = np.broadcast_to(den.reshape(N, 1), (N, M))
        else:
            den_full = den
        n_obj = [int(v) for v in num.reshape(-1)]
        d_obj = [int(v) for v in den_full.reshape(-1)]
        rn, rd = [], []
        for a, b in zip(n_obj, d_obj):
            g = math.gcd(a, b)
            rn.append(a // g)
            rd.append(b // g)
        arr, L = assemble_common_denominator(rn, rd, (N, M), where=where)
    perm = np.argsort(cls64, kind="stable")
    Y = None
    if lab_num is not None:
        if lab_num.shape[1] != Q:
            raise InputError(f"{where}: array 'labels_num' must have shape (out_dim, Q={Q}), got {lab_num.shape}")
        if lab_den is None:
            lab_den = np.ones((), dtype=np.int64)
        ld = np.broadcast_to(lab_den.reshape(()) if lab_den.shape == (1,) else lab_den, lab_num.shape)
        if (ld <= 0).any():
            raise InputError(f"{where}: array 'labels_den' has a non-positive entry")
        Y = flint.fmpq_mat(lab_num.shape[0], Q)
        for r in range(lab_num.shape[0]):
            for j in range(Q):
                Y[r, j] = flint.fmpq(int(lab_num[r, j]), int(ld[r, j]))
    return Instance(stem, arr[perm].T, L, sizes.tolist(), Y)


# ---------------------------------------------------------------------------------------------------- writers
def instance_to_json_text(inst: Instance, indent: int | None = None) -> str:
    """Contract JSON text of ``inst`` (numbers as canonical strings). With ``indent``, one point per line."""
    d = inst.to_json_dict()
    if indent is None:
        return json.dumps(d, separators=(",", ":")) + "\n"
    pad = " " * indent
    lines = ["{", f'{pad}"format": {json.dumps(d["format"])},', f'{pad}"name": {json.dumps(d["name"])},',
             f'{pad}"classes": [']
    for j, c in enumerate(d["classes"]):
        lines.append(f'{pad * 2}{{"points": [')
        for i, pt in enumerate(c["points"]):
            comma = "," if i + 1 < len(c["points"]) else ""
            lines.append(f"{pad * 3}{json.dumps(pt)}{comma}")
        lines.append(f"{pad * 2}]}}" + ("," if j + 1 < len(d["classes"]) else ""))
    lines.append(f"{pad}],")
    lines.append(f'{pad}"labels": [')
    for r, row in enumerate(d["labels"]):
        lines.append(f"{pad * 2}{json.dumps(row)}" + ("," if r + 1 < len(d["labels"]) else ""))
    lines.append(f"{pad}]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _is_identity(Y: flint.fmpq_mat) -> bool:
    if Y.nrows() != Y.ncols():
        return False
    n = Y.nrows()
    return all(Y[r, c] == (1 if r == c else 0) for r in range(n) for c in range(n))


def instance_to_csv_text(inst: Instance) -> str:
    """CSV text (no header; class column 0..Q-1). Only for identity labels (CSV cannot carry labels)."""
    if not _is_identity(inst.Y):
        raise ValueError("CSV cannot carry labels; Y is not the identity (write JSON or NPZ)")
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    d = inst.to_json_dict()
    for j, c in enumerate(d["classes"]):
        for pt in c["points"]:
            w.writerow(list(pt) + [str(j)])
    return buf.getvalue()


def save_npz(inst: Instance, path) -> None:
    """Write the NPZ fast-path format (num int64 (N, M), scalar den, cls, labels_num/labels_den)."""
    if inst.X0_num.dtype != np.int64 or inst.X0_den >= 2**63:
        raise ValueError("numerators or the denominator do not fit int64; write JSON instead")
    cls = np.repeat(np.arange(inst.Q, dtype=np.int64), inst.sizes)
    Y = inst.Y
    L = 1
    for r in range(Y.nrows()):
        for c in range(Y.ncols()):
            q = int(Y[r, c].q)
            L = L * q // math.gcd(L, q)
    if L >= 2**63:
        raise ValueError("label denominators do not fit int64")
    lab = [[int(Y[r, c].p) * (L // int(Y[r, c].q)) for c in range(Y.ncols())] for r in range(Y.nrows())]
    lab_arr = np.array(lab, dtype=object)
    if any(abs(v) >= 2**63 for v in lab_arr.flat):
        raise ValueError("label numerators do not fit int64")
    with open(path, "wb") as fh:
        np.savez(fh, num=np.ascontiguousarray(inst.X0_num.T), den=np.int64(inst.X0_den), cls=cls,
                 labels_num=lab_arr.astype(np.int64), labels_den=np.int64(L))


def write_instance(inst: Instance, path, indent: int | None = 2) -> None:
    """Write ``inst`` in the format given by the extension of ``path`` (.json, .csv, .npz)."""
    p = Path(path)
    ext = p.suffix.lower()
    if ext == ".json":
        p.write_text(instance_to_json_text(inst, indent=indent), encoding="utf-8")
    elif ext == ".csv":
        p.write_text(instance_to_csv_text(inst), encoding="utf-8")
    elif ext == ".npz":
        save_npz(inst, p)
    else:
        raise InputError(f"{p}: unknown instance file extension {p.suffix!r} (expected .json, .csv or .npz)")
