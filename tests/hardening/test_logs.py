"""The one structured log line per answer, on each surface."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import pytest

from bot.engine import Engine
from bot.logs import JsonFormatter
from tests.fakes.slack import Driver

QUESTION = "I defer 23,456 and my employer adds 7,891. How much after-tax room?"
FIELDS = {"surface", "kind", "topic", "confidence", "latency_ms"}


def answered_lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    formatter = JsonFormatter()
    return [
        json.loads(formatter.format(record))
        for record in caplog.records
        if record.getMessage() == "answered"
    ]


def assert_clean(line: dict[str, Any]) -> None:
    text = json.dumps(line)
    for typed in ("23,456", "23456", "7,891", "7891", "employer adds", "after-tax room"):
        assert typed not in text


async def test_slack_answer_logs_its_fields_and_not_the_question(
    slack_with: Callable[[Engine], Driver], engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    slack = slack_with(engine)
    await slack.event(slack.requests.event_payload("message_im", "EvLogFields", text=QUESTION))

    [line] = answered_lines(caplog)
    assert set(line) >= FIELDS
    assert (line["surface"], line["kind"], line["topic"]) == (
        "slack",
        "calculation",
        "after-tax-room",
    )
    assert line["latency_ms"] >= 0
    assert_clean(line)


async def test_discord_answer_logs_its_fields_and_not_the_question(
    discord_bot_with: Any, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    bot = await discord_bot_with(engine)
    bot.interact(bot.command("ask", question=QUESTION))
    await bot.fake.wait_for("POST", r"interactions/\d+/[^/]+/callback")
    await bot.settle(0.05)

    [line] = answered_lines(caplog)
    assert set(line) >= FIELDS
    assert (line["surface"], line["kind"], line["topic"]) == (
        "discord",
        "calculation",
        "after-tax-room",
    )
    assert_clean(line)
