"""The real `401k-bot slack` process: HTTP mode over real HTTP, Socket Mode, settings, SIGTERM."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from tests.fakes.slack import Answer

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
QUESTION_WORDS = "my-secret-question-words"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _command(*args: str) -> list[str]:
    script = shutil.which("401k-bot")
    if script:
        return [script, *args]
    return [sys.executable, "-c", "import sys; from bot.cli import main; sys.exit(main())", *args]


def _env(fake: Any, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SLACK_", "BOT_", "LOG_"))
    }
    env.update(
        SLACK_BOT_TOKEN="xoxb-0001-test-token",
        SLACK_API_URL=fake.api_url,
        LOG_LEVEL="INFO",
        LOG_FORMAT="json",
        **extra,
    )
    return env


def _post(url: str, body: str, headers: dict[str, str]) -> tuple[int, float]:
    started = time.monotonic()
    request = urllib.request.Request(url, data=body.encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, time.monotonic() - started
    except urllib.error.HTTPError as error:
        return error.code, time.monotonic() - started


class Bot:
    """A running `401k-bot slack --http` on a free loopback port."""

    def __init__(self, process: subprocess.Popen[str], port: int) -> None:
        self.process = process
        self.base = f"http://127.0.0.1:{port}"

    def post(self, request: tuple[str, dict[str, str]]) -> tuple[int, float]:
        return _post(f"{self.base}/slack/events", *request)

    def stop(self) -> tuple[int, float, str]:
        """SIGTERM; the exit status, the seconds it took, and what it logged."""
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        try:
            _, err = self.process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, err = self.process.communicate()
            raise AssertionError(f"still running 10s after SIGTERM:\n{err}") from None
        return self.process.returncode, time.monotonic() - started, err


def _wait_healthy(bot: Bot) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if bot.process.poll() is not None:
            raise AssertionError(f"exited early:\n{bot.process.communicate()[1]}")
        try:
            with urllib.request.urlopen(f"{bot.base}/readyz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.05)
    raise AssertionError("the bot was not ready on /readyz within 15 seconds")


@pytest.fixture
def http_bot(fake_slack: Any) -> Iterator[Bot]:
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
        yield bot
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def test_probes_answer_without_calling_slack(http_bot: Bot, fake_slack: Any) -> None:
    """`/healthz` and `/readyz` are 200 after the start-up `auth.test`, and call nothing."""
    before = len(fake_slack.calls)
    for path in ("/healthz", "/readyz") * 3:
        with urllib.request.urlopen(f"{http_bot.base}{path}", timeout=2) as response:
            assert response.status == 200
    assert [call.method for call in fake_slack.calls] == ["auth.test"]
    assert len(fake_slack.calls) == before


def test_http_mode_answers_a_slash_command_a_mention_and_a_shortcut_over_real_http(
    http_bot: Bot, fake_slack: Any, requests: Any
) -> None:
    """Signed requests get 200 within 3 seconds and the replies reach Slack, once each.

    The edit of the mention is not answered again; the message shortcut is answered
    only to the person who used it.
    """
    status, seconds = http_bot.post(requests.command("/aftertaxroom", "24500 10000"))
    assert status == 200
    assert seconds < 3
    [reply] = fake_slack.wait_for("respond")
    assert reply.body["response_type"] == "ephemeral"
    assert "$37,500" in reply.shown

    mention = requests.event_payload(
        "app_mention", "EvHttp1", text=f"<@U0BOT> roth vs after-tax {QUESTION_WORDS}"
    )
    status, seconds = http_bot.post(requests.event(mention))
    assert status == 200
    assert seconds < 3
    [posted] = fake_slack.wait_for("chat.postMessage")
    assert posted.body["channel"] == "C0GENERAL"
    assert posted.body["thread_ts"] == mention["event"]["ts"]

    edited = requests.edited_mention("EvHttpEdit", f"<@U0BOT> roth vs after tax {QUESTION_WORDS}")
    status, _ = http_bot.post(requests.event(edited))
    assert status == 200

    status, seconds = http_bot.post(requests.interaction(requests.payload("message_shortcut")))
    assert status == 200
    assert seconds < 3
    [_, shortcut] = fake_slack.wait_for("respond", 2)
    assert shortcut.body["response_type"] == "ephemeral"
    assert "mega backdoor" in shortcut.shown.lower()
    assert len(fake_slack.to("chat.postMessage")) == 1

    code, _, log = http_bot.stop()
    assert code == 0
    lines = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    assert [line["surface"] for line in lines if line["message"] == "answered"] == [
        "slack",
        "slack",
        "slack",
    ]
    assert QUESTION_WORDS not in log
    assert "xoxb-" not in log


def _start_http(fake: Any) -> tuple[Bot, subprocess.Popen[str]]:
    port = _free_port()
    process = subprocess.Popen(
        _command("slack", "--http", "--host", "127.0.0.1", "--port", str(port)),
        env=_env(fake, SLACK_SIGNING_SECRET=SECRET),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    return Bot(process, port), process


def _status(bot: Bot, path: str) -> int | None:
    try:
        with urllib.request.urlopen(f"{bot.base}{path}", timeout=1) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def test_readyz_is_not_ready_until_slack_accepted_the_token(fake_slack: Any) -> None:
    """While the start-up auth.test is waiting, /readyz answers 503 and /healthz 200."""
    fake_slack.delays["auth.test"] = 2.0
    bot, process = _start_http(fake_slack)
    try:
        seen: list[int] = []
        deadline = time.monotonic() + 15
        while 200 not in seen and time.monotonic() < deadline:
            status = _status(bot, "/readyz")
            if status is not None and status not in seen:
                seen.append(status)
                assert _status(bot, "/healthz") == 200, "alive while waiting for the token"
            time.sleep(0.05)
        assert seen == [503, 200]
    finally:
        process.kill()
        process.communicate()


def test_a_rate_limited_first_token_check_is_retried(fake_slack: Any) -> None:
    """A 429 with Retry-After on the start-up auth.test is waited out, not reported."""
    fake_slack.script("auth.test", Answer.rate_limited(retry_after=1))
    bot, process = _start_http(fake_slack)
    try:
        _wait_healthy(bot)
        assert [call.method for call in fake_slack.calls] == ["auth.test", "auth.test"]
    finally:
        process.kill()
        process.communicate()


@pytest.mark.parametrize("socket_mode", [False, True], ids=["http", "socket"])
def test_a_revoked_bot_token_fails_the_start_in_one_line(
    fake_slack: Any, socket_mode: bool
) -> None:
    """auth.test at start: a refused token is one line naming it and Slack's code, exit 2."""
    fake_slack.errors["auth.test"] = "token_revoked"
    if socket_mode:
        args, extra = ["slack"], {"SLACK_APP_TOKEN": "xapp-1-A0001-test"}
    else:
        args = ["slack", "--http", "--host", "127.0.0.1", "--port", str(_free_port())]
        extra = {"SLACK_SIGNING_SECRET": SECRET}
    result = subprocess.run(
        _command(*args),
        env=_env(fake_slack, **extra),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if not line.startswith("{")]
    assert errors == ["401k-bot slack: error: SLACK_BOT_TOKEN was refused by Slack (token_revoked)"]
    assert not fake_slack.to("apps.connections.open")


