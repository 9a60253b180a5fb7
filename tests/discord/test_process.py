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

from bot.disclosure import DEFAULT_DISCLOSURE

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


def test_sync_only_registers_the_commands_globally_and_exits(fake: Any) -> None:
    """`--sync-only` puts the four commands globally and never opens the gateway."""
    code, err = finish(start(fake, "--sync-only"))

    assert code == 0, err
    [put] = fake.calls("PUT", rf"applications/{APP_ID}/commands")
    assert sorted(c["name"] for c in put.body) == ["401k", "aftertaxroom", "help", "limits"]
    assert fake.gateway_ops == []


def test_guild_ids_sync_to_those_servers_only(fake: Any) -> None:
    """DISCORD_GUILD_IDS syncs to each server (instant) instead of globally."""
    code, err = finish(start(fake, "--sync-only", DISCORD_GUILD_IDS="111,222"))

    assert code == 0, err
    assert [r.path for r in fake.calls("PUT", r".*commands")] == [
        f"applications/{APP_ID}/guilds/111/commands",
        f"applications/{APP_ID}/guilds/222/commands",
    ]


def test_sigterm_lets_the_reply_in_flight_finish_then_exits_0(fake: Any) -> None:
    """Connected through the gateway, a mention is answered even when SIGTERM comes mid-send."""
    fake.delays.append(("POST", r"channels/\d+/messages", 2.0))
    process = start(fake)
    fake.wait_until(lambda: fake.identified)
    fake.wait_until(lambda: fake.calls("PUT", rf"applications/{APP_ID}/commands"))
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


def test_a_sharded_process_runs_its_own_shard_and_leaves_syncing_to_shard_0(fake: Any) -> None:
    """Pod discord-bot-1 of 2 identifies as shard [1, 2] and does not sync the commands."""
    process = start(fake, DISCORD_SHARD_COUNT="2", POD_NAME="discord-bot-1")
    fake.wait_until(lambda: fake.identified)

    code, _, err = terminate(process)

    assert code == 0, err
    assert fake.identified[0]["shard"] == [1, 2]
    assert fake.calls("PUT", r".*commands") == []
