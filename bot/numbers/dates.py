"""Ages and years: "I'm 52", "turning 64 in November", "I was 58 in 2024", "next year"."""

from __future__ import annotations

import re
from typing import NamedTuple

from bot.numbers.lexing import blank, take
from bot.numbers.vocabulary import NumberVocabulary, alternatives

_AGE_NUMBER = (
    r"(\d{1,3})\b(?!\s*(?:%|percent|k\b|grand|thousand|,\d|\.\d|paychecks?|pay\s+periods?"
    r"|years?\s+(?:in|ago|left|of|to)))"
)
_YEAR = re.compile(r"(?<![\w$.,])(20\d\d)(?!\w|,\d|\.\d)")
_OFFSETS = (("this", 0), ("next", 1), ("last", -1))


class DatePatterns(NamedTuple):
    """The patterns of ages and years, built from the vocabulary's words."""

    ages: tuple[tuple[str, re.Pattern[str]], ...]
    next_year_after: re.Pattern[str]
    year_cue: re.Pattern[str]
    month_day: re.Pattern[str]


RelativeYears = tuple[tuple[re.Pattern[str], int], ...]


def relative_year_patterns(vocabulary: NumberVocabulary) -> RelativeYears:
    """The patterns of `vocabulary` for a year relative to this one, with its offset."""
    return tuple(
        (re.compile(alternatives(vocabulary.years[name]), re.IGNORECASE), offset)
        for name, offset in _OFFSETS
    )


def date_patterns(vocabulary: NumberVocabulary) -> DatePatterns:
    """The age and year patterns of `vocabulary` (all of them need a digit)."""
    ages = vocabulary.ages
    years = vocabulary.years
    now = alternatives(ages["now"])
    filler = alternatives(ages["now_filler"])
    # An age now (or as plainly told), one reached later this year, and one told in the past.
    told = (
        (
            "now",
            rf"{now}\s+(?:{filler}\s+)?{_AGE_NUMBER}"
            rf"|{alternatives(ages['age'], tail=False)}\s*(?:[:=]\s*)?(\d{{1,3}})\b"
            r"|\bat\s+(?:age\s+)?([2-9]\d)\b(?![\s,.]*\d|\s*(?:%|percent|k\b|grand|thousand"
            r"|paychecks?|pay\s+periods?|years?|months?|weeks?|days?|per\b|an?\s+hour))"
            rf"|\b(\d{{1,3}})\s*{alternatives(ages['old'], lead=False)}"
            rf"|{alternatives(ages['person'])}\s+(?:who\s+is\s+|aged?\s+)?(\d{{2}})\b",
        ),
        (
            "later",
            rf"{alternatives(ages['later'])}\s+{_AGE_NUMBER}"
            rf"|\b([2-9]\d)(?:st|nd|rd|th)\s+{alternatives(ages['birthday'])}",
        ),
        ("past", rf"{alternatives(ages['past'])}\s+{_AGE_NUMBER}"),
    )
    return DatePatterns(
        ages=tuple((kind, re.compile(expression, re.IGNORECASE)) for kind, expression in told),
        next_year_after=re.compile(rf"[^.;!?\n]{{0,20}}?{alternatives(years['next'])}", re.I),
        year_cue=re.compile(rf"(?:{alternatives(years['cues'])}\s*[:=(]?\s*)$", re.IGNORECASE),
        month_day=re.compile(
            rf"{alternatives(years['months'], tail=False)}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b"
            r"(?!\s*(?:k\b|,\d|\.\d|%|grand|thousand))"
            rf"|\b\d{{1,2}}(?:st|nd|rd|th)\s+(?:of\s+)?{alternatives(years['months'])}",
            re.IGNORECASE,
        ),
    )


def read_ages(text: str, patterns: DatePatterns) -> tuple[dict[str, int], str]:
    """The ages a message tells, and the text without them.

    Catch-ups follow the age on December 31, so an age reached later this year
    ("I'm 63 now and turn 64 in November") is the one the calculators use. An age told in
    the past tense next to a year ("I was 58 back in 2024") is the age for that year; the
    year is left for the year slot only when no other year is named.
    """
    told: dict[str, tuple[int, re.Match[str]]] = {}
    for kind, pattern in patterns.ages:
        for found in pattern.finditer(text):
            if kind == "later" and patterns.next_year_after.match(text, found.end()):
                text = blank(text, found.start(), found.end())
                continue  # "turning 50 next year" is not this year's age
            if any(f.start() < found.end() and found.start() < f.end() for _, f in told.values()):
                continue
            told.setdefault(kind, (int(next(g for g in found.groups() if g)), found))
    slots: dict[str, int] = {}
    if "now" in told:
        slots["age"] = told["now"][0]
    if "later" in told:
        slots["year_end_age"] = told["later"][0]
        slots.setdefault("age", told["later"][0])
    if "past" in told and "age" not in slots:
        age, found = told["past"]
        slots["age"] = age
        offset = max(0, found.start() - 30)
        window = text[offset : found.end() + 30]
        years = [y for y in _YEAR.finditer(window) if 2000 <= int(y.group(1)) <= 2099]
        if years:
            nearest = min(years, key=lambda y: abs(offset + y.start() - found.start()))
            slots["age_year"] = int(nearest.group(1))
            if len({y.group(1) for y in _YEAR.finditer(text)}) > 1:
                text = blank(text, offset + nearest.start(), offset + nearest.end())
    for _, found in told.values():
        text = blank(text, found.start(), found.end())
    return slots, text


def read_years(
    text: str, relative: RelativeYears, patterns: DatePatterns | None
) -> tuple[dict[str, int], str]:
    """The tax year a message names, as a year or relative to this one, and the text
    without it; `patterns` is None for a text with no digit, which names no year."""
    slots: dict[str, int] = {}
    for pattern, offset in relative:
        found, text = take(pattern, text)
        if found is not None and "year_offset" not in slots:
            slots["year_offset"] = offset
    if patterns is None:
        return slots, text
    for day in list(patterns.month_day.finditer(text)):
        text = blank(text, day.start(), day.end())  # "on dec 28": a date, not an amount
    for year in list(_YEAR.finditer(text)):
        value = int(year.group(1))
        cued = patterns.year_cue.search(text[max(0, year.start() - 12) : year.start()])
        if 2020 <= value <= 2039 or cued:
            slots.setdefault("year", value)
            text = blank(text, year.start(), year.end())
    return slots, text
