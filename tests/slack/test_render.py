"""Replies as Block Kit: within Slack's limits, escaped, and always carrying the disclosure."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.calculate import run
from bot.disclosure import DEFAULT_DISCLOSURE
from bot.knowledge import article_reply, load_articles, render_article
from bot.numbers import Numbers
from bot.render.slack import (
    FALLBACK_TEXT_MAX,
    block_text_length,
    escape,
    to_message,
    to_mrkdwn,
    topic_label,
)
from bot.replies import calculation_reply
from bot.reply import Reply
from bot.slack.home import home_view, welcome_message
from bot.slack.usage import apology_reply, notice_reply, usage_reply
from bot.slack.wording import ask_me_reply, for_slack, help_reply
from calc.formula import parse_formula
from calc.limits import load_limits

YEARS = load_limits().years
# A `<` that starts anything but a link the renderer built: a mention, broadcast or channel.
UNSAFE = re.compile(r"<(?!https?://[^<>|\s]+\|[^<>]*>)")


def strings(node: Any) -> Iterator[str]:
    """Every string value in a message, at any depth."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from strings(item)


def check_slack_limits(message: dict[str, Any], disclosure: str, blocks_max: int = 50) -> None:
    """Fail unless Slack would accept `message` and it shows the disclosure safely."""
    blocks = message["blocks"]
    assert 0 < len(blocks) <= blocks_max
    assert 0 < len(message.get("text", "x")) <= FALLBACK_TEXT_MAX
    assert block_text_length(blocks) <= 12_000
    for block in blocks:
        if block["type"] == "section":
            assert 0 < len(block["text"]["text"]) <= 3000
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= 150
        if block["type"] == "context":
            assert 0 < len(block["elements"]) <= 10
            assert all(len(e["text"]) <= 2000 for e in block["elements"])
        if block["type"] == "actions":
            assert 0 < len(block["elements"]) <= 25
            ids = [e["action_id"] for e in block["elements"]]
            assert len(ids) == len(set(ids))
            assert all(len(e["text"]["text"]) <= 75 for e in block["elements"])
    context = [b for b in blocks if b["type"] == "context"]
    assert context, "no context block"
    shown = "".join(e["text"] for e in context[-1]["elements"][:-1])
    assert escape(disclosure) == shown
    for text in strings(message):
        assert "<!" not in text
        assert not UNSAFE.search(text), text


def article_replies() -> Iterator[tuple[str, Reply]]:
    for article in load_articles().values():
        for year in YEARS:
            rendered = render_article(article, load_limits().get(year))
            yield f"{article.id}-{year}", article_reply(rendered, DEFAULT_DISCLOSURE)


def calculator_replies() -> Iterator[tuple[str, Reply]]:
    formula = parse_formula("100% of the first 3% and 50% of the next 2%")
    cases = {
        "after-tax-room": [
            Numbers(deferrals=Decimal(24500), employer=Decimal(10000)),
            Numbers(max_deferrals=True, salary=Decimal(400000), formula=formula, age=61),
            Numbers(
                deferrals=Decimal(40000),
                employer=Decimal(60000),
                age=45,
                salary=Decimal(50000),
                after_tax_so_far=Decimal(1000),
                frequency="biweekly",
            ),
            Numbers(deferrals=Decimal(0), employer=Decimal(0), paychecks_left=7),
        ],
        "deferral-room": [
            Numbers(deferred_so_far=Decimal(10000), age=52, frequency="semimonthly"),
            Numbers(deferred_so_far=Decimal(99999), age=62),
            Numbers(),
        ],
        "employer-match": [
            Numbers(salary=Decimal(90000), formula=formula),
            Numbers(salary=Decimal(1000000), formula=formula, deferrals=Decimal(5000)),
        ],
    }
    for year in YEARS:
        choice = load_limits().choose(year, load_limits().get(year).year and _jan(year))
        for topic, inputs_list in cases.items():
            for number, inputs in enumerate(inputs_list):
                reply = calculation_reply(run(topic, inputs, choice), DEFAULT_DISCLOSURE)
                yield f"{topic}-{year}-{number}", reply


def _jan(year: int) -> Any:
    import datetime as dt

    return dt.date(year, 1, 1)


ARTICLES = list(article_replies())
CALCULATIONS = list(calculator_replies())


def test_every_catalog_article_is_checked() -> None:
    """The article list below is not empty: every built-in article, every year."""
    assert len(ARTICLES) == len(load_articles()) * len(YEARS) >= len(YEARS)


