"""Errors the calculators raise for input a person can correct."""

from __future__ import annotations

import re

# What a typed value may hold to be quoted back: digits, separators, a sign, a currency
# sign and a short unit. Nothing of that shape can become a link, a mention or markup.
_QUOTABLE = re.compile(
    r"[-−+]?\$?[-−]?(?:0x[\da-f]{1,16}|[\d.,]{1,24}(?:e[-+]?\d{1,4})?(?:\s?[a-z%]{1,8})?)",
    re.IGNORECASE,
)


def quoted(text: str) -> str | None:
    """A typed value quoted, if it is number-shaped; None for anything else.

    Anything else is never repeated back to a chat, where it could become a link.
    """
    value = text.strip()
    return f"'{value}'" if _QUOTABLE.fullmatch(value) else None


def shown(text: str) -> str:
    """A typed value as an error message may show it: quoted, or "the value given"."""
    return quoted(text) or "the value given"


class CalcError(ValueError):
    """Input the calculators cannot use; the message says what was wrong and what works."""


class AmountError(CalcError):
    """A dollar amount that is not a number, negative, or implausibly large."""


class UnknownYearError(CalcError):
    """A tax year the limits data has no figures for."""


class FormulaError(CalcError):
    """A match formula that cannot be read."""


class FrequencyError(CalcError):
    """A pay frequency that is not one of the known ones."""
