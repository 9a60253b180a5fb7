"""Slack listeners for feedback on replies and for "Ask the benefits team".

"Helpful" is recorded at once; "Not helpful" opens an optional reason form and is
recorded when it is sent or closed. Either way the buttons become "Thanks for the
feedback". "Ask the benefits team" opens a form with the question exactly as it would
be posted (editable); only its Send posts it, to SLACK_EXPERT_CHANNEL.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.feedback.expert import expert_post
from bot.render.slack import (
    EXPERT_ACTION,
    EXPERT_CALLBACK,
    EXPERT_TEXT_BLOCK,
    HELPFUL,
    NOT_HELPFUL,
    REASON_BLOCK,
    REASON_CALLBACK,
    THANKS,
    escape,
    expert_block,
    expert_view,
    reason_view,
    thanked,
)
from bot.slack.answering import Answerer
from bot.slack.delivery import Refused, call, refusal, responding, warn

LOGGER = logging.getLogger("401k-bot.slack")

Ack = Callable[..., Awaitable[None]]


def _where(body: dict[str, Any]) -> tuple[str | None, str | None, str | None]:
    """The channel, the message and the thread of the reply that was clicked."""
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
        "channel_id"
    )
    message = body.get("message") or {}
    ts = message.get("ts") or (body.get("container") or {}).get("message_ts")
    return channel, ts, message.get("thread_ts") or ts


async def _thank(body: dict[str, Any], expert: bool) -> None:
    """Replace the feedback buttons with the thanks, where Slack lets the bot see them."""
    url = str(body.get("response_url") or "")
    if not url:
        return
    extra = [expert_block()] if expert else []
    message = body.get("message") or {}
    if message.get("blocks"):
        update = {
            "replace_original": True,
            "text": message.get("text", ""),
            "blocks": thanked(message["blocks"], extra),
        }
    else:  # an ephemeral reply: Slack does not send its blocks back
        update = {
            "replace_original": False,
            "response_type": "ephemeral",
            "text": THANKS,
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": THANKS}}, *extra],
        }
    with contextlib.suppress(Refused):  # logged and counted as it was refused
        await responding(url)(update)


def add_feedback(app: AsyncApp, answerer: Answerer) -> None:
    """Register the feedback and expert listeners on `app`."""

    @app.action(re.compile(f"^(?:{re.escape(HELPFUL)}|{re.escape(NOT_HELPFUL)})$"))
    async def on_feedback(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await ack()
        kind, _, topic = str(action.get("value", "")).partition(":")
        user = body["user"]["id"]
        channel, _, _ = _where(body)
        rated = (kind, topic or None)
        if action.get("action_id") == HELPFUL:
            answerer.curation.rated("slack", rated, True, (user, channel))
        else:
            metadata = json.dumps({"kind": kind, "topic": topic, "channel": channel})
            try:
                view = reason_view(metadata)
                await call(
                    "views.open",
                    lambda: client.views_open(trigger_id=body["trigger_id"], view=view),
                )
            except Refused:
                answerer.curation.rated("slack", rated, False, (user, channel))
        await _thank(
            body, expert=bool(answerer.expert_channel) and action.get("action_id") != HELPFUL
        )

    def _rated_from(view: dict[str, Any]) -> tuple[tuple[str, str | None], str | None]:
        data = json.loads(view.get("private_metadata") or "{}")
        return (str(data.get("kind", "")), data.get("topic") or None), data.get("channel")

    @app.view(REASON_CALLBACK)
    async def on_reason(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        await ack()
        rated, channel = _rated_from(view)
        value = view["state"]["values"].get(REASON_BLOCK, {}).get(REASON_BLOCK, {}).get("value")
        answerer.curation.rated("slack", rated, False, (body["user"]["id"], channel), value or None)

    @app.view_closed(REASON_CALLBACK)
    async def on_reason_skipped(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        await ack()
        rated, channel = _rated_from(view)
        answerer.curation.rated("slack", rated, False, (body["user"]["id"], channel))

    @app.action(EXPERT_ACTION)
    async def on_ask_expert(ack: Ack, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        expert = answerer.expert_channel
        if not expert:
            return
        user = body["user"]["id"]
        channel, ts, thread = _where(body)
        ephemeral = bool((body.get("container") or {}).get("is_ephemeral")) or not body.get(
            "message"
        )
        question = answerer.recent.get(user, channel, answerer.clock())
        metadata = json.dumps(
            {"channel": channel, "ts": None if ephemeral else ts, "thread": thread}
        )
        view = expert_view(question, expert, metadata, linked=not ephemeral)
        with contextlib.suppress(Refused):
            await call(
                "views.open", lambda: client.views_open(trigger_id=body["trigger_id"], view=view)
            )

    @app.view(EXPERT_CALLBACK)
    async def on_expert_confirmed(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient
    ) -> None:
        text = view["state"]["values"][EXPERT_TEXT_BLOCK][EXPERT_TEXT_BLOCK].get("value") or ""
        if not text.strip():
            await ack(response_action="errors", errors={EXPERT_TEXT_BLOCK: "Write the question."})
            return
        await ack()
        expert = answerer.expert_channel
        if not expert:
            return
        data = json.loads(view.get("private_metadata") or "{}")
        link = None
        if data.get("channel") and data.get("ts"):
            try:
                found = await client.chat_getPermalink(
                    channel=data["channel"], message_ts=data["ts"]
                )
                if found.get("permalink"):
                    link = f"<{escape(str(found['permalink']))}|the conversation>"
            except SlackApiError as exc:
                warn(refusal(exc, "chat.getPermalink"))
        asker = None if link else f"<@{body['user']['id']}>"
        post = expert_post(escape(text), link, asker)
        try:
            await call(
                "chat.postMessage",
                lambda: client.chat_postMessage(
                    channel=expert, text=post, unfurl_links=False, unfurl_media=False
                ),
            )
        except Refused:
            return
        LOGGER.info("a question was sent to the benefits team")
