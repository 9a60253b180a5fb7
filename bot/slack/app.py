"""The slack-bolt AsyncApp: each listener turns a payload into a Question, the Reply into blocks."""

from __future__ import annotations

import contextlib
import logging
import re
import time
from collections.abc import Awaitable, Callable, Collection, Sequence
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from bot import metrics
from bot.logs import log_failure
from bot.reply import Question, Reply
from bot.slack import failures, modal
from bot.slack.answering import Answerer
from bot.slack.delivery import (
    FORM_FAILED,
    NO_TEXT,
    Refused,
    Send,
    call,
    first_that_works,
    hint_for,
    responding,
    with_retries,
)
from bot.slack.feedback import add_feedback
from bot.slack.home import OPEN_FORM, SHOW_HELP, SHOW_LIMITS, home_view, welcome_message
from bot.slack.incoming import (
    Destination,
    command_question,
    dm_conversation,
    dm_question,
    is_answerable,
    mention_question,
    parse_command,
    thread_conversation,
    to_question_text,
)
from bot.slack.usage import notice_reply, usage_reply
from bot.slack.wording import ask_me_reply, for_slack, help_reply
from bot.store import StoreUnavailable
from calc.limits import load_limits

LOGGER = logging.getLogger("401k-bot.slack")

# A person is welcomed on their first visit to the bot's DM, remembered for a year.
WELCOME_REMEMBERED_SECONDS = 365 * 24 * 3600.0


def _is_token_notice(record: logging.LogRecord) -> bool:
    return "`token` will be unused" in record.getMessage()


# As of slack-bolt 1.30, AsyncApp reads SLACK_BOT_TOKEN from the environment even when it
# is given a client built with that token, and warns on every start that the token is
# unused; the client is the one that carries it, so the notice says nothing.
logging.getLogger("slack_bolt.AsyncApp").addFilter(lambda r: not _is_token_notice(r))

LIMITS_TOPIC = "contribution-limits"

# What the app registers; deploy/slack/manifest.yaml must name exactly these.
COMMANDS = ("/aftertaxroom", "/401k")
EVENTS = (
    "app_mention",
    "message.im",
    "message.channels",
    "message.groups",
    "message.mpim",
    "app_home_opened",
)
ASK_ABOUT_MESSAGE = "ask_about_message"
OPEN_FORM_SHORTCUT = "open_aftertaxroom_form"
SHORTCUTS = {ASK_ABOUT_MESSAGE: "message", OPEN_FORM_SHORTCUT: "global"}

# Shown instead of bolt's "please reinstall this app" when the token check fails on a
# request: a 429 or an outage is far more likely than an uninstalled app.
AUTHORIZE_ERROR = ":warning: I can't reach Slack just now. Please try again in a minute."
NOT_FOR_YOUR_TEAM = "This bot answers people of its own organisation only."


def _posting_to(client: AsyncWebClient, where: Destination) -> Send:
    async def send(message: dict[str, Any]) -> None:
        await call(
            "chat.postMessage",
            lambda: client.chat_postMessage(
                channel=where.channel,
                thread_ts=where.thread_ts,
                unfurl_links=False,
                unfurl_media=False,
                **message,
            ),
        )

    return send


def _whispering_to(client: AsyncWebClient, where: Destination, user: str) -> Send:
    """Send so only `user` sees it, in the channel (and thread) of `where`."""

    async def send(message: dict[str, Any]) -> None:
        await call(
            "chat.postEphemeral",
            lambda: client.chat_postEphemeral(
                channel=where.channel, user=user, thread_ts=where.thread_ts, **message
            ),
        )

    return send


def _private(client: AsyncWebClient, user: str, channel: str | None) -> list[Send]:
    """The ways to reach only `user`: ephemerally in `channel`, else in the bot's DM."""
    dm = _posting_to(client, Destination(user, None))
    return [_whispering_to(client, Destination(channel, None), user), dm] if channel else [dm]


def _in_turn(sends: Sequence[Send]) -> Send:
    """One Send that tries each of `sends` until one works."""

    async def send(message: dict[str, Any]) -> None:
        refused = await first_that_works(sends, message)
        if refused is not None:
            raise refused

    return send


async def _deliver(
    answerer: Answerer,
    reply: Reply,
    sends: Sequence[Send],
    started: float,
    tell: Sequence[Send] = (),
) -> None:
    """Send `reply` the first way that works and log it; else tell the person what to do.

    What they are told follows Slack's error code: "invite me with /invite @401k-bot"
    for `not_in_channel`, "ask again" for a spent response_url.
    """
    answerer.produced(reply, started)
    refused = await first_that_works(sends, answerer.message(reply))
    if refused is None:
        answerer.delivered(reply, started)
        return
    metrics.reply_lost("slack")
    await _tell(answerer, hint_for(refused.code), tell)


