"""Abuse: floods meet a per-user limit, broadcasts get no answer, mentions never come back live.

Nothing a person typed, and no token, reaches the logs at INFO or an error reply.
"""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import Callable
from typing import Any

import pytest

from bot.cooldown import Cooldown
from bot.disclosure import DEFAULT_DISCLOSURE
from bot.engine import Engine
from bot.settings import SettingsError, load_settings
from bot.slack.answering import Answerer, answerer_for
from bot.slack.dedupe import SeenEvents
from bot.store.memory import MemoryStore
from tests.fakes.discord import TOKEN as DISCORD_TOKEN
from tests.fakes.slack import BOT_TOKEN, SECRET, TODAY, Driver, FakeSlack, make_driver
from tests.hardening.surfaces import (
    DISCORD_ACTIVE,
    DISCORD_SEQUENCES,
    SLACK_ACTIVE,
    SLACK_SEQUENCES,
    discord_texts,
    pings_nobody,
    raising,
    slack_active,
    slack_texts,
)

SLACK_DISCLOSURE = DEFAULT_DISCLOSURE.replace("&", "&amp;")
BOT_MENTION = "<@1100000000000000002>"
TYPED = "my-secret-salary-987654"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def limited(fake: FakeSlack, engine: Engine, clock: Clock, rate: int = 2) -> Driver:
    """The Slack app with a limit of `rate` questions a minute per person."""
    state = Answerer(
        engine=engine,
        today=lambda: TODAY,
        seen=SeenEvents(),
        cooldown=Cooldown(rate, 60.0, MemoryStore(clock=clock)),
    )
    return make_driver(fake, state)


def submission(slack: Driver, **values: str) -> dict[str, Any]:
    data = slack.requests.payload("view_submission")
    data["view"]["state"]["values"] = {
        name: {name: {"type": "plain_text_input", "value": value}} for name, value in values.items()
    }
    return dict(data)


# Per-user limit on Slack


async def test_slack_commands_past_the_limit_get_a_private_notice(
    fake_slack: FakeSlack, engine: Engine
) -> None:
    """The third `/aftertaxroom` in a minute is told, privately, when to ask again."""
    clock = Clock()
    slack = limited(fake_slack, engine, clock)

    for _ in range(3):
        clock.now += 1
        await slack.command("/aftertaxroom", "24500 10000")

    first, second, third = fake_slack.to("respond")
    assert "$37,500" in first.shown
    assert "$37,500" in second.shown
    assert third.body["response_type"] == "ephemeral"
    assert "Try again in 58 seconds" in third.shown
    assert "$37,500" not in third.shown
    assert SLACK_DISCLOSURE in third.small_print


async def test_slack_limit_is_per_person_and_passes(fake_slack: FakeSlack, engine: Engine) -> None:
    """Someone else is answered meanwhile, and the first person again once the minute passed."""
    clock = Clock()
    slack = limited(fake_slack, engine, clock, rate=1)
    await slack.command("/aftertaxroom", "24500 10000")
    await slack.command("/aftertaxroom", "24500 10000")

    await slack.command("/aftertaxroom", "24500 10000", user_id="U0OTHER")
    clock.now += 60
    await slack.command("/aftertaxroom", "24500 10000")

    answered = ["$37,500" in call.shown for call in fake_slack.to("respond")]
    assert answered == [True, False, True, True]


async def test_slack_mentions_past_the_limit_get_one_private_notice(
    fake_slack: FakeSlack, engine: Engine
) -> None:
    """A flood of mentions: two answers, one notice only the flooder sees, then quiet."""
    slack = limited(fake_slack, engine, Clock())

    for i in range(5):
        await slack.event(slack.requests.event_payload("app_mention", f"EvFlood{i}"))

    assert len(fake_slack.to("chat.postMessage")) == 2
    [notice] = fake_slack.to("chat.postEphemeral")
    assert notice.body["user"] == "U0PERSON"
    assert notice.body["channel"] == "C0GENERAL"
    assert notice.body["thread_ts"] == "1764280000.000100"
    assert "Try again in" in notice.shown
    assert SLACK_DISCLOSURE in notice.small_print


async def test_slack_dms_past_the_limit_get_one_notice_in_the_dm(
    fake_slack: FakeSlack, engine: Engine
) -> None:
    """A flood of DMs: two answers, one notice in the DM, then quiet."""
    slack = limited(fake_slack, engine, Clock())

    for i in range(5):
        await slack.event(slack.requests.event_payload("message_im", f"EvDm{i}"))

    posted = fake_slack.to("chat.postMessage")
    assert len(posted) == 3
    assert ["Try again in" in call.shown for call in posted] == [False, False, True]
    assert all(call.body["channel"] == "D0PERSON" for call in posted)


