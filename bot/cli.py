"""The `401k-bot` command line.

Start-up stays light: only the module of the subcommand being run is imported (the
others appear in `--help` from their one-line help alone), and each module imports what
it needs (Slack, Discord) only when that subcommand runs.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from collections.abc import Callable, Sequence
from importlib import import_module
from typing import Any, NoReturn

from bot import __version__
from bot.commands import COMMANDS, UsageError


class Formatter(argparse.HelpFormatter):
    """Help that wraps lines between words only, so an option such as --paychecks-left in
    an example stays whole and can be copied."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        return textwrap.wrap(" ".join(text.split()), width, break_on_hyphens=False)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return textwrap.fill(
            " ".join(text.split()),
            width,
            initial_indent=indent,
            subsequent_indent=indent,
            break_on_hyphens=False,
        )


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line: what was wrong, and where to look."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser(argv: Sequence[str] | None = None) -> Parser:
    """The parser for `argv` (the command line when None): the chosen subcommand's module
    adds its options; every other subcommand is listed by name and help only."""
    args = sys.argv[1:] if argv is None else argv
    chosen = next((arg for arg in args if not arg.startswith("-")), None)
    modules = {module for name, module, _ in COMMANDS if name == chosen}
    parser = Parser(
        prog="401k-bot",
        description="Answers 401(k) contribution questions: Roth vs after-tax, after-tax "
        "room, the mega backdoor Roth. Runs in a terminal, on Slack and on Discord.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    registered: set[str] = set()
    for name, module, text in COMMANDS:
        if module not in modules:
            sub.add_parser(name, help=text)
        elif module not in registered:
            import_module(f"bot.commands.{module}").register(sub)
            registered.add(module)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand; errors a person can fix are one line on stderr, never a traceback."""
    from bot.console import safe_console

    with safe_console():
        return _run(argv)


def _run(argv: Sequence[str] | None) -> int:
    from bot.setting_errors import SettingsError
    from calc.errors import CalcError

    parser = build_parser(argv)
    args = parser.parse_args(argv)
    run: Callable[[argparse.Namespace], int] | None = getattr(args, "run", None)
    if run is None:
        parser.print_help()
        return 2
    try:
        return run(args)
    except (CalcError, SettingsError, UsageError) as exc:
        print(f"401k-bot {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
