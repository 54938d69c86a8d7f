"""Okta's rate limits as a client sees them: `X-Rate-Limit-Limit`, `-Remaining` and `-Reset` (UTC epoch seconds
when the window ends) on every Management API answer, and 429 E0000047 past the limit (developer docs "Rate
limits"; the headers as a real org sends them in okta-sdk-python's recorded cassettes, 600 a minute on
/api/v1/users). One window of a minute per API family (`/api/v1/users`, `/api/v1/inlineHooks`...)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

DEFAULT_RATE_LIMIT = 600
WINDOW_SECONDS = 60


@dataclass(frozen=True)
class Quota:
    limit: int
    remaining: int
    reset: int

    @property
    def exceeded(self) -> bool:
        return self.remaining < 0

    def headers(self) -> list[tuple[bytes, bytes]]:
        return [
            (b"x-rate-limit-limit", str(self.limit).encode()),
            (b"x-rate-limit-remaining", str(max(self.remaining, 0)).encode()),
            (b"x-rate-limit-reset", str(self.reset).encode()),
        ]


class RateLimits:
    def __init__(self, limit: Callable[[], int], clock: Callable[[], float] = time.time) -> None:
        self._limit = limit
        self._clock = clock
        self._lock = threading.Lock()
        self._window = 0
        self._counts: dict[str, int] = {}

    def clear(self) -> None:
        with self._lock:
            self._counts = {}

    def take(self, path: str) -> Quota:
        """Count one request to the family of `path` in the current window."""
        family = "/".join(path.split("/")[:4])
        now = self._clock()
        window = int(now // WINDOW_SECONDS)
        with self._lock:
            if window != self._window:
                self._window, self._counts = window, {}
            count = self._counts.get(family, 0) + 1
            self._counts[family] = count
        limit = self._limit()
        return Quota(limit, limit - count, (window + 1) * WINDOW_SECONDS)
