"""Front matter is validated once, loudly: every message names the file and the field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.knowledge import ArticleFile, KnowledgeError, check_knowledge
from bot.knowledge.article import parse_article
from calc.limits import load_limits

TODAY = dt.date(2026, 11, 27)


def parse(path: Path):
    return parse_article(ArticleFile(path, path.read_text(encoding="utf-8"), is_override=True))


def rejection(path: Path) -> str:
    with pytest.raises(KnowledgeError) as raised:
        parse(path)
    return str(raised.value)


def test_a_valid_article_parses(write_article):
    """Every key of the format is read into the model."""
    path = write_article(
        keywords=["profit sharing"],
        tax_years=[2025, 2026],
        disclosure_note="Initech decides profit sharing each year.",
    )
    article = parse(path)
    assert article.id == "initech-profit-sharing"
    assert article.front.reviewed == TODAY
    assert article.front.tax_years == (2025, 2026)
    assert article.front.related == ("employer-match",)
    assert article.body.startswith("Initech adds")
    assert article.is_override


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"questions": ["one", "two", "three"]}, "questions", "at least 8 questions are required"),
        ({"questions": None}, "questions", "at least 8 questions are required, found 0"),
        (
            {"questions": ["a question", "  ", *["q" * n for n in range(1, 8)]]},
            "questions",
            "item 2: must not be empty",
        ),
        ({"sources": []}, "sources", "at least one URL is required"),
        ({"sources": ["ftp://irs.gov/notice"]}, "sources", "is not an https URL"),
        ({"sources": ["irs.gov"]}, "sources", "is not an https URL"),
        ({"reviewed": "last spring"}, "reviewed", "date"),
        ({"reviewed": None}, "reviewed", "is required"),
        ({"title": None}, "title", "is required"),
        ({"related": ["Employer Match"]}, "related", "is not a topic id"),
        ({"tax_years": ["twenty"]}, "tax_years", "integer"),
        ({"owner": "benefits"}, "owner", "unknown key"),
    ],
)
def test_bad_front_matter_is_rejected(write_article, changes, field, message):
    """Each malformed key is named, with what is wrong with it."""
    path = write_article(**changes)
    text = rejection(path)
    assert text.startswith(f"{path}: {field}: ")
    assert message in text


def test_no_front_matter(tmp_path: Path):
    """A file without the `---` block says so instead of guessing."""
    path = tmp_path / "loose-notes.md"
    path.write_text("Just some notes.\n", encoding="utf-8")
    assert rejection(path).startswith(f"{path}: front matter: the file must start with")


def test_broken_yaml_names_the_line(tmp_path: Path):
    """A YAML syntax error is one line that says where, not a parser traceback."""
    path = tmp_path / "broken-yaml.md"
    path.write_text("---\nid: broken-yaml\ntitle: [unclosed\n---\nBody.\n", encoding="utf-8")
    assert rejection(path).startswith(f"{path}: front matter: is not valid YAML at line")


def test_an_empty_body_is_rejected(write_article):
    path = write_article(body="\n")
    assert rejection(path) == f"{path}: body: is empty"


def test_check_reports_every_schema_problem(write_article):
    """The check lists all faults of a file at once, not just the first."""
    path = write_article(sources=None, owner="benefits")
    file = ArticleFile(path, path.read_text(encoding="utf-8"), is_override=True)
    problems = check_knowledge([], [file], load_limits(), TODAY, check_builtin=False)
    assert {(p.level, p.field) for p in problems} == {("error", "sources"), ("error", "owner")}
