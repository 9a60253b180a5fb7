"""A topic named exactly (a button, a picked topic) is answered by the engine with that article."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from bot.engine import Engine
from bot.knowledge import CATALOG
from bot.reply import Question
from tests.hardening.surfaces import discord_texts

TODAY = dt.date(2026, 6, 1)


def click(topic: str, year: int | None = None, text: str = "") -> Question:
    return Question(
        text=text, surface="slack", command="401k", args={"topic": topic}, year=year, today=TODAY
    )


@pytest.mark.parametrize("topic", CATALOG)
def test_an_explicit_topic_answers_that_article(engine: Engine, topic: str) -> None:
    """Every article can be asked for by its id, with no words to match."""
    reply = engine.answer(click(topic))

    assert (reply.kind, reply.topic) == ("article", topic)
    assert reply.confidence == 1.0


def test_an_explicit_topic_wins_over_the_text(engine: Engine) -> None:
    """The id decides, even when the words alone would match another article."""
    reply = engine.answer(click("five-year-rule", text="what is a mega backdoor Roth?"))

    assert reply.topic == "five-year-rule"


def test_an_explicit_topic_is_answered_for_the_year_given(engine: Engine) -> None:
    """A click under a 2025 answer shows the 2025 figures."""
    reply = engine.answer(click("contribution-limits", year=2025))

    assert reply.tax_year == 2025
    assert "$23,500" in reply.text
    assert "$24,500" not in reply.text


def test_an_explicit_topic_for_a_year_without_figures_says_so(engine: Engine) -> None:
    """A year the bot has no figures for gets the nearest year's, and a note saying so."""
    reply = engine.answer(click("contribution-limits", year=2031))

    assert reply.tax_year == 2026
    assert "figures for 2031 are not in this bot" in reply.text


def test_an_unknown_topic_is_answered_from_the_text(engine: Engine) -> None:
    """A topic id with no article (an old button, a typo) leaves the words to the matcher."""
    reply = engine.answer(click("mega-backdoor", text="mega backdoor roth"))

    assert reply.topic == "mega-backdoor-roth"


async def test_slack_and_discord_buttons_show_the_article_the_engine_gives(
    slack: Any, discord_bot: Any, engine: Engine
) -> None:
    """Both platforms' topic buttons show the engine's article for that topic and year."""
    expected = engine.answer(click("plan-questions", year=2026))
    data = slack.requests.payload("block_actions")
    data["actions"][0].update(action_id="topic:plan-questions", value="plan-questions@2026")
    button = discord_bot.payload("button")
    button["data"]["custom_id"] = "401k:topic:plan-questions"

    await slack.interaction(data)
    discord_bot.interact(button)
    response = await discord_bot.callback()

    [posted] = slack.fake.to("chat.postMessage")
    assert posted.body["blocks"][0]["block_id"] == "reply:article:plan-questions"
    assert response.body["data"]["embeds"][0]["title"] == expected.title
    assert f"Tax year {expected.tax_year}" in "\n".join(discord_texts(response.body))
