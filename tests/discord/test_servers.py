"""A community server as the real client caches it: restricted channels, the bot's own role,
moderator settings, user installs, the message command and /about, against a fake Discord."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
import yarl
from discord.gateway import DiscordWebSocket

import bot
from bot.disclosure import DEFAULT_DISCLOSURE
from tests.fakes.discord import (
    BOT_ID,
    BOT_ROLE,
    CANNOT_DM,
    DM_OF_ASKER,
    EMBED_LINKS,
    GUILD,
    MISSING_PERMISSIONS,
    READ_MESSAGE_HISTORY,
    SEND_MESSAGES,
    Refusal,
    guild_create,
    text_channel,
    thread,
)

OPEN, NO_SEND, NO_EMBEDS, NO_HISTORY, ALLOWED = (
    "900000000000000010",
    "900000000000000011",
    "900000000000000012",
    "900000000000000013",
    "900000000000000014",
)
LOCKED_THREAD = "900000000000000018"
EPHEMERAL = 64
MANAGE_GUILD = 1 << 5
QUESTION = "what's the difference between Roth and after-tax 401k money?"
ROTH_TITLE = "Roth 401(k) vs after-tax 401(k) contributions"


@pytest.fixture
async def server(discord_bot: Any) -> Any:
    """The bot with the test server cached: one open channel and one per missing permission."""
    channels = [
        text_channel(OPEN, "benefits"),
        text_channel(NO_SEND, "announcements", deny=SEND_MESSAGES),
        text_channel(NO_EMBEDS, "general", deny=EMBED_LINKS),
        text_channel(NO_HISTORY, "no-history", deny=READ_MESSAGE_HISTORY),
        text_channel(ALLOWED, "ask-401k"),
    ]
    discord_bot.guild(guild_create(channels, [thread(LOCKED_THREAD, OPEN, locked=True)]))
    return discord_bot


def mention(harness: Any, channel: str, content: str | None = None, **changes: Any) -> Any:
    data = harness.payload("mention", channel_id=channel, **changes)
    data["content"] = f"<@{BOT_ID}> {QUESTION}" if content is None else content
    harness.message(data)
    return data


def posted(fake: Any, channel: str) -> list[Any]:
    return fake.calls("POST", rf"channels/{channel}/messages")


def shown(body: dict[str, Any]) -> str:
    data = body.get("data", body)
    parts = [data.get("content") or ""]
    for embed in data.get("embeds", []):
        parts += [embed.get("title", ""), embed.get("description", "")]
        parts += [f"{f['name']}\n{f['value']}" for f in embed.get("fields", [])]
        parts.append(embed.get("footer", {}).get("text", ""))
    return "\n".join(parts)


def buttons(body: dict[str, Any]) -> list[dict[str, Any]]:
    rows = body.get("data", body).get("components", [])
    return [button for row in rows for button in row["components"]]


def moderator(harness: Any, is_moderator: bool = True, **options: Any) -> dict[str, Any]:
    """`/401k-settings` with `options`, from a member with or without Manage Server."""
    types = {"allow_channel": 7, "remove_channel": 7}
    data = harness.payload("help")
    data["data"] = {
        "id": "1400000000000000009",
        "name": "401k-settings",
        "type": 1,
        "options": [{"name": k, "type": types.get(k, 5), "value": v} for k, v in options.items()],
    }
    channel_ids = [v for k, v in options.items() if k in types]
    if channel_ids:
        data["data"]["resolved"] = {
            "channels": {
                c: {"id": c, "type": 0, "name": "ask-401k", "permissions": "0"} for c in channel_ids
            }
        }
    permissions = int(data["member"]["permissions"])
    data["member"]["permissions"] = str(
        permissions | MANAGE_GUILD if is_moderator else permissions & ~MANAGE_GUILD
    )
    return data


# Restricted channels


async def test_without_embed_links_the_answer_is_plain_text_with_the_disclosure(
    server: Any,
) -> None:
    """Where @everyone may not embed, the reply is content within 2,000 characters."""
    message = mention(server, NO_EMBEDS)

    [reply] = await server.fake.wait_for("POST", rf"channels/{NO_EMBEDS}/messages")

    body = reply.body
    assert not body.get("embeds")
    assert body["content"].startswith(f"**{ROTH_TITLE}**")
    assert len(body["content"]) <= 2000
    assert DEFAULT_DISCLOSURE in body["content"]
    assert body["allowed_mentions"]["parse"] == []
    assert str(body["message_reference"]["message_id"]) == message["id"]
    assert body["flags"] & 4, "link previews suppressed"


async def test_without_read_message_history_the_answer_is_not_a_reply(server: Any) -> None:
    """Discord refuses a reply without Read Message History: the answer goes out unlinked."""
    mention(server, NO_HISTORY)

    [reply] = await server.fake.wait_for("POST", rf"channels/{NO_HISTORY}/messages")

    assert "message_reference" not in reply.body
    assert reply.body["embeds"][0]["title"] == ROTH_TITLE


@pytest.mark.parametrize("channel", [NO_SEND, LOCKED_THREAD])
async def test_where_it_cannot_post_it_answers_by_dm_and_never_tries_the_channel(
    server: Any, channel: str
) -> None:
    """No Send Messages, or a locked thread: one DM with the answer, no channel request."""
    mention(server, channel)

    [dm] = await server.fake.wait_for("POST", rf"channels/{DM_OF_ASKER}/messages")
    await server.settle()

    assert posted(server.fake, channel) == []
    assert dm.body["content"] == f"I can't post in <#{channel}>, so here is your answer."
    assert dm.body["embeds"][0]["title"] == ROTH_TITLE
    assert DEFAULT_DISCLOSURE in shown(dm.body)
    assert dm.body["allowed_mentions"]["parse"] == []
    assert len(server.fake.replies()) == 1


async def test_closed_dms_mean_silence_and_are_not_tried_again(
    server: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """Discord's 50007 on the DM is counted once; the next mention tries nothing.

    Each lost reply is one line: the first names the refusal, the second the closed DMs.
    """
    caplog.set_level(logging.INFO)
    server.fake.refusals.append(
        Refusal("POST", rf"channels/{DM_OF_ASKER}/messages", 403, code=CANNOT_DM)
    )
    mention(server, NO_SEND)
    await server.fake.wait_for("POST", rf"channels/{DM_OF_ASKER}/messages")
    await server.settle()
    mention(server, NO_SEND, id="1600000000000000077")
    await server.settle()

    assert len(server.fake.calls("POST", r"channels/\d+/messages")) == 1
    assert server.bot.failures.total == 1
    refused, skipped = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert refused.fields == {  # type: ignore[attr-defined]
        "event": "reply_lost",
        "surface": "discord",
        "method": "channels.messages",
        "code": "403",
        "route": "channels/{id}/messages",
        "discord_code": CANNOT_DM,
        "guild": int(GUILD),
        "channel": int(NO_SEND),
    }
    assert skipped.fields["event"] == "reply_lost"  # type: ignore[attr-defined]
    assert skipped.fields["code"] == "dms_closed"  # type: ignore[attr-defined]
    assert not [r for r in caplog.records if r.getMessage() == "answered"]


@pytest.mark.parametrize(("status", "code"), [(403, MISSING_PERMISSIONS), (503, 0)])
async def test_a_refused_send_is_logged_with_ids_and_counted_and_never_retried(
    discord_bot: Any, caplog: pytest.LogCaptureFixture, status: int, code: int
) -> None:
    """In a server not cached (no check possible), a 403 or 503 is one request and one line."""
    caplog.set_level(logging.DEBUG, logger="401k-bot")
    discord_bot.fake.refusals.append(Refusal("POST", r"channels/\d+/messages", status, code))
    mention(discord_bot, OPEN)
    await discord_bot.fake.wait_for("POST", rf"channels/{OPEN}/messages")
    await discord_bot.settle(0.5)

    assert len(discord_bot.fake.calls("POST", r".*")) == 1
    [failure] = discord_bot.bot.failures.counts
    assert (failure.route, failure.status, failure.code) == (
        "channels/{id}/messages",
        status,
        code,
    )
    [line] = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert line.levelno == logging.ERROR
    assert line.getMessage() == "reply_lost"
    assert line.fields["code"] == str(status)  # type: ignore[attr-defined]
    assert line.fields["discord_code"] == code  # type: ignore[attr-defined]
    assert line.fields["guild"] == int(GUILD)  # type: ignore[attr-defined]
    assert line.fields["channel"] == int(OPEN)  # type: ignore[attr-defined]
    logged = "\n".join(f"{r.getMessage()} {getattr(r, 'fields', '')}" for r in caplog.records)
    assert "Roth and after-tax" not in logged


async def test_a_refused_interaction_response_has_no_token_in_the_log(
    discord_bot: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """Discord's 404 on a callback: the route is logged with the token replaced."""
    caplog.set_level(logging.INFO)
    discord_bot.fake.refusals.append(Refusal("POST", r"interactions/.+", 404, code=10062))
    discord_bot.interact(discord_bot.payload("help"))
    await discord_bot.fake.wait_for("POST", r"interactions/.+")
    await discord_bot.settle()

    [failure] = discord_bot.bot.failures.counts
    assert failure.route == "interactions/{id}/{token}/callback"
    assert failure.code == 10062
    [line] = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert line.fields["route"] == "interactions/{id}/{token}/callback"  # type: ignore[attr-defined]
    logged = "\n".join(f"{r.getMessage()} {getattr(r, 'fields', '')}" for r in caplog.records)
    assert "token-" not in logged


