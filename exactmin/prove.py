"""Proof scripts and case files: recorded expectations per (claim, instance), run by ``exactmin prove`` and pytest.

A script in ``exactmin/proofs/`` (a subpackage, so it ships with every install) declares ``CASES = [Case(...), ...]``;
a user's suite is a case file (TOML or JSON, :func:`load_cases`) run by ``exactmin prove --cases FILE``.  Every case
runs the claim's check on its instance (a bundled name or a file), re-checks the certificate exactly as
``exactmin verify`` does (the document ``check --certificate`` writes, routed to the kernel of its claim), and
compares the verdict, the listed readings and any recorded values with the expectation.  In the package's scripts
the expectation is what the paper predicts on that instance — or, where the published statement fails, the
refutation we found (recorded in the README's findings).  :func:`pytest_cases` makes one pytest test per case.
"""
from __future__ import annotations

import importlib.util
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from .claims import base
from .data.io import load_instance
from .errors import InputError


@dataclass(frozen=True)
class Case:
    claim: str
    instance: str | None               # bundled instance name or a file path; None for an instance-free claim
    expect: str                        # expected overall verdict
    values: dict = field(default_factory=dict)   # expected exact values ("p/q" strings)
    options: dict = field(default_factory=dict)
    label: str = ""                    # the paper's equation/theorem label this case checks
    readings: dict = field(default_factory=dict)  # expected verdict per reading (those listed)


@dataclass
class Outcome:
    case: Case
    verdict: str
    kernel_ok: bool
    kernel_reason: str
    seconds: float
    mismatches: list

    @property
    def ok(self) -> bool:
        return self.kernel_ok and self.verdict == self.case.expect and not self.mismatches


def _instance_path(name: str) -> Path:
    from .cli import _resolve_instance
    return _resolve_instance(name)


def run_case(case: Case) -> Outcome:
    """Check, write the certificate as ``check --certificate`` does, verify it as ``verify`` does, compare."""
    import json

    from .certify import routing
    from .certify.write_v2 import document
    t0 = time.perf_counter()
    path = _instance_path(case.instance) if case.instance is not None else None
    inst = load_instance(path) if path is not None else None
    cert = base.get(case.claim).check(inst, **case.options)
    doc = json.loads(json.dumps(document(cert)), object_pairs_hook=routing.K.driver._pairs)
    ok, why = routing.verify_document(doc, instances=routing.load_instances(path) if path else (None, None))
    mism = [f"{k}: expected {v}, got {cert.values.get(k)}" for k, v in case.values.items()
            if cert.values.get(k) != v]
    mism += [f"reading {k}: expected {v}, got {cert.readings.get(k, {}).get('verdict')}"
             for k, v in case.readings.items() if cert.readings.get(k, {}).get("verdict") != v]
    return Outcome(case, cert.verdict, ok, why, time.perf_counter() - t0, mism)


def case_id(case: Case) -> str:
    """A readable pytest id: claim, instance, label and options (what distinguishes two cases)."""
    parts = [case.claim, Path(case.instance).stem if case.instance else "-"]
    if case.label:
        parts.append(case.label)
    parts += [f"{k}={v}" for k, v in sorted(case.options.items())]
    return " ".join(str(p) for p in parts)


def pytest_cases(cases):
    """One pytest test per case: ``test_mine = pytest_cases(load_cases("cases.toml"))`` in a test module."""
    import pytest

    @pytest.mark.parametrize("case", list(cases), ids=case_id)
    def test_case(case):
        o = run_case(case)
        assert o.ok, describe(o)
    return test_case


_CASE_KEYS = {"claim", "instance", "expect", "readings", "values", "options", "label"}
_VERDICT_WORDS = ("proved", "refuted", "hypotheses-fail", "undecided")


