"""Pay frequency and paychecks left: "paid biweekly", "6 paychecks left", "5 months to go"."""

from __future__ import annotations

import re
from typing import NamedTuple

from bot.numbers.lexing import take
from bot.numbers.vocabulary import NumberVocabulary, alternatives
from calc.paycheck import PAY_FREQUENCIES

# Read in this order, each taking its words out first: "semi-monthly" is never "monthly".
_ORDER = ("biweekly", "semimonthly", "weekly", "monthly")
_SEMIMONTHLY_DATES = (
    r"\b(?:the\s+)?1st\s+and\s+(?:the\s+)?15th\b"
    r"|\b(?:the\s+)?15th\s+and\s+(?:the\s+)?(?:last|30th|end)\b"
)
_PER_UNIT = {("month", "monthly"): 1, ("month", "semimonthly"): 2, ("week", "weekly"): 1}
_BY_PERIODS = {periods: name for name, periods in PAY_FREQUENCIES.items()}


Frequencies = tuple[tuple[re.Pattern[str], str], ...]


class PaycheckPatterns(NamedTuple):
    """The patterns of paychecks counted ("6 paychecks left", "26 paychecks a year")."""

    left: re.Pattern[str]
    time_left: re.Pattern[str]
    per_year: re.Pattern[str]


def frequency_patterns(vocabulary: NumberVocabulary) -> Frequencies:
    """The pay-frequency patterns of `vocabulary`, in the order they are read."""
    said = vocabulary.pay_frequencies
    frequencies = []
    for name in _ORDER:
        expression = alternatives(said[name], weekdays=vocabulary.weekdays)
        if name == "semimonthly":
            expression += "|" + _SEMIMONTHLY_DATES
        frequencies.append((re.compile(expression, re.IGNORECASE), name))
    return tuple(frequencies)


def paycheck_patterns(vocabulary: NumberVocabulary) -> PaycheckPatterns:
    """The patterns of `vocabulary` that count paychecks."""
    periods = vocabulary.paychecks["periods"]
    period = alternatives(periods)
    left = alternatives(vocabulary.paychecks["left"])
    more = alternatives(vocabulary.paychecks["more"])
    return PaycheckPatterns(
        left=re.compile(
            rf"\b(\d{{1,3}})\s+(?:{more}\s+)?{period}\s+{left}"
            rf"|\b(\d{{1,3}})\s+{more}\s+{alternatives(periods, tail=False)}"
            rf"|{period}\s+{left}\s*(?:[:=]\s*)?(\d{{1,3}})\b",
            re.IGNORECASE,
        ),
        # "5 months left" is 5 paychecks when paid monthly, 10 when paid twice a month.
        time_left=re.compile(
            rf"\b(\d{{1,2}})\s+(?:{more}\s+)?(months?|weeks?)\s+{left}", re.IGNORECASE
        ),
        per_year=re.compile(
            rf"\b(\d{{1,3}})\s+{period}|\b(?:paid|pay(?:checks?)?)\s+(\d{{1,2}})\s*(?:times|x)\s+"
            r"(?:a|per|each|every)\s+year\b",
            re.IGNORECASE,
        ),
    )


def _number(found: re.Match[str]) -> int:
    return int(next(g for g in found.groups() if g))


def read_pay_periods(
    text: str, frequencies: Frequencies, patterns: PaycheckPatterns | None
) -> tuple[dict[str, object], str]:
    """The pay frequency and paychecks left a message tells, and the text without them.

    `patterns` is None for a text with no digit, which counts no paychecks.
    """
    slots: dict[str, object] = {}
    for pattern, name in frequencies:
        freq, text = take(pattern, text)
        if freq is not None:
            slots.setdefault("frequency", name)
    if patterns is None:
        return slots, text
    left, text = take(patterns.left, text)
    if left is not None:
        slots["paychecks_left"] = _number(left)
    time_left, text = take(patterns.time_left, text)
    per_year, text = take(patterns.per_year, text)
    if per_year is not None:
        periods = _number(per_year)
        if periods in _BY_PERIODS:
            slots.setdefault("frequency", _BY_PERIODS[periods])
        else:
            slots.setdefault("paychecks_left", periods)

    if time_left is not None and "paychecks_left" not in slots:
        unit = time_left.group(2).lower().rstrip("s")
        times = _PER_UNIT.get((unit, str(slots.get("frequency"))))
        if times is not None:
            slots["paychecks_left"] = int(time_left.group(1)) * times
        elif unit == "week" and slots.get("frequency") == "biweekly":
            slots["paychecks_left"] = max(1, int(time_left.group(1)) // 2)
    return slots, text
