"""``exactmin sweep``: run a SPEC's tasks, stream rows to JSONL, resume, stop cleanly on Ctrl-C."""
from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from .output import Appender, read_rows, sort_rows, write_all
from .progress import SweepProgress


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
    want = {t.key for t in spec.tasks}
    old = [r for r in read_rows(out) if r["key"] in want]
    done = {r["key"] for r in old}
    if out.exists():
        write_all(out, sort_rows(old))        # drop torn lines and rows of other SPECs before appending
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
