"""The Slack app manifest creates exactly the app the code registers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.slack.app import COMMANDS, EVENTS, SHORTCUTS

MANIFEST = Path(__file__).resolve().parents[2] / "deploy" / "slack" / "manifest.yaml"
# The scopes the app's calls and events need; see the comment on each in the manifest.
SCOPES = {
    "app_mentions:read",
    "chat:write",
    "commands",
    "im:history",
    "channels:history",
    "groups:history",
    "mpim:history",
}


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    return dict(yaml.safe_load(MANIFEST.read_text(encoding="utf-8")))


def test_manifest_names_exactly_the_registered_commands(manifest: dict[str, Any]) -> None:
    """Every slash command in the manifest is registered by the app, and no other."""
    commands = [c["command"] for c in manifest["features"]["slash_commands"]]
    assert sorted(commands) == sorted(COMMANDS)
    for command in manifest["features"]["slash_commands"]:
        assert command["command"] == command["command"].lower()
        assert command["description"].strip()
        assert command["usage_hint"].strip()


def test_manifest_names_exactly_the_registered_shortcuts(manifest: dict[str, Any]) -> None:
    """Each shortcut's callback_id and type are the ones the app listens for, each explained."""
    shortcuts = manifest["features"]["shortcuts"]
    assert {s["callback_id"]: s["type"] for s in shortcuts} == SHORTCUTS
    lines = MANIFEST.read_text(encoding="utf-8").splitlines()
    for shortcut in shortcuts:
        assert 0 < len(shortcut["name"]) <= 24
        assert 0 < len(shortcut["description"]) <= 150
        at = next(
            i for i, line in enumerate(lines) if line.strip() == f"- name: {shortcut['name']}"
        )
        assert lines[at - 1].strip().startswith("#"), f"{shortcut['name']} has no comment"


def test_manifest_subscribes_to_exactly_the_handled_events(manifest: dict[str, Any]) -> None:
    """The bot events in the manifest are the ones the app listens to."""
    assert sorted(manifest["settings"]["event_subscriptions"]["bot_events"]) == sorted(EVENTS)


def test_manifest_asks_only_for_the_scopes_used_each_with_a_reason(
    manifest: dict[str, Any],
) -> None:
    """Least privilege: only the scopes the app uses, each justified by a comment above it."""
    scopes = manifest["oauth_config"]["scopes"]["bot"]
    assert set(scopes) == SCOPES
    assert "user" not in manifest["oauth_config"]["scopes"]
    lines = MANIFEST.read_text(encoding="utf-8").splitlines()
    for scope in scopes:
        at = next(i for i, line in enumerate(lines) if line.strip() == f"- {scope}")
        assert lines[at - 1].strip().startswith("#"), f"{scope} has no comment saying why"


def test_manifest_enables_socket_mode_interactivity_and_app_home(
    manifest: dict[str, Any],
) -> None:
    """One paste gives a bot user, buttons and forms, the Home and Messages tabs, Socket Mode."""
    settings = manifest["settings"]
    assert settings["socket_mode_enabled"] is True
    assert settings["interactivity"]["is_enabled"] is True
    home = manifest["features"]["app_home"]
    assert home["home_tab_enabled"]
    assert home["messages_tab_enabled"]
    assert home["messages_tab_read_only_enabled"] is False
    assert manifest["features"]["bot_user"]["display_name"]


def test_manifest_explains_http_mode(manifest: dict[str, Any]) -> None:
    """The HTTP-mode request URLs are there to uncomment, pointing at /slack/events."""
    text = MANIFEST.read_text(encoding="utf-8")
    assert text.count("# request_url: https://bot.example.com/slack/events") == 2
    assert text.count("# url: https://bot.example.com/slack/events") == len(COMMANDS)


async def test_app_answers_every_command_and_event_the_manifest_names(
    manifest: dict[str, Any], slack: Any
) -> None:
    """Slack would get 200 rather than 404 for each command and event the manifest sets up."""
    for command in manifest["features"]["slash_commands"]:
        response = await slack.command(command["command"], "help")
        assert response.status == 200, command["command"]
    samples = {
        "app_mention": ("app_mention", {}),
        "message.im": ("message_im", {}),
        "message.channels": ("message_im", {"channel_type": "channel", "thread_ts": "1.0"}),
        "message.groups": ("message_im", {"channel_type": "group", "thread_ts": "1.0"}),
        "message.mpim": ("message_im", {"channel_type": "mpim", "thread_ts": "1.0"}),
        "app_home_opened": ("app_home_opened", {}),
    }
    for number, name in enumerate(manifest["settings"]["event_subscriptions"]["bot_events"]):
        stored, changes = samples[name]
        data = slack.requests.event_payload(stored, f"EvManifest{number}", **changes)
        response = await slack.event(data)
        assert response.status == 200, name
    stored_shortcuts = {"message": "message_shortcut", "global": "global_shortcut"}
    for shortcut in manifest["features"]["shortcuts"]:
        data = slack.requests.payload(stored_shortcuts[shortcut["type"]])
        data["callback_id"] = shortcut["callback_id"]
        response = await slack.interaction(data)
        assert response.status == 200, shortcut["name"]
