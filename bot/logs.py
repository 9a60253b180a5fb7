"""Logging set-up, the one line logged per answered message and the one per failure.

At INFO nothing a person typed is logged: no message text, amounts, user names or
tokens; only the surface, the kind of reply, its topic, the matcher's confidence and
the latency. A failure is one WARNING or ERROR line named by a stable `event`, with
the surface and, for a platform call, its API method and error code.
"""

from __future__ import annotations

import json
import logging
import sys
from typing import Any

from bot.reply import Reply

LOGGER = logging.getLogger("401k-bot")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and the record's fields."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        data.update(getattr(record, "fields", {}))
        if record.exc_info:
            data["error"] = self.formatException(record.exc_info)
        return json.dumps(data, default=str)


class TextFormatter(logging.Formatter):
    """A readable line: time, level, message, then key=value fields."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        fields = getattr(record, "fields", {})
        if fields:
            line += " " + " ".join(f"{k}={v}" for k, v in fields.items())
        return line


def configure(level: str = "INFO", fmt: str = "text") -> None:
    """Send logs to stderr in `fmt` ("json" or "text") at `level`."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Library loggers at DEBUG would print payloads (message text, tokens in URLs).
    for noisy in ("slack_sdk", "discord", "aiohttp.access"):
        logging.getLogger(noisy).setLevel(max(logging.getLevelName(level), logging.INFO))
    # slack_bolt logs a whole request body at INFO when its signature check fails.
    logging.getLogger("slack_bolt").setLevel(logging.WARNING)


def log_reply(surface: str, reply: Reply, latency_ms: float, **fields: Any) -> None:
    """The one INFO line per answered message; `fields` must not hold user text."""
    LOGGER.info(
        "answered",
        extra={
            "fields": {
                "surface": surface,
                "kind": reply.kind,
                "topic": reply.topic,
                "confidence": round(reply.confidence, 3),
                "latency_ms": round(latency_ms, 2),
                **fields,
            }
        },
    )


def log_failure(
    event: str,
    surface: str,
    *,
    method: str | None = None,
    code: str | None = None,
    level: int = logging.WARNING,
    **fields: Any,
) -> None:
    """The one line for a failure, named by `event`; `fields` must not hold user text."""
    named = {"method": method, "code": code}
    logging.getLogger(f"401k-bot.{surface}").log(
        level,
        event,
        extra={
            "fields": {
                "event": event,
                "surface": surface,
                **{key: value for key, value in named.items() if value is not None},
                **fields,
            }
        },
    )
