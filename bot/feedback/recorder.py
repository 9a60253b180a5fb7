"""Records written off the reply path: a bounded asyncio queue and one writer task.

`record` never waits and never raises: a full queue or a database that is down loses
the record (logged without its contents, and counted in `lost`), never the reply.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Callable, Sequence
from typing import Protocol

from bot.feedback.records import Record

LOGGER = logging.getLogger("401k-bot.feedback")

QUEUE_SIZE = 10_000
BATCH = 200
DAY = 24 * 60 * 60.0


class Store(Protocol):
    """Where records end up: `bot.feedback.database.Database`, or a test's own."""

    def write(self, records: Sequence[Record]) -> None: ...

    def purge(self, before: dt.datetime | None = None) -> int: ...


class Recorder:
    """Queues records and writes them in batches from a task on the running loop."""

    def __init__(
        self,
        store: Store,
        retention_days: int = 90,
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
        queue_size: int = QUEUE_SIZE,
        purge_every: float = DAY,
    ) -> None:
        self.store = store
        self.retention = dt.timedelta(days=retention_days)
        self.now = now
        self.purge_every = purge_every
        self.written = 0
        self.lost = 0
        self.purged = 0
        self._queue: asyncio.Queue[Record] = asyncio.Queue(queue_size)
        self._tasks: list[asyncio.Task[None]] = []

    def record(self, record: Record | None) -> None:
        """Queue `record` for writing; None (nothing to keep) is ignored."""
        if record is None:
            return
        try:
            self._queue.put_nowait(record)
        except asyncio.QueueFull:
            self.lost += 1
            LOGGER.warning("recording queue full: a record was lost (%d lost so far)", self.lost)

    def start(self) -> None:
        """Start the writer and the daily purge on the running event loop."""
        if not self._tasks:
            self._tasks = [
                asyncio.create_task(self._write_forever(), name="feedback-writer"),
                asyncio.create_task(self._purge_daily(), name="feedback-retention"),
            ]

    async def flush(self) -> None:
        """Write what is queued now (the writer task does this on its own)."""
        while not self._queue.empty():
            await self._write_batch()

    async def close(self, timeout: float = 5.0) -> None:
        """Stop the tasks, then write what is still queued, for up to `timeout` seconds."""
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.flush(), timeout)

    async def _write_forever(self) -> None:
        while True:
            first = await self._queue.get()
            await self._write_batch(first)

    async def _write_batch(self, first: Record | None = None) -> None:
        batch = [] if first is None else [first]
        while len(batch) < BATCH and not self._queue.empty():
            batch.append(self._queue.get_nowait())
        if not batch:
            return
        try:
            await asyncio.to_thread(self.store.write, batch)
        except Exception as exc:
            self.lost += len(batch)
            LOGGER.warning(
                "recording failed: %s; %d records lost (%d so far)",
                type(exc).__name__,
                len(batch),
                self.lost,
            )
            LOGGER.debug("recording failed", exc_info=True)
        else:
            self.written += len(batch)

    async def purge_once(self) -> int:
        """Delete the records older than BOT_RETENTION_DAYS; how many went (0 on failure)."""
        try:
            deleted = await asyncio.to_thread(self.store.purge, self.now() - self.retention)
        except Exception as exc:
            LOGGER.warning("purging old records failed: %s", type(exc).__name__)
            return 0
        self.purged += deleted
        if deleted:
            LOGGER.info("purged %d records older than %d days", deleted, self.retention.days)
        return deleted

    async def _purge_daily(self) -> None:
        while True:
            await self.purge_once()
            await asyncio.sleep(self.purge_every)
