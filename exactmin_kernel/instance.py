"""The kernel's instance reader: docs/instance-format.md, implemented with the standard library only.

It shares no code with the library's reader (exactmin/data/io.py); tests/test_parser_differential.py checks that
the two accept exactly the same files with the same canonical hash and class order.  ``read_instance(path)``
returns ``(classes, Y)``: ``classes[j][i]`` is point i of class j (a list of ``Fraction``), ``Y`` the rows of the
label matrix.  Every rejection raises :class:`InstanceError` with a one-line message (without the path).
"""
from __future__ import annotations

import array
import csv
import io
import json
import math
import re
import sys
import zipfile
from fractions import Fraction
from itertools import chain, repeat
from operator import floordiv

INSTANCE_FORMAT = "exactmin-instance/1"
MAX_FILE_BYTES = 2 * 1024**3
MAX_NUMBERS = 10**7
MAX_CLASSES = 1000
MAX_LABEL_ROWS = 1000
MAX_CLASS_TOKEN = 200
MAX_DIGITS = 4000
MAX_EXP = 1000
MAX_TOKEN = 2 * MAX_DIGITS + 64
MAX_TOTAL_BITS = 2**33
MAX_NPY_HEADER = 65535
WS = " \t\n\r\f\v"
_BOUND = 10**MAX_DIGITS


class InstanceError(ValueError):
    """The instance file is unreadable or breaks docs/instance-format.md."""


def _show(t: str) -> str:
    return repr(t if len(t) <= 40 else t[:37] + "...")


# ------------------------------------------------------------------------------------------------ numbers (sec. 2)

_FRAC = re.compile(r"([+-]?)([0-9]+)/([0-9]+)", re.ASCII)
_DECIMAL = re.compile(r"([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?)([0-9]+))?", re.ASCII)
_NUMERIC_SHAPE = (re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII),
                  _FRAC,
                  re.compile(r"[+-]?(?:nan|inf|infinity)", re.ASCII | re.IGNORECASE))


def _bounded(x: Fraction, tok: str) -> Fraction:
    if not -_BOUND < x.numerator < _BOUND or x.denominator >= _BOUND:
        raise InstanceError(f"number too large (more than {MAX_DIGITS} digits after reduction): {_show(tok)}")
    return x


def number(tok) -> Fraction:
    """An instance number from its text (section 2): decimal, scientific or p/q, exact and bounded."""
    if not isinstance(tok, str):
        raise InstanceError(f"not a number: {type(tok).__name__}")
    if len(tok) > MAX_TOKEN:
        raise InstanceError(f"number text longer than {MAX_TOKEN} characters")
    t = tok.strip(WS)
    m = _FRAC.fullmatch(t)
    if m:
        sign, p, q = m.groups()
        if len(p) > MAX_DIGITS or len(q) > MAX_DIGITS:
            raise InstanceError(f"fraction with more than {MAX_DIGITS} digits: {_show(t)}")
        if int(q) == 0:
            raise InstanceError(f"zero denominator: {_show(t)}")
        return _bounded(Fraction(-int(p) if sign == "-" else int(p), int(q)), t)
    m = _DECIMAL.fullmatch(t)
    if not m or not (m.group(2) or m.group(3)):
        raise InstanceError(f"not an exact rational number: {_show(t)}")
    sign, ip, fp, esign, ed = m.group(1), m.group(2), m.group(3) or "", m.group(4), m.group(5)
    if len(ip) + len(fp) > MAX_DIGITS:
        raise InstanceError(f"more than {MAX_DIGITS} digits: {_show(t)}")
    e = 0
    if ed is not None:
        ed = ed.lstrip("0")
        if len(ed) > 4 or (ed and int(ed) > MAX_EXP):
            raise InstanceError(f"exponent out of range (at most {MAX_EXP} in absolute value): {_show(t)}")
        e = -int(ed or "0") if esign == "-" else int(ed or "0")
    mant = int(ip + fp)
    if sign == "-":
        mant = -mant
    e -= len(fp)
    x = Fraction(mant * 10**e) if e >= 0 else Fraction(mant, 10**-e)
    return _bounded(x, t)


