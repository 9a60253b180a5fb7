"""What is kept of a person: redacted questions and keyed hashes."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.feedback.privacy import MAX_CHARS, keyed_hash, redact
from bot.feedback.records import Policy, answer_record, feedback_record
from bot.reply import Question, Reply

AT = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
PIECES = st.sampled_from(
    [
        "how do I", " ", "buy bitcoin", "24,500", "$10k", "١٢٣", "１２", "²", "½", "<@U024BE7LH>",
        "<@!80351110224678912>", "<#C123|general>", "@alice", "@", "＠bob", "bob.smith@example.com",
        "https://evil.example/x?y=1", "www.example.org", "acme.com/plan", "(415) 555-0100",
        "+44 20 7946 0958", "415.555.0100", "401(k)", "\n", "é", "ｗｗｗ.x.com",
    ]
)  # fmt: skip


@given(st.lists(st.one_of(PIECES, st.text(max_size=20)), max_size=30).map("".join))
def test_no_digit_and_no_mention_survives_redaction(text: str) -> None:
    """Whatever is typed, the redacted text holds no digit, no @ and no platform tag."""
    kept = redact(text)
    assert not any(c.isnumeric() for c in kept)
    assert "@" not in kept
    assert "<@" not in kept
    assert "<#" not in kept
    assert len(kept) <= MAX_CHARS


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("I defer $24,500 and get 10k, any room?", "I defer $# and get #k, any room?"),
        ("<@U024BE7LH> can I do a mega backdoor?", "can I do a mega backdoor?"),
        ("mail bob.smith@example.com about it", "mail about it"),
        ("see https://example.com/plan?id=7 or www.example.org now", "see or now"),
        ("call (415) 555-0100 or +44 20 7946 0958 today", "call or today"),
        ("@alice says buy bitcoin", "says buy bitcoin"),
    ],
)  # fmt: skip
def test_redaction_removes_what_identifies_and_keeps_the_words(typed: str, kept: str) -> None:
    """Mentions, emails, URLs and phone numbers go; numbers become #; the words stay."""
    assert redact(typed) == kept


@pytest.mark.parametrize(
    "hostile", ["a." * 5000, "( " * 5000, "<" * 8000, "@a" * 5000, "1-" * 5000, "x://" * 3000]
)
def test_redaction_takes_linear_time(hostile: str) -> None:
    """A long pathological paste is redacted about as fast as a short one."""
    started = time.perf_counter()
    redact(hostile * 10)
    assert time.perf_counter() - started < 0.05


def test_keyed_hash_counts_repeat_askers_without_naming_them() -> None:
    """The same id hashes the same under one key, differently under another, never to itself;
    without a key no id is kept at all."""
    first = keyed_hash("k1", "slack:user", "U024BE7LH")
    assert first == keyed_hash("k1", "slack:user", "U024BE7LH")
    assert first != keyed_hash("k2", "slack:user", "U024BE7LH")
    assert first != keyed_hash("k1", "slack:user", "U024BE7LI")
    assert first is not None
    assert "U024BE7LH" not in first
    assert keyed_hash(None, "slack:user", "U024BE7LH") is None


def fallback() -> Reply:
    return Reply(
        kind="fallback", topic=None, title="t", text="x", disclosure="d", tax_year=2026,
        suggestions=["help"], candidates=(("help", 0.31), ("contribution-limits", 0.2)),
    )  # fmt: skip


QUESTION = Question(
    text="buy 100 bitcoin? ask <@U1>", surface="slack", user_id="U1", channel_id="C9"
)


def test_question_text_is_kept_only_when_asked_for_and_then_redacted() -> None:
    """Off by default; with BOT_RECORD_QUESTIONS=redacted the text is kept without numbers."""
    off = answer_record(Policy(), QUESTION, fallback(), AT)
    assert off is not None
    assert off.question is None
    assert off.candidates == (("help", 0.31), ("contribution-limits", 0.2))
    kept = answer_record(Policy(record_questions="redacted"), QUESTION, fallback(), AT)
    assert kept is not None
    assert kept.question == "buy # bitcoin? ask"


def test_ids_are_kept_only_as_keyed_hashes() -> None:
    """With BOT_HASH_KEY the user and channel are hashes; without it, nothing."""
    hashed = answer_record(Policy(hash_key="secret"), QUESTION, fallback(), AT)
    assert hashed is not None
    assert hashed.user is not None
    assert hashed.channel is not None
    assert "U1" not in (hashed.user + hashed.channel)
    plain = answer_record(Policy(), QUESTION, fallback(), AT)
    assert plain is not None
    assert (plain.user, plain.channel) == (None, None)


def test_nothing_is_recorded_with_feedback_off() -> None:
    """BOT_FEEDBACK=off keeps neither answers nor clicks."""
    off = Policy(enabled=False)
    assert answer_record(off, QUESTION, fallback(), AT) is None
    assert feedback_record(off, AT, "slack", ("article", "roth-vs-after-tax"), True) is None


def test_a_reason_is_kept_redacted() -> None:
    """The reason typed with "Not helpful" loses its numbers and addresses."""
    record = feedback_record(
        Policy(), AT, "discord", ("calculation", "after-tax-room"), False,
        reason="wrong, my limit is 70,000 — bob@example.com",
    )  # fmt: skip
    assert record is not None
    assert record.reason == "wrong, my limit is # —"
