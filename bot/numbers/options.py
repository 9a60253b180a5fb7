"""Options given as `key=value`, in a message or as slash-command and form options."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from functools import cache
from typing import NamedTuple

from bot.numbers.lexing import amounts, blank
from bot.numbers.record import Numbers
from bot.numbers.slots import amount_problem
from bot.numbers.vocabulary import NumberVocabulary, aliases, vocabulary
from calc.errors import CalcError, quoted
from calc.formula import parse_formula
from calc.money import parse_amount
from calc.paycheck import normalize_frequency

_KEY_VALUE = re.compile(
    r"(?<![\w-])(?P<key>[a-z][a-z_-]*)\s*=\s*(?P<value>\"[^\"]*\"|'[^']*'|“[^”]*”"
    r"|\$?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[^\s,;]+)",
    re.IGNORECASE,
)

_MONEY_KEYS = frozenset(
    {"deferrals", "employer", "profit_sharing", "salary", "after_tax_so_far", "deferred_so_far"}
)


class OptionWords(NamedTuple):
    """The option names (each mapped to what it sets) and values of the vocabulary."""

    keys: Mapping[str, str]
    max: frozenset[str]
    yes: frozenset[str]
    no: frozenset[str]


def option_words(vocabulary: NumberVocabulary) -> OptionWords:
    """The option names and values of `vocabulary`."""
    values = vocabulary.option_values
    return OptionWords(
        keys=aliases(vocabulary.options),
        max=frozenset(values["max"]),
        yes=frozenset(values["yes"]),
        no=frozenset(values["no"]),
    )


@cache
def builtin_options() -> OptionWords:
    """The built-in vocabulary's option names and values."""
    return option_words(vocabulary())


def key_values(text: str, options: OptionWords) -> tuple[dict[str, str], str]:
    """The `key=value` options in `text` whose key is known, and the text without them."""
    keys = options.keys
    args: dict[str, str] = {}
    for found in reversed(list(_KEY_VALUE.finditer(text))):
        key = found["key"].lower().replace("-", "_")
        value = found["value"].strip("\"'“”")
        if keys.get(key) == "match" and value.endswith("%"):
            continue  # "match = 50% of pay up to 6%": a formula, read from the text
        if not any(ch.isalnum() for ch in value):
            continue  # "match = ?" asks for the figure; it gives no value
        if key in keys:
            args.setdefault(key, value)
            text = blank(text, found.start(), found.end())
    return args, text


def unclear_amounts(args: Mapping[str, str], options: OptionWords) -> list[str]:
    """A sentence for each typed amount as unclear as a bare 24.5 (dollars or thousands?)."""
    problems: list[str] = []
    for key, raw in args.items():
        typed = amounts(raw) if options.keys[key] in _MONEY_KEYS else []
        if len(typed) == 1 and not typed[0].percent and 0 < typed[0].value < 100:
            problem = amount_problem(typed[0])
            if problem:
                problems.append(problem)
    return problems


def _whole(value: str, what: str, low: int, high: int) -> int:
    try:
        number = int(value.strip())
    except ValueError:
        typed = quoted(value)
        if typed is not None:
            raise CalcError(f"{what} {typed} is not a whole number") from None
        raise CalcError(f"{what} must be a whole number from {low} to {high}") from None
    if not low <= number <= high:
        raise CalcError(f"{what} {number} is out of range; use {low} to {high}")
    return number


def _yes_no(value: str, options: OptionWords) -> bool:
    word = value.strip().lower()
    if word in options.yes:
        return True
    if word in options.no:
        return False
    raise CalcError(f"'{value}' is not yes or no")


def read_args(args: Mapping[str, str], options: OptionWords | None = None) -> Numbers:
    """Numbers from explicit options (slash-command options or `key=value` text), by the
    option names and values of `options` (the built-in vocabulary's by default)."""
    options = options if options is not None else builtin_options()
    slots: dict[str, object] = {}
    problems: list[str] = []
    for raw_key, raw_value in args.items():
        key = options.keys.get(raw_key.lower().replace("-", "_"))
        value = str(raw_value).strip()
        if key is None or not value:
            continue
        try:
            if key == "deferrals" and value.lower() in options.max:
                slots["max_deferrals"] = True
            elif key == "match":
                try:
                    slots["formula"] = parse_formula(value)
                except CalcError:
                    slots["employer"] = parse_amount(value)
            elif key in ("age",):
                slots["age"] = _whole(value, "age", 1, 129)
            elif key == "year":
                slots["year"] = _whole(value, "year", 1900, 2200)
            elif key == "paychecks_left":
                slots["paychecks_left"] = _whole(value, "paychecks left", 1, 366)
            elif key == "true_up":
                slots["true_up"] = _yes_no(value, options)
            elif key == "frequency":
                slots["frequency"] = normalize_frequency(value)
            else:
                slots[key] = parse_amount(value)
        except CalcError as exc:
            problems.append(f"{raw_key}: {exc}.")
    return replace(Numbers(problems=tuple(problems)), **slots)  # type: ignore[arg-type]


def merge(
    base: Numbers, args: Mapping[str, str] | Numbers, options: OptionWords | None = None
) -> Numbers:
    """`base` with every slot that `args` gives replaced; explicit options win over text."""
    if not args:
        return base
    explicit = args if isinstance(args, Numbers) else read_args(args, options)
    changes: dict[str, object] = {}
    for name in Numbers.__dataclass_fields__:
        value = getattr(explicit, name)
        if name == "problems":
            changes[name] = base.problems + explicit.problems
        elif name == "unassigned":
            continue
        elif value is not None and (value is not False or name == "true_up"):
            changes[name] = value
    if explicit.deferrals is not None:
        changes["max_deferrals"] = False
    if explicit.max_deferrals:
        changes["deferrals"] = None
    return replace(base, **changes)  # type: ignore[arg-type]
