"""Progress on stderr: tasks done / total, rate, ETA and per-verdict counts, at most every 0.5 s."""
from __future__ import annotations

import sys
import time


class SweepProgress:
    def __init__(self, total: int, done: int = 0, enabled: bool = True, stream=None):
        self.total, self.done, self.enabled = total, done, enabled
        self.start_done = done
        self.t0 = time.monotonic()
        self.last = 0.0
        self.counts: dict[str, int] = {}
        self.runs = 0
        self.stream = stream or sys.stderr

    def update(self, rows: list[dict]) -> None:
        self.done += 1
        self.runs += len({r["claim"] for r in rows})
        for r in rows:
            self.counts[r["verdict"]] = self.counts.get(r["verdict"], 0) + 1
        now = time.monotonic()
        if self.enabled and (now - self.last >= 0.5 or self.done == self.total):
            self.last = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        el = max(now - self.t0, 1e-9)
        rate = (self.done - self.start_done) / el
        eta = (self.total - self.done) / rate if rate > 0 else float("inf")
        eta_s = f"{eta:5.0f}s" if eta != float("inf") else "    ?"
        counts = " ".join(f"{k}={v}" for k, v in sorted(self.counts.items()))
        self.stream.write(f"\rsweep {self.done}/{self.total} instances  {rate:6.1f}/s  "
                          f"{self.runs / el:6.1f} claim runs/s  ETA {eta_s}  {counts}\x1b[K")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self._draw(time.monotonic())
            self.stream.write("\n")
            self.stream.flush()
