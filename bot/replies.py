"""Turn a calculator's answer into a Reply."""

from __future__ import annotations

from bot.reply import Reply
from calc.results import Calculation

TITLES = {
    "after-tax-room": "After-tax room",
    "deferral-room": "Deferral room",
    "employer-match": "Employer match",
}

RELATED = {
    "after-tax-room": ["after-tax-room", "mega-backdoor-roth", "plan-questions"],
    "deferral-room": ["contribution-limits", "catch-up-contributions", "multiple-employers"],
    "employer-match": ["employer-match", "contribution-limits", "after-tax-room"],
}


def calculation_text(calc: Calculation) -> str:
    """The Markdown body of a calculation reply: headline, arithmetic, notes, assumptions."""
    lines = [f"**{calc.headline}**", ""]
    lines += [f"• {step}" for step in calc.steps]
    if calc.notes:
        lines += ["", *[f"⚠️ {note}" for note in calc.notes]]
    if calc.assumptions:
        lines += ["", "_Assumptions:_", *[f"• {a}" for a in calc.assumptions]]
    return "\n".join(lines)


def calculation_reply(calc: Calculation, disclosure: str) -> Reply:
    """A `calculation` Reply carrying the result fields, steps and assumptions."""
    return Reply(
        kind="calculation",
        topic=calc.topic,
        title=TITLES[calc.topic],
        text=calculation_text(calc),
        disclosure=disclosure,
        tax_year=calc.year,
        sources=list(calc.sources),
        suggestions=[t for t in RELATED[calc.topic] if t != calc.topic][:3],
        result=calc.to_result(),
    )
