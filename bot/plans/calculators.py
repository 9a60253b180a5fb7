"""The calculators with the plan's rules: its match formula, pay frequency and after-tax cap."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from bot.numbers import Numbers
from bot.plans.answers import where_to_ask
from bot.plans.profile import PlanProfile
from calc.limits import YearLimits
from calc.money import format_money, to_cents
from calc.paycheck import PAY_FREQUENCIES, per_paycheck, periods_for
from calc.results import Calculation

HUNDRED = Decimal(100)
ZERO = Decimal(0)
BACKDOOR_IRA = "backdoor-roth-ira"


def _reviewed(profile: PlanProfile) -> str:
    return f"reviewed {profile.reviewed.isoformat()}" if profile.reviewed else "no review date"


def with_plan_defaults(
    topic: str, inputs: Numbers, profile: PlanProfile, limits: YearLimits
) -> tuple[Numbers, list[str]]:
    """`inputs` for calculator `topic` completed from the plan where the person said
    nothing, and lines saying so.

    A salary with no employer amount takes the plan's match formula (and, for after-tax
    room, its profit-sharing percentage); no pay frequency and no paychecks left take
    the plan's pay frequency.
    """
    said: list[str] = []
    formula = profile.match.parsed
    no_employer = inputs.salary is not None and inputs.employer is None and inputs.formula is None
    if formula is not None and no_employer:
        inputs = replace(inputs, formula=formula)
        said.append(
            f"Employer match: your plan's formula, {formula.describe()} (plan profile "
            f"{_reviewed(profile)}); give your employer's amount if yours differs."
        )
    sharing = profile.profit_sharing
    if (
        topic == "after-tax-room"
        and no_employer
        and inputs.salary is not None
        and inputs.profit_sharing is None
        and sharing.percent_of_pay is not None
    ):
        pay = min(inputs.salary, limits.compensation_limit)
        amount = to_cents(pay * sharing.percent_of_pay / HUNDRED)
        inputs = replace(inputs, profit_sharing=amount)
        when = f", paid {sharing.paid}" if sharing.paid else ""
        said.append(
            f"Employer contributions include your plan's {sharing.kind or 'profit sharing'} "
            f"of {sharing.percent_of_pay.normalize():f}% of pay: {format_money(amount)} on "
            f"{format_money(pay)}{when}."
        )
    uses_paychecks = topic in ("after-tax-room", "deferral-room")
    if (
        uses_paychecks
        and profile.pay_frequency
        and inputs.frequency is None
        and inputs.paychecks_left is None
    ):
        inputs = replace(inputs, frequency=profile.pay_frequency)
        periods = PAY_FREQUENCIES[profile.pay_frequency]
        said.append(
            f"Paychecks: {profile.pay_frequency}, {periods} a year, as your plan pays; "
            "give your pay frequency or the paychecks left if yours differ."
        )
    return inputs, said


def _spread(fields: dict[str, Decimal | int | None], room: Decimal, periods: int | None) -> str:
    if periods is None:
        return ""
    amount = per_paycheck(room, periods) if room > 0 else ZERO
    fields["per_paycheck"] = amount
    if room <= 0:
        return ""
    return f"{format_money(room)} ÷ {periods} paychecks = {format_money(amount)} per paycheck"


def _without_spread(steps: list[str]) -> list[str]:
    return [s for s in steps if "paychecks = " not in s]


def with_plan_room(
    calc: Calculation, profile: PlanProfile, inputs: Numbers, limits: YearLimits
) -> Calculation:
    """An after-tax room calculation with the plan's own rules on after-tax money.

    No after-tax source: a room of $0, with the reason. A cap as a percentage of pay:
    the smaller of the two limits, both shown (it needs the salary).
    """
    if calc.topic != "after-tax-room":
        return calc
    rule = profile.after_tax
    generic = [a for a in calc.assumptions if not a.startswith("The plan accepts after-tax")]
    room = calc.fields["after_tax_room"]
    assert isinstance(room, Decimal)
    spread = periods_for(inputs.frequency, inputs.paychecks_left)
    periods = spread.count if spread is not None else None
    source = where_to_ask(profile).strip("_")
    if rule.allowed is False:
        fields = dict(calc.fields, after_tax_room=ZERO, room_under_annual_additions=room)
        fields.pop("per_paycheck", None)
        steps = [
            *_without_spread(calc.steps),
            f"Your plan doesn't accept after-tax (non-Roth) contributions, so your "
            f"after-tax room in this plan is $0 (under the annual additions limit alone it "
            f"would be {format_money(room)})",
        ]
        _spread(fields, ZERO, periods)
        notes = [
            *calc.notes,
            "Without an after-tax source there is no mega backdoor Roth in this plan; a "
            "backdoor Roth IRA is the usual way to add to Roth outside it (ask about the "
            "backdoor Roth IRA).",
        ]
        return replace(
            calc,
            fields=fields,
            steps=steps,
            notes=notes,
            headline=f"After-tax room for {calc.year}: $0",
            assumptions=[*generic, f"Your plan takes no after-tax contributions. {source}"],
        )
    if rule.allowed is None:
        return calc
    percent = rule.max_percent_of_pay
    if percent is None:
        stated = f"Your plan accepts after-tax contributions; its profile states no cap. {source}"
        return replace(calc, assumptions=[*generic, stated])
    share = f"{percent.normalize():f}%"
    if inputs.salary is None:
        notes = [
            *calc.notes,
            f"Your plan caps after-tax contributions at {share} of pay; give your salary "
            "to see that cap.",
        ]
        stated = f"Your plan caps after-tax contributions at {share} of pay. {source}"
        return replace(calc, notes=notes, assumptions=[*generic, stated])
    pay = min(inputs.salary, limits.compensation_limit)
    cap = to_cents(pay * percent / HUNDRED)
    so_far = inputs.after_tax_so_far or ZERO
    cap_left = max(ZERO, cap - so_far)
    final = min(room, cap_left)
    steps = _without_spread(calc.steps)
    cap_line = (
        f"Your plan caps after-tax at {share} of pay: {format_money(cap)} on {format_money(pay)}"
    )
    if so_far > 0:
        cap_line += f", {format_money(cap_left)} after the {format_money(so_far)} already in"
    steps.append(cap_line)
    steps.append(
        f"After-tax room: the smaller of {format_money(room)} (annual additions limit) and "
        f"{format_money(cap_left)} (your plan's cap) = {format_money(final)}"
    )
    fields = dict(calc.fields, after_tax_room=final, room_under_annual_additions=room)
    fields["plan_after_tax_cap"] = cap
    fields.pop("per_paycheck", None)
    line = _spread(fields, final, periods)
    if line:
        steps.append(line)
    stated = f"Your plan caps after-tax contributions at {share} of pay per paycheck. {source}"
    return replace(
        calc,
        fields=fields,
        steps=steps,
        headline=f"After-tax room for {calc.year}: {format_money(final)}",
        assumptions=[*generic, stated],
    )


def suggestions_for(calc: Calculation, profile: PlanProfile, suggestions: list[str]) -> list[str]:
    """A plan with no after-tax source points to the backdoor Roth IRA first."""
    if calc.topic == "after-tax-room" and profile.after_tax.allowed is False:
        return [BACKDOOR_IRA, *(s for s in suggestions if s != BACKDOOR_IRA)][:3]
    return suggestions
