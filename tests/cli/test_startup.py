"""What `401k-bot ask` loads to answer: only its own command module, listed help for the rest."""

from __future__ import annotations

import os
import subprocess
import sys

from bot.commands import COMMANDS


def run(code: str, *argv: str, env: dict[str, str] | None = None) -> str:
    """The standard output of `python3 -c code argv…`, which must succeed."""
    done = subprocess.run(
        [sys.executable, "-c", code, *argv],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_ask_imports_no_other_command_module() -> None:
    code = (
        "import sys; from bot.cli import main; main(sys.argv[1:]); "
        "print(sorted(m for m in sys.modules if m.startswith('bot.commands.')))"
    )
    printed = run(code, "ask", "what is a mega backdoor roth")
    assert printed.strip().splitlines()[-1] == "['bot.commands.ask']"


def test_help_lists_every_command_with_its_help() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COLUMNS": "200"},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    listing = " ".join(done.stdout.split())
    for name, _, text in COMMANDS:
        assert f" {name} {text} " in listing, name


def test_a_subcommand_help_shows_its_own_options() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "room", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "--deferrals AMOUNT" in done.stdout
