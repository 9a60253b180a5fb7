"""A company's plan profile: what its 401(k) plan allows, as the benefits team states it.

Every field is optional: a missing one means the profile doesn't say, and answers say
"not stated" rather than guess.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    AnyHttpUrl,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    model_validator,
)

from calc.errors import CalcError
from calc.formula import MatchFormula, parse_formula
from calc.paycheck import normalize_frequency

# A profile's words reach chat as they are written: no links (the `ask.url` field is the
# one link), no platform markup and no broadcast pings.
_UNSAFE = re.compile(r"https?://|www\.|[<>]|@(?:here|channel|everyone)\b", re.IGNORECASE)


def _plain(value: str) -> str:
    value = " ".join(value.split())
    if _UNSAFE.search(value):
        raise ValueError("must be plain text: no links, '<', '>' or @here/@channel/@everyone")
    return value


def _formula(value: str) -> str:
    try:
        parse_formula(value)
    except CalcError as exc:
        raise ValueError(str(exc)) from None
    return value


def _percent(value: object) -> object:
    return value.strip().removesuffix("%").strip() if isinstance(value, str) else value


def _frequency(value: object) -> object:
    if not isinstance(value, str):
        return value
    try:
        return normalize_frequency(value)
    except CalcError as exc:
        raise ValueError(str(exc)) from None


Text = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_plain)]
Percent = Annotated[Decimal, BeforeValidator(_percent), Field(gt=0, le=100)]


class Part(BaseModel):
    """A group of fields: unknown keys are errors, values are never coerced from other types."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class AfterTax(Part):
    """After-tax (non-Roth) contributions."""

    allowed: StrictBool | None = None
    max_percent_of_pay: Percent | None = None
    continues_after_deferral_limit: StrictBool | None = None

    @model_validator(mode="after")
    def _consistent(self) -> AfterTax:
        if self.allowed is False and self.max_percent_of_pay is not None:
            raise ValueError("max_percent_of_pay is set but allowed is false")
        return self


class Conversion(Part):
    """In-plan Roth conversion of after-tax money."""

    allowed: StrictBool | None = None
    mode: Literal["automatic", "on request", "either"] | None = None
    frequency: Text | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Conversion:
        if self.allowed is False and (self.mode or self.frequency):
            raise ValueError("mode or frequency is set but allowed is false")
        return self


class Withdrawal(Part):
    """In-service withdrawal of after-tax money."""

    allowed: StrictBool | None = None
    frequency: Text | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Withdrawal:
        if self.allowed is False and self.frequency:
            raise ValueError("frequency is set but allowed is false")
        return self


class Match(Part):
    """The employer match."""

    formula: Annotated[str, Field(max_length=200), AfterValidator(_formula)] | None = None
    true_up: StrictBool | None = None
    roth_match: StrictBool | None = None

    @property
    def parsed(self) -> MatchFormula | None:
        return parse_formula(self.formula) if self.formula else None


class ProfitSharing(Part):
    """Profit-sharing or nonelective employer contributions."""

    kind: Literal["profit sharing", "nonelective"] | None = None
    percent_of_pay: Percent | None = None
    paid: Text | None = None


class CatchUp(Part):
    """Catch-up contributions at 50 and over."""

    allowed: StrictBool | None = None
    ages_60_63: Literal["higher", "standard"] | None = None

    @model_validator(mode="after")
    def _consistent(self) -> CatchUp:
        if self.allowed is False and self.ages_60_63 is not None:
            raise ValueError("ages_60_63 is set but allowed is false")
        return self


class Ask(Part):
    """Where people confirm what the profile says: a channel, a team, a page."""

    text: Text | None = None
    url: AnyHttpUrl | None = None


class PlanProfile(Part):
    """One plan, as its benefits team describes it (docs/plan-profile.md)."""

    name: Text | None = None
    recordkeeper: Text | None = None
    reviewed: dt.date | None = None
    roth_deferrals: StrictBool | None = None
    after_tax: AfterTax = AfterTax()
    in_plan_conversion: Conversion = Conversion()
    in_service_withdrawal: Withdrawal = Withdrawal()
    separate_account: StrictBool | None = None
    match: Match = Match()
    profit_sharing: ProfitSharing = ProfitSharing()
    pay_frequency: (
        Annotated[
            Literal["weekly", "biweekly", "semimonthly", "monthly"], BeforeValidator(_frequency)
        ]
        | None
    ) = None
    catch_up: CatchUp = CatchUp()
    ask: Ask = Ask()

    @property
    def title(self) -> str:
        return self.name or "Your plan"
