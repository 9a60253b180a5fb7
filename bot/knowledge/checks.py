"""`kb check`: every rule an article must follow, as a list of problems (pure)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Literal

from rapidfuzz import fuzz

from bot.knowledge.article import Article, ArticleFile, validate_file
from bot.knowledge.catalog import CATALOG
from bot.knowledge.figures import figure_index, hand_typed
from bot.knowledge.placeholders import (
    PlaceholderError,
    limit_values,
    placeholder_problems,
    render_text,
    uses_placeholders,
)
from calc.limits import LimitsTable

MAX_BODY = 1500
NEAR_DUPLICATE = 95

_MARKUP = {
    "a heading": re.compile(r"^ {0,3}#{1,6}(?:\s|$)", re.MULTILINE),
    "a table": re.compile(r"^\s*\|.*\|\s*$", re.MULTILINE),
    "HTML": re.compile(r"</?[a-z][a-z0-9-]*(?:\s[^<>]*)?/?>", re.IGNORECASE),
    "an image": re.compile(r"!\[[^\]]*\]\("),
}


@dataclass(frozen=True)
class Problem:
    """One finding of `kb check`; errors fail the check, warnings do not."""

    level: Literal["error", "warning"]
    file: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.level.upper()} {self.file}: {self.field}: {self.message}"


def check_knowledge(
    builtin: Sequence[ArticleFile],
    overrides: Sequence[ArticleFile],
    limits: LimitsTable,
    today: dt.date,
    *,
    check_builtin: bool = True,
    link_hosts: frozenset[str] = frozenset(),
) -> list[Problem]:
    """Problems in the built-in articles and the overrides laid on top of them.

    With `check_builtin` false, only the overrides' own problems are reported, though
    their related ids may point at built-in articles.
    """
    problems: list[Problem] = []
    effective: dict[str, Article] = {}
    known_ids: set[str] = set()
    for file in [*builtin, *overrides]:
        known_ids.add(file.path.stem)
        article, schema = validate_file(file, link_hosts)
        problems += [Problem("error", file.label, field, message) for field, message in schema]
        if article is not None:
            effective[article.id] = article
            problems += _article_problems(article, limits, today)
    for article in effective.values():
        problems += _related_problems(article, known_ids)
    problems += _duplicate_questions(list(effective.values()))
    if check_builtin:
        problems += _catalog_problems(builtin)
    else:
        labels = {file.label for file in overrides}
        problems = [problem for problem in problems if problem.file in labels]
    return problems


def _article_problems(article: Article, limits: LimitsTable, today: dt.date) -> list[Problem]:
    front = article.front
    fields = {"title": front.title, "body": article.body}
    if front.disclosure_note is not None:
        fields["disclosure_note"] = front.disclosure_note
    found: list[tuple[Literal["error", "warning"], str, str]] = []
    tables = [limits.get(year) for year in limits.years]
    for field, text in fields.items():
        messages = {m for year in tables for m in placeholder_problems(text, limit_values(year))}
        found += [("error", field, message) for message in sorted(messages)]
    index = figure_index(tables)
    for field, text in fields.items():
        found += [("error", field, hit.message()) for hit in hand_typed(text, index)]
    found += [("warning", "body", m) for m in _body_warnings(article.body, limits)]
    if front.reviewed < _year_before(today):
        found.append(
            (
                "warning",
                "reviewed",
                f"{front.reviewed} is more than 12 months ago; recheck the facts",
            )
        )
    uses_figures = any(uses_placeholders(text) for text in fields.values())
    if uses_figures and not front.tax_years:
        found.append(("warning", "tax_years", "the article uses limits figures; list the years"))
    for year in front.tax_years:
        if year not in limits.years:
            found.append(("warning", "tax_years", f"the limits data has no year {year}"))
    return [Problem(level, article.label, field, message) for level, field, message in found]


def _body_warnings(body: str, limits: LimitsTable) -> list[str]:
    warnings = [
        f"has {what}; chat surfaces show only bold, italics, lists and links"
        for what, pattern in _MARKUP.items()
        if pattern.search(body)
    ]
    try:
        shown = render_text(body, limit_values(limits.latest)).strip()
    except PlaceholderError:
        shown = body.strip()
    if len(shown) > MAX_BODY:
        warnings.append(f"is {len(shown):,} characters; keep it to about {MAX_BODY:,}")
    return warnings


def _related_problems(article: Article, known_ids: set[str]) -> list[Problem]:
    problems = [
        Problem("error", article.label, "related", f"'{topic}' is not an article")
        for topic in article.front.related
        if topic not in known_ids
    ]
    if article.id in article.front.related:
        problems.append(Problem("warning", article.label, "related", "lists the article itself"))
    fallback = article.front.if_not
    if fallback is not None and (fallback not in known_ids or fallback == article.id):
        problems.append(
            Problem("error", article.label, "if_not", f"'{fallback}' is not another article")
        )
    return problems


def _duplicate_questions(articles: list[Article]) -> list[Problem]:
    """Near-identical questions in two articles, reported on the override when there is one."""
    problems: list[Problem] = []
    for first, second in combinations(articles, 2):
        for q1 in first.front.questions:
            for q2 in second.front.questions:
                if fuzz.ratio(q1.lower(), q2.lower()) < NEAR_DUPLICATE:
                    continue
                here, there, mine, theirs = second, first, q2, q1
                if first.is_override and not second.is_override:
                    here, there, mine, theirs = first, second, q1, q2
                problems.append(
                    Problem(
                        "error",
                        here.label,
                        "questions",
                        f"'{mine}' is nearly the same as '{theirs}' in {there.label}",
                    )
                )
    return problems


def _catalog_problems(builtin: Sequence[ArticleFile]) -> list[Problem]:
    present = {file.path.stem for file in builtin}
    problems = [
        Problem("error", f"knowledge/{topic}.md", "id", f"no article for catalog topic '{topic}'")
        for topic in CATALOG
        if topic not in present
    ]
    problems += [
        Problem("warning", file.label, "id", f"'{file.path.stem}' is not in the topic catalog")
        for file in builtin
        if file.path.stem not in CATALOG
    ]
    return problems


def _year_before(today: dt.date) -> dt.date:
    try:
        return today.replace(year=today.year - 1)
    except ValueError:  # February 29
        return today.replace(year=today.year - 1, day=28)
