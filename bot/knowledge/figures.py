"""Dollar figures an article types by hand that the limits data already holds."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from bot.knowledge.placeholders import PLACEHOLDER, limit_values
from calc.limits import YearLimits

# "$24,500", "24,500", "$7500", "$24,500.00", "$24.5k"; inline code (`/aftertaxroom 24500`)
# shows what a person types, so it is left out.
_FIGURE = re.compile(
    r"(?<![\w$.,])(?:\$\s?\d+(?:\.\d+)?k\b|\$\s?\d{1,3}(?:,\d{3})+(?:\.\d\d)?|\$\s?\d+(?:\.\d\d)?"
    r"|\d{1,3}(?:,\d{3})+(?:\.\d\d)?)(?!\d|[.,]\d)",
    re.IGNORECASE,
)
_CODE = re.compile(r"`[^`\n]*`")

# The married-filing-separately phase-out ($0–$10,000) is fixed by statute, and $10,000 is
# the example employer contribution docs/knowledge-format.md writes as it is.
_NOT_FLAGGED = frozenset({"limits.roth_ira_separate_start", "limits.roth_ira_separate_end"})


@dataclass(frozen=True)
class HandTyped:
    """A figure found in the text and the placeholders (with their years) that hold it."""

    figure: str
    placeholders: dict[str, list[int]]

    def message(self) -> str:
        uses = ", ".join(
            f"{{{{ {name} }}}} ({', '.join(str(y) for y in years)})"
            for name, years in self.placeholders.items()
        )
        return f"hand-typed figure '{self.figure}' is in the limits data; use {uses}"


def figure_index(years: Iterable[YearLimits]) -> dict[Decimal, dict[str, list[int]]]:
    """Each dollar value of the limits data -> the placeholders and years that hold it."""
    index: dict[Decimal, dict[str, list[int]]] = {}
    for limits in years:
        for name, value in limit_values(limits).items():
            if not isinstance(value, Decimal) or name in _NOT_FLAGGED:
                continue
            if name.endswith("60_63") and limits.catch_up_60_63 is None:
                continue
            index.setdefault(value, {}).setdefault(name, []).append(limits.year)
    return index


def hand_typed(text: str, index: dict[Decimal, dict[str, list[int]]]) -> list[HandTyped]:
    """The figures of `text`, outside placeholders and code, that equal a limits value."""
    prose = _CODE.sub(" ", PLACEHOLDER.sub(" ", text))
    found: list[HandTyped] = []
    for match in _FIGURE.finditer(prose):
        value = _to_decimal(match[0])
        if value in index:
            found.append(HandTyped(match[0], index[value]))
    return found


def _to_decimal(figure: str) -> Decimal:
    digits = figure.replace("$", "").replace(",", "").replace(" ", "").lower()
    if digits.endswith("k"):
        return Decimal(digits[:-1]) * 1000
    return Decimal(digits)