async def test_slack_form_and_button_past_the_limit_get_a_private_notice(
    fake_slack: FakeSlack, engine: Engine
) -> None:
    """Past the limit, a form submission and a topic click are told privately to wait."""
    slack = limited(fake_slack, engine, Clock(), rate=1)
    await slack.command("/401k", "what is a mega backdoor Roth?")

    response = await slack.interaction(submission(slack, deferrals="24500", employer="10000"))
    await slack.interaction(slack.requests.payload("block_actions"))

    assert not response.body, "the form closes"
    [form_notice] = fake_slack.to("chat.postEphemeral")
    button_notice = fake_slack.to("respond")[-1]
    for notice in (form_notice, button_notice):
        assert "Try again in" in notice.shown
        assert SLACK_DISCLOSURE in notice.small_print
    assert button_notice.body["response_type"] == "ephemeral"
    assert not fake_slack.to("chat.postMessage")


def test_slack_limit_comes_from_its_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """SLACK_RATE_LIMIT_QUESTIONS and _SECONDS set the limit; 5 per 10 seconds by default."""
    monkeypatch.delenv("SLACK_RATE_LIMIT_QUESTIONS", raising=False)
    monkeypatch.delenv("SLACK_RATE_LIMIT_SECONDS", raising=False)
    default = answerer_for(load_settings()).cooldown
    monkeypatch.setenv("SLACK_RATE_LIMIT_QUESTIONS", "2")
    monkeypatch.setenv("SLACK_RATE_LIMIT_SECONDS", "30")
    configured = answerer_for(load_settings()).cooldown

    assert (default.rate, default.per) == (5, 10.0)
    assert (configured.rate, configured.per) == (2, 30.0)


