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


def _tiers(
    formula: MatchFormula, deferral_pct: Decimal | None, eligible: Decimal
) -> tuple[Decimal, list[str]]:
    """The match on `eligible` pay for a deferral rate (None: the full match), with its lines."""
    remaining = deferral_pct
    total = Decimal(0)
    lines: list[str] = []
    for tier in formula.tiers:
        band = tier.band if remaining is None else min(tier.band, max(Decimal(0), remaining))
        if remaining is not None:
            remaining -= band
        amount = to_cents(tier.rate * band / HUNDRED * eligible)
        total += amount
        lines.append(
            f"{_pct(tier.rate * HUNDRED)} × {_pct(band)} of {format_money(eligible)} = "
            f"{format_money(amount)}"
        )
    if len(formula.tiers) > 1:
        lines.append(f"Employer match = {format_money(total)}")
    return total, lines


def employer_match(
    choice: YearChoice,
    *,
    salary: Decimal,
    formula: MatchFormula,
    deferrals: Decimal | None = None,
    true_up: bool | None = None,
) -> Calculation:
    """The match for a year at `salary`, assuming the full match unless `deferrals` says less.

    With deferrals, the deferral rate is figured on pay capped at 401(a)(17), as a plan
    with a true-up does. Above the cap, a plan that matches each paycheck with no true-up
    pays less: the rate of each whole paycheck, until year-to-date pay reaches the cap.
    `true_up` says which the plan does; None gives the true-up figure and notes the other.
    """
    check_amount(salary)
    limits = choice.limits
    year = limits.year
    cap = limits.compensation_limit
    eligible = min(salary, cap)
    steps: list[str] = []
    notes = [choice.note] if choice.note else []
    assumptions: list[str] = []
    fields: dict[str, Decimal | int | None] = {
        "year": year,
        "salary": salary,
        "eligible_compensation": eligible,
    }
    if salary > cap:
        steps.append(
            f"{format_money(salary)} salary is capped at the {format_money(cap)} compensation "
            f"limit ({year}): {format_money(eligible)} counts for the match"
        )
    if deferrals is None or salary <= 0:
        total, lines = _tiers(formula, None, eligible)
        steps += lines
        assumptions.append(
            f"You defer at least {_pct(formula.deferral_needed)} of pay all year, and the plan "
            "matches every paycheck or makes a true-up at year end."
        )
    else:
        check_amount(deferrals)
        capped_rate = deferrals / eligible * HUNDRED if eligible > 0 else Decimal(0)
        paycheck_rate = deferrals / salary * HUNDRED
        with_true_up, true_up_lines = _tiers(formula, capped_rate, eligible)
        per_paycheck, paycheck_lines = _tiers(formula, paycheck_rate, eligible)
        rate_step = (
            f"Deferral rate: {format_money(deferrals)} ÷ {format_money(eligible)} = "
            f"{_pct(capped_rate)} of the pay the match counts"
        )
        if with_true_up == per_paycheck:
            total = with_true_up
            steps += [rate_step, *true_up_lines]
            assumptions.append(
                f"You defer {format_money(deferrals)} ({_pct(capped_rate)} of pay), spread over "
                "the year; front-loading can lose match in a plan that matches per paycheck "
                "with no true-up."
            )
        else:
            fields["match_with_true_up"] = with_true_up
            fields["match_without_true_up"] = per_paycheck
            paycheck_step = (
                f"Deferral rate without a true-up: {format_money(deferrals)} ÷ "
                f"{format_money(salary)} = {_pct(paycheck_rate)} of each paycheck, matched "
                f"until year-to-date pay reaches {format_money(cap)}"
            )
            if true_up is False:
                total = per_paycheck
                steps += [paycheck_step, *paycheck_lines]
                assumptions.append(
                    "The plan matches each paycheck with no true-up, and your deferrals are "
                    "spread evenly over the year's paychecks."
                )
                notes.append(
                    f"A plan with a year-end true-up would pay {format_money(with_true_up)}: it "
                    f"figures the {_pct(capped_rate)} rate on the {format_money(eligible)} the "
                    "match counts."
                )
            else:
                total = with_true_up
                steps += [rate_step, *true_up_lines]
                if true_up:
                    assumptions.append(
                        "The plan makes a true-up: the formula is paid on the year's pay up to "
                        "the compensation limit."
                    )
                else:
                    assumptions.append(
                        "The plan makes a year-end true-up, so the rate counts on the year's "
                        "pay up to the compensation limit; ask the plan whether it does."
                    )
                notes.append(
                    f"A plan that matches each paycheck with no true-up pays "
                    f"{format_money(per_paycheck)}: your deferrals are {_pct(paycheck_rate)} "
                    f"of each paycheck, and the match stops once year-to-date pay reaches "
                    f"{format_money(cap)}."
                )
    fields["employer_match"] = total
    assumptions.append(
        "The match counts toward the annual additions limit, not the deferral limit; whether "
        "catch-up deferrals are matched depends on the plan."
    )
    return Calculation(
        topic="employer-match",
        year=year,
        fields=fields,
        steps=steps,
        headline=f"Employer match for {year}: {format_money(total)} ({formula.describe()})",
        assumptions=assumptions,
        notes=notes,
        sources=[str(limits.source.url)],
    )
