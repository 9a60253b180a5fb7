"""The plan profile on Slack, through the real AsyncApp and a fake Slack Web API."""

from __future__ import annotations

from typing import Any

import pytest

from bot.render.slack import escape
from tests.plans.profiles import AFTER_TAX_ONLY, FULL, NO_AFTER_TAX, PROFILES, engine, profile

MEGA = {FULL: "yes", AFTER_TAX_ONLY: "no", NO_AFTER_TAX: "no"}
ROOM = {FULL: "$22,500", AFTER_TAX_ONLY: "$15,000", NO_AFTER_TAX: "$0"}


@pytest.mark.parametrize("name", PROFILES)
async def test_slash_401k_plan_shows_the_plan_summary(slack_with: Any, name: str) -> None:
    """`/401k plan` answers ephemerally with the summary, its review date and the disclosure."""
    slack = slack_with(engine(name))

    await slack.command("/401k", "plan")

    [reply] = slack.fake.to("respond")
    assert reply.body["response_type"] == "ephemeral"
    plan = profile(name)
    assert plan.name is not None
    assert escape(plan.name) in reply.shown
    assert f"Mega backdoor Roth: *{MEGA[name]}*" in reply.shown
    assert f"reviewed {plan.reviewed}" in reply.shown


async def test_slash_401k_plan_without_a_profile_says_there_is_none(slack_with: Any) -> None:
    slack = slack_with(engine(None))

    await slack.command("/401k", "plan")

    [reply] = slack.fake.to("respond")
    assert "No plan profile is set up" in reply.shown


@pytest.mark.parametrize("name", PROFILES)
async def test_a_mention_about_our_plan_gets_the_plans_answer_then_the_article(
    slack_with: Any, name: str
) -> None:
    """In the thread: the plan's yes or no with where to ask, then the general article."""
    slack = slack_with(engine(name))
    data = slack.requests.event_payload(
        "app_mention", "EvPlan1", text="<@U0BOT> does our plan allow the mega backdoor?"
    )

    await slack.event(data)

    [posted] = slack.fake.to("chat.postMessage")
    shown = posted.shown
    assert f"Mega backdoor Roth: *{MEGA[name]}*" in shown
    assert "To confirm, ask" in shown
    assert shown.index("what the plan says") < shown.index("summary plan description")


async def test_a_dm_about_a_spouses_plan_is_not_answered_from_the_profile(
    slack_with: Any,
) -> None:
    slack = slack_with(engine(FULL))
    data = slack.requests.event_payload(
        "message_im", "EvPlan2", text="does my spouse's plan allow the mega backdoor?"
    )

    await slack.event(data)

    [posted] = slack.fake.to("chat.postMessage")
    assert "what the plan says" not in posted.shown
    assert "mega backdoor" in posted.shown.lower()


@pytest.mark.parametrize("name", PROFILES)
async def test_aftertaxroom_with_a_salary_uses_the_plans_match_and_cap(
    slack_with: Any, name: str
) -> None:
    """`/aftertaxroom max salary=150k`: the plan's match, cap (or $0) and paychecks."""
    slack = slack_with(engine(name))

    await slack.command("/aftertaxroom", "I max out and earn 150k")

    [reply] = slack.fake.to("respond")
    assert f"After-tax room for 2026: {ROOM[name]}" in reply.shown
    assert "your plan's formula" in reply.shown


async def test_app_home_shows_the_plan_summary(slack_with: Any) -> None:
    """The Home tab adds the plan's summary below the year's limits."""
    slack = slack_with(engine(AFTER_TAX_ONLY))

    await slack.event(slack.requests.event_payload("app_home_opened", "EvPlan3"))

    [published] = slack.fake.to("views.publish")
    shown = published.shown
    assert "Sample Industries Savings Plan: what the plan says" in shown
    assert "In-plan Roth conversion of after-tax money: *no*" in shown
    assert "Limits for 2026" in shown


async def test_app_home_without_a_profile_has_no_plan_section(slack: Any) -> None:
    await slack.event(slack.requests.event_payload("app_home_opened", "EvPlan4"))

    [published] = slack.fake.to("views.publish")
    assert "what the plan says" not in published.shown


async def test_app_home_keeps_a_long_plan_summary_within_slacks_section_limit(
    slack_with: Any,
) -> None:
    """Every text field at its longest still makes sections of at most 3,000 characters."""
    from bot.engine import default_engine
    from bot.plans.loading import parse_plan

    long = "x" * 199 + "y"
    text = (
        f"name: {long}\nrecordkeeper: {long}\n"
        f"in_plan_conversion: {{allowed: true, frequency: {long}}}\n"
        f"in_service_withdrawal: {{allowed: true, frequency: {long}}}\n"
        f"profit_sharing: {{percent_of_pay: 3, paid: {long}}}\n"
        f"ask: {{text: {long}, url: 'https://benefits.example.com/{'p' * 150}'}}\n"
    )
    slack = slack_with(default_engine(plan=parse_plan(text, "long.yaml")))

    await slack.event(slack.requests.event_payload("app_home_opened", "EvPlan5"))

    [published] = slack.fake.to("views.publish")
    blocks = published.body["view"]["blocks"]
    texts = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    assert all(len(t) <= 3000 for t in texts)
    assert sum(t.count(long) for t in texts) == 6
    assert len(blocks) <= 100