@pytest.mark.parametrize(
    "sign",
    [{"secret": "not-the-signing-secret"}, {"age": 6 * 60}],
    ids=["bad-signature", "old-timestamp"],
)
def test_unsigned_or_stale_requests_are_refused(
    http_bot: Bot, fake_slack: Any, requests: Any, sign: dict[str, Any]
) -> None:
    """A bad signature or a timestamp over 5 minutes old gets 401 and no reply."""
    mention = requests.event_payload("app_mention", "EvHttp2")
    body = json.dumps(mention)
    status, _ = http_bot.post((body, requests.headers(body, "application/json", **sign)))
    assert status == 401
    command = "command=%2F401k&text=limits&response_url=" + fake_slack.response_url()
    headers = requests.headers(command, "application/x-www-form-urlencoded", **sign)
    status, _ = http_bot.post((command, headers))
    assert status == 401
    time.sleep(0.5)
    assert fake_slack.posts() == []


def test_sigterm_finishes_a_reply_in_flight_then_exits_0(
    http_bot: Bot, fake_slack: Any, requests: Any
) -> None:
    """SIGTERM while a reply is being sent: the reply is delivered, then exit 0 within 10s."""
    fake_slack.delays["chat.postMessage"] = 2.0
    status, _ = http_bot.post(requests.event(requests.event_payload("message_im", "EvHttp3")))
    assert status == 200
    fake_slack.wait_for("chat.postMessage")

    code, seconds, log = http_bot.stop()

    assert code == 0, log
    assert seconds < 10
    assert '"answered"' in log
    with pytest.raises(urllib.error.URLError, match="refused"):
        urllib.request.urlopen(f"{http_bot.base}/healthz", timeout=1)


