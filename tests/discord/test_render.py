"""Every reply the bot can send, rendered for Discord, fits Discord's limits and pings nobody."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from typing import Any

import discord
import pytest

from bot.calculate import run
from bot.disclosure import DEFAULT_DISCLOSURE
from bot.discord_bot.limits import limits_reply
from bot.discord_bot.topics import articles_of, topic_titles
from bot.engine import Engine, default_engine
from bot.knowledge import article_reply, render_article
from bot.numbers import Numbers
from bot.render.discord import (
    DiscordMessage,
    defuse,
    embed_length,
    for_discord,
    notice,
    shortened,
    to_message,
)
from bot.replies import calculation_reply
from bot.reply import Question, Reply
from calc.formula import parse_formula
from calc.limits import load_limits

LIMITS = load_limits()


@pytest.fixture(scope="module")
def engine() -> Engine:
    return default_engine()


def assert_fits(message: DiscordMessage, disclosure: str = DEFAULT_DISCLOSURE) -> None:
    """Discord's documented limits (as of 2026), and the disclosure on every message."""
    embeds = message.embeds
    assert 1 <= len(embeds) <= 10
    for embed in embeds:
        assert len(embed.get("title", "")) <= 256
        assert len(embed.get("description", "")) <= 4096
        assert len(embed.get("fields", [])) <= 25
        for field in embed.get("fields", []):
            assert 1 <= len(field["name"]) <= 256
            assert 1 <= len(field["value"]) <= 1024
        assert len(embed.get("footer", {}).get("text", "")) <= 2048
        # Our count is the one discord.py (and Discord) make.
        assert embed_length(embed) == len(discord.Embed.from_dict(embed))
    assert sum(embed_length(embed) for embed in embeds) <= 6000
    assert len(message.buttons) <= 25
    assert len({b.custom_id for b in message.buttons}) == len(message.buttons)
    for button in message.buttons:
        assert 1 <= len(button.label) <= 80
        assert len(button.custom_id) <= 100
    text = "\n".join(
        f"{e.get('description', '')}\n{e.get('footer', {}).get('text', '')}" for e in embeds
    )
    assert disclosure.strip() in text
    assert message.allowed_mentions == {"parse": [], "replied_user": False}


def article_replies(engine: Engine) -> list[Reply]:
    return [
        article_reply(render_article(article, LIMITS.get(year)), DEFAULT_DISCLOSURE)
        for article in articles_of(engine).values()
        for year in LIMITS.years
    ]


def calculator_replies() -> list[Reply]:
    formula = parse_formula("100% of the first 3% and 50% of the next 2%")
    cases = [
        ("after-tax-room", Numbers(deferrals=Decimal(24500), employer=Decimal(10000))),
        (
            "after-tax-room",
            Numbers(
                max_deferrals=True,
                salary=Decimal(400000),
                formula=formula,
                age=61,
                after_tax_so_far=Decimal(5000),
                frequency="weekly",
            ),
        ),
        ("after-tax-room", Numbers(deferrals=Decimal(80000), employer=Decimal(10000))),
        (
            "after-tax-room",
            Numbers(deferrals=Decimal(20000), employer=Decimal(5000), salary=Decimal(30000)),
        ),
        ("deferral-room", Numbers(deferred_so_far=Decimal(10000), age=52, paychecks_left=8)),
        ("deferral-room", Numbers(deferred_so_far=Decimal(40000), age=30)),
        ("employer-match", Numbers(salary=Decimal(90000), formula=formula)),
        ("employer-match", Numbers(salary=Decimal(1_000_000), formula=formula)),
    ]
    return [
        calculation_reply(run(topic, inputs, LIMITS.choose(year, dt.date(2026, 6, 1))), "x")
        for topic, inputs in cases
        for year in LIMITS.years
    ]


def test_every_article_for_every_tax_year_fits(engine: Engine) -> None:
    """All articles, rendered for each year in the data, fit one message with the disclosure."""
    replies = article_replies(engine)
    assert len(replies) == len(articles_of(engine)) * len(LIMITS.years) >= 22 * 3
    for reply in replies:
        titles = topic_titles(articles_of(engine), LIMITS.get(reply.tax_year))
        message = to_message(reply, titles)
        assert_fits(message)
        assert message.embeds[0]["title"] == reply.title
        assert message.embeds[0]["description"] == for_discord(reply).text


