"""Redis going away degrades shared state, never the answer: limits allow, ids go unrecorded."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.health import Readiness
from bot.settings import Settings, SettingsError
from bot.store import StoreUnavailable, open_store
from bot.store.memory import MemoryStore
from bot.store.redis import RedisStore
from tests.fakes.redis import RedisServer


async def test_a_stopped_redis_fails_open_for_limits_and_closed_for_ids(
    own_redis: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    """Limits allow, values are absent, writes are dropped; recording an id raises."""
    store = RedisStore.from_url(own_redis.url)
    assert await store.hit("rate:u", 1, 60)
    assert not await store.hit("rate:u", 1, 60)
    own_redis.stop()

    with caplog.at_level(logging.WARNING, logger="401k-bot.store"):
        assert await store.hit("rate:u", 1, 60), "a limit that cannot be counted allows"
        assert await store.hit("rate:u", 1, 60)
        assert await store.get("conv:a") is None
        await store.put("conv:a", b"{}", 60)
        await store.delete("conv:a")
        with pytest.raises(StoreUnavailable):
            await store.add_if_absent("slack:T1:event:Ev1", 3600)
        assert not await store.ping()

    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1, "one warning a minute, however many calls fail"
    assert "unreachable" in warnings[0].getMessage()
    await store.aclose()


async def test_the_store_reconnects_when_redis_is_back(
    own_redis: RedisServer, tmp_path: Path
) -> None:
    """After Redis restarts, the same store records ids and counts again."""
    store = RedisStore.from_url(own_redis.url)
    assert await store.add_if_absent("slack:T1:event:Ev1", 3600)
    own_redis.stop()
    assert not await store.ping()

    own_redis.restart(tmp_path)

    assert await store.ping()
    assert await store.add_if_absent("slack:T1:event:Ev2", 3600)
    assert not await store.add_if_absent("slack:T1:event:Ev2", 3600)
    await store.aclose()


def test_the_store_follows_bot_redis_url(redis_server: RedisServer) -> None:
    """No BOT_REDIS_URL: a store in this process; a Redis URL: Redis; anything else: one line."""
    assert isinstance(open_store(Settings()), MemoryStore)
    assert isinstance(open_store(Settings(bot_redis_url=redis_server.url)), RedisStore)
    with pytest.raises(SettingsError, match=r"^BOT_REDIS_URL is invalid: use redis://") as error:
        open_store(Settings(bot_redis_url="http://user:secret@example.com"))
    assert "secret" not in str(error.value)


async def test_readiness_waits_for_the_store_once_then_rides_out_an_outage(
    own_redis: RedisServer, tmp_path: Path
) -> None:
    """Not ready until Redis first answers; an outage after that keeps the replica ready."""
    store = RedisStore.from_url(own_redis.url)
    readiness = Readiness()
    readiness.once("store", store.ping)
    own_redis.stop()
    assert await readiness.failing() == ["store"]

    own_redis.restart(tmp_path)
    assert await readiness.failing() == []
    own_redis.stop()

    assert await readiness.failing() == [], "a replica that still answers stays in the Service"
    await store.aclose()
