"""The driver: strict certificate reading, the witness read by its statement's schema, and the verdicts.

Certificate (``exactmin-certificate/2``, JSON, duplicate keys rejected, every number a canonical string "p" or
"p/q"): ``{"format", "claim", "instance_sha256", "verdict", "readings": {name: verdict}, "witness": {...}}``; no
other field.  Per reading the kernel decides (statement generators, :func:`run`):
``hypotheses-fail`` iff a hypothesis is exactly false; ``proved`` iff every hypothesis and conclusion obligation is
discharged; ``refuted`` iff the hypotheses hold and a non-empty refutation set is discharged; else ``undecided``.
Any difference from the certificate's words is INVALID.
"""
from __future__ import annotations

import json
import re
import sys

from .interp import CapError, holds
from .statements import BY_CLAIM

FORMAT, KEYS = "exactmin-certificate/2", {"format", "claim", "instance_sha256", "verdict", "readings", "witness"}
MAX_DIGITS, MAX_NUMBERS, MAX_LAYERS = 20000, 10**6, 64
ORDER = ("refuted", "hypotheses-fail", "undecided", "proved")
_RAT = re.compile(r"-?(0|[1-9][0-9]*)(/[1-9][0-9]*)?")
if hasattr(sys, "set_int_max_str_digits"):
    sys.set_int_max_str_digits(max(MAX_DIGITS + 10, sys.get_int_max_str_digits() or 0))


class Invalid(Exception):
    """The certificate is malformed or does not state what the kernel derives."""


def _pairs(kv):
    keys = [k for k, _ in kv]
    if len(set(keys)) != len(keys):
        raise Invalid(f"duplicate key {next(k for k in keys if keys.count(k) > 1)!r}")
    return dict(kv)


def _no_number(s):
    raise Invalid(f"bare JSON number {s[:20]!r}: numbers are strings \"p\" or \"p/q\"")


def load_json(text: str):
    """JSON with duplicate keys, bare numbers, NaN and Infinity rejected."""
    try:
        return json.loads(text, object_pairs_hook=_pairs, parse_float=_no_number, parse_int=_no_number,
                          parse_constant=_no_number)
    except (json.JSONDecodeError, RecursionError) as e:
        raise Invalid(f"not JSON ({type(e).__name__})") from None


def _rat(s, where, count):
    from fractions import Fraction
    if not isinstance(s, str) or len(s) > 2 * MAX_DIGITS + 2 or not _RAT.fullmatch(s) or s == "-0":
        raise Invalid(f"{where}: not a canonical rational string")
    count[0] += 1
    x = Fraction(s)
    if str(x) != s or count[0] > MAX_NUMBERS:
        raise Invalid(f"{where}: not in lowest terms" if str(x) != s else "too many numbers")
    return x


def _read(t, x, I, where, count):
    """The value ``x`` read as schema type ``t`` (dimensions by instance attribute name)."""
    dim = (lambda d: getattr(I, d) if isinstance(d, str) else d)                       # noqa: E731
    if t == "rat":
        return _rat(x, where, count)
    if isinstance(x, list) and t[0] in ("vec", "list", "mat") and len(x) != dim(t[1]):
        raise Invalid(f"{where}: length {len(x)}, expected {dim(t[1])}")
    if t[0] == "vec" and isinstance(x, list):
        return tuple(_rat(y, f"{where}[{i}]", count) for i, y in enumerate(x))
    if t[0] == "list" and isinstance(x, list):
        return tuple(_read(t[2], y, I, f"{where}[{i}]", count) for i, y in enumerate(x))
    if t[0] == "mat" and isinstance(x, list):
        return tuple(_read(("vec", t[2]), y, I, f"{where}[{i}]", count) for i, y in enumerate(x))
    if t[0] == "record" and isinstance(x, dict):
        return read_witness(t[1], x, I, where, count)
    if t[0] == "net" and isinstance(x, dict) and set(x) == {"weights", "biases"} and isinstance(x["weights"], list) \
            and isinstance(x["biases"], list) and 1 <= len(x["weights"]) == len(x["biases"]) <= MAX_LAYERS:
        w, L = dim(t[1]), len(x["weights"]) - 1           # ("net", width, input dim, output dim)
        shapes = [(w if i < L else dim(t[3]), w if i else dim(t[2])) for i in range(L + 1)]
        return (tuple(_read(("mat",) + s, y, I, f"{where}.weights[{i}]", count)
                      for i, (s, y) in enumerate(zip(shapes, x["weights"]))),
                tuple(_read(("vec", s[0]), y, I, f"{where}.biases[{i}]", count)
                      for i, (s, y) in enumerate(zip(shapes, x["biases"]))))
    raise Invalid(f"{where}: expected {t if t == 'rat' else t[0]}")


