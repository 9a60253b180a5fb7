"""`/limits`: the year's IRS figures from calc, as a Reply (pure)."""

from __future__ import annotations

from bot.commands.calc import limits_rows
from bot.reply import Reply
from calc.limits import YearChoice

RELATED = ["catch-up-contributions", "after-tax-room", "roth-ira-income-limits"]


def limits_reply(choice: YearChoice, disclosure: str) -> Reply:
    """The limits table of `choice`'s year, with its IRS source and any note on the year."""
    limits = choice.limits
    lines = [choice.note, ""] if choice.note else []
    lines += [f"• {label}: **{value}**" for label, value in limits_rows(limits)]
    lines += ["", f"Source: {limits.citation}."]
    return Reply(
        kind="article",
        topic="contribution-limits",
        title=f"401(k) and IRA limits for {limits.year}",
        text="\n".join(lines),
        disclosure=disclosure,
        tax_year=limits.year,
        sources=[str(limits.source.url)],
        suggestions=list(RELATED),
    )
