"""A tiny progress bar on stderr (standard library only).

Drawn only when the stream is a terminal (``isatty()``) and not disabled (``--quiet``/``--json`` pass
``enabled=False``); otherwise every call is a no-op, so scripts and pipes see nothing. One line, redrawn in
place with a carriage return and cleared by :meth:`Progress.close`::

    [#########...........]  9/20  deep.thm2.3 on deep_q3
"""
from __future__ import annotations

import sys
import time

WIDTH = 20          # characters of the bar
LINE = 78           # the whole line is padded/cut to this width


class Progress:
    """``with Progress(total, enabled=...) as bar: bar.step(note)`` -- ``step`` is called before each item."""

    def __init__(self, total: int, enabled: bool | None = None, stream=None, min_interval: float = 0.05):
        self.total = max(int(total), 0)
        self.stream = stream if stream is not None else sys.stderr
        if enabled is None:
            enabled = True
        self.enabled = bool(enabled) and _isatty(self.stream) and self.total > 0
        self.done = 0
        self.min_interval = min_interval
        self._last = 0.0
        self._drawn = False

    def line(self, note: str = "") -> str:
        """The text of the bar after ``self.done`` of ``self.total`` items (without the carriage return)."""
        filled = WIDTH * self.done // self.total if self.total else WIDTH
        bar = "#" * filled + "." * (WIDTH - filled)
        w = len(str(self.total))
        text = f"[{bar}] {self.done:>{w}}/{self.total}  {note}"
        return text[:LINE].ljust(LINE)

    def step(self, note: str = "") -> None:
        """Announce the next item (``note`` names it) and draw the bar for the items finished so far."""
        self._draw(note, force=self.done == 0)
        self.done = min(self.done + 1, self.total)

    def finished(self, note: str = "") -> None:
        """Count one item as finished (``note`` names it) and draw: for items that finish out of order, as
        with parallel workers, where ``step``'s "announce the next one" has no meaning."""
        self.done = min(self.done + 1, self.total)
        self._draw(note, force=self.done == 1)

    def _draw(self, note: str, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._last < self.min_interval:
            return
        self._last = now
        self.stream.write("\r" + self.line(note))
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        if self.enabled and self._drawn:
            self.stream.write("\r" + " " * LINE + "\r")
            self.stream.flush()
            self._drawn = False

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _isatty(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
