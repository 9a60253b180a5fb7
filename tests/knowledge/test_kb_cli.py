"""`401k-bot kb check`, `kb list` and `kb show` as a person runs them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.disclosure import DEFAULT_DISCLOSURE


@pytest.fixture
def company(monkeypatch: pytest.MonkeyPatch, fixtures: Path) -> Path:
    """BOT_KNOWLEDGE_DIR set to the override fixtures."""
    folder = fixtures / "override"
    monkeypatch.setenv("BOT_KNOWLEDGE_DIR", str(folder))
    return folder


def test_list_marks_overrides_and_aligns_titles(company, monkeypatch, capsys):
    monkeypatch.setenv("BOT_TAX_YEAR", "2025")
    assert main(["kb", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    rows = {line[2:].split()[0]: line for line in lines[:-1]}
    assert rows["acme-plan-rules"].startswith("* ")
    assert rows["contribution-limits"].startswith("* ")
    assert "Acme 401(k) limits for 2025" in rows["contribution-limits"]
    overridden = {"acme-plan-rules", "contribution-limits"}
    assert all(line.startswith("  ") for topic, line in rows.items() if topic not in overridden)
    title_columns = {len(row) - len(row[2 + len(topic) :].lstrip()) for topic, row in rows.items()}
    assert len(title_columns) == 1, "titles start in one column"
    assert lines[-1].endswith(f"* 2 from BOT_KNOWLEDGE_DIR ({company})")


def test_show_renders_for_the_year_with_sources_and_disclosure(company, capsys):
    assert main(["kb", "show", "acme-plan-rules", "--year", "2024"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("After-tax contributions in the Acme plan\n")
    assert "within the $69,000 annual additions limit for 2024." in out
    assert "{{" not in out
    assert "https://benefits.acme.example/401k/plan-summary" in out
    assert f"Tax year 2024. {DEFAULT_DISCLOSURE} Acme Benefits can change these plan rules." in out


def test_show_uses_the_configured_disclosure(company, monkeypatch, capsys):
    monkeypatch.setenv("BOT_DISCLOSURE", "Talk to Acme HR before acting on this.")
    assert main(["kb", "show", "acme-plan-rules", "--year", "2026"]) == 0
    out = capsys.readouterr().out
    assert "Talk to Acme HR before acting on this." in out
    assert "$72,000" in out


def test_show_unknown_id_suggests_close_ones(company, capsys):
    """A typo is one error line pointing at the ids that exist."""
    assert main(["kb", "show", "acme-plan-rule"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith("401k-bot kb: error: no article 'acme-plan-rule'; did you mean")
    assert "acme-plan-rules" in captured.err


def test_show_unknown_year_is_one_line(company, capsys):
    assert main(["kb", "show", "acme-plan-rules", "--year", "2031"]) == 2
    err = capsys.readouterr().err
    assert err == "401k-bot kb: error: no limits for 2031; the years known are 2024, 2025, 2026\n"


def test_a_broken_knowledge_dir_stops_list_and_show_with_one_line(monkeypatch, fixtures, capsys):
    monkeypatch.setenv("BOT_KNOWLEDGE_DIR", str(fixtures / "broken" / "missing-source"))
    for argv in (["kb", "list"], ["kb", "show", "help"]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1
        assert "acme-missing-source.md: sources: at least one URL is required" in err


def test_check_without_dir_includes_bot_knowledge_dir(monkeypatch, fixtures, capsys):
    folder = fixtures / "broken" / "dangling-related"
    monkeypatch.setenv("BOT_KNOWLEDGE_DIR", str(folder))
    assert main(["kb", "check"]) == 1
    out = capsys.readouterr().out
    assert f"ERROR {folder / 'acme-dangling-related.md'}: related: " in out


def test_check_an_empty_folder_warns(tmp_path: Path, capsys):
    assert main(["kb", "check", str(tmp_path)]) == 0
    assert capsys.readouterr().out == (
        f"WARNING {tmp_path}: folder: has no .md articles\n0 errors, 1 warning in 0 articles\n"
    )


def test_check_a_missing_folder_fails(tmp_path: Path, capsys):
    assert main(["kb", "check", str(tmp_path / "nowhere")]) == 1
    assert f"ERROR {tmp_path / 'nowhere'}: folder: is not a folder" in capsys.readouterr().out


def test_kb_without_an_action_shows_help(capsys):
    assert main(["kb"]) == 2
    out = capsys.readouterr().out
    for action in ("check", "list", "show"):
        assert action in out


@pytest.mark.parametrize("action", ["check", "list", "show"])
def test_each_action_has_help(action, capsys):
    with pytest.raises(SystemExit) as exited:
        main(["kb", action, "--help"])
    assert exited.value.code == 0
    assert f"usage: 401k-bot kb {action}" in capsys.readouterr().out


def test_kb_commands_do_not_import_chat_platforms(fixtures: Path):
    """Start-up stays light: no Slack or Discord library for the knowledge commands."""
    script = (
        "import sys\n"
        "from bot.cli import main\n"
        "codes = [main(['kb', 'list'])]\n"
        "codes.append(main(['kb', 'show', 'acme-plan-rules', '--year', '2026']))\n"
        "codes.append(main(['kb', 'check', sys.argv[1]]))\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('slack_bolt', 'discord'))\n"
        "print(codes, loaded)\n"
    )
    env = {**os.environ, "BOT_KNOWLEDGE_DIR": str(fixtures / "override")}
    done = subprocess.run(
        [sys.executable, "-c", script, str(fixtures / "override")],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert done.stdout.splitlines()[-1] == "[0, 0, 0] []"
