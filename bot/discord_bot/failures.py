"""What failed when a Discord call fails: a route name and the HTTP status, never ids or text.

A REST path carries channel ids and interaction tokens, so only a fixed name for the
route reaches the logs and the metrics. Each failure is one log line with a stable
event name and one count in the metrics.
"""

from __future__ import annotations

import logging
import re

import discord

from bot import metrics
from bot.logs import log_failure

_ROUTES = (
    (re.compile(r"/interactions/\d+/[^/]+/callback$"), "interactions.callback"),
    (re.compile(r"/webhooks/\d+/[^/]+(/messages/[^/]+)?$"), "webhooks.message"),
    (re.compile(r"/channels/\d+/messages$"), "channels.messages"),
    (re.compile(r"/channels/\d+/messages/\d+$"), "channels.message"),
    (re.compile(r"/applications/\d+(/guilds/\d+)?/commands$"), "applications.commands"),
)


def route_name(path: str) -> str:
    """The fixed name of the REST route `path` belongs to, or "other"."""
    for pattern, name in _ROUTES:
        if pattern.search(path):
            return name
    return "other"


def api_error(error: BaseException) -> tuple[str, str]:
    """The route and the HTTP status of a failed REST call; other errors by their type."""
    if not isinstance(error, discord.HTTPException):
        return "unknown", type(error).__name__
    url = getattr(error.response, "url", None)
    return route_name(str(getattr(url, "path", ""))), str(error.status)


def answer_failed(error: BaseException) -> None:
    """Log an answer the engine could not give (an apology goes out instead)."""
    log_failure("answer_failed", "discord", code=type(error).__name__, level=logging.ERROR)


def reply_lost(error: BaseException) -> None:
    """Log and count a reply that could not be sent."""
    method, code = api_error(error)
    metrics.platform_error("discord", method, code)
    metrics.reply_lost("discord")
    log_failure("reply_lost", "discord", method=method, code=code, level=logging.ERROR)


def notice_lost(error: BaseException) -> None:
    """Log and count a cooldown notice Discord refused."""
    method, code = api_error(error)
    metrics.platform_error("discord", method, code)
    log_failure("notice_lost", "discord", method=method, code=code)
