"""The records kept for the curator report, built from a question and its reply; pure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from bot.feedback.privacy import keyed_hash, redact
from bot.reply import Question, Reply

UNANSWERED = ("fallback", "clarify")
RATED = ("article", "calculation")


@dataclass(frozen=True)
class Policy:
    """What may be recorded: BOT_FEEDBACK, BOT_RECORD_QUESTIONS and BOT_HASH_KEY."""

    enabled: bool = True
    record_questions: Literal["off", "redacted"] = "off"
    hash_key: str | None = None

    def person(self, surface: str, user: str | None, channel: str | None) -> tuple[str | None, ...]:
        """The keyed hashes of a user and a channel id (None without BOT_HASH_KEY)."""
        return (
            keyed_hash(self.hash_key, f"{surface}:user", user),
            keyed_hash(self.hash_key, f"{surface}:channel", channel),
        )


@dataclass(frozen=True)
class AnswerRecord:
    """One reply: its kind and topic; for a clarify or fallback, what it weighed.

    `question` is the redacted text, kept only for a clarify or fallback and only with
    BOT_RECORD_QUESTIONS=redacted; `user` and `channel` are keyed hashes.
    """

    at: dt.datetime
    surface: str
    kind: str
    topic: str | None
    candidates: tuple[tuple[str, float], ...] = ()
    question: str | None = None
    user: str | None = None
    channel: str | None = None


@dataclass(frozen=True)
class FeedbackRecord:
    """One click of "Helpful" or "Not helpful" (or `+` / `-` in `chat`) on a reply."""

    at: dt.datetime
    surface: str
    kind: str
    topic: str | None
    helpful: bool
    reason: str | None = None
    user: str | None = None
    channel: str | None = None


Record = AnswerRecord | FeedbackRecord


def answer_record(
    policy: Policy, question: Question, reply: Reply, at: dt.datetime
) -> AnswerRecord | None:
    """What is kept of `reply` to `question` under `policy`, or None when nothing is."""
    if not policy.enabled:
        return None
    user, channel = policy.person(question.surface, question.user_id, question.channel_id)
    unanswered = reply.kind in UNANSWERED
    text = None
    if unanswered and policy.record_questions == "redacted":
        text = redact(question.text) or None
    return AnswerRecord(
        at=at,
        surface=question.surface,
        kind=reply.kind,
        topic=reply.topic,
        candidates=reply.candidates if unanswered else (),
        question=text,
        user=user,
        channel=channel,
    )


def feedback_record(
    policy: Policy,
    at: dt.datetime,
    surface: str,
    rated: tuple[str, str | None],
    helpful: bool,
    person: tuple[str | None, str | None] = (None, None),
    reason: str | None = None,
) -> FeedbackRecord | None:
    """A click on the reply `rated` (its kind and topic), or None when feedback is off.

    A reason is what the person chose to type; it is kept redacted like a question.
    """
    if not policy.enabled or rated[0] not in RATED:
        return None
    user, channel = policy.person(surface, *person)
    kept = redact(reason) if reason else None
    return FeedbackRecord(
        at=at,
        surface=surface,
        kind=rated[0],
        topic=rated[1],
        helpful=helpful,
        reason=kept or None,
        user=user,
        channel=channel,
    )
