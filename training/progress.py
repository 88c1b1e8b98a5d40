"""Progress of long training work: the fits done, elapsed time and an ETA.

On a terminal, one line rewritten every second (a fit takes minutes, and a silent terminal looks
hung); otherwise, as in CI logs or a pipe, one line when each fit starts and ends. The ETA is the
mean time of the fits done so far times the fits left, weighted by how many texts each fits on.
"""
from __future__ import annotations

import sys
import threading
import time
from contextlib import contextmanager


def clock(seconds: float) -> str:
    seconds = int(seconds)
    h, rest = divmod(seconds, 3600)
    return f"{h}:{rest // 60:02d}:{rest % 60:02d}" if h else f"{rest // 60}:{rest % 60:02d}"


class TrainingProgress:
    """Counts fits of known sizes (texts) as they finish; `with progress.fit(name, size):` around each."""

    def __init__(self, sizes: list[int], log=None, stream=None, live: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.log = log or (lambda msg: print(msg, file=self.stream))
        self.live = self.stream.isatty() if live is None else live
        self.sizes, self.done = list(sizes), 0
        self.start = time.monotonic()
        self.fitted_size, self.fitted_seconds = 0, 0.0
        self._current: str | None = None
        self._stop = threading.Event()

    def eta(self) -> float | None:
        """Seconds left for the fits not finished, from the speed of the ones that are (None before any)."""
        if not self.fitted_size:
            return None
        return self.fitted_seconds / self.fitted_size * sum(self.sizes[self.done:])

    def line(self, now: float | None = None) -> str:
        now = time.monotonic() if now is None else now
        eta = self.eta()
        if eta is not None and self._current is not None:  # the running fit has already used some of it
            eta = max(eta - (now - self._fit_start), 0.0)
        tail = f", ETA {clock(eta)}" if eta is not None else ""
        doing = f": {self._current}" if self._current else ""
        return f"[fit {min(self.done + 1, len(self.sizes))}/{len(self.sizes)}{doing}] elapsed {clock(now - self.start)}{tail}"

    @contextmanager
    def fit(self, name: str, size: int):
        self._current, self._fit_start = name, time.monotonic()
        ticker = None
        if self.live:
            self._stop.clear()
            ticker = threading.Thread(target=self._tick, daemon=True)
            ticker.start()
        else:
            self.log(self.line())
        try:
            yield
        finally:
            if ticker is not None:
                self._stop.set()
                ticker.join()
                self.stream.write("\r\x1b[K")
                self.stream.flush()
        seconds = time.monotonic() - self._fit_start
        self.fitted_size += size
        self.fitted_seconds += seconds
        self.done += 1
        self._current = None
        eta = self.eta()
        left = f", ETA {clock(eta)}" if eta and self.done < len(self.sizes) else ""
        self.log(f"{name}: {size:,} texts fitted in {seconds:.1f}s ({self.done}/{len(self.sizes)} fits, "
                 f"elapsed {clock(time.monotonic() - self.start)}{left})")

    def _tick(self) -> None:
        while not self._stop.wait(1.0):
            self.stream.write("\r" + self.line() + "\x1b[K")
            self.stream.flush()
