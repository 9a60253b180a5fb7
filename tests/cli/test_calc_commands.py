"""The calculator commands: room, deferral-room, match and limits."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from bot.cli import main


def run_json(capsys, *argv: str) -> dict:
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize(
    ("argv", "room"),
    [
        (["--deferrals", "24500", "--employer", "10000", "--year", "2026"], 37500),
        (["--deferrals", "23,500", "--employer", "$8,000", "--year", "2025"], 38500),
        (["--deferrals", "23k", "--employer", "11.5k", "--year", "2024"], 34500),
        (["--deferrals", "32500", "--employer", "11000", "--age", "57", "--year", "2026"], 36500),
        (
            ["--deferrals", "24500", "--employer", "2600", "--salary", "52000", "--year", "2026"],
            24900,
        ),
        (
            [
                "--deferrals",
                "max",
                "--salary",
                "450000",
                "--match",
                "100% of the first 4%",
                "--year",
                "2026",
            ],
            33100,
        ),
    ],
)
def test_room(capsys, argv, room):
    reply = run_json(capsys, "room", *argv)
    assert reply["kind"] == "calculation"
    assert reply["topic"] == "after-tax-room"
    assert reply["result"]["after_tax_room"] == room
    assert reply["disclosure"]


def test_room_with_a_match_formula_shows_the_match(capsys):
    reply = run_json(
        capsys,
        "room",
        "--deferrals",
        "max",
        "--salary",
        "450000",
        "--match",
        "100% of the first 4%",
        "--year",
        "2026",
    )
    assert reply["result"]["employer_contributions"] == 14400
    assert any("$360,000" in step for step in reply["result"]["steps"])


def test_room_reply_has_the_contract_fields(capsys):
    reply = run_json(
        capsys,
        "room",
        "--deferrals",
        "24500",
        "--employer",
        "10000",
        "--year",
        "2026",
        "--pay-frequency",
        "biweekly",
    )
    assert set(reply) == {
        "kind",
        "topic",
        "title",
        "text",
        "disclosure",
        "tax_year",
        "sources",
        "suggestions",
        "also",
        "result",
    }
    result = reply["result"]
    for field in (
        "year",
        "annual_additions_limit",
        "employee_deferrals",
        "employer_contributions",
        "after_tax_room",
        "per_paycheck",
    ):
        assert field in result
    assert reply["sources"][0].startswith("https://www.irs.gov/")


def test_deferral_room_per_paycheck(capsys):
    reply = run_json(capsys, "deferral-room", "--year", "2026", "--pay-frequency", "biweekly")
    assert reply["result"]["per_paycheck"] == 942.30
    assert reply["result"]["deferral_room"] == 24500


def test_match(capsys):
    reply = run_json(
        capsys, "match", "--salary", "90,000", "--match", "100% of the first 3%", "--year", "2026"
    )
    assert reply["result"]["employer_match"] == 2700


def test_readable_output_shows_the_arithmetic_and_disclosure(capsys):
    assert main(["room", "--deferrals", "24500", "--employer", "10000", "--year", "2026"]) == 0
    out = capsys.readouterr().out
    assert "$72,000 annual additions limit (2026) − $24,500 employee deferrals" in out
    assert "not individualized tax" in out


def test_limits(capsys):
    assert main(["limits", "--year", "2026"]) == 0
    out = capsys.readouterr().out
    for figure in ("$24,500", "$8,000", "$11,250", "$72,000", "$360,000", "$153,000–$168,000"):
        assert figure in out
    assert "IRS Notice 2025-67" in out


def test_bot_tax_year_sets_the_default_year(capsys, monkeypatch):
    monkeypatch.setenv("BOT_TAX_YEAR", "2024")
    reply = run_json(capsys, "room", "--deferrals", "23000", "--employer", "0")
    assert reply["tax_year"] == 2024


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["room", "--deferrals", "-5", "--employer", "1"], "negative"),
        (["room", "--deferrals", "lots", "--employer", "1"], "not an amount"),
        (["room", "--deferrals", "20m", "--employer", "1"], "over $10,000,000"),
        (
            ["room", "--deferrals", "1", "--employer", "1", "--year", "2019"],
            "the years known are 2024, 2025, 2026",
        ),
        (["deferral-room", "--pay-frequency", "quarterly"], "unknown pay frequency"),
        (["match", "--salary", "1", "--match", "some"], "could not read the match formula"),
        (["room", "--deferrals", "1", "--match", "50% up to 6%"], "needs --salary"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(capsys, argv, message):
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse rejects a bad value before the command runs
        code = exc.code
    assert code == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_console_script_is_light_and_does_not_load_slack_or_discord():
    """`401k-bot room` runs without importing the Slack or Discord libraries."""
    code = (
        "import sys; from bot.cli import main; "
        "rc = main(['room', '--deferrals', '24500', '--employer', '10000']); "
        "heavy = [m for m in sys.modules "
        "if m.split('.')[0] in ('slack_bolt', 'slack_sdk', 'discord')]; "
        "print(heavy); sys.exit(rc)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip().endswith("[]")


@pytest.mark.parametrize(
    "command",
    ["room", "deferral-room", "match", "limits", "ask", "chat", "eval", "kb", "slack", "discord"],
)
def test_each_command_has_a_description_and_examples_that_copy(command, capsys):
    """argparse fills in %% only in argument help, so descriptions and examples use one %;
    lines wrap between words, never inside an option name."""
    with pytest.raises(SystemExit) as exited:
        main([command, "--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert out.split("\n\n")[1].strip(), "no description"
    assert "%%" not in out
    assert not re.search(r"\w-\n", out)


def test_a_default_year_without_figures_uses_the_nearest_and_says_so(capsys, monkeypatch):
    """BOT_TAX_YEAR past the data answers with the latest year and a note, not an error."""
    monkeypatch.setenv("BOT_TAX_YEAR", "2030")
    reply = run_json(capsys, "room", "--deferrals", "24500", "--employer", "10000")
    assert reply["tax_year"] == 2026
    assert reply["result"]["after_tax_room"] == 37500
    assert any("2030" in note for note in reply["result"]["notes"])
