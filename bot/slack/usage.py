"""Replies that are not answers: how to use each command, an apology, a request to slow down.

Each is a Reply, so it renders like an answer and carries the disclosure.
"""

from __future__ import annotations

from bot.cooldown import Cooldown, Verdict, slow_down_text
from bot.reply import Reply

_USAGE = {
    "aftertaxroom": (
        "How to use /aftertaxroom",
        "Works out how much after-tax (non-Roth) money still fits under the annual "
        "additions limit, showing the arithmetic. Only you see the answer unless you start "
        "with `public`.\n\n"
        "- `/aftertaxroom` opens a form\n"
        "- `/aftertaxroom 24500 10000`: your deferrals, then your employer's contributions\n"
        "- `/aftertaxroom deferrals=24500 employer=10000 age=52`\n"
        "- `/aftertaxroom I max out and earn 150k with a 50% match up to 6%`\n"
        "- `/aftertaxroom public 24500 10000` shows the answer to the channel",
    ),
    "401k": (
        "How to use /401k",
        "Answers 401(k) contribution questions: Roth vs after-tax, the year's limits, "
        "catch-ups, the mega backdoor Roth. Only you see the answer unless you start with "
        "`public`.\n\n"
        "- `/401k what is a mega backdoor Roth?`\n"
        "- `/401k Roth vs after-tax`\n"
        "- `/401k catch-up at 61`\n"
        "- `/401k plan`: what our plan allows, from its plan profile\n"
        "- `/401k public what are the limits this year?` shows the answer to the channel\n\n"
        "You can also mention the bot in a channel, send it a direct message, or choose "
        "*Ask 401k-bot about this* from a message's ⋮ menu.",
    ),
}


def usage_reply(command: str, disclosure: str, tax_year: int) -> Reply:
    """The help for `command` ("aftertaxroom" or "401k")."""
    title, text = _USAGE.get(command, _USAGE["401k"])
    return Reply(
        kind="article",
        topic="help",
        title=title,
        text=text,
        disclosure=disclosure,
        tax_year=tax_year,
    )


def apology_reply(disclosure: str, tax_year: int) -> Reply:
    """What is sent when answering failed unexpectedly."""
    return Reply(
        kind="fallback",
        topic=None,
        title="Sorry, something went wrong",
        text="I couldn't answer that just now. Please try again in a moment.",
        disclosure=disclosure,
        tax_year=tax_year,
        confidence=0.0,
    )


def notice_reply(text: str, disclosure: str, tax_year: int) -> Reply:
    """What someone is told when their reply, or the form, could not be shown."""
    return Reply(
        kind="fallback",
        topic=None,
        title="I couldn't do that",
        text=text,
        disclosure=disclosure,
        tax_year=tax_year,
        confidence=0.0,
    )


def slow_down_reply(verdict: Verdict, cooldown: Cooldown, disclosure: str, tax_year: int) -> Reply:
    """What someone past the per-user limit is told: the limit, and when to ask again."""
    return Reply(
        kind="fallback",
        topic=None,
        title="One moment, please",
        text=slow_down_text(verdict, cooldown),
        disclosure=disclosure,
        tax_year=tax_year,
        confidence=0.0,
    )
