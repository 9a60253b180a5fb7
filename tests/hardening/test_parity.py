"""The same question gets the same answer in a terminal, in Slack and on Discord.

Each is asked as a direct message through the real Slack app and discord.py client
against their fakes, and through `Engine.answer` plus the text renderer as the
console does. From what each surface sends, the test reads back the kind of reply,
its topic, the dollar and percent figures shown, the tax year and the disclosure.
"""

from __future__ import annotations

import collections
import html
import re
from dataclasses import dataclass
from typing import Any

import pytest

from bot.cooldown import Cooldown
from bot.engine import Engine, default_engine
from bot.knowledge import load_articles, render_article
from bot.render.discord import COLORS, TOPIC_PREFIX
from bot.render.text import to_text
from bot.replies import TITLES
from bot.reply import Question
from bot.slack.answering import Answerer
from bot.slack.dedupe import SeenEvents
from calc.limits import load_limits
from tests.fakes.slack import TODAY, FakeSlack, make_driver

YEAR = 2026
DISCLOSURE = "Example & Co. benefits team: general education about 401(k) plans, not advice."
FIGURE = re.compile(r"\$\d{1,3}(?:,\d{3})+(?:\.\d+)?|\$\d+(?:\.\d+)?|\b\d+(?:\.\d+)?%")

# (question, kind, topic); None for the topic of a clarify between two topics.
ARTICLES = [
    ("What is the difference between Roth and after-tax 401k contributions?", "roth-vs-after-tax"),
    ("How does the mega backdoor Roth work?", "mega-backdoor-roth"),
    ("What are the 401k contribution limits this year?", "contribution-limits"),
    ("How do catch-up contributions work if I'm 61?", "catch-up-contributions"),
    ("Is an in-plan Roth conversion taxable?", "in-plan-conversion"),
    ("How does the pro-rata rule affect a backdoor Roth IRA?", "pro-rata-rule"),
    ("What are the Roth IRA income limits?", "roth-ira-income-limits"),
    ("How is a 1099-R coded for a rollover of after-tax money?", "form-1099r"),
    ("what can you do?", "help"),
]
CALCULATIONS = [
    (
        "I defer 24500 and my employer adds 10000, how much after-tax room do I have?",
        "after-tax-room",
    ),
    (
        "After-tax room: I'm 52, I defer 32,500, my employer puts in 8k, paid biweekly",
        "after-tax-room",
    ),
    ("How much more can I defer? I've put in 12,000 so far", "deferral-room"),
    ("deferral room at age 61 with 20k deferred so far and 10 paychecks left", "deferral-room"),
    ("What is my employer match on a 150k salary with 50% up to 6%?", "employer-match"),
    ("employer match: 100% of the first 4% on a 400k salary", "employer-match"),
]
QUESTIONS = [
    *((question, "article", topic) for question, topic in ARTICLES),
    *((question, "calculation", topic) for question, topic in CALCULATIONS),
    ("calculate my after-tax room, my employer adds 10000", "clarify", "after-tax-room"),
    ("after-tax room: I defer 24.5 and my employer adds 10", "clarify", "after-tax-room"),
    ("roth conversion", "clarify", None),
    ("What's the weather like tomorrow?", "fallback", None),
    ("Should I buy bitcoin?", "fallback", None),
]


@dataclass(frozen=True)
class Seen:
    """A reply as read back from what a surface sent."""

    kind: str
    topic: str | None
    figures: collections.Counter[str]
    tax_year: int
    disclosure: str


def figures(*texts: str) -> collections.Counter[str]:
    return collections.Counter(f for text in texts for f in FIGURE.findall(text))


@pytest.fixture(scope="module")
def engine() -> Engine:
    """The engine every surface runs: built-in articles, the company's disclosure, 2026."""
    return default_engine(disclosure=DISCLOSURE, default_year=YEAR)


def console(engine: Engine, question: str) -> tuple[Seen, Any]:
    reply = engine.answer(Question(text=question, surface="console", today=TODAY))
    shown = to_text(reply)
    head, _, rest = shown.partition("\n")
    tail = f"\n\nTax year {reply.tax_year}. "
    body, _, disclosure = rest.rpartition(tail)
    for part in ("\n\nSources:\n", "\n\nRelated: "):
        if part in body:
            body = body[: body.rindex(part)]
    seen = Seen(
        reply.kind,
        reply.topic,
        figures(head, body),
        reply.tax_year,
        disclosure.rstrip("\n"),
    )
    return seen, reply


