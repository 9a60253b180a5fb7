"""Bad input wherever a person can type it gets a clear message, never an exception or a guess."""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

import pytest

from bot.disclosure import DEFAULT_DISCLOSURE
from bot.engine import MAX_CHARS, Engine
from bot.reply import Question
from tests.hardening.surfaces import discord_texts

TODAY = dt.date(2026, 6, 1)
SLACK_DISCLOSURE = DEFAULT_DISCLOSURE.replace("&", "&amp;")
LONG_NOTE = f"first {MAX_CHARS:,} characters"

# (what follows `/aftertaxroom`, what the clarify must say)
BAD_AMOUNTS = [
    pytest.param("-24500 10000", ["'-24500'", "negative"], id="negative"),
    pytest.param("deferrals=-1 employer=10000", ["'-1'", "negative"], id="negative-option"),
    pytest.param("24500 20000000", ["'20000000'", "over $10,000,000"], id="over-10m"),
    pytest.param("24500 $12m", ["'$12m'", "over $10,000,000"], id="over-10m-suffix"),
    pytest.param("NaN 10000", ["'NaN'"], id="nan"),
    pytest.param("24500 inf", ["'inf'"], id="inf"),
    pytest.param("24500 infinity", ["'infinity'"], id="infinity"),
    pytest.param("deferrals=NaN employer=10000", ["'NaN'"], id="nan-option"),
    pytest.param("deferrals=24500 employer=Infinity", ["'Infinity'"], id="infinite-option"),
    pytest.param("24.5 0", ["$24,500", "$24.50", "'24.5'"], id="ambiguous"),
    pytest.param("deferrals=24.5 employer=0", ["$24,500", "$24.50"], id="ambiguous-option"),
    pytest.param("24,50,0 10000", ["'24,50,0'", "24,500"], id="odd-grouping"),
    pytest.param("24.500,00 10000", ["'24.500,00'", "24,500"], id="two-separators"),
    pytest.param("24.5.5k 10k", ["'24.5.5k'", "24.5k"], id="two-decimal-points"),
    pytest.param("1e308 10000", ["'1e308'", "$24,500"], id="exponent"),
    pytest.param("-0 10000", ["'-0'", "$24,500"], id="minus-zero"),
    pytest.param("0x5FB4 10000", ["'0x5FB4'", "$24,500"], id="hex"),
]

# Questions in words whose amounts are bad: (question, calculator, what the clarify must say)
BAD_AMOUNTS_IN_WORDS = [
    pytest.param(
        "I defer -5,000 and my employer adds 10,000. How much after-tax room do I have?",
        "after-tax-room",
        ["negative"],
        id="negative",
    ),
    pytest.param(
        "I've deferred -3000 so far, how much more can I defer?",
        "deferral-room",
        ["negative"],
        id="negative-deferred-so-far",
    ),
    pytest.param(
        "What is my employer match on a salary of 50 million with 50% up to 6%?",
        "employer-match",
        ["over $10,000,000"],
        id="over-10m",
    ),
    pytest.param(
        "How much after-tax room if I defer 24500 and my employer adds NaN?",
        "after-tax-room",
        ["'NaN'"],
        id="nan",
    ),
    pytest.param(
        "my deferrals are 24.5 and my employer adds 10, how much after-tax room?",
        "after-tax-room",
        ["$24,500", "$24.50"],
        id="ambiguous",
    ),
]

