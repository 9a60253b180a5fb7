"""Discord per-guild settings as JSON in the shared store, so every shard reads the same."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

from bot.store import StateStore

LOGGER = logging.getLogger("401k-bot.store")

# Settings have no natural end; each write keeps them for another 400 days.
SETTINGS_TTL_SECONDS = 400 * 24 * 3600.0


class GuildSettings:
    """Get and put one JSON object of settings per Discord guild."""

    def __init__(self, store: StateStore, ttl_seconds: float = SETTINGS_TTL_SECONDS) -> None:
        self.store = store
        self.ttl_seconds = ttl_seconds

    @staticmethod
    def key(guild_id: int | str) -> str:
        return f"discord:{guild_id}:settings"

    async def get(self, guild_id: int | str) -> dict[str, Any]:
        """The guild's settings; empty when none were put, or the store is unreachable."""
        raw = await self.store.get(self.key(guild_id))
        if raw is None:
            return {}
        try:
            value = json.loads(raw)
        except ValueError:
            value = None
        if not isinstance(value, dict):
            LOGGER.warning("ignored unreadable settings", extra={"fields": {"guild": guild_id}})
            return {}
        return value

    async def put(self, guild_id: int | str, settings: Mapping[str, Any]) -> None:
        """Replace the guild's settings with `settings` (JSON-serialisable values)."""
        raw = json.dumps(dict(settings), separators=(",", ":"), sort_keys=True)
        await self.store.put(self.key(guild_id), raw.encode(), self.ttl_seconds)

    async def clear(self, guild_id: int | str) -> None:
        """Forget the guild's settings, so the defaults apply again."""
        await self.store.delete(self.key(guild_id))
