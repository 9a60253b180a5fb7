"""Every reply on Slack and Discord is recorded for the curator report, fallbacks and
clarifies with what they weighed; `chat` records `+` and `-`."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import sqlalchemy as sa

from bot.feedback.curation import Curation
from bot.feedback.database import Database
from bot.feedback.recorder import Recorder
from bot.feedback.records import Policy
from bot.feedback.schema import answers, feedback
from tests.fakes.slack import answerer, make_driver

OFF_TOPIC = "should I buy bitcoin with $5,000? ask <@U0OTHER> or mail pat@example.com"


def stored(database: Database, table: sa.Table) -> list[Any]:
    with database.engine.connect() as connection:
        return list(connection.execute(sa.select(table).order_by(table.c.id)))


def curation(database: Database, **policy: Any) -> Curation:
    kept = Curation(Policy(**policy), Recorder(database))
    kept.start()
    return kept


async def test_slack_records_a_fallback_with_its_candidates_and_no_identity(
    fake_slack: Any, sqlite_database: Database
) -> None:
    """A question the bot does not cover is stored as a fallback with its nearest topics;
    by default without its text, and never with the user's or channel's id."""
    state = answerer()
    state.curation = curation(sqlite_database, hash_key="k")
    slack = make_driver(fake_slack, state)

    await slack.command("/401k", OFF_TOPIC)
    await slack.command("/401k", "what is a mega backdoor Roth?")
    await state.curation.close()

    [reply, _] = fake_slack.to("respond")
    assert "I can't answer that question" in reply.shown
    miss, article = stored(sqlite_database, answers)
    assert (miss.surface, miss.kind, miss.topic) == ("slack", "fallback", None)
    assert miss.candidates
    assert all(isinstance(t, str) and 0 <= s <= 1 for t, s in miss.candidates)
    assert miss.question is None
    assert miss.user_hash is not None
    assert "U0PERSON" not in str(tuple(miss))
    assert (article.kind, article.topic) == ("article", "mega-backdoor-roth")
    assert article.candidates == []


async def test_slack_keeps_the_redacted_question_when_asked_to(
    fake_slack: Any, sqlite_database: Database
) -> None:
    """With BOT_RECORD_QUESTIONS=redacted the text is kept, numbers as # and addresses gone."""
    state = answerer()
    state.curation = curation(sqlite_database, record_questions="redacted")
    slack = make_driver(fake_slack, state)

    await slack.command("/401k", OFF_TOPIC)
    await state.curation.close()

    [miss] = stored(sqlite_database, answers)
    assert miss.question == "should I buy bitcoin with $#? ask or mail"
    assert miss.user_hash is None


async def test_discord_records_a_clarify_and_a_fallback(
    discord_bot: Any, sqlite_database: Database
) -> None:
    """`/401k` questions on Discord are stored with their kind and the topics weighed."""
    discord_bot.bot.answers.curation = curation(sqlite_database)
    discord_bot.interact(discord_bot.command("ask", question="what's the weather in Paris?"))
    await discord_bot.callback()
    await discord_bot.bot.answers.curation.close()

    [miss] = stored(sqlite_database, answers)
    assert (miss.surface, miss.kind) == ("discord", "fallback")
    assert miss.question is None


async def test_nothing_is_recorded_with_feedback_off(
    fake_slack: Any, sqlite_database: Database
) -> None:
    """BOT_FEEDBACK=off: replies go out, nothing is stored."""
    state = answerer()
    state.curation = curation(sqlite_database, enabled=False)
    slack = make_driver(fake_slack, state)
    await slack.command("/401k", OFF_TOPIC)
    await state.curation.close()
    assert fake_slack.to("respond")
    assert stored(sqlite_database, answers) == []


async def test_a_database_that_is_down_does_not_touch_the_reply(fake_slack: Any) -> None:
    """Recording into a database that refuses loses the record and sends the reply."""
    state = answerer()
    down = Database("postgresql://bot@127.0.0.1:9/bot?connect_timeout=1")
    state.curation = curation(down)
    slack = make_driver(fake_slack, state)
    await slack.command("/401k", "what is a mega backdoor Roth?")
    [reply] = fake_slack.to("respond")
    assert "mega backdoor" in reply.shown.lower()
    await state.curation.close()
    assert state.curation.recorder is not None
    assert state.curation.recorder.lost == 1


def test_chat_records_plus_and_minus(tmp_path) -> None:
    """`+` after an answer records it as helpful, `-` as not; after a fallback there is
    nothing to rate."""
    url = f"sqlite:///{tmp_path / 'chat.sqlite3'}"
    env = {**os.environ, "BOT_DATABASE_URL": url}
    subprocess.run(
        [sys.executable, "-m", "bot.cli", "db", "upgrade"], env=env, check=True, timeout=60
    )
    lines = (
        "what is a roth 401k?\n+\nI defer 24,500 and my employer adds 10,000: after-tax room?\n"
        "-\nbuy bitcoin\n+\nquit\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "chat"],
        input=lines, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("Thanks for the feedback.") == 2
    assert "Nothing to rate yet" in done.stdout
    database = Database(url)
    rows = [(r.surface, r.kind, r.topic, r.helpful) for r in stored(database, feedback)]
    database.close()
    assert rows == [
        ("console", "article", "roth-401k-basics", True),
        ("console", "calculation", "after-tax-room", False),
    ]
