"""Which calculator, if any, a question asks for.

A calculator answers when the question asks for one and gives numbers for it; a question
that only names a concept ("how is after-tax room calculated?") goes to the articles.
A request to calculate with no numbers ("calculate my after-tax room") still routes
here, so the reply can say which numbers are needed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.numbers import Numbers

_AFTER_TAX = frozenset({"aftertax", "megabackdoor", "415c", "aftertaxroom"})
_ROOM = frozenset({"room", "space", "left", "remaining", "headroom"})
_MORE = frozenset(
    {"more", "left", "remaining", "room", "paycheck", "paychecks", "per", "still", "until"}
)
_CALCULATE = re.compile(
    r"^\W*(?:please\s+)?(?:(?:can|could|would)\s+you\s+)?(?:calculate|compute|work\s+out"
    r"|figure\s+out|run\s+the\s+numbers\s+(?:on|for))\b",
    re.IGNORECASE,
)


# Words that only say what the amounts are. A message of amounts and these words alone
# ("I defer 24.5k and my employer adds 10k") gives exactly the after-tax room
# calculator's two inputs and asks nothing else, so it gets that calculation.
_AMOUNT_WORDS = frozenset(
    {
        "i", "im", "me", "my", "we", "our", "and", "plus", "with", "the", "a", "in", "into",
        "to", "of", "this", "year", "per", "is", "are", "am", "also", "then", "put", "puts",
        "deferral", "contribut", "contribute", "contributes", "contribution",
        "contributions", "save", "employer", "employers", "company", "adds", "add",
        "gives", "give", "match", "matches", "matching", "401k", "pretax", "roth",
        "get", "gets", "earn", "earns", "make", "salary", "pay", "profitsharing",
        "nonelective", "trueup", "regular", "catchup", "all", "total",
        "age", "aged", "old", "now", "turn", "turns", "turning", "will", "be", "was",
        "january", "february", "march", "april", "may", "june", "july", "august",
        "september", "october", "november", "december",
    }
)  # fmt: skip

# "What does 50% up to 6% mean?" asks for the article, not for a salary to work it out.
_MEANING = re.compile(r"\bmean(?:s|ing)?\b|\bexplain|\bhow\s+(?:does|do)\b.*\bwork", re.I)


def is_positional(tokens: Sequence[str], numbers: Numbers) -> bool:
    """Whether bare amounts are the command form's: "after-tax room 24500 10000"."""
    return (
        bool(set(tokens) & _AFTER_TAX)
        and len(numbers.unassigned) == 2
        and not numbers.has_money
        and not numbers.problems
    )


def route(tokens: Sequence[str], text: str, numbers: Numbers, command: str | None) -> str | None:
    """The calculator id for a question, or None when an article should answer it."""
    if command == "aftertaxroom":
        return "after-tax-room"
    words = set(tokens)
    after_tax = bool(words & _AFTER_TAX)
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
    described = {w for w in words if not w.isdigit()} <= _AMOUNT_WORDS
    if both and (words & _ROOM or described):
        return "after-tax-room"
    if numbers.formula is not None and numbers.salary is not None:
        return "employer-match"
    if numbers.formula is not None and "match" in words and not _MEANING.search(text):
        return "employer-match"  # the reply asks for the salary
    deferral_numbers = (
        bool(numbers.problems)
        or numbers.deferred_so_far is not None
        or numbers.deferrals is not None
        or numbers.has_pay_periods
        or (numbers.age is not None and numbers.max_deferrals)
    )
    if not after_tax and deferral_numbers and words & _MORE:
        return "deferral-room"
    if not after_tax and numbers.max_deferrals and numbers.has_pay_periods:
        return "deferral-room"  # "max my 401k, paid monthly": the amount per paycheck
    if _CALCULATE.search(text):
        if after_tax or words & _ROOM:
            return "after-tax-room"
        if "match" in words:
            return "employer-match"
        if "deferral" in words or "401k" in words:
            return "deferral-room"
    return None
