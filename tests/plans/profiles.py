"""The three example plan profiles of docs/examples, and engines built on them."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

from bot.engine import Engine, default_engine
from bot.plans.loading import load_plan
from bot.plans.profile import PlanProfile
from bot.reply import Question, Reply

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
FULL = "mega-backdoor"
AFTER_TAX_ONLY = "after-tax-only"
NO_AFTER_TAX = "no-after-tax"
PROFILES = (FULL, AFTER_TAX_ONLY, NO_AFTER_TAX)
TODAY = dt.date(2026, 3, 2)


def example_file(name: str) -> Path:
    return EXAMPLES / f"plan-{name}.yaml"


@cache
def profile(name: str) -> PlanProfile:
    return load_plan(example_file(name))


@cache
def engine(name: str | None) -> Engine:
    """The built-in engine with example profile `name` (None: no profile)."""
    return default_engine(plan=profile(name) if name else None)


def ask(name: str | None, text: str, **changes: object) -> Reply:
    return engine(name).answer(Question(text=text, today=TODAY, **changes))  # type: ignore[arg-type]


def fact(reply: Reply, label: str) -> str | None:
    """The plan's answer on the line for `label`, or None when the reply has no such line."""
    for line in reply.text.splitlines():
        if line.startswith(f"- {label}: **"):
            return line.removeprefix(f"- {label}: **").split("**", 1)[0]
    return None
