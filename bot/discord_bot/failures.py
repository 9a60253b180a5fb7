"""What failed when a Discord call fails: a route name and the HTTP status, never text.

A REST path carries channel ids and interaction tokens, so only a fixed name for the
route reaches the metrics (`route_name`), and the path with its ids and tokens replaced
reaches the log (`route_of`). Each failure is counted once and logged in exactly one
line with a stable event name, by whoever gives up on the message: `reply_lost` for an
answer, `notice_lost` for a notice. A refused request is never tried again here:
Discord bans an IP that makes 10,000 invalid requests (401, 403, 429) in 10 minutes.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import discord

from bot import metrics
from bot.logs import log_failure

_ROUTES = (
    (re.compile(r"/interactions/\d+/[^/]+/callback$"), "interactions.callback"),
    (re.compile(r"/webhooks/\d+/[^/]+(/messages/[^/]+)?$"), "webhooks.message"),
    (re.compile(r"/channels/\d+/messages$"), "channels.messages"),
    (re.compile(r"/channels/\d+/messages/\d+$"), "channels.message"),
    (re.compile(r"/channels/\d+/messages/\d+/reactions/.+$"), "channels.reactions"),
    (re.compile(r"/users/@me/channels$"), "users.channels"),
    (re.compile(r"/applications/\d+(/guilds/\d+)?/commands$"), "applications.commands"),
)

# A path segment kept as it is: a word such as `messages`, `callback` or `@me`.
_WORD = re.compile(r"[a-z@][a-z_@-]{0,23}")


def route_name(path: str) -> str:
    """The fixed name of the REST route `path` belongs to, or "other"."""
    for pattern, name in _ROUTES:
        if pattern.search(path):
            return name
    return "other"


def route_of(path: str) -> str:
    """An API path with its ids, tokens and emoji replaced: `channels/{id}/messages`."""
    parts = path.split("/api/v10/", 1)[-1].strip("/").split("/")
    return "/".join(
        part if _WORD.fullmatch(part) else "{id}" if part.isdigit() else "{token}" for part in parts
    )


def api_error(error: BaseException) -> tuple[str, str]:
    """The route and the HTTP status of a failed REST call; other errors by their type."""
    if not isinstance(error, discord.HTTPException):
        return "unknown", type(error).__name__
    url = getattr(error.response, "url", None)
    return route_name(str(getattr(url, "path", ""))), str(error.status)


class SendFailed(Exception):
    """A message that was not sent: Discord refused it (already counted), or it was not tried.

    `method` and `code` are the route's name and the HTTP status (or why nothing was
    sent); `fields` hold the ids and Discord's own error code, for the one log line.
    """

    def __init__(self, method: str, code: str, **fields: Any) -> None:
        super().__init__(f"{method} {code}")
        self.method = method
        self.code = code
        self.fields = fields


@dataclass(frozen=True)
class Failure:
    """What a refused request was: its method and route, and Discord's status and code."""

    method: str
    route: str
    status: int
    code: int


@dataclass
class Failures:
    """Refused requests by method, route, status and error code, since the process started."""

    counts: Counter[Failure] = field(default_factory=Counter)

    def record(
        self, exc: discord.HTTPException, *, guild_id: int | None, channel_id: int | None
    ) -> SendFailed:
        """Count `exc`; the exception to raise so the message is logged once as not sent.

        Discord's message is not kept: it may quote what was sent.
        """
        response = exc.response
        path = str(getattr(getattr(response, "url", None), "path", "") or "")
        method = getattr(response, "method", "") or ""
        failure = Failure(method, route_of(path), exc.status, exc.code)
        self.counts[failure] += 1
        name = route_name(path)
        metrics.platform_error("discord", name, str(exc.status))
        return SendFailed(
            name,
            str(exc.status),
            route=failure.route,
            discord_code=failure.code,
            guild=guild_id,
            channel=channel_id,
        )

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _lost(event: str, error: BaseException, level: int) -> None:
    if isinstance(error, SendFailed):
        log_failure(
            event, "discord", method=error.method, code=error.code, level=level, **error.fields
        )
        return
    method, code = api_error(error)
    metrics.platform_error("discord", method, code)
    log_failure(event, "discord", method=method, code=code, level=level)


def reply_lost(error: BaseException) -> None:
    """Log and count a reply that could not be sent."""
    metrics.reply_lost("discord")
    _lost("reply_lost", error, logging.ERROR)


def notice_lost(error: BaseException) -> None:
    """Log and count a notice (a cooldown, a problem with the input) that could not be sent."""
    _lost("notice_lost", error, logging.WARNING)
