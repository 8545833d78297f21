"""The exactmin kernel core: parsing, exact linear algebra, square-root bounds and the verification driver.

Trust base: this file, CPython's ``fractions``, ``json``, ``csv``, ``hashlib``, ``math``.  It imports nothing
else from exactmin (a test enforces this).  It has its own instance parser (``instance.py``) and canonical hash,
its own exact linear algebra over ``Fraction``, and rigorous square-root bounds from ``math.isqrt``.  For every claim it
supports it RE-DERIVES the verdict of every reading and every value from the instance and the certificate's
witness; a certificate is valid iff everything it states matches.  Enclosures are re-checked as
inequalities.  Usage: ``verify(cert_dict, instance_path) -> (ok, reason)``.
"""
from __future__ import annotations

import hashlib
import json
import math
import re
import zipfile
from fractions import Fraction as F

from .instance import INSTANCE_FORMAT, InstanceError, read_instance  # noqa: F401  (the instance reader)

FORMAT = "exactmin-certificate/1"
VERDICTS = ("proved", "refuted", "hypotheses-fail", "undecided")
PROVENANCE = ("exact", "enclosure", "sampled")
TOP_KEYS = {"format", "claim", "instance_sha256", "instance_name", "verdict", "readings", "values", "provenance",
            "enclosures", "witness", "parameters", "versions"}


class Reject(Exception):
    """The certificate does not prove what it states."""


# ------------------------------------------------------------------------------------------------ numbers

_RAT = re.compile(r"^(-?)([0-9]+)(?:/([0-9]+))?$")


def _dec(digits: str) -> int:
    """int(digits) for a string of decimal digits of any length: int(str) refuses more than
    sys.get_int_max_str_digits() (4300) digits, so long strings are split in halves (exact)."""
    if len(digits) <= 4000:
        return int(digits)
    k = len(digits) // 2
    return _dec(digits[:-k]) * 10 ** k + _dec(digits[-k:])


def q(s) -> F:
    """A certificate number: strictly "p" or "p/q" (canonical strings), up to 100000 characters."""
    if not isinstance(s, str) or len(s) > 100000:
        raise Reject(f"bad rational {str(s)[:40]!r}")
    m = _RAT.match(s)
    if not m or (m.group(3) is not None and _dec(m.group(3)) == 0):
        raise Reject(f"bad rational {s[:40]!r}")
    num = _dec(m.group(2))
    return F(-num if m.group(1) == "-" else num, _dec(m.group(3) or "1"))


def qvec(v, n=None):
    if not isinstance(v, list) or (n is not None and len(v) != n):
        raise Reject("bad vector in witness")
    return [q(x) for x in v]


def qmat(M, m=None, n=None):
    if not isinstance(M, list) or not M or (m is not None and len(M) != m):
        raise Reject("bad matrix in witness")
    rows = [qvec(r, n) for r in M]
    if len({len(r) for r in rows}) != 1:
        raise Reject("ragged matrix in witness")
    return rows


# ------------------------------------------------------------------------------------------------ instance

def common_den(rows) -> int:
    """The lcm of the denominators of the Fractions in a list of rows (vectors or points)."""
    D = 1
    for p in rows:
        for x in p:
            if D % x.denominator:
                D = math.lcm(D, x.denominator)
    return D


