#!/usr/bin/env python3
"""The randomized campaign of issue 14, on demand (and in .ci/run with a fixed seed).

    python3 scripts/campaign.py --n N --seed S [--claims 'deep.*' ...] [--jobs J] [--formats json,csv,npz]
                                [--invariance K] [--timeout T] [--flow-every F] [--out DIR] [--json FILE]

Draws N instances (tests/campaign/strategies.py; every F-th one a small instance for the flow claims), runs every
selected claim on each through the Python API, verifies each certificate with the kernel, compares the values with
the independent reference (tests/campaign/reference.py) and the verdicts on K exactly transformed copies
(tests/campaign/runner.py).  Instance-free claims (sym.*) run once per instance with random options.

Prints one row per claim: runs; verdicts (counted over readings); rejected (exit 2); crash (exit 70); timeout;
invalid certificates; reference mismatches; invariance violations; undecided drift under a symmetry (reported, not
a failure); parser disagreements; values compared; invariance runs.  Then the verdicts per reading and one line per
distinct failure with the folder holding its reproducer.  Exit 1 on any crash, timeout, invalid certificate,
mismatch, violation or parser disagreement; 0 otherwise.
"""
from __future__ import annotations

import argparse
import fnmatch
import json
import multiprocessing as mp
import os
import random
import re
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.campaign import runner as R  # noqa: E402
from tests.campaign import strategies as S  # noqa: E402

COLS = ("runs", "proved", "refuted", "hyp-fail", "undecided", "rejected", "crash", "timeout", "invalid", "mismatch",
        "violation", "drift", "parse", "values", "inv-runs")


def select_claims(patterns):
    from exactmin.claims import base
    reg = base.load_all()
    out = []
    for p in patterns:
        hits = [c for c in reg if fnmatch.fnmatchcase(c, p)]
        if not hits:
            raise SystemExit(f"campaign: no claim matches {p!r}")
        out += [h for h in hits if h not in out]
    return out


def instance_seed(seed: int, i: int) -> int:
    return random.Random(f"{seed}:{i}").randrange(2**63)


_CFG = {}


def _init(cfg):
    _CFG.update(cfg)
    _CFG["work"] = tempfile.mkdtemp(prefix=f"campaign-{os.getpid()}-")


def one(i: int) -> dict:
    """Instance i of the campaign: its spec (as JSON) and the outcomes of every selected claim."""
    from exactmin.claims import base
    cfg = _CFG
    rnd = random.Random(instance_seed(cfg["seed"], i))
    claims = cfg["claims"]
    flow_turn = cfg["flow_every"] > 0 and i % cfg["flow_every"] == 0
    inst_claims = [c for c in claims if base.get(c).needs_instance and (c.startswith("flow.") == flow_turn
                                                                           or (flow_turn and not cfg["flow_only"]))]
    if flow_turn and not any(c.startswith("flow.") for c in claims):
        flow_turn = False
        inst_claims = [c for c in claims if base.get(c).needs_instance]
    free = [c for c in claims if not base.get(c).needs_instance]
    spec = S.generate(rnd, flow=flow_turn, formats=cfg["formats"])
    folder = os.path.join(cfg["work"], f"i{i}")
    t0 = time.perf_counter()
    outs = []
    if inst_claims:
        outs = R.run_instance(spec, inst_claims, folder, rnd, invariance=cfg["invariance"],
                              timeout=cfg["timeout"], verify_timeout=cfg["timeout"] * 2)
    if free:                                 # one instance-free claim per instance, in turn, with random options
        outs.append(R.run_instance_free(free[i % len(free)], rnd, timeout=cfg["timeout"]))
    res = {"i": i, "spec": S.to_json_dict(spec), "describe": spec.describe(), "seconds": time.perf_counter() - t0,
           "outcomes": [R.outcome_dict(o) for o in outs], "files": {}}
    if any(R.Outcome(**o).failures() for o in res["outcomes"]):
        for f in os.listdir(folder) if os.path.isdir(folder) else []:
            if f.startswith("base."):
                res["files"][f] = _read_b64(os.path.join(folder, f))
    shutil.rmtree(folder, ignore_errors=True)
    return res


