"""Unsigned requests to the real `slack --http` process never reach a parser or the log."""

from __future__ import annotations

import json
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from tests.fakes.slack import SECRET, FakeSlack, Requests
from tests.slack.test_process import Bot, _command, _env, _free_port, _post, _wait_healthy

WORDS = "my-private-question-words"
BODIES = {
    "an open brace": ("{", "application/json"),
    "a list": ("[]", "application/json"),
    "null": ("null", "application/json"),
    "a number": ("1", "application/json"),
    "deep JSON": ("[" * 100_000, "application/json"),
    "a form that is not JSON": ("payload=notjson", "application/x-www-form-urlencoded"),
    "bad UTF-8": ("\udcff", "text/plain"),
    "a real mention": (
        json.dumps({"type": "event_callback", "event": {"type": "app_mention", "text": WORDS}}),
        "application/json",
    ),
}


def unsigned(body: str, content_type: str, requests: Requests) -> list[dict[str, str]]:
    """Every way of not signing `body`: no headers, a wrong or stale signature, bad stamps."""
    signed = requests.headers(body, content_type)
    stale = requests.headers(body, content_type, age=400)
    wrong = requests.headers(body, content_type, secret="not-the-secret")
    forms = [
        {"content-type": content_type},
        wrong,
        stale,
        {**signed, "x-slack-signature": "v0=00"},
    ]
    forms += [{**signed, "x-slack-request-timestamp": stamp} for stamp in ("abc", "", "1764.5")]
    return forms


@pytest.fixture
def debug_bot(fake_slack: FakeSlack) -> Iterator[Bot]:
    """`slack --http` at LOG_LEVEL=DEBUG, the level at which the most is logged."""
    port = _free_port()
    env = {**_env(fake_slack, SLACK_SIGNING_SECRET=SECRET), "LOG_LEVEL": "DEBUG"}
    process = subprocess.Popen(
        _command("slack", "--http", "--host", "127.0.0.1", "--port", str(port)),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    bot = Bot(process, port)
    try:
        _wait_healthy(bot)
        yield bot
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def post_raw(bot: Bot, body: bytes, headers: dict[str, str]) -> int:
    request = urllib.request.Request(
        f"{bot.base}/slack/events", data=body, headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_unsigned_requests_get_401_and_leave_one_log_line(
    debug_bot: Bot, fake_slack: FakeSlack, requests: Requests
) -> None:
    """Whatever the body or content type, an unsigned request is 401, and the flood is one line."""
    statuses: dict[str, set[int]] = {}
    for name, (body, content_type) in BODIES.items():
        data = body.encode("utf-8", "surrogateescape")
        for headers in unsigned(body if body.isascii() else "x", content_type, requests):
            statuses.setdefault(name, set()).add(post_raw(debug_bot, data, headers))
    assert statuses == {name: {401} for name in BODIES}
    with urllib.request.urlopen(f"{debug_bot.base}/healthz", timeout=2) as response:
        assert response.status == 200

    code, _, logged = debug_bot.stop()
    assert code == 0
    assert "Traceback" not in logged
    assert WORDS not in logged
    refusals = [line for line in logged.splitlines() if "refused unsigned requests" in line]
    assert len(refusals) == 1
    assert fake_slack.posts() == []


def test_a_signed_body_that_does_not_parse_is_400(debug_bot: Bot, requests: Requests) -> None:
    """Even signed, a body that is not JSON is refused cleanly, without a traceback."""
    signed = requests.headers("{", "application/json")
    status, _ = _post(f"{debug_bot.base}/slack/events", "{", signed)
    assert status == 400
    _, _, logged = debug_bot.stop()
    assert "Traceback" not in logged


def test_a_signed_request_still_gets_an_answer(
    debug_bot: Bot, fake_slack: FakeSlack, requests: Requests
) -> None:
    """The check lets Slack's own requests through."""
    status, seconds = debug_bot.post(requests.command("/aftertaxroom", "24500 10000"))
    assert (status, seconds < 3) == (200, True)
    [reply] = fake_slack.wait_for("respond")
    assert "$37,500" in reply.shown
    time.sleep(0.1)
    _, _, logged = debug_bot.stop()
    assert not [line for line in logged.splitlines() if '"logger": "slack_bolt' in line]
