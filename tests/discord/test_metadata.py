"""The registered commands as Discord will see them, read from the command tree itself."""

from __future__ import annotations

import re
from typing import Any

import pytest

from bot.discord_bot import runner
from bot.settings import Settings
from calc.limits import load_limits
from calc.money import MAX_AMOUNT
from calc.paycheck import PAY_FREQUENCIES

STRING, INTEGER, BOOLEAN = 3, 4, 5
# Discord's rule for chat-input command and option names (as of 2026).
NAME = re.compile(r"^[-_\w]{1,32}$")


@pytest.fixture(scope="module")
def commands() -> dict[str, dict[str, Any]]:
    bot = runner.build(Settings(discord_token="metadata"))
    return {c.name: c.to_dict(bot.tree) for c in bot.tree.get_commands()}


def options(command: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {o["name"]: o for o in command.get("options", [])}


SLASH = {"aftertaxroom", "401k", "limits", "plan", "help", "about", "401k-settings"}
MESSAGE_COMMAND = "Ask 401k-bot about this message"
GUILD, BOT_DM, PRIVATE_CHANNEL = 0, 1, 2
GUILD_INSTALL, USER_INSTALL = 0, 1
MANAGE_GUILD = 1 << 5


def test_the_commands_are_registered(commands: dict[str, dict[str, Any]]) -> None:
    """Seven slash commands and one message command, and nothing else."""
    assert set(commands) == SLASH | {MESSAGE_COMMAND}
    assert {c["type"] for n, c in commands.items() if n in SLASH} == {1}
    assert commands[MESSAGE_COMMAND]["type"] == 3
    assert len(MESSAGE_COMMAND) <= 32


def test_names_are_lowercase_and_short_and_everything_is_described(
    commands: dict[str, dict[str, Any]],
) -> None:
    """Discord rejects names over 32 characters or with capitals, and empty descriptions."""
    for name, command in commands.items():
        if name == MESSAGE_COMMAND:
            continue
        for item in [command, *command.get("options", [])]:
            assert NAME.match(item["name"]), item["name"]
            assert item["name"] == item["name"].lower()
            assert 1 <= len(item["description"]) <= 100, item["name"]
            for choice in item.get("choices", []):
                assert 1 <= len(choice["name"]) <= 100
        assert len(command.get("options", [])) <= 25


def test_aftertaxroom_options_are_typed_and_ranged(commands: dict[str, dict[str, Any]]) -> None:
    """Amounts are whole dollars from $0 to $10,000,000; only deferrals is required."""
    room = options(commands["aftertaxroom"])
    assert list(room) == [
        "deferrals",
        "employer",
        "age",
        "year",
        "salary",
        "match",
        "pay_frequency",
        "public",
    ]
    for name in ("deferrals", "employer", "salary"):
        assert room[name]["type"] == INTEGER
        assert (room[name]["min_value"], room[name]["max_value"]) == (0, int(MAX_AMOUNT))
    assert room["deferrals"]["required"] is True
    assert not any(o["required"] for name, o in room.items() if name != "deferrals")
    assert room["age"]["type"] == INTEGER
    assert (room["age"]["min_value"], room["age"]["max_value"]) == (1, 129)
    assert room["year"]["type"] == INTEGER
    assert [c["value"] for c in room["year"]["choices"]] == load_limits().years
    assert room["match"]["type"] == STRING
    assert room["match"]["max_length"] == 200
    assert room["pay_frequency"]["type"] == STRING
    assert [c["value"] for c in room["pay_frequency"]["choices"]] == list(PAY_FREQUENCIES)
    assert room["public"]["type"] == BOOLEAN


def test_401k_question_autocompletes(commands: dict[str, dict[str, Any]]) -> None:
    """The question is free text with topic autocomplete; `public` is optional."""
    ask = options(commands["401k"])
    assert ask["question"]["type"] == STRING
    assert ask["question"]["required"] is True
    assert ask["question"]["autocomplete"] is True
    assert ask["question"]["max_length"] == 500
    assert ask["public"]["type"] == BOOLEAN
    assert ask["public"]["required"] is False


def test_limits_and_help_options(commands: dict[str, dict[str, Any]]) -> None:
    """/limits takes an optional year among those in the data; /help only `public`."""
    limits = options(commands["limits"])
    assert [c["value"] for c in limits["year"]["choices"]] == load_limits().years
    assert limits["year"]["required"] is False
    assert list(options(commands["help"])) == ["public"]


def test_commands_work_in_servers_dms_and_group_dms_installed_either_way(
    commands: dict[str, dict[str, Any]],
) -> None:
    """Every command but the settings works as a server app and as a user-installed app."""
    for name, command in commands.items():
        if name == "401k-settings":
            continue
        assert sorted(command["contexts"]) == [GUILD, BOT_DM, PRIVATE_CHANNEL], name
        assert sorted(command["integration_types"]) == [GUILD_INSTALL, USER_INSTALL], name
        assert command["default_member_permissions"] is None


def test_settings_are_for_servers_and_manage_server_by_default(
    commands: dict[str, dict[str, Any]],
) -> None:
    """/401k-settings: only in servers that installed the bot, for Manage Server by default."""
    settings = commands["401k-settings"]
    assert settings["contexts"] == [GUILD]
    assert settings["integration_types"] == [GUILD_INSTALL]
    assert int(settings["default_member_permissions"]) == MANAGE_GUILD
    assert set(options(settings)) == {
        "mentions",
        "allow_channel",
        "remove_channel",
        "all_channels",
        "public",
        "short",
        "expert_channel",
        "no_expert_channel",
    }
