"""Placeholders: names, sums and differences filled from the limits data, never eval()."""

from __future__ import annotations

import pytest

from bot.knowledge.placeholders import (
    PlaceholderError,
    evaluate,
    limit_values,
    placeholder_problems,
    render_text,
)
from calc.limits import load_limits


def values(year: int):
    return limit_values(load_limits().get(year))


@pytest.mark.parametrize(
    ("expression", "year", "shown"),
    [
        ("limits.elective_deferral", 2026, "$24,500"),
        ("limits.elective_deferral", 2024, "$23,000"),
        ("limits.annual_additions", 2025, "$70,000"),
        ("limits.annual_additions - limits.elective_deferral - 10000", 2026, "$37,500"),
        ("limits.elective_deferral + limits.catch_up_50", 2026, "$32,500"),
        ("limits.max_deferral_60_63", 2026, "$35,750"),
        ("limits.annual_additions_60_63", 2026, "$83,250"),
        ("limits.annual_additions_50", 2026, "$80,000"),
        ("limits.roth_ira_separate_start", 2026, "$0"),
        ("limits.roth_catch_up_wage_threshold", 2026, "$150,000"),
        ("year", 2026, "2026"),
        ("year + 1", 2026, "2027"),
        ("year - 1", 2025, "2024"),
        ("limits.citation", 2026, "IRS Notice 2025-67 (IR-2025-111)"),
        ("limits.simple_deferral", 2026, "$17,000"),
        ("limits.simple_higher_deferral", 2026, "$18,100"),
        ("limits.simple_catch_up_50", 2026, "$4,000"),
        ("limits.simple_higher_catch_up_50", 2026, "$3,850"),
        ("limits.simple_catch_up_60_63", 2026, "$5,250"),
        ("limits.simple_deferral", 2025, "$16,500"),
        ("limits.simple_higher_deferral", 2025, "$17,600"),
        ("limits.simple_catch_up_50", 2025, "$3,500"),
        ("limits.simple_higher_catch_up_50", 2025, "$3,850"),
        ("limits.simple_catch_up_60_63", 2025, "$5,250"),
        ("limits.simple_catch_up_60_63", 2024, "$3,500"),
    ],
)
def test_evaluate(expression, year, shown):
    """Money is formatted like $24,500; year expressions are plain integers."""
    assert evaluate(f" {expression} ", values(year)) == shown


def test_catch_up_60_63_before_2025_is_the_50_plus_amount():
    """2024 has no separate 60–63 catch-up, so the placeholder shows the 50+ amount."""
    assert evaluate("limits.catch_up_60_63", values(2024)) == "$7,500"
    assert evaluate("limits.max_deferral_60_63", values(2024)) == "$30,500"


def test_the_60_63_sentence_says_when_the_higher_catch_up_starts():
    """For 2024 the sentence says the 60–63 amount starts in 2025; later years give it."""
    before = evaluate("limits.catch_up_60_63_sentence", values(2024))
    assert "2024" in before
    assert "starts in 2025" in before
    assert "$" not in before
    after = evaluate("limits.catch_up_60_63_sentence", values(2026))
    assert "$11,250" in after
    assert "$35,750" in after


def test_render_text_fills_every_placeholder():
    text = "In {{ year }} defer {{limits.elective_deferral}}; next year is {{ year + 1 }}."
    assert render_text(text, values(2025)) == "In 2025 defer $23,500; next year is 2026."


def test_source_url_is_text():
    assert evaluate("limits.source_url", values(2026)).startswith("https://www.irs.gov/newsroom/")


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("limits.deferral_limit", "unknown placeholder 'limits.deferral_limit'"),
        ("limits.elective_deferal", "did you mean limits.elective_deferral?"),
        ("__import__('os').system('true')", "does not read as names and whole numbers"),
        ("limits.elective_deferral * 2", "does not read as names and whole numbers"),
        ("limits.elective_deferral +", "does not read as names and whole numbers"),
        ("10,000 + limits.catch_up_50", "does not read as names and whole numbers"),
        ("", "does not read as names and whole numbers"),
        ("year + limits.catch_up_50", "mixes the year with dollar amounts"),
        ("limits.citation + 1", "text names cannot be added"),
        ("10000 - 2500", "names nothing from the limits data"),
    ],
)
def test_bad_placeholders_are_refused(expression, message):
    """Anything but names and whole numbers joined by + or - is an error, never executed."""
    with pytest.raises(PlaceholderError) as raised:
        evaluate(expression, values(2026))
    assert message in str(raised.value)


def test_unclosed_braces_are_a_problem():
    problems = placeholder_problems("Defer {{ limits.elective_deferral up to it.", values(2026))
    assert problems == ["a '{{' or '}}' without its partner; placeholders are {{ name }}"]


def test_rendering_refuses_unclosed_braces():
    """Half a placeholder is never sent to a person as-is."""
    with pytest.raises(PlaceholderError, match="without its partner"):
        render_text("Defer {{ limits.elective_deferral up to it.", values(2026))
