"""`read_numbers`: every number in a message, each in its slot of a `Numbers` record.

The reading goes in a fixed order, each step blanking what it took so the next cannot
take it again: `key=value` options, numbers that are names, unreadable amounts, the match
formula, pay periods, ages, years, and last the amounts, each in the slot the words
around it name. It is pure: a relative year ("next year") comes back as an offset for the
caller to resolve against its own date. The words each step looks for come from the
number vocabulary, made into patterns once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from functools import cached_property

from bot.numbers.dates import (
    DatePatterns,
    RelativeYears,
    date_patterns,
    read_ages,
    read_years,
    relative_year_patterns,
)
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
from bot.numbers.paychecks import (
    Frequencies,
    PaycheckPatterns,
    frequency_patterns,
    paycheck_patterns,
    read_pay_periods,
)
from bot.numbers.record import Numbers
from bot.numbers.slots import (
    SlotPatterns,
    max_pattern,
    place_amounts,
    says_max,
    slot_patterns,
    without_roth_employer,
)
from bot.numbers.vocabulary import NumberVocabulary, vocabulary


class Reader:
    """The number reader of one vocabulary.

    Each step's patterns are built from the vocabulary when first needed and kept; those
    that need a digit to match are not tried (nor built) for a text without one.
    """

    def __init__(self, words: NumberVocabulary) -> None:
        self.words = words

    @cached_property
    def options(self) -> OptionWords:
        return option_words(self.words)

    @cached_property
    def formulas(self) -> MatchPatterns:
        return match_patterns(self.words)

    @cached_property
    def frequencies(self) -> Frequencies:
        return frequency_patterns(self.words)

    @cached_property
    def paychecks(self) -> PaycheckPatterns:
        return paycheck_patterns(self.words)

    @cached_property
    def dates(self) -> DatePatterns:
        return date_patterns(self.words)

    @cached_property
    def relative_years(self) -> RelativeYears:
        return relative_year_patterns(self.words)

    @cached_property
    def slots(self) -> SlotPatterns:
        return slot_patterns(self.words)

    @cached_property
    def max(self) -> re.Pattern[str]:
        return max_pattern(self.words)

    def read(self, text: str, *, positional: bool = False) -> Numbers:
        """Every number in a message, each in its slot; see the module docstring."""
        slots: dict[str, object] = {}
        problems: list[str] = []
        args, text = self._options(text, problems)
        numeric = _DIGIT.search(text) is not None
        text = self._before_amounts(text, slots, problems, numeric)

        if numeric:  # every amount has a digit
            placed, unassigned = place_amounts(
                text, problems, self.slots, positional=positional, maxed="max_deferrals" in slots
            )
            slots.update(placed)
        else:
            unassigned = []
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
        return merge(numbers, args, self.options)

    def taken_before_slots(self, text: str) -> str | None:
        """What takes part of `text` before the slot cues see it (a name, a pay frequency,
        an age …), or None when the cues see all of it."""
        _, left = self._options(text, [])
        if left != text:
            return "an option or a spelled-out number"
        numeric = _DIGIT.search(left) is not None
        for what, step in self._steps():
            taken = step(left, {}, [], numeric)
            if taken != left:
                return what
        return None

    def _options(self, text: str, problems: list[str]) -> tuple[dict[str, str], str]:
        text = dollar_for_dollar(percent_signs(cents_as_percent(spelled_numbers(text))))
        args, text = key_values(text, self.options)
        problems += unclear_amounts(args, self.options)
        return args, text

    def _before_amounts(
        self, text: str, slots: dict[str, object], problems: list[str], numeric: bool
    ) -> str:
        """`text` with all but its amounts and their cue words read into `slots` and blanked;
        `numeric` says whether it has a digit (the steps only ever take digits out)."""
        for _, step in self._steps():
            text = step(text, slots, problems, numeric)
        return text

    def _steps(self) -> tuple[tuple[str, _Step], ...]:
        return (
            ("a name (a plan type, form or code section)", _names),
            ("a match formula", _formula),
            ("a pay frequency or paychecks left", self._pay_periods),
            ("an age", self._ages),
            ("a year", self._years),
            ("Roth beside an employer word", self._employer_roth),
        )

    def _pay_periods(self, text: str, slots: dict[str, object], _: list[str], numeric: bool) -> str:
        counts = self.paychecks if numeric else None
        periods, text = read_pay_periods(text, self.frequencies, counts)
        slots.update(periods)
        return text

    def _ages(self, text: str, slots: dict[str, object], _: list[str], numeric: bool) -> str:
        if numeric:  # an age is a number
            ages, text = read_ages(text, self.dates)
            slots.update(ages)
        return text

    def _years(self, text: str, slots: dict[str, object], _: list[str], numeric: bool) -> str:
        years, text = read_years(text, self.relative_years, self.dates if numeric else None)
        slots.update(years)
        return text

    def _employer_roth(
        self, text: str, slots: dict[str, object], _: list[str], numeric: bool
    ) -> str:
        """Roth beside an employer word taken out, then the true-up and "max" read."""
        text = without_roth_employer(text)
        trued = true_up(text, self.formulas)
        if trued is not None:
            slots["true_up"] = trued
        if says_max(text, self.max):
            slots["max_deferrals"] = True
        return text


_Step = Callable[[str, dict[str, object], list[str], bool], str]
_DIGIT = re.compile(r"\d")


def _names(text: str, _: dict[str, object], problems: list[str], numeric: bool) -> str:
    return without_unreadable(without_names(text), problems)


def _formula(text: str, slots: dict[str, object], problems: list[str], numeric: bool) -> str:
    formula, text = read_formula(text, problems)
    if formula is not None:
        slots["formula"] = formula
    return text


_reader: tuple[NumberVocabulary, Reader] | None = None


def builtin_reader() -> Reader:
    """The reader of the vocabulary in use (the built-in one unless a prepared copy was
    installed), built once for it; VocabularyError when the vocabulary file is not valid."""
    global _reader
    words = vocabulary()
    if _reader is None or _reader[0] is not words:
        _reader = (words, Reader(words))
    return _reader[1]


def read_numbers(text: str, *, positional: bool = False) -> Numbers:
    """Every number in a message, each in its slot; see the module docstring.

    With `positional` (the `aftertaxroom 24500 10000` command form), amounts with no
    words around them are deferrals, then employer contributions.
    """
    return builtin_reader().read(text, positional=positional)
