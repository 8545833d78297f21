"""``exactmin sweep``: run a SPEC's tasks, stream rows to JSONL, resume, stop cleanly on Ctrl-C."""
from __future__ import annotations

import json
from pathlib import Path

from ..errors import InputError
from .output import Appender, read_rows, sort_rows, write_all
from .progress import SweepProgress


def _check_same_spec(spec, rows: list[dict], out: Path) -> None:
    """Resume only into a file of the same SPEC: every kept row's task key and (claim, options) must be the SPEC's
    (else a changed SPEC would silently mix or drop rows)."""
    claims = {t.key: {(c, json.dumps(dict(o), sort_keys=True)) for c, o in t.claims} for t in spec.tasks}
    for r in rows:
        if (r["claim"], json.dumps(r.get("options", {}), sort_keys=True)) not in claims.get(r["key"], ()):
            raise InputError(f"{out}: holds rows of another SPEC ({r['claim']} on {r['key'][:60]}); "
                             "use another output file")


def _complete(spec, rows: list[dict]) -> set:
    """Task keys whose rows cover every claim of the task."""
    have: dict = {}
    for r in rows:
        have.setdefault(r["key"], set()).add(r["claim"])
    return {t.key for t in spec.tasks if have.get(t.key) == {c for c, _ in t.claims}}


def run_sweep(spec, out, jobs: int | None = None, scheduler=None, cert_dir=None, quiet: bool = False) -> dict:
    """Run the tasks of ``spec`` not yet in ``out``; returns {"tasks", "skipped", "ran", "interrupted"}.

    ``scheduler``: a Dask address (or a dask Client, for tests); else a local pool of ``jobs`` workers."""
    from .backends import DaskBackend, LocalPool, default_jobs
    out = Path(out)
    if not out.parent.is_dir():
        raise InputError(f"{out}: directory {out.parent} does not exist")
    if cert_dir is not None:
        cert_dir = str(Path(cert_dir).resolve())
        if not Path(cert_dir).is_dir():
            raise InputError(f"--certificates {cert_dir}: not a directory")
    old = read_rows(out)
    _check_same_spec(spec, old, out)
    done = _complete(spec, old)
    old = [r for r in old if r["key"] in done]     # an instance short of a claim added to the SPEC is rerun
    if out.exists():
        write_all(out, sort_rows(old))        # drop torn lines and incomplete instances before appending
    todo = [t for t in spec.tasks if t.key not in done]
    bar = SweepProgress(len(spec.tasks), len(done), enabled=not quiet)
    interrupted = False
    backend = None
    app = Appender(out)
    try:
        if todo:
            backend = DaskBackend(scheduler) if scheduler is not None else LocalPool(jobs or default_jobs())
            for rows in backend.run(todo, cert_dir):
                app.add(rows)
                bar.update(rows)
    except KeyboardInterrupt:
        interrupted = True
    finally:
        app.close()
        if backend is not None:
            backend.close(abort=interrupted)
        bar.close()
    if not interrupted:
        write_all(out, sort_rows(read_rows(out)))
    return {"tasks": len(spec.tasks), "skipped": len(done), "ran": bar.done - len(done),
            "interrupted": interrupted}