# Text no one should send, each of which must still get an ordinary reply.
NASTY = [
    pytest.param("\x00\x01\x02", id="control"),
    pytest.param("\u202e\u200b\ufeff", id="invisible"),
    pytest.param("🙂" * 500, id="emoji"),
    pytest.param("<<<>>> &amp; &lt;b&gt; </script>", id="markup"),
    pytest.param("%s %d {0} {{7*7}} ${HOME}", id="format-strings"),
    pytest.param("'; DROP TABLE answers; --", id="sql"),
    pytest.param("２４５００ １００００ after-tax room", id="fullwidth-digits"),
    pytest.param("1e309 NaN -0 0x1F 1_000 ½", id="odd-numbers"),
    pytest.param("$" * 300 + "k" * 300, id="symbols"),
    pytest.param("24500 " * 700, id="many-numbers"),
    pytest.param("roth " * 1000, id="one-word-many-times"),
    pytest.param("\n" * 50 + "mega backdoor?" + "\t" * 50, id="whitespace"),
]


def ask(engine: Engine, text: str, **fields: Any) -> Any:
    return engine.answer(Question(text=text, today=TODAY, **fields))


@pytest.mark.parametrize(("rest", "says"), BAD_AMOUNTS)
def test_engine_asks_again_about_a_bad_amount_and_says_what_is_wrong(
    engine: Engine, rest: str, says: list[str]
) -> None:
    """Negative, over $10M, NaN, infinite or ambiguous amounts: a clarify naming the problem."""
    reply = ask(engine, f"/aftertaxroom {rest}")

    assert reply.kind == "clarify"
    assert reply.topic == "after-tax-room"
    assert reply.result is None, "nothing is calculated from a bad amount"
    for phrase in says:
        assert phrase in reply.text


@pytest.mark.parametrize(("question", "calculator", "says"), BAD_AMOUNTS_IN_WORDS)
def test_engine_asks_again_about_a_bad_amount_in_a_question(
    engine: Engine, question: str, calculator: str, says: list[str]
) -> None:
    """The same holds for amounts written in a sentence, for every calculator."""
    reply = ask(engine, question)

    assert (reply.kind, reply.topic) == ("clarify", calculator)
    assert reply.result is None
    for phrase in says:
        assert phrase in reply.text


def test_engine_answers_a_long_message_from_its_first_4000_characters(engine: Engine) -> None:
    """What lies past 4,000 characters is not read, and the reply says so."""
    question = "I defer 24500 and my employer adds 10000, how much after-tax room do I have?"
    text = question + " " * (MAX_CHARS - len(question)) + "Actually my employer adds 50000. " * 50

    reply = ask(engine, text)

    assert reply.kind == "calculation"
    assert reply.result is not None
    assert reply.result["after_tax_room"] == 37500
    assert LONG_NOTE in reply.text


def test_engine_matches_a_long_question_on_what_it_read(engine: Engine) -> None:
    """A long article question is matched on its first 4,000 characters, with the note."""
    reply = ask(engine, long_question())

    assert (reply.kind, reply.topic) == ("article", "mega-backdoor-roth")
    assert LONG_NOTE in reply.text


@pytest.mark.parametrize("text", NASTY)
def test_engine_gives_an_ordinary_reply_to_any_text(
    engine: Engine, text: str, caplog: pytest.LogCaptureFixture
) -> None:
    """No text makes answering fail: each gets a reply with the disclosure, never an error."""
    reply = ask(engine, text)

    assert reply.disclosure.startswith(DEFAULT_DISCLOSURE)
    assert "Something went wrong" not in reply.text
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


@pytest.mark.parametrize(("rest", "says"), BAD_AMOUNTS)
async def test_slack_slash_command_with_a_bad_amount_gets_a_clarify(
    slack: Any, rest: str, says: list[str]
) -> None:
    """`/aftertaxroom` with a bad amount answers privately, saying what was wrong."""
    response = await slack.command("/aftertaxroom", rest)

    assert response.status == 200
    [reply] = slack.fake.to("respond")
    assert reply.body["response_type"] == "ephemeral"
    assert reply.body["blocks"][0]["block_id"] == "reply:clarify:after-tax-room"
    shown = reply.shown.replace("&#39;", "'")
    for phrase in says:
        assert phrase.replace("&", "&amp;") in shown
    assert SLACK_DISCLOSURE in reply.small_print


