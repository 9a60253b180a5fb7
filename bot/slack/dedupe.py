"""Remembering which events were answered, so a retried delivery is answered once."""

from __future__ import annotations

import logging

from bot.store import StateStore, StoreUnavailable
from bot.store.memory import MemoryStore

LOGGER = logging.getLogger("401k-bot.slack")

# Slack retries an event up to three times (at once, after 1 minute, after 5 minutes)
# when its delivery is not acknowledged within 3 seconds, keeping the `event_id`. An
# hour covers that with room for a slow queue on Slack's side.
EVENT_TTL_SECONDS = 3600.0


class SeenEvents:
    """The `event_id`s delivered in the last hour, per workspace, in `store`.

    When the store cannot record an id, a first delivery is answered and a retry is
    not: a missed answer is better than a duplicate in the thread.
    """

    def __init__(self, store: StateStore | None = None, ttl: float = EVENT_TTL_SECONDS) -> None:
        self.store: StateStore = store if store is not None else MemoryStore()
        self.ttl = ttl

    async def first_time(self, team_id: str | None, event_id: str, *, is_retry: bool) -> bool:
        """True the first time `event_id` of `team_id` is delivered; it is remembered."""
        key = f"slack:{team_id or '-'}:event:{event_id}"
        try:
            return await self.store.add_if_absent(key, self.ttl)
        except StoreUnavailable:
            if is_retry:
                LOGGER.warning(
                    "dropped a retried event: the store of answered events is down",
                    extra={"fields": {"event": "retry_dropped", "surface": "slack"}},
                )
            return not is_retry
