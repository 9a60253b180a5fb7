"""Feedback buttons and "Ask the benefits team" on Slack, clicked through the real app."""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa

from bot.feedback.curation import Curation
from bot.feedback.database import Database
from bot.feedback.recorder import Recorder
from bot.feedback.records import Policy
from bot.feedback.schema import feedback
from bot.render.slack import THANKS
from bot.slack.answering import Answerer
from tests.fakes.slack import Driver, FakeSlack, answerer, make_driver

EXPERTS = "C0EXPERTS"
OFF_TOPIC = "can I borrow from my 401k to buy a boat?"


def rows(database: Database) -> list[Any]:
    with database.engine.connect() as connection:
        return list(connection.execute(sa.select(feedback).order_by(feedback.c.id)))


def driver(
    fake: FakeSlack, database: Database, expert: str | None = None
) -> tuple[Driver, Answerer]:
    state = answerer()
    state.curation = Curation(Policy(), Recorder(database))
    state.curation.start()
    state.expert_channel = expert
    return make_driver(fake, state), state


def buttons(blocks: list[dict[str, Any]], block_id: str) -> list[dict[str, Any]]:
    return [e for b in blocks if b.get("block_id") == block_id for e in b["elements"]]


def click(slack: Driver, posted: dict[str, Any], action_id: str) -> dict[str, Any]:
    """A block_actions payload for the button `action_id` on the posted message."""
    data = slack.requests.payload("block_actions")
    [button] = [
        e
        for b in posted["blocks"]
        for e in b.get("elements", [])
        if e.get("action_id") == action_id
    ]
    data["message"] = {**data["message"], "text": posted["text"], "blocks": posted["blocks"]}
    data["actions"] = [{**button, "block_id": "feedback", "action_ts": "1764280310.000500"}]
    return data


def submitted(slack: Driver, view: dict[str, Any], values: dict[str, str]) -> dict[str, Any]:
    data = slack.requests.payload("view_submission")
    data["view"] = {
        **data["view"],
        "callback_id": view["callback_id"],
        "private_metadata": view["private_metadata"],
        "state": {
            "values": {k: {k: {"type": "plain_text_input", "value": v}} for k, v in values.items()}
        },
    }
    return data


async def mention(slack: Driver, text: str) -> dict[str, Any]:
    """Ask with an @mention; the reply posted in the thread."""
    data = slack.requests.event_payload(
        "app_mention", f"Ev{abs(hash(text))}", text=f"<@U0BOT> {text}"
    )
    await slack.event(data)
    return slack.fake.to("chat.postMessage")[-1].body


async def test_articles_and_calculations_carry_the_buttons_fallbacks_do_not(
    fake_slack: FakeSlack, sqlite_database: Database
) -> None:
    """An article and a calculation get "Helpful" / "Not helpful"; a fallback gets neither."""
    slack, _ = driver(fake_slack, sqlite_database)
    article = await mention(slack, "what is a mega backdoor Roth?")
    calculation = await mention(
        slack, "I defer 24,500 and my employer adds 10,000, after-tax room?"
    )
    miss = await mention(slack, OFF_TOPIC)
    for message in (article, calculation):
        labels = [b["text"]["text"] for b in buttons(message["blocks"], "feedback")]
        assert labels == ["Helpful", "Not helpful"]
    assert buttons(miss["blocks"], "feedback") == []
    assert buttons(miss["blocks"], "expert") == []


async def test_helpful_is_recorded_and_the_buttons_become_thanks(
    fake_slack: FakeSlack, sqlite_database: Database
) -> None:
    """A click on "Helpful" stores it for that topic and replaces the buttons, nothing else."""
    slack, state = driver(fake_slack, sqlite_database)
    posted = await mention(slack, "what is a mega backdoor Roth?")
    await slack.interaction(click(slack, posted, "feedback:helpful"))
    await state.curation.close()

    [update] = fake_slack.to("respond")
    assert update.body["replace_original"] is True
    assert buttons(update.body["blocks"], "feedback") == [{"type": "mrkdwn", "text": THANKS}]
    assert [b.get("block_id") for b in update.body["blocks"]] == [
        b.get("block_id") for b in posted["blocks"]
    ]
    [row] = rows(sqlite_database)
    assert (row.surface, row.kind, row.topic, row.helpful) == (
        "slack", "article", "mega-backdoor-roth", True,
    )  # fmt: skip
    assert not fake_slack.to("views.open")


async def test_not_helpful_asks_why_and_records_the_reason_redacted(
    fake_slack: FakeSlack, sqlite_database: Database
) -> None:
    """ "Not helpful" opens the optional reason form; its Send stores the click once, with
    the reason redacted; the buttons become thanks with "Ask the benefits team"."""
    slack, state = driver(fake_slack, sqlite_database, expert=EXPERTS)
    posted = await mention(slack, "I defer 24,500 and my employer adds 10,000, after-tax room?")
    await slack.interaction(click(slack, posted, "feedback:not-helpful"))
    [opened] = fake_slack.to("views.open")
    view = (
        json.loads(opened.body["view"])
        if isinstance(opened.body["view"], str)
        else opened.body["view"]
    )
    assert view["callback_id"] == "feedback_reason"
    assert rows(sqlite_database) == []
    [update] = fake_slack.to("respond")
    assert buttons(update.body["blocks"], "feedback") == [{"type": "mrkdwn", "text": THANKS}]
    assert [b["text"]["text"] for b in buttons(update.body["blocks"], "expert")] == [
        "Ask the benefits team"
    ]

    await slack.interaction(
        submitted(slack, view, {"reason": "my plan caps after-tax at 10%, call 415-555-0100"})
    )
    await state.curation.close()
    [row] = rows(sqlite_database)
    assert (row.kind, row.topic, row.helpful) == ("calculation", "after-tax-room", False)
    assert row.reason == "my plan caps after-tax at #%, call"


