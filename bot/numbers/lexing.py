"""The lexing of numbers: spelled-out numbers, amounts, and numbers that are names.

Every step keeps positions: what it takes out of a text it replaces with spaces, so the
later steps still see each word where it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from calc.errors import shown
from calc.money import ACCEPTED


def blank(text: str, start: int, end: int) -> str:
    """`text` with [start, end) replaced by spaces, so later positions stay put."""
    return text[:start] + " " * (end - start) + text[end:]


def blank_all(pattern: re.Pattern[str], text: str) -> str:
    """`text` with every match of `pattern` replaced by spaces."""
    return pattern.sub(lambda m: " " * len(m.group(0)), text)


def take(pattern: re.Pattern[str], text: str) -> tuple[re.Match[str] | None, str]:
    """The first match of `pattern` in `text`, and the text with it blanked."""
    found = pattern.search(text)
    if found is None:
        return None, text
    return found, blank(text, found.start(), found.end())


# Numbers that are names, not amounts: plan types, code sections, forms, notices.
_NAMES = re.compile(
    r"\b40[13]\s*(?:[-(]\s*)?[kb]\s*\)?s?(?![a-z])|\b457\s*(?:[-(]\s*)?b\s*\)?|\b41[45]\s*(?:[-(]\s*)?[cvq]\s*\)?"
    r"|(?<![$\d.,])\b457s?\b(?![\d,.%]|\s*(?:k|grand|thousand|dollars)\b)"
    r"|\b402\s*(?:[-(]\s*)?g\s*\)?|\b401\s*\(\s*a\s*\)\s*\(\s*17\s*\)|\b1099\s*(?:-\s*)?r\b|\b(?:form\s*)?8606\b"
    r"|\b5498\b|\b529s?\b|\bw-?2\b|\b(?:notice|ir|t\.?\s*d\.?|rev\.?\s*proc\.?)\s*(?:-\s*)?[\d-]{4,}"
    r"|\b(?:section|sec\.?|§)\s*\d+[a-z]?|\bsecure\s*(?:act\s*)?2(?:\.0)?\b"
    r"|\b(?:five|5)[\s-]*(?:year|yr)s?[\s-]+(?:rule|clock|period)s?"
    r"|(?<![$\d.,])\b101\b(?![\d,.%]|\s*(?:k|grand|thousand|dollars)\b)",
    re.IGNORECASE,
)


def without_names(text: str) -> str:
    """`text` with the numbers that name a plan, a code section or a form blanked."""
    return blank_all(_NAMES, text)


_UNIT_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen"
)
_TEN_WORDS = "twenty thirty forty fifty sixty seventy eighty ninety"
_UNITS = {w: i for i, w in enumerate(_UNIT_WORDS.split(" "))}
_TENS = {w: 10 * (i + 2) for i, w in enumerate(_TEN_WORDS.split(" "))}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
_NUMBER_WORD = "|".join([*_UNITS, *_TENS, *_SCALES])
_NUMBER_WORDS = re.compile(
    rf"\b(?:{_NUMBER_WORD})(?:(?:\s+and\s+|[\s-]+)(?:{_NUMBER_WORD}))*\b", re.IGNORECASE
)


def _words_value(words: list[str]) -> int | None:
    total = current = 0
    for word in words:
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word in _SCALES:
            total += max(current, 1) * _SCALES[word]
            current = 0
        else:
            return None
    return total + current


def _spoken_thousands(words: list[str]) -> int | None:
    """Amounts said the way people say them aloud: "twenty four five" is 24,500."""
    if len(words) == 3 and words[0] in _TENS and words[1] in _UNITS and words[2] in _UNITS:
        tens, unit, hundreds = _TENS[words[0]], _UNITS[words[1]], _UNITS[words[2]]
        if 0 < unit < 10 and 0 < hundreds < 10:
            return (tens + unit) * 1000 + hundreds * 100
    return None


_THOUSANDS_AFTER = re.compile(r"\s?(?:k|grand|thousand)\b", re.IGNORECASE)
_PERCENT_WORD = re.compile(r"(\d)\s?(?:percent|pct)\b", re.IGNORECASE)


def spelled_numbers(text: str) -> str:
    """Spelled-out numbers ("twenty-four thousand five hundred") as digits."""

    def convert(match: re.Match[str]) -> str:
        words = [w for w in re.split(r"[\s-]+", match.group(0).lower()) if w and w != "and"]
        if words[0] in _SCALES:
            return match.group(0)  # "24 thousand" is read as an amount with a suffix
        spoken = _spoken_thousands(words)
        if spoken is not None:
            return str(spoken)
        value = _words_value(words)
        thousands = _THOUSANDS_AFTER.match(match.string, match.end()) is not None
        if value is None or (value < 10 and not thousands and not set(words) & set(_SCALES)):
            return match.group(0)
        return str(value)

    return _NUMBER_WORDS.sub(convert, text)


def percent_signs(text: str) -> str:
    """`text` with "6 percent" and "6 pct" written "6%"."""
    return _PERCENT_WORD.sub(r"\1%", text)


_AMOUNT = re.compile(
    r"(?P<neg>(?<![\w.])[-−])?(?<![\w.])(?P<dollar>\$\s?)?(?P<neg2>[-−])?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s?(?P<suffix>k|m|mm|mil|thousand|million|grand)\b|(?![\w]))"
    r"(?P<pct>\s?(?:%|percent\b|pct\b))?",
    re.IGNORECASE,
)
_MULTIPLIERS = {"k": 1000, "thousand": 1000, "grand": 1000, "m": 10**6, "mm": 10**6}
_MULTIPLIERS |= {"mil": 10**6, "million": 10**6}


@dataclass(frozen=True)
class Amount:
    """One amount in a text: its value, where it is, and how it was written."""

    value: Decimal
    start: int
    end: int
    shown: str
    dollar: bool
    suffix: bool
    percent: bool


def amounts(text: str, most: int | None = None) -> list[Amount]:
    """The amounts in `text`, in order; only the first `most` when given."""
    found: list[Amount] = []
    for match in _AMOUNT.finditer(text):
        if most is not None and len(found) >= most:
            break
        try:
            value = Decimal(match["num"].replace(",", ""))
        except InvalidOperation:  # pragma: no cover - the pattern admits digits only
            continue
        suffix = (match["suffix"] or "").lower()
        value *= _MULTIPLIERS.get(suffix, 1)
        if match["neg"] or match["neg2"]:
            value = -value
        found.append(
            Amount(
                value=value,
                start=match.start(),
                end=match.end(),
                shown=match.group(0).strip(),
                dollar=bool(match["dollar"]),
                suffix=bool(suffix),
                percent=bool(match["pct"]),
            )
        )
    return found


# Amounts no one writes on purpose: odd digit grouping ("24,50,0"), two decimal
# separators ("24.500,00", "24.5.5k"), exponents ("1e308"), hex, and minus zero.
_NUMBER_RUN = re.compile(
    r"(?<![\w.,])(?P<sign>[-−]\$?)?(?P<num>\d[\d.,]*\d|\d)(?![.,]?\d)(?P<exp>e[-+]?\d+\b)?"
    r"(?:\s?(?:k|m|mm|mil|thousand|million|grand)\b|(?![\w]))"
    r"|(?<![\w.,])0x[\da-f]+\b",
    re.IGNORECASE,
)
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")


def _is_unreadable(found: re.Match[str]) -> bool:
    number = found["num"]
    if number is None or found["exp"]:
        return True  # hex, or an exponent
    if found["sign"] and not number.strip("0.,"):
        return True  # "-0": a sign on nothing
    if _GROUPED.fullmatch(number):
        return False
    # "24500,10000" is two amounts in a list; "24,50,0" is one amount mistyped.
    two_separators = number.count(".") > 1 or ("." in number and "," in number)
    return two_separators or ("," in number and number.index(",") <= 3)


def without_unreadable(text: str, problems: list[str]) -> str:
    """`text` with amounts that cannot be read blanked out, each added to `problems`."""
    for found in reversed(list(_NUMBER_RUN.finditer(text))):
        if _is_unreadable(found):
            token = found.group(0)
            problems.insert(0, f"I can't read {shown(token)} as an amount; write {ACCEPTED}.")
            text = blank(text, found.start(), found.end())
    return text
