"""`plan check` and `plan show`: a company's plan profile (BOT_PLAN_FILE) from the command line."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.commands import YEAR, UsageError, summary

if TYPE_CHECKING:
    from bot.plans.profile import PlanProfile


def register(sub: argparse._SubParsersAction[Any]) -> None:
    plan = sub.add_parser(
        "plan",
        help=summary("plan"),
        description="The plan profile tells the bot what the company's own 401(k) plan "
        "allows (docs/plan-profile.md). With a profile, questions about the plan are "
        "answered from it first, and the calculators use its match and pay frequency.",
    )
    actions = plan.add_subparsers(dest="plan_command", metavar="ACTION")
    plan.set_defaults(run=lambda _args: _usage(plan))

    check = actions.add_parser(
        "check",
        help="validate a plan profile: one line per problem, naming the field",
        description="Check FILE against docs/plan-profile.md and print every problem at "
        "once, one line each. Exits 1 when there are errors, 0 and a summary when the "
        "profile is good.",
        epilog="example: 401k-bot plan check ./plan.yaml",
    )
    check.add_argument("file", type=Path, metavar="FILE", help="the plan profile (YAML)")
    check.set_defaults(run=run_check)

    show = actions.add_parser(
        "show",
        help="the plan summary the bot gives, from BOT_PLAN_FILE",
        description="Print the plan summary as the bot sends it (the `plan` command in "
        "chat, /401k plan on Slack, /plan on Discord), from the profile in BOT_PLAN_FILE.",
        epilog="example: BOT_PLAN_FILE=plan.yaml 401k-bot plan show --year 2026",
    )
    show.add_argument("--year", type=YEAR, help="tax year for the figures (default: this year)")
    show.set_defaults(run=run_show)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _summary(profile: PlanProfile, year: int | None) -> str:
    from bot.plans.answers import summary_text
    from bot.render.text import plain
    from calc.limits import load_limits

    limits = load_limits().nearest(year or dt.date.today().year).limits
    return plain(summary_text(profile, limits))


def run_check(args: argparse.Namespace) -> int:
    from bot.plans.loading import PlanError, load_plan
    from bot.plans.vocabulary import load_vocabulary

    try:
        load_vocabulary()
        profile = load_plan(args.file)
    except PlanError as exc:
        for line in exc.lines:
            print(line, file=sys.stderr)
        count = len(exc.lines)
        print(f"{count} error{'s' if count != 1 else ''} in {args.file}", file=sys.stderr)
        return 1
    print(f"{args.file}: ok")
    print(_summary(profile, None))
    return 0


def run_show(args: argparse.Namespace) -> int:
    from bot.plans.setting import plan_of
    from bot.settings import load_settings

    settings = load_settings()
    profile = plan_of(settings)
    if profile is None:
        raise UsageError("BOT_PLAN_FILE is not set; point it at a plan profile (YAML)")
    print(_summary(profile, args.year or settings.bot_tax_year))
    return 0
