"""The metrics API: what it counts, what it never labels, and that it is harmless when off."""

from __future__ import annotations

import subprocess
import sys

from prometheus_client.parser import text_string_to_metric_families

from bot import metrics
from tests.metrics.conftest import count_every_kind, sample_labels

# The only labels a sample may carry: none can hold a user id, a channel id or text.
ALLOWED_LABELS = {"surface", "kind", "topic", "method", "code", "backend", "le"}
BUILD_LABELS = {"version", "surface", "tax_years", "articles"}


def samples() -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    body, _ = metrics.exposition()
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(body.decode())
        for s in family.samples
    }


def test_every_call_is_harmless_and_shows_nothing_while_metrics_are_off() -> None:
    """Before a process enables metrics, the calls do nothing and the exposition is empty."""
    metrics.disable()
    count_every_kind()
    body, content_type = metrics.exposition()
    assert body == b""
    assert content_type.startswith("text/plain")


def test_each_event_is_counted_under_its_own_labels(enabled: metrics.Metrics) -> None:
    """One event of each kind gives exactly one count, under the surface, method, code..."""
    count_every_kind()
    got = samples()

    article = (("kind", "article"), ("surface", "slack"), ("topic", "roth-vs-after-tax"))
    assert got[("bot401k_answers_total", article)] == 1
    fallback = (("kind", "fallback"), ("surface", "slack"), ("topic", "none"))
    assert got[("bot401k_answers_total", fallback)] == 1
    assert got[("bot401k_engine_seconds_count", (("surface", "slack"),))] == 2
    assert got[("bot401k_engine_seconds_bucket", (("le", "0.0005"), ("surface", "slack")))] == 2
    assert got[("bot401k_reply_seconds_bucket", (("le", "0.1"), ("surface", "slack")))] == 0
    assert got[("bot401k_reply_seconds_bucket", (("le", "0.25"), ("surface", "slack")))] == 1
    assert got[("bot401k_slack_ack_seconds_count", ())] == 1
    key = (("code", "not_in_channel"), ("method", "chat.postMessage"), ("surface", "slack"))
    assert got[("bot401k_platform_errors_total", key)] == 1
    assert got[("bot401k_replies_lost_total", (("surface", "slack"),))] == 1
    assert got[("bot401k_rate_limited_total", (("surface", "slack"),))] == 1
    assert got[("bot401k_conversations_held", ())] == 3
    assert got[("bot401k_store_errors_total", (("backend", "redis"),))] == 1
    build = (
        ("articles", "22"),
        ("surface", "slack"),
        ("tax_years", "2024,2025,2026"),
        ("version", "0.1.0"),
    )
    assert got[("bot401k_build_info", build)] == 1


def test_no_label_can_carry_an_id_or_text(enabled: metrics.Metrics) -> None:
    """Every label of the bot's own metrics is one of a fixed, id-free set."""
    count_every_kind()
    for name, labels in sample_labels().items():
        if name.startswith("bot401k_build"):
            assert labels == BUILD_LABELS
        elif name.startswith("bot401k_"):
            assert labels <= ALLOWED_LABELS, (name, labels)


def test_enabling_again_starts_from_zero(enabled: metrics.Metrics) -> None:
    """A fresh registry per enable(), so one process's counts never leak into another's."""
    metrics.reply_lost("discord")
    metrics.enable("discord", "0.1.0", [2026], 1)
    assert ("bot401k_replies_lost_total", (("surface", "discord"),)) not in samples()


def test_the_console_never_imports_prometheus_client() -> None:
    """`ask` and `chat` answer without loading prometheus_client, aiohttp or an adapter."""
    code = (
        "import sys; from bot.cli import main; "
        "main(['ask', 'roth vs after-tax']); main(['chat']); "
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & "
        "{'prometheus_client', 'aiohttp', 'slack_bolt', 'slack_sdk', 'discord'}); "
        "print(heavy)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], input="quit\n", capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("[]")
