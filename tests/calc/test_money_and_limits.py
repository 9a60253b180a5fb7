"""Amount parsing, money formatting, and the year-keyed limits data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from calc.errors import AmountError, FrequencyError, UnknownYearError
from calc.limits import load_limits, parse_limits
from calc.money import format_money, parse_amount
from calc.paycheck import normalize_frequency


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("24500", 24500),
        ("24,500", 24500),
        ("$24,500", 24500),
        ("$24.5k", 24500),
        ("24.5K", 24500),
        ("1.2m", 1200000),
        ("24500.00", 24500),
        ("0", 0),
    ],
)
def test_amounts_as_people_type_them(text, value):
    assert parse_amount(text) == value


@pytest.mark.parametrize(
    ("text", "problem"),
    [("-5", "negative"), ("abc", "not an amount"), ("20m", "over \\$10,000,000"), ("NaN", "not")],
)
def test_bad_amounts_say_what_was_wrong(text, problem):
    with pytest.raises(AmountError, match=problem):
        parse_amount(text)


@pytest.mark.parametrize(
    ("value", "shown"),
    [(Decimal(24500), "$24,500"), (Decimal("942.307"), "$942.31"), (Decimal(0), "$0")],
)
def test_money_is_formatted_with_commas_and_cents_only_when_needed(value, shown):
    assert format_money(value) == shown


@pytest.mark.parametrize(
    ("text", "name"),
    [("every two weeks", "biweekly"), ("Bi-Weekly", "biweekly"), ("twice a month", "semimonthly")],
)
def test_pay_frequencies(text, name):
    assert normalize_frequency(text) == name


def test_unknown_frequency_lists_the_known_ones():
    with pytest.raises(FrequencyError, match="weekly, biweekly, semimonthly, monthly"):
        normalize_frequency("quarterly")


def test_figures_match_the_irs_announcements():
    """The figures of IRS Notices 2023-75, 2024-80 and 2025-67."""
    table = load_limits()
    assert table.years == [2024, 2025, 2026]
    y2026 = table.get(2026)
    assert (y2026.elective_deferral, y2026.catch_up_50, y2026.catch_up_60_63) == (
        24500,
        8000,
        11250,
    )
    assert (y2026.annual_additions, y2026.compensation_limit) == (72000, 360000)
    assert y2026.roth_catch_up_wage_threshold == 150000
    assert y2026.source.notice == "IRS Notice 2025-67"
    assert table.get(2025).annual_additions == 70000
    assert table.get(2024).catch_up_60_63 is None


def test_simple_figures_match_the_irs_notices():
    """SIMPLE limits of Notices 2024-80 and 2025-67, with SECURE 2.0's 110% amounts."""
    table = load_limits()
    figures = {
        year: (s.deferral, s.catch_up_50, s.catch_up_60_63, s.higher_deferral, s.higher_catch_up_50)
        for year in table.years
        for s in [table.get(year).simple]
    }
    assert figures == {
        2024: (16000, 3500, None, 17600, 3850),
        2025: (16500, 3500, 5250, 17600, 3850),
        2026: (17000, 4000, 5250, 18100, 3850),
    }


def test_unknown_year_names_the_years_known():
    with pytest.raises(UnknownYearError, match="2024, 2025, 2026"):
        load_limits().get(2019)


def test_the_current_year_comes_from_today_and_an_explicit_year_wins():
    table = load_limits()
    assert table.choose(None, dt.date(2025, 3, 1)).year == 2025
    assert table.choose(2024, dt.date(2025, 3, 1)).year == 2024


def test_a_year_without_figures_uses_the_latest_and_says_so():
    choice = load_limits().choose(None, dt.date(2027, 1, 15))
    assert choice.year == 2026
    assert "2027" in (choice.note or "")


def test_limits_data_is_validated():
    """A misspelled field is rejected, naming it."""
    good = {
        "elective_deferral": 1,
        "catch_up_50": 1,
        "catch_up_60_63": None,
        "annual_additions": 2,
        "compensation_limit": 1,
        "hce_threshold": 1,
        "ira_contribution": 1,
        "ira_catch_up": 1,
        "roth_ira_phaseout": {
            "single": [1, 2],
            "married_joint": [1, 2],
            "married_separate": [0, 1],
        },
        "roth_catch_up_wage_threshold": 1,
        "roth_catch_up_enforced": False,
        "simple": {
            "deferral": 1,
            "catch_up_50": 1,
            "catch_up_60_63": None,
            "higher_deferral": 1,
            "higher_catch_up_50": 1,
        },
        "source": {"notice": "n", "news_release": "r", "url": "https://www.irs.gov/"},
    }
    assert parse_limits({2030: good}).years == [2030]
    with pytest.raises(ValueError, match="elective_deferal"):
        parse_limits({2030: {**good, "elective_deferal": 5}})


def test_a_year_before_the_data_uses_the_earliest_and_says_so():
    choice = load_limits().nearest(1999)
    assert choice.year == 2024
    assert "1999" in (choice.note or "")
