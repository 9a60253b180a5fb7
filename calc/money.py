"""Exact dollar amounts: parsing what people type and formatting it back."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from calc.errors import AmountError, shown

MAX_AMOUNT = Decimal(10_000_000)
CENT = Decimal("0.01")

_AMOUNT = re.compile(
    r"""^\s*(?P<sign>[-−+])?\s*\$?\s*(?P<sign2>[-−])?
        (?P<num>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)
        \s*(?P<suffix>k|m|thousand|million)?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
_MULTIPLIERS = {"k": 1_000, "thousand": 1_000, "m": 1_000_000, "million": 1_000_000}

ACCEPTED = "a dollar amount such as 24500, 24,500, $24,500 or 24.5k"


def parse_amount(text: str) -> Decimal:
    """Read a dollar amount such as `24500`, `24,500`, `$24.5k` or `1.2m`.

    Raises AmountError, saying what was wrong, for anything that is not a plain
    non-negative amount up to $10,000,000.
    """
    match = _AMOUNT.match(text)
    if match is None:
        raise AmountError(f"{shown(text)} is not an amount; use {ACCEPTED}")
    if match["sign"] in ("-", "−") or match["sign2"]:
        raise AmountError(f"{shown(text)} is negative; amounts must be 0 or more")
    try:
        value = Decimal(match["num"].replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        raise AmountError(f"{shown(text)} is not an amount; use {ACCEPTED}") from None
    suffix = (match["suffix"] or "").lower()
    value *= _MULTIPLIERS.get(suffix, 1)
    return check_amount(value, text.strip())


def check_amount(value: Decimal, typed: str | None = None) -> Decimal:
    """Return `value` if it is a usable amount: finite, not negative, at most $10M."""
    label = shown(typed) if typed is not None else f"'{value}'"
    if not value.is_finite():
        raise AmountError(f"{label} is not a finite amount; use {ACCEPTED}")
    if value < 0:
        raise AmountError(f"{label} is negative; amounts must be 0 or more")
    if value > MAX_AMOUNT:
        raise AmountError(f"{label} is over $10,000,000; check the amount")
    return value


def to_cents(value: Decimal) -> Decimal:
    """Round to whole cents, half up, as payroll does."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def format_money(value: Decimal) -> str:
    """Format dollars as `$24,500`, or `$942.31` when there are cents."""
    cents = to_cents(value)
    sign = "−" if cents < 0 else ""
    cents = abs(cents)
    if cents == cents.to_integral_value():
        return f"{sign}${int(cents):,}"
    return f"{sign}${cents:,.2f}"


def to_number(value: Decimal) -> int | float:
    """A JSON number for dollars: an int when whole, else a float rounded to cents."""
    cents = to_cents(value)
    if cents == cents.to_integral_value():
        return int(cents)
    return float(cents)