def _read_b64(p):
    import base64
    return base64.b64encode(Path(p).read_bytes()).decode()


def signature(kind: str, o: dict) -> str:
    """A failure's kind and message with numbers and bit strings blanked, to group repeats."""
    msg = {"crash": o["detail"], "timeout": o["detail"], "invalid": o["invalid"],
           "mismatch": "; ".join(sorted({m.split(":")[0] for m in o["mismatches"]})),
           "violation": "; ".join(sorted({v.split(": ", 1)[-1] for v in o["violations"]})),
           "parse": "; ".join(o["parse"])}[kind]
    msg = re.sub(r"\[s=[01]+\]", "[s=*]", msg)
    msg = re.sub(r"-?\d+(/\d+)?", "#", msg)
    msg = re.sub(r"scaling by #", "scaling", msg)
    msg = re.sub(r"class-perm \[[#, ]*\]", "class-perm", msg)
    return f"{o['claim']} {kind}: {msg[:160]}"


def write_repro(out: Path, key: str, res: dict, o: dict, n: int) -> str:
    import base64
    d = out / f"{re.sub(r'[^A-Za-z0-9._-]+', '_', key)[:80]}_{n}"
    d.mkdir(parents=True, exist_ok=True)
    (d / "instance.json").write_text(json.dumps(res["spec"], indent=1) + "\n")
    for name, b in res["files"].items():
        (d / f"original_{name}").write_bytes(base64.b64decode(b))
    if o["repro"].get("transformed"):
        (d / "transformed.json").write_text(json.dumps(o["repro"]["transformed"], indent=1) + "\n")
    opts = " ".join(f"--option {k}={v}" for k, v in o["repro"].get("options", {}).items())
    inst = f"--instance {d}/instance.json" if res["spec"] else ""
    lines = ["#!/bin/sh", f"# {o['claim']}: {key}", f"# {res['describe']}", f"# outcome: {json.dumps(o)[:2000]}",
             f"python3 -m exactmin.cli check {o['claim']} {inst} {opts} --certificate {d}/cert.json",
             f"python3 -m exactmin.cli verify {d}/cert.json {inst}"]
    if o["repro"].get("transformed"):
        lines.append(f"python3 -m exactmin.cli check {o['claim']} --instance {d}/transformed.json {opts}")
    (d / "repro.sh").write_text("\n".join(lines) + "\n")
    return str(d)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=40, help="number of instances")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--claims", nargs="+", default=["*"], help="claim ids or patterns (default: every claim)")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--formats", default="json,csv,npz")
    ap.add_argument("--invariance", type=int, default=1, help="transformed copies per instance")
    ap.add_argument("--timeout", type=float, default=30, help="seconds per claim check (verify: twice that)")
    ap.add_argument("--flow-every", type=int, default=8, help="every F-th instance is a small flow instance")
    ap.add_argument("--out", default=None, help="folder for failing instances (default /tmp/campaign-failures-SEED)")
    ap.add_argument("--json", default=None, help="write every outcome to this file")
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args(argv)
    formats = [f.strip() for f in a.formats.split(",") if f.strip()]
    bad = set(formats) - set(S.FORMATS)
    if bad or not formats:
        ap.error(f"--formats: choose from {','.join(S.FORMATS)}")
    claims = select_claims(a.claims)
    cfg = {"seed": a.seed, "claims": claims, "formats": formats, "invariance": a.invariance, "timeout": a.timeout,
           "flow_every": a.flow_every, "flow_only": True}
    out = Path(a.out or f"/tmp/campaign-failures-{a.seed}")
    t0 = time.time()
    results = []
    if a.jobs > 1:
        with mp.get_context("fork").Pool(a.jobs, initializer=_init, initargs=(cfg,), maxtasksperchild=20) as pool:
            for r in pool.imap_unordered(one, range(a.n)):
                results.append(r)
                if not a.quiet:
                    print(f"\r{len(results)}/{a.n} instances", end="", file=sys.stderr, flush=True)
    else:
        _init(cfg)
        for i in range(a.n):
            results.append(one(i))
            if not a.quiet:
                print(f"\r{len(results)}/{a.n} instances", end="", file=sys.stderr, flush=True)
    if not a.quiet:
        print(file=sys.stderr)
    results.sort(key=lambda r: r["i"])
    return report(results, claims, a, out, time.time() - t0)


