"""The adapter's pure parts: mention stripping, option checks, topics, shard settings."""

from __future__ import annotations

from typing import Any

import pytest

from bot.discord_bot.client import Sharding, intents
from bot.discord_bot.failures import route_of
from bot.discord_bot.guild_settings import GuildSettings, MemoryGuildSettings, decode, encode
from bot.discord_bot.questions import limits_request, room_problems, strip_mention, suggest_topics
from bot.discord_bot.runner import id_list, sharding_of
from bot.settings import Settings, SettingsError

YEARS = [2024, 2025, 2026]


@pytest.mark.parametrize(
    ("content", "text"),
    [
        ("<@42> what is the limit?", "what is the limit?"),
        ("<@!42>   roth vs after-tax", "roth vs after-tax"),
        ("hey <@42>, after-tax room?", "hey , after-tax room?"),
        ("<@42>", ""),
        ("<@420> not me", "<@420> not me"),
    ],
)
def test_the_bots_mention_is_stripped_and_others_kept(content: str, text: str) -> None:
    assert strip_mention(content, 42) == text


def test_room_options_in_range_have_no_problems() -> None:
    options: dict[str, Any] = {
        "deferrals": 24500,
        "employer": 0,
        "age": 61,
        "year": 2026,
        "salary": 10_000_000,
        "match": "50% up to 6%",
        "pay_frequency": "monthly",
    }
    assert room_problems(options, YEARS) == []


def test_every_room_problem_is_reported_at_once() -> None:
    """Several bad options give one message per option, each naming it and the range."""
    problems = room_problems(
        {"deferrals": 10_000_001, "employer": -1, "age": 0, "year": 2023, "salary": True},
        YEARS,
    )

    assert problems == [
        "`deferrals` must be a whole-dollar amount from $0 to $10,000,000; got `10000001`.",
        "`employer` must be a whole-dollar amount from $0 to $10,000,000; got `-1`.",
        "`salary` must be a whole-dollar amount from $0 to $10,000,000.",
        "`age` must be from 1 to 129; got `0`.",
        "`year` must be one of 2024, 2025, 2026; got `2023`.",
    ]


TITLES = {
    "mega-backdoor-roth": "The mega backdoor Roth, step by step",
    "plan-questions": "How to tell whether a plan supports the mega backdoor Roth",
    "roth-vs-after-tax": "Roth 401(k) vs after-tax 401(k) contributions",
}


def test_topic_suggestions_match_every_word_typed_titles_starting_with_it_first() -> None:
    assert suggest_topics("the mega", TITLES) == [
        ("mega-backdoor-roth", "The mega backdoor Roth, step by step"),
        ("plan-questions", "How to tell whether a plan supports the mega backdoor Roth"),
    ]
    assert suggest_topics("AFTER-TAX roth", TITLES) == [
        ("roth-vs-after-tax", "Roth 401(k) vs after-tax 401(k) contributions")
    ]
    assert suggest_topics("pension", TITLES) == []


def test_topic_suggestions_stop_at_25() -> None:
    many = {f"topic-{i}": f"Topic {i}" for i in range(40)}
    assert len(suggest_topics("", many)) == 25


def test_no_privileged_intent_is_asked_for() -> None:
    """Members, presences and message content need approval; the bot works without them."""
    wanted = intents()
    assert not wanted.message_content
    assert not wanted.members
    assert not wanted.presences
    assert wanted.guilds
    assert wanted.guild_messages
    assert wanted.dm_messages


def shards(**values: Any) -> Sharding:
    return sharding_of(Settings(**values))


def test_sharding_is_off_unless_configured() -> None:
    assert shards() == Sharding(count=None, ids=None)


def test_shard_count_and_ids_come_from_the_environment() -> None:
    assert shards(discord_shard_count=4, discord_shard_ids="1, 3") == Sharding(4, [1, 3])
    assert shards(discord_shard_count="auto") == Sharding("auto", None)


