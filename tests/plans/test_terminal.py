"""The plan profile in the terminal: `plan` in `chat`, and `ask` with BOT_PLAN_FILE."""

from __future__ import annotations

import io
import json

import pytest

from bot.cli import main
from tests.plans.profiles import AFTER_TAX_ONLY, FULL, NO_AFTER_TAX, PROFILES, example_file


@pytest.mark.parametrize("name", PROFILES)
def test_plan_typed_in_chat_shows_the_summary(
    name: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BOT_PLAN_FILE", str(example_file(name)))
    monkeypatch.setattr("sys.stdin", io.StringIO("plan\nquit\n"))

    assert main(["chat"]) == 0

    out = capsys.readouterr().out
    verdict = {FULL: "yes", AFTER_TAX_ONLY: "no", NO_AFTER_TAX: "no"}[name]
    assert "plan summary" in out
    assert f"- Mega backdoor Roth: {verdict}" in out


def test_plan_typed_in_chat_without_a_profile_says_there_is_none(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("BOT_PLAN_FILE", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO("plan\n"))

    assert main(["chat"]) == 0

    assert "No plan profile is set up" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("name", "room"), [(FULL, 22500), (AFTER_TAX_ONLY, 15000), (NO_AFTER_TAX, 0)]
)
def test_ask_json_answers_plan_questions_and_calculates_with_the_plan(
    name: str, room: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BOT_PLAN_FILE", str(example_file(name)))
    monkeypatch.setattr(
        "sys.stdin",
        io.StringIO(
            "do we get a true-up?\n"
            "I earn 150k and max out my deferrals; how much after-tax room is left?\n"
        ),
    )

    assert main(["ask", "--json", "-"]) == 0

    first, second = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert first["kind"] == "article"
    assert first["topic"] == "employer-match"
    assert "Year-end true-up of the match: **" in first["text"]
    assert second["kind"] == "calculation"
    assert second["result"]["after_tax_room"] == room
