"""Sweeps: run claims over a family of instances (issue 20).

spec.py parses a SPEC (TOML) into tasks; task.py runs one task in-process; run.py executes tasks on a local
process pool or a Dask cluster and streams JSONL rows; summary.py tabulates a result file.
"""
