"""The Slack app driven through the real AsyncApp with signed requests, against a fake Slack."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from bot.conversation import ConversationState
from bot.disclosure import DEFAULT_DISCLOSURE
from bot.engine import Engine, Turn, default_engine
from bot.knowledge import CATALOG, load_articles, render_article
from bot.render.slack import escape
from bot.reply import Question
from bot.slack.modal import FIELDS
from calc.limits import load_limits


def _ephemeral(call: Any) -> None:
    assert call.body["response_type"] == "ephemeral"


async def test_slash_command_with_numbers_replies_ephemerally_with_the_room(slack: Any) -> None:
    """`/aftertaxroom 24500 10000` shows only the asker $72,000 − $24,500 − $10,000 = $37,500."""
    response = await slack.command("/aftertaxroom", "24500 10000")

    assert response.status == 200
    [reply] = slack.fake.to("respond")
    _ephemeral(reply)
    assert "$37,500" in reply.shown
    assert "$37,500" in reply.body["text"]
    assert DEFAULT_DISCLOSURE.replace("&", "&amp;") in reply.small_print
    assert "Tax year 2026" in reply.small_print
    assert not slack.fake.to("chat.postMessage")


async def test_slash_command_names_match_case_insensitively(slack: Any) -> None:
    """`/AfterTaxRoom` is answered like `/aftertaxroom`."""
    response = await slack.command("/AfterTaxRoom", "deferrals=24500 employer=10000")

    assert response.status == 200
    [reply] = slack.fake.to("respond")
    assert "$37,500" in reply.shown


async def test_public_word_sends_the_answer_to_the_channel(slack: Any) -> None:
    """Amounts stay private unless the asker adds `public`."""
    await slack.command("/aftertaxroom", "public 24500 10000")

    [reply] = slack.fake.to("respond")
    assert reply.body["response_type"] == "in_channel"
    assert "$37,500" in reply.shown
    assert "public" not in reply.body["text"].lower().split()


async def test_slash_command_with_a_question_answers_from_the_articles(slack: Any) -> None:
    """`/401k what is a mega backdoor Roth?` answers with that article, ephemerally."""
    await slack.command("/401k", "what is a mega backdoor Roth?")

    [reply] = slack.fake.to("respond")
    _ephemeral(reply)
    assert "mega backdoor" in reply.shown.lower()
    assert "irs.gov" in reply.small_print
    assert DEFAULT_DISCLOSURE.replace("&", "&amp;") in reply.small_print


@pytest.mark.parametrize(("command", "example"), [("/401k", "/401k"), ("/aftertaxroom", "24500")])
async def test_help_shows_usage_with_examples(slack: Any, command: str, example: str) -> None:
    """`help` as the argument shows how to use the command, with examples."""
    await slack.command(command, "help")

    [reply] = slack.fake.to("respond")
    _ephemeral(reply)
    assert f"How to use {command}" in reply.shown
    assert example in reply.shown
    assert DEFAULT_DISCLOSURE.replace("&", "&amp;") in reply.small_print


async def test_slash_401k_without_a_question_shows_usage(slack: Any) -> None:
    """`/401k` alone explains how to ask rather than guessing."""
    await slack.command("/401k", "")

    [reply] = slack.fake.to("respond")
    assert "How to use /401k" in reply.shown


async def test_aftertaxroom_without_arguments_opens_the_form(slack: Any) -> None:
    """`/aftertaxroom` alone opens a modal with every input, answering nothing yet."""
    response = await slack.command("/aftertaxroom", "")

    assert response.status == 200
    [opened] = slack.fake.to("views.open")
    assert opened.body["trigger_id"] == slack.requests.payload("slash_command")["trigger_id"]
    view = opened.body["view"]
    assert view["type"] == "modal"
    assert [b["block_id"] for b in view["blocks"] if b["type"] == "input"] == list(FIELDS)
    assert json.loads(view["private_metadata"]) == {"channel_id": "C0GENERAL"}
    assert not slack.fake.to("respond")


def _submission(slack: Any, **values: str) -> dict[str, Any]:
    data = slack.requests.payload("view_submission")
    state: dict[str, Any] = {}
    for name, value in values.items():
        if name == "year":
            element = {"type": "static_select", "selected_option": {"value": value}}
        else:
            element = {"type": "plain_text_input", "value": value}
        state[name] = {name: element}
    data["view"]["state"]["values"] = state
    return data


async def test_form_submission_shows_the_calculation_to_the_submitter(slack: Any) -> None:
    """A valid form closes and the submitter alone sees the room, in the channel it came from."""
    data = _submission(slack, deferrals="$24,500", employer="10k", year="2026")

    response = await slack.interaction(data)

    assert response.status == 200
    assert not response.body
    [shown] = slack.fake.to("chat.postEphemeral")
    assert shown.body["channel"] == "C0GENERAL"
    assert shown.body["user"] == "U0PERSON"
    assert "$37,500" in shown.shown
    assert "Tax year 2026" in shown.small_print


async def test_form_uses_the_chosen_year_and_age(slack: Any) -> None:
    """2025 at age 52: $70,000 − $23,500 − $5,000; the catch-up is left out of the limit."""
    data = _submission(slack, deferrals="31000", employer="5000", age="52", year="2025")

    await slack.interaction(data)

    [shown] = slack.fake.to("chat.postEphemeral")
    assert "$41,500" in shown.shown
    assert "Tax year 2025" in shown.small_print


async def test_form_with_bad_input_reports_errors_on_the_fields(slack: Any) -> None:
    """Bad values come back on their fields, in the modal, and nothing is posted."""
    data = _submission(slack, deferrals="lots", employer="10000", age="200", match="whatever")

    response = await slack.interaction(data)

    assert response.status == 200
    body = json.loads(response.body)
    assert body["response_action"] == "errors"
    assert set(body["errors"]) == {"deferrals", "age", "match", "salary"}
    assert "24,500" in body["errors"]["deferrals"]
    assert "1 to 129" in body["errors"]["age"]
    assert not slack.fake.posts()


async def test_form_result_goes_to_a_dm_when_the_channel_refuses_it(slack: Any) -> None:
    """The bot is not in every channel: the submitter then gets the answer in a DM."""
    slack.fake.errors["chat.postEphemeral"] = "not_in_channel"
    data = _submission(slack, deferrals="24500", employer="10000")

    await slack.interaction(data)

    [dm] = slack.fake.to("chat.postMessage")
    assert dm.body["channel"] == "U0PERSON"
    assert "$37,500" in dm.shown


async def test_mention_in_a_channel_is_answered_in_its_thread(slack: Any) -> None:
    """An @mention gets its answer in the thread of the message that mentioned the bot."""
    data = slack.requests.event_payload("app_mention", "Ev1")

    response = await slack.event(data)

    assert response.status == 200
    [posted] = slack.fake.to("chat.postMessage")
    assert posted.body["channel"] == "C0GENERAL"
    assert posted.body["thread_ts"] == "1764280000.000100"
    assert posted.headers["Authorization"] == "Bearer xoxb-0001-test-token"
    assert "mega backdoor" in posted.shown.lower()
    assert posted.body["text"]
    assert DEFAULT_DISCLOSURE.replace("&", "&amp;") in posted.small_print


async def test_mention_inside_a_thread_stays_in_that_thread(slack: Any) -> None:
    """A mention in a thread is answered in the same thread, not a new one."""
    data = slack.requests.event_payload(
        "app_mention", "Ev2", ts="1764280050.000150", thread_ts="1764279000.000001"
    )

    await slack.event(data)

    [posted] = slack.fake.to("chat.postMessage")
    assert posted.body["thread_ts"] == "1764279000.000001"


async def test_direct_message_is_answered_in_the_dm(slack: Any) -> None:
    """A DM is answered in the DM, at the top level, with the numbers worked out."""
    data = slack.requests.event_payload("message_im", "Ev3")

    await slack.event(data)

    [posted] = slack.fake.to("chat.postMessage")
    assert posted.body["channel"] == "D0PERSON"
    assert "thread_ts" not in posted.body
    assert "$37,500" in posted.shown


async def test_direct_message_in_a_thread_is_answered_in_the_thread(slack: Any) -> None:
    """A DM reply inside a thread is answered in that thread."""
    data = slack.requests.event_payload("message_im", "Ev4", thread_ts="1764270000.000001")

    await slack.event(data)

    [posted] = slack.fake.to("chat.postMessage")
    assert posted.body["thread_ts"] == "1764270000.000001"


async def test_a_retried_event_is_answered_once(slack: Any) -> None:
    """Slack's retry of an event (same event_id, X-Slack-Retry-Num) gets no second answer."""
    data = slack.requests.event_payload("app_mention", "Ev5")

    first = await slack.event(data)
    again = await slack.event(data, **{"x-slack-retry-num": "1", "x-slack-retry-reason": "x"})

    assert (first.status, again.status) == (200, 200)
    assert len(slack.fake.to("chat.postMessage")) == 1


