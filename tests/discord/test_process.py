"""The real `401k-bot discord` process against the fake API and gateway: settings, sync, SIGTERM."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from typing import Any

import pytest

from bot.disclosure import DEFAULT_DISCLOSURE
from tests.fakes.discord import Refusal

TOKEN = "fake-discord-token"
APP_ID = "1100000000000000001"
PAYLOAD = os.path.join(os.path.dirname(__file__), "payloads", "mention.json")
OWN = ("DISCORD_", "SLACK_", "BOT_", "LOG_", "POD_NAME")


def command(*args: str) -> list[str]:
    script = shutil.which("401k-bot")
    if script:
        return [script, *args]
    return [sys.executable, "-c", "import sys; from bot.cli import main; sys.exit(main())", *args]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def environment(fake: Any, **values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(OWN)}
    env.update(
        DISCORD_TOKEN=TOKEN,
        DISCORD_API_URL=fake.api_url,
        DISCORD_GATEWAY_URL=fake.gateway_url,
        DISCORD_HEALTH_HOST="127.0.0.1",
        DISCORD_HEALTH_PORT=str(free_port()),
        LOG_LEVEL="INFO",
    )
    env.update(values)
    return {k: v for k, v in env.items() if v}


def start(fake: Any, *args: str, **values: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        command("discord", *args),
        env=environment(fake, **values),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def terminate(process: subprocess.Popen[str]) -> tuple[int, float, str]:
    """SIGTERM; the exit status, the seconds it took, and what it logged."""
    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    try:
        _, err = process.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        _, err = process.communicate()
        raise AssertionError(f"still running 10s after SIGTERM:\n{err}") from None
    return process.returncode, time.monotonic() - started, err


def finish(process: subprocess.Popen[str]) -> tuple[int, str]:
    try:
        _, err = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        raise
    return process.returncode, err


def test_a_missing_token_is_one_line_naming_it(fake: Any) -> None:
    """No DISCORD_TOKEN: one line that names it, a non-zero exit, and no request to Discord."""
    code, err = finish(start(fake, DISCORD_TOKEN=""))

    assert code != 0
    assert err.strip().splitlines() == ["401k-bot discord: error: DISCORD_TOKEN is not set"]
    assert fake.requests == []


def test_a_rejected_token_is_one_line_naming_it(fake: Any) -> None:
    """Discord's 401 at login becomes one line, not a traceback."""
    fake.reject_token = True

    code, err = finish(start(fake))

    assert code != 0
    assert "DISCORD_TOKEN was rejected by Discord" in err
    assert "Traceback" not in err


def test_sync_registers_the_commands_globally_and_exits(fake: Any) -> None:
    """`--sync` puts every command globally and never opens the gateway."""
    code, err = finish(start(fake, "--sync"))

    assert code == 0, err
    [put] = fake.calls("PUT", rf"applications/{APP_ID}/commands")
    assert sorted(c["name"] for c in put.body) == [
        "401k",
        "401k-settings",
        "Ask 401k-bot about this message",
        "about",
        "aftertaxroom",
        "help",
        "limits",
        "plan",
    ]
    assert fake.gateway_ops == []


def test_sync_to_guilds_registers_in_those_servers_only(fake: Any) -> None:
    """`--sync --guild` (or DISCORD_GUILD_IDS) registers in each server at once, not globally."""
    code, err = finish(start(fake, "--sync", "--guild", "111", "--guild", "222"))
    assert code == 0, err
    code, err = finish(start(fake, "--sync", DISCORD_GUILD_IDS="333"))
    assert code == 0, err

    assert [r.path for r in fake.calls("PUT", r".*commands")] == [
        f"applications/{APP_ID}/guilds/111/commands",
        f"applications/{APP_ID}/guilds/222/commands",
        f"applications/{APP_ID}/guilds/333/commands",
    ]
    assert "global" in err
    assert "--clear-guild" in err


def test_clear_guild_removes_a_servers_copies_and_keeps_the_global_ones(fake: Any) -> None:
    """`--clear-guild 111` puts an empty list in that server, and touches nothing else."""
    code, err = finish(start(fake, "--clear-guild", "111"))

    assert code == 0, err
    [put] = fake.calls("PUT", r".*commands")
    assert put.path == f"applications/{APP_ID}/guilds/111/commands"
    assert put.body == []
    assert fake.gateway_ops == []


def test_a_sync_held_back_by_a_long_rate_limit_is_one_line_and_a_failure(fake: Any) -> None:
    """Discord's 429 with a minute to wait: the sync gives up at once and says so."""
    fake.refusals.append(Refusal("PUT", r".*commands", 429, retry_after=60))

    code, err = finish(start(fake, "--sync"))

    assert code == 1
    assert "could not register the commands" in err
    assert "Traceback" not in err
    assert len(fake.calls("PUT", r".*commands")) == 1


