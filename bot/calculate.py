"""One entry point from gathered inputs to a calculator, shared by the CLI and the engine.

The inputs are a `Numbers` record, the one the number reader fills: the calculators read
its dollar, age, formula and pay-period slots, and leave the rest.
"""

from __future__ import annotations

from decimal import Decimal

from bot.numbers import Numbers
from calc.limits import YearChoice
from calc.match import employer_match
from calc.money import format_money
from calc.paycheck import PayPeriods, periods_for
from calc.results import Calculation
from calc.room import after_tax_room, deferral_room


class MissingInput(Exception):
    """A calculator lacks a number it needs; `needed` names it, the message says how to give it."""

    def __init__(self, topic: str, needed: list[str], message: str) -> None:
        super().__init__(message)
        self.topic = topic
        self.needed = needed


def year_end_age(inputs: Numbers, year: int) -> tuple[int | None, str | None]:
    """The age on December 31 of `year` that a catch-up follows, and why that age."""
    if inputs.year_end_age is not None:
        said = inputs.year_end_age
        if inputs.age is not None and inputs.age != said:
            return said, f"you turn {said} this year, so {said} is used, not {inputs.age}"
        return said, f"you turn {said} this year"
    if inputs.age is None:
        return None, None
    if inputs.age_year is not None and inputs.age_year != year:
        age = inputs.age + (year - inputs.age_year)
        if not 0 < age < 130:
            return None, None
        return age, (
            f"you were {inputs.age} in {inputs.age_year}, taken as your age at the end of "
            f"{inputs.age_year}"
        )
    if inputs.age_year is not None:
        return inputs.age, f"the age you gave for {year}"
    return inputs.age, (
        "the age you gave, taken as your age at year end; if your birthday is still to come "
        "this year, give the age you will turn"
    )


def _deferrals(
    inputs: Numbers, choice: YearChoice, age: int | None
) -> tuple[Decimal | None, str | None]:
    if inputs.deferrals is not None:
        return inputs.deferrals, None
    if inputs.max_deferrals:
        limits = choice.limits
        amount = limits.elective_deferral + limits.catch_up_for_age(age)
        step = f"Maxing out deferrals in {limits.year}: {format_money(amount)}"
        return amount, step
    return None, None


def run(topic: str, inputs: Numbers, choice: YearChoice) -> Calculation:
    """Run calculator `topic`; MissingInput says what is missing."""
    periods = periods_for(inputs.frequency, inputs.paychecks_left)
    age, basis = year_end_age(inputs, choice.year)
    if topic == "deferral-room":
        so_far = inputs.deferred_so_far
        if so_far is None:
            so_far = inputs.deferrals if inputs.deferrals is not None else Decimal(0)
        employer = (inputs.employer or Decimal(0)) + (inputs.profit_sharing or Decimal(0))
        return deferral_room(
            choice,
            deferred_so_far=so_far,
            age=age,
            age_basis=basis,
            compensation=inputs.salary,
            employer=employer,
            periods=periods,
        )
    if topic == "employer-match":
        if inputs.salary is None or inputs.formula is None:
            needed = [
                n
                for n, v in (("salary", inputs.salary), ("match formula", inputs.formula))
                if v is None
            ]
            raise MissingInput(
                topic,
                needed,
                "To work out the match I need your salary and the match formula, "
                "for example: “I earn $90,000 and my employer matches 100% of the first 3%”.",
            )
        deferrals, _ = _deferrals(inputs, choice, age)
        return employer_match(
            choice,
            salary=inputs.salary,
            formula=inputs.formula,
            deferrals=deferrals,
            true_up=inputs.true_up,
        )
    if topic == "after-tax-room":
        return _after_tax_room(inputs, choice, periods, age, basis)
    raise ValueError(f"unknown calculator {topic!r}")


def _after_tax_room(
    inputs: Numbers,
    choice: YearChoice,
    periods: PayPeriods | None,
    age: int | None,
    basis: str | None,
) -> Calculation:
    deferrals, max_step = _deferrals(inputs, choice, age)
    steps: list[str] = [max_step] if max_step else []
    notes: list[str] = []
    assumptions: list[str] = []
    employer = inputs.employer
    if employer is None and inputs.formula is not None and inputs.salary is not None:
        match = employer_match(
            choice,
            salary=inputs.salary,
            formula=inputs.formula,
            deferrals=deferrals,
            true_up=inputs.true_up,
        )
        employer = match.fields["employer_match"]  # type: ignore[assignment]
        steps += match.steps
        if not match.steps[-1].startswith("Employer match"):
            steps.append(f"Employer match = {format_money(employer or Decimal(0))}")
        # The room rests on the match, so the match's assumptions are the room's too.
        notes += [n for n in match.notes if n != choice.note]
        assumptions += match.assumptions[:-1]
    if employer is not None and inputs.profit_sharing is not None:
        employer += inputs.profit_sharing
    elif employer is None and inputs.profit_sharing is not None:
        employer = inputs.profit_sharing
    missing = [
        name for name, value in (("deferrals", deferrals), ("employer", employer)) if value is None
    ]
    if missing:
        raise MissingInput(
            "after-tax-room",
            missing,
            "To work out after-tax room I need your employee deferrals (pre-tax + Roth) and "
            "your employer's contributions for the year, for example: "
            "“I defer $24,500 and my employer adds $10,000” or `deferrals=24500 employer=10000`. "
            "If your employer's match is a formula, give your salary and the formula instead.",
        )
    assert deferrals is not None
    assert employer is not None
    return after_tax_room(
        choice,
        deferrals=deferrals,
        employer=employer,
        age=age,
        age_basis=basis,
        catch_up_stated=inputs.catch_up,
        compensation=inputs.salary,
        after_tax_so_far=inputs.after_tax_so_far or Decimal(0),
        periods=periods,
        extra_steps=tuple(steps),
        extra_notes=tuple(notes),
        extra_assumptions=tuple(assumptions),
    )
