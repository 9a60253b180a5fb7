"""A bad moment at Slack loses no reply: 429s and 500s are retried, and a reply that
still fails is logged as undelivered (method and error code only), never as answered.
"""

from __future__ import annotations

import json
import logging
import subprocess
import time

import pytest

from bot.engine import Engine
from bot.slack.answering import Answerer
from bot.slack.dedupe import SeenEvents
from tests.fakes.slack import SECRET, TODAY, Answer, Driver, FakeSlack, Requests, make_driver
from tests.slack.test_process import Bot, _command, _env, _free_port, _wait_healthy

QUESTION = "roth vs after-tax my-words-4471"
RATE_LIMITED = Answer.rate_limited(1)
BROKEN = Answer(500, "fatal_error")
GONE = Answer.expired_url()


def driver(fake: FakeSlack, engine: Engine) -> Driver:
    return make_driver(fake, Answerer(engine=engine, today=lambda: TODAY, seen=SeenEvents()))


def lines(caplog: pytest.LogCaptureFixture, message: str) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.getMessage() == message]


async def send_mention(slack: Driver, event_id: str) -> None:
    mention = slack.requests.event_payload("app_mention", event_id, text=f"<@U0BOT> {QUESTION}")
    response = await slack.event(mention)
    assert response.status == 200


async def test_a_mention_reply_survives_a_429_then_a_500(
    fake_slack: FakeSlack, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    """chat.postMessage answering 429 (Retry-After: 1), then 500, then 200: one reply arrives."""
    caplog.set_level(logging.INFO)
    slack = driver(fake_slack, engine)
    fake_slack.script("chat.postMessage", RATE_LIMITED, BROKEN)

    await send_mention(slack, "EvRetry1")

    tries = fake_slack.to("chat.postMessage")
    assert len(tries) == 3, "the 429 and the 500 were each tried again"
    assert len({json.dumps(call.body, sort_keys=True) for call in tries}) == 1
    assert "Roth" in tries[-1].shown
    assert len(lines(caplog, "answered")) == 1
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []


async def test_a_slash_command_reply_survives_a_429_then_a_500(
    fake_slack: FakeSlack, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    """The response_url answering 429, then 500, then 200: the reply arrives, once."""
    caplog.set_level(logging.INFO)
    slack = driver(fake_slack, engine)
    fake_slack.script("respond", RATE_LIMITED, BROKEN)

    await slack.command("/401k", QUESTION)

    tries = fake_slack.to("respond")
    assert len(tries) == 3
    assert "Roth" in tries[-1].shown
    assert len(lines(caplog, "answered")) == 1


@pytest.mark.parametrize(
    ("where", "answers", "code"),
    [
        ("chat.postMessage", [BROKEN] * 4, "fatal_error"),
        ("respond", [GONE], "expired_url"),
        ("respond", [BROKEN] * 4, "fatal_error"),
    ],
)
async def test_a_reply_that_never_gets_through_is_a_warning_not_answered(
    fake_slack: FakeSlack,
    engine: Engine,
    caplog: pytest.LogCaptureFixture,
    where: str,
    answers: list[Answer],
    code: str,
) -> None:
    """After the retries, one WARNING names the method and the error, with no user text."""
    caplog.set_level(logging.INFO)
    slack = driver(fake_slack, engine)
    fake_slack.script(where, *answers)

    if where == "respond":
        await slack.command("/401k", QUESTION)
    else:
        await send_mention(slack, "EvRetry2")

    assert len(fake_slack.to(where)) == len(answers)
    assert lines(caplog, "answered") == []
    [warning] = [r for r in caplog.records if r.getMessage().endswith(f"failed: {code}")]
    assert warning.levelno == logging.WARNING
    fields = getattr(warning, "fields", {})
    assert fields["method"] == ("response_url" if where == "respond" else "chat.postMessage")
    assert fields["event"] == "platform_error"
    assert fields["code"] == code
    assert "my-words-4471" not in json.dumps(fields)


def test_the_real_process_delivers_through_a_429_and_a_500(
    fake_slack: FakeSlack, requests: Requests
) -> None:
    """`slack --http` over loopback: the mention's reply arrives once; "answered" is logged once."""
    fake_slack.script("chat.postMessage", RATE_LIMITED, BROKEN)
    port = _free_port()
    process = subprocess.Popen(
        _command("slack", "--http", "--host", "127.0.0.1", "--port", str(port)),
        env=_env(fake_slack, SLACK_SIGNING_SECRET=SECRET),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    bot = Bot(process, port)
    try:
        _wait_healthy(bot)
        mention = requests.event_payload("app_mention", "EvProc1", text=f"<@U0BOT> {QUESTION}")
        status, seconds = bot.post(requests.event(mention))
        assert (status, seconds < 3) == (200, True)
        tries = fake_slack.wait_for("chat.postMessage", count=3, timeout=15)
        time.sleep(0.3)
        code, _, logged = bot.stop()
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert code == 0
    assert len(fake_slack.to("chat.postMessage")) == len(tries) == 3
    records = [json.loads(line) for line in logged.splitlines() if line.startswith("{")]
    assert [r["message"] for r in records].count("answered") == 1
    assert not [r for r in records if r["level"] in ("warning", "error")]
    assert "my-words-4471" not in logged
