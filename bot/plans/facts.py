"""Each fact a plan answer can state, read from the profile's fields: yes, no or not stated."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from bot.plans.profile import PlanProfile
from calc.limits import YearLimits
from calc.money import format_money
from calc.paycheck import PAY_FREQUENCIES

NOT_STATED = "not stated"


@dataclass(frozen=True)
class Fact:
    """One line of a plan answer: what is asked, the plan's answer, and any detail."""

    label: str
    answer: str
    detail: str = ""

    @property
    def stated(self) -> bool:
        return self.answer != NOT_STATED

    def to_markdown(self) -> str:
        detail = f" ({self.detail})" if self.detail else ""
        return f"- {self.label}: **{self.answer}**{detail}"


def _yes_no(value: bool | None) -> str:
    return NOT_STATED if value is None else "yes" if value else "no"


def _pct(value: Decimal) -> str:
    return f"{value.normalize():f}%"


def _after_tax(p: PlanProfile, _: YearLimits | None) -> list[Fact]:
    a = p.after_tax
    detail = ""
    if a.allowed and a.max_percent_of_pay is not None:
        detail = f"up to {_pct(a.max_percent_of_pay)} of pay per paycheck"
    return [Fact("After-tax (non-Roth) contributions", _yes_no(a.allowed), detail)]


def _after_tax_cap(p: PlanProfile, _: YearLimits | None) -> list[Fact]:
    a = p.after_tax
    if a.allowed is False:
        return []
    if a.max_percent_of_pay is None:
        return [Fact("The plan's cap on after-tax contributions", NOT_STATED)]
    cap = f"{_pct(a.max_percent_of_pay)} of pay"
    return [Fact("The plan's cap on after-tax contributions", cap, "per paycheck")]


def _after_tax_continues(p: PlanProfile, _: YearLimits | None) -> list[Fact]:
    a = p.after_tax
    if a.allowed is False:
        return []
    label = "After-tax contributions continue once deferrals reach the limit"
    return [Fact(label, _yes_no(a.continues_after_deferral_limit))]


def _conversion(p: PlanProfile, _: YearLimits | None) -> list[Fact]:
    c = p.in_plan_conversion
    modes = {
        "automatic": "automatic",
        "on request": "on request",
        "either": "automatic or on request",
    }
    detail = modes[c.mode] if c.allowed and c.mode else ""
    return [Fact("In-plan Roth conversion of after-tax money", _yes_no(c.allowed), detail)]


def _how_often_convert(p: PlanProfile, _: YearLimits | None) -> list[Fact]:
    c = p.in_plan_conversion
    if c.allowed is False:
        return []
    return [Fact("How often you can convert", c.frequency or NOT_STATED)]


def _withdrawal(p: PlanProfile, _: YearLimits | None) -> list[Fact]:
    w = p.in_service_withdrawal
    return [Fact("In-service withdrawal of after-tax money", _yes_no(w.allowed))]


def _how_often_withdraw(p: PlanProfile, _: YearLimits | None) -> list[Fact]:
    w = p.in_service_withdrawal
    if w.allowed is False:
        return []
    return [Fact("How often you can withdraw after-tax money", w.frequency or NOT_STATED)]


def _how_often(p: PlanProfile, limits: YearLimits | None) -> list[Fact]:
    lines = _how_often_convert(p, limits) + _how_often_withdraw(p, limits)
    if not lines:
        return [Fact("How often", "no conversions or in-service withdrawals to time")]
    return lines


def _separate(p: PlanProfile, _: YearLimits | None) -> list[Fact]:
    label = "After-tax contributions and their earnings kept as a separate account"
    return [Fact(label, _yes_no(p.separate_account))]


def _mega_backdoor(p: PlanProfile, _: YearLimits | None) -> list[Fact]:
    after_tax = p.after_tax.allowed
    moves = (p.in_plan_conversion.allowed, p.in_service_withdrawal.allowed)
    label = "Mega backdoor Roth"
    if after_tax is False:
        return [Fact(label, "no", "the plan takes no after-tax contributions")]
    if moves == (False, False):
        return [Fact(label, "no", "after-tax money can't be converted or withdrawn while employed")]
    if after_tax and True in moves:
        how = " and ".join(
            name
            for name, allowed in zip(
                ("in-plan conversions", "in-service withdrawals"), moves, strict=True
            )
            if allowed
        )
        return [Fact(label, "yes", f"after-tax contributions, then {how}")]
    return [Fact(label, NOT_STATED)]


