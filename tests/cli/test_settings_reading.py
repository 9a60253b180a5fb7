"""The terminal commands' light reading of the environment agrees with pydantic-settings'."""

from __future__ import annotations

import pytest

from bot.settings import SettingsError, load_settings, read_settings

ENVIRONMENT = {
    "BOT_TAX_YEAR": "2025",
    "BOT_DISCLOSURE": "Ask Acme HR before acting on this.",
    "bot_link_hosts": "Example.COM, plans.example.org.",
    "DISCORD_SHARD_COUNT": "auto",
    "Log_Level": "debug",
    "SLACK_RATE_LIMIT_SECONDS": "2.5",
}


def test_both_readers_see_the_same_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Names in any case, numbers, choices and lists come out alike from both readers."""
    for name, value in ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    light, full = read_settings(), load_settings()
    assert light.model_dump() == full.model_dump()
    assert light.bot_tax_year == 2025
    assert light.log_level == "DEBUG"
    assert light.link_hosts == {"example.com", "plans.example.org"}
    assert light.disclosure == "Ask Acme HR before acting on this."


@pytest.mark.parametrize(
    ("name", "value"),
    [("BOT_TAX_YEAR", "next year"), ("LOG_FORMAT", "xml"), ("BOT_CONVERSATIONS_MAX", "0")],
)
def test_a_bad_value_is_the_same_one_line_error_from_both(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    messages = []
    for reader in (read_settings, load_settings):
        with pytest.raises(SettingsError, match=name) as caught:
            reader()
        messages.append(str(caught.value))
    assert messages[0] == messages[1]
    assert "\n" not in messages[0]
