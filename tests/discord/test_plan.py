"""The plan profile on Discord, through the real client and command tree, against a fake."""

from __future__ import annotations

from typing import Any

import pytest

from bot.disclosure import DEFAULT_DISCLOSURE
from tests.plans.profiles import AFTER_TAX_ONLY, FULL, NO_AFTER_TAX, PROFILES, engine, profile

EPHEMERAL = 64
CHANNEL = "900000000000000010"
BOT_ID = "1100000000000000002"
MEGA = {FULL: "yes", AFTER_TAX_ONLY: "no", NO_AFTER_TAX: "no"}
ROOM = {FULL: "$22,500", AFTER_TAX_ONLY: "$15,000", NO_AFTER_TAX: "$0"}


def shown(body: dict[str, Any]) -> str:
    data = body.get("data", body)
    parts: list[str] = []
    for embed in data.get("embeds", []):
        parts += [embed.get("title", ""), embed.get("description", "")]
        parts += [f"{field['name']}\n{field['value']}" for field in embed.get("fields", [])]
        parts.append(embed.get("footer", {}).get("text", ""))
    return "\n".join(parts)


@pytest.mark.parametrize("name", PROFILES)
async def test_slash_plan_shows_the_plan_summary_privately(
    discord_bot_with: Any, name: str
) -> None:
    """`/plan`: the summary, its review date, where to ask and the disclosure, ephemerally."""
    bot = await discord_bot_with(engine(name))
    bot.interact(bot.payload("plan"))

    response = await bot.callback()

    assert response.body["data"]["flags"] & EPHEMERAL
    text = shown(response.body)
    plan = profile(name)
    assert f"{plan.name}: plan summary" in text
    assert f"Mega backdoor Roth: **{MEGA[name]}**" in text
    assert f"reviewed {plan.reviewed}" in text
    assert DEFAULT_DISCLOSURE in text


async def test_slash_plan_without_a_profile_says_there_is_none(discord_bot: Any) -> None:
    discord_bot.interact(discord_bot.payload("plan"))

    response = await discord_bot.callback()

    assert "No plan profile is set up" in shown(response.body)


@pytest.mark.parametrize("name", PROFILES)
async def test_slash_401k_about_our_plan_gets_the_plans_answer_first(
    discord_bot_with: Any, name: str
) -> None:
    bot = await discord_bot_with(engine(name))
    data = bot.payload("ask")
    data["data"]["options"][0]["value"] = "how often can I convert after-tax money here?"
    bot.interact(data)

    response = await bot.callback()

    text = shown(response.body)
    answer = {FULL: "yes", AFTER_TAX_ONLY: "no", NO_AFTER_TAX: "not stated"}[name]
    assert f"In-plan Roth conversion of after-tax money: **{answer}**" in text
    assert text.index("what the plan says") < text.index("moves after-tax money into the plan")


async def test_a_mention_about_an_old_employers_plan_is_not_answered_from_the_profile(
    discord_bot_with: Any,
) -> None:
    bot = await discord_bot_with(engine(FULL))
    bot.message(
        bot.payload("mention", content=f"<@{BOT_ID}> did my old employer's plan allow a true-up?")
    )

    [reply] = await bot.fake.wait_for("POST", rf"channels/{CHANNEL}/messages")

    assert "what the plan says" not in shown(reply.body)


@pytest.mark.parametrize("name", PROFILES)
async def test_aftertaxroom_with_a_salary_uses_the_plans_match_and_cap(
    discord_bot_with: Any, name: str
) -> None:
    """`/aftertaxroom deferrals: salary:` with no employer amount: the plan's own rules."""
    bot = await discord_bot_with(engine(name))
    bot.interact(bot.command("aftertaxroom", deferrals=24500, salary=150000))

    response = await bot.callback()

    text = shown(response.body)
    assert f"After-tax room for 2026: {ROOM[name]}" in text
    assert "your plan's formula" in text
