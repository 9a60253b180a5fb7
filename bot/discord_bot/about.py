"""`/about`: what the bot is, what it keeps, and where its answers come from (pure)."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

from bot.knowledge import Article
from bot.reply import Reply
from calc.limits import YearChoice

STORES = (
    "**What I log**: one line per answer with the kind of answer, its topic, how sure the "
    "match was and how long it took; server and channel ids when Discord refuses a message. "
    "Never what you typed, your amounts, your name or your user id."
)
KEEPS = (
    "**What I keep**: nothing that names you. For the curators' report I record the kind "
    "and topic of each answer, the topics a question I could not answer came near, and "
    "your *Helpful* / *Not helpful* clicks; what you typed only if the operator turned "
    "that on, and then without numbers, mentions, emails, links or phone numbers. To slow "
    "down floods I count each person's questions for a few seconds, in memory. "
    "Moderators' `/401k-settings` are kept per server. I read only messages that mention "
    "me, DMs to me, and a message you ask about with *Ask 401k-bot about this message*."
)


def about_reply(
    choice: YearChoice, articles: Mapping[str, Article], disclosure: str, version: str
) -> Reply:
    """The `/about` answer for the year of `choice`, from the articles the bot answers with."""
    hosts = sorted(
        {
            urlsplit(str(url)).netloc.removeprefix("www.")
            for a in articles.values()
            for url in a.front.sources
        }
    )
    reviewed = max((a.front.reviewed for a in articles.values()), default=None)
    limits = choice.limits
    lines = [
        "I answer questions about 401(k) contributions (Roth vs after-tax, after-tax room, "
        "the mega backdoor Roth, limits and catch-ups) and work out the numbers. "
        "I give general information, not personal tax advice.",
        "",
        f"**Sources**: {len(articles)} topics, each written from public sources "
        f"({', '.join(hosts)})"
        + (f" and last reviewed {reviewed:%B %-d, %Y}" if reviewed else "")
        + f". The {limits.year} limits come from {limits.citation}.",
        "",
        STORES,
        "",
        KEEPS,
        "",
        f"Version {version}.",
    ]
    return Reply(
        kind="article",
        topic=None,
        title="About 401k-bot",
        text="\n".join(lines),
        disclosure=disclosure,
        tax_year=limits.year,
        sources=[str(limits.source.url)],
        suggestions=["help"],
    )
