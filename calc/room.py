"""After-tax room under the 415(c) limit, and deferral room under 402(g)."""

from __future__ import annotations

from decimal import Decimal

from calc.errors import CalcError
from calc.limits import YearChoice
from calc.money import check_amount, format_money
from calc.paycheck import per_paycheck
from calc.results import Calculation

ZERO = Decimal(0)


def _age_check(age: int | None) -> None:
    if age is not None and not 0 < age < 130:
        raise CalcError(f"age {age} is out of range; use a whole number from 1 to 129")


def after_tax_room(
    choice: YearChoice,
    *,
    deferrals: Decimal,
    employer: Decimal,
    age: int | None = None,
    compensation: Decimal | None = None,
    after_tax_so_far: Decimal = ZERO,
    periods: int | None = None,
    extra_steps: tuple[str, ...] = (),
) -> Calculation:
    """How much after-tax (non-Roth) money still fits under the annual additions limit.

    Catch-up deferrals don't count toward 415(c): deferrals above the 402(g) limit
    are treated as catch-up as far as `age` allows; anything beyond is counted and
    noted as an excess deferral.
    """
    for value in (deferrals, employer, after_tax_so_far):
        check_amount(value)
    if compensation is not None:
        check_amount(compensation)
    _age_check(age)
    limits = choice.limits
    year = limits.year
    steps = list(extra_steps)
    notes = [choice.note] if choice.note else []
    assumptions = [
        "Employer contributions include the match, profit sharing and any Roth employer "
        "contributions.",
        "The plan accepts after-tax (non-Roth) contributions; many plans cap them lower, "
        "often as a percentage of pay each period.",
    ]

    limit = limits.annual_additions
    limit_label = f"annual additions limit ({year})"
    if compensation is not None and compensation < limit:
        steps.append(
            f"Your pay of {format_money(compensation)} is below the "
            f"{format_money(limit)} annual additions limit ({year}), so your limit is "
            f"100% of pay: {format_money(compensation)}"
        )
        limit = compensation
        limit_label = "limit (100% of pay)"
    elif compensation is None:
        assumptions.append(
            f"Your pay is at least {format_money(limit)}; with less pay, the limit is 100% of pay."
        )

    catch_up_allowed = limits.catch_up_for_age(age)
    over_402g = max(ZERO, deferrals - limits.elective_deferral)
    catch_up = min(over_402g, catch_up_allowed)
    counted = deferrals - catch_up
    if catch_up > 0:
        steps.append(
            f"{format_money(deferrals)} deferred − {format_money(catch_up)} "
            f"{limits.catch_up_label(age)} (not counted toward the limit) = "
            f"{format_money(counted)} employee deferrals counted"
        )
    excess = over_402g - catch_up
    if excess > 0:
        allowed = limits.elective_deferral + catch_up_allowed
        if age is None and deferrals <= limits.elective_deferral + limits.catch_up_50:
            notes.append(
                f"Deferrals of {format_money(deferrals)} are above the "
                f"{format_money(limits.elective_deferral)} limit; if you are 50 or older by "
                "December 31, give your age so the catch-up part is left out of the limit."
            )
        else:
            notes.append(
                f"Deferrals of {format_money(deferrals)} exceed the {format_money(allowed)} "
                f"allowed at {'your age' if age is not None else 'under 50'} in {year}; excess "
                "deferrals must be taken out, with their earnings, by April 15 of next year."
            )

    room_raw = limit - counted - employer - after_tax_so_far
    room = max(ZERO, room_raw)
    line = (
        f"{format_money(limit)} {limit_label} − {format_money(counted)} employee deferrals "
        f"− {format_money(employer)} employer contributions"
    )
    if after_tax_so_far > 0:
        line += f" − {format_money(after_tax_so_far)} after-tax already contributed"
    line += f" = {format_money(room_raw)}"
    if room_raw < 0:
        line += ", so there is no after-tax room left ($0)"
    steps.append(line)

    fields: dict[str, Decimal | int | None] = {
        "year": year,
        "annual_additions_limit": limits.annual_additions,
        "employee_deferrals": counted,
        "employer_contributions": employer,
        "after_tax_so_far": after_tax_so_far,
        "catch_up_excluded": catch_up,
        "compensation": compensation,
        "after_tax_room": room,
    }
    if periods is not None and room > 0:
        amount = per_paycheck(room, periods)
        fields["per_paycheck"] = amount
        steps.append(
            f"{format_money(room)} ÷ {periods} paychecks = {format_money(amount)} per paycheck"
        )
    elif periods is not None:
        fields["per_paycheck"] = ZERO
    assumptions.append(
        "Highly compensated employees can have after-tax contributions limited or refunded "
        "by the plan's ACP nondiscrimination test."
    )
    return Calculation(
        topic="after-tax-room",
        year=year,
        fields=fields,
        steps=steps,
        headline=f"After-tax room for {year}: {format_money(room)}",
        assumptions=assumptions,
        notes=notes,
        sources=[str(limits.source.url)],
    )


def deferral_room(
    choice: YearChoice,
    *,
    deferred_so_far: Decimal = ZERO,
    age: int | None = None,
    periods: int | None = None,
) -> Calculation:
    """How much more a person can defer (pre-tax + Roth) this year, with catch-up."""
    check_amount(deferred_so_far)
    _age_check(age)
    limits = choice.limits
    year = limits.year
    catch_up = limits.catch_up_for_age(age)
    total = limits.elective_deferral + catch_up
    steps: list[str] = []
    notes = [choice.note] if choice.note else []
    if catch_up > 0:
        steps.append(
            f"{format_money(limits.elective_deferral)} deferral limit ({year}) + "
            f"{format_money(catch_up)} {limits.catch_up_label(age)} = {format_money(total)}"
        )
    room_raw = total - deferred_so_far
    room = max(ZERO, room_raw)
    limit_label = "your limit" if catch_up > 0 else f"deferral limit ({year})"
    if deferred_so_far > 0 or not steps:
        line = (
            f"{format_money(total)} {limit_label} − {format_money(deferred_so_far)} "
            f"deferred so far = {format_money(room_raw)}"
        )
        if room_raw < 0:
            line += ", so there is no deferral room left ($0)"
            notes.append(
                "Deferrals over the limit must be taken out, with their earnings, by April 15 "
                "of next year; tell the plan or payroll."
            )
        steps.append(line)
    fields: dict[str, Decimal | int | None] = {
        "year": year,
        "deferral_limit": limits.elective_deferral,
        "catch_up": catch_up,
        "deferred_so_far": deferred_so_far,
        "deferral_room": room,
    }
    if periods is not None:
        amount = per_paycheck(room, periods)
        fields["per_paycheck"] = amount
        steps.append(
            f"{format_money(room)} ÷ {periods} paychecks = {format_money(amount)} per paycheck"
        )
    assumptions = [
        "The limit is per person across every 401(k), 403(b), SIMPLE and TSP plan you "
        "contribute to this year.",
    ]
    if age is None:
        assumptions.append("No catch-up: give your age if you are 50 or older by December 31.")
    else:
        assumptions.append(
            f"Age {age} is the age you reach by December 31, {year}; catch-ups are plan-optional."
        )
    return Calculation(
        topic="deferral-room",
        year=year,
        fields=fields,
        steps=steps,
        headline=f"Deferral room for {year}: {format_money(room)}",
        assumptions=assumptions,
        notes=notes,
        sources=[str(limits.source.url)],
    )