def test_socket_mode_answers_over_the_websocket_and_stops_on_sigterm(
    fake_slack: Any, requests: Any
) -> None:
    """Socket Mode acks each envelope over the socket and answers through the Web API."""
    mention = requests.event_payload("app_mention", "EvSocket1")
    fake_slack.envelopes.append(
        {
            "envelope_id": "env-1",
            "type": "events_api",
            "payload": mention,
            "accepts_response_payload": False,
            "retry_attempt": 0,
            "retry_reason": "",
        }
    )
    process = subprocess.Popen(
        _command("slack"),
        env=_env(fake_slack, SLACK_APP_TOKEN="xapp-1-A0001-test"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        [posted] = fake_slack.wait_for("chat.postMessage", timeout=15)
        assert posted.body["thread_ts"] == mention["event"]["ts"]
        assert "mega backdoor" in posted.shown.lower()
        [opened] = fake_slack.to("apps.connections.open")
        assert opened.headers["Authorization"] == "Bearer xapp-1-A0001-test"
        deadline = time.monotonic() + 5
        while not fake_slack.acks and time.monotonic() < deadline:
            time.sleep(0.05)
        assert fake_slack.acks[0]["envelope_id"] == "env-1"
        bot = Bot(process, 0)
        code, seconds, log = bot.stop()
        assert code == 0, log
        assert seconds < 10
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def test_sigterm_while_connecting_exits_0_quickly(fake_slack: Any) -> None:
    """A Socket Mode bot still waiting on Slack stops promptly on SIGTERM."""
    fake_slack.delays["apps.connections.open"] = 30
    process = subprocess.Popen(
        _command("slack"),
        env=_env(fake_slack, SLACK_APP_TOKEN="xapp-1-A0001-test"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        fake_slack.wait_for("apps.connections.open", timeout=15)
        code, seconds, log = Bot(process, 0).stop()
        assert code == 0, log
        assert seconds < 10
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


@pytest.mark.parametrize(
    ("args", "env", "named"),
    [
        (["slack"], {}, "SLACK_BOT_TOKEN is not set"),
        (["slack"], {"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_APP_TOKEN is not set"),
        (["slack"], {"SLACK_BOT_TOKEN": "xoxp-1", "SLACK_APP_TOKEN": "xapp-1"}, "SLACK_BOT_TOKEN"),
        (["slack"], {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xoxb-2"}, "SLACK_APP_TOKEN"),
        (["slack", "--http"], {"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET is not set"),
        (
            ["slack", "--http"],
            {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "SLACK_API_URL": "ftp://x"},
            "SLACK_API_URL",
        ),
        (["slack"], {"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        (
            ["slack"],
            {
                "SLACK_BOT_TOKEN": "xoxb-1",
                "SLACK_APP_TOKEN": "xapp-1",
                "SLACK_ALLOWED_TEAM_IDS": "x",
            },
            "SLACK_ALLOWED_TEAM_IDS",
        ),
    ],
)
def test_a_missing_or_malformed_setting_is_one_line_naming_it(
    args: list[str], env: dict[str, str], named: str
) -> None:
    """Bad settings print one line naming the variable and exit non-zero, without a traceback."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "BOT_", "LOG_"))}
    result = subprocess.run(
        _command(*args), env={**clean, **env}, capture_output=True, text=True, timeout=30
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert named in lines[0]
    assert "Traceback" not in result.stderr
