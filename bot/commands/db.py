"""`db upgrade` and `db purge`: the database of answers and feedback (BOT_DATABASE_URL)."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from bot.commands import UsageError, summary
from bot.settings import load_settings

WHERE = "BOT_DATABASE_URL: a SQLite file (default: one in the user data folder) or PostgreSQL."


def register(sub: argparse._SubParsersAction[Any]) -> None:
    db = sub.add_parser(
        "db",
        help=summary("db"),
        description="The database the curator report reads: " + WHERE,
    )
    actions = db.add_subparsers(dest="db_command", metavar="ACTION")
    db.set_defaults(run=lambda _args: _usage(db))

    upgrade = actions.add_parser(
        "upgrade",
        help="create the tables or bring them up to date",
        description="Apply the schema migrations the database does not have yet. Run it "
        "once before starting the bot on a new database, and after each upgrade of the "
        "bot; it is safe to run again.",
        epilog="example: BOT_DATABASE_URL=postgresql://bot@db/bot 401k-bot db upgrade",
    )
    upgrade.set_defaults(run=run_upgrade)

    purge = actions.add_parser(
        "purge",
        help="delete recorded answers and feedback",
        description="Delete the records older than BOT_RETENTION_DAYS (default 90; the "
        "bot also does this daily), or every record with --all.",
        epilog="example: 401k-bot db purge --all",
    )
    purge.add_argument("--all", action="store_true", help="delete every record")
    purge.set_defaults(run=run_purge)


def _database() -> Any:
    from bot.feedback.database import Database, DatabaseError

    try:
        return Database(load_settings().bot_database_url)
    except DatabaseError as exc:
        raise UsageError(str(exc)) from None


def _reach(action: str, work: Any) -> Any:
    """`work()`, with a database that cannot be reached as one line naming `action`."""
    from bot.feedback.database import DatabaseError

    try:
        return work()
    except DatabaseError as exc:
        raise UsageError(str(exc)) from None
    except Exception as exc:
        raise UsageError(f"cannot {action}: the database refused ({type(exc).__name__})") from None


def run_upgrade(args: argparse.Namespace) -> int:
    database = _database()
    revision = _reach("upgrade", database.upgrade)
    database.close()
    print(f"database schema at revision {revision}")
    return 0


def run_purge(args: argparse.Namespace) -> int:
    settings = load_settings()
    database = _database()
    _reach("purge", database.check)
    if args.all:
        deleted = _reach("purge", database.purge)
        print(f"deleted {deleted} records")
    else:
        before = dt.datetime.now(dt.UTC) - dt.timedelta(days=settings.bot_retention_days)
        deleted = _reach("purge", lambda: database.purge(before))
        print(f"deleted {deleted} records older than {settings.bot_retention_days} days")
    database.close()
    return 0


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2
