"""The adapter's pure parts: mention stripping, option checks, topics, shard settings."""

from __future__ import annotations

from typing import Any

import pytest

from bot.discord_bot.client import Sharding, intents
from bot.discord_bot.questions import room_problems, strip_mention, suggest_topics
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
        "`salary` must be a whole-dollar amount from $0 to $10,000,000; got `True`.",
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
