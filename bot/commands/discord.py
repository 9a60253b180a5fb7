"""`discord`: run the Discord bot, or only register its slash commands."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from bot.commands import UsageError, summary
from bot.settings import check_url, load_settings

if TYPE_CHECKING:
    from bot.discord_bot.client import DiscordBot
    from bot.settings import Settings


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser(
        "discord",
        help=summary("discord"),
        description="Answer slash commands, @mentions and DMs on Discord. Serving does not "
        "register the commands: run --sync once per release (it warns at start-up when the "
        "registered commands differ). /healthz, /readyz and /metrics are served on "
        "DISCORD_HEALTH_PORT. SIGTERM stops it gracefully: replies in flight finish, then "
        "it exits.",
    )
    parser.add_argument(
        "--sync",
        action="store_true",
        help="register the commands with Discord, globally or in the --guild servers, then exit",
    )
    parser.add_argument(
        "--guild",
        metavar="ID",
        action="append",
        default=[],
        help="with --sync: register in this server at once instead of globally (repeatable; "
        "default DISCORD_GUILD_IDS)",
    )
    parser.add_argument(
        "--clear-guild",
        metavar="ID",
        action="append",
        default=[],
        help="remove the commands registered in this server, then exit (repeatable)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.guild and not args.sync:
        raise UsageError("--guild goes with --sync")
    settings = load_settings()
    settings.require("DISCORD_TOKEN")

    from bot.discord_bot import runner
    from bot.logs import configure

    configure(settings.log_level, settings.log_format)
    guild_ids = runner.id_list(" ".join(args.guild), "--guild") or runner.id_list(
        settings.discord_guild_ids, "DISCORD_GUILD_IDS"
    )
    clear = runner.id_list(" ".join(args.clear_guild), "--clear-guild")
    job = runner.Job(guild_ids=guild_ids, sync=args.sync, clear=clear)
    api_url = check_url("DISCORD_API_URL", settings.discord_api_url)
    gateway_url = settings.discord_gateway_url
    if gateway_url:
        gateway_url = check_url("DISCORD_GATEWAY_URL", gateway_url, ("wss", "ws"))
    runner.point_at(api_url, gateway_url)
    from bot.knowledge import KnowledgeError

    try:
        bot = runner.build(settings)
    except KnowledgeError as exc:
        raise UsageError(str(exc)) from None
    from bot.feedback.curation import open_curation, serving

    if job.serves:
        bot.answers.curation = open_curation(settings)
    token = settings.discord_token or ""

    def serve() -> Coroutine[Any, Any, int]:
        return runner.run(bot, token, job)

    try:
        work = _with_health(bot, settings, serve) if job.serves else serve()
        return asyncio.run(serving(bot.answers.curation, work))
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
