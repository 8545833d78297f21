"""Both cores for work that splits into independent blocks (issue 18: "blocks of points processed in parallel
where the work is per point, with the result independent of the number of workers").

:func:`run_blocks` calls ``work(i)`` for every block ``i``: this process takes the first blocks, one forked helper
process the rest.  The blocks write their results into arrays from :func:`shared_empty` (anonymous shared memory,
the same pages in both processes), so nothing is pickled and the result does not depend on who computed which
block.  If the helper fails in any way (an exception, a signal, no ``fork`` on this platform), this process
computes its blocks too: a helper can make the work faster, never different.

When a second process is not used: ``jobs`` is 1 (the ``EXACTMIN_JOBS`` environment variable, or
:data:`JOBS` set by the command line inside its own ``--jobs`` workers, so two levels of workers never share two
cores), the work is small (:data:`MIN_BYTES`), the platform is not Linux (macOS system libraries are not safe to use
after a fork; Windows has none), or other Python threads are running (a fork copies only the calling thread, and a
lock held by another one would stay locked in the helper).
"""
from __future__ import annotations

import mmap
import os
import sys
import threading

import numpy as np

__all__ = ["JOBS", "MIN_BYTES", "jobs", "parallel", "shared_empty", "run_blocks"]

#: the number of processes for block work; None: the EXACTMIN_JOBS environment variable, else min(2, cpu count)
JOBS: int | None = None
#: below this many bytes of data a helper process costs more than it saves (a fork of a large process: ~10 ms)
MIN_BYTES = 1 << 23


def jobs() -> int:
    if JOBS is not None:
        return JOBS
    env = os.environ.get("EXACTMIN_JOBS", "")
    if env.isdigit() and int(env) >= 1:
        return min(int(env), 2)
    return min(2, os.cpu_count() or 1)


def _usable(nbytes: int, min_bytes: int) -> bool:
    return (jobs() >= 2 and nbytes >= min_bytes and sys.platform.startswith("linux") and hasattr(os, "fork")
            and threading.active_count() == 1)


def shared_empty(n: int, dtype, shared: bool = True) -> np.ndarray:
    """An uninitialised array of ``n`` items, in anonymous shared memory when ``shared`` (a forked helper's writes
    are seen here); an ordinary array otherwise."""
    dtype = np.dtype(dtype)
    if not shared or n == 0:
        return np.empty(n, dtype=dtype)
    buf = mmap.mmap(-1, n * dtype.itemsize)
    return np.frombuffer(buf, dtype=dtype, count=n)


def parallel(nbytes: int) -> bool:
    """Whether :func:`run_blocks` should use a helper for work on ``nbytes`` bytes of data (callers allocate their
    outputs with ``shared_empty(..., shared=parallel(...))``)."""
    return _usable(nbytes, MIN_BYTES)


def run_blocks(n: int, work, use_helper: bool, split: int | None = None) -> None:
    """``work(i)`` for i in range(n): blocks ``split..n-1`` (default: the second half) in a forked helper when
    ``use_helper`` (from :func:`parallel`), the others here.  ``work`` must write only into :func:`shared_empty`
    arrays; its return value is ignored.  An exception raised here is raised after the helper has ended."""
    split = n // 2 if split is None else split
    if not use_helper or split >= n or not _usable(1, 0):
        for i in range(n):
            work(i)
        return
    pid = os.fork()
    if pid == 0:                                  # the helper: its blocks, then exit without running any cleanup
        status = 1
        try:
            for i in range(split, n):
                work(i)
            status = 0
        finally:
            os._exit(status)
    try:
        for i in range(split):
            work(i)
    finally:
        _, st = os.waitpid(pid, 0)
    if not (os.WIFEXITED(st) and os.WEXITSTATUS(st) == 0):
        for i in range(split, n):                 # the helper failed: the same blocks, here
            work(i)
