"""Run claims on a generated instance and judge the outcome (issue 14's campaign).

For one :class:`~tests.campaign.strategies.Spec` and a list of claim ids, :func:`run_instance`

1. writes the instance file (JSON / CSV / NPZ) and reads it back with the library's parser AND the kernel's parser:
   both must give exactly the generated classes and labels (``parse`` failure otherwise; a valid file rejected by
   the library is a ``parse`` failure too);
2. runs each claim through the Python API (``exactmin.claims.base.get(id).check(inst, **options)``) under a
   per-run deadline: an :class:`~exactmin.errors.InputError` is a ``rejected`` outcome (the CLI's exit 2, e.g. a
   declared size limit), any other exception a ``crash`` (the CLI's exit 70), the deadline a ``timeout``;
3. re-checks the certificate with the standard-library kernel (``exactmin.certify.kernel.verify`` on the file):
   ``invalid`` unless accepted (within its own deadline: ``timeout`` otherwise);
4. compares every value the independent reference (:mod:`tests.campaign.reference`) can compute with the
   certificate's value (``mismatch``), the exactly decidable verdicts (deep.hypotheses) and the µ-interval
   margins (:func:`reference.certificate_checks`);
5. re-runs the claim on exactly transformed copies of the instance and compares the verdicts reading by reading:
   two different verdicts among proved / refuted / hypotheses-fail are a ``violation``; a change to or from
   ``undecided`` (certification did not close) is counted as ``drift``, not a failure.

Symmetry groups (which transforms each claim's verdicts must be invariant under):

* ``deep.*`` and ``shallow.*``: the full similarity group of the data — rotations (exactly orthogonal Cayley
  transforms, det +1), reflections (Householder, det −1), rational translations, positive scalings — and the
  relabelings: points permuted within a class, classes permuted together with Y's columns.  Every quantity of the
  hypotheses is a distance or an inner product of differences (O(M)- and translation-invariant, homogeneous under
  scaling), and the constructions are equivariant.  Exception: invertibility of X_0^red (and every value built
  from (X_0^red)^{-1}) is NOT translation invariant, so after a translation the verdicts are compared only when the
  reference says the hypotheses' outcomes and rank X_0^red are unchanged.
* ``flow.*``: only the relabelings (point and class permutations): the network θ is drawn from a seed, not
  transformed with the data, so a rotation or scaling of the data is a different problem.
* ``sym.*``: instance-free; no data symmetry applies (they are run with random options instead).
"""
from __future__ import annotations

import json
import os
import random
import signal
import time
import traceback
from dataclasses import asdict, dataclass, field
from fractions import Fraction as F

from . import reference as ref
from . import strategies as S

DATA_SYMMETRIES = ("rotation", "reflection", "translation", "scaling", "point-perm", "class-perm")
INVARIANCE = {"deep": DATA_SYMMETRIES, "shallow": DATA_SYMMETRIES, "flow": ("point-perm", "class-perm"), "sym": ()}
#: claims about one network (default: a seeded random network built from the class means, so it is invariant
#: under point and class permutations and scales with the data, but its weights do not rotate with the data)
NETWORK_CLAIMS = {"deep.eq2.38": ("point-perm", "class-perm", "scaling"),
                  "deep.thm2.3-bound": ("point-perm", "class-perm", "scaling")}
DECIDED = ("proved", "refuted", "hypotheses-fail")
FAILURE_KINDS = ("crash", "timeout", "invalid", "mismatch", "violation", "parse")


class Deadline(BaseException):
    """Raised by the alarm; a BaseException so that no ``except Exception`` in the library swallows it."""


