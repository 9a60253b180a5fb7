"""What failed when a Slack listener fails: the API method and the error code, never text.

Calls made through `bot.slack.delivery` are logged and counted there; this is for what
escapes a listener. Each failure is one log line with a stable event name and one count
in the metrics.
"""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from bot import metrics
from bot.logs import log_failure

# The calls that carry a reply to the person who asked.
REPLY_METHODS = frozenset({"chat.postMessage", "chat.postEphemeral"})


def api_error(error: BaseException) -> tuple[str, str]:
    """The Web API method and the error code of `error` (Slack's code, else the HTTP status).

    An error that is not from the Web API is named by its type, with method "unknown".
    """
    if not isinstance(error, SlackApiError):
        return "unknown", type(error).__name__
    response = error.response
    method = str(getattr(response, "api_url", "") or "").rstrip("/").rsplit("/", 1)[-1]
    code = response.get("error") if isinstance(response.data, dict) else None
    return method or "unknown", str(code or response.status_code)


def listener_failed(error: BaseException) -> None:
    """Log and count a listener's failure: a lost reply, another API error, or a bug."""
    if not isinstance(error, SlackApiError):
        log_failure("listener_failed", "slack", code=type(error).__name__, level=logging.ERROR)
        return
    method, code = api_error(error)
    metrics.platform_error("slack", method, code)
    if method in REPLY_METHODS:
        metrics.reply_lost("slack")
        log_failure("reply_lost", "slack", method=method, code=code, level=logging.ERROR)
    else:
        log_failure("platform_error", "slack", method=method, code=code, level=logging.ERROR)
