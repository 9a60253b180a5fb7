"""Running the bot: settings to a client, command sync on request, a graceful stop on SIGTERM.

Serving never registers commands: it compares the registered ones with its own (one
request, beside the gateway connection) and warns when they differ.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import re
import signal
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot.cooldown import Cooldown
from bot.discord_bot.client import DiscordBot, Sharding, make_bot
from bot.discord_bot.failures import api_error
from bot.discord_bot.guild_settings import (
    GuildSettingsStore,
    MemoryGuildSettings,
    SharedGuildSettings,
)
from bot.discord_bot.service import Answers
from bot.discord_bot.topics import articles_of, topic_titles
from bot.engine import Engine
from bot.logs import log_failure
from bot.reply import Question
from bot.service import conversations_for, engine_for
from bot.settings import Settings, SettingsError
from bot.store import open_store

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
    `auto` is for a single process only: where several run, each would run every shard
    and every question would be answered once per process.
    """
    count = settings.discord_shard_count
    ids = id_list(settings.discord_shard_ids, "DISCORD_SHARD_IDS")
    if count == "auto" and (ids or settings.pod_name):
        raise SettingsError(
            "DISCORD_SHARD_COUNT=auto is for a single process; with POD_NAME or "
            "DISCORD_SHARD_IDS set, give the total number of shards"
        )
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
    engine = engine or engine_for(settings)
    articles = articles_of(engine)
    titles_by_year: dict[int, dict[str, str]] = {}

    def titles() -> dict[str, str]:
        limits = engine.choose_year(Question(text="", today=dt.date.today())).limits
        if limits.year not in titles_by_year:
            titles_by_year[limits.year] = topic_titles(articles, limits)
        return titles_by_year[limits.year]

    # One store for the limit, the conversations and the servers' settings: with
    # BOT_REDIS_URL every shard and replica shares them; without, they stay in process.
    store = open_store(settings)
    shared = bool(settings.bot_redis_url)
    guild_settings: GuildSettingsStore = (
        SharedGuildSettings(store) if shared else MemoryGuildSettings()
    )
    answers = Answers(
        engine=engine,
        disclosure=settings.disclosure,
        cooldown=Cooldown(
            settings.discord_cooldown_questions, settings.discord_cooldown_seconds, store
        ),
        titles=titles,
        conversations=conversations_for(settings, store),
    )
    return make_bot(
        answers, engine.limits.years, sharding_of(settings), guild_settings=guild_settings
    )


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
    LOGGER.info(
        "commands registered globally stay registered too; "
        "`401k-bot discord --clear-guild ID` removes a server's copies"
    )


async def clear_commands(bot: DiscordBot, guild_ids: Sequence[int]) -> None:
    """Remove the commands registered in each of `guild_ids` (the global ones stay)."""
    for guild_id in guild_ids:
        guild = discord.Object(id=guild_id)
        bot.tree.clear_commands(guild=guild)
        await bot.tree.sync(guild=guild)
        LOGGER.info("cleared commands", extra={"fields": {"guild": guild_id}})


def comparable(command: Mapping[str, Any]) -> dict[str, Any]:
    """What Discord keeps of a command, without ids, versions and unset values."""
    dropped = {"id", "application_id", "guild_id", "version", "dm_permission"}
    kept: dict[str, Any] = {}
    for key, value in command.items():
        if key in dropped or value is None or value is False or value in ("", [], {}):
            continue
        if key == "options":
            value = [comparable(option) for option in value]
        elif key in ("contexts", "integration_types", "channel_types"):
            value = sorted(value)
        kept[key] = value
    kept.setdefault("type", 1)
    return kept


async def check_commands(bot: DiscordBot, guild_ids: Sequence[int]) -> None:
    """Compare the registered commands with this version's, in one request; warn if they differ.

    It runs beside the gateway connection, so a slow or rate-limited answer delays nothing.
    """
    http, app_id = bot.client.http, bot.client.application_id or 0
    guild = guild_ids[0] if guild_ids else None
    try:
        if guild is None:
            remote = await http.get_global_commands(app_id)
        else:
            remote = await http.get_guild_commands(app_id, guild)
    except (discord.HTTPException, discord.RateLimited, OSError) as exc:
        method, code = api_error(exc)
        log_failure("command_check_failed", "discord", method=method, code=code)
        return
    local = [command.to_dict(bot.tree) for command in bot.tree.get_commands()]
    by_name = {c["name"]: comparable(c) for c in remote}
    if by_name != {c["name"]: comparable(c) for c in local}:
        LOGGER.warning(
            "the registered commands differ from this version's; "
            "run `401k-bot discord --sync` to register them",
            extra={
                "fields": {
                    "event": "commands_outdated",
                    "surface": "discord",
                    "scope": guild or "global",
                }
            },
        )


@dataclass(frozen=True)
class Job:
    """What a run does: serve (the default), or register or remove commands and exit.

    `guild_ids` are the servers to register in at once (none: globally), and the scope
    serving compares against; `clear` are servers whose copies are removed.
    """

    guild_ids: Sequence[int] = ()
    sync: bool = False
    clear: Sequence[int] = ()

    @property
    def serves(self) -> bool:
        return not self.sync and not self.clear


async def run(bot: DiscordBot, token: str, job: Job) -> int:
    """Log in, then do `job`; serving lasts until Discord closes or SIGTERM/SIGINT."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    work = asyncio.create_task(_serve(bot, token, job))
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
        await bot.answers.cooldown.store.aclose()


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


async def _serve(bot: DiscordBot, token: str, job: Job) -> int:
    client = bot.client
    try:
        await client.login(token)
    except discord.LoginFailure:
        raise SettingsError("DISCORD_TOKEN was rejected by Discord") from None
    except (discord.HTTPException, OSError) as exc:
        raise DiscordUnavailable(f"could not log in to Discord: {exc}") from None
    if not job.serves:
        try:
            if job.clear:
                await clear_commands(bot, job.clear)
            if job.sync:
                await sync_commands(bot, job.guild_ids)
        except (discord.HTTPException, discord.RateLimited, OSError) as exc:
            raise DiscordUnavailable(f"could not register the commands: {exc}") from None
        return 0
    _log_shards(client)
    checking = (
        asyncio.create_task(check_commands(bot, job.guild_ids))
        if _runs_first_shard(client)
        else None
    )
    try:
        await client.connect(reconnect=True)
    except discord.PrivilegedIntentsRequired:
        raise DiscordUnavailable("Discord refused the gateway intents") from None
    finally:
        if checking is not None:
            checking.cancel()
    return 0


def _log_shards(client: discord.Client) -> None:
    if isinstance(client, discord.AutoShardedClient):
        shards = list(client.shard_ids) if client.shard_ids else "all"
        total = client.shard_count or "auto"
        LOGGER.info("connecting", extra={"fields": {"shards": shards, "shard_count": total}})


def _runs_first_shard(client: discord.Client) -> bool:
    """One process compares the commands: the one running shard 0 (or the only one)."""
    if isinstance(client, discord.AutoShardedClient):
        return not client.shard_ids or 0 in client.shard_ids
    return True
