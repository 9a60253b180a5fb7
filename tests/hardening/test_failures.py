"""When answering fails or hangs, each platform still hears back in time, with an apology."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from bot.disclosure import DEFAULT_DISCLOSURE
from bot.engine import Engine
from bot.service import ANSWER_SECONDS
from bot.slack.answering import Answerer
from bot.slack.dedupe import SeenEvents
from tests.fakes.slack import TODAY, Driver, FakeSlack, make_driver
from tests.hardening.surfaces import discord_texts, hanging, raising

# Slack and Discord both give up on a request not answered within 3 seconds.
DEADLINE = 3.0
SLACK_DISCLOSURE = DEFAULT_DISCLOSURE.replace("&", "&amp;")
CALLBACK = r"interactions/\d+/[^/]+/callback"


def broken(engine: Engine, how: str, release: threading.Event) -> Engine:
    return raising(engine) if how == "raises" else hanging(engine, release)


def production_slack(fake: FakeSlack, engine: Engine, answer_seconds: float) -> Driver:
    """The app as HTTP mode runs it: each request returns once acknowledged."""
    state = Answerer(
        engine=engine, today=lambda: TODAY, seen=SeenEvents(), answer_seconds=answer_seconds
    )
    return make_driver(fake, state, process_before_response=False)


def assert_apology(call: Any) -> None:
    assert "Sorry, something went wrong" in call.shown
    assert SLACK_DISCLOSURE in call.small_print
    assert "mega backdoor" not in call.shown.lower()


@pytest.mark.parametrize("how", ["raises", "hangs"])
async def test_slack_slash_command_is_acknowledged_at_once_then_gets_an_apology(
    fake_slack: FakeSlack, engine: Engine, release: threading.Event, how: str
) -> None:
    """`/401k` is acked within Slack's 3 seconds whatever the engine does; then an apology."""
    slack = production_slack(fake_slack, broken(engine, how, release), ANSWER_SECONDS)

    started = time.monotonic()
    response = await slack.command("/401k", "what is a mega backdoor Roth?")
    acked = time.monotonic() - started

    assert response.status == 200
    assert acked < DEADLINE
    [apology] = await fake_slack.arrived("respond", timeout=ANSWER_SECONDS + DEADLINE)
    assert apology.body["response_type"] == "ephemeral"
    assert_apology(apology)


@pytest.mark.parametrize("how", ["raises", "hangs"])
async def test_slack_mention_is_acknowledged_at_once_then_gets_an_apology_in_its_thread(
    fake_slack: FakeSlack, engine: Engine, release: threading.Event, how: str
) -> None:
    """An @mention's event is acked at once; the apology goes to the mention's thread."""
    slack = production_slack(fake_slack, broken(engine, how, release), 0.3)
    data = slack.requests.event_payload("app_mention", "EvFail1")

    started = time.monotonic()
    response = await slack.event(data)

    assert response.status == 200
    assert time.monotonic() - started < DEADLINE
    [apology] = await fake_slack.arrived("chat.postMessage")
    assert apology.body["thread_ts"] == data["event"]["ts"]
    assert_apology(apology)


@pytest.mark.parametrize("how", ["raises", "hangs"])
async def test_slack_form_submission_closes_at_once_then_gets_an_apology(
    fake_slack: FakeSlack, engine: Engine, release: threading.Event, how: str
) -> None:
    """A valid form closes within 3 seconds; the submitter alone then sees the apology."""
    slack = production_slack(fake_slack, broken(engine, how, release), 0.3)
    data = slack.requests.payload("view_submission")
    data["view"]["state"]["values"] = {
        "deferrals": {"deferrals": {"type": "plain_text_input", "value": "24500"}},
        "employer": {"employer": {"type": "plain_text_input", "value": "10000"}},
    }

    started = time.monotonic()
    response = await slack.interaction(data)

    assert response.status == 200
    assert not response.body, "the form closes"
    assert time.monotonic() - started < DEADLINE
    [apology] = await fake_slack.arrived("chat.postEphemeral")
    assert apology.body["user"] == "U0PERSON"
    assert_apology(apology)


@pytest.mark.parametrize("how", ["raises", "hangs"])
async def test_slack_topic_button_is_acknowledged_at_once_then_gets_an_apology(
    fake_slack: FakeSlack, engine: Engine, release: threading.Event, how: str
) -> None:
    """A click on a related topic is acked at once, and answered with an apology."""
    slack = production_slack(fake_slack, broken(engine, how, release), 0.3)

    started = time.monotonic()
    response = await slack.interaction(slack.requests.payload("block_actions"))

    assert response.status == 200
    assert time.monotonic() - started < DEADLINE
    [apology] = await fake_slack.arrived("chat.postMessage")
    assert_apology(apology)


@pytest.mark.parametrize("how", ["raises", "hangs"])
async def test_discord_command_is_answered_within_the_interaction_deadline(
    discord_bot_with: Any, engine: Engine, release: threading.Event, how: str
) -> None:
    """`/401k` gets its one response within 3 seconds: an apology carrying the disclosure."""
    bot = await discord_bot_with(broken(engine, how, release))

    started = time.monotonic()
    bot.interact(bot.payload("ask"))
    [response] = await bot.fake.wait_for("POST", CALLBACK, timeout=DEADLINE + 1)

    assert time.monotonic() - started < DEADLINE
    shown = "\n".join(discord_texts(response.body))
    assert "Sorry, something went wrong" in shown
    assert DEFAULT_DISCLOSURE in shown
    assert response.body["data"]["flags"] & 64, "only the asker sees it"


@pytest.mark.parametrize("how", ["raises", "hangs"])
async def test_discord_calculator_and_button_get_an_apology_in_time(
    discord_bot_with: Any, engine: Engine, release: threading.Event, how: str
) -> None:
    """`/aftertaxroom` and a topic button are answered in time too, whatever the engine does."""
    bot = await discord_bot_with(broken(engine, how, release))
    bot.bot.answers.answer_seconds = 0.3

    bot.interact(bot.command("aftertaxroom", deferrals=24500, employer=10000))
    bot.interact(bot.payload("button"))
    responses = await bot.fake.wait_for("POST", CALLBACK, count=2, timeout=DEADLINE)

    for response in responses:
        shown = "\n".join(discord_texts(response.body))
        assert "Sorry, something went wrong" in shown
        assert DEFAULT_DISCLOSURE in shown


@pytest.mark.parametrize("how", ["raises", "hangs"])
async def test_discord_dm_gets_an_apology(
    discord_bot_with: Any, engine: Engine, release: threading.Event, how: str
) -> None:
    """A DM the engine cannot answer gets an apology in the DM, not silence."""
    bot = await discord_bot_with(broken(engine, how, release))
    bot.bot.answers.answer_seconds = 0.3
    dm = bot.payload("dm")

    bot.message(dm)
    [reply] = await bot.fake.wait_for("POST", rf"channels/{dm['channel_id']}/messages")

    shown = "\n".join(discord_texts(reply.body))
    assert "Sorry, something went wrong" in shown
    assert DEFAULT_DISCLOSURE in shown