@pytest.mark.parametrize(
    ("name", "value"), [("SLACK_RATE_LIMIT_QUESTIONS", "0"), ("SLACK_RATE_LIMIT_SECONDS", "-1")]
)
def test_a_bad_slack_limit_is_a_settings_error_naming_it(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    """A limit that cannot work stops start-up with one line naming the variable."""
    monkeypatch.setenv(name, value)

    with pytest.raises(SettingsError, match=name):
        load_settings()


# Broadcasts


@pytest.mark.parametrize("broadcast", ["<!here>", "<!channel>", "<!everyone>"])
async def test_slack_dm_holding_a_broadcast_is_not_answered(slack: Driver, broadcast: str) -> None:
    """A message that broadcasts is not a question to the bot, even in a DM."""
    text = f"{broadcast} what is the 401k limit?"

    await slack.event(slack.requests.event_payload("message_im", "EvBroadcast", text=text))

    assert not slack.fake.posts()


async def test_discord_broadcast_that_also_names_the_bot_is_not_answered(discord_bot: Any) -> None:
    """@everyone (with the right to ping everyone) naming the bot as well gets no answer."""
    message = discord_bot.payload(
        "mention",
        content=f"@everyone {BOT_MENTION} what's the 401k limit?",
        mention_everyone=True,
    )

    discord_bot.message(message)
    await discord_bot.settle()

    assert discord_bot.fake.replies() == []


# Mentions never come back live


@pytest.mark.parametrize("sequence", SLACK_SEQUENCES)
async def test_no_slack_mention_survives_in_what_the_bot_sends(
    fake_slack: FakeSlack, engine: Engine, sequence: str
) -> None:
    """Mentions, broadcasts and channel links typed anywhere come back, if at all, as plain text."""
    slack = limited(fake_slack, engine, Clock(), rate=1000)
    said = f"{sequence} how much after-tax room if I defer 24500 {sequence}"
    await slack.event(slack.requests.event_payload("app_mention", "EvM1", text=f"<@U0BOT> {said}"))
    await slack.event(slack.requests.event_payload("message_im", "EvM2", text=said))
    await slack.command("/401k", said)
    await slack.command("/aftertaxroom", f"deferrals={sequence} employer=10000")
    await slack.command("/aftertaxroom", f"{sequence} 24500 10000")
    form_errors = await slack.interaction(
        submission(slack, deferrals=sequence, employer=sequence, age=sequence, match=sequence)
    )
    await slack.interaction(
        submission(slack, deferrals="24500", salary="100000", match=f"50% up to 6% {sequence}")
    )
    click = slack.requests.payload("block_actions")
    click["actions"][0].update(action_id=f"topic:{sequence}", value=f"{sequence}@2026")
    await slack.interaction(click)

    sent = slack.fake.posts()
    assert len(sent) >= 4
    assert not any("Try again in" in call.shown for call in sent)
    assert [text for call in sent for text in slack_active(call)] == []
    assert not SLACK_ACTIVE.search(json.dumps(json.loads(form_errors.body)["errors"]))
    echoed = "\n".join(text for call in sent for text in slack_texts(call.body))
    assert "is not an amount" in echoed, "the typed option was quoted back, harmlessly"


@pytest.mark.parametrize("sequence", DISCORD_SEQUENCES)
async def test_no_discord_mention_survives_in_what_the_bot_sends(
    discord_bot_with: Any, engine: Engine, sequence: str
) -> None:
    """Mentions typed in any option or message never ping, and are never repeated back."""
    discord_bot = await discord_bot_with(engine, discord_cooldown_questions=1000)
    said = f"{sequence} what is a mega backdoor Roth? {sequence}"
    discord_bot.interact(discord_bot.command("ask", question=said))
    discord_bot.interact(
        discord_bot.command("aftertaxroom", deferrals=24500, salary=90000, match=sequence)
    )
    discord_bot.interact(
        discord_bot.command("aftertaxroom", deferrals=24500, employer=0, pay_frequency=sequence)
    )
    autocomplete = discord_bot.payload("ask_autocomplete")
    autocomplete["data"]["options"][0]["value"] = sequence
    discord_bot.interact(autocomplete)
    discord_bot.message(discord_bot.payload("dm", content=said))
    discord_bot.message(discord_bot.payload("mention", content=f"{BOT_MENTION} {said}"))

    await discord_bot.fake.wait_for("POST", r"interactions/\d+/[^/]+/callback", count=4)
    await discord_bot.fake.wait_for("POST", r"channels/\d+/messages", count=2)
    await discord_bot.settle(0.05)
    sent = discord_bot.fake.replies()
    assert len(sent) == 6
    for reply in sent:
        if reply.body.get("type") != 8:  # autocomplete choices are not a message
            assert pings_nobody(reply.body), reply.body
        for text in discord_texts(reply.body):
            assert not DISCORD_ACTIVE.search(text), text
    shown = "\n".join(text for reply in sent for text in discord_texts(reply.body))
    for form in (sequence, sequence[:2] + "\u200b", "\u200b" + sequence[1:4]):
        assert form not in shown, "a typed option was quoted back"


# Nothing typed, and no token, in the logs or error replies


def logged(caplog: pytest.LogCaptureFixture) -> str:
    """Everything the captured records would print, tracebacks and structured fields included."""
    lines = []
    for record in caplog.records:
        lines.append(record.getMessage())
        lines.append(json.dumps(getattr(record, "fields", {}), default=str))
        if record.exc_info and record.exc_info[1] is not None:
            lines += traceback.format_exception(record.exc_info[1])
    return "\n".join(lines)


async def test_slack_logs_at_info_hold_no_message_text_or_token(
    fake_slack: FakeSlack,
    engine: Engine,
    slack_with: Callable[[Engine], Driver],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Answers, bad input, a failing engine and a refused post leave no typed text in the logs."""
    caplog.set_level(logging.INFO)
    slack = slack_with(engine)
    await slack.event(slack.requests.event_payload("message_im", "EvLog1", text=TYPED))
    await slack.command("/401k", f"what is {TYPED}?")
    await slack.command("/aftertaxroom", f"deferrals={TYPED} employer=10000")
    await slack.interaction(submission(slack, deferrals="24500", salary="1", match=TYPED))
    fake_slack.errors["chat.postMessage"] = "channel_not_found"
    await slack.event(slack.requests.event_payload("message_im", "EvLog2", text=TYPED))
    del fake_slack.errors["chat.postMessage"]
    failing = slack_with(raising(engine))
    await failing.event(failing.requests.event_payload("app_mention", "EvLog3", text=TYPED))

    apology = fake_slack.to("chat.postMessage")[-1]
    assert "Sorry, something went wrong" in apology.shown
    assert TYPED not in apology.shown
    assert any(r.levelno >= logging.ERROR for r in caplog.records), "failures were logged"
    text = logged(caplog)
    for secret in (TYPED, "987654", BOT_TOKEN, SECRET):
        assert secret not in text


async def test_discord_logs_at_info_hold_no_message_text_or_token(
    discord_bot_with: Any, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    """Answers and a failing engine leave no typed text or token in the logs or the apology."""
    caplog.set_level(logging.INFO)
    bot = await discord_bot_with(engine)
    bot.interact(bot.command("ask", question=f"what is {TYPED}?"))
    bot.message(bot.payload("dm", content=TYPED))
    failing = await discord_bot_with(raising(engine))
    failing.interact(failing.command("ask", question=TYPED))

    await bot.fake.wait_for("POST", r"interactions/\d+/[^/]+/callback", count=2)
    await bot.fake.wait_for("POST", r"channels/\d+/messages")
    await bot.settle(0.05)
    await failing.settle(0.05)

    shown = "\n".join(text for reply in bot.fake.replies() for text in discord_texts(reply.body))
    assert "Sorry, something went wrong" in shown
    assert TYPED not in shown
    text = logged(caplog)
    for secret in (TYPED, "987654", DISCORD_TOKEN, "token-1300000000000000002"):
        assert secret not in text
