"""`check_knowledge`: the rules of docs/knowledge-format.md, as errors and warnings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.knowledge import CATALOG, ArticleFile, check_knowledge
from calc.limits import load_limits

TODAY = dt.date(2026, 11, 27)


def file(path: Path, *, override: bool = True) -> ArticleFile:
    return ArticleFile(path, path.read_text(encoding="utf-8"), is_override=override)


def check(*paths: Path, today: dt.date = TODAY):
    return check_knowledge([], [file(p) for p in paths], load_limits(), today, check_builtin=False)


def found(problems, level: str, field: str) -> list[str]:
    return [p.message for p in problems if p.level == level and p.field == field]


def test_a_clean_article_has_no_problems(write_article):
    assert check(write_article(related=[])) == []


def test_near_identical_questions_in_two_articles(write_article):
    """Two articles claiming the same question confuse the matcher: an error naming both."""
    first = write_article("initech-profit-sharing", related=[])
    questions = ["INITECH profit-sharing", *[f"initech benefit question {n}" for n in range(8)]]
    second = write_article("initech-bonus", questions=questions, related=[])
    errors = [p for p in check(first, second) if p.level == "error"]
    assert [(p.file, p.field) for p in errors] == [(str(second), "questions")]
    assert errors[0].message == (
        f"'INITECH profit-sharing' is nearly the same as 'initech profit sharing' in {first}"
    )


def test_different_questions_are_not_duplicates(write_article):
    first = write_article("initech-profit-sharing", related=[])
    questions = [f"initech benefit question number {n}" for n in range(8)]
    second = write_article("initech-bonus", questions=questions, related=[])
    assert found(check(first, second), "error", "questions") == []


def test_a_duplicate_of_a_builtin_is_reported_on_the_override(write_article, tmp_path: Path):
    """The company's file is the one to change, so the error is reported there."""
    builtin = write_article("initech-profit-sharing", folder=tmp_path / "knowledge", related=[])
    questions = ["initech profit sharing?", *[f"initech bonus question {n}" for n in range(8)]]
    ours = write_article("initech-bonus", folder=tmp_path / "ours", questions=questions, related=[])
    problems = check_knowledge(
        [file(builtin, override=False)], [file(ours)], load_limits(), TODAY, check_builtin=False
    )
    assert [(p.file, p.field) for p in problems] == [(str(ours), "questions")]
    assert "knowledge/initech-profit-sharing.md" in problems[0].message


def test_a_long_body_is_a_warning(write_article):
    """Over about 1,500 characters as sent is too long for a chat window."""
    long = write_article(body="Initech profit sharing is paid in March. " * 40, related=[])
    short = write_article("initech-bonus", body="Initech pays a bonus. " * 60, related=[])
    problems = check(long, short)
    assert [p.file for p in problems if p.field == "body"] == [str(long)]
    assert "is 1,639 characters; keep it to about 1,500" in found(problems, "warning", "body")[0]


@pytest.mark.parametrize(
    ("reviewed", "stale"),
    [(dt.date(2025, 11, 26), True), (dt.date(2025, 11, 27), False), (dt.date(2026, 6, 1), False)],
)
def test_a_review_older_than_12_months_is_a_warning(write_article, reviewed, stale):
    problems = check(write_article(reviewed=reviewed, related=[]))
    assert bool(found(problems, "warning", "reviewed")) is stale
    assert not [p for p in problems if p.level == "error"]


@pytest.mark.parametrize(
    ("sentence", "figure", "placeholder"),
    [
        ("The deferral limit is $24,500 this year.", "$24,500", "limits.elective_deferral"),
        ("You can defer 24,500 in total.", "24,500", "limits.elective_deferral"),
        ("The catch-up is $7,500 from age 50.", "$7,500", "limits.catch_up_50"),
        ("Total: $72,000, unless pay is lower.", "$72,000", "limits.annual_additions"),
        ("Up to $69000 in 2024.", "$69000", "limits.annual_additions"),
        ("Roughly $23.5k of deferrals.", "$23.5k", "limits.elective_deferral"),
    ],
)
def test_hand_typed_limit_figures_are_errors(write_article, sentence, figure, placeholder):
    """A figure the limits data holds must be a placeholder, or it goes stale next year."""
    problems = check(write_article(body=sentence + "\n", related=[]))
    messages = found(problems, "error", "body")
    assert len(messages) == 1
    assert f"'{figure}'" in messages[0]
    assert f"{{{{ {placeholder} }}}}" in messages[0]


