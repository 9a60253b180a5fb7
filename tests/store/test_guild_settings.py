"""Discord per-guild settings in the shared store: chosen on one shard, read on another."""

from __future__ import annotations

import pytest

from bot.discord_bot.guild_settings import GuildSettings, SharedGuildSettings
from bot.store.memory import MemoryStore
from bot.store.redis import RedisStore
from tests.fakes.redis import RedisServer


async def test_settings_put_on_one_shard_are_read_on_another(redis_server: RedisServer) -> None:
    shard0 = SharedGuildSettings(RedisStore.from_url(redis_server.url))
    shard1 = SharedGuildSettings(RedisStore.from_url(redis_server.url))
    chosen = GuildSettings(channels=frozenset({7, 9}), public_replies=False, short_replies=True)

    assert await shard1.get(42) == GuildSettings()
    await shard0.put(42, chosen)

    assert await shard1.get(42) == chosen
    assert await shard1.get(43) == GuildSettings(), "each guild has its own"
    assert redis_server.stored_keys() == ["401k-bot:discord:42:settings"]
    await shard1.put(42, GuildSettings())
    assert await shard0.get(42) == GuildSettings()
    assert redis_server.stored_keys() == [], "the defaults are not stored"
    await shard0.store.aclose()
    await shard1.store.aclose()


@pytest.mark.parametrize("raw", [b"not json", b"[1, 2]", b"\xff", b'{"channels": 5}'])
async def test_unreadable_settings_count_as_the_defaults(raw: bytes) -> None:
    store = MemoryStore()
    await store.put(SharedGuildSettings.key(7), raw, 60)
    assert await SharedGuildSettings(store).get(7) == GuildSettings()
