"""The Slack app in a company workspace: privacy, failures people are told of, shortcuts, Home.

Driven through the real AsyncApp with signed requests; the fake Slack answers some
calls with Slack's own failures (429 with Retry-After, 5xx, not_in_channel,
expired_trigger_id, a spent response_url).
"""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from bot.disclosure import DEFAULT_DISCLOSURE
from bot.slack.app import AUTHORIZE_ERROR, NOT_FOR_YOUR_TEAM
from bot.slack.delivery import RETRIES
from bot.slack.home import OPEN_FORM, SHOW_HELP, SHOW_LIMITS
from bot.slack.modal import CALLBACK_ID
from tests.fakes.slack import Answer, answerer, make_driver

DISCLOSURE = DEFAULT_DISCLOSURE.replace("&", "&amp;")
OTHER_SURFACES = ("Terminal", "401k-bot chat", "Discord", "401k-bot ask")


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]


def _public_button(slack: Any, channel: str) -> dict[str, Any]:
    """A click on a related topic under a `/401k public` answer in `channel`."""
    data = slack.requests.payload("block_actions")
    data["channel"] = {"id": channel, "name": "x"}
    data["container"]["channel_id"] = channel
    data["message"] = {"type": "message", "text": "…", "ts": "1764280300.000400"}
    return data


# 1. `public` only as a leading flag


async def test_public_elsewhere_in_the_text_keeps_the_numbers_private(slack: Any) -> None:
    """ "I work in the public sector, I defer 24500…" is answered only to the asker."""
    text = "I work in the public sector, I defer 24500, employer adds 10000"

    await slack.command("/aftertaxroom", text)

    [reply] = slack.fake.to("respond")
    assert reply.body["response_type"] == "ephemeral"
    assert "$37,500" in reply.shown


async def test_public_as_the_first_word_shows_the_answer_to_the_channel(slack: Any) -> None:
    await slack.command("/401k", "public what is a mega backdoor Roth?")

    [reply] = slack.fake.to("respond")
    assert reply.body["response_type"] == "in_channel"
    assert "mega backdoor" in reply.shown.lower()


async def test_public_with_nothing_after_it_shows_the_help_only_to_the_asker(slack: Any) -> None:
    await slack.command("/aftertaxroom", "public")

    [reply] = slack.fake.to("respond")
    assert reply.body["response_type"] == "ephemeral"
    assert "How to use /aftertaxroom" in reply.shown


# 2. Buttons work wherever the reply is


@pytest.mark.parametrize(
    ("channel", "code"),
    [("C0NOTMEMBER", "not_in_channel"), ("D0ALICEBOB", "channel_not_found")],
    ids=["channel-without-the-bot", "dm-between-people"],
)
async def test_a_button_where_the_bot_cannot_post_answers_through_the_response_url(
    slack: Any, caplog: pytest.LogCaptureFixture, channel: str, code: str
) -> None:
    """The refused post is logged with its method and code; the answer still arrives."""
    slack.fake.script("chat.postMessage", Answer.refused(code))

    response = await slack.interaction(_public_button(slack, channel))

    assert response.status == 200
    [reply] = slack.fake.to("respond")
    assert reply.body["response_type"] == "in_channel"
    assert reply.body["replace_original"] is False
    assert "mega backdoor" in reply.shown.lower()
    assert DISCLOSURE in reply.small_print
    assert f"chat.postMessage failed: {code}" in _warnings(caplog)


