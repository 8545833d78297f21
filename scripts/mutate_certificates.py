#!/usr/bin/env python3
"""Certificate mutation testing: does the kernel reject every certificate that no longer proves its statement?

For every proof case of ``exactmin/proofs/prove_*.py`` (every claim family: deep.*, shallow.*, sym.*, flow.*, on the small
bundled instances) the library writes a genuine certificate -- exactly what ``exactmin check --certificate`` writes
(:func:`exactmin.certify.write_v2.document`): format ``exactmin-certificate/2`` (witness + reading words) for the
claims with a statement in ``exactmin_kernel/statements``, format 1 for every other claim.  This script then derives
many *mutants* of it, each differing in one place, and verifies each one as ``exactmin verify`` does
(:func:`verify_as_user`: the JSON text read with duplicate keys rejected, then
:func:`exactmin.certify.routing.verify_document` with the loaded instance), so the obligation kernel
(``exactmin_kernel``) and the per-claim kernel (``exactmin.certify.kernel``) are both exercised as users see them.

Mutation operators (one change per mutant):

* ``nudge``     a number anywhere in the certificate moved by an ulp-like rational step x + 1/(den x 10^k), scaled by
                (1 + 10^-k), set to x +- 1, 0 or 1;
* ``sign``      a nonzero number negated;
* ``respell``   a rational re-written with a common factor ("2p/2q") -- same value, other text;
* ``drop``      a field of any object removed;  ``add``  an unknown field added to any object;
* ``type``      a leaf replaced by null / a list / an object / a boolean / a float / a 5000-digit integer;
* ``claim``     the claim id replaced by another claim id;  ``hash``  the instance hash replaced (another bundled
                instance's, random hex, null);
* ``verdict``   one reading's verdict, or the overall verdict, changed to each other verdict;
* ``list``      a list truncated (first or last element dropped), permuted, or an element duplicated.

Every mutant is classified:

* ``rejected``        the kernel says invalid;
* ``benign``          the kernel accepts AND the mutant provably still states only true things, by one of the rules
                      below (each re-checked here, never assumed);
* ``UNEXPLAINED``     the kernel accepts and no rule applies: either a kernel bug, or a mutant that is still true
                      by the kernel's own exact check but that no independent rule here re-confirms (listed with
                      ``--show-bugs``; see the README section for the measured classes).  ``CRASH``: the kernel
                      raised instead of answering (exit 1).

Benign rules for format 2 (:data:`V2_RECHECK`; no field is metadata there, and provenance/parameters do not exist):
``same-value`` cannot occur (the kernel accepts canonical spellings only); otherwise only the witness may have moved
(claim, hash, verdict and every reading word unchanged) and an independent re-check confirms the mutated witness
still certifies the same statement with the same words: ``v2-lemma-recomputed`` (Lemma 4.1/5.1 words recomputed in
flint for the mutant's W, mu), ``v2-eigen-bounds-recertified`` / ``v2-lambda-bar-recertified`` (bounds re-certified
by the library's exact PSD test, lower reading recomputed), ``v2-tol-widened`` and ``v2-mu-box-shrunk``
(monotonicity against the library's own certificate), ``v2-premise-fails-recomputed`` (mu outside I_0 decided
with arb balls: every reading hypotheses-fail and the rest of the witness unread), ``v2-dead-unit-bias`` (a dead
noise unit with zero output column stays dead), ``v2-old-kernel-recheck`` (the library's format-1 certificate
with the same witness change verified by the independent per-claim kernel), ``v2-sym-options-rerun``
(sym.count-T, sym.count-G, sym.dominance, sym.connect: a moved option is another instance of the statement; the library
re-run at the mutated options writes exactly the mutant's words), ``v2-construction-rerun`` (deep.eq2.68, deep.eq2.61:
only mu, lambda or the sample points moved; the library re-run with them injected writes exactly the mutant),
``v2-lambda-recertified`` (deep.thm2.5: lambda re-certifies both mu in I_0 by the library's signed-root sums, and
the I-box word is re-derived at it), ``v2-paper-box-rederived`` also for deep.eq2.68 and deep.eq2.61 (their
paper-network words, exactmin.nets.paper_box.rederive_eq268 / rederive), ``v2-extra-layer-rederived`` (deep.eq2.68: only the (4.66)
extra layer moved; the library's deep_geometry.extra_layer_ok re-decides it), ``v2-ibox-rederived`` (deep.thm2.5: only I-box's witness fields moved or dropped,
its word re-derived by exactmin.nets.paper_box.ibox_rederive), ``v2-paper-points-rederived`` (deep.thm2.5: only
the paper-network points moved or dropped, the library re-run at them),
``v2-mu-identity-recertified`` (deep.thm2.5: mu_+ moved, still in I_1, every cell re-decided by the library),
``v2-tol-widened`` also for deep.eq2.68/2.61 and deep.thm2.5's per-construction tol, ``v2-descent-subset``
(deep.thm2.5: some of the library's descents dropped, one per refuted local-min reading kept),
``v2-descent-recomputed`` for deep.thm2.5 (a descent's apexes moved: pattern and cost re-checked point by point in
plain Fractions on the explicit networks, scripts/thm25_networks.py) and
``v2-rotation-relabel`` (deep.eq2.68/2.61: R_l's rows permuted by an even permutation fixing u~), ``v2-sym-library-rerun`` (sym.split, sym.zero-type:
the library re-run with its generator patched to return the mutant's network, data, targets and betas or zero-type
neurons writes exactly the mutant's words and witness), ``v2-flow-library-words`` (flow.*: every reading
word recomputed by the library -- exactmin.claims.flow, exactmin.flow.ball, flint PSD tests, arb for e^x and ln --
at the mutant's theta, ball numbers, kappa, s_max, eps, T_eps, networks and lambdas).

Benign rules for format 1 (:func:`benign_rule`):

* ``metadata``        the mutant differs from the original only in fields that state nothing about the mathematics
                      and that the kernel documents as informational: ``instance_name``, ``versions``, reading
                      ``reason`` texts, ``parameters`` and ``provenance`` of claims whose kernel checker does not
                      read them;
* ``same-value``      every changed leaf is the same rational number (e.g. "2/4" for "1/2");
* ``same-statement``  claim, instance hash, verdicts and every value (as rationals) are unchanged; only the witness
                      or an enclosure moved, and the *library* independently confirms the moved witness
                      (:data:`WITNESS_RECHECK`: e.g. Prop. 2.2's identity holds for *every* network, so a nudged
                      network weight is still a witness; an enclosure still contains the value when re-checked with
                      python-flint arb balls);
* ``bound-moved``     a value documented as an upper (lower) bound moved and is still a bound, re-checked with exact
                      python-flint arithmetic (e.g. deep.lemma4.1's omega >= ||W||_op by an exact PSD test).

Usage::

    python3 scripts/mutate_certificates.py            # >= 10^4 mutants, summary table, exit 1 iff a BUG
    python3 scripts/mutate_certificates.py --quick    # a few hundred (used by the tests)
    python3 scripts/mutate_certificates.py --jobs 2 --per-cert 120 --show-bugs
"""
from __future__ import annotations

import argparse
import copy
import hashlib
import json
import multiprocessing as mp
import random
import sys
import time
from collections import Counter, defaultdict
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

VERDICTS = ("proved", "refuted", "hypotheses-fail", "undecided")
MAX_CERT_BYTES = 60_000          # skip the few huge certificates (thm2.5 on Q = 3): mutating them is slow
STATEMENT_PARAMETERS = ()   # format-1 claims whose parameters and provenance the kernel binds (flow.* is format 2 now)

# ------------------------------------------------------------------------------------------------ base certificates


def base_certificates(max_bytes=MAX_CERT_BYTES, only=None):
    """[(label, claim, instance path or None, certificate dict, options)] for every proof case (deduplicated).

    The certificate is exactly what ``exactmin check --certificate`` writes (:func:`exactmin.certify.write_v2.document`):
    format ``exactmin-certificate/2`` for claims with a statement in ``exactmin_kernel/statements``, else format 1."""
    from exactmin.certify.write_v2 import document
    from exactmin.claims import base
    from exactmin.data.bundled import bundled
    from exactmin.data.io import load_instance
    from exactmin.prove import default_proofs_dir, load_scripts

    out, seen = [], set()
    for _, cases in load_scripts(default_proofs_dir()):
        for c in cases:
            if only and not any(c.claim.startswith(o) for o in only):
                continue
            key = (c.claim, c.instance, json.dumps(c.options, sort_keys=True))
            if key in seen:
                continue
            seen.add(key)
            path = bundled(c.instance) if c.instance else None
            inst = load_instance(path) if path else None
            doc = json.loads(json.dumps(document(base.get(c.claim).check(inst, **c.options))))
            if len(json.dumps(doc)) > max_bytes:
                continue
            out.append((f"{c.claim}@{c.instance or '-'}{'#' + str(len(seen)) if c.options else ''}", c.claim,
                        str(path) if path else None, doc, dict(c.options)))
    return out


# ------------------------------------------------------------------------------------------------ tree helpers


def _paths(x, p=()):
    """Every path (tuple of keys/indices) in the JSON tree, leaves and containers."""
    yield p
    if isinstance(x, dict):
        for k, v in x.items():
            yield from _paths(v, p + (k,))
    elif isinstance(x, list):
        for i, v in enumerate(x):
            yield from _paths(v, p + (i,))


def _get(doc, path):
    for k in path:
        doc = doc[k]
    return doc


def _set(doc, path, value):
    c = copy.deepcopy(doc)
    if not path:
        return value
    _get(c, path[:-1])[path[-1]] = value
    return c


def _as_rational(v):
    """The rational a JSON leaf denotes ("p/q" string or int), or None."""
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return Fraction(v)
    if isinstance(v, str) and 0 < len(v) < 5000:
        t = v.lstrip("-")
        num, _, den = t.partition("/")
        if num.isdigit() and (not den or den.isdigit()) and num.isascii() and den.isascii():
            try:
                return Fraction(v)
            except (ValueError, ZeroDivisionError):
                return None
    return None


def _spell(orig, x: Fraction):
    """``x`` written like ``orig`` (an int stays an int when x is an integer)."""
    if isinstance(orig, int) and not isinstance(orig, bool) and x.denominator == 1:
        return int(x)
    return str(x)


def _numeric_paths(doc):
    return [p for p in _paths(doc) if p and p[0] != "versions" and _as_rational(_get(doc, p)) is not None]


# ------------------------------------------------------------------------------------------------ operators


def is_v2(doc):
    """A certificate in the obligation kernel's format ``exactmin-certificate/2`` (readings are verdict words)."""
    return isinstance(doc, dict) and doc.get("format") == "exactmin-certificate/2"


def _word(r):
    """A reading's verdict word: the reading itself in format 2, its ``verdict`` field in format 1."""
    return r.get("verdict") if isinstance(r, dict) else r


def _words(doc):
    return {n: _word(r) for n, r in (doc.get("readings") or {}).items()} if isinstance(doc.get("readings"), dict) \
        else doc.get("readings")


def _nudges(x: Fraction, rng):
    d = x.denominator
    k = rng.choice((0, 1, 3, 12, 40))
    steps = [x + Fraction(1, d * 10**k), x - Fraction(1, d * 10**k), x * (1 + Fraction(1, 10**k)) if x else
             Fraction(1, 10**k), x + 1, x - 1, Fraction(0), Fraction(1)]
    return [s for s in steps if s != x]


