"""Which calculator, if any, a question asks for.

A calculator answers when the question asks for one and gives numbers for it; a question
that only names a concept ("how is after-tax room calculated?") goes to the articles.
A request to calculate with no numbers ("calculate my after-tax room") still routes
here, so the reply can say which numbers are needed. The cue words are data
(`knowledge/intents.yaml`, read by `bot.vocabulary`).
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.numbers import Numbers
from bot.vocabulary import current


def is_positional(tokens: Sequence[str], numbers: Numbers) -> bool:
    """Whether bare amounts are the command form's: "after-tax room 24500 10000"."""
    return (
        bool(set(tokens) & current().after_tax)
        and len(numbers.unassigned) == 2
        and not numbers.has_money
        and not numbers.problems
    )


def route(tokens: Sequence[str], text: str, numbers: Numbers, command: str | None) -> str | None:
    """The calculator id for a question, or None when an article should answer it."""
    if command == "aftertaxroom":
        return "after-tax-room"
    vocabulary = current()
    words = set(tokens)
    after_tax = bool(words & vocabulary.after_tax)
    # An amount that could not be used still shows a calculation was asked for.
    dollars = bool(numbers.problems) or any(
        value is not None
        for value in (
            numbers.deferrals,
            numbers.employer,
            numbers.profit_sharing,
            numbers.after_tax_so_far,
            numbers.employer_percent,
        )
    )
    if after_tax and (dollars or (numbers.formula is not None and numbers.salary is not None)):
        return "after-tax-room"
    employer = numbers.employer is not None or numbers.profit_sharing is not None
    both = employer and numbers.deferrals is not None
    described = {w for w in words if not w.isdigit()} <= vocabulary.amount_words
    if both and (words & vocabulary.room or described):
        return "after-tax-room"
    if numbers.formula is not None and numbers.salary is not None:
        return "employer-match"
    if numbers.formula is not None and "match" in words and not vocabulary.meaning.search(text):
        return "employer-match"  # the reply asks for the salary
    deferral_numbers = (
        bool(numbers.problems)
        or numbers.deferred_so_far is not None
        or numbers.deferrals is not None
        or numbers.has_pay_periods
        or (numbers.age is not None and numbers.max_deferrals)
    )
    if not after_tax and deferral_numbers and words & vocabulary.more:
        return "deferral-room"
    if not after_tax and numbers.max_deferrals and numbers.has_pay_periods:
        return "deferral-room"  # "max my 401k, paid monthly": the amount per paycheck
    if vocabulary.calculate.search(text):
        if after_tax or words & vocabulary.room:
            return "after-tax-room"
        if "match" in words:
            return "employer-match"
        if "deferral" in words or "401k" in words:
            return "deferral-room"
    return None
