"""After-tax room under the 415(c) limit, and deferral room under 402(g)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from calc.errors import CalcError
from calc.limits import YearChoice, YearLimits
from calc.money import check_amount, format_money
from calc.paycheck import PayPeriods, paycheck_steps
from calc.results import Calculation

ZERO = Decimal(0)

WHICH_PAY = (
    "Pay means 415(c)(3) compensation from this employer: gross pay including pre-tax "
    "deferrals (not W-2 box 1); for the self-employed, net earned income."
)
LIMITATION_YEAR = (
    "The plan's limitation year for 415(c) is the calendar year (402(g) always is); "
    "amounts deposited after year end for this year, such as true-ups, count for this year."
)


def _age_check(age: int | None) -> None:
    if age is not None and not 0 < age < 130:
        raise CalcError(f"age {age} is out of range; use a whole number from 1 to 129")


@dataclass
class _Reply:
    """The parts of a calculation reply, gathered as the steps run."""

    steps: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)


def age_assumption(limits: YearLimits, age: int | None, basis: str | None) -> str:
    """The age a catch-up rests on, and why that age."""
    if age is None:
        return (
            "No age given, so no catch-up is counted; give your age if you are 50 or older "
            f"by December 31, {limits.year}."
        )
    why = f" ({basis})" if basis else ""
    return (
        f"Age {age} on December 31, {limits.year}{why}: catch-up eligibility follows the "
        f"age at year end, so the {limits.catch_up_label(age)} applies; catch-ups are "
        "plan-optional."
    )


def _roth_catch_up(limits: YearLimits, age: int | None, catch_up: Decimal) -> str | None:
    if not limits.roth_catch_up_enforced or age is None or age < 50 or catch_up <= 0:
        return None
    return (
        f"From {limits.year}, if your {limits.year - 1} FICA wages (W-2 box 3) from this "
        f"employer were over {format_money(limits.roth_catch_up_wage_threshold)}, the "
        f"{format_money(catch_up)} catch-up must be Roth; if the plan has no Roth option, "
        "you can make no catch-up at all."
    )


def _no_age_over_limit(limits: YearLimits, deferrals: Decimal, what: str) -> str:
    """The note for deferrals above 402(g) with no age: ask it before calling them excess."""
    over = deferrals - limits.elective_deferral
    most = limits.catch_up_50
    at_60 = ""
    if limits.catch_up_60_63 is not None:
        most = limits.catch_up_60_63
        at_60 = f", or {format_money(limits.catch_up_60_63)} at ages 60–63"
    beyond = max(ZERO, over - most)
    tail = (
        f" Even at the largest catch-up, {format_money(beyond)} is an excess deferral."
        if beyond > 0
        else ""
    )
    return (
        f"{what} of {format_money(deferrals)} are {format_money(over)} above the "
        f"{format_money(limits.elective_deferral)} limit. What age are you on December 31, "
        f"{limits.year}? From 50 the catch-up allows {format_money(limits.catch_up_50)} "
        f"more{at_60}; under 50, the {format_money(over)} is an excess deferral that must be "
        f"taken out, with its earnings, by April 15, {limits.year + 1}.{tail}"
    )


def _spread(
    out: _Reply,
    fields: dict[str, Decimal | int | None],
    room: Decimal,
    periods: PayPeriods | None,
    already: Decimal,
) -> None:
    """Add the per-paycheck figure: over the paychecks left, never a full year's once begun."""
    if periods is None:
        return
    if not periods.left and already > 0:
        out.notes.append(
            f"{format_money(already)} is already in for this year, so the room has to be "
            f"spread over the paychecks left, not a full year's {periods.count}: say how "
            "many paychecks are left (for example “12 paychecks left”)."
        )
        return
    out.assumptions.append(periods.describe())
    if room <= 0:
        fields["per_paycheck"] = ZERO
        return
    each, lines = paycheck_steps(room, periods.count, left=periods.left)
    fields["per_paycheck"] = each
    out.steps += lines


