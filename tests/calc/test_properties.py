"""Properties of after-tax room that hold for any inputs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from calc.limits import load_limits
from calc.room import after_tax_room

TABLE = load_limits()
money = st.integers(min_value=0, max_value=200_000).map(Decimal)
years = st.sampled_from(TABLE.years)
ages = st.one_of(st.none(), st.integers(min_value=18, max_value=90))


def room(year, **kwargs):
    result = after_tax_room(TABLE.choose(year, dt.date(year, 1, 1)), **kwargs)
    return result.fields["after_tax_room"]


@given(year=years, deferrals=money, employer=money, age=ages, pay=st.one_of(st.none(), money))
def test_room_is_never_negative_nor_above_the_years_limit(year, deferrals, employer, age, pay):
    value = room(year, deferrals=deferrals, employer=employer, age=age, compensation=pay)
    assert 0 <= value <= TABLE.get(year).annual_additions


@given(
    year=years,
    catch_up=st.integers(0, 11_250).map(Decimal),
    employer=money,
    age=st.integers(min_value=50, max_value=90),
)
def test_adding_catch_up_contributions_never_reduces_room(year, catch_up, employer, age):
    """Deferring more, up to the 402(g) limit plus the age's catch-up, never lowers room."""
    limits = TABLE.get(year)
    full = limits.elective_deferral
    allowed = limits.catch_up_for_age(age)
    extra = min(catch_up, allowed)
    before = room(year, deferrals=full, employer=employer, age=age)
    after = room(year, deferrals=full + extra, employer=employer, age=age)
    assert after >= before
