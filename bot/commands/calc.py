"""`room`, `deferral-room`, `match` and `limits`: the calculators from the command line."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from dataclasses import asdict, replace
from decimal import Decimal
from typing import Any

from bot.calculate import run
from bot.commands import YEAR, summary, whole
from bot.numbers import Numbers
from bot.render.text import to_text
from bot.replies import calculation_reply
from calc.errors import CalcError
from calc.formula import MatchFormula, parse_formula
from calc.limits import YearChoice, YearLimits, load_limits
from calc.money import ACCEPTED, format_money, parse_amount, to_number
from calc.paycheck import PAY_FREQUENCIES, normalize_frequency


def amount(text: str) -> Decimal:
    """argparse type: a dollar amount as people type it."""
    try:
        return parse_amount(text)
    except CalcError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def deferral_amount(text: str) -> Decimal | str:
    """argparse type: an amount, or `max` for the year's limit."""
    if text.strip().lower() in ("max", "maximum"):
        return "max"
    return amount(text)


def formula(text: str) -> MatchFormula:
    try:
        return parse_formula(text)
    except CalcError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def frequency(text: str) -> str:
    try:
        return normalize_frequency(text)
    except CalcError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_year(parser: argparse.ArgumentParser) -> None:
    known = ", ".join(str(y) for y in load_limits().years)
    parser.add_argument(
        "--year",
        type=YEAR,
        help=f"tax year (known: {known}; default: this year, or BOT_TAX_YEAR)",
    )


def add_pay(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--pay-frequency",
        type=frequency,
        metavar="F",
        help="spread the result over a whole year's paychecks (once money is in, give "
        f"--paychecks-left instead): {', '.join(PAY_FREQUENCIES)}",
    )
    group.add_argument(
        "--paychecks-left",
        type=whole(1, 366, "paychecks left"),
        metavar="N",
        help="spread the result over N remaining paychecks",
    )


