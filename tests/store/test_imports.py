"""`ask` and `chat` never load the Redis client, even with BOT_REDIS_URL set."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


@pytest.mark.parametrize("command", [["ask", "roth vs after-tax"], ["chat"]])
def test_the_terminal_commands_do_not_import_redis(command: list[str]) -> None:
    code = (
        "import sys; from bot.cli import main; main(sys.argv[1:]); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'redis'))"
    )
    env = {**os.environ, "BOT_REDIS_URL": "redis://127.0.0.1:1/0"}
    done = subprocess.run(
        [sys.executable, "-c", code, *command],
        input="what is a mega backdoor roth\n",
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("[]")