@pytest.mark.parametrize("text", NASTY)
async def test_slack_answers_any_text_in_a_slash_command_and_a_dm(slack: Any, text: str) -> None:
    """`/401k` and a DM with any text get an ordinary reply carrying the disclosure."""
    await slack.command("/401k", text)
    await slack.event(slack.requests.event_payload("message_im", "EvNasty", text=text))

    sent = slack.fake.to("respond") + slack.fake.to("chat.postMessage")
    assert len(sent) == 2
    for call in sent:
        assert SLACK_DISCLOSURE in call.small_print
        assert "Something went wrong" not in call.shown


def long_question() -> str:
    """A question, then more than 4,000 characters of dots, then a different question."""
    return "How does the mega backdoor Roth work? " + "." * MAX_CHARS + " Roth IRA income limits?"


async def test_slack_dm_over_4000_characters_is_answered_with_a_note(slack: Any) -> None:
    """A long DM is answered from its first 4,000 characters, and the reply says so."""
    text = long_question()

    await slack.event(slack.requests.event_payload("message_im", "EvLong", text=text))

    [posted] = slack.fake.to("chat.postMessage")
    assert posted.body["blocks"][0]["block_id"] == "reply:article:mega-backdoor-roth"
    assert LONG_NOTE in posted.shown


def form(slack: Any, **values: str) -> dict[str, Any]:
    data = slack.requests.payload("view_submission")
    data["view"]["state"]["values"] = {
        name: {name: {"type": "plain_text_input", "value": value}}
        for name, value in {"deferrals": "24500", "employer": "10000", **values}.items()
    }
    return dict(data)


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("deferrals", "-24500", "negative"),
        ("deferrals", "NaN", "not an amount"),
        ("employer", "Infinity", "not an amount"),
        ("employer", "-inf", "not an amount"),
        ("salary", "20,000,000", "over $10,000,000"),
        ("salary", "1e999", "not an amount"),
        ("deferrals", "9" * 3000, "over $10,000,000"),
        ("age", "-3", "1 to 129"),
        ("age", "NaN", "1 to 129"),
        ("match", "NaN% up to 6%", "match formula"),
        ("match", "<!channel> " * 300, "match formula"),
    ],
)
async def test_slack_form_field_with_bad_input_shows_an_error_on_that_field(
    slack: Any, field: str, value: str, says: str
) -> None:
    """The form stays open with a short error under the field; what was typed is not echoed."""
    extra = {"salary": "100000"} if field == "match" else {}
    response = await slack.interaction(form(slack, **{field: value, **extra}))

    assert response.status == 200
    body = json.loads(response.body)
    assert body["response_action"] == "errors"
    assert set(body["errors"]) == {field}
    error = body["errors"][field]
    assert says in error
    assert value.strip() not in error
    assert len(error) < 300
    assert not slack.fake.posts()


@pytest.mark.parametrize("value", ["24.5", "24"])
async def test_slack_form_with_an_ambiguous_amount_asks_which_was_meant(
    slack: Any, value: str
) -> None:
    """`24.5` in the form is not taken as $24.50: the field asks which was meant."""
    response = await slack.interaction(form(slack, deferrals=value))

    body = json.loads(response.body)
    assert body["response_action"] == "errors"
    error = body["errors"]["deferrals"]
    assert "Did you mean" in error
    assert "$24,500" in error or "$24,000" in error
    assert not slack.fake.posts(), "no room is worked out from a guess"


@pytest.mark.parametrize("value", ["$24.50", "24.5k", "24,500", "0"])
async def test_slack_form_takes_amounts_that_say_their_unit(slack: Any, value: str) -> None:
    """A dollar sign, a `k` or a full amount is clear: the form closes and answers."""
    response = await slack.interaction(form(slack, deferrals=value))

    assert not response.body
    [shown] = slack.fake.to("chat.postEphemeral")
    assert shown.body["blocks"][0]["block_id"] == "reply:calculation:after-tax-room"