def add_true_up(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--true-up",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="whether the plan makes a year-end match true-up (default: assumed, and the "
        "per-paycheck figure is noted when it differs)",
    )


def add_json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the reply contract as JSON")


def choose_year(year: int | None) -> YearChoice:
    """The tax year for a command: --year, else BOT_TAX_YEAR, else today's.

    An unknown --year is an error; an unknown default year gets the nearest known one,
    with a note saying so.
    """
    from bot.settings import read_settings

    if year is not None:
        return load_limits().choose(year, dt.date.today())
    default = read_settings().bot_tax_year
    return load_limits().nearest(dt.date.today().year if default is None else default)


def disclosure() -> str:
    from bot.settings import read_settings

    return read_settings().disclosure


def register(sub: argparse._SubParsersAction[Any]) -> None:
    amounts = f"Amounts accept {ACCEPTED}."
    room = sub.add_parser(
        "room",
        help=summary("room"),
        description="How much after-tax (non-Roth) money still fits under the 415(c) "
        "annual additions limit. " + amounts,
        epilog="example: 401k-bot room --deferrals 24500 --employer 10000",
    )
    room.add_argument(
        "--deferrals",
        type=deferral_amount,
        required=True,
        metavar="AMOUNT",
        help="your employee deferrals for the year, pre-tax + Roth, catch-up included (or 'max')",
    )
    employer = room.add_mutually_exclusive_group()
    employer.add_argument(
        "--employer",
        type=amount,
        metavar="AMOUNT",
        help="employer contributions: match, profit sharing, Roth employer, forfeitures "
        "(default 0)",
    )
    employer.add_argument(
        "--match",
        type=formula,
        metavar="FORMULA",
        help="compute the match from --salary and a formula such as '50%% up to 6%%'",
    )
    room.add_argument(
        "--age",
        type=whole(1, 129, "age"),
        help="age on December 31 of the year (catch-up is left out of the limit)",
    )
    room.add_argument(
        "--salary",
        type=amount,
        metavar="AMOUNT",
        help="pay for the year from this employer, gross of pre-tax deferrals (the limit is "
        "100%% of pay when that is lower)",
    )
    add_true_up(room)
    room.add_argument(
        "--after-tax-so-far",
        type=amount,
        metavar="AMOUNT",
        default=None,
        help="after-tax contributions already made this year",
    )
    add_year(room)
    add_pay(room)
    add_json(room)
    room.set_defaults(run=run_room)

    deferral = sub.add_parser(
        "deferral-room",
        help=summary("deferral-room"),
        description="The 402(g) deferral limit plus the catch-up for your age, capped at "
        "your pay and at what the annual additions limit leaves after employer money, minus "
        "what you have deferred so far. " + amounts,
        epilog="example: 401k-bot deferral-room --deferred-so-far 10000 --age 52 "
        "--paychecks-left 8",
    )
    deferral.add_argument(
        "--deferred-so-far",
        type=amount,
        metavar="AMOUNT",
        help="deferrals made so far this year (default 0)",
    )
    deferral.add_argument("--age", type=whole(1, 129, "age"), help="age on December 31 of the year")
    deferral.add_argument(
        "--salary",
        type=amount,
        metavar="AMOUNT",
        help="pay for the year from this employer (deferrals and the catch-up are capped at pay)",
    )
    deferral.add_argument(
        "--employer",
        type=amount,
        metavar="AMOUNT",
        help="employer contributions for the year (they leave less of the annual additions "
        "limit for deferrals)",
    )
    add_year(deferral)
    add_pay(deferral)
    add_json(deferral)
    deferral.set_defaults(run=run_deferral)

    match = sub.add_parser(
        "match",
        help=summary("match"),
        description="The employer match, on pay capped at the 401(a)(17) compensation "
        "limit. " + amounts,
        epilog="example: 401k-bot match --salary 90000 --match '100% of the first 3%'",
    )
    match.add_argument(
        "--salary", type=amount, required=True, metavar="AMOUNT", help="pay for the year"
    )
    match.add_argument(
        "--match",
        type=formula,
        required=True,
        metavar="FORMULA",
        help="'50%% up to 6%%', '100%% of the first 4%%', or tiers: "
        "'100%% of the first 3%% and 50%% of the next 2%%'",
    )
    match.add_argument(
        "--deferrals",
        type=amount,
        metavar="AMOUNT",
        help="your deferrals for the year (default: enough for the full match)",
    )
    add_true_up(match)
    add_year(match)
    add_json(match)
    match.set_defaults(run=run_match)

    limits = sub.add_parser(
        "limits",
        help=summary("limits"),
        description="The year's 401(k) and IRA dollar limits, with sources.",
    )
    add_year(limits)
    add_json(limits)
    limits.set_defaults(run=run_limits)


def _print(args: argparse.Namespace, topic: str, inputs: Numbers) -> int:
    reply = calculation_reply(run(topic, inputs, choose_year(args.year)), disclosure())
    if args.json:
        print(json.dumps(reply.to_contract(), ensure_ascii=False))
    else:
        print(to_text(reply), end="")
    return 0


def run_room(args: argparse.Namespace) -> int:
    if args.match is not None and args.salary is None:
        raise CalcError("--match needs --salary to work out the match")
    is_max = args.deferrals == "max"
    inputs = Numbers(
        deferrals=None if is_max else args.deferrals,
        max_deferrals=is_max,
        employer=args.employer,
        salary=args.salary,
        formula=args.match,
        true_up=args.true_up,
        age=args.age,
        after_tax_so_far=args.after_tax_so_far,
        frequency=args.pay_frequency,
        paychecks_left=args.paychecks_left,
    )
    if inputs.employer is None and inputs.formula is None:
        inputs = replace(inputs, employer=Decimal(0))
    return _print(args, "after-tax-room", inputs)


def run_deferral(args: argparse.Namespace) -> int:
    inputs = Numbers(
        deferred_so_far=args.deferred_so_far,
        age=args.age,
        salary=args.salary,
        employer=args.employer,
        frequency=args.pay_frequency,
        paychecks_left=args.paychecks_left,
    )
    return _print(args, "deferral-room", inputs)


def run_match(args: argparse.Namespace) -> int:
    inputs = Numbers(
        salary=args.salary, formula=args.match, deferrals=args.deferrals, true_up=args.true_up
    )
    return _print(args, "employer-match", inputs)


def limits_rows(limits: YearLimits) -> list[tuple[str, str]]:
    """The year's limits as (label, formatted figure) rows, for every surface."""
    phase = limits.roth_ira_phaseout
    catch_60 = limits.catch_up_60_63
    return [
        ("Elective deferrals, pre-tax + Roth (402(g))", format_money(limits.elective_deferral)),
        ("Catch-up, age 50+ (414(v))", format_money(limits.catch_up_50)),
        (
            "Catch-up, ages 60–63",
            format_money(catch_60) if catch_60 is not None else "— (the 50+ amount applies)",
        ),
        (
            "Annual additions, catch-ups and rollovers apart (415(c))",
            format_money(limits.annual_additions),
        ),
        ("Compensation limit (401(a)(17))", format_money(limits.compensation_limit)),
        (
            "Highly compensated employee threshold, prior-year pay (414(q))",
            format_money(limits.hce_threshold),
        ),
        (
            "IRA contribution / catch-up 50+",
            f"{format_money(limits.ira_contribution)} / {format_money(limits.ira_catch_up)}",
        ),
        ("Roth IRA phase-out, single / head of household", _range(phase.single)),
        ("Roth IRA phase-out, married filing jointly", _range(phase.married_joint)),
        ("Roth IRA phase-out, married filing separately", _range(phase.married_separate)),
        (
            "Roth catch-up wage threshold (prior-year FICA wages)",
            format_money(limits.roth_catch_up_wage_threshold)
            + ("" if limits.roth_catch_up_enforced else " (not enforced)"),
        ),
    ]


def _range(pair: tuple[Decimal, Decimal]) -> str:
    return f"{format_money(pair[0])}–{format_money(pair[1])}"


def run_limits(args: argparse.Namespace) -> int:
    choice = choose_year(args.year)
    limits = choice.limits
    if args.json:
        print(json.dumps(_jsonable(asdict(limits))))
        return 0
    if choice.note:
        print(choice.note)
    rows = limits_rows(limits)
    width = max(len(label) for label, _ in rows)
    print(f"401(k) and IRA limits for {limits.year}\n")
    for label, value in rows:
        print(f"  {label:<{width}}  {value}")
    print(f"\nSource: {limits.citation}, {limits.source.url}")
    print(f"\n{disclosure()}")
    return 0


def _jsonable(value: object) -> object:
    if isinstance(value, Decimal):
        return to_number(value)
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return [_jsonable(v) for v in value]
    return value