async def test_skipping_the_reason_still_records_not_helpful(
    fake_slack: FakeSlack, sqlite_database: Database
) -> None:
    """Closing the reason form records "Not helpful" without a reason."""
    slack, state = driver(fake_slack, sqlite_database)
    posted = await mention(slack, "what is a mega backdoor Roth?")
    await slack.interaction(click(slack, posted, "feedback:not-helpful"))
    [opened] = fake_slack.to("views.open")
    view = opened.body["view"]
    view = json.loads(view) if isinstance(view, str) else view
    closed = {**submitted(slack, view, {}), "type": "view_closed", "is_cleared": False}
    await slack.interaction(closed)
    await state.curation.close()
    [row] = rows(sqlite_database)
    assert (row.helpful, row.reason) == (False, None)
    [update] = fake_slack.to("respond")
    assert buttons(update.body["blocks"], "expert") == []


async def test_an_ephemeral_reply_is_thanked_privately(
    fake_slack: FakeSlack, sqlite_database: Database
) -> None:
    """Slack sends no blocks back for an ephemeral reply: the thanks comes as a private line."""
    slack, state = driver(fake_slack, sqlite_database)
    await slack.command("/401k", "what is a mega backdoor Roth?")
    [answer] = fake_slack.to("respond")
    data = click(slack, answer.body, "feedback:helpful")
    data.pop("message")
    data["container"] = {**data["container"], "is_ephemeral": True}
    await slack.interaction(data)
    await state.curation.close()
    thanks = fake_slack.to("respond")[-1]
    assert thanks.body["text"] == THANKS
    assert thanks.body["replace_original"] is False
    assert len(rows(sqlite_database)) == 1


async def test_ask_the_benefits_team_posts_only_what_was_confirmed(
    fake_slack: FakeSlack, sqlite_database: Database
) -> None:
    """A fallback offers the team; the form shows the question as it will be sent; only its
    Send posts it to SLACK_EXPERT_CHANNEL, edited as confirmed, with a link to the thread
    and no ping."""
    slack, state = driver(fake_slack, sqlite_database, expert=EXPERTS)
    posted = await mention(slack, OFF_TOPIC)
    assert [b["text"]["text"] for b in buttons(posted["blocks"], "expert")] == [
        "Ask the benefits team"
    ]
    data = click(slack, posted, "expert:ask")
    await slack.interaction(data)
    [opened] = fake_slack.to("views.open")
    view = opened.body["view"]
    view = json.loads(view) if isinstance(view, str) else view
    field = view["blocks"][0]["element"]
    assert field["initial_value"] == OFF_TOPIC
    assert f"<#{EXPERTS}>" in json.dumps(view["blocks"][1])
    assert [c for c in fake_slack.to("chat.postMessage") if c.body.get("channel") == EXPERTS] == []

    edited = "Can I borrow from my 401(k) to buy a boat? @here <!channel>"
    await slack.interaction(submitted(slack, view, {"question": edited}))
    [sent] = [c for c in fake_slack.to("chat.postMessage") if c.body.get("channel") == EXPERTS]
    text = sent.body["text"]
    assert "Can I borrow from my 401(k) to buy a boat?" in text
    assert "<!channel>" not in text
    assert "&lt;!channel&gt;" in text
    assert "https://example.slack.com/archives/C0GENERAL/p" in text
    assert "<@" not in text
    await state.curation.close()


async def test_no_expert_button_without_an_expert_channel(
    fake_slack: FakeSlack, sqlite_database: Database
) -> None:
    """Without SLACK_EXPERT_CHANNEL nothing offers to send a question anywhere."""
    slack, state = driver(fake_slack, sqlite_database)
    posted = await mention(slack, OFF_TOPIC)
    assert buttons(posted["blocks"], "expert") == []
    await state.curation.close()


async def test_an_apology_is_neither_recorded_nor_sent_to_the_team(
    fake_slack: FakeSlack, sqlite_database: Database
) -> None:
    """When answering fails, the apology goes out without buttons and nothing is recorded."""
    from bot.engine import default_engine
    from tests.hardening.surfaces import raising

    state = answerer(raising(default_engine()))
    state.curation = Curation(Policy(), Recorder(sqlite_database))
    state.curation.start()
    state.expert_channel = EXPERTS
    slack = make_driver(fake_slack, state)
    await slack.command("/401k", OFF_TOPIC)
    await state.curation.close()
    [reply] = fake_slack.to("respond")
    assert "Sorry, something went wrong" in reply.shown
    assert buttons(reply.body["blocks"], "expert") == []
    with sqlite_database.engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM answers")).scalar() == 0
