"""The curator report's rows, read from the database for a period."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import sqlalchemy as sa

from bot.feedback.database import Database
from bot.feedback.report import Rating, Report, UnansweredRow, misses, weeks
from bot.feedback.schema import answers, feedback

UNANSWERED = ("fallback", "clarify")


def _candidates(value: object) -> tuple[tuple[str, float | None], ...]:
    if not isinstance(value, list):
        return ()
    out = []
    for item in value:
        if isinstance(item, list) and item and isinstance(item[0], str):
            score = item[1] if len(item) > 1 and isinstance(item[1], int | float) else None
            out.append((item[0], None if score is None else float(score)))
    return tuple(out)


def load_report(database: Database, since: dt.datetime, until: dt.datetime) -> Report:
    """Every figure of the report for the records from `since` up to `until`."""
    in_period = sa.and_(answers.c.at >= since, answers.c.at <= until)
    rated_in_period = sa.and_(feedback.c.at >= since, feedback.c.at <= until)
    with database.engine.connect() as connection:
        by_kind = sa.select(answers.c.kind, sa.func.count()).where(in_period)
        kinds: dict[str, int] = {
            str(kind): int(count)
            for kind, count in connection.execute(by_kind.group_by(answers.c.kind))
        }
        topics = [
            (topic, kind, count)
            for topic, kind, count in connection.execute(
                sa.select(answers.c.topic, answers.c.kind, sa.func.count().label("n"))
                .where(in_period, answers.c.topic.is_not(None))
                .group_by(answers.c.topic, answers.c.kind)
                .order_by(sa.desc("n"), answers.c.topic, answers.c.kind)
            )
        ]
        counts: dict[str, Counter[bool]] = {}
        for topic, helpful, count in connection.execute(
            sa.select(feedback.c.topic, feedback.c.helpful, sa.func.count())
            .where(rated_in_period)
            .group_by(feedback.c.topic, feedback.c.helpful)
        ):
            counts.setdefault(topic or "(no topic)", Counter())[bool(helpful)] += count
        reasons = Counter(
            reason
            for (reason,) in connection.execute(
                sa.select(feedback.c.reason).where(rated_in_period, feedback.c.reason.is_not(None))
            )
        )
        rows = [
            UnansweredRow(at, kind, _candidates(candidates), question, user)
            for at, kind, candidates, question, user in connection.execute(
                sa.select(
                    answers.c.at,
                    answers.c.kind,
                    answers.c.candidates,
                    answers.c.question,
                    answers.c.user_hash,
                ).where(in_period, answers.c.kind.in_(UNANSWERED))
            )
        ]
    ratings = sorted(
        (Rating(topic, c[True], c[False]) for topic, c in counts.items()),
        key=lambda r: (-r.total, r.topic),
    )
    return Report(
        since=since,
        until=until,
        kinds=kinds,
        topics=topics,
        ratings=ratings,
        weeks=weeks(rows, since, until),
        misses=misses(rows),
        reasons=reasons.most_common(10),
    )
