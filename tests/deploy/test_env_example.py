"""`.env.example`: every setting, each explained, and a copy that starts as it is."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.settings import Settings, SettingsError

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / ".env.example"
SETTING_LINE = re.compile(r"(?P<optional># )?(?P<name>[A-Z][A-Z0-9_]*)=(?P<value>.*)")


def setting_lines() -> list[tuple[int, str, str, bool]]:
    """(line index, name, value, optional) for each line that sets or shows a setting."""
    found = []
    for index, line in enumerate(EXAMPLE.read_text(encoding="utf-8").splitlines()):
        if match := SETTING_LINE.fullmatch(line):
            found.append((index, match["name"], match["value"], bool(match["optional"])))
    return found


def test_every_setting_is_listed_once(setting_names: set[str]) -> None:
    """Each Settings field appears exactly once, set or shown commented out."""
    names = [name for _, name, _, _ in setting_lines()]
    assert len(names) == len(set(names)), "a setting is listed twice"
    assert set(names) == setting_names


def test_every_setting_has_a_comment_above_it() -> None:
    """The line above each setting is a one-line comment saying what it is for."""
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    for index, name, _, _ in setting_lines():
        above = lines[index - 1]
        assert above.startswith("# "), name
        assert not SETTING_LINE.fullmatch(above), name
        assert len(above) > len("# ") + 10, f"{name}: the comment says too little"


def test_no_value_in_the_example_is_a_real_token() -> None:
    """Token settings are left empty; the example never carries a credential."""
    for _, name, value, _ in setting_lines():
        if name.endswith(("_TOKEN", "_SECRET")):
            assert value == "", name


def test_a_copy_of_the_example_loads_as_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setting_names: set[str]
) -> None:
    """`cp .env.example .env` gives valid settings: the bot starts and asks for its tokens."""
    for name in setting_names:
        monkeypatch.delenv(name, raising=False)
    env_file = tmp_path / ".env"
    env_file.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    settings = Settings(_env_file=env_file)
    active = {name: value for _, name, value, optional in setting_lines() if not optional}
    assert settings.log_level == active["LOG_LEVEL"]
    assert settings.log_format == active["LOG_FORMAT"]
    assert settings.disclosure, "the default disclosure applies"
    for token in ("SLACK_BOT_TOKEN", "DISCORD_TOKEN"):
        with pytest.raises(SettingsError, match=f"{token} is not set"):
            settings.require(token)


def test_optional_example_values_are_valid(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setting_names: set[str]
) -> None:
    """Uncommenting an optional setting's example gives a value the bot accepts."""
    for name in setting_names:
        monkeypatch.delenv(name, raising=False)
    for _, name, value, optional in setting_lines():
        if not optional or name == "BOT_KNOWLEDGE_DIR":
            continue  # the knowledge folder must exist: it is checked where it is mounted
        settings = Settings(**{name.lower(): value})
        assert getattr(settings, name.lower()) is not None, name
