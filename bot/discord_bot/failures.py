"""Requests Discord refused after discord.py's own retries: logged once with ids, and counted.

A refused send is never tried again here: Discord bans an IP that makes 10,000 invalid
requests (401, 403, 429) in 10 minutes.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field

import discord

from bot.discord_bot.service import SendFailed

LOGGER = logging.getLogger("401k-bot.discord")

# A path segment kept as it is: a word such as `messages`, `callback` or `@me`.
_WORD = re.compile(r"[a-z@][a-z_@-]{0,23}")


def route_of(path: str) -> str:
    """An API path with its ids, tokens and emoji replaced: `channels/{id}/messages`."""
    parts = path.split("/api/v10/", 1)[-1].strip("/").split("/")
    return "/".join(
        part if _WORD.fullmatch(part) else "{id}" if part.isdigit() else "{token}" for part in parts
    )


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
        """Log and count `exc`; the exception to raise so the reply is not logged as sent.

        Discord's message is not logged: it may quote what was sent.
        """
        response = exc.response
        method = getattr(response, "method", "") or ""
        url = getattr(response, "url", None)
        failure = Failure(method, route_of(getattr(url, "path", "") or ""), exc.status, exc.code)
        self.counts[failure] += 1
        LOGGER.warning(
            "discord refused a request",
            extra={
                "fields": {
                    "method": failure.method,
                    "route": failure.route,
                    "status": failure.status,
                    "code": failure.code,
                    "guild": guild_id,
                    "channel": channel_id,
                }
            },
        )
        return SendFailed(f"{failure.status} {failure.code}")

    @property
    def total(self) -> int:
        return sum(self.counts.values())
