"""The Slack settings each mode needs, checked before anything connects."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.settings import Settings, SettingsError, check_url


@dataclass(frozen=True)
class Credentials:
    """The tokens and Web API URL one mode needs, and the teams answered, already checked."""

    bot_token: str
    api_url: str
    app_token: str | None = None
    signing_secret: str | None = None
    allowed_teams: frozenset[str] = field(default_factory=frozenset)


_TEAM_ID = re.compile(r"[TE][A-Z0-9]{2,30}")


def allowed_teams(settings: Settings) -> frozenset[str]:
    """SLACK_ALLOWED_TEAM_IDS as a set of team ids; empty means every team is answered."""
    ids = [part.strip() for part in settings.slack_allowed_team_ids.split(",") if part.strip()]
    for team in ids:
        if not _TEAM_ID.fullmatch(team):
            raise SettingsError(
                "SLACK_ALLOWED_TEAM_IDS is malformed: expected team ids such as T0123ABCD, "
                "separated by commas"
            )
    return frozenset(ids)


def _token(settings: Settings, name: str, prefix: str, what: str) -> str:
    settings.require(name)
    value = str(getattr(settings, name.lower())).strip()
    if not value.startswith(prefix) or any(c.isspace() for c in value):
        raise SettingsError(f"{name} is malformed: expected {what} starting with {prefix}")
    return value


def api_url(settings: Settings) -> str:
    """SLACK_API_URL with the trailing slash slack_sdk joins method names onto."""
    url = check_url("SLACK_API_URL", settings.slack_api_url)
    return url if url.endswith("/") else url + "/"


def credentials(settings: Settings, *, http: bool) -> Credentials:
    """The checked settings for HTTP mode or Socket Mode; SettingsError names the variable."""
    bot_token = _token(settings, "SLACK_BOT_TOKEN", "xoxb-", "a bot token")
    url = api_url(settings)
    teams = allowed_teams(settings)
    if http:
        settings.require("SLACK_SIGNING_SECRET")
        secret = str(settings.slack_signing_secret).strip()
        if any(c.isspace() for c in secret):
            raise SettingsError("SLACK_SIGNING_SECRET is malformed: it contains spaces")
        return Credentials(
            bot_token=bot_token, api_url=url, signing_secret=secret, allowed_teams=teams
        )
    app_token = _token(settings, "SLACK_APP_TOKEN", "xapp-", "an app-level token")
    return Credentials(bot_token=bot_token, api_url=url, app_token=app_token, allowed_teams=teams)