_PLAIN = re.compile(r"([+-]?)([0-9]*)(?:\.([0-9]*))?", re.ASCII)
_POW10 = [10**k for k in range(64)]
_PLAIN_FIELD = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"     # unambiguous: no backtracking blow-up on long rows
_FRACTION_FIELD = r"[+-]?[0-9]+(?:/[0-9]+)?"                  # integers and fractions p/q, also unambiguous
_PLAIN_ROWS: dict = {}          # (M, bytes?, fractions?) -> the regular expression of M such fields joined by ","


def pair(tok) -> tuple[int, int]:
    """(n, q), q > 0, with n / q = number(tok), not necessarily reduced: a plain decimal [+-]digits[.digits] of at
    most MAX_DIGITS characters is n / 10^(digits after the point) (both below 10^MAX_DIGITS, so number's bounds
    hold); any other text goes through :func:`number` (the same value, or its error).  (Per token, this is 2.6x
    cheaper than :func:`plain_point` of one field: the rows that path does not take, and CSV files with spaces
    around the numbers, go through here.)"""
    m = isinstance(tok, str) and len(tok) <= MAX_DIGITS and _PLAIN.fullmatch(tok.strip(WS))
    if m:
        sign, ip, fp = m.groups("")
        if ip or fp:
            n = int(ip + fp)
            return (-n if sign == "-" else n), _POW10[len(fp)] if len(fp) < 64 else 10 ** len(fp)
    x = number(tok)
    return x.numerator, x.denominator


