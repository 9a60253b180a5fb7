"""The employer match a formula gives on pay capped at the 401(a)(17) limit."""

from __future__ import annotations

from decimal import Decimal

from calc.formula import MatchFormula
from calc.limits import YearChoice
from calc.money import check_amount, format_money, to_cents
from calc.results import Calculation

HUNDRED = Decimal(100)


def _pct(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')).normalize():f}%"


def employer_match(
    choice: YearChoice,
    *,
    salary: Decimal,
    formula: MatchFormula,
    deferrals: Decimal | None = None,
) -> Calculation:
    """The match for a year at `salary`, assuming the full match unless `deferrals` says less."""
    check_amount(salary)
    limits = choice.limits
    year = limits.year
    eligible = min(salary, limits.compensation_limit)
    steps: list[str] = []
    notes = [choice.note] if choice.note else []
    if salary > limits.compensation_limit:
        steps.append(
            f"{format_money(salary)} salary is capped at the "
            f"{format_money(limits.compensation_limit)} compensation limit ({year}): "
            f"{format_money(eligible)} counts for the match"
        )
    deferral_pct: Decimal | None = None
    if deferrals is not None and salary > 0:
        check_amount(deferrals)
        deferral_pct = deferrals / salary * HUNDRED
    remaining = deferral_pct
    total = Decimal(0)
    for tier in formula.tiers:
        band = tier.band if remaining is None else min(tier.band, max(Decimal(0), remaining))
        if remaining is not None:
            remaining -= band
        amount = to_cents(tier.rate * band / HUNDRED * eligible)
        total += amount
        steps.append(
            f"{_pct(tier.rate * HUNDRED)} × {_pct(band)} of {format_money(eligible)} = "
            f"{format_money(amount)}"
        )
    if len(formula.tiers) > 1:
        steps.append(f"Employer match = {format_money(total)}")
    if deferral_pct is None:
        assumptions = [
            f"You defer at least {_pct(formula.deferral_needed)} of pay all year, and the plan "
            "matches every paycheck or makes a true-up at year end.",
        ]
    else:
        assumptions = [
            f"You defer {_pct(deferral_pct)} of pay, spread over the year; front-loading can "
            "lose match in a plan that matches per paycheck with no true-up.",
        ]
    assumptions.append(
        "The match counts toward the annual additions limit, not the deferral limit."
    )
    return Calculation(
        topic="employer-match",
        year=year,
        fields={
            "year": year,
            "salary": salary,
            "eligible_compensation": eligible,
            "employer_match": total,
        },
        steps=steps,
        headline=f"Employer match for {year}: {format_money(total)} ({formula.describe()})",
        assumptions=assumptions,
        notes=notes,
        sources=[str(limits.source.url)],
    )
