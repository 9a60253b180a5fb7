"""Sending to Slack through its bad moments, and without failing silently.

Every Web API client and every `response_url` post retries a 429 after its
`Retry-After`, a 500 or 503 with backoff, and a dropped connection. A call that still
fails is logged at WARNING with the Web API method and Slack's error code, which hold
nothing anyone typed (the message itself is never logged), and counted; the person is
told what they can do.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot import metrics

LOGGER = logging.getLogger("401k-bot.slack")
# A code as Slack writes one: "expired_url", "not_in_channel".
_CODE = re.compile(r"[a-z][a-z0-9_]{1,40}")

RETRIES = 3
# Calls Slack did not accept after the retries, by method.
UNDELIVERED: Counter[str] = Counter()

Send = Callable[[dict[str, Any]], Awaitable[object]]

# What to do when Slack refuses a post in a channel, by its error code.
_CANNOT_POST = (
    "I can't post in this channel. Invite me with `/invite @401k-bot`, or ask me with "
    "`/401k your question` (only you see the answer) or in a direct message."
)
_HINTS = {
    "not_in_channel": _CANNOT_POST,
    "channel_not_found": _CANNOT_POST,
    "restricted_action": "This channel doesn't let me post. Ask me with `/401k your question` "
    "(only you see the answer) or in a direct message.",
    "is_archived": "This channel is archived, so I can't post in it. Ask me in a direct "
    "message, or with `/401k your question` in another channel.",
}
_TRY_LATER = "I couldn't send my answer just now. Please ask again in a minute."
# A response_url works for 30 minutes and five replies, then answers with these.
_STALE = (
    "That answer is too old for its buttons to work. Ask again with `/401k your question`, "
    "or mention me."
)
_HINTS.update(expired_url=_STALE, used_url=_STALE)
NO_TEXT = "That message has no text I can answer. Ask me with `/401k your question`."
FORM_FAILED = (
    "I couldn't open the form in time. Try `/aftertaxroom` again, or type your numbers: "
    "`/aftertaxroom 24500 10000` (your deferrals, then your employer's contributions)."
)


class Refused(Exception):
    """Slack refused a call: which method, and Slack's error code (never message text)."""

    def __init__(self, method: str, code: str) -> None:
        super().__init__(f"{method} failed: {code}")
        self.method = method
        self.code = code


def retry_handlers() -> list[AsyncRetryHandler]:
    """Retries for rate limits, server errors and dropped connections."""
    return [
        AsyncConnectionErrorRetryHandler(max_retry_count=RETRIES),
        AsyncRateLimitErrorRetryHandler(max_retry_count=RETRIES),
        AsyncServerErrorRetryHandler(max_retry_count=RETRIES),
    ]


def with_retries(client: AsyncWebClient) -> AsyncWebClient:
    """`client` with every retry handler of `retry_handlers` it does not have yet."""
    kinds = {type(handler) for handler in client.retry_handlers}
    extra = [handler for handler in retry_handlers() if type(handler) not in kinds]
    client.retry_handlers = [*client.retry_handlers, *extra]
    return client


def hint_for(code: str) -> str:
    """What the person can do when a post was refused with `code`."""
    return _HINTS.get(code, _TRY_LATER)


def error_code(exc: SlackApiError) -> str:
    """Slack's error code, or the HTTP status when the body was not Slack's JSON (an outage)."""
    data = exc.response.data
    code = data.get("error") if isinstance(data, dict) else None
    return str(code or f"HTTP {exc.response.status_code}")


def refusal(exc: BaseException, method: str) -> Refused:
    """`exc` from a Web API or response_url call, as a Refused naming `method` and the code."""
    if isinstance(exc, Refused):
        return exc
    if isinstance(exc, SlackApiError):
        url = str(getattr(exc.response, "api_url", "") or "")
        named = url.rstrip("/").rsplit("/", 1)[-1] or method
        return Refused(named, error_code(exc))
    return Refused(method, type(exc).__name__)


def warn(refused: Refused) -> None:
    """Log (event `platform_error`) and count a call Slack did not accept."""
    UNDELIVERED[refused.method] += 1
    metrics.platform_error("slack", refused.method, refused.code.removeprefix("HTTP "))
    LOGGER.warning(
        "%s failed: %s",
        refused.method,
        refused.code,
        extra={
            "fields": {
                "event": "platform_error",
                "surface": "slack",
                "method": refused.method,
                "code": refused.code,
                "undelivered": sum(UNDELIVERED.values()),
            }
        },
    )


async def call(method: str, make: Callable[[], Awaitable[object]]) -> None:
    """Run one Slack call; raise Refused (already logged) if Slack or the network refused it."""
    try:
        result = await make()
    except (SlackApiError, aiohttp.ClientError, OSError, TimeoutError) as exc:
        refused = refusal(exc, method)
        warn(refused)
        raise refused from None
    status = getattr(result, "status_code", 200)
    if status != 200:
        # A response_url answers 404 with "expired_url" or "used_url" once it is spent.
        refused = Refused(method, webhook_code(status, str(getattr(result, "body", "") or "")))
        warn(refused)
        raise refused


def webhook_code(status: int, body: str) -> str:
    """What a response_url said: its error word ("expired_url"), the `error` of a JSON
    body, or the HTTP status; never more of the body than a code."""
    text = body.strip()
    if _CODE.fullmatch(text):
        return text
    with contextlib.suppress(ValueError):
        data = json.loads(text)
        if isinstance(data, dict) and _CODE.fullmatch(str(data.get("error", ""))):
            return str(data["error"])
    return f"HTTP {status}"


def responding(response_url: str | None, **options: Any) -> Send:
    """Send through the payload's `response_url`, which needs no channel membership."""

    async def send(message: dict[str, Any]) -> None:
        if not response_url:
            refused = Refused("response_url", "no_response_url")
            warn(refused)
            raise refused
        client = AsyncWebhookClient(url=response_url, retry_handlers=retry_handlers())
        await call("response_url", lambda: client.send_dict({**options, **message}))

    return send


async def first_that_works(sends: Sequence[Send], message: dict[str, Any]) -> Refused | None:
    """Send `message` the first way that works; the last refusal when none did."""
    last: Refused | None = None
    for send in sends:
        try:
            await send(message)
            return None
        except Refused as refused:
            last = refused
    return last
