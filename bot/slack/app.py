"""The slack-bolt AsyncApp: each listener turns a payload into a Question, the Reply into blocks."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.logs import log_reply
from bot.reply import Question, Reply
from bot.slack import modal
from bot.slack.answering import Answerer
from bot.slack.delivery import Undelivered, note_undelivered, respond, with_retries
from bot.slack.feedback import add_feedback
from bot.slack.home import home_view
from bot.slack.incoming import (
    Destination,
    command_question,
    dm_question,
    is_answerable,
    mention_question,
    parse_command,
)
from bot.slack.usage import usage_reply
from calc.limits import load_limits

LOGGER = logging.getLogger("401k-bot.slack")


def _is_token_notice(record: logging.LogRecord) -> bool:
    return "`token` will be unused" in record.getMessage()


# As of slack-bolt 1.30, AsyncApp reads SLACK_BOT_TOKEN from the environment even when it
# is given a client built with that token, and warns on every start that the token is
# unused; the client is the one that carries it, so the notice says nothing.
logging.getLogger("slack_bolt.AsyncApp").addFilter(lambda r: not _is_token_notice(r))

# What the app registers; deploy/slack/manifest.yaml must name exactly these.
COMMANDS = ("/aftertaxroom", "/401k")
EVENTS = ("app_mention", "message.im", "app_home_opened")


Send = Callable[[dict[str, Any]], Awaitable[object]]


async def _send(answerer: Answerer, reply: Reply, send: Send, started: float) -> None:
    """Send `reply` with `send`, and log the one line for it once Slack has accepted it."""
    try:
        await send(answerer.message(reply))
    except (SlackApiError, Undelivered) as exc:
        note_undelivered(exc)
        return
    log_reply("slack", reply, (time.perf_counter() - started) * 1000)


def _responding(response_url: str, **fixed: Any) -> Send:
    """Send to a slash command's or a button's `response_url`, with retries."""

    async def send(message: dict[str, Any]) -> None:
        await respond(response_url, {**fixed, **message})

    return send


async def _post(client: AsyncWebClient, where: Destination, message: dict[str, Any]) -> None:
    await client.chat_postMessage(
        channel=where.channel,
        thread_ts=where.thread_ts,
        unfurl_links=False,
        unfurl_media=False,
        **message,
    )


def _posting_to(client: AsyncWebClient, where: Destination) -> Send:
    async def send(message: dict[str, Any]) -> None:
        await _post(client, where, message)

    return send


def _whispering_to(client: AsyncWebClient, where: Destination, user: str) -> Send:
    """Send so only `user` sees it, in the channel (and thread) of `where`."""

    async def send(message: dict[str, Any]) -> None:
        await client.chat_postEphemeral(
            channel=where.channel, user=user, thread_ts=where.thread_ts, **message
        )

    return send


async def _admitted(
    answerer: Answerer, user: str | None, tell: Send, *, every_time: bool = True
) -> bool:
    """Whether `user` is within the per-user limit; if not, tell them when to ask again.

    Messages that keep coming past the limit are told once (`every_time` False), so a
    flood of them does not become a flood of notices.
    """
    verdict = answerer.admit(user)
    if verdict.allowed:
        return True
    if every_time or verdict.first_refusal:
        try:
            await tell(answerer.message(answerer.slow_down(verdict)))
        except (SlackApiError, Undelivered) as exc:
            note_undelivered(exc, "a slow-down notice")
    return False


def build_app(
    answerer: Answerer,
    *,
    client: AsyncWebClient,
    signing_secret: str | None,
    process_before_response: bool = False,
) -> AsyncApp:
    """An AsyncApp with every listener; `signing_secret` None means Socket Mode (no signatures)."""
    # Every logger bolt makes copies this one's level; at INFO, a failed signature check
    # logs the whole request body, the words people typed included.
    bolt_logger = logging.getLogger("slack_bolt.AsyncApp")
    bolt_logger.setLevel(logging.WARNING)
    app = AsyncApp(
        logger=bolt_logger,
        client=with_retries(client),
        signing_secret=signing_secret or "",
        request_verification_enabled=signing_secret is not None,
        process_before_response=process_before_response,
    )

    @app.middleware
    async def answer_each_event_once(
        body: dict[str, Any], next: Callable[[], Awaitable[None]]
    ) -> BoltResponse | None:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not answerer.seen.first_time(str(event_id)):
            LOGGER.debug("acknowledged a repeated delivery of an event without answering")
            return BoltResponse(status=200, body="")
        await next()
        return None

    @app.event("app_mention")
    async def on_mention(
        event: dict[str, Any], context: dict[str, Any], client: AsyncWebClient
    ) -> None:
        started = time.perf_counter()
        if not is_answerable(event, context.get("bot_user_id")):
            return
        question, where = mention_question(event, context.get("bot_user_id"), answerer.today())
        user = str(question.user_id)
        if not await _admitted(
            answerer, user, _whispering_to(client, where, user), every_time=False
        ):
            return
        await _send(answerer, await answerer.answer(question), _posting_to(client, where), started)

    @app.event("message")
    async def on_message(
        event: dict[str, Any], context: dict[str, Any], client: AsyncWebClient
    ) -> None:
        started = time.perf_counter()
        if event.get("channel_type") != "im" or not is_answerable(
            event, context.get("bot_user_id")
        ):
            return
        question, where = dm_question(event, context.get("bot_user_id"), answerer.today())
        send = _posting_to(client, where)
        if not await _admitted(answerer, question.user_id, send, every_time=False):
            return
        await _send(answerer, await answerer.answer(question), send, started)

    async def on_command(
        ack: Callable[..., Awaitable[None]],
        command: dict[str, Any],
        client: AsyncWebClient,
    ) -> None:
        await ack()
        started = time.perf_counter()
        response_url = str(command.get("response_url", ""))
        whisper = _responding(response_url, response_type="ephemeral")
        if not await _admitted(answerer, command.get("user_id"), whisper):
            return
        slash = parse_command(command["command"], str(command.get("text", "")))
        response_type = "in_channel" if slash.public else "ephemeral"
        if slash.name == "aftertaxroom" and not slash.text and not slash.public:
            limits = load_limits()
            view = modal.form_view(limits.years, answerer.year().year, command.get("channel_id"))
            await client.views_open(trigger_id=command["trigger_id"], view=view)
            return
        send = _responding(response_url, response_type=response_type)
        if slash.wants_help or not slash.text:
            help_reply = usage_reply(slash.name, answerer.disclosure, answerer.year().year)
            await _send(answerer, help_reply, send, started)
            return
        question = command_question(slash, command, answerer.today())
        await _send(answerer, await answerer.answer(question), send, started)

    for name in COMMANDS:
        app.command(re.compile(f"^{re.escape(name)}$", re.IGNORECASE))(on_command)

    @app.view(modal.CALLBACK_ID)
    async def on_form(
        ack: Callable[..., Awaitable[None]],
        body: dict[str, Any],
        view: dict[str, Any],
        client: AsyncWebClient,
    ) -> None:
        checked = modal.check(modal.field_values(view), load_limits().years)
        if checked.errors:
            await ack(response_action="errors", errors=checked.errors)
            return
        await ack()
        started = time.perf_counter()
        user = body["user"]["id"]
        send = _to_submitter(client, user, modal.channel_of(view))
        if not await _admitted(answerer, user, send):
            return
        year = int(checked.args["year"]) if "year" in checked.args else None
        question = Question(
            text="",
            surface="slack",
            user_id=user,
            channel_id=modal.channel_of(view),
            command="aftertaxroom",
            args=checked.args,
            year=year,
            today=answerer.today(),
        )
        await _send(answerer, await answerer.answer(question), send, started)

    @app.action(re.compile(r"^topic:"))
    async def on_topic_button(
        ack: Callable[..., Awaitable[None]],
        body: dict[str, Any],
        action: dict[str, Any],
        client: AsyncWebClient,
    ) -> None:
        await ack()
        started = time.perf_counter()
        whisper = _responding(
            str(body.get("response_url", "")), response_type="ephemeral", replace_original=False
        )

        if not await _admitted(answerer, body["user"]["id"], whisper):
            return
        topic, _, year = str(action.get("value", "")).partition("@")
        channel = (body.get("channel") or {}).get("id")
        # The topic is named exactly, so the engine answers with that article; its words
        # are the question only if no article has that id.
        question = Question(
            text=topic.replace("-", " "),
            surface="slack",
            user_id=body["user"]["id"],
            channel_id=channel,
            is_dm=str(channel or "").startswith("D"),
            command="401k",
            args={"topic": topic},
            year=int(year) if year.isdigit() and int(year) in load_limits().years else None,
            today=answerer.today(),
        )
        reply = await answerer.answer(question)
        message = body.get("message")
        if (body.get("container") or {}).get("is_ephemeral") or not (channel and message):
            await _send(answerer, reply, whisper, started)
            return
        thread_ts = message.get("thread_ts")
        if thread_ts is None and not question.is_dm:
            thread_ts = message.get("ts")
        where = Destination(channel, thread_ts)
        await _send(answerer, reply, _posting_to(client, where), started)

    add_feedback(app, answerer)

    @app.event("app_home_opened")
    async def on_home(event: dict[str, Any], client: AsyncWebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        await client.views_publish(
            user_id=event["user"], view=home_view(answerer.year(), answerer.disclosure)
        )

    @app.error
    async def on_error(error: Exception) -> None:
        # The payload, and so the error's text, can hold what people typed: above DEBUG,
        # only the kind of error is logged.
        LOGGER.error("a Slack listener failed: %s", type(error).__name__)
        LOGGER.debug("a Slack listener failed", exc_info=error)

    return app


def _to_submitter(client: AsyncWebClient, user: str, channel: str | None) -> Send:
    """Send to the form's submitter: ephemerally where they opened it, else in a DM."""

    async def send(message: dict[str, Any]) -> None:
        if channel:
            try:
                await client.chat_postEphemeral(channel=channel, user=user, **message)
                return
            except SlackApiError as exc:
                # The bot is not in every channel a slash command can be typed in.
                LOGGER.info("ephemeral reply refused (%s); sending a DM", exc.response.get("error"))
        await _post(client, Destination(user, None), message)

    return send
