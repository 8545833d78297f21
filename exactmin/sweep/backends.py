"""Execution backends: a local process pool (workers import exactmin once and take many tasks) or Dask.

Both yield the rows of each task as it completes; order does not matter (the result file is sorted by task key).
"""
from __future__ import annotations

import multiprocessing as mp
import os
import signal


def _init_worker() -> None:
    """Workers ignore Ctrl-C: the parent stops the pool and keeps the finished rows.  The workers share the cores,
    so they start no helper processes for block work (exactmin.cores)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from .. import cores
    cores.JOBS = 1
    from ..claims import base
    base.load_all()


def _run(args):
    from .task import run_task
    task, cert_dir = args
    return run_task(task, cert_dir)


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


class LocalPool:
    def __init__(self, jobs: int):
        self.jobs = jobs
        ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
        self.pool = ctx.Pool(jobs, initializer=_init_worker)

    def run(self, tasks, cert_dir):
        chunk = max(1, min(16, len(tasks) // (self.jobs * 8) or 1))
        yield from self.pool.imap_unordered(_run, [(t, cert_dir) for t in tasks], chunksize=chunk)

    def close(self, abort: bool = False) -> None:
        if abort:
            self.pool.terminate()
        else:
            self.pool.close()
        self.pool.join()


class DaskBackend:
    """dask.distributed on ``address`` (imported lazily: exactmin works without dask)."""

    def __init__(self, address):
        try:
            from dask.distributed import Client
        except ImportError:
            from ..errors import InputError
            raise InputError("--scheduler needs dask.distributed: pip install 'exactmin[sweep]'") from None
        self.client = address if not isinstance(address, str) else Client(address)
        self.own = isinstance(address, str)

    def run(self, tasks, cert_dir):
        from dask.distributed import as_completed
        from .task import run_task
        futs = self.client.map(run_task, tasks, cert_dir=cert_dir, pure=False, batch_size=256)
        self._futs = futs
        for f in as_completed(futs):
            yield f.result()

    def close(self, abort: bool = False) -> None:
        if abort and getattr(self, "_futs", None):
            self.client.cancel(self._futs)
        if self.own:
            self.client.close()
