"""Settings from the environment, validated at start-up.

Each adapter asks only for what it needs (`require`), so a missing token is one line
naming the variable rather than a traceback.

The fields and their checks are one plain pydantic model, `SettingFields`. `Settings`
adds pydantic-settings' reading of the environment and of `.env` files; it is built on
first use, so the terminal commands, which start often, read the environment with
`read_settings` and never import pydantic-settings.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal, TypeVar
from urllib.parse import urlsplit

from pydantic import BaseModel, Field, ValidationError, field_validator

from bot.disclosure import DEFAULT_DISCLOSURE
from bot.setting_errors import SettingsError as SettingsError

if TYPE_CHECKING:
    from collections.abc import Callable

    from pydantic_settings import BaseSettings

SLACK_API_DEFAULT = "https://slack.com/api/"
Chosen = TypeVar("Chosen", bound="SettingFields")


class SettingFields(BaseModel):
    """Every setting of DESIGN.md: its name, default and check (unknown names are ignored)."""

    slack_bot_token: str | None = None
    slack_app_token: str | None = None
    slack_signing_secret: str | None = None
    slack_api_url: str = SLACK_API_DEFAULT
    slack_allowed_team_ids: str = ""
    discord_token: str | None = None
    discord_guild_ids: str = ""
    discord_api_url: str = "https://discord.com/api/v10"
    discord_gateway_url: str | None = None
    discord_shard_count: Annotated[int, Field(ge=1)] | Literal["auto"] | None = None
    discord_shard_ids: str = ""
    pod_name: str | None = None
    discord_health_host: str = "0.0.0.0"
    discord_health_port: int = Field(default=8080, ge=1, le=65535)
    discord_cooldown_questions: int = Field(default=5, ge=1, le=1000)
    discord_cooldown_seconds: float = Field(default=10.0, gt=0, le=3600)
    slack_rate_limit_questions: int = Field(default=5, ge=1, le=1000)
    slack_rate_limit_seconds: float = Field(default=10.0, gt=0, le=3600)
    bot_tax_year: int | None = Field(default=None, ge=1900, le=2200)
    bot_disclosure: str | None = None
    bot_knowledge_dir: Path | None = None
    bot_link_hosts: str = ""
    bot_conversation_ttl_minutes: float = Field(default=30, gt=0, le=7 * 24 * 60)
    bot_conversations_max: int = Field(default=10_000, ge=1, le=10_000_000)
    bot_plan_file: Path | None = None
    bot_redis_url: str | None = None
    bot_database_url: str | None = None
    bot_retention_days: int = Field(default=90, ge=1, le=3650)
    bot_feedback: Literal["on", "off"] = "on"
    bot_record_questions: Literal["off", "redacted"] = "off"
    bot_hash_key: str | None = None
    slack_expert_channel: str | None = None
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    log_format: Literal["json", "text"] = "text"

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("log_format", "bot_feedback", "bot_record_questions", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.lower() if isinstance(value, str) else value

    @field_validator("bot_knowledge_dir")
    @classmethod
    def _is_dir(cls, value: Path | None) -> Path | None:
        if value is None:
            return value
        try:
            value.resolve(strict=True)
        except RuntimeError:
            raise ValueError(f"{value} is a symlink loop") from None
        except OSError:
            raise ValueError(f"{value} does not exist") from None
        if not value.is_dir():
            raise ValueError(f"{value} is not a folder")
        return value

    @property
    def link_hosts(self) -> frozenset[str]:
        """BOT_LINK_HOSTS: hosts article bodies may link to beyond their own sources' hosts."""
        hosts = self.bot_link_hosts.replace(",", " ").split()
        return frozenset(host.lower().rstrip(".") for host in hosts)

    @property
    def disclosure(self) -> str:
        custom = (self.bot_disclosure or "").strip()
        return custom or DEFAULT_DISCLOSURE

    def require(self, *names: str) -> None:
        """Raise SettingsError naming the first of `names` that is unset or blank."""
        for name in names:
            value = getattr(self, name.lower())
            if value is None or (isinstance(value, str) and not value.strip()):
                raise SettingsError(f"{name.upper()} is not set")


if TYPE_CHECKING:

    class Settings(SettingFields, BaseSettings):
        """Every setting of DESIGN.md, read from environment variables."""

else:

    def __getattr__(name: str) -> object:
        if name == "Settings":
            return _settings_class()
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@cache
def _settings_class() -> type[Settings]:
    from pydantic_settings import BaseSettings, SettingsConfigDict

    class Settings(SettingFields, BaseSettings):
        """Every setting of DESIGN.md, read from environment variables."""

        model_config = SettingsConfigDict(env_prefix="", case_sensitive=False, extra="ignore")

    Settings.__module__ = __name__
    return Settings  # type: ignore[return-value]  # the class TYPE_CHECKING declares


def check_url(name: str, value: str, schemes: tuple[str, ...] = ("https", "http")) -> str:
    """`value` if it is a URL with one of `schemes` and a host; SettingsError names `name`."""
    url = value.strip()
    expected = " or ".join(f"{scheme}://" for scheme in schemes)
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - reading it checks the port is a number in range
    except ValueError:
        parts = None
    if (
        parts is None
        or parts.scheme not in schemes
        or not parts.hostname
        or (any(c.isspace() or not c.isprintable() for c in url))
    ):
        raise SettingsError(f"{name} is malformed: expected a URL starting with {expected}")
    return url


def load_settings() -> Settings:
    """Read the environment; SettingsError names the variable that is wrong."""
    return _validated(_settings_class())


def read_settings() -> SettingFields:
    """The same settings from the environment variables alone, without pydantic-settings:
    for the terminal commands, whose start-up time counts."""
    environment = {name.lower(): value for name, value in os.environ.items()}
    return _validated(lambda: SettingFields.model_validate(environment))


def _validated(make: Callable[[], Chosen]) -> Chosen:
    try:
        return make()
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "a setting"
        raise SettingsError(f"{name} is invalid: {first['msg']}") from None
