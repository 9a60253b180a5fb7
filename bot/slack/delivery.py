"""Getting replies to Slack through its bad moments, and saying so when one does not arrive.

Every Web API client and every `response_url` post retries a 429 after its
`Retry-After`, a 500 or 503 with backoff, and a dropped connection. A reply that still
fails is logged at WARNING with the API method and Slack's error code (never the
message), and counted.
"""

from __future__ import annotations

import logging
from collections import Counter
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

LOGGER = logging.getLogger("401k-bot.slack")

RETRIES = 3
UNDELIVERED: Counter[str] = Counter()


class Undelivered(Exception):
    """A reply Slack did not accept after the retries: the method and Slack's error code."""

    def __init__(self, method: str, code: str) -> None:
        super().__init__(f"{method}: {code}")
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


async def respond(response_url: str, message: dict[str, Any]) -> None:
    """Post `message` to a `response_url`; Undelivered when Slack does not take it."""
    client = AsyncWebhookClient(url=response_url, retry_handlers=retry_handlers())
    try:
        response = await client.send_dict(message)
    except (aiohttp.ClientError, OSError, TimeoutError, ValueError) as exc:
        raise Undelivered("response_url", type(exc).__name__) from None
    if not 200 <= response.status_code < 300:
        raise Undelivered("response_url", f"http_{response.status_code}")


def undelivered(error: SlackApiError | Undelivered) -> Undelivered:
    """The method and error code of a failed send, whatever raised it."""
    if isinstance(error, Undelivered):
        return error
    response = error.response
    method = str(getattr(response, "api_url", "") or "").rstrip("/").rsplit("/", 1)[-1]
    code = response.get("error") if isinstance(response.data, dict) else None
    return Undelivered(method or "unknown", str(code or f"http_{response.status_code}"))


def note_undelivered(error: SlackApiError | Undelivered, what: str = "a reply") -> None:
    """Log and count `what` that Slack did not accept."""
    failed = undelivered(error)
    UNDELIVERED[failed.method] += 1
    LOGGER.warning(
        "%s was not delivered",
        what,
        extra={
            "fields": {
                "method": failed.method,
                "error": failed.code,
                "undelivered": sum(UNDELIVERED.values()),
            }
        },
    )
