"""Ages and years: "I'm 52", "turning 64 in November", "I was 58 in 2024", "next year"."""

from __future__ import annotations

import re

from bot.numbers.lexing import blank, take

_AGE_NUMBER = (
    r"(\d{1,3})\b(?!\s*(?:%|percent|k\b|grand|thousand|,\d|\.\d|paychecks?|pay\s+periods?"
    r"|years?\s+(?:in|ago|left|of|to)))"
)
# An age now (or as plainly told), one reached later this year, and one told in the past.
_AGES = (
    (
        "now",
        re.compile(
            rf"\b(?:i\s*(?:['’]\s*)?m|i\s+am|im|if\s+i\s+were|i\s+were)\s+(?:now\s+|currently\s+|age\s+)?"
            rf"{_AGE_NUMBER}"
            r"|\b(?:age|aged)\s*(?:[:=]\s*)?(\d{1,3})\b"
            r"|\bat\s+(?:age\s+)?([2-9]\d)\b(?![\s,.]*\d|\s*(?:%|percent|k\b|grand|thousand"
            r"|paychecks?|pay\s+periods?|years?|months?|weeks?|days?|per\b|an?\s+hour))"
            r"|\b(\d{1,3})\s*(?:years?\s*old|yrs?\s*old|y/?o)\b"
            r"|\b(?:someone|person|employee|participant|people)\s+(?:who\s+is\s+|aged?\s+)?(\d{2})\b",
            re.IGNORECASE,
        ),
    ),
    (
        "later",
        re.compile(
            r"\b(?:turning|turn|turns|will\s+be|i['’]?ll\s+be|ill\s+be|be|becom(?:e|es|ing)"
            r"|hit|hits|hitting|reach|reaches|reaching)\s+" + _AGE_NUMBER,
            re.IGNORECASE,
        ),
    ),
    (
        "past",
        re.compile(r"\b(?:was|turned|had\s+turned)\s+" + _AGE_NUMBER, re.IGNORECASE),
    ),
)
_NEXT_YEAR_AFTER = re.compile(r"[^.;!?\n]{0,20}?\bnext\s+(?:tax\s+)?year\b", re.IGNORECASE)

_YEAR = re.compile(r"(?<![\w$.,])(20\d\d)(?!\w|,\d|\.\d)")
_YEAR_CUE = re.compile(r"(?:\b(?:in|for|of|year|during|by|from|tax|the)\s*[:=(]?\s*)$", re.I)
_RELATIVE_YEAR_WORDS = (
    (r"\b(?:this|current|the\s+current)\s+(?:tax\s+)?year\b|\bthis\s+yr\b", 0),
    (r"\bnext\s+(?:tax\s+)?year\b|\bnext\s+yr\b", 1),
    (r"\b(?:last|previous|prior)\s+(?:tax\s+)?year\b", -1),
)
_RELATIVE_YEAR = tuple((re.compile(p, re.I), offset) for p, offset in _RELATIVE_YEAR_WORDS)


def read_ages(text: str) -> tuple[dict[str, int], str]:
    """The ages a message tells, and the text without them.

    Catch-ups follow the age on December 31, so an age reached later this year
    ("I'm 63 now and turn 64 in November") is the one the calculators use. An age told in
    the past tense next to a year ("I was 58 back in 2024") is the age for that year; the
    year is left for the year slot only when no other year is named.
    """
    told: dict[str, tuple[int, re.Match[str]]] = {}
    for kind, pattern in _AGES:
        for found in pattern.finditer(text):
            if kind == "later" and _NEXT_YEAR_AFTER.match(text, found.end()):
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


def read_years(text: str) -> tuple[dict[str, int], str]:
    """The tax year a message names, as a year or relative to this one, and the text
    without it."""
    slots: dict[str, int] = {}
    for pattern, offset in _RELATIVE_YEAR:
        relative, text = take(pattern, text)
        if relative is not None and "year_offset" not in slots:
            slots["year_offset"] = offset
    for year in list(_YEAR.finditer(text)):
        value = int(year.group(1))
        cued = _YEAR_CUE.search(text[max(0, year.start() - 12) : year.start()])
        if 2020 <= value <= 2039 or cued:
            slots.setdefault("year", value)
            text = blank(text, year.start(), year.end())
    return slots, text
