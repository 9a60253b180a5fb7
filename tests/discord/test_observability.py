"""What an operator sees of the real `401k-bot discord`: readiness, metrics, failure lines."""

from __future__ import annotations

import copy
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from bot.knowledge import load_articles
from calc.limits import load_limits
from tests.fakes.discord import MISSING_PERMISSIONS, FakeDiscord, Refusal, payload
from tests.fakes.probes import get, scrape_until, total, value, wait_status

TYPED = "zanzibar-quokka"
LOGIN_SECONDS = 1.5


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Bot:
    def __init__(self, process: subprocess.Popen[str], port: int) -> None:
        self.process = process
        self.base = f"http://127.0.0.1:{port}"

    def stop(self) -> str:
        self.process.send_signal(signal.SIGTERM)
        _, err = self.process.communicate(timeout=10)
        assert self.process.returncode == 0, err
        return err


@pytest.fixture
def discord_process(fake: FakeDiscord) -> Iterator[Bot]:
    """The real process on a free health port, its login held back by Discord for 1.5 s."""
    fake.delays.append(("GET", "users/@me", LOGIN_SECONDS))
    script = shutil.which("401k-bot")
    command = [script] if script else [sys.executable, "-m", "bot.cli"]
    port = _free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DISCORD_", "SLACK_", "BOT_", "LOG_", "POD_NAME"))
    }
    env.update(
        DISCORD_TOKEN="fake-discord-token",
        DISCORD_API_URL=fake.api_url,
        DISCORD_GATEWAY_URL=fake.gateway_url,
        DISCORD_HEALTH_HOST="127.0.0.1",
        DISCORD_HEALTH_PORT=str(port),
        DISCORD_COOLDOWN_QUESTIONS="2",
        DISCORD_COOLDOWN_SECONDS="600",
        LOG_FORMAT="json",
    )
    process = subprocess.Popen(
        [*command, "discord"],
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


def mention(number: int, author: str, text: str) -> dict[str, Any]:
    """A channel message from `author` mentioning the bot, with its own message id."""
    data = payload("mention")
    data["id"] = f"16000000000000{number:05d}"
    data["author"] = {**data["author"], "id": author}
    data["content"] = f"<@1100000000000000002> {text}"
    return data


def test_ready_only_once_the_gateway_is_connected(discord_process: Bot, fake: FakeDiscord) -> None:
    """Alive while logging in; /readyz is 503 naming the gateway until READY, then 200."""
    status, body = get(f"{discord_process.base}/readyz")
    assert (status, body) == (503, "not ready: gateway")
    assert get(f"{discord_process.base}/healthz") == (200, "ok")

    wait_status(f"{discord_process.base}/readyz", 200)
    assert fake.identified, "ready only after the gateway identified the bot"


def test_metrics_count_answers_latency_failures_and_the_cooldown(
    discord_process: Bot, fake: FakeDiscord
) -> None:
    """A scripted set of questions and failures shows up exactly in /metrics and the log."""
    bot = discord_process
    wait_status(f"{bot.base}/readyz", 200)
    fake.dispatch("MESSAGE_CREATE", mention(1, "800000000000000011", "roth vs after-tax"))
    fake.dispatch("MESSAGE_CREATE", mention(2, "800000000000000012", f"weather {TYPED}"))
    for number in (3, 4, 5):
        fake.dispatch("MESSAGE_CREATE", mention(number, "800000000000000013", "mega backdoor"))
    fake.dispatch("INTERACTION_CREATE", copy.deepcopy(payload("aftertaxroom")))
    # Four answers to mentions, the calculation, and an hourglass on the third flood question.
    fake.wait_until(lambda: len(fake.replies()) == 5 and fake.calls("PUT", r".*reactions.*"))
    fake.wait_until(lambda: all(request.done for request in fake.replies()))
    fake.refusals.append(Refusal("POST", r"channels/\d+/messages", 403, MISSING_PERMISSIONS))
    fake.dispatch("MESSAGE_CREATE", mention(6, "800000000000000014", "401k limits this year"))

    samples = scrape_until(
        bot.base, lambda s: value(s, "bot401k_replies_lost_total", surface="discord") == 1
    )

    def answers(kind: str, topic: str) -> float:
        return value(samples, "bot401k_answers_total", surface="discord", kind=kind, topic=topic)

    assert answers("article", "roth-vs-after-tax") == 1
    assert answers("fallback", "none") == 1
    assert answers("article", "mega-backdoor-roth") == 2
    assert answers("calculation", "after-tax-room") == 1
    assert answers("article", "contribution-limits") == 1
    assert total(samples, "bot401k_answers_total") == 6
    assert value(samples, "bot401k_rate_limited_total", surface="discord") == 1
    assert value(samples, "bot401k_engine_seconds_count", surface="discord") == 6
    assert value(samples, "bot401k_reply_seconds_count", surface="discord") == 5
    assert value(samples, "bot401k_reply_seconds_bucket", surface="discord", le="+Inf") == 5
    assert (
        value(
            samples,
            "bot401k_platform_errors_total",
            surface="discord",
            method="channels.messages",
            code="403",
        )
        == 1
    )
    assert total(samples, "bot401k_platform_errors_total") == 1
    years = ",".join(str(year) for year in load_limits().years)
    build = {"version": "0.1.0", "surface": "discord", "tax_years": years}
    assert value(samples, "bot401k_build_info", **build, articles=str(len(load_articles()))) == 1
    assert value(samples, "bot401k_slack_ack_seconds_count") == 0
    label_values = {v for (_, labels) in samples for _, v in labels}
    for private in ("800000000000000013", "900000000000000010", TYPED, "weather"):
        assert not any(private in v for v in label_values)

    log = bot.stop()
    lines = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    # The fake has no commands registered, so serving also warns `commands_outdated`.
    warned = [line for line in lines if line["level"] in ("warning", "error")]
    assert [line["event"] for line in warned][:1] == ["commands_outdated"]
    failures = warned[1:]
    assert [(f["event"], f["surface"], f["method"], f["code"]) for f in failures] == [
        ("reply_lost", "discord", "channels.messages", "403")
    ]
    assert TYPED not in log
    assert "/healthz" not in log
