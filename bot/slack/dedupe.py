"""Remembering which events were answered, so a retried delivery is answered once."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable


class SeenEvents:
    """The `event_id`s of the last `ttl` seconds, at most `size` of them.

    Slack retries an event up to three times over about five minutes when its
    first delivery is not acknowledged in time, keeping the `event_id`.
    """

    def __init__(
        self, ttl: float = 600.0, size: int = 10_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._ttl = ttl
        self._size = size
        self._clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()

    def first_time(self, event_id: str) -> bool:
        """True the first time `event_id` is seen within the window; it is remembered."""
        now = self._clock()
        while self._seen:
            oldest, when = next(iter(self._seen.items()))
            if now - when < self._ttl and len(self._seen) < self._size:
                break
            del self._seen[oldest]
        if event_id in self._seen:
            return False
        self._seen[event_id] = now
        return True
