"""`read_numbers`: every number in a message, each in its slot of a `Numbers` record.

The reading goes in a fixed order, each step blanking what it took so the next cannot
take it again: `key=value` options, numbers that are names, unreadable amounts, the match
formula, pay periods, ages, years, and last the amounts, each in the slot the words
around it name. It is pure: a relative year ("next year") comes back as an offset for the
caller to resolve against its own date.
"""

from __future__ import annotations

from dataclasses import replace

from bot.numbers.dates import read_ages, read_years
from bot.numbers.formulas import cents_as_percent, dollar_for_dollar, read_formula, true_up
from bot.numbers.lexing import percent_signs, spelled_numbers, without_names, without_unreadable
from bot.numbers.options import key_values, merge, unclear_amounts
from bot.numbers.paychecks import read_pay_periods
from bot.numbers.record import Numbers
from bot.numbers.slots import place_amounts, says_max, without_roth_employer


def read_numbers(text: str, *, positional: bool = False) -> Numbers:
    """Every number in a message, each in its slot; see the module docstring.

    With `positional` (the `aftertaxroom 24500 10000` command form), amounts with no
    words around them are deferrals, then employer contributions.
    """
    text = dollar_for_dollar(percent_signs(cents_as_percent(spelled_numbers(text))))
    slots: dict[str, object] = {}
    problems: list[str] = []

    args, text = key_values(text)
    problems += unclear_amounts(args)
    text = without_unreadable(without_names(text), problems)

    formula, text = read_formula(text, problems)
    if formula is not None:
        slots["formula"] = formula
    periods, text = read_pay_periods(text)
    slots.update(periods)
    ages, text = read_ages(text)
    slots.update(ages)
    years, text = read_years(text)
    slots.update(years)

    text = without_roth_employer(text)
    trued = true_up(text)
    if trued is not None:
        slots["true_up"] = trued
    if says_max(text):
        slots["max_deferrals"] = True

    placed, unassigned = place_amounts(
        text, problems, positional=positional, maxed="max_deferrals" in slots
    )
    slots.update(placed)
    if "deferrals" in slots:
        slots.pop("max_deferrals", None)
    if "formula" in slots and "salary" not in slots:
        # Beside a match formula, the one amount with no name is the pay it applies to
        # ("what's a 3% match on 80k").
        pay = [value for value in unassigned if value >= 1000]
        if len(pay) == 1:
            slots["salary"] = pay[0]
            unassigned.remove(pay[0])

    numbers = Numbers(unassigned=tuple(unassigned), problems=tuple(problems))
    numbers = replace(numbers, **slots)  # type: ignore[arg-type]
    return merge(numbers, args)