def test_a_stateful_set_pod_runs_the_shard_of_its_ordinal() -> None:
    """Pod discord-bot-1 of a StatefulSet runs shard 1 of DISCORD_SHARD_COUNT."""
    assert shards(discord_shard_count=2, pod_name="discord-bot-1") == Sharding(2, [1])
    assert shards(discord_shard_count=2, discord_shard_ids="0", pod_name="discord-bot-1") == (
        Sharding(2, [0])
    )


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"discord_shard_count": 2, "discord_shard_ids": "2"}, "DISCORD_SHARD_COUNT"),
        ({"discord_shard_ids": "0"}, "DISCORD_SHARD_COUNT"),
        ({"discord_shard_count": 2, "discord_shard_ids": "one"}, "DISCORD_SHARD_IDS"),
        ({"discord_shard_count": 2, "pod_name": "discord-bot-5"}, "DISCORD_SHARD_COUNT"),
    ],
)
def test_bad_shard_settings_name_the_variable(values: dict[str, Any], named: str) -> None:
    with pytest.raises(SettingsError, match=named):
        sharding_of(Settings(**values))


def test_guild_ids_accept_commas_and_spaces() -> None:
    assert id_list("123, 456 789", "DISCORD_GUILD_IDS") == [123, 456, 789]
    with pytest.raises(SettingsError, match="DISCORD_GUILD_IDS"):
        id_list("123,abc", "DISCORD_GUILD_IDS")


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("limits", (True, None)),
        ("2025 limits", (True, 2025)),
        ("what are the 401k limits for 2024?", (True, 2024)),
        ("show me the contribution limits", (True, None)),
        ("what are the limits on after-tax room for me", (False, None)),
        ("roth limits", (False, None)),
    ],
)
def test_a_mention_that_only_asks_for_limits_is_read_as_slash_limits(
    text: str, asked: tuple[bool, int | None]
) -> None:
    assert limits_request(text) == asked


def test_the_bots_role_mention_is_stripped_too() -> None:
    assert strip_mention("<@&7> what is the limit? <@&8>", 42, 7) == "what is the limit? <@&8>"


def test_server_settings_survive_the_bytes_a_shared_store_would_keep() -> None:
    chosen = GuildSettings(mention_replies=False, channels=frozenset({5, 3}), short_replies=True)

    assert decode(encode(chosen)) == chosen
    assert decode(b"{}") == GuildSettings()


def test_an_allow_list_answers_mentions_in_its_channels_and_their_threads_only() -> None:
    everywhere = GuildSettings()
    listed = everywhere.with_channels(add=[10])

    assert everywhere.answers_mentions_in(99)
    assert listed.answers_mentions_in(10)
    assert listed.answers_mentions_in(55, 10), "a thread of channel 10"
    assert not listed.answers_mentions_in(11)
    assert not listed.with_channels(remove=[10]).channels
    assert not GuildSettings(mention_replies=False).answers_mentions_in(10)


async def test_the_memory_store_keeps_each_servers_settings_apart() -> None:
    store = MemoryGuildSettings()
    await store.put(1, GuildSettings(public_replies=False))

    assert (await store.get(1)).public_replies is False
    assert await store.get(2) == GuildSettings()


@pytest.mark.parametrize(
    ("path", "route"),
    [
        ("/api/v10/channels/123/messages", "channels/{id}/messages"),
        (
            "/api/v10/interactions/123/aW50ZXJhY3Rpb246MTIz/callback",
            "interactions/{id}/{token}/callback",
        ),
        (
            "/api/v10/webhooks/1/Tok-en_1/messages/@original",
            "webhooks/{id}/{token}/messages/@original",
        ),
        (
            "/api/v10/channels/1/messages/2/reactions/\N{HOURGLASS WITH FLOWING SAND}/@me",
            "channels/{id}/messages/{id}/reactions/{token}/@me",
        ),
    ],
)
def test_a_logged_route_keeps_no_id_or_token(path: str, route: str) -> None:
    assert route_of(path) == route