def _match(p: PlanProfile, _: YearLimits | None) -> list[Fact]:
    formula = p.match.parsed
    return [Fact("Employer match", formula.describe() if formula else NOT_STATED)]


def _true_up(p: PlanProfile, _: YearLimits | None) -> list[Fact]:
    return [Fact("Year-end true-up of the match", _yes_no(p.match.true_up))]


def _roth_match(p: PlanProfile, _: YearLimits | None) -> list[Fact]:
    return [Fact("Employer match can be taken as Roth", _yes_no(p.match.roth_match))]


def _profit_sharing(p: PlanProfile, _: YearLimits | None) -> list[Fact]:
    s = p.profit_sharing
    label = "Nonelective contributions" if s.kind == "nonelective" else "Profit sharing"
    if s.percent_of_pay is None:
        return [Fact(label, NOT_STATED, f"paid {s.paid}" if s.paid else "")]
    amount = f"{_pct(s.percent_of_pay)} of pay"
    return [Fact(label, amount, f"paid {s.paid}" if s.paid else "")]


def _roth_deferrals(p: PlanProfile, _: YearLimits | None) -> list[Fact]:
    return [Fact("Roth 401(k) deferrals", _yes_no(p.roth_deferrals))]


def _catch_up(p: PlanProfile, limits: YearLimits | None) -> list[Fact]:
    c = p.catch_up
    lines = [Fact("Catch-up contributions at 50 and over", _yes_no(c.allowed))]
    if c.allowed is False:
        return lines
    if c.ages_60_63 is None:
        lines.append(Fact("Catch-up at ages 60–63", NOT_STATED))
    elif c.ages_60_63 == "higher":
        higher = limits.catch_up_60_63 if limits else None
        detail = f"{format_money(higher)} in {limits.year}" if limits and higher else ""
        lines.append(Fact("Catch-up at ages 60–63", "the higher amount", detail))
    else:
        detail = f"{format_money(limits.catch_up_50)} in {limits.year}" if limits else ""
        lines.append(Fact("Catch-up at ages 60–63", "the standard 50+ amount", detail))
    return lines


def _pay_frequency(p: PlanProfile, _: YearLimits | None) -> list[Fact]:
    if p.pay_frequency is None:
        return [Fact("Pay frequency", NOT_STATED)]
    detail = f"{PAY_FREQUENCIES[p.pay_frequency]} paychecks a year"
    return [Fact("Pay frequency", p.pay_frequency, detail)]


def _recordkeeper(p: PlanProfile, _: YearLimits | None) -> list[Fact]:
    return [Fact("Recordkeeper", p.recordkeeper or NOT_STATED)]


FACTS: dict[str, Callable[[PlanProfile, YearLimits | None], list[Fact]]] = {
    "mega_backdoor": _mega_backdoor,
    "recordkeeper": _recordkeeper,
    "roth_deferrals": _roth_deferrals,
    "after_tax": _after_tax,
    "after_tax_cap": _after_tax_cap,
    "after_tax_continues": _after_tax_continues,
    "in_plan_conversion": _conversion,
    "how_often_convert": _how_often_convert,
    "in_service_withdrawal": _withdrawal,
    "how_often_withdraw": _how_often_withdraw,
    "how_often": _how_often,
    "separate_account": _separate,
    "match": _match,
    "true_up": _true_up,
    "roth_match": _roth_match,
    "profit_sharing": _profit_sharing,
    "pay_frequency": _pay_frequency,
    "catch_up": _catch_up,
}

# The summary: every fact once, in this order ("how_often" repeats two of them, and the
# after-tax line already gives the cap).
SUMMARY = tuple(fact for fact in FACTS if fact not in ("how_often", "after_tax_cap"))


def facts_of(profile: PlanProfile, names: tuple[str, ...], limits: YearLimits | None) -> list[Fact]:
    """The lines for fact `names`, in order, each once."""
    lines: dict[str, Fact] = {}
    for name in names:
        for fact in FACTS[name](profile, limits):
            lines.setdefault(fact.label, fact)
    return list(lines.values())
