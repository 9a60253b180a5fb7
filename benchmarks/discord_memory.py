"""Memory of one Discord shard per 1,000 servers: what the gateway cache holds.

The bot needs only the GUILDS intent's cache, but discord.py keeps every server's
channels, roles, emojis, threads and permission overwrites from its GUILD_CREATE. This
builds the real client the way `401k-bot discord` does, feeds it N GUILD_CREATE payloads
of a chosen shape through the client's own gateway parser (one at a time, each dropped
once parsed, as the gateway would), and reports the resident memory before and after.
The Kubernetes memory limit of the Discord pods is sized from these figures.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import itertools
import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from timing import emit, progress, table

from bot.commands import whole
from bot.discord_bot import runner
from bot.settings import Settings

MIB = 1024 * 1024
BOT_ID = "1100000000000000002"


@dataclass(frozen=True)
class Shape:
    """A server's size: how many of each thing its GUILD_CREATE carries."""

    channels: int
    roles: int
    emojis: int
    threads: int
    overwrites: int


# Shapes of the review that found the old 256 Mi limit too small.
SHAPES = {
    "small": Shape(channels=20, roles=15, emojis=10, threads=2, overwrites=2),
    "medium": Shape(channels=60, roles=60, emojis=50, threads=10, overwrites=4),
    "large": Shape(channels=100, roles=150, emojis=100, threads=30, overwrites=6),
}


def rss_bytes() -> int:
    """This process's resident memory now (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def guild_payload(ids: Iterator[int], shape: Shape) -> dict[str, Any]:
    """One GUILD_CREATE of `shape`, with the bot as its only cached member."""
    guild_id = str(next(ids))
    role_ids = [guild_id] + [str(next(ids)) for _ in range(shape.roles - 1)]
    roles = [
        {
            "id": role_id,
            "name": f"role {i}",
            "permissions": "1071698660929",
            "position": i,
            "color": 0,
            "hoist": False,
            "managed": False,
            "mentionable": False,
            "flags": 0,
        }
        for i, role_id in enumerate(role_ids)
    ]
    channels = []
    for i in range(shape.channels):
        channels.append(
            {
                "id": str(next(ids)),
                "type": 0,
                "name": f"channel-{i}",
                "position": i,
                "parent_id": None,
                "topic": "A channel about things people talk about here.",
                "nsfw": False,
                "rate_limit_per_user": 0,
                "last_message_id": str(next(ids)),
                "flags": 0,
                "permission_overwrites": [
                    {"id": role_ids[j % len(role_ids)], "type": 0, "allow": "1024", "deny": "2048"}
                    for j in range(shape.overwrites)
                ],
            }
        )
    threads = [
        {
            "id": str(next(ids)),
            "type": 11,
            "guild_id": guild_id,
            "parent_id": channels[i % len(channels)]["id"],
            "owner_id": str(next(ids)),
            "name": f"thread {i}",
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "message_count": 3,
            "member_count": 2,
            "flags": 0,
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": 1440,
                "archive_timestamp": "2026-06-01T12:00:00.000000+00:00",
                "locked": False,
            },
        }
        for i in range(shape.threads)
    ]
    emojis = [
        {
            "id": str(next(ids)),
            "name": f"emoji_{i}",
            "roles": [],
            "require_colons": True,
            "managed": False,
            "animated": False,
            "available": True,
        }
        for i in range(shape.emojis)
    ]
    member = {
        "user": {
            "id": BOT_ID,
            "username": "401k-bot",
            "discriminator": "0",
            "avatar": None,
            "bot": True,
        },
        "roles": [],
        "joined_at": "2025-01-01T00:00:00.000000+00:00",
        "deaf": False,
        "mute": False,
        "flags": 0,
    }
    return {
        "id": guild_id,
        "name": f"server {guild_id}",
        "icon": None,
        "owner_id": str(next(ids)),
        "roles": roles,
        "emojis": emojis,
        "stickers": [],
        "features": ["COMMUNITY"],
        "member_count": 5000,
        "large": True,
        "unavailable": False,
        "joined_at": "2025-01-01T00:00:00.000000+00:00",
        "members": [member],
        "channels": channels,
        "threads": threads,
        "voice_states": [],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
        "verification_level": 1,
        "default_message_notifications": 1,
        "explicit_content_filter": 2,
        "mfa_level": 0,
        "premium_tier": 1,
        "preferred_locale": "en-US",
        "nsfw_level": 0,
    }


async def measure(guilds: int, shape: Shape) -> dict[str, float]:
    bot = runner.build(Settings(discord_token="memory"))
    parse = bot.client._connection.parsers["GUILD_CREATE"]
    ids = itertools.count(10**17)
    gc.collect()
    before = rss_bytes()
    for done in range(guilds):
        parse(guild_payload(ids, shape))
        if done and done % 500 == 0:
            progress(f"{done} servers cached")
    gc.collect()
    after = rss_bytes()
    assert len(bot.client.guilds) == guilds
    per_thousand = (after - before) / MIB / guilds * 1000
    return {
        "rss_before_mib": round(before / MIB, 1),
        "rss_after_mib": round(after / MIB, 1),
        "mib_per_1000_servers": round(per_thousand, 1),
        "mib_at_2500_servers": round(before / MIB + per_thousand * 2.5, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--servers", type=whole(1, 10_000, "servers"), default=1000, help="default 1000"
    )
    parser.add_argument("--shape", choices=sorted(SHAPES), default="medium")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    shape = SHAPES[args.shape]
    figures = asyncio.run(measure(args.servers, shape))
    results = {"servers": args.servers, "shape": args.shape, **asdict(shape), **figures}
    text = table(["figure", "value"], [[key, value] for key, value in results.items()])
    emit(results, text, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
