"""Per-paycheck amounts for a pay frequency or a number of paychecks left."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from calc.errors import CalcError, FrequencyError, quoted
from calc.money import CENT, format_money

PAY_FREQUENCIES: dict[str, int] = {
    "weekly": 52,
    "biweekly": 26,
    "semimonthly": 24,
    "monthly": 12,
}

_ALIASES = {
    "weekly": "weekly",
    "every week": "weekly",
    "biweekly": "biweekly",
    "bi weekly": "biweekly",
    "fortnightly": "biweekly",
    "every two weeks": "biweekly",
    "every 2 weeks": "biweekly",
    "every other week": "biweekly",
    "semimonthly": "semimonthly",
    "semi monthly": "semimonthly",
    "twice a month": "semimonthly",
    "twice monthly": "semimonthly",
    "monthly": "monthly",
    "every month": "monthly",
    "once a month": "monthly",
}


def normalize_frequency(text: str) -> str:
    """The canonical name of a pay frequency ("every two weeks" -> "biweekly")."""
    key = re.sub(r"[\s_-]+", " ", text.strip().lower())
    try:
        return _ALIASES[key]
    except KeyError:
        known = ", ".join(PAY_FREQUENCIES)
        named = " ".join(filter(None, ("unknown pay frequency", quoted(text))))
        raise FrequencyError(f"{named}; use one of {known}") from None


@dataclass(frozen=True)
class PayPeriods:
    """The paychecks an amount is spread over.

    `left` is True when `count` is the paychecks left in the year (given by the person),
    False when it is a whole year's paychecks at `frequency`.
    """

    count: int
    left: bool
    frequency: str | None = None

    def describe(self) -> str:
        """The assumption a per-paycheck figure rests on, in a sentence."""
        if self.left:
            return f"{self.count} paychecks are left in the year, as you said."
        return (
            f"A whole year of {self.frequency} pay ({self.count} paychecks), none paid yet; "
            "with part of the year gone, give the paychecks left instead."
        )


def periods_for(frequency: str | None, paychecks_left: int | None) -> PayPeriods | None:
    """The paychecks an amount is spread over, or None when unknown."""
    if paychecks_left is not None:
        if not 1 <= paychecks_left <= 366:
            raise CalcError(f"{paychecks_left} paychecks left is out of range; use 1 to 366")
        return PayPeriods(paychecks_left, left=True)
    if frequency is None:
        return None
    name = normalize_frequency(frequency)
    return PayPeriods(PAY_FREQUENCIES[name], left=False, frequency=name)


def per_paycheck(amount: Decimal, periods: int) -> Decimal:
    """`amount` spread evenly over `periods` paychecks, rounded down to the cent.

    Rounding down keeps `periods` equal paychecks from adding up to more than `amount`.
    """
    return (amount / periods).quantize(CENT, rounding=ROUND_DOWN)


def paycheck_steps(amount: Decimal, periods: int, *, left: bool) -> tuple[Decimal, list[str]]:
    """The per-paycheck amount and the lines that show it: the division and the rounding."""
    each = per_paycheck(amount, periods)
    which = "paychecks left" if left else "paychecks"
    lines = [f"{format_money(amount)} ÷ {periods} {which} = {format_money(each)} per paycheck"]
    short = amount - each * periods
    if short > 0:
        lines.append(
            f"Rounded down to the cent: {periods} × {format_money(each)} = "
            f"{format_money(each * periods)}, {format_money(short)} under the limit "
            "(add it to the last paycheck to reach it exactly)"
        )
    return each, lines