@pytest.mark.parametrize(
    "sentence",
    [
        "An employer adds $10,000 and pay is $90,000.",
        "Run `/aftertaxroom 24500 10000` to see it.",
        "The limit is {{ limits.elective_deferral }}, or $24,501 with a typo.",
        "In 2026 the plan year starts in January.",
    ],
)
def test_example_amounts_and_placeholders_are_not_flagged(write_article, sentence):
    problems = check(write_article(body=sentence + "\n", related=[], tax_years=[2026]))
    assert [p for p in problems if p.level == "error"] == []


@pytest.mark.parametrize(
    ("body", "what"),
    [
        ("## Profit sharing\nPaid in March.\n", "a heading"),
        ("| year | amount |\n|---|---|\n| 2026 | 3% |\n", "a table"),
        ("Paid in <b>March</b>.\n", "HTML"),
        ("See ![chart](https://benefits.initech.example/chart.png).\n", "an image"),
    ],
)
def test_markup_chat_cannot_show_is_a_warning(write_article, body, what):
    problems = check(write_article(body=body, related=[]))
    assert f"has {what}; chat surfaces show only bold, italics, lists and links" in found(
        problems, "warning", "body"
    )


def test_plain_markdown_and_comparisons_are_fine(write_article):
    body = (
        "**Bold**, _italic_, [a link](https://benefits.initech.example/faq) "
        "and age < 50 or > 63.\n\n- a bullet\n"
    )
    assert check(write_article(body=body, related=[])) == []


def test_related_ids_must_exist(write_article):
    """Related ids may name any article known, built-in or override, but not a missing one."""
    path = write_article(related=["initech-bonus", "initech-pension", "initech-profit-sharing"])
    other = write_article("initech-bonus", questions=[f"bonus q {n}" for n in range(8)], related=[])
    problems = check(path, other)
    assert found(problems, "error", "related") == ["'initech-pension' is not an article"]
    assert found(problems, "warning", "related") == ["lists the article itself"]


def test_if_not_must_name_another_article(write_article):
    """`if_not` names a known article other than itself."""
    other = write_article("initech-bonus", questions=[f"bonus q {n}" for n in range(8)], related=[])
    fine = write_article(related=[], if_not="initech-bonus")
    assert found(check(fine, other), "error", "if_not") == []
    missing = write_article(related=[], if_not="initech-pension")
    expected = ["'initech-pension' is not another article"]
    assert found(check(missing, other), "error", "if_not") == expected


def test_tax_years_are_asked_for_when_figures_are_used(write_article):
    uses = write_article(body="Defer up to {{ limits.elective_deferral }}.\n", related=[])
    assert found(check(uses), "warning", "tax_years") == [
        "the article uses limits figures; list the years"
    ]
    unknown_year = write_article(tax_years=[2023, 2026], related=[])
    warnings = found(check(unknown_year), "warning", "tax_years")
    assert warnings == ["the limits data has no year 2023"]


def test_every_catalog_topic_needs_a_builtin_article(write_article, tmp_path: Path):
    """Checking the built-ins, each missing catalog id is an error; a stray id a warning."""
    folder = tmp_path / "knowledge"
    builtin = [
        file(write_article("help", folder=folder, related=[]), override=False),
        file(
            write_article(
                "initech-bonus", folder=folder, questions=[f"q{n}" for n in range(8)], related=[]
            ),
            override=False,
        ),
    ]
    problems = check_knowledge(builtin, [], load_limits(), TODAY)
    missing = {p.file for p in problems if p.level == "error" and p.field == "id"}
    assert missing == {f"knowledge/{topic}.md" for topic in CATALOG if topic != "help"}
    assert found(problems, "warning", "id") == ["'initech-bonus' is not in the topic catalog"]


def test_checking_a_folder_reports_only_its_own_files(write_article, tmp_path: Path):
    """Faults in the built-ins are not blamed on a company's folder."""
    bad = write_article("help", folder=tmp_path / "knowledge", sources=[], related=[])
    ours = write_article(folder=tmp_path / "ours", related=["help"])
    builtin = [file(bad, override=False)]
    assert check_knowledge(builtin, [file(ours)], load_limits(), TODAY, check_builtin=False) == []
    everything = check_knowledge(builtin, [file(ours)], load_limits(), TODAY)
    assert ("knowledge/help.md", "sources") in {(p.file, p.field) for p in everything}