@pytest.mark.parametrize(
    ("name", "changes"),
    [
        ("message_im", {"user": "U0BOT", "bot_id": "B0BOT"}),
        ("message_im", {"user": "U0OTHER", "bot_id": "B0OTHER", "subtype": "bot_message"}),
        ("message_im", {"subtype": "message_changed"}),
        ("message_im", {"subtype": "message_deleted", "user": None}),
        ("app_mention", {"text": "<!channel> <@U0BOT> what is the 401k limit?"}),
        ("app_mention", {"text": "<!here|here> <@U0BOT> roth vs after-tax"}),
        ("app_mention", {"text": "<@U0BOT> <!everyone> mega backdoor roth"}),
    ],
    ids=["own", "other-bot", "edit", "deletion", "channel", "here", "everyone"],
)
async def test_messages_not_from_a_person_asking_are_ignored(
    slack: Any, name: str, changes: dict[str, Any]
) -> None:
    """The bot's own messages, other bots, edits, deletions and broadcasts get no answer."""
    data = slack.requests.event_payload(name, "Ev6", **changes)

    response = await slack.event(data)

    assert response.status == 200
    assert not slack.fake.posts()


async def test_related_topic_button_answers_in_the_thread(slack: Any) -> None:
    """Clicking a related topic under a threaded answer posts that topic in the thread."""
    data = slack.requests.payload("block_actions")

    response = await slack.interaction(data)

    assert response.status == 200
    [posted] = slack.fake.to("chat.postMessage")
    assert posted.body["channel"] == "C0GENERAL"
    assert posted.body["thread_ts"] == "1764280000.000100"
    assert "mega backdoor" in posted.shown.lower()
    assert DEFAULT_DISCLOSURE.replace("&", "&amp;") in posted.small_print