# The bot's managed role


async def test_a_mention_of_the_bots_own_role_is_a_mention_of_the_bot(server: Any) -> None:
    """`<@&role> question`, the role Discord made for the bot, is answered like `<@bot>`."""
    mention(server, OPEN, f"<@&{BOT_ROLE}> {QUESTION}", mention_roles=[BOT_ROLE], mentions=[])

    [reply] = await server.fake.wait_for("POST", rf"channels/{OPEN}/messages")

    assert reply.body["embeds"][0]["title"] == ROTH_TITLE


async def test_another_roles_mention_is_still_ignored(server: Any) -> None:
    other = "900000000000000098"
    mention(server, OPEN, f"<@&{other}> {QUESTION}", mention_roles=[other], mentions=[])
    await server.settle()

    assert server.fake.replies() == []


async def test_a_role_mention_without_its_text_says_how_to_be_read(server: Any) -> None:
    """If Discord withholds the text of a role mention, the bot says to mention it as a user."""
    mention(server, OPEN, "", mention_roles=[BOT_ROLE], mentions=[])

    [reply] = await server.fake.wait_for("POST", rf"channels/{OPEN}/messages")

    assert "Mention me as a user" in shown(reply.body)
    assert DEFAULT_DISCLOSURE in shown(reply.body)


