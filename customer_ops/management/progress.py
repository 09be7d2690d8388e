"""A text progress bar for long management commands (no dependency, redraws at most 10×/s)."""

from __future__ import annotations

import time
from typing import Protocol


class TextStream(Protocol):
    """Where the bar draws: a file, or a command's `self.stdout` (Django's OutputWrapper)."""

    def write(self, text: str, /) -> object: ...
    def flush(self) -> None: ...


class ProgressBar:
    def __init__(self, total: int, *, stream: TextStream, label: str, width: int = 30) -> None:
        self.total = max(total, 0)
        self.done = 0
        self.stream = stream
        self.label = label
        self.width = width
        self.started = time.monotonic()
        self._last_draw = 0.0

    def advance(self, count: int = 1) -> None:
        self.done = min(self.total, self.done + count)
        now = time.monotonic()
        if now - self._last_draw >= 0.1 or self.done == self.total:
            self._draw(now)

    def _draw(self, now: float) -> None:
        self._last_draw = now
        fraction = self.done / self.total if self.total else 1.0
        filled = int(self.width * fraction)
        rate = self.done / max(now - self.started, 1e-9)
        bar = "█" * filled + "·" * (self.width - filled)
        self.stream.write(
            f"\r{self.label} [{bar}] {self.done}/{self.total} {fraction:6.1%} {rate:,.0f}/s"
        )
        self.stream.flush()

    def close(self) -> None:
        self._draw(time.monotonic())
        self.stream.write("\n")
        self.stream.flush()