def load_cases(path) -> list[Case]:
    """Cases from a TOML (``[[case]]`` tables) or JSON (a list of objects, or ``{"case": [...]}``) file.

    Keys: ``claim``, ``instance`` (a path relative to the file, or a bundled name), ``expect`` (overall verdict),
    optional ``readings`` {name: verdict}, ``values`` {name: "p/q"}, ``options`` {name: value}, ``label``.
    Unknown keys, claims, options or verdict words raise :class:`InputError` (one line) before anything runs."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise InputError(f"{path}: cannot read ({type(e).__name__})") from None
    try:
        if path.suffix == ".toml":
            import tomllib
            data = tomllib.loads(raw.decode("utf-8"))
        else:
            import json
            data = json.loads(raw.decode("utf-8"))
    except Exception as e:                      # noqa: BLE001 — any parse failure is bad input, one line
        raise InputError(f"{path}: not valid {'TOML' if path.suffix == '.toml' else 'JSON'} "
                         f"({type(e).__name__}: {str(e).splitlines()[0][:80] if str(e) else ''})") from None
    rows = data.get("case") if isinstance(data, dict) else data
    if not isinstance(rows, list) or not rows:
        raise InputError(f"{path}: expected a list of cases ([[case]] tables in TOML)")
    from .cli import _check_option_names, _claim_options
    out = []
    for i, r in enumerate(rows):
        where = f"{path}: case {i + 1}"
        if not isinstance(r, dict):
            raise InputError(f"{where}: not a table")
        bad = sorted(set(r) - _CASE_KEYS)
        if bad:
            raise InputError(f"{where}: unknown key {bad[0]!r} (keys: {', '.join(sorted(_CASE_KEYS))})")
        if "claim" not in r or "expect" not in r:
            raise InputError(f"{where}: needs 'claim' and 'expect'")
        c = base.get(str(r["claim"]))
        words = [r["expect"], *dict(r.get("readings") or {}).values()]
        wrong = [w for w in words if w not in _VERDICT_WORDS]
        if wrong:
            raise InputError(f"{where}: {wrong[0]!r} is not a verdict ({', '.join(_VERDICT_WORDS)})")
        inst = r.get("instance")
        if c.needs_instance:
            if not isinstance(inst, str):
                raise InputError(f"{where}: {c.id} needs an 'instance'")
            p = (path.parent / inst)
            inst = str(p) if p.exists() else inst          # else a bundled name, resolved when run
        else:
            inst = None
        opts = {str(k).replace("-", "_"): str(v) if not isinstance(v, int) or isinstance(v, bool) else v
                for k, v in dict(r.get("options") or {}).items()}
        _check_option_names([c], opts)
        out.append(Case(c.id, inst, r["expect"], values={k: str(v) for k, v in dict(r.get("values") or {}).items()},
                        options=_claim_options(c, opts), label=str(r.get("label", "")),
                        readings=dict(r.get("readings") or {})))
    return out


def describe(o: Outcome) -> str:
    if o.ok:
        return "ok"
    if not o.kernel_ok:
        return f"KERNEL REJECTED: {o.kernel_reason}"
    if o.verdict != o.case.expect:
        return f"expected {o.case.expect}"
    return "; ".join(o.mismatches)


def assert_cases(cases) -> None:
    """pytest entry point: every case must match its expectation and pass the kernel."""
    bad = [(c.claim, c.instance, describe(o)) for c in cases for o in [run_case(c)] if not o.ok]
    assert not bad, bad


def main(cases) -> int:
    """Run the cases of one script standalone; print a PASS/FAIL log; exit 0 iff all pass (141, quietly, when
    stdout is closed early, as in ``python -m exactmin.proofs.prove_deep_thm2_3 | head -1``)."""
    from .cli import stdout_closed
    status = 0
    try:
        for c in cases:
            o = run_case(c)
            print(f"{'PASS' if o.ok else 'FAIL'}  {c.claim:<18} {c.label:<22} {c.instance or '-':<28} "
                  f"{o.verdict:<16} {o.seconds:6.2f}s  {describe(o)}", flush=True)
            status |= not o.ok
    except BrokenPipeError:
        return stdout_closed()
    return status


def default_proofs_dir() -> Path:
    """The package's own proof scripts (``exactmin/proofs``: shipped with every install, not looked up in the
    current directory)."""
    return Path(__file__).resolve().parent / "proofs"


def load_scripts(directory: Path):
    """Import every prove_*.py of ``directory`` and return [(script name, CASES)]."""
    out = []
    for path in sorted(directory.glob("prove_*.py")):
        spec = importlib.util.spec_from_file_location(f"exactmin_proofs.{path.stem}", path)
        mod = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = mod
        spec.loader.exec_module(mod)
        out.append((path.name, list(getattr(mod, "CASES", []))))
    return out
