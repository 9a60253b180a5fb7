"""@mentions and DMs through the real client's gateway parsers, against a fake Discord."""

from __future__ import annotations

from typing import Any

import pytest

from bot.disclosure import DEFAULT_DISCLOSURE

CHANNEL = "900000000000000010"
DM_CHANNEL = "900000000000000020"
BOT_ID = "1100000000000000002"


def posted(fake: Any, channel: str) -> list[Any]:
    return fake.calls("POST", rf"channels/{channel}/messages")


def text_of(body: dict[str, Any]) -> str:
    return "\n".join(
        f"{e.get('title', '')}\n{e.get('description', '')}\n{e.get('footer', {}).get('text', '')}"
        for e in body["embeds"]
    )


async def test_a_mention_in_a_channel_is_answered_as_a_reply_to_that_message(
    discord_bot: Any,
) -> None:
    """`@bot roth vs after-tax?` gets the article as a reply to the question, pinging nobody."""
    message = discord_bot.payload("mention")
    discord_bot.message(message)

    [reply] = await discord_bot.fake.wait_for("POST", rf"channels/{CHANNEL}/messages")

    body = reply.body
    assert str(body["message_reference"]["message_id"]) == message["id"]
    assert body["message_reference"]["fail_if_not_exists"] is False
    assert body["embeds"][0]["title"] == "Roth 401(k) vs after-tax 401(k) contributions"
    assert DEFAULT_DISCLOSURE in body["embeds"][-1]["footer"]["text"]
    assert body["allowed_mentions"]["parse"] == []
    assert not body["allowed_mentions"].get("replied_user")
    assert body["components"], "related-topic buttons"


async def test_a_mention_with_numbers_is_calculated(discord_bot: Any) -> None:
    """The engine reads the numbers from the text once the mention is stripped."""
    message = discord_bot.payload(
        "mention", content=f"<@{BOT_ID}> I defer 24,500 and my employer adds 10,000 — room?"
    )
    discord_bot.message(message)

    [reply] = await discord_bot.fake.wait_for("POST", rf"channels/{CHANNEL}/messages")

    assert "$37,500" in text_of(reply.body)


async def test_a_bare_mention_gets_help(discord_bot: Any) -> None:
    """`@bot` with nothing else says what the bot can do."""
    discord_bot.message(discord_bot.payload("mention", content=f"<@!{BOT_ID}>"))

    [reply] = await discord_bot.fake.wait_for("POST", rf"channels/{CHANNEL}/messages")

    assert reply.body["embeds"][0]["title"] == "What this bot can do and how to ask it"


async def test_a_dm_is_answered_in_the_dm(discord_bot: Any) -> None:
    """A DM needs no mention and is answered in the same DM, not as a reply."""
    discord_bot.message(discord_bot.payload("dm"))

    [reply] = await discord_bot.fake.wait_for("POST", rf"channels/{DM_CHANNEL}/messages")

    assert "message_reference" not in reply.body
    assert reply.body["embeds"][0]["title"] == "The mega backdoor Roth, step by step"
    assert DEFAULT_DISCLOSURE in reply.body["embeds"][-1]["footer"]["text"]
    assert reply.body["allowed_mentions"]["parse"] == []
    assert not posted(discord_bot.fake, CHANNEL)


@pytest.mark.parametrize(
    "fixture",
    [
        "from_bot",  # another bot mentioning us
        "everyone",  # reaches the bot only through @everyone
        "role",  # reaches the bot only through a role mention
    ],
)
async def test_messages_not_meant_for_the_bot_are_ignored(discord_bot: Any, fixture: str) -> None:
    """Bots, @everyone/@here and role mentions get no answer; a real mention after them does."""
    discord_bot.message(discord_bot.payload(fixture))
    await discord_bot.settle()
    assert discord_bot.fake.replies() == []

    discord_bot.message(discord_bot.payload("mention"))
    await discord_bot.fake.wait_for("POST", rf"channels/{CHANNEL}/messages")
    await discord_bot.settle(0.05)
    assert len(discord_bot.fake.replies()) == 1


async def test_the_bots_own_messages_are_ignored(discord_bot: Any) -> None:
    """Its own replies (which may quote a mention) never start a loop."""
    own = discord_bot.payload("from_bot")
    own["author"] = {
        "id": BOT_ID,
        "username": "401k-bot",
        "discriminator": "0",
        "avatar": None,
        "bot": True,
    }
    discord_bot.message(own)
    await discord_bot.settle()

    assert discord_bot.fake.replies() == []


async def test_a_flood_of_mentions_gets_one_hourglass_then_silence(discord_bot: Any) -> None:
    """Past 5 questions in 10 seconds, one reaction on the message, never a public notice."""
    for i in range(7):
        discord_bot.message(discord_bot.payload("mention", id=f"16000000000000001{i:02d}"))
    await discord_bot.fake.wait_for("POST", rf"channels/{CHANNEL}/messages", count=5)
    [reaction] = await discord_bot.fake.wait_for("PUT", r"channels/\d+/messages/\d+/reactions/.+")
    await discord_bot.settle()

    replies = posted(discord_bot.fake, CHANNEL)
    assert len(replies) == 5
    assert not [r for r in replies if "Try again in" in text_of(r.body)]
    hourglass = "\N{HOURGLASS WITH FLOWING SAND}"
    assert (
        reaction.path
        == f"channels/{CHANNEL}/messages/1600000000000000105/reactions/{hourglass}/@me"
    )
    assert len(discord_bot.fake.calls("PUT", r".*reactions.*")) == 1


async def test_a_conversation_goes_on_across_mentions_in_a_channel(discord_bot: Any) -> None:
    """A what-if after a calculation, in the same channel, changes one number of it."""
    first = discord_bot.payload(
        "mention", content=f"<@{BOT_ID}> I defer 20,000 and my employer adds 5,000. Room?"
    )
    discord_bot.message(first)
    await discord_bot.fake.wait_for("POST", rf"channels/{CHANNEL}/messages")
    second = discord_bot.payload(
        "mention",
        id="1300000000000000099",
        content=f"<@{BOT_ID}> what if my employer put in 7,000 instead?",
    )
    discord_bot.message(second)

    replies = await discord_bot.fake.wait_for("POST", rf"channels/{CHANNEL}/messages", count=2)

    assert "$47,000" in text_of(replies[0].body)
    assert "$45,000" in text_of(replies[1].body)


async def test_thanks_in_a_dm_gets_small_talk_not_the_fallback(discord_bot: Any) -> None:
    discord_bot.message(discord_bot.payload("dm", content="thanks a lot!"))

    [reply] = await discord_bot.fake.wait_for("POST", rf"channels/{DM_CHANNEL}/messages")

    text = text_of(reply.body)
    assert "Not something I cover" not in text
    assert DEFAULT_DISCLOSURE in text


async def test_a_topic_button_click_is_a_turn_the_next_mention_follows(discord_bot: Any) -> None:
    """After clicking "The mega backdoor Roth", "how would I set that up?" is read with it."""
    discord_bot.interact(discord_bot.payload("button"))
    await discord_bot.callback()
    follow = discord_bot.payload("mention", content=f"<@{BOT_ID}> how would I set that up?")
    discord_bot.message(follow)

    [reply] = await discord_bot.fake.wait_for("POST", rf"channels/{CHANNEL}/messages")

    title = reply.body["embeds"][0]["title"]
    assert title in {
        "The mega backdoor Roth, step by step",
        discord_bot.bot.answers.titles()["plan-questions"],
    }