# Discord's own words


async def test_help_on_discord_speaks_of_discord_only(discord_bot: Any) -> None:
    discord_bot.interact(discord_bot.payload("help"))

    response = await discord_bot.callback()

    text = shown(response.body)
    for word in ("/401k", "/aftertaxroom", "/limits", "@mention", "DM"):
        assert word in text
    for other in ("Terminal", "Slack", "401k-bot chat"):
        assert other not in text


async def test_the_fallback_names_topics_by_title_and_points_to_slash_help(
    discord_bot: Any,
) -> None:
    discord_bot.interact(discord_bot.command("ask", question="what is the weather in Paris?"))

    response = await discord_bot.callback()

    text = shown(response.body)
    assert "Not something I cover" in text
    assert "`/help`" in text
    assert "Ask `help`" not in text
    assert "(`contribution-limits`)" not in text
    assert "(`help`)" not in text


@pytest.mark.parametrize(
    ("words", "year"),
    [("limits", "2026"), ("2025 limits", "2025"), ("what are the limits for 2024?", "2024")],
)
async def test_asking_for_limits_in_a_mention_answers_like_slash_limits(
    discord_bot: Any, words: str, year: str
) -> None:
    mention(discord_bot, OPEN, f"<@{BOT_ID}> {words}")

    [reply] = await discord_bot.fake.wait_for("POST", rf"channels/{OPEN}/messages")

    assert reply.body["embeds"][0]["title"] == f"401(k) and IRA limits for {year}"


# Moderator settings


async def test_only_members_with_manage_server_change_settings(server: Any) -> None:
    server.interact(moderator(server, is_moderator=False, mentions=False))
    response = await server.callback()
    mention(server, OPEN)

    assert "Manage Server" in shown(response.body)
    assert response.body["data"]["flags"] & EPHEMERAL
    await server.fake.wait_for("POST", rf"channels/{OPEN}/messages")


async def test_mention_replies_off_leaves_mentions_unanswered_and_commands_working(
    server: Any,
) -> None:
    server.interact(moderator(server, mentions=False))
    response = await server.callback()
    mention(server, OPEN)
    await server.settle()

    assert "Mention replies: **off**" in shown(response.body)
    assert response.body["data"]["flags"] & EPHEMERAL
    assert posted(server.fake, OPEN) == []
    server.interact(server.payload("help"))
    await server.fake.wait_for("POST", r"interactions/\d+/[^/]+/callback", count=2)


async def test_a_channel_allow_list_keeps_mention_replies_to_those_channels(server: Any) -> None:
    server.interact(moderator(server, allow_channel=ALLOWED))
    response = await server.callback()
    mention(server, OPEN)
    mention(server, ALLOWED, id="1600000000000000078")
    await server.fake.wait_for("POST", rf"channels/{ALLOWED}/messages")
    await server.settle()

    assert f"<#{ALLOWED}>" in shown(response.body)
    assert posted(server.fake, OPEN) == []


async def test_public_answers_off_keeps_public_true_answers_private(server: Any) -> None:
    server.interact(moderator(server, public=False))
    await server.callback()
    server.interact(server.command("help", public=True))
    await server.fake.wait_for("POST", r"interactions/\d+/[^/]+/callback", count=2)
    await server.settle()

    answer = server.fake.replies()[-1].body
    assert "What this bot can do" in shown(answer)
    assert answer["data"]["flags"] & EPHEMERAL


