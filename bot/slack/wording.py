"""Replies worded for Slack: help that speaks of Slack only, and no topic lists the buttons repeat.

Pure: a Reply in, a Reply out. The engine words help, fallback and clarify replies for
every surface; in Slack the topics they offer are buttons, and the ways to ask are
mentions, DMs, `/401k`, `/aftertaxroom`, its form and the message shortcut.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.reply import Reply

SHORTCUT_NAME = "Ask 401k-bot about this"

_HELP_TITLE = "What this bot can do and how to ask it"

_HELP = (
    "I answer **401(k) contribution questions** from reviewed articles: Roth vs after-tax, "
    "the year's limits, catch-ups, the mega backdoor Roth and more. I also **work out "
    "numbers**: after-tax room, deferral room left and the employer match, showing the "
    'arithmetic. Put the numbers in the message; name a year ("in 2025") for that year\'s '
    "figures.\n\n"
    "- Mention me in a channel with your question: I answer in the thread\n"
    "- Send me a direct message\n"
    "- `/401k your question`: only you see the answer\n"
    "- `/aftertaxroom 24500 10000`: your deferrals, then your employer's contributions; "
    "`/aftertaxroom` alone opens a form\n"
    "- Start a command with `public` to show the answer to the channel: "
    "`/401k public what is a mega backdoor Roth?`\n"
    f"- On a colleague's message, choose *{SHORTCUT_NAME}* from its ⋮ menu: only you see "
    "the answer\n\n"
    "Try:\n"
    '- "What\'s the difference between Roth and after-tax contributions?"\n'
    '- "I defer 20k and my employer adds 6k, how much after-tax room?"\n'
    '- "my employer matches 100% of the first 4% and I earn $120,000"'
)

_ASK_ME = (
    "Ask me in the same message, for example:\n"
    "- `@401k-bot what is a mega backdoor Roth?`\n"
    "- `@401k-bot I defer 24500 and my employer adds 10000, how much after-tax room?`\n\n"
    f"To answer a colleague's message, choose *{SHORTCUT_NAME}* from its ⋮ menu."
)

_MORE = "Type `/401k help`, or mention me with `help`, to see what I can do."
# A line of a topic list that names the topic id the button under it also offers.
_LISTED_TOPIC = re.compile(r"^\s*(?:-|\d+\.)\s.*\(`([a-z0-9][a-z0-9-]*)`\)\s*$")


def help_reply(disclosure: str, tax_year: int) -> Reply:
    """What the bot does and how to ask it, in Slack."""
    return Reply(
        kind="article",
        topic="help",
        title=_HELP_TITLE,
        text=_HELP,
        disclosure=disclosure,
        tax_year=tax_year,
    )


def ask_me_reply(disclosure: str, tax_year: int) -> Reply:
    """The answer to a mention with no question in it."""
    return Reply(
        kind="clarify",
        topic=None,
        title="What would you like to know?",
        text=_ASK_ME,
        disclosure=disclosure,
        tax_year=tax_year,
    )


def _without_listed_topics(text: str, topics: set[str]) -> str:
    paragraphs = []
    for paragraph in text.split("\n\n"):
        lines = paragraph.split("\n")
        kept = [line for line in lines if not ((m := _LISTED_TOPIC.match(line)) and m[1] in topics)]
        if len(kept) < len(lines) and kept and kept[-1].rstrip().endswith(":"):
            kept.pop()
        if kept:
            paragraphs.append("\n".join(kept))
    return "\n\n".join(paragraphs)


def for_slack(reply: Reply) -> Reply:
    """`reply` as Slack shows it: Slack's own help; topic lists left to the buttons."""
    if reply.kind == "article" and reply.topic == "help":
        return replace(reply, text=_HELP)
    if reply.kind not in ("fallback", "clarify"):
        return reply
    text = _without_listed_topics(reply.text, set(reply.suggestions))
    text = text.replace("Ask `help` to see what I can do.", _MORE)
    text = text.replace("Pick one (reply with its number), or ask", "Pick one below, or ask")
    return replace(reply, text=text)
