"""Discord shards in separate processes share one per-user limit through BOT_REDIS_URL."""

from __future__ import annotations

from bot.discord_bot import runner
from bot.settings import Settings
from bot.store.redis import RedisStore
from tests.fakes.redis import RedisServer


async def test_two_shards_share_one_limit_per_person(redis_server: RedisServer) -> None:
    """Ten questions from one person, alternating between two shards: five are answered."""
    shards = [
        runner.build(
            Settings(
                discord_token="t",
                bot_redis_url=redis_server.url,
                discord_shard_count=2,
                pod_name=f"discord-bot-{n}",
            )
        )
        for n in range(2)
    ]
    assert all(isinstance(shard.answers.cooldown.store, RedisStore) for shard in shards)

    verdicts = [await shards[n % 2].answers.check("1100000000000000009") for n in range(10)]

    assert [v.allowed for v in verdicts] == [True] * 5 + [False] * 5
    assert [v.first_refusal for v in verdicts[5:]] == [True, False, False, False, False]
    assert (await shards[0].answers.check("1100000000000000010")).allowed, "each person alone"
    for shard in shards:
        await shard.answers.cooldown.store.aclose()
