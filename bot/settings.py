"""Settings from the environment, validated at start-up.

Each adapter asks only for what it needs (`require`), so a missing token is one line
naming the variable rather than a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.disclosure import DEFAULT_DISCLOSURE

SLACK_API_DEFAULT = "https://slack.com/api/"


class SettingsError(Exception):
    """A setting that is missing or malformed; the message names the variable."""


class Settings(BaseSettings):
    """Every setting of DESIGN.md, read from environment variables."""

    model_config = SettingsConfigDict(env_prefix="", case_sensitive=False, extra="ignore")

    slack_bot_token: str | None = None
    slack_app_token: str | None = None
    slack_signing_secret: str | None = None
    slack_api_url: str = SLACK_API_DEFAULT
    discord_token: str | None = None
    discord_guild_ids: str = ""
    discord_api_url: str = "https://discord.com/api/v10"
    discord_gateway_url: str | None = None
    discord_shard_count: Annotated[int, Field(ge=1)] | Literal["auto"] | None = None
    discord_shard_ids: str = ""
    pod_name: str | None = None
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
    try:
        return Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "a setting"
        raise SettingsError(f"{name} is invalid: {first['msg']}") from None
