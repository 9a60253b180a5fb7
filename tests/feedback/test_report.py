"""The curator report of a seeded database, as text and as one self-contained HTML page."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from html.parser import HTMLParser

import pytest

from bot.feedback.database import Database
from bot.feedback.records import AnswerRecord, FeedbackRecord
from bot.feedback.report import to_html, to_text
from bot.feedback.report_data import load_report

UNTIL = dt.datetime(2026, 6, 17, 12, 0, tzinfo=dt.UTC)  # a Wednesday
SINCE = UNTIL - dt.timedelta(days=30)


def at(days_ago: float) -> dt.datetime:
    return UNTIL - dt.timedelta(days=days_ago)


def seed(database: Database) -> None:
    records: list[AnswerRecord | FeedbackRecord] = []
    records += [AnswerRecord(at(1), "slack", "article", "roth-vs-after-tax") for _ in range(5)]
    records += [AnswerRecord(at(2), "discord", "calculation", "after-tax-room") for _ in range(2)]
    records += [
        AnswerRecord(at(1), "slack", "fallback", None, (("help", 0.2),), "buy # bitcoin?", "u1"),
        AnswerRecord(at(1), "slack", "fallback", None, (("help", 0.2),), "Buy bitcoin", "u2"),
        AnswerRecord(at(2), "discord", "fallback", None, (("help", 0.2),), "buy # bitcoin?", "u1"),
        AnswerRecord(at(9), "slack", "clarify", "roth-vs-after-tax",
                     (("roth-vs-after-tax", 0.6), ("why-after-tax", 0.58))),
        AnswerRecord(at(9), "slack", "clarify", "roth-vs-after-tax",
                     (("roth-vs-after-tax", 0.6), ("why-after-tax", 0.58))),
        AnswerRecord(at(40), "slack", "fallback", None, (), "too old to count"),
    ]  # fmt: skip
    records += [FeedbackRecord(at(1), "slack", "article", "roth-vs-after-tax", True)] * 3
    records += [
        FeedbackRecord(at(1), "slack", "article", "roth-vs-after-tax", False, "too long"),
        FeedbackRecord(at(2), "discord", "calculation", "after-tax-room", False),
    ]
    database.write(records)


def test_report_figures_of_a_seeded_database(database: Database) -> None:
    """Counts by kind and topic, helpful rates, fallbacks and clarifies per week, and the
    unanswered questions grouped by their words (by topics when no text was kept)."""
    seed(database)
    report = load_report(database, SINCE, UNTIL)
    assert report.kinds == {"article": 5, "calculation": 2, "fallback": 3, "clarify": 2}
    assert report.topics[:2] == [
        ("roth-vs-after-tax", "article", 5),
        ("after-tax-room", "calculation", 2),
    ]
    rates = {r.topic: (r.helpful, r.total) for r in report.ratings}
    assert rates == {"roth-vs-after-tax": (3, 4), "after-tax-room": (0, 1)}
    by_week = {w.start: (w.fallbacks, w.clarifies) for w in report.weeks}
    assert by_week[dt.date(2026, 6, 15)] == (3, 0)
    assert by_week[dt.date(2026, 6, 8)] == (0, 2)
    assert sum(f for f, _ in by_week.values()) == 3
    first, second = report.misses[:2]
    assert (first.label, first.count, first.people) == ("buy # bitcoin?", 3, 2)
    assert "roth-vs-after-tax / why-after-tax" in second.label
    assert second.count == 2
    assert report.reasons == [("too long", 1)]

    text = to_text(report)
    assert "roth-vs-after-tax" in text
    assert "75%  3 of 4" in text
    assert "buy # bitcoin?" in text
    assert "too old" not in text
    assert max(len(line) for line in text.splitlines()) <= 80


class Page(HTMLParser):
    """Collects tags, attributes and text, and checks every element that opens closes."""

    VOID = frozenset({"meta", "br", "img", "link", "input", "hr"})

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open.pop() != tag:
            self.errors.append(f"</{tag}> does not close the open element")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_report_parses_holds_the_figures_and_loads_nothing(database: Database) -> None:
    """The page is well formed, shows the seeded figures in tables and inline SVG, and
    has no script, no link, no image and no URL to fetch."""
    seed(database)
    page_text = to_html(load_report(database, SINCE, UNTIL))
    page = Page()
    page.feed(page_text)
    page.close()
    assert page.errors == []
    assert page.open == []
    tags = [tag for tag, _ in page.tags]
    assert tags.count("svg") == 2
    assert {"script", "link", "img", "iframe", "object", "embed"}.isdisjoint(tags)
    for tag, attrs in page.tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert name not in ("src", "href", "srcset", "xlink:href"), (tag, name)
            assert "url(" not in (value or "")
    assert "http" not in page_text
    assert "@import" not in page_text
    words = " ".join(page.text)
    assert "75%" in words
    assert "buy # bitcoin?" in words
    assert "roth-vs-after-tax / why-after-tax" in words


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        capture_output=True, text=True, timeout=120, env={**os.environ, **env},
    )  # fmt: skip


def test_report_and_db_commands(tmp_path) -> None:
    """`report` on a new database asks for `db upgrade` in one line; after it, the report
    prints and --html writes a page; `db purge --all` empties it."""
    env = {"BOT_DATABASE_URL": f"sqlite:///{tmp_path / 'bot.sqlite3'}"}
    behind = run("report", env=env)
    assert behind.returncode == 2
    assert behind.stderr.count("\n") == 1
    assert "run 401k-bot db upgrade" in behind.stderr
    assert run("db", "upgrade", env=env).returncode == 0
    database = Database(env["BOT_DATABASE_URL"])
    database.write([AnswerRecord(dt.datetime.now(dt.UTC), "slack", "fallback", None)])
    shown = run("report", "--since", "4w", env=env)
    assert shown.returncode == 0, shown.stderr
    assert "fallback           1" in shown.stdout
    out = tmp_path / "report.html"
    assert run("report", "--html", str(out), env=env).returncode == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    purged = run("db", "purge", "--all", env=env)
    assert purged.stdout.strip() == "deleted 1 records"
    database.close()


@pytest.mark.parametrize("since", ["30", "0d", "3x", "99999d"])
def test_a_bad_period_is_one_line(since: str, tmp_path) -> None:
    """--since takes days or weeks from 1d to 3650d; anything else is one line."""
    done = run("report", "--since", since, env={"BOT_DATABASE_URL": "sqlite:///:memory:"})
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert "period" in done.stderr


def test_ask_and_chat_do_not_load_sql() -> None:
    """Answering from a terminal imports neither SQLAlchemy nor Alembic."""
    code = (
        "import sys, io; from bot.cli import main; main(['ask', 'roth vs after-tax']); "
        "sys.stdin = io.StringIO('what is a roth 401k?\\nbuy bitcoin\\nquit\\n'); main(['chat']); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'alembic')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("[]")
