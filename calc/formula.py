"""Employer match formulas as people write them: "50% up to 6%", tiers, "dollar for dollar"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from calc.errors import FormulaError

ACCEPTED = (
    "a formula such as '50% up to 6%', '100% of the first 4%', "
    "'100% of the first 3% and 50% of the next 2%' or 'dollar for dollar up to 5%'"
)

# Every pattern here stays linear in the length of the text: a number starts only where a
# run of digits starts, and no two optional runs of the same characters sit side by side.
_RATE = r"(?<![\d.])(?P<rate>\d+(?:\.\d+)?\s*%|dollar[\s-]+for[\s-]+dollar|full|half)"
_JOIN = r"(?:\s*(?:match(?:es|ed|ing)?|on|of)\b)?\s*"
_UPTO = r"(?:up\s+to|of\s+the\s+first|on\s+the\s+first|of\s+the\s+next|on\s+the\s+next|"
_UPTO += r"the\s+first|the\s+next|first|next|to|of|on)"
_PCT = r"(?P<pct>\d+(?:\.\d+)?)\s*%"
_TIER = re.compile(
    _RATE
    + _JOIN
    + r"(?:of\s+(?:what\s+(?:i|you|we)\s+(?:contribute[ds]?|defer(?:s|red)?|put\s+in|save[ds]?)"
    + r"|(?:my\s+|your\s+)?(?:contributions?|deferrals?))\s*(?:,\s*)?)?"
    + _UPTO
    + r"\s*"
    + _PCT
    + r"(?:\s+of\s+(?:my\s+|your\s+)?(?:pay|salary|comp\w*))?",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(r"[\s,;]+")
_JOINERS = frozenset({"", "and", "plus", "then", "+", "&", "and then", "& then", "+ then"})


@dataclass(frozen=True)
class Tier:
    """`rate` of each dollar deferred, on the next `band` percent of pay."""

    rate: Decimal
    band: Decimal


@dataclass(frozen=True)
class MatchFormula:
    """A match formula as ordered tiers of pay."""

    tiers: tuple[Tier, ...]

    @property
    def max_percent_of_pay(self) -> Decimal:
        """The match at its fullest, as a percent of pay."""
        return sum((t.rate * t.band for t in self.tiers), Decimal(0))

    @property
    def deferral_needed(self) -> Decimal:
        """The percent of pay a person must defer to get the whole match."""
        return sum((t.band for t in self.tiers), Decimal(0))

    def describe(self) -> str:
        if len(self.tiers) == 1 and self.tiers[0].band == 100:
            return f"{_pct(self.tiers[0].rate * 100)} of everything deferred"
        parts = []
        for i, tier in enumerate(self.tiers):
            where = "first" if i == 0 else "next"
            parts.append(f"{_pct(tier.rate * 100)} of the {where} {_pct(tier.band)} of pay")
        return " and ".join(parts)


def _pct(value: Decimal) -> str:
    return f"{value.normalize():f}%"


def _rate(text: str) -> Decimal:
    word = text.lower()
    if word.startswith("dollar") or word == "full":
        return Decimal(1)
    if word == "half":
        return Decimal("0.5")
    return Decimal(word.rstrip("% ").strip()) / 100


def find_formula(text: str) -> tuple[MatchFormula, tuple[int, int]] | None:
    """The first match formula in free text, with the span of text it covers."""
    tiers: list[Tier] = []
    start = end = -1
    for found in _TIER.finditer(text):
        if tiers and _SEPARATOR.sub(" ", text[end : found.start()]).strip().lower() not in _JOINERS:
            break
        tier = Tier(rate=_rate(found["rate"]), band=Decimal(found["pct"]))
        tiers.append(tier)
        if start < 0:
            start = found.start()
        end = found.end()
    if not tiers:
        return None
    return _checked(MatchFormula(tuple(tiers))), (start, end)


def parse_formula(text: str) -> MatchFormula:
    """Read a whole match formula; FormulaError says what is accepted."""
    found = find_formula(text)
    if found is None:
        raise FormulaError(f"could not read the match formula; use {ACCEPTED}")
    formula, (start, end) = found
    rest = (text[:start] + text[end:]).strip(" .,;")
    if rest and not re.fullmatch(r"(?i)(?:the\s+)?(?:employer\s+)?(?:match(?:es)?)?", rest):
        raise FormulaError(f"could not read all of the match formula; use {ACCEPTED}")
    return formula


def _checked(formula: MatchFormula) -> MatchFormula:
    for tier in formula.tiers:
        if not (0 < tier.rate <= 10) or not (0 < tier.band <= 100):
            raise FormulaError(
                f"the match formula has a rate or percent of pay out of range; use {ACCEPTED}"
            )
    if formula.deferral_needed > 100:
        raise FormulaError(f"the match formula covers more than 100% of pay; use {ACCEPTED}")
    return formula
