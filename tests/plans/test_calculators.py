"""The calculators with a plan profile: its match formula, pay frequency and after-tax cap."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

import pytest

from tests.plans.profiles import AFTER_TAX_ONLY, FULL, NO_AFTER_TAX, PROFILES, ask

MAXED = "I earn 150k and max out my deferrals. How much after-tax room do I have?"


def test_a_salary_with_no_employer_amount_uses_the_plans_match_and_says_so() -> None:
    """Full plan: 4% match ($6,000) and 3% profit sharing ($4,500) on $150,000."""
    reply = ask(FULL, MAXED)
    assert reply.kind == "calculation"
    assert reply.result is not None
    assert reply.result["employer_contributions"] == 10500
    assert reply.result["room_under_annual_additions"] == 72000 - 24500 - 10500
    assumptions = reply.result["assumptions"]
    assert isinstance(assumptions, list)
    assert any("your plan's formula, 100% of the first 4% of pay" in a for a in assumptions)
    assert any("profit sharing of 3% of pay: $4,500 on $150,000" in a for a in assumptions)


def test_after_tax_room_is_capped_by_the_plans_percentage_of_pay_with_both_limits_shown() -> None:
    """15% of $150,000 is $22,500, below the $37,000 the annual additions limit leaves."""
    reply = ask(FULL, MAXED)
    assert reply.result is not None
    assert reply.result["after_tax_room"] == 22500
    assert reply.result["plan_after_tax_cap"] == 22500
    assert "Your plan caps after-tax at 15% of pay: $22,500 on $150,000" in reply.text
    assert (
        "the smaller of $37,000 (annual additions limit) and $22,500 (your plan's cap) = $22,500"
        in reply.text
    )
    assert "**After-tax room for 2026: $22,500**" in reply.text


def test_the_cap_counts_what_is_already_in_and_pay_up_to_the_compensation_limit() -> None:
    """$400,000 of pay counts as $360,000 (2026): 10% is $36,000, less $5,000 already in."""
    reply = ask(
        AFTER_TAX_ONLY,
        "I make $400k, defer 24.5k, my employer adds 10k and I've put in 5k after-tax so far. "
        "After-tax room?",
    )
    assert reply.result is not None
    assert reply.result["plan_after_tax_cap"] == 36000
    assert reply.result["room_under_annual_additions"] == 72000 - 24500 - 10000 - 5000
    assert reply.result["after_tax_room"] == 31000


def test_without_a_salary_the_cap_is_named_and_the_salary_asked_for() -> None:
    """The room under the annual additions limit, and a note that the plan caps it too."""
    reply = ask(FULL, "I defer 24.5k and my employer adds 10k. How much after-tax room?")
    assert reply.result is not None
    assert reply.result["after_tax_room"] == 37500
    notes = reply.result["notes"]
    assert isinstance(notes, list)
    assert any("caps after-tax contributions at 15% of pay; give your salary" in n for n in notes)


def test_a_plan_without_after_tax_gets_a_room_of_zero_the_reason_and_the_backdoor_ira() -> None:
    """No after-tax source: $0, what the limit alone would give, and the IRA pointer."""
    reply = ask(NO_AFTER_TAX, MAXED)
    assert reply.result is not None
    assert reply.result["after_tax_room"] == 0
    assert reply.result["room_under_annual_additions"] == 72000 - 24500 - 6000
    assert "**After-tax room for 2026: $0**" in reply.text
    assert "Your plan doesn't accept after-tax (non-Roth) contributions" in reply.text
    assert "backdoor Roth IRA" in reply.text
    assert reply.suggestions[0] == "backdoor-roth-ira"


@pytest.mark.parametrize(
    ("name", "paychecks"), [(FULL, 26), (AFTER_TAX_ONLY, 24), (NO_AFTER_TAX, 12)]
)
def test_per_paycheck_amounts_use_the_plans_pay_frequency(name: str, paychecks: int) -> None:
    """How much per paycheck to max out: the deferral limit over the plan's paychecks."""
    reply = ask(name, "how much per paycheck do I need to max my 401k?")
    assert reply.kind == "calculation"
    assert reply.topic == "deferral-room"
    assert reply.result is not None
    expected = (Decimal(24500) / paychecks).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    assert Decimal(str(reply.result["per_paycheck"])) == expected
    assert f"{paychecks} a year, as your plan pays" in reply.text


def test_a_pay_frequency_the_user_gives_wins_over_the_plans() -> None:
    """ "paid weekly" means 52 paychecks whatever the plan says."""
    reply = ask(FULL, "I earn 150k, max out and I'm paid weekly. After-tax room per paycheck?")
    assert reply.result is not None
    assert reply.result["per_paycheck"] == round(22500 / 52, 2)
    assert "as your plan pays" not in reply.text


def test_an_employer_amount_the_user_gives_wins_over_the_plans_match() -> None:
    """The match formula is only a default."""
    reply = ask(FULL, "salary 150k, I defer 20k and my employer puts in 9k. After-tax room?")
    assert reply.result is not None
    assert reply.result["employer_contributions"] == 9000
    assert "your plan's formula" not in reply.text


@pytest.mark.parametrize(
    ("name", "match"), [(FULL, 4800), (AFTER_TAX_ONLY, 3600), (NO_AFTER_TAX, 4800)]
)
def test_the_match_on_a_salary_uses_the_plans_formula(name: str, match: int) -> None:
    """ "What's my match on 120k?" is worked out from the plan's formula."""
    reply = ask(name, "what would my match be on a 120k salary?")
    assert reply.kind == "calculation"
    assert reply.result is not None
    assert reply.result["employer_match"] == match
    assert "your plan's formula" in reply.text
    assert "paychecks" not in reply.text.lower()


@pytest.mark.parametrize(
    "question",
    [MAXED, "how much per paycheck do I need to max my 401k?", "my match on a 120k salary?"],
)
def test_without_a_profile_the_calculators_ask_for_what_they_used_to(question: str) -> None:
    """No plan: nothing is assumed from one."""
    reply = ask(None, question)
    assert "your plan" not in reply.text.lower()


@pytest.mark.parametrize("name", PROFILES)
def test_a_salary_alone_does_not_start_a_calculation_it_does_not_ask_for(name: str) -> None:
    """ "I earn 150k, what's the Roth IRA income limit?" stays an article."""
    question = "I earn 150k; what is the Roth IRA income limit?"
    assert ask(name, question) == ask(None, question)
