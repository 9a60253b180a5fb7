"""Running the bot: settings to a client, command sync, and a graceful stop on SIGTERM."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import re
import signal
from collections.abc import Sequence

import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot.cooldown import Cooldown
from bot.discord_bot.client import DiscordBot, Sharding, make_bot
from bot.discord_bot.service import Answers
from bot.discord_bot.topics import articles_of, topic_titles
from bot.engine import Engine, default_engine
from bot.logs import log_failure
from bot.reply import Question
from bot.settings import Settings, SettingsError

LOGGER = logging.getLogger("401k-bot.discord")

# SIGTERM to exit within 10 seconds: replies in flight get this long, closing the rest.
DRAIN_SECONDS = 7.0
CLOSE_SECONDS = 2.0


class DiscordUnavailable(Exception):
    """Discord (or the configured API URL) could not be reached or refused a request."""


def id_list(value: str, name: str) -> list[int]:
    """Comma- or space-separated ids; SettingsError names `name` when one is not a number."""
    ids: list[int] = []
    for part in value.replace(",", " ").split():
        if not part.isdigit():
            raise SettingsError(f"{name} is invalid: '{part}' is not a numeric id")
        ids.append(int(part))
    return ids


def sharding_of(settings: Settings) -> Sharding:
    """The shards this process runs, checked against the shard count.

    With a shard count and no DISCORD_SHARD_IDS, a pod named like `discord-bot-3` (a
    Kubernetes StatefulSet's POD_NAME) runs shard 3; otherwise one process runs them all.
    """
    count = settings.discord_shard_count
    ids = id_list(settings.discord_shard_ids, "DISCORD_SHARD_IDS")
    if ids and not isinstance(count, int):
        raise SettingsError("DISCORD_SHARD_IDS needs DISCORD_SHARD_COUNT set to a number")
    ordinal = re.search(r"-(\d+)$", settings.pod_name or "")
    if not ids and isinstance(count, int) and ordinal:
        ids = [int(ordinal[1])]
    if isinstance(count, int) and any(i >= count for i in ids):
        raise SettingsError(f"shard ids {ids} must be below DISCORD_SHARD_COUNT ({count})")
    return Sharding(count=count, ids=ids or None)


def build(settings: Settings, engine: Engine | None = None) -> DiscordBot:
    """The bot for `settings`, on `engine` (the built-in one by default)."""
    engine = engine or default_engine(
        settings.disclosure, settings.bot_tax_year, settings.bot_knowledge_dir
    )
    articles = articles_of(engine)
    titles_by_year: dict[int, dict[str, str]] = {}

    def titles() -> dict[str, str]:
        limits = engine.choose_year(Question(text="", today=dt.date.today())).limits
        if limits.year not in titles_by_year:
            titles_by_year[limits.year] = topic_titles(articles, limits)
        return titles_by_year[limits.year]

    answers = Answers(
        engine=engine,
        disclosure=settings.disclosure,
        cooldown=Cooldown(settings.discord_cooldown_questions, settings.discord_cooldown_seconds),
        titles=titles,
    )
    return make_bot(answers, engine.limits.years, sharding_of(settings))


def point_at(api_url: str, gateway_url: str | None) -> None:
    """Send REST calls to `api_url` and connect to `gateway_url` (a proxy, or a test fake)."""
    Route.BASE = api_url.rstrip("/")
    if gateway_url:
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)


async def sync_commands(bot: DiscordBot, guild_ids: Sequence[int]) -> None:
    """Register the commands: in `guild_ids` at once if given, else globally."""
    if not guild_ids:
        synced = await bot.tree.sync()
        LOGGER.info("synced commands", extra={"fields": {"count": len(synced), "scope": "global"}})
        return
    for guild_id in guild_ids:
        guild = discord.Object(id=guild_id)
        bot.tree.copy_global_to(guild=guild)
        synced = await bot.tree.sync(guild=guild)
        LOGGER.info("synced commands", extra={"fields": {"count": len(synced), "guild": guild_id}})


async def run(bot: DiscordBot, token: str, guild_ids: Sequence[int], *, sync_only: bool) -> int:
    """Log in, sync, and serve until Discord closes or SIGTERM/SIGINT asks to stop."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    work = asyncio.create_task(_serve(bot, token, guild_ids, sync_only=sync_only))
    stopping = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait({work, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if work.done():
            return work.result()
        LOGGER.info("stopping: finishing replies in flight")
        await shutdown(bot, work)
        return 0
    finally:
        stopping.cancel()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(sig)
        if not bot.client.is_closed():
            await bot.client.close()


async def shutdown(bot: DiscordBot, work: asyncio.Task[int]) -> None:
    """Take no new work, let replies in flight finish, then close every connection."""
    if not await bot.answers.inflight.drain(DRAIN_SECONDS):
        log_failure("shutdown_cancelled", "discord", count=bot.answers.inflight.count)
    await bot.client.close()
    try:
        await asyncio.wait_for(asyncio.shield(work), CLOSE_SECONDS)
    except Exception:
        LOGGER.debug("the connection did not close cleanly", exc_info=True)
    finally:
        work.cancel()
        with contextlib.suppress(BaseException):
            await work


async def _serve(bot: DiscordBot, token: str, guild_ids: Sequence[int], *, sync_only: bool) -> int:
    client = bot.client
    try:
        await client.login(token)
    except discord.LoginFailure:
        raise SettingsError("DISCORD_TOKEN was rejected by Discord") from None
    except (discord.HTTPException, OSError) as exc:
        raise DiscordUnavailable(f"could not log in to Discord: {exc}") from None
    if sync_only or _runs_first_shard(client):
        try:
            await sync_commands(bot, guild_ids)
        except (discord.HTTPException, OSError) as exc:
            if sync_only:
                raise DiscordUnavailable(f"could not sync commands: {exc}") from None
            log_failure("command_sync_failed", "discord", code=type(exc).__name__)
    if sync_only:
        return 0
    try:
        await client.connect(reconnect=True)
    except discord.PrivilegedIntentsRequired:
        raise DiscordUnavailable("Discord refused the gateway intents") from None
    return 0


def _runs_first_shard(client: discord.Client) -> bool:
    """Only one process syncs commands: the one running shard 0 (or the only one)."""
    if isinstance(client, discord.AutoShardedClient):
        return not client.shard_ids or 0 in client.shard_ids
    return True