async def slack_path(fake: FakeSlack, engine: Engine, question: str) -> Seen:
    """A DM to the Slack app; its reply's title block id says the kind and topic."""
    state = Answerer(
        engine=engine, today=lambda: TODAY, seen=SeenEvents(), cooldown=Cooldown(1000, 1.0)
    )
    slack = make_driver(fake, state)
    await slack.event(slack.requests.event_payload("message_im", "EvParity", text=question))
    [posted] = fake.to("chat.postMessage")
    blocks = posted.body["blocks"]
    _, kind, topic = blocks[0]["block_id"].split(":", 2)
    sections = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    context = next(b for b in blocks if b["type"] == "context")["elements"]
    year = re.match(r"Tax year (\d+)", context[-1]["text"])
    assert year
    return Seen(
        kind,
        topic or None,
        figures(*sections),
        int(year[1]),
        html.unescape("".join(e["text"] for e in context[:-1])),
    )


def discord_topic(
    embeds: list[dict[str, Any]], components: list[dict[str, Any]], kind: str
) -> str | None:
    """The topic of a Discord reply, which its title or its first button names.

    A fallback has none; a clarify's first button is its topic; otherwise the title is
    an article's or a calculator's.
    """
    if kind == "fallback":
        return None
    if kind == "clarify":
        first = components[0]["components"][0]
        return str(first["custom_id"]).removeprefix(TOPIC_PREFIX)
    limits = load_limits().get(YEAR)
    titles = {render_article(a, limits).title: a.id for a in load_articles().values()}
    titles.update({title: topic for topic, title in TITLES.items()})
    return titles[embeds[0]["title"]]


async def discord_path(bot: Any, question: str) -> Seen:
    """A DM to the Discord bot; its embeds' colour says the kind, its title or buttons the topic."""
    dm = bot.payload("dm", content=question)
    bot.message(dm)
    [sent] = await bot.fake.wait_for("POST", rf"channels/{dm['channel_id']}/messages")
    embeds = sent.body["embeds"]
    kind = {color: kind for kind, color in COLORS.items()}[embeds[0]["color"]]
    texts = [embeds[0]["title"]]
    for embed in embeds:
        texts.append(embed.get("description", ""))
        texts += [
            f["value"] for f in embed.get("fields", []) if not f["name"].startswith("Sources")
        ]
    year, _, disclosure = embeds[-1]["footer"]["text"].partition(" · ")
    return Seen(
        kind,
        discord_topic(embeds, sent.body.get("components") or [], kind),
        figures(*texts),
        int(year.removeprefix("Tax year ")),
        disclosure,
    )


def test_the_questions_cover_every_kind_of_reply() -> None:
    """Articles, every calculator, clarifies and fallbacks are all asked."""
    assert len(QUESTIONS) == 20
    assert {kind for _, kind, _ in QUESTIONS} == {"article", "calculation", "clarify", "fallback"}
    assert {topic for _, kind, topic in QUESTIONS if kind == "calculation"} == set(TITLES)


@pytest.mark.parametrize(("question", "kind", "topic"), QUESTIONS, ids=[q for q, _, _ in QUESTIONS])
async def test_console_slack_and_discord_give_the_same_answer(
    question: str,
    kind: str,
    topic: str | None,
    engine: Engine,
    fake_slack: FakeSlack,
    discord_bot_with: Any,
) -> None:
    """Same kind, topic, figures, tax year and disclosure on every surface."""
    expected, reply = console(engine, question)
    assert (expected.kind, expected.topic or None) == (kind, topic or expected.topic)
    if kind == "calculation":
        assert reply.result is not None
        assert expected.figures, "a calculation shows its figures"
    assert expected.disclosure.startswith(DISCLOSURE)

    slack = await slack_path(fake_slack, engine, question)
    bot = await discord_bot_with(
        engine, bot_disclosure=DISCLOSURE, bot_tax_year=YEAR, discord_cooldown_questions=1000
    )
    discord = await discord_path(bot, question)

    assert slack == expected
    assert discord == expected