def report(results, claims, a, out: Path, elapsed: float) -> int:
    table = {c: Counter() for c in claims}
    per_reading = defaultdict(Counter)
    groups = defaultdict(list)
    for r in results:
        for o in r["outcomes"]:
            t = table[o["claim"]]
            t["runs"] += 1
            for rd, v in o["verdicts"].items():
                t[{"hypotheses-fail": "hyp-fail"}.get(v, v)] += 1
                per_reading[(o["claim"], rd)][v] += 1
            if o["status"] in ("rejected", "crash", "timeout"):
                t[o["status"]] += 1
            t["invalid"] += bool(o["invalid"])
            t["mismatch"] += bool(o["mismatches"])
            t["violation"] += bool(o["violations"])
            t["drift"] += bool(o["drift"])
            t["parse"] += bool(o["parse"])
            t["values"] += o["checked_values"]
            t["inv-runs"] += o["invariance_runs"]
            for kind in R.Outcome(**o).failures():
                groups[signature(kind, o)].append((r, o))
    runs = sum(t["runs"] for t in table.values())
    print(f"campaign: seed {a.seed}, {len(results)} instances, {runs} claim runs "
          f"(+{sum(t['inv-runs'] for t in table.values())} on transformed copies), {elapsed:.0f}s")
    kinds = Counter(r["spec"] and r["describe"].split()[0] for r in results)
    print("instances by kind: " + ", ".join(f"{k.split('=')[1]} {n}" for k, n in sorted(kinds.items())))
    w = max(len(c) for c in claims)
    print(f"{'claim':<{w}}  " + " ".join(f"{c:>9}" for c in COLS))
    for c in claims:
        t = table[c]
        print(f"{c:<{w}}  " + " ".join(f"{t[k]:>9}" for k in COLS))
    print("\nverdicts per reading (proved / refuted / hypotheses-fail / undecided):")
    for (c, rd), n in sorted(per_reading.items()):
        print(f"  {c:<{w}} {rd:<28} {n['proved']:>5} {n['refuted']:>5} {n['hypotheses-fail']:>5} {n['undecided']:>5}")
    rejected = Counter()
    for r in results:
        for o in r["outcomes"]:
            if o["status"] == "rejected":
                rejected[f"{o['claim']}: {re.sub(r'-?[0-9]+', '#', o['detail'])[:120]}"] += 1
    if rejected:
        print("\nrejected as bad input (exit 2):")
        for k, n in rejected.most_common():
            print(f"  {n:>5}  {k}")
    if groups:
        if out.exists():
            shutil.rmtree(out)
        print(f"\n{len(groups)} distinct failures (reproducers under {out}):")
        for key, items in sorted(groups.items(), key=lambda kv: -len(kv[1])):
            paths = [write_repro(out, key, r, o, n) for n, (r, o) in enumerate(items[:3])]
            r, o = items[0]
            ex = {"crash": o["detail"], "timeout": o["detail"], "invalid": o["invalid"]}.get(
                key.split(": ")[0].split()[-1], "; ".join((o["mismatches"] + o["violations"] + o["parse"])[:2]))
            print(f"  {len(items):>5}x {key}\n         e.g. {ex[:240]}\n         on {r['describe']}\n"
                  f"         repro: sh {paths[0]}/repro.sh")
    if a.json:
        Path(a.json).write_text(json.dumps(results, indent=0))
    failed = sum(table[c][k] for c in claims for k in ("crash", "timeout", "invalid", "mismatch", "violation",
                                                          "parse"))
    print(f"\n{'FAILED' if failed else 'passed'}: {failed} failing claim runs")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