def test_start_up_registers_nothing_and_warns_when_the_commands_differ(fake: Any) -> None:
    """Serving reads the registered commands once; an older set gets a WARNING naming --sync."""
    fake.registered[f"applications/{APP_ID}/commands"] = [
        {"id": "1", "name": "401k", "description": "An older description", "type": 1}
    ]
    process = start(fake)
    fake.wait_until(lambda: fake.identified)
    fake.wait_until(lambda: fake.calls("GET", rf"applications/{APP_ID}/commands"))

    code, _, err = terminate(process)

    assert code == 0, err
    assert fake.calls("PUT", r".*commands") == []
    assert len(fake.calls("GET", r"applications/\d+(/guilds/\d+)?/commands")) == 1
    assert "registered commands differ" in err
    assert "--sync" in err


def test_start_up_after_a_sync_finds_the_commands_the_same(fake: Any) -> None:
    """Right after `--sync`, serving finds nothing to warn about."""
    code, err = finish(start(fake, "--sync"))
    assert code == 0, err
    process = start(fake)
    fake.wait_until(lambda: fake.calls("GET", rf"applications/{APP_ID}/commands"))
    fake.wait_until(lambda: fake.identified)

    code, _, err = terminate(process)

    assert code == 0, err
    assert "differ" not in err
    assert "could not compare" not in err


def test_a_rate_limited_check_at_start_up_never_keeps_the_gateway_waiting(fake: Any) -> None:
    """A 429 on the start-up check (20 s to wait): the bot identifies at once all the same."""
    fake.refusals.append(Refusal("GET", r"applications/\d+/commands", 429, retry_after=20))
    started = time.monotonic()
    process = start(fake)
    fake.wait_until(lambda: fake.identified, timeout=10)
    connected_after = time.monotonic() - started

    code, _, err = terminate(process)

    assert code == 0, err
    assert fake.calls("GET", r"applications/\d+/commands")
    assert connected_after < 8, "IDENTIFY came only after the rate limit"


def test_sigterm_lets_the_reply_in_flight_finish_then_exits_0(fake: Any) -> None:
    """Connected through the gateway, a mention is answered even when SIGTERM comes mid-send."""
    fake.delays.append(("POST", r"channels/\d+/messages", 2.0))
    process = start(fake)
    fake.wait_until(lambda: fake.identified)
    with open(PAYLOAD, encoding="utf-8") as file:
        fake.dispatch("MESSAGE_CREATE", json.load(file))
    fake.wait_until(lambda: fake.calls("POST", r"channels/\d+/messages"))

    code, seconds, err = terminate(process)

    assert code == 0, err
    assert seconds < 10
    [reply] = fake.calls("POST", r"channels/\d+/messages")
    assert reply.done, "the reply in flight was delivered before the exit"
    assert DEFAULT_DISCLOSURE in reply.body["embeds"][-1]["footer"]["text"]
    assert "answered" in err
    assert "Traceback" not in err
    privileged = (1 << 1) | (1 << 8) | (1 << 15)  # members, presences, message content
    assert fake.identified[0]["intents"] & privileged == 0


def test_sigterm_while_logging_in_exits_0_quickly(fake: Any) -> None:
    """A bot still waiting on Discord at login stops promptly on SIGTERM."""
    fake.delays.append(("GET", "users/@me", 60.0))
    process = start(fake)
    fake.wait_until(lambda: fake.calls("GET", "users/@me"))

    code, seconds, err = terminate(process)

    assert code == 0, err
    assert seconds < 10


def test_a_sharded_process_runs_its_own_shard_and_leaves_the_check_to_shard_0(
    fake: Any,
) -> None:
    """Pod discord-bot-1 of 2 identifies as shard [1, 2] and makes no command request."""
    process = start(fake, DISCORD_SHARD_COUNT="2", POD_NAME="discord-bot-1")
    fake.wait_until(lambda: fake.identified)

    code, _, err = terminate(process)

    assert code == 0, err
    assert fake.identified[0]["shard"] == [1, 2]
    assert fake.calls("PUT", r".*commands") == []
    assert fake.calls("GET", r".*commands") == []
    assert "shard_count=2" in err


@pytest.mark.parametrize(
    ("values", "says"),
    [
        ({"DISCORD_SHARD_COUNT": "auto", "POD_NAME": "discord-bot-0"}, "auto is for a single"),
        ({"DISCORD_SHARD_COUNT": "auto", "DISCORD_SHARD_IDS": "0"}, "auto is for a single"),
        ({"DISCORD_SHARD_COUNT": "2", "POD_NAME": "discord-bot-2"}, "must be below"),
    ],
)
def test_a_pod_that_would_double_answer_or_has_no_shard_exits_with_one_line(
    fake: Any, values: dict[str, str], says: str
) -> None:
    """`auto` in several processes, or a pod past the shard count: one line, no connection."""
    code, err = finish(start(fake, **values))

    assert code != 0
    [line] = err.strip().splitlines()
    assert line.startswith("401k-bot discord: error:")
    assert says in line
    assert fake.requests == []