def after_tax_room(
    choice: YearChoice,
    *,
    deferrals: Decimal,
    employer: Decimal,
    age: int | None = None,
    age_basis: str | None = None,
    catch_up_stated: Decimal | None = None,
    compensation: Decimal | None = None,
    after_tax_so_far: Decimal = ZERO,
    periods: PayPeriods | None = None,
    extra_steps: tuple[str, ...] = (),
    extra_notes: tuple[str, ...] = (),
    extra_assumptions: tuple[str, ...] = (),
) -> Calculation:
    """How much after-tax (non-Roth) money still fits under the annual additions limit.

    Catch-up deferrals don't count toward 415(c): deferrals above the 402(g) limit
    are treated as catch-up as far as `age` (or, with no age, `catch_up_stated`, the part
    the person called catch-up) and pay allow; anything beyond is counted and noted as an
    excess deferral. The room is also capped at the pay left after deferrals.
    """
    for value in (deferrals, employer, after_tax_so_far):
        check_amount(value)
    if compensation is not None:
        check_amount(compensation)
    _age_check(age)
    limits = choice.limits
    year = limits.year
    out = _Reply(steps=list(extra_steps))
    if choice.note:
        out.notes.append(choice.note)
    out.notes += extra_notes

    limit = limits.annual_additions
    limit_label = f"annual additions limit ({year})"
    if compensation is not None and compensation < limit:
        out.steps.append(
            f"Your pay of {format_money(compensation)} is below the "
            f"{format_money(limit)} annual additions limit ({year}), so your limit is "
            f"100% of pay: {format_money(compensation)}"
        )
        limit = compensation
        limit_label = "limit (100% of pay)"

    regular = min(deferrals, limits.elective_deferral)
    over_402g = deferrals - regular
    if age is None and catch_up_stated:
        most = max(limits.catch_up_50, limits.catch_up_60_63 or ZERO)
        catch_up_allowed = min(catch_up_stated, most)
        out.assumptions.append(
            f"You said {format_money(catch_up_stated)} is catch-up, so you are 50 or older by "
            f"December 31, {year}; give your age to check the catch-up amount."
        )
    else:
        catch_up_allowed = limits.catch_up_for_age(age)
        out.assumptions.append(age_assumption(limits, age, age_basis))
    if compensation is not None and catch_up_allowed > compensation - regular:
        capped = max(ZERO, compensation - regular)
        out.steps.append(
            f"The catch-up is capped at pay minus other deferrals: "
            f"{format_money(compensation)} − {format_money(regular)} = {format_money(capped)}"
        )
        catch_up_allowed = capped
    catch_up = min(over_402g, catch_up_allowed)
    counted = deferrals - catch_up
    if catch_up > 0:
        out.steps.append(
            f"{format_money(deferrals)} deferred − {format_money(catch_up)} catch-up "
            f"(not counted toward the limit) = {format_money(counted)} employee deferrals counted"
        )
    excess = over_402g - catch_up
    employee_total = deferrals + after_tax_so_far
    room_raw = limit - counted - employer - after_tax_so_far
    if excess > 0 and age is None and not catch_up_stated:
        out.notes.append(_no_age_over_limit(limits, deferrals, "Deferrals"))
    elif excess > 0:
        allowed = limits.elective_deferral + catch_up_allowed
        after_refund = room_raw + excess
        if compensation is not None:
            after_refund = min(after_refund, compensation - employee_total + excess)
        after_refund = max(ZERO, after_refund)
        out.notes.append(
            f"Deferrals of {format_money(deferrals)} exceed the {format_money(allowed)} "
            f"allowed for you in {year} by {format_money(excess)}: the excess deferral must be "
            f"taken out, with its earnings, by April 15, {year + 1}; tell the plan or "
            "payroll. Once refunded it does not count toward the annual additions limit, and "
            f"the room is {format_money(after_refund)}."
        )
    if compensation is not None and deferrals > compensation:
        out.notes.append(
            f"Deferrals of {format_money(deferrals)} are more than your pay of "
            f"{format_money(compensation)}; deferrals cannot exceed pay."
        )

    line = (
        f"{format_money(limit)} {limit_label} − {format_money(counted)} employee deferrals "
        f"− {format_money(employer)} employer contributions"
    )
    if after_tax_so_far > 0:
        line += f" − {format_money(after_tax_so_far)} after-tax already contributed"
    line += f" = {format_money(room_raw)}"
    if room_raw < 0:
        line += ", so there is no after-tax room left ($0)"
        out.notes.append(
            f"These annual additions are {format_money(-room_raw)} over the "
            f"{format_money(limit)} {limit_label}: that is an excess the plan must correct, "
            "usually by refunding after-tax money or deferrals under its 415(c) correction "
            "rules (or EPCRS). Tell the plan administrator."
        )
    out.steps.append(line)
    room = max(ZERO, room_raw)

    if compensation is not None:
        left_of_pay = compensation - employee_total
        if room > left_of_pay:
            room = max(ZERO, left_of_pay)
            spent = f"{format_money(deferrals)} deferrals"
            if after_tax_so_far > 0:
                spent += f" − {format_money(after_tax_so_far)} after-tax already contributed"
            out.steps.append(
                "After-tax money comes out of your pay: "
                f"{format_money(compensation)} pay − {spent} = "
                f"{format_money(left_of_pay)}, so the room is {format_money(room)}"
            )
        if room > 0 and (compensation < limits.annual_additions or room == left_of_pay):
            out.notes.append(
                "After-tax contributions come out of take-home pay, after Social Security and "
                "Medicare tax and income-tax withholding, so you may be able to put in less "
                "than this."
            )
        out.assumptions.append(WHICH_PAY)
    else:
        out.assumptions.append(
            f"Your pay is at least {format_money(limits.annual_additions)}; with less pay, the "
            f"limit is 100% of pay. {WHICH_PAY}"
        )

    fields: dict[str, Decimal | int | None] = {
        "year": year,
        "annual_additions_limit": limits.annual_additions,
        "employee_deferrals": counted,
        "employer_contributions": employer,
        "after_tax_so_far": after_tax_so_far,
        "catch_up_excluded": catch_up,
        "excess_deferrals": excess if excess > 0 and (age is not None or catch_up_stated) else None,
        "excess_annual_additions": -room_raw if room_raw < 0 else None,
        "compensation": compensation,
        "after_tax_room": room,
    }
    _spread(out, fields, room, periods, after_tax_so_far)
    out.assumptions += [
        "Employer contributions include the match, profit sharing, other nonelective and "
        "Roth employer contributions, and forfeitures reallocated to your account.",
        *extra_assumptions,
        LIMITATION_YEAR,
        "The plan accepts after-tax (non-Roth) contributions; many plans cap them lower, "
        "often as a percentage of pay each period.",
        "Highly compensated employees can have after-tax contributions limited or refunded "
        "by the plan's ACP nondiscrimination test.",
    ]
    return Calculation(
        topic="after-tax-room",
        year=year,
        fields=fields,
        steps=out.steps,
        headline=f"After-tax room for {year}: {format_money(room)}",
        assumptions=out.assumptions,
        notes=out.notes,
        sources=[str(limits.source.url)],
    )


