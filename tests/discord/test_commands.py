"""Slash commands and buttons through the real discord.py client, against a fake Discord."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from bot.disclosure import DEFAULT_DISCLOSURE
from bot.reply import Question, Reply

EPHEMERAL = 64
CHANNEL_MESSAGE = 4
AUTOCOMPLETE_RESULT = 8


def pings_nobody(body: dict[str, Any]) -> bool:
    """The send names no one to ping: no @everyone/@here, users, roles or reply ping."""
    mentions = body.get("data", body).get("allowed_mentions")
    return (
        mentions is not None
        and mentions.get("parse") == []
        and not mentions.get("users")
        and not mentions.get("roles")
        and not mentions.get("replied_user")
    )


def shown(body: dict[str, Any]) -> str:
    """Every piece of text a person sees in a sent message's embeds."""
    data = body.get("data", body)
    parts: list[str] = []
    for embed in data.get("embeds", []):
        parts += [embed.get("title", ""), embed.get("description", "")]
        for field in embed.get("fields", []):
            parts += [field["name"], field["value"]]
        parts.append(embed.get("footer", {}).get("text", ""))
    return "\n".join(parts)


def footer(body: dict[str, Any]) -> str:
    return str(body.get("data", body)["embeds"][-1]["footer"]["text"])


def buttons(body: dict[str, Any]) -> list[dict[str, Any]]:
    rows = body.get("data", body).get("components", [])
    return [button for row in rows for button in row["components"]]


def field_named(body: dict[str, Any], name: str) -> dict[str, Any]:
    [found] = [
        field
        for embed in body.get("data", body)["embeds"]
        for field in embed.get("fields", [])
        if field["name"] == name
    ]
    return found


async def test_aftertaxroom_with_numbers_answers_ephemerally_with_the_room(
    discord_bot: Any,
) -> None:
    """`/aftertaxroom deferrals:24500 employer:10000` shows only the asker $37,500 and the sum."""
    discord_bot.interact(discord_bot.command("aftertaxroom", deferrals=24500, employer=10000))

    response = await discord_bot.callback()

    assert response.body["type"] == CHANNEL_MESSAGE
    assert response.body["data"]["flags"] & EPHEMERAL
    assert "$37,500" in shown(response.body)
    arithmetic = field_named(response.body, "Arithmetic")["value"]
    assert arithmetic.startswith("```")
    assert "$72,000" in arithmetic
    assert "$24,500" in arithmetic
    assert "$10,000" in arithmetic
    assert DEFAULT_DISCLOSURE in footer(response.body)
    assert "Tax year 2026" in footer(response.body)
    assert pings_nobody(response.body)


async def test_aftertaxroom_with_a_match_formula_and_paychecks(discord_bot: Any) -> None:
    """Salary and match formula work out the match; a pay frequency adds a per-paycheck amount."""
    discord_bot.interact(
        discord_bot.command(
            "aftertaxroom",
            deferrals=24500,
            salary=100000,
            match="100% of the first 4%",
            pay_frequency="biweekly",
            year=2025,
        )
    )

    response = await discord_bot.callback()

    text = shown(response.body)
    # 2025: $70,000 − $24,500 − $4,000 = $41,500, over 26 paychecks.
    assert "$4,000" in text
    assert "$41,500" in text
    assert "$1,596.15" in text
    assert "Tax year 2025" in footer(response.body)


@pytest.mark.parametrize(
    ("options", "named"),
    [
        ({"deferrals": 50_000_000, "employer": 10000}, "`deferrals`"),
        ({"deferrals": -5, "employer": 10000}, "`deferrals`"),
        ({"deferrals": 24500, "employer": 10000, "age": 400}, "`age`"),
        ({"deferrals": 24500, "employer": 10000, "year": 2031}, "`year`"),
        ({"deferrals": 24500, "employer": 10000, "pay_frequency": "hourly"}, "`pay_frequency`"),
        ({"deferrals": 24500, "salary": 90000, "match": "a lot"}, "`match`"),
        ({"deferrals": 24500, "match": "50% up to 6%"}, "`salary`"),
    ],
)
async def test_aftertaxroom_out_of_range_input_is_a_clear_message_and_no_calculation(
    discord_bot: Any, options: dict[str, Any], named: str
) -> None:
    """Discord's client enforces the ranges, but a raw interaction may not: we check again."""
    discord_bot.interact(discord_bot.command("aftertaxroom", **options))

    response = await discord_bot.callback()

    text = shown(response.body)
    assert response.body["data"]["flags"] & EPHEMERAL
    assert "Please check your input" in text
    assert named in text
    assert "Arithmetic" not in text
    assert "after-tax room" not in text.lower()
    assert DEFAULT_DISCLOSURE in text
    assert pings_nobody(response.body)