class deadline:
    """``with deadline(seconds):`` — SIGALRM-based (main thread only; a no-op elsewhere or for seconds <= 0)."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.armed = False

    def _fire(self, *_):
        raise Deadline()

    def __enter__(self):
        import threading
        if self.seconds and self.seconds > 0 and threading.current_thread() is threading.main_thread():
            self.old = signal.signal(signal.SIGALRM, self._fire)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
            self.armed = True
        return self

    def __exit__(self, *exc):
        if self.armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.old)
        return False


@dataclass
class Outcome:
    """The judged result of one claim on one instance (JSON-serialisable)."""
    claim: str
    instance: str                      # Spec.describe() (or the options of an instance-free claim)
    status: str = "ok"                 # ok | crash | timeout | rejected
    verdicts: dict = field(default_factory=dict)
    detail: str = ""                   # exception / rejection message
    invalid: str = ""                  # kernel's reason, empty if accepted
    mismatches: list = field(default_factory=list)
    violations: list = field(default_factory=list)
    drift: list = field(default_factory=list)
    parse: list = field(default_factory=list)
    checked_values: int = 0
    invariance_runs: int = 0
    seconds: float = 0.0
    repro: dict = field(default_factory=dict)

    def failures(self) -> list[str]:
        out = []
        if self.status in ("crash", "timeout"):
            out.append(self.status)
        for k in ("invalid", "mismatches", "violations", "parse"):
            if getattr(self, k):
                out.append({"mismatches": "mismatch", "violations": "violation"}.get(k, k))
        return out


def _paper(cid):
    return cid.split(".", 1)[0]


def claim_options(cid, rnd: random.Random, flow_spec=False) -> dict:
    """Random options for a claim (instance claims: seeds and widths; sym claims: sizes), as CLI strings."""
    from exactmin.claims import base
    c = base.get(cid)
    names = {n for n, _, _ in c.options}
    o = {}
    if cid == "sym.count-T":
        r = rnd.randint(1, 4)
        o = {"r": r, "m": rnd.randint(r, 7), "d": rnd.randint(1, 3)}
    elif cid == "sym.count-G":
        r = rnd.randint(1, 4)
        o = {"r": r, "m": rnd.randint(r, 7)}
    elif cid == "sym.dominance":
        r = rnd.randint(1, 5)
        o = {"r": r, "m": rnd.randint(r, 12), "r_max": rnd.randint(1, 12)}
    elif cid in ("sym.split", "sym.zero-type"):
        o = {"seed": rnd.randint(0, 10**6), "width": rnd.randint(1, 4), "d": rnd.randint(1, 3),
             "bias": rnd.randint(0, 1)}
        if o["d"] == 1:
            o["bias"] = 1                  # declared: a bias-free neuron on d = 1 data is degenerate (exit 2)
        if cid == "sym.split":
            o.update(copies=rnd.randint(2, 4), depth=rnd.choice([1, 1, 2, 3]))
            if o["depth"] >= 2:
                o["width"] = min(o["width"], 3)
    elif cid == "sym.connect":
        r = rnd.randint(1, 3)
        o = {"r": r, "m": rnd.choice([0, r + 1, r + 2])}
    else:
        if "seed" in names and rnd.random() < 0.5:
            o["seed"] = rnd.randint(0, 10**6)
        if "widths" in names and rnd.random() < 0.3:
            o["widths"] = str(rnd.randint(2, 8))
        if "samples" in names and rnd.random() < 0.5:
            o["samples"] = rnd.randint(1, 16)
    return {k: v for k, v in o.items() if k in names}


def _typed(cid, opts):
    """Convert CLI-style options to the declared types, as the CLI does."""
    from exactmin.claims import base
    c = base.get(cid)
    out = {}
    for name, default, _ in c.options:
        if name in opts:
            v = opts[name]
            out[name] = int(v) if isinstance(default, int) and not isinstance(default, bool) else str(v)
    return out


# ---------------------------------------------------------------------------------------------- files & parsing
def materialize(spec: S.Spec, folder: str, stem: str):
    """Write the spec, read it with both parsers; returns (path, library Instance or None, parse problems)."""
    from exactmin.certify.kernel import core as kcore
    from exactmin.data.io import load_instance
    from exactmin.errors import InputError
    os.makedirs(folder, exist_ok=True)
    path = S.write(spec, os.path.join(folder, stem))
    problems = []
    want_Y = spec.labels if spec.labels is not None else [[F(int(r == j)) for j in range(spec.Q)]
                                                           for r in range(spec.Q)]
    inst = None
    try:
        inst = load_instance(path)
        got = inst.to_json_dict()
        got_cl = [[[F(x) for x in p] for p in c["points"]] for c in got["classes"]]
        got_Y = [[F(x) for x in r] for r in got["labels"]]
        if got_cl != spec.classes:
            problems.append(f"library parser: classes differ from the file's ({spec.fmt})")
        if got_Y != want_Y:
            problems.append(f"library parser: labels differ ({spec.fmt})")
    except InputError as e:
        problems.append(f"library parser rejected a valid {spec.fmt} file: {e}")
    except Exception as e:  # noqa: BLE001 - a parser crash is a finding
        problems.append(f"library parser crashed on a valid {spec.fmt} file: {type(e).__name__}: {e}")
    try:
        k = kcore.load_instance(path)
        if [[list(p) for p in c] for c in k.classes] != spec.classes or [list(r) for r in k.Y] != want_Y:
            problems.append(f"kernel parser: data differ from the file's ({spec.fmt})")
    except Exception as e:  # noqa: BLE001
        problems.append(f"kernel parser failed on a valid {spec.fmt} file: {type(e).__name__}: {e}")
    return path, inst, problems


# ---------------------------------------------------------------------------------------------- one claim run
def kcore_checkers() -> dict:
    """The old per-claim kernel's checkers (claims with a statement file only may have none)."""
    from exactmin.certify.kernel import core
    return core.CHECKERS


