"""The one record of what a person said in numbers, for the reader and the calculators."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from calc.formula import MatchFormula

MONEY_SLOTS = ("deferrals", "employer", "profit_sharing", "salary", "after_tax_so_far")


@dataclass(frozen=True)
class Numbers:
    """What a message says in numbers; each slot None when it says nothing of it.

    `max_deferrals` means "I max out": deferrals are the year's limit (with the catch-up
    when the age allows it). `year_offset` is a relative year (0 this year, 1 next year,
    −1 last year); `age` is the age told, `year_end_age` one reached later this year
    ("turning 64 in November"), `age_year` the year a past-tense age was told for; `catch_up`
    the part of the deferrals called catch-up; `true_up` whether the plan trues up the
    match; `problems` are amounts that could not be used, each said in a sentence.
    """

    deferrals: Decimal | None = None
    max_deferrals: bool = False
    employer: Decimal | None = None
    profit_sharing: Decimal | None = None
    salary: Decimal | None = None
    after_tax_so_far: Decimal | None = None
    deferred_so_far: Decimal | None = None
    deferral_percent: Decimal | None = None
    employer_percent: Decimal | None = None
    formula: MatchFormula | None = None
    age: int | None = None
    year_end_age: int | None = None
    age_year: int | None = None
    catch_up: Decimal | None = None
    true_up: bool | None = None
    profit_sharing_percent: Decimal | None = None
    year: int | None = None
    year_offset: int | None = None
    frequency: str | None = None
    paychecks_left: int | None = None
    unassigned: tuple[Decimal, ...] = ()
    problems: tuple[str, ...] = ()

    @property
    def has_money(self) -> bool:
        """Whether any dollar slot, match formula or "max" was given."""
        return (
            any(getattr(self, slot) is not None for slot in MONEY_SLOTS)
            or self.deferred_so_far is not None
            or self.employer_percent is not None
            or self.formula is not None
            or self.max_deferrals
        )

    @property
    def has_pay_periods(self) -> bool:
        return self.frequency is not None or self.paychecks_left is not None
