"""The `401k-bot` subcommands, one module each; heavy libraries are imported inside `run`."""

from __future__ import annotations

import argparse
from collections.abc import Callable


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
