"""Run one sweep task in-process: build the instance, run each claim (the API of ``exactmin check``), emit rows."""
from __future__ import annotations

import decimal
import hashlib
import json
import time
from fractions import Fraction
from pathlib import Path


def short_decimal(s: str) -> str:
    """A 6-significant-digit decimal of an exact value string (exact big-integer Decimal division, no float)."""
    try:
        f = Fraction(s)
    except (ValueError, ZeroDivisionError, TypeError):
        return ""
    with decimal.localcontext() as ctx:
        ctx.prec = 6
        ctx.Emax, ctx.Emin = decimal.MAX_EMAX, decimal.MIN_EMIN
        return format(decimal.Decimal(f.numerator) / decimal.Decimal(f.denominator), "g")


def build_instance(params: dict):
    """The instance of a task: a file, or the paper's generator with the task's derived seed."""
    if "file" in params:
        from ..data.io import load_instance
        return load_instance(Path(params["file"]))
    per = params["per_class"]
    per = list(per) if isinstance(per, (list, tuple)) else per
    margin = Fraction(params["margin"])
    if params["paper"] == "deep":
        from ..data.generate import generate_deep
        v = None if params["violate"] == "none" else params["violate"]
        return generate_deep(params["q"], per, params["seed"], margin=margin,
                             denominator=params["denominator"], violate=v)
    from ..data.generate_shallow import generate_shallow
    return generate_shallow(params["q"], params["m"], per, params["seed"], margin=margin,
                            denominator=params["denominator"])


def _cert_name(key: str, claim: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:16] + "_" + claim.replace(".", "_") + ".json"


def run_task(task, cert_dir: str | None = None) -> list[dict]:
    """Rows (one per claim × reading) of one task; an error of the generator or a claim becomes an ``error`` row."""
    from ..claims import base
    from ..errors import ExactminError
    params = task.param_dict()
    rows = []
    t0 = time.perf_counter()
    try:
        inst = build_instance(params)
        err = None
    except ExactminError as e:
        inst, err = None, f"instance: {e}"
    gen_s = time.perf_counter() - t0
    for cid, opts in task.claims:
        base_row = {"key": task.key, "params": params, "claim": cid, "options": dict(opts)}
        if inst is None:
            rows.append(dict(base_row, reading="*", verdict="error", reason=err, values={}, seconds=0.0))
            continue
        claim = base.get(cid)
        t1 = time.perf_counter()
        try:
            cert = claim.check(inst, **dict(opts))
        except ExactminError as e:
            rows.append(dict(base_row, reading="*", verdict="error", reason=str(e), values={},
                             seconds=round(time.perf_counter() - t1, 6)))
            continue
        dt = time.perf_counter() - t1
        cpath = None
        if cert_dir:
            from ..certify.write_v2 import document
            cpath = str(Path(cert_dir) / _cert_name(task.key, cid))
            tmp = cpath + ".tmp"
            Path(tmp).write_text(json.dumps(document(cert), indent=1) + "\n")
            Path(tmp).replace(cpath)
        vals = {k: {"exact": str(v), "approx": short_decimal(str(v))} for k, v in (cert.values or {}).items()}
        for name, r in cert.readings.items():
            row = dict(base_row, reading=name, verdict=r["verdict"], reason=r.get("reason", ""), values=vals,
                       seconds=round(dt, 6), generate_seconds=round(gen_s, 6))
            if cpath:
                row["certificate"] = cpath
            rows.append(row)
    return rows
