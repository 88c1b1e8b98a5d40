"""A one-line progress bar on stderr with rows/s and ETA; silent when stderr is not a terminal."""
from __future__ import annotations

import sys
import time


class Progress:
    def __init__(self, total: int, enabled: bool | None = None, stream=None, every: float = 0.25) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.total, self.every = max(total, 1), every
        self.start = self.last = time.monotonic()
        self.rows = 0
        self.done = 0  # units of `total` (bytes read, or Parquet rows)

    def update(self, rows: int, done: int) -> None:
        self.rows, self.done = rows, done
        now = time.monotonic()
        if self.enabled and now - self.last >= self.every:
            self.last = now
            self.stream.write("\r" + self.line(now) + "\x1b[K")
            self.stream.flush()

    def line(self, now: float) -> str:
        elapsed = max(now - self.start, 1e-9)
        share = min(self.done / self.total, 1.0)
        eta = elapsed * (1 - share) / share if share > 0 else 0.0
        bar = "#" * int(share * 24)
        return (f"[{bar:<24}] {share:4.0%} {self.rows:,} rows  {self.rows / elapsed:,.0f} rows/s  "
                f"ETA {_clock(eta)}")

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    h, rest = divmod(seconds, 3600)
    return f"{h}:{rest // 60:02d}:{rest % 60:02d}" if h else f"{rest // 60}:{rest % 60:02d}"