async def _answer(answerer: Answerer, question: Question, *, about_401k: bool = False) -> Reply:
    """The engine's reply, worded for Slack."""
    return for_slack(await answerer.answer(question, about_401k=about_401k))


async def _tell(answerer: Answerer, text: str, sends: Sequence[Send]) -> None:
    notice = notice_reply(text, answerer.disclosure, answerer.year().year)
    if sends and await first_that_works(sends, answerer.message(notice)) is None:
        return
    # Each refused way was logged; this line says nobody heard of it.
    log_failure("notice_lost", "slack")


async def _admitted(
    answerer: Answerer,
    user: str | None,
    context: dict[str, Any],
    tell: Send,
    *,
    every_time: bool = True,
) -> bool:
    """Whether `user` is within the per-user limit; if not, tell them when to ask again.

    Messages that keep coming past the limit are told once (`every_time` False), so a
    flood of them does not become a flood of notices.
    """
    verdict = await answerer.admit(user, context.get("team_id"))
    if verdict.allowed:
        return True
    if every_time or verdict.first_refusal:
        await first_that_works([tell], answerer.message(answerer.slow_down(verdict)))
    return False


async def _first_visit(answerer: Answerer, team_id: str | None, user: str) -> bool:
    """True the first time `user` opens the bot's DM, on any replica; False if unsure."""
    key = f"slack:{team_id or '-'}:welcomed:{user}"
    try:
        return await answerer.store.add_if_absent(key, WELCOME_REMEMBERED_SECONDS)
    except StoreUnavailable:
        return False


def _form_opener(answerer: Answerer, client: AsyncWebClient) -> Callable[..., Awaitable[bool]]:
    async def open_form(trigger_id: str, channel: str | None) -> bool:
        """Open the /aftertaxroom form; False (logged) if Slack refused it."""
        view = modal.form_view(load_limits().years, answerer.year().year, channel)
        try:
            await call("views.open", lambda: client.views_open(trigger_id=trigger_id, view=view))
        except Refused:
            return False
        return True

    return open_form


