"""The curator report from plain rows: the figures, as terminal text or one HTML file.

Pure: rows in, text out. `report_data` reads the rows from the database.
"""

from __future__ import annotations

import datetime as dt
import html
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from bot.normalize import to_tokens

WIDTH = 78
TOP = 15
# Words that say nothing about what was asked, left out when grouping questions.
FILLER = frozenset(
    {"a", "an", "the", "i", "im", "me", "my", "we", "our", "you", "your", "is", "are", "was",
     "be", "do", "does", "did", "can", "could", "should", "would", "how", "what", "when", "why",
     "which", "who", "it", "its", "to", "of", "in", "on", "for", "and", "or", "if", "at", "with",
     "about", "much", "many", "please", "tell", "know", "get", "have", "has", "there", "this",
     "that"}
)  # fmt: skip


@dataclass(frozen=True)
class UnansweredRow:
    """One clarify or fallback as stored."""

    at: dt.datetime
    kind: str
    candidates: tuple[tuple[str, float | None], ...]
    question: str | None
    user: str | None


@dataclass(frozen=True)
class Miss:
    """A group of unanswered questions: a label, how often, and by how many people."""

    label: str
    count: int
    people: int
    kinds: str


@dataclass(frozen=True)
class Rating:
    """The feedback on one topic."""

    topic: str
    helpful: int
    not_helpful: int

    @property
    def total(self) -> int:
        return self.helpful + self.not_helpful

    @property
    def rate(self) -> float:
        return self.helpful / self.total if self.total else 0.0


@dataclass(frozen=True)
class Week:
    """The fallbacks and clarifies of the week starting `start` (a Monday)."""

    start: dt.date
    fallbacks: int
    clarifies: int


@dataclass(frozen=True)
class Report:
    """Everything the report shows, for the period from `since` to `until`."""

    since: dt.datetime
    until: dt.datetime
    kinds: dict[str, int] = field(default_factory=dict)
    topics: list[tuple[str, str, int]] = field(default_factory=list)
    ratings: list[Rating] = field(default_factory=list)
    weeks: list[Week] = field(default_factory=list)
    misses: list[Miss] = field(default_factory=list)
    reasons: list[tuple[str, int]] = field(default_factory=list)

    @property
    def answers(self) -> int:
        return sum(self.kinds.values())


def week_of(moment: dt.datetime) -> dt.date:
    day = moment.date()
    return day - dt.timedelta(days=day.weekday())


def weeks(rows: Iterable[UnansweredRow], since: dt.datetime, until: dt.datetime) -> list[Week]:
    """Fallbacks and clarifies per week, every week of the period shown (empty ones too)."""
    counts: dict[dt.date, Counter[str]] = defaultdict(Counter)
    for row in rows:
        counts[week_of(row.at)][row.kind] += 1
    out = []
    start, last = week_of(since), week_of(until)
    while start <= last:
        out.append(Week(start, counts[start]["fallback"], counts[start]["clarify"]))
        start += dt.timedelta(days=7)
    return out


def question_key(text: str) -> tuple[str, ...]:
    """The normalised words of a redacted question, in a stable order, fillers left out."""
    words = {w for w in to_tokens(text.replace("#", " ")) if w not in FILLER}
    return tuple(sorted(words))


def misses(rows: Sequence[UnansweredRow], top: int = TOP) -> list[Miss]:
    """The most frequent unanswered questions: by their words when text was recorded, by
    the topics they were nearest to otherwise."""
    groups: dict[tuple[str, ...], list[UnansweredRow]] = defaultdict(list)
    for row in rows:
        if row.question:
            key = ("q", *question_key(row.question))
        else:
            key = ("t", *(topic for topic, _ in row.candidates[:2]))
        groups[key].append(row)
    out = []
    for key, members in groups.items():
        if key[0] == "q":
            texts = Counter(r.question for r in members if r.question)
            label = texts.most_common(1)[0][0]
        else:
            near = " / ".join(key[1:]) or "no topic near"
            label = f"(text not recorded) near {near}"
        kinds = Counter(r.kind for r in members)
        out.append(
            Miss(
                label=label,
                count=len(members),
                people=len({r.user for r in members if r.user}),
                kinds=", ".join(f"{n} {k}" for k, n in sorted(kinds.items())),
            )
        )
    out.sort(key=lambda m: (-m.count, m.label))
    return out[:top]


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _percent(rate: float) -> str:
    return f"{round(rate * 100)}%"


def to_text(report: Report) -> str:
    """The report for a terminal: plain lines no wider than WIDTH."""
    lines = [
        f"401k-bot report: {report.since:%Y-%m-%d} to {report.until:%Y-%m-%d}",
        "",
        f"Answers: {report.answers}",
    ]
    for kind, count in sorted(report.kinds.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"  {kind:<12} {count:>7}")
    lines += ["", "Answers by topic:"]
    if not report.topics:
        lines.append("  none")
    for topic, kind, count in report.topics[:TOP]:
        lines.append(f"  {_cut(topic, 40):<40} {kind:<12} {count:>7}")
    lines += ["", "Helpful rate by topic:"]
    if not report.ratings:
        lines.append("  no feedback yet")
    for rating in report.ratings:
        lines.append(
            f"  {_cut(rating.topic, 40):<40} {_percent(rating.rate):>5}  "
            f"{rating.helpful} of {rating.total}"
        )
    lines += [
        "",
        "Fallbacks and clarifies per week:",
        f"  {'week of':<12} {'fallback':>9} {'clarify':>9}",
    ]
    for week in report.weeks:
        lines.append(f"  {week.start:%Y-%m-%d}   {week.fallbacks:>9} {week.clarifies:>9}")
    lines += ["", "Most frequent unanswered questions:"]
    if not report.misses:
        lines.append("  none")
    for miss in report.misses:
        who = f", {miss.people} people" if miss.people else ""
        lines.append(f"  {miss.count:>5}  {_cut(miss.label, WIDTH - 9)}")
        lines.append(f"         {_cut(miss.kinds + who, WIDTH - 9)}")
    if report.reasons:
        lines += ["", "Reasons given with “Not helpful”:"]
        for reason, count in report.reasons:
            lines.append(f"  {count:>5}  {_cut(reason, WIDTH - 9)}")
    return "\n".join(lines) + "\n"