def mutate(doc, rng, claims, hashes):
    """One random mutant: (kind, detail, mutant)."""
    op = rng.choices(["nudge", "sign", "respell", "drop", "add", "type", "claim", "hash", "verdict", "list"],
                     weights=[30, 8, 4, 10, 6, 8, 3, 3, 8, 10])[0]
    if op in ("nudge", "sign", "respell"):
        paths = _numeric_paths(doc)
        if paths:
            p = rng.choice(paths)
            v = _get(doc, p)
            x = _as_rational(v)
            if op == "nudge":
                new = rng.choice(_nudges(x, rng))
                return op, f"{'/'.join(map(str, p))}: {v} -> {new}", _set(doc, p, _spell(v, new))
            if op == "sign" and x != 0:
                return op, f"{'/'.join(map(str, p))}: negated", _set(doc, p, _spell(v, -x))
            if op == "respell":
                f = rng.choice((2, 3, 10))
                return op, f"{'/'.join(map(str, p))}: {v} respelled", _set(
                    doc, p, f"{x.numerator * f}/{x.denominator * f}")
        op = "drop"
    if op == "drop":
        cands = [p for p in _paths(doc) if p and isinstance(p[-1], str)]
        p = rng.choice(cands)
        c = copy.deepcopy(doc)
        del _get(c, p[:-1])[p[-1]]
        return op, "/".join(map(str, p)), c
    if op == "add":
        cands = [p for p in _paths(doc) if isinstance(_get(doc, p), dict)]
        p = rng.choice(cands)
        c = copy.deepcopy(doc)
        _get(c, p)[rng.choice(("extra", "note", "zz", "verdict2"))] = rng.choice(("1", 0, "x", [], {}))
        return op, "/".join(map(str, p)) + "/+", c
    if op == "type":
        cands = [p for p in _paths(doc) if p and p[0] not in ("versions",)]
        p = rng.choice(cands)
        new = rng.choice((None, [], {}, True, 0.5, "1" + "0" * 5000, -1, "NaN", "1/0"))
        return op, f"{'/'.join(map(str, p))} -> {str(new)[:12]}", _set(doc, p, new)
    if op == "claim":
        other = rng.choice([c for c in claims if c != doc.get("claim")])
        return op, f"claim -> {other}", _set(doc, ("claim",), other)
    if op == "hash":
        new = rng.choice([h for h in hashes if h != doc.get("instance_sha256")] +
                         ["%064x" % rng.getrandbits(256), None, ""])
        return op, f"hash -> {str(new)[:10]}", _set(doc, ("instance_sha256",), new)
    if op == "verdict":
        names = list(doc.get("readings", {}))
        if names and rng.random() < 0.6:
            n = rng.choice(names)
            old = _word(doc["readings"][n])
            new = rng.choice([v for v in VERDICTS if v != old])
            at = ("readings", n) if is_v2(doc) else ("readings", n, "verdict")   # v2: the reading IS its word
            return op, f"reading {n}: {old} -> {new}", _set(doc, at, new)
        new = rng.choice([v for v in VERDICTS if v != doc.get("verdict")])
        return op, f"overall -> {new}", _set(doc, ("verdict",), new)
    # list
    cands = [p for p in _paths(doc) if p and p[0] != "versions" and isinstance(_get(doc, p), list) and _get(doc, p)]
    if not cands:
        return mutate(doc, rng, claims, hashes)
    p = rng.choice(cands)
    lst = list(_get(doc, p))
    how = rng.choice(("drop-last", "drop-first", "permute", "duplicate"))
    if how == "drop-last":
        lst = lst[:-1]
    elif how == "drop-first":
        lst = lst[1:]
    elif how == "duplicate":
        lst = lst + [copy.deepcopy(lst[rng.randrange(len(lst))])]
    else:
        if len(lst) < 2 or all(e == lst[0] for e in lst):
            lst = lst[:-1]
            how = "drop-last"
        else:
            orig = list(lst)
            while lst == orig:
                rng.shuffle(lst)
    return "list", f"{'/'.join(map(str, p))}: {how}", _set(doc, p, lst)


# ------------------------------------------------------------------------------------------------ classification


def _diff(a, b, p=()):
    """Paths where two JSON trees differ (a changed container is reported at its own path)."""
    if type(a) is not type(b):
        return [p]
    if isinstance(a, dict):
        return [p + (k,) for k in sorted(set(a) ^ set(b), key=str)] + \
            [q for k in a if k in b for q in _diff(a[k], b[k], p + (k,))]
    if isinstance(a, list):
        if len(a) != len(b):
            return [p]
        return [q for i in range(len(a)) for q in _diff(a[i], b[i], p + (i,))]
    return [] if a == b else [p]


def _is_metadata(claim, path, orig=None):
    """Fields that state nothing the kernel could check: names, versions, reason texts, provenance tags (how the
    library obtained a value; the value itself is re-derived), an empty ``enclosures`` object, and ``parameters``.
    Not for the claims of :data:`STATEMENT_PARAMETERS` (none left: flow.* is format 2)."""
    if not path or is_v2(orig):        # format 2 has only fields the kernel reads: none is metadata
        return False
    if path in (("enclosures",), ("provenance",)) and orig is not None and orig.get(path[0]) == {}:
        return True                   # an empty object dropped: the kernel reads an absent one as {}
    if path[0] in ("parameters", "provenance") and claim.startswith(STATEMENT_PARAMETERS):
        return False
    if path[0] in ("instance_name", "versions", "provenance"):
        return True
    if path[0] == "readings" and len(path) >= 3 and path[2] == "reason":
        return True
    if path[0] == "parameters":
        return True
    return False