@pytest.mark.parametrize("topic", CATALOG)
async def test_every_topic_button_answers_with_its_article(slack: Any, topic: str) -> None:
    """Whatever topic a button names, the click shows that article and its disclosure."""
    data = slack.requests.payload("block_actions")
    data["actions"][0].update(action_id=f"topic:{topic}", value=f"{topic}@2026")

    await slack.interaction(data)

    [posted] = slack.fake.to("chat.postMessage")
    title = render_article(load_articles()[topic], load_limits().get(2026)).title
    assert posted.body["blocks"][0]["text"]["text"] == f"*{escape(title)}*"
    assert DEFAULT_DISCLOSURE.replace("&", "&amp;") in posted.small_print


async def test_topic_button_keeps_the_tax_year_of_the_answer_it_was_under(slack: Any) -> None:
    """A related topic under a 2025 answer shows the 2025 figures."""
    data = slack.requests.payload("block_actions")
    data["actions"][0].update(
        action_id="topic:contribution-limits", value="contribution-limits@2025"
    )

    await slack.interaction(data)

    [posted] = slack.fake.to("chat.postMessage")
    assert "$23,500" in posted.shown
    assert "Tax year 2025" in posted.small_print


async def test_answers_label_their_buttons_with_article_titles(slack: Any) -> None:
    """Related-topic buttons read as the articles' titles."""
    await slack.command("/401k", "what is a mega backdoor Roth?")

    [reply] = slack.fake.to("respond")
    [actions] = [b for b in reply.body["blocks"] if b["type"] == "actions"]
    articles = load_articles()
    limits = load_limits().get(2026)
    for button in actions["elements"]:
        topic = button["action_id"].removeprefix("topic:")
        title = render_article(articles[topic], limits).title
        assert button["text"]["text"] == (title if len(title) <= 65 else title[:64] + "…")


