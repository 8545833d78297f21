"""The driver: strict reading, the witness read by the statement's schema, the verdicts decided by the kernel.

Certificate ``exactmin-certificate/2`` (JSON; duplicate keys, bare numbers, NaN rejected; numbers are canonical
strings "p" or "p/q"): exactly {"format", "claim", "instance_sha256", "verdict", "readings", "witness"};
"instance_sha256" is null, and I is None, iff the statement says ``INSTANCE_FREE = True``.  Per reading:
``hypotheses-fail`` iff a hypothesis (instance: ``hypotheses``; witness-dependent: ``premises``) is exactly false;
``proved`` iff every obligation is discharged; ``refuted`` iff the hypotheses hold and a non-empty refutation set
is discharged; else ``undecided``.  Any difference from the certificate is INVALID."""
import json
import re
import sys
from fractions import Fraction
from itertools import chain

from . import matrix, series  # noqa: F401  (register the judgments PSD, PosDef, Rank, Inverse; ExpLe)
from .interp import CapError, holds
from .statements import BY_CLAIM

FORMAT, KEYS = "exactmin-certificate/2", {"format", "claim", "instance_sha256", "verdict", "readings", "witness"}
MAX_DIGITS, MAX_NUMBERS, MAX_LAYERS = 20000, 10**6, 64
ORDER = ("refuted", "hypotheses-fail", "undecided", "proved")
_RAT = re.compile(f"-?(0|[1-9][0-9]{{0,{MAX_DIGITS - 1}}})(/[1-9][0-9]{{0,{MAX_DIGITS - 1}}})?")   # digits capped
if 0 < sys.get_int_max_str_digits() < MAX_DIGITS + 10:      # 0 means unlimited: never lower it
    sys.set_int_max_str_digits(MAX_DIGITS + 10)


class Invalid(Exception):
    """The certificate is malformed or does not state what the kernel derives."""


def _pairs(kv):
    if len({k for k, _ in kv}) != len(kv):
        raise Invalid("duplicate key in a JSON object")
    return dict(kv)


def _no_number(s):
    raise Invalid(f"bare JSON number {s[:20]!r}: numbers are strings \"p\" or \"p/q\"")


def load_json(text):
    try:
        return json.loads(text, object_pairs_hook=_pairs, parse_float=_no_number, parse_int=_no_number, parse_constant=_no_number)
    except (json.JSONDecodeError, RecursionError) as e:
        raise Invalid(f"not JSON ({type(e).__name__})") from None


def _rat(s, where, count):
    count[0] += 1
    if count[0] > MAX_NUMBERS or not isinstance(s, str) or len(s) > 2 * MAX_DIGITS + 2 or not _RAT.fullmatch(s) \
            or str(Fraction(s)) != s:
        raise Invalid(f"{where}: not a canonical rational string of <= {MAX_DIGITS} digits (or > {MAX_NUMBERS} numbers)")
    return Fraction(s)


def _read(t, x, I, where, count):
    """``x`` as schema type t: "rat", (vec n), (list n T), (mat m n), (record {..}), (net width in out); n: int, name, (lo, hi), "*" (any)."""
    dim = (lambda d: len(x) if d == "*" else getattr(I, d) if isinstance(d, str) else d)    # noqa: E731
    if t == "rat":
        return _rat(x, where, count)
    if t[0] == "record" and isinstance(x, dict):
        return read_witness(t[1], x, I, where, count)
    if t[0] == "net" and isinstance(x, dict) and set(x) == {"weights", "biases"} and isinstance(x["weights"], list) \
            and isinstance(x["biases"], list) and 1 <= len(x["weights"]) == len(x["biases"]) <= MAX_LAYERS:
        L = len(x["weights"]) - 1
        sh = [(dim(t[1]) if i < L else dim(t[3]), dim(t[1]) if i else dim(t[2])) for i in range(L + 1)]
        return (tuple(_read(("mat",) + s, y, I, f"{where}.weights[{i}]", count) for i, (s, y) in enumerate(zip(sh, x["weights"]))),
                tuple(_read(("vec", s[0]), y, I, f"{where}.biases[{i}]", count) for i, (s, y) in enumerate(zip(sh, x["biases"]))))
    if t[0] in ("vec", "list", "mat") and isinstance(x, list) and (t[1][0] <= len(x) <= t[1][1] if isinstance(t[1], tuple) else len(x) == dim(t[1])):
        sub = "rat" if t[0] == "vec" else t[2] if t[0] == "list" else ("vec", t[2])
        return tuple(_read(sub, y, I, f"{where}[{i}]", count) for i, y in enumerate(x))
    raise Invalid(f"{where}: not a {t if t == 'rat' else t[0]} of the schema's shape")


