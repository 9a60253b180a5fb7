"""The real command line with bad bytes, bad settings and hostile article folders.

Each gives answers for every good line, or one line naming the setting or file and
exit 2; never a traceback, never invalid UTF-8, never a terminal escape.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.slack.test_process import _free_port

KNOWLEDGE = Path(__file__).parents[2] / "knowledge"
UNSAFE_OUTPUT = (b"\x1b", b"\x07", "\u202e".encode(), "\u2066".encode())


def run(*args: str, stdin: bytes = b"", **env: str) -> subprocess.CompletedProcess[bytes]:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "BOT_", "DISCORD_"))
    }
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        input=stdin,
        capture_output=True,
        env={**clean, **env},
        timeout=60,
        check=False,
    )


def one_line_error(done: subprocess.CompletedProcess[bytes], *names: str) -> str:
    err = done.stderr.decode("utf-8")
    assert done.returncode == 2, err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    for name in names:
        assert name in err
    return err


def test_a_bad_byte_on_stdin_loses_no_answer_under_a_strict_locale() -> None:
    """1,000 questions with one invalid byte on line 10: 1,000 valid UTF-8 JSON answers."""
    lines = [b"roth vs after-tax"] * 1000
    lines[9] = b"aftertaxroom deferrals=24500 employer=10000 frequency=\xff\xfe"
    done = run(
        "ask", "--json", "-", stdin=b"\n".join(lines) + b"\n", PYTHONIOENCODING="utf-8:strict"
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    replies = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert len(replies) == 1000
    assert all(reply["disclosure"] for reply in replies)


def test_chat_answers_every_line_whatever_its_bytes() -> None:
    """`chat` from a pipe answers the lines around a bad one, in valid UTF-8."""
    done = run(
        "chat",
        stdin=b"roth vs after-tax\n\xff\xfe mega backdoor\nhelp\n",
        PYTHONIOENCODING="utf-8:strict",
    )
    assert done.returncode == 0
    assert done.stdout.decode("utf-8").count("Tax year") == 3


def test_a_bad_byte_in_an_argument_gets_an_answer() -> None:
    """An argument that is not UTF-8, with terminal escapes, is answered and nothing is echoed."""
    done = run("ask", os.fsdecode(b"mega backdoor \xff roth \x1b]8;;https://x\x07"))
    assert done.returncode == 0
    done.stdout.decode("utf-8")
    assert not any(bad in done.stdout for bad in UNSAFE_OUTPUT)


@pytest.fixture
def loop(tmp_path: Path) -> Path:
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    return tmp_path / "a"


@pytest.mark.parametrize("command", [["ask", "roth"], ["kb", "list"]])
def test_a_bad_knowledge_folder_is_one_line(tmp_path: Path, loop: Path, command: list[str]) -> None:
    """Missing, not a folder, a symlink loop: one line naming BOT_KNOWLEDGE_DIR, exit 2."""
    file = tmp_path / "file.md"
    file.write_text("x", encoding="utf-8")
    for folder in (tmp_path / "missing", file, loop):
        one_line_error(run(*command, BOT_KNOWLEDGE_DIR=str(folder)), "BOT_KNOWLEDGE_DIR")


def test_an_escape_in_a_path_does_not_reach_the_terminal(tmp_path: Path) -> None:
    """The error names the folder, without the escape sequence written into its name."""
    err = one_line_error(run("ask", "roth", BOT_KNOWLEDGE_DIR=str(tmp_path / "x\x1b[2Jy")))
    assert "\x1b" not in err


def test_an_escape_in_a_bad_option_does_not_reach_the_terminal() -> None:
    """An option's error quotes what was typed, without the escape sequence in it."""
    done = run("ask", "--year", "20\x1b]0;owned\x0726", "roth")
    assert done.returncode == 2
    assert b"--year" in done.stderr
    assert not any(bad in done.stderr for bad in UNSAFE_OUTPUT)


def article(**changes: str) -> str:
    """The built-in help article, its front matter lines replaced by `changes`."""
    text = (KNOWLEDGE / "help.md").read_text(encoding="utf-8")
    for key, value in changes.items():
        if key == "body":
            text += value
        elif key == "source":
            text = text.replace("sources:\n", f"sources:\n  - {value}\n", 1)
        else:
            lines = text.split("\n")
            text = "\n".join(
                f"{key}: {value}" if line.startswith(f"{key}:") else line for line in lines
            )
    return text


