"""The `/aftertaxroom` form: its view, and its submission checked field by field."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from calc.errors import CalcError
from calc.formula import parse_formula
from calc.money import format_money, parse_amount

CALLBACK_ID = "aftertaxroom_form"
FIELDS = ("deferrals", "employer", "age", "year", "salary", "match")
# As in a message: a bare amount under $100 may be dollars or thousands ("24.5").
SMALL = Decimal(100)
_SAYS_UNIT = re.compile(r"\$|\d\s*(?:k|m|thousand|million)\s*$", re.IGNORECASE)


def _input(
    name: str, label: str, placeholder: str, hint: str, *, optional: bool = True
) -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": name,
        "optional": optional,
        "label": {"type": "plain_text", "text": label},
        "hint": {"type": "plain_text", "text": hint},
        "element": {
            "type": "plain_text_input",
            "action_id": name,
            "placeholder": {"type": "plain_text", "text": placeholder},
        },
    }


def form_view(years: Sequence[int], year: int, channel_id: str | None) -> dict[str, Any]:
    """The modal `views.open` shows; the channel it was opened from rides in its metadata."""
    options = [{"text": {"type": "plain_text", "text": str(y)}, "value": str(y)} for y in years]
    chosen = next((o for o in options if o["value"] == str(year)), options[-1])
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "private_metadata": json.dumps({"channel_id": channel_id}),
        "title": {"type": "plain_text", "text": "After-tax room"},
        "submit": {"type": "plain_text", "text": "Work it out"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": "How much after-tax (non-Roth) money still fits under the "
                    "annual additions limit. Only you will see the answer.",
                },
            },
            _input(
                "deferrals",
                "Your deferrals this year (pre-tax + Roth)",
                "24,500",
                "Include any catch-up; give your age so it is left out of the limit.",
                optional=False,
            ),
            _input(
                "employer",
                "Employer contributions",
                "10,000",
                "Match, profit sharing, Roth employer. Leave blank to work out the match "
                "from your salary and match formula.",
            ),
            _input("age", "Age on December 31", "52", "Catch-ups start at 50."),
            {
                "type": "input",
                "block_id": "year",
                "label": {"type": "plain_text", "text": "Tax year"},
                "element": {
                    "type": "static_select",
                    "action_id": "year",
                    "options": options,
                    "initial_option": chosen,
                },
            },
            _input(
                "salary",
                "Salary",
                "150,000",
                "Your limit is 100% of pay when that is lower; needed for a match formula.",
            ),
            _input("match", "Match formula", "50% up to 6%", "For example 100% of the first 4%."),
        ],
    }


def channel_of(view: Mapping[str, Any]) -> str | None:
    """The channel the form was opened from, from its private metadata."""
    try:
        data = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return None
    channel = data.get("channel_id") if isinstance(data, dict) else None
    return channel if isinstance(channel, str) and channel else None


def field_values(view: Mapping[str, Any]) -> dict[str, str]:
    """The form's non-blank values by field name, from `view.state.values`."""
    values: dict[str, str] = {}
    state = view.get("state", {}).get("values", {})
    for name in FIELDS:
        element = state.get(name, {}).get(name, {})
        value = element.get("value")
        if value is None and element.get("selected_option"):
            value = element["selected_option"].get("value")
        if isinstance(value, str) and value.strip():
            values[name] = value.strip()
    return values


@dataclass(frozen=True)
class Checked:
    """A submission checked: the engine's `args` when valid, else an error per field."""

    args: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def _about_field(message: str, value: str) -> str:
    """`message` without the value it quotes: the error shows under that field anyway.

    What was typed can be long, or hold mention syntax; it is not sent back.
    """
    quoted = f"'{value}'"
    text = message.replace(f"{quoted} is", "This is").replace(f" {quoted}", "")
    text = text.replace(quoted, "this")
    return text[:1].upper() + text[1:].rstrip(".") + "."


def _ambiguity(value: Decimal, typed: str) -> str | None:
    """Why a bare amount under $100 cannot be used as it is; None when it can."""
    if not 0 < value < SMALL or _SAYS_UNIT.search(typed):
        return None
    thousands = format_money(value * 1000)
    return (
        f"Did you mean {thousands} or {format_money(value)}? Write {thousands} "
        f"(or {value.normalize():f}k) for thousands, or {format_money(value)} for dollars."
    )


def _whole(text: str, low: int, high: int) -> int | None:
    try:
        value = int(text)
    except ValueError:
        return None
    return value if low <= value <= high else None


def check(values: Mapping[str, str], years: Sequence[int]) -> Checked:
    """Validate each field as the calculators will read it; errors say how to fix it."""
    args: dict[str, str] = {}
    errors: dict[str, str] = {}
    for name in ("deferrals", "employer", "salary"):
        if name in values:
            try:
                amount = parse_amount(values[name])
            except CalcError as exc:
                errors[name] = _about_field(str(exc), values[name])
                continue
            unclear = _ambiguity(amount, values[name])
            if unclear:
                errors[name] = unclear
            else:
                args[name] = str(amount)
    if "match" in values:
        try:
            parse_formula(values["match"])
            args["match"] = values["match"]
        except CalcError as exc:
            errors["match"] = _about_field(str(exc), values["match"])
    if "age" in values:
        age = _whole(values["age"], 1, 129)
        if age is None:
            errors["age"] = "Enter your age as a whole number from 1 to 129."
        else:
            args["age"] = str(age)
    if "year" in values:
        year = _whole(values["year"], min(years), max(years))
        if year is None or year not in years:
            errors["year"] = "Choose one of " + ", ".join(str(y) for y in years) + "."
        else:
            args["year"] = str(year)
    if "deferrals" not in values:
        errors["deferrals"] = "Enter your deferrals for the year, for example 24,500."
    if "match" in values and "salary" not in values and "salary" not in errors:
        errors["salary"] = "A match formula needs your salary."
    if "employer" not in values and "match" not in values:
        errors["employer"] = (
            "Enter employer contributions (0 if none), or a salary and a match formula."
        )
    return Checked(args={} if errors else args, errors=errors)
