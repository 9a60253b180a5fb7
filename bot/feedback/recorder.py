"""Records written off the reply path: a bounded asyncio queue and a writer task.

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
    """Queues records and writes them in batches from a task on the running loop.

    The writer task runs only while there is something to write, and the daily purge is
    a timer, so a shutdown that waits for the tasks in flight waits only for real work.
    """

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
        self._started = False
        self._writer: asyncio.Task[None] | None = None
        self._purging: asyncio.Task[int] | None = None
        self._timer: asyncio.TimerHandle | None = None

    def record(self, record: Record | None) -> None:
        """Queue `record` for writing; None (nothing to keep) is ignored. Call on the loop."""
        if record is None:
            return
        try:
            self._queue.put_nowait(record)
        except asyncio.QueueFull:
            self.lost += 1
            LOGGER.warning("recording queue full: a record was lost (%d lost so far)", self.lost)
            return
        if self._started and (self._writer is None or self._writer.done()):
            self._writer = asyncio.get_running_loop().create_task(
                self.flush(), name="feedback-writer"
            )

    def start(self) -> None:
        """Write from now on as records come, and purge now and every `purge_every` seconds."""
        if self._started:
            return
        self._started = True
        self._purge_soon()
        if not self._queue.empty():
            self._writer = asyncio.get_running_loop().create_task(self.flush())

    def _purge_soon(self) -> None:
        loop = asyncio.get_running_loop()
        self._purging = loop.create_task(self.purge_once(), name="feedback-retention")
        self._timer = loop.call_later(self.purge_every, self._purge_soon)

    async def flush(self) -> None:
        """Write everything queued, in batches."""
        while not self._queue.empty():
            await self._write_batch()

    async def close(self, timeout: float = 5.0) -> None:
        """Stop purging, then write what is still queued, for up to `timeout` seconds."""
        self._started = False
        if self._timer is not None:
            self._timer.cancel()
        work = [t for t in (self._writer, self._purging) if t is not None and not t.done()]
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                for task in work:
                    await task
                await self.flush()

    async def _write_batch(self) -> None:
        batch: list[Record] = []
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
