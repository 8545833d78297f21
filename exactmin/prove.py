"""Proof scripts: recorded expectations per (claim, instance), run by ``exactmin prove`` and by pytest.

A script in ``exactmin/proofs/`` (a subpackage, so it ships with every install) declares ``CASES = [Case(...), ...]``; every case runs the claim's check on a
bundled instance, re-checks the certificate with the kernel, and compares the verdict (and any recorded
values) with the expectation.  The expectation is what the paper predicts on that instance — or, where the
published statement fails, the refutation we found (recorded in the README's findings).
"""
from __future__ import annotations

import importlib.util
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from .certify import kernel
from .claims import base
from .data.bundled import bundled
from .data.io import load_instance


@dataclass(frozen=True)
class Case:
    claim: str
    instance: str | None               # bundled instance name (file stem); None for an instance-free claim
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


def run_case(case: Case) -> Outcome:
    t0 = time.perf_counter()
    path = bundled(case.instance) if case.instance is not None else None
    inst = load_instance(path) if path is not None else None
    cert = base.get(case.claim).check(inst, **case.options)
    doc = cert.to_json()
    ok, why = kernel.verify(doc, path)
    mism = [f"{k}: expected {v}, got {doc['values'].get(k)}" for k, v in case.values.items()
            if doc["values"].get(k) != v]
    mism += [f"reading {k}: expected {v}, got {doc['readings'].get(k, {}).get('verdict')}"
             for k, v in case.readings.items() if doc["readings"].get(k, {}).get("verdict") != v]
    return Outcome(case, cert.verdict, ok, why, time.perf_counter() - t0, mism)


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
