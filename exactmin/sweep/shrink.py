"""Counterexample shrinking: from a refuted (claim, reading) row of a generated family, greedily reduce the
instance (fewer classes, fewer points, fewer binary digits) while the reading stays refuted; then write the
instance and its certificate and verify the certificate with the kernel (the code path of ``exactmin verify``)."""
from __future__ import annotations

import json
from pathlib import Path

from ..errors import ExactminError, InputError
from .task import build_instance


def _refuted(params: dict, claim, reading: str, opts: dict):
    """(instance, certificate) if the reading is refuted on the instance of ``params``, else None."""
    try:
        inst = build_instance(params)
        cert = claim.check(inst, **opts)
    except ExactminError:
        return None
    r = cert.readings.get(reading)
    return (inst, cert) if r and r["verdict"] == "refuted" else None


def _size(params: dict) -> tuple:
    per = params["per_class"]
    n = sum(per) if isinstance(per, list) else per * params["q"]
    return (params["q"], n, params["denominator"])


def _candidates(p: dict):
    """Smaller neighbours of ``p``: one class fewer, one point fewer in one class, half the denominator."""
    q, per = p["q"], p["per_class"]
    sizes = list(per) if isinstance(per, list) else [per] * q
    if q > 2:
        yield dict(p, q=q - 1, per_class=sizes[:-1])
    for j in range(q):
        if sizes[j] > 2:
            yield dict(p, per_class=sizes[:j] + [sizes[j] - 1] + sizes[j + 1:])
    if p["denominator"] >= 4:
        yield dict(p, denominator=p["denominator"] // 2)


def shrink(params: dict, claim_id: str, reading: str, opts: dict | None = None, max_steps: int = 200):
    """Greedy descent; returns (params, instance, certificate, steps) of a locally minimal refuting instance."""
    from ..claims import base
    if "file" in params:
        raise InputError("sweep-shrink: only generated instances can be shrunk")
    claim, opts = base.get(claim_id), dict(opts or {})
    hit = _refuted(params, claim, reading, opts)
    if hit is None:
        raise InputError(f"sweep-shrink: {claim_id} [{reading}] is not refuted on this instance")
    cur, steps = dict(params), 0
    while steps < max_steps:
        for cand in _candidates(cur):
            h = _refuted(cand, claim, reading, opts)
            if h is not None and _size(cand) < _size(cur):
                cur, hit, steps = cand, h, steps + 1
                break
        else:
            break
    return cur, hit[0], hit[1], steps


def write_and_verify(inst, cert, outdir: Path, stem: str) -> tuple[Path, Path, bool, str]:
    """Write stem.json (instance) and stem.cert.json; verify through exactmin.certify.routing (as ``verify``)."""
    from ..certify import routing
    from ..certify.write_v2 import document
    from ..data.io import write_instance
    ipath, cpath = outdir / f"{stem}.json", outdir / f"{stem}.cert.json"
    write_instance(inst, ipath)
    cpath.write_text(json.dumps(document(cert), indent=1) + "\n")
    doc = json.loads(cpath.read_text(), object_pairs_hook=routing.K.driver._pairs)
    ok, why = routing.verify_document(doc, instances=routing.load_instances(ipath))
    return ipath, cpath, ok, why


def cmd_sweep_shrink(args) -> int:
    """Shrink the first refuted row of (claim, reading) in a sweep's results; exit 0 iff its certificate verifies."""
    from .output import read_rows
    rows = [r for r in read_rows(Path(args.results)) if r["claim"] == args.claim and r["reading"] == args.reading
            and r["verdict"] == "refuted" and "file" not in r["params"]]
    if not rows:
        raise InputError(f"sweep-shrink: no refuted generated row for {args.claim} [{args.reading}]")
    outdir = Path(args.output)
    if not outdir.is_dir():
        raise InputError(f"sweep-shrink: {outdir} is not a directory")
    row = rows[0]
    params = {k: v for k, v in row["params"].items() if k != "index"}
    p, inst, cert, steps = shrink(params, args.claim, args.reading, row.get("options"))
    stem = f"{args.claim.replace('.', '_')}_{args.reading.replace('>', 'gt').replace('=', 'eq')}_min"
    ipath, cpath, ok, why = write_and_verify(inst, cert, outdir, stem)
    print(f"from {row['key']}: {steps} shrink steps -> q={p['q']}, per_class={p['per_class']}, "
          f"denominator={p['denominator']}")
    print(f"wrote {ipath}\nwrote {cpath}\n" + ("valid: " if ok else "INVALID: ") + why)
    return 0 if ok else 1