def _has_statement(cid) -> bool:
    from exactmin.certify.write_v2 import has_statement
    return has_statement(cid)


def run_claim(cid, inst, path, data: ref.Data | None, opts: dict, timeout: float, verify_timeout: float,
              where: str) -> tuple[Outcome, dict | None]:
    """Check, verify, compare with the reference; returns the outcome and the certificate dict (or None)."""
    from exactmin.certify import kernel
    from exactmin.claims import base
    from exactmin.errors import ExactminError
    out = Outcome(cid, where)
    c = base.get(cid)
    t0 = time.perf_counter()
    try:
        with deadline(timeout):
            cert = c.check(inst if c.needs_instance else None, **_typed(cid, opts))
            doc = cert.to_json()
    except Deadline:
        out.status, out.detail = "timeout", f"check exceeded {timeout}s"
        out.seconds = time.perf_counter() - t0
        return out, None
    except ExactminError as e:
        out.status, out.detail = "rejected", f"{type(e).__name__}: {e}"
        out.seconds = time.perf_counter() - t0
        return out, None
    except Exception as e:  # noqa: BLE001 - every other exception is an exit-70 crash
        tb = traceback.extract_tb(e.__traceback__)
        site = next((f"{os.path.basename(f.filename)}:{f.lineno} {f.name}" for f in reversed(tb)
                     if "exactmin" in f.filename), "")
        out.status, out.detail = "crash", f"{type(e).__name__}: {str(e)[:200]} [{site}]"
        out.seconds = time.perf_counter() - t0
        return out, None
    out.verdicts = {k: r["verdict"] for k, r in doc["readings"].items()}
    # the kernel (its own parser, its own arithmetic)
    try:
        with deadline(verify_timeout):
            if _has_statement(cid):          # what `exactmin verify` runs (routing.py): the obligation kernel only
                ok, why = True, ""
            else:
                ok, why = kernel.verify(json.loads(json.dumps(doc)), path if c.needs_instance else None)
            if ok and _has_statement(cid):          # the obligation kernel too, on the v2 certificate
                import exactmin_kernel
                from exactmin.certify.write_v2 import to_v2
                ok, why = exactmin_kernel.verify(json.loads(json.dumps(to_v2(cert))), path)
                why = "obligation kernel: " + why
        if not ok:
            out.invalid = why[:300]
    except Deadline:
        out.status, out.detail = "timeout", f"kernel verify exceeded {verify_timeout}s"
    except Exception as e:  # noqa: BLE001
        out.invalid = f"kernel raised {type(e).__name__}: {str(e)[:200]}"
    out.seconds = time.perf_counter() - t0
    # the independent reference
    vals = doc.get("values", {})
    if data is not None:
        exp = ref.expected_values(cid, data, vals, opts)
        for k, v in exp.items():
            if k in vals:
                out.checked_values += 1
                try:
                    got = F(vals[k])
                except (ValueError, ZeroDivisionError):
                    out.mismatches.append(f"{k}: certificate value {vals[k]!r} is not a rational")
                    continue
                if got != v:
                    out.mismatches.append(f"{k}: certificate {_short(got)} != reference {_short(v)}")
        for k, v in ref.expected_verdicts(cid, data).items():
            if out.verdicts.get(k) != v:
                out.mismatches.append(f"reading {k}: verdict {out.verdicts.get(k)} != reference {v}")
        out.mismatches += ref.certificate_checks(cid, data, doc)
    else:
        exp = ref.expected_sym_values(cid, opts)
        for k, v in exp.items():
            if k in vals:
                out.checked_values += 1
                if F(vals[k]) != v:
                    out.mismatches.append(f"{k}: certificate {_short(F(vals[k]))} != reference {_short(v)}")
    return out, doc


