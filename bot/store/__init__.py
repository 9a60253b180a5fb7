"""Shared state behind one async interface: in process by default, Redis with BOT_REDIS_URL.

Slack retry de-duplication, the per-user rate limits, conversation states and the
Discord per-guild settings all go through a `StateStore`. Keys are plain strings the
callers namespace by surface and workspace or guild (`slack:T0001:event:Ev1`); the
Redis store puts `401k-bot:` in front of every key.

A store that cannot be reached degrades the feature, never the reply: `hit` allows,
`get` finds nothing, `put` and `delete` are dropped, `ping` is False. Only
`add_if_absent` raises `StoreUnavailable`, because neither answer would be safe to
guess: the caller decides.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from bot.settings import Settings


class StoreUnavailable(Exception):
    """The store could not be reached, so the key could not be recorded."""


class StateStore(Protocol):
    """What every store offers; each call is one round trip at most."""

    async def add_if_absent(self, key: str, ttl_seconds: float) -> bool:
        """Record `key` for `ttl_seconds`; True when it was not there (so the caller is first)."""
        ...

    async def hit(self, key: str, limit: int, window_seconds: float) -> bool:
        """Count one hit on `key`; True when it is within `limit` in any `window_seconds`."""
        ...

    async def hit_or_wait(self, key: str, limit: int, window_seconds: float) -> float:
        """Like `hit`, but 0.0 when allowed, else the seconds until a hit would be."""
        ...

    async def get(self, key: str) -> bytes | None:
        """The value put under `key`, or None when absent, expired or unreachable."""
        ...

    async def put(self, key: str, value: bytes, ttl_seconds: float) -> None:
        """Keep `value` under `key` for `ttl_seconds`, replacing what was there."""
        ...

    async def delete(self, key: str) -> None:
        """Forget `key`."""
        ...

    async def ping(self) -> bool:
        """True when the store answers (for readiness and health)."""
        ...

    async def aclose(self) -> None:
        """Close connections; the store is not used afterwards."""
        ...


def open_store(settings: Settings) -> StateStore:
    """Redis when BOT_REDIS_URL is set, else a store in this process.

    SettingsError names BOT_REDIS_URL when it is not a Redis URL; nothing is connected
    until the first call.
    """
    if settings.bot_redis_url:
        from bot.store.redis import RedisStore

        return RedisStore.from_url(settings.bot_redis_url)
    from bot.store.memory import MemoryStore

    return MemoryStore()
