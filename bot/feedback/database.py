"""The curator records in SQL: connect, migrate (Alembic, packaged here), write, purge.

SQLite by default (a file in the user data folder, WAL on), PostgreSQL for several
replicas. Only this module and `schema`, `report_data` import SQLAlchemy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from bot.feedback import schema
from bot.feedback.records import AnswerRecord, FeedbackRecord, Record

MIGRATIONS = Path(__file__).with_name("alembic")
APP_NAME = "401k-bot"


class DatabaseError(Exception):
    """The database cannot be used as configured; the message is one line."""


class FolderError(DatabaseError):
    """The folder of a SQLite file cannot be created (a read-only file system, say)."""


def default_url() -> str:
    """A SQLite file in the user data folder (BOT_DATABASE_URL when unset)."""
    import platformdirs

    folder = platformdirs.user_data_path(APP_NAME, appauthor=False)
    return f"sqlite:///{folder / 'feedback.sqlite3'}"


def _driver_url(url: str) -> sa.URL:
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        raise DatabaseError(
            "BOT_DATABASE_URL is malformed: expected sqlite:///PATH or postgresql://…"
        ) from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise DatabaseError("BOT_DATABASE_URL must be a sqlite:/// or postgresql:// URL")
    return parsed


def _sqlite_pragmas(connection: Any, _record: object) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


class Database:
    """One database of answers and feedback, reached through a SQLAlchemy engine."""

    def __init__(self, url: str | None = None) -> None:
        parsed = _driver_url(url or default_url())
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        if self.is_sqlite and parsed.database not in (None, "", ":memory:"):
            folder = Path(parsed.database).expanduser().parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise FolderError(f"cannot create {folder}: {exc.strerror}") from None
        try:
            self.engine = sa.create_engine(parsed, pool_pre_ping=True)
        except ModuleNotFoundError as missing:
            raise DatabaseError(
                f"BOT_DATABASE_URL needs the {missing.name} driver: "
                "pip install '401k-bot[postgres]'"
            ) from None
        if self.is_sqlite:
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)

    def _config(self, connection: sa.Connection) -> Config:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = connection
        return config

    def head(self) -> str:
        """The revision the code expects."""
        head = ScriptDirectory.from_config(self._config(None)).get_current_head()  # type: ignore[arg-type]
        assert head is not None
        return head

    def revision(self) -> str | None:
        """The revision the database is at; None when it has never been migrated."""
        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def upgrade(self) -> str:
        """Apply every migration not yet applied; returns the revision now in force."""
        with self.engine.begin() as connection:
            command.upgrade(self._config(connection), "head")
        return self.head()

    def check(self) -> None:
        """DatabaseError when the schema is behind the code's (run `401k-bot db upgrade`)."""
        current, head = self.revision(), self.head()
        if current != head:
            at = "empty" if current is None else f"at revision {current}"
            raise DatabaseError(
                f"the database schema is behind ({at}, expected {head}): run 401k-bot db upgrade"
            )

    def write(self, records: Iterable[Record]) -> None:
        """Insert `records` in one transaction."""
        answers: list[dict[str, object]] = []
        feedback: list[dict[str, object]] = []
        for record in records:
            if isinstance(record, AnswerRecord):
                answers.append(
                    {
                        "at": record.at,
                        "surface": record.surface,
                        "kind": record.kind,
                        "topic": record.topic,
                        "candidates": [[t, s] for t, s in record.candidates],
                        "question": record.question,
                        "user_hash": record.user,
                        "channel_hash": record.channel,
                    }
                )
            elif isinstance(record, FeedbackRecord):
                feedback.append(
                    {
                        "at": record.at,
                        "surface": record.surface,
                        "kind": record.kind,
                        "topic": record.topic,
                        "helpful": record.helpful,
                        "reason": record.reason,
                        "user_hash": record.user,
                        "channel_hash": record.channel,
                    }
                )
        with self.engine.begin() as connection:
            if answers:
                connection.execute(sa.insert(schema.answers), answers)
            if feedback:
                connection.execute(sa.insert(schema.feedback), feedback)

    def purge(self, before: dt.datetime | None = None) -> int:
        """Delete the records older than `before` (all of them when None); how many went."""
        deleted = 0
        with self.engine.begin() as connection:
            for table in (schema.answers, schema.feedback):
                statement = sa.delete(table)
                if before is not None:
                    statement = statement.where(table.c.at < before)
                deleted += connection.execute(statement).rowcount
        return deleted

    def close(self) -> None:
        self.engine.dispose()