def test_every_calculator_reply_fits_with_its_arithmetic_in_a_code_block() -> None:
    """Each calculator's steps go in an Arithmetic field as a code block, and nowhere else."""
    for reply in calculator_replies():
        reply = Reply(**{**reply.__dict__, "disclosure": DEFAULT_DISCLOSURE})
        message = to_message(reply)
        assert_fits(message)
        steps = reply.result["steps"] if reply.result else []
        arithmetic = [
            f["value"]
            for e in message.embeds
            for f in e.get("fields", [])
            if f["name"].startswith("Arithmetic")
        ]
        assert arithmetic
        assert all(v.startswith("```\n") and v.endswith("\n```") for v in arithmetic)
        for step in steps:
            assert any(str(step) in value for value in arithmetic)
            assert str(step) not in message.embeds[0].get("description", "")


def test_engine_replies_of_every_kind_fit(engine: Engine) -> None:
    """Calculations, articles, clarifications and fallbacks from the engine all fit."""
    today = dt.date(2026, 6, 1)
    questions = [
        Question(text="I defer 24.5k and my employer adds 10k, how much after-tax room do I have?"),
        Question(text="", command="aftertaxroom"),
        Question(text="roth vs after-tax"),
        Question(text="what's the weather tomorrow?"),
        Question(text="help"),
        Question(text="x" * 6000),
    ]
    kinds = set()
    for question in questions:
        reply = engine.answer(replace(question, surface="discord", today=today))
        kinds.add(reply.kind)
        assert_fits(to_message(reply))
    assert kinds == {"calculation", "article", "clarify", "fallback"}


def test_limits_replies_fit_for_every_year() -> None:
    """`/limits` for each year in the data fits, with its IRS source as a link."""
    for year in LIMITS.years:
        message = to_message(
            limits_reply(LIMITS.choose(year, dt.date(2026, 6, 1)), DEFAULT_DISCLOSURE)
        )
        assert_fits(message)
        assert str(LIMITS.get(year).source.url) in message.embeds[-1]["fields"][-1]["value"]


def long_reply(**changes: Any) -> Reply:
    paragraphs = [f"Paragraph {i}: " + "word " * 150 for i in range(20)]
    fields: dict[str, Any] = {
        "kind": "calculation",
        "topic": "after-tax-room",
        "title": "T" * 300,
        "text": "\n\n".join(paragraphs),
        "disclosure": DEFAULT_DISCLOSURE,
        "tax_year": 2026,
        "sources": [f"https://www.irs.gov/page-{i}" for i in range(3)],
        "suggestions": [f"topic-{i}" for i in range(40)],
        "result": {"steps": [f"step {i}: $1 + $1 = $2" for i in range(8)]},
    }
    return Reply(**{**fields, **changes})


def test_an_oversized_reply_is_split_and_trimmed_to_the_limits() -> None:
    """A body past 4,096 characters spans embeds; past 6,000 in all, it is cut with an ellipsis."""
    message = to_message(long_reply())

    assert_fits(message)
    assert len(message.embeds) >= 2
    assert message.embeds[0]["title"].endswith("…")
    assert "Paragraph 0:" in message.embeds[0]["description"]
    assert message.embeds[-1]["footer"]["text"].startswith("Tax year 2026 · ")
    described = [e["description"] for e in message.embeds if "description" in e]
    assert described[-1].endswith("…")


def test_long_arithmetic_and_many_sources_still_fit() -> None:
    """Sixty steps and thirty sources spill over several fields and stay within 6,000."""
    steps = [f"step {i}: $1,000 + $1,000 = $2,000" for i in range(60)]
    sources = [f"https://www.irs.gov/retirement-plans/page-{i}" for i in range(30)]
    message = to_message(long_reply(result={"steps": steps}, sources=sources))

    assert_fits(message)
    names = [f["name"] for e in message.embeds for f in e.get("fields", [])]
    assert names[:2] == ["Arithmetic", "Arithmetic (continued)"]
    assert "Sources" in names


def test_arithmetic_too_long_for_any_message_is_trimmed_to_fit() -> None:
    """Even 400 steps leave a message Discord accepts, with the headline kept."""
    steps = [f"step {i}: $1,000 + $1,000 = $2,000" for i in range(400)]
    message = to_message(long_reply(text="**Headline**", result={"steps": steps}))

    assert_fits(message)
    assert message.embeds[0]["description"] == "**Headline**"


def test_a_body_over_4096_characters_is_split_at_a_paragraph() -> None:
    """Two paragraphs that together pass 4,096 characters land in two embeds, whole."""
    first, second = "a " * 1500, "b " * 1000
    message = to_message(long_reply(text=f"{first}\n\n{second}", result=None, sources=[]))

    assert_fits(message)
    assert [e["description"] for e in message.embeds] == [first.strip(), second.strip()]