@pytest.mark.parametrize(
    ("options", "named"),
    [
        ({"deferrals": float("nan"), "employer": 10000}, "`deferrals`"),
        ({"deferrals": 24500, "employer": float("inf")}, "`employer`"),
        ({"deferrals": 24500, "employer": -float("inf")}, "`employer`"),
        ({"deferrals": 24.5, "employer": 10000}, "`deferrals`"),
        ({"deferrals": "24500", "employer": 10000}, "`deferrals`"),
        ({"deferrals": True, "employer": 10000}, "`deferrals`"),
        ({"deferrals": 24500, "employer": 0, "salary": 10**12}, "`salary`"),
        ({"deferrals": 24500, "employer": 0, "age": float("nan")}, "`age`"),
        ({"deferrals": 24500, "employer": 0, "year": float("nan")}, "`year`"),
        ({"deferrals": 24500, "employer": 0, "pay_frequency": "\x00"}, "`pay_frequency`"),
        ({"deferrals": 24500, "salary": 90000, "match": "x" * 5000}, "`match`"),
    ],
)
async def test_discord_options_out_of_range_get_a_clear_message(
    discord_bot: Any, options: dict[str, Any], named: str
) -> None:
    """Options a raw interaction can carry past Discord's own checks are named, not used."""
    discord_bot.interact(discord_bot.command("aftertaxroom", **options))

    response = await discord_bot.callback()

    shown = "\n".join(discord_texts(response.body))
    assert "Please check your input" in shown
    assert named in shown
    assert "After-tax room" not in shown
    assert DEFAULT_DISCLOSURE in shown
    assert len(shown) < 1500, "what was typed is not echoed at length"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        pytest.param("after-tax room: I defer -24500 and my employer adds 10000", "negative"),
        pytest.param("after-tax room: I defer 24.5 and my employer adds 10", "$24.50"),
        pytest.param("after-tax room: I defer 24500 and my employer adds 20000000", "$10,000,000"),
    ],
)
async def test_discord_question_with_a_bad_amount_gets_a_clarify(
    discord_bot: Any, text: str, says: str
) -> None:
    """`/401k` with a bad amount in its text gets the engine's clarify, privately."""
    discord_bot.interact(discord_bot.command("ask", question=text))

    response = await discord_bot.callback()

    shown = "\n".join(discord_texts(response.body))
    assert says in shown
    assert response.body["data"]["flags"] & 64
    assert DEFAULT_DISCLOSURE in shown


@pytest.mark.parametrize("text", NASTY)
async def test_discord_answers_any_text_in_a_question_and_a_dm(discord_bot: Any, text: str) -> None:
    """`/401k` and a DM with any text get an ordinary reply carrying the disclosure."""
    discord_bot.interact(discord_bot.command("ask", question=text))
    dm = discord_bot.payload("dm", content=text)
    discord_bot.message(dm)

    await discord_bot.fake.wait_for("POST", r"interactions/\d+/[^/]+/callback")
    await discord_bot.fake.wait_for("POST", rf"channels/{dm['channel_id']}/messages")
    await discord_bot.settle(0.05)
    for sent in discord_bot.fake.replies():
        shown = "\n".join(discord_texts(sent.body))
        assert DEFAULT_DISCLOSURE in shown
        assert "Something went wrong" not in shown


async def test_discord_dm_over_4000_characters_is_answered_with_a_note(discord_bot: Any) -> None:
    """A long DM is answered from its first 4,000 characters, and the reply says so."""
    dm = discord_bot.payload("dm", content=long_question())

    discord_bot.message(dm)
    [reply] = await discord_bot.fake.wait_for("POST", rf"channels/{dm['channel_id']}/messages")

    assert reply.body["embeds"][0]["title"] == "The mega backdoor Roth, step by step"
    assert LONG_NOTE in "\n".join(discord_texts(reply.body))