async def test_a_button_whose_response_url_expired_tells_the_clicker_to_ask_again(
    slack: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """Past 30 minutes a private answer's buttons cannot answer; the clicker is told so."""
    slack.fake.script("respond", Answer.expired_url())
    data = slack.requests.payload("block_actions")
    data["container"]["is_ephemeral"] = True
    del data["message"]

    await slack.interaction(data)

    [told] = slack.fake.to("chat.postEphemeral")
    assert told.body["user"] == "U0PERSON"
    assert "too old" in told.shown
    assert "/401k" in told.shown
    assert "response_url failed: expired_url" in _warnings(caplog)


# 3. Edited mentions are not answered twice


async def test_an_edited_mention_is_not_answered_again(slack: Any) -> None:
    """The edit re-sends app_mention with a new event_id; only the first version is answered."""
    await slack.event(slack.requests.event_payload("app_mention", "EvFirst"))
    edited = slack.requests.edited_mention("EvEdit", "<@U0BOT> what is a mega backdoor Roth??")

    response = await slack.event(edited)

    assert response.status == 200
    assert len(slack.fake.posts()) == 1


# 4. Every failure tells the person and the operator


async def test_an_expired_trigger_id_tells_the_asker_how_to_type_the_numbers(
    slack: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    slack.fake.script("views.open", Answer.refused("expired_trigger_id"))

    await slack.command("/aftertaxroom", "")

    [told] = slack.fake.to("respond")
    assert told.body["response_type"] == "ephemeral"
    assert "couldn't open the form" in told.shown
    assert "/aftertaxroom 24500 10000" in told.shown
    assert DISCLOSURE in told.small_print
    assert "views.open failed: expired_trigger_id" in _warnings(caplog)


@pytest.mark.parametrize(
    ("code", "advice"),
    [
        ("not_in_channel", "/invite @401k-bot"),
        ("channel_not_found", "/invite @401k-bot"),
        ("is_archived", "archived"),
    ],
)
async def test_a_refused_answer_to_a_mention_tells_the_asker_what_to_do(
    slack: Any, caplog: pytest.LogCaptureFixture, code: str, advice: str
) -> None:
    """The asker is told in private (in the channel if it can, else in a DM) what to do."""
    caplog.set_level(logging.DEBUG)
    slack.fake.script("chat.postMessage", Answer.refused(code))
    slack.fake.script("chat.postEphemeral", Answer.refused(code))
    data = slack.requests.event_payload(
        "app_mention", "EvRefused", text="<@U0BOT> my-private-words mega backdoor roth"
    )

    await slack.event(data)

    [answer, dm] = slack.fake.to("chat.postMessage")
    assert answer.body["channel"] == "C0GENERAL"
    assert dm.body["channel"] == "U0PERSON"
    assert advice in dm.shown
    assert f"chat.postMessage failed: {code}" in _warnings(caplog)
    assert f"chat.postEphemeral failed: {code}" in _warnings(caplog)
    assert not any("my-private-words" in r.getMessage() for r in caplog.records)


async def test_rate_limited_answers_are_reported_not_dropped(
    slack: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """When Slack keeps answering 429, the asker hears to ask again and the log says why."""
    slack.fake.script("chat.postMessage", *[Answer.rate_limited(retry_after=0)] * 5)

    await slack.event(slack.requests.event_payload("app_mention", "EvBusy"))

    [told] = slack.fake.to("chat.postEphemeral")
    assert told.body["user"] == "U0PERSON"
    assert "ask again" in told.shown
    assert "chat.postMessage failed: ratelimited" in _warnings(caplog)


async def test_a_rate_limited_answer_is_sent_again_after_retry_after(slack: Any) -> None:
    """One 429 on the post is waited out: the mention is answered, and nobody is told to retry."""
    slack.fake.script("chat.postMessage", Answer.rate_limited(retry_after=0))

    await slack.event(slack.requests.event_payload("app_mention", "EvOnce"))

    first, again = slack.fake.to("chat.postMessage")
    assert again.body == first.body
    assert "mega backdoor" in again.shown.lower()
    assert not slack.fake.to("chat.postEphemeral")


async def test_a_response_url_outage_is_retried_until_the_answer_arrives(slack: Any) -> None:
    """A 503 from the response_url is retried; the slash command's answer still arrives."""
    slack.fake.script("respond", Answer.server_error(503))

    await slack.command("/401k", "what is a mega backdoor Roth?")

    first, again = slack.fake.to("respond")
    assert again.body == first.body
    assert again.body["response_type"] == "ephemeral"
    assert "mega backdoor" in again.shown.lower()


async def test_a_slack_outage_on_the_home_tab_is_logged_with_its_status(
    slack: Any, caplog: pytest.LogCaptureFixture
) -> None:
    slack.fake.script("views.publish", *[Answer.server_error(503)] * 5)

    response = await slack.event(slack.requests.event_payload("app_home_opened", "EvDown"))

    assert response.status == 200
    assert any(w.startswith("views.publish failed: ") for w in _warnings(caplog))


async def test_a_failing_token_check_on_a_request_does_not_ask_to_reinstall(
    slack: Any,
) -> None:
    """A 5xx on bolt's own auth.test, past the retries, is answered with "try again"."""
    slack.fake.script("auth.test", *[Answer.server_error(503)] * (RETRIES + 1))

    response = await slack.command("/401k", "what is a mega backdoor Roth?")

    assert response.status == 200
    assert response.body == AUTHORIZE_ERROR
    assert "reinstall" not in response.body.lower()


# 6. Slack's own words


async def test_help_in_slack_speaks_of_slack_only(slack: Any) -> None:
    await slack.event(slack.requests.event_payload("app_mention", "EvHelp", text="<@U0BOT> help"))

    [posted] = slack.fake.to("chat.postMessage")
    for other in OTHER_SURFACES:
        assert other not in posted.shown
    for way in ("/401k", "/aftertaxroom", "Mention me", "Ask 401k-bot about this"):
        assert way in posted.shown


async def test_the_fallback_in_slack_leaves_topics_to_its_buttons(slack: Any) -> None:
    data = slack.requests.event_payload(
        "app_mention", "EvBread", text="<@U0BOT> how do I bake bread"
    )

    await slack.event(data)

    [posted] = slack.fake.to("chat.postMessage")
    assert "Not something I cover" in posted.shown
    assert "(`" not in posted.shown
    assert "/401k help" in posted.shown
    [actions] = [b for b in posted.body["blocks"] if b["type"] == "actions"]
    assert len(actions["elements"]) == 3
    for other in OTHER_SURFACES:
        assert other not in posted.shown


async def test_a_missing_number_offers_related_topics_not_a_choice(slack: Any) -> None:
    await slack.command("/aftertaxroom", "employer=10000")

    [reply] = slack.fake.to("respond")
    assert "A number is missing" in reply.shown
    assert "Which of these did you mean?" not in reply.shown
    assert "Related topics:" in reply.shown


async def test_a_choice_between_topics_asks_once_with_buttons(slack: Any) -> None:
    await slack.command("/401k", "roth or after-tax or backdoor")

    [reply] = slack.fake.to("respond")
    assert reply.in_blocks.count("Which of these did you mean?") == 1
    assert "(`" not in reply.shown
    [actions] = [b for b in reply.body["blocks"] if b["type"] == "actions"]
    assert len(actions["elements"]) == 2


async def test_the_help_example_for_the_limits_is_answered(slack: Any) -> None:
    """`/401k public what are the limits this year?` posts the year's limits to the channel."""
    await slack.command("/401k", "public what are the limits this year?")

    [reply] = slack.fake.to("respond")
    assert reply.body["response_type"] == "in_channel"
    assert "$24,500" in reply.shown
    assert "Not something I cover" not in reply.shown


async def test_a_question_outside_401k_stays_a_fallback_inside_slash_401k(slack: Any) -> None:
    await slack.command("/401k", "who won the game last night")

    [reply] = slack.fake.to("respond")
    assert "Not something I cover" in reply.shown


async def test_a_bare_mention_gets_a_short_ask_me_line(slack: Any) -> None:
    data = slack.requests.event_payload(
        "app_mention", "EvBare", text="<@U0BOT>", thread_ts="1764279000.000001"
    )

    await slack.event(data)

    [posted] = slack.fake.to("chat.postMessage")
    assert posted.body["thread_ts"] == "1764279000.000001"
    assert "Not something I cover" not in posted.shown
    assert "@401k-bot what is a mega backdoor Roth?" in posted.shown
    assert "Ask 401k-bot about this" in posted.shown
    assert DISCLOSURE in posted.small_print


# 7. Shortcuts and Home


async def test_the_message_shortcut_answers_that_message_to_the_person_who_used_it(
    slack: Any,
) -> None:
    data = slack.requests.payload("message_shortcut")

    response = await slack.interaction(data)

    assert response.status == 200
    [reply] = slack.fake.to("respond")
    assert reply.body["response_type"] == "ephemeral"
    assert "mega backdoor" in reply.shown.lower()
    assert DISCLOSURE in reply.small_print
    assert not slack.fake.to("chat.postMessage")


async def test_the_message_shortcut_on_a_message_without_text_says_so(slack: Any) -> None:
    data = slack.requests.payload("message_shortcut")
    data["message"]["text"] = ""

    await slack.interaction(data)

    [reply] = slack.fake.to("respond")
    assert reply.body["response_type"] == "ephemeral"
    assert "no text" in reply.shown


async def test_the_global_shortcut_opens_the_form(slack: Any) -> None:
    data = slack.requests.payload("global_shortcut")

    await slack.interaction(data)

    [opened] = slack.fake.to("views.open")
    assert opened.body["trigger_id"] == data["trigger_id"]
    assert opened.body["view"]["callback_id"] == CALLBACK_ID
    assert json.loads(opened.body["view"]["private_metadata"]) == {"channel_id": None}


async def test_the_global_shortcut_with_an_expired_trigger_tells_the_person_in_a_dm(
    slack: Any, caplog: pytest.LogCaptureFixture
) -> None:
    slack.fake.script("views.open", Answer.refused("expired_trigger_id"))

    await slack.interaction(slack.requests.payload("global_shortcut"))

    [dm] = slack.fake.to("chat.postMessage")
    assert dm.body["channel"] == "U0PERSON"
    assert "/aftertaxroom 24500 10000" in dm.shown
    assert "views.open failed: expired_trigger_id" in _warnings(caplog)


async def test_the_home_tab_has_buttons_for_the_form_the_limits_and_the_help(
    slack: Any,
) -> None:
    await slack.event(slack.requests.event_payload("app_home_opened", "EvHomeButtons"))

    [published] = slack.fake.to("views.publish")
    buttons = [
        element["action_id"]
        for block in published.body["view"]["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]
    assert buttons == [OPEN_FORM, SHOW_LIMITS, SHOW_HELP]


async def test_the_home_form_button_opens_the_form(slack: Any) -> None:
    data = slack.requests.payload("home_button")

    await slack.interaction(data)

    [opened] = slack.fake.to("views.open")
    assert opened.body["trigger_id"] == data["trigger_id"]
    assert opened.body["view"]["callback_id"] == CALLBACK_ID


@pytest.mark.parametrize(
    ("action_id", "expected"),
    [(SHOW_LIMITS, "$24,500"), (SHOW_HELP, "/aftertaxroom 24500 10000")],
)
async def test_the_home_limits_and_help_buttons_answer_in_the_dm(
    slack: Any, action_id: str, expected: str
) -> None:
    data = slack.requests.payload("home_button")
    data["actions"][0]["action_id"] = action_id

    await slack.interaction(data)

    [dm] = slack.fake.to("chat.postMessage")
    assert dm.body["channel"] == "U0PERSON"
    assert expected in dm.shown
    assert DISCLOSURE in dm.small_print
    for other in OTHER_SURFACES:
        assert other not in dm.shown


async def test_the_first_visit_to_the_messages_tab_gets_one_welcome(slack: Any) -> None:
    first = slack.requests.event_payload("app_home_opened", "EvMsg1", tab="messages")
    again = slack.requests.event_payload("app_home_opened", "EvMsg2", tab="messages")
    other = slack.requests.event_payload(
        "app_home_opened", "EvMsg3", tab="messages", user="U0OTHER", channel="D0OTHER"
    )

    for data in (first, again, other):
        await slack.event(data)

    welcomes = slack.fake.to("chat.postMessage")
    assert [w.body["channel"] for w in welcomes] == ["D0PERSON", "D0OTHER"]
    assert "Ask me here" in welcomes[0].shown
    assert DISCLOSURE in welcomes[0].small_print
    assert not slack.fake.to("views.publish")


# 8. One workspace; Slack Connect


async def test_an_event_for_another_workspace_is_ignored(slack: Any) -> None:
    data = slack.requests.event_payload("app_mention", "EvOtherTeam")
    data["team_id"] = "T0SECOND"
    data["authorizations"][0]["team_id"] = "T0SECOND"

    response = await slack.event(data)

    assert response.status == 200
    assert not slack.fake.posts()


def _connect_mention(slack: Any, event_id: str, user_team: str) -> dict[str, Any]:
    """A mention in a Slack Connect channel by someone of `user_team`."""
    data = slack.requests.event_payload(
        "app_mention", event_id, user_team=user_team, team=user_team
    )
    data["is_ext_shared_channel"] = True
    return data


async def test_slack_connect_people_are_answered_by_default(slack: Any) -> None:
    await slack.event(_connect_mention(slack, "EvConnect1", "T0OTHERORG"))

    [posted] = slack.fake.to("chat.postMessage")
    assert "mega backdoor" in posted.shown.lower()


async def test_allowed_team_ids_limit_answers_to_the_listed_teams(fake_slack: Any) -> None:
    slack = make_driver(fake_slack, answerer(), allowed_teams={"T0PARTNER"})

    await slack.event(_connect_mention(slack, "EvConnect2", "T0OTHERORG"))
    assert not fake_slack.posts()
    await slack.event(_connect_mention(slack, "EvConnect3", "T0PARTNER"))
    await slack.event(slack.requests.event_payload("app_mention", "EvOwn"))
    assert len(fake_slack.to("chat.postMessage")) == 2

    refused = await slack.command("/401k", "what is a mega backdoor Roth?", team_id="T0OTHERORG")
    assert json.loads(refused.body) == {"response_type": "ephemeral", "text": NOT_FOR_YOUR_TEAM}
    assert not fake_slack.to("respond")