async def test_topic_button_on_an_ephemeral_answer_replies_ephemerally(slack: Any) -> None:
    """A button under a private answer answers privately, through the response URL."""
    data = slack.requests.payload("block_actions")
    data["container"]["is_ephemeral"] = True
    del data["message"]
    data["actions"][0].update(action_id="topic:roth-vs-after-tax", value="roth-vs-after-tax@2026")

    await slack.interaction(data)

    [reply] = slack.fake.to("respond")
    _ephemeral(reply)
    assert reply.body["replace_original"] is False
    assert "roth" in reply.shown.lower()
    assert not slack.fake.to("chat.postMessage")


async def test_app_home_shows_what_the_bot_does_and_this_years_limits(slack: Any) -> None:
    """App Home lists how to ask, the commands, and the 2026 limits with their source."""
    data = slack.requests.event_payload("app_home_opened", "Ev7")

    await slack.event(data)

    [published] = slack.fake.to("views.publish")
    assert published.body["user_id"] == "U0PERSON"
    view = published.body["view"]
    assert view["type"] == "home"
    shown = published.shown
    for expected in ("/aftertaxroom", "/401k", "$24,500", "$72,000", "$8,000", "$11,250"):
        assert expected in shown
    assert "Limits for 2026" in shown
    assert DEFAULT_DISCLOSURE.replace("&", "&amp;") in published.small_print


class BrokenEngine(Engine):
    """An engine that fails on every question, asked alone or in a conversation."""

    def converse(self, question: Question, state: ConversationState | None = None) -> Turn:
        raise RuntimeError("the matcher fell over")


async def test_failure_while_answering_still_sends_an_apology_with_the_disclosure(
    slack_with: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """An unexpected error becomes a short apology that carries the disclosure."""
    engine = default_engine()
    slack = slack_with(BrokenEngine(limits=engine.limits, disclosure=engine.disclosure))

    await slack.event(slack.requests.event_payload("app_mention", "Ev8"))

    [posted] = slack.fake.to("chat.postMessage")
    assert "Sorry" in posted.shown
    assert DEFAULT_DISCLOSURE.replace("&", "&amp;") in posted.small_print
    assert any(r.levelno == logging.ERROR for r in caplog.records)


async def test_one_log_line_per_answer_and_no_message_text(
    slack: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """Each answer logs one INFO line with surface and kind, never what the person typed."""
    caplog.set_level(logging.DEBUG)
    data = slack.requests.event_payload("message_im", "Ev9", text="my secret salary is 987654")

    await slack.event(data)
    await slack.command("/aftertaxroom", "24500 10000")

    answered = [r for r in caplog.records if r.getMessage() == "answered"]
    assert len(answered) == 2
    assert all(r.fields["surface"] == "slack" for r in answered)  # type: ignore[attr-defined]
    info = [r for r in caplog.records if r.levelno >= logging.INFO]
    for record in info:
        line = record.getMessage() + json.dumps(getattr(record, "fields", {}), default=str)
        assert "987654" not in line
        assert "xoxb-" not in line
