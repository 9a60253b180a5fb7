"""After-tax room and deferral room, through the public calculator functions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from calc.errors import CalcError
from calc.limits import load_limits
from calc.paycheck import PayPeriods
from calc.room import after_tax_room, deferral_room

D = Decimal


def year(y: int):
    return load_limits().choose(y, dt.date(y, 6, 1))


@pytest.mark.parametrize(
    ("y", "deferrals", "employer", "room"),
    [
        (2026, 24500, 10000, 37500),
        (2025, 23500, 8000, 38500),
        (2024, 23000, 11500, 34500),
    ],
)
def test_room_is_the_annual_additions_limit_less_deferrals_and_employer(
    y, deferrals, employer, room
):
    """After-tax room = 415(c) limit − employee deferrals − employer contributions."""
    result = after_tax_room(year(y), deferrals=D(deferrals), employer=D(employer))
    assert result.fields["after_tax_room"] == room
    assert result.to_result()["after_tax_room"] == room


def test_arithmetic_is_shown_in_words_a_person_can_follow():
    """The reply shows the subtraction with formatted amounts and the year."""
    result = after_tax_room(year(2026), deferrals=D(24500), employer=D(10000))
    assert result.steps[-1] == (
        "$72,000 annual additions limit (2026) − $24,500 employee deferrals "
        "− $10,000 employer contributions = $37,500"
    )


def test_catch_up_deferrals_do_not_reduce_after_tax_room():
    """At 57, deferring $32,500 leaves the $8,000 catch-up out of the 415(c) count."""
    result = after_tax_room(year(2026), deferrals=D(32500), employer=D(11000), age=57)
    assert result.fields["after_tax_room"] == 36500
    assert result.fields["employee_deferrals"] == 24500
    assert any("catch-up" in step for step in result.steps)


def test_deferrals_above_what_the_age_allows_are_counted_and_noted():
    """Under 50, deferrals over the 402(g) limit are not catch-up: they count and are flagged."""
    result = after_tax_room(year(2026), deferrals=D(30000), employer=D(0), age=40)
    assert result.fields["after_tax_room"] == 42000
    assert any("exceed" in note for note in result.notes)


def test_unknown_age_with_deferrals_over_the_limit_asks_for_the_age():
    """Without an age, the excess is counted and the note asks whether they are 50+."""
    result = after_tax_room(year(2026), deferrals=D(32500), employer=D(8000))
    assert result.fields["after_tax_room"] == 31500
    assert any("What age are you on December 31, 2026?" in note for note in result.notes)


def test_low_pay_caps_the_limit_at_100_percent_of_compensation():
    """Pay of $52,000 is the limit when it is below $72,000."""
    result = after_tax_room(year(2026), deferrals=D(24500), employer=D(2600), compensation=D(52000))
    assert result.fields["after_tax_room"] == 24900
    assert "100% of pay" in result.steps[0]


def test_after_tax_already_contributed_is_subtracted():
    """Money already put in after-tax this year uses up room."""
    result = after_tax_room(
        year(2026), deferrals=D(24500), employer=D(10000), after_tax_so_far=D(7500)
    )
    assert result.fields["after_tax_room"] == 30000


def test_room_is_never_negative():
    """Contributions over the limit leave $0, and the steps say so."""
    result = after_tax_room(year(2026), deferrals=D(24500), employer=D(60000))
    assert result.fields["after_tax_room"] == 0
    assert "no after-tax room" in result.steps[-1]


def test_room_per_paycheck_is_rounded_down_to_the_cent():
    """$37,500 over 26 paychecks is $1,442.30: 26 × $1,442.31 would be $37,500.06, over."""
    periods = PayPeriods(26, left=False, frequency="biweekly")
    result = after_tax_room(year(2026), deferrals=D(24500), employer=D(10000), periods=periods)
    assert result.to_result()["per_paycheck"] == 1442.30
    assert any("26 × $1,442.30 = $37,499.80" in step for step in result.steps)


@pytest.mark.parametrize(
    ("y", "age", "limit"),
    [(2026, 61, 35750), (2026, 64, 32500), (2024, 60, 30500), (2026, 49, 24500), (2025, 63, 34750)],
)
def test_deferral_limit_follows_the_age_reached_by_december_31(y, age, limit):
    """Catch-up at 50+, the larger one at 60–63 from 2025, back to 50+ at 64."""
    result = deferral_room(year(y), age=age)
    assert result.fields["deferral_room"] == limit


def test_deferral_room_subtracts_what_was_deferred_so_far():
    """$24,500 − $10,000 deferred = $14,500 left."""
    result = deferral_room(year(2026), deferred_so_far=D(10000), age=35)
    assert result.fields["deferral_room"] == 14500


@pytest.mark.parametrize(
    ("age", "periods", "amount"), [(None, 26, 942.30), (50, 12, 2708.33), (None, 52, 471.15)]
)
def test_per_paycheck_to_max_out(age, periods, amount):
    """The year's limit spread over the paychecks, rounded down to the cent."""
    result = deferral_room(year(2026), age=age, periods=PayPeriods(periods, left=True))
    assert result.to_result()["per_paycheck"] == amount


def test_out_of_range_age_is_a_clear_error():
    with pytest.raises(CalcError, match="age 200 is out of range"):
        deferral_room(year(2026), age=200)