def _short(x: F) -> str:
    s = str(x)
    return s if len(s) <= 60 else f"{s[:28]}...{s[-28:]} (~{float(x) if abs(x.numerator).bit_length() < 1000 else 'huge'})"


def compare_verdicts(a: dict, b: dict) -> tuple[list, list]:
    """(violations, drift) between two verdict maps of the same claim."""
    viol, drift = [], []
    if set(a) != set(b):
        viol.append(f"readings differ: {sorted(a)} vs {sorted(b)}")
    for k in sorted(set(a) & set(b)):
        if a[k] == b[k]:
            continue
        if a[k] in DECIDED and b[k] in DECIDED:
            viol.append(f"{k}: {a[k]} -> {b[k]}")
        else:
            drift.append(f"{k}: {a[k]} -> {b[k]}")
    return viol, drift


def _translation_comparable(d1: ref.Data, d2: ref.Data) -> bool:
    if d1.holds() != d2.holds():
        return False
    return ref.rank(d1.X0red()) == ref.rank(d2.X0red())


# ---------------------------------------------------------------------------------------------- one instance
def run_instance(spec: S.Spec, claims, folder: str, rnd: random.Random, invariance: int = 1,
                 timeout: float = 60, verify_timeout: float = 60) -> list[Outcome]:
    """Every claim of ``claims`` that needs an instance, on ``spec`` and ``invariance`` transformed copies."""
    where = spec.describe()
    path, inst, problems = materialize(spec, folder, "base")
    if inst is None:
        return [Outcome(cid, where, status="rejected", detail="instance not loadable", parse=problems)
                for cid in claims]
    data = ref.Data(spec.classes, spec.labels)
    transforms = [rnd.choice(S.TRANSFORMS) for _ in range(invariance)]
    copies = []
    for i, t in enumerate(transforms):
        ts = S.apply_transform(spec, t, rnd)
        tpath, tinst, tprob = materialize(ts, folder, f"t{i}")
        copies.append((t, ts, tpath, tinst, tprob))
    outs = []
    for cid in claims:
        opts = claim_options(cid, rnd)
        o, doc = run_claim(cid, inst, path, data, opts, timeout, verify_timeout, where)
        o.parse = list(problems)
        o.repro = {"options": opts, "spec_seed": spec.seed, "kind": spec.kind}
        if o.status == "ok":
            for t, ts, tpath, tinst, tprob in copies:
                if t not in NETWORK_CLAIMS.get(cid, INVARIANCE[_paper(cid)]) or tinst is None:
                    o.parse += tprob
                    continue
                o.parse += tprob
                tdata = ref.Data(ts.classes, ts.labels)
                if t == "translation" and not _translation_comparable(data, tdata):
                    continue
                to, _ = run_claim(cid, tinst, tpath, tdata, opts, timeout, verify_timeout,
                                  f"{where} after {ts.tags.get('transform')}")
                o.invariance_runs += 1
                if to.status != "ok":
                    o.violations.append(f"after {ts.tags.get('transform')}: {to.status} ({to.detail})")
                    continue
                v, d = compare_verdicts(o.verdicts, to.verdicts)
                o.violations += [f"after {ts.tags.get('transform')}: {x}" for x in v]
                o.drift += [f"after {ts.tags.get('transform')}: {x}" for x in d]
                # the transformed run's own certificate and reference checks count too
                o.mismatches += [f"(transformed: {ts.tags.get('transform')}) {m}" for m in to.mismatches]
                if to.invalid and not o.invalid:
                    o.invalid = f"(transformed: {ts.tags.get('transform')}) {to.invalid}"
                if o.violations or to.mismatches or to.invalid:
                    o.repro["transformed"] = S.to_json_dict(ts)
        outs.append(o)
    return outs


def run_instance_free(cid, rnd: random.Random, timeout: float = 60) -> Outcome:
    """An instance-free (sym.*) claim with random options; checked against the closed forms."""
    opts = claim_options(cid, rnd)
    o, _ = run_claim(cid, None, None, None, opts, timeout, timeout, f"options {opts}")
    o.repro = {"options": opts}
    return o


def outcome_dict(o: Outcome) -> dict:
    return asdict(o)