async def test_short_replies_give_the_first_paragraph_and_a_more_button(server: Any) -> None:
    server.interact(moderator(server, short=True))
    await server.callback()
    mention(server, OPEN)

    [reply] = await server.fake.wait_for("POST", rf"channels/{OPEN}/messages")

    [embed] = reply.body["embeds"]
    assert embed["title"] == ROTH_TITLE
    assert "\n\n" not in embed["description"]
    assert DEFAULT_DISCLOSURE in embed["footer"]["text"]
    [more] = buttons(reply.body)
    assert more["label"] == "More"
    assert more["custom_id"] == "401k:topic:roth-vs-after-tax"


# User installs


async def test_a_user_installed_command_in_a_group_dm_answers_privately(discord_bot: Any) -> None:
    """Context 2 (a group DM), installed to the user: answered, visible only to them."""
    data = discord_bot.payload("ask_dm")
    data.update(
        context=2,
        authorizing_integration_owners={"1": data["user"]["id"]},
        channel={"id": "900000000000000030", "type": 3, "recipients": [data["user"]], "flags": 0},
        channel_id="900000000000000030",
    )

    discord_bot.interact(data)

    response = await discord_bot.callback()

    assert response.body["data"]["flags"] & EPHEMERAL
    assert "mega backdoor Roth" in shown(response.body)
    assert DEFAULT_DISCLOSURE in shown(response.body)


async def test_a_user_installed_command_in_a_server_without_the_bot(discord_bot: Any) -> None:
    """Context 0 in a server the bot is not in: answered, and public when asked."""
    data = discord_bot.command("help", public=True)
    data.update(
        guild_id="900000000000000555",
        authorizing_integration_owners={"1": data["member"]["user"]["id"]},
        app_permissions="0",
    )
    data["channel"]["guild_id"] = "900000000000000555"
    discord_bot.interact(data)

    response = await discord_bot.callback()

    assert not response.body["data"].get("flags", 0) & EPHEMERAL
    assert "What this bot can do" in shown(response.body)


# The message command


def message_command(harness: Any, content: str) -> dict[str, Any]:
    data = harness.payload("help")
    target = harness.payload("mention", id="1600000000000000300", content=content)
    target["author"] = {**target["author"], "id": "800000000000000002", "username": "alex"}
    data["data"] = {
        "id": "1400000000000000010",
        "name": "Ask 401k-bot about this message",
        "type": 3,
        "target_id": target["id"],
        "resolved": {"messages": {target["id"]: target}},
    }
    return data


async def test_the_message_command_answers_someone_elses_question_privately(
    discord_bot: Any,
) -> None:
    discord_bot.interact(message_command(discord_bot, QUESTION))

    response = await discord_bot.callback()

    assert response.body["data"]["flags"] & EPHEMERAL
    assert response.body["data"]["embeds"][0]["title"] == ROTH_TITLE
    assert DEFAULT_DISCLOSURE in shown(response.body)


async def test_the_message_command_on_a_message_without_text(discord_bot: Any) -> None:
    discord_bot.interact(message_command(discord_bot, ""))

    response = await discord_bot.callback()

    assert "no text I can read" in shown(response.body)
    assert response.body["data"]["flags"] & EPHEMERAL


# /about


async def test_about_says_what_it_is_logs_keeps_and_where_its_figures_come_from(
    discord_bot: Any,
) -> None:
    data = discord_bot.payload("help")
    data["data"] = {"id": "1400000000000000011", "name": "about", "type": 1, "options": []}
    discord_bot.interact(data)

    response = await discord_bot.callback()

    text = shown(response.body)
    assert response.body["data"]["flags"] & EPHEMERAL
    assert "not personal tax advice" in text
    assert "What I log" in text
    assert "Never what you typed" in text
    assert "What I keep" in text
    assert "irs.gov" in text
    assert "IRS Notice" in text
    assert f"Version {bot.__version__}" in text
    assert DEFAULT_DISCLOSURE in text


# The gateway's state, for health checks


async def test_the_gateway_state_says_ready_once_connected_and_not_after_closing(
    discord_bot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`bot.gateway` reads not ready before connecting, ready after READY, closed at the end."""
    monkeypatch.setattr(DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(discord_bot.fake.gateway_url))
    client = discord_bot.bot.client
    gateway = discord_bot.bot.gateway
    assert not gateway.ready
    assert gateway.shards_connected == 0

    connecting = asyncio.create_task(client.connect(reconnect=False))
    await asyncio.wait_for(client.wait_until_ready(), 10)

    assert gateway.ready
    assert gateway.shards_connected == gateway.shards_expected == 1
    await client.close()
    await asyncio.wait_for(connecting, 10)
    assert not gateway.ready
    assert gateway.closed
