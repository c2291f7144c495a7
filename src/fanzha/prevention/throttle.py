"""A per-address sliding-window limit for the public self-check and reports (pure: time is passed in).

Memory is bounded: at most `max_keys` addresses are remembered; the address seen least recently is
forgotten first (it could then ask again early, which costs less than a server out of memory).
"""

from __future__ import annotations

import threading
from collections import OrderedDict, deque
from datetime import datetime, timedelta


class SlidingWindow:
    """At most `limit` hits per key in any `window`."""

    def __init__(self, limit: int, window: timedelta, *, max_keys: int = 100_000) -> None:
        self.limit = limit
        self.window = window
        self._max_keys = max_keys
        self._hits: OrderedDict[str, deque[datetime]] = OrderedDict()
        self._lock = threading.Lock()

    def allow(self, key: str, now: datetime) -> bool:
        """Record a hit for `key` at `now` if it is within the limit; False (nothing recorded) if not."""
        with self._lock:
            hits = self._hits.pop(key, None) or deque()
            while hits and now - hits[0] >= self.window:
                hits.popleft()
            allowed = len(hits) < self.limit
            if allowed:
                hits.append(now)
            self._hits[key] = hits
            while len(self._hits) > self._max_keys:
                self._hits.popitem(last=False)
            return allowed

    def retry_after(self, key: str, now: datetime) -> int:
        """Whole seconds until `key` may ask again (0 if it may now)."""
        with self._lock:
            hits = self._hits.get(key)
            if not hits or len(hits) < self.limit:
                return 0
            return max(1, int((hits[0] + self.window - now).total_seconds() + 0.999))
