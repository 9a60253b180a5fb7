"""`report`: what people asked, what the bot could not answer, and whether answers helped."""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from pathlib import Path
from typing import Any

from bot.commands import UsageError, summary

PERIOD = re.compile(r"(\d{1,4})\s*([dw])", re.IGNORECASE)


def period(text: str) -> dt.timedelta:
    """argparse type: a period such as 30d or 4w, from 1 day to 10 years."""
    match = PERIOD.fullmatch(text.strip())
    if match is None:
        raise argparse.ArgumentTypeError(f"period '{text}' is not like 30d or 4w")
    days = int(match.group(1)) * (7 if match.group(2).lower() == "w" else 1)
    if not 1 <= days <= 3650:
        raise argparse.ArgumentTypeError(f"period '{text}' is out of range; use 1d to 3650d")
    return dt.timedelta(days=days)


def register(sub: argparse._SubParsersAction[Any]) -> None:
    report = sub.add_parser(
        "report",
        help=summary("report"),
        description="Answers by kind and topic, the helpful rate per topic, fallbacks and "
        "clarifies per week, and the most frequent unanswered questions, from the "
        "database of BOT_DATABASE_URL. Text for a terminal; --html writes one "
        "self-contained page to open in a browser.",
        epilog="examples: 401k-bot report; 401k-bot report --since 90d --html report.html",
    )
    report.add_argument(
        "--since",
        type=period,
        default=dt.timedelta(days=30),
        metavar="PERIOD",
        help="how far back: days (30d) or weeks (4w); default 30d",
    )
    report.add_argument("--html", type=Path, metavar="FILE", help="write the report as HTML")
    report.set_defaults(run=run_report)


def run_report(args: argparse.Namespace) -> int:
    from bot.feedback.database import Database, DatabaseError
    from bot.feedback.report import to_html, to_text
    from bot.feedback.report_data import load_report
    from bot.settings import load_settings

    until = dt.datetime.now(dt.UTC)
    try:
        database = Database(load_settings().bot_database_url)
        database.check()
        report = load_report(database, until - args.since, until)
    except DatabaseError as exc:
        raise UsageError(str(exc)) from None
    except Exception as exc:
        raise UsageError(f"cannot read the database ({type(exc).__name__})") from None
    database.close()
    if args.html is None:
        sys.stdout.write(to_text(report))
        return 0
    try:
        args.html.write_text(to_html(report), encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {args.html}: {exc.strerror}") from None
    print(f"wrote {args.html}")
    return 0