def _canonical(x):
    if isinstance(x, dict):
        return {k: _canonical(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_canonical(v) for v in x]
    r = _as_rational(x)
    return ("Q", r) if r is not None else x


# -- independent re-checks (library code, not the kernel) ----------------------------------------


def _recheck_opnorm_upper(orig, mut, inst_path):
    """deep.lemma4.1 / lemma5.1: omega >= ||W||_op  <=>  omega^2 I - W^T W is PSD (exact, flint)."""
    import flint
    W = mut["witness"].get("W")
    omega = _as_rational(mut["values"].get("opnorm_upper"))
    if omega is None or omega < 0 or not isinstance(W, list):
        return False
    Wm = flint.fmpq_mat([[flint.fmpq(Fraction(x).numerator, Fraction(x).denominator) for x in r] for r in W])
    n = Wm.ncols()
    S = flint.fmpq_mat(n, n, [0] * (n * n))
    for i in range(n):
        S[i, i] = flint.fmpq(omega.numerator**2, omega.denominator**2)
    S = S - Wm.transpose() * Wm
    return _flint_psd(S)


def _flint_psd(S):
    """Exact PSD test through the library (exactmin.exact.norms.is_psd), independent of the kernel's own."""
    from exactmin.exact.norms import is_psd
    return is_psd(S)[0]


def _recheck_enclosure_superset(claim, orig, mut, inst_path):
    """An enclosure [lo, hi] that moved outwards (contains the original, which the library computed with arb balls
    and the kernel re-checked) still contains the value; tightness was re-checked by the kernel."""
    for d in _diff(orig, mut):
        if len(d) != 3 or d[0] != "enclosures" or d[2] not in ("lo", "hi"):
            return False
        a, b = orig["enclosures"][d[1]], mut["enclosures"][d[1]]
        if not (Fraction(b["lo"]) <= Fraction(a["lo"]) and Fraction(a["hi"]) <= Fraction(b["hi"])):
            return False
    return True


def _fq(x):
    import flint
    if isinstance(x, (flint.fmpq, flint.fmpz)):
        return flint.fmpq(x)
    x = Fraction(x)
    return flint.fmpq(x.numerator, x.denominator)


def _mat(rows):
    import flint
    return flint.fmpq_mat(len(rows), len(rows[0]), [_fq(x) for r in rows for x in r])


def _rerun(claim, orig, mut, inst_path, options, patches, skip_values=()):
    """Re-run the LIBRARY's check with the mutated witness injected (``patches``: (module, name, object)) and
    require the library to produce exactly the mutant: same readings, values, enclosures and witness."""
    from unittest import mock

    from exactmin.claims import base
    from exactmin.data.io import load_instance
    inst = load_instance(inst_path) if inst_path else None
    with contextlib_exit_stack() as st:
        for mod, name, obj in patches:
            st.enter_context(mock.patch.object(mod, name, obj))
        lib = json.loads(json.dumps(base.get(claim).check(inst, **options).to_json()))
    lv = {k: v for k, v in lib["values"].items() if k not in skip_values}
    mv = {k: v for k, v in mut["values"].items() if k not in skip_values}
    bound = ("parameters", "provenance") if claim.startswith(STATEMENT_PARAMETERS) else ()
    return {n: r["verdict"] for n, r in lib["readings"].items()} == \
        {n: r["verdict"] for n, r in mut["readings"].items()} and _canonical(lv) == _canonical(mv) and \
        _canonical(lib["enclosures"]) == _canonical(mut.get("enclosures", {})) and \
        _canonical(lib["witness"]) == _canonical(mut["witness"]) and lib["verdict"] == mut["verdict"] and \
        all(_canonical(lib.get(k, {})) == _canonical(mut.get(k, {})) for k in bound)


def contextlib_exit_stack():
    import contextlib
    return contextlib.ExitStack()


def _rerun_prop22(claim, orig, mut, inst_path, options):
    """deep.prop2.2 holds for EVERY network: inject the mutated network into the library's check."""
    from exactmin.claims import deep as cdeep
    from exactmin.nets.network import Network
    w = mut["witness"]["network"]
    net = Network(tuple(_mat(W) for W in w["weights"]), tuple(_mat([[b] for b in bs]) for bs in w["biases"]))
    return _rerun(claim, orig, mut, inst_path, options, [(cdeep, "random_network", lambda *a, **k: net)])


def _rerun_lemma(claim, orig, mut, inst_path, options):
    """Lemmas 4.1/5.1 hold for EVERY W with ||W|| <= omega: inject the mutated W (and the mutant's omega once it is
    re-checked as an upper bound of ||W||_op by an exact PSD test) into the library's check."""
    from exactmin.claims import deep as cdeep
    if not _recheck_opnorm_upper(orig, mut, inst_path):
        return False
    W = _mat(mut["witness"]["W"])
    omega = _fq(mut["values"]["opnorm_upper"])
    return _rerun(claim, orig, mut, inst_path, options, [(cdeep, "random_invertible", lambda *a, **k: W),
                                                          (cdeep, "opnorm_upper", lambda *a, **k: omega)])




def _recheck_eq266(claim, orig, mut, inst_path):
    """(2.66) tau_{lam W, lam b} = tau_{W, b} holds for EVERY invertible W, every b and every lam > 0: recompute it
    exactly with the library (Definition 2.1 via exactmin.nets.truncation) at the mutated W, b, lambdas."""
    from flint import fmpq_mat

    from exactmin.claims import deep as cdeep
    from exactmin.claims.common import data_matrix
    from exactmin.data.io import load_instance
    from exactmin.exact.linalg import checked_det
    inst = load_instance(inst_path)
    w = mut["witness"]
    W = _mat(w["W"])
    b = fmpq_mat(inst.Q, 1, [_fq(x) for x in w["b"]])
    lams = [_fq(x) for x in w["lambdas"]]
    if checked_det(W) == 0 or any(lam <= 0 for lam in lams) or W.nrows() != inst.Q or W.ncols() != inst.Q:
        return False
    X = data_matrix(inst)
    base_ = cdeep.tau(W, b, X)
    holds = all(cdeep._columns_equal(cdeep.tau(W * lam, b * lam, X), base_) for lam in lams)
    return holds and mut["readings"]["default"]["verdict"] == "proved" and \
        Fraction(mut["values"]["lambdas"]) == len(lams) and Fraction(mut["values"]["points"]) == inst.N


# -- re-derivations of moved enclosures, lemma parameters and thm2.5's lambda -----------------------------------
# Each recomputes the mutated quantity with library code (exact flint arithmetic, or arb balls at ARB_PREC bits
# whose comparisons are True only when certain) and requires the mutant to state exactly the re-derived result.

ARB_PREC = 640


def _fr(x):
    """fmpq -> Fraction."""
    return Fraction(int(x.p), int(x.q))


def _agg(verdicts):
    for v in ("refuted", "hypotheses-fail", "undecided"):
        if v in verdicts:
            return v
    return "proved"


def _tight(lo, hi):
    return lo <= hi and hi - lo <= Fraction(1, 2**32) * (1 + abs(lo))


def _root_in(enc, sign, v):
    """lo <= sign sqrt(v) <= hi, exactly by squares (v >= 0 rational), and the enclosure is tight."""
    lo, hi = Fraction(enc["lo"]), Fraction(enc["hi"])
    if not _tight(lo, hi):
        return False
    if sign < 0:
        lo, hi = -hi, -lo
    return (lo <= 0 or lo * lo <= v) and hi >= 0 and hi * hi >= v


def _arb_in(enc, ball, strict_lo=False):
    """lo <= ball <= hi (lo < ball with strict_lo), decided by arb, and the enclosure is tight."""
    import flint
    lo, hi = Fraction(enc["lo"]), Fraction(enc["hi"])
    a, b = flint.arb(_fq(lo)), flint.arb(_fq(hi))
    return _tight(lo, hi) and bool(a < ball if strict_lo else a <= ball) and bool(ball <= b)


def _recheck_enclosure_value(claim, orig, mut, inst_path):
    """A moved enclosure (any direction) still contains its value, re-derived here: deep.eq4.30's angles
    theta = 2 arctan(sqrt(tan^2(theta/2))) by arb (tan^2(theta_*/2) = (1 - kappa)/kappa, kappa from the witness
    lambda; tan^2(theta_Q/2) = 1/(Q - 1)); Lemmas 4.1/5.1's -+delta max_k |row_k W| by exact squares;
    Thm 2.3's D (4.26) by the library's closed form (construct_deep.enclose_D) at ARB_PREC bits (D > lo strictly)."""
    import flint
    from exactmin.data import stats
    from exactmin.data.io import load_instance
    from exactmin.exact.enclosure import working_precision
    from exactmin.nets import construct_deep as cd
    inst = load_instance(inst_path)
    names = set()
    for d in _diff(orig, mut):
        if len(d) != 3 or d[0] != "enclosures" or d[2] not in ("lo", "hi"):
            return False
        names.add(d[1])
    dsq, _ = stats.delta_sq(inst)
    with working_precision(ARB_PREC):
        for name in names:
            enc = mut["enclosures"][name]
            if claim == "deep.eq4.30" and name in ("theta_star", "theta_Q"):
                kap = cd.kappa_of_lambda(_fq(mut["witness"]["lambda"]), inst.Q)
                t = (1 - kap) / kap if name == "theta_star" else flint.fmpq(1, inst.Q - 1)
                if not _arb_in(enc, 2 * flint.arb(t).sqrt().atan()):
                    return False
            elif claim in ("deep.lemma4.1", "deep.lemma5.1") and name == "mu_sharp_ball":
                W = _mat(mut["witness"]["W"])
                rmax = max(sum((W[k, c] ** 2 for c in range(W.ncols())), flint.fmpq(0)) for k in range(W.nrows()))
                if not _root_in(enc, -1 if claim == "deep.lemma4.1" else 1, _fr(rmax * dsq)):
                    return False
            elif claim == "shallow.relative-error" and name == "relative_gap":
                # r = 1 - sqrt(rho), rho = ratio_squared (a value the kernel re-derives; unchanged here)
                lo, hi = Fraction(enc["lo"]), Fraction(enc["hi"])
                if not _root_in({"lo": 1 - hi, "hi": 1 - lo}, 1, Fraction(mut["values"]["ratio_squared"])):
                    return False
            elif claim == "deep.thm2.3" and name == "D":
                kap = cd.kappa_of_lambda(_fq(mut["witness"]["lambda"]), inst.Q)
                if not _arb_in(enc, cd.enclose_D(cd.Geometry.of(inst, dsq), kap, ARB_PREC), strict_lo=True):
                    return False
            else:
                return False
    return True


LEMMA_FIELDS = {("values", "mu"), ("values", "opnorm_upper"), ("values", "mu_sharp_points")}


def _recheck_lemma(claim, orig, mut, inst_path):
    """Lemmas 4.1/5.1 for the mutant's (W, omega, mu): omega >= ||W||_op by an exact PSD test; then, in flint, the
    lemma's hypothesis sign mu > 0, mu^2 > 4 delta^2 omega^2, its conclusion on the closed ball (|(Wx)_k| <=
    |row_k| delta: mu^2 > |row_k|^2 delta^2), the instance deviations, mu_sharp_points and the mu_sharp_ball
    enclosure (exact squares) are re-derived; the mutant must state exactly these readings and values."""
    from flint import fmpq, fmpq_mat

    from exactmin.claims.common import deviations
    from exactmin.data import stats
    from exactmin.data.io import load_instance
    from exactmin.exact.intmat import affine
    for d in _diff(orig, mut):
        if not (d[:2] == ("witness", "W") or d in LEMMA_FIELDS or d[:2] == ("enclosures", "mu_sharp_ball")
                or (len(d) == 3 and d[0] == "readings" and d[2] == "verdict") or d == ("verdict",)
                or _is_metadata(claim, d, orig)):
            return False
    sign = -1 if claim == "deep.lemma4.1" else 1
    inst = load_instance(inst_path)
    Q = inst.Q
    W = _mat(mut["witness"]["W"])
    if W.nrows() != Q or W.ncols() != Q or set(mut["values"]) != {"opnorm_upper", "mu", "mu_sharp_points"}:
        return False
    omega, mu = _fq(mut["values"]["opnorm_upper"]), _fq(mut["values"]["mu"])
    if omega <= 0 or not _recheck_opnorm_upper(orig, mut, inst_path):
        return False
    dsq, _ = stats.delta_sq(inst)
    rows_sq = [sum((W[k, c] ** 2 for c in range(Q)), fmpq(0)) for k in range(Q)]
    ball = sign * mu > 0 and mu * mu > 4 * dsq * omega * omega and all(mu * mu > r * dsq for r in rows_sq)
    D = deviations(inst)
    WD = affine(W, None, D)
    mu_sharp = fmpq(int((WD.num * -sign).max()), WD.den) * sign
    points_ok = bool((affine(W, fmpq_mat(Q, 1, [mu] * Q), D).num * sign >= 0).all())
    want = {"ball": "proved" if ball else "undecided", "points": "proved" if points_ok else "refuted",
            "symbolic": "proved" if ball and Q <= 6 else "undecided"}      # the SymPy proof covers Q <= 6
    got = {n: r["verdict"] for n, r in mut["readings"].items()}
    vals = {k: Fraction(v) for k, v in mut["values"].items()}
    return got == want and mut["verdict"] == _agg(want.values()) and vals["mu_sharp_points"] == _fr(mu_sharp) \
        and _root_in(mut["enclosures"]["mu_sharp_ball"], sign, _fr(max(rows_sq) * dsq))


def _recheck_thm25_lambda(claim, orig, mut, inst_path):
    """deep.thm2.5 (format 2), only lambda moved: the statement reads lambda only to certify mu_collapse,
    mu_collapse_2 in I_0 = (-D, -2 delta sqrt Q) for kappa(lambda) (the networks are checked directly): re-run the
    library's certification (cone containment by exact signed-root sums, construct_deep.mu_lower_terms) at the
    mutated lambda; every word is then unchanged."""
    from exactmin.data import stats
    from exactmin.data.io import load_instance
    from exactmin.nets import construct_deep as cd
    if _v2_witness_moved(orig, mut) != [("witness", "lambda")]:
        return False
    inst = load_instance(inst_path)
    lam = _fq(mut["witness"]["lambda"])
    if not 0 < lam <= 1:
        return False
    dsq, _ = stats.delta_sq(inst)
    g, kap = cd.Geometry.of(inst, dsq), cd.kappa_of_lambda(lam, inst.Q)
    for m in (_fq(mut["witness"][k]) for k in ("mu_collapse", "mu_collapse_2") if k in mut["witness"]):
        if not (m < 0 and m * m > 4 * dsq * inst.Q and cd.decide_all_positive(cd.mu_lower_terms(g, kap, m))[0] is True):
            return False
    from exactmin.nets import paper_box as pb          # I-box reads lambda too (theta_*, the cones)
    theta_ok = cd.decide_all_positive(cd.theta_star_margin_terms(g, kap))[0] is True
    if _words(mut).get("I-box") != pb.ibox_rederive(g, kap, theta_ok, _fq_fields(mut["witness"], IBOX_FIELDS)):
        return False
    words = _thm25_paper_rerun(claim, mut["witness"], inst_path)      # the paper-network readings read lambda too
    return all(_words(mut).get(k) == v for k, v in words.items() if k.startswith("paper-network/"))


def _v2_thm25_tol(claim, orig, mut, inst_path):
    """deep.thm2.5, only a construction's tol moved: widened (tol' >= tol, tol'^2 < 2) keeps every "f~ within tol"
    (monotone); a narrowed one is re-checked exactly for that construction's f~ from the library's class means."""
    d = _v2_witness_moved(orig, mut)
    if not d or len(d) != 1 or d[0][:2] != ("witness", "constructions") or len(d[0]) != 4 or d[0][3] != "tol":
        return False
    i = d[0][2]
    t, t0 = _as_rational(mut["witness"]["constructions"][i]["tol"]), _as_rational(orig["witness"]["constructions"][i]["tol"])
    if t is None or not (0 < t and t * t < 2):
        return False
    if t >= t0 > 0:
        return True
    from exactmin.data.io import load_instance
    means = [[Fraction(int(m.p), int(m.q)) for m in row] for row in _lib_means(load_instance(inst_path))]
    bar = [sum(m[k] for m in means) / len(means) for k in range(len(means[0]))]
    for x, m in zip(mut["witness"]["constructions"][i]["f_tilde"], means):
        xs, dv = [Fraction(v) for v in x], [b - y for b, y in zip(bar, m)]
        xd, dd = sum(a * b for a, b in zip(xs, dv)), sum(b * b for b in dv)
        if not (xd > 0 and xd * xd >= (1 - t * t / 2) ** 2 * dd):
            return False
    return True


def _v2_thm25_mu_identity(claim, orig, mut, inst_path):
    """deep.thm2.5, only mu_identity moved: the statement reads mu_+ in its premise (mu_+ in I_1, by squares) and in
    the apexes of the untouched layers, whose cells the library re-decides (exactmin.nets.deep_configs, exact row
    extremes, both constructions at the witness's tol); where every cell holds, the tau-images and so every value and
    word are unchanged (an untouched layer passes its data whatever its apex)."""
    if _v2_witness_moved(orig, mut) != [("witness", "mu_identity")]:
        return False
    from exactmin.data import stats
    from exactmin.data.io import load_instance
    from exactmin.claims.common import data_matrix, vec_json
    from exactmin.nets import construct_deep as cd
    from exactmin.nets import deep_configs as dc
    inst = load_instance(inst_path)
    mp = _fq(mut["witness"]["mu_identity"])
    dsq, _ = stats.delta_sq(inst)
    if not (mp > 0 and mp * mp > 4 * dsq * inst.Q):
        return False
    g, X, w = cd.Geometry.of(inst, dsq), data_matrix(inst), mut["witness"]
    for con, mu in zip(w["constructions"], (w["mu_collapse"], w["mu_collapse_2"])):
        L = dc.Layers(inst, g, _fq(w["lambda"]), _fq(mu), mp, _fq(con["tol"]), X)
        if [vec_json(f) for f in L.f] != con["f_tilde"]:
            return False
        table = L.base_table()
        if not all(L.realised_base(s, table)[0] for s in dc.configs(inst.Q)):
            return False
    return True


def _v2_descent_subset(claim, orig, mut, inst_path):
    """deep.thm2.5, only some *_descent entries of configurations dropped: the remaining descents are the library's
    own, unchanged, and at least one of each kind whose local-min reading is refuted remains (the statement checks
    every given descent; a refutation needs one)."""
    wo, wm = orig.get("witness", {}), mut.get("witness", {})
    if not (is_v2(orig) and is_v2(mut)) or set(mut) != set(orig) or _words(mut) != _words(orig) or \
            any(mut.get(k) != orig.get(k) for k in ("claim", "instance_sha256", "verdict")) or set(wm) != set(wo):
        return False
    if {k: v for k, v in wm.items() if k != "configurations"} != {k: v for k, v in wo.items() if k != "configurations"}:
        return False
    co, cm = wo.get("configurations"), wm.get("configurations")
    if not (isinstance(cm, list) and len(cm) == len(co)):
        return False
    for a, b in zip(co, cm):
        if not isinstance(b, dict) or set(b) - set(a) or any(b[k] != a[k] for k in b) or \
                any(not k.endswith("_descent") for k in set(a) - set(b)):
            return False
    words = _words(mut)
    return all(any(f"{kind}_descent" in b for b in cm) for kind in ("zero", "free")
               if words.get(f"local-min-{kind}-bias") == "refuted")


def _fraction_data(inst_path):
    """(points as Fraction lists, class of each point, Y, class sizes) from the LIBRARY's instance reader."""
    from exactmin.data.io import load_instance
    inst = load_instance(inst_path)
    X = inst.X0
    pts = [[Fraction(str(X[i, j])) for i in range(X.nrows())] for j in range(X.ncols())]
    return pts, [j for j, n in enumerate(inst.sizes) for _ in range(n)], inst.Y, inst.sizes


def _fraction_net(net):
    """(weights, biases) of a certificate network as Fraction lists."""
    return ([[[_as_rational(x) for x in r] for r in W] for W in net["weights"]],
            [[_as_rational(x) for x in b] for b in net["biases"]])


def _v2_thm25_descent(claim, orig, mut, inst_path):
    """deep.thm2.5, only apexes of a configuration's descent moved (an existential witness: a nearby bias point may be
    another descent): re-checked here point by point in plain Fractions from the library's instance, on the explicit
    networks (scripts/thm25_networks.py): every hidden pre-activation of the descent nonzero with the base's sign at
    every point, and a strictly lower cost."""
    import thm25_networks as tn
    from itertools import product
    d = _v2_witness_moved(orig, mut)
    if not d or any(len(p) < 5 or p[1] != "configurations" or p[3] not in ("zero_descent", "free_descent") for p in d):
        return False
    pts, labels, Y, sizes = _fraction_data(inst_path)
    Q = len(sizes)
    classes = [[p for p, j in zip(pts, labels) if j == k] for k in range(Q)]
    means = [[sum(c) / len(cl) for c in zip(*cl)] for cl in classes]
    Yf = [[Fraction(str(Y[r, j])) for j in range(Y.ncols())] for r in range(Y.nrows())]
    w = mut["witness"]
    for c, kind in {(p[2], p[3]) for p in d}:
        s = [k for k in product((0, 1), repeat=Q) if any(k)][c]
        key = kind.split("_")[0]
        try:
            base = tn.outputs(w, means, s, 0, key, classes)
            desc = tn.outputs(w, means, s, 0, key, classes, moved=w["configurations"][c][kind])
        except (ValueError, TypeError, ZeroDivisionError, StopIteration, KeyError, IndexError):
            return False
        signs = (lambda outs: [(v > 0) - (v < 0) for cl in outs for pre, _ in cl for z in pre for v in z])  # noqa: E731
        sb, sd = signs(base), signs(desc)
        if 0 in sd or sd != sb or not tn.cost(desc, Yf) < tn.cost(base, Yf):
            return False
    return True


def _v2_rotation_relabel(claim, orig, mut, inst_path):
    """deep.eq2.68 / deep.eq2.61, only rows of some R_l permuted: R'_l = P R_l with P a permutation of determinant
    +1 and P u~ = u~.  W_* commutes with P (P u = u), so W^(l)' = P W^(l), b^(l)' = P b^(l): the rows of every layer
    are permuted, which leaves every row margin, sign condition and tau_{W,b} = tau_{PW,Pb} unchanged."""
    d = _v2_witness_moved(orig, mut)
    if not d or any(p[1] != "R" for p in d):
        return False
    u = [_as_rational(x) for x in orig["witness"]["u_tilde"]]
    for l in {p[2] for p in d}:
        Ro, Rm = orig["witness"]["R"][l], mut["witness"]["R"][l]
        if not isinstance(Rm, list) or len(Rm) != len(Ro) or sorted(map(json.dumps, Rm)) != sorted(map(json.dumps, Ro)):
            return False
        perm = [Ro.index(r) for r in Rm]
        if len(set(perm)) != len(perm) or any(u[i] != u[j] for i, j in enumerate(perm)):
            return False
        inv = sum(1 for i in range(len(perm)) for j in range(i + 1, len(perm)) if perm[i] > perm[j])
        if inv % 2:
            return False
    return True


def _v2_construction_rerun(claim, orig, mut, inst_path, options):
    """deep.eq2.68 / deep.eq2.61, only mu, only lambda or only the sample points moved: the LIBRARY re-run at the
    mutant's mu (option), with the mutant's lambda (construct_deep.choose_lambda patched; mu kept as the option mu)
    or with the mutant's samples (deep_geometry._samples patched: (2.61)-(2.63) are identities at every point)
    writes exactly the mutant."""
    from unittest import mock

    from exactmin.claims import base
    from exactmin.claims import deep_geometry as dg
    from exactmin.data.io import load_instance
    from exactmin.nets import construct_deep as cd
    d = _v2_witness_moved(orig, mut)
    if not d or not (d in ([("witness", "lambda")], [("witness", "mu")]) or all(p[1] == "samples" for p in d)):
        return False
    opts = dict(options or {}, mu=mut["witness"]["mu"])
    if d == [("witness", "mu")]:                  # another mu: the library at that mu (option) must write the mutant
        patch = (cd, "WIDENINGS", cd.WIDENINGS)
    elif d == [("witness", "lambda")]:
        lam = _fq(mut["witness"]["lambda"])
        if not 0 < lam <= 1:
            return False
        patch = (cd, "choose_lambda", lambda *a, **k: lam)
    else:
        pts = [[_fq(x) for x in p] for p in mut["witness"]["samples"]]
        opts["samples"] = len(pts)
        patch = (dg, "_samples", lambda *a, **k: pts)
    with mock.patch.object(*patch):
        lib = json.loads(json.dumps(document_of(base.get(claim).check(load_instance(inst_path), **opts))))
    if claim in PAPER_NETWORK_FIELDS:   # the paper-network words need not come from the rerun's own mu_I0, box, merge
        fields = PAPER_NETWORK_FIELDS[claim]
        paper = {r for r in mut["readings"] if r.startswith("paper-network/")}
        lib["readings"] = dict(lib["readings"], **{r: mut["readings"][r] for r in paper})
        lib["witness"] = dict({k: v for k, v in lib["witness"].items() if k not in fields},
                              **{k: v for k, v in mut["witness"].items() if k in fields})
        if any(_words(mut).get(r) != v for r, v in _paper_words(claim, inst_path, mut["witness"]).items()):
            return False
        if claim == "deep.eq2.68" and "extra_layer" in mut["witness"]:      # any admissible moving layer refutes
            lib["witness"]["extra_layer"] = mut["witness"]["extra_layer"]
            if not _extra_layer_holds(inst_path, mut["witness"]):
                return False
        lib["verdict"] = mut["verdict"] if _words(lib) == _words(mut) else lib["verdict"]
    return lib["readings"] == mut["readings"] and lib["verdict"] == mut["verdict"] and _canonical(lib["witness"]) == \
        _canonical(mut["witness"])


def _lib_radius_ok(theta, dims, data, r, omegas):
    """The library's pattern-radius recursion (jacobian.radius_valid) at the radius r with the recorded
    operator-norm bounds, each certified by an exact PSD test of omega^2 I - W^T W."""
    import flint

    from exactmin.nets import jacobian as J
    net = J.unflatten(theta, dims)
    ev = J.evaluate(net, data, with_jacobian=False)
    hidden = net.weights[1:-1]
    if not ev.strict or r <= 0 or len(omegas) != len(hidden):
        return False
    for om, W in zip(omegas, hidden):
        n = W.ncols()
        S = flint.fmpq_mat(n, n, [om * om if i == j else 0 for i in range(n) for j in range(n)]) - W.transpose() * W
        if om < 0 or not _flint_psd(S):
            return False
    margins = [[min(abs(v) for v in z) for z in pre] for pre in ev.pre]
    return J.radius_valid(r, omegas, J._act_bounds(ev, 64), margins)


RERUN = {"deep.prop2.2": _rerun_prop22, "deep.lemma4.1": _rerun_lemma, "deep.lemma5.1": _rerun_lemma}


BOUND_VALUES = {
    ("deep.lemma4.1", "opnorm_upper"): _recheck_opnorm_upper,
    ("deep.lemma5.1", "opnorm_upper"): _recheck_opnorm_upper,
}



# -- format 2 (obligation kernel): independent re-checks of a moved witness -----------------------------------------


def _v2_witness_moved(orig, mut):
    """The witness paths that moved, or None when anything else (claim, hash, verdict, a reading word, a field) moved."""
    if not (is_v2(orig) and is_v2(mut)) or set(mut) != set(orig) or _words(mut) != _words(orig) or \
            any(mut.get(k) != orig.get(k) for k in ("claim", "instance_sha256", "verdict")) or \
            not isinstance(mut.get("witness"), dict) or set(mut["witness"]) != set(orig["witness"]):
        return None
    d = _diff(orig, mut)
    return d if all(len(p) >= 2 and p[0] == "witness" for p in d) else None


def _v2_num(s):
    """A format-2 number of any length (the obligation kernel allows 20 000 digits; _as_rational stops at 5000)."""
    import re
    if not (isinstance(s, str) and re.fullmatch(r"-?[0-9]+(/[0-9]+)?", s)):
        raise ValueError("not a rational string")
    return Fraction(s)


def _fl(x):
    import flint
    if isinstance(x, (flint.fmpq, flint.fmpz)):
        return flint.fmpq(x)
    x = Fraction(x)
    return flint.fmpq(x.numerator, x.denominator)


def _flmat(rows):
    import flint
    return flint.fmpq_mat([[_fl(x) for x in r] for r in rows])


def _flint_pd(S):
    """S symmetric positive definite, exactly: every leading principal minor > 0 (flint determinants)."""
    n = S.nrows()
    return S == S.transpose() and all(
        _flmat([[S[i, j] for j in range(k)] for i in range(k)]).det() > 0 for k in range(1, n + 1))


def _v2_lemma(claim, orig, mut, inst_path):
    """Lemmas 4.1/5.1 hold for EVERY (W, mu) meeting the premises: recompute the reading words for the mutant's
    (W, mu) in flint from the library's instance -- sign mu > 0 and mu^2 I - 4 delta^2 W^T W positive definite
    (else hypotheses-fail), ball: mu^2 >= delta^2 |row_r W|^2, points: sign (W dx + mu u) >= 0 at every deviation
    (else refuted) -- and require the mutant's words."""
    from exactmin.data.io import load_instance
    sign = -1 if claim == "deep.lemma4.1" else 1
    inst = load_instance(inst_path)
    W, mu = _flmat(mut["witness"]["W"]), _fl(mut["witness"]["mu"])
    devs = _lib_deviations(inst)
    dsq = max(sum((x * x for x in d), _fl(0)) for d in devs)
    Q = W.nrows()
    S = _flmat([[0] * Q] * Q)
    G = W.transpose() * W
    for i in range(Q):
        for j in range(Q):
            S[i, j] = (mu * mu if i == j else 0) - 4 * dsq * G[i, j]
    if not (sign * mu > 0 and _flint_pd(S)):
        want = {"ball": "hypotheses-fail", "points": "hypotheses-fail", "symbolic": "hypotheses-fail"}
    else:
        ball = all(mu * mu >= dsq * sum((W[r, c] ** 2 for c in range(Q)), _fl(0)) for r in range(Q))
        pts = all(sign * (sum((W[r, c] * d[c] for c in range(Q)), _fl(0)) + mu) >= 0 for d in devs for r in range(Q))
        want = {"ball": "proved" if ball else "undecided", "points": "proved" if pts else "refuted",
                "symbolic": "proved" if ball and Q <= 6 else "undecided"}     # the SymPy proof covers Q <= 6
    return _words(mut) == want


def _lib_deviations(inst):
    """Every deviation x_{j,i} - xbar_j of the instance, as flint column lists, from the library's instance."""
    out = []
    for c in _lib_classes(inst):
        n = len(c)
        m = [sum((p[k] for p in c), _fl(0)) / n for k in range(len(c[0]))]
        out += [[p[k] - m[k] for k in range(len(p))] for p in c]
    return out


def _lib_classes(inst):
    """The classes of a library instance as lists of flint points (columns of each class matrix)."""
    X = inst.X0
    return [[[X[i, j] for i in range(X.nrows())] for j in range(X.ncols())[inst.class_slice(k)]]
            for k in range(len(inst.sizes))]


def _v2_tol_widened(claim, orig, mut, inst_path):
    """deep.thm2.3 and deep.thm2.4, only tol moved: the tol obligations are 0 < tol < sqrt 2 and, for each unit
    vector x of the witness (u~ for u = (1, ..., 1), f~_l for v_l = xbar - xbar_l), <x, d> > 0 and
    <x, d>^2 >= (1 - tol^2/2)^2 |d|^2.  A widened tol' >= tol (tol'^2 < 2) keeps them (monotone); any other tol' is
    re-checked here exactly from the library's instance (class means in Fractions), independently of the kernel."""
    d = _v2_witness_moved(orig, mut)
    if d != [("witness", "tol")]:
        return False
    t, t0 = _as_rational(mut["witness"]["tol"]), _as_rational(orig["witness"]["tol"])
    if t is None or not (0 < t and t * t < 2):
        return False
    if t >= t0 > 0:
        return True
    from exactmin.data.io import load_instance
    inst = load_instance(inst_path)
    means = [[Fraction(int(m.p), int(m.q)) for m in row] for row in _lib_means(inst)]
    Q = len(means)
    bar = [sum(m[k] for m in means) / Q for k in range(len(means[0]))]
    dirs = [[Fraction(1)] * len(bar)] + [[b - x for b, x in zip(bar, m)] for m in means]
    vecs = [mut["witness"]["u_tilde"]] + list(mut["witness"]["f_tilde"])
    for x, dv in zip(vecs, dirs):
        xs = [Fraction(v) for v in x]
        xd, dd = sum(a * b for a, b in zip(xs, dv)), sum(b * b for b in dv)
        if not (xd > 0 and xd * xd >= (1 - t * t / 2) ** 2 * dd):
            return False
    return True


def _lib_means(inst):
    """The class means x̄_{0,j} (rows of flint rationals), from the library's instance (integer class sums)."""
    return [inst.mean(j) for j in range(inst.Q)]


def _v2_box_shrunk(claim, orig, mut, inst_path):
    """deep.thm2.3, only mu_box moved inside the library's certified box: 'for every mu in [lo, hi]^Q' holds on
    every sub-box; lo' = lo is kept (the box's refutation reads lo = mu), lo' < hi'."""
    d = _v2_witness_moved(orig, mut)
    if not d or any(p[:2] != ("witness", "mu_box") for p in d) or _words(orig).get("mu-box") != "proved":
        return False
    lo, hi = (_as_rational(x) for x in mut["witness"]["mu_box"])
    lo0, hi0 = (_as_rational(x) for x in orig["witness"]["mu_box"])
    return None not in (lo, hi) and lo0 <= lo < hi <= hi0


def _v2_shallow_delta2(inst_path):
    """Delta_2 = sum_j N_j^-1 sum_i Delta_1 Delta_1^T with Delta_1 = X^-1 (x - xbar_j), X = [xbar_1 .. xbar_Q],
    rho = Tr(Y D2 (1+D2)^-1 Y^T) / Tr(Y D2 Y^T), delta_P^2 = max |Delta_1|^2; flint, library instance."""
    from exactmin.data.io import load_instance
    inst = load_instance(inst_path)
    cls = _lib_classes(inst)
    means = [[sum((p[k] for p in c), _fl(0)) / len(c) for k in range(len(c[0]))] for c in cls]
    Q = len(means)
    X = _flmat([[means[j][i] for j in range(Q)] for i in range(len(means[0]))])
    Xi = X.inv()
    D2, dsq = _flmat([[0] * Q] * Q), _fl(0)
    for c, m in zip(cls, means):
        for p in c:
            d1 = Xi * _flmat([[p[k] - m[k]] for k in range(len(p))])
            D2 += (d1 * d1.transpose()) / len(c)
            dsq = max(dsq, sum((d1[k, 0] ** 2 for k in range(Q)), _fl(0)))
    Y = inst.Y
    eye = _flmat([[int(i == j) for j in range(Q)] for i in range(Q)])
    tr = (lambda A: sum((A[i, i] for i in range(A.nrows())), _fl(0)))     # noqa: E731
    rho = tr(Y * D2 * (eye + D2).inv() * Y.transpose()) / tr(Y * D2 * Y.transpose())
    return D2, rho, dsq, Y, eye


def _v2_relative_error(claim, orig, mut, inst_path):
    """shallow.relative-error, only the eigenvalue bounds moved: l_max >= lambda_max(Delta_2) (l_max I - Delta_2 PSD,
    library is_psd), then upper is implied exactly as before (rho (1 + l_max) >= 1 for any l_max >= lambda_max);
    l_min >= 0 (the statement's own condition; l_min = 0 gives C_0 = 0, a vacuous lower reading the library itself
    writes on shallow_q2_m2_symmetric, where Delta_2 is singular) with Delta_2 - l_min I PSD, and the lower
    reading's word recomputed: rho (1 + l_min) <= 1, b = 1 - l_min/(2(1 + l_min)) >= 0, rho <= b^2."""
    d = _v2_witness_moved(orig, mut)
    if not d:
        return False
    D2, rho, dsq, Y, eye = _v2_shallow_delta2(inst_path)
    lmax, lmin = (_fl(mut["witness"][k]) for k in ("lambda_max_upper", "lambda_min_lower"))
    if not _flint_psd(lmax * eye - D2) or _words(orig).get("upper") != "proved":
        return False
    if not (lmin >= 0 and _flint_psd(D2 - lmin * eye)):
        return False
    b = 1 - lmin / (2 * (1 + lmin))
    lower = "proved" if rho * (1 + lmin) <= 1 and b >= 0 and rho <= b * b else "refuted" if b >= 0 and rho > b * b \
        else "undecided"
    return _words(mut).get("lower") == lower and _words(mut).get("gap-identity") == _words(orig).get("gap-identity")


def _v2_upper_bound_lambda(claim, orig, mut, inst_path):
    """shallow.upper-bound, only lambda_bar moved: lambda_bar' I - Y^T Y PSD (library is_psd), i.e. lambda_bar' >=
    lambda_max(Y^T Y); then the chain cost^2 = Tr(Y D2 Y^T) <= lambda_max Tr D2 <= lambda_bar' Tr D2 <= Q lambda_bar'
    delta_P^2 is true for it (the bound reading was proved with the library's own lambda_bar)."""
    d = _v2_witness_moved(orig, mut)
    if d != [("witness", "Y_gram_lambda_max_upper")]:
        return False
    lam = _as_rational(mut["witness"]["Y_gram_lambda_max_upper"])
    if lam is None or _words(orig).get("bound") != "proved":
        return False
    from exactmin.data.io import load_instance
    Y = load_instance(inst_path).Y
    return _flint_psd(_fl(lam) * _flmat([[int(i == j) for j in range(Y.ncols())] for i in range(Y.ncols())])
                      - Y.transpose() * Y)


def _v2_premise_fails(claim, orig, mut, inst_path):
    """deep.thm2.3, every reading hypotheses-fail: the premise mu in I_0 ((2.58)) is false for the mutant's mu,
    recomputed with python-flint arb balls (a decided comparison only) from the library's instance: mu >= 0, or
    mu^2 <= 4 delta^2 Q (mu not below -2 delta sqrt Q), or -mu > <xbar_k - xbar_j, v_j>/|v_j| - delta for a pair
    (v_j = xbar - xbar_j).  The rest of the witness is then not part of any reading."""
    import flint

    from exactmin.data.io import load_instance
    from exactmin.exact.enclosure import working_precision
    at_mu = ("L=Q", "L>Q", "mu-box", "collapse-only", "L>Q/arbitrary")   # the readings with the premise mu in I_0
    if {v for r, v in _words(mut).items() if r in at_mu} != {"hypotheses-fail"} \
            or not mut["witness"] or any(_words(mut).get(r) != v for r, v in _words(orig).items() if r not in at_mu):
        return False
    mu = _fl(_v2_num(mut["witness"]["mu"]))
    inst = load_instance(inst_path)
    cls = _lib_classes(inst)
    means = [[sum((p[k] for p in c), _fl(0)) / len(c) for k in range(len(c[0]))] for c in cls]
    n = sum(len(c) for c in cls)
    bary = [sum((p[k] for c in cls for p in c), _fl(0)) / n for k in range(len(means[0]))]
    dsq = max(sum(((p[k] - m[k]) ** 2 for k in range(len(p))), _fl(0)) for c, m in zip(cls, means) for p in c)
    Q = len(means)
    if mu >= 0 or mu * mu <= 4 * dsq * Q:
        return True
    with working_precision(ARB_PREC):
        for j in range(Q):
            v = [bary[k] - means[j][k] for k in range(len(bary))]
            nv = flint.arb(sum((x * x for x in v), _fl(0))).sqrt()
            for k in range(Q):
                if k != j:
                    av = sum(((means[k][i] - means[j][i]) * v[i] for i in range(len(v))), _fl(0))
                    if bool(-flint.arb(mu) > flint.arb(av) / nv - flint.arb(dsq).sqrt()):
                        return True
    return False


def _v2_dead_unit_bias(claim, orig, mut, inst_path):
    """shallow.upper-bound and shallow.thm3.3, only first-layer biases of noise units moved: each such unit has an all-zero output
    column (W_2 = [Y, 0]) and stays strictly dead (w_r . x + b_r < 0) on every data point of the library's instance,
    so the network computes the same outputs, the same cost and is still the construction."""
    d = _v2_witness_moved(orig, mut)
    if not d or any(p[:4] != ("witness", "network", "biases", 0) or len(p) != 5 for p in d):
        return False
    from exactmin.data.io import load_instance
    X = load_instance(inst_path).X0
    net = mut["witness"]["network"]
    W1, b1, W2 = net["weights"][0], net["biases"][0], net["weights"][-1]
    if len(net["weights"]) != 2:
        return False
    for p in d:
        r = p[4]
        if any(_as_rational(row[r]) != 0 for row in W2):
            return False
        w, b = [_as_rational(x) for x in W1[r]], _as_rational(b1[r])
        if any(sum((w[i] * Fraction(str(X[i, j])) for i in range(X.nrows())), b) >= 0 for j in range(X.ncols())):
            return False
    return True


def _v2_descent_recomputed(claim, orig, mut, inst_path):
    """deep.thm2.4, only the descent network's output bias b_(L+1) moved: recomputed exactly here (Fractions, the
    library's instance reader), the descent still differs from the zero network in b_(L+1) only and has strictly
    lower cost, so free-output-bias/local-min is still refuted (a convex quadratic along that bias segment)."""
    d = _v2_witness_moved(orig, mut)
    nets = mut["witness"].get("networks", {})
    if not d or "descent" not in nets or any(p[:4] != ("witness", "networks", "descent", "biases") or len(p) != 6
                                             or p[4] != len(nets["descent"]["biases"]) - 1 for p in d):
        return False
    pts, labels, Y, sizes = _fraction_data(inst_path)

    def cost(net):
        Ws, bs = _fraction_net(net)
        tot = Fraction(0)
        for p, j in zip(pts, labels):
            for k, (W, b) in enumerate(zip(Ws, bs)):
                p = [sum((w * x for w, x in zip(r, p)), c) for r, c in zip(W, b)]
                p = p if k == len(Ws) - 1 else [max(x, Fraction(0)) for x in p]
            tot += sum((o - Fraction(str(Y[r, j]))) ** 2 for r, o in enumerate(p)) / sizes[j]
        return tot
    z, dn = nets["zero"], nets["descent"]
    return z["weights"] == dn["weights"] and z["biases"][:-1] == dn["biases"][:-1] and cost(dn) < cost(z)


PAPER_FIELDS = {"mu_I0", "pair", "box_s", "gl_s", "merge_s", "merge_set"}


def _only_fields_changed(orig, mut, fields, same_words=False) -> bool:
    """The mutant differs from orig only in the witness's top-level ``fields``: moved inside them, or some of them
    dropped (claim and hash kept; with ``same_words`` also every word and the verdict)."""
    moved = _v2_witness_moved(orig, mut)
    if moved:
        return all(p[1] in fields for p in moved)
    wo, wm = orig.get("witness"), mut.get("witness")
    keep = ("claim", "instance_sha256") + (("verdict",) if same_words else ())
    return is_v2(mut) and set(mut) == set(orig) and isinstance(wo, dict) and isinstance(wm, dict) and \
        (not same_words or _words(mut) == _words(orig)) and all(mut.get(k) == orig.get(k) for k in keep) and \
        set(wm) < set(wo) and set(wo) - set(wm) <= set(fields) and all(wm[k] == wo[k] for k in wm)


def _library_geometry(inst_path, lam):
    """(instance, Geometry, kappa(lambda), theta_* certified) by the library's arithmetic, lambda a format-2 string."""
    from exactmin.claims.deep import hypotheses
    from exactmin.data.io import load_instance
    from exactmin.nets import construct_deep as cd
    inst = load_instance(inst_path)
    g = cd.Geometry.of(inst, hypotheses(inst)["values"]["delta_squared"])
    kappa = cd.kappa_of_lambda(_fq(lam), inst.Q)
    return inst, g, kappa, cd.decide_all_positive(cd.theta_star_margin_terms(g, kappa))[0] is True


def _fq_fields(w, fields):
    """{field: its fmpq value (nested lists kept), None when absent}."""
    conv = (lambda x: _fq(x) if isinstance(x, str) else [conv(y) for y in x])       # noqa: E731
    return {k: conv(w[k]) if k in w else None for k in fields}


def _v2_paper_box(claim, orig, mut, inst_path):
    """deep.thm2.3, only the witness fields of the readings on all of I_0^Q moved (a mu in I_0, a covering box, points
    of I_0^Q, a merging set: existential witnesses, so a nearby point may be another valid one): the three
    readings re-derived by the LIBRARY's own arithmetic (exactmin.nets.paper_box.rederive, flint) from the mutant's
    witness, the other readings unchanged."""
    from exactmin.nets import paper_box as pb
    if not _only_fields_changed(orig, mut, PAPER_FIELDS, same_words=True):
        return False                    # only these optional fields moved, or some of them dropped
    _, g, kappa, theta_ok = _library_geometry(inst_path, mut["witness"]["lambda"])
    got = pb.rederive(g, kappa, theta_ok, _fq_fields(mut["witness"], PAPER_FIELDS))
    words = _words(mut)
    return all(words.get(r) == v for r, v in got.items()) and \
        all(words.get(r) == v for r, v in _words(orig).items() if r not in got)


EQ268_FIELDS = {"mu_I0", "box_s", "merge_s", "merge_set"}
EQ261_FIELDS = {"mu_I0", "box_s", "gl_s", "merge_s", "merge_set"}


def _paper_words(claim, inst_path, w):
    """The paper-network/* words of deep.eq2.68 / deep.eq2.61 re-derived from the witness w (format-2 strings) by the
    LIBRARY's arithmetic (exactmin.nets.paper_box: rederive_eq268; rederive's Xred-mu-GL-on-I0 and I0-box, which
    are (2.61)'s metric and classifies-data on all of I_0^Q)."""
    from exactmin.nets import paper_box as pb
    _, g, kappa, theta_ok = _library_geometry(inst_path, w["lambda"])
    if claim == "deep.eq2.68":
        return pb.rederive_eq268(g, kappa, theta_ok, _fq(w["lambda"]), _fq_fields(w, EQ268_FIELDS))
    got = pb.rederive(g, kappa, theta_ok and 0 < _fq(w["lambda"]) <= 1, _fq_fields(w, EQ261_FIELDS))
    return {"paper-network/metric": got["Xred-mu-GL-on-I0"], "paper-network/classifies-data": got["I0-box"]}


PAPER_NETWORK_FIELDS = {"deep.eq2.68": EQ268_FIELDS, "deep.eq2.61": EQ261_FIELDS}


def _extra_layer_holds(inst_path, w) -> bool:
    """The witness's (4.66) extra layer, by the LIBRARY (deep_geometry.extra_layer_ok, flint) on the witness's apexes
    c_k = xbar_k - mu f~_k."""
    from exactmin.claims import deep_geometry as dg
    from exactmin.claims.deep import hypotheses
    from exactmin.data.io import load_instance
    from exactmin.nets import construct_deep as cd
    e = w.get("extra_layer")
    try:
        j, b = int(e["class"]) - 1, [_fq(x) for x in e["b"]]
        inst = load_instance(inst_path)
        g = cd.Geometry.of(inst, hypotheses(inst)["values"]["delta_squared"])
        c = [[m - _fq(w["mu"]) * f for m, f in zip(g.means[k], map(_fq, w["f_tilde"][k]))] for k in range(inst.Q)]
    except (KeyError, TypeError, ValueError):
        return False
    return 0 <= j < inst.Q and str(j + 1) == e["class"] and dg.extra_layer_ok(c, j, b)


def _v2_extra_layer(claim, orig, mut, inst_path):
    """deep.eq2.68, only the witness's extra_layer moved (another admissible layer that moves another apex refutes
    L>Q/arbitrary as well): its word re-derived by the LIBRARY (deep_geometry.extra_layer_ok, flint determinant),
    every other word unchanged."""
    wm = mut.get("witness")
    if not _only_fields_changed(orig, mut, {"extra_layer"}) or not isinstance(wm.get("extra_layer"), dict):
        return False
    ok = _extra_layer_holds(inst_path, wm)
    words, old = _words(mut), _words(orig)
    return ok and words.get("L>Q/arbitrary") == old.get("L>Q/arbitrary") == "refuted" and words == old


def _v2_ball_paper(claim, orig, mut, inst_path):
    """deep.eq2.68 / deep.eq2.61, only the witness fields of the paper-network readings moved or dropped
    (existential witnesses, as deep.thm2.3's): those words re-derived by :func:`_paper_words`, every other word
    unchanged."""
    wm = mut.get("witness")
    if not _only_fields_changed(orig, mut, PAPER_NETWORK_FIELDS[claim]) or "lambda" not in wm:
        return False
    got, words = _paper_words(claim, inst_path, wm), _words(mut)
    return all(words.get(r) == v for r, v in got.items()) and \
        all(words.get(r) == v for r, v in _words(orig).items() if r not in got)


IBOX_FIELDS = {"mu_I0", "box_s", "ibox_s", "ibox_pair"}


def _v2_thm25_ibox(claim, orig, mut, inst_path):
    """deep.thm2.5, only the witness fields of reading I-box moved or dropped (a mu in I_0, a covering box, a refuting
    point and pair: existential witnesses): the I-box word re-derived by the LIBRARY's arithmetic
    (exactmin.nets.paper_box.ibox_rederive) from the mutant's witness, every other word unchanged."""
    from exactmin.nets import paper_box as pb
    wm = mut.get("witness")
    if not _only_fields_changed(orig, mut, IBOX_FIELDS) or "lambda" not in wm:
        return False
    _, g, kappa, theta_ok = _library_geometry(inst_path, wm["lambda"])
    words, old = _words(mut), _words(orig)
    return words.get("I-box") == pb.ibox_rederive(g, kappa, theta_ok, _fq_fields(wm, IBOX_FIELDS)) and \
        all(words.get(r) == v for r, v in old.items() if r != "I-box")


def _v2_thm25_paper(claim, orig, mut, inst_path):
    """deep.thm2.5, only the points of the paper-network readings moved or dropped (witness.paper: existential
    points of I_0^Q and I_1): the library re-run with its point search replaced by the mutant's points, validated by
    the library's own arithmetic (paper_box._s_ok, exact pass cones, flint least squares), writes the mutant's
    words."""
    wm = mut.get("witness")
    if not _only_fields_changed(orig, mut, {"paper"}) or "lambda" not in wm:
        return False
    return _thm25_paper_rerun(claim, wm, inst_path) == _words(mut)


def _thm25_paper_rerun(claim, wm, inst_path):
    """The library's words of deep.thm2.5 with the paper-network readings taken at the witness wm's lambda, points
    and descents, validated by the library's arithmetic (deep_minima._paper_network(fixed=wm)) instead of searched."""
    from exactmin.claims import base
    from exactmin.claims import deep_minima as dmn
    from exactmin.data.io import load_instance
    real = dmn._paper_network
    dmn._paper_network = lambda *a: real(*a, fixed=wm)
    try:
        c = base.get(claim).check(load_instance(inst_path))
    finally:
        dmn._paper_network = real
    return {n: r["verdict"] for n, r in c.readings.items()}


def _v2_old_kernel(claim, orig, mut, inst_path, options):
    """Any claim, only witness fields moved: the LIBRARY's format-1 certificate of the same case with the same
    witness fields replaced by the mutant's is verified by the independent per-claim kernel
    (exactmin/certify/kernel, separate code) and states the mutant's reading words (e.g. a mu box extended below
    mu and re-certified there)."""
    from exactmin.certify import kernel as old
    from exactmin.claims import base
    from exactmin.data.io import load_instance
    moved = _v2_witness_moved(orig, mut)
    if not moved or (claim == "deep.thm2.3" and any(p[1] in PAPER_FIELDS for p in moved)):
        return False                    # the old kernel reads these readings from the same statement: not independent
    v1 = json.loads(json.dumps(base.get(claim).check(load_instance(inst_path), **(options or {})).to_json()))
    keys = {p[1] for p in moved}
    if not all(k in v1.get("witness", {}) and _canonical(v1["witness"][k]) == _canonical(orig["witness"][k])
               for k in keys):
        return False
    for k in keys:
        v1["witness"][k] = copy.deepcopy(mut["witness"][k])
    if "mu_box" in keys and isinstance(mut["witness"]["mu_box"], list) and len(mut["witness"]["mu_box"]) == 2:
        v1["values"]["mu_box_lo"], v1["values"]["mu_box_hi"] = mut["witness"]["mu_box"]    # v1 echoes the box ends
    ok, _ = old.verify(v1, inst_path)
    return ok and {n: _word(r) for n, r in v1["readings"].items()} == _words(mut)


def _v2_identity_recomputed(claim, orig, mut, inst_path):
    """deep.prop2.2 and deep.eq2.66 are identities for EVERY invertible network (every lambda > 0): recompute the
    reading word for the mutant's witness with the LIBRARY (flint; exactmin.nets truncation and forward pass, not the
    obligation kernel) -- hypotheses-fail when a premise fails (a singular hidden W, lambda <= 0, no hidden layer),
    else proved iff every identity holds on the instance -- and require the mutant's word."""
    from flint import fmpq_mat

    from exactmin.claims import deep as cdeep
    from exactmin.claims.common import data_matrix
    from exactmin.data.io import load_instance
    from exactmin.exact.linalg import checked_det
    from exactmin.nets.network import Network
    inst = load_instance(inst_path)
    w = mut["witness"]
    if claim == "deep.eq2.66":
        W, lams = _mat(w["W"]), [_fq(x) for x in w["lambdas"]]
        b = fmpq_mat(inst.Q, 1, [_fq(x) for x in w["b"]])
        if checked_det(W) == 0 or any(lam <= 0 for lam in lams):
            return _words(mut) == {"default": "hypotheses-fail", "every-x": "hypotheses-fail"}
        X = data_matrix(inst)
        base_ = cdeep.tau(W, b, X)
        ok = all(cdeep._columns_equal(cdeep.tau(W * lam, b * lam, X), base_) for lam in lams)
        # every-x: W invertible and lambda > 0 make the identity hold for all x (positive homogeneity)
        return _words(mut) == {"default": "proved" if ok else "refuted", "every-x": "proved"}
    net = Network(tuple(_mat(W) for W in w["network"]["weights"]),
                  tuple(_mat([[x] for x in bs]) for bs in w["network"]["biases"]))
    if len(net.weights) < 2 or any(checked_det(W) == 0 for W in net.weights[:-1]):
        return _words(mut) == {"default": "hypotheses-fail", "every-x": "hypotheses-fail"}
    from unittest import mock
    with mock.patch.object(cdeep, "random_network", lambda *a, **k: net):
        lib = cdeep.check_prop22(inst, layers=len(net.weights) - 1)
    return _words(mut) == {r: v["verdict"] for r, v in lib.readings.items()}


def _v2_eq430_lambda(claim, orig, mut, inst_path):
    """deep.eq4.30's witness is lambda alone and every reading is a statement about W_*(lambda): recompute the words
    with the LIBRARY (flint) at the mutant's lambda -- every reading hypotheses-fail outside (0, 1] -- and require
    the mutant's words."""
    from exactmin.claims import base
    from exactmin.data.io import load_instance
    lam = _v2_num(mut["witness"]["lambda"])
    if not 0 < lam <= 1:
        return set(_words(mut).values()) == {"hypotheses-fail"}
    lib = base.get(claim).check(load_instance(inst_path), **{"lambda": str(lam)})
    return _words(mut) == {r: v["verdict"] for r, v in lib.readings.items()}


def _v2_eq4_steps(claim, orig, mut, inst_path):
    """deep.eq4.11 / eq4.13 / eq4.23 / eq4.43: every reading is a statement about the witness; recompute the words with
    the LIBRARY (flint, exactmin.claims.deep_steps.words_eq4xx) at the mutant's witness and require the mutant's words.
    deep.eq4.43: the realisation fields (tol, u~, f~_l, R_l) must be unmoved or tol only widened (then the `data`
    word stays the original's unless mu_1 moved)."""
    from exactmin.claims import deep_steps as D
    from exactmin.data.io import load_instance
    inst, w = load_instance(inst_path), mut["witness"]
    if claim == "deep.eq4.11":
        want = {**D.words_eq411(inst, *(_fl(_v2_num(w[k])) for k in ("j", "i"))),
                **D.words_eq455(inst, *(_fl(_v2_num(w[k])) if k in w else None for k in ("k_equal", "k_less")))}
    elif claim == "deep.eq4.13":
        want = D.words_eq413(inst, _flmat(w["W"]), _fl(_v2_num(w["mu"])), _flmat(w["W_printed"]),
                             _fl(_v2_num(w["mu_printed"])))
    elif claim == "deep.eq4.23":
        want = D.words_eq423(inst, *(_fl(_v2_num(w[k])) for k in ("j", "k", "kappa_sep", "sep_sign")))
    else:
        if isinstance(w, dict) and "k" not in w and "k" in orig.get("witness", {}):   # k is optional: absent = "1"
            mut = {**mut, "witness": {**w, "k": "1"}}
            w = mut["witness"]
        paths = _v2_witness_moved(orig, mut)
        if paths is None:
            return False
        moved = {p[1] for p in paths}
        if moved & {"u_tilde", "f_tilde"} or ("tol" in moved and not _v2_tol_widened(claim, orig, mut, inst_path)):
            return False                  # a narrowed tol: re-checked exactly by _v2_tol_widened (only tol moved)
        for ell in {p[2] for p in paths if p[1] == "R" and len(p) > 2}:   # R_l, l >= 2, only needs to stay admissible
            Rl, f, u = _flmat(w["R"][ell]), _flmat([[x] for x in w["f_tilde"][ell]]), _flmat([[x] for x in w["u_tilde"]])
            if ell == 0 or Rl.transpose() * Rl != _flmat([[int(i == k) for k in range(Rl.nrows())] for i in range(Rl.nrows())]) \
                    or Rl.det() != 1 or Rl * f != u:
                return False
        want = D.words_eq443(inst, _fl(_v2_num(w["lambda"])), _fl(_v2_num(w["mu_1"])), _fl(_v2_num(w["j"])),
                             _fl(_v2_num(w["mu_lo"])), [_fl(_v2_num(x)) for x in w["pair"]],
                             [_fl(_v2_num(x)) for x in w["f_tilde"][0]], _flmat(w["R"][0]),
                             _fl(_v2_num(w["k"])) if "k" in w else _fl(1))
    return _words(mut) == want


def _v2_sym_options(claim, orig, mut, inst_path, options):
    """sym.count-T / count-G / dominance (instance-free, witness = the claim's integer options): a moved option is
    a different instance of the statement; re-run the LIBRARY at the mutated options (the case's other options
    kept) and require exactly the mutant's reading words.  Options beyond the library's ranges raise: no rule."""
    from exactmin.claims import base
    moved = _v2_witness_moved(orig, mut)
    if not moved or any(len(p) != 2 for p in moved):
        return False
    opts = dict(options or {})
    for k, v in mut["witness"].items():
        x = _v2_num(v)
        if x is None or x.denominator != 1 or not 0 <= x <= 400:
            return False
        opts[k] = int(x)
    lib = json.loads(json.dumps(document_of(base.get(claim).check(None, **opts))))
    return lib["readings"] == mut["readings"] and lib["verdict"] == mut["verdict"] and lib["witness"] == mut["witness"]


def _v2_sym_network(claim, orig, mut, inst_path, options):
    """sym.split / sym.zero-type (witness = network, data, targets, betas or zero-type neurons): re-run the LIBRARY
    (exactmin.sym.twolayer / exactmin.sym.deep, not the kernel) with its seeded generator patched to return exactly
    the mutant's witness, and require the library to write exactly the mutant's words and witness.  The library
    raises where its own preconditions fail (a kink, a neuron that is not dead): then no rule."""
    from unittest import mock

    from exactmin.claims import base
    from exactmin.claims import sym as csym
    from exactmin.sym import build, deep_build
    from exactmin.sym import deep as D
    from exactmin.sym import twolayer as tl
    w = mut["witness"]
    X = [[Fraction(v) for v in x] for x in w["X"]]
    yc = [Fraction(y) for y in w["Y_critical"]]
    opts = {k: v for k, v in (options or {}).items()}
    patches = []
    if "deep" in w:
        net = D.make(w["deep"]["weights"], w["deep"].get("biases"))
        f = [y[0] for y in D.outputs(net, X)]
        S = deep_build.DeepSetup(net, X, [[y] for y in f], [[y] for y in yc], [[a - b] for a, b in zip(f, yc)],
                                 [[Fraction(y)] for y in w["Y_random"]])
        opts.update(depth=len(net.Ws) - 1, width=len(net.Ws[0]), d=len(X[0]), bias=int(net.bs is not None))
        patches.append(mock.patch.object(deep_build, "make_setup", lambda *a, **k: S))
    else:
        n = w["network"]
        th = tl.make(n["W"], n["a"], n.get("c"))
        f = tl.outputs(th, X)
        S = build.Setup(th, X, f, yc, [a - b for a, b in zip(f, yc)],
                        [Fraction(y) for y in w.get("Y_random", w["Y_critical"])])
        opts.update(width=th.m, d=len(X[0]), bias=int(th.c is not None))
        opts.pop("depth", None)
        patches.append(mock.patch.object(build, "make_setup", lambda *a, **k: S))
    if claim == "sym.split":
        betas = [[Fraction(v) for v in b] for b in w["betas"]]
        opts["copies"] = len(betas[0])
        patches.append(mock.patch.object(build, "betas_for", lambda *a, **k: betas))
    else:
        zc = Fraction(w["zero_c"]) if "zero_c" in w else None
        patches += [mock.patch.object(build, "generic_zero_w", lambda *a, **k: ([Fraction(v) for v in w["zero_w"]], zc)),
                    mock.patch.object(csym, "ZERO_GROUP_A", tuple(Fraction(v) for v in w["group_a"])),
                    mock.patch.object(csym, "DEAD_A", Fraction(w["dead_a"])),
                    mock.patch.object(csym, "dead_w", lambda d: [Fraction(v) for v in w["dead_w"]])]
    with contextlib_exit_stack() as st:
        for p in patches:
            st.enter_context(p)
        lib = json.loads(json.dumps(document_of(base.get(claim).check(None, **opts))))
    return lib["readings"] == mut["readings"] and lib["verdict"] == mut["verdict"] and lib["witness"] == mut["witness"]


# -- flow.* (format 2): the reading words recomputed by the LIBRARY at the mutant's witness ----------------------

def _flow_net(w, M, Q):
    dims = [int(_v2_num(x)) for x in w["dims"]]
    if len(dims) < 2 or (dims[0], dims[-1]) != (M, Q) or not all(1 <= d <= 64 for d in dims):
        raise ValueError("dims")
    return dims, [_fq(_v2_num(x)) for x in w["theta"]]


def _flow_ball_words(claim, w, data, dims, th, kap):
    """exp-rate / stopping-time words from exactmin.claims.flow._hyp_fail_point and exactmin.flow.ball (flint, exact
    PSD tests of python-flint, arb balls for e^x and ln): a bound that is not certified gives undecided."""
    import flint

    from exactmin.certify.certificate import Certificate
    from exactmin.claims import flow as cf
    from exactmin.exact.enclosure import working_precision
    from exactmin.exact.norms import is_psd
    from exactmin.flow import ball as B
    from exactmin.nets import jacobian as J
    names = ("region", "rank", "rate") if claim == "flow.exp-rate" else ("orbit", "a-priori", "plain-flow")
    ev = cf._hyp_fail_point(Certificate(claim, "x"), data, dims, th, names)
    if ev is None:
        return dict.fromkeys(names, "hypotheses-fail")
    r0sq = sum((r * r for r in J.residual(ev, data)), flint.fmpq(0))
    c0, get = kap / 2 * r0sq, (lambda k: None if w.get(k) is None else _fq(_v2_num(w[k])))
    R, s0, E, S0 = get("radius"), get("sigma0"), get("deviation"), get("Sigma0")
    net = J.unflatten(th, dims)
    G = ev.D * ev.D.transpose()
    eye = flint.fmpq_mat(G.nrows(), G.nrows(), [int(i == j) for i in range(G.nrows()) for j in range(G.nrows())])
    norms = [_fq(_v2_num(x)) for x in w.get("norms") or []]
    ok = B.work(dims, data.N) <= B.WORK_LIMIT and None not in (R, s0, E) and len(norms) == len(dims) - 2 and \
        min([R, s0, E] + norms) >= 0 and is_psd(G - s0 * s0 * eye)[0] and all(is_psd(flint.fmpq_mat(
            W.ncols(), W.ncols(), [om * om * int(i == j) for i in range(W.ncols()) for j in range(W.ncols())])
            - W.transpose() * W)[0] for om, W in zip(norms, net.weights[1:]))
    d2 = B.deviation_sq(R, norms, B.point_data(ev)) if ok else None
    ok = ok and d2 is not None and E * E >= d2 and s0 > E
    if claim == "flow.exp-rate":
        el, sm = get("exp_lower"), get("s_max")
        if sm is not None:
            with working_precision(ARB_PREC):
                ok = ok and el is not None and el >= 0 and bool(flint.arb(el) <= (-flint.arb(kap) * flint.arb(sm)).exp())
        v = "proved" if ok and B.Ball(R, tuple(norms), s0, flint.fmpq(0), E, r0sq, el).adapted_ok else "undecided"
        return dict.fromkeys(names, v)
    T, eps = [_fq(_v2_num(x)) for x in w.get("T_eps") or []], get("eps")
    with working_precision(ARB_PREC):
        t = (flint.arb(c0) / flint.arb(eps)).log() / (2 * flint.arb(kap)) if c0 > eps else None
        enc = len(T) == 2 and (T == [0, 0] if t is None else bool(flint.arb(T[0]) <= t) and bool(t <= flint.arb(T[1])))
    ball = B.Ball(R, tuple(norms), s0, S0, E, r0sq) if ok else None
    orbit = "proved" if ok and ball.adapted_ok else "undecided"
    plain = ok and S0 is not None and S0 >= 0 and is_psd(S0 * S0 * eye - G)[0] and ball.plain_ok and enc
    return {"orbit": orbit, "a-priori": orbit if enc else "undecided", "plain-flow": "proved" if plain else "undecided"}


def _v2_optional_dropped(claim, orig, mut):
    """Only witness fields the statement's SCHEMA marks optional ("name?") were dropped; nothing else moved."""
    from exactmin_kernel import BY_CLAIM
    o, m = dict(orig), dict(mut)
    ow, mw = o.pop("witness", None), m.pop("witness", None)
    if o != m or not isinstance(mw, dict) or not isinstance(ow, dict) or not set(mw) < set(ow):
        return False
    optional = {k[:-1] for k in BY_CLAIM[claim].SCHEMA if k.endswith("?")}
    return set(ow) - set(mw) <= optional and all(mw[k] == ow[k] for k in mw)


def _v2_flow_words(claim, orig, mut, inst_path):
    """flow.*: only the witness moved; the LIBRARY (exactmin.claims.flow, exactmin.flow, exactmin.nets.jacobian;
    flint and arb, not the obligation kernel) recomputes every reading word at the mutant's witness, and the mutant
    must state exactly those words.  rank-condition: overparametrized, strictness, rank D (flint), the pattern
    radius by the library's recursion; exp-rate / stopping-time: _flow_ball_words; equilibria-rank-loss: the
    library's _equilibrium at the mutant's networks and lambdas, and its full-rank rule."""
    from unittest import mock

    from exactmin.certify.certificate import Certificate
    from exactmin.claims import flow as cf
    from exactmin.data.io import load_instance
    from exactmin.nets import jacobian as J
    if not (_v2_witness_moved(orig, mut) or _v2_optional_dropped(claim, orig, mut)):
        return False
    w, data = mut["witness"], J.flow_data(load_instance(inst_path))
    if claim == "flow.rank-condition":
        dims, th = _flow_net(w, data.M, data.Q)
        ev, K, QN = J.evaluate(J.unflatten(th, dims), data), J.n_params(dims), data.Q * data.N
        hf = "hypotheses-fail"
        r = w.get("pattern_radius")
        want = {"interior": hf if not ev.strict else "proved" if r is not None and len(dims) > 2 and _lib_radius_ok(
                    th, dims, data, _fq(_v2_num(r)), [_fq(_v2_num(x)) for x in w["omegas"]]) else "undecided",
                "overparametrized": "proved" if K - sum(dims[1:-1]) >= QN else hf,
                "full-rank": hf if not ev.strict or J.jacobian_rank(ev) != QN else "proved"}
    elif claim == "flow.equilibria-rank-loss":
        kap = _fq(_v2_num(w["kappa"]))
        if kap <= 0:
            return False
        scratch, want = Certificate(claim, "x"), {}
        for key, name in (("identity", "identity-regime"), ("lsq", "lsq-features")):
            dims, th = _flow_net(w[key], data.M, data.Q)
            lams = tuple(_fq(_v2_num(x)) for x in w[key]["lambdas"])
            if len(dims) < 3 or min(lams) <= 0:
                return False
            with mock.patch.object(cf, "LAMBDAS", lams):
                cf._equilibrium(scratch, key, name, J.unflatten(th, dims), data, kap)
            want[name] = scratch.readings[name]["verdict"]
        dims, th = _flow_net(w["full_rank"], data.M, data.Q)
        ev = J.evaluate(J.unflatten(th, dims), data)
        if not ev.strict or J.jacobian_rank(ev) < data.Q * data.N:
            want["full-rank"] = "hypotheses-fail"
        else:
            C, g = J.cost(ev, data, kap), J.gradient(ev, data, kap)
            want["full-rank"] = "proved" if (C == 0) == all(x == 0 for x in g) else "refuted"
    else:
        kap = _fq(_v2_num(w["kappa"]))
        if kap <= 0:
            return False
        dims, th = _flow_net(w, data.M, data.Q)
        want = _flow_ball_words(claim, w, data, dims, th, kap)
    return _words(mut) == want


def document_of(cert):
    from exactmin.certify.write_v2 import document
    return document(cert)


V2_RECHECK = {"deep.lemma4.1": [("v2-lemma-recomputed", _v2_lemma)], "deep.lemma5.1": [("v2-lemma-recomputed", _v2_lemma)],
              "deep.thm2.3": [("v2-tol-widened", _v2_tol_widened), ("v2-mu-box-shrunk", _v2_box_shrunk),
                              ("v2-premise-fails-recomputed", _v2_premise_fails),
                              ("v2-paper-box-rederived", _v2_paper_box)],
              "shallow.relative-error": [("v2-eigen-bounds-recertified", _v2_relative_error)],
              "shallow.upper-bound": [("v2-lambda-bar-recertified", _v2_upper_bound_lambda),
                                      ("v2-dead-unit-bias", _v2_dead_unit_bias)],
              "shallow.thm3.3": [("v2-dead-unit-bias", _v2_dead_unit_bias)],
              "deep.thm2.4": [("v2-descent-recomputed", _v2_descent_recomputed), ("v2-tol-widened", _v2_tol_widened)],
              "deep.prop2.2": [("v2-identity-recomputed", _v2_identity_recomputed)],
              "deep.eq2.66": [("v2-identity-recomputed", _v2_identity_recomputed)],
              "deep.eq4.30": [("v2-lambda-recomputed", _v2_eq430_lambda)],
              **{c: [("v2-words-recomputed", _v2_eq4_steps)] for c in ("deep.eq4.11", "deep.eq4.13", "deep.eq4.23",
                                                                          "deep.eq4.43")},
              "deep.thm2.5": [("v2-lambda-recertified", _recheck_thm25_lambda), ("v2-tol-widened", _v2_thm25_tol),
                              ("v2-descent-subset", _v2_descent_subset), ("v2-descent-recomputed", _v2_thm25_descent),
                              ("v2-mu-identity-recertified", _v2_thm25_mu_identity)],
              "deep.eq2.68": [("v2-tol-widened", _v2_tol_widened), ("v2-rotation-relabel", _v2_rotation_relabel)],
              "deep.eq2.61": [("v2-tol-widened", _v2_tol_widened), ("v2-rotation-relabel", _v2_rotation_relabel)],
              **{c: [("v2-flow-library-words", _v2_flow_words)] for c in (
                  "flow.rank-condition", "flow.exp-rate", "flow.stopping-time", "flow.equilibria-rank-loss")}}
V2_NETWORK_RERUN = ("sym.split", "sym.zero-type")      # v2-sym-library-rerun (needs the case options)
V2_OPTION_RERUN = ("sym.count-T", "sym.count-G", "sym.dominance", "sym.connect")      # v2-sym-options-rerun (needs the case options)



def benign_rule(claim, orig, mut, inst_path, options=None):
    """The rule under which an ACCEPTED mutant still proves its statement, or None (a kernel bug)."""
    diffs = _diff(orig, mut)
    if not diffs:
        return "identical"
    if all(_is_metadata(claim, p, orig) for p in diffs):
        return "metadata"
    if _canonical(orig) == _canonical(mut):
        return "same-value"
    same_statement = all(mut.get(k) == orig.get(k) for k in ("claim", "instance_sha256", "verdict")) and \
        _canonical(mut.get("values")) == _canonical(orig.get("values")) and _words(mut) == _words(orig) and \
        mut.get("format") == orig.get("format")
    options = options or {}
    if is_v2(orig):                     # format 2: only an independent re-check of the moved witness explains it
        rechecks = V2_RECHECK.get(claim, []) + ([("v2-sym-options-rerun", lambda c, o, m, ip: _v2_sym_options(
            c, o, m, ip, options))] if claim in V2_OPTION_RERUN else []) + ([("v2-construction-rerun", lambda c, o, m, ip:
            _v2_construction_rerun(c, o, m, ip, options))] if claim in ("deep.eq2.68", "deep.eq2.61") else []) + (
            [("v2-sym-library-rerun", lambda c, o, m, ip: _v2_sym_network(c, o, m, ip, options))]
            if claim in V2_NETWORK_RERUN else []) + [
            ("v2-old-kernel-recheck", lambda c, o, m, ip: _v2_old_kernel(c, o, m, ip, options))]
        if claim == "deep.thm2.3" and _v2_paper_box(claim, orig, mut, inst_path):    # also an optional field dropped
            return "v2-paper-box-rederived"
        if claim in PAPER_NETWORK_FIELDS and _v2_ball_paper(claim, orig, mut, inst_path):  # also a field dropped
            return "v2-paper-box-rederived"
        if claim == "deep.eq2.68" and _v2_extra_layer(claim, orig, mut, inst_path):
            return "v2-extra-layer-rederived"
        if claim == "deep.thm2.5" and _v2_thm25_ibox(claim, orig, mut, inst_path):   # also an optional field dropped
            return "v2-ibox-rederived"
        if claim == "deep.thm2.5" and _v2_thm25_paper(claim, orig, mut, inst_path):  # also the points dropped
            return "v2-paper-points-rederived"
        if claim.startswith("flow.") and _v2_optional_dropped(claim, orig, mut) and _v2_flow_words(claim, orig, mut, inst_path):
            return "v2-flow-library-words"                # an optional field dropped: the words recomputed without it
        if claim == "deep.eq4.43" and isinstance(mut.get("witness"), dict) and "k" not in mut["witness"] and \
                "k" in orig.get("witness", {}):       # the optional k dropped: the kernel reads class 1
            try:
                if _v2_eq4_steps(claim, orig, mut, inst_path):
                    return "v2-words-recomputed"
            except Exception:  # noqa: BLE001 - a failed re-check is not a benign rule
                pass
        for name, fn in rechecks if _v2_witness_moved(orig, mut) else []:
            try:
                if fn(claim, orig, mut, inst_path):
                    return name
            except Exception:  # noqa: BLE001 - a failed re-check is not a benign rule
                pass
        return None
    witness_only = all(p and p[0] == "witness" or _is_metadata(claim, p, orig) for p in diffs)
    checks = []
    if claim in RERUN and all(p and p[0] in ("witness", "values") or _is_metadata(claim, p, orig) for p in diffs):
        checks.append(("library-rerun", lambda c, o, m, ip: RERUN[claim](c, o, m, ip, options)))
    if claim == "deep.eq2.66" and same_statement and witness_only:
        checks.append(("library-recheck", _recheck_eq266))
    if same_statement and all(p and p[0] == "enclosures" for p in diffs):
        checks.append(("enclosure-widened", _recheck_enclosure_superset))
        checks.append(("enclosure-rederived", _recheck_enclosure_value))
    if claim in ("deep.lemma4.1", "deep.lemma5.1"):
        checks.append(("lemma-rederived", _recheck_lemma))
    for name, fn in checks:
        try:
            if fn(claim, orig, mut, inst_path):
                return name
        except Exception:  # noqa: BLE001 - a failed re-check is not a benign rule
            pass
    bound_paths = [p for p in diffs if len(p) == 2 and p[0] == "values" and (claim, p[1]) in BOUND_VALUES]
    if bound_paths and all(p in bound_paths or _is_metadata(claim, p, orig) for p in diffs):
        try:
            if all(BOUND_VALUES[(claim, p[1])](orig, mut, inst_path) for p in bound_paths):
                return "bound-moved"
        except Exception:  # noqa: BLE001
            return None
    return None


# ------------------------------------------------------------------------------------------------ driver

_BASES = None


def _init(bases):
    global _BASES
    _BASES = bases


def verify_as_user(mut, insts):
    """What ``exactmin verify CERT --instance I`` answers for the mutant: the file text read as the CLI reads it
    (duplicate keys rejected), then :func:`exactmin.certify.routing.verify_document` with the loaded instance, which
    routes a claim with a statement to the obligation kernel (format 2) and every other claim to the old kernel."""
    from exactmin.certify import routing
    try:
        probe = json.loads(json.dumps(mut, indent=1), object_pairs_hook=routing.K.driver._pairs)
    except routing.Invalid as e:
        return False, str(e)
    return routing.verify_document(probe, instances=insts)


def _work(task):
    """Run one batch: (index of the base certificate, seed, count) -> list of result rows."""
    from exactmin.certify import routing
    idx, seed, count, claims, hashes = task
    label, claim, path, doc, options = _BASES[idx]
    insts = routing.load_instances(path) if path else (None, None)
    rng = random.Random(seed)
    rows = []
    for _ in range(count):
        kind, detail, mut = mutate(doc, rng, claims, hashes)
        try:
            ok, why = verify_as_user(mut, insts)
        except Exception as e:  # noqa: BLE001 - a kernel crash is a bug of its own
            rows.append((label, claim, kind, "CRASH", f"{detail}: {type(e).__name__}: {e}"[:300]))
            continue
        if not ok:
            rows.append((label, claim, kind, "rejected", ""))
            continue
        rule = benign_rule(claim, doc, mut, path, options)
        rows.append((label, claim, kind, "benign:" + rule if rule else "UNEXPLAINED", detail[:300]))
    return rows


def run(per_cert: int, seed: int, jobs: int, max_bytes: int = MAX_CERT_BYTES, only=None):
    from exactmin.claims import base
    from exactmin.data.bundled import bundled, list_bundled
    from exactmin.data.io import load_instance

    bases = base_certificates(max_bytes, only)
    if only:
        bases = [b for b in bases if any(b[1].startswith(o) for o in only)]
    claims = sorted(base.load_all())
    hashes = sorted({load_instance(bundled(Path(n).stem)).sha256 for n in list_bundled()})
    tasks, chunk = [], 40
    for i in range(len(bases)):
        left, k = per_cert, 0
        while left > 0:
            n = min(chunk, left)
            tasks.append((i, hashlib.sha256(f"{seed}:{i}:{k}".encode()).digest()[0] * 1000003 + seed * 7919 + i * 31
                          + k, n, claims, hashes))
            left -= n
            k += 1
    if jobs > 1:
        with mp.get_context("fork").Pool(jobs, initializer=_init, initargs=(bases,)) as pool:
            results = pool.map(_work, tasks, chunksize=1)
    else:
        _init(bases)
        results = [_work(t) for t in tasks]
    return bases, [r for rs in results for r in rs]


def summarize(rows):
    per = defaultdict(Counter)
    for label, claim, kind, cls, _ in rows:
        per[claim]["total"] += 1
        per[claim]["rejected" if cls == "rejected" else "benign" if cls.startswith("benign") else
                   "crash" if cls == "CRASH" else "unexplained"] += 1
    return per


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="a few hundred mutants (for tests)")
    ap.add_argument("--per-cert", type=int, default=None, help="mutants per base certificate (default 90; quick 3)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--only", action="append", help="claim id prefix (repeatable)")
    ap.add_argument("--show-bugs", action="store_true", help="print every accepted-BUG and crash mutant")
    ap.add_argument("--show-benign", action="store_true", help="print one example per benign rule and claim")
    ap.add_argument("--strict", action="store_true", help="exit 1 also on an UNEXPLAINED acceptance")
    ap.add_argument("--json", help="write the per-claim counts as JSON to this file")
    a = ap.parse_args(argv)
    per_cert = a.per_cert or (3 if a.quick else 90)
    t0 = time.perf_counter()
    bases, rows = run(per_cert, a.seed, 1 if a.quick else a.jobs, only=a.only)
    dt = time.perf_counter() - t0
    per = summarize(rows)
    w = max(len(c) for c in per)
    print(f"{'claim':<{w}}  {'total':>7}  {'rejected':>8}  {'benign':>6}  {'unexplained':>11}  {'crash':>5}")
    tot = Counter()
    for c in sorted(per):
        s = per[c]
        tot.update(s)
        print(f"{c:<{w}}  {s['total']:>7}  {s['rejected']:>8}  {s['benign']:>6}  {s['unexplained']:>11}  {s['crash']:>5}")
    print(f"{'TOTAL':<{w}}  {tot['total']:>7}  {tot['rejected']:>8}  {tot['benign']:>6}  {tot['unexplained']:>11}  "
          f"{tot['crash']:>5}")
    rules = Counter(cls.split(":", 1)[1] for _, _, _, cls, _ in rows if cls.startswith("benign:"))
    kinds = Counter(k for _, _, k, _, _ in rows)
    print(f"{len(bases)} base certificates, {len(per)} claims, {dt:.1f} s; benign by rule: "
          f"{dict(sorted(rules.items())) or '{}'}; operators: {dict(sorted(kinds.items()))}")
    if a.show_benign:
        seen = set()
        for label, claim, kind, cls, detail in rows:
            if cls.startswith("benign") and (claim, cls, kind) not in seen:
                seen.add((claim, cls, kind))
                print(f"  {cls:<24} {label:<40} {kind:<8} {detail}")
    bad = [r for r in rows if r[3] in ("UNEXPLAINED", "CRASH")]
    if a.show_bugs:
        for label, claim, kind, cls, detail in bad:
            print(f"  {cls}: {label} {kind} {detail}")
    if a.json:
        Path(a.json).write_text(json.dumps({c: dict(s) for c, s in per.items()}, indent=1, sort_keys=True) + "\n")
    return 1 if any(r[3] == "CRASH" for r in rows) or (a.strict and bad) else 0


if __name__ == "__main__":
    sys.exit(main())
