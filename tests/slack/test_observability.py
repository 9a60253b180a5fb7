"""What an operator sees of the real `401k-bot slack --http`: readiness, metrics, failure lines."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from bot.knowledge import load_articles
from calc.limits import load_limits
from tests.fakes.probes import get, scrape_until, total, value, wait_status

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TYPED = "zanzibar-quokka"
TOKEN_CHECK_SECONDS = 1.5


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Bot:
    def __init__(self, process: subprocess.Popen[str], port: int) -> None:
        self.process = process
        self.base = f"http://127.0.0.1:{port}"

    def post(self, request: tuple[str, dict[str, str]]) -> int:
        body, headers = request
        sent = urllib.request.Request(
            f"{self.base}/slack/events", data=body.encode(), headers=headers, method="POST"
        )
        with urllib.request.urlopen(sent, timeout=5) as response:
            return int(response.status)

    def stop(self) -> str:
        self.process.send_signal(signal.SIGTERM)
        _, err = self.process.communicate(timeout=10)
        assert self.process.returncode == 0, err
        return err


@pytest.fixture
def slow_token_bot(fake_slack: Any) -> Iterator[Bot]:
    """The real process, its token check held back by Slack for 1.5 seconds."""
    fake_slack.delays["auth.test"] = TOKEN_CHECK_SECONDS
    script = shutil.which("401k-bot")
    command = [script] if script else [sys.executable, "-m", "bot.cli"]
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "BOT_", "LOG_"))}
    env.update(
        SLACK_BOT_TOKEN="xoxb-0001-test-token",
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=fake_slack.api_url,
        SLACK_RATE_LIMIT_QUESTIONS="3",
        SLACK_RATE_LIMIT_SECONDS="600",
        LOG_FORMAT="json",
    )
    process = subprocess.Popen(
        [*command, "slack", "--http", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    bot = Bot(process, port)
    try:
        wait_status(f"{bot.base}/healthz", 200)
        yield bot
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def test_ready_only_once_slack_accepted_the_token(slow_token_bot: Bot, fake_slack: Any) -> None:
    """Alive at once; /readyz is 503 naming the token check until auth.test answers, then 200."""
    started = time.monotonic()
    status, body = get(f"{slow_token_bot.base}/readyz")
    assert (status, body) == (503, "not ready: slack_token")
    assert get(f"{slow_token_bot.base}/healthz") == (200, "ok")

    wait_status(f"{slow_token_bot.base}/readyz", 200)
    assert time.monotonic() - started > TOKEN_CHECK_SECONDS / 2
    assert [call.method for call in fake_slack.calls] == ["auth.test"]


def test_metrics_count_answers_latency_failures_and_the_rate_limit(
    slow_token_bot: Bot, fake_slack: Any, requests: Any
) -> None:
    """A scripted set of questions and failures shows up exactly in /metrics and the log."""
    bot = slow_token_bot
    wait_status(f"{bot.base}/readyz", 200)
    posts = [
        requests.command("/aftertaxroom", "24500 10000", user_id="U0CALC"),
        requests.command("/401k", "roth vs after-tax", user_id="U0ARTICLE"),
        requests.event(
            requests.event_payload(
                "app_mention", "EvObs1", user="U0WEATHER", text=f"<@U0BOT> weather {TYPED}"
            )
        ),
    ]
    posts += [requests.command("/401k", f"mega backdoor roth {TYPED}", user_id="U0FLOOD")] * 4
    for post in posts:
        assert bot.post(post) == 200
    fake_slack.wait_for("respond", count=6)
    fake_slack.wait_for("chat.postMessage")
    fake_slack.errors["chat.postMessage"] = "not_in_channel"
    lost = requests.event_payload(
        "app_mention", "EvObs2", user="U0LOST", text="<@U0BOT> what are the 401k limits this year"
    )
    assert bot.post(requests.event(lost)) == 200
    sent = len(posts) + 1

    samples = scrape_until(
        bot.base, lambda s: value(s, "bot401k_replies_lost_total", surface="slack") == 1
    )

    def answers(kind: str, topic: str) -> float:
        return value(samples, "bot401k_answers_total", surface="slack", kind=kind, topic=topic)

    assert answers("calculation", "after-tax-room") == 1
    assert answers("article", "roth-vs-after-tax") == 1
    assert answers("fallback", "none") == 1
    assert answers("article", "mega-backdoor-roth") == 3
    assert answers("article", "contribution-limits") == 1
    assert total(samples, "bot401k_answers_total") == 7
    assert value(samples, "bot401k_rate_limited_total", surface="slack") == 1
    assert value(samples, "bot401k_engine_seconds_count", surface="slack") == 7
    assert value(samples, "bot401k_reply_seconds_count", surface="slack") == 6
    assert value(samples, "bot401k_slack_ack_seconds_count") == sent
    assert value(samples, "bot401k_slack_ack_seconds_bucket", le="3.0") == sent
    assert value(samples, "bot401k_reply_seconds_bucket", surface="slack", le="+Inf") == 6
    assert (
        value(
            samples,
            "bot401k_platform_errors_total",
            surface="slack",
            method="chat.postMessage",
            code="not_in_channel",
        )
        == 1
    )
    years = ",".join(str(year) for year in load_limits().years)
    build = {"version": "0.1.0", "surface": "slack", "tax_years": years}
    assert value(samples, "bot401k_build_info", **build, articles=str(len(load_articles()))) == 1
    label_values = {v for (_, labels) in samples for _, v in labels}
    for private in ("U0FLOOD", "U0LOST", "C0GENERAL", TYPED, "weather"):
        assert not any(private in v for v in label_values)

    log = bot.stop()
    events = [line for line in _lines(log) if line["level"] in ("warning", "error")]
    assert [(e["event"], e["surface"], e["method"], e["code"], e["level"]) for e in events] == [
        ("platform_error", "slack", "chat.postMessage", "not_in_channel", "warning")
    ]
    assert TYPED not in log


def test_probes_and_scrapes_stay_out_of_the_access_log(slow_token_bot: Bot, requests: Any) -> None:
    """Slack's requests are in the access log; /healthz, /readyz and /metrics are not."""
    wait_status(f"{slow_token_bot.base}/readyz", 200)
    for path in ("/healthz", "/readyz", "/metrics"):
        for _ in range(3):
            assert get(f"{slow_token_bot.base}{path}")[0] == 200
    assert slow_token_bot.post(requests.command("/401k", "limits")) == 200

    log = slow_token_bot.stop()
    access = [line["message"] for line in _lines(log) if line["logger"] == "aiohttp.access"]
    assert len(access) == 1
    assert "POST /slack/events" in access[0]


def _lines(log: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in log.splitlines() if line.startswith("{")]