def deferral_room(
    choice: YearChoice,
    *,
    deferred_so_far: Decimal = ZERO,
    age: int | None = None,
    age_basis: str | None = None,
    compensation: Decimal | None = None,
    employer: Decimal = ZERO,
    periods: PayPeriods | None = None,
) -> Calculation:
    """How much more a person can defer (pre-tax + Roth) this year, with catch-up.

    Deferrals other than catch-ups are capped at 402(g), at pay, and at what 415(c)
    leaves after employer money; the catch-up at pay minus the other deferrals.
    """
    check_amount(deferred_so_far)
    check_amount(employer)
    if compensation is not None:
        check_amount(compensation)
    _age_check(age)
    limits = choice.limits
    year = limits.year
    out = _Reply()
    if choice.note:
        out.notes.append(choice.note)

    regular = limits.elective_deferral
    regular_label = f"deferral limit ({year})"
    if compensation is not None and compensation < regular:
        out.steps.append(
            f"Your pay of {format_money(compensation)} is below the "
            f"{format_money(regular)} deferral limit ({year}): deferrals cannot exceed pay"
        )
        regular, regular_label = compensation, "cap (100% of pay)"
    additions = limits.annual_additions
    if compensation is not None:
        additions = min(additions, compensation)
    if employer > 0 and additions - employer < regular:
        left = max(ZERO, additions - employer)
        out.steps.append(
            f"{format_money(additions)} annual additions limit − {format_money(employer)} "
            f"employer contributions = {format_money(left)} left for deferrals other than "
            "catch-up"
        )
        regular, regular_label = left, "cap"
    catch_up = limits.catch_up_for_age(age)
    if compensation is not None and catch_up > compensation - regular:
        capped = max(ZERO, compensation - regular)
        out.steps.append(
            f"The catch-up is capped at pay minus other deferrals: "
            f"{format_money(compensation)} − {format_money(regular)} = {format_money(capped)}"
        )
        catch_up = capped
    total = regular + catch_up
    if catch_up > 0:
        out.steps.append(
            f"{format_money(regular)} {regular_label} + {format_money(catch_up)} "
            f"{limits.catch_up_label(age)} = {format_money(total)}"
        )
    room_raw = total - deferred_so_far
    room = max(ZERO, room_raw)
    limit_label = regular_label
    if catch_up > 0 or regular != limits.elective_deferral:
        limit_label = "your limit"
    if deferred_so_far > 0 or not out.steps:
        line = (
            f"{format_money(total)} {limit_label} − {format_money(deferred_so_far)} "
            f"deferred so far = {format_money(room_raw)}"
        )
        if room_raw < 0:
            line += ", so there is no deferral room left ($0)"
        out.steps.append(line)
    if room_raw < 0 and age is None and deferred_so_far > limits.elective_deferral:
        out.notes.append(_no_age_over_limit(limits, deferred_so_far, "Deferrals so far"))
    elif room_raw < 0:
        out.notes.append(
            f"Deferrals of {format_money(deferred_so_far)} exceed your {format_money(total)} "
            f"limit by {format_money(-room_raw)}: the excess must be taken out, with its "
            f"earnings, by April 15, {year + 1}; tell the plan or payroll."
        )
    roth = _roth_catch_up(limits, age, catch_up)
    if roth:
        out.notes.append(roth)
    if compensation is not None and room > 0 and total == compensation:
        out.notes.append(
            "Deferrals come out of pay before Social Security and Medicare tax and any other "
            "withholding, and a plan may cap the share of pay you can defer, so you may be "
            "able to defer less than this."
        )
    fields: dict[str, Decimal | int | None] = {
        "year": year,
        "deferral_limit": limits.elective_deferral,
        "catch_up": catch_up,
        "deferred_so_far": deferred_so_far,
        "compensation": compensation,
        "deferral_room": room,
    }
    out.assumptions += [
        "The limit is per person across every 401(k), 403(b), SIMPLE and TSP plan you "
        "contribute to this year; SIMPLE 401(k) and SIMPLE IRA plans have lower limits.",
        age_assumption(limits, age, age_basis),
    ]
    if compensation is None:
        out.assumptions.append(
            "Your pay covers these deferrals; with pay below the limit, deferrals are capped "
            f"at pay (give your salary). {WHICH_PAY}"
        )
    else:
        out.assumptions.append(WHICH_PAY)
    if employer > 0:
        out.assumptions.append(
            "Employer contributions include the match, profit sharing, Roth employer "
            "contributions and reallocated forfeitures; with the deferrals they must fit "
            "under the annual additions limit (catch-ups apart)."
        )
    _spread(out, fields, room, periods, deferred_so_far)
    return Calculation(
        topic="deferral-room",
        year=year,
        fields=fields,
        steps=out.steps,
        headline=f"Deferral room for {year}: {format_money(room)}",
        assumptions=out.assumptions,
        notes=out.notes,
        sources=[str(limits.source.url)],
    )
