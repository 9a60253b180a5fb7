"""Match formulas in a message: "100% of the first 3%", "a 4% match", "50 cents on the
dollar", and whether the plan trues up the match."""

from __future__ import annotations

import re
from typing import NamedTuple

from bot.numbers.lexing import blank
from bot.numbers.vocabulary import NumberVocabulary, alternatives
from calc.errors import CalcError
from calc.formula import MatchFormula, find_formula, parse_formula

_DOLLAR_FOR_DOLLAR = re.compile(r"\bdollar[\s-]+(?:per|to|4|on|by)[\s-]+dollar\b", re.IGNORECASE)
# "50 cents on the dollar" is a 50% match rate.
_CENTS = re.compile(
    r"\b(\d{1,3})\s*(?:cents|¢)(?:\s+(?:on|per|for)\s+(?:(?:the|each|every|a)\s+)?dollar\b"
    r"|(?=\s+(?:on|of|for)\s+the\s+(?:first|next)\b))",
    re.I,
)
_SIMPLE_MATCH = re.compile(
    r"\b(?P<a>\d{1,2}(?:\.\d+)?)\s*%\s*(?:employer\s+|company\s+|401\s*\(?k\)?\s+)?match\b"
    r"|\bmatch(?:es|ing)?(?:\s*[:=])?\s+(?:of\s+|up\s+to\s+|the\s+first\s+|on\s+the\s+first\s+)?"
    r"(?P<b>\d{1,2}(?:\.\d+)?)\s*%",
    re.IGNORECASE,
)


def cents_as_percent(text: str) -> str:
    """The rate in "50 cents on the dollar" written "50% "."""
    return _CENTS.sub(r"\1% ", text)


def dollar_for_dollar(text: str) -> str:
    """Every way of saying "dollar for dollar" ("dollar per dollar", "dollar 4 dollar")
    written one way, as the formula grammar reads it."""
    return _DOLLAR_FOR_DOLLAR.sub("dollar for dollar", text)


# "matches 50% of that", "matches 25% of my contributions": a share of all the person
# puts in, with no band of pay (so the band is all of it).
_SHARE_OF_ALL = re.compile(
    r"\bmatch(?:es|ed|ing)?\s+(?P<rate>\d{1,3}(?:\.\d+)?)\s*%\s+of\s+"
    r"(?:that|it|this|those|(?:all\s+)?(?:my|your|our)\s+(?:contributions?|deferrals?)"
    r"|what\s+(?:i|you|we)\s+(?:put\s+in|contribute|defer))\b"
    r"(?!\s*(?:,\s*)?(?:up\s+to|on\s+the|of\s+the|to\s+the)\b)",
    re.IGNORECASE,
)


def _simple_formula(text: str) -> tuple[MatchFormula, tuple[int, int]] | None:
    """A match given as one percent ("a 4% match", "matches up to 5%"): 100% of that much
    pay; or as a share of all that is put in ("matches 50% of that")."""
    share = _SHARE_OF_ALL.search(text)
    if share is not None:
        try:
            formula = parse_formula(f"{share['rate']}% up to 100%")
        except CalcError:
            return None
        return formula, (share.start(), share.end())
    found = _SIMPLE_MATCH.search(text)
    if found is None:
        return None
    percent = found["a"] or found["b"]
    try:
        return parse_formula(f"100% up to {percent}%"), (found.start(), found.end())
    except CalcError:
        return None


def read_formula(text: str, problems: list[str]) -> tuple[MatchFormula | None, str]:
    """The match formula a message gives, and the text without it; a formula that cannot
    be used is added to `problems`."""
    try:
        found = find_formula(text)
    except CalcError as exc:
        found = None
        problems.append(str(exc))
    if found is None:
        found = _simple_formula(text)
    if found is None:
        return None, text
    formula, (start, end) = found
    return formula, blank(text, start, end)


class MatchPatterns(NamedTuple):
    """The patterns of a plan's true-up, built from the vocabulary's words."""

    true_up: re.Pattern[str]
    no_true_up: re.Pattern[str]


def match_patterns(vocabulary: NumberVocabulary) -> MatchPatterns:
    """The true-up patterns of `vocabulary`."""
    said = vocabulary.match
    return MatchPatterns(
        true_up=re.compile(alternatives(said["true_up"]), re.IGNORECASE),
        no_true_up=re.compile(
            rf"(?:{alternatives(said['no_true_up'])}|n['’]?t)(?:\s+\w+){{0,3}}\s*$", re.IGNORECASE
        ),
    )


def true_up(text: str, patterns: MatchPatterns) -> bool | None:
    """Whether the message says the plan trues up the match: True, False, or None (unsaid)."""
    found = patterns.true_up.search(text)
    if found is None:
        return None
    return not patterns.no_true_up.search(text[max(0, found.start() - 30) : found.start()])
