"""The store in this process: bounded, every key with a time to live, the oldest evicted first."""

from __future__ import annotations

import heapq
import logging
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass

LOGGER = logging.getLogger("401k-bot.store")

# About 310 bytes a key (measured with tracemalloc for Slack event ids): 31 MB when full.
MAX_ITEMS = 100_000


@dataclass(slots=True)
class _Entry:
    expires: float
    value: bytes | deque[float]


class MemoryStore:
    """A `StateStore` for one process (and for tests: `clock` is passed in).

    Keys expire by time. When `max_items` keys are alive, the least recently written
    one is dropped to make room, and `evicted` counts it.
    """

    def __init__(
        self, max_items: int = MAX_ITEMS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if max_items < 1:
            raise ValueError("a store needs max_items >= 1")
        self.max_items = max_items
        self.evicted = 0
        self._clock = clock
        self._warned_at: float | None = None
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._expiry: list[tuple[float, str]] = []

    def __len__(self) -> int:
        self._purge(self._clock())
        return len(self._entries)

    async def add_if_absent(self, key: str, ttl_seconds: float) -> bool:
        now = self._clock()
        self._purge(now)
        if key in self._entries:
            return False
        self._write(key, _Entry(now + ttl_seconds, b"1"))
        return True

    async def hit(self, key: str, limit: int, window_seconds: float) -> bool:
        return await self.hit_or_wait(key, limit, window_seconds) == 0.0

    async def hit_or_wait(self, key: str, limit: int, window_seconds: float) -> float:
        now = self._clock()
        self._purge(now)
        entry = self._entries.get(key)
        hits = entry.value if entry is not None and isinstance(entry.value, deque) else deque()
        while hits and now - hits[0] >= window_seconds:
            hits.popleft()
        if len(hits) >= limit:
            return window_seconds - (now - hits[0])
        hits.append(now)
        self._write(key, _Entry(now + window_seconds, hits))
        return 0.0

    async def get(self, key: str) -> bytes | None:
        self._purge(self._clock())
        entry = self._entries.get(key)
        return entry.value if entry is not None and isinstance(entry.value, bytes) else None

    async def put(self, key: str, value: bytes, ttl_seconds: float) -> None:
        now = self._clock()
        self._purge(now)
        self._write(key, _Entry(now + ttl_seconds, bytes(value)))

    async def delete(self, key: str) -> None:
        self._entries.pop(key, None)

    async def ping(self) -> bool:
        return True

    async def aclose(self) -> None:
        self._entries.clear()
        self._expiry.clear()

    def _write(self, key: str, entry: _Entry) -> None:
        self._entries[key] = entry
        self._entries.move_to_end(key)
        heapq.heappush(self._expiry, (entry.expires, key))
        while len(self._entries) > self.max_items:
            self._entries.popitem(last=False)
            self.evicted += 1
            self._warn_full(self._clock())
        if len(self._expiry) > 2 * len(self._entries) + 64:
            # Rewritten keys leave stale expiry records behind; rebuild from what is alive.
            self._expiry = [(e.expires, k) for k, e in self._entries.items()]
            heapq.heapify(self._expiry)

    def _warn_full(self, now: float) -> None:
        if self._warned_at is None or now - self._warned_at >= 60:
            self._warned_at = now
            LOGGER.warning(
                "the in-process store is full: dropping keys before they expire",
                extra={"fields": {"max_items": self.max_items, "evicted": self.evicted}},
            )

    def _purge(self, now: float) -> None:
        """Drop the keys whose time is up; each key's record is popped once, so this is linear."""
        while self._expiry and self._expiry[0][0] <= now:
            expires, key = heapq.heappop(self._expiry)
            entry = self._entries.get(key)
            if entry is not None and entry.expires == expires:
                del self._entries[key]