HOSTILE = {
    "an http source": article(source="http://www.irs.gov/retirement-plans"),
    "a source with a user name": article(source="https://www.irs.gov@evil.example/x"),
    "a source with a bar": article(source="https://evil.example/a|https://www.irs.gov/x"),
    "a body link to another host": article(body="\n[IRS limits](https://evil.example/x)\n"),
    "a bare body link to another host": article(body="\nSee https://evil.example/x\n"),
    "a javascript link": article(body="\n[IRS](javascript:alert(1))\n"),
    "a look-alike link label": article(body="\n[https://www.irs.gov](https://evil.example/x)\n"),
    "an escape sequence": article(body="\n\x1b[31mred\x1b[0m\n"),
    "a hyperlink escape": article(body="\n\x1b]8;;https://evil.example\x07IRS\x1b]8;;\x07\n"),
    "a bidi override": article(title="What this bot can do \u202eevil"),
    "an article over 64 KB": article(body="\n" + "Plain words. " * 6000),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_article_fails_kb_check_and_loading(tmp_path: Path, name: str) -> None:
    """`kb check` reports it as an error, and `ask` refuses to start on it with one line."""
    (tmp_path / "help.md").write_text(HOSTILE[name], encoding="utf-8")

    checked = run("kb", "check", str(tmp_path))
    assert checked.returncode == 1
    assert b"ERROR" in checked.stdout
    assert not any(bad in checked.stdout for bad in UNSAFE_OUTPUT)

    one_line_error(run("ask", "help", BOT_KNOWLEDGE_DIR=str(tmp_path)), str(tmp_path / "help.md"))


def test_bot_link_hosts_allows_a_body_link(tmp_path: Path) -> None:
    """A body link to a host named in BOT_LINK_HOSTS passes; the article is answered."""
    (tmp_path / "help.md").write_text(
        article(body="\nAsk [Benefits](https://benefits.acme.example/401k).\n"), encoding="utf-8"
    )
    assert run("kb", "check", str(tmp_path), BOT_LINK_HOSTS="benefits.acme.example").returncode == 0
    done = run(
        "ask", "help", BOT_KNOWLEDGE_DIR=str(tmp_path), BOT_LINK_HOSTS="benefits.acme.example"
    )
    assert done.returncode == 0
    assert b"benefits.acme.example" in done.stdout


def test_an_article_with_windows_line_ends_is_fine(tmp_path: Path) -> None:
    """A carriage return before each newline is not a control character to refuse."""
    (tmp_path / "help.md").write_bytes(article().replace("\n", "\r\n").encode("utf-8"))
    assert run("kb", "check", str(tmp_path)).returncode == 0
    assert run("ask", "help", BOT_KNOWLEDGE_DIR=str(tmp_path)).returncode == 0


def test_a_folder_of_more_than_500_articles_is_refused(tmp_path: Path) -> None:
    for number in range(501):
        (tmp_path / f"acme-{number}.md").write_text("x", encoding="utf-8")
    one_line_error(run("ask", "help", BOT_KNOWLEDGE_DIR=str(tmp_path)), "more than 500 articles")


def test_a_looping_article_symlink_is_named(tmp_path: Path) -> None:
    (tmp_path / "a.md").symlink_to(tmp_path / "b.md")
    (tmp_path / "b.md").symlink_to(tmp_path / "a.md")
    one_line_error(run("ask", "help", BOT_KNOWLEDGE_DIR=str(tmp_path)), "a.md", "symlink")


BAD_START = [
    pytest.param(
        ["slack", "--http"],
        {"SLACK_SIGNING_SECRET": "s", "SLACK_API_URL": "not a url"},
        "SLACK_API_URL",
        id="slack-api-url",
    ),
    pytest.param(
        ["slack", "--http"],
        {"SLACK_SIGNING_SECRET": "s", "SLACK_API_URL": "http://[::1"},
        "SLACK_API_URL",
        id="slack-api-url-bracket",
    ),
    pytest.param(
        ["slack", "--http"],
        {"SLACK_SIGNING_SECRET": "s", "SLACK_API_URL": "http://h:99999/"},
        "SLACK_API_URL",
        id="slack-api-url-port",
    ),
    pytest.param(["discord"], {"DISCORD_API_URL": "not a url"}, "DISCORD_API_URL", id="discord"),
    pytest.param(
        ["discord"], {"DISCORD_API_URL": "https://"}, "DISCORD_API_URL", id="discord-no-host"
    ),
    pytest.param(
        ["discord"], {"DISCORD_GATEWAY_URL": "gateway"}, "DISCORD_GATEWAY_URL", id="gateway"
    ),
]


@pytest.mark.parametrize(("command", "env", "name"), BAD_START)
def test_a_garbage_url_setting_is_one_line(
    command: list[str], env: dict[str, str], name: str
) -> None:
    done = run(*command, SLACK_BOT_TOKEN="xoxb-1", DISCORD_TOKEN="x", **env)
    one_line_error(done, name)


@pytest.mark.parametrize("command", [["slack", "--http", "--port"], ["discord"]])
def test_a_bad_article_at_start_up_is_one_line(tmp_path: Path, command: list[str]) -> None:
    """`slack` and `discord` name the article and the field, as `ask` does, and exit 2."""
    (tmp_path / "x.md").write_text("---\nid: x\n---\nbody\n", encoding="utf-8")
    args = [*command, str(_free_port())] if command[-1] == "--port" else command
    done = run(
        *args,
        BOT_KNOWLEDGE_DIR=str(tmp_path),
        SLACK_BOT_TOKEN="xoxb-1",
        SLACK_SIGNING_SECRET="s",
        DISCORD_TOKEN="x",
        DISCORD_API_URL="http://127.0.0.1:9/api/v10",
    )
    one_line_error(done, str(tmp_path / "x.md"), "title")