def build_app(
    answerer: Answerer,
    *,
    client: AsyncWebClient,
    signing_secret: str | None,
    process_before_response: bool = False,
    allowed_teams: Collection[str] = (),
) -> AsyncApp:
    """An AsyncApp with every listener; `signing_secret` None means Socket Mode (no signatures).

    `allowed_teams`, when given, are the only teams besides the token's own whose people
    are answered (Slack Connect).
    """
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
        user_facing_authorize_error_message=AUTHORIZE_ERROR,
    )
    open_form = _form_opener(answerer, client)

    @app.middleware
    async def answer_each_event_once(
        body: dict[str, Any], req: AsyncBoltRequest, next: Callable[[], Awaitable[None]]
    ) -> BoltResponse | None:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        is_retry = bool(req.headers.get("x-slack-retry-num"))
        if event_id and not await answerer.seen.first_time(
            body.get("team_id"), str(event_id), is_retry=is_retry
        ):
            LOGGER.debug("acknowledged a repeated delivery of an event without answering")
            return BoltResponse(status=200, body="")
        await next()
        return None

    @app.middleware
    async def answer_own_workspace(
        body: dict[str, Any], context: AsyncBoltContext, next: Callable[[], Awaitable[None]]
    ) -> BoltResponse | None:
        own = context.authorize_result.team_id if context.authorize_result else None
        if body.get("type") == "event_callback" and own and context.team_id not in (None, own):
            LOGGER.info("ignored an event for another workspace than the token's")
            return BoltResponse(status=200, body="")
        if allowed_teams and context.actor_team_id not in {own, *allowed_teams}:
            LOGGER.info("ignored a request from a team not in SLACK_ALLOWED_TEAM_IDS")
            if "command" in body:
                return BoltResponse(
                    status=200, body={"response_type": "ephemeral", "text": NOT_FOR_YOUR_TEAM}
                )
            return BoltResponse(status=200, body="")
        await next()
        return None

    async def answer_in_thread(
        question: Question,
        where: Destination,
        client: AsyncWebClient,
        context: dict[str, Any],
        started: float,
    ) -> None:
        """Answer `question` in the thread of `where`; a bare mention gets "ask me…"."""
        user = str(question.user_id)
        tell = [_whispering_to(client, where, user), *_private(client, user, None)]
        if not await _admitted(answerer, user, context, tell[0], every_time=False):
            return
        if question.text:
            reply = await _answer(answerer, question)
        else:
            reply = ask_me_reply(answerer.disclosure, answerer.year().year)
        await _deliver(answerer, reply, [_posting_to(client, where)], started, tell)

    @app.event("app_mention")
    async def on_mention(
        event: dict[str, Any], context: dict[str, Any], client: AsyncWebClient
    ) -> None:
        started = time.perf_counter()
        if not is_answerable(event, context.get("bot_user_id")):
            return
        question, where = mention_question(
            event, context.get("bot_user_id"), answerer.today(), context.get("team_id")
        )
        await answer_in_thread(question, where, client, context, started)

    @app.event("message")
    async def on_message(
        event: dict[str, Any], context: dict[str, Any], client: AsyncWebClient
    ) -> None:
        started = time.perf_counter()
        bot_user = context.get("bot_user_id")
        if not is_answerable(event, bot_user):
            return
        team = context.get("team_id")
        if event.get("channel_type") != "im":
            # A message in a channel's thread is a turn, without a mention, of a
            # conversation the bot is having there with that person; anything else is not
            # for the bot. One that mentions the bot is answered as the mention it also is.
            mentions = bool(bot_user) and f"<@{bot_user}>" in str(event.get("text", ""))
            if not event.get("thread_ts") or mentions:
                return
            question, where = mention_question(event, bot_user, answerer.today(), team)
            live = question.conversation and await answerer.in_conversation(question.conversation)
            if live and question.text:
                await answer_in_thread(question, where, client, context, started)
            return
        question, where = dm_question(event, bot_user, answerer.today(), team)
        send = _posting_to(client, where)
        if not await _admitted(answerer, question.user_id, context, send, every_time=False):
            return
        await _deliver(answerer, await _answer(answerer, question), [send], started)

    async def on_command(
        ack: Callable[..., Awaitable[None]],
        command: dict[str, Any],
        context: dict[str, Any],
        respond: AsyncRespond,
        client: AsyncWebClient,
    ) -> None:
        await ack()
        started = time.perf_counter()
        user, channel = str(command.get("user_id")), command.get("channel_id")
        whisper = responding(respond.response_url, response_type="ephemeral")
        private = _private(client, user, channel)
        if not await _admitted(answerer, user, context, whisper):
            return
        slash = parse_command(command["command"], str(command.get("text", "")))
        if slash.name == "aftertaxroom" and not slash.text and not slash.public:
            if not await open_form(command["trigger_id"], channel):
                await _tell(answerer, FORM_FAILED, [whisper, *private])
            return
        if slash.wants_help or not slash.text:
            help_reply = usage_reply(slash.name, answerer.disclosure, answerer.year().year)
            await _deliver(answerer, help_reply, [whisper], started, private)
            return
        question = command_question(slash, command, answerer.today())
        reply = await _answer(answerer, question, about_401k=slash.name == "401k")
        response_type = "in_channel" if slash.public else "ephemeral"
        answer = responding(respond.response_url, response_type=response_type)
        await _deliver(answerer, reply, [answer], started, private)

    for name in COMMANDS:
        app.command(re.compile(f"^{re.escape(name)}$", re.IGNORECASE))(on_command)

    @app.view(modal.CALLBACK_ID)
    async def on_form(
        ack: Callable[..., Awaitable[None]],
        body: dict[str, Any],
        view: dict[str, Any],
        context: dict[str, Any],
        client: AsyncWebClient,
    ) -> None:
        checked = modal.check(modal.field_values(view), load_limits().years)
        if checked.errors:
            await ack(response_action="errors", errors=checked.errors)
            return
        await ack()
        started = time.perf_counter()
        user = body["user"]["id"]
        # Ephemerally where the form was opened, else in a DM: the bot is not in every
        # channel a slash command can be typed in.
        private = _private(client, user, modal.channel_of(view))
        if not await _admitted(answerer, user, context, _in_turn(private)):
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
        await _deliver(answerer, await _answer(answerer, question), private, started)

    @app.action(re.compile(r"^topic:"))
    async def on_topic_button(
        ack: Callable[..., Awaitable[None]],
        body: dict[str, Any],
        action: dict[str, Any],
        context: dict[str, Any],
        respond: AsyncRespond,
        client: AsyncWebClient,
    ) -> None:
        await ack()
        started = time.perf_counter()
        user = body["user"]["id"]
        channel = (body.get("channel") or {}).get("id")
        whisper = responding(
            respond.response_url, response_type="ephemeral", replace_original=False
        )
        private = _private(client, user, channel)
        if not await _admitted(answerer, user, context, whisper):
            return
        topic, _, year = str(action.get("value", "")).partition("@")
        message = body.get("message")
        ephemeral = bool((body.get("container") or {}).get("is_ephemeral"))
        # A click under an answer in a thread or a DM is a turn of the clicker's
        # conversation there; under a private answer there is none.
        conversation = None
        if channel and message and not ephemeral:
            clicked = {**message, "user": user, "channel": channel}
            is_dm = str(channel).startswith("D")
            team = context.get("team_id")
            conversation = (
                dm_conversation(clicked, team) if is_dm else thread_conversation(clicked, team)
            )
        # The topic is named exactly, so the engine answers with that article; its words
        # are the question only if no article has that id.
        question = Question(
            text=topic.replace("-", " "),
            surface="slack",
            user_id=user,
            channel_id=channel,
            is_dm=str(channel or "").startswith("D"),
            command="401k",
            args={"topic": topic},
            year=int(year) if year.isdigit() and int(year) in load_limits().years else None,
            today=answerer.today(),
            conversation=conversation,
        )
        reply = await _answer(answerer, question)
        if ephemeral or not (channel and message):
            await _deliver(answerer, reply, [whisper], started, private)
            return
        thread_ts = message.get("thread_ts")
        if thread_ts is None and not question.is_dm:
            thread_ts = message.get("ts")
        # Under a `/401k public` answer the bot may not be in the channel (or it is a DM
        # between people); the click's response_url posts there all the same.
        public = responding(
            respond.response_url,
            response_type="in_channel",
            replace_original=False,
            thread_ts=thread_ts,
        )
        where = Destination(channel, thread_ts)
        await _deliver(answerer, reply, [_posting_to(client, where), public], started, private)

    @app.message_shortcut(ASK_ABOUT_MESSAGE)
    async def on_ask_about_message(
        ack: Callable[..., Awaitable[None]],
        body: dict[str, Any],
        context: dict[str, Any],
        respond: AsyncRespond,
        client: AsyncWebClient,
    ) -> None:
        await ack()
        started = time.perf_counter()
        user = body["user"]["id"]
        channel = (body.get("channel") or {}).get("id")
        whisper = responding(respond.response_url, response_type="ephemeral")
        private = _private(client, user, channel)
        if not await _admitted(answerer, user, context, whisper):
            return
        message = body.get("message") or {}
        question = Question(
            text=to_question_text(str(message.get("text", "")), context.get("bot_user_id")),
            surface="slack",
            user_id=user,
            channel_id=channel,
            is_dm=str(channel or "").startswith("D"),
            in_thread=message.get("thread_ts") is not None,
            today=answerer.today(),
        )
        if not question.text:
            await _tell(answerer, NO_TEXT, [whisper, *private])
            return
        await _deliver(answerer, await _answer(answerer, question), [whisper], started, private)

    @app.global_shortcut(OPEN_FORM_SHORTCUT)
    async def on_form_shortcut(
        ack: Callable[..., Awaitable[None]], body: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await ack()
        if not await open_form(body["trigger_id"], None):
            await _tell(answerer, FORM_FAILED, _private(client, body["user"]["id"], None))

    @app.action(OPEN_FORM)
    async def on_home_form(
        ack: Callable[..., Awaitable[None]], body: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await ack()
        if not await open_form(body["trigger_id"], None):
            await _tell(answerer, FORM_FAILED, _private(client, body["user"]["id"], None))

    @app.action(re.compile(f"^(?:{re.escape(SHOW_LIMITS)}|{re.escape(SHOW_HELP)})$"))
    async def on_home_answer(
        ack: Callable[..., Awaitable[None]],
        body: dict[str, Any],
        action: dict[str, Any],
        context: dict[str, Any],
        client: AsyncWebClient,
    ) -> None:
        """The Home tab's limits and help buttons: the answer arrives in the bot's DM."""
        await ack()
        started = time.perf_counter()
        user = body["user"]["id"]
        dm = _private(client, user, None)
        if not await _admitted(answerer, user, context, dm[0]):
            return
        if action["action_id"] == SHOW_HELP:
            reply = help_reply(answerer.disclosure, answerer.year().year)
        else:
            limits = Question(
                text="401(k) limits",
                surface="slack",
                user_id=user,
                is_dm=True,
                args={"topic": LIMITS_TOPIC},
                today=answerer.today(),
            )
            reply = await _answer(answerer, limits)
        await _deliver(answerer, reply, dm, started)

    add_feedback(app, answerer)

    @app.event("app_home_opened")
    async def on_home(
        event: dict[str, Any], context: dict[str, Any], client: AsyncWebClient
    ) -> None:
        user = str(event["user"])
        if event.get("tab", "home") == "messages":
            if await _first_visit(answerer, context.get("team_id"), user):
                where = Destination(str(event.get("channel") or user), None)
                welcome = welcome_message(answerer.disclosure, answerer.year().year)
                await first_that_works([_posting_to(client, where)], welcome)
            return
        view = home_view(answerer.year(), answerer.disclosure, answerer.engine.plan)
        with contextlib.suppress(Refused):
            await call("views.publish", lambda: client.views_publish(user_id=user, view=view))

    @app.error
    async def on_error(error: Exception) -> None:
        # The payload, and so the error's text, can hold what people typed: above DEBUG,
        # only the kind of error (for Slack's, the method and error code) is logged.
        failures.listener_failed(error)
        LOGGER.debug("a Slack listener failed", exc_info=error)

    return app
