"""Feedback buttons and "Ask a moderator" on Discord, clicked through the real client."""

from __future__ import annotations

import copy
import re
from typing import Any

import sqlalchemy as sa

from bot.feedback.curation import Curation
from bot.feedback.database import Database
from bot.feedback.recorder import Recorder
from bot.feedback.records import Policy
from bot.feedback.schema import feedback
from tests.fakes.discord import guild_create, text_channel

UPDATE_MESSAGE, MODAL = 7, 9
EXPERTS = "900000000000000077"
CHANNEL = "900000000000000010"
OFF_TOPIC = "what's the best pizza topping?"


def rows(database: Database) -> list[Any]:
    with database.engine.connect() as connection:
        return list(connection.execute(sa.select(feedback).order_by(feedback.c.id)))


def recording(harness: Any, database: Database) -> Curation:
    curation = Curation(Policy(), Recorder(database))
    curation.start()
    harness.bot.answers.curation = curation
    return curation


def buttons(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [b for row in data.get("components", []) for b in row["components"]]


def labels(data: dict[str, Any]) -> list[str]:
    return [b["label"] for b in buttons(data)]


async def answered(harness: Any, question: str) -> dict[str, Any]:
    """The data of the (ephemeral) answer to `/401k question`."""
    harness.interact(harness.command("ask", question=question))
    [response] = await harness.fake.wait_for("POST", r"interactions/\d+/[^/]+/callback")
    await harness.settle(0.05)
    harness.fake.requests.clear()
    return dict(response.body["data"])


def click(harness: Any, message: dict[str, Any], custom_id: str, number: int) -> None:
    """A click on the button `custom_id` of `message` (an answer as the bot sent it)."""
    data = harness.payload("button")
    data["id"] = data["message"]["id"] = f"13000000000000001{number:02d}"
    data["token"] = f"token-click-{number}"
    data["data"]["custom_id"] = custom_id
    components = copy.deepcopy(message.get("components", []))
    data["message"].update(
        embeds=message["embeds"], components=components, flags=message.get("flags", 0)
    )
    harness.interact(data)


def submit(harness: Any, modal: dict[str, Any], value: str, number: int) -> None:
    """The modal `modal` (as the bot sent it) submitted with its text field set to `value`."""
    data = harness.payload("button")
    data["type"] = 5
    data["id"] = f"13000000000000002{number:02d}"
    data["token"] = f"token-submit-{number}"
    [field] = fields(modal)
    data["data"] = {
        "custom_id": modal["custom_id"],
        "components": [
            {
                "type": 1,
                "components": [{"type": 4, "custom_id": field["custom_id"], "value": value}],
            }
        ],
    }
    harness.interact(data)


def fields(modal: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for row in modal["components"]:
        for item in row.get("components", [row.get("component")]):
            if item and item.get("type") == 4:
                found.append(item)
    return found


async def callback(harness: Any) -> dict[str, Any]:
    [response] = await harness.fake.wait_for("POST", r"interactions/\d+/[^/]+/callback")
    await harness.settle(0.05)
    harness.fake.requests.clear()
    return dict(response.body)


async def test_answers_carry_the_buttons_and_helpful_is_thanked(
    discord_bot: Any, sqlite_database: Database
) -> None:
    """An article has "Helpful" / "Not helpful"; a click on "Helpful" records it and turns
    the pair into a disabled "Thanks for the feedback", the topic buttons kept."""
    curation = recording(discord_bot, sqlite_database)
    answer = await answered(discord_bot, "what is a mega backdoor Roth?")
    assert labels(answer)[-2:] == ["Helpful", "Not helpful"]
    topics = [b for b in buttons(answer) if b["custom_id"].startswith("401k:topic:")]
    assert topics

    helpful = buttons(answer)[-2]["custom_id"]
    click(discord_bot, answer, helpful, 1)
    update = await callback(discord_bot)
    await curation.close()

    assert update["type"] == UPDATE_MESSAGE
    after = buttons(update["data"])
    assert after[-1]["label"] == "Thanks for the feedback"
    assert after[-1]["disabled"] is True
    assert "Helpful" not in [b["label"] for b in after]
    assert [b["custom_id"] for b in after[:-1]] == [b["custom_id"] for b in topics]
    [row] = rows(sqlite_database)
    assert (row.surface, row.kind, row.topic, row.helpful) == (
        "discord", "article", "mega-backdoor-roth", True,
    )  # fmt: skip


async def test_not_helpful_asks_why_then_records_once(
    discord_bot: Any, sqlite_database: Database
) -> None:
    """ "Not helpful" opens the reason form and records nothing yet; its submit records one
    "Not helpful" with the reason redacted and thanks in place of the buttons."""
    curation = recording(discord_bot, sqlite_database)
    answer = await answered(
        discord_bot, "I defer 24,500 and my employer adds 10,000: after-tax room?"
    )
    assert labels(answer)[-2:] == ["Helpful", "Not helpful"]
    click(discord_bot, answer, buttons(answer)[-1]["custom_id"], 2)
    opened = await callback(discord_bot)
    assert opened["type"] == MODAL
    assert rows(sqlite_database) == []

    submit(discord_bot, opened["data"], "plan caps after-tax at 10% — ask <@123456789012345678>", 2)
    update = await callback(discord_bot)
    await curation.close()
    assert update["type"] == UPDATE_MESSAGE
    assert buttons(update["data"])[-1]["label"] == "Thanks for the feedback"
    [row] = rows(sqlite_database)
    assert (row.kind, row.topic, row.helpful) == ("calculation", "after-tax-room", False)
    assert row.reason == "plan caps after-tax at #% — ask"


async def test_no_buttons_with_feedback_off_or_on_a_fallback(discord_bot: Any) -> None:
    """With recording off there is nothing to click; a fallback is not rated either, and
    offers no moderator where no channel is set."""
    answer = await answered(discord_bot, "what is a mega backdoor Roth?")
    assert "Helpful" not in labels(answer)
    miss = await answered(discord_bot, OFF_TOPIC)
    assert "Helpful" not in labels(miss)
    assert "Ask a moderator" not in labels(miss)


def set_expert_channel(harness: Any) -> None:
    harness.guild(
        guild_create([text_channel(CHANNEL, "benefits"), text_channel(EXPERTS, "mods")], [])
    )
    data = harness.payload("help")
    data["data"] = {
        "id": "1400000000000000009",
        "name": "401k-settings",
        "type": 1,
        "options": [{"name": "expert_channel", "type": 7, "value": EXPERTS}],
        "resolved": {
            "channels": {EXPERTS: {"id": EXPERTS, "type": 0, "name": "mods", "permissions": "0"}}
        },
    }
    data["member"]["permissions"] = str(int(data["member"]["permissions"]) | (1 << 5))
    harness.interact(data)


async def test_ask_a_moderator_posts_only_what_was_confirmed(
    discord_bot: Any, sqlite_database: Database
) -> None:
    """With a moderators' channel set by /401k-settings, a fallback offers "Ask a moderator";
    its form holds the question; only the submit posts it there, as edited, pinging no one."""
    curation = recording(discord_bot, sqlite_database)
    set_expert_channel(discord_bot)
    settings = await callback(discord_bot)
    assert f"<#{EXPERTS}>" in settings["data"]["embeds"][0]["description"]

    miss = await answered(discord_bot, OFF_TOPIC)
    assert labels(miss)[-1] == "Ask a moderator"
    click(discord_bot, miss, "401k:expert", 3)
    opened = await callback(discord_bot)
    assert opened["type"] == MODAL
    [field] = fields(opened["data"])
    assert field["value"] == OFF_TOPIC
    assert discord_bot.fake.calls("POST", rf"channels/{EXPERTS}/messages") == []

    submit(discord_bot, opened["data"], "Which pizza topping is best? @everyone", 3)
    [posted] = await discord_bot.fake.wait_for("POST", rf"channels/{EXPERTS}/messages")
    await discord_bot.settle(0.05)
    await curation.close()
    content = posted.body["content"]
    assert "Which pizza topping is best?" in content
    assert "@everyone" not in content.replace("@\u200beveryone", "")
    assert posted.body["allowed_mentions"]["parse"] == []
    [thanks] = discord_bot.fake.calls("POST", r"interactions/\d+/[^/]+/callback")
    assert "Sent to the moderators" in thanks.body["data"]["embeds"][0]["description"]


async def test_ask_a_moderator_from_a_mention_links_the_conversation(
    discord_bot: Any, sqlite_database: Database
) -> None:
    """Under a reply in the channel, the post links to that reply for moderators to answer."""
    curation = recording(discord_bot, sqlite_database)
    set_expert_channel(discord_bot)
    await callback(discord_bot)
    mention = discord_bot.payload("mention", content=f"<@1100000000000000002> {OFF_TOPIC}")
    discord_bot.message(mention)
    [reply] = await discord_bot.fake.wait_for("POST", rf"channels/{CHANNEL}/messages")
    await discord_bot.settle(0.05)
    assert labels(reply.body)[-1] == "Ask a moderator"
    discord_bot.fake.requests.clear()

    click(discord_bot, reply.body, "401k:expert", 4)
    opened = await callback(discord_bot)
    [field] = fields(opened["data"])
    assert field["value"] == OFF_TOPIC
    submit(discord_bot, opened["data"], field["value"], 4)
    [posted] = await discord_bot.fake.wait_for("POST", rf"channels/{EXPERTS}/messages")
    await discord_bot.settle(0.05)
    await curation.close()
    content = posted.body["content"]
    assert "A question for the moderators" in content
    assert re.search(rf"https://discord\.com/channels/900000000000000001/{CHANNEL}/\d+", content)
    assert "<@" not in posted.body["content"]