def point(pairs) -> tuple[tuple[int, ...], int]:
    """(numerators, q): a point given as (n, q) pairs, over q = the lcm of its denominators."""
    q = math.lcm(*(b for _, b in pairs))
    return tuple(a if b == q else a * (q // b) for a, b in pairs), q


def _row_rx(M, b, frac):
    rx = _PLAIN_ROWS.get((M, b, frac))
    if rx is None:
        f = _FRACTION_FIELD if frac else _PLAIN_FIELD
        pat = f"{f}(?:,{f}){{{M - 1}}}"
        rx = _PLAIN_ROWS.setdefault((M, b, frac), re.compile(pat.encode() if b else pat))
    return rx


def plain_point(fields):
    """The point of the texts ``fields`` (all str, or all bytes: JSON literals) as (numerators, q) when every one is
    a plain decimal [+-]digits[.digits] (at least one digit), or every one an integer or fraction [+-]digits/digits,
    of at most MAX_DIGITS characters; None otherwise (then each text goes through :func:`pair`: the same value, or
    the error).  One regular expression checks the M texts joined by "," (a text holding a "," makes more than M
    parts and fails it).  Decimals: q = 10^k, k the most digits after a point of any, and a numerator is int(integer
    digits + fraction digits + zeros up to k), as in pair.  Fractions: q = the lcm of the denominators (None if one
    is 0: pair raises the error), a numerator n q / d."""
    M, b = len(fields), type(fields[0]) is bytes
    s = (b"," if b else ",").join(fields)
    if len(s) > MAX_DIGITS and max(map(len, fields)) > MAX_DIGITS:
        return None
    if _row_rx(M, b, False).fullmatch(s):
        parts = [f.partition(b"." if b else ".") for f in fields]
        k = max([len(fp) for _, _, fp in parts])
        z = (b"0" if b else "0") * k
        return tuple([int(ip + fp + z[len(fp):]) for ip, _, fp in parts]), 10**k
    if not _row_rx(M, b, True).fullmatch(s):
        return None
    parts = [f.partition(b"/" if b else "/") for f in fields]
    ds = [int(d) if d else 1 for _, _, d in parts]
    if 0 in ds:
        return None
    q = math.lcm(*ds)
    return tuple([int(n) * (q // d) for (n, _, _), d in zip(parts, ds)]), q


def class_rows(points):
    """(rows, d): points given as (numerators, q) (:func:`point`), as integer rows over d = lcm of the q's (x = row
    / d)."""
    d = math.lcm(*(qs := {q for _, q in points}))
    f = {q: d // q for q in qs}
    return [x if f[q] == 1 else tuple(n * f[q] for n in x) for x, q in points], d


def numeric_shaped(field: str) -> bool:
    """The CSV header rule's test (section 4): number grammar without bounds, or a nan/inf spelling."""
    t = field.strip(WS)
    return any(r.fullmatch(t) for r in _NUMERIC_SHAPE)


def _identity(Q):
    return [[Fraction(int(i == j)) for j in range(Q)] for i in range(Q)]


def _den_limit(count):
    return max(64, MAX_TOTAL_BITS // max(count, 1))


def _check_common_den(dens, count) -> None:
    """Section 6: the lcm of the coordinates' reduced denominators ``dens`` has at most max(64, 2^33 / (N M)) bits
    (count = N M)."""
    limit = _den_limit(count)
    D = 1
    for d in dens:
        if D % d:
            D = D * d // math.gcd(D, d)
            if D.bit_length() > limit:
                raise InstanceError(f"the common denominator of the coordinates exceeds {limit} bits")


# ------------------------------------------------------------------------------------------------ JSON (sec. 3)

#: a JSON number literal is read as its text in bytes (cheaper than a str subclass; JSON strings stay str)
_literal = str.encode


def _reject_constant(name):
    raise InstanceError(f"JSON constant {name} is not a number (and not JSON)")


def _pairs(pairs):
    out = {}
    for k, v in pairs:
        if k in out:
            raise InstanceError(f"duplicate JSON key {_show(k)}")
        out[k] = v
    return out


def _json_number(v, where: str, read=number):
    if type(v) is bytes:
        v = v.decode("ascii")
    if not isinstance(v, str):
        kind = {bool: "a boolean", type(None): "null", list: "a list", dict: "an object"}.get(type(v), "?")
        raise InstanceError(f"{where}: expected a number, got {kind}")
    try:
        return read(v)
    except InstanceError as e:
        raise InstanceError(f"{where}: {e}") from None


def _read_json(text: str):
    try:
        doc = json.loads(text, parse_int=_literal, parse_float=_literal, parse_constant=_reject_constant,
                         object_pairs_hook=_pairs)
    except json.JSONDecodeError as e:
        raise InstanceError(f"invalid JSON at line {e.lineno} column {e.colno}: {e.msg}") from None
    except RecursionError:
        raise InstanceError("invalid JSON: nested too deeply (RecursionError)") from None
    if type(doc) is not dict:
        raise InstanceError("the top-level JSON value must be an object")
    if "format" in doc and (type(doc["format"]) is not str or doc["format"] != INSTANCE_FORMAT):
        raise InstanceError(f"unsupported format (expected {INSTANCE_FORMAT!r})")
    if "name" in doc and type(doc["name"]) is not str:
        raise InstanceError('"name" must be a string')
    cl = doc.get("classes")
    if type(cl) is not list or not cl:
        raise InstanceError('"classes" must be a non-empty list')
    if len(cl) > MAX_CLASSES:
        raise InstanceError(f"more than {MAX_CLASSES} classes")
    classes, M, count = [], None, 0
    for j, c in enumerate(cl):
        if type(c) is not dict or "points" not in c:
            raise InstanceError(f'class {j} must be an object with "points"')
        pts = c["points"]
        if type(pts) is not list or not pts:
            raise InstanceError(f'class {j}: "points" must be a non-empty list')
        if M is None:
            if type(pts[0]) is not list or not pts[0]:
                raise InstanceError(f"class {j}, point 0 must be a non-empty list of numbers")
            M = len(pts[0])
        count += len(pts) * M
        if count > MAX_NUMBERS:
            raise InstanceError(f"more than {MAX_NUMBERS} numbers")
        out = []
        for i, p in enumerate(pts):
            if type(p) is not list or len(p) != M:
                raise InstanceError(f"class {j}, point {i} must be a list of {M} numbers")
            try:
                x = plain_point(p)
            except TypeError:                   # not all literals, or not all strings
                x = None
            out.append(x or point([_json_number(v, f"class {j}, point {i}, coordinate {k}", pair)
                                   for k, v in enumerate(p)]))
            pts[i] = None                       # the point's texts are freed as its integers are made
        classes.append(out)
    Q = len(classes)
    if "labels" in doc:
        rows = doc["labels"]
        if type(rows) is not list or not 1 <= len(rows) <= MAX_LABEL_ROWS:
            raise InstanceError(f'"labels" must be a list of 1..{MAX_LABEL_ROWS} rows')
        Y = []
        for r, row in enumerate(rows):
            if type(row) is not list or len(row) != Q:
                raise InstanceError(f"labels row {r} must be a list of Q={Q} numbers")
            Y.append([_json_number(v, f"labels row {r}, column {j}") for j, v in enumerate(row)])
    else:
        Y = _identity(Q)
    return classes, Y


# ------------------------------------------------------------------------------------------------ CSV (sec. 4)

_INTEGER_TOKEN = re.compile(r"[+-]?[0-9]+", re.ASCII)


def _read_csv(text: str):
    # the records as csv.reader cuts them; without quotes, a list of lines (a StringIO holds 4 bytes per character)
    lines = text.splitlines(True) if '"' not in text and not _OTHER_BREAKS.search(text) else \
        io.StringIO(text, newline="")
    reader = csv.reader(lines)
    width = None
    first = True
    by_token = {}           # class token -> its points (numerators, q) in file order
    count = 0
    try:
        for rec in reader:
            pt = plain_point(rec[:-1]) if len(rec) == width and not first else None   # the common case
            if pt is None:
                if not any(f.strip(WS) for f in rec):
                    continue
                if width is None:
                    width = len(rec)
                    if width < 2:
                        raise InstanceError(f"line {reader.line_num}: need coordinates and a class column")
                if len(rec) != width:
                    raise InstanceError(f"line {reader.line_num}: {len(rec)} fields, expected {width}")
                if first:
                    first = False
                    if not any(numeric_shaped(f) for f in rec[:-1]):
                        continue                                  # the header
            count += width - 1
            if count > MAX_NUMBERS:
                raise InstanceError(f"more than {MAX_NUMBERS} numbers")
            if pt is None:
                pairs = []
                for k, f in enumerate(rec[:-1]):
                    try:
                        pairs.append(pair(f))
                    except InstanceError as e:
                        raise InstanceError(f"line {reader.line_num}, column {k + 1}: {e}") from None
                pt = point(pairs)
            tok = rec[-1].strip(WS)
            if not tok or len(tok) > MAX_CLASS_TOKEN:
                raise InstanceError(f"line {reader.line_num}: class label empty or longer than {MAX_CLASS_TOKEN} "
                                    "characters")
            by_token.setdefault(tok, []).append(pt)
    except csv.Error as e:
        raise InstanceError(f"line {reader.line_num}: CSV error: {e}") from None
    if not by_token:
        raise InstanceError("no data rows")
    distinct = list(by_token)
    if all(_INTEGER_TOKEN.fullmatch(t) for t in distinct):
        by_value = {}
        for t in distinct:
            if int(t) in by_value:
                raise InstanceError(f"class labels {by_value[int(t)]!r} and {t!r} are the same integer")
            by_value[int(t)] = t
        order = [by_value[v] for v in sorted(by_value)]
    else:
        order = distinct
    if len(order) > MAX_CLASSES:
        raise InstanceError(f"more than {MAX_CLASSES} classes")
    return [by_token[t] for t in order], _identity(len(order))


#: line breaks of str.splitlines that csv.reader on io.StringIO(newline="") does not break at
_OTHER_BREAKS = re.compile("[\v\f\x1c\x1d\x1e\x85\u2028\u2029]")


def _class_rows_checked(classes, count):
    """Classes of points (numerators, q) (every reader's, but an NPZ file's with one denominator) as (rows, d) per
    class (:func:`class_rows`; a class's points are freed once its rows exist), with section 6 on the REDUCED
    denominators d / gcd(v, d) (a decimal's 10^k need not be reduced): their lcm divides the lcm of the classes' d,
    so that one is checked first."""
    for j, c in enumerate(classes):
        classes[j] = class_rows(c)
    if math.lcm(*(d for _, d in classes)).bit_length() > _den_limit(count):
        _check_common_den({d // math.gcd(v, d) for X, d in classes for x in X for v in x}, count)
    return classes


# ------------------------------------------------------------------------------------------------ NPZ (sec. 5)

_NPY_KEYS = ("num", "den", "cls", "labels_num", "labels_den")
_DIM = re.compile(r"0|[1-9][0-9]{0,17}", re.ASCII)
_DESCR = re.compile(r"([<>|])([iu])([1248])", re.ASCII)


def _typecode(kind: str, size: int) -> str:
    for code in ("bhilq" if kind == "i" else "BHILQ"):
        if array.array(code).itemsize == size:
            return code
    raise InstanceError(f"no {kind}{size} integer type on this platform")


def _scan_header(s: str):
    """Section 5's header grammar by a hand-written scanner: (order, kind, size, fortran, shape)."""
    s = s.rstrip(" \n")
    n, i = len(s), 1
    if not s.startswith("{"):
        raise InstanceError("bad .npy header")
    got = {}

    def spaces(i):
        while i < n and s[i] == " ":
            i += 1
        return i

    while True:
        i = spaces(i)
        if i < n and s[i] == "}" and got:
            i += 1
            break
        if i >= n or s[i] != "'":
            raise InstanceError("bad .npy header")
        end = s.find("'", i + 1)
        key = s[i + 1:end] if end > 0 else ""
        if key not in ("descr", "fortran_order", "shape") or key in got:
            raise InstanceError("bad .npy header")
        i = spaces(end + 1)
        if i >= n or s[i] != ":":
            raise InstanceError("bad .npy header")
        i = spaces(i + 1)
        if key == "descr":
            end = s.find("'", i + 1) if s[i:i + 1] == "'" else -1
            m = _DESCR.fullmatch(s[i + 1:end]) if end > 0 else None
            if not m or (m.group(1) == "|" and m.group(3) != "1"):
                raise InstanceError(f"unsupported .npy dtype (integer arrays only): {_show(s[i:i + 12])}")
            got[key] = (m.group(1), m.group(2), int(m.group(3)))
            i = end + 1
        elif key == "fortran_order":
            word = "True" if s.startswith("True", i) else "False" if s.startswith("False", i) else None
            if word is None:
                raise InstanceError("bad .npy header")
            got[key] = word == "True"
            i += len(word)
        else:
            end = s.find(")", i) if s[i:i + 1] == "(" else -1
            if end < 0:
                raise InstanceError("bad .npy header")
            parts = [t.strip(" ") for t in s[i + 1:end].split(",")]
            if len(parts) == 1:
                if parts[0]:
                    raise InstanceError("bad .npy header")       # "(n)" is not a tuple
                parts = []
            elif parts[-1] == "":
                parts.pop()
            if not all(_DIM.fullmatch(t) for t in parts):
                raise InstanceError("bad .npy header")
            got[key] = tuple(int(t) for t in parts)
            i = end + 1
        i = spaces(i)
        if i < n and s[i] == ",":
            i += 1
        elif i < n and s[i] == "}":
            i += 1
            break
        else:
            raise InstanceError("bad .npy header")
    if i != n or len(got) != 3:
        raise InstanceError("bad .npy header")
    order, kind, size = got["descr"]
    return order, kind, size, got["fortran_order"], got["shape"]


class _Npy:
    def __init__(self, z, info, key):
        self.z, self.info, self.key = z, info, key
        with z.open(info) as fh:
            pre = fh.read(10)
            if len(pre) < 10 or pre[:6] != b"\x93NUMPY":
                raise InstanceError(f"array {key!r} is not a .npy array")
            if pre[6:8] == b"\x01\x00":
                hlen, self.offset = pre[8] | pre[9] << 8, 10
                head = b""
            elif pre[6:8] in (b"\x02\x00", b"\x03\x00"):
                more = fh.read(2)
                if len(more) < 2:
                    raise InstanceError(f"array {key!r}: truncated .npy header")
                hlen, self.offset = int.from_bytes(pre[8:10] + more, "little"), 12
                head = b""
            else:
                raise InstanceError(f"array {key!r}: unsupported .npy version")
            if hlen > MAX_NPY_HEADER:
                raise InstanceError(f"array {key!r}: .npy header longer than {MAX_NPY_HEADER} bytes")
            head = fh.read(hlen)
        if len(head) != hlen or any(b > 127 for b in head):
            raise InstanceError(f"array {key!r}: truncated or non-ASCII .npy header")
        try:
            self.order, self.kind, self.size, self.fortran, self.shape = _scan_header(head.decode("ascii"))
        except InstanceError as e:
            raise InstanceError(f"array {key!r}: {e}") from None
        self.offset += hlen
        self.count = 1
        for d in self.shape:
            self.count *= d
        if info.file_size != self.offset + self.count * self.size:
            raise InstanceError(f"array {key!r}: the archive's size of the member does not match its header")

    def values(self):
        """The entries in C order, read only now (after every shape check)."""
        need = self.count * self.size
        with self.z.open(self.info) as fh:
            fh.read(self.offset)
            data = fh.read(need)
            if len(data) != need or fh.read(1):
                raise InstanceError(f"array {self.key!r}: data length does not match its header")
        a = array.array(_typecode(self.kind, self.size))
        a.frombytes(data)
        if self.size > 1 and (self.order == ">") != (sys.byteorder == "big"):
            a.byteswap()
        vals = a.tolist()
        if self.fortran and len(self.shape) == 2:
            r, c = self.shape
            vals = [vals[j * r + i] for i in range(r) for j in range(c)]
        return vals


def _read_npz(path):
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
        if any(i.flag_bits & 1 for i in infos):
            raise InstanceError("the archive has an encrypted member")
        if len({i.filename for i in infos}) != len(infos):
            raise InstanceError("the archive has two members with the same name")
        found = {}
        for i in infos:
            if i.filename.endswith(".npy") and i.filename[:-4] in _NPY_KEYS:
                if i.compress_type not in (0, 8):
                    raise InstanceError(f"member {i.filename!r}: unsupported compression method")
                found[i.filename[:-4]] = i
        for key in ("num", "den", "cls"):
            if key not in found:
                raise InstanceError(f"missing array {key!r}")
        if "labels_den" in found and "labels_num" not in found:
            raise InstanceError("'labels_den' without 'labels_num'")
        arr = {k: _Npy(z, info, k) for k, info in found.items()}
        num, den, cls = arr["num"], arr["den"], arr["cls"]
        if len(num.shape) != 2 or 0 in num.shape:
            raise InstanceError("'num' must have shape (N, M) with N, M >= 1")
        N, M = num.shape
        if N * M > MAX_NUMBERS:
            raise InstanceError(f"more than {MAX_NUMBERS} numbers")
        if den.shape not in ((), (1,), (N,), (N, M)):
            raise InstanceError(f"'den' must have shape (), (1,), ({N},) or ({N}, {M}), got {den.shape}")
        if cls.shape != (N,):
            raise InstanceError(f"'cls' must have shape ({N},), got {cls.shape}")
        ln = arr.get("labels_num")
        ld = arr.get("labels_den")
        if ln is not None:
            if len(ln.shape) != 2 or not 1 <= ln.shape[0] <= MAX_LABEL_ROWS or ln.shape[1] > MAX_CLASSES:
                raise InstanceError("'labels_num' must have shape (out_dim, Q)")
            if ld is not None and ld.shape not in ((), (1,), ln.shape):
                raise InstanceError("'labels_den' must be a scalar or have the shape of 'labels_num'")
        nv, dv, cv = num.values(), den.values(), cls.values()
        lnv = ln.values() if ln is not None else None
        ldv = ld.values() if ld is not None else None
    if min(dv) <= 0:
        raise InstanceError("'den' has a non-positive entry")
    if min(cv) < 0:
        raise InstanceError("'cls' has a negative class id")
    Q = max(cv) + 1
    if Q > MAX_CLASSES:
        raise InstanceError(f"more than {MAX_CLASSES} classes")
    present = set(cv)
    if len(present) != Q:
        raise InstanceError(f"class {min(set(range(Q)) - present)} has no point (class ids must be 0..Q-1)")

    if den.shape in ((), (1,)):
        def den_of(i, k):
            return dv[0]
    elif den.shape == (N,):
        def den_of(i, k):
            return dv[i]
    else:
        def den_of(i, k):
            return dv[i * M + k]

    if den.shape in ((), (1,)):        # one denominator: the classes as integer rows over it, no Fraction per entry
        classes = [([], dv[0]) for _ in range(Q)]
        for i in range(N):
            classes[cv[i]][0].append(tuple(nv[i * M:i * M + M]))
    else:
        classes = [[] for _ in range(Q)]
        for i in range(N):
            classes[cv[i]].append(point([(nv[i * M + k], den_of(i, k)) for k in range(M)]))
    if lnv is None:
        return classes, _identity(Q)
    R, C = ln.shape
    if C != Q:
        raise InstanceError(f"'labels_num' must have Q={Q} columns")
    ldv = ldv if ldv is not None else [1]
    if min(ldv) <= 0:
        raise InstanceError("'labels_den' has a non-positive entry")
    Y = [[Fraction(lnv[r * C + j], ldv[0] if len(ldv) == 1 else ldv[r * C + j]) for j in range(C)]
         for r in range(R)]
    return classes, Y


# ------------------------------------------------------------------------------------------------ entry point

def _suffix(path: str) -> str:
    """The extension as ``pathlib.PurePath.suffix`` gives it, lower-cased."""
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    i = name.rfind(".")
    return name[i:].lower() if 0 < i < len(name) - 1 else ""


# zipfile raises zlib.error for a corrupt deflate stream (zlib itself is outside the kernel's import list).
_ZLIB_ERROR = getattr(getattr(zipfile, "zlib", None), "error", OSError)


def read_instance(path):
    """``(classes, Y)`` of the instance file ``path``; :class:`InstanceError` (one line) if it breaks the spec."""
    classes, Y = _read(path)
    return [c if isinstance(c, list) else _fractions(*c) for c in classes], Y


def _fractions(X, d):
    return [[Fraction(v, d) for v in x] for x in X]


def _read(path):
    """As :func:`read_instance`, but every class is (integer rows, d), its points x = row / d."""
    path = str(path)
    ext = _suffix(path)
    if ext not in (".json", ".csv", ".npz"):
        raise InstanceError("unknown instance file extension (expected .json, .csv or .npz)")
    try:
        with open(path, "rb") as fh:
            if fh.seek(0, 2) > MAX_FILE_BYTES:
                raise InstanceError(f"file larger than {MAX_FILE_BYTES} bytes")
            fh.seek(0)
            raw = fh.read(MAX_FILE_BYTES + 1) if ext != ".npz" else b""
        if len(raw) > MAX_FILE_BYTES:
            raise InstanceError(f"file larger than {MAX_FILE_BYTES} bytes")
        if ext == ".npz":
            classes, Y = _read_npz(path)
        else:
            text = raw.decode("utf-8-sig")
            del raw
            if "\x00" in text:
                raise InstanceError("NUL character in a text file")
            classes, Y = _read_json(text) if ext == ".json" else _read_csv(text)
            del text                                      # before the rows over common denominators are made
        if isinstance(classes[0], list):      # points (numerators, q); else (rows, d) over one int64 d (<= 63 bits)
            classes = _class_rows_checked(classes, sum(len(c) * len(c[0][0]) for c in classes))
        return classes, Y
    except InstanceError as e:
        raise InstanceError(" ".join(str(e).split())) from None
    except UnicodeDecodeError as e:
        raise InstanceError(f"not UTF-8 text (invalid byte at offset {e.start})") from None
    except (OSError, EOFError, ValueError, zipfile.BadZipFile, zipfile.LargeZipFile, _ZLIB_ERROR, csv.Error,
            NotImplementedError, OverflowError, RecursionError) as e:
        raise InstanceError(f"unreadable instance ({type(e).__name__}: {' '.join(str(e).split())[:80]})") from None


# ------------------------------------------------------------------------------------------------ the instance

def _rows(points):
    """(integer rows, d > 0) with points[i] = rows[i] / d: one common denominator for a class of Fraction points."""
    return class_rows([point([(x.numerator, x.denominator) for x in p]) for p in points])


def _text(n, d):
    """str(Fraction(n, d)) for d > 0, from two integers."""
    g = math.gcd(n, d)
    return str(n // g) if g == d else f"{n // g}/{d // g}"


def _class_text(X, d):
    """The points X / d as '1/2","3"],["-5/4","0' (inner text of the class's canonical JSON list): every entry
    n / d reduced by g = gcd(n, d), its string followed by '/' + str(d / g) unless g = d; the entries joined by '","'
    within a point and the points by '"],["'."""
    flat = list(chain.from_iterable(X))
    g = list(map(math.gcd, flat, repeat(d)))
    suffix = {e: "" if e == d else f"/{d // e}" for e in set(g)}
    t = map(str.__add__, map(str, map(floordiv, flat, g)), map(suffix.__getitem__, g))
    return '"],["'.join(map('","'.join, zip(*[t] * len(X[0]))))


class Instance:
    """An instance as the statements see it: ``P[j] = (rows, d)``, class j's points as integer rows over one
    denominator d (x = row / d); ``classes[j][i]`` the same points as tuples of Fraction (built when first read);
    ``Y`` (rows; column j is y_j), Q, M, K (rows of Y), N, class means ``means[j]`` and their mean ``bary`` (deep
    (2.5)–(2.7)).  ``classes`` items may be given as (rows, d) already (NPZ files with one denominator)."""

    def __init__(self, classes, Y):
        self.P = [c if isinstance(c, tuple) else _rows(c) for c in classes]
        self._classes = None if any(isinstance(c, tuple) for c in classes) else [[tuple(p) for p in c] for c in classes]
        self.Y = tuple(tuple(r) for r in Y)
        self.Q, self.M, self.K = len(self.P), len(self.P[0][0][0]), len(Y)
        self.N = sum(len(X) for X, _ in self.P)
        self.means = tuple(tuple(Fraction(sum(col), d * len(X)) for col in zip(*X)) for X, d in self.P)
        self.bary = tuple(sum(col, Fraction(0)) / self.Q for col in zip(*self.means))

    @property
    def classes(self):
        if self._classes is None:
            self._classes = [[tuple(Fraction(v, d) for v in x) for x in X] for X, d in self.P]
        return self._classes

    def y(self, j):
        return tuple(r[j] for r in self.Y)

    def sha256(self) -> str:
        """The canonical hash (docs/instance-format.md): sorted-key compact JSON of the exact strings, i.e.
        ``json.dumps({"classes": .., "format": .., "labels": ..}, sort_keys=True, separators=(",", ":"))``, written
        out directly (the strings are digits, "-" and "/": nothing to escape); computed once."""
        if getattr(self, "_sha", None):
            return self._sha
        import hashlib
        h = hashlib.sha256(b'{"classes":[')
        for j, (X, d) in enumerate(self.P):
            h.update(b"," * (j > 0) + b'[["' + _class_text(X, d).encode() + b'"]]')
        labels = ",".join('["' + '","'.join(map(str, r)) + '"]' for r in self.Y)
        h.update(f'],"format":"{INSTANCE_FORMAT}","labels":[{labels}]}}'.encode())
        self._sha = h.hexdigest()
        return self._sha


def load(path) -> Instance:
    """The instance file ``path`` (:class:`InstanceError` if it breaks the specification)."""
    return Instance(*_read(path))
