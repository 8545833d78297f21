#!/usr/bin/env python3
"""Benchmark of ``exactmin sweep`` (issue 20): claim runs per second per core, 1 vs 2 local workers, and a dask
LocalCluster with 2 worker processes against the local pool (same rows asserted).

    PYTHONPATH=. python3 scripts/bench_sweep.py [--seeds 20] [--no-dask]

Family: deep paper, Q in {2, 3, 4}, 5..25 points per class (N <= 100), margins 1/2 and 1/8; claims deep.thm2.3,
deep.eq2.66, deep.eq2.68, deep.eq2.61, deep.hypotheses (5 claim runs per instance; instance generation included).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from exactmin.sweep.output import comparable, read_rows  # noqa: E402
from exactmin.sweep.run import run_sweep  # noqa: E402
from exactmin.sweep.spec import parse_spec_text  # noqa: E402

SPEC = """
seed = {seed}
[family]
q = [2, 3, 4]
per_class = [5, 12, 25]
margin = ["1/2", "1/8"]
seeds = {seeds}
[[claims]]
ids = ["deep.thm2.3", "deep.eq2.66", "deep.eq2.68", "deep.eq2.61", "deep.hypotheses"]
"""


def bench(spec, d: Path, name: str, **kw):
    out = d / f"{name}.jsonl"
    t0 = time.perf_counter()
    run_sweep(spec, out, quiet=True, **kw)
    dt = time.perf_counter() - t0
    rows = read_rows(out)
    runs = len({(r["key"], r["claim"]) for r in rows})
    return dt, runs, [comparable(r) for r in rows]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=20, help="instances per grid cell (18 cells)")
    ap.add_argument("--seed", type=int, default=2750419)
    ap.add_argument("--no-dask", action="store_true")
    a = ap.parse_args()
    spec = parse_spec_text(SPEC.format(seed=a.seed, seeds=a.seeds))
    with tempfile.TemporaryDirectory() as td:
        d = Path(td)
        t1, runs, r1 = bench(spec, d, "j1", jobs=1)
        print(f"local pool, 1 worker : {runs} claim runs in {t1:6.2f} s = {runs / t1:6.1f} runs/s/core")
        t2, _, r2 = bench(spec, d, "j2", jobs=2)
        print(f"local pool, 2 workers: {runs} claim runs in {t2:6.2f} s = {runs / t2:6.1f} runs/s "
              f"({runs / t2 / 2:5.1f}/s/core), speed-up {t1 / t2:4.2f}")
        assert r1 == r2, "1 vs 2 workers differ"
        if not a.no_dask:
            from dask.distributed import Client, LocalCluster
            with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                              silence_logs=40) as cl, Client(cl) as client:
                client.run(lambda: __import__("exactmin.claims.base", fromlist=["x"]).load_all() and None)
                t3, _, r3 = bench(spec, d, "dask", scheduler=client)
            print(f"dask LocalCluster, 2 : {runs} claim runs in {t3:6.2f} s = {runs / t3:6.1f} runs/s "
                  f"({runs / t3 / 2:5.1f}/s/core); rows identical to the pool: {r3 == r1}")
            assert r3 == r1, "dask vs pool differ"
    return 0


if __name__ == "__main__":
    sys.exit(main())
