"""Two real `401k-bot slack --http` processes on one real Redis: one answer per event.

The same signed event goes to both, and Slack's retry to the second: one answer.
With Redis killed, both still answer, report `degraded` on /healthz and stay ready
on /readyz (the store answered at start), and the probes stay out of the access log.
"""

from __future__ import annotations

import subprocess
import time
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from tests.fakes.redis import RedisServer
from tests.slack import test_process as process

RETRY = {"x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout"}


def _health(bot: Any, path: str = "/healthz") -> str:
    with urllib.request.urlopen(f"{bot.base}{path}", timeout=2) as response:
        assert response.status == 200
        return str(response.read().decode())


@pytest.fixture
def two_bots(fake_slack: Any, own_redis: RedisServer) -> Iterator[list[Any]]:
    bots = []
    try:
        for _ in range(2):
            port = process._free_port()
            args = ("slack", "--http", "--host", "127.0.0.1", "--port", str(port))
            command = process._command(*args)
            env = process._env(
                fake_slack, SLACK_SIGNING_SECRET=process.SECRET, BOT_REDIS_URL=own_redis.url
            )
            popen = subprocess.Popen(
                command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
            bots.append(process.Bot(popen, port))
        for bot in bots:
            process._wait_healthy(bot)
        yield bots
    finally:
        for bot in bots:
            if bot.process.poll() is None:
                bot.process.kill()
                bot.process.communicate()


def test_an_event_sent_to_both_replicas_and_retried_is_answered_once(
    two_bots: list[Any], fake_slack: Any, requests: Any, own_redis: RedisServer
) -> None:
    first, second = two_bots
    mention = requests.event_payload("app_mention", "EvTwoProcesses")

    assert first.post(requests.event(mention))[0] == 200
    assert second.post(requests.event(mention))[0] == 200
    body, headers = requests.event(mention)
    assert second.post((body, {**headers, **RETRY}))[0] == 200

    [answer] = fake_slack.wait_for("chat.postMessage")
    assert answer.body["thread_ts"] == mention["event"]["ts"]
    time.sleep(1.0)
    assert len(fake_slack.to("chat.postMessage")) == 1, "no late second answer"
    assert any(key.startswith("401k-bot:slack:T0001:event:") for key in own_redis.stored_keys())

    own_redis.stop()
    for n, bot in enumerate(two_bots):
        assert _health(bot).startswith("degraded")
        assert _health(bot, "/readyz") == "ready", "still answering, so still in the Service"
        dm = requests.event_payload("message_im", f"EvRedisDown{n}")
        assert bot.post(requests.event(dm))[0] == 200
    fake_slack.wait_for("chat.postMessage", count=3)

    for bot in two_bots:
        code, seconds, log = bot.stop()
        assert code == 0, log
        assert seconds < 10
        assert log.count("Redis is unreachable") == 1
        assert "POST /slack/events" in log
        assert "GET /healthz" not in log, "probes stay out of the access log"
