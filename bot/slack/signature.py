"""Slack's request signature, checked over the raw bytes before any parsing.

Anyone can send requests to the events URL; none that lacks a valid signature may
reach a JSON or form parser, or fill the log: refusals are logged at most once a
minute, with how many there were.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from slack_sdk.signature import SignatureVerifier

LOGGER = logging.getLogger("401k-bot.slack")

LOG_EVERY_SECONDS = 60.0


@dataclass
class Gate:
    """Admits requests signed with `secret`; counts and now and then logs the others."""

    secret: str
    clock: Callable[[], float] = time.monotonic
    refused: int = 0
    _logged_at: float | None = field(default=None, repr=False)

    def admits(self, body: bytes, headers: Mapping[str, str]) -> bool:
        """Whether `body` carries a valid, fresh signature; never raises."""
        if is_signed(self.secret, body, headers):
            return True
        self.refused += 1
        now = self.clock()
        if self._logged_at is None or now - self._logged_at >= LOG_EVERY_SECONDS:
            LOGGER.warning(
                "refused unsigned requests",
                extra={
                    "fields": {
                        "event": "unsigned_refused",
                        "surface": "slack",
                        "count": self.refused,
                        "path": "/slack/events",
                    }
                },
            )
            self._logged_at = now
            self.refused = 0
        return False


def is_signed(secret: str, body: bytes, headers: Mapping[str, str]) -> bool:
    """Whether `headers` sign `body` with `secret` within Slack's five minutes."""
    stamp = headers.get("X-Slack-Request-Timestamp") or headers.get("x-slack-request-timestamp")
    signature = headers.get("X-Slack-Signature") or headers.get("x-slack-signature")
    if not secret or not stamp or not signature or not stamp.isascii() or not stamp.isdigit():
        return False
    try:
        return SignatureVerifier(secret).is_valid(body=body, timestamp=stamp, signature=signature)
    except (UnicodeDecodeError, ValueError, OverflowError):
        return False