def read_witness(schema, raw, I, where="witness", count=None):
    """Every schema field (name ending in "?" optional: None when absent), no other field."""
    count = count if count is not None else [0]
    if not isinstance(raw, dict):
        raise Invalid(f"{where} must be an object")
    names = {k.rstrip("?"): k for k in schema}
    if set(raw) - set(names):
        raise Invalid(f"{where}: unknown field(s) {sorted(set(raw) - set(names))}")
    out = {}
    for n, k in names.items():
        if n not in raw and not k.endswith("?"):
            raise Invalid(f"{where}: missing field {n!r}")
        out[n] = _read(schema[k], raw[n], I, f"{where}.{n}", count) if n in raw else None
    return out


def run(gen):
    """(True, None) if every generated obligation holds, else (result, name) of the first that does not."""
    for ob in gen:
        r = holds(ob)
        if r is not True:
            gen.close()
            return r, ob.name
    return True, None


def derive(st, I, raw):
    """{reading: (verdict, note)} re-derived from the statement ``st``, the instance and the raw witness."""
    h, name = run(st.hypotheses(I))
    if h is not True:
        if raw != {}:
            raise Invalid("witness given although the hypotheses do not hold")
        v = "hypotheses-fail" if h is False else "undecided"
        return {r: (v, f"hypothesis {name} {'is false' if h is False else 'not established'}") for r in st.READINGS}
    w, out = read_witness(st.SCHEMA, raw, I), {}
    for r in st.READINGS:
        c, name = run(st.conclusion(I, w, r))
        refute = getattr(st, "refutation", None)
        obs = list(refute(I, w, r)) if refute and c is not True else []
        if c is True:
            out[r] = ("proved", "every obligation discharged")
        elif obs and run(iter(obs))[0] is True:
            out[r] = ("refuted", "refutation obligations discharged")
        else:
            out[r] = ("undecided", f"obligation {name} {'failed' if c is False else 'not established'}")
    return out


def check(doc, I):
    """(claim, sha256, {reading: (verdict, note)}) or :class:`Invalid`."""
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or set(doc) != KEYS:
        raise Invalid(f"not an {FORMAT} certificate with exactly the fields {sorted(KEYS)}")
    st = BY_CLAIM.get(doc["claim"])
    if st is None:
        raise Invalid(f"no statement for claim {doc['claim']!r}")
    if I is None or doc["instance_sha256"] != I.sha256():
        raise Invalid("instance hash mismatch: the certificate is for another instance (or none was given)")
    try:
        got = derive(st, I, doc["witness"])
    except (CapError, ZeroDivisionError) as e:
        raise Invalid(f"{type(e).__name__}: {e}") from None
    said = doc["readings"] if isinstance(doc["readings"], dict) else {}
    if doc["readings"] != {r: v for r, (v, _) in got.items()}:
        bad = [f"{r}: certificate {said.get(r)!r}, kernel {v} ({n})" for r, (v, n) in got.items() if said.get(r) != v]
        raise Invalid("readings differ: " + ("; ".join(bad) or f"unknown readings {sorted(set(said) - set(got))}"))
    if doc["verdict"] != next(v for v in ORDER if v in {x for x, _ in got.values()}):
        raise Invalid("overall verdict does not match the readings")
    return doc["claim"], doc["instance_sha256"], got


def summary(claim, sha, got) -> str:
    """What was verified: the claim, the instance hash and every reading's re-derived verdict."""
    return f"{claim} on instance sha256 {sha}:\n" + "\n".join(f"  {r}: {v} ({n})" for r, (v, n) in got.items())
