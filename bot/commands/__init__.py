"""The `401k-bot` subcommands, one module each; heavy libraries are imported inside `run`.

`COMMANDS` names every subcommand with its one-line help and the module that builds its
options, so `401k-bot --help` can list them all while a run imports only the module of
the subcommand it runs.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

# (subcommand, module in bot.commands, one-line help), in the order `--help` lists them.
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("room", "calc", "after-tax room under the annual additions limit"),
    ("deferral-room", "calc", "how much more you can defer (pre-tax + Roth), with catch-up"),
    ("match", "calc", "the employer match for a salary and a formula"),
    ("limits", "calc", "the year's IRS limits"),
    ("ask", "ask", "answer one question (or one per line from standard input)"),
    ("chat", "ask", "talk to the bot in a terminal"),
    ("eval", "ask", "score the engine on a question set"),
    ("kb", "kb", "check, list and show the knowledge base articles"),
    ("plan", "plan", "check and show the company's plan profile (BOT_PLAN_FILE)"),
    ("slack", "slack", "run the Slack app (Socket Mode, or HTTP mode with --http)"),
    ("discord", "discord", "run the Discord bot (needs DISCORD_TOKEN)"),
    ("db", "db", "migrate or purge the database of answers and feedback"),
    (
        "report",
        "report",
        "the curator report: answers, feedback and what the bot could not answer",
    ),
)


def summary(command: str) -> str:
    """The one-line help of `command`, as COMMANDS gives it."""
    return next(text for name, _, text in COMMANDS if name == command)


class UsageError(Exception):
    """Bad command-line input; printed as one line, exit status 2."""


def whole(low: int, high: int, what: str) -> Callable[[str], int]:
    """argparse type: a whole number from `low` to `high`, errors naming `what`."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what} '{text}' is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{what} {value} is out of range; use {low} to {high}")
        return value

    return parse


YEAR = whole(1900, 2200, "year")
