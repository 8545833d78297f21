"""The same SPEC on a dask LocalCluster (two worker processes) gives the same rows as the local pool (issue 20)."""
from pathlib import Path

import pytest

from exactmin.sweep.output import comparable, read_rows
from exactmin.sweep.run import run_sweep
from exactmin.sweep.spec import parse_spec_text

distributed = pytest.importorskip("dask.distributed")   # in the `test` extra; skipped only where not installed

SPEC = """
seed = 3318742
[family]
q = [2, 4]
per_class = [3, 6]
margin = ["1/3", "1/2"]
seeds = 3
[[claims]]
ids = ["deep.thm2.3", "deep.eq2.66"]
"""


@pytest.mark.slow
def test_localcluster_matches_pool(tmp_path):
    spec = parse_spec_text(SPEC)
    run_sweep(spec, tmp_path / "pool.jsonl", jobs=2, quiet=True)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=40) as cluster, distributed.Client(cluster) as client:
        res = run_sweep(spec, tmp_path / "dask.jsonl", scheduler=client, quiet=True)
    assert res["ran"] == len(spec.tasks) == 24
    a = [comparable(r) for r in read_rows(tmp_path / "pool.jsonl")]
    b = [comparable(r) for r in read_rows(tmp_path / "dask.jsonl")]
    from exactmin.claims import base
    per_instance = sum(len(base.get(c).readings) for c in ("deep.thm2.3", "deep.eq2.66"))
    assert a == b and len(a) == 24 * per_instance
