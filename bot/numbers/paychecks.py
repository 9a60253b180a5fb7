"""Pay frequency and paychecks left: "paid biweekly", "6 paychecks left", "5 months to go"."""

from __future__ import annotations

import re

from bot.numbers.lexing import take
from calc.paycheck import PAY_FREQUENCIES

_WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?s?"
_FREQUENCY_WORDS = (
    (
        rf"\bbi[\s-]?weekly\b|\bevery\s+(?:two|2|other)\s+(?:weeks?|{_WEEKDAY})\b"
        r"|\bfortnightly\b|\bbiwk\b",
        "biweekly",
    ),
    (
        r"\bsemi[\s-]?monthly\b|\btwice\s+(?:a|per|each)\s+month\b|\btwice\s+monthly\b"
        r"|\b2x\s+(?:a|per)\s+month\b|\b(?:the\s+)?1st\s+and\s+(?:the\s+)?15th\b"
        r"|\b(?:the\s+)?15th\s+and\s+(?:the\s+)?(?:last|30th|end)\b",
        "semimonthly",
    ),
    (rf"\bweekly\b|\bevery\s+(?:week|{_WEEKDAY})\b|\bonce\s+a\s+week\b", "weekly"),
    (r"\bmonthly\b|\bevery\s+month\b|\bonce\s+a\s+month\b|\b(?:a|per|each)\s+month\b", "monthly"),
)
_FREQUENCIES = tuple((re.compile(p, re.I), name) for p, name in _FREQUENCY_WORDS)
_PERIOD_WORD = r"(?:pay\s*checks?|pay\s*periods?|pay\s*days?|pays|checks)"
_LEFT = re.compile(
    rf"\b(\d{{1,3}})\s+(?:more\s+|remaining\s+)?{_PERIOD_WORD}\s+(?:left|remaining|remain|to\s+go)\b"
    rf"|\b(\d{{1,3}})\s+(?:more|remaining)\s+{_PERIOD_WORD}"
    rf"|\b{_PERIOD_WORD}\s+(?:left|remaining)\s*(?:[:=]\s*)?(\d{{1,3}})\b",
    re.IGNORECASE,
)
# "5 months left" is 5 paychecks when paid monthly, 10 when paid twice a month.
_TIME_LEFT = re.compile(
    r"\b(\d{1,2})\s+(?:more\s+)?(months?|weeks?)\s+(?:left|remaining|to\s+go)\b", re.IGNORECASE
)
_PER_UNIT = {("month", "monthly"): 1, ("month", "semimonthly"): 2, ("week", "weekly"): 1}
_PER_YEAR = re.compile(
    rf"\b(\d{{1,3}})\s+{_PERIOD_WORD}\b|\b(?:paid|pay(?:checks?)?)\s+(\d{{1,2}})\s*(?:times|x)\s+"
    r"(?:a|per|each|every)\s+year\b",
    re.IGNORECASE,
)
_BY_PERIODS = {periods: name for name, periods in PAY_FREQUENCIES.items()}


def _number(found: re.Match[str]) -> int:
    return int(next(g for g in found.groups() if g))


def read_pay_periods(text: str) -> tuple[dict[str, object], str]:
    """The pay frequency and paychecks left a message tells, and the text without them."""
    slots: dict[str, object] = {}
    for pattern, name in _FREQUENCIES:
        freq, text = take(pattern, text)
        if freq is not None:
            slots.setdefault("frequency", name)
    left, text = take(_LEFT, text)
    if left is not None:
        slots["paychecks_left"] = _number(left)
    time_left, text = take(_TIME_LEFT, text)
    per_year, text = take(_PER_YEAR, text)
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
