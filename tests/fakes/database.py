"""Real databases for the tests: SQLite in a temporary folder and a throwaway PostgreSQL.

PostgreSQL is BOT_TEST_DATABASE_URL when set, else a server from the `pgserver` wheel,
started once per test run in a temporary folder (on a Unix socket only, no TCP port) and
stopped at the end. Each test gets an empty schema. Never skipped: a server that cannot
be had fails the test with the reason in one line.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.feedback.database import Database
from bot.feedback.schema import metadata


@pytest.fixture(scope="session")
def postgres_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of a PostgreSQL server for this test run."""
    given = os.environ.get("BOT_TEST_DATABASE_URL")
    if given:
        yield given
        return
    try:
        import pgserver

        server = pgserver.get_server(tmp_path_factory.mktemp("pg"), cleanup_mode="stop")
    except Exception as exc:
        pytest.fail(f"no PostgreSQL for the tests: pgserver failed ({exc!r:.200})", pytrace=False)
    try:
        yield server.get_uri()
    finally:
        server.cleanup()


def emptied(database: Database) -> Database:
    """`database` with the report's tables and Alembic's version table dropped."""
    with database.engine.begin() as connection:
        metadata.drop_all(connection)
        connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    return database


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """An empty database, never migrated: SQLite in tmp_path, then PostgreSQL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'feedback.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres_url")
    database = emptied(Database(url))
    yield database
    emptied(database).close()


@pytest.fixture
def database(empty_database: Database) -> Database:
    """A database migrated to the code's schema, with no records."""
    empty_database.upgrade()
    return empty_database


@pytest.fixture
def sqlite_database(tmp_path: Path) -> Iterator[Database]:
    """A migrated SQLite database in tmp_path, for the adapter tests."""
    database = Database(f"sqlite:///{tmp_path / 'adapter.sqlite3'}")
    database.upgrade()
    yield database
    database.close()
