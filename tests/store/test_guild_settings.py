"""Discord per-guild settings: one JSON object per guild, the same on every shard."""

from __future__ import annotations

import pytest

from bot.store.guild_settings import GuildSettings
from bot.store.memory import MemoryStore
from bot.store.redis import RedisStore
from tests.fakes.redis import RedisServer


async def test_settings_put_on_one_shard_are_read_on_another(redis_server: RedisServer) -> None:
    shard0 = GuildSettings(RedisStore.from_url(redis_server.url))
    shard1 = GuildSettings(RedisStore.from_url(redis_server.url))

    assert await shard1.get(42) == {}
    await shard0.put(42, {"public_answers": False, "tax_year": 2026})

    assert await shard1.get(42) == {"public_answers": False, "tax_year": 2026}
    assert await shard1.get(43) == {}, "each guild has its own"
    assert redis_server.stored_keys() == ["401k-bot:discord:42:settings"]
    await shard1.clear(42)
    assert await shard0.get(42) == {}
    await shard0.store.aclose()
    await shard1.store.aclose()


@pytest.mark.parametrize("raw", [b"not json", b"[1, 2]", b"\xff"])
async def test_unreadable_settings_count_as_none(raw: bytes) -> None:
    store = MemoryStore()
    await store.put(GuildSettings.key(7), raw, 60)
    assert await GuildSettings(store).get(7) == {}
