"""The built-in articles: they pass `kb check`, and they show the IRS figures of each year."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from bot.cli import main
from bot.knowledge import CATALOG, check_knowledge, load_articles, read_builtin, render_article
from calc.limits import load_limits

TODAY = dt.date(2026, 11, 27)


def shown(topic: str, year: int) -> str:
    """The article's title and body as sent for `year`."""
    rendered = render_article(load_articles()[topic], load_limits().get(year))
    return f"{rendered.title}\n{rendered.text}"


def test_builtin_articles_have_no_errors():
    """The acceptance test of the knowledge base: every rule of kb check holds."""
    problems = check_knowledge(read_builtin(), [], load_limits(), TODAY)
    errors = [str(p) for p in problems if p.level == "error"]
    assert errors == []


def test_kb_check_passes_on_the_builtin_articles(capsys):
    assert main(["kb", "check"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("0 errors, ")


@pytest.mark.parametrize("year", load_limits().years)
def test_every_catalog_article_renders_for_every_year(year):
    articles = load_articles()
    for topic in CATALOG:
        rendered = render_article(articles[topic], load_limits().get(year))
        assert rendered.tax_year == year
        assert "{{" not in rendered.title + rendered.text
        assert rendered.sources


@pytest.mark.parametrize(
    ("year", "figures"),
    [
        (2026, ["$24,500", "$8,000", "$11,250", "$72,000"]),
        (2025, ["$23,500", "$7,500", "$11,250", "$70,000"]),
        (2024, ["$23,000", "$7,500", "$69,000"]),
    ],
)
def test_contribution_limits_figures(year, figures):
    text = shown("contribution-limits", year)
    for figure in figures:
        assert figure in text, f"{figure} missing for {year}"
    others = {2024: "$23,000", 2025: "$23,500", 2026: "$24,500"}
    for other_year, deferral in others.items():
        if other_year != year:
            assert deferral not in text, f"{other_year}'s deferral limit shown for {year}"


@pytest.mark.parametrize(
    ("year", "single", "joint"),
    [
        (2026, ("$153,000", "$168,000"), ("$242,000", "$252,000")),
        (2025, ("$150,000", "$165,000"), ("$236,000", "$246,000")),
        (2024, ("$146,000", "$161,000"), ("$230,000", "$240,000")),
    ],
)
def test_roth_ira_income_limits_ranges(year, single, joint):
    text = shown("roth-ira-income-limits", year)
    for start, end in (single, joint):
        pattern = re.escape(start) + r"\s*(?:–|-|to)\s*" + re.escape(end)
        assert re.search(pattern, text), f"{start}–{end} missing for {year}"


@pytest.mark.parametrize(("year", "threshold"), [(2026, "$150,000"), (2025, "$145,000")])
def test_roth_catch_up_rule_threshold(year, threshold):
    assert threshold in shown("roth-catch-up-rule", year)


@pytest.mark.parametrize(
    ("year", "present", "absent"),
    [
        (2026, ["$8,000", "$11,250"], ["$7,500"]),
        (2025, ["$7,500", "$11,250"], ["$8,000"]),
        (2024, ["$7,500"], ["$11,250", "$8,000"]),
    ],
)
def test_catch_up_contributions_per_year(year, present, absent):
    """2024 has only the 50+ catch-up; the ages 60–63 amount starts in 2025."""
    text = shown("catch-up-contributions", year)
    for figure in present:
        assert figure in text, f"{figure} missing for {year}"
    for figure in absent:
        assert figure not in text, f"{figure} shown for {year}"


@pytest.mark.parametrize("topic", ["catch-up-contributions", "contribution-limits"])
def test_a_2024_reader_learns_the_60_63_catch_up_starts_in_2025(topic):
    """For 2024 the articles say there is no separate 60–63 amount yet, not a 60–63 figure."""
    text = shown(topic, 2024)
    assert "no separate catch-up at ages 60–63" in text
    assert "starts in 2025" in text
    assert "At ages 60–63 it is" not in text
    assert "At ages 60–63 it is $11,250" in shown(topic, 2025)


@pytest.mark.parametrize(
    ("year", "deferrals", "catch_ups"),
    [
        (2026, ["$17,000", "$18,100"], ["$4,000", "$3,850", "$5,250"]),
        (2025, ["$16,500", "$17,600"], ["$3,500", "$3,850", "$5,250"]),
        (2024, ["$16,000", "$17,600"], ["$3,500", "$3,850"]),
    ],
)
def test_simple_plan_limits_per_year(year, deferrals, catch_ups):
    """SIMPLE plans' lower limits, and the higher small-employer ones, for the year asked."""
    for topic in ("contribution-limits", "multiple-employers"):
        text = shown(topic, year)
        for figure in deferrals:
            assert figure in text, f"{figure} missing from {topic} for {year}"
    text = shown("catch-up-contributions", year)
    for figure in catch_ups:
        assert figure in text, f"{figure} missing for {year}"
    if year == 2024:
        assert "$5,250" not in text


@pytest.mark.parametrize(
    ("topic", "caveat"),
    [
        ("contribution-limits", "excess deferrals refunded by April 15 don't count"),
        ("roth-catch-up-rule", "treat a covered person's catch-ups as Roth without asking"),
        ("roth-catch-up-rule", "fixed by a corrected W-2"),
        ("in-plan-conversion", "20% withheld"),
        ("in-service-withdrawal", "20% withheld"),
        ("in-service-withdrawal", "turning 55"),
        ("nondiscrimination-testing", "forfeited if unvested, paid out if vested"),
        ("nondiscrimination-testing", "10% excise tax"),
        ("nondiscrimination-testing", "this year or last"),
        ("nondiscrimination-testing", "top 20% by pay"),
        ("multiple-employers", "any 457(b) has its own limit"),
        ("multiple-employers", "A 403(b) counts as the participant's own"),
        ("multiple-employers", "An unrelated employer's plan need not return it"),
        ("backdoor-roth-ira", "SIMPLE IRA money can move to a 401(k) only once two years"),
        ("pro-rata-rule", "SIMPLE IRA money only two years after"),
        ("traditional-vs-roth", "catch-ups must be Roth"),
        ("traditional-vs-roth", "often within 10 years"),
        ("employer-match", "a high earner's match stops early"),
        ("employer-match", "whether catch-ups are matched"),
        ("form-1099r", "Code 7, or 1 before 59½"),
        ("why-after-tax", "plus any catch-up from age 50"),
    ],
)
def test_each_article_carries_its_caveat(topic, caveat):
    """The caveats the fact-check found missing are in what a reader gets, every year."""
    for year in load_limits().years:
        assert caveat in shown(topic, year), f"{topic} {year}"


@pytest.mark.parametrize(
    ("topic", "source"),
    [
        (
            "multiple-employers",
            "https://www.irs.gov/retirement-plans/"
            "how-much-salary-can-you-defer-if-youre-eligible-for-more-than-one-retirement-plan",
        ),
        (
            "multiple-employers",
            "https://www.irs.gov/retirement-plans/"
            "consequences-to-a-participant-who-makes-excess-deferrals-to-a-401k-plan",
        ),
        ("roth-catch-up-rule", "https://www.irs.gov/pub/irs-drop/n-23-62.pdf"),
        ("roth-catch-up-rule", "https://www.irs.gov/pub/irs-drop/n-25-67.pdf"),
    ],
)
def test_articles_cite_the_primary_source_of_their_claims(topic, source):
    rendered = render_article(load_articles()[topic], load_limits().latest)
    assert source in rendered.sources
