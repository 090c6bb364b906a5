"""A progress bar for long batches: drawn on a terminal only, and only once the work has
taken longer than a second (short runs stay quiet, logs stay clean). Where the total is
not known in advance (inputs read as they are rendered), a count and a rate instead."""
from __future__ import annotations

import time
from typing import TextIO

from .console import safe

_WIDTH = 30


class Progress:
    def __init__(self, total: int | None, stream: TextIO, delay: float = 1.0):
        self.total, self.stream, self.done = total, stream, 0
        self._start = time.monotonic()
        self._delay = delay
        self._shown = False
        self._live = total != 0 and getattr(stream, "isatty", lambda: False)()

    def step(self, label: str, count: int = 1) -> None:
        """Count units of work as done, and redraw when it is time to."""
        self.done += count
        elapsed = time.monotonic() - self._start
        if self._live and elapsed >= self._delay:
            if self.total:
                filled = _WIDTH * self.done // self.total
                shown = "█" * filled + "·" * (_WIDTH - filled) + f" {self.done}/{self.total}"
            else:
                shown = f"{self.done} done, {self.done / elapsed:.1f}/s".ljust(_WIDTH + 8)
            self.stream.write(f"\r{shown} {safe(label[:40]):<40}")
            self.stream.flush()
            self._shown = True

    def close(self) -> None:
        if self._shown:
            self.stream.write("\r" + " " * (_WIDTH + 50) + "\r")
            self.stream.flush()
