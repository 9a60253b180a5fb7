"""Failed platform calls become a fixed method name and a code: never an id, token or text."""

from __future__ import annotations

from types import SimpleNamespace

import discord
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.slack_response import SlackResponse

from bot.discord_bot import failures as discord_failures
from bot.slack import failures as slack_failures


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/api/v10/interactions/1300000000000000001/token-abc/callback", "interactions.callback"),
        ("/api/v10/webhooks/1100000000000000001/token-abc", "webhooks.message"),
        ("/api/v10/webhooks/1100000000000000001/token-abc/messages/@original", "webhooks.message"),
        ("/api/v10/channels/900000000000000010/messages", "channels.messages"),
        ("/api/v10/channels/900000000000000010/messages/1600000000000000001", "channels.message"),
        ("/api/v10/applications/1100000000000000001/guilds/111/commands", "applications.commands"),
        ("/api/v10/users/@me", "other"),
    ],
)
def test_discord_routes_are_named_without_their_ids_or_tokens(path: str, name: str) -> None:
    """Each REST path maps to one fixed name, so no id or token reaches a label."""
    assert discord_failures.route_name(path) == name


def test_a_discord_http_error_gives_its_route_and_status() -> None:
    """A 403 on a channel message is (channels.messages, 403); other errors by their type."""
    url = SimpleNamespace(path="/api/v10/channels/900000000000000010/messages")
    response = SimpleNamespace(status=403, reason="Forbidden", url=url)
    error = discord.Forbidden(response, {"message": "Missing Permissions", "code": 50013})  # type: ignore[arg-type]
    assert discord_failures.api_error(error) == ("channels.messages", "403")
    assert discord_failures.api_error(TimeoutError()) == ("unknown", "TimeoutError")


def slack_error(method: str, status: int, data: dict[str, object]) -> SlackApiError:
    response = SlackResponse(
        client=None,
        http_verb="POST",
        api_url=f"https://slack.com/api/{method}",
        req_args={},
        data=data,
        headers={},
        status_code=status,
    )
    return SlackApiError("failed", response)


def test_a_slack_api_error_gives_its_method_and_slack_code_or_http_status() -> None:
    """Slack's own code when it sent one (not_in_channel), else the HTTP status (429, 500)."""
    refused = slack_error("chat.postMessage", 200, {"ok": False, "error": "not_in_channel"})
    assert slack_failures.api_error(refused) == ("chat.postMessage", "not_in_channel")
    limited = slack_error("chat.postEphemeral", 429, {"ok": False})
    assert slack_failures.api_error(limited) == ("chat.postEphemeral", "429")
    assert slack_failures.api_error(ValueError("typed words")) == ("unknown", "ValueError")
