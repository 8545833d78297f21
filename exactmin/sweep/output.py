"""The JSONL result file: read finished tasks (resume), append a task's rows, final sorted rewrite."""
from __future__ import annotations

import json
from pathlib import Path


def read_rows(path: Path) -> list[dict]:
    """Rows of complete tasks only (a task is complete when all its ``task_rows`` rows are present); a torn last
    line from a killed run is dropped."""
    if not path.exists():
        return []
    rows = []
    with path.open() as f:
        for line in f:
            try:
                r = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(r, dict) and "key" in r and "task_rows" in r:
                rows.append(r)
    count = {}
    for r in rows:
        count[r["key"]] = count.get(r["key"], 0) + 1
    return [r for r in rows if count[r["key"]] == r["task_rows"]]


def sort_rows(rows: list[dict]) -> list[dict]:
    """Sorted by task key, then by the row's position in its task (claim order of the SPEC, reading order)."""
    return sorted(rows, key=lambda r: (r["key"], r["row"]))


def write_all(path: Path, rows: list[dict]) -> None:
    """Atomic rewrite (tmp + rename)."""
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w") as f:
        for r in rows:
            f.write(json.dumps(r, sort_keys=True) + "\n")
    tmp.replace(path)


class Appender:
    """Appends the rows of one task in a single write, flushed, so a stop loses at most the task in flight."""

    def __init__(self, path: Path):
        self.f = path.open("a")

    def add(self, rows: list[dict]) -> None:
        n = len(rows)
        text = "".join(json.dumps(dict(r, row=i, task_rows=n), sort_keys=True) + "\n" for i, r in enumerate(rows))
        self.f.write(text)
        self.f.flush()             # survives Ctrl-C or a killed process (not a power cut: no fsync)

    def close(self) -> None:
        self.f.close()


def comparable(row: dict) -> dict:
    """A row without its timings and file paths: what must agree across backends and job counts."""
    return {k: v for k, v in row.items() if k not in ("seconds", "generate_seconds", "certificate")}
