"""Both stores keep the same promises: set-if-absent, a sliding-window limit, values with a TTL.

The Redis store runs against a real `redis-server`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.store import StateStore
from bot.store.memory import MemoryStore
from bot.store.redis import RedisStore
from tests.fakes.redis import RedisServer


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Subject:
    """A store and a way to let time pass: the hand clock for memory, real time for Redis."""

    def __init__(self, store: StateStore, clock: Clock | None) -> None:
        self.store = store
        self.clock = clock

    async def wait(self, seconds: float) -> None:
        if self.clock is not None:
            self.clock.now += seconds
        else:
            await asyncio.sleep(seconds)


@pytest.fixture(params=["memory", "redis"])
async def subject(request: pytest.FixtureRequest) -> AsyncIterator[Subject]:
    if request.param == "memory":
        clock = Clock()
        yield Subject(MemoryStore(clock=clock), clock)
        return
    server: RedisServer = request.getfixturevalue("redis_server")
    store = RedisStore.from_url(server.url)
    yield Subject(store, None)
    await store.aclose()


async def test_a_key_is_added_once_until_it_expires(subject: Subject) -> None:
    store = subject.store
    assert await store.add_if_absent("slack:T1:event:Ev1", 0.3)
    assert not await store.add_if_absent("slack:T1:event:Ev1", 0.3)
    assert await store.add_if_absent("slack:T2:event:Ev1", 0.3), "another workspace's id"
    await subject.wait(0.4)
    assert await store.add_if_absent("slack:T1:event:Ev1", 0.3)


async def test_the_limit_is_a_sliding_window(subject: Subject) -> None:
    """Three hits in any 0.5 s: the fourth waits until the first leaves the window."""
    store = subject.store
    assert [await store.hit("rate:u", 3, 0.5) for _ in range(3)] == [True, True, True]
    wait = await store.hit_or_wait("rate:u", 3, 0.5)
    assert 0.3 < wait <= 0.5
    assert not await store.hit("rate:u", 3, 0.5), "a refused hit is not counted, but still refused"
    assert await store.hit("rate:other", 3, 0.5)
    await subject.wait(wait + 0.05)
    assert [await store.hit("rate:u", 3, 0.5) for _ in range(4)] == [True, True, True, False]


async def test_values_are_kept_for_their_ttl_and_can_be_deleted(subject: Subject) -> None:
    store = subject.store
    assert await store.get("conv:a") is None
    await store.put("conv:a", b'{"slots": {}}', 0.3)
    await store.put("conv:b", b"\x00\xff", 60)
    assert await store.get("conv:a") == b'{"slots": {}}'
    assert await store.get("conv:b") == b"\x00\xff", "bytes come back as they went in"
    await store.put("conv:b", b"second", 60)
    assert await store.get("conv:b") == b"second"
    await store.delete("conv:b")
    assert await store.get("conv:b") is None
    await subject.wait(0.4)
    assert await store.get("conv:a") is None
    assert await store.ping()


async def test_redis_keys_are_namespaced_and_expire(redis_server: RedisServer) -> None:
    """Every key starts `401k-bot:` and carries a TTL, so nothing piles up in Redis."""
    store = RedisStore.from_url(redis_server.url)
    await store.add_if_absent("slack:T1:event:Ev1", 3600)
    await store.hit("rate:slack:T1:U1", 5, 10)
    await store.put("discord:42:settings", b"{}", 60)
    await store.aclose()

    assert redis_server.stored_keys() == [
        "401k-bot:discord:42:settings",
        "401k-bot:rate:slack:T1:U1",
        "401k-bot:slack:T1:event:Ev1",
    ]
    import redis

    with redis.Redis.from_url(redis_server.url) as client:
        ttls: dict[str, Any] = {key: client.ttl(key) for key in redis_server.stored_keys()}
    assert ttls["401k-bot:slack:T1:event:Ev1"] == 3600
    assert 0 < ttls["401k-bot:rate:slack:T1:U1"] <= 10
    assert 0 < ttls["401k-bot:discord:42:settings"] <= 60


async def test_two_clients_share_one_limit(redis_server: RedisServer) -> None:
    """Hits from two replicas' clients count in one window: 5 allowed out of 10."""
    first, second = RedisStore.from_url(redis_server.url), RedisStore.from_url(redis_server.url)
    allowed = [await (first, second)[i % 2].hit("rate:slack:T1:U1", 5, 10) for i in range(10)]
    await first.aclose()
    await second.aclose()
    assert allowed == [True] * 5 + [False] * 5


async def test_memory_store_is_bounded_and_evicts_the_oldest(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Past `max_items` live keys the least recently written goes first, counted and logged."""
    store = MemoryStore(max_items=3, clock=Clock())
    for key in ("a", "b", "c"):
        await store.put(key, key.encode(), 60)
    await store.put("a", b"a2", 60)
    with caplog.at_level(logging.WARNING, logger="401k-bot.store"):
        await store.put("d", b"d", 60)
        await store.put("e", b"e", 60)

    assert len(store) == 3
    assert store.evicted == 2
    assert [r.getMessage() for r in caplog.records] == [
        "the in-process store is full: dropping keys before they expire"
    ], "one warning a minute"
    assert await store.get("b") is None
    assert await store.get("c") is None
    assert await store.get("a") == b"a2"


async def test_memory_store_drops_expired_keys_before_evicting_live_ones() -> None:
    """50,000 one-second keys over 50 seconds: only the last second's stay, none evicted."""
    clock = Clock()
    store = MemoryStore(max_items=10_000, clock=clock)
    for i in range(50_000):
        clock.now += 0.001
        await store.add_if_absent(f"k{i}", 1.0)
    assert 999 <= len(store) <= 1001, "the last second of keys, give or take rounding"
    assert store.evicted == 0