def test_a_disclosure_too_long_for_a_footer_still_goes_out_whole() -> None:
    """A company disclosure over 2,048 characters moves into the body rather than being cut."""
    disclosure = "Read this carefully. " * 110
    message = to_message(long_reply(text="Short answer.", disclosure=disclosure, result=None))

    assert_fits(message, disclosure)
    assert message.embeds[-1]["footer"]["text"] == "Tax year 2026"


def test_clarify_candidates_are_primary_buttons_and_related_topics_secondary() -> None:
    """The choice a clarify asks for stands out; related topics are quieter."""
    clarify = Reply(
        kind="clarify",
        topic="roth-vs-after-tax",
        title="Which of these did you mean?",
        text="Pick one.",
        disclosure=DEFAULT_DISCLOSURE,
        tax_year=2026,
        suggestions=["roth-vs-after-tax", "traditional-vs-roth"],
    )
    titles = {"traditional-vs-roth": "Pre-tax or Roth 401(k)?"}

    [first, second] = to_message(clarify, titles).buttons

    assert (first.topic, first.style, first.label) == (
        "roth-vs-after-tax",
        "primary",
        "Roth vs after tax",
    )
    assert (second.label, second.custom_id) == (
        "Pre-tax or Roth 401(k)?",
        "401k:topic:traditional-vs-roth",
    )


def test_an_article_does_not_offer_a_button_to_itself() -> None:
    """Related topics leave out the topic just answered."""
    reply = Reply(
        kind="article",
        topic="help",
        title="Help",
        text="What I do.",
        disclosure=DEFAULT_DISCLOSURE,
        tax_year=2026,
        suggestions=["help", "contribution-limits"],
    )

    assert [b.topic for b in to_message(reply).buttons] == ["contribution-limits"]


def test_notices_carry_the_disclosure_and_ping_nobody() -> None:
    """Cooldown, bad-input and apology messages are not answers, but still carry the disclosure."""
    message = notice("Try again in 3 seconds.", DEFAULT_DISCLOSURE)

    assert_fits(message)
    assert message.buttons == []


def test_a_close_neighbour_is_the_first_button():
    """ "Also about" leads the buttons and is not repeated among the related ones."""
    reply = Reply(
        kind="article",
        topic="roth-vs-after-tax",
        title="Roth vs after-tax",
        text="Body.",
        disclosure="Not advice.",
        tax_year=2026,
        suggestions=["why-after-tax", "mega-backdoor-roth"],
        also=["why-after-tax"],
    )
    buttons = to_message(reply, {"why-after-tax": "Why after-tax?"}).buttons
    assert [(b.topic, b.label, b.style) for b in buttons] == [
        ("why-after-tax", "Also about: Why after-tax?", "primary"),
        ("mega-backdoor-roth", "Mega backdoor roth", "secondary"),
    ]


def test_every_reply_as_plain_text_fits_one_message_with_the_disclosure(engine: Engine) -> None:
    """For channels without Embed Links: 2,000 characters at most, disclosure and tax year."""
    replies = [*article_replies(engine), *calculator_replies()]
    long = replace(replies[0], text="word " * 3000, disclosure="Not advice. " * 100)
    for reply in [*replies, long]:
        reply = replace(reply, disclosure=reply.disclosure or DEFAULT_DISCLOSURE)
        text = to_message(reply).text
        assert len(text) <= 2000
        assert reply.disclosure.strip() in text
        assert f"Tax year {reply.tax_year}" in text
        assert text.startswith(f"**{defuse(reply.title)}**")
        assert "https://" not in text.replace("(<https://", "")


def test_the_short_form_is_the_title_first_paragraph_disclosure_and_a_more_button(
    engine: Engine,
) -> None:
    for reply in article_replies(engine):
        full = to_message(reply)
        short = shortened(full)
        assert_fits(short)
        [embed] = short.embeds
        assert embed["title"] == full.embeds[0]["title"]
        assert full.embeds[0]["description"].startswith(embed["description"])
        assert "\n\n" not in embed["description"]
        assert [(b.topic, b.label) for b in short.buttons] == [(reply.topic, "More")]
        assert DEFAULT_DISCLOSURE in short.text


def test_calculations_are_never_shortened() -> None:
    for reply in calculator_replies():
        message = to_message(reply)
        assert shortened(message) == message
