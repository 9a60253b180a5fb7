"""A process's metrics switched on for one test, each kind of event counted once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot import metrics


@pytest.fixture
def enabled() -> Iterator[metrics.Metrics]:
    """Metrics on, as the Slack HTTP server switches them on; off again afterwards."""
    yield metrics.enable("slack", "0.1.0", [2026, 2024, 2025], 22)
    metrics.disable()


def count_every_kind() -> None:
    """One event of every kind the adapters and stores report."""
    metrics.answer("slack", "article", "roth-vs-after-tax", 0.0004)
    metrics.answer("slack", "fallback", None, 0.0002)
    metrics.delivered("slack", 0.12)
    metrics.slack_ack(0.004)
    metrics.platform_error("slack", "chat.postMessage", "not_in_channel")
    metrics.reply_lost("slack")
    metrics.rate_limited("slack")
    metrics.conversations_held(3)
    metrics.store_error("redis")


def sample_labels() -> dict[str, set[str]]:
    """Each sample name in the exposition, with the label names it carries."""
    body, _ = metrics.exposition()
    found: dict[str, set[str]] = {}
    for family in text_string_to_metric_families(body.decode()):
        for sample in family.samples:
            found.setdefault(sample.name, set()).update(sample.labels)
    return found
