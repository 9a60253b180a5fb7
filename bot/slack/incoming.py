"""Slack payloads into Questions: mention stripping, entity decoding and what to ignore."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.conversation import ConversationKey
from bot.reply import Question

_BROADCAST = re.compile(r"<!(?:here|channel|everyone)(?:\|[^>]*)?>", re.IGNORECASE)
_ENTITY = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")
_SPACES = re.compile(r"[^\S\n]+")

# Messages with these subtypes are edits, deletions, joins, bot posts and the like.
_ANSWERED_SUBTYPES = frozenset({"", "thread_broadcast", "file_share"})


def is_broadcast(text: str) -> bool:
    """True when Slack's encoding of `text` holds @here, @channel or @everyone."""
    return _BROADCAST.search(text) is not None


def to_question_text(text: str, bot_user_id: str | None) -> str:
    """Slack message text as a person wrote it, without the mention of the bot.

    Slack encodes `&`, `<`, `>` as entities and mentions, channels and links as
    `<…>`; links become their label (or URL), other mentions a plain `@user`.
    """

    def decode(match: re.Match[str]) -> str:
        target, label = match[1], match[2]
        if bot_user_id and target == f"@{bot_user_id}":
            return " "
        if target.startswith(("@", "#", "!")):
            return f"{target[0] if target[0] != '!' else '@'}{label or target[1:]}"
        return label or target

    decoded = _ENTITY.sub(decode, text)
    decoded = decoded.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    lines = (_SPACES.sub(" ", line).strip() for line in decoded.split("\n"))
    return "\n".join(line for line in lines if line)


def is_answerable(event: Mapping[str, Any], bot_user_id: str | None) -> bool:
    """Whether a message or mention event is a person asking: not a bot, edit or broadcast.

    Slack sends `app_mention` again, with a new `event_id` and an `edited` field, each
    time a message that mentions the bot is edited; the first version was answered.
    """
    if event.get("bot_id") or event.get("bot_profile") or event.get("edited"):
        return False
    if event.get("subtype", "") not in _ANSWERED_SUBTYPES:
        return False
    user = event.get("user")
    if not user or user == bot_user_id:
        return False
    return not is_broadcast(str(event.get("text", "")))


@dataclass(frozen=True)
class Destination:
    """Where a reply goes: a channel, and the thread to post it in (None for top level)."""

    channel: str
    thread_ts: str | None


def _event_question(
    event: Mapping[str, Any],
    bot_user_id: str | None,
    today: dt.date,
    *,
    is_dm: bool,
    conversation: str | None,
) -> Question:
    return Question(
        text=to_question_text(str(event.get("text", "")), bot_user_id),
        surface="slack",
        user_id=event.get("user"),
        channel_id=event.get("channel"),
        is_dm=is_dm,
        in_thread=event.get("thread_ts") is not None,
        today=today,
        conversation=conversation,
    )


def thread_conversation(event: Mapping[str, Any], team: str | None) -> str:
    """The conversation of a person in the thread a message is in (or starts)."""
    thread_ts = str(event.get("thread_ts") or event["ts"])
    key = ConversationKey("slack", str(event.get("user")), team, str(event["channel"]), thread_ts)
    return key.id


def dm_conversation(event: Mapping[str, Any], team: str | None) -> str:
    """A person's conversation in their DM with the bot: one per person."""
    return ConversationKey("slack", str(event.get("user")), team, str(event["channel"])).id


def mention_question(
    event: Mapping[str, Any], bot_user_id: str | None, today: dt.date, team: str | None = None
) -> tuple[Question, Destination]:
    """An `app_mention`: the question, and the thread of the message that asked it.

    It is a turn of the asker's conversation in that thread; so is a later message of
    theirs in the thread that does not mention the bot (the caller checks that the
    conversation is live).
    """
    conversation = thread_conversation(event, team)
    question = _event_question(event, bot_user_id, today, is_dm=False, conversation=conversation)
    thread_ts = event.get("thread_ts") or str(event["ts"])
    return question, Destination(str(event["channel"]), thread_ts)


def dm_question(
    event: Mapping[str, Any], bot_user_id: str | None, today: dt.date, team: str | None = None
) -> tuple[Question, Destination]:
    """A direct message: the question, answered in the DM (in its thread, if it had one).

    Every DM is a turn of the person's one conversation with the bot.
    """
    question = _event_question(
        event, bot_user_id, today, is_dm=True, conversation=dm_conversation(event, team)
    )
    return question, Destination(str(event["channel"]), event.get("thread_ts"))


@dataclass(frozen=True)
class SlashCommand:
    """A slash command as typed: its name, its text without a leading `public`, and flags."""

    name: str
    text: str
    public: bool
    wants_help: bool


def parse_command(command: str, text: str) -> SlashCommand:
    """Read `/AfterTaxRoom public 24500 10000` as name, text and flags, case-insensitively.

    Only `public` as the first word makes the answer public: anywhere else it is part of
    the question ("I work in the public sector…") and the answer stays private.
    """
    name = command.strip().lstrip("/").lower()
    words = to_question_text(text, None).split()
    public = bool(words) and words[0].lower() == "public"
    rest = " ".join(words[1:] if public else words)
    wants_help = rest.lower().strip("?! ") in ("help", "usage")
    return SlashCommand(name=name, text=rest, public=public, wants_help=wants_help)


def command_question(command: SlashCommand, payload: Mapping[str, Any], today: dt.date) -> Question:
    """A slash command's Question; the engine reads its positional numbers and `key=value`."""
    channel = payload.get("channel_id")
    return Question(
        text=command.text,
        surface="slack",
        user_id=payload.get("user_id"),
        channel_id=channel,
        is_dm=str(payload.get("channel_name", "")) == "directmessage"
        or str(channel or "").startswith("D"),
        in_thread=False,
        command="plan" if command.text.lower() == "plan" else command.name,
        today=today,
    )
