"""The store and conversation metrics come from the real stores and the real Discord client."""

from __future__ import annotations

from typing import Any

from bot import metrics
from bot.store.redis import RedisStore
from tests.fakes.discord import BOT_ID
from tests.fakes.redis import RedisServer
from tests.metrics.test_registry import samples


def store_errors() -> float:
    return samples().get(("bot401k_store_errors_total", (("backend", "redis"),)), 0.0)


async def test_each_failed_redis_call_counts_one_store_error(
    enabled: metrics.Metrics, own_redis: RedisServer
) -> None:
    store = RedisStore.from_url(own_redis.url)
    assert await store.ping()
    assert store_errors() == 0
    own_redis.stop()

    assert await store.hit("rate:u", 5, 60), "the limit fails open"
    assert await store.get("conversation:x") is None
    assert not await store.ping()

    assert store_errors() == 3
    await store.aclose()


async def test_conversations_held_follow_the_people_talking(
    enabled: metrics.Metrics, discord_bot: Any
) -> None:
    """Two people mention the bot in one channel: two conversations are held."""
    for number, author in enumerate(("800000000000000021", "800000000000000022")):
        data = discord_bot.payload("mention", id=f"16000000000000{number:05d}")
        data["author"] = {**data["author"], "id": author}
        data["content"] = f"<@{BOT_ID}> I defer 20,000 and my employer adds 5,000"
        discord_bot.message(data)
        await discord_bot.fake.wait_for("POST", r"channels/\d+/messages", count=number + 1)
        await discord_bot.settle()

    assert samples()[("bot401k_conversations_held", ())] == 2