@pytest.mark.parametrize("reply", [r for _, r in ARTICLES], ids=[i for i, _ in ARTICLES])
def test_every_article_fits_slack_for_every_year(reply: Reply) -> None:
    """Each article, in each tax year, fits Slack's limits with its sources and disclosure."""
    message = to_message(reply)
    check_slack_limits(message, reply.disclosure)
    context = message["blocks"][-1]["elements"][1]["text"]
    assert f"Tax year {reply.tax_year}" in context
    assert all(f"<{escape(url)}|" in context for url in reply.sources)
    buttons = [b for b in message["blocks"] if b["type"] == "actions"]
    assert bool(buttons) == bool(reply.suggestions)


@pytest.mark.parametrize("reply", [r for _, r in CALCULATIONS], ids=[i for i, _ in CALCULATIONS])
def test_every_calculator_reply_fits_slack_and_shows_its_arithmetic(reply: Reply) -> None:
    """Calculator replies fit Slack and show each arithmetic step."""
    message = to_message(reply)
    check_slack_limits(message, reply.disclosure)
    shown = "\n".join(b["text"]["text"] for b in message["blocks"] if b["type"] == "section")
    assert reply.result is not None
    for step in reply.result["steps"]:  # type: ignore[attr-defined]
        assert escape(step) in shown


def test_room_reply_shows_the_worked_example() -> None:
    """The 2026 example: $72,000 − $24,500 − $10,000 = $37,500, in blocks and fallback."""
    reply = dict(CALCULATIONS)["after-tax-room-2026-0"]
    message = to_message(reply)
    section = message["blocks"][1]["text"]["text"]
    assert "$72,000" in section
    assert "$37,500" in section
    assert "$37,500" in message["text"]
    assert message["blocks"][0]["text"]["text"] == "*After-tax room*"


def test_help_apology_and_home_fit_slack() -> None:
    """The usage replies, the apology and App Home also fit and carry the disclosure."""
    for reply in (
        usage_reply("aftertaxroom", "Custom & <b>", 2026),
        usage_reply("401k", DEFAULT_DISCLOSURE, 2026),
        apology_reply(DEFAULT_DISCLOSURE, 2024),
        help_reply(DEFAULT_DISCLOSURE, 2026),
        ask_me_reply(DEFAULT_DISCLOSURE, 2026),
        notice_reply("Invite me with `/invite @401k-bot`.", DEFAULT_DISCLOSURE, 2026),
    ):
        check_slack_limits(to_message(reply), reply.disclosure)
    check_slack_limits(welcome_message(DEFAULT_DISCLOSURE, 2026), DEFAULT_DISCLOSURE)
    for year in YEARS:
        view = home_view(load_limits().choose(year, _jan(year)), DEFAULT_DISCLOSURE)
        check_slack_limits(view, DEFAULT_DISCLOSURE, blocks_max=100)


def test_markdown_becomes_slack_mrkdwn() -> None:
    """Bold, italics, bullets and links use Slack's own syntax."""
    text = "**Roth** and *after-tax*\n- one\n- two\nSee [Notice 2014-54](https://irs.gov/n?a=1&b=2)"
    assert to_mrkdwn(text) == (
        "*Roth* and _after-tax_\n• one\n• two\nSee <https://irs.gov/n?a=1&amp;b=2|Notice 2014-54>"
    )


def test_mentions_and_broadcasts_in_text_are_shown_literally() -> None:
    """`<!channel>`, `<@U1>` and `&` from a person or an article are escaped, not pinged."""
    reply = Reply(
        kind="fallback",
        topic=None,
        title="<!here> & <@U123>",
        text="Hi <!channel> <!subteam^S1> <@U123> <#C1|general> a < b & c > d",
        disclosure="Not advice <!everyone>",
        tax_year=2026,
        suggestions=["<!here>"],
    )
    message = to_message(reply)
    check_slack_limits(message, reply.disclosure)
    assert "&lt;!channel&gt;" in message["blocks"][1]["text"]["text"]
    assert "a &lt; b &amp; c &gt; d" in message["text"]


def test_clarify_offers_the_candidates_as_buttons() -> None:
    """A clarify reply asks which topic was meant, one button per candidate."""
    reply = Reply(
        kind="clarify",
        topic=None,
        title="Which one?",
        text="Did you mean one of these?",
        disclosure=DEFAULT_DISCLOSURE,
        tax_year=2026,
        suggestions=["roth-vs-after-tax", "roth-401k-basics", "roth-vs-after-tax"],
    )
    message = to_message(reply)
    [actions] = [b for b in message["blocks"] if b["type"] == "actions"]
    assert [e["value"] for e in actions["elements"]] == [
        "roth-vs-after-tax@2026",
        "roth-401k-basics@2026",
    ]
    assert [e["text"]["text"] for e in actions["elements"]] == [
        "Roth vs after tax",
        "Roth 401(k) basics",
    ]
    titles = {"roth-vs-after-tax": "Roth 401(k) vs after-tax 401(k)"}
    assert topic_label("roth-vs-after-tax", titles) == "Roth 401(k) vs after-tax 401(k)"


