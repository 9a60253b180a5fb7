"""The `{{ name }}` placeholders of docs/knowledge-format.md, filled from one year's limits.

A placeholder is a name, or a sum or difference of names and whole numbers, read by a
small tokenizer: nothing in an article is ever executed.
"""

from __future__ import annotations

import re
from decimal import Decimal

from rapidfuzz import fuzz, process

from calc.limits import YearLimits
from calc.money import format_money

Value = int | Decimal | str

PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}")
_TOKEN = re.compile(r"\s*(?:(?P<number>\d+)|(?P<name>[a-z_][a-z0-9_.]*)|(?P<op>[+-]))\s*", re.I)


_UNCLOSED = "a '{{' or '}}' without its partner; placeholders are {{ name }}"


class PlaceholderError(ValueError):
    """A placeholder that does not parse or names nothing in the limits data."""


def limit_values(limits: YearLimits) -> dict[str, Value]:
    """Every placeholder name and its value for `limits.year`: an int year, dollars, or text."""
    phase = limits.roth_ira_phaseout
    simple = limits.simple
    # Before 2025 there is no separate ages 60–63 catch-up: the 50+ amount applies.
    catch_up_60_63 = limits.catch_up_60_63 or limits.catch_up_50
    return {
        "year": limits.year,
        "limits.elective_deferral": limits.elective_deferral,
        "limits.catch_up_50": limits.catch_up_50,
        "limits.catch_up_60_63": catch_up_60_63,
        "limits.annual_additions": limits.annual_additions,
        "limits.compensation_limit": limits.compensation_limit,
        "limits.hce_threshold": limits.hce_threshold,
        "limits.ira_contribution": limits.ira_contribution,
        "limits.ira_catch_up": limits.ira_catch_up,
        "limits.roth_ira_single_start": phase.single[0],
        "limits.roth_ira_single_end": phase.single[1],
        "limits.roth_ira_joint_start": phase.married_joint[0],
        "limits.roth_ira_joint_end": phase.married_joint[1],
        "limits.roth_ira_separate_start": phase.married_separate[0],
        "limits.roth_ira_separate_end": phase.married_separate[1],
        "limits.roth_catch_up_wage_threshold": limits.roth_catch_up_wage_threshold,
        "limits.max_deferral_50": limits.elective_deferral + limits.catch_up_50,
        "limits.max_deferral_60_63": limits.elective_deferral + catch_up_60_63,
        "limits.annual_additions_50": limits.annual_additions + limits.catch_up_50,
        "limits.annual_additions_60_63": limits.annual_additions + catch_up_60_63,
        "limits.catch_up_60_63_sentence": _catch_up_60_63_sentence(limits),
        "limits.simple_deferral": simple.deferral,
        "limits.simple_catch_up_50": simple.catch_up_50,
        "limits.simple_catch_up_60_63": simple.catch_up_60_63 or simple.catch_up_50,
        "limits.simple_higher_deferral": simple.higher_deferral,
        "limits.simple_higher_catch_up_50": simple.higher_catch_up_50,
        "limits.citation": limits.citation,
        "limits.source_url": str(limits.source.url),
    }


def _catch_up_60_63_sentence(limits: YearLimits) -> str:
    """The ages 60–63 catch-up of the year, or, before SECURE 2.0 §109 applies, that it has none."""
    amount = limits.catch_up_60_63
    if amount is None:
        return (
            f"For {limits.year} there is no separate catch-up at ages 60–63: "
            "the higher SECURE 2.0 amount starts in 2025."
        )
    return (
        f"At ages 60–63 it is {format_money(amount)} instead (SECURE 2.0, from 2025), "
        f"so deferrals can reach {format_money(limits.elective_deferral + amount)}."
    )


def evaluate(expression: str, values: dict[str, Value]) -> str:
    """The text a placeholder's inside stands for: `year` sums as integers, the rest as money."""
    terms = _terms(expression, values)
    if len(terms) == 1 and isinstance(terms[0][1], str):
        return terms[0][1]
    if any(isinstance(value, str) for _, value in terms):
        raise PlaceholderError(f"{{{{{expression}}}}}: text names cannot be added or subtracted")
    is_money = any(isinstance(value, Decimal) for _, value in terms)
    has_year = any(name == "year" for name, _ in terms)
    if is_money and has_year:
        raise PlaceholderError(f"{{{{{expression}}}}}: mixes the year with dollar amounts")
    if not is_money and not has_year:
        raise PlaceholderError(f"{{{{{expression}}}}}: names nothing from the limits data")
    total = sum((Decimal(value) for _, value in terms), Decimal(0))
    return format_money(total) if is_money else str(int(total))


def render_text(text: str, values: dict[str, Value]) -> str:
    """`text` with every placeholder filled in; PlaceholderError for the first bad one."""
    if _has_unclosed(text):
        raise PlaceholderError(_UNCLOSED)
    return PLACEHOLDER.sub(lambda match: evaluate(match[1], values), text)


def placeholder_problems(text: str, values: dict[str, Value]) -> list[str]:
    """What is wrong with each placeholder of `text`, and any unclosed braces."""
    problems: list[str] = []
    for match in PLACEHOLDER.finditer(text):
        try:
            evaluate(match[1], values)
        except PlaceholderError as exc:
            problems.append(str(exc))
    if _has_unclosed(text):
        problems.append(_UNCLOSED)
    return problems


def _has_unclosed(text: str) -> bool:
    rest = PLACEHOLDER.sub("", text)
    return "{{" in rest or "}}" in rest


def uses_placeholders(text: str) -> bool:
    return PLACEHOLDER.search(text) is not None


def _terms(expression: str, values: dict[str, Value]) -> list[tuple[str, Value]]:
    """The signed terms of a placeholder, as (name or '' for a number, value)."""
    operands: list[tuple[int, str | None, str | None]] = []
    sign = 1
    expect_operand = True
    position = 0
    while position < len(expression):
        token = _TOKEN.match(expression, position)
        # Operands and operators must alternate: "a + b - 3".
        if token is None or token.end() == position or bool(token["op"]) == expect_operand:
            break
        position = token.end()
        if token["op"]:
            sign = 1 if token["op"] == "+" else -1
        else:
            operands.append((sign, token["number"], token["name"]))
        expect_operand = not expect_operand
    if position < len(expression) or expect_operand:
        raise PlaceholderError(
            f"{{{{{expression}}}}} does not read as names and whole numbers joined by + or -"
        )
    terms: list[tuple[str, Value]] = []
    for sign, number, name in operands:
        label, value = _operand(number, name, expression, values)
        terms.append((label, value if isinstance(value, str) else sign * value))
    return terms


def _operand(
    number: str | None, name: str | None, expression: str, values: dict[str, Value]
) -> tuple[str, Value]:
    if number is not None:
        return "", int(number)
    assert name is not None
    if name not in values:
        guess = process.extractOne(name, list(values), scorer=fuzz.ratio, score_cutoff=80)
        hint = f"; did you mean {guess[0]}?" if guess else ""
        raise PlaceholderError(f"{{{{{expression}}}}}: unknown placeholder '{name}'{hint}")
    return name, values[name]