def _class_mean(c, M):
    """Exact mean of a class: integer numerators over the lcm D of the denominators, summed once."""
    D = common_den(c)
    return [F(sum(p[r].numerator * (D // p[r].denominator) for p in c), D * len(c)) for r in range(M)]


class Instance:
    def __init__(self, classes, Y):
        self.classes = classes          # classes[j][i] = point (list of F)
        self.Y = Y                      # rows; column j = y_j
        self.Q = len(classes)
        self.M = len(classes[0][0])
        self.sizes = [len(c) for c in classes]
        self.N = sum(self.sizes)
        self.means = [_class_mean(c, self.M) for c in classes]
        self.bary = [sum(m[r] for m in self.means) / self.Q for r in range(self.M)]

    def y(self, j):
        return [row[j] for row in self.Y]

    def sha256(self) -> str:
        doc = {"format": INSTANCE_FORMAT, "classes": [[[str(x) for x in p] for p in c] for c in self.classes],
               "labels": [[str(x) for x in row] for row in self.Y]}
        return hashlib.sha256(json.dumps(doc, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def load_instance(path) -> Instance:
    """The instance file ``path`` as read by :mod:`.instance` (docs/instance-format.md); ``InstanceError`` (one
    line) if the file breaks the specification."""
    classes, Y = read_instance(path)
    return Instance(classes, Y)


# ------------------------------------------------------------------------------------------------ algebra

def dot(a, b):
    return sum((x * y for x, y in zip(a, b)), F(0))


def matvec(A, x):
    return [dot(row, x) for row in A]


def matmul(A, B):
    """A B exactly: integer products over the common denominators of A and B, one Fraction per entry."""
    (An, dA), (Bn, dB) = int_rows(A), int_rows(B)
    d, mul = dA * dB, int.__mul__
    Bt = list(zip(*Bn))
    return [[F(sum(map(mul, row, col)), d) for col in Bt] for row in An]


def transpose(A):
    return [list(r) for r in zip(*A)]


def eye(n):
    return [[F(int(i == j)) for j in range(n)] for i in range(n)]


def x0_red(inst):
    """X_0^red = [x̄_{0,1} … x̄_{0,Q}] (M×Q, deep paper §2 / shallow (2.7)): the class means are its COLUMNS.

    ``inst.means`` lists the means as rows, i.e. as a matrix it is (X_0^red)^T; ``inst.Y`` already is
    Y = [y_1 … y_Q] (column j = y_j).  Every checker builds X_0^red here, so the two layouts cannot be mixed up."""
    return transpose(inst.means)


def rref(M, ncols=None):
    """Gauss–Jordan over Q: reduce the rows of M (lists of Fractions, changed in place) to reduced row echelon form
    over the first ``ncols`` columns (default: all); return the pivot columns (their number is the rank)."""
    ncols = (len(M[0]) if M else 0) if ncols is None else ncols
    piv = []
    for c in range(ncols):
        r = len(piv)
        p = next((i for i in range(r, len(M)) if M[i][c] != 0), None)
        if p is None:
            continue
        M[r], M[p] = M[p], M[r]
        inv = 1 / M[r][c]
        M[r] = [x * inv for x in M[r]]
        for i in range(len(M)):
            if i != r and M[i][c] != 0:
                f = M[i][c]
                M[i] = [x - f * y for x, y in zip(M[i], M[r])]
        piv.append(c)
    return piv


def matrix_rank(A) -> int:
    return len(rref([list(r) for r in A]))


def inverse(A):
    """Gauss–Jordan inverse over Q; Reject if singular."""
    n = len(A)
    M = [list(A[i]) + eye(n)[i] for i in range(n)]
    if len(rref(M, n)) < n:
        raise Reject("singular matrix")
    return [row[n:] for row in M]


def det(A):
    n = len(A)
    M = [list(r) for r in A]
    d = F(1)
    for c in range(n):
        p = next((r for r in range(c, n) if M[r][c] != 0), None)
        if p is None:
            return F(0)
        if p != c:
            M[c], M[p] = M[p], M[c]
            d = -d
        d *= M[c][c]
        for r in range(c + 1, n):
            f = M[r][c] / M[c][c]
            if f:
                M[r] = [x - f * y for x, y in zip(M[r], M[c])]
    return d


def is_psd(S) -> bool:
    """Exact PSD test of a symmetric rational matrix by symmetric elimination (LDL^T)."""
    n = len(S)
    M = [list(r) for r in S]
    for c in range(n):
        if M[c][c] < 0:
            return False
        if M[c][c] == 0:
            if any(M[c][k] != 0 for k in range(c, n)):
                return False
            continue
        for r in range(c + 1, n):
            f = M[r][c] / M[c][c]
            if f:
                M[r] = [x - f * y for x, y in zip(M[r], M[c])]
    return True


def relu(v):
    return [x if x > 0 else F(0) for x in v]


def int_rows(A):
    """(integer rows, d) with A = rows / d exactly, d the lcm of the denominators of A (a list of rows)."""
    d = common_den(A)
    return [[x.numerator * (d // x.denominator) for x in row] for row in A], d


# ------------------------------------------------------------------------------------------------ roots

def sqrt_bounds(x: F, bits: int):
    """Rational lo <= sqrt(x) <= hi (x >= 0), from integer square roots at 2^-bits resolution."""
    if x < 0:
        raise Reject("square root of a negative number")
    n, d = x.numerator, x.denominator
    scale = 1 << bits
    r = math.isqrt(n * d * scale * scale)     # sqrt(n/d) = sqrt(n d)/d
    lo = F(r, d * scale)
    hi = lo if r * r == n * d * scale * scale else F(r + 1, d * scale)
    return lo, hi


def sign_root_sum(terms):
    """Sign of sum c_i sqrt(q_i) by interval evaluation at growing precision; None if undecided."""
    for bits in (64, 256, 1024, 4096):
        lo = hi = F(0)
        for c, x in terms:
            a, b = sqrt_bounds(x, bits)
            if c >= 0:
                lo, hi = lo + c * a, hi + c * b
            else:
                lo, hi = lo + c * b, hi + c * a
        if lo > 0:
            return 1
        if hi < 0:
            return -1
        if lo == hi == 0:
            return 0
    return None


def points(inst):
    return [p for c in inst.classes for p in c]


def parse_net(w, Q, out_dim):
    if not isinstance(w, dict) or set(w) != {"weights", "biases"}:
        raise Reject("bad network in witness")
    Ws, bs = w["weights"], w["biases"]
    if not isinstance(Ws, list) or not isinstance(bs, list) or len(Ws) != len(bs) or len(Ws) < 1:
        raise Reject("bad network in witness")
    L = len(Ws) - 1
    Ws = [qmat(W, Q if i < L else out_dim, Q) for i, W in enumerate(Ws)]
    bs = [qvec(b, Q if i < L else out_dim) for i, b in enumerate(bs)]
    return Ws, bs


def forward(Ws, bs, x):
    """Hidden activations and output of the plain ReLU network at one point."""
    hs = []
    for W, b in zip(Ws[:-1], bs[:-1]):
        x = relu([a + c for a, c in zip(matvec(W, x), b)])
        hs.append(x)
    return hs, [a + c for a, c in zip(matvec(Ws[-1], x), bs[-1])]


def cumulative(Ws, bs):
    """(2.43): W^(l) = W_l W^(l-1), b^(l) = W_l b^(l-1) + b_l."""
    Wc, bc = [Ws[0]], [bs[0]]
    for W, b in zip(Ws[1:], bs[1:]):
        Wc.append(matmul(W, Wc[-1]))
        bc.append([a + c for a, c in zip(matvec(W, bc[-1]), b)])
    return Wc, bc


def tau(W, Winv, b, x):
    """Definition 2.1: W^{-1}(sigma(W x + b) - b)."""
    z = relu([a + c for a, c in zip(matvec(W, x), b)])
    return matvec(Winv, [a - c for a, c in zip(z, b)])


def cost_sq(inst, out_of):
    """(2.36) squared: sum_j (1/N_j) sum_i |out - y_j|^2."""
    tot = F(0)
    for j, c in enumerate(inst.classes):
        y = inst.y(j)
        tot += sum(sum((a - b) ** 2 for a, b in zip(out_of(p), y)) for p in c) / len(c)
    return tot


def agg(verdicts):
    for v in ("refuted", "hypotheses-fail", "undecided"):
        if v in verdicts:
            return v
    return "proved"


MAX_REL_WIDTH = F(1, 2**32)


def enclosure(enc):
    """(lo, hi) of an enclosure; it must be tight: hi - lo <= 2^-32 (1 + |lo|)."""
    if not isinstance(enc, dict) or set(enc) != {"lo", "hi"}:
        raise Reject("bad enclosure")
    lo, hi = q(enc["lo"]), q(enc["hi"])
    if not lo <= hi or hi - lo > MAX_REL_WIDTH * (1 + abs(lo)):
        raise Reject("enclosure empty or wider than 2^-32 relative")
    return lo, hi


def _check_root_enclosure(enc, sign, x):
    """lo <= sign*sqrt(x) <= hi, exactly by squares."""
    lo, hi = enclosure(enc)
    if sign < 0:
        lo, hi = -hi, -lo
    # now need lo <= sqrt(x) <= hi
    if not (lo <= 0 or lo * lo <= x) or not (hi >= 0 and hi * hi >= x):
        raise Reject("enclosure does not contain the value")


# ------------------------------------------------------------------------------------------------ driver

# Filled by the package's __init__ from the per-paper modules (deep.py, shallow.py, sym.py):
CHECKERS: dict = {}        # claim id -> checker(inst | None, cert) -> (readings, values)
ENCLOSURES: dict = {}      # claim id -> names of the enclosures the checker re-checks
INSTANCE_FREE: set = set()  # claim ids whose certificates carry "instance_sha256": null (no instance file)


def readings_need_enclosures(readings) -> bool:
    """Enclosures are present exactly when the hypotheses hold (a hypotheses-fail certificate has none)."""
    return any(v != "hypotheses-fail" for v in readings.values())


class _ReadTracker(dict):
    """The witness object, recording which of its fields a checker reads: a field no checker reads is rejected
    (it would be a claim the kernel never checked)."""

    def __init__(self, *a):
        super().__init__(*a)
        self.read = set()

    def __getitem__(self, k):
        self.read.add(k)
        return super().__getitem__(k)

    def get(self, k, default=None):
        self.read.add(k)
        return super().get(k, default)

    def __contains__(self, k):
        self.read.add(k)
        return super().__contains__(k)

    def _all(self):
        self.read.update(super().keys())

    def keys(self):
        self._all()
        return super().keys()

    def items(self):
        self._all()
        return super().items()

    def values(self):
        self._all()
        return super().values()

    def __iter__(self):
        self._all()
        return super().__iter__()


def verify_one(cert: dict, inst: Instance | None) -> None:
    """Raise Reject with the reason unless the certificate is valid for the instance (None: instance-free claim)."""
    if not isinstance(cert, dict) or cert.get("format") != FORMAT:
        raise Reject("not an exactmin certificate")
    extra = set(cert) - TOP_KEYS
    if extra:
        raise Reject(f"unknown field(s) {sorted(extra)}")
    for k in ("claim", "instance_sha256", "verdict", "readings", "values", "witness"):
        if k not in cert:
            raise Reject(f"missing field {k!r}")
    cid = cert["claim"]
    if cid not in CHECKERS:
        raise Reject(f"the kernel has no checker for claim {cid!r}")
    if cert["instance_sha256"] is None:
        if cid not in INSTANCE_FREE:
            raise Reject(f"claim {cid!r} needs an instance but the certificate names none")
        inst = None
    elif inst is None:
        raise Reject("the certificate is for an instance file: pass it with --instance")
    elif cert["instance_sha256"] != inst.sha256():
        raise Reject("instance hash mismatch: the certificate is for another instance")
    cert.setdefault("enclosures", {})
    cert.setdefault("provenance", {})
    for key in ("readings", "values", "witness", "enclosures", "provenance"):
        if not isinstance(cert[key], dict):
            raise Reject(f"{key} must be an object")
    for name, r in cert["readings"].items():
        if not isinstance(r, dict) or "verdict" not in r or set(r) - {"verdict", "reason", "provenance"} \
                or not isinstance(r.get("reason", ""), str) or r.get("provenance", "symbolic") != "symbolic":
            raise Reject(f"reading {name!r} must be {{\"verdict\": ..., \"reason\": str}} (and \"provenance\": "
                         "\"symbolic\" for a SymPy-proved reading)")
    original_witness = cert["witness"]
    witness = cert["witness"] = _ReadTracker(original_witness)
    try:
        readings, values = CHECKERS[cid](inst, cert)
    finally:
        cert["witness"] = original_witness
    unread = set(dict.keys(witness)) - witness.read
    if unread:
        raise Reject(f"witness field(s) {sorted(unread)} are not used by the {cid} checker")
    checked_enclosures = ENCLOSURES.get(cid, set()) if readings_need_enclosures(readings) else set()
    got = cert["readings"]
    if set(got) != set(readings):
        raise Reject(f"readings {sorted(got)} differ from the re-derived {sorted(readings)}")
    for name, v in readings.items():
        if not isinstance(got[name], dict) or got[name].get("verdict") != v:
            raise Reject(f"reading {name}: certificate says {got[name].get('verdict') if isinstance(got[name], dict) else got[name]!r}, kernel derives {v!r}")
    if cert["verdict"] != agg(list(readings.values())):
        raise Reject(f"overall verdict {cert['verdict']!r} does not match the readings")
    if set(cert["values"]) != set(values):
        raise Reject(f"values {sorted(cert['values'])} differ from the re-derived {sorted(values)}")
    for name, val in values.items():
        if q(cert["values"][name]) != val:
            raise Reject(f"value {name}: certificate says {cert['values'][name]}, kernel derives {val}")
    if set(cert["enclosures"]) != checked_enclosures:
        raise Reject("unexpected or missing enclosures")
    for name, tag in cert["provenance"].items():
        if tag not in PROVENANCE or (name not in values and name not in cert["enclosures"]):
            raise Reject(f"bad provenance entry {name!r}")


def verify(cert, instance_path=None) -> tuple[bool, str]:
    """(True, summary) if valid; (False, reason) otherwise.  Accepts a certificate or a bundle, and an instance path
    or an already loaded :class:`Instance` (the CLI loads it first: an unreadable instance is exit 2, not 1).

    ``instance_path`` may be None for certificates of instance-free claims (e.g. the counts of the symmetry paper).
    """
    try:
        inst = instance_path if instance_path is None or isinstance(instance_path, Instance) \
            else load_instance(instance_path)
        certs = cert["certificates"] if isinstance(cert, dict) and cert.get("format") == "exactmin-bundle/1" else [cert]
        if not isinstance(certs, list) or not certs:
            raise Reject("empty bundle")
        for c in certs:
            try:
                verify_one(c, inst)
            except Reject as e:
                raise Reject(f"{c.get('claim', '?') if isinstance(c, dict) else '?'}: {e}")
        return True, f"{len(certs)} certificate(s) valid"
    except Reject as e:
        return False, str(e)
    except (KeyError, TypeError, ValueError, IndexError, ZeroDivisionError, AttributeError,
            UnicodeDecodeError, json.JSONDecodeError, OSError, zipfile.BadZipFile,
            RecursionError) as e:   # RecursionError: a deeply nested instance file (json.loads)
        return False, f"malformed certificate or instance ({type(e).__name__}: {str(e)[:80]})"
