"""`read_numbers`: every number in a message, each in its slot of a `Numbers` record.

The reading goes in a fixed order, each step blanking what it took so the next cannot
take it again: `key=value` options, numbers that are names, unreadable amounts, the match
formula, pay periods, ages, years, and last the amounts, each in the slot the words
around it name. It is pure: a relative year ("next year") comes back as an offset for the
caller to resolve against its own date. The words each step looks for come from the
number vocabulary, made into patterns once.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache

from bot.numbers.dates import DatePatterns, date_patterns, read_ages, read_years
from bot.numbers.formulas import (
    MatchPatterns,
    cents_as_percent,
    dollar_for_dollar,
    match_patterns,
    read_formula,
    true_up,
)
from bot.numbers.lexing import percent_signs, spelled_numbers, without_names, without_unreadable
from bot.numbers.options import OptionWords, key_values, merge, option_words, unclear_amounts
from bot.numbers.paychecks import PayPatterns, pay_patterns, read_pay_periods
from bot.numbers.record import Numbers
from bot.numbers.slots import (
    SlotPatterns,
    place_amounts,
    says_max,
    slot_patterns,
    without_roth_employer,
)
from bot.numbers.vocabulary import NumberVocabulary, vocabulary


@dataclass(frozen=True)
class Reader:
    """Every pattern the reading steps use, built from one vocabulary."""

    options: OptionWords
    formulas: MatchPatterns
    pay: PayPatterns
    dates: DatePatterns
    slots: SlotPatterns

    @classmethod
    def of(cls, words: NumberVocabulary) -> Reader:
        return cls(
            options=option_words(words),
            formulas=match_patterns(words),
            pay=pay_patterns(words),
            dates=date_patterns(words),
            slots=slot_patterns(words),
        )


@cache
def builtin_reader() -> Reader:
    """The reader of the built-in vocabulary, built once."""
    return Reader.of(vocabulary())


def read_numbers(text: str, *, positional: bool = False) -> Numbers:
    """Every number in a message, each in its slot; see the module docstring.

    With `positional` (the `aftertaxroom 24500 10000` command form), amounts with no
    words around them are deferrals, then employer contributions.
    """
    reader = builtin_reader()
    slots: dict[str, object] = {}
    problems: list[str] = []
    args, text = _options(text, reader, problems)
    text = _before_amounts(text, reader, slots, problems)

    placed, unassigned = place_amounts(
        text, problems, reader.slots, positional=positional, maxed="max_deferrals" in slots
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


def _options(text: str, reader: Reader, problems: list[str]) -> tuple[dict[str, str], str]:
    text = dollar_for_dollar(percent_signs(cents_as_percent(spelled_numbers(text))))
    args, text = key_values(text, reader.options)
    problems += unclear_amounts(args, reader.options)
    return args, text


def _before_amounts(
    text: str, reader: Reader, slots: dict[str, object], problems: list[str]
) -> str:
    """`text` with all but its amounts and their cue words read into `slots` and blanked."""
    text = without_unreadable(without_names(text), problems)
    formula, text = read_formula(text, problems)
    if formula is not None:
        slots["formula"] = formula
    periods, text = read_pay_periods(text, reader.pay)
    slots.update(periods)
    ages, text = read_ages(text, reader.dates)
    slots.update(ages)
    years, text = read_years(text, reader.dates)
    slots.update(years)
    text = without_roth_employer(text)
    trued = true_up(text, reader.formulas)
    if trued is not None:
        slots["true_up"] = trued
    if says_max(text, reader.slots):
        slots["max_deferrals"] = True
    return text


def left_for_slots(text: str, words: NumberVocabulary) -> str:
    """What of `text` the slot cues of `words` see, after every earlier step took its part."""
    reader = Reader.of(words)
    _, text = _options(text, reader, [])
    return _before_amounts(text, reader, {}, [])