async def test_public_option_posts_for_everyone(discord_bot: Any) -> None:
    """`public:True` makes the answer visible in the channel."""
    discord_bot.interact(
        discord_bot.command("aftertaxroom", deferrals=24500, employer=10000, public=True)
    )

    response = await discord_bot.callback()

    assert not response.body["data"].get("flags", 0) & EPHEMERAL
    assert "$37,500" in shown(response.body)


async def test_401k_question_answers_with_the_article_sources_and_related_buttons(
    discord_bot: Any,
) -> None:
    """`/401k` answers from the knowledge base: title, body, sources as links, buttons."""
    discord_bot.interact(discord_bot.payload("ask"))

    response = await discord_bot.callback()

    data = response.body["data"]
    assert data["flags"] & EPHEMERAL
    assert data["embeds"][0]["title"] == "Roth 401(k) vs after-tax 401(k) contributions"
    assert "tax-free" in data["embeds"][0]["description"]
    sources = field_named(response.body, "Sources")["value"]
    assert "](https://www.irs.gov/" in sources
    assert DEFAULT_DISCLOSURE in footer(response.body)
    labels = [b["label"] for b in buttons(response.body)]
    assert labels
    assert all(b["custom_id"].startswith("401k:topic:") for b in buttons(response.body))
    assert pings_nobody(response.body)


async def test_401k_in_a_dm_is_answered(discord_bot: Any) -> None:
    """The slash command works in a DM with the bot too."""
    discord_bot.interact(discord_bot.payload("ask_dm"))

    response = await discord_bot.callback()

    assert "mega backdoor Roth" in shown(response.body)
    assert DEFAULT_DISCLOSURE in footer(response.body)


async def test_autocomplete_offers_topics_matching_a_partial_name(discord_bot: Any) -> None:
    """Typing "mega" offers the mega backdoor Roth topics, at most 25 choices."""
    discord_bot.interact(discord_bot.payload("ask_autocomplete"))

    [response] = await discord_bot.fake.wait_for("POST", r"interactions/\d+/[^/]+/callback")

    assert response.body["type"] == AUTOCOMPLETE_RESULT
    choices = response.body["data"]["choices"]
    assert 1 <= len(choices) <= 25
    assert {
        "name": "The mega backdoor Roth, step by step",
        "value": "mega-backdoor-roth",
    } in choices
    assert all("mega" in c["name"].lower() or "mega" in c["value"] for c in choices)


async def test_autocomplete_with_nothing_typed_stays_within_25_choices(discord_bot: Any) -> None:
    """An empty box lists topics, never more than Discord's 25."""
    data = discord_bot.payload("ask_autocomplete")
    data["data"]["options"][0]["value"] = ""
    discord_bot.interact(data)

    [response] = await discord_bot.fake.wait_for("POST", r"interactions/\d+/[^/]+/callback")

    choices = response.body["data"]["choices"]
    assert 20 <= len(choices) <= 25
    assert all(len(c["name"]) <= 100 and len(c["value"]) <= 100 for c in choices)


async def test_a_picked_topic_answers_that_article(discord_bot: Any) -> None:
    """An autocomplete pick sends the topic id; the reply is that article, not a guess."""
    discord_bot.interact(discord_bot.command("ask", question="traditional-vs-roth"))

    response = await discord_bot.callback()

    assert response.body["data"]["embeds"][0]["title"].startswith("Pre-tax or Roth 401(k)?")


async def test_limits_shows_the_years_figures_and_source(discord_bot: Any) -> None:
    """`/limits year:2025` lists the 2025 IRS figures with the notice and a link."""
    discord_bot.interact(discord_bot.payload("limits"))

    response = await discord_bot.callback()

    text = shown(response.body)
    assert response.body["data"]["embeds"][0]["title"] == "401(k) and IRA limits for 2025"
    for figure in ("$23,500", "$7,500", "$11,250", "$70,000", "$350,000"):
        assert figure in text
    assert "IRS Notice 2024-80" in text
    assert "Tax year 2025" in footer(response.body)
    assert DEFAULT_DISCLOSURE in footer(response.body)
    assert response.body["data"]["flags"] & EPHEMERAL


