"""The store on Redis (redis-py's asyncio client), shared by every replica and shard.

Every key is prefixed `401k-bot:`. When Redis cannot be reached, `hit` allows, `get`
finds nothing and writes are dropped, with one WARNING a minute; `add_if_absent`
raises `StoreUnavailable` so the caller can choose.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from redis.asyncio import Redis
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry

from bot import metrics
from bot.settings import SettingsError
from bot.store import StoreUnavailable

LOGGER = logging.getLogger("401k-bot.store")

PREFIX = "401k-bot:"
# A reply waits on the store at most this long before it goes ahead without it.
TIMEOUT_SECONDS = 0.5
WARN_EVERY_SECONDS = 60.0

# A sliding window: at most ARGV[1] hits in any ARGV[2] microseconds, on the server's clock
# so replicas agree. Returns 0 when the hit is counted, else the microseconds to wait.
_SLIDING_WINDOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
if count < limit then
  redis.call('ZADD', KEYS[1], now, t[1] .. '.' .. t[2] .. ':' .. count)
  redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000))
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now)
"""


def _ms(seconds: float) -> int:
    return max(1, round(seconds * 1000))


class RedisStore:
    """A `StateStore` on one Redis server (or a managed Redis: any `redis://`/`rediss://` URL)."""

    def __init__(self, client: Redis, prefix: str = PREFIX) -> None:
        self._client = client
        self._prefix = prefix
        self._window = client.register_script(_SLIDING_WINDOW)
        self._warned_at = -WARN_EVERY_SECONDS
        self.reachable = True

    @classmethod
    def from_url(cls, url: str, prefix: str = PREFIX) -> RedisStore:
        """A store for `url`; SettingsError when it is not a Redis URL (the URL is not shown)."""
        try:
            client = Redis.from_url(
                url,
                socket_timeout=TIMEOUT_SECONDS,
                socket_connect_timeout=TIMEOUT_SECONDS,
                retry=Retry(NoBackoff(), 1),
                health_check_interval=30,
            )
        except ValueError:
            raise SettingsError(
                "BOT_REDIS_URL is invalid: use redis://, rediss:// or unix://"
            ) from None
        return cls(client, prefix)

    async def add_if_absent(self, key: str, ttl_seconds: float) -> bool:
        try:
            added = await self._client.set(self._prefix + key, b"1", nx=True, px=_ms(ttl_seconds))
        except RedisError as exc:
            self._down("add_if_absent", exc)
            raise StoreUnavailable(type(exc).__name__) from None
        self._up()
        return bool(added)

    async def hit(self, key: str, limit: int, window_seconds: float) -> bool:
        return await self.hit_or_wait(key, limit, window_seconds) == 0.0

    async def hit_or_wait(self, key: str, limit: int, window_seconds: float) -> float:
        micros = max(1, round(window_seconds * 1_000_000))
        waited = await self._call(
            "hit", self._window, keys=[self._prefix + key], args=[limit, micros]
        )
        return 0.0 if waited is None else int(waited) / 1_000_000

    async def get(self, key: str) -> bytes | None:
        value = await self._call("get", self._client.get, self._prefix + key)
        return None if value is None else bytes(value)

    async def put(self, key: str, value: bytes, ttl_seconds: float) -> None:
        await self._call("put", self._client.set, self._prefix + key, value, px=_ms(ttl_seconds))

    async def delete(self, key: str) -> None:
        await self._call("delete", self._client.delete, self._prefix + key)

    async def ping(self) -> bool:
        try:
            await self._client.ping()
        except RedisError as exc:
            self._down("ping", exc)
            return False
        self._up()
        return True

    async def aclose(self) -> None:
        await self._client.aclose()

    async def _call(self, operation: str, method: Any, *args: Any, **kwargs: Any) -> Any:
        """`method(*args, **kwargs)`, or None (logged) when Redis cannot be reached."""
        try:
            result = await method(*args, **kwargs)
        except RedisError as exc:
            self._down(operation, exc)
            return None
        self._up()
        return result

    def _down(self, operation: str, exc: RedisError) -> None:
        self.reachable = False
        metrics.store_error("redis")
        now = time.monotonic()
        if now - self._warned_at >= WARN_EVERY_SECONDS:
            self._warned_at = now
            LOGGER.warning(
                "Redis is unreachable; answering without shared state",
                extra={
                    "fields": {
                        "event": "store_unreachable",
                        "backend": "redis",
                        "operation": operation,
                        "code": type(exc).__name__,
                    }
                },
            )

    def _up(self) -> None:
        if not self.reachable:
            LOGGER.info("Redis is reachable again")
        self.reachable = True