@pytest.mark.parametrize(
    ("kind", "title", "label"),
    [
        ("clarify", "Which of these did you mean?", None),
        ("clarify", "A number is missing", "Related topics:"),
        ("article", "How a Roth 401(k) works", "Related topics:"),
        ("fallback", "Not something I cover", "Topics I do cover:"),
    ],
)
def test_the_line_above_the_buttons_fits_the_reply(kind: Any, title: str, label: str) -> None:
    """A title that already asks which topic is not asked again above the buttons."""
    reply = Reply(
        kind=kind,
        topic="after-tax-room",
        title=title,
        text="Missing: your deferrals.",
        disclosure=DEFAULT_DISCLOSURE,
        tax_year=2026,
        suggestions=["after-tax-room", "mega-backdoor-roth"],
    )
    blocks = to_message(reply)["blocks"]
    at = next(i for i, b in enumerate(blocks) if b["type"] == "actions")
    above = blocks[at - 1]["text"]["text"]
    assert above == (label or "Missing: your deferrals.")
    assert sum(title in b.get("text", {}).get("text", "") for b in blocks) == 1


def test_slack_wording_leaves_listed_topics_to_the_buttons() -> None:
    """Topic lines naming a button's id, and the line leading into them, are dropped."""
    reply = Reply(
        kind="fallback",
        topic=None,
        title="Not something I cover",
        text="I can't answer that.\n\nTopics I do cover that may help:\n"
        "- Limits (`contribution-limits`)\n- Help (`help`)\n\nAsk `help` to see what I can do.",
        disclosure=DEFAULT_DISCLOSURE,
        tax_year=2026,
        suggestions=["contribution-limits", "help"],
    )
    worded = for_slack(reply)
    assert worded.text == (
        "I can't answer that.\n\n"
        "Type `/401k help`, or mention me with `help`, to see what I can do."
    )
    assert worded.suggestions == reply.suggestions


def test_a_very_long_reply_is_shortened_but_keeps_the_disclosure() -> None:
    """A body far over Slack's limits is cut, says so, and keeps buttons and disclosure."""
    paragraph = "**Bold** words & <more> words [a link](https://example.com/x) " * 40
    reply = Reply(
        kind="article",
        topic="x",
        title="Long",
        text="\n\n".join([paragraph] * 60),
        disclosure=DEFAULT_DISCLOSURE,
        tax_year=2026,
        sources=[f"https://example.com/source-{i}" for i in range(60)],
        suggestions=["help", "employer-match"],
    )
    message = to_message(reply)
    check_slack_limits(message, reply.disclosure)
    assert "shortened to fit in Slack" in texts_of(message)
    assert any(b["type"] == "actions" for b in message["blocks"])


def texts_of(message: dict[str, Any]) -> str:
    return "\n".join(strings(message))


@given(
    title=st.text(max_size=400),
    body=st.text(max_size=20_000),
    disclosure=st.text(min_size=1, max_size=600).filter(str.strip),
    suggestions=st.lists(st.text(min_size=1, max_size=100), max_size=8),
)
def test_any_text_renders_within_limits_and_never_pings(
    title: str, body: str, disclosure: str, suggestions: list[str]
) -> None:
    """Whatever the text, the message fits Slack and holds no mention or broadcast."""
    reply = Reply(
        kind="article",
        topic="x",
        title=title,
        text=body,
        disclosure=disclosure,
        tax_year=2026,
        sources=["https://www.irs.gov/a"],
        suggestions=suggestions,
    )
    check_slack_limits(to_message(reply), disclosure)


@given(st.text(alphabet="<>&!@#|*_[]()-\n ab", max_size=3000))
def test_markup_heavy_text_never_breaks_an_entity_or_a_link(body: str) -> None:
    """Cutting long text into sections never splits `&amp;` or a `<url|label>` link."""
    body = (body + " [x](https://e.com/y) &") * 3
    reply = Reply(kind="article", topic="x", title="t", text=body, disclosure="d", tax_year=2026)
    for block in to_message(reply)["blocks"]:
        if block["type"] == "section":
            text = block["text"]["text"]
            assert not re.search(r"&(?!amp;|lt;|gt;)", text), text
            assert not UNSAFE.search(text)


def test_a_close_neighbour_gets_its_own_button():
    """ "Also about" comes first, as a button that asks about that topic."""
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
    blocks = to_message(reply, {"why-after-tax": "Why after-tax?"})["blocks"]
    texts = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    assert "Also about:" in texts
    also = next(b for b in blocks if b.get("block_id") == "also")
    assert [(e["action_id"], e["text"]["text"]) for e in also["elements"]] == [
        ("topic:why-after-tax", "Why after-tax?")
    ]
    related = next(b for b in blocks if b.get("block_id") == "topics")
    assert [e["action_id"] for e in related["elements"]] == ["topic:mega-backdoor-roth"]