def _bars(rows: Sequence[tuple[str, Sequence[tuple[int, str]]]], title: str) -> str:
    """An inline SVG of horizontal bars: one row per label, one bar per (value, colour)."""
    biggest = max((v for _, bars in rows for v, _ in bars), default=0) or 1
    label_w, bar_w, row_h = 190, 420, 22
    height = row_h * max(len(rows), 1) + 10
    parts = [
        f'<svg role="img" width="{label_w + bar_w + 60}" '
        f'height="{height}" viewBox="0 0 {label_w + bar_w + 60} {height}">',
        f"<title>{html.escape(title)}</title>",
    ]
    for index, (label, bars) in enumerate(rows):
        y = 5 + index * row_h
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">{html.escape(label)}</text>'
        )
        x = label_w
        for value, colour in bars:
            width = round(bar_w * value / biggest)
            parts.append(
                f'<rect x="{x}" y="{y + 3}" width="{width}" height="{row_h - 6}" fill="{colour}">'
                f"<title>{value}</title></rect>"
            )
            x += width
        total = sum(v for v, _ in bars)
        parts.append(f'<text x="{x + 6}" y="{y + 15}">{total}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _table(head: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    cells = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>"


STYLE = (
    "body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:60em;padding:0 1em;"
    "color:#1d1d1f}h1{font-size:1.5em}h2{font-size:1.15em;margin-top:2em}"
    "table{border-collapse:collapse}th,td{padding:.25em .8em;border-bottom:1px solid #ddd;"
    "text-align:left}td:last-child,th:last-child{text-align:right}"
    "svg text{font:12px system-ui,sans-serif;fill:#1d1d1f}.key span{padding:0 .6em}"
)
FALLBACK_COLOUR, CLARIFY_COLOUR = "#c0504d", "#e3a21a"
HELPFUL_COLOUR, UNHELPFUL_COLOUR = "#4f8a3c", "#b9b9b9"


def to_html(report: Report) -> str:
    """The report as one self-contained HTML page: inline CSS and SVG, no scripts or links."""
    period = f"{report.since:%Y-%m-%d} to {report.until:%Y-%m-%d}"
    kinds = sorted(report.kinds.items(), key=lambda kv: (-kv[1], kv[0]))
    week_chart = _bars(
        [
            (f"{w.start:%Y-%m-%d}", ((w.fallbacks, FALLBACK_COLOUR), (w.clarifies, CLARIFY_COLOUR)))
            for w in report.weeks
        ],
        "Fallbacks and clarifies per week",
    )
    rating_chart = _bars(
        [
            (r.topic, ((r.helpful, HELPFUL_COLOUR), (r.not_helpful, UNHELPFUL_COLOUR)))
            for r in report.ratings
        ],
        "Helpful and not helpful per topic",
    )
    sections = [
        f"<h1>401k-bot report</h1><p>{html.escape(period)}: {report.answers} answers.</p>",
        "<h2>Answers by kind</h2>" + _table(("kind", "answers"), kinds),
        "<h2>Answers by topic</h2>" + _table(("topic", "kind", "answers"), report.topics),
        "<h2>Helpful rate by topic</h2>"
        + (
            _table(
                ("topic", "helpful rate", "helpful", "not helpful"),
                ((r.topic, _percent(r.rate), r.helpful, r.not_helpful) for r in report.ratings),
            )
            + f'<p class="key"><span style="color:{HELPFUL_COLOUR}">■ helpful</span>'
            f'<span style="color:{UNHELPFUL_COLOUR}">■ not helpful</span></p>' + rating_chart
            if report.ratings
            else "<p>No feedback yet.</p>"
        ),
        "<h2>Fallbacks and clarifies per week</h2>"
        + f'<p class="key"><span style="color:{FALLBACK_COLOUR}">■ fallback</span>'
        f'<span style="color:{CLARIFY_COLOUR}">■ clarify</span></p>'
        + week_chart
        + _table(
            ("week of", "fallbacks", "clarifies"),
            ((f"{w.start:%Y-%m-%d}", w.fallbacks, w.clarifies) for w in report.weeks),
        ),
        "<h2>Most frequent unanswered questions</h2>"
        + (
            _table(
                ("question", "kinds", "people", "times"),
                ((m.label, m.kinds, m.people, m.count) for m in report.misses),
            )
            if report.misses
            else "<p>None.</p>"
        ),
    ]
    if report.reasons:
        sections.append(
            "<h2>Reasons given with “Not helpful”</h2>"
            + _table(("reason", "times"), report.reasons)
        )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>401k-bot report, {html.escape(period)}</title><style>{STYLE}</style></head>"
        f"<body>{''.join(sections)}</body></html>\n"
    )
