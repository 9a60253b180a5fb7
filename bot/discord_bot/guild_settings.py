"""What a server's moderators chose with `/401k-settings`, and where it is kept (pure).

`GuildSettingsStore` is the whole interface: any store with an async get and put of a
server's settings will do. `MemoryGuildSettings` keeps them in this process only;
`SharedGuildSettings` keeps `encode`'s bytes in the shared state store (Redis with
BOT_REDIS_URL), so every shard reads the same.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from bot.store import StateStore

LOGGER = logging.getLogger("401k-bot.discord")

# Settings have no natural end; each write keeps them for another 400 days.
SETTINGS_TTL_SECONDS = 400 * 24 * 3600.0


@dataclass(frozen=True)
class GuildSettings:
    """One server's choices; the defaults are what a server that chose nothing gets.

    `channels` empty means mentions are answered in every channel. `expert_channel` is
    where "Ask a moderator" posts a question its asker confirmed; None offers no such button.
    """

    mention_replies: bool = True
    channels: frozenset[int] = field(default_factory=frozenset)
    public_replies: bool = True
    short_replies: bool = False
    expert_channel: int | None = None

    def answers_mentions_in(self, *channel_ids: int | None) -> bool:
        """Whether a mention in a channel (or a thread, given with its parent) is answered."""
        if not self.mention_replies:
            return False
        return not self.channels or any(c in self.channels for c in channel_ids if c)

    def with_channels(self, add: Iterable[int] = (), remove: Iterable[int] = ()) -> GuildSettings:
        return replace(self, channels=(self.channels | set(add)) - set(remove))

    def describe(self) -> list[str]:
        """The settings as lines a moderator reads."""
        where = (
            ", ".join(f"<#{c}>" for c in sorted(self.channels))
            if self.channels
            else "every channel"
        )
        return [
            f"Mention replies: **{'on' if self.mention_replies else 'off'}** (in {where})",
            f"Public answers (`public: True`): **{'allowed' if self.public_replies else 'off'}**",
            f"Short replies: **{'on' if self.short_replies else 'off'}**",
            "Ask a moderator: "
            + (f"**on**, posted in <#{self.expert_channel}>" if self.expert_channel else "**off**"),
        ]


def encode(settings: GuildSettings) -> bytes:
    return json.dumps(
        {
            "mention_replies": settings.mention_replies,
            "channels": sorted(settings.channels),
            "public_replies": settings.public_replies,
            "short_replies": settings.short_replies,
            "expert_channel": settings.expert_channel,
        }
    ).encode()


def decode(data: bytes) -> GuildSettings:
    """Settings from `encode`'s bytes; a missing key keeps its default."""
    raw = json.loads(data)
    default = GuildSettings()
    return GuildSettings(
        mention_replies=bool(raw.get("mention_replies", default.mention_replies)),
        channels=frozenset(int(c) for c in raw.get("channels", ())),
        public_replies=bool(raw.get("public_replies", default.public_replies)),
        short_replies=bool(raw.get("short_replies", default.short_replies)),
        expert_channel=int(raw["expert_channel"]) if raw.get("expert_channel") else None,
    )


class GuildSettingsStore(Protocol):
    async def get(self, guild_id: int) -> GuildSettings: ...

    async def put(self, guild_id: int, settings: GuildSettings) -> None: ...


class MemoryGuildSettings:
    """Settings in this process's memory: lost on restart, not shared between shards."""

    def __init__(self) -> None:
        self._settings: dict[int, GuildSettings] = {}

    async def get(self, guild_id: int) -> GuildSettings:
        return self._settings.get(guild_id, GuildSettings())

    async def put(self, guild_id: int, settings: GuildSettings) -> None:
        if settings == GuildSettings():
            self._settings.pop(guild_id, None)
        else:
            self._settings[guild_id] = settings


class SharedGuildSettings:
    """Settings in a `StateStore` under `discord:<guild>:settings`, for every shard.

    The defaults are not stored: choosing them again forgets the key. Settings that
    cannot be read, or a store that cannot be reached, give the defaults.
    """

    def __init__(self, store: StateStore, ttl_seconds: float = SETTINGS_TTL_SECONDS) -> None:
        self.store = store
        self.ttl_seconds = ttl_seconds

    @staticmethod
    def key(guild_id: int) -> str:
        return f"discord:{guild_id}:settings"

    async def get(self, guild_id: int) -> GuildSettings:
        raw = await self.store.get(self.key(guild_id))
        if raw is None:
            return GuildSettings()
        try:
            return decode(raw)
        except (ValueError, TypeError, AttributeError):
            LOGGER.warning(
                "ignored unreadable settings",
                extra={
                    "fields": {
                        "event": "settings_unreadable",
                        "surface": "discord",
                        "guild": guild_id,
                    }
                },
            )
            return GuildSettings()

    async def put(self, guild_id: int, settings: GuildSettings) -> None:
        if settings == GuildSettings():
            await self.store.delete(self.key(guild_id))
        else:
            await self.store.put(self.key(guild_id), encode(settings), self.ttl_seconds)
