"""The records in real SQLite and PostgreSQL: migrations, writes off the reply path,
retention, and a database that is down."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import socket

import pytest
import sqlalchemy as sa

from bot.feedback.database import Database, DatabaseError
from bot.feedback.recorder import Recorder
from bot.feedback.records import AnswerRecord, FeedbackRecord
from bot.feedback.schema import answers, feedback

NOW = dt.datetime(2026, 6, 15, 12, 0, tzinfo=dt.UTC)


def answer(days_ago: float = 0, kind: str = "fallback") -> AnswerRecord:
    return AnswerRecord(
        at=NOW - dt.timedelta(days=days_ago), surface="slack", kind=kind, topic=None,
        candidates=(("help", 0.31),), question="buy # bitcoin", user="u" * 32,
    )  # fmt: skip


def click(days_ago: float = 0) -> FeedbackRecord:
    return FeedbackRecord(
        at=NOW - dt.timedelta(days=days_ago), surface="discord", kind="article",
        topic="roth-vs-after-tax", helpful=False, reason="too long",
    )  # fmt: skip


def rows(database: Database, table: sa.Table) -> list[sa.Row[tuple[object, ...]]]:
    with database.engine.connect() as connection:
        return list(connection.execute(sa.select(table)))


def test_migrations_create_the_tables_from_empty(empty_database: Database) -> None:
    """An empty database is behind, `upgrade` brings it to the head, and again is a no-op."""
    assert empty_database.revision() is None
    with pytest.raises(DatabaseError) as behind:
        empty_database.check()
    assert "run 401k-bot db upgrade" in str(behind.value)
    assert "\n" not in str(behind.value)
    assert empty_database.upgrade() == empty_database.head()
    empty_database.check()
    tables = set(sa.inspect(empty_database.engine).get_table_names())
    assert {"answers", "feedback", "alembic_version"} <= tables
    assert empty_database.upgrade() == empty_database.head()


def test_records_are_written_as_given(database: Database) -> None:
    """An answer keeps its candidates and redacted text; a click its topic and verdict."""
    database.write([answer(), click()])
    (kept,) = rows(database, answers)
    assert kept.kind == "fallback"
    assert kept.candidates == [["help", 0.31]]
    assert kept.question == "buy # bitcoin"
    assert kept.at == NOW
    (rated,) = rows(database, feedback)
    assert (rated.topic, rated.helpful, rated.reason) == ("roth-vs-after-tax", False, "too long")


def test_retention_deletes_only_what_is_older(database: Database) -> None:
    """A purge at 90 days deletes the 91-day-old records and keeps the 89-day-old ones."""
    database.write([answer(91), answer(89), click(91), click(1)])
    assert database.purge(NOW - dt.timedelta(days=90)) == 2
    assert len(rows(database, answers)) == 1
    assert len(rows(database, feedback)) == 1
    assert database.purge() == 2
    assert rows(database, answers) == []


def test_sqlite_runs_in_wal_mode(tmp_path) -> None:
    """The default SQLite file is opened in write-ahead-log mode."""
    database = Database(f"sqlite:///{tmp_path / 'x' / 'f.sqlite3'}")
    database.upgrade()
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    database.close()


async def test_recorder_writes_off_the_reply_path_and_purges(database: Database) -> None:
    """`record` returns at once; the writer task stores the batch; the daily purge runs
    at start and removes what is past the retention."""
    database.write([answer(days_ago=200)])
    recorder = Recorder(database, retention_days=90, now=lambda: NOW)
    recorder.start()
    for _ in range(50):
        recorder.record(answer())
    recorder.record(click())
    for _ in range(500):
        if recorder.written == 51 and recorder.purged == 1:
            break
        await asyncio.sleep(0.01)
    await recorder.close()
    assert recorder.purged == 1
    assert recorder.written == 51
    assert recorder.lost == 0
    assert len(rows(database, answers)) == 50
    assert len(rows(database, feedback)) == 1


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_a_database_that_is_down_loses_records_not_time(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """With nothing listening, recording never raises or waits; the loss is logged and
    counted, without the question's text."""
    down = Database(f"postgresql://bot@127.0.0.1:{closed_port()}/bot?connect_timeout=2")
    recorder = Recorder(down)
    recorder.start()
    caplog.set_level(logging.WARNING, "401k-bot.feedback")
    loop = asyncio.get_running_loop()
    started = loop.time()
    for _ in range(3):
        recorder.record(answer())
    assert loop.time() - started < 0.01
    await recorder.close()
    assert recorder.lost == 3
    assert recorder.written == 0
    assert "records lost" in caplog.text
    assert "bitcoin" not in caplog.text


async def test_a_full_queue_drops_and_counts(database: Database) -> None:
    """Past the queue's bound a record is dropped and counted, never waited for."""
    recorder = Recorder(database, queue_size=2)
    for _ in range(5):
        recorder.record(answer())
    assert recorder.lost == 3
    await recorder.flush()
    assert recorder.written == 2


def test_a_malformed_url_is_one_line() -> None:
    """BOT_DATABASE_URL that is not a database URL is named in one line."""
    for url in ("not a url", "mysql://u@h/db"):
        with pytest.raises(DatabaseError) as bad:
            Database(url)
        assert str(bad.value).startswith("BOT_DATABASE_URL")
        assert "\n" not in str(bad.value)


def test_start_up_refuses_a_postgresql_schema_that_is_behind(postgres_url: str) -> None:
    """A shared database not yet migrated stops the bot at start in one line naming the fix."""
    from bot.feedback.curation import open_curation
    from bot.settings import Settings, SettingsError
    from tests.fakes.database import emptied

    emptied(Database(postgres_url)).close()
    with pytest.raises(SettingsError) as behind:
        open_curation(Settings(bot_database_url=postgres_url))
    assert str(behind.value).endswith("run 401k-bot db upgrade")
    assert "\n" not in str(behind.value)
    Database(postgres_url).upgrade()
    assert open_curation(Settings(bot_database_url=postgres_url)).enabled


def test_start_up_brings_a_sqlite_file_up_to_date(tmp_path) -> None:
    """The embedded default needs no migration step; BOT_FEEDBACK=off opens nothing."""
    from bot.feedback.curation import open_curation
    from bot.settings import Settings

    url = f"sqlite:///{tmp_path / 'new' / 'f.sqlite3'}"
    assert open_curation(Settings(bot_database_url=url)).enabled
    Database(url).check()
    off = open_curation(
        Settings(bot_database_url=f"sqlite:///{tmp_path / 'x.db'}", bot_feedback="off")
    )
    assert not off.enabled
    assert not (tmp_path / "x.db").exists()


def test_a_folder_that_cannot_be_made_turns_recording_off(tmp_path, caplog) -> None:
    """A read-only place for the SQLite file is a warning, not a bot that will not start."""
    from bot.feedback.curation import open_curation
    from bot.settings import Settings

    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    curation = open_curation(Settings(bot_database_url=f"sqlite:///{blocker / 'f.sqlite3'}"))
    assert not curation.enabled
    assert "recording for the curator report is off" in caplog.text
