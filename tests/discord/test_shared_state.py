"""Discord shards or replicas in separate processes share state through BOT_REDIS_URL:
one per-user limit, the conversations and the servers' settings."""

from __future__ import annotations

from typing import Any

from bot.discord_bot import runner
from bot.discord_bot.guild_settings import GuildSettings
from bot.settings import Settings
from bot.store.redis import RedisStore
from tests.fakes.discord import BOT_ID, GUILD, guild_create, text_channel
from tests.fakes.redis import RedisServer

CHANNEL = "900000000000000010"


def text_of(body: dict[str, Any]) -> str:
    return "\n".join(
        f"{e.get('title', '')}\n{e.get('description', '')}\n{e.get('footer', {}).get('text', '')}"
        for e in body["embeds"]
    )


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


async def test_a_conversation_started_on_one_replica_continues_on_the_other(
    discord_bot_with: Any, redis_server: RedisServer
) -> None:
    """A calculation answered by one process, its what-if by another: one number changes."""
    first, second = [await discord_bot_with(bot_redis_url=redis_server.url) for _ in range(2)]
    first.message(
        first.payload("mention", content=f"<@{BOT_ID}> I defer 20,000 and my employer adds 5,000")
    )
    await first.fake.wait_for("POST", rf"channels/{CHANNEL}/messages")
    await first.settle()
    second.message(
        second.payload(
            "mention",
            id="1300000000000000099",
            content=f"<@{BOT_ID}> what if my employer put in 7,000 instead?",
        )
    )

    replies = await second.fake.wait_for("POST", rf"channels/{CHANNEL}/messages", count=2)

    assert "$47,000" in text_of(replies[0].body)
    assert "$45,000" in text_of(replies[1].body), "the second process knew the deferrals"
    held = [k for k in redis_server.stored_keys() if k.startswith("401k-bot:conversation:")]
    assert held == ["401k-bot:conversation:discord:-:900000000000000010:-:800000000000000001"]
    for harness in (first, second):
        await harness.bot.answers.conversations.store.aclose()


async def test_a_servers_settings_chosen_on_one_shard_apply_on_the_other(
    discord_bot_with: Any, redis_server: RedisServer
) -> None:
    """Mention replies turned off through shard 0: shard 1 leaves mentions unanswered too."""
    shard0, shard1 = [await discord_bot_with(bot_redis_url=redis_server.url) for _ in range(2)]
    for shard in (shard0, shard1):
        shard.guild(guild_create([text_channel(CHANNEL, "benefits")], []))
    await shard0.bot.interactions.guild_settings.put(
        int(GUILD), GuildSettings(mention_replies=False)
    )

    shard1.message(shard1.payload("mention"))
    await shard1.settle()

    assert shard1.fake.calls("POST", rf"channels/{CHANNEL}/messages") == []
    assert "401k-bot:discord:900000000000000001:settings" in redis_server.stored_keys()
    for harness in (shard0, shard1):
        await harness.bot.interactions.guild_settings.store.aclose()
