"""`discord`: run the Discord bot, or only register its slash commands."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from bot.settings import Settings, load_settings

if TYPE_CHECKING:
    from bot.discord_bot.client import DiscordBot


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser(
        "discord",
        help="run the Discord bot (needs DISCORD_TOKEN)",
        description="Answer slash commands, @mentions and DMs on Discord. Commands sync "
        "globally, or at once to the servers in DISCORD_GUILD_IDS. /healthz, /readyz and "
        "/metrics are served on DISCORD_HEALTH_PORT. SIGTERM stops it gracefully: replies "
        "in flight finish, then it exits.",
    )
    parser.add_argument(
        "--sync-only",
        action="store_true",
        help="register the slash commands with Discord, then exit",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    settings = load_settings()
    settings.require("DISCORD_TOKEN")

    from bot.discord_bot import runner
    from bot.logs import configure

    configure(settings.log_level, settings.log_format)
    guild_ids = runner.id_list(settings.discord_guild_ids, "DISCORD_GUILD_IDS")
    runner.point_at(settings.discord_api_url, settings.discord_gateway_url)
    bot = runner.build(settings)
    token = settings.discord_token or ""

    def serve() -> Coroutine[Any, Any, int]:
        return runner.run(bot, token, guild_ids, sync_only=args.sync_only)

    try:
        return asyncio.run(serve() if args.sync_only else _with_health(bot, settings, serve))
    except runner.DiscordUnavailable as exc:
        print(f"401k-bot discord: error: {exc}", file=sys.stderr)
        return 1


async def _with_health(
    bot: DiscordBot, settings: Settings, serve: Callable[[], Coroutine[Any, Any, int]]
) -> int:
    """Run `serve()` with the health server up on DISCORD_HEALTH_HOST:DISCORD_HEALTH_PORT."""
    from bot.discord_bot import health

    async with health.serving(bot, settings.discord_health_host, settings.discord_health_port):
        return await serve()
