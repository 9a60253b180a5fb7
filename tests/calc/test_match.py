"""Employer match formulas and the match on capped pay."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from calc.errors import FormulaError
from calc.formula import find_formula, parse_formula
from calc.limits import load_limits
from calc.match import employer_match

D = Decimal
Y2026 = load_limits().choose(2026, dt.date(2026, 1, 1))


@pytest.mark.parametrize(
    ("text", "percent_of_pay", "deferral_needed"),
    [
        ("50% up to 6%", D(3), D(6)),
        ("100% of the first 4%", D(4), D(4)),
        ("100% of the first 3% and 50% of the next 2%", D(4), D(5)),
        ("dollar for dollar up to 5%", D(5), D(5)),
        ("50% match on the first 6% of pay", D(3), D(6)),
    ],
)
def test_formulas_as_people_write_them(text, percent_of_pay, deferral_needed):
    formula = parse_formula(text)
    assert formula.max_percent_of_pay == percent_of_pay
    assert formula.deferral_needed == deferral_needed


@pytest.mark.parametrize("text", ["6%", "a lot", "150% up to 120%", ""])
def test_malformed_formula_says_what_is_accepted(text):
    with pytest.raises(FormulaError, match="50% up to 6%"):
        parse_formula(text)


def test_formula_is_found_inside_a_sentence():
    found = find_formula("my employer matches 100% of the first 3% and I earn $90,000")
    assert found is not None
    assert found[0].max_percent_of_pay == 3


def test_match_on_a_salary():
    """100% of the first 3% of $90,000 is $2,700."""
    result = employer_match(Y2026, salary=D(90000), formula=parse_formula("100% of the first 3%"))
    assert result.to_result()["employer_match"] == 2700


def test_match_is_figured_on_pay_capped_at_the_compensation_limit():
    """$450,000 is capped at $360,000 in 2026: 4% of that is $14,400."""
    result = employer_match(Y2026, salary=D(450000), formula=parse_formula("100% of the first 4%"))
    fields = result.to_result()
    assert fields["eligible_compensation"] == 360000
    assert fields["employer_match"] == 14400


def test_tiered_match_adds_its_tiers():
    """100% of 3% + 50% of 2% of $100,000 = $3,000 + $1,000."""
    formula = parse_formula("100% of the first 3% and 50% of the next 2%")
    result = employer_match(Y2026, salary=D(100000), formula=formula)
    assert result.to_result()["employer_match"] == 4000
    assert result.steps[-1] == "Employer match = $4,000"


def test_deferring_less_than_the_formula_gets_less_match():
    """Deferring 2% of pay under a 50%-up-to-6% formula earns 1% of pay."""
    result = employer_match(
        Y2026, salary=D(100000), formula=parse_formula("50% up to 6%"), deferrals=D(2000)
    )
    assert result.to_result()["employer_match"] == 1000