async def test_help_explains_what_the_bot_does(discord_bot: Any) -> None:
    """`/help` answers with the help article."""
    discord_bot.interact(discord_bot.payload("help"))

    response = await discord_bot.callback()

    assert response.body["data"]["embeds"][0]["title"] == "What this bot can do and how to ask it"
    assert DEFAULT_DISCLOSURE in footer(response.body)


async def test_a_related_topic_button_answers_when_clicked(discord_bot: Any) -> None:
    """Clicking "The mega backdoor Roth" under an answer shows that article to the clicker."""
    discord_bot.interact(discord_bot.payload("button"))

    response = await discord_bot.callback()

    assert response.body["type"] == CHANNEL_MESSAGE
    assert response.body["data"]["flags"] & EPHEMERAL
    assert response.body["data"]["embeds"][0]["title"] == "The mega backdoor Roth, step by step"
    assert DEFAULT_DISCLOSURE in footer(response.body)
    assert pings_nobody(response.body)


@pytest.mark.parametrize(
    "topic", ["contribution-limits", "plan-questions", "traditional-vs-roth", "help"]
)
async def test_every_topic_button_answers_its_own_article(discord_bot: Any, topic: str) -> None:
    """A button names its article exactly, even one whose name alone would be ambiguous."""
    data = discord_bot.payload("button")
    data["data"]["custom_id"] = f"401k:topic:{topic}"
    data["message"]["components"][0]["components"][0]["custom_id"] = f"401k:topic:{topic}"
    discord_bot.interact(data)

    response = await discord_bot.callback()

    title = response.body["data"]["embeds"][0]["title"]
    assert title == discord_bot.bot.answers.titles()[topic]


async def test_cooldown_answers_five_questions_in_ten_seconds_then_asks_to_wait(
    discord_bot: Any,
) -> None:
    """The sixth question within 10 seconds gets a friendly, private "try again"."""
    for _ in range(5):
        discord_bot.interact(discord_bot.payload("help"))
    await discord_bot.fake.wait_for("POST", r"interactions/\d+/[^/]+/callback", count=5)
    discord_bot.now += 4
    discord_bot.interact(discord_bot.payload("help"))
    await discord_bot.fake.wait_for("POST", r"interactions/\d+/[^/]+/callback", count=6)
    await discord_bot.settle(0.05)

    responses = discord_bot.fake.replies()
    refusal = responses[-1].body
    assert all("What this bot can do" in shown(r.body) for r in responses[:5])
    assert refusal["data"]["flags"] & EPHEMERAL
    assert "Try again in 6 seconds" in shown(refusal)
    assert "What this bot can do" not in shown(refusal)
    assert DEFAULT_DISCLOSURE in shown(refusal)

    discord_bot.now += 6
    discord_bot.interact(discord_bot.payload("help"))
    await discord_bot.fake.wait_for("POST", r"interactions/\d+/[^/]+/callback", count=7)
    assert "What this bot can do" in shown(discord_bot.fake.replies()[-1].body)


async def test_an_unexpected_error_still_sends_an_apology_with_the_disclosure(
    discord_bot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If answering raises, the person gets a short apology, never silence."""

    def broken(question: Question) -> Reply:
        raise RuntimeError("boom")

    monkeypatch.setattr(discord_bot.bot.answers.engine, "answer", broken)
    discord_bot.interact(discord_bot.payload("ask"))

    response = await discord_bot.callback()

    assert "Sorry, something went wrong" in shown(response.body)
    assert DEFAULT_DISCLOSURE in shown(response.body)


async def test_one_info_line_per_answer_and_no_question_text(
    discord_bot: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """The log says what kind of answer went out and how fast, never what was asked."""
    caplog.set_level(logging.INFO)
    discord_bot.interact(discord_bot.payload("ask"))
    await discord_bot.callback()

    answered = [r for r in caplog.records if r.getMessage() == "answered"]
    assert len(answered) == 1
    fields = answered[0].fields  # type: ignore[attr-defined]
    assert fields["surface"] == "discord"
    assert fields["kind"] == "article"
    assert fields["topic"] == "roth-vs-after-tax"
    logged = "\n".join(f"{r.getMessage()} {getattr(r, 'fields', '')}" for r in caplog.records)
    assert "difference between Roth" not in logged
    assert "token-1300000000000000002" not in logged
