"""Loading (and writing) instances: JSON, CSV, NPZ. Every bad input raises a one-line :class:`InputError`.

Formats
-------
JSON (``.json``), the contract format::

    {"format": "exactmin-instance/1", "name": str, "classes": [{"points": [[num, ...], ...]}, ...],
     "labels": [[num, ...], ...]}

``format`` may be omitted (if present it must be ``"exactmin-instance/1"``); ``name`` defaults to the file stem;
``labels`` (optional) are the rows of Y, so column j is y_j: at least one row, every row of length Q; default is the
Q x Q identity. ``num`` is a JSON integer, a JSON number (read as an exact decimal: ``0.1`` is 1/10, ``1e-3`` is
1/1000; the literal text is kept, never converted through a binary float) or a string ``"p/q"``, ``"-1.25"``,
``"3e-2"``. ``NaN``/``Infinity``, booleans, ``null``, objects and lists in number positions are errors. Unknown keys
are ignored.

CSV (``.csv``): one point per row, the coordinates then a final class column (comma separated, ``csv`` module
quoting). Blank lines are ignored. The first non-blank row is a header iff one of its non-empty coordinate fields is
not a number. Every row must have the same number of fields (the error names the line). Class tokens are stripped
of surrounding whitespace; if every token is an integer (``[+-]?[0-9]+``) the classes are ordered by numeric value
(two spellings of one integer, like ``"2"`` and ``"02"``, are an error), otherwise by first appearance. Within a
class, points keep file order. Labels are the identity.

NPZ (``.npz``, fast path; loaded with ``allow_pickle=False``): ``num`` integer array of shape (N, M); ``den``
positive integer scalar or array of shape (N,) or (N, M); ``cls`` integer array of shape (N,) with values 0..Q-1,
every class non-empty (points are regrouped class by class, stable); optional ``labels_num`` (out_dim, Q) with
optional ``labels_den`` (scalar or same shape, positive). The name is the file stem.

Bounds: files larger than :data:`MAX_FILE_BYTES`, with more than :data:`MAX_NUMBERS` numbers or more than
:data:`MAX_CLASSES` classes are rejected, as are numbers outside the bounds of
:func:`exactmin.exact.numbers.parse_rational`.

Speed: numbers are parsed to (numerator, denominator) integer pairs (memoised per distinct literal), brought to the
lcm of the denominators once, and stored in a NumPy array; no Fraction objects are built.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
from pathlib import Path

import flint
import numpy as np

from exactmin.errors import InputError
from exactmin.exact.numbers import parse_rational
from exactmin.data.instance import FORMAT, Instance, assemble_common_denominator, labels_matrix

__all__ = ["load_instance", "load_instance_text", "write_instance", "instance_to_json_text",
           "instance_to_csv_text", "save_npz", "MAX_FILE_BYTES", "MAX_NUMBERS", "MAX_CLASSES"]

MAX_FILE_BYTES = 2 * 1024**3
MAX_NUMBERS = 10**7
#: Largest accepted number of classes (the default labels are the Q x Q identity, written out in the hash).
MAX_CLASSES = 1000
_MAX_CLASS_TOKEN = 200


class _JsonNum(str):
    """Literal text of a JSON number (kept exact)."""
    __slots__ = ()


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
    text = _decode(data, where)
    return _load_text(text, ext[1:], p.stem, where)


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


def _load_text(text: str, fmt: str, default_name: str, where: str) -> Instance:
    if fmt == "json":
        return _load_json(text, default_name, where)
    return _load_csv(text, default_name, where)


# ---------------------------------------------------------------------------------------------------- JSON
def _load_json(text: str, default_name: str, where: str) -> Instance:
    try:
        obj = json.loads(text, parse_float=_JsonNum, parse_int=_JsonNum, parse_constant=_NonFinite)
    except json.JSONDecodeError as e:
        raise InputError(f"{where}: invalid JSON at line {e.lineno} column {e.colno}: {_one_line(e.msg)}") from None
    except RecursionError:
        raise InputError(f"{where}: invalid JSON: nested too deeply") from None
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
                if tv is _JsonNum or tv is str:
                    r = memo_get(v)
                    if r is None:
                        if len(memo) > 1_000_000:
                            memo.clear()
                        try:
                            r = parse_rational(v)
                        except InputError as e:
                            k = _index_of(p, v)
                            raise InputError(f"{where}: class {j}, point {i}, coordinate {k}: {e}") from None
                        memo[v] = r
                else:
                    k = _index_of(p, v)
                    raise InputError(f"{where}: class {j}, point {i}, coordinate {k}: {_not_number(v)}")
                append_n(r[0])
                append_d(r[1])
    Y = None
    if "labels" in obj:
        labels = obj["labels"]
        _check_json_numbers_tree(labels, where)
        Y = labels_matrix(labels, len(sizes), where=where)
    arr, L = assemble_common_denominator(nums, dens, (sum(sizes), M), where=where)
    return Instance(name, arr.T, L, sizes, Y)


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
            if not (type(v) is _JsonNum or type(v) is str):
                raise InputError(f"{where}: labels row {r}, column {j}: {_not_number(v)}")


def _json_type(v) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "a boolean"
    if isinstance(v, _NonFinite):
        return str(v)
    if isinstance(v, _JsonNum):
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
    s = repr(v) if isinstance(v, str) else _json_type(v)
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
            if not row or (len(row) == 1 and not row[0].strip()) or all(not f.strip() for f in row):
                continue
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
                is_header = False
                for f in row[:-1]:
                    if not f.strip():
                        continue  # an empty field is a missing number, not a column name
                    try:
                        parse_rational(f)
                    except InputError:
                        is_header = True
                        break
                if is_header:
                    continue
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
            tok = row[-1].strip()
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
def _npz_array(z, key: str, where: str) -> np.ndarray:
    try:
        a = z[key]
    except ValueError as e:
        raise InputError(f"{where}: array {key!r}: {_one_line(e)} (object arrays are not accepted)") from None
    except Exception as e:  # corrupt member
        raise InputError(f"{where}: array {key!r} cannot be read: {_one_line(e)}") from None
    if not np.issubdtype(a.dtype, np.integer) or a.dtype == np.bool_:
        raise InputError(f"{where}: array {key!r} must have an integer dtype (exact input), got {a.dtype}")
    return a


def _load_npz(p: Path, where: str) -> Instance:
    try:
        z = np.load(p, allow_pickle=False)
    except Exception as e:
        raise InputError(f"{where}: not a valid .npz file: {_one_line(e)}") from None
    if not isinstance(z, np.lib.npyio.NpzFile):
        raise InputError(f"{where}: not a .npz archive (a single .npy array?)")
    with z:
        try:
            infos = {i.filename: i for i in z.zip.infolist()}
        except Exception as e:  # pragma: no cover
            raise InputError(f"{where}: not a valid .npz file: {_one_line(e)}") from None
        total = sum(i.file_size for i in infos.values())
        if total > MAX_FILE_BYTES:
            raise InputError(f"{where}: arrays decompress to {total} bytes, more than the limit {MAX_FILE_BYTES}")
        for key in ("num", "den", "cls"):
            if key not in z.files:
                raise InputError(f"{where}: missing array {key!r} (need num, den, cls)")
        num = _npz_array(z, "num", where)
        if num.ndim != 2 or num.shape[0] == 0 or num.shape[1] == 0:
            raise InputError(f"{where}: array 'num' must have shape (N, M) with N, M >= 1, got {num.shape}")
        N, M = num.shape
        if num.size > MAX_NUMBERS:
            raise InputError(f"{where}: more than {MAX_NUMBERS} numbers")
        den = _npz_array(z, "den", where)
        if den.shape not in ((), (1,), (N,), (N, M)):
            raise InputError(f"{where}: array 'den' must be a scalar or have shape ({N},) or ({N}, {M}), "
                             f"got {den.shape}")
        cls = _npz_array(z, "cls", where)
        if cls.shape != (N,):
            raise InputError(f"{where}: array 'cls' must have shape ({N},), got {cls.shape}")
        lab_num = _npz_array(z, "labels_num", where) if "labels_num" in z.files else None
        lab_den = _npz_array(z, "labels_den", where) if "labels_den" in z.files else None
    if den.size and (den <= 0).any():
        bad = np.argwhere(den <= 0)[0]
        raise InputError(f"{where}: array 'den' has a non-positive entry at index {tuple(int(b) for b in bad)}")
    cls64 = cls.astype(np.int64) if cls.dtype != np.uint64 or int(cls.max()) < 2**62 else None
    if cls64 is None or (cls64 < 0).any():
        raise InputError(f"{where}: array 'cls' has a negative or huge class index")
    Q = int(cls64.max()) + 1
    if Q > MAX_CLASSES:
        raise InputError(f"{where}: {Q} classes, more than the limit {MAX_CLASSES}")
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
        if lab_num.ndim != 2 or lab_num.shape[1] != Q or lab_num.shape[0] < 1:
            raise InputError(f"{where}: array 'labels_num' must have shape (out_dim, Q={Q}), got {lab_num.shape}")
        if lab_den is None:
            lab_den = np.ones((), dtype=np.int64)
        if lab_den.shape not in ((), (1,), lab_num.shape):
            raise InputError(f"{where}: array 'labels_den' must be a scalar or have shape {lab_num.shape}, "
                             f"got {lab_den.shape}")
        ld = np.broadcast_to(lab_den.reshape(()) if lab_den.shape == (1,) else lab_den, lab_num.shape)
        if (ld <= 0).any():
            raise InputError(f"{where}: array 'labels_den' has a non-positive entry")
        Y = flint.fmpq_mat(lab_num.shape[0], Q)
        for r in range(lab_num.shape[0]):
            for j in range(Q):
                Y[r, j] = flint.fmpq(int(lab_num[r, j]), int(ld[r, j]))
    elif lab_den is not None:
        raise InputError(f"{where}: array 'labels_den' given without 'labels_num'")
    return Instance(p.stem, arr[perm].T, L, sizes.tolist(), Y)


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
