"""Per-paycheck amounts for a pay frequency or a number of paychecks left."""

from __future__ import annotations

import re
from decimal import Decimal

from calc.errors import CalcError, FrequencyError, quoted
from calc.money import to_cents

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


def periods_for(frequency: str | None, paychecks_left: int | None) -> int | None:
    """How many paychecks an amount is spread over, or None when unknown."""
    if paychecks_left is not None:
        if not 1 <= paychecks_left <= 366:
            raise CalcError(f"{paychecks_left} paychecks left is out of range; use 1 to 366")
        return paychecks_left
    if frequency is None:
        return None
    return PAY_FREQUENCIES[normalize_frequency(frequency)]


def per_paycheck(amount: Decimal, periods: int) -> Decimal:
    """`amount` spread evenly over `periods` paychecks, rounded to cents."""
    return to_cents(amount / periods)
