"""Slack payloads read as questions: mentions stripped, entities decoded, noise ignored."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.slack.incoming import (
    command_question,
    dm_question,
    is_answerable,
    is_broadcast,
    mention_question,
    parse_command,
    to_question_text,
)

TODAY = dt.date(2026, 3, 1)


def test_the_bot_mention_is_stripped_and_entities_decoded() -> None:
    """What the engine reads is what the person typed, without the bot's name."""
    text = "<@U0BOT> is 24.5k &amp; 10k &lt; the limit? see <https://irs.gov|the IRS> <#C1|hr>"
    assert to_question_text(text, "U0BOT") == "is 24.5k & 10k < the limit? see the IRS #hr"


def test_other_mentions_become_plain_names() -> None:
    """Mentions of other people stay readable but are no longer Slack mentions."""
    assert (
        to_question_text("<@U0BOT> ask <@U0PAT|pat> or <@U0SAM>", "U0BOT") == "ask @pat or @U0SAM"
    )


@pytest.mark.parametrize(
    "text", ["<!here> hi", "<!channel>", "hey <!everyone|everyone>", "<!HERE>"]
)
def test_broadcasts_are_recognised(text: str) -> None:
    assert is_broadcast(text)


@pytest.mark.parametrize("text", ["here", "@here in plain text", "<@U1>", "<!subteam^S1>"])
def test_other_text_is_not_a_broadcast(text: str) -> None:
    assert not is_broadcast(text)


def test_a_person_asking_is_answerable() -> None:
    event = {"type": "message", "user": "U0PAT", "text": "roth vs after-tax"}
    assert is_answerable(event, "U0BOT")
    assert is_answerable({**event, "subtype": "thread_broadcast"}, "U0BOT")


@pytest.mark.parametrize(
    "changes",
    [
        {"user": "U0BOT"},
        {"bot_id": "B1"},
        {"bot_profile": {"id": "B1"}},
        {"subtype": "message_changed"},
        {"subtype": "channel_join"},
        {"user": None},
        {"text": "<!channel> roth vs after-tax"},
    ],
)
def test_bots_edits_joins_and_broadcasts_are_not_answerable(changes: dict[str, object]) -> None:
    event = {"type": "message", "user": "U0PAT", "text": "roth vs after-tax", **changes}
    assert not is_answerable(event, "U0BOT")


def test_a_mention_is_answered_in_the_thread_it_started() -> None:
    event = {"user": "U0PAT", "text": "<@U0BOT> limits", "channel": "C1", "ts": "1.1"}
    question, where = mention_question(event, "U0BOT", TODAY)
    assert (question.text, question.surface, question.today) == ("limits", "slack", TODAY)
    assert (question.user_id, question.channel_id, question.is_dm, question.in_thread) == (
        "U0PAT",
        "C1",
        False,
        False,
    )
    assert (where.channel, where.thread_ts) == ("C1", "1.1")


def test_a_dm_is_answered_at_top_level_unless_threaded() -> None:
    event = {"user": "U0PAT", "text": "limits", "channel": "D1", "ts": "2.2"}
    question, where = dm_question(event, "U0BOT", TODAY)
    assert question.is_dm
    assert not question.in_thread
    assert (where.channel, where.thread_ts) == ("D1", None)
    question, where = dm_question({**event, "thread_ts": "1.0"}, "U0BOT", TODAY)
    assert question.in_thread
    assert where.thread_ts == "1.0"


def test_slash_commands_are_read_case_insensitively_with_their_flags() -> None:
    """`public` and `help` are flags; the rest is what the engine reads."""
    command = parse_command("/AfterTaxRoom", "PUBLIC 24500  10000")
    assert (command.name, command.text, command.public, command.wants_help) == (
        "aftertaxroom",
        "24500 10000",
        True,
        False,
    )
    assert parse_command("/401k", " Help ").wants_help
    assert not parse_command("/401k", "help with catch-ups").wants_help


def test_public_is_a_flag_only_as_the_first_word() -> None:
    """Elsewhere `public` is part of the question, which is kept whole and stays private."""
    command = parse_command("/aftertaxroom", "I work in the public sector, I defer 24500")
    assert (command.public, command.text) == (False, "I work in the public sector, I defer 24500")
    assert not parse_command("/401k", "is my 401k public information? public").public
    assert parse_command("/401k", "Public").public


def test_an_edited_mention_is_not_answerable() -> None:
    """Slack re-sends an edited mention as a new event with `edited`; it was answered once."""
    event = {"type": "app_mention", "user": "U0PAT", "text": "<@U0BOT> limits", "ts": "1.0"}
    assert is_answerable(event, "U0BOT")
    assert not is_answerable({**event, "edited": {"user": "U0PAT", "ts": "2.0"}}, "U0BOT")


def test_a_slash_command_question_carries_the_command() -> None:
    payload = {"user_id": "U0PAT", "channel_id": "D9", "channel_name": "directmessage"}
    question = command_question(parse_command("/aftertaxroom", "24500 10000"), payload, TODAY)
    assert (question.command, question.text, question.is_dm) == (
        "aftertaxroom",
        "24500 10000",
        True,
    )