def read_witness(schema, raw, I, where="witness", count=None):
    """Every schema field (a name ending in "?" is optional: None when absent), no other field."""
    names, count = {k.rstrip("?"): k for k in schema}, count or [0]
    if not isinstance(raw, dict) or set(raw) - set(names):
        raise Invalid(f"{where}: not an object or unknown field(s) {sorted(set(raw) - set(names)) if isinstance(raw, dict) else ''}")
    missing = [n for n, k in names.items() if n not in raw and not k.endswith("?")]
    if missing:
        raise Invalid(f"{where}: missing field(s) {missing}")
    return {n: _read(schema[k], raw[n], I, f"{where}.{n}", count) if n in raw else None for n, k in names.items()}


def run(gen):
    """(True, None) if every generated obligation holds, else (result, name) of the first that does not."""
    for ob in gen:
        r = holds(ob)
        if r is not True:
            return r, ob.name
    return True, None


def _fails(h, name):
    return ("hypotheses-fail", f"hypothesis {name} is false") if h is False else ("undecided", f"hypothesis {name} not established")


def derive(st, I, raw):
    """{reading: (verdict, note)} from the statement ``st``, the instance and the raw witness."""
    h, name = run(st.hypotheses(I))
    if h is not True:
        if raw != {}:
            raise Invalid("a witness is given although the hypotheses do not hold")
        return {r: _fails(h, name) for r in st.READINGS}
    w = read_witness(st.SCHEMA, raw, I)
    return {r: reading(st, I, w, r) for r in st.READINGS}


def reading(st, I, w, r):
    """(verdict, note) of reading r, the instance hypotheses holding and w read by the schema."""
    h, name = run(st.premises(I, w, r)) if hasattr(st, "premises") else (True, None)   # witness-dependent
    if h is not True:
        return _fails(h, name)
    c, name = run(st.conclusion(I, w, r))
    gen = st.refutation(I, w, r) if c is not True and hasattr(st, "refutation") else iter(())
    first = next(gen, None)                                   # a refutation set must not be empty
    rr, rname = run(chain([first], gen)) if first else (None, None)
    why = (lambda v, n: f"obligation {n} {'failed' if v is False else 'not established'}")   # noqa: E731
    return (("proved", "every obligation discharged") if c is True else
            ("refuted", f"refutation obligations discharged; {why(c, name)}") if rr is True else
            ("undecided", why(c, name) + (f"; refutation: {why(rr, rname)}" if first else "")))


def check(doc, I):
    """(claim, instance sha256, {reading: (verdict, note)}) re-derived; :class:`Invalid` on any difference."""
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or set(doc) != KEYS:
        raise Invalid(f"not an {FORMAT} certificate with exactly the fields {sorted(KEYS)}")
    st = BY_CLAIM.get(doc["claim"]) if isinstance(doc["claim"], str) else None
    free = getattr(st, "INSTANCE_FREE", False)          # the statement builds its own data: no instance, I is None
    if st is None or doc["instance_sha256"] != (None if free else I and I.sha256()) or not (free or I):
        raise Invalid("no statement for this claim" if st is None else "instance hash mismatch (null iff instance-free)")
    try:
        got = derive(st, None if free else I, doc["witness"])
    except (CapError, ArithmeticError, AttributeError, LookupError, TypeError, ValueError) as e:   # never a traceback
        raise Invalid(f"cannot evaluate the statement ({type(e).__name__}: {str(e)[:80]})") from None
    said = doc["readings"] if isinstance(doc["readings"], dict) else {}
    if doc["readings"] != {r: v for r, (v, _) in got.items()}:
        bad = [f"{r}: certificate {said.get(r)!r}, kernel {v} ({n})" for r, (v, n) in got.items() if said.get(r) != v]
        raise Invalid("readings differ: " + ("; ".join(bad) or f"unknown readings {sorted(set(said) - set(got))}"))
    if doc["verdict"] != next(v for v in ORDER if v in {x for x, _ in got.values()}):
        raise Invalid("overall verdict does not match the readings")
    return doc["claim"], doc["instance_sha256"], got

